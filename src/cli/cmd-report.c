/* cxmine report: one self-contained HTML journey report. */
#include "cmd.h"
#include "cxmine/report.h"
#include <stdio.h>
#include <string.h>

/* The reading options and filters of @argv again, for the --compare log
 * (reading takes them over, so each log needs its own). */
static gboolean
reparse_read(char **argv, CxCliRead *r, GError **error)
{
  g_autoptr(GOptionContext) again = g_option_context_new(NULL);
  g_option_context_set_ignore_unknown_options(again, TRUE);
  g_option_context_set_help_enabled(again, FALSE);
  g_option_context_add_group(again, cx_cli_read_group(r));
  g_option_context_add_group(again, cx_cli_filter_group(r));
  int n = (int)g_strv_length(argv);
  g_autofree char **copy = g_memdup2(argv, sizeof(char *) * ((gsize)n + 1));
  char **v = copy;
  return g_option_context_parse(again, &n, &v, error);
}

int
cx_cmd_report(CxCli *cli, int argc, char **argv)
{
  g_auto(GStrv) argv0 = g_strdupv(argv);
  char *output = NULL, *compare = NULL, *split_at = NULL, *by = NULL, *every_s = NULL,
       *title = NULL;
  int top = 10, render_timeout = CX_DOT_RENDER_TIMEOUT;
  CxCliRead r;
  cx_cli_read_init(&r, cli);
  CxCliOutcome oc = { 0 };
  GOptionEntry entries[] = {
    { "output", 'o', CX_CLI_OUTPUT_ONLY, G_OPTION_ARG_FILENAME, &output,
      "Write the page to FILE (default: standard output)", "FILE.html" },
    { "compare", 0, 0, G_OPTION_ARG_FILENAME, &compare,
      "Add a comparison of LOG (before) with OTHER (after), read with the same options", "OTHER" },
    { "split-at", 0, 0, G_OPTION_ARG_STRING, &split_at,
      "Add a comparison of journeys starting before DATE with those starting from it", "DATE" },
    { "by", 0, 0, G_OPTION_ARG_STRING, &by,
      "Add a comparison by an attribute, as 'cxmine compare --by KEY': an overview of its "
      "segments and each segment vs the rest (with two values: one vs the other); KEY@last "
      "for an event attribute's last value",
      "KEY" },
    { "every", 'e', 0, G_OPTION_ARG_STRING, &every_s,
      "Trend periods (default: week up to half a year of data, else month)", "day|week|month" },
    { "top", 'n', CX_CLI_OUTPUT_ONLY, G_OPTION_ARG_INT, &top,
      "Friction cards shown (default 10; 0 = all)", "N" },
    { "title", 0, 0, G_OPTION_ARG_STRING, &title, "The page's title (default: the log's name)",
      "TEXT" },
    { "render-timeout", 0, CX_CLI_OUTPUT_ONLY, G_OPTION_ARG_INT, &render_timeout,
      CX_CLI_MAP_HELP_TIMEOUT, "SECONDS" },
    { NULL }
  };
  CxCliCommand cmd = {
    .name = "report",
    .parameter = "LOG… - one self-contained HTML journey report",
    .description
    = "Writes one HTML file that opens offline in any browser: an overview, the journey\n"
      "map (a slider for how many activities and paths it shows, views for frequency,\n"
      "waiting time and channels, the top friction marked, drop-offs drawn), friction\n"
      "cards in customers lost and time lost (click one to see it on the map), the top\n"
      "variants with their durations, channel switches, trends per week or month, and\n"
      "with --compare, --split-at or --by a comparison. Its numbers are those of 'cxmine\n"
      "stats', 'variants', 'dfg', 'friction' and 'compare' on the same log, and their\n"
      "JSON is inside the page (script#cx-data). Maps are laid out by Graphviz's dot when\n"
      "the page is written (install graphviz); the page itself needs nothing.\n\n"
      "Examples:\n"
      "  cxmine report fixtures/sample/customer-journeys.xes.gz -o report.html\n"
      "  cxmine report helpdesk.xes.gz --every month -o helpdesk.html\n"
      "  cxmine report log.xes.gz --split-at 2024-03-01 -o before-after.html\n"
      "  cxmine report jan.xes.gz --compare feb.xes.gz -o jan-feb.html\n"
      "  cxmine report log.csv --case id --activity step --timestamp at --by segment -o r.html\n",
    .entries = entries,
    .read = &r,
    .outcome = &oc
  };
  int parse_rc = cx_cli_command_parse(cli, &cmd, &argc, &argv);
  if (parse_rc >= 0)
    return parse_rc;
  g_autofree char *out_path = output, *other_path = compare, *split_s = split_at, *by_s = by,
                  *every_str = every_s, *title_s = title;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) success = NULL;
  gint64 open_after = 0, split = CX_TS_NONE;
  CxReportOptions ro;
  cx_report_options_init(&ro);
  const char *bad = NULL;
  int n_cmp = (other_path != NULL) + (split_s != NULL) + (by_s != NULL);
  if (n_cmp > 1)
    bad = "--compare, --split-at and --by: choose one";
  else if (every_str != NULL && !cx_trend_every_parse(every_str, &ro.every))
    bad = "--every: expected day, week or month";
  else if (top < 0 || render_timeout < 0)
    bad = "--top, --render-timeout: must not be negative";
  else if (by_s != NULL && *by_s == '\0')
    bad = "--by: expected an attribute name";
  else if (split_s != NULL && !cx_cli_parse_date(split_s, "--split-at", &split, &error))
    bad = error->message;
  int settle = cx_cli_outcome_settle("report", bad, &r, &oc, &success, &open_after);
  if (settle >= 0)
    return settle;
  g_autoptr(CxLog) log = cx_log_new();
  g_autoptr(CxLog) other = other_path != NULL ? cx_log_new() : NULL;
  gboolean ok = cx_cli_read_apply(&r, log, argv + 1, &error);
  cx_cli_read_clear(&r);
  if (ok && other != NULL) {
    char *files[] = { other_path, NULL };
    CxCliRead r2;
    cx_cli_read_init(&r2, cli);
    ok = reparse_read(argv0, &r2, &error) && cx_cli_read_apply(&r2, other, files, &error);
    cx_cli_read_clear(&r2);
  }
  if (!ok)
    return cx_cli_usage("report", "%s", error->message);
  int rc = cx_cli_output_check(cli, "report", out_path);
  if (rc != CX_EXIT_OK)
    return rc;
  if (!cx_dot_available(&error)) {
    cx_cli_error(error);
    return CX_EXIT_FAIL;
  }
  CxFrictionOptions fo;
  cx_friction_options_init(&fo);
  fo.success = (const char *const *)success;
  fo.open_after_us = open_after;
  ro.friction = &fo;
  ro.every_auto = every_str == NULL;
  ro.top = (guint)top;
  ro.render_timeout_s = (guint)render_timeout;
  ro.title = title_s;
  ro.split_at = split;
  ro.by = by_s;
  ro.other = other;
  g_autoptr(CxReport) rep = cx_report_new(log, &ro);
  if (!cx_log_scan(log, cx_report_add, cx_report_reset, rep, &error)
      || !cx_report_finish(rep, &error)) {
    cx_cli_error(error);
    return CX_EXIT_FAIL;
  }
  g_autoptr(GString) html = g_string_new(NULL);
  if (!cx_report_write_html(rep, html, &error)) {
    cx_cli_error(error);
    return CX_EXIT_FAIL;
  }
  return cx_cli_emit(cli, out_path, html);
}
