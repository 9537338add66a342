/* cxmine — the journey report: one scan feeding every analysis it shows. */
#include "report-private.h"
#include "cxmine/output.h"
#include <string.h>

/* the quark's name is one token, which clang-format would split */
/* clang-format off */
G_DEFINE_QUARK(cx-report-error-quark, cx_report_error)
/* clang-format on */

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
  r->stats = cx_stats_new(log);
  r->variants = cx_variants_new(log);
  r->dfg = cx_dfg_new(log);
  r->friction = cx_friction_new(log, &r->fopts);
  r->table = cx_case_table_new(log, r->fopts.success, r->fopts.open_after_us);
  r->outcome = cx_outcome_new(log, r->fopts.success, r->fopts.open_after_us);
  r->act_chan = g_hash_table_new(g_int64_hash, g_int64_equal);
  if (r->by != NULL)
    r->cmp_by = cx_compare_by_new(log, r->by, &r->fopts);
  else if (r->opts.split_at != CX_TS_NONE)
    r->cmp_split = cx_compare_split_new(log, r->opts.split_at, &r->fopts);
  else if (r->opts.other != NULL)
    r->cmp_log = cx_compare_log_new(log, &r->fopts);
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
  for (int k = 0; k < 2; k++)
    g_free(r->cmp_names[k]);
  g_free(r->cmp_hours);
  cx_compare_log_free(r->cmp_log);
  cx_compare_log_free(r->o_log);
  cx_compare_split_free(r->cmp_split);
  cx_compare_by_free(r->cmp_by);
  cx_friction_free(r->friction);
  cx_case_table_free(r->table);
  cx_outcome_free(r->outcome);
  free_keys(r->act_chan);
  g_hash_table_destroy(r->act_chan);
  if (r->periods != NULL)
    g_array_unref(r->periods);
  g_clear_error(&r->trend_error);
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
  /* the comparison keeps its own analyses, as `cxmine compare` does */
  if (r->cmp_by != NULL)
    return cx_compare_by_add(j, r->cmp_by, error);
  if (r->cmp_split != NULL)
    return cx_compare_split_add(j, r->cmp_split, error);
  if (r->cmp_log != NULL)
    return cx_compare_log_add(j, r->cmp_log, error);
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
  if (r->cmp_by != NULL)
    cx_compare_by_reset(r->cmp_by);
  if (r->cmp_split != NULL)
    cx_compare_split_reset(r->cmp_split);
  if (r->cmp_log != NULL)
    cx_compare_log_reset(r->cmp_log);
}

gboolean
cx_report_finish(CxReport *r, GError **error)
{
  if (!cx_friction_finish(r->friction, error))
    return FALSE;
  cx_case_table_finish(r->table);
  cx_outcome_finish(r->outcome);
  if (!cx_outcome_check(cx_case_table_outcome(r->table), error)
      || !cx_outcome_check(r->outcome, error))
    return FALSE;
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

  /* the comparison: the compare command's own code path, its options */
  CxCompareOptions co;
  cx_compare_options_init(&co);
  const CxCalendar *cal = cx_log_options(r->log)->calendar;
  if (cal != NULL)
    r->cmp_hours = cx_calendar_describe(cal);
  co.business_hours = r->cmp_hours;
  if (r->cmp_log != NULL) {
    CxLog *other = r->opts.other;
    r->o_log = cx_compare_log_new(other, &r->fopts);
    if (!cx_log_scan(other, cx_compare_log_add, cx_compare_log_reset, r->o_log, error))
      return FALSE;
    co.names[0] = co.names[1] = NULL; /* the logs' names */
    co.success_rule = NULL;
    if ((r->compare = cx_compare_logs(r->cmp_log, r->o_log, &co, error)) == NULL)
      return FALSE;
  } else if (r->cmp_split != NULL) {
    g_autofree char *d = cx_format_date(r->opts.split_at, tz);
    r->cmp_names[0] = g_strdup_printf("before %s", d);
    r->cmp_names[1] = g_strdup_printf("from %s", d);
    co.names[0] = r->cmp_names[0];
    co.names[1] = r->cmp_names[1];
    co.success_rule = NULL;
    r->compare = cx_compare_split(r->cmp_split, &co, error);
    if (r->compare == NULL) {
      g_prefix_error(error, "--split-at %s: ", d);
      return FALSE;
    }
  } else if (r->cmp_by != NULL) {
    CxCompareByOptions bo;
    cx_compare_by_options_init(&bo);
    if (!cx_compare_by_finish(r->cmp_by, &bo, &co, error))
      return FALSE;
  }
  return TRUE;
}
