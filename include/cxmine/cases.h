/* cxmine — the case table: one row per journey (start, end, steps, outcome,
 * variant rank), the common ground of `cases`, `trend` and `resources`.
 *
 * Use: one scan with cx_case_table_add (and cx_case_table_reset) as the
 * journey callback, then cx_case_table_finish, then read the rows. The
 * outcome of each journey comes from outcome.h (the same rule as friction);
 * the variant rank is the one `cxmine variants` prints. */
#pragma once

#include <glib.h>
#include "cxmine/log.h"
#include "cxmine/reader.h"
#include "cxmine/outcome.h"

G_BEGIN_DECLS

typedef struct {
  guint32 case_id; /* id in cx_log_cases() */
  guint steps;     /* activity instances (after lifecycle pairing) */
  guint events;    /* raw events read */
  gint64 first;    /* first timestamp, or CX_TS_NONE */
  gint64 last;     /* last completion timestamp, or CX_TS_NONE */
  gint64 duration; /* last - first in microseconds (working time with business hours), or -1 */
  CxOutcomeKind outcome;
  guint variant_rank; /* 1-based, as in cx_variants_sorted() */
  guint seq;          /* order in which the journey was added, from 0 */
} CxCaseRow;

typedef struct _CxCaseTable CxCaseTable;

/* A table over @log (not owned; must outlive it). @success and
 * @open_after_us are cx_outcome_new()'s. */
CxCaseTable *cx_case_table_new(CxLog *log, const char *const *success, gint64 open_after_us);
void cx_case_table_free(CxCaseTable *t);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CxCaseTable, cx_case_table_free)

/* A CxJourneyFunc / CxResetFunc: pass the table as user data. */
gboolean cx_case_table_add(const CxJourney *j, gpointer t, GError **error);
void cx_case_table_reset(gpointer t);
/* Decides outcomes and ranks; call once after the scan, then check
 * cx_outcome_check() of cx_case_table_outcome(). */
void cx_case_table_finish(CxCaseTable *t);

/* After finish: the rows in the order added (row i has seq i). Owned by @t. */
const CxCaseRow *cx_case_table_rows(const CxCaseTable *t, guint *n);
/* After finish: the rows ordered by start time (untimed last), then case id
 * in byte order. The array of pointers is owned by @t. */
const CxCaseRow *const *cx_case_table_sorted(CxCaseTable *t, guint *n);
/* The outcome rule in force (for its explanations). */
CxOutcome *cx_case_table_outcome(const CxCaseTable *t);
/* The stable name of an outcome: "success", "dropoff", "open". */
const char *cx_outcome_kind_name(CxOutcomeKind k);

/* The case table as text for people (times in @tz), CSV or JSON, appended to @out. */
void cx_case_table_to_text(CxLog *log, CxCaseTable *t, GTimeZone *tz, GString *out);
void cx_case_table_to_csv(CxLog *log, CxCaseTable *t, GString *out);
void cx_case_table_to_json(CxLog *log, CxCaseTable *t, GString *out);

G_END_DECLS
