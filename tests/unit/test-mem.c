/* Big memory (base/mem.c): mappings keep what is written in them through
 * growth (whole huge pages moved, the rest copied), start at a 2 MiB
 * boundary past 2 MiB, and free cleanly; heap memory grown with its pages
 * faulted in keeps its first bytes; big temporaries come from a mapping or
 * the heap by size. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#ifdef __linux__
#include <sys/mman.h>
#endif
#include "mem-private.h"

#define MIB (1u << 20)

/* a byte that depends on its place and a seed */
static guint8
pattern(gsize i, guint seed)
{
  return (guint8)((i * 2654435761u) >> 13 ^ seed);
}

static void
fill(guint8 *p, gsize n, guint seed)
{
  for (gsize i = 0; i < n; i++)
    p[i] = pattern(i, seed);
}

static void
check(const guint8 *p, gsize n, guint seed)
{
  for (gsize i = 0; i < n; i++)
    if (p[i] != pattern(i, seed))
      ck_abort_msg("byte %zu of %zu changed", i, n);
}

START_TEST(test_map_sizes_and_alignment)
{
#ifdef __linux__
  /* below a page, below 2 MiB, 2 MiB, past it by an odd amount; each
   * after small mappings of 1 to 8 pages, which leave the system's next
   * place for a mapping at other offsets from a 2 MiB boundary (a kernel
   * that aligns big mappings itself does so only for whole multiples of
   * 2 MiB) */
  const gsize sizes[] = { 100, 256u << 10, 2 * MIB - 1, 2 * MIB, 2 * MIB + 4097, 5 * MIB + 12345 };
  for (guint k = 0; k < G_N_ELEMENTS(sizes); k++)
    for (gsize r = 1; r <= 8; r++) {
      void *before = mmap(NULL, r * 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
      ck_assert(before != MAP_FAILED);
      guint8 *p = cx_mem_map(sizes[k]);
      ck_assert_ptr_nonnull(p);
      if (sizes[k] >= 2 * MIB)
        ck_assert_uint_eq((guintptr)p % (2 * MIB), 0);
      fill(p, sizes[k], k);
      check(p, sizes[k], k);
      cx_mem_unmap(p, sizes[k]);
      munmap(before, r * 4096);
    }
#endif
}
END_TEST

START_TEST(test_remap_keeps_bytes)
{
#ifdef __linux__
  /* growing from small (copied) and from huge pages plus a tail (moved,
   * then copied), as a buffer that doubles or fills a budget does */
  const gsize steps[][2] = {
    { 256u << 10, 512u << 10 },   { 1 * MIB, 2 * MIB },        { 1 * MIB + 7, 3 * MIB },
    { 2 * MIB, 4 * MIB },         { 4 * MIB + 8192, 9 * MIB }, { 6 * MIB, 6 * MIB + 4096 },
    { 3 * MIB + 5, 3 * MIB + 6 }, { 8 * MIB, 16 * MIB + 3 },
  };
  for (guint k = 0; k < G_N_ELEMENTS(steps); k++) {
    gsize from = steps[k][0], to = steps[k][1];
    guint8 *p = cx_mem_map(from);
    ck_assert_ptr_nonnull(p);
    fill(p, from, k);
    guint8 *q = cx_mem_remap(p, from, to);
    ck_assert_ptr_nonnull(q);
    if (to >= 2 * MIB)
      ck_assert_uint_eq((guintptr)q % (2 * MIB), 0);
    check(q, from, k);
    /* the new part is zero and writable */
    for (gsize i = from; i < to; i += 4096)
      ck_assert_uint_eq(q[i], 0);
    ck_assert_uint_eq(q[to - 1], 0);
    memset(q + from, 0xab, to - from);
    check(q, from, k);
    cx_mem_unmap(q, to);
  }
#endif
}
END_TEST

START_TEST(test_remap_chain)
{
#ifdef __linux__
  /* a buffer of 4-byte elements doubling from 256 KiB to 32 MiB */
  gsize size = 256u << 10;
  guint8 *p = cx_mem_map(size);
  fill(p, size, 7);
  while (size < 32 * MIB) {
    p = cx_mem_remap(p, size, size * 2);
    ck_assert_ptr_nonnull(p);
    check(p, size, 7);
    for (gsize i = size; i < size * 2; i++)
      p[i] = pattern(i, 7);
    size *= 2;
  }
  check(p, size, 7);
  cx_mem_unmap(p, size);
#endif
}
END_TEST

START_TEST(test_grow_keeps_bytes)
{
  guint8 *p = NULL;
  gsize used = 0;
  for (gsize bytes = 16; bytes <= 4 * MIB; bytes *= 2) {
    p = cx_mem_grow(p, used, bytes);
    check(p, used, 3);
    fill(p, bytes, 3);
    used = bytes;
  }
  check(p, used, 3);
  g_free(p);
  /* keeping part of what was there */
  p = g_malloc(1000);
  fill(p, 1000, 9);
  p = cx_mem_grow(p, 600, 100000);
  check(p, 600, 9);
  g_free(p);
}
END_TEST

START_TEST(test_big_alloc)
{
  const gsize sizes[] = { 0, 1, 4096, (256u << 10) - 1, 256u << 10, 3 * MIB + 1 };
  for (guint k = 0; k < G_N_ELEMENTS(sizes); k++) {
    guint8 *p = cx_big_alloc(sizes[k]);
    ck_assert_ptr_nonnull(p);
    fill(p, sizes[k], k);
    check(p, sizes[k], k);
    cx_big_free(p, sizes[k]);
  }
  cx_big_free(NULL, 10);
}
END_TEST

/* Big arrays grown and shrunk across the heap and mapping sizes keep
 * what fits; a zeroed one reads as zeros whichever it is. */
START_TEST(test_big_resize_and_zero)
{
  const gsize steps[] = { 100, 200u << 10, 300u << 10, 3 * MIB + 5, 9 * MIB, 4 * MIB, 1000, 64 };
  guint8 *p = NULL;
  gsize have = 0;
  for (guint k = 0; k < G_N_ELEMENTS(steps); k++) {
    p = cx_big_resize(p, have, steps[k]);
    ck_assert_ptr_nonnull(p);
    check(p, MIN(have, steps[k]), 5);
    fill(p, steps[k], 5);
    have = steps[k];
  }
  check(p, have, 5);
  cx_big_free(p, have);
  const gsize sizes[] = { 1, 4096, 256u << 10, 5 * MIB + 3 };
  for (guint k = 0; k < G_N_ELEMENTS(sizes); k++) {
    guint8 *z = cx_big_alloc0(sizes[k]);
    for (gsize i = 0; i < sizes[k]; i++)
      if (z[i] != 0)
        ck_abort_msg("byte %zu of %zu is not zero", i, sizes[k]);
    fill(z, sizes[k], 2);
    cx_big_free(z, sizes[k]);
  }
}
END_TEST

/* Exact sizes (the sink's buffers near their budget): heap and mappings
 * by size, the first @keep bytes kept, the new ones writable. */
START_TEST(test_mem_resize_exact)
{
  const gsize steps[][2] = {
    { 0, 1000 },
    { 100, 200u << 10 },
    { 60u << 10, 300u << 10 },
    { 150u << 10, 3 * MIB + 4096 },
    { 2 * MIB, 5 * MIB + 8192 },
    { 5 * MIB, 100u << 10 },
  };
  guint8 *p = NULL;
  gsize have = 0;
  for (guint k = 0; k < G_N_ELEMENTS(steps); k++) {
    gsize keep = steps[k][0], to = steps[k][1];
    fill(p, MIN(keep, have), 11);
    guint8 *q = cx_mem_resize(p, have, to, keep);
    ck_assert_ptr_nonnull(q);
    check(q, MIN(keep, MIN(have, to)), 11);
    memset(q, 0x5a, to);
    p = q;
    have = to;
  }
  cx_mem_free(p, have);
  cx_mem_free(NULL, 10);
}
END_TEST

START_TEST(test_huge_alloc)
{
  gsize bytes = 3 * MIB + 1;
  guint8 *p = cx_mem_huge_alloc(&bytes);
#ifdef __linux__
  ck_assert_ptr_nonnull(p);
  ck_assert_uint_eq(bytes, 4 * MIB);
  ck_assert_uint_eq((guintptr)p % (2 * MIB), 0);
  fill(p, bytes, 1);
  check(p, bytes, 1);
#endif
  g_free(p);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("mem");
  TCase *tc = tcase_create("mem");
  tcase_add_test(tc, test_map_sizes_and_alignment);
  tcase_add_test(tc, test_remap_keeps_bytes);
  tcase_add_test(tc, test_remap_chain);
  tcase_add_test(tc, test_grow_keeps_bytes);
  tcase_add_test(tc, test_big_alloc);
  tcase_add_test(tc, test_big_resize_and_zero);
  tcase_add_test(tc, test_mem_resize_exact);
  tcase_add_test(tc, test_huge_alloc);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_ENV);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
