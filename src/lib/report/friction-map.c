/* Friction's journey map: the log's frequent edges in DOT, the top findings
 * highlighted and annotated, and an end node for the journeys that stop. */
#include "friction-private.h"
#include "cxmine/dot-writer.h"
#include "cxmine/output.h"

typedef struct {
  GString *note; /* annotation lines */
  gboolean hot;
} Mark;

static Mark *
mark_for(GHashTable *h, const char *key)
{
  Mark *m = g_hash_table_lookup(h, key);
  if (m == NULL) {
    m = g_new0(Mark, 1);
    m->note = g_string_new(NULL);
    g_hash_table_insert(h, g_strdup(key), m);
  }
  return m;
}

static void
mark_free(gpointer p)
{
  Mark *m = p;
  g_string_free(m->note, TRUE);
  g_free(m);
}

static char *
edge_key(const char *a, const char *b)
{
  return g_strdup_printf("%s\x1f%s", a, b);
}

void
cx_friction_to_dot(CxFriction *f, GString *out, guint top)
{
  CxPool *acts = cx_log_activities(f->log);
  g_autoptr(GHashTable) nodes = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, mark_free);
  g_autoptr(GHashTable) edges = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, mark_free);
  g_autofree char *name = cx_log_display_name(f->log);
  g_autofree char *title = g_strdup_printf("Friction map of %s", name);
  g_autoptr(CxDot) dot = cx_dot_new(title, "TB");
  g_autofree char *hours = cx_calendar_line(cx_log_options(f->log)->calendar);
  if (hours != NULL)
    cx_dot_legend(dot, hours);
  guint nf = f->findings->len;
  if (top > 0 && nf > top)
    nf = top;
  for (guint i = 0; i < nf; i++) {
    const CxFinding *fd = &g_array_index(f->findings, CxFinding, i);
    g_autofree char *cost = cx_finding_cost(fd);
    g_autofree char *line
        = g_strdup_printf("#%u %s: %s", i + 1, cx_finding_kind_name(fd->kind), cost);
    /* a short legend line; the report has the sentences */
    g_autoptr(GString) legend = g_string_new(NULL);
    g_string_append_printf(legend, "#%u %s", i + 1, cx_finding_kind_name(fd->kind));
    gboolean chan = fd->kind == CX_FINDING_CHANNEL_SWITCH;
    gboolean cyc = fd->kind == CX_FINDING_PINGPONG || fd->kind == CX_FINDING_LOOP;
    for (guint k = 0; k < fd->n_names; k++)
      g_string_append_printf(legend, "%s'%s'",
                             k == 0         ? " "
                             : chan || !cyc ? " -> "
                                            : " -> ",
                             fd->names[k]);
    if (cyc && fd->n_names > 0)
      g_string_append_printf(legend, " -> '%s'", fd->names[0]);
    if (fd->measure != NULL)
      g_string_append_printf(legend, " (%s)", fd->measure);
    g_string_append_printf(legend, ": %s", cost);
    cx_dot_legend(dot, legend->str);
    if (chan)
      continue;
    Mark *m = NULL;
    if (cyc) {
      for (guint k = 0; k < fd->n_names; k++) {
        g_autofree char *key = edge_key(fd->names[k], fd->names[(k + 1) % fd->n_names]);
        Mark *e = mark_for(edges, key);
        e->hot = TRUE;
        if (k == 0)
          m = e;
      }
    } else if (fd->n_names == 2) {
      g_autofree char *k = edge_key(fd->names[0], fd->names[1]);
      m = mark_for(edges, k);
    } else if (fd->n_names == 1) {
      m = mark_for(nodes, fd->names[0]);
    }
    if (m != NULL) {
      m->hot = TRUE;
      g_string_append_printf(m->note, "%s%s", m->note->len ? "\n" : "", line);
    }
  }
  /* nodes: activities by frequency; edges taken by enough cases, or marked */
  /* edges taken by at least 5% of the cases (or marked) keep the map readable */
  guint64 min_edge = MAX(1, (guint64)ceil(0.05 * (double)f->cases->len));
  g_autoptr(GArray) order = g_array_new(FALSE, FALSE, sizeof(guint32));
  for (guint32 a = 1; a < f->acts->len; a++)
    if (g_array_index(f->acts, Act, a).cases != NULL)
      g_array_append_val(order, a);
  guint64 max_count = 1;
  for (guint i = 0; i < order->len; i++) {
    guint64 c = g_array_index(f->acts, Act, g_array_index(order, guint32, i)).count;
    max_count = MAX(max_count, c);
  }
  /* which edges are drawn, and so which activities are on the map */
  g_autofree guint8 *drawn = g_new0(guint8, f->edges->len);
  g_autofree guint8 *on_map = g_new0(guint8, f->acts->len);
  guint left_out = 0;
  for (guint i = 0; i < f->edges->len; i++) {
    const Pair *e = g_ptr_array_index(f->edges, i);
    g_autofree char *k = edge_key(cx_pool_get(acts, e->from), cx_pool_get(acts, e->to));
    drawn[i] = e->cases->len >= min_edge || g_hash_table_contains(edges, k);
    if (drawn[i] && e->from < f->acts->len && e->to < f->acts->len)
      on_map[e->from] = on_map[e->to] = 1;
  }
  for (guint i = 0; i < order->len; i++) {
    guint32 a = g_array_index(order, guint32, i);
    const Act *A = &g_array_index(f->acts, Act, a);
    const char *an = cx_pool_get(acts, a);
    Mark *m = g_hash_table_lookup(nodes, an);
    if (m == NULL && !on_map[a] && order->len > 1) {
      left_out++;
      continue;
    }
    char fill[8];
    cx_dot_color(CX_DOT_PALETTE_BLUE, cx_dot_scale((double)A->count, (double)max_count), fill);
    g_autofree char *label = g_strdup_printf("%s\n%" G_GUINT64_FORMAT "%s%s", an, A->count,
                                             m ? "\n" : "", m ? m->note->str : "");
    CxDotStyle st = { 0 };
    st.label = label;
    st.fill = fill;
    st.fontcolor
        = cx_dot_text_color(CX_DOT_PALETTE_BLUE, cx_dot_scale((double)A->count, (double)max_count));
    if (m != NULL) {
      st.color = "#d7301f";
      st.penwidth = 3;
      st.style = "bold";
    }
    cx_dot_node(dot, an, &st);
  }
  guint64 max_edge = 1;
  for (guint i = 0; i < f->edges->len; i++)
    max_edge = MAX(max_edge, ((Pair *)g_ptr_array_index(f->edges, i))->count);
  for (guint i = 0; i < f->edges->len; i++) {
    const Pair *e = g_ptr_array_index(f->edges, i);
    const char *a = cx_pool_get(acts, e->from), *b = cx_pool_get(acts, e->to);
    g_autofree char *k = edge_key(a, b);
    Mark *m = g_hash_table_lookup(edges, k);
    if (!drawn[i])
      continue;
    g_autofree char *label = g_strdup_printf("%" G_GUINT64_FORMAT "%s%s", e->count,
                                             m && m->note->len ? "\n" : "", m ? m->note->str : "");
    CxDotStyle st = { 0 };
    st.label = label;
    st.penwidth = cx_dot_penwidth((double)e->count, (double)max_edge);
    if (m != NULL) {
      st.color = "#d7301f";
      st.fontcolor = "#d7301f";
      st.penwidth = MAX(st.penwidth, 3);
    } else {
      st.color = "#888888";
    }
    cx_dot_edge(dot, a, b, &st);
  }
  /* the end: journeys that stop at an activity without success */
  guint64 max_left = 0;
  for (guint i = 0; i < f->funnel->len; i++)
    max_left = MAX(max_left, g_array_index(f->funnel, CxFunnelStep, i).left);
  guint64 min_left = MAX(1, (guint64)ceil(0.01 * (double)f->cases->len));
  gboolean end_drawn = FALSE;
  for (guint i = 0; i < f->funnel->len; i++) {
    const CxFunnelStep *st = &g_array_index(f->funnel, CxFunnelStep, i);
    guint32 a = cx_pool_lookup(acts, st->activity, -1);
    gboolean shown
        = a < f->acts->len
          && (on_map[a] || g_hash_table_contains(nodes, st->activity) || order->len <= 1);
    if (st->left < min_left || !shown)
      continue;
    if (!end_drawn) {
      CxDotStyle es = { 0 };
      es.label = "dropped off\n(ended without success)";
      es.color = "#d7301f";
      es.fontcolor = "#d7301f";
      cx_dot_node(dot, "(dropped off)", &es);
      end_drawn = TRUE;
    }
    g_autofree char *label = g_strdup_printf("%" G_GUINT64_FORMAT " stop", st->left);
    CxDotStyle st2 = { 0 };
    st2.label = label;
    st2.color = "#d7301f";
    st2.fontcolor = "#d7301f";
    st2.style = "dashed";
    st2.penwidth = cx_dot_penwidth((double)st->left, (double)MAX(1, max_left));
    cx_dot_edge(dot, st->activity, "(dropped off)", &st2);
  }
  if (left_out > 0) {
    g_autofree char *note = g_strdup_printf(
        "(steps taken by fewer than 5%% of the cases are not drawn, nor %u %s only on them)",
        left_out, left_out == 1 ? "activity" : "activities");
    cx_dot_legend(dot, note);
  }
  cx_dot_write(dot, out);
}
