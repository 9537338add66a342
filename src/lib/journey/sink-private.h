/* cxmine — the sink as the readers and the scan driver use it.
 *
 * The scan driver (read/scan.c) decides how a source is read: streamed or
 * grouped, and on how many threads; readers only push.  See cxmine/sink.h for the calls every
 * producer uses.
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
/* A reader has split a file over threads: should the pass fail (a
 * worker's error, the input's, the sink's, a callback's, or the finish's),
 * the scan redoes it on one thread, which reports the failure where it
 * happens (a flag like cx_sink_saw_repeat's; set when the split begins). */
void cx_sink_ask_one_thread(CxSink *sink);
gboolean cx_sink_asked_one_thread(const CxSink *sink);
/* Lets cx_sink_finish() hand grouped cases on from @threads threads at
 * once when they have at least @min_events events: each thread a run of
 * consecutive cases, into a state of its own made by @fork, merged into the
 * sink's in order by @merge (cx_log_set_split()).  Without it, or when
 * filters, a survey or cut journeys need the sink's own state, one thread
 * hands them all on. */
void cx_sink_split_finish(CxSink *sink, CxForkFunc fork, CxMergeFunc merge, guint threads,
                          guint64 min_events);
/* The time zone for naive timestamps of the source being read (NULL = UTC). */
GTimeZone *cx_sink_naive_tz(const CxSink *sink);

/* A sink for a reader parsing one chunk of a file on a worker thread: it
 * answers the reader's questions as @sink does (its options, the zone for
 * naive times, whether event attributes are wanted) and records the trace
 * and row calls (and counting hooks) made into it.  A recorded row's case
 * is new as far as the reader knows (cx_sink_row sets @new_case); playing
 * applies its case attributes only when it was.  Free with
 * cx_sink_recorder_free(). */
CxSink *cx_sink_recorder_new(const CxSink *sink);
void cx_sink_recorder_free(CxSink *recorder);
/* Forgets what @recorder recorded, for the next chunk (keeping its memory). */
void cx_sink_recorder_reset(CxSink *recorder);
/* The memory @recorder's tape holds. */
gsize cx_sink_recorder_bytes(const CxSink *recorder);
/* Counts @bytes a split read holds (its chunks in flight, their
 * recordings and the spares) against the memory budget while it lasts, so
 * that grouped events spill that much sooner: at most a quarter of the
 * budget, never less than was held before in this read.  cx_sink_unhold()
 * gives it back when the read ends. */
void cx_sink_hold(CxSink *sink, gsize bytes);
void cx_sink_unhold(CxSink *sink);
/* Makes the calls @recorder recorded into @sink, in order.  Returns FALSE
 * with the error of the first that failed (a failed journey callback, a
 * repeated case id, the memory budget). */
gboolean cx_sink_play(CxSink *sink, CxSink *recorder, GError **error);

G_END_DECLS
