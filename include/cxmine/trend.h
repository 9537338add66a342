/* cxmine — trend: journeys per day, week or month.
 *
 * Periods are cut at local midnight in a display time zone (weeks start on
 * Monday, months on the 1st), so a period is 23 or 25 hours long across a
 * daylight-saving change.  They run without gaps from the period of the
 * first timestamp to the period of the log's last one.  Per period:
 *  - started: journeys whose first timestamp falls in it;
 *  - finished: journeys whose last timestamp falls in it, unless the
 *    outcome rule calls them still open (those never finish);
 *  - median and p90 duration (first to last timestamp) of the finished ones;
 *  - success and drop-off shares of the finished ones (outcome.h);
 *  - in flight: journeys started up to the period's end and not finished by
 *    then (open ones included);
 *  - censored: the period ends after (log's last timestamp - the open-after
 *    limit in force), so journeys that will finish in it may not have yet;
 *    the last period is always censored. */
#pragma once

#include <glib.h>
#include "cxmine/cases.h"

G_BEGIN_DECLS

#define CX_TREND_ERROR (cx_trend_error_quark())
GQuark cx_trend_error_quark(void);

typedef enum {
  CX_TREND_DAY,
  CX_TREND_WEEK,
  CX_TREND_MONTH,
} CxTrendEvery;

/* Periods at most; more is an error that suggests a longer period. */
#define CX_TREND_MAX_PERIODS 100000

/* Parses "day", "week", "month". */
gboolean cx_trend_every_parse(const char *s, CxTrendEvery *out);
const char *cx_trend_every_name(CxTrendEvery every);

typedef struct {
  gint64 start, end; /* UTC microseconds: [start, end) */
  guint64 started, finished, success, dropoff, in_flight;
  double median_duration_s, p90_duration_s; /* NaN when none finished with a duration */
  double success_share, dropoff_share;      /* of finished; NaN when none finished */
  gboolean censored;
} CxTrendPeriod;

/* Cuts the finished table @t into periods in @tz. Returns a GArray of
 * CxTrendPeriod (empty when no journey has a timestamp; free with
 * g_array_unref), or NULL with @error set when there would be more than
 * CX_TREND_MAX_PERIODS.  *@untimed (may be NULL) gets the journeys left out
 * for want of a timestamp. */
GArray *cx_trend_compute(CxCaseTable *t, CxTrendEvery every, GTimeZone *tz, guint64 *untimed,
                         GError **error);

/* The period's name for people, in @tz: "2024-03-31", "2024-W13", "2024-03".
 * Returns a new string. */
char *cx_trend_label(const CxTrendPeriod *p, CxTrendEvery every, GTimeZone *tz);

/* Appends a self-contained SVG line chart of @n periods to @out: journeys
 * started and finished per period above, median and p90 duration below,
 * censored periods shaded.  @title is plain text (escaped here). */
void cx_trend_to_svg(const CxTrendPeriod *p, guint n, CxTrendEvery every, GTimeZone *tz,
                     const char *title, GString *out);

/* The periods as text for people, CSV or JSON (times in @tz), appended to @out. */
void cx_trend_to_text(const CxTrendPeriod *p, guint n, CxTrendEvery every, GTimeZone *tz,
                      guint64 untimed, GString *out);
void cx_trend_to_csv(const CxTrendPeriod *p, guint n, CxTrendEvery every, GTimeZone *tz,
                     GString *out);
void cx_trend_to_json(const CxTrendPeriod *p, guint n, CxTrendEvery every, GTimeZone *tz,
                      guint64 cases, guint64 untimed, CxOutcome *o, const CxCalendar *cal,
                      GString *out);

G_END_DECLS
