/* The scan driver: opens sources, picks a reader, streams or groups, runs
 * the filter chain's pre-passes and starts over when a streamed XES repeats a
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
    cx_log_source_options(log, spec);
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

/* The thread policy, in one place: a file is read on every core (or
 * --threads), split into chunks of traces (xes-split.c) or records
 * (csv-split.c) once it is big enough that more threads pay off; a pass that met a failure on
 * several threads is read again on one (scan_with_restart), so that the failure is reported where
 * it happens.  One thread means no read-ahead either. */
static guint
threads_for(const CxLog *log, const CxReadOptions *o)
{
  if (log->one_thread)
    return 1;
  return o->threads != 0 ? o->threads : MAX(g_get_num_processors(), 1u);
}

/* The size from which a file is read on several threads (G_MAXSIZE =
 * never). */
static gsize
threads_after_of(const CxReadOptions *o)
{
  return o->threads_after != 0 ? o->threads_after : CX_THREADS_AFTER_DEFAULT;
}

static gboolean
read_source_format(CxLog *log, CxSink *sink, CxSourceSpec *spec, gboolean single, GError **error)
{
  g_autoptr(CxInput) in = cx_input_open(spec->spool != NULL ? spec->spool : spec->path, error);
  if (in == NULL)
    return FALSE;
  const char *name = strcmp(spec->path, "-") == 0 ? "<stdin>" : spec->path;
  cx_input_set_name(in, name);
  guint threads = threads_for(log, &spec->eff);
  cx_input_set_read_ahead(in, threads > 1);
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
  gsize after = threads_after_of(&spec->eff);
  if (fmt == CX_FORMAT_XES && threads > 1 && after != G_MAXSIZE)
    return cx_xes_read_split(in, sink, &spec->eff, threads, after, error);
  if (fmt == CX_FORMAT_XES)
    return cx_xes_read(in, sink, &spec->eff, error);
  if (threads > 1 && after != G_MAXSIZE) {
    /* a plain file is read straight into the chunks, on this thread (one
     * copy, no read-ahead buffers); gzip is inflated ahead on another */
    if (!cx_input_compressed(in))
      cx_input_set_read_ahead(in, FALSE);
    return cx_csv_read_split(in, sink, &spec->eff, threads, after, error);
  }
  return cx_csv_read(in, sink, &spec->eff, error);
}

/* A grouped pass hands its journeys on from every thread its files are
 * read on, when its consumer can be split (cx_log_set_split()) and it has
 * an event for every 64 bytes of threads_after: 65,536 by default, every
 * pass when a test lowers it to a byte. */
static void
split_finish(CxLog *log, CxSink *sink)
{
  gsize after = threads_after_of(&log->opts);
  if (log->fork == NULL || after == G_MAXSIZE)
    return;
  cx_sink_split_finish(sink, log->fork, log->merge, threads_for(log, &log->opts), after / 64);
}

/* Why a pass is to be redone. */
typedef enum {
  AGAIN_NO = 0,
  AGAIN_GROUPED = 1 << 0,   /* a streamed XES repeated a case id */
  AGAIN_ONE_THREAD = 1 << 1 /* a file split over threads met a failure */
} Again;

/* One pass over every source.  Sets *@again (and returns FALSE, @error
 * unset) when the pass is to be redone: grouped, or on one thread. */
static gboolean
scan_once(CxLog *log, gboolean force_grouped, CxJourneyFunc func, gpointer data, Again *again,
          GError **error)
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
  g_autoptr(GError) local = NULL;
  gboolean ok = TRUE;
  for (guint i = 0; i < log->sources->len && ok; i++)
    ok = read_source(log, sink, i, single, &local);
  if (ok)
    split_finish(log, sink);
  ok = ok && cx_sink_finish(sink, &local);
  /* the error that stopped the reader says only that the pass is void */
  *again = AGAIN_NO;
  if (!ok && cx_sink_saw_repeat(sink))
    *again = AGAIN_GROUPED;
  else if (!ok && cx_sink_asked_one_thread(sink))
    *again = AGAIN_ONE_THREAD;
  if (!ok && *again == AGAIN_NO)
    g_propagate_error(error, g_steal_pointer(&local));
  return ok;
}

/* A pass, redone as often as it asks (at most once grouped and once on one
 * thread); the consumer starts afresh each time. */
static gboolean
scan_with_restart(CxLog *log, CxJourneyFunc func, CxResetFunc reset, gpointer data, GError **error)
{
  gboolean grouped = FALSE;
  log->one_thread = FALSE;
  for (;;) {
    Again again = AGAIN_NO;
    if (scan_once(log, grouped, func, data, &again, error))
      return TRUE;
    if (again == AGAIN_NO || (again == AGAIN_GROUPED && grouped)
        || (again == AGAIN_ONE_THREAD && log->one_thread)) {
      if (again != AGAIN_NO)
        g_set_error(error, CX_READER_ERROR, CX_READER_ERROR_IO, "the scan did not settle");
      return FALSE;
    }
    grouped = grouped || again == AGAIN_GROUPED;
    log->one_thread = log->one_thread || again == AGAIN_ONE_THREAD;
    /* a pass on one thread is a fresh one: the case ids the failed pass
     * met would count against --memory before it meets them */
    if (again == AGAIN_ONE_THREAD)
      cx_pool_clear(log->cases);
    if (reset != NULL)
      reset(data);
  }
}

static gboolean survey_nothing(const CxJourney *j, gpointer data, GError **error);

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
  log->opts.notice = NULL;
  log->survey = cx_survey_new(log);
  gboolean ok = scan_with_restart(log, survey_nothing, survey_reset, log->survey, NULL);
  log->opts.notice = notice;
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
  if (log->opts.filters != NULL && !decide_chain(log, error))
    return FALSE;
  if (!scan_with_restart(log, func, reset, user_data, error) || !cx_log_report_sources(log, error))
    return FALSE;
  if (log->opts.filters != NULL)
    cx_filter_chain_report(log->opts.filters, log);
  explain_empty(log);
  return TRUE;
}
