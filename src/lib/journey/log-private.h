/* cxmine — the CxLog's insides: log.c owns them; the scan driver (scan.c),
 * the sink, the filters, the survey and partials read them. */
#pragma once

#include "cxmine/log.h"

G_BEGIN_DECLS

typedef struct _CxPartialSegment CxPartialSegment;

typedef struct {
  char *path; /* as given ("-" = standard input): the name in messages */
  CxFormat format;
  char *channel;
  char *spool;         /* a copy in $TMPDIR when the source cannot be read twice, or NULL */
  CxReadOptions *over; /* this source's own options (owned), or NULL */
  CxReadOptions eff;   /* the options it is read with: the log's under @over (not owned) */
  GTimeZone *tz;       /* its zone for naive times, NULL = UTC (owned) */
  /* what the last scan saw in it */
  gboolean naive;   /* naive timestamps */
  gboolean offsets; /* timestamps with an offset (or epoch values) */
  guint64 guessed;  /* day/month values read under a guessed order */
  guint64 dst_gap, dst_repeated;
  guint64 duplicates; /* its events that repeat an earlier one */
  gint64 unit;        /* the coarsest precision all its timestamps have (µs) */
} CxSourceSpec;

/* CxEvent.flags: the index of the event's source, for duplicates */
#define CX_EVENT_SOURCE_SHIFT 16
#define CX_EVENT_SOURCE_MAX   0xFFFFu

/* An attribute a caller wants per journey (CxReadOptions.attr_keys). */
typedef struct {
  guint32 out;  /* key id of the string as given ("KEY" or "KEY@last") */
  guint32 base; /* key id of KEY */
  guint slot;   /* its event value slot (one per distinct KEY) */
  gboolean last;
} CxWant;

#ifndef CX_LOG_OPAQUE
/* Only the log's own module and those that prepare or report on a scan
 * look inside; the sink defines CX_LOG_OPAQUE and uses the accessors
 * below. */
struct _CxLog {
  CxReadOptions opts;
  char *display_name; /* cx_log_set_display_name(), or NULL: from the sources */
  GPtrArray *sources; /* CxSourceSpec* */
  CxPool *activities, *resources, *channels, *cases, *keys, *values;
  CxReadCounts counts;
  GTimeZone *naive_tz;
  GTimeZone *display_tz;    /* made on first use; NULL = UTC */
  struct _CxSurvey *survey; /* set while explaining an empty selection (survey.c) */
  GPtrArray *spools;        /* char*: spool files made by this log, removed when it is freed */
  GArray *want;             /* CxWant; NULL until prepared */
  GArray *want_slots;       /* guint32 key id of each event value slot */
  GByteArray *key_types;    /* by key id: 0 = not seen, else CxAttrType + 1 (sink side) */
  /* partials read instead of files (partial.c): CxPartialSegment*, not owned */
  GPtrArray *segments;
  gboolean segments_sorted;
  gboolean one_thread;    /* this scan reads every file on one thread (scan.c) */
  gboolean no_case_names; /* cx_log_set_case_names(log, FALSE) */
  CxForkFunc fork;        /* cx_log_set_split() */
  CxMergeFunc merge;
};
#endif

/* ---------- what the sink sees of a log ---------- */

/* The counters of the scan in progress, to count into. */
CxReadCounts *cx_log_tally(CxLog *log);
/* Source @i (cx_log_n_sources()). */
CxSourceSpec *cx_log_source(CxLog *log, guint i);
/* The zone for naive times (NULL = UTC). */
GTimeZone *cx_log_naive_tz(const CxLog *log);
/* FALSE when the log's owner said journeys need no names
 * (cx_log_set_case_names()). */
gboolean cx_log_names_cases(const CxLog *log);
/* The survey of an empty selection while it runs, else NULL. */
struct _CxSurvey *cx_log_survey(const CxLog *log);
/* What the scan prepared: the wanted attributes (CxWant) and their event
 * value slots (guint32 key ids). */
GArray *cx_log_wants(const CxLog *log);
GArray *cx_log_want_slots(const CxLog *log);
/* The declared type of each key, by key id (0 = not seen, else
 * CxAttrType + 1), made on first use. */
GByteArray *cx_log_key_types(CxLog *log);

/* Sets @spec->eff, the options @spec is read with: the log's, with its own
 * on top. */
void cx_log_source_options(CxLog *log, CxSourceSpec *spec);

/* After a scan: warns (or, strict, fails) about naive times, mixed zones,
 * guessed day/month orders, daylight-saving corrections and duplicates,
 * naming the files. */
gboolean cx_log_report_sources(CxLog *log, GError **error);

G_END_DECLS
