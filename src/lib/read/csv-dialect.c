/* The CSV reader's dialect: the delimiter, sniffed from the first lines,
 * and the columns' roles, from the header names and the options. */
#include "csv-private.h"
#include "cxmine/suggest.h"
#include <string.h>

/* ---------- delimiter detection ---------- */

/* Counts fields per line of @s for delimiter @d; returns the number of complete lines. */
static guint
count_fields(const char *s, gsize n, char d, guint *counts, guint max)
{
  guint lines = 0, fields = 1;
  gboolean quoted = FALSE, empty = TRUE;
  for (gsize i = 0; i < n && lines < max; i++) {
    char c = s[i];
    if (quoted) {
      if (c == '"')
        quoted = FALSE;
      continue;
    }
    if (c == '"')
      quoted = TRUE;
    else if (c == d)
      fields++;
    else if (c == '\n') {
      if (!empty)
        counts[lines++] = fields;
      fields = 1;
      empty = TRUE;
      continue;
    }
    if (c != '\r')
      empty = FALSE;
  }
  return lines;
}

char
cx_csv_sniff_delimiter(const char *s, gsize n, gboolean eof)
{
  static const char cands[] = { ',', ';', '\t', '|' };
  guint counts[SNIFF_LINES + 1];
  char best = ',';
  guint best_fields = 0;
  gboolean best_consistent = FALSE;
  for (gsize c = 0; c < G_N_ELEMENTS(cands); c++) {
    guint lines = count_fields(s, n, cands[c], counts, SNIFF_LINES);
    if (lines == 0 && eof && n > 0) {
      counts[0] = 1;
      for (gsize i = 0; i < n; i++)
        counts[0] += s[i] == cands[c];
      lines = 1;
    }
    if (lines == 0 || counts[0] < 2)
      continue;
    gboolean consistent = TRUE;
    for (guint l = 1; l < lines; l++)
      consistent = consistent && counts[l] == counts[0];
    if ((consistent && !best_consistent)
        || (consistent == best_consistent && counts[0] > best_fields)) {
      best = cands[c];
      best_fields = counts[0];
      best_consistent = consistent;
    }
  }
  return best;
}

/* ---------- header and mapping ---------- */

/* request-level ids (a case, a ticket, a request) before person-level ones
 * (a customer, whose history may hold many journeys) */
static const char *const case_names[]
    = { "case:concept:name", "case id",     "case_id",     "caseid", "case",
        "case number",       "ticket_id",   "ticket id",   "ticket", "request_id",
        "request id",        "customer_id", "customer id", NULL };
static const char *const activity_names[]
    = { "concept:name", "activity", "activity name", "activity_name", "event", "event name",
        "event_name",   "task",     "status",        "stage",         NULL };
static const char *const timestamp_names[] = { "time:timestamp",
                                               "timestamp",
                                               "complete timestamp",
                                               "end timestamp",
                                               "end_timestamp",
                                               "end",
                                               "end time",
                                               "end_time",
                                               "completed",
                                               "date",
                                               "datetime",
                                               "time",
                                               "event time",
                                               "event_time",
                                               "created_at",
                                               "created at",
                                               NULL };
static const char *const start_names[]
    = { "start_timestamp", "start timestamp", "start", "start time", "start_time", NULL };
static const char *const resource_names[]
    = { "org:resource", "resource", "user", "agent", "assignee", NULL };
static const char *const channel_names[] = { "channel", NULL };
static const char *const lifecycle_names[] = { "lifecycle:transition", "lifecycle", NULL };

gboolean
cx_csv_role_name(const char *name)
{
  const char *const *lists[] = { case_names,     activity_names, timestamp_names, start_names,
                                 resource_names, channel_names,  lifecycle_names };
  for (gsize l = 0; l < G_N_ELEMENTS(lists); l++)
    for (const char *const *n = lists[l]; *n != NULL; n++)
      if (g_ascii_strcasecmp(name, *n) == 0)
        return TRUE;
  return g_ascii_strncasecmp(name, "case:", 5) == 0;
}

static char *
column_list(const CxCsvReader *r)
{
  g_autoptr(GString) s = g_string_new(NULL);
  for (guint i = 0; i < r->header->len; i++) {
    if (i > 0)
      g_string_append(s, ", ");
    g_string_append(s, g_ptr_array_index(r->header, i));
  }
  return g_string_free(g_steal_pointer(&s), FALSE);
}

/* The columns named @name (exactly; else ignoring case): -1 when none, -2 when several. */
static int
find_column(const CxCsvReader *r, const char *name)
{
  for (int pass = 0; pass < 2; pass++) {
    int found = -1;
    for (guint i = 0; i < r->header->len; i++) {
      const char *h = g_ptr_array_index(r->header, i);
      if (pass == 0 ? strcmp(h, name) == 0 : g_ascii_strcasecmp(h, name) == 0) {
        if (found >= 0)
          return -2;
        found = (int)i;
      }
    }
    if (found >= 0)
      return found;
  }
  return -1;
}

static gboolean
ambiguous(const CxCsvReader *r, const char *name, GError **error)
{
  g_set_error(error, CX_READER_ERROR, CX_READER_ERROR_MAPPING,
              "%s:%" G_GUINT64_FORMAT ": ambiguous column '%s' (it appears more than once)",
              r->name, r->rec_line, name);
  return FALSE;
}

/* Maps one role: the option's column, else the first known name present
 * (NULL names = no detection).  An option of "" means none. */
static gboolean
map_role(CxCsvReader *r, const char *opt, const char *const *names, int *col, GError **error)
{
  *col = -1;
  if (opt != NULL) {
    if (*opt == '\0')
      return TRUE;
    int c = find_column(r, opt);
    if (c == -2)
      return ambiguous(r, opt, error);
    if (c == -1) {
      g_autofree char *list = column_list(r);
      g_autoptr(CxSuggest) near = cx_suggest_new(opt);
      for (guint i = 0; i < r->header->len; i++)
        cx_suggest_add(near, g_ptr_array_index(r->header, i));
      g_autofree char *hint = cx_suggest_list(near, 3);
      if (*hint != '\0')
        g_set_error(error, CX_READER_ERROR, CX_READER_ERROR_MAPPING,
                    "%s:%" G_GUINT64_FORMAT ": no column '%s'; did you mean %s? (columns: %s)",
                    r->name, r->rec_line, opt, hint, list);
      else
        g_set_error(error, CX_READER_ERROR, CX_READER_ERROR_MAPPING,
                    "%s:%" G_GUINT64_FORMAT ": no column '%s' (columns: %s)", r->name, r->rec_line,
                    opt, list);
      return FALSE;
    }
    *col = c;
    return TRUE;
  }
  for (gsize k = 0; names != NULL && names[k] != NULL; k++) {
    int c = -1;
    for (guint i = 0; i < r->header->len; i++) {
      if (g_ascii_strcasecmp(g_ptr_array_index(r->header, i), names[k]) != 0)
        continue;
      if (c >= 0)
        return ambiguous(r, g_ptr_array_index(r->header, i), error);
      c = (int)i;
    }
    if (c >= 0) {
      *col = c;
      return TRUE;
    }
  }
  return TRUE;
}

const char *
cx_csv_col_name(const CxCsvReader *r, int c)
{
  return c >= 0 ? g_ptr_array_index(r->header, (guint)c) : NULL;
}

gboolean
cx_csv_map_columns(CxCsvReader *r, GError **error)
{
  const CxReadOptions *o = r->opts;
  if (!map_role(r, o->case_col, case_names, &r->col_case, error))
    return FALSE;
  if (o->activity_cols != NULL && o->activity_cols[0] != NULL) {
    for (char **a = o->activity_cols; *a != NULL; a++) {
      int c;
      if (!map_role(r, *a, NULL, &c, error))
        return FALSE;
      if (c >= 0)
        g_array_append_val(r->col_act, c);
    }
  } else {
    int c;
    if (!map_role(r, NULL, activity_names, &c, error))
      return FALSE;
    if (c >= 0)
      g_array_append_val(r->col_act, c);
  }
  /* a start column is found by its header only when the timestamp column
   * was too: beside a named timestamp column, a "start" header may mean
   * anything, and it would change the order and the waits unseen */
  const char *const *starts = o->timestamp_col == NULL ? start_names : NULL;
  if (!map_role(r, o->timestamp_col, timestamp_names, &r->col_ts, error)
      || !map_role(r, o->start_col, starts, &r->col_start, error)
      || !map_role(r, o->resource_col, resource_names, &r->col_res, error)
      || !map_role(r, o->channel_col, channel_names, &r->col_chan, error)
      || !map_role(r, NULL, lifecycle_names, &r->col_lc, error))
    return FALSE;
  if (r->col_start == r->col_ts)
    r->col_start = -1;
  const char *missing = r->col_case < 0 ? "case id" : r->col_act->len == 0 ? "activity" : NULL;
  if (missing != NULL) {
    g_autofree char *list = column_list(r);
    g_set_error(error, CX_READER_ERROR, CX_READER_ERROR_MAPPING,
                "%s:%" G_GUINT64_FORMAT ": no %s column found (pass --%s; columns: %s)", r->name,
                r->rec_line, missing, r->col_case < 0 ? "case" : "activity", list);
    return FALSE;
  }
  for (guint i = 0; i < r->header->len; i++) {
    const char *h = g_ptr_array_index(r->header, i);
    int c = (int)i;
    if (g_str_has_prefix(h, "case:") && h[5] != '\0' && c != r->col_case)
      g_array_append_val(r->col_cattr, c);
  }
  if (o->verbose) {
    g_autoptr(GString) acts = g_string_new(NULL);
    for (guint k = 0; k < r->col_act->len; k++)
      g_string_append_printf(acts, "%s'%s'", k > 0 ? "+" : "",
                             cx_csv_col_name(r, g_array_index(r->col_act, int, k)));
    const char *roles[] = { "timestamp", "start", "resource", "channel", "lifecycle" };
    int cols[] = { r->col_ts, r->col_start, r->col_res, r->col_chan, r->col_lc };
    g_autoptr(GString) line = g_string_new(NULL);
    g_string_append_printf(line, "mapping: case='%s' activity=%s", cx_csv_col_name(r, r->col_case),
                           acts->str);
    for (gsize k = 0; k < G_N_ELEMENTS(roles); k++) {
      if (cols[k] >= 0)
        g_string_append_printf(line, " %s='%s'", roles[k], cx_csv_col_name(r, cols[k]));
      else
        g_string_append_printf(line, " %s=none", roles[k]);
    }
    g_string_append_printf(line, " case-attributes=%u delimiter='%s' (%s)", r->col_cattr->len,
                           r->delim == '\t' ? "\\t" : (char[]){ r->delim, '\0' }, r->name);
    cx_notice(o, CX_NOTICE_VERBOSE, "mapping", "%s", line->str);
  }
  return TRUE;
}
