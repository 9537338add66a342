/* The samples of one measure: exact up to a fixed count, then a
 * DDSketch-style relative-error sketch (quantiles-private.h says why and
 * how).  Adding a sample is the hot path of dfg: no allocation but the
 * amortised growth of one array. */
#include "quantiles-private.h"
#include "mem-private.h"
#include "cxmine/partial.h"
#include "cxmine/output.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Magnitudes below this count as zero in a sketch, and bucket indices are
 * clamped to those of [TINY, HUGE]: a nanosecond to thirty million years,
 * so a store never outgrows a few thousand buckets. */
#define TINY       1e-9
#define HUGE_VALUE 1e15

/* One sign's buckets: counts[k] is bucket lo + k.  vals[k] is the one
 * value all its samples share, NaN once they differ: a bucket of one value
 * stands for that value, so measures of few distinct values (instances per
 * case, whole days) keep exact quantiles in a sketch.  Both depend only on
 * the multiset of samples, so merges stay exact. */
typedef struct {
  int lo;
  guint len;
  guint64 *counts;
  double *vals;
} Store;

struct _CxQuantiles {
  guint64 n;
  double min, max;
  CxExactSum sum_us;
  guint limit;   /* exact while n <= limit */
  double *exact; /* the samples in the order added (len), room for room */
  guint len, room;
  gboolean sketched; /* the samples are in the sketch (exact is NULL) */
  guint64 zeros;     /* sketch: samples of magnitude below TINY */
  Store pos, neg;
};

guint
cx_quantiles_exact_max(void)
{
  const char *s = g_getenv("CXMINE_TEST_EXACT_SAMPLES");
  if (s != NULL && *s != '\0') {
    char *end;
    guint64 v = g_ascii_strtoull(s, &end, 10);
    if (*end == '\0' && v <= G_MAXUINT)
      return (guint)v;
  }
  return CX_QUANTILES_EXACT_MAX;
}

static inline double
log_gamma(void)
{
  return log((1 + CX_QUANTILES_REL_ERROR) / (1 - CX_QUANTILES_REL_ERROR));
}

/* The bucket of the magnitude @a (>= TINY): (gamma^(i-1), gamma^i]. */
static inline int
bucket_of(double a)
{
  double x = MIN(a, HUGE_VALUE);
  return (int)ceil(log(x) / log_gamma());
}

/* The value standing for bucket @i: within the relative error of all its values. */
static inline double
representative(int i)
{
  double g = (1 + CX_QUANTILES_REL_ERROR) / (1 - CX_QUANTILES_REL_ERROR);
  return 2 * exp((double)i * log_gamma()) / (g + 1);
}

/* Grows @s to hold bucket @i and returns its slot. */
static guint
store_slot(Store *s, int i)
{
  if (s->len == 0) {
    s->lo = i;
    s->len = 1;
    s->counts = g_new0(guint64, 1);
    s->vals = g_new0(double, 1);
    return 0;
  }
  if (i < s->lo) {
    guint more = (guint)(s->lo - i);
    guint64 *c = g_new0(guint64, s->len + more);
    double *v = g_new0(double, s->len + more);
    memcpy(c + more, s->counts, s->len * sizeof(guint64));
    memcpy(v + more, s->vals, s->len * sizeof(double));
    g_free(s->counts);
    g_free(s->vals);
    s->counts = c;
    s->vals = v;
    s->len += more;
    s->lo = i;
  } else if (i >= s->lo + (int)s->len) {
    guint len = (guint)(i - s->lo) + 1;
    s->counts = g_renew(guint64, s->counts, len);
    s->vals = g_renew(double, s->vals, len);
    memset(s->counts + s->len, 0, (len - s->len) * sizeof(guint64));
    memset(s->vals + s->len, 0, (len - s->len) * sizeof(double));
    s->len = len;
  }
  return (guint)(i - s->lo);
}

/* Adds @count samples of the value @v (NaN: of several values) to bucket @i. */
static void
store_put(Store *s, int i, double v, guint64 count)
{
  guint k = store_slot(s, i);
  if (s->counts[k] == 0)
    s->vals[k] = v;
  else if (!(s->vals[k] == v)) /* differs, or was already NaN */
    s->vals[k] = NAN;
  s->counts[k] += count;
}

/* The value bucket @k of @s stands for (@sign: -1 for the negative store). */
static inline double
bucket_value(const Store *s, guint k, double sign)
{
  return !isnan(s->vals[k]) ? s->vals[k] : sign * representative(s->lo + (int)k);
}

static void
store_clear(Store *s)
{
  g_clear_pointer(&s->counts, g_free);
  g_clear_pointer(&s->vals, g_free);
  s->len = 0;
  s->lo = 0;
}

static void
store_copy(Store *dst, const Store *src)
{
  *dst = *src;
  dst->counts = src->len ? g_memdup2(src->counts, src->len * sizeof(guint64)) : NULL;
  dst->vals = src->len ? g_memdup2(src->vals, src->len * sizeof(double)) : NULL;
}

static void
sketch_insert(CxQuantiles *q, double v, guint64 count)
{
  double a = fabs(v);
  if (!(a >= TINY)) /* and NaN */
    q->zeros += count;
  else
    store_put(v > 0 ? &q->pos : &q->neg, bucket_of(a), v, count);
}

/* Removes @count samples of the value @v (saturating: @v's bucket keeps no
 * fewer than 0). */
static void
sketch_remove(CxQuantiles *q, double v, guint64 count)
{
  double a = fabs(v);
  guint64 *c = NULL;
  if (!(a >= TINY)) {
    c = &q->zeros;
  } else {
    Store *s = v > 0 ? &q->pos : &q->neg;
    int i = bucket_of(a);
    if (i >= s->lo && i < s->lo + (int)s->len)
      c = &s->counts[i - s->lo];
  }
  if (c != NULL)
    *c -= MIN(*c, count);
}

static void
store_sub(Store *dst, const Store *src)
{
  for (guint k = 0; k < src->len; k++) {
    int i = src->lo + (int)k;
    if (src->counts[k] != 0 && i >= dst->lo && i < dst->lo + (int)dst->len) {
      guint64 *c = &dst->counts[i - dst->lo];
      *c -= MIN(*c, src->counts[k]);
    }
  }
}

/* TRUE when @a and @b fall in the same bucket of a sketch. */
static gboolean
same_bucket(double a, double b)
{
  double x = fabs(a), y = fabs(b);
  if (!(x >= TINY) || !(y >= TINY))
    return !(x >= TINY) && !(y >= TINY);
  return (a > 0) == (b > 0) && bucket_of(x) == bucket_of(y);
}

static gboolean
is_sketched(const CxQuantiles *q)
{
  return q->sketched && q->n > 0;
}

/* Turns the exact samples into the sketch. */
static void
to_sketch(CxQuantiles *q)
{
  if (q->sketched)
    return;
  for (guint i = 0; i < q->len; i++)
    sketch_insert(q, q->exact[i], 1);
  g_clear_pointer(&q->exact, g_free);
  q->len = q->room = 0;
  q->sketched = TRUE;
}

CxQuantiles *
cx_quantiles_new(void)
{
  CxQuantiles *q = g_new0(CxQuantiles, 1);
  q->limit = cx_quantiles_exact_max();
  return q;
}

void
cx_quantiles_free(CxQuantiles *q)
{
  if (q == NULL)
    return;
  g_free(q->exact);
  store_clear(&q->pos);
  store_clear(&q->neg);
  g_free(q);
}

CxQuantiles *
cx_quantiles_copy(const CxQuantiles *q)
{
  CxQuantiles *c = g_new0(CxQuantiles, 1);
  *c = *q;
  c->exact = q->len > 0 ? g_memdup2(q->exact, (gsize)q->len * sizeof(double)) : NULL;
  c->room = q->len;
  store_copy(&c->pos, &q->pos);
  store_copy(&c->neg, &q->neg);
  return c;
}

static inline guint64
usec_of(double v)
{
  return (guint64)llround(v * 1e6);
}

static inline void
note_extremes(CxQuantiles *q, double lo, double hi, guint64 n)
{
  if (q->n == 0) {
    q->min = lo;
    q->max = hi;
  } else {
    q->min = lo < q->min ? lo : q->min;
    q->max = hi > q->max ? hi : q->max;
  }
  q->n += n;
}

void
cx_quantiles_add(CxQuantiles *q, double v)
{
  cx_quantiles_add_usec(q, v, (gint64)usec_of(v));
}

/* Exact samples are given room in steps, their pages faulted in with one
 * call (mem-private.h) before they are written: a page fault costs about
 * 10 us on the bench machine, and growing by realloc would fault in every
 * page of the copy one by one.  Room doubles from 8 up to the limit.  (Going
 * to the limit at once past 8,192 samples copied less, but raised compare's
 * peak on two 4M-event logs from 239 to 249 MB: room in memory that was
 * once given huge pages is faulted in 2 MiB at a time.)  Past EXACT_STEP,
 * the pages for the next EXACT_STEP samples are faulted in each time that
 * many have been written, not all at once. */
#define EXACT_STEP 8192

static void
populate(CxQuantiles *q, guint from)
{
  guint upto = MIN(q->room, from + (guint)EXACT_STEP);
  if (upto > from)
    cx_mem_populate(q->exact + from, (gsize)(upto - from) * sizeof(double));
}

/* Room for at least @need exact samples (cx_mem_grow() faults in the
 * copy's pages), and the next step's pages faulted in. */
static void
exact_room(CxQuantiles *q, guint need)
{
  if (need <= q->room)
    return;
  guint len = q->len;
  guint room = MAX(MIN(MAX(len * 2, 8u), q->limit), need);
  q->exact = cx_mem_grow(q->exact, (gsize)len * sizeof(double), (gsize)room * sizeof(double));
  q->room = room;
  populate(q, len);
}

void
cx_quantiles_add_usec(CxQuantiles *q, double v, gint64 usec)
{
  note_extremes(q, v, v, 1);
  q->sum_us += usec;
  if (G_LIKELY(!q->sketched)) {
    if (G_UNLIKELY(q->n > q->limit)) {
      /* one sample too many: the exact ones go to the sketch, then this */
      to_sketch(q);
    } else {
      guint len = q->len;
      if (G_UNLIKELY(len >= q->room))
        exact_room(q, len + 1);
      else if (G_UNLIKELY(len % EXACT_STEP == 0 && len > 0))
        populate(q, len);
      q->exact[q->len++] = v;
      return;
    }
  }
  sketch_insert(q, v, 1);
}

static void
store_add(Store *dst, const Store *src)
{
  for (guint k = 0; k < src->len; k++)
    if (src->counts[k] != 0)
      store_put(dst, src->lo + (int)k, src->vals[k], src->counts[k]);
}

void
cx_quantiles_merge(CxQuantiles *dst, const CxQuantiles *src)
{
  if (src == NULL || src->n == 0)
    return;
  note_extremes(dst, src->min, src->max, src->n);
  dst->sum_us += src->sum_us;
  if (!dst->sketched && !src->sketched && dst->n <= dst->limit) {
    exact_room(dst, dst->len + src->len);
    if (src->len > 0)
      memcpy(dst->exact + dst->len, src->exact, (gsize)src->len * sizeof(double));
    dst->len += src->len;
    return;
  }
  to_sketch(dst);
  if (!src->sketched) {
    for (guint i = 0; i < src->len; i++)
      sketch_insert(dst, src->exact[i], 1);
  } else {
    dst->zeros += src->zeros;
    store_add(&dst->pos, &src->pos);
    store_add(&dst->neg, &src->neg);
  }
}

static int
cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

/* A sorted copy of the exact samples (@n of them); free with g_free. */
static double *
sorted_samples(const CxQuantiles *q, gsize *n)
{
  *n = q->len;
  double *v = g_new(double, MAX(*n, 1));
  cx_mem_populate(v, *n * sizeof(double)); /* written in full: one call */
  if (*n > 0)
    memcpy(v, q->exact, *n * sizeof(double));
  cx_sort_doubles(v, *n);
  return v;
}

/* The first nonempty bucket's value from below (@low) or above; FALSE when none. */
static gboolean
edge_value(const CxQuantiles *q, gboolean low, double *v)
{
  const Store *first = low ? &q->neg : &q->pos, *last = low ? &q->pos : &q->neg;
  double sign = low ? -1 : 1;
  /* the far end of the first store: most negative (or most positive) */
  for (guint k = first->len; k-- > 0;)
    if (first->counts[k]) {
      *v = bucket_value(first, k, sign);
      return TRUE;
    }
  if (q->zeros) {
    *v = 0;
    return TRUE;
  }
  for (guint k = 0; k < last->len; k++)
    if (last->counts[k]) {
      *v = bucket_value(last, k, -sign);
      return TRUE;
    }
  return FALSE;
}

void
cx_quantiles_set_difference(CxQuantiles *dst, const CxQuantiles *all, const CxQuantiles *part)
{
  g_return_if_fail(dst->n == 0);
  if (all == NULL || all->n == 0)
    return;
  if (part == NULL || part->n == 0) {
    cx_quantiles_merge(dst, all);
    return;
  }
  if (!all->sketched) {
    /* the sorted multiset difference */
    gsize na, np;
    g_autofree double *a = sorted_samples(all, &na);
    g_autofree double *p = sorted_samples(part, &np);
    gsize j = 0;
    for (gsize i = 0; i < na; i++) {
      while (j < np && cmp_double(&p[j], &a[i]) < 0)
        j++;
      if (j < np && cmp_double(&p[j], &a[i]) == 0)
        j++;
      else
        cx_quantiles_add(dst, a[i]);
    }
    return;
  }
  /* a sketch less @part: bucket counts less bucket counts */
  CxQuantiles *d = dst;
  to_sketch(d);
  d->n = all->n - MIN(all->n, part->n);
  d->sum_us = all->sum_us - part->sum_us;
  d->zeros = all->zeros;
  store_copy(&d->pos, &all->pos);
  store_copy(&d->neg, &all->neg);
  if (!part->sketched) {
    for (guint i = 0; i < part->len; i++)
      sketch_remove(d, part->exact[i], 1);
  } else {
    d->zeros -= MIN(d->zeros, part->zeros);
    store_sub(&d->pos, &part->pos);
    store_sub(&d->neg, &part->neg);
  }
  /* the extremes that left with @part are known only by their buckets:
   * @all's when still in the first (last) nonempty bucket, else that
   * bucket's representative */
  double lo, hi;
  if (d->n == 0 || !edge_value(d, TRUE, &lo) || !edge_value(d, FALSE, &hi)) {
    d->n = 0;
    d->sum_us = 0;
    return;
  }
  d->min = same_bucket(lo, all->min) ? all->min : CLAMP(lo, all->min, all->max);
  d->max = same_bucket(hi, all->max) ? all->max : CLAMP(hi, all->min, all->max);
}

guint64
cx_quantiles_n(const CxQuantiles *q)
{
  return q != NULL ? q->n : 0;
}

gboolean
cx_quantiles_is_exact(const CxQuantiles *q)
{
  return q == NULL || !is_sketched(q);
}

const double *
cx_quantiles_samples(const CxQuantiles *q, gsize *n)
{
  if (q == NULL || q->sketched) {
    *n = 0;
    return NULL;
  }
  static const double none[1] = { 0 };
  *n = q->len;
  return q->exact != NULL ? q->exact : none;
}

CxExactSum
cx_quantiles_sum_usec(const CxQuantiles *q)
{
  return q != NULL ? q->sum_us : 0;
}

/* The value at rank @r (0-based) of a sketch, clamped to the exact extremes. */
static double
sketch_value_at(const CxQuantiles *q, guint64 r)
{
  if (r == 0)
    return q->min;
  if (r >= q->n - 1)
    return q->max;
  double v = q->max;
  gboolean found = FALSE;
  for (guint k = q->neg.len; k-- > 0 && !found;) {
    if (r < q->neg.counts[k]) {
      v = bucket_value(&q->neg, k, -1);
      found = TRUE;
    } else {
      r -= q->neg.counts[k];
    }
  }
  if (!found && r < q->zeros) {
    v = 0;
    found = TRUE;
  } else if (!found) {
    r -= q->zeros;
  }
  for (guint k = 0; k < q->pos.len && !found; k++) {
    if (r < q->pos.counts[k]) {
      v = bucket_value(&q->pos, k, 1);
      found = TRUE;
    } else {
      r -= q->pos.counts[k];
    }
  }
  return CLAMP(v, q->min, q->max);
}

static double
sketch_quantile(const CxQuantiles *q, double p)
{
  double pos = p * (double)(q->n - 1);
  guint64 lo = (guint64)pos;
  if (lo + 1 >= q->n)
    return q->max;
  double frac = pos - (double)lo;
  double a = sketch_value_at(q, lo), b = sketch_value_at(q, lo + 1);
  return a + (b - a) * frac;
}

double
cx_quantiles_quantile(const CxQuantiles *q, double p)
{
  if (q == NULL || q->n == 0)
    return NAN;
  if (is_sketched(q))
    return sketch_quantile(q, p);
  gsize n;
  g_autofree double *v = sorted_samples(q, &n);
  return cx_quantile_sorted(v, n, p);
}

void
cx_quantiles_summary(const CxQuantiles *q, CxSummary *out)
{
  *out = (CxSummary){ 0 };
  if (q == NULL || q->n == 0)
    return;
  if (!is_sketched(q)) {
    gsize n;
    g_autofree double *v = sorted_samples(q, &n);
    cx_summary_compute(v, n, out);
    return;
  }
  out->n = q->n;
  out->sketched = TRUE;
  out->total = (double)q->sum_us / 1e6;
  out->mean = (double)((long double)q->sum_us / 1e6L / (long double)q->n);
  out->min = q->min;
  out->max = q->max;
  out->median = sketch_quantile(q, 0.5);
  out->p90 = sketch_quantile(q, 0.9);
}

double
cx_quantiles_rel_error(const CxQuantiles *q)
{
  return q != NULL && is_sketched(q) ? CX_QUANTILES_REL_ERROR : 0;
}

void
cx_quantiles_note(GString *out, gboolean sketched)
{
  if (!sketched)
    return;
  g_autofree char *n = cx_format_count(cx_quantiles_exact_max());
  char pct[G_ASCII_DTOSTR_BUF_SIZE]; /* 0.5, never 0,5 */
  g_ascii_formatd(pct, sizeof pct, "%g", CX_QUANTILES_REL_ERROR * 100);
  g_string_append_printf(out, "Quantiles within ±%s%% (sketched past %s samples)\n", pct, n);
}

/* ---------- tie groups (rank tests) ---------- */

/* One side's values in ascending order as (value, count) runs. */
typedef struct {
  const CxQuantiles *q;
  double *sorted; /* exact */
  gsize n, i;
  int phase; /* sketch: 0 negatives, 1 zeros, 2 positives, 3 done */
  guint k;
} Walk;

static void
walk_init(Walk *w, const CxQuantiles *q, gboolean buckets)
{
  *w = (Walk){ q, NULL, 0, 0, 0, 0 };
  if (q == NULL || q->n == 0) {
    w->phase = 3;
    return;
  }
  if (!buckets) {
    w->sorted = sorted_samples(q, &w->n);
    return;
  }
  if (!q->sketched) {
    /* an exact side ranked with a sketched one: by buckets too */
    CxQuantiles *s = cx_quantiles_copy(q);
    to_sketch(s);
    w->q = s;
  }
  w->k = w->q->neg.len;
}

static void
walk_clear(Walk *w, const CxQuantiles *orig)
{
  g_free(w->sorted);
  if (w->q != orig)
    cx_quantiles_free((CxQuantiles *)w->q);
}

/* The next run of @w: FALSE when done. */
static gboolean
walk_peek(Walk *w, double *v, guint64 *count)
{
  if (w->sorted != NULL) {
    if (w->i >= w->n)
      return FALSE;
    *v = w->sorted[w->i];
    gsize j = w->i;
    while (j < w->n && w->sorted[j] == *v)
      j++;
    *count = j - w->i;
    return TRUE;
  }
  const CxQuantiles *q = w->q;
  for (;;) {
    if (w->phase == 0) {
      while (w->k > 0 && q->neg.counts[w->k - 1] == 0)
        w->k--;
      if (w->k > 0) {
        *v = -representative(q->neg.lo + (int)w->k - 1);
        *count = q->neg.counts[w->k - 1];
        return TRUE;
      }
      w->phase = 1;
    } else if (w->phase == 1) {
      if (q->zeros) {
        *v = 0;
        *count = q->zeros;
        return TRUE;
      }
      w->phase = 2;
      w->k = 0;
    } else if (w->phase == 2) {
      while (w->k < q->pos.len && q->pos.counts[w->k] == 0)
        w->k++;
      if (w->k < q->pos.len) {
        *v = representative(q->pos.lo + (int)w->k);
        *count = q->pos.counts[w->k];
        return TRUE;
      }
      w->phase = 3;
    } else {
      return FALSE;
    }
  }
}

static void
walk_next(Walk *w, guint64 count)
{
  if (w->sorted != NULL) {
    w->i += count;
  } else if (w->phase == 0) {
    w->k--;
  } else if (w->phase == 1) {
    w->phase = 2;
    w->k = 0;
  } else if (w->phase == 2) {
    w->k++;
  }
}

void
cx_quantiles_groups(const CxQuantiles *a, const CxQuantiles *b, CxQuantilesGroupFunc fn,
                    gpointer data)
{
  gboolean buckets = !cx_quantiles_is_exact(a) || !cx_quantiles_is_exact(b);
  Walk wa, wb;
  walk_init(&wa, a, buckets);
  walk_init(&wb, b, buckets);
  double va, vb;
  guint64 ca, cb;
  gboolean ha = walk_peek(&wa, &va, &ca), hb = walk_peek(&wb, &vb, &cb);
  while (ha || hb) {
    double v = (!hb || (ha && va <= vb)) ? va : vb;
    guint64 ta = ha && va == v ? ca : 0, tb = hb && vb == v ? cb : 0;
    fn(v, ta, tb, data);
    if (ta) {
      walk_next(&wa, ta);
      ha = walk_peek(&wa, &va, &ca);
    }
    if (tb) {
      walk_next(&wb, tb);
      hb = walk_peek(&wb, &vb, &cb);
    }
  }
  walk_clear(&wa, a);
  walk_clear(&wb, b);
}

/* ---------- the sample list of a partial ---------- */

/* sample list modes */
enum { SAMPLES_USEC = 0, SAMPLES_RAW = 1, SAMPLES_SKETCH = 2 };

static int
cmp_gint64(const void *a, const void *b)
{
  gint64 x = *(const gint64 *)a, y = *(const gint64 *)b;
  return x < y ? -1 : x > y;
}

static void
put_u64(GByteArray *out, guint64 v)
{
  guint8 b[8];
  for (int k = 0; k < 8; k++)
    b[k] = (guint8)(v >> (8 * k));
  g_byte_array_append(out, b, 8);
}

static gboolean
get_u64(const guint8 **p, const guint8 *end, guint64 *v)
{
  if (end - *p < 8)
    return FALSE;
  *v = 0;
  for (int k = 0; k < 8; k++)
    *v |= (guint64)(*p)[k] << (8 * k);
  *p += 8;
  return TRUE;
}

static void
put_double(GByteArray *out, double x)
{
  guint64 b;
  memcpy(&b, &x, 8);
  put_u64(out, b);
}

static gboolean
get_double(const guint8 **p, const guint8 *end, double *x)
{
  guint64 b;
  if (!get_u64(p, end, &b))
    return FALSE;
  memcpy(x, &b, 8);
  return TRUE;
}

static guint64
zigzag(gint64 v)
{
  return ((guint64)v << 1) ^ (guint64)(v >> 63);
}

static gint64
unzigzag(guint64 v)
{
  return (gint64)(v >> 1) ^ -(gint64)(v & 1);
}

static void
save_exact(const double *values, gsize n, GByteArray *out)
{
  g_autofree gint64 *us = g_new(gint64, n);
  gboolean exact = TRUE;
  for (gsize i = 0; i < n && exact; i++) {
    double x = values[i];
    if (!(x > -9e12 && x < 9e12)) {
      exact = FALSE;
      break;
    }
    us[i] = (gint64)llround(x * 1e6);
    double back = (double)us[i] / 1e6;
    exact = memcmp(&back, &x, sizeof x) == 0;
  }
  if (!exact) {
    cx_partial_put_varint(out, SAMPLES_RAW);
    for (gsize i = 0; i < n; i++)
      put_double(out, values[i]);
    return;
  }
  cx_partial_put_varint(out, SAMPLES_USEC);
  qsort(us, n, sizeof(gint64), cmp_gint64);
  cx_partial_put_varint(out, zigzag(us[0]));
  for (gsize i = 1; i < n; i++)
    cx_partial_put_varint(out, (guint64)(us[i] - us[i - 1]));
}

static void
save_store(const Store *s, GByteArray *out)
{
  cx_partial_put_varint(out, zigzag(s->lo));
  cx_partial_put_varint(out, s->len);
  for (guint k = 0; k < s->len; k++)
    cx_partial_put_varint(out, s->counts[k]);
  /* the value of each nonempty bucket: NaN when its samples differ */
  for (guint k = 0; k < s->len; k++)
    if (s->counts[k])
      put_double(out, s->vals[k]);
}

void
cx_quantiles_save(const CxQuantiles *q, GByteArray *out)
{
  guint64 n = cx_quantiles_n(q);
  cx_partial_put_varint(out, n);
  if (n == 0)
    return;
  if (!q->sketched) {
    save_exact(q->exact, q->len, out);
    return;
  }
  cx_partial_put_varint(out, SAMPLES_SKETCH);
  put_double(out, q->min);
  put_double(out, q->max);
  unsigned __int128 s = (unsigned __int128)q->sum_us;
  put_u64(out, (guint64)s);
  put_u64(out, (guint64)(s >> 64));
  cx_partial_put_varint(out, q->zeros);
  save_store(&q->neg, out);
  save_store(&q->pos, out);
}

/* A store's counts, at most @max_len buckets (no store is longer). */
static gboolean
load_store(Store *s, double sign, const guint8 **p, const guint8 *end)
{
  guint64 lo, len;
  if (!cx_partial_get_varint(p, end, &lo) || !cx_partial_get_varint(p, end, &len)
      || len > (guint64)(end - *p) || len > 1u << 20 || unzigzag(lo) < -(1 << 20)
      || unzigzag(lo) > (1 << 20))
    return FALSE;
  s->lo = (int)unzigzag(lo);
  s->len = (guint)len;
  s->counts = g_new0(guint64, MAX(len, 1));
  s->vals = g_new0(double, MAX(len, 1));
  for (guint k = 0; k < len; k++)
    if (!cx_partial_get_varint(p, end, &s->counts[k]))
      return FALSE;
  for (guint k = 0; k < len; k++) {
    double v;
    if (!s->counts[k])
      continue;
    if (!get_double(p, end, &v))
      return FALSE;
    /* a bucket's one value lies in it */
    if (!isnan(v) && !(v * sign >= TINY && bucket_of(v * sign) == s->lo + (int)k))
      return FALSE;
    s->vals[k] = v;
  }
  return TRUE;
}

static gboolean
load_sketch(CxQuantiles *q, guint64 n, const guint8 **p, const guint8 *end)
{
  g_autoptr(CxQuantiles) s = cx_quantiles_new();
  s->sketched = TRUE;
  guint64 lo64, hi64;
  if (!get_double(p, end, &s->min) || !get_double(p, end, &s->max) || !get_u64(p, end, &lo64)
      || !get_u64(p, end, &hi64) || !cx_partial_get_varint(p, end, &s->zeros)
      || !load_store(&s->neg, -1, p, end) || !load_store(&s->pos, 1, p, end))
    return FALSE;
  s->sum_us = (CxExactSum)(((unsigned __int128)hi64 << 64) | lo64);
  s->n = n;
  /* the counts must add up to n */
  guint64 total = s->zeros;
  for (guint k = 0; k < s->neg.len; k++)
    total += s->neg.counts[k];
  for (guint k = 0; k < s->pos.len; k++)
    total += s->pos.counts[k];
  if (total != n)
    return FALSE;
  cx_quantiles_merge(q, s);
  return TRUE;
}

gboolean
cx_quantiles_load(CxQuantiles *q, const guint8 **p, const guint8 *end)
{
  guint64 n, mode, v;
  if (!cx_partial_get_varint(p, end, &n))
    return FALSE;
  if (n == 0)
    return TRUE;
  if (!cx_partial_get_varint(p, end, &mode) || mode > SAMPLES_SKETCH)
    return FALSE;
  if (mode == SAMPLES_SKETCH)
    return load_sketch(q, n, p, end);
  if (n > (guint64)(end - *p))
    return FALSE;
  g_autoptr(CxQuantiles) s = cx_quantiles_new();
  s->limit = G_MAXUINT; /* the samples as written; merging applies the rule */
  if (mode == SAMPLES_RAW) {
    for (guint64 i = 0; i < n; i++) {
      double x;
      if (!get_double(p, end, &x))
        return FALSE;
      cx_quantiles_add(s, x);
    }
  } else {
    if (!cx_partial_get_varint(p, end, &v))
      return FALSE;
    gint64 us = unzigzag(v);
    cx_quantiles_add(s, (double)us / 1e6);
    for (guint64 i = 1; i < n; i++) {
      if (!cx_partial_get_varint(p, end, &v) || v > (guint64)G_MAXINT64)
        return FALSE;
      us += (gint64)v;
      cx_quantiles_add(s, (double)us / 1e6);
    }
  }
  cx_quantiles_merge(q, s);
  return TRUE;
}
