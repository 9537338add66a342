/* cxmine — the event log as journeys: interned names, compact events, journeys.
 *
 * A CxLog holds what outlives any single journey: the string pools that turn
 * activity, resource, channel, case and attribute names into small integer
 * ids, the reading options and the counters of what was read.  Events never
 * carry strings: hot loops work on ids.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A missing timestamp. */
#define CX_TS_NONE      G_MININT64
#define CX_USEC_PER_SEC G_GINT64_CONSTANT(1000000)

/* The "none" id in every pool: the empty string. Real names start at 1. */
#define CX_ID_NONE 0u

typedef enum {
  CX_LIFECYCLE_COMPLETE = 0, /* also: no lifecycle attribute at all */
  CX_LIFECYCLE_START = 1,
  CX_LIFECYCLE_OTHER = 2, /* schedule, suspend, "In Progress", ... */
} CxLifecycle;

/* CxEvent.flags */
#define CX_EVENT_LIFECYCLE_MASK 0x3u
#define CX_EVENT_UNTIMED        0x4u /* no timestamp; placed after its predecessor in file order */

/* One activity instance of a journey (or, before pairing, one raw event).
 * 32 bytes; no heap pointers. */
typedef struct {
  gint64 time;      /* UTC microseconds of completion (the event's timestamp); CX_TS_NONE */
  gint64 start;     /* UTC microseconds of the start, for paired instances; CX_TS_NONE */
  guint32 activity; /* id in cx_log_activities() */
  guint32 resource; /* id in cx_log_resources(), CX_ID_NONE when absent */
  guint32 channel;  /* id in cx_log_channels(), CX_ID_NONE when absent */
  guint32 flags;    /* CX_EVENT_* */
} CxEvent;

/* An attribute of a case: ids in cx_log_keys() and cx_log_values(). */
typedef struct {
  guint32 key;
  guint32 value;
} CxAttr;

/* One case's journey, ordered by time (stable: ties keep file order).
 * Journeys are handed to a CxJourneyFunc; the pointers are valid only
 * during that call. */
typedef struct {
  guint32 case_id;   /* id in cx_log_cases() */
  guint n_events;    /* raw events read for this case, before lifecycle pairing */
  guint n_instances; /* length of instances */
  const CxEvent *instances;
  guint n_attrs;
  const CxAttr *
      attrs; /* trace attributes but concept:name (XES) or case:* columns (CSV); first value wins */
  guint n_untimed; /* instances without a timestamp */
  /* With CxReadOptions.event_attrs: each instance's own attributes, as read
   * (every one but those the reader mapped to the case, activity, timestamp,
   * lifecycle, resource or channel; empty values are left out): instance
   * i's are event_attrs[event_attr_at[i] .. event_attr_at[i + 1]).  A paired
   * instance has its completion's attributes, then those of its start that
   * the completion lacks.  Both NULL otherwise. */
  const guint *event_attr_at;
  const CxAttr *event_attrs;
} CxJourney;

/* The type a log declared for an attribute (XES <string>, <date>, ...);
 * CSV columns are strings. */
typedef enum {
  CX_ATTR_STRING = 0,
  CX_ATTR_DATE,
  CX_ATTR_INT,
  CX_ATTR_FLOAT,
  CX_ATTR_BOOLEAN,
  CX_ATTR_ID,
} CxAttrType;

/* ---------- string pool ---------- */

typedef struct _CxPool CxPool;

/* Returns a new pool holding only the empty string at id CX_ID_NONE. Free with cx_pool_free(). */
CxPool *cx_pool_new(void);
void cx_pool_free(CxPool *pool);
/* Returns the id of @s (@len bytes, or NUL-terminated when @len < 0), adding it when new. */
guint32 cx_pool_intern(CxPool *pool, const char *s, gssize len);
/* Returns the id of @s, or G_MAXUINT32 when it is not in the pool. */
guint32 cx_pool_lookup(const CxPool *pool, const char *s, gssize len);
/* A hint: @s (@len bytes) will be interned soon; starts loading its table
 * slot into the cache. */
void cx_pool_prefetch(const CxPool *pool, const char *s, gsize len);
/* Returns the string of @id (owned by the pool, NUL-terminated). */
const char *cx_pool_get(const CxPool *pool, guint32 id);
/* Returns the number of ids, including CX_ID_NONE. */
guint cx_pool_size(const CxPool *pool);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(CxPool, cx_pool_free)

/* ---------- journeys helpers ---------- */

/* Returns the first timestamp of @j (start of its first instance when
 * present), or CX_TS_NONE when no instance is timed. */
gint64 cx_journey_first_time(const CxJourney *j);
/* Returns the last completion timestamp of @j, or CX_TS_NONE. */
gint64 cx_journey_last_time(const CxJourney *j);
/* Returns the case duration in microseconds (last - first), or -1 when unknown. */
gint64 cx_journey_duration(const CxJourney *j);
struct _CxCalendar;
/* The same counted by @cal (NULL: calendar time; see cx_elapsed() in
 * calendar.h): the working time from first to last, or -1 when unknown. */
gint64 cx_journey_elapsed(const CxJourney *j, const struct _CxCalendar *cal);
/* The number held by @j's attribute @key (an id in cx_log_keys; its value
 * an id in @values, the log's cx_log_values): NaN when @j has no such
 * attribute or its value is not a number (read locale-independently;
 * spaces after it are allowed).  Satisfaction scores are read this way. */
double cx_journey_attr_number(const CxJourney *j, const CxPool *values, guint32 key);

/* Formats @t as ISO-8601 UTC with a "Z" (fraction only when non-zero). Returns a new string. */
char *cx_time_format_iso(gint64 t);

G_END_DECLS
