/* Tests for segment.h: journeys routed by time and by an attribute's
 * value, values grouped into segments (one per value, or numeric bins). */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include "cxmine/cxmine.h"

#define T0 G_GINT64_CONSTANT(1704067200000000)

START_TEST(test_split_side)
{
  CxEvent ev[2] = { { .time = T0 + 10, .start = CX_TS_NONE }, { .time = T0 + 20, .start = T0 } };
  CxJourney j = { .n_instances = 1, .instances = ev };
  ck_assert_int_eq(cx_segment_split_side(&j, T0 + 10), 1); /* at the moment: from it on */
  ck_assert_int_eq(cx_segment_split_side(&j, T0 + 11), 0);
  /* the start of a paired instance counts */
  CxJourney k = { .n_instances = 1, .instances = ev + 1 };
  ck_assert_int_eq(cx_segment_split_side(&k, T0 + 1), 0);
  CxEvent none = { .time = CX_TS_NONE, .start = CX_TS_NONE };
  CxJourney u = { .n_instances = 1, .instances = &none };
  ck_assert_int_eq(cx_segment_split_side(&u, T0), -1);
}
END_TEST

START_TEST(test_key_value)
{
  g_autoptr(CxLog) log = cx_log_new();
  g_autoptr(CxSegmentKey) k = cx_segment_key_new(log, "case:region");
  ck_assert_str_eq(cx_segment_key_name(k), "region");
  CxJourney j = { 0 };
  /* the key is not in the log yet: no value, looked up again later */
  ck_assert_uint_eq(cx_segment_key_value(k, &j), CX_ID_NONE);
  guint32 key = cx_pool_intern(cx_log_keys(log), "region", -1);
  guint32 other = cx_pool_intern(cx_log_keys(log), "regoin2", -1);
  guint32 north = cx_pool_intern(cx_log_values(log), "north", -1);
  CxAttr attrs[2] = { { other, 7 }, { key, north } };
  j.n_attrs = 2;
  j.attrs = attrs;
  ck_assert_uint_eq(cx_segment_key_value(k, &j), north);
  j.n_attrs = 1;
  ck_assert_uint_eq(cx_segment_key_value(k, &j), CX_ID_NONE);
  g_autoptr(CxSegmentKey) typo = cx_segment_key_new(log, "regoin");
  g_autofree char *hint = cx_segment_key_hint(typo);
  ck_assert_msg(strstr(hint, "did you mean") != NULL, "hint: '%s'", hint);
}
END_TEST

static guint32
value(CxLog *log, const char *s)
{
  return cx_pool_intern(cx_log_values(log), s, -1);
}

START_TEST(test_values_one_each)
{
  g_autoptr(CxLog) log = cx_log_new();
  guint32 v[3] = { value(log, "south"), CX_ID_NONE, value(log, "north") };
  guint64 n[3] = { 5, 2, 9 };
  g_autoptr(GError) error = NULL;
  g_autoptr(CxSegments) s = cx_segments_new(log, "region", v, n, 3, NULL, &error);
  ck_assert_ptr_nonnull(s);
  ck_assert(!cx_segments_binned(s));
  ck_assert_str_eq(cx_segments_how(s), "");
  ck_assert_uint_eq(cx_segments_n(s), 3);
  /* first seen first, "(none)" last */
  ck_assert_str_eq(cx_segments_label(s, 0), "south");
  ck_assert_str_eq(cx_segments_label(s, 1), "north");
  ck_assert_str_eq(cx_segments_label(s, 2), "(none)");
  ck_assert_int_eq(cx_segments_of_value(s, v[0]), 0);
  ck_assert_int_eq(cx_segments_of_value(s, v[2]), 1);
  ck_assert_int_eq(cx_segments_of_value(s, CX_ID_NONE), 2);
  ck_assert_int_eq(cx_segments_of_value(s, value(log, "east")), -1);
  /* bins of words are refused */
  g_autoptr(CxSegments) bad = cx_segments_new(log, "region", v, n, 3, "2", &error);
  ck_assert_ptr_null(bad);
  ck_assert(g_error_matches(error, CX_SEGMENT_ERROR, CX_SEGMENT_ERROR_BINS));
  ck_assert_msg(strstr(error->message, "'region'") != NULL, "%s", error->message);
}
END_TEST

START_TEST(test_values_binned)
{
  g_autoptr(CxLog) log = cx_log_new();
  const char *nums[] = { "10", "3", "250", "40", "7000", "12.5" };
  guint32 v[6];
  guint64 n[6];
  for (guint i = 0; i < 6; i++) {
    v[i] = value(log, nums[i]);
    n[i] = 1;
  }
  g_autoptr(GError) error = NULL;
  /* more distinct numbers than 4: quartiles by default */
  g_autoptr(CxSegments) q = cx_segments_new(log, "amount", v, n, 6, NULL, &error);
  ck_assert_ptr_nonnull(q);
  ck_assert(cx_segments_binned(q));
  ck_assert_str_eq(cx_segments_how(q), "4 bins of about equal journeys");
  /* given edges: an empty bin is left out */
  g_autoptr(CxSegments) e = cx_segments_new(log, "amount", v, n, 6, "5,100,1000,5000", &error);
  ck_assert_ptr_nonnull(e);
  ck_assert_str_eq(cx_segments_how(e), "the bins given");
  ck_assert_uint_eq(cx_segments_n(e), 4);
  ck_assert_str_eq(cx_segments_label(e, 0), "< 5");
  ck_assert_str_eq(cx_segments_label(e, 1), "5 to < 100");
  ck_assert_str_eq(cx_segments_label(e, 2), "100 to < 1000");
  ck_assert_str_eq(cx_segments_label(e, 3), ">= 5000"); /* 1000 to < 5000 is empty */
  ck_assert_int_eq(cx_segments_of_value(e, v[1]), 0);
  ck_assert_int_eq(cx_segments_of_value(e, v[5]), 1);
  ck_assert_int_eq(cx_segments_of_value(e, v[4]), 3);
  g_autoptr(CxSegments) bad = cx_segments_new(log, "amount", v, n, 6, "5,1", &error);
  ck_assert_ptr_null(bad);
  ck_assert(g_error_matches(error, CX_SEGMENT_ERROR, CX_SEGMENT_ERROR_BINS));
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("segment");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, test_split_side);
  tcase_add_test(tc, test_key_value);
  tcase_add_test(tc, test_values_one_each);
  tcase_add_test(tc, test_values_binned);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_ENV);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
