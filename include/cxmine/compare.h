/* cxmine — comparing two groups of journeys: before vs after, segment vs rest.
 *
 * Use: one CxCompareSide per group, fed journeys (a CxJourneyFunc) during a
 * scan (one scan per log: --split-at and --by route each journey to its
 * side), optionally with a finished CxOutcome for the successful-end share;
 * then cx_compare_new() runs every test and corrects them together.
 * Sources: compare.c (sides), compare-items.c (the items made from two
 * sides), compare-tests.c (tests and meaning), report/compare-json.c,
 * report/compare-text.c, report/compare-map.c (DOT).
 *
 * What is compared (side 0 = "before" / baseline, side 1 = "after" / segment):
 *  - headline: cases; instances per case (Mann-Whitney); case duration
 *    (median, p90; Mann-Whitney); share of successful ends among finished
 *    journeys (two proportions; higher is better); with a satisfaction key
 *    (cx_compare_side_set_satisfaction), the scores (mean, median;
 *    Mann-Whitney; higher is better, or lower with
 *    satisfaction_lower_is_better; the minimum effect is a relative change
 *    of the mean, since scores on a short scale move in their mean first);
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
 *    kind (two proportions; lower is better), with customers lost and
 *    extra time per side: the sums over the side's own analysis's listed
 *    findings of the kind, exactly what `cxmine friction` reports on the
 *    side's journeys with the same outcome model.  Every side has its own
 *    analysis: two logs and a split feed one per side during the scan;
 *    segments (--by) get theirs once the segments are known
 *    (cx_compare_side_own_friction: a segment's analysis holds its
 *    journeys, "the rest" of a segment one of every other segment's
 *    journeys), all by one outcome model (cx_friction_set_outcome_model).
 * Every p-value enters one Benjamini-Hochberg correction.  A test counts
 * only when its q-value is below alpha AND its effect is at least the
 * minimum effect (min_effect_rel for medians and per-journey counts,
 * min_effect_points for shares of journeys; time medians must also move by
 * at least a minute); otherwise the measure is `same`.
 *
 * Direction comes from meaning, not from the sign (cx_compare_polarity):
 *  - shorter is better: journey duration, waits (edges, the wait before an
 *    activity) — except the gap before a return or re-entry event (an
 *    activity matching opts->reentry) and waits after a successful end
 *    (an edge leaving a successful-end activity; an activity most of whose
 *    arrivals come from one), which are `changed`;
 *  - higher is better: the successful-end share, the rate of successful-end
 *    activities;
 *  - lower is better: the share of journeys with each kind of friction
 *    finding (but the kinds whose yardstick is the side's own typical wait
 *    or effort — bottleneck, inconsistency, effort — and drift are
 *    `changed`, since each side has its own analysis), the rate of negative activities
 *    (opts->negative globs);
 *  - everything else (other activities' and paths' rates, variants, events
 *    per journey) is `changed` when it moved, never better or worse.
 * Importance puts large changes first, in journeys:
 * for rates the journeys affected, |delta case rate| x cases; for waits the
 * time moved in units of a typical journey, journeys taking it x
 * |delta median wait| / the median journey duration of both sides (so a
 * sub-second shift on a busy path ranks below a day on a quiet one). */
#pragma once

#include <glib.h>
#include "cxmine/log.h"
#include "cxmine/reader.h"
#include "cxmine/outcome.h"
#include "cxmine/friction.h"
#include "cxmine/journey-store.h"
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
/* Returns a new side with the journeys of @all that are not in @part (a
 * side whose journeys were all merged into @all): "the rest" of a segment,
 * built from one union of every segment instead of merging the others
 * again for each.  Sorts the samples of both in place; @all and @part must
 * outlive the result (its variants are read from them). */
CxCompareSide *cx_compare_side_new_difference(CxCompareSide *all, CxCompareSide *part);
/* Uses @friction (not owned, over the same log) for the friction headline.
 * Call before the side gets journeys; every journey must then be given to
 * cx_friction_add() (of @friction) just before cx_compare_side_add(): the
 * side remembers the journey's position in the analysis.  @friction must be
 * finished (cx_friction_finish) before cx_compare_new. */
void cx_compare_side_set_friction(CxCompareSide *side, CxFriction *friction);
/* Segments (compare --by): returns a new, finished friction analysis
 * (owned by the caller, with @fo; NULL = defaults) of the journeys of
 * @store whose tag t has keep[t] != 0 (as cx_journey_store_replay), which
 * must be exactly @side's journeys, with the outcome model @model (a
 * finished outcome, cx_friction_set_outcome_model; NULL = the analysis
 * infers its own), and makes it @side's, as cx_compare_side_set_friction.
 * Free it after cx_compare_new (the comparison keeps what it needs), so one
 * analysis of a segment's rest at a time suffices.  NULL with @error set
 * when the analysis fails (the side then has none). */
CxFriction *cx_compare_side_own_friction(CxCompareSide *side, const CxFrictionOptions *fo,
                                         const CxOutcome *model, const CxJourneyStore *store,
                                         const guint8 *keep, guint n_keep, GError **error);
/* Uses @outcome (not owned, finished before cx_compare_new; over the same
 * log) to classify the side's journeys; NULL = no successful-end share. */
void cx_compare_side_set_outcome(CxCompareSide *side, CxOutcome *outcome);
/* Reads each journey's satisfaction score from the attribute @key (not
 * owned; "KEY" or "KEY@last", by the rule of `cxmine friction
 * --satisfaction-key`: the log's reader must be asked for it with
 * cx_read_options_want_attr); journeys without a numeric value have none.
 * Call before the side gets journeys. */
void cx_compare_side_set_satisfaction(CxCompareSide *side, const char *key);
guint64 cx_compare_side_n_cases(const CxCompareSide *side);

/* ---------- the comparison ---------- */

typedef struct {
  double alpha;                 /* false discovery rate; default 0.05 */
  double min_effect_rel;        /* smallest relative change of a median or a per-journey count that
                                   counts; default 0.10 */
  double min_effect_points;     /* smallest change of a share of journeys (0-1) that counts; default
                                   0.02 */
  const char *const *success;   /* successful-end activities by name; NULL = those of the sides'
                                   outcomes (cx_compare_side_set_outcome) */
  const char *const *negative;  /* globs (case-insensitive); NULL = CX_FRICTION_DEFAULT_NEGATIVE */
  const char *const *reentry;   /* globs of return / re-entry events; NULL =
                                   CX_COMPARE_DEFAULT_REENTRY */
  guint min_cases;              /* test a rate when both sides together have this many journeys
                                   taking it, a wait when each side has this many; default 5 */
  double min_variant_share;     /* variants compared; default 0.01 */
  const char *names[2];         /* for reports; default "before", "after" */
  const char *success_rule;     /* the sentence saying which ends count as success and which
                                   journeys are open, stated once in reports; may be NULL */
  const char *satisfaction_key; /* for reports: the key both sides read, or NULL */
  gboolean satisfaction_lower_is_better; /* CES-like scales: lower scores are better */
  const char *business_hours; /* cx_calendar_describe() of the hours waits and durations were
                                 counted in, stated in the map; NULL = calendar time */
} CxCompareOptions;

#define CX_COMPARE_DEFAULT_REENTRY                                                                 \
  "*reopen*,*re-open*,*return*,*resubmi*,*re-submi*,*reentr*,*re-entr*,*reappl*,*re-appl*"

void cx_compare_options_init(CxCompareOptions *opts);

typedef enum {
  CX_CHANGE_SAME = 0, /* not beyond chance, or smaller than the minimum effect */
  CX_CHANGE_BETTER,
  CX_CHANGE_WORSE,
  CX_CHANGE_CHANGED, /* moved beyond chance and the minimum effect, with no good direction */
} CxChange;

const char *cx_change_name(CxChange c); /* "same", "better", "worse", "changed" */

typedef enum {
  CX_COMPARE_HEADLINE, /* headline: which one; name: cx_compare_headline_name() */
  CX_COMPARE_ACTIVITY, /* name: the activity */
  CX_COMPARE_EDGE,     /* from, to */
  CX_COMPARE_VARIANT,  /* name: activities joined with " → " */
  CX_COMPARE_FRICTION, /* finding: the kind of finding; name: cx_finding_kind_name() ("rework",
                          ...); count = cases = journeys with it; impact_s = their extra customer
                          time */
} CxCompareKind;

/* The headline items, in the order they are made (items of one comparison
 * are told apart by these ids; the names are for display only). */
typedef enum {
  CX_COMPARE_CASES,        /* "cases" */
  CX_COMPARE_INSTANCES,    /* "instances per case" */
  CX_COMPARE_DURATION,     /* "case duration" */
  CX_COMPARE_SATISFACTION, /* "satisfaction": when both sides read a key; cases = journeys with a
                              score */
  CX_COMPARE_SUCCESS,      /* "successful ends" */
  CX_COMPARE_N_HEADLINES,
} CxCompareHeadline;

/* The headline's display name (above). */
const char *cx_compare_headline_name(CxCompareHeadline h);

/* One compared thing; index 0 = side 0, 1 = side 1. */
typedef struct {
  CxCompareKind kind;
  CxCompareHeadline headline; /* of a headline item; else 0 */
  CxFindingKind finding;      /* of a friction item; else 0 */
  char *name;                 /* activity, variant or headline name; for edges "FROM -> TO" */
  char *from, *to;
  guint64 count[2];         /* instances / transitions / variant cases; successes (headline) */
  guint64 cases[2];         /* journeys taking it; finished journeys (success headline) */
  double rate[2];           /* count / side's cases (edges: taken per case) */
  double case_rate[2];      /* cases / side's cases (successful ends: share of finished) */
  guint64 n[2];             /* samples of the distribution (waits, durations, ...) */
  double median[2], p90[2]; /* of the distribution (seconds / instances); NaN when n = 0 */
  double mean[2];           /* satisfaction: mean score; else NaN */
  gboolean rate_tested, sample_tested;
  gboolean rate_shared, sample_shared; /* the test is another item's on the very same journeys
                                          (a path and its activity): judged by this item's own
                                          meaning, listed and counted once, under the other */
  CxPropTest rate_test;
  CxMannWhitney sample_test;
  gboolean sketched;                    /* a median, p90 or the sample test came from a sketch (past
                                           CX_QUANTILES_EXACT_MAX samples): within quantile_rel_error */
  double rate_q, sample_q;              /* 1 when not tested */
  gint8 rate_polarity, sample_polarity; /* +1 higher is better, -1 lower is better, 0 neither */
  gboolean rate_is_share;               /* the rate's minimum effect is in points, not relative */
  CxChange rate_change, sample_change;  /* per test, by meaning; SAME unless it counts */
  double rate_importance, sample_importance;
  gboolean tested_significant; /* some q-value is below alpha (whatever the effect) */
  gboolean significant;        /* some test counts: direction != SAME */
  CxChange direction;          /* better/worse of the more important test that counts, else
                                  changed when one counts, else same */
  double importance;           /* the larger of the two; 0 when nothing counts */
  gboolean is_new, vanished;   /* count 0 on side 0 / on side 1 */
  double customers_lost[2];    /* friction: customers lost (see above); else NaN */
  double extra_time_s[2];      /* friction: extra customer time (seconds); else NaN */
  char **activities;           /* friction: the activities of the log's findings of that kind
                                  (NULL-terminated, most important first); else NULL */
  guint64 starts[2];           /* activities: journeys starting with it */
  guint order;                 /* the order items were made in (headline, friction kinds) */
} CxCompareItem;

typedef struct _CxCompare CxCompare;

/* Compares @a (side 0) with @b (side 1); reads them only (neither is kept
 * or changed). */
CxCompare *cx_compare_new(const CxCompareSide *a, const CxCompareSide *b,
                          const CxCompareOptions *opts);
void cx_compare_free(CxCompare *c);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CxCompare, cx_compare_free)

const CxCompareOptions *cx_compare_options(const CxCompare *c);
/* Headline items first (in the order above), then friction kinds (in
 * CxFindingKind order), then activities, edges and variants: significant ones first, most important
 * first. Owned by @c. */
const CxCompareItem *cx_compare_items(const CxCompare *c, guint *n);
/* The item of edge @from -> @to, or of activity @from when @to is NULL; NULL when absent. */
const CxCompareItem *cx_compare_find(const CxCompare *c, const char *from, const char *to);
/* The headline item @h, or NULL (satisfaction without a key on both sides,
 * successful ends without outcomes). */
const CxCompareItem *cx_compare_headline(const CxCompare *c, CxCompareHeadline h);
/* The friction item of @kind, or NULL (no friction analysis, or no case of
 * that kind on either side). */
const CxCompareItem *cx_compare_friction(const CxCompare *c, CxFindingKind kind);
/* How many tests entered the correction, how many came out significant
 * (q < alpha), and how many of those also pass the minimum effect. */
guint cx_compare_n_tests(const CxCompare *c);
guint cx_compare_n_significant(const CxCompare *c);
guint cx_compare_n_changes(const CxCompare *c);

/* Writes the comparison as one JSON object (see docs/json.md, ## compare):
 * business_hours (opts->business_hours or null), then the members. */
void cx_compare_to_json(const CxCompare *c, CxJson *json);
/* The relative error of the medians, p90s and sample tests of @c: 0 when
 * all are exact, else CX_QUANTILES_REL_ERROR's α (quantile_rel_error). */
double cx_compare_quantile_rel_error(const CxCompare *c);
/* Writes the same keys into an object the caller has opened (segments add
 * their own keys beside them). */
void cx_compare_to_json_members(const CxCompare *c, CxJson *json);
/* Appends the readable report: three plain sentences (duration, success,
 * how many measures got better / worse / changed), what "q" means, then
 * "Worse" and "Better" (at most @top lines each; 0 = all).  With @verbose
 * also the headline table, friction by kind, the changed measures, new and
 * vanished paths and variant shifts (else one line saying how to see them). */
void cx_compare_to_text(const CxCompare *c, guint top, gboolean verbose, GString *out);
/* Appends a Graphviz DOT union map: activities and edges of both sides,
 * coloured by meaning (green better, red worse, blue changed with no good
 * direction, grey same), width by volume, new edges bold, vanished dashed,
 * labels "before -> after" in percent of journeys, and a legend.  To stay readable it shows the
 * main flow, the paths taken by at least @min_share (0-1) of either side's
 * journeys, plus the @max_changes most important significant path changes
 * (0 = all of them), and the activities they join; 0, 0 shows everything. */
void cx_compare_to_dot(const CxCompare *c, double min_share, guint max_changes, GString *out);

G_END_DECLS
