/* The XES reader's values: character references, timestamps, and the
 * canonical text of typed values. */
#include "xes-private.h"
#include "cxmine/timestamp.h"

/* The slow part of cx_xes_decode(): @v has an '&'. */
const char *
cx_xes_decode_refs(GString *buf, const char *v, gsize *len)
{
  g_string_truncate(buf, 0);
  for (gsize i = 0; i < *len; i++) {
    if (v[i] == '&' && i + 5 <= *len && memcmp(v + i, "&#38;", 5) == 0) {
      g_string_append_c(buf, '&');
      i += 4;
    } else {
      g_string_append_c(buf, v[i]);
    }
  }
  *len = buf->len;
  return buf->str;
}

/* Parses @v as a timestamp: ISO-8601 or "yyyy/mm/dd HH:MM:SS(.fff)". */
gboolean
cx_xes_parse_time(CxXesReader *r, const char *v, gsize len, gint64 *out)
{
  gboolean naive = FALSE;
  gboolean ok = cx_time_parse_iso(v, len, r->tz, out, &naive);
  if (!ok && len >= 10 && len < 64 && v[4] == '/' && v[7] == '/') {
    char buf[64];
    memcpy(buf, v, len);
    buf[4] = buf[7] = '-';
    ok = cx_time_parse_iso(buf, len, r->tz, out, &naive);
  }
  if (ok && naive)
    cx_sink_note_naive_time(r->sink);
  return ok;
}

/* The canonical text of a typed value: ints and floats re-printed, booleans
 * lowercased, dates as UTC ISO-8601; strings, ids and anything that does not
 * parse as written.  The result may live in r->canon. */
const char *
cx_xes_canonical_typed(CxXesReader *r, AttrType type, const char *v, gsize *len)
{
  char buf[72];
  memcpy(buf, v, *len);
  buf[*len] = '\0';
  g_string_truncate(r->canon, 0);
  if (type == T_INT) {
    char *end;
    gint64 x = g_ascii_strtoll(buf, &end, 10);
    if (end == buf || *end != '\0')
      return v;
    g_string_append_printf(r->canon, "%" G_GINT64_FORMAT, x);
  } else if (type == T_FLOAT) {
    char *end;
    double x = g_ascii_strtod(buf, &end);
    if (end == buf || *end != '\0')
      return v;
    char out[G_ASCII_DTOSTR_BUF_SIZE];
    g_string_append(r->canon, g_ascii_formatd(out, sizeof out, "%.15g", x));
  } else if (type == T_BOOL) {
    if (g_ascii_strcasecmp(buf, "true") == 0 || strcmp(buf, "1") == 0)
      g_string_append(r->canon, "true");
    else if (g_ascii_strcasecmp(buf, "false") == 0 || strcmp(buf, "0") == 0)
      g_string_append(r->canon, "false");
    else
      return v;
  } else if (type == T_DATE) {
    gint64 t;
    gboolean naive = FALSE;
    if (!cx_time_parse_iso(v, *len, r->tz, &t, &naive))
      return v;
    g_autofree char *s = cx_time_format_iso(t);
    g_string_append(r->canon, s);
  } else {
    return v;
  }
  *len = r->canon->len;
  return r->canon->str;
}
