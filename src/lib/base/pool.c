/* String pool: open addressing over 16-byte slots that hold a name's
 * first eight bytes, its length and id, so a probe decides a name of up to
 * eight bytes (most case ids, every short code) without leaving the slot,
 * and rejects a different longer one without touching it; entries keep
 * hash, length and pointer together (one cache line visit per longer hit);
 * strings live in a GStringChunk. */
#include "hash-private.h"
#include "mem-private.h"
#include "cxmine/log.h"
#include <string.h>

typedef struct {
  const char *str;
  guint32 len;
  guint32 hash;
} Entry;

typedef struct {
  guint64 head; /* the name's first (up to) eight bytes, zero-padded */
  guint32 id;   /* id + 1; 0 = empty */
  guint16 hash; /* bits 16..31 of the hash: a longer name's first test */
  guint16 len;  /* the length, SLOT_LONG from there on */
} Slot;

#define SLOT_LONG 0xFFFFu

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
  Slot *slots;
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

static inline void
slot_set(Slot *slot, const char *s, gsize len, guint32 h, guint32 id)
{
  slot->head = head_of(s, len);
  slot->id = id + 1;
  slot->hash = (guint16)(h >> 16);
  slot->len = (guint16)MIN(len, SLOT_LONG);
}

static void
grow(CxPool *pool)
{
  guint32 cap = (pool->mask + 1) * 2;
  cx_big_free(pool->slots, sizeof(Slot) * ((gsize)pool->mask + 1));
  pool->slots = cx_big_alloc0(sizeof(Slot) * (gsize)cap);
  pool->mask = cap - 1;
  for (guint32 id = 0; id < pool->n; id++) {
    const Entry *e = &pool->entries[id];
    guint32 i = e->hash & pool->mask;
    while (pool->slots[i].id != 0)
      i = (i + 1) & pool->mask;
    slot_set(&pool->slots[i], e->str, e->len, e->hash, id);
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
  pool->slots = cx_big_alloc0(sizeof(Slot) * ((gsize)pool->mask + 1));
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
  memset(pool->slots, 0, sizeof(Slot) * ((gsize)pool->mask + 1));
  cx_pool_intern(pool, "", 0);
}

void
cx_pool_free(CxPool *pool)
{
  if (pool == NULL)
    return;
  g_string_chunk_free(pool->chunk);
  cx_big_free(pool->entries, sizeof(Entry) * pool->cap);
  cx_big_free(pool->slots, sizeof(Slot) * ((gsize)pool->mask + 1));
  g_free(pool);
}

/* The id of @s (@head its first bytes, @h its hash), or G_MAXUINT32 with
 * *@slot the empty slot it would take. */
static inline guint32
find(const CxPool *pool, const char *s, gsize len, guint64 head, guint32 h, guint32 *slot)
{
  guint32 i = h & pool->mask;
  guint16 tag = (guint16)(h >> 16);
  guint16 n = (guint16)MIN(len, SLOT_LONG);
  for (;;) {
    const Slot *v = &pool->slots[i];
    if (v->id == 0) {
      *slot = i;
      return G_MAXUINT32;
    }
    if (v->head == head && v->len == n && v->hash == tag) {
      /* eight bytes or fewer: the slot holds all of it */
      if (len <= 8)
        return v->id - 1;
      const Entry *e = &pool->entries[v->id - 1];
      if (e->len == len && same_bytes(e->str + 8, s + 8, len - 8))
        return v->id - 1;
    }
    i = (i + 1) & pool->mask;
  }
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
  guint32 id = find(pool, s, n, head, h, &slot);
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
  slot_set(&pool->slots[slot], s, n, h, id);
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
  return find(pool, s, n, head_of(s, n), hash_bytes(s, n), &slot);
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
