/* cxmine resources: who does the work, and who hands cases to whom. */
#include "cmd.h"
#include <stdio.h>
#include <string.h>

#define TOP_UNSET G_MININT
#define TEXT_TOP  20
#define MAP_TOP   50

typedef struct {
  CxCaseTable *cases;
  CxResources *res;
} Both;

static gboolean
add_both(const CxJourney *j, gpointer data, GError **error)
{
  Both *b = data;
  return cx_case_table_add(j, b->cases, error) && cx_resources_add(j, b->res, error);
}

static void
reset_both(gpointer data)
{
  Both *b = data;
  cx_case_table_reset(b->cases);
  cx_resources_reset(b->res);
}

int
cx_cmd_resources(CxCli *cli, int argc, char **argv)
{
  gboolean json = FALSE;
  int top = TOP_UNSET;
  char *output = NULL, *render = NULL;
  int render_timeout = CX_DOT_RENDER_TIMEOUT;
  CxCliRead r;
  cx_cli_read_init(&r, cli);
  CxCliOutcome oc = { 0 };
  GOptionEntry entries[]
      = { { "top", 'n', CX_CLI_OUTPUT_ONLY, G_OPTION_ARG_INT, &top,
            "Show the N busiest resources and most frequent handovers (0 = all; default: 20 in "
            "text, all in JSON, 50 handovers in the map)",
            "N" },
          { "json", 0, CX_CLI_OUTPUT_ONLY, G_OPTION_ARG_NONE, &json, "Print JSON", NULL },
          { "output", 'o', CX_CLI_OUTPUT_ONLY, G_OPTION_ARG_FILENAME, &output,
            "Write to FILE; FILE.json: JSON; FILE.dot, .gv, .svg, .png or .pdf: the handover "
            "map (" CX_CLI_MAP_HELP_O "); other names: the report",
            "FILE" },
          { "render", 0, CX_CLI_OUTPUT_ONLY, G_OPTION_ARG_STRING, &render,
            "Also draw the map with Graphviz next to FILE.dot; needs -o FILE.dot", "svg|png|pdf" },
          { "render-timeout", 0, CX_CLI_OUTPUT_ONLY, G_OPTION_ARG_INT, &render_timeout,
            CX_CLI_MAP_HELP_TIMEOUT, "SECONDS" },
          { NULL } };
  CxCliCommand cmd
      = { .name = "resources",
          .parameter = "LOG… - who does the work, who hands cases to whom",
          .description
          = "Per resource (org:resource, or --resource COL in CSV): activity instances, cases,\n"
            "median service time (complete minus start, where lifecycles or --start-timestamp\n"
            "give one) and the outcomes of the journeys it touched (success share of the\n"
            "finished ones; outcome rule as in 'cxmine friction').\n\n"
            "Handover of work: two consecutive activity instances of a case done by different\n"
            "resources (instances without a resource are skipped over) are a handover from\n"
            "the first to the second; its wait runs from the first's completion to the\n"
            "second's start.\n\n"
            "Examples:\n"
            "  cxmine resources log.xes.gz\n"
            "  cxmine resources --json --top 0 log.xes.gz\n"
            "  cxmine resources log.xes.gz -o handover.dot --render svg\n",
          .entries = entries,
          .read = &r,
          .outcome = &oc };
  int parse_rc = cx_cli_command_parse(cli, &cmd, &argc, &argv);
  if (parse_rc >= 0)
    return parse_rc;
  g_autofree char *out_path = output, *render_fmt = render;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) success = NULL;
  gint64 open_after;
  gboolean to_map = out_path != NULL && !json
                    && (g_str_has_suffix(out_path, ".dot") || g_str_has_suffix(out_path, ".gv")
                        || g_str_has_suffix(out_path, ".svg") || g_str_has_suffix(out_path, ".png")
                        || g_str_has_suffix(out_path, ".pdf"));
  const char *bad = NULL;
  if (top < 0 && top != TOP_UNSET)
    bad = "--top: must not be negative";
  else if (render_fmt != NULL && !to_map)
    bad = "--render needs -o FILE.dot";
  else if (render_fmt != NULL && strcmp(render_fmt, "svg") != 0 && strcmp(render_fmt, "png") != 0
           && strcmp(render_fmt, "pdf") != 0)
    bad = "--render: expected svg, png or pdf";
  else if (render_timeout < 0)
    bad = "--render-timeout: must not be negative";
  int rc = cx_cli_outcome_settle("resources", bad, &r, &oc, &success, &open_after);
  if (rc >= 0)
    return rc;
  g_autoptr(CxLog) log = cx_cli_read_log("resources", &r, argv + 1);
  if (log == NULL)
    return CX_EXIT_USAGE;
  rc = to_map ? cx_cli_map_check(cli, "resources", out_path, render_fmt)
              : cx_cli_output_check(cli, "resources", out_path);
  if (rc != CX_EXIT_OK)
    return rc;
  g_autoptr(CxCaseTable) t = cx_case_table_new(log, (const char *const *)success, open_after);
  g_autoptr(CxResources) res = cx_resources_new(log);
  Both both = { t, res };
  if (!cx_log_scan(log, add_both, reset_both, &both, &error)) {
    cx_cli_error(error);
    return CX_EXIT_FAIL;
  }
  cx_case_table_finish(t);
  if (!cx_outcome_check(cx_case_table_outcome(t), &error)) {
    cx_cli_error(error);
    return CX_EXIT_FAIL;
  }
  cx_resources_finish(res, t);
  g_autoptr(GString) text = g_string_new(NULL);
  if (to_map) {
    cx_resources_to_dot(log, res, top == TOP_UNSET ? MAP_TOP : (guint)top, text);
    return cx_cli_emit_map(cli, out_path, text, render_fmt, (guint)render_timeout);
  }
  if (json || (out_path != NULL && g_str_has_suffix(out_path, ".json")))
    cx_resources_to_json(log, res, top == TOP_UNSET ? 0 : (guint)top, text);
  else {
    cx_calendar_note(cx_log_options(log)->calendar, text);
    cx_resources_to_text(log, res, t, top == TOP_UNSET ? TEXT_TOP : (guint)top, text);
  }
  return cx_cli_emit(cli, out_path, text);
}
