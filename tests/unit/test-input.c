/* CxInput under faults: every gzip member is read or the file refused, a
 * file cut while it is read is an error, and what cannot be read twice is
 * spooled. */
#include <check.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include "reader-private.h"
#include "test-util.h"

static char *dir;

static void
setup(void)
{
  dir = test_tmpdir_new("cxmine-input-XXXXXX");
}

static void
teardown(void)
{
  test_tmpdir_remove(dir);
  g_clear_pointer(&dir, g_free);
}

/* One gzip member of @text. */
static GByteArray *
member(const char *text)
{
  z_stream zs = { 0 };
  ck_assert_int_eq(deflateInit2(&zs, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
  gsize len = strlen(text);
  guint8 *out = g_malloc(len + 128);
  zs.next_in = (Bytef *)text;
  zs.avail_in = (uInt)len;
  zs.next_out = out;
  zs.avail_out = (uInt)(len + 128);
  ck_assert_int_eq(deflate(&zs, Z_FINISH), Z_STREAM_END);
  GByteArray *b = g_byte_array_new();
  g_byte_array_append(b, out, (guint)zs.total_out);
  deflateEnd(&zs);
  g_free(out);
  return b;
}

static char *
write_file(const char *name, const guint8 *data, gsize len)
{
  char *p = g_build_filename(dir, name, NULL);
  ck_assert(g_file_set_contents(p, (const char *)data, (gssize)len, NULL));
  return p;
}

/* Reads all of @path; returns the bytes, or NULL with *@error set. */
static GString *
read_all(const char *path, GError **error)
{
  g_autoptr(CxInput) in = cx_input_open(path, error);
  if (in == NULL)
    return NULL;
  GString *s = g_string_new(NULL);
  for (;;) {
    const char *d;
    gssize n = cx_input_next(in, &d, error);
    if (n < 0) {
      g_string_free(s, TRUE);
      return NULL;
    }
    if (n == 0)
      return s;
    g_string_append_len(s, d, n);
  }
}

START_TEST(test_every_member_is_read)
{
  g_autoptr(GByteArray) all = g_byte_array_new();
  const char *parts[] = { "one\n", "two\n", "three\n" };
  for (guint i = 0; i < 3; i++) {
    g_autoptr(GByteArray) m = member(parts[i]);
    g_byte_array_append(all, m->data, m->len);
  }
  g_autofree char *p = write_file("three.gz", all->data, all->len);
  g_autoptr(GError) error = NULL;
  GString *s = read_all(p, &error);
  ck_assert_msg(s != NULL, "%s", error ? error->message : "");
  ck_assert_str_eq(s->str, "one\ntwo\nthree\n");
  g_string_free(s, TRUE);
  /* zero padding after the last member is allowed, as gzip does */
  guint8 zeros[100] = { 0 };
  g_byte_array_append(all, zeros, sizeof zeros);
  g_autofree char *q = write_file("padded.gz", all->data, all->len);
  s = read_all(q, &error);
  ck_assert_msg(s != NULL, "%s", error ? error->message : "");
  ck_assert_str_eq(s->str, "one\ntwo\nthree\n");
  g_string_free(s, TRUE);
}
END_TEST

START_TEST(test_corrupt_later_member_is_refused)
{
  g_autoptr(GByteArray) a = member("one\n");
  g_autoptr(GByteArray) b = member("two\n");
  gsize first = a->len;
  g_byte_array_append(a, b->data, b->len);
  a->data[first] ^= 0x01; /* the second member's first magic byte */
  g_autofree char *p = write_file("bad.gz", a->data, a->len);
  g_autoptr(GError) error = NULL;
  GString *s = read_all(p, &error);
  ck_assert(s == NULL);
  ck_assert_msg(strstr(error->message, "corrupt gzip data: what follows member 1") != NULL, "%s",
                error->message);
  /* garbage of one byte, too */
  g_autoptr(GByteArray) c = member("one\n");
  guint8 x = 'x';
  g_byte_array_append(c, &x, 1);
  g_autofree char *q = write_file("one-byte.gz", c->data, c->len);
  g_clear_error(&error);
  ck_assert(read_all(q, &error) == NULL);
  ck_assert(strstr(error->message, "is not a gzip member") != NULL);
  /* a member's body damaged */
  g_autoptr(GByteArray) d = member("hello hello hello hello\n");
  d->data[12] ^= 0xff;
  g_autofree char *r = write_file("body.gz", d->data, d->len);
  g_clear_error(&error);
  ck_assert(read_all(r, &error) == NULL);
  ck_assert_msg(strstr(error->message, "gzip") != NULL, "%s", error->message);
}
END_TEST

/* Cuts @path to @keep bytes after the first chunk was read: the rest must
 * fail, not end quietly. */
static void
assert_cut_is_error(const char *path, goffset keep)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CxInput) in = cx_input_open(path, &error);
  ck_assert(in != NULL);
  const char *d;
  ck_assert_int_gt(cx_input_next(in, &d, &error), 0);
  ck_assert_int_eq(truncate(path, keep), 0);
  gssize n;
  while ((n = cx_input_next(in, &d, &error)) > 0)
    ;
  ck_assert_int_eq(n, -1);
  ck_assert_msg(strstr(error->message, "cut while it was read") != NULL, "%s", error->message);
}

START_TEST(test_cut_while_read)
{
  gsize len = 8u << 20;
  g_autofree guint8 *big = g_malloc(len);
  for (gsize i = 0; i < len; i++)
    big[i] = i % 64 == 63 ? '\n' : 'a' + (char)(i % 26);
  g_autofree char *p = write_file("big.csv", big, len);
  assert_cut_is_error(p, 3u << 20);

  /* gzip cut exactly where a member ends: zlib alone would call that the end */
  g_autoptr(GByteArray) all = g_byte_array_new();
  GString *text = g_string_new(NULL);
  for (guint i = 0; i < 200000; i++)
    g_string_append_printf(text, "%u,%u\n", i * 2654435761u, i);
  g_autoptr(GByteArray) m = member(text->str);
  g_string_free(text, TRUE);
  g_byte_array_append(all, m->data, m->len);
  g_byte_array_append(all, m->data, m->len);
  g_autofree char *q = write_file("two.gz", all->data, all->len);
  assert_cut_is_error(q, m->len);
}
END_TEST

START_TEST(test_what_needs_a_spool)
{
  g_autofree char *reg = write_file("plain.csv", (const guint8 *)"a\n", 2);
  ck_assert(!cx_source_needs_spool(reg));
  ck_assert(!cx_source_needs_spool(dir));
  ck_assert(cx_source_needs_spool("-"));
  g_autofree char *fifo = g_build_filename(dir, "fifo", NULL);
  ck_assert_int_eq(mkfifo(fifo, 0600), 0);
  ck_assert(cx_source_needs_spool(fifo));
  ck_assert(cx_source_needs_spool("/dev/null"));
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("input");
  TCase *tc = tcase_create("core");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, test_every_member_is_read);
  tcase_add_test(tc, test_corrupt_later_member_is_refused);
  tcase_add_test(tc, test_cut_while_read);
  tcase_add_test(tc, test_what_needs_a_spool);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_ENV);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? 0 : 1;
}
