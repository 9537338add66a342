/* cxmine — escaping for HTML, XML attributes and JSON in a script
 * (escape-private.h). */
#include "escape-private.h"

gboolean
cx_escape_ref(GString *out, gunichar c, CxEscapeSet set)
{
  CxEscapeSet in;
  switch (c) {
    case '&':
    case '<':
    case '>':
      in = CX_ESCAPE_MARKUP;
      break;
    case '"':
      in = CX_ESCAPE_QUOTE;
      break;
    case '\'':
      in = CX_ESCAPE_APOS;
      break;
    case '\n':
    case '\r':
    case '\t':
      in = CX_ESCAPE_BREAKS;
      break;
    case '{':
    case '}':
    case '|':
      in = CX_ESCAPE_RECORD;
      break;
    default:
      return FALSE;
  }
  if ((set & in) == 0)
    return FALSE;
  switch (c) {
    case '&':
      g_string_append(out, "&amp;");
      break;
    case '<':
      g_string_append(out, "&lt;");
      break;
    case '>':
      g_string_append(out, "&gt;");
      break;
    case '"':
      g_string_append(out, "&quot;");
      break;
    default:
      g_string_append_printf(out, "&#%u;", (guint)c);
  }
  return TRUE;
}

/* Whether byte @c may need a reference or a replacement in some context:
 * the loops below copy runs of other bytes at once. */
static inline gboolean
special(guchar c)
{
  return c < 0x20 || c == '&' || c == '<' || c == '>' || c == '"' || c == '\'' || c == '{'
         || c == '}' || c == '|';
}

/* Appends the run of bytes from @p that need nothing, at once; returns
 * where it stops: at a special() byte or the end. */
static inline const char *
copy_plain(GString *out, const char *p)
{
  const char *run = p;
  while (*p != '\0' && !special((guchar)*p))
    p++;
  g_string_append_len(out, run, p - run);
  return p;
}

void
cx_escape_html(GString *out, const char *s)
{
  const char *p = s != NULL ? s : "";
  while (*p != '\0') {
    p = copy_plain(out, p);
    if (*p == '\0')
      break;
    if (!cx_escape_ref(out, (guchar)*p, CX_ESCAPE_MARKUP | CX_ESCAPE_QUOTE | CX_ESCAPE_APOS))
      g_string_append_c(out, *p);
    p++;
  }
}

void
cx_escape_xml_attr(GString *out, const char *s)
{
  g_autofree char *valid = NULL;
  if (!g_utf8_validate(s, -1, NULL))
    s = valid = g_utf8_make_valid(s, -1);
  const char *p = s;
  while (*p != '\0') {
    p = copy_plain(out, p);
    if (*p == '\0')
      break;
    guchar c = (guchar)*p++;
    if (cx_escape_ref(out, c, CX_ESCAPE_MARKUP | CX_ESCAPE_QUOTE | CX_ESCAPE_BREAKS))
      continue;
    if (c < 0x20)
      g_string_append(out, "\xef\xbf\xbd");
    else
      g_string_append_c(out, (char)c);
  }
}

void
cx_escape_script_json(GString *out, const char *json)
{
  for (const char *p = json; *p; p++) {
    guchar c = (guchar)*p;
    if (c == '<' || c == '>' || c == '&')
      g_string_append_printf(out, "\\u%04x", c);
    else if (c == 0xE2 && (guchar)p[1] == 0x80 && ((guchar)p[2] == 0xA8 || (guchar)p[2] == 0xA9)) {
      g_string_append_printf(out, "\\u20%s", (guchar)p[2] == 0xA8 ? "28" : "29");
      p += 2;
    } else
      g_string_append_c(out, *p);
  }
}
