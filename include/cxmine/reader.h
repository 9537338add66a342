/* cxmine — reading event logs into journeys.
 *
 * A CxLog is configured with sources (files, "-" for standard input) and
 * CxReadOptions, then scanned: cx_log_scan() reads every source, rebuilds the
 * journeys and hands each kept journey to a callback.  Scanning may be done
 * more than once (ids stay stable across passes); standard input is spooled
 * to a temporary file when a second pass is needed.
 *
 * A single XES source is streamed: only the trace in flight is held.  CSV
 * sources, several sources, and XES whose case ids repeat across traces are
 * grouped: every event is buffered as one 32-byte record before journeys are
 * built.
 */
#pragma once

#include <glib.h>
#include "log.h"
#include "filter.h"
#include "calendar.h"

G_BEGIN_DECLS

#define CX_READER_ERROR (cx_reader_error_quark())
GQuark cx_reader_error_quark(void);

typedef enum {
  CX_READER_ERROR_IO,      /* cannot open or read, truncated gzip */
  CX_READER_ERROR_PARSE,   /* malformed XML or CSV */
  CX_READER_ERROR_VALUE,   /* a value that cannot be parsed (timestamp, number) */
  CX_READER_ERROR_MAPPING, /* a mapped column, key or classifier that does not exist */
  CX_READER_ERROR_EMPTY,   /* an empty input */
  CX_READER_ERROR_MEMORY,  /* the grouped events need more than CxReadOptions.memory */
} CxReaderError;

/* The default memory budget: 1 GiB, fixed (never derived from the machine,
 * so that results do not depend on where they ran). */
#define CX_MEMORY_DEFAULT ((gsize)1 << 30)

typedef enum {
  CX_FORMAT_AUTO = 0,
  CX_FORMAT_XES,
  CX_FORMAT_CSV,
} CxFormat;

typedef enum {
  CX_LIFECYCLE_MODE_AUTO = 0, /* pair when the case has start events, else all */
  CX_LIFECYCLE_MODE_ALL,      /* every event is an instance (as PM4Py does) */
  CX_LIFECYCLE_MODE_COMPLETE, /* only complete events (and events without lifecycle) */
  CX_LIFECYCLE_MODE_PAIR,     /* pair start/complete FIFO per activity; drop other transitions */
} CxLifecycleMode;

/* Notices: what the library wants a person to know, handed to the caller
 * (the library never prints).  VERBOSE notices are details asked for with
 * CxReadOptions.verbose (the column mapping); WARNING notices say what was
 * assumed or dropped (a guessed date order, an assumed time zone, a filter
 * that kept nothing).  @code is a stable machine name ("naive-times",
 * "empty-selection", ...), @message one line without a trailing newline. */
typedef enum {
  CX_NOTICE_VERBOSE,
  CX_NOTICE_WARNING,
  CX_NOTICE_INFO, /* what was done, always told (a filter's counts) */
} CxNoticeLevel;

typedef void (*CxNoticeFunc)(CxNoticeLevel level, const char *code, const char *message,
                             gpointer user_data);

typedef struct {
  /* XES */
  char *classifier;   /* name of a <classifier> declared in the log, or NULL */
  char *activity_key; /* attribute naming the activity; NULL = "concept:name" */
  char *channel_key;  /* attribute naming the channel; NULL = "channel" */
  char *resource_key; /* NULL = "org:resource" */

  /* CSV */
  char delimiter; /* 0 = detect among , ; TAB | */
  /* the columns: NULL = detect by header name, "" = none */
  char *case_col;
  char **activity_cols; /* NULL-terminated; several are joined with " | " */
  char *timestamp_col;
  char *start_col;
  char *resource_col;
  char *channel_col;
  char *timestamp_format; /* strptime-like pattern: %Y %m %d %H %M %S %f %z and literals */
  char *timezone;         /* for naive timestamps; NULL = UTC */
  /* times shown to people (never JSON): NULL = timezone, else UTC; see
   * cx_log_display_tz() */
  char *display_timezone;

  /* both */
  gboolean skip_invalid; /* drop rows with unparseable timestamps instead of failing */
  gboolean verbose;      /* print the chosen mapping to stderr */
  gboolean progress;     /* print progress on stderr */
  CxNoticeFunc notice;   /* NULL = notices are dropped */
  gpointer notice_data;
  CxLifecycleMode lifecycle;
  /* XES: once this many bytes are parsed, the sink moves to a thread of its
   * own (at the next trace); 0 = 1 MiB, G_MAXSIZE = never (one thread) */
  gsize threads_after;
  /* bytes the grouped events, their case ids and the sort's index arrays may
   * take (the big buffers; the analyses' own samples are not counted yet);
   * 0 = CX_MEMORY_DEFAULT.  Going past it fails with CX_READER_ERROR_MEMORY
   * (no disk spill yet). */
  guint64 memory;

  /* case filters, applied while journeys are built (the command line puts
   * every filter in @filters below instead; these stay for library callers) */
  gint64 from, to;    /* keep cases whose first timestamp is in [from, to); CX_TS_NONE = open */
  char **where;       /* "KEY=VALUE", each must hold for a trace or some event attribute */
  char *starts_with;  /* first activity */
  char *ends_with;    /* last activity */
  guint top_variants; /* 0 = all */
  /* the filters of every command (cxmine/filter.h), applied after the ones
   * above, in their order; NULL = none.  Owned; add with
   * cx_read_options_add_filter(). */
  CxFilterChain *filters;

  /* attributes a caller needs per journey (--by, --satisfaction-key, exports):
   * NULL-terminated keys, "KEY" or "KEY@last".  A trace attribute (or a CSV
   * "case:KEY" column) of that name is the case's value; otherwise, for an
   * event attribute, "KEY" is the case's first non-empty value and "KEY@last"
   * its last (../shared/DECISIONS.md).  The values appear in CxJourney.attrs
   * under the key id of the string as given.  Add with
   * cx_read_options_want_attr(). */
  char **attr_keys;
  /* Keep every attribute of every event (CxJourney.event_attrs), for exports
   * such as `cxmine filter`: costs memory in proportion to the attributes of
   * the journey in flight (streamed) or of the log (grouped), within
   * CxReadOptions.memory.  Trace attributes are always kept. */
  gboolean event_attrs;

  /* several sources, time zones, journeys (issue 12) */
  gboolean strict; /* the warnings on times and duplicates are errors */
  gboolean dedupe; /* drop duplicate events (see CxReadCounts.duplicates) */
  /* Cutting a case into journeys, on its ordered events before lifecycle
   * pairing: a gap longer than journey_gap (microseconds; 0 = never) between
   * two events, or an event of activity journey_starts_with (NULL = none),
   * starts a new journey.  A case that is not cut keeps its id; the journeys
   * of a cut case are "ID#1", "ID#2", ... Filters apply to journeys. */
  gint64 journey_gap;
  char *journey_starts_with;
  /* Business hours (issue 17): when not NULL, every wait, service time and
   * duration the analyses measure counts working time only (cx_elapsed() in
   * calendar.h).  Owned by the options (freed with the log); the log's, not
   * a source's. */
  CxCalendar *calendar;
  /* Per-source options (cx_log_add_source_full): the lifecycle handling of
   * one source's events.  Only these values mean something there:
   * CX_LIFECYCLE_MODE_ALL (its transitions are ignored: every event is
   * complete), CX_LIFECYCLE_MODE_COMPLETE (only its complete events are
   * kept); the log's own mode is CxReadOptions.lifecycle above. */
} CxReadOptions;

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

/* Called for each kept journey; return FALSE with @error set to stop. */
typedef gboolean (*CxJourneyFunc)(const CxJourney *journey, gpointer user_data, GError **error);
/* Called when a scan must start over (a streamed XES turned out to repeat
 * case ids): forget every journey seen so far in this pass. */
typedef void (*CxResetFunc)(gpointer user_data);

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

/* Sets @opts to the defaults (every field empty, the time window open). */
void cx_read_options_init(CxReadOptions *opts);
/* Frees what @opts owns and sets it to the defaults again. */
void cx_read_options_clear(CxReadOptions *opts);

/* Parsers of the values people give as text; FALSE (and @out untouched)
 * when @s is none of them.  "xes" or "csv", any case: */
gboolean cx_format_parse(const char *s, CxFormat *out);
/* "pair", "all" or "complete": */
gboolean cx_lifecycle_mode_parse(const char *s, CxLifecycleMode *out);
/* one character (not a quote or line break), or "\\t" or "tab" for TAB: */
gboolean cx_delimiter_parse(const char *s, char *out);
/* a byte count, with K, M, G or T (binary multiples; "B" or "iB" may
 * follow): "65536", "512M", "2GiB"; never 0: */
gboolean cx_size_parse(const char *s, guint64 *out);

/* Adds @key ("KEY" or "KEY@last") to @opts->attr_keys unless it is there. */
void cx_read_options_want_attr(CxReadOptions *opts, const char *key);

/* Appends the filter @option ARG to @opts->filters (cx_filter_chain_add()). */
gboolean cx_read_options_add_filter(CxReadOptions *opts, const char *option, const char *arg,
                                    GError **error);

/* Hands a notice to @opts->notice (nothing when it is NULL). */
void cx_notice(const CxReadOptions *opts, CxNoticeLevel level, const char *code, const char *fmt,
               ...) G_GNUC_PRINTF(4, 5);

G_END_DECLS
