/* cxmine — the filter chain as the sink, the scan driver and the survey use it. */
#pragma once

#include "cxmine/filter.h"
#include "log-private.h"

G_BEGIN_DECLS

/* One journey as the sink hands it to the chain: its ordered raw events
 * (before lifecycle pairing), where each one's wanted values are (vals +
 * idx[i] * nslots; idx NULL when nslots is 0), its case attributes. The
 * chain leaves in it the events, places and instances it kept. */
typedef struct {
  guint32 case_id;
  const CxEvent *ev;
  guint n;
  const guint32 *idx;
  const guint32 *vals;
  guint nslots;
  const CxAttr *attrs;
  guint n_attrs;
  guint raw; /* raw events (also those without an activity) */
  const CxEvent *inst;
  guint n_inst;
} CxFilterJourney;

/* Pairs @n ordered raw events into instances (the sink's make_instances). */
typedef const CxEvent *(*CxInstancesFunc)(gpointer data, const CxEvent *ev, guint n, guint *n_out);

/* Once per log, before the first scan: reads the windows' times in the
 * display zone, interns the values, gives every attribute key an event
 * value slot in log->want_slots. */
gboolean cx_filter_chain_prepare(CxFilterChain *chain, CxLog *log, GError **error);
/* Forgets the counters (a scan starts, or starts over); @survey: the pass
 * that explains an empty result (log->survey set), which keeps the counts
 * of the main pass and has every filter look at every journey alone. */
void cx_filter_chain_begin_scan(CxFilterChain *chain, gboolean survey);
/* Runs @j through the chain; TRUE when it is kept (@j then holds the kept
 * events and the instances). */
gboolean cx_filter_chain_run(CxFilterChain *chain, CxLog *log, CxFilterJourney *j,
                             CxInstancesFunc instances, gpointer data);

/* The pre-pass: the index of the first filter that needs the whole log and
 * has not been decided, or -1. */
int cx_filter_chain_pending(const CxFilterChain *chain);
/* While a pre-pass for filter @i runs, journeys that reach it are counted
 * and go no further; -1 ends the pre-pass mode. */
void cx_filter_chain_set_prepass(CxFilterChain *chain, int i);
/* Decides filter @i from what its pre-pass counted. */
void cx_filter_chain_decide(CxFilterChain *chain, CxLog *log, int i);

/* After the main scan: one notice per filter with what it kept. */
void cx_filter_chain_report(CxFilterChain *chain, CxLog *log);
/* TRUE when some filter kept no case of the cases it was given. */
gboolean cx_filter_chain_emptied(const CxFilterChain *chain);
/* Adds the attribute keys the chain's expressions name (as typed) to
 * @keys (char* owned by the chain). */
void cx_filter_chain_keys(const CxFilterChain *chain, GPtrArray *keys);
/* After the survey pass: warns (code "empty-selection") about the first
 * filter that kept nothing, with near misses, or, when each filter alone
 * keeps some, with what each keeps.  @keys (char* -> anything) holds every
 * attribute key of the log, @values_of (key -> (value -> count)) the values
 * of the keys cx_filter_chain_keys() gave; either may be NULL. */
void cx_filter_chain_explain(CxFilterChain *chain, CxLog *log, GHashTable *keys,
                             GHashTable *values_of);

G_END_DECLS
