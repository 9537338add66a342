/* cxmine friction: where customers get stuck, ranked by impact. */
#include "cmd.h"
#include "cxmine/friction.h"
#include "cxmine/dot-writer.h"
#include <stdio.h>
#include <string.h>

int
cx_cmd_friction(CxCli *cli, int argc, char **argv)
{
  gboolean json = FALSE, case_ids = FALSE, sat_lower = FALSE, no_drift = FALSE;
  int top = -1, min_cases = 5, min_samples = 20, many = 3;
  char *output = NULL, *render = NULL, *success = NULL, *open_after = NULL, *negative = NULL,
       *rank = NULL, *repeat_window = NULL, *sat_key = NULL;
  int render_timeout = CX_DOT_RENDER_TIMEOUT;
  double min_share = 0.01, b_share = 0.05, b_factor = 10, e_factor = 2, e_iqr = 3, i_ratio = 5,
         i_slow = 3, margin = 0.10;
  CxCliRead r;
  cx_cli_read_init(&r, cli);
  GOptionEntry entries[] = {
    { "json", 0, CX_CLI_OUTPUT_ONLY, G_OPTION_ARG_NONE, &json, "Print the findings as JSON", NULL },
    { "top", 'n', CX_CLI_OUTPUT_ONLY, G_OPTION_ARG_INT, &top,
      "Show the N top findings (0 = all; default 15 in the report, all with --json)", "N" },
    { "rank", 0, 0, G_OPTION_ARG_STRING, &rank,
      "Rank by customers lost (default), extra customer time, or satisfaction lost",
      "customers|time|satisfaction" },
    { "case-ids", 0, CX_CLI_OUTPUT_ONLY, G_OPTION_ARG_NONE, &case_ids,
      "The cases behind each finding, earliest start first (\"case_ids\" in JSON, all of "
      "them; in text the first 10 and how many more)",
      NULL },
    { "repeat-window", 0, 0, G_OPTION_ARG_STRING, &repeat_window,
      "Repeat contact: the same activity again on another channel within DURATION (default 7d)",
      "DURATION" },
    { "satisfaction-key", 0, 0, G_OPTION_ARG_STRING, &sat_key,
      "A numeric attribute with the customer's score (CSAT, CES, NPS); an event attribute's "
      "first value, or KEY@last for its last",
      "KEY" },
    { "satisfaction-lower-is-better", 0, 0, G_OPTION_ARG_NONE, &sat_lower,
      "Lower scores are better (CES-like scales)", NULL },
    { "success-margin", 0, 0, G_OPTION_ARG_DOUBLE, &margin,
      "A pattern whose cases end successfully this much more often (0..1; default 0.10) goes "
      "with success, not friction",
      "X" },
    { "no-drift", 0, 0, G_OPTION_ARG_NONE, &no_drift, "Do not look for drift over time", NULL },
    { "output", 'o', CX_CLI_OUTPUT_ONLY, G_OPTION_ARG_FILENAME, &output,
      "Also write the journey map with the top findings highlighted (the report stays on "
      "standard output, unless FILE is -). " CX_CLI_MAP_HELP_O,
      "FILE" },
    { "render", 0, CX_CLI_OUTPUT_ONLY, G_OPTION_ARG_STRING, &render,
      "Draw the map with Graphviz: FILE.FMT beside -o FILE.dot, or without -o the picture "
      "on standard output instead of the report (png and pdf never to a terminal)",
      "svg|png|pdf" },
    { "render-timeout", 0, CX_CLI_OUTPUT_ONLY, G_OPTION_ARG_INT, &render_timeout,
      CX_CLI_MAP_HELP_TIMEOUT, "SECONDS" },
    { "success", 0, 0, G_OPTION_ARG_STRING, &success,
      "Successful end activities (default: inferred, see below)", "A[,B...]" },
    { "open-after", 0, 0, G_OPTION_ARG_STRING, &open_after,
      "Journeys whose last event is less than DURATION before the log's last timestamp are "
      "still open, not dropped (e.g. 30d, 12h, 90m, 45s; 0 = none; default: inferred, see below)",
      "DURATION" },
    { "negative", 0, 0, G_OPTION_ARG_STRING, &negative,
      "Negative activities: case-insensitive globs (default " CX_FRICTION_DEFAULT_NEGATIVE ")",
      "PATTERNS" },
    { "min-cases", 0, 0, G_OPTION_ARG_INT, &min_cases,
      "A finding needs at least N cases (default 5)", "N" },
    { "min-share", 0, 0, G_OPTION_ARG_DOUBLE, &min_share,
      "... and at least this share of all cases (default 0.01)", "X" },
    { "bottleneck-share", 0, 0, G_OPTION_ARG_DOUBLE, &b_share,
      "Bottleneck: share of all waiting it holds at least (default 0.05)", "X" },
    { "bottleneck-factor", 0, 0, G_OPTION_ARG_DOUBLE, &b_factor,
      "Bottleneck: median wait at least F x the log's median wait; cases waiting that long "
      "count (default 10)",
      "F" },
    { "effort-factor", 0, 0, G_OPTION_ARG_DOUBLE, &e_factor,
      "Effort: more steps/touches than F x the median (default 2) ...", "F" },
    { "effort-iqr", 0, 0, G_OPTION_ARG_DOUBLE, &e_iqr, "... and than Q3 + K x IQR (default 3)",
      "K" },
    { "inconsistency-ratio", 0, 0, G_OPTION_ARG_DOUBLE, &i_ratio,
      "Inconsistency: p90/median at least R (default 5) and twice the typical ratio", "R" },
    { "inconsistency-samples", 0, 0, G_OPTION_ARG_INT, &min_samples,
      "Inconsistency: at least N samples (default 20)", "N" },
    { "inconsistency-slow", 0, 0, G_OPTION_ARG_DOUBLE, &i_slow,
      "Inconsistency: cases above S x the median count (default 3)", "S" },
    { "many-switches", 0, 0, G_OPTION_ARG_INT, &many,
      "Channel switch: journeys with at least N switches (default 3)", "N" },
    { NULL }
  };
  CxCliCommand cmd = {
    .name = "friction",
    .parameter = "LOG… - where customers get stuck",
    .description
    = "Finds where customers get stuck and what it costs, in two currencies:\n"
      "  customers lost  drop-off: the finished journeys that ended there; otherwise\n"
      "                  cases x (success share without - with), never below 0\n"
      "  extra time      cases x (median journey duration with - without), never below 0\n"
      "each with its share of all journeys and of all customer time. The default\n"
      "ranking puts lost customers first (then extra time); --rank time swaps them.\n"
      "Findings that cost nothing are not listed. Kinds:\n"
      "  dropoff         finished journeys ending without success at an activity\n"
      "  pingpong, loop  cycles of 2 and of 3-5 steps (one detour step per turn)\n"
      "  rework          an activity repeated outside any reported cycle\n"
      "  repeat_contact  the same activity again on another channel (--repeat-window)\n"
      "  channel_switch  switches between two channels, or many switches\n"
      "  bottleneck      a wait far above the other waits, or holding 25%+ of all\n"
      "                  waiting (waits after success and before a return are\n"
      "                  listed apart: they are not customer friction)\n"
      "  negative        complaints, escalations, reopenings (--negative)\n"
      "  effort          cases with unusually many steps or touches\n"
      "  inconsistency   waits or service times whose p90 is far above their median\n"
      "  drift           a wait, service time or the success share getting worse\n"
      "                  over the log's period (trend test, BH-corrected)\n"
      "A pattern whose cases end successfully 10 points more often (--success-margin)\n"
      "than the others who reached its first step goes with success (probably a\n"
      "required step) and is listed apart. Findings whose cases are 90% the same\n"
      "(Jaccard) are one: the lower-ranked ones are named under the first.\n\n"
      "Successful ends: --success, or inferred (the report says which rule decided):\n"
      " 1. end activities named with a word like close(d), resolve(d), complete(d),\n"
      "    done, finish(ed), pay/paid/payment, approve(d), success,\n"
      "    deliver(ed), release(d) and no word like reject, cancel, decline, fail, not,\n"
      "    return -- if they end at least 10% of the journeys;\n"
      " 2. else milestones: a journey that passed such a success-named activity (one\n"
      "    after which at most 10% of journeys end at a reject/cancel/... activity) with\n"
      "    no reject/cancel/... after it is successful -- if that covers 10%;\n"
      " 3. else the most frequent end; the report then calls the guess weak and\n"
      "    suggests a --success list.\n\n"
      "Open journeys: a journey that did not end successfully and whose last event is\n"
      "less than --open-after before the log's last event is still open, neither a\n"
      "success nor a drop-off. By default --open-after is inferred: the p95 of the\n"
      "longest pause between two steps in the journeys that ended successfully (none\n"
      "when fewer than 20 such journeys have timestamps). --open-after 0 turns it off.\n\n"
      "Examples:\n"
      "  cxmine friction helpdesk.xes.gz\n"
      "  cxmine friction --success Payment --open-after 60d road_traffic.xes.gz\n"
      "  cxmine friction --json log.csv --case id --activity step --timestamp at\n"
      "  cxmine friction --satisfaction-key csat --rank satisfaction log.xes\n"
      "  cxmine friction --case-ids fixtures/sample/customer-journeys.xes.gz   # who is behind "
      "each\n"
      "  cxmine friction --json --case-ids log.xes.gz > findings.json\n"
      "  cxmine friction log.xes.gz -o friction.svg       # the report, and the map as a picture\n"
      "  cxmine friction log.xes.gz -o friction.dot --render svg   # friction.dot and .svg\n"
      "  cxmine friction --partial p0.cxp shards/shard-0000-*   # then: cxmine merge p*.cxp\n",
    .entries = entries,
    .read = &r,
    .partial = TRUE
  };
  int parse_rc = cx_cli_command_parse(cli, &cmd, &argc, &argv);
  if (parse_rc >= 0)
    return parse_rc;
  g_autofree char *out_path = output, *render_fmt = render, *success_s = success,
                  *open_s = open_after, *neg_s = negative, *rank_s = rank,
                  *window_s = repeat_window, *sat_s = sat_key;
  const char *bad = NULL;
  CxFrictionOptions o;
  cx_friction_options_init(&o);
  gboolean top_given = top >= 0;
  if (top < -1)
    bad = "--top: must not be negative";
  else if (rank_s != NULL && strcmp(rank_s, "customers") != 0 && strcmp(rank_s, "time") != 0
           && strcmp(rank_s, "satisfaction") != 0)
    bad = "--rank: expected customers, time or satisfaction";
  else if (rank_s != NULL && strcmp(rank_s, "satisfaction") == 0 && sat_s == NULL)
    bad = "--rank satisfaction needs --satisfaction-key KEY";
  else if (sat_lower && sat_s == NULL)
    bad = "--satisfaction-lower-is-better needs --satisfaction-key KEY";
  else if (sat_s != NULL && *sat_s == '\0')
    bad = "--satisfaction-key: expected an attribute name";
  else if (!(margin >= 0 && margin <= 1))
    bad = "--success-margin: expected a share between 0 and 1";
  else if (min_cases < 1 || min_samples < 1 || many < 1)
    bad = "--min-cases, --inconsistency-samples, --many-switches: must be at least 1";
  else if (min_share < 0 || min_share > 1 || b_share < 0 || b_share > 1)
    bad = "--min-share, --bottleneck-share: expected a share between 0 and 1";
  else if (b_factor <= 0 || e_factor <= 0 || e_iqr < 0 || i_ratio <= 0 || i_slow <= 0)
    bad = "factors and ratios must be positive";
  else if (render_timeout < 0)
    bad = "--render-timeout: must not be negative";
  else if (render_fmt != NULL && strcmp(render_fmt, "svg") != 0 && strcmp(render_fmt, "png") != 0
           && strcmp(render_fmt, "pdf") != 0)
    bad = "--render: expected svg, png or pdf";
  if (bad != NULL) {
    cx_cli_read_clear(&r);
    return cx_cli_usage("friction", "%s", bad);
  }
  /* the outcome rule and the repeat window as every command reads them */
  g_auto(GStrv) succ = NULL, neg = NULL;
  g_autoptr(GError) opt_error = NULL;
  CxCliOutcome oc = { g_steal_pointer(&success_s), g_steal_pointer(&open_s) };
  if (!cx_cli_outcome_apply(&oc, &succ, &o.open_after_us, &opt_error)
      || (window_s != NULL
          && !cx_cli_parse_duration(window_s, "--repeat-window", &o.repeat_window_us,
                                    &opt_error))) {
    cx_cli_read_clear(&r);
    return cx_cli_usage("friction", "%s", opt_error->message);
  }
  o.success = (const char *const *)succ;
  if (neg_s != NULL) {
    neg = g_strsplit(neg_s, ",", -1);
    o.negative = (const char *const *)neg;
  }
  o.min_cases = (guint)min_cases;
  o.min_share = min_share;
  o.bottleneck_share = b_share;
  o.bottleneck_factor = b_factor;
  o.effort_factor = e_factor;
  o.effort_iqr = e_iqr;
  o.inconsistency_ratio = i_ratio;
  o.inconsistency_min_samples = (guint)min_samples;
  o.inconsistency_slow = i_slow;
  o.many_switches = (guint)many;
  o.success_margin = margin;
  o.drift = !no_drift;
  o.satisfaction_key = sat_s;
  o.satisfaction_lower_is_better = sat_lower;
  if (rank_s != NULL)
    o.rank = strcmp(rank_s, "time") == 0           ? CX_FRICTION_RANK_TIME
             : strcmp(rank_s, "satisfaction") == 0 ? CX_FRICTION_RANK_SATISFACTION
                                                   : CX_FRICTION_RANK_CUSTOMERS;

  g_autoptr(CxLog) log = cx_log_new();
  g_autoptr(GError) error = NULL;
  gboolean ok = cx_cli_read_apply(&r, log, argv + 1, &error);
  cx_cli_read_clear(&r);
  if (!ok)
    return cx_cli_usage("friction", "%s", error->message);
  /* made first: it asks the log for the attributes it needs (--satisfaction-key) */
  g_autoptr(CxFriction) f = cx_friction_new(log, &o);
  int rc = cx_cli_partial_write(cli, log, "friction", NULL);
  if (rc >= 0)
    return rc;
  /* the map goes to -o, or with --render alone to standard output */
  gboolean map = out_path != NULL || render_fmt != NULL;
  rc = map ? cx_cli_map_check(cli, "friction", out_path, render_fmt)
           : cx_cli_output_check(cli, "friction", NULL);
  if (rc != CX_EXIT_OK)
    return rc;
  if (!cx_log_scan(log, cx_friction_add, cx_friction_reset, f, &error)) {
    cx_cli_error(error);
    return CX_EXIT_FAIL;
  }
  if (succ != NULL) {
    /* a name that is no activity of the log is a typo, not a finding */
    CxPool *acts = cx_log_activities(log);
    for (char **p = succ; *p != NULL; p++)
      if (cx_pool_lookup(acts, *p, -1) == G_MAXUINT32)
        return cx_cli_usage("friction", "--success: '%s' is not an activity of the log", *p);
  }
  cx_friction_finish(f);

  if (map) {
    g_autoptr(GString) dot = g_string_new(NULL);
    cx_friction_to_dot(f, dot, top > 0 ? (guint)MIN(top, 5) : 5);
    rc = cx_cli_emit_map(cli, out_path, dot, render_fmt, (guint)render_timeout);
    if (rc != CX_EXIT_OK)
      return rc;
    if (out_path == NULL || strcmp(out_path, "-") == 0)
      return CX_EXIT_OK; /* the map took standard output */
  }
  g_autoptr(GString) text = g_string_new(NULL);
  if (json) {
    g_autoptr(CxJson) j = cx_json_new(text, TRUE);
    cx_friction_to_json(f, j, top_given ? (guint)top : 0, case_ids);
    g_string_append_c(text, '\n');
  } else {
    g_autofree char *name = cx_log_display_name(log);
    g_string_append_printf(text, "Friction in %s\n\n", name);
    cx_friction_to_text(f, text, top_given ? (guint)top : 15, case_ids ? CX_CLI_TEXT_CASE_IDS : 0);
    if (case_ids)
      g_string_append(text, "\n(--json --case-ids lists every case id of each finding)\n");
  }
  return cx_cli_emit(cli, NULL, text);
}
