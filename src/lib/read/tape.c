/* A tape of records in blocks (tape-private.h). */
#include "tape-private.h"
#include "mem-private.h"

/* Small first blocks: many chunks are small, and a tape lives only while
 * its chunk is in flight. */
#define FIRST_BLOCK (64 * 1024)
#define MAX_BLOCK   (1024 * 1024)

typedef struct {
  gsize len, cap;
  gsize faulted; /* the bytes of data whose pages are faulted in */
  guint8 data[];
} Block;

struct _CxTape {
  GPtrArray *blocks; /* Block*; kept when the tape is reset */
  guint cur;         /* the one being filled */
};

/* A block's pages are faulted in a step at a time before records are
 * written to them, one call a step (mem-private.h: a page fault costs about
 * 10 us on the bench machine); a step, not the whole block, so that the
 * unwritten end of a tape's last block takes no memory. */
#define FAULT_STEP (64 * 1024)

static Block *
block_new(gsize cap)
{
  Block *b = g_malloc(sizeof(Block) + cap);
  b->faulted = 0;
  b->len = 0;
  b->cap = cap;
  return b;
}

CxTape *
cx_tape_new(void)
{
  CxTape *t = g_new0(CxTape, 1);
  t->blocks = g_ptr_array_new_with_free_func(g_free);
  g_ptr_array_add(t->blocks, block_new(FIRST_BLOCK));
  return t;
}

void
cx_tape_free(CxTape *t)
{
  if (t == NULL)
    return;
  g_ptr_array_free(t->blocks, TRUE);
  g_free(t);
}

guint8 *
cx_tape_put(CxTape *t, gsize len)
{
  len = (len + 7) & ~(gsize)7;
  Block *b = g_ptr_array_index(t->blocks, t->cur);
  if (G_UNLIKELY(b->len + len > b->cap)) {
    /* the next block kept from an earlier use, or a new one twice the
     * last, up to 1 MiB (more for one big record) */
    Block *next = t->cur + 1 < t->blocks->len ? g_ptr_array_index(t->blocks, t->cur + 1) : NULL;
    if (next == NULL || next->cap < len) {
      next = block_new(MAX(MIN(b->cap * 2, (gsize)MAX_BLOCK), len));
      g_ptr_array_insert(t->blocks, (gint)t->cur + 1, next);
    }
    b = next;
    t->cur++;
  }
  if (G_UNLIKELY(b->len + len > b->faulted)) {
    gsize upto = MIN(b->cap, MAX(b->faulted + FAULT_STEP, b->len + len));
    cx_mem_populate(b->data + b->faulted, upto - b->faulted);
    b->faulted = upto;
  }
  guint8 *p = b->data + b->len;
  b->len += len;
  return p;
}

gsize
cx_tape_bytes(const CxTape *t)
{
  gsize n = 0;
  for (guint i = 0; i < t->blocks->len; i++)
    n += sizeof(Block) + ((const Block *)g_ptr_array_index(t->blocks, i))->cap;
  return n;
}

void
cx_tape_reset(CxTape *t)
{
  /* the blocks stay: a reused tape seldom allocates (and never touches
   * fresh pages) */
  for (guint i = 0; i <= t->cur; i++)
    ((Block *)g_ptr_array_index(t->blocks, i))->len = 0;
  t->cur = 0;
}

gboolean
cx_tape_play(CxTape *t, CxTapeFunc play, gpointer data, GError **error)
{
  for (guint i = 0; i <= t->cur; i++) {
    Block *b = g_ptr_array_index(t->blocks, i);
    if (b->len > 0 && !play(data, b->data, b->len, error))
      return FALSE;
  }
  return TRUE;
}
