/* cxmine — summary statistics of the journeys of a log. */
#pragma once

#include <glib.h>
#include "cxmine/log.h"
#include "cxmine/reader.h"
#include "cxmine/json-writer.h"
#include "cxmine/summary.h"

G_BEGIN_DECLS

typedef struct _CxStats CxStats;

/* Returns empty statistics over @log (not owned). */
CxStats *cx_stats_new(CxLog *log);
void cx_stats_free(CxStats *s);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CxStats, cx_stats_free)

/* A CxJourneyFunc and CxResetFunc: pass @s as user data. */
gboolean cx_stats_add(const CxJourney *j, gpointer s, GError **error);
void cx_stats_reset(gpointer s);
/* A CxForkFunc / CxMergeFunc for cx_log_set_split(): empty statistics over
 * the log of @s, and @part added to @s (as one scan over both journeys
 * would give), then freed. */
gpointer cx_stats_fork(gpointer s);
void cx_stats_absorb(gpointer s, gpointer part);

/* The headline numbers, as cx_stats_to_json() writes them. */
typedef struct {
  guint64 cases, events, instances;
  guint activities, variants;
  gint64 first, last; /* CX_TS_NONE when no timestamp */
  CxSummary duration; /* case durations in seconds (n = 0: none timed) */
  guint n_channels;
  guint32 channels[8];       /* the most used channels (ids in cx_log_channels()), at most 8 */
  guint64 channel_counts[8]; /* their activity instances */
} CxStatsSummary;

/* Fills @out (after the scan). */
void cx_stats_summarize(CxStats *s, CxStatsSummary *out);

/* Writes the statistics as one JSON object (see cxmine stats --json). */
void cx_stats_to_json(CxStats *s, CxJson *json);
/* Appends a readable report to @out. */
void cx_stats_to_text(CxStats *s, GString *out);

G_END_DECLS
