/* cxmine trend as text for people, CSV and JSON: journeys per period. */
#include "table-text-private.h"
#include "cxmine/trend.h"
#include "cxmine/calendar.h"
#include "cxmine/json-writer.h"
#include "cxmine/output.h"
#include <math.h>

void
cx_trend_to_text(const CxTrendPeriod *p, guint n, CxTrendEvery every, GTimeZone *tz,
                 guint64 untimed, GString *out)
{
  g_string_append_printf(out, "journeys per %s, periods cut at midnight %s%s\n",
                         cx_trend_every_name(every), g_time_zone_get_identifier(tz),
                         every == CX_TREND_WEEK ? " (weeks start Monday)" : "");
  if (untimed > 0) {
    g_autofree char *u = cx_format_count(untimed);
    g_string_append_printf(out, "%s journeys without timestamps left out\n", u);
  }
  g_string_append(out, "\nperiod        started  finished  median dur.  p90 dur.  success  "
                       "drop-off  in flight\n");
  gboolean any_censored = FALSE;
  for (guint i = 0; i < n; i++) {
    g_autofree char *label = cx_trend_label(&p[i], every, tz);
    g_autofree char *st = cx_format_count(p[i].started);
    g_autofree char *fi = cx_format_count(p[i].finished);
    g_autofree char *med = cx_text_duration(p[i].median_duration_s);
    g_autofree char *p90 = cx_text_duration(p[i].p90_duration_s);
    g_autofree char *su = cx_text_share(p[i].success_share);
    g_autofree char *dr = cx_text_share(p[i].dropoff_share);
    g_autofree char *fl = cx_format_count(p[i].in_flight);
    g_string_append_printf(out, "%-11s %9s %9s  %11s  %8s  %7s  %8s  %9s%s\n", label, st, fi, med,
                           p90, su, dr, fl, p[i].censored ? "  censored" : "");
    any_censored |= p[i].censored;
  }
  if (any_censored)
    g_string_append(out, "\ncensored: the period is still filling (it ends less than the "
                         "open-after limit before the log's last event)\n");
}

static void
num_or_empty(GString *out, double v)
{
  if (!isnan(v)) {
    char buf[G_ASCII_DTOSTR_BUF_SIZE];
    g_string_append(out, g_ascii_dtostr(buf, sizeof buf, v));
  }
}

void
cx_trend_to_csv(const CxTrendPeriod *p, guint n, CxTrendEvery every, GTimeZone *tz, GString *out)
{
  g_string_append(out, "start,end,period,started,finished,median_duration_s,p90_duration_s,"
                       "success_share,dropoff_share,in_flight,censored\n");
  for (guint i = 0; i < n; i++) {
    g_autofree char *s = cx_time_format_iso(p[i].start);
    g_autofree char *e = cx_time_format_iso(p[i].end);
    g_autofree char *label = cx_trend_label(&p[i], every, tz);
    g_string_append_printf(out, "%s,%s,%s,%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT ",", s, e,
                           label, p[i].started, p[i].finished);
    num_or_empty(out, p[i].median_duration_s);
    g_string_append_c(out, ',');
    num_or_empty(out, p[i].p90_duration_s);
    g_string_append_c(out, ',');
    num_or_empty(out, p[i].success_share);
    g_string_append_c(out, ',');
    num_or_empty(out, p[i].dropoff_share);
    g_string_append_printf(out, ",%" G_GUINT64_FORMAT ",%s\n", p[i].in_flight,
                           p[i].censored ? "true" : "false");
  }
}

void
cx_trend_to_json(const CxTrendPeriod *p, guint n, CxTrendEvery every, GTimeZone *tz, guint64 cases,
                 guint64 untimed, CxOutcome *o, const CxCalendar *cal, GString *out)
{
  g_autoptr(CxJson) j = cx_json_new(out, TRUE);
  cx_json_begin_object(j);
  cx_calendar_json(cal, j);
  cx_json_key(j, "every");
  cx_json_string(j, cx_trend_every_name(every));
  cx_json_key(j, "timezone");
  cx_json_string(j, g_time_zone_get_identifier(tz));
  cx_json_key(j, "cases");
  cx_json_int(j, (gint64)cases);
  cx_json_key(j, "untimed_cases");
  cx_json_int(j, (gint64)untimed);
  cx_json_key(j, "success_rule");
  cx_json_string(j, cx_outcome_explain(o));
  cx_json_key(j, "open_after_s");
  cx_json_double(j, (double)cx_outcome_open_after(o) / 1e6);
  cx_json_key(j, "periods");
  cx_json_begin_array(j);
  for (guint i = 0; i < n; i++) {
    g_autofree char *label = cx_trend_label(&p[i], every, tz);
    cx_json_begin_object(j);
    cx_json_key(j, "start");
    cx_json_time(j, p[i].start);
    cx_json_key(j, "end");
    cx_json_time(j, p[i].end);
    cx_json_key(j, "period");
    cx_json_string(j, label);
    cx_json_key(j, "started");
    cx_json_int(j, (gint64)p[i].started);
    cx_json_key(j, "finished");
    cx_json_int(j, (gint64)p[i].finished);
    cx_json_key_double(j, "median_duration_s", p[i].median_duration_s);
    cx_json_key_double(j, "p90_duration_s", p[i].p90_duration_s);
    cx_json_key_double(j, "success_share", p[i].success_share);
    cx_json_key_double(j, "dropoff_share", p[i].dropoff_share);
    cx_json_key(j, "in_flight");
    cx_json_int(j, (gint64)p[i].in_flight);
    cx_json_key(j, "censored");
    cx_json_bool(j, p[i].censored);
    cx_json_end_object(j);
  }
  cx_json_end_array(j);
  cx_json_end_object(j);
  g_string_append_c(out, '\n');
}
