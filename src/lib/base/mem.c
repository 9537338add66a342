/* Big memory, faulted in cheaply (mem-private.h). */
#include "mem-private.h"
#ifdef __linux__
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>
#endif

/* past this, cx_big_alloc maps */
#define BIG_MIN (256u << 10)

void *
cx_mem_map(gsize bytes)
{
#ifdef __linux__
  void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED)
    return NULL;
  madvise(p, bytes, MADV_HUGEPAGE);
  return p;
#else
  (void)bytes;
  return NULL;
#endif
}

void *
cx_mem_huge_alloc(gsize *bytes)
{
#ifdef __linux__
  const gsize huge = 2u << 20;
  gsize size = (*bytes + huge - 1) & ~(huge - 1);
  void *p = NULL;
  if (size >= *bytes && posix_memalign(&p, huge, size) == 0) {
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
cx_big_alloc(gsize bytes)
{
#ifdef __linux__
  if (bytes >= BIG_MIN) {
    void *p = cx_mem_map(bytes);
    if (p == NULL)
      g_error("%s: failed to allocate %" G_GSIZE_FORMAT " bytes", G_STRLOC, bytes);
    return p;
  }
#endif
  return g_malloc(MAX(bytes, 1));
}

void
cx_big_free(void *p, gsize bytes)
{
  if (p == NULL)
    return;
#ifdef __linux__
  if (bytes >= BIG_MIN) {
    munmap(p, bytes);
    return;
  }
#endif
  g_free(p);
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
