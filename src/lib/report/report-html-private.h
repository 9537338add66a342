/* cxmine — the journey report's page (report-html*.c): what its files
 * share.  report-html.c writes the page (the data block, its CSP, style and
 * script); report-html-svg.c runs dot and checks its SVG;
 * report-html-map.c makes the map's levels; report-html-figures.c writes
 * numbers and charts; report-html-sections.c and report-html-compare.c the
 * sections. */
#pragma once

#include "report-private.h"
#include "escape-private.h"
#include "cxmine/dot-writer.h"
#include "cxmine/json-writer.h"
#include "cxmine/output.h"

G_BEGIN_DECLS

/* ---- dot runs (report-html-svg.c) ---- */

/* Runs dot on @dot_text (at most @timeout_s seconds) and returns its SVG,
 * checked by cx_html_safe_svg(); NULL with @error. */
char *cx_html_render_svg(GString *dot_text, guint timeout_s, GError **error);

/* One of the map levels laid out by several dot processes at once. */
typedef struct {
  GString *dot; /* NULL: nothing to render */
  guint timeout_s;
  char *svg;
  GError *error;
} CxHtmlRender;

/* Renders every job with a dot; FALSE with the first job's error (in
 * order) when one failed. */
gboolean cx_html_render_all(CxHtmlRender *jobs, guint n, GError **error);

/* ---- the map (report-html-map.c) ---- */

/* Writes "map": {activities_total, acts_levels, paths_levels, default_acts,
 * default_paths, levels[{svg|svg_of}], nodes, edges}; fills @default_svg
 * with the default level's SVG and @shown / @hidden with its activities. */
gboolean cx_html_map_json(CxReport *r, CxJson *j, char **default_svg, guint *shown, guint *hidden,
                          GError **error);
/* Whether a finding's names are activities (channel_switch names channels,
 * effort none). */
gboolean cx_html_names_are_activities(const CxFinding *fd);
/* Appends the map ids of a finding ("aN eN_M tN "): its activities and the
 * edges between them. */
void cx_html_finding_map_ids(CxReport *r, const CxFinding *fd, GString *ids);

/* ---- numbers for people, exact on hover (report-html-figures.c) ---- */

void cx_html_count(GString *o, guint64 n);
/* A number shown as @shown with its exact value (@exact printed by @fmt,
 * then @unit) on hover; "–" when @exact is not finite. */
void cx_html_exact(GString *o, const char *shown, double exact, const char *fmt, const char *unit);
void cx_html_dur(GString *o, double sec);
/* Customer time summed over many journeys: years once it is past two. */
void cx_html_time_total(GString *o, double sec);
void cx_html_share(GString *o, double x);
void cx_html_date(GString *o, gint64 t, GTimeZone *tz);

/* ---- charts (report-html-figures.c) ---- */

/* A line chart of @n values (NaN: none) over the periods, with axes; @kind:
 * 0 count, 1 duration, 2 share. */
void cx_html_line_chart(GString *o, const char *title, const char *unit, const double *v,
                        const CxTrendPeriod *p, guint n, CxTrendEvery every, GTimeZone *tz,
                        int kind);
/* A box plot of durations on a log scale [lo, hi] seconds (sorts @d). */
void cx_html_box_plot(GString *o, double *d, guint n, double lo, double hi);

/* ---- sections (report-html-sections.c, report-html-compare.c) ---- */

void cx_html_section_open(GString *o, const char *id, const char *title);
void cx_html_sec_overview(CxReport *r, GString *o, GTimeZone *tz, const CxStatsSummary *sm);
void cx_html_sec_map(CxReport *r, GString *o, const char *svg, guint shown, guint hidden);
void cx_html_sec_friction(CxReport *r, GString *o);
void cx_html_sec_variants(CxReport *r, GString *o);
void cx_html_sec_channels(CxReport *r, GString *o, const CxStatsSummary *sm);
void cx_html_sec_trends(CxReport *r, GString *o, GTimeZone *tz);
/* The comparison (--compare, --split-at, --by), or nothing. */
gboolean cx_html_sec_compare(CxReport *r, GString *o, GError **error);

G_END_DECLS
