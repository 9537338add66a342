/* cxmine trend: journeys per day, week or month. */
#include "cmd.h"
#include <math.h>
#include <stdio.h>
#include <string.h>

static char *
share_text(double v)
{
  if (isnan(v))
    return g_strdup("-");
  g_autofree char *s = cx_format_number(100 * v, 1);
  return g_strdup_printf("%s%%", s);
}

static char *
dur_text(double v)
{
  return isnan(v) ? g_strdup("-") : cx_format_duration(v);
}

static void
to_text(const CxTrendPeriod *p, guint n, CxTrendEvery every, GTimeZone *tz, guint64 untimed,
        GString *out)
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
    g_autofree char *med = dur_text(p[i].median_duration_s);
    g_autofree char *p90 = dur_text(p[i].p90_duration_s);
    g_autofree char *su = share_text(p[i].success_share);
    g_autofree char *dr = share_text(p[i].dropoff_share);
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

static void
to_csv(const CxTrendPeriod *p, guint n, CxTrendEvery every, GTimeZone *tz, GString *out)
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

static void
to_json(const CxTrendPeriod *p, guint n, CxTrendEvery every, GTimeZone *tz, guint64 cases,
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

int
cx_cmd_trend(CxCli *cli, int argc, char **argv)
{
  gboolean json = FALSE, csv = FALSE;
  char *output = NULL, *every_s = NULL;
  CxCliRead r;
  cx_cli_read_init(&r, cli);
  CxCliOutcome oc = { 0 };
  GOptionEntry entries[] = {
    { "every", 'e', 0, G_OPTION_ARG_STRING, &every_s, "Period length (default week)",
      "day|week|month" },
    { "json", 0, CX_CLI_OUTPUT_ONLY, G_OPTION_ARG_NONE, &json, "Print JSON", NULL },
    { "csv", 0, CX_CLI_OUTPUT_ONLY, G_OPTION_ARG_NONE, &csv, "Print CSV", NULL },
    { "output", 'o', CX_CLI_OUTPUT_ONLY, G_OPTION_ARG_FILENAME, &output,
      "Write to FILE (default: stdout); FILE.svg draws a chart, FILE.csv and FILE.json choose "
      "the form",
      "FILE" },
    { NULL }
  };
  CxCliCommand cmd
      = { .name = "trend",
          .parameter = "LOG… - journeys per day, week or month",
          .description
          = "Periods are cut at midnight in --timezone (default UTC); weeks start on Monday.\n"
            "Per period: journeys started (first event in it) and finished (last event in it,\n"
            "unless still open: those never finish), median and p90 duration of the finished\n"
            "ones, their success and drop-off shares (outcome rule as in 'cxmine friction'),\n"
            "and journeys in flight at the period's end. The last periods, ending less than\n"
            "the open-after limit before the log's last event, are still filling: they are\n"
            "flagged censored (shaded in the chart).\n\n"
            "Examples:\n"
            "  cxmine trend --every week log.xes.gz\n"
            "  cxmine trend --every month --timezone Europe/Amsterdam log.csv -o trend.svg\n"
            "  cxmine trend --every day --json --from 2024-03-01 --to 2024-04-01 log.xes.gz\n",
          .entries = entries,
          .read = &r,
          .outcome = &oc };
  int parse_rc = cx_cli_command_parse(cli, &cmd, &argc, &argv);
  if (parse_rc >= 0)
    return parse_rc;
  g_autofree char *out_path = output, *every_str = every_s;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) success = NULL;
  gint64 open_after;
  CxTrendEvery every = CX_TREND_WEEK;
  const char *bad = NULL;
  if (every_str != NULL && !cx_trend_every_parse(every_str, &every))
    bad = "--every: expected day, week or month";
  else if (json && csv)
    bad = "--json and --csv: choose one";
  if (bad == NULL && !cx_cli_outcome_apply(&oc, &success, &open_after, &error))
    bad = error->message;
  if (bad != NULL) {
    cx_cli_read_clear(&r);
    g_free(oc.success);
    g_free(oc.open_after);
    return cx_cli_usage("trend", "%s", bad);
  }
  g_autoptr(CxLog) log = cx_log_new();
  gboolean ok = cx_cli_read_apply(&r, log, argv + 1, &error);
  cx_cli_read_clear(&r);
  if (!ok)
    return cx_cli_usage("trend", "%s", error->message);
  int orc = cx_cli_output_check(cli, "trend", out_path);
  if (orc != CX_EXIT_OK)
    return orc;
  g_autoptr(CxCaseTable) t = cx_case_table_new(log, (const char *const *)success, open_after);
  if (!cx_log_scan(log, cx_case_table_add, cx_case_table_reset, t, &error)) {
    cx_cli_error(error);
    return CX_EXIT_FAIL;
  }
  cx_case_table_finish(t);
  g_autoptr(GTimeZone) tz = cx_cli_display_zone(log);
  guint64 untimed = 0;
  g_autoptr(GArray) periods = cx_trend_compute(t, every, tz, &untimed, &error);
  if (periods == NULL) {
    cx_cli_error(error);
    return CX_EXIT_FAIL;
  }
  guint n_rows;
  cx_case_table_rows(t, &n_rows);
  const CxTrendPeriod *p = (const CxTrendPeriod *)periods->data;
  g_autoptr(GString) text = g_string_new(NULL);
  if (!json && !csv && out_path != NULL && g_str_has_suffix(out_path, ".svg")) {
    g_autofree char *name = cx_log_display_name(log);
    g_autofree char *hours = cx_calendar_line(cx_log_options(log)->calendar);
    g_autofree char *title
        = g_strdup_printf("%s: journeys per %s%s%s", name, cx_trend_every_name(every),
                          hours ? ". " : "", hours ? hours : "");
    cx_trend_to_svg(p, periods->len, every, tz, title, text);
    return cx_cli_emit(cli, out_path, text);
  }
  switch (cx_cli_form(json, csv, out_path)) {
    case CX_CLI_JSON:
      to_json(p, periods->len, every, tz, n_rows, untimed, cx_case_table_outcome(t),
              cx_log_options(log)->calendar, text);
      break;
    case CX_CLI_CSV:
      to_csv(p, periods->len, every, tz, text);
      break;
    default:
      cx_calendar_note(cx_log_options(log)->calendar, text);
      to_text(p, periods->len, every, tz, untimed, text);
  }
  return cx_cli_emit(cli, out_path, text);
}
