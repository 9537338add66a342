/* The CxLog object: its sources, options, pools and counters.  The scan
 * that fills it is the driver's (read/scan.c). */
#include "log-private.h"
#include "reader-private.h"
#include "partial-private.h"
#include "cxmine/cleanup.h"
#include <string.h>
#include <unistd.h>

static void
source_free(gpointer p)
{
  CxSourceSpec *s = p;
  g_free(s->path);
  g_free(s->channel);
  g_free(s->spool);
  if (s->over != NULL) {
    cx_read_options_clear(s->over);
    g_free(s->over);
  }
  if (s->tz != NULL)
    g_time_zone_unref(s->tz);
  g_free(s);
}

CxLog *
cx_log_new(void)
{
  CxLog *log = g_new0(CxLog, 1);
  log->sources = g_ptr_array_new_with_free_func(source_free);
  log->activities = cx_pool_new();
  log->resources = cx_pool_new();
  log->channels = cx_pool_new();
  log->cases = cx_pool_new();
  log->keys = cx_pool_new();
  log->values = cx_pool_new();
  cx_read_options_init(&log->opts);
  return log;
}

void
cx_log_source_options(CxLog *log, CxSourceSpec *spec)
{
  spec->eff = log->opts;
  const CxReadOptions *o = spec->over;
  if (o == NULL)
    return;
#define OVER(f)                                                                                    \
  if (o->f != NULL)                                                                                \
  spec->eff.f = o->f
  OVER(classifier);
  OVER(activity_key);
  OVER(channel_key);
  OVER(resource_key);
  OVER(case_col);
  OVER(activity_cols);
  OVER(timestamp_col);
  OVER(start_col);
  OVER(resource_col);
  OVER(channel_col);
  OVER(timestamp_format);
  OVER(timezone);
#undef OVER
  if (o->delimiter != 0)
    spec->eff.delimiter = o->delimiter;
  if (o->skip_invalid)
    spec->eff.skip_invalid = TRUE;
}

void
cx_log_free(CxLog *log)
{
  if (log == NULL)
    return;
  cx_read_options_clear(&log->opts);
  g_free(log->display_name);
  g_ptr_array_free(log->sources, TRUE);
  cx_pool_free(log->activities);
  cx_pool_free(log->resources);
  cx_pool_free(log->channels);
  cx_pool_free(log->cases);
  cx_pool_free(log->keys);
  cx_pool_free(log->values);
  if (log->naive_tz != NULL)
    g_time_zone_unref(log->naive_tz);
  if (log->display_tz != NULL)
    g_time_zone_unref(log->display_tz);
  if (log->segments != NULL)
    g_ptr_array_free(log->segments, TRUE);
  if (log->want != NULL)
    g_array_free(log->want, TRUE);
  if (log->want_slots != NULL)
    g_array_free(log->want_slots, TRUE);
  if (log->key_types != NULL)
    g_byte_array_unref(log->key_types);
  if (log->spools != NULL) {
    for (guint i = 0; i < log->spools->len; i++) {
      unlink(g_ptr_array_index(log->spools, i));
      cx_cleanup_forget_file(g_ptr_array_index(log->spools, i));
    }
    g_ptr_array_free(log->spools, TRUE);
  }
  g_free(log);
}

CxReadOptions *
cx_log_options(CxLog *log)
{
  return &log->opts;
}

void
cx_log_add_source(CxLog *log, const char *path, CxFormat format, const char *channel)
{
  cx_log_add_source_full(log, path, format, channel, NULL);
}

void
cx_log_add_source_full(CxLog *log, const char *path, CxFormat format, const char *channel,
                       const CxReadOptions *overrides)
{
  CxSourceSpec *s = g_new0(CxSourceSpec, 1);
  s->path = g_strdup(path);
  s->format = format;
  s->channel = g_strdup(channel);
  if (overrides != NULL)
    s->over = cx_read_options_copy_reading(overrides);
  g_ptr_array_add(log->sources, s);
}

guint
cx_log_n_sources(const CxLog *log)
{
  return log->sources->len;
}

const char *
cx_log_source_path(const CxLog *log, guint i)
{
  g_return_val_if_fail(i < log->sources->len, NULL);
  return ((CxSourceSpec *)g_ptr_array_index(log->sources, i))->path;
}

char *
cx_log_display_name(const CxLog *log)
{
  if (log->display_name != NULL)
    return g_strdup(log->display_name);
  if (log->segments != NULL)
    cx_partial_prepare_log((CxLog *)log, NULL);
  if (log->sources->len == 0)
    return g_strdup("(no input)");
  const char *p = cx_log_source_path(log, 0);
  g_autofree char *base = strcmp(p, "-") == 0 ? g_strdup("<stdin>") : g_path_get_basename(p);
  if (log->sources->len > 1)
    return g_strdup_printf("%s + %u more", base, log->sources->len - 1);
  return g_steal_pointer(&base);
}

void
cx_log_set_display_name(CxLog *log, const char *name)
{
  g_free(log->display_name);
  log->display_name = g_strdup(name);
}

void
cx_log_set_case_names(CxLog *log, gboolean names)
{
  log->no_case_names = !names;
}

void
cx_log_set_split(CxLog *log, CxForkFunc fork, CxMergeFunc merge)
{
  log->fork = fork;
  log->merge = merge;
}

gboolean
cx_log_names_cases(const CxLog *log)
{
  return !log->no_case_names;
}

CxPool *
cx_log_activities(CxLog *log)
{
  return log->activities;
}
CxPool *
cx_log_resources(CxLog *log)
{
  return log->resources;
}
CxPool *
cx_log_channels(CxLog *log)
{
  return log->channels;
}
CxPool *
cx_log_cases(CxLog *log)
{
  return log->cases;
}
CxAttrType
cx_log_key_type(const CxLog *log, guint32 key)
{
  if (log->key_types == NULL || key >= log->key_types->len || log->key_types->data[key] == 0)
    return CX_ATTR_STRING;
  return (CxAttrType)(log->key_types->data[key] - 1);
}

CxPool *
cx_log_keys(CxLog *log)
{
  return log->keys;
}
CxPool *
cx_log_values(CxLog *log)
{
  return log->values;
}

const char *
cx_log_display_tz_name(const CxLog *log)
{
  const char *name = log->opts.display_timezone;
  if (name == NULL)
    name = log->opts.timezone;
  return name != NULL ? name : "UTC";
}

GTimeZone *
cx_log_display_tz(CxLog *log)
{
  const char *name = cx_log_display_tz_name(log);
  if (log->display_tz == NULL && g_ascii_strcasecmp(name, "UTC") != 0)
    log->display_tz = g_time_zone_new_identifier(name);
  return log->display_tz;
}

const CxReadCounts *
cx_log_counts(const CxLog *log)
{
  return &log->counts;
}

/* ---------- what the sink sees ---------- */

CxReadCounts *
cx_log_tally(CxLog *log)
{
  return &log->counts;
}

CxSourceSpec *
cx_log_source(CxLog *log, guint i)
{
  g_return_val_if_fail(i < log->sources->len, NULL);
  return g_ptr_array_index(log->sources, i);
}

GTimeZone *
cx_log_naive_tz(const CxLog *log)
{
  return log->naive_tz;
}

struct _CxSurvey *
cx_log_survey(const CxLog *log)
{
  return log->survey;
}

GArray *
cx_log_wants(const CxLog *log)
{
  return log->want;
}

GArray *
cx_log_want_slots(const CxLog *log)
{
  return log->want_slots;
}

GByteArray *
cx_log_key_types(CxLog *log)
{
  if (log->key_types == NULL)
    log->key_types = g_byte_array_new();
  return log->key_types;
}
