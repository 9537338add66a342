/* cxmine — compact lists of the numbers an analysis keeps one per
 * occurrence, coded as LEB128 bytes and read back in order:
 *
 * - CxTagList: 32-bit tags (the cases an activity or a pair of the
 *   transitions accumulator occurs in), each stored as its difference from
 *   the one before, zigzag coded.  Case lists grow with the log and their
 *   tags mostly ascend in small steps, so a tag takes about one byte
 *   instead of four.
 * - CxSampleList: durations in microseconds (the waits friction keeps one
 *   by one), each stored whole in the coarsest unit that holds it exactly
 *   (seconds, milliseconds or microseconds, two bits say which), so a wait
 *   of minutes to days takes three or four bytes instead of a double's
 *   eight, and reads back exactly.
 *
 * Long lists live on disk, so that they cost a long log disk space, not
 * memory.  A list's bytes stay in memory up to a block (4 KiB); each full
 * block goes to its store, the lists of one accumulator share one, which
 * keeps them in a scratch file (base/tmpfile-private.h, made at its first
 * MiB).  What stays in memory is a list's open block and 8 bytes per block
 * written.  A block always ends between two items, so an item is read from
 * one block.  The lists are read back in order, one at a time, where an
 * analysis reads them.
 *
 * A store keeps its first failure (a full disk, a failed read): the lists
 * read back after it are short, and cx_list_store_check() tells it; an
 * analysis checks it after each journey and at its end. */
#pragma once

#include "varint-private.h"
#include <glib.h>

G_BEGIN_DECLS

/* The size of a block past which a list's bytes go to its store; the test
 * setting CXMINE_TEST_LIST_BLOCK (bytes, 8 to this) lowers it, so that
 * small logs read their lists back from disk. */
#define CX_LIST_BLOCK 4096u
/* An item's bytes at most: a wide sample's marker and value. */
#define CX_LIST_ITEM_MAX 20u

typedef struct _CxListStore CxListStore;

/* A new store (its scratch file is made when first needed). */
CxListStore *cx_list_store_new(void);
void cx_list_store_free(CxListStore *st);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CxListStore, cx_list_store_free)
/* Empties @st once every list in it has been cleared (a new pass), and
 * forgets its failure. */
void cx_list_store_reset(CxListStore *st);
/* FALSE with @error set once a list of @st failed to be written or read. */
gboolean cx_list_store_check(const CxListStore *st, GError **error);

/* The bytes of one list: the blocks in its store, then the open block. */
typedef struct {
  CxListStore *store; /* NULL until a block was written */
  guint8 *open;
  guint32 len, cap;
  guint64 *blocks; /* in order: offset in the store << 16 | length */
  guint32 nblocks, room;
  guint32 block; /* the store's block size, set with the first byte */
} CxBytes;

/* Makes room for an item in @b's open block (cap - len >= CX_LIST_ITEM_MAX). */
void cx_bytes_room(CxListStore *st, CxBytes *b);
/* Writes @b's open block to @st. */
void cx_bytes_spill(CxListStore *st, CxBytes *b);
/* Empties @b and frees its memory (its blocks stay in the store until a
 * reset). */
void cx_bytes_clear(CxBytes *b);
/* The bytes of @b, on disk and in memory. */
guint64 cx_bytes_size(const CxBytes *b);

/* Appends @z to @b's open block, which has room. */
static inline void
cx_bytes_put(CxBytes *b, guint64 z)
{
  guint8 *p = b->open + b->len;
  while (z >= 0x80) {
    *p++ = (guint8)(z | 0x80);
    z >>= 7;
  }
  *p++ = (guint8)z;
  b->len = (guint32)(p - b->open);
}

/* Begins an item of @b (room for it), and ends it (a full block goes to
 * @st). */
static inline void
cx_bytes_begin(CxListStore *st, CxBytes *b)
{
  if (G_UNLIKELY(b->cap - b->len < CX_LIST_ITEM_MAX))
    cx_bytes_room(st, b);
}

static inline void
cx_bytes_end(CxListStore *st, CxBytes *b)
{
  if (G_UNLIKELY(b->len >= b->block))
    cx_bytes_spill(st, b);
}

/* Reading a list's bytes in order. */
typedef struct {
  const CxBytes *b;
  guint32 next; /* the next block to read; b->nblocks: the open block */
  const guint8 *p, *end;
  guint8 buf[CX_LIST_BLOCK + CX_LIST_ITEM_MAX];
} CxBytesIter;

void cx_bytes_iter_init(CxBytesIter *it, const CxBytes *b);
/* Loads the next block into it->p..end; FALSE at the end (or after a
 * failed read, which the store keeps). */
gboolean cx_bytes_iter_load(CxBytesIter *it);

/* The next number, FALSE at the end. */
static inline gboolean
cx_bytes_iter_get(CxBytesIter *it, guint64 *z)
{
  while (it->p >= it->end)
    if (!cx_bytes_iter_load(it))
      return FALSE;
  if (!cx_varint_get(&it->p, it->end, z)) {
    it->p = it->end;
    *z = 0;
  }
  return TRUE;
}

typedef struct {
  CxBytes bytes;
  guint32 n;    /* tags */
  guint32 last; /* the last tag (0 while empty) */
} CxTagList;

/* Appends @tag (the list's blocks go to @st).  No allocation but the
 * list's own growth. */
static inline void
cx_tag_list_add(CxListStore *st, CxTagList *l, guint32 tag)
{
  cx_bytes_begin(st, &l->bytes);
  cx_bytes_put(&l->bytes, cx_zigzag((gint64)tag - (gint64)l->last));
  cx_bytes_end(st, &l->bytes);
  l->last = tag;
  l->n++;
}

/* Reading a tag list in order: cx_tag_iter_init(), then cx_tag_iter_next()
 * until it returns FALSE (at the end, or after a failed read, which the
 * store keeps). */
typedef struct {
  CxBytesIter bytes;
  gint64 at; /* the last tag read */
} CxTagIter;

static inline void
cx_tag_iter_init(CxTagIter *it, const CxTagList *l)
{
  cx_bytes_iter_init(&it->bytes, &l->bytes);
  it->at = 0;
}

static inline gboolean
cx_tag_iter_next(CxTagIter *it, guint32 *tag)
{
  guint64 z;
  if (!cx_bytes_iter_get(&it->bytes, &z))
    return FALSE;
  it->at += cx_unzigzag(z);
  *tag = (guint32)it->at;
  return TRUE;
}

/* The tags of @l in order, as guint32, in a new array (empty for an empty
 * list; short after a failed read, which its store keeps). */
GArray *cx_tag_list_decode(const CxTagList *l);
/* Appends the tags of @src to @dst (whose blocks go to @st). */
void cx_tag_list_append(CxListStore *st, CxTagList *dst, const CxTagList *src);
/* Empties @l and frees its memory. */
void cx_tag_list_clear(CxTagList *l);

typedef struct {
  CxBytes bytes;
  guint32 n; /* samples */
} CxSampleList;

/* The unit of a sample, in its low two bits: seconds, milliseconds,
 * microseconds, or (beyond +-2^60 us, never a wait between two XES times)
 * a marker followed by the whole zigzag value. */
enum { CX_SAMPLE_S, CX_SAMPLE_MS, CX_SAMPLE_US, CX_SAMPLE_WIDE };

/* Appends @usec (the list's blocks go to @st).  No allocation but the
 * list's own growth. */
static inline void
cx_sample_list_add(CxListStore *st, CxSampleList *l, gint64 usec)
{
  const gint64 wide = G_GINT64_CONSTANT(1) << 60;
  CxBytes *b = &l->bytes;
  cx_bytes_begin(st, b);
  if (usec >= wide || usec <= -wide) {
    cx_bytes_put(b, CX_SAMPLE_WIDE);
    cx_bytes_put(b, cx_zigzag(usec));
  } else if (usec % 1000000 == 0) {
    cx_bytes_put(b, cx_zigzag(usec / 1000000) << 2 | CX_SAMPLE_S);
  } else if (usec % 1000 == 0) {
    cx_bytes_put(b, cx_zigzag(usec / 1000) << 2 | CX_SAMPLE_MS);
  } else {
    cx_bytes_put(b, cx_zigzag(usec) << 2 | CX_SAMPLE_US);
  }
  cx_bytes_end(st, b);
  l->n++;
}

/* Reading a sample list in order: cx_sample_iter_init(), then
 * cx_sample_iter_next() until it returns FALSE. */
typedef CxBytesIter CxSampleIter;

static inline void
cx_sample_iter_init(CxSampleIter *it, const CxSampleList *l)
{
  cx_bytes_iter_init(it, &l->bytes);
}

static inline gboolean
cx_sample_iter_next(CxSampleIter *it, gint64 *usec)
{
  guint64 z;
  if (!cx_bytes_iter_get(it, &z))
    return FALSE;
  switch (z & 3) {
    case CX_SAMPLE_S:
      *usec = cx_unzigzag(z >> 2) * 1000000;
      break;
    case CX_SAMPLE_MS:
      *usec = cx_unzigzag(z >> 2) * 1000;
      break;
    case CX_SAMPLE_US:
      *usec = cx_unzigzag(z >> 2);
      break;
    default: {
      /* the value is in the marker's block */
      guint64 v = 0;
      if (it->p >= it->end || !cx_varint_get(&it->p, it->end, &v))
        it->p = it->end;
      *usec = cx_unzigzag(v);
    }
  }
  return TRUE;
}

/* Appends the samples of @src to @dst (whose blocks go to @st). */
void cx_sample_list_append(CxListStore *st, CxSampleList *dst, const CxSampleList *src);
/* Empties @l and frees its memory. */
void cx_sample_list_clear(CxSampleList *l);

G_END_DECLS
