/* Tests for the partial codec: varints, sample lists, writing, loading with
 * every check, and replaying a partial to the single run's result. */
#include <check.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "cxmine/cxmine.h"
#include "partial-private.h"

static char *tmpdir;

static char *
tmp_path(const char *name)
{
  return g_build_filename(tmpdir, name, NULL);
}

static char *
fixture(const char *rel)
{
  const char *root = g_getenv("CX_SOURCE_ROOT");
  return g_build_filename(root != NULL ? root : "..", rel, NULL);
}

START_TEST(test_varint_round_trip)
{
  const guint64 values[] = { 0,           1,
                             127,         128,
                             16383,       16384,
                             G_MAXUINT32, (guint64)1 << 35,
                             G_MAXINT64,  G_MAXUINT64 - 1,
                             G_MAXUINT64 };
  g_autoptr(GByteArray) b = g_byte_array_new();
  for (gsize i = 0; i < G_N_ELEMENTS(values); i++)
    cx_partial_put_varint(b, values[i]);
  const guint8 *p = b->data, *end = b->data + b->len;
  for (gsize i = 0; i < G_N_ELEMENTS(values); i++) {
    guint64 v = 0;
    ck_assert(cx_partial_get_varint(&p, end, &v));
    ck_assert_uint_eq(v, values[i]);
  }
  ck_assert_ptr_eq(p, end);
  /* sizes: 7 bits a byte */
  g_byte_array_set_size(b, 0);
  cx_partial_put_varint(b, 127);
  ck_assert_uint_eq(b->len, 1);
  cx_partial_put_varint(b, 128);
  ck_assert_uint_eq(b->len, 3);
  g_byte_array_set_size(b, 0);
  cx_partial_put_varint(b, G_MAXUINT64);
  ck_assert_uint_eq(b->len, 10);
}
END_TEST

START_TEST(test_varint_bad)
{
  guint64 v;
  /* runs past the end */
  const guint8 cut[] = { 0x80, 0x80 };
  const guint8 *p = cut;
  ck_assert(!cx_partial_get_varint(&p, cut + sizeof cut, &v));
  ck_assert_ptr_eq(p, cut);
  /* more than 64 bits */
  const guint8 big[] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f };
  p = big;
  ck_assert(!cx_partial_get_varint(&p, big + sizeof big, &v));
  const guint8 longer[] = { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01 };
  p = longer;
  ck_assert(!cx_partial_get_varint(&p, longer + sizeof longer, &v));
}
END_TEST

/* A CxPartialIn cannot be made outside partial.c: sample lists are checked
 * through a dfg state, whose waits and service times are sample lists. */
START_TEST(test_samples_exact_and_raw)
{
  g_autoptr(GByteArray) b = g_byte_array_new();
  double exact[] = { 3600.5, 0, -2.000001, 1e-6, 86400 * 365.0, 7 };
  g_autoptr(CxQuantiles) q = cx_quantiles_new();
  for (gsize i = 0; i < G_N_ELEMENTS(exact); i++)
    cx_quantiles_add(q, exact[i]);
  cx_partial_put_quantiles(b, q);
  /* whole microseconds: sorted, delta-coded, far below 8 bytes a value */
  ck_assert_uint_lt(b->len, 8 * G_N_ELEMENTS(exact));
  ck_assert_uint_eq(b->data[1], 0); /* mode: microseconds */
  g_byte_array_set_size(b, 0);
  double raw[] = { 0.1234567891, 1.0 / 3.0, NAN };
  g_autoptr(CxQuantiles) r = cx_quantiles_new();
  for (gsize i = 0; i < G_N_ELEMENTS(raw); i++)
    cx_quantiles_add(r, raw[i]);
  cx_partial_put_quantiles(b, r);
  ck_assert_uint_eq(b->data[1], 1); /* mode: raw doubles */
  ck_assert_uint_eq(b->len, 2 + 8 * G_N_ELEMENTS(raw));
}
END_TEST

/* Writes @cmd's partial of the running example to @name; returns its path. */
static char *
write_partial(const char *cmd, const char *const *options, const char *name)
{
  g_autofree char *csv = fixture("fixtures/csv/running-example.csv");
  g_autoptr(CxLog) log = cx_log_new();
  cx_log_add_source(log, csv, CX_FORMAT_AUTO, NULL);
  char *path = tmp_path(name);
  g_autoptr(GError) error = NULL;
  gboolean ok = cx_partial_write(log, cmd, "", options, FALSE, path, &error);
  ck_assert_msg(ok, "%s", error ? error->message : "");
  return path;
}

static char *
dfg_json(CxDfg *d)
{
  g_autoptr(GString) s = g_string_new(NULL);
  g_autoptr(CxJson) j = cx_json_new(s, TRUE);
  cx_dfg_to_json(d, NULL, j);
  return g_strdup(s->str);
}

START_TEST(test_write_load_replay)
{
  const char *opts[] = { "--lifecycle=all", NULL };
  g_autofree char *dfg_path = write_partial("dfg", opts, "dfg.cxp");
  g_autofree char *fr_path = write_partial("friction", NULL, "friction.cxp");
  g_autoptr(GError) error = NULL;
  g_autoptr(CxPartial) p = cx_partial_load(dfg_path, &error);
  ck_assert_msg(p != NULL, "%s", error ? error->message : "");
  ck_assert_str_eq(cx_partial_command(p), "dfg");
  ck_assert_str_eq(cx_partial_options(p)[0], "--lifecycle=all");
  ck_assert_ptr_null(cx_partial_options(p)[1]);
  ck_assert(cx_partial_has_side(p, ""));
  ck_assert(!cx_partial_has_side(p, "before"));
  ck_assert_uint_eq(cx_partial_n_journeys(p), 6); /* the running example's cases */

  /* the state read back gives the single run's graph */
  g_autofree char *csv = fixture("fixtures/csv/running-example.csv");
  g_autoptr(CxLog) direct = cx_log_new();
  cx_log_add_source(direct, csv, CX_FORMAT_AUTO, NULL);
  g_autoptr(CxDfg) d1 = cx_dfg_new(direct);
  ck_assert(cx_log_scan(direct, cx_dfg_add, cx_dfg_reset, d1, NULL));
  g_autoptr(CxLog) merged = cx_log_new();
  cx_log_add_partial(merged, p, NULL);
  ck_assert(cx_log_reads_partials(merged));
  g_autoptr(CxDfg) d2 = cx_dfg_new(merged);
  ck_assert_msg(cx_log_scan(merged, cx_dfg_add, cx_dfg_reset, d2, &error), "%s",
                error ? error->message : "");
  g_autofree char *j1 = dfg_json(d1);
  g_autofree char *j2 = dfg_json(d2);
  ck_assert_str_eq(j1, j2);
  g_autofree char *name = cx_log_display_name(merged);
  ck_assert_str_eq(name, "running-example.csv");
  ck_assert_uint_eq(cx_log_counts(merged)->events_read, cx_log_counts(direct)->events_read);

  /* journeys (friction's partial) replay to the same graph too */
  g_autoptr(CxPartial) f = cx_partial_load(fr_path, &error);
  ck_assert_msg(f != NULL, "%s", error ? error->message : "");
  ck_assert_uint_eq(cx_partial_n_journeys(f), 6);
  g_autoptr(CxLog) replayed = cx_log_new();
  cx_log_add_partial(replayed, f, "");
  g_autoptr(CxDfg) d3 = cx_dfg_new(replayed);
  ck_assert(cx_log_scan(replayed, cx_dfg_add, cx_dfg_reset, d3, NULL));
  g_autofree char *j3 = dfg_json(d3);
  ck_assert_str_eq(j1, j3);

  /* a state cannot feed another analysis */
  g_autoptr(CxLog) wrong = cx_log_new();
  cx_log_add_partial(wrong, p, NULL);
  g_autoptr(CxVariants) v = cx_variants_new(wrong);
  g_clear_error(&error);
  ck_assert(!cx_log_scan(wrong, cx_variants_add, cx_variants_reset, v, &error));
  ck_assert(g_error_matches(error, CX_PARTIAL_ERROR, CX_PARTIAL_ERROR_MISMATCH));

  /* compatibility: the command, then the options */
  g_clear_error(&error);
  ck_assert(!cx_partial_check_compatible(p, f, &error));
  ck_assert(g_error_matches(error, CX_PARTIAL_ERROR, CX_PARTIAL_ERROR_MISMATCH));
  ck_assert_ptr_nonnull(strstr(error->message, "'friction'"));
  g_autofree char *plain_path = write_partial("dfg", NULL, "plain.cxp");
  g_autoptr(CxPartial) plain = cx_partial_load(plain_path, NULL);
  g_clear_error(&error);
  ck_assert(!cx_partial_check_compatible(p, plain, &error));
  ck_assert_ptr_nonnull(strstr(error->message, "other options"));
  g_autoptr(CxPartial) again = cx_partial_load(dfg_path, NULL);
  ck_assert(cx_partial_check_compatible(p, again, NULL));
  /* the same source twice is refused at the scan */
  g_autoptr(CxLog) twice = cx_log_new();
  cx_log_add_partial(twice, p, NULL);
  cx_log_add_partial(twice, again, NULL);
  g_autoptr(CxDfg) d4 = cx_dfg_new(twice);
  g_clear_error(&error);
  ck_assert(!cx_log_scan(twice, cx_dfg_add, cx_dfg_reset, d4, &error));
  ck_assert_ptr_nonnull(strstr(error->message, "counted twice"));
}
END_TEST

static void
expect_error(const char *path, CxPartialError code, const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CxPartial) p = cx_partial_load(path, &error);
  ck_assert_ptr_null(p);
  ck_assert_msg(g_error_matches(error, CX_PARTIAL_ERROR, code), "%s: code %d, wanted %d: %s", path,
                error ? error->code : -1, code, error ? error->message : "");
  ck_assert_msg(strstr(error->message, text) != NULL && strstr(error->message, path) != NULL,
                "'%s' lacks '%s' or the path", error->message, text);
}

static void
put_crc(guint8 *d, gsize n)
{
  guint32 c = (guint32)crc32(crc32(0L, Z_NULL, 0), d, (uInt)(n - 4));
  for (int i = 0; i < 4; i++)
    d[n - 4 + i] = (guint8)(c >> (8 * i));
}

START_TEST(test_load_refuses)
{
  g_autofree char *good = write_partial("stats", NULL, "good.cxp");
  g_autofree char *data = NULL;
  gsize n;
  ck_assert(g_file_get_contents(good, &data, &n, NULL));
  ck_assert(memcmp(data, CX_PARTIAL_MAGIC, CX_PARTIAL_MAGIC_LEN) == 0);
  g_autofree char *bad = tmp_path("bad.cxp");

  ck_assert(g_file_set_contents(bad, data, (gssize)(n - 1), NULL));
  expect_error(bad, CX_PARTIAL_ERROR_TRUNCATED, "truncated");
  ck_assert(g_file_set_contents(bad, data, 12, NULL));
  expect_error(bad, CX_PARTIAL_ERROR_TRUNCATED, "truncated");
  ck_assert(g_file_set_contents(bad, data, 3, NULL));
  expect_error(bad, CX_PARTIAL_ERROR_TRUNCATED, "truncated");
  ck_assert(g_file_set_contents(bad, "", 0, NULL));
  expect_error(bad, CX_PARTIAL_ERROR_NOT, "empty file");
  ck_assert(g_file_set_contents(bad, "case,activity\n1,a\n", -1, NULL));
  expect_error(bad, CX_PARTIAL_ERROR_NOT, "not a cxmine partial");

  g_autofree char *copy = g_memdup2(data, n);
  copy[n / 2] ^= 0x40;
  ck_assert(g_file_set_contents(bad, copy, (gssize)n, NULL));
  expect_error(bad, CX_PARTIAL_ERROR_CORRUPT, "checksum mismatch");

  memcpy(copy, data, n);
  copy[CX_PARTIAL_MAGIC_LEN] = 7; /* version 7 */
  ck_assert(g_file_set_contents(bad, copy, (gssize)n, NULL));
  expect_error(bad, CX_PARTIAL_ERROR_VERSION, "version 7");

  /* a good checksum over a bad structure: the command's length runs past the end */
  memcpy(copy, data, n);
  guint8 *u = (guint8 *)copy;
  u[20] = 0xff;
  u[21] = 0xff;
  u[22] = 0xff;
  put_crc(u, n);
  ck_assert(g_file_set_contents(bad, copy, (gssize)n, NULL));
  expect_error(bad, CX_PARTIAL_ERROR_CORRUPT, "corrupt: bad header");

  /* bytes after the end */
  g_autofree char *longer = g_malloc(n + 3);
  memcpy(longer, data, n);
  ck_assert(g_file_set_contents(bad, longer, (gssize)n + 3, NULL));
  expect_error(bad, CX_PARTIAL_ERROR_CORRUPT, "where the header says");

  g_autofree char *missing = tmp_path("missing.cxp");
  expect_error(missing, CX_PARTIAL_ERROR_IO, "cannot read");
}
END_TEST

START_TEST(test_corrupt_state_reported)
{
  /* a state whose bytes are cut, with header and checksum made right:
   * the replay says the segment is corrupt instead of reading past it */
  g_autofree char *good = write_partial("dfg", NULL, "state.cxp");
  g_autofree char *data = NULL;
  gsize n;
  ck_assert(g_file_get_contents(good, &data, &n, NULL));
  /* the payload's last byte is before the CRC: zero the whole payload tail */
  guint8 *u = (guint8 *)data;
  for (gsize i = n - 4 - 8; i < n - 4; i++)
    u[i] = 0xff;
  put_crc(u, n);
  g_autofree char *bad = tmp_path("state-bad.cxp");
  ck_assert(g_file_set_contents(bad, data, (gssize)n, NULL));
  g_autoptr(GError) error = NULL;
  g_autoptr(CxPartial) p = cx_partial_load(bad, &error);
  ck_assert_msg(p != NULL, "%s", error ? error->message : "");
  g_autoptr(CxLog) log = cx_log_new();
  cx_log_add_partial(log, p, NULL);
  g_autoptr(CxDfg) d = cx_dfg_new(log);
  ck_assert(!cx_log_scan(log, cx_dfg_add, cx_dfg_reset, d, &error));
  ck_assert(g_error_matches(error, CX_PARTIAL_ERROR, CX_PARTIAL_ERROR_CORRUPT));
}
END_TEST

int
main(void)
{
  tmpdir = g_dir_make_tmp("cxmine-test-partial-XXXXXX", NULL);
  Suite *s = suite_create("partial");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, test_varint_round_trip);
  tcase_add_test(tc, test_varint_bad);
  tcase_add_test(tc, test_samples_exact_and_raw);
  tcase_add_test(tc, test_write_load_replay);
  tcase_add_test(tc, test_load_refuses);
  tcase_add_test(tc, test_corrupt_state_reported);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_ENV);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  const char *files[] = { "dfg.cxp", "friction.cxp", "plain.cxp",    "good.cxp",
                          "bad.cxp", "state.cxp",    "state-bad.cxp" };
  for (gsize i = 0; i < G_N_ELEMENTS(files); i++) {
    g_autofree char *f = tmp_path(files[i]);
    g_remove(f);
  }
  g_rmdir(tmpdir);
  g_free(tmpdir);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
