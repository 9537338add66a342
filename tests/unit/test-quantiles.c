/* Tests for CxQuantiles: exact below the limit (bit for bit the sorted
 * array's summary), within the relative error past it, merges of any split
 * equal to one state, the partial codec's round trip. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "analysis/quantiles-private.h"

#define ALPHA CX_QUANTILES_REL_ERROR

typedef enum { D_UNIFORM, D_HEAVY, D_CONST, D_ZEROS, D_SIGNED, D_USEC, N_DISTS } Dist;

/* @n samples of @d, seeded: seconds with microsecond resolution where
 * waits have it, heavy tails, constants, many zeros, signed values. */
static double *
samples(Dist d, gsize n, guint32 seed)
{
  GRand *r = g_rand_new_with_seed(seed);
  double *v = g_new(double, MAX(n, 1));
  for (gsize i = 0; i < n; i++) {
    double u = g_rand_double(r);
    switch (d) {
      case D_UNIFORM:
        v[i] = g_rand_double_range(r, 0, 1e6);
        break;
      case D_HEAVY: /* Pareto, shape 1.1 */
        v[i] = 60 * pow(1 - u, -1 / 1.1);
        break;
      case D_CONST:
        v[i] = 3600;
        break;
      case D_ZEROS:
        v[i] = u < 0.6 ? 0 : (double)g_rand_int_range(r, 1, 100000000) / 1e6;
        break;
      case D_SIGNED:
        v[i] = g_rand_double_range(r, -5e4, 1e5);
        break;
      default:
        v[i] = (double)g_rand_int_range(r, 0, 2000000000) / 1e6;
    }
  }
  g_rand_free(r);
  return v;
}

static CxQuantiles *
fed(const double *v, gsize from, gsize to)
{
  CxQuantiles *q = cx_quantiles_new();
  for (gsize i = from; i < to; i++)
    cx_quantiles_add(q, v[i]);
  return q;
}

static GByteArray *
saved(const CxQuantiles *q)
{
  GByteArray *b = g_byte_array_new();
  cx_quantiles_save(q, b);
  return b;
}

static void
assert_same_state(const CxQuantiles *a, const CxQuantiles *b)
{
  CxSummary sa, sb;
  cx_quantiles_summary(a, &sa);
  cx_quantiles_summary(b, &sb);
  ck_assert(memcmp(&sa, &sb, sizeof sa) == 0);
  g_autoptr(GByteArray) ba = saved(a);
  g_autoptr(GByteArray) bb = saved(b);
  ck_assert_uint_eq(ba->len, bb->len);
  ck_assert(memcmp(ba->data, bb->data, ba->len) == 0);
}

static void
set_limit(const char *v)
{
  if (v != NULL)
    g_setenv("CXMINE_TEST_EXACT_SAMPLES", v, TRUE);
  else
    g_unsetenv("CXMINE_TEST_EXACT_SAMPLES");
}

START_TEST(test_exact_below_limit)
{
  set_limit(NULL);
  gsize sizes[] = { 1, 2, 7, 1000, CX_QUANTILES_EXACT_MAX };
  for (Dist d = 0; d < N_DISTS; d++)
    for (gsize k = 0; k < G_N_ELEMENTS(sizes); k++) {
      gsize n = sizes[k];
      g_autofree double *v = samples(d, n, 7 + d);
      g_autoptr(CxQuantiles) q = fed(v, 0, n);
      ck_assert(cx_quantiles_is_exact(q));
      ck_assert(cx_quantiles_rel_error(q) == 0);
      CxSummary got, want;
      cx_quantiles_summary(q, &got);
      g_autofree double *c = g_memdup2(v, n * sizeof(double));
      cx_summary_compute(c, n, &want);
      ck_assert(!got.sketched);
      ck_assert(memcmp(&got, &want, sizeof got) == 0);
      double p10 = cx_quantiles_quantile(q, 0.1);
      ck_assert(p10 == cx_quantile_sorted(c, n, 0.1));
    }
}
END_TEST

START_TEST(test_sketch_within_error)
{
  set_limit(NULL);
  gsize n = CX_QUANTILES_EXACT_MAX * 3 + 17;
  const double ps[] = { 0, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999, 1 };
  for (Dist d = 0; d < N_DISTS; d++) {
    g_autofree double *v = samples(d, n, 100 + d);
    g_autoptr(CxQuantiles) q = fed(v, 0, n);
    ck_assert(!cx_quantiles_is_exact(q));
    ck_assert(cx_quantiles_rel_error(q) == ALPHA);
    CxExactSum us = 0;
    for (gsize i = 0; i < n; i++)
      us += (gint64)llround(v[i] * 1e6);
    cx_sort_doubles(v, n);
    CxSummary s;
    cx_quantiles_summary(q, &s);
    ck_assert(s.sketched);
    ck_assert_uint_eq(s.n, n);
    ck_assert(s.min == v[0] && s.max == v[n - 1]);
    ck_assert(s.total == (double)us / 1e6);
    for (gsize k = 0; k < G_N_ELEMENTS(ps); k++) {
      double want = cx_quantile_sorted(v, n, ps[k]);
      double got = cx_quantiles_quantile(q, ps[k]);
      /* each neighbouring rank within alpha: the interpolation within
       * alpha of the larger magnitude (of the value itself when one-signed) */
      gsize lo = (gsize)(ps[k] * (double)(n - 1)), hi = MIN(lo + 1, n - 1);
      double bound = ALPHA * MAX(fabs(v[lo]), fabs(v[hi])) * (1 + 1e-9) + 1e-9;
      ck_assert_msg(fabs(got - want) <= bound, "dist %d p %g: %.17g vs %.17g", d, ps[k], got, want);
    }
    ck_assert(s.median == cx_quantiles_quantile(q, 0.5));
  }
}
END_TEST

/* A bucket whose samples share one value stands for it: few distinct
 * values (instances per case, whole hours) keep exact quantiles. */
START_TEST(test_sketch_few_values_exact)
{
  set_limit("1000");
  GRand *r = g_rand_new_with_seed(21);
  gsize n = 20000;
  g_autofree double *v = g_new(double, n);
  for (gsize i = 0; i < n; i++)
    v[i] = g_rand_int_range(r, 0, 3) ? (double)g_rand_int_range(r, 1, 40)
                                     : -3600.0 * g_rand_int_range(r, 1, 5);
  g_rand_free(r);
  g_autoptr(CxQuantiles) q = fed(v, 0, n);
  ck_assert(!cx_quantiles_is_exact(q));
  cx_sort_doubles(v, n);
  for (double p = 0; p <= 1; p += 0.05)
    ck_assert_msg(cx_quantiles_quantile(q, p) == cx_quantile_sorted(v, n, p), "p %g", p);
  /* and through the codec */
  g_autoptr(GByteArray) b = saved(q);
  g_autoptr(CxQuantiles) back = cx_quantiles_new();
  const guint8 *p = b->data;
  ck_assert(cx_quantiles_load(back, &p, b->data + b->len));
  ck_assert(cx_quantiles_quantile(back, 0.5) == cx_quantile_sorted(v, n, 0.5));
  /* a bucket value outside its bucket is refused */
  b->data[b->len - 1] ^= 0x40;
  g_autoptr(CxQuantiles) bad = cx_quantiles_new();
  p = b->data;
  ck_assert(!cx_quantiles_load(bad, &p, b->data + b->len));
  set_limit(NULL);
}
END_TEST

START_TEST(test_merge_any_split)
{
  set_limit("1000");
  gsize n = 2500;
  /* splits with both halves exact but the union past the limit, one
   * side sketched, both sketched, an empty side */
  gsize cuts[] = { 0, 1, 600, 999, 1000, 1001, 1400, 2499, 2500 };
  for (Dist d = 0; d < N_DISTS; d++) {
    g_autofree double *v = samples(d, n, 300 + d);
    for (gsize len = 900; len <= n; len += 1600) {
      g_autoptr(CxQuantiles) one = fed(v, 0, len);
      for (gsize k = 0; k < G_N_ELEMENTS(cuts); k++) {
        gsize c = MIN(cuts[k], len);
        g_autoptr(CxQuantiles) a = fed(v, 0, c);
        g_autoptr(CxQuantiles) b = fed(v, c, len);
        cx_quantiles_merge(a, b);
        assert_same_state(a, one);
        /* the other order: the same sketch (an exact union keeps order) */
        if (!cx_quantiles_is_exact(one)) {
          g_autoptr(CxQuantiles) a2 = fed(v, 0, c);
          g_autoptr(CxQuantiles) b2 = fed(v, c, len);
          cx_quantiles_merge(b2, a2);
          assert_same_state(b2, one);
        }
      }
    }
    /* three pieces merged in a tree */
    g_autoptr(CxQuantiles) one = fed(v, 0, n);
    g_autoptr(CxQuantiles) x = fed(v, 0, 700);
    g_autoptr(CxQuantiles) y = fed(v, 700, 1500);
    g_autoptr(CxQuantiles) z = fed(v, 1500, n);
    cx_quantiles_merge(y, z);
    cx_quantiles_merge(x, y);
    assert_same_state(x, one);
  }
  set_limit(NULL);
}
END_TEST

START_TEST(test_codec_round_trip)
{
  set_limit("1000");
  gsize sizes[] = { 0, 1, 500, 1000, 1001, 5000 };
  for (Dist d = 0; d < N_DISTS; d++)
    for (gsize k = 0; k < G_N_ELEMENTS(sizes); k++) {
      g_autofree double *v = samples(d, sizes[k], 500 + d);
      g_autoptr(CxQuantiles) q = fed(v, 0, sizes[k]);
      g_autoptr(GByteArray) b = saved(q);
      g_autoptr(CxQuantiles) back = cx_quantiles_new();
      const guint8 *p = b->data;
      ck_assert(cx_quantiles_load(back, &p, b->data + b->len));
      ck_assert(p == b->data + b->len);
      CxSummary s1, s2;
      cx_quantiles_summary(q, &s1);
      cx_quantiles_summary(back, &s2);
      /* raw doubles travel bit for bit; microsecond samples too */
      ck_assert(memcmp(&s1, &s2, sizeof s1) == 0);
      g_autoptr(GByteArray) b2 = saved(back);
      ck_assert(b2->len == b->len && memcmp(b2->data, b->data, b->len) == 0);
      /* every truncation fails cleanly */
      for (guint cut = 0; cut + 1 < b->len && sizes[k] > 0; cut += 1 + b->len / 50) {
        g_autoptr(CxQuantiles) t = cx_quantiles_new();
        const guint8 *pt = b->data;
        gboolean ok = cx_quantiles_load(t, &pt, b->data + cut);
        ck_assert(!ok || pt <= b->data + cut);
      }
    }
  /* two loads merge as the union does */
  g_autofree double *v = samples(D_USEC, 1600, 9);
  g_autoptr(CxQuantiles) one = fed(v, 0, 1600);
  g_autoptr(CxQuantiles) a = fed(v, 0, 800);
  g_autoptr(CxQuantiles) b = fed(v, 800, 1600);
  g_autoptr(GByteArray) ba = saved(a);
  g_autoptr(GByteArray) bb = saved(b);
  g_autoptr(CxQuantiles) m = cx_quantiles_new();
  const guint8 *p = ba->data;
  ck_assert(cx_quantiles_load(m, &p, ba->data + ba->len));
  p = bb->data;
  ck_assert(cx_quantiles_load(m, &p, bb->data + bb->len));
  /* the exact samples come back sorted: the summary is the same */
  CxSummary s1, s2;
  cx_quantiles_summary(one, &s1);
  cx_quantiles_summary(m, &s2);
  ck_assert(s1.sketched && memcmp(&s1, &s2, sizeof s1) == 0);
  set_limit(NULL);
}
END_TEST

START_TEST(test_difference)
{
  set_limit("1000");
  g_autofree double *v = samples(D_HEAVY, 3000, 11);
  g_autoptr(CxQuantiles) all = fed(v, 0, 3000);
  gsize cuts[] = { 3000, 2500 }; /* a sketched part, an exact part */
  for (gsize k = 0; k < G_N_ELEMENTS(cuts); k++) {
    g_autoptr(CxQuantiles) part = fed(v, 1800, cuts[k]);
    g_autoptr(CxQuantiles) want = fed(v, 0, 1800);
    g_autoptr(CxQuantiles) tail = fed(v, cuts[k], 3000);
    cx_quantiles_merge(want, tail);
    g_autoptr(CxQuantiles) d = cx_quantiles_new();
    cx_quantiles_set_difference(d, all, part);
    ck_assert(!cx_quantiles_is_exact(d));
    ck_assert_uint_eq(cx_quantiles_n(d), cx_quantiles_n(want));
    ck_assert(cx_quantiles_sum_usec(d) == cx_quantiles_sum_usec(want));
    for (double p = 0.05; p < 1; p += 0.1) {
      double a = cx_quantiles_quantile(d, p), b = cx_quantiles_quantile(want, p);
      ck_assert_msg(fabs(a - b) <= 2.01 * ALPHA * fabs(b), "p %g: %g vs %g", p, a, b);
    }
  }
  /* exact less exact: the exact multiset difference */
  g_autoptr(CxQuantiles) small = fed(v, 0, 900);
  g_autoptr(CxQuantiles) part = fed(v, 300, 600);
  g_autoptr(CxQuantiles) d = cx_quantiles_new();
  cx_quantiles_set_difference(d, small, part);
  g_autoptr(CxQuantiles) want = fed(v, 0, 300);
  g_autoptr(CxQuantiles) more = fed(v, 600, 900);
  cx_quantiles_merge(want, more);
  CxSummary s1, s2;
  cx_quantiles_summary(d, &s1);
  cx_quantiles_summary(want, &s2);
  ck_assert(memcmp(&s1, &s2, sizeof s1) == 0);
  set_limit(NULL);
}
END_TEST

typedef struct {
  GArray *v;
  guint64 na, nb;
} Groups;

static void
on_group(double v, guint64 na, guint64 nb, gpointer data)
{
  Groups *g = data;
  if (g->v->len > 0)
    ck_assert(v > g_array_index(g->v, double, g->v->len - 1));
  g_array_append_val(g->v, v);
  g->na += na;
  g->nb += nb;
}

START_TEST(test_groups)
{
  set_limit("1000");
  g_autofree double *v = samples(D_ZEROS, 4000, 12);
  g_autofree double *w = samples(D_SIGNED, 500, 13);
  for (int sketched = 0; sketched < 2; sketched++) {
    g_autoptr(CxQuantiles) a = fed(v, 0, sketched ? 4000 : 800);
    g_autoptr(CxQuantiles) b = fed(w, 0, 500);
    Groups g = { g_array_new(FALSE, FALSE, sizeof(double)), 0, 0 };
    cx_quantiles_groups(a, b, on_group, &g);
    ck_assert_uint_eq(g.na, cx_quantiles_n(a));
    ck_assert_uint_eq(g.nb, 500);
    /* exact: every distinct value; sketched: far fewer groups (buckets) */
    if (!sketched)
      ck_assert_uint_gt(g.v->len, 500);
    else
      ck_assert_uint_lt(g.v->len, 4000);
    g_array_free(g.v, TRUE);
  }
  set_limit(NULL);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("quantiles");
  TCase *tc = tcase_create("core");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, test_exact_below_limit);
  tcase_add_test(tc, test_sketch_within_error);
  tcase_add_test(tc, test_sketch_few_values_exact);
  tcase_add_test(tc, test_merge_any_split);
  tcase_add_test(tc, test_codec_round_trip);
  tcase_add_test(tc, test_difference);
  tcase_add_test(tc, test_groups);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_ENV);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
