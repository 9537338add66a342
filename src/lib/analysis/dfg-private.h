/* cxmine — DFG internals shared by dfg.c (counting, results, JSON,
 * partials) and dfg-view.c (simplification, back edges). */
#pragma once

#include "cxmine/dfg.h"

G_BEGIN_DECLS

/* Activity ids below this may have numbers in @d (at least every id seen). */
guint cx_dfg_id_bound(const CxDfg *d);
/* The order of cx_dfg_nodes(): most instances first, ties by name; @d is
 * the CxDfg, as data for g_array_sort_with_data(). */
int cx_dfg_cmp_node(gconstpointer a, gconstpointer b, gpointer d);

G_END_DECLS
