/* cxmine — timestamps: parsing to UTC microseconds, locale-independently. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

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
 * not a timestamp; *@out is untouched then. */
gboolean cx_time_parse_iso(const char *s, gsize len, GTimeZone *naive_tz, gint64 *out,
                           gboolean *naive);

/* How many times cx_time_from_civil() on this thread met a daylight-saving
 * gap and a repeated hour since the thread started (callers take differences). */
void cx_time_dst_counts(guint64 *gap, guint64 *repeated);

G_END_DECLS
