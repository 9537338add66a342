/* Compact tag lists (tag-list-private.h): decoding and appending. */
#include "tag-list-private.h"

GArray *
cx_tag_list_decode(const CxTagList *l)
{
  GArray *out = g_array_sized_new(FALSE, FALSE, sizeof(guint32), l->n);
  if (l->bytes == NULL)
    return out;
  g_array_set_size(out, l->n);
  guint32 *dst = (guint32 *)out->data;
  const guint8 *p = l->bytes->data, *end = p + l->bytes->len;
  gint64 v = 0;
  guint i = 0;
  while (p < end && i < l->n) {
    guint64 z = 0;
    guint shift = 0;
    guint8 b;
    do {
      b = *p++;
      z |= (guint64)(b & 0x7f) << shift;
      shift += 7;
    } while ((b & 0x80) && p < end);
    v += (gint64)(z >> 1) ^ -(gint64)(z & 1);
    dst[i++] = (guint32)v;
  }
  g_assert(i == l->n);
  return out;
}

void
cx_tag_list_append(CxTagList *dst, const CxTagList *src)
{
  if (src->n == 0)
    return;
  g_autoptr(GArray) tags = cx_tag_list_decode(src);
  for (guint i = 0; i < tags->len; i++)
    cx_tag_list_add(dst, g_array_index(tags, guint32, i));
}

void
cx_tag_list_clear(CxTagList *l)
{
  if (l->bytes != NULL)
    g_byte_array_free(l->bytes, TRUE);
  *l = (CxTagList){ 0 };
}
