/* Replays the CSV fuzz harness over deterministic mutations of the CSV
 * fixtures (truncations, byte flips, inserted specials; fixed seed), so CI
 * exercises it with any compiler.  Passing means: no crash (ASan/UBSan
 * builds also catch leaks and bad reads). */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <glib.h>
#include "fuzz-csv.h"

static const char *const fixtures[] = {
  "running-example.csv",
  "running_example_broken.csv",
  "bpic2016_complaints_head.csv",
  "helpdesk_head.csv",
};

static GBytes *
load(const char *name)
{
  const char *root = g_getenv("CX_SOURCE_ROOT");
  g_autofree char *path
      = g_build_filename(root != NULL ? root : ".", "fixtures", "csv", name, NULL);
  char *text = NULL;
  gsize len = 0;
  ck_assert_msg(g_file_get_contents(path, &text, &len, NULL), "cannot read %s", path);
  return g_bytes_new_take(text, len);
}

static void
run(const guint8 *data, gsize len)
{
  /* a copy of the exact length, so that ASan sees reads past the end */
  g_autofree guint8 *copy = g_memdup2(data, len);
  LLVMFuzzerTestOneInput(copy, len);
}

START_TEST(test_truncations)
{
  g_autoptr(GBytes) b = load(fixtures[_i]);
  gsize len;
  const guint8 *d = g_bytes_get_data(b, &len);
  gsize step = MAX(len / 97, 1);
  for (gsize n = 0; n <= len; n += step)
    run(d, n);
  run(d, len);
}
END_TEST

START_TEST(test_mutations)
{
  static const char specials[]
      = { '"',    ',',    ';',    '\n',   '\r',   '\t', '|', '\0', '/', ':', '.',
          '\xC3', '\xEF', '\xBB', '\xBF', '\xFF', '0',  '9', '-',  '+', 'T', ' ' };
  g_autoptr(GBytes) b = load(fixtures[_i]);
  gsize len;
  const guint8 *d = g_bytes_get_data(b, &len);
  g_autoptr(GRand) rand = g_rand_new_with_seed(0xC5F00D + (guint32)_i);
  g_autofree guint8 *buf = g_malloc(len + 64);
  for (int round = 0; round < 150; round++) {
    memcpy(buf, d, len);
    gsize n = len;
    int edits = g_rand_int_range(rand, 1, 8);
    for (int e = 0; e < edits && n > 0; e++) {
      gsize at = (gsize)g_rand_int_range(rand, 0, (gint32)n);
      switch (g_rand_int_range(rand, 0, 4)) {
        case 0:
          buf[at] ^= (guint8)(1u << g_rand_int_range(rand, 0, 8));
          break;
        case 1:
          buf[at] = (guint8)specials[g_rand_int_range(rand, 0, sizeof specials)];
          break;
        case 2:
          if (n < len + 64) {
            memmove(buf + at + 1, buf + at, n - at);
            buf[at] = (guint8)specials[g_rand_int_range(rand, 0, sizeof specials)];
            n++;
          }
          break;
        default:
          memmove(buf + at, buf + at + 1, n - at - 1);
          n--;
          break;
      }
    }
    if (g_rand_boolean(rand))
      n = (gsize)g_rand_int_range(rand, 0, (gint32)n + 1);
    run(buf, n);
  }
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("csv-fuzz");
  TCase *tc = tcase_create("replay");
  tcase_set_timeout(tc, 120);
  tcase_add_loop_test(tc, test_truncations, 0, G_N_ELEMENTS(fixtures));
  tcase_add_loop_test(tc, test_mutations, 0, G_N_ELEMENTS(fixtures));
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_ENV);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
