/* Tests for the event sink: ordering, lifecycle pairing, grouping, filters. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cxmine/cxmine.h"
#include "reader-private.h"
#include "filter-private.h"

#define T(h, m)                                                                                    \
  (G_GINT64_CONSTANT(1704067200000000) + ((gint64)(h)*3600 + (m)*60) * CX_USEC_PER_SEC)

typedef struct {
  CxLog *log;
  GString *seen;  /* "case:A,B,C;" per journey */
  GArray *starts; /* gint64 start of each instance, in order */
} Recorder;

static gboolean
record(const CxJourney *j, gpointer data, GError **error)
{
  Recorder *r = data;
  g_string_append_printf(r->seen, "%s:", cx_pool_get(cx_log_cases(r->log), j->case_id));
  for (guint i = 0; i < j->n_instances; i++) {
    g_string_append_printf(r->seen, "%s%s", i ? "," : "",
                           cx_pool_get(cx_log_activities(r->log), j->instances[i].activity));
    g_array_append_val(r->starts, j->instances[i].start);
  }
  g_string_append_c(r->seen, ';');
  return TRUE;
}

static void
recorder_init(Recorder *r, CxLog *log)
{
  r->log = log;
  r->seen = g_string_new(NULL);
  r->starts = g_array_new(FALSE, FALSE, sizeof(gint64));
}

static void
recorder_clear(Recorder *r)
{
  g_string_free(r->seen, TRUE);
  g_array_free(r->starts, TRUE);
}

static void
row(CxSink *s, const char *c, const char *a, gint64 t, CxLifecycle lc)
{
  CxRawEvent ev = { 0 };
  ev.activity = a;
  ev.activity_len = a ? strlen(a) : 0;
  ev.time = t;
  ev.start = CX_TS_NONE;
  ev.lifecycle = lc;
  g_autoptr(GError) error = NULL;
  ck_assert(cx_sink_row(s, c, strlen(c), &ev, NULL, &error));
}

START_TEST(test_rows_grouped_and_ordered)
{
  g_autoptr(CxLog) log = cx_log_new();
  Recorder r;
  recorder_init(&r, log);
  g_autoptr(CxSink) s = cx_sink_new(log, record, &r);
  /* a time-ordered export: cases interleave */
  row(s, "c1", "A", T(1, 0), CX_LIFECYCLE_COMPLETE);
  row(s, "c2", "X", T(1, 5), CX_LIFECYCLE_COMPLETE);
  row(s, "c1", "C", T(3, 0), CX_LIFECYCLE_COMPLETE);
  row(s, "c2", "Y", T(0, 5), CX_LIFECYCLE_COMPLETE); /* earlier than X: sorted first */
  row(s, "c1", "B", T(2, 0), CX_LIFECYCLE_COMPLETE);
  row(s, "c3", "T1", T(5, 0), CX_LIFECYCLE_COMPLETE);
  row(s, "c3", "T2", T(5, 0), CX_LIFECYCLE_COMPLETE); /* ties keep file order */
  row(s, "c3", "T0", T(5, 0), CX_LIFECYCLE_COMPLETE);
  g_autoptr(GError) error = NULL;
  ck_assert(cx_sink_finish(s, &error));
  ck_assert_str_eq(r.seen->str, "c1:A,B,C;c2:Y,X;c3:T1,T2,T0;");
  recorder_clear(&r);
}
END_TEST

START_TEST(test_untimed_keep_place_and_missing_values_counted)
{
  g_autoptr(CxLog) log = cx_log_new();
  Recorder r;
  recorder_init(&r, log);
  g_autoptr(CxSink) s = cx_sink_new(log, record, &r);
  row(s, "c1", "B", T(2, 0), CX_LIFECYCLE_COMPLETE);
  row(s, "c1", "U", CX_TS_NONE, CX_LIFECYCLE_COMPLETE); /* stays right after B */
  row(s, "c1", "A", T(1, 0), CX_LIFECYCLE_COMPLETE);
  row(s, "c1", NULL, T(1, 0), CX_LIFECYCLE_COMPLETE); /* no activity: dropped, counted */
  row(s, "", "Z", T(1, 0), CX_LIFECYCLE_COMPLETE);    /* no case: dropped, counted */
  ck_assert(cx_sink_finish(s, NULL));
  ck_assert_str_eq(r.seen->str, "c1:A,B,U;");
  const CxReadCounts *c = cx_log_counts(log);
  ck_assert_uint_eq(c->no_activity, 1);
  ck_assert_uint_eq(c->no_case, 1);
  ck_assert_uint_eq(c->no_timestamp, 1);
  ck_assert_uint_eq(c->events_read, 5);
  recorder_clear(&r);
}
END_TEST

START_TEST(test_lifecycle_pairing)
{
  CxLifecycleMode modes[] = { CX_LIFECYCLE_MODE_AUTO, CX_LIFECYCLE_MODE_ALL,
                              CX_LIFECYCLE_MODE_COMPLETE, CX_LIFECYCLE_MODE_PAIR };
  const char *expect[] = { "c:A,A,B;", "c:A,A,A,B,A,B;", "c:A,A,B;", "c:A,A,B;" };
  for (gsize m = 0; m < G_N_ELEMENTS(modes); m++) {
    g_autoptr(CxLog) log = cx_log_new();
    cx_log_options(log)->lifecycle = modes[m];
    Recorder r;
    recorder_init(&r, log);
    g_autoptr(CxSink) s = cx_sink_new(log, record, &r);
    /* two overlapping A instances: FIFO pairs the first start with the first complete */
    row(s, "c", "A", T(1, 0), CX_LIFECYCLE_START);
    row(s, "c", "A", T(1, 10), CX_LIFECYCLE_START);
    row(s, "c", "A", T(1, 20), CX_LIFECYCLE_COMPLETE);
    row(s, "c", "B", T(1, 25), CX_LIFECYCLE_OTHER); /* e.g. schedule */
    row(s, "c", "A", T(1, 30), CX_LIFECYCLE_COMPLETE);
    row(s, "c", "B", T(1, 40), CX_LIFECYCLE_COMPLETE);
    ck_assert(cx_sink_finish(s, NULL));
    ck_assert_str_eq(r.seen->str, expect[m]);
    if (modes[m] == CX_LIFECYCLE_MODE_PAIR || modes[m] == CX_LIFECYCLE_MODE_AUTO) {
      ck_assert_int_eq(g_array_index(r.starts, gint64, 0), T(1, 0));
      ck_assert_int_eq(g_array_index(r.starts, gint64, 1), T(1, 10));
      ck_assert_int_eq(g_array_index(r.starts, gint64, 2), CX_TS_NONE);
      ck_assert_uint_eq(cx_log_counts(log)->lifecycle_dropped, 1);
    }
    recorder_clear(&r);
  }
}
END_TEST

START_TEST(test_pairing_completes_right_instance)
{
  g_autoptr(CxLog) log = cx_log_new();
  cx_log_options(log)->lifecycle = CX_LIFECYCLE_MODE_PAIR;
  Recorder r;
  recorder_init(&r, log);
  g_autoptr(CxSink) s = cx_sink_new(log, record, &r);
  row(s, "c", "A", T(1, 0), CX_LIFECYCLE_START);
  row(s, "c", "B", T(1, 5), CX_LIFECYCLE_START);
  row(s, "c", "B", T(1, 6), CX_LIFECYCLE_COMPLETE);
  row(s, "c", "A", T(2, 0), CX_LIFECYCLE_COMPLETE);
  ck_assert(cx_sink_finish(s, NULL));
  /* instances are placed at their start: A (1:00-2:00), B (1:05-1:06) */
  ck_assert_str_eq(r.seen->str, "c:A,B;");
  ck_assert_int_eq(g_array_index(r.starts, gint64, 0), T(1, 0));
  ck_assert_int_eq(g_array_index(r.starts, gint64, 1), T(1, 5));
  recorder_clear(&r);
}
END_TEST

static void
trace(CxSink *s, const char *name, const char *const *acts, const gint64 *times, gsize n)
{
  cx_sink_trace_begin(s);
  cx_sink_trace_attr(s, "concept:name", 12, name, strlen(name));
  cx_sink_trace_attr(s, "segment", 7, "gold", 4);
  for (gsize i = 0; i < n; i++) {
    CxRawEvent ev = { 0 };
    ev.activity = acts[i];
    ev.activity_len = strlen(acts[i]);
    ev.time = times[i];
    ev.start = CX_TS_NONE;
    cx_sink_trace_event(s, &ev);
  }
}

START_TEST(test_streamed_repeat_is_reported)
{
  g_autoptr(CxLog) log = cx_log_new();
  Recorder r;
  recorder_init(&r, log);
  g_autoptr(CxSink) s = cx_sink_new(log, record, &r);
  cx_sink_set_streaming(s, TRUE);
  const char *a[] = { "A", "B" };
  gint64 t[] = { T(1, 0), T(2, 0) };
  trace(s, "x", a, t, 2);
  ck_assert(cx_sink_trace_end(s, NULL));
  ck_assert_str_eq(r.seen->str, "x:A,B;");
  trace(s, "x", a, t, 1);
  g_autoptr(GError) error = NULL;
  ck_assert(!cx_sink_trace_end(s, &error));
  ck_assert(error != NULL); /* stops the reader; the flag starts the scan over */
  ck_assert(cx_sink_saw_repeat(s));
  recorder_clear(&r);
}
END_TEST

START_TEST(test_grouped_traces_merge_repeated_case)
{
  g_autoptr(CxLog) log = cx_log_new();
  Recorder r;
  recorder_init(&r, log);
  g_autoptr(CxSink) s = cx_sink_new(log, record, &r);
  cx_sink_set_streaming(s, FALSE);
  const char *a1[] = { "D1" }, *a2[] = { "D2" }, *a3[] = { "E" };
  gint64 t1[] = { T(9, 0) }, t2[] = { T(8, 0) }, t3[] = { T(7, 0) };
  trace(s, "dup", a1, t1, 1);
  ck_assert(cx_sink_trace_end(s, NULL));
  trace(s, "other", a3, t3, 1);
  ck_assert(cx_sink_trace_end(s, NULL));
  trace(s, "dup", a2, t2, 1);
  ck_assert(cx_sink_trace_end(s, NULL));
  cx_sink_trace_begin(s); /* an empty trace is no case */
  cx_sink_trace_attr(s, "concept:name", 12, "empty", 5);
  ck_assert(cx_sink_trace_end(s, NULL));
  ck_assert(cx_sink_finish(s, NULL));
  ck_assert_str_eq(r.seen->str, "dup:D2,D1;other:E;");
  ck_assert_uint_eq(cx_log_counts(log)->empty_traces, 1);
  recorder_clear(&r);
}
END_TEST

START_TEST(test_filters)
{
  g_autoptr(CxLog) log = cx_log_new();
  CxReadOptions *o = cx_log_options(log);
  ck_assert(cx_read_options_add_filter(o, "starts-with", "A", NULL));
  ck_assert(cx_read_options_add_filter(o, "ends-with", "C", NULL));
  ck_assert(cx_read_options_add_filter(o, "from", "2024-01-01T01:00:00Z", NULL)); /* T(1, 0) */
  ck_assert(cx_read_options_add_filter(o, "to", "2024-01-01T03:00:00Z", NULL));   /* T(3, 0) */
  /* cx_log_scan() prepares the chain; a sink driven directly needs it done */
  ck_assert(cx_filter_chain_prepare(o->filters, log, NULL));
  Recorder r;
  recorder_init(&r, log);
  g_autoptr(CxSink) s = cx_sink_new(log, record, &r);
  row(s, "keep", "A", T(1, 0), CX_LIFECYCLE_COMPLETE);
  row(s, "keep", "C", T(4, 0), CX_LIFECYCLE_COMPLETE);
  row(s, "late", "A", T(3, 0), CX_LIFECYCLE_COMPLETE); /* starts at 'to': excluded */
  row(s, "late", "C", T(4, 0), CX_LIFECYCLE_COMPLETE);
  row(s, "wrongstart", "B", T(1, 0), CX_LIFECYCLE_COMPLETE);
  row(s, "wrongstart", "C", T(2, 0), CX_LIFECYCLE_COMPLETE);
  row(s, "wrongend", "A", T(1, 0), CX_LIFECYCLE_COMPLETE);
  row(s, "wrongend", "B", T(2, 0), CX_LIFECYCLE_COMPLETE);
  ck_assert(cx_sink_finish(s, NULL));
  ck_assert_str_eq(r.seen->str, "keep:A,C;");
  ck_assert_uint_eq(cx_log_counts(log)->cases_filtered, 3);
  recorder_clear(&r);
}
END_TEST

static char *
write_temp(const char *contents)
{
  char *path = NULL;
  GError *error = NULL;
  int fd = g_file_open_tmp("cx-test-XXXXXX.csv", &path, &error);
  ck_assert_int_ge(fd, 0);
  close(fd);
  ck_assert(g_file_set_contents(path, contents, -1, NULL));
  return path;
}

START_TEST(test_empty_input_is_an_error)
{
  g_autofree char *path = write_temp("");
  g_autoptr(CxLog) log = cx_log_new();
  cx_log_add_source(log, path, CX_FORMAT_AUTO, NULL);
  Recorder r;
  recorder_init(&r, log);
  g_autoptr(GError) error = NULL;
  ck_assert(!cx_log_scan(log, record, NULL, &r, &error));
  ck_assert(g_error_matches(error, CX_READER_ERROR, CX_READER_ERROR_EMPTY));
  ck_assert_ptr_nonnull(strstr(error->message, path));
  unlink(path);
  recorder_clear(&r);
}
END_TEST

START_TEST(test_missing_file_is_an_error)
{
  g_autoptr(CxLog) log = cx_log_new();
  cx_log_add_source(log, "/nonexistent/log.xes", CX_FORMAT_AUTO, NULL);
  Recorder r;
  recorder_init(&r, log);
  g_autoptr(GError) error = NULL;
  ck_assert(!cx_log_scan(log, record, NULL, &r, &error));
  ck_assert_ptr_nonnull(strstr(error->message, "/nonexistent/log.xes: cannot open"));
  recorder_clear(&r);
}
END_TEST

/* The top-variants filter keeps the variants `cxmine variants` ranks
 * first: on a tie of counts, the one whose example starts first, not the
 * one met first in the file. */
START_TEST(test_top_variants_ranked_as_variants)
{
  g_autofree char *path = write_temp("case,activity,timestamp\n"
                                     "c1,B,2024-01-01T10:00:00Z\n"
                                     "c2,B,2024-01-01T11:00:00Z\n"
                                     "c3,A,2024-01-01T01:00:00Z\n"
                                     "c4,A,2024-01-01T02:00:00Z\n"
                                     "c5,C,2024-01-01T00:00:00Z\n");
  g_autoptr(CxLog) log = cx_log_new();
  cx_log_add_source(log, path, CX_FORMAT_CSV, NULL);
  ck_assert(cx_read_options_add_filter(cx_log_options(log), "top-variants", "1", NULL));
  Recorder r;
  recorder_init(&r, log);
  g_autoptr(GError) error = NULL;
  ck_assert_msg(cx_log_scan(log, record, NULL, &r, &error), "%s", error ? error->message : "");
  ck_assert_str_eq(r.seen->str, "c3:A;c4:A;");
  recorder_clear(&r);
  unlink(path);
}
END_TEST

static void
reset_recorder(gpointer data)
{
  Recorder *r = data;
  g_string_truncate(r->seen, 0);
  g_array_set_size(r->starts, 0);
}

/* A streamed XES whose case id repeats is read again grouped, on one
 * thread and with the sink on its own: the restart is the sink's flag. */
START_TEST(test_streamed_repeat_restarts_grouped)
{
  g_autofree char *path
      = write_temp("<log>"
                   "<trace><string key=\"concept:name\" value=\"x\"/>"
                   "<event><string key=\"concept:name\" value=\"A\"/>"
                   "<date key=\"time:timestamp\" value=\"2024-01-01T01:00:00Z\"/></event></trace>"
                   "<trace><string key=\"concept:name\" value=\"y\"/>"
                   "<event><string key=\"concept:name\" value=\"C\"/>"
                   "<date key=\"time:timestamp\" value=\"2024-01-01T00:00:00Z\"/></event></trace>"
                   "<trace><string key=\"concept:name\" value=\"x\"/>"
                   "<event><string key=\"concept:name\" value=\"B\"/>"
                   "<date key=\"time:timestamp\" value=\"2024-01-01T02:00:00Z\"/></event></trace>"
                   "</log>");
  gsize after[] = { 0, 1 };
  for (gsize k = 0; k < G_N_ELEMENTS(after); k++) {
    g_autoptr(CxLog) log = cx_log_new();
    cx_log_add_source(log, path, CX_FORMAT_XES, NULL);
    cx_log_options(log)->threads_after = after[k];
    Recorder r;
    recorder_init(&r, log);
    g_autoptr(GError) error = NULL;
    ck_assert_msg(cx_log_scan(log, record, reset_recorder, &r, &error), "%s",
                  error ? error->message : "");
    ck_assert_str_eq(r.seen->str, "x:A,B;y:C;");
    ck_assert(cx_log_counts(log)->grouped);
    recorder_clear(&r);
  }
  unlink(path);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("sink");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, test_rows_grouped_and_ordered);
  tcase_add_test(tc, test_untimed_keep_place_and_missing_values_counted);
  tcase_add_test(tc, test_lifecycle_pairing);
  tcase_add_test(tc, test_pairing_completes_right_instance);
  tcase_add_test(tc, test_streamed_repeat_is_reported);
  tcase_add_test(tc, test_grouped_traces_merge_repeated_case);
  tcase_add_test(tc, test_filters);
  tcase_add_test(tc, test_empty_input_is_an_error);
  tcase_add_test(tc, test_missing_file_is_an_error);
  tcase_add_test(tc, test_top_variants_ranked_as_variants);
  tcase_add_test(tc, test_streamed_repeat_restarts_grouped);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_ENV);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
