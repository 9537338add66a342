/* cxmine — a compact list of 32-bit tags (the cases an activity or a pair
 * of the transitions accumulator occurs in): each tag stored as its
 * difference from the one before, zigzag and LEB128 coded.  Case lists grow
 * with the log and their tags mostly ascend in small steps, so a tag takes
 * about one byte instead of four; the lists are decoded where an analysis
 * reads them, one at a time. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  GByteArray *bytes; /* NULL while empty */
  guint32 n;         /* tags */
  guint32 last;      /* the last tag (0 while empty) */
} CxTagList;

/* Appends @tag.  No allocation but the list's own growth. */
static inline void
cx_tag_list_add(CxTagList *l, guint32 tag)
{
  gint64 d = (gint64)tag - (gint64)l->last;
  guint64 z = ((guint64)d << 1) ^ (guint64)(d >> 63);
  guint8 buf[10];
  guint k = 0;
  do {
    guint8 b = z & 0x7f;
    z >>= 7;
    buf[k++] = b | (z != 0 ? 0x80 : 0);
  } while (z != 0);
  if (l->bytes == NULL)
    l->bytes = g_byte_array_new();
  g_byte_array_append(l->bytes, buf, k);
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

G_END_DECLS
