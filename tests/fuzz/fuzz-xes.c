/* libFuzzer harness for the XES reader.  The first byte picks reading
 * options; the rest is the document.  With bit 64 it is differential: the
 * document is read as the scan driver reads it on one thread and split over
 * three workers (every trace a chunk), and both must give the same
 * journeys, or the same error.  Also linked into the replay test. */
#include <stdint.h>
#include <string.h>
#include "reader-private.h"
#include "fuzz-xes.h"
#include "journey-digest.h"

static void
set_options(CxReadOptions *o, guint8 mode)
{
  o->lifecycle = (CxLifecycleMode)(mode & 3);
  o->skip_invalid = (mode & 4) != 0;
  if (mode & 8)
    o->classifier = g_strdup("c");
  else if (mode & 16)
    o->activity_key = g_strdup("k");
}

/* The journeys (or the error) of @doc read as the scan driver does: on
 * @threads, again on one thread when a split read asks, again grouped when
 * a streamed read repeats a case id.  Newly allocated. */
static char *
read_as_driver(const char *doc, gsize len, guint8 mode, guint threads)
{
  g_autoptr(CxLog) log = cx_log_new();
  set_options(cx_log_options(log), mode);
  gboolean grouped = (mode & 32) == 0, one = threads == 1;
  for (;;) {
    Digest d = { log, g_string_new(NULL) };
    g_autoptr(CxInput) in = cx_input_new_from_data("fuzz.xes", doc, len);
    g_autoptr(CxSink) sink = cx_sink_new(log, digest_journey, &d);
    cx_sink_set_streaming(sink, !grouped);
    g_autoptr(GError) error = NULL;
    CxReadOptions *o = cx_log_options(log);
    gboolean ok = one ? cx_xes_read(in, sink, o, &error)
                      : cx_xes_read_split(in, sink, o, threads, 1, &error);
    ok = ok && cx_sink_finish(sink, &error);
    /* the contract: FALSE exactly when an error is set, and it is one line */
    g_assert(ok == (error == NULL));
    if (!ok && cx_sink_saw_repeat(sink) && !grouped) {
      grouped = TRUE;
      g_string_free(d.out, TRUE);
      continue;
    }
    if (!ok && cx_sink_asked_one_thread(sink) && !one) {
      one = TRUE;
      g_string_free(d.out, TRUE);
      continue;
    }
    if (!ok) {
      g_assert(strchr(error->message, '\n') == NULL);
      g_string_append_printf(d.out, "error: %s\n", error->message);
    }
    return g_string_free(d.out, FALSE);
  }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (size < 1)
    return 0;
  guint8 mode = data[0];
  const char *doc = (const char *)data + 1;
  g_autofree char *one = read_as_driver(doc, size - 1, mode, 1);
  if (mode & 64) {
    g_autofree char *split = read_as_driver(doc, size - 1, mode, 3);
    g_assert_cmpstr(split, ==, one);
  }
  return 0;
}
