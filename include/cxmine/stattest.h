/* cxmine — statistical tests for comparing two groups of journeys.
 *
 * Pure math, no allocation beyond scratch space, no GError: every function
 * accepts any input (empty samples, zero counts) and answers p = 1 when
 * there is nothing to test.  p-values are always finite and in [0, 1].
 *
 *  - proportions: pooled two-proportion z-test (two-sided); Fisher's exact
 *    test (two-sided, "sum of tables no more likely than the observed one",
 *    as R and SciPy define it) when any expected cell is below 5;
 *  - samples: Mann-Whitney U with tie correction, normal approximation with
 *    continuity correction; the exact distribution when both samples are
 *    small (<= CX_STATTEST_MW_EXACT_MAX) and have no ties;
 *  - multiple testing: Benjamini-Hochberg adjusted q-values (monotone);
 *  - effect sizes: difference of rates, ratio of medians, rank-biserial
 *    correlation (= Cliff's delta for two samples).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Largest sample size (each side) for the exact Mann-Whitney distribution. */
#define CX_STATTEST_MW_EXACT_MAX 20

typedef enum {
  CX_STATTEST_NONE = 0,  /* nothing to test (an empty group, or both rates 0 or 1) */
  CX_STATTEST_Z,         /* pooled two-proportion z-test */
  CX_STATTEST_FISHER,    /* Fisher's exact test */
  CX_STATTEST_MW_EXACT,  /* Mann-Whitney, exact distribution */
  CX_STATTEST_MW_NORMAL, /* Mann-Whitney, normal approximation, tie and continuity corrected */
  CX_STATTEST_MW_BUCKETS /* the same over bucket ranks: a sketched sample's buckets are its
                          * tie groups ("mann-whitney buckets") */
} CxStatMethod;

/* A name for reports: "z", "fisher", "mann-whitney exact", ... */
const char *cx_stattest_method_name(CxStatMethod m);

/* Standard normal upper tail P(Z > z), accurate far into the tail (erfc). */
double cx_stattest_normal_sf(double z);
/* Standard normal CDF P(Z <= z). */
double cx_stattest_normal_cdf(double z);

/* Two-sided p-value of the pooled two-proportion z-test of x1/n1 against
 * x2/n2.  Sets *@z (may be NULL) to (p2 - p1) / se; p = 1 and z = 0 when
 * the pooled rate is 0 or 1 or a group is empty. */
double cx_stattest_prop_z(guint64 x1, guint64 n1, guint64 x2, guint64 n2, double *z);

/* Two-sided p-value of Fisher's exact test on the 2x2 table [[a, b], [c, d]]
 * (tables with a probability up to 1e-7 relative above the observed one
 * count as "as extreme").  Computed in log space (lgamma). */
double cx_stattest_fisher(guint64 a, guint64 b, guint64 c, guint64 d);

typedef struct {
  CxStatMethod method;
  double rate1, rate2; /* x1/n1 and x2/n2 (0 when n is 0) */
  double diff;         /* rate2 - rate1 */
  double p;
} CxPropTest;

/* Compares x1 of n1 with x2 of n2: Fisher when an expected cell of the 2x2
 * table is below 5, else the z-test.  Requires x1 <= n1 and x2 <= n2. */
void cx_stattest_proportions(guint64 x1, guint64 n1, guint64 x2, guint64 n2, CxPropTest *out);

typedef struct {
  CxStatMethod method;
  double u1;     /* U of sample 1: pairs (a, b) with a > b, ties counting 1/2 */
  double z;      /* normal approximation, continuity corrected (0 when exact or degenerate) */
  double p;      /* two-sided */
  double effect; /* rank-biserial correlation (Cliff's delta) in [-1, 1]: > 0 when sample 2
                    tends to be larger */
  double median1, median2;
  double median_ratio; /* median2 / median1; NaN when median1 is 0 or a sample is empty */
} CxMannWhitney;

/* Mann-Whitney U test of @a (@na values) against @b (@nb values); both must
 * be sorted ascending (as cx_summary_compute leaves them).  One merge pass: O(na + nb).  An empty
 * sample gives p = 1. */
void cx_stattest_mann_whitney(const double *a, gsize na, const double *b, gsize nb,
                              CxMannWhitney *out);

/* One run of equal values (a tie group): its value and how many of each
 * sample hold it. */
typedef struct {
  double v;
  guint64 na, nb;
} CxRankGroup;

/* Mann-Whitney U test over tie groups in ascending order of value, for
 * samples kept as relative-error sketches: each bucket is a tie group at
 * its representative value (rank ties corrected as usual); always the
 * normal approximation, method CX_STATTEST_MW_BUCKETS.  The medians are
 * the caller's (read from the sketches). */
void cx_stattest_mann_whitney_groups(const CxRankGroup *groups, gsize n_groups, double median1,
                                     double median2, CxMannWhitney *out);

/* Benjamini-Hochberg: writes into @q the adjusted q-values of the @n
 * p-values @p (any order; @q may equal @p).  q_(i) = min over j >= i of
 * p_(j) * n / j, capped at 1, so q is monotone in p.  NaN p-values are
 * treated as 1. */
void cx_stattest_bh(const double *p, gsize n, double *q);

G_END_DECLS
