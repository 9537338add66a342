/* cxmine — partial results (partial.h): loading a partial with every check,
 * and writing one.  The codec is partial-codec.c, analysis state
 * partial-state.c, the replay of a log that reads partials
 * partial-replay.c. */
#include "partial-file-private.h"
#include "cxmine/output.h"
#include <string.h>

/* the quark's name is one token, which clang-format would split */
/* clang-format off */
G_DEFINE_QUARK(cx-partial-error-quark, cx_partial_error)
/* clang-format on */

/* ---------- the loaded partial ---------- */

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

gboolean
cx_partial_fail(GError **error, CxPartialError code, const char *path, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  g_autofree char *msg = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  g_set_error(error, CX_PARTIAL_ERROR, code, "%s: %s", path, msg);
  return FALSE;
}

static gboolean
parse_body(CxPartial *p, CxPartialRd *r, GError **error)
{
  r->what = "header";
  p->command = cx_partial_get_str(r);
  p->options = cx_partial_get_strv(r);
  p->producer = cx_partial_get_str(r);
  if (r->bad)
    return FALSE;
  static const char *const names[N_TABLES]
      = { "activity table", "resource table", "channel table", "key table", "value table" };
  for (int t = 0; t < N_TABLES; t++) {
    r->what = names[t];
    guint32 n = cx_partial_get_u32(r);
    if (r->bad || n > (guint32)(r->end - r->p) / 4) {
      r->bad = TRUE;
      return FALSE;
    }
    p->tables[t] = g_ptr_array_new_full(n + 1, g_free);
    g_ptr_array_add(p->tables[t], g_strdup(""));
    for (guint32 i = 0; i < n; i++) {
      char *s = cx_partial_get_str(r);
      if (s == NULL)
        return FALSE;
      g_ptr_array_add(p->tables[t], s);
    }
  }
  r->what = "segments";
  guint32 nseg = cx_partial_get_u32(r);
  if (r->bad)
    return FALSE;
  p->segments = g_ptr_array_new_with_free_func(segment_free);
  for (guint32 i = 0; i < nseg; i++) {
    CxPartialSegment *s = g_new0(CxPartialSegment, 1);
    s->owner = p;
    g_ptr_array_add(p->segments, s);
    s->payload = cx_partial_get_u32(r);
    s->side = cx_partial_get_str(r);
    s->sources = cx_partial_get_strv(r);
    guint32 nc = cx_partial_get_u32(r);
    if (r->bad || s->side == NULL || s->sources == NULL || s->sources[0] == NULL || nc != N_COUNTS
        || s->payload > PAYLOAD_STATE
        || (s->payload == PAYLOAD_STATE && cx_partial_state_of(p->command) == NULL)) {
      r->bad = TRUE;
      return FALSE;
    }
    for (int k = 0; k < N_COUNTS; k++)
      s->counts[k] = cx_partial_get_u64(r);
    s->n_journeys = cx_partial_get_u64(r);
    guint64 len = cx_partial_get_u64(r);
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
    cx_partial_fail(error, CX_PARTIAL_ERROR_IO, path, "cannot read: %s", local->message);
    return NULL;
  }
  const guint8 *d = (const guint8 *)g_mapped_file_get_contents(p->map);
  gsize n = g_mapped_file_get_length(p->map);
  p->size = n;
  if (n == 0) {
    cx_partial_fail(error, CX_PARTIAL_ERROR_NOT, path, "empty file: not a cxmine partial");
    return NULL;
  }
  if (n < CX_PARTIAL_MAGIC_LEN && memcmp(d, CX_PARTIAL_MAGIC, n) == 0) {
    cx_partial_fail(error, CX_PARTIAL_ERROR_TRUNCATED, path, "truncated: %" G_GSIZE_FORMAT " bytes",
                    n);
    return NULL;
  }
  if (n < CX_PARTIAL_MAGIC_LEN || memcmp(d, CX_PARTIAL_MAGIC, CX_PARTIAL_MAGIC_LEN) != 0) {
    cx_partial_fail(
        error, CX_PARTIAL_ERROR_NOT, path,
        "not a cxmine partial (no magic number; write one with 'cxmine COMMAND --partial "
        "FILE')");
    return NULL;
  }
  if (n < HEAD_LEN) {
    cx_partial_fail(error, CX_PARTIAL_ERROR_TRUNCATED, path, "truncated: %" G_GSIZE_FORMAT " bytes",
                    n);
    return NULL;
  }
  CxPartialRd r = { d + CX_PARTIAL_MAGIC_LEN, d + n, FALSE, "header" };
  guint32 version = cx_partial_get_u32(&r);
  guint64 total = cx_partial_get_u64(&r);
  if (version != CX_PARTIAL_VERSION) {
    cx_partial_fail(error, CX_PARTIAL_ERROR_VERSION, path,
                    "partial format version %u; this cxmine reads version %u", version,
                    CX_PARTIAL_VERSION);
    return NULL;
  }
  if (total != n) {
    if (total > n)
      cx_partial_fail(error, CX_PARTIAL_ERROR_TRUNCATED, path,
                      "truncated: %" G_GSIZE_FORMAT " of %" G_GUINT64_FORMAT " bytes", n, total);
    else
      cx_partial_fail(error, CX_PARTIAL_ERROR_CORRUPT, path,
                      "corrupt: %" G_GSIZE_FORMAT " bytes where the header says %" G_GUINT64_FORMAT,
                      n, total);
    return NULL;
  }
  if (n < HEAD_LEN + 4) {
    cx_partial_fail(error, CX_PARTIAL_ERROR_TRUNCATED, path, "truncated: no checksum");
    return NULL;
  }
  guint32 want = (guint32)d[n - 4] | (guint32)d[n - 3] << 8 | (guint32)d[n - 2] << 16
                 | (guint32)d[n - 1] << 24;
  guint32 crc = cx_partial_crc32(d, n - 4);
  if (crc != want) {
    cx_partial_fail(error, CX_PARTIAL_ERROR_CORRUPT, path,
                    "corrupt: checksum mismatch (CRC-32 %08x, stored %08x)", crc, want);
    return NULL;
  }
  r.end = d + n - 4;
  if (!parse_body(p, &r, error)) {
    if (error == NULL || *error == NULL)
      cx_partial_fail(error, CX_PARTIAL_ERROR_CORRUPT, path, "corrupt: bad %s", r.what);
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
    return cx_partial_fail(
        error, CX_PARTIAL_ERROR_MISMATCH, b->path,
        "a partial of '%s', but %s is of '%s': partials of different commands do not "
        "merge",
        b->command, a->path, a->command);
  guint i = 0;
  for (; a->options[i] != NULL && b->options[i] != NULL; i++)
    if (strcmp(a->options[i], b->options[i]) != 0)
      break;
  if (a->options[i] == NULL && b->options[i] == NULL)
    return TRUE;
  return cx_partial_fail(
      error, CX_PARTIAL_ERROR_MISMATCH, b->path,
      "made with other options than %s ('%s' here, '%s' there): partials of different "
      "result-changing options do not merge",
      a->path, b->options[i] ? b->options[i] : "(none)", a->options[i] ? a->options[i] : "(none)");
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
wsegment_new(CxPartialWriter *w, const char *side, char **sources)
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
  CxPartialWriter *w = data;
  WSegment *s = g_ptr_array_index(w->segs, w->segs->len - 1);
  cx_partial_encode_journey(w, s->bytes, j, cx_pool_get(w->log->cases, j->case_id));
  s->n_journeys++;
  return TRUE;
}

static void
writer_reset(gpointer data)
{
  CxPartialWriter *w = data;
  WSegment *s = g_ptr_array_index(w->segs, w->segs->len - 1);
  g_byte_array_set_size(s->bytes, 0);
  s->n_journeys = 0;
}

static void
writer_begin(const CxPartialSegment *seg, gpointer data)
{
  CxPartialWriter *w = data;
  WSegment *s = wsegment_new(w, seg->side, seg->sources);
  memcpy(s->counts, seg->counts, sizeof s->counts);
}

static void
put_table(GByteArray *out, CxPool *pool)
{
  guint n = cx_pool_size(pool);
  cx_partial_put_u32(out, n - 1);
  for (guint i = 1; i < n; i++)
    cx_partial_put_str(out, cx_pool_get(pool, i));
}

static void
put_local_table(GByteArray *out, GPtrArray *table)
{
  cx_partial_put_u32(out, table->len);
  for (guint i = 0; i < table->len; i++)
    cx_partial_put_str(out, g_ptr_array_index(table, i));
}

static void
writer_clear(CxPartialWriter *w)
{
  g_ptr_array_free(w->segs, TRUE);
  g_array_free(w->key_map, TRUE);
  g_array_free(w->val_map, TRUE);
  g_ptr_array_free(w->keys, TRUE);
  g_ptr_array_free(w->vals, TRUE);
  g_hash_table_destroy(w->wanted);
}

/* The log's source paths, NULL-terminated (strings owned by @log). */
static GPtrArray *
source_paths(CxLog *log)
{
  GPtrArray *src = g_ptr_array_new();
  for (guint i = 0; i < log->sources->len; i++)
    g_ptr_array_add(src, (gpointer)cx_log_source_path(log, i));
  g_ptr_array_add(src, NULL);
  return src;
}

/* Fills the writer's segments: the analysis's state, the segments of a
 * log that reads partials as they are, or the log's journeys. */
static gboolean
writer_fill(CxPartialWriter *w, const char *command, const char *side, gboolean case_ids,
            GError **error)
{
  CxLog *log = w->log;
  gboolean ok;
  const CxPartialState *st = cx_partial_state_of(command);
  if (st != NULL) {
    /* one segment: the analysis's state over every source (merged states
     * for a log that reads partials) */
    gpointer data = st->make(log, case_ids);
    ok = cx_log_scan(log, st->add, st->reset, data, error);
    if (ok) {
      g_autoptr(GPtrArray) src = source_paths(log);
      WSegment *s = wsegment_new(w, log->segments != NULL ? "" : side, (char **)src->pdata);
      s->payload = PAYLOAD_STATE;
      cx_partial_counts_to_array(&log->counts, s->counts);
      s->n_journeys = log->counts.cases_kept;
      st->save(data, s->bytes);
    }
    st->free(data);
  } else if (log->segments != NULL) {
    for (guint i = 0; i < log->segments->len; i++) {
      CxPartialSegment *s = g_ptr_array_index(log->segments, i);
      GPtrArray *keys = s->owner->tables[T_KEYS];
      for (guint k = 1; k < keys->len; k++)
        g_hash_table_add(w->wanted,
                         GUINT_TO_POINTER(cx_pool_intern(log->keys, keys->pdata[k], -1) + 1));
    }
    ok = cx_partial_replay_segments(log, writer_add, w, writer_begin, error);
  } else {
    g_autoptr(GPtrArray) src = source_paths(log);
    WSegment *s = wsegment_new(w, side, (char **)src->pdata);
    ok = cx_log_scan(log, writer_add, writer_reset, w, error);
    cx_partial_counts_to_array(&log->counts, s->counts);
  }
  return ok;
}

/* The file: header, string tables, segments, CRC. */
static GByteArray *
writer_bytes(CxPartialWriter *w, const char *command, const char *const *options)
{
  GByteArray *out = g_byte_array_new();
  g_byte_array_append(out, (const guint8 *)CX_PARTIAL_MAGIC, CX_PARTIAL_MAGIC_LEN);
  cx_partial_put_u32(out, CX_PARTIAL_VERSION);
  cx_partial_put_u64(out, 0); /* the total length, set below */
  cx_partial_put_str(out, command);
  guint nopt = options != NULL ? g_strv_length((char **)options) : 0;
  cx_partial_put_u32(out, nopt);
  for (guint i = 0; i < nopt; i++)
    cx_partial_put_str(out, options[i]);
  cx_partial_put_str(out, "cxmine " CX_VERSION);
  put_table(out, w->log->activities);
  put_table(out, w->log->resources);
  put_table(out, w->log->channels);
  put_local_table(out, w->keys);
  put_local_table(out, w->vals);
  cx_partial_put_u32(out, w->segs->len);
  for (guint i = 0; i < w->segs->len; i++) {
    WSegment *s = g_ptr_array_index(w->segs, i);
    cx_partial_put_u32(out, s->payload);
    cx_partial_put_str(out, s->side);
    cx_partial_put_u32(out, g_strv_length(s->sources));
    for (char **p = s->sources; *p != NULL; p++)
      cx_partial_put_str(out, *p);
    cx_partial_put_u32(out, N_COUNTS);
    for (int k = 0; k < N_COUNTS; k++)
      cx_partial_put_u64(out, s->counts[k]);
    cx_partial_put_u64(out, s->n_journeys);
    cx_partial_put_u64(out, s->bytes->len);
    g_byte_array_append(out, s->bytes->data, s->bytes->len);
  }
  cx_partial_set_u64(out, CX_PARTIAL_MAGIC_LEN + 4, (guint64)out->len + 4);
  cx_partial_put_u32(out, cx_partial_crc32(out->data, out->len));
  return out;
}

gboolean
cx_partial_write(CxLog *log, const char *command, const char *side, const char *const *options,
                 gboolean case_ids, const char *path, GError **error)
{
  CxPartialWriter w = { log,
                        g_ptr_array_new_with_free_func(wsegment_free),
                        g_array_new(FALSE, TRUE, sizeof(guint32)),
                        g_array_new(FALSE, TRUE, sizeof(guint32)),
                        g_ptr_array_new(),
                        g_ptr_array_new(),
                        g_hash_table_new(g_direct_hash, g_direct_equal) };
  /* a log reading partials has only the attributes they kept: all wanted */
  for (char **k = log->opts.attr_keys; k != NULL && *k != NULL; k++)
    g_hash_table_add(w.wanted, GUINT_TO_POINTER(cx_pool_intern(log->keys, *k, -1) + 1));
  if (!writer_fill(&w, command, side, case_ids, error)) {
    writer_clear(&w);
    return FALSE;
  }
  g_autoptr(GByteArray) out = writer_bytes(&w, command, options);
  writer_clear(&w);
  return cx_output_write(path, (const char *)out->data, out->len, error);
}
