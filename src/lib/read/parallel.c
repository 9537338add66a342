/* Jobs done by worker threads, taken back in order (parallel-private.h). */
#include "parallel-private.h"

/* A job's state, under the lock: queued for the workers, running (on a
 * worker, or on the taking thread), done. */
enum { QUEUED, RUNNING, DONE };

typedef struct {
  gpointer job;
  guint state; /* under the lock */
  guint refs;  /* under the lock: the queue's and the thread pool's */
} Slot;

struct _CxParallel {
  GThreadPool *pool;
  gboolean helps; /* the taking thread does queued work rather than wait */
  CxParallelWork work;
  gpointer data;
  GQueue queue; /* Slot*, in submission order (the taking thread's) */
  GMutex lock;
  GCond cond;
};

static void
slot_unref(Slot *s)
{
  if (--s->refs == 0)
    g_free(s);
}

/* Runs @s's work on this thread (called and returning with the lock held). */
static void
run_here(CxParallel *p, Slot *s)
{
  s->state = RUNNING;
  g_mutex_unlock(&p->lock);
  p->work(s->job, p->data);
  g_mutex_lock(&p->lock);
  s->state = DONE;
  g_cond_broadcast(&p->cond);
}

static void
run(gpointer slot, gpointer user_data)
{
  CxParallel *p = user_data;
  Slot *s = slot;
  g_mutex_lock(&p->lock);
  if (s->state == QUEUED) /* not taken over by the taking thread */
    run_here(p, s);
  slot_unref(s);
  g_mutex_unlock(&p->lock);
}

CxParallel *
cx_parallel_new(guint threads, gboolean helps, CxParallelWork work, gpointer data)
{
  CxParallel *p = g_new0(CxParallel, 1);
  p->helps = helps;
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
  s->refs = 2;
  g_queue_push_tail(&p->queue, s);
  g_thread_pool_push(p->pool, s, NULL);
}

guint
cx_parallel_pending(const CxParallel *p)
{
  return p->queue.length;
}

/* @s when no worker has begun it, else the oldest job after it that none
 * has begun (the queue holds the jobs after @s), or NULL; under the lock. */
static Slot *
oldest_queued(CxParallel *p, Slot *s)
{
  if (s->state == QUEUED)
    return s;
  for (GList *l = p->queue.head; l != NULL; l = l->next)
    if (((Slot *)l->data)->state == QUEUED)
      return l->data;
  return NULL;
}

gpointer
cx_parallel_take(CxParallel *p)
{
  Slot *s = g_queue_pop_head(&p->queue);
  if (s == NULL)
    return NULL;
  g_mutex_lock(&p->lock);
  while (s->state != DONE) {
    /* rather than wait, a helping thread does work no worker has begun:
     * this job's, else the oldest queued after it (what a worker would
     * take next) */
    Slot *t = p->helps ? oldest_queued(p, s) : NULL;
    if (t != NULL)
      run_here(p, t);
    else
      g_cond_wait(&p->cond, &p->lock);
  }
  gpointer job = s->job;
  slot_unref(s);
  g_mutex_unlock(&p->lock);
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
    slot_unref(s); /* the thread pool's reference went as it ran */
  }
  g_mutex_clear(&p->lock);
  g_cond_clear(&p->cond);
  g_free(p);
}
