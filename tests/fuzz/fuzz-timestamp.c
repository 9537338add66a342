/* libFuzzer harness for timestamp parsing: any bytes through the ISO-8601
 * parser and the CSV formats (shapes, epoch, explicit patterns, naive zones),
 * with the first byte choosing the parser.  Beyond no crash, leak or
 * undefined behaviour, it checks the contracts: a parsed time lies in
 * CX_TS_MIN..CX_TS_MAX, a refused value leaves the output alone, and a
 * parsed time written back as ISO-8601 reads back as itself. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "cxmine/log.h"
#include "cxmine/timefmt.h"
#include "cxmine/timestamp.h"
#include "fuzz-timestamp.h"

static const char *const patterns[] = {
  NULL,
  "%d.%m.%Y %H:%M",
  "%Y-%m-%dT%H:%M:%S%z",
  "%d %b %Y %H:%M:%S.%f",
  "%m/%d/%Y %H:%M %z",
  "%Y%m%d%H%M%S",
};

static GTimeZone *
zone(int i)
{
  static GTimeZone *zones[3];
  static const char *const ids[] = { "Europe/Amsterdam", "America/St_Johns", "Pacific/Kiritimati" };
  if (i < 0)
    return NULL;
  if (zones[i] == NULL)
    zones[i] = g_time_zone_new_identifier(ids[i]);
  return zones[i];
}

static void
check_time(gint64 t)
{
  if (!cx_time_in_range(t))
    abort();
  /* written back and read again: the same instant */
  g_autofree char *s = cx_time_format_iso(t);
  gint64 u = 0;
  if (!cx_time_parse_iso(s, strlen(s), NULL, &u, NULL) || u != t)
    abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (size == 0)
    return 0;
  guint8 mode = data[0];
  const char *s = (const char *)data + 1;
  gsize len = size - 1;
  GTimeZone *tz = zone((int)(mode >> 6) - 1);
  gint64 t = 42;
  gboolean naive = FALSE;
  if ((mode & 7) == 7) {
    if (cx_time_parse_iso(s, len, tz, &t, &naive))
      check_time(t);
    else if (t != 42)
      abort();
    cx_time_iso_out_of_range(s, len, tz);
    return 0;
  }
  const char *pat = patterns[(mode & 7) % G_N_ELEMENTS(patterns)];
  g_autoptr(CxTimeFmt) f = cx_timefmt_new(pat, NULL);
  if (f == NULL)
    abort();
  cx_timefmt_observe(f, s, len);
  cx_timefmt_evidence(s, len);
  cx_timefmt_is_day_month(s, len);
  if (mode & 8)
    cx_timefmt_set_order(f, CX_DATE_ORDER_MONTH_FIRST, FALSE);
  if (cx_timefmt_parse(f, s, len, tz, &t, &naive))
    check_time(t);
  else if (t != 42)
    abort();
  cx_timefmt_out_of_range(f, s, len, tz);
  return 0;
}
