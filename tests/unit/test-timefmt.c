/* Tests for the CSV timestamp formats. */
#include <check.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include "cxmine/log.h"
#include "cxmine/timefmt.h"
#include "cxmine/timestamp.h"

#define SEC(x) (G_GINT64_CONSTANT(x) * CX_USEC_PER_SEC)

static gint64
iso(const char *s)
{
  gint64 t = 0;
  ck_assert_msg(cx_time_parse_iso(s, strlen(s), NULL, &t, NULL), "cannot parse %s", s);
  return t;
}

static gint64
parse_with(CxTimeFmt *f, const char *s, gboolean *naive)
{
  gint64 t = 0;
  ck_assert_msg(cx_timefmt_parse(f, s, strlen(s), NULL, &t, naive), "cannot parse '%s'", s);
  return t;
}

static gint64
parse(const char *s)
{
  g_autoptr(CxTimeFmt) f = cx_timefmt_new(NULL, NULL);
  return parse_with(f, s, NULL);
}

static gboolean
rejects(CxTimeFmt *f, const char *s)
{
  gint64 t = 42;
  gboolean ok = cx_timefmt_parse(f, s, strlen(s), NULL, &t, NULL);
  ck_assert_int_eq(t, 42);
  return !ok;
}

START_TEST(test_iso_shapes)
{
  gint64 z = SEC(1704099600); /* 2024-01-01T09:00:00Z */
  ck_assert_int_eq(parse("2024-01-01T09:00:00Z"), z);
  ck_assert_int_eq(parse("2024-01-01 10:00:00+01:00"), z);
  ck_assert_int_eq(parse(" 2024-01-01 09:00:00.250 "), z + 250000);
  ck_assert_int_eq(parse("2011-10-11 13:45:40.276000+02:00"), iso("2011-10-11T11:45:40.276Z"));
  ck_assert_int_eq(parse("2016-01-12"), iso("2016-01-12T00:00:00Z"));
}
END_TEST

START_TEST(test_slash_and_dot_shapes)
{
  gboolean naive = FALSE;
  g_autoptr(CxTimeFmt) f = cx_timefmt_new(NULL, NULL);
  /* helpdesk */
  ck_assert_int_eq(parse_with(f, "2012/10/09 14:50:17.000", &naive), iso("2012-10-09T14:50:17Z"));
  ck_assert(naive);
  ck_assert_int_eq(parse("2012/10/9"), iso("2012-10-09T00:00:00Z"));
  ck_assert_int_eq(parse("2012.10.09 14:50"), iso("2012-10-09T14:50:00Z"));
  /* mobis: dd.mm.yyyy HH:MM */
  ck_assert_int_eq(parse("16.01.2017 13:29"), iso("2017-01-16T13:29:00Z"));
  ck_assert_int_eq(parse("16-01-2017"), iso("2017-01-16T00:00:00Z"));
  ck_assert_int_eq(parse("16/01/2017 13:29:05"), iso("2017-01-16T13:29:05Z"));
  ck_assert_int_eq(parse("6/1/2017 1:02"), iso("2017-01-06T01:02:00Z"));
  ck_assert_int_eq(parse("16/01/2017T13:29:05+02:00"), iso("2017-01-16T11:29:05Z"));
  ck_assert_int_eq(parse("16/01/2017 01:29 PM"), iso("2017-01-16T13:29:00Z"));
  ck_assert_int_eq(parse("16/01/2017 12:05 am"), iso("2017-01-16T00:05:00Z"));
  ck_assert_int_eq(parse("16/01/2017 13:29 UTC"), iso("2017-01-16T13:29:00Z"));
  ck_assert(rejects(f, "31/02/2025 10:00"));
  ck_assert(rejects(f, "16/01/17"));
  ck_assert(rejects(f, "16/01-2017"));
  ck_assert(rejects(f, "16/01/2017 25:00"));
  ck_assert(rejects(f, "16/01/2017 13:29 PM"));
  ck_assert(rejects(f, "16/01/2017 x"));
  ck_assert(rejects(f, "yesterday"));
  ck_assert(rejects(f, ""));
}
END_TEST

START_TEST(test_month_first)
{
  g_autoptr(CxTimeFmt) f = cx_timefmt_new(NULL, NULL);
  ck_assert_int_eq(cx_timefmt_observe(f, "01/02/2024", 10), CX_DATE_ORDER_UNKNOWN);
  ck_assert_int_eq(cx_timefmt_observe(f, "01/22/2024 10:00", 16), CX_DATE_ORDER_MONTH_FIRST);
  cx_timefmt_set_order(f, CX_DATE_ORDER_MONTH_FIRST, FALSE);
  ck_assert_int_eq(parse_with(f, "01/02/2024", NULL), iso("2024-01-02T00:00:00Z"));
  ck_assert_int_eq(parse_with(f, "01/22/2024 10:00", NULL), iso("2024-01-22T10:00:00Z"));
  ck_assert(rejects(f, "22/01/2024"));
  /* conflicting evidence */
  ck_assert_int_eq(cx_timefmt_observe(f, "22/01/2024", 10), CX_DATE_ORDER_CONFLICT);
  gboolean guessed = TRUE;
  ck_assert_int_eq(cx_timefmt_order(f, &guessed), CX_DATE_ORDER_MONTH_FIRST);
  ck_assert(!guessed);
}
END_TEST

START_TEST(test_evidence)
{
  ck_assert_int_eq(cx_timefmt_evidence("13/01/2024", 10), CX_DATE_ORDER_DAY_FIRST);
  ck_assert_int_eq(cx_timefmt_evidence("01/13/2024", 10), CX_DATE_ORDER_MONTH_FIRST);
  ck_assert_int_eq(cx_timefmt_evidence("12/11/2024", 10), CX_DATE_ORDER_UNKNOWN);
  ck_assert_int_eq(cx_timefmt_evidence("2024/01/13", 10), CX_DATE_ORDER_UNKNOWN);
  ck_assert_int_eq(cx_timefmt_evidence("13.01.2024 10:00", 16), CX_DATE_ORDER_DAY_FIRST);
  ck_assert(cx_timefmt_is_day_month("1.2.2024", 8));
  ck_assert(!cx_timefmt_is_day_month("2024-01-02", 10));
  ck_assert(!cx_timefmt_is_day_month("1700000000", 10));
  /* an explicit pattern has no use for evidence */
  g_autoptr(CxTimeFmt) f = cx_timefmt_new("%m/%d/%Y", NULL);
  ck_assert_int_eq(cx_timefmt_observe(f, "13/01/2024", 10), CX_DATE_ORDER_UNKNOWN);
}
END_TEST

START_TEST(test_epoch)
{
  ck_assert_int_eq(parse("1704099600"), SEC(1704099600));
  ck_assert_int_eq(parse("1704099600.5"), SEC(1704099600) + 500000);
  ck_assert_int_eq(parse("1704099600123"), SEC(1704099600) + 123000);
  ck_assert_int_eq(parse("1704099600123.5"), SEC(1704099600) + 123500);
  ck_assert_int_eq(parse("0"), 0);
  ck_assert_int_eq(parse("-86400"), -SEC(86400));
  /* 99999999999 s is the year 5138; 1e11 is read as milliseconds */
  ck_assert_int_eq(parse("99999999999"), SEC(99999999999));
  ck_assert_int_eq(parse("100000000000"), SEC(100000000));
  g_autoptr(CxTimeFmt) f = cx_timefmt_new(NULL, NULL);
  ck_assert(rejects(f, "1704099600."));
  ck_assert(rejects(f, "17040996001234567890"));
  ck_assert(rejects(f, "1e9"));
}
END_TEST

START_TEST(test_pattern)
{
  g_autoptr(CxTimeFmt) f = cx_timefmt_new("%d/%b/%Y:%H:%M:%S %z", NULL);
  ck_assert_int_eq(parse_with(f, "10/Oct/2000:13:55:36 -0700", NULL), iso("2000-10-10T20:55:36Z"));
  ck_assert_int_eq(parse_with(f, "10/october/2000:13:55:36 +0000", NULL),
                   iso("2000-10-10T13:55:36Z"));
  ck_assert(rejects(f, "10/Okt/2000:13:55:36 -0700"));
  ck_assert(rejects(f, "10/Oct/2000:13:55:36"));
  ck_assert(rejects(f, "10/Oct/2000:13:55:36 -0700 extra"));

  g_autoptr(CxTimeFmt) g = cx_timefmt_new("%m/%d/%Y %H:%M:%S.%f", NULL);
  gboolean naive = FALSE;
  ck_assert_int_eq(parse_with(g, "01/02/2024 03:04:05.5", &naive), iso("2024-01-02T03:04:05.5Z"));
  ck_assert(naive);
  ck_assert_int_eq(parse_with(g, "1/2/2024   03:04:05.123456789", NULL),
                   iso("2024-01-02T03:04:05.123456Z"));
  /* the pattern replaces the shapes: ISO is not accepted */
  ck_assert(rejects(g, "2024-01-02 03:04:05"));

  g_autoptr(CxTimeFmt) h = cx_timefmt_new("%Y%m%d 100%%", NULL);
  ck_assert_int_eq(parse_with(h, "20240102 100%", NULL), iso("2024-01-02T00:00:00Z"));
}
END_TEST

START_TEST(test_pattern_errors)
{
  g_autoptr(GError) error = NULL;
  CxTimeFmt *f = cx_timefmt_new("%Y-%q", &error);
  ck_assert_ptr_null(f);
  ck_assert(g_error_matches(error, CX_TIMEFMT_ERROR, CX_TIMEFMT_ERROR_PATTERN));
  ck_assert_str_eq(error->message,
                   "timestamp pattern '%Y-%q': unknown directive '%q' (use %Y %m %d %H %M %S %f "
                   "%z %b)");
  g_clear_error(&error);
  ck_assert_ptr_null(cx_timefmt_new("%Y%", &error));
  g_clear_error(&error);
  ck_assert_ptr_null(cx_timefmt_new("", &error));
  ck_assert_str_eq(error->message, "empty timestamp pattern");
}
END_TEST

START_TEST(test_naive_zone)
{
  g_autoptr(GTimeZone) ams = g_time_zone_new_identifier("Europe/Amsterdam");
  ck_assert_ptr_nonnull(ams);
  g_autoptr(CxTimeFmt) f = cx_timefmt_new(NULL, NULL);
  gint64 t = 0;
  gboolean naive = FALSE;
  /* the last Sunday of March 2024: 02:00 CET becomes 03:00 CEST */
  ck_assert(cx_timefmt_parse(f, "31/03/2024 01:30", 16, ams, &t, &naive));
  ck_assert(naive);
  ck_assert_int_eq(t, iso("2024-03-31T00:30:00Z"));
  ck_assert(cx_timefmt_parse(f, "31/03/2024 03:30", 16, ams, &t, NULL));
  ck_assert_int_eq(t, iso("2024-03-31T01:30:00Z"));
  ck_assert(cx_timefmt_parse(f, "2024/07/01 12:00:00.250", 23, ams, &t, NULL));
  ck_assert_int_eq(t, iso("2024-07-01T10:00:00.250Z"));
  /* an offset wins over the naive zone */
  naive = FALSE;
  ck_assert(cx_timefmt_parse(f, "31/03/2024 03:30 +00:00", 23, ams, &t, &naive));
  ck_assert(!naive);
  ck_assert_int_eq(t, iso("2024-03-31T03:30:00Z"));
  g_autoptr(CxTimeFmt) p = cx_timefmt_new("%d.%m.%Y %H:%M", NULL);
  ck_assert(cx_timefmt_parse(p, "27.10.2024 12:00", 16, ams, &t, NULL));
  ck_assert_int_eq(t, iso("2024-10-27T11:00:00Z"));
}
END_TEST

START_TEST(test_decimal_comma_locale)
{
  /* parsing must not depend on LC_NUMERIC */
  const char *old = setlocale(LC_ALL, NULL);
  g_autofree char *saved = g_strdup(old);
  if (setlocale(LC_ALL, "de_DE.UTF-8") == NULL && setlocale(LC_ALL, "fr_FR.UTF-8") == NULL)
    setlocale(LC_ALL, "C");
  ck_assert_int_eq(parse("1704099600.5"), SEC(1704099600) + 500000);
  ck_assert_int_eq(parse("2012/10/09 14:50:17,250"), iso("2012-10-09T14:50:17.25Z"));
  setlocale(LC_ALL, saved);
}
END_TEST

static Suite *
timefmt_suite(void)
{
  Suite *s = suite_create("timefmt");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, test_iso_shapes);
  tcase_add_test(tc, test_slash_and_dot_shapes);
  tcase_add_test(tc, test_month_first);
  tcase_add_test(tc, test_evidence);
  tcase_add_test(tc, test_epoch);
  tcase_add_test(tc, test_pattern);
  tcase_add_test(tc, test_pattern_errors);
  tcase_add_test(tc, test_naive_zone);
  tcase_add_test(tc, test_decimal_comma_locale);
  suite_add_tcase(s, tc);
  return s;
}

int
main(void)
{
  SRunner *sr = srunner_create(timefmt_suite());
  srunner_run_all(sr, CK_ENV);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
