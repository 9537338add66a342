/* cxmine — summaries of samples (durations, waits): exact ones here; the
 * analyses keep their samples in a CxQuantiles (exact up to a fixed count,
 * then a sketch), which fills the same CxSummary.
 *
 * Quantiles use linear interpolation between closest ranks (numpy's
 * default), so the median of an even-sized sample is the mean of the two
 * middle values, as PM4Py reports it. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  guint64 n;
  double mean, median, p90, min, max, total;
  gboolean sketched; /* the quantiles came from a relative-error sketch
                      * (quantile_rel_error): more samples than are kept */
} CxSummary;

/* Sorts @values (in place) and fills @out. An empty sample gives n = 0 and zeros. */
void cx_summary_compute(double *values, gsize n, CxSummary *out);
/* Sorts @values ascending (NaN last), fast for large samples. */
void cx_sort_doubles(double *values, gsize n);
/* Fills @order with the indices 0..@n-1 of @values in ascending order of
 * value (NaN last; -0 before +0), equal values in index order (a stable
 * argsort), fast for large samples. */
void cx_sort_doubles_order(const double *values, guint32 n, guint32 *order);
/* Returns the @q quantile (0..1) of sorted @values; 0 when @n is 0. */
double cx_quantile_sorted(const double *values, gsize n, double q);
/* The same of unsorted @values, reordered in place by selection (no sort,
 * no copy): what sorting them first would give. */
double cx_quantile_select(double *values, gsize n, double q);

G_END_DECLS
