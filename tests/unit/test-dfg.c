/* Tests for directly-follows graphs: counts, cases, waits, services, merge,
 * simplification, JSON. Journeys are built by hand. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "cxmine/cxmine.h"

#define T0     G_GINT64_CONSTANT(1704067200000000)
#define S(sec) (T0 + (gint64)((sec)*CX_USEC_PER_SEC))

/* Adds a journey "A@0 B@60 ..." given as names and seconds (-1 = untimed). */
static void
add(CxDfg *dfg, CxLog *log, const char *const *acts, const double *secs, guint n)
{
  CxEvent ev[16];
  static guint32 next_case = 1;
  g_assert(n <= 16);
  for (guint i = 0; i < n; i++) {
    ev[i] = (CxEvent){ 0 };
    ev[i].activity = cx_pool_intern(cx_log_activities(log), acts[i], -1);
    ev[i].time = secs[i] < 0 ? CX_TS_NONE : S(secs[i]);
    ev[i].start = CX_TS_NONE;
    ev[i].flags = secs[i] < 0 ? CX_EVENT_UNTIMED : 0;
  }
  CxJourney j = { 0 };
  j.case_id = next_case++;
  j.n_events = n;
  j.n_instances = n;
  j.instances = ev;
  g_autoptr(GError) error = NULL;
  ck_assert(cx_dfg_add(&j, dfg, &error));
}

#define ADD(dfg, log, ...)                                                                         \
  do {                                                                                             \
    const char *const a_[] = { __VA_ARGS__ };                                                      \
    double t_[G_N_ELEMENTS(a_)];                                                                   \
    for (guint k_ = 0; k_ < G_N_ELEMENTS(a_); k_++)                                                \
      t_[k_] = k_ * 60.0;                                                                          \
    add(dfg, log, a_, t_, G_N_ELEMENTS(a_));                                                       \
  } while (0)

static guint32
id(CxLog *log, const char *name)
{
  return cx_pool_lookup(cx_log_activities(log), name, -1);
}

static const CxDfgEdge *
edge(CxDfg *dfg, CxLog *log, const char *from, const char *to)
{
  int i = cx_dfg_find_edge(dfg, id(log, from), id(log, to));
  if (i < 0)
    return NULL;
  guint n;
  return &cx_dfg_edges(dfg, &n)[i];
}

/* c1: A@0 B@60 C@180; c2: A@0 B@30 B@90 C@100; c3: A@0 C@500 */
static void
add_three(CxDfg *dfg, CxLog *log)
{
  const char *c1[] = { "A", "B", "C" };
  const double t1[] = { 0, 60, 180 };
  const char *c2[] = { "A", "B", "B", "C" };
  const double t2[] = { 0, 30, 90, 100 };
  const char *c3[] = { "A", "C" };
  const double t3[] = { 0, 500 };
  add(dfg, log, c1, t1, 3);
  add(dfg, log, c2, t2, 4);
  add(dfg, log, c3, t3, 2);
}

START_TEST(test_counts_and_waits)
{
  g_autoptr(CxLog) log = cx_log_new();
  g_autoptr(CxDfg) dfg = cx_dfg_new(log);
  add_three(dfg, log);
  ck_assert_uint_eq(cx_dfg_n_cases(dfg), 3);
  ck_assert_uint_eq(cx_dfg_n_events(dfg), 9);

  guint nn;
  const CxDfgNode *nodes = cx_dfg_nodes(dfg, &nn);
  ck_assert_uint_eq(nn, 3);
  /* equal counts: by name */
  ck_assert_uint_eq(nodes[0].activity, id(log, "A"));
  ck_assert_uint_eq(nodes[1].activity, id(log, "B"));
  ck_assert_uint_eq(nodes[2].activity, id(log, "C"));
  ck_assert_uint_eq(nodes[0].count, 3);
  ck_assert_uint_eq(nodes[0].cases, 3);
  ck_assert_uint_eq(nodes[0].starts, 3);
  ck_assert_uint_eq(nodes[0].ends, 0);
  ck_assert_uint_eq(nodes[1].count, 3);
  ck_assert_uint_eq(nodes[1].cases, 2);
  ck_assert_uint_eq(nodes[2].ends, 3);
  ck_assert_uint_eq(nodes[0].service.n, 0);

  guint ne;
  const CxDfgEdge *edges = cx_dfg_edges(dfg, &ne);
  ck_assert_uint_eq(ne, 4);
  /* by (from, to) name */
  const char *order[][2] = { { "A", "B" }, { "A", "C" }, { "B", "B" }, { "B", "C" } };
  for (guint i = 0; i < 4; i++) {
    ck_assert_uint_eq(edges[i].from, id(log, order[i][0]));
    ck_assert_uint_eq(edges[i].to, id(log, order[i][1]));
  }
  const CxDfgEdge *ab = edge(dfg, log, "A", "B");
  ck_assert_uint_eq(ab->count, 2);
  ck_assert_uint_eq(ab->cases, 2);
  ck_assert_uint_eq(ab->wait.n, 2);
  ck_assert_double_eq(ab->wait.mean, 45);
  ck_assert_double_eq(ab->wait.median, 45);
  ck_assert_double_eq_tol(ab->wait.p90, 57, 1e-9);
  ck_assert_double_eq(ab->wait.min, 30);
  ck_assert_double_eq(ab->wait.max, 60);
  ck_assert_double_eq(ab->wait.total, 90);
  const CxDfgEdge *bc = edge(dfg, log, "B", "C");
  ck_assert_double_eq(bc->wait.mean, 65);
  ck_assert_double_eq(edge(dfg, log, "A", "C")->wait.max, 500);
  ck_assert_uint_eq(edge(dfg, log, "B", "B")->count, 1);
  ck_assert_ptr_null(edge(dfg, log, "C", "A"));
  ck_assert_int_eq(cx_dfg_find_edge(dfg, id(log, "B"), id(log, "B")), 2);

  gsize nw;
  const double *w = cx_dfg_edge_waits(dfg, 3, &nw);
  ck_assert_uint_eq(nw, 2);
  ck_assert_double_eq(MIN(w[0], w[1]), 10);
  ck_assert_double_eq(MAX(w[0], w[1]), 120);
}
END_TEST

START_TEST(test_repeated_edge_counts_case_once)
{
  g_autoptr(CxLog) log = cx_log_new();
  g_autoptr(CxDfg) dfg = cx_dfg_new(log);
  ADD(dfg, log, "A", "B", "A", "B");
  ADD(dfg, log, "A", "B");
  const CxDfgEdge *ab = edge(dfg, log, "A", "B");
  ck_assert_uint_eq(ab->count, 3);
  ck_assert_uint_eq(ab->cases, 2);
  ck_assert_uint_eq(edge(dfg, log, "B", "A")->cases, 1);
  const CxDfgNode *a = cx_dfg_node(dfg, id(log, "A"));
  ck_assert_uint_eq(a->count, 3);
  ck_assert_uint_eq(a->cases, 2);
  ck_assert_uint_eq(a->starts, 2);
  ck_assert_uint_eq(cx_dfg_node(dfg, id(log, "B"))->ends, 2);
}
END_TEST

START_TEST(test_untimed_and_single)
{
  g_autoptr(CxLog) log = cx_log_new();
  g_autoptr(CxDfg) dfg = cx_dfg_new(log);
  const char *a[] = { "A", "B", "C" };
  const double t[] = { 0, -1, 100 };
  add(dfg, log, a, t, 3);
  const char *one[] = { "C" };
  const double t1[] = { 5 };
  add(dfg, log, one, t1, 1);
  ck_assert_uint_eq(edge(dfg, log, "A", "B")->count, 1);
  ck_assert_uint_eq(edge(dfg, log, "A", "B")->wait.n, 0);
  ck_assert_uint_eq(edge(dfg, log, "B", "C")->wait.n, 0);
  const CxDfgNode *c = cx_dfg_node(dfg, id(log, "C"));
  ck_assert_uint_eq(c->starts, 1);
  ck_assert_uint_eq(c->ends, 2);
  ck_assert_uint_eq(c->cases, 2);
}
END_TEST

START_TEST(test_service_and_start_based_wait)
{
  g_autoptr(CxLog) log = cx_log_new();
  g_autoptr(CxDfg) dfg = cx_dfg_new(log);
  CxEvent ev[2] = { 0 };
  ev[0].activity = cx_pool_intern(cx_log_activities(log), "A", -1);
  ev[0].start = S(0);
  ev[0].time = S(100);
  ev[1].activity = cx_pool_intern(cx_log_activities(log), "B", -1);
  ev[1].start = S(160);
  ev[1].time = S(400);
  CxJourney j = { 0 };
  j.n_instances = 2;
  j.instances = ev;
  ck_assert(cx_dfg_add(&j, dfg, NULL));
  const CxDfgNode *b = cx_dfg_node(dfg, id(log, "B"));
  ck_assert_uint_eq(b->service.n, 1);
  ck_assert_double_eq(b->service.mean, 240);
  /* B's start minus A's completion */
  ck_assert_double_eq(edge(dfg, log, "A", "B")->wait.mean, 60);
  gsize n;
  ck_assert_double_eq(cx_dfg_node_services(dfg, id(log, "A"), &n)[0], 100);
  ck_assert_uint_eq(n, 1);
}
END_TEST

START_TEST(test_merge_equals_joint)
{
  g_autoptr(CxLog) log = cx_log_new();
  g_autoptr(CxDfg) all = cx_dfg_new(log);
  add_three(all, log);
  g_autoptr(CxDfg) part = cx_dfg_new(log);
  g_autoptr(CxDfg) rest = cx_dfg_new(log);
  const char *c1[] = { "A", "B", "C" };
  const double t1[] = { 0, 60, 180 };
  const char *c2[] = { "A", "B", "B", "C" };
  const double t2[] = { 0, 30, 90, 100 };
  const char *c3[] = { "A", "C" };
  const double t3[] = { 0, 500 };
  add(part, log, c1, t1, 3);
  add(rest, log, c2, t2, 4);
  add(rest, log, c3, t3, 2);
  guint n;
  cx_dfg_edges(part, &n); /* results computed before the merge are refreshed */
  cx_dfg_merge(part, rest);
  g_autoptr(GString) a = g_string_new(NULL);
  g_autoptr(GString) b = g_string_new(NULL);
  {
    g_autoptr(CxJson) ja = cx_json_new(a, FALSE);
    cx_dfg_to_json(all, NULL, ja);
    g_autoptr(CxJson) jb = cx_json_new(b, FALSE);
    cx_dfg_to_json(part, NULL, jb);
  }
  ck_assert_str_eq(a->str, b->str);
  ck_assert_uint_eq(edge(rest, log, "A", "B")->count, 1); /* src unchanged */
}
END_TEST

START_TEST(test_reset)
{
  g_autoptr(CxLog) log = cx_log_new();
  g_autoptr(CxDfg) dfg = cx_dfg_new(log);
  add_three(dfg, log);
  cx_dfg_reset(dfg);
  ADD(dfg, log, "A", "C");
  guint nn, ne;
  cx_dfg_nodes(dfg, &nn);
  cx_dfg_edges(dfg, &ne);
  ck_assert_uint_eq(nn, 2);
  ck_assert_uint_eq(ne, 1);
  ck_assert_uint_eq(cx_dfg_n_cases(dfg), 1);
}
END_TEST

START_TEST(test_many_activities_use_hash)
{
  g_autoptr(CxLog) log = cx_log_new();
  g_autoptr(CxDfg) dfg = cx_dfg_new(log);
  ADD(dfg, log, "A", "B");
  for (int i = 0; i < 1500; i++) {
    char name[16];
    g_snprintf(name, sizeof name, "x%d", i);
    ADD(dfg, log, "A", name);
  }
  ADD(dfg, log, "A", "B");
  ck_assert_uint_eq(edge(dfg, log, "A", "B")->count, 2);
  ck_assert_uint_eq(edge(dfg, log, "A", "x1499")->count, 1);
  guint ne;
  cx_dfg_edges(dfg, &ne);
  ck_assert_uint_eq(ne, 1501);
}
END_TEST

static void
add_times(CxDfg *dfg, CxLog *log, int times, const char *const *acts, guint n)
{
  double t[16];
  for (guint k = 0; k < n; k++)
    t[k] = k * 60.0;
  for (int i = 0; i < times; i++)
    add(dfg, log, acts, t, n);
}

START_TEST(test_view_paths_keep_connected)
{
  g_autoptr(CxLog) log = cx_log_new();
  g_autoptr(CxDfg) dfg = cx_dfg_new(log);
  const char *abd[] = { "A", "B", "D" };
  const char *acd[] = { "A", "C", "D" };
  const char *abcd[] = { "A", "B", "C", "D" };
  add_times(dfg, log, 5, abd, 3);
  add_times(dfg, log, 3, acd, 3);
  add_times(dfg, log, 2, abcd, 4);
  g_autoptr(CxDfgView) v = cx_dfg_view_new(dfg, 100, 0);
  guint na, ne;
  cx_dfg_view_counts(v, &na, &ne);
  ck_assert_uint_eq(na, 4);
  /* B->C (2) is the only arc not needed to connect C */
  ck_assert_uint_eq(ne, 4);
  ck_assert_uint_eq(v->edge_kept[cx_dfg_find_edge(dfg, id(log, "B"), id(log, "C"))], 0);
  ck_assert_uint_eq(v->edge_kept[cx_dfg_find_edge(dfg, id(log, "A"), id(log, "C"))], 1);
  ck_assert_uint_eq(v->edge_kept[cx_dfg_find_edge(dfg, id(log, "C"), id(log, "D"))], 1);
  ck_assert_uint_eq(v->start_kept[id(log, "A")], 1);
  ck_assert_uint_eq(v->end_kept[id(log, "D")], 1);

  g_autoptr(CxDfgView) all = cx_dfg_view_new(dfg, 100, 100);
  cx_dfg_view_counts(all, &na, &ne);
  ck_assert_uint_eq(ne, 5);
}
END_TEST

START_TEST(test_view_activities_coverage)
{
  g_autoptr(CxLog) log = cx_log_new();
  g_autoptr(CxDfg) dfg = cx_dfg_new(log);
  const char *abd[] = { "A", "B", "D" };
  const char *acd[] = { "A", "C", "D" };
  const char *aed[] = { "A", "E", "D" };
  const char *xd[] = { "X", "D" };
  add_times(dfg, log, 5, abd, 3);
  add_times(dfg, log, 3, acd, 3);
  add_times(dfg, log, 1, aed, 3);
  add_times(dfg, log, 3, xd, 2);
  /* A 9, D 12, B 5, C 3, X 3, E 1 of 33 events */
  g_autoptr(CxDfgView) v = cx_dfg_view_new(dfg, 80, 100);
  /* D 12, A 21, B 26 (78.8%), C 29 (87.9%) */
  ck_assert_uint_eq(v->activity_kept[id(log, "A")], 1);
  ck_assert_uint_eq(v->activity_kept[id(log, "B")], 1);
  ck_assert_uint_eq(v->activity_kept[id(log, "C")], 1);
  ck_assert_uint_eq(v->activity_kept[id(log, "D")], 1);
  ck_assert_uint_eq(v->activity_kept[id(log, "E")], 0);
  ck_assert_uint_eq(v->activity_kept[id(log, "X")], 0);
  /* 0%: D alone is never started; the fewest most frequent activities that
   * connect start and end are A, B, D */
  g_autoptr(CxDfgView) few = cx_dfg_view_new(dfg, 0, 0);
  guint na, ne;
  cx_dfg_view_counts(few, &na, &ne);
  ck_assert_uint_eq(na, 3);
  ck_assert_uint_eq(ne, 2);
  ck_assert_uint_eq(few->activity_kept[id(log, "B")], 1);
  ck_assert_uint_eq(few->start_kept[id(log, "A")], 1);
  ck_assert_uint_eq(few->end_kept[id(log, "D")], 1);
}
END_TEST

START_TEST(test_view_drops_cut_off_activity)
{
  g_autoptr(CxLog) log = cx_log_new();
  g_autoptr(CxDfg) dfg = cx_dfg_new(log);
  /* Y is only ever reached through the rare R */
  const char *ab[] = { "A", "B" };
  const char *ary[] = { "A", "R", "Y", "Y", "Y", "Y", "B" };
  add_times(dfg, log, 10, ab, 2);
  add_times(dfg, log, 1, ary, 7);
  /* A 11, B 11, Y 4, R 1 of 27: 95% keeps Y but not R */
  g_autoptr(CxDfgView) v = cx_dfg_view_new(dfg, 95, 100);
  ck_assert_uint_eq(v->activity_kept[id(log, "R")], 0);
  ck_assert_uint_eq(v->activity_kept[id(log, "Y")], 0);
  ck_assert_uint_eq(v->activity_kept[id(log, "A")], 1);
}
END_TEST

START_TEST(test_json_contract)
{
  g_autoptr(CxLog) log = cx_log_new();
  g_autoptr(CxDfg) dfg = cx_dfg_new(log);
  add_three(dfg, log);
  g_autoptr(GString) out = g_string_new(NULL);
  {
    g_autoptr(CxJson) j = cx_json_new(out, FALSE);
    cx_dfg_to_json(dfg, NULL, j);
  }
  ck_assert_ptr_nonnull(
      strstr(out->str, "{\"business_hours\":null,\"cases\":3,\"events\":9,\"instances\":9,"));
  /* nothing cut without a view; no service times: an object of nulls */
  ck_assert_ptr_nonnull(strstr(out->str, "\"truncated\":false,\"nodes_total\":3,"));
  ck_assert_ptr_nonnull(strstr(out->str, "\"nodes\":[{\"activity\":\"A\",\"count\":3,\"cases\":3,"
                                         "\"services\":0,\"service_s\":{\"mean\":null,"
                                         "\"median\":null,\"p90\":null,\"min\":null,"
                                         "\"max\":null,\"total\":null}},"));
  ck_assert_ptr_nonnull(strstr(out->str, "\"start\":[{\"activity\":\"A\",\"count\":3}],"
                                         "\"end\":[{\"activity\":\"C\",\"count\":3}]"));
  ck_assert_ptr_nonnull(
      strstr(out->str, "\"edges\":[{\"from\":\"A\",\"to\":\"B\",\"count\":2,\"cases\":2,"
                       "\"waits\":2,\"wait_s\":{\"mean\":45,\"median\":45,\"p90\":57,\"min\":30,"
                       "\"max\":60,\"total\":90}}"));
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("dfg");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, test_counts_and_waits);
  tcase_add_test(tc, test_repeated_edge_counts_case_once);
  tcase_add_test(tc, test_untimed_and_single);
  tcase_add_test(tc, test_service_and_start_based_wait);
  tcase_add_test(tc, test_merge_equals_joint);
  tcase_add_test(tc, test_reset);
  tcase_add_test(tc, test_many_activities_use_hash);
  tcase_add_test(tc, test_view_paths_keep_connected);
  tcase_add_test(tc, test_view_activities_coverage);
  tcase_add_test(tc, test_view_drops_cut_off_activity);
  tcase_add_test(tc, test_json_contract);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_ENV);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
