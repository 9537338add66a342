/* cxmine compare: before vs after, or segments of one log, with tests. */
#include "cmd.h"
#include <stdio.h>
#include <string.h>

typedef struct {
  gboolean json;
  char *output, *render, *split_at, *by, *baseline, *before_opts, *after_opts;
  double alpha, map_share;
  int min_cases, top, map_changes;
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
}

static GOptionContext *
make_context(Opts *o, CxCliRead *r)
{
  GOptionEntry entries[]
      = { { "split-at", 0, 0, G_OPTION_ARG_STRING, &o->split_at,
            "One log: journeys starting before DATE vs from DATE on", "DATE" },
          { "by", 0, 0, G_OPTION_ARG_STRING, &o->by,
            "One log: segments by the attribute KEY (a trace attribute, else the first event "
            "value; KEY@last: the last), each vs the rest",
            "KEY" },
          { "baseline", 0, 0, G_OPTION_ARG_STRING, &o->baseline,
            "With --by: compare each segment with segment VALUE instead of the rest", "VALUE" },
          { "before-opts", 0, 0, G_OPTION_ARG_STRING, &o->before_opts,
            "Reader options for the BEFORE log only (quoted, shell syntax)", "\"OPTS\"" },
          { "after-opts", 0, 0, G_OPTION_ARG_STRING, &o->after_opts,
            "Reader options for the AFTER log only", "\"OPTS\"" },
          { "alpha", 0, 0, G_OPTION_ARG_DOUBLE, &o->alpha,
            "False discovery rate (Benjamini-Hochberg; default 0.05)", "A" },
          { "min-cases", 0, 0, G_OPTION_ARG_INT, &o->min_cases,
            "Test only what at least N journeys take (default 5)", "N" },
          { "top", 'n', 0, G_OPTION_ARG_INT, &o->top,
            "Lines per report section (0 = all; default 15)", "N" },
          { "json", 0, 0, G_OPTION_ARG_NONE, &o->json, "Print JSON", NULL },
          { "output", 'o', 0, G_OPTION_ARG_FILENAME, &o->output,
            "Write the diff map (DOT) to FILE; the report still goes to standard output", "FILE" },
          { "map-share", 0, 0, G_OPTION_ARG_DOUBLE, &o->map_share,
            "Map: the main flow, paths taken by at least P% of either side's journeys "
            "(default 5; 0 with --map-changes 0 = every path)",
            "P" },
          { "map-changes", 0, 0, G_OPTION_ARG_INT, &o->map_changes,
            "Map: also the N most important significant path changes (default 15; 0 = all)", "N" },
          { "render", 0, 0, G_OPTION_ARG_STRING, &o->render,
            "With -o: also render the map (FILE.svg/png/pdf)", "svg|png|pdf" },
          { NULL } };
  GOptionContext *ctx = g_option_context_new("BEFORE AFTER | LOG --split-at DATE | LOG --by KEY");
  g_option_context_set_summary(
      ctx, "Compares two groups of journeys: headline, every path and activity (rate per\n"
           "journey: two-proportion or Fisher test; waits: Mann-Whitney U), variants.\n"
           "All p-values are corrected together (Benjamini-Hochberg).");
  g_option_context_set_description(
      ctx, "Reader options apply to both logs; options for one log only go in\n"
           "--before-opts / --after-opts, parsed like a shell command line.\n\n"
           "Examples:\n"
           "  cxmine compare before.xes.gz after.csv --after-opts \"--case id --timezone "
           "Europe/Berlin\"\n"
           "  cxmine compare bpic2012.xes.gz --split-at 2011-12-01 -o diff.dot --render svg\n"
           "  cxmine compare a.csv b.csv -o all.dot --map-share 0 --map-changes 0   (every path)\n"
           "  cxmine compare claims.xes --by channel --baseline web --json\n");
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

/* ---------- routing journeys to sides during one scan ---------- */

typedef struct {
  CxLog *log;
  CxOutcome *outcome;
  CxFriction *friction; /* over the whole log: one yardstick for every side */
  gint64 split;         /* --split-at, or CX_TS_NONE */
  const char *by;       /* --by key, or NULL */
  guint32 key_id;
  CxCompareSide *sides[2]; /* split: before / after; two logs: the one side */
  GHashTable *groups;      /* --by: value id -> CxCompareSide* */
  GArray *group_order;     /* value ids, first seen first */
} Router;

static CxCompareSide *
router_side(Router *r)
{
  CxCompareSide *s = cx_compare_side_new(r->log);
  cx_compare_side_set_friction(s, r->friction);
  return s;
}

static gboolean
route(const CxJourney *j, gpointer data, GError **error)
{
  Router *r = data;
  if (r->outcome && !cx_outcome_add(j, r->outcome, error))
    return FALSE;
  /* before the sides: they note the journey's place in the analysis */
  if (r->friction && !cx_friction_add(j, r->friction, error))
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
    return cx_compare_side_add(j, s, error);
  }
  if (r->split != CX_TS_NONE) {
    gint64 t = cx_journey_first_time(j);
    if (t == CX_TS_NONE)
      return TRUE; /* cannot be placed */
    return cx_compare_side_add(j, r->sides[t < r->split ? 0 : 1], error);
  }
  return cx_compare_side_add(j, r->sides[0], error);
}

static void
route_reset(gpointer data)
{
  Router *r = data;
  if (r->outcome)
    cx_outcome_reset(r->outcome);
  if (r->friction)
    cx_friction_reset(r->friction);
  for (int k = 0; k < 2; k++)
    if (r->sides[k])
      cx_compare_side_reset(r->sides[k]);
  if (r->groups) {
    g_hash_table_remove_all(r->groups);
    g_array_set_size(r->group_order, 0);
  }
}

static void
router_init(Router *r, CxLog *log)
{
  *r = (Router){ .log = log, .split = CX_TS_NONE, .key_id = G_MAXUINT32 };
  r->outcome = cx_outcome_new(log, NULL, 0);
  r->friction = cx_friction_new(log, NULL);
}

static void
router_clear(Router *r)
{
  cx_outcome_free(r->outcome);
  cx_friction_free(r->friction);
  for (int k = 0; k < 2; k++)
    cx_compare_side_free(r->sides[k]);
  if (r->groups) {
    g_hash_table_destroy(r->groups);
    g_array_free(r->group_order, TRUE);
  }
}

/* ---------- output ---------- */

/* FILE.dot -> FILE-SUFFIX.dot, for one map per segment. */
static char *
suffixed_path(const char *path, const char *suffix)
{
  g_autofree char *safe = g_strdup(suffix);
  for (char *p = safe; *p; p++)
    if (!g_ascii_isalnum(*p) && *p != '-' && *p != '_')
      *p = '_';
  const char *dot = strrchr(path, '.');
  const char *slash = strrchr(path, '/');
  if (dot != NULL && (slash == NULL || dot > slash))
    return g_strdup_printf("%.*s-%s%s", (int)(dot - path), path, safe, dot);
  return g_strdup_printf("%s-%s", path, safe);
}

static int
write_map(const CxCompare *c, const Opts *o, const char *path)
{
  const char *render = o->render;
  g_autoptr(GString) dot = g_string_new(NULL);
  cx_compare_to_dot(c, o->map_share / 100, (guint)o->map_changes, dot);
  return cx_cli_emit_map(path, dot, render);
}

static int
report(const CxCompare *c, const Opts *o, CxJson *json, GString *text, const char *map_path)
{
  if (json)
    cx_compare_to_json(c, json);
  else
    cx_compare_to_text(c, (guint)o->top, text);
  if (map_path)
    return write_map(c, o, map_path);
  return CX_EXIT_OK;
}

static gboolean
scan(CxLog *log, Router *r, const char *explain_prefix, GString *notes)
{
  g_autoptr(GError) error = NULL;
  if (!cx_log_scan(log, route, route_reset, r, &error)) {
    cx_cli_error(error);
    return FALSE;
  }
  cx_outcome_finish(r->outcome);
  cx_friction_finish(r->friction);
  /* the success share comes from the friction analysis' outcomes */
  g_string_append_printf(notes, "%s%s %s\n", explain_prefix,
                         cx_friction_success_explain(r->friction),
                         cx_friction_open_explain(r->friction));
  return TRUE;
}

int
cx_cmd_compare(int argc, char **argv)
{
  Opts o = { .alpha = 0.05, .min_cases = 5, .top = 15, .map_share = 5, .map_changes = 15 };
  CxCliRead r0 = { 0 };
  int argc0 = argc;
  g_auto(GStrv) argv0 = g_strdupv(argv);
  g_autoptr(GOptionContext) ctx = make_context(&o, &r0);
  gboolean parsed = cx_cli_parse(ctx, "compare", &argc, &argv);
  cx_cli_read_clear(&r0);
  if (!parsed) {
    opts_clear(&o);
    return CX_EXIT_USAGE;
  }
  int nfiles = argc - 1;
  const char *bad = NULL;
  if (!(o.alpha > 0 && o.alpha < 1))
    bad = "--alpha: expected a number between 0 and 1";
  else if (o.min_cases < 0 || o.top < 0 || o.map_changes < 0)
    bad = "--min-cases, --top and --map-changes must not be negative";
  else if (!(o.map_share >= 0 && o.map_share <= 100))
    bad = "--map-share: expected a percentage between 0 and 100";
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
  else if (o.render && !o.output)
    bad = "--render needs -o FILE.dot";
  else if (o.render && strcmp(o.render, "svg") != 0 && strcmp(o.render, "png") != 0
           && strcmp(o.render, "pdf") != 0)
    bad = "--render: expected svg, png or pdf";
  if (bad) {
    opts_clear(&o);
    return cx_cli_usage("compare", "%s", bad);
  }

  CxCompareOptions copts;
  cx_compare_options_init(&copts);
  copts.alpha = o.alpha;
  copts.min_cases = (guint)o.min_cases;

  g_autoptr(GString) text = g_string_new(NULL);
  g_autoptr(GString) notes = g_string_new(NULL);
  g_autoptr(CxJson) json = o.json ? cx_json_new(text, TRUE) : NULL;
  int rc = CX_EXIT_OK;
  g_autoptr(GError) error = NULL;

  if (nfiles == 2) {
    CxLog *logs[2] = { cx_log_new(), cx_log_new() };
    Router rt[2];
    char *names[2] = { NULL, NULL }; /* g_autofree would free only the first */
    for (int k = 0; k < 2 && rc == CX_EXIT_OK; k++) {
      CxCliRead rk = { 0 };
      char *files[2] = { argv[1 + k], NULL };
      if (!parse_side(argc0, argv0, k == 0 ? o.before_opts : o.after_opts, &rk, &error)
          || !cx_cli_read_apply(&rk, logs[k], files, &error))
        rc = cx_cli_usage("compare", "%s: %s", k == 0 ? "before" : "after", error->message);
      cx_cli_read_clear(&rk);
    }
    for (int k = 0; k < 2; k++) {
      router_init(&rt[k], logs[k]);
      rt[k].sides[0] = router_side(&rt[k]);
      names[k] = cx_log_display_name(logs[k]);
    }
    for (int k = 0; k < 2 && rc == CX_EXIT_OK; k++)
      if (!scan(logs[k], &rt[k], k == 0 ? "before: " : "after: ", notes))
        rc = CX_EXIT_FAIL;
    if (rc == CX_EXIT_OK) {
      for (int k = 0; k < 2; k++)
        cx_compare_side_set_outcome(rt[k].sides[0], rt[k].outcome);
      copts.names[0] = names[0];
      copts.names[1] = names[1];
      g_autoptr(CxCompare) c = cx_compare_new(rt[0].sides[0], rt[1].sides[0], &copts);
      rc = report(c, &o, json, text, o.output);
    }
    for (int k = 0; k < 2; k++) {
      router_clear(&rt[k]);
      cx_log_free(logs[k]);
      g_free(names[k]);
    }
  } else {
    g_autoptr(CxLog) log = cx_log_new();
    CxCliRead rk = { 0 };
    if (!parse_side(argc0, argv0, NULL, &rk, &error)
        || !cx_cli_read_apply(&rk, log, argv + 1, &error)) {
      cx_cli_read_clear(&rk);
      opts_clear(&o);
      return cx_cli_usage("compare", "%s", error->message);
    }
    cx_cli_read_clear(&rk);
    if (o.by != NULL)
      cx_read_options_want_attr(cx_log_options(log), o.by);
    Router rt;
    router_init(&rt, log);
    gint64 split = CX_TS_NONE;
    if (o.split_at && !cx_cli_parse_date(o.split_at, "--split-at", &split, &error)) {
      router_clear(&rt);
      opts_clear(&o);
      return cx_cli_usage("compare", "%s", error->message);
    }
    if (o.split_at) {
      rt.split = split;
      rt.sides[0] = router_side(&rt);
      rt.sides[1] = router_side(&rt);
    } else {
      rt.by = o.by;
      rt.groups = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL,
                                        (GDestroyNotify)cx_compare_side_free);
      rt.group_order = g_array_new(FALSE, FALSE, sizeof(guint32));
    }
    if (!scan(log, &rt, "", notes))
      rc = CX_EXIT_FAIL;
    if (rc == CX_EXIT_OK && o.split_at) {
      for (int k = 0; k < 2; k++)
        cx_compare_side_set_outcome(rt.sides[k], rt.outcome);
      g_autofree char *n0 = g_strdup_printf("before %s", o.split_at);
      g_autofree char *n1 = g_strdup_printf("from %s", o.split_at);
      copts.names[0] = n0;
      copts.names[1] = n1;
      g_autoptr(CxCompare) c = cx_compare_new(rt.sides[0], rt.sides[1], &copts);
      rc = report(c, &o, json, text, o.output);
    } else if (rc == CX_EXIT_OK) {
      CxPool *values = cx_log_values(log);
      guint32 base_id = G_MAXUINT32;
      if (o.baseline) {
        base_id = cx_pool_lookup(values, o.baseline, -1);
        if (base_id == G_MAXUINT32
            || !g_hash_table_contains(rt.groups, GUINT_TO_POINTER(base_id + 1))) {
          router_clear(&rt);
          opts_clear(&o);
          return cx_cli_usage("compare", "--baseline: no journey has %s '%s'", o.by ? o.by : "",
                              o.baseline);
        }
      }
      if (rt.group_order->len < 2) {
        g_string_append_printf(text, "only one segment of '%s': nothing to compare\n", o.by);
      }
      if (json) {
        cx_json_begin_object(json);
        cx_json_key(json, "by");
        cx_json_string(json, o.by);
        cx_json_key(json, "comparisons");
        cx_json_begin_array(json);
      }
      for (guint g = 0; g < rt.group_order->len && rt.group_order->len >= 2 && rc == CX_EXIT_OK;
           g++) {
        guint32 v = g_array_index(rt.group_order, guint32, g);
        if (v == base_id)
          continue;
        const char *vname = v == CX_ID_NONE ? "(none)" : cx_pool_get(values, v);
        CxCompareSide *seg = g_hash_table_lookup(rt.groups, GUINT_TO_POINTER(v + 1));
        cx_compare_side_set_outcome(seg, rt.outcome);
        g_autoptr(CxCompareSide) rest = NULL;
        CxCompareSide *base;
        g_autofree char *base_name = NULL;
        if (o.baseline) {
          base = g_hash_table_lookup(rt.groups, GUINT_TO_POINTER(base_id + 1));
          base_name = g_strdup_printf("%s=%s", o.by, o.baseline);
        } else {
          rest = cx_compare_side_new(log);
          for (guint h = 0; h < rt.group_order->len; h++)
            if (h != g)
              cx_compare_side_merge(
                  rest,
                  g_hash_table_lookup(
                      rt.groups, GUINT_TO_POINTER(g_array_index(rt.group_order, guint32, h) + 1)));
          base = rest;
          base_name = g_strdup("the rest");
        }
        cx_compare_side_set_outcome(base, rt.outcome);
        g_autofree char *seg_name = g_strdup_printf("%s=%s", o.by, vname);
        copts.names[0] = base_name;
        copts.names[1] = seg_name;
        g_autoptr(CxCompare) c = cx_compare_new(base, seg, &copts);
        if (!json)
          g_string_append_printf(text, "%s== %s vs %s ==\n", g > 0 ? "\n" : "", seg_name,
                                 base_name);
        g_autofree char *map = o.output ? suffixed_path(o.output, vname) : NULL;
        if (json) {
          cx_json_begin_object(json);
          cx_json_key(json, "segment");
          cx_json_string(json, vname);
          cx_json_key(json, "baseline");
          cx_json_string(json, o.baseline ? o.baseline : "(rest)");
          cx_json_key(json, "comparison");
        }
        rc = report(c, &o, json, text, map);
        if (json)
          cx_json_end_object(json);
      }
      if (json) {
        cx_json_end_array(json);
        cx_json_end_object(json);
      }
    }
    router_clear(&rt);
  }
  if (rc == CX_EXIT_OK) {
    if (!o.json) {
      g_string_append(text, "\nSuccessful ends: ");
      g_string_append(text, notes->str);
    } else {
      g_string_append_c(text, '\n');
    }
    rc = cx_cli_emit("-", text);
  }
  opts_clear(&o);
  return rc;
}
