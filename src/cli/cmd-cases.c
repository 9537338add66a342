/* cxmine cases: one line per journey, for a spreadsheet or pandas to take over. */
#include "cmd.h"
#include <stdio.h>
#include <string.h>

int
cx_cmd_cases(CxCli *cli, int argc, char **argv)
{
  gboolean json = FALSE, csv = FALSE;
  char *output = NULL;
  CxCliRead r;
  cx_cli_read_init(&r, cli);
  CxCliOutcome oc = { 0 };
  GOptionEntry entries[]
      = { { "json", 0, CX_CLI_OUTPUT_ONLY, G_OPTION_ARG_NONE, &json, "Print JSON", NULL },
          { "csv", 0, CX_CLI_OUTPUT_ONLY, G_OPTION_ARG_NONE, &csv, "Print CSV", NULL },
          { "output", 'o', CX_CLI_OUTPUT_ONLY, G_OPTION_ARG_FILENAME, &output,
            "Write to FILE (default: stdout); FILE.csv and FILE.json choose the form", "FILE" },
          { NULL } };
  CxCliCommand cmd
      = { .name = "cases",
          .parameter = "LOG… - one line per journey",
          .description
          = "One line per journey (case) kept by the filters, ordered by start time then case id:\n"
            "its id, start, end, duration, steps (activity instances), outcome and the rank of\n"
            "its variant in 'cxmine variants'. Outcomes follow friction's rule: success (ended\n"
            "at a successful end), dropoff (ended elsewhere) or open (too recent to judge).\n"
            "Text shows times in --timezone; CSV and JSON in UTC ISO 8601.\n\n"
            "Examples:\n"
            "  cxmine cases log.xes.gz --ends-with 'Close' --from 2024-01-01\n"
            "  cxmine cases log.xes.gz -o cases.csv\n"
            "  cxmine cases --json --success Close log.xes.gz\n",
          .entries = entries,
          .read = &r,
          .outcome = &oc };
  int parse_rc = cx_cli_command_parse(cli, &cmd, &argc, &argv);
  if (parse_rc >= 0)
    return parse_rc;
  g_autofree char *out_path = output;
  g_autoptr(CxLog) log = NULL;
  g_autoptr(CxCaseTable) t = NULL;
  int orc
      = cx_cli_case_table_open(cli, "cases", json && csv ? "--json and --csv: choose one" : NULL,
                               &r, &oc, argv + 1, out_path, &log, &t);
  if (orc >= 0)
    return orc;
  g_autoptr(GString) text = g_string_new(NULL);
  switch (cx_cli_form(json, csv, out_path)) {
    case CX_CLI_JSON:
      cx_case_table_to_json(log, t, text);
      break;
    case CX_CLI_CSV:
      cx_case_table_to_csv(log, t, text);
      break;
    default: {
      g_autoptr(GTimeZone) tz = cx_cli_display_zone(log);
      cx_calendar_note(cx_log_options(log)->calendar, text);
      cx_case_table_to_text(log, t, tz, text);
    }
  }
  return cx_cli_emit(cli, out_path, text);
}
