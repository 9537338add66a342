/* Tests for the human formatting helpers (output.h). */
#include <check.h>
#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "cxmine/log.h"
#include "cxmine/output.h"

#define EQ(call, want)                                                                             \
  do {                                                                                             \
    g_autofree char *got_ = (call);                                                                \
    ck_assert_str_eq(got_, want);                                                                  \
  } while (0)

START_TEST(test_counted)
{
  EQ(cx_format_counted(1, "point", "points"), "1 point");
  EQ(cx_format_counted(0, "case", "cases"), "0 cases");
  EQ(cx_format_counted(4580, "case", "cases"), "4,580 cases");
  EQ(cx_format_counted(1234567, "instance", "instances"), "1,234,567 instances");
  ck_assert_str_eq(cx_plural(1, "activity", "activities"), "activity");
  ck_assert_str_eq(cx_plural(2, "activity", "activities"), "activities");
}
END_TEST

START_TEST(test_share)
{
  EQ(cx_format_share_of(2, 4580), "<0.1%");
  EQ(cx_format_share_of(0, 4580), "0%");
  EQ(cx_format_share_of(4580, 4580), "100%");
  EQ(cx_format_share_of(4578, 4580), ">99.9%");
  EQ(cx_format_share_of(1, 3), "33.3%");
  EQ(cx_format_share_of(1, 0), "-");
  EQ(cx_format_share(0.07), "7%");
  EQ(cx_format_share(NAN), "-");
}
END_TEST

START_TEST(test_ratio)
{
  EQ(cx_format_ratio(5.83), "5.8x");
  EQ(cx_format_ratio(21.4), "21x");
  EQ(cx_format_ratio(18461.3), "over 100x");
  EQ(cx_format_ratio(NAN), "-");
}
END_TEST

START_TEST(test_durations_share_a_unit)
{
  /* "24 h longer (median 40 d vs 39 d)" is two units in one sentence */
  double v[] = { 86400, 40 * 86400.0, 39 * 86400.0 };
  char *out[3];
  cx_format_durations(v, 3, out);
  ck_assert_str_eq(out[0], "1 d");
  ck_assert_str_eq(out[1], "40 d");
  ck_assert_str_eq(out[2], "39 d");
  for (int i = 0; i < 3; i++)
    g_free(out[i]);
  double w[] = { 6 * 3600.0, 2 * 86400.0, NAN, 1 };
  char *o2[4];
  cx_format_durations(w, 4, o2);
  ck_assert_str_eq(o2[0], "0.25 d");
  ck_assert_str_eq(o2[1], "2 d");
  ck_assert_str_eq(o2[2], "-");
  ck_assert_str_eq(o2[3], "<0.01 d");
  for (int i = 0; i < 4; i++)
    g_free(o2[i]);
  EQ(cx_format_duration(4372 * 86400.0), "4,372 d");
  EQ(cx_format_duration(999 * 86400.0), "999 d");
}
END_TEST

START_TEST(test_times)
{
  gint64 t = G_GINT64_CONSTANT(946681200) * CX_USEC_PER_SEC; /* 1999-12-31T23:00:00Z */
  g_autoptr(GTimeZone) rome = g_time_zone_new_identifier("Europe/Rome");
  ck_assert_ptr_nonnull(rome);
  EQ(cx_format_time(t, rome), "2000-01-01 00:00:00 +01:00");
  EQ(cx_format_time(t + 123456, NULL), "1999-12-31 23:00:00");
  EQ(cx_format_date(t, rome), "2000-01-01");
  EQ(cx_format_date(t, NULL), "1999-12-31");
  EQ(cx_format_time(CX_TS_NONE, NULL), "");
  g_autoptr(GTimeZone) ny = g_time_zone_new_identifier("America/New_York");
  EQ(cx_format_time(t - 1, ny), "1999-12-31 17:59:59 -05:00");
  EQ(cx_time_format_iso(-G_GINT64_CONSTANT(59011545600) * CX_USEC_PER_SEC), "0099-12-31T00:00:00Z");
}
END_TEST

START_TEST(test_decimal_comma_locale)
{
  if (setlocale(LC_ALL, "de_DE.UTF-8") == NULL)
    return;
  EQ(cx_format_share_of(1, 3), "33.3%");
  EQ(cx_format_ratio(5.83), "5.8x");
  EQ(cx_format_counted(4580, "case", "cases"), "4,580 cases");
  setlocale(LC_ALL, "C");
}
END_TEST

static Suite *
format_suite(void)
{
  Suite *s = suite_create("format");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, test_counted);
  tcase_add_test(tc, test_share);
  tcase_add_test(tc, test_ratio);
  tcase_add_test(tc, test_durations_share_a_unit);
  tcase_add_test(tc, test_times);
  tcase_add_test(tc, test_decimal_comma_locale);
  suite_add_tcase(s, tc);
  return s;
}

int
main(void)
{
  SRunner *sr = srunner_create(format_suite());
  srunner_run_all(sr, CK_ENV);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
