/* cxmine — the report's numbers for people (exact on hover) and its charts:
 * trend lines and duration box plots, as inline SVG. */
#include "report-html-private.h"
#include <math.h>

void
cx_html_count(GString *o, guint64 n)
{
  g_autofree char *s = cx_format_count(n);
  g_string_append_printf(o, "<span class=\"n\" title=\"%" G_GUINT64_FORMAT "\">%s</span>", n, s);
}

void
cx_html_exact(GString *o, const char *shown, double exact, const char *fmt, const char *unit)
{
  if (!isfinite(exact)) {
    g_string_append(o, "<span class=\"n\" title=\"unknown\">–</span>");
    return;
  }
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  g_ascii_formatd(buf, sizeof buf, fmt, exact);
  g_string_append_printf(o, "<span class=\"n\" title=\"%s%s\">%s</span>", buf, unit, shown);
}

void
cx_html_dur(GString *o, double sec)
{
  g_autofree char *s = isfinite(sec) ? cx_format_duration(sec) : NULL;
  cx_html_exact(o, s, sec, "%.0f", " seconds");
}

void
cx_html_time_total(GString *o, double sec)
{
  double years = sec / (365.25 * 86400);
  if (!isfinite(sec) || years < 2) {
    cx_html_dur(o, sec);
    return;
  }
  g_autofree char *n = cx_format_count((guint64)llround(years));
  g_autofree char *s = g_strdup_printf("%s years", n);
  cx_html_exact(o, s, sec, "%.0f", " seconds");
}

void
cx_html_share(GString *o, double x)
{
  g_autofree char *s = isfinite(x) ? cx_format_share(x) : NULL;
  cx_html_exact(o, s, x, "%.6f", "");
}

void
cx_html_date(GString *o, gint64 t, GTimeZone *tz)
{
  if (t == CX_TS_NONE) {
    g_string_append(o, "–");
    return;
  }
  g_autofree char *d = cx_format_date(t, tz);
  g_autofree char *iso = cx_time_format_iso(t);
  g_string_append_printf(o, "<span class=\"n\" title=\"%s\">%s</span>", iso, d);
}

/* ---------- charts ---------- */

void
cx_html_line_chart(GString *o, const char *title, const char *unit, const double *v,
                   const CxTrendPeriod *p, guint n, CxTrendEvery every, GTimeZone *tz, int kind)
{
  /* kind: 0 count, 1 duration, 2 share */
  const double W = 520, H = 190, L = 64, R = 12, T = 26, B = 40;
  double max = 0;
  for (guint i = 0; i < n; i++)
    if (isfinite(v[i]))
      max = MAX(max, v[i]);
  if (kind == 2)
    max = 1;
  if (max <= 0)
    max = 1;
  g_string_append_printf(o,
                         "<figure class=\"chart\"><svg viewBox=\"0 0 %g %g\" role=\"img\" "
                         "aria-label=\"",
                         W, H);
  cx_escape_html(o, title);
  g_string_append(o, "\">");
  g_string_append_printf(o, "<text x=\"%g\" y=\"16\" class=\"ct\">", L);
  cx_escape_html(o, title);
  g_string_append(o, "</text>");
  double pw = (W - L - R) / MAX(n, 1);
  for (guint i = 0; i < n; i++)
    if (p[i].censored)
      g_string_append_printf(o,
                             "<rect x=\"%.1f\" y=\"%g\" width=\"%.1f\" height=\"%g\" "
                             "class=\"cens\"><title>still filling: journeys that will end in "
                             "this period may not have yet</title></rect>",
                             L + i * pw, T, pw, H - T - B);
  /* y axis: 0, half, max */
  for (int k = 0; k <= 2; k++) {
    double y = H - B - (H - T - B) * k / 2.0, val = max * k / 2.0;
    g_autofree char *lab = kind == 1   ? cx_format_duration(val)
                           : kind == 2 ? cx_format_share(val)
                                       : cx_format_number(val, val < 10 ? 1 : 0);
    g_string_append_printf(o,
                           "<line x1=\"%g\" x2=\"%g\" y1=\"%.1f\" y2=\"%.1f\" class=\"grid\"/>"
                           "<text x=\"%g\" y=\"%.1f\" class=\"yl\">%s</text>",
                           L, W - R, y, y, L - 6, y + 4, lab);
  }
  g_string_append_printf(o,
                         "<line x1=\"%g\" x2=\"%g\" y1=\"%g\" y2=\"%g\" class=\"axis\"/>"
                         "<line x1=\"%g\" x2=\"%g\" y1=\"%g\" y2=\"%g\" class=\"axis\"/>",
                         L, W - R, H - B, H - B, L, L, T, H - B);
  g_string_append_printf(o,
                         "<text x=\"12\" y=\"%g\" class=\"unit\" transform=\"rotate(-90 12 %g)\">",
                         (H - B + T) / 2, (H - B + T) / 2);
  cx_escape_html(o, unit);
  g_string_append(o, "</text>");
  /* x labels: first, middle, last */
  guint xs[3] = { 0, n / 2, n > 0 ? n - 1 : 0 };
  for (int k = 0; k < 3 && n > 0; k++) {
    if (k > 0 && xs[k] == xs[k - 1])
      continue;
    g_autofree char *lab = cx_trend_label(&p[xs[k]], every, tz);
    g_string_append_printf(o, "<text x=\"%.1f\" y=\"%g\" class=\"xl\" text-anchor=\"%s\">%s</text>",
                           L + (xs[k] + 0.5) * pw, H - B + 16,
                           k == 0   ? "start"
                           : k == 2 ? "end"
                                    : "middle",
                           lab);
  }
  g_string_append_printf(o, "<text x=\"%g\" y=\"%g\" class=\"xl\" text-anchor=\"middle\">%s</text>",
                         (L + W - R) / 2, H - 6,
                         every == CX_TREND_MONTH  ? "month"
                         : every == CX_TREND_WEEK ? "week (from Monday)"
                                                  : "day");
  /* the line, broken where a period has no value */
  GString *path = g_string_new(NULL);
  gboolean pen = FALSE;
  for (guint i = 0; i < n; i++) {
    if (!isfinite(v[i])) {
      pen = FALSE;
      continue;
    }
    double x = L + (i + 0.5) * pw, y = H - B - (H - T - B) * v[i] / max;
    g_string_append_printf(path, "%c%.1f %.1f ", pen ? 'L' : 'M', x, y);
    pen = TRUE;
  }
  if (path->len > 0)
    g_string_append_printf(o, "<path d=\"%s\" class=\"line\"/>", path->str);
  g_string_free(path, TRUE);
  for (guint i = 0; i < n; i++) {
    if (!isfinite(v[i]))
      continue;
    double x = L + (i + 0.5) * pw, y = H - B - (H - T - B) * v[i] / max;
    g_autofree char *lab = cx_trend_label(&p[i], every, tz);
    g_autofree char *val = kind == 1   ? cx_format_duration(v[i])
                           : kind == 2 ? cx_format_share(v[i])
                                       : cx_format_count((guint64)v[i]);
    char exact[G_ASCII_DTOSTR_BUF_SIZE];
    g_ascii_formatd(exact, sizeof exact, kind == 2 ? "%.6f" : "%.0f", v[i]);
    g_string_append_printf(o,
                           "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%g\" class=\"pt\"><title>%s: %s "
                           "(%s%s)%s</title></circle>",
                           x, y, n > 60 ? 1.6 : 3.0, lab, val, exact, kind == 1 ? " s" : "",
                           p[i].censored ? ", still filling" : "");
  }
  g_string_append(o, "</svg></figure>");
}

void
cx_html_box_plot(GString *o, double *d, guint n, double lo, double hi)
{
  const double W = 220, H = 20;
  if (n == 0) {
    g_string_append(o, "<span class=\"muted\">no durations</span>");
    return;
  }
  cx_sort_doubles(d, n);
  double q[5] = { cx_quantile_sorted(d, n, 0.1), cx_quantile_sorted(d, n, 0.25),
                  cx_quantile_sorted(d, n, 0.5), cx_quantile_sorted(d, n, 0.75),
                  cx_quantile_sorted(d, n, 0.9) };
  double x[5];
  double llo = log10(MAX(lo, 1)), lhi = log10(MAX(hi, 10));
  for (int k = 0; k < 5; k++)
    x[k] = 4 + (W - 8) * (log10(MAX(q[k], 1)) - llo) / MAX(lhi - llo, 1e-9);
  g_autofree char *a = cx_format_duration(q[0]), *b = cx_format_duration(q[1]),
                  *c = cx_format_duration(q[2]), *e = cx_format_duration(q[3]),
                  *f = cx_format_duration(q[4]);
  g_string_append_printf(o,
                         "<svg class=\"box\" viewBox=\"0 0 %g %g\" width=\"%g\" height=\"%g\">"
                         "<title>%u journeys: p10 %s, p25 %s, median %s, p75 %s, p90 %s</title>"
                         "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"10\" y2=\"10\" class=\"wh\"/>"
                         "<rect x=\"%.1f\" y=\"4\" width=\"%.1f\" height=\"12\" class=\"bx\"/>"
                         "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"3\" y2=\"17\" class=\"md\"/></svg>",
                         W, H, W, H, n, a, b, c, e, f, x[0], x[4], x[1], MAX(x[3] - x[1], 1.5),
                         x[2], x[2]);
}
