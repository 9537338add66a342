/* The CSV splitter (csv-split.c): cuts fall after a newline outside quotes
 * (quoted newlines, doubled quotes, CRLF, a search that goes on as a chunk
 * grows), and a file whose every record holds a quoted newline is read on
 * three threads without falling back to one, with the one-thread result.
 * Private API: moves with it. */
#include <check.h>
#include <string.h>
#include <glib.h>
#include "csv-private.h"
#include "fuzz/journey-digest.h"

static gsize
cut_all(const char *s, gsize from)
{
  gsize scanned = 0;
  gboolean odd = FALSE;
  return cx_csv_cut(s, strlen(s), from, &scanned, &odd);
}

START_TEST(test_cut_quoted_newline)
{
  const char *s = "a,\"x\ny\",b\nc,d\n";
  ck_assert_uint_eq(cut_all(s, 1), strlen("a,\"x\ny\",b\n"));
}
END_TEST

START_TEST(test_cut_doubled_quotes)
{
  const char *s = "a,\"said \"\"hi\n\"\"\",b\nnext\n";
  ck_assert_uint_eq(cut_all(s, 1), strlen("a,\"said \"\"hi\n\"\"\",b\n"));
  /* a quoted field that is all doubled quotes */
  ck_assert_uint_eq(cut_all("\"\"\"\"\nz\n", 1), 5);
}
END_TEST

START_TEST(test_cut_crlf_and_from)
{
  ck_assert_uint_eq(cut_all("a,b\r\nc\r\n", 1), 5);
  /* the first line end at or after @from */
  ck_assert_uint_eq(cut_all("a\nb\nc\n", 2), 4);
  ck_assert_uint_eq(cut_all("a\nb\nc\n", 0), 2);
  /* no line end outside quotes yet */
  ck_assert_uint_eq(cut_all("a,\"b\nc", 1), 0);
  ck_assert_uint_eq(cut_all("abc", 1), 0);
}
END_TEST

/* The search goes on where it stopped as the chunk grows, with the quote
 * parity it had reached, also before @from. */
START_TEST(test_cut_grows)
{
  const char *s = "x,\"1\n2\",y\nz\n";
  gsize scanned = 0;
  gboolean odd = FALSE;
  for (gsize n = 0; n < strlen("x,\"1\n2\",y"); n++)
    ck_assert_uint_eq(cx_csv_cut(s, n, 1, &scanned, &odd), 0);
  ck_assert_uint_eq(cx_csv_cut(s, strlen(s), 1, &scanned, &odd), strlen("x,\"1\n2\",y\n"));
  /* @from past a quote that opened before it */
  scanned = 0;
  odd = FALSE;
  ck_assert_uint_eq(cx_csv_cut(s, 3, 5, &scanned, &odd), 0);
  ck_assert_uint_eq(cx_csv_cut(s, strlen(s), 5, &scanned, &odd), strlen("x,\"1\n2\",y\n"));
}
END_TEST

/* @doc's journeys read on @threads (every record a chunk); *@fell_back says
 * whether the split read asked for one thread. */
static char *
read_doc(const char *doc, guint threads, gboolean *fell_back)
{
  g_autoptr(CxLog) log = cx_log_new();
  Digest d = { log, g_string_new(NULL) };
  g_autoptr(CxInput) in = cx_input_new_from_data("t.csv", doc, strlen(doc));
  g_autoptr(CxSink) sink = cx_sink_new(log, digest_journey, &d);
  g_autoptr(GError) error = NULL;
  CxReadOptions *o = cx_log_options(log);
  gboolean ok = threads == 1 ? cx_csv_read(in, sink, o, &error)
                             : cx_csv_read_split(in, sink, o, threads, 1, &error);
  /* a split read asks for one thread as it begins, should it fail */
  *fell_back = !ok && cx_sink_asked_one_thread(sink);
  ok = ok && cx_sink_finish(sink, &error);
  if (!ok)
    g_string_append_printf(d.out, "error: %s\n", error->message);
  return g_string_free(d.out, FALSE);
}

/* Every record holds a quoted newline and doubled quotes: a splitter that
 * cut there would make the read fall back to one thread. */
START_TEST(test_quoted_newlines_stay_split)
{
  g_autoptr(GString) doc = g_string_new("case,activity,timestamp,note\r\n");
  for (guint i = 0; i < 300; i++)
    g_string_append_printf(doc, "c%u,\"Step\n%u\",2024-01-01T10:%02u:00Z,\"a \"\"b\"\"\r\nc\"\r\n",
                           i % 7, i % 5, i % 60);
  gboolean fell_back = FALSE;
  g_autofree char *one = read_doc(doc->str, 1, &fell_back);
  g_autofree char *three = read_doc(doc->str, 3, &fell_back);
  ck_assert_msg(!fell_back, "the split read fell back to one thread");
  ck_assert_str_eq(three, one);
  ck_assert(strstr(one, "error") == NULL);
}
END_TEST

/* Invalid UTF-8 past the first 64 KiB makes a one-thread read take the rest
 * as Latin-1: a worker cannot decide that, so the read falls back. */
START_TEST(test_late_latin1_falls_back)
{
  g_autoptr(GString) doc = g_string_new("case,activity,timestamp\n");
  for (guint i = 0; i < 3000; i++)
    g_string_append_printf(doc, "c%u,Step %u,2024-01-01T10:%02u:00Z\n", i % 7, i % 5, i % 60);
  g_string_append(doc, "c1,Caf\xE9,2024-01-02T00:00:00Z\n");
  gboolean fell_back = FALSE;
  g_autofree char *one = read_doc(doc->str, 1, &fell_back);
  ck_assert(!fell_back);
  ck_assert(strstr(one, "Caf\xC3\xA9") != NULL);
  g_autofree char *three = read_doc(doc->str, 3, &fell_back);
  ck_assert(fell_back);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("csv-split");
  TCase *tc = tcase_create("csv-split");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, test_cut_quoted_newline);
  tcase_add_test(tc, test_cut_doubled_quotes);
  tcase_add_test(tc, test_cut_crlf_and_from);
  tcase_add_test(tc, test_cut_grows);
  tcase_add_test(tc, test_quoted_newlines_stay_split);
  tcase_add_test(tc, test_late_latin1_falls_back);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_ENV);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? 0 : 1;
}
