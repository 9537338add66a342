/* compare against cxgen's planted before/after changes: BEFORE is one seed,
 * AFTER another seed with --change; the truth JSON of AFTER names the
 * changed edges and the untouched ones.  The changed ones must come out
 * significant in the right direction, the untouched ones not; two seeds
 * without a change must show no significant path at all.  Needs env CXGEN. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>
#include "cxmine/compare.h"
#include "cxmine/friction.h"
#include "cxmine/timestamp.h"
#include "reader-private.h"
#include "test-util.h"

#define N_CASES "1000"

static char *tmpdir;

static void
setup(void)
{
  tmpdir = test_tmpdir_new("cxcompare-XXXXXX");
}

static void
teardown(void)
{
  test_tmpdir_remove(tmpdir);
  g_clear_pointer(&tmpdir, g_free);
}

/* Runs cxgen --plant rework with @seed and @change (NULL = none). */
static void
generate_n(const char *cases, const char *seed, const char *change, char **csv, char **truth)
{
  const char *args[] = { "--format",
                         "csv",
                         "--cases",
                         cases,
                         "--csv-order",
                         "case",
                         "--seed",
                         seed,
                         "--plant",
                         "rework",
                         change ? "--change" : NULL,
                         change,
                         NULL };
  g_free(test_cxgen_run(tmpdir, "log.csv", args, csv, truth));
}

static void
generate(const char *seed, const char *change, char **csv, char **truth)
{
  generate_n(N_CASES, seed, change, csv, truth);
}

/* One log with its friction analysis and its compare side. */
typedef struct {
  CxLog *log;
  CxFriction *friction;
  CxCompareSide *side;
} Side;

static gboolean
both(const CxJourney *j, gpointer data, GError **error)
{
  Side *s = data;
  return cx_friction_add(j, s->friction, error) && cx_compare_side_add(j, s->side, error);
}

/* Feeds cxgen's CSV to a new side. */
static void
side_load(Side *s, const char *csv)
{
  s->log = cx_log_new();
  s->friction = cx_friction_new(s->log, NULL);
  s->side = cx_compare_side_new(s->log);
  cx_compare_side_set_friction(s->side, s->friction);
  test_cxgen_feed_csv(s->log, csv, both, s);
  ck_assert(cx_friction_finish(s->friction, NULL));
}

static void
side_clear(Side *s)
{
  cx_compare_side_free(s->side);
  cx_friction_free(s->friction);
  cx_log_free(s->log);
}

/* The pairs ["A", "B"] of the list after "@key": [ in @truth, as from, to, from, to... */
static GPtrArray *
truth_pairs(const char *truth, const char *key)
{
  GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
  g_autofree char *k = g_strdup_printf("\"%s\": [", key);
  const char *p = strstr(truth, k);
  ck_assert_msg(p != NULL, "%s missing from the truth", key);
  p += strlen(k);
  for (;;) {
    p += strspn(p, " \n\r\t,");
    if (*p == ']' || *p == '\0')
      break;
    ck_assert_int_eq(*p, '[');
    for (int i = 0; i < 2; i++) {
      const char *q0 = strchr(p, '"');
      ck_assert_ptr_nonnull(q0);
      const char *q1 = strchr(q0 + 1, '"');
      ck_assert_ptr_nonnull(q1);
      g_ptr_array_add(out, g_strndup(q0 + 1, q1 - q0 - 1));
      p = q1 + 1;
    }
    p = strchr(p, ']');
    ck_assert_ptr_nonnull(p);
    p++;
  }
  return out;
}

typedef struct {
  Side s[2];
  CxCompare *c;
  char *truth;
} Run;

/* BEFORE and AFTER are independent samples (different seeds); the seeds
 * are fixed, so the outcome is too.  (Seeds 1 and 2 happen to differ in
 * their reopen rate by 2.9 standard errors, 68 vs 107 of 1,000 journeys,
 * which a 5% false discovery rate may rightly flag: see test_no_change for
 * how often that happens.) */
static void
run(Run *r, const char *after_seed, const char *change)
{
  g_autofree char *csv0 = NULL, *csv1 = NULL, *truth0 = NULL;
  generate("3", NULL, &csv0, &truth0);
  generate(after_seed, change, &csv1, &r->truth);
  side_load(&r->s[0], csv0);
  side_load(&r->s[1], csv1);
  r->c = cx_compare_new(r->s[0].side, r->s[1].side, NULL);
}

static void
run_clear(Run *r)
{
  cx_compare_free(r->c);
  side_clear(&r->s[0]);
  side_clear(&r->s[1]);
  g_free(r->truth);
}

static gboolean
listed(GPtrArray *pairs, const char *from, const char *to)
{
  for (guint i = 0; i + 1 < pairs->len; i += 2)
    if (strcmp(g_ptr_array_index(pairs, i), from) == 0
        && strcmp(g_ptr_array_index(pairs, i + 1), to) == 0)
      return TRUE;
  return FALSE;
}

/* Every untouched edge of the truth (but those in @skip) is present, and
 * at most @allowed of them show a significant change: a 5% false discovery
 * rate lets a few chance differences through when many real changes lower
 * the Benjamini-Hochberg bar (step-removed: about 30 real discoveries). */
static void
assert_untouched(Run *r, GPtrArray *skip, guint allowed)
{
  guint flagged = 0;
  g_autoptr(GString) which = g_string_new(NULL);
  g_autoptr(GPtrArray) same = truth_pairs(r->truth, "untouched_edges");
  ck_assert_uint_ge(same->len, 2 * 10);
  for (guint i = 0; i + 1 < same->len; i += 2) {
    const char *from = g_ptr_array_index(same, i), *to = g_ptr_array_index(same, i + 1);
    if (skip && listed(skip, from, to))
      continue;
    const CxCompareItem *it = cx_compare_find(r->c, from, to);
    ck_assert_msg(it != NULL, "%s -> %s missing", from, to);
    if (it->significant) {
      flagged++;
      g_string_append_printf(which, " [%s: rate q %g, wait q %g]", it->name, it->rate_q,
                             it->sample_q);
    } else {
      ck_assert_int_eq(it->direction, CX_CHANGE_SAME);
    }
  }
  ck_assert_msg(flagged <= allowed, "untouched but significant:%s", which->str);
}

START_TEST(test_wait_cut)
{
  if (g_getenv("CXGEN") == NULL)
    return;
  Run r = { 0 };
  run(&r, "4", "wait-cut:4");
  g_autoptr(GPtrArray) cut = truth_pairs(strstr(r.truth, "\"wait-cut\""), "edges");
  ck_assert_uint_eq(cut->len, 2);
  const CxCompareItem *e = cx_compare_find(r.c, cut->pdata[0], cut->pdata[1]);
  ck_assert_ptr_nonnull(e);
  ck_assert(e->sample_tested);
  ck_assert_msg(e->sample_q < 0.001, "q %g", e->sample_q);
  ck_assert_int_eq(e->sample_change, CX_CHANGE_BETTER);
  ck_assert_int_eq(e->direction, CX_CHANGE_BETTER);
  ck_assert_int_eq(e->rate_change, CX_CHANGE_SAME);
  ck_assert(e->median[1] < e->median[0] / 2);
  assert_untouched(&r, NULL, 0);
  /* a bottleneck is judged against each log's own typical wait: with one
   * analysis per log its share is not better or worse, whatever it did */
  const CxCompareItem *bn = cx_compare_friction(r.c, CX_FINDING_BOTTLENECK);
  if (bn != NULL)
    ck_assert_int_ne(bn->direction, CX_CHANGE_WORSE);
  /* the cut edge leads the "Got better" section */
  g_autoptr(GString) text = g_string_new(NULL);
  cx_compare_to_text(r.c, 5, FALSE, text);
  ck_assert_msg(strstr(text->str, "Wait 'Assign agent' -> 'Investigate': median ") != NULL, "%s",
                text->str);
  run_clear(&r);
}
END_TEST

START_TEST(test_loop_rarer)
{
  if (g_getenv("CXGEN") == NULL)
    return;
  Run r = { 0 };
  run(&r, "4", "loop-rarer:4");
  ck_assert(strstr(r.truth, "\"fraction_before\": 0.2000, \"fraction_after\": 0.0500") != NULL);
  /* the rework loop: the self-loop and the way back through Reopen; the
   * truth lists them as untouched (no edge was edited), but they are the
   * loop that got rarer */
  const char *loop[][2]
      = { { "Investigate", "Investigate" }, { "Resolve", "Reopen" }, { "Reopen", "Investigate" } };
  g_autoptr(GPtrArray) skip = g_ptr_array_new();
  for (guint i = 0; i < G_N_ELEMENTS(loop); i++) {
    const CxCompareItem *e = cx_compare_find(r.c, loop[i][0], loop[i][1]);
    ck_assert_ptr_nonnull(e);
    ck_assert_msg(e->rate_q < 0.001, "%s q %g", e->name, e->rate_q);
    ck_assert_int_eq(e->rate_change, CX_CHANGE_CHANGED);
    ck_assert(e->case_rate[1] < e->case_rate[0] / 2);
    g_ptr_array_add(skip, (gpointer)loop[i][0]);
    g_ptr_array_add(skip, (gpointer)loop[i][1]);
  }
  /* friction: fewer journeys with rework, in the same correction */
  const CxCompareItem *fr = cx_compare_friction(r.c, CX_FINDING_REWORK);
  ck_assert_ptr_nonnull(fr);
  ck_assert(fr->rate_tested);
  ck_assert(fr->rate_q < 0.001);
  ck_assert_int_eq(fr->direction, CX_CHANGE_BETTER);
  ck_assert(fr->case_rate[1] < fr->case_rate[0] / 2);
  ck_assert(fr->extra_time_s[1] < fr->extra_time_s[0]);
  /* "Reopen" is a negative event: fewer is better; the paths of the loop
   * only changed (a path's frequency has no good direction of its own) */
  ck_assert_int_eq(cx_compare_find(r.c, "Reopen", NULL)->rate_change, CX_CHANGE_BETTER);
  assert_untouched(&r, skip, 0);
  run_clear(&r);
}
END_TEST

START_TEST(test_step_removed)
{
  if (g_getenv("CXGEN") == NULL)
    return;
  Run r = { 0 };
  run(&r, "4", "step-removed");
  const char *removed = "Classify";
  ck_assert(strstr(r.truth, "\"activities\": [\"Classify\"]") != NULL);
  const CxCompareItem *a = cx_compare_find(r.c, removed, NULL);
  ck_assert(a->vanished);
  ck_assert(a->significant);
  guint n, vanished = 0;
  const CxCompareItem *items = cx_compare_items(r.c, &n);
  for (guint i = 0; i < n; i++) {
    if (items[i].kind != CX_COMPARE_EDGE
        || (strcmp(items[i].from, removed) != 0 && strcmp(items[i].to, removed) != 0))
      continue;
    ck_assert_msg(items[i].vanished && items[i].significant, "%s", items[i].name);
    ck_assert_int_eq(items[i].rate_change, CX_CHANGE_CHANGED);
    vanished++;
  }
  ck_assert_uint_ge(vanished, 2);
  g_autoptr(GPtrArray) fresh = truth_pairs(r.truth, "new_edges");
  ck_assert_uint_eq(fresh->len, 4);
  for (guint i = 0; i < fresh->len; i += 2) {
    const CxCompareItem *e = cx_compare_find(r.c, fresh->pdata[i], fresh->pdata[i + 1]);
    ck_assert_ptr_nonnull(e);
    /* "new" in the truth: what the removed step leaves; some journeys
     * skipped the step before, so these are mostly far more frequent */
    ck_assert_msg(e->significant, "%s", e->name);
    ck_assert_int_eq(e->rate_change, CX_CHANGE_CHANGED);
    ck_assert(e->case_rate[1] > 2 * e->case_rate[0]);
    ck_assert(e->is_new == (e->count[0] == 0));
  }
  assert_untouched(&r, NULL, 1);
  run_clear(&r);
}
END_TEST

/* The changes with a known meaning against one BEFORE log of 15,000
 * journeys (loaded once: the three share it); the 5% wait shift on 15,000
 * journeys after, the larger changes on 3,000. */
static CxCompare *
compare_big(Side *before, Side *after, double min_rel)
{
  CxCompareOptions o;
  cx_compare_options_init(&o);
  const char *const success[] = { "Close", NULL };
  o.success = success;
  if (min_rel > 0)
    o.min_effect_rel = min_rel;
  return cx_compare_new(before->side, after->side, &o);
}

static char *
load_big(Side *side, const char *cases, const char *seed, const char *change)
{
  g_autofree char *csv = NULL;
  char *truth = NULL;
  generate_n(cases, seed, change, &csv, &truth);
  side_load(side, csv);
  return truth;
}

/* A wait 5% longer is beyond chance on 15,000 journeys a side, but below
 * the minimum effect: the same (with a 4% minimum: worse). */
static void
check_wait_shift(Side *before)
{
  Side after = { 0 };
  g_autofree char *truth = load_big(&after, "15000", "22", "wait-shift:1.05");
  ck_assert(strstr(truth, "\"kind\": \"wait-shift\", \"activities\": [\"Propose solution\"]"));
  g_autoptr(CxCompare) c = compare_big(before, &after, 0);
  const CxCompareItem *a = cx_compare_find(c, "Propose solution", NULL);
  ck_assert_ptr_nonnull(a);
  ck_assert_msg(a->sample_q < 0.05, "q %g", a->sample_q);
  ck_assert(a->median[1] > a->median[0]);
  ck_assert_int_eq(a->sample_change, CX_CHANGE_SAME);
  ck_assert_int_eq(a->direction, CX_CHANGE_SAME);
  ck_assert_uint_le(cx_compare_n_changes(c), 1);
  g_autoptr(CxCompare) c4 = compare_big(before, &after, 0.04);
  ck_assert_int_eq(cx_compare_find(c4, "Propose solution", NULL)->sample_change, CX_CHANGE_WORSE);
  side_clear(&after);
}

/* More journeys call the customer: the step and its paths changed, neither
 * better nor worse; no path or step got better or worse. */
static void
check_neutral_more(Side *before)
{
  Side after = { 0 };
  g_autofree char *truth = load_big(&after, "3000", "22", "neutral-more:1.5");
  g_autoptr(CxCompare) c = compare_big(before, &after, 0);
  const CxCompareItem *a = cx_compare_find(c, "Call customer", NULL);
  ck_assert_ptr_nonnull(a);
  ck_assert(a->case_rate[1] > a->case_rate[0] + 0.1);
  ck_assert_int_eq(a->rate_change, CX_CHANGE_CHANGED);
  ck_assert_int_eq(a->direction, CX_CHANGE_CHANGED);
  guint n, judged = 0;
  const CxCompareItem *items = cx_compare_items(c, &n);
  for (guint i = 0; i < n; i++)
    if (items[i].kind == CX_COMPARE_EDGE || items[i].kind == CX_COMPARE_ACTIVITY)
      judged += items[i].rate_change == CX_CHANGE_BETTER || items[i].rate_change == CX_CHANGE_WORSE;
  ck_assert_uint_eq(judged, 0);
  /* on the map: the step and its paths in the neutral colour (blue), never
   * green or red */
  g_autoptr(GString) dot = g_string_new(NULL);
  cx_compare_to_dot(c, 0.05, 15, dot);
  g_auto(GStrv) lines = g_strsplit(dot->str, "\n", -1);
  guint drawn = 0;
  for (guint i = 0; lines[i] != NULL; i++) {
    const char *tip = strstr(lines[i], "tooltip=\"");
    if (tip == NULL || strstr(tip, "Call customer") == NULL || strstr(tip, "rate changed") == NULL)
      continue;
    ck_assert_msg(strstr(lines[i], "color=\"#4575b4\"") != NULL, "%s", lines[i]);
    ck_assert(strstr(lines[i], "#1a9850") == NULL && strstr(lines[i], "#d73027") == NULL);
    drawn++;
  }
  ck_assert_uint_ge(drawn, 2); /* the step and a path into or out of it */
  side_clear(&after);
}

/* Journeys stopping short of "Close": its rate and the success share are
 * worse, drop-off is worse, and the drop-off line counts the customers
 * lost as `cxmine friction` does (the finished journeys that ended there). */
static void
check_success_rarer(Side *before)
{
  Side after = { 0 };
  g_autofree char *truth = load_big(&after, "3000", "22", "success-rarer:0.15");
  g_autoptr(CxCompare) c = compare_big(before, &after, 0);
  const CxCompareItem *close = cx_compare_find(c, "Close", NULL);
  ck_assert(close->case_rate[1] < close->case_rate[0] - 0.1);
  ck_assert_int_eq(close->rate_change, CX_CHANGE_WORSE);
  const CxCompareItem *succ = cx_compare_headline(c, CX_COMPARE_SUCCESS);
  ck_assert_ptr_nonnull(succ);
  ck_assert_int_eq(succ->direction, CX_CHANGE_WORSE);
  const CxCompareItem *drop = cx_compare_friction(c, CX_FINDING_DROPOFF);
  ck_assert_ptr_nonnull(drop);
  ck_assert_int_eq(drop->direction, CX_CHANGE_WORSE);
  ck_assert(drop->customers_lost[1] > 300);
  ck_assert(drop->customers_lost[1] <= (double)drop->cases[1]);
  ck_assert(drop->customers_lost[0] < 100);
  g_autoptr(GString) text = g_string_new(NULL);
  cx_compare_to_text(c, 5, FALSE, text);
  ck_assert_msg(strstr(text->str, "Fewer end successfully") != NULL, "%s", text->str);
  side_clear(&after);
}

START_TEST(test_meaning_changes)
{
  if (g_getenv("CXGEN") == NULL)
    return;
  Side before = { 0 };
  g_autofree char *truth = load_big(&before, "15000", "21", NULL);
  check_wait_shift(&before);
  check_neutral_more(&before);
  check_success_rarer(&before);
  side_clear(&before);
}
END_TEST

/* Ten pairs of seeds, no change: at most one pair may show any significant
 * difference (the false discovery rate is 5%, and one chance difference
 * drags its correlated neighbours along: a path, its activity, a kind). */
START_TEST(test_no_change)
{
  if (g_getenv("CXGEN") == NULL)
    return;
  guint runs_with_findings = 0;
  for (int pair = 0; pair < 10; pair++) {
    Run r = { 0 };
    g_autofree char *s0 = g_strdup_printf("%d", 100 + 2 * pair);
    g_autofree char *s1 = g_strdup_printf("%d", 101 + 2 * pair);
    g_autofree char *csv0 = NULL, *csv1 = NULL, *truth0 = NULL;
    generate_n("400", s0, NULL, &csv0, &truth0);
    generate_n("400", s1, NULL, &csv1, &r.truth);
    side_load(&r.s[0], csv0);
    side_load(&r.s[1], csv1);
    r.c = cx_compare_new(r.s[0].side, r.s[1].side, NULL);
    ck_assert_uint_gt(cx_compare_n_tests(r.c), 30);
    /* at most one false alarm per comparison */
    ck_assert_uint_le(cx_compare_n_changes(r.c), 1);
    if (cx_compare_n_changes(r.c) > 0)
      runs_with_findings++;
    run_clear(&r);
  }
  ck_assert_uint_le(runs_with_findings, 1);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("compare-planted");
  TCase *tc = tcase_create("cxgen");
  tcase_add_checked_fixture(tc, setup, teardown);
  /* meson bounds the run (timeout 600 s, x4 in scripts/test): ASan on a
   * machine loaded 10-fold took 13 min of wall time for 2 min of CPU */
  tcase_set_timeout(tc, 3000);
  tcase_add_test(tc, test_wait_cut);
  tcase_add_test(tc, test_loop_rarer);
  tcase_add_test(tc, test_step_removed);
  tcase_add_test(tc, test_no_change);
  tcase_add_test(tc, test_meaning_changes);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_ENV);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
