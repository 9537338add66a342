/* Jobs done by worker threads come back in the order they were handed out
 * (parallel-private.h), whichever finished first: early jobs are made the
 * slowest.  Jobs not taken are handed to the drop function after the work
 * in hand is done.  A taking thread that helps does queued work while it
 * waits, each job once; one that does not only waits.  Private API: moves
 * with it. */
#include <check.h>
#include <glib.h>
#include "parallel-private.h"

typedef struct {
  guint index;
  gint done; /* atomic */
} Job;

static void
work(gpointer job, gpointer data)
{
  Job *j = job;
  gint *running = data;
  g_atomic_int_inc(running);
  /* the first jobs take longest, so later ones finish first */
  if (j->index < 8)
    g_usleep((8 - j->index) * 3000);
  g_atomic_int_set(&j->done, 1);
  g_atomic_int_dec_and_test(running);
}

START_TEST(test_order)
{
  for (guint threads = 1; threads <= 4; threads++) {
    gint running = 0;
    CxParallel *p = cx_parallel_new(threads, threads % 2 == 0, work, &running);
    Job jobs[64];
    guint taken = 0;
    for (guint i = 0; i < G_N_ELEMENTS(jobs); i++) {
      jobs[i] = (Job){ .index = i };
      cx_parallel_submit(p, &jobs[i]);
      ck_assert_uint_eq(cx_parallel_pending(p), i + 1 - taken);
      if (i % 5 == 4) {
        Job *j = cx_parallel_take(p);
        ck_assert_uint_eq(j->index, taken);
        ck_assert_int_eq(g_atomic_int_get(&j->done), 1);
        taken++;
      }
    }
    Job *j;
    while ((j = cx_parallel_take(p)) != NULL) {
      ck_assert_uint_eq(j->index, taken);
      ck_assert_int_eq(g_atomic_int_get(&j->done), 1);
      taken++;
    }
    ck_assert_uint_eq(taken, G_N_ELEMENTS(jobs));
    ck_assert_ptr_null(cx_parallel_take(p));
    cx_parallel_free(p, NULL);
  }
}
END_TEST

static void
drop(gpointer job)
{
  Job *j = job;
  /* the work was done before the job is dropped */
  ck_assert_int_eq(g_atomic_int_get(&j->done), 1);
  j->index = G_MAXUINT;
}

START_TEST(test_free_drops_the_rest)
{
  gint running = 0;
  CxParallel *p = cx_parallel_new(2, TRUE, work, &running);
  Job jobs[10];
  for (guint i = 0; i < G_N_ELEMENTS(jobs); i++) {
    jobs[i] = (Job){ .index = i };
    cx_parallel_submit(p, &jobs[i]);
  }
  Job *first = cx_parallel_take(p);
  ck_assert_uint_eq(first->index, 0);
  cx_parallel_free(p, drop);
  ck_assert_int_eq(g_atomic_int_get(&running), 0);
  for (guint i = 1; i < G_N_ELEMENTS(jobs); i++)
    ck_assert_uint_eq(jobs[i].index, G_MAXUINT);
}
END_TEST

typedef struct {
  GThread *by; /* the thread that ran it */
  gint runs;   /* atomic */
  guint sleep; /* ms */
} Helped;

static void
help_work(gpointer job, gpointer data)
{
  (void)data;
  Helped *h = job;
  g_atomic_int_inc(&h->runs);
  h->by = g_thread_self();
  g_usleep(h->sleep * 1000);
}

/* one worker held up by a slow first job (or not started yet): a helping
 * taker runs jobs queued behind it, each exactly once, and still takes
 * them in order */
START_TEST(test_taker_helps)
{
  for (guint helps = 0; helps < 2; helps++) {
    CxParallel *p = cx_parallel_new(1, helps, help_work, NULL);
    Helped jobs[8] = { { 0 } };
    jobs[0].sleep = 200;
    for (guint i = 0; i < G_N_ELEMENTS(jobs); i++) {
      if (i > 0)
        jobs[i].sleep = 2;
      cx_parallel_submit(p, &jobs[i]);
    }
    guint here = 0;
    for (guint i = 0; i < G_N_ELEMENTS(jobs); i++) {
      Helped *h = cx_parallel_take(p);
      ck_assert_ptr_eq(h, &jobs[i]);
      ck_assert_int_eq(g_atomic_int_get(&h->runs), 1);
      here += h->by == g_thread_self();
    }
    cx_parallel_free(p, NULL);
    for (guint i = 0; i < G_N_ELEMENTS(jobs); i++)
      ck_assert_int_eq(g_atomic_int_get(&jobs[i].runs), 1);
    if (helps)
      ck_assert_uint_ge(here, 1);
    else
      ck_assert_uint_eq(here, 0);
  }
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("parallel");
  TCase *tc = tcase_create("parallel");
  tcase_add_test(tc, test_order);
  tcase_add_test(tc, test_free_drops_the_rest);
  tcase_add_test(tc, test_taker_helps);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_ENV);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? 0 : 1;
}
