/* Tests for compare-run.h, the one code path of `cxmine compare` and the
 * report: two logs under one outcome model, and the segments of --by with
 * their overview.  Journeys are built with planted outcomes. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "cxmine/cxmine.h"

#define HOUR G_GINT64_CONSTANT(3600000000)
#define T0   G_GINT64_CONSTANT(1704067200000000)

/* Journey @i: Register, Check, then @end; with @tier (not NULL) the trace
 * attribute tier = @tier. */
static void
feed_one(CxLog *log, guint i, const char *end, const char *tier, CxJourneyFunc func, gpointer data)
{
  CxPool *acts = cx_log_activities(log);
  const char *names[] = { "Register", "Check", end };
  CxEvent ev[3];
  gint64 t = T0 + (gint64)i * 5 * HOUR;
  for (int k = 0; k < 3; k++) {
    t += (gint64)(1 + (i + k) % 4) * HOUR;
    ev[k] = (CxEvent){ .time = t,
                       .start = CX_TS_NONE,
                       .activity = cx_pool_intern(acts, names[k], -1) };
  }
  g_autofree char *case_name = g_strdup_printf("c%u", i);
  CxAttr attr = { 0, 0 };
  if (tier != NULL) {
    attr.key = cx_pool_intern(cx_log_keys(log), "tier", -1);
    attr.value = cx_pool_intern(cx_log_values(log), tier, -1);
  }
  CxJourney j = { .case_id = cx_pool_intern(cx_log_cases(log), case_name, -1),
                  .n_events = 3,
                  .n_instances = 3,
                  .instances = ev,
                  .n_attrs = tier != NULL ? 1 : 0,
                  .attrs = tier != NULL ? &attr : NULL };
  ck_assert(func(&j, data, NULL));
}

static const CxCompareItem *
headline(const CxCompare *c, CxCompareHeadline h)
{
  const CxCompareItem *it = cx_compare_headline(c, h);
  ck_assert_ptr_nonnull(it);
  return it;
}

/* Two logs: the first always closes, the second abandons one in four;
 * one model for both (Close the success, no open journeys). */
START_TEST(test_two_logs_one_model)
{
  g_autoptr(CxLog) la = cx_log_new();
  g_autoptr(CxLog) lb = cx_log_new();
  CxFrictionOptions fo;
  cx_friction_options_init(&fo);
  fo.open_after_us = 0;
  g_autoptr(CxCompareLog) a = cx_compare_log_new(la, &fo);
  g_autoptr(CxCompareLog) b = cx_compare_log_new(lb, &fo);
  for (guint i = 0; i < 40; i++) {
    feed_one(la, i, "Close", NULL, cx_compare_log_add, a);
    feed_one(lb, i, i % 4 == 0 ? "Abandon" : "Close", NULL, cx_compare_log_add, b);
  }
  ck_assert_uint_eq(cx_compare_log_n_cases(a), 40);
  CxCompareOptions co;
  cx_compare_options_init(&co);
  co.names[0] = "A";
  co.names[1] = "B";
  co.success_rule = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CxCompare) c = cx_compare_logs(a, b, &co, &error);
  ck_assert_ptr_nonnull(c);
  ck_assert_str_eq(cx_compare_options(c)->names[0], "A");
  ck_assert_str_eq(cx_compare_options(c)->names[1], "B");
  ck_assert(strstr(cx_compare_options(c)->success_rule, "Close") != NULL);
  const CxCompareItem *s = headline(c, CX_COMPARE_SUCCESS);
  ck_assert_uint_eq(s->count[0], 40);
  ck_assert_uint_eq(s->cases[0], 40);
  ck_assert_uint_eq(s->count[1], 30);
  ck_assert_uint_eq(s->cases[1], 40);
  /* the drop-offs: customers lost on the second side only */
  const CxCompareItem *d = cx_compare_friction(c, CX_FINDING_DROPOFF);
  ck_assert_ptr_nonnull(d);
  ck_assert_uint_eq(d->cases[0], 0);
  ck_assert_uint_eq(d->cases[1], 10);
}
END_TEST

/* An empty second log: an error, no comparison. */
START_TEST(test_two_logs_empty)
{
  g_autoptr(CxLog) la = cx_log_new();
  g_autoptr(CxLog) lb = cx_log_new();
  g_autoptr(CxCompareLog) a = cx_compare_log_new(la, NULL);
  g_autoptr(CxCompareLog) b = cx_compare_log_new(lb, NULL);
  for (guint i = 0; i < 10; i++)
    feed_one(la, i, "Close", NULL, cx_compare_log_add, a);
  CxCompareOptions co;
  cx_compare_options_init(&co);
  g_autoptr(GError) error = NULL;
  g_autoptr(CxCompare) c = cx_compare_logs(a, b, &co, &error);
  ck_assert_ptr_null(c);
  ck_assert(g_error_matches(error, CX_COMPARE_RUN_ERROR, CX_COMPARE_RUN_ERROR_EMPTY));
  ck_assert(strstr(error->message, "second log") != NULL);
}
END_TEST

static CxCompareBy *
tiers(CxLog *log, const char *key)
{
  CxFrictionOptions fo;
  cx_friction_options_init(&fo);
  fo.open_after_us = 0;
  CxCompareBy *b = cx_compare_by_new(log, key, &fo);
  const char *tier[] = { "gold", "silver", "bronze" };
  for (guint i = 0; i < 90; i++) /* bronze: every other journey abandoned */
    feed_one(log, i, i % 3 == 2 && i % 2 == 0 ? "Abandon" : "Close", tier[i % 3], cx_compare_by_add,
             b);
  return b;
}

/* Three values: three segments, each vs the rest, and the overview. */
START_TEST(test_by_three_segments)
{
  g_autoptr(CxLog) log = cx_log_new();
  g_autoptr(CxCompareBy) b = tiers(log, "case:tier");
  CxCompareOptions co;
  cx_compare_options_init(&co);
  g_autoptr(GError) error = NULL;
  ck_assert(cx_compare_by_finish(b, NULL, &co, &error));
  ck_assert_str_eq(cx_compare_by_key(b), "tier");
  ck_assert_uint_eq(cx_compare_by_n_segments(b), 3);
  ck_assert_int_eq(cx_compare_by_baseline(b), -1);
  for (guint i = 0; i < 3; i++) {
    const CxCompare *c = cx_compare_by_get(b, i);
    ck_assert_ptr_nonnull(c);
    ck_assert_str_eq(cx_compare_options(c)->names[0], "the rest");
    guint64 cases;
    double med, share;
    gint64 lost;
    const char *top;
    cx_compare_by_row(b, i, &cases, &med, &share, &lost, &top);
    ck_assert_uint_eq(cases, 30);
    gboolean bronze = strcmp(cx_compare_by_label(b, i), "bronze") == 0;
    /* bronze: 15 of 30 abandoned */
    ck_assert_double_eq_tol(share, bronze ? 0.5 : 1.0, 1e-12);
    ck_assert_int_eq(lost, bronze ? 15 : 0);
    if (bronze) {
      ck_assert_ptr_nonnull(top);
      ck_assert_str_eq(top, "dropoff");
      const CxCompareItem *s = headline(c, CX_COMPARE_SUCCESS);
      ck_assert_uint_eq(s->count[1], 15);
      ck_assert_uint_eq(s->count[0], 60); /* the rest */
    }
  }
  g_autoptr(GString) js = g_string_new(NULL);
  g_autoptr(CxJson) j = cx_json_new(js, FALSE);
  cx_compare_by_to_json(b, j);
  ck_assert(strstr(js->str, "\"segments_total\":3") != NULL);
  ck_assert(strstr(js->str, "\"baseline\":null") != NULL);
  g_autoptr(GString) text = g_string_new(NULL);
  cx_compare_by_overview_text(b, text);
  ck_assert(strstr(text->str, "Segments by tier (3)") != NULL);
}
END_TEST

START_TEST(test_by_errors)
{
  g_autoptr(CxLog) log = cx_log_new();
  g_autoptr(CxCompareBy) b = tiers(log, "tier");
  CxCompareOptions co;
  cx_compare_options_init(&co);
  CxCompareByOptions bo;
  cx_compare_by_options_init(&bo);
  bo.baseline = "platinum";
  g_autoptr(GError) error = NULL;
  ck_assert(!cx_compare_by_finish(b, &bo, &co, &error));
  ck_assert(g_error_matches(error, CX_COMPARE_RUN_ERROR, CX_COMPARE_RUN_ERROR_BASELINE));

  g_autoptr(CxLog) log2 = cx_log_new();
  g_autoptr(CxCompareBy) b2 = tiers(log2, "tear");
  g_autoptr(GError) error2 = NULL;
  ck_assert(!cx_compare_by_finish(b2, NULL, &co, &error2));
  ck_assert(g_error_matches(error2, CX_COMPARE_RUN_ERROR, CX_COMPARE_RUN_ERROR_EMPTY));
  ck_assert(strstr(error2->message, "no journey has the attribute 'tear'") != NULL);
  ck_assert(strstr(error2->message, "did you mean 'tier'") != NULL);

  g_autoptr(CxLog) log3 = cx_log_new();
  g_autoptr(CxCompareBy) b3 = tiers(log3, "tier");
  bo.baseline = "silver";
  g_autoptr(GError) error3 = NULL;
  ck_assert(cx_compare_by_finish(b3, &bo, &co, &error3));
  gint base = cx_compare_by_baseline(b3);
  ck_assert_int_ge(base, 0);
  ck_assert_str_eq(cx_compare_by_label(b3, (guint)base), "silver");
  ck_assert_ptr_null(cx_compare_by_get(b3, (guint)base));
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("compare-run");
  TCase *tc = tcase_create("core");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, test_two_logs_one_model);
  tcase_add_test(tc, test_two_logs_empty);
  tcase_add_test(tc, test_by_three_segments);
  tcase_add_test(tc, test_by_errors);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_ENV);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
