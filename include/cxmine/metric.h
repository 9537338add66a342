/* cxmine — what a process map's labels and colours measure.
 *
 * A DFG notion (nodes carry counts, cases and service times; edges counts,
 * cases and waits) that the DOT writer and the CLI's --metric option use. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What labels and colours show. */
typedef enum {
  CX_METRIC_FREQUENCY = 0, /* instances / transitions */
  CX_METRIC_CASES,         /* distinct cases */
  CX_METRIC_MEAN,          /* waits (edges), service times (nodes) */
  CX_METRIC_MEDIAN,
  CX_METRIC_P90,
  CX_METRIC_TOTAL,
} CxMetric;

/* Parses "frequency", "cases", "mean", "median", "p90", "total" (any case);
 * FALSE for anything else. */
gboolean cx_metric_parse(const char *s, CxMetric *out);
/* The metric's name as cx_metric_parse() reads it (a static string). */
const char *cx_metric_name(CxMetric m);
/* TRUE for the duration metrics (mean, median, p90, total). */
gboolean cx_metric_is_duration(CxMetric m);

G_END_DECLS
