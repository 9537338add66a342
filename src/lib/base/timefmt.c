/* Timestamp formats of CSV exports: a few hand-written shapes, epoch
 * numbers and explicit patterns; never strptime (locale-dependent). */
#include "cxmine/timefmt.h"
#include "cxmine/log.h"
#include "cxmine/timestamp.h"
#include <string.h>

/* the quark's name is one token, which clang-format would split */
/* clang-format off */
G_DEFINE_QUARK(cx-timefmt-error-quark, cx_timefmt_error)
/* clang-format on */

struct _CxTimeFmt {
  char *pattern; /* NULL = recognise shapes */
  gboolean day_seen, month_seen;
  CxDateOrder order;
  gboolean guessed;
};

typedef struct {
  int Y, M, D, h, mi, sec, us;
  gboolean has_off;
  int off; /* seconds east of UTC */
} Civil;

static const char *const month_names[]
    = { "january", "february", "march",     "april",   "may",      "june",
        "july",    "august",   "september", "october", "november", "december" };

CxTimeFmt *
cx_timefmt_new(const char *pattern, GError **error)
{
  if (pattern != NULL) {
    if (*pattern == '\0') {
      g_set_error(error, CX_TIMEFMT_ERROR, CX_TIMEFMT_ERROR_PATTERN, "empty timestamp pattern");
      return NULL;
    }
    for (const char *p = pattern; *p != '\0'; p++) {
      if (*p != '%')
        continue;
      p++;
      if (*p == '\0' || strchr("YmdHMSfzb%", *p) == NULL) {
        g_set_error(error, CX_TIMEFMT_ERROR, CX_TIMEFMT_ERROR_PATTERN,
                    "timestamp pattern '%s': unknown directive '%%%.1s' (use %%Y %%m %%d %%H %%M "
                    "%%S %%f %%z %%b)",
                    pattern, p);
        return NULL;
      }
    }
  }
  CxTimeFmt *f = g_new0(CxTimeFmt, 1);
  f->pattern = g_strdup(pattern);
  return f;
}

void
cx_timefmt_free(CxTimeFmt *f)
{
  if (f == NULL)
    return;
  g_free(f->pattern);
  g_free(f);
}

/* Reads between @min and @max digits at s[*i]. */
static gboolean
read_digits(const char *s, gsize len, gsize *i, int min, int max, int *out)
{
  int v = 0, n = 0;
  while (*i < len && n < max && s[*i] >= '0' && s[*i] <= '9') {
    v = v * 10 + (s[*i] - '0');
    (*i)++;
    n++;
  }
  if (n < min)
    return FALSE;
  *out = v;
  return TRUE;
}

/* A fraction after its separator: microseconds, further digits dropped. */
static gboolean
read_fraction(const char *s, gsize len, gsize *i, int *us)
{
  gsize f0 = *i;
  int scale = 100000, v = 0;
  while (*i < len && s[*i] >= '0' && s[*i] <= '9') {
    v += (s[*i] - '0') * scale;
    scale /= 10;
    (*i)++;
  }
  if (*i == f0 || *i - f0 > 9)
    return FALSE;
  *us = v;
  return TRUE;
}

static gboolean
read_offset(const char *s, gsize len, gsize *i, Civil *c)
{
  if (*i < len && (s[*i] == 'Z' || s[*i] == 'z')) {
    (*i)++;
    c->has_off = TRUE;
    c->off = 0;
    return TRUE;
  }
  if (len - *i >= 3
      && (g_ascii_strncasecmp(s + *i, "UTC", 3) == 0
          || g_ascii_strncasecmp(s + *i, "GMT", 3) == 0)) {
    *i += 3;
    c->has_off = TRUE;
    c->off = 0;
    if (*i == len || (s[*i] != '+' && s[*i] != '-'))
      return TRUE;
  }
  if (*i >= len || (s[*i] != '+' && s[*i] != '-'))
    return FALSE;
  int sign = s[*i] == '-' ? -1 : 1, oh, om = 0;
  (*i)++;
  if (!read_digits(s, len, i, 2, 2, &oh))
    return FALSE;
  if (*i < len && s[*i] == ':') {
    (*i)++;
    if (!read_digits(s, len, i, 2, 2, &om))
      return FALSE;
  } else if (*i < len && s[*i] >= '0' && s[*i] <= '9') {
    if (!read_digits(s, len, i, 2, 2, &om))
      return FALSE;
  }
  if (oh > 23 || om > 59)
    return FALSE;
  c->has_off = TRUE;
  c->off = sign * (oh * 3600 + om * 60);
  return TRUE;
}

static gsize
skip_spaces(const char *s, gsize len, gsize i)
{
  while (i < len && s[i] == ' ')
    i++;
  return i;
}

/* What may follow a date: [(space|T)H[H]:MM[:SS[.frac]]][ AM|PM][ offset], then the end. */
static gboolean
read_time_tail(const char *s, gsize len, gsize i, Civil *c)
{
  if (i == len)
    return TRUE;
  if (s[i] == 'T')
    i++;
  else if (s[i] == ' ')
    i = skip_spaces(s, len, i);
  else
    return FALSE;
  if (!read_digits(s, len, &i, 1, 2, &c->h) || i >= len || s[i] != ':')
    return FALSE;
  i++;
  if (!read_digits(s, len, &i, 2, 2, &c->mi))
    return FALSE;
  if (i < len && s[i] == ':') {
    i++;
    if (!read_digits(s, len, &i, 2, 2, &c->sec))
      return FALSE;
    if (i < len && (s[i] == '.' || s[i] == ',')) {
      i++;
      if (!read_fraction(s, len, &i, &c->us))
        return FALSE;
    }
  }
  gsize j = skip_spaces(s, len, i);
  if (len - j >= 2 && (s[j + 1] == 'M' || s[j + 1] == 'm')
      && (s[j] == 'A' || s[j] == 'a' || s[j] == 'P' || s[j] == 'p')) {
    if (c->h < 1 || c->h > 12)
      return FALSE;
    gboolean pm = s[j] == 'P' || s[j] == 'p';
    c->h = c->h % 12 + (pm ? 12 : 0);
    i = j + 2;
    j = skip_spaces(s, len, i);
  }
  if (j < len) {
    if (!read_offset(s, len, &j, c))
      return FALSE;
    i = j;
  }
  return i == len;
}

static gboolean
to_utc(const Civil *c, GTimeZone *naive_tz, gint64 *out, gboolean *naive)
{
  gint64 t = cx_time_from_civil(c->Y, c->M, c->D, c->h, c->mi, c->sec, c->us,
                                c->has_off ? NULL : naive_tz);
  if (t == CX_TS_NONE)
    return FALSE;
  if (c->has_off)
    t -= (gint64)c->off * CX_USEC_PER_SEC;
  if (!cx_time_in_range(t))
    return FALSE;
  *out = t;
  if (naive != NULL && !c->has_off)
    *naive = TRUE;
  return TRUE;
}

/* d1 SEP d2 SEP yyyy with SEP one of / . - ; *@end is where the tail starts. */
static gboolean
day_month_shape(const char *s, gsize len, int *a, int *b, int *year, gsize *end)
{
  gsize i = 0;
  if (!read_digits(s, len, &i, 1, 2, a) || i >= len)
    return FALSE;
  char sep = s[i];
  if (sep != '/' && sep != '.' && sep != '-')
    return FALSE;
  i++;
  if (!read_digits(s, len, &i, 1, 2, b) || i >= len || s[i] != sep)
    return FALSE;
  i++;
  gsize y0 = i;
  if (!read_digits(s, len, &i, 4, 4, year) || i - y0 != 4)
    return FALSE;
  if (i < len && s[i] >= '0' && s[i] <= '9')
    return FALSE;
  *end = i;
  return TRUE;
}

static void
trim(const char **s, gsize *len)
{
  while (*len > 0 && g_ascii_isspace(**s)) {
    (*s)++;
    (*len)--;
  }
  while (*len > 0 && g_ascii_isspace((*s)[*len - 1]))
    (*len)--;
}

gboolean
cx_timefmt_is_day_month(const char *s, gsize len)
{
  int a, b, y;
  gsize end;
  trim(&s, &len);
  return day_month_shape(s, len, &a, &b, &y, &end);
}

CxDateOrder
cx_timefmt_evidence(const char *s, gsize len)
{
  int a, b, y;
  gsize end;
  trim(&s, &len);
  if (!day_month_shape(s, len, &a, &b, &y, &end))
    return CX_DATE_ORDER_UNKNOWN;
  if (a > 12 && b >= 1 && b <= 12)
    return CX_DATE_ORDER_DAY_FIRST;
  if (b > 12 && a >= 1 && a <= 12)
    return CX_DATE_ORDER_MONTH_FIRST;
  return CX_DATE_ORDER_UNKNOWN;
}

CxDateOrder
cx_timefmt_observe(CxTimeFmt *f, const char *s, gsize len)
{
  if (f->pattern != NULL)
    return CX_DATE_ORDER_UNKNOWN;
  CxDateOrder e = cx_timefmt_evidence(s, len);
  if (e == CX_DATE_ORDER_DAY_FIRST)
    f->day_seen = TRUE;
  else if (e == CX_DATE_ORDER_MONTH_FIRST)
    f->month_seen = TRUE;
  if (f->day_seen && f->month_seen)
    return CX_DATE_ORDER_CONFLICT;
  if (f->day_seen)
    return CX_DATE_ORDER_DAY_FIRST;
  if (f->month_seen)
    return CX_DATE_ORDER_MONTH_FIRST;
  return CX_DATE_ORDER_UNKNOWN;
}

void
cx_timefmt_set_order(CxTimeFmt *f, CxDateOrder order, gboolean guessed)
{
  g_return_if_fail(order == CX_DATE_ORDER_DAY_FIRST || order == CX_DATE_ORDER_MONTH_FIRST);
  f->order = order;
  f->guessed = guessed;
}

CxDateOrder
cx_timefmt_order(const CxTimeFmt *f, gboolean *guessed)
{
  if (guessed != NULL)
    *guessed = f->guessed;
  return f->order;
}

/* Epoch seconds or milliseconds: [+-]digits[.digits]. */
static gboolean
parse_epoch(const char *s, gsize len, gint64 *out)
{
  gsize i = 0;
  gboolean neg = FALSE;
  if (i < len && (s[i] == '-' || s[i] == '+')) {
    neg = s[i] == '-';
    i++;
  }
  gsize d0 = i;
  gint64 v = 0;
  while (i < len && s[i] >= '0' && s[i] <= '9') {
    if (i - d0 >= 17)
      return FALSE;
    v = v * 10 + (s[i] - '0');
    i++;
  }
  if (i == d0)
    return FALSE;
  gint64 frac = 0; /* nanoseconds of one unit */
  if (i < len && s[i] == '.') {
    i++;
    gsize f0 = i;
    gint64 scale = 100000000;
    while (i < len && s[i] >= '0' && s[i] <= '9') {
      frac += (s[i] - '0') * scale;
      scale /= 10;
      i++;
    }
    if (i == f0)
      return FALSE;
  }
  if (i != len)
    return FALSE;
  /* refuse what lies outside CX_TS_MIN..CX_TS_MAX before multiplying: 17
   * digits of milliseconds times 1000 would overflow */
  gint64 us;
  if (v >= G_GINT64_CONSTANT(100000000000)) {
    if (v > CX_TS_MAX / 1000)
      return FALSE;
    us = v * 1000 + frac / 1000000; /* milliseconds */
  } else {
    us = v * CX_USEC_PER_SEC + frac / 1000;
  }
  us = neg ? -us : us;
  if (!cx_time_in_range(us))
    return FALSE;
  *out = us;
  return TRUE;
}

/* Epoch-shaped: [+-]digits[.digits] and nothing else. */
static gboolean
epoch_shape(const char *s, gsize len)
{
  gsize i = len > 0 && (s[0] == '-' || s[0] == '+') ? 1 : 0, d0 = i;
  while (i < len && s[i] >= '0' && s[i] <= '9')
    i++;
  if (i == d0)
    return FALSE;
  if (i < len && s[i] == '.') {
    gsize f0 = ++i;
    while (i < len && s[i] >= '0' && s[i] <= '9')
      i++;
    if (i == f0)
      return FALSE;
  }
  return i == len;
}

static gboolean
parse_month_name(const char *s, gsize len, gsize *i, int *month)
{
  for (int m = 0; m < 12; m++) {
    const char *name = month_names[m];
    gsize n = strlen(name);
    if (len - *i < 3 || g_ascii_strncasecmp(s + *i, name, 3) != 0)
      continue;
    *i += len - *i >= n && g_ascii_strncasecmp(s + *i, name, n) == 0 ? n : 3;
    *month = m + 1;
    return TRUE;
  }
  return FALSE;
}

static gboolean
parse_pattern(const char *pat, const char *s, gsize len, Civil *c)
{
  gsize i = 0;
  for (const char *p = pat; *p != '\0'; p++) {
    if (*p == ' ') {
      if (i >= len || s[i] != ' ')
        return FALSE;
      i = skip_spaces(s, len, i);
      continue;
    }
    if (*p != '%' || p[1] == '%') {
      if (*p == '%')
        p++;
      if (i >= len || s[i] != *p)
        return FALSE;
      i++;
      continue;
    }
    p++;
    gboolean ok = FALSE;
    switch (*p) {
      case 'Y':
        ok = read_digits(s, len, &i, 4, 4, &c->Y);
        break;
      case 'm':
        ok = read_digits(s, len, &i, 1, 2, &c->M);
        break;
      case 'd':
        ok = read_digits(s, len, &i, 1, 2, &c->D);
        break;
      case 'H':
        ok = read_digits(s, len, &i, 1, 2, &c->h);
        break;
      case 'M':
        ok = read_digits(s, len, &i, 2, 2, &c->mi);
        break;
      case 'S':
        ok = read_digits(s, len, &i, 2, 2, &c->sec);
        break;
      case 'f':
        ok = read_fraction(s, len, &i, &c->us);
        break;
      case 'z':
        ok = read_offset(s, len, &i, c);
        break;
      case 'b':
        ok = parse_month_name(s, len, &i, &c->M);
        break;
      default:
        g_assert_not_reached();
    }
    if (!ok)
      return FALSE;
  }
  return i == len;
}

gboolean
cx_timefmt_out_of_range(const CxTimeFmt *f, const char *s, gsize len, GTimeZone *naive_tz)
{
  trim(&s, &len);
  if (f->pattern != NULL || len == 0)
    return FALSE;
  gint64 t;
  if (epoch_shape(s, len))
    return !parse_epoch(s, len, &t);
  return cx_time_iso_out_of_range(s, len, naive_tz);
}

gboolean
cx_timefmt_parse(const CxTimeFmt *f, const char *s, gsize len, GTimeZone *naive_tz, gint64 *out,
                 gboolean *naive)
{
  trim(&s, &len);
  if (len == 0)
    return FALSE;
  Civil c = { 1970, 1, 1, 0, 0, 0, 0, FALSE, 0 };
  if (f->pattern != NULL)
    return parse_pattern(f->pattern, s, len, &c) && to_utc(&c, naive_tz, out, naive);
  /* the shape is told by the first run of digits and what follows it */
  gsize i = 0;
  while (i < len && s[i] >= '0' && s[i] <= '9')
    i++;
  if (i == 4 && i < len && s[i] == '-')
    return cx_time_parse_iso(s, len, naive_tz, out, naive);
  if (i == 4 && i < len && (s[i] == '/' || s[i] == '.')) {
    char sep = s[i];
    gsize j = 0;
    if (!read_digits(s, len, &j, 4, 4, &c.Y) || s[j++] != sep
        || !read_digits(s, len, &j, 1, 2, &c.M) || j >= len || s[j++] != sep
        || !read_digits(s, len, &j, 1, 2, &c.D) || (j < len && s[j] >= '0' && s[j] <= '9'))
      return FALSE;
    return read_time_tail(s, len, j, &c) && to_utc(&c, naive_tz, out, naive);
  }
  int a, b;
  gsize end;
  if ((i == 1 || i == 2) && day_month_shape(s, len, &a, &b, &c.Y, &end)) {
    gboolean month_first = f->order == CX_DATE_ORDER_MONTH_FIRST;
    c.D = month_first ? b : a;
    c.M = month_first ? a : b;
    return read_time_tail(s, len, end, &c) && to_utc(&c, naive_tz, out, naive);
  }
  if (i > 0 || s[0] == '-' || s[0] == '+') {
    if (parse_epoch(s, len, out))
      return TRUE;
  }
  return cx_time_parse_iso(s, len, naive_tz, out, naive);
}
