/* The tape (tape-private.h): records written on one thread are played back
 * whole, in order and 8-aligned, one far bigger than a block too; a player's
 * error stops the playing and comes back.  Private API: moves with it. */
#include <check.h>
#include <string.h>
#include <glib.h>
#include "tape-private.h"

/* A record: [guint64 seq][guint64 len], then len - 16 bytes of (seq & 0xff). */
typedef struct {
  guint64 next;
  guint calls, fail_at; /* fail_at: 1-based block, 0 = never */
  char *problem;
} Player;

static gboolean
play(gpointer data, const guint8 *buf, gsize len, GError **error)
{
  Player *p = data;
  if (++p->calls == p->fail_at) {
    g_set_error(error, g_quark_from_static_string("test-tape"), 7, "failed at block %u", p->calls);
    return FALSE;
  }
  gsize off = 0;
  while (off < len && p->problem == NULL) {
    guint64 seq, rlen;
    memcpy(&seq, buf + off, 8);
    memcpy(&rlen, buf + off + 8, 8);
    if ((guintptr)(buf + off) % 8 != 0 || seq != p->next)
      p->problem = g_strdup_printf("record %" G_GUINT64_FORMAT " where %" G_GUINT64_FORMAT
                                   " was due (or misaligned)",
                                   seq, p->next);
    for (gsize i = 16; i < rlen && p->problem == NULL; i++)
      if (buf[off + i] != (guint8)(seq & 0xff))
        p->problem = g_strdup_printf("record %" G_GUINT64_FORMAT " damaged", seq);
    p->next++;
    off += (rlen + 7) & ~(gsize)7;
  }
  if (off != len && p->problem == NULL)
    p->problem = g_strdup("a block ends inside a record");
  return TRUE;
}

static CxTape *
tape_of(guint64 n, gsize big_at)
{
  CxTape *t = cx_tape_new();
  for (guint64 seq = 0; seq < n; seq++) {
    gsize len = seq == big_at ? 3 * 1024 * 1024 + 5 : 16 + (seq * 37) % 300;
    guint8 *r = cx_tape_put(t, len);
    memcpy(r, &seq, 8);
    guint64 l = len;
    memcpy(r + 8, &l, 8);
    memset(r + 16, (int)(seq & 0xff), len - 16);
  }
  return t;
}

START_TEST(test_in_order)
{
  CxTape *t = tape_of(200000, 1000);
  Player p = { 0 };
  GError *error = NULL;
  ck_assert(cx_tape_play(t, play, &p, &error));
  ck_assert_msg(p.problem == NULL, "%s", p.problem);
  ck_assert_uint_eq(p.next, 200000);
  ck_assert_uint_gt(p.calls, 3); /* several blocks */
  cx_tape_free(t);
}
END_TEST

START_TEST(test_error_stops)
{
  CxTape *t = tape_of(200000, G_MAXSIZE);
  Player p = { .fail_at = 2 };
  GError *error = NULL;
  ck_assert(!cx_tape_play(t, play, &p, &error));
  ck_assert_str_eq(error->message, "failed at block 2");
  ck_assert_uint_eq(p.calls, 2);
  g_error_free(error);
  cx_tape_free(t);
}
END_TEST

/* A reset tape plays only what was put after the reset, however many
 * blocks the first use took. */
START_TEST(test_reset)
{
  CxTape *t = tape_of(300000, 10);
  cx_tape_reset(t);
  Player p = { 0 };
  ck_assert(cx_tape_play(t, play, &p, NULL));
  ck_assert_uint_eq(p.calls, 0);
  for (guint64 seq = 0; seq < 5000; seq++) {
    gsize len = 16 + (seq * 91) % 5000;
    guint8 *r = cx_tape_put(t, len);
    memcpy(r, &seq, 8);
    guint64 l = len;
    memcpy(r + 8, &l, 8);
    memset(r + 16, (int)(seq & 0xff), len - 16);
  }
  ck_assert(cx_tape_play(t, play, &p, NULL));
  ck_assert_msg(p.problem == NULL, "%s", p.problem);
  ck_assert_uint_eq(p.next, 5000);
  cx_tape_free(t);
}
END_TEST

START_TEST(test_empty)
{
  CxTape *t = cx_tape_new();
  Player p = { 0 };
  ck_assert(cx_tape_play(t, play, &p, NULL));
  ck_assert_uint_eq(p.calls, 0);
  cx_tape_free(t);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("tape");
  TCase *tc = tcase_create("tape");
  tcase_add_test(tc, test_in_order);
  tcase_add_test(tc, test_error_stops);
  tcase_add_test(tc, test_empty);
  tcase_add_test(tc, test_reset);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_ENV);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? 0 : 1;
}
