/* cxmine — timestamp formats of CSV exports, locale-independently.
 *
 * A CxTimeFmt parses the values of one timestamp column (or of the
 * timestamp and start columns of one file, which share an export format).
 * Without an explicit pattern it recognises, per value:
 *   - ISO 8601 / xs:dateTime ("T" or space, offsets, fractions), through
 *     cx_time_parse_iso();
 *   - yyyy/mm/dd and yyyy.mm.dd (helpdesk: "2012/10/09 14:50:17.000");
 *   - dd/mm/yyyy or mm/dd/yyyy, also with "." or "-" between the fields
 *     ("16.01.2017 13:29", "09-10-2012"): one or two digits for day and month;
 *   - each date form optionally followed by (space|T)H[H]:MM[:SS[(.|,)fraction]],
 *     an optional AM/PM and an optional offset (Z, UTC, +hh, +hh:mm, +hhmm);
 *   - Unix epoch seconds or milliseconds, integer or decimal: a magnitude of
 *     at least 1e11 is read as milliseconds (1e11 seconds would be the year
 *     5138; 1e11 milliseconds is 1973).
 *
 * Every form is refused when its time lies outside 0001-01-01T00:00:00Z ..
 * 9999-12-31T23:59:59.999999Z (CX_TS_MIN..CX_TS_MAX).
 *
 * Day/month order is a property of the column, never of a single row.  The
 * caller shows values to cx_timefmt_observe() before parsing them (the CSV
 * reader holds back up to CX_TIMEFMT_LOOKAHEAD rows for this): a first field
 * above 12 proves day-first, a second field above 12 proves month-first.
 * When nothing proves either, the caller fixes the order with
 * cx_timefmt_set_order() — the CSV reader defaults to day-first, says so with
 * --verbose and counts the values read under that guess — and a later value
 * that contradicts a guess is reported as an error that names
 * --timestamp-format.
 *
 * An explicit pattern (--timestamp-format) replaces all of this: %Y (four
 * digits), %m %d %H (one or two digits), %M %S (two digits), %f (a fraction
 * of one to nine digits, after the "." or "," the pattern gives), %z (Z or
 * +hh[:]mm), %b (English month name, abbreviated or full, any case), %% (a
 * percent sign); a space matches one or more spaces; every other character
 * matches itself.  The whole value must match.
 *
 * A value without an offset is read in the naive zone given to
 * cx_timefmt_parse() (NULL = UTC) and *naive is set.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CX_TIMEFMT_ERROR (cx_timefmt_error_quark())
GQuark cx_timefmt_error_quark(void);

typedef enum {
  CX_TIMEFMT_ERROR_PATTERN, /* an explicit pattern that cannot be used */
} CxTimeFmtError;

/* Rows a reader may hold back to decide the day/month order. */
#define CX_TIMEFMT_LOOKAHEAD 10000

typedef enum {
  CX_DATE_ORDER_UNKNOWN = 0, /* nothing seen decides it */
  CX_DATE_ORDER_DAY_FIRST,
  CX_DATE_ORDER_MONTH_FIRST,
  CX_DATE_ORDER_CONFLICT, /* some values prove day-first, others month-first */
} CxDateOrder;

typedef struct _CxTimeFmt CxTimeFmt;

/* Returns a new parser.  @pattern (may be NULL = recognise the shapes
 * above) is copied.  Returns NULL with @error set when the pattern has an
 * unknown directive or is empty. */
CxTimeFmt *cx_timefmt_new(const char *pattern, GError **error);
void cx_timefmt_free(CxTimeFmt *fmt);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CxTimeFmt, cx_timefmt_free)

/* What one value says about the day/month order: DAY_FIRST or MONTH_FIRST
 * when it is a dd/mm/yyyy-shaped date whose first or second field is above
 * 12, UNKNOWN otherwise. */
CxDateOrder cx_timefmt_evidence(const char *s, gsize len);
/* TRUE when @s is a dd/mm/yyyy- or mm/dd/yyyy-shaped date (day and month
 * order matters for it). */
gboolean cx_timefmt_is_day_month(const char *s, gsize len);

/* Adds the evidence of one value to the column and returns the column's
 * order so far: UNKNOWN, DAY_FIRST, MONTH_FIRST or CONFLICT.  Always UNKNOWN
 * with an explicit pattern. */
CxDateOrder cx_timefmt_observe(CxTimeFmt *fmt, const char *s, gsize len);
/* Fixes the order used for dd/mm/yyyy-shaped values (DAY_FIRST or
 * MONTH_FIRST); @guessed says that no value proved it. */
void cx_timefmt_set_order(CxTimeFmt *fmt, CxDateOrder order, gboolean guessed);
/* The order used now (UNKNOWN = not fixed: day-first is used) and whether it was a guess. */
CxDateOrder cx_timefmt_order(const CxTimeFmt *fmt, gboolean *guessed);

/* Parses @len bytes of @s (surrounding spaces are ignored) into UTC
 * microseconds.  Returns FALSE when the value is not a timestamp of the
 * column's format; *@out is untouched then.  *@naive (may be NULL) is set to
 * TRUE when the value had no offset and was read in @naive_tz. */
gboolean cx_timefmt_parse(const CxTimeFmt *fmt, const char *s, gsize len, GTimeZone *naive_tz,
                          gint64 *out, gboolean *naive);

/* For messages, after cx_timefmt_parse() refused @s: TRUE when @s is an epoch
 * number or an ISO-8601 timestamp whose time lies outside the range cxmine
 * reads (CX_TS_MIN..CX_TS_MAX in cxmine/timestamp.h). */
gboolean cx_timefmt_out_of_range(const CxTimeFmt *fmt, const char *s, gsize len,
                                 GTimeZone *naive_tz);

G_END_DECLS
