/* The JSON writer (json-writer.h): commas and indentation placed by
 * nesting, escaping, the shortest number that reads back, null for what is
 * unknown, times in UTC, and the same bytes in every locale. */
#include <check.h>
#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include "cxmine/json-writer.h"
#include "cxmine/log.h"
#include "cxmine/summary.h"

/* A document: { "a": 1, "b": [true, null, "x"], "c": {} , "d": [] } */
static void
write_doc(CxJson *j)
{
  cx_json_begin_object(j);
  cx_json_key(j, "a");
  cx_json_int(j, 1);
  cx_json_key(j, "b");
  cx_json_begin_array(j);
  cx_json_bool(j, TRUE);
  cx_json_null(j);
  cx_json_string(j, "x");
  cx_json_end_array(j);
  cx_json_key(j, "c");
  cx_json_begin_object(j);
  cx_json_end_object(j);
  cx_json_key(j, "d");
  cx_json_begin_array(j);
  cx_json_end_array(j);
  cx_json_end_object(j);
}

START_TEST(test_pretty_layout)
{
  g_autoptr(GString) out = g_string_new(NULL);
  g_autoptr(CxJson) j = cx_json_new(out, TRUE);
  write_doc(j);
  ck_assert_str_eq(out->str, "{\n"
                             "  \"a\": 1,\n"
                             "  \"b\": [\n"
                             "    true,\n"
                             "    null,\n"
                             "    \"x\"\n"
                             "  ],\n"
                             "  \"c\": {},\n"
                             "  \"d\": []\n"
                             "}");
}
END_TEST

START_TEST(test_compact_layout)
{
  g_autoptr(GString) out = g_string_new(NULL);
  g_autoptr(CxJson) j = cx_json_new(out, FALSE);
  write_doc(j);
  ck_assert_str_eq(out->str, "{\"a\":1,\"b\":[true,null,\"x\"],\"c\":{},\"d\":[]}");
}
END_TEST

START_TEST(test_top_level_values)
{
  /* values outside any container take no comma and no newline */
  g_autoptr(GString) out = g_string_new(NULL);
  g_autoptr(CxJson) j = cx_json_new(out, TRUE);
  cx_json_int(j, -42);
  ck_assert_str_eq(out->str, "-42");
  g_string_truncate(out, 0);
  cx_json_begin_array(j);
  cx_json_begin_array(j);
  cx_json_int(j, G_MAXINT64);
  cx_json_end_array(j);
  cx_json_begin_object(j);
  cx_json_end_object(j);
  cx_json_end_array(j);
  ck_assert_str_eq(out->str, "[\n  [\n    9223372036854775807\n  ],\n  {}\n]");
}
END_TEST

static char *
escaped(const char *s)
{
  GString *out = g_string_new(NULL);
  cx_json_escape(out, s);
  return g_string_free(out, FALSE);
}

START_TEST(test_escape)
{
  g_autofree char *a = escaped("say \"hi\"\\ back");
  ck_assert_str_eq(a, "\"say \\\"hi\\\"\\\\ back\"");
  g_autofree char *b = escaped("l1\nl2\r\tend");
  ck_assert_str_eq(b, "\"l1\\nl2\\r\\tend\"");
  /* other control characters as \u00XX; UTF-8 and DEL as they are */
  g_autofree char *c = escaped("\x01\x1f\x7f Caf\xc3\xa9 \xf0\x9f\x98\x80");
  ck_assert_str_eq(c, "\"\\u0001\\u001f\x7f Caf\xc3\xa9 \xf0\x9f\x98\x80\"");
  g_autofree char *e = escaped("");
  ck_assert_str_eq(e, "\"\"");
}
END_TEST

START_TEST(test_string_invalid_utf8_made_valid)
{
  g_autoptr(GString) out = g_string_new(NULL);
  g_autoptr(CxJson) j = cx_json_new(out, FALSE);
  cx_json_string(j, "a\xff"
                    "b");
  ck_assert(g_utf8_validate(out->str, -1, NULL));
  ck_assert_str_eq(out->str, "\"a\xef\xbf\xbd"
                             "b\"");
}
END_TEST

static char *
number(double v)
{
  GString *out = g_string_new(NULL);
  CxJson *j = cx_json_new(out, FALSE);
  cx_json_double(j, v);
  cx_json_free(j);
  return g_string_free(out, FALSE);
}

static void
check_numbers(void)
{
  const struct {
    double v;
    const char *text;
  } cases[] = {
    { 0, "0" },
    { -3, "-3" },
    { 4500, "4500" },
    { 0.2, "0.2" },                       /* not 0.20000000000000001 */
    { 0.1 + 0.2, "0.30000000000000004" }, /* 17 digits when 15 and 16 do not read back */
    { 2.5, "2.5" },
    { -0.125, "-0.125" },
    { 1.0 / 3.0, "0.3333333333333333" },
    { 1e15, "1e+15" }, /* integral, but beyond the integer form */
    { 123456789012345.0, "123456789012345" },
    { NAN, "null" },
    { INFINITY, "null" },
    { -INFINITY, "null" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    g_autofree char *got = number(cases[i].v);
    ck_assert_msg(g_strcmp0(got, cases[i].text) == 0, "%.17g: got %s, want %s", cases[i].v, got,
                  cases[i].text);
  }
}

START_TEST(test_numbers)
{
  check_numbers();
}
END_TEST

START_TEST(test_numbers_decimal_comma_locale)
{
  if (setlocale(LC_ALL, "de_DE.UTF-8") == NULL)
    return; /* no such locale here: the C-locale run still checks the numbers */
  check_numbers();
  setlocale(LC_ALL, "C");
}
END_TEST

START_TEST(test_time)
{
  g_autoptr(GString) out = g_string_new(NULL);
  g_autoptr(CxJson) j = cx_json_new(out, FALSE);
  cx_json_begin_array(j);
  cx_json_time(j, G_GINT64_CONSTANT(1704067200000000)); /* 2024-01-01T00:00:00Z */
  cx_json_time(j, CX_TS_NONE);
  cx_json_time(j, 0);
  cx_json_end_array(j);
  ck_assert_str_eq(out->str, "[\"2024-01-01T00:00:00Z\",null,\"1970-01-01T00:00:00Z\"]");
}
END_TEST

START_TEST(test_summary)
{
  g_autoptr(GString) out = g_string_new(NULL);
  g_autoptr(CxJson) j = cx_json_new(out, FALSE);
  CxSummary s = { 0 };
  s.n = 4;
  s.mean = 2.5;
  s.median = 2;
  s.p90 = 3.5;
  s.min = 1;
  s.max = 4;
  s.total = 10;
  cx_json_begin_array(j);
  cx_json_summary(j, &s);
  s.n = 0; /* empty: every value unknown, whatever the fields hold */
  cx_json_summary(j, &s);
  cx_json_end_array(j);
  ck_assert_str_eq(out->str, "[{\"mean\":2.5,\"median\":2,\"p90\":3.5,\"min\":1,\"max\":4,"
                             "\"total\":10},{\"mean\":null,\"median\":null,\"p90\":null,"
                             "\"min\":null,\"max\":null,\"total\":null}]");
}
END_TEST

START_TEST(test_key_double_and_keys_escaped)
{
  g_autoptr(GString) out = g_string_new(NULL);
  g_autoptr(CxJson) j = cx_json_new(out, TRUE);
  cx_json_begin_object(j);
  cx_json_key_double(j, "share", 0.25);
  cx_json_key_double(j, "a\"b", NAN);
  cx_json_end_object(j);
  ck_assert_str_eq(out->str, "{\n  \"share\": 0.25,\n  \"a\\\"b\": null\n}");
}
END_TEST

int
main(void)
{
  setlocale(LC_ALL, "C");
  Suite *s = suite_create("json-writer");
  TCase *tc = tcase_create("json");
  tcase_add_test(tc, test_pretty_layout);
  tcase_add_test(tc, test_compact_layout);
  tcase_add_test(tc, test_top_level_values);
  tcase_add_test(tc, test_escape);
  tcase_add_test(tc, test_string_invalid_utf8_made_valid);
  tcase_add_test(tc, test_numbers);
  tcase_add_test(tc, test_numbers_decimal_comma_locale);
  tcase_add_test(tc, test_time);
  tcase_add_test(tc, test_summary);
  tcase_add_test(tc, test_key_double_and_keys_escaped);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_ENV);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
