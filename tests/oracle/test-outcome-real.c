/* The success rule (outcome.h) on the end-activity distributions of real
 * logs in ../shared/data: which rule decides and how many journeys end
 * successfully, with --open-after 0.  Skipped (77) without ../shared. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include "cxmine/cxmine.h"
#include "cxmine/outcome.h"
#include "test-util.h"

static const char *shared;

typedef struct {
  const char *file;
  CxLifecycleMode lifecycle;
  guint64 cases, success;
  const char *rule;  /* how the explanation starts */
  const char *names; /* a successful end or milestone it must name */
} RealCase;

#define RULE_NAMES     "Successful ends are inferred from activity names"
#define RULE_MILESTONE "Success-named activities"

static const RealCase real[] = {
  /* loan applications: approval is a milestone followed by registration
   * and activation; 2246 applications were approved */
  { "bpic2012.xes.gz", CX_LIFECYCLE_MODE_AUTO, 13087, 2246, RULE_MILESTONE, "'A_APPROVED'" },
  { "bpic2012.xes.gz", CX_LIFECYCLE_MODE_ALL, 13087, 2246, RULE_MILESTONE, "'A_APPROVED'" },
  { "sepsis_cases.xes.gz", CX_LIFECYCLE_MODE_AUTO, 1050, 486, RULE_NAMES, "'Release A'" },
  { "helpdesk.xes.gz", CX_LIFECYCLE_MODE_AUTO, 4580, 4567, RULE_NAMES, "'Closed'" },
  { "bpic2020_domestic_declarations.xes.gz", CX_LIFECYCLE_MODE_AUTO, 10500, 10043, RULE_NAMES,
    "'Payment Handled'" },
  { "bpic2020_international_declarations.xes.gz", CX_LIFECYCLE_MODE_AUTO, 6449, 5650, RULE_NAMES,
    "'Payment Handled'" },
  { "bpic2020_permit_log.xes.gz", CX_LIFECYCLE_MODE_AUTO, 7065, 5489, RULE_NAMES,
    "'Payment Handled'" },
  /* "payment" is in most names: the approvals are the milestones */
  { "bpic2020_prepaid_travel_cost.xes.gz", CX_LIFECYCLE_MODE_AUTO, 2099, 2000, RULE_MILESTONE,
    "FINAL_APPROVED" },
  { "bpic2020_request_for_payment.xes.gz", CX_LIFECYCLE_MODE_AUTO, 6886, 6320, RULE_MILESTONE,
    "'Request For Payment FINAL_APPROVED by SUPERVISOR'" },
};

START_TEST(test_real_log)
{
  const RealCase *rc = &real[_i];
  g_autofree char *path = g_build_filename(shared, "data", rc->file, NULL);
  if (!g_file_test(path, G_FILE_TEST_EXISTS))
    return; /* this one log is missing: nothing to check */
  g_autoptr(CxLog) log = cx_log_new();
  cx_log_options(log)->lifecycle = rc->lifecycle;
  cx_log_add_source(log, path, CX_FORMAT_AUTO, NULL);
  g_autoptr(CxOutcome) o = cx_outcome_new(log, NULL, 0);
  g_autoptr(GError) error = NULL;
  ck_assert_msg(cx_log_scan(log, cx_outcome_add, cx_outcome_reset, o, &error), "%s",
                error ? error->message : "");
  cx_outcome_finish(o);
  guint64 s, d, op;
  cx_outcome_counts(o, &s, &d, &op);
  ck_assert_uint_eq(s + d + op, rc->cases);
  ck_assert_uint_eq(op, 0);
  ck_assert_msg(s == rc->success,
                "%s: %" G_GUINT64_FORMAT " successful, expected %" G_GUINT64_FORMAT, rc->file, s,
                rc->success);
  const char *ex = cx_outcome_explain(o);
  ck_assert_msg(g_str_has_prefix(ex, rc->rule), "%s: %s", rc->file, ex);
  ck_assert_msg(strstr(ex, rc->names) != NULL, "%s: %s", rc->file, ex);
  ck_assert(!cx_outcome_is_weak(o));
}
END_TEST

int
main(void)
{
  shared = test_shared_or_skip("data");
  Suite *s = suite_create("outcome-real");
  TCase *tc = tcase_create("real");
  tcase_set_timeout(tc, 120);
  tcase_add_loop_test(tc, test_real_log, 0, G_N_ELEMENTS(real));
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_ENV);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
