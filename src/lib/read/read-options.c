/* The reading options (cxmine/reader.h) and the reader's error domain. */
#include "reader-private.h"
#include "cxmine/calendar.h"
#include <string.h>

/* the quark's name is one token, which clang-format would split */
/* clang-format off */
G_DEFINE_QUARK(cx-reader-error-quark, cx_reader_error)
/* clang-format on */

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
