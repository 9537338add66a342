/* cxmine — the transitions of journeys: per activity and per directly-follows
 * pair (A -> B, consecutive activity instances of one journey), how often,
 * in how many journeys, and the waits and service times measured there.
 *
 * One accumulator that the DFG, the statistics, compare and friction build
 * on.  cx_transitions_merge() of two accumulators equals one pass over both
 * inputs in the same order (the first's journeys, then the second's): the
 * counts, the samples (quantile states, or every sample in order with
 * SAMPLE_CASES) and every case list.  That is what lets
 * threads or shards each fill their own and merge at the end.
 *
 * What is kept is chosen once, by flags, so that an analysis pays only for
 * what it reads. */
#pragma once

#include <glib.h>
#include "cxmine/calendar.h"
#include "cxmine/case-ids.h"
#include "cxmine/log.h"
#include "cxmine/reader.h"
#include "quantiles-private.h"
#include "tag-list-private.h"

G_BEGIN_DECLS

/* The wait from @prev to @next, consecutive instances of one journey: from
 * @prev's completion to @next's start (its completion when it has no start),
 * in calendar time (cx_elapsed).  Returns FALSE when either end is untimed.
 * The only definition of a wait; the DFG's (checked against PM4Py). */
static inline gboolean
cx_transition_wait(const CxCalendar *cal, const CxEvent *prev, const CxEvent *next, gint64 *usec)
{
  gint64 b = next->start != CX_TS_NONE ? next->start : next->time;
  if (b == CX_TS_NONE || prev->time == CX_TS_NONE)
    return FALSE;
  *usec = cx_elapsed(cal, prev->time, b);
  return TRUE;
}

/* The service time of @e, from its start to its completion (calendar time).
 * Returns FALSE when it has no start or no completion. */
static inline gboolean
cx_transition_service(const CxCalendar *cal, const CxEvent *e, gint64 *usec)
{
  if (e->start == CX_TS_NONE || e->time == CX_TS_NONE)
    return FALSE;
  *usec = cx_elapsed(cal, e->start, e->time);
  return TRUE;
}

/* Microseconds as the double seconds that samples hold. */
static inline double
cx_transition_seconds(gint64 usec)
{
  return (double)usec / (double)CX_USEC_PER_SEC;
}

/* The exact sum of @n samples (double seconds), each rounded to the
 * microsecond it was measured in; and of the samples of a list. */
CxExactSum cx_transitions_exact_sum(const double *samples, gsize n);
CxExactSum cx_transitions_list_sum(const CxSampleList *l);
/* The samples of @l in order, in seconds, in a new array of double. */
GArray *cx_transitions_list_seconds(const CxSampleList *l);

typedef enum {
  CX_TRANSITIONS_EDGES = 1 << 0,        /* count pairs, not only activities */
  CX_TRANSITIONS_WAITS = 1 << 1,        /* per edge, its waits (CxQuantiles) */
  CX_TRANSITIONS_SERVICE = 1 << 2,      /* per activity, its service times (CxQuantiles) */
  CX_TRANSITIONS_CASES = 1 << 3,        /* per activity and edge, its cases (CxCaseRef) */
  CX_TRANSITIONS_SAMPLE_CASES = 1 << 4, /* waits and service times kept one by one instead,
                                         * each with the tag of its journey */
  CX_TRANSITIONS_ARRIVALS = 1 << 5,     /* per activity, the wait before each instance */
  CX_TRANSITIONS_CASE_MEANS = 1 << 6,   /* per edge (and activity, with ARRIVALS), one mean
                                         * wait per journey that has a wait there */
  CX_TRANSITIONS_CASE_TAGS = 1 << 7,    /* per activity and edge, the tag of each journey */
} CxTransitionsFlags;

/* The numbers of one activity.  The fields are read directly; besides the
 * accumulator, only code that sets numbers it did not count writes them
 * (partial loads, compare's difference of two sides), through the _get
 * functions. */
typedef struct {
  guint64 count;                /* instances */
  guint64 cases;                /* journeys with at least one instance */
  guint64 starts, ends;         /* journeys that start (end) with it */
  guint64 last_seq;             /* the journey that last counted a case here */
  CxQuantiles *service;         /* seconds, NULL until the first sample */
  CxSampleList service_samples; /* with SAMPLE_CASES instead: in order, */
  CxTagList service_tags;       /* and the journey tag of each (a byte or so a sample) */
  GArray *refs;                 /* CxCaseRef per journey, with CASES; NULL until the first */
  CxTagList case_tags;          /* the tag of each journey, with CASE_TAGS */
  CxQuantiles *arrivals;        /* seconds, with ARRIVALS: the waits of the pairs into it */
  CxQuantiles *case_waits;      /* seconds, with CASE_MEANS and ARRIVALS: a mean per journey */
  double case_sum;              /* the current journey's waits here, for case_waits */
  guint case_n;
} CxTransitionsAct;

/* The numbers of one pair from -> to. */
typedef struct {
  guint32 from, to;
  guint64 count; /* occurrences */
  guint64 cases; /* journeys with at least one */
  guint64 last_seq;
  CxQuantiles *waits;        /* seconds, with WAITS (made with the edge); else NULL */
  CxSampleList wait_samples; /* with WAITS and SAMPLE_CASES instead: in order */
  CxTagList wait_tags;       /* and the journey tag of each */
  GArray *refs;              /* as in CxTransitionsAct */
  CxTagList case_tags;       /* the tag of each journey, with CASE_TAGS */
  CxQuantiles *case_waits;   /* seconds, with CASE_MEANS: a mean per journey */
  double case_sum;
  guint case_n;
} CxTransitionsEdge;

typedef struct _CxTransitions CxTransitions;

/* Returns an empty accumulator keeping what @flags (CxTransitionsFlags)
 * ask for; waits and service times are measured in the calendar of @log's
 * options (@log not owned). */
CxTransitions *cx_transitions_new(CxLog *log, guint flags);
void cx_transitions_free(CxTransitions *t);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CxTransitions, cx_transitions_free)
/* Empties @t, keeping its flags. */
void cx_transitions_reset(CxTransitions *t);
/* FALSE with @error set once a list of @t (SAMPLE_CASES, CASE_TAGS: kept
 * on disk past a block, tag-list-private.h) failed to be written or read
 * back: check after adding and after reading them. */
gboolean cx_transitions_check(const CxTransitions *t, GError **error);
guint cx_transitions_flags(const CxTransitions *t);

/* Counts the journey @j's instances and pairs.  @tag names the journey in
 * case lists and sample tags (e.g. its case id, or an analysis's index of
 * it).  A journey without instances counts nothing. */
void cx_transitions_add(CxTransitions *t, const CxJourney *j, guint32 tag);

/* Pairs of other ids than consecutive activities (channels, say), counted
 * by the caller: cx_transitions_begin() starts a journey, then
 * cx_transitions_count() counts each of its pairs from -> to, with the wait
 * @usec when @timed.  @tag as in cx_transitions_add(); case refs (CASES)
 * get no start time.  Not with CASE_MEANS. */
void cx_transitions_begin(CxTransitions *t);
void cx_transitions_count(CxTransitions *t, guint32 from, guint32 to, gboolean timed, gint64 usec,
                          guint32 tag);

/* Adds @src's numbers to @dst, as if @src's journeys had been added to @dst
 * after its own.  Both must have the same flags. */
void cx_transitions_merge(CxTransitions *dst, const CxTransitions *src);

/* The journeys counted (those with instances) and their instances. */
guint64 cx_transitions_n_journeys(const CxTransitions *t);
guint64 cx_transitions_n_instances(const CxTransitions *t);
/* Adds saved totals (to load saved numbers). */
void cx_transitions_add_counts(CxTransitions *t, guint64 n_journeys, guint64 n_instances);

/* Activity ids below this may have numbers; cx_transitions_act() of any
 * other id is NULL. */
guint cx_transitions_n_acts(const CxTransitions *t);
/* The numbers of @activity (all zero when it never occurred), or NULL
 * beyond cx_transitions_n_acts(). */
CxTransitionsAct *cx_transitions_act(const CxTransitions *t, guint32 activity);
/* The numbers of @activity, made when missing (to load saved numbers). */
CxTransitionsAct *cx_transitions_act_get(CxTransitions *t, guint32 activity);

/* The pairs seen, in order of first appearance (index 0 .. n - 1). */
guint cx_transitions_n_edges(const CxTransitions *t);
CxTransitionsEdge *cx_transitions_edge(const CxTransitions *t, guint i);
/* The pair from -> to, or NULL when never seen. */
CxTransitionsEdge *cx_transitions_find(const CxTransitions *t, guint32 from, guint32 to);
/* The pair from -> to, made when missing (to load saved numbers). */
CxTransitionsEdge *cx_transitions_edge_get(CxTransitions *t, guint32 from, guint32 to);

/* Notes journey @ref in @refs (made on first use): for loading and for
 * analyses that keep their own lists. */
void cx_transitions_add_ref(GArray **refs, CxCaseRef ref);

G_END_DECLS
