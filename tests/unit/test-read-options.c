/* The reading options' lifecycle and text parsers (cxmine/reader.h), and
 * the partition's stable shard rule (cxmine/partition.h). */
#include <check.h>
#include <string.h>
#include "cxmine/cxmine.h"
#include "cxmine/timestamp.h"

START_TEST(init_and_clear)
{
  CxReadOptions o;
  memset(&o, 0x5a, sizeof o);
  cx_read_options_init(&o);
  ck_assert_ptr_null(o.filters);
  ck_assert_ptr_null(o.case_col);
  ck_assert_int_eq(o.memory, 0);
  o.case_col = g_strdup("id");
  o.activity_cols = g_strsplit("a,b", ",", -1);
  o.lifecycle = CX_LIFECYCLE_MODE_ALL;
  ck_assert(cx_read_options_add_filter(&o, "starts-with", "A", NULL));
  cx_read_options_want_attr(&o, "channel");
  cx_read_options_clear(&o);
  /* cleared is the defaults again, and clearing twice is harmless */
  ck_assert_ptr_null(o.case_col);
  ck_assert_ptr_null(o.activity_cols);
  ck_assert_ptr_null(o.filters);
  ck_assert_ptr_null(o.attr_keys);
  ck_assert_int_eq(o.lifecycle, CX_LIFECYCLE_MODE_AUTO);
  cx_read_options_clear(&o);
}
END_TEST

START_TEST(parsers)
{
  CxFormat f = CX_FORMAT_AUTO;
  ck_assert(cx_format_parse("XES", &f) && f == CX_FORMAT_XES);
  ck_assert(cx_format_parse("csv", &f) && f == CX_FORMAT_CSV);
  ck_assert(!cx_format_parse("json", &f) && f == CX_FORMAT_CSV);

  CxLifecycleMode m = CX_LIFECYCLE_MODE_AUTO;
  ck_assert(cx_lifecycle_mode_parse("pair", &m) && m == CX_LIFECYCLE_MODE_PAIR);
  ck_assert(cx_lifecycle_mode_parse("complete", &m) && m == CX_LIFECYCLE_MODE_COMPLETE);
  ck_assert(!cx_lifecycle_mode_parse("All", &m) && m == CX_LIFECYCLE_MODE_COMPLETE);

  char d = 0;
  ck_assert(cx_delimiter_parse(";", &d) && d == ';');
  ck_assert(cx_delimiter_parse("\\t", &d) && d == '\t');
  ck_assert(cx_delimiter_parse("TAB", &d) && d == '\t');
  ck_assert(cx_delimiter_parse("\t", &d) && d == '\t');
  ck_assert(!cx_delimiter_parse("\"", &d));
  ck_assert(!cx_delimiter_parse(",,", &d));
  ck_assert(!cx_delimiter_parse("", &d));

  guint64 n = 7;
  ck_assert(cx_size_parse("65536", &n) && n == 65536);
  ck_assert(cx_size_parse("512M", &n) && n == G_GUINT64_CONSTANT(512) << 20);
  ck_assert(cx_size_parse("2GiB", &n) && n == G_GUINT64_CONSTANT(2) << 30);
  ck_assert(cx_size_parse("1kb", &n) && n == 1024);
  ck_assert(cx_size_parse("10B", &n) && n == 10);
  n = 7;
  ck_assert(!cx_size_parse("0", &n) && n == 7);
  ck_assert(!cx_size_parse("-1G", &n));
  ck_assert(!cx_size_parse("1X", &n));
  ck_assert(!cx_size_parse("1Gx", &n));
  ck_assert(!cx_size_parse("20000000T", &n)); /* past 2^64 */
}
END_TEST

START_TEST(shards_are_stable)
{
  /* FNV-1a-64 of the bytes mod K: fixed forever (shards made by one version
   * are read by the next) */
  ck_assert_uint_eq(cx_partition_shard_of("case-1", 16), 15);
  ck_assert_uint_eq(cx_partition_shard_of("Case 42", 7), 4);
  ck_assert_uint_eq(cx_partition_shard_of("", 5), 2);
  ck_assert_uint_eq(cx_partition_shard_of("\xc3\x9cn\xc3\xaf"
                                          "code",
                                          1000),
                    763);

  ck_assert(cx_partition_piece_ok("jan"));
  ck_assert(!cx_partition_piece_ok(""));
  ck_assert(!cx_partition_piece_ok(".hidden"));
  ck_assert(!cx_partition_piece_ok("a/b"));
  g_autofree char *a = cx_partition_default_piece("/data/jan.xes.gz");
  g_autofree char *b = cx_partition_default_piece("-");
  g_autofree char *c = cx_partition_default_piece("feb.csv.txt");
  g_autofree char *e = cx_partition_default_piece("/data/.xes");
  ck_assert_str_eq(a, "jan");
  ck_assert_str_eq(b, "stdin");
  ck_assert_str_eq(c, "feb");
  ck_assert_str_eq(e, "log");
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("read-options");
  TCase *tc = tcase_create("read-options");
  tcase_add_test(tc, init_and_clear);
  tcase_add_test(tc, parsers);
  tcase_add_test(tc, shards_are_stable);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_ENV);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? 0 : 1;
}
