/* Directly-follows graphs: counts per activity id and per (from, to) pair,
 * with the waits and service times in quantile states (exact up to a fixed
 * count, then a sketch).  The counting
 * is the transitions accumulator's (transitions-private.h); this file turns
 * it into sorted nodes and edges, views, JSON and partials. */
#include "hash-private.h"
#include "dfg-private.h"
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
  return CX_TRANSITIONS_EDGES | CX_TRANSITIONS_WAITS | CX_TRANSITIONS_SERVICE
         | (keep_case_ids ? CX_TRANSITIONS_CASES : 0);
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

guint
cx_dfg_id_bound(const CxDfg *d)
{
  return cx_transitions_n_acts(d->t);
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

gpointer
cx_dfg_fork(gpointer dfg)
{
  CxDfg *d = dfg, *f = cx_dfg_new(d->log);
  if (d->keep_case_ids)
    cx_dfg_keep_case_ids(f);
  return f;
}

void
cx_dfg_absorb(gpointer dfg, gpointer part)
{
  cx_dfg_merge(dfg, part);
  cx_dfg_free(part);
}

/* ---------- results ---------- */

static const char *
act_name(const CxDfg *d, guint32 a)
{
  return cx_pool_get(cx_log_activities(d->log), a);
}

int
cx_dfg_cmp_node(gconstpointer pa, gconstpointer pb, gpointer data)
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
  /* the exact quantiles sort every wait: seconds on a big log */
  const CxReadOptions *ro = cx_log_options(d->log);
  CxProgressStep step;
  guint ne = cx_transitions_n_edges(d->t);
  cx_progress_step_begin(&step, ro->progress, ro->progress_data, "summarising the waits", ne);
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
    cx_quantiles_summary(a->service, &n.service);
    g_array_append_val(d->nodes, n);
  }
  g_array_sort_with_data(d->nodes, cx_dfg_cmp_node, d);
  for (guint i = 0; i < d->nodes->len; i++)
    d->node_of[g_array_index(d->nodes, CxDfgNode, i).activity] = (int)i;

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
    cx_quantiles_summary(a->waits, &e->wait);
    guint64 *k = g_new(guint64, 1);
    *k = edge_key(a->from, a->to);
    g_hash_table_insert(d->out_pos, k, GUINT_TO_POINTER(i + 1));
    cx_progress_step_advance(&step, i + 1);
  }
  cx_progress_step_end(&step);
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
  return cx_quantiles_samples(a->service, n);
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
  return cx_quantiles_samples(cx_transitions_edge(d->t, d->out_acc[i])->waits, n);
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
  gboolean sketched = FALSE;
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
    sketched |= nodes[i].service.sketched;
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
    sketched |= edges[i].wait.sketched;
    key_int(j, "waits", edges[i].wait.n);
    cx_json_key(j, "wait_s");
    cx_json_summary(j, &edges[i].wait);
    cx_json_end_object(j);
  }
  cx_json_end_array(j);
  /* 0 while every quantile shown is exact, here and after 'cxmine merge' */
  cx_json_key_double(j, "quantile_rel_error", sketched ? CX_QUANTILES_REL_ERROR : 0);
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
    cx_partial_put_quantiles(out, a->service);
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
    cx_partial_put_quantiles(out, e->waits);
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
      a->service = cx_quantiles_new();
    if (!cx_partial_in_quantiles(in, a->service))
      return FALSE;
    if (cx_quantiles_n(a->service) == 0)
      g_clear_pointer(&a->service, cx_quantiles_free);
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
    if (!cx_partial_in_quantiles(in, e->waits))
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
