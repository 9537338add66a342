/* The event sink: interns what the readers push, holds the trace in flight
 * or the grouped events, and hands each case to journey building (build.c). */
#include "hash-private.h"
#include "sink-internal.h"
#include "spill-private.h"
#include "survey-private.h"
#include <string.h>

void
cx_sink_scratch_init(CxSinkScratch *b)
{
  GArray **events[] = { &b->gather, &b->scratch, &b->out, &b->dd };
  for (gsize i = 0; i < G_N_ELEMENTS(events); i++)
    *events[i] = g_array_new(FALSE, FALSE, sizeof(CxEvent));
  GArray **ids[] = { &b->gather_vals, &b->idx, &b->pending, &b->out_src };
  for (gsize i = 0; i < G_N_ELEMENTS(ids); i++)
    *ids[i] = g_array_new(FALSE, FALSE, sizeof(guint32));
  GArray **attrs[] = { &b->gather_attrs, &b->jattrs, &b->inst_attrs };
  for (gsize i = 0; i < G_N_ELEMENTS(attrs); i++)
    *attrs[i] = g_array_new(FALSE, FALSE, sizeof(CxAttr));
  b->keys = g_array_new(FALSE, FALSE, sizeof(CxSinkKey));
  b->inst_at = g_array_new(FALSE, FALSE, sizeof(guint));
  b->cut_name = g_string_new(NULL);
}

void
cx_sink_scratch_clear(CxSinkScratch *b)
{
  GArray *arrays[] = { b->gather,     b->scratch, b->out,     b->dd,           b->gather_vals,
                       b->idx,        b->pending, b->out_src, b->gather_attrs, b->jattrs,
                       b->inst_attrs, b->keys,    b->inst_at };
  for (gsize i = 0; i < G_N_ELEMENTS(arrays); i++)
    g_array_free(arrays[i], TRUE);
  g_string_free(b->cut_name, TRUE);
  memset(b, 0, sizeof *b);
}

CxSink *
cx_sink_new(CxLog *log, CxJourneyFunc func, gpointer user_data)
{
  CxSink *s = g_new0(CxSink, 1);
  s->log = log;
  s->func = func;
  s->data = user_data;
  s->ops = &cx_sink_direct_ops;
  s->opts = cx_log_options(log);
  s->counts = cx_log_tally(log);
  s->pool.activities = cx_log_activities(log);
  s->pool.resources = cx_log_resources(log);
  s->pool.channels = cx_log_channels(log);
  s->pool.cases = cx_log_cases(log);
  s->pool.keys = cx_log_keys(log);
  s->pool.values = cx_log_values(log);
  s->survey = cx_log_survey(log);
  s->want = cx_log_wants(log);
  s->want_slots = cx_log_want_slots(log);
  s->key_types = cx_log_key_types(log);
  s->mem.budget = s->opts->memory != 0 ? (gsize)s->opts->memory : CX_MEMORY_DEFAULT;
  cx_buffer_init(&s->trace_events, sizeof(CxEvent), &s->mem);
  s->trace_attrs = g_array_new(FALSE, FALSE, sizeof(CxAttr));
  cx_buffer_init(&s->events, sizeof(CxNarrowEvent), &s->mem);
  cx_buffer_init(&s->event_case, sizeof(guint32), &s->mem);
  s->case_raw = g_array_new(FALSE, TRUE, sizeof(guint32));
  s->case_attrs = g_array_new(FALSE, FALSE, sizeof(guint32));
  s->seen = g_array_new(FALSE, TRUE, sizeof(guint8));
  cx_sink_scratch_init(&s->b);
  s->src_dups = g_new0(guint64, MAX(cx_log_n_sources(log), 1));
  s->trace_case = G_MAXUINT32;
  s->trace_name = g_string_sized_new(64);
  s->last_case = G_MAXUINT32;
  s->nwant = s->want_slots != NULL ? s->want_slots->len : 0;
  s->nslots = s->nwant;
  if (s->opts->event_attrs) {
    s->bag_slot = s->nslots;
    s->nslots += 2;
  }
  cx_buffer_init(&s->bag, sizeof(CxAttr), &s->mem);
  s->ev_vals = g_new0(guint32, MAX(s->nslots, 1));
  cx_buffer_init(&s->trace_vals, sizeof(guint32) * MAX(s->nslots, 1), &s->mem);
  cx_buffer_init(&s->event_vals, sizeof(guint32) * MAX(s->nslots, 1), &s->mem);
  s->units = g_array_new(FALSE, TRUE, sizeof(gint64));
  s->src_tz = cx_log_naive_tz(log);
  s->multi = cx_log_n_sources(log) > 1;
  s->window = 0;
  s->anonymous = !cx_log_names_cases(log) && s->opts->filters == NULL && s->opts->journey_gap <= 0
                 && s->opts->journey_starts_with == NULL;
  return s;
}

void
cx_sink_free(CxSink *s)
{
  if (s == NULL)
    return;
  GArray *arrays[] = { s->trace_attrs, s->case_raw, s->case_attrs, s->seen, s->units };
  for (gsize i = 0; i < G_N_ELEMENTS(arrays); i++)
    g_array_free(arrays[i], TRUE);
  cx_buffer_clear(&s->events);
  cx_buffer_clear(&s->trace_events);
  g_string_free(s->trace_name, TRUE);
  cx_buffer_clear(&s->event_case);
  cx_buffer_clear(&s->trace_vals);
  cx_buffer_clear(&s->event_vals);
  cx_buffer_clear(&s->bag);
  cx_spill_free(s->spill);
  if (s->unit_fit != NULL)
    g_byte_array_unref(s->unit_fit);
  g_free(s->ev_vals);
  g_free(s->prints);
  g_free(s->src_dups);
  cx_sink_scratch_clear(&s->b);
  g_free(s);
}

void
cx_sink_split_finish(CxSink *s, CxForkFunc fork, CxMergeFunc merge, guint threads,
                     guint64 min_events)
{
  s->split.fork = fork;
  s->split.merge = merge;
  s->split.threads = fork != NULL && merge != NULL ? threads : 1;
  s->split.min_events = min_events;
}

void
cx_sink_set_source_channel(CxSink *s, const char *channel)
{
  s->source_channel = channel != NULL ? cx_pool_intern(s->pool.channels, channel, -1) : CX_ID_NONE;
}

void
cx_sink_set_streaming(CxSink *s, gboolean streaming)
{
  s->streaming = streaming;
  s->counts->grouped = !streaming;
}

gboolean
cx_sink_saw_repeat(const CxSink *s)
{
  return s->saw_repeat;
}

void
cx_sink_ask_one_thread(CxSink *s)
{
  s->one_thread = TRUE;
}

gboolean
cx_sink_asked_one_thread(const CxSink *s)
{
  return s->one_thread;
}

GTimeZone *
cx_sink_naive_tz(const CxSink *s)
{
  return s->src_tz;
}

void
cx_sink_set_source(CxSink *s, guint index, const CxSourceSpec *spec)
{
  cx_sink_set_source_channel(s, spec->channel);
  s->src_flags = MIN(index, CX_EVENT_SOURCE_MAX) << CX_EVENT_SOURCE_SHIFT;
  s->src_lc = spec->over != NULL ? spec->over->lifecycle : CX_LIFECYCLE_MODE_AUTO;
  if (s->src_lc != CX_LIFECYCLE_MODE_ALL && s->src_lc != CX_LIFECYCLE_MODE_COMPLETE)
    s->src_lc = CX_LIFECYCLE_MODE_AUTO;
  s->src_tz = spec->tz;
}

/* A source's own lifecycle handling; FALSE = the event is dropped. */
static inline gboolean
source_event(CxSink *s, CxEvent *e)
{
  e->flags |= s->src_flags;
  if (G_LIKELY(s->src_lc == CX_LIFECYCLE_MODE_AUTO))
    return TRUE;
  guint lc = e->flags & CX_EVENT_LIFECYCLE_MASK;
  if (s->src_lc == CX_LIFECYCLE_MODE_ALL) {
    e->flags &= ~CX_EVENT_LIFECYCLE_MASK; /* complete */
    return TRUE;
  }
  if (lc == CX_LIFECYCLE_COMPLETE)
    return TRUE;
  s->counts->lifecycle_dropped++;
  return FALSE;
}

gboolean
cx_sink_wants_event_attrs(const CxSink *s)
{
  /* the survey of an empty selection looks at every attribute */
  return s->nslots > 0 || s->survey != NULL;
}

/* The wanted values of the event being read go with it (@dst: trace_vals
 * or event_vals), or are forgotten when it is dropped (@dst NULL). */
static inline void
take_vals(CxSink *s, CxBuffer *dst)
{
  if (G_LIKELY(s->nslots == 0))
    return;
  if (dst != NULL) {
    guint32 *slot = cx_buffer_push(dst); /* NULL: over the budget, which the trace's end reports */
    if (slot != NULL)
      memcpy(slot, s->ev_vals, sizeof(guint32) * s->nslots);
  }
  memset(s->ev_vals, 0, sizeof(guint32) * s->nslots);
}

static void
count_invalid(CxSink *s)
{
  s->counts->invalid_skipped++;
  take_vals(s, NULL);
}

static void
note_naive_time(CxSink *s)
{
  s->counts->naive_times = TRUE;
}

static void
count_guessed_date(CxSink *s)
{
  s->counts->dates_guessed++;
}

/* Notes the declared type of key @k: the first seen, or a string when they differ. */
static inline void
note_type(CxSink *s, guint32 k, guint flags)
{
  GByteArray *t = s->key_types;
  guint8 v = (guint8)((flags & 0xFu) + 1);
  if (k >= t->len) {
    guint old = t->len;
    g_byte_array_set_size(t, MAX(k + 1, old * 2));
    memset(t->data + old, 0, t->len - old);
  }
  if (t->data[k] == 0)
    t->data[k] = v;
  else if (t->data[k] != v)
    t->data[k] = CX_ATTR_STRING + 1;
}

/* With event_attrs: an attribute of the event being read goes to the bag. */
static void
bag_attr(CxSink *s, const char *key, gsize key_len, const char *value, gsize value_len, guint flags)
{
  if ((flags & CX_SINK_ATTR_MAPPED) || value_len == 0)
    return;
  guint32 k = cx_pool_intern(s->pool.keys, key, (gssize)key_len);
  note_type(s, k, flags);
  CxAttr *a = cx_buffer_push(&s->bag); /* NULL: over the budget, which the trace's end reports */
  if (a == NULL)
    return;
  a->key = k;
  a->value = cx_pool_intern(s->pool.values, value, (gssize)value_len);
  if (s->ev_vals[s->bag_slot] == 0)
    s->ev_vals[s->bag_slot] = (guint32)s->bag.len;
  s->ev_vals[s->bag_slot + 1]++;
}

static void
event_attr(CxSink *s, const char *key, gsize key_len, const char *value, gsize value_len,
           guint flags)
{
  if (G_UNLIKELY(s->survey != NULL))
    cx_survey_attr(s->survey, key, key_len, value, value_len);
  if (s->opts->event_attrs)
    bag_attr(s, key, key_len, value, value_len, flags);
  guint32 k = cx_pool_lookup(s->pool.keys, key, (gssize)key_len);
  if (k == G_MAXUINT32)
    return;
  if (value_len == 0)
    return;
  const guint32 *sk = s->nwant > 0 ? (const guint32 *)s->want_slots->data : NULL;
  for (guint i = 0; i < s->nwant; i++)
    if (sk[i] == k && s->ev_vals[i] == 0) /* an event's own value before a default */
      s->ev_vals[i] = cx_pool_intern(s->pool.values, value, (gssize)value_len);
}

guint32
cx_sink_intern_name(CxSink *s, guint field, const char *str, gsize len)
{
  if (field == 0)
    return cx_pool_intern(s->pool.activities, str, (gssize)len);
  if (str == NULL || len == 0)
    return field == 1 ? CX_ID_NONE : s->source_channel;
  return cx_pool_intern(field == 1 ? s->pool.resources : s->pool.channels, str, (gssize)len);
}

static CxEvent
intern_event(CxSink *s, const CxRawEvent *ev)
{
  return cx_sink_event_of(cx_sink_intern_name(s, 0, ev->activity, ev->activity_len),
                          cx_sink_intern_name(s, 1, ev->resource, ev->resource_len),
                          cx_sink_intern_name(s, 2, ev->channel, ev->channel_len), ev->lifecycle,
                          ev->time, ev->start);
}

/* ---------- traces ---------- */

static void
trace_begin(CxSink *s)
{
  s->trace_events.len = 0;
  s->trace_vals.len = 0;
  if (s->streaming)
    s->bag.len = 0;
  g_array_set_size(s->trace_attrs, 0);
  s->trace_case = G_MAXUINT32;
  s->named = FALSE;
  s->trace_raw = 0;
}

static void
trace_attr(CxSink *s, const char *key, gsize key_len, const char *value, gsize value_len,
           guint type)
{
  if (G_UNLIKELY(s->survey != NULL))
    cx_survey_attr(s->survey, key, key_len, value, value_len);
  /* the case id is the journey's name, not one of its attributes: interning
   * it once (in cases) keeps a per-trace miss out of the hot path */
  if (key_len == 12 && memcmp(key, "concept:name", 12) == 0) {
    /* interned at the trace's end: meanwhile the table slot is fetched,
     * since a new case id is a cache miss in a big table */
    if (!s->named) {
      s->named = TRUE;
      g_string_truncate(s->trace_name, 0);
      g_string_append_len(s->trace_name, value, (gssize)value_len);
      if (!s->anonymous)
        cx_pool_prefetch(s->pool.cases, value, value_len);
    }
    return;
  }
  CxAttr a;
  a.key = cx_pool_intern(s->pool.keys, key, (gssize)key_len);
  note_type(s, a.key, type);
  for (guint i = 0; i < s->trace_attrs->len; i++)
    if (g_array_index(s->trace_attrs, CxAttr, i).key == a.key)
      return; /* first value wins */
  a.value = cx_pool_intern(s->pool.values, value, (gssize)value_len);
  g_array_append_val(s->trace_attrs, a);
}

void
cx_sink_push_event(CxSink *s, const CxEvent *e)
{
  s->counts->events_read++;
  s->trace_raw++;
  if (e == NULL) {
    s->counts->no_activity++;
    take_vals(s, NULL);
    return;
  }
  CxEvent ev = *e;
  if (!source_event(s, &ev)) {
    take_vals(s, NULL);
    return;
  }
  if (e->time == CX_TS_NONE)
    s->counts->no_timestamp++;
  CxEvent *slot = cx_buffer_push(&s->trace_events);
  if (slot != NULL)
    *slot = ev;
  take_vals(s, slot != NULL ? &s->trace_vals : NULL);
}

/* Counts a new case's id and per-case arrays against the budget, spilling
 * the grouped events to make room; the ids themselves cannot spill.  @n
 * cases in all, each costing @per_case bytes and its id's @id_len. */
static gboolean
account_cases(CxSink *s, guint n, gsize per_case, gsize id_len, GError **error)
{
  if (n <= s->cases_accounted)
    return TRUE;
  gsize cost = (gsize)(n - s->cases_accounted) * per_case + id_len;
  if (s->mem.used + cost > s->mem.budget && !s->streaming && s->events.len > 0
      && !cx_sink_spill(s, error))
    return FALSE;
  s->cases_accounted = n;
  s->case_bytes += cost;
  if (s->mem.used + cost > s->mem.budget) {
    g_autofree char *budget = cx_budget_text(s->mem.budget);
    g_set_error(error, CX_READER_ERROR, CX_READER_ERROR_MEMORY,
                "out of memory: the %u case ids need more than the memory budget of %s "
                "(they stay in memory; raise it with --memory SIZE)",
                n, budget);
    return FALSE;
  }
  s->mem.used += cost;
  return TRUE;
}

void
cx_sink_hold(CxSink *s, gsize bytes)
{
  bytes = MIN(bytes, s->mem.budget / 4);
  if (bytes <= s->mem.held)
    return;
  s->mem.used += bytes - s->mem.held;
  s->mem.held = bytes;
}

void
cx_sink_unhold(CxSink *s)
{
  s->mem.used -= MIN(s->mem.used, s->mem.held);
  s->mem.held = 0;
}

static gboolean
account_case(CxSink *s, gsize id_len, GError **error)
{
  /* the pool's entry and the per-case arrays, and the two index arrays a
   * spill sorts by case with (group_by_case in build.c) */
  return account_cases(s, cx_pool_size(s->pool.cases), 48 + 2 * sizeof(guint32), id_len + 1, error);
}

/* Adds the fingerprint @h to the set: FALSE when it was there. */
static gboolean
prints_add(CxSink *s, guint64 h)
{
  h = h != 0 ? h : 1;
  /* up to 7/8 full: a probe per trace, not per event, so a long run
   * costs little, and the set takes 9 to 18 bytes a case */
  if ((s->prints_len + 1) * 8 > s->prints_cap * 7) {
    gsize cap = s->prints_cap != 0 ? s->prints_cap * 2 : 1024;
    guint64 *t = g_new0(guint64, cap);
    for (gsize i = 0; i < s->prints_cap; i++) {
      guint64 v = s->prints[i];
      if (v == 0)
        continue;
      gsize k = (gsize)cx_u64_mix(v) & (cap - 1);
      while (t[k] != 0)
        k = (k + 1) & (cap - 1);
      t[k] = v;
    }
    g_free(s->prints);
    s->prints = t;
    s->prints_cap = cap;
  }
  gsize k = (gsize)cx_u64_mix(h) & (s->prints_cap - 1);
  while (s->prints[k] != 0) {
    if (s->prints[k] == h)
      return FALSE;
    k = (k + 1) & (s->prints_cap - 1);
  }
  s->prints[k] = h;
  s->prints_len++;
  return TRUE;
}

/* The end of a trace of a streamed log whose journeys need no names: the
 * case's fingerprint instead of its id (9 to 18 bytes a case with the
 * set's room, counted as 16 against the budget), the journey numbered. */
static gboolean
anonymous_trace_end(CxSink *s, GError **error)
{
  char name[32];
  const char *id = s->trace_name->str;
  gsize len = s->trace_name->len;
  if (s->trace_events.len == 0) {
    s->counts->empty_traces++;
    return TRUE;
  }
  if (!s->named) {
    /* as a named one would be: "#17", the trace's place in the file */
    len = (gsize)g_snprintf(name, sizeof name, "#%" G_GUINT64_FORMAT, s->counts->traces_read);
    id = name;
    s->counts->unnamed_traces++;
  }
  if (!account_cases(s, s->anon_next + 1, 16, 0, error))
    return FALSE;
  if (!prints_add(s, cx_hash_bytes(id, len))) {
    s->saw_repeat = TRUE;
    g_set_error(error, CX_READER_ERROR, CX_READER_ERROR_PARSE,
                "case '%s' appears in more than one trace", id);
    return FALSE;
  }
  return cx_sink_emit(s, ++s->anon_next, (const CxEvent *)s->trace_events.data,
                      (const guint32 *)s->trace_vals.data, s->trace_events.len, s->trace_raw,
                      (const CxAttr *)s->trace_attrs->data, s->trace_attrs->len, error);
}

gboolean
cx_sink_no_room(CxSink *s, GError **error)
{
  g_autofree char *budget = cx_budget_text(s->mem.budget);
  g_set_error(error, CX_READER_ERROR, CX_READER_ERROR_MEMORY,
              "out of memory: what cannot spill to disk (%u case ids, the trace being read) "
              "leaves no room for grouped events in the memory budget of %s "
              "(raise it with --memory SIZE)",
              cx_pool_size(s->pool.cases), budget);
  return FALSE;
}

gboolean
cx_sink_grouped_room(CxSink *s, gsize k, GError **error)
{
  /* room is left for what more events bring along: a spill's index (4
   * bytes an event) and new case ids at the rate seen so far, so that the
   * buffers fill up before the budget says spill */
  gsize along
      = sizeof(guint32)
        + (s->counts->events_read > 0 ? (gsize)(s->case_bytes / s->counts->events_read) : 0);
  for (guint tries = 0;; tries++) {
    CxBuffer *bufs[] = { &s->events, &s->event_case, &s->event_vals };
    if (cx_buffers_reserve(bufs, s->nslots > 0 ? 3 : 2, s->events.len + k, along))
      return TRUE;
    /* the system said no: spilling (which allocates) would not help */
    if (s->mem.refused)
      return cx_budget_error(&s->mem, error);
    /* once spilled, what is left of the budget is all there is */
    if (tries > 0 || s->events.len == 0)
      return cx_sink_no_room(s, error);
    if (!cx_sink_spill(s, error))
      return FALSE;
  }
}

/* Widens CxSink.events to CxEvents in place, or spills them (narrow)
 * first when the budget has no room for that; FALSE with @error set. */
static G_GNUC_NO_INLINE gboolean
widen_events(CxSink *s, GError **error)
{
  CxBuffer *b = &s->events;
  if (b->len > 0 && !cx_buffer_widen(b, sizeof(CxEvent))) {
    if (s->mem.refused)
      return cx_budget_error(&s->mem, error);
    if (!cx_sink_spill(s, error))
      return FALSE;
  }
  if (b->len == 0) {
    cx_buffer_clear(b);
    b->elem = sizeof(CxEvent);
    return TRUE;
  }
  /* from the last: event k's wide bytes cover only narrow ones after it */
  for (gsize k = b->len; k-- > 0;) {
    CxEvent w = cx_grouped_get(b->data, sizeof(CxNarrowEvent), k);
    cx_grouped_set(b->data, sizeof(CxEvent), k, &w);
  }
  return TRUE;
}

/* Makes CxSink.events able to hold @e[0..n): as they are while each fits
 * 16 bytes (or they are wide already), else widened; FALSE with @error set
 * when there is no room. */
static inline gboolean
fit_events(CxSink *s, const CxEvent *e, gsize n, GError **error)
{
  if (s->events.elem == sizeof(CxEvent))
    return TRUE;
  for (gsize i = 0; i < n; i++)
    if (G_UNLIKELY(!cx_narrow_fits(&e[i])))
      return widen_events(s, error);
  return TRUE;
}

static void
trace_event(CxSink *s, const CxRawEvent *ev)
{
  if (ev->activity == NULL) {
    cx_sink_push_event(s, NULL);
    return;
  }
  CxEvent e = intern_event(s, ev);
  cx_sink_push_event(s, &e);
}

void
cx_sink_ensure_case(CxSink *s, guint32 case_id)
{
  if (case_id >= s->seen->len)
    g_array_set_size(s->seen, MAX(case_id + 1, s->seen->len * 2));
  /* raw event counts matter only to grouped cases: a streamed log, one
   * case at a time, pays a byte a case, not five */
  if (!s->streaming && case_id >= s->case_raw->len)
    g_array_set_size(s->case_raw, s->seen->len);
}

static gboolean
trace_end(CxSink *s, GError **error)
{
  if (s->mem.failed)
    return cx_budget_error(&s->mem, error);
  s->counts->traces_read++;
  if (s->anonymous && s->streaming)
    return anonymous_trace_end(s, error);
  if (s->named)
    s->trace_case = cx_pool_intern(s->pool.cases, s->trace_name->str, (gssize)s->trace_name->len);
  if (s->trace_case == G_MAXUINT32 && s->trace_events.len > 0) {
    /* a trace is a journey even without a name: it is called by its place
     * in the file ("#17"), counted, and kept apart from every other trace */
    char name[32];
    int n = g_snprintf(name, sizeof name, "#%" G_GUINT64_FORMAT, s->counts->traces_read);
    s->trace_case = cx_pool_intern(s->pool.cases, name, n);
    s->counts->unnamed_traces++;
  }
  if (s->trace_case == G_MAXUINT32) {
    s->counts->empty_traces++;
    return TRUE;
  }
  if (s->trace_events.len == 0) {
    s->counts->empty_traces++;
    return TRUE;
  }
  guint32 c = s->trace_case;
  if (!account_case(s, s->trace_name->len, error))
    return FALSE;
  cx_sink_ensure_case(s, c);
  if (s->streaming) {
    if (g_array_index(s->seen, guint8, c)) {
      /* the flag tells the driver to start over; the error only stops the reader */
      s->saw_repeat = TRUE;
      g_set_error(error, CX_READER_ERROR, CX_READER_ERROR_PARSE,
                  "case '%s' appears in more than one trace", cx_pool_get(s->pool.cases, c));
      return FALSE;
    }
    g_array_index(s->seen, guint8, c) = 1;
    return cx_sink_emit(s, c, (const CxEvent *)s->trace_events.data,
                        (const guint32 *)s->trace_vals.data, s->trace_events.len, s->trace_raw,
                        (const CxAttr *)s->trace_attrs->data, s->trace_attrs->len, error);
  }
  /* grouped: append the trace to the buffers */
  g_array_index(s->seen, guint8, c) = 1;
  g_array_index(s->case_raw, guint32, c) += s->trace_raw;
  if (!cx_sink_case_fits(s, c, error))
    return FALSE;
  const CxEvent *te = (const CxEvent *)s->trace_events.data;
  if (!fit_events(s, te, s->trace_events.len, error)
      || !cx_sink_grouped_room(s, s->trace_events.len, error))
    return FALSE;
  if (s->events.elem == sizeof(CxEvent))
    memcpy(s->events.data + s->events.len * sizeof(CxEvent), te,
           s->trace_events.len * sizeof(CxEvent));
  else
    for (gsize i = 0; i < s->trace_events.len; i++)
      cx_grouped_set(s->events.data, s->events.elem, s->events.len + i, &te[i]);
  s->events.len += s->trace_events.len;
  if (s->nslots > 0) {
    memcpy(s->event_vals.data + s->event_vals.len * s->event_vals.elem, s->trace_vals.data,
           s->trace_vals.len * s->trace_vals.elem);
    s->event_vals.len += s->trace_vals.len;
  }
  for (guint i = 0; i < s->trace_events.len; i++)
    ((guint32 *)s->event_case.data)[s->event_case.len++] = c;
  for (guint i = 0; i < s->trace_attrs->len; i++) {
    const CxAttr *a = &g_array_index(s->trace_attrs, CxAttr, i);
    guint32 t[3] = { c, a->key, a->value };
    g_array_append_vals(s->case_attrs, t, 3);
  }
  return TRUE;
}

/* ---------- the calls of cxmine/sink.h: now, or recorded for the worker ---------- */

void
cx_sink_count_invalid(CxSink *s)
{
  s->ops->count_invalid(s);
}

void
cx_sink_note_naive_time(CxSink *s)
{
  s->ops->note_naive_time(s);
}

void
cx_sink_count_guessed_date(CxSink *s)
{
  s->ops->count_guessed_date(s);
}

void
cx_sink_event_attr_full(CxSink *s, const char *key, gsize key_len, const char *value,
                        gsize value_len, guint flags)
{
  s->ops->event_attr(s, key, key_len, value, value_len, flags);
}

void
cx_sink_event_attr(CxSink *s, const char *key, gsize key_len, const char *value, gsize value_len)
{
  cx_sink_event_attr_full(s, key, key_len, value, value_len, CX_ATTR_STRING);
}

void
cx_sink_trace_begin(CxSink *s)
{
  s->ops->trace_begin(s);
}

void
cx_sink_trace_attr_typed(CxSink *s, const char *key, gsize key_len, const char *value,
                         gsize value_len, guint type)
{
  s->ops->trace_attr(s, key, key_len, value, value_len, type);
}

void
cx_sink_trace_attr(CxSink *s, const char *key, gsize key_len, const char *value, gsize value_len)
{
  cx_sink_trace_attr_typed(s, key, key_len, value, value_len, CX_ATTR_STRING);
}

void
cx_sink_trace_event(CxSink *s, const CxRawEvent *ev)
{
  s->ops->trace_event(s, ev);
}

gboolean
cx_sink_trace_end(CxSink *s, GError **error)
{
  return s->ops->trace_end(s, error);
}

/* ---------- rows ---------- */

/* The row's case: FALSE with @error set on failure, *@go FALSE when the
 * row ends here (no case id). */
static gboolean
row_case(CxSink *s, const char *case_id, gsize case_len, gboolean *new_case, gboolean *go,
         GError **error)
{
  *go = FALSE;
  s->counts->events_read++;
  if (new_case != NULL)
    *new_case = FALSE;
  if (case_id == NULL || case_len == 0) {
    s->counts->no_case++;
    s->last_case = G_MAXUINT32;
    take_vals(s, NULL);
    return TRUE;
  }
  guint32 c = cx_pool_intern(s->pool.cases, case_id, (gssize)case_len);
  if (!account_case(s, case_len, error))
    return FALSE;
  cx_sink_ensure_case(s, c);
  s->last_case = c;
  if (!g_array_index(s->seen, guint8, c)) {
    g_array_index(s->seen, guint8, c) = 1;
    s->counts->traces_read++;
    if (new_case != NULL)
      *new_case = TRUE;
  }
  g_array_index(s->case_raw, guint32, c)++;
  /* (36 bytes: the smallest record, so the full check runs in time) */
  if (G_UNLIKELY((guint64)g_array_index(s->case_raw, guint32, c) * 36 > s->mem.budget)
      && !cx_sink_case_fits(s, c, error))
    return FALSE;
  *go = TRUE;
  return TRUE;
}

/* The row's event, after row_case(). */
static gboolean
row_event(CxSink *s, const CxEvent *ev, GError **error)
{
  if (ev == NULL) {
    s->counts->no_activity++;
    take_vals(s, NULL);
    return TRUE;
  }
  CxEvent e = *ev;
  if (!source_event(s, &e)) {
    take_vals(s, NULL);
    return TRUE;
  }
  if (ev->time == CX_TS_NONE)
    s->counts->no_timestamp++;
  if (!fit_events(s, &e, 1, error)
      || (G_UNLIKELY(s->events.len == s->events.cap || s->event_case.len == s->event_case.cap
                     || (s->nslots > 0 && s->event_vals.len == s->event_vals.cap))
          && !cx_sink_grouped_room(s, 1, error))) {
    take_vals(s, NULL);
    return FALSE;
  }
  cx_buffer_push(&s->events);
  cx_grouped_set(s->events.data, s->events.elem, s->events.len - 1, &e);
  guint32 *slot_case = cx_buffer_push(&s->event_case);
  take_vals(s, &s->event_vals);
  *slot_case = s->last_case;
  return TRUE;
}

static gboolean
row(CxSink *s, const char *case_id, gsize case_len, const CxRawEvent *ev, gboolean *new_case,
    GError **error)
{
  gboolean go;
  if (!row_case(s, case_id, case_len, new_case, &go, error))
    return FALSE;
  if (!go)
    return TRUE;
  /* the names are interned only for a row with a case id and an activity */
  if (ev->activity == NULL)
    return row_event(s, NULL, error);
  CxEvent e = intern_event(s, ev);
  return row_event(s, &e, error);
}

gboolean
cx_sink_push_row(CxSink *s, const char *case_id, gsize case_len, const CxEvent *e,
                 gboolean *new_case, GError **error)
{
  gboolean go;
  if (!row_case(s, case_id, case_len, new_case, &go, error))
    return FALSE;
  return !go || row_event(s, e, error);
}

static void
row_case_attr(CxSink *s, const char *key, gsize key_len, const char *value, gsize value_len)
{
  if (s->last_case == G_MAXUINT32)
    return;
  if (G_UNLIKELY(s->survey != NULL))
    cx_survey_attr(s->survey, key, key_len, value, value_len);
  guint32 k = cx_pool_intern(s->pool.keys, key, (gssize)key_len);
  note_type(s, k, CX_ATTR_STRING);
  guint32 v = cx_pool_intern(s->pool.values, value, (gssize)value_len);
  guint32 t[3] = { s->last_case, k, v };
  g_array_append_vals(s->case_attrs, t, 3);
}

gboolean
cx_sink_row(CxSink *s, const char *case_id, gsize case_len, const CxRawEvent *ev,
            gboolean *new_case, GError **error)
{
  return s->ops->row(s, case_id, case_len, ev, new_case, error);
}

void
cx_sink_row_case_attr(CxSink *s, const char *key, gsize key_len, const char *value, gsize value_len)
{
  s->ops->row_case_attr(s, key, key_len, value, value_len);
}

const CxSinkOps cx_sink_direct_ops = {
  trace_begin,   trace_attr,      event_attr,         trace_event, trace_end,
  count_invalid, note_naive_time, count_guessed_date, row,         row_case_attr,
};
