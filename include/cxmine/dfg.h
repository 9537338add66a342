/* cxmine — directly-follows graphs with frequencies and waiting times.
 *
 * Definitions (as PM4Py's discover_dfg / discover_performance_dfg on logs
 * without lifecycle pairs):
 *  - node A: its instances (count) and the cases containing it (cases);
 *  - edge A -> B: B is the next instance after A in a journey; count, cases
 *    (distinct cases taking it at least once) and the wait = B's start (or
 *    its timestamp) minus A's completion, in seconds, over every occurrence
 *    where both are timed (exact summaries: all samples are kept);
 *  - start/end: journeys whose first/last instance is A.
 * Nodes with paired lifecycle instances carry service-time summaries. */
#pragma once

#include <glib.h>
#include "cxmine/log.h"
#include "cxmine/reader.h"
#include "cxmine/summary.h"
#include "cxmine/json-writer.h"

G_BEGIN_DECLS

typedef struct _CxDfg CxDfg;

typedef struct {
  guint32 activity;     /* id in cx_log_activities() */
  guint64 count;        /* instances */
  guint64 cases;        /* cases containing it */
  guint64 starts, ends; /* journeys starting / ending with it */
  CxSummary service;    /* service times in seconds (n = 0 when none) */
} CxDfgNode;

typedef struct {
  guint32 from, to; /* activity ids */
  guint64 count;
  guint64 cases;
  CxSummary wait; /* seconds */
} CxDfgEdge;

/* Returns an empty graph over @log (not owned; must outlive the graph). */
CxDfg *cx_dfg_new(CxLog *log);
void cx_dfg_free(CxDfg *dfg);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CxDfg, cx_dfg_free)

/* A CxJourneyFunc / CxResetFunc: pass the graph as user data. */
gboolean cx_dfg_add(const CxJourney *j, gpointer dfg, GError **error);
void cx_dfg_reset(gpointer dfg);

guint64 cx_dfg_n_cases(const CxDfg *dfg);
guint64 cx_dfg_n_events(const CxDfg *dfg); /* instances */

/* Nodes, most frequent first (ties by name). Owned by the graph; computed on
 * first call after the last add. */
const CxDfgNode *cx_dfg_nodes(CxDfg *dfg, guint *n);
/* Edges ordered by (from name, to name): deterministic. Owned by the graph. */
const CxDfgEdge *cx_dfg_edges(CxDfg *dfg, guint *n);
/* The wait samples (seconds, in the order counted) of edge @i of
 * cx_dfg_edges() while they are kept exactly; NULL (*@n = 0) once more
 * than CX_QUANTILES_EXACT_MAX made them a sketch (CxSummary.sketched). */
const double *cx_dfg_edge_waits(CxDfg *dfg, guint i, gsize *n);
/* Keeps the cases of every node and edge (cx_dfg_node_case_ids,
 * cx_dfg_edge_case_ids; "case_ids" in JSON): memory grows by 12 bytes per
 * case and node or edge it contains.  Call before the first journey is added. */
void cx_dfg_keep_case_ids(CxDfg *dfg);
gboolean cx_dfg_keeps_case_ids(const CxDfg *dfg);
/* The cases of edge @i of cx_dfg_edges() (ids in cx_log_cases(), by start
 * time, untimed last, then case id in byte order), @n of them; NULL unless
 * kept.  Owned by the graph. */
const guint32 *cx_dfg_edge_case_ids(CxDfg *dfg, guint i, guint *n);
/* The same for the node of @activity (none when it never occurred). */
const guint32 *cx_dfg_node_case_ids(CxDfg *dfg, guint32 activity, guint *n);
/* Index of edge from -> to in cx_dfg_edges(), or -1. */
int cx_dfg_find_edge(CxDfg *dfg, guint32 from, guint32 to);

/* The log the graph was built over. */
CxLog *cx_dfg_log(const CxDfg *dfg);
/* The node of @activity, or NULL when it never occurred. Owned by the graph. */
const CxDfgNode *cx_dfg_node(CxDfg *dfg, guint32 activity);
/* The service-time samples of @activity, as cx_dfg_edge_waits(). */
const double *cx_dfg_node_services(CxDfg *dfg, guint32 activity, gsize *n);

/* Adds every count and sample of @src to @dst; both must be over the same
 * log. @src is left unchanged: the graph of both groups of journeys, as one
 * scan over them would give. */
void cx_dfg_merge(CxDfg *dst, CxDfg *src);
/* A CxForkFunc / CxMergeFunc for cx_log_set_split(): an empty graph like
 * @dfg (its log, whether it keeps case ids), and cx_dfg_merge() of @part
 * into @dfg, then @part freed. */
gpointer cx_dfg_fork(gpointer dfg);
void cx_dfg_absorb(gpointer dfg, gpointer part);

/* ---------- simplification ---------- */

/* A view of a graph: which activities and arcs to show.  The masks are
 * public so that a caller may adjust them (e.g. force an edge in). */
typedef struct {
  guint n_activities;               /* length of the activity masks: cx_pool_size(activities) */
  guint n_edges;                    /* length of edge_kept: as cx_dfg_edges() */
  guint8 *activity_kept;            /* by activity id */
  guint8 *start_kept;               /* by activity id: the arc start -> A */
  guint8 *end_kept;                 /* by activity id: the arc A -> end */
  guint8 *edge_kept;                /* by index in cx_dfg_edges() */
  double activities_pct, paths_pct; /* as asked */
  guint max_nodes;                  /* as asked; 0 = no cap */
  guint capped;                     /* activities --activities would keep that the cap left out */
  guint64 work;                     /* steps taken to build the view (arcs and nodes visited,
                                     * queue operations): tests check it grows linearly */
} CxDfgView;

/* The default cap on the activities a map draws (cx_dfg_view_new_capped):
 * Graphviz lays out a few hundred nodes in seconds, tens of thousands not
 * in minutes. */
#define CX_DFG_MAX_NODES 200u

/* Simplifies @dfg like Disco's sliders (0-100 each):
 *  - @activities_pct keeps the most frequent activities (ties by name) until
 *    they cover that share of all instances (at least one activity), then
 *    drops those that cannot be reached from start or cannot reach end over
 *    the arcs among them (taking more activities while none would be left);
 *  - @paths_pct keeps that share of those arcs (start and end arcs
 *    included), strongest (count) first, then adds the strongest arcs needed
 *    so that every kept activity is reachable from start and reaches end.
 * 100/100 keeps everything. Returns a new view; free with cx_dfg_view_free(). */
CxDfgView *cx_dfg_view_new(CxDfg *dfg, double activities_pct, double paths_pct);
/* As cx_dfg_view_new(), keeping at most @max_nodes activities (0 = no cap):
 * the most frequent ones that --activities keeps, then those cut off from
 * start or end dropped. Only when none of the @max_nodes most frequent
 * activities lies on a path from start to end are more taken (as with a low
 * @activities_pct). view->capped says how many the cap left out.
 * Time O((V + E) log E) for V activities and E edges. */
CxDfgView *cx_dfg_view_new_capped(CxDfg *dfg, double activities_pct, double paths_pct,
                                  guint max_nodes);
/* The number of activities a map shows by default (cx_dfg_view_new_top):
 * about what a reader takes in at a glance. */
#define CX_DFG_DEFAULT_ACTIVITIES 25u

/* As cx_dfg_view_new(), keeping the @n_activities activities that the most
 * cases reach (ties: more instances, then name; 0 = all), then those cut
 * off from start or end dropped (taking more while none lies on a path from
 * start to end), and @paths_pct of the arcs among them as there.
 * view->capped says how many activities were not taken. */
CxDfgView *cx_dfg_view_new_top(CxDfg *dfg, guint n_activities, double paths_pct);
/* A view keeping every activity and arc. */
CxDfgView *cx_dfg_view_new_full(CxDfg *dfg);
void cx_dfg_view_free(CxDfgView *view);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CxDfgView, cx_dfg_view_free)
/* Counts what @view keeps. */
void cx_dfg_view_counts(const CxDfgView *view, guint *activities, guint *edges);

/* ---------- back edges ---------- */

/* An arc of a graph over node ids 0..n_nodes-1. */
typedef struct {
  guint32 from, to;
  guint64 weight;
} CxDfgArc;

/* The one back-edge search every map uses. Sets @back[i] (n_arcs entries)
 * to 1 when arc i is a back edge of a depth-first walk that starts from each
 * of @roots in turn (roots already visited are skipped; nodes reached from
 * no root are not walked) and follows each node's out-arcs heaviest first
 * (ties: the earlier in @arcs), else to 0. An arc into a node still on the
 * walk's path is a back edge; leaving those out of the ranking
 * (constraint=false) makes a map's main flow read top-down with loops
 * pointing back up. Arcs with an end >= @n_nodes are ignored. Iterative (no
 * recursion), O(n_nodes + n_arcs log n_arcs). Returns the work done (nodes
 * and arcs visited), for tests that check it stays linear. */
guint64 cx_dfg_back_edges(const CxDfgArc *arcs, guint n_arcs, guint n_nodes, const guint32 *roots,
                          guint n_roots, guint8 *back);

/* Writes the graph (only what @view keeps; NULL = all) as one JSON object:
 * {"cases","events","instances","activities","simplified","activities_share",
 *  "paths_share","truncated","nodes_total","start_total","end_total","edges_total",
 *  "nodes":[{"activity","count","cases","services","service_s":{...}}],
 *  (nodes and edges with "case_ids" after "cases" when kept),
 *  "start":[{"activity","count"}],"end":[...],
 *  "edges":[{"from","to","count","cases","waits","wait_s":{mean,median,p90,min,max,total}}]}
 * Nodes most frequent first, edges by (from, to) name; a summary of no
 * samples is an object of nulls. docs/json.md says what each key means. */
void cx_dfg_to_json(CxDfg *dfg, const CxDfgView *view, CxJson *json);

G_END_DECLS
