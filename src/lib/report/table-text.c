/* Small pieces the tables of cases, trend and resources share. */
#include "table-text-private.h"
#include "cxmine/output.h"
#include <math.h>
#include <string.h>

char *
cx_text_duration(double seconds)
{
  return isnan(seconds) ? g_strdup("-") : cx_format_duration(seconds);
}

char *
cx_text_share(double share)
{
  if (isnan(share))
    return g_strdup("-");
  g_autofree char *s = cx_format_number(100 * share, 1);
  return g_strdup_printf("%s%%", s);
}

void
cx_csv_field(GString *out, const char *s)
{
  if (strpbrk(s, ",\"\r\n") == NULL) {
    g_string_append(out, s);
    return;
  }
  g_string_append_c(out, '"');
  for (const char *p = s; *p != '\0'; p++) {
    if (*p == '"')
      g_string_append_c(out, '"');
    g_string_append_c(out, *p);
  }
  g_string_append_c(out, '"');
}
