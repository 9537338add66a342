/* The journey helpers (log.h): first and last times (a start counts for the
 * first), durations and elapsed working time, numbers in case attributes,
 * and ISO times; on journeys built by hand. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include "cxmine/calendar.h"
#include "cxmine/log.h"

#define H  (G_GINT64_CONSTANT(3600) * CX_USEC_PER_SEC)
#define T0 G_GINT64_CONSTANT(1735891200000000) /* 2025-01-03T08:00:00Z, a Friday */

static CxJourney
journey(const CxEvent *ev, guint n)
{
  CxJourney j = { 0 };
  j.n_events = n;
  j.n_instances = n;
  j.instances = ev;
  return j;
}

START_TEST(test_first_last_duration)
{
  /* not in time order on purpose: the helpers take the minimum and maximum */
  const CxEvent ev[] = {
    { .time = T0 + 2 * H, .start = CX_TS_NONE },
    { .time = T0 + 5 * H, .start = T0 + 4 * H },
    { .time = T0 + 1 * H, .start = CX_TS_NONE },
  };
  CxJourney j = journey(ev, 3);
  ck_assert_int_eq(cx_journey_first_time(&j), T0 + 1 * H);
  ck_assert_int_eq(cx_journey_last_time(&j), T0 + 5 * H);
  ck_assert_int_eq(cx_journey_duration(&j), 4 * H);
  ck_assert_int_eq(cx_journey_elapsed(&j, NULL), 4 * H);
}
END_TEST

START_TEST(test_start_counts_for_first)
{
  /* the first instance started an hour before it completed: the journey
   * begins at its start; the last time is a completion, never a start */
  const CxEvent ev[] = {
    { .time = T0 + 2 * H, .start = T0 + 1 * H },
    { .time = T0 + 3 * H, .start = T0 + 10 * H }, /* a start after completion: ignored for last */
  };
  CxJourney j = journey(ev, 2);
  ck_assert_int_eq(cx_journey_first_time(&j), T0 + 1 * H);
  ck_assert_int_eq(cx_journey_last_time(&j), T0 + 3 * H);
  ck_assert_int_eq(cx_journey_duration(&j), 2 * H);
}
END_TEST

START_TEST(test_untimed)
{
  const CxEvent none[] = {
    { .time = CX_TS_NONE, .start = CX_TS_NONE, .flags = CX_EVENT_UNTIMED },
  };
  CxJourney j = journey(none, 1);
  ck_assert_int_eq(cx_journey_first_time(&j), CX_TS_NONE);
  ck_assert_int_eq(cx_journey_last_time(&j), CX_TS_NONE);
  ck_assert_int_eq(cx_journey_duration(&j), -1);
  ck_assert_int_eq(cx_journey_elapsed(&j, NULL), -1);
  CxJourney empty = journey(NULL, 0);
  ck_assert_int_eq(cx_journey_first_time(&empty), CX_TS_NONE);
  ck_assert_int_eq(cx_journey_duration(&empty), -1);
  /* an untimed instance among timed ones is left out */
  const CxEvent some[] = {
    { .time = T0, .start = CX_TS_NONE },
    { .time = CX_TS_NONE, .start = CX_TS_NONE, .flags = CX_EVENT_UNTIMED },
    { .time = T0 + H, .start = CX_TS_NONE },
  };
  CxJourney k = journey(some, 3);
  ck_assert_int_eq(cx_journey_duration(&k), H);
  /* one timed instance: a duration of zero, known */
  CxJourney one = journey(some, 1);
  ck_assert_int_eq(cx_journey_duration(&one), 0);
}
END_TEST

START_TEST(test_elapsed_by_calendar)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CxCalendar) cal = cx_calendar_new("Mon-Fri 09:00-17:00", NULL, &error);
  ck_assert_ptr_nonnull(cal);
  /* Friday 16:00Z to Monday 10:00Z: one working hour on Friday, one on Monday */
  const CxEvent ev[] = {
    { .time = T0 + 8 * H, .start = CX_TS_NONE },
    { .time = T0 + 74 * H, .start = CX_TS_NONE },
  };
  CxJourney j = journey(ev, 2);
  ck_assert_int_eq(cx_journey_duration(&j), 66 * H);
  ck_assert_int_eq(cx_journey_elapsed(&j, cal), 2 * H);
}
END_TEST

START_TEST(test_attr_number)
{
  g_autoptr(CxPool) values = cx_pool_new();
  guint32 v_num = cx_pool_intern(values, "4.5", -1);
  guint32 v_space = cx_pool_intern(values, "3 ", -1);
  guint32 v_text = cx_pool_intern(values, "good", -1);
  guint32 v_trail = cx_pool_intern(values, "2x", -1);
  guint32 v_inf = cx_pool_intern(values, "inf", -1);
  guint32 v_neg = cx_pool_intern(values, "-1e2", -1);
  const CxAttr attrs[] = { { 1, v_num }, { 2, v_space }, { 3, v_text }, { 4, v_trail },
                           { 5, v_inf }, { 6, v_neg },   { 1, v_neg } };
  CxJourney j = journey(NULL, 0);
  j.attrs = attrs;
  j.n_attrs = G_N_ELEMENTS(attrs);
  ck_assert_double_eq(cx_journey_attr_number(&j, values, 1), 4.5); /* the first of key 1 */
  ck_assert_double_eq(cx_journey_attr_number(&j, values, 2), 3);   /* spaces after it */
  ck_assert(isnan(cx_journey_attr_number(&j, values, 3)));
  ck_assert(isnan(cx_journey_attr_number(&j, values, 4)));
  ck_assert(isnan(cx_journey_attr_number(&j, values, 5))); /* not finite */
  ck_assert_double_eq(cx_journey_attr_number(&j, values, 6), -100);
  ck_assert(isnan(cx_journey_attr_number(&j, values, 7))); /* no such attribute */
}
END_TEST

START_TEST(test_time_format_iso)
{
  const struct {
    gint64 t;
    const char *text;
  } cases[] = {
    { 0, "1970-01-01T00:00:00Z" },
    { T0, "2025-01-03T08:00:00Z" },
    { T0 + 123000, "2025-01-03T08:00:00.123Z" }, /* milliseconds when they suffice */
    { T0 + 123456, "2025-01-03T08:00:00.123456Z" },
    { -1, "1969-12-31T23:59:59.999999Z" }, /* before 1970: the fraction stays positive */
    { G_GINT64_CONSTANT(-59011459200) * CX_USEC_PER_SEC, "0100-01-01T00:00:00Z" }, /* 4 digits */
    { CX_TS_NONE, "" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    g_autofree char *s = cx_time_format_iso(cases[i].t);
    ck_assert_str_eq(s, cases[i].text);
  }
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("journey");
  TCase *tc = tcase_create("journey");
  tcase_add_test(tc, test_first_last_duration);
  tcase_add_test(tc, test_start_counts_for_first);
  tcase_add_test(tc, test_untimed);
  tcase_add_test(tc, test_elapsed_by_calendar);
  tcase_add_test(tc, test_attr_number);
  tcase_add_test(tc, test_time_format_iso);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_ENV);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
