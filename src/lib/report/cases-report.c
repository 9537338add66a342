/* cxmine cases as text for people (times in @tz), CSV and JSON: one line per journey. */
#include "table-text-private.h"
#include "cxmine/cases.h"
#include "cxmine/calendar.h"
#include "cxmine/json-writer.h"
#include "cxmine/output.h"
#include "cxmine/timestamp.h"
#include <math.h>
#include <string.h>

static char *
local_time(gint64 t, GTimeZone *tz)
{
  if (t == CX_TS_NONE)
    return g_strdup("-");
  g_autoptr(GDateTime) u = g_date_time_new_from_unix_utc(t / CX_USEC_PER_SEC);
  g_autoptr(GDateTime) l = g_date_time_to_timezone(u, tz);
  return g_date_time_format(l, "%Y-%m-%d %H:%M:%S");
}

static gint64
duration_us(const CxCaseRow *r)
{
  return r->duration;
}

void
cx_case_table_to_text(CxLog *log, CxCaseTable *t, GTimeZone *tz, GString *out)
{
  guint n;
  const CxCaseRow *const *rows = cx_case_table_sorted(t, &n);
  CxPool *cases = cx_log_cases(log);
  guint64 counts[3] = { 0 };
  gsize w_case = strlen("case");
  for (guint i = 0; i < n; i++) {
    counts[rows[i]->outcome]++;
    w_case = MAX(w_case, (gsize)g_utf8_strlen(cx_pool_get(cases, rows[i]->case_id), -1));
  }
  g_autofree char *total = cx_format_count(n);
  g_autofree char *ns = cx_format_count(counts[CX_OUTCOME_SUCCESS]);
  g_autofree char *nd = cx_format_count(counts[CX_OUTCOME_DROPOFF]);
  g_autofree char *no = cx_format_count(counts[CX_OUTCOME_OPEN]);
  CxOutcome *o = cx_case_table_outcome(t);
  g_string_append_printf(out,
                         "%s cases: %s success, %s dropoff, %s open (times in %s)\n"
                         "success: %s\nopen: %s\n\n",
                         total, ns, nd, no, g_time_zone_get_identifier(tz), cx_outcome_explain(o),
                         cx_outcome_open_explain(o));
  g_string_append_printf(out, "%-*s  %-19s  %-19s  %10s  %7s  %-7s  %7s\n", (int)w_case, "case",
                         "start", "end", "duration", "steps", "outcome", "variant");
  for (guint i = 0; i < n; i++) {
    const CxCaseRow *r = rows[i];
    const char *id = cx_pool_get(cases, r->case_id);
    g_autofree char *s = local_time(r->first, tz);
    g_autofree char *e = local_time(r->last, tz);
    gint64 d = duration_us(r);
    g_autofree char *dur = d < 0 ? g_strdup("-") : cx_format_duration((double)d / 1e6);
    g_autofree char *steps = cx_format_count(r->steps);
    g_autofree char *rank = cx_format_count(r->variant_rank);
    /* pad by characters, not bytes: case ids may be UTF-8 */
    g_string_append(out, id);
    for (gsize k = (gsize)g_utf8_strlen(id, -1); k < w_case; k++)
      g_string_append_c(out, ' ');
    g_string_append_printf(out, "  %-19s  %-19s  %10s  %7s  %-7s  %7s\n", s, e, dur, steps,
                           cx_outcome_kind_name(r->outcome), rank);
  }
}

static void
iso_or_empty(GString *out, gint64 t)
{
  if (t != CX_TS_NONE) {
    g_autofree char *s = cx_time_format_iso(t);
    g_string_append(out, s);
  }
}

void
cx_case_table_to_csv(CxLog *log, CxCaseTable *t, GString *out)
{
  guint n;
  const CxCaseRow *const *rows = cx_case_table_sorted(t, &n);
  g_string_append(out, "case,start,end,duration_s,steps,outcome,variant_rank\n");
  for (guint i = 0; i < n; i++) {
    const CxCaseRow *r = rows[i];
    cx_csv_field(out, cx_pool_get(cx_log_cases(log), r->case_id));
    g_string_append_c(out, ',');
    iso_or_empty(out, r->first);
    g_string_append_c(out, ',');
    iso_or_empty(out, r->last);
    g_string_append_c(out, ',');
    gint64 d = duration_us(r);
    if (d >= 0) {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];
      g_string_append(out, g_ascii_dtostr(buf, sizeof buf, (double)d / 1e6));
    }
    g_string_append_printf(out, ",%u,%s,%u\n", r->steps, cx_outcome_kind_name(r->outcome),
                           r->variant_rank);
  }
}

void
cx_case_table_to_json(CxLog *log, CxCaseTable *t, GString *out)
{
  guint n;
  const CxCaseRow *const *rows = cx_case_table_sorted(t, &n);
  CxOutcome *o = cx_case_table_outcome(t);
  g_autoptr(CxJson) j = cx_json_new(out, TRUE);
  cx_json_begin_object(j);
  cx_calendar_json(cx_log_options(log)->calendar, j);
  cx_json_key(j, "cases_total");
  cx_json_int(j, n);
  cx_json_key(j, "success_rule");
  cx_json_string(j, cx_outcome_explain(o));
  cx_json_key(j, "open_rule");
  cx_json_string(j, cx_outcome_open_explain(o));
  cx_json_key(j, "cases");
  cx_json_begin_array(j);
  for (guint i = 0; i < n; i++) {
    const CxCaseRow *r = rows[i];
    cx_json_begin_object(j);
    cx_json_key(j, "case");
    cx_json_string(j, cx_pool_get(cx_log_cases(log), r->case_id));
    cx_json_key(j, "start");
    cx_json_time(j, r->first);
    cx_json_key(j, "end");
    cx_json_time(j, r->last);
    gint64 d = duration_us(r);
    cx_json_key_double(j, "duration_s", d < 0 ? NAN : (double)d / 1e6);
    cx_json_key(j, "steps");
    cx_json_int(j, r->steps);
    cx_json_key(j, "outcome");
    cx_json_string(j, cx_outcome_kind_name(r->outcome));
    cx_json_key(j, "variant_rank");
    cx_json_int(j, r->variant_rank);
    cx_json_end_object(j);
  }
  cx_json_end_array(j);
  cx_json_end_object(j);
  g_string_append_c(out, '\n');
}
