/* The reading options (cxmine/reader.h): their defaults, their release,
 * the parsers of the values people give them as text (command line,
 * --sources key files), and the reader's error domain. */
#include "reader-private.h"
#include "cxmine/calendar.h"
#include "cxmine/timestamp.h"
#include <string.h>

/* the quark's name is one token, which clang-format would split */
/* clang-format off */
G_DEFINE_QUARK(cx-reader-error-quark, cx_reader_error)
/* clang-format on */

void
cx_read_options_init(CxReadOptions *o)
{
  *o = (CxReadOptions){ 0 };
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
  g_strfreev(o->attr_keys);
  g_clear_pointer(&o->filters, cx_filter_chain_free);
  g_free(o->journey_starts_with);
  cx_calendar_free(o->calendar);
  cx_read_options_init(o);
}

/* A deep copy of the per-source reading options of @o. */
CxReadOptions *
cx_read_options_copy_reading(const CxReadOptions *o)
{
  CxReadOptions *c = g_new0(CxReadOptions, 1);
  c->classifier = g_strdup(o->classifier);
  c->activity_key = g_strdup(o->activity_key);
  c->channel_key = g_strdup(o->channel_key);
  c->resource_key = g_strdup(o->resource_key);
  c->delimiter = o->delimiter;
  c->case_col = g_strdup(o->case_col);
  c->activity_cols = g_strdupv(o->activity_cols);
  c->timestamp_col = g_strdup(o->timestamp_col);
  c->start_col = g_strdup(o->start_col);
  c->resource_col = g_strdup(o->resource_col);
  c->channel_col = g_strdup(o->channel_col);
  c->timestamp_format = g_strdup(o->timestamp_format);
  c->timezone = g_strdup(o->timezone);
  c->skip_invalid = o->skip_invalid;
  c->lifecycle = o->lifecycle;
  return c;
}

void
cx_read_options_want_attr(CxReadOptions *opts, const char *key)
{
  g_return_if_fail(opts != NULL && key != NULL);
  guint n = opts->attr_keys != NULL ? g_strv_length(opts->attr_keys) : 0;
  for (guint i = 0; i < n; i++)
    if (strcmp(opts->attr_keys[i], key) == 0)
      return;
  opts->attr_keys = g_renew(char *, opts->attr_keys, n + 2);
  opts->attr_keys[n] = g_strdup(key);
  opts->attr_keys[n + 1] = NULL;
}

gboolean
cx_read_options_add_filter(CxReadOptions *opts, const char *option, const char *arg, GError **error)
{
  g_return_val_if_fail(opts != NULL, FALSE);
  if (opts->filters == NULL)
    opts->filters = cx_filter_chain_new();
  return cx_filter_chain_add(opts->filters, option, arg, error);
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
