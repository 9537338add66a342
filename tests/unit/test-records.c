/* Tests for the records one per journey (base/records.c): past the first
 * MiB, and with the test setting's small blocks, they go to a scratch file
 * and read back the same, in order, at random and while more are appended;
 * a reset starts afresh; a scratch file that cannot be made is an error
 * the store keeps, and what it could not keep reads back as zeros. */
#include <check.h>
#include <string.h>
#include "records-private.h"

/* record @i of @size bytes: bytes that differ from one record to the next */
static void
fill(guint8 *rec, gsize size, guint64 i, guint round)
{
  for (gsize k = 0; k < size; k++)
    rec[k] = (guint8)(i * 31 + k * 7 + round * 101 + (i >> 8));
}

static void
check_rec(CxRecords *r, gsize size, guint64 i, guint round)
{
  guint8 want[72], got[72];
  fill(want, size, i, round);
  memset(got, 0xAA, sizeof got);
  cx_records_get(r, i, got);
  ck_assert_msg(memcmp(want, got, size) == 0, "record %" G_GUINT64_FORMAT " of size %zu", i, size);
  ck_assert_uint_eq(got[size], 0xAA); /* no more than a record is written */
}

/* @n records of @size: appended (every 97th append reads back the one just
 * appended and one far back), then all in order, then at random; twice,
 * with a reset between. */
static void
run(gsize size, guint64 n)
{
  g_autoptr(CxRecords) r = cx_records_new(size);
  for (guint round = 0; round < 2; round++) {
    guint8 rec[64];
    for (guint64 i = 0; i < n; i++) {
      fill(rec, size, i, round);
      cx_records_append(r, rec);
      if (i % 97 == 0) {
        check_rec(r, size, i, round);
        check_rec(r, size, i / 3, round);
      }
    }
    ck_assert_uint_eq(cx_records_len(r), n);
    for (guint64 i = 0; i < n; i++)
      check_rec(r, size, i, round);
    guint64 x = 12345;
    for (guint k = 0; k < 20000; k++) {
      x = x * G_GUINT64_CONSTANT(6364136223846793005) + 1442695040888963407u;
      check_rec(r, size, (x >> 17) % n, round);
    }
    ck_assert(cx_records_check(r, NULL));
    cx_records_reset(r);
    ck_assert_uint_eq(cx_records_len(r), 0);
  }
}

/* 2.4 MB of 24-byte records: the first MiB in memory, the rest on disk */
START_TEST(test_past_memory)
{
  run(24, 100000);
  run(32, 3);
}
END_TEST

/* the test setting: every block, of as many records, on disk; odd sizes */
START_TEST(test_small_blocks)
{
  g_setenv("CXMINE_TEST_LIST_BLOCK", "3", TRUE);
  run(24, 5000);
  run(3, 5000);
  run(64, 700);
  run(40, 1);
  g_setenv("CXMINE_TEST_LIST_BLOCK", "1", TRUE);
  run(20, 900);
  g_setenv("CXMINE_TEST_LIST_BLOCK", "100000", TRUE); /* at most a 64 KiB block */
  run(16, 20000);
  g_unsetenv("CXMINE_TEST_LIST_BLOCK");
}
END_TEST

START_TEST(test_no_scratch_file)
{
  /* this test's own process: the temporary directory is looked up here */
  g_setenv("TMPDIR", "/nonexistent/cxmine-records-test", TRUE);
  g_setenv("CXMINE_TEST_LIST_BLOCK", "4", TRUE);
  g_autoptr(CxRecords) r = cx_records_new(16);
  guint8 rec[16];
  fill(rec, 16, 0, 0);
  cx_records_append(r, rec);
  ck_assert(cx_records_check(r, NULL)); /* the open block is in memory */
  for (guint64 i = 1; i < 40; i++) {
    fill(rec, 16, i, 0);
    cx_records_append(r, rec);
  }
  g_autoptr(GError) error = NULL;
  ck_assert(!cx_records_check(r, &error));
  ck_assert_msg(strstr(error->message, "cannot create the temporary file in "
                                       "/nonexistent/cxmine-records-test")
                        != NULL
                    && strstr(error->message, "TMPDIR") != NULL,
                "%s", error->message);
  guint8 got[16];
  cx_records_get(r, 0, got);
  for (guint k = 0; k < 16; k++)
    ck_assert_uint_eq(got[k], 0);
  check_rec(r, 16, 39, 0); /* the open block still reads */
  cx_records_reset(r);
  ck_assert(cx_records_check(r, NULL));
  g_unsetenv("CXMINE_TEST_LIST_BLOCK");
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("records");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, test_past_memory);
  tcase_add_test(tc, test_small_blocks);
  tcase_add_test(tc, test_no_scratch_file);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_ENV);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? 0 : 1;
}
