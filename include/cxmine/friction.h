/* cxmine — friction: where customers get stuck, and what it costs.
 *
 * One scan (cx_friction_add over every journey) keeps a few numbers per case
 * (start, duration, end, steps, touches, channel switches, satisfaction) and,
 * per activity, edge, cycle and channel pair, its occurrences, waits and the
 * (ascending) indices of the cases that show it (the long lists on disk,
 * in a scratch file in $TMPDIR).  cx_friction_finish then decides the
 * findings.
 *
 * Two currencies, one definition for every kind (cx_friction_customers_lost,
 * cx_friction_extra_time):
 *  customers_lost  for a drop-off: the finished journeys that ended there;
 *                  otherwise round(cases x max(0, success_without -
 *                  success_with)) when that difference is significant
 *                  (two-proportion test, p < 0.05), else 0.
 *  extra_time_s    cases x max(0, median journey duration with - without).
 * Each comes with its share: of all journeys, of all customer time (the sum
 * of all journey durations).  "cases" are journeys (after --journey-gap too).
 * success_with / success_without are shares of finished journeys ending
 * successfully; "without" is taken among the journeys that reached the
 * finding's first activity without showing it (all other journeys for kinds
 * without activities), since long successful journeys have more room for
 * repeats.
 *
 * Kinds:
 *  bottleneck     an edge A -> B whose median wait is at least
 *                 bottleneck_factor x the median of the *other* waits and
 *                 holds at least bottleneck_share of all waiting, or any wait
 *                 holding at least CX_FRICTION_BIG_WAIT_SHARE (25%) of all
 *                 waiting with a median at least twice the others' (waits
 *                 only, not service times; reported
 *                 with its share whatever its cost);
 *                 likewise an activity's service time.  Waits after a
 *                 success step (a successful end, a milestone or a
 *                 success-named activity) are after-success time, and waits
 *                 into a return or re-entry (an activity matching
 *                 CX_FRICTION_RETURN_PATTERNS) are time until return: both
 *                 are listed apart (cx_friction_waits), never bottlenecks.
 *  pingpong       a two-step cycle A -> B -> A.
 *  loop           a cycle of 3..CX_FRICTION_MAX_LOOP steps; one turn may
 *                 hold CX_FRICTION_LOOP_DETOURS extra (detour) step.
 *  rework         an activity repeated outside any reported cycle (self-loops
 *                 too).
 *                 A cycle's activities start at its entry step (the one its
 *                 cases reach first most often) in the cycle's order.
 *  dropoff        finished journeys (not open, see outcome.h) ending at an
 *                 activity that is not a successful end.
 *  repeat_contact the same activity again on another channel within
 *                 repeat_window (failure demand).
 *  channel_switch journeys switching from one channel to another (channels
 *                 [from, to]; listed only when it loses customers: a switch
 *                 that only takes time is a hand-off), or switching at least
 *                 many_switches times (measure "many", no channels).
 *  negative       activities matching a negative pattern (globs).
 *  effort         cases with more steps, or touches (distinct resources),
 *                 than max(effort_factor x median, Q3 + effort_iqr x IQR).
 *  inconsistency  an edge wait (or service time) whose p90/median ratio is
 *                 at least inconsistency_ratio and twice the typical ratio.
 *  drift          a measure that gets significantly and materially worse
 *                 over the log's period: an edge wait or service time
 *                 (median up CX_FRICTION_DRIFT_REL, 25%), the success share
 *                 (down CX_FRICTION_DRIFT_POINTS, 5 points), a negative
 *                 event's share of journeys (up 5 points).  Finished
 *                 journeys only, by start time in CX_FRICTION_DRIFT_WINDOWS
 *                 windows up to the log's end minus the p95 journey
 *                 duration; Spearman trend test over the windows,
 *                 Benjamini-Hochberg q < 0.05 across all candidates.
 *
 * Every kind needs at least min_cases cases and a min_share of all cases.
 * A pattern whose cases end successfully at least success_margin more often
 * than the journeys without it (significantly, p < 0.05) goes to
 * cx_friction_with_success() (probably a required step); drop-offs, drift
 * and negative events never do.  Findings with no cost (no customer lost, no extra
 * time, no satisfaction lost) are not listed.  The rest are ranked by the
 * score: customers lost (then extra time), extra time (then customers), or
 * satisfaction lost (cases x the drop in mean satisfaction).  A finding whose
 * case set has a Jaccard index >= CX_FRICTION_FOLD_JACCARD with a
 * higher-ranked one folds into it (its "also"). */
#pragma once

#include <glib.h>
#include "cxmine/log.h"
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
  CX_FINDING_LOOP,
  CX_FINDING_REPEAT_CONTACT,
  CX_FINDING_DRIFT,
  CX_FINDING_N_KINDS
} CxFindingKind;

/* "bottleneck", "rework", ... as in the JSON. */
const char *cx_finding_kind_name(CxFindingKind kind);
/* Parses a kind name; FALSE when unknown. */
gboolean cx_finding_kind_parse(const char *s, CxFindingKind *out);

typedef enum {
  CX_FRICTION_RANK_CUSTOMERS, /* customers lost, then extra time (default) */
  CX_FRICTION_RANK_TIME,      /* extra time, then customers lost */
  CX_FRICTION_RANK_SATISFACTION,
} CxFrictionRank;

#define CX_FRICTION_MAX_LOOP        5    /* steps of a loop */
#define CX_FRICTION_LOOP_DETOURS    1    /* extra steps allowed in one turn */
#define CX_FRICTION_FOLD_JACCARD    0.9  /* case sets this alike are one phenomenon */
#define CX_FRICTION_BIG_WAIT_SHARE  0.25 /* a wait holding this share is always reported */
#define CX_FRICTION_DRIFT_WINDOWS   4
#define CX_FRICTION_DRIFT_REL       0.25 /* a wait or service time 25% longer */
#define CX_FRICTION_DRIFT_POINTS    0.05 /* a share 5 points worse */
#define CX_FRICTION_DRIFT_Q         0.05 /* BH q-value */
#define CX_FRICTION_RETURN_PATTERNS "*return*,*reopen*,*re-open*,*re-entry*,*readmi*,*recontact*"

typedef struct {
  const char *const *success;  /* successful ends; NULL = infer (outcome.h) */
  gint64 open_after_us;        /* unsuccessful journeys ending closer than this to the log's end are
                                  open; 0 = none; CX_OUTCOME_OPEN_INFER (default): inferred, outcome.h */
  const char *const *negative; /* globs; NULL = CX_FRICTION_DEFAULT_NEGATIVE */
  guint min_cases;             /* 5 */
  double min_share;            /* 0.01 of all cases */
  double bottleneck_share;     /* 0.05 of all waiting (of all service time for activities) */
  double bottleneck_factor;    /* 10: median wait >= 10 x the median of the other waits */
  double effort_factor;        /* 2 */
  double effort_iqr;           /* 3 */
  double inconsistency_ratio;  /* 5: p90 / median */
  guint inconsistency_min_samples;       /* 20 */
  double inconsistency_slow;             /* 3 */
  guint many_switches;                   /* 3 */
  double success_margin;                 /* 0.10: goes with success when its cases end successfully
                                            10 points more often */
  gint64 repeat_window_us;               /* 7 days */
  CxFrictionRank rank;                   /* CX_FRICTION_RANK_CUSTOMERS */
  const char *satisfaction_key;          /* a numeric attribute ("KEY" or "KEY@last"), or NULL; the
                                            analysis asks the log's reader for it */
  gboolean satisfaction_lower_is_better; /* CES-like scales */
  gboolean drift;                        /* TRUE: look for drift */
} CxFrictionOptions;

#define CX_FRICTION_DEFAULT_NEGATIVE                                                               \
  "*complain*,*escalat*,*reopen*,*re-open*,*dispute*,*objection*,*appeal*,*cancel*,*reject*,"      \
  "*return*,*fail*"

/* Fills @opts with the defaults above. */
void cx_friction_options_init(CxFrictionOptions *opts);

#define CX_FINDING_MAX_NAMES 6

/* What a finding measures, where a kind measures more than one thing. */
typedef enum {
  CX_FINDING_MEASURE_NONE,
  CX_FINDING_MEASURE_WAIT,           /* bottleneck, inconsistency, drift: an edge's waits */
  CX_FINDING_MEASURE_SERVICE,        /* bottleneck, inconsistency, drift: an activity's service
                                        times (start to complete) */
  CX_FINDING_MEASURE_STEPS,          /* effort */
  CX_FINDING_MEASURE_TOUCHES,        /* effort: distinct resources */
  CX_FINDING_MEASURE_MANY,           /* channel_switch: many switches in one journey */
  CX_FINDING_MEASURE_SUCCESS_SHARE,  /* drift: the share of journeys ending successfully */
  CX_FINDING_MEASURE_NEGATIVE_SHARE, /* drift: a negative event's share of journeys */
  CX_FINDING_N_MEASURES
} CxFindingMeasure;

/* "wait", "service", ... as in the JSON; NULL for CX_FINDING_MEASURE_NONE. */
const char *cx_finding_measure_name(CxFindingMeasure measure);

typedef struct _CxFinding CxFinding;
struct _CxFinding {
  CxFindingKind kind;
  guint n_names;
  const char *names[CX_FINDING_MAX_NAMES]; /* activities (channels for channel_switch), in cycle
                                              order for cycles; owned by the log's pools */
  guint32 ids[CX_FINDING_MAX_NAMES];       /* names[] as ids in cx_log_activities()
                                              (cx_log_channels() for channel_switch) */
  CxFindingMeasure measure_kind;
  const char *measure; /* cx_finding_measure_name(measure_kind): effort: "steps" / "touches";
                          bottleneck, inconsistency: "wait" / "service"; channel_switch: "many"
                          or NULL; drift: "wait", "service", "success_share", "negative_share";
                          else NULL */
  guint64 cases;
  double share; /* of all cases */
  guint64 customers_lost;
  double customers_lost_share; /* of all journeys */
  double extra_time_s;
  double extra_time_share;                /* of all customer time */
  double score;                           /* the value the ranking sorts by */
  double median_with_s, median_without_s; /* NaN when no case of the group has a duration */
  double success_with, success_without;   /* shares of finished journeys; NaN when none */
  double success_p; /* two-sided p of their difference (customers count as lost, and a
                       pattern as going with success, only when p < 0.05) */
  double satisfaction_with, satisfaction_without; /* means; NaN when no score */
  guint64 occurrences;             /* rework, repeat_contact: extra occurrences; pingpong, loop:
                                      returns (steps that come back along the cycle); negative, bottleneck,
                                      inconsistency, channel_switch:             occurrences */
  double median_s, p90_s, total_s; /* bottleneck, inconsistency, channel_switch: waits */
  double wait_share;               /* bottleneck: of all waiting (or service time) */
  double threshold;                /* effort: the limit; inconsistency: p90/median; bottleneck:
                                      the cases' limit */
  double typical;                  /* effort: median; bottleneck: the median of the other waits */
  const char *preceding;           /* negative: most frequent previous activity, or NULL */
  guint64 preceding_count;
  double level_start, level_end; /* drift: the measure in the first and last window */
  double load_start, load_end;   /* drift: mean journeys in flight in those windows */
  double p, q;                   /* drift: trend p-value and its BH q-value */
  guint n_also;
  const CxFinding *also; /* findings folded into this one (owned by the analysis) */
  guint index;           /* internal: its case list */
};

typedef struct _CxFriction CxFriction;

/* Returns an empty analysis over @log (not owned); @opts is copied (its
 * strings too); NULL = defaults.  With a satisfaction key, asks @log's
 * reader options for it (call before the scan). */
CxFriction *cx_friction_new(CxLog *log, const CxFrictionOptions *opts);
void cx_friction_free(CxFriction *f);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CxFriction, cx_friction_free)

/* A CxJourneyFunc / CxResetFunc: pass the CxFriction as user data. */
gboolean cx_friction_add(const CxJourney *j, gpointer f, GError **error);
void cx_friction_reset(gpointer f);
/* Decides outcomes and findings. Call once after the scan.  FALSE with
 * @error set when the lists kept on disk could not be read back. */
gboolean cx_friction_finish(CxFriction *f, GError **error);

/* The two currencies, for any group of @cases journeys compared with the
 * rest (compare uses them too).  NaN inputs cost nothing. */
guint64 cx_friction_customers_lost(guint64 cases, double success_with, double success_without);
double cx_friction_extra_time(guint64 cases, double median_with_s, double median_without_s);

guint64 cx_friction_n_cases(const CxFriction *f);
/* After finish: the sum of all journey durations (seconds). */
double cx_friction_total_time(const CxFriction *f);
/* After finish: one bit mask per case, in the order the cases were added
 * (@n of them): bit (1 << kind) is set when the case is among the cases of
 * a finding of that kind (listed, folded or going with success).  Owned by @f. */
const guint32 *cx_friction_case_kinds(const CxFriction *f, guint *n);
/* Findings with a cost, highest score first; owned by @f. */
const CxFinding *cx_friction_findings(const CxFriction *f, guint *n);
/* Patterns that go with success (not friction), most cases first; owned by @f. */
const CxFinding *cx_friction_with_success(const CxFriction *f, guint *n);
/* The case ids (cx_log_cases) of a finding's cases, by start time (untimed
 * last), then case id in byte order (case-ids.h); owned by @f and valid
 * until the next call. */
const guint32 *cx_friction_finding_case_ids(CxFriction *f, const CxFinding *fd, guint *n);

/* A wait that is not customer friction: after success or before a return. */
typedef struct {
  const char *from, *to;  /* @to NULL for a service time */
  gboolean after_success; /* else: time until return */
  guint64 cases, count;
  double median_s, p90_s, total_s;
  double wait_share;      /* of all waiting */
  guint32 from_id, to_id; /* ids in cx_log_activities(); @to_id CX_ID_NONE with @to NULL */
} CxFrictionWait;

/* After finish: waits after success and until return holding at least
 * bottleneck_share of all waiting (or CX_FRICTION_BIG_WAIT_SHARE), largest first. */
const CxFrictionWait *cx_friction_waits(const CxFriction *f, guint *n);

/* One step of the funnel: journeys reaching @activity and finished journeys
 * leaving right after it without success. */
typedef struct {
  const char *activity;
  guint64 reached, left;
  double left_share;   /* left / reached */
  guint32 activity_id; /* in cx_log_activities() */
} CxFunnelStep;

/* After finish: every activity, most reached first (ties: name). */
const CxFunnelStep *cx_friction_funnel(const CxFriction *f, guint *n);

/* Before finish: decide outcomes by @models (cx_outcome_set_model) instead
 * of the options' success list and open-after limit: the same as
 * `cxmine friction --success ... --open-after ...` with that model. */
void cx_friction_set_outcome_model(CxFriction *f, const CxOutcome *const *models, guint n);
/* After the scan, before any model is set: decides the outcomes of @f's
 * journeys by its own options (as `cxmine friction` alone would) and returns
 * that decision without journeys (cx_outcome_copy_decision; owned by the
 * caller), @f's log's share of a model.  A model set afterwards decides
 * @f's outcomes at finish as if this had not been called. */
CxOutcome *cx_friction_infer_outcome(CxFriction *f);
/* The sentence saying which ends count as success (outcome.h). */
const char *cx_friction_success_explain(const CxFriction *f);
/* TRUE when no clear successful end was found (outcome.h, rule 3). */
gboolean cx_friction_success_weak(const CxFriction *f);
/* The sentence saying which journeys count as still open, and why. */
const char *cx_friction_open_explain(const CxFriction *f);
/* The open-after limit in force after finish (microseconds; 0 = none). */
gint64 cx_friction_open_after(const CxFriction *f);
/* After finish: the outcome of the @index-th (from 0) non-empty journey
 * added, by the same rules as the findings (milestones, open journeys). */
CxOutcomeKind cx_friction_case_outcome(const CxFriction *f, guint64 index);
/* Journeys that ended successfully, dropped off, are still open. */
void cx_friction_outcomes(const CxFriction *f, guint64 *success, guint64 *dropoff, guint64 *open);
/* The options in force (after new). */
const CxFrictionOptions *cx_friction_options(const CxFriction *f);
/* After finish: journeys with a satisfaction score. */
guint64 cx_friction_n_scored(const CxFriction *f);
/* After finish: the relative error of the medians and p90s shown (waits,
 * service times), 0 when all are exact (quantile_rel_error). */
double cx_friction_quantile_rel_error(const CxFriction *f);

/* One cell of the channel-to-channel matrix: consecutive instances on
 * channel @from then @to. */
typedef struct {
  const char *from, *to; /* owned by the log's channel pool */
  guint64 count, cases;
  double median_wait_s;   /* NaN when no timed switch */
  guint32 from_id, to_id; /* ids in cx_log_channels() */
} CxChannelSwitch;

/* After finish: every switch seen, most frequent first; owned by @f. */
const CxChannelSwitch *cx_friction_channel_matrix(const CxFriction *f, guint *n);

/* "288 customers lost (27%), +40 years customer time (31%)". Returns a new string. */
char *cx_finding_cost(const CxFinding *fd);
/* After finish: a sentence when lifecycle:transition holds statuses rather
 * than the XES lifecycle model (also handed to the log's notice callback),
 * suggesting the option that uses them; NULL otherwise. */
const char *cx_friction_status_hint(const CxFriction *f);
/* The log the analysis reads (not owned). */
CxLog *cx_friction_log(const CxFriction *f);
/* One plain-words sentence for @fd. Returns a new string. */
char *cx_finding_describe(const CxFinding *fd, guint64 n_cases);

/* Writes the whole answer (docs/json.md): at most @top findings (0 = all),
 * with findings_total and truncated; with @case_ids, each finding's case ids. */
void cx_friction_to_json(CxFriction *f, CxJson *json, guint top, gboolean case_ids);
/* Appends the readable report (at most @top findings; 0 = all); with
 * @case_ids, under each finding the first @case_ids of its case ids and
 * how many more there are (G_MAXUINT = all; 0 = none). */
void cx_friction_to_text(CxFriction *f, GString *out, guint top, guint case_ids);
/* Appends a DOT journey map: the log's edges (frequent ones), with the top
 * @top findings highlighted and annotated, and an end node with the
 * journeys that stop at each activity. */
void cx_friction_to_dot(CxFriction *f, GString *out, guint top);

G_END_DECLS
