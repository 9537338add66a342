/* cxmine — hashing guint64 keys (edge keys from << 32 | to) for GHashTable. */
#pragma once

#include <glib.h>

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
