/* Tests for exact summaries: the radix sort and numpy-style quantiles. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "cxmine/json-writer.h"
#include "cxmine/summary.h"

static int
cmp(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

START_TEST(test_sort_matches_qsort)
{
  GRand *rand = g_rand_new_with_seed(42);
  gsize sizes[] = { 0, 1, 7, 511, 512, 5000, 100000 };
  for (gsize k = 0; k < G_N_ELEMENTS(sizes); k++) {
    gsize n = sizes[k];
    double *a = g_new(double, n + 1), *b = g_new(double, n + 1);
    for (gsize i = 0; i < n; i++) {
      switch (g_rand_int_range(rand, 0, 5)) {
        case 0:
          a[i] = -g_rand_double_range(rand, 0, 1e9);
          break;
        case 1:
          a[i] = (double)g_rand_int_range(rand, 0, 100); /* many ties */
          break;
        case 2:
          a[i] = i % 2 ? 0.0 : -0.0;
          break;
        default:
          a[i] = g_rand_double_range(rand, -1e-3, 1e12);
      }
      b[i] = a[i];
    }
    cx_sort_doubles(a, n);
    qsort(b, n, sizeof(double), cmp);
    for (gsize i = 0; i < n; i++)
      ck_assert_msg(a[i] == b[i], "n=%zu i=%zu: %g != %g", n, i, a[i], b[i]);
    g_free(a);
    g_free(b);
  }
  g_rand_free(rand);
}
END_TEST

/* The stable argsort: by value, equal values in index order, for small
 * (qsort) and large (radix) samples alike. */
START_TEST(test_sort_order_stable)
{
  g_autoptr(GRand) r = g_rand_new_with_seed(5);
  guint32 sizes[] = { 1, 7, 1000, 5000 };
  for (guint s = 0; s < G_N_ELEMENTS(sizes); s++) {
    guint32 n = sizes[s];
    g_autofree double *v = g_new(double, n);
    g_autofree guint32 *order = g_new(guint32, n);
    for (guint32 i = 0; i < n; i++) /* few distinct values: many ties; negatives too */
      v[i] = (double)g_rand_int_range(r, -20, 20) * 0.25;
    cx_sort_doubles_order(v, n, order);
    for (guint32 k = 1; k < n; k++) {
      ck_assert(v[order[k - 1]] <= v[order[k]]);
      if (v[order[k - 1]] == v[order[k]])
        ck_assert_uint_lt(order[k - 1], order[k]);
    }
    g_autofree guint8 *seen = g_new0(guint8, n);
    for (guint32 k = 0; k < n; k++)
      seen[order[k]]++;
    for (guint32 i = 0; i < n; i++)
      ck_assert_uint_eq(seen[i], 1);
  }
}
END_TEST

START_TEST(test_quantiles_like_numpy)
{
  double v[] = { 4, 1, 3, 2 };
  CxSummary s;
  cx_summary_compute(v, 4, &s);
  ck_assert_uint_eq(s.n, 4);
  ck_assert_double_eq(s.median, 2.5);         /* numpy.median([1,2,3,4]) */
  ck_assert_double_eq_tol(s.p90, 3.7, 1e-12); /* numpy.percentile(..., 90) */
  ck_assert_double_eq(s.mean, 2.5);
  ck_assert_double_eq(s.total, 10);
  ck_assert_double_eq(s.min, 1);
  ck_assert_double_eq(s.max, 4);
  double one[] = { 7 };
  cx_summary_compute(one, 1, &s);
  ck_assert_double_eq(s.median, 7);
  ck_assert_double_eq(s.p90, 7);
  cx_summary_compute(NULL, 0, &s);
  ck_assert_uint_eq(s.n, 0);
  ck_assert_double_eq(s.mean, 0);
}
END_TEST

/* Selection gives, bit for bit, what sorting and reading the sorted values
 * gives: random values with many ties, zeros of both signs and NaN, and
 * the orders that defeat a naive pivot (sorted, reversed, all equal). */
START_TEST(test_quantile_select_matches_sort)
{
  static const double qs[] = { 0, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 1 };
  GRand *r = g_rand_new_with_seed(7);
  for (guint round = 0; round < 400; round++) {
    guint n = round < 300 ? 1 + round : 1 + (guint)g_rand_int_range(r, 1000, 20000);
    guint pattern = round % 5;
    g_autofree double *v = g_new(double, n);
    for (guint i = 0; i < n; i++) {
      switch (pattern) {
        case 0:
          v[i] = g_rand_int_range(r, -5, 6);
          break;
        case 1:
          v[i] = (i % 7 == 0) ? -0.0 : (i % 11 == 0 ? NAN : g_rand_double_range(r, -1e6, 1e6));
          break;
        case 2:
          v[i] = i;
          break;
        case 3:
          v[i] = (double)(n - i);
          break;
        default:
          v[i] = 42;
      }
    }
    for (guint k = 0; k < G_N_ELEMENTS(qs); k++) {
      g_autofree double *a = g_memdup2(v, n * sizeof(double));
      g_autofree double *b = g_memdup2(v, n * sizeof(double));
      cx_sort_doubles(a, n);
      double want = cx_quantile_sorted(a, n, qs[k]);
      double got = cx_quantile_select(b, n, qs[k]);
      ck_assert_msg(memcmp(&want, &got, sizeof(double)) == 0 || (isnan(want) && isnan(got)),
                    "n %u pattern %u q %g: %.17g vs %.17g", n, pattern, qs[k], got, want);
    }
  }
  g_rand_free(r);
  ck_assert_double_eq(cx_quantile_select(NULL, 0, 0.5), 0);
}
END_TEST

START_TEST(test_json_summary)
{
  double v[] = { 30, 60, 0.5 };
  CxSummary s;
  cx_summary_compute(v, G_N_ELEMENTS(v), &s);
  g_autoptr(GString) out = g_string_new(NULL);
  g_autoptr(CxJson) j = cx_json_new(out, FALSE);
  cx_json_summary(j, &s);
  ck_assert_str_eq(out->str, "{\"mean\":30.166666666666668,\"median\":30,\"p90\":54,"
                             "\"min\":0.5,\"max\":60,\"total\":90.5}");
}
END_TEST

/* Nothing measured is unknown, not zero: an object of nulls that a reader
 * can still index into. */
START_TEST(test_json_summary_empty)
{
  CxSummary s;
  cx_summary_compute(NULL, 0, &s);
  g_autoptr(GString) out = g_string_new(NULL);
  g_autoptr(CxJson) j = cx_json_new(out, FALSE);
  cx_json_summary(j, &s);
  ck_assert_str_eq(out->str, "{\"mean\":null,\"median\":null,\"p90\":null,\"min\":null,"
                             "\"max\":null,\"total\":null}");
}
END_TEST

/* Doubles in the shortest form that reads back as the same value. */
START_TEST(test_json_double_shortest)
{
  const struct {
    double v;
    const char *want;
  } cases[] = { { 0.2, "0.2" },
                { 20.0 / 100, "0.2" },
                { 0.1 + 0.2, "0.30000000000000004" },
                { 1.0 / 3, "0.3333333333333333" },
                { 17723.772, "17723.772" },
                { 1e20, "1e+20" },
                { -2.5e-7, "-2.5e-07" } };
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    g_autoptr(GString) out = g_string_new(NULL);
    g_autoptr(CxJson) j = cx_json_new(out, FALSE);
    cx_json_double(j, cases[i].v);
    ck_assert_str_eq(out->str, cases[i].want);
    ck_assert(g_ascii_strtod(out->str, NULL) == cases[i].v);
  }
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("summary");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, test_sort_matches_qsort);
  tcase_add_test(tc, test_sort_order_stable);
  tcase_add_test(tc, test_quantiles_like_numpy);
  tcase_add_test(tc, test_quantile_select_matches_sort);
  tcase_add_test(tc, test_json_summary);
  tcase_add_test(tc, test_json_summary_empty);
  tcase_add_test(tc, test_json_double_shortest);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_ENV);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
