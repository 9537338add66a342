/* The report writers' escaping (escape-private.h): each context's bytes. */
#include <check.h>
#include "escape-private.h"

static char *
html(const char *s)
{
  GString *out = g_string_new(NULL);
  cx_escape_html(out, s);
  return g_string_free(out, FALSE);
}

static char *
xml_attr(const char *s)
{
  GString *out = g_string_new(NULL);
  cx_escape_xml_attr(out, s);
  return g_string_free(out, FALSE);
}

START_TEST(test_html)
{
  g_autofree char *a = html("a&b<c>d\"e'f{g}|h\n\t\x01 \xc3\xa9");
  ck_assert_str_eq(a, "a&amp;b&lt;c&gt;d&quot;e&#39;f{g}|h\n\t\x01 \xc3\xa9");
  g_autofree char *none = html(NULL);
  ck_assert_str_eq(none, "");
  g_autofree char *plain = html("plain text");
  ck_assert_str_eq(plain, "plain text");
}
END_TEST

START_TEST(test_xml_attr)
{
  g_autofree char *a = xml_attr("a&b<c>d\"e'f{g}|h\ni\rj\tk\x01l\x1fm \xc3\xa9");
  ck_assert_str_eq(a, "a&amp;b&lt;c&gt;d&quot;e'f{g}|h&#10;i&#13;j&#9;k\xef\xbf\xbdl\xef\xbf\xbdm "
                      "\xc3\xa9");
  /* invalid UTF-8 becomes U+FFFD */
  g_autofree char *bad = xml_attr("x\xffy");
  ck_assert_str_eq(bad, "x\xef\xbf\xbdy");
}
END_TEST

START_TEST(test_ref)
{
  g_autoptr(GString) out = g_string_new(NULL);
  ck_assert(cx_escape_ref(out, '{', CX_ESCAPE_RECORD));
  ck_assert(!cx_escape_ref(out, '{', CX_ESCAPE_MARKUP));
  ck_assert(!cx_escape_ref(out, 'a', CX_ESCAPE_MARKUP | CX_ESCAPE_RECORD));
  ck_assert(cx_escape_ref(out, '&', CX_ESCAPE_MARKUP));
  ck_assert(!cx_escape_ref(out, '"', CX_ESCAPE_MARKUP));
  ck_assert(cx_escape_ref(out, '\'', CX_ESCAPE_APOS));
  ck_assert(cx_escape_ref(out, '\t', CX_ESCAPE_BREAKS));
  ck_assert_str_eq(out->str, "&#123;&amp;&#39;&#9;");
}
END_TEST

START_TEST(test_script_json)
{
  g_autoptr(GString) out = g_string_new(NULL);
  cx_escape_script_json(out, "{\"a\":\"</script>&\xe2\x80\xa8\xe2\x80\xa9\xe2\x80\xa0\"}");
  ck_assert_str_eq(out->str, "{\"a\":\"\\u003c/script\\u003e\\u0026\\u2028\\u2029\xe2\x80\xa0\"}");
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("escape");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, test_html);
  tcase_add_test(tc, test_xml_attr);
  tcase_add_test(tc, test_ref);
  tcase_add_test(tc, test_script_json);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_ENV);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? 0 : 1;
}
