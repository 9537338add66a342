/* Journeys written back out as an event log (log-writer.h), on hand-made
 * XES and CSV logs: written then read back with cx_log_scan, the same
 * cases, instances, times, resources, channels and attributes (with their
 * XES types); a hostile string <&"'> round-trips; start times become a
 * start and a complete event; gzip; the file appears only on close; the
 * errors of log-writer.h; the format by name; the time format. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cxmine/cxmine.h"
#include "cxmine/log-writer.h"
#include "csv-log.h"
#include "test-util.h"

/* c<&"'>1: a (10:00, ann, web, typed attributes), "b, c" (12:00.123456);
 * c2: a (09:00), then z without a timestamp (placed after it). */
static const char *const LOG_XES
    = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<log xes.version=\"1849-2016\">\n"
      " <trace>\n"
      "  <string key=\"concept:name\" value=\"c&lt;&amp;&quot;&apos;&gt;1\"/>\n"
      "  <int key=\"amount\" value=\"42\"/>\n"
      "  <string key=\"note\" value=\"&lt;&amp;&quot;&apos;&gt;\"/>\n"
      "  <event>\n"
      "   <string key=\"concept:name\" value=\"a\"/>\n"
      "   <date key=\"time:timestamp\" value=\"2024-01-01T10:00:00.000Z\"/>\n"
      "   <string key=\"org:resource\" value=\"ann\"/>\n"
      "   <string key=\"channel\" value=\"web\"/>\n"
      "   <float key=\"cost\" value=\"2.5\"/>\n"
      "   <boolean key=\"ok\" value=\"true\"/>\n"
      "   <string key=\"memo\" value=\"say &quot;hi&quot;, &lt;&amp;&quot;&apos;&gt;\"/>\n"
      "  </event>\n"
      "  <event>\n"
      "   <string key=\"concept:name\" value=\"b, c\"/>\n"
      "   <date key=\"time:timestamp\" value=\"2024-01-01T12:00:00.123456Z\"/>\n"
      "   <int key=\"n\" value=\"7\"/>\n"
      "   <date key=\"due\" value=\"2024-02-01T00:00:00.000Z\"/>\n"
      "   <id key=\"ref\" value=\"x-1\"/>\n"
      "   <string key=\"memo\" value=\" padded \"/>\n"
      "  </event>\n"
      " </trace>\n"
      " <trace>\n"
      "  <string key=\"concept:name\" value=\"c2\"/>\n"
      "  <event>\n"
      "   <string key=\"concept:name\" value=\"a\"/>\n"
      "   <date key=\"time:timestamp\" value=\"2024-01-01T09:00:00.000Z\"/>\n"
      "  </event>\n"
      "  <event>\n"
      "   <string key=\"concept:name\" value=\"z\"/>\n"
      "  </event>\n"
      " </trace>\n"
      "</log>\n";

static const char *const TYPE_NAMES[] = { "string", "date", "int", "float", "boolean", "id" };

/* One attribute as "key=value:type" (@types) or "key=value". */
static void
describe_attr(GString *out, CxLog *log, const CxAttr *a, gboolean types)
{
  g_string_append_printf(out, " %s=%s", cx_pool_get(cx_log_keys(log), a->key),
                         cx_pool_get(cx_log_values(log), a->value));
  if (types)
    g_string_append_printf(out, ":%s", TYPE_NAMES[cx_log_key_type(log, a->key)]);
}

static gint
cmp_str(gconstpointer a, gconstpointer b)
{
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A journey as text, by names only (ids differ between logs). */
static void
describe(GString *out, CxLog *log, const CxJourney *j, gboolean types)
{
  g_string_append_printf(out, "[%s]", cx_pool_get(cx_log_cases(log), j->case_id));
  for (guint i = 0; i < j->n_attrs; i++)
    describe_attr(out, log, &j->attrs[i], types);
  g_string_append_c(out, '\n');
  for (guint i = 0; i < j->n_instances; i++) {
    const CxEvent *e = &j->instances[i];
    g_string_append_printf(out,
                           "  %s t=%" G_GINT64_FORMAT " s=%" G_GINT64_FORMAT " r=%s ch=%s lc=%u",
                           cx_pool_get(cx_log_activities(log), e->activity), e->time, e->start,
                           cx_pool_get(cx_log_resources(log), e->resource),
                           cx_pool_get(cx_log_channels(log), e->channel), e->flags);
    /* sorted: a CSV gives them in the order of its columns */
    g_autoptr(GPtrArray) attrs = g_ptr_array_new_with_free_func(g_free);
    for (guint k = j->event_attr_at ? j->event_attr_at[i] : 0;
         j->event_attr_at != NULL && k < j->event_attr_at[i + 1]; k++) {
      g_autoptr(GString) one = g_string_new(NULL);
      describe_attr(one, log, &j->event_attrs[k], types);
      g_ptr_array_add(attrs, g_string_free(g_steal_pointer(&one), FALSE));
    }
    g_ptr_array_sort(attrs, cmp_str);
    for (guint k = 0; k < attrs->len; k++)
      g_string_append(out, g_ptr_array_index(attrs, k));
    g_string_append_c(out, '\n');
  }
}

typedef struct {
  CxLog *log;
  GString *text;
  CxLogWriter *w; /* NULL: describe only */
  gboolean types;
} Ctx;

static gboolean
describe_and_write(const CxJourney *j, gpointer data, GError **error)
{
  Ctx *x = data;
  describe(x->text, x->log, j, x->types);
  return x->w == NULL || cx_log_writer_add(j, x->w, error);
}

static void
reset_text(gpointer data)
{
  g_string_truncate(((Ctx *)data)->text, 0);
}

/* The journeys of the log at @path (every event attribute kept). */
static char *
describe_file(const char *path, CxFormat format, gboolean types)
{
  g_autoptr(CxLog) log = cx_log_new();
  cx_log_options(log)->event_attrs = TRUE;
  cx_log_add_source(log, path, format, NULL);
  g_autoptr(GString) text = g_string_new(NULL);
  Ctx x = { log, text, NULL, types };
  g_autoptr(GError) error = NULL;
  ck_assert_msg(cx_log_scan(log, describe_and_write, reset_text, &x, &error), "%s: %s", path,
                error ? error->message : "");
  return g_strdup(text->str);
}

/* Scans @c (every event attribute kept) into a writer of @out; returns
 * the journeys as scanned; @cases and @events get the writer's counts. */
static char *
write_log(CsvLog *c, const char *out, gsize buffer, gboolean types, guint64 *cases, guint64 *events)
{
  cx_log_options(c->log)->event_attrs = TRUE;
  g_autoptr(GError) error = NULL;
  g_autoptr(CxLogWriter) w = cx_log_writer_new(c->log, out, CX_LOG_WRITE_AUTO, buffer, &error);
  ck_assert_msg(w != NULL, "%s", error ? error->message : "");
  g_autoptr(GString) text = g_string_new(NULL);
  Ctx x = { c->log, text, w, types };
  csv_log_scan(c, describe_and_write, reset_text, &x);
  ck_assert(!g_file_test(out, G_FILE_TEST_EXISTS)); /* only on close */
  ck_assert_msg(cx_log_writer_close(w, &error), "%s", error ? error->message : "");
  *cases = cx_log_writer_cases(w);
  *events = cx_log_writer_events(w);
  return g_strdup(text->str);
}

/* An XES log at @c (a CsvLog over an XES text). */
static void
xes_log_open(CsvLog *c, const char *xes)
{
  *c = (CsvLog){ 0 };
  c->path = csv_log_write(c, "in.xes", xes);
  c->log = cx_log_new();
  cx_log_add_source(c->log, c->path, CX_FORMAT_XES, NULL);
}

static char *
file_text(const char *path)
{
  char *s = NULL;
  ck_assert(g_file_get_contents(path, &s, NULL, NULL));
  return s;
}

static guint
files_in(const char *dir)
{
  GDir *d = g_dir_open(dir, 0, NULL);
  guint n = 0;
  while (g_dir_read_name(d) != NULL)
    n++;
  g_dir_close(d);
  return n;
}

START_TEST(test_xes_round_trip)
{
  CsvLog c;
  xes_log_open(&c, LOG_XES);
  g_autofree char *out = g_build_filename(c.dir, "out.xes", NULL);
  guint64 cases, events;
  g_autofree char *before = write_log(&c, out, 0, TRUE, &cases, &events);
  ck_assert_uint_eq(cases, 2);
  ck_assert_uint_eq(events, 4);
  ck_assert_uint_eq(files_in(c.dir), 2); /* in.xes, out.xes: no temporary left */
  /* what was read, counted by hand */
  ck_assert_str_eq(before,
                   "[c<&\"'>1] amount=42:int note=<&\"'>:string\n"
                   "  a t=1704103200000000 s=-9223372036854775808 r=ann ch=web lc=0"
                   " cost=2.5:float memo=say \"hi\", <&\"'>:string ok=true:boolean\n"
                   "  b, c t=1704110400123456 s=-9223372036854775808 r= ch= lc=0"
                   " due=2024-02-01T00:00:00Z:date memo= padded :string n=7:int ref=x-1:id\n"
                   "[c2]\n"
                   "  a t=1704099600000000 s=-9223372036854775808 r= ch= lc=0\n"
                   "  z t=-9223372036854775808 s=-9223372036854775808 r= ch= lc=4\n");
  g_autofree char *after = describe_file(out, CX_FORMAT_XES, TRUE);
  ck_assert_str_eq(after, before);
  /* the elements themselves */
  g_autofree char *xml = file_text(out);
  ck_assert_ptr_nonnull(strstr(xml, "<log xes.version=\"1849-2016\""));
  ck_assert_ptr_nonnull(strstr(xml, "<int key=\"amount\" value=\"42\"/>"));
  ck_assert_ptr_nonnull(strstr(xml, "<boolean key=\"ok\" value=\"true\"/>"));
  ck_assert_ptr_nonnull(strstr(xml, "<id key=\"ref\" value=\"x-1\"/>"));
  ck_assert_ptr_nonnull(strstr(xml, "value=\"2024-01-01T12:00:00.123456Z\""));
  ck_assert_ptr_nonnull(strstr(xml, "value=\"2024-01-01T10:00:00.000Z\""));
  ck_assert_ptr_null(strstr(xml, "<&\"'>")); /* never raw in XML */
  csv_log_close(&c);
}
END_TEST

START_TEST(test_csv_round_trip)
{
  CsvLog c;
  xes_log_open(&c, LOG_XES);
  g_autofree char *out = g_build_filename(c.dir, "out.csv", NULL);
  guint64 cases, events;
  g_autofree char *before = write_log(&c, out, 0, FALSE, &cases, &events);
  ck_assert_uint_eq(cases, 2);
  ck_assert_uint_eq(events, 4);
  ck_assert_uint_eq(files_in(c.dir), 2); /* no spool or temporary left */
  g_autofree char *csv = file_text(out);
  ck_assert_str_eq(
      csv, "case_id,activity,timestamp,resource,channel,lifecycle,case:amount,case:note,"
           "cost,ok,memo,n,due,ref\r\n"
           "\"c<&\"\"'>1\",a,2024-01-01T10:00:00.000Z,ann,web,complete,42,\"<&\"\"'>\",2.5,true,"
           "\"say \"\"hi\"\", <&\"\"'>\",,,\r\n"
           "\"c<&\"\"'>1\",\"b, c\",2024-01-01T12:00:00.123456Z,,,complete,42,\"<&\"\"'>\",,,"
           "\" padded \",7,2024-02-01T00:00:00Z,x-1\r\n"
           "c2,a,2024-01-01T09:00:00.000Z,,,complete,,,,,,,,\r\n"
           "c2,z,,,,complete,,,,,,,,\r\n");
  /* read back: the same journeys (a CSV has no types) */
  g_autofree char *after = describe_file(out, CX_FORMAT_CSV, FALSE);
  ck_assert_str_eq(after, before);
  csv_log_close(&c);
}
END_TEST

/* an instance with a start time: two XES events, one CSV row with a
 * start_timestamp; both read back as the one paired instance */
START_TEST(test_start_times)
{
  CsvLog c;
  csv_log_open(&c, "case,activity,timestamp,start\n"
                   "k,a,2024-01-01T11:00:00Z,2024-01-01T10:00:00Z\n"
                   "k,b,2024-01-01T12:00:00Z,\n");
  g_autofree char *xes = g_build_filename(c.dir, "out.xes", NULL);
  g_autofree char *csv = g_build_filename(c.dir, "out.csv", NULL);
  guint64 cases, events;
  g_autofree char *before = write_log(&c, xes, 0, FALSE, &cases, &events);
  ck_assert_str_eq(before, "[k]\n"
                           "  a t=1704106800000000 s=1704103200000000 r= ch= lc=0\n"
                           "  b t=1704110400000000 s=-9223372036854775808 r= ch= lc=0\n");
  ck_assert_uint_eq(cases, 1);
  ck_assert_uint_eq(events, 3); /* a start, a complete, b complete */
  g_autofree char *xml = file_text(xes);
  ck_assert_ptr_nonnull(strstr(xml, "value=\"start\""));
  g_autofree char *x_after = describe_file(xes, CX_FORMAT_XES, FALSE);
  ck_assert_str_eq(x_after, before);

  g_free(write_log(&c, csv, 0, FALSE, &cases, &events));
  ck_assert_uint_eq(events, 2);
  g_autofree char *text = file_text(csv);
  ck_assert_str_eq(text, "case_id,activity,timestamp,start_timestamp,resource,channel,lifecycle\r\n"
                         "k,a,2024-01-01T11:00:00.000Z,2024-01-01T10:00:00.000Z,,,complete\r\n"
                         "k,b,2024-01-01T12:00:00.000Z,,,,complete\r\n");
  g_autofree char *c_after = describe_file(csv, CX_FORMAT_CSV, FALSE);
  ck_assert_str_eq(c_after, before);
  csv_log_close(&c);
}
END_TEST

/* ".gz": gzip, in several members when the buffer is small */
START_TEST(test_gzip)
{
  static const char *const names[] = { "out.xes.gz", "out.csv.gz" };
  for (guint k = 0; k < G_N_ELEMENTS(names); k++) {
    CsvLog c;
    xes_log_open(&c, LOG_XES);
    g_autofree char *out = g_build_filename(c.dir, names[k], NULL);
    guint64 cases, events;
    g_autofree char *before = write_log(&c, out, 64, k == 0, &cases, &events);
    gchar *raw = NULL;
    gsize len = 0;
    ck_assert(g_file_get_contents(out, &raw, &len, NULL));
    ck_assert_uint_ge(len, 2);
    ck_assert_uint_eq((guint8)raw[0], 0x1f);
    ck_assert_uint_eq((guint8)raw[1], 0x8b);
    /* a second member somewhere after the first */
    gboolean second = FALSE;
    for (gsize i = 10; i + 2 < len && !second; i++)
      second = (guint8)raw[i] == 0x1f && (guint8)raw[i + 1] == 0x8b && (guint8)raw[i + 2] == 8;
    ck_assert_msg(second, "%s: one gzip member", names[k]);
    g_free(raw);
    g_autofree char *after = describe_file(out, k == 0 ? CX_FORMAT_XES : CX_FORMAT_CSV, k == 0);
    ck_assert_str_eq(after, before);
    csv_log_close(&c);
  }
}
END_TEST

/* what was at the path stays until close; a writer freed unclosed leaves
 * it and no temporary file */
START_TEST(test_atomic)
{
  CsvLog c;
  csv_log_open(&c, "case,activity,timestamp\nk,a,2024-01-01T10:00:00Z\n");
  g_autofree char *out = csv_log_write(&c, "out.csv", "old");
  for (guint close = 0; close < 2; close++) {
    g_autoptr(GError) error = NULL;
    CxLogWriter *w = cx_log_writer_new(c.log, out, CX_LOG_WRITE_AUTO, 0, &error);
    ck_assert_ptr_nonnull(w);
    ck_assert_uint_gt(files_in(c.dir), 2); /* the temporary beside it */
    Ctx x = { c.log, g_string_new(NULL), w, FALSE };
    csv_log_scan(&c, describe_and_write, reset_text, &x);
    g_string_free(x.text, TRUE);
    g_autofree char *mid = file_text(out);
    ck_assert_str_eq(mid, "old");
    if (close)
      ck_assert(cx_log_writer_close(w, &error));
    cx_log_writer_free(w);
    ck_assert_uint_eq(files_in(c.dir), 2);
    g_autofree char *end = file_text(out);
    ck_assert_str_eq(end, close ? "case_id,activity,timestamp,resource,channel,lifecycle\r\n"
                                  "k,a,2024-01-01T10:00:00.000Z,,,complete\r\n"
                                : "old");
  }
  csv_log_close(&c);
}
END_TEST

START_TEST(test_errors)
{
  CsvLog c;
  csv_log_open(&c, "case,activity,timestamp\nk,a,2024-01-01T10:00:00Z\n");
  g_autoptr(GError) error = NULL;
  /* a directory */
  ck_assert_ptr_null(cx_log_writer_new(c.log, c.dir, CX_LOG_WRITE_XES, 0, &error));
  test_assert_error(error, CX_LOG_WRITER_ERROR, CX_LOG_WRITER_ERROR_IS_DIRECTORY);
  g_autofree char *is_dir = g_strdup_printf("%s: is a directory", c.dir);
  ck_assert_str_eq(error->message, is_dir);
  g_clear_error(&error);
  /* a folder that does not exist, or is a file: no temporary file */
  g_autofree char *missing = g_build_filename(c.dir, "no", "out.xes", NULL);
  g_autofree char *under_file = g_build_filename(c.path, "out.csv", NULL);
  const char *const bad[] = { missing, under_file };
  for (guint k = 0; k < G_N_ELEMENTS(bad); k++) {
    ck_assert_ptr_null(cx_log_writer_new(c.log, bad[k], CX_LOG_WRITE_AUTO, 0, &error));
    test_assert_error(error, CX_LOG_WRITER_ERROR, CX_LOG_WRITER_ERROR_CREATE);
    ck_assert(g_str_has_prefix(error->message, bad[k]));
    g_clear_error(&error);
  }
  /* a folder without write permission (root may write anyway) */
  if (geteuid() != 0) {
    g_autofree char *ro = g_build_filename(c.dir, "ro", NULL);
    ck_assert_int_eq(g_mkdir(ro, 0555), 0);
    g_autofree char *in_ro = g_build_filename(ro, "out.xes", NULL);
    ck_assert_ptr_null(cx_log_writer_new(c.log, in_ro, CX_LOG_WRITE_AUTO, 0, &error));
    test_assert_error(error, CX_LOG_WRITER_ERROR, CX_LOG_WRITER_ERROR_CREATE);
    g_clear_error(&error);
    g_rmdir(ro);
  }
  ck_assert_uint_eq(files_in(c.dir), 1); /* nothing left behind */
  /* a device that takes no bytes: the write fails, at close at the latest */
  if (g_file_test("/dev/full", G_FILE_TEST_EXISTS)) {
    for (CxLogWriteFormat f = CX_LOG_WRITE_XES; f <= CX_LOG_WRITE_CSV; f++) {
      CxLogWriter *w = cx_log_writer_new(c.log, "/dev/full", f, 0, &error);
      ck_assert_msg(w != NULL, "%s", error ? error->message : "");
      Ctx x = { c.log, g_string_new(NULL), w, FALSE };
      gboolean ok = cx_log_scan(c.log, describe_and_write, reset_text, &x, &error);
      g_string_free(x.text, TRUE);
      ok = ok && cx_log_writer_close(w, &error);
      ck_assert(!ok);
      test_assert_error(error, CX_LOG_WRITER_ERROR, CX_LOG_WRITER_ERROR_WRITE);
      ck_assert_ptr_nonnull(strstr(error->message, "/dev/full: cannot write: "));
      g_clear_error(&error);
      cx_log_writer_free(w);
    }
  }
  csv_log_close(&c);
}
END_TEST

START_TEST(test_format_for)
{
  ck_assert_int_eq(cx_log_write_format_for("a.csv", CX_LOG_WRITE_AUTO), CX_LOG_WRITE_CSV);
  ck_assert_int_eq(cx_log_write_format_for("d/a.csv.gz", CX_LOG_WRITE_AUTO), CX_LOG_WRITE_CSV);
  ck_assert_int_eq(cx_log_write_format_for("a.xes", CX_LOG_WRITE_AUTO), CX_LOG_WRITE_XES);
  ck_assert_int_eq(cx_log_write_format_for("a.xes.gz", CX_LOG_WRITE_AUTO), CX_LOG_WRITE_XES);
  ck_assert_int_eq(cx_log_write_format_for("a.txt", CX_LOG_WRITE_AUTO), CX_LOG_WRITE_XES);
  ck_assert_int_eq(cx_log_write_format_for("a.csv.bak", CX_LOG_WRITE_AUTO), CX_LOG_WRITE_XES);
  ck_assert_int_eq(cx_log_write_format_for("-", CX_LOG_WRITE_AUTO), CX_LOG_WRITE_XES);
  /* a format given wins over the name */
  ck_assert_int_eq(cx_log_write_format_for("a.csv", CX_LOG_WRITE_XES), CX_LOG_WRITE_XES);
  ck_assert_int_eq(cx_log_write_format_for("a.xes", CX_LOG_WRITE_CSV), CX_LOG_WRITE_CSV);
}
END_TEST

START_TEST(test_format_time)
{
  static const struct {
    gint64 t;
    const char *want;
  } cases[] = {
    { 0, "1970-01-01T00:00:00.000Z" },
    { CSV_LOG_T0 + 123456, "2024-01-01T00:00:00.123456Z" },
    { CSV_LOG_T0 + 5000, "2024-01-01T00:00:00.005Z" },
    { CSV_LOG_T0 + 5, "2024-01-01T00:00:00.000005Z" },
    { -1, "1969-12-31T23:59:59.999999Z" },
    { -CX_USEC_PER_SEC, "1969-12-31T23:59:59.000Z" },
    { G_GINT64_CONSTANT(951782400) * CX_USEC_PER_SEC, "2000-02-29T00:00:00.000Z" },
    { G_GINT64_CONSTANT(951868799) * CX_USEC_PER_SEC + 999000, "2000-02-29T23:59:59.999Z" },
  };
  for (guint k = 0; k < G_N_ELEMENTS(cases); k++) {
    char buf[40];
    gsize n = cx_log_writer_format_time(cases[k].t, buf);
    ck_assert_str_eq(buf, cases[k].want);
    ck_assert_uint_eq(n, strlen(cases[k].want));
  }
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("log-writer");
  TCase *tc = tcase_create("log-writer");
  tcase_add_test(tc, test_xes_round_trip);
  tcase_add_test(tc, test_csv_round_trip);
  tcase_add_test(tc, test_start_times);
  tcase_add_test(tc, test_gzip);
  tcase_add_test(tc, test_atomic);
  tcase_add_test(tc, test_errors);
  tcase_add_test(tc, test_format_for);
  tcase_add_test(tc, test_format_time);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_ENV);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
