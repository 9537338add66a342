/* cxmine — journeys: the compact events of one case, ordered and paired.
 *
 * Events never carry strings: names are ids in the log's pools (pool.h,
 * cx_log_activities() and the rest in log.h), so hot loops work on ids.
 * Every analysis consumes journeys through a CxJourneyFunc (log.h).
 */
#pragma once

#include <glib.h>
#include "pool.h"

G_BEGIN_DECLS

/* A missing timestamp. */
#define CX_TS_NONE      G_MININT64
#define CX_USEC_PER_SEC G_GINT64_CONSTANT(1000000)

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
