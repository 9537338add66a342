/* cxmine — what scan.c needs of partial.c. */
#pragma once

#include "cxmine/reader.h"

G_BEGIN_DECLS

/* For a log that reads partials (cx_log_add_partial): replays every journey
 * of its segments in canonical order and sets its counters to their sums. */
gboolean cx_partial_replay(CxLog *log, CxJourneyFunc func, gpointer data, GError **error);
/* Orders the segments and makes their sources the log's. */
gboolean cx_partial_prepare_log(CxLog *log, GError **error);

G_END_DECLS
