/* Tests for outcomes: given and inferred successful ends, open journeys. */
#include <check.h>
#include <stdlib.h>
#include "cxmine/outcome.h"
#include "journeys.h"

static guint32
act(CxLog *log, const char *name)
{
  guint32 id = cx_pool_lookup(cx_log_activities(log), name, -1);
  ck_assert_uint_ne(id, G_MAXUINT32);
  return id;
}

START_TEST(test_inferred_from_names)
{
  g_autoptr(CxLog) log = cx_log_new();
  g_autoptr(CxOutcome) o = cx_outcome_new(log, NULL, 0);
  journeys_feed(log,
                "c1 Open 0\nc1 Ticket_Closed 1\n"
                "c2 Open 0\nc2 Wait 1\n"
                "c3 Open 0\nc3 Closed_-_rejected 2\n"
                "c4 Open 0\nc4 paymentReceived 3\n"
                "c5 Open 0\nc5 Completeren_aanvraag 3\n",
                cx_outcome_add, o);
  cx_outcome_finish(o);
  ck_assert(cx_outcome_is_success_end(o, act(log, "Ticket Closed")));
  ck_assert(cx_outcome_is_success_end(o, act(log, "paymentReceived")));
  ck_assert(!cx_outcome_is_success_end(o, act(log, "Closed - rejected")));
  ck_assert(!cx_outcome_is_success_end(o, act(log, "Completeren aanvraag")));
  ck_assert(!cx_outcome_is_success_end(o, act(log, "Wait")));
  ck_assert(!cx_outcome_is_success_end(o, act(log, "Open")));
  ck_assert_str_eq(cx_outcome_explain(o),
                   "Successful ends are inferred from activity names (a word such as close, "
                   "resolve, complete, done, finish, pay, accept, approve, deliver, release; none "
                   "of reject, cancel, decline, fail, not...): 'Ticket Closed' and "
                   "'paymentReceived' (40% of finished journeys end there).");
  guint64 s, d, op;
  cx_outcome_counts(o, &s, &d, &op);
  ck_assert_uint_eq(s, 2);
  ck_assert_uint_eq(d, 3);
  ck_assert_uint_eq(op, 0);
}
END_TEST

START_TEST(test_inferred_most_frequent)
{
  g_autoptr(CxLog) log = cx_log_new();
  g_autoptr(CxOutcome) o = cx_outcome_new(log, NULL, 0);
  journeys_feed(log, "a A 0\na X 1\nb A 0\nb X 1\nc A 0\nc Y 1\n", cx_outcome_add, o);
  cx_outcome_finish(o);
  ck_assert(cx_outcome_is_success_end(o, act(log, "X")));
  ck_assert(!cx_outcome_is_success_end(o, act(log, "Y")));
  ck_assert_str_eq(cx_outcome_explain(o),
                   "No end activity with a success-like name ends at least 10% of finished "
                   "journeys, so the most frequent end without a word like reject, cancel or "
                   "fail counts as success: 'X' (66.7% of finished journeys end there).");
}
END_TEST

START_TEST(test_process_word_ignored)
{
  g_autoptr(CxLog) log = cx_log_new();
  g_autoptr(CxOutcome) o = cx_outcome_new(log, NULL, 0);
  /* "payment" is in every name: it names the process, not an outcome */
  journeys_feed(log,
                "a Payment_requested 0\na Payment_checked 1\nb Payment_requested 0\n"
                "b Payment_checked 1\nc Payment_requested 0\nc Payment_booked 1\n",
                cx_outcome_add, o);
  cx_outcome_finish(o);
  ck_assert(cx_outcome_is_success_end(o, act(log, "Payment checked")));
  ck_assert(!cx_outcome_is_success_end(o, act(log, "Payment booked")));
}
END_TEST

START_TEST(test_given_and_open)
{
  g_autoptr(CxLog) log = cx_log_new();
  const char *succ[] = { "Y", "Nope", NULL };
  /* open after 10 h: the log ends at hour 100 */
  g_autoptr(CxOutcome) o = cx_outcome_new(log, succ, 10 * G_GINT64_CONSTANT(3600000000));
  journeys_feed(log, "a A 0\na X 1\nb A 0\nb Y 91\nc A 0\nc X 100\nd A 0\nd X 90\n", cx_outcome_add,
                o);
  cx_outcome_finish(o);
  ck_assert(cx_outcome_is_success_end(o, act(log, "Y")));
  ck_assert(!cx_outcome_is_success_end(o, act(log, "X")));
  ck_assert_int_eq(cx_outcome_log_last_time(o), JOURNEYS_T0 + 100 * G_GINT64_CONSTANT(3600000000));
  guint64 s, d, op;
  cx_outcome_counts(o, &s, &d, &op);
  ck_assert_uint_eq(s, 0);  /* b ended at Y at 91 h: still open */
  ck_assert_uint_eq(d, 2);  /* a, d (exactly 10 h before the end: finished) */
  ck_assert_uint_eq(op, 2); /* b, c */
  ck_assert_int_eq(cx_outcome_classify(o, act(log, "Y"), JOURNEYS_T0), CX_OUTCOME_SUCCESS);
  ck_assert_str_eq(cx_outcome_explain(o), "Successful ends are given by --success: 'Y' (0% of "
                                          "finished journeys end there); not in the log: 'Nope'.");
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("outcome");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, test_inferred_from_names);
  tcase_add_test(tc, test_inferred_most_frequent);
  tcase_add_test(tc, test_process_word_ignored);
  tcase_add_test(tc, test_given_and_open);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_ENV);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
