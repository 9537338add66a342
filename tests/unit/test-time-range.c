/* The range of times cxmine reads (0001-01-01 .. 9999-12-31 UTC): every
 * parser refuses what lies outside, without overflowing on the way (the
 * ASan/UBSan run of the suite sees any signed overflow), and years print
 * with four digits. */
#include <check.h>
#include <string.h>
#include "cxmine/log.h"
#include "cxmine/timefmt.h"
#include "cxmine/timestamp.h"

static gboolean
fmt_parse(const char *s, gint64 *t)
{
  g_autoptr(CxTimeFmt) f = cx_timefmt_new(NULL, NULL);
  return cx_timefmt_parse(f, s, strlen(s), NULL, t, NULL);
}

static gboolean
fmt_out_of_range(const char *s)
{
  g_autoptr(CxTimeFmt) f = cx_timefmt_new(NULL, NULL);
  return cx_timefmt_out_of_range(f, s, strlen(s), NULL);
}

START_TEST(test_bounds_are_read)
{
  gint64 t = 0;
  ck_assert(cx_time_parse_iso("0001-01-01T00:00:00Z", 20, NULL, &t, NULL));
  ck_assert_int_eq(t, CX_TS_MIN);
  ck_assert(cx_time_parse_iso("9999-12-31T23:59:59.999999Z", 27, NULL, &t, NULL));
  ck_assert_int_eq(t, CX_TS_MAX);
  /* the CRM sentinels */
  ck_assert(fmt_parse("9999-12-31", &t));
  ck_assert(fmt_parse("1900-01-01 00:00:00", &t));
  ck_assert(fmt_parse("31/12/9999", &t));
}
END_TEST

START_TEST(test_outside_is_refused)
{
  const char *bad[] = {
    "99999999999999999",         /* 17 digits of milliseconds: overflowed when multiplied */
    "-99999999999999999",        /* and negative */
    "253402300800000",           /* 10000-01-01 in milliseconds */
    "-62135596800001",           /* a millisecond before 0001-01-01 */
    "99999999999.5",             /* 1e11 - 0.5 seconds is the year 5138: fine; see below */
    "10000-01-01T00:00:00Z",     /* a five-digit year */
    "0000-12-31T00:00:00Z",      /* year 0 */
    "9999-12-31T23:00:00-05:00", /* the offset moves it into the year 10000 */
    "0001-01-01T00:30:00+01:00", /* ... or before the year 1 */
    "31/12/9999 23:00 -05:00",   /* day-first with an offset */
  };
  for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
    gint64 t = 42;
    if (i == 4) {
      ck_assert(fmt_parse(bad[i], &t)); /* 99999999999.5 s is in range (year 5138) */
      continue;
    }
    ck_assert_msg(!fmt_parse(bad[i], &t), "'%s' was read as %" G_GINT64_FORMAT, bad[i], t);
    ck_assert_int_eq(t, 42);
    if (i != 9)
      ck_assert_msg(fmt_out_of_range(bad[i]), "'%s' not told as out of range", bad[i]);
  }
  gint64 t = 42;
  ck_assert(!cx_time_parse_iso("10000-01-01T00:00:00Z", 21, NULL, &t, NULL));
  ck_assert(!cx_time_parse_iso("9999-12-31T23:00:00-05:00", 25, NULL, &t, NULL));
  ck_assert(cx_time_iso_out_of_range("9999-12-31T23:00:00-05:00", 25, NULL));
  /* a value that is no timestamp at all is not "out of range" */
  ck_assert(!fmt_out_of_range("yesterday"));
  ck_assert(!fmt_out_of_range("2024-13-01"));
  ck_assert(!fmt_out_of_range("12.5.x"));
}
END_TEST

START_TEST(test_four_digit_years)
{
  gint64 t = 0;
  ck_assert(cx_time_parse_iso("0999-05-01T10:00:00Z", 20, NULL, &t, NULL));
  g_autofree char *s = cx_time_format_iso(t);
  ck_assert_str_eq(s, "0999-05-01T10:00:00Z");
  g_autofree char *a = cx_time_format_iso(CX_TS_MIN);
  ck_assert_str_eq(a, "0001-01-01T00:00:00Z");
  g_autofree char *b = cx_time_format_iso(CX_TS_MAX);
  ck_assert_str_eq(b, "9999-12-31T23:59:59.999999Z");
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("time-range");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, test_bounds_are_read);
  tcase_add_test(tc, test_outside_is_refused);
  tcase_add_test(tc, test_four_digit_years);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_ENV);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? 0 : 1;
}
