/* cxmine — timestamps: parsing to UTC microseconds, locale-independently. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The times cxmine accepts, in UTC microseconds: 0001-01-01T00:00:00Z to
 * 9999-12-31T23:59:59.999999Z (every four-digit year, so sentinel dates such
 * as 0001-01-01, 1900-01-01 and 9999-12-31 are read as written).  The
 * parsers below refuse anything outside, so that every difference and sum of
 * a few such times fits a gint64. */
#define CX_TS_MIN        (-G_GINT64_CONSTANT(62135596800000000))
#define CX_TS_MAX        (G_GINT64_CONSTANT(253402300799999999))
#define CX_TS_RANGE_TEXT "0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z"

/* TRUE when @t lies in [CX_TS_MIN, CX_TS_MAX]. */
static inline gboolean
cx_time_in_range(gint64 t)
{
  return t >= CX_TS_MIN && t <= CX_TS_MAX;
}

/* Returns UTC microseconds for a civil date and time read in @tz (NULL = UTC),
 * or CX_TS_NONE when the fields are out of range.  A time that does not
 * exist in @tz (a daylight-saving gap) is read with the offset before the
 * transition, a time that exists twice (the repeated autumn hour) as its
 * first reading: Python's zoneinfo with fold=0 (../shared/DECISIONS.md).
 * Both are counted (cx_time_dst_counts). */
gint64 cx_time_from_civil(int year, int month, int day, int hour, int minute, int second, int usec,
                          GTimeZone *tz);

/* Parses an ISO-8601 / xs:dateTime timestamp of @len bytes:
 *   YYYY-MM-DD[(T| )HH:MM[:SS[.fraction]]][Z|(+|-)hh[:mm]|(+|-)hhmm]
 * A hand-written fast path; anything else falls back to GLib's complete
 * ISO-8601 parser.  A timestamp without offset is read in @naive_tz (NULL =
 * UTC) and *@naive (may be NULL) is set to TRUE.  Returns FALSE when @s is
 * not a timestamp or lies outside CX_TS_MIN..CX_TS_MAX; *@out is untouched
 * then. */
gboolean cx_time_parse_iso(const char *s, gsize len, GTimeZone *naive_tz, gint64 *out,
                           gboolean *naive);

/* For messages, after cx_time_parse_iso() refused @s: TRUE when @s is an
 * ISO-8601 timestamp whose time lies outside CX_TS_MIN..CX_TS_MAX (a year of
 * five digits or 0000, or an offset that moves 9999-12-31 past the end). */
gboolean cx_time_iso_out_of_range(const char *s, gsize len, GTimeZone *naive_tz);
/* How many times cx_time_from_civil() on this thread met a daylight-saving
 * gap and a repeated hour since the thread started (callers take differences). */
void cx_time_dst_counts(guint64 *gap, guint64 *repeated);
/* Adds to this thread's counts what a parser on another thread met (a
 * worker's chunk of a file, when it is played on the scan's thread). */
void cx_time_dst_add(guint64 gap, guint64 repeated);

G_END_DECLS
