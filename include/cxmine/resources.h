/* cxmine — resources: who does the work, and who hands cases to whom.
 *
 * Per resource (org:resource or the resource column): activity instances,
 * distinct cases, median service time (complete minus start, where
 * lifecycles or a start column give one) and the outcomes of the journeys
 * it touched.  The handover-of-work matrix: for consecutive activity
 * instances of a journey done by two different resources (instances without
 * a resource are skipped over), a handover from the first to the second,
 * with the wait between the first's completion and the second's start. */
#pragma once

#include <glib.h>
#include "cxmine/log.h"
#include "cxmine/cases.h"

G_BEGIN_DECLS

typedef struct _CxResources CxResources;

typedef struct {
  guint32 resource; /* id in cx_log_resources() */
  guint64 instances, cases;
  guint64 services;               /* instances with a service time */
  double median_service_s;        /* NaN when none */
  guint64 success, dropoff, open; /* the journeys it touched, by outcome */
  double success_share;           /* success / (success + dropoff); NaN when none finished */
} CxResource;

typedef struct {
  guint32 from, to; /* ids in cx_log_resources() */
  guint64 count, cases;
  guint64 waits;        /* handovers with both times known */
  double median_wait_s; /* NaN when none */
} CxHandover;

/* Returns an empty collection over @log (not owned). */
CxResources *cx_resources_new(CxLog *log);
void cx_resources_free(CxResources *r);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CxResources, cx_resources_free)

/* A CxJourneyFunc / CxResetFunc. Journeys must be added in the same order
 * as to the case table given to cx_resources_finish. */
gboolean cx_resources_add(const CxJourney *j, gpointer r, GError **error);
void cx_resources_reset(gpointer r);

/* Computes the summaries, taking outcomes from @cases (finished). */
void cx_resources_finish(CxResources *r, CxCaseTable *cases);
/* After finish: resources, most instances first (ties: name in byte order);
 * owned by @r. */
const CxResource *cx_resources_list(const CxResources *r, guint *n);
/* After finish: handovers, most frequent first (ties: from, then to name). */
const CxHandover *cx_resources_handovers(const CxResources *r, guint *n);
/* Instances without a resource. */
guint64 cx_resources_unassigned(const CxResources *r);

/* Who does the work and who hands cases to whom, the @top first (0 = all), as text,
 * JSON or a DOT hand-off map, appended to @out. */
void cx_resources_to_text(CxLog *log, CxResources *res, CxCaseTable *t, guint top, GString *out);
void cx_resources_to_json(CxLog *log, CxResources *res, guint top, GString *out);
void cx_resources_to_dot(CxLog *log, CxResources *res, guint top, GString *out);

/* After finish: the relative error of the medians (0 when all are exact:
 * quantile_rel_error). */
double cx_resources_quantile_rel_error(const CxResources *r);

G_END_DECLS
