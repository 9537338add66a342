/* Compact tag and sample lists and the store their long lists live in
 * (tag-list-private.h). */
#include "tag-list-private.h"
#include "tmpfile-private.h"
#include <string.h>

struct _CxListStore {
  guint32 block; /* a list's block size */
  CxScratch file;
  guint64 size;  /* bytes of blocks: in the file, then in wbuf */
  guint64 filed; /* of them in the file */
  guint8 *wbuf;  /* blocks not yet written to the file */
  gsize wlen, wcap;
};

/* The block size in force: CX_LIST_BLOCK, or the test setting. */
static guint32
block_size(void)
{
  const char *s = g_getenv("CXMINE_TEST_LIST_BLOCK");
  if (s == NULL || *s == '\0')
    return CX_LIST_BLOCK;
  guint64 v = g_ascii_strtoull(s, NULL, 10);
  return (guint32)CLAMP(v, 8u, CX_LIST_BLOCK);
}

CxListStore *
cx_list_store_new(void)
{
  CxListStore *st = g_new0(CxListStore, 1);
  st->block = block_size();
  cx_scratch_init(&st->file, "cxmine-lists", "an analysis's long lists");
  /* a MiB of blocks is written at once (256 of the test's small ones) */
  st->wcap = (gsize)MIN(st->block, CX_LIST_BLOCK) * 256;
  return st;
}

void
cx_list_store_free(CxListStore *st)
{
  if (st == NULL)
    return;
  cx_scratch_clear(&st->file);
  g_free(st->wbuf);
  g_free(st);
}

void
cx_list_store_reset(CxListStore *st)
{
  cx_scratch_reset(&st->file);
  st->size = st->filed = 0;
  st->wlen = 0;
}

gboolean
cx_list_store_check(const CxListStore *st, GError **error)
{
  return st == NULL || cx_scratch_check(&st->file, error);
}

/* Writes the buffered blocks to the file. */
static void
flush(CxListStore *st)
{
  if (!cx_scratch_put(&st->file, st->wbuf, st->wlen, st->filed))
    return;
  st->filed += st->wlen;
  st->wlen = 0;
}

void
cx_bytes_room(CxListStore *st, CxBytes *b)
{
  if (b->cap == 0)
    b->block = st->block;
  /* an open block holds a block and an item; it grows up to that */
  guint32 cap = MAX(b->cap * 2, 32u);
  cap = MIN(cap, b->block + CX_LIST_ITEM_MAX);
  if (cap - b->len < CX_LIST_ITEM_MAX)
    cap = b->len + CX_LIST_ITEM_MAX;
  b->open = g_realloc(b->open, cap);
  b->cap = cap;
}

void
cx_bytes_spill(CxListStore *st, CxBytes *b)
{
  if (st->file.error != NULL) {
    /* the list is short already: keep no more */
    b->len = 0;
    return;
  }
  if (st->wlen + b->len > st->wcap) {
    flush(st);
    if (st->file.error != NULL) {
      b->len = 0;
      return;
    }
  }
  if (st->wbuf == NULL)
    st->wbuf = g_malloc(st->wcap + CX_LIST_BLOCK + CX_LIST_ITEM_MAX);
  memcpy(st->wbuf + st->wlen, b->open, b->len);
  st->wlen += b->len;
  if (b->nblocks == b->room) {
    b->room = MAX(b->room * 2, 4u);
    b->blocks = g_renew(guint64, b->blocks, b->room);
  }
  b->blocks[b->nblocks++] = st->size << 16 | b->len;
  st->size += b->len;
  b->store = st;
  b->len = 0;
}

void
cx_bytes_clear(CxBytes *b)
{
  g_free(b->open);
  g_free(b->blocks);
  *b = (CxBytes){ 0 };
}

guint64
cx_bytes_size(const CxBytes *b)
{
  guint64 n = b->len;
  for (guint32 i = 0; i < b->nblocks; i++)
    n += b->blocks[i] & 0xffff;
  return n;
}

void
cx_bytes_iter_init(CxBytesIter *it, const CxBytes *b)
{
  it->b = b;
  it->next = 0;
  it->p = it->end = NULL;
}

gboolean
cx_bytes_iter_load(CxBytesIter *it)
{
  const CxBytes *b = it->b;
  if (it->next > b->nblocks)
    return FALSE;
  if (it->next == b->nblocks) {
    it->next++;
    it->p = b->open;
    it->end = b->open + b->len;
    return TRUE;
  }
  CxListStore *st = b->store;
  guint64 at = b->blocks[it->next] >> 16;
  gsize len = (gsize)(b->blocks[it->next] & 0xffff);
  it->next++;
  if (at >= st->filed) {
    memcpy(it->buf, st->wbuf + (at - st->filed), len);
  } else {
    if (!cx_scratch_get(&st->file, it->buf, len, at)) {
      it->next = b->nblocks + 1;
      return FALSE;
    }
  }
  it->p = it->buf;
  it->end = it->buf + len;
  return TRUE;
}

GArray *
cx_tag_list_decode(const CxTagList *l)
{
  GArray *out = g_array_sized_new(FALSE, FALSE, sizeof(guint32), l->n);
  g_array_set_size(out, l->n);
  guint32 *dst = (guint32 *)out->data;
  CxTagIter it;
  cx_tag_iter_init(&it, l);
  guint i = 0;
  while (i < l->n && cx_tag_iter_next(&it, &dst[i]))
    i++;
  /* short only after a failed read, which the store tells */
  g_array_set_size(out, i);
  return out;
}

void
cx_tag_list_append(CxListStore *st, CxTagList *dst, const CxTagList *src)
{
  if (src->n == 0)
    return;
  g_autoptr(GArray) tags = cx_tag_list_decode(src);
  for (guint i = 0; i < tags->len; i++)
    cx_tag_list_add(st, dst, g_array_index(tags, guint32, i));
}

void
cx_tag_list_clear(CxTagList *l)
{
  cx_bytes_clear(&l->bytes);
  *l = (CxTagList){ 0 };
}

void
cx_sample_list_append(CxListStore *st, CxSampleList *dst, const CxSampleList *src)
{
  CxSampleIter it;
  gint64 us;
  cx_sample_iter_init(&it, src);
  while (cx_sample_iter_next(&it, &us))
    cx_sample_list_add(st, dst, us);
}

void
cx_sample_list_clear(CxSampleList *l)
{
  cx_bytes_clear(&l->bytes);
  *l = (CxSampleList){ 0 };
}
