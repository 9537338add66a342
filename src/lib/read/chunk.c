/* The chunks of a split file (chunk-private.h). */
#include "chunk-private.h"
#include "cxmine/timestamp.h"
#include "mem-private.h"

/* A chunk's bytes, room for @room of them (*@cap: what was allocated).
 * Whole 2 MiB huge pages where the system has them: every byte of a chunk
 * is written, so its first fill then costs a page fault per 2 MiB instead
 * of one per 4 KiB (CX_PARALLEL_CHUNK is sized to fill such a page). */
static GByteArray *
bytes_new(gsize room, gsize *cap)
{
  gsize size = room;
  void *p = size <= G_MAXUINT ? cx_mem_huge_alloc(&size) : NULL;
  if (p != NULL && size <= G_MAXUINT) {
    GByteArray *b = g_byte_array_new_take(p, size);
    g_byte_array_set_size(b, 0);
    *cap = size;
    return b;
  }
  g_free(p);
  *cap = room;
  return g_byte_array_sized_new((guint)room);
}

gssize
cx_chunk_read(CxInput *in, GByteArray *b, gsize step)
{
  guint len = b->len;
  g_byte_array_set_size(b, len + (guint)step);
  gssize n = cx_input_read(in, (char *)b->data + len, step, NULL);
  g_byte_array_set_size(b, len + (guint)MAX(n, 0));
  return n;
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
  /* they count when the chunk is played: not on this thread, which may be
   * the one that plays (cx_parallel_take) */
  cx_time_dst_add(0 - c->dst_gap, 0 - c->dst_repeated);
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
