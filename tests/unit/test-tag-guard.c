/* The XES start-tag bound: comments, CDATA, processing instructions and
 * quoted values (holding '>' or quotes) are followed across any chunk
 * split; a tag past the bounds is found at the same place however the
 * bytes are cut. */
#include <check.h>
#include <string.h>
#include "tag-guard-private.h"

/* Scans @s in pieces of @piece bytes; returns the absolute offset of the
 * violation or -1. */
static gssize
scan_pieces(const char *s, gsize len, gsize piece, gboolean *attrs)
{
  CxTagGuard g;
  memset(&g, 0, sizeof g);
  for (gsize off = 0; off < len; off += piece) {
    gssize r = cx_tag_guard_scan(&g, s + off, MIN(piece, len - off), attrs);
    if (r >= 0)
      return (gssize)off + r;
  }
  return -1;
}

START_TEST(test_tricky_but_fine)
{
  GString *s = g_string_new("<?xml version=\"1.0\" encoding='UTF-8'?>\n"
                            "<!-- don't \" > -- - -> -->\n"
                            "<log xmlns=\"http://www.xes-standard.org/\" a='\">'>"
                            "<![CDATA[ ' \" <not a=\"tag\"> ]] ]> ]]>"
                            "<?pi ' \" > ?>"
                            "<trace><string key=\"k\" value=\"a>b'c\"/>text ' \" > </trace>");
  /* many short tags: the counts start over at each one */
  for (int i = 0; i < 3000; i++)
    g_string_append(s, "<e a=\"1\" b='2'/>");
  g_string_append(s, "</log>\n");
  for (gsize piece = 1; piece <= 64; piece++) {
    gboolean attrs = FALSE;
    ck_assert_msg(scan_pieces(s->str, s->len, piece, &attrs) == -1, "piece %zu", piece);
  }
  g_string_free(s, TRUE);
}
END_TEST

START_TEST(test_bounds)
{
  GString *s = g_string_new("<!-- '' --><log>\n<event");
  gsize first_quote = 0;
  for (int i = 0; i < CX_TAG_MAX_ATTRS + 1; i++) {
    g_string_append_printf(s, " a%d=\"", i);
    if (i == CX_TAG_MAX_ATTRS)
      first_quote = s->len - 1;
    g_string_append(s, "x>'\"");
  }
  g_string_append(s, "/></log>");
  for (gsize piece = 1; piece <= 300; piece += 7) {
    gboolean attrs = FALSE;
    gssize at = scan_pieces(s->str, s->len, piece, &attrs);
    ck_assert_int_eq(at, (gssize)first_quote);
    ck_assert(attrs);
  }
  /* exactly CX_TAG_MAX_ATTRS is fine */
  GString *ok = g_string_new("<log><event");
  for (int i = 0; i < CX_TAG_MAX_ATTRS; i++)
    g_string_append_printf(ok, " a%d='1'", i);
  g_string_append(ok, "/></log>");
  gboolean attrs = FALSE;
  ck_assert_int_eq(scan_pieces(ok->str, ok->len, 4096, &attrs), -1);
  /* length: in a value, and in the tag itself */
  GString *v = g_string_new("<log><event k=\"");
  g_string_set_size(v, CX_TAG_MAX_BYTES + 100);
  memset(v->str + 15, 'x', v->len - 15);
  ck_assert_int_ge(scan_pieces(v->str, v->len, 65536, &attrs), CX_TAG_MAX_BYTES);
  ck_assert(!attrs);
  memset(v->str + 15, ' ', v->len - 15);
  ck_assert_int_ge(scan_pieces(v->str, v->len, 65536, &attrs), CX_TAG_MAX_BYTES);
  /* but a long comment or text is no tag */
  GString *c = g_string_new("<log><!--");
  g_string_set_size(c, 3 * CX_TAG_MAX_BYTES);
  memset(c->str + 9, '\'', c->len - 9);
  g_string_append(c, "--></log>");
  ck_assert_int_eq(scan_pieces(c->str, c->len, 65536, &attrs), -1);
  g_string_free(s, TRUE);
  g_string_free(ok, TRUE);
  g_string_free(v, TRUE);
  g_string_free(c, TRUE);
}
END_TEST

/* A random document of the pieces the guard tells apart: short tags,
 * text, comments, CDATA and PIs holding '<' and '>', spans longer than
 * CX_TAG_FAST, and now and then a tag past a bound. */
static GString *
random_document(GRand *rand)
{
  static const char *const bits[] = {
    "<e a=\"1\"/>",    "\n\t\t",      "<trace>",      "</trace>",     "<!-- <x> ' -->",
    "<![CDATA[<y>]]>", "<?pi <z> ?>", "text > ' \" ", "<e k='a>b'/>", "<",
  };
  GString *s = g_string_new("<log>");
  int parts = g_rand_int_range(rand, 10, 400);
  for (int k = 0; k < parts; k++) {
    int pick = g_rand_int_range(rand, 0, 15);
    if (pick < (int)G_N_ELEMENTS(bits) - 1) {
      g_string_append(s, bits[pick]);
    } else if (pick == 10) {
      /* text longer than a fast span, or just short of it */
      gsize len = (gsize)g_rand_int_range(rand, CX_TAG_FAST - 70, CX_TAG_FAST + 70);
      for (gsize b = 0; b < len; b++)
        g_string_append_c(s, 'x');
    } else if (pick == 11 && g_rand_int_range(rand, 0, 8) == 0) {
      /* a tag with many attributes: past the bound now and then */
      g_string_append(s, "<event");
      int attrs = g_rand_int_range(rand, CX_TAG_MAX_ATTRS - 3, CX_TAG_MAX_ATTRS + 2);
      for (int a = 0; a < attrs; a++)
        g_string_append(s, " a='1'");
      g_string_append(s, "/>");
    } else if (pick == 13 && g_rand_boolean(rand)) {
      /* a comment, CDATA or PI with more quotes than a tag may hold */
      int kind = g_rand_int_range(rand, 0, 3);
      g_string_append(s, kind == 0 ? "<!--" : kind == 1 ? "<![CDATA[" : "<?p ");
      for (int q = 0; q < CX_TAG_MAX_ATTRS + 10; q++)
        g_string_append(s, " 'x'");
      g_string_append(s, kind == 0 ? "-->" : kind == 1 ? "]]>" : "?>");
    } else if (pick == 12) {
      /* a '<' right before a block edge and an odd byte after it */
      gsize pad = (gsize)g_rand_int_range(rand, 0, 64);
      for (gsize b = 0; b < pad; b++)
        g_string_append_c(s, ' ');
      g_string_append(s, g_rand_boolean(rand) ? "<!---->" : "<?p?>");
    } else {
      g_string_append(s, "<");
    }
  }
  g_string_append(s, "</log>");
  return s;
}

START_TEST(test_any_piece_size)
{
  /* pieces under 65 bytes take the byte-at-a-time path only, longer ones
   * the 64-byte blocks too: both find the same thing at the same place */
  static const gsize pieces[] = { 7, 64, 65, 100, 4096, 65536 };
  GRand *rand = g_rand_new_with_seed(15);
  for (int doc = 0; doc < 300; doc++) {
    GString *s = random_document(rand);
    gboolean attrs1 = FALSE;
    gssize at1 = scan_pieces(s->str, s->len, 1, &attrs1);
    for (gsize k = 0; k < G_N_ELEMENTS(pieces); k++) {
      gboolean attrs = FALSE;
      gssize at = scan_pieces(s->str, s->len, pieces[k], &attrs);
      ck_assert_msg(at == at1 && attrs == attrs1, "document %d, pieces of %zu: %zd, %zd", doc,
                    pieces[k], at, at1);
    }
    g_string_free(s, TRUE);
  }
  g_rand_free(rand);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("tag-guard");
  TCase *tc = tcase_create("core");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, test_tricky_but_fine);
  tcase_add_test(tc, test_bounds);
  tcase_add_test(tc, test_any_piece_size);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_ENV);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? 0 : 1;
}
