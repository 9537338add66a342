/* Test helper: a journey as one line of text holding everything a reader
 * decides about it (names and their pool ids, so that names must be
 * interned in the same order; times, starts, flags; attributes), for the
 * differential fuzz harnesses and the split-read tests to compare two reads
 * of one file.  Header-only, so that the libFuzzer builds need no test
 * library. */
#pragma once

#include <glib.h>
#include "cxmine/cxmine.h"

typedef struct {
  CxLog *log;
  GString *out;
} Digest;

static inline const char *
digest_name(CxPool *pool, guint32 id)
{
  return id < cx_pool_size(pool) ? cx_pool_get(pool, id) : "?";
}

/* A CxJourneyFunc: appends @j's line to ((Digest *)@data)->out. */
static inline gboolean
digest_journey(const CxJourney *j, gpointer data, GError **error)
{
  Digest *d = data;
  CxLog *log = d->log;
  g_string_append_printf(d->out, "%s:", digest_name(cx_log_cases(log), j->case_id));
  for (guint i = 0; i < j->n_instances; i++) {
    const CxEvent *e = &j->instances[i];
    g_string_append_printf(d->out, " %s#%u/%u/%u@%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT "/%u",
                           digest_name(cx_log_activities(log), e->activity), e->activity,
                           e->resource, e->channel, e->time, e->start, e->flags);
  }
  for (guint i = 0; i < j->n_attrs; i++)
    g_string_append_printf(d->out, " [%s#%u=%s#%u]", digest_name(cx_log_keys(log), j->attrs[i].key),
                           j->attrs[i].key, digest_name(cx_log_values(log), j->attrs[i].value),
                           j->attrs[i].value);
  g_string_append_c(d->out, '\n');
  return TRUE;
}
