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

/* Every field of every instance, one line each, with the names. */
static gboolean
record_all(const CxJourney *j, gpointer data, GError **error)
{
  (void)error;
  Recorder *r = data;
  for (guint i = 0; i < j->n_instances; i++) {
    const CxEvent *e = &j->instances[i];
    g_string_append_printf(r->seen, "%s %s %s %s %" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %u\n",
                           cx_pool_get(cx_log_cases(r->log), j->case_id),
                           cx_pool_get(cx_log_activities(r->log), e->activity),
                           cx_pool_get(cx_log_resources(r->log), e->resource),
                           cx_pool_get(cx_log_channels(r->log), e->channel), e->time, e->start,
                           e->flags);
  }
  return TRUE;
}

static void
count_spills(const CxProgress *p, gpointer data)
{
  if (p->phase == CX_PROGRESS_SPILL)
    (*(guint *)data)++;
}

/* Row @i of the logs the widening test reads: 1,000 cases, times rising
 * in each, and from a row on events that do not fit 16 bytes: by @kind, a
 * start time on every 7th row from row 15,000, a resource past the 65,536th
 * (from row 65,536), or a channel past the 256th (from row 15,251). */
enum { WIDE_START, WIDE_RESOURCE, WIDE_CHANNEL };

static void
wide_row(CxSink *s, guint i, guint kind)
{
  char c[16], a[16], res[16], ch[16];
  g_snprintf(c, sizeof c, "c%u", i % 1000);
  g_snprintf(a, sizeof a, "A%u", i % 13);
  g_snprintf(res, sizeof res, "r%u", kind == WIDE_RESOURCE ? i : i % 50);
  g_snprintf(ch, sizeof ch, "ch%u", kind == WIDE_CHANNEL && i >= 15000 ? 5 + i % 400 : i % 5);
  CxRawEvent ev = { 0 };
  ev.activity = a;
  ev.activity_len = strlen(a);
  ev.resource = res;
  ev.resource_len = strlen(res);
  ev.channel = ch;
  ev.channel_len = strlen(ch);
  ev.time = T(1, 0) + (gint64)i * CX_USEC_PER_SEC;
  ev.start = kind == WIDE_START && i >= 15000 && i % 7 == 0 ? ev.time - 30 * CX_USEC_PER_SEC
                                                            : CX_TS_NONE;
  ev.lifecycle = CX_LIFECYCLE_COMPLETE;
  g_autoptr(GError) error = NULL;
  ck_assert_msg(cx_sink_row(s, c, strlen(c), &ev, NULL, &error), "%s",
                error != NULL ? error->message : "");
}

/* The grouped events are kept in 16 bytes until one does not fit, then
 * widened in place (or, when the budget has no room for that, spilled
 * first): the journeys are those of the same log whose first event is
 * wide already, for each kind of event that does not fit. */
START_TEST(test_grouped_events_widen)
{
  const guint n[] = { 20000, 70000, 20000 };   /* rows, by kind */
  const guint64 budgets[] = { 0, 512u << 10 }; /* the default; one that spills */
  /* a line each kind's journeys must have (case activity resource channel time start) */
  const char *line[]
      = { "c8 A6 r8 ch3 1704085808000000 1704085778000000 ", "c999 A7 r69999 ch4 1704140799000000 ",
          "c999 A5 r49 ch404 1704090799000000 " };
  for (guint kind = WIDE_START; kind <= WIDE_CHANNEL; kind++) {
    g_autofree char *want = NULL;
    for (guint b = 0; b < G_N_ELEMENTS(budgets); b++)
      for (guint wide_first = 0; wide_first < 2; wide_first++) {
        g_autoptr(CxLog) log = cx_log_new();
        guint spills = 0;
        cx_log_options(log)->memory = budgets[b];
        cx_log_options(log)->progress = count_spills;
        cx_log_options(log)->progress_data = &spills;
        Recorder r;
        recorder_init(&r, log);
        g_autoptr(CxSink) s = cx_sink_new(log, record_all, &r);
        /* the one event the logs differ in: the first, with a start time or not */
        CxRawEvent first = { 0 };
        first.activity = "first";
        first.activity_len = 5;
        first.time = T(0, 0);
        first.start = wide_first ? T(0, 0) - CX_USEC_PER_SEC : CX_TS_NONE;
        ck_assert(cx_sink_row(s, "zz", 2, &first, NULL, NULL));
        for (guint i = 1; i < n[kind]; i++)
          wide_row(s, i, kind);
        g_autoptr(GError) error = NULL;
        ck_assert_msg(cx_sink_finish(s, &error), "%s", error != NULL ? error->message : "");
        ck_assert_uint_eq(cx_log_counts(log)->events_read, n[kind]);
        ck_assert_uint_eq(spills != 0, budgets[b] != 0);
        /* the first journey's line, then the rest */
        const char *rest = strchr(r.seen->str, '\n');
        ck_assert_ptr_nonnull(rest);
        if (!wide_first)
          ck_assert_msg(
              g_str_has_prefix(r.seen->str, "zz first   1704067200000000 -9223372036854775808 0\n"),
              "%.60s", r.seen->str);
        if (want == NULL) {
          want = g_strdup(rest);
          ck_assert_msg(strstr(want, line[kind]) != NULL, "kind %u: no line '%s'", kind,
                        line[kind]);
        } else {
          ck_assert_msg(strcmp(rest, want) == 0,
                        "kind %u, budget %u, wide first %u: other journeys", kind, b, wide_first);
        }
        recorder_clear(&r);
      }
  }
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("sink");
  TCase *tc = tcase_create("core");
  tcase_set_timeout(tc, 60); /* the widening test reads 110,000 rows four times */
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
  tcase_add_test(tc, test_grouped_events_widen);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_ENV);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
