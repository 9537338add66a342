/* cxmine variants: the distinct activity sequences, most frequent first. */
#include "cmd.h"
#include <stdio.h>

/* --top not given: the text shows TEXT_TOP variants, JSON lists them all. */
#define TOP_UNSET G_MININT
#define TEXT_TOP  20

int
cx_cmd_variants(CxCli *cli, int argc, char **argv)
{
  gboolean json = FALSE, case_ids = FALSE;
  int top = TOP_UNSET;
  char *output = NULL;
  CxCliRead r;
  cx_cli_read_init(&r, cli);
  GOptionEntry entries[]
      = { { "top", 'n', CX_CLI_OUTPUT_ONLY, G_OPTION_ARG_INT, &top,
            "Show the N most frequent variants (0 = all; default: 20 in text, all in JSON)", "N" },
          { "json", 0, CX_CLI_OUTPUT_ONLY, G_OPTION_ARG_NONE, &json, "Print JSON", NULL },
          { "case-ids", 0, CX_CLI_OUTPUT_ONLY, G_OPTION_ARG_NONE, &case_ids,
            "List every case of each variant (by start time; \"case_ids\" in JSON)", NULL },
          { "output", 'o', CX_CLI_OUTPUT_ONLY, G_OPTION_ARG_FILENAME, &output,
            "Write to FILE (default: stdout)", "FILE" },
          { NULL } };
  CxCliCommand cmd = {
    .name = "variants",
    .parameter = "LOG… - variants of a log",
    .description
    = "A variant is the ordered activity sequence of a case. Each comes with its count,\n"
      "share, cumulative share, median case duration and one example case id.\n\n"
      "Examples:\n"
      "  cxmine variants fixtures/sample/customer-journeys.xes.gz\n"
      "  cxmine variants --top 5 --json log.xes.gz\n"
      "  cxmine variants --top 3 --case-ids log.xes.gz\n"
      "  cxmine variants --lifecycle all bpic2012.xes.gz\n"
      "  cxmine variants --partial p0.cxp shards/shard-0000-*   # then: cxmine merge p*.cxp\n",
    .entries = entries,
    .read = &r,
    .partial = TRUE
  };
  int parse_rc = cx_cli_command_parse(cli, &cmd, &argc, &argv);
  if (parse_rc >= 0)
    return parse_rc;
  g_autofree char *out_path = output;
  if (top < 0 && top != TOP_UNSET) {
    cx_cli_read_clear(&r);
    return cx_cli_usage("variants", "--top: %d is negative", top);
  }
  g_autoptr(GError) error = NULL;
  g_autoptr(CxLog) log = cx_cli_read_log("variants", &r, argv + 1);
  if (log == NULL)
    return CX_EXIT_USAGE;
  int rc = cx_cli_partial_write(cli, log, "variants", NULL);
  if (rc >= 0)
    return rc;
  rc = cx_cli_output_check(cli, "variants", out_path);
  if (rc != CX_EXIT_OK)
    return rc;
  g_autoptr(CxVariants) v = cx_variants_new(log);
  if (case_ids)
    cx_variants_keep_case_ids(v);
  cx_log_set_split(log, cx_variants_fork, cx_variants_absorb);
  if (!cx_log_scan(log, cx_variants_add, cx_variants_reset, v, &error)) {
    cx_cli_error(error);
    return CX_EXIT_FAIL;
  }
  g_autoptr(GString) text = g_string_new(NULL);
  if (json) {
    g_autoptr(CxJson) j = cx_json_new(text, TRUE);
    cx_variants_to_json(v, j, top == TOP_UNSET ? 0 : (guint)top);
    g_string_append_c(text, '\n');
  } else {
    cx_calendar_note(cx_log_options(log)->calendar, text);
    cx_variants_to_text(log, v, top == TOP_UNSET ? TEXT_TOP : (guint)top, text);
  }
  return cx_cli_emit(cli, out_path, text);
}
