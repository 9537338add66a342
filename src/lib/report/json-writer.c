/* A streaming JSON writer: tracks nesting to place commas. */
#include "cxmine/json-writer.h"
#include "cxmine/log.h"
#include <math.h>

struct _CxJson {
  GString *out;
  gboolean pretty;
  guint depth;
  gboolean need_comma[64];
  gboolean after_key;
};

CxJson *
cx_json_new(GString *out, gboolean pretty)
{
  CxJson *j = g_new0(CxJson, 1);
  j->out = out;
  j->pretty = pretty;
  return j;
}

void
cx_json_free(CxJson *j)
{
  g_free(j);
}

static void
newline(CxJson *j)
{
  if (!j->pretty)
    return;
  g_string_append_c(j->out, '\n');
  for (guint i = 0; i < j->depth; i++)
    g_string_append(j->out, "  ");
}

static void
before_value(CxJson *j)
{
  if (j->after_key) {
    j->after_key = FALSE;
    return;
  }
  if (j->depth > 0) {
    if (j->need_comma[j->depth])
      g_string_append_c(j->out, ',');
    newline(j);
  }
  j->need_comma[j->depth] = TRUE;
}

static void
open(CxJson *j, char c)
{
  before_value(j);
  g_string_append_c(j->out, c);
  g_return_if_fail(j->depth + 1 < G_N_ELEMENTS(j->need_comma));
  j->depth++;
  j->need_comma[j->depth] = FALSE;
}

static void
close_(CxJson *j, char c)
{
  gboolean had = j->need_comma[j->depth];
  j->depth--;
  if (had)
    newline(j);
  g_string_append_c(j->out, c);
}

void
cx_json_begin_object(CxJson *j)
{
  open(j, '{');
}
void
cx_json_end_object(CxJson *j)
{
  close_(j, '}');
}
void
cx_json_begin_array(CxJson *j)
{
  open(j, '[');
}
void
cx_json_end_array(CxJson *j)
{
  close_(j, ']');
}

void
cx_json_escape(GString *out, const char *s)
{
  g_string_append_c(out, '"');
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    switch (*p) {
      case '"':
        g_string_append(out, "\\\"");
        break;
      case '\\':
        g_string_append(out, "\\\\");
        break;
      case '\n':
        g_string_append(out, "\\n");
        break;
      case '\r':
        g_string_append(out, "\\r");
        break;
      case '\t':
        g_string_append(out, "\\t");
        break;
      default:
        if (*p < 0x20)
          g_string_append_printf(out, "\\u%04x", *p);
        else
          g_string_append_c(out, (char)*p);
    }
  }
  g_string_append_c(out, '"');
}

void
cx_json_key(CxJson *j, const char *key)
{
  before_value(j);
  cx_json_escape(j->out, key);
  g_string_append(j->out, j->pretty ? ": " : ":");
  j->after_key = TRUE;
}

void
cx_json_string(CxJson *j, const char *s)
{
  before_value(j);
  if (!g_utf8_validate(s, -1, NULL)) {
    g_autofree char *fixed = g_utf8_make_valid(s, -1);
    cx_json_escape(j->out, fixed);
    return;
  }
  cx_json_escape(j->out, s);
}

void
cx_json_int(CxJson *j, gint64 v)
{
  before_value(j);
  g_string_append_printf(j->out, "%" G_GINT64_FORMAT, v);
}

void
cx_json_double(CxJson *j, double v)
{
  before_value(j);
  if (!isfinite(v)) {
    g_string_append(j->out, "null");
    return;
  }
  if (v == floor(v) && fabs(v) < 1e15) {
    g_string_append_printf(j->out, "%" G_GINT64_FORMAT, (gint64)v);
    return;
  }
  /* the shortest of 15, 16 or 17 significant digits that reads back as @v:
   * 0.2, not 0.20000000000000001 */
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  static const char *const formats[] = { "%.15g", "%.16g" };
  for (gsize i = 0; i < G_N_ELEMENTS(formats); i++) {
    g_ascii_formatd(buf, sizeof buf, formats[i], v);
    if (g_ascii_strtod(buf, NULL) == v) {
      g_string_append(j->out, buf);
      return;
    }
  }
  g_string_append(j->out, g_ascii_dtostr(buf, sizeof buf, v));
}

void
cx_json_key_double(CxJson *j, const char *key, double v)
{
  cx_json_key(j, key);
  cx_json_double(j, v);
}

void
cx_json_bool(CxJson *j, gboolean v)
{
  before_value(j);
  g_string_append(j->out, v ? "true" : "false");
}

void
cx_json_null(CxJson *j)
{
  before_value(j);
  g_string_append(j->out, "null");
}

void
cx_json_time(CxJson *j, gint64 t)
{
  if (t == CX_TS_NONE) {
    cx_json_null(j);
    return;
  }
  g_autofree char *s = cx_time_format_iso(t);
  cx_json_string(j, s);
}

void
cx_json_summary(CxJson *j, const CxSummary *s)
{
  const char *keys[] = { "mean", "median", "p90", "min", "max", "total" };
  const double vals[] = { s->mean, s->median, s->p90, s->min, s->max, s->total };
  cx_json_begin_object(j);
  for (gsize i = 0; i < G_N_ELEMENTS(keys); i++)
    cx_json_key_double(j, keys[i], s->n > 0 ? vals[i] : NAN);
  cx_json_end_object(j);
}
