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
 * The lists are decoded where an analysis reads them, one at a time. */
#pragma once

#include "varint-private.h"
#include <glib.h>

G_BEGIN_DECLS

/* Appends @z to *@bytes (made on first use). */
static inline void
cx_list_put(GByteArray **bytes, guint64 z)
{
  if (*bytes == NULL)
    *bytes = g_byte_array_new();
  cx_varint_put(*bytes, z);
}

/* Reads the next number of a list this process wrote (0 past the end). */
static inline guint64
cx_list_get(const guint8 **p, const guint8 *end)
{
  guint64 z = 0;
  if (!cx_varint_get(p, end, &z))
    *p = end;
  return z;
}

typedef struct {
  GByteArray *bytes; /* NULL while empty */
  guint32 n;         /* tags */
  guint32 last;      /* the last tag (0 while empty) */
} CxTagList;

/* Appends @tag.  No allocation but the list's own growth. */
static inline void
cx_tag_list_add(CxTagList *l, guint32 tag)
{
  cx_list_put(&l->bytes, cx_zigzag((gint64)tag - (gint64)l->last));
  l->last = tag;
  l->n++;
}

/* The tags of @l in order, as guint32, in a new array (empty for an empty
 * list). */
GArray *cx_tag_list_decode(const CxTagList *l);
/* Appends the tags of @src to @dst. */
void cx_tag_list_append(CxTagList *dst, const CxTagList *src);
/* Empties @l and frees its memory. */
void cx_tag_list_clear(CxTagList *l);

typedef struct {
  GByteArray *bytes; /* NULL while empty */
  guint32 n;         /* samples */
} CxSampleList;

/* The unit of a sample, in its low two bits: seconds, milliseconds,
 * microseconds, or (beyond +-2^60 us, never a wait between two XES times)
 * a marker followed by the whole zigzag value. */
enum { CX_SAMPLE_S, CX_SAMPLE_MS, CX_SAMPLE_US, CX_SAMPLE_WIDE };

/* Appends @usec.  No allocation but the list's own growth. */
static inline void
cx_sample_list_add(CxSampleList *l, gint64 usec)
{
  const gint64 wide = G_GINT64_CONSTANT(1) << 60;
  if (usec >= wide || usec <= -wide) {
    cx_list_put(&l->bytes, CX_SAMPLE_WIDE);
    cx_list_put(&l->bytes, cx_zigzag(usec));
  } else if (usec % 1000000 == 0) {
    cx_list_put(&l->bytes, cx_zigzag(usec / 1000000) << 2 | CX_SAMPLE_S);
  } else if (usec % 1000 == 0) {
    cx_list_put(&l->bytes, cx_zigzag(usec / 1000) << 2 | CX_SAMPLE_MS);
  } else {
    cx_list_put(&l->bytes, cx_zigzag(usec) << 2 | CX_SAMPLE_US);
  }
  l->n++;
}

/* Reading a sample list in order: cx_sample_iter_init(), then
 * cx_sample_iter_next() until it returns FALSE. */
typedef struct {
  const guint8 *p, *end;
} CxSampleIter;

static inline void
cx_sample_iter_init(CxSampleIter *it, const CxSampleList *l)
{
  it->p = l->bytes != NULL ? l->bytes->data : NULL;
  it->end = l->bytes != NULL ? l->bytes->data + l->bytes->len : NULL;
}

static inline gboolean
cx_sample_iter_next(CxSampleIter *it, gint64 *usec)
{
  if (it->p >= it->end)
    return FALSE;
  guint64 z = cx_list_get(&it->p, it->end);
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
    default:
      *usec = it->p < it->end ? cx_unzigzag(cx_list_get(&it->p, it->end)) : 0;
  }
  return TRUE;
}

/* Appends the samples of @src to @dst. */
void cx_sample_list_append(CxSampleList *dst, const CxSampleList *src);
/* Empties @l and frees its memory. */
void cx_sample_list_clear(CxSampleList *l);

G_END_DECLS
