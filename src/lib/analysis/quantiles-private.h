/* cxmine — the samples of one measure (waits, service times, durations)
 * summarised with bounded memory: every analysis that reports quantiles
 * keeps its samples in a CxQuantiles.
 *
 * Exact while the measure has at most CX_QUANTILES_EXACT_MAX samples: they
 * are kept (8 bytes each) and quantiles are numpy's linear interpolation
 * (cx_quantile_sorted), bit for bit what a sorted array gives.  Past that
 * count the samples become a DDSketch-style relative-error sketch:
 * logarithmic buckets (gamma = (1 + a) / (1 - a), a =
 * CX_QUANTILES_REL_ERROR), a bucket per value range
 * (gamma^(i-1), gamma^i], one such store for positive and one for negative
 * values, and a count of zeros.  Every quantile read from a sketch is within
 * a relative error a of the exact one (the value at a rank is the bucket's
 * representative 2 gamma^i / (gamma + 1), or the one value its samples
 * share when they do, clamped to the exact min and max: a measure of few
 * distinct values, such as instances per case, stays exact).
 *
 * Count, min, max and the total (an exact sum of integer microseconds, each
 * sample rounded to the microsecond) stay exact in both forms; the mean is
 * the total over the count.  In the exact form the total and the mean are
 * the long double sum of the sorted samples, as before sketches existed.
 *
 * Why 65,536: a sketch of waits spanning a microsecond to a year holds at
 * most about 3,500 buckets (28 KiB), usually a few hundred; 65,536 exact
 * samples are 512 KiB.  With the tens to hundreds of measures of a process
 * (edges, activities) that keeps every measure's memory bounded by a few
 * tens of megabytes whatever the log's length, so the peak RSS of dfg and
 * friction stays flat from 1M to 4M events; a log with fewer than 65,536
 * cases (and far more most of its measures) reports exact quantiles as
 * before.
 *
 * The rule depends only on the number of samples, and the sketch is a
 * function of the multiset of samples (bucket counts), so merging two
 * states equals one state fed both inputs, byte for byte: two exact states
 * whose union passes the threshold become the sketch of the union.  That is
 * what threads, shards and partials rely on. */
#pragma once

#include <glib.h>
#include <string.h>
#include "cxmine/summary.h"

G_BEGIN_DECLS

/* A sum of durations that does not depend on the order of its terms:
 * integer microseconds in 128 bits (never overflows for any log). */
__extension__ typedef __int128 CxExactSum;

/* The order of samples as unsigned keys: -0 before +0, NaN last, the
 * order cx_sort_doubles() and its relatives sort by and selections
 * (cx_quantile_select, friction's median of the other waits) select by. */
static inline guint64
cx_order_key(double v)
{
  guint64 b;
  memcpy(&b, &v, 8);
  return (b >> 63) ? ~b : b | G_GUINT64_CONSTANT(0x8000000000000000);
}

/* The sample of the key @k (cx_order_key's inverse). */
static inline double
cx_order_value(guint64 k)
{
  guint64 b = (k >> 63) ? k & ~G_GUINT64_CONSTANT(0x8000000000000000) : ~k;
  double v;
  memcpy(&v, &b, 8);
  return v;
}

/* Samples kept exactly per measure; past this many, a sketch. */
#define CX_QUANTILES_EXACT_MAX 65536u
/* The relative error of a quantile read from a sketch (quantile_rel_error). */
#define CX_QUANTILES_REL_ERROR 0.005

typedef struct _CxQuantiles CxQuantiles;

/* An empty state (n = 0, exact). */
CxQuantiles *cx_quantiles_new(void);
void cx_quantiles_free(CxQuantiles *q);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CxQuantiles, cx_quantiles_free)
CxQuantiles *cx_quantiles_copy(const CxQuantiles *q);

/* Adds one sample (seconds, or any finite number). */
void cx_quantiles_add(CxQuantiles *q, double v);
/* The same for a sample measured in whole microseconds @usec (@v its
 * seconds): the hot path, without rounding @v back for the exact sum. */
void cx_quantiles_add_usec(CxQuantiles *q, double v, gint64 usec);
/* Adds @src's samples to @dst: equals adding them one by one. */
void cx_quantiles_merge(CxQuantiles *dst, const CxQuantiles *src);
/* Sets @dst (empty) to the samples of @all less those of @part (a
 * sub-multiset of @all; NULL = none).  When @all is sketched the result is
 * too, whatever its count, and its min and max are within the relative
 * error (the removed samples are known only by bucket). */
void cx_quantiles_set_difference(CxQuantiles *dst, const CxQuantiles *all, const CxQuantiles *part);

guint64 cx_quantiles_n(const CxQuantiles *q);
/* TRUE while the samples are kept exactly. */
gboolean cx_quantiles_is_exact(const CxQuantiles *q);
/* The samples in the order they were added (merged ones after), while
 * exact; NULL (and *@n = 0) once sketched. */
const double *cx_quantiles_samples(const CxQuantiles *q, gsize *n);
/* The exact sum of the samples in integer microseconds. */
CxExactSum cx_quantiles_sum_usec(const CxQuantiles *q);

/* The @p quantile (0..1), numpy's linear interpolation of the values at
 * the two neighbouring ranks; NaN when empty. */
double cx_quantiles_quantile(const CxQuantiles *q, double p);
/* Count, mean, median, p90, min, max, total; sketched set when the
 * quantiles came from a sketch.  NULL or empty: n = 0. */
void cx_quantiles_summary(const CxQuantiles *q, CxSummary *out);
/* The relative error of the quantiles of @q: 0 when exact (or NULL). */
double cx_quantiles_rel_error(const CxQuantiles *q);

/* Appends the line every text output shows when one of its quantiles came
 * from a sketch ("quantiles within ±0.5% (sketched past 65,536 samples)");
 * nothing when @sketched is FALSE, so outputs of small logs do not change. */
void cx_quantiles_note(GString *out, gboolean sketched);

/* The distinct values of two states in ascending order, each with its
 * count in @a and in @b: the exact values when both are exact, else bucket
 * representatives (each bucket one tie group).  Calls @fn once a value;
 * either state may be NULL (empty). */
typedef void (*CxQuantilesGroupFunc)(double v, guint64 na, guint64 nb, gpointer data);
void cx_quantiles_groups(const CxQuantiles *a, const CxQuantiles *b, CxQuantilesGroupFunc fn,
                         gpointer data);

/* The state as a partial's sample list (docs/partial-format.md): exact
 * samples as whole microseconds sorted and delta-coded when they all are,
 * else raw doubles; a sketch as its counts.  cx_quantiles_load() reads one
 * from *@p (advanced) before @end and merges it into @q; FALSE on
 * malformed input. */
void cx_quantiles_save(const CxQuantiles *q, GByteArray *out);
gboolean cx_quantiles_load(CxQuantiles *q, const guint8 **p, const guint8 *end);

/* For tests only: the exact-sample limit of states made from now on in
 * this process, from the environment variable CXMINE_TEST_EXACT_SAMPLES
 * when set (read once per state: no file-scope state), else
 * CX_QUANTILES_EXACT_MAX. */
guint cx_quantiles_exact_max(void);

G_END_DECLS
