/* cxmine — a bounded pipe of byte blocks between two threads.
 *
 * How the input's read-ahead hands bytes from its thread (which reads and
 * inflates) to the caller's.
 * A producer fills blocks and pushes them; a consumer pops them in order
 * and releases each for reuse.  At most @max_blocks exist, so memory stays
 * bounded and a slow consumer holds the producer back.
 *
 * Either side may run on either thread.  The producer ends the stream with
 * cx_pipe_close() (with its error, if it failed); the consumer may give up
 * early with cx_pipe_cancel(), which wakes a producer waiting for room.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _CxPipe CxPipe;

typedef struct {
  guint8 *data;
  gsize len; /* bytes filled */
  gsize cap; /* bytes allocated */
  /* the producer's note on the block, handed on with it (the input: how
   * many bytes of the file were read when it was filled) */
  guint64 mark;
} CxPipeBlock;

/* A pipe of up to @max_blocks blocks of @block_size bytes, allocated as they
 * are first needed. */
CxPipe *cx_pipe_new(guint max_blocks, gsize block_size);
/* Frees @pipe and every block, also those still held by either side: call
 * it once both sides are done (the other thread joined). */
void cx_pipe_free(CxPipe *pipe);

/* Producer: an empty block of at least @need bytes, waiting while every
 * block is in flight.  NULL once the consumer cancelled. */
CxPipeBlock *cx_pipe_acquire(CxPipe *pipe, gsize need);
/* Producer: hands @block on (dropped, and kept for reuse, after a cancel). */
void cx_pipe_push(CxPipe *pipe, CxPipeBlock *block);
/* Producer: no more blocks; @error (taken, may be NULL) says why it stopped
 * early.  The consumer sees it after the blocks pushed before. */
void cx_pipe_close(CxPipe *pipe, GError *error);

/* Consumer: the next block in the order pushed, waiting for one.  NULL at
 * the end, with @error set when the producer closed with one. */
CxPipeBlock *cx_pipe_pop(CxPipe *pipe, GError **error);
/* Gives @block back for reuse: the consumer once done with it, or the
 * producer with a block it did not fill. */
void cx_pipe_release(CxPipe *pipe, CxPipeBlock *block);
/* Consumer: stops taking blocks.  A producer waiting in cx_pipe_acquire()
 * gets NULL; blocks pushed later are dropped. */
void cx_pipe_cancel(CxPipe *pipe);

G_END_DECLS
