/* A one-way record pipe to a worker thread: the XES reader parses on one
 * core while the sink interns, groups and discovers on the other.  The
 * blocks travel through the bounded pipe (pipe-private.h). */
#include "relay-private.h"
#include "pipe-private.h"

#define BLOCK_SIZE (1024 * 1024)
#define MAX_BLOCKS 8

struct _CxRelay {
  CxRelayFunc consume;
  gpointer data;
  GThread *thread;
  CxPipe *pipe;
  CxPipeBlock *cur; /* the block being filled */
  gint failed;      /* atomic */
  GError *error;    /* the consumer's; read after the join */
};

static gpointer
worker(gpointer p)
{
  CxRelay *r = p;
  CxPipeBlock *b;
  while ((b = cx_pipe_pop(r->pipe, NULL)) != NULL) {
    /* after a failure the blocks are still taken, so the producer never waits */
    if (!g_atomic_int_get(&r->failed) && !r->consume(r->data, b->data, b->len, &r->error))
      g_atomic_int_set(&r->failed, 1);
    cx_pipe_release(r->pipe, b);
  }
  return NULL;
}

CxRelay *
cx_relay_new(CxRelayFunc consume, gpointer data)
{
  CxRelay *r = g_new0(CxRelay, 1);
  r->consume = consume;
  r->data = data;
  r->pipe = cx_pipe_new(MAX_BLOCKS, BLOCK_SIZE);
  r->cur = cx_pipe_acquire(r->pipe, 0);
  r->thread = g_thread_new("cxmine-sink", worker, r);
  return r;
}

static void
hand_on(CxRelay *r, gsize need)
{
  cx_pipe_push(r->pipe, r->cur);
  r->cur = cx_pipe_acquire(r->pipe, need);
}

guint8 *
cx_relay_put(CxRelay *r, gsize len)
{
  len = (len + 7) & ~(gsize)7;
  if (G_UNLIKELY(r->cur->len + len > r->cur->cap))
    hand_on(r, len);
  guint8 *p = r->cur->data + r->cur->len;
  r->cur->len += len;
  return p;
}

gboolean
cx_relay_failed(CxRelay *r)
{
  return g_atomic_int_get(&r->failed) != 0;
}

gboolean
cx_relay_finish(CxRelay *r, GError **error)
{
  if (r->cur->len > 0)
    cx_pipe_push(r->pipe, r->cur);
  r->cur = NULL;
  cx_pipe_close(r->pipe, NULL);
  g_thread_join(r->thread);
  cx_pipe_free(r->pipe);
  gboolean ok = !g_atomic_int_get(&r->failed);
  if (r->error != NULL)
    g_propagate_error(error, r->error);
  g_free(r);
  return ok;
}
