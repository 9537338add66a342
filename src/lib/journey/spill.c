/* Sorted runs of grouped events on disk and their merge (see
 * spill-private.h). */
#include "spill-private.h"
#include "tmpfile-private.h"
#include "cxmine/reader.h"
#include <errno.h>
#include <string.h>
#include <unistd.h>

/* the writer's buffer */
#define WRITE_BUFFER (1u << 20)

typedef struct {
  guint64 offset, n; /* where the run starts in the file, its records */
  /* while merging */
  guint64 read;  /* records read into the buffer so far */
  guint8 *buf;   /* the buffered records */
  guint at, len; /* the next record in buf, records in buf */
} Run;

struct _CxSpill {
  gsize rec_size;
  int fd;           /* -1 until the first run */
  guint64 size;     /* bytes written */
  GArray *runs;     /* Run */
  GByteArray *wbuf; /* records not yet written */
  gboolean in_run;  /* between begin and end */
  guint bufrecs;    /* records per run buffer while merging */
  guint *heap;      /* run indices, smallest (key, run) first */
  guint nheap;
};

CxSpill *
cx_spill_new(gsize rec_size)
{
  g_return_val_if_fail(rec_size >= sizeof(guint32), NULL);
  CxSpill *sp = g_new0(CxSpill, 1);
  sp->rec_size = rec_size;
  sp->fd = -1;
  sp->runs = g_array_new(FALSE, TRUE, sizeof(Run));
  sp->wbuf = g_byte_array_new();
  return sp;
}

void
cx_spill_free(CxSpill *sp)
{
  if (sp == NULL)
    return;
  if (sp->fd >= 0)
    close(sp->fd);
  for (guint i = 0; i < sp->runs->len; i++)
    g_free(g_array_index(sp->runs, Run, i).buf);
  g_array_unref(sp->runs);
  g_byte_array_unref(sp->wbuf);
  g_free(sp->heap);
  g_free(sp);
}

static gboolean
io_error(int err, const char *what, GError **error)
{
  g_set_error(error, CX_READER_ERROR, CX_READER_ERROR_IO,
              "cannot %s the grouped events spilled to a temporary file in %s: %s", what,
              g_get_tmp_dir(), g_strerror(err));
  return FALSE;
}

gboolean
cx_spill_begin_run(CxSpill *sp, GError **error)
{
  g_return_val_if_fail(!sp->in_run && sp->heap == NULL, FALSE);
  if (sp->fd < 0) {
    sp->fd = cx_scratch_open("cxmine-spill");
    if (sp->fd < 0)
      return io_error(errno, "create", error);
  }
  Run r = { 0 };
  r.offset = sp->size;
  g_array_append_val(sp->runs, r);
  sp->in_run = TRUE;
  return TRUE;
}

static gboolean
flush(CxSpill *sp, GError **error)
{
  int err = cx_scratch_write(sp->fd, sp->wbuf->data, sp->wbuf->len, sp->size);
  if (err != 0)
    return io_error(err, "write", error);
  sp->size += sp->wbuf->len;
  g_byte_array_set_size(sp->wbuf, 0);
  return TRUE;
}

gboolean
cx_spill_put(CxSpill *sp, const void *rec, GError **error)
{
  g_return_val_if_fail(sp->in_run, FALSE);
  g_byte_array_append(sp->wbuf, rec, (guint)sp->rec_size);
  g_array_index(sp->runs, Run, sp->runs->len - 1).n++;
  if (sp->wbuf->len >= WRITE_BUFFER)
    return flush(sp, error);
  return TRUE;
}

gboolean
cx_spill_end_run(CxSpill *sp, GError **error)
{
  g_return_val_if_fail(sp->in_run, FALSE);
  sp->in_run = FALSE;
  if (!flush(sp, error))
    return FALSE;
  /* the writer's buffer is not kept between runs */
  g_byte_array_unref(sp->wbuf);
  sp->wbuf = g_byte_array_new();
  return TRUE;
}

guint
cx_spill_n_runs(const CxSpill *sp)
{
  return sp->runs->len;
}

guint64
cx_spill_n_records(const CxSpill *sp)
{
  guint64 n = 0;
  for (guint i = 0; i < sp->runs->len; i++)
    n += g_array_index(sp->runs, Run, i).n;
  return n;
}

guint64
cx_spill_bytes(const CxSpill *sp)
{
  return sp->size;
}

/* ---------- the merge ---------- */

static guint32
head_key(const CxSpill *sp, const Run *r)
{
  guint32 k;
  memcpy(&k, r->buf + (gsize)r->at * sp->rec_size, sizeof k);
  return k;
}

/* (key, run) of heap entry @a before that of @b */
static gboolean
before(const CxSpill *sp, guint a, guint b)
{
  const Run *runs = (const Run *)sp->runs->data;
  guint32 ka = head_key(sp, &runs[a]), kb = head_key(sp, &runs[b]);
  return ka != kb ? ka < kb : a < b;
}

static void
sift_down(CxSpill *sp, guint i)
{
  for (;;) {
    guint l = 2 * i + 1, m = i;
    if (l < sp->nheap && before(sp, sp->heap[l], sp->heap[m]))
      m = l;
    if (l + 1 < sp->nheap && before(sp, sp->heap[l + 1], sp->heap[m]))
      m = l + 1;
    if (m == i)
      return;
    guint t = sp->heap[i];
    sp->heap[i] = sp->heap[m];
    sp->heap[m] = t;
    i = m;
  }
}

/* Reads the run's next records into its buffer; FALSE with @error set on a
 * failure. */
static gboolean
refill(CxSpill *sp, Run *r, GError **error)
{
  guint64 want = MIN((guint64)sp->bufrecs, r->n - r->read);
  int err = cx_scratch_read(sp->fd, r->buf, (gsize)want * sp->rec_size,
                            r->offset + r->read * sp->rec_size);
  if (err != 0)
    return io_error(err, "read", error);
  r->read += want;
  r->at = 0;
  r->len = (guint)want;
  return TRUE;
}

gboolean
cx_spill_merge_begin(CxSpill *sp, gsize buffer_bytes, GError **error)
{
  g_return_val_if_fail(!sp->in_run && sp->heap == NULL, FALSE);
  guint k = sp->runs->len;
  gsize per_run = k > 0 ? buffer_bytes / k : 0;
  per_run = CLAMP(per_run, 4096, (gsize)WRITE_BUFFER);
  sp->bufrecs = (guint)MAX(per_run / sp->rec_size, 1);
  sp->heap = g_new(guint, MAX(k, 1));
  sp->nheap = 0;
  for (guint i = 0; i < k; i++) {
    Run *r = &g_array_index(sp->runs, Run, i);
    if (r->n == 0)
      continue;
    r->buf = g_malloc((gsize)sp->bufrecs * sp->rec_size);
    if (!refill(sp, r, error))
      return FALSE;
    sp->heap[sp->nheap++] = i;
  }
  for (guint i = sp->nheap / 2; i-- > 0;)
    sift_down(sp, i);
  return TRUE;
}

guint32
cx_spill_peek(const CxSpill *sp)
{
  if (sp->nheap == 0)
    return G_MAXUINT32;
  return head_key(sp, &g_array_index(sp->runs, Run, sp->heap[0]));
}

const void *
cx_spill_next(CxSpill *sp, GError **error)
{
  g_return_val_if_fail(sp->nheap > 0, NULL);
  Run *r = &g_array_index(sp->runs, Run, sp->heap[0]);
  /* the record is copied out of the buffer, which a refill overwrites */
  if (sp->wbuf->len != sp->rec_size)
    g_byte_array_set_size(sp->wbuf, (guint)sp->rec_size);
  memcpy(sp->wbuf->data, r->buf + (gsize)r->at * sp->rec_size, sp->rec_size);
  if (++r->at == r->len) {
    if (r->read == r->n) {
      g_clear_pointer(&r->buf, g_free);
      sp->heap[0] = sp->heap[--sp->nheap];
    } else if (!refill(sp, r, error))
      return NULL;
  }
  if (sp->nheap > 0)
    sift_down(sp, 0);
  return sp->wbuf->data;
}
