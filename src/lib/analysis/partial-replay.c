/* cxmine — a log that reads partials: its segments in canonical order,
 * replayed as journeys or merged as analysis state. */
#include "partial-file-private.h"
#include <string.h>

void
cx_log_add_partial(CxLog *log, CxPartial *p, const char *side)
{
  if (log->segments == NULL)
    log->segments = g_ptr_array_new();
  for (guint i = 0; i < p->segments->len; i++) {
    CxPartialSegment *s = g_ptr_array_index(p->segments, i);
    if (side != NULL && strcmp(s->side, side) != 0)
      continue;
    g_ptr_array_add(log->segments, s);
  }
  log->segments_sorted = FALSE;
}

gboolean
cx_log_reads_partials(const CxLog *log)
{
  return log->segments != NULL;
}

static int
cmp_segment(gconstpointer a, gconstpointer b)
{
  const CxPartialSegment *x = *(CxPartialSegment *const *)a, *y = *(CxPartialSegment *const *)b;
  for (guint i = 0;; i++) {
    if (x->sources[i] == NULL || y->sources[i] == NULL)
      return (x->sources[i] != NULL) - (y->sources[i] != NULL);
    int c = strcmp(x->sources[i], y->sources[i]);
    if (c != 0)
      return c;
    if (x->sources[i + 1] == NULL && y->sources[i + 1] == NULL)
      break;
  }
  /* the same sources: only standard input ("-") may repeat; order by content */
  if (x->len != y->len)
    return x->len < y->len ? -1 : 1;
  return memcmp(x->bytes, y->bytes, x->len);
}

/* Puts the segments in their canonical order, checks that no source is in
 * two of them, sets the log's sources (for its display name). */
static gboolean
segments_prepare(CxLog *log, GError **error)
{
  if (log->segments_sorted)
    return TRUE;
  g_ptr_array_sort(log->segments, cmp_segment);
  /* by side and path: compare's two logs may have shards of the same names */
  g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  g_ptr_array_set_size(log->sources, 0);
  for (guint i = 0; i < log->segments->len; i++) {
    CxPartialSegment *s = g_ptr_array_index(log->segments, i);
    for (char **src = s->sources; *src != NULL; src++) {
      /* standard input is a different stream in every run */
      char *key = g_strconcat(s->side, "\n", *src, NULL);
      CxPartialSegment *o = strcmp(*src, "-") == 0 ? NULL : g_hash_table_lookup(seen, key);
      if (o != NULL) {
        g_free(key);
        return cx_partial_fail(error, CX_PARTIAL_ERROR_MISMATCH, s->owner->path,
                               "source '%s' is also in %s: a shard would be counted twice", *src,
                               o->owner->path);
      }
      g_hash_table_insert(seen, key, s);
      cx_log_add_source(log, *src, CX_FORMAT_AUTO, NULL);
    }
  }
  log->segments_sorted = TRUE;
  return TRUE;
}

gboolean
cx_partial_prepare_log(CxLog *log, GError **error)
{
  return segments_prepare(log, error);
}

gboolean
cx_partial_replay_segments(CxLog *log, CxJourneyFunc func, gpointer data,
                           void (*begin)(const CxPartialSegment *, gpointer), GError **error)
{
  if (!segments_prepare(log, error))
    return FALSE;
  memset(&log->counts, 0, sizeof log->counts);
  for (guint i = 0; i < log->segments->len; i++)
    cx_partial_counts_add(&log->counts,
                          ((CxPartialSegment *)g_ptr_array_index(log->segments, i))->counts);
  g_autoptr(GArray) events = g_array_new(FALSE, FALSE, sizeof(CxEvent));
  g_autoptr(GArray) attrs = g_array_new(FALSE, FALSE, sizeof(CxAttr));
  for (guint i = 0; i < log->segments->len; i++) {
    const CxPartialSegment *s = g_ptr_array_index(log->segments, i);
    if (begin != NULL)
      begin(s, data);
    CxPartialRemap m;
    cx_partial_remap_init(&m, log, s);
    const guint8 *p = s->bytes, *end = s->bytes + s->len;
    gboolean ok = TRUE;
    if (s->payload == PAYLOAD_STATE) {
      const CxPartialState *st = cx_partial_state_of(s->owner->command);
      if (st == NULL || st->add != func) {
        cx_partial_remap_clear(&m);
        return cx_partial_fail(error, CX_PARTIAL_ERROR_MISMATCH, s->owner->path,
                               "holds the state of '%s', which this analysis cannot read",
                               s->owner->command);
      }
      CxPartialIn in = { p, end, &m, log, NULL };
      if (!st->load(data, &in))
        ok = in.why != NULL
                 ? cx_partial_fail(error, CX_PARTIAL_ERROR_MISMATCH, s->owner->path, "%s", in.why)
                 : cx_partial_fail(error, CX_PARTIAL_ERROR_CORRUPT, s->owner->path,
                                   "corrupt: bad %s state", s->owner->command);
      p = in.p;
    }
    for (guint64 k = 0; s->payload == PAYLOAD_JOURNEYS && k < s->n_journeys && ok; k++) {
      CxJourney j = { 0 };
      if (!cx_partial_decode_journey(log, &m, &p, end, &j, events, attrs))
        ok = cx_partial_fail(error, CX_PARTIAL_ERROR_CORRUPT, s->owner->path,
                             "corrupt: bad journey record %" G_GUINT64_FORMAT, k + 1);
      else
        ok = func(&j, data, error);
    }
    if (ok && p != end)
      ok = cx_partial_fail(error, CX_PARTIAL_ERROR_CORRUPT, s->owner->path,
                           "corrupt: %" G_GSIZE_FORMAT " bytes after the last journey record",
                           (gsize)(end - p));
    cx_partial_remap_clear(&m);
    if (!ok)
      return FALSE;
  }
  return TRUE;
}

gboolean
cx_partial_replay(CxLog *log, CxJourneyFunc func, gpointer data, GError **error)
{
  return cx_partial_replay_segments(log, func, data, NULL, error);
}
