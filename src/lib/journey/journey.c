/* Small helpers over journeys and times. */
#include "cxmine/journey.h"
#include "cxmine/calendar.h"
#include <math.h>

gint64
cx_journey_first_time(const CxJourney *j)
{
  gint64 best = CX_TS_NONE;
  for (guint i = 0; i < j->n_instances; i++) {
    const CxEvent *e = &j->instances[i];
    gint64 t = e->start != CX_TS_NONE ? e->start : e->time;
    if (t != CX_TS_NONE && (best == CX_TS_NONE || t < best))
      best = t;
  }
  return best;
}

gint64
cx_journey_last_time(const CxJourney *j)
{
  gint64 best = CX_TS_NONE;
  for (guint i = 0; i < j->n_instances; i++) {
    gint64 t = j->instances[i].time;
    if (t != CX_TS_NONE && (best == CX_TS_NONE || t > best))
      best = t;
  }
  return best;
}

gint64
cx_journey_duration(const CxJourney *j)
{
  gint64 a = cx_journey_first_time(j), b = cx_journey_last_time(j);
  if (a == CX_TS_NONE || b == CX_TS_NONE)
    return -1;
  return b - a;
}

gint64
cx_journey_elapsed(const CxJourney *j, const CxCalendar *cal)
{
  gint64 a = cx_journey_first_time(j), b = cx_journey_last_time(j);
  if (a == CX_TS_NONE || b == CX_TS_NONE)
    return -1;
  return cx_elapsed(cal, a, b);
}

char *
cx_time_format_iso(gint64 t)
{
  if (t == CX_TS_NONE)
    return g_strdup("");
  gint64 secs = t / CX_USEC_PER_SEC;
  gint64 us = t % CX_USEC_PER_SEC;
  if (us < 0) {
    us += CX_USEC_PER_SEC;
    secs -= 1;
  }
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc(secs);
  if (dt == NULL)
    return g_strdup("");
  /* four-digit years always (GLib's %Y does not pad years below 1000) */
  g_autofree char *base = g_strdup_printf(
      "%04d-%02d-%02dT%02d:%02d:%02d", g_date_time_get_year(dt), g_date_time_get_month(dt),
      g_date_time_get_day_of_month(dt), g_date_time_get_hour(dt), g_date_time_get_minute(dt),
      g_date_time_get_second(dt));
  if (us == 0)
    return g_strdup_printf("%sZ", base);
  if (us % 1000 == 0)
    return g_strdup_printf("%s.%03dZ", base, (int)(us / 1000));
  return g_strdup_printf("%s.%06dZ", base, (int)us);
}

double
cx_journey_attr_number(const CxJourney *j, const CxPool *values, guint32 key)
{
  for (guint i = 0; i < j->n_attrs; i++)
    if (j->attrs[i].key == key) {
      const char *v = cx_pool_get(values, j->attrs[i].value);
      char *end = NULL;
      double x = g_ascii_strtod(v, &end);
      if (end == v || !isfinite(x))
        return NAN;
      while (g_ascii_isspace(*end))
        end++;
      return *end == '\0' ? x : NAN;
    }
  return NAN;
}
