/* cxmine — progress of the work after the scan (cxmine/progress.h): the
 * one place that decides how often an analysis step calls back. */
#include "cxmine/progress.h"

/* a person reads a progress line; more than twice a second only costs */
#define STEP_INTERVAL_US 500000

static void
call(const CxProgressStep *step, guint64 done, gboolean finished)
{
  CxProgress p = { CX_PROGRESS_ANALYSE, step->name, done, step->total, finished };
  step->func(&p, step->data);
}

void
cx_progress_step_begin(CxProgressStep *step, CxProgressFunc func, gpointer user_data,
                       const char *name, guint64 total)
{
  g_return_if_fail(step != NULL && name != NULL);
  *step = (CxProgressStep){ func, user_data, name, total, 0 };
  if (func == NULL)
    return;
  step->last = g_get_monotonic_time();
  call(step, 0, FALSE);
}

void
cx_progress_step_advance(CxProgressStep *step, guint64 done)
{
  if (step->func == NULL)
    return;
  gint64 now = g_get_monotonic_time();
  if (now - step->last < STEP_INTERVAL_US)
    return;
  step->last = now;
  call(step, step->total > 0 ? MIN(done, step->total) : done, FALSE);
}

void
cx_progress_step_end(CxProgressStep *step)
{
  if (step->func == NULL)
    return;
  call(step, step->total, TRUE);
  step->func = NULL; /* a second end says nothing */
}
