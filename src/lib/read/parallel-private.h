/* cxmine — work on chunks of one file by several threads, taken back in the
 * order it was handed out.
 *
 * The scan's thread cuts a file into chunks and submits each as a job;
 * worker threads run @work on the jobs in any order; cx_parallel_take()
 * gives the jobs back in submission order, each once its work is done.  So
 * what follows (the sink, the analyses) sees the file in file order, and
 * results never depend on which worker finished first.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _CxParallel CxParallel;

/* Runs on a worker thread; @job is the caller's, @data cx_parallel_new()'s. */
typedef void (*CxParallelWork)(gpointer job, gpointer data);

/* @threads workers (at least 1).  When @helps, the thread that takes the
 * jobs back does queued work itself rather than wait for the job it takes
 * (for a split whose taking thread has less to do than a worker: it then
 * works as one more). */
CxParallel *cx_parallel_new(guint threads, gboolean helps, CxParallelWork work, gpointer data);
/* Hands @job to the workers. */
void cx_parallel_submit(CxParallel *p, gpointer job);
/* Jobs submitted and not yet taken. */
guint cx_parallel_pending(const CxParallel *p);
/* The oldest job not yet taken, once its work is done (waiting for it);
 * NULL when none is pending. */
gpointer cx_parallel_take(CxParallel *p);
/* Waits for the work in hand, then frees @p; the jobs not taken are handed
 * to @drop (may be NULL). */
void cx_parallel_free(CxParallel *p, GDestroyNotify drop);

/* Bytes a chunk of a split file holds before it ends at the next trace or
 * record: 2 MiB less 128 KiB (with its last read step and an XES header it
 * fills one 2 MiB huge page, chunk.c), or @least when smaller (CxReadOptions.threads_after: tests
 * ask for every trace or record a chunk), growing with the bytes @taken
 * from the file so far, so that a test's big file is not a million chunks.
 * The first chunks of a full-size split are smaller (64 KiB, growing with
 * what was taken), so that every worker has one soon after the start. */
#define CX_PARALLEL_CHUNK (2 * 1024 * 1024 - 128 * 1024)
#define CX_PARALLEL_FIRST (64 * 1024)
static inline gsize
cx_parallel_chunk_target(gsize least, guint64 taken)
{
  if (least >= CX_PARALLEL_CHUNK)
    return MIN((gsize)CX_PARALLEL_CHUNK, MAX((gsize)CX_PARALLEL_FIRST, (gsize)(taken / 2)));
  return MIN((gsize)CX_PARALLEL_CHUNK, MAX(least, (gsize)(taken / 4096)));
}

G_END_DECLS
