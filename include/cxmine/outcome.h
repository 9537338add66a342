/* cxmine — outcomes: which journeys end successfully, which are still open.
 *
 * Successful ends come from a list given by the user (--success A,B) or are
 * inferred from the log (see cx_outcome_explain for how).  A journey whose
 * last event is less than open_after before the log's last timestamp is
 * still open: neither a success nor a drop-off.
 *
 * Inference, when no list is given, counting only finished journeys (with a
 * given open_after: those older than that; else all):
 *  1. every end activity whose name contains a success word (whole words,
 *     case-insensitive, split at non-alphanumerics and camelCase: close(d),
 *     resolve(d), solved, complete(d), done, finish(ed), pay, paid, payment,
 *     approve(d), success(ful), deliver(ed), release(d),
 *     fulfilled, won) and no veto word (not, no, reject(ed), cancel(led),
 *     decline(d), fail(ed), abort, lost, denied, refused, withdrawn, unpaid,
 *     return(ed), error, expired) is a successful end (words meaning "taken
 *     into work", such as accepted, received, registered, opened, assigned,
 *     are not success words); a success word found
 *     in more than half of the log's activity names (with more than 3
 *     activities) names the process, not an outcome, and is not counted
 *     ("Request For Payment SUBMITTED", ...);
 *  2. when those ends cover fewer than 10% of finished journeys, success
 *     may be a milestone followed by paperwork (BPIC 2012: A_APPROVED, then
 *     A_REGISTERED, A_ACTIVATED): a success-named activity is a milestone
 *     when at most 10% of the finished journeys passing it end at a
 *     veto-named activity, and a journey that passed a milestone with no
 *     veto-named activity after it (and does not end at one) is successful,
 *     as are those ending at the ends of rule 1 — if that covers 10%;
 *  3. otherwise the most frequent end without a veto word (all tied ones)
 *     is the successful end, and the explanation says the guess is weak and
 *     suggests --success with the most frequent ends.
 *
 * Open journeys: a journey that did not end successfully and whose last
 * event is less than open_after before the log's last timestamp is still
 * open.  With CX_OUTCOME_OPEN_INFER, open_after is the p95 (nearest rank)
 * of the longest pause between two consecutive steps in the journeys that
 * ended successfully (at least CX_OUTCOME_OPEN_MIN_JOURNEYS of them with
 * two timed steps; else 0): a running journey quiet for less than that
 * still looks like the ones that went on to succeed.
 *
 * Use: one pass of cx_outcome_add over the journeys, then cx_outcome_finish,
 * then cx_outcome_get per journey (or cx_outcome_classify by end). */
#pragma once

#include <glib.h>
#include "cxmine/log.h"
#include "cxmine/reader.h"

G_BEGIN_DECLS

typedef enum {
  CX_OUTCOME_SUCCESS,
  CX_OUTCOME_DROPOFF, /* ended at an activity that is not a successful end */
  CX_OUTCOME_OPEN,    /* too recent to judge */
} CxOutcomeKind;

typedef struct _CxOutcome CxOutcome;

#define CX_OUTCOME_OPEN_INFER        (-1)
#define CX_OUTCOME_OPEN_MIN_JOURNEYS 20

/* @success: NULL-terminated activity names, or NULL to infer.
 * @open_after_us: microseconds; 0 = no case is open; CX_OUTCOME_OPEN_INFER
 * (any negative value) = infer it (see above). */
CxOutcome *cx_outcome_new(CxLog *log, const char *const *success, gint64 open_after_us);
void cx_outcome_free(CxOutcome *o);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CxOutcome, cx_outcome_free)

/* A CxJourneyFunc / CxResetFunc: pass the CxOutcome as user data. */
gboolean cx_outcome_add(const CxJourney *j, gpointer o, GError **error);
void cx_outcome_reset(gpointer o);
/* Decides the successful ends (inferring them when no list was given). */
void cx_outcome_finish(CxOutcome *o);
/* FALSE with @error set once the journeys' records (on disk past the first
 * MiB) failed to be written or read back: cx_outcome_add returns it for
 * its journey; check it after finish too. */
gboolean cx_outcome_check(const CxOutcome *o, GError **error);

/* Before finish: take the decision of @models (@n finished outcomes, over
 * this log or others) instead of deciding: their successful ends and
 * milestones (by activity name; the union when several), their weak flag,
 * and one open-after limit (the longest of theirs), with one explanation.
 * Compare gives each side the one model of both.  Nothing of @models is kept. */
void cx_outcome_set_model(CxOutcome *o, const CxOutcome *const *models, guint n);
/* After finish (without a model): a new outcome holding @o's decision
 * (successful ends, milestones, open-after limit, explanations) but none of
 * its journeys, so it costs nothing per journey.  It serves as a model for
 * cx_outcome_set_model and answers is_success_end/step, explain, weak and
 * open_after; cx_outcome_get and _counts know no journeys. */
CxOutcome *cx_outcome_copy_decision(const CxOutcome *o);
/* After finish: the outcome of the @journey-th (from 0) non-empty journey
 * added.  This one knows milestones (rule 2). */
CxOutcomeKind cx_outcome_get(const CxOutcome *o, guint64 journey);
/* The last activity and the last time (CX_TS_NONE when untimed) of the
 * @journey-th (from 0) non-empty journey added: what the outcome keeps of
 * it, so that an analysis on top need not keep them again. */
guint32 cx_outcome_end_activity(const CxOutcome *o, guint64 journey);
gint64 cx_outcome_last_time(const CxOutcome *o, guint64 journey);
/* After finish: the outcome of a journey ending at @end_activity at
 * @last_time, judged by its end alone (no milestones). */
CxOutcomeKind cx_outcome_classify(const CxOutcome *o, guint32 end_activity, gint64 last_time);
gboolean cx_outcome_is_success_end(const CxOutcome *o, guint32 activity);
/* After finish: TRUE when reaching @activity means success was reached: a
 * successful end, or (when success is inferred, not weakly) a success-named
 * activity (rule 1's words, milestones).  Waits after it are after-success
 * time, not customer friction. */
gboolean cx_outcome_is_success_step(const CxOutcome *o, guint32 activity);
/* After finish: one sentence saying which ends count as success and why. */
const char *cx_outcome_explain(const CxOutcome *o);
/* After finish: TRUE when rule 3 decided (no clear successful end). */
gboolean cx_outcome_is_weak(const CxOutcome *o);
/* After finish: one sentence saying which journeys count as open and why. */
const char *cx_outcome_open_explain(const CxOutcome *o);
/* After finish: the open-after limit in force (microseconds; 0 = none). */
gint64 cx_outcome_open_after(const CxOutcome *o);
/* After a scan: the log's last completion timestamp, or CX_TS_NONE. */
gint64 cx_outcome_log_last_time(const CxOutcome *o);
/* After finish: how many journeys ended successfully, dropped off, are open
 * (each may be NULL). */
void cx_outcome_counts(const CxOutcome *o, guint64 *success, guint64 *dropoff, guint64 *open);

G_END_DECLS
