/* The case table, trend, resources and variants' case ids against planted
 * truth: the generator's CSV recounted here, independently of cxmine's
 * readers (times parsed with GLib), and small hand-made journeys. */
#include <check.h>
#include <math.h>
#include "cxmine/cxmine.h"
#include "journeys.h"
#include "test-util.h"

#define DAY_US (G_GINT64_CONSTANT(86400) * CX_USEC_PER_SEC)

/* ---------- an independent recount of a cxgen CSV ---------- */

typedef struct {
  gint64 first, last;
  guint rows;
  char *acts; /* activities joined by '\n' */
} Truth;

static void
truth_free(gpointer p)
{
  Truth *t = p;
  g_free(t->acts);
  g_free(t);
}

static gint64
glib_time(const char *s)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601(s, NULL);
  ck_assert_msg(dt != NULL, "cannot parse '%s'", s);
  return g_date_time_to_unix(dt) * CX_USEC_PER_SEC + g_date_time_get_microsecond(dt);
}

/* case id -> Truth, from cxgen's CSV (rows of a case are in time order). */
static GHashTable *
recount(const char *csv)
{
  GHashTable *h = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, truth_free);
  g_auto(GStrv) lines = g_strsplit(csv, "\n", -1);
  for (char **l = lines + 1; *l != NULL; l++) {
    if (**l == '\0')
      continue;
    g_auto(GStrv) c = g_strsplit(*l, ",", -1);
    Truth *t = g_hash_table_lookup(h, c[0]);
    gint64 ts = glib_time(c[2]);
    if (t == NULL) {
      t = g_new0(Truth, 1);
      t->first = t->last = ts;
      t->acts = g_strdup(c[1]);
      g_hash_table_insert(h, g_strdup(c[0]), t);
    } else {
      char *a = g_strconcat(t->acts, "\n", c[1], NULL);
      g_free(t->acts);
      t->acts = a;
    }
    t->first = MIN(t->first, ts);
    t->last = MAX(t->last, ts);
    t->rows++;
  }
  return h;
}

/* The Monday (UTC) of the week holding @t, as a day number since 1970-01-01. */
static gint64
utc_week_day(gint64 t)
{
  gint64 day = t / DAY_US - (t % DAY_US < 0 ? 1 : 0);
  return day - ((day + 3) % 7); /* 1970-01-01 was a Thursday */
}

static char *tmpdir;

static void
setup(void)
{
  tmpdir = test_tmpdir_new("cx-subsets-XXXXXX");
}

static void
teardown(void)
{
  test_tmpdir_remove(tmpdir);
  g_free(tmpdir);
}

static CxCaseTable *
table_from_cxgen(CxLog *log, const char *const *args, gint64 open_after, char **csv)
{
  g_free(test_cxgen_run(tmpdir, "log.csv", args, csv, NULL));
  CxCaseTable *t = cx_case_table_new(log, NULL, open_after);
  test_cxgen_feed_csv(log, *csv, cx_case_table_add, t);
  cx_case_table_finish(t);
  return t;
}

/* cases: one row per journey, with its id, start, end and steps; ordered
 * by start time, then case id. */
START_TEST(test_cases_are_the_journeys)
{
  const char *args[] = { "-n", "600", "--seed", "7", "-f", "csv", NULL };
  g_autoptr(CxLog) log = cx_log_new();
  g_autofree char *csv = NULL;
  g_autoptr(CxCaseTable) t = table_from_cxgen(log, args, 0, &csv);
  g_autoptr(GHashTable) truth = recount(csv);
  guint n;
  const CxCaseRow *const *rows = cx_case_table_sorted(t, &n);
  ck_assert_uint_eq(n, g_hash_table_size(truth));
  ck_assert_uint_eq(n, 600);
  g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
  for (guint i = 0; i < n; i++) {
    const char *id = cx_pool_get(cx_log_cases(log), rows[i]->case_id);
    Truth *tr = g_hash_table_lookup(truth, id);
    ck_assert_msg(tr != NULL, "unknown case %s", id);
    ck_assert(g_hash_table_add(seen, (gpointer)id));
    ck_assert_int_eq(rows[i]->first, tr->first);
    ck_assert_int_eq(rows[i]->last, tr->last);
    ck_assert_uint_eq(rows[i]->steps, tr->rows);
    ck_assert_int_ne(rows[i]->outcome, CX_OUTCOME_OPEN); /* open_after 0 */
    if (i > 0) {
      const CxCaseRow *p = rows[i - 1];
      ck_assert(p->first < rows[i]->first
                || (p->first == rows[i]->first
                    && strcmp(cx_pool_get(cx_log_cases(log), p->case_id), id) < 0));
    }
  }
}
END_TEST

/* The variant rank of a row is the place of its activity sequence in
 * `cxmine variants`, and variants' case_ids list each case once, in
 * start order. */
START_TEST(test_variant_rank_and_case_ids)
{
  const char *args[] = { "-n", "400", "--seed", "3", "-f", "csv", NULL };
  g_autoptr(CxLog) log = cx_log_new();
  g_autofree char *csv = NULL;
  g_autoptr(CxCaseTable) t = table_from_cxgen(log, args, 0, &csv);
  g_autoptr(GHashTable) truth = recount(csv);
  g_autoptr(CxVariants) v = cx_variants_new(log);
  cx_variants_keep_case_ids(v);
  test_cxgen_feed_csv(log, csv, cx_variants_add, v);
  guint nv;
  const CxVariant *vs = cx_variants_sorted(v, &nv);
  /* rank -> the variant's activities, joined as in Truth */
  guint n;
  const CxCaseRow *const *rows = cx_case_table_sorted(t, &n);
  guint listed = 0;
  for (guint r = 0; r < nv; r++) {
    GString *acts = g_string_new(NULL);
    for (guint k = 0; k < vs[r].length; k++)
      g_string_append_printf(acts, "%s%s", k ? "\n" : "",
                             cx_pool_get(cx_log_activities(log), vs[r].activities[k]));
    ck_assert_uint_eq(vs[r].n_case_ids, vs[r].count);
    for (guint k = 0; k < vs[r].n_case_ids; k++) {
      Truth *tr = g_hash_table_lookup(truth, cx_pool_get(cx_log_cases(log), vs[r].case_ids[k]));
      ck_assert_str_eq(tr->acts, acts->str);
      if (k > 0) {
        Truth *prev
            = g_hash_table_lookup(truth, cx_pool_get(cx_log_cases(log), vs[r].case_ids[k - 1]));
        ck_assert_int_le(prev->first, tr->first);
      }
    }
    ck_assert_uint_eq(vs[r].case_ids[0], vs[r].example_case);
    listed += vs[r].n_case_ids;
    for (guint i = 0; i < n; i++) {
      Truth *tr = g_hash_table_lookup(truth, cx_pool_get(cx_log_cases(log), rows[i]->case_id));
      if (strcmp(tr->acts, acts->str) == 0)
        ck_assert_uint_eq(rows[i]->variant_rank, r + 1);
    }
    g_string_free(acts, TRUE);
  }
  ck_assert_uint_eq(listed, 400);
}
END_TEST

/* trend --every week in UTC: started and finished per week equal a count
 * made here from the generated CSV; in flight is started minus finished so
 * far; periods are contiguous Mondays. */
START_TEST(test_trend_weekly_counts)
{
  const char *args[] = { "-n", "800", "--seed", "11", "-f", "csv", "--span", "120", NULL };
  g_autoptr(CxLog) log = cx_log_new();
  g_autofree char *csv = NULL;
  g_autoptr(CxCaseTable) t = table_from_cxgen(log, args, 0, &csv);
  g_autoptr(GHashTable) truth = recount(csv);
  g_autoptr(GHashTable) started = g_hash_table_new(g_int64_hash, g_int64_equal);
  g_autoptr(GHashTable) finished = g_hash_table_new(g_int64_hash, g_int64_equal);
  g_autoptr(GArray) keys = g_array_new(FALSE, FALSE, sizeof(gint64));
  g_array_set_size(keys, 2 * g_hash_table_size(truth));
  guint ki = 0;
  GHashTableIter it;
  gpointer val;
  g_hash_table_iter_init(&it, truth);
  while (g_hash_table_iter_next(&it, NULL, &val)) {
    Truth *tr = val;
    gint64 *ks = &g_array_index(keys, gint64, ki);
    ks[0] = utc_week_day(tr->first);
    ks[1] = utc_week_day(tr->last);
    ki += 2;
    g_hash_table_insert(
        started, &ks[0],
        GUINT_TO_POINTER(GPOINTER_TO_UINT(g_hash_table_lookup(started, &ks[0])) + 1));
    g_hash_table_insert(
        finished, &ks[1],
        GUINT_TO_POINTER(GPOINTER_TO_UINT(g_hash_table_lookup(finished, &ks[1])) + 1));
  }
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc();
  g_autoptr(GError) error = NULL;
  guint64 untimed = 99;
  g_autoptr(GArray) periods = cx_trend_compute(t, CX_TREND_WEEK, utc, &untimed, &error);
  ck_assert_ptr_nonnull(periods);
  ck_assert_uint_eq(untimed, 0);
  ck_assert_uint_ge(periods->len, 17);
  guint64 sum_s = 0, sum_f = 0;
  for (guint i = 0; i < periods->len; i++) {
    const CxTrendPeriod *p = &g_array_index(periods, CxTrendPeriod, i);
    gint64 day = p->start / DAY_US;
    ck_assert_int_eq(p->start % DAY_US, 0);
    ck_assert_int_eq(day, utc_week_day(p->start)); /* a Monday */
    ck_assert_int_eq(p->end - p->start, 7 * DAY_US);
    if (i > 0)
      ck_assert_int_eq(p->start, g_array_index(periods, CxTrendPeriod, i - 1).end);
    ck_assert_uint_eq(p->started, GPOINTER_TO_UINT(g_hash_table_lookup(started, &day)));
    ck_assert_uint_eq(p->finished, GPOINTER_TO_UINT(g_hash_table_lookup(finished, &day)));
    ck_assert_uint_eq(p->success + p->dropoff, p->finished);
    sum_s += p->started;
    sum_f += p->finished;
    ck_assert_uint_eq(p->in_flight, sum_s - sum_f);
    ck_assert(p->finished == 0 || isfinite(p->median_duration_s));
    ck_assert(p->finished == 0 || p->p90_duration_s >= p->median_duration_s);
    /* open_after 0: only the last period is still filling */
    ck_assert(p->censored == (i == periods->len - 1));
  }
  ck_assert_uint_eq(sum_s, 800);
  ck_assert_uint_eq(sum_f, 800);
}
END_TEST

/* With an open-after limit, open journeys never finish: they stay in flight
 * to the end, and the periods within the limit of the log's end are
 * censored. */
START_TEST(test_trend_open_journeys)
{
  const char *args[]
      = { "-n", "500", "--seed", "5", "-f", "csv", "--span", "60", "--plant", "dropoff:0.3", NULL };
  g_autoptr(CxLog) log = cx_log_new();
  g_autofree char *csv = NULL;
  gint64 open_after = 10 * DAY_US;
  g_autoptr(CxCaseTable) t = table_from_cxgen(log, args, open_after, &csv);
  guint n;
  const CxCaseRow *rows = cx_case_table_rows(t, &n);
  guint64 open = 0;
  for (guint i = 0; i < n; i++)
    open += rows[i].outcome == CX_OUTCOME_OPEN;
  ck_assert_uint_gt(open, 0);
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc();
  g_autoptr(GArray) periods = cx_trend_compute(t, CX_TREND_DAY, utc, NULL, NULL);
  guint64 fin = 0;
  gint64 horizon = cx_outcome_log_last_time(cx_case_table_outcome(t)) - open_after;
  guint censored = 0;
  for (guint i = 0; i < periods->len; i++) {
    const CxTrendPeriod *p = &g_array_index(periods, CxTrendPeriod, i);
    fin += p->finished;
    ck_assert(p->censored == (p->end > horizon));
    censored += p->censored;
  }
  ck_assert_uint_ge(censored, 10);
  ck_assert_uint_eq(fin + open, 500);
  ck_assert_uint_eq(g_array_index(periods, CxTrendPeriod, periods->len - 1).in_flight, open);
}
END_TEST

/* Periods cut at local midnight across the spring and autumn daylight-saving
 * changes of Europe/Amsterdam: 23- and 25-hour days, Monday weeks. */
START_TEST(test_trend_daylight_saving)
{
  /* hours after 2024-01-01T00:00Z: 2159.5 = 2024-03-30T23:30Z (local Mar 31
   * 00:30 CET), 2181.5 = Mar 31 21:30Z (23:30 CEST), 2182.5 = Mar 31
   * 22:30Z (Apr 1 00:30 CEST); 7197.5 = 2024-10-26T21:30Z (23:30 CEST),
   * 7198.5 = Oct 26 22:30Z (Oct 27 00:30 CEST), 7222.5 = Oct 27 22:30Z
   * (23:30 CET), 7223.5 = Oct 27 23:30Z (Oct 28 00:30 CET) */
  const char *text = "a x 2159.5\n"
                     "b x 2181.5\n"
                     "c x 2182.5\n"
                     "d x 7197.5\n"
                     "e x 7198.5\n"
                     "f x 7222.5\n"
                     "g x 7223.5\n";
  g_autoptr(CxLog) log = cx_log_new();
  g_autoptr(CxCaseTable) t = cx_case_table_new(log, NULL, 0);
  journeys_feed(log, text, cx_case_table_add, t);
  cx_case_table_finish(t);
  g_autoptr(GTimeZone) ams = g_time_zone_new_identifier("Europe/Amsterdam");
  ck_assert_ptr_nonnull(ams);
  g_autoptr(GArray) days = cx_trend_compute(t, CX_TREND_DAY, ams, NULL, NULL);
  const CxTrendPeriod *p = (const CxTrendPeriod *)days->data;
  /* Mar 31 local: 2024-03-30T23:00Z .. 2024-03-31T22:00Z, 23 hours */
  ck_assert_int_eq(p[0].start, glib_time("2024-03-30T23:00:00Z"));
  ck_assert_int_eq(p[0].end - p[0].start, 23 * 3600 * CX_USEC_PER_SEC);
  ck_assert_uint_eq(p[0].started, 2);
  ck_assert_uint_eq(p[1].started, 1);
  g_autofree char *l0 = cx_trend_label(&p[0], CX_TREND_DAY, ams);
  ck_assert_str_eq(l0, "2024-03-31");
  guint k = 0;
  while (p[k].start != glib_time("2024-10-26T22:00:00Z"))
    ck_assert_uint_lt(++k, days->len);
  ck_assert_uint_eq(p[k - 1].started, 1); /* d, Oct 26 local */
  ck_assert_int_eq(p[k].end - p[k].start, 25 * 3600 * CX_USEC_PER_SEC);
  ck_assert_uint_eq(p[k].started, 2);     /* e, f */
  ck_assert_uint_eq(p[k + 1].started, 1); /* g */
  ck_assert_uint_eq(k + 2, days->len);

  g_autoptr(GArray) weeks = cx_trend_compute(t, CX_TREND_WEEK, ams, NULL, NULL);
  const CxTrendPeriod *w = (const CxTrendPeriod *)weeks->data;
  ck_assert_int_eq(w[0].start, glib_time("2024-03-24T23:00:00Z")); /* Mon Mar 25 CET */
  ck_assert_int_eq(w[0].end, glib_time("2024-03-31T22:00:00Z"));   /* Mon Apr 1 CEST */
  ck_assert_uint_eq(w[0].started, 2);
  ck_assert_uint_eq(w[1].started, 1);
  g_autofree char *wl = cx_trend_label(&w[1], CX_TREND_WEEK, ams);
  ck_assert_str_eq(wl, "2024-W14");

  /* the same journeys in UTC fall on other days */
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc();
  g_autoptr(GArray) udays = cx_trend_compute(t, CX_TREND_DAY, utc, NULL, NULL);
  const CxTrendPeriod *u = (const CxTrendPeriod *)udays->data;
  ck_assert_int_eq(u[0].start, glib_time("2024-03-30T00:00:00Z"));
  ck_assert_uint_eq(u[0].started, 1);
  ck_assert_uint_eq(u[1].started, 2);

  g_autoptr(GArray) months = cx_trend_compute(t, CX_TREND_MONTH, ams, NULL, NULL);
  ck_assert_uint_eq(months->len, 8); /* March .. October */
  const CxTrendPeriod *m = (const CxTrendPeriod *)months->data;
  ck_assert_int_eq(m[0].start, glib_time("2024-02-29T23:00:00Z"));
  ck_assert_int_eq(m[1].start, glib_time("2024-03-31T22:00:00Z"));
  ck_assert_uint_eq(m[0].started, 2);
  ck_assert_uint_eq(m[1].started, 1);
}
END_TEST

/* --every: the three names parse to their period and back; the match is
 * exact (unlike --metric, no other case); anything else is refused and
 * leaves the output alone. */
START_TEST(test_trend_every_names)
{
  static const char *const names[] = { "day", "week", "month" };
  static const CxTrendEvery every[] = { CX_TREND_DAY, CX_TREND_WEEK, CX_TREND_MONTH };
  for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
    CxTrendEvery e = (CxTrendEvery)-1;
    ck_assert(cx_trend_every_parse(names[i], &e));
    ck_assert_int_eq(e, every[i]);
    ck_assert_str_eq(cx_trend_every_name(e), names[i]);
  }
  static const char *const bad[] = { "", "Day", "WEEK", "days", "year", "hour", " month" };
  for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
    CxTrendEvery e = CX_TREND_MONTH;
    ck_assert_msg(!cx_trend_every_parse(bad[i], &e), "\"%s\" parsed", bad[i]);
    ck_assert_int_eq(e, CX_TREND_MONTH);
  }
}
END_TEST

/* Too many periods is an error that suggests a longer period, not an
 * endless table. */
START_TEST(test_trend_too_many_periods)
{
  g_autoptr(CxLog) log = cx_log_new();
  g_autoptr(CxCaseTable) t = cx_case_table_new(log, NULL, 0);
  journeys_feed(log, "a x -2900000\nb x 1\n", cx_case_table_add, t); /* 1693 and 2024 */
  cx_case_table_finish(t);
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc();
  g_autoptr(GError) error = NULL;
  GArray *days = cx_trend_compute(t, CX_TREND_DAY, utc, NULL, &error);
  ck_assert_ptr_null(days);
  ck_assert_ptr_nonnull(strstr(error->message, "use a longer period"));
  g_autoptr(GArray) weeks = cx_trend_compute(t, CX_TREND_WEEK, utc, NULL, NULL);
  ck_assert_uint_gt(weeks->len, 17000);
  ck_assert_uint_eq(g_array_index(weeks, CxTrendPeriod, 0).started, 1);
  ck_assert_int_eq(utc_week_day(g_array_index(weeks, CxTrendPeriod, 0).start) * DAY_US,
                   g_array_index(weeks, CxTrendPeriod, 0).start);
}
END_TEST

/* Handover of work on hand-made journeys: consecutive instances by two
 * resources; unassigned instances skipped over; self-handovers not counted. */
START_TEST(test_handovers)
{
  const char *text = "c1 A 0 ann\n"
                     "c1 B 1 bob\n"
                     "c1 C 3 bob\n"
                     "c1 D 4 ann\n"
                     "c2 A 0 ann\n"
                     "c2 B 2 -\n"
                     "c2 C 5 bob\n"
                     "c3 A 0 ann\n"
                     "c3 B 0.5..1.5 bob\n"
                     "c3 Close 2 cy\n";
  g_autoptr(CxLog) log = cx_log_new();
  g_autoptr(CxCaseTable) t = cx_case_table_new(log, (const char *const[]){ "Close", NULL }, 0);
  g_autoptr(CxResources) r = cx_resources_new(log);
  journeys_feed(log, text, cx_case_table_add, t);
  journeys_feed(log, text, cx_resources_add, r);
  cx_case_table_finish(t);
  cx_resources_finish(r, t);
  CxPool *pool = cx_log_resources(log);
  guint nh;
  const CxHandover *h = cx_resources_handovers(r, &nh);
  ck_assert_uint_eq(nh, 3);
  /* ann -> bob: c1 (wait 1 h), c2 (5 h, across the unassigned B), c3 (0.5 h) */
  ck_assert_str_eq(cx_pool_get(pool, h[0].from), "ann");
  ck_assert_str_eq(cx_pool_get(pool, h[0].to), "bob");
  ck_assert_uint_eq(h[0].count, 3);
  ck_assert_uint_eq(h[0].cases, 3);
  ck_assert_double_eq_tol(h[0].median_wait_s, 3600, 1e-6);
  /* then by name: bob -> ann (c1, 1 h), bob -> cy (c3, 0.5 h) */
  ck_assert_str_eq(cx_pool_get(pool, h[1].from), "bob");
  ck_assert_str_eq(cx_pool_get(pool, h[1].to), "ann");
  ck_assert_uint_eq(h[1].count, 1);
  ck_assert_str_eq(cx_pool_get(pool, h[2].to), "cy");
  ck_assert_double_eq_tol(h[2].median_wait_s, 1800, 1e-6);
  ck_assert_uint_eq(cx_resources_unassigned(r), 1);
  guint nr;
  const CxResource *rs = cx_resources_list(r, &nr);
  ck_assert_uint_eq(nr, 3);
  ck_assert_str_eq(cx_pool_get(pool, rs[0].resource), "ann"); /* 4 instances */
  ck_assert_uint_eq(rs[0].instances, 4);
  ck_assert_uint_eq(rs[0].cases, 3);
  ck_assert_double_eq_tol(rs[0].success_share, 1.0 / 3.0, 1e-12);
  ck_assert_str_eq(cx_pool_get(pool, rs[1].resource), "bob");
  ck_assert_uint_eq(rs[1].services, 1);
  ck_assert_double_eq_tol(rs[1].median_service_s, 3600, 1e-6);
  ck_assert(isnan(rs[0].median_service_s));
}
END_TEST

/* The SVG chart is well formed and escapes the title. */
START_TEST(test_trend_svg_escapes)
{
  g_autoptr(CxLog) log = cx_log_new();
  g_autoptr(CxCaseTable) t = cx_case_table_new(log, NULL, 0);
  journeys_feed(log, "a x 1\na y 3\nb x 50\nb y 54\n", cx_case_table_add, t);
  cx_case_table_finish(t);
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc();
  g_autoptr(GArray) p = cx_trend_compute(t, CX_TREND_DAY, utc, NULL, NULL);
  g_autoptr(GString) svg = g_string_new(NULL);
  cx_trend_to_svg((const CxTrendPeriod *)p->data, p->len, CX_TREND_DAY, utc, "a <b> & \"c\"", svg);
  ck_assert_ptr_nonnull(strstr(svg->str, "a &lt;b&gt; &amp; &quot;c&quot;"));
  ck_assert_ptr_null(strstr(svg->str, "<b>"));
  ck_assert(g_str_has_suffix(svg->str, "</svg>\n"));
  ck_assert_ptr_nonnull(strstr(svg->str, "duration of finished journeys (hours)"));
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("subsets");
  TCase *tc = tcase_create("subsets");
  tcase_set_timeout(tc, 120);
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, test_cases_are_the_journeys);
  tcase_add_test(tc, test_variant_rank_and_case_ids);
  tcase_add_test(tc, test_trend_weekly_counts);
  tcase_add_test(tc, test_trend_open_journeys);
  tcase_add_test(tc, test_trend_daylight_saving);
  tcase_add_test(tc, test_trend_every_names);
  tcase_add_test(tc, test_trend_too_many_periods);
  tcase_add_test(tc, test_handovers);
  tcase_add_test(tc, test_trend_svg_escapes);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_ENV);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
