/* The map metrics (metric.h): every name parses, in any case, to its
 * metric and back; anything else is refused and leaves the output alone;
 * exactly mean, median, p90 and total are durations. */
#include <check.h>
#include <stdlib.h>
#include "cxmine/metric.h"

static const struct {
  const char *name;
  CxMetric metric;
  gboolean duration;
} METRICS[] = {
  { "frequency", CX_METRIC_FREQUENCY, FALSE },
  { "cases", CX_METRIC_CASES, FALSE },
  { "mean", CX_METRIC_MEAN, TRUE },
  { "median", CX_METRIC_MEDIAN, TRUE },
  { "p90", CX_METRIC_P90, TRUE },
  { "total", CX_METRIC_TOTAL, TRUE },
};

START_TEST(test_parse_name_round_trip)
{
  for (guint i = 0; i < G_N_ELEMENTS(METRICS); i++) {
    CxMetric m = (CxMetric)-1;
    ck_assert_msg(cx_metric_parse(METRICS[i].name, &m), "%s", METRICS[i].name);
    ck_assert_int_eq(m, METRICS[i].metric);
    ck_assert_str_eq(cx_metric_name(m), METRICS[i].name);
    ck_assert_int_eq(cx_metric_is_duration(m), METRICS[i].duration);
  }
}
END_TEST

START_TEST(test_parse_any_case)
{
  CxMetric m = CX_METRIC_FREQUENCY;
  ck_assert(cx_metric_parse("P90", &m));
  ck_assert_int_eq(m, CX_METRIC_P90);
  ck_assert(cx_metric_parse("Median", &m));
  ck_assert_int_eq(m, CX_METRIC_MEDIAN);
  ck_assert(cx_metric_parse("CASES", &m));
  ck_assert_int_eq(m, CX_METRIC_CASES);
}
END_TEST

START_TEST(test_parse_refuses_others)
{
  static const char *const bad[]
      = { "", "p95", "avg", "frequency ", " mean", "mea", "totals", "count" };
  for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
    CxMetric m = CX_METRIC_TOTAL;
    ck_assert_msg(!cx_metric_parse(bad[i], &m), "\"%s\" parsed", bad[i]);
    ck_assert_int_eq(m, CX_METRIC_TOTAL); /* untouched */
  }
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("metric");
  TCase *tc = tcase_create("metric");
  tcase_add_test(tc, test_parse_name_round_trip);
  tcase_add_test(tc, test_parse_any_case);
  tcase_add_test(tc, test_parse_refuses_others);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_ENV);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
