/* The gzip inflater (read/inflate-private.h), through its interface, on
 * every decoder built: multi-member files, header fields, corrupt and
 * truncated data with their exact messages, input and output in pieces of
 * any size; ISA-L's output against zlib's on the real logs. */
#include <check.h>
#include <stdio.h>
#include <string.h>
#include <zlib.h>
#include "cxmine/reader.h"
#include "inflate-private.h"

/* the decoders to test: zlib always, ISA-L when built */
static CxInflater
decoder(int i)
{
  return i == 0 ? CX_INFLATER_ZLIB : CX_INFLATER_ISAL;
}

static int
decoders(void)
{
  return cx_inflater_available(CX_INFLATER_ISAL) ? 2 : 1;
}

/* ---------- making gzip data ---------- */

/* The raw deflate stream of @text. */
static GByteArray *
deflate_raw(const char *text, int window_bits)
{
  z_stream zs = { 0 };
  ck_assert_int_eq(deflateInit2(&zs, 6, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY), Z_OK);
  gsize len = strlen(text);
  gsize cap = deflateBound(&zs, (uLong)len);
  GByteArray *b = g_byte_array_sized_new((guint)cap);
  g_byte_array_set_size(b, (guint)cap);
  zs.next_in = (Bytef *)text;
  zs.avail_in = (uInt)len;
  zs.next_out = b->data;
  zs.avail_out = (uInt)cap;
  ck_assert_int_eq(deflate(&zs, Z_FINISH), Z_STREAM_END);
  g_byte_array_set_size(b, (guint)zs.total_out);
  deflateEnd(&zs);
  return b;
}

/* One gzip member of @text, as zlib writes it. */
static GByteArray *
member(const char *text)
{
  return deflate_raw(text, 16 + MAX_WBITS);
}

static void
put32(GByteArray *b, guint32 v)
{
  guint8 x[4] = { v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, v >> 24 };
  g_byte_array_append(b, x, 4);
}

/* A gzip member of @text with every optional header field: FEXTRA (one
 * subfield), FNAME, FCOMMENT and FHCRC (@hcrc_delta added to the right
 * header CRC). */
static GByteArray *
member_with_fields(const char *text, guint16 hcrc_delta)
{
  GByteArray *b = g_byte_array_new();
  const guint8 head[10] = { 0x1f, 0x8b, 8, 0x02 | 0x04 | 0x08 | 0x10, 1, 2, 3, 4, 0, 3 };
  g_byte_array_append(b, head, sizeof head);
  const guint8 extra[] = { 10, 0, 'c', 'x', 6, 0, 'e', 'x', 't', 'r', 'a', '!' };
  g_byte_array_append(b, extra, sizeof extra);
  g_byte_array_append(b, (const guint8 *)"journeys.xes", 13);
  g_byte_array_append(b, (const guint8 *)"a comment, with words", 22);
  guint16 hcrc = (guint16)(crc32(0, b->data, b->len) & 0xffff) + hcrc_delta;
  guint8 h[2] = { hcrc & 0xff, hcrc >> 8 };
  g_byte_array_append(b, h, 2);
  g_autoptr(GByteArray) body = deflate_raw(text, -MAX_WBITS);
  g_byte_array_append(b, body->data, body->len);
  put32(b, (guint32)crc32(0, (const Bytef *)text, (uInt)strlen(text)));
  put32(b, (guint32)strlen(text));
  return b;
}

static GByteArray *
concat(GByteArray *a, GByteArray *b)
{
  GByteArray *c = g_byte_array_new();
  g_byte_array_append(c, a->data, a->len);
  g_byte_array_append(c, b->data, b->len);
  return c;
}

/* ---------- inflating ---------- */

typedef struct {
  GString *out;   /* every byte made */
  gsize at_error; /* out->len when the failure came, or (gsize)-1 */
  guint members;
  GError *error;
} Result;

static void
result_clear(Result *r)
{
  g_string_free(r->out, TRUE);
  g_clear_error(&r->error);
}

/* Inflates @data with @which, fed @in_piece bytes at a time into an
 * output of @out_piece bytes. */
static Result
run(CxInflater which, const guint8 *data, gsize len, gsize in_piece, gsize out_piece)
{
  Result r = { g_string_new(NULL), (gsize)-1, 0, NULL };
  g_autoptr(CxInflate) z = cx_inflate_new(which, &r.error);
  ck_assert_msg(z != NULL, "%s", r.error->message);
  g_autofree guint8 *buf = g_malloc(out_piece);
  gsize fed = MIN(in_piece, len);
  cx_inflate_feed(z, data, fed, fed == len);
  for (guint guard = 0; guard < 100000000; guard++) {
    gssize n = cx_inflate_next(z, buf, out_piece, &r.error);
    if (n < 0) {
      r.at_error = r.out->len;
      break;
    }
    g_string_append_len(r.out, (const char *)buf, n);
    if (cx_inflate_finished(z))
      break;
    if (cx_inflate_wants_input(z)) {
      gsize k = MIN(in_piece, len - fed);
      cx_inflate_feed(z, data + fed, k, fed + k == len);
      fed += k;
    } else {
      ck_assert_msg(n > 0, "no progress without a reason");
    }
  }
  r.members = cx_inflate_members(z);
  return r;
}

/* Every decoder, in one piece and in pieces of 1 and 7 bytes (input) by 1,
 * 5 and 64 KiB (output), gives @text with @members members. */
static void
assert_inflates_to(GByteArray *gz, const char *text, guint members)
{
  const gsize ins[] = { G_MAXSIZE, 1, 7 }, outs[] = { 64 * 1024, 1, 5 };
  for (int d = 0; d < decoders(); d++)
    for (guint i = 0; i < G_N_ELEMENTS(ins); i++) {
      Result r = run(decoder(d), gz->data, gz->len, ins[i], outs[i]);
      ck_assert_msg(r.error == NULL, "%s (in %zu, out %zu): %s", cx_inflater_name(decoder(d)),
                    ins[i], outs[i], r.error->message);
      ck_assert_str_eq(r.out->str, text);
      ck_assert_uint_eq(r.members, members);
      result_clear(&r);
    }
}

/* Every decoder, in every piece size, fails with exactly @message after
 * handing on exactly @before. */
static void
assert_fails(GByteArray *gz, const char *before, const char *message)
{
  const gsize ins[] = { G_MAXSIZE, 1, 3 }, outs[] = { 64 * 1024, 1, 4 };
  for (int d = 0; d < decoders(); d++)
    for (guint i = 0; i < G_N_ELEMENTS(ins); i++) {
      Result r = run(decoder(d), gz->data, gz->len, ins[i], outs[i]);
      const char *name = cx_inflater_name(decoder(d));
      ck_assert_msg(r.error != NULL, "%s (in %zu): no failure", name, ins[i]);
      ck_assert_msg(g_error_matches(r.error, CX_READER_ERROR, CX_READER_ERROR_IO), "%s", name);
      ck_assert_msg(strcmp(r.error->message, message) == 0, "%s (in %zu): '%s', not '%s'", name,
                    ins[i], r.error->message, message);
      ck_assert_msg(strcmp(r.out->str, before) == 0, "%s (in %zu): made '%s' before it", name,
                    ins[i], r.out->str);
      result_clear(&r);
    }
}

/* ---------- the cases ---------- */

START_TEST(test_multi_member)
{
  g_autoptr(GByteArray) a = member("one\n");
  g_autoptr(GByteArray) b = member("");
  g_autoptr(GByteArray) c = member("two\nthree\n");
  g_autoptr(GByteArray) ab = concat(a, b);
  g_autoptr(GByteArray) abc = concat(ab, c);
  assert_inflates_to(a, "one\n", 1);
  assert_inflates_to(abc, "one\ntwo\nthree\n", 3);
  /* zero padding after the last member, as gzip allows */
  guint8 zeros[9] = { 0 };
  g_byte_array_append(abc, zeros, sizeof zeros);
  assert_inflates_to(abc, "one\ntwo\nthree\n", 3);
  /* a long member, bigger than every buffer, then a short one */
  GString *big = g_string_new(NULL);
  for (guint i = 0; i < 100000; i++)
    g_string_append_printf(big, "<event n=\"%u\" v=\"%u\"/>\n", i, i * 2654435761u);
  g_autoptr(GByteArray) m = member(big->str);
  g_autoptr(GByteArray) mm = concat(m, a);
  g_string_append(big, "one\n");
  for (int d = 0; d < decoders(); d++) {
    Result r = run(decoder(d), mm->data, mm->len, 4093, 1 << 20);
    ck_assert(r.error == NULL);
    ck_assert(g_string_equal(r.out, big));
    ck_assert_uint_eq(r.members, 2);
    result_clear(&r);
  }
  g_string_free(big, TRUE);
}
END_TEST

START_TEST(test_header_fields)
{
  g_autoptr(GByteArray) f = member_with_fields("<log>\n  <trace/>\n</log>\n", 0);
  assert_inflates_to(f, "<log>\n  <trace/>\n</log>\n", 1);
  /* after another member, too */
  g_autoptr(GByteArray) a = member("one\n");
  g_autoptr(GByteArray) af = concat(a, f);
  assert_inflates_to(af, "one\n<log>\n  <trace/>\n</log>\n", 2);
  /* a wrong header CRC */
  g_autoptr(GByteArray) bad = member_with_fields("x\n", 1);
  assert_fails(bad, "", "corrupt gzip data: header crc mismatch");
}
END_TEST

START_TEST(test_corrupt)
{
  g_autoptr(GByteArray) a = member("one\n");
  g_autoptr(GByteArray) b = member("two\n");
  g_autoptr(GByteArray) ab = concat(a, b);
  g_autofree char *after1 = g_strdup_printf(
      "corrupt gzip data: what follows member 1 (at byte %u) is not a gzip member", a->len);

  /* the second member's magic damaged: the first member's bytes come first */
  ab->data[a->len + 1] ^= 0x01;
  assert_fails(ab, "one\n", after1);
  ab->data[a->len + 1] ^= 0x01;
  /* one byte of garbage, a lone 0x1f, zeros then garbage after a member */
  const guint8 tails[][3] = { { 'x' }, { 0x1f }, { 0, 0, 'x' } };
  const guint tail_len[] = { 1, 1, 3 };
  for (guint i = 0; i < G_N_ELEMENTS(tails); i++) {
    g_autoptr(GByteArray) t = g_byte_array_new();
    g_byte_array_append(t, a->data, a->len);
    g_byte_array_append(t, tails[i], tail_len[i]);
    assert_fails(t, "one\n", after1);
  }
  /* the header's method and flags, the trailer's CRC and length */
  g_autoptr(GByteArray) h = concat(a, b);
  h->data[a->len + 2] = 7;
  assert_fails(h, "one\n", "corrupt gzip data: unknown compression method");
  h->data[a->len + 2] = 8;
  h->data[a->len + 3] = 0x20;
  assert_fails(h, "one\n", "corrupt gzip data: unknown header flags set");
  h->data[a->len + 3] = 0;
  h->data[a->len + b->len - 8] ^= 0x10;
  assert_fails(h, "one\ntwo\n", "corrupt gzip data: incorrect data check");
  h->data[a->len + b->len - 8] ^= 0x10;
  h->data[a->len + b->len - 1] ^= 0x10;
  assert_fails(h, "one\ntwo\n", "corrupt gzip data: incorrect length check");
  h->data[a->len + b->len - 1] ^= 0x10;
  assert_inflates_to(h, "one\ntwo\n", 2);
  /* not gzip at all */
  g_autoptr(GByteArray) plain = g_byte_array_new();
  g_byte_array_append(plain, (const guint8 *)"<log/>\n", 7);
  assert_fails(plain, "", "corrupt gzip data: incorrect header check");
}
END_TEST

START_TEST(test_damaged_body)
{
  /* damage in a deflate body fails on every decoder: "corrupt gzip data: "
   * in the decoder's own words when the deflate data is invalid (igzip has
   * fewer words, and may decode a little further before it sees that),
   * else exactly as zlib fails (a wrong trailer, a lost last block) */
  GString *text = g_string_new(NULL);
  for (guint i = 0; i < 3000; i++)
    g_string_append_printf(text, "<string key=\"concept:name\" value=\"step %u\"/>\n", i % 37);
  g_autoptr(GByteArray) m = member(text->str);
  g_string_free(text, TRUE);
  const char *corrupt = "corrupt gzip data: ";
  for (gsize at = 10; at < m->len - 8; at += 29) {
    m->data[at] ^= 0x5a;
    Result ref = run(CX_INFLATER_ZLIB, m->data, m->len, G_MAXSIZE, 1 << 20);
    ck_assert_msg(ref.error != NULL, "zlib: damage at %zu not seen", at);
    gboolean invalid
        = g_str_has_prefix(ref.error->message, corrupt)
          && strcmp(ref.error->message, "corrupt gzip data: incorrect data check") != 0;
    for (int d = 1; d < decoders(); d++) {
      Result r = run(decoder(d), m->data, m->len, 1000, 1 << 20);
      ck_assert_msg(r.error != NULL, "damage at %zu not seen", at);
      if (invalid) {
        ck_assert_msg(g_str_has_prefix(r.error->message, corrupt), "%zu: %s", at, r.error->message);
      } else {
        ck_assert_str_eq(r.error->message, ref.error->message);
        ck_assert(g_string_equal(r.out, ref.out));
      }
      result_clear(&r);
    }
    result_clear(&ref);
    m->data[at] ^= 0x5a;
  }
}
END_TEST

START_TEST(test_truncated)
{
  const char *truncated = "truncated gzip data (unexpected end of the compressed stream)";
  g_autoptr(GByteArray) a = member("one\n");
  g_autoptr(GByteArray) b = member("two two two two\n");
  g_autoptr(GByteArray) ab = concat(a, b);
  /* cut in the second member's header: the first member's bytes come first */
  g_byte_array_set_size(ab, a->len + 5);
  assert_fails(ab, "one\n", truncated);
  /* only the magic of a member */
  g_byte_array_set_size(ab, 2);
  assert_fails(ab, "", truncated);
  /* every cut inside a member's body and trailer fails; what was made
   * before is a prefix of the text, the same on every decoder but for the
   * last byte, which igzip may keep until it sees more input */
  GString *text = g_string_new(NULL);
  for (guint i = 0; i < 400; i++)
    g_string_append_printf(text, "line %u\n", i * 7919);
  g_autoptr(GByteArray) m = member(text->str);
  for (gsize cut = 10; cut < m->len; cut++) {
    Result ref = run(CX_INFLATER_ZLIB, m->data, cut, G_MAXSIZE, 1 << 16);
    ck_assert_str_eq(ref.error->message, truncated);
    ck_assert(g_str_has_prefix(text->str, ref.out->str));
    for (int d = 1; d < decoders(); d++) {
      Result r = run(decoder(d), m->data, cut, 61, 1 << 16);
      ck_assert_msg(r.error != NULL && strcmp(r.error->message, truncated) == 0, "cut %zu", cut);
      ck_assert(g_str_has_prefix(ref.out->str, r.out->str));
      ck_assert_msg(r.out->len + 1 >= ref.out->len, "cut %zu: %zu bytes, zlib %zu", cut, r.out->len,
                    ref.out->len);
      result_clear(&r);
    }
    result_clear(&ref);
  }
  g_string_free(text, TRUE);
}
END_TEST

/* ISA-L against zlib, byte for byte: inflates @path with both, in
 * different piece sizes, and compares as it goes. */
static gsize
assert_same_as_zlib(const char *path)
{
  g_autofree char *data = NULL;
  gsize len = 0;
  ck_assert(g_file_get_contents(path, &data, &len, NULL));
  g_autoptr(CxInflate) zi = cx_inflate_new(CX_INFLATER_ZLIB, NULL);
  g_autoptr(CxInflate) is = cx_inflate_new(CX_INFLATER_ISAL, NULL);
  cx_inflate_feed(zi, (const guint8 *)data, len, TRUE);
  /* ISA-L fed as input.c feeds it: the end comes as an empty last piece */
  gsize is_fed = MIN(len, (gsize)65521);
  cx_inflate_feed(is, (const guint8 *)data, is_fed, FALSE);
  const gsize zcap = 1 << 20, icap = 100003;
  g_autofree guint8 *zb = g_malloc(zcap);
  g_autofree guint8 *ib = g_malloc(icap);
  gsize zlen = 0, zpos = 0, total = 0;
  for (;;) {
    g_autoptr(GError) error = NULL;
    gssize n = cx_inflate_next(is, ib, icap, &error);
    ck_assert_msg(n >= 0, "%s: ISA-L: %s", path, error ? error->message : "");
    for (gsize i = 0; i < (gsize)n;) {
      if (zpos == zlen) {
        gssize k = cx_inflate_next(zi, zb, zcap, &error);
        ck_assert_msg(k > 0, "%s: zlib ends at %zu, ISA-L goes on", path, total + i);
        zlen = (gsize)k;
        zpos = 0;
      }
      gsize k = MIN((gsize)n - i, zlen - zpos);
      ck_assert_msg(memcmp(ib + i, zb + zpos, k) == 0, "%s: differs near byte %zu", path,
                    total + i);
      i += k;
      zpos += k;
    }
    total += (gsize)n;
    if (cx_inflate_finished(is))
      break;
    if (cx_inflate_wants_input(is)) {
      gsize k = MIN(len - is_fed, (gsize)65521);
      cx_inflate_feed(is, (const guint8 *)data + is_fed, k, k == 0);
      is_fed += k;
    }
  }
  ck_assert_msg(zpos == zlen && cx_inflate_next(zi, zb, zcap, NULL) == 0 && cx_inflate_finished(zi),
                "%s: zlib goes on after ISA-L's end at %zu", path, total);
  ck_assert_uint_eq(cx_inflate_members(is), cx_inflate_members(zi));
  return total;
}

START_TEST(test_isal_same_as_zlib)
{
  if (!cx_inflater_available(CX_INFLATER_ISAL)) {
    printf("# ISA-L not built: nothing to compare\n");
    return;
  }
  ck_assert_str_eq(cx_inflater_name(CX_INFLATER_BEST), "ISA-L igzip");
  const char *root = g_getenv("CX_SOURCE_ROOT");
  ck_assert(root != NULL);
  g_autofree char *sample
      = g_build_filename(root, "fixtures", "sample", "customer-journeys.xes.gz", NULL);
  assert_same_as_zlib(sample);
  const char *shared = g_getenv("CX_SHARED");
  g_autofree char *data_dir = shared ? g_build_filename(shared, "data", NULL) : NULL;
  g_autoptr(GDir) dir = data_dir ? g_dir_open(data_dir, 0, NULL) : NULL;
  if (dir == NULL) {
    printf("# no ../shared/data: compared on the sample only\n");
    return;
  }
  const char *name;
  guint files = 0;
  gsize bytes = 0;
  while ((name = g_dir_read_name(dir)) != NULL) {
    if (!g_str_has_suffix(name, ".gz"))
      continue;
    g_autofree char *p = g_build_filename(data_dir, name, NULL);
    bytes += assert_same_as_zlib(p);
    files++;
  }
  ck_assert_uint_gt(files, 0);
  printf("# ISA-L and zlib agree on the sample and %u files of ../shared/data (%zu MB)\n", files,
         bytes >> 20);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("inflate");
  TCase *tc = tcase_create("core");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, test_multi_member);
  tcase_add_test(tc, test_header_fields);
  tcase_add_test(tc, test_corrupt);
  tcase_add_test(tc, test_damaged_body);
  tcase_add_test(tc, test_truncated);
  tcase_add_test(tc, test_isal_same_as_zlib);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_ENV);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? 0 : 1;
}
