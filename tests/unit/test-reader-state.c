/* The readers leave nothing behind: libxml2's generic error handler is the
 * caller's again after an XES read (and silent during it), and what one CSV
 * read measures is its own, not a sum over every read in the process. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/globals.h>
#include <libxml/parser.h>
#include "reader-private.h"

static guint generic_calls;

static void
count_generic(void *ctx, const char *msg, ...)
{
  generic_calls++;
}

static gboolean
ignore(const CxJourney *j, gpointer data, GError **error)
{
  return TRUE;
}

/* Reads @xes; TRUE when it was read without error. */
static gboolean
read_xes(const char *xes)
{
  g_autoptr(CxLog) log = cx_log_new();
  g_autoptr(CxInput) in = cx_input_new_from_data("t.xes", xes, strlen(xes));
  g_autoptr(CxSink) sink = cx_sink_new(log, ignore, NULL);
  g_autoptr(GError) error = NULL;
  return cx_xes_read(in, sink, cx_log_options(log), &error) && cx_sink_finish(sink, &error);
}

static const char *const bad_xes[] = {
  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<log><trace><string key=\"concept:name\" "
  "value=\"a\xff\xfe\"/></trace></log>\n",
  "<?xml version=\"1.0\" encoding=\"ISO-8859-99\"?>\n<log></log>\n",
  "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n<log></log>\n",
  "<log><trace><event></trace></log>",
  /* a failed encoding conversion goes to the generic handler: silenced */
  "<?xml version=\"1.0\" encoding=\"EUC-JP\"?>\n<log><trace><string key=\"concept:name\" "
  "value=\"a\xff\xff\xff\"/></trace></log>\n",
};

START_TEST(test_generic_handler_restored)
{
  xmlSetGenericErrorFunc(NULL, count_generic);
  generic_calls = 0;
  ck_assert(!read_xes(bad_xes[_i]));
  ck_assert_msg(xmlGenericError == count_generic,
                "the XES reader left its own generic error handler installed");
  ck_assert_uint_eq(generic_calls, 0);
  ck_assert(read_xes("<log><trace><string key=\"concept:name\" value=\"c\"/><event><string "
                     "key=\"concept:name\" value=\"a\"/></event></trace></log>"));
  ck_assert(xmlGenericError == count_generic);
  xmlSetGenericErrorFunc(NULL, NULL);
}
END_TEST

static CxCsvWork
read_csv(const char *csv)
{
  g_autoptr(CxLog) log = cx_log_new();
  g_autoptr(CxInput) in = cx_input_new_from_data("t.csv", csv, strlen(csv));
  g_autoptr(CxSink) sink = cx_sink_new(log, ignore, NULL);
  g_autoptr(GError) error = NULL;
  CxCsvWork work = { 0 };
  ck_assert(cx_csv_read_measured(in, sink, cx_log_options(log), &work, &error));
  ck_assert(cx_sink_finish(sink, &error));
  return work;
}

START_TEST(test_csv_work_per_read)
{
  const char *csv = "case,activity,timestamp\nc1,a,2024-01-01T00:00:00Z\n";
  CxCsvWork first = read_csv(csv), second = read_csv(csv);
  ck_assert_uint_gt(first.scanned, 0);
  ck_assert_uint_eq(second.scanned, first.scanned);
  ck_assert_uint_eq(second.buffer_peak, first.buffer_peak);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("reader-state");
  TCase *tc = tcase_create("state");
  tcase_add_loop_test(tc, test_generic_handler_restored, 0, G_N_ELEMENTS(bad_xes));
  tcase_add_test(tc, test_csv_work_per_read);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_ENV);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
