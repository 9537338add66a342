/* cxmine — the map metrics (metric.h). */
#include "cxmine/metric.h"

static const char *const metric_names[]
    = { "frequency", "cases", "mean", "median", "p90", "total" };

gboolean
cx_metric_parse(const char *s, CxMetric *out)
{
  for (guint i = 0; i < G_N_ELEMENTS(metric_names); i++)
    if (g_ascii_strcasecmp(s, metric_names[i]) == 0) {
      *out = (CxMetric)i;
      return TRUE;
    }
  return FALSE;
}

const char *
cx_metric_name(CxMetric m)
{
  g_return_val_if_fail((guint)m < G_N_ELEMENTS(metric_names), "frequency");
  return metric_names[m];
}

gboolean
cx_metric_is_duration(CxMetric m)
{
  return m >= CX_METRIC_MEAN;
}
