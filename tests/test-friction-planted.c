/* Friction against cxgen's planted frictions: each planted kind is found,
 * near the top of its kind, with the case count of the truth JSON; the
 * baseline log reports none of any kind.  Needs env CXGEN (the generator). */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>
#include "cxmine/friction.h"
#include "cxmine/timestamp.h"
#include "reader-private.h"
#include "test-util.h"

#define N_CASES "800"

static char *tmpdir;

static void
setup(void)
{
  tmpdir = test_tmpdir_new("cxfriction-XXXXXX");
}

static void
teardown(void)
{
  test_tmpdir_remove(tmpdir);
  g_clear_pointer(&tmpdir, g_free);
}

/* Runs cxgen with @plant (NULL = baseline); returns the CSV and truth texts. */
static void
generate(const char *plant, char **csv, char **truth)
{
  const char *args[]
      = { "--format", "csv", "--csv-order", "case", "--cases", N_CASES, plant ? "--plant" : NULL,
          plant,      NULL };
  g_free(test_cxgen_run(tmpdir, "log.csv", args, csv, truth));
}

/* The integer after "@key": following the planted entry of @kind. */
static gint64
truth_int(const char *truth, const char *kind, const char *key)
{
  g_autofree char *k = kind ? g_strdup_printf("\"kind\": \"%s\"", kind) : g_strdup("{");
  const char *p = strstr(truth, k);
  ck_assert_ptr_nonnull(p);
  g_autofree char *kk = g_strdup_printf("\"%s\": ", key);
  p = strstr(p, kk);
  ck_assert_ptr_nonnull(p);
  return g_ascii_strtoll(p + strlen(kk), NULL, 10);
}

static CxFriction *
analyse(CxLog *log, const char *plant, char **truth)
{
  g_autofree char *csv = NULL;
  generate(plant, &csv, truth);
  CxFriction *f = cx_friction_new(log, NULL);
  test_cxgen_feed_csv(log, csv, cx_friction_add, f);
  cx_friction_finish(f);
  return f;
}

static void
check_planted(const char *plant, CxFindingKind kind, const char *a, const char *b,
              const char *measure, const char *truth_key)
{
  if (g_getenv("CXGEN") == NULL)
    return;
  g_autoptr(CxLog) log = cx_log_new();
  g_autofree char *truth = NULL;
  g_autoptr(CxFriction) f = analyse(log, plant, &truth);
  const CxFinding *fd = NULL;
  guint n, r = 0, seen = 0;
  const CxFinding *fs = cx_friction_findings(f, &n);
  for (guint i = 0; i < n && r == 0; i++) {
    if (fs[i].kind != kind)
      continue;
    seen++;
    if ((a == NULL || g_strcmp0(fs[i].names[0], a) == 0)
        && (b == NULL || g_strcmp0(fs[i].names[1], b) == 0)
        && (measure == NULL || g_strcmp0(fs[i].measure, measure) == 0)) {
      fd = &fs[i];
      r = seen;
    }
  }
  ck_assert_msg(fd != NULL, "planted %s not found", plant);
  /* near the top: among the first three of its kind (a planted reopen loop
   * also repeats 'Propose solution' and 'Resolve', and those cost more) */
  ck_assert_msg(r <= 3, "planted %s ranked %u in its kind", plant, r);
  gint64 want = truth_int(truth, plant, truth_key);
  ck_assert_int_gt(want, 0);
  ck_assert_int_eq((gint64)fd->cases, want);
}

START_TEST(test_planted_bottleneck)
{
  check_planted("bottleneck", CX_FINDING_BOTTLENECK, "Assign agent", "Investigate", NULL, "cases");
}
END_TEST

/* The rework plant repeats 'Investigate' in place (rework) or reopens the
 * ticket (Resolve -> Reopen -> Investigate -> Propose solution -> Resolve):
 * one loop, entered at 'Investigate', and no rework of its other steps. */
START_TEST(test_planted_rework)
{
  check_planted("rework", CX_FINDING_REWORK, "Investigate", NULL, NULL, "self_loop_cases");
  if (g_getenv("CXGEN") == NULL)
    return;
  g_autoptr(CxLog) log = cx_log_new();
  g_autofree char *truth = NULL;
  g_autoptr(CxFriction) f = analyse(log, "rework", &truth);
  guint n;
  const CxFinding *fs = cx_friction_findings(f, &n), *loop = NULL;
  for (guint i = 0; i < n; i++) {
    if (fs[i].kind == CX_FINDING_LOOP)
      loop = &fs[i];
    ck_assert(fs[i].kind != CX_FINDING_REWORK || g_strcmp0(fs[i].names[0], "Investigate") == 0);
  }
  ck_assert_ptr_nonnull(loop);
  ck_assert_uint_eq(loop->n_names, 4);
  ck_assert_str_eq(loop->names[0], "Investigate");
  ck_assert_str_eq(loop->names[1], "Propose solution");
  ck_assert_str_eq(loop->names[2], "Resolve");
  ck_assert_str_eq(loop->names[3], "Reopen");
  ck_assert_int_eq((gint64)loop->cases, truth_int(truth, "rework", "cases")
                                            - truth_int(truth, "rework", "self_loop_cases"));
}
END_TEST

START_TEST(test_planted_pingpong)
{
  check_planted("pingpong", CX_FINDING_PINGPONG, "Document check", "Request more info", NULL,
                "cases");
}
END_TEST

START_TEST(test_planted_dropoff)
{
  check_planted("dropoff", CX_FINDING_DROPOFF, "Request info", NULL, NULL, "cases");
}
END_TEST

START_TEST(test_planted_channel_switch)
{
  check_planted("channel_switch", CX_FINDING_CHANNEL_SWITCH, NULL, NULL, "many", "cases");
}
END_TEST

START_TEST(test_planted_negative)
{
  check_planted("negative", CX_FINDING_NEGATIVE, "Complaint received", NULL, NULL,
                "complaint_cases");
  check_planted("negative", CX_FINDING_NEGATIVE, "Escalate to 2nd line", NULL, NULL,
                "escalation_cases");
}
END_TEST

START_TEST(test_planted_effort)
{
  check_planted("effort", CX_FINDING_EFFORT, NULL, NULL, "touches", "cases");
}
END_TEST

START_TEST(test_planted_inconsistency)
{
  check_planted("inconsistency", CX_FINDING_INCONSISTENCY, "Propose solution", "Resolve", NULL,
                "cases");
}
END_TEST

/* cxgen --lifecycle: start/complete pairs, read by the XES reader, so steps
 * have service times and waits run from one completion to the next start. */
static CxFriction *
analyse_lifecycle(CxLog *log, const char *plant, char **truth)
{
  const char *args[] = { "--lifecycle", "--cases", N_CASES, plant ? "--plant" : NULL, plant, NULL };
  g_autofree char *out = test_cxgen_run(tmpdir, "log.xes", args, NULL, truth);
  g_autoptr(GError) error = NULL;
  ck_assert_ptr_nonnull(strstr(*truth, "\"lifecycle\": true"));
  cx_log_add_source(log, out, CX_FORMAT_AUTO, NULL);
  CxFriction *f = cx_friction_new(log, NULL);
  ck_assert(cx_log_scan(log, cx_friction_add, cx_friction_reset, f, &error));
  cx_friction_finish(f);
  ck_assert_int_eq((gint64)cx_log_counts(log)->events_read, truth_int(*truth, NULL, "events"));
  return f;
}

static void
check_lifecycle(const char *plant, CxFindingKind kind, const char *a, const char *b)
{
  if (g_getenv("CXGEN") == NULL)
    return;
  g_autoptr(CxLog) log = cx_log_new();
  g_autofree char *truth = NULL;
  g_autoptr(CxFriction) f = analyse_lifecycle(log, plant, &truth);
  guint n, seen = 0;
  const CxFinding *fs = cx_friction_findings(f, &n), *fd = NULL;
  for (guint i = 0; i < n && fd == NULL; i++)
    if (fs[i].kind == kind && ++seen && g_strcmp0(fs[i].names[0], a) == 0
        && g_strcmp0(fs[i].names[1], b) == 0)
      fd = &fs[i];
  ck_assert_msg(fd != NULL, "planted %s not found with lifecycles", plant);
  ck_assert_uint_le(seen, 2);
  ck_assert_str_eq(fd->measure, "wait");
  ck_assert_int_eq((gint64)fd->cases, truth_int(truth, plant, "cases"));
}

START_TEST(test_lifecycle_baseline_reports_nothing)
{
  if (g_getenv("CXGEN") == NULL)
    return;
  g_autoptr(CxLog) log = cx_log_new();
  g_autofree char *truth = NULL;
  g_autoptr(CxFriction) f = analyse_lifecycle(log, NULL, &truth);
  guint n;
  const CxFinding *fs = cx_friction_findings(f, &n);
  for (guint i = 0; i < n; i++) {
    /* the designed wait before 'Resolve' (18 h, where a step waits about
     * 2 h) holds half of all waiting: always reported, with its share */
    if (fs[i].kind == CX_FINDING_BOTTLENECK && g_strcmp0(fs[i].names[0], "Propose solution") == 0
        && g_strcmp0(fs[i].names[1], "Resolve") == 0 && fs[i].wait_share >= 0.25)
      continue;
    g_autofree char *t = cx_finding_describe(&fs[i], cx_friction_n_cases(f));
    ck_assert_msg(FALSE, "baseline finding: %s", t);
  }
  ck_assert_uint_eq(cx_friction_n_cases(f), 800);
}
END_TEST

START_TEST(test_lifecycle_planted_bottleneck)
{
  check_lifecycle("bottleneck", CX_FINDING_BOTTLENECK, "Assign agent", "Investigate");
}
END_TEST

START_TEST(test_lifecycle_planted_inconsistency)
{
  check_lifecycle("inconsistency", CX_FINDING_INCONSISTENCY, "Propose solution", "Resolve");
}
END_TEST

START_TEST(test_baseline_reports_nothing)
{
  if (g_getenv("CXGEN") == NULL)
    return;
  g_autoptr(CxLog) log = cx_log_new();
  g_autofree char *truth = NULL;
  g_autoptr(CxFriction) f = analyse(log, NULL, &truth);
  guint n;
  const CxFinding *fs = cx_friction_findings(f, &n);
  for (guint i = 0; i < n; i++) {
    /* the designed wait before 'Resolve' (18 h, where a step waits about
     * 2 h) holds half of all waiting: always reported, with its share */
    if (fs[i].kind == CX_FINDING_BOTTLENECK && g_strcmp0(fs[i].names[0], "Propose solution") == 0
        && g_strcmp0(fs[i].names[1], "Resolve") == 0 && fs[i].wait_share >= 0.25)
      continue;
    g_autofree char *t = cx_finding_describe(&fs[i], cx_friction_n_cases(f));
    ck_assert_msg(FALSE, "baseline finding: %s", t);
  }
  ck_assert_uint_eq(cx_friction_n_cases(f), 800);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("friction-planted");
  TCase *tc = tcase_create("planted");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, test_baseline_reports_nothing);
  tcase_add_test(tc, test_planted_bottleneck);
  tcase_add_test(tc, test_planted_rework);
  tcase_add_test(tc, test_planted_pingpong);
  tcase_add_test(tc, test_planted_dropoff);
  tcase_add_test(tc, test_planted_channel_switch);
  tcase_add_test(tc, test_planted_negative);
  tcase_add_test(tc, test_planted_effort);
  tcase_add_test(tc, test_planted_inconsistency);
  tcase_add_test(tc, test_lifecycle_baseline_reports_nothing);
  tcase_add_test(tc, test_lifecycle_planted_bottleneck);
  tcase_add_test(tc, test_lifecycle_planted_inconsistency);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_ENV);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
