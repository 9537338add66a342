/* cxmine — the chunks of a file split over threads (xes-split.c,
 * csv-split.c): the bytes a worker parses, the recorder its sink calls go
 * to, whether its parse stood and the daylight-saving corrections it met.
 * Played chunks are kept as spares and reused with their memory.
 */
#pragma once

#include "reader-private.h"
#include "parallel-private.h"

G_BEGIN_DECLS

typedef struct {
  GByteArray *bytes;
  gsize cap; /* the bytes allocated for it at first */
  CxSink *rec;
  gboolean ok;
  guint64 dst_gap, dst_repeated;
} CxChunk;

/* A spare chunk of @spare (emptied), or a new one of @size bytes (a format
 * may put a CxChunk first in a struct of its own) with room for @room
 * bytes, recording for @sink. */
CxChunk *cx_chunk_new(GPtrArray *spare, gsize size, CxSink *sink, gsize room);
/* Appends up to @step bytes read from @in (straight from the file or the
 * inflater) to @b: how many were read, 0 at the end, -1 on a read error
 * (left to the one-thread read to report where it happens). */
gssize cx_chunk_read(CxInput *in, GByteArray *b, gsize step);
/* Frees a chunk (a GDestroyNotify for the spares and the pool). */
void cx_chunk_free(gpointer chunk);
/* Runs @parse(@chunk, @data) on a worker, noting whether it stood and the
 * daylight-saving corrections it met. */
void cx_chunk_parse(CxChunk *chunk, gboolean (*parse)(CxChunk *chunk, gpointer data),
                    gpointer data);
/* Plays the oldest chunk of @par into @sink (its daylight-saving counts
 * added to this thread's); it becomes one of @spare.  FALSE when its parse
 * failed or the sink's error (@error) when a call failed. */
gboolean cx_chunk_play_next(CxParallel *par, CxSink *sink, GPtrArray *spare, GError **error);

G_END_DECLS
