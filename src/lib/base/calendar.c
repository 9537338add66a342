/* Business hours: the weekly schedule, holidays, the zone's clock and the
 * working time between two instants.
 *
 * The working time is computed on the local wall-clock axis first: F(L) is
 * the working time from a fixed Monday to the local time L (whole weeks
 * times the week's total, the days before L in its week, the part of L's
 * day, less the holidays before L, found by binary search).  Between two
 * instants that the zone shows with the same offset, working time is
 * F(L1) - F(L0).  A daylight-saving change at T skips the local times
 * [T + before, T + after) in spring (they never happen: their working time
 * is taken off) and shows [T + after, T + before) twice in autumn (their
 * working time is added once more); so
 *   working(t0, t1) = F(L1) - F(L0) - sum over changes T in (t0, t1] of
 *                     (F(T + after) - F(T + before)).
 * The changes are taken from GLib's zone once, for 1900-2200, into a sorted
 * table; instants outside it ask GLib directly. */
#include "cxmine/calendar.h"
#include "cxmine/json-writer.h"
#include "cxmine/output.h"
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* the quark's name is one token, which clang-format would split */
/* clang-format off */
G_DEFINE_QUARK(cx-calendar-error-quark, cx_calendar_error)
/* clang-format on */

#define DAY_US     (G_GINT64_CONSTANT(86400) * G_USEC_PER_SEC)
#define MAX_RANGES 64 /* per weekday, after splitting at midnight */
/* the table of zone changes: 1900-01-01 to 2200-01-01 */
#define CACHE_LO_S G_GINT64_CONSTANT(-2208988800)
#define CACHE_HI_S G_GINT64_CONSTANT(7258118400)
#define SAMPLE_S   (G_GINT64_CONSTANT(7) * 86400)
/* 1970-01-01 was a Thursday: day 0 + 3 counts days from Monday 1969-12-29 */
#define MONDAY_SHIFT 3

typedef struct {
  gint64 start, end; /* microseconds of the day, [start, end) */
} Range;

typedef struct {
  gint64 at;            /* UTC microseconds: from here on, the new offset */
  gint64 before, after; /* offsets (microseconds east of UTC) */
} Change;

struct _CxCalendar {
  /* per weekday (0 = Monday) the working ranges of that date, sorted, disjoint */
  Range ranges[7][MAX_RANGES];
  guint n_ranges[7];
  gint64 day_total[7];
  gint64 week_before[8]; /* working time of the weekdays before each */
  /* the ranges as written, per weekday (an overnight range as one), for people */
  Range given[7][MAX_RANGES];
  guint n_given[7];
  /* holidays: local day numbers (days since 1970-01-01), sorted, unique */
  GArray *holidays;       /* gint64 */
  GArray *holiday_before; /* gint64: working time of the holidays before index i */
  gboolean holidays_given;
  /* the zone */
  char *zone_name;
  GTimeZone *tz;    /* NULL = UTC */
  GArray *changes;  /* Change, in (CACHE_LO_S, CACHE_HI_S] */
  gint64 cache_off; /* the offset at CACHE_LO_S */
};

static const char *const day_names[7] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
static const char *const day_long[7]
    = { "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday" };

static gint64
floor_div(gint64 a, gint64 b)
{
  gint64 q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* ---------- the zone's changes ---------- */

static gint64
glib_offset_s(GTimeZone *tz, gint64 t_s)
{
  return g_time_zone_get_offset(tz, g_time_zone_find_interval(tz, G_TIME_TYPE_UNIVERSAL, t_s));
}

/* Every offset change at a whole second in (@a, @b] (seconds), in order,
 * found by halving between instants GLib puts in different intervals. */
static void
collect_changes(GTimeZone *tz, gint64 a, gint a_iv, gint64 b, gint b_iv, GArray *out)
{
  if (a_iv == b_iv)
    return;
  if (b - a == 1) {
    Change c = { b * G_USEC_PER_SEC, (gint64)g_time_zone_get_offset(tz, a_iv) * G_USEC_PER_SEC,
                 (gint64)g_time_zone_get_offset(tz, b_iv) * G_USEC_PER_SEC };
    if (c.before != c.after)
      g_array_append_val(out, c);
    return;
  }
  gint64 m = a + (b - a) / 2;
  gint m_iv = g_time_zone_find_interval(tz, G_TIME_TYPE_UNIVERSAL, m);
  collect_changes(tz, a, a_iv, m, m_iv, out);
  collect_changes(tz, m, m_iv, b, b_iv, out);
}

static void
collect_range(GTimeZone *tz, gint64 a, gint64 b, GArray *out)
{
  if (b <= a)
    return;
  collect_changes(tz, a, g_time_zone_find_interval(tz, G_TIME_TYPE_UNIVERSAL, a), b,
                  g_time_zone_find_interval(tz, G_TIME_TYPE_UNIVERSAL, b), out);
}

static void
build_changes(CxCalendar *cal)
{
  cal->changes = g_array_new(FALSE, FALSE, sizeof(Change));
  if (cal->tz == NULL)
    return;
  cal->cache_off = glib_offset_s(cal->tz, CACHE_LO_S) * G_USEC_PER_SEC;
  gint64 a = CACHE_LO_S;
  gint a_iv = g_time_zone_find_interval(cal->tz, G_TIME_TYPE_UNIVERSAL, a);
  while (a < CACHE_HI_S) {
    gint64 b = MIN(a + SAMPLE_S, CACHE_HI_S);
    gint b_iv = g_time_zone_find_interval(cal->tz, G_TIME_TYPE_UNIVERSAL, b);
    collect_changes(cal->tz, a, a_iv, b, b_iv, cal->changes);
    a = b;
    a_iv = b_iv;
  }
}

/* The number of cached changes at or before @t. */
static guint
changes_upto(const CxCalendar *cal, gint64 t)
{
  const Change *c = (const Change *)cal->changes->data;
  guint lo = 0, hi = cal->changes->len;
  while (lo < hi) {
    guint mid = lo + (hi - lo) / 2;
    if (c[mid].at <= t)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

static gint64
offset_at(const CxCalendar *cal, gint64 t)
{
  if (cal->tz == NULL)
    return 0;
  if (t < CACHE_LO_S * G_USEC_PER_SEC || t > CACHE_HI_S * G_USEC_PER_SEC)
    return glib_offset_s(cal->tz, floor_div(t, G_USEC_PER_SEC)) * G_USEC_PER_SEC;
  guint k = changes_upto(cal, t);
  return k == 0 ? cal->cache_off : g_array_index(cal->changes, Change, k - 1).after;
}

/* ---------- the local axis ---------- */

static gint64
day_part(const CxCalendar *cal, int wd, gint64 tod)
{
  gint64 sum = 0;
  for (guint i = 0; i < cal->n_ranges[wd]; i++) {
    const Range *r = &cal->ranges[wd][i];
    if (tod <= r->start)
      break;
    sum += MIN(tod, r->end) - r->start;
  }
  return sum;
}

/* Working time from Monday 1969-12-29 00:00 local to the local time @l. */
static gint64
local_work(const CxCalendar *cal, gint64 l)
{
  gint64 day = floor_div(l, DAY_US);
  gint64 tod = l - day * DAY_US;
  gint64 md = day + MONDAY_SHIFT;
  gint64 week = floor_div(md, 7);
  int wd = (int)(md - week * 7);
  gint64 part = day_part(cal, wd, tod);
  gint64 v = week * cal->week_before[7] + cal->week_before[wd] + part;
  guint n = cal->holidays->len;
  if (n > 0) {
    const gint64 *h = (const gint64 *)cal->holidays->data;
    guint lo = 0, hi = n; /* holidays before @day */
    while (lo < hi) {
      guint mid = lo + (hi - lo) / 2;
      if (h[mid] < day)
        lo = mid + 1;
      else
        hi = mid;
    }
    v -= g_array_index(cal->holiday_before, gint64, lo);
    if (lo < n && h[lo] == day)
      v -= part;
  }
  return v;
}

static gint64
change_term(const CxCalendar *cal, const Change *c)
{
  return local_work(cal, c->at + c->after) - local_work(cal, c->at + c->before);
}

/* The sum of change_term over GLib's changes in (@t0, @t1] (microseconds). */
static gint64
glib_terms(const CxCalendar *cal, gint64 t0, gint64 t1)
{
  if (t1 <= t0)
    return 0;
  g_autoptr(GArray) found = g_array_new(FALSE, FALSE, sizeof(Change));
  collect_range(cal->tz, floor_div(t0, G_USEC_PER_SEC), floor_div(t1, G_USEC_PER_SEC), found);
  gint64 sum = 0;
  for (guint i = 0; i < found->len; i++)
    sum += change_term(cal, &g_array_index(found, Change, i));
  return sum;
}

gint64
cx_calendar_working(const CxCalendar *cal, gint64 t0, gint64 t1)
{
  g_return_val_if_fail(cal != NULL, t1 - t0);
  if (t1 < t0)
    return -cx_calendar_working(cal, t1, t0);
  if (t1 == t0)
    return 0;
  gint64 w = local_work(cal, t1 + offset_at(cal, t1)) - local_work(cal, t0 + offset_at(cal, t0));
  if (cal->tz == NULL)
    return w;
  const gint64 lo = CACHE_LO_S * G_USEC_PER_SEC, hi = CACHE_HI_S * G_USEC_PER_SEC;
  if (t0 < lo)
    w -= glib_terms(cal, t0, MIN(t1, lo));
  if (t1 > hi)
    w -= glib_terms(cal, MAX(t0, hi), t1);
  if (t1 > lo && t0 < hi) {
    guint a = changes_upto(cal, MAX(t0, lo)), b = changes_upto(cal, MIN(t1, hi));
    for (guint k = a; k < b; k++)
      w -= change_term(cal, &g_array_index(cal->changes, Change, k));
  }
  return w;
}

/* ---------- parsing ---------- */

static gboolean fail(GError **error, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

static gboolean
fail(GError **error, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  g_autofree char *msg = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  g_set_error_literal(error, CX_CALENDAR_ERROR, CX_CALENDAR_ERROR_SCHEDULE, msg);
  return FALSE;
}

#define SYNTAX                                                                                     \
  "DAYS HH:MM-HH:MM[,HH:MM-HH:MM...][; DAYS ...], e.g. 'Mon-Fri 09:00-17:30' or 'Mon-Fri "         \
  "09:00-12:00,13:00-17:30; Sat 10:00-14:00'"

static int
parse_day(const char *s, GError **error)
{
  for (int d = 0; d < 7; d++)
    if (g_ascii_strcasecmp(s, day_names[d]) == 0 || g_ascii_strcasecmp(s, day_long[d]) == 0)
      return d;
  fail(error, "'%s' is not a day (Mon, Tue, Wed, Thu, Fri, Sat, Sun); expected " SYNTAX, s);
  return -1;
}

/* "Mon-Fri,Sun" -> days[] set. */
static gboolean
parse_days(const char *s, gboolean days[7], GError **error)
{
  if (*s == '\0')
    return fail(error, "no days before the hours; expected " SYNTAX);
  g_auto(GStrv) items = g_strsplit(s, ",", -1);
  for (char **it = items; *it != NULL; it++) {
    if (**it == '\0')
      return fail(error, "an empty day in '%s'; expected " SYNTAX, s);
    char *dash = strchr(*it, '-');
    if (dash != NULL)
      *dash = '\0';
    int a = parse_day(*it, error);
    if (a < 0)
      return FALSE;
    int b = dash != NULL ? parse_day(dash + 1, error) : a;
    if (b < 0)
      return FALSE;
    for (int d = a;; d = (d + 1) % 7) {
      days[d] = TRUE;
      if (d == b)
        break;
    }
  }
  return TRUE;
}

/* "09:00", "9:00", "17:30:15", "24:00" -> microseconds of the day. */
static gboolean
parse_clock(const char *s, gint64 *out)
{
  int part[3] = { 0, 0, 0 };
  int n = 0;
  const char *p = s;
  while (n < 3) {
    int digits = 0, v = 0;
    while (g_ascii_isdigit(*p) && digits < 2) {
      v = v * 10 + (*p - '0');
      p++;
      digits++;
    }
    if (digits == 0 || (n > 0 && digits != 2))
      return FALSE;
    part[n++] = v;
    if (*p != ':')
      break;
    p++;
  }
  if (*p != '\0' || n < 2 || part[1] > 59 || part[2] > 59 || part[0] > 24
      || (part[0] == 24 && (part[1] != 0 || part[2] != 0)))
    return FALSE;
  *out = ((gint64)part[0] * 3600 + part[1] * 60 + part[2]) * G_USEC_PER_SEC;
  return TRUE;
}

static gboolean
add_range(Range *list, guint *n, gint64 start, gint64 end, GError **error)
{
  if (*n >= MAX_RANGES)
    return fail(error, "more than %d ranges on one day", MAX_RANGES);
  list[(*n)++] = (Range){ start, end };
  return TRUE;
}

static int
cmp_range(gconstpointer a, gconstpointer b)
{
  const Range *x = a, *y = b;
  return x->start < y->start ? -1 : x->start > y->start ? 1 : (x->end > y->end) - (x->end < y->end);
}

/* Sorts and joins overlapping or touching ranges. */
static void
normalize(Range *list, guint *n)
{
  qsort(list, *n, sizeof(Range), cmp_range);
  guint k = 0;
  for (guint i = 0; i < *n; i++) {
    if (k > 0 && list[i].start <= list[k - 1].end)
      list[k - 1].end = MAX(list[k - 1].end, list[i].end);
    else
      list[k++] = list[i];
  }
  *n = k;
}

static gboolean
parse_clause(CxCalendar *cal, const char *clause, GError **error)
{
  /* the days end where the first digit starts the hours */
  const char *p = clause;
  while (*p != '\0' && !g_ascii_isdigit(*p))
    p++;
  g_autoptr(GString) days = g_string_new(NULL), hours = g_string_new(NULL);
  for (const char *q = clause; q < p; q++)
    if (!g_ascii_isspace(*q))
      g_string_append_c(days, *q);
  for (const char *q = p; *q != '\0'; q++)
    if (!g_ascii_isspace(*q))
      g_string_append_c(hours, *q);
  gboolean set[7] = { FALSE };
  if (!parse_days(days->str, set, error))
    return FALSE;
  if (hours->len == 0)
    return fail(error, "'%s' has no hours; expected " SYNTAX, clause);
  g_auto(GStrv) items = g_strsplit(hours->str, ",", -1);
  for (char **it = items; *it != NULL; it++) {
    char *dash = strchr(*it, '-');
    gint64 s, e;
    if (dash == NULL)
      return fail(error, "'%s' is not a range HH:MM-HH:MM; expected " SYNTAX, *it);
    *dash = '\0';
    if (!parse_clock(*it, &s) || s >= DAY_US)
      return fail(error, "'%s' is not a time of day (00:00 to 23:59); expected " SYNTAX, *it);
    if (!parse_clock(dash + 1, &e))
      return fail(error, "'%s' is not a time of day (00:00 to 24:00); expected " SYNTAX, dash + 1);
    if (e == s)
      return fail(error, "the range %s-%s is empty", *it, dash + 1);
    for (int d = 0; d < 7; d++) {
      if (!set[d])
        continue;
      if (!add_range(cal->given[d], &cal->n_given[d], s, e, error))
        return FALSE;
      if (e > s) {
        if (!add_range(cal->ranges[d], &cal->n_ranges[d], s, e, error))
          return FALSE;
      } else { /* past midnight: the rest of this date, then the next one's morning */
        if (!add_range(cal->ranges[d], &cal->n_ranges[d], s, DAY_US, error)
            || (e > 0
                && !add_range(cal->ranges[(d + 1) % 7], &cal->n_ranges[(d + 1) % 7], 0, e, error)))
          return FALSE;
      }
    }
  }
  return TRUE;
}

CxCalendar *
cx_calendar_new(const char *hours, const char *zone, GError **error)
{
  g_return_val_if_fail(hours != NULL, NULL);
  g_autoptr(CxCalendar) cal = g_new0(CxCalendar, 1);
  cal->holidays = g_array_new(FALSE, FALSE, sizeof(gint64));
  cal->holiday_before = g_array_new(FALSE, FALSE, sizeof(gint64));
  gint64 zero = 0;
  g_array_append_val(cal->holiday_before, zero);
  if (zone != NULL && g_ascii_strcasecmp(zone, "UTC") != 0) {
    cal->tz = g_time_zone_new_identifier(zone);
    if (cal->tz == NULL) {
      g_set_error(error, CX_CALENDAR_ERROR, CX_CALENDAR_ERROR_ZONE, "unknown time zone '%s'", zone);
      return NULL;
    }
    cal->zone_name = g_strdup(zone);
  } else {
    cal->zone_name = g_strdup("UTC");
  }
  g_auto(GStrv) clauses = g_strsplit(hours, ";", -1);
  guint n_clauses = 0;
  for (char **c = clauses; *c != NULL; c++) {
    g_strstrip(*c);
    if (**c == '\0')
      continue;
    n_clauses++;
    if (!parse_clause(cal, *c, error))
      return NULL;
  }
  if (n_clauses == 0) {
    fail(error, "no business hours given; expected " SYNTAX);
    return NULL;
  }
  cal->week_before[0] = 0;
  for (int d = 0; d < 7; d++) {
    normalize(cal->ranges[d], &cal->n_ranges[d]);
    qsort(cal->given[d], cal->n_given[d], sizeof(Range), cmp_range);
    cal->day_total[d] = day_part(cal, d, DAY_US);
    cal->week_before[d + 1] = cal->week_before[d] + cal->day_total[d];
  }
  build_changes(cal);
  return g_steal_pointer(&cal);
}

void
cx_calendar_free(CxCalendar *cal)
{
  if (cal == NULL)
    return;
  g_array_free(cal->holidays, TRUE);
  g_array_free(cal->holiday_before, TRUE);
  if (cal->changes != NULL)
    g_array_free(cal->changes, TRUE);
  if (cal->tz != NULL)
    g_time_zone_unref(cal->tz);
  g_free(cal->zone_name);
  g_free(cal);
}

/* ---------- holidays ---------- */

static int
cmp_gint64(gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *)a, y = *(const gint64 *)b;
  return (x > y) - (x < y);
}

/* Sorts, removes repeats and recomputes the working time before each. */
static void
holidays_index(CxCalendar *cal)
{
  GArray *h = cal->holidays;
  g_array_sort(h, cmp_gint64);
  guint k = 0;
  for (guint i = 0; i < h->len; i++)
    if (k == 0 || g_array_index(h, gint64, i) != g_array_index(h, gint64, k - 1))
      g_array_index(h, gint64, k++) = g_array_index(h, gint64, i);
  g_array_set_size(h, k);
  g_array_set_size(cal->holiday_before, k + 1);
  gint64 sum = 0;
  for (guint i = 0; i < k; i++) {
    g_array_index(cal->holiday_before, gint64, i) = sum;
    gint64 md = g_array_index(h, gint64, i) + MONDAY_SHIFT;
    sum += cal->day_total[md - floor_div(md, 7) * 7];
  }
  g_array_index(cal->holiday_before, gint64, k) = sum;
}

static gboolean
day_number(int year, int month, int day, gint64 *out)
{
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1
      || !g_date_valid_dmy((GDateDay)day, (GDateMonth)month, (GDateYear)year))
    return FALSE;
  GDate d, epoch;
  g_date_clear(&d, 1);
  g_date_clear(&epoch, 1);
  g_date_set_dmy(&d, (GDateDay)day, (GDateMonth)month, (GDateYear)year);
  g_date_set_dmy(&epoch, 1, G_DATE_JANUARY, 1970);
  *out = (gint64)g_date_get_julian(&d) - (gint64)g_date_get_julian(&epoch);
  return TRUE;
}

gboolean
cx_calendar_add_holiday(CxCalendar *cal, int year, int month, int day)
{
  gint64 n;
  if (!day_number(year, month, day, &n))
    return FALSE;
  g_array_append_val(cal->holidays, n);
  cal->holidays_given = TRUE;
  holidays_index(cal);
  return TRUE;
}

/* "2025-12-25" exactly. */
static gboolean
parse_iso_date(const char *s, int *y, int *m, int *d)
{
  static const int shape[] = { 1, 1, 1, 1, 0, 1, 1, 0, 1, 1 };
  if (strlen(s) != 10)
    return FALSE;
  for (int i = 0; i < 10; i++)
    if (shape[i] ? !g_ascii_isdigit(s[i]) : s[i] != '-')
      return FALSE;
  *y = atoi(s);
  *m = (s[5] - '0') * 10 + (s[6] - '0');
  *d = (s[8] - '0') * 10 + (s[9] - '0');
  return TRUE;
}

gboolean
cx_calendar_load_holidays(CxCalendar *cal, const char *path, GError **error)
{
  g_autofree char *text = NULL;
  gsize len = 0;
  g_autoptr(GError) io = NULL;
  if (!g_file_get_contents(path, &text, &len, &io)) {
    g_set_error(error, CX_CALENDAR_ERROR, CX_CALENDAR_ERROR_HOLIDAYS, "%s", io->message);
    return FALSE;
  }
  if (memchr(text, '\0', len) != NULL) {
    g_set_error(error, CX_CALENDAR_ERROR, CX_CALENDAR_ERROR_HOLIDAYS,
                "%s: not a text file (one YYYY-MM-DD date a line)", path);
    return FALSE;
  }
  g_autoptr(GArray) days = g_array_new(FALSE, FALSE, sizeof(gint64));
  g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++) {
    char *l = lines[i];
    if (i == 0 && g_str_has_prefix(l, "\xEF\xBB\xBF"))
      l += 3; /* a byte-order mark */
    char *hash = strchr(l, '#');
    if (hash != NULL)
      *hash = '\0';
    g_strstrip(l);
    if (*l == '\0')
      continue;
    int y, m, d;
    gint64 n;
    if (!parse_iso_date(l, &y, &m, &d) || !day_number(y, m, d, &n)) {
      g_autofree char *shown = g_utf8_make_valid(l, MIN(strlen(l), 80));
      g_set_error(error, CX_CALENDAR_ERROR, CX_CALENDAR_ERROR_HOLIDAYS,
                  "%s:%u: '%s' is not a date (one YYYY-MM-DD a line; '#' starts a comment)", path,
                  i + 1, shown);
      return FALSE;
    }
    g_array_append_val(days, n);
  }
  g_array_append_vals(cal->holidays, days->data, days->len);
  cal->holidays_given = TRUE;
  holidays_index(cal);
  return TRUE;
}

guint
cx_calendar_n_holidays(const CxCalendar *cal)
{
  return cal->holidays->len;
}

/* ---------- for people ---------- */

static void
append_clock(GString *out, gint64 us)
{
  gint64 s = us / G_USEC_PER_SEC;
  g_string_append_printf(out, "%02d:%02d", (int)(s / 3600), (int)(s / 60 % 60));
  if (s % 60 != 0)
    g_string_append_printf(out, ":%02d", (int)(s % 60));
}

static gboolean
same_given(const CxCalendar *cal, int a, int b)
{
  return cal->n_given[a] == cal->n_given[b]
         && memcmp(cal->given[a], cal->given[b], cal->n_given[a] * sizeof(Range)) == 0;
}

char *
cx_calendar_describe(const CxCalendar *cal)
{
  GString *out = g_string_new(NULL);
  for (int d = 0; d < 7;) {
    if (cal->n_given[d] == 0) {
      d++;
      continue;
    }
    int e = d;
    while (e + 1 < 7 && same_given(cal, d, e + 1))
      e++;
    if (out->len > 0)
      g_string_append(out, "; ");
    g_string_append(out, day_names[d]);
    if (e > d)
      g_string_append_printf(out, "%s%s", e == d + 1 ? "," : "-", day_names[e]);
    g_string_append_c(out, ' ');
    for (guint i = 0; i < cal->n_given[d]; i++) {
      if (i > 0)
        g_string_append_c(out, ',');
      append_clock(out, cal->given[d][i].start);
      g_string_append_c(out, '-');
      append_clock(out, cal->given[d][i].end);
    }
    d = e + 1;
  }
  g_string_append_printf(out, " (%s)", cal->zone_name);
  if (cal->holidays_given)
    g_string_append_printf(out, ", %u %s", cal->holidays->len,
                           cx_plural(cal->holidays->len, "holiday", "holidays"));
  return g_string_free(out, FALSE);
}

void
cx_calendar_json(const CxCalendar *cal, CxJson *json)
{
  cx_json_key(json, "business_hours");
  if (cal == NULL) {
    cx_json_null(json);
    return;
  }
  g_autofree char *d = cx_calendar_describe(cal);
  cx_json_string(json, d);
}

char *
cx_calendar_line(const CxCalendar *cal)
{
  if (cal == NULL)
    return NULL;
  g_autofree char *d = cx_calendar_describe(cal);
  return g_strdup_printf("Times count business hours only: %s", d);
}

void
cx_calendar_note(const CxCalendar *cal, GString *out)
{
  g_autofree char *l = cx_calendar_line(cal);
  if (l != NULL)
    g_string_append_printf(out, "%s\n", l);
}
