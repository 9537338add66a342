/* cxmine resources as text for people, JSON and a DOT hand-off map. */
#include "table-text-private.h"
#include "cxmine/resources.h"
#include "cxmine/cases.h"
#include "cxmine/calendar.h"
#include "cxmine/dot-writer.h"
#include "cxmine/json-writer.h"
#include "quantiles-private.h"
#include "cxmine/output.h"
#include <string.h>

void
cx_resources_to_text(CxLog *log, CxResources *res, CxCaseTable *t, guint top, GString *out)
{
  CxPool *pool = cx_log_resources(log);
  guint n, nh;
  const CxResource *rs = cx_resources_list(res, &n);
  const CxHandover *hs = cx_resources_handovers(res, &nh);
  g_autofree char *nr = cx_format_count(n);
  g_autofree char *nhs = cx_format_count(nh);
  g_string_append_printf(out, "%s resources, %s handover pairs\nsuccess: %s\n", nr, nhs,
                         cx_outcome_explain(cx_case_table_outcome(t)));
  if (cx_resources_unassigned(res) > 0) {
    g_autofree char *u = cx_format_count(cx_resources_unassigned(res));
    g_string_append_printf(out, "%s activity instances without a resource\n", u);
  }
  gsize w = strlen("resource");
  for (guint i = 0; i < n && (top == 0 || i < top); i++)
    w = MAX(w, (gsize)g_utf8_strlen(cx_pool_get(pool, rs[i].resource), -1));
  g_string_append_printf(out, "\n%-*s  %9s  %7s  %12s  %8s\n", (int)w, "resource", "instances",
                         "cases", "med. service", "success");
  for (guint i = 0; i < n && (top == 0 || i < top); i++) {
    const char *name = cx_pool_get(pool, rs[i].resource);
    g_autofree char *ins = cx_format_count(rs[i].instances);
    g_autofree char *cs = cx_format_count(rs[i].cases);
    g_autofree char *svc = cx_text_duration(rs[i].median_service_s);
    g_autofree char *su = cx_text_share(rs[i].success_share);
    g_string_append(out, name);
    for (gsize k = (gsize)g_utf8_strlen(name, -1); k < w; k++)
      g_string_append_c(out, ' ');
    g_string_append_printf(out, "  %9s  %7s  %12s  %8s\n", ins, cs, svc, su);
  }
  if (top > 0 && n > top)
    g_string_append_printf(out, "… %u more resources (use --top 0 for all)\n", n - top);
  g_string_append(out, "\nhandovers (who passes cases to whom)\n");
  g_string_append_printf(out, "%9s  %7s  %10s  %s\n", "count", "cases", "med. wait", "from → to");
  for (guint i = 0; i < nh && (top == 0 || i < top); i++) {
    g_autofree char *c = cx_format_count(hs[i].count);
    g_autofree char *cs = cx_format_count(hs[i].cases);
    g_autofree char *wt = cx_text_duration(hs[i].median_wait_s);
    g_string_append_printf(out, "%9s  %7s  %10s  %s → %s\n", c, cs, wt,
                           cx_pool_get(pool, hs[i].from), cx_pool_get(pool, hs[i].to));
  }
  if (top > 0 && nh > top)
    g_string_append_printf(out, "… %u more handover pairs (use --top 0 for all)\n", nh - top);
  cx_quantiles_note(out, cx_resources_quantile_rel_error(res) > 0);
}

void
cx_resources_to_json(CxLog *log, CxResources *res, guint top, GString *out)
{
  CxPool *pool = cx_log_resources(log);
  guint n, nh;
  const CxResource *rs = cx_resources_list(res, &n);
  const CxHandover *hs = cx_resources_handovers(res, &nh);
  g_autoptr(CxJson) j = cx_json_new(out, TRUE);
  cx_json_begin_object(j);
  cx_calendar_json(cx_log_options(log)->calendar, j);
  cx_json_key(j, "unassigned_instances");
  cx_json_int(j, (gint64)cx_resources_unassigned(res));
  cx_json_key(j, "resources_total");
  cx_json_int(j, n);
  cx_json_key(j, "resources");
  cx_json_begin_array(j);
  for (guint i = 0; i < n && (top == 0 || i < top); i++) {
    cx_json_begin_object(j);
    cx_json_key(j, "resource");
    cx_json_string(j, cx_pool_get(pool, rs[i].resource));
    cx_json_key(j, "instances");
    cx_json_int(j, (gint64)rs[i].instances);
    cx_json_key(j, "cases");
    cx_json_int(j, (gint64)rs[i].cases);
    cx_json_key(j, "services");
    cx_json_int(j, (gint64)rs[i].services);
    cx_json_key_double(j, "median_service_s", rs[i].median_service_s);
    cx_json_key(j, "success");
    cx_json_int(j, (gint64)rs[i].success);
    cx_json_key(j, "dropoff");
    cx_json_int(j, (gint64)rs[i].dropoff);
    cx_json_key(j, "open");
    cx_json_int(j, (gint64)rs[i].open);
    cx_json_key_double(j, "success_share", rs[i].success_share);
    cx_json_end_object(j);
  }
  cx_json_end_array(j);
  cx_json_key(j, "handovers_total");
  cx_json_int(j, nh);
  cx_json_key(j, "handovers");
  cx_json_begin_array(j);
  for (guint i = 0; i < nh && (top == 0 || i < top); i++) {
    cx_json_begin_object(j);
    cx_json_key(j, "from");
    cx_json_string(j, cx_pool_get(pool, hs[i].from));
    cx_json_key(j, "to");
    cx_json_string(j, cx_pool_get(pool, hs[i].to));
    cx_json_key(j, "count");
    cx_json_int(j, (gint64)hs[i].count);
    cx_json_key(j, "cases");
    cx_json_int(j, (gint64)hs[i].cases);
    cx_json_key(j, "waits");
    cx_json_int(j, (gint64)hs[i].waits);
    cx_json_key_double(j, "median_wait_s", hs[i].median_wait_s);
    cx_json_end_object(j);
  }
  cx_json_end_array(j);
  cx_json_key(j, "truncated");
  cx_json_bool(j, top > 0 && (n > top || nh > top));
  cx_json_key_double(j, "quantile_rel_error", cx_resources_quantile_rel_error(res));
  cx_json_end_object(j);
  g_string_append_c(out, '\n');
}

void
cx_resources_to_dot(CxLog *log, CxResources *res, guint top, GString *out)
{
  CxPool *pool = cx_log_resources(log);
  guint n, nh;
  const CxResource *rs = cx_resources_list(res, &n);
  const CxHandover *hs = cx_resources_handovers(res, &nh);
  g_autofree char *name = cx_log_display_name(log);
  g_autofree char *title = g_strdup_printf("%s: handover of work", name);
  g_autoptr(CxDot) dot = cx_dot_new(title, "LR");
  guint shown = top == 0 ? nh : MIN(nh, top);
  g_autofree char *legend = g_strdup_printf(
      "edges: the %u most frequent of %u handover pairs (count, median wait)", shown, nh);
  cx_dot_legend(dot, legend);
  g_autofree char *hours = cx_calendar_line(cx_log_options(log)->calendar);
  if (hours != NULL)
    cx_dot_legend(dot, hours);
  guint64 max_inst = n > 0 ? rs[0].instances : 0, max_count = nh > 0 ? hs[0].count : 0;
  g_autoptr(GHashTable) used = g_hash_table_new(g_direct_hash, g_direct_equal);
  for (guint i = 0; i < shown; i++) {
    g_hash_table_add(used, GUINT_TO_POINTER(hs[i].from));
    g_hash_table_add(used, GUINT_TO_POINTER(hs[i].to));
  }
  for (guint i = 0; i < n; i++) {
    if (!g_hash_table_contains(used, GUINT_TO_POINTER(rs[i].resource)))
      continue;
    g_autofree char *ins = cx_format_count(rs[i].instances);
    g_autofree char *label = g_strdup_printf("%s\n%s %s", cx_pool_get(pool, rs[i].resource), ins,
                                             rs[i].instances == 1 ? "instance" : "instances");
    char fill[8];
    double s = cx_dot_scale((double)rs[i].instances, (double)max_inst);
    cx_dot_color(CX_DOT_PALETTE_BLUE, s, fill);
    CxDotStyle st = { 0 };
    st.label = label;
    st.fill = fill;
    st.fontcolor = cx_dot_text_color(CX_DOT_PALETTE_BLUE, s);
    cx_dot_node(dot, cx_pool_get(pool, rs[i].resource), &st);
  }
  for (guint i = 0; i < shown; i++) {
    g_autofree char *c = cx_format_count(hs[i].count);
    g_autofree char *wt = cx_text_duration(hs[i].median_wait_s);
    g_autofree char *label = g_strdup_printf("%s\n%s", c, wt);
    CxDotStyle st = { 0 };
    st.label = label;
    st.penwidth = cx_dot_penwidth((double)hs[i].count, (double)max_count);
    cx_dot_edge(dot, cx_pool_get(pool, hs[i].from), cx_pool_get(pool, hs[i].to), &st);
  }
  cx_dot_write(dot, out);
}
