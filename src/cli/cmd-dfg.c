/* cxmine dfg: the directly-follows graph (process map) of a log. */
#include "cmd.h"
#include <stdio.h>
#include <string.h>

/* Defaults that give a readable map of a 20-40 activity log. */
#define DEFAULT_ACTIVITIES 100.0
#define DEFAULT_PATHS      15.0

static gboolean
parse_pct(const char *s, const char *what, double *out, GError **error)
{
  char *end = NULL;
  double v = g_ascii_strtod(s, &end);
  if (end == s || *end != '\0' || !(v >= 0 && v <= 100)) {
    g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                "%s: '%s' is not a percentage from 0 to 100", what, s);
    return FALSE;
  }
  *out = v;
  return TRUE;
}

static const char description[]
    = "Nodes are activities with their event and case counts; an edge A -> B counts how\n"
      "often B directly follows A in a case, in how many cases, and the waiting time\n"
      "from A's completion to B's start (exact mean, median, p90, min, max, total).\n"
      "Dashed arcs come from the start and go to the end node. Node colour and edge\n"
      "colour follow --metric; edge width follows frequency.\n\n"
      "The map is simplified by default so that it stays readable: it shows the 25\n"
      "activities that the most cases reach (the legend says what it leaves out) and\n"
      "the strongest 15% of paths (--paths 15). --activities all shows every activity,\n"
      "--activities P the most frequent ones covering P% of events, --paths 100 every\n"
      "path. --json (and --case-ids) print the full graph unless --activities, --paths or "
      "--max-nodes\n"
      "is given, then the simplified one.\n\n"
      "A map draws at most --max-nodes activities (default 200: Graphviz lays out a few\n"
      "hundred nodes in seconds, tens of thousands not in minutes); the legend and a\n"
      "warning say how many activities and paths were left out. Labels longer than 80\n"
      "characters are shortened with '…' (the full name is in the tooltip).\n\n"
      "Examples:\n"
      "  cxmine dfg fixtures/sample/customer-journeys.xes.gz -o map.svg   # the picture\n"
      "  cxmine dfg log.xes.gz > map.dot                    # DOT text\n"
      "  cxmine dfg log.xes.gz -o map.dot --render svg      # map.dot and map.svg\n"
      "  cxmine dfg log.xes.gz --metric median --paths 30 --rankdir LR -o waits.dot\n"
      "  cxmine dfg log.xes.gz --activities 80 --render png > map.png\n"
      "  cxmine dfg log.xes.gz --activities all -o everything.svg\n"
      "  cxmine dfg --json --where 'channel=web' --from 2024-01-01 log.csv\n"
      "  cxmine dfg --case-ids fixtures/sample/customer-journeys.xes.gz   # who took each path\n"
      "  cxmine dfg --json --case-ids log.xes.gz | jq '.edges[] | select(.from == \"A\")'\n"
      "  cxmine dfg --partial p0.cxp shards/shard-0000-*   # then: cxmine merge --json p*.cxp\n"
      "  cxmine dfg --metric median --business-hours 'Mon-Fri 09:00-17:30' log.xes.gz -o "
      "map.svg\n";

/* --case-ids without --json: per activity and path, its cases (the first
 * few), instead of the map. */
static void
case_ids_text(CxDfg *dfg, const CxDfgView *view, GString *out)
{
  CxLog *log = cx_dfg_log(dfg);
  CxPool *acts = cx_log_activities(log);
  guint nn, ne;
  const CxDfgNode *nodes = cx_dfg_nodes(dfg, &nn);
  const CxDfgEdge *edges = cx_dfg_edges(dfg, &ne);
  g_autofree char *name = cx_log_display_name(log);
  g_autofree char *ncases = cx_format_counted(cx_dfg_n_cases(dfg), "case", "cases");
  g_string_append_printf(out,
                         "%s: %s; the cases of each activity and path, earliest start "
                         "first\n",
                         name, ncases);
  for (guint i = 0; i < nn; i++) {
    if (view != NULL && !view->activity_kept[nodes[i].activity])
      continue;
    guint n;
    const guint32 *ids = cx_dfg_node_case_ids(dfg, nodes[i].activity, &n);
    g_autofree char *c = cx_format_counted(n, "case", "cases");
    g_string_append_printf(out, "\n%s (%s)\n  ", cx_pool_get(acts, nodes[i].activity), c);
    cx_case_ids_to_text(out, cx_log_cases(log), ids, n, CX_CLI_TEXT_CASE_IDS);
    g_string_append_c(out, '\n');
  }
  for (guint i = 0; i < ne; i++) {
    if (view != NULL && !view->edge_kept[i])
      continue;
    guint n;
    const guint32 *ids = cx_dfg_edge_case_ids(dfg, i, &n);
    g_autofree char *c = cx_format_counted(n, "case", "cases");
    g_string_append_printf(out, "\n%s → %s (%s)\n  ", cx_pool_get(acts, edges[i].from),
                           cx_pool_get(acts, edges[i].to), c);
    cx_case_ids_to_text(out, cx_log_cases(log), ids, n, CX_CLI_TEXT_CASE_IDS);
    g_string_append_c(out, '\n');
  }
  g_string_append(out, "\n(--json --case-ids lists every case id)\n");
}

/* --verbose: what was read and kept. */
static void
print_counts(CxDfg *dfg, CxLog *log)
{
  const CxReadCounts *c = cx_log_counts(log);
  g_autofree char *ev = cx_format_counted(c->events_read, "event", "events");
  g_autofree char *tr = cx_format_count(c->traces_read);
  g_autofree char *kept = cx_format_counted(c->cases_kept, "case", "cases");
  g_autofree char *inst
      = cx_format_counted(cx_dfg_n_events(dfg), "activity instance", "activity instances");
  g_printerr("read %s in %s traces/cases; kept %s, %s\n", ev, tr, kept, inst);
}

/* The map's choices, from the options. */
typedef struct {
  CxMetric metric;
  gboolean acts_given, acts_all; /* --activities P, --activities all */
  double acts_pct, paths_pct;
  int max_nodes; /* G_MININT: not given */
  const char *rankdir, *out_path, *render;
  int render_timeout;
} DfgMap;

/* The simplified map with its title and legend, as DOT (or a picture) to
 * -o: the default output of dfg. */
static int
write_map(CxCli *cli, CxDfg *dfg, CxLog *log, const DfgMap *m, GString *text)
{
  /* by default the activities most cases reach; --activities and --max-nodes
   * choose by instances as before */
  const CxReadCounts *c = cx_log_counts(log);
  gboolean top = !m->acts_given && m->max_nodes == G_MININT;
  guint cap = m->max_nodes >= 0 ? (guint)m->max_nodes : m->acts_all ? 0 : CX_DFG_MAX_NODES;
  g_autoptr(CxDfgView) view
      = top ? cx_dfg_view_new_top(dfg, CX_DFG_DEFAULT_ACTIVITIES, m->paths_pct)
            : cx_dfg_view_new_capped(dfg, m->acts_pct, m->paths_pct, cap);
  guint n_nodes, n_edges, kept_nodes, kept_edges;
  cx_dfg_nodes(dfg, &n_nodes);
  cx_dfg_edges(dfg, &n_edges);
  cx_dfg_view_counts(view, &kept_nodes, &kept_edges);
  g_autofree char *name = cx_log_display_name(log);
  g_autofree char *ncases = cx_format_counted(cx_dfg_n_cases(dfg), "case", "cases");
  g_autofree char *nevents = cx_format_counted(cx_dfg_n_events(dfg), "event", "events");
  g_autofree char *title = NULL;
  if (c->events_kept != cx_dfg_n_events(dfg)) {
    /* lifecycle pairing: say what the node counts add up to */
    g_autofree char *nraw = cx_format_counted(c->events_kept, "event", "events");
    g_autofree char *ninst
        = cx_format_counted(cx_dfg_n_events(dfg), "activity instance", "activity instances");
    title = g_strdup_printf("%s: %s, %s (%s)", name, ncases, nraw, ninst);
  } else {
    title = g_strdup_printf("%s: %s, %s", name, ncases, nevents);
  }
  g_autofree char *acts_num = cx_format_number(m->acts_pct, 1);
  g_autofree char *paths_num = cx_format_number(m->paths_pct, 1);
  g_autofree char *kn = cx_format_count(kept_nodes);
  g_autofree char *nn = cx_format_counted(n_nodes, "activity", "activities");
  g_autofree char *ke = cx_format_count(kept_edges);
  g_autofree char *ne = cx_format_counted(n_edges, "path", "paths");
  g_autofree char *shown
      = top ? g_strdup_printf("%s of %s (those most cases reach), %s of %s (--paths %s)", kn, nn,
                              ke, ne, paths_num)
            : g_strdup_printf("%s of %s (--activities %s), %s of %s (--paths %s)", kn, nn, acts_num,
                              ke, ne, paths_num);
  g_autofree char *what = g_strdup_printf(
      "labels and colour: %s%s; edge width: frequency", cx_metric_name(m->metric),
      cx_metric_is_duration(m->metric) ? " (edges: waits, nodes: service times where known)" : "");
  g_autofree char *left_out = NULL;
  if (top && kept_nodes < n_nodes) {
    g_autofree char *n_left = cx_format_count(n_nodes - kept_nodes);
    left_out = g_strdup_printf("hidden: %s less common %s (--activities all shows every one)",
                               n_left, cx_plural(n_nodes - kept_nodes, "activity", "activities"));
  } else if (view->capped > 0) {
    g_autofree char *n_left = cx_format_count(n_nodes - kept_nodes);
    g_autofree char *n_all = cx_format_count(n_nodes);
    g_autofree char *p_left = cx_format_count(n_edges - kept_edges);
    g_autofree char *p_all = cx_format_count(n_edges);
    left_out = g_strdup_printf("left out: %s of %s activities and %s of %s paths "
                               "(at most --max-nodes %u activities are drawn)",
                               n_left, n_all, p_left, p_all, cap);
    g_autofree char *msg
        = g_strdup_printf("the map leaves out %s of %s activities and %s of %s paths: it draws "
                          "at most %u activities (--max-nodes N draws more, 0 all)",
                          n_left, n_all, p_left, p_all, cap);
    cx_cli_notice(CX_NOTICE_WARNING, "max-nodes", msg, cli);
  }
  g_autofree char *hours = cx_calendar_line(cx_log_options(log)->calendar);
  const char *legend[]
      = { shown, what, hours != NULL ? hours : left_out, hours ? left_out : NULL, NULL };
  CxDotOptions opts = { 0 };
  opts.metric = m->metric;
  opts.rankdir = m->rankdir != NULL ? m->rankdir : "TB";
  opts.title = title;
  opts.legend = legend;
  cx_dot_write_dfg(dfg, view, &opts, text);

  return cx_cli_emit_map(cli, m->out_path, text, m->render, (guint)m->render_timeout);
}

int
cx_cmd_dfg(CxCli *cli, int argc, char **argv)
{
  gboolean json = FALSE, case_ids = FALSE;
  char *output = NULL, *metric_s = NULL, *acts_s = NULL, *paths_s = NULL, *rankdir = NULL,
       *render = NULL;
  int max_nodes = G_MININT; /* G_MININT: not given */
  int render_timeout = CX_DOT_RENDER_TIMEOUT;
  CxCliRead r;
  cx_cli_read_init(&r, cli);
  GOptionEntry entries[]
      = { { "output", 'o', CX_CLI_OUTPUT_ONLY, G_OPTION_ARG_FILENAME, &output,
            "Where the map goes (default: DOT text on standard output). " CX_CLI_MAP_HELP_O
            ". With --json: JSON, whatever the name",
            "FILE" },
          { "json", 0, CX_CLI_OUTPUT_ONLY, G_OPTION_ARG_NONE, &json,
            "Write the graph as JSON instead of a map", NULL },
          { "case-ids", 0, CX_CLI_OUTPUT_ONLY, G_OPTION_ARG_NONE, &case_ids,
            "List the cases of every activity and path (\"case_ids\" in JSON, all of them; "
            "without --json a text list, the first 10 of each, instead of the map)",
            NULL },
          { "metric", 'm', CX_CLI_OUTPUT_ONLY, G_OPTION_ARG_STRING, &metric_s,
            "What labels and colours show (default frequency)",
            "frequency|cases|mean|median|p90|total" },
          { "activities", 'a', CX_CLI_OUTPUT_ONLY, G_OPTION_ARG_STRING, &acts_s,
            "Keep the most frequent activities covering P% of events; all: every activity "
            "(default: the " G_STRINGIFY(CX_DFG_DEFAULT_ACTIVITIES) " activities in most cases)",
            "P|all" },
          { "paths", 'p', CX_CLI_OUTPUT_ONLY, G_OPTION_ARG_STRING, &paths_s,
            "Keep the strongest P% of paths, plus those needed to connect every activity "
            "(default 15)",
            "P" },
          { "max-nodes", 0, CX_CLI_OUTPUT_ONLY, G_OPTION_ARG_INT, &max_nodes,
            "Draw at most N activities, the most frequent (default 200 with --activities; 0 = no "
            "cap)",
            "N" },
          { "rankdir", 0, CX_CLI_OUTPUT_ONLY, G_OPTION_ARG_STRING, &rankdir,
            "Layout direction (default TB)", "TB|LR" },
          { "render", 0, CX_CLI_OUTPUT_ONLY, G_OPTION_ARG_STRING, &render,
            "Draw the map with Graphviz: FILE.FMT beside -o FILE.dot, or the picture on standard "
            "output without -o (png and pdf never to a terminal)",
            "svg|png|pdf" },
          { "render-timeout", 0, CX_CLI_OUTPUT_ONLY, G_OPTION_ARG_INT, &render_timeout,
            CX_CLI_MAP_HELP_TIMEOUT, "SECONDS" },
          { NULL } };
  CxCliCommand cmd = { .name = "dfg",
                       .parameter = "LOG… - the directly-follows graph (process map) of a log",
                       .description = description,
                       .entries = entries,
                       .read = &r,
                       .partial = TRUE };
  int parse_rc = cx_cli_command_parse(cli, &cmd, &argc, &argv);
  g_autofree char *out_path = output;
  g_autofree char *metric_str = metric_s;
  g_autofree char *acts_str = acts_s;
  g_autofree char *paths_str = paths_s;
  g_autofree char *rankdir_str = rankdir;
  g_autofree char *render_fmt = render;
  if (parse_rc >= 0)
    return parse_rc;

  CxMetric metric = CX_METRIC_FREQUENCY;
  double acts_pct = DEFAULT_ACTIVITIES, paths_pct = DEFAULT_PATHS;
  g_autoptr(GError) error = NULL;
  const char *bad = NULL;
  if (metric_str != NULL && !cx_metric_parse(metric_str, &metric))
    bad = "--metric: expected frequency, cases, mean, median, p90 or total";
  else if (rankdir_str != NULL && g_ascii_strcasecmp(rankdir_str, "TB") != 0
           && g_ascii_strcasecmp(rankdir_str, "LR") != 0)
    bad = "--rankdir: expected TB or LR";
  else if (max_nodes != G_MININT && max_nodes < 0)
    bad = "--max-nodes: expected a number of activities, 0 for no cap";
  else if (json && render_fmt != NULL)
    bad = "--json and --render cannot be combined";
  else if (case_ids && render_fmt != NULL)
    bad = "--case-ids lists cases as text or JSON and cannot be combined with --render";
  else if (render_fmt != NULL && strcmp(render_fmt, "svg") != 0 && strcmp(render_fmt, "png") != 0
           && strcmp(render_fmt, "pdf") != 0)
    bad = "--render: expected svg, png or pdf";
  else if (render_timeout < 0)
    bad = "--render-timeout: must not be negative";
  if (bad != NULL) {
    cx_cli_read_clear(&r);
    return cx_cli_usage("dfg", "%s", bad);
  }
  gboolean acts_all = acts_str != NULL && g_ascii_strcasecmp(acts_str, "all") == 0;
  if ((acts_str != NULL && !acts_all && !parse_pct(acts_str, "--activities", &acts_pct, &error))
      || (paths_str != NULL && !parse_pct(paths_str, "--paths", &paths_pct, &error))) {
    cx_cli_read_clear(&r);
    return cx_cli_usage("dfg", "%s", error->message);
  }

  g_autoptr(CxLog) log = cx_cli_read_log("dfg", &r, argv + 1);
  if (log == NULL)
    return CX_EXIT_USAGE;
  int rc = cx_cli_partial_write(cli, log, "dfg", NULL);
  if (rc >= 0)
    return rc;
  rc = json || case_ids ? cx_cli_output_check(cli, "dfg", out_path)
                        : cx_cli_map_check(cli, "dfg", out_path, render_fmt);
  if (rc != CX_EXIT_OK)
    return rc;
  g_autoptr(CxDfg) dfg = cx_dfg_new(log);
  if (case_ids)
    cx_dfg_keep_case_ids(dfg);
  else
    cx_log_set_case_names(log, FALSE); /* a map names no case */
  cx_log_set_split(log, cx_dfg_fork, cx_dfg_absorb);
  if (!cx_log_scan(log, cx_dfg_add, cx_dfg_reset, dfg, &error)) {
    cx_cli_error(error);
    return CX_EXIT_FAIL;
  }
  if (cx_log_options(log)->verbose)
    print_counts(dfg, log);

  g_autoptr(GString) text = g_string_new(NULL);
  if (json || case_ids) {
    gboolean simplify = acts_str != NULL || paths_str != NULL || max_nodes >= 0;
    g_autoptr(CxDfgView) view
        = simplify ? cx_dfg_view_new_capped(dfg, acts_pct, paths_pct, MAX(max_nodes, 0)) : NULL;
    if (json) {
      g_autoptr(CxJson) j = cx_json_new(text, TRUE);
      cx_dfg_to_json(dfg, view, j);
      g_string_append_c(text, '\n');
    } else {
      case_ids_text(dfg, view, text);
    }
    return cx_cli_emit(cli, out_path, text);
  }

  DfgMap m = { metric,    acts_str != NULL, acts_all, acts_pct,   paths_pct,
               max_nodes, rankdir_str,      out_path, render_fmt, render_timeout };
  return write_map(cli, dfg, log, &m, text);
}
