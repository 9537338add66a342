/* The cases behind a result (case-ids.h) on a hand-made CSV: a case's
 * start, the one order (start, untimed last, then case id in byte order),
 * the ids in that order, and the JSON and text forms with their limit. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include "cxmine/cxmine.h"
#include "cxmine/case-ids.h"
#include "csv-log.h"

/* In file order: b2 and a1 start at 10:00 (a tie: byte order), Z at 09:00,
 * u and B have no timestamp (last, "B" before "u" in byte order), x at
 * 11:00 but its first event in the file is its later one. */
static const char *const LOG_CSV = "case,activity,timestamp\n"
                                   "b2,a,2024-01-01T10:00:00Z\n"
                                   "a1,a,2024-01-01T10:00:00Z\n"
                                   "a1,b,2024-01-01T12:00:00Z\n"
                                   "u,a,\n"
                                   "Z,a,2024-01-01T09:00:00Z\n"
                                   "x,b,2024-01-01T13:00:00Z\n"
                                   "x,a,2024-01-01T11:00:00Z\n"
                                   "B,a,\n";

static gboolean
collect(const CxJourney *j, gpointer data, GError **error)
{
  (void)error;
  CxCaseRef r = { cx_case_ref_first(j), j->case_id };
  g_array_append_val((GArray *)data, r);
  return TRUE;
}

static void
reset(gpointer data)
{
  g_array_set_size((GArray *)data, 0);
}

/* The refs of every case of LOG_CSV, in the order the scan handed them. */
static GArray *
scan_refs(CsvLog *c)
{
  csv_log_open(c, LOG_CSV);
  GArray *refs = g_array_new(FALSE, FALSE, sizeof(CxCaseRef));
  csv_log_scan(c, collect, reset, refs);
  ck_assert_uint_eq(refs->len, 6);
  return refs;
}

static const char *
name_of(CsvLog *c, guint32 id)
{
  return cx_pool_get(cx_log_cases(c->log), id);
}

START_TEST(test_first_is_the_start)
{
  CsvLog c;
  g_autoptr(GArray) refs = scan_refs(&c);
  for (guint k = 0; k < refs->len; k++) {
    const CxCaseRef *r = &g_array_index(refs, CxCaseRef, k);
    const char *n = name_of(&c, r->case_id);
    gint64 want = strcmp(n, "Z") == 0   ? CSV_LOG_T0 + 9 * CSV_LOG_HOUR
                  : strcmp(n, "x") == 0 ? CSV_LOG_T0 + 11 * CSV_LOG_HOUR
                  : strcmp(n, "u") == 0 ? G_MAXINT64
                  : strcmp(n, "B") == 0 ? G_MAXINT64
                                        : CSV_LOG_T0 + 10 * CSV_LOG_HOUR;
    ck_assert_msg(r->first == want, "%s: %" G_GINT64_FORMAT, n, r->first);
  }
  ck_assert_int_eq(cx_case_ref_key(CX_TS_NONE), G_MAXINT64);
  ck_assert_int_eq(cx_case_ref_key(CSV_LOG_T0), CSV_LOG_T0);
  csv_log_close(&c);
}
END_TEST

static const char *const ORDER[] = { "Z", "a1", "b2", "x", "B", "u" };

START_TEST(test_sort_and_ids)
{
  CsvLog c;
  g_autoptr(GArray) refs = scan_refs(&c);
  g_autoptr(GArray) ids = g_array_new(FALSE, FALSE, sizeof(guint32));
  g_array_set_size(ids, 99); /* set to the refs' length */
  cx_case_refs_to_ids(refs, cx_log_cases(c.log), ids);
  ck_assert_uint_eq(ids->len, G_N_ELEMENTS(ORDER));
  for (guint k = 0; k < ids->len; k++) {
    ck_assert_str_eq(name_of(&c, g_array_index(ids, guint32, k)), ORDER[k]);
    ck_assert_uint_eq(g_array_index(refs, CxCaseRef, k).case_id, g_array_index(ids, guint32, k));
  }
  /* sorting again, from the reverse order, gives the same */
  for (guint k = 0; k < refs->len / 2; k++) {
    CxCaseRef t = g_array_index(refs, CxCaseRef, k);
    g_array_index(refs, CxCaseRef, k) = g_array_index(refs, CxCaseRef, refs->len - 1 - k);
    g_array_index(refs, CxCaseRef, refs->len - 1 - k) = t;
  }
  cx_case_refs_sort((CxCaseRef *)refs->data, refs->len, cx_log_cases(c.log));
  for (guint k = 0; k < refs->len; k++)
    ck_assert_str_eq(name_of(&c, g_array_index(refs, CxCaseRef, k).case_id), ORDER[k]);
  /* none: nothing to sort, no ids */
  g_array_set_size(refs, 0);
  cx_case_refs_to_ids(refs, cx_log_cases(c.log), ids);
  ck_assert_uint_eq(ids->len, 0);
  csv_log_close(&c);
}
END_TEST

/* The ids of ORDER, sorted, into @ids. */
static void
sorted_ids(CsvLog *c, GArray *ids)
{
  g_autoptr(GArray) refs = scan_refs(c);
  cx_case_refs_to_ids(refs, cx_log_cases(c->log), ids);
}

START_TEST(test_json)
{
  CsvLog c;
  g_autoptr(GArray) ids = g_array_new(FALSE, FALSE, sizeof(guint32));
  sorted_ids(&c, ids);
  g_autoptr(GString) out = g_string_new(NULL);
  {
    g_autoptr(CxJson) j = cx_json_new(out, FALSE);
    cx_json_begin_object(j);
    cx_case_ids_to_json(j, cx_log_cases(c.log), (const guint32 *)ids->data, ids->len);
    cx_json_end_object(j);
  }
  ck_assert_str_eq(out->str, "{\"case_ids\":[\"Z\",\"a1\",\"b2\",\"x\",\"B\",\"u\"]}");
  g_string_truncate(out, 0);
  {
    g_autoptr(CxJson) j = cx_json_new(out, FALSE);
    cx_json_begin_object(j);
    cx_case_ids_to_json(j, cx_log_cases(c.log), NULL, 0);
    cx_json_end_object(j);
  }
  ck_assert_str_eq(out->str, "{\"case_ids\":[]}");
  csv_log_close(&c);
}
END_TEST

START_TEST(test_text)
{
  CsvLog c;
  g_autoptr(GArray) ids = g_array_new(FALSE, FALSE, sizeof(guint32));
  sorted_ids(&c, ids);
  CxPool *cases = cx_log_cases(c.log);
  const guint32 *v = (const guint32 *)ids->data;
  g_autoptr(GString) out = g_string_new("ids: ");
  cx_case_ids_to_text(out, cases, v, ids->len, 0); /* all */
  ck_assert_str_eq(out->str, "ids: Z, a1, b2, x, B, u");
  g_string_truncate(out, 0);
  cx_case_ids_to_text(out, cases, v, ids->len, 2);
  ck_assert_str_eq(out->str, "Z, a1 … and 4 more");
  g_string_truncate(out, 0);
  cx_case_ids_to_text(out, cases, v, ids->len, 6); /* exactly all: no "more" */
  ck_assert_str_eq(out->str, "Z, a1, b2, x, B, u");
  g_string_truncate(out, 0);
  cx_case_ids_to_text(out, cases, v, ids->len, 5);
  ck_assert_str_eq(out->str, "Z, a1, b2, x, B … and 1 more");
  g_string_truncate(out, 0);
  cx_case_ids_to_text(out, cases, v, 0, 3);
  ck_assert_str_eq(out->str, "");
  csv_log_close(&c);
}
END_TEST

/* "… and N more" counts with thousands separators */
START_TEST(test_text_many)
{
  g_autoptr(CxPool) cases = cx_pool_new();
  g_autoptr(GArray) ids = g_array_new(FALSE, FALSE, sizeof(guint32));
  for (guint k = 0; k < 1003; k++) {
    g_autofree char *n = g_strdup_printf("c%u", k);
    guint32 id = cx_pool_intern(cases, n, -1);
    g_array_append_val(ids, id);
  }
  g_autoptr(GString) out = g_string_new(NULL);
  cx_case_ids_to_text(out, cases, (const guint32 *)ids->data, ids->len, 2);
  ck_assert_str_eq(out->str, "c0, c1 … and 1,001 more");
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("case-ids");
  TCase *tc = tcase_create("case-ids");
  tcase_add_test(tc, test_first_is_the_start);
  tcase_add_test(tc, test_sort_and_ids);
  tcase_add_test(tc, test_json);
  tcase_add_test(tc, test_text);
  tcase_add_test(tc, test_text_many);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_ENV);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
