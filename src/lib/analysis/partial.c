/* Partial results: the codec (docs/partial-format.md), loading with every
 * check, writing, and the replay cx_log_scan() uses for a log that reads
 * partials. */
#include "log-private.h"
#include "partial-private.h"
#include "cxmine/partial.h"
#include "cxmine/output.h"
#include "cxmine/case-ids.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* the quark's name is one token, which clang-format would split */
/* clang-format off */
G_DEFINE_QUARK(cx-partial-error-quark, cx_partial_error)
/* clang-format on */

/* the header's fixed part: magic, version, total length */
#define HEAD_LEN (CX_PARTIAL_MAGIC_LEN + 4 + 8)
/* a string or list in a well-formed partial is never longer */
#define MAX_STRING ((guint32)1 << 30)

/* The string tables, in this order. */
enum { T_ACTIVITIES, T_RESOURCES, T_CHANNELS, T_KEYS, T_VALUES, N_TABLES };

/* The read counters, in their order in the file. */
#define N_COUNTS 22

static void
counts_to_array(const CxReadCounts *c, guint64 *a)
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

/* Adds the counters @a to @c: sums, and "any" for the two flags. */
static void
counts_add(CxReadCounts *c, const guint64 *a)
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
  guint8 b[10];
  guint n = 0;
  do {
    b[n] = (guint8)(v & 0x7f);
    v >>= 7;
    if (v != 0)
      b[n] |= 0x80;
    n++;
  } while (v != 0);
  g_byte_array_append(out, b, n);
}

gboolean
cx_partial_get_varint(const guint8 **p, const guint8 *end, guint64 *v)
{
  guint64 r = 0;
  const guint8 *q = *p;
  for (guint shift = 0; shift < 70; shift += 7) {
    if (q >= end)
      return FALSE;
    guint8 b = *q++;
    if (shift == 63 && (b & 0x7e) != 0)
      return FALSE; /* more than 64 bits */
    r |= (guint64)(b & 0x7f) << shift;
    if ((b & 0x80) == 0) {
      *p = q;
      *v = r;
      return TRUE;
    }
  }
  return FALSE;
}

static inline guint64
zigzag(gint64 v)
{
  return ((guint64)v << 1) ^ (guint64)(v >> 63);
}

static inline gint64
unzigzag(guint64 v)
{
  return (gint64)(v >> 1) ^ -(gint64)(v & 1);
}

static void
put_u32(GByteArray *out, guint32 v)
{
  guint8 b[4] = { v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, v >> 24 };
  g_byte_array_append(out, b, 4);
}

static void
put_u64(GByteArray *out, guint64 v)
{
  put_u32(out, (guint32)v);
  put_u32(out, (guint32)(v >> 32));
}

static void
put_str(GByteArray *out, const char *s)
{
  gsize n = strlen(s);
  put_u32(out, (guint32)n);
  g_byte_array_append(out, (const guint8 *)s, (guint)n);
}

static void
set_u64(GByteArray *out, gsize at, guint64 v)
{
  for (int i = 0; i < 8; i++)
    out->data[at + i] = (guint8)(v >> (8 * i));
}

/* A bounded reader over the mapped file; the first failure sticks. */
typedef struct {
  const guint8 *p, *end;
  gboolean bad;
  const char *what; /* the section being read, for the message */
} Rd;

static guint32
get_u32(Rd *r)
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

static guint64
get_u64(Rd *r)
{
  guint64 lo = get_u32(r);
  guint64 hi = get_u32(r);
  return lo | hi << 32;
}

/* A string (a new copy, NUL-terminated) or NULL on a bad length. */
static char *
get_str(Rd *r)
{
  guint32 n = get_u32(r);
  if (r->bad || n > MAX_STRING || (gsize)(r->end - r->p) < n || memchr(r->p, 0, n) != NULL) {
    r->bad = TRUE;
    return NULL;
  }
  char *s = g_strndup((const char *)r->p, n);
  r->p += n;
  return s;
}

/* ---------- the loaded partial ---------- */

/* what a segment holds */
enum { PAYLOAD_JOURNEYS = 0, PAYLOAD_STATE = 1 };

static const CxPartialState *const states[]
    = { &cx_stats_partial_state, &cx_variants_partial_state, &cx_dfg_partial_state };

static const CxPartialState *
state_of_command(const char *command)
{
  for (gsize i = 0; i < G_N_ELEMENTS(states); i++)
    if (strcmp(states[i]->command, command) == 0)
      return states[i];
  return NULL;
}

struct _CxPartialSegment {
  CxPartial *owner;
  guint32 payload;
  char *side;
  char **sources;
  guint64 counts[N_COUNTS];
  guint64 n_journeys;
  const guint8 *bytes;
  gsize len;
};

struct _CxPartial {
  char *path;
  GMappedFile *map;
  gsize size;
  char *command;
  char **options;
  char *producer;
  GPtrArray *tables[N_TABLES]; /* char*, index = id (0 = "") */
  GPtrArray *segments;         /* CxPartialSegment* */
};

static void
segment_free(gpointer p)
{
  CxPartialSegment *s = p;
  g_free(s->side);
  g_strfreev(s->sources);
  g_free(s);
}

void
cx_partial_free(CxPartial *p)
{
  if (p == NULL)
    return;
  g_free(p->path);
  if (p->map != NULL)
    g_mapped_file_unref(p->map);
  g_free(p->command);
  g_strfreev(p->options);
  g_free(p->producer);
  for (int t = 0; t < N_TABLES; t++)
    if (p->tables[t] != NULL)
      g_ptr_array_free(p->tables[t], TRUE);
  if (p->segments != NULL)
    g_ptr_array_free(p->segments, TRUE);
  g_free(p);
}

static gboolean fail(GError **error, CxPartialError code, const char *path, const char *fmt, ...)
    G_GNUC_PRINTF(4, 5);

static gboolean
fail(GError **error, CxPartialError code, const char *path, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  g_autofree char *msg = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  g_set_error(error, CX_PARTIAL_ERROR, code, "%s: %s", path, msg);
  return FALSE;
}

/* A list: u32 count, then that many strings; NULL-terminated, or NULL. */
static char **
get_strv(Rd *r)
{
  guint32 n = get_u32(r);
  if (r->bad || n > (guint32)(r->end - r->p) / 4) {
    r->bad = TRUE;
    return NULL;
  }
  char **v = g_new0(char *, n + 1);
  for (guint32 i = 0; i < n; i++)
    if ((v[i] = get_str(r)) == NULL) {
      g_strfreev(v);
      return NULL;
    }
  return v;
}

static gboolean
parse_body(CxPartial *p, Rd *r, GError **error)
{
  r->what = "header";
  p->command = get_str(r);
  p->options = get_strv(r);
  p->producer = get_str(r);
  if (r->bad)
    return FALSE;
  static const char *const names[N_TABLES]
      = { "activity table", "resource table", "channel table", "key table", "value table" };
  for (int t = 0; t < N_TABLES; t++) {
    r->what = names[t];
    guint32 n = get_u32(r);
    if (r->bad || n > (guint32)(r->end - r->p) / 4) {
      r->bad = TRUE;
      return FALSE;
    }
    p->tables[t] = g_ptr_array_new_full(n + 1, g_free);
    g_ptr_array_add(p->tables[t], g_strdup(""));
    for (guint32 i = 0; i < n; i++) {
      char *s = get_str(r);
      if (s == NULL)
        return FALSE;
      g_ptr_array_add(p->tables[t], s);
    }
  }
  r->what = "segments";
  guint32 nseg = get_u32(r);
  if (r->bad)
    return FALSE;
  p->segments = g_ptr_array_new_with_free_func(segment_free);
  for (guint32 i = 0; i < nseg; i++) {
    CxPartialSegment *s = g_new0(CxPartialSegment, 1);
    s->owner = p;
    g_ptr_array_add(p->segments, s);
    s->payload = get_u32(r);
    s->side = get_str(r);
    s->sources = get_strv(r);
    guint32 nc = get_u32(r);
    if (r->bad || s->side == NULL || s->sources == NULL || s->sources[0] == NULL || nc != N_COUNTS
        || s->payload > PAYLOAD_STATE
        || (s->payload == PAYLOAD_STATE && state_of_command(p->command) == NULL)) {
      r->bad = TRUE;
      return FALSE;
    }
    for (int k = 0; k < N_COUNTS; k++)
      s->counts[k] = get_u64(r);
    s->n_journeys = get_u64(r);
    guint64 len = get_u64(r);
    if (r->bad || len > (guint64)(r->end - r->p)) {
      r->bad = TRUE;
      return FALSE;
    }
    s->bytes = r->p;
    s->len = (gsize)len;
    r->p += len;
  }
  r->what = "end";
  return r->p == r->end;
}

CxPartial *
cx_partial_load(const char *path, GError **error)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(CxPartial) p = g_new0(CxPartial, 1);
  p->path = g_strdup(path);
  p->map = g_mapped_file_new(path, FALSE, &local);
  if (p->map == NULL) {
    fail(error, CX_PARTIAL_ERROR_IO, path, "cannot read: %s", local->message);
    return NULL;
  }
  const guint8 *d = (const guint8 *)g_mapped_file_get_contents(p->map);
  gsize n = g_mapped_file_get_length(p->map);
  p->size = n;
  if (n == 0) {
    fail(error, CX_PARTIAL_ERROR_NOT, path, "empty file: not a cxmine partial");
    return NULL;
  }
  if (n < CX_PARTIAL_MAGIC_LEN && memcmp(d, CX_PARTIAL_MAGIC, n) == 0) {
    fail(error, CX_PARTIAL_ERROR_TRUNCATED, path, "truncated: %" G_GSIZE_FORMAT " bytes", n);
    return NULL;
  }
  if (n < CX_PARTIAL_MAGIC_LEN || memcmp(d, CX_PARTIAL_MAGIC, CX_PARTIAL_MAGIC_LEN) != 0) {
    fail(error, CX_PARTIAL_ERROR_NOT, path,
         "not a cxmine partial (no magic number; write one with 'cxmine COMMAND --partial "
         "FILE')");
    return NULL;
  }
  if (n < HEAD_LEN) {
    fail(error, CX_PARTIAL_ERROR_TRUNCATED, path, "truncated: %" G_GSIZE_FORMAT " bytes", n);
    return NULL;
  }
  Rd r = { d + CX_PARTIAL_MAGIC_LEN, d + n, FALSE, "header" };
  guint32 version = get_u32(&r);
  guint64 total = get_u64(&r);
  if (version != CX_PARTIAL_VERSION) {
    fail(error, CX_PARTIAL_ERROR_VERSION, path,
         "partial format version %u; this cxmine reads version %u", version, CX_PARTIAL_VERSION);
    return NULL;
  }
  if (total != n) {
    if (total > n)
      fail(error, CX_PARTIAL_ERROR_TRUNCATED, path,
           "truncated: %" G_GSIZE_FORMAT " of %" G_GUINT64_FORMAT " bytes", n, total);
    else
      fail(error, CX_PARTIAL_ERROR_CORRUPT, path,
           "corrupt: %" G_GSIZE_FORMAT " bytes where the header says %" G_GUINT64_FORMAT, n, total);
    return NULL;
  }
  if (n < HEAD_LEN + 4) {
    fail(error, CX_PARTIAL_ERROR_TRUNCATED, path, "truncated: no checksum");
    return NULL;
  }
  guint32 want = (guint32)d[n - 4] | (guint32)d[n - 3] << 8 | (guint32)d[n - 2] << 16
                 | (guint32)d[n - 1] << 24;
  uLong crc = crc32(0L, Z_NULL, 0);
  for (gsize off = 0; off < n - 4;) {
    uInt chunk = (uInt)MIN(n - 4 - off, (gsize)1 << 30);
    crc = crc32(crc, d + off, chunk);
    off += chunk;
  }
  if ((guint32)crc != want) {
    fail(error, CX_PARTIAL_ERROR_CORRUPT, path,
         "corrupt: checksum mismatch (CRC-32 %08x, stored %08x)", (guint32)crc, want);
    return NULL;
  }
  r.end = d + n - 4;
  if (!parse_body(p, &r, error)) {
    if (error == NULL || *error == NULL)
      fail(error, CX_PARTIAL_ERROR_CORRUPT, path, "corrupt: bad %s", r.what);
    return NULL;
  }
  return g_steal_pointer(&p);
}

const char *
cx_partial_path(const CxPartial *p)
{
  return p->path;
}

const char *
cx_partial_command(const CxPartial *p)
{
  return p->command;
}

char **
cx_partial_options(const CxPartial *p)
{
  return p->options;
}

gboolean
cx_partial_has_side(const CxPartial *p, const char *side)
{
  for (guint i = 0; i < p->segments->len; i++)
    if (strcmp(((CxPartialSegment *)g_ptr_array_index(p->segments, i))->side, side) == 0)
      return TRUE;
  return FALSE;
}

guint64
cx_partial_n_journeys(const CxPartial *p)
{
  guint64 n = 0;
  for (guint i = 0; i < p->segments->len; i++)
    n += ((CxPartialSegment *)g_ptr_array_index(p->segments, i))->n_journeys;
  return n;
}

guint64
cx_partial_size(const CxPartial *p)
{
  return p->size;
}

gboolean
cx_partial_check_compatible(const CxPartial *a, const CxPartial *b, GError **error)
{
  if (strcmp(a->command, b->command) != 0)
    return fail(error, CX_PARTIAL_ERROR_MISMATCH, b->path,
                "a partial of '%s', but %s is of '%s': partials of different commands do not "
                "merge",
                b->command, a->path, a->command);
  guint i = 0;
  for (; a->options[i] != NULL && b->options[i] != NULL; i++)
    if (strcmp(a->options[i], b->options[i]) != 0)
      break;
  if (a->options[i] == NULL && b->options[i] == NULL)
    return TRUE;
  return fail(error, CX_PARTIAL_ERROR_MISMATCH, b->path,
              "made with other options than %s ('%s' here, '%s' there): partials of different "
              "result-changing options do not merge",
              a->path, b->options[i] ? b->options[i] : "(none)",
              a->options[i] ? a->options[i] : "(none)");
}

/* ---------- journeys: encoding ---------- */

/* The writer: segments being filled, and the attribute keys and values
 * they use (only those: a log's value pool may hold every trace attribute's
 * value, most of which no option asked for). */
typedef struct {
  CxLog *log;
  GPtrArray *segs;        /* WSegment* */
  GArray *key_map;        /* log key id -> local id + 1 (0 = not kept yet) */
  GArray *val_map;        /* log value id -> local id + 1 */
  GPtrArray *keys, *vals; /* local tables: strings owned by the log's pools */
  GHashTable *wanted;     /* log key ids (+1) of the attributes the options ask for */
} Writer;

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

static void
encode_journey(Writer *w, GByteArray *out, const CxJourney *j, const char *case_name)
{
  gsize n = strlen(case_name);
  cx_partial_put_varint(out, n);
  g_byte_array_append(out, (const guint8 *)case_name, (guint)n);
  cx_partial_put_varint(out, j->n_events);
  cx_partial_put_varint(out, j->n_instances);
  cx_partial_put_varint(out, j->n_untimed);
  /* times in the coarsest unit that holds them all: 1 s, 1 ms or 1 µs */
  static const gint64 units[] = { 1000000, 1000, 1 };
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
      cx_partial_put_varint(out, zigzag(e->time / unit - prev));
      prev = e->time / unit;
    }
    if (e->start != CX_TS_NONE)
      cx_partial_put_varint(out, zigzag(e->start / unit - prev));
  }
}

/* ---------- journeys: decoding with ids remapped ---------- */

/* Per segment: its tables' ids -> the target log's ids (interned on first use). */
typedef struct {
  const CxPartialSegment *seg;
  CxPool *pools[N_TABLES];
  GArray *map[N_TABLES]; /* guint32, G_MAXUINT32 = not yet interned */
} Remap;

static void
remap_init(Remap *m, CxLog *log, const CxPartialSegment *seg)
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

static void
remap_clear(Remap *m)
{
  for (int t = 0; t < N_TABLES; t++)
    g_array_free(m->map[t], TRUE);
}

static inline gboolean
remap_id(Remap *m, int t, guint64 id, guint32 *out)
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

/* Decodes the journey at *@p into @j (@events and @attrs are its storage)
 * with ids in @log's pools. FALSE on an impossible record. */
static gboolean
decode_journey(CxLog *log, Remap *m, const guint8 **p, const guint8 *end, CxJourney *j,
               GArray *events, GArray *attrs)
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
  static const gint64 units[] = { 1000000, 1000, 1 };
  gint64 unit = units[u];
  g_array_set_size(attrs, (guint)na);
  for (guint i = 0; i < na; i++) {
    CxAttr *a = &g_array_index(attrs, CxAttr, i);
    if (!cx_partial_get_varint(p, end, &v) || !remap_id(m, T_KEYS, v, &a->key)
        || !cx_partial_get_varint(p, end, &v) || !remap_id(m, T_VALUES, v, &a->value))
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
    if (!cx_partial_get_varint(p, end, &v) || !remap_id(m, T_ACTIVITIES, v, &e->activity)
        || !cx_partial_get_varint(p, end, &v) || !remap_id(m, T_RESOURCES, v, &e->resource)
        || !cx_partial_get_varint(p, end, &v) || !remap_id(m, T_CHANNELS, v, &e->channel))
      return FALSE;
    e->time = e->start = CX_TS_NONE;
    if (bits & REC_TIME) {
      if (!cx_partial_get_varint(p, end, &v))
        return FALSE;
      prev += unzigzag(v);
      e->time = prev * unit;
    }
    if (bits & REC_START) {
      if (!cx_partial_get_varint(p, end, &v))
        return FALSE;
      e->start = (prev + unzigzag(v)) * unit;
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

/* ---------- analysis state ---------- */

struct _CxPartialIn {
  const guint8 *p, *end;
  Remap *m;
  CxLog *log;
  const char *why; /* cx_partial_in_refuse(), or NULL: corrupt */
};

gboolean
cx_partial_in_refuse(CxPartialIn *in, const char *why)
{
  in->why = why;
  return FALSE;
}

gboolean
cx_partial_in_case_refs(CxPartialIn *in, guint64 n, GArray **refs)
{
  for (guint64 k = 0; k < n; k++) {
    CxCaseRef r;
    if (!cx_partial_in_case(in, &r.case_id) || !cx_partial_in_time(in, &r.first))
      return FALSE;
    if (refs == NULL)
      continue;
    if (*refs == NULL)
      *refs = g_array_new(FALSE, FALSE, sizeof(CxCaseRef));
    g_array_append_val(*refs, r);
  }
  return TRUE;
}

void
cx_partial_put_case_refs(GByteArray *out, CxPool *cases, const GArray *refs)
{
  for (guint k = 0; refs != NULL && k < refs->len; k++) {
    const CxCaseRef *r = &g_array_index(refs, CxCaseRef, k);
    cx_partial_put_string(out, cx_pool_get(cases, r->case_id));
    cx_partial_put_time(out, r->first);
  }
}

gboolean
cx_partial_in_varint(CxPartialIn *in, guint64 *v)
{
  return cx_partial_get_varint(&in->p, in->end, v);
}

gboolean
cx_partial_in_time(CxPartialIn *in, gint64 *t)
{
  guint64 v;
  if (!cx_partial_get_varint(&in->p, in->end, &v))
    return FALSE;
  *t = unzigzag(v);
  return TRUE;
}

gboolean
cx_partial_in_id(CxPartialIn *in, CxPartialTable table, guint32 *id)
{
  guint64 v;
  int t = table == CX_PARTIAL_ACTIVITIES  ? T_ACTIVITIES
          : table == CX_PARTIAL_RESOURCES ? T_RESOURCES
                                          : T_CHANNELS;
  return cx_partial_get_varint(&in->p, in->end, &v) && remap_id(in->m, t, v, id);
}

gboolean
cx_partial_in_case(CxPartialIn *in, guint32 *id)
{
  guint64 n;
  if (!cx_partial_get_varint(&in->p, in->end, &n) || n > (guint64)(in->end - in->p))
    return FALSE;
  *id = cx_pool_intern(in->log->cases, (const char *)in->p, (gssize)n);
  in->p += n;
  return TRUE;
}

/* sample list modes */
enum { SAMPLES_USEC = 0, SAMPLES_RAW = 1 };

static int
cmp_gint64(const void *a, const void *b)
{
  gint64 x = *(const gint64 *)a, y = *(const gint64 *)b;
  return x < y ? -1 : x > y;
}

void
cx_partial_put_samples(GByteArray *out, const double *values, gsize n)
{
  cx_partial_put_varint(out, n);
  if (n == 0)
    return;
  g_autofree gint64 *us = g_new(gint64, n);
  gboolean exact = TRUE;
  for (gsize i = 0; i < n && exact; i++) {
    double x = values[i];
    if (!(x > -9e12 && x < 9e12)) {
      exact = FALSE;
      break;
    }
    us[i] = (gint64)llround(x * 1e6);
    double back = (double)us[i] / 1e6;
    exact = memcmp(&back, &x, sizeof x) == 0;
  }
  if (!exact) {
    cx_partial_put_varint(out, SAMPLES_RAW);
    for (gsize i = 0; i < n; i++) {
      guint64 b;
      memcpy(&b, &values[i], 8);
      put_u64(out, b);
    }
    return;
  }
  cx_partial_put_varint(out, SAMPLES_USEC);
  qsort(us, n, sizeof(gint64), cmp_gint64);
  cx_partial_put_varint(out, zigzag(us[0]));
  for (gsize i = 1; i < n; i++)
    cx_partial_put_varint(out, (guint64)(us[i] - us[i - 1]));
}

gboolean
cx_partial_in_samples(CxPartialIn *in, GArray *values)
{
  guint64 n, mode, v;
  if (!cx_partial_in_varint(in, &n) || n > (guint64)(in->end - in->p))
    return FALSE;
  if (n == 0)
    return TRUE;
  if (!cx_partial_in_varint(in, &mode) || mode > SAMPLES_RAW)
    return FALSE;
  guint old = values->len;
  g_array_set_size(values, old + (guint)n);
  double *out = &g_array_index(values, double, old);
  if (mode == SAMPLES_RAW) {
    if ((guint64)(in->end - in->p) < n * 8)
      return FALSE;
    for (guint64 i = 0; i < n; i++) {
      guint64 b = 0;
      for (int k = 0; k < 8; k++)
        b |= (guint64)in->p[k] << (8 * k);
      memcpy(&out[i], &b, 8);
      in->p += 8;
    }
    return TRUE;
  }
  if (!cx_partial_in_varint(in, &v))
    return FALSE;
  gint64 us = unzigzag(v);
  out[0] = (double)us / 1e6;
  for (guint64 i = 1; i < n; i++) {
    if (!cx_partial_in_varint(in, &v) || v > (guint64)G_MAXINT64)
      return FALSE;
    us += (gint64)v;
    out[i] = (double)us / 1e6;
  }
  return TRUE;
}

void
cx_partial_put_time(GByteArray *out, gint64 t)
{
  cx_partial_put_varint(out, zigzag(t));
}

void
cx_partial_put_string(GByteArray *out, const char *s)
{
  gsize n = strlen(s);
  cx_partial_put_varint(out, n);
  g_byte_array_append(out, (const guint8 *)s, (guint)n);
}

/* ---------- a log that reads partials ---------- */

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
        return fail(error, CX_PARTIAL_ERROR_MISMATCH, s->owner->path,
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

/* Replays every journey of the log's segments in canonical order. With
 * @begin, calls it before each segment. */
static gboolean
replay(CxLog *log, CxJourneyFunc func, gpointer data,
       void (*begin)(const CxPartialSegment *, gpointer), GError **error)
{
  if (!segments_prepare(log, error))
    return FALSE;
  memset(&log->counts, 0, sizeof log->counts);
  for (guint i = 0; i < log->segments->len; i++)
    counts_add(&log->counts, ((CxPartialSegment *)g_ptr_array_index(log->segments, i))->counts);
  g_autoptr(GArray) events = g_array_new(FALSE, FALSE, sizeof(CxEvent));
  g_autoptr(GArray) attrs = g_array_new(FALSE, FALSE, sizeof(CxAttr));
  for (guint i = 0; i < log->segments->len; i++) {
    const CxPartialSegment *s = g_ptr_array_index(log->segments, i);
    if (begin != NULL)
      begin(s, data);
    Remap m;
    remap_init(&m, log, s);
    const guint8 *p = s->bytes, *end = s->bytes + s->len;
    gboolean ok = TRUE;
    if (s->payload == PAYLOAD_STATE) {
      const CxPartialState *st = state_of_command(s->owner->command);
      if (st == NULL || st->add != func) {
        remap_clear(&m);
        return fail(error, CX_PARTIAL_ERROR_MISMATCH, s->owner->path,
                    "holds the state of '%s', which this analysis cannot read", s->owner->command);
      }
      CxPartialIn in = { p, end, &m, log, NULL };
      if (!st->load(data, &in))
        ok = in.why != NULL ? fail(error, CX_PARTIAL_ERROR_MISMATCH, s->owner->path, "%s", in.why)
                            : fail(error, CX_PARTIAL_ERROR_CORRUPT, s->owner->path,
                                   "corrupt: bad %s state", s->owner->command);
      p = in.p;
    }
    for (guint64 k = 0; s->payload == PAYLOAD_JOURNEYS && k < s->n_journeys && ok; k++) {
      CxJourney j = { 0 };
      if (!decode_journey(log, &m, &p, end, &j, events, attrs))
        ok = fail(error, CX_PARTIAL_ERROR_CORRUPT, s->owner->path,
                  "corrupt: bad journey record %" G_GUINT64_FORMAT, k + 1);
      else
        ok = func(&j, data, error);
    }
    if (ok && p != end)
      ok = fail(error, CX_PARTIAL_ERROR_CORRUPT, s->owner->path,
                "corrupt: %" G_GSIZE_FORMAT " bytes after the last journey record",
                (gsize)(end - p));
    remap_clear(&m);
    if (!ok)
      return FALSE;
  }
  return TRUE;
}

gboolean
cx_partial_replay(CxLog *log, CxJourneyFunc func, gpointer data, GError **error)
{
  return replay(log, func, data, NULL, error);
}

/* ---------- writing ---------- */

typedef struct {
  guint32 payload;
  char *side;
  char **sources;
  guint64 counts[N_COUNTS];
  guint64 n_journeys;
  GByteArray *bytes;
} WSegment;

static void
wsegment_free(gpointer p)
{
  WSegment *s = p;
  g_free(s->side);
  g_strfreev(s->sources);
  g_byte_array_unref(s->bytes);
  g_free(s);
}

static WSegment *
wsegment_new(Writer *w, const char *side, char **sources)
{
  WSegment *s = g_new0(WSegment, 1);
  s->side = g_strdup(side);
  s->sources = g_strdupv(sources);
  s->bytes = g_byte_array_new();
  g_ptr_array_add(w->segs, s);
  return s;
}

static gboolean
writer_add(const CxJourney *j, gpointer data, GError **error)
{
  Writer *w = data;
  WSegment *s = g_ptr_array_index(w->segs, w->segs->len - 1);
  encode_journey(w, s->bytes, j, cx_pool_get(w->log->cases, j->case_id));
  s->n_journeys++;
  return TRUE;
}

static void
writer_reset(gpointer data)
{
  Writer *w = data;
  WSegment *s = g_ptr_array_index(w->segs, w->segs->len - 1);
  g_byte_array_set_size(s->bytes, 0);
  s->n_journeys = 0;
}

static void
writer_begin(const CxPartialSegment *seg, gpointer data)
{
  Writer *w = data;
  WSegment *s = wsegment_new(w, seg->side, seg->sources);
  memcpy(s->counts, seg->counts, sizeof s->counts);
}

static void
put_table(GByteArray *out, CxPool *pool)
{
  guint n = cx_pool_size(pool);
  put_u32(out, n - 1);
  for (guint i = 1; i < n; i++)
    put_str(out, cx_pool_get(pool, i));
}

static void
put_local_table(GByteArray *out, GPtrArray *table)
{
  put_u32(out, table->len);
  for (guint i = 0; i < table->len; i++)
    put_str(out, g_ptr_array_index(table, i));
}

static void
writer_clear(Writer *w)
{
  g_ptr_array_free(w->segs, TRUE);
  g_array_free(w->key_map, TRUE);
  g_array_free(w->val_map, TRUE);
  g_ptr_array_free(w->keys, TRUE);
  g_ptr_array_free(w->vals, TRUE);
  g_hash_table_destroy(w->wanted);
}

gboolean
cx_partial_write(CxLog *log, const char *command, const char *side, const char *const *options,
                 gboolean case_ids, const char *path, GError **error)
{
  Writer w = { log,
               g_ptr_array_new_with_free_func(wsegment_free),
               g_array_new(FALSE, TRUE, sizeof(guint32)),
               g_array_new(FALSE, TRUE, sizeof(guint32)),
               g_ptr_array_new(),
               g_ptr_array_new(),
               g_hash_table_new(g_direct_hash, g_direct_equal) };
  /* a log reading partials has only the attributes they kept: all wanted */
  for (char **k = log->opts.attr_keys; k != NULL && *k != NULL; k++)
    g_hash_table_add(w.wanted, GUINT_TO_POINTER(cx_pool_intern(log->keys, *k, -1) + 1));
  gboolean ok;
  const CxPartialState *st = state_of_command(command);
  if (st != NULL) {
    /* one segment: the analysis's state over every source (merged states
     * for a log that reads partials) */
    gpointer data = st->make(log, case_ids);
    ok = cx_log_scan(log, st->add, st->reset, data, error);
    if (ok) {
      g_autoptr(GPtrArray) src = g_ptr_array_new();
      for (guint i = 0; i < log->sources->len; i++)
        g_ptr_array_add(src, (gpointer)cx_log_source_path(log, i));
      g_ptr_array_add(src, NULL);
      WSegment *s = wsegment_new(&w, log->segments != NULL ? "" : side, (char **)src->pdata);
      s->payload = PAYLOAD_STATE;
      counts_to_array(&log->counts, s->counts);
      s->n_journeys = log->counts.cases_kept;
      st->save(data, s->bytes);
    }
    st->free(data);
  } else if (log->segments != NULL) {
    for (guint i = 0; i < log->segments->len; i++) {
      CxPartialSegment *s = g_ptr_array_index(log->segments, i);
      GPtrArray *keys = s->owner->tables[T_KEYS];
      for (guint k = 1; k < keys->len; k++)
        g_hash_table_add(w.wanted,
                         GUINT_TO_POINTER(cx_pool_intern(log->keys, keys->pdata[k], -1) + 1));
    }
    ok = replay(log, writer_add, &w, writer_begin, error);
  } else {
    g_autoptr(GPtrArray) src = g_ptr_array_new();
    for (guint i = 0; i < log->sources->len; i++)
      g_ptr_array_add(src, (gpointer)cx_log_source_path(log, i));
    g_ptr_array_add(src, NULL);
    WSegment *s = wsegment_new(&w, side, (char **)src->pdata);
    ok = cx_log_scan(log, writer_add, writer_reset, &w, error);
    counts_to_array(&log->counts, s->counts);
  }
  if (!ok) {
    writer_clear(&w);
    return FALSE;
  }
  g_autoptr(GByteArray) out = g_byte_array_new();
  g_byte_array_append(out, (const guint8 *)CX_PARTIAL_MAGIC, CX_PARTIAL_MAGIC_LEN);
  put_u32(out, CX_PARTIAL_VERSION);
  put_u64(out, 0); /* the total length, set below */
  put_str(out, command);
  guint nopt = options != NULL ? g_strv_length((char **)options) : 0;
  put_u32(out, nopt);
  for (guint i = 0; i < nopt; i++)
    put_str(out, options[i]);
  put_str(out, "cxmine " CX_VERSION);
  put_table(out, log->activities);
  put_table(out, log->resources);
  put_table(out, log->channels);
  put_local_table(out, w.keys);
  put_local_table(out, w.vals);
  put_u32(out, w.segs->len);
  for (guint i = 0; i < w.segs->len; i++) {
    WSegment *s = g_ptr_array_index(w.segs, i);
    put_u32(out, s->payload);
    put_str(out, s->side);
    put_u32(out, g_strv_length(s->sources));
    for (char **p = s->sources; *p != NULL; p++)
      put_str(out, *p);
    put_u32(out, N_COUNTS);
    for (int k = 0; k < N_COUNTS; k++)
      put_u64(out, s->counts[k]);
    put_u64(out, s->n_journeys);
    put_u64(out, s->bytes->len);
    g_byte_array_append(out, s->bytes->data, s->bytes->len);
  }
  writer_clear(&w);
  set_u64(out, CX_PARTIAL_MAGIC_LEN + 4, (guint64)out->len + 4);
  uLong crc = crc32(0L, Z_NULL, 0);
  for (gsize off = 0; off < out->len;) {
    uInt chunk = (uInt)MIN(out->len - off, (gsize)1 << 30);
    crc = crc32(crc, out->data + off, chunk);
    off += chunk;
  }
  put_u32(out, (guint32)crc);
  return cx_output_write(path, (const char *)out->data, out->len, error);
}
