/* CxInput reading what it should (test-input.c has its faults): a plain and
 * a gzip file give the same bytes in chunks, past the 1 MiB read-ahead;
 * peek does not consume; names and the errors of a missing file and a
 * folder; errors moved to a line.  And through the public API, a CSV and
 * the same CSV gzipped are the same log. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <glib.h>
#include <glib/gstdio.h>
#include "reader-private.h"
#include "csv-log.h"
#include "test-util.h"

static char *dir;

static void
setup(void)
{
  dir = test_tmpdir_new("cxmine-input-read-XXXXXX");
}

static void
teardown(void)
{
  test_tmpdir_remove(dir);
  g_clear_pointer(&dir, g_free);
}

/* @n bytes of text that do not repeat within a chunk (a linear congruence) */
static GByteArray *
text_bytes(gsize n)
{
  GByteArray *b = g_byte_array_sized_new((guint)n);
  guint32 x = 12345;
  for (gsize i = 0; i < n; i++) {
    x = x * 1103515245u + 12345u;
    guint8 c = (i % 61 == 60) ? '\n' : (guint8)('a' + (x >> 16) % 26);
    g_byte_array_append(b, &c, 1);
  }
  return b;
}

static GByteArray *
gzip_bytes(const GByteArray *in)
{
  z_stream zs = { 0 };
  ck_assert_int_eq(deflateInit2(&zs, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
  gsize cap = deflateBound(&zs, in->len);
  GByteArray *out = g_byte_array_sized_new((guint)cap);
  g_byte_array_set_size(out, (guint)cap);
  zs.next_in = in->data;
  zs.avail_in = in->len;
  zs.next_out = out->data;
  zs.avail_out = (uInt)cap;
  ck_assert_int_eq(deflate(&zs, Z_FINISH), Z_STREAM_END);
  g_byte_array_set_size(out, (guint)zs.total_out);
  deflateEnd(&zs);
  return out;
}

static char *
write_file(const char *name, const GByteArray *b)
{
  char *p = g_build_filename(dir, name, NULL);
  ck_assert(g_file_set_contents(p, (const char *)b->data, b->len, NULL));
  return p;
}

/* Everything @in gives, and how many chunks it came in. */
static GByteArray *
read_all(CxInput *in, guint *chunks)
{
  GByteArray *all = g_byte_array_new();
  *chunks = 0;
  for (;;) {
    const char *data = NULL;
    g_autoptr(GError) error = NULL;
    gssize n = cx_input_next(in, &data, &error);
    ck_assert_msg(n >= 0, "%s", error != NULL ? error->message : "?");
    if (n == 0)
      break;
    g_byte_array_append(all, (const guint8 *)data, (guint)n);
    (*chunks)++;
  }
  return all;
}

static void
assert_same(const GByteArray *a, const GByteArray *b)
{
  ck_assert_uint_eq(a->len, b->len);
  ck_assert_int_eq(memcmp(a->data, b->data, a->len), 0);
}

START_TEST(test_plain_and_gzip_same_bytes)
{
  g_autoptr(GByteArray) text = text_bytes(5 * 1024 * 1024 + 77); /* past the read-ahead */
  g_autoptr(GByteArray) gz = gzip_bytes(text);
  g_autofree char *plain = write_file("log.txt", text);
  g_autofree char *packed = write_file("log.txt.gz", gz); /* detected by magic, not by name */
  g_autofree char *hidden = write_file("log.bin", gz);
  const char *paths[] = { plain, packed, hidden };
  for (gsize i = 0; i < G_N_ELEMENTS(paths); i++) {
    g_autoptr(GError) error = NULL;
    g_autoptr(CxInput) in = cx_input_open(paths[i], &error);
    ck_assert_msg(in != NULL, "%s", error ? error->message : "");
    ck_assert_str_eq(cx_input_name(in), paths[i]);
    guint chunks = 0;
    g_autoptr(GByteArray) got = read_all(in, &chunks);
    assert_same(got, text);
    ck_assert_uint_gt(chunks, 1);
    /* the end stays the end */
    const char *data = NULL;
    ck_assert_int_eq(cx_input_next(in, &data, &error), 0);
  }
}
END_TEST

START_TEST(test_peek_does_not_consume)
{
  g_autoptr(GByteArray) text = text_bytes(100000);
  g_autoptr(GByteArray) gz = gzip_bytes(text);
  g_autofree char *packed = write_file("peek.gz", gz);
  g_autoptr(GError) error = NULL;
  g_autoptr(CxInput) in = cx_input_open(packed, &error);
  ck_assert_ptr_nonnull(in);
  const char *head = NULL;
  gsize n = cx_input_peek(in, &head, 16, &error);
  ck_assert_uint_eq(n, 16);
  ck_assert_int_eq(memcmp(head, text->data, 16), 0); /* decoded bytes */
  guint chunks = 0;
  g_autoptr(GByteArray) got = read_all(in, &chunks);
  assert_same(got, text);
  /* a short input: peek gives what there is */
  g_autoptr(CxInput) tiny = cx_input_new_from_data("tiny", "abc", 3);
  ck_assert_str_eq(cx_input_name(tiny), "tiny");
  ck_assert_uint_eq(cx_input_peek(tiny, &head, 16, &error), 3);
  ck_assert_int_eq(memcmp(head, "abc", 3), 0);
  g_autoptr(GByteArray) all = read_all(tiny, &chunks);
  ck_assert_uint_eq(all->len, 3);
  cx_input_set_name(tiny, "renamed");
  ck_assert_str_eq(cx_input_name(tiny), "renamed");
}
END_TEST

START_TEST(test_open_errors)
{
  g_autofree char *missing = g_build_filename(dir, "missing.csv", NULL);
  g_autoptr(GError) e1 = NULL;
  ck_assert_ptr_null(cx_input_open(missing, &e1));
  ck_assert(g_error_matches(e1, CX_READER_ERROR, CX_READER_ERROR_IO));
  g_autofree char *want1 = g_strdup_printf("%s: cannot open: ", missing);
  ck_assert_msg(g_str_has_prefix(e1->message, want1), "%s", e1->message);
  g_autoptr(GError) e2 = NULL;
  ck_assert_ptr_null(cx_input_open(dir, &e2));
  ck_assert(g_error_matches(e2, CX_READER_ERROR, CX_READER_ERROR_IO));
  g_autofree char *want2 = g_strdup_printf("%s: is a directory", dir);
  ck_assert_str_eq(e2->message, want2);
}
END_TEST

START_TEST(test_error_at_line)
{
  g_autoptr(CxInput) in = cx_input_new_from_data("x.csv", "", 0);
  g_autoptr(GError) e = g_error_new(CX_READER_ERROR, CX_READER_ERROR_IO, "x.csv: truncated gzip");
  cx_input_error_at_line(in, e, 7);
  ck_assert_str_eq(e->message, "x.csv:7: truncated gzip");
  /* other messages, and line 0, are left alone */
  g_autoptr(GError) other = g_error_new(CX_READER_ERROR, CX_READER_ERROR_IO, "y.csv: gone");
  cx_input_error_at_line(in, other, 7);
  ck_assert_str_eq(other->message, "y.csv: gone");
  g_autoptr(GError) zero = g_error_new(CX_READER_ERROR, CX_READER_ERROR_IO, "x.csv: gone");
  cx_input_error_at_line(in, zero, 0);
  ck_assert_str_eq(zero->message, "x.csv: gone");
  g_autoptr(GError) prefix = g_error_new(CX_READER_ERROR, CX_READER_ERROR_IO, "x.csvz: gone");
  cx_input_error_at_line(in, prefix, 3);
  ck_assert_str_eq(prefix->message, "x.csvz: gone");
}
END_TEST

static gboolean
count_events(const CxJourney *j, gpointer data, GError **error)
{
  *(guint64 *)data += j->n_instances;
  return TRUE;
}

START_TEST(test_gzip_csv_same_log)
{
  const char *csv = "case,activity,timestamp\nc1,a,2024-01-01T10:00:00Z\n"
                    "c1,b,2024-01-01T11:00:00Z\nc2,a,2024-01-02T10:00:00Z\n";
  GByteArray text = { (guint8 *)csv, (guint)strlen(csv) };
  g_autoptr(GByteArray) gz = gzip_bytes(&text);
  CsvLog c;
  csv_log_open(&c, csv);
  g_autofree char *packed = g_build_filename(c.dir, "log.csv.gz", NULL);
  ck_assert(g_file_set_contents(packed, (const char *)gz->data, gz->len, NULL));
  g_autoptr(CxLog) zipped = cx_log_new();
  cx_log_add_source(zipped, packed, CX_FORMAT_AUTO, NULL);
  guint64 plain_n = 0, zipped_n = 0;
  csv_log_scan(&c, count_events, NULL, &plain_n);
  g_autoptr(GError) error = NULL;
  ck_assert(cx_log_scan(zipped, count_events, NULL, &zipped_n, &error));
  ck_assert_uint_eq(plain_n, 3);
  ck_assert_uint_eq(zipped_n, 3);
  ck_assert_uint_eq(cx_log_counts(zipped)->cases_kept, 2);
  ck_assert_uint_eq(cx_pool_size(cx_log_activities(zipped)), 3); /* "", a, b */
  g_clear_pointer(&zipped, cx_log_free);
  csv_log_close(&c);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("input-read");
  TCase *tc = tcase_create("input");
  tcase_set_timeout(tc, 60);
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, test_plain_and_gzip_same_bytes);
  tcase_add_test(tc, test_peek_does_not_consume);
  tcase_add_test(tc, test_open_errors);
  tcase_add_test(tc, test_error_at_line);
  tcase_add_test(tc, test_gzip_csv_same_log);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_ENV);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
