/* Replays the XES fuzz harness over deterministic mutants of a valid log:
 * truncations at every 97th byte and seeded random byte edits, so CI
 * exercises the harness without clang or libFuzzer. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <glib.h>
#include "fuzz-xes.h"

static const char seed_log[]
    = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<log xes.version=\"1849-2016\" xmlns=\"http://www.xes-standard.org/\">\n"
      "<extension name=\"Concept\" prefix=\"concept\" "
      "uri=\"http://www.xes-standard.org/concept.xesext\"/>\n"
      "<global scope=\"trace\"><string key=\"concept:name\" value=\"__INVALID__\"/></global>\n"
      "<global scope=\"event\"><string key=\"concept:name\" value=\"X\"/>"
      "<string key=\"lifecycle:transition\" value=\"complete\"/></global>\n"
      "<classifier name=\"c\" keys=\"concept:name 'life cycle'\"/>\n"
      "<string key=\"concept:name\" value=\"log\"/>\n"
      "<trace><string key=\"concept:name\" value=\"c1\"/><int key=\"n\" value=\"7\"/>\n"
      "<event><string key=\"concept:name\" value=\"A&amp;B\"/>"
      "<string key=\"k\" value=\"K1\"/><string key=\"life cycle\" value=\"start\"/>"
      "<date key=\"time:timestamp\" value=\"2024-01-01T09:00:00.000+01:00\"/></event>\n"
      "<event><string key=\"concept:name\" value=\"B\"><string key=\"x\" value=\"y\"/></string>"
      "<list key=\"l\"><values><int key=\"i\" value=\"1\"/></values></list>"
      "<string key=\"lifecycle:transition\" value=\"start\"/>"
      "<string key=\"time:timestamp\" value=\"2024/01/01 10:00:00.5\"/></event>\n"
      "<event><string key=\"org:resource\" value=\"R\"/>"
      "<date key=\"time:timestamp\" value=\"2024-01-01T11:00:00Z\"/></event>\n"
      "</trace>\n"
      "<trace><string key=\"concept:name\" value=\"c1\"/>"
      "<event><string key=\"concept:name\" value=\"C\"/><container key=\"box\">"
      "<boolean key=\"b\" value=\"true\"/></container>"
      "<date key=\"time:timestamp\" value=\"2024-01-01T08:00:00\"/></event></trace>\n"
      "<trace><event><string key=\"concept:name\" value=\"D\"/></event></trace>\n"
      "</log>\n";

/* What can fool a search for "<trace": the text in a comment, a CDATA
 * section, a processing instruction; a prefixed trace; a header element
 * after the traces; a trace nested in an unknown element. */
static const char tricky_log[]
    = "<?xml version=\"1.0\"?>\n"
      "<!-- <trace> in a comment before the log -->\n"
      "<log xmlns:x=\"http://www.xes-standard.org/\">\n"
      "<global scope=\"event\"><string key=\"concept:name\" value=\"G\"/></global>\n"
      "  <trace><string key=\"concept:name\" value=\"a\"/>"
      "<event><string key=\"concept:name\" value=\"A\"/>"
      "<date key=\"time:timestamp\" value=\"2024-01-01T09:00:00Z\"/></event></trace>\n"
      "<!-- <trace><event><string key=\"concept:name\" value=\"Hidden\"/></event></trace> -->\n"
      "<trace><string key=\"concept:name\" value=\"b\"/><string key=\"note\" value=\"x\"/>"
      "<event><string key=\"concept:name\" value=\"B\"/></event></trace>"
      "<?pi <trace ?><x:trace><string key=\"concept:name\" value=\"c\"/>"
      "<x:event><string key=\"concept:name\" value=\"C\"/></x:event></x:trace>\n"
      "<trace><string key=\"concept:name\" value=\"d\"/><event>"
      "<string key=\"concept:name\"><![CDATA[ <trace> ]]></string></event></trace>\n"
      "<unknown><trace><event/></trace></unknown>\n"
      "<global scope=\"trace\"><string key=\"late\" value=\"L\"/></global>\n"
      "<trace><string key=\"concept:name\" value=\"e\"/>"
      "<event><string key=\"concept:name\" value=\"E\"/></event></trace>\n"
      "</log>\n";

static void
run(const guint8 *data, gsize len)
{
  LLVMFuzzerTestOneInput(data, len);
}

static void
truncations(const char *seed)
{
  gsize n = strlen(seed);
  g_autofree guint8 *buf = g_malloc(n + 1);
  /* modes 64 and up: one thread against three, every trace a chunk */
  for (guint mode = 0; mode < 128; mode += 9) {
    buf[0] = (guint8)mode;
    memcpy(buf + 1, seed, n);
    for (gsize cut = 0; cut <= n; cut += 97)
      run(buf, cut + 1);
    run(buf, n + 1);
  }
}

START_TEST(test_truncations)
{
  truncations(seed_log);
  truncations(tricky_log);
}
END_TEST

static void
byte_edits(const char *seed, guint32 seed_no)
{
  static const char specials[] = "<>&\"'/=: \n\x00\xff\xc3";
  gsize n = strlen(seed);
  g_autofree guint8 *buf = g_malloc(n + 1);
  GRand *rand = g_rand_new_with_seed(seed_no);
  for (int i = 0; i < 3000; i++) {
    buf[0] = (guint8)g_rand_int_range(rand, 0, 128);
    memcpy(buf + 1, seed, n);
    int edits = g_rand_int_range(rand, 1, 5);
    for (int e = 0; e < edits; e++) {
      gsize at = 1 + (gsize)g_rand_int_range(rand, 0, (gint32)n);
      buf[at] = g_rand_boolean(rand)
                    ? (guint8)specials[g_rand_int_range(rand, 0, sizeof specials - 1)]
                    : (guint8)g_rand_int_range(rand, 0, 256);
    }
    gsize len = g_rand_int_range(rand, 0, 4) == 0 ? (gsize)g_rand_int_range(rand, 1, (gint32)n + 1)
                                                  : n + 1;
    run(buf, len);
  }
  g_rand_free(rand);
}

START_TEST(test_byte_edits)
{
  byte_edits(seed_log, 1849);
  byte_edits(tricky_log, 2016);
}
END_TEST

/* Each of the tricky parts alone, read on one thread and on three. */
START_TEST(test_tricky_whole)
{
  gsize n = strlen(tricky_log);
  g_autofree guint8 *buf = g_malloc(n + 1);
  for (guint mode = 64; mode < 128; mode++) {
    buf[0] = (guint8)mode;
    memcpy(buf + 1, tricky_log, n);
    run(buf, n + 1);
  }
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("xes-fuzz");
  TCase *tc = tcase_create("replay");
  tcase_set_timeout(tc, 300);
  tcase_add_test(tc, test_truncations);
  tcase_add_test(tc, test_byte_edits);
  tcase_add_test(tc, test_tricky_whole);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_ENV);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
