/* Jobs done by worker threads, taken back in order (parallel-private.h). */
#include "parallel-private.h"

typedef struct {
  gpointer job;
  gboolean done; /* under the lock */
} Slot;

struct _CxParallel {
  GThreadPool *pool;
  CxParallelWork work;
  gpointer data;
  GQueue queue; /* Slot*, in submission order */
  GMutex lock;
  GCond cond;
};

static void
run(gpointer slot, gpointer user_data)
{
  CxParallel *p = user_data;
  Slot *s = slot;
  p->work(s->job, p->data);
  g_mutex_lock(&p->lock);
  s->done = TRUE;
  g_cond_broadcast(&p->cond);
  g_mutex_unlock(&p->lock);
}

CxParallel *
cx_parallel_new(guint threads, CxParallelWork work, gpointer data)
{
  CxParallel *p = g_new0(CxParallel, 1);
  p->work = work;
  p->data = data;
  g_queue_init(&p->queue);
  g_mutex_init(&p->lock);
  g_cond_init(&p->cond);
  /* exclusive: the threads are this file's, started now, so none waits
   * behind another user of GLib's shared pool */
  p->pool = g_thread_pool_new(run, p, (gint)MAX(threads, 1u), TRUE, NULL);
  return p;
}

void
cx_parallel_submit(CxParallel *p, gpointer job)
{
  Slot *s = g_new0(Slot, 1);
  s->job = job;
  g_queue_push_tail(&p->queue, s);
  g_thread_pool_push(p->pool, s, NULL);
}

guint
cx_parallel_pending(const CxParallel *p)
{
  return p->queue.length;
}

gpointer
cx_parallel_take(CxParallel *p)
{
  Slot *s = g_queue_pop_head(&p->queue);
  if (s == NULL)
    return NULL;
  g_mutex_lock(&p->lock);
  while (!s->done)
    g_cond_wait(&p->cond, &p->lock);
  g_mutex_unlock(&p->lock);
  gpointer job = s->job;
  g_free(s);
  return job;
}

void
cx_parallel_free(CxParallel *p, GDestroyNotify drop)
{
  if (p == NULL)
    return;
  /* the queued work still runs: a job is never freed under a worker */
  g_thread_pool_free(p->pool, FALSE, TRUE);
  Slot *s;
  while ((s = g_queue_pop_head(&p->queue)) != NULL) {
    if (drop != NULL)
      drop(s->job);
    g_free(s);
  }
  g_mutex_clear(&p->lock);
  g_cond_clear(&p->cond);
  g_free(p);
}
