/* --partial FILE for every analysis command, and the other half of
 * 'cxmine merge': the command run again over partials instead of files.
 *
 * Writing: cx_cli_parse() notes each command line; a command that took
 * --partial writes its log's journeys (cx_partial_write) with the canonical
 * result-changing options instead of its report.  Merging: cmd-merge.c
 * loads and checks the partials, registers them here in groups, and runs
 * the command with the stored options, its own output options and one
 * token per group in place of the files; cx_cli_read_apply() turns each
 * token into its partials. */
#include "cmd.h"
#include <string.h>

static struct {
  char *path;         /* --partial FILE, or NULL */
  char **argv_before; /* the last command line cx_cli_parse() saw */
  char **argv_after;  /* what was left of it: the files */
  GHashTable *groups; /* merge: token -> GPtrArray of CxPartial* (not owned) */
} st;

static gboolean
set_partial(const char *name, const char *value, gpointer data, GError **error)
{
  (void)name;
  (void)data;
  if (*value == '\0') {
    g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "--partial: expected a file name");
    return FALSE;
  }
  g_free(st.path);
  st.path = g_strdup(value);
  return TRUE;
}

GOptionGroup *
cx_cli_partial_group(void)
{
  GOptionEntry entries[]
      = { { "partial", 0, 0, G_OPTION_ARG_CALLBACK, (gpointer)set_partial,
            "Write the mergeable state (a partial, docs/partial-format.md) to FILE instead of the "
            "report; 'cxmine merge FILE…' prints the report over all of them",
            "FILE" },
          { NULL } };
  GOptionGroup *g
      = g_option_group_new("partial", "Scale-out:", "Show scale-out options", NULL, NULL);
  g_option_group_add_entries(g, entries);
  return g;
}

void
cx_cli_partial_note_args(char **before, char **after)
{
  g_strfreev(st.argv_before);
  g_strfreev(st.argv_after);
  st.argv_before = g_strdupv(before);
  st.argv_after = g_strdupv(after);
}

/* ---- the canonical result-changing options ---- */

/* Short options of the analysis commands, as their long names. */
static const char *
long_of(char c)
{
  switch (c) {
    case 'o':
      return "output";
    case 'n':
      return "top";
    case 'v':
      return "verbose";
    case 'm':
      return "metric";
    case 'a':
      return "activities";
    case 'p':
      return "paths";
    default:
      return NULL;
  }
}

/* Options that change only how a report is shown or where it goes: never
 * part of a partial, given to 'cxmine merge' instead. */
static const char *const output_only[]
    = { "json",        "csv",    "output",    "top",     "render",   "render-timeout",
        "verbose",     "memory", "partial",   "side",    "log-name", "case-ids",
        "activities",  "paths",  "max-nodes", "rankdir", "metric",   "map-share",
        "map-changes", "strict", "labels",    "threads", "progress", NULL };

/* Of them, those that take a value. */
static const char *const output_valued[]
    = { "output",   "top",       "render",      "render-timeout", "memory",    "partial",
        "log-name", "side",      "activities",  "paths",          "max-nodes", "rankdir",
        "metric",   "map-share", "map-changes", "labels",         "threads",   NULL };

gboolean
cx_cli_option_takes_value(const char *name)
{
  return g_strv_contains(output_valued, name);
}

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
canonical_options(void)
{
  g_autoptr(GPtrArray) tok = g_ptr_array_new();
  guint nb = st.argv_before ? g_strv_length(st.argv_before) : 0;
  guint na = st.argv_after ? g_strv_length(st.argv_after) : 0;
  /* the files are what parsing left: take them out, matching from the end */
  g_autofree gboolean *file = g_new0(gboolean, MAX(nb, 1));
  for (gint i = (gint)na - 1, k = (gint)nb - 1; i >= 1 && k >= 1; k--)
    if (strcmp(st.argv_before[k], st.argv_after[i]) == 0) {
      file[k] = TRUE;
      i--;
    }
  GPtrArray *units = g_ptr_array_new_with_free_func(g_free);
  GString *cur = NULL;
  for (guint k = 1; k < nb; k++) {
    const char *t = st.argv_before[k];
    if (file[k] || strcmp(t, "--") == 0)
      continue;
    if (t[0] == '-' && t[1] != '\0') {
      if (cur != NULL)
        g_ptr_array_add(units, g_string_free(cur, FALSE));
      if (t[1] != '-' && long_of(t[1]) != NULL) {
        cur = g_string_new("--");
        g_string_append(cur, long_of(t[1]));
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
      g_string_append_printf(cur, "=%s", st.argv_before[++k]);
    }
  }
  if (cur != NULL)
    g_ptr_array_add(units, g_string_free(cur, FALSE));
  GPtrArray *kept = g_ptr_array_new();
  for (guint i = 0; i < units->len; i++) {
    g_autofree char *name = unit_name(g_ptr_array_index(units, i));
    if (!g_strv_contains(output_only, name))
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
cx_cli_partial_wanted(void)
{
  return st.path != NULL;
}

int
cx_cli_partial_write(CxLog *log, const char *cmd, const char *side)
{
  if (st.path == NULL)
    return -1;
  g_autofree char *path = g_steal_pointer(&st.path);
  const CxReadOptions *o = cx_log_options(log);
  const char *whole = cx_filter_chain_whole_log(o->filters);
  if (o->top_variants > 0 || whole != NULL)
    return cx_cli_usage(cmd,
                        "%s needs the whole log first (a rank or share over all cases), so it "
                        "cannot be used with --partial",
                        whole != NULL ? whole : "--top-variants");
  int rc = cx_cli_output_check(cmd, path);
  if (rc != CX_EXIT_OK)
    return rc;
  g_auto(GStrv) options = canonical_options();
  g_autoptr(GError) error = NULL;
  gboolean case_ids = st.argv_before != NULL
                      && g_strv_contains((const char *const *)st.argv_before, "--case-ids");
  if (!cx_partial_write(log, cmd, side != NULL ? side : "", (const char *const *)options, case_ids,
                        path, &error)) {
    cx_cli_error(error);
    return CX_EXIT_FAIL;
  }
  return CX_EXIT_OK;
}

/* ---- merging ---- */

void
cx_cli_partial_add_group(const char *token, CxPartial *p)
{
  if (st.groups == NULL)
    st.groups
        = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_ptr_array_unref);
  GPtrArray *g = g_hash_table_lookup(st.groups, token);
  if (g == NULL) {
    g = g_ptr_array_new();
    g_hash_table_insert(st.groups, g_strdup(token), g);
  }
  g_ptr_array_add(g, p);
}

gboolean
cx_cli_partial_merging(void)
{
  return st.groups != NULL;
}

gboolean
cx_cli_partial_apply(CxLog *log, char **files, GError **error)
{
  for (char **f = files; f != NULL && *f != NULL; f++) {
    /* the token is "SIDE:" (compare's before/after, or empty) */
    GPtrArray *g = g_hash_table_lookup(st.groups, *f);
    if (g == NULL) {
      g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                  "'%s': files cannot be added to a merge", *f);
      return FALSE;
    }
    const char *colon = strchr(*f, ':');
    g_autofree char *side = g_strndup(*f, colon != NULL ? (gsize)(colon - *f) : strlen(*f));
    for (guint i = 0; i < g->len; i++) {
      cx_log_add_partial(log, g_ptr_array_index(g, i), side);
      cx_cli_inputs_note(cx_partial_path(g_ptr_array_index(g, i)));
    }
  }
  return TRUE;
}

void
cx_cli_partial_clear(void)
{
  g_clear_pointer(&st.path, g_free);
  g_clear_pointer(&st.argv_before, g_strfreev);
  g_clear_pointer(&st.argv_after, g_strfreev);
  g_clear_pointer(&st.groups, g_hash_table_destroy);
}
