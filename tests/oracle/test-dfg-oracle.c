/* The DFG against PM4Py's discover_dfg / discover_performance_dfg on the
 * real logs in ../shared (see oracle/README.md): every edge count and every
 * start/end count equal; waits (mean, median, min, max, sum) within 1e-6
 * relative, from NAME.utcfix.perf.json where it exists. Logs are read with
 * lifecycle mode "all", as PM4Py ignores lifecycle. Skips (77) without
 * ../shared. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cxmine/cxmine.h"
#include "test-util.h"

static const char *shared;

static char **
read_lines(const char *path)
{
  g_autofree char *text = NULL;
  if (!g_file_get_contents(path, &text, NULL, NULL))
    return NULL;
  return g_strsplit(text, "\n", -1);
}

static gboolean
close_rel(double a, double b)
{
  return fabs(a - b) <= 1e-6 * MAX(1.0, MAX(fabs(a), fabs(b)));
}

/* ---------- the logs ---------- */

typedef struct {
  const char *name; /* oracle name */
  const char *file; /* in data/ */
  const char *start_col;
  gboolean check_dfg, check_start_end;
} Spec;

static const Spec specs[] = {
  { "running-example", "running-example.xes", NULL, TRUE, TRUE },
  { "receipt", "receipt.xes.gz", NULL, TRUE, TRUE },
  { "sepsis_cases", "sepsis_cases.xes.gz", NULL, TRUE, TRUE },
  { "bpic2012", "bpic2012.xes.gz", NULL, TRUE, TRUE },
  { "helpdesk", "helpdesk.xes.gz", NULL, TRUE, TRUE },
  { "roadtraffic100traces", "roadtraffic100traces.xes", NULL, TRUE, TRUE },
  { "bpic2013_closed_problems", "bpic2013_closed_problems.xes.gz", NULL, TRUE, TRUE },
  { "bpic2013_incidents", "bpic2013_incidents.xes.gz", NULL, TRUE, TRUE },
  { "bpic2020_domestic_declarations", "bpic2020_domestic_declarations.xes.gz", NULL, TRUE, TRUE },
  { "bpic2020_international_declarations", "bpic2020_international_declarations.xes.gz", NULL, TRUE,
    TRUE },
  { "bpic2020_permit_log", "bpic2020_permit_log.xes.gz", NULL, TRUE, TRUE },
  { "bpic2020_prepaid_travel_cost", "bpic2020_prepaid_travel_cost.xes.gz", NULL, TRUE, TRUE },
  { "bpic2020_request_for_payment", "bpic2020_request_for_payment.xes.gz", NULL, TRUE, TRUE },
  { "road_traffic_fine_management", "road_traffic_fine_management.xes.gz", NULL, TRUE, TRUE },
  /* PM4Py orders this log's cases by start_timestamp for the DFG but by
   * time:timestamp for start/end: the XES (no start column read) gives the
   * start/end counts, the CSV with its start column the edges and waits */
  { "interval_event_log", "interval_event_log.xes", NULL, FALSE, TRUE },
  { "interval_event_log_csv", "interval_event_log.csv", "start_timestamp", TRUE, FALSE },
};

static CxDfg *
discover(CxLog *log, const Spec *spec)
{
  CxReadOptions *o = cx_log_options(log);
  o->lifecycle = CX_LIFECYCLE_MODE_ALL;
  if (spec->start_col != NULL)
    o->start_col = g_strdup(spec->start_col);
  g_autofree char *path = g_build_filename(shared, "data", spec->file, NULL);
  cx_log_add_source(log, path, CX_FORMAT_AUTO, NULL);
  CxDfg *dfg = cx_dfg_new(log);
  g_autoptr(GError) error = NULL;
  ck_assert_msg(cx_log_scan(log, cx_dfg_add, cx_dfg_reset, dfg, &error), "%s: %s", spec->name,
                error ? error->message : "?");
  return dfg;
}

static int
find(CxDfg *dfg, CxLog *log, const char *from, const char *to)
{
  guint32 f = cx_pool_lookup(cx_log_activities(log), from, -1);
  guint32 t = cx_pool_lookup(cx_log_activities(log), to, -1);
  if (f == G_MAXUINT32 || t == G_MAXUINT32)
    return -1;
  return cx_dfg_find_edge(dfg, f, t);
}

static void
check_edges(const Spec *spec, CxDfg *dfg, CxLog *log)
{
  g_autofree char *dpath = test_oracle_path(shared, spec->name, "dfg");
  g_auto(GStrv) lines = read_lines(dpath);
  ck_assert_msg(lines != NULL, "cannot read %s", dpath);
  guint n_oracle = 0;
  for (char **l = lines; *l != NULL; l++) {
    if (**l == '\0')
      continue;
    g_autofree char *from = test_json_field_str(*l, "from");
    g_autofree char *to = test_json_field_str(*l, "to");
    int i = find(dfg, log, from, to);
    ck_assert_msg(i >= 0, "%s: no edge %s -> %s", spec->name, from, to);
    guint ne;
    const CxDfgEdge *e = &cx_dfg_edges(dfg, &ne)[i];
    ck_assert_msg(e->count == (guint64)test_json_field_num(*l, "count"),
                  "%s: %s -> %s: %" G_GUINT64_FORMAT " vs %s", spec->name, from, to, e->count, *l);
    n_oracle++;
  }
  guint ne;
  cx_dfg_edges(dfg, &ne);
  ck_assert_uint_eq(ne, n_oracle);

  g_autofree char *ppath = test_oracle_path(shared, spec->name, "perf");
  g_auto(GStrv) perf = read_lines(ppath);
  ck_assert_msg(perf != NULL, "cannot read %s", ppath);
  const char *keys[] = { "mean_s", "median_s", "min_s", "max_s", "sum_s" };
  for (char **l = perf; *l != NULL; l++) {
    if (**l == '\0')
      continue;
    g_autofree char *from = test_json_field_str(*l, "from");
    g_autofree char *to = test_json_field_str(*l, "to");
    int i = find(dfg, log, from, to);
    ck_assert_int_ge(i, 0);
    const CxDfgEdge *e = &cx_dfg_edges(dfg, &ne)[i];
    ck_assert_uint_eq(e->wait.n, e->count);
    double ours[] = { e->wait.mean, e->wait.median, e->wait.min, e->wait.max, e->wait.total };
    /* past 65,536 waits an edge's quantiles come from the sketch, within
     * its relative error 0.005 (the samples are gone: NULL); mean, min,
     * max and sum stay exact */
    gsize nw;
    gboolean sketched = cx_dfg_edge_waits(dfg, (guint)i, &nw) == NULL && e->wait.n > 0;
    for (guint k = 0; k < G_N_ELEMENTS(keys); k++) {
      double want = test_json_field_num(*l, keys[k]);
      gboolean ok = sketched && k == 1 ? fabs(ours[k] - want) <= 0.005 * fabs(want) + 1e-9
                                       : close_rel(ours[k], want);
      ck_assert_msg(ok, "%s: %s -> %s %s: %.9g vs %s", spec->name, from, to, keys[k], ours[k], *l);
    }
  }
}

static void
check_terminals(const Spec *spec, CxDfg *dfg, CxLog *log, const char *kind)
{
  g_autofree char *path = test_oracle_path(shared, spec->name, kind);
  g_auto(GStrv) lines = read_lines(path);
  ck_assert_msg(lines != NULL, "cannot read %s", path);
  gboolean start = strcmp(kind, "start") == 0;
  guint n_oracle = 0;
  for (char **l = lines; *l != NULL; l++) {
    if (**l == '\0')
      continue;
    g_autofree char *a = test_json_field_str(*l, "activity");
    guint32 id = cx_pool_lookup(cx_log_activities(log), a, -1);
    const CxDfgNode *n = id != G_MAXUINT32 ? cx_dfg_node(dfg, id) : NULL;
    ck_assert_msg(n != NULL, "%s: no activity %s", spec->name, a);
    guint64 ours = start ? n->starts : n->ends;
    ck_assert_msg(ours == (guint64)test_json_field_num(*l, "count"),
                  "%s %s: %s: %" G_GUINT64_FORMAT " vs %s", spec->name, kind, a, ours, *l);
    n_oracle++;
  }
  guint nn, n_ours = 0;
  const CxDfgNode *nodes = cx_dfg_nodes(dfg, &nn);
  for (guint i = 0; i < nn; i++)
    n_ours += (start ? nodes[i].starts : nodes[i].ends) > 0;
  ck_assert_uint_eq(n_ours, n_oracle);
}

START_TEST(test_oracle)
{
  const Spec *spec = &specs[_i];
  g_autoptr(CxLog) log = cx_log_new();
  g_autoptr(CxDfg) dfg = discover(log, spec);
  if (spec->check_dfg)
    check_edges(spec, dfg, log);
  if (spec->check_start_end) {
    check_terminals(spec, dfg, log, "start");
    check_terminals(spec, dfg, log, "end");
  }
}
END_TEST

int
main(void)
{
  shared = test_shared_or_skip(NULL);
  Suite *s = suite_create("dfg-oracle");
  TCase *tc = tcase_create("oracle");
  tcase_set_timeout(tc, 120);
  tcase_add_loop_test(tc, test_oracle, 0, G_N_ELEMENTS(specs));
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_ENV);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
