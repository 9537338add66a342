/* Journey stores (journey-store.h) on a hand-made CSV: kept journeys
 * replay exactly as the scan handed them, in order, filtered by tag; the
 * memory they take; the budget refused with CX_READER_ERROR_MEMORY; reset;
 * a failing callback stops the replay. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include "cxmine/cxmine.h"
#include "cxmine/journey-store.h"
#include "csv-log.h"
#include "test-util.h"

/* c1: a b (with a start time on b, a resource, a channel, a case
 * attribute); c2: a, untimed b; c3: one event */
static const char *const LOG_CSV = "case,activity,timestamp,start,resource,channel,case:tier\n"
                                   "c1,a,2024-01-01T10:00:00Z,,ann,web,gold\n"
                                   "c1,b,2024-01-01T12:00:00Z,2024-01-01T11:00:00Z,bob,phone,gold\n"
                                   "c2,a,2024-01-02T10:00:00Z,,,,silver\n"
                                   "c2,b,,,,,silver\n"
                                   "c3,c,2024-01-03T09:00:00Z,,cy,,\n";

/* A journey as text: every field a replay must keep. */
static void
describe(GString *out, CsvLog *c, const CxJourney *j)
{
  g_string_append_printf(out, "%s n=%u u=%u:", cx_pool_get(cx_log_cases(c->log), j->case_id),
                         j->n_events, j->n_untimed);
  for (guint i = 0; i < j->n_instances; i++) {
    const CxEvent *e = &j->instances[i];
    g_string_append_printf(out, " %s@%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT "/%d/%d/%u",
                           cx_pool_get(cx_log_activities(c->log), e->activity), e->time, e->start,
                           (int)e->resource, (int)e->channel, e->flags);
  }
  for (guint i = 0; i < j->n_attrs; i++)
    g_string_append_printf(out, " %s=%s", cx_pool_get(cx_log_keys(c->log), j->attrs[i].key),
                           cx_pool_get(cx_log_values(c->log), j->attrs[i].value));
  g_string_append_c(out, '\n');
}

typedef struct {
  CsvLog *c;
  GString *text;
  CxJourneyStore *st;
  guint next_tag;
  guint instances, attrs;
  guint calls, fail_at; /* fail the (fail_at)th call; 0 = never */
} Ctx;

static gboolean
keep(const CxJourney *j, gpointer data, GError **error)
{
  Ctx *x = data;
  describe(x->text, x->c, j);
  x->instances += j->n_instances;
  x->attrs += j->n_attrs;
  return cx_journey_store_add(x->st, j, x->next_tag++, error);
}

static gboolean
record(const CxJourney *j, gpointer data, GError **error)
{
  Ctx *x = data;
  if (++x->calls == x->fail_at) {
    g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "stop at %u", x->calls);
    return FALSE;
  }
  describe(x->text, x->c, j);
  return TRUE;
}

static void
reset_all(gpointer data)
{
  Ctx *x = data;
  g_string_truncate(x->text, 0);
  x->next_tag = x->instances = x->attrs = 0;
  cx_journey_store_reset(x->st);
}

/* Scans LOG_CSV into @st (tags 0, 1, 2 in scan order); @scanned gets the
 * journeys as the scan handed them. */
static void
fill(CsvLog *c, CxJourneyStore *st, GString *scanned, Ctx *x)
{
  csv_log_open(c, LOG_CSV);
  *x = (Ctx){ .c = c, .text = scanned, .st = st };
  csv_log_scan(c, keep, reset_all, x);
}

START_TEST(test_replay_all)
{
  CsvLog c;
  g_autoptr(CxJourneyStore) st = cx_journey_store_new(0);
  ck_assert_uint_eq(cx_journey_store_n(st), 0);
  ck_assert_uint_eq(cx_journey_store_bytes(st), 0);
  g_autoptr(GString) scanned = g_string_new(NULL);
  Ctx x;
  fill(&c, st, scanned, &x);
  ck_assert_uint_eq(cx_journey_store_n(st), 3);
  ck_assert_uint_eq(x.instances, 5);
  ck_assert_uint_eq(x.attrs, 2); /* c3's empty tier is no attribute */
  /* the journeys themselves, counted by hand (c1's b is paired with its start) */
  ck_assert_ptr_nonnull(strstr(scanned->str, "c1 n=2 u=0: a@"));
  ck_assert_ptr_nonnull(strstr(scanned->str, "c2 n=2 u=1: a@"));
  ck_assert_ptr_nonnull(strstr(scanned->str, "c3 n=1 u=0: c@"));
  ck_assert_ptr_nonnull(strstr(scanned->str, " tier=gold\n"));

  g_autoptr(GString) replayed = g_string_new(NULL);
  Ctx r = { .c = &c, .text = replayed };
  g_autoptr(GError) error = NULL;
  ck_assert(cx_journey_store_replay(st, NULL, 0, record, &r, &error));
  ck_assert_str_eq(replayed->str, scanned->str);
  /* twice: a replay does not use the store up */
  g_string_truncate(replayed, 0);
  ck_assert(cx_journey_store_replay(st, NULL, 0, record, &r, &error));
  ck_assert_str_eq(replayed->str, scanned->str);
  csv_log_close(&c);
}
END_TEST

START_TEST(test_replay_by_tag)
{
  CsvLog c;
  g_autoptr(CxJourneyStore) st = cx_journey_store_new(0);
  g_autoptr(GString) scanned = g_string_new(NULL);
  Ctx x;
  fill(&c, st, scanned, &x);
  g_auto(GStrv) lines = g_strsplit(scanned->str, "\n", -1); /* tag k = line k */

  g_autoptr(GString) out = g_string_new(NULL);
  Ctx r = { .c = &c, .text = out };
  static const guint8 keep02[] = { 1, 0, 1 };
  ck_assert(cx_journey_store_replay(st, keep02, 3, record, &r, NULL));
  g_autofree char *want02 = g_strdup_printf("%s\n%s\n", lines[0], lines[2]);
  ck_assert_str_eq(out->str, want02);
  /* tags at or past n_keep are not kept */
  g_string_truncate(out, 0);
  static const guint8 keep_all[] = { 1, 1, 1 };
  ck_assert(cx_journey_store_replay(st, keep_all, 2, record, &r, NULL));
  g_autofree char *want01 = g_strdup_printf("%s\n%s\n", lines[0], lines[1]);
  ck_assert_str_eq(out->str, want01);
  /* none kept: no call */
  g_string_truncate(out, 0);
  ck_assert(cx_journey_store_replay(st, keep_all, 0, record, &r, NULL));
  ck_assert_uint_eq(r.calls, 4);
  ck_assert_str_eq(out->str, "");
  csv_log_close(&c);
}
END_TEST

START_TEST(test_failure_stops)
{
  CsvLog c;
  g_autoptr(CxJourneyStore) st = cx_journey_store_new(0);
  g_autoptr(GString) scanned = g_string_new(NULL);
  Ctx x;
  fill(&c, st, scanned, &x);
  g_autoptr(GString) out = g_string_new(NULL);
  Ctx r = { .c = &c, .text = out, .fail_at = 2 };
  g_autoptr(GError) error = NULL;
  ck_assert(!cx_journey_store_replay(st, NULL, 0, record, &r, &error));
  ck_assert_uint_eq(r.calls, 2); /* the third journey is not handed over */
  test_assert_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED);
  ck_assert_str_eq(error->message, "stop at 2");
  g_auto(GStrv) lines = g_strsplit(scanned->str, "\n", -1);
  g_autofree char *want = g_strdup_printf("%s\n", lines[0]);
  ck_assert_str_eq(out->str, want);
  csv_log_close(&c);
}
END_TEST

START_TEST(test_bytes_budget_reset)
{
  CsvLog c;
  g_autoptr(CxJourneyStore) st = cx_journey_store_new(0);
  g_autoptr(GString) scanned = g_string_new(NULL);
  Ctx x;
  fill(&c, st, scanned, &x);
  /* per journey a 40-byte record, 32 bytes an instance, 8 an attribute */
  gsize all = cx_journey_store_bytes(st);
  gsize rec = (all - 5 * sizeof(CxEvent) - 2 * sizeof(CxAttr)) / 3;
  ck_assert_uint_eq(all, 3 * rec + 5 * 32 + 2 * 8);
  ck_assert_uint_eq(rec, 40); /* the record journey-store.h names */

  /* a budget of exactly what the three take holds them; one byte less
   * refuses the third */
  CxEvent ev[2]
      = { { .time = 1, .start = CX_TS_NONE, .resource = CX_ID_NONE, .channel = CX_ID_NONE },
          { .time = 2, .start = CX_TS_NONE, .resource = CX_ID_NONE, .channel = CX_ID_NONE } };
  CxAttr at[1] = { { 0, 0 } };
  CxJourney j = {
    .case_id = 7, .n_events = 2, .n_instances = 2, .instances = ev, .n_attrs = 1, .attrs = at
  };
  gsize one = rec + 2 * 32 + 8;
  g_autoptr(GError) error = NULL;
  {
    g_autoptr(CxJourneyStore) b = cx_journey_store_new(3 * one);
    for (guint k = 0; k < 3; k++)
      ck_assert(cx_journey_store_add(b, &j, k, &error));
    ck_assert_uint_eq(cx_journey_store_bytes(b), 3 * one);
    ck_assert(!cx_journey_store_add(b, &j, 3, &error));
    test_assert_error(error, CX_READER_ERROR, CX_READER_ERROR_MEMORY);
    ck_assert_uint_eq(cx_journey_store_n(b), 3); /* nothing half-kept */
    ck_assert_uint_eq(cx_journey_store_bytes(b), 3 * one);
    g_clear_error(&error);
  }
  {
    g_autoptr(CxJourneyStore) b = cx_journey_store_new(3 * one - 1);
    ck_assert(cx_journey_store_add(b, &j, 0, NULL));
    ck_assert(cx_journey_store_add(b, &j, 1, NULL));
    ck_assert(!cx_journey_store_add(b, &j, 2, &error));
    test_assert_error(error, CX_READER_ERROR, CX_READER_ERROR_MEMORY);
    ck_assert_ptr_nonnull(strstr(error->message, "budget of"));
    g_clear_error(&error);
    /* after a reset the budget is free again */
    cx_journey_store_reset(b);
    ck_assert_uint_eq(cx_journey_store_n(b), 0);
    ck_assert_uint_eq(cx_journey_store_bytes(b), 0);
    ck_assert(cx_journey_store_add(b, &j, 0, NULL));
    ck_assert(cx_journey_store_add(b, &j, 1, NULL));
  }
  /* the message names the budget as --memory takes it */
  {
    g_autoptr(CxJourneyStore) b = cx_journey_store_new(2048);
    CxEvent many[70] = { 0 };
    CxJourney big = { .n_events = 70, .n_instances = 70, .instances = many };
    ck_assert(!cx_journey_store_add(b, &big, 0, &error));
    ck_assert_ptr_nonnull(strstr(error->message, "budget of 2 KiB"));
    g_clear_error(&error);
  }
  /* reset forgets what the scan kept */
  cx_journey_store_reset(st);
  ck_assert_uint_eq(cx_journey_store_n(st), 0);
  ck_assert_uint_eq(cx_journey_store_bytes(st), 0);
  g_autoptr(GString) out = g_string_new(NULL);
  Ctx r = { .c = &c, .text = out };
  ck_assert(cx_journey_store_replay(st, NULL, 0, record, &r, NULL));
  ck_assert_uint_eq(r.calls, 0);
  csv_log_close(&c);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("journey-store");
  TCase *tc = tcase_create("journey-store");
  tcase_add_test(tc, test_replay_all);
  tcase_add_test(tc, test_replay_by_tag);
  tcase_add_test(tc, test_failure_stops);
  tcase_add_test(tc, test_bytes_budget_reset);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_ENV);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
