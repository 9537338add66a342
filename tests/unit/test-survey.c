/* Tests for the warnings on an empty selection (survey.c through cx_log_scan). */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>
#include <unistd.h>
#include "cxmine/log.h"
#include "cxmine/reader.h"

typedef struct {
  GPtrArray *codes, *messages;
  guint journeys;
} Seen;

static void
on_notice(CxNoticeLevel level, const char *code, const char *message, gpointer data)
{
  Seen *s = data;
  if (level != CX_NOTICE_WARNING)
    return;
  g_ptr_array_add(s->codes, g_strdup(code));
  g_ptr_array_add(s->messages, g_strdup(message));
}

static gboolean
on_journey(const CxJourney *j, gpointer data, GError **error)
{
  ((Seen *)data)->journeys++;
  return TRUE;
}

static char *csv_path;

static void
setup(void)
{
  g_autoptr(GError) error = NULL;
  int fd = g_file_open_tmp("cxmine-survey-XXXXXX.csv", &csv_path, &error);
  ck_assert_int_ge(fd, 0);
  close(fd);
  const char *text = "case,activity,timestamp,region\n"
                     "1,Submit,2024-01-01T10:00:00Z,north\n"
                     "1,Close,2024-01-02T10:00:00Z,north\n"
                     "2,Submit,2024-02-01T10:00:00Z,south\n"
                     "2,Cancel,2024-02-02T10:00:00Z,south\n";
  ck_assert(g_file_set_contents(csv_path, text, -1, NULL));
}

static void
teardown(void)
{
  g_unlink(csv_path);
  g_clear_pointer(&csv_path, g_free);
}

/* Scans the CSV with @set applied to the options; returns the warnings. */
static Seen
scan_with(void (*set)(CxReadOptions *o))
{
  Seen s = { g_ptr_array_new_with_free_func(g_free), g_ptr_array_new_with_free_func(g_free), 0 };
  g_autoptr(CxLog) log = cx_log_new();
  CxReadOptions *o = cx_log_options(log);
  o->notice = on_notice;
  o->notice_data = &s;
  set(o);
  cx_log_add_source(log, csv_path, CX_FORMAT_CSV, NULL);
  g_autoptr(GError) error = NULL;
  ck_assert_msg(cx_log_scan(log, on_journey, NULL, &s, &error), "%s", error ? error->message : "");
  return s;
}

static void
seen_clear(Seen *s)
{
  g_ptr_array_free(s->codes, TRUE);
  g_ptr_array_free(s->messages, TRUE);
}

static void
set_starts(CxReadOptions *o)
{
  ck_assert(cx_read_options_add_filter(o, "starts-with", "submit", NULL));
}

START_TEST(test_starts_with_case_miss)
{
  Seen s = scan_with(set_starts);
  ck_assert_uint_eq(s.journeys, 0);
  ck_assert_uint_eq(s.codes->len, 1);
  ck_assert_str_eq(g_ptr_array_index(s.codes, 0), "empty-selection");
  ck_assert_str_eq(g_ptr_array_index(s.messages, 0),
                   "--starts-with 'submit' selects none of the 2 cases: no activity is called "
                   "'submit' (did you mean 'Submit'?)");
  seen_clear(&s);
}
END_TEST

static void
set_where_value(CxReadOptions *o)
{
  ck_assert(cx_read_options_add_filter(o, "where", "region=nort", NULL));
}

START_TEST(test_where_value)
{
  Seen s = scan_with(set_where_value);
  ck_assert_uint_eq(s.messages->len, 1);
  ck_assert_str_eq(g_ptr_array_index(s.messages, 0),
                   "--where region=nort selects none of the 2 cases: attribute 'region' is never "
                   "'nort' (did you mean 'north'?)");
  seen_clear(&s);
}
END_TEST

static void
set_to(CxReadOptions *o)
{
  ck_assert(cx_read_options_add_filter(o, "to", "2020-01-01", NULL));
  o->display_timezone = g_strdup("Pacific/Auckland");
}

START_TEST(test_period_in_display_zone)
{
  Seen s = scan_with(set_to);
  ck_assert_uint_eq(s.messages->len, 1);
  ck_assert_str_eq(g_ptr_array_index(s.messages, 0),
                   "--to 2020-01-01 selects none of the 2 cases: the log's cases start between "
                   "2024-01-01 and 2024-02-01 (Pacific/Auckland)");
  seen_clear(&s);
}
END_TEST

static void
set_fine(CxReadOptions *o)
{
  ck_assert(cx_read_options_add_filter(o, "ends-with", "Close", NULL));
}

START_TEST(test_no_warning_when_cases_are_kept)
{
  Seen s = scan_with(set_fine);
  ck_assert_uint_eq(s.journeys, 1);
  ck_assert_uint_eq(s.messages->len, 0);
  seen_clear(&s);
}
END_TEST

static Suite *
survey_suite(void)
{
  Suite *s = suite_create("survey");
  TCase *tc = tcase_create("core");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, test_starts_with_case_miss);
  tcase_add_test(tc, test_where_value);
  tcase_add_test(tc, test_period_in_display_zone);
  tcase_add_test(tc, test_no_warning_when_cases_are_kept);
  suite_add_tcase(s, tc);
  return s;
}

int
main(void)
{
  SRunner *sr = srunner_create(survey_suite());
  srunner_run_all(sr, CK_ENV);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
