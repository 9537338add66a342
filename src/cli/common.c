/* What every command shares: the run's context, the GOption preamble (one
 * context per command, its groups, the help text, parsing, usage errors)
 * and the messages on stderr. */
#include "cmd.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void
cx_cli_init(CxCli *cli)
{
  *cli = (CxCli){ 0 };
  cli->output_only = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  cli->output_valued = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
}

void
cx_cli_clear(CxCli *cli)
{
  g_clear_pointer(&cli->inputs, g_array_unref);
  g_clear_pointer(&cli->told, g_hash_table_destroy);
  g_clear_pointer(&cli->partial_path, g_free);
  g_clear_pointer(&cli->argv_before, g_strfreev);
  g_clear_pointer(&cli->argv_after, g_strfreev);
  g_clear_pointer(&cli->groups, g_hash_table_destroy);
  g_clear_pointer(&cli->output_only, g_hash_table_destroy);
  g_clear_pointer(&cli->output_valued, g_hash_table_destroy);
}

/* A copy of @entries without the CX_CLI_OUTPUT_ONLY marks, which go to
 * @cli->output_only ("--name" and "-c" -> "name"). */
static GOptionEntry *
unmarked(CxCli *cli, const GOptionEntry *entries)
{
  gsize n = 0;
  while (entries[n].long_name != NULL)
    n++;
  GOptionEntry *copy = g_memdup2(entries, sizeof(GOptionEntry) * (n + 1));
  for (gsize i = 0; i < n; i++) {
    if ((copy[i].flags & CX_CLI_OUTPUT_ONLY) == 0)
      continue;
    copy[i].flags &= ~CX_CLI_OUTPUT_ONLY;
    g_hash_table_replace(cli->output_only, g_strconcat("--", copy[i].long_name, NULL),
                         g_strdup(copy[i].long_name));
    if (copy[i].arg != G_OPTION_ARG_NONE)
      g_hash_table_add(cli->output_valued, g_strdup(copy[i].long_name));
    if (copy[i].short_name != '\0')
      g_hash_table_replace(cli->output_only, g_strdup_printf("-%c", copy[i].short_name),
                           g_strdup(copy[i].long_name));
  }
  return copy;
}

void
cx_cli_add_entries(CxCli *cli, GOptionGroup *group, const GOptionEntry *entries)
{
  g_autofree GOptionEntry *copy = unmarked(cli, entries);
  g_option_group_add_entries(group, copy);
}

GOptionContext *
cx_cli_command_context(CxCli *cli, const CxCliCommand *c)
{
  GOptionContext *ctx = g_option_context_new(c->parameter);
  if (c->summary != NULL)
    g_option_context_set_summary(ctx, c->summary);
  if (c->description != NULL)
    g_option_context_set_description(ctx, c->description);
  if (c->entries != NULL) {
    g_autofree GOptionEntry *copy = unmarked(cli, c->entries);
    g_option_context_add_main_entries(ctx, copy, NULL);
  }
  if (c->read != NULL) {
    g_option_context_add_group(ctx, cx_cli_read_group(c->read));
    g_option_context_add_group(ctx, cx_cli_filter_group(c->read));
  }
  if (c->outcome != NULL)
    g_option_context_add_group(ctx, cx_cli_outcome_group(c->outcome));
  if (c->partial)
    g_option_context_add_group(ctx, cx_cli_partial_group(cli));
  return ctx;
}

static int
cmp_str(gconstpointer a, gconstpointer b)
{
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* 'cxmine COMMAND --list-output-options': the options marked
 * CX_CLI_OUTPUT_ONLY, by long name, one a line (scripts/cxmine-dask) */
static void
list_output_options(CxCli *cli)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new();
  GHashTableIter it;
  gpointer key, value;
  g_hash_table_iter_init(&it, cli->output_only);
  while (g_hash_table_iter_next(&it, &key, &value))
    if (g_str_has_prefix(key, "--"))
      g_ptr_array_add(names, value);
  g_ptr_array_sort(names, cmp_str);
  for (guint i = 0; i < names->len; i++)
    printf("%s\n", (const char *)g_ptr_array_index(names, i));
}

int
cx_cli_command_parse(CxCli *cli, const CxCliCommand *c, int *argc, char ***argv)
{
  g_autoptr(GOptionContext) ctx = cx_cli_command_context(cli, c);
  int rc = cx_cli_parse(cli, ctx, c->name, argc, argv);
  if (rc >= 0) {
    if (c->read != NULL)
      cx_cli_read_clear(c->read);
    if (c->outcome != NULL) {
      g_clear_pointer(&c->outcome->success, g_free);
      g_clear_pointer(&c->outcome->open_after, g_free);
    }
  }
  return rc;
}

/* GOption's "Unknown option --X" as "unknown option '--X'", with the
 * command's nearest options (taken from its full help text). */
static char *
option_error(GOptionContext *ctx, const GError *error)
{
  const char *prefix = "Unknown option ";
  if (!g_error_matches(error, G_OPTION_ERROR, G_OPTION_ERROR_UNKNOWN_OPTION)
      || !g_str_has_prefix(error->message, prefix))
    return g_strdup(error->message);
  g_autofree char *typed = g_strdup(error->message + strlen(prefix));
  char *eq = strchr(typed, '=');
  if (eq != NULL)
    *eq = '\0';
  g_autoptr(CxSuggest) near = cx_suggest_new(typed);
  g_autofree char *help = g_option_context_get_help(ctx, FALSE, NULL);
  for (const char *p = strstr(help, "--"); p != NULL; p = strstr(p + 2, "--")) {
    gsize n = 2;
    while (g_ascii_isalnum(p[n]) || p[n] == '-')
      n++;
    g_autofree char *opt = g_strndup(p, n);
    if (n > 3 && !g_str_has_prefix(opt, "--help"))
      cx_suggest_add(near, opt);
  }
  g_autofree char *hint = cx_suggest_phrase(near, 3);
  return g_strdup_printf("unknown option '%s'%s", typed, hint);
}

int
cx_cli_parse(CxCli *cli, GOptionContext *ctx, const char *cmd, int *argc, char ***argv)
{
  if (cli->describe)
    return CX_EXIT_OK;
  if (*argc == 2 && strcmp((*argv)[1], "--list-output-options") == 0) {
    list_output_options(cli);
    return CX_EXIT_OK;
  }
  g_autoptr(GError) error = NULL;
  /* every command reads logs: --help states the input limits and what changes them */
  g_autofree char *desc = g_strdup(g_option_context_get_description(ctx));
  if (desc != NULL)
    g_strchomp(desc);
  g_autofree char *full = g_strdup_printf(
      "%s%sInput limits (docs/ARCHITECTURE.md):\n"
      "  times 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z (--skip-invalid drops others)\n"
      "  a used CSV value or an XES attribute value: 1 MiB; an XES start tag: 2 MiB and 1000 "
      "attributes\n"
      "  grouped events: --memory SIZE (default 1G; past it they spill to sorted runs in "
      "$TMPDIR)\n",
      desc != NULL ? desc : "", desc != NULL ? "\n\n" : "");
  g_option_context_set_description(ctx, full);
  g_auto(GStrv) before = g_strdupv(*argv);
  if (!g_option_context_parse(ctx, argc, argv, &error)) {
    g_autofree char *msg = option_error(ctx, error);
    fprintf(stderr, "cxmine %s: %s\nTry 'cxmine %s --help'.\n", cmd, msg, cmd);
    return CX_EXIT_USAGE;
  }
  /* noted for --partial: the options of a partial are the command line's */
  g_strfreev(cli->argv_before);
  g_strfreev(cli->argv_after);
  cli->argv_before = g_steal_pointer(&before);
  cli->argv_after = g_strdupv(*argv);
  return -1;
}

void
cx_cli_error(const GError *error)
{
  fprintf(stderr, "cxmine: %s\n", error->message);
}

void
cx_cli_notice(CxNoticeLevel level, const char *code, const char *message, gpointer user_data)
{
  CxCli *cli = user_data;
  (void)code;
  if (level == CX_NOTICE_VERBOSE) {
    fprintf(stderr, "%s\n", message);
    return;
  }
  /* each distinct warning once per run, whichever pass or source repeats it */
  if (cli->told == NULL)
    cli->told = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  if (!g_hash_table_add(cli->told, g_strdup(message)))
    return;
  if (level == CX_NOTICE_INFO)
    fprintf(stderr, "cxmine: %s\n", message);
  else
    fprintf(stderr, "cxmine: warning: %s\n", message);
}

int
cx_cli_usage(const char *cmd, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  g_autofree char *msg = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  fprintf(stderr, "cxmine %s: %s\nTry 'cxmine %s --help'.\n", cmd, msg, cmd);
  return CX_EXIT_USAGE;
}

gboolean
cx_cli_parse_date(const char *s, const char *what, gint64 *out, GError **error)
{
  if (cx_time_parse_iso(s, strlen(s), NULL, out, NULL))
    return TRUE;
  g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
              "%s: '%s' is not a date (use YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS)", what, s);
  return FALSE;
}
