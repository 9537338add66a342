/* The comparison map: a DOT union of both sides, coloured by meaning. */
#include "compare-private.h"
#include "cxmine/output.h"
#include "cxmine/dot-writer.h"
#include "cxmine/dfg.h"
#include <math.h>
#include <string.h>

/* green better, red worse, blue changed (no good direction), grey same */
static const char *
change_color(CxChange c)
{
  switch (c) {
    case CX_CHANGE_BETTER:
      return "#1a9850";
    case CX_CHANGE_WORSE:
      return "#d73027";
    case CX_CHANGE_CHANGED:
      return "#4575b4";
    case CX_CHANGE_SAME:
    default:
      return "#8c8c8c";
  }
}

static const char *
change_fill(CxChange c)
{
  switch (c) {
    case CX_CHANGE_BETTER:
      return "#d9f0d3";
    case CX_CHANGE_WORSE:
      return "#fddbc7";
    case CX_CHANGE_CHANGED:
      return "#dbe6f4";
    case CX_CHANGE_SAME:
    default:
      return "#f5f5f5";
  }
}

/* "before -> after" of the item's most telling numbers. */
static char *
dot_label(const CxCompareItem *it, gboolean edge)
{
  GString *s = g_string_new(NULL);
  if (!edge)
    g_string_append_printf(s, "%s\n", it->name);
  g_autofree char *r0 = cx_compare_fmt_share(it->case_rate[0]);
  g_autofree char *r1 = cx_compare_fmt_share(it->case_rate[1]);
  g_string_append_printf(s, "%s -> %s", r0, r1);
  /* on edges the wait line only when it changed: keeps the map legible */
  if ((it->n[0] > 0 || it->n[1] > 0) && (!edge || it->sample_change != CX_CHANGE_SAME)) {
    g_autofree char *m0 = cx_compare_fmt_dur(it->median[0]);
    g_autofree char *m1 = cx_compare_fmt_dur(it->median[1]);
    g_string_append_printf(s, "\nwait %s -> %s", m0, m1);
  }
  return g_string_free(s, FALSE);
}

static int
cmp_importance_desc(gconstpointer pa, gconstpointer pb)
{
  const CxCompareItem *a = *(const CxCompareItem *const *)pa;
  const CxCompareItem *b = *(const CxCompareItem *const *)pb;
  if (a->importance != b->importance)
    return a->importance > b->importance ? -1 : 1;
  return strcmp(a->name, b->name);
}

static double
item_max_cases(const CxCompareItem *it)
{
  return (double)MAX(it->cases[0], it->cases[1]);
}

static int
cmp_volume_desc(gconstpointer pa, gconstpointer pb)
{
  const CxCompareItem *a = *(const CxCompareItem *const *)pa;
  const CxCompareItem *b = *(const CxCompareItem *const *)pb;
  double va = item_max_cases(a), vb = item_max_cases(b);
  if (va != vb)
    return va > vb ? -1 : 1;
  return strcmp(a->name, b->name);
}

static int
cmp_starts_desc(gconstpointer pa, gconstpointer pb)
{
  const CxCompareItem *a = *(const CxCompareItem *const *)pa;
  const CxCompareItem *b = *(const CxCompareItem *const *)pb;
  /* the share of its journeys that start there: pure starts first */
  double ca = (double)(a->cases[0] + a->cases[1]), cb = (double)(b->cases[0] + b->cases[1]);
  double sa = ca > 0 ? (double)(a->starts[0] + a->starts[1]) / ca : 0;
  double sb = cb > 0 ? (double)(b->starts[0] + b->starts[1]) / cb : 0;
  if (sa != sb)
    return sa > sb ? -1 : 1;
  return cmp_volume_desc(pa, pb);
}

/* Back edges (cx_dfg_back_edges) of the shown @edges, walked from @nodes
 * (starts first) along the paths most journeys take; adds them to @back. */
static void
find_back_edges(GPtrArray *edges, GPtrArray *nodes, GHashTable *back)
{
  g_autoptr(GPtrArray) by_vol = g_ptr_array_copy(edges, NULL, NULL);
  g_ptr_array_sort(by_vol, cmp_volume_desc);
  g_autoptr(GPtrArray) roots = g_ptr_array_copy(nodes, NULL, NULL);
  g_ptr_array_sort(roots, cmp_starts_desc);
  /* node ids by name: the roots first, then any other end of an edge */
  g_autoptr(GHashTable) ids = g_hash_table_new(g_str_hash, g_str_equal);
  g_autofree guint32 *root_ids = g_new(guint32, MAX(roots->len, 1));
  for (guint r = 0; r < roots->len; r++) {
    const char *name = ((const CxCompareItem *)g_ptr_array_index(roots, r))->name;
    if (!g_hash_table_contains(ids, name))
      g_hash_table_insert(ids, (gpointer)name, GUINT_TO_POINTER(g_hash_table_size(ids)));
    root_ids[r] = GPOINTER_TO_UINT(g_hash_table_lookup(ids, name));
  }
  /* the arcs in volume order, all of one weight: the walk takes the earlier first */
  g_autofree CxDfgArc *arcs = g_new(CxDfgArc, MAX(by_vol->len, 1));
  for (guint i = 0; i < by_vol->len; i++) {
    const CxCompareItem *e = g_ptr_array_index(by_vol, i);
    const char *ends[2] = { e->from, e->to };
    guint32 id[2];
    for (int k = 0; k < 2; k++) {
      if (!g_hash_table_contains(ids, ends[k]))
        g_hash_table_insert(ids, (gpointer)ends[k], GUINT_TO_POINTER(g_hash_table_size(ids)));
      id[k] = GPOINTER_TO_UINT(g_hash_table_lookup(ids, ends[k]));
    }
    arcs[i] = (CxDfgArc){ id[0], id[1], 0 };
  }
  g_autofree guint8 *is_back = g_new0(guint8, MAX(by_vol->len, 1));
  cx_dfg_back_edges(arcs, by_vol->len, g_hash_table_size(ids), root_ids, roots->len, is_back);
  for (guint i = 0; i < by_vol->len; i++)
    if (is_back[i])
      g_hash_table_add(back, g_ptr_array_index(by_vol, i));
}

void
cx_compare_to_dot(const CxCompare *c, double min_share, guint max_changes, GString *out)
{
  const CxCompareItem *cases = cx_compare_headline(c, CX_COMPARE_CASES);
  g_autofree char *title = g_strdup_printf("%s vs %s", c->opts.names[0], c->opts.names[1]);
  g_autoptr(CxDot) dot = cx_dot_new(title, "TB");
  g_autofree char *hours
      = c->opts.business_hours == NULL
            ? NULL
            : g_strdup_printf("Times count business hours only: %s", c->opts.business_hours);
  if (hours != NULL)
    cx_dot_legend(dot, hours);
  double max_cases = 0;
  g_autoptr(GPtrArray) all_edges = g_ptr_array_new();
  g_autoptr(GPtrArray) changes = g_ptr_array_new();
  g_autoptr(GHashTable) acts = g_hash_table_new(g_str_hash, g_str_equal); /* name -> item */
  for (guint i = 0; i < c->items->len; i++) {
    const CxCompareItem *it = &g_array_index(c->items, CxCompareItem, i);
    if (it->kind == CX_COMPARE_EDGE) {
      max_cases = MAX(max_cases, MAX(it->cases[0], it->cases[1]));
      g_ptr_array_add(all_edges, (gpointer)it);
      if (it->significant)
        g_ptr_array_add(changes, (gpointer)it);
    } else if (it->kind == CX_COMPARE_ACTIVITY) {
      g_hash_table_insert(acts, it->name, (gpointer)it);
    }
  }
  /* what the map shows: the main flow (paths at least min_share of either
   * side's journeys take) and the max_changes most important significant
   * changes; the activities they join */
  g_ptr_array_sort(changes, cmp_importance_desc);
  g_autoptr(GHashTable) shown = g_hash_table_new(g_direct_hash, g_direct_equal);
  for (guint i = 0; i < changes->len && (max_changes == 0 || i < max_changes); i++)
    g_hash_table_add(shown, g_ptr_array_index(changes, i));
  for (guint i = 0; i < all_edges->len; i++) {
    const CxCompareItem *it = g_ptr_array_index(all_edges, i);
    if (MAX(it->case_rate[0], it->case_rate[1]) >= min_share)
      g_hash_table_add(shown, (gpointer)it);
  }
  g_autoptr(GPtrArray) edges = g_ptr_array_new();
  g_autoptr(GPtrArray) nodes = g_ptr_array_new();
  g_autoptr(GHashTable) node_set = g_hash_table_new(g_direct_hash, g_direct_equal);
  for (guint i = 0; i < all_edges->len; i++) {
    const CxCompareItem *it = g_ptr_array_index(all_edges, i);
    if (!g_hash_table_contains(shown, it))
      continue;
    g_ptr_array_add(edges, (gpointer)it);
    const char *ends[2] = { it->from, it->to };
    for (int k = 0; k < 2; k++) {
      gpointer node = g_hash_table_lookup(acts, ends[k]);
      if (node != NULL && g_hash_table_add(node_set, node))
        g_ptr_array_add(nodes, node);
    }
  }
  /* nodes in item order (significant, most important first): a stable layout */
  for (guint i = 0; i < c->items->len; i++) {
    const CxCompareItem *it = &g_array_index(c->items, CxCompareItem, i);
    if (it->kind != CX_COMPARE_ACTIVITY || !g_hash_table_contains(node_set, it))
      continue;
    g_autofree char *label = dot_label(it, FALSE);
    g_autofree char *qr = cx_compare_fmt_q(it->rate_q);
    g_autofree char *qw = cx_compare_fmt_q(it->sample_q);
    g_autofree char *tip = g_strdup_printf("%s: rate %s (%s), wait %s (%s)", it->name,
                                           cx_change_name(it->rate_change), qr,
                                           cx_change_name(it->sample_change), qw);
    CxDotStyle st = { .label = label,
                      .fill = change_fill(it->direction),
                      .color = change_color(it->direction),
                      .style = it->is_new     ? "bold"
                               : it->vanished ? "dashed"
                                              : NULL,
                      .tooltip = tip,
                      .penwidth = it->significant ? 2.5 : 1 };
    cx_dot_node(dot, it->name, &st);
  }
  /* back edges of a strongest-first walk from the start activities do not
   * constrain the ranks, so that the map reads from top to bottom */
  g_autoptr(GHashTable) back = g_hash_table_new(g_direct_hash, g_direct_equal);
  find_back_edges(edges, nodes, back);
  for (guint i = 0; i < edges->len; i++) {
    const CxCompareItem *it = g_ptr_array_index(edges, i);
    g_autofree char *label = dot_label(it, TRUE);
    g_autofree char *qr = cx_compare_fmt_q(it->rate_q);
    g_autofree char *qw = cx_compare_fmt_q(it->sample_q);
    g_autofree char *tip = g_strdup_printf("%s: rate %s (%s), wait %s (%s)", it->name,
                                           cx_change_name(it->rate_change), qr,
                                           cx_change_name(it->sample_change), qw);
    double vol = (double)MAX(it->cases[0], it->cases[1]);
    CxDotStyle st = { .label = label,
                      .color = change_color(it->direction),
                      .fontcolor = it->significant ? change_color(it->direction) : "#555555",
                      .style = it->is_new     ? "bold"
                               : it->vanished ? "dashed"
                                              : NULL,
                      .tooltip = tip,
                      .penwidth = cx_dot_penwidth(vol, max_cases),
                      .weight = max_cases > 0 ? 1 + (int)(9 * vol / max_cases) : 1,
                      .back = g_hash_table_contains(back, it) };
    cx_dot_edge(dot, it->from, it->to, &st);
  }
  g_autofree char *n0 = cx_format_count(cases ? cases->count[0] : 0);
  g_autofree char *n1 = cx_format_count(cases ? cases->count[1] : 0);
  g_autofree char *l1 = g_strdup_printf("%s: %s journeys, %s: %s journeys", c->opts.names[0], n0,
                                        c->opts.names[1], n1);
  cx_dot_legend(dot, l1);
  g_autofree char *l2 = g_strdup_printf("labels: %s -> %s; %% of journeys taking it; wait = median",
                                        c->opts.names[0], c->opts.names[1]);
  cx_dot_legend(dot, l2);
  cx_dot_legend(dot, "green = better, red = worse, blue = changed (neither better nor worse), "
                     "grey = the same");
  cx_dot_legend(dot, "bold = new, dashed = vanished; width = journeys taking the path");
  g_autofree char *alpha = cx_format_number(c->opts.alpha, 3);
  g_autofree char *rel = cx_format_number(100 * c->opts.min_effect_rel, 0);
  g_autofree char *pts = cx_format_number(100 * c->opts.min_effect_points, 0);
  g_autofree char *l5 = g_strdup_printf("a change counts when q < %s (Benjamini-Hochberg over %u "
                                        "tests) and it is at least %s%% (%s points for shares)",
                                        alpha, c->n_tests, rel, pts);
  cx_dot_legend(dot, l5);
  if (edges->len < all_edges->len) {
    g_autofree char *pct = cx_format_number(100 * min_share, 1);
    guint nch = max_changes == 0 ? changes->len : MIN(changes->len, max_changes);
    g_autofree char *l6 = g_strdup_printf(
        "shown: %u of %u paths (taken by >= %s%% of journeys, or among the %u most important "
        "changes)",
        edges->len, all_edges->len, pct, nch);
    cx_dot_legend(dot, l6);
  }
  cx_dot_write(dot, out);
}
