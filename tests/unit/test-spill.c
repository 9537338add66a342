/* Sorted runs on disk and their merge (journey/spill.c): records come back
 * in order of (key, run), within a run in the order written, whatever the
 * read buffers; the temporary file has no name in $TMPDIR at any time. */
#include <check.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include "spill-private.h"

typedef struct {
  guint32 key;
  guint32 run, seq; /* where it was written */
  guint32 pad[3];
} Rec;

static int
cmp_rec(const void *a, const void *b)
{
  const Rec *x = a, *y = b;
  if (x->key != y->key)
    return x->key < y->key ? -1 : 1;
  if (x->run != y->run)
    return x->run < y->run ? -1 : 1;
  return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* writes @runs runs of random sizes with keys below @keys, merges them with
 * @buffer bytes and checks the order against a sort of everything */
static void
merge_check(guint runs, guint32 keys, gsize buffer, guint32 seed)
{
  GRand *rand = g_rand_new_with_seed(seed);
  g_autoptr(CxSpill) sp = cx_spill_new(sizeof(Rec));
  GArray *all = g_array_new(FALSE, FALSE, sizeof(Rec));
  GError *error = NULL;
  for (guint r = 0; r < runs; r++) {
    guint n = (guint)g_rand_int_range(rand, 0, 5000);
    GArray *run = g_array_new(FALSE, FALSE, sizeof(Rec));
    for (guint i = 0; i < n; i++) {
      Rec x = { (guint32)g_rand_int_range(rand, 0, (gint32)keys), r, i, { seed, seed, seed } };
      g_array_append_val(run, x);
    }
    /* sorted by key, keeping the order written (seq) within a key */
    qsort(run->data, run->len, sizeof(Rec), cmp_rec);
    ck_assert(cx_spill_begin_run(sp, &error));
    for (guint i = 0; i < run->len; i++)
      ck_assert(cx_spill_put(sp, &g_array_index(run, Rec, i), &error));
    ck_assert(cx_spill_end_run(sp, &error));
    g_array_append_vals(all, run->data, run->len);
    g_array_free(run, TRUE);
  }
  ck_assert_uint_eq(cx_spill_n_runs(sp), runs);
  ck_assert_uint_eq(cx_spill_n_records(sp), all->len);
  ck_assert_uint_eq(cx_spill_bytes(sp), (guint64)all->len * sizeof(Rec));
  qsort(all->data, all->len, sizeof(Rec), cmp_rec);
  ck_assert(cx_spill_merge_begin(sp, buffer, &error));
  for (guint i = 0; i < all->len; i++) {
    const Rec *want = &g_array_index(all, Rec, i);
    ck_assert_uint_eq(cx_spill_peek(sp), want->key);
    const Rec *got = cx_spill_next(sp, &error);
    ck_assert_ptr_nonnull(got);
    ck_assert_msg(memcmp(got, want, sizeof(Rec)) == 0,
                  "record %u: key %u run %u seq %u, want %u %u %u", i, got->key, got->run, got->seq,
                  want->key, want->run, want->seq);
  }
  ck_assert_uint_eq(cx_spill_peek(sp), G_MAXUINT32);
  ck_assert_ptr_null(error);
  g_array_free(all, TRUE);
  g_rand_free(rand);
}

START_TEST(test_merge_orders_by_key_then_run)
{
  /* few keys (long ties across runs), many keys, one run, many runs, and
   * buffers of one page per run as well as roomy ones */
  merge_check(1, 50, 1 << 20, 1);
  merge_check(5, 20, 1 << 20, 2);
  merge_check(7, 100000, 1 << 20, 3);
  merge_check(40, 300, 0, 4);
  merge_check(3, 5, 0, 5);
}
END_TEST

START_TEST(test_empty)
{
  GError *error = NULL;
  g_autoptr(CxSpill) sp = cx_spill_new(sizeof(Rec));
  ck_assert(cx_spill_merge_begin(sp, 0, &error));
  ck_assert_uint_eq(cx_spill_peek(sp), G_MAXUINT32);
  g_autoptr(CxSpill) sp2 = cx_spill_new(sizeof(Rec));
  ck_assert(cx_spill_begin_run(sp2, &error));
  ck_assert(cx_spill_end_run(sp2, &error));
  ck_assert(cx_spill_merge_begin(sp2, 0, &error));
  ck_assert_uint_eq(cx_spill_peek(sp2), G_MAXUINT32);
}
END_TEST

START_TEST(test_no_name_in_tmpdir)
{
  /* not g_dir_make_tmp(), which would fix g_get_tmp_dir() first */
  g_autofree char *dir = g_strdup("/tmp/cxmine-spill-unit-XXXXXX");
  ck_assert_ptr_nonnull(g_mkdtemp(dir));
  g_setenv("TMPDIR", dir, TRUE);
  /* g_get_tmp_dir() caches: this test runs in a process of its own (fork) */
  ck_assert_str_eq(g_get_tmp_dir(), dir);
  GError *error = NULL;
  CxSpill *sp = cx_spill_new(sizeof(Rec));
  Rec x = { 1, 0, 0, { 0, 0, 0 } };
  ck_assert(cx_spill_begin_run(sp, &error));
  ck_assert(cx_spill_put(sp, &x, &error));
  ck_assert(cx_spill_end_run(sp, &error));
  GDir *d = g_dir_open(dir, 0, NULL);
  ck_assert_ptr_null(g_dir_read_name(d)); /* open, but nameless */
  g_dir_close(d);
  cx_spill_free(sp);
  ck_assert_int_eq(g_rmdir(dir), 0);
}
END_TEST

START_TEST(test_unwritable_tmpdir)
{
  g_setenv("TMPDIR", "/nonexistent/cxmine-spill", TRUE);
  GError *error = NULL;
  g_autoptr(CxSpill) sp = cx_spill_new(sizeof(Rec));
  ck_assert(!cx_spill_begin_run(sp, &error));
  ck_assert_ptr_nonnull(error);
  ck_assert_ptr_null(strchr(error->message, '\n'));
  ck_assert_ptr_nonnull(strstr(error->message, "/nonexistent/cxmine-spill"));
  g_error_free(error);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("spill");
  TCase *tc = tcase_create("core");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, test_merge_orders_by_key_then_run);
  tcase_add_test(tc, test_empty);
  tcase_add_test(tc, test_no_name_in_tmpdir);
  tcase_add_test(tc, test_unwritable_tmpdir);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_set_fork_status(sr, CK_FORK);
  srunner_run_all(sr, CK_ENV);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
