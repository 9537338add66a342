/* The event sink: interning, grouping per case, ordering, lifecycle pairing,
 * case filters. */
#define _GNU_SOURCE /* mremap */
#include "reader-private.h"
#include "log-private.h"
#include "relay-private.h"
#include "survey-private.h"
#include "filter-private.h"
#include <string.h>
#ifdef __linux__
#include <sys/mman.h>
#endif

/* A growable buffer for the grouped events.  It can hold every event of a big
 * log: on Linux it is mapped with transparent huge pages, so first touches
 * cost a page fault per 2 MiB instead of per 4 KiB, and it grows by mremap
 * without copying. */
/* The memory budget (CxReadOptions.memory): what the big buffers hold. */
typedef struct {
  gsize used, budget;
  gsize want;      /* bytes asked for when the budget or the system said no */
  gboolean failed; /* a push failed where no error could be set yet */
} Mem;

typedef struct {
  guint8 *data;
  gsize len, cap; /* elements */
  gsize elem;
  gsize bytes; /* allocated */
  gboolean mapped;
  Mem *mem;
} Big;

#define BIG_MAP_MIN (4u << 20)

static void
big_init(Big *b, gsize elem, Mem *mem)
{
  memset(b, 0, sizeof *b);
  b->elem = elem;
  b->mem = mem;
}

static void
big_clear(Big *b)
{
#ifdef __linux__
  if (b->mapped)
    munmap(b->data, b->bytes);
  else
#endif
    g_free(b->data);
  b->mem->used -= MIN(b->mem->used, b->bytes);
  big_init(b, b->elem, b->mem);
}

/* Makes room for @need elements within the budget, never aborting: FALSE
 * (and mem->want set) when the budget or the system refuses. */
static gboolean
big_reserve(Big *b, gsize need)
{
  if (need <= b->cap)
    return TRUE;
  gsize cap = MAX(need, b->cap < 1024 ? 1024 : b->cap * 2);
  gsize bytes = cap * b->elem;
#ifdef __linux__
  if (bytes >= BIG_MAP_MIN)
    bytes = (bytes + (2u << 20) - 1) & ~(gsize)((2u << 20) - 1);
#endif
  Mem *m = b->mem;
  if (m->used - b->bytes + bytes > m->budget) {
    /* the last doubling may not fit where the elements asked for still do */
    gsize tight = need * b->elem;
    if (m->used - b->bytes + tight > m->budget) {
      m->want = m->used - b->bytes + tight;
      return FALSE;
    }
    bytes = (m->budget - (m->used - b->bytes)) & ~(gsize)4095;
    if (bytes < tight)
      bytes = tight;
  }
  cap = bytes / b->elem;
#ifdef __linux__
  if (bytes >= BIG_MAP_MIN) {
    void *p;
    if (b->mapped)
      p = mremap(b->data, b->bytes, bytes, MREMAP_MAYMOVE);
    else {
      p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
      if (p != MAP_FAILED)
        memcpy(p, b->data, b->len * b->elem);
    }
    if (p == MAP_FAILED) {
      m->want = m->used - b->bytes + bytes;
      return FALSE;
    }
    if (!b->mapped)
      g_free(b->data);
    madvise(p, bytes, MADV_HUGEPAGE);
    m->used = m->used - b->bytes + bytes;
    b->data = p;
    b->bytes = bytes;
    b->mapped = TRUE;
    b->cap = cap;
    return TRUE;
  }
#endif
  guint8 *p = g_try_realloc(b->data, bytes);
  if (p == NULL) {
    m->want = m->used - b->bytes + bytes;
    return FALSE;
  }
  m->used = m->used - b->bytes + bytes;
  b->data = p;
  b->bytes = bytes;
  b->cap = cap;
  return TRUE;
}

/* NULL (and mem->failed set) when there is no room. */
static inline void *
big_push(Big *b)
{
  if (G_UNLIKELY(b->len == b->cap) && !big_reserve(b, b->len + 1)) {
    b->mem->failed = TRUE;
    return NULL;
  }
  return b->data + b->elem * b->len++;
}

struct _CxSink {
  CxLog *log;
  Mem mem;
  guint cases_accounted; /* case ids counted against the budget */
  CxJourneyFunc func;
  gpointer data;
  gboolean streaming;
  gboolean saw_repeat;
  guint32 source_channel;
  CxRelay *relay;       /* trace calls go through a worker thread while set */
  struct _Names *names; /* the relay's name cache */

  guint32 pending_match; /* where-clauses matched by the event being read */
  guint32 all_where;     /* mask of every clause */

  /* wanted attribute values (log->want): one slot per distinct key, each a
   * value id (0 = none) per event, kept beside the events */
  guint nslots;
  guint nwant;        /* slots of wanted attributes; with event_attrs two more follow: */
  guint bag_slot;     /* the event's first attribute in s->bag + 1 (0 = none), then their count */
  Big bag;            /* CxAttr: with event_attrs, every event's own attributes */
  GArray *inst_at;    /* guint: a journey's instances' places in its attributes */
  GArray *inst_attrs; /* CxAttr: a journey's instances' attributes */
  GArray *out_src; /* guint32 pairs per instance of make_instances: its events (G_MAXUINT32 none) */
  guint32 *ev_vals;    /* the event being read */
  Big trace_vals;      /* guint32[nslots] per trace event */
  Big event_vals;      /* guint32[nslots] per grouped event */
  GArray *gather_vals; /* guint32: one grouped case's */
  GArray *jattrs;      /* CxAttr: the journey's attributes with the wanted ones */
  gboolean sorted;     /* order_events sorted: s->keys holds the source index */
  GArray *idx;         /* guint32: the ordered events' places in the input (with nslots) */

  /* the source being read */
  guint32 src_flags;      /* its index << CX_EVENT_SOURCE_SHIFT */
  CxLifecycleMode src_lc; /* its own lifecycle handling: ALL, COMPLETE or AUTO (none) */
  GTimeZone *src_tz;      /* its zone for naive times */
  gboolean multi;         /* several sources: duplicates compare at each one's precision */
  GArray *units;          /* gint64 per source: the precision of its timestamps */
  gint64 window;          /* the coarsest of them */
  GArray *dd;             /* CxEvent: a journey without its duplicates */
  GString *cut_name;      /* "ID#k" */

  /* the trace in flight */
  Big trace_events;    /* CxEvent */
  GArray *trace_attrs; /* CxAttr */
  guint32 trace_case;  /* G_MAXUINT32 = unnamed so far */
  GString *trace_name; /* the case id, interned at the trace's end */
  gboolean named;
  guint32 trace_match;
  guint trace_raw;

  /* grouped events */
  Big events;         /* CxEvent */
  Big event_case;     /* guint32 case id per event */
  GArray *case_raw;   /* guint32 per case id: raw events */
  GArray *case_match; /* guint32 per case id: where mask */
  GArray *case_attrs; /* triples (case, key, value) as guint32 */
  GArray *seen;       /* guint8 per case id: 1 = seen in this scan */
  guint32 last_case;

  /* scratch for building one journey */
  GArray *scratch;      /* CxEvent */
  GArray *out;          /* CxEvent */
  GArray *keys;         /* gint64 sort keys + index */
  GArray *pending;      /* guint32 pairs (activity, slot) */
  GArray *gather;       /* CxEvent: one grouped case */
  GArray *gather_attrs; /* CxAttr: its attributes */
};

typedef struct {
  gint64 key;
  guint32 idx;
} SortKey;

CxSink *
cx_sink_new(CxLog *log, CxJourneyFunc func, gpointer user_data)
{
  CxSink *s = g_new0(CxSink, 1);
  s->log = log;
  s->func = func;
  s->data = user_data;
  s->mem.budget = log->opts.memory != 0 ? (gsize)log->opts.memory : CX_MEMORY_DEFAULT;
  big_init(&s->trace_events, sizeof(CxEvent), &s->mem);
  s->trace_attrs = g_array_new(FALSE, FALSE, sizeof(CxAttr));
  big_init(&s->events, sizeof(CxEvent), &s->mem);
  big_init(&s->event_case, sizeof(guint32), &s->mem);
  s->gather = g_array_new(FALSE, FALSE, sizeof(CxEvent));
  s->gather_attrs = g_array_new(FALSE, FALSE, sizeof(CxAttr));
  s->case_raw = g_array_new(FALSE, TRUE, sizeof(guint32));
  s->case_match = g_array_new(FALSE, TRUE, sizeof(guint32));
  s->case_attrs = g_array_new(FALSE, FALSE, sizeof(guint32));
  s->seen = g_array_new(FALSE, TRUE, sizeof(guint8));
  s->scratch = g_array_new(FALSE, FALSE, sizeof(CxEvent));
  s->out = g_array_new(FALSE, FALSE, sizeof(CxEvent));
  s->keys = g_array_new(FALSE, FALSE, sizeof(SortKey));
  s->pending = g_array_new(FALSE, FALSE, sizeof(guint32));
  s->trace_case = G_MAXUINT32;
  s->trace_name = g_string_sized_new(64);
  s->last_case = G_MAXUINT32;
  guint nw = log->where ? log->where->len : 0;
  s->all_where = nw >= 32 ? G_MAXUINT32 : (1u << nw) - 1;
  s->nwant = log->want_slots != NULL ? log->want_slots->len : 0;
  s->nslots = s->nwant;
  if (log->opts.event_attrs) {
    s->bag_slot = s->nslots;
    s->nslots += 2;
  }
  big_init(&s->bag, sizeof(CxAttr), &s->mem);
  s->inst_at = g_array_new(FALSE, FALSE, sizeof(guint));
  s->inst_attrs = g_array_new(FALSE, FALSE, sizeof(CxAttr));
  s->out_src = g_array_new(FALSE, FALSE, sizeof(guint32));
  if (log->key_types == NULL)
    log->key_types = g_byte_array_new();
  s->ev_vals = g_new0(guint32, MAX(s->nslots, 1));
  big_init(&s->trace_vals, sizeof(guint32) * MAX(s->nslots, 1), &s->mem);
  big_init(&s->event_vals, sizeof(guint32) * MAX(s->nslots, 1), &s->mem);
  s->gather_vals = g_array_new(FALSE, FALSE, sizeof(guint32));
  s->jattrs = g_array_new(FALSE, FALSE, sizeof(CxAttr));
  s->idx = g_array_new(FALSE, FALSE, sizeof(guint32));
  s->units = g_array_new(FALSE, TRUE, sizeof(gint64));
  s->dd = g_array_new(FALSE, FALSE, sizeof(CxEvent));
  s->cut_name = g_string_new(NULL);
  s->src_tz = log->naive_tz;
  s->multi = log->sources != NULL && log->sources->len > 1;
  s->window = 0;
  return s;
}

void
cx_sink_free(CxSink *s)
{
  if (s == NULL)
    return;
  if (s->relay != NULL)
    cx_sink_relay_stop(s, NULL);
  GArray *arrays[] = { s->trace_attrs,  s->case_raw,    s->case_match, s->case_attrs, s->seen,
                       s->scratch,      s->out,         s->keys,       s->pending,    s->gather,
                       s->gather_attrs, s->gather_vals, s->jattrs,     s->idx,        s->units,
                       s->dd,           s->inst_at,     s->inst_attrs, s->out_src };
  for (gsize i = 0; i < G_N_ELEMENTS(arrays); i++)
    g_array_free(arrays[i], TRUE);
  big_clear(&s->events);
  big_clear(&s->trace_events);
  g_string_free(s->trace_name, TRUE);
  big_clear(&s->event_case);
  big_clear(&s->trace_vals);
  big_clear(&s->event_vals);
  big_clear(&s->bag);
  g_free(s->ev_vals);
  g_string_free(s->cut_name, TRUE);
  g_free(s->names);
  g_free(s);
}

void
cx_sink_set_source_channel(CxSink *s, const char *channel)
{
  s->source_channel = channel != NULL ? cx_pool_intern(s->log->channels, channel, -1) : CX_ID_NONE;
}

void
cx_sink_set_streaming(CxSink *s, gboolean streaming)
{
  s->streaming = streaming;
  s->log->counts.grouped = !streaming;
}

gboolean
cx_sink_saw_repeat(const CxSink *s)
{
  return s->saw_repeat;
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
  s->log->counts.lifecycle_dropped++;
  return FALSE;
}

gboolean
cx_sink_wants_event_attrs(const CxSink *s)
{
  /* the survey of an empty selection looks at every attribute */
  return (s->log->where != NULL && s->log->where->len > 0) || s->nslots > 0
         || s->log->survey != NULL;
}

/* The wanted values of the event being read go with it (@dst: trace_vals
 * or event_vals), or are forgotten when it is dropped (@dst NULL). */
static inline void
take_vals(CxSink *s, Big *dst)
{
  if (G_LIKELY(s->nslots == 0))
    return;
  if (dst != NULL) {
    guint32 *slot = big_push(dst); /* NULL: over the budget, which the trace's end reports */
    if (slot != NULL)
      memcpy(slot, s->ev_vals, sizeof(guint32) * s->nslots);
  }
  memset(s->ev_vals, 0, sizeof(guint32) * s->nslots);
}

static void relay_op_aux(CxSink *s, guint32 op, const char *a, gsize alen, const char *b,
                         gsize blen, const CxRawEvent *ev, guint8 aux);
#define relay_op(s, op, a, alen, b, blen, ev) relay_op_aux(s, op, a, alen, b, blen, ev, 0)

enum {
  OP_BEGIN,
  OP_TRACE_ATTR,
  OP_EVENT_ATTR,
  OP_EVENT,
  OP_END,
  OP_INVALID,
  OP_NAIVE,
  OP_GUESSED,
  OP_NAME
};

void
cx_sink_count_invalid(CxSink *s)
{
  if (s->relay != NULL) {
    relay_op(s, OP_INVALID, NULL, 0, NULL, 0, NULL);
  } else {
    s->log->counts.invalid_skipped++;
    take_vals(s, NULL);
  }
}

void
cx_sink_note_naive_time(CxSink *s)
{
  if (s->relay != NULL)
    relay_op(s, OP_NAIVE, NULL, 0, NULL, 0, NULL);
  else
    s->log->counts.naive_times = TRUE;
}

void
cx_sink_count_guessed_date(CxSink *s)
{
  if (s->relay != NULL)
    relay_op(s, OP_GUESSED, NULL, 0, NULL, 0, NULL);
  else
    s->log->counts.dates_guessed++;
}

static guint32
match_where(CxSink *s, guint32 key, const char *value, gsize value_len)
{
  guint32 m = 0;
  GArray *w = s->log->where;
  for (guint i = 0; w != NULL && i < w->len && i < 32; i++) {
    const CxWhere *c = &g_array_index(w, CxWhere, i);
    if (c->key == key && c->value_len == value_len && memcmp(c->value, value, value_len) == 0)
      m |= 1u << i;
  }
  return m;
}

/* Notes the declared type of key @k: the first seen, or a string when they differ. */
static inline void
note_type(CxSink *s, guint32 k, guint flags)
{
  GByteArray *t = s->log->key_types;
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
  guint32 k = cx_pool_intern(s->log->keys, key, (gssize)key_len);
  note_type(s, k, flags);
  CxAttr *a = big_push(&s->bag); /* NULL: over the budget, which the trace's end reports */
  if (a == NULL)
    return;
  a->key = k;
  a->value = cx_pool_intern(s->log->values, value, (gssize)value_len);
  if (s->ev_vals[s->bag_slot] == 0)
    s->ev_vals[s->bag_slot] = (guint32)s->bag.len;
  s->ev_vals[s->bag_slot + 1]++;
}

static void
event_attr(CxSink *s, const char *key, gsize key_len, const char *value, gsize value_len,
           guint flags)
{
  if (G_UNLIKELY(s->log->survey != NULL))
    cx_survey_attr(s->log->survey, key, key_len, value, value_len);
  if (s->log->opts.event_attrs)
    bag_attr(s, key, key_len, value, value_len, flags);
  guint32 k = cx_pool_lookup(s->log->keys, key, (gssize)key_len);
  if (k == G_MAXUINT32)
    return;
  s->pending_match |= match_where(s, k, value, value_len);
  if (value_len == 0)
    return;
  const guint32 *sk = s->nwant > 0 ? (const guint32 *)s->log->want_slots->data : NULL;
  for (guint i = 0; i < s->nwant; i++)
    if (sk[i] == k && s->ev_vals[i] == 0) /* an event's own value before a default */
      s->ev_vals[i] = cx_pool_intern(s->log->values, value, (gssize)value_len);
}

/* The id of an event's activity (0), resource (1) or channel (2). */
static guint32
intern_name(CxSink *s, guint field, const char *str, gsize len)
{
  CxLog *log = s->log;
  if (field == 0)
    return cx_pool_intern(log->activities, str, (gssize)len);
  if (str == NULL || len == 0)
    return field == 1 ? CX_ID_NONE : s->source_channel;
  return cx_pool_intern(field == 1 ? log->resources : log->channels, str, (gssize)len);
}

static CxEvent
event_of(guint32 activity, guint32 resource, guint32 channel, CxLifecycle lifecycle, gint64 time,
         gint64 start)
{
  CxEvent e;
  e.time = time;
  e.start = start;
  e.activity = activity;
  e.resource = resource;
  e.channel = channel;
  e.flags = (guint32)lifecycle & CX_EVENT_LIFECYCLE_MASK;
  if (time == CX_TS_NONE)
    e.flags |= CX_EVENT_UNTIMED;
  return e;
}

static CxEvent
intern_event(CxSink *s, const CxRawEvent *ev)
{
  return event_of(intern_name(s, 0, ev->activity, ev->activity_len),
                  intern_name(s, 1, ev->resource, ev->resource_len),
                  intern_name(s, 2, ev->channel, ev->channel_len), ev->lifecycle, ev->time,
                  ev->start);
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
  s->trace_match = 0;
  s->trace_raw = 0;
  s->pending_match = 0;
}

static void
trace_attr(CxSink *s, const char *key, gsize key_len, const char *value, gsize value_len,
           guint type)
{
  if (G_UNLIKELY(s->log->survey != NULL))
    cx_survey_attr(s->log->survey, key, key_len, value, value_len);
  /* the case id is the journey's name, not one of its attributes: interning
   * it once (in cases) keeps a per-trace miss out of the hot path */
  if (key_len == 12 && memcmp(key, "concept:name", 12) == 0) {
    /* interned at the trace's end: meanwhile the table slot is fetched,
     * since a new case id is a cache miss in a big table */
    if (!s->named) {
      s->named = TRUE;
      g_string_truncate(s->trace_name, 0);
      g_string_append_len(s->trace_name, value, (gssize)value_len);
      cx_pool_prefetch(s->log->cases, value, value_len);
    }
    if (cx_sink_wants_event_attrs(s)) {
      guint32 k = cx_pool_lookup(s->log->keys, key, (gssize)key_len);
      if (k != G_MAXUINT32)
        s->trace_match |= match_where(s, k, value, value_len);
    }
    return;
  }
  CxAttr a;
  a.key = cx_pool_intern(s->log->keys, key, (gssize)key_len);
  note_type(s, a.key, type);
  for (guint i = 0; i < s->trace_attrs->len; i++)
    if (g_array_index(s->trace_attrs, CxAttr, i).key == a.key)
      return; /* first value wins */
  a.value = cx_pool_intern(s->log->values, value, (gssize)value_len);
  g_array_append_val(s->trace_attrs, a);
  s->trace_match |= match_where(s, a.key, value, value_len);
}

/* @e is NULL for an event without an activity. */
static void
trace_event_push(CxSink *s, const CxEvent *e)
{
  s->log->counts.events_read++;
  s->trace_raw++;
  s->trace_match |= s->pending_match;
  s->pending_match = 0;
  if (e == NULL) {
    s->log->counts.no_activity++;
    take_vals(s, NULL);
    return;
  }
  CxEvent ev = *e;
  if (!source_event(s, &ev)) {
    take_vals(s, NULL);
    return;
  }
  if (e->time == CX_TS_NONE)
    s->log->counts.no_timestamp++;
  CxEvent *slot = big_push(&s->trace_events);
  if (slot != NULL)
    *slot = ev;
  take_vals(s, slot != NULL ? &s->trace_vals : NULL);
}

/* The one error for an exhausted budget (mem->want says how much was asked). */
static gboolean
over_budget(CxSink *s, GError **error)
{
  /* as --memory takes it (g_format_size would put a non-breaking space in) */
  gsize b = s->mem.budget;
  g_autofree char *budget = b % ((gsize)1 << 30) == 0   ? g_strdup_printf("%zu GiB", b >> 30)
                            : b % ((gsize)1 << 20) == 0 ? g_strdup_printf("%zu MiB", b >> 20)
                            : b % ((gsize)1 << 10) == 0 ? g_strdup_printf("%zu KiB", b >> 10)
                                                        : g_strdup_printf("%zu bytes", b);
  g_set_error(error, CX_READER_ERROR, CX_READER_ERROR_MEMORY,
              "out of memory: the grouped events need more than the memory budget of %s "
              "(raise it with --memory SIZE; grouped events are not spilled to disk)",
              budget);
  return FALSE;
}

/* Counts a new case's id and per-case arrays against the budget. */
static gboolean
account_case(CxSink *s, gsize id_len)
{
  guint n = cx_pool_size(s->log->cases);
  if (n <= s->cases_accounted)
    return TRUE;
  gsize cost = (gsize)(n - s->cases_accounted) * 48 + id_len + 1;
  s->cases_accounted = n;
  if (s->mem.used + cost > s->mem.budget) {
    s->mem.want = s->mem.used + cost;
    return FALSE;
  }
  s->mem.used += cost;
  return TRUE;
}

static void
trace_event(CxSink *s, const CxRawEvent *ev)
{
  if (ev->activity == NULL) {
    trace_event_push(s, NULL);
    return;
  }
  CxEvent e = intern_event(s, ev);
  trace_event_push(s, &e);
}

static void
ensure_case_arrays(CxSink *s, guint32 case_id)
{
  if (case_id >= s->seen->len) {
    guint n = MAX(case_id + 1, s->seen->len * 2);
    g_array_set_size(s->seen, n);
    g_array_set_size(s->case_raw, n);
    g_array_set_size(s->case_match, n);
  }
}

static gboolean emit(CxSink *s, guint32 case_id, const CxEvent *ev, const guint32 *vals, guint n,
                     guint raw, const CxAttr *attrs, guint n_attrs, guint32 match, GError **error);

static gboolean
trace_end(CxSink *s, GError **error)
{
  CxLog *log = s->log;
  if (s->mem.failed)
    return over_budget(s, error);
  log->counts.traces_read++;
  if (s->named)
    s->trace_case = cx_pool_intern(log->cases, s->trace_name->str, (gssize)s->trace_name->len);
  if (s->trace_case == G_MAXUINT32 && s->trace_events.len > 0) {
    /* a trace is a journey even without a name: it is called by its place
     * in the file ("#17"), counted, and kept apart from every other trace */
    char name[32];
    int n = g_snprintf(name, sizeof name, "#%" G_GUINT64_FORMAT, log->counts.traces_read);
    s->trace_case = cx_pool_intern(log->cases, name, n);
    log->counts.unnamed_traces++;
  }
  if (s->trace_case == G_MAXUINT32) {
    log->counts.empty_traces++;
    return TRUE;
  }
  if (s->trace_events.len == 0) {
    log->counts.empty_traces++;
    return TRUE;
  }
  guint32 c = s->trace_case;
  if (!account_case(s, s->trace_name->len))
    return over_budget(s, error);
  ensure_case_arrays(s, c);
  if (s->streaming) {
    if (g_array_index(s->seen, guint8, c)) {
      s->saw_repeat = TRUE;
      g_set_error(error, CX_READER_ERROR, CX_READER_ERROR_RESTART,
                  "case '%s' appears in more than one trace", cx_pool_get(log->cases, c));
      return FALSE;
    }
    g_array_index(s->seen, guint8, c) = 1;
    return emit(s, c, (const CxEvent *)s->trace_events.data, (const guint32 *)s->trace_vals.data,
                s->trace_events.len, s->trace_raw, (const CxAttr *)s->trace_attrs->data,
                s->trace_attrs->len, s->trace_match, error);
  }
  /* grouped: append the trace to the buffers */
  g_array_index(s->seen, guint8, c) = 1;
  g_array_index(s->case_raw, guint32, c) += s->trace_raw;
  g_array_index(s->case_match, guint32, c) |= s->trace_match;
  if (!big_reserve(&s->events, s->events.len + s->trace_events.len)
      || !big_reserve(&s->event_case, s->event_case.len + s->trace_events.len))
    return over_budget(s, error);
  memcpy(s->events.data + s->events.len * sizeof(CxEvent), s->trace_events.data,
         s->trace_events.len * sizeof(CxEvent));
  s->events.len += s->trace_events.len;
  if (s->nslots > 0) {
    if (!big_reserve(&s->event_vals, s->event_vals.len + s->trace_vals.len))
      return over_budget(s, error);
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

/* ---------- the trace calls, now or through the worker thread ---------- */

/* One call as the worker reads it: a head, the lengths as guint32 when one
 * does not fit a guint16, the times of an event, then the strings' bytes.
 * Small records keep the bytes that cross between the cores few. */
typedef struct {
  guint8 op;
  guint8 aux;     /* an event's lifecycle; a name's field | slot << 2 */
  guint16 len[3]; /* activity/key, resource/value, channel */
} Head;

#define LEN_NONE  0xFFFFu     /* a NULL string */
#define LEN_LONG  0xFFFEu     /* the guint32 lengths follow the head */
#define LEN_SLOT  0x8000u     /* | slot: an event's name from the name cache */
#define LONG_SLOT 0xFFFFFF00u /* the same among the guint32 lengths */
#define OP_LONG   0x80u       /* some length is LEN_LONG */
#define OP_TIMED  0x40u       /* an event: time follows */
#define OP_START  0x20u       /* an event with a start time too */
#define OP_KIND   0x1Fu

/* An event's names cross to the worker once: each field (activity,
 * resource, channel) has a small direct-mapped cache of recent names on both
 * sides, and an event names a slot instead of carrying the bytes. This side
 * keeps the bytes to check a hit, the worker the interned id. */
#define NAME_SLOTS   64
#define NAME_MAX_LEN 119

typedef struct {
  guint64 head; /* first (up to) eight bytes */
  guint32 len;  /* 0 = empty */
  char str[NAME_MAX_LEN + 1];
} NameSlot;

struct _Names {
  NameSlot slot[3][NAME_SLOTS]; /* the reader's side */
  guint32 id[3][NAME_SLOTS];    /* the worker's side */
};

static inline guint64
name_head(const char *s, gsize len)
{
  guint64 w = 0;
  memcpy(&w, s, MIN(len, 8));
  return w;
}

static void relay_name(CxSink *s, guint field, guint slot, const char *str, gsize len);

/* The slot holding @str, sent to the worker first if it is new there; or
 * 0 when the name is not cached (none, empty, long). */
static guint16
name_slot(CxSink *s, guint field, const char *str, gsize len)
{
  if (str == NULL || len == 0 || len > NAME_MAX_LEN)
    return 0;
  guint64 head = name_head(str, len);
  guint i = (guint)(((head ^ len) * G_GUINT64_CONSTANT(0x9e3779b97f4a7c15)) >> 58);
  NameSlot *n = &s->names->slot[field][i];
  if (n->len != len || n->head != head || (len > 8 && memcmp(n->str + 8, str + 8, len - 8) != 0)) {
    n->len = (guint32)len;
    n->head = head;
    memcpy(n->str, str, len);
    relay_name(s, field, i, str, len);
  }
  return (guint16)(LEN_SLOT | i);
}

static void
relay_op_aux(CxSink *s, guint32 op, const char *a, gsize alen, const char *b, gsize blen,
             const CxRawEvent *ev, guint8 aux)
{
  const char *str[3] = { a, b, NULL };
  gsize len[3] = { alen, blen, 0 };
  guint16 slot[3] = { 0, 0, 0 };
  guint8 code = (guint8)op;
  if (ev != NULL) {
    str[0] = ev->activity;
    len[0] = ev->activity_len;
    str[1] = ev->resource;
    len[1] = ev->resource_len;
    str[2] = ev->channel;
    len[2] = ev->channel_len;
    code |= OP_TIMED;
    if (ev->start != CX_TS_NONE)
      code |= OP_START;
    for (guint i = 0; i < 3; i++)
      slot[i] = name_slot(s, i, str[i], len[i]);
  }
  gsize total = sizeof(Head);
  for (guint i = 0; i < 3; i++) {
    if (str[i] == NULL || slot[i] != 0)
      continue;
    /* readers bound values far below this */
    g_return_if_fail(len[i] < G_MAXUINT32);
    if (len[i] >= LEN_SLOT)
      code |= OP_LONG;
    total += len[i];
  }
  if (code & OP_LONG)
    total += 3 * sizeof(guint32) + 4;
  if (code & OP_TIMED)
    total += sizeof(gint64);
  if (code & OP_START)
    total += sizeof(gint64);
  guint8 *p = cx_relay_put(s->relay, total);
  Head *h = (Head *)p;
  h->op = code;
  h->aux = ev != NULL ? (guint8)ev->lifecycle : aux;
  p += sizeof(Head);
  for (guint i = 0; i < 3; i++)
    h->len[i] = slot[i] != 0             ? slot[i]
                : str[i] == NULL         ? LEN_NONE
                : (code & OP_LONG) != 0u ? LEN_LONG
                                         : (guint16)len[i];
  if (code & OP_LONG) {
    for (guint i = 0; i < 3; i++) {
      guint32 n = slot[i] != 0     ? LONG_SLOT | (slot[i] & ~LEN_SLOT)
                  : str[i] == NULL ? G_MAXUINT32
                                   : (guint32)len[i];
      memcpy(p, &n, sizeof n);
      p += sizeof n;
    }
    p += 4;
  }
  if (code & OP_TIMED) {
    memcpy(p, &ev->time, sizeof(gint64));
    p += sizeof(gint64);
  }
  if (code & OP_START) {
    memcpy(p, &ev->start, sizeof(gint64));
    p += sizeof(gint64);
  }
  for (guint i = 0; i < 3; i++) {
    if (str[i] == NULL || slot[i] != 0)
      continue;
    memcpy(p, str[i], len[i]);
    p += len[i];
  }
}

static void
relay_name(CxSink *s, guint field, guint slot, const char *str, gsize len)
{
  guint8 *p = cx_relay_put(s->relay, sizeof(Head) + len);
  Head *h = (Head *)p;
  h->op = OP_NAME;
  h->aux = (guint8)(field | slot << 2);
  h->len[0] = (guint16)len;
  h->len[1] = h->len[2] = LEN_NONE;
  memcpy(p + sizeof(Head), str, len);
}

static gboolean
replay(gpointer data, const guint8 *buf, gsize len, GError **error)
{
  CxSink *s = data;
  const guint8 *end = buf + len;
  while (buf < end) {
    const Head *h = (const Head *)buf;
    const guint8 *p = buf + sizeof(Head);
    const char *str[3];
    gsize n[3];
    guint32 code[3];
    for (guint i = 0; i < 3; i++)
      code[i] = h->len[i];
    if (h->op & OP_LONG) {
      for (guint i = 0; i < 3; i++) {
        memcpy(&code[i], p, sizeof code[i]);
        p += sizeof code[i];
      }
      p += 4;
    }
    gint64 time = CX_TS_NONE, start = CX_TS_NONE;
    if (h->op & OP_TIMED) {
      memcpy(&time, p, sizeof time);
      p += sizeof(gint64);
    }
    if (h->op & OP_START) {
      memcpy(&start, p, sizeof start);
      p += sizeof(gint64);
    }
    /* a string's bytes, none, or (an event's name) a slot of the cache */
    gboolean wide = (h->op & OP_LONG) != 0;
    guint32 none = wide ? G_MAXUINT32 : LEN_NONE;
    guint32 slot_base = wide ? LONG_SLOT : LEN_SLOT;
    guint32 ids[3] = { 0, 0, 0 };
    for (guint i = 0; i < 3; i++) {
      str[i] = NULL;
      n[i] = 0;
      if (code[i] == none)
        continue;
      if ((h->op & OP_KIND) == OP_EVENT && code[i] >= slot_base
          && code[i] < slot_base + NAME_SLOTS) {
        ids[i] = s->names->id[i][code[i] - slot_base];
        str[i] = ""; /* present: the id stands for it */
        n[i] = G_MAXSIZE;
        continue;
      }
      str[i] = (const char *)p;
      n[i] = code[i];
      p += n[i];
    }
    buf += ((gsize)(p - buf) + 7) & ~(gsize)7;
    switch (h->op & OP_KIND) {
      case OP_BEGIN:
        trace_begin(s);
        break;
      case OP_TRACE_ATTR:
        trace_attr(s, str[0], n[0], str[1], n[1], h->aux);
        break;
      case OP_EVENT_ATTR:
        event_attr(s, str[0], n[0], str[1], n[1], h->aux);
        break;
      case OP_EVENT: {
        if (str[0] == NULL) {
          trace_event_push(s, NULL);
          break;
        }
        for (guint i = 0; i < 3; i++)
          if (n[i] != G_MAXSIZE)
            ids[i] = intern_name(s, i, str[i], n[i]);
        CxEvent e = event_of(ids[0], ids[1], ids[2], (CxLifecycle)h->aux, time, start);
        trace_event_push(s, &e);
        break;
      }
      case OP_NAME:
        s->names->id[h->aux & 3][h->aux >> 2] = intern_name(s, h->aux & 3, str[0], n[0]);
        break;
      case OP_END:
        if (!trace_end(s, error))
          return FALSE;
        break;
      case OP_INVALID:
        s->log->counts.invalid_skipped++;
        take_vals(s, NULL);
        break;
      case OP_NAIVE:
        s->log->counts.naive_times = TRUE;
        break;
      case OP_GUESSED:
        s->log->counts.dates_guessed++;
        break;
      default:
        g_assert_not_reached();
    }
  }
  return TRUE;
}

void
cx_sink_relay_start(CxSink *s)
{
  g_return_if_fail(s->relay == NULL);
  if (s->names == NULL)
    s->names = g_new(struct _Names, 1);
  for (guint f = 0; f < 3; f++)
    for (guint i = 0; i < NAME_SLOTS; i++)
      s->names->slot[f][i].len = 0;
  s->relay = cx_relay_new(replay, s);
}

gboolean
cx_sink_relay_stop(CxSink *s, GError **error)
{
  if (s->relay == NULL)
    return TRUE;
  CxRelay *r = g_steal_pointer(&s->relay);
  return cx_relay_finish(r, error);
}

void
cx_sink_event_attr_full(CxSink *s, const char *key, gsize key_len, const char *value,
                        gsize value_len, guint flags)
{
  if (s->relay != NULL)
    relay_op_aux(s, OP_EVENT_ATTR, key, key_len, value, value_len, NULL, (guint8)flags);
  else
    event_attr(s, key, key_len, value, value_len, flags);
}

void
cx_sink_event_attr(CxSink *s, const char *key, gsize key_len, const char *value, gsize value_len)
{
  cx_sink_event_attr_full(s, key, key_len, value, value_len, CX_ATTR_STRING);
}

void
cx_sink_trace_begin(CxSink *s)
{
  if (s->relay != NULL)
    relay_op(s, OP_BEGIN, NULL, 0, NULL, 0, NULL);
  else
    trace_begin(s);
}

void
cx_sink_trace_attr_typed(CxSink *s, const char *key, gsize key_len, const char *value,
                         gsize value_len, guint type)
{
  if (s->relay != NULL)
    relay_op_aux(s, OP_TRACE_ATTR, key, key_len, value, value_len, NULL, (guint8)type);
  else
    trace_attr(s, key, key_len, value, value_len, type);
}

void
cx_sink_trace_attr(CxSink *s, const char *key, gsize key_len, const char *value, gsize value_len)
{
  cx_sink_trace_attr_typed(s, key, key_len, value, value_len, CX_ATTR_STRING);
}

void
cx_sink_trace_event(CxSink *s, const CxRawEvent *ev)
{
  if (s->relay != NULL)
    relay_op(s, OP_EVENT, NULL, 0, NULL, 0, ev);
  else
    trace_event(s, ev);
}

gboolean
cx_sink_trace_end(CxSink *s, GError **error)
{
  if (s->relay == NULL)
    return trace_end(s, error);
  relay_op(s, OP_END, NULL, 0, NULL, 0, NULL);
  if (!cx_relay_failed(s->relay))
    return TRUE;
  /* the worker's own error is had from cx_sink_relay_stop() */
  g_set_error_literal(error, CX_READER_ERROR, CX_READER_ERROR_IO, "the event sink failed");
  return FALSE;
}

/* ---------- rows ---------- */

gboolean
cx_sink_row(CxSink *s, const char *case_id, gsize case_len, const CxRawEvent *ev,
            gboolean *new_case, GError **error)
{
  g_return_val_if_fail(s->relay == NULL, FALSE);
  CxLog *log = s->log;
  log->counts.events_read++;
  guint32 match = s->pending_match;
  s->pending_match = 0;
  if (new_case != NULL)
    *new_case = FALSE;
  if (case_id == NULL || case_len == 0) {
    log->counts.no_case++;
    s->last_case = G_MAXUINT32;
    take_vals(s, NULL);
    return TRUE;
  }
  guint32 c = cx_pool_intern(log->cases, case_id, (gssize)case_len);
  if (!account_case(s, case_len))
    return over_budget(s, error);
  ensure_case_arrays(s, c);
  s->last_case = c;
  if (!g_array_index(s->seen, guint8, c)) {
    g_array_index(s->seen, guint8, c) = 1;
    log->counts.traces_read++;
    if (new_case != NULL)
      *new_case = TRUE;
  }
  g_array_index(s->case_raw, guint32, c)++;
  g_array_index(s->case_match, guint32, c) |= match;
  if (ev->activity == NULL) {
    log->counts.no_activity++;
    take_vals(s, NULL);
    return TRUE;
  }
  CxEvent e = intern_event(s, ev);
  if (!source_event(s, &e)) {
    take_vals(s, NULL);
    return TRUE;
  }
  if (ev->time == CX_TS_NONE)
    log->counts.no_timestamp++;
  CxEvent *slot = big_push(&s->events);
  guint32 *slot_case = slot != NULL ? big_push(&s->event_case) : NULL;
  if (slot_case == NULL) {
    if (slot != NULL)
      s->events.len--;
    take_vals(s, NULL);
    return over_budget(s, error);
  }
  *slot = e;
  take_vals(s, &s->event_vals);
  *slot_case = c;
  return TRUE;
}

void
cx_sink_row_case_attr(CxSink *s, const char *key, gsize key_len, const char *value, gsize value_len)
{
  if (s->last_case == G_MAXUINT32)
    return;
  if (G_UNLIKELY(s->log->survey != NULL))
    cx_survey_attr(s->log->survey, key, key_len, value, value_len);
  guint32 k = cx_pool_intern(s->log->keys, key, (gssize)key_len);
  note_type(s, k, CX_ATTR_STRING);
  guint32 v = cx_pool_intern(s->log->values, value, (gssize)value_len);
  guint32 t[3] = { s->last_case, k, v };
  g_array_append_vals(s->case_attrs, t, 3);
  g_array_index(s->case_match, guint32, s->last_case) |= match_where(s, k, value, value_len);
}

/* ---------- grouped journeys ---------- */

static const gint64 units[] = {
  1, 1000, CX_USEC_PER_SEC, 60 * CX_USEC_PER_SEC, 3600 * CX_USEC_PER_SEC, 86400 * CX_USEC_PER_SEC
};

/* The precision of each source's timestamps: the coarsest unit (up to a
 * day) that every one of its times is a multiple of. */
static void
find_units(CxSink *s)
{
  guint nsrc = s->log->sources->len;
  g_autofree guint8 *fit = g_malloc(MAX(nsrc, 1));
  memset(fit, (1u << G_N_ELEMENTS(units)) - 1, MAX(nsrc, 1));
  const CxEvent *ev = (const CxEvent *)s->events.data;
  for (gsize i = 0; i < s->events.len; i++) {
    guint src = ev[i].flags >> CX_EVENT_SOURCE_SHIFT;
    if (src >= nsrc || fit[src] == 1)
      continue;
    for (guint k = 1; k < G_N_ELEMENTS(units); k++) {
      if (!(fit[src] & (1u << k)))
        break;
      if ((ev[i].time != CX_TS_NONE && ev[i].time % units[k] != 0)
          || (ev[i].start != CX_TS_NONE && ev[i].start % units[k] != 0))
        fit[src] &= (guint8)((1u << k) - 1);
    }
  }
  g_array_set_size(s->units, nsrc);
  s->window = 0;
  for (guint i = 0; i < nsrc; i++) {
    gint64 u = 1;
    for (guint k = 0; k < G_N_ELEMENTS(units); k++)
      if (fit[i] & (1u << k))
        u = units[k];
    g_array_index(s->units, gint64, i) = u;
    ((CxSourceSpec *)g_ptr_array_index(s->log->sources, i))->unit = u;
    s->window = MAX(s->window, u);
  }
}

gboolean
cx_sink_finish(CxSink *s, GError **error)
{
  if (s->streaming)
    return TRUE;
  if (s->multi)
    find_units(s);
  guint ncases = cx_pool_size(s->log->cases);
  /* the sort's index arrays come on top of the events */
  gsize sort_bytes = ((gsize)s->events.len + s->case_attrs->len / 3 + 4 * ((gsize)ncases + 1)) * 4;
  if (s->mem.used + sort_bytes > s->mem.budget) {
    s->mem.want = s->mem.used + sort_bytes;
    return over_budget(s, error);
  }
  ensure_case_arrays(s, ncases);
  /* counting sort of event indices by case id, stable */
  g_autofree guint32 *start = g_new0(guint32, ncases + 1);
  const guint32 *ec = (const guint32 *)s->event_case.data;
  guint n = (guint)s->events.len;
  for (guint i = 0; i < n; i++)
    start[ec[i] + 1]++;
  for (guint c = 0; c < ncases; c++)
    start[c + 1] += start[c];
  g_autofree guint32 *order = g_new(guint32, MAX(n, 1));
  g_autofree guint32 *fill = g_memdup2(start, sizeof(guint32) * (ncases + 1));
  for (guint i = 0; i < n; i++)
    order[fill[ec[i]]++] = i;
  /* case attributes, grouped the same way */
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

  const CxEvent *all = (const CxEvent *)s->events.data;
  for (guint c = 0; c < ncases; c++) {
    if (!g_array_index(s->seen, guint8, c))
      continue;
    guint k = start[c + 1] - start[c];
    if (k == 0) {
      s->log->counts.empty_traces++;
      continue;
    }
    g_array_set_size(s->gather, k);
    CxEvent *dst = (CxEvent *)s->gather->data;
    for (guint i = 0; i < k; i++)
      dst[i] = all[order[start[c] + i]];
    const guint32 *vals = NULL;
    if (s->nslots > 0) {
      g_array_set_size(s->gather_vals, k * s->nslots);
      guint32 *vd = (guint32 *)s->gather_vals->data;
      const guint32 *vs = (const guint32 *)s->event_vals.data;
      for (guint i = 0; i < k; i++)
        memcpy(vd + (gsize)i * s->nslots, vs + (gsize)order[start[c] + i] * s->nslots,
               sizeof(guint32) * s->nslots);
      vals = vd;
    }
    g_array_set_size(s->gather_attrs, 0);
    for (guint i = astart[c]; i < astart[c + 1]; i++) {
      const guint32 *t = &ca[3 * aorder[i]];
      gboolean dup = FALSE;
      for (guint j = 0; j < s->gather_attrs->len && !dup; j++)
        dup = g_array_index(s->gather_attrs, CxAttr, j).key == t[1];
      if (!dup) {
        CxAttr a = { t[1], t[2] };
        g_array_append_val(s->gather_attrs, a);
      }
    }
    if (!emit(s, c, dst, vals, k, g_array_index(s->case_raw, guint32, c),
              (const CxAttr *)s->gather_attrs->data, s->gather_attrs->len,
              g_array_index(s->case_match, guint32, c), error))
      return FALSE;
  }
  return TRUE;
}

/* ---------- ordering, pairing, filtering ---------- */

static int
cmp_key(gconstpointer a, gconstpointer b)
{
  const SortKey *x = a, *y = b;
  if (x->key != y->key)
    return x->key < y->key ? -1 : 1;
  return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* Orders @ev into s->scratch: by start (or time), stably; an untimed event
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
  s->sorted = FALSE;
  if (i == n)
    return ev;
  s->sorted = TRUE;
  g_array_set_size(s->keys, n);
  SortKey *k = (SortKey *)s->keys->data;
  prev = G_MININT64 + 1;
  for (i = 0; i < n; i++) {
    gint64 t = ev[i].start != CX_TS_NONE ? ev[i].start : ev[i].time;
    if (t == CX_TS_NONE)
      t = prev;
    k[i].key = t;
    k[i].idx = i;
    prev = t;
  }
  qsort(k, n, sizeof(SortKey), cmp_key);
  g_array_set_size(s->scratch, n);
  CxEvent *dst = (CxEvent *)s->scratch->data;
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
 * is an instance, else s->out's data; sets *@n_out. */
static const CxEvent *
make_instances(CxSink *s, const CxEvent *ev, guint n, guint *n_out)
{
  CxLifecycleMode mode = s->log->opts.lifecycle;
  gboolean src = s->log->opts.event_attrs;
  g_array_set_size(s->out, 0);
  g_array_set_size(s->out_src, 0);
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
        g_array_append_val(s->out, ev[i]);
        if (src) {
          guint32 p[2] = { i, G_MAXUINT32 };
          g_array_append_vals(s->out_src, p, 2);
        }
      } else
        s->log->counts.lifecycle_dropped++;
    }
    *n_out = s->out->len;
    return (const CxEvent *)s->out->data;
  }
  /* pair: a start reserves the instance's place; the first later complete of
   * the same activity fills it (FIFO) */
  g_array_set_size(s->pending, 0);
  for (guint i = 0; i < n; i++) {
    guint lc = lifecycle_of(&ev[i]);
    if (lc == CX_LIFECYCLE_OTHER) {
      s->log->counts.lifecycle_dropped++;
      continue;
    }
    if (lc == CX_LIFECYCLE_START) {
      CxEvent inst = ev[i];
      inst.start = ev[i].time;
      inst.flags = (inst.flags & ~CX_EVENT_LIFECYCLE_MASK) | CX_LIFECYCLE_START;
      guint32 slot = s->out->len;
      g_array_append_val(s->out, inst);
      if (src) {
        guint32 q[2] = { i, G_MAXUINT32 };
        g_array_append_vals(s->out_src, q, 2);
      }
      guint32 p[2] = { ev[i].activity, slot };
      g_array_append_vals(s->pending, p, 2);
      continue;
    }
    gboolean matched = FALSE;
    guint32 *p = (guint32 *)s->pending->data;
    for (guint j = 0; j < s->pending->len; j += 2) {
      if (p[j] == ev[i].activity) {
        CxEvent *inst = &g_array_index(s->out, CxEvent, p[j + 1]);
        inst->time = ev[i].time;
        inst->flags = (ev[i].flags & ~CX_EVENT_LIFECYCLE_MASK) | CX_LIFECYCLE_COMPLETE;
        if (inst->start == CX_TS_NONE)
          inst->flags |= CX_EVENT_UNTIMED;
        if (inst->resource == CX_ID_NONE)
          inst->resource = ev[i].resource;
        if (src) {
          /* the completion's attributes first */
          guint32 *q = &g_array_index(s->out_src, guint32, 2 * p[j + 1]);
          q[1] = q[0];
          q[0] = i;
        }
        g_array_remove_range(s->pending, j, 2);
        matched = TRUE;
        break;
      }
    }
    if (!matched) {
      g_array_append_val(s->out, ev[i]);
      if (src) {
        guint32 q[2] = { i, G_MAXUINT32 };
        g_array_append_vals(s->out_src, q, 2);
      }
    }
  }
  /* starts that never completed stay as instances of zero length */
  *n_out = s->out->len;
  return (const CxEvent *)s->out->data;
}

static gboolean
variant_allowed(CxSink *s, const CxEvent *ev, guint n)
{
  GHashTable *allowed = s->log->allowed_variants;
  if (allowed == NULL)
    return TRUE;
  g_autofree guint32 *ids = g_new(guint32, MAX(n, 1));
  for (guint i = 0; i < n; i++)
    ids[i] = ev[i].activity;
  g_autoptr(GBytes) key = g_bytes_new_take(g_steal_pointer(&ids), n * sizeof(guint32));
  return g_hash_table_contains(allowed, key);
}

/* The journey's attributes: its trace (case) attributes, then each wanted
 * attribute they lack: the case attribute KEY for "KEY@last" too, else the
 * first (or last) non-empty value of the ordered events [@from, @to), whose
 * places in the input are @idx. */
static const CxAttr *
journey_attrs(CxSink *s, const CxAttr *attrs, guint n_attrs, const guint32 *vals,
              const guint32 *idx, guint from, guint to, guint *n_out)
{
  GArray *want = s->log->want;
  *n_out = n_attrs;
  if (G_LIKELY(s->nslots == 0))
    return attrs;
  g_array_set_size(s->jattrs, 0);
  g_array_append_vals(s->jattrs, attrs, n_attrs);
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
      g_array_append_val(s->jattrs, a);
    }
  }
  *n_out = s->jattrs->len;
  return (const CxAttr *)s->jattrs->data;
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
 * them without those (in s->dd, s->idx following), else @ev. */
static const CxEvent *
find_duplicates(CxSink *s, const CxEvent *ev, guint *n)
{
  CxLog *log = s->log;
  guint len = *n;
  if (!s->multi) {
    /* one source: a duplicate has the very same time as the event before it */
    guint i = 1;
    while (i < len && (ev[i].time != ev[i - 1].time || ev[i].time == CX_TS_NONE))
      i++;
    if (i >= len)
      return ev;
  }
  gboolean drop = log->opts.dedupe;
  guint kept = 0;
  guint32 *idx = s->nslots > 0 ? (guint32 *)s->idx->data : NULL;
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
      log->counts.duplicates++;
      guint src = ev[i].flags >> CX_EVENT_SOURCE_SHIFT;
      if (src < log->sources->len)
        ((CxSourceSpec *)g_ptr_array_index(log->sources, src))->duplicates++;
      if (drop && dst == NULL) {
        g_array_set_size(s->dd, len);
        dst = (CxEvent *)s->dd->data;
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
  gint64 gap = s->log->opts.journey_gap;
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
                             const guint32 *idx, guint32 match, GError **error);

static gboolean
emit(CxSink *s, guint32 case_id, const CxEvent *ev, const guint32 *vals, guint n, guint raw,
     const CxAttr *attrs, guint n_attrs, guint32 match, GError **error)
{
  CxLog *log = s->log;
  const CxEvent *ordered = order_events(s, ev, n);
  if (s->nslots > 0) {
    g_array_set_size(s->idx, n);
    guint32 *idx = (guint32 *)s->idx->data;
    const SortKey *k = (const SortKey *)s->keys->data;
    for (guint i = 0; i < n; i++)
      idx[i] = s->sorted ? k[i].idx : i;
  }
  log->counts.cases_built++;
  guint nd = n;
  ordered = find_duplicates(s, ordered, &nd);
  raw -= n - nd;
  n = nd;
  gboolean cutting = log->opts.journey_gap > 0 || log->opts.journey_starts_with != NULL;
  guint end = n;
  guint32 starts_id = G_MAXUINT32;
  if (cutting && n > 0) {
    if (log->opts.journey_starts_with != NULL)
      starts_id = cx_pool_lookup(log->activities, log->opts.journey_starts_with, -1);
    end = cut_end(s, ordered, 0, n, starts_id);
  }
  const guint32 *idx = s->nslots > 0 ? (const guint32 *)s->idx->data : NULL;
  if (end == n)
    return emit_journey(s, case_id, ordered, n, raw, attrs, n_attrs, vals, idx, match, error);
  /* a cut case: its journeys are ID#1, ID#2, ... */
  log->counts.cases_cut++;
  g_string_assign(s->cut_name, cx_pool_get(log->cases, case_id));
  gsize base_len = s->cut_name->len;
  guint part = 0;
  for (guint from = 0; from < n;
       from = end, end = from < n ? cut_end(s, ordered, from, n, starts_id) : n) {
    log->counts.journeys_from_cut++;
    g_string_truncate(s->cut_name, base_len);
    g_string_append_printf(s->cut_name, "#%u", ++part);
    guint32 id = cx_pool_intern(log->cases, s->cut_name->str, (gssize)s->cut_name->len);
    if (!emit_journey(s, id, ordered + from, end - from, end - from, attrs, n_attrs, vals,
                      idx != NULL ? idx + from : NULL, match, error))
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
  guint64 dropped = s->log->counts.lifecycle_dropped;
  const CxEvent *inst = make_instances(s, ev, n, n_out);
  s->log->counts.lifecycle_dropped = dropped;
  return inst;
}

/* Appends the bag attributes of ordered event @at (idx maps it to its row)
 * to s->inst_attrs; with @skip_have, only keys the instance lacks so far. */
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
    for (guint h = first; skip_have && h < s->inst_attrs->len && !have; h++)
      have = g_array_index(s->inst_attrs, CxAttr, h).key == b[k].key;
    if (!have)
      g_array_append_val(s->inst_attrs, b[k]);
  }
}

/* With event_attrs: each instance's attributes (CxJourney.event_attrs);
 * @inst came from make_instances() over @ordered, whose rows @idx gives. */
static void
instance_attrs(CxSink *s, const CxEvent *ordered, const CxEvent *inst, guint n_inst,
               const guint32 *vals, const guint32 *idx)
{
  g_array_set_size(s->inst_at, n_inst + 1);
  g_array_set_size(s->inst_attrs, 0);
  guint *at = (guint *)s->inst_at->data;
  const guint32 *src = inst == ordered ? NULL : (const guint32 *)s->out_src->data;
  for (guint i = 0; i < n_inst; i++) {
    at[i] = s->inst_attrs->len;
    if (src == NULL) {
      add_event_attrs(s, vals, idx, i, at[i], FALSE);
      continue;
    }
    add_event_attrs(s, vals, idx, src[2 * i], at[i], FALSE);
    if (src[2 * i + 1] != G_MAXUINT32)
      add_event_attrs(s, vals, idx, src[2 * i + 1], at[i], TRUE);
  }
  at[n_inst] = s->inst_attrs->len;
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
  if (!cx_filter_chain_run(s->log->opts.filters, s->log, &fj, filter_instances, s))
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
             guint32 match, GError **error)
{
  CxLog *log = s->log;
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

  if (G_UNLIKELY(log->survey != NULL))
    cx_survey_journey(log->survey, &j, match);
  gboolean keep = j.n_instances > 0 && (match & s->all_where) == s->all_where;
  if (keep && (log->opts.from != CX_TS_NONE || log->opts.to != CX_TS_NONE)) {
    gint64 t = cx_journey_first_time(&j);
    keep = t != CX_TS_NONE && (log->opts.from == CX_TS_NONE || t >= log->opts.from)
           && (log->opts.to == CX_TS_NONE || t < log->opts.to);
  }
  if (keep && log->opts.starts_with != NULL)
    keep
        = strcmp(cx_pool_get(log->activities, j.instances[0].activity), log->opts.starts_with) == 0;
  if (keep && log->opts.ends_with != NULL)
    keep = strcmp(cx_pool_get(log->activities, j.instances[j.n_instances - 1].activity),
                  log->opts.ends_with)
           == 0;
  if (keep)
    keep = variant_allowed(s, j.instances, j.n_instances);
  if (G_UNLIKELY(log->opts.filters != NULL) && (keep || log->survey != NULL))
    keep = filter_journey(s, &j, &ev, n, attrs, n_attrs, vals, &idx);
  if (!keep) {
    log->counts.cases_filtered++;
    return TRUE;
  }
  log->counts.cases_kept++;
  log->counts.events_kept += j.n_events;
  if (log->opts.event_attrs) {
    instance_attrs(s, ev, j.instances, j.n_instances, vals, idx);
    j.event_attr_at = (const guint *)s->inst_at->data;
    j.event_attrs = (const CxAttr *)s->inst_attrs->data;
  }
  return s->func(&j, s->data, error);
}
