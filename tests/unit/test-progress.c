/* Progress (progress.h) through CxReadOptions.progress while a log is
 * scanned: reading a small CSV, XES or gzip file is one call with every
 * byte of the file as stored, then the finished call; several sources each
 * finish; a failing scan still finishes; a log grouped beyond the memory
 * budget reports the bytes spilled (36 a plain event) and the events merged,
 * and spills a full budget's worth a run (new case ids keep room),
 * ending at the exact totals; building journeys from grouped events in
 * memory is told once it takes half a second.  The analyses' steps after the scan (dfg's
 * waits, friction's findings, compare's tests) each begin at 0 and end with
 * a finished call at their total; a step reports at most twice a second. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "cxmine/cxmine.h"
#include "csv-log.h"

typedef struct {
  CxProgressPhase phase;
  char *name;
  guint64 done, total;
  gboolean finished;
} Call;

static void
call_clear(gpointer p)
{
  g_free(((Call *)p)->name);
}

static void
on_progress(const CxProgress *p, gpointer data)
{
  Call c = { p->phase, g_strdup(p->name), p->done, p->total, p->finished };
  g_array_append_val((GArray *)data, c);
}

static GArray *
calls_new(void)
{
  GArray *a = g_array_new(FALSE, FALSE, sizeof(Call));
  g_array_set_clear_func(a, call_clear);
  return a;
}

/* Opens @c over @csv with its progress going to @calls; returns its
 * options. */
static CxReadOptions *
progress_log(CsvLog *c, const char *csv, GArray *calls)
{
  csv_log_open(c, csv);
  CxReadOptions *o = cx_log_options(c->log);
  o->progress = on_progress;
  o->progress_data = calls;
  return o;
}

static gboolean
count_journey(const CxJourney *j, gpointer data, GError **error)
{
  (void)error;
  *(guint64 *)data += j->n_instances;
  return TRUE;
}

static void
count_reset(gpointer data)
{
  *(guint64 *)data = 0;
}

static guint64
file_size(const char *path)
{
  GStatBuf st;
  ck_assert_int_eq(g_stat(path, &st), 0);
  return (guint64)st.st_size;
}

static void
check_call(const GArray *calls, guint k, CxProgressPhase phase, const char *name, guint64 done,
           guint64 total, gboolean finished)
{
  ck_assert_uint_gt(calls->len, k);
  const Call *c = &g_array_index(calls, Call, k);
  ck_assert_int_eq(c->phase, phase);
  ck_assert_str_eq(c->name, name);
  ck_assert_uint_eq(c->done, done);
  ck_assert_uint_eq(c->total, total);
  ck_assert_int_eq(c->finished, finished);
}

/* @rows rows of @cases cases, 28 bytes a row */
static char *
rows_csv(guint rows, guint cases, const char *tail)
{
  GString *s = g_string_new("case,activity,timestamp\n");
  for (guint i = 0; i < rows; i++)
    g_string_append_printf(s, "c%03u,a,2024-01-01T%02u:00:00Z\n", i % cases, i % 24);
  g_string_append(s, tail);
  return g_string_free(s, FALSE);
}

/* @n traces of one event */
static char *
traces_xes(guint n)
{
  GString *s = g_string_new("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                            "<log xes.version=\"1849-2016\">\n");
  for (guint i = 0; i < n; i++)
    g_string_append_printf(s,
                           "<trace><string key=\"concept:name\" value=\"x%u\"/>\n"
                           "<event><string key=\"concept:name\" value=\"a\"/>"
                           "<date key=\"time:timestamp\" value=\"2024-01-01T10:00:00Z\"/>"
                           "</event>\n</trace>\n",
                           i);
  g_string_append(s, "</log>\n");
  return g_string_free(s, FALSE);
}

/* a file under the read-ahead block (1 MiB) but past the first peek at
 * its head (512 bytes): read in one go, one call, then the finished one */
START_TEST(test_small_files)
{
  g_autofree char *small_csv = rows_csv(100, 10, ""); /* 2,824 bytes */
  g_autofree char *small_xes = traces_xes(10);
  CsvLog c;
  csv_log_open(&c, small_csv);
  g_autofree char *xes = csv_log_write(&c, "log.xes", small_xes);
  g_autoptr(GArray) calls = calls_new();
  cx_log_options(c.log)->progress = on_progress;
  cx_log_options(c.log)->progress_data = calls;
  guint64 n = 0;
  csv_log_scan(&c, count_journey, count_reset, &n);
  ck_assert_uint_eq(n, 100);
  guint64 size = strlen(small_csv);
  ck_assert_uint_eq(size, 24 + 100 * 28);
  ck_assert_uint_eq(file_size(c.path), size);
  ck_assert_uint_eq(calls->len, 2);
  check_call(calls, 0, CX_PROGRESS_READ, c.path, size, size, FALSE);
  check_call(calls, 1, CX_PROGRESS_READ, c.path, size, size, TRUE);

  /* the same log again, then an XES source too: each source reports */
  g_array_set_size(calls, 0);
  cx_log_add_source(c.log, xes, CX_FORMAT_XES, NULL);
  n = 0;
  csv_log_scan(&c, count_journey, count_reset, &n);
  ck_assert_uint_eq(n, 110);
  ck_assert_uint_eq(calls->len, 4);
  guint64 xsize = strlen(small_xes);
  check_call(calls, 0, CX_PROGRESS_READ, c.path, size, size, FALSE);
  check_call(calls, 1, CX_PROGRESS_READ, c.path, size, size, TRUE);
  check_call(calls, 2, CX_PROGRESS_READ, xes, xsize, xsize, FALSE);
  check_call(calls, 3, CX_PROGRESS_READ, xes, xsize, xsize, TRUE);

  /* no callback, no calls */
  g_array_set_size(calls, 0);
  cx_log_options(c.log)->progress = NULL;
  csv_log_scan(&c, count_journey, count_reset, &n);
  ck_assert_uint_eq(calls->len, 0);
  csv_log_close(&c);
}
END_TEST

/* a gzip file counts its compressed bytes */
START_TEST(test_gzip_counts_stored_bytes)
{
  g_autofree char *small_csv = rows_csv(3000, 997, "");
  CsvLog c = { .dir = g_dir_make_tmp("cxmine-progress-XXXXXX", NULL) };
  ck_assert_ptr_nonnull(c.dir);
  g_autofree char *gz = g_build_filename(c.dir, "log.csv.gz", NULL);
  gzFile f = gzopen(gz, "wb");
  ck_assert_ptr_nonnull(f);
  ck_assert_int_eq(gzputs(f, small_csv), (int)strlen(small_csv));
  ck_assert_int_eq(gzclose(f), Z_OK);
  guint64 size = file_size(gz);
  ck_assert_uint_gt(size, 512);
  ck_assert_uint_lt(size, strlen(small_csv));
  c.log = cx_log_new();
  cx_log_add_source(c.log, gz, CX_FORMAT_CSV, NULL);
  g_autoptr(GArray) calls = calls_new();
  cx_log_options(c.log)->progress = on_progress;
  cx_log_options(c.log)->progress_data = calls;
  guint64 n = 0;
  csv_log_scan(&c, count_journey, count_reset, &n);
  ck_assert_uint_eq(n, 3000);
  ck_assert_uint_eq(calls->len, 2);
  check_call(calls, 0, CX_PROGRESS_READ, gz, size, size, FALSE);
  check_call(calls, 1, CX_PROGRESS_READ, gz, size, size, TRUE);
  csv_log_close(&c);
}
END_TEST

/* a scan that fails still ends with the finished call */
START_TEST(test_failure_finishes)
{
  g_autofree char *bad = rows_csv(100, 10, "c001,b,not a time\n");
  CsvLog c;
  csv_log_open(&c, bad);
  g_autoptr(GArray) calls = calls_new();
  cx_log_options(c.log)->progress = on_progress;
  cx_log_options(c.log)->progress_data = calls;
  guint64 n = 0;
  g_autoptr(GError) error = NULL;
  ck_assert(!cx_log_scan(c.log, count_journey, count_reset, &n, &error));
  ck_assert_ptr_nonnull(error);
  ck_assert_uint_ge(calls->len, 2);
  const Call *last = &g_array_index(calls, Call, calls->len - 1);
  ck_assert_int_eq(last->phase, CX_PROGRESS_READ);
  ck_assert_str_eq(last->name, c.path);
  ck_assert(last->finished);
  for (guint k = 0; k + 1 < calls->len; k++)
    ck_assert(!g_array_index(calls, Call, k).finished);
  csv_log_close(&c);
}
END_TEST

#define SPILL_CASES  100
#define SPILL_EVENTS 60000

/* grouped beyond the budget: spill and merge phases, exact at the end */
START_TEST(test_spill_and_merge)
{
  /* cases interleaved, so the events must be grouped */
  g_autoptr(GString) csv = g_string_new("case,activity,timestamp\n");
  for (guint i = 0; i < SPILL_EVENTS; i++)
    g_string_append_printf(csv, "c%u,a%u,2024-01-01T%02u:%02u:%02uZ\n", i % SPILL_CASES, i % 7,
                           i / 3600 % 24, i / 60 % 60, i % 60);
  CsvLog c;
  g_autoptr(GArray) calls = calls_new();
  CxReadOptions *o = progress_log(&c, csv->str, calls);
  o->memory = 1024 * 1024; /* 60,000 events of 20 bytes do not fit */
  guint64 n = 0;
  csv_log_scan(&c, count_journey, count_reset, &n);
  ck_assert_uint_eq(n, SPILL_EVENTS);
  ck_assert(cx_log_counts(c.log)->grouped);

  guint64 size = csv->len;
  guint reads = 0, spills = 0, merges = 0, finished[3] = { 0 };
  guint64 last_done[3] = { 0 };
  const Call *last[3] = { NULL };
  for (guint k = 0; k < calls->len; k++) {
    const Call *x = &g_array_index(calls, Call, k);
    ck_assert_int_le(x->phase, CX_PROGRESS_MERGE);
    ck_assert_msg(finished[x->phase] == 0, "a call after phase %d finished", x->phase);
    ck_assert_uint_ge(x->done, last_done[x->phase]); /* never backwards */
    last_done[x->phase] = x->done;
    last[x->phase] = x;
    finished[x->phase] += x->finished;
    switch (x->phase) {
      case CX_PROGRESS_READ:
        reads++;
        ck_assert_str_eq(x->name, c.path);
        ck_assert_uint_eq(x->total, size);
        ck_assert_uint_le(x->done, size);
        break;
      case CX_PROGRESS_SPILL:
        spills++;
        ck_assert_str_eq(x->name, "grouped events");
        ck_assert_uint_eq(x->total, 0);
        ck_assert_uint_eq(merges, 0); /* spilling ends before the merge */
        break;
      case CX_PROGRESS_MERGE:
        merges++;
        ck_assert_str_eq(x->name, "grouped events");
        ck_assert_uint_eq(x->total, SPILL_EVENTS);
        break;
      case CX_PROGRESS_ANALYSE:
      case CX_PROGRESS_BUILD:
        ck_abort_msg("no analysis ran, nothing was built in memory");
        break;
    }
  }
  ck_assert_uint_ge(reads, 2);
  ck_assert_uint_ge(spills, 2); /* at least one run while reading, and the last */
  ck_assert_uint_ge(merges, 1);
  for (guint p = 0; p < 3; p++)
    ck_assert_uint_eq(finished[p], 1);
  ck_assert_uint_eq(last[CX_PROGRESS_READ]->done, size);
  /* every event spilled, as its case id and its 32-byte event */
  ck_assert_uint_eq(last[CX_PROGRESS_SPILL]->done, (guint64)SPILL_EVENTS * 36);
  ck_assert_uint_eq(last[CX_PROGRESS_MERGE]->done, SPILL_EVENTS);
  csv_log_close(&c);
}
END_TEST

#define FULL_EVENTS 240000
#define FULL_BUDGET (2u << 20)

/* grouped events spill when the budget is full, not sooner: new case ids
 * keep coming, and the buffers leave room for them (and for a spill's
 * index), so a new case never forces a spill of half-filled buffers */
START_TEST(test_spill_runs_fill_the_budget)
{
  /* windows of 8 interleaved cases of 30 events: 8,000 cases in all, the
   * new ones arriving at an even rate */
  g_autoptr(GString) csv = g_string_new("case,activity,timestamp\n");
  for (guint i = 0; i < FULL_EVENTS; i++)
    g_string_append_printf(csv, "case-%06u,a%u,2024-01-01T%02u:%02u:%02uZ\n", i / 240 * 8 + i % 8,
                           i % 5, i / 3600 % 24, i / 60 % 60, i % 60);
  CsvLog c;
  g_autoptr(GArray) calls = calls_new();
  CxReadOptions *o = progress_log(&c, csv->str, calls);
  o->memory = FULL_BUDGET;
  o->threads = 1; /* no split read holding part of the budget */
  guint64 n = 0;
  csv_log_scan(&c, count_journey, count_reset, &n);
  ck_assert_uint_eq(n, FULL_EVENTS);

  /* the events of each run: the growth of the bytes spilled, 36 an event */
  g_autoptr(GArray) runs = g_array_new(FALSE, FALSE, sizeof(guint64));
  guint64 before = 0;
  for (guint k = 0; k < calls->len; k++) {
    const Call *x = &g_array_index(calls, Call, k);
    if (x->phase != CX_PROGRESS_SPILL || x->done == before)
      continue;
    guint64 events = (x->done - before) / 36;
    g_array_append_val(runs, events);
    before = x->done;
  }
  ck_assert_uint_eq(before, (guint64)FULL_EVENTS * 36);
  ck_assert_uint_ge(runs->len, 3);
  /* every run but the last (the finish's) was a full budget's worth: 36
   * bytes an event in the buffers, 4 for a spill's index, about 8 of new
   * case ids; at least 80% of it */
  guint64 full = FULL_BUDGET / (36 + 4 + 8);
  for (guint r = 0; r + 1 < runs->len; r++)
    ck_assert_msg(g_array_index(runs, guint64, r) >= full * 8 / 10,
                  "run %u of %u spilled %" G_GUINT64_FORMAT
                  " events, a full budget holds %" G_GUINT64_FORMAT,
                  r + 1, runs->len, g_array_index(runs, guint64, r), full);
  csv_log_close(&c);
}
END_TEST

/* the calls of the ANALYSE steps named @name in @calls: first 0 of
 * @total, last finished at @total, none after it */
static guint
check_step(const GArray *calls, const char *name, guint64 total)
{
  guint n = 0;
  gboolean ended = FALSE;
  for (guint k = 0; k < calls->len; k++) {
    const Call *x = &g_array_index(calls, Call, k);
    if (x->phase != CX_PROGRESS_ANALYSE || strcmp(x->name, name) != 0)
      continue;
    ck_assert_msg(!ended, "'%s' called after it finished", name);
    ck_assert_uint_eq(x->total, total);
    if (n++ == 0)
      ck_assert_uint_eq(x->done, 0);
    ck_assert_uint_le(x->done, total);
    if (x->finished) {
      ck_assert_uint_eq(x->done, total);
      ended = TRUE;
    }
  }
  ck_assert_msg(ended, "'%s' never finished", name);
  return n;
}

static char *
journeys_csv(guint cases, const char *last)
{
  GString *s = g_string_new("case,activity,timestamp\n");
  for (guint i = 0; i < cases; i++)
    g_string_append_printf(s,
                           "c%u,Open,2024-01-01T%02u:00:00Z\nc%u,Work,2024-01-01T%02u:10:00Z\n"
                           "c%u,Work,2024-01-01T%02u:40:00Z\nc%u,%s,2024-01-01T%02u:50:00Z\n",
                           i, i % 24, i, i % 24, i, i % 24, i, i % 3 == 0 ? "Abandon" : last,
                           i % 24);
  return g_string_free(s, FALSE);
}

/* dfg's waits and friction's findings after the scan, through the log's
 * callback; the read phase comes first and has ended */
/* a consumer slow enough that building journeys takes more than half a
 * second */
typedef struct {
  guint64 n;
  gulong wait_us;
} Slow;

static gboolean
slow_journey(const CxJourney *j, gpointer data, GError **error)
{
  (void)error;
  Slow *s = data;
  s->n += j->n_instances;
  g_usleep(s->wait_us);
  return TRUE;
}

static void
slow_reset(gpointer data)
{
  ((Slow *)data)->n = 0;
}

static gpointer
slow_fork(gpointer data)
{
  Slow *s = g_new0(Slow, 1);
  s->wait_us = ((Slow *)data)->wait_us;
  return s;
}

static void
slow_merge(gpointer data, gpointer part)
{
  ((Slow *)data)->n += ((Slow *)part)->n;
  g_free(part);
}

START_TEST(test_build_progress)
{
  /* 900 cases of 3 events, rows in time order (grouped in memory) */
  GString *csv = g_string_new("case,activity,timestamp\n");
  for (guint step = 0; step < 3; step++)
    for (guint k = 0; k < 900; k++)
      g_string_append_printf(csv, "c%u,%c,2024-01-%02uT%02u:%02u:00Z\n", k, 'a' + step, 1 + step,
                             k / 60 % 24, k % 60);
  for (guint threads = 1; threads <= 3; threads += 2) {
    CsvLog c;
    g_autoptr(GArray) calls = calls_new();
    CxReadOptions *o = progress_log(&c, csv->str, calls);
    o->threads = threads;
    o->threads_after = 1;
    /* on three threads, the finish is split: three parts count, each
     * three times slower */
    if (threads > 1)
      cx_log_set_split(c.log, slow_fork, slow_merge);
    Slow slow = { 0, threads * 1000 };
    csv_log_scan(&c, slow_journey, slow_reset, &slow);
    ck_assert_uint_eq(slow.n, 2700);
    guint builds = 0, finished = 0;
    guint64 last = 0;
    for (guint k = 0; k < calls->len; k++) {
      const Call *x = &g_array_index(calls, Call, k);
      if (x->phase != CX_PROGRESS_BUILD)
        continue;
      ck_assert_uint_eq(finished, 0); /* nothing after the finished call */
      ck_assert_str_eq(x->name, "grouped events");
      ck_assert_uint_eq(x->total, 2700);
      ck_assert_uint_ge(x->done, last);
      ck_assert_uint_le(x->done, 2700);
      last = x->done;
      builds++;
      finished += x->finished;
    }
    /* about 0.9 s of building on one thread or on three: told past half a
     * second, and finished at every event */
    ck_assert_uint_ge(builds, 2);
    ck_assert_uint_eq(finished, 1);
    ck_assert_uint_eq(last, 2700);
    csv_log_close(&c);
  }
  g_string_free(csv, TRUE);
}
END_TEST

START_TEST(test_analysis_steps)
{
  g_autofree char *text = journeys_csv(30, "Close");
  CsvLog c;
  csv_log_open(&c, text);
  g_autoptr(GArray) calls = calls_new();
  cx_log_options(c.log)->progress = on_progress;
  cx_log_options(c.log)->progress_data = calls;

  g_autoptr(CxDfg) dfg = cx_dfg_new(c.log);
  csv_log_scan(&c, cx_dfg_add, cx_dfg_reset, dfg);
  guint reads = calls->len;
  ck_assert_uint_eq(reads, 2); /* nothing analysed yet */
  guint ne;
  cx_dfg_edges(dfg, &ne);
  ck_assert_uint_gt(ne, 0);
  ck_assert_uint_eq(check_step(calls, "summarising the waits", ne), 2); /* begin, end: fast */
  ck_assert_uint_eq(calls->len, reads + 2);
  cx_dfg_nodes(dfg, &ne); /* computed once: no second step */
  ck_assert_uint_eq(calls->len, reads + 2);

  g_array_set_size(calls, 0);
  CxFrictionOptions fo;
  cx_friction_options_init(&fo);
  g_autoptr(CxFriction) fr = cx_friction_new(c.log, &fo);
  csv_log_scan(&c, cx_friction_add, cx_friction_reset, fr);
  ck_assert(cx_friction_finish(fr, NULL));
  check_step(calls, "finding frictions", fo.drift ? 11 : 10); /* the finders and the ranking */
  const Call *last = &g_array_index(calls, Call, calls->len - 1);
  ck_assert_int_eq(last->phase, CX_PROGRESS_ANALYSE);
  ck_assert(last->finished);

  /* no callback, no calls */
  g_array_set_size(calls, 0);
  cx_log_options(c.log)->progress = NULL;
  ck_assert(cx_friction_finish(fr, NULL));
  ck_assert_uint_eq(calls->len, 0);
  csv_log_close(&c);
}
END_TEST

/* compare: each side's frictions, then the tests, each ended */
START_TEST(test_compare_steps)
{
  g_autofree char *t0 = journeys_csv(30, "Close");
  g_autofree char *t1 = journeys_csv(30, "Abandon");
  CsvLog a, b;
  csv_log_open(&a, t0);
  csv_log_open(&b, t1);
  g_autoptr(GArray) calls = calls_new();
  cx_log_options(a.log)->progress = on_progress;
  cx_log_options(a.log)->progress_data = calls;
  cx_log_options(b.log)->progress = on_progress;
  cx_log_options(b.log)->progress_data = calls;
  g_autoptr(CxCompareLog) ca = cx_compare_log_new(a.log, NULL);
  g_autoptr(CxCompareLog) cb = cx_compare_log_new(b.log, NULL);
  csv_log_scan(&a, cx_compare_log_add, cx_compare_log_reset, ca);
  csv_log_scan(&b, cx_compare_log_add, cx_compare_log_reset, cb);
  g_array_set_size(calls, 0);
  CxCompareOptions co;
  cx_compare_options_init(&co);
  g_autoptr(GError) error = NULL;
  g_autoptr(CxCompare) cmp = cx_compare_logs(ca, cb, &co, &error);
  ck_assert_ptr_nonnull(cmp);
  /* two friction steps (one a side) and the tests */
  guint frictions = 0;
  for (guint k = 0; k < calls->len; k++) {
    const Call *x = &g_array_index(calls, Call, k);
    frictions += x->finished && strcmp(x->name, "finding frictions") == 0;
  }
  ck_assert_uint_eq(frictions, 2);
  check_step(calls, "testing the differences", 0);
  const Call *last = &g_array_index(calls, Call, calls->len - 1);
  ck_assert_str_eq(last->name, "testing the differences");
  ck_assert(last->finished);
  csv_log_close(&a);
  csv_log_close(&b);
}
END_TEST

/* a step: begin at 0, advances at most twice a second, one end */
START_TEST(test_step_throttled)
{
  g_autoptr(GArray) calls = calls_new();
  CxProgressStep step;
  cx_progress_step_begin(&step, on_progress, calls, "counting", 1000);
  for (guint i = 1; i <= 1000; i++)
    cx_progress_step_advance(&step, i); /* microseconds: no call */
  ck_assert_uint_eq(calls->len, 1);
  g_usleep(600 * 1000);
  cx_progress_step_advance(&step, 2000); /* past the total: told the total */
  ck_assert_uint_eq(calls->len, 2);
  cx_progress_step_end(&step);
  cx_progress_step_end(&step); /* a second end says nothing */
  ck_assert_uint_eq(calls->len, 3);
  check_call(calls, 0, CX_PROGRESS_ANALYSE, "counting", 0, 1000, FALSE);
  check_call(calls, 1, CX_PROGRESS_ANALYSE, "counting", 1000, 1000, FALSE);
  check_call(calls, 2, CX_PROGRESS_ANALYSE, "counting", 1000, 1000, TRUE);

  g_array_set_size(calls, 0);
  cx_progress_step_begin(&step, NULL, calls, "nothing", 0);
  cx_progress_step_advance(&step, 1);
  cx_progress_step_end(&step);
  ck_assert_uint_eq(calls->len, 0);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("progress");
  TCase *tc = tcase_create("progress");
  tcase_add_test(tc, test_small_files);
  tcase_add_test(tc, test_gzip_counts_stored_bytes);
  tcase_add_test(tc, test_failure_finishes);
  tcase_add_test(tc, test_spill_and_merge);
  tcase_add_test(tc, test_spill_runs_fill_the_budget);
  tcase_add_test(tc, test_build_progress);
  tcase_add_test(tc, test_analysis_steps);
  tcase_add_test(tc, test_compare_steps);
  tcase_add_test(tc, test_step_throttled);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_ENV);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
