/* cxmine — a journey store: compact copies of journeys, to feed analyses
 * again after the scan without reading the log twice.
 *
 * Each kept journey costs its instances (32 bytes each, CxEvent), its
 * attributes (8 bytes each) and a 40-byte record; nothing else (no
 * strings: the ids stay the log's).  compare --by uses it to give every
 * segment, and the rest of every segment, its own friction analysis once
 * the segments are known (numeric bins are decided from all values). */
#pragma once

#include <glib.h>
#include "cxmine/log.h"
#include "cxmine/reader.h"

G_BEGIN_DECLS

typedef struct _CxJourneyStore CxJourneyStore;

/* Returns an empty store that may take @budget bytes (0 = CX_MEMORY_DEFAULT:
 * pass the log's CxReadOptions.memory, the one --memory budget). */
CxJourneyStore *cx_journey_store_new(guint64 budget);
void cx_journey_store_free(CxJourneyStore *st);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CxJourneyStore, cx_journey_store_free)

/* Keeps a copy of @j (its instances and attributes) with @tag (any number
 * the caller chooses, e.g. the id of a value); journeys keep the order in
 * which they were added.  FALSE with CX_READER_ERROR_MEMORY when the kept
 * journeys would take more than the budget (nothing is spilled to disk). */
gboolean cx_journey_store_add(CxJourneyStore *st, const CxJourney *j, guint32 tag, GError **error);
/* Forgets every journey (a CxResetFunc: pass the store as user data). */
void cx_journey_store_reset(gpointer st);
guint64 cx_journey_store_n(const CxJourneyStore *st);
/* The memory the kept journeys take (bytes). */
gsize cx_journey_store_bytes(const CxJourneyStore *st);

/* Hands every kept journey whose tag t has keep[t] != 0 (tags at or past
 * @n_keep are not kept; @keep NULL = every journey) to @func, in the order
 * added, as the scan did.  Stops at the first failure and returns FALSE
 * with @error set by @func. */
gboolean cx_journey_store_replay(const CxJourneyStore *st, const guint8 *keep, guint n_keep,
                                 CxJourneyFunc func, gpointer data, GError **error);

G_END_DECLS
