/* cxmine — summary statistics of the journeys of a log. */
#pragma once

#include <glib.h>
#include "cxmine/reader.h"
#include "cxmine/json-writer.h"

G_BEGIN_DECLS

typedef struct _CxStats CxStats;

/* Returns empty statistics over @log (not owned). */
CxStats *cx_stats_new(CxLog *log);
void cx_stats_free(CxStats *s);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CxStats, cx_stats_free)

/* A CxJourneyFunc and CxResetFunc: pass @s as user data. */
gboolean cx_stats_add(const CxJourney *j, gpointer s, GError **error);
void cx_stats_reset(gpointer s);

/* Writes the statistics as one JSON object (see cxmine stats --json). */
void cx_stats_to_json(CxStats *s, CxJson *json);
/* Appends a readable report to @out. */
void cx_stats_to_text(CxStats *s, GString *out);

G_END_DECLS
