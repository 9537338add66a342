/* cxmine friction: where customers get stuck, ranked by impact. */
#include "cmd.h"
#include "cxmine/friction.h"
#include "cxmine/dot-writer.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char description[]
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
      "  cxmine friction --partial p0.cxp shards/shard-0000-*   # then: cxmine merge p*.cxp\n";

/* The options: the analysis's bound straight into CxFrictionOptions (its
 * defaults are cx_friction_options_init()'s), the rest the command line's. */
typedef struct {
  CxFrictionOptions o;
  gboolean json, case_ids;
  int top, render_timeout; /* top: -1 = not given */
  char *output, *render, *rank, *repeat_window, *negative;
  CxCliOutcome oc;
  char **success, **negatives; /* what o.success and o.negative point to */
} Friction;

static void
friction_clear(Friction *f)
{
  g_free((char *)f->o.satisfaction_key);
  g_free(f->output);
  g_free(f->render);
  g_free(f->rank);
  g_free(f->repeat_window);
  g_free(f->negative);
  g_free(f->oc.success);
  g_free(f->oc.open_after);
  g_strfreev(f->success);
  g_strfreev(f->negatives);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Friction, friction_clear)

/* A help text, kept in @texts. */
static const char *help(GPtrArray *texts, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

static const char *
help(GPtrArray *texts, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  char *text = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  g_ptr_array_add(texts, text);
  return text;
}

/* @v as @fmt formats it in the C locale ("%g": 0.01, 10), kept in @texts. */
static const char *
num(GPtrArray *texts, const char *fmt, double v)
{
  char *text = g_malloc(G_ASCII_DTOSTR_BUF_SIZE);
  g_ascii_formatd(text, G_ASCII_DTOSTR_BUF_SIZE, fmt, v);
  g_ptr_array_add(texts, text);
  return text;
}

/* The usage error of a bad combination or value, or NULL. */
static const char *
check(const Friction *f)
{
  const CxFrictionOptions *o = &f->o;
  const char *rank = f->rank, *sat = o->satisfaction_key;
  if (f->top < -1)
    return "--top: must not be negative";
  if (rank != NULL && strcmp(rank, "customers") != 0 && strcmp(rank, "time") != 0
      && strcmp(rank, "satisfaction") != 0)
    return "--rank: expected customers, time or satisfaction";
  if (rank != NULL && strcmp(rank, "satisfaction") == 0 && sat == NULL)
    return "--rank satisfaction needs --satisfaction-key KEY";
  if (o->satisfaction_lower_is_better && sat == NULL)
    return "--satisfaction-lower-is-better needs --satisfaction-key KEY";
  if (sat != NULL && *sat == '\0')
    return "--satisfaction-key: expected an attribute name";
  if (!(o->success_margin >= 0 && o->success_margin <= 1))
    return "--success-margin: expected a share between 0 and 1";
  /* GOption wrote these guint fields as gint: a negative value shows as one */
  if ((gint)o->min_cases < 1 || (gint)o->inconsistency_min_samples < 1
      || (gint)o->many_switches < 1)
    return "--min-cases, --inconsistency-samples, --many-switches: must be at least 1";
  if (o->min_share < 0 || o->min_share > 1 || o->bottleneck_share < 0 || o->bottleneck_share > 1)
    return "--min-share, --bottleneck-share: expected a share between 0 and 1";
  if (o->bottleneck_factor <= 0 || o->effort_factor <= 0 || o->effort_iqr < 0
      || o->inconsistency_ratio <= 0 || o->inconsistency_slow <= 0)
    return "factors and ratios must be positive";
  if (f->render_timeout < 0)
    return "--render-timeout: must not be negative";
  if (f->render != NULL && strcmp(f->render, "svg") != 0 && strcmp(f->render, "png") != 0
      && strcmp(f->render, "pdf") != 0)
    return "--render: expected svg, png or pdf";
  return NULL;
}

/* The values that are parsed after the checks: the outcome rule and the
 * repeat window as every command reads them, the negative globs, the rank. */
static gboolean
finish_options(Friction *f, GError **error)
{
  CxFrictionOptions *o = &f->o;
  if (!cx_cli_outcome_apply(&f->oc, &f->success, &o->open_after_us, error)
      || (f->repeat_window != NULL
          && !cx_cli_parse_duration(f->repeat_window, "--repeat-window", &o->repeat_window_us,
                                    error)))
    return FALSE;
  o->success = (const char *const *)f->success;
  if (f->negative != NULL) {
    f->negatives = g_strsplit(f->negative, ",", -1);
    o->negative = (const char *const *)f->negatives;
  }
  if (f->rank != NULL)
    o->rank = strcmp(f->rank, "time") == 0           ? CX_FRICTION_RANK_TIME
              : strcmp(f->rank, "satisfaction") == 0 ? CX_FRICTION_RANK_SATISFACTION
                                                     : CX_FRICTION_RANK_CUSTOMERS;
  return TRUE;
}

/* The map (-o, --render), then the report unless the map took standard output. */
static int
write_results(CxCli *cli, const Friction *f, CxFriction *fr, CxLog *log)
{
  gboolean top_given = f->top >= 0;
  if (f->output != NULL || f->render != NULL) {
    g_autoptr(GString) dot = g_string_new(NULL);
    cx_friction_to_dot(fr, dot, f->top > 0 ? (guint)MIN(f->top, 5) : 5);
    int rc = cx_cli_emit_map(cli, f->output, dot, f->render, (guint)f->render_timeout);
    if (rc != CX_EXIT_OK)
      return rc;
    if (f->output == NULL || strcmp(f->output, "-") == 0)
      return CX_EXIT_OK; /* the map took standard output */
  }
  g_autoptr(GString) text = g_string_new(NULL);
  if (f->json) {
    g_autoptr(CxJson) j = cx_json_new(text, TRUE);
    cx_friction_to_json(fr, j, top_given ? (guint)f->top : 0, f->case_ids);
    g_string_append_c(text, '\n');
  } else {
    g_autofree char *name = cx_log_display_name(log);
    g_string_append_printf(text, "Friction in %s\n\n", name);
    cx_friction_to_text(fr, text, top_given ? (guint)f->top : 15,
                        f->case_ids ? CX_CLI_TEXT_CASE_IDS : 0);
    if (f->case_ids)
      g_string_append(text, "\n(--json --case-ids lists every case id of each finding)\n");
  }
  return cx_cli_emit(cli, NULL, text);
}

int
cx_cmd_friction(CxCli *cli, int argc, char **argv)
{
  g_auto(Friction) f = { .top = -1, .render_timeout = CX_DOT_RENDER_TIMEOUT };
  CxFrictionOptions *o = &f.o;
  cx_friction_options_init(o);
  CxCliRead r;
  cx_cli_read_init(&r, cli);
  /* the help says the defaults of cx_friction_options_init() */
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func(g_free);
  GOptionEntry entries[] = {
    { "json", 0, CX_CLI_OUTPUT_ONLY, G_OPTION_ARG_NONE, &f.json, "Print the findings as JSON",
      NULL },
    { "top", 'n', CX_CLI_OUTPUT_ONLY, G_OPTION_ARG_INT, &f.top,
      "Show the N top findings (0 = all; default 15 in the report, all with --json)", "N" },
    { "rank", 0, 0, G_OPTION_ARG_STRING, &f.rank,
      "Rank by customers lost (default), extra customer time, or satisfaction lost",
      "customers|time|satisfaction" },
    { "case-ids", 0, CX_CLI_OUTPUT_ONLY, G_OPTION_ARG_NONE, &f.case_ids,
      "The cases behind each finding, earliest start first (\"case_ids\" in JSON, all of "
      "them; in text the first 10 and how many more)",
      NULL },
    { "repeat-window", 0, 0, G_OPTION_ARG_STRING, &f.repeat_window,
      help(texts,
           "Repeat contact: the same activity again on another channel within DURATION (default "
           "%" G_GINT64_FORMAT "d)",
           o->repeat_window_us / (G_GINT64_CONSTANT(86400) * CX_USEC_PER_SEC)),
      "DURATION" },
    { "satisfaction-key", 0, 0, G_OPTION_ARG_STRING, (gpointer)&o->satisfaction_key,
      "A numeric attribute with the customer's score (CSAT, CES, NPS); an event attribute's "
      "first value, or KEY@last for its last",
      "KEY" },
    { "satisfaction-lower-is-better", 0, 0, G_OPTION_ARG_NONE, &o->satisfaction_lower_is_better,
      "Lower scores are better (CES-like scales)", NULL },
    { "success-margin", 0, 0, G_OPTION_ARG_DOUBLE, &o->success_margin,
      help(texts,
           "A pattern whose cases end successfully this much more often (0..1; default %s) goes "
           "with success, not friction",
           num(texts, "%.2f", o->success_margin)),
      "X" },
    { "no-drift", 0, G_OPTION_FLAG_REVERSE, G_OPTION_ARG_NONE, &o->drift,
      "Do not look for drift over time", NULL },
    { "output", 'o', CX_CLI_OUTPUT_ONLY, G_OPTION_ARG_FILENAME, &f.output,
      "Also write the journey map with the top findings highlighted (the report stays on "
      "standard output, unless FILE is -). " CX_CLI_MAP_HELP_O,
      "FILE" },
    { "render", 0, CX_CLI_OUTPUT_ONLY, G_OPTION_ARG_STRING, &f.render,
      "Draw the map with Graphviz: FILE.FMT beside -o FILE.dot, or without -o the picture "
      "on standard output instead of the report (png and pdf never to a terminal)",
      "svg|png|pdf" },
    { "render-timeout", 0, CX_CLI_OUTPUT_ONLY, G_OPTION_ARG_INT, &f.render_timeout,
      CX_CLI_MAP_HELP_TIMEOUT, "SECONDS" },
    { "success", 0, 0, G_OPTION_ARG_STRING, &f.oc.success,
      "Successful end activities (default: inferred, see below)", "A[,B...]" },
    { "open-after", 0, 0, G_OPTION_ARG_STRING, &f.oc.open_after,
      "Journeys whose last event is less than DURATION before the log's last timestamp are "
      "still open, not dropped (e.g. 30d, 12h, 90m, 45s; 0 = none; default: inferred, see below)",
      "DURATION" },
    { "negative", 0, 0, G_OPTION_ARG_STRING, &f.negative,
      "Negative activities: case-insensitive globs (default " CX_FRICTION_DEFAULT_NEGATIVE ")",
      "PATTERNS" },
    { "min-cases", 0, 0, G_OPTION_ARG_INT, &o->min_cases,
      help(texts, "A finding needs at least N cases (default %u)", o->min_cases), "N" },
    { "min-share", 0, 0, G_OPTION_ARG_DOUBLE, &o->min_share,
      help(texts, "... and at least this share of all cases (default %s)",
           num(texts, "%g", o->min_share)),
      "X" },
    { "bottleneck-share", 0, 0, G_OPTION_ARG_DOUBLE, &o->bottleneck_share,
      help(texts, "Bottleneck: share of all waiting it holds at least (default %s)",
           num(texts, "%g", o->bottleneck_share)),
      "X" },
    { "bottleneck-factor", 0, 0, G_OPTION_ARG_DOUBLE, &o->bottleneck_factor,
      help(texts,
           "Bottleneck: median wait at least F x the log's median wait; cases waiting that long "
           "count (default %s)",
           num(texts, "%g", o->bottleneck_factor)),
      "F" },
    { "effort-factor", 0, 0, G_OPTION_ARG_DOUBLE, &o->effort_factor,
      help(texts, "Effort: more steps/touches than F x the median (default %s) ...",
           num(texts, "%g", o->effort_factor)),
      "F" },
    { "effort-iqr", 0, 0, G_OPTION_ARG_DOUBLE, &o->effort_iqr,
      help(texts, "... and than Q3 + K x IQR (default %s)", num(texts, "%g", o->effort_iqr)), "K" },
    { "inconsistency-ratio", 0, 0, G_OPTION_ARG_DOUBLE, &o->inconsistency_ratio,
      help(texts, "Inconsistency: p90/median at least R (default %s) and twice the typical ratio",
           num(texts, "%g", o->inconsistency_ratio)),
      "R" },
    { "inconsistency-samples", 0, 0, G_OPTION_ARG_INT, &o->inconsistency_min_samples,
      help(texts, "Inconsistency: at least N samples (default %u)", o->inconsistency_min_samples),
      "N" },
    { "inconsistency-slow", 0, 0, G_OPTION_ARG_DOUBLE, &o->inconsistency_slow,
      help(texts, "Inconsistency: cases above S x the median count (default %s)",
           num(texts, "%g", o->inconsistency_slow)),
      "S" },
    { "many-switches", 0, 0, G_OPTION_ARG_INT, &o->many_switches,
      help(texts, "Channel switch: journeys with at least N switches (default %u)",
           o->many_switches),
      "N" },
    { NULL }
  };
  CxCliCommand cmd = { .name = "friction",
                       .parameter = "LOG… - where customers get stuck",
                       .description = description,
                       .entries = entries,
                       .read = &r,
                       .partial = TRUE };
  int rc = cx_cli_command_parse(cli, &cmd, &argc, &argv);
  if (rc >= 0)
    return rc;
  const char *bad = check(&f);
  g_autoptr(GError) error = NULL;
  if (bad == NULL && !finish_options(&f, &error))
    bad = error->message;
  if (bad != NULL) {
    cx_cli_read_clear(&r);
    return cx_cli_usage("friction", "%s", bad);
  }

  g_autoptr(CxLog) log = cx_cli_read_log("friction", &r, argv + 1);
  if (log == NULL)
    return CX_EXIT_USAGE;
  /* made first: it asks the log for the attributes it needs (--satisfaction-key) */
  g_autoptr(CxFriction) fr = cx_friction_new(log, o);
  rc = cx_cli_partial_write(cli, log, "friction", NULL);
  if (rc >= 0)
    return rc;
  /* the map goes to -o, or with --render alone to standard output */
  gboolean map = f.output != NULL || f.render != NULL;
  rc = map ? cx_cli_map_check(cli, "friction", f.output, f.render)
           : cx_cli_output_check(cli, "friction", NULL);
  if (rc != CX_EXIT_OK)
    return rc;
  if (!f.case_ids)
    cx_log_set_case_names(log, FALSE); /* the findings name no case */
  if (!cx_log_scan(log, cx_friction_add, cx_friction_reset, fr, &error)) {
    cx_cli_error(error);
    return CX_EXIT_FAIL;
  }
  if (f.success != NULL) {
    /* a name that is no activity of the log is a typo, not a finding */
    CxPool *acts = cx_log_activities(log);
    for (char **p = f.success; *p != NULL; p++)
      if (cx_pool_lookup(acts, *p, -1) == G_MAXUINT32)
        return cx_cli_usage("friction", "--success: '%s' is not an activity of the log", *p);
  }
  if (!cx_friction_finish(fr, &error)) {
    cx_cli_error(error);
    return CX_EXIT_FAIL;
  }
  return write_results(cli, &f, fr, log);
}
