/* CxReadOptions: their defaults, their release, and the parsers of the
 * values people give them as text (command line, --sources key files). */
#include "cxmine/reader.h"
#include "cxmine/timestamp.h"
#include <string.h>

void
cx_read_options_init(CxReadOptions *o)
{
  *o = (CxReadOptions){ 0 };
  o->from = CX_TS_NONE;
  o->to = CX_TS_NONE;
}

void
cx_read_options_clear(CxReadOptions *o)
{
  g_free(o->classifier);
  g_free(o->activity_key);
  g_free(o->channel_key);
  g_free(o->resource_key);
  g_free(o->case_col);
  g_strfreev(o->activity_cols);
  g_free(o->timestamp_col);
  g_free(o->start_col);
  g_free(o->resource_col);
  g_free(o->channel_col);
  g_free(o->timestamp_format);
  g_free(o->timezone);
  g_free(o->display_timezone);
  g_strfreev(o->where);
  g_strfreev(o->attr_keys);
  g_clear_pointer(&o->filters, cx_filter_chain_free);
  g_free(o->starts_with);
  g_free(o->ends_with);
  g_free(o->journey_starts_with);
  cx_calendar_free(o->calendar);
  cx_read_options_init(o);
}

gboolean
cx_format_parse(const char *s, CxFormat *out)
{
  if (g_ascii_strcasecmp(s, "xes") == 0)
    *out = CX_FORMAT_XES;
  else if (g_ascii_strcasecmp(s, "csv") == 0)
    *out = CX_FORMAT_CSV;
  else
    return FALSE;
  return TRUE;
}

gboolean
cx_lifecycle_mode_parse(const char *s, CxLifecycleMode *out)
{
  if (strcmp(s, "pair") == 0)
    *out = CX_LIFECYCLE_MODE_PAIR;
  else if (strcmp(s, "all") == 0)
    *out = CX_LIFECYCLE_MODE_ALL;
  else if (strcmp(s, "complete") == 0)
    *out = CX_LIFECYCLE_MODE_COMPLETE;
  else
    return FALSE;
  return TRUE;
}

gboolean
cx_delimiter_parse(const char *s, char *out)
{
  if (strcmp(s, "\\t") == 0 || g_ascii_strcasecmp(s, "tab") == 0)
    *out = '\t';
  else if (strlen(s) == 1 && s[0] != '"' && s[0] != '\n' && s[0] != '\r')
    *out = s[0];
  else
    return FALSE;
  return TRUE;
}

gboolean
cx_size_parse(const char *s, guint64 *out)
{
  char *end;
  if (!g_ascii_isdigit(*s))
    return FALSE;
  guint64 v = g_ascii_strtoull(s, &end, 10);
  int shift = 0;
  switch (g_ascii_toupper(*end)) {
    case 'K':
      shift = 10;
      break;
    case 'M':
      shift = 20;
      break;
    case 'G':
      shift = 30;
      break;
    case 'T':
      shift = 40;
      break;
    default:
      break;
  }
  if (shift > 0) {
    end++;
    if (g_ascii_strcasecmp(end, "iB") == 0 || g_ascii_strcasecmp(end, "B") == 0)
      end += strlen(end);
  } else if (g_ascii_strcasecmp(end, "B") == 0) {
    end++;
  }
  if (*end != '\0' || v == 0 || v > (G_MAXUINT64 >> shift))
    return FALSE;
  *out = v << shift;
  return TRUE;
}
