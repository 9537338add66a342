/* Tests for friction: each kind on small hand-made journeys, with exact
 * counts, and a clean log that reports none. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include "cxmine/friction.h"
#include "journeys.h"

#define H 3600.0

static CxFriction *
run(CxLog *log, const char *text, const CxFrictionOptions *opts)
{
  CxFriction *f = cx_friction_new(log, opts);
  journeys_feed(log, text, cx_friction_add, f);
  ck_assert(cx_friction_finish(f, NULL));
  return f;
}

static void
small_opts(CxFrictionOptions *o)
{
  cx_friction_options_init(o);
  o->min_cases = 2;
  o->min_share = 0;
  o->inconsistency_min_samples = 5;
}

static gboolean
is(const CxFinding *fd, CxFindingKind kind, const char *a, const char *b)
{
  return fd->kind == kind && g_strcmp0(fd->names[0], a) == 0 && g_strcmp0(fd->names[1], b) == 0;
}

/* A listed finding, or one folded into a listed one. */
static const CxFinding *
find(CxFriction *f, CxFindingKind kind, const char *a, const char *b)
{
  guint n;
  const CxFinding *fs = cx_friction_findings(f, &n);
  for (guint i = 0; i < n; i++) {
    if (is(&fs[i], kind, a, b))
      return &fs[i];
    for (guint k = 0; k < fs[i].n_also; k++)
      if (is(&fs[i].also[k], kind, a, b))
        return &fs[i].also[k];
  }
  return NULL;
}

/* Listed findings of @kind, and those folded into them. */
static guint
count_kind(CxFriction *f, CxFindingKind kind)
{
  guint n, k = 0;
  const CxFinding *fs = cx_friction_findings(f, &n);
  for (guint i = 0; i < n; i++) {
    k += fs[i].kind == kind;
    for (guint x = 0; x < fs[i].n_also; x++)
      k += fs[i].also[x].kind == kind;
  }
  return k;
}

/* @n cases "A B C D", one hour apart, prefix @prefix. */
static void
clean_cases(GString *s, const char *prefix, guint n)
{
  for (guint i = 0; i < n; i++)
    g_string_append_printf(s, "%s%u A 0 r1\n%s%u B 1 r1\n%s%u C 2 r1\n%s%u D 3 r1\n", prefix, i,
                           prefix, i, prefix, i, prefix, i);
}

START_TEST(test_clean_log_has_no_friction)
{
  g_autoptr(CxLog) log = cx_log_new();
  g_autoptr(GString) s = g_string_new(NULL);
  clean_cases(s, "c", 12);
  CxFrictionOptions o;
  small_opts(&o);
  g_autoptr(CxFriction) f = run(log, s->str, &o);
  guint n;
  cx_friction_findings(f, &n);
  ck_assert_uint_eq(n, 0);
  ck_assert_uint_eq(cx_friction_n_cases(f), 12);
  guint64 succ, drop, open;
  cx_friction_outcomes(f, &succ, &drop, &open);
  ck_assert_uint_eq(succ, 12);
}
END_TEST

START_TEST(test_rework)
{
  g_autoptr(CxLog) log = cx_log_new();
  g_autoptr(GString) s = g_string_new(NULL);
  clean_cases(s, "c", 10);
  /* 3 cases repeat B (self-loop), one of them twice */
  g_string_append(s, "r1 A 0\nr1 B 1\nr1 B 2\nr1 C 3\nr1 D 4\n"
                     "r2 A 0\nr2 B 1\nr2 B 2\nr2 C 3\nr2 D 4\n"
                     "r3 A 0\nr3 B 1\nr3 B 2\nr3 B 3\nr3 C 4\nr3 D 5\n");
  CxFrictionOptions o;
  small_opts(&o);
  g_autoptr(CxFriction) f = run(log, s->str, &o);
  const CxFinding *fd = find(f, CX_FINDING_REWORK, "B", NULL);
  ck_assert_ptr_nonnull(fd);
  ck_assert_uint_eq(fd->cases, 3);
  ck_assert_uint_eq(fd->occurrences, 4);
  ck_assert_double_eq_tol(fd->share, 3.0 / 13, 1e-12);
  ck_assert_double_eq_tol(fd->median_with_s, 4 * H, 1e-6);
  ck_assert_double_eq_tol(fd->median_without_s, 3 * H, 1e-6);
  ck_assert_double_eq_tol(fd->extra_time_s, 3 * H, 1e-6);
  ck_assert_uint_eq(count_kind(f, CX_FINDING_REWORK), 1);
  ck_assert_uint_eq(count_kind(f, CX_FINDING_PINGPONG), 0);
  g_autofree char *text = cx_finding_describe(fd, 13);
  ck_assert_str_eq(text, "Rework: 'B' is repeated in 3 cases (23%), 4 extra times. Those cases "
                         "take 1 h longer (median 4 h vs 3 h) and end successfully as often as "
                         "the others (100% vs 100%).");
}
END_TEST

START_TEST(test_pingpong)
{
  g_autoptr(CxLog) log = cx_log_new();
  g_autoptr(GString) s = g_string_new(NULL);
  clean_cases(s, "c", 10);
  g_string_append(s, "p1 A 0\np1 B 1\np1 C 2\np1 B 3\np1 C 4\np1 D 5\n"
                     "p2 A 0\np2 B 1\np2 C 2\np2 B 3\np2 D 4\n"
                     "p3 A 0\np3 B 1\np3 C 2\np3 B 3\np3 C 4\np3 B 5\np3 C 6\np3 D 7\n");
  CxFrictionOptions o;
  small_opts(&o);
  g_autoptr(CxFriction) f = run(log, s->str, &o);
  const CxFinding *fd = find(f, CX_FINDING_PINGPONG, "B", "C");
  ck_assert_ptr_nonnull(fd);
  ck_assert_uint_eq(fd->cases, 3);
  /* returns along the cycle: p1 2, p2 1, p3 4 */
  ck_assert_uint_eq(fd->occurrences, 7);
  ck_assert_uint_eq(count_kind(f, CX_FINDING_PINGPONG), 1);
}
END_TEST

START_TEST(test_dropoff_and_open)
{
  g_autoptr(CxLog) log = cx_log_new();
  g_autoptr(GString) s = g_string_new(NULL);
  clean_cases(s, "c", 10);
  g_string_append(s, "d1 A 0\nd1 B 1\nd2 A 0\nd2 B 2\nd3 A 0\nd3 B 3\n"
                     "o1 A 0\no1 B 100\n"); /* o1 is open: the log ends at 100 h */
  CxFrictionOptions o;
  small_opts(&o);
  const char *succ[] = { "D", NULL };
  o.success = succ;
  o.open_after_us = (gint64)(10 * H) * CX_USEC_PER_SEC;
  g_autoptr(CxFriction) f = run(log, s->str, &o);
  const CxFinding *fd = find(f, CX_FINDING_DROPOFF, "B", NULL);
  ck_assert_ptr_nonnull(fd);
  ck_assert_uint_eq(fd->cases, 3);
  /* they lost three customers and were quicker than the others: no extra time */
  ck_assert_uint_eq(fd->customers_lost, 3);
  ck_assert_double_eq_tol(fd->extra_time_s, 0, 1e-12);
  ck_assert_double_eq_tol(fd->success_with, 0, 1e-12);
  ck_assert_double_eq_tol(fd->success_without, 1, 1e-12);
  ck_assert_uint_eq(count_kind(f, CX_FINDING_DROPOFF), 1);
  guint64 sc, dr, op;
  cx_friction_outcomes(f, &sc, &dr, &op);
  ck_assert_uint_eq(sc, 10);
  ck_assert_uint_eq(dr, 3);
  ck_assert_uint_eq(op, 1);
}
END_TEST

START_TEST(test_negative)
{
  g_autoptr(CxLog) log = cx_log_new();
  g_autoptr(GString) s = g_string_new(NULL);
  clean_cases(s, "c", 10);
  g_string_append(s, "n1 A 0\nn1 B 1\nn1 File_complaint 2\nn1 D 5\n"
                     "n2 A 0\nn2 B 1\nn2 File_complaint 2\nn2 D 5\n"
                     "n3 A 0\nn3 File_complaint 1\nn3 D 5\n");
  CxFrictionOptions o;
  small_opts(&o);
  g_autoptr(CxFriction) f = run(log, s->str, &o);
  const CxFinding *fd = find(f, CX_FINDING_NEGATIVE, "File complaint", NULL);
  ck_assert_ptr_nonnull(fd);
  ck_assert_uint_eq(fd->cases, 3);
  ck_assert_uint_eq(fd->occurrences, 3);
  ck_assert_str_eq(fd->preceding, "B");
  ck_assert_uint_eq(fd->preceding_count, 2);
  ck_assert_uint_eq(count_kind(f, CX_FINDING_NEGATIVE), 1);
  /* custom patterns replace the defaults */
  g_autoptr(CxLog) log2 = cx_log_new();
  const char *neg[] = { "*b*", NULL };
  o.negative = neg;
  g_autoptr(CxFriction) f2 = run(log2, s->str, &o);
  ck_assert_ptr_null(find(f2, CX_FINDING_NEGATIVE, "File complaint", NULL));
  /* 'B' is in every case: a negative that costs nothing is not listed */
  ck_assert_ptr_null(find(f2, CX_FINDING_NEGATIVE, "B", NULL));
}
END_TEST

START_TEST(test_channel_switch)
{
  g_autoptr(CxLog) log = cx_log_new();
  g_autoptr(GString) s = g_string_new(NULL);
  for (guint i = 0; i < 10; i++)
    g_string_append_printf(s, "c%u A 0 - web\nc%u B 1 - web\nc%u D 2 - web\n", i, i, i);
  g_string_append(s, "s1 A 0 - web\ns1 B 1 - phone\ns1 D 2 - web\n"
                     "s2 A 0 - web\ns2 B 5 - phone\ns2 D 6 - phone\n"
                     "s3 A 0 - web\ns3 B 1 - phone\ns3 C 2 - web\ns3 B 3 - phone\ns3 D 4 - web\n");
  CxFrictionOptions o;
  small_opts(&o);
  g_autoptr(CxFriction) f = run(log, s->str, &o);
  /* only s3 switches 3 times or more, and a finding needs 2 cases: no
   * hopping; web -> phone loses nobody: a hand-off, not friction */
  ck_assert_ptr_null(find(f, CX_FINDING_CHANNEL_SWITCH, NULL, NULL));
  ck_assert_ptr_null(find(f, CX_FINDING_CHANNEL_SWITCH, "web", "phone"));
  guint nm;
  const CxChannelSwitch *m = cx_friction_channel_matrix(f, &nm);
  ck_assert_uint_eq(nm, 2);
  ck_assert_str_eq(m[0].from, "web");
  ck_assert_str_eq(m[0].to, "phone");
  ck_assert_uint_eq(m[0].count, 4);
  ck_assert_uint_eq(m[0].cases, 3);
  ck_assert_double_eq_tol(m[0].median_wait_s, 1 * H, 1e-6);
  ck_assert_uint_eq(m[1].count, 3);
  ck_assert_uint_eq(m[1].cases, 2);

  g_autoptr(CxLog) log2 = cx_log_new();
  g_string_append(s, "s4 A 0 - web\ns4 B 1 - chat\ns4 C 2 - web\ns4 D 9 - email\n");
  g_autoptr(CxFriction) f2 = run(log2, s->str, &o);
  const CxFinding *fd = find(f2, CX_FINDING_CHANNEL_SWITCH, NULL, NULL);
  ck_assert_ptr_nonnull(fd);
  ck_assert_uint_eq(fd->cases, 2);
  ck_assert_uint_eq(fd->occurrences, 7);
  ck_assert_double_eq_tol(fd->median_with_s, 6.5 * H, 1e-6);
  ck_assert_double_eq_tol(fd->median_without_s, 2 * H, 1e-6);
  ck_assert_double_eq_tol(fd->extra_time_s, 2 * 4.5 * H, 1e-6);
}
END_TEST

START_TEST(test_effort)
{
  g_autoptr(CxLog) log = cx_log_new();
  g_autoptr(GString) s = g_string_new(NULL);
  clean_cases(s, "c", 10);
  for (guint k = 0; k < 2; k++) {
    for (guint i = 0; i < 9; i++)
      g_string_append_printf(s, "e%u X%u %u r%u\n", k, i, i, i);
  }
  CxFrictionOptions o;
  small_opts(&o);
  g_autoptr(CxFriction) f = run(log, s->str, &o);
  const CxFinding *fd = find(f, CX_FINDING_EFFORT, NULL, NULL);
  ck_assert_ptr_nonnull(fd);
  ck_assert_str_eq(fd->measure, "steps");
  ck_assert_uint_eq(fd->cases, 2);
  ck_assert_double_eq_tol(fd->threshold, 8, 1e-12);
  ck_assert_uint_eq(count_kind(f, CX_FINDING_EFFORT), 2); /* touches too: 9 resources vs 1 */
}
END_TEST

START_TEST(test_bottleneck_and_inconsistency)
{
  g_autoptr(CxLog) log = cx_log_new();
  g_autoptr(GString) s = g_string_new(NULL);
  /* C -> D waits 20 h in every case; A -> B waits 1 h except 3 cases (20 h) */
  for (guint i = 0; i < 12; i++) {
    double ab = i < 3 ? 20 : 1;
    g_string_append_printf(s, "c%u A 0\nc%u B %g\nc%u C %g\nc%u D %g\n", i, i, ab, i, ab + 1, i,
                           ab + 21);
  }
  CxFrictionOptions o;
  small_opts(&o);
  g_autoptr(CxFriction) f = run(log, s->str, &o);
  const CxFinding *fd = find(f, CX_FINDING_BOTTLENECK, "C", "D");
  ck_assert_ptr_nonnull(fd);
  ck_assert_uint_eq(fd->cases, 12);
  ck_assert_double_eq_tol(fd->median_s, 20 * H, 1e-6);
  ck_assert_double_eq_tol(fd->typical, 1 * H, 1e-6);
  /* every case waits there: no case without it to compare with, so no
   * extra time; listed anyway for its 75% of all waiting */
  ck_assert_double_eq_tol(fd->extra_time_s, 0, 1e-6);
  ck_assert_double_eq_tol(fd->wait_share, 240.0 / (240 + 9 + 60 + 12), 1e-9);
  ck_assert_uint_eq(count_kind(f, CX_FINDING_BOTTLENECK), 1);
  fd = find(f, CX_FINDING_INCONSISTENCY, "A", "B");
  ck_assert_ptr_nonnull(fd);
  ck_assert_uint_eq(fd->cases, 3);
  ck_assert_double_eq_tol(fd->threshold, 20, 1e-9);
  ck_assert_uint_eq(count_kind(f, CX_FINDING_INCONSISTENCY), 1);
  /* ranked: the slow A -> B cases cost 3 x 19 h, the bottleneck nothing */
  ck_assert_double_eq_tol(fd->extra_time_s, 3 * 19 * H, 1e-6);
  guint n;
  const CxFinding *fs = cx_friction_findings(f, &n);
  ck_assert_int_eq(fs[0].kind, CX_FINDING_INCONSISTENCY);
  for (guint i = 1; i < n; i++)
    ck_assert(fs[i - 1].score >= fs[i].score);
}
END_TEST

/* Service times (start..end): 'B' itself takes 20 h where a step takes
 * 1 h; 'D' takes 1 h but 20 h in 3 cases.  No waits between steps. */
START_TEST(test_service_time)
{
  g_autoptr(CxLog) log = cx_log_new();
  g_autoptr(GString) s = g_string_new(NULL);
  for (guint i = 0; i < 12; i++)
    g_string_append_printf(s, "c%u A 0..1\nc%u B 1..21\nc%u C 21..22\nc%u D 22..%d\n", i, i, i, i,
                           i < 3 ? 42 : 23);
  CxFrictionOptions o;
  small_opts(&o);
  g_autoptr(CxFriction) f = run(log, s->str, &o);
  const CxFinding *fd = find(f, CX_FINDING_BOTTLENECK, "B", NULL);
  ck_assert_ptr_nonnull(fd);
  ck_assert_str_eq(fd->measure, "service");
  ck_assert_uint_eq(fd->cases, 12);
  ck_assert_uint_eq(fd->occurrences, 12);
  ck_assert_double_eq_tol(fd->median_s, 20 * H, 1e-6);
  ck_assert_double_eq_tol(fd->typical, 1 * H, 1e-6);
  ck_assert_double_eq_tol(fd->extra_time_s, 0, 1e-6);
  ck_assert_double_eq_tol(fd->wait_share, 240.0 / (240 + 12 + 12 + 9 + 60), 1e-9);
  ck_assert_uint_eq(count_kind(f, CX_FINDING_BOTTLENECK), 1);
  g_autofree char *text = cx_finding_describe(fd, 12);
  ck_assert_str_eq(text, "Bottleneck: 'B' itself takes long in 12 cases (100%): median 20 h, p90 "
                         "20 h (the other steps: median 1 h); 72% of all service time.");
  fd = find(f, CX_FINDING_INCONSISTENCY, "D", NULL);
  ck_assert_ptr_nonnull(fd);
  ck_assert_str_eq(fd->measure, "service");
  ck_assert_uint_eq(fd->cases, 3);
  ck_assert_double_eq_tol(fd->median_s, 1 * H, 1e-6);
  ck_assert_double_eq_tol(fd->threshold, 20, 1e-9);
  ck_assert_double_eq_tol(fd->median_with_s, 42 * H, 1e-6);
  ck_assert_double_eq_tol(fd->median_without_s, 23 * H, 1e-6);
  ck_assert_double_eq_tol(fd->extra_time_s, 3 * 19 * H, 1e-6);
  ck_assert_uint_eq(count_kind(f, CX_FINDING_INCONSISTENCY), 1);
  /* waits are all zero: no wait finding */
  guint n;
  const CxFinding *fs = cx_friction_findings(f, &n);
  for (guint i = 0; i < n; i++)
    ck_assert_str_eq(fs[i].measure, "service");
  ck_assert_uint_eq(n, 2);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("friction");
  TCase *tc = tcase_create("kinds");
  tcase_add_test(tc, test_clean_log_has_no_friction);
  tcase_add_test(tc, test_rework);
  tcase_add_test(tc, test_pingpong);
  tcase_add_test(tc, test_dropoff_and_open);
  tcase_add_test(tc, test_negative);
  tcase_add_test(tc, test_channel_switch);
  tcase_add_test(tc, test_effort);
  tcase_add_test(tc, test_bottleneck_and_inconsistency);
  tcase_add_test(tc, test_service_time);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_ENV);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
