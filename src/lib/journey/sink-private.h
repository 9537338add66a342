/* cxmine — the sink as the readers and the scan driver use it.
 *
 * The scan driver (read/scan.c) decides how a source is read: streamed or
 * grouped, and when the sink moves to a thread of its own; readers only
 * push.  See cxmine/sink.h for the calls every producer uses.
 */
#pragma once

#include "cxmine/sink.h"
#include "log-private.h"

G_BEGIN_DECLS

/* Sets the channel tag of the source being read (NULL = none). */
void cx_sink_set_source_channel(CxSink *sink, const char *channel);
/* Tells the sink which source is read next: its index, channel tag, zone
 * for naive times and own lifecycle handling. */
void cx_sink_set_source(CxSink *sink, guint index, const CxSourceSpec *spec);
/* Streams traces (TRUE) or groups everything until cx_sink_finish (FALSE,
 * the default). */
void cx_sink_set_streaming(CxSink *sink, gboolean streaming);
/* TRUE when a streamed trace repeated an earlier case id: the trace call
 * failed to stop the reader, and the scan must be redone grouped (a flag,
 * not an error: the driver forgets the error the reader passed on). */
gboolean cx_sink_saw_repeat(const CxSink *sink);
/* The time zone for naive timestamps of the source being read (NULL = UTC). */
GTimeZone *cx_sink_naive_tz(const CxSink *sink);

/* Thread policy, decided by the scan driver: once a reader has fed @bytes
 * of its input, the sink moves to a thread of its own at the next boundary
 * between two traces (cx_sink_boundary); 0 = never (the default). */
void cx_sink_set_relay_after(CxSink *sink, gsize bytes);
/* A reader is between two traces, @fed bytes into its input. */
void cx_sink_boundary(CxSink *sink, gsize fed);

/* From here to cx_sink_relay_stop(), the trace calls (and counting hooks)
 * only record what they are given: a worker thread applies them in order,
 * so a reader parses while the sink interns, groups and discovers. Not for
 * rows. */
void cx_sink_relay_start(CxSink *sink);
/* Waits for the worker. Returns FALSE with its error (a failed journey
 * callback, a repeated case id) when a trace call failed there: that error
 * came first in the input, so it wins over any the reader met later. */
gboolean cx_sink_relay_stop(CxSink *sink, GError **error);

G_END_DECLS
