/* Replays the CSV fuzz harness over deterministic mutations of the CSV
 * fixtures and of seeds made for the split read (quoted newlines, quotes in
 * fields, CRLF, a BOM, Latin-1 bytes, ambiguous day/month dates, bad rows
 * late in a file), so CI exercises it with any compiler.  Passing means: no
 * crash (ASan/UBSan builds also catch leaks and bad reads), and with mode
 * bit 64 the same result on one thread and on three. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <glib.h>
#include "fuzz-csv.h"
#include "cxmine/timefmt.h"

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

/* Quoting the splitter must follow: newlines and doubled quotes in quoted
 * fields, CRLF, a BOM, case attributes, a quote inside an unquoted field. */
static const char quoted_seed[]
    = "\xEF\xBB\xBF"
      "case_id,activity,timestamp,resource,case:segment,note\r\n"
      "c1,\"Submit\r\nrequest\",2024-01-08T08:04:04+01:00,\"R \"\"a\"\"\",gold,\"x,y\"\r\n"
      "c2,Ack,2024-01-08T09:00:00Z,,silver,\"multi\nline \"\"quoted\"\" note\"\r\n"
      "\r\n"
      "c1,Close,2024-01-09 10:00,sys,gold,\r\n"
      "c3,\"\"\"quoted\"\" start\",2024-03-31 02:30,,,5\" screen\n"
      "c2,Close,2024-01-09T11:00:00.5+02:00,sys,bronze,\"\"\n"
      ",No case,2024-01-10T00:00:00Z,,,\n"
      "c4,,2024-01-10T00:00:00Z,,x,\n"
      "c4,Late,,,y,\"last\nrow\"";

/* Latin-1 bytes from the start. */
static const char latin1_seed[] = "case;activity;time;user\n"
                                  "k1;Caf\xE9 visit;16.01.2017 13:29;J\xFCrgen\n"
                                  "k1;Pay;17.01.2017 08:00;Ana\n"
                                  "k2;Caf\xE9 visit;03.02.2017 09:15;\n"
                                  "k2;\"Pay;twice\";04.02.2017 10:00;Ana\n";

/* Dates no row proves the order of until the last, which says month-first. */
static const char ambiguous_seed[] = "case,activity,timestamp,start_timestamp\n"
                                     "a,A,01/02/2024 10:00,01/02/2024 09:00\n"
                                     "a,B,02/03/2024 11:00,\n"
                                     "b,A,03/04/2024 12:00,03/04/2024 11:30\n"
                                     "b,B,04/05/2024 1:00 PM,\n"
                                     "b,C,05/13/2024 14:00,\n";

/* A file past the reader's first 64 KiB, so that the workers see its end:
 * @kind 0 plain, 1 Latin-1 bytes late, 2 a bad row late, 3 a bad timestamp
 * late, 4 ambiguous dates past the look-ahead then one that contradicts
 * the guess, 5 quoted newlines in every row, 6 Latin-1 from the first row
 * (the workers convert what follows the reader's buffer). */
static GBytes *
big_seed(guint kind)
{
  GString *s = g_string_new("case_id,activity,timestamp,resource,case:tier\n");
  if (kind == 6)
    g_string_append(s, "c0,Caf\xE9,2024-01-01T00:00:00,r\xFC,t0\n");
  guint rows = kind == 4 ? CX_TIMEFMT_LOOKAHEAD + 200 : 2500;
  for (guint i = 0; i < rows; i++) {
    guint c = i % 97;
    if (kind == 4)
      g_string_append_printf(s, "c%u,Step %u,%02u/%02u/2024 10:%02u,r%u,t%u\n", c, i % 7,
                             1 + i % 12, 1 + i % 12, i % 60, i % 5, c % 3);
    else if (kind == 5)
      g_string_append_printf(s, "c%u,\"Step\n%u\",2024-01-%02uT10:%02u:00Z,\"r\"\"%u\",t%u\n", c,
                             i % 7, 1 + i % 28, i % 60, i % 5, c % 3);
    else
      g_string_append_printf(s, "c%u,Step %u,2024-01-%02uT10:%02u:00,r%u,t%u\n", c, i % 7,
                             1 + i % 28, i % 60, i % 5, c % 3);
    if (kind == 6 && i % 50 == 0)
      g_string_append_printf(s, "c%u,Men\xFC %u,2024-02-01T00:00:00,\xC4rzte,t1\n", c, i);
    if (i == rows - 40 && kind == 1)
      g_string_append(s, "c1,Caf\xE9,2024-02-01T00:00:00,r\xFC,t1\n");
    if (i == rows - 40 && kind == 2)
      g_string_append(s, "c1,Too,2024-02-01T00:00:00,r,t1,extra\n");
    if (i == rows - 40 && kind == 3)
      g_string_append(s, "c1,Bad,2024-02-31T00:00:00,r,t1\n");
  }
  if (kind == 4)
    g_string_append(s, "c1,Late,12/13/2024 10:00,r,t1\n");
  gsize len = s->len;
  return g_bytes_new_take(g_string_free(s, FALSE), len);
}

static GBytes *
seed(guint i)
{
  static const char *const inline_seeds[] = { quoted_seed, latin1_seed, ambiguous_seed };
  if (i < G_N_ELEMENTS(fixtures))
    return load(fixtures[i]);
  i -= G_N_ELEMENTS(fixtures);
  return g_bytes_new_static(inline_seeds[i], strlen(inline_seeds[i]));
}

#define N_SEEDS (G_N_ELEMENTS(fixtures) + 3)

/* Reads @data in @mode (the harness's first byte). */
static void
run(guint8 mode, const guint8 *data, gsize len)
{
  /* a copy of the exact length, so that ASan sees reads past the end */
  g_autofree guint8 *copy = g_malloc(len + 1);
  copy[0] = mode;
  memcpy(copy + 1, data, len);
  LLVMFuzzerTestOneInput(copy, len + 1);
}

START_TEST(test_truncations)
{
  g_autoptr(GBytes) b = seed((guint)_i);
  gsize len;
  const guint8 *d = g_bytes_get_data(b, &len);
  gsize step = MAX(len / 97, 1);
  /* modes 64 and up: one thread against three, every record a chunk */
  for (gsize n = 0, k = 0; n <= len; n += step, k++)
    run((guint8)((k * 37) & 127), d, n);
  for (guint mode = 64; mode < 128; mode++)
    run((guint8)mode, d, len);
}
END_TEST

START_TEST(test_mutations)
{
  static const char specials[]
      = { '"',    ',',    ';',    '\n',   '\r',   '\t', '|', '\0', '/', ':', '.',
          '\xC3', '\xEF', '\xBB', '\xBF', '\xFF', '0',  '9', '-',  '+', 'T', ' ' };
  g_autoptr(GBytes) b = seed((guint)_i);
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
    run((guint8)g_rand_int_range(rand, 0, 128), buf, n);
  }
}
END_TEST

/* The big seeds: each whole in every differential mode, and a few mutants. */
START_TEST(test_big)
{
  g_autoptr(GBytes) b = big_seed((guint)_i);
  gsize len;
  const guint8 *d = g_bytes_get_data(b, &len);
  for (guint mode = 64; mode < 128; mode += 5)
    run((guint8)mode, d, len);
  g_autoptr(GRand) rand = g_rand_new_with_seed(0xB16 + (guint32)_i);
  g_autofree guint8 *buf = g_memdup2(d, len);
  for (int round = 0; round < 4; round++) {
    memcpy(buf, d, len);
    for (int e = 0; e < 3; e++)
      buf[g_rand_int_range(rand, 0, (gint32)len)]
          = (guint8) "\",\n\r\xE9"[g_rand_int_range(rand, 0, 5)];
    run((guint8)(64 | g_rand_int_range(rand, 0, 64)), buf, len);
  }
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("csv-fuzz");
  TCase *tc = tcase_create("replay");
  tcase_set_timeout(tc, 300);
  tcase_add_loop_test(tc, test_truncations, 0, N_SEEDS);
  tcase_add_loop_test(tc, test_mutations, 0, N_SEEDS);
  tcase_add_loop_test(tc, test_big, 0, 7);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_ENV);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
