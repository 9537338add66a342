/* String pool: open addressing over (hash, id); strings live in a GStringChunk. */
#include "cxmine/log.h"
#include <string.h>

struct _CxPool {
  GStringChunk *chunk;
  GPtrArray *strings; /* id -> const char * (in chunk) */
  GArray *lengths;    /* id -> guint32 */
  GArray *hashes;     /* id -> guint32 */
  guint32 *slots;     /* id + 1, 0 = empty */
  guint32 mask;
};

static guint32
hash_bytes(const char *s, gsize len)
{
  guint32 h = 2166136261u;
  for (gsize i = 0; i < len; i++) {
    h ^= (guint8)s[i];
    h *= 16777619u;
  }
  return h;
}

static void
grow(CxPool *pool)
{
  guint32 cap = (pool->mask + 1) * 2;
  g_free(pool->slots);
  pool->slots = g_new0(guint32, cap);
  pool->mask = cap - 1;
  for (guint32 id = 0; id < pool->strings->len; id++) {
    guint32 h = g_array_index(pool->hashes, guint32, id);
    guint32 i = h & pool->mask;
    while (pool->slots[i] != 0)
      i = (i + 1) & pool->mask;
    pool->slots[i] = id + 1;
  }
}

CxPool *
cx_pool_new(void)
{
  CxPool *pool = g_new0(CxPool, 1);
  pool->chunk = g_string_chunk_new(64 * 1024);
  pool->strings = g_ptr_array_new();
  pool->lengths = g_array_new(FALSE, FALSE, sizeof(guint32));
  pool->hashes = g_array_new(FALSE, FALSE, sizeof(guint32));
  pool->mask = 63;
  pool->slots = g_new0(guint32, pool->mask + 1);
  cx_pool_intern(pool, "", 0);
  return pool;
}

void
cx_pool_free(CxPool *pool)
{
  if (pool == NULL)
    return;
  g_string_chunk_free(pool->chunk);
  g_ptr_array_free(pool->strings, TRUE);
  g_array_free(pool->lengths, TRUE);
  g_array_free(pool->hashes, TRUE);
  g_free(pool->slots);
  g_free(pool);
}

static guint32
find(const CxPool *pool, const char *s, gsize len, guint32 h, guint32 *slot)
{
  guint32 i = h & pool->mask;
  for (;;) {
    guint32 v = pool->slots[i];
    if (v == 0) {
      *slot = i;
      return G_MAXUINT32;
    }
    guint32 id = v - 1;
    if (g_array_index(pool->hashes, guint32, id) == h
        && g_array_index(pool->lengths, guint32, id) == len
        && memcmp(g_ptr_array_index(pool->strings, id), s, len) == 0)
      return id;
    i = (i + 1) & pool->mask;
  }
}

guint32
cx_pool_intern(CxPool *pool, const char *s, gssize len)
{
  gsize n = len < 0 ? strlen(s) : (gsize)len;
  guint32 h = hash_bytes(s, n);
  guint32 slot;
  guint32 id = find(pool, s, n, h, &slot);
  if (id != G_MAXUINT32)
    return id;
  id = pool->strings->len;
  g_ptr_array_add(pool->strings, g_string_chunk_insert_len(pool->chunk, s, (gssize)n));
  guint32 n32 = (guint32)n;
  g_array_append_val(pool->lengths, n32);
  g_array_append_val(pool->hashes, h);
  pool->slots[slot] = id + 1;
  if ((gsize)pool->strings->len * 4 > (gsize)(pool->mask + 1) * 3)
    grow(pool);
  return id;
}

guint32
cx_pool_lookup(const CxPool *pool, const char *s, gssize len)
{
  gsize n = len < 0 ? strlen(s) : (gsize)len;
  guint32 slot;
  return find(pool, s, n, hash_bytes(s, n), &slot);
}

const char *
cx_pool_get(const CxPool *pool, guint32 id)
{
  g_return_val_if_fail(id < pool->strings->len, "");
  return g_ptr_array_index(pool->strings, id);
}

guint
cx_pool_size(const CxPool *pool)
{
  return pool->strings->len;
}
