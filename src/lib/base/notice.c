/* cxmine — notices: the library's one way to tell a person something. */
#include "cxmine/reader.h"
#include <stdarg.h>

void
cx_notice(const CxReadOptions *opts, CxNoticeLevel level, const char *code, const char *fmt, ...)
{
  if (opts == NULL || opts->notice == NULL)
    return;
  va_list ap;
  va_start(ap, fmt);
  g_autofree char *msg = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  opts->notice(level, code, msg, opts->notice_data);
}
