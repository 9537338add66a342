/* cxmine — the partial format's codec (docs/partial-format.md): varints,
 * little-endian integers and strings, the CRC, the read counters, and a
 * journey's record written and read back with its ids remapped. */
#include "partial-file-private.h"
#include <string.h>
#include <zlib.h>

/* a record's time unit: 1 s, 1 ms or 1 µs */
static const gint64 units[] = { 1000000, 1000, 1 };

void
cx_partial_counts_to_array(const CxReadCounts *c, guint64 *a)
{
  guint64 v[N_COUNTS] = { c->events_read,
                          c->events_kept,
                          c->no_activity,
                          c->no_case,
                          c->no_timestamp,
                          c->invalid_skipped,
                          c->lifecycle_dropped,
                          c->traces_read,
                          c->empty_traces,
                          c->unnamed_traces,
                          c->cases_kept,
                          c->cases_filtered,
                          (guint64)(c->naive_times != FALSE),
                          (guint64)(c->grouped != FALSE),
                          c->dates_guessed,
                          c->duplicates,
                          c->dst_gap,
                          c->dst_repeated,
                          c->cases_built,
                          c->cases_cut,
                          c->journeys_from_cut,
                          0 /* reserved */ };
  memcpy(a, v, sizeof v);
}

void
cx_partial_counts_add(CxReadCounts *c, const guint64 *a)
{
  guint64 *f[]
      = { &c->events_read,  &c->events_kept,     &c->no_activity,       &c->no_case,
          &c->no_timestamp, &c->invalid_skipped, &c->lifecycle_dropped, &c->traces_read,
          &c->empty_traces, &c->unnamed_traces,  &c->cases_kept,        &c->cases_filtered };
  for (gsize i = 0; i < G_N_ELEMENTS(f); i++)
    *f[i] += a[i];
  c->naive_times = c->naive_times || a[12] != 0;
  c->grouped = c->grouped || a[13] != 0;
  c->dates_guessed += a[14];
  c->duplicates += a[15];
  c->dst_gap += a[16];
  c->dst_repeated += a[17];
  c->cases_built += a[18];
  c->cases_cut += a[19];
  c->journeys_from_cut += a[20];
}

/* ---------- primitives ---------- */

void
cx_partial_put_varint(GByteArray *out, guint64 v)
{
  cx_varint_put(out, v);
}

gboolean
cx_partial_get_varint(const guint8 **p, const guint8 *end, guint64 *v)
{
  return cx_varint_get(p, end, v);
}

void
cx_partial_put_u32(GByteArray *out, guint32 v)
{
  guint8 b[4] = { v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, v >> 24 };
  g_byte_array_append(out, b, 4);
}

void
cx_partial_put_u64(GByteArray *out, guint64 v)
{
  cx_partial_put_u32(out, (guint32)v);
  cx_partial_put_u32(out, (guint32)(v >> 32));
}

void
cx_partial_put_str(GByteArray *out, const char *s)
{
  gsize n = strlen(s);
  cx_partial_put_u32(out, (guint32)n);
  g_byte_array_append(out, (const guint8 *)s, (guint)n);
}

void
cx_partial_set_u64(GByteArray *out, gsize at, guint64 v)
{
  for (int i = 0; i < 8; i++)
    out->data[at + i] = (guint8)(v >> (8 * i));
}

guint32
cx_partial_get_u32(CxPartialRd *r)
{
  if (r->bad || r->end - r->p < 4) {
    r->bad = TRUE;
    return 0;
  }
  guint32 v
      = (guint32)r->p[0] | (guint32)r->p[1] << 8 | (guint32)r->p[2] << 16 | (guint32)r->p[3] << 24;
  r->p += 4;
  return v;
}

guint64
cx_partial_get_u64(CxPartialRd *r)
{
  guint64 lo = cx_partial_get_u32(r);
  guint64 hi = cx_partial_get_u32(r);
  return lo | hi << 32;
}

char *
cx_partial_get_str(CxPartialRd *r)
{
  guint32 n = cx_partial_get_u32(r);
  if (r->bad || n > MAX_STRING || (gsize)(r->end - r->p) < n || memchr(r->p, 0, n) != NULL) {
    r->bad = TRUE;
    return NULL;
  }
  char *s = g_strndup((const char *)r->p, n);
  r->p += n;
  return s;
}

char **
cx_partial_get_strv(CxPartialRd *r)
{
  guint32 n = cx_partial_get_u32(r);
  if (r->bad || n > (guint32)(r->end - r->p) / 4) {
    r->bad = TRUE;
    return NULL;
  }
  char **v = g_new0(char *, n + 1);
  for (guint32 i = 0; i < n; i++)
    if ((v[i] = cx_partial_get_str(r)) == NULL) {
      g_strfreev(v);
      return NULL;
    }
  return v;
}

guint32
cx_partial_crc32(const guint8 *d, gsize n)
{
  uLong crc = crc32(0L, Z_NULL, 0);
  for (gsize off = 0; off < n;) {
    uInt chunk = (uInt)MIN(n - off, (gsize)1 << 30);
    crc = crc32(crc, d + off, chunk);
    off += chunk;
  }
  return (guint32)crc;
}

/* ---------- journeys: encoding ---------- */

static guint32
local_id(GArray *map, GPtrArray *table, CxPool *pool, guint32 id)
{
  if (id == CX_ID_NONE)
    return 0;
  if (map->len <= id)
    g_array_set_size(map, id + 1);
  guint32 *slot = &g_array_index(map, guint32, id);
  if (*slot == 0) {
    g_ptr_array_add(table, (gpointer)cx_pool_get(pool, id));
    *slot = table->len; /* ids start at 1: "" is 0 */
  }
  return *slot;
}

/* record bits before the flags (docs/partial-format.md) */
#define REC_TIME  0x1u
#define REC_START 0x2u

void
cx_partial_encode_journey(CxPartialWriter *w, GByteArray *out, const CxJourney *j,
                          const char *case_name)
{
  gsize n = strlen(case_name);
  cx_partial_put_varint(out, n);
  g_byte_array_append(out, (const guint8 *)case_name, (guint)n);
  cx_partial_put_varint(out, j->n_events);
  cx_partial_put_varint(out, j->n_instances);
  cx_partial_put_varint(out, j->n_untimed);
  /* times in the coarsest unit that holds them all: 1 s, 1 ms or 1 µs */
  guint u = 0;
  for (guint i = 0; i < j->n_instances && u < 2; i++) {
    const CxEvent *e = &j->instances[i];
    while (u < 2
           && ((e->time != CX_TS_NONE && e->time % units[u] != 0)
               || (e->start != CX_TS_NONE && e->start % units[u] != 0)))
      u++;
  }
  gint64 unit = units[u];
  cx_partial_put_varint(out, u);
  guint na = 0;
  for (guint i = 0; i < j->n_attrs; i++)
    na += g_hash_table_contains(w->wanted, GUINT_TO_POINTER(j->attrs[i].key + 1));
  cx_partial_put_varint(out, na);
  for (guint i = 0; i < j->n_attrs; i++) {
    if (!g_hash_table_contains(w->wanted, GUINT_TO_POINTER(j->attrs[i].key + 1)))
      continue;
    cx_partial_put_varint(out, local_id(w->key_map, w->keys, w->log->keys, j->attrs[i].key));
    cx_partial_put_varint(out, local_id(w->val_map, w->vals, w->log->values, j->attrs[i].value));
  }
  gint64 prev = 0;
  for (guint i = 0; i < j->n_instances; i++) {
    const CxEvent *e = &j->instances[i];
    guint64 bits = (guint64)(e->flags & 0xFFFFu) << 2;
    if (e->time != CX_TS_NONE)
      bits |= REC_TIME;
    if (e->start != CX_TS_NONE)
      bits |= REC_START;
    cx_partial_put_varint(out, bits);
    cx_partial_put_varint(out, e->activity);
    cx_partial_put_varint(out, e->resource);
    cx_partial_put_varint(out, e->channel);
    if (e->time != CX_TS_NONE) {
      cx_partial_put_varint(out, cx_zigzag(e->time / unit - prev));
      prev = e->time / unit;
    }
    if (e->start != CX_TS_NONE)
      cx_partial_put_varint(out, cx_zigzag(e->start / unit - prev));
  }
}

/* ---------- journeys: decoding with ids remapped ---------- */

void
cx_partial_remap_init(CxPartialRemap *m, CxLog *log, const CxPartialSegment *seg)
{
  m->seg = seg;
  CxPool *pools[N_TABLES]
      = { log->activities, log->resources, log->channels, log->keys, log->values };
  for (int t = 0; t < N_TABLES; t++) {
    m->pools[t] = pools[t];
    guint n = seg->owner->tables[t]->len;
    m->map[t] = g_array_sized_new(FALSE, FALSE, sizeof(guint32), n);
    g_array_set_size(m->map[t], n);
    memset(m->map[t]->data, 0xff, sizeof(guint32) * n);
  }
}

void
cx_partial_remap_clear(CxPartialRemap *m)
{
  for (int t = 0; t < N_TABLES; t++)
    g_array_free(m->map[t], TRUE);
}

gboolean
cx_partial_remap_id(CxPartialRemap *m, int t, guint64 id, guint32 *out)
{
  if (id >= m->map[t]->len)
    return FALSE;
  guint32 *slot = &g_array_index(m->map[t], guint32, id);
  if (*slot == G_MAXUINT32)
    *slot = id == 0
                ? CX_ID_NONE
                : cx_pool_intern(m->pools[t], g_ptr_array_index(m->seg->owner->tables[t], id), -1);
  *out = *slot;
  return TRUE;
}

gboolean
cx_partial_decode_journey(CxLog *log, CxPartialRemap *m, const guint8 **p, const guint8 *end,
                          CxJourney *j, GArray *events, GArray *attrs)
{
  guint64 n, v;
  if (!cx_partial_get_varint(p, end, &n) || n > (guint64)(end - *p) || n > MAX_STRING)
    return FALSE;
  j->case_id = cx_pool_intern(log->cases, (const char *)*p, (gssize)n);
  *p += n;
  guint64 ne, ni, nu, na, u;
  if (!cx_partial_get_varint(p, end, &ne) || !cx_partial_get_varint(p, end, &ni)
      || !cx_partial_get_varint(p, end, &nu) || !cx_partial_get_varint(p, end, &u)
      || !cx_partial_get_varint(p, end, &na) || ni > (guint64)(end - *p) || na > (guint64)(end - *p)
      || ne > G_MAXUINT || nu > ni || u > 2)
    return FALSE;
  gint64 unit = units[u];
  g_array_set_size(attrs, (guint)na);
  for (guint i = 0; i < na; i++) {
    CxAttr *a = &g_array_index(attrs, CxAttr, i);
    if (!cx_partial_get_varint(p, end, &v) || !cx_partial_remap_id(m, T_KEYS, v, &a->key)
        || !cx_partial_get_varint(p, end, &v) || !cx_partial_remap_id(m, T_VALUES, v, &a->value))
      return FALSE;
  }
  g_array_set_size(events, (guint)ni);
  gint64 prev = 0;
  for (guint i = 0; i < ni; i++) {
    CxEvent *e = &g_array_index(events, CxEvent, i);
    guint64 bits;
    if (!cx_partial_get_varint(p, end, &bits) || bits >> 18 != 0)
      return FALSE;
    e->flags = (guint32)(bits >> 2);
    if (!cx_partial_get_varint(p, end, &v) || !cx_partial_remap_id(m, T_ACTIVITIES, v, &e->activity)
        || !cx_partial_get_varint(p, end, &v)
        || !cx_partial_remap_id(m, T_RESOURCES, v, &e->resource)
        || !cx_partial_get_varint(p, end, &v)
        || !cx_partial_remap_id(m, T_CHANNELS, v, &e->channel))
      return FALSE;
    e->time = e->start = CX_TS_NONE;
    if (bits & REC_TIME) {
      if (!cx_partial_get_varint(p, end, &v))
        return FALSE;
      prev += cx_unzigzag(v);
      e->time = prev * unit;
    }
    if (bits & REC_START) {
      if (!cx_partial_get_varint(p, end, &v))
        return FALSE;
      e->start = (prev + cx_unzigzag(v)) * unit;
    }
  }
  j->n_events = (guint)ne;
  j->n_instances = (guint)ni;
  j->instances = (const CxEvent *)events->data;
  j->n_attrs = (guint)na;
  j->attrs = (const CxAttr *)attrs->data;
  j->n_untimed = (guint)nu;
  return TRUE;
}
