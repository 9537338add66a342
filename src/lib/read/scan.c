/* The scan driver: opens sources, picks a reader, streams or groups, runs
 * pre-passes (top variants) and starts over when a streamed XES repeats a
 * case id. */
#include "survey-private.h"
#include "filter-private.h"
#include "reader-private.h"
#include "log-private.h"
#include "partial-private.h"
#include "cxmine/cleanup.h"
#include "cxmine/calendar.h"
#include "cxmine/timestamp.h"
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <unistd.h>

/* the quark's name is one token, which clang-format would split */
/* clang-format off */
G_DEFINE_QUARK(cx-reader-error-quark, cx_reader_error)
/* clang-format on */

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
  cx_read_options_init(&log->opts);
  return log;
}

/* A deep copy of the per-source reading options of @o. */
static CxReadOptions *
options_copy_reading(const CxReadOptions *o)
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

/* The options @spec is read with: the log's, with its own on top. */
static void
source_options(CxLog *log, CxSourceSpec *spec)
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
  if (log->where != NULL)
    g_array_free(log->where, TRUE);
  if (log->allowed_variants != NULL)
    g_hash_table_destroy(log->allowed_variants);
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
    s->over = options_copy_reading(overrides);
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

/* ---------- preparation ---------- */

static const char *
source_name(const CxLog *log, const CxSourceSpec *spec)
{
  return strcmp(spec->path, "-") == 0 ? "<stdin>" : spec->path;
}

/* Each source's options and zone; a file given twice is refused (its events
 * would all be duplicates). */
static gboolean
prepare_sources(CxLog *log, GError **error)
{
  for (guint i = 0; i < log->sources->len; i++) {
    CxSourceSpec *spec = g_ptr_array_index(log->sources, i);
    source_options(log, spec);
    const char *zone = spec->eff.timezone;
    if (spec->tz == NULL && zone != NULL && g_ascii_strcasecmp(zone, "UTC") != 0) {
      if (log->naive_tz != NULL && g_strcmp0(zone, log->opts.timezone) == 0)
        spec->tz = g_time_zone_ref(log->naive_tz);
      else
        spec->tz = g_time_zone_new_identifier(zone);
      if (spec->tz == NULL) {
        g_set_error(error, CX_READER_ERROR, CX_READER_ERROR_VALUE, "%s: unknown time zone '%s'",
                    source_name(log, spec), zone);
        return FALSE;
      }
    }
    GStatBuf st;
    for (guint k = 0; k < i && strcmp(spec->path, "-") == 0; k++)
      if (strcmp(((CxSourceSpec *)g_ptr_array_index(log->sources, k))->path, "-") == 0) {
        g_set_error(error, CX_READER_ERROR, CX_READER_ERROR_MAPPING,
                    "standard input ('-') is given twice");
        return FALSE;
      }
    if (strcmp(spec->path, "-") == 0 || g_stat(spec->path, &st) != 0)
      continue;
    for (guint k = 0; k < i; k++) {
      const CxSourceSpec *o = g_ptr_array_index(log->sources, k);
      GStatBuf so;
      if (strcmp(o->path, "-") != 0 && g_stat(o->path, &so) == 0 && so.st_dev == st.st_dev
          && so.st_ino == st.st_ino) {
        g_set_error(error, CX_READER_ERROR, CX_READER_ERROR_MAPPING,
                    "%s: the same file is given twice (also as '%s'): its events would all be "
                    "duplicates",
                    spec->path, o->path);
        return FALSE;
      }
    }
  }
  return TRUE;
}

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
  if (log->opts.filters != NULL && !cx_filter_chain_prepare(log->opts.filters, log, error))
    return FALSE;
  if (!prepare_sources(log, error))
    return FALSE;
  /* standard input, FIFOs, /dev/stdin and <(...) can be read once: spool
   * them for every pass (a repeated case id in a streamed XES starts the
   * scan over; a FIFO reopened would wait forever for a writer) */
  for (guint i = 0; i < log->sources->len; i++) {
    CxSourceSpec *s = g_ptr_array_index(log->sources, i);
    if (s->spool != NULL || !cx_source_needs_spool(s->path))
      continue;
    for (guint j = 0; j < i && s->spool == NULL; j++) {
      CxSourceSpec *o = g_ptr_array_index(log->sources, j);
      if (o->spool != NULL && strcmp(o->path, s->path) == 0)
        s->spool = g_strdup(o->spool);
    }
    if (s->spool == NULL && !cx_source_spool(log, s->path, &s->spool, error))
      return FALSE;
  }
  return TRUE;
}

gboolean
cx_source_needs_spool(const char *path)
{
  if (strcmp(path, "-") == 0)
    return TRUE;
  struct stat st;
  /* a path that cannot be looked at is left to the reader's message */
  return stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode);
}

gboolean
cx_source_spool(CxLog *log, const char *path, char **spool, GError **error)
{
  gboolean is_stdin = strcmp(path, "-") == 0;
  const char *name = is_stdin ? "<stdin>" : path;
  int in = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
  if (in < 0) {
    int e = errno;
    g_set_error(error, CX_READER_ERROR, CX_READER_ERROR_IO, "%s: cannot open: %s", name,
                g_strerror(e));
    return FALSE;
  }
  struct stat st;
  if (fstat(in, &st) == 0 && S_ISDIR(st.st_mode)) {
    if (!is_stdin)
      close(in);
    g_set_error(error, CX_READER_ERROR, CX_READER_ERROR_IO, "%s: is a directory", name);
    return FALSE;
  }
  g_autofree char *tmp = NULL;
  int fd = g_file_open_tmp("cxmine-spool-XXXXXX", &tmp, error);
  if (fd < 0) {
    if (!is_stdin)
      close(in);
    g_prefix_error(error, "%s: cannot spool: ", name);
    return FALSE;
  }
  /* registered at once, so that it is removed whatever happens next */
  if (log->spools == NULL)
    log->spools = g_ptr_array_new_with_free_func(g_free);
  g_ptr_array_add(log->spools, g_strdup(tmp));
  cx_cleanup_add_file(tmp); /* removed on a signal too */
  char buf[65536];
  gboolean ok = TRUE;
  for (;;) {
    ssize_t n = read(in, buf, sizeof buf);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      int e = errno;
      g_set_error(error, CX_READER_ERROR, CX_READER_ERROR_IO, "%s: cannot read: %s", name,
                  g_strerror(e));
      ok = FALSE;
      break;
    }
    if (n == 0)
      break;
    for (ssize_t done = 0; done < n;) {
      ssize_t w = write(fd, buf + done, (size_t)(n - done));
      if (w < 0 && errno == EINTR)
        continue;
      if (w < 0) {
        int e = errno;
        g_set_error(error, CX_READER_ERROR, CX_READER_ERROR_IO, "%s: cannot spool to %s: %s", name,
                    tmp, g_strerror(e));
        ok = FALSE;
        break;
      }
      done += w;
    }
    if (!ok)
      break;
  }
  if (!is_stdin)
    close(in);
  if (close(fd) != 0 && ok) {
    int e = errno;
    g_set_error(error, CX_READER_ERROR, CX_READER_ERROR_IO, "%s: cannot spool to %s: %s", name, tmp,
                g_strerror(e));
    ok = FALSE;
  }
  if (ok)
    *spool = g_steal_pointer(&tmp);
  return ok;
}

/* ---------- one pass ---------- */

static gboolean read_source_format(CxLog *log, CxSink *sink, CxSourceSpec *spec, gboolean single,
                                   GError **error);

/* Reads one source, noting what its timestamps were like. */
static gboolean
read_source(CxLog *log, CxSink *sink, guint index, gboolean single, GError **error)
{
  CxSourceSpec *spec = g_ptr_array_index(log->sources, index);
  CxReadCounts before = log->counts;
  guint64 gap0, rep0, gap1, rep1;
  cx_time_dst_counts(&gap0, &rep0);
  log->counts.naive_times = FALSE;
  cx_sink_set_source(sink, index, spec);
  gboolean ok = read_source_format(log, sink, spec, single, error);
  cx_time_dst_counts(&gap1, &rep1);
  spec->naive = log->counts.naive_times;
  /* the log-wide flag speaks of the log's zone: a file read in its own zone is reported apart */
  gboolean own_zone = spec->over != NULL && spec->over->timezone != NULL;
  log->counts.naive_times = (spec->naive && !own_zone) || before.naive_times;
  spec->guessed = log->counts.dates_guessed - before.dates_guessed;
  spec->dst_gap = gap1 - gap0;
  spec->dst_repeated = rep1 - rep0;
  log->counts.dst_gap += spec->dst_gap;
  log->counts.dst_repeated += spec->dst_repeated;
  guint64 timed = (log->counts.events_read - before.events_read)
                  - (log->counts.no_timestamp - before.no_timestamp);
  spec->offsets = !spec->naive && timed > 0;
  return ok;
}

static gboolean
read_source_format(CxLog *log, CxSink *sink, CxSourceSpec *spec, gboolean single, GError **error)
{
  g_autoptr(CxInput) in = cx_input_open(spec->spool != NULL ? spec->spool : spec->path, error);
  if (in == NULL)
    return FALSE;
  const char *name = strcmp(spec->path, "-") == 0 ? "<stdin>" : spec->path;
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
  if (single)
    cx_sink_set_streaming(sink, fmt == CX_FORMAT_XES);
  if (fmt == CX_FORMAT_XES)
    return cx_xes_read(in, sink, &spec->eff, error);
  return cx_csv_read(in, sink, &spec->eff, error);
}

static gboolean
scan_once(CxLog *log, gboolean force_grouped, CxJourneyFunc func, gpointer data, GError **error)
{
  memset(&log->counts, 0, sizeof log->counts);
  if (log->opts.filters != NULL)
    cx_filter_chain_begin_scan(log->opts.filters, log->survey != NULL);
  g_autoptr(CxSink) sink = cx_sink_new(log, func, data);
  cx_sink_set_streaming(sink, FALSE);
  gboolean single = log->sources->len == 1 && !force_grouped;
  for (guint i = 0; i < log->sources->len; i++) {
    CxSourceSpec *spec = g_ptr_array_index(log->sources, i);
    spec->duplicates = 0;
    spec->unit = 0;
  }
  for (guint i = 0; i < log->sources->len; i++)
    if (!read_source(log, sink, i, single, error))
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

static gboolean survey_nothing(const CxJourney *j, gpointer data, GError **error);

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

/* The chain's filters that need the whole log (variant rank, share), in
 * order: a pass each, counting the journeys that reach the filter. */
static gboolean
decide_chain(CxLog *log, GError **error)
{
  CxFilterChain *chain = log->opts.filters;
  int i;
  while ((i = cx_filter_chain_pending(chain)) >= 0) {
    cx_filter_chain_set_prepass(chain, i);
    gboolean ok = scan_with_restart(log, survey_nothing, NULL, NULL, error);
    cx_filter_chain_set_prepass(chain, -1);
    if (!ok)
      return FALSE;
    cx_filter_chain_decide(chain, log, i);
  }
  return TRUE;
}

/* ---------- an empty selection ---------- */

static gboolean
survey_nothing(const CxJourney *j, gpointer data, GError **error)
{
  return TRUE;
}

static void
survey_reset(gpointer data)
{
  cx_survey_reset(data);
}

/* The filters kept nothing of a log that has cases: read it once more
 * (quietly: each notice was given in the first pass) to say why. */
static void
explain_empty(CxLog *log)
{
  if (!cx_survey_wanted(log))
    return;
  CxReadCounts counts = log->counts;
  CxNoticeFunc notice = log->opts.notice;
  gboolean progress = log->opts.progress;
  log->opts.notice = NULL;
  log->opts.progress = FALSE;
  log->survey = cx_survey_new(log);
  gboolean ok = scan_with_restart(log, survey_nothing, survey_reset, log->survey, NULL);
  log->opts.notice = notice;
  log->opts.progress = progress;
  log->counts = counts;
  if (ok)
    cx_survey_explain(log->survey);
  g_clear_pointer(&log->survey, cx_survey_free);
}

gboolean
cx_log_scan(CxLog *log, CxJourneyFunc func, CxResetFunc reset, gpointer user_data, GError **error)
{
  g_return_val_if_fail(func != NULL, FALSE);
  /* partials: their journeys were read, filtered and reported on when they
   * were written */
  if (log->segments != NULL)
    return cx_partial_replay(log, func, user_data, error);
  if (log->sources->len == 0) {
    g_set_error(error, CX_READER_ERROR, CX_READER_ERROR_IO, "no input given");
    return FALSE;
  }
  if (!prepare(log, error))
    return FALSE;
  if (log->opts.top_variants > 0 && log->allowed_variants == NULL
      && !select_top_variants(log, error))
    return FALSE;
  if (log->opts.filters != NULL && !decide_chain(log, error))
    return FALSE;
  if (!scan_with_restart(log, func, reset, user_data, error) || !cx_log_report_sources(log, error))
    return FALSE;
  if (log->opts.filters != NULL)
    cx_filter_chain_report(log->opts.filters, log);
  explain_empty(log);
  return TRUE;
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
