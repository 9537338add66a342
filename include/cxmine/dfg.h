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
#include "cxmine/reader.h"
#include "cxmine/summary.h"

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
/* The wait samples (seconds, sorted ascending) of edge @i of cx_dfg_edges(). */
const double *cx_dfg_edge_waits(CxDfg *dfg, guint i, gsize *n);
/* Index of edge from -> to in cx_dfg_edges(), or -1. */
int cx_dfg_find_edge(CxDfg *dfg, guint32 from, guint32 to);

G_END_DECLS
