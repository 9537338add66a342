/* Long CSV fields: parsing is linear (each byte looked at once, counted by
 * the reader, not timed), a used column's value is capped at 1 MiB with a
 * file:line error, and an unused column's value is never stored. */
#include <check.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include "reader-private.h"
#include "test-util.h"

static char *dir;

static void
setup(void)
{
  dir = test_tmpdir_new("cxmine-csvlim-XXXXXX");
}

static void
teardown(void)
{
  test_tmpdir_remove(dir);
  g_clear_pointer(&dir, g_free);
}

typedef struct {
  guint journeys;
  gsize act_len; /* of the first event's activity */
  CxLog *log;
  CxCsvWork work; /* of the read */
} Seen;

static gboolean
on_journey(const CxJourney *j, gpointer data, GError **error)
{
  Seen *s = data;
  if (s->journeys++ == 0 && j->n_instances > 0)
    s->act_len = strlen(cx_pool_get(cx_log_activities(s->log), j->instances[0].activity));
  return TRUE;
}

/* Writes @text to a file and reads it; returns the bytes parse_record looked at. */
static gsize
scan(GString *text, Seen *seen, GError **error)
{
  g_autofree char *p = g_build_filename(dir, "t.csv", NULL);
  ck_assert(g_file_set_contents(p, text->str, (gssize)text->len, NULL));
  g_autoptr(CxLog) log = cx_log_new();
  memset(seen, 0, sizeof *seen);
  seen->log = log;
  g_autoptr(CxInput) in = cx_input_open(p, error);
  ck_assert(in != NULL);
  g_autoptr(CxSink) sink = cx_sink_new(log, on_journey, seen);
  gboolean ok = cx_csv_read_measured(in, sink, cx_log_options(log), &seen->work, error)
                && cx_sink_finish(sink, error);
  seen->log = NULL;
  return ok ? seen->work.scanned : 0;
}

/* a header, a row with a long @quoted or plain value in column 'note', a short row */
static GString *
long_note(gsize len, gboolean quoted)
{
  GString *s = g_string_new("case,activity,timestamp,note\nc1,a,2024-01-01,");
  if (quoted)
    g_string_append_c(s, '"');
  for (gsize i = 0; i < len; i++)
    g_string_append_c(s, quoted && i % 1000 == 999 ? '\n' : 'x');
  if (quoted)
    g_string_append_c(s, '"');
  g_string_append(s, "\nc1,b,2024-01-02,short\n");
  return s;
}

START_TEST(test_linear_work)
{
  for (int quoted = 0; quoted < 2; quoted++) {
    gsize work[2], size[2];
    gsize lens[2] = { 4u << 20, 16u << 20 };
    for (int k = 0; k < 2; k++) {
      g_autoptr(GString) t = long_note(lens[k], quoted);
      Seen seen;
      g_autoptr(GError) error = NULL;
      work[k] = scan(t, &seen, &error);
      ck_assert_msg(error == NULL, "%s", error ? error->message : "");
      ck_assert_uint_eq(seen.journeys, 1);
      size[k] = t->len;
    }
    /* each byte once: the work is the file's size, whatever the field's length */
    for (int k = 0; k < 2; k++)
      ck_assert_msg(work[k] <= size[k] + 64 && work[k] + 64 >= size[k] - 64,
                    "quoted=%d: %zu bytes looked at for a file of %zu", quoted, work[k], size[k]);
  }
  /* the same for a used value near the cap, with doubled quotes */
  gsize w[2], sz[2];
  gsize lens[2] = { 100000, 600000 };
  for (int k = 0; k < 2; k++) {
    g_autoptr(GString) t = g_string_new("case,activity,timestamp\nc1,\"");
    for (gsize i = 0; i < lens[k]; i++)
      g_string_append(t, i % 2 ? "\"\"" : "y");
    g_string_append(t, "\",2024-01-01\n");
    Seen seen;
    g_autoptr(GError) error = NULL;
    w[k] = scan(t, &seen, &error);
    ck_assert_msg(error == NULL, "%s", error ? error->message : "");
    ck_assert_uint_eq(seen.act_len, lens[k]); /* "" read as one quote */
    sz[k] = t->len;
  }
  ck_assert_uint_le(w[0], sz[0] + 64);
  ck_assert_uint_le(w[1], sz[1] + 64);
}
END_TEST

START_TEST(test_used_value_cap)
{
  /* exactly 1 MiB is read */
  g_autoptr(GString) ok = g_string_new("case,activity,timestamp\nc1,");
  for (gsize i = 0; i < 1024 * 1024; i++)
    g_string_append_c(ok, 'a');
  g_string_append(ok, ",2024-01-01\n");
  Seen seen;
  g_autoptr(GError) error = NULL;
  scan(ok, &seen, &error);
  ck_assert_msg(error == NULL, "%s", error ? error->message : "");
  ck_assert_uint_eq(seen.act_len, 1024 * 1024);
  /* one byte more is refused, naming the line and the column */
  g_autoptr(GString) bad = g_string_new("case,activity,timestamp\nc0,a,2024-01-01\nc1,\"");
  for (gsize i = 0; i <= 1024 * 1024; i++)
    g_string_append_c(bad, i == 10 ? '\n' : 'a');
  g_string_append(bad, "\",2024-01-01\n");
  scan(bad, &seen, &error);
  ck_assert(error != NULL);
  ck_assert_msg(g_str_has_suffix(error->message,
                                 "t.csv:4: value in column 'activity' longer than 1048576 bytes"),
                "%s", error->message);
}
END_TEST

START_TEST(test_unused_value_not_stored)
{
  g_autoptr(GString) t = long_note(48u << 20, TRUE);
  /* and a bad row after it: its line is counted through the dropped value */
  g_string_append(t, "c2,a,yesterday,\n");
  Seen seen;
  g_autoptr(GError) error = NULL;
  scan(t, &seen, &error);
  ck_assert(error != NULL);
  guint64 lines = 4 + (48u << 20) / 1000;
  g_autofree char *want = g_strdup_printf("t.csv:%" G_GUINT64_FORMAT ": bad timestamp", lines);
  ck_assert_msg(strstr(error->message, want) != NULL, "%s (want %s)", error->message, want);
  ck_assert_msg(seen.work.buffer_peak < (4u << 20), "the buffer grew to %zu bytes",
                seen.work.buffer_peak);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("csv-limits");
  TCase *tc = tcase_create("core");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, test_linear_work);
  tcase_add_test(tc, test_used_value_cap);
  tcase_add_test(tc, test_unused_value_not_stored);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_ENV);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? 0 : 1;
}
