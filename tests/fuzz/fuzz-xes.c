/* libFuzzer harness for the XES reader.  The first byte picks reading
 * options; the rest is the document.  Also linked into the replay test. */
#include <stdint.h>
#include <string.h>
#include "reader-private.h"
#include "fuzz-xes.h"

static gboolean
count_journey(const CxJourney *j, gpointer data, GError **error)
{
  guint64 *n = data;
  *n += j->n_instances;
  return TRUE;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (size < 1)
    return 0;
  guint8 mode = data[0];
  g_autoptr(CxLog) log = cx_log_new();
  CxReadOptions *o = cx_log_options(log);
  o->lifecycle = (CxLifecycleMode)(mode & 3);
  o->skip_invalid = (mode & 4) != 0;
  if (mode & 8)
    o->classifier = g_strdup("c");
  else if (mode & 16)
    o->activity_key = g_strdup("k");
  if (mode & 64)
    o->threads_after = 1; /* as read by the driver; the sink is told below */
  guint64 n = 0;
  g_autoptr(CxInput) in = cx_input_new_from_data("fuzz.xes", (const char *)data + 1, size - 1);
  g_autoptr(CxSink) sink = cx_sink_new(log, count_journey, &n);
  cx_sink_set_streaming(sink, (mode & 32) != 0);
  if (mode & 64)
    cx_sink_set_relay_after(sink, 1); /* what the scan driver decides for o->threads_after */
  g_autoptr(GError) error = NULL;
  gboolean ok = cx_xes_read(in, sink, o, &error) && cx_sink_finish(sink, &error);
  /* the contract: FALSE exactly when an error is set, and it is one line */
  g_assert(ok == (error == NULL));
  if (error != NULL && !cx_sink_saw_repeat(sink))
    g_assert(strchr(error->message, '\n') == NULL);
  return 0;
}
