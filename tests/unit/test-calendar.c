/* Business hours (calendar.c): the syntax, holidays, exact working times
 * around weekends, holidays and daylight-saving changes, and long spans
 * against a minute-by-minute count made with GLib's own local times. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <glib.h>
#include <glib/gstdio.h>
#include "cxmine/calendar.h"

#define H  (G_GINT64_CONSTANT(3600) * G_USEC_PER_SEC)
#define MN (G_GINT64_CONSTANT(60) * G_USEC_PER_SEC)

/* A local wall-clock time in @zone (NULL = UTC) as UTC microseconds. */
static gint64
at(const char *zone, int y, int mo, int d, int h, int mi)
{
  g_autoptr(GTimeZone) tz = zone ? g_time_zone_new_identifier(zone) : g_time_zone_new_utc();
  g_autoptr(GDateTime) dt = g_date_time_new(tz, y, mo, d, h, mi, 0);
  ck_assert_ptr_nonnull(dt);
  return g_date_time_to_unix(dt) * G_USEC_PER_SEC;
}

static CxCalendar *
cal_new(const char *hours, const char *zone)
{
  g_autoptr(GError) error = NULL;
  CxCalendar *c = cx_calendar_new(hours, zone, &error);
  ck_assert_msg(c != NULL, "%s: %s", hours, error ? error->message : "?");
  return c;
}

START_TEST(test_weekend)
{
  g_autoptr(CxCalendar) c = cal_new("Mon-Fri 09:00-17:30", NULL);
  /* Friday 2025-01-03 17:00 -> Monday 2025-01-06 10:00: half an hour + one */
  gint64 a = at(NULL, 2025, 1, 3, 17, 0), b = at(NULL, 2025, 1, 6, 10, 0);
  ck_assert_int_eq(cx_calendar_working(c, a, b), 90 * MN);
  ck_assert_int_eq(cx_calendar_working(c, b, a), -90 * MN);
  ck_assert_int_eq(cx_elapsed(c, a, b), 90 * MN);
  ck_assert_int_eq(cx_elapsed(NULL, a, b), b - a);
  /* a whole week, and four */
  ck_assert_int_eq(cx_calendar_working(c, at(NULL, 2025, 1, 6, 0, 0), at(NULL, 2025, 1, 13, 0, 0)),
                   5 * 17 * 30 * MN);
  ck_assert_int_eq(cx_calendar_working(c, at(NULL, 2025, 1, 8, 12, 0), at(NULL, 2025, 2, 5, 12, 0)),
                   20 * 17 * 30 * MN);
}
END_TEST

START_TEST(test_within_a_day)
{
  g_autoptr(CxCalendar) c = cal_new("Mon-Fri 09:00-12:00,13:00-17:30", NULL);
  /* Monday 2025-01-06 */
  ck_assert_int_eq(
      cx_calendar_working(c, at(NULL, 2025, 1, 6, 10, 0), at(NULL, 2025, 1, 6, 11, 15)), 75 * MN);
  ck_assert_int_eq(cx_calendar_working(c, at(NULL, 2025, 1, 6, 7, 0), at(NULL, 2025, 1, 6, 10, 0)),
                   1 * H); /* starts before opening */
  ck_assert_int_eq(cx_calendar_working(c, at(NULL, 2025, 1, 6, 17, 0), at(NULL, 2025, 1, 6, 20, 0)),
                   30 * MN); /* ends after closing */
  ck_assert_int_eq(cx_calendar_working(c, at(NULL, 2025, 1, 6, 11, 0), at(NULL, 2025, 1, 6, 14, 0)),
                   2 * H); /* over the lunch break */
  ck_assert_int_eq(cx_calendar_working(c, at(NULL, 2025, 1, 6, 18, 0), at(NULL, 2025, 1, 7, 8, 0)),
                   0); /* a night */
  ck_assert_int_eq(
      cx_calendar_working(c, at(NULL, 2025, 1, 6, 12, 10), at(NULL, 2025, 1, 6, 12, 50)),
      0); /* inside the break */
  gint64 t = at(NULL, 2025, 1, 6, 10, 0) + 123457;
  ck_assert_int_eq(cx_calendar_working(c, t, t + 1), 1); /* microseconds count */
  ck_assert_int_eq(cx_calendar_working(c, t, t), 0);
}
END_TEST

START_TEST(test_holiday)
{
  g_autoptr(CxCalendar) c = cal_new("Mon-Fri 09:00-17:30", "Europe/Amsterdam");
  const char *z = "Europe/Amsterdam";
  /* Friday 2025-01-03 17:00 -> Tuesday 10:00 */
  gint64 a = at(z, 2025, 1, 3, 17, 0), b = at(z, 2025, 1, 7, 10, 0);
  ck_assert_int_eq(cx_calendar_working(c, a, b), 30 * MN + 510 * MN + 60 * MN);
  ck_assert(cx_calendar_add_holiday(c, 2025, 1, 6));
  ck_assert(cx_calendar_add_holiday(c, 2025, 1, 6)); /* twice is once */
  ck_assert(cx_calendar_add_holiday(c, 2025, 1, 4)); /* a Saturday: no hours to take */
  ck_assert(!cx_calendar_add_holiday(c, 2025, 2, 30));
  ck_assert_uint_eq(cx_calendar_n_holidays(c), 2);
  ck_assert_int_eq(cx_calendar_working(c, a, b), 90 * MN);
  /* starting and ending on the holiday */
  ck_assert_int_eq(cx_calendar_working(c, at(z, 2025, 1, 6, 10, 0), at(z, 2025, 1, 6, 16, 0)), 0);
  ck_assert_int_eq(cx_calendar_working(c, at(z, 2025, 1, 6, 10, 0), at(z, 2025, 1, 7, 10, 0)),
                   1 * H);
  g_autofree char *d = cx_calendar_describe(c);
  ck_assert_str_eq(d, "Mon-Fri 09:00-17:30 (Europe/Amsterdam), 2 holidays");
}
END_TEST

/* 2025-03-30 and 2025-10-26 in Amsterdam: 02:00 -> 03:00 and 03:00 -> 02:00. */
START_TEST(test_dst_amsterdam)
{
  const char *z = "Europe/Amsterdam";
  g_autoptr(CxCalendar) day = cal_new("Mon-Sun 09:00-17:30", z);
  g_autoptr(CxCalendar) all = cal_new("Mon-Sun 00:00-24:00", z);
  g_autoptr(CxCalendar) night = cal_new("Sun 01:00-04:00", z);
  /* spring: Saturday 12:00 -> Monday 12:00 local */
  gint64 a = at(z, 2025, 3, 29, 12, 0), b = at(z, 2025, 3, 31, 12, 0);
  ck_assert_int_eq(b - a, 47 * H);
  ck_assert_int_eq(cx_calendar_working(day, a, b), (5 * 60 + 30 + 510 + 180) * MN);
  ck_assert_int_eq(cx_calendar_working(all, a, b), 47 * H);
  ck_assert_int_eq(cx_calendar_working(night, a, b), 2 * H); /* 01:00-02:00, 03:00-04:00 */
  /* the Sunday alone */
  ck_assert_int_eq(cx_calendar_working(day, at(z, 2025, 3, 30, 0, 0), at(z, 2025, 3, 31, 0, 0)),
                   510 * MN);
  ck_assert_int_eq(cx_calendar_working(all, at(z, 2025, 3, 30, 0, 0), at(z, 2025, 3, 31, 0, 0)),
                   23 * H);
  /* autumn */
  a = at(z, 2025, 10, 25, 12, 0);
  b = at(z, 2025, 10, 27, 12, 0);
  ck_assert_int_eq(b - a, 49 * H);
  ck_assert_int_eq(cx_calendar_working(day, a, b), (5 * 60 + 30 + 510 + 180) * MN);
  ck_assert_int_eq(cx_calendar_working(all, a, b), 49 * H);
  ck_assert_int_eq(cx_calendar_working(night, a, b), 4 * H); /* 02:00-03:00 twice */
  ck_assert_int_eq(cx_calendar_working(all, at(z, 2025, 10, 26, 0, 0), at(z, 2025, 10, 27, 0, 0)),
                   25 * H);
  /* from inside the repeated hour (first pass, 00:30Z) to inside it again (01:30Z) */
  gint64 first = at(NULL, 2025, 10, 26, 0, 30), second = at(NULL, 2025, 10, 26, 1, 30);
  ck_assert_int_eq(cx_calendar_working(night, first, second), 1 * H);
  ck_assert_int_eq(cx_calendar_working(all, first, second), 1 * H);
}
END_TEST

START_TEST(test_overnight)
{
  g_autoptr(CxCalendar) c = cal_new("Mon-Fri 22:00-06:00", NULL);
  /* Friday 2025-01-10 23:00 -> Saturday 07:00: Friday's shift runs into Saturday */
  ck_assert_int_eq(
      cx_calendar_working(c, at(NULL, 2025, 1, 10, 23, 0), at(NULL, 2025, 1, 11, 7, 0)), 7 * H);
  /* Sunday 23:00 -> Monday 07:00: no shift started on Sunday */
  ck_assert_int_eq(
      cx_calendar_working(c, at(NULL, 2025, 1, 12, 23, 0), at(NULL, 2025, 1, 13, 7, 0)), 0);
  ck_assert_int_eq(cx_calendar_working(c, at(NULL, 2025, 1, 13, 0, 0), at(NULL, 2025, 1, 20, 0, 0)),
                   5 * 8 * H);
  g_autofree char *d = cx_calendar_describe(c);
  ck_assert_str_eq(d, "Mon-Fri 22:00-06:00 (UTC)");
}
END_TEST

START_TEST(test_syntax)
{
  struct {
    const char *spec, *described;
  } good[] = {
    { "Mon-Fri 09:00-17:30", "Mon-Fri 09:00-17:30" },
    { "mon-fri 9:00 - 12:00, 13:00-17:30; Sat 10:00-14:00",
      "Mon-Fri 09:00-12:00,13:00-17:30; Sat 10:00-14:00" },
    { "Monday,Wednesday 08:00-12:00", "Mon 08:00-12:00; Wed 08:00-12:00" },
    { "Fri-Mon 10:00-11:00", "Mon 10:00-11:00; Fri-Sun 10:00-11:00" },
    { "Mon-Sun 00:00-24:00", "Mon-Sun 00:00-24:00" },
    { "Sat,Sun 10:00:30-12:00;", "Sat,Sun 10:00:30-12:00" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS(good); i++) {
    g_autoptr(CxCalendar) c = cal_new(good[i].spec, NULL);
    g_autofree char *d = cx_calendar_describe(c);
    g_autofree char *want = g_strdup_printf("%s (UTC)", good[i].described);
    ck_assert_str_eq(d, want);
  }
  struct {
    const char *spec, *says;
  } bad[] = {
    { "", "no business hours given" },
    { "09:00-17:00", "no days before the hours" },
    { "Mon-Fri", "has no hours" },
    { "Mo-Fr 09:00-17:00", "'Mo' is not a day" },
    { "Mon-Fri 9-17", "'9' is not a time of day" },
    { "Mon-Fri 09:00", "is not a range" },
    { "Mon-Fri 09:00-25:00", "'25:00' is not a time of day" },
    { "Mon-Fri 24:00-02:00", "'24:00' is not a time of day" },
    { "Mon-Fri 09:00-09:00", "the range 09:00-09:00 is empty" },
    { "Mon-Fri 09:61-10:00", "'09:61' is not a time of day" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
    g_autoptr(GError) error = NULL;
    CxCalendar *c = cx_calendar_new(bad[i].spec, NULL, &error);
    ck_assert_msg(c == NULL, "'%s' was accepted", bad[i].spec);
    ck_assert_msg(strstr(error->message, bad[i].says) != NULL, "'%s': %s", bad[i].spec,
                  error->message);
    ck_assert(strstr(error->message, "Mon-Fri 09:00-17:30") != NULL
              || strstr(error->message, "empty") != NULL);
  }
  g_autoptr(GError) error = NULL;
  ck_assert_ptr_null(cx_calendar_new("Mon 09:00-10:00", "Mars/Olympus", &error));
  ck_assert_int_eq(error->code, CX_CALENDAR_ERROR_ZONE);
}
END_TEST

START_TEST(test_holidays_file)
{
  g_autofree char *dir = g_dir_make_tmp("cx-cal-XXXXXX", NULL);
  g_autofree char *path = g_build_filename(dir, "holidays.txt", NULL);
  const char *good = "\xEF\xBB\xBF# Dutch holidays\n2025-01-01\n\n2025-04-21   # Easter Monday\r\n"
                     "  2025-12-25\n2025-12-25\n";
  ck_assert(g_file_set_contents(path, good, -1, NULL));
  g_autoptr(CxCalendar) c = cal_new("Mon-Fri 09:00-17:00", "Europe/Amsterdam");
  g_autoptr(GError) error = NULL;
  ck_assert_msg(cx_calendar_load_holidays(c, path, &error), "%s", error ? error->message : "");
  ck_assert_uint_eq(cx_calendar_n_holidays(c), 3);
  /* Easter Monday 2025-04-21: Friday 16:00 -> Tuesday 10:00 is 1 h + 1 h */
  const char *z = "Europe/Amsterdam";
  ck_assert_int_eq(cx_calendar_working(c, at(z, 2025, 4, 18, 16, 0), at(z, 2025, 4, 22, 10, 0)),
                   2 * H);
  const char *bads[] = { "2025-01-01\n# fine\n2025-13-01\n", "2025-01-01\n\n2025/02/03\n",
                         "2025-01-01\n\n2025-02-30 # no such day\n" };
  for (gsize i = 0; i < G_N_ELEMENTS(bads); i++) {
    ck_assert(g_file_set_contents(path, bads[i], -1, NULL));
    g_autoptr(GError) e = NULL;
    ck_assert(!cx_calendar_load_holidays(c, path, &e));
    g_autofree char *where = g_strdup_printf("%s:3: '", path);
    ck_assert_msg(g_str_has_prefix(e->message, where), "%s", e->message);
  }
  ck_assert_uint_eq(cx_calendar_n_holidays(c), 3); /* nothing added by a bad file */
  g_unlink(path);
  g_autoptr(GError) e = NULL;
  ck_assert(!cx_calendar_load_holidays(c, path, &e));
  ck_assert_int_eq(e->code, CX_CALENDAR_ERROR_HOLIDAYS);
  g_rmdir(dir);
}
END_TEST

/* ---------- against a minute-by-minute count ---------- */

typedef struct {
  GTimeZone *tz;
  GHashTable *holidays; /* y*10000+m*100+d */
  /* per weekday (1 = Monday, GLib's numbering) working minutes of the day */
  gboolean minute[8][1440];
} Brute;

static gboolean
brute_works(const Brute *b, gint64 t_s)
{
  g_autoptr(GDateTime) u = g_date_time_new_from_unix_utc(t_s);
  g_autoptr(GDateTime) l = g_date_time_to_timezone(u, b->tz);
  int y, m, d;
  g_date_time_get_ymd(l, &y, &m, &d);
  if (g_hash_table_contains(b->holidays, GINT_TO_POINTER(y * 10000 + m * 100 + d)))
    return FALSE;
  return b->minute[g_date_time_get_day_of_week(l)]
                  [g_date_time_get_hour(l) * 60 + g_date_time_get_minute(l)];
}

/* The schedule "Mon-Fri 08:30-12:00,13:00-17:45; Sat 22:00-03:30" spelled
 * out minute by minute, and the holidays of the test. */
static void
brute_init(Brute *b, const char *zone)
{
  memset(b->minute, 0, sizeof b->minute);
  b->tz = g_time_zone_new_identifier(zone);
  b->holidays = g_hash_table_new(NULL, NULL);
  for (int wd = 1; wd <= 5; wd++)
    for (int m = 0; m < 1440; m++)
      b->minute[wd][m] = (m >= 510 && m < 720) || (m >= 780 && m < 1065);
  for (int m = 1320; m < 1440; m++)
    b->minute[6][m] = TRUE;
  for (int m = 0; m < 210; m++)
    b->minute[7][m] = TRUE;
}

static const char *brute_spec = "Mon-Fri 08:30-12:00,13:00-17:45; Sat 22:00-03:30";
static const int brute_holidays[][3]
    = { { 2023, 12, 25 }, { 2024, 3, 31 }, { 2024, 4, 1 },  { 2024, 10, 27 },
        { 2024, 12, 25 }, { 2025, 1, 1 },  { 2025, 3, 29 }, { 2025, 5, 5 } };

static CxCalendar *
brute_calendar(Brute *b, const char *zone)
{
  CxCalendar *c = cal_new(brute_spec, zone);
  for (gsize i = 0; i < G_N_ELEMENTS(brute_holidays); i++) {
    const int *h = brute_holidays[i];
    ck_assert(cx_calendar_add_holiday(c, h[0], h[1], h[2]));
    g_hash_table_add(b->holidays, GINT_TO_POINTER(h[0] * 10000 + h[1] * 100 + h[2]));
  }
  return c;
}

/* Random pairs of minutes in [@from_s, @from_s + @minutes * 60), the count
 * from a prefix sum over every minute; plus additivity over triples. */
static void
check_window(const char *zone, gint64 from_s, guint minutes, guint pairs)
{
  Brute b;
  brute_init(&b, zone);
  g_autoptr(CxCalendar) c = brute_calendar(&b, zone);
  guint32 *pre = g_new(guint32, minutes + 1);
  pre[0] = 0;
  for (guint i = 0; i < minutes; i++)
    pre[i + 1] = pre[i] + brute_works(&b, from_s + (gint64)i * 60);
  GRand *r = g_rand_new_with_seed(17);
  for (guint k = 0; k < pairs; k++) {
    guint i = g_rand_int_range(r, 0, (gint32)minutes + 1);
    guint near = i + (guint)g_rand_int_range(r, 0, 20000); /* MIN() evaluates twice */
    guint j = k % 3 == 0 ? MIN(minutes, near) : (guint)g_rand_int_range(r, 0, (gint32)minutes + 1);
    gint64 ti = (from_s + (gint64)i * 60) * G_USEC_PER_SEC;
    gint64 tj = (from_s + (gint64)j * 60) * G_USEC_PER_SEC;
    gint64 want = ((gint64)pre[j] - (gint64)pre[i]) * MN;
    gint64 got = cx_calendar_working(c, ti, tj);
    ck_assert_msg(got == want, "%s: minutes %u..%u: %" G_GINT64_FORMAT " != %" G_GINT64_FORMAT,
                  zone, i, j, got, want);
  }
  /* the whole window */
  ck_assert_int_eq(cx_calendar_working(c, from_s * G_USEC_PER_SEC,
                                       (from_s + (gint64)minutes * 60) * G_USEC_PER_SEC),
                   (gint64)pre[minutes] * MN);
  g_rand_free(r);
  g_free(pre);
  g_hash_table_destroy(b.holidays);
  g_time_zone_unref(b.tz);
}

START_TEST(test_brute_amsterdam)
{
  /* 2023-12-01 to 2026-03-01 (UTC), minute by minute: 27 months, 4 DST changes */
  gint64 from = at(NULL, 2023, 12, 1, 0, 0) / G_USEC_PER_SEC;
  guint minutes = (guint)((at(NULL, 2026, 3, 1, 0, 0) / G_USEC_PER_SEC - from) / 60);
  check_window("Europe/Amsterdam", from, minutes, 3000);
}
END_TEST

START_TEST(test_brute_other_zones)
{
  /* New York (changes at 02:00 local, Sunday), Sydney (southern), a zone
   * without changes, and UTC; 2024 to mid-2025 */
  const char *zones[] = { "America/New_York", "Australia/Sydney", "Asia/Kolkata", "UTC" };
  gint64 from = at(NULL, 2024, 1, 1, 0, 0) / G_USEC_PER_SEC;
  guint minutes = (guint)((at(NULL, 2025, 5, 1, 0, 0) / G_USEC_PER_SEC - from) / 60);
  for (gsize i = 0; i < G_N_ELEMENTS(zones); i++)
    check_window(zones[i], from, minutes, 500);
}
END_TEST

START_TEST(test_brute_outside_table)
{
  /* past the table of changes (2200) GLib is asked directly */
  gint64 from = at(NULL, 2250, 3, 1, 0, 0) / G_USEC_PER_SEC;
  check_window("Europe/Amsterdam", from, 60 * 24 * 70, 300);
  from = at(NULL, 2199, 10, 1, 0, 0) / G_USEC_PER_SEC;
  check_window("Europe/Amsterdam", from, 60 * 24 * 220, 300); /* across the table's end */
}
END_TEST

START_TEST(test_long_spans)
{
  g_autoptr(CxCalendar) c = cal_new("Mon-Fri 09:00-17:30", "Europe/Amsterdam");
  /* 1950 -> 2150: 200 years of whole weeks, exactly additive */
  gint64 a = at(NULL, 1950, 1, 2, 0, 0), m = at(NULL, 2031, 7, 9, 13, 17),
         b = at(NULL, 2150, 1, 5, 0, 0);
  gint64 whole = cx_calendar_working(c, a, b);
  ck_assert_int_eq(whole, cx_calendar_working(c, a, m) + cx_calendar_working(c, m, b));
  /* 1950-01-02 and 2150-01-05 are Mondays: whole weeks of 42.5 h */
  ck_assert_int_eq((b - a) % (7 * 24 * H), 0);
  ck_assert_int_eq(whole, (b - a) / (7 * 24 * H) * 85 * 30 * MN);
  /* years 1 and 9999 do not overflow, and stay additive */
  gint64 lo = at(NULL, 1, 1, 1, 0, 0), hi = at(NULL, 9999, 12, 31, 0, 0);
  ck_assert_int_eq(cx_calendar_working(c, lo, hi),
                   cx_calendar_working(c, lo, a) + whole + cx_calendar_working(c, b, hi));
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("calendar");
  TCase *tc = tcase_create("core");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, test_weekend);
  tcase_add_test(tc, test_within_a_day);
  tcase_add_test(tc, test_holiday);
  tcase_add_test(tc, test_dst_amsterdam);
  tcase_add_test(tc, test_overnight);
  tcase_add_test(tc, test_syntax);
  tcase_add_test(tc, test_holidays_file);
  tcase_add_test(tc, test_brute_amsterdam);
  tcase_add_test(tc, test_brute_other_zones);
  tcase_add_test(tc, test_brute_outside_table);
  tcase_add_test(tc, test_long_spans);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_ENV);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
