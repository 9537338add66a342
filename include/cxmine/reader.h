/* cxmine — how event logs are read: the reading options, notices and the
 * reader's errors.  The log that is read with them is CxLog (log.h).
 */
#pragma once

#include <glib.h>
#include "journey.h"
#include "filter.h"
#include "calendar.h"
#include "progress.h"

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

/* Bytes from which a file is read on several threads, by default. */
#define CX_THREADS_AFTER_DEFAULT (4u * 1024u * 1024u)

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
  CxNoticeFunc notice;   /* NULL = notices are dropped */
  gpointer notice_data;
  CxProgressFunc progress; /* how far each source is read (cxmine/progress.h); NULL = none */
  gpointer progress_data;
  CxLifecycleMode lifecycle;
  /* Threads a file is read on: 0 = every core of the machine, 1 = one
   * thread for everything (no read-ahead either).  Results are the same for
   * every value. */
  guint threads;
  /* XES and CSV: a file is split over the threads only once it has more than this
   * many bytes (0 = CX_THREADS_AFTER_DEFAULT, G_MAXSIZE = never); below 1
   * MiB it is also the size of the chunks, so tests set 1 to read small
   * files on several threads, one trace or record a chunk. */
  gsize threads_after;
  /* bytes the grouped events, their case ids and the sort's index arrays may
   * take (the big buffers; the analyses' own samples are not counted yet);
   * 0 = CX_MEMORY_DEFAULT.  Past it the grouped events spill to sorted runs
   * in a temporary file in $TMPDIR (unlinked at once) and are merged at the
   * end; CX_READER_ERROR_MEMORY when the case ids alone, or one case's
   * events, need more. */
  guint64 memory;

  /* the case filters of every command (cxmine/filter.h), applied while
   * journeys are built, in their order; NULL = none.  Owned; add with
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

/* Sets @opts to the defaults (every field empty, the time window open). */
void cx_read_options_init(CxReadOptions *opts);
/* Frees what @opts owns (not @opts itself) and sets it to the defaults again. */
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
