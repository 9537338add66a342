/* Tests for map simplification (cx_dfg_view_new_capped) and the back-edge
 * search (cx_dfg_back_edges): the same views as a plain quadratic reference
 * on random graphs, the node cap, and work that grows linearly with the
 * graph (counted, never timed). */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "cxmine/cxmine.h"

#define T0 G_GINT64_CONSTANT(1704067200000000)

static guint32 next_case = 1;

/* Adds one journey over activity names. */
static void
add_ids(CxDfg *dfg, CxLog *log, char **names, guint n)
{
  g_autofree CxEvent *ev = g_new0(CxEvent, n);
  for (guint i = 0; i < n; i++) {
    ev[i].activity = cx_pool_intern(cx_log_activities(log), names[i], -1);
    ev[i].time = T0 + (gint64)i * 60 * CX_USEC_PER_SEC;
    ev[i].start = CX_TS_NONE;
  }
  CxJourney j = { 0 };
  j.case_id = next_case++;
  j.n_events = n;
  j.n_instances = n;
  j.instances = ev;
  g_autoptr(GError) error = NULL;
  ck_assert(cx_dfg_add(&j, dfg, &error));
}

static void
add_names(CxDfg *dfg, CxLog *log, guint n, ...)
{
  char *names[8];
  va_list ap;
  va_start(ap, n);
  for (guint i = 0; i < n; i++)
    names[i] = va_arg(ap, char *);
  va_end(ap);
  add_ids(dfg, log, names, n);
}

/* ---------- the reference: the simplification rule, step by step ---------- */

typedef struct {
  guint32 from, to;
  guint64 count;
  guint order, edge;
  gboolean kept;
} RArc;

static int
cmp_rarc(const void *pa, const void *pb)
{
  const RArc *a = pa, *b = pb;
  if (a->count != b->count)
    return a->count > b->count ? -1 : 1;
  return a->order < b->order ? -1 : a->order > b->order;
}

static void
rreach(const RArc *arcs, guint n, guint ng, guint32 root, gboolean fwd, gboolean all, guint8 *seen)
{
  memset(seen, 0, ng);
  seen[root] = 1;
  for (gboolean changed = TRUE; changed;) {
    changed = FALSE;
    for (guint i = 0; i < n; i++) {
      guint32 a = fwd ? arcs[i].from : arcs[i].to, b = fwd ? arcs[i].to : arcs[i].from;
      if ((all || arcs[i].kept) && seen[a] && !seen[b])
        seen[b] = changed = 1;
    }
  }
}

static guint
rcollect(RArc *arcs, const CxDfgNode *nodes, guint nn, const CxDfgEdge *edges, guint ne,
         const guint8 *want, guint32 start, guint32 end)
{
  guint n = 0;
  for (guint i = 0; i < nn; i++)
    if (want[nodes[i].activity] && nodes[i].starts > 0)
      arcs[n] = (RArc){ start, nodes[i].activity, nodes[i].starts, n, G_MAXUINT, 0 }, n++;
  for (guint i = 0; i < ne; i++)
    if (want[edges[i].from] && want[edges[i].to])
      arcs[n] = (RArc){ edges[i].from, edges[i].to, edges[i].count, n, i, 0 }, n++;
  for (guint i = 0; i < nn; i++)
    if (want[nodes[i].activity] && nodes[i].ends > 0)
      arcs[n] = (RArc){ nodes[i].activity, end, nodes[i].ends, n, G_MAXUINT, 0 }, n++;
  return n;
}

static void
rrepair(RArc *arcs, guint n, guint ng, guint32 root, gboolean fwd, const guint8 *want)
{
  g_autofree guint8 *seen = g_new0(guint8, ng);
  for (;;) {
    rreach(arcs, n, ng, root, fwd, FALSE, seen);
    gboolean missing = FALSE;
    for (guint i = 0; i < ng; i++)
      missing = missing || (want[i] && !seen[i]);
    if (!missing)
      return;
    guint i = 0;
    for (; i < n; i++) {
      guint32 a = fwd ? arcs[i].from : arcs[i].to, b = fwd ? arcs[i].to : arcs[i].from;
      if (!arcs[i].kept && seen[a] && !seen[b])
        break;
    }
    if (i == n)
      return;
    arcs[i].kept = TRUE;
  }
}

/* Checks @v against the rule computed the slow, obvious way. */
static void
check_reference(CxDfg *dfg, const CxDfgView *v, double apct, double ppct, guint cap)
{
  guint nn, ne;
  const CxDfgNode *nodes = cx_dfg_nodes(dfg, &nn);
  const CxDfgEdge *edges = cx_dfg_edges(dfg, &ne);
  guint na = v->n_activities, ng = na + 2;
  guint32 start = na, end = na + 1;
  guint64 total = cx_dfg_n_events(dfg);
  double target = apct / 100.0 * (double)total, covered = 0;
  guint n_take = 0;
  while (n_take < nn && (n_take == 0 || covered < target - 1e-9 * (double)total))
    covered += (double)nodes[n_take++].count;
  guint capped = 0;
  if (cap > 0 && n_take > cap) {
    capped = n_take - cap;
    n_take = cap;
  }
  ck_assert_uint_eq(v->capped, capped);
  g_autofree guint8 *want = g_new0(guint8, ng);
  g_autofree guint8 *f = g_new0(guint8, ng);
  g_autofree guint8 *b = g_new0(guint8, ng);
  g_autofree RArc *arcs = g_new(RArc, 2 * nn + ne + 1);
  for (; n_take <= nn; n_take++) {
    memset(want, 0, ng);
    for (guint i = 0; i < n_take; i++)
      want[nodes[i].activity] = 1;
    guint n = rcollect(arcs, nodes, nn, edges, ne, want, start, end);
    rreach(arcs, n, ng, start, TRUE, TRUE, f);
    rreach(arcs, n, ng, end, FALSE, TRUE, b);
    gboolean any = FALSE;
    for (guint i = 0; i < na; i++) {
      want[i] = want[i] && f[i] && b[i];
      any = any || want[i];
    }
    if (any || n_take == nn)
      break;
  }
  guint n = rcollect(arcs, nodes, nn, edges, ne, want, start, end);
  qsort(arcs, n, sizeof(RArc), cmp_rarc);
  guint keep = (guint)ceil(ppct / 100.0 * (double)n - 1e-9);
  for (guint i = 0; i < n && i < keep; i++)
    arcs[i].kept = TRUE;
  rrepair(arcs, n, ng, start, TRUE, want);
  rrepair(arcs, n, ng, end, FALSE, want);
  g_autofree guint8 *sk = g_new0(guint8, na + 1), *ek = g_new0(guint8, na + 1);
  g_autofree guint8 *edk = g_new0(guint8, ne + 1);
  for (guint i = 0; i < n; i++) {
    if (!arcs[i].kept)
      continue;
    if (arcs[i].from == start)
      sk[arcs[i].to] = 1;
    else if (arcs[i].to == end)
      ek[arcs[i].from] = 1;
    else
      edk[arcs[i].edge] = 1;
  }
  for (guint i = 0; i < na; i++) {
    ck_assert_uint_eq(v->activity_kept[i], want[i]);
    ck_assert_uint_eq(v->start_kept[i], sk[i]);
    ck_assert_uint_eq(v->end_kept[i], ek[i]);
  }
  for (guint i = 0; i < ne; i++)
    ck_assert_uint_eq(v->edge_kept[i], edk[i]);
}

START_TEST(test_same_as_reference_on_random_graphs)
{
  GRand *rng = g_rand_new_with_seed(20261130);
  static const double apcts[] = { 0, 20, 50, 80, 95, 100 };
  static const double ppcts[] = { 0, 10, 30, 60, 100 };
  static const guint caps[] = { 0, 1, 2, 3, 5, 8 };
  static char *names[] = { "A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L" };
  for (int round = 0; round < 300; round++) {
    g_autoptr(CxLog) log = cx_log_new();
    g_autoptr(CxDfg) dfg = cx_dfg_new(log);
    guint k = (guint)g_rand_int_range(rng, 2, 13);
    guint journeys = (guint)g_rand_int_range(rng, 1, 40);
    for (guint j = 0; j < journeys; j++) {
      char *seq[8];
      guint len = (guint)g_rand_int_range(rng, 1, 9);
      for (guint i = 0; i < len; i++) {
        /* skewed: low letters are frequent */
        guint a = (guint)g_rand_int_range(rng, 0, (gint32)k);
        a = MIN(a, (guint)g_rand_int_range(rng, 0, (gint32)k));
        seq[i] = names[a];
      }
      add_ids(dfg, log, seq, len);
    }
    double ap = apcts[g_rand_int_range(rng, 0, G_N_ELEMENTS(apcts))];
    double pp = ppcts[g_rand_int_range(rng, 0, G_N_ELEMENTS(ppcts))];
    guint cap = caps[g_rand_int_range(rng, 0, G_N_ELEMENTS(caps))];
    g_autoptr(CxDfgView) v = cx_dfg_view_new_capped(dfg, ap, pp, cap);
    check_reference(dfg, v, ap, pp, cap);
  }
  g_rand_free(rng);
}
END_TEST

START_TEST(test_cap_keeps_most_frequent)
{
  g_autoptr(CxLog) log = cx_log_new();
  g_autoptr(CxDfg) dfg = cx_dfg_new(log);
  /* a star: Start -> Xi -> End, Xi taken 1000 - i times */
  for (guint i = 0; i < 300; i++) {
    g_autofree char *x = g_strdup_printf("X%03u", i);
    for (guint k = 0; k < 1000 - i; k++)
      add_names(dfg, log, 3, "Start", x, "End");
  }
  g_autoptr(CxDfgView) v = cx_dfg_view_new_capped(dfg, 100, 15, CX_DFG_MAX_NODES);
  guint na, ne;
  cx_dfg_view_counts(v, &na, &ne);
  ck_assert_uint_eq(na, 200);
  ck_assert_uint_eq(v->capped, 102);
  ck_assert_uint_eq(v->activity_kept[cx_pool_lookup(cx_log_activities(log), "X000", -1)], 1);
  ck_assert_uint_eq(v->activity_kept[cx_pool_lookup(cx_log_activities(log), "X197", -1)], 1);
  ck_assert_uint_eq(v->activity_kept[cx_pool_lookup(cx_log_activities(log), "X198", -1)], 0);
  /* every drawn X is connected both ways */
  ck_assert_uint_eq(ne, 2 * 198);
  g_autoptr(CxDfgView) all = cx_dfg_view_new_capped(dfg, 100, 15, 0);
  cx_dfg_view_counts(all, &na, &ne);
  ck_assert_uint_eq(na, 302);
  ck_assert_uint_eq(all->capped, 0);
}
END_TEST

START_TEST(test_top_by_cases)
{
  g_autoptr(CxLog) log = cx_log_new();
  g_autoptr(CxDfg) dfg = cx_dfg_new(log);
  /* R is the most frequent activity (3 cases x 10 instances) but reached by
   * few journeys; A and B are reached by 20 and 10 */
  for (guint i = 0; i < 3; i++)
    add_names(dfg, log, 8, "Start", "R", "R", "R", "R", "R", "R", "End");
  for (guint i = 0; i < 3; i++)
    add_names(dfg, log, 7, "Start", "R", "R", "R", "R", "End", "A");
  for (guint i = 0; i < 20; i++)
    add_names(dfg, log, 3, "Start", "A", "End");
  for (guint i = 0; i < 10; i++)
    add_names(dfg, log, 3, "Start", "B", "End");
  CxPool *acts = cx_log_activities(log);
  g_autoptr(CxDfgView) v = cx_dfg_view_new_top(dfg, 4, 100);
  guint na, ne;
  cx_dfg_view_counts(v, &na, &ne);
  ck_assert_uint_eq(na, 4);
  ck_assert_uint_eq(v->capped, 1);
  ck_assert_uint_eq(v->activity_kept[cx_pool_lookup(acts, "A", -1)], 1);
  ck_assert_uint_eq(v->activity_kept[cx_pool_lookup(acts, "B", -1)], 1);
  ck_assert_uint_eq(v->activity_kept[cx_pool_lookup(acts, "R", -1)], 0);
  /* by instances, R would be taken before B */
  g_autoptr(CxDfgView) c = cx_dfg_view_new_capped(dfg, 100, 100, 4);
  ck_assert_uint_eq(c->activity_kept[cx_pool_lookup(acts, "R", -1)], 1);
  ck_assert_uint_eq(c->activity_kept[cx_pool_lookup(acts, "B", -1)], 0);
  g_autoptr(CxDfgView) all = cx_dfg_view_new_top(dfg, 0, 100);
  cx_dfg_view_counts(all, &na, &ne);
  ck_assert_uint_eq(na, 5);
  ck_assert_uint_eq(all->capped, 0);
}
END_TEST

/* ---------- linear work ---------- */

/* A star of @n activities: Start -> Xi -> End, Xi taken i % 7 + 1 times. */
static CxDfg *
star(CxLog *log, guint n)
{
  CxDfg *dfg = cx_dfg_new(log);
  for (guint i = 0; i < n; i++) {
    g_autofree char *x = g_strdup_printf("X%u", i);
    for (guint k = 0; k <= i % 7; k++)
      add_names(dfg, log, 3, "Start", x, "End");
  }
  return dfg;
}

/* A chain: journey i walks Ai -> Ai+1. */
static CxDfg *
chain(CxLog *log, guint n)
{
  CxDfg *dfg = cx_dfg_new(log);
  for (guint i = 0; i < n; i++) {
    g_autofree char *a = g_strdup_printf("A%u", i);
    g_autofree char *b = g_strdup_printf("A%u", i + 1);
    add_names(dfg, log, 2, a, b);
  }
  return dfg;
}

/* The most frequent activities (Mi) are never first or last: with
 * --activities 0 the set has to grow past all of them before anything
 * connects start and end (the old rule redid the whole reachability at each
 * step). */
static CxDfg *
hidden(CxLog *log, guint n)
{
  CxDfg *dfg = cx_dfg_new(log);
  for (guint i = 0; i < n; i++) {
    g_autofree char *s = g_strdup_printf("S%u", i);
    g_autofree char *m = g_strdup_printf("M%u", i);
    g_autofree char *e = g_strdup_printf("E%u", i);
    add_names(dfg, log, 5, s, m, m, m, e);
  }
  return dfg;
}

typedef CxDfg *(*MakeFunc)(CxLog *log, guint n);

typedef struct {
  double apct, ppct;
  guint cap;
} Config;

/* Work at 1k, 10k and 100k activities for each of @configs: each tenfold
 * step may cost at most 20x (linear; the per-activity arrays are sized by
 * the id space, which grows by doubling, so the constant wobbles up to 2x),
 * where a quadratic search costs 100x; and a small constant per activity. */
static void
check_linear(MakeFunc make, const Config *configs, guint n_configs)
{
  guint64 work[8][3];
  static const guint sizes[3] = { 1000, 10000, 100000 };
  g_assert(n_configs <= 8);
  for (int s = 0; s < 3; s++) {
    g_autoptr(CxLog) log = cx_log_new();
    g_autoptr(CxDfg) dfg = make(log, sizes[s]);
    for (guint c = 0; c < n_configs; c++) {
      g_autoptr(CxDfgView) v
          = cx_dfg_view_new_capped(dfg, configs[c].apct, configs[c].ppct, configs[c].cap);
      guint na;
      cx_dfg_view_counts(v, &na, NULL);
      ck_assert_uint_gt(na, 0);
      work[c][s] = v->work;
    }
  }
  for (guint c = 0; c < n_configs; c++) {
    guint64 *w = work[c];
    ck_assert_msg(w[1] <= 20 * w[0] && w[2] <= 20 * w[1] && w[2] <= 60 * sizes[2],
                  "config %u: work %" G_GUINT64_FORMAT ", %" G_GUINT64_FORMAT
                  ", %" G_GUINT64_FORMAT,
                  c, w[0], w[1], w[2]);
  }
}

START_TEST(test_linear_star)
{
  const Config c[] = { { 100, 15, 0 }, { 100, 0, 0 }, { 100, 15, CX_DFG_MAX_NODES } };
  check_linear(star, c, G_N_ELEMENTS(c));
}
END_TEST

START_TEST(test_linear_chain)
{
  const Config c[] = { { 100, 15, 0 }, { 100, 0, 0 }, { 30, 5, CX_DFG_MAX_NODES } };
  check_linear(chain, c, G_N_ELEMENTS(c));
}
END_TEST

START_TEST(test_linear_growing_activity_set)
{
  const Config c[] = { { 0, 15, 0 }, { 0, 0, CX_DFG_MAX_NODES } };
  check_linear(hidden, c, G_N_ELEMENTS(c));
}
END_TEST

/* ---------- back edges ---------- */

START_TEST(test_back_edges_small)
{
  /* 0 -> 1 -> 2 -> 0 (loop), 1 -> 3, 3 -> 1 (loop), 2 -> 2 (self) */
  CxDfgArc arcs[] = { { 0, 1, 10 }, { 1, 2, 8 }, { 2, 0, 3 }, { 1, 3, 9 },
                      { 3, 1, 2 },  { 2, 2, 1 }, { 7, 0, 5 } /* ignored: node out of range */ };
  guint8 back[G_N_ELEMENTS(arcs)];
  memset(back, 7, sizeof back);
  guint32 roots[] = { 0, 1, 2, 3 };
  cx_dfg_back_edges(arcs, G_N_ELEMENTS(arcs), 4, roots, 4, back);
  const guint8 expect[] = { 0, 0, 1, 0, 1, 1, 0 };
  for (guint i = 0; i < G_N_ELEMENTS(arcs); i++)
    ck_assert_msg(back[i] == expect[i], "arc %u: %u", i, back[i]);
  /* the root decides which arc of a two-node loop is the back edge */
  CxDfgArc two[] = { { 0, 1, 1 }, { 1, 0, 1 } };
  guint8 b2[2];
  guint32 r1[] = { 1 };
  cx_dfg_back_edges(two, 2, 2, r1, 1, b2);
  ck_assert_uint_eq(b2[0], 1); /* walked from 1: 1 -> 0, then 0 -> 1 closes the loop */
  ck_assert_uint_eq(b2[1], 0);
}
END_TEST

START_TEST(test_back_edges_deep_and_linear)
{
  /* a chain with a loop back to the start at every 10th node: deep (no
   * recursion) and linear */
  guint64 work[3];
  guint sizes[3] = { 1000, 10000, 100000 };
  for (int s = 0; s < 3; s++) {
    guint n = sizes[s];
    g_autofree CxDfgArc *arcs = g_new(CxDfgArc, 2 * n);
    guint na = 0;
    for (guint i = 0; i + 1 < n; i++)
      arcs[na++] = (CxDfgArc){ i, i + 1, 5 };
    for (guint i = 9; i < n; i += 10)
      arcs[na++] = (CxDfgArc){ i, 0, 1 };
    g_autofree guint8 *back = g_new(guint8, na);
    g_autofree guint32 *roots = g_new(guint32, n);
    for (guint i = 0; i < n; i++)
      roots[i] = i;
    work[s] = cx_dfg_back_edges(arcs, na, n, roots, n, back);
    guint nb = 0;
    for (guint i = 0; i < na; i++)
      nb += back[i];
    ck_assert_uint_eq(nb, n / 10);
    ck_assert_uint_eq(back[0], 0);
    ck_assert_uint_eq(back[n - 1], 1); /* the first loop arc */
  }
  ck_assert(work[1] <= 11 * work[0] && work[2] <= 11 * work[1]);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("dfg-view");
  TCase *tc = tcase_create("core");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, test_same_as_reference_on_random_graphs);
  tcase_add_test(tc, test_cap_keeps_most_frequent);
  tcase_add_test(tc, test_top_by_cases);
  tcase_add_test(tc, test_linear_star);
  tcase_add_test(tc, test_linear_chain);
  tcase_add_test(tc, test_linear_growing_activity_set);
  tcase_add_test(tc, test_back_edges_small);
  tcase_add_test(tc, test_back_edges_deep_and_linear);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_ENV);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
