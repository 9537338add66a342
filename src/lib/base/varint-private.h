/* cxmine — variable-length integers: LEB128 (seven bits a byte, low
 * first, the high bit set on every byte but the last) and zigzag (signed
 * to unsigned, small magnitudes small).  Used by the compact lists kept in
 * memory (analysis/tag-list-private.h) and by the partial files
 * (analysis/partial-codec.c), which read untrusted bytes: cx_varint_get()
 * checks the end and the width. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Appends @v to @out. */
static inline void
cx_varint_put(GByteArray *out, guint64 v)
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

/* Reads one number at *@p (before @end) into @v, moving *@p past it; FALSE
 * (and *@p unmoved) when it is cut short or wider than 64 bits. */
static inline gboolean
cx_varint_get(const guint8 **p, const guint8 *end, guint64 *v)
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
cx_zigzag(gint64 v)
{
  return ((guint64)v << 1) ^ (guint64)(v >> 63);
}

static inline gint64
cx_unzigzag(guint64 z)
{
  return (gint64)(z >> 1) ^ -(gint64)(z & 1);
}

G_END_DECLS
