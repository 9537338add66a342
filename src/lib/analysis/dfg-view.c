/* Simplified views of a directly-follows graph (the most frequent
 * activities and paths, kept connected from start to end) and the back-edge
 * search the maps draw loops with.  They read the graph through its public
 * accessors (dfg.c). */
#include "dfg-private.h"
#include "cxmine/dfg.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---------- simplification ---------- */

/* An arc of the view's graph: graph node ids are activity ids, with
 * n_act = start and n_act + 1 = end. */
typedef struct {
  guint32 from, to;
  guint64 count;
  guint order; /* deterministic tie-break */
  guint edge;  /* index in cx_dfg_edges(), or G_MAXUINT for start/end arcs */
  gboolean kept;
} Arc;

static CxDfgView *
view_alloc(CxDfg *d)
{
  guint ne;
  cx_dfg_edges(d, &ne);
  CxDfgView *v = g_new0(CxDfgView, 1);
  v->n_activities = MAX(cx_dfg_id_bound(d), cx_pool_size(cx_log_activities(cx_dfg_log(d))));
  v->n_edges = ne;
  v->activity_kept = g_new0(guint8, MAX(v->n_activities, 1));
  v->start_kept = g_new0(guint8, MAX(v->n_activities, 1));
  v->end_kept = g_new0(guint8, MAX(v->n_activities, 1));
  v->edge_kept = g_new0(guint8, MAX(ne, 1));
  return v;
}

void
cx_dfg_view_free(CxDfgView *v)
{
  if (v == NULL)
    return;
  g_free(v->activity_kept);
  g_free(v->start_kept);
  g_free(v->end_kept);
  g_free(v->edge_kept);
  g_free(v);
}

CxDfgView *
cx_dfg_view_new_full(CxDfg *d)
{
  CxDfgView *v = view_alloc(d);
  guint nn, ne;
  const CxDfgNode *nodes = cx_dfg_nodes(d, &nn);
  cx_dfg_edges(d, &ne);
  for (guint i = 0; i < nn; i++) {
    v->activity_kept[nodes[i].activity] = 1;
    v->start_kept[nodes[i].activity] = nodes[i].starts > 0;
    v->end_kept[nodes[i].activity] = nodes[i].ends > 0;
  }
  memset(v->edge_kept, 1, ne);
  v->activities_pct = v->paths_pct = 100;
  return v;
}

/* Arcs by their source (forward) or target (backward) node: CSR. */
typedef struct {
  guint *off; /* n_graph + 1 */
  guint *arc; /* arc indices */
} Adj;

static void
adj_build(Adj *adj, const Arc *arcs, guint n_arcs, guint n_graph, gboolean forward)
{
  adj->off = g_new0(guint, n_graph + 1);
  adj->arc = g_new(guint, MAX(n_arcs, 1));
  for (guint i = 0; i < n_arcs; i++)
    adj->off[(forward ? arcs[i].from : arcs[i].to) + 1]++;
  for (guint u = 0; u < n_graph; u++)
    adj->off[u + 1] += adj->off[u];
  g_autofree guint *fill = g_memdup2(adj->off, sizeof(guint) * (n_graph + 1));
  for (guint i = 0; i < n_arcs; i++)
    adj->arc[fill[forward ? arcs[i].from : arcs[i].to]++] = i;
}

static void
adj_clear(Adj *adj)
{
  g_free(adj->off);
  g_free(adj->arc);
}

static int
cmp_arc(gconstpointer pa, gconstpointer pb)
{
  const Arc *a = pa, *b = pb;
  if (a->count != b->count)
    return a->count > b->count ? -1 : 1;
  return a->order < b->order ? -1 : a->order > b->order;
}

/* A binary min-heap of arc indices: arcs are sorted strongest first, so the
 * smallest index is the strongest arc. */
typedef struct {
  guint *v;
  guint n;
} Heap;

static void
heap_push(Heap *h, guint x)
{
  guint i = h->n++;
  while (i > 0 && h->v[(i - 1) / 2] > x) {
    h->v[i] = h->v[(i - 1) / 2];
    i = (i - 1) / 2;
  }
  h->v[i] = x;
}

static guint
heap_pop(Heap *h)
{
  guint top = h->v[0], x = h->v[--h->n], i = 0;
  for (;;) {
    guint c = 2 * i + 1;
    if (c >= h->n)
      break;
    if (c + 1 < h->n && h->v[c + 1] < h->v[c])
      c++;
    if (h->v[c] >= x)
      break;
    h->v[i] = h->v[c];
    i = c;
  }
  if (h->n > 0)
    h->v[i] = x;
  return top;
}

/* Connectivity repair, forwards from start or backwards from end. */
typedef struct {
  Arc *arcs;
  guint n_arcs;
  Adj adj;
  gboolean forward;
  guint8 *seen;
  const guint8 *want;
  guint missing; /* wanted nodes not seen yet */
  guint32 *stack;
  Heap heap; /* arcs leaving seen nodes, not yet taken */
  guint64 *work;
} Repair;

/* Marks what @root reaches over kept arcs; every arc leaving a newly seen
 * node goes into the heap (each node is seen once, so each arc once). */
static void
repair_extend(Repair *r, guint32 root)
{
  guint sp = 0;
  r->stack[sp++] = root;
  r->seen[root] = 1;
  r->missing -= r->want[root] != 0;
  while (sp > 0) {
    guint32 u = r->stack[--sp];
    for (guint k = r->adj.off[u]; k < r->adj.off[u + 1]; k++) {
      guint i = r->adj.arc[k];
      const Arc *e = &r->arcs[i];
      guint32 b = r->forward ? e->to : e->from;
      (*r->work)++;
      if (r->seen[b])
        continue;
      if (e->kept) {
        r->seen[b] = 1;
        r->missing -= r->want[b] != 0;
        r->stack[sp++] = b;
      } else {
        heap_push(&r->heap, i);
      }
    }
  }
}

/* Adds the strongest arcs needed until every node in @want is reached from
 * @root (forwards) or reaches it (backwards): each step takes the strongest
 * arc from a reached node to an unreached one (Prim's order), so the result
 * is the same as scanning all arcs for it at every step, in O(E log E). */
static void
repair(Arc *arcs, guint n_arcs, guint n_graph, guint32 root, gboolean forward, const guint8 *want,
       guint64 *work)
{
  Repair r = { 0 };
  r.arcs = arcs;
  r.n_arcs = n_arcs;
  r.forward = forward;
  r.want = want;
  r.work = work;
  adj_build(&r.adj, arcs, n_arcs, n_graph, forward);
  r.seen = g_new0(guint8, n_graph);
  r.stack = g_new(guint32, n_graph + 1);
  r.heap.v = g_new(guint, MAX(n_arcs, 1));
  for (guint i = 0; i < n_graph; i++)
    r.missing += want[i] != 0;
  *work += n_graph + n_arcs;
  repair_extend(&r, root);
  while (r.missing > 0 && r.heap.n > 0) {
    guint i = heap_pop(&r.heap);
    (*work)++;
    guint32 b = forward ? arcs[i].to : arcs[i].from;
    if (arcs[i].kept || r.seen[b])
      continue;
    arcs[i].kept = TRUE;
    repair_extend(&r, b);
  }
  adj_clear(&r.adj);
  g_free(r.seen);
  g_free(r.stack);
  g_free(r.heap.v);
}

/* The arcs among the activities in @want: start arcs in node order, edges by
 * name, end arcs in node order. */
static void
collect_arcs(GArray *arcs, const CxDfgNode *nodes, guint nn, const CxDfgEdge *edges, guint ne,
             const guint8 *want, guint32 start, guint32 end)
{
  g_array_set_size(arcs, 0);
  for (guint i = 0; i < nn; i++)
    if (want[nodes[i].activity] && nodes[i].starts > 0) {
      Arc a = { start, nodes[i].activity, nodes[i].starts, arcs->len, G_MAXUINT, FALSE };
      g_array_append_val(arcs, a);
    }
  for (guint i = 0; i < ne; i++)
    if (want[edges[i].from] && want[edges[i].to]) {
      Arc a = { edges[i].from, edges[i].to, edges[i].count, arcs->len, i, FALSE };
      g_array_append_val(arcs, a);
    }
  for (guint i = 0; i < nn; i++)
    if (want[nodes[i].activity] && nodes[i].ends > 0) {
      Arc a = { nodes[i].activity, end, nodes[i].ends, arcs->len, G_MAXUINT, FALSE };
      g_array_append_val(arcs, a);
    }
}

/* Activities taken one at a time (most frequent first), with what start
 * reaches and what reaches end among those taken so far kept up to date:
 * each activity is marked once per direction and each edge looked at a
 * bounded number of times, so growing the set until some activity lies on
 * a path from start to end is linear in the graph. */
typedef struct {
  const CxDfgNode *nodes;
  const CxDfgEdge *edges;
  Adj out, in;  /* over the graph's edges, by activity id */
  guint8 *take; /* taken */
  guint8 *fwd;  /* reached from start over taken activities */
  guint8 *bwd;  /* reaches end over taken activities */
  guint32 *stack;
  guint both; /* taken activities with fwd and bwd */
  guint64 *work;
} Grow;

/* Marks @a reached in direction @forward and spreads over taken activities. */
static void
grow_spread(Grow *g, guint32 a, gboolean forward)
{
  guint8 *mark = forward ? g->fwd : g->bwd;
  const guint8 *other = forward ? g->bwd : g->fwd;
  const Adj *adj = forward ? &g->out : &g->in;
  guint sp = 0;
  mark[a] = 1;
  g->both += other[a] != 0;
  g->stack[sp++] = a;
  while (sp > 0) {
    guint32 u = g->stack[--sp];
    for (guint k = adj->off[u]; k < adj->off[u + 1]; k++) {
      const CxDfgEdge *e = &g->edges[adj->arc[k]];
      guint32 b = forward ? e->to : e->from;
      (*g->work)++;
      if (g->take[b] && !mark[b]) {
        mark[b] = 1;
        g->both += other[b] != 0;
        g->stack[sp++] = b;
      }
    }
  }
}

static void
grow_take(Grow *g, const CxDfgNode *n)
{
  guint32 a = n->activity;
  g->take[a] = 1;
  for (int dir = 0; dir < 2; dir++) {
    gboolean forward = dir == 0;
    const guint8 *mark = forward ? g->fwd : g->bwd;
    gboolean reached = forward ? n->starts > 0 : n->ends > 0;
    /* reached through an edge from (to) a taken, reached activity */
    const Adj *adj = forward ? &g->in : &g->out;
    for (guint k = adj->off[a]; k < adj->off[a + 1] && !reached; k++) {
      const CxDfgEdge *e = &g->edges[adj->arc[k]];
      guint32 b = forward ? e->from : e->to;
      (*g->work)++;
      reached = g->take[b] && mark[b];
    }
    if (reached)
      grow_spread(g, a, forward);
  }
}

static void view_build(CxDfg *d, CxDfgView *v, const CxDfgNode *order, guint n_take);

CxDfgView *
cx_dfg_view_new_capped(CxDfg *d, double activities_pct, double paths_pct, guint max_nodes)
{
  activities_pct = CLAMP(activities_pct, 0, 100);
  paths_pct = CLAMP(paths_pct, 0, 100);
  CxDfgView *v = view_alloc(d);
  v->activities_pct = activities_pct;
  v->paths_pct = paths_pct;
  v->max_nodes = max_nodes;
  guint nn;
  const CxDfgNode *nodes = cx_dfg_nodes(d, &nn);

  /* activities: most frequent first until they cover the share (and at
   * most max_nodes); when none of them lies on a path from start to end,
   * take more; then drop those cut off from start or end */
  double target = activities_pct / 100.0 * (double)cx_dfg_n_events(d);
  double covered = 0;
  guint n_take = 0;
  while (n_take < nn && (n_take == 0 || covered < target - 1e-9 * (double)cx_dfg_n_events(d)))
    covered += (double)nodes[n_take++].count;
  if (max_nodes > 0 && n_take > max_nodes) {
    v->capped = n_take - max_nodes;
    n_take = max_nodes;
  }
  view_build(d, v, nodes, n_take);
  return v;
}

/* Takes the first @n_take activities of @order (more while none lies on a
 * path from start to end), drops those cut off from start or end, then
 * keeps v->paths_pct of the arcs among them and what connectivity needs. */
static void
view_build(CxDfg *d, CxDfgView *v, const CxDfgNode *order, guint n_take)
{
  double paths_pct = v->paths_pct;
  guint nn, ne;
  const CxDfgNode *nodes = cx_dfg_nodes(d, &nn);
  const CxDfgEdge *edges = cx_dfg_edges(d, &ne);
  guint n_act = v->n_activities;
  guint n_graph = n_act + 2;
  guint32 start = n_act, end = n_act + 1;
  Grow g = { 0 };
  g.nodes = nodes;
  g.edges = edges;
  g.work = &v->work;
  {
    /* the graph's edges as arcs, for the adjacency */
    g_autofree Arc *all = g_new(Arc, MAX(ne, 1));
    for (guint i = 0; i < ne; i++)
      all[i] = (Arc){ edges[i].from, edges[i].to, edges[i].count, i, i, FALSE };
    adj_build(&g.out, all, ne, n_act, TRUE);
    adj_build(&g.in, all, ne, n_act, FALSE);
  }
  v->work += n_act + ne;
  g.take = g_new0(guint8, MAX(n_act, 1));
  g.fwd = g_new0(guint8, MAX(n_act, 1));
  g.bwd = g_new0(guint8, MAX(n_act, 1));
  g.stack = g_new(guint32, n_act + 1);
  guint taken = 0;
  while (taken < nn && (taken < n_take || g.both == 0))
    grow_take(&g, &order[taken++]);
  guint8 *want = g_new0(guint8, n_graph);
  for (guint i = 0; i < taken; i++) {
    guint32 a = order[i].activity;
    want[a] = g.fwd[a] && g.bwd[a];
  }
  v->work += taken;
  adj_clear(&g.out);
  adj_clear(&g.in);
  g_free(g.take);
  g_free(g.fwd);
  g_free(g.bwd);
  g_free(g.stack);

  /* the arcs among the survivors */
  GArray *arcs_a = g_array_new(FALSE, FALSE, sizeof(Arc));
  collect_arcs(arcs_a, nodes, nn, edges, ne, want, start, end);
  Arc *arcs = (Arc *)arcs_a->data;
  guint n_arcs = arcs_a->len;
  v->work += nn + ne;

  /* paths: the strongest share, then what connectivity needs */
  qsort(arcs, n_arcs, sizeof(Arc), cmp_arc);
  guint n_keep = (guint)ceil(paths_pct / 100.0 * (double)n_arcs - 1e-9);
  for (guint i = 0; i < n_arcs && i < n_keep; i++)
    arcs[i].kept = TRUE;
  repair(arcs, n_arcs, n_graph, start, TRUE, want, &v->work);
  repair(arcs, n_arcs, n_graph, end, FALSE, want, &v->work);

  for (guint i = 0; i < n_act; i++)
    v->activity_kept[i] = want[i];
  for (guint i = 0; i < n_arcs; i++) {
    if (!arcs[i].kept)
      continue;
    if (arcs[i].from == start)
      v->start_kept[arcs[i].to] = 1;
    else if (arcs[i].to == end)
      v->end_kept[arcs[i].from] = 1;
    else
      v->edge_kept[arcs[i].edge] = 1;
  }
  g_array_free(arcs_a, TRUE);
  g_free(want);
}

static int
cmp_node_cases(gconstpointer pa, gconstpointer pb, gpointer data)
{
  const CxDfgNode *a = pa, *b = pb;
  if (a->cases != b->cases)
    return a->cases > b->cases ? -1 : 1;
  return cx_dfg_cmp_node(pa, pb, data);
}

CxDfgView *
cx_dfg_view_new_top(CxDfg *d, guint n_activities, double paths_pct)
{
  paths_pct = CLAMP(paths_pct, 0, 100);
  CxDfgView *v = view_alloc(d);
  v->activities_pct = 100;
  v->paths_pct = paths_pct;
  v->max_nodes = n_activities;
  guint nn;
  const CxDfgNode *nodes = cx_dfg_nodes(d, &nn);
  g_autofree CxDfgNode *order = g_memdup2(nodes, sizeof(CxDfgNode) * MAX(nn, 1));
  g_qsort_with_data(order, (gint)nn, sizeof(CxDfgNode), cmp_node_cases, d);
  guint n_take = n_activities == 0 ? nn : MIN(n_activities, nn);
  v->capped = nn - n_take;
  view_build(d, v, order, n_take);
  return v;
}

CxDfgView *
cx_dfg_view_new(CxDfg *d, double activities_pct, double paths_pct)
{
  return cx_dfg_view_new_capped(d, activities_pct, paths_pct, 0);
}

/* ---------- back edges ---------- */

typedef struct {
  guint32 to;
  guint64 weight;
  guint arc;
} Out;

static int
cmp_out(gconstpointer pa, gconstpointer pb)
{
  const Out *a = pa, *b = pb;
  if (a->weight != b->weight)
    return a->weight > b->weight ? -1 : 1;
  return a->arc < b->arc ? -1 : a->arc > b->arc;
}

guint64
cx_dfg_back_edges(const CxDfgArc *arcs, guint n_arcs, guint n_nodes, const guint32 *roots,
                  guint n_roots, guint8 *back)
{
  guint64 work = (guint64)n_nodes + n_arcs;
  if (n_arcs > 0)
    memset(back, 0, n_arcs);
  g_autofree guint *first = g_new0(guint, (gsize)n_nodes + 1);
  for (guint i = 0; i < n_arcs; i++)
    if (arcs[i].from < n_nodes && arcs[i].to < n_nodes)
      first[arcs[i].from + 1]++;
  for (guint a = 0; a < n_nodes; a++)
    first[a + 1] += first[a];
  g_autofree Out *outs = g_new(Out, MAX(first[n_nodes], 1));
  g_autofree guint *next = g_memdup2(first, sizeof(guint) * ((gsize)n_nodes + 1));
  for (guint i = 0; i < n_arcs; i++)
    if (arcs[i].from < n_nodes && arcs[i].to < n_nodes)
      outs[next[arcs[i].from]++] = (Out){ arcs[i].to, arcs[i].weight, i };
  for (guint a = 0; a < n_nodes; a++) {
    qsort(outs + first[a], first[a + 1] - first[a], sizeof(Out), cmp_out);
    next[a] = first[a];
  }
  /* 0 = new, 1 = on the path, 2 = done */
  g_autofree guint8 *state = g_new0(guint8, MAX(n_nodes, 1));
  g_autofree guint32 *stack = g_new(guint32, (gsize)n_nodes + 1);
  for (guint r = 0; r < n_roots; r++) {
    guint32 root = roots[r];
    work++;
    if (root >= n_nodes || state[root] != 0)
      continue;
    guint sp = 0;
    stack[sp++] = root;
    state[root] = 1;
    while (sp > 0) {
      guint32 u = stack[sp - 1];
      if (next[u] == first[u + 1]) {
        state[u] = 2;
        sp--;
        continue;
      }
      const Out *o = &outs[next[u]++];
      work++;
      if (state[o->to] == 1)
        back[o->arc] = 1;
      else if (state[o->to] == 0) {
        state[o->to] = 1;
        stack[sp++] = o->to;
      }
    }
  }
  return work;
}

void
cx_dfg_view_counts(const CxDfgView *v, guint *activities, guint *edges)
{
  guint a = 0, e = 0;
  for (guint i = 0; i < v->n_activities; i++)
    a += v->activity_kept[i] != 0;
  for (guint i = 0; i < v->n_edges; i++)
    e += v->edge_kept[i] != 0;
  if (activities != NULL)
    *activities = a;
  if (edges != NULL)
    *edges = e;
}
