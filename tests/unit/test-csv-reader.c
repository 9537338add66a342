/* Tests for the CSV reader, through cx_log_scan on temporary files. */
#include <check.h>
#include <glib/gstdio.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>
#include "cxmine/cxmine.h"

static char *tmp_path;

/* A log over a temporary file holding @len bytes of @data (-1 = NUL-terminated). */
static CxLog *
log_for(const char *data, gssize len)
{
  g_autoptr(GError) error = NULL;
  int fd = g_file_open_tmp("cx-csv-XXXXXX.csv", &tmp_path, &error);
  ck_assert_int_ge(fd, 0);
  close(fd);
  ck_assert(g_file_set_contents(tmp_path, data, len, &error));
  CxLog *log = cx_log_new();
  cx_log_add_source(log, tmp_path, CX_FORMAT_CSV, NULL);
  return log;
}

static char *
fixture_path(const char *name)
{
  const char *root = g_getenv("CX_SOURCE_ROOT");
  return g_build_filename(root != NULL ? root : ".", "fixtures", "csv", name, NULL);
}

static char *
fmt_time(gint64 t)
{
  if (t == CX_TS_NONE)
    return g_strdup("-");
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc(t / CX_USEC_PER_SEC);
  g_autofree char *s = g_date_time_format(dt, "%Y-%m-%dT%H:%M:%S");
  if (t % CX_USEC_PER_SEC != 0)
    return g_strdup_printf("%s.%06d", s, (int)(t % CX_USEC_PER_SEC));
  return g_steal_pointer(&s);
}

typedef struct {
  CxLog *log;
  GString *out;
  gboolean times;
} Collect;

/* "case [k=v]: act@time/resource#channel<start ...\n" per journey */
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
    const CxEvent *e = &j->instances[i];
    g_string_append_printf(c->out, " %s", cx_pool_get(cx_log_activities(c->log), e->activity));
    if (c->times) {
      g_autofree char *t = fmt_time(e->time);
      g_string_append_printf(c->out, "@%s", t);
    }
    if (e->resource != CX_ID_NONE)
      g_string_append_printf(c->out, "/%s", cx_pool_get(cx_log_resources(c->log), e->resource));
    if (e->channel != CX_ID_NONE)
      g_string_append_printf(c->out, "#%s", cx_pool_get(cx_log_channels(c->log), e->channel));
    if (e->start != CX_TS_NONE) {
      g_autofree char *t = fmt_time(e->start);
      g_string_append_printf(c->out, "<%s", t);
    }
  }
  g_string_append_c(c->out, '\n');
  return TRUE;
}

/* Scans @log; returns the journeys as text, or NULL with @error set. */
static char *
scan_full(CxLog *log, gboolean times, GError **error)
{
  Collect c = { log, g_string_new(NULL), times };
  gboolean ok = cx_log_scan(log, collect, NULL, &c, error);
  if (tmp_path != NULL) {
    g_unlink(tmp_path);
    g_clear_pointer(&tmp_path, g_free);
  }
  if (!ok) {
    g_string_free(c.out, TRUE);
    return NULL;
  }
  return g_string_free(c.out, FALSE);
}

static char *
scan(CxLog *log)
{
  g_autoptr(GError) error = NULL;
  char *s = scan_full(log, TRUE, &error);
  ck_assert_msg(s != NULL, "scan failed: %s", error ? error->message : "?");
  return s;
}

/* The error message of a failing scan, with the temporary path replaced by "F". */
static char *
scan_error(CxLog *log)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_strdup(tmp_path);
  g_autofree char *s = scan_full(log, TRUE, &error);
  ck_assert_msg(s == NULL, "scan succeeded: %s", s);
  g_autoptr(GString) msg = g_string_new(error->message);
  if (path != NULL)
    g_string_replace(msg, path, "F", 0);
  return g_string_free(g_steal_pointer(&msg), FALSE);
}

static char *
scan_text(const char *csv)
{
  g_autoptr(CxLog) log = log_for(csv, -1);
  return scan(log);
}

static char *
error_text(const char *csv)
{
  g_autoptr(CxLog) log = log_for(csv, -1);
  return scan_error(log);
}

START_TEST(test_basic_mapping)
{
  g_autofree char *s
      = scan_text("case:concept:name,concept:name,time:timestamp,org:resource,case:creator,Costs\n"
                  "c1,register,2024-01-01 10:00:00+01:00,Pete,Nitro,50\n"
                  "c2,register,2024-01-02T09:00:00Z,,Disco,60\n"
                  "c1,decide,2024-01-01 11:00:00+01:00,Sue,Other,70\n");
  ck_assert_str_eq(s, "c1 [creator=Nitro]: register@2024-01-01T09:00:00/Pete "
                      "decide@2024-01-01T10:00:00/Sue\n"
                      "c2 [creator=Disco]: register@2024-01-02T09:00:00\n");
}
END_TEST

START_TEST(test_disco_names)
{
  /* helpdesk style: the duplicated Variant column is not mapped, so it is fine */
  g_autofree char *s = scan_text(
      "Case ID,Activity,Resource,Complete Timestamp,Variant,Variant index,Variant,channel\n"
      "Case 1,Assign,Value 1,2012/10/09 14:50:17.000,V12,12,V12,web\n"
      "Case 1,Take,Value 2,2012/10/09 14:51:01.500,V12,12,V12,\n");
  ck_assert_str_eq(s, "Case 1: Assign@2012-10-09T14:50:17/Value 1#web "
                      "Take@2012-10-09T14:51:01.500000/Value 2\n");
}
END_TEST

START_TEST(test_quotes_bom_crlf)
{
  g_autofree char *s = scan_text("\xEF\xBB\xBF"
                                 "case,activity,timestamp\r\n"
                                 "\"c,1\",\"say \"\"hi\"\"\",2024-01-01 10:00\r\n"
                                 "\"c,1\",\"two\r\nlines\",2024-01-01 11:00\r\n"
                                 "c2,\"\",2024-01-01 12:00\r\n"
                                 "c2,plain \"quote\",2024-01-01 13:00");
  ck_assert_str_eq(s, "c,1: say \"hi\"@2024-01-01T10:00:00 two\r\nlines@2024-01-01T11:00:00\n"
                      "c2: plain \"quote\"@2024-01-01T13:00:00\n");
}
END_TEST

START_TEST(test_line_numbers_after_multiline)
{
  g_autofree char *e = error_text("case,activity,timestamp\n"
                                  "c1,\"a\nb\nc\",2024-01-01\n"
                                  "\n"
                                  "c1,b\n");
  ck_assert_str_eq(e, "F:6: expected 3 fields, found 2");
}
END_TEST

START_TEST(test_delimiters)
{
  const char *csvs[] = {
    "case;activity;timestamp\nc1;a,b;2024-01-01\nc1;c;2024-01-02\n",
    "case\tactivity\ttimestamp\nc1\ta,b\t2024-01-01\nc1\tc\t2024-01-02\n",
    "case|activity|timestamp\nc1|a,b|2024-01-01\nc1|c|2024-01-02\n",
    "case,activity,timestamp\nc1,\"a,b\",2024-01-01\nc1,c,2024-01-02\n",
    /* the header alone decides ambiguous first rows */
    "case;activity;timestamp\n\"c1\";\"a,b\";2024-01-01\nc1;c;2024-01-02\n",
  };
  for (gsize i = 0; i < G_N_ELEMENTS(csvs); i++) {
    g_autofree char *s = scan_text(csvs[i]);
    ck_assert_str_eq(s, "c1: a,b@2024-01-01T00:00:00 c@2024-01-02T00:00:00\n");
  }
  /* an explicit delimiter wins */
  g_autoptr(CxLog) log = log_for("case;activity;timestamp\nc,1;a;2024-01-01\n", -1);
  cx_log_options(log)->delimiter = ';';
  g_autofree char *s = scan(log);
  ck_assert_str_eq(s, "c,1: a@2024-01-01T00:00:00\n");
}
END_TEST

/* Unquoted fields of every length from 1 to 47, so that each place of a
 * 16-byte step holds a field's end (the delimiter, \n or \r\n), in files
 * of every delimiter, each holding the other delimiters as data. */
START_TEST(test_field_ends_at_every_place)
{
  const char delims[] = { ',', ';', '\t', '|' };
  const char *alphabet = "abcXYZ019 _-.:,;|";
  GRand *rand = g_rand_new_with_seed(7);
  for (guint k = 0; k < G_N_ELEMENTS(delims); k++) {
    for (guint crlf = 0; crlf < 2; crlf++) {
      char d = delims[k];
      const char *eol = crlf ? "\r\n" : "\n";
      g_autoptr(GString) csv = g_string_new(NULL);
      g_autoptr(GString) want = g_string_new(NULL);
      g_string_append_printf(csv, "case%cactivity%ctimestamp%s", d, d, eol);
      for (guint i = 0; i < 300; i++) {
        /* a case id and an activity of lengths 1..47, none the delimiter */
        char id[48], act[48];
        guint nid = 1 + i % 47, nact = 1 + (i * 7 + k) % 47;
        for (guint j = 0; j < 47; j++) {
          char c;
          do
            c = alphabet[g_rand_int_range(rand, 0, (gint32)strlen(alphabet))];
          while (c == d);
          id[j] = c;
          act[j] = alphabet[(j + i) % 9];
        }
        id[0] = 'c';
        g_snprintf(id + nid, sizeof id - nid, "%04u", i); /* unique */
        act[nact] = '\0';
        g_string_append_printf(csv, "%s%c%s%c2024-01-01T%02u:%02u:00%s", id, d, act, d, i / 60,
                               i % 60, eol);
        g_string_append_printf(want, "%s: %s@2024-01-01T%02u:%02u:00\n", id, act, i / 60, i % 60);
      }
      g_autoptr(CxLog) log = log_for(csv->str, -1);
      cx_log_options(log)->delimiter = d;
      g_autofree char *got = scan(log);
      ck_assert_str_eq(got, want->str);
    }
  }
  g_rand_free(rand);
}
END_TEST

START_TEST(test_trailing_delimiter)
{
  g_autoptr(CxLog) log = log_for("ID;Event;Title;Role;Date;\n"
                                 "14a;Initialize;NULL;Ans\xC3\xB8ger;2013-12-25 12:36:38.983;\n"
                                 "14a;Fill;NULL;Ans\xC3\xB8ger;2013-12-25 12:36:39\n",
                                 -1);
  CxReadOptions *o = cx_log_options(log);
  o->case_col = g_strdup("ID");
  o->resource_col = g_strdup("Role");
  g_autofree char *s = scan(log);
  ck_assert_str_eq(s, "14a: Initialize@2013-12-25T12:36:38.983000/Ans\xC3\xB8ger "
                      "Fill@2013-12-25T12:36:39/Ans\xC3\xB8ger\n");
}
END_TEST

START_TEST(test_latin1_whole_file)
{
  g_autofree char *path = fixture_path("bpic2016_complaints_head.csv");
  g_autoptr(CxLog) log = cx_log_new();
  cx_log_add_source(log, path, CX_FORMAT_AUTO, NULL);
  CxReadOptions *o = cx_log_options(log);
  o->case_col = g_strdup("CustomerID");
  o->activity_cols = g_strsplit("ComplaintTopic", ",", -1);
  o->timestamp_col = g_strdup("ContactDate");
  g_autofree char *s = scan(log);
  ck_assert_ptr_nonnull(strstr(s, "1001033: boos over be\xC3\xAB"
                                  "indiging gesprek@2016-01-11T00:00:00\n"));
  ck_assert(g_utf8_validate(s, -1, NULL));
  ck_assert_uint_eq(cx_log_counts(log)->events_read, 20);
}
END_TEST

START_TEST(test_latin1_late)
{
  /* valid UTF-8 (and ASCII) for more than the first chunk, then one Latin-1 byte */
  g_autoptr(GString) csv = g_string_new("case,activity,timestamp\n");
  g_string_append(csv, "c0,caf\xC3\xA9,2024-01-01\n");
  for (int i = 0; i < 40000; i++)
    g_string_append_printf(csv, "c%d,a,2024-01-01\n", i % 7);
  g_string_append(csv, "c1,na\xEFve,2024-01-02\n");
  g_autoptr(CxLog) log = log_for(csv->str, (gssize)csv->len);
  g_autofree char *s = scan(log);
  ck_assert_ptr_nonnull(strstr(s, "c0: caf\xC3\xA9@"));
  ck_assert_ptr_nonnull(strstr(s, " na\xC3\xAFve@2024-01-02T00:00:00\n"));
  ck_assert(g_utf8_validate(s, -1, NULL));
}
END_TEST

START_TEST(test_field_count_error)
{
  g_autofree char *e
      = error_text("case,activity,timestamp\nc1,a,2024-01-01\nc1,b,2024-01-02,extra\n");
  ck_assert_str_eq(e, "F:3: expected 3 fields, found 4");
}
END_TEST

START_TEST(test_missing_columns)
{
  g_autoptr(CxLog) log = log_for("case,activity,timestamp\nc1,a,2024-01-01\n", -1);
  cx_log_options(log)->timestamp_col = g_strdup("Foo");
  g_autofree char *e = scan_error(log);
  ck_assert_str_eq(e, "F:1: no column 'Foo' (columns: case, activity, timestamp)");

  g_autofree char *e2 = error_text("id,activity,timestamp\nc1,a,2024-01-01\n");
  ck_assert_str_eq(e2,
                   "F:1: no case id column found (pass --case; columns: id, activity, timestamp)");
  g_autofree char *e3 = error_text("case,what,timestamp\nc1,a,2024-01-01\n");
  ck_assert_str_eq(
      e3, "F:1: no activity column found (pass --activity; columns: case, what, timestamp)");
}
END_TEST

START_TEST(test_ambiguous_column)
{
  g_autoptr(CxLog) log = log_for("case,activity,Variant,Variant\nc1,a,1,2\n", -1);
  cx_log_options(log)->activity_cols = g_strsplit("activity,Variant", ",", -1);
  g_autofree char *e = scan_error(log);
  ck_assert_str_eq(e, "F:1: ambiguous column 'Variant' (it appears more than once)");
  g_autofree char *e2 = error_text("case,activity,activity\nc1,a,b\n");
  ck_assert_str_eq(e2, "F:1: ambiguous column 'activity' (it appears more than once)");
}
END_TEST

START_TEST(test_bad_timestamp)
{
  const char *csv = "id,activity,created_at\n"
                    "c1,a,30/01/2025 10:00\n"
                    "c1,b,31/02/2025 10:00\n"
                    "c1,c,01/03/2025 10:00\n";
  g_autoptr(CxLog) log = log_for(csv, -1);
  cx_log_options(log)->case_col = g_strdup("id");
  cx_log_options(log)->timestamp_col = g_strdup("created_at");
  g_autofree char *e = scan_error(log);
  ck_assert_str_eq(e, "F:3: bad timestamp '31/02/2025 10:00' in column 'created_at'");

  g_autoptr(CxLog) log2 = log_for(csv, -1);
  cx_log_options(log2)->case_col = g_strdup("id");
  cx_log_options(log2)->timestamp_col = g_strdup("created_at");
  cx_log_options(log2)->skip_invalid = TRUE;
  g_autofree char *s = scan(log2);
  ck_assert_str_eq(s, "c1: a@2025-01-30T10:00:00 c@2025-03-01T10:00:00\n");
  ck_assert_uint_eq(cx_log_counts(log2)->invalid_skipped, 1);
  ck_assert_uint_eq(cx_log_counts(log2)->events_read, 2);
}
END_TEST

START_TEST(test_binary_data)
{
  static const char csv[] = "case,activity,timestamp\nc1,a,2024-01-01\nc1,\0\x01\x02,x\n";
  g_autoptr(CxLog) log = log_for(csv, sizeof csv - 1);
  g_autofree char *e = scan_error(log);
  ck_assert_str_eq(e, "F:3: binary data");
}
END_TEST

START_TEST(test_empty_inputs)
{
  g_autofree char *e = error_text("");
  ck_assert_str_eq(e, "F: empty file");
  g_autofree char *e2 = error_text("\xEF\xBB\xBF");
  ck_assert_str_eq(e2, "F: empty file");
  g_autofree char *e3 = error_text("\n\r\n\n");
  ck_assert_str_eq(e3, "F: empty file");
  /* a header alone is a log without events */
  g_autofree char *s = scan_text("case,activity,timestamp\n");
  ck_assert_str_eq(s, "");
}
END_TEST

START_TEST(test_unterminated_quote)
{
  g_autofree char *e = error_text("case,activity,timestamp\nc1,a,2024-01-01\nc1,\"b,2024-01-02\n");
  ck_assert_str_eq(e, "F:3: unterminated quoted field");
  g_autofree char *e2 = error_text("case,activity,timestamp\nc1,\"a\"x,2024-01-01\n");
  ck_assert_str_eq(e2, "F:2: unexpected 'x' after a closing quote");
}
END_TEST

START_TEST(test_blank_lines_and_empty_cells)
{
  g_autoptr(CxLog) log = log_for("case,activity,timestamp\n\n"
                                 "c1,a,2024-01-01\r\n\r\n"
                                 "c1,b,\n"
                                 ",c,2024-01-03\n"
                                 "c1,,2024-01-04\n\n",
                                 -1);
  g_autofree char *s = scan(log);
  ck_assert_str_eq(s, "c1: a@2024-01-01T00:00:00 b@-\n");
  const CxReadCounts *c = cx_log_counts(log);
  ck_assert_uint_eq(c->events_read, 4);
  ck_assert_uint_eq(c->no_timestamp, 1);
  ck_assert_uint_eq(c->no_case, 1);
  ck_assert_uint_eq(c->no_activity, 1);
}
END_TEST

static char *
shuffled(const char *path, guint32 seed)
{
  g_autofree char *text = NULL;
  ck_assert(g_file_get_contents(path, &text, NULL, NULL));
  g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
  guint n = g_strv_length(lines);
  while (n > 1 && lines[n - 1][0] == '\0')
    n--;
  g_autoptr(GRand) rand = g_rand_new_with_seed(seed);
  for (guint i = n - 1; i > 1; i--) {
    guint j = (guint)g_rand_int_range(rand, 1, (gint32)i + 1);
    char *t = lines[i];
    lines[i] = lines[j];
    lines[j] = t;
  }
  g_autoptr(GString) out = g_string_new(NULL);
  for (guint i = 0; i < n; i++)
    g_string_append_printf(out, "%s\n", lines[i]);
  return g_string_free(g_steal_pointer(&out), FALSE);
}

static int
cmp_str(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

START_TEST(test_shuffled_equals_sorted)
{
  g_autofree char *path = fixture_path("running-example.csv");
  g_autoptr(CxLog) log = cx_log_new();
  cx_log_add_source(log, path, CX_FORMAT_AUTO, NULL);
  g_autofree char *ref = scan(log);
  ck_assert_uint_eq(cx_log_counts(log)->cases_kept, 6);
  ck_assert_ptr_nonnull(strstr(ref, "3 [creator=Fluxicon Nitro]: register request@"
                                    "2010-12-30T13:32:00/Pete examine casually@"));
  g_autofree char *ref_sorted = NULL;
  {
    g_auto(GStrv) lines = g_strsplit(ref, "\n", -1);
    qsort(lines, g_strv_length(lines), sizeof(char *), cmp_str);
    ref_sorted = g_strjoinv("\n", lines);
  }
  for (guint32 seed = 1; seed <= 3; seed++) {
    g_autofree char *csv = shuffled(path, seed);
    g_autoptr(CxLog) l2 = log_for(csv, -1);
    g_autofree char *s = scan(l2);
    g_auto(GStrv) lines = g_strsplit(s, "\n", -1);
    qsort(lines, g_strv_length(lines), sizeof(char *), cmp_str);
    g_autofree char *got = g_strjoinv("\n", lines);
    ck_assert_str_eq(got, ref_sorted);
  }
}
END_TEST

START_TEST(test_multiple_activity_columns)
{
  g_autoptr(CxLog) log = log_for("case;theme;topic;date\nc1;services;payment;2016-01-12\n"
                                 "c1;services;;2016-01-13\nc1;;;2016-01-14\n",
                                 -1);
  cx_log_options(log)->activity_cols = g_strsplit("theme,topic", ",", -1);
  g_autofree char *s = scan(log);
  ck_assert_str_eq(s,
                   "c1: services | payment@2016-01-12T00:00:00 services | @2016-01-13T00:00:00\n");
  ck_assert_uint_eq(cx_log_counts(log)->no_activity, 1);
}
END_TEST

START_TEST(test_epoch_columns)
{
  g_autofree char *s = scan_text("case,activity,timestamp\n"
                                 "c1,a,1704099600\n"
                                 "c1,b,1704099660500\n"
                                 "c1,c,1704099720.25\n");
  ck_assert_str_eq(s, "c1: a@2024-01-01T09:00:00 b@2024-01-01T09:01:00.500000 "
                      "c@2024-01-01T09:02:00.250000\n");
}
END_TEST

START_TEST(test_day_month_from_column)
{
  /* the proof comes in the third row: the first two are read day-first too */
  g_autoptr(CxLog) log = log_for("case,activity,timestamp\nc1,a,01/02/2024 10:00\n"
                                 "c1,b,03/02/2024\nc1,c,25/02/2024\n",
                                 -1);
  g_autofree char *s = scan(log);
  ck_assert_str_eq(s, "c1: a@2024-02-01T10:00:00 b@2024-02-03T00:00:00 c@2024-02-25T00:00:00\n");
  ck_assert_uint_eq(cx_log_counts(log)->dates_guessed, 0);

  g_autofree char *m = scan_text("case,activity,timestamp\nc1,a,01/02/2024 10:00\n"
                                 "c1,b,03/02/2024\nc1,c,02/25/2024\n");
  ck_assert_str_eq(m, "c1: a@2024-01-02T10:00:00 c@2024-02-25T00:00:00 b@2024-03-02T00:00:00\n");

  /* nothing decides: day-first, counted */
  g_autoptr(CxLog) log3 = log_for("case,activity,timestamp\nc1,a,01/02/2024\nc1,b,03/02/2024\n"
                                  "c1,c,\n",
                                  -1);
  g_autofree char *g = scan(log3);
  ck_assert_str_eq(g, "c1: a@2024-02-01T00:00:00 b@2024-02-03T00:00:00 c@-\n");
  ck_assert_uint_eq(cx_log_counts(log3)->dates_guessed, 2);

  /* evidence both ways */
  g_autofree char *e = error_text("case,activity,timestamp\nc1,a,13/02/2024\nc1,b,02/13/2024\n");
  ck_assert_str_eq(e, "F:3: timestamp '02/13/2024' in column 'timestamp' contradicts the day/month "
                      "order of earlier rows: pass --timestamp-format");
}
END_TEST

START_TEST(test_day_month_guess_proven_wrong)
{
  g_autoptr(GString) csv = g_string_new("case,activity,timestamp\n");
  for (int i = 0; i < CX_TIMEFMT_LOOKAHEAD; i++)
    g_string_append_printf(csv, "c%d,a,0%d/0%d/2024\n", i % 10, 1 + i % 9, 1 + i % 7);
  g_string_append(csv, "c1,b,01/25/2024\n");
  g_autoptr(CxLog) log = log_for(csv->str, (gssize)csv->len);
  g_autofree char *e = scan_error(log);
  ck_assert_str_eq(e, "F:10002: timestamp '01/25/2024' in column 'timestamp' is month-first, but "
                      "earlier rows were read day-first: pass --timestamp-format (e.g. "
                      "'%m/%d/%Y %H:%M')");
}
END_TEST

START_TEST(test_explicit_pattern)
{
  g_autoptr(CxLog) log = log_for("case,activity,timestamp\nc1,a,01/02/2024 10:00\n", -1);
  cx_log_options(log)->timestamp_format = g_strdup("%m/%d/%Y %H:%M");
  g_autofree char *s = scan(log);
  ck_assert_str_eq(s, "c1: a@2024-01-02T10:00:00\n");

  g_autoptr(CxLog) log2 = log_for("case,activity,timestamp\nc1,a,01/02/2024 10:00\n", -1);
  cx_log_options(log2)->timestamp_format = g_strdup("%Q");
  g_autofree char *e = scan_error(log2);
  ck_assert_str_eq(
      e, "timestamp pattern '%Q': unknown directive '%Q' (use %Y %m %d %H %M %S %f %z %b)");
}
END_TEST

START_TEST(test_timezone_naive)
{
  g_autoptr(CxLog) log = log_for("case,activity,timestamp\n"
                                 "c1,a,2024-03-31 01:30:00\n"
                                 "c1,b,31.03.2024 03:30\n"
                                 "c1,c,2024-10-27 12:00:00+00:00\n",
                                 -1);
  cx_log_options(log)->timezone = g_strdup("Europe/Amsterdam");
  g_autofree char *s = scan(log);
  /* 01:30 CET and 03:30 CEST are one hour apart across the change */
  ck_assert_str_eq(s, "c1: a@2024-03-31T00:30:00 b@2024-03-31T01:30:00 c@2024-10-27T12:00:00\n");
  ck_assert(cx_log_counts(log)->naive_times);
}
END_TEST

START_TEST(test_start_and_lifecycle)
{
  g_autofree char *s = scan_text("case;activity;start;end\n"
                                 "1;pay;16.01.2017 13:29;16.01.2017 13:40\n"
                                 "1;book;16.01.2017 08:00;\n");
  ck_assert_str_eq(s,
                   "1: book@-<2017-01-16T08:00:00 pay@2017-01-16T13:40:00<2017-01-16T13:29:00\n");
  g_autofree char *p = scan_text("case,activity,timestamp,lifecycle:transition\n"
                                 "1,a,2024-01-01 10:00,start\n"
                                 "1,a,2024-01-01 10:05,COMPLETE\n");
  ck_assert_str_eq(p, "1: a@2024-01-01T10:05:00<2024-01-01T10:00:00\n");
  /* "" turns detection off */
  g_autoptr(CxLog) log
      = log_for("case;activity;start;end\n1;pay;16.01.2017 13:29;16.01.2017 13:40\n", -1);
  cx_log_options(log)->start_col = g_strdup("");
  g_autofree char *n = scan(log);
  ck_assert_str_eq(n, "1: pay@2017-01-16T13:40:00\n");
}
END_TEST

START_TEST(test_where_attributes)
{
  const char *csv
      = "case:concept:name,concept:name,time:timestamp,org:resource,case:creator,Costs\n"
        "c1,register,2024-01-01,Pete,Nitro,50\n"
        "c2,register,2024-01-02,Sue,Disco,60\n"
        "c2,decide,2024-01-03,Sue,Disco,70\n";
  g_autoptr(CxLog) log = log_for(csv, -1);
  ck_assert(cx_read_options_add_filter(cx_log_options(log), "where", "Costs=70", NULL));
  g_autofree char *s = scan(log);
  ck_assert_str_eq(s, "c2 [creator=Disco]: register@2024-01-02T00:00:00/Sue "
                      "decide@2024-01-03T00:00:00/Sue\n");
  g_autoptr(CxLog) log2 = log_for(csv, -1);
  ck_assert(cx_read_options_add_filter(cx_log_options(log2), "where", "creator=Nitro", NULL));
  g_autofree char *s2 = scan(log2);
  ck_assert_str_eq(s2, "c1 [creator=Nitro]: register@2024-01-01T00:00:00/Pete\n");
}
END_TEST

START_TEST(test_big_field_across_chunks)
{
  /* a quoted field larger than the read buffer, with quotes and newlines */
  g_autoptr(GString) big = g_string_new(NULL);
  for (int i = 0; i < 100000; i++)
    g_string_append(big, i % 1000 == 0 ? "\"\"\n" : "xyz");
  g_autoptr(GString) csv = g_string_new("case,activity,timestamp\n");
  g_autofree char *quoted = NULL;
  {
    g_autoptr(GString) q = g_string_new(big->str);
    g_string_replace(q, "\"\"", "\"\"\"\"", 0);
    quoted = g_string_free(g_steal_pointer(&q), FALSE);
  }
  g_string_append_printf(csv, "c1,\"%s\",2024-01-01\nc1,b,2024-01-02\n", quoted);
  g_autoptr(CxLog) log = log_for(csv->str, (gssize)csv->len);
  g_autofree char *s = scan(log);
  g_autoptr(GString) want = g_string_new("c1: ");
  g_string_append(want, big->str);
  g_string_append(want, "@2024-01-01T00:00:00 b@2024-01-02T00:00:00\n");
  ck_assert_uint_eq(strlen(s), want->len);
  ck_assert(strcmp(s, want->str) == 0);
}
END_TEST

START_TEST(test_helpdesk_head)
{
  g_autofree char *path = fixture_path("helpdesk_head.csv");
  g_autoptr(CxLog) log = cx_log_new();
  cx_log_add_source(log, path, CX_FORMAT_AUTO, NULL);
  g_autofree char *s = scan(log);
  ck_assert_ptr_nonnull(strstr(s, "Case 1: Assign seriousness@2012-10-09T14:50:17/Value 1 "
                                  "Take in charge ticket@2012-10-09T14:51:01/Value 1"));
  ck_assert_uint_eq(cx_log_counts(log)->events_read, 59);
}
END_TEST

static Suite *
csv_suite(void)
{
  Suite *s = suite_create("csv-reader");
  TCase *tc = tcase_create("core");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, test_basic_mapping);
  tcase_add_test(tc, test_disco_names);
  tcase_add_test(tc, test_quotes_bom_crlf);
  tcase_add_test(tc, test_line_numbers_after_multiline);
  tcase_add_test(tc, test_delimiters);
  tcase_add_test(tc, test_field_ends_at_every_place);
  tcase_add_test(tc, test_trailing_delimiter);
  tcase_add_test(tc, test_latin1_whole_file);
  tcase_add_test(tc, test_latin1_late);
  tcase_add_test(tc, test_field_count_error);
  tcase_add_test(tc, test_missing_columns);
  tcase_add_test(tc, test_ambiguous_column);
  tcase_add_test(tc, test_bad_timestamp);
  tcase_add_test(tc, test_binary_data);
  tcase_add_test(tc, test_empty_inputs);
  tcase_add_test(tc, test_unterminated_quote);
  tcase_add_test(tc, test_blank_lines_and_empty_cells);
  tcase_add_test(tc, test_shuffled_equals_sorted);
  tcase_add_test(tc, test_multiple_activity_columns);
  tcase_add_test(tc, test_epoch_columns);
  tcase_add_test(tc, test_day_month_from_column);
  tcase_add_test(tc, test_day_month_guess_proven_wrong);
  tcase_add_test(tc, test_explicit_pattern);
  tcase_add_test(tc, test_timezone_naive);
  tcase_add_test(tc, test_start_and_lifecycle);
  tcase_add_test(tc, test_where_attributes);
  tcase_add_test(tc, test_big_field_across_chunks);
  tcase_add_test(tc, test_helpdesk_head);
  suite_add_tcase(s, tc);
  return s;
}

int
main(void)
{
  SRunner *sr = srunner_create(csv_suite());
  srunner_run_all(sr, CK_ENV);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
