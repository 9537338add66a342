/* libFuzzer harness for the CSV reader: any bytes, read with detection and
 * with a few options varied by the first byte (event attributes are left to
 * the command-line tests: they need a scan's prepared wants).  Must never crash, leak or
 * read out of bounds; errors are fine.  With bit 64 it is differential: the
 * file is read as the scan driver reads it on one thread and split over
 * three workers (every record a chunk), and both must give the same
 * journeys, counts, notices, or the same error.  Also linked into the
 * replay test. */
#include <stdint.h>
#include <string.h>
#include "reader-private.h"
#include "cxmine/timestamp.h"
#include "fuzz-csv.h"
#include "journey-digest.h"

static void
digest_notice(CxNoticeLevel level, const char *code, const char *message, gpointer data)
{
  g_string_append_printf(data, "notice %d %s: %s\n", (int)level, code, message);
}

static void
set_options(CxReadOptions *o, guint8 mode, GString *out)
{
  o->skip_invalid = (mode & 1) != 0;
  if (mode & 2)
    o->timestamp_format = g_strdup("%d.%m.%Y %H:%M");
  if (mode & 4)
    o->lifecycle = CX_LIFECYCLE_MODE_PAIR;
  if (mode & 8) {
    o->verbose = TRUE;
    o->notice = digest_notice;
    o->notice_data = out;
  }
  if (mode & 16)
    o->delimiter = ';';
  if (mode & 32)
    o->timezone = g_strdup("Europe/Amsterdam");
}

/* The journeys, counts and notices (or the error) of @doc read as the scan
 * driver does: on @threads, again on one thread when a split read asks.
 * Newly allocated. */
static char *
read_as_driver(const char *doc, gsize len, guint8 mode, guint threads)
{
  g_autoptr(CxLog) log = cx_log_new();
  gboolean one = threads == 1;
  GString *out = g_string_new(NULL);
  CxReadOptions *o = cx_log_options(log);
  set_options(o, mode, out);
  g_autoptr(GTimeZone) tz = o->timezone != NULL ? g_time_zone_new_identifier(o->timezone) : NULL;
  for (;;) {
    Digest d = { log, out };
    memset(cx_log_tally(log), 0, sizeof(CxReadCounts));
    g_autoptr(CxInput) in = cx_input_new_from_data("fuzz.csv", doc, len);
    g_autoptr(CxSink) sink = cx_sink_new(log, digest_journey, &d);
    CxSourceSpec spec = { 0 };
    spec.tz = tz;
    cx_sink_set_source(sink, 0, &spec);
    g_autoptr(GError) error = NULL;
    guint64 g0, r0, g1, r1;
    cx_time_dst_counts(&g0, &r0);
    gboolean ok = one ? cx_csv_read(in, sink, o, &error)
                      : cx_csv_read_split(in, sink, o, threads, 1, &error);
    cx_time_dst_counts(&g1, &r1);
    ok = ok && cx_sink_finish(sink, &error);
    /* the contract: FALSE exactly when an error is set, and it is one line */
    g_assert(ok == (error == NULL));
    if (!ok && cx_sink_asked_one_thread(sink) && !one) {
      one = TRUE;
      g_string_truncate(out, 0);
      continue;
    }
    if (!ok) {
      g_assert(strchr(error->message, '\n') == NULL);
      g_string_append_printf(out, "error: %s\n", error->message);
    }
    const CxReadCounts *c = cx_log_counts(log);
    g_string_append_printf(
        out,
        "read %" G_GUINT64_FORMAT " no-activity %" G_GUINT64_FORMAT " no-case %" G_GUINT64_FORMAT
        " untimed %" G_GUINT64_FORMAT " invalid %" G_GUINT64_FORMAT " cases %" G_GUINT64_FORMAT
        " guessed %" G_GUINT64_FORMAT " naive %d dst %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT "\n",
        c->events_read, c->no_activity, c->no_case, c->no_timestamp, c->invalid_skipped,
        c->traces_read, c->dates_guessed, c->naive_times, g1 - g0, r1 - r0);
    return g_string_free(out, FALSE);
  }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  guint8 mode = size > 0 ? data[0] : 0;
  const char *doc = (const char *)data + (size > 0);
  gsize len = size > 0 ? size - 1 : 0;
  g_autofree char *one = read_as_driver(doc, len, mode, 1);
  if (mode & 64) {
    g_autofree char *split = read_as_driver(doc, len, mode, 3);
    g_assert_cmpstr(split, ==, one);
  }
  return 0;
}
