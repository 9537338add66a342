/* cxmine — the journey report: one scan feeding every analysis it shows. */
#include "report-private.h"
#include "cxmine/output.h"
#include <string.h>

G_DEFINE_QUARK(cx - report - error - quark, cx_report_error)

void
cx_report_options_init(CxReportOptions *opts)
{
  *opts = (CxReportOptions){ 0 };
  opts->every_auto = TRUE;
  opts->every = CX_TREND_WEEK;
  opts->top = 10;
  opts->render_timeout_s = 60;
  opts->split_at = CX_TS_NONE;
}

static CxCompareSide *
side_new(CxReport *r)
{
  CxCompareSide *s = cx_compare_side_new(r->log);
  cx_compare_side_set_friction(s, r->friction);
  cx_compare_side_set_outcome(s, r->outcome);
  return s;
}

CxReport *
cx_report_new(CxLog *log, const CxReportOptions *opts)
{
  CxReport *r = g_new0(CxReport, 1);
  r->log = log;
  if (opts != NULL)
    r->opts = *opts;
  else
    cx_report_options_init(&r->opts);
  if (r->opts.friction != NULL)
    r->fopts = *r->opts.friction;
  else
    cx_friction_options_init(&r->fopts);
  r->opts.friction = NULL;
  r->title = g_strdup(r->opts.title);
  r->opts.title = r->title;
  r->by = g_strdup(r->opts.by);
  r->opts.by = r->by;
  r->key_id = G_MAXUINT32;
  r->stats = cx_stats_new(log);
  r->variants = cx_variants_new(log);
  r->dfg = cx_dfg_new(log);
  r->friction = cx_friction_new(log, &r->fopts);
  r->table = cx_case_table_new(log, r->fopts.success, r->fopts.open_after_us);
  r->outcome = cx_outcome_new(log, r->fopts.success, r->fopts.open_after_us);
  r->act_chan = g_hash_table_new(g_int64_hash, g_int64_equal);
  if (r->by != NULL) {
    cx_read_options_want_attr(cx_log_options(log), r->by);
    r->groups = g_hash_table_new_full(NULL, NULL, NULL, (GDestroyNotify)cx_compare_side_free);
    r->group_order = g_array_new(FALSE, FALSE, sizeof(guint32));
    r->all = side_new(r);
  } else if (r->opts.split_at != CX_TS_NONE) {
    r->sides[0] = side_new(r);
    r->sides[1] = side_new(r);
  } else if (r->opts.other != NULL) {
    r->sides[0] = side_new(r);
  }
  return r;
}

static void
free_keys(GHashTable *h)
{
  GHashTableIter it;
  gpointer k;
  g_hash_table_iter_init(&it, h);
  while (g_hash_table_iter_next(&it, &k, NULL))
    g_free(k);
}

void
cx_report_free(CxReport *r)
{
  if (r == NULL)
    return;
  cx_stats_free(r->stats);
  cx_variants_free(r->variants);
  cx_dfg_free(r->dfg);
  cx_compare_free(r->compare);
  for (int k = 0; k < 2; k++) {
    cx_compare_side_free(r->sides[k]);
    g_free(r->cmp_names[k]);
  }
  cx_compare_side_free(r->rest);
  cx_compare_side_free(r->all);
  cx_compare_side_free(r->o_side);
  if (r->groups != NULL) {
    g_hash_table_destroy(r->groups);
    g_array_free(r->group_order, TRUE);
  }
  cx_friction_free(r->o_friction);
  cx_outcome_free(r->o_outcome);
  cx_friction_free(r->friction);
  cx_case_table_free(r->table);
  cx_outcome_free(r->outcome);
  free_keys(r->act_chan);
  g_hash_table_destroy(r->act_chan);
  if (r->periods != NULL)
    g_array_unref(r->periods);
  g_clear_error(&r->trend_error);
  g_free(r->cmp_rule);
  g_free(r->title);
  g_free(r->by);
  g_free(r);
}

CxFriction *
cx_report_friction(CxReport *r)
{
  return r->friction;
}

gboolean
cx_report_add(const CxJourney *j, gpointer data, GError **error)
{
  CxReport *r = data;
  if (!cx_stats_add(j, r->stats, error) || !cx_variants_add(j, r->variants, error)
      || !cx_dfg_add(j, r->dfg, error) || !cx_case_table_add(j, r->table, error)
      || !cx_outcome_add(j, r->outcome, error))
    return FALSE;
  /* before the sides: they note the journey's place in the analysis */
  if (!cx_friction_add(j, r->friction, error))
    return FALSE;
  for (guint i = 0; i < j->n_instances; i++) {
    const CxEvent *e = &j->instances[i];
    if (e->channel == CX_ID_NONE)
      continue;
    gint64 key = ((gint64)e->activity << 32) | e->channel;
    gint64 *k = NULL;
    gpointer v = NULL;
    if (g_hash_table_lookup_extended(r->act_chan, &key, (gpointer *)&k, &v)) {
      g_hash_table_insert(r->act_chan, k, GSIZE_TO_POINTER(GPOINTER_TO_SIZE(v) + 1));
    } else {
      k = g_new(gint64, 1);
      *k = key;
      g_hash_table_insert(r->act_chan, k, GSIZE_TO_POINTER(1));
    }
  }
  if (r->groups != NULL) {
    if (r->key_id == G_MAXUINT32)
      r->key_id = cx_pool_lookup(cx_log_keys(r->log), r->by, -1);
    guint32 value = CX_ID_NONE;
    for (guint i = 0; i < j->n_attrs && r->key_id != G_MAXUINT32; i++)
      if (j->attrs[i].key == r->key_id) {
        value = j->attrs[i].value;
        break;
      }
    CxCompareSide *s = g_hash_table_lookup(r->groups, GUINT_TO_POINTER(value + 1));
    if (s == NULL) {
      s = side_new(r);
      g_hash_table_insert(r->groups, GUINT_TO_POINTER(value + 1), s);
      g_array_append_val(r->group_order, value);
    }
    return cx_compare_side_add(j, s, error) && cx_compare_side_add(j, r->all, error);
  }
  if (r->opts.split_at != CX_TS_NONE) {
    gint64 t = cx_journey_first_time(j);
    if (t == CX_TS_NONE) {
      r->unplaced++;
      return TRUE;
    }
    return cx_compare_side_add(j, r->sides[t < r->opts.split_at ? 0 : 1], error);
  }
  if (r->sides[0] != NULL)
    return cx_compare_side_add(j, r->sides[0], error);
  return TRUE;
}

void
cx_report_reset(gpointer data)
{
  CxReport *r = data;
  cx_stats_reset(r->stats);
  cx_variants_reset(r->variants);
  cx_dfg_reset(r->dfg);
  cx_case_table_reset(r->table);
  cx_outcome_reset(r->outcome);
  cx_friction_reset(r->friction);
  free_keys(r->act_chan);
  g_hash_table_remove_all(r->act_chan);
  for (int k = 0; k < 2; k++)
    if (r->sides[k] != NULL)
      cx_compare_side_reset(r->sides[k]);
  if (r->groups != NULL) {
    g_hash_table_remove_all(r->groups);
    g_array_set_size(r->group_order, 0);
    cx_compare_side_reset(r->all);
    r->key_id = G_MAXUINT32;
  }
  r->unplaced = 0;
}

static gboolean
other_add(const CxJourney *j, gpointer data, GError **error)
{
  CxReport *r = data;
  return cx_outcome_add(j, r->o_outcome, error) && cx_friction_add(j, r->o_friction, error)
         && cx_compare_side_add(j, r->o_side, error);
}

static void
other_reset(gpointer data)
{
  CxReport *r = data;
  cx_outcome_reset(r->o_outcome);
  cx_friction_reset(r->o_friction);
  cx_compare_side_reset(r->o_side);
}

/* The other log (before = this log, after = the other), read with this
 * log's successful ends and open-after limit. */
static gboolean
scan_other(CxReport *r, GError **error)
{
  CxLog *other = r->opts.other;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
  CxPool *acts = cx_log_activities(r->log);
  for (guint32 a = 0; a < cx_pool_size(acts); a++)
    if (cx_outcome_is_success_end(r->outcome, a))
      g_ptr_array_add(names, g_strdup(cx_pool_get(acts, a)));
  g_ptr_array_add(names, NULL);
  const char *const *succ = (const char *const *)names->pdata;
  gint64 open_after = cx_outcome_open_after(r->outcome);
  CxFrictionOptions fo = r->fopts;
  fo.success = succ[0] != NULL ? succ : NULL;
  fo.open_after_us = open_after;
  r->o_outcome = cx_outcome_new(other, fo.success, open_after);
  r->o_friction = cx_friction_new(other, &fo);
  r->o_side = cx_compare_side_new(other);
  cx_compare_side_set_friction(r->o_side, r->o_friction);
  cx_compare_side_set_outcome(r->o_side, r->o_outcome);
  if (!cx_log_scan(other, other_add, other_reset, r, error))
    return FALSE;
  cx_outcome_finish(r->o_outcome);
  cx_friction_finish(r->o_friction);
  return TRUE;
}

static char *
value_name(CxReport *r, guint32 value)
{
  if (value == CX_ID_NONE)
    return g_strdup_printf("%s: (none)", r->by);
  return g_strdup_printf("%s = %s", r->by, cx_pool_get(cx_log_values(r->log), value));
}

gboolean
cx_report_finish(CxReport *r, GError **error)
{
  cx_friction_finish(r->friction);
  cx_case_table_finish(r->table);
  cx_outcome_finish(r->outcome);
  /* trends: weeks for up to half a year of data, else months */
  r->every = r->opts.every;
  GTimeZone *ltz = cx_log_display_tz(r->log);
  g_autoptr(GTimeZone) tz = ltz != NULL ? g_time_zone_ref(ltz) : g_time_zone_new_utc();
  if (r->opts.every_auto) {
    CxStatsSummary sm;
    cx_stats_summarize(r->stats, &sm);
    gboolean long_log
        = sm.first != CX_TS_NONE && sm.last - sm.first > (gint64)182 * 86400 * 1000000;
    r->every = long_log ? CX_TREND_MONTH : CX_TREND_WEEK;
  }
  r->periods = cx_trend_compute(r->table, r->every, tz, &r->untimed, &r->trend_error);

  CxCompareSide *a = NULL, *b = NULL;
  if (r->opts.other != NULL) {
    if (!scan_other(r, error))
      return FALSE;
    a = r->sides[0];
    b = r->o_side;
    r->cmp_names[0] = cx_log_display_name(r->log);
    r->cmp_names[1] = cx_log_display_name(r->opts.other);
  } else if (r->opts.split_at != CX_TS_NONE) {
    a = r->sides[0];
    b = r->sides[1];
    g_autofree char *d = cx_format_date(r->opts.split_at, tz);
    r->cmp_names[0] = g_strdup_printf("before %s", d);
    r->cmp_names[1] = g_strdup_printf("from %s", d);
  } else if (r->groups != NULL) {
    guint ng = r->group_order->len;
    if (ng < 2) {
      g_set_error(error, CX_REPORT_ERROR, CX_REPORT_ERROR_COMPARE,
                  "--by %s: the journeys have %s value of it; nothing to compare", r->by,
                  ng == 0 ? "no" : "only one");
      return FALSE;
    }
    /* the largest segment (ties: first seen) vs the rest, or the second */
    guint32 best = g_array_index(r->group_order, guint32, 0), second = best;
    guint64 best_n = 0;
    for (guint i = 0; i < ng; i++) {
      guint32 v = g_array_index(r->group_order, guint32, i);
      guint64 n = cx_compare_side_n_cases(g_hash_table_lookup(r->groups, GUINT_TO_POINTER(v + 1)));
      if (n > best_n) {
        best_n = n;
        best = v;
      }
    }
    for (guint i = 0; i < ng; i++)
      if (g_array_index(r->group_order, guint32, i) != best) {
        second = g_array_index(r->group_order, guint32, i);
        break;
      }
    a = g_hash_table_lookup(r->groups, GUINT_TO_POINTER(best + 1));
    r->cmp_names[0] = value_name(r, best);
    if (ng == 2) {
      b = g_hash_table_lookup(r->groups, GUINT_TO_POINTER(second + 1));
      r->cmp_names[1] = value_name(r, second);
    } else {
      r->rest = cx_compare_side_new_difference(r->all, a);
      b = r->rest;
      r->cmp_names[1] = g_strdup("the rest");
    }
  }
  if (a != NULL) {
    if (cx_compare_side_n_cases(a) == 0 || cx_compare_side_n_cases(b) == 0) {
      g_set_error(error, CX_REPORT_ERROR, CX_REPORT_ERROR_COMPARE,
                  "the comparison's %s side (%s) has no journeys",
                  cx_compare_side_n_cases(a) == 0 ? "first" : "second",
                  cx_compare_side_n_cases(a) == 0 ? r->cmp_names[0] : r->cmp_names[1]);
      return FALSE;
    }
    CxCompareOptions co;
    cx_compare_options_init(&co);
    co.names[0] = r->cmp_names[0];
    co.names[1] = r->cmp_names[1];
    r->cmp_rule = g_strdup_printf("%s %s", cx_friction_success_explain(r->friction),
                                  cx_friction_open_explain(r->friction));
    co.success_rule = r->cmp_rule;
    r->compare = cx_compare_new(a, b, &co);
  }
  return TRUE;
}
