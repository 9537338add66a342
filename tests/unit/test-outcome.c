/* Tests for outcomes: given and inferred successful ends, open journeys. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
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
                   "resolve, complete, done, finish, pay, approve, deliver, release; none "
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
                   "No success-like activity ends, or is reached by, at least 10% of finished "
                   "journeys, so the most frequent end without a word like reject, cancel or "
                   "fail counts as success: 'X' (66.7% of finished journeys end there). This "
                   "is a weak guess: the log shows no clear successful end. Name the "
                   "successful ends, e.g. --success 'X,Y' (the most frequent ends).");
  ck_assert(cx_outcome_is_weak(o));
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
  ck_assert_uint_eq(s, 1);  /* b ended at Y at 91 h: a success is never open */
  ck_assert_uint_eq(d, 2);  /* a, d (exactly 10 h before the end: finished) */
  ck_assert_uint_eq(op, 1); /* c */
  ck_assert_int_eq(cx_outcome_open_after(o), 10 * G_GINT64_CONSTANT(3600000000));
  ck_assert_int_eq(cx_outcome_classify(o, act(log, "Y"), JOURNEYS_T0), CX_OUTCOME_SUCCESS);
  ck_assert_str_eq(cx_outcome_explain(o), "Successful ends are given by --success: 'Y' (0% of "
                                          "finished journeys end there); not in the log: 'Nope'.");
}
END_TEST

/* Success as a milestone: "Approved" comes mid-journey, followed by
 * paperwork; "Accepted" is success-named too but often followed by a
 * decline, so it is no milestone. */
START_TEST(test_milestone)
{
  g_autoptr(CxLog) log = cx_log_new();
  g_autoptr(CxOutcome) o = cx_outcome_new(log, NULL, 0);
  g_autoptr(GString) t = g_string_new(NULL);
  for (int i = 0; i < 10; i++)
    g_string_append_printf(t,
                           "a%d Submit 0\na%d Accepted 1\na%d Approved 2\na%d Registered 3\n"
                           "a%d Activated 4\n",
                           i, i, i, i, i);
  for (int i = 0; i < 5; i++)
    g_string_append_printf(t, "d%d Submit 0\nd%d Accepted 1\nd%d Declined 2\n", i, i, i);
  g_string_append(t, "x1 Submit 0\nx1 Accepted 1\nx1 Call 2\nx2 Submit 0\nx2 Accepted 1\n"
                     "x2 Call 2\nc1 Submit 0\nc1 Accepted 1\nc1 Approved 2\nc1 Cancelled 3\n");
  journeys_feed(log, t->str, cx_outcome_add, o);
  cx_outcome_finish(o);
  guint64 s, d, op;
  cx_outcome_counts(o, &s, &d, &op);
  ck_assert_uint_eq(s, 10);
  ck_assert_uint_eq(d, 8);
  ck_assert_uint_eq(op, 0);
  ck_assert(!cx_outcome_is_weak(o));
  ck_assert(!cx_outcome_is_success_end(o, act(log, "Activated")));
  /* journeys in feeding order: a0..a9, d0..d4, x1, x2, c1 */
  ck_assert_int_eq(cx_outcome_get(o, 0), CX_OUTCOME_SUCCESS);
  ck_assert_int_eq(cx_outcome_get(o, 10), CX_OUTCOME_DROPOFF);
  ck_assert_int_eq(cx_outcome_get(o, 17), CX_OUTCOME_DROPOFF);
  ck_assert_str_eq(cx_outcome_explain(o),
                   "Success-named activities (close, resolve, complete, pay, approve, "
                   "deliver, release...) rarely come last, so a journey counts as successful "
                   "when it reached a milestone: 'Approved' (success-named, and at most 10% of "
                   "the journeys passing one end at a reject, cancel, decline... activity), with "
                   "no such activity after it (55.6% of finished journeys).");
}
END_TEST

/* 20 successful journeys pausing 1..20 h: open after the p95, 19 h. */
static void
open_log(GString *t)
{
  for (int i = 1; i <= 20; i++)
    g_string_append_printf(t, "s%d A %d\ns%d Done %d\n", i, 80, i, 80 + i);
  g_string_append(t, "o1 A 70\no1 Wait 85\n" /* quiet for 15 h: open */
                     "d1 A 70\nd1 Wait 81\n" /* quiet for 19 h: dropped */
                     "d2 A 0\nd2 Wait 1\n");
}

START_TEST(test_open_inferred)
{
  g_autoptr(CxLog) log = cx_log_new();
  g_autoptr(CxOutcome) o = cx_outcome_new(log, NULL, CX_OUTCOME_OPEN_INFER);
  g_autoptr(GString) t = g_string_new(NULL);
  open_log(t);
  journeys_feed(log, t->str, cx_outcome_add, o);
  cx_outcome_finish(o);
  ck_assert_int_eq(cx_outcome_open_after(o), 19 * G_GINT64_CONSTANT(3600000000));
  guint64 s, d, op;
  cx_outcome_counts(o, &s, &d, &op);
  ck_assert_uint_eq(s, 20);
  ck_assert_uint_eq(d, 2);
  ck_assert_uint_eq(op, 1);
  ck_assert_int_eq(cx_outcome_get(o, 20), CX_OUTCOME_OPEN);
  ck_assert_str_eq(cx_outcome_open_explain(o),
                   "Journeys that did not end successfully and whose last event is less than "
                   "19 h before the log's last event are still open: 95% of the journeys that "
                   "ended successfully never paused longer between two steps (inferred; set it "
                   "with --open-after, 0 turns it off).");
}
END_TEST

/* One model for several logs (compare): the milestone of one log and the
 * successful end of another, by name, in a third; one open-after limit,
 * the longer of theirs. */
START_TEST(test_model)
{
  g_autoptr(CxLog) la = cx_log_new();
  g_autoptr(CxOutcome) a = cx_outcome_new(la, NULL, 0);
  g_autoptr(GString) t = g_string_new(NULL);
  for (int i = 0; i < 10; i++)
    g_string_append_printf(t, "a%d Submit 0\na%d Approved 1\na%d Registered 2\n", i, i, i);
  for (int i = 0; i < 5; i++)
    g_string_append_printf(t, "d%d Submit 0\nd%d Declined 1\n", i, i);
  journeys_feed(la, t->str, cx_outcome_add, a);
  cx_outcome_finish(a);
  g_autoptr(CxLog) lb = cx_log_new();
  g_autoptr(CxOutcome) b = cx_outcome_new(lb, NULL, CX_OUTCOME_OPEN_INFER);
  g_string_truncate(t, 0);
  open_log(t);
  journeys_feed(lb, t->str, cx_outcome_add, b);
  cx_outcome_finish(b);
  ck_assert_int_eq(cx_outcome_open_after(b), 19 * G_GINT64_CONSTANT(3600000000));

  g_autoptr(CxLog) lc = cx_log_new();
  g_autoptr(CxOutcome) c = cx_outcome_new(lc, NULL, CX_OUTCOME_OPEN_INFER);
  journeys_feed(lc,
                "p Submit 0\np Approved 1\np Registered 2\n" /* the milestone: success */
                "q A 0\nq Done 1\n"                          /* the end: success */
                "r A 0\nr Wait 1\n"                          /* dropped */
                "z A 90\nz Wait 95\n"                        /* quiet 5 h < 19 h: open */
                "e A 99\ne Done 100\n",
                cx_outcome_add, c);
  const CxOutcome *models[] = { a, b };
  cx_outcome_set_model(c, models, 2);
  cx_outcome_finish(c);
  guint64 s, d, op;
  cx_outcome_counts(c, &s, &d, &op);
  ck_assert_uint_eq(s, 3);
  ck_assert_uint_eq(d, 1);
  ck_assert_uint_eq(op, 1);
  ck_assert_int_eq(cx_outcome_get(c, 0), CX_OUTCOME_SUCCESS);
  ck_assert_int_eq(cx_outcome_get(c, 3), CX_OUTCOME_OPEN);
  ck_assert_int_eq(cx_outcome_open_after(c), 19 * G_GINT64_CONSTANT(3600000000));
  ck_assert(cx_outcome_is_success_end(c, act(lc, "Done")));
  ck_assert(cx_outcome_is_success_step(c, act(lc, "Approved")));
  ck_assert_msg(strstr(cx_outcome_explain(c), "ends at 'Done'") != NULL
                    && strstr(cx_outcome_explain(c), "milestone 'Approved'") != NULL,
                "%s", cx_outcome_explain(c));
  ck_assert_msg(strstr(cx_outcome_open_explain(c), "less than 19 h before their log's last "
                                                   "event are still open (one limit for both")
                    != NULL,
                "%s", cx_outcome_open_explain(c));
}
END_TEST

/* A model made of decisions without journeys (compare's per log), given to
 * an outcome that decided once by itself, decides as the full outcomes
 * given to a fresh one. */
START_TEST(test_model_from_copies)
{
  g_autoptr(CxLog) la = cx_log_new();
  g_autoptr(CxOutcome) a = cx_outcome_new(la, NULL, 0);
  g_autoptr(GString) t = g_string_new(NULL);
  for (int i = 0; i < 10; i++)
    g_string_append_printf(t, "a%d Submit 0\na%d Approved 1\na%d Registered 2\n", i, i, i);
  for (int i = 0; i < 5; i++)
    g_string_append_printf(t, "d%d Submit 0\nd%d Declined 1\n", i, i);
  journeys_feed(la, t->str, cx_outcome_add, a);
  cx_outcome_finish(a);
  g_autoptr(CxLog) lb = cx_log_new();
  g_autoptr(CxOutcome) b = cx_outcome_new(lb, NULL, CX_OUTCOME_OPEN_INFER);
  g_string_truncate(t, 0);
  open_log(t);
  journeys_feed(lb, t->str, cx_outcome_add, b);
  cx_outcome_finish(b);
  g_autoptr(CxOutcome) ca = cx_outcome_copy_decision(a);
  g_autoptr(CxOutcome) cb = cx_outcome_copy_decision(b);
  ck_assert_str_eq(cx_outcome_explain(ca), cx_outcome_explain(a));
  ck_assert_str_eq(cx_outcome_open_explain(cb), cx_outcome_open_explain(b));
  ck_assert_int_eq(cx_outcome_open_after(cb), cx_outcome_open_after(b));
  ck_assert(cx_outcome_is_success_step(ca, act(la, "Approved")));
  ck_assert(!cx_outcome_is_success_end(ca, act(la, "Declined")));

  const char *text = "p Submit 0\np Approved 1\np Registered 2\nq A 0\nq Done 1\n"
                     "r A 0\nr Wait 1\nz A 90\nz Wait 95\ne A 99\ne Done 100\n";
  g_autoptr(CxLog) l1 = cx_log_new();
  g_autoptr(CxOutcome) c1 = cx_outcome_new(l1, NULL, CX_OUTCOME_OPEN_INFER);
  journeys_feed(l1, text, cx_outcome_add, c1);
  const CxOutcome *full[] = { a, b };
  cx_outcome_set_model(c1, full, 2);
  cx_outcome_finish(c1);
  g_autoptr(CxLog) l2 = cx_log_new();
  g_autoptr(CxOutcome) c2 = cx_outcome_new(l2, NULL, CX_OUTCOME_OPEN_INFER);
  journeys_feed(l2, text, cx_outcome_add, c2);
  cx_outcome_finish(c2);
  const CxOutcome *copies[] = { ca, cb };
  cx_outcome_set_model(c2, copies, 2);
  cx_outcome_finish(c2);
  for (guint64 i = 0; i < 5; i++)
    ck_assert_int_eq(cx_outcome_get(c2, i), cx_outcome_get(c1, i));
  guint64 n1[3], n2[3];
  cx_outcome_counts(c1, &n1[0], &n1[1], &n1[2]);
  cx_outcome_counts(c2, &n2[0], &n2[1], &n2[2]);
  for (int k = 0; k < 3; k++)
    ck_assert_uint_eq(n2[k], n1[k]);
  ck_assert_uint_eq(n1[0], 3);
  ck_assert_str_eq(cx_outcome_explain(c2), cx_outcome_explain(c1));
  ck_assert_str_eq(cx_outcome_open_explain(c2), cx_outcome_open_explain(c1));
  ck_assert_int_eq(cx_outcome_open_after(c2), cx_outcome_open_after(c1));
  for (guint32 x = 0; x < cx_pool_size(cx_log_activities(l1)); x++) {
    const char *name = cx_pool_get(cx_log_activities(l1), x);
    guint32 y = cx_pool_lookup(cx_log_activities(l2), name, -1);
    ck_assert_int_eq(cx_outcome_is_success_step(c2, y), cx_outcome_is_success_step(c1, x));
    ck_assert_int_eq(cx_outcome_is_success_end(c2, y), cx_outcome_is_success_end(c1, x));
  }
}
END_TEST

/* The counts of @text's outcomes, inferred. */
static void
wide_counts(const char *text, guint64 n[3], gboolean *approved_step)
{
  g_autoptr(CxLog) log = cx_log_new();
  g_autoptr(CxOutcome) o = cx_outcome_new(log, NULL, 0);
  journeys_feed(log, text, cx_outcome_add, o);
  cx_outcome_finish(o);
  cx_outcome_counts(o, &n[0], &n[1], &n[2]);
  *approved_step = cx_outcome_is_success_step(o, act(log, "Approved"));
}

/* A milestone decides alike whether it is among the first 32 success-named
 * activities or after them (the journeys keep those bits apart). */
START_TEST(test_milestone_past_32)
{
  g_autoptr(GString) filler = g_string_new(NULL);
  for (int k = 1; k <= 39; k++)
    g_string_append_printf(filler, "w Done_%d %d\n", k, k);
  g_string_append(filler, "w Rejected 40\n");
  g_autoptr(GString) rest = g_string_new(NULL);
  for (int i = 0; i < 10; i++)
    g_string_append_printf(rest, "p%d Submit 0\np%d Approved 1\np%d Archive 2\n", i, i, i);
  for (int i = 0; i < 5; i++)
    g_string_append_printf(rest, "d%d Submit 0\nd%d Declined 1\n", i, i);
  g_autofree char *late = g_strconcat(filler->str, rest->str, NULL);
  g_autofree char *early = g_strconcat(rest->str, filler->str, NULL);
  guint64 a[3], b[3];
  gboolean sa, sb;
  wide_counts(early, a, &sa);
  wide_counts(late, b, &sb);
  ck_assert_uint_eq(a[0], 10);
  ck_assert(sa && sb);
  for (int k = 0; k < 3; k++)
    ck_assert_uint_eq(b[k], a[k]);
}
END_TEST

START_TEST(test_open_off_and_too_few)
{
  g_autoptr(GString) t = g_string_new(NULL);
  open_log(t);
  {
    g_autoptr(CxLog) log = cx_log_new();
    g_autoptr(CxOutcome) o = cx_outcome_new(log, NULL, 0);
    journeys_feed(log, t->str, cx_outcome_add, o);
    cx_outcome_finish(o);
    guint64 op;
    cx_outcome_counts(o, NULL, NULL, &op);
    ck_assert_uint_eq(op, 0);
    ck_assert_int_eq(cx_outcome_open_after(o), 0);
    ck_assert_str_eq(cx_outcome_open_explain(o),
                     "No journey counts as still open (--open-after 0).");
  }
  {
    /* 19 successful journeys are too few to infer from */
    g_autoptr(CxLog) log = cx_log_new();
    g_autoptr(CxOutcome) o = cx_outcome_new(log, NULL, CX_OUTCOME_OPEN_INFER);
    journeys_feed(log, strstr(t->str, "s2 A"), cx_outcome_add, o);
    cx_outcome_finish(o);
    guint64 op;
    cx_outcome_counts(o, NULL, NULL, &op);
    ck_assert_uint_eq(op, 0);
    ck_assert_str_eq(cx_outcome_open_explain(o),
                     "No journey counts as still open: fewer than 20 successful journeys with "
                     "timestamps to infer --open-after from.");
  }
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
  tcase_add_test(tc, test_milestone);
  tcase_add_test(tc, test_open_inferred);
  tcase_add_test(tc, test_open_off_and_too_few);
  tcase_add_test(tc, test_model);
  tcase_add_test(tc, test_model_from_copies);
  tcase_add_test(tc, test_milestone_past_32);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_ENV);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
