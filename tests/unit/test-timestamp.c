/* Tests for timestamp parsing. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include "cxmine/log.h"
#include "cxmine/timestamp.h"

static gint64
parse(const char *s, gboolean *naive)
{
  gint64 t = 0;
  ck_assert_msg(cx_time_parse_iso(s, strlen(s), NULL, &t, naive), "cannot parse %s", s);
  return t;
}

START_TEST(test_offsets)
{
  gint64 z = parse("2024-01-01T09:00:00Z", NULL);
  ck_assert_int_eq(z, G_GINT64_CONSTANT(1704099600) * CX_USEC_PER_SEC);
  ck_assert_int_eq(parse("2024-01-01T10:00:00+01:00", NULL), z);
  ck_assert_int_eq(parse("2024-01-01T10:00:00.000+0100", NULL), z);
  ck_assert_int_eq(parse("2024-01-01T04:00:00-05:00", NULL), z);
  ck_assert_int_eq(parse("2024-01-01 09:00:00+00:00", NULL), z);
}
END_TEST

START_TEST(test_fractions_and_naive)
{
  gboolean naive = FALSE;
  gint64 t = parse("2011-10-01T00:38:44.546", &naive);
  ck_assert(naive);
  ck_assert_int_eq(t % CX_USEC_PER_SEC, 546000);
  ck_assert_int_eq(parse("2011-10-01T00:38:44.546123+02:00", NULL) % CX_USEC_PER_SEC, 546123);
  ck_assert_int_eq(parse("1970-01-01", NULL), 0);
}
END_TEST

START_TEST(test_rejects)
{
  const char *bad[] = { "",           "2024-13-01T00:00:00Z", "2023-02-29",
                        "yesterday",  "2024-01-01T25:00",     "2024-01-01T10:00:00+25:00",
                        "2024-01-01X" };
  for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
    gint64 t = 42;
    ck_assert_msg(!cx_time_parse_iso(bad[i], strlen(bad[i]), NULL, &t, NULL), "accepted %s",
                  bad[i]);
    ck_assert_int_eq(t, 42);
  }
}
END_TEST

START_TEST(test_naive_zone)
{
  g_autoptr(GTimeZone) ams = g_time_zone_new_identifier("Europe/Amsterdam");
  ck_assert_ptr_nonnull(ams);
  gint64 t = 0;
  ck_assert(cx_time_parse_iso("2024-07-01 12:00:00", 19, ams, &t, NULL));
  ck_assert_int_eq(t, parse("2024-07-01T10:00:00Z", NULL));
  ck_assert(cx_time_parse_iso("2024-01-01 12:00:00", 19, ams, &t, NULL));
  ck_assert_int_eq(t, parse("2024-01-01T11:00:00Z", NULL));
}
END_TEST

START_TEST(test_format_roundtrip)
{
  gint64 t = parse("2011-10-01T00:38:44.546+02:00", NULL);
  g_autofree char *s = cx_time_format_iso(t);
  ck_assert_str_eq(s, "2011-09-30T22:38:44.546Z");
  ck_assert_int_eq(parse(s, NULL), t);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("timestamp");
  TCase *tc = tcase_create("iso");
  tcase_add_test(tc, test_offsets);
  tcase_add_test(tc, test_fractions_and_naive);
  tcase_add_test(tc, test_rejects);
  tcase_add_test(tc, test_naive_zone);
  tcase_add_test(tc, test_format_roundtrip);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_ENV);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
