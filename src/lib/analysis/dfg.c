/* Directly-follows graphs: counts per activity id and per (from, to) pair,
 * with every wait and service sample kept for exact summaries.  The counting
 * is the transitions accumulator's (transitions-private.h); this file turns
 * it into sorted nodes and edges, views, JSON and partials. */
#include "hash-private.h"
#include "partial-private.h"
#include "transitions-private.h"
#include "cxmine/dfg.h"
#include "cxmine/case-ids.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

struct _CxDfg {
  CxLog *log;
  CxTransitions *t;
  guint64 n_raw; /* events read for the counted cases */
  gboolean keep_case_ids;
  GPtrArray *act_ids;  /* by activity id: GArray of guint32, the refs' case ids, made when asked */
  GPtrArray *edge_ids; /* the same by edge index in t */

  /* results, rebuilt when dirty */
  gboolean dirty;
  GArray *nodes; /* CxDfgNode, most frequent first */
  int *node_of;  /* by activity id: index in nodes, or -1 */
  guint node_of_len;
  GArray *out_edges;   /* CxDfgEdge, by names */
  guint *out_acc;      /* by index in out_edges: index of the edge in t */
  GHashTable *out_pos; /* guint64 key -> index in out_edges + 1 */
};

static void
ids_free(gpointer p)
{
  if (p != NULL)
    g_array_free(p, TRUE);
}

/* The case ids of @refs in order, in slot @i of @cache (made on first use). */
static const guint32 *
ids_of(CxDfg *d, GArray *refs, GPtrArray *cache, guint i, guint *n)
{
  *n = 0;
  if (!d->keep_case_ids)
    return NULL;
  if (i >= cache->len)
    g_ptr_array_set_size(cache, i + 1);
  GArray *ids = g_ptr_array_index(cache, i);
  if (ids == NULL) {
    ids = g_array_new(FALSE, FALSE, sizeof(guint32));
    g_ptr_array_index(cache, i) = ids;
  }
  if (refs == NULL)
    g_array_set_size(ids, 0);
  else if (ids->len != refs->len)
    cx_case_refs_to_ids(refs, cx_log_cases(d->log), ids);
  *n = ids->len;
  return (const guint32 *)ids->data;
}

static guint
flags_of(gboolean keep_case_ids)
{
  return CX_TRANSITIONS_EDGES | CX_TRANSITIONS_SAMPLES | (keep_case_ids ? CX_TRANSITIONS_CASES : 0);
}

void
cx_dfg_keep_case_ids(CxDfg *d)
{
  g_return_if_fail(cx_transitions_n_journeys(d->t) == 0);
  d->keep_case_ids = TRUE;
  cx_transitions_free(d->t);
  d->t = cx_transitions_new(d->log, flags_of(TRUE));
}

gboolean
cx_dfg_keeps_case_ids(const CxDfg *d)
{
  return d->keep_case_ids;
}

static guint64
edge_key(guint32 from, guint32 to)
{
  return ((guint64)from << 32) | to;
}

CxDfg *
cx_dfg_new(CxLog *log)
{
  CxDfg *d = g_new0(CxDfg, 1);
  d->log = log;
  d->t = cx_transitions_new(log, flags_of(FALSE));
  d->act_ids = g_ptr_array_new_with_free_func(ids_free);
  d->edge_ids = g_ptr_array_new_with_free_func(ids_free);
  d->nodes = g_array_new(FALSE, FALSE, sizeof(CxDfgNode));
  d->out_edges = g_array_new(FALSE, FALSE, sizeof(CxDfgEdge));
  d->dirty = TRUE;
  return d;
}

static void
clear_results(CxDfg *d)
{
  g_array_set_size(d->nodes, 0);
  g_array_set_size(d->out_edges, 0);
  g_clear_pointer(&d->node_of, g_free);
  d->node_of_len = 0;
  g_clear_pointer(&d->out_acc, g_free);
  g_clear_pointer(&d->out_pos, g_hash_table_destroy);
  d->dirty = TRUE;
}

void
cx_dfg_free(CxDfg *d)
{
  if (d == NULL)
    return;
  clear_results(d);
  cx_transitions_free(d->t);
  g_ptr_array_free(d->act_ids, TRUE);
  g_ptr_array_free(d->edge_ids, TRUE);
  g_array_free(d->nodes, TRUE);
  g_array_free(d->out_edges, TRUE);
  g_free(d);
}

void
cx_dfg_reset(gpointer data)
{
  CxDfg *d = data;
  clear_results(d);
  cx_transitions_reset(d->t);
  g_ptr_array_set_size(d->act_ids, 0);
  g_ptr_array_set_size(d->edge_ids, 0);
  d->n_raw = 0;
}

CxLog *
cx_dfg_log(const CxDfg *d)
{
  return d->log;
}

guint64
cx_dfg_n_cases(const CxDfg *d)
{
  return cx_transitions_n_journeys(d->t);
}

guint64
cx_dfg_n_events(const CxDfg *d)
{
  return cx_transitions_n_instances(d->t);
}

gboolean
cx_dfg_add(const CxJourney *j, gpointer data, GError **error)
{
  CxDfg *d = data;
  if (j->n_instances == 0)
    return TRUE;
  d->dirty = TRUE;
  d->n_raw += j->n_events;
  cx_transitions_add(d->t, j, j->case_id);
  return TRUE;
}

void
cx_dfg_merge(CxDfg *dst, CxDfg *src)
{
  g_return_if_fail(dst->log == src->log);
  dst->dirty = TRUE;
  dst->n_raw += src->n_raw;
  cx_transitions_merge(dst->t, src->t);
}

/* ---------- results ---------- */

static const char *
act_name(const CxDfg *d, guint32 a)
{
  return cx_pool_get(cx_log_activities(d->log), a);
}

static int
cmp_node(gconstpointer pa, gconstpointer pb, gpointer data)
{
  const CxDfgNode *a = pa, *b = pb;
  if (a->count != b->count)
    return a->count > b->count ? -1 : 1;
  return strcmp(act_name(data, a->activity), act_name(data, b->activity));
}

static int
cmp_edge_acc(gconstpointer pa, gconstpointer pb, gpointer data)
{
  const CxDfg *d = data;
  const CxTransitionsEdge *a = cx_transitions_edge(d->t, *(const guint *)pa);
  const CxTransitionsEdge *b = cx_transitions_edge(d->t, *(const guint *)pb);
  int c = strcmp(act_name(d, a->from), act_name(d, b->from));
  if (c != 0)
    return c;
  return strcmp(act_name(d, a->to), act_name(d, b->to));
}

static void
finish(CxDfg *d)
{
  if (!d->dirty)
    return;
  clear_results(d);
  d->node_of_len = cx_transitions_n_acts(d->t);
  d->node_of = g_new(int, MAX(d->node_of_len, 1));
  for (guint i = 0; i < d->node_of_len; i++) {
    const CxTransitionsAct *a = cx_transitions_act(d->t, i);
    d->node_of[i] = -1;
    if (a->count == 0)
      continue;
    CxDfgNode n = { 0 };
    n.activity = i;
    n.count = a->count;
    n.cases = a->cases;
    n.starts = a->starts;
    n.ends = a->ends;
    if (a->service != NULL)
      cx_summary_compute((double *)a->service->data, a->service->len, &n.service);
    g_array_append_val(d->nodes, n);
  }
  g_array_sort_with_data(d->nodes, cmp_node, d);
  for (guint i = 0; i < d->nodes->len; i++)
    d->node_of[g_array_index(d->nodes, CxDfgNode, i).activity] = (int)i;

  guint ne = cx_transitions_n_edges(d->t);
  d->out_acc = g_new(guint, MAX(ne, 1));
  for (guint i = 0; i < ne; i++)
    d->out_acc[i] = i;
  g_qsort_with_data(d->out_acc, (gint)ne, sizeof(guint), cmp_edge_acc, d);
  d->out_pos = g_hash_table_new_full(cx_u64_hash, cx_u64_equal, g_free, NULL);
  g_array_set_size(d->out_edges, ne);
  for (guint i = 0; i < ne; i++) {
    const CxTransitionsEdge *a = cx_transitions_edge(d->t, d->out_acc[i]);
    CxDfgEdge *e = &g_array_index(d->out_edges, CxDfgEdge, i);
    e->from = a->from;
    e->to = a->to;
    e->count = a->count;
    e->cases = a->cases;
    cx_summary_compute((double *)a->waits->data, a->waits->len, &e->wait);
    guint64 *k = g_new(guint64, 1);
    *k = edge_key(a->from, a->to);
    g_hash_table_insert(d->out_pos, k, GUINT_TO_POINTER(i + 1));
  }
  d->dirty = FALSE;
}

const CxDfgNode *
cx_dfg_nodes(CxDfg *d, guint *n)
{
  finish(d);
  *n = d->nodes->len;
  return (const CxDfgNode *)d->nodes->data;
}

const CxDfgNode *
cx_dfg_node(CxDfg *d, guint32 activity)
{
  finish(d);
  if (activity >= d->node_of_len || d->node_of[activity] < 0)
    return NULL;
  return &g_array_index(d->nodes, CxDfgNode, d->node_of[activity]);
}

const double *
cx_dfg_node_services(CxDfg *d, guint32 activity, gsize *n)
{
  finish(d);
  *n = 0;
  const CxTransitionsAct *a = cx_transitions_act(d->t, activity);
  if (a == NULL)
    return NULL;
  GArray *s = a->service;
  if (s == NULL)
    return NULL;
  *n = s->len;
  return (const double *)s->data;
}

const CxDfgEdge *
cx_dfg_edges(CxDfg *d, guint *n)
{
  finish(d);
  *n = d->out_edges->len;
  return (const CxDfgEdge *)d->out_edges->data;
}

const double *
cx_dfg_edge_waits(CxDfg *d, guint i, gsize *n)
{
  finish(d);
  g_return_val_if_fail(i < d->out_edges->len, NULL);
  GArray *w = cx_transitions_edge(d->t, d->out_acc[i])->waits;
  *n = w->len;
  return (const double *)w->data;
}

const guint32 *
cx_dfg_edge_case_ids(CxDfg *d, guint i, guint *n)
{
  finish(d);
  *n = 0;
  g_return_val_if_fail(i < d->out_edges->len, NULL);
  guint k = d->out_acc[i];
  return ids_of(d, cx_transitions_edge(d->t, k)->refs, d->edge_ids, k, n);
}

const guint32 *
cx_dfg_node_case_ids(CxDfg *d, guint32 activity, guint *n)
{
  finish(d);
  *n = 0;
  static const guint32 none[1] = { 0 };
  const CxTransitionsAct *a = cx_transitions_act(d->t, activity);
  if (a == NULL)
    return d->keep_case_ids ? none : NULL;
  return ids_of(d, a->refs, d->act_ids, activity, n);
}

int
cx_dfg_find_edge(CxDfg *d, guint32 from, guint32 to)
{
  finish(d);
  guint64 k = edge_key(from, to);
  gpointer v = g_hash_table_lookup(d->out_pos, &k);
  return v != NULL ? (int)GPOINTER_TO_UINT(v) - 1 : -1;
}

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
  v->n_activities = MAX(cx_transitions_n_acts(d->t), cx_pool_size(cx_log_activities(d->log)));
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
  return cmp_node(pa, pb, data);
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

/* ---------- JSON ---------- */

static gboolean
kept(const guint8 *mask, guint n, guint i)
{
  return i < n && mask[i];
}

/* The start (or end) arcs: all of them (@total) and those @v keeps (@shown). */
static void
count_arcs(CxDfg *d, const CxDfgView *v, gboolean starts, guint *total, guint *shown)
{
  guint nn;
  const CxDfgNode *nodes = cx_dfg_nodes(d, &nn);
  *total = *shown = 0;
  for (guint i = 0; i < nn; i++) {
    if ((starts ? nodes[i].starts : nodes[i].ends) == 0)
      continue;
    (*total)++;
    if (v == NULL || kept(starts ? v->start_kept : v->end_kept, v->n_activities, nodes[i].activity))
      (*shown)++;
  }
}

static void
arcs_json(CxDfg *d, const CxDfgView *v, CxJson *j, gboolean starts)
{
  guint nn;
  const CxDfgNode *nodes = cx_dfg_nodes(d, &nn);
  cx_json_begin_array(j);
  for (guint i = 0; i < nn; i++) {
    guint64 c = starts ? nodes[i].starts : nodes[i].ends;
    if (c == 0)
      continue;
    if (v != NULL
        && !kept(starts ? v->start_kept : v->end_kept, v->n_activities, nodes[i].activity))
      continue;
    cx_json_begin_object(j);
    cx_json_key(j, "activity");
    cx_json_string(j, act_name(d, nodes[i].activity));
    cx_json_key(j, "count");
    cx_json_int(j, (gint64)c);
    cx_json_end_object(j);
  }
  cx_json_end_array(j);
}

static void
key_int(CxJson *j, const char *key, guint64 v)
{
  cx_json_key(j, key);
  cx_json_int(j, (gint64)v);
}

void
cx_dfg_to_json(CxDfg *d, const CxDfgView *v, CxJson *j)
{
  guint nn, ne;
  const CxDfgNode *nodes = cx_dfg_nodes(d, &nn);
  const CxDfgEdge *edges = cx_dfg_edges(d, &ne);
  guint nodes_shown = nn, edges_shown = ne, starts_total, starts_shown, ends_total, ends_shown;
  if (v != NULL) {
    nodes_shown = 0;
    for (guint i = 0; i < nn; i++)
      nodes_shown += kept(v->activity_kept, v->n_activities, nodes[i].activity);
    edges_shown = 0;
    for (guint i = 0; i < ne; i++)
      edges_shown += kept(v->edge_kept, v->n_edges, i);
  }
  count_arcs(d, v, TRUE, &starts_total, &starts_shown);
  count_arcs(d, v, FALSE, &ends_total, &ends_shown);

  cx_json_begin_object(j);
  cx_calendar_json(cx_log_options(d->log)->calendar, j);
  key_int(j, "cases", cx_dfg_n_cases(d));
  key_int(j, "events", d->n_raw);
  key_int(j, "instances", cx_dfg_n_events(d));
  key_int(j, "activities", nn);
  cx_json_key(j, "simplified");
  cx_json_bool(j, v != NULL);
  cx_json_key_double(j, "activities_share", v != NULL ? v->activities_pct / 100 : 1);
  cx_json_key_double(j, "paths_share", v != NULL ? v->paths_pct / 100 : 1);
  cx_json_key(j, "truncated");
  cx_json_bool(j, nodes_shown < nn || edges_shown < ne || starts_shown < starts_total
                      || ends_shown < ends_total);
  key_int(j, "nodes_total", nn);
  key_int(j, "start_total", starts_total);
  key_int(j, "end_total", ends_total);
  key_int(j, "edges_total", ne);
  cx_json_key(j, "nodes");
  cx_json_begin_array(j);
  for (guint i = 0; i < nn; i++) {
    if (v != NULL && !kept(v->activity_kept, v->n_activities, nodes[i].activity))
      continue;
    cx_json_begin_object(j);
    cx_json_key(j, "activity");
    cx_json_string(j, act_name(d, nodes[i].activity));
    key_int(j, "count", nodes[i].count);
    key_int(j, "cases", nodes[i].cases);
    if (d->keep_case_ids) {
      guint n;
      const guint32 *ids = cx_dfg_node_case_ids(d, nodes[i].activity, &n);
      cx_case_ids_to_json(j, cx_log_cases(d->log), ids, n);
    }
    key_int(j, "services", nodes[i].service.n);
    cx_json_key(j, "service_s");
    cx_json_summary(j, &nodes[i].service);
    cx_json_end_object(j);
  }
  cx_json_end_array(j);
  cx_json_key(j, "start");
  arcs_json(d, v, j, TRUE);
  cx_json_key(j, "end");
  arcs_json(d, v, j, FALSE);
  cx_json_key(j, "edges");
  cx_json_begin_array(j);
  for (guint i = 0; i < ne; i++) {
    if (v != NULL && !kept(v->edge_kept, v->n_edges, i))
      continue;
    cx_json_begin_object(j);
    cx_json_key(j, "from");
    cx_json_string(j, act_name(d, edges[i].from));
    cx_json_key(j, "to");
    cx_json_string(j, act_name(d, edges[i].to));
    key_int(j, "count", edges[i].count);
    key_int(j, "cases", edges[i].cases);
    if (d->keep_case_ids) {
      guint n;
      const guint32 *ids = cx_dfg_edge_case_ids(d, i, &n);
      cx_case_ids_to_json(j, cx_log_cases(d->log), ids, n);
    }
    key_int(j, "waits", edges[i].wait.n);
    cx_json_key(j, "wait_s");
    cx_json_summary(j, &edges[i].wait);
    cx_json_end_object(j);
  }
  cx_json_end_array(j);
  /* every sample is kept: quantiles are exact, here and after 'cxmine merge' */
  cx_json_key(j, "quantile_rel_error");
  cx_json_int(j, 0);
  cx_json_end_object(j);
}

/* ---------- the state in a partial (docs/partial-format.md) ---------- */

static void
dfg_save(gpointer data, GByteArray *out)
{
  CxDfg *d = data;
  cx_partial_put_varint(out, cx_dfg_n_cases(d));
  cx_partial_put_varint(out, cx_dfg_n_events(d));
  cx_partial_put_varint(out, d->n_raw);
  /* 1: every node and edge lists its cases (written with --case-ids) */
  cx_partial_put_varint(out, d->keep_case_ids);
  CxPool *cases = cx_log_cases(d->log);
  guint n = 0, na = cx_transitions_n_acts(d->t);
  for (guint i = 0; i < na; i++) {
    const CxTransitionsAct *a = cx_transitions_act(d->t, i);
    n += a->count > 0 || a->starts > 0;
  }
  cx_partial_put_varint(out, n);
  for (guint i = 0; i < na; i++) {
    const CxTransitionsAct *a = cx_transitions_act(d->t, i);
    if (a->count == 0 && a->starts == 0)
      continue;
    cx_partial_put_varint(out, i);
    cx_partial_put_varint(out, a->count);
    cx_partial_put_varint(out, a->cases);
    cx_partial_put_varint(out, a->starts);
    cx_partial_put_varint(out, a->ends);
    if (a->service != NULL)
      cx_partial_put_samples(out, (double *)a->service->data, a->service->len);
    else
      cx_partial_put_samples(out, NULL, 0);
    if (d->keep_case_ids)
      cx_partial_put_case_refs(out, cases, a->refs);
  }
  guint ne = cx_transitions_n_edges(d->t);
  cx_partial_put_varint(out, ne);
  for (guint i = 0; i < ne; i++) {
    const CxTransitionsEdge *e = cx_transitions_edge(d->t, i);
    cx_partial_put_varint(out, e->from);
    cx_partial_put_varint(out, e->to);
    cx_partial_put_varint(out, e->count);
    cx_partial_put_varint(out, e->cases);
    cx_partial_put_samples(out, (double *)e->waits->data, e->waits->len);
    if (d->keep_case_ids)
      cx_partial_put_case_refs(out, cases, e->refs);
  }
}

static gboolean
dfg_load(gpointer data, CxPartialIn *in)
{
  CxDfg *d = data;
  guint64 v[4], n, refs;
  if (!cx_partial_in_varint(in, &v[0]) || !cx_partial_in_varint(in, &v[1])
      || !cx_partial_in_varint(in, &v[2]) || !cx_partial_in_varint(in, &refs) || refs > 1
      || !cx_partial_in_varint(in, &n))
    return FALSE;
  if (d->keep_case_ids && !refs && v[0] > 0)
    return cx_partial_in_refuse(in, "was written without --case-ids, so it cannot list case ids: "
                                    "write the partials with --case-ids");
  d->dirty = TRUE;
  cx_transitions_add_counts(d->t, v[0], v[1]);
  d->n_raw += v[2];
  for (guint64 i = 0; i < n; i++) {
    guint32 id;
    if (!cx_partial_in_id(in, CX_PARTIAL_ACTIVITIES, &id))
      return FALSE;
    for (int k = 0; k < 4; k++)
      if (!cx_partial_in_varint(in, &v[k]))
        return FALSE;
    CxTransitionsAct *a = cx_transitions_act_get(d->t, id);
    a->count += v[0];
    a->cases += v[1];
    a->starts += v[2];
    a->ends += v[3];
    if (a->service == NULL)
      a->service = g_array_new(FALSE, FALSE, sizeof(double));
    if (!cx_partial_in_samples(in, a->service))
      return FALSE;
    if (a->service->len == 0)
      g_clear_pointer(&a->service, g_array_unref);
    if (refs && !cx_partial_in_case_refs(in, v[1], d->keep_case_ids ? &a->refs : NULL))
      return FALSE;
  }
  if (!cx_partial_in_varint(in, &n))
    return FALSE;
  for (guint64 i = 0; i < n; i++) {
    guint32 from, to;
    if (!cx_partial_in_id(in, CX_PARTIAL_ACTIVITIES, &from)
        || !cx_partial_in_id(in, CX_PARTIAL_ACTIVITIES, &to) || !cx_partial_in_varint(in, &v[0])
        || !cx_partial_in_varint(in, &v[1]))
      return FALSE;
    CxTransitionsEdge *e = cx_transitions_edge_get(d->t, from, to);
    e->count += v[0];
    e->cases += v[1];
    if (!cx_partial_in_samples(in, e->waits))
      return FALSE;
    if (refs && !cx_partial_in_case_refs(in, v[1], d->keep_case_ids ? &e->refs : NULL))
      return FALSE;
  }
  return TRUE;
}

static gpointer
dfg_make(CxLog *log, gboolean case_ids)
{
  CxDfg *d = cx_dfg_new(log);
  if (case_ids)
    cx_dfg_keep_case_ids(d);
  return d;
}

static void
dfg_free(gpointer d)
{
  cx_dfg_free(d);
}

const CxPartialState cx_dfg_partial_state
    = { "dfg", dfg_make, dfg_free, cx_dfg_add, cx_dfg_reset, dfg_save, dfg_load };
