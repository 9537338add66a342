/* libFuzzer harness for the CSV reader: any bytes, read with detection and
 * with a few options varied by the first byte.  Must never crash, leak or
 * read out of bounds; errors are fine. */
#include <stdint.h>
#include "reader-private.h"
#include "fuzz-csv.h"

static gboolean
drop(const CxJourney *j, gpointer data, GError **error)
{
  return TRUE;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  g_autoptr(CxLog) log = cx_log_new();
  CxReadOptions *o = cx_log_options(log);
  guint8 mode = size > 0 ? data[0] : 0;
  if (mode & 1)
    o->skip_invalid = TRUE;
  if (mode & 2)
    o->timestamp_format = g_strdup("%d.%m.%Y %H:%M");
  if (mode & 4)
    o->lifecycle = CX_LIFECYCLE_MODE_PAIR;
  g_autoptr(CxSink) sink = cx_sink_new(log, drop, NULL);
  g_autoptr(CxInput) in = cx_input_new_from_data("fuzz.csv", (const char *)data, size);
  g_autoptr(GError) error = NULL;
  if (cx_csv_read(in, sink, o, &error))
    cx_sink_finish(sink, NULL);
  return 0;
}
