/* Journey building: grouping a grouped log's events per case, ordering,
 * duplicates, cutting cases into journeys, lifecycle pairing and the case
 * filters, up to the journey callback. */
#include "sink-internal.h"
#include "survey-private.h"
#include "filter-private.h"
#include "spill-private.h"
#include "mem-private.h"
#include <string.h>

/* ---------- grouped journeys ---------- */

static const gint64 units[] = {
  1, 1000, CX_USEC_PER_SEC, 60 * CX_USEC_PER_SEC, 3600 * CX_USEC_PER_SEC, 86400 * CX_USEC_PER_SEC
};

/* Narrows each source's fit (bit k: every time so far is a multiple of
 * units[k]) by the events @ev[0..n), kept in s->unit_fit: the grouped
 * events are seen here before they spill and at the end. */
static void
fit_units(CxSink *s)
{
  if (s->unit_fit == NULL)
    s->unit_fit = g_byte_array_new();
  for (gsize i = 0; i < s->events.len; i++) {
    CxEvent e = cx_grouped_get(s->events.data, s->events.elem, i);
    guint src = e.flags >> CX_EVENT_SOURCE_SHIFT;
    if (src >= s->unit_fit->len) {
      guint old = s->unit_fit->len;
      g_byte_array_set_size(s->unit_fit, src + 1);
      memset(s->unit_fit->data + old, (1u << G_N_ELEMENTS(units)) - 1, src + 1 - old);
    }
    guint8 *fit = &s->unit_fit->data[src];
    if (*fit == 1)
      continue;
    for (guint k = 1; k < G_N_ELEMENTS(units); k++) {
      if (!(*fit & (1u << k)))
        break;
      if ((e.time != CX_TS_NONE && e.time % units[k] != 0)
          || (e.start != CX_TS_NONE && e.start % units[k] != 0))
        *fit &= (guint8)((1u << k) - 1);
    }
  }
}

/* The precision of each source's timestamps: the coarsest unit (up to a
 * day) that every one of its times is a multiple of. */
static void
find_units(CxSink *s)
{
  fit_units(s);
  guint nsrc = cx_log_n_sources(s->log);
  g_array_set_size(s->units, nsrc);
  s->window = 0;
  for (guint i = 0; i < nsrc; i++) {
    guint8 fit = i < s->unit_fit->len ? s->unit_fit->data[i] : (1u << G_N_ELEMENTS(units)) - 1;
    gint64 u = 1;
    for (guint k = 0; k < G_N_ELEMENTS(units); k++)
      if (fit & (1u << k))
        u = units[k];
    g_array_index(s->units, gint64, i) = u;
    cx_log_source(s->log, i)->unit = u;
    s->window = MAX(s->window, u);
  }
}

/* The events grouped by case: those of case c are order[start[c] ..
 * start[c + 1]). */
typedef struct {
  guint32 *start, *order;
  guint ncases, n;
} Grouping;

static void
grouping_clear(Grouping *g)
{
  cx_big_free(g->start, sizeof(guint32) * ((gsize)g->ncases + 1));
  cx_big_free(g->order, sizeof(guint32) * MAX((gsize)g->n, 1));
  memset(g, 0, sizeof *g);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Grouping, grouping_clear)

/* Counting sort of the @n events of case ids @ec by case, stable. */
static void
group_by_case(const guint32 *ec, guint n, guint ncases, Grouping *g)
{
  gsize start_bytes = sizeof(guint32) * ((gsize)ncases + 1);
  g->ncases = ncases;
  g->n = n;
  g->start = cx_big_alloc(start_bytes);
  memset(g->start, 0, start_bytes);
  guint32 *start = g->start;
  for (guint i = 0; i < n; i++)
    start[ec[i] + 1]++;
  for (guint c = 0; c < ncases; c++)
    start[c + 1] += start[c];
  g->order = cx_big_alloc(sizeof(guint32) * MAX((gsize)n, 1));
  /* start[c] is case c's next slot while filling (no second array at the
   * peak of memory), then the next case's start: shifted back by one */
  for (guint i = 0; i < n; i++)
    g->order[start[ec[i]]++] = i;
  memmove(start + 1, start, sizeof(guint32) * ncases);
  start[0] = 0;
}

static void
report(CxSink *s, CxProgressPhase phase, guint64 done, guint64 total, gboolean finished)
{
  if (s->opts->progress == NULL)
    return;
  CxProgress p = { phase, "grouped events", done, total, finished };
  s->opts->progress(&p, s->opts->progress_data);
}

/* a spilled record: the case id, the event, its value slots */
static gsize
record_size(const CxSink *s)
{
  return sizeof(guint32) + sizeof(CxEvent) + sizeof(guint32) * s->nslots;
}

gboolean
cx_sink_spill(CxSink *s, GError **error)
{
  guint n = (guint)s->events.len;
  if (n == 0)
    return TRUE;
  if (s->multi)
    fit_units(s);
  gsize rec = record_size(s);
  if (s->spill == NULL)
    s->spill = cx_spill_new(rec);
  g_auto(Grouping) g = { 0 };
  group_by_case((const guint32 *)s->event_case.data, n, cx_pool_size(s->pool.cases), &g);
  const guint32 *order = g.order;
  g_autofree guint8 *r = g_malloc(rec);
  const guint32 *ec = (const guint32 *)s->event_case.data;
  const guint32 *vals = (const guint32 *)s->event_vals.data;
  if (!cx_spill_begin_run(s->spill, error))
    return FALSE;
  for (guint i = 0; i < n; i++) {
    guint32 at = order[i];
    memcpy(r, &ec[at], sizeof(guint32));
    CxEvent e = cx_grouped_get(s->events.data, s->events.elem, at);
    memcpy(r + sizeof(guint32), &e, sizeof(CxEvent));
    if (s->nslots > 0)
      memcpy(r + sizeof(guint32) + sizeof(CxEvent), vals + (gsize)at * s->nslots,
             sizeof(guint32) * s->nslots);
    if (!cx_spill_put(s->spill, r, error))
      return FALSE;
  }
  if (!cx_spill_end_run(s->spill, error))
    return FALSE;
  /* the memory goes back to the budget (and the system) */
  cx_buffer_clear(&s->events);
  cx_buffer_clear(&s->event_case);
  cx_buffer_clear(&s->event_vals);
  report(s, CX_PROGRESS_SPILL, cx_spill_bytes(s->spill), 0, FALSE);
  return TRUE;
}

gboolean
cx_sink_case_fits(CxSink *s, guint32 c, GError **error)
{
  /* raw events bound the case's buffered ones */
  guint64 k = g_array_index(s->case_raw, guint32, c);
  if (G_LIKELY(k * record_size(s) <= s->mem.budget))
    return TRUE;
  g_autofree char *budget = cx_budget_text(s->mem.budget);
  g_set_error(error, CX_READER_ERROR, CX_READER_ERROR_MEMORY,
              "out of memory: case '%s' alone has more events than the memory budget of %s "
              "holds (raise it with --memory SIZE)",
              cx_pool_get(s->pool.cases, c), budget);
  return FALSE;
}

/* Hands on case @c, whose k events (and value slots) are in s->b.gather
 * (s->b.gather_vals), with its attributes ca[3 * aorder[astart[c] ..
 * astart[c + 1])]. */
static gboolean
emit_case(CxSink *s, guint32 c, const guint32 *astart, const guint32 *aorder, GError **error)
{
  guint k = s->b.gather->len;
  if (k == 0) {
    s->counts->empty_traces++;
    return TRUE;
  }
  const guint32 *ca = (const guint32 *)s->case_attrs->data;
  g_array_set_size(s->b.gather_attrs, 0);
  for (guint i = astart[c]; i < astart[c + 1]; i++) {
    const guint32 *t = &ca[3 * aorder[i]];
    gboolean dup = FALSE;
    for (guint j = 0; j < s->b.gather_attrs->len && !dup; j++)
      dup = g_array_index(s->b.gather_attrs, CxAttr, j).key == t[1];
    if (!dup) {
      CxAttr a = { t[1], t[2] };
      g_array_append_val(s->b.gather_attrs, a);
    }
  }
  return cx_sink_emit(s, c, (const CxEvent *)s->b.gather->data,
                      s->nslots > 0 ? (const guint32 *)s->b.gather_vals->data : NULL, k,
                      g_array_index(s->case_raw, guint32, c),
                      (const CxAttr *)s->b.gather_attrs->data, s->b.gather_attrs->len, error);
}

/* Whether the system gives room to copy out case @c's @k events (the
 * GArray would abort): a big case is tried first, as the size the array
 * grows to, so that a refusal is one clean error, as it is for the big
 * buffers (buffer.c), not an abort. */
static gboolean
gather_room(CxSink *s, guint32 c, guint k, GError **error)
{
  gsize bytes = (gsize)k * sizeof(CxEvent);
  if (k <= s->b.gather->len || bytes < 64 * 1024 * 1024)
    return TRUE;
  gsize grow = 1;
  while (grow < bytes)
    grow <<= 1;
  gpointer probe = g_try_malloc(grow);
  if (probe != NULL) {
    g_free(probe);
    return TRUE;
  }
  g_set_error(error, CX_READER_ERROR, CX_READER_ERROR_MEMORY,
              "out of memory: case '%s' has %u events, and the system refused the %" G_GSIZE_FORMAT
              " MiB to order them",
              cx_pool_get(s->pool.cases, c), k, grow >> 20);
  return FALSE;
}

/* Events are given back to the system in blocks of this many, once every
 * event of the block has been handed on: 2 MiB of CxEvent. */
#define RELEASE_BLOCK 65536u
/* A part counts down its blocks' events every this many cases. */
#define RELEASE_EVERY 1024u

/* How far the parts of a finish have come (CX_PROGRESS_BUILD), told by the
 * first part, which runs on the scan's thread. */
typedef struct {
  gsize done;  /* events handed on, counted by every part (atomic) */
  gint64 next; /* when the first part tells next (monotonic µs) */
  gboolean told;
} Build;

/* A run of consecutive grouped cases, [c0, c1), handed on by @s: the sink
 * itself, or a part of a split finish (part_sink_new()). */
typedef struct {
  CxSink *s;
  guint c0, c1;
  const Grouping *g;
  const guint8 *all; /* the grouped events, @elem bytes each */
  gsize elem;
  const guint32 *vs;
  const guint32 *astart, *aorder;
  gint *left; /* per block: its events not handed on yet, shared by the parts */
  guint n, nblk;
  Build *build;        /* shared by the parts */
  gboolean tells;      /* the first part: it reports progress */
  CxReadCounts counts; /* a part's own */
  gboolean ok;
  GError *error;
} Part;

/* Counts down @left by the handed-on events @done counts per block (then
 * zero), giving back each block no part needs any longer. */
static void
release_blocks(Part *p, guint32 *done)
{
  CxSink *s = p->s;
  gsize handed = 0;
  for (guint b = 0; b < p->nblk; b++) {
    if (done[b] == 0)
      continue;
    handed += done[b];
    if (g_atomic_int_add(&p->left[b], -(gint)done[b]) == (gint)done[b]) {
      gsize from = (gsize)b * RELEASE_BLOCK, to = MIN(from + RELEASE_BLOCK, p->n);
      cx_buffer_release(&s->events, from, to);
      cx_buffer_release(&s->event_vals, from, to);
    }
    done[b] = 0;
  }
  gsize all = (gsize)g_atomic_pointer_add(&p->build->done, (gssize)handed) + handed;
  if (p->tells && g_get_monotonic_time() >= p->build->next) {
    report(s, CX_PROGRESS_BUILD, all, p->n, FALSE);
    p->build->told = TRUE;
    p->build->next = g_get_monotonic_time() + G_USEC_PER_SEC / 2;
  }
}

/* Hands on the cases of @p, in order of case id. */
static gboolean
emit_part(Part *p, GError **error)
{
  CxSink *s = p->s;
  const guint32 *start = p->g->start, *order = p->g->order;
  const guint8 *all = p->all;
  gsize elem = p->elem;
  g_autofree guint32 *done = g_new0(guint32, MAX(p->nblk, 1));
  guint since = 0;
  for (guint c = p->c0; c < p->c1; c++) {
    /* a case's events lie far apart in a time-ordered log, a cache miss
     * each: those of the case after next are fetched while this one is
     * handed on */
    if (c + 2 < p->c1)
      for (guint i = start[c + 2]; i < start[c + 3]; i++)
        cx_prefetch(all + (gsize)order[i] * elem);
    if (!g_array_index(s->seen, guint8, c))
      continue;
    guint k = start[c + 1] - start[c];
    if (!gather_room(s, c, k, error))
      return FALSE;
    g_array_set_size(s->b.gather, k);
    CxEvent *dst = (CxEvent *)s->b.gather->data;
    for (guint i = 0; i < k; i++)
      dst[i] = cx_grouped_get(all, elem, order[start[c] + i]);
    if (s->nslots > 0) {
      g_array_set_size(s->b.gather_vals, k * s->nslots);
      guint32 *vd = (guint32 *)s->b.gather_vals->data;
      for (guint i = 0; i < k; i++)
        memcpy(vd + (gsize)i * s->nslots, p->vs + (gsize)order[start[c] + i] * s->nslots,
               sizeof(guint32) * s->nslots);
    }
    /* the case is copied out: its blocks may go */
    for (guint i = 0; i < k; i++)
      done[order[start[c] + i] / RELEASE_BLOCK]++;
    if (++since == RELEASE_EVERY) {
      release_blocks(p, done);
      since = 0;
    }
    if (!emit_case(s, c, p->astart, p->aorder, error))
      return FALSE;
  }
  release_blocks(p, done);
  return TRUE;
}

/* A split finish has at most this many parts: each part's state keeps up
 * to CX_QUANTILES_EXACT_MAX exact samples of a measure until the merge, so
 * the parts hold at most this many times what one state would. */
#define SPLIT_MAX 4u

/* How many parts hand the grouped cases on at once: one, unless the
 * consumer can be split and building a journey touches nothing but the
 * part's own (no filters, no survey, no cut journeys named in the pool). */
static guint
split_parts(CxSink *s, guint ncases, guint n)
{
  const CxReadOptions *o = s->opts;
  if (s->split.threads < 2 || n < s->split.min_events || o->filters != NULL || s->survey != NULL
      || o->journey_gap > 0 || o->journey_starts_with != NULL)
    return 1;
  return MAX(MIN(MIN(s->split.threads, SPLIT_MAX), ncases), 1u);
}

/* A part of a split finish: a copy of the sink with its own scratch, counts
 * and consumer state (freed by part_join(), never cx_sink_free()). */
static CxSink *
part_sink_new(CxSink *s, Part *p)
{
  CxSink *ps = g_new(CxSink, 1);
  *ps = *s;
  cx_sink_scratch_init(&ps->b);
  memset(&p->counts, 0, sizeof p->counts);
  ps->counts = &p->counts;
  ps->data = s->split.fork(s->data);
  ps->src_dups = g_new0(guint64, MAX(cx_log_n_sources(s->log), 1));
  return ps;
}

static gpointer
part_run(gpointer data)
{
  Part *p = data;
  p->ok = emit_part(p, &p->error);
  return NULL;
}

/* Every counter of CxReadCounts (a part starts from zero, so the ones it
 * never touches add nothing): the assertion fails when a field is added
 * and not listed here. */
static const gsize count_fields[] = {
  G_STRUCT_OFFSET(CxReadCounts, events_read),       G_STRUCT_OFFSET(CxReadCounts, events_kept),
  G_STRUCT_OFFSET(CxReadCounts, no_activity),       G_STRUCT_OFFSET(CxReadCounts, no_case),
  G_STRUCT_OFFSET(CxReadCounts, no_timestamp),      G_STRUCT_OFFSET(CxReadCounts, invalid_skipped),
  G_STRUCT_OFFSET(CxReadCounts, lifecycle_dropped), G_STRUCT_OFFSET(CxReadCounts, traces_read),
  G_STRUCT_OFFSET(CxReadCounts, empty_traces),      G_STRUCT_OFFSET(CxReadCounts, unnamed_traces),
  G_STRUCT_OFFSET(CxReadCounts, cases_kept),        G_STRUCT_OFFSET(CxReadCounts, cases_filtered),
  G_STRUCT_OFFSET(CxReadCounts, dates_guessed),     G_STRUCT_OFFSET(CxReadCounts, duplicates),
  G_STRUCT_OFFSET(CxReadCounts, dst_gap),           G_STRUCT_OFFSET(CxReadCounts, dst_repeated),
  G_STRUCT_OFFSET(CxReadCounts, cases_built),       G_STRUCT_OFFSET(CxReadCounts, cases_cut),
  G_STRUCT_OFFSET(CxReadCounts, journeys_from_cut),
};
G_STATIC_ASSERT(sizeof(CxReadCounts)
                == G_N_ELEMENTS(count_fields) * sizeof(guint64) + 2 * sizeof(gboolean));

/* Adds what part @p counted to the sink's counts and per-source
 * duplicates, merges its consumer state into the sink's, and frees the
 * part's sink. */
static void
part_join(CxSink *s, Part *p)
{
  CxSink *ps = p->s;
  for (gsize i = 0; i < G_N_ELEMENTS(count_fields); i++)
    *(guint64 *)((char *)s->counts + count_fields[i])
        += *(const guint64 *)((const char *)&p->counts + count_fields[i]);
  for (guint i = 0; i < cx_log_n_sources(s->log); i++)
    s->src_dups[i] += ps->src_dups[i];
  s->split.merge(s->data, ps->data);
  cx_sink_scratch_clear(&ps->b);
  g_free(ps->src_dups);
  g_free(ps);
  p->s = NULL;
}

/* The grouped cases from the events in memory, in order of case id.  The
 * case ids go back to the system once grouped, and each block of events once
 * its cases are handed on: in a time-ordered log the cases of a block are
 * handed on together, so memory goes back while the analyses grow.  With a
 * consumer that can be split (cx_log_set_split()), the cases are cut into
 * runs of about as many events, one a thread, each handed on to a state of
 * its own, merged in order: the first run on this thread into the sink's
 * own state. */
static gboolean
finish_in_memory(CxSink *s, guint ncases, const guint32 *astart, const guint32 *aorder,
                 GError **error)
{
  g_auto(Grouping) g = { 0 };
  guint n = (guint)s->events.len;
  group_by_case((const guint32 *)s->event_case.data, n, ncases, &g);
  cx_buffer_clear(&s->event_case);
  guint nblk = (n + RELEASE_BLOCK - 1) / RELEASE_BLOCK;
  g_autofree gint *left = g_new(gint, MAX(nblk, 1));
  for (guint b = 0; b < nblk; b++)
    left[b] = (gint)MIN(RELEASE_BLOCK, n - b * RELEASE_BLOCK);
  guint np = split_parts(s, ncases, n);
  g_autofree Part *parts = g_new0(Part, np);
  Build build = { 0, g_get_monotonic_time() + G_USEC_PER_SEC / 2, FALSE };
  for (guint k = 0; k < np; k++) {
    Part *p = &parts[k];
    *p = (Part){ .s = s, .c1 = ncases, .g = &g, .left = left, .n = n, .nblk = nblk };
    p->build = &build;
    p->tells = k == 0;
    p->all = s->events.data;
    p->elem = s->events.elem;
    p->vs = (const guint32 *)s->event_vals.data;
    p->astart = astart;
    p->aorder = aorder;
    /* run k starts at the first case whose events begin at or past its
     * share of them */
    guint64 from = (guint64)n * k / np, lo = 0, hi = ncases;
    while (lo < hi) {
      guint mid = (guint)((lo + hi) / 2);
      if (g.start[mid] < from)
        lo = mid + 1;
      else
        hi = mid;
    }
    p->c0 = k == 0 ? 0 : (guint)lo;
    if (k > 0)
      parts[k - 1].c1 = p->c0;
  }
  g_autofree GThread **threads = g_new0(GThread *, np);
  for (guint k = 1; k < np; k++) {
    parts[k].s = part_sink_new(s, &parts[k]);
    threads[k] = g_thread_try_new("cxmine-finish", part_run, &parts[k], NULL);
  }
  gboolean ok = emit_part(&parts[0], error);
  for (guint k = 1; k < np; k++) {
    /* a part the system gave no thread runs here, after the others */
    if (threads[k] != NULL)
      g_thread_join(threads[k]);
    else
      part_run(&parts[k]);
    part_join(s, &parts[k]);
    /* the first failure in the order of the cases is the one told */
    if (ok && !parts[k].ok) {
      g_propagate_error(error, parts[k].error);
      ok = FALSE;
    } else
      g_clear_error(&parts[k].error);
  }
  if (build.told)
    report(s, CX_PROGRESS_BUILD, build.done, n, TRUE);
  return ok;
}

/* The grouped cases from the runs on disk, merged, in the same order with
 * the same events as finish_in_memory() gives them. */
static gboolean
finish_merged(CxSink *s, guint ncases, const guint32 *astart, const guint32 *aorder, GError **error)
{
  CxSpill *sp = s->spill;
  if (!cx_sink_spill(s, error))
    return FALSE;
  report(s, CX_PROGRESS_SPILL, cx_spill_bytes(sp), 0, TRUE);
  /* the read buffers take what the budget has left, up to a quarter */
  gsize left = s->mem.budget - MIN(s->mem.used, s->mem.budget);
  if (!cx_spill_merge_begin(sp, left / 4, error))
    return FALSE;
  guint64 total = cx_spill_n_records(sp), done = 0;
  gint64 next_report = g_get_monotonic_time() + G_USEC_PER_SEC / 2;
  gboolean ok = TRUE;
  for (guint c = 0; c < ncases && ok; c++) {
    if (!g_array_index(s->seen, guint8, c))
      continue;
    g_array_set_size(s->b.gather, 0);
    g_array_set_size(s->b.gather_vals, 0);
    while (ok && cx_spill_peek(sp) == c) {
      const guint8 *r = cx_spill_next(sp, error);
      if (r == NULL) {
        ok = FALSE;
        break;
      }
      CxEvent e;
      memcpy(&e, r + sizeof(guint32), sizeof e);
      g_array_append_val(s->b.gather, e);
      if (s->nslots > 0)
        g_array_append_vals(s->b.gather_vals, r + sizeof(guint32) + sizeof(CxEvent), s->nslots);
      done++;
    }
    ok = ok && emit_case(s, c, astart, aorder, error);
    if (done >= total || g_get_monotonic_time() >= next_report) {
      report(s, CX_PROGRESS_MERGE, done, total, FALSE);
      next_report = g_get_monotonic_time() + G_USEC_PER_SEC / 2;
    }
  }
  report(s, CX_PROGRESS_MERGE, done, total, TRUE);
  return ok;
}

static gboolean
finish_grouped(CxSink *s, GError **error)
{
  if (s->multi)
    find_units(s);
  guint ncases = cx_pool_size(s->pool.cases);
  /* the sort's index arrays come on top of the events */
  gsize sort_bytes = ((gsize)s->events.len + s->case_attrs->len / 3 + 4 * ((gsize)ncases + 1)) * 4;
  if (s->mem.used + sort_bytes > s->mem.budget && s->events.len > 0) {
    /* what does not fit beside its sort goes to disk with the rest */
    if (!cx_sink_spill(s, error))
      return FALSE;
    sort_bytes = (s->case_attrs->len / 3 + 4 * ((gsize)ncases + 1)) * 4;
  }
  if (s->mem.used + sort_bytes > s->mem.budget) {
    s->mem.want = s->mem.used + sort_bytes;
    return s->spill != NULL ? cx_sink_no_room(s, error) : cx_budget_error(&s->mem, error);
  }
  cx_sink_ensure_case(s, ncases);
  /* case attributes, grouped by case */
  guint na = s->case_attrs->len / 3;
  const guint32 *ca = (const guint32 *)s->case_attrs->data;
  g_autofree guint32 *astart = g_new0(guint32, ncases + 1);
  for (guint i = 0; i < na; i++)
    astart[ca[3 * i] + 1]++;
  for (guint c = 0; c < ncases; c++)
    astart[c + 1] += astart[c];
  g_autofree guint32 *aorder = g_new(guint32, MAX(na, 1));
  g_autofree guint32 *afill = g_memdup2(astart, sizeof(guint32) * (ncases + 1));
  for (guint i = 0; i < na; i++)
    aorder[afill[ca[3 * i]]++] = i;
  if (s->spill != NULL)
    return finish_merged(s, ncases, astart, aorder, error);
  return finish_in_memory(s, ncases, astart, aorder, error);
}

gboolean
cx_sink_finish(CxSink *s, GError **error)
{
  gboolean ok = s->streaming || finish_grouped(s, error);
  for (guint i = 0; i < cx_log_n_sources(s->log); i++)
    cx_log_source(s->log, i)->duplicates += s->src_dups[i];
  return ok;
}

/* ---------- ordering, pairing, filtering ---------- */

static int
cmp_key(gconstpointer a, gconstpointer b)
{
  const CxSinkKey *x = a, *y = b;
  if (x->key != y->key)
    return x->key < y->key ? -1 : 1;
  return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* Orders @ev into s->b.scratch: by start (or time), stably; an untimed event
 * keeps its place after the timed event before it in file order. */
static const CxEvent *
order_events(CxSink *s, const CxEvent *ev, guint n)
{
  /* most journeys arrive in order: check that first, writing nothing */
  gint64 prev = G_MININT64 + 1;
  guint i = 0;
  for (; i < n; i++) {
    gint64 t = ev[i].start != CX_TS_NONE ? ev[i].start : ev[i].time;
    if (t == CX_TS_NONE)
      t = prev;
    if (t < prev)
      break;
    prev = t;
  }
  s->b.sorted = FALSE;
  if (i == n)
    return ev;
  s->b.sorted = TRUE;
  g_array_set_size(s->b.keys, n);
  CxSinkKey *k = (CxSinkKey *)s->b.keys->data;
  prev = G_MININT64 + 1;
  for (i = 0; i < n; i++) {
    gint64 t = ev[i].start != CX_TS_NONE ? ev[i].start : ev[i].time;
    if (t == CX_TS_NONE)
      t = prev;
    k[i].key = t;
    k[i].idx = i;
    prev = t;
  }
  qsort(k, n, sizeof(CxSinkKey), cmp_key);
  g_array_set_size(s->b.scratch, n);
  CxEvent *dst = (CxEvent *)s->b.scratch->data;
  for (i = 0; i < n; i++)
    dst[i] = ev[k[i].idx];
  return dst;
}

static guint
lifecycle_of(const CxEvent *e)
{
  return e->flags & CX_EVENT_LIFECYCLE_MASK;
}

/* Turns ordered events into instances: returns @ev itself when every event
 * is an instance, else s->b.out's data; sets *@n_out. */
static const CxEvent *
make_instances(CxSink *s, const CxEvent *ev, guint n, guint *n_out)
{
  CxLifecycleMode mode = s->opts->lifecycle;
  gboolean src = s->opts->event_attrs;
  g_array_set_size(s->b.out, 0);
  g_array_set_size(s->b.out_src, 0);
  if (mode == CX_LIFECYCLE_MODE_AUTO) {
    mode = CX_LIFECYCLE_MODE_ALL;
    for (guint i = 0; i < n; i++)
      if (lifecycle_of(&ev[i]) == CX_LIFECYCLE_START) {
        mode = CX_LIFECYCLE_MODE_PAIR;
        break;
      }
  }
  if (mode == CX_LIFECYCLE_MODE_ALL) {
    *n_out = n;
    return ev;
  }
  if (mode == CX_LIFECYCLE_MODE_COMPLETE) {
    for (guint i = 0; i < n; i++) {
      if (lifecycle_of(&ev[i]) == CX_LIFECYCLE_COMPLETE) {
        g_array_append_val(s->b.out, ev[i]);
        if (src) {
          guint32 p[2] = { i, G_MAXUINT32 };
          g_array_append_vals(s->b.out_src, p, 2);
        }
      } else
        s->counts->lifecycle_dropped++;
    }
    *n_out = s->b.out->len;
    return (const CxEvent *)s->b.out->data;
  }
  /* pair: a start reserves the instance's place; the first later complete of
   * the same activity fills it (FIFO) */
  g_array_set_size(s->b.pending, 0);
  for (guint i = 0; i < n; i++) {
    guint lc = lifecycle_of(&ev[i]);
    if (lc == CX_LIFECYCLE_OTHER) {
      s->counts->lifecycle_dropped++;
      continue;
    }
    if (lc == CX_LIFECYCLE_START) {
      CxEvent inst = ev[i];
      inst.start = ev[i].time;
      inst.flags = (inst.flags & ~CX_EVENT_LIFECYCLE_MASK) | CX_LIFECYCLE_START;
      guint32 slot = s->b.out->len;
      g_array_append_val(s->b.out, inst);
      if (src) {
        guint32 q[2] = { i, G_MAXUINT32 };
        g_array_append_vals(s->b.out_src, q, 2);
      }
      guint32 p[2] = { ev[i].activity, slot };
      g_array_append_vals(s->b.pending, p, 2);
      continue;
    }
    gboolean matched = FALSE;
    guint32 *p = (guint32 *)s->b.pending->data;
    for (guint j = 0; j < s->b.pending->len; j += 2) {
      if (p[j] == ev[i].activity) {
        CxEvent *inst = &g_array_index(s->b.out, CxEvent, p[j + 1]);
        inst->time = ev[i].time;
        inst->flags = (ev[i].flags & ~CX_EVENT_LIFECYCLE_MASK) | CX_LIFECYCLE_COMPLETE;
        if (inst->start == CX_TS_NONE)
          inst->flags |= CX_EVENT_UNTIMED;
        if (inst->resource == CX_ID_NONE)
          inst->resource = ev[i].resource;
        if (src) {
          /* the completion's attributes first */
          guint32 *q = &g_array_index(s->b.out_src, guint32, 2 * p[j + 1]);
          q[1] = q[0];
          q[0] = i;
        }
        g_array_remove_range(s->b.pending, j, 2);
        matched = TRUE;
        break;
      }
    }
    if (!matched) {
      g_array_append_val(s->b.out, ev[i]);
      if (src) {
        guint32 q[2] = { i, G_MAXUINT32 };
        g_array_append_vals(s->b.out_src, q, 2);
      }
    }
  }
  /* starts that never completed stay as instances of zero length */
  *n_out = s->b.out->len;
  return (const CxEvent *)s->b.out->data;
}

/* The journey's attributes: its trace (case) attributes, then each wanted
 * attribute they lack: the case attribute KEY for "KEY@last" too, else the
 * first (or last) non-empty value of the ordered events [@from, @to), whose
 * places in the input are @idx. */
static const CxAttr *
journey_attrs(CxSink *s, const CxAttr *attrs, guint n_attrs, const guint32 *vals,
              const guint32 *idx, guint from, guint to, guint *n_out)
{
  GArray *want = s->want;
  *n_out = n_attrs;
  if (G_LIKELY(s->nslots == 0))
    return attrs;
  g_array_set_size(s->b.jattrs, 0);
  g_array_append_vals(s->b.jattrs, attrs, n_attrs);
  for (guint w = 0; w < want->len; w++) {
    const CxWant *x = &g_array_index(want, CxWant, w);
    guint32 value = CX_ID_NONE;
    gboolean have = FALSE;
    for (guint i = 0; i < n_attrs && !have; i++) {
      have = attrs[i].key == x->out;
      if (attrs[i].key == x->base && value == CX_ID_NONE)
        value = attrs[i].value;
    }
    if (have)
      continue;
    for (guint i = from; i < to && value == CX_ID_NONE; i++) {
      guint at = x->last ? to - 1 - (i - from) : i;
      value = vals[(gsize)idx[at] * s->nslots + x->slot];
    }
    if (value != CX_ID_NONE) {
      CxAttr a = { x->out, value };
      g_array_append_val(s->b.jattrs, a);
    }
  }
  *n_out = s->b.jattrs->len;
  return (const CxAttr *)s->b.jattrs->data;
}

static inline gint64
order_key(const CxEvent *e)
{
  return e->start != CX_TS_NONE ? e->start : e->time;
}

static inline gint64
floor_div(gint64 a, gint64 b)
{
  return a >= 0 ? a / b : -((-a + b - 1) / b);
}

/* TRUE when @b repeats @a: activity, transition, time at the coarser
 * precision of their sources, and resource where both have one. */
static gboolean
same_event(const CxSink *s, const CxEvent *a, const CxEvent *b)
{
  if (a->activity != b->activity
      || (a->flags & CX_EVENT_LIFECYCLE_MASK) != (b->flags & CX_EVENT_LIFECYCLE_MASK)
      || (a->resource != CX_ID_NONE && b->resource != CX_ID_NONE && a->resource != b->resource))
    return FALSE;
  if (a->time == b->time)
    return TRUE;
  if (!s->multi || a->time == CX_TS_NONE || b->time == CX_TS_NONE)
    return FALSE;
  guint sa = a->flags >> CX_EVENT_SOURCE_SHIFT, sb = b->flags >> CX_EVENT_SOURCE_SHIFT;
  if (sa >= s->units->len || sb >= s->units->len)
    return FALSE;
  gint64 u = MAX(g_array_index(s->units, gint64, sa), g_array_index(s->units, gint64, sb));
  return floor_div(a->time, u) == floor_div(b->time, u);
}

/* Counts the ordered events that repeat an earlier one; with dedupe returns
 * them without those (in s->b.dd, s->b.idx following), else @ev. */
static const CxEvent *
find_duplicates(CxSink *s, const CxEvent *ev, guint *n)
{
  guint len = *n;
  if (!s->multi) {
    /* one source: a duplicate has the very same time as the event before it */
    guint i = 1;
    while (i < len && (ev[i].time != ev[i - 1].time || ev[i].time == CX_TS_NONE))
      i++;
    if (i >= len)
      return ev;
  }
  gboolean drop = s->opts->dedupe;
  guint kept = 0;
  guint32 *idx = s->nslots > 0 ? (guint32 *)s->b.idx->data : NULL;
  CxEvent *dst = NULL;
  for (guint i = 0; i < len; i++) {
    gboolean dup = FALSE;
    gint64 t = order_key(&ev[i]);
    if (i > 0 && t != CX_TS_NONE && ev[i].time != CX_TS_NONE) {
      /* only events within the coarsest precision before it can be the same */
      for (guint j = i; j-- > 0 && !dup;) {
        gint64 tj = order_key(&ev[j]);
        if (tj == CX_TS_NONE)
          continue;
        if (tj < t - s->window || i - j > 4096)
          break;
        dup = same_event(s, &ev[j], &ev[i]);
      }
    }
    if (dup) {
      s->counts->duplicates++;
      guint src = ev[i].flags >> CX_EVENT_SOURCE_SHIFT;
      if (src < cx_log_n_sources(s->log))
        s->src_dups[src]++;
      if (drop && dst == NULL) {
        g_array_set_size(s->b.dd, len);
        dst = (CxEvent *)s->b.dd->data;
        memcpy(dst, ev, sizeof(CxEvent) * i);
        kept = i;
      }
      continue;
    }
    if (dst != NULL) {
      dst[kept] = ev[i];
      if (idx != NULL)
        idx[kept] = idx[i];
      kept++;
    }
  }
  if (dst == NULL)
    return ev;
  *n = kept;
  return dst;
}

/* Where the journey of ordered events [from, ...) ends: at a gap longer than
 * journey_gap, or before an event of journey_starts_with. */
static guint
cut_end(CxSink *s, const CxEvent *ev, guint from, guint n, guint32 starts_id)
{
  gint64 gap = s->opts->journey_gap;
  gint64 prev = order_key(&ev[from]);
  for (guint i = from + 1; i < n; i++) {
    if (starts_id != G_MAXUINT32 && ev[i].activity == starts_id)
      return i;
    gint64 t = order_key(&ev[i]);
    if (t == CX_TS_NONE)
      continue;
    if (gap > 0 && prev != CX_TS_NONE && t - prev > gap)
      return i;
    prev = t;
  }
  return n;
}

static gboolean emit_journey(CxSink *s, guint32 case_id, const CxEvent *ev, guint n, guint raw,
                             const CxAttr *attrs, guint n_attrs, const guint32 *vals,
                             const guint32 *idx, GError **error);

gboolean
cx_sink_emit(CxSink *s, guint32 case_id, const CxEvent *ev, const guint32 *vals, guint n, guint raw,
             const CxAttr *attrs, guint n_attrs, GError **error)
{
  const CxEvent *ordered = order_events(s, ev, n);
  if (s->nslots > 0) {
    g_array_set_size(s->b.idx, n);
    guint32 *idx = (guint32 *)s->b.idx->data;
    const CxSinkKey *k = (const CxSinkKey *)s->b.keys->data;
    for (guint i = 0; i < n; i++)
      idx[i] = s->b.sorted ? k[i].idx : i;
  }
  s->counts->cases_built++;
  guint nd = n;
  ordered = find_duplicates(s, ordered, &nd);
  raw -= n - nd;
  n = nd;
  gboolean cutting = s->opts->journey_gap > 0 || s->opts->journey_starts_with != NULL;
  guint end = n;
  guint32 starts_id = G_MAXUINT32;
  if (cutting && n > 0) {
    if (s->opts->journey_starts_with != NULL)
      starts_id = cx_pool_lookup(s->pool.activities, s->opts->journey_starts_with, -1);
    end = cut_end(s, ordered, 0, n, starts_id);
  }
  const guint32 *idx = s->nslots > 0 ? (const guint32 *)s->b.idx->data : NULL;
  if (end == n)
    return emit_journey(s, case_id, ordered, n, raw, attrs, n_attrs, vals, idx, error);
  /* a cut case: its journeys are ID#1, ID#2, ... */
  s->counts->cases_cut++;
  g_string_assign(s->b.cut_name, cx_pool_get(s->pool.cases, case_id));
  gsize base_len = s->b.cut_name->len;
  guint part = 0;
  for (guint from = 0; from < n;
       from = end, end = from < n ? cut_end(s, ordered, from, n, starts_id) : n) {
    s->counts->journeys_from_cut++;
    g_string_truncate(s->b.cut_name, base_len);
    g_string_append_printf(s->b.cut_name, "#%u", ++part);
    guint32 id = cx_pool_intern(s->pool.cases, s->b.cut_name->str, (gssize)s->b.cut_name->len);
    if (!emit_journey(s, id, ordered + from, end - from, end - from, attrs, n_attrs, vals,
                      idx != NULL ? idx + from : NULL, error))
      return FALSE;
  }
  return TRUE;
}

/* make_instances for the filters, which may pair a journey again after
 * dropping events: the dropped transitions were counted the first time. */
static const CxEvent *
filter_instances(gpointer data, const CxEvent *ev, guint n, guint *n_out)
{
  CxSink *s = data;
  guint64 dropped = s->counts->lifecycle_dropped;
  const CxEvent *inst = make_instances(s, ev, n, n_out);
  s->counts->lifecycle_dropped = dropped;
  return inst;
}

/* Appends the bag attributes of ordered event @at (idx maps it to its row)
 * to s->b.inst_attrs; with @skip_have, only keys the instance lacks so far. */
static void
add_event_attrs(CxSink *s, const guint32 *vals, const guint32 *idx, guint at, guint first,
                gboolean skip_have)
{
  const guint32 *row = vals + (gsize)idx[at] * s->nslots;
  guint32 off = row[s->bag_slot], cnt = row[s->bag_slot + 1];
  if (off == 0)
    return;
  const CxAttr *b = (const CxAttr *)s->bag.data + (off - 1);
  for (guint32 k = 0; k < cnt; k++) {
    gboolean have = FALSE;
    for (guint h = first; skip_have && h < s->b.inst_attrs->len && !have; h++)
      have = g_array_index(s->b.inst_attrs, CxAttr, h).key == b[k].key;
    if (!have)
      g_array_append_val(s->b.inst_attrs, b[k]);
  }
}

/* With event_attrs: each instance's attributes (CxJourney.event_attrs);
 * @inst came from make_instances() over @ordered, whose rows @idx gives. */
static void
instance_attrs(CxSink *s, const CxEvent *ordered, const CxEvent *inst, guint n_inst,
               const guint32 *vals, const guint32 *idx)
{
  g_array_set_size(s->b.inst_at, n_inst + 1);
  g_array_set_size(s->b.inst_attrs, 0);
  guint *at = (guint *)s->b.inst_at->data;
  const guint32 *src = inst == ordered ? NULL : (const guint32 *)s->b.out_src->data;
  for (guint i = 0; i < n_inst; i++) {
    at[i] = s->b.inst_attrs->len;
    if (src == NULL) {
      add_event_attrs(s, vals, idx, i, at[i], FALSE);
      continue;
    }
    add_event_attrs(s, vals, idx, src[2 * i], at[i], FALSE);
    if (src[2 * i + 1] != G_MAXUINT32)
      add_event_attrs(s, vals, idx, src[2 * i + 1], at[i], TRUE);
  }
  at[n_inst] = s->b.inst_attrs->len;
}

/* Runs the journey through the filter chain; TRUE (and @j rebuilt from
 * what the chain kept, *@ev and *@idx its ordered events and their rows)
 * when it passes. */
static gboolean
filter_journey(CxSink *s, CxJourney *j, const CxEvent **ev, guint n, const CxAttr *attrs,
               guint n_attrs, const guint32 *vals, const guint32 **idx)
{
  const CxEvent *ordered = *ev;
  CxFilterJourney fj = { j->case_id, ordered, n,           *idx,         vals,          s->nslots,
                         attrs,      n_attrs, j->n_events, j->instances, j->n_instances };
  if (!cx_filter_chain_run(s->opts->filters, s->log, &fj, filter_instances, s))
    return FALSE;
  j->n_events = fj.raw;
  j->instances = fj.inst;
  j->n_instances = fj.n_inst;
  *ev = fj.ev;
  *idx = fj.idx;
  if (fj.ev != ordered)
    j->attrs = journey_attrs(s, attrs, n_attrs, vals, fj.idx, 0, fj.n, &j->n_attrs);
  j->n_untimed = 0;
  for (guint i = 0; i < j->n_instances; i++)
    if (j->instances[i].time == CX_TS_NONE)
      j->n_untimed++;
  return j->n_instances > 0;
}

static gboolean
emit_journey(CxSink *s, guint32 case_id, const CxEvent *ordered, guint n, guint raw,
             const CxAttr *attrs, guint n_attrs, const guint32 *vals, const guint32 *idx,
             GError **error)
{
  guint n_inst;
  const CxEvent *inst = make_instances(s, ordered, n, &n_inst);
  const CxEvent *ev = ordered; /* the events the journey is made of, after the filters */
  CxJourney j;
  j.case_id = case_id;
  j.n_events = raw;
  j.n_instances = n_inst;
  j.instances = inst;
  j.attrs = journey_attrs(s, attrs, n_attrs, vals, idx, 0, n, &j.n_attrs);
  j.n_untimed = 0;
  j.event_attr_at = NULL;
  j.event_attrs = NULL;
  for (guint i = 0; i < j.n_instances; i++)
    if (j.instances[i].time == CX_TS_NONE)
      j.n_untimed++;

  if (G_UNLIKELY(s->survey != NULL))
    cx_survey_journey(s->survey, &j);
  gboolean keep = j.n_instances > 0;
  if (G_UNLIKELY(s->opts->filters != NULL) && (keep || s->survey != NULL))
    keep = filter_journey(s, &j, &ev, n, attrs, n_attrs, vals, &idx);
  if (!keep) {
    s->counts->cases_filtered++;
    return TRUE;
  }
  s->counts->cases_kept++;
  s->counts->events_kept += j.n_events;
  if (s->opts->event_attrs) {
    instance_attrs(s, ev, j.instances, j.n_instances, vals, idx);
    j.event_attr_at = (const guint *)s->b.inst_at->data;
    j.event_attrs = (const CxAttr *)s->b.inst_attrs->data;
  }
  return s->func(&j, s->data, error);
}