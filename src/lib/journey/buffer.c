/* The sink's big buffers and the memory budget they share. */
#include "sink-internal.h"
#include "mem-private.h"
#include <string.h>
#ifdef __linux__
#include <sys/mman.h>
#endif

void
cx_buffer_init(CxBuffer *b, gsize elem, CxBudget *mem)
{
  memset(b, 0, sizeof *b);
  b->elem = elem;
  b->mem = mem;
}

void
cx_buffer_clear(CxBuffer *b)
{
  cx_mem_free(b->data, b->bytes);
  b->mem->used -= MIN(b->mem->used, b->bytes);
  cx_buffer_init(b, b->elem, b->mem);
}

/* Reallocates @b to @bytes (the budget was checked), accounting them:
 * from CX_BIG_MIN on a mapping with huge pages (a page fault costs
 * microseconds: a buffer's first touches then cost one per 2 MiB, and it
 * grows by mremap without copying). */
static gboolean
set_bytes(CxBuffer *b, gsize bytes)
{
  CxBudget *m = b->mem;
  guint8 *p = cx_mem_resize(b->data, b->bytes, bytes, b->len * b->elem);
  if (p == NULL) {
    m->want = m->used - b->bytes + bytes;
    m->refused = TRUE;
    return FALSE;
  }
  m->used = m->used - b->bytes + bytes;
  b->data = p;
  b->bytes = bytes;
  b->cap = bytes / b->elem;
  return TRUE;
}

gboolean
cx_buffer_reserve(CxBuffer *b, gsize need)
{
  if (need <= b->cap)
    return TRUE;
  gsize cap = MAX(need, b->cap < 1024 ? 1024 : b->cap * 2);
  gsize bytes = cx_big_size(cap * b->elem);
  CxBudget *m = b->mem;
  if (m->used - b->bytes + bytes > m->budget) {
    /* the last doubling may not fit where the elements asked for still do */
    gsize tight = need * b->elem;
    if (m->used - b->bytes + tight > m->budget) {
      m->want = m->used - b->bytes + tight;
      return FALSE;
    }
    bytes = (m->budget - (m->used - b->bytes)) & ~(gsize)4095;
    if (bytes < tight)
      bytes = tight;
  }
  return set_bytes(b, bytes);
}

gboolean
cx_buffer_widen(CxBuffer *b, gsize elem)
{
  g_return_val_if_fail(elem > b->elem, FALSE);
  gsize cap = MAX(b->cap, 1);
  g_return_val_if_fail(cap * elem / elem == cap, FALSE);
  gsize bytes = cx_big_size(cap * elem);
  CxBudget *m = b->mem;
  if (m->used - b->bytes + bytes > m->budget) {
    m->want = m->used - b->bytes + bytes;
    return FALSE;
  }
  if (!set_bytes(b, bytes))
    return FALSE;
  b->elem = elem;
  b->cap = bytes / elem;
  return TRUE;
}

void
cx_buffer_release(CxBuffer *b, gsize from, gsize to)
{
#ifdef __linux__
  gsize page = 4096;
  gsize lo = (from * b->elem + page - 1) & ~(page - 1);
  gsize hi = MIN(to * b->elem, b->bytes) & ~(page - 1);
  if (b->bytes >= CX_BIG_MIN && lo < hi)
    madvise(b->data + lo, hi - lo, MADV_DONTNEED);
#else
  (void)b;
  (void)from;
  (void)to;
#endif
}

gboolean
cx_buffers_reserve(CxBuffer **bufs, guint n, gsize need, gsize along)
{
  gsize per = 0, mine = 0, cap0 = G_MAXSIZE;
  for (guint i = 0; i < n; i++) {
    per += bufs[i]->elem;
    mine += bufs[i]->bytes;
    cap0 = MIN(cap0, bufs[i]->cap);
  }
  if (need <= cap0)
    return TRUE;
  CxBudget *m = bufs[0]->mem;
  gsize others = m->used - MIN(m->used, mine);
  gsize room = m->budget > others ? (m->budget - others) / (per + along) : 0;
  gsize cap = MIN(MAX(need, cap0 < 1024 ? 1024 : cap0 * 2), room);
  if (cap < need) {
    m->want = others + need * per;
    return FALSE;
  }
  for (guint i = 0; i < n; i++)
    if (bufs[i]->cap < cap && !set_bytes(bufs[i], cap * bufs[i]->elem))
      return FALSE;
  return TRUE;
}

char *
cx_budget_text(gsize b)
{
  /* as --memory takes it (g_format_size would put a non-breaking space in) */
  return b % ((gsize)1 << 30) == 0   ? g_strdup_printf("%zu GiB", b >> 30)
         : b % ((gsize)1 << 20) == 0 ? g_strdup_printf("%zu MiB", b >> 20)
         : b % ((gsize)1 << 10) == 0 ? g_strdup_printf("%zu KiB", b >> 10)
                                     : g_strdup_printf("%zu bytes", b);
}

gboolean
cx_budget_error(const CxBudget *mem, GError **error)
{
  g_autofree char *budget = cx_budget_text(mem->budget);
  g_set_error(error, CX_READER_ERROR, CX_READER_ERROR_MEMORY,
              "out of memory: the grouped events need more than the memory budget of %s, "
              "beside what spills to disk (raise it with --memory SIZE)",
              budget);
  return FALSE;
}
