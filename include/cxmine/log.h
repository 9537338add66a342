/* cxmine — the event log: its sources, pools and counters, and the scan.
 *
 * A CxLog is configured with sources (files, "-" for standard input) and
 * CxReadOptions (reader.h), then scanned: cx_log_scan() reads every source,
 * rebuilds the journeys (journey.h) and hands each kept journey to a
 * callback.  Scanning may be done more than once (ids stay stable across
 * passes); standard input is spooled to a temporary file when a second pass
 * is needed.
 *
 * A single XES source is streamed: only the trace in flight is held.  CSV
 * sources, several sources, and XES whose case ids repeat across traces are
 * grouped: every event is buffered as one 32-byte record before journeys are
 * built.
 */
#pragma once

#include <glib.h>
#include "journey.h"
#include "reader.h"

G_BEGIN_DECLS

typedef struct _CxLog CxLog;

/* Returns a new, empty log with default options. */
CxLog *cx_log_new(void);
void cx_log_free(CxLog *log);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CxLog, cx_log_free)

/* The options are owned by the log; change them before the first scan. */
CxReadOptions *cx_log_options(CxLog *log);

/* Adds a source. @path is a file or "-"; @format forces a format;
 * @channel, when not NULL, tags every event of this source with that channel. */
void cx_log_add_source(CxLog *log, const char *path, CxFormat format, const char *channel);
/* The same with reading options for this source only: every field of
 * @overrides that is set (a non-NULL string, a non-zero delimiter, lifecycle
 * or flag) replaces the log's option while this source is read; the rest
 * come from cx_log_options().  Case filters, attr_keys, strict, dedupe and
 * the journey options are the log's and are ignored here.  @overrides is
 * copied (may be NULL). */
void cx_log_add_source_full(CxLog *log, const char *path, CxFormat format, const char *channel,
                            const CxReadOptions *overrides);
guint cx_log_n_sources(const CxLog *log);
const char *cx_log_source_path(const CxLog *log, guint i);

/* A short name for reports: the first source's base name (", ..." when several). */
char *cx_log_display_name(const CxLog *log);
/* Names the log in reports instead of its sources (NULL = from the sources
 * again): a merge of shards' partials names the log it was cut from. */
void cx_log_set_display_name(CxLog *log, const char *name);
/* Whether the journeys of a streamed XES are named (the default: each
 * journey's case_id is its case id in cx_log_cases()).  An owner whose
 * analyses never look a journey's case up (no case lists, examples,
 * partials or exports) may say FALSE before cx_log_scan(): a streamed XES
 * then keeps a 64-bit fingerprint a case, to find a repeated case id,
 * instead of the id itself (about 45 bytes a case), and numbers its
 * journeys 1, 2, ... in the file's order.  Grouped input, filters and cut
 * journeys name every journey whatever this says. */
void cx_log_set_case_names(CxLog *log, gboolean names);

/* Called for each kept journey; return FALSE with @error set to stop. */
typedef gboolean (*CxJourneyFunc)(const CxJourney *journey, gpointer user_data, GError **error);
/* Called when a scan must start over (a streamed XES turned out to repeat
 * case ids): forget every journey seen so far in this pass. */
typedef void (*CxResetFunc)(gpointer user_data);

/* A new, empty state of the same analysis (and options) as @user_data,
 * for a share of the journeys of a split scan. */
typedef gpointer (*CxForkFunc)(gpointer user_data);
/* Adds @part, a state from the CxForkFunc whose journeys all come after
 * those @user_data saw, to @user_data, so that it is as if @user_data had
 * seen them all, and frees @part. */
typedef void (*CxMergeFunc)(gpointer user_data, gpointer part);
/* Lets the scans of @log hand journeys to several states of its consumer at
 * once: a grouped scan (CSV, several sources, an XES that repeats case ids)
 * on several threads hands its journeys on from up to four of them, each a
 * run of consecutive journeys (in memory, not after a spill) into a state
 * made by @fork, merged by @merge in order before cx_log_scan() returns.
 * The CxJourneyFunc then runs on several threads at once, each call with
 * its own state: it may read the log's pools, never add to them.  The
 * answers must be those of one state (dfg, stats and variants are:
 * cx_dfg_fork(), cx_stats_fork(), cx_variants_fork()).  NULL, NULL (the
 * default): one state, on the scan's thread. */
void cx_log_set_split(CxLog *log, CxForkFunc fork, CxMergeFunc merge);

/* Reads all sources, calling @func for each journey that passes the filters,
 * in order of first appearance of the case.  Returns FALSE with @error set on
 * bad input: the message names the file, the line (and column where known)
 * and the offending value. */
gboolean cx_log_scan(CxLog *log, CxJourneyFunc func, CxResetFunc reset, gpointer user_data,
                     GError **error);

/* The zone in which times are shown to people: options->display_timezone,
 * else options->timezone, else UTC.  Returns a zone owned by the log, or
 * NULL for UTC (and for a name GLib does not know: callers that take names
 * from people check them with g_time_zone_new_identifier first). */
GTimeZone *cx_log_display_tz(CxLog *log);
/* The name of that zone, for people ("UTC", "Europe/Rome"). */
const char *cx_log_display_tz_name(const CxLog *log);

/* Pools, valid for the log's life. */
CxPool *cx_log_activities(CxLog *log);
CxPool *cx_log_resources(CxLog *log);
CxPool *cx_log_channels(CxLog *log);
CxPool *cx_log_cases(CxLog *log);
CxPool *cx_log_keys(CxLog *log);
CxPool *cx_log_values(CxLog *log);

/* The type the log declared for attribute key @key (an id in
 * cx_log_keys()): the XES element of its first value; CX_ATTR_STRING when
 * unknown (CSV) or when values of several types were seen.  Valid during a
 * scan for every key of the journeys handed over so far. */
CxAttrType cx_log_key_type(const CxLog *log, guint32 key);

/* Counters of the last scan. */
typedef struct {
  guint64 events_read;       /* every <event> or data row */
  guint64 events_kept;       /* events in kept journeys */
  guint64 no_activity;       /* dropped: no activity value */
  guint64 no_case;           /* dropped: no case id */
  guint64 no_timestamp;      /* kept without timestamp */
  guint64 invalid_skipped;   /* dropped by skip_invalid */
  guint64 lifecycle_dropped; /* dropped by lifecycle complete/pair */
  guint64 traces_read;       /* XES traces, or distinct CSV cases */
  guint64 empty_traces;      /* traces with no usable event */
  guint64 unnamed_traces;    /* XES traces without concept:name, named "#N" by their place */
  guint64 cases_kept;        /* journeys handed to the callback */
  guint64 cases_filtered;    /* journeys removed by filters */
  gboolean naive_times;      /* some timestamps had no offset and were read in options->timezone */
  gboolean grouped;          /* events were buffered (not streamed) */
  guint64 dates_guessed;     /* CSV dd/mm/yyyy values read day-first: no value proved the order */
  /* An event with the same case, activity, lifecycle transition and
   * timestamp (compared at the coarser precision of the two sources) and
   * the same resource where both have one as an event before it in the
   * journey: counted, and dropped with CxReadOptions.dedupe. */
  guint64 duplicates;
  /* naive local times that fell in a daylight-saving gap (read with the
   * offset before the transition: 02:30 Amsterdam on the spring day is
   * 01:30Z) or in the repeated autumn hour (the first, summer reading) */
  guint64 dst_gap, dst_repeated;
  guint64 cases_built;       /* cases whose events were ordered into journeys */
  guint64 cases_cut;         /* cases cut into several journeys */
  guint64 journeys_from_cut; /* the journeys those cases became */
} CxReadCounts;

const CxReadCounts *cx_log_counts(const CxLog *log);

G_END_DECLS
