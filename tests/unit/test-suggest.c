/* Tests for the "did you mean" matcher. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include "cxmine/suggest.h"

static char *
among(const char *typed, const char *const *cands)
{
  return cx_suggest_among(typed, cands, 3);
}

START_TEST(test_distance)
{
  ck_assert_uint_eq(cx_suggest_distance("stat", "stats"), 1);
  ck_assert_uint_eq(cx_suggest_distance("Ticket_id", "TicketId"), 1);
  ck_assert_uint_eq(cx_suggest_distance("TICKETID", "TicketId"), 0);
  ck_assert_uint_eq(cx_suggest_distance("dgf", "dfg"), 1); /* a swap is one edit */
  ck_assert_uint_eq(cx_suggest_distance("", "abc"), 3);
  ck_assert_uint_eq(cx_suggest_distance("kitten", "sitting"), 3);
}
END_TEST

START_TEST(test_commands)
{
  const char *cmds[] = { "stats", "variants", "dfg", "compare", "friction", NULL };
  g_autofree char *a = among("stat", cmds);
  ck_assert_str_eq(a, " (did you mean 'stats'?)");
  g_autofree char *b = among("varaints", cmds);
  ck_assert_str_eq(b, " (did you mean 'variants'?)");
  g_autofree char *c = among("frobnicate", cmds);
  ck_assert_str_eq(c, "");
  g_autofree char *d = among("x", cmds);
  ck_assert_str_eq(d, "");
  const char *letters[] = { "a", "b", "c", "dfg", NULL };
  g_autofree char *e = among("x", letters);
  ck_assert_str_eq(e, "");
  g_autofree char *f = among("A", letters);
  ck_assert_str_eq(f, " (did you mean 'a'?)");
  g_autofree char *g = among("dgf", letters);
  ck_assert_str_eq(g, " (did you mean 'dfg'?)");
}
END_TEST

START_TEST(test_activity_prefix_and_case)
{
  const char *acts[]
      = { "Assign seriousness", "Take in charge ticket", "Resolve ticket", "Closed", NULL };
  g_autofree char *a = among("Assign seriousnes", acts);
  ck_assert_str_eq(a, " (did you mean 'Assign seriousness'?)");
  g_autofree char *b = among("assign SERIOUSNESS", acts);
  ck_assert_str_eq(b, " (did you mean 'Assign seriousness'?)");
  /* a part of a longer name */
  g_autofree char *c = among("ticket", acts);
  ck_assert_str_eq(c, " (did you mean 'Resolve ticket' or 'Take in charge ticket'?)");
  g_autofree char *d = among("Assign", acts);
  ck_assert_str_eq(d, " (did you mean 'Assign seriousness'?)");
}
END_TEST

START_TEST(test_ranking_is_by_distance_then_name)
{
  const char *one[] = { "TicketID", "Ticket_ID", "TicketId", NULL };
  const char *two[] = { "TicketId", "Ticket_ID", "TicketID", NULL };
  g_autofree char *a = among("ticket_id", one);
  g_autofree char *b = among("ticket_id", two);
  ck_assert_str_eq(a, b);
  ck_assert_str_eq(a, " (did you mean 'Ticket_ID'?)");
  g_autofree char *c = among("ticket-id", one);
  ck_assert_str_eq(c, " (did you mean 'TicketID', 'TicketId' or 'Ticket_ID'?)");
  g_autoptr(CxSuggest) s = cx_suggest_new("web");
  cx_suggest_add(s, "Web");
  cx_suggest_add(s, "Web");
  cx_suggest_add(s, "wbe");
  cx_suggest_add(s, "phone");
  g_auto(GStrv) best = cx_suggest_best(s, 5);
  /* the same name in another case wins alone */
  ck_assert_uint_eq(g_strv_length(best), 1);
  ck_assert_str_eq(best[0], "Web");
  g_auto(GStrv) none = cx_suggest_best(s, 0);
  ck_assert_ptr_null(none[0]);
}
END_TEST

START_TEST(test_far_names_are_not_suggested)
{
  const char *keys[] = { "concept:name", "org:resource", "time:timestamp", "channel", NULL };
  g_autofree char *a = among("Nonexistent", keys);
  ck_assert_str_eq(a, "");
  g_autofree char *b = among("chanel", keys);
  ck_assert_str_eq(b, " (did you mean 'channel'?)");
}
END_TEST

static Suite *
suggest_suite(void)
{
  Suite *s = suite_create("suggest");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, test_distance);
  tcase_add_test(tc, test_commands);
  tcase_add_test(tc, test_activity_prefix_and_case);
  tcase_add_test(tc, test_ranking_is_by_distance_then_name);
  tcase_add_test(tc, test_far_names_are_not_suggested);
  suite_add_tcase(s, tc);
  return s;
}

int
main(void)
{
  SRunner *sr = srunner_create(suggest_suite());
  srunner_run_all(sr, CK_ENV);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
