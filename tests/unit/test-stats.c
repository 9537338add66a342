/* The statistics of a log (stats.h) on a hand-made CSV: the headline
 * numbers, case durations, channels, JSON and text, a reset before a second
 * pass, and an empty log whose unknowns stay unknown. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "cxmine/cxmine.h"
#include "csv-log.h"

/* c1: a b (2 h, web); c2: a b c (4 h, phone then web); c3: a (one event) */
static const char *const LOG_CSV = "case,activity,timestamp,resource,channel\n"
                                   "c1,a,2024-01-01T10:00:00Z,ann,web\n"
                                   "c1,b,2024-01-01T12:00:00Z,bob,web\n"
                                   "c2,a,2024-01-02T10:00:00Z,ann,phone\n"
                                   "c2,b,2024-01-02T11:00:00Z,ann,web\n"
                                   "c2,c,2024-01-02T14:00:00Z,cy,web\n"
                                   "c3,a,2024-01-03T09:00:00Z,ann,web\n";

START_TEST(test_summary_numbers)
{
  CsvLog c;
  csv_log_open(&c, LOG_CSV);
  g_autoptr(CxStats) s = cx_stats_new(c.log);
  csv_log_scan(&c, cx_stats_add, cx_stats_reset, s);
  CxStatsSummary sum;
  cx_stats_summarize(s, &sum);
  ck_assert_uint_eq(sum.cases, 3);
  ck_assert_uint_eq(sum.events, 6);
  ck_assert_uint_eq(sum.instances, 6);
  ck_assert_uint_eq(sum.activities, 3);
  ck_assert_uint_eq(sum.variants, 3); /* a b, a b c, a */
  ck_assert_int_eq(sum.first, CSV_LOG_T0 + 10 * CSV_LOG_HOUR);
  ck_assert_int_eq(sum.last, CSV_LOG_T0 + 57 * CSV_LOG_HOUR);
  /* durations 7200, 14400 and 0 s: a one-event case lasts 0, it is timed */
  ck_assert_uint_eq(sum.duration.n, 3);
  ck_assert_double_eq(sum.duration.min, 0);
  ck_assert_double_eq(sum.duration.median, 7200);
  ck_assert_double_eq(sum.duration.max, 14400);
  ck_assert_double_eq(sum.duration.mean, 7200);
  ck_assert_double_eq(sum.duration.total, 21600);
  /* channels by instances, most used first */
  ck_assert_uint_eq(sum.n_channels, 2);
  CxPool *ch = cx_log_channels(c.log);
  ck_assert_str_eq(cx_pool_get(ch, sum.channels[0]), "web");
  ck_assert_uint_eq(sum.channel_counts[0], 5);
  ck_assert_str_eq(cx_pool_get(ch, sum.channels[1]), "phone");
  ck_assert_uint_eq(sum.channel_counts[1], 1);
  g_clear_pointer(&s, cx_stats_free); /* before the log it reads */
  csv_log_close(&c);
}
END_TEST

static char *
stats_json(CxStats *s)
{
  GString *out = g_string_new(NULL);
  CxJson *j = cx_json_new(out, TRUE);
  cx_stats_to_json(s, j);
  cx_json_free(j);
  return g_string_free(out, FALSE);
}

#define HAS(text, needle) ck_assert_msg(strstr(text, needle) != NULL, "no %s in:\n%s", needle, text)

START_TEST(test_json)
{
  CsvLog c;
  csv_log_open(&c, LOG_CSV);
  g_autoptr(CxStats) s = cx_stats_new(c.log);
  csv_log_scan(&c, cx_stats_add, cx_stats_reset, s);
  g_autofree char *json = stats_json(s);
  HAS(json, "\n  \"log\": \"log.csv\",\n  \"cases\": 3,\n  \"events\": 6,\n  \"instances\": 6,\n"
            "  \"activities\": 3,\n  \"resources\": 3,\n  \"variants\": 3,\n  \"channels\": 2,\n");
  HAS(json,
      "\"channel_counts\": [\n    {\n      \"channel\": \"web\",\n      \"count\": 5\n    },\n"
      "    {\n      \"channel\": \"phone\",\n      \"count\": 1\n    }\n  ],\n");
  HAS(json, "\"first\": \"2024-01-01T10:00:00Z\",\n  \"last\": \"2024-01-03T09:00:00Z\",\n");
  /* 2, 3 and 1 instances a case */
  HAS(json, "\"instances_per_case\": {\n    \"mean\": 2,\n    \"median\": 2,\n");
  HAS(json, "\"case_duration_s\": {\n    \"mean\": 7200,\n    \"median\": 7200,\n");
  HAS(json, "\"max\": 14400");
  HAS(json, "\"events_without_timestamp\": 0,");
  ck_assert(g_str_has_prefix(json, "{\n"));
  ck_assert(g_str_has_suffix(json, "\n}"));
  g_clear_pointer(&s, cx_stats_free); /* before the log it reads */
  csv_log_close(&c);
}
END_TEST

START_TEST(test_text)
{
  CsvLog c;
  csv_log_open(&c, LOG_CSV);
  g_autoptr(CxStats) s = cx_stats_new(c.log);
  csv_log_scan(&c, cx_stats_add, cx_stats_reset, s);
  g_autoptr(GString) out = g_string_new(NULL);
  cx_stats_to_text(s, out);
  HAS(out->str, "Cases       3\nEvents      6\nActivities  3\nResources   3\nVariants    3\n");
  HAS(out->str, "Period      2024-01-01 10:00:00 .. 2024-01-03 09:00:00 (UTC)\n");
  HAS(out->str, "Events/case min 1, median 2, max 3\n");
  /* three journeys start with a, one each ends with b, c and a */
  HAS(out->str, "Start activities (journeys, share of journeys)\n          3    100%  a\n");
  g_clear_pointer(&s, cx_stats_free); /* before the log it reads */
  csv_log_close(&c);
}
END_TEST

static gboolean
add_twice_then_reset(const CxJourney *j, gpointer s, GError **error)
{
  return cx_stats_add(j, s, error) && cx_stats_add(j, s, error);
}

START_TEST(test_reset_forgets)
{
  CsvLog c;
  csv_log_open(&c, LOG_CSV);
  g_autoptr(CxStats) s = cx_stats_new(c.log);
  csv_log_scan(&c, add_twice_then_reset, cx_stats_reset, s);
  CxStatsSummary twice;
  cx_stats_summarize(s, &twice);
  ck_assert_uint_eq(twice.cases, 6);
  cx_stats_reset(s);
  CxStatsSummary none;
  cx_stats_summarize(s, &none);
  ck_assert_uint_eq(none.cases, 0);
  ck_assert_uint_eq(none.duration.n, 0);
  ck_assert_int_eq(none.first, CX_TS_NONE);
  /* a second pass after the reset counts as the first did */
  csv_log_scan(&c, cx_stats_add, cx_stats_reset, s);
  CxStatsSummary again;
  cx_stats_summarize(s, &again);
  ck_assert_uint_eq(again.cases, 3);
  ck_assert_uint_eq(again.events, 6);
  ck_assert_uint_eq(again.variants, 3);
  ck_assert_double_eq(again.duration.total, 21600);
  g_clear_pointer(&s, cx_stats_free); /* before the log it reads */
  csv_log_close(&c);
}
END_TEST

START_TEST(test_empty_log)
{
  CsvLog c;
  csv_log_open(&c, "case,activity,timestamp\n");
  g_autoptr(CxStats) s = cx_stats_new(c.log);
  csv_log_scan(&c, cx_stats_add, cx_stats_reset, s);
  CxStatsSummary sum;
  cx_stats_summarize(s, &sum);
  ck_assert_uint_eq(sum.cases, 0);
  ck_assert_uint_eq(sum.variants, 0);
  ck_assert_int_eq(sum.first, CX_TS_NONE);
  ck_assert_int_eq(sum.last, CX_TS_NONE);
  ck_assert_uint_eq(sum.duration.n, 0);
  g_autofree char *json = stats_json(s);
  HAS(json, "\"cases\": 0,");
  HAS(json, "\"first\": null,\n  \"last\": null,");
  HAS(json, "\"case_duration_s\": {\n    \"mean\": null,");
  g_autoptr(GString) out = g_string_new(NULL);
  cx_stats_to_text(s, out);
  HAS(out->str, "Case duration  unknown (no cases)\n");
  g_clear_pointer(&s, cx_stats_free); /* before the log it reads */
  csv_log_close(&c);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("stats");
  TCase *tc = tcase_create("stats");
  tcase_add_test(tc, test_summary_numbers);
  tcase_add_test(tc, test_json);
  tcase_add_test(tc, test_text);
  tcase_add_test(tc, test_reset_forgets);
  tcase_add_test(tc, test_empty_log);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_ENV);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
