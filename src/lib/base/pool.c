/* String pool: open addressing over 64-bit slots (hash << 32 | id + 1), so a
 * probe rejects a different string without touching it; entries keep hash,
 * length and pointer together (one cache line visit per hit); strings live
 * in a GStringChunk.  Slots and entries past 256 KiB are in huge pages
 * (cx_big_alloc): a case pool of a big log would otherwise fault in 4 KiB
 * pages by the thousand, at microseconds each on a virtual machine. */
#include "hash-private.h"
#include "mem-private.h"
#include "cxmine/log.h"
#include <string.h>

typedef struct {
  const char *str;
  guint32 len;
  guint32 hash;
} Entry;

/* A direct-mapped cache in front of the table: the names of a log repeat
 * (activities, resources, channels), and a hit costs one load and compare
 * instead of hashing the whole name. An empty entry has len G_MAXUINT32. */
#define FRONT_BITS 6
typedef struct {
  guint64 head; /* first (up to) eight bytes */
  guint32 len;
  guint32 id;
} Front;

struct _CxPool {
  Front front[1 << FRONT_BITS];
  GStringChunk *chunk;
  Entry *entries;
  guint32 n, cap;
  guint64 *slots; /* 0 = empty */
  guint32 mask;
};

/* The pool's hash of a name: the low half of the 64-bit one. */
static inline guint32
hash_bytes(const char *s, gsize len)
{
  return (guint32)cx_hash_bytes(s, len);
}

static inline gboolean
same_bytes(const char *a, const char *b, gsize len)
{
  if (len < 8) {
    for (gsize i = 0; i < len; i++)
      if (a[i] != b[i])
        return FALSE;
    return TRUE;
  }
  for (gsize i = 0; i + 8 <= len; i += 8)
    if (cx_load8(a + i) != cx_load8(b + i))
      return FALSE;
  return cx_load8(a + len - 8) == cx_load8(b + len - 8);
}

static void
grow(CxPool *pool)
{
  guint32 cap = (pool->mask + 1) * 2;
  cx_big_free(pool->slots, sizeof(guint64) * ((gsize)pool->mask + 1));
  pool->slots = cx_big_alloc0(sizeof(guint64) * (gsize)cap);
  pool->mask = cap - 1;
  for (guint32 id = 0; id < pool->n; id++) {
    guint32 h = pool->entries[id].hash;
    guint32 i = h & pool->mask;
    while (pool->slots[i] != 0)
      i = (i + 1) & pool->mask;
    pool->slots[i] = ((guint64)h << 32) | (id + 1);
  }
}

CxPool *
cx_pool_new(void)
{
  CxPool *pool = g_new0(CxPool, 1);
  for (gsize i = 0; i < G_N_ELEMENTS(pool->front); i++)
    pool->front[i].len = G_MAXUINT32;
  pool->chunk = g_string_chunk_new(64 * 1024);
  pool->cap = 64;
  pool->entries = cx_big_alloc(sizeof(Entry) * pool->cap);
  pool->mask = 127;
  pool->slots = cx_big_alloc0(sizeof(guint64) * ((gsize)pool->mask + 1));
  cx_pool_intern(pool, "", 0);
  return pool;
}

void
cx_pool_clear(CxPool *pool)
{
  for (gsize i = 0; i < G_N_ELEMENTS(pool->front); i++)
    pool->front[i].len = G_MAXUINT32;
  g_string_chunk_clear(pool->chunk);
  pool->n = 0;
  memset(pool->slots, 0, sizeof(guint64) * ((gsize)pool->mask + 1));
  cx_pool_intern(pool, "", 0);
}

void
cx_pool_free(CxPool *pool)
{
  if (pool == NULL)
    return;
  g_string_chunk_free(pool->chunk);
  cx_big_free(pool->entries, sizeof(Entry) * pool->cap);
  cx_big_free(pool->slots, sizeof(guint64) * ((gsize)pool->mask + 1));
  g_free(pool);
}

static inline guint32
find(const CxPool *pool, const char *s, gsize len, guint32 h, guint32 *slot)
{
  guint32 i = h & pool->mask;
  for (;;) {
    guint64 v = pool->slots[i];
    if (v == 0) {
      *slot = i;
      return G_MAXUINT32;
    }
    if ((guint32)(v >> 32) == h) {
      guint32 id = (guint32)v - 1;
      const Entry *e = &pool->entries[id];
      if (e->len == len && same_bytes(e->str, s, len))
        return id;
    }
    i = (i + 1) & pool->mask;
  }
}

static inline guint64
head_of(const char *s, gsize len)
{
  if (len >= 8)
    return cx_load8(s);
  guint64 w = 0;
  for (gsize k = 0; k < len; k++)
    w |= (guint64)(guint8)s[k] << (8 * k);
  return w;
}

guint32
cx_pool_intern(CxPool *pool, const char *s, gssize len)
{
  gsize n = len < 0 ? strlen(s) : (gsize)len;
  guint64 head = head_of(s, n);
  Front *f
      = &pool->front[((head ^ n) * G_GUINT64_CONSTANT(0x9e3779b97f4a7c15)) >> (64 - FRONT_BITS)];
  if (f->len == n && f->head == head
      && (n <= 8 || same_bytes(pool->entries[f->id].str + 8, s + 8, n - 8)))
    return f->id;
  guint32 h = hash_bytes(s, n);
  guint32 slot = 0;
  guint32 id = find(pool, s, n, h, &slot);
  if (id != G_MAXUINT32) {
    f->head = head;
    f->len = (guint32)n;
    f->id = id;
    return id;
  }
  g_return_val_if_fail(n < G_MAXUINT32 && pool->n < G_MAXUINT32 - 1, CX_ID_NONE);
  if (pool->n == pool->cap) {
    pool->entries
        = cx_big_resize(pool->entries, sizeof(Entry) * pool->cap, sizeof(Entry) * pool->cap * 2);
    pool->cap *= 2;
  }
  id = pool->n++;
  pool->entries[id].str = g_string_chunk_insert_len(pool->chunk, s, (gssize)n);
  pool->entries[id].len = (guint32)n;
  pool->entries[id].hash = h;
  pool->slots[slot] = ((guint64)h << 32) | (id + 1);
  f->head = head;
  f->len = (guint32)n;
  f->id = id;
  if ((guint64)pool->n * 2 > (guint64)(pool->mask + 1))
    grow(pool);
  return id;
}

guint32
cx_pool_lookup(const CxPool *pool, const char *s, gssize len)
{
  gsize n = len < 0 ? strlen(s) : (gsize)len;
  guint32 slot = 0;
  return find(pool, s, n, hash_bytes(s, n), &slot);
}

void
cx_pool_prefetch(const CxPool *pool, const char *s, gsize len)
{
  cx_prefetch(&pool->slots[hash_bytes(s, len) & pool->mask]);
}

const char *
cx_pool_get(const CxPool *pool, guint32 id)
{
  g_return_val_if_fail(id < pool->n, "");
  return pool->entries[id].str;
}

guint
cx_pool_size(const CxPool *pool)
{
  return pool->n;
}
