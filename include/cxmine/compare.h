/* cxmine — comparing two groups of journeys: before vs after, segment vs rest.
 *
 * Use: one CxCompareSide per group, fed journeys (a CxJourneyFunc) during a
 * scan (one scan per log: --split-at and --by route each journey to its
 * side), optionally with a finished CxOutcome for the successful-end share;
 * then cx_compare_new() runs every test and corrects them together.
 *
 * What is compared (side 0 = "before" / baseline, side 1 = "after" / segment):
 *  - headline: cases; instances per case (Mann-Whitney); case duration
 *    (median, p90; Mann-Whitney); share of successful ends among finished
 *    journeys (two proportions; higher is better);
 *  - every activity and every directly-follows edge of either side (matched
 *    by name, so two different logs compare): rate = cases taking it / cases
 *    (two proportions), and its wait (edge: B's start or timestamp minus A's
 *    completion; activity: the wait before it) — Mann-Whitney on ONE sample
 *    per journey (the mean of that journey's waits there), because the
 *    occurrences within one journey are not independent; the reported
 *    medians are over all occurrences, as `cxmine dfg` shows them;
 *  - variants with at least min_variant_share of the cases on either side:
 *    share (two proportions);
 *  - friction (when both sides have a finished CxFriction): per kind of
 *    finding (friction.h), the share of journeys with a finding of that
 *    kind (two proportions; lower is better) and the extra customer time of
 *    the side's journeys with it: n_with x max(0, median duration with -
 *    median duration without), both medians within the side.  For one log
 *    split into sides, one analysis over the whole log defines the findings
 *    (the same yardstick for every side); two logs have one analysis each.
 * Every p-value enters one Benjamini-Hochberg correction; an item is
 * significant when one of its q-values is below alpha.  "Better" means
 * fewer / shorter (rates, waits, durations, instances per case) and a higher
 * successful-end share.  Importance puts large changes first, in journeys:
 * for rates the journeys affected, |delta case rate| x cases; for waits the
 * time moved in units of a typical journey, journeys taking it x
 * |delta median wait| / the median journey duration of both sides (so a
 * sub-second shift on a busy path ranks below a day on a quiet one). */
#pragma once

#include <glib.h>
#include "cxmine/reader.h"
#include "cxmine/outcome.h"
#include "cxmine/friction.h"
#include "cxmine/stattest.h"
#include "cxmine/json-writer.h"

G_BEGIN_DECLS

/* ---------- one group of journeys ---------- */

typedef struct _CxCompareSide CxCompareSide;

/* Returns an empty group over @log (not owned; must outlive the side). */
CxCompareSide *cx_compare_side_new(CxLog *log);
void cx_compare_side_free(CxCompareSide *side);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CxCompareSide, cx_compare_side_free)

/* A CxJourneyFunc / CxResetFunc: pass the side as user data. */
gboolean cx_compare_side_add(const CxJourney *j, gpointer side, GError **error);
void cx_compare_side_reset(gpointer side);
/* Adds everything of @src to @dst (both over the same log): "the rest". */
void cx_compare_side_merge(CxCompareSide *dst, const CxCompareSide *src);
/* Uses @friction (not owned, over the same log) for the friction headline.
 * Call before the side gets journeys; every journey must then be given to
 * cx_friction_add() (of @friction) just before cx_compare_side_add(): the
 * side remembers the journey's position in the analysis.  @friction must be
 * finished (cx_friction_finish) before cx_compare_new. */
void cx_compare_side_set_friction(CxCompareSide *side, CxFriction *friction);
/* Uses @outcome (not owned, finished before cx_compare_new; over the same
 * log) to classify the side's journeys; NULL = no successful-end share. */
void cx_compare_side_set_outcome(CxCompareSide *side, CxOutcome *outcome);
guint64 cx_compare_side_n_cases(const CxCompareSide *side);

/* ---------- the comparison ---------- */

typedef struct {
  double alpha;             /* false discovery rate; default 0.05 */
  guint min_cases;          /* test a rate when both sides together have this many journeys
                               taking it, a wait when each side has this many; default 5 */
  double min_variant_share; /* variants compared; default 0.01 */
  const char *names[2];     /* for reports; default "before", "after" */
} CxCompareOptions;

void cx_compare_options_init(CxCompareOptions *opts);

typedef enum {
  CX_CHANGE_SAME = 0,
  CX_CHANGE_BETTER,
  CX_CHANGE_WORSE,
} CxChange;

const char *cx_change_name(CxChange c); /* "same", "better", "worse" */

typedef enum {
  CX_COMPARE_HEADLINE, /* name: "cases", "instances per case", "case duration", "successful ends" */
  CX_COMPARE_ACTIVITY, /* name: the activity */
  CX_COMPARE_EDGE,     /* from, to */
  CX_COMPARE_VARIANT,  /* name: activities joined with " → " */
  CX_COMPARE_FRICTION, /* name: the kind of finding ("rework", ...); count = cases = journeys
                          with it; impact_s = their extra customer time */
} CxCompareKind;

/* One compared thing; index 0 = side 0, 1 = side 1. */
typedef struct {
  CxCompareKind kind;
  char *name; /* activity, variant or headline name; for edges "FROM -> TO" */
  char *from, *to;
  guint64 count[2];         /* instances / transitions / variant cases; successes (headline) */
  guint64 cases[2];         /* journeys taking it; finished journeys (success headline) */
  double rate[2];           /* count / side's cases (edges: taken per case) */
  double case_rate[2];      /* cases / side's cases (successful ends: share of finished) */
  guint64 n[2];             /* samples of the distribution (waits, durations, ...) */
  double median[2], p90[2]; /* of the distribution (seconds / instances); NaN when n = 0 */
  gboolean rate_tested, sample_tested;
  CxPropTest rate_test;
  CxMannWhitney sample_test;
  double rate_q, sample_q;             /* 1 when not tested */
  CxChange rate_change, sample_change; /* per test: SAME unless significant */
  double rate_importance, sample_importance;
  gboolean significant;      /* some test is */
  CxChange direction;        /* of the more important significant test */
  double importance;         /* the larger of the two; 0 when not significant */
  gboolean is_new, vanished; /* count 0 on side 0 / on side 1 */
  double impact_s[2];        /* friction: extra customer time (seconds); else NaN */
  guint64 starts[2];         /* activities: journeys starting with it */
  guint order;               /* the order items were made in (headline, friction kinds) */
} CxCompareItem;

typedef struct _CxCompare CxCompare;

/* Compares @a (side 0) with @b (side 1); neither is kept (their samples
 * are sorted in place, nothing else changes). */
CxCompare *cx_compare_new(CxCompareSide *a, CxCompareSide *b, const CxCompareOptions *opts);
void cx_compare_free(CxCompare *c);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CxCompare, cx_compare_free)

const CxCompareOptions *cx_compare_options(const CxCompare *c);
/* Headline items first (in the order above), then friction kinds (in
 * CxFindingKind order), then activities, edges and variants: significant ones first, most important
 * first. Owned by @c. */
const CxCompareItem *cx_compare_items(const CxCompare *c, guint *n);
/* The item of edge @from -> @to, or of activity @from when @to is NULL; NULL when absent. */
const CxCompareItem *cx_compare_find(const CxCompare *c, const char *from, const char *to);
/* The headline item named @name, or NULL. */
const CxCompareItem *cx_compare_headline(const CxCompare *c, const char *name);
/* The friction item of @kind, or NULL (no friction analysis, or no case of
 * that kind on either side). */
const CxCompareItem *cx_compare_friction(const CxCompare *c, CxFindingKind kind);
/* How many tests entered the correction, and how many came out significant. */
guint cx_compare_n_tests(const CxCompare *c);
guint cx_compare_n_significant(const CxCompare *c);

/* Writes the comparison as one JSON object (see cxmine compare --json). */
void cx_compare_to_json(const CxCompare *c, CxJson *json);
/* Appends the readable report: headline, "Got worse", "Got better" (at most
 * @top lines each; 0 = all), new and vanished edges, variant shifts. */
void cx_compare_to_text(const CxCompare *c, guint top, GString *out);
/* Appends a Graphviz DOT union map: activities and edges of both sides,
 * coloured by the direction of significant changes (green better, red
 * worse, grey unchanged), width by volume, new edges bold, vanished dashed,
 * labels "before -> after", and a legend.  To stay readable it shows the
 * main flow, the paths taken by at least @min_share (0-1) of either side's
 * journeys, plus the @max_changes most important significant path changes
 * (0 = all of them), and the activities they join; 0, 0 shows everything. */
void cx_compare_to_dot(const CxCompare *c, double min_share, guint max_changes, GString *out);

G_END_DECLS
