/* A bounded pipe of byte blocks between two threads (pipe-private.h). */
#include "pipe-private.h"

struct _CxPipe {
  GMutex lock;
  GCond changed;  /* a block came in or went back, or the pipe closed or was cancelled */
  GQueue full;    /* CxPipeBlock*, in the order pushed */
  GQueue free;    /* CxPipeBlock*, empty */
  GPtrArray *all; /* every block made, for cx_pipe_free() */
  guint max_blocks;
  gsize block_size;
  gboolean closed, cancelled;
  GError *error; /* the producer's, handed to the consumer at the end */
};

static void
block_free(gpointer p)
{
  CxPipeBlock *b = p;
  g_free(b->data);
  g_free(b);
}

CxPipe *
cx_pipe_new(guint max_blocks, gsize block_size)
{
  g_return_val_if_fail(max_blocks > 0 && block_size > 0, NULL);
  CxPipe *p = g_new0(CxPipe, 1);
  g_mutex_init(&p->lock);
  g_cond_init(&p->changed);
  g_queue_init(&p->full);
  g_queue_init(&p->free);
  p->all = g_ptr_array_new_with_free_func(block_free);
  p->max_blocks = max_blocks;
  p->block_size = block_size;
  return p;
}

void
cx_pipe_free(CxPipe *p)
{
  if (p == NULL)
    return;
  g_queue_clear(&p->full);
  g_queue_clear(&p->free);
  g_ptr_array_free(p->all, TRUE);
  g_clear_error(&p->error);
  g_cond_clear(&p->changed);
  g_mutex_clear(&p->lock);
  g_free(p);
}

CxPipeBlock *
cx_pipe_acquire(CxPipe *p, gsize need)
{
  g_mutex_lock(&p->lock);
  CxPipeBlock *b = NULL;
  for (;;) {
    if (p->cancelled)
      break;
    if ((b = g_queue_pop_head(&p->free)) != NULL)
      break;
    if (p->all->len < p->max_blocks) {
      b = g_new0(CxPipeBlock, 1);
      b->cap = p->block_size;
      b->data = g_malloc(b->cap);
      g_ptr_array_add(p->all, b);
      break;
    }
    g_cond_wait(&p->changed, &p->lock);
  }
  g_mutex_unlock(&p->lock);
  if (b == NULL)
    return NULL;
  b->len = 0;
  b->mark = 0;
  if (b->cap < need) {
    /* one record bigger than a block (a 1 MiB attribute value) */
    g_free(b->data);
    b->cap = need;
    b->data = g_malloc(need);
  }
  return b;
}

void
cx_pipe_push(CxPipe *p, CxPipeBlock *b)
{
  g_mutex_lock(&p->lock);
  g_queue_push_tail(p->cancelled ? &p->free : &p->full, b);
  g_cond_broadcast(&p->changed);
  g_mutex_unlock(&p->lock);
}

void
cx_pipe_close(CxPipe *p, GError *error)
{
  g_mutex_lock(&p->lock);
  p->closed = TRUE;
  if (p->error == NULL)
    p->error = error;
  else
    g_clear_error(&error);
  g_cond_broadcast(&p->changed);
  g_mutex_unlock(&p->lock);
}

CxPipeBlock *
cx_pipe_pop(CxPipe *p, GError **error)
{
  g_mutex_lock(&p->lock);
  CxPipeBlock *b;
  while ((b = g_queue_pop_head(&p->full)) == NULL && !p->closed && !p->cancelled)
    g_cond_wait(&p->changed, &p->lock);
  if (b == NULL && p->error != NULL)
    g_propagate_error(error, g_steal_pointer(&p->error));
  g_mutex_unlock(&p->lock);
  return b;
}

void
cx_pipe_release(CxPipe *p, CxPipeBlock *b)
{
  g_mutex_lock(&p->lock);
  g_queue_push_tail(&p->free, b);
  g_cond_broadcast(&p->changed);
  g_mutex_unlock(&p->lock);
}

void
cx_pipe_cancel(CxPipe *p)
{
  g_mutex_lock(&p->lock);
  p->cancelled = TRUE;
  /* what is in flight is not wanted any more */
  CxPipeBlock *b;
  while ((b = g_queue_pop_head(&p->full)) != NULL)
    g_queue_push_tail(&p->free, b);
  g_cond_broadcast(&p->changed);
  g_mutex_unlock(&p->lock);
}
