/* cxmine trend: journeys per day, week or month. */
#include "cmd.h"
#include <stdio.h>
#include <string.h>

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
  CxTrendEvery every = CX_TREND_WEEK;
  const char *bad = NULL;
  if (every_str != NULL && !cx_trend_every_parse(every_str, &every))
    bad = "--every: expected day, week or month";
  else if (json && csv)
    bad = "--json and --csv: choose one";
  g_autoptr(CxLog) log = NULL;
  g_autoptr(CxCaseTable) t = NULL;
  int orc = cx_cli_case_table_open(cli, "trend", bad, &r, &oc, argv + 1, out_path, &log, &t);
  if (orc >= 0)
    return orc;
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
      cx_trend_to_json(p, periods->len, every, tz, n_rows, untimed, cx_case_table_outcome(t),
                       cx_log_options(log)->calendar, text);
      break;
    case CX_CLI_CSV:
      cx_trend_to_csv(p, periods->len, every, tz, text);
      break;
    default:
      cx_calendar_note(cx_log_options(log)->calendar, text);
      cx_trend_to_text(p, periods->len, every, tz, untimed, text);
  }
  return cx_cli_emit(cli, out_path, text);
}
