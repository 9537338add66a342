/* cxmine — a comparison as `cxmine compare` makes it, for every caller
 * (the compare command and the report share this one code path).
 *
 * Two logs (CxCompareLog): each log is scanned into its own group, with its
 * own outcome (the success list and open-after limit of the friction
 * options, inferred when not given) and its own friction analysis; then
 * cx_compare_logs() decides ONE outcome model from both logs together
 * (cx_outcome_set_model: the union of the successful ends each infers, one
 * open-after limit), finishes both analyses by it and compares.
 *
 * Segments (CxCompareBy): one scan routes each journey by the value of an
 * attribute; cx_compare_by_finish() makes the segments (numeric values in
 * bins, see CxCompareByOptions), gives each segment and each segment's rest
 * its own friction analysis by the whole log's outcome model, and compares
 * each segment with the rest (or with a baseline segment); it keeps an
 * overview row per segment (cases, median duration, success share,
 * customers lost, top friction). */
#pragma once

#include <glib.h>
#include "cxmine/log.h"
#include "cxmine/compare.h"

G_BEGIN_DECLS

#define CX_COMPARE_RUN_ERROR (cx_compare_run_error_quark())
GQuark cx_compare_run_error_quark(void);

typedef enum {
  CX_COMPARE_RUN_ERROR_EMPTY,    /* a side or every segment without journeys, or one segment */
  CX_COMPARE_RUN_ERROR_OPTION,   /* --bins or --max-segments do not fit the values */
  CX_COMPARE_RUN_ERROR_BASELINE, /* no segment has the baseline value (a usage error) */
} CxCompareRunError;

/* ---------- two logs ---------- */

typedef struct _CxCompareLog CxCompareLog;

/* One log's group, over @log (not owned); @fo (copied, NULL = defaults):
 * the success list, open-after limit and satisfaction key of both sides
 * (asks @log for the satisfaction key's attribute). */
CxCompareLog *cx_compare_log_new(CxLog *log, const CxFrictionOptions *fo);
void cx_compare_log_free(CxCompareLog *l);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CxCompareLog, cx_compare_log_free)
/* A CxJourneyFunc / CxResetFunc: pass the group as user data. */
gboolean cx_compare_log_add(const CxJourney *j, gpointer l, GError **error);
void cx_compare_log_reset(gpointer l);
guint64 cx_compare_log_n_cases(const CxCompareLog *l);

/* After both scans: decides the outcome model from both logs, finishes the
 * analyses and compares @a (side 0) with @b (side 1).  @opts's names
 * (NULL = the logs' display names) and success_rule (NULL = the model's
 * sentence) are copied into @a: free the comparison before @a.  NULL with
 * @error when a log has no journeys.  Call once. */
CxCompare *cx_compare_logs(CxCompareLog *a, CxCompareLog *b, const CxCompareOptions *opts,
                           GError **error);

/* ---------- one log split at a time ---------- */

typedef struct _CxCompareSplit CxCompareSplit;

/* Journeys of @log (not owned) starting before @split_at (side 0) vs from
 * it (side 1); each side has its own friction analysis, both by the log's
 * one outcome model; @fo as for cx_compare_log_new. */
CxCompareSplit *cx_compare_split_new(CxLog *log, gint64 split_at, const CxFrictionOptions *fo);
void cx_compare_split_free(CxCompareSplit *s);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CxCompareSplit, cx_compare_split_free)
gboolean cx_compare_split_add(const CxJourney *j, gpointer s, GError **error);
void cx_compare_split_reset(gpointer s);
/* Journeys without a time (on no side). */
guint64 cx_compare_split_unplaced(const CxCompareSplit *s);
/* After the scan: finishes the analyses and compares (@opts's names as
 * given; success_rule NULL = the model's sentence, kept in @s: free the
 * comparison before @s).  NULL with @error when a side has no journeys
 * ("no journey starts before it; nothing to compare").  Call once. */
CxCompare *cx_compare_split(CxCompareSplit *s, const CxCompareOptions *opts, GError **error);

/* ---------- segments of one log ---------- */

typedef struct {
  const char *baseline; /* compare each segment with this one instead of the rest; NULL = the
                           rest (with two segments: the larger is the baseline) */
  const char *bins;     /* numeric values: "N" bins of about equal journeys or "E1,E2,..."
                           edges; NULL = 4 bins when there are more than 4 distinct values */
  guint max_segments;   /* refuse more segments (default 50) */
} CxCompareByOptions;

void cx_compare_by_options_init(CxCompareByOptions *opts);

typedef struct _CxCompareBy CxCompareBy;

/* Segments of @log (not owned) by the attribute @key ("KEY", "KEY@last" or
 * a CSV "case:KEY"; asks @log for it); @fo as for cx_compare_log_new. */
CxCompareBy *cx_compare_by_new(CxLog *log, const char *key, const CxFrictionOptions *fo);
void cx_compare_by_free(CxCompareBy *b);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CxCompareBy, cx_compare_by_free)
gboolean cx_compare_by_add(const CxJourney *j, gpointer b, GError **error);
void cx_compare_by_reset(gpointer b);

/* After the scan: makes the segments and their comparisons (@copts: the
 * tests' options; names and success_rule are set per comparison).  FALSE
 * with @error (CX_COMPARE_RUN_ERROR) when there is nothing to compare or
 * @bo does not fit. */
gboolean cx_compare_by_finish(CxCompareBy *b, const CxCompareByOptions *bo,
                              const CxCompareOptions *copts, GError **error);
/* The key as read ("case:" dropped). */
const char *cx_compare_by_key(const CxCompareBy *b);
guint cx_compare_by_n_segments(const CxCompareBy *b);
/* Segment @i's label: the value, a bin ("< 1000", "1000 to < 5000",
 * ">= 5000") or "(none)". */
const char *cx_compare_by_label(const CxCompareBy *b, guint i);
/* Segment @i compared with the rest (side 0) or the baseline; NULL for the
 * baseline itself. */
const CxCompare *cx_compare_by_get(const CxCompareBy *b, guint i);
/* The baseline segment's index, or -1 (each vs the rest). */
gint cx_compare_by_baseline(const CxCompareBy *b);
/* The outcome rule in one sentence (which ends count as success, which
 * journeys are open). */
const char *cx_compare_by_rule(const CxCompareBy *b);
/* An overview row: journeys, median duration (s; NaN = unknown), success
 * share of finished journeys (NaN = none), customers lost (-1 = unknown)
 * and the friction kind costing the segment most (NULL = none). */
void cx_compare_by_row(const CxCompareBy *b, guint i, guint64 *cases, double *median_s,
                       double *success_share, gint64 *lost, const char **top_friction);
/* The overview as text: a title line and the table. */
void cx_compare_by_overview_text(const CxCompareBy *b, GString *out);
/* The whole result as `cxmine compare --by KEY --json` writes it. */
void cx_compare_by_to_json(const CxCompareBy *b, CxJson *json);

G_END_DECLS
