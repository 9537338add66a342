/* cxmine merge: the report of a command over all its partials, or a
 * merged partial. */
#include "cmd.h"
#include <stdio.h>
#include <string.h>

static const struct {
  const char *name;
  int (*run)(CxCli *cli, int argc, char **argv);
} mergeable[] = {
  { "stats", cx_cmd_stats },       { "variants", cx_cmd_variants }, { "dfg", cx_cmd_dfg },
  { "friction", cx_cmd_friction }, { "compare", cx_cmd_compare },
};

static const char help[]
    = "Usage:\n"
      "  cxmine merge PARTIAL… [--json | -o FILE | the command's output options]\n"
      "  cxmine merge --partial OUT PARTIAL…\n\n"
      "Prints what 'cxmine COMMAND' prints over all the shards the partials were made\n"
      "from (with 'cxmine COMMAND --partial FILE [options] SHARD…'), exactly: counts,\n"
      "sums and quantiles are exact (every sample is kept), and friction and compare\n"
      "decide outcomes, thresholds and findings over all journeys after the merge.\n"
      "The order of the partials does not matter.  With --partial OUT, writes one\n"
      "merged partial instead, to be merged again (a tree of merges).\n\n"
      "The partials must be of one command, made with the same result-changing\n"
      "options (stored in each partial); a truncated or corrupt partial, another\n"
      "format version, a file that is no partial or a shard in two partials is an\n"
      "error (exit 1).  Output options (--json, -o, --top, --csv, --case-ids,\n"
      "--render, --activities, --paths, --labels, ...) are the command's, given here.\n"
      "compare: the partials of both sides (--side before|after) go to one merge.\n\n"
      "Options:\n"
      "  --partial OUT   write a merged partial to OUT instead of the report\n"
      "  -h, --help      show this help\n\n"
      "Examples:\n"
      "  cxmine partition --shards 4 -o shards/ log.xes.gz\n"
      "  for i in 0 1 2 3; do cxmine dfg --partial p$i.cxp shards/shard-000$i-*; done\n"
      "  cxmine merge --json p0.cxp p1.cxp p2.cxp p3.cxp\n"
      "  cxmine merge --partial p01.cxp p0.cxp p1.cxp   # then: cxmine merge p01.cxp p2.cxp "
      "p3.cxp\n"
      "  cxmine compare --partial b0.cxp --side before --success Paid before/shard-0000-*\n"
      "  cxmine merge b0.cxp b1.cxp a0.cxp a1.cxp\n";

/* The output-only options of every command a merge runs, from their
 * entries (CX_CLI_OUTPUT_ONLY): their short letters and whether they take
 * a value. */
static void
learn_output_options(CxCli *cli)
{
  cli->describe = TRUE;
  for (gsize i = 0; i < G_N_ELEMENTS(mergeable); i++) {
    char *args[] = { (char *)mergeable[i].name, NULL };
    mergeable[i].run(cli, 1, args);
  }
  cli->describe = FALSE;
}

/* The long name of the option token @t, or NULL when it is no output option. */
static const char *
output_option(CxCli *cli, const char *t)
{
  g_autofree char *key = t[1] == '-' ? g_strndup(t, strcspn(t, "=")) : g_strndup(t, 2);
  return g_hash_table_lookup(cli->output_only, key);
}

int
cx_cmd_merge(CxCli *cli, int argc, char **argv)
{
  learn_output_options(cli);
  char *out = NULL;
  g_autoptr(GPtrArray) pass = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GPtrArray) paths = g_ptr_array_new();
  for (int i = 1; i < argc; i++) {
    const char *t = argv[i];
    if (strcmp(t, "-h") == 0 || strcmp(t, "--help") == 0) {
      fputs(help, stdout);
      return CX_EXIT_OK;
    }
    if (t[0] != '-' || t[1] == '\0') {
      g_ptr_array_add(paths, (gpointer)t);
      continue;
    }
    const char *name = output_option(cli, t);
    gboolean inline_value = (t[1] == '-' && strchr(t, '=') != NULL) || (t[1] != '-' && t[2]);
    if (name != NULL && strcmp(name, "partial") == 0) {
      if (!inline_value && i + 1 >= argc)
        return cx_cli_usage("merge", "--partial: expected a file name");
      out = inline_value ? strchr(t, '=') + 1 : argv[++i];
      continue;
    }
    if (name != NULL && g_hash_table_contains(cli->output_valued, name)) {
      g_ptr_array_add(pass, g_strdup(t));
      if (!inline_value) {
        if (i + 1 >= argc)
          return cx_cli_usage("merge", "%s: expected a value", t);
        g_ptr_array_add(pass, g_strdup(argv[++i]));
      }
    } else if (name != NULL && !inline_value) {
      g_ptr_array_add(pass, g_strdup(t));
    } else {
      return cx_cli_usage("merge",
                          "%s is no output option: options that change results are given to "
                          "'cxmine COMMAND --partial FILE', and are stored in the partial",
                          t);
    }
  }
  if (paths->len == 0)
    return cx_cli_usage("merge", "no partial given");
  /* --case-ids is the one output option a merged partial keeps */
  gboolean case_ids = g_ptr_array_find_with_equal_func(pass, "--case-ids", g_str_equal, NULL);
  if (out != NULL && pass->len > (guint)case_ids)
    return cx_cli_usage("merge", "--partial OUT writes a partial: %s is for reports",
                        (char *)g_ptr_array_index(pass, 0));

  g_autoptr(GPtrArray) loaded = g_ptr_array_new_with_free_func((GDestroyNotify)cx_partial_free);
  g_autoptr(GError) error = NULL;
  for (guint i = 0; i < paths->len; i++) {
    CxPartial *p = cx_partial_load(g_ptr_array_index(paths, i), &error);
    if (p == NULL) {
      cx_cli_error(error);
      return CX_EXIT_FAIL;
    }
    g_ptr_array_add(loaded, p);
    if (i > 0 && !cx_partial_check_compatible(g_ptr_array_index(loaded, 0), p, &error)) {
      cx_cli_error(error);
      return CX_EXIT_FAIL;
    }
    cx_cli_inputs_note(cli, cx_partial_path(p));
  }
  CxPartial *first = g_ptr_array_index(loaded, 0);
  const char *cmd = cx_partial_command(first);
  int (*run)(CxCli *, int, char **) = NULL;
  for (gsize i = 0; i < G_N_ELEMENTS(mergeable); i++)
    if (strcmp(mergeable[i].name, cmd) == 0)
      run = mergeable[i].run;
  if (run == NULL) {
    fprintf(stderr, "cxmine: %s: a partial of '%s', which cxmine cannot merge\n",
            cx_partial_path(first), cmd);
    return CX_EXIT_FAIL;
  }

  if (out != NULL) {
    int rc = cx_cli_output_check(cli, "merge", out);
    if (rc != CX_EXIT_OK)
      return rc;
    g_autoptr(CxLog) log = cx_log_new();
    for (guint i = 0; i < loaded->len; i++)
      cx_log_add_partial(log, g_ptr_array_index(loaded, i), NULL);
    if (!cx_partial_write(log, cmd, "", (const char *const *)cx_partial_options(first), case_ids,
                          out, &error)) {
      cx_cli_error(error);
      return CX_EXIT_FAIL;
    }
    return CX_EXIT_OK;
  }

  /* the sides: compare's before and after, or none */
  static const char *const sides[] = { "", "before", "after" };
  gboolean has[3] = { FALSE, FALSE, FALSE };
  for (guint i = 0; i < loaded->len; i++)
    for (int k = 0; k < 3; k++)
      if (cx_partial_has_side(g_ptr_array_index(loaded, i), sides[k]))
        has[k] = TRUE;
  if (has[0] && (has[1] || has[2])) {
    fprintf(stderr, "cxmine: partials with and without --side do not merge\n");
    return CX_EXIT_FAIL;
  }
  if (has[1] != has[2]) {
    fprintf(stderr,
            "cxmine: compare: partials of the %s side only; give the partials of both sides "
            "(--side before and --side after)\n",
            has[1] ? "before" : "after");
    return CX_EXIT_FAIL;
  }
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func(g_free);
  g_ptr_array_add(args, g_strdup(cmd));
  for (char **o = cx_partial_options(first); *o != NULL; o++)
    g_ptr_array_add(args, g_strdup(*o));
  for (guint i = 0; i < pass->len; i++)
    g_ptr_array_add(args, g_strdup(g_ptr_array_index(pass, i)));
  for (int k = 0; k < 3; k++) {
    if (!has[k])
      continue;
    g_autofree char *token = g_strdup_printf("%s:partials", sides[k]);
    for (guint i = 0; i < loaded->len; i++)
      if (cx_partial_has_side(g_ptr_array_index(loaded, i), sides[k]))
        cx_cli_partial_add_group(cli, token, g_ptr_array_index(loaded, i));
    g_ptr_array_add(args, g_steal_pointer(&token));
  }
  g_ptr_array_add(args, NULL);
  g_autofree char *prg = g_strdup_printf("cxmine %s", cmd);
  g_set_prgname(prg);
  /* the command may reorder its argv: hand it a copy of the pointers */
  int n = (int)args->len - 1;
  g_autofree char **copy = g_memdup2(args->pdata, sizeof(char *) * args->len);
  return run(cli, n, copy);
}
