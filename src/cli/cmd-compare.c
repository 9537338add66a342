/* cxmine compare: before vs after, or segments of one log, with tests. */
#include "cmd.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  gboolean json;
  char *output, *render, *split_at, *by, *baseline, *before_opts, *after_opts;
  char *success, *open_after, *min_effect, *labels, *bins, *sat_key;
  gboolean sat_lower;
  char *side;           /* --partial's side: before or after */
  char *business_hours; /* cx_calendar_describe() of the (before) log, or NULL */
  double alpha, map_share;
  int min_cases, top, map_changes, max_segments, render_timeout;
  CxCli *cli;
} Opts;

static void
opts_clear(Opts *o)
{
  g_free(o->output);
  g_free(o->render);
  g_free(o->split_at);
  g_free(o->by);
  g_free(o->baseline);
  g_free(o->before_opts);
  g_free(o->after_opts);
  g_free(o->success);
  g_free(o->open_after);
  g_free(o->min_effect);
  g_free(o->labels);
  g_free(o->bins);
  g_free(o->sat_key);
  g_free(o->side);
  g_free(o->business_hours);
}

/* --before-opts/--after-opts may give the two logs different hours: their
 * waits are then not measured alike, which the reader must know. */
static void
business_hours_check(CxCli *cli, CxLog *logs[2])
{
  const CxCalendar *a = cx_log_options(logs[0])->calendar;
  const CxCalendar *b = cx_log_options(logs[1])->calendar;
  g_autofree char *da = a != NULL ? cx_calendar_describe(a) : g_strdup("calendar time");
  g_autofree char *db = b != NULL ? cx_calendar_describe(b) : g_strdup("calendar time");
  if (strcmp(da, db) == 0)
    return;
  g_autofree char *msg = g_strdup_printf(
      "the two logs count time differently (before: %s; after: %s): their waits and durations "
      "do not compare; business_hours shows the before log's",
      da, db);
  cx_cli_notice(CX_NOTICE_WARNING, "business-hours-differ", msg, cli);
}

/* Keeps the description of @log's hours (the first log's) in @o; returns it. */
static const char *
business_hours_take(Opts *o, CxLog *log)
{
  const CxCalendar *cal = cx_log_options(log)->calendar;
  if (o->business_hours == NULL && cal != NULL)
    o->business_hours = cx_calendar_describe(cal);
  return o->business_hours;
}

static GOptionContext *
make_context(Opts *o, CxCliRead *r)
{
  GOptionEntry entries[] = {
    { "split-at", 0, 0, G_OPTION_ARG_STRING, &o->split_at,
      "One log: journeys starting before DATE vs from DATE on", "DATE" },
    { "by", 0, 0, G_OPTION_ARG_STRING, &o->by,
      "One log: segments by the attribute KEY (trace or event attribute; KEY@last = an event "
      "attribute's last value in the journey), each vs the rest",
      "KEY" },
    { "baseline", 0, 0, G_OPTION_ARG_STRING, &o->baseline,
      "With --by: compare each segment with segment VALUE instead of the rest", "VALUE" },
    { "bins", 0, 0, G_OPTION_ARG_STRING, &o->bins,
      "With --by on a numeric attribute: N bins of equal journeys (default 4, quartiles), or "
      "the edges E1,E2,...",
      "N|E1,E2,..." },
    { "max-segments", 0, 0, G_OPTION_ARG_INT, &o->max_segments,
      "With --by: refuse more than N segments (default 50)", "N" },
    { "labels", 0, CX_CLI_OUTPUT_ONLY, G_OPTION_ARG_STRING, &o->labels,
      "Names of the two sides in reports (default: the file names, or the split date)", "A,B" },
    { "success", 0, 0, G_OPTION_ARG_STRING, &o->success,
      "Successful-end activities, comma-separated, for both sides (default: inferred once from "
      "both)",
      "A,B" },
    { "open-after", 0, 0, G_OPTION_ARG_STRING, &o->open_after,
      "Journeys quiet for less than this before their log's end are still open (30d, 12h; 0 = "
      "none; default: inferred)",
      "DURATION" },
    { "satisfaction-key", 0, 0, G_OPTION_ARG_STRING, &o->sat_key,
      "Also compare the customer's score in the numeric attribute KEY (CSAT, CES, NPS): a trace "
      "attribute, else an event attribute's first value, or KEY@last for its last",
      "KEY" },
    { "satisfaction-lower-is-better", 0, 0, G_OPTION_ARG_NONE, &o->sat_lower,
      "Lower scores are better (CES-like scales)", NULL },
    { "min-effect", 0, 0, G_OPTION_ARG_STRING, &o->min_effect,
      "Smallest change that counts: relative for medians, points for shares (default "
      "0.10,0.02)",
      "REL,POINTS" },
    { "before-opts", 0, 0, G_OPTION_ARG_STRING, &o->before_opts,
      "Reader options for the BEFORE log only (quoted, shell syntax)", "\"OPTS\"" },
    { "after-opts", 0, 0, G_OPTION_ARG_STRING, &o->after_opts,
      "Reader options for the AFTER log only", "\"OPTS\"" },
    { "alpha", 0, 0, G_OPTION_ARG_DOUBLE, &o->alpha,
      "False discovery rate (Benjamini-Hochberg; default 0.05)", "A" },
    { "min-cases", 0, 0, G_OPTION_ARG_INT, &o->min_cases,
      "Test only what at least N journeys take (default 5)", "N" },
    { "top", 'n', CX_CLI_OUTPUT_ONLY, G_OPTION_ARG_INT, &o->top,
      "Lines per report section (0 = all; default 5)", "N" },
    { "json", 0, CX_CLI_OUTPUT_ONLY, G_OPTION_ARG_NONE, &o->json, "Print JSON", NULL },
    { "side", 0, CX_CLI_OUTPUT_ONLY, G_OPTION_ARG_STRING, &o->side,
      "With --partial and two logs: the side the given shard(s) belong to; 'cxmine merge' "
      "takes the partials of both",
      "before|after" },
    { "output", 'o', CX_CLI_OUTPUT_ONLY, G_OPTION_ARG_FILENAME, &o->output,
      "Write the comparison map (--by: one per segment, FILE-VALUE.EXT); the report stays on "
      "standard output, unless FILE is -. " CX_CLI_MAP_HELP_O,
      "FILE" },
    { "map-share", 0, CX_CLI_OUTPUT_ONLY, G_OPTION_ARG_DOUBLE, &o->map_share,
      "Map: the main flow, paths taken by at least P% of either side's journeys "
      "(default 5; 0 with --map-changes 0 = every path)",
      "P" },
    { "map-changes", 0, CX_CLI_OUTPUT_ONLY, G_OPTION_ARG_INT, &o->map_changes,
      "Map: also the N most important path changes (default 15; 0 = all)", "N" },
    { "render", 0, CX_CLI_OUTPUT_ONLY, G_OPTION_ARG_STRING, &o->render,
      "Draw the map with Graphviz: FILE.FMT beside -o FILE.dot, or without -o the picture "
      "on standard output instead of the report (png and pdf never to a terminal)",
      "svg|png|pdf" },
    { "render-timeout", 0, CX_CLI_OUTPUT_ONLY, G_OPTION_ARG_INT, &o->render_timeout,
      CX_CLI_MAP_HELP_TIMEOUT, "SECONDS" },
    { NULL }
  };
  CxCliCommand c = {
    .name = "compare",
    .parameter = "BEFORE AFTER | LOG --split-at DATE | LOG --by KEY",
    .summary
    = "Compares two groups of journeys and says, in plain words, what got better, what got\n"
      "worse and what merely changed. Better and worse come from meaning: shorter journeys\n"
      "and waits, more successful ends, fewer drop-offs, loops and negative events. The\n"
      "frequency of other steps and paths only 'changed'. A change counts when it is beyond\n"
      "chance (two-proportion / Fisher and Mann-Whitney tests, corrected together by\n"
      "Benjamini-Hochberg) and at least the minimum effect (--min-effect).",
    .description
    = "Reader options apply to both logs; options for one log only go in\n"
      "--before-opts / --after-opts, parsed like a shell command line. --verbose adds the\n"
      "headline table, friction by kind, changed paths, new and vanished paths, variants.\n\n"
      "Examples:\n"
      "  cxmine compare domestic.xes.gz international.xes.gz --labels Domestic,International\n"
      "  cxmine compare bpic2012.xes.gz --split-at 2011-12-01 -o diff.dot --render svg\n"
      "  cxmine compare helpdesk.xes.gz --by seriousness_2 --verbose\n"
      "  cxmine compare before.csv after.csv --satisfaction-key csat\n"
      "  cxmine compare bpic2012.xes.gz --by AMOUNT_REQ --bins 1000,5000,20000 --json\n"
      "  cxmine compare --partial b0.cxp --side before before/shard-0000-*   # then merge\n",
    .entries = entries,
    .read = r,
    .partial = TRUE
  };
  return cx_cli_command_context(o->cli, &c);
}

/* Parses @argv again for one log, with @extra (shell syntax) appended. */
static gboolean
parse_side(int argc, char **argv, const char *extra, CxCliRead *r, GError **error)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func(g_free);
  for (int i = 0; i < argc; i++)
    g_ptr_array_add(args, g_strdup(argv[i]));
  if (extra != NULL && *extra != '\0') {
    int n;
    g_auto(GStrv) more = NULL;
    if (!g_shell_parse_argv(extra, &n, &more, error))
      return FALSE;
    for (int i = 0; i < n; i++)
      g_ptr_array_add(args, g_strdup(more[i]));
  }
  g_ptr_array_add(args, NULL);
  Opts dummy = { .cli = r->cli };
  g_autoptr(GOptionContext) ctx = make_context(&dummy, r);
  int n = (int)args->len - 1;
  char **v = (char **)args->pdata;
  g_autofree char **copy = g_memdup2(v, sizeof(char *) * (args->len));
  gboolean ok = g_option_context_parse(ctx, &n, &copy, error);
  opts_clear(&dummy);
  return ok;
}

static gboolean
parse_min_effect(const char *s, double *rel, double *points)
{
  g_auto(GStrv) parts = g_strsplit(s, ",", -1);
  if (g_strv_length(parts) != 2)
    return FALSE;
  double v[2];
  for (int i = 0; i < 2; i++) {
    char *end = NULL;
    v[i] = g_ascii_strtod(parts[i], &end);
    if (end == parts[i] || *end != '\0' || !(v[i] >= 0 && v[i] < 1))
      return FALSE;
  }
  *rel = v[0];
  *points = v[1];
  return TRUE;
}

/* The outcome model: a success list (NULL = infer) and an open-after limit;
 * with them, what each side's analysis needs. */
typedef struct {
  char **success;
  gint64 open_after_us;
  const char *satisfaction_key;
  gboolean satisfaction_lower_is_better;
} Model;

static void
model_friction_options(const Model *m, CxFrictionOptions *fo)
{
  cx_friction_options_init(fo);
  fo->success = (const char *const *)m->success;
  fo->open_after_us = m->open_after_us;
  fo->satisfaction_key = m->satisfaction_key;
  fo->satisfaction_lower_is_better = m->satisfaction_lower_is_better;
}

/* ---------- output ---------- */

static int
write_map(const CxCompare *c, const Opts *o, const char *path)
{
  g_autoptr(GString) dot = g_string_new(NULL);
  cx_compare_to_dot(c, o->map_share / 100, (guint)o->map_changes, dot);
  return cx_cli_emit_map(o->cli, path, dot, o->render, (guint)o->render_timeout);
}

/* Before reading: the outputs (the map by the rule of every map, the report
 * on standard output). */
static int
map_check(const Opts *o)
{
  if (o->output != NULL || o->render != NULL)
    return cx_cli_map_check(o->cli, "compare", o->output, o->render);
  return cx_cli_output_check(o->cli, "compare", NULL);
}

/* The map takes standard output (-o -, or --render without -o): no report. */
static gboolean
map_takes_stdout(const Opts *o)
{
  return o->output != NULL ? strcmp(o->output, "-") == 0 : o->render != NULL && o->by == NULL;
}

static int
report(const CxCompare *c, const Opts *o, gboolean verbose, CxJson *json, GString *text,
       const char *map_path)
{
  if (json)
    cx_compare_to_json(c, json);
  else
    cx_compare_to_text(c, (guint)o->top, verbose, text);
  if (map_path || o->render) /* --render alone: the picture to standard output */
    return write_map(c, o, map_path);
  return CX_EXIT_OK;
}

static int fail(const char *fmt, ...) G_GNUC_PRINTF(1, 2);

static int
fail(const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  g_autofree char *msg = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  fprintf(stderr, "cxmine: compare: %s\n", msg);
  return CX_EXIT_FAIL;
}

/* ---------- segments ---------- */

/* FILE.dot -> FILE-SUFFIX.dot, for one map per segment; names stay apart
 * even when two values differ only in characters a file name cannot keep
 * ("a b", "a_b", "a/b"): a later one gets "-2", "-3", ... */
static char *
suffixed_path(const char *path, const char *suffix, GHashTable *used)
{
  g_autofree char *safe = g_strdup(suffix);
  for (char *p = safe; *p; p++)
    if (!g_ascii_isalnum(*p) && *p != '-' && *p != '_')
      *p = '_';
  g_autofree char *key = g_ascii_strdown(safe, -1); /* case-insensitive file systems */
  for (guint n = 2; g_hash_table_contains(used, key); n++) {
    g_free(key);
    char *next = g_strdup_printf("%s-%u", safe, n);
    key = g_ascii_strdown(next, -1);
    if (!g_hash_table_contains(used, key)) {
      g_free(safe);
      safe = next;
      break;
    }
    g_free(next);
  }
  g_hash_table_add(used, g_strdup(key));
  const char *dot = strrchr(path, '.');
  const char *slash = strrchr(path, '/');
  if (dot != NULL && (slash == NULL || dot > slash))
    return g_strdup_printf("%.*s-%s%s", (int)(dot - path), path, safe, dot);
  return g_strdup_printf("%s-%s", path, safe);
}

static int
run_segments(CxCompareBy *by, const Opts *o, gboolean verbose, CxJson *json, GString *text)
{
  int rc = CX_EXIT_OK;
  guint n = cx_compare_by_n_segments(by);
  g_autoptr(GHashTable) used = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  if (json)
    cx_compare_by_to_json(by, json);
  else
    cx_compare_by_overview_text(by, text);
  for (guint i = 0; i < n && rc == CX_EXIT_OK; i++) {
    const CxCompare *c = cx_compare_by_get(by, i);
    if (c == NULL)
      continue;
    g_autofree char *map
        = o->output ? suffixed_path(o->output, cx_compare_by_label(by, i), used) : NULL;
    if (json) {
      if (map)
        rc = write_map(c, o, map);
    } else {
      g_string_append_printf(text, "\n== %s vs %s ==\n", cx_compare_options(c)->names[1],
                             cx_compare_options(c)->names[0]);
      rc = report(c, o, verbose, NULL, text, map);
    }
  }
  return rc;
}

/* ---------- the command ---------- */

static gboolean
set_labels(const char *labels, char *names[2])
{
  g_auto(GStrv) parts = g_strsplit(labels, ",", -1);
  if (g_strv_length(parts) != 2 || *g_strstrip(parts[0]) == '\0' || *g_strstrip(parts[1]) == '\0')
    return FALSE;
  for (int k = 0; k < 2; k++) {
    g_free(names[k]);
    names[k] = g_strdup(parts[k]);
  }
  return TRUE;
}

/* Two logs: each read once, each side with its own friction analysis;
 * the outcome model is decided once from both logs (compare-run.h:
 * cx_compare_logs) unless --success and --open-after give it. */
static int
run_two_logs(int argc0, char **argv0, char **argv, Opts *o, gboolean verbose,
             CxCompareOptions *copts, char *names[2], const Model *m, CxJson *json, GString *text,
             GString *rule)
{
  CxLog *logs[2] = { NULL, NULL };
  CxCompareLog *sides[2] = { NULL, NULL };
  int rc = CX_EXIT_OK;
  g_autoptr(GError) error = NULL;
  for (int k = 0; k < 2 && rc == CX_EXIT_OK; k++) {
    logs[k] = cx_log_new();
    CxCliRead rk;
    cx_cli_read_init(&rk, o->cli);
    char *files[2] = { argv[1 + k], NULL };
    if (!parse_side(argc0, argv0, k == 0 ? o->before_opts : o->after_opts, &rk, &error)
        || !cx_cli_read_apply(&rk, logs[k], files, &error))
      rc = cx_cli_usage("compare", "%s: %s", k == 0 ? "before" : "after", error->message);
    else if (k == 0)
      copts->business_hours = business_hours_take(o, logs[k]);
    cx_cli_read_clear(&rk);
  }
  if (rc == CX_EXIT_OK)
    business_hours_check(o->cli, logs);
  if (rc == CX_EXIT_OK)
    rc = map_check(o);
  CxFrictionOptions fo;
  model_friction_options(m, &fo);
  for (int k = 0; k < 2 && rc == CX_EXIT_OK; k++) {
    sides[k] = cx_compare_log_new(logs[k], &fo);
    if (!cx_log_scan(logs[k], cx_compare_log_add, cx_compare_log_reset, sides[k], &error)) {
      cx_cli_error(error);
      rc = CX_EXIT_FAIL;
    }
  }
  if (rc == CX_EXIT_OK) {
    copts->names[0] = names[0];
    copts->names[1] = names[1];
    copts->success_rule = NULL;
    g_autoptr(CxCompare) c = cx_compare_logs(sides[0], sides[1], copts, &error);
    if (c == NULL) {
      rc = fail("%s", error->message);
    } else {
      g_string_append(rule, cx_compare_options(c)->success_rule);
      rc = report(c, o, verbose, json, text, o->output);
    }
  }
  for (int k = 0; k < 2; k++) {
    cx_compare_log_free(sides[k]);
    cx_log_free(logs[k]);
  }
  return rc;
}

/* --partial FILE: the journeys of the given shards, of one side (two logs)
 * or of the one log (--split-at, --by). */
static int
write_partial(int argc0, char **argv0, char **argv, Opts *o)
{
  g_autoptr(GError) error = NULL;
  if (!cx_cli_partial_wanted(o->cli))
    return cx_cli_usage("compare", "--side is for --partial FILE");
  gboolean one = o->split_at != NULL || o->by != NULL;
  if (one && o->side != NULL)
    return cx_cli_usage("compare", "--side: with --split-at or --by the partial is of the one log");
  if (!one
      && (o->side == NULL || (strcmp(o->side, "before") != 0 && strcmp(o->side, "after") != 0)))
    return cx_cli_usage("compare", "--partial with two logs needs --side before or --side after");
  if (argv[1] == NULL)
    return cx_cli_usage("compare", "no input file given");
  g_autoptr(CxLog) log = cx_log_new();
  CxCliRead rk;
  cx_cli_read_init(&rk, o->cli);
  const char *extra = one ? NULL : strcmp(o->side, "before") == 0 ? o->before_opts : o->after_opts;
  gboolean ok = parse_side(argc0, argv0, extra, &rk, &error)
                && cx_cli_read_apply(&rk, log, argv + 1, &error);
  cx_cli_read_clear(&rk);
  if (!ok)
    return cx_cli_usage("compare", "%s", error->message);
  /* the partial keeps the attribute the segments are cut by (segment.h) */
  g_autoptr(CxSegmentKey) key = o->by != NULL ? cx_segment_key_new(log, o->by) : NULL;
  if (o->sat_key != NULL && *o->sat_key != '\0')
    cx_read_options_want_attr(cx_log_options(log), o->sat_key);
  return cx_cli_partial_write(o->cli, log, "compare", one ? NULL : o->side);
}

/* The options that do not fit together, or NULL. */
static const char *
check_options(const Opts *o, int nfiles, gboolean partial, CxCompareOptions *copts, char *names[2],
              gboolean outcome_ok, const GError *outcome_error)
{
  CxCompareByOptions bo;
  cx_compare_by_options_init(&bo);
  if (!(o->alpha > 0 && o->alpha < 1))
    return "--alpha: expected a number between 0 and 1";
  if (o->min_cases < 0 || o->top < 0 || o->map_changes < 0)
    return "--min-cases, --top and --map-changes must not be negative";
  if (o->max_segments < 2)
    return "--max-segments: expected at least 2";
  if (!(o->map_share >= 0 && o->map_share <= 100))
    return "--map-share: expected a percentage between 0 and 100";
  if (o->min_effect
      && !parse_min_effect(o->min_effect, &copts->min_effect_rel, &copts->min_effect_points))
    return "--min-effect: expected REL,POINTS, two numbers from 0 to below 1 (e.g. 0.10,0.02)";
  if (!outcome_ok)
    return outcome_error->message;
  if (o->labels && !set_labels(o->labels, names))
    return "--labels: expected two names, A,B";
  if (o->split_at && o->by)
    return "--split-at and --by cannot be combined";
  if (!partial && (o->split_at || o->by) && nfiles != 1)
    return "--split-at and --by take one log";
  if (!partial && !o->split_at && !o->by && nfiles != 2)
    return "expected two logs (BEFORE AFTER), or one log with --split-at or --by";
  if (!partial && (o->before_opts || o->after_opts) && nfiles != 2)
    return "--before-opts / --after-opts need two logs";
  if (o->baseline && !o->by)
    return "--baseline needs --by";
  if ((o->bins || o->max_segments != (int)bo.max_segments) && !o->by)
    return "--bins and --max-segments need --by";
  if (o->sat_lower && !o->sat_key)
    return "--satisfaction-lower-is-better needs --satisfaction-key KEY";
  if (o->sat_key && *o->sat_key == '\0')
    return "--satisfaction-key: expected an attribute name";
  if (o->labels && o->by)
    return "--labels names two sides; with --by the segments name themselves";
  if (o->by && (o->output ? strcmp(o->output, "-") == 0 : o->render != NULL))
    return "--by draws one map per segment: name them with -o FILE.svg (or FILE.dot)";
  if (o->render_timeout < 0)
    return "--render-timeout: must not be negative";
  if (o->render && strcmp(o->render, "svg") != 0 && strcmp(o->render, "png") != 0
      && strcmp(o->render, "pdf") != 0)
    return "--render: expected svg, png or pdf";
  return NULL;
}

/* --by: the segments (compare-run.h: CxCompareBy), each compared. */
static int
run_by(CxLog *log, Opts *o, gboolean verbose, const CxCompareOptions *copts, const Model *m,
       CxJson *json, GString *text, GString *rule)
{
  g_autoptr(GError) error = NULL;
  CxFrictionOptions fo;
  model_friction_options(m, &fo);
  g_autoptr(CxCompareBy) by = cx_compare_by_new(log, o->by, &fo);
  CxCompareByOptions bo;
  cx_compare_by_options_init(&bo);
  bo.baseline = o->baseline;
  bo.bins = o->bins;
  bo.max_segments = (guint)o->max_segments;
  if (!cx_log_scan(log, cx_compare_by_add, cx_compare_by_reset, by, &error)) {
    cx_cli_error(error);
    return CX_EXIT_FAIL;
  }
  if (!cx_compare_by_finish(by, &bo, copts, &error)) {
    if (g_error_matches(error, CX_COMPARE_RUN_ERROR, CX_COMPARE_RUN_ERROR_BASELINE))
      return cx_cli_usage("compare", "%s", error->message);
    return fail("%s", error->message);
  }
  g_string_append(rule, cx_compare_by_rule(by));
  return run_segments(by, o, verbose, json, text);
}

/* --split-at: journeys starting before the date vs from it on. */
static int
run_split(CxLog *log, gint64 split, Opts *o, gboolean verbose, CxCompareOptions *copts,
          char *names[2], const Model *m, CxJson *json, GString *text, GString *rule)
{
  g_autoptr(GError) error = NULL;
  CxFrictionOptions fo;
  model_friction_options(m, &fo);
  g_autoptr(CxCompareSplit) sp = cx_compare_split_new(log, split, &fo);
  if (!cx_log_scan(log, cx_compare_split_add, cx_compare_split_reset, sp, &error)) {
    cx_cli_error(error);
    return CX_EXIT_FAIL;
  }
  if (names[0] == NULL)
    names[0] = g_strdup_printf("before %s", o->split_at);
  if (names[1] == NULL)
    names[1] = g_strdup_printf("from %s", o->split_at);
  copts->names[0] = names[0];
  copts->names[1] = names[1];
  copts->success_rule = NULL;
  g_autoptr(CxCompare) c = cx_compare_split(sp, copts, &error);
  if (c == NULL)
    return fail("--split-at %s: %s", o->split_at, error->message);
  g_string_append(rule, cx_compare_options(c)->success_rule);
  return report(c, o, verbose, json, text, o->output);
}

/* One log, --split-at or --by: read with the command line's options. */
static int
run_one_log(int argc0, char **argv0, char **argv, Opts *o, gboolean verbose,
            CxCompareOptions *copts, char *names[2], const Model *m, CxJson *json, GString *text,
            GString *rule)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CxLog) log = cx_log_new();
  CxCliRead rk;
  cx_cli_read_init(&rk, o->cli);
  gboolean ok = parse_side(argc0, argv0, NULL, &rk, &error)
                && cx_cli_read_apply(&rk, log, argv + 1, &error);
  cx_cli_read_clear(&rk);
  if (!ok)
    return cx_cli_usage("compare", "%s", error->message);
  copts->business_hours = business_hours_take(o, log);
  int rc = map_check(o);
  if (rc != CX_EXIT_OK)
    return rc;
  gint64 split = CX_TS_NONE;
  if (o->split_at && !cx_cli_parse_date(o->split_at, "--split-at", &split, &error))
    return cx_cli_usage("compare", "%s", error->message);
  if (o->by)
    return run_by(log, o, verbose, copts, m, json, text, rule);
  return run_split(log, split, o, verbose, copts, names, m, json, text, rule);
}

/* The report on standard output: the text with the hours it counted and
 * the outcome rule, or the JSON. */
static int
emit_report(const Opts *o, GString *text, const GString *rule)
{
  if (!o->json) {
    if (o->business_hours != NULL) {
      g_autofree char *note
          = g_strdup_printf("Times count business hours only: %s\n", o->business_hours);
      g_string_prepend(text, note);
    }
    g_string_append(text, "\nSuccessful ends (one rule for both sides): ");
    g_string_append(text, rule->str);
    g_string_append_c(text, '\n');
  } else {
    g_string_append_c(text, '\n');
  }
  return cx_cli_emit(o->cli, "-", text);
}

int
cx_cmd_compare(CxCli *cli, int argc, char **argv)
{
  CxCompareByOptions bo;
  cx_compare_by_options_init(&bo);
  Opts o = { .alpha = 0.05,
             .min_cases = 5,
             .top = 5,
             .map_share = 5,
             .map_changes = 15,
             .max_segments = (int)bo.max_segments,
             .render_timeout = CX_DOT_RENDER_TIMEOUT,
             .cli = cli };
  CxCliRead r0;
  cx_cli_read_init(&r0, cli);
  int argc0 = argc;
  g_auto(GStrv) argv0 = g_strdupv(argv);
  g_autoptr(GOptionContext) ctx = make_context(&o, &r0);
  int parse_rc = cx_cli_parse(cli, ctx, "compare", &argc, &argv);
  gboolean verbose = r0.opts.verbose;
  cx_cli_read_clear(&r0);
  if (parse_rc >= 0) {
    opts_clear(&o);
    return parse_rc;
  }
  /* --partial: any number of shard files; the options are checked as for a report */
  gboolean partial = o.side != NULL || cx_cli_partial_wanted(cli);
  Model model = { NULL, CX_OUTCOME_OPEN_INFER, o.sat_key, o.sat_lower };
  g_auto(GStrv) success = NULL;
  char *names[2] = { NULL, NULL };
  CxCompareOptions copts;
  cx_compare_options_init(&copts);
  /* --success and --open-after as every command reads them */
  CxCliOutcome oc = { g_steal_pointer(&o.success), g_steal_pointer(&o.open_after) };
  g_autoptr(GError) outcome_error = NULL;
  gboolean outcome_ok = cx_cli_outcome_apply(&oc, &success, &model.open_after_us, &outcome_error);
  model.success = success;
  int rc;
  const char *bad = check_options(&o, argc - 1, partial, &copts, names, outcome_ok, outcome_error);
  if (bad) {
    rc = cx_cli_usage("compare", "%s", bad);
  } else if (partial) {
    rc = write_partial(argc0, argv0, argv, &o);
  } else {
    copts.alpha = o.alpha;
    copts.min_cases = (guint)o.min_cases;
    copts.satisfaction_key = o.sat_key;
    copts.satisfaction_lower_is_better = o.sat_lower;
    g_autoptr(GString) text = g_string_new(NULL);
    g_autoptr(GString) rule = g_string_new(NULL);
    g_autoptr(CxJson) json = o.json ? cx_json_new(text, TRUE) : NULL;
    if (argc - 1 == 2)
      rc = run_two_logs(argc0, argv0, argv, &o, verbose, &copts, names, &model, json, text, rule);
    else
      rc = run_one_log(argc0, argv0, argv, &o, verbose, &copts, names, &model, json, text, rule);
    if (rc == CX_EXIT_OK && !map_takes_stdout(&o))
      rc = emit_report(&o, text, rule);
  }
  g_free(names[0]);
  g_free(names[1]);
  opts_clear(&o);
  return rc;
}
