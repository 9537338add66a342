/* cxmine — the journey report: one self-contained HTML page.
 *
 * Use: cx_report_new() over a log, one scan with cx_report_add /
 * cx_report_reset as the journey callback (it feeds every analysis the page
 * shows: stats, variants, dfg, friction, the case table for trends, and the
 * sides of a comparison), cx_report_finish(), then cx_report_write_html().
 *
 * The page has sections with the ids overview, map, friction, variants,
 * channels, trends and (with a comparison) compare.  Its numbers come from
 * the analyses themselves, and their JSON (the very objects `cxmine stats
 * --json`, `variants --json --top 50`, `dfg --json`, `friction --json` and
 * `compare --json` write) is embedded in a <script type="application/json"
 * id="cx-data"> block.  Maps are laid out by Graphviz's dot when the page is
 * written; the page needs nothing else: no network, no installed software.
 *
 * Every string from the log is escaped for where it lands (HTML text,
 * attributes, script data); the SVG dot writes is parsed (no network, no
 * entities) and refused unless well-formed and free of scripts, event
 * handlers, links and foreign objects.  The page's own script is pinned by a
 * Content-Security-Policy hash. */
#pragma once

#include <glib.h>
#include "cxmine/log.h"
#include "cxmine/reader.h"
#include "cxmine/friction.h"
#include "cxmine/trend.h"

G_BEGIN_DECLS

#define CX_REPORT_ERROR (cx_report_error_quark())
GQuark cx_report_error_quark(void);

typedef enum {
  CX_REPORT_ERROR_SVG, /* dot wrote an SVG that is not safe to inline */
} CxReportError;

typedef struct {
  const CxFrictionOptions *friction; /* NULL = defaults; its success and open-after also decide
                                        the outcomes of the trends and the comparison */
  gboolean every_auto;               /* TRUE (default): weeks up to 26 weeks of data, else months */
  CxTrendEvery every;
  guint top;              /* friction cards (default 10) */
  guint render_timeout_s; /* per dot run; 0 = no limit */
  const char *title;      /* NULL = the log's name */
  /* a comparison (at most one of these) */
  gint64 split_at; /* journeys starting before vs from this time; CX_TS_NONE = none */
  const char *by;  /* an attribute ("KEY", "KEY@last" or "case:KEY"): its segments, each vs
                      the rest (two: the smaller vs the larger), as `cxmine compare --by KEY`;
                      asks the log for it */
  CxLog *other;    /* another log (not owned): this log (before) vs @other (after) */
} CxReportOptions;

void cx_report_options_init(CxReportOptions *opts);

typedef struct _CxReport CxReport;

/* Returns a report over @log (not owned); @opts is copied (not its log). */
CxReport *cx_report_new(CxLog *log, const CxReportOptions *opts);
void cx_report_free(CxReport *r);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CxReport, cx_report_free)

/* A CxJourneyFunc / CxResetFunc: pass the report as user data. */
gboolean cx_report_add(const CxJourney *j, gpointer r, GError **error);
void cx_report_reset(gpointer r);
/* Finishes every analysis; makes the comparison as `cxmine compare` does
 * (compare-run.h; with opts->other scans that log, and one outcome model is
 * decided from both logs). FALSE with @error on a failed scan or when there
 * is nothing to compare (CX_COMPARE_RUN_ERROR). */
gboolean cx_report_finish(CxReport *r, GError **error);
/* The friction analysis (after finish; owned by @r). */
CxFriction *cx_report_friction(CxReport *r);

/* Appends the page to @out. Runs Graphviz's dot (CX_DOT_ERROR_NO_GRAPHVIZ
 * when missing); FALSE with @error when a render fails or its SVG is
 * refused. */
gboolean cx_report_write_html(CxReport *r, GString *out, GError **error);

/* Checks that @svg (dot's output) is well-formed XML without a DTD's
 * entities, scripts, event-handler attributes, links or foreign objects;
 * returns the text from its <svg> element on, or NULL with @error. */
char *cx_html_safe_svg(const char *svg, gsize len, GError **error);

G_END_DECLS
