/* Trend: the SVG chart, written by hand (no DOM, no dependency): two panels
 * sharing the period axis, every string escaped, numbers locale-free. */
#include "cxmine/trend.h"
#include <math.h>

#define W        900.0
#define H        600.0
#define LEFT     90.0
#define RIGHT    (W - 40.0)
#define TOP1     84.0
#define BOTTOM1  280.0
#define TOP2     340.0
#define BOTTOM2  520.0
#define N_Y_TICK 5

static void
num(GString *out, double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  g_string_append(out, g_ascii_formatd(buf, sizeof buf, "%.1f", v));
}

static void
text(GString *out, double x, double y, const char *anchor, const char *extra, const char *s)
{
  g_autofree char *esc = g_markup_escape_text(s, -1);
  g_string_append(out, "<text x=\"");
  num(out, x);
  g_string_append(out, "\" y=\"");
  num(out, y);
  g_string_append_printf(out, "\" text-anchor=\"%s\"%s%s>%s</text>\n", anchor,
                         extra != NULL ? " " : "", extra != NULL ? extra : "", esc);
}

static void
line(GString *out, double x1, double y1, double x2, double y2, const char *stroke)
{
  g_string_append(out, "<line x1=\"");
  num(out, x1);
  g_string_append(out, "\" y1=\"");
  num(out, y1);
  g_string_append(out, "\" x2=\"");
  num(out, x2);
  g_string_append(out, "\" y2=\"");
  num(out, y2);
  g_string_append_printf(out, "\" stroke=\"%s\"/>\n", stroke);
}

/* A round step giving about N_Y_TICK ticks up to @max. */
static double
nice_step(double max)
{
  if (!(max > 0))
    return 1;
  double raw = max / N_Y_TICK, mag = pow(10, floor(log10(raw)));
  double f = raw / mag;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
}

static double
xpos(guint i, guint n)
{
  return n <= 1 ? (LEFT + RIGHT) / 2 : LEFT + (RIGHT - LEFT) * ((double)i + 0.5) / (double)n;
}

/* One panel: the y axis with ticks up to @max (values divided by @unit for
 * labels), its title, and the series (NaN = gap). */
typedef struct {
  const char *name, *color, *dash;
  double (*get)(const CxTrendPeriod *p);
} Series;

static double
get_started(const CxTrendPeriod *p)
{
  return (double)p->started;
}
static double
get_finished(const CxTrendPeriod *p)
{
  return (double)p->finished;
}
static double
get_median(const CxTrendPeriod *p)
{
  return p->median_duration_s;
}
static double
get_p90(const CxTrendPeriod *p)
{
  return p->p90_duration_s;
}

static void
panel(GString *out, const CxTrendPeriod *p, guint n, double top, double bottom, double unit,
      const char *y_title, const Series *series, guint n_series)
{
  double max = 0;
  for (guint s = 0; s < n_series; s++)
    for (guint i = 0; i < n; i++) {
      double v = series[s].get(&p[i]) / unit;
      if (isfinite(v) && v > max)
        max = v;
    }
  double step = nice_step(max), top_v = step * ceil(max / step);
  if (top_v <= 0)
    top_v = step;
  line(out, LEFT, top, LEFT, bottom, "#333333");
  line(out, LEFT, bottom, RIGHT, bottom, "#333333");
  for (double v = 0; v <= top_v + step / 2; v += step) {
    double y = bottom - (bottom - top) * v / top_v;
    line(out, LEFT - 5, y, RIGHT, y, v == 0 ? "#333333" : "#e5e5e5");
    char buf[G_ASCII_DTOSTR_BUF_SIZE];
    text(out, LEFT - 8, y + 4, "end", "font-size=\"11\"",
         g_ascii_formatd(buf, sizeof buf, step >= 1 ? "%.0f" : "%.2g", v));
  }
  g_autofree char *rot = g_strdup_printf("font-size=\"12\" transform=\"rotate(-90 %d %d)\"", 30,
                                         (int)((top + bottom) / 2));
  text(out, 30, (top + bottom) / 2, "middle", rot, y_title);
  for (guint s = 0; s < n_series; s++) {
    g_string_append_printf(out, "<path fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s d=\"",
                           series[s].color, series[s].dash);
    gboolean pen = FALSE;
    for (guint i = 0; i < n; i++) {
      double v = series[s].get(&p[i]) / unit;
      if (!isfinite(v)) {
        pen = FALSE;
        continue;
      }
      g_string_append_c(out, pen ? 'L' : 'M');
      num(out, xpos(i, n));
      g_string_append_c(out, ' ');
      num(out, bottom - (bottom - top) * v / top_v);
      g_string_append_c(out, ' ');
      pen = TRUE;
    }
    g_string_append(out, "\"/>\n");
    for (guint i = 0; i < n && n <= 120; i++) {
      double v = series[s].get(&p[i]) / unit;
      if (!isfinite(v))
        continue;
      g_string_append(out, "<circle r=\"2.5\" cx=\"");
      num(out, xpos(i, n));
      g_string_append(out, "\" cy=\"");
      num(out, bottom - (bottom - top) * v / top_v);
      g_string_append_printf(out, "\" fill=\"%s\"/>\n", series[s].color);
    }
    /* legend, top right of the panel */
    double lx = RIGHT - 170, ly = top - 8 - 14.0 * (double)(n_series - 1 - s);
    g_string_append_printf(out, "<path stroke=\"%s\" stroke-width=\"2\"%s d=\"M", series[s].color,
                           series[s].dash);
    num(out, lx);
    g_string_append_c(out, ' ');
    num(out, ly - 4);
    g_string_append(out, " L");
    num(out, lx + 20);
    g_string_append_c(out, ' ');
    num(out, ly - 4);
    g_string_append(out, "\"/>\n");
    text(out, lx + 26, ly, "start", "font-size=\"11\"", series[s].name);
  }
}

void
cx_trend_to_svg(const CxTrendPeriod *p, guint n, CxTrendEvery every, GTimeZone *tz,
                const char *title, GString *out)
{
  g_string_append_printf(out,
                         "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                         "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                         "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\">\n"
                         "<rect width=\"100%%\" height=\"100%%\" fill=\"#ffffff\"/>\n",
                         (int)W, (int)H, (int)W, (int)H);
  text(out, W / 2, 24, "middle", "font-size=\"16\" font-weight=\"bold\"",
       title != NULL ? title : "trend");
  g_autofree char *sub
      = g_strdup_printf("per %s, periods cut at midnight %s%s; shaded: censored (still filling)",
                        cx_trend_every_name(every), g_time_zone_get_identifier(tz),
                        every == CX_TREND_WEEK ? " (weeks start Monday)" : "");
  text(out, W / 2, 42, "middle", "font-size=\"11\" fill=\"#555555\"", sub);
  if (n == 0) {
    text(out, W / 2, H / 2, "middle", "font-size=\"14\"", "no timed journeys");
    g_string_append(out, "</svg>\n");
    return;
  }
  /* censored periods shaded behind both panels */
  double half = n <= 1 ? (RIGHT - LEFT) / 2 : (RIGHT - LEFT) / (double)n / 2;
  for (guint i = 0; i < n; i++) {
    if (!p[i].censored)
      continue;
    g_string_append(out, "<rect x=\"");
    num(out, xpos(i, n) - half);
    g_string_append(out, "\" y=\"");
    num(out, TOP1);
    g_string_append(out, "\" width=\"");
    num(out, 2 * half);
    g_string_append(out, "\" height=\"");
    num(out, BOTTOM2 - TOP1);
    g_string_append(out, "\" fill=\"#eeeeee\"/>\n");
  }
  static const Series counts[] = {
    { "started", "#1f77b4", "", get_started },
    { "finished", "#ff7f0e", "", get_finished },
  };
  static const Series durs[] = {
    { "median duration", "#2ca02c", "", get_median },
    { "p90 duration", "#d62728", " stroke-dasharray=\"5 3\"", get_p90 },
  };
  g_autofree char *y1 = g_strdup_printf("journeys per %s", cx_trend_every_name(every));
  panel(out, p, n, TOP1, BOTTOM1, 1, y1, counts, G_N_ELEMENTS(counts));
  double max_s = 0;
  for (guint i = 0; i < n; i++)
    if (isfinite(p[i].p90_duration_s) && p[i].p90_duration_s > max_s)
      max_s = p[i].p90_duration_s;
  double unit = max_s >= 2 * 86400 ? 86400 : max_s >= 2 * 3600 ? 3600 : max_s >= 120 ? 60 : 1;
  const char *uname = unit == 86400  ? "days"
                      : unit == 3600 ? "hours"
                      : unit == 60   ? "minutes"
                                     : "seconds";
  g_autofree char *y2 = g_strdup_printf("duration of finished journeys (%s)", uname);
  panel(out, p, n, TOP2, BOTTOM2, unit, y2, durs, G_N_ELEMENTS(durs));
  /* period labels: at most about 12 */
  guint every_k = (n + 11) / 12;
  for (guint i = 0; i < n; i += every_k) {
    g_autofree char *label = cx_trend_label(&p[i], every, tz);
    line(out, xpos(i, n), BOTTOM2, xpos(i, n), BOTTOM2 + 5, "#333333");
    text(out, xpos(i, n), BOTTOM2 + 20, "middle", "font-size=\"11\"", label);
  }
  g_autofree char *x_title
      = g_strdup_printf("%s (%s)", cx_trend_every_name(every), g_time_zone_get_identifier(tz));
  text(out, (LEFT + RIGHT) / 2, BOTTOM2 + 44, "middle", "font-size=\"12\"", x_title);
  g_string_append(out, "</svg>\n");
}
