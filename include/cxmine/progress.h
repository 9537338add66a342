/* cxmine — progress: how far a long piece of work has come.
 *
 * The library never prints: it hands progress to a callback the caller
 * sets in CxReadOptions.progress (as libcurl hands transfer progress to its
 * xferinfo function), and the caller decides whether and how to show it.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  /* reading a source: @done and @total count bytes of the file as stored
   * (compressed bytes for a gzip file); @total is 0 when the size is not
   * known (standard input, a pipe) */
  CX_PROGRESS_READ,
  /* grouped events beyond CxReadOptions.memory written to disk: @done
   * counts bytes written so far, @total is 0; one call per run written */
  CX_PROGRESS_SPILL,
  /* the runs on disk merged into cases: @done and @total count events */
  CX_PROGRESS_MERGE,
  /* the work an analysis does after the scan (summarising the waits,
   * finding and ranking frictions, compare's tests, writing a report,
   * drawing a map with Graphviz): @name says what, as a person reads it
   * ("finding frictions"); @done and @total count its steps, @total 0 when
   * not known.  Steps may nest (compare finds each side's frictions): each
   * ends with its own finished call. */
  CX_PROGRESS_ANALYSE,
  /* grouped events in memory built into journeys and handed to the
   * analyses: @done and @total count events; reported only once it has
   * taken half a second */
  CX_PROGRESS_BUILD,
} CxProgressPhase;

typedef struct {
  CxProgressPhase phase;
  const char *name;    /* what is worked on: a source's name for messages */
  guint64 done, total; /* units of the phase; @total 0 = unknown */
  /* the last call for this phase and @name (also after a failure): a
   * progress line shown for it may be cleared */
  gboolean finished;
} CxProgress;

/* Called on the thread that runs the work (for reading, the one that called
 * cx_log_scan()): when a phase starts making progress, then at most about
 * twice a second, and once more with @progress->finished set.  @progress is
 * valid during the call only. */
typedef void (*CxProgressFunc)(const CxProgress *progress, gpointer user_data);

/* One step of CX_PROGRESS_ANALYSE work, as the library and the command
 * line report it: cx_progress_step_begin() calls @func with @done 0,
 * cx_progress_step_advance() at most about twice a second, and
 * cx_progress_step_end() once with @finished set.  All do nothing when
 * @func is NULL.  @name must outlive the step. */
typedef struct {
  CxProgressFunc func;
  gpointer data;
  const char *name;
  guint64 total;
  gint64 last; /* monotonic time of the last call */
} CxProgressStep;

void cx_progress_step_begin(CxProgressStep *step, CxProgressFunc func, gpointer user_data,
                            const char *name, guint64 total);
void cx_progress_step_advance(CxProgressStep *step, guint64 done);
/* The finished call: @done is @total (0 when unknown). */
void cx_progress_step_end(CxProgressStep *step);

G_END_DECLS
