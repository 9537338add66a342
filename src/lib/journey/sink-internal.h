/* cxmine — the event sink's insides, shared by its files:
 *   sink.c        the object, interning, traces and rows as they are read;
 *   buffer.c      the growable buffers of grouped events and their budget;
 *   build.c       grouping, ordering, lifecycle pairing, the case filters;
 *   ../read/tape-sink.c   the recorder: a sink that records trace and row
 *                 calls on a tape for a reader on a worker thread, and their
 *                 playing.
 */
#pragma once

/* the log is opaque here: see the accessors in log-private.h */
#define CX_LOG_OPAQUE
#include "sink-private.h"
#include "tape-private.h"
#include <string.h>

G_BEGIN_DECLS

/* ---------- buffers (buffer.c) ---------- */

/* The memory budget (CxReadOptions.memory): what the big buffers hold. */
typedef struct {
  gsize used, budget;
  gsize held;       /* of used: what a split read holds (cx_sink_hold) */
  gsize want;       /* bytes asked for when the budget or the system said no */
  gboolean failed;  /* a push failed where no error could be set yet */
  gboolean refused; /* the system refused memory the budget allowed */
} CxBudget;

/* A growable buffer for the grouped events.  It can hold every event of a
 * big log: on Linux it is mapped with transparent huge pages, so first
 * touches cost a page fault per 2 MiB instead of per 4 KiB, and it grows by
 * mremap without copying. */
typedef struct {
  guint8 *data;
  gsize len, cap; /* elements */
  gsize elem;
  gsize bytes; /* allocated (a mapping from CX_BIG_MIN on: cx_mem_resize) */
  CxBudget *mem;
} CxBuffer;

void cx_buffer_init(CxBuffer *b, gsize elem, CxBudget *mem);
void cx_buffer_clear(CxBuffer *b);
/* Makes room for @need elements within the budget, never aborting: FALSE
 * (and mem->want set) when the budget or the system refuses. */
gboolean cx_buffer_reserve(CxBuffer *b, gsize need);
/* Makes room for @need elements in each of @n buffers sharing one budget,
 * all grown to one capacity together, so that no buffer takes the room
 * the others need, nor the @along bytes each element brings with it
 * elsewhere; FALSE (and mem->want set) when it does not fit. */
gboolean cx_buffers_reserve(CxBuffer **bufs, guint n, gsize need, gsize along);
/* Gives the memory of elements @from .. @to back to the system, where they
 * fill whole pages of a mapped buffer (nothing otherwise): the caller never
 * reads them again (they would read as zeros). */
void cx_buffer_release(CxBuffer *b, gsize from, gsize to);

/* Gives @b elements of @elem bytes (more than it has) for the ones it
 * holds, in place of the first b->len * b->elem bytes, which it keeps
 * (the caller converts them); FALSE (and mem->want set) when it does not
 * fit the budget or the system refuses. */
gboolean cx_buffer_widen(CxBuffer *b, gsize elem);

/* A new element at the end; NULL (and mem->failed set) when there is no room. */
static inline void *
cx_buffer_push(CxBuffer *b)
{
  if (G_UNLIKELY(b->len == b->cap) && !cx_buffer_reserve(b, b->len + 1)) {
    b->mem->failed = TRUE;
    return NULL;
  }
  return b->data + b->elem * b->len++;
}

/* The one error for an exhausted budget (mem->want says how much was
 * asked); returns FALSE. */
gboolean cx_budget_error(const CxBudget *mem, GError **error);
/* @bytes as --memory takes it: "64 MiB", "1 GiB", "1000 bytes" (newly
 * allocated). */
char *cx_budget_text(gsize bytes);

/* ---------- the sink ---------- */

/* The trace and row calls and counting hooks of cxmine/sink.h, as a table: the
 * sink applies them at once (cx_sink_direct_ops), a recorder records them
 * on a tape that is played back into the sink later (tape-sink.c). */
typedef struct {
  void (*trace_begin)(CxSink *s);
  void (*trace_attr)(CxSink *s, const char *key, gsize key_len, const char *value, gsize value_len,
                     guint type);
  void (*event_attr)(CxSink *s, const char *key, gsize key_len, const char *value, gsize value_len,
                     guint flags);
  void (*trace_event)(CxSink *s, const CxRawEvent *ev);
  gboolean (*trace_end)(CxSink *s, GError **error);
  void (*count_invalid)(CxSink *s);
  void (*note_naive_time)(CxSink *s);
  void (*count_guessed_date)(CxSink *s);
  gboolean (*row)(CxSink *s, const char *case_id, gsize case_len, const CxRawEvent *ev,
                  gboolean *new_case, GError **error);
  void (*row_case_attr)(CxSink *s, const char *key, gsize key_len, const char *value,
                        gsize value_len);
} CxSinkOps;

extern const CxSinkOps cx_sink_direct_ops;

typedef struct _CxSinkTape CxSinkTape;

/* What building one journey writes to (build.c): all of it, so that a part
 * of a split finish (a copy of the sink with its own scratch, counts and
 * consumer state) builds journeys beside the sink on another thread. */
typedef struct {
  GArray *gather;       /* CxEvent: one grouped case */
  GArray *gather_attrs; /* CxAttr: its attributes */
  GArray *gather_vals;  /* guint32: its value slots */
  GArray *scratch;      /* CxEvent */
  GArray *out;          /* CxEvent */
  GArray *keys;         /* CxSinkKey: sort keys + index */
  gboolean sorted;      /* order_events sorted: keys holds the source index */
  GArray *idx;          /* guint32: the ordered events' places in the input (with nslots) */
  GArray *dd;           /* CxEvent: a journey without its duplicates */
  GArray *pending;      /* guint32 pairs (activity, slot) */
  GArray *out_src; /* guint32 pairs per instance of make_instances: its events (G_MAXUINT32 none) */
  GArray *jattrs;  /* CxAttr: the journey's attributes with the wanted ones */
  GArray *inst_at; /* guint: a journey's instances' places in its attributes */
  GArray *inst_attrs; /* CxAttr: a journey's instances' attributes */
  GString *cut_name;  /* "ID#k" */
} CxSinkScratch;

struct _CxSink {
  /* the log, seen only through log-private.h's accessors (the sink does not
   * see struct _CxLog): its options, counters, pools and what the scan
   * prepared for the sink, fetched once */
  CxLog *log;
  const CxReadOptions *opts;
  CxReadCounts *counts;
  struct {
    CxPool *activities, *resources, *channels, *cases, *keys, *values;
  } pool;
  struct _CxSurvey *survey; /* while an empty selection is explained */
  GArray *want;             /* CxWant */
  GArray *want_slots;       /* guint32 key id of each event value slot */
  GByteArray *key_types;    /* by key id: 0 = not seen, else CxAttrType + 1 */

  CxBudget mem;
  guint cases_accounted; /* case ids counted against the budget */
  gsize case_bytes;      /* ... and the bytes counted for them */
  CxJourneyFunc func;
  gpointer data;
  gboolean streaming;
  gboolean saw_repeat;
  gboolean one_thread; /* cx_sink_ask_one_thread() */
  guint32 source_channel;
  const CxSinkOps *ops; /* &cx_sink_direct_ops, or a recorder's */
  gboolean recorder;    /* cx_sink_recorder_new(): only ops and tape are set */
  CxSinkTape *tape;     /* a recorder's tape */

  /* wanted attribute values (log->want): one slot per distinct key, each a
   * value id (0 = none) per event, kept beside the events */
  guint nslots;
  guint nwant;         /* slots of wanted attributes; with event_attrs two more follow: */
  guint bag_slot;      /* the event's first attribute in s->bag + 1 (0 = none), then their count */
  CxBuffer bag;        /* CxAttr: with event_attrs, every event's own attributes */
  guint32 *ev_vals;    /* the event being read */
  CxBuffer trace_vals; /* guint32[nslots] per trace event */
  CxBuffer event_vals; /* guint32[nslots] per grouped event */

  /* the source being read */
  guint32 src_flags;      /* its index << CX_EVENT_SOURCE_SHIFT */
  CxLifecycleMode src_lc; /* its own lifecycle handling: ALL, COMPLETE or AUTO (none) */
  GTimeZone *src_tz;      /* its zone for naive times */
  gboolean multi;         /* several sources: duplicates compare at each one's precision */
  GArray *units;          /* gint64 per source: the precision of its timestamps */
  gint64 window;          /* the coarsest of them */

  /* the trace in flight */
  CxBuffer trace_events; /* CxEvent */
  GArray *trace_attrs;   /* CxAttr */
  guint32 trace_case;    /* G_MAXUINT32 = unnamed so far */
  GString *trace_name;   /* the case id, interned at the trace's end */
  gboolean named;
  guint trace_raw;

  /* a streamed XES whose journeys need no names (cx_log_set_case_names()):
   * instead of each case id, its 64-bit fingerprint in a set (open
   * addressing, 0 = empty), and the journeys numbered; a repeat, or two ids
   * with one fingerprint (a grouped pass then names them apart), restarts
   * the scan grouped */
  gboolean anonymous;
  guint64 *prints;
  gsize prints_cap, prints_len;
  guint32 anon_next; /* the last journey's number */

  /* grouped events */
  CxBuffer events;     /* CxNarrowEvent, or CxEvent once one does not fit */
  CxBuffer event_case; /* guint32 case id per event */
  GArray *case_raw;    /* guint32 per case id: raw events */
  GArray *case_attrs;  /* triples (case, key, value) as guint32 */
  GArray *seen;        /* guint8 per case id: 1 = seen in this scan */
  guint32 last_case;
  /* grouped events beyond the budget: sorted runs on disk (spill-private.h)
   * of records (case id, CxEvent, guint32[nslots]) */
  struct _CxSpill *spill;
  GByteArray *unit_fit; /* per source: the units of find_units() its spilled times fit */

  /* scratch for building one journey (a part of a split finish has its own) */
  CxSinkScratch b;
  guint64 *src_dups; /* duplicates per source: added to the log's sources by
                      * cx_sink_finish() (a part's to its sink's at its join) */
  /* a grouped finish on several threads (cx_sink_split_finish()) */
  struct {
    guint threads;
    guint64 min_events;
    CxForkFunc fork;
    CxMergeFunc merge;
  } split;
};

/* A sink's scratch, made and freed (sink.c). */
void cx_sink_scratch_init(CxSinkScratch *b);
void cx_sink_scratch_clear(CxSinkScratch *b);

/* A sort key of order_events (build.c): the time and the event's index. */
typedef struct {
  gint64 key;
  guint32 idx;
} CxSinkKey;
/* An interned event (sink.c). */
static inline CxEvent
cx_sink_event_of(guint32 activity, guint32 resource, guint32 channel, CxLifecycle lifecycle,
                 gint64 time, gint64 start)
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

/* The id of an event's activity (0), resource (1) or channel (2) (sink.c). */
guint32 cx_sink_intern_name(CxSink *s, guint field, const char *str, gsize len);
/* Adds an interned event to the trace in flight; @e NULL = one without an
 * activity (sink.c). */
void cx_sink_push_event(CxSink *s, const CxEvent *e);

/* One row whose event is interned already (@e NULL = a row without an
 * activity): cx_sink_row() after its names, for the recorder's player
 * (sink.c). */
gboolean cx_sink_push_row(CxSink *s, const char *case_id, gsize case_len, const CxEvent *e,
                          gboolean *new_case, GError **error);

/* Grows the per-case arrays to hold @case_id (sink.c). */
void cx_sink_ensure_case(CxSink *s, guint32 case_id);

/* Makes room for @k more grouped events (events, event_case, event_vals),
 * spilling the buffered ones to disk when the budget says no (sink.c). */
gboolean cx_sink_grouped_room(CxSink *s, gsize k, GError **error);
/* The error when what cannot spill fills the budget (sink.c); FALSE. */
gboolean cx_sink_no_room(CxSink *s, GError **error);
/* FALSE (and @error set) when case @c has more events than the budget
 * holds: its events are grouped in memory as a whole, spilled or not
 * (build.c). */
gboolean cx_sink_case_fits(CxSink *s, guint32 c, GError **error);
/* Writes the grouped events in memory to disk as one run sorted by (case,
 * file position) and frees their buffers (build.c). */
gboolean cx_sink_spill(CxSink *s, GError **error);

/* Orders, pairs, filters one case's events and hands on its journeys
 * (build.c). */
gboolean cx_sink_emit(CxSink *s, guint32 case_id, const CxEvent *ev, const guint32 *vals, guint n,
                      guint raw, const CxAttr *attrs, guint n_attrs, GError **error);

/* ---------- the grouped events (sink.c) ---------- */

/* A grouped event in 16 bytes: CxSink.events holds these while every
 * event fits (no start time, a resource id below 2^16, a channel id below
 * 2^8, a source below 2^5), half the memory of a CxEvent to fault in and
 * to read back; the first event that does not fit widens them all to
 * CxEvent (fit_events in sink.c). */
typedef struct {
  gint64 time;
  guint32 activity;
  guint16 resource;
  guint8 channel;
  guint8 flags; /* the lifecycle and untimed bits (0-2), the source (3-7) */
} CxNarrowEvent;

#define CX_NARROW_SOURCE_SHIFT 3
#define CX_NARROW_FLAGS        (CX_EVENT_LIFECYCLE_MASK | CX_EVENT_UNTIMED)

static inline gboolean
cx_narrow_fits(const CxEvent *e)
{
  return e->start == CX_TS_NONE && e->resource <= G_MAXUINT16 && e->channel <= G_MAXUINT8
         && (e->flags & ~(CX_NARROW_FLAGS | (0x1Fu << CX_EVENT_SOURCE_SHIFT))) == 0;
}

/* Event @i of grouped events at @data of @elem bytes each. */
static inline CxEvent
cx_grouped_get(const guint8 *data, gsize elem, gsize i)
{
  if (elem == sizeof(CxEvent)) {
    CxEvent e;
    memcpy(&e, data + i * sizeof(CxEvent), sizeof e);
    return e;
  }
  const CxNarrowEvent *n = (const CxNarrowEvent *)data + i;
  CxEvent e = { n->time,
                CX_TS_NONE,
                n->activity,
                n->resource,
                n->channel,
                (n->flags & CX_NARROW_FLAGS)
                    | (guint32)(n->flags >> CX_NARROW_SOURCE_SHIFT) << CX_EVENT_SOURCE_SHIFT };
  return e;
}

/* Stores @e as grouped event @i of @data, @elem bytes each (@e fits them). */
static inline void
cx_grouped_set(guint8 *data, gsize elem, gsize i, const CxEvent *e)
{
  if (elem == sizeof(CxEvent)) {
    memcpy(data + i * sizeof(CxEvent), e, sizeof *e);
    return;
  }
  CxNarrowEvent *n = (CxNarrowEvent *)data + i;
  n->time = e->time;
  n->activity = e->activity;
  n->resource = (guint16)e->resource;
  n->channel = (guint8)e->channel;
  n->flags = (guint8)((e->flags & CX_NARROW_FLAGS)
                      | (e->flags >> CX_EVENT_SOURCE_SHIFT) << CX_NARROW_SOURCE_SHIFT);
}

G_END_DECLS
