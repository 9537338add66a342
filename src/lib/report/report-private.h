/* cxmine — the journey report's state, shared by report.c (the analyses)
 * and report-html.c (the page). */
#pragma once

#include "cxmine/report.h"
#include "cxmine/stats.h"
#include "cxmine/variants.h"
#include "cxmine/dfg.h"
#include "cxmine/cases.h"
#include "cxmine/compare.h"
#include "cxmine/compare-run.h"
#include "cxmine/outcome.h"

struct _CxReport {
  CxLog *log;
  CxReportOptions opts;
  CxFrictionOptions fopts;
  char *title, *by;
  CxStats *stats;
  CxVariants *variants;
  CxDfg *dfg;
  CxFriction *friction;
  CxCaseTable *table;
  CxOutcome *outcome;
  GHashTable *act_chan; /* (activity << 32 | channel) -> instances */
  /* the comparison, as `cxmine compare` makes it (compare-run.h): one of */
  CxCompareLog *cmp_log, *o_log; /* --compare OTHER: this log, the other */
  CxCompareSplit *cmp_split;     /* --split-at */
  CxCompareBy *cmp_by;           /* --by: its comparisons are its own */
  CxCompare *compare;            /* two logs or a split */
  char *cmp_names[2];
  char *cmp_hours; /* the log's business hours, described, or NULL */
  /* after finish */
  GArray *periods; /* CxTrendPeriod */
  CxTrendEvery every;
  guint64 untimed;
  GError *trend_error;
};
