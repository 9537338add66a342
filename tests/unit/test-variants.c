/* Variants (variants.h) on a hand-made CSV whose rows are not in time
 * order: counts, shares, order and its tie rule, the example case, median
 * durations, case ids, ranks, a merge that equals one pass, reset, JSON. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "cxmine/cxmine.h"
#include "csv-log.h"

/* a b: c1 (1 h), c2 (3 h); a c: c3 (30 min), c5 (90 min); a b c: c4 (2 h).
 * a b and a c tie at 2 cases: a b's example starts first, so it is first. */
static const char *const LOG_CSV = "case,activity,timestamp\n"
                                   "c4,a,2024-01-04T10:00:00Z\n"
                                   "c4,b,2024-01-04T11:00:00Z\n"
                                   "c4,c,2024-01-04T12:00:00Z\n"
                                   "c2,a,2024-01-02T10:00:00Z\n"
                                   "c2,b,2024-01-02T13:00:00Z\n"
                                   "c5,a,2024-01-05T10:00:00Z\n"
                                   "c5,c,2024-01-05T11:30:00Z\n"
                                   "c3,a,2024-01-03T10:00:00Z\n"
                                   "c3,c,2024-01-03T10:30:00Z\n"
                                   "c1,a,2024-01-01T10:00:00Z\n"
                                   "c1,b,2024-01-01T11:00:00Z\n";

/* "a b c" from activity ids */
static char *
seq(CxLog *log, const CxVariant *v)
{
  GString *s = g_string_new(NULL);
  for (guint i = 0; i < v->length; i++)
    g_string_append_printf(s, "%s%s", i ? " " : "",
                           cx_pool_get(cx_log_activities(log), v->activities[i]));
  return g_string_free(s, FALSE);
}

static char *
case_list(CxLog *log, const CxVariant *v)
{
  GString *s = g_string_new(NULL);
  for (guint i = 0; i < v->n_case_ids; i++)
    g_string_append_printf(s, "%s%s", i ? " " : "", cx_pool_get(cx_log_cases(log), v->case_ids[i]));
  return g_string_free(s, FALSE);
}

/* Checks @v holds the three variants of LOG_CSV, in order. */
static void
check_variants(CxLog *log, CxVariants *v, gboolean with_case_ids)
{
  ck_assert_uint_eq(cx_variants_n_cases(v), 5);
  guint n = 0;
  const CxVariant *vs = cx_variants_sorted(v, &n);
  ck_assert_uint_eq(n, 3);
  const struct {
    const char *seq, *example, *cases;
    guint64 count;
    double share, cumulative, median;
  } want[] = {
    { "a b", "c1", "c1 c2", 2, 0.4, 0.4, 7200 },
    { "a c", "c3", "c3 c5", 2, 0.4, 0.8, 3600 },
    { "a b c", "c4", "c4", 1, 0.2, 1.0, 7200 },
  };
  for (guint i = 0; i < n; i++) {
    g_autofree char *s = seq(log, &vs[i]);
    ck_assert_str_eq(s, want[i].seq);
    ck_assert_uint_eq(vs[i].count, want[i].count);
    ck_assert_double_eq_tol(vs[i].share, want[i].share, 1e-12);
    ck_assert_double_eq_tol(vs[i].cumulative_share, want[i].cumulative, 1e-12);
    ck_assert_double_eq(vs[i].median_duration_s, want[i].median);
    ck_assert_str_eq(cx_pool_get(cx_log_cases(log), vs[i].example_case), want[i].example);
    if (with_case_ids) {
      g_autofree char *cases = case_list(log, &vs[i]);
      ck_assert_str_eq(cases, want[i].cases);
    } else {
      ck_assert_ptr_null(vs[i].case_ids);
    }
  }
}

START_TEST(test_counts_order_examples)
{
  CsvLog c;
  csv_log_open(&c, LOG_CSV);
  CxVariants *v = cx_variants_new(c.log);
  csv_log_scan(&c, cx_variants_add, cx_variants_reset, v);
  check_variants(c.log, v, FALSE);
  cx_variants_free(v);
  csv_log_close(&c);
}
END_TEST

START_TEST(test_case_ids_by_start)
{
  CsvLog c;
  csv_log_open(&c, LOG_CSV);
  CxVariants *v = cx_variants_new(c.log);
  cx_variants_keep_case_ids(v);
  csv_log_scan(&c, cx_variants_add, cx_variants_reset, v);
  check_variants(c.log, v, TRUE);
  cx_variants_free(v);
  csv_log_close(&c);
}
END_TEST

typedef struct {
  CxVariants *v;
  CxLog *log;
  GHashTable *variant_of; /* case name -> variant id + 1 */
} Ranks;

static gboolean
add_and_remember(const CxJourney *j, gpointer data, GError **error)
{
  Ranks *r = data;
  guint32 id = cx_variants_add_journey(r->v, j);
  g_hash_table_insert(r->variant_of, g_strdup(cx_pool_get(cx_log_cases(r->log), j->case_id)),
                      GUINT_TO_POINTER(id + 1));
  return TRUE;
}

START_TEST(test_rank)
{
  CsvLog c;
  csv_log_open(&c, LOG_CSV);
  Ranks r = { cx_variants_new(c.log), c.log,
              g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL) };
  csv_log_scan(&c, add_and_remember, cx_variants_reset, &r);
  const struct {
    const char *name;
    guint rank;
  } want[] = { { "c1", 1 }, { "c2", 1 }, { "c3", 2 }, { "c5", 2 }, { "c4", 3 } };
  for (guint i = 0; i < G_N_ELEMENTS(want); i++) {
    guint32 id = GPOINTER_TO_UINT(g_hash_table_lookup(r.variant_of, want[i].name)) - 1;
    ck_assert_uint_eq(cx_variants_rank(r.v, id), want[i].rank);
  }
  g_hash_table_destroy(r.variant_of);
  cx_variants_free(r.v);
  csv_log_close(&c);
}
END_TEST

typedef struct {
  CxVariants *half[2];
  guint n;
} Split;

static gboolean
add_alternately(const CxJourney *j, gpointer data, GError **error)
{
  Split *s = data;
  return cx_variants_add(j, s->half[s->n++ % 2], error);
}

START_TEST(test_merge_equals_one_pass)
{
  CsvLog c;
  csv_log_open(&c, LOG_CSV);
  Split s = { { cx_variants_new(c.log), cx_variants_new(c.log) }, 0 };
  cx_variants_keep_case_ids(s.half[0]);
  cx_variants_keep_case_ids(s.half[1]);
  csv_log_scan(&c, add_alternately, NULL, &s);
  ck_assert_uint_eq(s.n, 5);
  ck_assert_uint_lt(cx_variants_n_cases(s.half[1]), 5);
  cx_variants_merge(s.half[0], s.half[1]);
  check_variants(c.log, s.half[0], TRUE);
  /* the source is unchanged */
  ck_assert_uint_eq(cx_variants_n_cases(s.half[1]), 2);
  cx_variants_free(s.half[0]);
  cx_variants_free(s.half[1]);
  csv_log_close(&c);
}
END_TEST

START_TEST(test_reset)
{
  CsvLog c;
  csv_log_open(&c, LOG_CSV);
  CxVariants *v = cx_variants_new(c.log);
  csv_log_scan(&c, cx_variants_add, cx_variants_reset, v);
  cx_variants_reset(v);
  guint n = 99;
  cx_variants_sorted(v, &n);
  ck_assert_uint_eq(n, 0);
  ck_assert_uint_eq(cx_variants_n_cases(v), 0);
  csv_log_scan(&c, cx_variants_add, cx_variants_reset, v);
  check_variants(c.log, v, FALSE);
  cx_variants_free(v);
  csv_log_close(&c);
}
END_TEST

static char *
variants_json(CxVariants *v, guint top)
{
  GString *out = g_string_new(NULL);
  CxJson *j = cx_json_new(out, FALSE);
  cx_variants_to_json(v, j, top);
  cx_json_free(j);
  return g_string_free(out, FALSE);
}

START_TEST(test_json_top)
{
  CsvLog c;
  csv_log_open(&c, LOG_CSV);
  CxVariants *v = cx_variants_new(c.log);
  csv_log_scan(&c, cx_variants_add, cx_variants_reset, v);
  g_autofree char *one = variants_json(v, 1);
  ck_assert_str_eq(one,
                   "{\"business_hours\":null,\"cases\":5,\"variants_total\":3,\"truncated\":true,"
                   "\"variants\":[{\"activities\":[\"a\",\"b\"],\"count\":2,\"share\":0.4,"
                   "\"cumulative_share\":0.4,\"median_duration_s\":7200,\"example\":\"c1\"}],"
                   "\"quantile_rel_error\":0}");
  /* all three: not truncated, and top = the count is not truncated either */
  g_autofree char *all = variants_json(v, 0);
  g_autofree char *three = variants_json(v, 3);
  ck_assert_str_eq(all, three);
  ck_assert_ptr_nonnull(strstr(all, "\"truncated\":false"));
  ck_assert_ptr_nonnull(strstr(all, "\"activities\":[\"a\",\"b\",\"c\"],\"count\":1,\"share\":0.2,"
                                    "\"cumulative_share\":1,"));
  cx_variants_free(v);
  csv_log_close(&c);
}
END_TEST

START_TEST(test_empty)
{
  CsvLog c;
  csv_log_open(&c, "case,activity,timestamp\n");
  CxVariants *v = cx_variants_new(c.log);
  csv_log_scan(&c, cx_variants_add, cx_variants_reset, v);
  g_autofree char *json = variants_json(v, 0);
  ck_assert_str_eq(json, "{\"business_hours\":null,\"cases\":0,\"variants_total\":0,"
                         "\"truncated\":false,\"variants\":[],\"quantile_rel_error\":0}");
  cx_variants_free(v);
  csv_log_close(&c);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("variants");
  TCase *tc = tcase_create("variants");
  tcase_add_test(tc, test_counts_order_examples);
  tcase_add_test(tc, test_case_ids_by_start);
  tcase_add_test(tc, test_rank);
  tcase_add_test(tc, test_merge_equals_one_pass);
  tcase_add_test(tc, test_reset);
  tcase_add_test(tc, test_json_top);
  tcase_add_test(tc, test_empty);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_ENV);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
