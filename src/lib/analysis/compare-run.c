/* cxmine — a comparison as `cxmine compare` makes it: two logs under one
 * outcome model, and one log split at a time (compare-run.h); the
 * segments of one log are in compare-by.c. */
#include "cxmine/compare-run.h"
#include "cxmine/segment.h"
#include "compare-private.h"

/* the quark's name is one token, which clang-format would split */
/* clang-format off */
G_DEFINE_QUARK(cx-compare-run-error-quark, cx_compare_run_error)
/* clang-format on */

void
cx_compare_friction_options(const CxFrictionOptions *fo, CxFrictionOptions *out)
{
  if (fo != NULL)
    *out = *fo;
  else
    cx_friction_options_init(out);
}

/* ---------- two logs ---------- */

struct _CxCompareLog {
  CxLog *log;
  CxFrictionOptions fo;
  CxOutcome *outcome;   /* this log's own inference, its share of the model: decided from
                         * its friction analysis's journeys (no second copy of them) */
  CxFriction *friction; /* this log's own analysis, as `cxmine friction` on it (by the model) */
  CxCompareSide *side;
  gboolean finished;
  char *names[2], *rule; /* cx_compare_logs: what the comparison points at */
};

CxCompareLog *
cx_compare_log_new(CxLog *log, const CxFrictionOptions *fo)
{
  CxCompareLog *l = g_new0(CxCompareLog, 1);
  l->log = log;
  cx_compare_friction_options(fo, &l->fo);
  if (l->fo.satisfaction_key != NULL)
    cx_read_options_want_attr(cx_log_options(log), l->fo.satisfaction_key);
  l->friction = cx_friction_new(log, &l->fo);
  l->side = cx_compare_side_new(log);
  cx_compare_side_set_friction(l->side, l->friction);
  if (l->fo.satisfaction_key != NULL)
    cx_compare_side_set_satisfaction(l->side, l->fo.satisfaction_key);
  return l;
}

void
cx_compare_log_free(CxCompareLog *l)
{
  if (l == NULL)
    return;
  cx_compare_side_free(l->side);
  cx_friction_free(l->friction);
  cx_outcome_free(l->outcome);
  g_free(l->names[0]);
  g_free(l->names[1]);
  g_free(l->rule);
  g_free(l);
}

gboolean
cx_compare_log_add(const CxJourney *j, gpointer data, GError **error)
{
  CxCompareLog *l = data;
  /* the analysis before the side: the side notes the journey's place in it */
  return cx_friction_add(j, l->friction, error) && cx_compare_side_add(j, l->side, error);
}

void
cx_compare_log_reset(gpointer data)
{
  CxCompareLog *l = data;
  cx_friction_reset(l->friction);
  cx_compare_side_reset(l->side);
}

guint64
cx_compare_log_n_cases(const CxCompareLog *l)
{
  return cx_compare_side_n_cases(l->side);
}

CxCompare *
cx_compare_logs(CxCompareLog *a, CxCompareLog *b, const CxCompareOptions *opts, GError **error)
{
  CxCompareLog *l[2] = { a, b };
  for (int k = 0; k < 2; k++)
    if (!l[k]->finished) {
      cx_outcome_free(l[k]->outcome);
      l[k]->outcome = cx_friction_infer_outcome(l[k]->friction);
      cx_compare_side_set_outcome(l[k]->side, l[k]->outcome);
    }
  /* one model from both logs: the union of what each infers, one open-after */
  const CxOutcome *models[2] = { a->outcome, b->outcome };
  for (int k = 0; k < 2; k++)
    if (!l[k]->finished) {
      cx_friction_set_outcome_model(l[k]->friction, models, 2);
      if (!cx_friction_finish(l[k]->friction, error))
        return NULL;
      l[k]->finished = TRUE;
    }
  for (int k = 0; k < 2; k++)
    if (cx_compare_side_n_cases(l[k]->side) == 0) {
      g_autofree char *name = cx_log_display_name(l[k]->log);
      g_set_error(error, CX_COMPARE_RUN_ERROR, CX_COMPARE_RUN_ERROR_EMPTY,
                  "the %s log (%s) has no journeys%s", k == 0 ? "first" : "second", name,
                  cx_log_counts(l[k]->log)->cases_filtered > 0 ? " left after the filters" : "");
      return NULL;
    }
  CxCompareOptions co = *opts;
  for (int k = 0; k < 2; k++) {
    g_free(a->names[k]);
    a->names[k] = g_strdup(co.names[k] != NULL ? co.names[k] : NULL);
    if (a->names[k] == NULL)
      a->names[k] = cx_log_display_name(l[k]->log);
    co.names[k] = a->names[k];
  }
  g_free(a->rule);
  a->rule = g_strdup_printf("%s %s", cx_friction_success_explain(a->friction),
                            cx_friction_open_explain(a->friction));
  if (co.success_rule == NULL)
    co.success_rule = a->rule;
  return cx_compare_new(a->side, b->side, &co);
}

/* ---------- one log split at a time ---------- */

struct _CxCompareSplit {
  CxLog *log;
  gint64 split;
  CxFrictionOptions fo;
  CxOutcome *outcome;
  CxFriction *friction[2]; /* each side's own, as `cxmine friction` on its journeys */
  CxCompareSide *side[2];
  guint64 unplaced;
  char *rule;
};

CxCompareSplit *
cx_compare_split_new(CxLog *log, gint64 split_at, const CxFrictionOptions *fo)
{
  CxCompareSplit *s = g_new0(CxCompareSplit, 1);
  s->log = log;
  s->split = split_at;
  cx_compare_friction_options(fo, &s->fo);
  if (s->fo.satisfaction_key != NULL)
    cx_read_options_want_attr(cx_log_options(log), s->fo.satisfaction_key);
  s->outcome = cx_outcome_new(log, s->fo.success, s->fo.open_after_us);
  for (int k = 0; k < 2; k++) {
    s->friction[k] = cx_friction_new(log, &s->fo);
    s->side[k] = cx_compare_side_new(log);
    cx_compare_side_set_friction(s->side[k], s->friction[k]);
    cx_compare_side_set_outcome(s->side[k], s->outcome);
    if (s->fo.satisfaction_key != NULL)
      cx_compare_side_set_satisfaction(s->side[k], s->fo.satisfaction_key);
  }
  return s;
}

void
cx_compare_split_free(CxCompareSplit *s)
{
  if (s == NULL)
    return;
  for (int k = 0; k < 2; k++) {
    cx_compare_side_free(s->side[k]);
    cx_friction_free(s->friction[k]);
  }
  cx_outcome_free(s->outcome);
  g_free(s->rule);
  g_free(s);
}

gboolean
cx_compare_split_add(const CxJourney *j, gpointer data, GError **error)
{
  CxCompareSplit *s = data;
  if (!cx_outcome_add(j, s->outcome, error))
    return FALSE;
  int k = cx_segment_split_side(j, s->split);
  if (k < 0) {
    s->unplaced++;
    return TRUE; /* cannot be placed */
  }
  return cx_friction_add(j, s->friction[k], error) && cx_compare_side_add(j, s->side[k], error);
}

void
cx_compare_split_reset(gpointer data)
{
  CxCompareSplit *s = data;
  cx_outcome_reset(s->outcome);
  for (int k = 0; k < 2; k++) {
    cx_friction_reset(s->friction[k]);
    cx_compare_side_reset(s->side[k]);
  }
  s->unplaced = 0;
}

guint64
cx_compare_split_unplaced(const CxCompareSplit *s)
{
  return s->unplaced;
}

CxCompare *
cx_compare_split(CxCompareSplit *s, const CxCompareOptions *opts, GError **error)
{
  cx_outcome_finish(s->outcome);
  if (!cx_outcome_check(s->outcome, error))
    return NULL;
  const CxOutcome *model = s->outcome;
  for (int k = 0; k < 2; k++) {
    cx_friction_set_outcome_model(s->friction[k], &model, 1);
    if (!cx_friction_finish(s->friction[k], error))
      return NULL;
  }
  for (int k = 0; k < 2; k++)
    if (cx_compare_side_n_cases(s->side[k]) == 0) {
      g_set_error(error, CX_COMPARE_RUN_ERROR, CX_COMPARE_RUN_ERROR_EMPTY,
                  "no journey starts %s it; nothing to compare", k == 0 ? "before" : "on or after");
      return NULL;
    }
  g_free(s->rule);
  s->rule = g_strdup_printf("%s %s", cx_friction_success_explain(s->friction[0]),
                            cx_friction_open_explain(s->friction[0]));
  CxCompareOptions co = *opts;
  if (co.success_rule == NULL)
    co.success_rule = s->rule;
  return cx_compare_new(s->side[0], s->side[1], &co);
}
