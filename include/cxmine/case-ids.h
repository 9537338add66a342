/* cxmine — the cases behind a result, for drill-down (--case-ids).
 *
 * A variant, a directly-follows edge or node, a friction finding: each can
 * list the cases behind it.  Every such list is ordered one way
 * (../shared/DECISIONS.md): by the case's start time (untimed cases last),
 * then by case id in byte order, so that it never depends on file order,
 * threads or shards.  Analyses collect CxCaseRef records (only when asked:
 * memory grows with the cases listed) and sort them here. */
#pragma once

#include <glib.h>
#include "cxmine/log.h"
#include "cxmine/json-writer.h"

G_BEGIN_DECLS

typedef struct {
  gint64 first;    /* the case's start (cx_case_ref_first); G_MAXINT64 when untimed */
  guint32 case_id; /* id in cx_log_cases() */
} CxCaseRef;

/* The start of @j as CxCaseRef.first: its first timestamp, or G_MAXINT64. */
gint64 cx_case_ref_first(const CxJourney *j);
/* The sort key of a start time that may be CX_TS_NONE. */
static inline gint64
cx_case_ref_key(gint64 first)
{
  return first == CX_TS_NONE ? G_MAXINT64 : first;
}
/* Sorts @n refs by start, then case id (@cases, the log's case pool) in
 * byte order. */
void cx_case_refs_sort(CxCaseRef *refs, gsize n, CxPool *cases);
/* Sorts @refs (a GArray of CxCaseRef) and sets @ids (a GArray of guint32)
 * to their case ids in that order. */
void cx_case_refs_to_ids(GArray *refs, CxPool *cases, GArray *ids);
/* Writes "case_ids": [...] (the key and the array of @n ids of @cases). */
void cx_case_ids_to_json(CxJson *json, CxPool *cases, const guint32 *ids, gsize n);

/* Appends the first @max (0 = all) of @n ids of @cases, comma-separated,
 * then " … and N more" when some are left out (text for people). */
void cx_case_ids_to_text(GString *out, CxPool *cases, const guint32 *ids, gsize n, gsize max);

G_END_DECLS
