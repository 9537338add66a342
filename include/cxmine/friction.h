/* cxmine — friction: where customers get stuck, ranked by impact.
 *
 * One scan (cx_friction_add over every journey) keeps a few numbers per case
 * (duration, end, steps, touches, channel switches) and, per activity, edge,
 * back-and-forth pair and channel pair, its occurrences, waits and the
 * (ascending) indices of the cases that show it.  cx_friction_finish then
 * decides the findings:
 *
 *  bottleneck     an edge A -> B whose median wait is at least
 *                 bottleneck_factor x the median of all waits (the typical
 *                 step) and whose waiting is at least bottleneck_share of all
 *                 waiting; or an activity whose service time (paired
 *                 lifecycles) is, in the same sense, slow.  Cases: those
 *                 waiting there at least bottleneck_factor x the typical
 *                 step.  impact = its waiting above the typical step, summed
 *                 over all its occurrences.
 *  rework         activity A occurring more than once in a case (self-loops
 *                 too).  Cases: those repeating A; extra = occurrences - 1.
 *  pingpong       A -> B -> A in a case (the pair counted once, whichever
 *                 way round; A is the end returned to most often).  Round
 *                 trips per case = (number of x,y,x triples + 1) / 2.
 *  dropoff        finished journeys (not open, see outcome.h) ending at an
 *                 activity that is not a successful end.
 *                 impact = the customer time of those journeys.
 *  channel_switch journeys with at least many_switches switches (consecutive
 *                 instances on different channels).  The channel-to-channel
 *                 matrix with the waits at switches comes with it
 *                 (cx_friction_channel_matrix), as does the mean number of
 *                 switches per case.
 *  negative       activities matching a negative pattern (case-insensitive
 *                 globs); with the activity that most often precedes them.
 *  effort         cases with more steps (instances), or touches (distinct
 *                 resources), than max(effort_factor x median,
 *                 Q3 + effort_iqr x IQR) of the log's cases.
 *  inconsistency  an edge wait (or service time) with at least
 *                 inconsistency_min_samples samples whose p90/median ratio
 *                 is at least inconsistency_ratio and at least twice the
 *                 median ratio of all such edges and activities.  Cases:
 *                 those with an occurrence above inconsistency_slow x its
 *                 median.
 *
 * Every kind needs at least min_cases cases and a min_share of all cases.
 * For each finding the cases with it are compared with the rest: median
 * case duration and share of finished journeys that end successfully.
 * Unless said otherwise above, impact = cases x max(0, median duration with
 * - median duration without), in seconds ("extra customer time").
 * score = impact / the total duration of all cases, so kinds compare;
 * findings are ordered by score, then cases. */
#pragma once

#include <glib.h>
#include "cxmine/reader.h"
#include "cxmine/json-writer.h"
#include "cxmine/outcome.h"

G_BEGIN_DECLS

typedef enum {
  CX_FINDING_BOTTLENECK,
  CX_FINDING_REWORK,
  CX_FINDING_PINGPONG,
  CX_FINDING_DROPOFF,
  CX_FINDING_CHANNEL_SWITCH,
  CX_FINDING_NEGATIVE,
  CX_FINDING_EFFORT,
  CX_FINDING_INCONSISTENCY,
  CX_FINDING_N_KINDS
} CxFindingKind;

/* "bottleneck", "rework", ... as in the JSON. */
const char *cx_finding_kind_name(CxFindingKind kind);
/* Parses a kind name; FALSE when unknown. */
gboolean cx_finding_kind_parse(const char *s, CxFindingKind *out);

typedef struct {
  const char *const *success;  /* successful ends; NULL = infer (outcome.h) */
  gint64 open_after_us;        /* unsuccessful journeys ending closer than this to the log's end are
                                  open; 0 = none; CX_OUTCOME_OPEN_INFER (default): inferred, outcome.h */
  const char *const *negative; /* globs; NULL = CX_FRICTION_DEFAULT_NEGATIVE */
  guint min_cases;             /* 5 */
  double min_share;            /* 0.01 of all cases */
  double bottleneck_share;     /* 0.05 of all waiting (of all service time for activities) */
  double bottleneck_factor;    /* 10: median wait >= 10 x the median of all waits */
  double effort_factor;        /* 2 */
  double effort_iqr;           /* 3 */
  double inconsistency_ratio;  /* 5: p90 / median */
  guint inconsistency_min_samples; /* 20 */
  double inconsistency_slow;       /* 3 */
  guint many_switches;             /* 3 */
} CxFrictionOptions;

#define CX_FRICTION_DEFAULT_NEGATIVE                                                               \
  "*complain*,*escalat*,*reopen*,*re-open*,*dispute*,*objection*,*appeal*,*cancel*,*reject*,"      \
  "*return*,*fail*"

/* Fills @opts with the defaults above. */
void cx_friction_options_init(CxFrictionOptions *opts);

typedef struct {
  CxFindingKind kind;
  guint n_names;
  const char *names[2]; /* activities (channels for channel_switch); owned by the log's pools */
  const char *measure;  /* effort: "steps" / "touches"; bottleneck, inconsistency: "wait" /
                           "service"; channel_switch: "many"; else NULL */
  guint64 cases;
  double share; /* of all cases */
  double impact_s;
  double score;
  double median_with_s, median_without_s; /* NaN when no case of the group has a duration */
  double success_with, success_without;   /* shares of finished journeys; NaN when none */
  guint64 occurrences;             /* rework: extra occurrences; pingpong: round trips; negative,
                                      bottleneck, inconsistency, channel_switch: occurrences */
  double median_s, p90_s, total_s; /* bottleneck, inconsistency, channel_switch: waits */
  double wait_share;               /* bottleneck: of all waiting (or service time) */
  double threshold;                /* effort: the limit; inconsistency: p90/median */
  double typical;                  /* effort: median; bottleneck: the log's median wait */
  const char *preceding;           /* negative: most frequent previous activity, or NULL */
  guint64 preceding_count;
} CxFinding;

typedef struct _CxFriction CxFriction;

/* Returns an empty analysis over @log (not owned); @opts is copied (its
 * strings too); NULL = defaults. */
CxFriction *cx_friction_new(CxLog *log, const CxFrictionOptions *opts);
void cx_friction_free(CxFriction *f);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CxFriction, cx_friction_free)

/* A CxJourneyFunc / CxResetFunc: pass the CxFriction as user data. */
gboolean cx_friction_add(const CxJourney *j, gpointer f, GError **error);
void cx_friction_reset(gpointer f);
/* Decides outcomes and findings. Call once after the scan. */
void cx_friction_finish(CxFriction *f);

guint64 cx_friction_n_cases(const CxFriction *f);
/* After finish: one bit mask per case, in the order the cases were added
 * (@n of them): bit (1 << kind) is set when the case is among the cases of
 * a finding of that kind.  Owned by @f. */
const guint32 *cx_friction_case_kinds(const CxFriction *f, guint *n);
/* Findings, highest score first; owned by @f. */
const CxFinding *cx_friction_findings(const CxFriction *f, guint *n);
/* The sentence saying which ends count as success (outcome.h). */
const char *cx_friction_success_explain(const CxFriction *f);
/* TRUE when no clear successful end was found (outcome.h, rule 3). */
gboolean cx_friction_success_weak(const CxFriction *f);
/* The sentence saying which journeys count as still open, and why. */
const char *cx_friction_open_explain(const CxFriction *f);
/* The open-after limit in force after finish (microseconds; 0 = none). */
gint64 cx_friction_open_after(const CxFriction *f);
/* Journeys that ended successfully, dropped off, are still open. */
/* After finish: the outcome of the @index-th (from 0) non-empty journey
 * added, by the same rules as the findings (milestones, open journeys). */
CxOutcomeKind cx_friction_case_outcome(const CxFriction *f, guint64 index);
void cx_friction_outcomes(const CxFriction *f, guint64 *success, guint64 *dropoff, guint64 *open);

/* One cell of the channel-to-channel matrix: consecutive instances on
 * channel @from then @to. */
typedef struct {
  const char *from, *to; /* owned by the log's channel pool */
  guint64 count, cases;
  double median_wait_s; /* NaN when no timed switch */
} CxChannelSwitch;

/* After finish: every switch seen, most frequent first; owned by @f. */
const CxChannelSwitch *cx_friction_channel_matrix(const CxFriction *f, guint *n);

/* One plain-words sentence for @fd. Returns a new string. */
char *cx_finding_describe(const CxFinding *fd, guint64 n_cases);

/* Writes {"cases":N,"success_rule":..,"findings":[...],"channel_matrix":[...]}
 * with at most @top findings (0 = all). */
void cx_friction_to_json(CxFriction *f, CxJson *json, guint top);
/* Appends the readable report (at most @top findings; 0 = all). */
void cx_friction_to_text(CxFriction *f, GString *out, guint top);
/* Appends a DOT journey map: the log's edges (frequent ones), with the top
 * @top findings highlighted and annotated. */
void cx_friction_to_dot(CxFriction *f, GString *out, guint top);

G_END_DECLS
