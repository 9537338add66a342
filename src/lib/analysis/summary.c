/* Exact summaries: sort once, read quantiles by linear interpolation. */
#include "quantiles-private.h"
#include "mem-private.h"
#include "cxmine/summary.h"
#include <stdlib.h>
#include <string.h>

/* The keys' order, so that a short sample sorts as a long one does (a
 * plain < leaves NaN anywhere) */
static int
cmp_double(const void *a, const void *b)
{
  guint64 x = cx_order_key(*(const double *)a), y = cx_order_key(*(const double *)b);
  return x < y ? -1 : x > y;
}

/* Turns one radix pass's byte counts into where each byte's run starts. */
static inline void
counts_to_starts(gsize count[256])
{
  gsize sum = 0;
  for (gsize d = 0; d < 256; d++) {
    gsize c = count[d];
    count[d] = sum;
    sum += c;
  }
}

/* LSD radix sort, a byte a pass: samples are sorted once per edge and there
 * can be millions of them; passes whose digit is constant are skipped. */
static void
sort_doubles(double *v, gsize n)
{
  if (n < 2)
    return;
  if (n < 1024) {
    qsort(v, n, sizeof(double), cmp_double);
    return;
  }
  /* both written in full: their pages in one call (mem-private.h) */
  guint64 *keys = g_new(guint64, 2 * n), *a = keys, *b = keys + n;
  cx_mem_populate(keys, 2 * n * sizeof(guint64));
  /* the keys, and every pass's counts, in one read of the samples */
  gsize counts[8][256];
  memset(counts, 0, sizeof counts);
  for (gsize i = 0; i < n; i++) {
    guint64 k = a[i] = cx_order_key(v[i]);
    for (int d = 0; d < 8; d++)
      counts[d][(k >> (8 * d)) & 0xff]++;
  }
  for (int d = 0; d < 8; d++) {
    int shift = 8 * d;
    gsize *count = counts[d];
    if (count[(a[0] >> shift) & 0xff] == n)
      continue;
    counts_to_starts(count);
    for (gsize i = 0; i < n; i++)
      b[count[(a[i] >> shift) & 0xff]++] = a[i];
    guint64 *t = a;
    a = b;
    b = t;
  }
  for (gsize i = 0; i < n; i++)
    v[i] = cx_order_value(a[i]);
  g_free(keys);
}

void
cx_sort_doubles(double *values, gsize n)
{
  sort_doubles(values, n);
}

typedef struct {
  guint64 key;
  guint32 index;
} Keyed;

static int
cmp_keyed(const void *a, const void *b)
{
  const Keyed *x = a, *y = b;
  if (x->key != y->key)
    return x->key < y->key ? -1 : 1;
  return x->index < y->index ? -1 : x->index > y->index;
}

void
cx_sort_doubles_order(const double *values, guint32 n, guint32 *order)
{
  if (n == 0)
    return;
  Keyed *a = g_new(Keyed, n);
  for (guint32 i = 0; i < n; i++)
    a[i] = (Keyed){ cx_order_key(values[i]), i };
  if (n < 1024) {
    qsort(a, n, sizeof(Keyed), cmp_keyed);
  } else {
    /* LSD radix sort, a byte a pass: stable, so ties keep their index order */
    Keyed *b = g_new(Keyed, n);
    gsize count[256];
    for (int shift = 0; shift < 64; shift += 8) {
      memset(count, 0, sizeof count);
      for (guint32 i = 0; i < n; i++)
        count[(a[i].key >> shift) & 0xff]++;
      if (count[(a[0].key >> shift) & 0xff] == n)
        continue;
      counts_to_starts(count);
      for (guint32 i = 0; i < n; i++)
        b[count[(a[i].key >> shift) & 0xff]++] = a[i];
      Keyed *t = a;
      a = b;
      b = t;
    }
    g_free(b);
  }
  for (guint32 i = 0; i < n; i++)
    order[i] = a[i].index;
  g_free(a);
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

/* Moves the value of rank @k (0-based, in cx_sort_doubles' order) of @v
 * (@n values) to v[k], the ones before it no greater, the ones after no
 * smaller: Hoare's selection on the order keys, in place; a range that
 * keeps failing to shrink is sorted instead, so it stays n log n. */
static void
select_rank(double *v, gsize n, gsize k)
{
  gssize lo = 0, hi = (gssize)n - 1;
  for (guint rounds = 0; lo < hi; rounds++) {
    if (rounds > 128) {
      sort_doubles(v + lo, (gsize)(hi - lo + 1));
      return;
    }
    guint64 pivot = cx_order_key(v[lo + (hi - lo) / 2]);
    gssize i = lo, j = hi;
    while (i <= j) {
      while (cx_order_key(v[i]) < pivot)
        i++;
      while (cx_order_key(v[j]) > pivot)
        j--;
      if (i <= j) {
        double t = v[i];
        v[i++] = v[j];
        v[j--] = t;
      }
    }
    /* [lo, j] <= pivot <= [i, hi]; between them, the pivot's equals */
    if ((gssize)k <= j)
      hi = j;
    else if ((gssize)k >= i)
      lo = i;
    else
      return;
  }
}

double
cx_quantile_select(double *values, gsize n, double q)
{
  if (n == 0)
    return 0;
  double pos = q * (double)(n - 1);
  gsize lo = (gsize)pos;
  if (lo + 1 >= n) {
    select_rank(values, n, n - 1);
    return values[n - 1];
  }
  select_rank(values, n, lo);
  /* the next in order: the least of those after it */
  gsize next = lo + 1;
  for (gsize i = lo + 2; i < n; i++)
    if (cx_order_key(values[i]) < cx_order_key(values[next]))
      next = i;
  double frac = pos - (double)lo;
  return values[lo] + (values[next] - values[lo]) * frac;
}

void
cx_summary_compute(double *values, gsize n, CxSummary *out)
{
  *out = (CxSummary){ 0 };
  out->n = n;
  if (n == 0)
    return;
  sort_doubles(values, n);
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
