/* --partial FILE for every analysis command, and the other half of
 * 'cxmine merge': the command run again over partials instead of files.
 *
 * Writing: cx_cli_parse() notes each command line; a command that took
 * --partial writes its log's journeys (cx_partial_write) with the canonical
 * result-changing options instead of its report: all but those whose
 * entries are marked CX_CLI_OUTPUT_ONLY.  Merging: cmd-merge.c
 * loads and checks the partials, registers them here in groups, and runs
 * the command with the stored options, its own output options and one
 * token per group in place of the files; cx_cli_read_apply() turns each
 * token into its partials. */
#include "cmd.h"
#include <string.h>

static gboolean
set_partial(const char *name, const char *value, gpointer data, GError **error)
{
  CxCli *cli = data;
  (void)name;
  if (*value == '\0') {
    g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "--partial: expected a file name");
    return FALSE;
  }
  g_free(cli->partial_path);
  cli->partial_path = g_strdup(value);
  return TRUE;
}

GOptionGroup *
cx_cli_partial_group(CxCli *cli)
{
  GOptionEntry entries[]
      = { { "partial", 0, CX_CLI_OUTPUT_ONLY, G_OPTION_ARG_CALLBACK, (gpointer)set_partial,
            "Write the mergeable state (a partial, docs/partial-format.md) to FILE instead of the "
            "report; 'cxmine merge FILE…' prints the report over all of them",
            "FILE" },
          { NULL } };
  GOptionGroup *g
      = g_option_group_new("partial", "Scale-out:", "Show scale-out options", cli, NULL);
  cx_cli_add_entries(cli, g, entries);
  return g;
}

/* ---- the canonical result-changing options ---- */

static char *
unit_name(const char *unit)
{
  const char *n = unit + 2;
  const char *eq = strchr(n, '=');
  return eq != NULL ? g_strndup(n, (gsize)(eq - n)) : g_strdup(n);
}

static int
cmp_units(gconstpointer a, gconstpointer b)
{
  g_autofree char *x = unit_name(*(const char *const *)a);
  g_autofree char *y = unit_name(*(const char *const *)b);
  return strcmp(x, y);
}

/* The options of the noted command line as "--name" or "--name=value",
 * short ones by their long names, output-only ones left out, stably
 * sorted by name (repeated options keep their order).  NULL-terminated. */
static char **
canonical_options(CxCli *cli)
{
  char **before = cli->argv_before, **after = cli->argv_after;
  guint nb = before ? g_strv_length(before) : 0;
  guint na = after ? g_strv_length(after) : 0;
  /* the files are what parsing left: take them out, matching from the end */
  g_autofree gboolean *file = g_new0(gboolean, MAX(nb, 1));
  for (gint i = (gint)na - 1, k = (gint)nb - 1; i >= 1 && k >= 1; k--)
    if (strcmp(before[k], after[i]) == 0) {
      file[k] = TRUE;
      i--;
    }
  GPtrArray *units = g_ptr_array_new_with_free_func(g_free);
  GString *cur = NULL;
  for (guint k = 1; k < nb; k++) {
    const char *t = before[k];
    if (file[k] || strcmp(t, "--") == 0)
      continue;
    if (t[0] == '-' && t[1] != '\0') {
      if (cur != NULL)
        g_ptr_array_add(units, g_string_free(cur, FALSE));
      g_autofree char *letter = g_strndup(t, 2);
      const char *long_name = g_hash_table_lookup(cli->output_only, letter);
      if (t[1] != '-' && long_name != NULL) {
        cur = g_string_new("--");
        g_string_append(cur, long_name);
        if (t[2] != '\0')
          g_string_append_printf(cur, "=%s", t + 2);
      } else {
        cur = g_string_new(t);
      }
    } else if (cur != NULL) {
      g_string_append_printf(cur, "%s%s", strchr(cur->str, '=') ? " " : "=", t);
    }
    /* values that may start with a dash: option lists */
    if (cur != NULL && k + 1 < nb && !file[k + 1]
        && (strcmp(cur->str, "--before-opts") == 0 || strcmp(cur->str, "--after-opts") == 0)) {
      g_string_append_printf(cur, "=%s", before[++k]);
    }
  }
  if (cur != NULL)
    g_ptr_array_add(units, g_string_free(cur, FALSE));
  GPtrArray *kept = g_ptr_array_new();
  for (guint i = 0; i < units->len; i++) {
    g_autofree char *name = unit_name(g_ptr_array_index(units, i));
    g_autofree char *key = g_strconcat("--", name, NULL);
    if (!g_hash_table_contains(cli->output_only, key))
      g_ptr_array_add(kept, g_strdup(g_ptr_array_index(units, i)));
  }
  g_ptr_array_free(units, TRUE);
  /* stable: an insertion sort (option lists are short) */
  for (guint i = 1; i < kept->len; i++)
    for (guint j = i; j > 0 && cmp_units(&kept->pdata[j - 1], &kept->pdata[j]) > 0; j--) {
      gpointer t = kept->pdata[j];
      kept->pdata[j] = kept->pdata[j - 1];
      kept->pdata[j - 1] = t;
    }
  g_ptr_array_add(kept, NULL);
  return (char **)g_ptr_array_free(kept, FALSE);
}

/* ---- writing ---- */

gboolean
cx_cli_partial_wanted(CxCli *cli)
{
  return cli->partial_path != NULL;
}

int
cx_cli_partial_write(CxCli *cli, CxLog *log, const char *cmd, const char *side)
{
  if (cli->partial_path == NULL)
    return -1;
  g_autofree char *path = g_steal_pointer(&cli->partial_path);
  const CxReadOptions *o = cx_log_options(log);
  const char *whole = cx_filter_chain_whole_log(o->filters);
  if (whole != NULL)
    return cx_cli_usage(cmd,
                        "%s needs the whole log first (a rank or share over all cases), so it "
                        "cannot be used with --partial",
                        whole);
  int rc = cx_cli_output_check(cli, cmd, path);
  if (rc != CX_EXIT_OK)
    return rc;
  g_auto(GStrv) options = canonical_options(cli);
  g_autoptr(GError) error = NULL;
  gboolean case_ids = cli->argv_before != NULL
                      && g_strv_contains((const char *const *)cli->argv_before, "--case-ids");
  if (!cx_partial_write(log, cmd, side != NULL ? side : "", (const char *const *)options, case_ids,
                        path, &error)) {
    cx_cli_error(error);
    return CX_EXIT_FAIL;
  }
  return CX_EXIT_OK;
}

/* ---- merging ---- */

void
cx_cli_partial_add_group(CxCli *cli, const char *token, CxPartial *p)
{
  if (cli->groups == NULL)
    cli->groups
        = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_ptr_array_unref);
  GPtrArray *g = g_hash_table_lookup(cli->groups, token);
  if (g == NULL) {
    g = g_ptr_array_new();
    g_hash_table_insert(cli->groups, g_strdup(token), g);
  }
  g_ptr_array_add(g, p);
}

gboolean
cx_cli_partial_merging(CxCli *cli)
{
  return cli->groups != NULL;
}

gboolean
cx_cli_partial_apply(CxCli *cli, CxLog *log, char **files, GError **error)
{
  for (char **f = files; f != NULL && *f != NULL; f++) {
    /* the token is "SIDE:" (compare's before/after, or empty) */
    GPtrArray *g = g_hash_table_lookup(cli->groups, *f);
    if (g == NULL) {
      g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                  "'%s': files cannot be added to a merge", *f);
      return FALSE;
    }
    const char *colon = strchr(*f, ':');
    g_autofree char *side = g_strndup(*f, colon != NULL ? (gsize)(colon - *f) : strlen(*f));
    for (guint i = 0; i < g->len; i++) {
      cx_log_add_partial(log, g_ptr_array_index(g, i), side);
      cx_cli_inputs_note(cli, cx_partial_path(g_ptr_array_index(g, i)));
    }
  }
  return TRUE;
}
