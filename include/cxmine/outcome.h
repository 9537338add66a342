/* cxmine — outcomes: which journeys end successfully, which are still open.
 *
 * Successful ends come from a list given by the user (--success A,B) or are
 * inferred from the log (see cx_outcome_explain for how).  A journey whose
 * last event is less than open_after before the log's last timestamp is
 * still open: neither a success nor a drop-off.
 *
 * Inference, when no list is given, counting only finished (not open)
 * journeys' last activities:
 *  1. every end activity whose name contains a success word (whole words,
 *     case-insensitive, split at non-alphanumerics and camelCase: close(d),
 *     resolve(d), solved, complete(d), done, finish(ed), pay, paid, payment,
 *     accept(ed), approve(d), success(ful), deliver(ed), release(d),
 *     fulfilled, won) and no veto word (not, no, reject(ed), cancel(led),
 *     decline(d), fail(ed), abort, lost, denied, refused, withdrawn, unpaid,
 *     return(ed), error, expired) is a successful end; a success word found
 *     in more than half of the log's activity names (with more than 3
 *     activities) names the process, not an outcome, and is not counted
 *     ("Request For Payment SUBMITTED", ...);
 *  2. when no end activity qualifies, or those that do end fewer than 10% of
 *     finished journeys, the most frequent end without a veto word (all
 *     tied ones) is the successful end.
 *
 * Use: one pass of cx_outcome_add over the journeys, then cx_outcome_finish,
 * then classify with cx_outcome_classify. */
#pragma once

#include <glib.h>
#include "cxmine/reader.h"

G_BEGIN_DECLS

typedef enum {
  CX_OUTCOME_SUCCESS,
  CX_OUTCOME_DROPOFF, /* ended at an activity that is not a successful end */
  CX_OUTCOME_OPEN,    /* too recent to judge */
} CxOutcomeKind;

typedef struct _CxOutcome CxOutcome;

/* @success: NULL-terminated activity names, or NULL to infer.
 * @open_after_us: microseconds; 0 = no case is open. */
CxOutcome *cx_outcome_new(CxLog *log, const char *const *success, gint64 open_after_us);
void cx_outcome_free(CxOutcome *o);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CxOutcome, cx_outcome_free)

/* A CxJourneyFunc / CxResetFunc: pass the CxOutcome as user data. */
gboolean cx_outcome_add(const CxJourney *j, gpointer o, GError **error);
void cx_outcome_reset(gpointer o);
/* Decides the successful ends (inferring them when no list was given). */
void cx_outcome_finish(CxOutcome *o);

/* After finish: the outcome of a journey ending at @end_activity at @last_time. */
CxOutcomeKind cx_outcome_classify(const CxOutcome *o, guint32 end_activity, gint64 last_time);
gboolean cx_outcome_is_success_end(const CxOutcome *o, guint32 activity);
/* After finish: one sentence saying which ends count as success and why. */
const char *cx_outcome_explain(const CxOutcome *o);
/* After a scan: the log's last completion timestamp, or CX_TS_NONE. */
gint64 cx_outcome_log_last_time(const CxOutcome *o);
/* After finish: how many journeys ended successfully, dropped off, are open
 * (each may be NULL). */
void cx_outcome_counts(const CxOutcome *o, guint64 *success, guint64 *dropoff, guint64 *open);

G_END_DECLS
