/* cxmine — cutting one log into groups of journeys, as `cxmine compare`
 * does with --split-at and --by (compare-run.h compares the groups).
 *
 *  - By time: a journey starting before the moment is on side 0, one
 *    starting at or after it on side 1; a journey without any time is on
 *    neither (cx_segment_split_side).
 *  - By an attribute (CxSegmentKey): each journey goes to the value of the
 *    attribute ("KEY": a trace attribute, else an event attribute's first
 *    value; "KEY@last": its last value; a CSV "case:KEY" column is KEY),
 *    CX_ID_NONE when it has none.  Once every value is known, CxSegments
 *    groups the values: numbers into bins (N bins of about equal journeys,
 *    or the edges given), anything else one segment per value, in the
 *    order the values were first seen; the journeys without a value are
 *    the segment "(none)", always last.  Bins no value falls in are left
 *    out. */
#pragma once

#include <glib.h>
#include "cxmine/journey.h"
#include "cxmine/log.h"

G_BEGIN_DECLS

#define CX_SEGMENT_ERROR (cx_segment_error_quark())
GQuark cx_segment_error_quark(void);

typedef enum {
  CX_SEGMENT_ERROR_BINS, /* the bins asked for do not fit the values */
} CxSegmentError;

/* ---------- by time ---------- */

/* 0 when @j starts before @split_at, 1 when it starts at or after it, -1
 * when it has no time. */
int cx_segment_split_side(const CxJourney *j, gint64 split_at);

/* ---------- by an attribute ---------- */

typedef struct _CxSegmentKey CxSegmentKey;

/* Routes the journeys of @log (not owned) by the attribute @key (copied;
 * "case:" dropped) and asks @log's reader for it (call before the scan). */
CxSegmentKey *cx_segment_key_new(CxLog *log, const char *key);
void cx_segment_key_free(CxSegmentKey *k);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CxSegmentKey, cx_segment_key_free)
/* The key as read ("case:" dropped). */
const char *cx_segment_key_name(const CxSegmentKey *k);
/* The value id (in cx_log_values) of @j's attribute, or CX_ID_NONE. */
guint32 cx_segment_key_value(CxSegmentKey *k, const CxJourney *j);
/* For a scan that restarts: forgets what was looked up. */
void cx_segment_key_reset(CxSegmentKey *k);
/* "; did you mean 'X'?" from the attribute keys the log has, or "" (new
 * string): for a key no journey has. */
char *cx_segment_key_hint(const CxSegmentKey *k);

/* ---------- the segments of the values ---------- */

typedef struct _CxSegments CxSegments;

/* Groups the @n values (ids in cx_log_values(@log), CX_ID_NONE for "no
 * value"; each once, first seen first) with @cases[i] journeys each into
 * segments.  @bins: "N" bins of about equal journeys or "E1,E2,..."
 * increasing edges, for numeric values only; NULL = 4 bins when every value
 * is a number and there are more than 4 distinct ones, else one segment per
 * value.  NULL with @error (CX_SEGMENT_ERROR_BINS, naming @key) when @bins
 * does not fit. */
CxSegments *cx_segments_new(CxLog *log, const char *key, const guint32 *values,
                            const guint64 *cases, guint n, const char *bins, GError **error);
void cx_segments_free(CxSegments *s);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CxSegments, cx_segments_free)
guint cx_segments_n(const CxSegments *s);
/* Segment @i's label: the value, a bin ("< 1000", "1000 to < 5000",
 * ">= 5000") or "(none)". */
const char *cx_segments_label(const CxSegments *s, guint i);
/* The segment of value @value, or -1 when @value was not among the values. */
gint cx_segments_of_value(const CxSegments *s, guint32 value);
/* TRUE when the values were binned. */
gboolean cx_segments_binned(const CxSegments *s);
/* How the values were binned ("4 bins of about equal journeys", "the bins
 * given"), or "" when they were not. */
const char *cx_segments_how(const CxSegments *s);

G_END_DECLS
