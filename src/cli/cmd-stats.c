/* cxmine stats: summary statistics of a log. */
#include "cmd.h"
#include <stdio.h>

static void
print_verbose_counts(CxLog *log)
{
  const CxReadCounts *c = cx_log_counts(log);
  g_autofree char *events = cx_format_counted(c->events_read, "event", "events");
  g_autofree char *traces = cx_format_count(c->traces_read);
  g_autofree char *kept = cx_format_counted(c->cases_kept, "case", "cases");
  g_printerr("read %s in %s traces/cases (%s); kept %s\n", events, traces,
             c->grouped ? "grouped" : "streamed", kept);
}

int
cx_cmd_stats(CxCli *cli, int argc, char **argv)
{
  gboolean json = FALSE;
  char *output = NULL;
  CxCliRead r;
  cx_cli_read_init(&r, cli);
  GOptionEntry entries[]
      = { { "json", 0, CX_CLI_OUTPUT_ONLY, G_OPTION_ARG_NONE, &json, "Print JSON", NULL },
          { "output", 'o', CX_CLI_OUTPUT_ONLY, G_OPTION_ARG_FILENAME, &output,
            "Write to FILE (default: stdout)", "FILE" },
          { NULL } };
  CxCliCommand cmd
      = { .name = "stats",
          .parameter = "LOG… - summary statistics of a log",
          .description
          = "Cases, events, activities, resources, variants, period, events per case, case\n"
            "durations, start and end activities. Several LOGs are joined on the case id.\n\n"
            "Examples:\n"
            "  cxmine stats fixtures/sample/customer-journeys.xes.gz\n"
            "  cxmine stats --json log.xes.gz\n"
            "  cxmine stats --case 'Case ID' --activity Activity --timestamp 'Complete Timestamp' "
            "helpdesk.csv\n"
            "  zcat log.xes.gz | cxmine stats -\n"
            "  cxmine stats --partial p0.cxp shards/shard-0000-*   # then: cxmine merge p*.cxp\n"
            "  cxmine stats --business-hours 'Mon-Fri 09:00-17:30' --holidays holidays.txt "
            "--timezone Europe/Amsterdam log.csv\n",
          .entries = entries,
          .read = &r,
          .partial = TRUE };
  int parse_rc = cx_cli_command_parse(cli, &cmd, &argc, &argv);
  if (parse_rc >= 0)
    return parse_rc;
  g_autofree char *out_path = output;
  g_autoptr(GError) error = NULL;
  g_autoptr(CxLog) log = cx_cli_read_log("stats", &r, argv + 1);
  if (log == NULL)
    return CX_EXIT_USAGE;
  int rc = cx_cli_partial_write(cli, log, "stats", NULL);
  if (rc >= 0)
    return rc;
  rc = cx_cli_output_check(cli, "stats", out_path);
  if (rc != CX_EXIT_OK)
    return rc;
  g_autoptr(CxStats) stats = cx_stats_new(log);
  cx_log_set_case_names(log, FALSE); /* statistics name no case */
  cx_log_set_split(log, cx_stats_fork, cx_stats_absorb);
  if (!cx_log_scan(log, cx_stats_add, cx_stats_reset, stats, &error)) {
    cx_cli_error(error);
    return CX_EXIT_FAIL;
  }
  if (cx_log_options(log)->verbose)
    print_verbose_counts(log);
  g_autoptr(GString) text = g_string_new(NULL);
  if (json) {
    g_autoptr(CxJson) j = cx_json_new(text, TRUE);
    cx_stats_to_json(stats, j);
    g_string_append_c(text, '\n');
  } else {
    cx_stats_to_text(stats, text);
  }
  return cx_cli_emit(cli, out_path, text);
}
