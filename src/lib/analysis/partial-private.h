/* cxmine — what the scan driver and the analyses need of partial.c. */
#pragma once

#include "cxmine/reader.h"
#include "cxmine/partial.h"
#include "quantiles-private.h"

G_BEGIN_DECLS

/* For a log that reads partials (cx_log_add_partial): feeds @data every
 * segment, in canonical order, and sets the log's counters to their sums.
 * A segment of journeys is replayed through @func; a segment of analysis
 * state is merged into @data by the state codec whose add function is
 * @func (an error when there is none). */
gboolean cx_partial_replay(CxLog *log, CxJourneyFunc func, gpointer data, GError **error);
/* Orders the segments and makes their sources the log's. */
gboolean cx_partial_prepare_log(CxLog *log, GError **error);

/* ---- analysis state in a partial (stats, variants, dfg) ---- */

/* The string tables ids refer to. */
typedef enum {
  CX_PARTIAL_ACTIVITIES,
  CX_PARTIAL_RESOURCES,
  CX_PARTIAL_CHANNELS,
} CxPartialTable;

/* Reading a segment's state: bounded, ids remapped into the target log's
 * pools; every call returns FALSE once the bytes run out or a value is
 * impossible (the caller stops; replay reports the segment as corrupt). */
typedef struct _CxPartialIn CxPartialIn;
gboolean cx_partial_in_varint(CxPartialIn *in, guint64 *v);
gboolean cx_partial_in_time(CxPartialIn *in, gint64 *t); /* zigzag varint */
gboolean cx_partial_in_id(CxPartialIn *in, CxPartialTable table, guint32 *id);
/* A case id, interned in the target log's case pool. */
gboolean cx_partial_in_case(CxPartialIn *in, guint32 *id);
/* Merges a sample list written by cx_partial_put_quantiles() into @q. */
gboolean cx_partial_in_quantiles(CxPartialIn *in, CxQuantiles *q);
/* Reads @n case refs written by cx_partial_put_case_refs(), appending them
 * to *@refs (made on first use) when @refs is not NULL, else skipping them. */
gboolean cx_partial_in_case_refs(CxPartialIn *in, guint64 n, GArray **refs);
/* Makes the load fail with @why (a phrase naming what the partial lacks)
 * instead of "corrupt"; returns FALSE for the caller to return. */
gboolean cx_partial_in_refuse(CxPartialIn *in, const char *why);

void cx_partial_put_time(GByteArray *out, gint64 t);
void cx_partial_put_string(GByteArray *out, const char *s);
/* Writes the CxCaseRef of @refs (NULL = none) as (case id string, start) pairs. */
void cx_partial_put_case_refs(GByteArray *out, CxPool *cases, const GArray *refs);
/* Writes the sample list of @q (NULL: none): exact samples, or a sketch
 * (cx_quantiles_save). */
void cx_partial_put_quantiles(GByteArray *out, const CxQuantiles *q);

/* An analysis whose state is its partial: made, fed, saved, merged. */
typedef struct {
  const char *command;
  gpointer (*make)(CxLog *log, gboolean case_ids); /* case_ids: keep them (where it can) */
  void (*free)(gpointer data);
  CxJourneyFunc add;
  void (*reset)(gpointer data);
  void (*save)(gpointer data, GByteArray *out);
  gboolean (*load)(gpointer data, CxPartialIn *in);
} CxPartialState;

/* stats.c, variants.c, dfg.c */
extern const CxPartialState cx_stats_partial_state;
extern const CxPartialState cx_variants_partial_state;
extern const CxPartialState cx_dfg_partial_state;

G_END_DECLS
