/* Tests for the filter chain (filter.c): the parser and its errors, and
 * each filter on small hand-made journeys with the exact ids it keeps. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>
#include <unistd.h>
#include "cxmine/log.h"
#include "cxmine/reader.h"
#include "cxmine/filter.h"

/* Five journeys (times UTC):
 *   A  Submit 03-30 10:00, Review 03-31 10:00, Approve 04-02 10:00   3 d  gold
 *   B  Submit 04-01 09:00, Approve 04-01 12:00                       3 h  "silver plus"
 *   C  Submit 04-05, Review 04-06, Review 04-08, Reject 04-09 08:00  4 d  gold
 *   D  Review 03-20 08:00, Submit 03-21 08:00                        1 d  bronze
 *   E  Submit 04-10 08:00, Approve 04-10 09:00                       1 h  silver */
static const char *csv_text = "case,activity,timestamp,resource,channel,amount,case:tier\n"
                              "A,Submit,2024-03-30T10:00:00Z,ann,web,50,gold\n"
                              "A,Review,2024-03-31T10:00:00Z,bob,phone,,gold\n"
                              "A,Approve,2024-04-02T10:00:00Z,bob,web,120,gold\n"
                              "B,Submit,2024-04-01T09:00:00Z,cid,web,10,silver plus\n"
                              "B,Approve,2024-04-01T12:00:00Z,bob,web,,silver plus\n"
                              "C,Submit,2024-04-05T08:00:00Z,ann,email,300,gold\n"
                              "C,Review,2024-04-06T08:00:00Z,dan,email,,gold\n"
                              "C,Review,2024-04-08T08:00:00Z,dan,phone,,gold\n"
                              "C,Reject,2024-04-09T08:00:00Z,eve,phone,5,gold\n"
                              "D,Review,2024-03-20T08:00:00Z,dan,phone,7,bronze\n"
                              "D,Submit,2024-03-21T08:00:00Z,ann,web,,bronze\n"
                              "E,Submit,2024-04-10T08:00:00Z,ann,web,,silver\n"
                              "E,Approve,2024-04-10T09:00:00Z,bob,web,,silver\n";

static char *csv_path;

static void
setup(void)
{
  int fd = g_file_open_tmp("cxmine-filter-XXXXXX.csv", &csv_path, NULL);
  ck_assert_int_ge(fd, 0);
  close(fd);
  ck_assert(g_file_set_contents(csv_path, csv_text, -1, NULL));
}

static void
teardown(void)
{
  g_unlink(csv_path);
  g_clear_pointer(&csv_path, g_free);
}

typedef struct {
  CxLog *log;
  GString *kept;
  GPtrArray *infos, *warnings;
} Run;

static gboolean
on_journey(const CxJourney *j, gpointer data, GError **error)
{
  Run *r = data;
  g_string_append_printf(r->kept, "%s%s:%u", r->kept->len > 0 ? " " : "",
                         cx_pool_get(cx_log_cases(r->log), j->case_id), j->n_events);
  return TRUE;
}

static void
on_notice(CxNoticeLevel level, const char *code, const char *message, gpointer data)
{
  Run *r = data;
  if (level == CX_NOTICE_INFO)
    g_ptr_array_add(r->infos, g_strdup(message));
  else if (level == CX_NOTICE_WARNING && strcmp(code, "empty-selection") == 0)
    g_ptr_array_add(r->warnings, g_strdup(message));
}

static void
run_clear(Run *r)
{
  g_string_free(r->kept, TRUE);
  g_ptr_array_free(r->infos, TRUE);
  g_ptr_array_free(r->warnings, TRUE);
}

/* Scans the fixture with the filters @pairs ("option", "arg", ..., NULL)
 * and @tz as --timezone; r.kept is "ID:EVENTS ..." in order. */
static Run
run_tz(const char *tz, const char *const *pairs)
{
  Run r = { NULL, g_string_new(NULL), g_ptr_array_new_with_free_func(g_free),
            g_ptr_array_new_with_free_func(g_free) };
  g_autoptr(CxLog) log = cx_log_new();
  r.log = log;
  CxReadOptions *o = cx_log_options(log);
  o->notice = on_notice;
  o->notice_data = &r;
  o->timezone = g_strdup(tz);
  for (const char *const *p = pairs; *p != NULL; p += 2) {
    g_autoptr(GError) error = NULL;
    ck_assert_msg(cx_read_options_add_filter(o, p[0], p[1], &error), "--%s %s: %s", p[0], p[1],
                  error ? error->message : "");
  }
  cx_log_add_source(log, csv_path, CX_FORMAT_CSV, NULL);
  g_autoptr(GError) error = NULL;
  ck_assert_msg(cx_log_scan(log, on_journey, NULL, &r, &error), "%s", error ? error->message : "");
  r.log = NULL;
  return r;
}

#define KEPT(want, ...)                                                                            \
  do {                                                                                             \
    const char *const pairs_[] = { __VA_ARGS__, NULL };                                            \
    Run r_ = run_tz(NULL, pairs_);                                                                 \
    ck_assert_msg(strcmp(r_.kept->str, (want)) == 0, "%s %s: kept '%s', want '%s'", pairs_[0],     \
                  pairs_[1], r_.kept->str, (want));                                                \
    run_clear(&r_);                                                                                \
  } while (0)

START_TEST(test_windows)
{
  const char *w = "2024-04-01,2024-04-06";
  KEPT("B:2 C:4", "window", "started:2024-04-01,2024-04-06");
  KEPT("B:2 C:4", "from", "2024-04-01", "to", "2024-04-06");
  KEPT("A:3 B:2", "window", "completed:2024-04-01,2024-04-06");
  KEPT("B:2", "window", "contained:2024-04-01,2024-04-06");
  KEPT("A:3 B:2 C:4", "window", "intersecting:2024-04-01,2024-04-06");
  KEPT("A:3 B:2 C:4", "window", w); /* intersecting by default */
  KEPT("B:2", "window-mode", "contained", "window", w);
  /* trim: only the events inside, journeys rebuilt, D has none left */
  KEPT("A:1 B:2 C:1", "window", "trim:2024-04-01,2024-04-06");
  /* open ends */
  KEPT("C:4 E:2", "window", "started:2024-04-02,");
  KEPT("D:2", "window", "completed:,2024-03-22");
}
END_TEST

START_TEST(test_where)
{
  KEPT("A:3 C:4", "where", "tier=gold");
  KEPT("B:2 D:2 E:2", "where", "tier!=gold");
  KEPT("B:2", "where", "tier=silver plus");
  KEPT("B:2 D:2", "where", "tier=silver plus OR tier=bronze");
  KEPT("B:2 D:2", "where", "tier = \"silver plus\" or 'tier'=bronze");
  KEPT("A:3 C:4", "where", "amount>=100");
  KEPT("B:2 C:4 D:2", "where", "amount in 5..10");
  KEPT("A:3 C:4", "where", "amount in 50..");
  KEPT("B:2 C:4 D:2", "where", "amount<11");
  KEPT("C:4 D:2", "where", "channel=email OR tier=bronze");
  KEPT("B:2 E:2", "where", "NOT (channel=phone)");
  KEPT("A:3", "where", "activity~^Rev AND resource=bob");
  KEPT("A:3 C:4 D:2", "where", "activity~view$");
  KEPT("B:2 E:2", "where", "activity!~view");
  KEPT("D:2", "where", "channel@first=phone");
  KEPT("C:4", "where", "channel@last=phone");
  KEPT("B:2", "where", "case=B");
  KEPT("A:3 C:4", "where", "(tier=gold AND amount>100) OR (tier=gold AND NOT amount>100)");
  /* repeated: all must hold */
  KEPT("C:4", "where", "tier=gold", "where", "channel=email");
  /* a case attribute with @last is the case's value */
  KEPT("E:2", "where", "tier@last=silver");
}
END_TEST

START_TEST(test_keep_events)
{
  KEPT("A:2 B:2 D:1 E:2", "keep-events", "channel=web");
  KEPT("A:2 B:1 C:2 D:1", "keep-events", "amount>0");
  /* a case attribute holds for every event of the case */
  KEPT("A:3 C:4", "keep-events", "tier=gold");
  KEPT("C:2 D:1", "keep-events", "resource=dan");
  /* order matters: the rebuilt journeys are what the next filter sees */
  KEPT("A:2 B:2 E:2", "keep-events", "channel=web", "follows", "Submit->Approve");
  KEPT("B:2 E:2", "follows", "Submit->Approve", "keep-events", "channel=web");
}
END_TEST

START_TEST(test_performance)
{
  KEPT("A:3 C:4 D:2", "min-duration", "1d");
  KEPT("B:2 D:2 E:2", "max-duration", "1d");
  KEPT("B:2 E:2", "max-duration", "3h");
  KEPT("A:3 C:4", "min-steps", "3");
  KEPT("B:2 D:2 E:2", "max-steps", "2");
  KEPT("A:3 C:4", "min-steps", "3", "max-steps", "4");
  KEPT("A:3 C:4", "wait", "Submit->Review>=1d");
  KEPT("", "wait", "Submit->Review>1d");
  KEPT("A:3 C:4", "wait", "Submit->Review<=1d");
  KEPT("C:4", "wait", "Review->Review>1d");
  KEPT("A:3", "wait", "Review -> Approve >= 2d");
}
END_TEST

START_TEST(test_follows)
{
  KEPT("A:3 C:4", "follows", "Submit->Review");
  KEPT("B:2 E:2", "follows", "Submit->Approve");
  KEPT("A:3 B:2 E:2", "follows", "Submit->>Approve");
  KEPT("B:2 E:2", "follows", "Submit->>Approve within 2d");
  KEPT("A:3 B:2 E:2", "follows", "Submit->>Approve within 3d");
  KEPT("C:4 D:2", "not-follows", "Submit->>Approve");
  KEPT("A:3 C:4 D:2", "not-follows", "Submit->Approve");
  KEPT("A:3 B:2 C:4 D:2 E:2", "not-follows", "Nothing->>Approve");
}
END_TEST

START_TEST(test_variants)
{
  KEPT("A:3 B:2 E:2", "variant", "Submit,*,Approve");
  KEPT("A:3", "variant", "Submit,?,Approve");
  KEPT("A:3 C:4 D:2", "variant", "*,Review,*");
  KEPT("D:2", "variant", "Review, Submit");
  KEPT("A:3 B:2 C:4 D:2 E:2", "variant", "*");
  KEPT("C:4", "variant", "'Submit',*,\"Reject\"");
  /* B and E share a variant (2 of 5), the rest are single; ties go to
   * the variant whose first case starts earlier (D, then A) */
  KEPT("B:2 E:2", "top-variants", "1");
  KEPT("B:2 D:2 E:2", "top-variants", "2");
  KEPT("B:2 E:2", "min-variant-share", "0.3");
  KEPT("A:3 B:2 C:4 D:2 E:2", "min-variant-share", "0.2");
  /* share among the cases that reach it: B, E of B, D, E */
  KEPT("B:2 E:2", "max-steps", "2", "min-variant-share", "0.5");
  KEPT("D:2", "starts-with", "Review");
  KEPT("A:3 B:2 E:2", "ends-with", "Approve");
}
END_TEST

START_TEST(test_counts)
{
  const char *const pairs[] = { "where", "tier=gold", "min-steps", "4", NULL };
  Run r = run_tz(NULL, pairs);
  ck_assert_str_eq(r.kept->str, "C:4");
  ck_assert_uint_eq(r.infos->len, 2);
  ck_assert_str_eq(g_ptr_array_index(r.infos, 0),
                   "filter --where tier=gold: kept 2 of 5 cases, 7 of 13 events");
  ck_assert_str_eq(g_ptr_array_index(r.infos, 1),
                   "filter --min-steps 4: kept 1 of 2 cases, 4 of 7 events");
  run_clear(&r);
}
END_TEST

/* a filter that keeps nothing names itself, with near misses */
static void
want_warning(const char *want, const char *const *pairs)
{
  Run r = run_tz(NULL, pairs);
  ck_assert_str_eq(r.kept->str, "");
  ck_assert_msg(r.warnings->len == 1, "%u warnings", r.warnings->len);
  ck_assert_msg(strstr(g_ptr_array_index(r.warnings, 0), want) != NULL, "'%s' lacks '%s'",
                (char *)g_ptr_array_index(r.warnings, 0), want);
  run_clear(&r);
}

#define WARNS(want, ...)                                                                           \
  do {                                                                                             \
    const char *const p_[] = { __VA_ARGS__, NULL };                                                \
    want_warning(want, p_);                                                                        \
  } while (0)

START_TEST(test_empty)
{
  WARNS("--where tier=glod selects none of the 5 cases: attribute 'tier' is never 'glod' (did "
        "you mean 'gold'?)",
        "where", "tier=glod");
  WARNS("no attribute 'teir' in the log (did you mean 'tier'?)", "where", "teir=gold");
  WARNS("--follows 'Submit->Aprove' selects none of the 5 cases: no activity is called 'Aprove' "
        "(did you mean 'Approve'?)",
        "follows", "Submit->Aprove");
  WARNS("'Approve' is never directly followed by 'Submit'", "follows", "Approve->Submit");
  WARNS("--starts-with 'Sumbit' selects none of the 5 cases: no activity is called 'Sumbit' "
        "(did you mean 'Submit'?)",
        "starts-with", "Sumbit");
  WARNS("the log's cases start between 2024-03-20 and 2024-04-10 (UTC)", "from", "2025-01-01");
  WARNS("the log's cases last from 1 h to 4 d", "min-duration", "5d");
  WARNS("waits from 'Submit' to the next 'Review' range from 1 d to 1 d", "wait",
        "Submit->Review>2d");
  WARNS("--variant Submit,Reveiw selects none of the 5 cases: no activity is called 'Reveiw'",
        "variant", "Submit,Reveiw");
  /* each alone keeps some */
  WARNS("the filters together select none of the 5 cases, though each alone selects some: "
        "--where tier=gold (2 cases), --max-steps 2 (3 cases)",
        "where", "tier=gold", "max-steps", "2");
}
END_TEST

/* naive window times are read in the display zone: on 2024-03-31 Amsterdam
 * moves from +01:00 to +02:00 at 02:00 local (01:00Z) */
START_TEST(test_window_dst)
{
  /* [2024-03-30T12:00+01:00, 2024-03-31T12:00+02:00) = [11:00Z, 10:00Z next
   * day): A's Submit (10:00Z) is before it, its Review (10:00Z) at its end */
  const char *const trim[] = { "window", "trim:2024-03-30T12:00,2024-03-31T12:00", NULL };
  Run r = run_tz("Europe/Amsterdam", trim);
  ck_assert_str_eq(r.kept->str, "");
  run_clear(&r);
  const char *const trim2[] = { "window", "trim:2024-03-30T11:00,2024-03-31T12:01", NULL };
  r = run_tz("Europe/Amsterdam", trim2);
  ck_assert_str_eq(r.kept->str, "A:2");
  run_clear(&r);
  /* in UTC the same text is an hour (and two) later */
  const char *const utc[] = { "window", "trim:2024-03-30T11:00,2024-03-31T12:01", NULL };
  r = run_tz(NULL, utc);
  ck_assert_str_eq(r.kept->str, "A:1");
  run_clear(&r);
}
END_TEST

/* the error names the option, the column and the argument */
static void
want_error(const char *option, const char *arg, const char *want)
{
  g_autoptr(CxFilterChain) c = cx_filter_chain_new();
  g_autoptr(GError) error = NULL;
  ck_assert_msg(!cx_filter_chain_add(c, option, arg, &error), "--%s %s parsed", option, arg);
  ck_assert(g_error_matches(error, CX_FILTER_ERROR, CX_FILTER_ERROR_SYNTAX));
  ck_assert_msg(strstr(error->message, want) != NULL, "'%s' lacks '%s'", error->message, want);
  ck_assert_uint_eq(cx_filter_chain_len(c), 0);
}

START_TEST(test_parse_errors)
{
  want_error("where", "a=1 AND",
             "--where: expected a condition (KEY=VALUE, ...) at the end, at "
             "column 8 of 'a=1 AND'");
  want_error("where", "(a=1", "'(' is never closed, at column 1 of '(a=1'");
  want_error("where", "(a=1))", "')' without '(', at column 6");
  want_error("where", "a 1",
             "expected =, !=, ~, !~, <, <=, >, >= or 'in' after the key 'a', at "
             "column 3");
  want_error("where", "x>abc", "'abc' is not a number, at column 3");
  want_error("where", "x~(", "bad regular expression '(' (");
  want_error("where", "x in 5", "expected a range LO..HI after 'in', at column 6");
  want_error("where", "x in a..b", "'a..b' is not a range of numbers LO..HI, at column 6");
  want_error("where", "'abc=1", "unterminated quote ', at column 1");
  want_error("where", "", "expected a condition");
  want_error("keep-events", "=x", "expected a condition (KEY=VALUE, ...), found '=', at column 1");
  want_error("window", "2024-13-01,2024-02-01", "'2024-13-01' is not a date");
  want_error("window", "sometimes:2024-01-01,2024-02-01", "unknown mode");
  want_error("window", "2024-01-01", "expected [MODE:]FROM,TO");
  want_error("window", ",", "give FROM, TO or both");
  want_error("window-mode", "inside",
             "expected contained, intersecting, started, completed or "
             "trim");
  want_error("from", "yesterday", "'yesterday' is not a date");
  want_error("wait", "A->>B>1d", "a wait is from A to the next B");
  want_error("wait", "A->B", "expected >, >=, < or <= and a duration");
  want_error("wait", "A->B>soon",
             "'soon' is not a duration (e.g. 2d, 12h, 90m, 1d12h), at column 6");
  want_error("follows", "AB", "expected 'A->B' or 'A->>B', at column 1");
  want_error("follows", "A->>B within", "is not a duration");
  want_error("follows", "A->>B within soon",
             "'soon' is not a duration (e.g. 2d, 12h, 90m, 1d12h), at column 14");
  want_error("variant", "A,,B", "expected an activity, '*' or '?', at column 3");
  want_error("top-variants", "0", "expected at least 1");
  want_error("top-variants", "-3", "expected a whole number");
  want_error("min-variant-share", "2", "expected a share from 0 to 1");
  want_error("min-duration", "fast", "'fast' is not a duration");
  want_error("max-steps", "4.5", "expected a whole number, at column 2");
}
END_TEST

START_TEST(test_parse_names)
{
  g_autoptr(CxFilterChain) c = cx_filter_chain_new();
  ck_assert(cx_filter_chain_add(c, "from", "2024-01-01", NULL));
  ck_assert(cx_filter_chain_add(c, "where", "a=1 AND b~x y", NULL));
  ck_assert(cx_filter_chain_add(c, "to", "2024-02-01", NULL));
  ck_assert(cx_filter_chain_add(c, "window-mode", "trim", NULL));
  ck_assert(cx_filter_chain_add(c, "top-variants", "3", NULL));
  ck_assert_uint_eq(cx_filter_chain_len(c), 3);
  ck_assert_str_eq(cx_filter_chain_name(c, 0), "--from 2024-01-01 --to 2024-02-01");
  ck_assert_str_eq(cx_filter_chain_name(c, 1), "--where 'a=1 AND b~x y'");
  ck_assert_str_eq(cx_filter_chain_whole_log(c), "--top-variants 3");
  ck_assert_ptr_null(cx_filter_chain_whole_log(NULL));
}
END_TEST

START_TEST(test_duration)
{
  gint64 d;
  ck_assert(cx_duration_parse("1d12h", -1, &d));
  ck_assert_int_eq(d, G_GINT64_CONSTANT(36) * 3600 * 1000000);
  ck_assert(cx_duration_parse("1.5h", -1, &d));
  ck_assert_int_eq(d, G_GINT64_CONSTANT(5400) * 1000000);
  ck_assert(cx_duration_parse("2w", -1, &d));
  ck_assert_int_eq(d, G_GINT64_CONSTANT(14) * 86400 * 1000000);
  ck_assert(cx_duration_parse("90mX", 3, &d));
  ck_assert_int_eq(d, G_GINT64_CONSTANT(5400) * 1000000);
  ck_assert(!cx_duration_parse("0s", -1, &d));
  ck_assert(!cx_duration_parse("", -1, &d));
  ck_assert(!cx_duration_parse("3", -1, &d));
  ck_assert(!cx_duration_parse("-1d", -1, &d));
  ck_assert(!cx_duration_parse("1x", -1, &d));
}
END_TEST

static Suite *
filter_suite(void)
{
  Suite *s = suite_create("filter");
  TCase *tc = tcase_create("filter");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, test_windows);
  tcase_add_test(tc, test_where);
  tcase_add_test(tc, test_keep_events);
  tcase_add_test(tc, test_performance);
  tcase_add_test(tc, test_follows);
  tcase_add_test(tc, test_variants);
  tcase_add_test(tc, test_counts);
  tcase_add_test(tc, test_empty);
  tcase_add_test(tc, test_window_dst);
  tcase_add_test(tc, test_parse_errors);
  tcase_add_test(tc, test_parse_names);
  tcase_add_test(tc, test_duration);
  suite_add_tcase(s, tc);
  return s;
}

int
main(void)
{
  SRunner *sr = srunner_create(filter_suite());
  srunner_run_all(sr, CK_ENV);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
