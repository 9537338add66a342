/* Big memory, faulted in cheaply (mem-private.h). */
#define _GNU_SOURCE /* mremap */
#include "mem-private.h"
#include <string.h>
#ifdef __linux__
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>
#endif

/* a huge page */
#define HUGE (2u << 20)

/* The bytes mapped for @bytes: whole pages (0 when too many) */
static gsize
mapped_size(gsize bytes)
{
  gsize page = (gsize)sysconf(_SC_PAGESIZE);
  gsize size = (bytes + page - 1) & ~(page - 1);
  return size < bytes ? 0 : size;
}

void *
cx_mem_map(gsize bytes)
{
#ifdef __linux__
  /* past 2 MiB the mapping starts at a 2 MiB boundary (mapped with room to
   * spare, the spare unmapped), or none of it could be in huge pages when
   * the system places it elsewhere (a huge page needs a whole 2 MiB of the
   * mapping at such a boundary) */
  gsize size = mapped_size(bytes);
  gsize extra = size >= HUGE ? HUGE : 0;
  if (size == 0 || size + extra < size)
    return NULL;
  guint8 *p = mmap(NULL, size + extra, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED)
    return NULL;
  if (extra > 0) {
    guint8 *at = (guint8 *)(((guintptr)p + HUGE - 1) & ~(guintptr)(HUGE - 1));
    if (at > p)
      munmap(p, (gsize)(at - p));
    if (at + size < p + size + extra)
      munmap(at + size, (gsize)(p + size + extra - (at + size)));
    p = at;
  }
  /* what no huge page fits (all of a small mapping, the end of a big
   * one): its pages in one call, as many as asked for, not a whole huge
   * page that would be resident for a few bytes */
  gsize whole = size & ~(gsize)(HUGE - 1);
  if (whole > 0)
    madvise(p, whole, MADV_HUGEPAGE);
  cx_mem_populate(p + whole, size - whole);
  return p;
#else
  (void)bytes;
  return NULL;
#endif
}

void
cx_mem_unmap(void *p, gsize bytes)
{
#ifdef __linux__
  if (p != NULL)
    munmap(p, mapped_size(bytes));
#else
  (void)p;
  (void)bytes;
#endif
}

void *
cx_mem_remap(void *p, gsize bytes, gsize new_bytes)
{
#ifdef __linux__
  /* to a fresh mapping as cx_mem_map() makes: the whole huge pages move
   * (no copy, still huge), the rest (less than 2 MiB, or all of a small
   * mapping) is copied, into huge pages where the new mapping has them */
  guint8 *q = cx_mem_map(new_bytes);
  if (q == NULL)
    return NULL;
  guint8 *old = p;
  gsize size = mapped_size(bytes);
  gsize keep = ((guintptr)old & (HUGE - 1)) == 0 ? MIN(size, new_bytes) & ~(gsize)(HUGE - 1) : 0;
  if (keep > 0 && mremap(old, keep, keep, MREMAP_MAYMOVE | MREMAP_FIXED, q) == MAP_FAILED)
    keep = 0;
  if (MIN(bytes, new_bytes) > keep)
    memcpy(q + keep, old + keep, MIN(bytes, new_bytes) - keep);
  if (size > keep)
    munmap(old + keep, size - keep);
  return q;
#else
  (void)p;
  (void)bytes;
  (void)new_bytes;
  return NULL;
#endif
}

void *
cx_mem_huge_alloc(gsize *bytes)
{
#ifdef __linux__
  gsize size = (*bytes + HUGE - 1) & ~(gsize)(HUGE - 1);
  void *p = NULL;
  if (size >= *bytes && posix_memalign(&p, HUGE, size) == 0) {
    madvise(p, size, MADV_HUGEPAGE);
    *bytes = size;
    return p;
  }
#else
  (void)bytes;
#endif
  return NULL;
}

void *
cx_mem_resize(void *p, gsize bytes, gsize new_bytes, gsize keep)
{
  keep = MIN(keep, MIN(bytes, new_bytes));
#ifdef __linux__
  gboolean was = p != NULL && bytes >= CX_BIG_MIN, now = new_bytes >= CX_BIG_MIN;
  if (was && now)
    return bytes == new_bytes ? p : cx_mem_remap(p, bytes, new_bytes);
  if (now) {
    /* huge pages asked for before the copy touches them */
    void *q = cx_mem_map(new_bytes);
    if (q != NULL) {
      if (keep > 0)
        memcpy(q, p, keep);
      g_free(p);
    }
    return q;
  }
  if (was) {
    void *q = g_try_malloc(MAX(new_bytes, 1));
    if (q != NULL) {
      if (keep > 0)
        memcpy(q, p, keep);
      cx_mem_unmap(p, bytes);
    }
    return q;
  }
#endif
  return g_try_realloc(p, MAX(new_bytes, 1));
}

void
cx_mem_free(void *p, gsize bytes)
{
  if (p == NULL)
    return;
#ifdef __linux__
  if (bytes >= CX_BIG_MIN) {
    cx_mem_unmap(p, bytes);
    return;
  }
#endif
  g_free(p);
}

gsize
cx_big_size(gsize bytes)
{
#ifdef __linux__
  if (bytes >= CX_BIG_MIN) {
    gsize size = (bytes + HUGE - 1) & ~(gsize)(HUGE - 1);
    return size < bytes ? G_MAXSIZE : size; /* too big: no mapping is made */
  }
#endif
  return bytes;
}

static void *
or_abort(void *p, gsize bytes)
{
  if (p == NULL)
    g_error("%s: failed to allocate %" G_GSIZE_FORMAT " bytes", G_STRLOC, bytes);
  return p;
}

void *
cx_big_alloc(gsize bytes)
{
  return or_abort(cx_mem_resize(NULL, 0, cx_big_size(bytes), 0), bytes);
}

void *
cx_big_alloc0(gsize bytes)
{
#ifdef __linux__
  if (bytes >= CX_BIG_MIN)
    return cx_big_alloc(bytes); /* fresh mappings read as zeros */
#endif
  return g_malloc0(MAX(bytes, 1));
}

void *
cx_big_resize(void *p, gsize bytes, gsize new_bytes)
{
  return or_abort(cx_mem_resize(p, cx_big_size(bytes), cx_big_size(new_bytes), bytes), new_bytes);
}

void
cx_big_free(void *p, gsize bytes)
{
  cx_mem_free(p, cx_big_size(bytes));
}

gpointer
cx_mem_grow(gpointer p, gsize used, gsize bytes)
{
  g_return_val_if_fail(used <= bytes, p);
  guint8 *q = g_malloc(bytes);
  cx_mem_populate(q, used); /* the copy's pages: the rest as written */
  if (used > 0)
    memcpy(q, p, used);
  g_free(p);
  return q;
}

void
cx_mem_populate(void *p, gsize bytes)
{
#if defined(__linux__) && defined(MADV_POPULATE_WRITE)
  gsize page = (gsize)sysconf(_SC_PAGESIZE);
  guintptr lo = ((guintptr)p + page - 1) & ~(guintptr)(page - 1);
  guintptr hi = ((guintptr)p + bytes) & ~(guintptr)(page - 1);
  if (lo < hi)
    madvise((void *)lo, hi - lo, MADV_POPULATE_WRITE); /* older kernels: EINVAL, no harm */
#else
  (void)p;
  (void)bytes;
#endif
}
