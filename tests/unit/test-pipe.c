/* The bounded pipe between threads (read/pipe.c): blocks arrive in order,
 * the producer's error comes after its blocks, no more than max_blocks are
 * in flight, and a cancel wakes a producer waiting for room. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include "pipe-private.h"

#define N_BLOCKS 200

static gpointer
produce(gpointer data)
{
  CxPipe *p = data;
  for (guint i = 0; i < N_BLOCKS; i++) {
    CxPipeBlock *b = cx_pipe_acquire(p, 16);
    ck_assert(b != NULL);
    memcpy(b->data, &i, sizeof i);
    b->len = sizeof i;
    b->mark = i;
    cx_pipe_push(p, b);
  }
  cx_pipe_close(p, g_error_new_literal(G_FILE_ERROR, G_FILE_ERROR_FAILED, "producer failed"));
  return NULL;
}

START_TEST(test_order_then_error)
{
  CxPipe *p = cx_pipe_new(3, 64);
  GThread *t = g_thread_new("producer", produce, p);
  g_autoptr(GError) error = NULL;
  guint n = 0;
  CxPipeBlock *b;
  while ((b = cx_pipe_pop(p, &error)) != NULL) {
    guint v;
    memcpy(&v, b->data, sizeof v);
    ck_assert_uint_eq(v, n);
    ck_assert_uint_eq(b->mark, n);
    n++;
    cx_pipe_release(p, b);
  }
  g_thread_join(t);
  ck_assert_uint_eq(n, N_BLOCKS);
  ck_assert(error != NULL);
  ck_assert_str_eq(error->message, "producer failed");
  cx_pipe_free(p);
}
END_TEST

typedef struct {
  CxPipe *pipe;
  gint acquired; /* atomic */
} Filler;

/* Takes blocks without anyone releasing them, until the pipe says no. */
static gpointer
fill_up(gpointer data)
{
  Filler *f = data;
  CxPipeBlock *b;
  while ((b = cx_pipe_acquire(f->pipe, 0)) != NULL) {
    g_atomic_int_inc(&f->acquired);
    cx_pipe_push(f->pipe, b);
  }
  return NULL;
}

START_TEST(test_bounded_and_cancel)
{
  Filler f = { cx_pipe_new(2, 64), 0 };
  GThread *t = g_thread_new("filler", fill_up, &f);
  /* the producer stops at two blocks in flight... */
  while (g_atomic_int_get(&f.acquired) < 2)
    g_usleep(1000);
  g_usleep(50 * 1000);
  ck_assert_int_eq(g_atomic_int_get(&f.acquired), 2);
  /* ...and a cancel wakes it with NULL */
  cx_pipe_cancel(f.pipe);
  g_thread_join(t);
  ck_assert_int_eq(g_atomic_int_get(&f.acquired), 2);
  ck_assert(cx_pipe_pop(f.pipe, NULL) == NULL);
  cx_pipe_free(f.pipe);
}
END_TEST

START_TEST(test_big_record)
{
  CxPipe *p = cx_pipe_new(1, 64);
  CxPipeBlock *b = cx_pipe_acquire(p, 1000);
  ck_assert_uint_ge(b->cap, 1000);
  memset(b->data, 'x', 1000);
  b->len = 1000;
  cx_pipe_push(p, b);
  cx_pipe_close(p, NULL);
  g_autoptr(GError) error = NULL;
  CxPipeBlock *got = cx_pipe_pop(p, &error);
  ck_assert(got == b && got->len == 1000);
  cx_pipe_release(p, got);
  ck_assert(cx_pipe_pop(p, &error) == NULL);
  ck_assert(error == NULL);
  cx_pipe_free(p);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("pipe");
  TCase *tc = tcase_create("pipe");
  tcase_set_timeout(tc, 30);
  tcase_add_test(tc, test_order_then_error);
  tcase_add_test(tc, test_bounded_and_cancel);
  tcase_add_test(tc, test_big_record);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_ENV);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
