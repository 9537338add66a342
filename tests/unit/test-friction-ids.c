/* Tests for the ids friction hands out beside its names (findings, waits,
 * funnel steps, channel switches), its measures as an enum, and the journey
 * map, which finds marked activities and edges by id: names that would make
 * the same formatted key must not mark each other's edges. */
#include <check.h>
#include <stdlib.h>
#include "cxmine/friction.h"
#include "journeys.h"

static CxFriction *
run(CxLog *log, const char *text)
{
  CxFrictionOptions o;
  cx_friction_options_init(&o);
  o.min_cases = 2;
  o.min_share = 0;
  o.inconsistency_min_samples = 5;
  CxFriction *f = cx_friction_new(log, &o);
  journeys_feed(log, text, cx_friction_add, f);
  ck_assert(cx_friction_finish(f, NULL));
  return f;
}

/* A log with rework, a ping-pong, a drop-off, a negative event, channel
 * switches and a long wait. */
static const char *const many_kinds
    = "c1 A 0 - web\nc1 B 1 - web\nc1 C 2 - web\nc1 D 3 - web\n"
      "c2 A 0 - web\nc2 B 1 - web\nc2 C 2 - web\nc2 D 3 - web\n"
      "c3 A 0 - web\nc3 B 1 - web\nc3 C 2 - web\nc3 D 3 - web\n"
      "c4 A 0 - web\nc4 B 1 - web\nc4 C 2 - web\nc4 D 3 - web\n"
      "c5 A 0 - web\nc5 B 1 - web\nc5 C 2 - web\nc5 D 3 - web\n"
      "c6 A 0 - web\nc6 B 1 - web\nc6 C 2 - web\nc6 D 3 - web\n"
      "r1 A 0 - web\nr1 B 1 - web\nr1 B 5 - web\nr1 C 6 - web\nr1 D 7 - web\n"
      "r2 A 0 - web\nr2 B 1 - web\nr2 B 5 - web\nr2 C 6 - web\nr2 D 7 - web\n"
      "p1 A 0 - web\np1 B 1 - phone\np1 C 9 - web\np1 B 19 - phone\np1 C 29 - web\np1 D 39 - web\n"
      "p2 A 0 - web\np2 B 1 - phone\np2 C 9 - web\np2 B 19 - phone\np2 C 29 - web\np2 D 39 - web\n"
      "d1 A 0 - web\nd1 B 1 - phone\nd1 Complaint 2 - phone\n"
      "d2 A 0 - web\nd2 B 1 - phone\nd2 Complaint 2 - phone\n"
      "d3 A 0 - web\nd3 B 1 - phone\nd3 Complaint 2 - phone\n";

static void
check_finding(CxLog *log, const CxFinding *fd)
{
  CxPool *pool
      = fd->kind == CX_FINDING_CHANNEL_SWITCH ? cx_log_channels(log) : cx_log_activities(log);
  ck_assert_uint_le(fd->n_names, CX_FINDING_MAX_NAMES);
  for (guint k = 0; k < fd->n_names; k++)
    ck_assert_str_eq(fd->names[k], cx_pool_get(pool, fd->ids[k]));
  ck_assert_uint_lt(fd->measure_kind, CX_FINDING_N_MEASURES);
  ck_assert(g_strcmp0(fd->measure, cx_finding_measure_name(fd->measure_kind)) == 0);
  if (fd->kind == CX_FINDING_EFFORT)
    ck_assert(fd->measure_kind == CX_FINDING_MEASURE_STEPS
              || fd->measure_kind == CX_FINDING_MEASURE_TOUCHES);
  else if (fd->kind == CX_FINDING_BOTTLENECK || fd->kind == CX_FINDING_INCONSISTENCY)
    ck_assert(fd->measure_kind
              == (fd->n_names == 2 ? CX_FINDING_MEASURE_WAIT : CX_FINDING_MEASURE_SERVICE));
  else if (fd->kind != CX_FINDING_DRIFT && fd->kind != CX_FINDING_CHANNEL_SWITCH)
    ck_assert(fd->measure_kind == CX_FINDING_MEASURE_NONE);
  for (guint k = 0; k < fd->n_also; k++)
    check_finding(log, &fd->also[k]);
}

START_TEST(test_ids_match_names)
{
  g_autoptr(CxLog) log = cx_log_new();
  g_autoptr(CxFriction) f = run(log, many_kinds);
  guint n, nw;
  const CxFinding *fs = cx_friction_findings(f, &n);
  const CxFinding *ws = cx_friction_with_success(f, &nw);
  ck_assert_uint_gt(n, 0);
  guint kinds = 0;
  for (guint i = 0; i < n; i++) {
    check_finding(log, &fs[i]);
    kinds |= 1u << fs[i].kind;
  }
  for (guint i = 0; i < nw; i++)
    check_finding(log, &ws[i]);
  ck_assert(kinds & (1u << CX_FINDING_DROPOFF));
  ck_assert(kinds & (1u << CX_FINDING_PINGPONG));
  guint nf;
  const CxFunnelStep *fu = cx_friction_funnel(f, &nf);
  ck_assert_uint_eq(nf, 5);
  for (guint i = 0; i < nf; i++)
    ck_assert_str_eq(fu[i].activity, cx_pool_get(cx_log_activities(log), fu[i].activity_id));
  guint nm;
  const CxChannelSwitch *m = cx_friction_channel_matrix(f, &nm);
  ck_assert_uint_eq(nm, 2);
  for (guint i = 0; i < nm; i++) {
    ck_assert_str_eq(m[i].from, cx_pool_get(cx_log_channels(log), m[i].from_id));
    ck_assert_str_eq(m[i].to, cx_pool_get(cx_log_channels(log), m[i].to_id));
  }
}
END_TEST

START_TEST(test_waits_have_ids)
{
  g_autoptr(CxLog) log = cx_log_new();
  g_autoptr(GString) s = g_string_new(NULL);
  /* a long wait after the successful end's step D: after success */
  for (guint i = 0; i < 8; i++)
    g_string_append_printf(s, "c%u A 0\nc%u B 1\nc%u D 2\nc%u Archive 200\n", i, i, i, i);
  CxFrictionOptions o;
  cx_friction_options_init(&o);
  const char *succ[] = { "D", NULL };
  o.success = succ;
  g_autoptr(CxFriction) f = cx_friction_new(log, &o);
  journeys_feed(log, s->str, cx_friction_add, f);
  ck_assert(cx_friction_finish(f, NULL));
  guint n;
  const CxFrictionWait *w = cx_friction_waits(f, &n);
  ck_assert_uint_eq(n, 1);
  ck_assert(w[0].after_success);
  ck_assert_str_eq(w[0].from, "D");
  ck_assert_str_eq(w[0].to, "Archive");
  ck_assert_str_eq(cx_pool_get(cx_log_activities(log), w[0].from_id), "D");
  ck_assert_str_eq(cx_pool_get(cx_log_activities(log), w[0].to_id), "Archive");
}
END_TEST

START_TEST(test_measure_names)
{
  ck_assert_ptr_null(cx_finding_measure_name(CX_FINDING_MEASURE_NONE));
  ck_assert_str_eq(cx_finding_measure_name(CX_FINDING_MEASURE_WAIT), "wait");
  ck_assert_str_eq(cx_finding_measure_name(CX_FINDING_MEASURE_SERVICE), "service");
  ck_assert_str_eq(cx_finding_measure_name(CX_FINDING_MEASURE_STEPS), "steps");
  ck_assert_str_eq(cx_finding_measure_name(CX_FINDING_MEASURE_TOUCHES), "touches");
  ck_assert_str_eq(cx_finding_measure_name(CX_FINDING_MEASURE_MANY), "many");
  ck_assert_str_eq(cx_finding_measure_name(CX_FINDING_MEASURE_SUCCESS_SHARE), "success_share");
  ck_assert_str_eq(cx_finding_measure_name(CX_FINDING_MEASURE_NEGATIVE_SHARE), "negative_share");
}
END_TEST

/* The DOT node id ("n3") of the activity labelled @name, or NULL. */
static char *
dot_node(const char *dot, const char *name)
{
  g_autofree char *label = g_strdup_printf(" [label=\"%s\\n", name);
  const char *p = strstr(dot, label);
  if (p == NULL)
    return NULL;
  const char *b = p;
  while (b > dot && b[-1] != ' ')
    b--;
  return g_strndup(b, (gsize)(p - b));
}

/* The DOT line of the edge from activity @a to @b, or NULL. */
static char *
dot_edge_line(const char *dot, const char *a, const char *b)
{
  g_autofree char *na = dot_node(dot, a);
  g_autofree char *nb = dot_node(dot, b);
  if (na == NULL || nb == NULL)
    return NULL;
  g_autofree char *head = g_strdup_printf("  %s -> %s [", na, nb);
  const char *p = strstr(dot, head);
  if (p == NULL)
    return NULL;
  const char *e = strchr(p, '\n');
  return g_strndup(p, e != NULL ? (gsize)(e - p) : strlen(p));
}

/* A finding marks its own edges and activities, in their direction: the
 * long wait A -> C is red, C -> A is not; the ping-pong's two edges are; a
 * drop-off marks its activity. */
START_TEST(test_map_marks_by_id)
{
  g_autoptr(CxLog) log = cx_log_new();
  g_autoptr(GString) s = g_string_new(NULL);
  for (guint i = 0; i < 6; i++) {
    g_string_append_printf(s, "a%u A 0\na%u B 1\na%u End 2\n", i, i, i);
    g_string_append_printf(s, "w%u A 0\nw%u C 100\nw%u End 101\n", i, i, i);
    g_string_append_printf(s, "r%u C 0\nr%u A 1\nr%u End 2\n", i, i, i);
    g_string_append_printf(s, "p%u P 0\np%u Q 1\np%u P 2\np%u Q 3\np%u End 30\n", i, i, i, i, i);
  }
  for (guint i = 0; i < 6; i++)
    g_string_append_printf(s, "d%u A 0\nd%u Stop 1\n", i, i);
  g_autoptr(CxFriction) f = run(log, s->str);
  g_autoptr(GString) dot = g_string_new(NULL);
  cx_friction_to_dot(f, dot, 0);
  guint n;
  const CxFinding *fs = cx_friction_findings(f, &n);
  gboolean seen[CX_FINDING_N_KINDS] = { FALSE };
  for (guint i = 0; i < n; i++)
    seen[fs[i].kind] = TRUE;
  ck_assert(seen[CX_FINDING_BOTTLENECK] && seen[CX_FINDING_PINGPONG] && seen[CX_FINDING_DROPOFF]);
  g_autofree char *ac = dot_edge_line(dot->str, "A", "C");
  g_autofree char *ca = dot_edge_line(dot->str, "C", "A");
  g_autofree char *pq = dot_edge_line(dot->str, "P", "Q");
  g_autofree char *qp = dot_edge_line(dot->str, "Q", "P");
  g_autofree char *ab = dot_edge_line(dot->str, "A", "B");
  ck_assert_ptr_nonnull(ac);
  ck_assert_ptr_nonnull(ca);
  ck_assert_ptr_nonnull(pq);
  ck_assert_ptr_nonnull(qp);
  ck_assert_ptr_nonnull(ab);
  ck_assert_ptr_nonnull(strstr(ac, "bottleneck"));
  ck_assert_ptr_nonnull(strstr(ac, "#d7301f"));
  ck_assert_ptr_nonnull(strstr(ca, "#888888"));
  ck_assert_ptr_nonnull(strstr(pq, "pingpong"));
  ck_assert_ptr_nonnull(strstr(pq, "#d7301f"));
  ck_assert_ptr_nonnull(strstr(qp, "#d7301f"));
  ck_assert_ptr_nonnull(strstr(ab, "#888888"));
  /* the drop-off's note is on its activity */
  ck_assert_ptr_nonnull(strstr(dot->str, "label=\"Stop\\n6\\n#"));
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("friction-ids");
  TCase *tc = tcase_create("ids");
  tcase_add_test(tc, test_ids_match_names);
  tcase_add_test(tc, test_waits_have_ids);
  tcase_add_test(tc, test_measure_names);
  tcase_add_test(tc, test_map_marks_by_id);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_ENV);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
