/* cxmine resources: who does the work, and who hands cases to whom. */
#include "cmd.h"
#include <math.h>
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

static char *
dur_text(double v)
{
  return isnan(v) ? g_strdup("-") : cx_format_duration(v);
}

static char *
share_text(double v)
{
  if (isnan(v))
    return g_strdup("-");
  g_autofree char *s = cx_format_number(100 * v, 1);
  return g_strdup_printf("%s%%", s);
}

static void
to_text(CxLog *log, CxResources *res, CxCaseTable *t, guint top, GString *out)
{
  CxPool *pool = cx_log_resources(log);
  guint n, nh;
  const CxResource *rs = cx_resources_list(res, &n);
  const CxHandover *hs = cx_resources_handovers(res, &nh);
  g_autofree char *nr = cx_format_count(n);
  g_autofree char *nhs = cx_format_count(nh);
  g_string_append_printf(out, "%s resources, %s handover pairs\nsuccess: %s\n", nr, nhs,
                         cx_outcome_explain(cx_case_table_outcome(t)));
  if (cx_resources_unassigned(res) > 0) {
    g_autofree char *u = cx_format_count(cx_resources_unassigned(res));
    g_string_append_printf(out, "%s activity instances without a resource\n", u);
  }
  gsize w = strlen("resource");
  for (guint i = 0; i < n && (top == 0 || i < top); i++)
    w = MAX(w, (gsize)g_utf8_strlen(cx_pool_get(pool, rs[i].resource), -1));
  g_string_append_printf(out, "\n%-*s  %9s  %7s  %12s  %8s\n", (int)w, "resource", "instances",
                         "cases", "med. service", "success");
  for (guint i = 0; i < n && (top == 0 || i < top); i++) {
    const char *name = cx_pool_get(pool, rs[i].resource);
    g_autofree char *ins = cx_format_count(rs[i].instances);
    g_autofree char *cs = cx_format_count(rs[i].cases);
    g_autofree char *svc = dur_text(rs[i].median_service_s);
    g_autofree char *su = share_text(rs[i].success_share);
    g_string_append(out, name);
    for (gsize k = (gsize)g_utf8_strlen(name, -1); k < w; k++)
      g_string_append_c(out, ' ');
    g_string_append_printf(out, "  %9s  %7s  %12s  %8s\n", ins, cs, svc, su);
  }
  if (top > 0 && n > top)
    g_string_append_printf(out, "… %u more resources (use --top 0 for all)\n", n - top);
  g_string_append(out, "\nhandovers (who passes cases to whom)\n");
  g_string_append_printf(out, "%9s  %7s  %10s  %s\n", "count", "cases", "med. wait", "from → to");
  for (guint i = 0; i < nh && (top == 0 || i < top); i++) {
    g_autofree char *c = cx_format_count(hs[i].count);
    g_autofree char *cs = cx_format_count(hs[i].cases);
    g_autofree char *wt = dur_text(hs[i].median_wait_s);
    g_string_append_printf(out, "%9s  %7s  %10s  %s → %s\n", c, cs, wt,
                           cx_pool_get(pool, hs[i].from), cx_pool_get(pool, hs[i].to));
  }
  if (top > 0 && nh > top)
    g_string_append_printf(out, "… %u more handover pairs (use --top 0 for all)\n", nh - top);
}

static void
to_json(CxLog *log, CxResources *res, guint top, GString *out)
{
  CxPool *pool = cx_log_resources(log);
  guint n, nh;
  const CxResource *rs = cx_resources_list(res, &n);
  const CxHandover *hs = cx_resources_handovers(res, &nh);
  g_autoptr(CxJson) j = cx_json_new(out, TRUE);
  cx_json_begin_object(j);
  cx_calendar_json(cx_log_options(log)->calendar, j);
  cx_json_key(j, "unassigned_instances");
  cx_json_int(j, (gint64)cx_resources_unassigned(res));
  cx_json_key(j, "resources_total");
  cx_json_int(j, n);
  cx_json_key(j, "resources");
  cx_json_begin_array(j);
  for (guint i = 0; i < n && (top == 0 || i < top); i++) {
    cx_json_begin_object(j);
    cx_json_key(j, "resource");
    cx_json_string(j, cx_pool_get(pool, rs[i].resource));
    cx_json_key(j, "instances");
    cx_json_int(j, (gint64)rs[i].instances);
    cx_json_key(j, "cases");
    cx_json_int(j, (gint64)rs[i].cases);
    cx_json_key(j, "services");
    cx_json_int(j, (gint64)rs[i].services);
    cx_json_key_double(j, "median_service_s", rs[i].median_service_s);
    cx_json_key(j, "success");
    cx_json_int(j, (gint64)rs[i].success);
    cx_json_key(j, "dropoff");
    cx_json_int(j, (gint64)rs[i].dropoff);
    cx_json_key(j, "open");
    cx_json_int(j, (gint64)rs[i].open);
    cx_json_key_double(j, "success_share", rs[i].success_share);
    cx_json_end_object(j);
  }
  cx_json_end_array(j);
  cx_json_key(j, "handovers_total");
  cx_json_int(j, nh);
  cx_json_key(j, "handovers");
  cx_json_begin_array(j);
  for (guint i = 0; i < nh && (top == 0 || i < top); i++) {
    cx_json_begin_object(j);
    cx_json_key(j, "from");
    cx_json_string(j, cx_pool_get(pool, hs[i].from));
    cx_json_key(j, "to");
    cx_json_string(j, cx_pool_get(pool, hs[i].to));
    cx_json_key(j, "count");
    cx_json_int(j, (gint64)hs[i].count);
    cx_json_key(j, "cases");
    cx_json_int(j, (gint64)hs[i].cases);
    cx_json_key(j, "waits");
    cx_json_int(j, (gint64)hs[i].waits);
    cx_json_key_double(j, "median_wait_s", hs[i].median_wait_s);
    cx_json_end_object(j);
  }
  cx_json_end_array(j);
  cx_json_key(j, "truncated");
  cx_json_bool(j, top > 0 && (n > top || nh > top));
  cx_json_end_object(j);
  g_string_append_c(out, '\n');
}

static void
to_dot(CxLog *log, CxResources *res, guint top, GString *out)
{
  CxPool *pool = cx_log_resources(log);
  guint n, nh;
  const CxResource *rs = cx_resources_list(res, &n);
  const CxHandover *hs = cx_resources_handovers(res, &nh);
  g_autofree char *name = cx_log_display_name(log);
  g_autofree char *title = g_strdup_printf("%s: handover of work", name);
  g_autoptr(CxDot) dot = cx_dot_new(title, "LR");
  guint shown = top == 0 ? nh : MIN(nh, top);
  g_autofree char *legend = g_strdup_printf(
      "edges: the %u most frequent of %u handover pairs (count, median wait)", shown, nh);
  cx_dot_legend(dot, legend);
  g_autofree char *hours = cx_calendar_line(cx_log_options(log)->calendar);
  if (hours != NULL)
    cx_dot_legend(dot, hours);
  guint64 max_inst = n > 0 ? rs[0].instances : 0, max_count = nh > 0 ? hs[0].count : 0;
  g_autoptr(GHashTable) used = g_hash_table_new(g_direct_hash, g_direct_equal);
  for (guint i = 0; i < shown; i++) {
    g_hash_table_add(used, GUINT_TO_POINTER(hs[i].from));
    g_hash_table_add(used, GUINT_TO_POINTER(hs[i].to));
  }
  for (guint i = 0; i < n; i++) {
    if (!g_hash_table_contains(used, GUINT_TO_POINTER(rs[i].resource)))
      continue;
    g_autofree char *ins = cx_format_count(rs[i].instances);
    g_autofree char *label = g_strdup_printf("%s\n%s %s", cx_pool_get(pool, rs[i].resource), ins,
                                             rs[i].instances == 1 ? "instance" : "instances");
    char fill[8];
    double s = cx_dot_scale((double)rs[i].instances, (double)max_inst);
    cx_dot_color(CX_DOT_PALETTE_BLUE, s, fill);
    CxDotStyle st = { 0 };
    st.label = label;
    st.fill = fill;
    st.fontcolor = cx_dot_text_color(CX_DOT_PALETTE_BLUE, s);
    cx_dot_node(dot, cx_pool_get(pool, rs[i].resource), &st);
  }
  for (guint i = 0; i < shown; i++) {
    g_autofree char *c = cx_format_count(hs[i].count);
    g_autofree char *wt = dur_text(hs[i].median_wait_s);
    g_autofree char *label = g_strdup_printf("%s\n%s", c, wt);
    CxDotStyle st = { 0 };
    st.label = label;
    st.penwidth = cx_dot_penwidth((double)hs[i].count, (double)max_count);
    cx_dot_edge(dot, cx_pool_get(pool, hs[i].from), cx_pool_get(pool, hs[i].to), &st);
  }
  cx_dot_write(dot, out);
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
  if (bad == NULL && !cx_cli_outcome_apply(&oc, &success, &open_after, &error))
    bad = error->message;
  if (bad != NULL) {
    cx_cli_read_clear(&r);
    g_free(oc.success);
    g_free(oc.open_after);
    return cx_cli_usage("resources", "%s", bad);
  }
  g_autoptr(CxLog) log = cx_log_new();
  gboolean ok = cx_cli_read_apply(&r, log, argv + 1, &error);
  cx_cli_read_clear(&r);
  if (!ok)
    return cx_cli_usage("resources", "%s", error->message);
  int rc = to_map ? cx_cli_map_check(cli, "resources", out_path, render_fmt)
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
  cx_resources_finish(res, t);
  g_autoptr(GString) text = g_string_new(NULL);
  if (to_map) {
    to_dot(log, res, top == TOP_UNSET ? MAP_TOP : (guint)top, text);
    return cx_cli_emit_map(cli, out_path, text, render_fmt, (guint)render_timeout);
  }
  if (json || (out_path != NULL && g_str_has_suffix(out_path, ".json")))
    to_json(log, res, top == TOP_UNSET ? 0 : (guint)top, text);
  else {
    cx_calendar_note(cx_log_options(log)->calendar, text);
    to_text(log, res, t, top == TOP_UNSET ? TEXT_TOP : (guint)top, text);
  }
  return cx_cli_emit(cli, out_path, text);
}
