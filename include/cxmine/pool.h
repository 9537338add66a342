/* cxmine — string pools: each activity, resource, channel, case and
 * attribute name is interned once and known by a small integer id.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The "none" id in every pool: the empty string. Real names start at 1. */
#define CX_ID_NONE 0u

typedef struct _CxPool CxPool;

/* Returns a new pool holding only the empty string at id CX_ID_NONE. Free with cx_pool_free(). */
CxPool *cx_pool_new(void);
void cx_pool_free(CxPool *pool);
/* Forgets every string (ids start again from 1), keeping the memory. */
void cx_pool_clear(CxPool *pool);
/* Returns the id of @s (@len bytes, or NUL-terminated when @len < 0), adding it when new. */
guint32 cx_pool_intern(CxPool *pool, const char *s, gssize len);
/* Returns the id of @s, or G_MAXUINT32 when it is not in the pool. */
guint32 cx_pool_lookup(const CxPool *pool, const char *s, gssize len);
/* A hint: @s (@len bytes) will be interned soon; starts loading its table
 * slot into the cache. */
void cx_pool_prefetch(const CxPool *pool, const char *s, gsize len);
/* Returns the string of @id (owned by the pool, NUL-terminated). */
const char *cx_pool_get(const CxPool *pool, guint32 id);
/* Returns the number of ids, including CX_ID_NONE. */
guint cx_pool_size(const CxPool *pool);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(CxPool, cx_pool_free)

G_END_DECLS
