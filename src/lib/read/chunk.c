/* The chunks of a split file (chunk-private.h). */
#include "chunk-private.h"
#include "cxmine/timestamp.h"
#include <stdlib.h>
#ifdef __linux__
#include <sys/mman.h>
#endif

/* A chunk's bytes, room for @room of them (*@cap: what was allocated).
 * On Linux whole 2 MiB pages, with transparent huge pages asked for: a
 * page fault costs microseconds here, and every byte of a chunk is
 * written, so a chunk's first fill then costs a fault per 2 MiB instead of
 * one per 4 KiB (CX_PARALLEL_CHUNK is sized to fill such a page). */
static GByteArray *
bytes_new(gsize room, gsize *cap)
{
#ifdef __linux__
  const gsize huge = 2u << 20;
  gsize size = (room + huge - 1) & ~(huge - 1);
  void *p = NULL;
  if (size <= G_MAXUINT && posix_memalign(&p, huge, size) == 0) {
    madvise(p, size, MADV_HUGEPAGE);
    GByteArray *b = g_byte_array_new_take(p, size);
    g_byte_array_set_size(b, 0);
    *cap = size;
    return b;
  }
#endif
  *cap = room;
  return g_byte_array_sized_new((guint)room);
}

CxChunk *
cx_chunk_new(GPtrArray *spare, gsize size, CxSink *sink, gsize room)
{
  CxChunk *c = spare->len > 0 ? g_ptr_array_steal_index_fast(spare, spare->len - 1) : NULL;
  if (c == NULL) {
    c = g_malloc0(size);
    c->bytes = bytes_new(room, &c->cap);
    c->rec = cx_sink_recorder_new(sink);
  } else {
    g_byte_array_set_size(c->bytes, 0);
    cx_sink_recorder_reset(c->rec);
  }
  c->ok = FALSE;
  return c;
}

void
cx_chunk_free(gpointer p)
{
  CxChunk *c = p;
  g_byte_array_unref(c->bytes);
  cx_sink_recorder_free(c->rec);
  g_free(c);
}

void
cx_chunk_parse(CxChunk *c, gboolean (*parse)(CxChunk *chunk, gpointer data), gpointer data)
{
  guint64 g0, r0, g1, r1;
  cx_time_dst_counts(&g0, &r0);
  c->ok = parse(c, data);
  cx_time_dst_counts(&g1, &r1);
  c->dst_gap = g1 - g0;
  c->dst_repeated = r1 - r0;
}

gboolean
cx_chunk_play_next(CxParallel *par, CxSink *sink, GPtrArray *spare, GError **error)
{
  CxChunk *c = cx_parallel_take(par);
  /* every chunk alive (in flight, spare, being filled) may come to hold
   * what this one does */
  gsize alive = cx_parallel_pending(par) + spare->len + 2;
  cx_sink_hold(sink, alive * (MAX(c->cap, c->bytes->len) + cx_sink_recorder_bytes(c->rec)));
  gboolean ok = c->ok;
  if (ok) {
    cx_time_dst_add(c->dst_gap, c->dst_repeated);
    ok = cx_sink_play(sink, c->rec, error);
  }
  g_ptr_array_add(spare, c);
  return ok;
}
