/* Exact summaries: sort once, read quantiles by linear interpolation. */
#include "cxmine/summary.h"
#include <stdlib.h>

static int
cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

double
cx_quantile_sorted(const double *v, gsize n, double q)
{
  if (n == 0)
    return 0;
  double pos = q * (double)(n - 1);
  gsize lo = (gsize)pos;
  if (lo + 1 >= n)
    return v[n - 1];
  double frac = pos - (double)lo;
  return v[lo] + (v[lo + 1] - v[lo]) * frac;
}

void
cx_summary_compute(double *values, gsize n, CxSummary *out)
{
  *out = (CxSummary){ 0 };
  out->n = n;
  if (n == 0)
    return;
  qsort(values, n, sizeof(double), cmp_double);
  /* Kahan-free but exact enough: sum in long double */
  long double sum = 0;
  for (gsize i = 0; i < n; i++)
    sum += values[i];
  out->total = (double)sum;
  out->mean = (double)(sum / (long double)n);
  out->min = values[0];
  out->max = values[n - 1];
  out->median = cx_quantile_sorted(values, n, 0.5);
  out->p90 = cx_quantile_sorted(values, n, 0.9);
}
