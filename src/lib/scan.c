/* The scan driver: opens sources, picks a reader, streams or groups, runs
 * pre-passes (top variants) and starts over when a streamed XES repeats a
 * case id. */
#include "reader-private.h"
#include "log-private.h"
#include <string.h>
#include <unistd.h>

G_DEFINE_QUARK(cx - reader - error - quark, cx_reader_error)

static void
source_free(gpointer p)
{
  CxSourceSpec *s = p;
  g_free(s->path);
  g_free(s->channel);
  g_free(s);
}

static void
where_clear(gpointer p)
{
  g_free(((CxWhere *)p)->value);
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
  log->opts.from = CX_TS_NONE;
  log->opts.to = CX_TS_NONE;
  return log;
}

static void
options_clear(CxReadOptions *o)
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
  g_strfreev(o->where);
  g_strfreev(o->attr_keys);
  g_free(o->starts_with);
  g_free(o->ends_with);
}

void
cx_log_free(CxLog *log)
{
  if (log == NULL)
    return;
  options_clear(&log->opts);
  g_ptr_array_free(log->sources, TRUE);
  cx_pool_free(log->activities);
  cx_pool_free(log->resources);
  cx_pool_free(log->channels);
  cx_pool_free(log->cases);
  cx_pool_free(log->keys);
  cx_pool_free(log->values);
  if (log->naive_tz != NULL)
    g_time_zone_unref(log->naive_tz);
  if (log->where != NULL)
    g_array_free(log->where, TRUE);
  if (log->allowed_variants != NULL)
    g_hash_table_destroy(log->allowed_variants);
  if (log->want != NULL)
    g_array_free(log->want, TRUE);
  if (log->want_slots != NULL)
    g_array_free(log->want_slots, TRUE);
  if (log->spool_path != NULL) {
    unlink(log->spool_path);
    g_free(log->spool_path);
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
  CxSourceSpec *s = g_new0(CxSourceSpec, 1);
  s->path = g_strdup(path);
  s->format = format;
  s->channel = g_strdup(channel);
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
  if (log->sources->len == 0)
    return g_strdup("(no input)");
  const char *p = cx_log_source_path(log, 0);
  g_autofree char *base = strcmp(p, "-") == 0 || g_strcmp0(p, log->spool_path) == 0
                              ? g_strdup("<stdin>")
                              : g_path_get_basename(p);
  if (log->sources->len > 1)
    return g_strdup_printf("%s + %u more", base, log->sources->len - 1);
  return g_steal_pointer(&base);
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

const CxReadCounts *
cx_log_counts(const CxLog *log)
{
  return &log->counts;
}

/* ---------- preparation ---------- */

/* The attributes asked for: "KEY@last" shares the event value slot of KEY. */
static void
prepare_wants(CxLog *log)
{
  log->want = g_array_new(FALSE, FALSE, sizeof(CxWant));
  log->want_slots = g_array_new(FALSE, FALSE, sizeof(guint32));
  for (char **k = log->opts.attr_keys; k != NULL && *k != NULL; k++) {
    gsize len = strlen(*k);
    CxWant w;
    w.out = cx_pool_intern(log->keys, *k, (gssize)len);
    w.last = len > 5 && g_str_has_suffix(*k, "@last");
    w.base = w.last ? cx_pool_intern(log->keys, *k, (gssize)(len - 5)) : w.out;
    w.slot = log->want_slots->len;
    for (guint i = 0; i < log->want_slots->len; i++)
      if (g_array_index(log->want_slots, guint32, i) == w.base)
        w.slot = i;
    if (w.slot == log->want_slots->len)
      g_array_append_val(log->want_slots, w.base);
    g_array_append_val(log->want, w);
  }
}

static gboolean
prepare(CxLog *log, GError **error)
{
  if (log->opts.timezone != NULL && log->naive_tz == NULL
      && g_ascii_strcasecmp(log->opts.timezone, "UTC") != 0) {
    log->naive_tz = g_time_zone_new_identifier(log->opts.timezone);
    if (log->naive_tz == NULL) {
      g_set_error(error, CX_READER_ERROR, CX_READER_ERROR_VALUE, "unknown time zone '%s'",
                  log->opts.timezone);
      return FALSE;
    }
  }
  if (log->opts.where != NULL && log->where == NULL) {
    log->where = g_array_new(FALSE, FALSE, sizeof(CxWhere));
    g_array_set_clear_func(log->where, where_clear);
    for (char **w = log->opts.where; *w != NULL; w++) {
      const char *eq = strchr(*w, '=');
      if (eq == NULL || eq == *w) {
        g_set_error(error, CX_READER_ERROR, CX_READER_ERROR_MAPPING,
                    "bad filter '%s': expected KEY=VALUE", *w);
        return FALSE;
      }
      CxWhere c;
      c.key = cx_pool_intern(log->keys, *w, eq - *w);
      c.value = g_strdup(eq + 1);
      c.value_len = strlen(c.value);
      c.value_id = cx_pool_intern(log->values, c.value, (gssize)c.value_len);
      g_array_append_val(log->where, c);
    }
    if (log->where->len > 32) {
      g_set_error(error, CX_READER_ERROR, CX_READER_ERROR_MAPPING,
                  "too many --where filters (%u, at most 32)", log->where->len);
      return FALSE;
    }
  }
  if (log->want == NULL)
    prepare_wants(log);
  /* standard input can be read once: spool it for every pass */
  for (guint i = 0; i < log->sources->len; i++) {
    CxSourceSpec *s = g_ptr_array_index(log->sources, i);
    if (strcmp(s->path, "-") != 0)
      continue;
    if (log->spool_path != NULL) {
      g_free(s->path);
      s->path = g_strdup(log->spool_path);
      continue;
    }
    g_autofree char *tmp = NULL;
    int fd = g_file_open_tmp("cxmine-stdin-XXXXXX", &tmp, error);
    if (fd < 0)
      return FALSE;
    char buf[65536];
    ssize_t n;
    while ((n = read(STDIN_FILENO, buf, sizeof buf)) > 0) {
      if (write(fd, buf, (size_t)n) != n) {
        g_set_error(error, CX_READER_ERROR, CX_READER_ERROR_IO, "<stdin>: cannot spool to %s", tmp);
        close(fd);
        unlink(tmp);
        return FALSE;
      }
    }
    close(fd);
    log->spool_path = g_steal_pointer(&tmp);
    g_free(s->path);
    s->path = g_strdup(log->spool_path);
  }
  return TRUE;
}

/* ---------- one pass ---------- */

static gboolean
read_source(CxLog *log, CxSink *sink, CxSourceSpec *spec, gboolean single, GError **error)
{
  g_autoptr(CxInput) in = cx_input_open(spec->path, error);
  if (in == NULL)
    return FALSE;
  const char *name = g_strcmp0(spec->path, log->spool_path) == 0 ? "<stdin>" : spec->path;
  cx_input_set_name(in, name);
  const char *head;
  gsize n = cx_input_peek(in, &head, 512, error);
  if (error != NULL && *error != NULL)
    return FALSE;
  if (n == 0) {
    g_set_error(error, CX_READER_ERROR, CX_READER_ERROR_EMPTY, "%s: empty file", name);
    return FALSE;
  }
  CxFormat fmt = spec->format != CX_FORMAT_AUTO ? spec->format : cx_format_detect(head, n);
  cx_sink_set_source_channel(sink, spec->channel);
  if (single)
    cx_sink_set_streaming(sink, fmt == CX_FORMAT_XES);
  if (fmt == CX_FORMAT_XES)
    return cx_xes_read(in, sink, &log->opts, error);
  return cx_csv_read(in, sink, &log->opts, error);
}

static gboolean
scan_once(CxLog *log, gboolean force_grouped, CxJourneyFunc func, gpointer data, GError **error)
{
  memset(&log->counts, 0, sizeof log->counts);
  g_autoptr(CxSink) sink = cx_sink_new(log, func, data);
  cx_sink_set_streaming(sink, FALSE);
  gboolean single = log->sources->len == 1 && !force_grouped;
  for (guint i = 0; i < log->sources->len; i++)
    if (!read_source(log, sink, g_ptr_array_index(log->sources, i), single, error))
      return FALSE;
  return cx_sink_finish(sink, error);
}

static gboolean
scan_with_restart(CxLog *log, CxJourneyFunc func, CxResetFunc reset, gpointer data, GError **error)
{
  g_autoptr(GError) local = NULL;
  if (scan_once(log, FALSE, func, data, &local))
    return TRUE;
  if (!g_error_matches(local, CX_READER_ERROR, CX_READER_ERROR_RESTART)) {
    g_propagate_error(error, g_steal_pointer(&local));
    return FALSE;
  }
  if (reset != NULL)
    reset(data);
  return scan_once(log, TRUE, func, data, error);
}

/* ---------- top variants pre-pass ---------- */

typedef struct {
  GHashTable *counts; /* GBytes -> GUINT_TO_POINTER (count) */
  GPtrArray *order;   /* GBytes in first-seen order */
} VariantCount;

static gboolean
count_variant(const CxJourney *j, gpointer data, GError **error)
{
  VariantCount *vc = data;
  guint32 *ids = g_new(guint32, MAX(j->n_instances, 1));
  for (guint i = 0; i < j->n_instances; i++)
    ids[i] = j->instances[i].activity;
  GBytes *key = g_bytes_new_take(ids, j->n_instances * sizeof(guint32));
  gpointer old;
  if (g_hash_table_lookup_extended(vc->counts, key, NULL, &old)) {
    g_hash_table_insert(vc->counts, g_bytes_ref(key), GUINT_TO_POINTER(GPOINTER_TO_UINT(old) + 1));
    g_bytes_unref(key);
  } else {
    g_ptr_array_add(vc->order, g_bytes_ref(key));
    g_hash_table_insert(vc->counts, key, GUINT_TO_POINTER(1));
  }
  return TRUE;
}

static void
count_reset(gpointer data)
{
  VariantCount *vc = data;
  g_hash_table_remove_all(vc->counts);
  g_ptr_array_set_size(vc->order, 0);
}

static int
cmp_variant(gconstpointer a, gconstpointer b, gpointer data)
{
  GHashTable *counts = data;
  guint ca = GPOINTER_TO_UINT(g_hash_table_lookup(counts, *(GBytes **)a));
  guint cb = GPOINTER_TO_UINT(g_hash_table_lookup(counts, *(GBytes **)b));
  return ca > cb ? -1 : ca < cb;
}

static gboolean
select_top_variants(CxLog *log, GError **error)
{
  VariantCount vc;
  vc.counts
      = g_hash_table_new_full(g_bytes_hash, g_bytes_equal, (GDestroyNotify)g_bytes_unref, NULL);
  vc.order = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
  gboolean ok = scan_with_restart(log, count_variant, count_reset, &vc, error);
  if (ok) {
    /* stable: ties keep first-seen order */
    g_ptr_array_sort_with_data(vc.order, cmp_variant, vc.counts);
    log->allowed_variants
        = g_hash_table_new_full(g_bytes_hash, g_bytes_equal, (GDestroyNotify)g_bytes_unref, NULL);
    for (guint i = 0; i < vc.order->len && i < log->opts.top_variants; i++)
      g_hash_table_add(log->allowed_variants, g_bytes_ref(g_ptr_array_index(vc.order, i)));
  }
  g_hash_table_destroy(vc.counts);
  g_ptr_array_free(vc.order, TRUE);
  return ok;
}

gboolean
cx_log_scan(CxLog *log, CxJourneyFunc func, CxResetFunc reset, gpointer user_data, GError **error)
{
  g_return_val_if_fail(func != NULL, FALSE);
  if (log->sources->len == 0) {
    g_set_error(error, CX_READER_ERROR, CX_READER_ERROR_IO, "no input given");
    return FALSE;
  }
  if (!prepare(log, error))
    return FALSE;
  if (log->opts.top_variants > 0 && log->allowed_variants == NULL
      && !select_top_variants(log, error))
    return FALSE;
  return scan_with_restart(log, func, reset, user_data, error);
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
