/* Timestamps to UTC microseconds: a fast path for the ISO-8601 shapes logs
 * use, GLib's parser for the rest. */
#include "cxmine/timestamp.h"
#include "cxmine/log.h"
#include <string.h>

static gint64
days_from_civil(gint64 y, unsigned m, unsigned d)
{
  y -= m <= 2;
  gint64 era = (y >= 0 ? y : y - 399) / 400;
  unsigned yoe = (unsigned)(y - era * 400);
  unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + (gint64)doe - 719468;
}

static int
days_in_month(int y, int m)
{
  static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
  if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
    return 29;
  return dm[m - 1];
}

/* Naive local times that needed the daylight-saving rule, on this thread.
 * Thread-local, not a context, because the parsers are plain functions of a
 * value called for every timestamp: the readers parse on the thread that
 * scans, and the scan reads these counters before and after each source on
 * that same thread (cx_time_dst_counts()), so parsers on other threads never
 * mix into its counts; a file split over workers has each worker's counts
 * added on the scan's thread as its chunk is played (cx_time_dst_add()). */
static __thread guint64 dst_gap, dst_repeated;

void
cx_time_dst_counts(guint64 *gap, guint64 *repeated)
{
  *gap = dst_gap;
  *repeated = dst_repeated;
}

void
cx_time_dst_add(guint64 gap, guint64 repeated)
{
  dst_gap += gap;
  dst_repeated += repeated;
}

static gint64
offset_at(GTimeZone *tz, gint64 utc)
{
  return g_time_zone_get_offset(tz, g_time_zone_find_interval(tz, G_TIME_TYPE_UNIVERSAL, utc));
}

/* @local: seconds of a wall-clock time in @tz, counted as if it were UTC.
 * The rule of Python's zoneinfo with fold=0: a time in a spring gap is read
 * with the offset before the transition (02:30 in Amsterdam on the spring
 * day is 01:30Z, as if the clock had not moved yet), a time in the repeated
 * autumn hour takes its first (summer) reading.  Zones never change their
 * offset twice within two days, so the offsets a day before and a day after
 * are the only candidates. */
/* A memo of the last day's offset: per thread, so that it needs no lock. */
static __thread GTimeZone *day_tz;
static __thread gint64 day_no, day_offset; /* a day without transition near it */

static G_GNUC_NO_INLINE gint64
local_to_utc(GTimeZone *tz, gint64 local)
{
  /* most timestamps fall on the day of the one before */
  gint64 day = local >= 0 ? local / 86400 : (local - 86399) / 86400;
  if (tz == day_tz && day == day_no)
    return local - day_offset;
  gint64 o = offset_at(tz, day * 86400 - 86400);
  if (o == offset_at(tz, day * 86400 + 2 * 86400)) {
    if (day_tz != tz) {
      /* the cache holds a reference: a freed zone's address cannot come back as another zone */
      if (day_tz != NULL)
        g_time_zone_unref(day_tz);
      day_tz = g_time_zone_ref(tz);
    }
    day_no = day;
    day_offset = o;
    return local - o;
  }
  gint64 before = offset_at(tz, local - 86400);
  gint64 after = offset_at(tz, local + 86400);
  if (before == after)
    return local - before;
  gboolean first = offset_at(tz, local - before) == before;
  gboolean second = offset_at(tz, local - after) == after;
  if (first && second)
    dst_repeated++;
  else if (!first && !second)
    dst_gap++;
  else if (second)
    return local - after;
  return local - before;
}

gint64
cx_time_from_civil(int year, int month, int day, int hour, int minute, int second, int usec,
                   GTimeZone *tz)
{
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1
      || day > days_in_month(year, month) || hour < 0 || hour > 24 || minute < 0 || minute > 59
      || second < 0 || second > 60 || usec < 0 || usec > 999999)
    return CX_TS_NONE;
  if (hour == 24 && (minute != 0 || second != 0 || usec != 0))
    return CX_TS_NONE;
  if (second == 60)
    second = 59; /* a leap second is read as the second before it */
  gint64 days = days_from_civil(year, (unsigned)month, (unsigned)day);
  gint64 secs = days * 86400 + hour * 3600 + minute * 60 + second;
  if (G_UNLIKELY(tz != NULL))
    secs = local_to_utc(tz, secs);
  return secs * CX_USEC_PER_SEC + usec;
}

static gboolean
digits(const char *s, gsize n, int *out)
{
  int v = 0;
  for (gsize i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9')
      return FALSE;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return TRUE;
}

static gboolean
fast_iso(const char *s, gsize len, GTimeZone *naive_tz, gint64 *out, gboolean *naive,
         gboolean bounded)
{
  int Y, M, D, h = 0, mi = 0, sec = 0, us = 0;
  if (len < 10 || s[4] != '-' || s[7] != '-' || !digits(s, 4, &Y) || !digits(s + 5, 2, &M)
      || !digits(s + 8, 2, &D))
    return FALSE;
  gsize i = 10;
  if (i < len && (s[i] == 'T' || s[i] == ' ')) {
    if (len < i + 6 || !digits(s + i + 1, 2, &h) || s[i + 3] != ':' || !digits(s + i + 4, 2, &mi))
      return FALSE;
    i += 6;
    if (i < len && s[i] == ':') {
      if (len < i + 3 || !digits(s + i + 1, 2, &sec))
        return FALSE;
      i += 3;
      if (i < len && (s[i] == '.' || s[i] == ',')) {
        i++;
        gsize f0 = i;
        int scale = 100000;
        while (i < len && s[i] >= '0' && s[i] <= '9') {
          us += (s[i] - '0') * scale;
          scale /= 10;
          i++;
        }
        if (i == f0)
          return FALSE;
      }
    }
  }
  gboolean has_offset = FALSE;
  int off = 0;
  if (i < len && (s[i] == 'Z' || s[i] == 'z')) {
    has_offset = TRUE;
    i++;
  } else if (i < len && (s[i] == '+' || s[i] == '-')) {
    int sign = s[i] == '-' ? -1 : 1, oh, om = 0;
    i++;
    if (len < i + 2 || !digits(s + i, 2, &oh))
      return FALSE;
    i += 2;
    if (i < len && s[i] == ':') {
      if (len < i + 3 || !digits(s + i + 1, 2, &om))
        return FALSE;
      i += 3;
    } else if (len >= i + 2 && digits(s + i, 2, &om)) {
      i += 2;
    }
    if (oh > 23 || om > 59)
      return FALSE;
    has_offset = TRUE;
    off = sign * (oh * 3600 + om * 60);
  }
  if (i != len)
    return FALSE;
  gint64 t = cx_time_from_civil(Y, M, D, h, mi, sec, us, has_offset ? NULL : naive_tz);
  if (t == CX_TS_NONE)
    return FALSE;
  if (has_offset)
    t -= (gint64)off * CX_USEC_PER_SEC;
  if (bounded && !cx_time_in_range(t))
    return FALSE;
  *out = t;
  if (naive != NULL && !has_offset)
    *naive = TRUE;
  return TRUE;
}

static gboolean
parse_iso(const char *s, gsize len, GTimeZone *naive_tz, gint64 *out, gboolean *naive,
          gboolean bounded)
{
  while (len > 0 && g_ascii_isspace(*s)) {
    s++;
    len--;
  }
  while (len > 0 && g_ascii_isspace(s[len - 1]))
    len--;
  if (fast_iso(s, len, naive_tz, out, naive, bounded))
    return TRUE;
  if (len == 0 || len > 64)
    return FALSE;
  char buf[65];
  memcpy(buf, s, len);
  buf[len] = '\0';
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc();
  /* GLib needs to know whether an offset was given: parse with a sentinel zone */
  g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601(buf, naive_tz != NULL ? naive_tz : utc);
  if (dt == NULL)
    return FALSE;
  gint64 t = g_date_time_to_unix(dt) * CX_USEC_PER_SEC + g_date_time_get_microsecond(dt);
  if (bounded && !cx_time_in_range(t))
    return FALSE;
  *out = t;
  return TRUE;
}

gboolean
cx_time_parse_iso(const char *s, gsize len, GTimeZone *naive_tz, gint64 *out, gboolean *naive)
{
  return parse_iso(s, len, naive_tz, out, naive, TRUE);
}

gboolean
cx_time_iso_out_of_range(const char *s, gsize len, GTimeZone *naive_tz)
{
  while (len > 0 && g_ascii_isspace(*s)) {
    s++;
    len--;
  }
  gsize i = len > 0 && (s[0] == '+' || s[0] == '-') ? 1 : 0, d0 = i;
  while (i < len && s[i] >= '0' && s[i] <= '9')
    i++;
  /* a year the civil date cannot hold: five digits or more, or 0000 */
  if (i < len && s[i] == '-'
      && (i - d0 > 4 || (i - d0 == 4 && i == 4 && strncmp(s, "0000", 4) == 0)))
    return TRUE;
  gint64 t;
  return parse_iso(s, len, naive_tz, &t, NULL, FALSE) && !cx_time_in_range(t);
}
