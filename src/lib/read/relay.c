/* A one-way byte pipe to a worker thread: the XES reader parses on one core
 * while the sink interns, groups and discovers on the other. */
#include "relay-private.h"

#define BLOCK_SIZE (1024 * 1024)
#define MAX_BLOCKS 8

typedef struct {
  guint8 *data;
  gsize len, cap;
} Block;

struct _CxRelay {
  CxRelayFunc consume;
  gpointer data;
  GThread *thread;
  GAsyncQueue *full; /* Block*, then the end marker */
  GAsyncQueue *free; /* Block* */
  Block *cur;
  guint n_blocks;
  gint failed;   /* atomic */
  GError *error; /* the consumer's; read after the join */
};

/* queued after the last block */
static Block end_marker;

static void
block_free(Block *b)
{
  g_free(b->data);
  g_free(b);
}

static Block *
block_new(gsize cap)
{
  Block *b = g_new0(Block, 1);
  b->cap = cap;
  b->data = g_malloc(cap);
  return b;
}

static gpointer
worker(gpointer p)
{
  CxRelay *r = p;
  for (;;) {
    Block *b = g_async_queue_pop(r->full);
    if (b == &end_marker)
      break;
    if (!g_atomic_int_get(&r->failed) && !r->consume(r->data, b->data, b->len, &r->error))
      g_atomic_int_set(&r->failed, 1);
    b->len = 0;
    g_async_queue_push(r->free, b);
  }
  return NULL;
}

CxRelay *
cx_relay_new(CxRelayFunc consume, gpointer data)
{
  CxRelay *r = g_new0(CxRelay, 1);
  r->consume = consume;
  r->data = data;
  r->full = g_async_queue_new();
  r->free = g_async_queue_new();
  r->cur = block_new(BLOCK_SIZE);
  r->n_blocks = 1;
  r->thread = g_thread_new("cxmine-sink", worker, r);
  return r;
}

static void
hand_on(CxRelay *r, gsize need)
{
  g_async_queue_push(r->full, r->cur);
  Block *b = NULL;
  if (r->n_blocks < MAX_BLOCKS && (b = g_async_queue_try_pop(r->free)) == NULL) {
    b = block_new(BLOCK_SIZE);
    r->n_blocks++;
  }
  if (b == NULL)
    b = g_async_queue_pop(r->free);
  if (b->cap < need) {
    /* one record bigger than a block (a 1 MiB attribute value) */
    g_free(b->data);
    b->cap = need;
    b->data = g_malloc(need);
  }
  r->cur = b;
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
    g_async_queue_push(r->full, r->cur);
  else
    g_async_queue_push(r->free, r->cur);
  r->cur = NULL;
  g_async_queue_push(r->full, &end_marker);
  g_thread_join(r->thread);
  Block *b;
  while ((b = g_async_queue_try_pop(r->free)) != NULL)
    block_free(b);
  g_async_queue_unref(r->full);
  g_async_queue_unref(r->free);
  gboolean ok = !g_atomic_int_get(&r->failed);
  if (r->error != NULL)
    g_propagate_error(error, r->error);
  g_free(r);
  return ok;
}
