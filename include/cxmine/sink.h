/* cxmine — the event sink every reader pushes into.
 *
 * Readers know formats; the sink knows nothing of them.  It interns names,
 * groups events per case, orders and pairs them into journeys, applies the
 * case filters and hands journeys on.  A program that has events from
 * elsewhere can push them here too.
 *
 * Two shapes of input:
 *  - traces (XES): cx_sink_trace_begin, any number of cx_sink_trace_attr and
 *    cx_sink_trace_event, cx_sink_trace_end;
 *  - rows (CSV): cx_sink_row per event, each naming its case.
 * Strings passed in are copied (interned) as needed; the caller keeps them.
 *
 * cx_log_scan() makes its own sinks; a program with events from elsewhere
 * makes one with cx_sink_new(), pushes, and calls cx_sink_finish().
 */
#pragma once

#include <glib.h>
#include "log.h"

G_BEGIN_DECLS

typedef struct _CxSink CxSink;

/* Returns a new sink that builds the journeys of @log's events, filtered by
 * @log's options (prepared by a scan: filters, wanted attributes), and hands
 * each kept one to @func.  Events are grouped per case until
 * cx_sink_finish(); the ids go to @log's pools and its counters to
 * cx_log_counts().  @log must outlive the sink.  Free with cx_sink_free(). */
CxSink *cx_sink_new(CxLog *log, CxJourneyFunc func, gpointer user_data);
void cx_sink_free(CxSink *sink);
/* Builds and hands on the grouped journeys; FALSE with @error set when the
 * callback fails or the memory budget (CxReadOptions.memory) is exceeded. */
gboolean cx_sink_finish(CxSink *sink, GError **error);

/* One event as read.  Strings are not NUL-terminated: use the lengths.
 * A NULL activity means the event has none (it is dropped and counted). */
typedef struct {
  const char *activity;
  gsize activity_len;
  const char *resource; /* NULL = none */
  gsize resource_len;
  const char *channel; /* NULL = none (the source's channel tag applies) */
  gsize channel_len;
  CxLifecycle lifecycle;
  gint64 time;  /* UTC microseconds or CX_TS_NONE */
  gint64 start; /* UTC microseconds or CX_TS_NONE (CSV start column) */
} CxRawEvent;

void cx_sink_trace_begin(CxSink *sink);
/* A trace attribute; "concept:name" names the case (it is the journey's
 * case_id, not one of its attrs, but --where can still match it). */
void cx_sink_trace_attr(CxSink *sink, const char *key, gsize key_len, const char *value,
                        gsize value_len);
void cx_sink_trace_event(CxSink *sink, const CxRawEvent *ev);
/* Ends the trace; it may hand a journey on, whose callback may fail. */
gboolean cx_sink_trace_end(CxSink *sink, GError **error);

/* One CSV row.  Sets @new_case (may be NULL) to TRUE when the case id is seen
 * for the first time in this scan: that is when to call cx_sink_row_case_attr
 * for its case-level columns. */
gboolean cx_sink_row(CxSink *sink, const char *case_id, gsize case_len, const CxRawEvent *ev,
                     gboolean *new_case, GError **error);
/* A case-level attribute for the case of the last row. */
void cx_sink_row_case_attr(CxSink *sink, const char *key, gsize key_len, const char *value,
                           gsize value_len);

/* TRUE when --where filters need event attributes: then readers call
 * cx_sink_event_attr for each attribute of an event before pushing it. */
gboolean cx_sink_wants_event_attrs(const CxSink *sink);
void cx_sink_event_attr(CxSink *sink, const char *key, gsize key_len, const char *value,
                        gsize value_len);
/* The same with what the reader knows: the value's type (a CxAttrType) and
 * CX_SINK_ATTR_MAPPED when the reader mapped this attribute to the case,
 * activity, timestamp, lifecycle, resource or channel (such attributes are
 * not repeated in CxJourney.event_attrs). */
#define CX_SINK_ATTR_MAPPED 0x10u
void cx_sink_event_attr_full(CxSink *sink, const char *key, gsize key_len, const char *value,
                             gsize value_len, guint flags);
/* A trace attribute with its type (a CxAttrType). */
void cx_sink_trace_attr_typed(CxSink *sink, const char *key, gsize key_len, const char *value,
                              gsize value_len, guint type);

/* Counting hooks for readers. */
void cx_sink_count_invalid(CxSink *sink); /* a row dropped by skip_invalid */
void cx_sink_note_naive_time(CxSink *sink);
/* a dd/mm/yyyy timestamp read day-first although no value proved the order */
void cx_sink_count_guessed_date(CxSink *sink);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(CxSink, cx_sink_free)

G_END_DECLS
