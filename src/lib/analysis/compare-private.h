/* cxmine — compare internals shared by compare.c (sides, tests),
 * compare-report.c (JSON, text) and compare-map.c (DOT). */
#pragma once

#include "cxmine/compare.h"

G_BEGIN_DECLS

struct _CxCompare {
  CxCompareOptions opts;
  GArray *items; /* CxCompareItem */
  guint n_tests, n_significant, n_changes;
};

/* Formatting shared by the text report and the map; each returns a new string. */
char *cx_compare_fmt_q(double q);         /* "q < 0.001", "q = 0.02" */
char *cx_compare_fmt_dur(double s);       /* "3.2 d"; "-" when unknown */
char *cx_compare_fmt_share(double share); /* "12%", "0.4%", "<0.1%", "0%" */
char *cx_compare_fmt_pct_delta(double d); /* share difference in points: "+4 points" */

G_END_DECLS
