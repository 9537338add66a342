/* The scan driver (cx_log_scan, reader.h) through the public API: journeys
 * out of one or several sources of either format, counts and names, what
 * a consumer's error does, errors of missing and empty inputs, repeated
 * scans, filters, and the notices and --strict errors of the source report. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include "cxmine/cxmine.h"
#include "csv-log.h"

static const char *const CSV = "case,activity,timestamp\n"
                               "c2,x,2024-01-02T10:00:00Z\n"
                               "c1,a,2024-01-01T10:00:00Z\n"
                               "c1,b,2024-01-01T11:00:00Z\n"
                               "c2,y,2024-01-02T09:00:00Z\n";

static const char *const XES
    = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<log xes.version=\"1.0\">\n"
      "<trace><string key=\"concept:name\" value=\"x1\"/>\n"
      "<event><string key=\"concept:name\" value=\"a\"/>"
      "<date key=\"time:timestamp\" value=\"2024-01-03T10:00:00Z\"/></event>\n"
      "<event><string key=\"concept:name\" value=\"c\"/>"
      "<date key=\"time:timestamp\" value=\"2024-01-03T12:00:00Z\"/></event>\n"
      "</trace>\n</log>\n";

typedef struct {
  CxLog *log;
  GPtrArray *lines; /* "CASE: A B ..." per journey, in the order handed */
  guint fail_at;    /* 1-based journey to fail on, 0 = never */
  guint resets;
} Seen;

static gboolean
collect(const CxJourney *j, gpointer data, GError **error)
{
  Seen *s = data;
  if (s->fail_at != 0 && s->lines->len + 1 == s->fail_at) {
    g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_NOSPC, "consumer gave up at %u", s->fail_at);
    return FALSE;
  }
  GString *l = g_string_new(cx_pool_get(cx_log_cases(s->log), j->case_id));
  g_string_append_c(l, ':');
  for (guint i = 0; i < j->n_instances; i++)
    g_string_append_printf(l, " %s",
                           cx_pool_get(cx_log_activities(s->log), j->instances[i].activity));
  g_ptr_array_add(s->lines, g_string_free(l, FALSE));
  return TRUE;
}

static void
count_reset(gpointer data)
{
  Seen *s = data;
  s->resets++;
  g_ptr_array_set_size(s->lines, 0);
}

static Seen
seen_new(CxLog *log)
{
  return (Seen){ log, g_ptr_array_new_with_free_func(g_free), 0, 0 };
}

/* The journeys seen, sorted and joined by "|" (the order of journeys is
 * not part of the contract). */
static int
cmp_str(gconstpointer a, gconstpointer b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *
sorted(Seen *s)
{
  g_autoptr(GPtrArray) copy = g_ptr_array_new(); /* borrows the strings */
  for (guint i = 0; i < s->lines->len; i++)
    g_ptr_array_add(copy, g_ptr_array_index(s->lines, i));
  g_ptr_array_sort(copy, cmp_str);
  g_ptr_array_add(copy, NULL);
  return g_strjoinv("|", (char **)copy->pdata);
}

START_TEST(test_csv_journeys_in_time_order)
{
  CsvLog c;
  csv_log_open(&c, CSV);
  Seen s = seen_new(c.log);
  csv_log_scan(&c, collect, count_reset, &s);
  g_autofree char *all = sorted(&s);
  /* each journey in time order, whatever the row order */
  ck_assert_str_eq(all, "c1: a b|c2: y x");
  const CxReadCounts *rc = cx_log_counts(c.log);
  ck_assert_uint_eq(rc->events_read, 4);
  ck_assert_uint_eq(rc->events_kept, 4);
  ck_assert_uint_eq(rc->cases_kept, 2);
  ck_assert_uint_eq(rc->traces_read, 2);
  g_autofree char *name = cx_log_display_name(c.log);
  ck_assert_str_eq(name, "log.csv");
  g_ptr_array_unref(s.lines);
  csv_log_close(&c);
}
END_TEST

START_TEST(test_two_sources_two_formats)
{
  CsvLog c;
  csv_log_open(&c, CSV);
  g_autofree char *xes = csv_log_write(&c, "more.xes", XES);
  cx_log_add_source(c.log, xes, CX_FORMAT_AUTO, NULL); /* detected as XES */
  ck_assert_uint_eq(cx_log_n_sources(c.log), 2);
  ck_assert_str_eq(cx_log_source_path(c.log, 1), xes);
  Seen s = seen_new(c.log);
  csv_log_scan(&c, collect, count_reset, &s);
  g_autofree char *all = sorted(&s);
  ck_assert_str_eq(all, "c1: a b|c2: y x|x1: a c");
  ck_assert_uint_eq(cx_log_counts(c.log)->events_read, 6);
  ck_assert_uint_eq(cx_log_counts(c.log)->cases_kept, 3);
  /* one activity pool across the sources: "a" is one id */
  ck_assert_uint_eq(cx_pool_size(cx_log_activities(c.log)), 1 + 5);
  g_autofree char *name = cx_log_display_name(c.log);
  ck_assert_str_eq(name, "log.csv + 1 more");
  cx_log_set_display_name(c.log, "both");
  g_autofree char *renamed = cx_log_display_name(c.log);
  ck_assert_str_eq(renamed, "both");
  g_ptr_array_unref(s.lines);
  csv_log_close(&c);
}
END_TEST

/* The journeys' names where the log keeps them, else their numbers, and
 * their activities, in the order handed. */
static gboolean
collect_numbers(const CxJourney *j, gpointer data, GError **error)
{
  Seen *s = data;
  GString *l = g_string_new(NULL);
  CxPool *cases = cx_log_cases(s->log);
  if (j->case_id < cx_pool_size(cases))
    g_string_printf(l, "%s:", cx_pool_get(cases, j->case_id));
  else
    g_string_printf(l, "%u:", j->case_id);
  for (guint i = 0; i < j->n_instances; i++)
    g_string_append_printf(l, " %s",
                           cx_pool_get(cx_log_activities(s->log), j->instances[i].activity));
  g_ptr_array_add(s->lines, g_string_free(l, FALSE));
  return TRUE;
}

#define EV(A, T)                                                                                   \
  "<event><string key=\"concept:name\" value=\"" A "\"/><date key=\"time:timestamp\" value=\"" T   \
  "\"/></event>"
#define TRACE(NAME, EVENTS)                                                                        \
  "<trace><string key=\"concept:name\" value=\"" NAME "\"/>" EVENTS "</trace>\n"

/* A streamed XES whose journeys need no names (cx_log_set_case_names):
 * numbered 1, 2, ... in the file's order, unnamed and empty traces as
 * before, no case id kept; a repeated case id still restarts the scan
 * grouped, which names every journey and gives what a named scan gives. */
START_TEST(test_unnamed_journeys)
{
  static const char *const once
      = "<log xes.version=\"1.0\">\n" TRACE("x1", EV("a", "2024-01-03T10:00:00Z"))
          TRACE("x2", EV("b", "2024-01-03T11:00:00Z") EV("c", "2024-01-03T12:00:00Z"))
              TRACE("empty", "") "<trace>" EV("d", "2024-01-04T10:00:00Z") "</trace>\n" TRACE(
                  "x3", EV("e", "2024-01-05T10:00:00Z")) "</log>\n";
  static const char *const twice
      = "<log xes.version=\"1.0\">\n" TRACE("x1", EV("a", "2024-01-03T10:00:00Z"))
          TRACE("x2", EV("b", "2024-01-03T11:00:00Z"))
              TRACE("x1", EV("c", "2024-01-04T10:00:00Z")) "</log>\n";
  CsvLog c = { 0 };
  g_autofree char *p1 = csv_log_write(&c, "once.xes", once);
  g_autofree char *p2 = csv_log_write(&c, "twice.xes", twice);

  g_autoptr(CxLog) log = cx_log_new();
  cx_log_add_source(log, p1, CX_FORMAT_AUTO, NULL);
  cx_log_set_case_names(log, FALSE);
  Seen s = seen_new(log);
  g_autoptr(GError) error = NULL;
  ck_assert(cx_log_scan(log, collect_numbers, count_reset, &s, &error));
  g_ptr_array_add(s.lines, NULL);
  g_autofree char *got = g_strjoinv("|", (char **)s.lines->pdata);
  ck_assert_str_eq(got, "1: a|2: b c|3: d|4: e");
  ck_assert_uint_eq(s.resets, 0);
  ck_assert_uint_eq(cx_pool_size(cx_log_cases(log)), 1); /* "" alone: no id kept */
  ck_assert_uint_eq(cx_log_counts(log)->empty_traces, 1);
  ck_assert_uint_eq(cx_log_counts(log)->unnamed_traces, 1);
  ck_assert_uint_eq(cx_log_counts(log)->cases_kept, 4);

  /* a repeat: grouped, named */
  g_autoptr(CxLog) rep = cx_log_new();
  cx_log_add_source(rep, p2, CX_FORMAT_AUTO, NULL);
  cx_log_set_case_names(rep, FALSE);
  Seen r = seen_new(rep);
  ck_assert(cx_log_scan(rep, collect_numbers, count_reset, &r, &error));
  ck_assert_uint_eq(r.resets, 1);
  g_autofree char *grouped = sorted(&r);
  ck_assert_str_eq(grouped, "x1: a c|x2: b");
  g_autoptr(CxLog) named = cx_log_new();
  cx_log_add_source(named, p2, CX_FORMAT_AUTO, NULL);
  Seen n = seen_new(named);
  ck_assert(cx_log_scan(named, collect, count_reset, &n, &error));
  g_autofree char *want = sorted(&n);
  ck_assert_str_eq(grouped, want);
  g_ptr_array_unref(s.lines);
  g_ptr_array_unref(r.lines);
  g_ptr_array_unref(n.lines);
  csv_log_close(&c);
}
END_TEST

START_TEST(test_scan_twice_same_journeys)
{
  CsvLog c;
  csv_log_open(&c, CSV);
  Seen a = seen_new(c.log), b = seen_new(c.log);
  csv_log_scan(&c, collect, count_reset, &a);
  csv_log_scan(&c, collect, count_reset, &b);
  ck_assert_uint_eq(a.lines->len, 2);
  ck_assert_uint_eq(b.lines->len, 2);
  for (guint i = 0; i < a.lines->len; i++) /* the same order too */
    ck_assert_str_eq(g_ptr_array_index(a.lines, i), g_ptr_array_index(b.lines, i));
  g_ptr_array_unref(a.lines);
  g_ptr_array_unref(b.lines);
  csv_log_close(&c);
}
END_TEST

START_TEST(test_consumer_error_stops_the_scan)
{
  CsvLog c;
  csv_log_open(&c, CSV);
  Seen s = seen_new(c.log);
  s.fail_at = 2;
  g_autoptr(GError) error = NULL;
  ck_assert(!cx_log_scan(c.log, collect, count_reset, &s, &error));
  /* the consumer's own error comes back as it was set */
  ck_assert(g_error_matches(error, G_FILE_ERROR, G_FILE_ERROR_NOSPC));
  ck_assert_str_eq(error->message, "consumer gave up at 2");
  ck_assert_uint_eq(s.lines->len, 1);
  ck_assert_uint_eq(s.resets, 0);
  g_ptr_array_unref(s.lines);
  csv_log_close(&c);
}
END_TEST

START_TEST(test_input_errors)
{
  Seen s = seen_new(NULL);
  /* no source at all */
  g_autoptr(CxLog) none = cx_log_new();
  s.log = none;
  g_autoptr(GError) e1 = NULL;
  ck_assert(!cx_log_scan(none, collect, NULL, &s, &e1));
  ck_assert(g_error_matches(e1, CX_READER_ERROR, CX_READER_ERROR_IO));
  g_autofree char *nn = cx_log_display_name(none);
  ck_assert_str_eq(nn, "(no input)");
  /* a missing file: an I/O error naming it */
  g_autoptr(CxLog) missing = cx_log_new();
  cx_log_add_source(missing, "/nonexistent-cxmine/log.csv", CX_FORMAT_CSV, NULL);
  g_autoptr(GError) e2 = NULL;
  ck_assert(!cx_log_scan(missing, collect, NULL, &s, &e2));
  ck_assert(g_error_matches(e2, CX_READER_ERROR, CX_READER_ERROR_IO));
  ck_assert_ptr_nonnull(strstr(e2->message, "log.csv"));
  /* an empty file */
  CsvLog c;
  csv_log_open(&c, "");
  g_autoptr(GError) e3 = NULL;
  ck_assert(!cx_log_scan(c.log, collect, NULL, &s, &e3));
  ck_assert(g_error_matches(e3, CX_READER_ERROR, CX_READER_ERROR_EMPTY));
  /* a column that is not there */
  CsvLog d;
  csv_log_open(&d, CSV);
  cx_log_options(d.log)->case_col = g_strdup("ticket");
  g_autoptr(GError) e4 = NULL;
  ck_assert(!cx_log_scan(d.log, collect, NULL, &s, &e4));
  ck_assert(g_error_matches(e4, CX_READER_ERROR, CX_READER_ERROR_MAPPING));
  ck_assert_ptr_nonnull(strstr(e4->message, "'ticket'"));
  ck_assert_uint_eq(s.lines->len, 0);
  g_ptr_array_unref(s.lines);
  csv_log_close(&c);
  csv_log_close(&d);
}
END_TEST

START_TEST(test_time_window_filters)
{
  CsvLog c;
  csv_log_open(&c, CSV);
  CxReadOptions *o = cx_log_options(c.log);
  /* from CSV_LOG_T0 + 24 h, 2024-01-02: only c2 starts in it */
  ck_assert(cx_read_options_add_filter(o, "from", "2024-01-02", NULL));
  Seen s = seen_new(c.log);
  csv_log_scan(&c, collect, count_reset, &s);
  g_autofree char *all = sorted(&s);
  ck_assert_str_eq(all, "c2: y x");
  ck_assert_uint_eq(cx_log_counts(c.log)->cases_kept, 1);
  ck_assert_uint_eq(cx_log_counts(c.log)->cases_filtered, 1);
  g_ptr_array_unref(s.lines);
  csv_log_close(&c);
}
END_TEST

typedef struct {
  GPtrArray *codes;
} Notices;

static void
on_notice(CxNoticeLevel level, const char *code, const char *message, gpointer data)
{
  Notices *n = data;
  g_ptr_array_add(n->codes, g_strdup_printf("%d %s", (int)level, code));
}

START_TEST(test_naive_times_notice_or_strict_error)
{
  const char *naive
      = "case,activity,timestamp\nc1,a,2024-01-01 10:00:00\nc1,b,2024-01-01 11:00:00\n";
  CsvLog c;
  csv_log_open(&c, naive);
  Notices n = { g_ptr_array_new_with_free_func(g_free) };
  cx_log_options(c.log)->notice = on_notice;
  cx_log_options(c.log)->notice_data = &n;
  Seen s = seen_new(c.log);
  csv_log_scan(&c, collect, count_reset, &s);
  ck_assert_uint_eq(s.lines->len, 1);
  ck_assert_uint_eq(n.codes->len, 1);
  g_autofree char *want = g_strdup_printf("%d naive-times", (int)CX_NOTICE_WARNING);
  ck_assert_str_eq(g_ptr_array_index(n.codes, 0), want);
  ck_assert(cx_log_counts(c.log)->naive_times);
  /* with strict, the warning is an error of the scan */
  CsvLog d;
  csv_log_open(&d, naive);
  cx_log_options(d.log)->strict = TRUE;
  g_autoptr(GError) error = NULL;
  Seen t = seen_new(d.log);
  ck_assert(!cx_log_scan(d.log, collect, count_reset, &t, &error));
  ck_assert(g_error_matches(error, CX_READER_ERROR, CX_READER_ERROR_VALUE));
  ck_assert(g_str_has_suffix(error->message, "(--strict)"));
  /* with an offset, nothing to say */
  CsvLog e;
  csv_log_open(&e, CSV);
  g_ptr_array_set_size(n.codes, 0);
  cx_log_options(e.log)->notice = on_notice;
  cx_log_options(e.log)->notice_data = &n;
  Seen u = seen_new(e.log);
  csv_log_scan(&e, collect, count_reset, &u);
  ck_assert_uint_eq(n.codes->len, 0);
  g_ptr_array_unref(n.codes);
  g_ptr_array_unref(s.lines);
  g_ptr_array_unref(t.lines);
  g_ptr_array_unref(u.lines);
  csv_log_close(&c);
  csv_log_close(&d);
  csv_log_close(&e);
}
END_TEST

/* ---------- a grouped finish split over threads (cx_log_set_split) ---------- */

typedef struct {
  Seen seen;
  GHashTable *threads; /* the threads journeys were handed on from (shared) */
  GMutex *lock;
  const char *fail_case; /* the cases whose journeys the consumer fails on: "A|B" */
} Split;

static gboolean
split_collect(const CxJourney *j, gpointer data, GError **error)
{
  Split *s = data;
  g_mutex_lock(s->lock);
  g_hash_table_add(s->threads, g_thread_self());
  g_mutex_unlock(s->lock);
  const char *name = cx_pool_get(cx_log_cases(s->seen.log), j->case_id);
  g_auto(GStrv) fail = g_strsplit(s->fail_case != NULL ? s->fail_case : "", "|", -1);
  if (g_strv_contains((const char *const *)fail, name)) {
    g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_NOSPC, "consumer gave up at %s", name);
    return FALSE;
  }
  return collect(j, &s->seen, error);
}

static void
split_reset(gpointer data)
{
  count_reset(&((Split *)data)->seen);
}

static gpointer
split_fork(gpointer data)
{
  Split *s = data, *f = g_new(Split, 1);
  *f = *s;
  f->seen = seen_new(s->seen.log);
  return f;
}

static void
split_merge(gpointer data, gpointer part)
{
  Split *s = data, *p = part;
  for (guint i = 0; i < p->seen.lines->len; i++)
    g_ptr_array_add(s->seen.lines, g_strdup(g_ptr_array_index(p->seen.lines, i)));
  g_ptr_array_unref(p->seen.lines);
  g_free(p);
}

typedef struct {
  GPtrArray *lines, *notices;
  CxReadCounts counts;
  guint threads;
  char *error;
} SplitRun;

static void
keep_notice(CxNoticeLevel level, const char *code, const char *message, gpointer data)
{
  g_ptr_array_add(data, g_strdup_printf("%s: %s", code, message));
}

/* Two sources read grouped on @threads threads, their finish split when
 * the consumer can be; the consumer fails at case @fail_case (NULL =
 * never). */
static SplitRun
split_run(const char *a, const char *b, guint threads, gboolean split, const char *fail_case)
{
  CsvLog c;
  csv_log_open(&c, a);
  g_autofree char *second = csv_log_write(&c, "second.csv", b);
  cx_log_add_source(c.log, second, CX_FORMAT_CSV, NULL);
  CxReadOptions *o = cx_log_options(c.log);
  o->threads = threads;
  o->threads_after = 1;
  o->lifecycle = CX_LIFECYCLE_MODE_PAIR;
  SplitRun r = { NULL, g_ptr_array_new_with_free_func(g_free) };
  o->notice = keep_notice;
  o->notice_data = r.notices;
  GMutex lock;
  g_mutex_init(&lock);
  Split s = { seen_new(c.log), g_hash_table_new(NULL, NULL), &lock, fail_case };
  if (split)
    cx_log_set_split(c.log, split_fork, split_merge);
  g_autoptr(GError) error = NULL;
  if (!cx_log_scan(c.log, split_collect, split_reset, &s, &error))
    r.error = g_strdup(error->message);
  r.lines = s.seen.lines;
  /* the files' folder is a new one each run */
  for (guint i = 0; i < r.notices->len; i++) {
    g_auto(GStrv) parts = g_strsplit(g_ptr_array_index(r.notices, i), c.dir, -1);
    g_free(g_ptr_array_index(r.notices, i));
    g_ptr_array_index(r.notices, i) = g_strjoinv("DIR", parts);
  }
  r.counts = *cx_log_counts(c.log);
  r.threads = g_hash_table_size(s.threads);
  g_hash_table_destroy(s.threads);
  g_mutex_clear(&lock);
  csv_log_close(&c);
  return r;
}

static void
split_run_clear(SplitRun *r)
{
  g_ptr_array_unref(r->lines);
  g_ptr_array_unref(r->notices);
  g_free(r->error);
}

START_TEST(test_split_finish_same_journeys)
{
  /* 60 cases over two files, rows in time order (cases interleaved); case
   * k has a start/complete pair, a lone complete, an event that repeats
   * the one before it (duplicates, counted by file), an event without an
   * activity, and one of a transition pairing drops */
  GString *a = g_string_new("case,activity,timestamp,lifecycle\n");
  GString *b = g_string_new("case,activity,timestamp,lifecycle\n");
  for (guint step = 0; step < 4; step++)
    for (guint k = 0; k < 60; k++) {
      GString *out = k < 40 ? a : b;
      guint h = step * 2 + k % 2, m = k % 60;
      const char *act[] = { "open", "open", "work", "close" };
      const char *lc[] = { "start", "complete", "complete", "complete" };
      g_string_append_printf(out, "k%02u,%s,2024-01-0%uT%02u:%02u:00Z,%s\n", k, act[step],
                             1 + k / 30, h, m, lc[step]);
      if (step == 2 && k % 7 == 3) /* a duplicate of the row before */
        g_string_append_printf(out, "k%02u,%s,2024-01-0%uT%02u:%02u:00Z,%s\n", k, act[step],
                               1 + k / 30, h, m, lc[step]);
      if (step == 3 && k % 11 == 5)
        g_string_append_printf(out, "k%02u,,2024-01-0%uT%02u:%02u:30Z,complete\n", k, 1 + k / 30, h,
                               m);
      if (step == 3 && k % 13 == 4) /* a transition pairing drops */
        g_string_append_printf(out, "k%02u,call,2024-01-0%uT%02u:%02u:40Z,schedule\n", k,
                               1 + k / 30, h, m);
    }
  SplitRun one = split_run(a->str, b->str, 1, TRUE, NULL);
  SplitRun whole = split_run(a->str, b->str, 3, FALSE, NULL);
  SplitRun split = split_run(a->str, b->str, 3, TRUE, NULL);
  SplitRun eight = split_run(a->str, b->str, 8, TRUE, NULL);
  ck_assert_ptr_null(one.error);
  ck_assert_ptr_null(split.error);
  ck_assert_uint_eq(one.threads, 1);
  ck_assert_uint_eq(whole.threads, 1);
  /* the finish was split: journeys came from three threads */
  ck_assert_uint_eq(split.threads, 3);
  /* at most four parts, whatever the threads */
  ck_assert_uint_eq(eight.threads, 4);
  ck_assert_uint_eq(one.lines->len, 60);
  SplitRun *runs[] = { &whole, &split, &eight };
  for (guint r = 0; r < G_N_ELEMENTS(runs); r++) {
    /* the same journeys in the same order */
    ck_assert_uint_eq(runs[r]->lines->len, one.lines->len);
    for (guint i = 0; i < one.lines->len; i++)
      ck_assert_str_eq(g_ptr_array_index(runs[r]->lines, i), g_ptr_array_index(one.lines, i));
    /* the same counts, and the same notices (duplicates named by file) */
    const CxReadCounts *x = &runs[r]->counts, *y = &one.counts;
    ck_assert_uint_eq(x->cases_kept, y->cases_kept);
    ck_assert_uint_eq(x->events_kept, y->events_kept);
    ck_assert_uint_eq(x->duplicates, y->duplicates);
    ck_assert_uint_eq(x->lifecycle_dropped, y->lifecycle_dropped);
    ck_assert_uint_eq(x->no_activity, y->no_activity);
    ck_assert_uint_eq(runs[r]->notices->len, one.notices->len);
    for (guint i = 0; i < one.notices->len; i++)
      ck_assert_str_eq(g_ptr_array_index(runs[r]->notices, i), g_ptr_array_index(one.notices, i));
  }
  ck_assert_uint_eq(one.counts.duplicates, 9);
  ck_assert_uint_gt(one.counts.no_activity, 0);
  ck_assert_uint_gt(one.counts.lifecycle_dropped, 0);
  ck_assert_uint_gt(one.notices->len, 0);
  /* a consumer's failure is told as on one thread: one in the last
   * third, and the first in the order of the cases when the second and
   * the last third both fail */
  SplitRun fail_one = split_run(a->str, b->str, 1, TRUE, "k50");
  SplitRun fail_split = split_run(a->str, b->str, 3, TRUE, "k50");
  SplitRun fail_two = split_run(a->str, b->str, 3, TRUE, "k50|k30");
  ck_assert_str_eq(fail_one.error, "consumer gave up at k50");
  ck_assert_str_eq(fail_split.error, "consumer gave up at k50");
  ck_assert_str_eq(fail_two.error, "consumer gave up at k30");
  SplitRun *all[] = { &one, &whole, &split, &eight, &fail_one, &fail_split, &fail_two };
  for (guint r = 0; r < G_N_ELEMENTS(all); r++)
    split_run_clear(all[r]);
  g_string_free(a, TRUE);
  g_string_free(b, TRUE);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("scan");
  TCase *tc = tcase_create("scan");
  tcase_add_test(tc, test_csv_journeys_in_time_order);
  tcase_add_test(tc, test_two_sources_two_formats);
  tcase_add_test(tc, test_scan_twice_same_journeys);
  tcase_add_test(tc, test_unnamed_journeys);
  tcase_add_test(tc, test_consumer_error_stops_the_scan);
  tcase_add_test(tc, test_input_errors);
  tcase_add_test(tc, test_time_window_filters);
  tcase_add_test(tc, test_naive_times_notice_or_strict_error);
  tcase_add_test(tc, test_split_finish_same_journeys);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_ENV);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
