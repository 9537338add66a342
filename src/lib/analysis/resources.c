/* Resources and the handover-of-work matrix, one pass over the journeys. */
#include "cxmine/resources.h"
#include "cxmine/summary.h"
#include "quantiles-private.h"
#include <math.h>
#include <string.h>

typedef struct {
  guint64 instances, cases;
  guint last_seq;       /* seq + 1 of the last journey counted */
  CxQuantiles *service; /* seconds, or NULL */
  GArray *journeys;     /* guint: seq of each journey touched */
} ResAcc;

typedef struct {
  guint32 from, to;
  guint64 count, cases;
  guint last_seq;
  CxQuantiles *waits; /* seconds */
} HandAcc;

struct _CxResources {
  CxLog *log;
  GArray *res;      /* ResAcc by resource id */
  GHashTable *hand; /* (from << 32 | to) -> HandAcc* */
  guint seq;        /* journeys added */
  guint64 unassigned;
  GArray *list;      /* CxResource */
  GArray *handovers; /* CxHandover */
  gboolean sketched; /* a median of the last finish came from a sketch */
};

static void
hand_free(gpointer p)
{
  HandAcc *h = p;
  cx_quantiles_free(h->waits);
  g_free(h);
}

CxResources *
cx_resources_new(CxLog *log)
{
  CxResources *r = g_new0(CxResources, 1);
  r->log = log;
  r->res = g_array_new(FALSE, TRUE, sizeof(ResAcc));
  r->hand = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, hand_free);
  r->list = g_array_new(FALSE, FALSE, sizeof(CxResource));
  r->handovers = g_array_new(FALSE, FALSE, sizeof(CxHandover));
  return r;
}

static void
clear_res(CxResources *r)
{
  for (guint i = 0; i < r->res->len; i++) {
    ResAcc *a = &g_array_index(r->res, ResAcc, i);
    cx_quantiles_free(a->service);
    if (a->journeys != NULL)
      g_array_free(a->journeys, TRUE);
  }
  g_array_set_size(r->res, 0);
}

void
cx_resources_free(CxResources *r)
{
  if (r == NULL)
    return;
  clear_res(r);
  g_array_free(r->res, TRUE);
  g_hash_table_destroy(r->hand);
  g_array_free(r->list, TRUE);
  g_array_free(r->handovers, TRUE);
  g_free(r);
}

void
cx_resources_reset(gpointer data)
{
  CxResources *r = data;
  clear_res(r);
  g_hash_table_remove_all(r->hand);
  g_array_set_size(r->list, 0);
  g_array_set_size(r->handovers, 0);
  r->seq = 0;
  r->unassigned = 0;
}

static ResAcc *
res_get(CxResources *r, guint32 id)
{
  if (id >= r->res->len)
    g_array_set_size(r->res, id + 1);
  return &g_array_index(r->res, ResAcc, id);
}

static HandAcc *
hand_get(CxResources *r, guint32 from, guint32 to)
{
  gint64 key = (gint64)(((guint64)from << 32) | to);
  HandAcc *h = g_hash_table_lookup(r->hand, &key);
  if (h == NULL) {
    h = g_new0(HandAcc, 1);
    h->from = from;
    h->to = to;
    h->waits = cx_quantiles_new();
    g_hash_table_insert(r->hand, g_memdup2(&key, sizeof key), h);
  }
  return h;
}

gboolean
cx_resources_add(const CxJourney *j, gpointer data, GError **error)
{
  CxResources *r = data;
  guint seq = r->seq++;
  const CxEvent *prev = NULL;
  const CxCalendar *cal = cx_log_options(r->log)->calendar;
  for (guint i = 0; i < j->n_instances; i++) {
    const CxEvent *e = &j->instances[i];
    if (e->resource == CX_ID_NONE) {
      r->unassigned++;
      continue;
    }
    ResAcc *a = res_get(r, e->resource);
    a->instances++;
    if (a->last_seq != seq + 1) {
      a->last_seq = seq + 1;
      a->cases++;
      if (a->journeys == NULL)
        a->journeys = g_array_new(FALSE, FALSE, sizeof(guint));
      g_array_append_val(a->journeys, seq);
    }
    if (e->start != CX_TS_NONE && e->time != CX_TS_NONE) {
      if (a->service == NULL)
        a->service = cx_quantiles_new();
      cx_quantiles_add(a->service,
                       (double)cx_elapsed(cal, e->start, e->time) / (double)CX_USEC_PER_SEC);
    }
    if (prev != NULL && prev->resource != e->resource) {
      HandAcc *h = hand_get(r, prev->resource, e->resource);
      h->count++;
      if (h->last_seq != seq + 1) {
        h->last_seq = seq + 1;
        h->cases++;
      }
      gint64 b = e->start != CX_TS_NONE ? e->start : e->time;
      if (b != CX_TS_NONE && prev->time != CX_TS_NONE) {
        cx_quantiles_add(h->waits,
                         (double)cx_elapsed(cal, prev->time, b) / (double)CX_USEC_PER_SEC);
      }
    }
    prev = e;
  }
  return TRUE;
}

static int
cmp_res(gconstpointer a, gconstpointer b, gpointer pool)
{
  const CxResource *x = a, *y = b;
  if (x->instances != y->instances)
    return x->instances > y->instances ? -1 : 1;
  return strcmp(cx_pool_get(pool, x->resource), cx_pool_get(pool, y->resource));
}

static int
cmp_hand(gconstpointer a, gconstpointer b, gpointer pool)
{
  const CxHandover *x = a, *y = b;
  if (x->count != y->count)
    return x->count > y->count ? -1 : 1;
  int c = strcmp(cx_pool_get(pool, x->from), cx_pool_get(pool, y->from));
  return c != 0 ? c : strcmp(cx_pool_get(pool, x->to), cx_pool_get(pool, y->to));
}

static double
median_of(CxResources *r, const CxQuantiles *q)
{
  r->sketched |= !cx_quantiles_is_exact(q);
  return cx_quantiles_quantile(q, 0.5);
}

void
cx_resources_finish(CxResources *r, CxCaseTable *cases)
{
  guint n_rows;
  const CxCaseRow *rows = cx_case_table_rows(cases, &n_rows);
  CxPool *pool = cx_log_resources(r->log);
  g_array_set_size(r->list, 0);
  r->sketched = FALSE;
  for (guint id = 1; id < r->res->len; id++) {
    ResAcc *a = &g_array_index(r->res, ResAcc, id);
    if (a->instances == 0)
      continue;
    CxResource out = { 0 };
    out.resource = id;
    out.instances = a->instances;
    out.cases = a->cases;
    out.services = cx_quantiles_n(a->service);
    out.median_service_s = median_of(r, a->service);
    for (guint k = 0; a->journeys != NULL && k < a->journeys->len; k++) {
      guint seq = g_array_index(a->journeys, guint, k);
      if (seq >= n_rows)
        continue;
      switch (rows[seq].outcome) {
        case CX_OUTCOME_SUCCESS:
          out.success++;
          break;
        case CX_OUTCOME_OPEN:
          out.open++;
          break;
        default:
          out.dropoff++;
      }
    }
    out.success_share = out.success + out.dropoff > 0
                            ? (double)out.success / (double)(out.success + out.dropoff)
                            : NAN;
    g_array_append_val(r->list, out);
  }
  g_array_sort_with_data(r->list, cmp_res, pool);
  g_array_set_size(r->handovers, 0);
  GHashTableIter it;
  gpointer v;
  g_hash_table_iter_init(&it, r->hand);
  while (g_hash_table_iter_next(&it, NULL, &v)) {
    HandAcc *h = v;
    CxHandover out
        = { h->from, h->to, h->count, h->cases, cx_quantiles_n(h->waits), median_of(r, h->waits) };
    g_array_append_val(r->handovers, out);
  }
  g_array_sort_with_data(r->handovers, cmp_hand, pool);
}

const CxResource *
cx_resources_list(const CxResources *r, guint *n)
{
  *n = r->list->len;
  return (const CxResource *)r->list->data;
}

const CxHandover *
cx_resources_handovers(const CxResources *r, guint *n)
{
  *n = r->handovers->len;
  return (const CxHandover *)r->handovers->data;
}

guint64
cx_resources_unassigned(const CxResources *r)
{
  return r->unassigned;
}

double
cx_resources_quantile_rel_error(const CxResources *r)
{
  return r->sketched ? CX_QUANTILES_REL_ERROR : 0;
}
