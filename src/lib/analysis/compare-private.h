/* cxmine — compare internals: the side's numbers (compare.c), shared with
 * the items made from two sides (compare-items.c), the tests and their
 * meaning (compare-tests.c), the runs (compare-run.c, compare-by.c) and
 * the writers: compare-json.c, compare-text.c
 * and compare-map.c (DOT). */
#pragma once

#include "transitions-private.h"
#include "cxmine/compare.h"
#include "cxmine/variants.h"

G_BEGIN_DECLS

/* What a side keeps of its transitions.  Waits are kept twice: every
 * occurrence (for the medians users know from dfg) and one mean per journey
 * (the independent samples the test needs); an activity's waits are those
 * of the pairs into it. */
#define SIDE_TRANSITIONS                                                                           \
  (CX_TRANSITIONS_EDGES | CX_TRANSITIONS_WAITS | CX_TRANSITIONS_ARRIVALS                           \
   | CX_TRANSITIONS_CASE_MEANS)

typedef struct {
  guint32 activity;
  gint64 last;
} End;

/* A journey's place in the side's friction analysis. */
typedef struct {
  guint32 index;
} FrCase;

struct _CxCompareSide {
  CxLog *log;
  CxOutcome *outcome;
  CxFriction *friction;
  GArray *fr; /* FrCase, when friction is set */
  guint64 cases;
  CxTransitions *tr; /* activities and pairs (SIDE_TRANSITIONS) */
  CxVariants *variants;
  GArray *durations;   /* double seconds */
  GArray *instances;   /* double, instances per journey */
  GArray *ends;        /* End, when no friction analysis was set before the journeys */
  const char *sat_key; /* cx_compare_side_set_satisfaction, or NULL */
  guint32 sat_key_id;  /* G_MAXUINT32 until found in the log's keys */
  GArray *sat;         /* double, one score per journey that has one */
  /* a difference (cx_compare_side_new_difference): its variants are those
   * of var_all less those of var_part (not owned) */
  const CxCompareSide *var_all, *var_part;
};

struct _CxCompare {
  CxCompareOptions opts;
  GArray *items; /* CxCompareItem */
  guint n_tests, n_significant, n_changes;
};

/* compare-items.c: every item of the sides @s (headline, friction kinds,
 * activities, edges, variants; not yet judged), in a new array that frees
 * its items' strings.  Reads the sides only. */
GArray *cx_compare_items_make(const CxCompareSide *const s[2], const CxCompareOptions *o);
/* The median journey duration of both sides (seconds, at least 1): the unit
 * of time moved, for importance. */
double cx_compare_typical_duration(const CxCompareSide *const s[2]);

/* compare-run.c: @fo (NULL = the defaults) copied into @out, for the
 * runs of compare-run.c and compare-by.c. */
void cx_compare_friction_options(const CxFrictionOptions *fo, CxFrictionOptions *out);

/* Formatting shared by the text report and the map; each returns a new string. */
char *cx_compare_fmt_q(double q);         /* "q < 0.001", "q = 0.02" */
char *cx_compare_fmt_dur(double s);       /* "3.2 d"; "-" when unknown */
char *cx_compare_fmt_share(double share); /* "12%", "0.4%", "<0.1%", "0%" */
char *cx_compare_fmt_pct_delta(double d); /* share difference in points: "+4 points" */

G_END_DECLS
