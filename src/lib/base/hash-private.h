/* cxmine — hashing: guint64 keys (edge keys from << 32 | to) for
 * GHashTable and tables of their own, and byte strings (the string pool's
 * names, the case fingerprints of a streamed log). */
#pragma once

#include <glib.h>
#include <string.h>

/* A 64-bit finaliser: both halves of the key reach the low bits, so A -> B
 * and B -> A do not collide as they would with g_int64_hash.  For tables of
 * their own (open addressing) as well as for GHashTable. */
static inline guint64
cx_u64_mix(guint64 k)
{
  k ^= k >> 33;
  k *= G_GUINT64_CONSTANT(0xff51afd7ed558ccd);
  k ^= k >> 33;
  return k;
}

static inline guint
cx_u64_hash(gconstpointer p)
{
  return (guint)cx_u64_mix(*(const guint64 *)p);
}

static inline gboolean
cx_u64_equal(gconstpointer a, gconstpointer b)
{
  return *(const guint64 *)a == *(const guint64 *)b;
}

/* Eight bytes at @s, unaligned. */
static inline guint64
cx_load8(const char *s)
{
  guint64 w;
  memcpy(&w, s, 8);
  return w;
}

static inline guint64
cx_hash_step(guint64 h, guint64 w)
{
  h ^= w;
  h *= G_GUINT64_CONSTANT(0x9e3779b97f4a7c15);
  return h ^ (h >> 29);
}

/* A 64-bit hash of @len bytes at @s, eight bytes at a time: names are
 * hashed once per event, so this is hot.  The tail is read as the last
 * eight bytes (overlapping) when there are that many. */
static inline guint64
cx_hash_bytes(const char *s, gsize len)
{
  guint64 h = G_GUINT64_CONSTANT(0x243f6a8885a308d3) ^ len;
  gsize i = 0;
  for (; i + 8 <= len; i += 8)
    h = cx_hash_step(h, cx_load8(s + i));
  if (i < len) {
    guint64 w = 0;
    if (len >= 8)
      w = cx_load8(s + len - 8);
    else
      for (gsize k = 0; k < len; k++)
        w |= (guint64)(guint8)s[k] << (8 * k);
    h = cx_hash_step(h, w);
  }
  h *= G_GUINT64_CONSTANT(0xff51afd7ed558ccd);
  return h ^ (h >> 32);
}
