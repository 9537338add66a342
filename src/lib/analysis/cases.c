/* The case table: one compact row per journey, plus the outcome rule and
 * the variants it needs, filled in one pass. */
#include "cxmine/cases.h"
#include "cxmine/variants.h"
#include <string.h>

struct _CxCaseTable {
  CxLog *log;
  CxOutcome *outcome;
  CxVariants *variants;
  GArray *rows;         /* CxCaseRow, in order added */
  GArray *variant_ids;  /* guint32 per row */
  GArray *outcome_seq;  /* guint64 per row: the journey's index in the outcome, or G_MAXUINT64 */
  guint64 outcome_next; /* non-empty journeys added */
  GPtrArray *sorted;    /* CxCaseRow*, filled by finish */
};

CxCaseTable *
cx_case_table_new(CxLog *log, const char *const *success, gint64 open_after_us)
{
  CxCaseTable *t = g_new0(CxCaseTable, 1);
  t->log = log;
  t->outcome = cx_outcome_new(log, success, open_after_us);
  t->variants = cx_variants_new(log);
  t->rows = g_array_new(FALSE, FALSE, sizeof(CxCaseRow));
  t->variant_ids = g_array_new(FALSE, FALSE, sizeof(guint32));
  t->outcome_seq = g_array_new(FALSE, FALSE, sizeof(guint64));
  t->sorted = g_ptr_array_new();
  return t;
}

void
cx_case_table_free(CxCaseTable *t)
{
  if (t == NULL)
    return;
  cx_outcome_free(t->outcome);
  cx_variants_free(t->variants);
  g_array_free(t->rows, TRUE);
  g_array_free(t->variant_ids, TRUE);
  g_array_free(t->outcome_seq, TRUE);
  g_ptr_array_free(t->sorted, TRUE);
  g_free(t);
}

gboolean
cx_case_table_add(const CxJourney *j, gpointer data, GError **error)
{
  CxCaseTable *t = data;
  if (!cx_outcome_add(j, t->outcome, error))
    return FALSE;
  CxCaseRow r = { 0 };
  r.case_id = j->case_id;
  r.steps = j->n_instances;
  r.events = j->n_events;
  r.first = cx_journey_first_time(j);
  r.last = cx_journey_last_time(j);
  r.duration = cx_journey_elapsed(j, cx_log_options(t->log)->calendar);
  r.seq = t->rows->len;
  g_array_append_val(t->rows, r);
  guint32 vid = cx_variants_add_journey(t->variants, j);
  g_array_append_val(t->variant_ids, vid);
  /* cx_outcome_get counts only journeys with instances */
  guint64 oseq = j->n_instances > 0 ? t->outcome_next++ : G_MAXUINT64;
  g_array_append_val(t->outcome_seq, oseq);
  return TRUE;
}

void
cx_case_table_reset(gpointer data)
{
  CxCaseTable *t = data;
  cx_outcome_reset(t->outcome);
  cx_variants_reset(t->variants);
  g_array_set_size(t->rows, 0);
  g_array_set_size(t->variant_ids, 0);
  g_array_set_size(t->outcome_seq, 0);
  g_ptr_array_set_size(t->sorted, 0);
  t->outcome_next = 0;
}

static int
cmp_row(gconstpointer a, gconstpointer b, gpointer cases)
{
  const CxCaseRow *x = *(CxCaseRow *const *)a, *y = *(CxCaseRow *const *)b;
  gint64 fx = x->first == CX_TS_NONE ? G_MAXINT64 : x->first;
  gint64 fy = y->first == CX_TS_NONE ? G_MAXINT64 : y->first;
  if (fx != fy)
    return fx < fy ? -1 : 1;
  return strcmp(cx_pool_get(cases, x->case_id), cx_pool_get(cases, y->case_id));
}

void
cx_case_table_finish(CxCaseTable *t)
{
  cx_outcome_finish(t->outcome);
  g_ptr_array_set_size(t->sorted, 0);
  for (guint i = 0; i < t->rows->len; i++) {
    CxCaseRow *r = &g_array_index(t->rows, CxCaseRow, i);
    guint64 oseq = g_array_index(t->outcome_seq, guint64, i);
    /* a journey without instances has no end: it cannot have succeeded */
    r->outcome = oseq == G_MAXUINT64 ? CX_OUTCOME_DROPOFF : cx_outcome_get(t->outcome, oseq);
    r->variant_rank = cx_variants_rank(t->variants, g_array_index(t->variant_ids, guint32, i));
    g_ptr_array_add(t->sorted, r);
  }
  g_ptr_array_sort_with_data(t->sorted, cmp_row, cx_log_cases(t->log));
}

const CxCaseRow *
cx_case_table_rows(const CxCaseTable *t, guint *n)
{
  *n = t->rows->len;
  return (const CxCaseRow *)t->rows->data;
}

const CxCaseRow *const *
cx_case_table_sorted(CxCaseTable *t, guint *n)
{
  *n = t->sorted->len;
  return (const CxCaseRow *const *)t->sorted->pdata;
}

CxOutcome *
cx_case_table_outcome(const CxCaseTable *t)
{
  return t->outcome;
}

const char *
cx_outcome_kind_name(CxOutcomeKind k)
{
  switch (k) {
    case CX_OUTCOME_SUCCESS:
      return "success";
    case CX_OUTCOME_OPEN:
      return "open";
    case CX_OUTCOME_DROPOFF:
    default:
      return "dropoff";
  }
}
