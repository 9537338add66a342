/* The friction report (friction-report.c: cx_friction_to_text,
 * cx_friction_to_json, cx_finding_describe) on a hand-made log whose
 * findings can be counted by hand: 40 journeys open -> check -> close, of
 * which every fourth (c01, c05, ...) switches to the phone at 'check' and
 * stops there (a drop-off: 10 customers lost), and every fourth from c00
 * goes check -> fix -> check and waits a day before closing (a ping-pong
 * that goes with success, so not ranked as friction). */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include "cxmine/cxmine.h"
#include "cxmine/friction.h"
#include "csv-log.h"

typedef struct {
  const char *act;
  int hours;
  const char *channel;
} Step;

static char *
make_csv(void)
{
  GString *s = g_string_new("case,activity,timestamp,channel\n");
  for (int i = 0; i < 40; i++) {
    /* day i of January 2024, 09:00 */
    g_autoptr(GDateTime) day = g_date_time_new_utc(2024, 1, 1, 9, 0, 0);
    g_autoptr(GDateTime) base = g_date_time_add_days(day, i);
    Step steps[5];
    guint n = 0;
    steps[n++] = (Step){ "open", 0, "web" };
    if (i % 4 == 0) {
      steps[n++] = (Step){ "check", 1, "web" };
      steps[n++] = (Step){ "fix", 2, "web" };
      steps[n++] = (Step){ "check", 3, "web" };
      steps[n++] = (Step){ "close", 30, "web" };
    } else if (i % 4 == 1) {
      steps[n++] = (Step){ "check", 1, "phone" };
    } else {
      steps[n++] = (Step){ "check", 1, "web" };
      steps[n++] = (Step){ "close", 2, "web" };
    }
    for (guint k = 0; k < n; k++) {
      g_autoptr(GDateTime) t = g_date_time_add_hours(base, steps[k].hours);
      g_autofree char *iso = g_date_time_format(t, "%Y-%m-%dT%H:%M:%SZ");
      g_string_append_printf(s, "c%02d,%s,%s,%s\n", i, steps[k].act, iso, steps[k].channel);
    }
  }
  return g_string_free(s, FALSE);
}

typedef struct {
  CsvLog c;
  CxFriction *f;
} Run;

static void
run_open(Run *r)
{
  g_autofree char *csv = make_csv();
  csv_log_open(&r->c, csv);
  CxFrictionOptions o;
  cx_friction_options_init(&o);
  r->f = cx_friction_new(r->c.log, &o);
  csv_log_scan(&r->c, cx_friction_add, cx_friction_reset, r->f);
  ck_assert(cx_friction_finish(r->f, NULL));
}

static void
run_close(Run *r)
{
  g_clear_pointer(&r->f, cx_friction_free);
  csv_log_close(&r->c);
}

#define HAS(text, needle) ck_assert_msg(strstr(text, needle) != NULL, "no %s in:\n%s", needle, text)

static const char *const DROPOFF_TEXT
    = "Drop-off: 10 finished journeys (25%) end at 'check' without success. Those cases take 1 h "
      "less (median 1 h vs 2 h) and end successfully 100 points less often than the others (0% vs "
      "100%).";

START_TEST(test_findings_described)
{
  Run r;
  run_open(&r);
  ck_assert_uint_eq(cx_friction_n_cases(r.f), 40);
  guint n = 0;
  const CxFinding *fd = cx_friction_findings(r.f, &n);
  ck_assert_uint_eq(n, 1);
  g_autofree char *text = cx_finding_describe(&fd[0], 40);
  ck_assert_str_eq(text, DROPOFF_TEXT);
  guint nw = 0;
  const CxFinding *with = cx_friction_with_success(r.f, &nw);
  ck_assert_uint_eq(nw, 1);
  g_autofree char *pp = cx_finding_describe(&with[0], 40);
  /* 30 h against 2 h; 100% of these end well against 20 of the 30 others */
  ck_assert_str_eq(pp, "Ping-pong: 'check' -> 'fix' -> 'check' in 10 cases (25%), 10 returns. "
                       "Those cases take 1.2 d longer (median 1.2 d vs 0.1 d) and end "
                       "successfully 33 points more often than others who reached that step "
                       "(100% vs 67%).");
  run_close(&r);
}
END_TEST

START_TEST(test_text)
{
  Run r;
  run_open(&r);
  g_autoptr(GString) out = g_string_new(NULL);
  cx_friction_to_text(r.f, out, 15, 0);
  HAS(out->str, "40 journeys: 30 ended successfully, 10 dropped off, 0 still open.\n");
  HAS(out->str, "What matters most (ranked by customers lost, then extra customer time):\n"
                "  1. Journeys end at 'check' without success: 10 customers lost (25%)\n");
  HAS(out->str, "1 finding (1 dropoff), ranked by customers lost");
  HAS(out->str, DROPOFF_TEXT);
  HAS(out->str, "Goes with success (probably a required step), not ranked as friction:\n"
                "  Ping-pong: 'check' -> 'fix' -> 'check' in 10 cases (25%)");
  HAS(out->str, "  check                                            40         10 (25%)\n");
  HAS(out->str, "Channel switches (from -> to: times, cases, median wait):\n"
                "  web -> phone: 10, 10, 1 h\n");
  ck_assert_ptr_null(strstr(out->str, "c01"));
  run_close(&r);
}
END_TEST

START_TEST(test_text_case_ids)
{
  Run r;
  run_open(&r);
  g_autoptr(GString) out = g_string_new(NULL);
  cx_friction_to_text(r.f, out, 15, 3); /* at most 3 ids a finding */
  HAS(out->str, "c01");
  HAS(out->str, "c05");
  HAS(out->str, "c09");
  ck_assert_ptr_null(strstr(out->str, "c13"));
  run_close(&r);
}
END_TEST

static char *
friction_json(CxFriction *f, guint top, gboolean case_ids)
{
  GString *out = g_string_new(NULL);
  CxJson *j = cx_json_new(out, FALSE);
  cx_friction_to_json(f, j, top, case_ids);
  cx_json_free(j);
  return g_string_free(out, FALSE);
}

START_TEST(test_json)
{
  Run r;
  run_open(&r);
  g_autofree char *json = friction_json(r.f, 0, FALSE);
  HAS(json, "\"cases\":40,");
  HAS(json, "\"outcomes\":{\"success\":30,\"dropoff\":10,\"open\":0},\"findings_total\":1,"
            "\"truncated\":false,\"findings\":[{\"kind\":\"dropoff\",\"activities\":[\"check\"],"
            "\"channels\":[],\"measure\":null,\"cases\":10,\"share\":0.25,\"customers_lost\":10,"
            "\"customers_lost_share\":0.25,");
  HAS(json, "\"median_with_s\":3600,\"median_without_s\":7200,\"success_with\":0,"
            "\"success_without\":1,");
  HAS(json, "\"also\":[{\"kind\":\"channel_switch\",\"activities\":[],\"channels\":[\"web\","
            "\"phone\"],\"cases\":10}]");
  g_autofree char *text = g_strdup_printf("\"text\":\"%s\"", DROPOFF_TEXT);
  HAS(json, text);
  HAS(json, "\"with_success\":[{\"kind\":\"pingpong\",\"activities\":[\"check\",\"fix\"]");
  ck_assert_ptr_null(strstr(json, "\"case_ids\""));
  /* the case ids of the drop-off: by start, every fourth from c01 */
  g_autofree char *ids = friction_json(r.f, 0, TRUE);
  HAS(ids, "\"case_ids\":[\"c01\",\"c05\",\"c09\",\"c13\",\"c17\",\"c21\",\"c25\",\"c29\",\"c33\","
           "\"c37\"]");
  run_close(&r);
}
END_TEST

START_TEST(test_empty_log)
{
  CsvLog c;
  csv_log_open(&c, "case,activity,timestamp\n");
  CxFrictionOptions o;
  cx_friction_options_init(&o);
  CxFriction *f = cx_friction_new(c.log, &o);
  csv_log_scan(&c, cx_friction_add, cx_friction_reset, f);
  ck_assert(cx_friction_finish(f, NULL));
  g_autofree char *json = friction_json(f, 0, FALSE);
  HAS(json, "\"cases\":0,");
  HAS(json, "\"findings_total\":0,\"truncated\":false,\"findings\":[]");
  g_autoptr(GString) out = g_string_new(NULL);
  cx_friction_to_text(f, out, 15, 0);
  ck_assert_ptr_null(strstr(out->str, "Drop-off"));
  cx_friction_free(f);
  csv_log_close(&c);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("friction-report");
  TCase *tc = tcase_create("report");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, test_findings_described);
  tcase_add_test(tc, test_text);
  tcase_add_test(tc, test_text_case_ids);
  tcase_add_test(tc, test_json);
  tcase_add_test(tc, test_empty_log);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_ENV);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
