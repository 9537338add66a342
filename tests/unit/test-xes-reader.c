/* Tests for the streaming XES reader: XES strings through a sink that
 * records every journey as one line of text. */
#include <check.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include "reader-private.h"
#include "test-util.h"
#include "cxmine/timestamp.h"

typedef struct {
  CxLog *log;
  GString *text;
  guint journeys;
} Rec;

/* One line per journey: "CASE{k=v,...}: ACT[r=..][c=..][s|o]@TIME ..." */
static gboolean
record(const CxJourney *j, gpointer data, GError **error)
{
  Rec *r = data;
  r->journeys++;
  GString *t = r->text;
  g_string_append(t, cx_pool_get(cx_log_cases(r->log), j->case_id));
  if (j->n_attrs > 0) {
    g_string_append_c(t, '{');
    for (guint i = 0; i < j->n_attrs; i++)
      g_string_append_printf(t, "%s%s=%s", i > 0 ? "," : "",
                             cx_pool_get(cx_log_keys(r->log), j->attrs[i].key),
                             cx_pool_get(cx_log_values(r->log), j->attrs[i].value));
    g_string_append_c(t, '}');
  }
  g_string_append_c(t, ':');
  for (guint i = 0; i < j->n_instances; i++) {
    const CxEvent *e = &j->instances[i];
    g_string_append_printf(t, " %s", cx_pool_get(cx_log_activities(r->log), e->activity));
    if (e->resource != CX_ID_NONE)
      g_string_append_printf(t, "[r=%s]", cx_pool_get(cx_log_resources(r->log), e->resource));
    if (e->channel != CX_ID_NONE)
      g_string_append_printf(t, "[c=%s]", cx_pool_get(cx_log_channels(r->log), e->channel));
    guint lc = e->flags & CX_EVENT_LIFECYCLE_MASK;
    if (lc == CX_LIFECYCLE_START)
      g_string_append(t, "[s]");
    else if (lc == CX_LIFECYCLE_OTHER)
      g_string_append(t, "[o]");
    if (e->time != CX_TS_NONE) {
      g_autofree char *iso = cx_time_format_iso(e->time);
      g_string_append_printf(t, "@%s", iso);
    }
  }
  g_string_append_c(t, '\n');
  return TRUE;
}

typedef void (*Configure)(CxReadOptions *o);

/* Reads @xes (grouped, lifecycle ALL) and returns the journeys as text, or
 * NULL with @error set. */
static char *
read_xes_full(const char *xes, gsize len, Configure conf, CxLog **log_out, guint *journeys,
              GError **error)
{
  CxLog *log = cx_log_new();
  CxReadOptions *o = cx_log_options(log);
  o->lifecycle = CX_LIFECYCLE_MODE_ALL;
  if (conf != NULL)
    conf(o);
  Rec rec = { log, g_string_new(NULL), 0 };
  g_autoptr(CxInput) in = cx_input_new_from_data("t.xes", xes, len);
  g_autoptr(CxSink) sink = cx_sink_new(log, record, &rec);
  gboolean ok = cx_xes_read(in, sink, o, error) && cx_sink_finish(sink, error);
  if (journeys != NULL)
    *journeys = rec.journeys;
  if (log_out != NULL)
    *log_out = log;
  else
    cx_log_free(log);
  char *s = g_string_free(rec.text, !ok);
  return ok ? s : NULL;
}

static char *
read_xes(const char *xes, Configure conf, GError **error)
{
  return read_xes_full(xes, strlen(xes), conf, NULL, NULL, error);
}

static void
assert_reads(const char *xes, Configure conf, const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *got = read_xes(xes, conf, &error);
  ck_assert_msg(got != NULL, "read failed: %s", error ? error->message : "?");
  ck_assert_str_eq(got, expected);
}

/* Asserts that @xes fails with @code and a message starting "t.xes:LINE:"
 * (LINE > 0) and containing @part; no journey may have been handed on. */
static void
assert_fails_len(const char *xes, gsize len, Configure conf, int code, const char *part)
{
  g_autoptr(GError) error = NULL;
  guint journeys = 99;
  g_autofree char *got = read_xes_full(xes, len, conf, NULL, &journeys, &error);
  ck_assert_msg(got == NULL, "accepted: %s", got);
  ck_assert_ptr_nonnull(error);
  ck_assert_msg(g_error_matches(error, CX_READER_ERROR, code), "code %d: %s", error->code,
                error->message);
  ck_assert_msg(strstr(error->message, part) != NULL, "'%s' lacks '%s'", error->message, part);
  ck_assert_msg(strchr(error->message, '\n') == NULL, "multi-line: %s", error->message);
  ck_assert_uint_eq(journeys, 0);
}

static void
assert_fails_at(const char *xes, Configure conf, int code, const char *part)
{
  assert_fails_len(xes, strlen(xes), conf, code, part);
  g_autoptr(GError) error = NULL;
  g_autofree char *got = read_xes(xes, conf, &error);
  ck_assert_msg(g_str_has_prefix(error->message, "t.xes:")
                    && g_ascii_isdigit(error->message[strlen("t.xes:")])
                    && error->message[strlen("t.xes:")] != '0',
                "no position: %s", error->message);
}

#define EV(act, extra) "<event><string key=\"concept:name\" value=\"" act "\"/>" extra "</event>"
#define TS(v)          "<date key=\"time:timestamp\" value=\"" v "\"/>"

/* ---------- namespaces ---------- */

START_TEST(test_namespaces)
{
  const char *body
      = "<trace><string key=\"concept:name\" value=\"c1\"/>" EV("A", TS("2024-01-01T09:00:00Z"))
          EV("B", "") "</trace>";
  const char *heads[] = {
    "<log>",
    "<log xmlns=\"http://www.xes-standard.org/\" xes.version=\"1.0\">",
    "<log xmlns=\"http://code.deckfour.org/xes\">",
  };
  for (gsize i = 0; i < G_N_ELEMENTS(heads); i++) {
    g_autofree char *x = g_strconcat("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", heads[i], body,
                                     "</log>", NULL);
    assert_reads(x, NULL, "c1: A@2024-01-01T09:00:00Z B\n");
  }
  /* a prefix bound to the XES namespace */
  assert_reads("<x:log xmlns:x=\"http://www.xes-standard.org/\"><x:trace>"
               "<x:string key=\"concept:name\" value=\"c1\"/><x:event>"
               "<x:string key=\"concept:name\" value=\"A\"/></x:event></x:trace></x:log>",
               NULL, "c1: A\n");
}
END_TEST

/* ---------- globals ---------- */

START_TEST(test_globals)
{
  const char *x
      = "<log><global scope=\"event\"><string key=\"concept:name\" value=\"__INVALID__\"/>"
        "<string key=\"org:resource\" value=\"UNKNOWN\"/>"
        "<string key=\"lifecycle:transition\" value=\"start\"/>"
        "<date key=\"time:timestamp\" value=\"1970-01-01T00:00:00Z\"/></global>"
        "<global scope=\"trace\"><string key=\"region\" value=\"DEFAULT\"/></global>"
        "<trace><string key=\"concept:name\" value=\"c1\"/>"
        "<event><string key=\"org:resource\" value=\"Ann\"/></event>" EV(
            "B",
            "<string key=\"lifecycle:transition\" value=\"complete\"/>") "</trace>"
                                                                         "<trace><string "
                                                                         "key=\"concept:name\" "
                                                                         "value=\"c2\"/>"
                                                                         "<string key=\"region\" "
                                                                         "value=\"North\"/>" EV(
                                                                             "C",
                                                                             "") "</trace></log>";
  assert_reads(x, NULL,
               "c1{region=DEFAULT}: __INVALID__[r=Ann][s] B[r=UNKNOWN]\n"
               "c2{region=North}: C[r=UNKNOWN][s]\n");
}
END_TEST

/* ---------- classifiers and activity keys ---------- */

static const char *classified
    = "<log><classifier name=\"Activity classifier\" keys=\"concept:name lifecycle:transition\"/>"
      "<classifier name=\"Code\" keys=\"'Activity code' lifecycle:transition\"/>"
      "<trace><string key=\"concept:name\" value=\"c1\"/>"
      "<event><string key=\"concept:name\" value=\"A_SUBMITTED\"/>"
      "<string key=\"Activity code\" value=\"A1\"/>"
      "<string key=\"lifecycle:transition\" value=\"COMPLETE\"/></event>"
      "<event><string key=\"concept:name\" value=\"W_Call\"/>"
      "<string key=\"lifecycle:transition\" value=\"START\"/></event></trace></log>";

static void
conf_classifier(CxReadOptions *o)
{
  o->classifier = g_strdup("Activity classifier");
}
static void
conf_quoted(CxReadOptions *o)
{
  o->classifier = g_strdup("Code");
}
static void
conf_missing(CxReadOptions *o)
{
  o->classifier = g_strdup("nope");
}
static void
conf_key(CxReadOptions *o)
{
  o->activity_key = g_strdup("Activity code");
}
static void
conf_both(CxReadOptions *o)
{
  o->classifier = g_strdup("Code");
  o->activity_key = g_strdup("Activity code");
}

START_TEST(test_classifier)
{
  assert_reads(classified, NULL, "c1: A_SUBMITTED W_Call[s]\n");
  assert_reads(classified, conf_classifier, "c1: A_SUBMITTED+COMPLETE W_Call+START[s]\n");
  /* quoted key with a space; the second event lacks it: empty part */
  assert_reads(classified, conf_quoted, "c1: A1+COMPLETE +START[s]\n");
  assert_reads(classified, conf_key, "c1: A1\n");
  assert_fails_at(classified, conf_missing, CX_READER_ERROR_MAPPING,
                  "unknown classifier 'nope' (declared: 'Activity classifier', 'Code')");
  g_autoptr(GError) error = NULL;
  g_autofree char *got = read_xes(classified, conf_both, &error);
  ck_assert_ptr_null(got);
  ck_assert(g_error_matches(error, CX_READER_ERROR, CX_READER_ERROR_MAPPING));
  /* missing classifier in a log without traces is still reported */
  g_clear_error(&error);
  g_autofree char *got2 = read_xes("<log/>", conf_missing, &error);
  ck_assert_ptr_null(got2);
  ck_assert(strstr(error->message, "the log declares none") != NULL);
}
END_TEST

/* ---------- nested attributes, lists, containers ---------- */

START_TEST(test_nested)
{
  const char *x
      = "<log><string key=\"concept:name\" value=\"log\"><string key=\"x\" value=\"y\"/></string>"
        "<trace><string key=\"concept:name\" value=\"c1\"><int key=\"n\" value=\"1\"/></string>"
        "<list key=\"tags\"><values><string key=\"t\" value=\"a\"/><list key=\"in\">"
        "<string key=\"t\" value=\"b\"/></list></values></list>"
        "<event><string key=\"concept:name\" value=\"A\">"
        "<string key=\"concept:name\" value=\"NOT_ME\"/></string>"
        "<container key=\"box\"><string key=\"concept:name\" value=\"NOR_ME\"/></container>"
        "<list key=\"l\"><string key=\"org:resource\" value=\"NOPE\"/></list>"
        "<unknown><event/></unknown></event></trace></log>";
  assert_reads(x, NULL, "c1: A\n");
}
END_TEST

/* ---------- timestamps ---------- */

START_TEST(test_timestamps)
{
  const char *x = "<log><trace><string key=\"concept:name\" value=\"c1\"/>" EV(
      "Z", TS("2024-01-01T09:00:00Z")) EV("P1", TS("2024-01-01T10:00:00+01:00"))
      EV("P2", TS("2024-01-01T10:00:00.000+0100")) EV("M", TS("2024-01-01T04:00:00-05:00"))
          EV("F", TS("2024-01-01T09:00:01.250Z")) EV("N", TS("2024-01-01T09:00:02"))
              EV("S", "<string key=\"time:timestamp\" value=\"2024/01/01 09:00:03.500\"/>")
                  EV("I", "<string key=\"time:timestamp\" value=\"2024-01-01 09:00:04\"/>")
                      EV("U", "") "</trace></log>";
  CxLog *log = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *got = read_xes_full(x, strlen(x), NULL, &log, NULL, &error);
  ck_assert_msg(got != NULL, "%s", error ? error->message : "");
  ck_assert_str_eq(got, "c1: Z@2024-01-01T09:00:00Z P1@2024-01-01T09:00:00Z "
                        "P2@2024-01-01T09:00:00Z M@2024-01-01T09:00:00Z "
                        "F@2024-01-01T09:00:01.250Z N@2024-01-01T09:00:02Z "
                        "S@2024-01-01T09:00:03.500Z I@2024-01-01T09:00:04Z U\n");
  ck_assert(cx_log_counts(log)->naive_times);
  ck_assert_uint_eq(cx_log_counts(log)->no_timestamp, 1);
  cx_log_free(log);
}
END_TEST

static void
conf_skip(CxReadOptions *o)
{
  o->skip_invalid = TRUE;
}

START_TEST(test_bad_timestamps)
{
  const char *bad_date = "<log><trace><string key=\"concept:name\" value=\"c1\"/>\n" EV(
      "A", TS("2024-01-01T09:00:00Z")) "\n" EV("B", TS("yesterday")) "</trace></log>";
  assert_fails_at(bad_date, NULL, CX_READER_ERROR_VALUE, "t.xes:3:");
  assert_fails_at(bad_date, NULL, CX_READER_ERROR_VALUE, "bad timestamp 'yesterday'");
  CxLog *log = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *got = read_xes_full(bad_date, strlen(bad_date), conf_skip, &log, NULL, &error);
  ck_assert_str_eq(got, "c1: A@2024-01-01T09:00:00Z\n");
  ck_assert_uint_eq(cx_log_counts(log)->invalid_skipped, 1);
  cx_log_free(log);

  const char *bad_string = "<log><trace><string key=\"concept:name\" value=\"c1\"/>" EV(
      "A", "<string key=\"time:timestamp\" value=\"?\"/>") "</trace></log>";
  assert_fails_at(bad_string, NULL, CX_READER_ERROR_VALUE, "bad timestamp '?'");
  assert_reads(bad_string, conf_skip, "c1: A\n");
}
END_TEST

/* ---------- lifecycle, resource, channel ---------- */

static void
conf_keys(CxReadOptions *o)
{
  o->resource_key = g_strdup("who");
  o->channel_key = g_strdup("via");
}

START_TEST(test_lifecycle_and_fields)
{
  const char *x = "<log><trace><string key=\"concept:name\" value=\"c1\"/>" EV(
      "A", "<string key=\"lifecycle:transition\" value=\"Start\"/>"
           "<string key=\"org:resource\" value=\"Ann\"/><string key=\"who\" value=\"W\"/>"
           "<string key=\"channel\" value=\"web\"/><string key=\"via\" value=\"V\"/>")
      EV("A", "<string key=\"lifecycle:transition\" value=\"COMPLETE\"/>")
          EV("B", "<string key=\"lifecycle:transition\" value=\"schedule\"/>")
              EV("C", "") "</trace></log>";
  assert_reads(x, NULL, "c1: A[r=Ann][c=web][s] A B[o] C\n");
  assert_reads(x, conf_keys, "c1: A[r=W][c=V][s] A B[o] C\n");
}
END_TEST

/* ---------- trace attributes ---------- */

START_TEST(test_trace_attrs)
{
  const char *x = "<log><trace><string key=\"concept:name\" value=\"c&amp;1\"/>"
                  "<int key=\"n\" value=\"+007\"/><boolean key=\"b\" value=\"TRUE\"/>"
                  "<float key=\"f\" value=\"2.50\"/><id key=\"i\" value=\"X-1\"/>"
                  "<date key=\"d\" value=\"2024-01-01T10:00:00+01:00\"/>"
                  "<string key=\"n\" value=\"second\"/>" EV("a&lt;b", "") "</trace></log>";
  assert_reads(x, NULL, "c&1{n=7,b=true,f=2.5,i=X-1,d=2024-01-01T09:00:00Z}: a<b\n");
}
END_TEST

/* ---------- repeated case ids through the scan driver ---------- */

START_TEST(test_repeated_case)
{
  const char *x = "<log><trace><string key=\"concept:name\" value=\"a\"/>" EV(
      "A1",
      TS("2024-01-01T09:00:00Z")) "</trace>"
                                  "<trace><string key=\"concept:name\" value=\"dup\"/>" EV(
                                      "D1",
                                      TS("2024-01-01T09:00:00Z")) "</trace><trace><string "
                                                                  "key=\"concept:name\" "
                                                                  "value=\"dup\"/>" EV(
                                                                      "D2",
                                                                      TS("2024-"
                                                                         "01-"
                                                                         "01T08:"
                                                                         "00:"
                                                                         "00Z")) "</trace></log>";
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  int fd = g_file_open_tmp("cx-xes-XXXXXX.xes", &path, &error);
  ck_assert_int_ge(fd, 0);
  close(fd);
  ck_assert(g_file_set_contents(path, x, -1, &error));
  g_autoptr(CxLog) log = cx_log_new();
  cx_log_options(log)->lifecycle = CX_LIFECYCLE_MODE_ALL;
  cx_log_add_source(log, path, CX_FORMAT_AUTO, NULL);
  Rec rec = { log, g_string_new(NULL), 0 };
  ck_assert(cx_log_scan(log, record, NULL, &rec, &error));
  /* the streamed pass stops at the repeat, the grouped one merges like PM4Py
   * (ordered by time: D2 before D1); the first pass had handed on "a" and
   * the first "dup" (the scan's reset callback is where callers forget them) */
  ck_assert_str_eq(rec.text->str, "a: A1@2024-01-01T09:00:00Z\n"
                                  "dup: D1@2024-01-01T09:00:00Z\n"
                                  "a: A1@2024-01-01T09:00:00Z\n"
                                  "dup: D2@2024-01-01T08:00:00Z "
                                  "D1@2024-01-01T09:00:00Z\n");
  ck_assert(cx_log_counts(log)->grouped);
  g_string_free(rec.text, TRUE);
  g_unlink(path);
}
END_TEST

START_TEST(test_naive_zone)
{
  const char *x = "<log><trace><string key=\"concept:name\" value=\"c1\"/>" EV(
      "N", TS("2024-07-01T12:00:00")) EV("O", TS("2024-07-01T12:30:00+00:00"))
      EV("S", "<string key=\"time:timestamp\" value=\"2024/07/01 13:00:00\"/>") "</trace></log>";
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  int fd = g_file_open_tmp("cx-xes-XXXXXX.xes", &path, &error);
  ck_assert_int_ge(fd, 0);
  close(fd);
  ck_assert(g_file_set_contents(path, x, -1, &error));
  g_autoptr(CxLog) log = cx_log_new();
  cx_log_options(log)->lifecycle = CX_LIFECYCLE_MODE_ALL;
  cx_log_options(log)->timezone = g_strdup("Europe/Amsterdam");
  cx_log_add_source(log, path, CX_FORMAT_AUTO, NULL);
  Rec rec = { log, g_string_new(NULL), 0 };
  ck_assert_msg(cx_log_scan(log, record, NULL, &rec, &error), "%s", error->message);
  /* naive times are read in the zone (CEST, +02:00); explicit offsets are kept */
  ck_assert_str_eq(rec.text->str, "c1: N@2024-07-01T10:00:00Z "
                                  "S@2024-07-01T11:00:00Z O@2024-07-01T12:30:00Z\n");
  ck_assert(cx_log_counts(log)->naive_times);
  g_string_free(rec.text, TRUE);
  g_unlink(path);
}
END_TEST

/* ---------- bad input ---------- */

START_TEST(test_malformed)
{
  assert_fails_at("<log><trace></log>", NULL, CX_READER_ERROR_PARSE, "t.xes:1:");
  assert_fails_at("<log>\n<trace><event></trace></log>", NULL, CX_READER_ERROR_PARSE, "t.xes:2:");
  assert_fails_at("<log><trace><string key=\"concept:name\" value=\"c1\"/>\n<event><string "
                  "key=\"concept:name\" value=\"A\"/></event></trace>\n<trace>",
                  NULL, CX_READER_ERROR_PARSE, "unexpected end of file: unclosed <trace>");
  assert_fails_at("<log><event/></log>", NULL, CX_READER_ERROR_PARSE, "event outside a trace");
  assert_fails_at("<log><trace><event><event/></event></trace></log>", NULL, CX_READER_ERROR_PARSE,
                  "event inside an event");
  assert_fails_at("<trace/>", NULL, CX_READER_ERROR_PARSE, "the root element is not <log> 'trace'");
  assert_fails_at("<log><trace><trace/></trace></log>", NULL, CX_READER_ERROR_PARSE,
                  "misplaced <trace>");
  assert_fails_at("<?xml version=\"1.0\"?>\n<!DOCTYPE log [\n<!ENTITY a \"aaaaaaaaaa\">\n"
                  "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n]>\n<log><trace><event>"
                  "<string key=\"concept:name\" value=\"&b;\"/></event></trace></log>",
                  NULL, CX_READER_ERROR_PARSE, "refusing a DOCTYPE with an internal subset");
  assert_fails_at("<log><trace><event><string key=\"concept:name\" value=\"&zz;\"/></event>"
                  "</trace></log>",
                  NULL, CX_READER_ERROR_PARSE, "t.xes:1:");
  assert_fails_at("  \n", NULL, CX_READER_ERROR_EMPTY, "t.xes:");
  /* no position for an empty input: nothing was read */
  assert_fails_len("", 0, NULL, CX_READER_ERROR_EMPTY, "t.xes: empty file");
}
END_TEST

START_TEST(test_garbage)
{
  char garbage[512];
  guint32 s = 12345;
  for (gsize i = 0; i < sizeof garbage; i++) {
    s = s * 1103515245u + 12345u;
    garbage[i] = (char)(s >> 24);
  }
  garbage[0] = '\x01';
  assert_fails_len(garbage, sizeof garbage, NULL, CX_READER_ERROR_PARSE, "t.xes:1:");
  const char half[] = "<log><trace>\x00\x01\x02\xff\xfe</trace></log>";
  assert_fails_len(half, sizeof half - 1, NULL, CX_READER_ERROR_PARSE, "t.xes:1:");
}
END_TEST

START_TEST(test_limits)
{
  GString *deep = g_string_new("<log><trace><event>");
  for (int i = 0; i < 300; i++)
    g_string_append(deep, "<string key=\"k\" value=\"v\">");
  assert_fails_len(deep->str, deep->len, NULL, CX_READER_ERROR_PARSE, "nested deeper than 256");
  g_string_free(deep, TRUE);
  GString *big = g_string_new("<log><trace><event><string key=\"concept:name\" value=\"");
  for (int i = 0; i < 1100 * 1024; i++)
    g_string_append_c(big, 'x');
  g_string_append(big, "\"/></event></trace></log>");
  assert_fails_len(big->str, big->len, NULL, CX_READER_ERROR_VALUE, "longer than 1048576 bytes");
  g_string_free(big, TRUE);
}
END_TEST

/* A log of @n traces c0, c1, ... of one event each. */
static GString *
one_event_traces(int n)
{
  GString *x = g_string_new("<log>");
  for (int i = 0; i < n; i++)
    g_string_append_printf(x,
                           "<trace><string key=\"concept:name\" value=\"c%d\"/>" EV(
                               "A", TS("2024-01-01T09:00:00Z")) "</trace>",
                           i);
  g_string_append(x, "</log>");
  return x;
}

/* Small: read in one go; big: read ahead on a thread, the sink on another. */
static const int truncated_sizes[] = { 2000, 40000 };

START_TEST(test_truncated_gzip)
{
  GString *x = one_event_traces(truncated_sizes[_i]);
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  int fd = g_file_open_tmp("cx-xes-XXXXXX.xes.gz", &path, &error);
  ck_assert_int_ge(fd, 0);
  close(fd);
  gzFile gz = gzopen(path, "wb");
  gzwrite(gz, x->str, (unsigned)x->len);
  gzclose(gz);
  g_autofree char *data = NULL;
  gsize len;
  ck_assert(g_file_get_contents(path, &data, &len, &error));
  ck_assert(g_file_set_contents(path, data, (gssize)(len / 2), &error));
  g_string_free(x, TRUE);

  g_autoptr(CxLog) log = cx_log_new();
  g_autoptr(CxInput) in = cx_input_open(path, &error);
  ck_assert_ptr_nonnull(in);
  Rec rec = { log, g_string_new(NULL), 0 };
  g_autoptr(CxSink) sink = cx_sink_new(log, record, &rec);
  ck_assert(!cx_xes_read(in, sink, cx_log_options(log), &error));
  ck_assert_msg(strstr(error->message, path) != NULL, "%s", error->message);
  ck_assert_msg(strstr(error->message, "truncated") != NULL, "%s", error->message);
  ck_assert_uint_eq(rec.journeys, 0);
  g_string_free(rec.text, TRUE);
  g_unlink(path);
}
END_TEST

/* Malformed XML well past the first MiB of a file: the reading thread and
 * the sink's thread are running when the parse fails; the read stops with
 * the parser's error at its line, streamed or grouped, and nothing hangs. */
START_TEST(test_error_in_big_file)
{
  GString *x = one_event_traces(40000);
  g_autoptr(GString) doc = g_string_new(NULL);
  guint line = 1, bad_line = 0;
  for (const char *p = x->str; *p != '\0'; p++) {
    g_string_append_c(doc, *p);
    if (p - x->str >= 7 && g_str_has_prefix(p - 7, "</trace>")) {
      g_string_append_c(doc, '\n');
      line++;
      if (bad_line == 0 && doc->len > 3 * x->len / 5) {
        g_string_append(doc, "<trace></event></trace>\n");
        bad_line = line++;
      }
    }
  }
  g_string_free(x, TRUE);
  ck_assert_uint_gt(doc->len, 4u << 20);
  ck_assert_uint_gt(bad_line, 20000);
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  int fd = g_file_open_tmp("cx-xes-XXXXXX.xes", &path, &error);
  ck_assert_int_ge(fd, 0);
  close(fd);
  ck_assert(g_file_set_contents(path, doc->str, (gssize)doc->len, &error));
  g_autofree char *where = g_strdup_printf("%s:%u:", path, bad_line);
  for (int streaming = 0; streaming <= 1; streaming++) {
    g_autoptr(GError) e = NULL;
    g_autoptr(CxLog) log = cx_log_new();
    g_autoptr(CxInput) in = cx_input_open(path, &e);
    ck_assert_ptr_nonnull(in);
    Rec rec = { log, g_string_new(NULL), 0 };
    g_autoptr(CxSink) sink = cx_sink_new(log, record, &rec);
    cx_sink_set_streaming(sink, streaming);
    ck_assert(!cx_xes_read(in, sink, cx_log_options(log), &e));
    ck_assert_msg(g_error_matches(e, CX_READER_ERROR, CX_READER_ERROR_PARSE), "%s", e->message);
    ck_assert_msg(g_str_has_prefix(e->message, where), "'%s' is not at %s", e->message, where);
    /* streamed, the traces before the bad one were handed on */
    ck_assert_uint_eq(rec.journeys, streaming ? bad_line - 1 : 0);
    g_string_free(rec.text, TRUE);
  }
  g_unlink(path);
}
END_TEST

/* A name of @len bytes, distinct per @i. */
static char *
name_of(guint i, gsize len)
{
  GString *n = g_string_new(NULL);
  g_string_printf(n, "n%u-", i);
  while (n->len < len)
    g_string_append_c(n, (char)('a' + (n->len + i) % 26));
  g_string_truncate(n, len);
  return g_string_free(n, FALSE);
}

typedef struct {
  char *activity, *resource, *channel;
  gint64 time;
} TestEvent;

/* The reader hands events to the sink's worker thread with a cache of
 * recent names: through it, the journeys must be exactly those of the same
 * events pushed straight into a sink.  Names are many (the cache's slots
 * are reused), of every length around the cache's limit, one of them longer
 * than 32 KiB; resources are missing or empty at times. */
START_TEST(test_split_matches_direct)
{
  const gsize lens[] = { 1, 7, 8, 9, 16, 17, 60, 118, 119, 120, 121, 300, 40000 };
  guint n_traces = 120;
  GPtrArray *traces = g_ptr_array_new();
  GString *x = g_string_new("<log>");
  guint32 seed = 7;
  for (guint t = 0; t < n_traces; t++) {
    GArray *evs = g_array_new(FALSE, FALSE, sizeof(TestEvent));
    g_string_append_printf(x, "<trace><string key=\"concept:name\" value=\"c%u\"/>", t);
    guint n = 1 + t % 9;
    for (guint k = 0; k < n; k++) {
      seed = seed * 1103515245u + 12345u;
      guint pick = (seed >> 16) % 300;
      TestEvent e;
      e.activity = name_of(pick, lens[pick % G_N_ELEMENTS(lens)]);
      e.resource = pick % 5 == 0   ? NULL
                   : pick % 5 == 1 ? g_strdup("")
                                   : name_of(pick % 90, lens[(pick / 3) % 11]);
      e.channel = pick % 4 == 0 ? NULL : name_of(pick % 3, 3);
      e.time = (gint64)(t * 86400 + k * 60) * CX_USEC_PER_SEC;
      g_array_append_val(evs, e);
      g_autofree char *iso = cx_time_format_iso(e.time);
      g_string_append_printf(x, "<event><string key=\"concept:name\" value=\"%s\"/>", e.activity);
      if (e.resource != NULL)
        g_string_append_printf(x, "<string key=\"org:resource\" value=\"%s\"/>", e.resource);
      if (e.channel != NULL)
        g_string_append_printf(x, "<string key=\"channel\" value=\"%s\"/>", e.channel);
      g_string_append_printf(x, "<date key=\"time:timestamp\" value=\"%s\"/></event>", iso);
    }
    g_string_append(x, "</trace>");
    g_ptr_array_add(traces, evs);
  }
  g_string_append(x, "</log>");

  for (int streaming = 0; streaming <= 1; streaming++) {
    g_autoptr(GError) error = NULL;
    g_autoptr(CxLog) log1 = cx_log_new();
    cx_log_options(log1)->lifecycle = CX_LIFECYCLE_MODE_ALL;
    Rec r1 = { log1, g_string_new(NULL), 0 };
    g_autoptr(CxInput) in = cx_input_new_from_data("t.xes", x->str, x->len);
    g_autoptr(CxSink) s1 = cx_sink_new(log1, record, &r1);
    cx_sink_set_streaming(s1, streaming);
    /* three workers, every trace a chunk of its own */
    ck_assert_msg(cx_xes_read_split(in, s1, cx_log_options(log1), 3, 1, &error), "%s",
                  error->message);
    ck_assert(cx_sink_finish(s1, &error));

    g_autoptr(CxLog) log2 = cx_log_new();
    cx_log_options(log2)->lifecycle = CX_LIFECYCLE_MODE_ALL;
    Rec r2 = { log2, g_string_new(NULL), 0 };
    g_autoptr(CxSink) s2 = cx_sink_new(log2, record, &r2);
    cx_sink_set_streaming(s2, streaming);
    for (guint t = 0; t < traces->len; t++) {
      GArray *evs = g_ptr_array_index(traces, t);
      cx_sink_trace_begin(s2);
      g_autofree char *id = g_strdup_printf("c%u", t);
      cx_sink_trace_attr(s2, "concept:name", 12, id, strlen(id));
      for (guint k = 0; k < evs->len; k++) {
        const TestEvent *e = &g_array_index(evs, TestEvent, k);
        CxRawEvent ev = { 0 };
        ev.activity = e->activity;
        ev.activity_len = strlen(e->activity);
        ev.resource = e->resource;
        ev.resource_len = e->resource != NULL ? strlen(e->resource) : 0;
        ev.channel = e->channel;
        ev.channel_len = e->channel != NULL ? strlen(e->channel) : 0;
        ev.lifecycle = CX_LIFECYCLE_COMPLETE;
        ev.time = e->time;
        ev.start = CX_TS_NONE;
        cx_sink_trace_event(s2, &ev);
      }
      ck_assert(cx_sink_trace_end(s2, &error));
    }
    ck_assert(cx_sink_finish(s2, &error));
    ck_assert_uint_eq(r1.journeys, n_traces);
    ck_assert_str_eq(r1.text->str, r2.text->str);
    ck_assert(strstr(r1.text->str, "[r=") != NULL);
    g_string_free(r1.text, TRUE);
    g_string_free(r2.text, TRUE);
  }
  for (guint t = 0; t < traces->len; t++) {
    GArray *evs = g_ptr_array_index(traces, t);
    for (guint k = 0; k < evs->len; k++) {
      TestEvent *e = &g_array_index(evs, TestEvent, k);
      g_free(e->activity);
      g_free(e->resource);
      g_free(e->channel);
    }
    g_array_free(evs, TRUE);
  }
  g_ptr_array_free(traces, TRUE);
  g_string_free(x, TRUE);
}
END_TEST

static gboolean
fail_third(const CxJourney *j, gpointer data, GError **error)
{
  guint *n = data;
  if (++*n == 3) {
    g_set_error(error, CX_READER_ERROR, CX_READER_ERROR_VALUE, "journey %u refused", *n);
    return FALSE;
  }
  return TRUE;
}

static void
reset_count(gpointer data)
{
  *(guint *)data = 0;
}

/* A journey callback failing while the chunks of a file read on several
 * threads are played: the scan reads the file again on one thread and
 * fails with the callback's own error, at the same journey. */
START_TEST(test_split_callback_error)
{
  GString *x = one_event_traces(5000);
  g_autofree char *dir = test_tmpdir_new("cxmine-split-XXXXXX");
  g_autofree char *path = g_build_filename(dir, "t.xes", NULL);
  ck_assert(g_file_set_contents(path, x->str, (gssize)x->len, NULL));
  for (guint threads = 1; threads <= 4; threads++) {
    g_autoptr(GError) error = NULL;
    g_autoptr(CxLog) log = cx_log_new();
    cx_log_options(log)->threads = threads;
    cx_log_options(log)->threads_after = 1;
    cx_log_add_source(log, path, CX_FORMAT_AUTO, NULL);
    guint n = 0;
    ck_assert(!cx_log_scan(log, fail_third, reset_count, &n, &error));
    ck_assert_str_eq(error->message, "journey 3 refused");
    ck_assert_uint_eq(n, 3);
  }
  test_tmpdir_remove(dir);
  g_string_free(x, TRUE);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("xes-reader");
  TCase *tc = tcase_create("read");
  tcase_set_timeout(tc, 30);
  tcase_add_test(tc, test_namespaces);
  tcase_add_test(tc, test_globals);
  tcase_add_test(tc, test_classifier);
  tcase_add_test(tc, test_nested);
  tcase_add_test(tc, test_timestamps);
  tcase_add_test(tc, test_bad_timestamps);
  tcase_add_test(tc, test_lifecycle_and_fields);
  tcase_add_test(tc, test_trace_attrs);
  tcase_add_test(tc, test_repeated_case);
  tcase_add_test(tc, test_naive_zone);
  tcase_add_test(tc, test_split_matches_direct);
  tcase_add_test(tc, test_split_callback_error);
  suite_add_tcase(s, tc);
  TCase *bad = tcase_create("bad");
  tcase_set_timeout(bad, 30);
  tcase_add_test(bad, test_malformed);
  tcase_add_test(bad, test_garbage);
  tcase_add_test(bad, test_limits);
  tcase_add_loop_test(bad, test_truncated_gzip, 0, G_N_ELEMENTS(truncated_sizes));
  tcase_add_test(bad, test_error_in_big_file);
  suite_add_tcase(s, bad);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_ENV);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
