/* cxmine — business hours: a weekly schedule, holidays and a time zone, and
 * the working time between two instants.
 *
 * A CxCalendar says when work happens: weekly ranges of local wall-clock time
 * ("Mon-Fri 09:00-12:00,13:00-17:30; Sat 10:00-14:00"), whole local dates
 * that are holidays, and the zone whose clock both are read on.  Working time
 * between two UTC instants is the real time elapsed between them while the
 * local clock shows a working time of a non-holiday date: a 09:00-17:30 day
 * is 8.5 hours on the 23-hour and the 25-hour daylight-saving days alike; a
 * range that covers the change (00:00-24:00) has the 23 or 25 real hours.
 *
 * Analyses reach the calendar through CxReadOptions.calendar and measure
 * every wait, service time and duration with cx_elapsed(), which is the plain
 * difference when there is no calendar.  A calendar is immutable once built
 * (holidays added): one may be read by several threads at once.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CX_CALENDAR_ERROR (cx_calendar_error_quark())
GQuark cx_calendar_error_quark(void);

typedef enum {
  CX_CALENDAR_ERROR_SCHEDULE, /* a business-hours text that does not parse */
  CX_CALENDAR_ERROR_ZONE,     /* an unknown time zone */
  CX_CALENDAR_ERROR_HOLIDAYS, /* a holidays file that cannot be read or has a bad line */
} CxCalendarError;

typedef struct _CxCalendar CxCalendar;

/* Parses @hours and returns a new calendar on the clock of @zone (an IANA
 * name; NULL or "UTC": UTC), or NULL with @error set.
 *
 * Syntax: clauses separated by ';', each DAYS then RANGES.  DAYS is a
 * comma-separated list of days (Mon, Tue, Wed, Thu, Fri, Sat, Sun or the
 * full names, any case) and day ranges (Mon-Fri; Fri-Mon wraps over the
 * weekend).  RANGES is a comma-separated list of HH:MM-HH:MM (or HH:MM:SS),
 * from 00:00 to 24:00, start included, end excluded.  A range whose end is
 * before its start runs past midnight into the next day (Mon 22:00-06:00 is
 * Mon 22:00-24:00 and Tue 00:00-06:00).  Ranges that overlap are joined.
 * Examples: "Mon-Fri 09:00-17:30", "Mon-Fri 09:00-12:00,13:00-17:30; Sat
 * 10:00-14:00", "Mon-Sun 00:00-24:00" (every hour: calendar time). */
CxCalendar *cx_calendar_new(const char *hours, const char *zone, GError **error);
void cx_calendar_free(CxCalendar *cal);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CxCalendar, cx_calendar_free)

/* Makes the local date @year-@month-@day a holiday: none of its hours count.
 * Returns FALSE when the date does not exist. Adding a date twice is fine. */
gboolean cx_calendar_add_holiday(CxCalendar *cal, int year, int month, int day);
/* Reads holidays from @path: one ISO date (YYYY-MM-DD) a line; '#' starts a
 * comment, blank lines are skipped.  Returns FALSE with @error set
 * ("PATH:LINE: ..." for a bad line) and adds nothing then. */
gboolean cx_calendar_load_holidays(CxCalendar *cal, const char *path, GError **error);
/* The number of distinct holiday dates. */
guint cx_calendar_n_holidays(const CxCalendar *cal);

/* Working microseconds between the UTC instants @t0 and @t1 (microseconds);
 * negative when @t1 is before @t0 (-working(@t1, @t0)).  Exact, and fast:
 * the weeks in between count as whole weeks, holidays are looked up in a
 * sorted table, and only the daylight-saving changes between the two are
 * visited. */
gint64 cx_calendar_working(const CxCalendar *cal, gint64 t0, gint64 t1);

/* What is counted, for people: "Mon-Fri 09:00-17:30 (Europe/Amsterdam), 3
 * holidays" (the holidays only when a file was loaded or dates added).
 * Returns a new string. */
char *cx_calendar_describe(const CxCalendar *cal);

/* The time between @t0 and @t1 (UTC microseconds) that waits and durations
 * count: @t1 - @t0 without a calendar, the working time with one. */
static inline gint64
cx_elapsed(const struct _CxCalendar *cal, gint64 t0, gint64 t1)
{
  if (G_LIKELY(cal == NULL))
    return t1 - t0;
  return cx_calendar_working(cal, t0, t1);
}

/* ---- saying so in outputs ---- */
struct _CxJson;
/* Writes the key "business_hours" with cx_calendar_describe() of @cal, or
 * null when @cal is NULL: every command's JSON has it at the top level. */
void cx_calendar_json(const CxCalendar *cal, struct _CxJson *json);
/* "Times count business hours only: DESCRIPTION" (a new string), or NULL
 * when @cal is NULL: the line text reports and map legends show. */
char *cx_calendar_line(const CxCalendar *cal);
/* Appends cx_calendar_line() and a line break to @out when @cal is not NULL
 * (nothing otherwise). */
void cx_calendar_note(const CxCalendar *cal, GString *out);

G_END_DECLS
