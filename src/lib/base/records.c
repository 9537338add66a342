/* Records one per journey, past the first MiB on disk (records-private.h). */
#include "records-private.h"
#include "tmpfile-private.h"
#include <string.h>

/* a block's bytes at most, the bytes kept in memory, blocks in the cache */
#define BLOCK (64u << 10)
#define KEEP  (1u << 20)
#define CACHE 4u

struct _CxRecords {
  gsize size;   /* of a record */
  guint32 per;  /* records a block */
  guint32 keep; /* full blocks kept in memory, at most */
  guint64 n;    /* records */
  guint64 full; /* full blocks: mem's, then the file's */
  GPtrArray *mem;
  guint8 *open;          /* the block being filled: records full * per on */
  CxScratch file;        /* the blocks past mem's */
  guint64 cached[CACHE]; /* block + 1 in each cache slot, 0 = none */
  guint8 *cache[CACHE];
};

static gsize
block_bytes(const CxRecords *r)
{
  return r->per * r->size;
}

CxRecords *
cx_records_new(gsize size)
{
  g_return_val_if_fail(size > 0 && size <= BLOCK, NULL);
  CxRecords *r = g_new0(CxRecords, 1);
  r->size = size;
  r->per = (guint32)(BLOCK / size);
  r->keep = KEEP / BLOCK;
  const char *s = g_getenv("CXMINE_TEST_LIST_BLOCK");
  if (s != NULL && *s != '\0') {
    /* the test setting: blocks of as many records, all on disk */
    guint64 v = g_ascii_strtoull(s, NULL, 10);
    r->per = (guint32)CLAMP(v, 1u, (guint64)r->per);
    r->keep = 0;
  }
  r->mem = g_ptr_array_new_with_free_func(g_free);
  cx_scratch_init(&r->file, "cxmine-records", "an analysis's records of each journey");
  return r;
}

void
cx_records_free(CxRecords *r)
{
  if (r == NULL)
    return;
  cx_scratch_clear(&r->file);
  g_ptr_array_unref(r->mem);
  g_free(r->open);
  for (guint i = 0; i < CACHE; i++)
    g_free(r->cache[i]);
  g_free(r);
}

void
cx_records_reset(CxRecords *r)
{
  cx_scratch_reset(&r->file);
  g_ptr_array_set_size(r->mem, 0);
  memset(r->cached, 0, sizeof r->cached);
  r->n = r->full = 0;
}

gboolean
cx_records_check(const CxRecords *r, GError **error)
{
  return r == NULL || cx_scratch_check(&r->file, error);
}

guint64
cx_records_len(const CxRecords *r)
{
  return r->n;
}

/* The open block is full: kept in memory, else written to the file. */
static void
seal(CxRecords *r)
{
  if (r->full == r->mem->len && r->mem->len < r->keep)
    g_ptr_array_add(r->mem, g_steal_pointer(&r->open));
  else
    cx_scratch_put(&r->file, r->open, block_bytes(r), (r->full - r->mem->len) * block_bytes(r));
  r->full++;
}

void
cx_records_append(CxRecords *r, const void *rec)
{
  guint64 at = r->n - r->full * r->per;
  if (at == r->per) {
    seal(r);
    at = 0;
  }
  if (r->open == NULL)
    r->open = g_malloc(block_bytes(r));
  memcpy(r->open + at * r->size, rec, r->size);
  r->n++;
}

void
cx_records_get(CxRecords *r, guint64 i, void *rec)
{
  if (i >= r->n) {
    memset(rec, 0, r->size);
    g_return_if_reached();
  }
  guint64 b = i / r->per;
  gsize at = (gsize)(i % r->per) * r->size;
  const guint8 *src;
  if (b == r->full) {
    src = r->open;
  } else if (b < r->mem->len) {
    src = g_ptr_array_index(r->mem, b);
  } else {
    guint slot = (guint)(b % CACHE);
    if (r->cached[slot] != b + 1) {
      if (r->cache[slot] == NULL)
        r->cache[slot] = g_malloc(block_bytes(r));
      if (!cx_scratch_get(&r->file, r->cache[slot], block_bytes(r),
                          (b - r->mem->len) * block_bytes(r))) {
        r->cached[slot] = 0;
        memset(rec, 0, r->size);
        return;
      }
      r->cached[slot] = b + 1;
    }
    src = r->cache[slot];
  }
  memcpy(rec, src + at, r->size);
}
