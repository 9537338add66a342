/* Tests for the statistical tests, against values worked out from the
 * definitions (exact enumeration in rational arithmetic) and SciPy's
 * documented examples. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include "cxmine/stattest.h"

#define ck_assert_close(x, y, tol) ck_assert_double_eq_tol((x), (y), (tol))

START_TEST(test_normal)
{
  ck_assert_close(cx_stattest_normal_cdf(0), 0.5, 1e-15);
  ck_assert_close(cx_stattest_normal_cdf(1.959963984540054), 0.975, 1e-12);
  ck_assert_close(cx_stattest_normal_sf(1.959963984540054), 0.025, 1e-12);
  /* far tail stays accurate (no 1 - cdf cancellation) */
  ck_assert_close(cx_stattest_normal_sf(10) / 7.619853024160527e-24, 1, 1e-9);
  ck_assert_close(cx_stattest_normal_cdf(-10) / 7.619853024160527e-24, 1, 1e-9);
}
END_TEST

START_TEST(test_prop_z)
{
  double z;
  double p = cx_stattest_prop_z(45, 100, 60, 100, &z);
  ck_assert_close(z, 2.1239769762143657, 1e-12);
  ck_assert_close(p, 0.033672068856345876, 1e-12);
  p = cx_stattest_prop_z(60, 100, 45, 100, &z);
  ck_assert_close(z, -2.1239769762143657, 1e-12);
  /* degenerate: nothing to test */
  ck_assert_double_eq(cx_stattest_prop_z(0, 100, 0, 50, &z), 1);
  ck_assert_double_eq(z, 0);
  ck_assert_double_eq(cx_stattest_prop_z(7, 7, 9, 9, NULL), 1);
  ck_assert_double_eq(cx_stattest_prop_z(1, 0, 3, 9, NULL), 1);
}
END_TEST

START_TEST(test_fisher)
{
  /* SciPy's documented example: whales and sharks */
  ck_assert_close(cx_stattest_fisher(8, 2, 1, 5), 0.03496503496503497, 1e-12);
  ck_assert_close(cx_stattest_fisher(3, 1, 1, 3), 0.4857142857142857, 1e-12);
  ck_assert_close(cx_stattest_fisher(0, 10, 10, 0), 1.082508822446903e-05, 1e-15);
  ck_assert_close(cx_stattest_fisher(2, 98, 9, 91), 0.058220717580287504, 1e-12);
  /* symmetric in rows and in columns */
  ck_assert_close(cx_stattest_fisher(1, 5, 8, 2), 0.03496503496503497, 1e-12);
  ck_assert_close(cx_stattest_fisher(2, 8, 5, 1), 0.03496503496503497, 1e-12);
  /* degenerate margins */
  ck_assert_double_eq(cx_stattest_fisher(0, 0, 3, 4), 1);
  ck_assert_double_eq(cx_stattest_fisher(0, 5, 0, 4), 1);
  /* large counts stay finite */
  double p = cx_stattest_fisher(3, 100000, 40, 100000);
  ck_assert(p > 0 && p < 1e-6);
}
END_TEST

START_TEST(test_proportions_choose_method)
{
  CxPropTest t;
  cx_stattest_proportions(45, 100, 60, 100, &t);
  ck_assert_int_eq(t.method, CX_STATTEST_Z);
  ck_assert_close(t.p, 0.033672068856345876, 1e-12);
  ck_assert_close(t.rate1, 0.45, 1e-15);
  ck_assert_close(t.diff, 0.15, 1e-12);
  /* expected cell 100 * 11 / 200 = 5.5 -> still z; 2 vs 7 -> fisher */
  cx_stattest_proportions(2, 100, 9, 100, &t);
  ck_assert_int_eq(t.method, CX_STATTEST_Z);
  cx_stattest_proportions(2, 100, 7, 100, &t);
  ck_assert_int_eq(t.method, CX_STATTEST_FISHER);
  ck_assert_double_eq(t.p, cx_stattest_fisher(2, 98, 7, 93));
  cx_stattest_proportions(0, 10, 0, 20, &t);
  ck_assert_int_eq(t.method, CX_STATTEST_NONE);
  ck_assert_double_eq(t.p, 1);
  cx_stattest_proportions(0, 0, 3, 20, &t);
  ck_assert_int_eq(t.method, CX_STATTEST_NONE);
  ck_assert_close(t.rate2, 0.15, 1e-15);
}
END_TEST

START_TEST(test_mw_exact)
{
  /* SciPy's documented example (sorted): U1 = 17, exact p = 1/9 */
  const double males[] = { 16, 19, 22, 24, 29 };
  const double females[] = { 11, 12, 17, 20 };
  CxMannWhitney mw;
  cx_stattest_mann_whitney(males, 5, females, 4, &mw);
  ck_assert_int_eq(mw.method, CX_STATTEST_MW_EXACT);
  ck_assert_double_eq(mw.u1, 17);
  ck_assert_close(mw.p, 0.1111111111111111, 1e-12);
  ck_assert_close(mw.effect, 1 - 2 * 17.0 / 20, 1e-15);
  ck_assert_double_eq(mw.median1, 22);
  ck_assert_double_eq(mw.median2, 14.5);
  ck_assert_close(mw.median_ratio, 14.5 / 22, 1e-15);
  /* swapped samples: same p, mirrored U and effect */
  cx_stattest_mann_whitney(females, 4, males, 5, &mw);
  ck_assert_double_eq(mw.u1, 3);
  ck_assert_close(mw.p, 0.1111111111111111, 1e-12);
  /* complete separation of 20 vs 20: p = 2 / C(40, 20) */
  double a[20], b[20];
  for (int i = 0; i < 20; i++)
    a[i] = i, b[i] = 100 + i;
  cx_stattest_mann_whitney(a, 20, b, 20, &mw);
  ck_assert_int_eq(mw.method, CX_STATTEST_MW_EXACT);
  ck_assert_close(mw.p / (2 / 137846528820.0), 1, 1e-9);
  ck_assert_double_eq(mw.effect, 1);
}
END_TEST

START_TEST(test_mw_normal_ties)
{
  /* ties force the normal approximation: tie-corrected variance and
   * continuity correction, worked out by hand */
  const double a[] = { 1, 2, 2, 3, 3, 3, 4, 5 };
  const double b[] = { 3, 4, 4, 5, 5, 6, 7, 7, 8 };
  CxMannWhitney mw;
  cx_stattest_mann_whitney(a, 8, b, 9, &mw);
  ck_assert_int_eq(mw.method, CX_STATTEST_MW_NORMAL);
  ck_assert_double_eq(mw.u1, 7.5);
  ck_assert_close(mw.z, -2.727939278646863, 1e-12);
  ck_assert_close(mw.p, 0.006373133838085877, 1e-12);
  ck_assert(mw.effect > 0);
  /* large samples without ties use the normal approximation too */
  double x[30], y[25];
  for (int i = 0; i < 30; i++)
    x[i] = 2 * i;
  for (int i = 0; i < 25; i++)
    y[i] = 2 * i + 1;
  cx_stattest_mann_whitney(x, 30, y, 25, &mw);
  ck_assert_int_eq(mw.method, CX_STATTEST_MW_NORMAL);
  ck_assert(mw.p > 0.2 && mw.p <= 1);
}
END_TEST

START_TEST(test_mw_degenerate)
{
  const double same[] = { 5, 5, 5 };
  CxMannWhitney mw;
  cx_stattest_mann_whitney(same, 3, same, 3, &mw);
  ck_assert_double_eq(mw.p, 1);
  ck_assert_double_eq(mw.median_ratio, 1);
  cx_stattest_mann_whitney(same, 3, NULL, 0, &mw);
  ck_assert_int_eq(mw.method, CX_STATTEST_NONE);
  ck_assert_double_eq(mw.p, 1);
  ck_assert(isnan(mw.median2));
  ck_assert(isnan(mw.median_ratio));
  const double zero[] = { 0, 0 };
  cx_stattest_mann_whitney(zero, 2, same, 3, &mw);
  ck_assert(isnan(mw.median_ratio));
  ck_assert(mw.p >= 0 && mw.p <= 1);
}
END_TEST

START_TEST(test_bh)
{
  const double p[] = { 0.01, 0.04, 0.03, 0.005, 0.5 };
  double q[5];
  cx_stattest_bh(p, 5, q);
  /* sorted: .005 .01 .03 .04 .5 -> .025 .025 .05 .05 .5 */
  ck_assert_close(q[3], 0.025, 1e-15);
  ck_assert_close(q[0], 0.025, 1e-15);
  ck_assert_close(q[2], 0.05, 1e-15);
  ck_assert_close(q[1], 0.05, 1e-15);
  ck_assert_close(q[4], 0.5, 1e-15);
  /* in place, monotone, capped at 1, NaN as 1 */
  double r[] = { 0.9, NAN, 0.8, 0.001 };
  cx_stattest_bh(r, 4, r);
  ck_assert_close(r[3], 0.004, 1e-15);
  ck_assert_double_eq(r[0], 1);
  ck_assert_double_eq(r[1], 1);
  ck_assert_double_eq(r[2], 1);
  const double all[] = { 0.01, 0.02, 0.03, 0.04, 0.05 };
  double qa[5];
  cx_stattest_bh(all, 5, qa);
  for (int i = 0; i < 5; i++)
    ck_assert_close(qa[i], 0.05, 1e-15);
  cx_stattest_bh(NULL, 0, NULL);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("stattest");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, test_normal);
  tcase_add_test(tc, test_prop_z);
  tcase_add_test(tc, test_fisher);
  tcase_add_test(tc, test_proportions_choose_method);
  tcase_add_test(tc, test_mw_exact);
  tcase_add_test(tc, test_mw_normal_ties);
  tcase_add_test(tc, test_mw_degenerate);
  tcase_add_test(tc, test_bh);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_ENV);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
