/* Compact copies of journeys, replayed in the order kept. */
#include "cxmine/journey-store.h"

typedef struct {
  guint64 ev_off, attr_off;
  guint32 case_id, tag;
  guint n_events, n_instances, n_attrs, n_untimed;
} Rec;

struct _CxJourneyStore {
  GArray *recs;   /* Rec */
  GArray *events; /* CxEvent, every journey's instances one after another */
  GArray *attrs;  /* CxAttr */
  guint64 budget; /* bytes */
};

CxJourneyStore *
cx_journey_store_new(guint64 budget)
{
  CxJourneyStore *st = g_new0(CxJourneyStore, 1);
  st->budget = budget ? budget : CX_MEMORY_DEFAULT;
  st->recs = g_array_new(FALSE, FALSE, sizeof(Rec));
  st->events = g_array_new(FALSE, FALSE, sizeof(CxEvent));
  st->attrs = g_array_new(FALSE, FALSE, sizeof(CxAttr));
  return st;
}

void
cx_journey_store_free(CxJourneyStore *st)
{
  if (st == NULL)
    return;
  g_array_free(st->recs, TRUE);
  g_array_free(st->events, TRUE);
  g_array_free(st->attrs, TRUE);
  g_free(st);
}

gboolean
cx_journey_store_add(CxJourneyStore *st, const CxJourney *j, guint32 tag, GError **error)
{
  guint64 want = cx_journey_store_bytes(st) + sizeof(Rec)
                 + (guint64)j->n_instances * sizeof(CxEvent) + (guint64)j->n_attrs * sizeof(CxAttr);
  if (want > st->budget) {
    guint64 b = st->budget; /* as --memory takes it */
    g_autofree char *budget
        = b % (1u << 30) == 0   ? g_strdup_printf("%" G_GUINT64_FORMAT " GiB", b >> 30)
          : b % (1u << 20) == 0 ? g_strdup_printf("%" G_GUINT64_FORMAT " MiB", b >> 20)
          : b % (1u << 10) == 0 ? g_strdup_printf("%" G_GUINT64_FORMAT " KiB", b >> 10)
                                : g_strdup_printf("%" G_GUINT64_FORMAT " bytes", b);
    g_set_error(error, CX_READER_ERROR, CX_READER_ERROR_MEMORY,
                "out of memory: the journeys kept for the segments' own friction analyses need "
                "more than the memory budget of %s (raise it with --memory SIZE)",
                budget);
    return FALSE;
  }
  Rec r = { .ev_off = st->events->len,
            .attr_off = st->attrs->len,
            .case_id = j->case_id,
            .tag = tag,
            .n_events = j->n_events,
            .n_instances = j->n_instances,
            .n_attrs = j->n_attrs,
            .n_untimed = j->n_untimed };
  g_array_append_vals(st->events, j->instances, j->n_instances);
  g_array_append_vals(st->attrs, j->attrs, j->n_attrs);
  g_array_append_val(st->recs, r);
  return TRUE;
}

void
cx_journey_store_reset(gpointer data)
{
  CxJourneyStore *st = data;
  g_array_set_size(st->recs, 0);
  g_array_set_size(st->events, 0);
  g_array_set_size(st->attrs, 0);
}

guint64
cx_journey_store_n(const CxJourneyStore *st)
{
  return st->recs->len;
}

gsize
cx_journey_store_bytes(const CxJourneyStore *st)
{
  return (gsize)st->recs->len * sizeof(Rec) + (gsize)st->events->len * sizeof(CxEvent)
         + (gsize)st->attrs->len * sizeof(CxAttr);
}

gboolean
cx_journey_store_replay(const CxJourneyStore *st, const guint8 *keep, guint n_keep,
                        CxJourneyFunc func, gpointer data, GError **error)
{
  for (guint i = 0; i < st->recs->len; i++) {
    const Rec *r = &g_array_index(st->recs, Rec, i);
    if (keep != NULL && (r->tag >= n_keep || !keep[r->tag]))
      continue;
    CxJourney j
        = { .case_id = r->case_id,
            .n_events = r->n_events,
            .n_instances = r->n_instances,
            .instances = r->n_instances ? &g_array_index(st->events, CxEvent, r->ev_off) : NULL,
            .n_attrs = r->n_attrs,
            .attrs = r->n_attrs ? &g_array_index(st->attrs, CxAttr, r->attr_off) : NULL,
            .n_untimed = r->n_untimed };
    if (!func(&j, data, error))
      return FALSE;
  }
  return TRUE;
}
