/* Placeholder until the csv reader lands on main (being written on branch csv). */
#include "reader-private.h"

gboolean
cx_csv_read(CxInput *in, CxSink *sink, const CxReadOptions *opts, GError **error)
{
  g_set_error(error, CX_READER_ERROR, CX_READER_ERROR_PARSE, "%s: the csv reader is missing",
              cx_input_name(in));
  return FALSE;
}
