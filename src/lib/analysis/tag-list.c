/* Compact tag and sample lists (tag-list-private.h): decoding and
 * appending. */
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
    v += cx_unzigzag(cx_list_get(&p, end));
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

/* The samples are coded one by one, not from the one before: the bytes
 * carry over as they are. */
void
cx_sample_list_append(CxSampleList *dst, const CxSampleList *src)
{
  if (src->n == 0)
    return;
  if (dst->bytes == NULL)
    dst->bytes = g_byte_array_new();
  g_byte_array_append(dst->bytes, src->bytes->data, src->bytes->len);
  dst->n += src->n;
}

void
cx_sample_list_clear(CxSampleList *l)
{
  if (l->bytes != NULL)
    g_byte_array_free(l->bytes, TRUE);
  *l = (CxSampleList){ 0 };
}
