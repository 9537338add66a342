/* Friction's journey map: the log's frequent edges in DOT, the top findings
 * highlighted and annotated, and an end node for the journeys that stop.
 * Activities and edges are found by their ids, never by their names. */
#include "friction-private.h"
#include "hash-private.h"
#include "cxmine/dot-writer.h"
#include "cxmine/output.h"

/* The notes of the findings on one node or edge: it is drawn hot. */
typedef struct {
  GString *note; /* annotation lines */
} Mark;

static void
mark_free(gpointer p)
{
  Mark *m = p;
  g_string_free(m->note, TRUE);
  g_free(m);
}

static Mark *
mark_new(void)
{
  Mark *m = g_new0(Mark, 1);
  m->note = g_string_new(NULL);
  return m;
}

typedef struct {
  CxFriction *f;
  CxPool *acts;
  CxDot *dot;
  Mark **nodes;      /* by activity id: the marked activities */
  guint n_nodes;     /* cx_pool_size(acts) */
  GHashTable *edges; /* guint64 (from << 32 | to) -> Mark: the marked edges */
  GArray *order;     /* guint32 activities seen in the log, by id */
  guint8 *drawn;     /* per edge of f->edges */
  guint8 *on_map;    /* per activity id below f->acts->len: an end of a drawn edge */
} MapCtx;

static Mark *
node_mark(MapCtx *m, guint32 a)
{
  g_return_val_if_fail(a < m->n_nodes, NULL);
  if (m->nodes[a] == NULL)
    m->nodes[a] = mark_new();
  return m->nodes[a];
}

static Mark *
edge_mark(MapCtx *m, guint32 from, guint32 to)
{
  guint64 key = KEY(from, to);
  Mark *mk = g_hash_table_lookup(m->edges, &key);
  if (mk == NULL) {
    mk = mark_new();
    g_hash_table_insert(m->edges, g_memdup2(&key, sizeof key), mk);
  }
  return mk;
}

static Mark *
edge_lookup(MapCtx *m, guint32 from, guint32 to)
{
  guint64 key = KEY(from, to);
  return g_hash_table_lookup(m->edges, &key);
}

static gboolean
is_cycle(const CxFinding *fd)
{
  return fd->kind == CX_FINDING_PINGPONG || fd->kind == CX_FINDING_LOOP;
}

/* "#2 loop 'A' -> 'B' -> 'A': 12 customers lost (3%)": a short legend line;
 * the report has the sentences. */
static void
legend_line(MapCtx *m, guint rank, const CxFinding *fd, const char *cost)
{
  g_autoptr(GString) legend = g_string_new(NULL);
  g_string_append_printf(legend, "#%u %s", rank, cx_finding_kind_name(fd->kind));
  for (guint k = 0; k < fd->n_names; k++)
    g_string_append_printf(legend, "%s'%s'", k == 0 ? " " : " -> ", fd->names[k]);
  if (is_cycle(fd) && fd->n_names > 0)
    g_string_append_printf(legend, " -> '%s'", fd->names[0]);
  if (fd->measure != NULL)
    g_string_append_printf(legend, " (%s)", fd->measure);
  g_string_append_printf(legend, ": %s", cost);
  cx_dot_legend(m->dot, legend->str);
}

/* The legend of the top @top findings, and their marks: a cycle marks its
 * edges (the note on the first), an edge's finding the edge, an activity's
 * finding the activity; channel switches are not on the map. */
static void
mark_findings(MapCtx *m, guint top)
{
  GArray *findings = m->f->findings;
  guint nf = findings->len;
  if (top > 0 && nf > top)
    nf = top;
  for (guint i = 0; i < nf; i++) {
    const CxFinding *fd = &g_array_index(findings, CxFinding, i);
    g_autofree char *cost = cx_finding_cost(fd);
    legend_line(m, i + 1, fd, cost);
    if (fd->kind == CX_FINDING_CHANNEL_SWITCH)
      continue;
    Mark *mk = NULL;
    if (is_cycle(fd)) {
      for (guint k = 0; k < fd->n_names; k++) {
        Mark *e = edge_mark(m, fd->ids[k], fd->ids[(k + 1) % fd->n_names]);
        if (k == 0)
          mk = e;
      }
    } else if (fd->n_names == 2) {
      mk = edge_mark(m, fd->ids[0], fd->ids[1]);
    } else if (fd->n_names == 1) {
      mk = node_mark(m, fd->ids[0]);
    }
    if (mk != NULL)
      g_string_append_printf(mk->note, "%s#%u %s: %s", mk->note->len ? "\n" : "", i + 1,
                             cx_finding_kind_name(fd->kind), cost);
  }
}

/* Which edges are drawn (taken by at least 5% of the cases, or marked: that
 * keeps the map readable), and so which activities are on the map. */
static void
choose_edges(MapCtx *m)
{
  const CxFriction *f = m->f;
  guint64 min_edge = MAX(1, (guint64)ceil(0.05 * (double)cx_friction_cases(f)));
  for (guint32 a = 1; a < f->acts->len; a++)
    if (cx_friction_act(f, a) != NULL)
      g_array_append_val(m->order, a);
  guint ne = cx_transitions_n_edges(f->edges);
  m->drawn = g_new0(guint8, MAX(ne, 1));
  m->on_map = g_new0(guint8, f->acts->len);
  for (guint i = 0; i < ne; i++) {
    const CxTransitionsEdge *e = cx_transitions_edge(f->edges, i);
    m->drawn[i] = e->cases >= min_edge || edge_lookup(m, e->from, e->to) != NULL;
    if (m->drawn[i] && e->from < f->acts->len && e->to < f->acts->len)
      m->on_map[e->from] = m->on_map[e->to] = 1;
  }
}

/* The activities on the map, shaded by frequency; returns how many are left
 * out (seen only on edges that are not drawn). */
static guint
draw_nodes(MapCtx *m)
{
  const CxFriction *f = m->f;
  guint64 max_count = 1;
  for (guint i = 0; i < m->order->len; i++) {
    /* m->order holds only activities that occurred */
    const CxTransitionsAct *A = cx_friction_act(f, g_array_index(m->order, guint32, i));
    max_count = MAX(max_count, A != NULL ? A->count : 0);
  }
  guint left_out = 0;
  for (guint i = 0; i < m->order->len; i++) {
    guint32 a = g_array_index(m->order, guint32, i);
    const CxTransitionsAct *A = cx_friction_act(f, a);
    guint64 count = A != NULL ? A->count : 0;
    const char *an = cx_pool_get(m->acts, a);
    const Mark *mk = a < m->n_nodes ? m->nodes[a] : NULL;
    if (mk == NULL && !m->on_map[a] && m->order->len > 1) {
      left_out++;
      continue;
    }
    char fill[8];
    double shade = cx_dot_scale((double)count, (double)max_count);
    cx_dot_color(CX_DOT_PALETTE_BLUE, shade, fill);
    g_autofree char *label = g_strdup_printf("%s\n%" G_GUINT64_FORMAT "%s%s", an, count,
                                             mk ? "\n" : "", mk ? mk->note->str : "");
    CxDotStyle st = { 0 };
    st.label = label;
    st.fill = fill;
    st.fontcolor = cx_dot_text_color(CX_DOT_PALETTE_BLUE, shade);
    if (mk != NULL) {
      st.color = "#d7301f";
      st.penwidth = 3;
      st.style = "bold";
    }
    cx_dot_node(m->dot, an, &st);
  }
  return left_out;
}

/* The drawn edges, as wide as they are frequent; the marked ones red. */
static void
draw_edges(MapCtx *m)
{
  const CxFriction *f = m->f;
  guint64 max_edge = 1;
  guint ne = cx_transitions_n_edges(f->edges);
  for (guint i = 0; i < ne; i++)
    max_edge = MAX(max_edge, cx_transitions_edge(f->edges, i)->count);
  for (guint i = 0; i < ne; i++) {
    const CxTransitionsEdge *e = cx_transitions_edge(f->edges, i);
    if (!m->drawn[i])
      continue;
    const Mark *mk = edge_lookup(m, e->from, e->to);
    g_autofree char *label
        = g_strdup_printf("%" G_GUINT64_FORMAT "%s%s", e->count, mk && mk->note->len ? "\n" : "",
                          mk ? mk->note->str : "");
    CxDotStyle st = { 0 };
    st.label = label;
    st.penwidth = cx_dot_penwidth((double)e->count, (double)max_edge);
    if (mk != NULL) {
      st.color = "#d7301f";
      st.fontcolor = "#d7301f";
      st.penwidth = MAX(st.penwidth, 3);
    } else {
      st.color = "#888888";
    }
    cx_dot_edge(m->dot, cx_pool_get(m->acts, e->from), cx_pool_get(m->acts, e->to), &st);
  }
}

/* The end: journeys that stop at an activity on the map without success
 * (at least 1% of the cases). */
static void
draw_end(MapCtx *m)
{
  const CxFriction *f = m->f;
  guint64 max_left = 0;
  for (guint i = 0; i < f->funnel->len; i++)
    max_left = MAX(max_left, g_array_index(f->funnel, CxFunnelStep, i).left);
  guint64 min_left = MAX(1, (guint64)ceil(0.01 * (double)cx_friction_cases(f)));
  gboolean end_drawn = FALSE;
  for (guint i = 0; i < f->funnel->len; i++) {
    const CxFunnelStep *st = &g_array_index(f->funnel, CxFunnelStep, i);
    guint32 a = st->activity_id;
    gboolean shown
        = a < f->acts->len
          && (m->on_map[a] || (a < m->n_nodes && m->nodes[a] != NULL) || m->order->len <= 1);
    if (st->left < min_left || !shown)
      continue;
    if (!end_drawn) {
      CxDotStyle es = { 0 };
      es.label = "dropped off\n(ended without success)";
      es.color = "#d7301f";
      es.fontcolor = "#d7301f";
      cx_dot_node(m->dot, "(dropped off)", &es);
      end_drawn = TRUE;
    }
    g_autofree char *label = g_strdup_printf("%" G_GUINT64_FORMAT " stop", st->left);
    CxDotStyle st2 = { 0 };
    st2.label = label;
    st2.color = "#d7301f";
    st2.fontcolor = "#d7301f";
    st2.style = "dashed";
    st2.penwidth = cx_dot_penwidth((double)st->left, (double)MAX(1, max_left));
    cx_dot_edge(m->dot, st->activity, "(dropped off)", &st2);
  }
}

void
cx_friction_to_dot(CxFriction *f, GString *out, guint top)
{
  g_autofree char *name = cx_log_display_name(f->log);
  g_autofree char *title = g_strdup_printf("Friction map of %s", name);
  g_autoptr(CxDot) dot = cx_dot_new(title, "TB");
  g_autofree char *hours = cx_calendar_line(cx_log_options(f->log)->calendar);
  if (hours != NULL)
    cx_dot_legend(dot, hours);
  MapCtx m = { 0 };
  m.f = f;
  m.acts = cx_log_activities(f->log);
  m.dot = dot;
  m.n_nodes = cx_pool_size(m.acts);
  m.nodes = g_new0(Mark *, m.n_nodes);
  m.edges = g_hash_table_new_full(cx_u64_hash, cx_u64_equal, g_free, mark_free);
  m.order = g_array_new(FALSE, FALSE, sizeof(guint32));
  mark_findings(&m, top);
  choose_edges(&m);
  guint left_out = draw_nodes(&m);
  draw_edges(&m);
  draw_end(&m);
  if (left_out > 0) {
    g_autofree char *note = g_strdup_printf(
        "(steps taken by fewer than 5%% of the cases are not drawn, nor %u %s only on them)",
        left_out, left_out == 1 ? "activity" : "activities");
    cx_dot_legend(dot, note);
  }
  cx_dot_write(dot, out);
  for (guint a = 0; a < m.n_nodes; a++)
    if (m.nodes[a] != NULL)
      mark_free(m.nodes[a]);
  g_free(m.nodes);
  g_hash_table_unref(m.edges);
  g_array_unref(m.order);
  g_free(m.drawn);
  g_free(m.on_map);
}
