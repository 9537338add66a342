/* Statistical tests: proportions, Mann-Whitney U, Benjamini-Hochberg. */
#include "cxmine/stattest.h"
#include <math.h>
#include <stdlib.h>

const char *
cx_stattest_method_name(CxStatMethod m)
{
  switch (m) {
    case CX_STATTEST_Z:
      return "z";
    case CX_STATTEST_FISHER:
      return "fisher";
    case CX_STATTEST_MW_EXACT:
      return "mann-whitney exact";
    case CX_STATTEST_MW_NORMAL:
      return "mann-whitney";
    case CX_STATTEST_MW_BUCKETS:
      return "mann-whitney buckets";
    case CX_STATTEST_NONE:
    default:
      return "none";
  }
}

double
cx_stattest_normal_sf(double z)
{
  return 0.5 * erfc(z / G_SQRT2);
}

double
cx_stattest_normal_cdf(double z)
{
  return 0.5 * erfc(-z / G_SQRT2);
}

static double
clamp_p(double p)
{
  if (!(p >= 0)) /* NaN too */
    return isnan(p) ? 1 : 0;
  return p > 1 ? 1 : p;
}

double
cx_stattest_prop_z(guint64 x1, guint64 n1, guint64 x2, guint64 n2, double *z)
{
  if (z)
    *z = 0;
  if (n1 == 0 || n2 == 0)
    return 1;
  double p1 = (double)x1 / (double)n1, p2 = (double)x2 / (double)n2;
  double pooled = (double)(x1 + x2) / (double)(n1 + n2);
  double var = pooled * (1 - pooled) * (1.0 / (double)n1 + 1.0 / (double)n2);
  if (!(var > 0))
    return 1;
  double zz = (p2 - p1) / sqrt(var);
  if (z)
    *z = zz;
  return clamp_p(2 * cx_stattest_normal_sf(fabs(zz)));
}

static double
log_choose(double n, double k)
{
  return lgamma(n + 1) - lgamma(k + 1) - lgamma(n - k + 1);
}

double
cx_stattest_fisher(guint64 a, guint64 b, guint64 c, guint64 d)
{
  double r1 = (double)(a + b), r2 = (double)(c + d), c1 = (double)(a + c);
  double n = r1 + r2;
  if (r1 == 0 || r2 == 0 || c1 == 0 || c1 == n)
    return 1;
  double lnorm = log_choose(n, c1);
  guint64 lo = (a + c) > (c + d) ? (a + c) - (c + d) : 0;
  guint64 hi = MIN(a + b, a + c);
  double lobs = log_choose(r1, (double)a) + log_choose(r2, c1 - (double)a) - lnorm;
  /* Tables count as "as extreme" up to a relative 1e-7 above the observed
   * probability, so that rounding does not drop tables that tie it. */
  double limit = lobs + log1p(1e-7);
  double p = 0;
  for (guint64 x = lo; x <= hi; x++) {
    double lx = log_choose(r1, (double)x) + log_choose(r2, c1 - (double)x) - lnorm;
    if (lx <= limit)
      p += exp(lx);
  }
  return clamp_p(p);
}

void
cx_stattest_proportions(guint64 x1, guint64 n1, guint64 x2, guint64 n2, CxPropTest *out)
{
  g_return_if_fail(x1 <= n1 && x2 <= n2);
  *out = (CxPropTest){ .method = CX_STATTEST_NONE, .p = 1 };
  out->rate1 = n1 ? (double)x1 / (double)n1 : 0;
  out->rate2 = n2 ? (double)x2 / (double)n2 : 0;
  out->diff = out->rate2 - out->rate1;
  guint64 n = n1 + n2, x = x1 + x2;
  if (n1 == 0 || n2 == 0 || x == 0 || x == n)
    return;
  double min_row = (double)MIN(n1, n2), min_col = (double)MIN(x, n - x);
  double min_expected = min_row * min_col / (double)n;
  if (min_expected < 5) {
    out->method = CX_STATTEST_FISHER;
    out->p = cx_stattest_fisher(x1, n1 - x1, x2, n2 - x2);
  } else {
    out->method = CX_STATTEST_Z;
    out->p = cx_stattest_prop_z(x1, n1, x2, n2, NULL);
  }
}

/* P(U >= u) for samples of sizes m and n without ties: the counts of U are
 * the coefficients of the Gaussian binomial [m+n choose m]_q, built as
 * prod_{i=1..m} (1 - q^(n+i)) / (1 - q^i); all values are integers below
 * 2^53 for m, n <= 20, so doubles are exact. */
static double
mw_exact_sf(gsize m, gsize n, double u)
{
  gsize deg = m * n;
  gsize size = deg + n + m + 2;
  g_autofree double *c = g_new0(double, size);
  c[0] = 1;
  gsize cur = 0; /* degree of c */
  for (gsize i = 1; i <= m; i++) {
    gsize k = n + i;
    for (gsize j = cur + k; j >= k; j--)
      c[j] -= c[j - k];
    cur += k;
    for (gsize j = i; j <= cur; j++)
      c[j] += c[j - i];
    cur -= i;
  }
  double total = 0, tail = 0;
  for (gsize j = 0; j <= deg; j++) {
    total += c[j];
    if ((double)j >= u - 1e-9)
      tail += c[j];
  }
  return tail / total;
}

/* The rank sum of sample 1 over runs of equal values (tie groups), in
 * ascending order of value: each run gets the average of its ranks. */
typedef struct {
  double rank_sum1, tie_term;
  guint64 done;
  gboolean ties;
} MwRanks;

static void
mw_group(MwRanks *r, guint64 ta, guint64 tb)
{
  double t = (double)(ta + tb);
  double avg = (double)r->done + (t + 1) / 2;
  r->rank_sum1 += (double)ta * avg;
  if (t > 1) {
    r->ties = TRUE;
    r->tie_term += t * t * t - t;
  }
  r->done += ta + tb;
}

/* U, the effect and the p-value from the rank sum; @buckets: the groups
 * were sketch buckets (the normal approximation, named as such). */
static void
mw_finish(const MwRanks *r, guint64 na, guint64 nb, gboolean buckets, CxMannWhitney *out)
{
  double m = (double)na, n = (double)nb, N = m + n;
  double u1 = r->rank_sum1 - m * (m + 1) / 2;
  out->u1 = u1;
  out->effect = 1 - 2 * u1 / (m * n);

  if (!buckets && !r->ties && na <= CX_STATTEST_MW_EXACT_MAX && nb <= CX_STATTEST_MW_EXACT_MAX) {
    double umax = MAX(u1, m * n - u1);
    out->method = CX_STATTEST_MW_EXACT;
    out->p = clamp_p(2 * mw_exact_sf(na, nb, umax));
    return;
  }
  double mu = m * n / 2;
  double var = m * n / 12 * ((N + 1) - r->tie_term / (N * (N - 1)));
  if (!(var > 0))
    return; /* all values equal: no evidence of a difference */
  double dev = fabs(u1 - mu) - 0.5;
  if (dev < 0)
    dev = 0;
  double z = dev / sqrt(var);
  out->method = buckets ? CX_STATTEST_MW_BUCKETS : CX_STATTEST_MW_NORMAL;
  out->z = u1 >= mu ? z : -z;
  out->p = clamp_p(2 * cx_stattest_normal_sf(z));
}

void
cx_stattest_mann_whitney(const double *a, gsize na, const double *b, gsize nb, CxMannWhitney *out)
{
  *out = (CxMannWhitney){ .method = CX_STATTEST_NONE, .p = 1, .median_ratio = NAN };
  out->median1 = na ? (na % 2 ? a[na / 2] : (a[na / 2 - 1] + a[na / 2]) / 2) : NAN;
  out->median2 = nb ? (nb % 2 ? b[nb / 2] : (b[nb / 2 - 1] + b[nb / 2]) / 2) : NAN;
  if (na && nb && out->median1 != 0)
    out->median_ratio = out->median2 / out->median1;
  if (na == 0 || nb == 0)
    return;

  /* One merge pass: each run of equal values gets the average rank. */
  MwRanks r = { 0 };
  gsize i = 0, j = 0;
  while (i < na || j < nb) {
    double v = (j >= nb || (i < na && a[i] <= b[j])) ? a[i] : b[j];
    gsize ta = 0, tb = 0;
    while (i < na && a[i] == v)
      i++, ta++;
    while (j < nb && b[j] == v)
      j++, tb++;
    mw_group(&r, ta, tb);
  }
  mw_finish(&r, na, nb, FALSE, out);
}

void
cx_stattest_mann_whitney_groups(const CxRankGroup *g, gsize n_groups, double median1,
                                double median2, CxMannWhitney *out)
{
  *out = (CxMannWhitney){ .method = CX_STATTEST_NONE, .p = 1, .median_ratio = NAN };
  guint64 na = 0, nb = 0;
  for (gsize k = 0; k < n_groups; k++) {
    na += g[k].na;
    nb += g[k].nb;
  }
  out->median1 = na ? median1 : NAN;
  out->median2 = nb ? median2 : NAN;
  if (na && nb && out->median1 != 0)
    out->median_ratio = out->median2 / out->median1;
  if (na == 0 || nb == 0)
    return;
  MwRanks r = { 0 };
  for (gsize k = 0; k < n_groups; k++)
    mw_group(&r, g[k].na, g[k].nb);
  mw_finish(&r, na, nb, TRUE, out);
}

typedef struct {
  double p;
  gsize i;
} PIndex;

static int
cmp_pindex(const void *x, const void *y)
{
  const PIndex *a = x, *b = y;
  if (a->p != b->p)
    return a->p < b->p ? -1 : 1;
  return a->i < b->i ? -1 : a->i > b->i;
}

void
cx_stattest_bh(const double *p, gsize n, double *q)
{
  if (n == 0)
    return;
  g_autofree PIndex *idx = g_new(PIndex, n);
  for (gsize i = 0; i < n; i++)
    idx[i] = (PIndex){ isnan(p[i]) ? 1 : clamp_p(p[i]), i };
  qsort(idx, n, sizeof *idx, cmp_pindex);
  double prev = 1;
  for (gsize r = n; r > 0; r--) {
    double v = idx[r - 1].p * (double)n / (double)r;
    if (v < prev)
      prev = v;
    q[idx[r - 1].i] = prev;
  }
}
