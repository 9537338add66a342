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
  ck_assert(cx_friction_finish(f, NULL));
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
  ck_assert(cx_friction_finish(f, NULL));
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

/* ---------- the later plants, read from XES ---------- */

/* Generates an XES log with @args and analyses it with @opts (NULL =
 * defaults); returns the analysis and the truth. */
static CxFriction *
analyse_xes(CxLog *log, const char *const *args, const CxFrictionOptions *opts, char **truth)
{
  g_autofree char *out = test_cxgen_run(tmpdir, "log.xes", args, NULL, truth);
  g_autoptr(GError) error = NULL;
  cx_log_add_source(log, out, CX_FORMAT_AUTO, NULL);
  CxFriction *f = cx_friction_new(log, opts);
  ck_assert(cx_log_scan(log, cx_friction_add, cx_friction_reset, f, &error));
  ck_assert(cx_friction_finish(f, NULL));
  return f;
}

static const CxFinding *
find_in(const CxFinding *fs, guint n, CxFindingKind kind, const char *a, int *rank)
{
  for (guint i = 0; i < n; i++)
    if (fs[i].kind == kind && (a == NULL || g_strcmp0(fs[i].names[0], a) == 0)) {
      if (rank != NULL)
        *rank = (int)i;
      return &fs[i];
    }
  return NULL;
}

static const char *const later_args[]
    = { "--cases", "1500",           "--seed",  "4",           "--plant",        "loop",
        "--plant", "repeat_contact", "--plant", "handoff",     "--plant",        "drift",
        "--plant", "abandon",        "--plant", "dropoff:0.3", "--satisfaction", NULL };

/* Every later plant is found (or set apart) as planted, and ranked by its
 * cost: the drop-offs (customers lost) first, then by extra time. */
START_TEST(test_planted_later_kinds)
{
  if (g_getenv("CXGEN") == NULL)
    return;
  g_autoptr(CxLog) log = cx_log_new();
  g_autofree char *truth = NULL;
  g_autoptr(CxFriction) f = analyse_xes(log, later_args, NULL, &truth);
  guint n;
  const CxFinding *fs = cx_friction_findings(f, &n);
  int r_loop = -1, r_rc = -1, r_drop = -1;
  /* the 3-step loop with its detours: one loop from its entry step */
  const CxFinding *loop = find_in(fs, n, CX_FINDING_LOOP, "Document check", &r_loop);
  ck_assert_ptr_nonnull(loop);
  ck_assert_uint_eq(loop->n_names, 3);
  ck_assert_str_eq(loop->names[1], "Request more info");
  ck_assert_str_eq(loop->names[2], "Upload documents");
  ck_assert_int_eq((gint64)loop->cases, truth_int(truth, "loop", "cases"));
  ck_assert_ptr_null(find_in(fs, n, CX_FINDING_REWORK, NULL, NULL));
  /* repeat contacts on another channel */
  const CxFinding *rc = find_in(fs, n, CX_FINDING_REPEAT_CONTACT, "Submit request", &r_rc);
  ck_assert_ptr_nonnull(rc);
  ck_assert_int_eq((gint64)rc->cases, truth_int(truth, "repeat_contact", "cases"));
  /* early abandonment: drop-offs right after the start, ranked by the
   * customers they lose above every pattern that only costs time */
  guint64 abandoned = 0;
  for (guint i = 0; i < n; i++)
    if (fs[i].kind == CX_FINDING_DROPOFF
        && (g_strcmp0(fs[i].names[0], "Submit request") == 0
            || g_strcmp0(fs[i].names[0], "Auto-acknowledge") == 0)) {
      abandoned += fs[i].customers_lost;
      ck_assert_int_lt((int)i, r_loop);
    }
  ck_assert_int_eq((gint64)abandoned, truth_int(truth, "abandon", "cases"));
  ck_assert_ptr_nonnull(find_in(fs, n, CX_FINDING_DROPOFF, "Request info", &r_drop));
  ck_assert_int_eq(r_drop, 0);
  /* the designed hand-off is no friction: it goes with success */
  for (guint i = 0; i < n; i++)
    ck_assert(fs[i].kind != CX_FINDING_CHANNEL_SWITCH);
  guint nw;
  const CxFinding *ws = cx_friction_with_success(f, &nw);
  gboolean handoff = FALSE;
  for (guint i = 0; i < nw; i++)
    handoff |= ws[i].kind == CX_FINDING_CHANNEL_SWITCH && ws[i].n_names == 2
               && g_strcmp0(ws[i].names[0], "back office") == 0
               && g_strcmp0(ws[i].names[1], "email") == 0;
  ck_assert(handoff);
  /* drift: the wait before 'Propose solution' grows */
  gboolean drift = FALSE;
  for (guint i = 0; i < n; i++)
    drift |= fs[i].kind == CX_FINDING_DRIFT && fs[i].n_names == 2
             && g_strcmp0(fs[i].names[1], "Propose solution") == 0
             && fs[i].level_end > 1.25 * fs[i].level_start;
  ck_assert(drift);
  /* the ranking rule: customers lost, then extra time */
  for (guint i = 1; i < n; i++)
    ck_assert(fs[i - 1].customers_lost > fs[i].customers_lost
              || (fs[i - 1].customers_lost == fs[i].customers_lost
                  && fs[i - 1].extra_time_s >= fs[i].extra_time_s));
  ck_assert_int_lt(r_loop, r_rc); /* the loop costs more time */
}
END_TEST

/* What customers said: the loop's customers are less satisfied, and
 * --rank satisfaction puts it first. */
START_TEST(test_planted_satisfaction)
{
  if (g_getenv("CXGEN") == NULL)
    return;
  g_autoptr(CxLog) log = cx_log_new();
  g_autofree char *truth = NULL;
  CxFrictionOptions o;
  cx_friction_options_init(&o);
  o.satisfaction_key = "csat";
  o.rank = CX_FRICTION_RANK_SATISFACTION;
  g_autoptr(CxFriction) f = analyse_xes(log, later_args, &o, &truth);
  ck_assert_uint_eq(cx_friction_n_scored(f), 1500);
  guint n;
  const CxFinding *fs = cx_friction_findings(f, &n);
  const CxFinding *loop = find_in(fs, n, CX_FINDING_LOOP, "Document check", NULL);
  ck_assert_ptr_nonnull(loop);
  ck_assert(loop->satisfaction_with < loop->satisfaction_without - 1);
  for (guint i = 1; i < n; i++)
    ck_assert(fs[i - 1].score >= fs[i].score);
  ck_assert(fs[0].kind == CX_FINDING_DROPOFF || fs[0].kind == CX_FINDING_LOOP);
}
END_TEST

/* Stationary logs over several seeds give no drift. */
START_TEST(test_no_drift_over_seeds)
{
  if (g_getenv("CXGEN") == NULL)
    return;
  const char *seeds[] = { "2", "3", "5", "8" };
  for (guint k = 0; k < G_N_ELEMENTS(seeds); k++) {
    const char *args[] = { "--cases", "1500",   "--seed",  seeds[k],  "--plant", "dropoff",
                           "--plant", "rework", "--plant", "handoff", NULL };
    g_autoptr(CxLog) log = cx_log_new();
    g_autofree char *truth = NULL;
    g_autoptr(CxFriction) f = analyse_xes(log, args, NULL, &truth);
    guint n;
    const CxFinding *fs = cx_friction_findings(f, &n);
    for (guint i = 0; i < n; i++) {
      g_autofree char *t = cx_finding_describe(&fs[i], 0);
      ck_assert_msg(fs[i].kind != CX_FINDING_DRIFT, "seed %s: %s", seeds[k], t);
    }
  }
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("friction-planted");
  TCase *tc = tcase_create("planted");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 120);
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
  tcase_add_test(tc, test_planted_later_kinds);
  tcase_add_test(tc, test_planted_satisfaction);
  tcase_add_test(tc, test_no_drift_over_seeds);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_ENV);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
