/* Issue 12 in the library: the daylight-saving rule, per-source reading
 * options, duplicates and journeys cut from a case (with their attributes). */
#include <check.h>
#include <glib/gstdio.h>
#include <unistd.h>
#include <string.h>
#include "cxmine/cxmine.h"
#include "cxmine/timestamp.h"

static char *
write_tmp(const char *tmpl, const char *data)
{
  char *path = NULL;
  int fd = g_file_open_tmp(tmpl, &path, NULL);
  ck_assert_int_ge(fd, 0);
  close(fd);
  ck_assert(g_file_set_contents(path, data, -1, NULL));
  return path;
}

/* ---------- daylight saving: Python's zoneinfo with fold=0 ---------- */

START_TEST(dst_rule)
{
  static const struct {
    const char *zone, *local, *utc;
    int gap, repeated;
  } cases[] = {
    { "America/New_York", "2025-03-09T02:30:00", "2025-03-09T07:30:00Z", 1, 0 },
    { "America/New_York", "2025-11-02T01:30:00", "2025-11-02T05:30:00Z", 0, 1 },
    { "Europe/Amsterdam", "2025-03-30T02:30:00", "2025-03-30T01:30:00Z", 1, 0 },
    { "Europe/Amsterdam", "2025-10-26T02:30:00", "2025-10-26T00:30:00Z", 0, 1 },
    { "Europe/Amsterdam", "2025-10-26T03:00:00", "2025-10-26T02:00:00Z", 0, 0 },
    { "Europe/Amsterdam", "2025-07-01T12:00:00", "2025-07-01T10:00:00Z", 0, 0 },
    /* a half-hour change */
    { "Australia/Lord_Howe", "2025-04-06T01:45:00", "2025-04-05T14:45:00Z", 0, 1 },
    { "Australia/Lord_Howe", "2025-10-05T02:15:00", "2025-10-04T15:45:00Z", 1, 0 },
  };
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    g_autoptr(GTimeZone) tz = g_time_zone_new_identifier(cases[i].zone);
    ck_assert_ptr_nonnull(tz);
    guint64 g0, r0, g1, r1;
    cx_time_dst_counts(&g0, &r0);
    gint64 t;
    gboolean naive = FALSE;
    ck_assert(cx_time_parse_iso(cases[i].local, strlen(cases[i].local), tz, &t, &naive));
    cx_time_dst_counts(&g1, &r1);
    g_autofree char *got = cx_time_format_iso(t);
    ck_assert_msg(strcmp(got, cases[i].utc) == 0, "%s %s: %s", cases[i].zone, cases[i].local, got);
    ck_assert_int_eq(g1 - g0, cases[i].gap);
    ck_assert_int_eq(r1 - r0, cases[i].repeated);
    ck_assert(naive);
  }
}
END_TEST

/* ---------- journeys as text ---------- */

typedef struct {
  CxLog *log;
  GString *out;
} Collect;

static gboolean
collect(const CxJourney *j, gpointer data, GError **error)
{
  Collect *c = data;
  g_string_append(c->out, cx_pool_get(cx_log_cases(c->log), j->case_id));
  for (guint i = 0; i < j->n_attrs; i++)
    g_string_append_printf(c->out, " [%s=%s]", cx_pool_get(cx_log_keys(c->log), j->attrs[i].key),
                           cx_pool_get(cx_log_values(c->log), j->attrs[i].value));
  g_string_append(c->out, ":");
  for (guint i = 0; i < j->n_instances; i++) {
    g_autofree char *t = cx_time_format_iso(j->instances[i].time);
    g_string_append_printf(c->out, " %s@%s",
                           cx_pool_get(cx_log_activities(c->log), j->instances[i].activity), t);
  }
  g_string_append_c(c->out, '\n');
  return TRUE;
}

static char *
scan(CxLog *log)
{
  Collect c = { log, g_string_new(NULL) };
  g_autoptr(GError) error = NULL;
  gboolean ok = cx_log_scan(log, collect, NULL, &c, &error);
  ck_assert_msg(ok, "%s", error ? error->message : "");
  return g_string_free(c.out, FALSE);
}

/* ---------- per-source options ---------- */

START_TEST(per_source_options)
{
  g_autofree char *a = write_tmp("cx-src-XXXXXX.csv", "Ticket;Step;When\n"
                                                      "T1;Open;30.03.2025 01:30\n"
                                                      "T1;Close;30.03.2025 03:30\n");
  g_autofree char *b = write_tmp("cx-src-XXXXXX.csv", "case_id,activity,timestamp,lifecycle\n"
                                                      "T1,Call,2025-03-30T00:45:00Z,start\n"
                                                      "T1,Call,2025-03-30T01:00:00Z,complete\n");
  g_autoptr(CxLog) log = cx_log_new();
  CxReadOptions over = { 0 };
  over.case_col = "Ticket";
  char *acts[] = { "Step", NULL };
  over.activity_cols = acts;
  over.timestamp_col = "When";
  over.timezone = "Europe/Amsterdam";
  cx_log_add_source_full(log, a, CX_FORMAT_CSV, "web", &over);
  CxReadOptions over_b = { 0 };
  over_b.lifecycle = CX_LIFECYCLE_MODE_ALL; /* its transitions are ignored */
  cx_log_add_source_full(log, b, CX_FORMAT_CSV, NULL, &over_b);
  g_autofree char *got = scan(log);
  ck_assert_str_eq(got, "T1: Open@2025-03-30T00:30:00Z Call@2025-03-30T00:45:00Z "
                        "Call@2025-03-30T01:00:00Z Close@2025-03-30T01:30:00Z\n");
  const CxReadCounts *rc = cx_log_counts(log);
  ck_assert_int_eq(rc->duplicates, 0);
  g_unlink(a);
  g_unlink(b);
}
END_TEST

/* ---------- duplicates and journeys ---------- */

static const char *history = "case_id,activity,timestamp,segment\n"
                             "K1,A,2024-01-01T10:00:00Z,x\n"
                             "K1,B,2024-01-02T10:00:00Z,y\n"
                             "K1,B,2024-01-02T10:00:00Z,y\n" /* a duplicate */
                             "K1,A,2024-04-01T10:00:00Z,z\n" /* 90 days later */
                             "K1,B,2024-04-01T11:00:00Z,\n"
                             "K2,A,2024-01-05T10:00:00Z,w\n"
                             "K2,B,2024-01-06T10:00:00Z,\n";

START_TEST(journeys_cut_with_attributes)
{
  g_autofree char *p = write_tmp("cx-src-XXXXXX.csv", history);
  g_autoptr(CxLog) log = cx_log_new();
  cx_log_add_source(log, p, CX_FORMAT_CSV, NULL);
  CxReadOptions *o = cx_log_options(log);
  o->journey_gap = 30 * 86400 * CX_USEC_PER_SEC;
  o->dedupe = TRUE;
  cx_read_options_want_attr(o, "segment");
  cx_read_options_want_attr(o, "segment@last");
  g_autofree char *got = scan(log);
  ck_assert_str_eq(got, "K1#1 [segment=x] [segment@last=y]: A@2024-01-01T10:00:00Z "
                        "B@2024-01-02T10:00:00Z\n"
                        "K1#2 [segment=z] [segment@last=z]: A@2024-04-01T10:00:00Z "
                        "B@2024-04-01T11:00:00Z\n"
                        "K2 [segment=w] [segment@last=w]: A@2024-01-05T10:00:00Z "
                        "B@2024-01-06T10:00:00Z\n");
  const CxReadCounts *rc = cx_log_counts(log);
  ck_assert_int_eq(rc->duplicates, 1);
  ck_assert_int_eq(rc->cases_built, 2);
  ck_assert_int_eq(rc->cases_cut, 1);
  ck_assert_int_eq(rc->journeys_from_cut, 2);
  ck_assert_int_eq(rc->cases_kept, 3);
  g_unlink(p);
}
END_TEST

START_TEST(journeys_starts_with_and_filters)
{
  g_autofree char *p = write_tmp("cx-src-XXXXXX.csv", history);
  g_autoptr(CxLog) log = cx_log_new();
  cx_log_add_source(log, p, CX_FORMAT_CSV, NULL);
  CxReadOptions *o = cx_log_options(log);
  o->journey_starts_with = g_strdup("A");
  ck_assert(cx_read_options_add_filter(o, "from", "2024-03-01", NULL));
  g_autofree char *got = scan(log);
  /* without dedupe the duplicate stays; the filter sees each journey */
  ck_assert_str_eq(got, "K1#2: A@2024-04-01T10:00:00Z B@2024-04-01T11:00:00Z\n");
  ck_assert_int_eq(cx_log_counts(log)->duplicates, 1);
  ck_assert_int_eq(cx_log_counts(log)->cases_filtered, 2);
  g_unlink(p);
}
END_TEST

static GPtrArray *warnings;

static void
note(CxNoticeLevel level, const char *code, const char *message, gpointer data)
{
  if (level == CX_NOTICE_WARNING)
    g_ptr_array_add(warnings, g_strdup(code));
}

START_TEST(duplicates_at_coarser_precision)
{
  g_autofree char *a = write_tmp("cx-src-XXXXXX.csv", "case_id,activity,timestamp,resource\n"
                                                      "c1,A,2024-01-01T10:00:31.250Z,ann\n"
                                                      "c1,B,2024-01-01T10:05:00.500Z,ann\n");
  g_autofree char *b = write_tmp("cx-src-XXXXXX.csv", "case_id,activity,timestamp,resource\n"
                                                      "c1,A,2024-01-01T10:00:00Z,\n"
                                                      "c1,B,2024-01-01T10:06:00Z,ann\n");
  warnings = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(CxLog) log = cx_log_new();
  cx_log_add_source(log, a, CX_FORMAT_CSV, NULL);
  cx_log_add_source(log, b, CX_FORMAT_CSV, NULL);
  cx_log_options(log)->notice = note;
  g_autofree char *got = scan(log);
  /* A matches at minutes (b's precision); B is a minute later: another event */
  ck_assert_int_eq(cx_log_counts(log)->duplicates, 1);
  ck_assert_uint_eq(warnings->len, 1);
  ck_assert_str_eq(g_ptr_array_index(warnings, 0), "duplicates");
  /* strict: the same is an error */
  cx_log_options(log)->strict = TRUE;
  Collect c = { log, g_string_new(NULL) };
  g_autoptr(GError) error = NULL;
  ck_assert(!cx_log_scan(log, collect, NULL, &c, &error));
  ck_assert_ptr_nonnull(strstr(error->message, "1 duplicate events"));
  g_string_free(c.out, TRUE);
  g_ptr_array_free(warnings, TRUE);
  g_unlink(a);
  g_unlink(b);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("sources");
  TCase *tc = tcase_create("sources");
  tcase_add_test(tc, dst_rule);
  tcase_add_test(tc, per_source_options);
  tcase_add_test(tc, journeys_cut_with_attributes);
  tcase_add_test(tc, journeys_starts_with_and_filters);
  tcase_add_test(tc, duplicates_at_coarser_precision);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_ENV);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? 0 : 1;
}
