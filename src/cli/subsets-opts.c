/* Options and helpers shared by the commands that look at subsets of
 * journeys: cases, trend, resources. */
#include "cmd.h"
#include <string.h>

GOptionGroup *
cx_cli_outcome_group(CxCliOutcome *o)
{
  GOptionEntry entries[]
      = { { "success", 0, 0, G_OPTION_ARG_STRING, &o->success,
            "Successful end activities (default: inferred, as in 'cxmine friction --help')",
            "A[,B...]" },
          { "open-after", 0, 0, G_OPTION_ARG_STRING, &o->open_after,
            "Journeys whose last event is less than DURATION before the log's last timestamp are "
            "still open (30d, 12h, 90m, 45s; 0 = none; default: inferred)",
            "DURATION" },
          { NULL } };
  GOptionGroup *g
      = g_option_group_new("outcome", "Outcome options:", "Show outcome options", NULL, NULL);
  g_option_group_add_entries(g, entries);
  return g;
}

gboolean
cx_cli_outcome_apply(CxCliOutcome *o, char ***success, gint64 *open_after_us, GError **error)
{
  g_autofree char *succ = g_steal_pointer(&o->success);
  g_autofree char *open = g_steal_pointer(&o->open_after);
  *success = NULL;
  *open_after_us = CX_OUTCOME_OPEN_INFER;
  if (open != NULL && strcmp(open, "0") == 0)
    *open_after_us = 0; /* no journey is open */
  else if (open != NULL && !cx_cli_parse_duration(open, "--open-after", open_after_us, error))
    return FALSE;
  if (succ != NULL) {
    g_auto(GStrv) parts = g_strsplit(succ, ",", -1);
    g_autoptr(GStrvBuilder) b = g_strv_builder_new();
    for (char **p = parts; *p != NULL; p++) {
      if (*g_strstrip(*p) == '\0') {
        g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                    "--success: expected activity names separated by commas, got '%s'", succ);
        return FALSE;
      }
      g_strv_builder_add(b, *p);
    }
    *success = g_strv_builder_end(b);
    if ((*success)[0] == NULL) {
      g_clear_pointer(success, g_strfreev);
      g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "--success: no activity given");
      return FALSE;
    }
  }
  return TRUE;
}

int
cx_cli_outcome_settle(const char *cmd, const char *bad, CxCliRead *r, CxCliOutcome *oc,
                      char ***success, gint64 *open_after_us)
{
  g_autoptr(GError) error = NULL;
  if (bad == NULL && !cx_cli_outcome_apply(oc, success, open_after_us, &error))
    bad = error->message;
  if (bad == NULL)
    return -1;
  cx_cli_read_clear(r);
  g_clear_pointer(&oc->success, g_free);
  g_clear_pointer(&oc->open_after, g_free);
  return cx_cli_usage(cmd, "%s", bad);
}

int
cx_cli_case_table_open(CxCli *cli, const char *cmd, const char *bad, CxCliRead *r, CxCliOutcome *oc,
                       char **files, const char *out_path, CxLog **log, CxCaseTable **t)
{
  g_auto(GStrv) success = NULL;
  gint64 open_after;
  int rc = cx_cli_outcome_settle(cmd, bad, r, oc, &success, &open_after);
  if (rc >= 0)
    return rc;
  g_autoptr(CxLog) l = cx_cli_read_log(cmd, r, files);
  if (l == NULL)
    return CX_EXIT_USAGE;
  rc = cx_cli_output_check(cli, cmd, out_path);
  if (rc != CX_EXIT_OK)
    return rc;
  g_autoptr(GError) error = NULL;
  g_autoptr(CxCaseTable) table = cx_case_table_new(l, (const char *const *)success, open_after);
  if (!cx_log_scan(l, cx_case_table_add, cx_case_table_reset, table, &error)) {
    cx_cli_error(error);
    return CX_EXIT_FAIL;
  }
  cx_case_table_finish(table);
  if (!cx_outcome_check(cx_case_table_outcome(table), &error)) {
    cx_cli_error(error);
    return CX_EXIT_FAIL;
  }
  *log = g_steal_pointer(&l);
  *t = g_steal_pointer(&table);
  return -1;
}

GTimeZone *
cx_cli_display_zone(CxLog *log)
{
  /* --display-timezone, else --timezone, else UTC (../shared/DECISIONS.md) */
  GTimeZone *z = cx_log_display_tz(log);
  return z != NULL ? g_time_zone_ref(z) : g_time_zone_new_utc();
}

CxCliForm
cx_cli_form(gboolean json, gboolean csv, const char *path)
{
  if (json)
    return CX_CLI_JSON;
  if (csv)
    return CX_CLI_CSV;
  if (path != NULL && g_str_has_suffix(path, ".csv"))
    return CX_CLI_CSV;
  if (path != NULL && g_str_has_suffix(path, ".json"))
    return CX_CLI_JSON;
  return CX_CLI_TEXT;
}
