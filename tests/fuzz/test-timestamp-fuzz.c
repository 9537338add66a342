/* Replays the timestamp fuzz harness over deterministic mutations of
 * timestamps of every shape (fixed seed), with every parser and zone, so the
 * normal suite exercises it with any compiler; the harness aborts on a
 * broken contract (a time out of range, a changed output on failure, a
 * round trip that differs). */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <glib.h>
#include "fuzz-timestamp.h"

static const char *const seeds[] = {
  "2024-01-01T09:00:00Z",
  "2024-03-31 02:30:00",
  "2011-10-11 13:45:40.276000+02:00",
  "9999-12-31T23:59:59.999999Z",
  "0001-01-01T00:00:00Z",
  "0999-05-01",
  "10000-01-01T00:00:00Z",
  "31/12/9999 23:59",
  "16.01.2017 13:29",
  "12/31/2024 11:59 PM",
  "2012/10/09 14:50:17.000",
  "1700000000",
  "1700000000123",
  "-62135596800",
  "253402300799999",
  "99999999999999999",
  "-99999999999999999.999",
  "01 March 2024 10:00:00.5",
  "20240101120000",
  "2024-01-01T24:00:00",
  "2024-02-29T12:00:00-14:00",
  "1900-01-01 00:00:00 UTC",
};

static void
run(guint8 mode, const char *s, gsize len)
{
  g_autofree guint8 *copy = g_malloc(len + 1);
  copy[0] = mode;
  memcpy(copy + 1, s, len);
  LLVMFuzzerTestOneInput(copy, len + 1);
}

START_TEST(test_seeds_every_mode)
{
  for (gsize i = 0; i < G_N_ELEMENTS(seeds); i++)
    for (guint m = 0; m < 256; m++)
      run((guint8)m, seeds[i], strlen(seeds[i]));
}
END_TEST

START_TEST(test_mutations)
{
  static const char specials[] = "0123456789-+:./ TZzAPM,\xff\x80";
  g_autoptr(GRand) rand = g_rand_new_with_seed(0x7157A);
  char buf[80];
  for (int round = 0; round < 60000; round++) {
    const char *seed = seeds[g_rand_int_range(rand, 0, G_N_ELEMENTS(seeds))];
    gsize n = strlen(seed);
    memcpy(buf, seed, n);
    int edits = g_rand_int_range(rand, 1, 5);
    for (int e = 0; e < edits; e++) {
      gsize at = n > 0 ? (gsize)g_rand_int_range(rand, 0, (gint32)n) : 0;
      char c = specials[g_rand_int_range(rand, 0, sizeof specials - 1)];
      switch (g_rand_int_range(rand, 0, 3)) {
        case 0:
          if (n > 0)
            buf[at] = c;
          break;
        case 1:
          if (n < sizeof buf - 1) {
            memmove(buf + at + 1, buf + at, n - at);
            buf[at] = c;
            n++;
          }
          break;
        default:
          if (n > 0) {
            memmove(buf + at, buf + at + 1, n - at - 1);
            n--;
          }
          break;
      }
    }
    run((guint8)g_rand_int_range(rand, 0, 256), buf, n);
  }
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("timestamp-fuzz");
  TCase *tc = tcase_create("replay");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, test_seeds_every_mode);
  tcase_add_test(tc, test_mutations);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_ENV);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
