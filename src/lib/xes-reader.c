/* Placeholder until the xes reader lands on main (being written on branch xes). */
#include "reader-private.h"

gboolean
cx_xes_read(CxInput *in, CxSink *sink, const CxReadOptions *opts, GError **error)
{
  g_set_error(error, CX_READER_ERROR, CX_READER_ERROR_PARSE, "%s: the xes reader is missing",
              cx_input_name(in));
  return FALSE;
}
