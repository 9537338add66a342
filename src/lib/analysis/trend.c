/* Trend: the case table cut into calendar periods of a display zone. */
#include "cxmine/trend.h"
#include "cxmine/summary.h"
#include <math.h>

/* the quark's name is one token, which clang-format would split */
/* clang-format off */
G_DEFINE_QUARK(cx-trend-error-quark, cx_trend_error)
/* clang-format on */

gboolean
cx_trend_every_parse(const char *s, CxTrendEvery *out)
{
  static const char *const names[] = { "day", "week", "month" };
  for (guint i = 0; i < G_N_ELEMENTS(names); i++)
    if (g_strcmp0(s, names[i]) == 0) {
      *out = (CxTrendEvery)i;
      return TRUE;
    }
  return FALSE;
}

const char *
cx_trend_every_name(CxTrendEvery every)
{
  return every == CX_TREND_DAY ? "day" : every == CX_TREND_WEEK ? "week" : "month";
}

static gint64
local_midnight(GTimeZone *tz, const GDate *d)
{
  g_autoptr(GDateTime) dt
      = g_date_time_new(tz, g_date_get_year(d), g_date_get_month(d), g_date_get_day(d), 0, 0, 0);
  return g_date_time_to_unix(dt) * CX_USEC_PER_SEC;
}

/* The local date of the period holding @t. */
static void
period_date(gint64 t, CxTrendEvery every, GTimeZone *tz, GDate *out)
{
  gint64 sec = t / CX_USEC_PER_SEC - (t % CX_USEC_PER_SEC < 0 ? 1 : 0);
  g_autoptr(GDateTime) u = g_date_time_new_from_unix_utc(sec);
  g_autoptr(GDateTime) l = g_date_time_to_timezone(u, tz);
  g_date_clear(out, 1);
  g_date_set_dmy(out, (GDateDay)g_date_time_get_day_of_month(l),
                 (GDateMonth)g_date_time_get_month(l), (GDateYear)g_date_time_get_year(l));
  if (every == CX_TREND_WEEK)
    g_date_subtract_days(out, (guint)g_date_time_get_day_of_week(l) - 1);
  else if (every == CX_TREND_MONTH)
    g_date_set_day(out, 1);
}

static void
date_next(GDate *d, CxTrendEvery every)
{
  if (every == CX_TREND_DAY)
    g_date_add_days(d, 1);
  else if (every == CX_TREND_WEEK)
    g_date_add_days(d, 7);
  else
    g_date_add_months(d, 1);
}

/* The index of the period holding @t in @starts (sorted), @n periods. */
static guint
find_period(const gint64 *starts, guint n, gint64 t)
{
  guint lo = 0, hi = n; /* the last start <= t */
  while (hi - lo > 1) {
    guint mid = lo + (hi - lo) / 2;
    if (starts[mid] <= t)
      lo = mid;
    else
      hi = mid;
  }
  return lo;
}

GArray *
cx_trend_compute(CxCaseTable *t, CxTrendEvery every, GTimeZone *tz, guint64 *untimed,
                 GError **error)
{
  guint n;
  const CxCaseRow *rows = cx_case_table_rows(t, &n);
  CxOutcome *o = cx_case_table_outcome(t);
  gint64 lo = G_MAXINT64, hi = G_MININT64;
  guint64 no_time = 0;
  for (guint i = 0; i < n; i++) {
    if (rows[i].first == CX_TS_NONE) {
      no_time++;
      continue;
    }
    lo = MIN(lo, rows[i].first);
    hi = MAX(hi, MAX(rows[i].first, rows[i].last));
  }
  if (untimed != NULL)
    *untimed = no_time;
  GArray *out = g_array_new(FALSE, TRUE, sizeof(CxTrendPeriod));
  if (lo == G_MAXINT64)
    return out;

  GDate d;
  period_date(lo, every, tz, &d);
  g_autoptr(GArray) starts = g_array_new(FALSE, FALSE, sizeof(gint64));
  gint64 s = local_midnight(tz, &d);
  for (;;) {
    date_next(&d, every);
    gint64 e = local_midnight(tz, &d);
    CxTrendPeriod p = { 0 };
    p.start = s;
    p.end = e;
    g_array_append_val(out, p);
    g_array_append_val(starts, s);
    if (out->len > CX_TREND_MAX_PERIODS) {
      g_array_unref(out);
      g_set_error(error, CX_TREND_ERROR, 0,
                  "more than %d periods of a %s between the first and last timestamps: "
                  "use a longer period or --from/--to",
                  CX_TREND_MAX_PERIODS, cx_trend_every_name(every));
      return NULL;
    }
    if (e > hi)
      break;
    s = e;
  }

  CxTrendPeriod *ps = (CxTrendPeriod *)out->data;
  guint np = out->len;
  g_autofree GArray **durs = g_new0(GArray *, np);
  const gint64 *st = (const gint64 *)starts->data;
  for (guint i = 0; i < n; i++) {
    const CxCaseRow *r = &rows[i];
    if (r->first == CX_TS_NONE)
      continue;
    ps[find_period(st, np, r->first)].started++;
    if (r->outcome == CX_OUTCOME_OPEN || r->last == CX_TS_NONE)
      continue;
    guint k = find_period(st, np, r->last);
    ps[k].finished++;
    if (r->outcome == CX_OUTCOME_SUCCESS)
      ps[k].success++;
    else
      ps[k].dropoff++;
    if (durs[k] == NULL)
      durs[k] = g_array_new(FALSE, FALSE, sizeof(double));
    double sec = (double)r->duration / (double)CX_USEC_PER_SEC;
    g_array_append_val(durs[k], sec);
  }

  gint64 log_last = cx_outcome_log_last_time(o);
  gint64 horizon = log_last == CX_TS_NONE ? hi : log_last - cx_outcome_open_after(o);
  guint64 started = 0, finished = 0;
  for (guint k = 0; k < np; k++) {
    CxTrendPeriod *p = &ps[k];
    started += p->started;
    finished += p->finished;
    p->in_flight = started - finished;
    p->median_duration_s = p->p90_duration_s = NAN;
    if (durs[k] != NULL) {
      CxSummary sum;
      cx_summary_compute((double *)durs[k]->data, durs[k]->len, &sum);
      p->median_duration_s = sum.median;
      p->p90_duration_s = sum.p90;
      g_array_free(durs[k], TRUE);
    }
    p->success_share = p->finished > 0 ? (double)p->success / (double)p->finished : NAN;
    p->dropoff_share = p->finished > 0 ? (double)p->dropoff / (double)p->finished : NAN;
    p->censored = p->end > horizon || k == np - 1;
  }
  return out;
}

char *
cx_trend_label(const CxTrendPeriod *p, CxTrendEvery every, GTimeZone *tz)
{
  GDate d;
  /* the period's local date: its first instant, seen in the zone */
  period_date(p->start, every, tz, &d);
  if (every == CX_TREND_MONTH)
    return g_strdup_printf("%04u-%02u", g_date_get_year(&d), g_date_get_month(&d));
  if (every == CX_TREND_WEEK) {
    /* the ISO week-numbering year is the year of the week's Thursday */
    GDate thu = d;
    g_date_add_days(&thu, 3);
    return g_strdup_printf("%04u-W%02u", g_date_get_year(&thu),
                           g_date_get_iso8601_week_of_year(&d));
  }
  return g_strdup_printf("%04u-%02u-%02u", g_date_get_year(&d), g_date_get_month(&d),
                         g_date_get_day(&d));
}
