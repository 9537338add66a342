/* cxmine — the journey report's state, shared by report.c (the analyses)
 * and report-html.c (the page). */
#pragma once

#include "cxmine/report.h"
#include "cxmine/stats.h"
#include "cxmine/variants.h"
#include "cxmine/dfg.h"
#include "cxmine/cases.h"
#include "cxmine/compare.h"
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
  /* the comparison */
  CxCompareSide *sides[2];
  GHashTable *groups; /* --by: value id + 1 -> CxCompareSide* */
  GArray *group_order;
  CxCompareSide *all; /* --by: every journey */
  guint32 key_id;
  guint64 unplaced;
  CxOutcome *o_outcome;
  CxFriction *o_friction;
  CxCompareSide *o_side;
  CxCompareSide *rest; /* --by: the largest segment's rest */
  CxCompare *compare;
  char *cmp_names[2];
  char *cmp_rule;
  /* after finish */
  GArray *periods; /* CxTrendPeriod */
  CxTrendEvery every;
  guint64 untimed;
  GError *trend_error;
};
