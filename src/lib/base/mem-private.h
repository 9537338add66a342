/* cxmine — big memory, faulted in cheaply.  A page fault costs about 10 us
 * on the bench machine (a virtual machine), and populating 4 KiB pages in
 * one call 1 to 8 us a page (measured on different days), so memory that
 * is sure to be written in full is mapped with transparent huge pages
 * asked for (a fault per 2 MiB; 2 MiB the system took back since it was
 * last used cost 1 to 3 ms, reused ones about 0.1 ms), the rest populated in one
 * call.  Used by the sink's buffers (journey/buffer.c), a split file's
 * chunks (read/chunk.c), the grouping's index (journey/build.c), the
 * string pool's tables (base/pool.c) and the exact samples of a measure
 * (analysis/quantiles.c). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* @bytes of fresh anonymous memory to be written in full: from a 2 MiB
 * boundary past 2 MiB, with huge pages asked for where whole ones fit; the
 * rest (a small mapping, the end of a big one) faulted in at once.  NULL
 * when the system refuses or does not map memory this way.  Free with
 * cx_mem_unmap() and the same @bytes. */
void *cx_mem_map(gsize bytes);
void cx_mem_unmap(void *p, gsize bytes);
/* Grows the mapping @p of @bytes (from cx_mem_map()) to @new_bytes: a
 * mapping as cx_mem_map() makes, its whole huge pages moved from @p (not
 * copied), the rest copied; NULL (@p unchanged) when the system refuses. */
void *cx_mem_remap(void *p, gsize bytes, gsize new_bytes);
/* Heap memory (freed with g_free()) of *@bytes rounded up to whole 2 MiB
 * pages, aligned to them, with huge pages asked for; *@bytes becomes the
 * size allocated.  NULL (nothing changed) when the system refuses or has
 * no huge pages. */
void *cx_mem_huge_alloc(gsize *bytes);
/* Past this many bytes an array is a mapping (cx_mem_map), else heap. */
#define CX_BIG_MIN (256u << 10)
/* Resizes @p of @bytes (a mapping from CX_BIG_MIN on, else heap memory;
 * NULL for none) to exactly @new_bytes, the same way by size, keeping its
 * first @keep bytes: a mapping grows by moving its whole huge pages, and
 * huge pages are asked for before a copy into a new mapping touches them.
 * NULL (@p unchanged) when the system refuses.  Free with cx_mem_free()
 * and the same size. */
void *cx_mem_resize(void *p, gsize bytes, gsize new_bytes, gsize keep);
void cx_mem_free(void *p, gsize bytes);
/* What @bytes take as a big array: from CX_BIG_MIN on, whole huge pages. */
gsize cx_big_size(gsize bytes);
/* Memory for a big array (@bytes): past 256 KiB mapped as cx_mem_map()
 * does, in whole huge pages (cx_big_size), else from the heap; aborts
 * like g_malloc() when the system refuses.  Free with cx_big_free() and
 * the same @bytes. */
void *cx_big_alloc(gsize bytes);
/* The same, zeroed. */
void *cx_big_alloc0(gsize bytes);
/* Resizes @p (from cx_big_alloc(@bytes), or NULL) to @new_bytes, keeping
 * what fits: whole huge pages move without a copy; aborts when the system
 * refuses. */
void *cx_big_resize(void *p, gsize bytes, gsize new_bytes);
void cx_big_free(void *p, gsize bytes);
/* Grows heap memory @p (from g_malloc(), or NULL) to @bytes, of which
 * the first @used are kept: the pages they are copied to are faulted in
 * with one call first (realloc would fault them in one by one).  Free
 * with g_free(). */
gpointer cx_mem_grow(gpointer p, gsize used, gsize bytes);
/* A hint: @p will be read soon; starts loading it into the cache. */
static inline void
cx_prefetch(const void *p)
{
#if defined(__GNUC__) || defined(__clang__)
  __builtin_prefetch(p);
#else
  (void)p;
#endif
}
/* Faults in the whole pages of [@p, @p + @bytes) for writing in one call,
 * where the system can (nothing happens otherwise). */
void cx_mem_populate(void *p, gsize bytes);

G_END_DECLS
