/* cxmine — hashing guint64 keys (edge keys from << 32 | to) for GHashTable. */
#pragma once

#include <glib.h>

/* A 64-bit finaliser: both halves of the key reach the low bits, so A -> B
 * and B -> A do not collide as they would with g_int64_hash. */
static inline guint
cx_u64_hash(gconstpointer p)
{
  guint64 k = *(const guint64 *)p;
  k ^= k >> 33;
  k *= G_GUINT64_CONSTANT(0xff51afd7ed558ccd);
  k ^= k >> 33;
  return (guint)k;
}

static inline gboolean
cx_u64_equal(gconstpointer a, gconstpointer b)
{
  return *(const guint64 *)a == *(const guint64 *)b;
}
