/* Tests for the string pool. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include "cxmine/log.h"

START_TEST(test_intern_stable_ids)
{
  g_autoptr(CxPool) p = cx_pool_new();
  ck_assert_uint_eq(cx_pool_size(p), 1);
  ck_assert_str_eq(cx_pool_get(p, CX_ID_NONE), "");
  guint32 a = cx_pool_intern(p, "alpha", -1);
  guint32 b = cx_pool_intern(p, "beta", 4);
  ck_assert_uint_eq(a, 1);
  ck_assert_uint_eq(b, 2);
  ck_assert_uint_eq(cx_pool_intern(p, "alphabet", 5), a);
  ck_assert_str_eq(cx_pool_get(p, b), "beta");
  ck_assert_uint_eq(cx_pool_lookup(p, "gamma", -1), G_MAXUINT32);
  ck_assert_uint_eq(cx_pool_lookup(p, "beta", -1), b);
}
END_TEST

START_TEST(test_many_strings_survive_growth)
{
  g_autoptr(CxPool) p = cx_pool_new();
  for (int i = 0; i < 100000; i++) {
    char buf[32];
    g_snprintf(buf, sizeof buf, "case-%d", i);
    ck_assert_uint_eq(cx_pool_intern(p, buf, -1), (guint32)i + 1);
  }
  ck_assert_uint_eq(cx_pool_size(p), 100001);
  ck_assert_str_eq(cx_pool_get(p, 4242), "case-4241");
  ck_assert_uint_eq(cx_pool_lookup(p, "case-99999", -1), 100000);
}
END_TEST

START_TEST(test_front_cache_tells_near_names_apart)
{
  g_autoptr(CxPool) p = cx_pool_new();
  /* same length and first eight bytes, different tails; and short names */
  const char *names[] = {
    "Document check", "Document chuck", "Document check", "abc", "abd", "", "Document chuck", "abc"
  };
  guint32 ids[G_N_ELEMENTS(names)];
  for (int round = 0; round < 3; round++)
    for (gsize i = 0; i < G_N_ELEMENTS(names); i++) {
      guint32 id = cx_pool_intern(p, names[i], -1);
      if (round == 0)
        ids[i] = id;
      ck_assert_uint_eq(id, ids[i]);
      ck_assert_str_eq(cx_pool_get(p, id), names[i]);
    }
  ck_assert_uint_ne(ids[0], ids[1]);
  ck_assert_uint_eq(ids[0], ids[2]);
  ck_assert_uint_ne(ids[3], ids[4]);
  ck_assert_uint_eq(ids[5], CX_ID_NONE);
  ck_assert_uint_eq(cx_pool_size(p), 5);
}
END_TEST

/* Names that differ only past their first eight bytes, in length alone
 * (trailing NUL bytes) or past 65,535 bytes are told apart, through the
 * front cache and without it (lookups), also after the table grows. */
START_TEST(test_slots_tell_heads_and_lengths_apart)
{
  g_autoptr(CxPool) p = cx_pool_new();
  static const char nuls[] = "ab\0\0\0\0\0\0\0\0";
  gsize long_len = 70000;
  g_autofree char *long_a = g_malloc(long_len + 1);
  memset(long_a, 'x', long_len);
  long_a[long_len] = '\0';
  g_autofree char *long_b = g_strdup(long_a);
  long_b[long_len - 1] = 'y';
  struct {
    const char *s;
    gssize len;
  } names[] = {
    { nuls, 2 },
    { nuls, 3 },
    { nuls, 8 },
    { nuls, 9 },
    { "abcdefgh", 8 },
    { "abcdefghi", 9 },
    { "abcdefghj", 9 },
    { "abcdefghij", 10 },
    { long_a, (gssize)long_len },
    { long_b, (gssize)long_len },
    { long_a, (gssize)long_len - 1 },
  };
  guint32 ids[G_N_ELEMENTS(names)];
  for (gsize i = 0; i < G_N_ELEMENTS(names); i++)
    ids[i] = cx_pool_intern(p, names[i].s, names[i].len);
  for (gsize i = 0; i < G_N_ELEMENTS(names); i++)
    for (gsize j = 0; j < i; j++)
      ck_assert_uint_ne(ids[i], ids[j]);
  /* enough more names that the table grows a few times */
  for (int i = 0; i < 5000; i++) {
    char buf[32];
    g_snprintf(buf, sizeof buf, "abcdefgh%d", i);
    cx_pool_intern(p, buf, -1);
  }
  for (gsize i = 0; i < G_N_ELEMENTS(names); i++) {
    ck_assert_uint_eq(cx_pool_lookup(p, names[i].s, names[i].len), ids[i]);
    ck_assert_uint_eq(cx_pool_intern(p, names[i].s, names[i].len), ids[i]);
    ck_assert(memcmp(cx_pool_get(p, ids[i]), names[i].s, (gsize)names[i].len) == 0);
  }
  ck_assert_uint_eq(cx_pool_lookup(p, nuls, 4), G_MAXUINT32);
  ck_assert_uint_eq(cx_pool_lookup(p, "abcdefgh5000", -1), G_MAXUINT32);
  ck_assert_uint_eq(cx_pool_lookup(p, "abcdefgh4999", -1), cx_pool_size(p) - 1);
}
END_TEST

/* A cleared pool starts its ids again from 1 and knows none of the old
 * strings. */
START_TEST(test_clear)
{
  CxPool *p = cx_pool_new();
  for (int i = 0; i < 1000; i++) {
    char name[16];
    g_snprintf(name, sizeof name, "case-%d", i);
    cx_pool_intern(p, name, -1);
  }
  cx_pool_clear(p);
  ck_assert_uint_eq(cx_pool_size(p), 1);
  ck_assert_uint_eq(cx_pool_lookup(p, "case-7", -1), G_MAXUINT32);
  ck_assert_uint_eq(cx_pool_intern(p, "case-999", -1), 1);
  ck_assert_uint_eq(cx_pool_intern(p, "case-7", -1), 2);
  ck_assert_uint_eq(cx_pool_intern(p, "case-999", -1), 1);
  ck_assert_str_eq(cx_pool_get(p, 2), "case-7");
  cx_pool_free(p);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("pool");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, test_slots_tell_heads_and_lengths_apart);
  tcase_add_test(tc, test_clear);
  tcase_add_test(tc, test_intern_stable_ids);
  tcase_add_test(tc, test_many_strings_survive_growth);
  tcase_add_test(tc, test_front_cache_tells_near_names_apart);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_ENV);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
