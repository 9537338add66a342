/* cxmine compare: before vs after, or segments of one log, with tests. */
#include "cmd.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_MAX_SEGMENTS 50
#define DEFAULT_BINS         4

typedef struct {
  gboolean json;
  char *output, *render, *split_at, *by, *baseline, *before_opts, *after_opts;
  char *success, *open_after, *min_effect, *labels, *bins, *sat_key;
  gboolean sat_lower;
  double alpha, map_share;
  int min_cases, top, map_changes, max_segments, render_timeout;
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
    { "labels", 0, 0, G_OPTION_ARG_STRING, &o->labels,
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
    { "top", 'n', 0, G_OPTION_ARG_INT, &o->top, "Lines per report section (0 = all; default 5)",
      "N" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &o->json, "Print JSON", NULL },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &o->output,
      "Write the comparison map (--by: one per segment, FILE-VALUE.EXT); the report stays on "
      "standard output, unless FILE is -. " CX_CLI_MAP_HELP_O,
      "FILE" },
    { "map-share", 0, 0, G_OPTION_ARG_DOUBLE, &o->map_share,
      "Map: the main flow, paths taken by at least P% of either side's journeys "
      "(default 5; 0 with --map-changes 0 = every path)",
      "P" },
    { "map-changes", 0, 0, G_OPTION_ARG_INT, &o->map_changes,
      "Map: also the N most important path changes (default 15; 0 = all)", "N" },
    { "render", 0, 0, G_OPTION_ARG_STRING, &o->render,
      "Draw the map with Graphviz: FILE.FMT beside -o FILE.dot, or without -o the picture "
      "on standard output instead of the report (png and pdf never to a terminal)",
      "svg|png|pdf" },
    { "render-timeout", 0, 0, G_OPTION_ARG_INT, &o->render_timeout, CX_CLI_MAP_HELP_TIMEOUT,
      "SECONDS" },
    { NULL }
  };
  GOptionContext *ctx = g_option_context_new("BEFORE AFTER | LOG --split-at DATE | LOG --by KEY");
  g_option_context_set_summary(
      ctx, "Compares two groups of journeys and says, in plain words, what got better, what got\n"
           "worse and what merely changed. Better and worse come from meaning: shorter journeys\n"
           "and waits, more successful ends, fewer drop-offs, loops and negative events. The\n"
           "frequency of other steps and paths only 'changed'. A change counts when it is beyond\n"
           "chance (two-proportion / Fisher and Mann-Whitney tests, corrected together by\n"
           "Benjamini-Hochberg) and at least the minimum effect (--min-effect).");
  g_option_context_set_description(
      ctx, "Reader options apply to both logs; options for one log only go in\n"
           "--before-opts / --after-opts, parsed like a shell command line. --verbose adds the\n"
           "headline table, friction by kind, changed paths, new and vanished paths, variants.\n\n"
           "Examples:\n"
           "  cxmine compare domestic.xes.gz international.xes.gz --labels Domestic,International\n"
           "  cxmine compare bpic2012.xes.gz --split-at 2011-12-01 -o diff.dot --render svg\n"
           "  cxmine compare helpdesk.xes.gz --by seriousness_2 --verbose\n"
           "  cxmine compare before.csv after.csv --satisfaction-key csat\n"
           "  cxmine compare bpic2012.xes.gz --by AMOUNT_REQ --bins 1000,5000,20000 --json\n");
  g_option_context_add_main_entries(ctx, entries, NULL);
  g_option_context_add_group(ctx, cx_cli_read_group(r));
  g_option_context_add_group(ctx, cx_cli_filter_group(r));
  return ctx;
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
  Opts dummy = { 0 };
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

/* ---------- routing journeys to sides during one scan ---------- */

typedef struct {
  CxLog *log;
  CxOutcome *outcome;
  CxFrictionOptions fo;  /* every side's friction analysis */
  CxJourneyStore *store; /* --by: every journey, tagged with its value, for the segments' and
                            their rests' own friction analyses once the segments are known */
  gint64 split;          /* --split-at, or CX_TS_NONE */
  const char *by;        /* --by key as given ("KEY" or "KEY@last"), or NULL */
  guint32 key_id;
  CxCompareSide *sides[2]; /* split: before / after; two logs: the one side */
  CxFriction *side_fr[2];  /* split, two logs: each side's own analysis, as `cxmine friction`
                              on its journeys (the outcome model set after the scan) */
  GHashTable *groups;      /* --by: value id + 1 -> CxCompareSide* */
  GArray *group_order;     /* value ids, first seen first */
  guint64 unplaced;        /* --split-at: journeys without a time */
  const char *sat_key;     /* --satisfaction-key, or NULL */
} Router;

static CxCompareSide *
router_side(Router *r)
{
  CxCompareSide *s = cx_compare_side_new(r->log);
  cx_compare_side_set_outcome(s, r->outcome);
  if (r->sat_key)
    cx_compare_side_set_satisfaction(s, r->sat_key);
  return s;
}

/* Side @k with its own friction analysis (split, two logs). */
static void
router_own_side(Router *r, int k, const CxFrictionOptions *fo)
{
  r->side_fr[k] = cx_friction_new(r->log, fo);
  r->sides[k] = cx_compare_side_new(r->log);
  cx_compare_side_set_friction(r->sides[k], r->side_fr[k]);
  cx_compare_side_set_outcome(r->sides[k], r->outcome);
  if (r->sat_key)
    cx_compare_side_set_satisfaction(r->sides[k], r->sat_key);
}

static gboolean
route(const CxJourney *j, gpointer data, GError **error)
{
  Router *r = data;
  if (r->outcome && !cx_outcome_add(j, r->outcome, error))
    return FALSE;
  if (r->by != NULL) {
    if (r->key_id == G_MAXUINT32)
      r->key_id = cx_pool_lookup(cx_log_keys(r->log), r->by, -1);
    guint32 value = CX_ID_NONE; /* "(none)" */
    for (guint i = 0; i < j->n_attrs && r->key_id != G_MAXUINT32; i++)
      if (j->attrs[i].key == r->key_id) {
        value = j->attrs[i].value;
        break;
      }
    CxCompareSide *s = g_hash_table_lookup(r->groups, GUINT_TO_POINTER(value + 1));
    if (s == NULL) {
      s = router_side(r);
      g_hash_table_insert(r->groups, GUINT_TO_POINTER(value + 1), s);
      g_array_append_val(r->group_order, value);
    }
    cx_journey_store_add(r->store, j, value);
    return cx_compare_side_add(j, s, error);
  }
  if (r->split != CX_TS_NONE) {
    gint64 t = cx_journey_first_time(j);
    if (t == CX_TS_NONE) {
      r->unplaced++;
      return TRUE; /* cannot be placed */
    }
    int k = t < r->split ? 0 : 1;
    return cx_friction_add(j, r->side_fr[k], error) && cx_compare_side_add(j, r->sides[k], error);
  }
  return cx_friction_add(j, r->side_fr[0], error) && cx_compare_side_add(j, r->sides[0], error);
}

static void
route_reset(gpointer data)
{
  Router *r = data;
  if (r->outcome)
    cx_outcome_reset(r->outcome);
  if (r->store)
    cx_journey_store_reset(r->store);
  for (int k = 0; k < 2; k++) {
    if (r->sides[k])
      cx_compare_side_reset(r->sides[k]);
    if (r->side_fr[k])
      cx_friction_reset(r->side_fr[k]);
  }
  if (r->groups) {
    g_hash_table_remove_all(r->groups);
    g_array_set_size(r->group_order, 0);
  }
  r->unplaced = 0;
}

/* The outcome model: a success list (NULL = infer) and an open-after limit;
 * with them, what each side's analysis needs. */
typedef struct {
  char **success;
  gint64 open_after_us;
  gint64 split; /* --split-at, or CX_TS_NONE */
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

/* @own_sides: split and two logs, each side with its own friction analysis
 * fed during the scan; else (--by) a store of the journeys, to feed each
 * segment's and each rest's analysis once the segments are known. */
static void
router_init(Router *r, CxLog *log, const Model *m, gboolean own_sides)
{
  *r = (Router){ .log = log, .split = CX_TS_NONE, .key_id = G_MAXUINT32 };
  r->sat_key = m->satisfaction_key;
  r->outcome = cx_outcome_new(log, (const char *const *)m->success, m->open_after_us);
  model_friction_options(m, &r->fo);
  if (!own_sides) {
    r->store = cx_journey_store_new();
    return;
  }
  router_own_side(r, 0, &r->fo);
  if (m->split != CX_TS_NONE) {
    r->split = m->split;
    router_own_side(r, 1, &r->fo);
  }
}

static void
router_clear(Router *r)
{
  cx_outcome_free(r->outcome);
  cx_journey_store_free(r->store);
  for (int k = 0; k < 2; k++) {
    cx_compare_side_free(r->sides[k]);
    cx_friction_free(r->side_fr[k]);
  }
  if (r->groups) {
    g_hash_table_destroy(r->groups);
    g_array_free(r->group_order, TRUE);
  }
  *r = (Router){ 0 };
}

static gboolean
scan(CxLog *log, Router *r)
{
  g_autoptr(GError) error = NULL;
  if (!cx_log_scan(log, route, route_reset, r, &error)) {
    cx_cli_error(error);
    return FALSE;
  }
  cx_outcome_finish(r->outcome);
  return TRUE;
}

/* The attributes the sides read (--satisfaction-key). */
static void
want_attrs(CxLog *log, const Model *m)
{
  if (m->satisfaction_key != NULL)
    cx_read_options_want_attr(cx_log_options(log), m->satisfaction_key);
}

/* Decides every side's outcomes by the one model of @models (the finished
 * outcomes of the logs read), then finishes the sides' analyses. */
static void
finish_sides(Router *rt, guint n_rt)
{
  const CxOutcome *models[2];
  for (guint i = 0; i < n_rt; i++)
    models[i] = rt[i].outcome;
  for (guint i = 0; i < n_rt; i++)
    for (int k = 0; k < 2; k++)
      if (rt[i].side_fr[k]) {
        cx_friction_set_outcome_model(rt[i].side_fr[k], models, n_rt);
        cx_friction_finish(rt[i].side_fr[k]);
      }
}

/* ---------- output ---------- */

static int
write_map(const CxCompare *c, const Opts *o, const char *path)
{
  g_autoptr(GString) dot = g_string_new(NULL);
  cx_compare_to_dot(c, o->map_share / 100, (guint)o->map_changes, dot);
  return cx_cli_emit_map(path, dot, o->render, (guint)o->render_timeout);
}

/* Before reading: the outputs (the map by the rule of every map, the report
 * on standard output). */
static int
map_check(const Opts *o)
{
  if (o->output != NULL || o->render != NULL)
    return cx_cli_map_check("compare", o->output, o->render);
  return cx_cli_output_check("compare", NULL);
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

typedef struct {
  char *label;          /* the value, or the bin: "< 1000", "1000 to < 5000", ">= 5000", "(none)" */
  CxCompareSide *side;  /* owned */
  CxFriction *friction; /* owned: the segment's own analysis, as `cxmine friction` on it */
  double lo;            /* numeric bins: lower edge (for order) */
} Segment;

static void
segment_free(gpointer p)
{
  Segment *s = p;
  g_free(s->label);
  cx_compare_side_free(s->side);
  cx_friction_free(s->friction);
  g_free(s);
}

static gboolean
parse_number(const char *s, double *out)
{
  char *end = NULL;
  if (s == NULL || *s == '\0')
    return FALSE;
  *out = g_ascii_strtod(s, &end);
  return end != s && *end == '\0' && isfinite(*out);
}

static char *
fmt_edge(double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  return g_strdup(g_ascii_formatd(buf, sizeof buf, "%.6g", v));
}

typedef struct {
  double v;
  guint64 n;
} Weighted;

static int
cmp_weighted(gconstpointer a, gconstpointer b)
{
  double x = ((const Weighted *)a)->v, y = ((const Weighted *)b)->v;
  return x < y ? -1 : x > y;
}

/* The edges of @bins quantile bins of the values @w (sorted), weighted by cases. */
static GArray *
quantile_edges(GArray *w, guint bins)
{
  guint64 total = 0;
  for (guint i = 0; i < w->len; i++)
    total += g_array_index(w, Weighted, i).n;
  GArray *edges = g_array_new(FALSE, FALSE, sizeof(double));
  guint64 cum = 0;
  guint next = 1;
  for (guint i = 0; i < w->len && next < bins; i++) {
    const Weighted *x = &g_array_index(w, Weighted, i);
    cum += x->n;
    /* an edge at the first value past each quantile */
    while (next < bins && cum * bins >= total * next) {
      if (i + 1 < w->len) {
        double e = g_array_index(w, Weighted, i + 1).v;
        if (edges->len == 0 || g_array_index(edges, double, edges->len - 1) < e)
          g_array_append_val(edges, e);
      }
      next++;
    }
  }
  return edges;
}

/* Groups the per-value sides of @rt into segments: numeric values into bins
 * (@bins_opt: NULL = quartiles when there are more distinct values than
 * bins), others one per value; @of_value (one per value id) gets each
 * value's segment.  Returns NULL with a message printed. */
static GPtrArray *
make_segments(Router *rt, const Opts *o, gboolean *binned, GString *how, Segment **of_value)
{
  CxPool *values = cx_log_values(rt->log);
  GPtrArray *segs = g_ptr_array_new_with_free_func(segment_free);
  gboolean numeric = TRUE;
  guint distinct = 0;
  g_autoptr(GArray) w = g_array_new(FALSE, FALSE, sizeof(Weighted));
  for (guint g = 0; g < rt->group_order->len; g++) {
    guint32 v = g_array_index(rt->group_order, guint32, g);
    if (v == CX_ID_NONE)
      continue;
    distinct++;
    double x;
    if (!parse_number(cx_pool_get(values, v), &x))
      numeric = FALSE;
    CxCompareSide *s = g_hash_table_lookup(rt->groups, GUINT_TO_POINTER(v + 1));
    Weighted wt = { x, cx_compare_side_n_cases(s) };
    g_array_append_val(w, wt);
  }
  numeric = numeric && distinct > 0;
  guint nbins = DEFAULT_BINS;
  g_autoptr(GArray) edges = NULL;
  if (o->bins != NULL) {
    if (!numeric) {
      fail("--bins: the values of '%s' are not all numbers", o->by);
      g_ptr_array_free(segs, TRUE);
      return NULL;
    }
    if (strchr(o->bins, ',') == NULL && parse_number(o->bins, &(double){ 0 })) {
      nbins = (guint)atoi(o->bins);
    } else {
      edges = g_array_new(FALSE, FALSE, sizeof(double));
      g_auto(GStrv) parts = g_strsplit(o->bins, ",", -1);
      for (guint i = 0; parts[i]; i++) {
        double e;
        if (!parse_number(g_strstrip(parts[i]), &e)
            || (edges->len > 0 && e <= g_array_index(edges, double, edges->len - 1))) {
          fail("--bins: expected a count or increasing numbers, got '%s'", o->bins);
          g_ptr_array_free(segs, TRUE);
          return NULL;
        }
        g_array_append_val(edges, e);
      }
    }
  }
  *binned = numeric && (edges != NULL || distinct > nbins);
  if (*binned) {
    g_array_sort(w, cmp_weighted);
    if (edges == NULL) {
      edges = quantile_edges(w, MAX(nbins, 2));
      g_string_append_printf(how, "%u bins of about equal journeys", edges->len + 1);
    } else {
      g_string_append(how, "the bins given");
    }
    guint nb = edges->len + 1;
    for (guint b = 0; b < nb; b++) {
      Segment *s = g_new0(Segment, 1);
      g_autofree char *lo = b > 0 ? fmt_edge(g_array_index(edges, double, b - 1)) : NULL;
      g_autofree char *hi = b + 1 < nb ? fmt_edge(g_array_index(edges, double, b)) : NULL;
      if (lo == NULL)
        s->label = g_strdup_printf("< %s", hi);
      else if (hi == NULL)
        s->label = g_strdup_printf(">= %s", lo);
      else
        s->label = g_strdup_printf("%s to < %s", lo, hi);
      s->lo = b > 0 ? g_array_index(edges, double, b - 1) : -INFINITY;
      s->side = cx_compare_side_new(rt->log);
      cx_compare_side_set_outcome(s->side, rt->outcome);
      g_ptr_array_add(segs, s);
    }
  }
  Segment *none = NULL;
  for (guint g = 0; g < rt->group_order->len; g++) {
    guint32 v = g_array_index(rt->group_order, guint32, g);
    CxCompareSide *src = g_hash_table_lookup(rt->groups, GUINT_TO_POINTER(v + 1));
    if (*binned && v != CX_ID_NONE) {
      double x = 0;
      parse_number(cx_pool_get(values, v), &x);
      guint b = 0;
      while (b < edges->len && x >= g_array_index(edges, double, b))
        b++;
      of_value[v] = g_ptr_array_index(segs, b);
      cx_compare_side_merge(of_value[v]->side, src);
      continue;
    }
    /* a segment of its own: take the side over */
    g_hash_table_steal(rt->groups, GUINT_TO_POINTER(v + 1));
    Segment *s = g_new0(Segment, 1);
    s->label = g_strdup(v == CX_ID_NONE ? "(none)" : cx_pool_get(values, v));
    s->side = src;
    of_value[v] = s;
    if (v == CX_ID_NONE)
      none = s;
    else
      g_ptr_array_add(segs, s);
  }
  /* empty bins say nothing */
  for (guint i = segs->len; i-- > 0;)
    if (cx_compare_side_n_cases(((Segment *)g_ptr_array_index(segs, i))->side) == 0)
      g_ptr_array_remove_index(segs, i);
  if (none)
    g_ptr_array_add(segs, none);
  return segs;
}

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

/* The friction kind that costs the segment most: customers lost, then time. */
static const CxCompareItem *
top_friction(const CxCompare *c, int k)
{
  guint n;
  const CxCompareItem *items = cx_compare_items(c, &n), *best = NULL;
  for (guint i = 0; i < n; i++) {
    const CxCompareItem *it = &items[i];
    if (it->kind != CX_COMPARE_FRICTION || it->cases[k] == 0)
      continue;
    if (best == NULL || it->customers_lost[k] > best->customers_lost[k]
        || (it->customers_lost[k] == best->customers_lost[k]
            && it->extra_time_s[k] > best->extra_time_s[k]))
      best = it;
  }
  return best;
}

typedef struct {
  const char *label;
  guint64 cases;
  double median_s, success_share;
  gint64 lost; /* -1 = unknown */
  const char *top;
} Row;

static Row
row_of(const CxCompare *c, int k, const char *label)
{
  const CxCompareItem *cases = cx_compare_headline(c, "cases");
  const CxCompareItem *dur = cx_compare_headline(c, "case duration");
  const CxCompareItem *succ = cx_compare_headline(c, "successful ends");
  const CxCompareItem *top = top_friction(c, k);
  Row r = { label, cases->count[k], dur->median[k], NAN, -1, top ? top->name : NULL };
  if (succ) {
    r.success_share = succ->cases[k] ? succ->case_rate[k] : NAN;
    r.lost = (gint64)(succ->cases[k] - succ->count[k]);
  }
  return r;
}

static void
overview_text(GString *out, const char *by, GArray *rows, const char *how)
{
  if (how[0])
    g_string_append_printf(out, "Segments by %s: %s\n\n", by, how);
  else
    g_string_append_printf(out, "Segments by %s (%u):\n\n", by, rows->len);
  int w = (int)strlen("segment");
  for (guint i = 0; i < rows->len; i++)
    w = MAX(w, (int)g_utf8_strlen(g_array_index(rows, Row, i).label, -1));
  w = MIN(w, 40);
  g_string_append_printf(out, "  %-*s  %10s  %15s  %13s  %14s  %s\n", w, "segment", "journeys",
                         "median duration", "success share", "customers lost", "top friction");
  for (guint i = 0; i < rows->len; i++) {
    const Row *r = &g_array_index(rows, Row, i);
    g_autofree char *n = cx_format_count(r->cases);
    g_autofree char *d = isnan(r->median_s) ? g_strdup("-") : cx_format_duration(r->median_s);
    g_autofree char *s = NULL;
    if (isnan(r->success_share))
      s = g_strdup("-");
    else {
      g_autofree char *p = cx_format_number(100 * r->success_share, 1);
      s = g_strconcat(p, "%", NULL);
    }
    g_autofree char *l = r->lost >= 0 ? cx_format_count((guint64)r->lost) : g_strdup("-");
    int pad = w - (int)g_utf8_strlen(r->label, -1);
    g_string_append_printf(out, "  %s%*s  %10s  %15s  %13s  %14s  %s\n", r->label, MAX(pad, 0), "",
                           n, d, s, l, r->top ? r->top : "-");
  }
}

static void
overview_json(CxJson *j, GArray *rows)
{
  cx_json_begin_array(j);
  for (guint i = 0; i < rows->len; i++) {
    const Row *r = &g_array_index(rows, Row, i);
    cx_json_begin_object(j);
    cx_json_key(j, "segment");
    cx_json_string(j, r->label);
    cx_json_key(j, "cases");
    cx_json_int(j, (gint64)r->cases);
    cx_json_key(j, "case_duration_s");
    cx_json_begin_object(j);
    cx_json_key_double(j, "median", r->median_s);
    cx_json_end_object(j);
    cx_json_key_double(j, "success_share", r->success_share);
    cx_json_key(j, "customers_lost");
    if (r->lost >= 0)
      cx_json_int(j, r->lost);
    else
      cx_json_null(j);
    cx_json_key(j, "top_friction");
    if (r->top)
      cx_json_string(j, r->top);
    else
      cx_json_null(j);
    cx_json_end_object(j);
  }
  cx_json_end_array(j);
}

/* Edit distance, for "did you mean". */
static guint
distance(const char *a, const char *b)
{
  gsize n = strlen(a), m = strlen(b);
  if (n > 64 || m > 64)
    return G_MAXUINT;
  guint row[65];
  for (gsize j = 0; j <= m; j++)
    row[j] = (guint)j;
  for (gsize i = 1; i <= n; i++) {
    guint diag = row[0];
    row[0] = (guint)i;
    for (gsize j = 1; j <= m; j++) {
      guint up = row[j];
      guint sub = diag + (g_ascii_tolower(a[i - 1]) != g_ascii_tolower(b[j - 1]));
      row[j] = MIN(MIN(row[j] + 1, row[j - 1] + 1), sub);
      diag = up;
    }
  }
  return row[m];
}

/* "; did you mean 'X'?" from the attribute keys the log has, or "". */
static char *
near_keys(CxLog *log, const char *key)
{
  g_autofree char *base = g_strdup(key);
  char *at = strstr(base, "@last");
  if (at != NULL && at[5] == '\0')
    *at = '\0';
  CxPool *keys = cx_log_keys(log);
  const char *best = NULL;
  guint best_d = G_MAXUINT;
  for (guint32 k = 1; k < cx_pool_size(keys); k++) {
    const char *name = cx_pool_get(keys, k);
    if (strcmp(name, key) == 0 || strcmp(name, base) == 0)
      continue;
    guint d = distance(base, name);
    if (d < best_d || (d == best_d && best && strcmp(name, best) < 0)) {
      best = name;
      best_d = d;
    }
  }
  if (best == NULL || best_d > MAX(2u, (guint)strlen(base) / 3))
    return g_strdup("");
  return g_strdup_printf("; did you mean '%s'?", best);
}

/* Gives @side (segment @seg, or with @rest every other segment) its own
 * friction analysis, by the whole log's outcome model. */
static CxFriction *
own_friction(Router *rt, CxCompareSide *side, Segment *const *of_value, const Segment *seg,
             gboolean rest)
{
  guint nv = cx_pool_size(cx_log_values(rt->log));
  g_autofree guint8 *keep = g_new0(guint8, nv);
  for (guint v = 0; v < nv; v++)
    keep[v] = of_value[v] != NULL && (of_value[v] == seg) != rest;
  g_autoptr(GError) error = NULL;
  CxFriction *f
      = cx_compare_side_own_friction(side, &rt->fo, rt->outcome, rt->store, keep, nv, &error);
  if (f == NULL)
    cx_cli_error(error);
  return f;
}

static int
run_segments(Router *rt, const Opts *o, gboolean verbose, CxCompareOptions *copts, CxJson *json,
             GString *text, GString *rule)
{
  gboolean binned = FALSE;
  g_autoptr(GString) how = g_string_new(NULL);
  g_autofree Segment **of_value = g_new0(Segment *, cx_pool_size(cx_log_values(rt->log)));
  g_autoptr(GPtrArray) segs = make_segments(rt, o, &binned, how, of_value);
  if (segs == NULL)
    return CX_EXIT_FAIL;
  guint named = 0;
  for (guint i = 0; i < segs->len; i++)
    named += strcmp(((Segment *)g_ptr_array_index(segs, i))->label, "(none)") != 0 || binned;
  if (named == 0) {
    g_autofree char *hint = near_keys(rt->log, o->by);
    return fail("--by %s: no journey has the attribute '%s' (a trace attribute, a case:%s "
                "column, or an event attribute)%s",
                o->by, o->by, o->by, hint);
  }
  if (segs->len < 2)
    return fail("--by %s: every journey has the same value ('%s'): nothing to compare", o->by,
                ((Segment *)g_ptr_array_index(segs, 0))->label);
  if (segs->len > (guint)o->max_segments) {
    g_autofree char *nseg = cx_format_count(segs->len);
    return fail("--by %s: %s segments, more than --max-segments %d; bin a numeric attribute "
                "with --bins N or --bins E1,E2,..., pick a key with fewer values, or raise "
                "--max-segments",
                o->by, nseg, o->max_segments);
  }
  /* the baseline: --baseline, or with two segments the larger one (so the
   * report is not printed twice, mirrored); else each vs the rest */
  gint base = -1;
  if (o->baseline) {
    for (guint i = 0; i < segs->len; i++)
      if (strcmp(((Segment *)g_ptr_array_index(segs, i))->label, o->baseline) == 0)
        base = (gint)i;
    if (base < 0)
      return cx_cli_usage("compare", "--baseline: no segment of %s is '%s'", o->by, o->baseline);
  } else if (segs->len == 2) {
    base = cx_compare_side_n_cases(((Segment *)g_ptr_array_index(segs, 0))->side)
                   >= cx_compare_side_n_cases(((Segment *)g_ptr_array_index(segs, 1))->side)
               ? 0
               : 1;
  }
  guint n = segs->len;
  for (guint i = 0; i < n; i++) {
    Segment *s = g_ptr_array_index(segs, i);
    if ((s->friction = own_friction(rt, s->side, of_value, s, FALSE)) == NULL)
      return CX_EXIT_FAIL;
  }
  const CxFriction *f0 = ((Segment *)g_ptr_array_index(segs, 0))->friction;
  g_string_append_printf(rule, "%s %s", cx_friction_success_explain(f0),
                         cx_friction_open_explain(f0));
  copts->success_rule = rule->str;
  g_autoptr(GPtrArray) cmps = g_ptr_array_new_with_free_func((GDestroyNotify)cx_compare_free);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GArray) rows = g_array_new(FALSE, FALSE, sizeof(Row));
  g_autoptr(CxCompareSide) total = NULL;
  for (guint i = 0; i < n; i++) {
    Segment *s = g_ptr_array_index(segs, i);
    if ((gint)i == base) {
      g_ptr_array_add(cmps, NULL);
      continue;
    }
    g_autoptr(CxCompareSide) rest = NULL;
    g_autoptr(CxFriction) rest_fr = NULL;
    CxCompareSide *other;
    char *other_name; /* kept in @names: the comparison points at it */
    if (base >= 0) {
      other = ((Segment *)g_ptr_array_index(segs, base))->side;
      other_name = g_strdup_printf(binned ? "%s %s" : "%s=%s", o->by,
                                   ((Segment *)g_ptr_array_index(segs, base))->label);
    } else {
      /* the rest: one union of every segment, less this one (no merging
       * of the others again for each segment) */
      if (total == NULL) {
        total = cx_compare_side_new(rt->log);
        for (guint h = 0; h < n; h++)
          cx_compare_side_merge(total, ((Segment *)g_ptr_array_index(segs, h))->side);
      }
      rest = cx_compare_side_new_difference(total, s->side);
      cx_compare_side_set_outcome(rest, rt->outcome);
      /* the rest's own analysis, one at a time: freed once compared */
      rest_fr = own_friction(rt, rest, of_value, s, TRUE);
      if (rest_fr == NULL)
        return CX_EXIT_FAIL;
      other = rest;
      other_name = g_strdup("the rest");
    }
    char *seg_name = g_strdup_printf(binned ? "%s %s" : "%s=%s", o->by, s->label);
    g_ptr_array_add(names, seg_name);
    g_ptr_array_add(names, other_name);
    copts->names[0] = other_name;
    copts->names[1] = seg_name;
    CxCompare *c = cx_compare_new(other, s->side, copts);
    g_ptr_array_add(cmps, c);
  }
  /* the overview: one row per segment, from its comparison (side 1); the
   * baseline's from any comparison's side 0 */
  for (guint i = 0; i < n; i++) {
    Segment *s = g_ptr_array_index(segs, i);
    if ((gint)i == base) {
      for (guint k = 0; k < n; k++)
        if (cmps->pdata[k]) {
          Row r = row_of(cmps->pdata[k], 0, s->label);
          g_array_append_val(rows, r);
          break;
        }
    } else {
      Row r = row_of(cmps->pdata[i], 1, s->label);
      g_array_append_val(rows, r);
    }
  }
  int rc = CX_EXIT_OK;
  g_autoptr(GHashTable) used = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  if (json) {
    cx_json_begin_object(json);
    cx_json_key(json, "by");
    cx_json_string(json, o->by);
    cx_json_key(json, "baseline");
    if (base >= 0)
      cx_json_string(json, ((Segment *)g_ptr_array_index(segs, base))->label);
    else
      cx_json_null(json);
    cx_json_key(json, "binned");
    cx_json_bool(json, binned);
    cx_json_key(json, "segments_total");
    cx_json_int(json, n);
    cx_json_key(json, "segments");
    overview_json(json, rows);
    cx_json_key(json, "comparisons");
    cx_json_begin_array(json);
  } else {
    overview_text(text, o->by, rows, how->str);
  }
  for (guint i = 0; i < n && rc == CX_EXIT_OK; i++) {
    const CxCompare *c = cmps->pdata[i];
    if (c == NULL)
      continue;
    Segment *s = g_ptr_array_index(segs, i);
    g_autofree char *map = o->output ? suffixed_path(o->output, s->label, used) : NULL;
    if (json) {
      cx_json_begin_object(json);
      cx_json_key(json, "segment");
      cx_json_string(json, s->label);
      cx_compare_to_json_members(c, json);
      cx_json_end_object(json);
      if (map)
        rc = write_map(c, o, map);
    } else {
      g_string_append_printf(text, "\n== %s vs %s ==\n", cx_compare_options(c)->names[1],
                             cx_compare_options(c)->names[0]);
      rc = report(c, o, verbose, NULL, text, map);
    }
  }
  if (json) {
    cx_json_end_array(json);
    cx_json_end_object(json);
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
 * the outcome model is decided once from both logs (cx_outcome_set_model:
 * the union of what each infers, one open-after limit) unless --success and
 * --open-after give it. */
static int
run_two_logs(int argc0, char **argv0, char **argv, const Opts *o, gboolean verbose,
             CxCompareOptions *copts, char *names[2], const Model *m, CxJson *json, GString *text,
             GString *rule)
{
  CxLog *logs[2] = { NULL, NULL };
  Router rt[2] = { { 0 }, { 0 } };
  int rc = CX_EXIT_OK;
  g_autoptr(GError) error = NULL;
  for (int k = 0; k < 2 && rc == CX_EXIT_OK; k++) {
    logs[k] = cx_log_new();
    CxCliRead rk = { 0 };
    char *files[2] = { argv[1 + k], NULL };
    if (!parse_side(argc0, argv0, k == 0 ? o->before_opts : o->after_opts, &rk, &error)
        || !cx_cli_read_apply(&rk, logs[k], files, &error))
      rc = cx_cli_usage("compare", "%s: %s", k == 0 ? "before" : "after", error->message);
    cx_cli_read_clear(&rk);
  }
  if (rc == CX_EXIT_OK)
    rc = map_check(o);
  for (int k = 0; k < 2 && rc == CX_EXIT_OK; k++) {
    want_attrs(logs[k], m);
    router_init(&rt[k], logs[k], m, TRUE);
    if (!scan(logs[k], &rt[k]))
      rc = CX_EXIT_FAIL;
  }
  if (rc == CX_EXIT_OK) {
    finish_sides(rt, 2);
    for (int k = 0; k < 2; k++)
      if (names[k] == NULL)
        names[k] = cx_log_display_name(logs[k]);
    for (int k = 0; k < 2 && rc == CX_EXIT_OK; k++)
      if (cx_compare_side_n_cases(rt[k].sides[0]) == 0)
        rc = fail("the %s log (%s) has no journeys%s", k == 0 ? "first" : "second", argv[1 + k],
                  cx_log_counts(logs[k])->cases_filtered > 0 ? " left after the filters" : "");
  }
  if (rc == CX_EXIT_OK) {
    g_string_append_printf(rule, "%s %s", cx_friction_success_explain(rt[0].side_fr[0]),
                           cx_friction_open_explain(rt[0].side_fr[0]));
    copts->names[0] = names[0];
    copts->names[1] = names[1];
    copts->success_rule = rule->str;
    g_autoptr(CxCompare) c = cx_compare_new(rt[0].sides[0], rt[1].sides[0], copts);
    rc = report(c, o, verbose, json, text, o->output);
  }
  for (int k = 0; k < 2; k++) {
    router_clear(&rt[k]);
    cx_log_free(logs[k]);
  }
  return rc;
}

int
cx_cmd_compare(int argc, char **argv)
{
  Opts o = { .alpha = 0.05,
             .min_cases = 5,
             .top = 5,
             .map_share = 5,
             .map_changes = 15,
             .max_segments = DEFAULT_MAX_SEGMENTS,
             .render_timeout = CX_DOT_RENDER_TIMEOUT };
  CxCliRead r0 = { 0 };
  int argc0 = argc;
  g_auto(GStrv) argv0 = g_strdupv(argv);
  g_autoptr(GOptionContext) ctx = make_context(&o, &r0);
  gboolean parsed = cx_cli_parse(ctx, "compare", &argc, &argv);
  gboolean verbose = r0.verbose;
  cx_cli_read_clear(&r0);
  if (!parsed) {
    opts_clear(&o);
    return CX_EXIT_USAGE;
  }
  int nfiles = argc - 1;
  const char *bad = NULL;
  Model model = { NULL, CX_OUTCOME_OPEN_INFER, CX_TS_NONE, NULL, FALSE };
  g_auto(GStrv) success = NULL;
  char *names[2] = { NULL, NULL };
  CxCompareOptions copts;
  cx_compare_options_init(&copts);
  /* --success and --open-after as every command reads them */
  CxCliOutcome oc = { g_steal_pointer(&o.success), g_steal_pointer(&o.open_after) };
  g_autoptr(GError) outcome_error = NULL;
  gboolean outcome_ok = cx_cli_outcome_apply(&oc, &success, &model.open_after_us, &outcome_error);
  model.success = success;
  if (!(o.alpha > 0 && o.alpha < 1))
    bad = "--alpha: expected a number between 0 and 1";
  else if (o.min_cases < 0 || o.top < 0 || o.map_changes < 0)
    bad = "--min-cases, --top and --map-changes must not be negative";
  else if (o.max_segments < 2)
    bad = "--max-segments: expected at least 2";
  else if (!(o.map_share >= 0 && o.map_share <= 100))
    bad = "--map-share: expected a percentage between 0 and 100";
  else if (o.min_effect
           && !parse_min_effect(o.min_effect, &copts.min_effect_rel, &copts.min_effect_points))
    bad = "--min-effect: expected REL,POINTS, two numbers from 0 to below 1 (e.g. 0.10,0.02)";
  else if (!outcome_ok)
    bad = outcome_error->message;
  else if (o.labels && !set_labels(o.labels, names))
    bad = "--labels: expected two names, A,B";
  else if (o.split_at && o.by)
    bad = "--split-at and --by cannot be combined";
  else if ((o.split_at || o.by) && nfiles != 1)
    bad = "--split-at and --by take one log";
  else if (!o.split_at && !o.by && nfiles != 2)
    bad = "expected two logs (BEFORE AFTER), or one log with --split-at or --by";
  else if ((o.before_opts || o.after_opts) && nfiles != 2)
    bad = "--before-opts / --after-opts need two logs";
  else if (o.baseline && !o.by)
    bad = "--baseline needs --by";
  else if ((o.bins || o.max_segments != DEFAULT_MAX_SEGMENTS) && !o.by)
    bad = "--bins and --max-segments need --by";
  else if (o.sat_lower && !o.sat_key)
    bad = "--satisfaction-lower-is-better needs --satisfaction-key KEY";
  else if (o.sat_key && *o.sat_key == '\0')
    bad = "--satisfaction-key: expected an attribute name";
  else if (o.labels && o.by)
    bad = "--labels names two sides; with --by the segments name themselves";
  else if (o.by && (o.output ? strcmp(o.output, "-") == 0 : o.render != NULL))
    bad = "--by draws one map per segment: name them with -o FILE.svg (or FILE.dot)";
  else if (o.render_timeout < 0)
    bad = "--render-timeout: must not be negative";
  else if (o.render && strcmp(o.render, "svg") != 0 && strcmp(o.render, "png") != 0
           && strcmp(o.render, "pdf") != 0)
    bad = "--render: expected svg, png or pdf";
  if (bad) {
    opts_clear(&o);
    g_free(names[0]);
    g_free(names[1]);
    return cx_cli_usage("compare", "%s", bad);
  }
  copts.alpha = o.alpha;
  copts.min_cases = (guint)o.min_cases;
  model.satisfaction_key = o.sat_key;
  model.satisfaction_lower_is_better = o.sat_lower;
  copts.satisfaction_key = o.sat_key;
  copts.satisfaction_lower_is_better = o.sat_lower;

  g_autoptr(GString) text = g_string_new(NULL);
  g_autoptr(GString) rule = g_string_new(NULL);
  g_autoptr(CxJson) json = o.json ? cx_json_new(text, TRUE) : NULL;
  int rc = CX_EXIT_OK;
  g_autoptr(GError) error = NULL;

  if (nfiles == 2) {
    rc = run_two_logs(argc0, argv0, argv, &o, verbose, &copts, names, &model, json, text, rule);
  } else {
    g_autoptr(CxLog) log = cx_log_new();
    CxCliRead rk = { 0 };
    if (!parse_side(argc0, argv0, NULL, &rk, &error)
        || !cx_cli_read_apply(&rk, log, argv + 1, &error)) {
      cx_cli_read_clear(&rk);
      opts_clear(&o);
      g_free(names[0]);
      g_free(names[1]);
      return cx_cli_usage("compare", "%s", error->message);
    }
    cx_cli_read_clear(&rk);
    if ((rc = map_check(&o)) != CX_EXIT_OK) {
      opts_clear(&o);
      g_free(names[0]);
      g_free(names[1]);
      return rc;
    }
    gint64 split = CX_TS_NONE;
    if (o.split_at && !cx_cli_parse_date(o.split_at, "--split-at", &split, &error)) {
      opts_clear(&o);
      g_free(names[0]);
      g_free(names[1]);
      return cx_cli_usage("compare", "%s", error->message);
    }
    if (o.by && g_str_has_prefix(o.by, "case:") && o.by[5] != '\0') {
      /* a CSV "case:KEY" column is the case's attribute KEY */
      char *key = g_strdup(o.by + 5);
      g_free(o.by);
      o.by = key;
    }
    if (o.by)
      cx_read_options_want_attr(cx_log_options(log), o.by);
    want_attrs(log, &model);
    model.split = o.split_at ? split : CX_TS_NONE;
    Router rt;
    router_init(&rt, log, &model, o.split_at != NULL);
    if (!o.split_at) {
      rt.by = o.by;
      rt.groups = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL,
                                        (GDestroyNotify)cx_compare_side_free);
      rt.group_order = g_array_new(FALSE, FALSE, sizeof(guint32));
    }
    if (!scan(log, &rt))
      rc = CX_EXIT_FAIL;
    if (rc == CX_EXIT_OK && o.split_at) {
      finish_sides(&rt, 1);
      g_string_append_printf(rule, "%s %s", cx_friction_success_explain(rt.side_fr[0]),
                             cx_friction_open_explain(rt.side_fr[0]));
      copts.success_rule = rule->str;
      for (int k = 0; k < 2 && rc == CX_EXIT_OK; k++)
        if (cx_compare_side_n_cases(rt.sides[k]) == 0)
          rc = fail("--split-at %s: no journey starts %s it; nothing to compare", o.split_at,
                    k == 0 ? "before" : "on or after");
      if (rc == CX_EXIT_OK) {
        if (names[0] == NULL)
          names[0] = g_strdup_printf("before %s", o.split_at);
        if (names[1] == NULL)
          names[1] = g_strdup_printf("from %s", o.split_at);
        copts.names[0] = names[0];
        copts.names[1] = names[1];
        g_autoptr(CxCompare) c = cx_compare_new(rt.sides[0], rt.sides[1], &copts);
        rc = report(c, &o, verbose, json, text, o.output);
      }
    } else if (rc == CX_EXIT_OK) {
      rc = run_segments(&rt, &o, verbose, &copts, json, text, rule);
    }
    router_clear(&rt);
  }
  if (rc == CX_EXIT_OK && !map_takes_stdout(&o)) {
    if (!o.json) {
      g_string_append(text, "\nSuccessful ends (one rule for both sides): ");
      g_string_append(text, rule->str);
      g_string_append_c(text, '\n');
    } else {
      g_string_append_c(text, '\n');
    }
    rc = cx_cli_emit("-", text);
  }
  g_free(names[0]);
  g_free(names[1]);
  opts_clear(&o);
  return rc;
}
