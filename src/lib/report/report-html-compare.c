/* cxmine — the report's comparison section: two logs, a split or segments
 * (--by), as `cxmine compare` makes them, with their maps. */
#include "report-html-private.h"
#include <math.h>
#include <string.h>

/* One comparison: the headline in words, then the measures that moved
 * (at most @rows; with @judged only those better or worse). */
static void
cmp_block(GString *o, const CxCompare *c, guint rows, gboolean judged)
{
  const CxCompareOptions *co = cx_compare_options(c);
  g_autoptr(GString) text = g_string_new(NULL);
  cx_compare_to_text(c, 8, FALSE, text);
  /* the headline in words: the paragraph after the title line ("B (n
   * journeys) vs A (n journeys)"), its sentences and what the figures read */
  const char *head = strstr(text->str, "\n\n");
  head = head != NULL ? head + 2 : text->str;
  const char *end = strstr(head, "\n\n");
  g_autofree char *para = g_strndup(head, end != NULL ? (gsize)(end - head) : strlen(head));
  g_string_append(o, "<pre class=\"text\">");
  cx_escape_html(o, para);
  g_string_append(o, "</pre>");
  guint n;
  const CxCompareItem *it = cx_compare_items(c, &n);
  g_string_append(o, "<table><tr><th>measure</th><th>what</th><th class=\"r\">");
  cx_escape_html(o, co->names[0]);
  g_string_append(o, "</th><th class=\"r\">");
  cx_escape_html(o, co->names[1]);
  g_string_append(o, "</th><th>change</th></tr>");
  guint shown = 0;
  for (guint i = 0; i < n && shown < rows; i++) {
    if (it[i].direction == CX_CHANGE_SAME
        || (judged && it[i].direction != CX_CHANGE_BETTER && it[i].direction != CX_CHANGE_WORSE))
      continue;
    shown++;
    gboolean by_sample = it[i].sample_change != CX_CHANGE_SAME && isfinite(it[i].median[0]);
    /* the samples are times but for counts and scores */
    gboolean plain
        = it[i].kind == CX_COMPARE_HEADLINE
          && (it[i].headline == CX_COMPARE_INSTANCES || it[i].headline == CX_COMPARE_SATISFACTION);
    gboolean by_time = by_sample && !plain;
    static const char *kinds[] = { "headline", "activity", "path", "variant", "friction" };
    g_string_append(o, "<tr><td>");
    cx_escape_html(o, it[i].name);
    g_string_append_printf(o, "</td><td>%s %s</td>", kinds[it[i].kind],
                           by_sample ? "median" : "share of journeys");
    for (int k = 0; k < 2; k++) {
      g_string_append(o, "<td class=\"r\">");
      if (by_time) {
        cx_html_dur(o, it[i].median[k]);
      } else if (by_sample) {
        g_autofree char *v = cx_format_number(it[i].median[k], 1);
        char exact[G_ASCII_DTOSTR_BUF_SIZE];
        g_ascii_formatd(exact, sizeof exact, "%.6g", it[i].median[k]);
        g_string_append_printf(o, "<span class=\"n\" title=\"%s\">%s</span>", exact, v);
      } else {
        cx_html_share(o, it[i].case_rate[k]);
      }
      g_string_append(o, "</td>");
    }
    const char *ch = cx_change_name(it[i].direction);
    g_string_append_printf(o, "<td class=\"%s\">%s</td></tr>", ch, ch);
  }
  if (shown == 0)
    g_string_append_printf(o,
                           "<tr><td colspan=\"5\">No measure got %s beyond chance and the "
                           "minimum effect.</td></tr>",
                           judged ? "better or worse" : "changed");
  g_string_append(o, "</table>");
}

/* The comparison map's picture, in a div (@seg >= 0: the segment it shows,
 * hidden unless @shown). */
static gboolean
cmp_map_div(CxReport *r, GString *o, const CxCompare *c, gint seg, gboolean shown, GError **error)
{
  if (seg >= 0)
    g_string_append_printf(o, "<div class=\"cmpmap\" data-seg=\"%d\"%s>", seg,
                           shown ? "" : " hidden");
  else
    g_string_append(o, "<div class=\"cmpmap\">");
  g_autoptr(GString) dot = g_string_new(NULL);
  cx_compare_to_dot(c, 0.05, 10, dot);
  g_autofree char *svg = cx_html_render_svg(dot, r->opts.render_timeout_s, error);
  if (svg == NULL)
    return FALSE;
  g_string_append(o, svg);
  g_string_append(o, "</div>");
  return TRUE;
}

static void
cmp_map_legend(GString *o)
{
  g_string_append(o, "<p class=\"muted\">Green: better, red: worse, blue: changed, grey: the "
                     "same. Labels: share of journeys, the first side → the second.</p>");
}

static gboolean
cmp_map(CxReport *r, GString *o, const CxCompare *c, GError **error)
{
  g_string_append(o, "<h3>Comparison map</h3>");
  cmp_map_legend(o);
  return cmp_map_div(r, o, c, -1, TRUE, error);
}

#define MAX_SEGMENT_MAPS 8

static gint
by_cases_desc(gconstpointer x, gconstpointer y, gpointer data)
{
  const CxCompareBy *b = data;
  guint64 n[2];
  double med, share;
  gint64 lost;
  const char *top;
  cx_compare_by_row(b, *(const guint *)x, &n[0], &med, &share, &lost, &top);
  cx_compare_by_row(b, *(const guint *)y, &n[1], &med, &share, &lost, &top);
  if (n[0] != n[1])
    return n[0] > n[1] ? -1 : 1;
  return *(const guint *)x < *(const guint *)y ? -1 : *(const guint *)x > *(const guint *)y;
}

/* --by: the overview of the segments, then each segment vs the rest (or
 * the baseline), as `cxmine compare --by KEY` reports them. */
static gboolean
sec_segments(CxReport *r, GString *o, GError **error)
{
  const CxCompareBy *b = r->cmp_by;
  guint n = cx_compare_by_n_segments(b);
  gint base = cx_compare_by_baseline(b);
  g_string_append(o, "<p>Segments by <b>");
  cx_escape_html(o, cx_compare_by_key(b));
  g_string_append_printf(o, "</b> (%u), ", n);
  if (base >= 0) {
    g_string_append(o, "each compared with <b>");
    cx_escape_html(o, cx_compare_by_label(b, (guint)base));
    g_string_append(o, "</b>");
  } else {
    g_string_append(o, "each compared with the rest of the journeys");
  }
  g_string_append(o, ", as <code>cxmine compare --by</code> reports them. ");
  cx_escape_html(o, cx_compare_by_rule(b));
  g_string_append(o, "</p><table><tr><th>segment</th><th class=\"r\">journeys</th><th "
                     "class=\"r\">median duration</th><th class=\"r\">success share</th><th "
                     "class=\"r\">customers lost</th><th>top friction</th></tr>");
  for (guint i = 0; i < n; i++) {
    guint64 cases;
    double med, share;
    gint64 lost;
    const char *top;
    cx_compare_by_row(b, i, &cases, &med, &share, &lost, &top);
    g_string_append(o, "<tr><td>");
    cx_escape_html(o, cx_compare_by_label(b, i));
    g_string_append(o, "</td><td class=\"r\">");
    cx_html_count(o, cases);
    g_string_append(o, "</td><td class=\"r\">");
    cx_html_dur(o, med);
    g_string_append(o, "</td><td class=\"r\">");
    cx_html_share(o, share);
    g_string_append(o, "</td><td class=\"r\">");
    if (lost >= 0)
      cx_html_count(o, (guint64)lost);
    else
      g_string_append(o, "–");
    g_string_append(o, "</td><td>");
    cx_escape_html(o, top != NULL ? top : "–");
    g_string_append(o, "</td></tr>");
  }
  g_string_append(o, "</table>");
  /* each segment: the headline and what got better or worse */
  gboolean first = TRUE;
  for (guint i = 0; i < n; i++) {
    const CxCompare *c = cx_compare_by_get(b, i);
    if (c == NULL)
      continue;
    const CxCompareOptions *co = cx_compare_options(c);
    g_string_append_printf(o, "<details class=\"cmpseg\"%s><summary><b>", first ? " open" : "");
    cx_escape_html(o, co->names[1]);
    g_string_append(o, "</b> vs ");
    cx_escape_html(o, co->names[0]);
    g_string_append(o, "</summary>");
    cmp_block(o, c, 6, TRUE);
    g_string_append(o, "</details>");
    first = FALSE;
  }
  /* the maps of the largest compared segments (a dot run each), one shown
   * at a time: the largest first */
  g_autoptr(GArray) order = g_array_new(FALSE, FALSE, sizeof(guint));
  for (guint i = 0; i < n; i++)
    if (cx_compare_by_get(b, i) != NULL)
      g_array_append_val(order, i);
  g_array_sort_with_data(order, by_cases_desc, (gpointer)b);
  guint nm = MIN(order->len, MAX_SEGMENT_MAPS);
  if (nm == 0)
    return TRUE;
  g_string_append(o, "<h3>Comparison map</h3><p><label for=\"cmpsel\">Segment: </label><select "
                     "id=\"cmpsel\">");
  for (guint m = 0; m < nm; m++) {
    guint i = g_array_index(order, guint, m);
    const CxCompareOptions *co = cx_compare_options(cx_compare_by_get(b, i));
    g_string_append_printf(o, "<option value=\"%u\">", i);
    cx_escape_html(o, co->names[1]);
    g_string_append(o, " vs ");
    cx_escape_html(o, co->names[0]);
    g_string_append(o, "</option>");
  }
  g_string_append(o, "</select>");
  if (order->len > nm)
    g_string_append_printf(o, " <span class=\"muted\">(the %u largest of %u segments)</span>", nm,
                           order->len);
  g_string_append(o, "</p>");
  cmp_map_legend(o);
  for (guint m = 0; m < nm; m++) {
    guint i = g_array_index(order, guint, m);
    if (!cmp_map_div(r, o, cx_compare_by_get(b, i), (gint)i, m == 0, error))
      return FALSE;
  }
  return TRUE;
}

gboolean
cx_html_sec_compare(CxReport *r, GString *o, GError **error)
{
  if (r->compare == NULL && r->cmp_by == NULL)
    return TRUE;
  cx_html_section_open(o, "compare", "Comparison");
  if (r->cmp_by != NULL) {
    if (!sec_segments(r, o, error))
      return FALSE;
    g_string_append(o, "</section>\n");
    return TRUE;
  }
  const CxCompareOptions *co = cx_compare_options(r->compare);
  g_string_append(o, "<p><b>");
  cx_escape_html(o, co->names[0]);
  g_string_append(o, "</b> compared with <b>");
  cx_escape_html(o, co->names[1]);
  g_string_append(o, "</b>. ");
  if (co->success_rule != NULL)
    cx_escape_html(o, co->success_rule);
  g_string_append(o, "</p>");
  cmp_block(o, r->compare, 25, FALSE);
  if (!cmp_map(r, o, r->compare, error))
    return FALSE;
  g_string_append(o, "</section>\n");
  return TRUE;
}
