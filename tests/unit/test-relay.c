/* The relay (relay-private.h), the one-way pipe from a reader's thread to
 * the sink's: records arrive whole, in order, 8-aligned, one bigger than a
 * block too; a slow consumer holds the producer back (at most a few blocks
 * in flight); a consumer's error stops the consuming and comes back from
 * cx_relay_finish.  No public header: this tests the private API and moves
 * with it. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <glib.h>
#include "relay-private.h"

#define MIB (1024 * 1024)

/* A record: [guint64 seq][guint64 len] then len - 16 bytes of (seq & 0xff);
 * the relay rounds len up to 8, so the next record starts there. */
typedef struct {
  guint64 next_seq;
  guint64 bytes;
  guint calls;
  guint fail_at_call; /* 1-based, 0 = never */
  GMutex lock;
  GCond cond;
  gboolean gate_open;
  gboolean use_gate;
  char *problem; /* the first thing that was wrong, checked on the main thread */
} Consumer;

static void
complain(Consumer *c, char *what)
{
  if (c->problem == NULL)
    c->problem = what;
  else
    g_free(what);
}

static gboolean
consume(gpointer data, const guint8 *buf, gsize len, GError **error)
{
  Consumer *c = data;
  if (c->use_gate) {
    g_mutex_lock(&c->lock);
    while (!c->gate_open)
      g_cond_wait(&c->cond, &c->lock);
    g_mutex_unlock(&c->lock);
  }
  c->calls++;
  if (c->fail_at_call != 0 && c->calls == c->fail_at_call) {
    g_set_error(error, g_quark_from_static_string("test-relay"), 7, "consumer failed at block %u",
                c->calls);
    return FALSE;
  }
  gsize off = 0;
  while (off < len) {
    guint64 seq, rlen;
    memcpy(&seq, buf + off, 8);
    memcpy(&rlen, buf + off + 8, 8);
    if (seq != c->next_seq) {
      complain(c,
               g_strdup_printf("record %" G_GUINT64_FORMAT " where %" G_GUINT64_FORMAT " was due",
                               seq, c->next_seq));
      return TRUE;
    }
    for (gsize i = 16; i < rlen; i++)
      if (buf[off + i] != (guint8)(seq & 0xff)) {
        complain(c, g_strdup_printf("record %" G_GUINT64_FORMAT " damaged at byte %zu", seq, i));
        return TRUE;
      }
    c->next_seq++;
    c->bytes += rlen;
    off += (rlen + 7) & ~(gsize)7;
  }
  if (off != len)
    complain(c, g_strdup_printf("a block of %zu bytes ends inside a record", len));
  return TRUE;
}

static void
put_record(CxRelay *r, guint64 seq, gsize len)
{
  g_assert(len >= 16);
  guint8 *p = cx_relay_put(r, len);
  ck_assert_msg(((guintptr)p & 7) == 0, "record %" G_GUINT64_FORMAT " not 8-aligned", seq);
  memcpy(p, &seq, 8);
  guint64 l = len;
  memcpy(p + 8, &l, 8);
  memset(p + 16, (int)(seq & 0xff), len - 16);
}

static void
consumer_init(Consumer *c)
{
  memset(c, 0, sizeof *c);
  g_mutex_init(&c->lock);
  g_cond_init(&c->cond);
}

static void
consumer_clear(Consumer *c)
{
  g_mutex_clear(&c->lock);
  g_cond_clear(&c->cond);
  g_free(c->problem);
}

START_TEST(test_order_and_sizes)
{
  Consumer c;
  consumer_init(&c);
  CxRelay *r = cx_relay_new(consume, &c);
  guint64 n = 0, bytes = 0;
  /* odd lengths (rounded to 8), many blocks' worth, and one record of
   * 3 MiB: bigger than a block */
  for (guint i = 0; i < 200000; i++) {
    gsize len = 16 + (i * 37) % 200;
    put_record(r, n++, len);
    bytes += len;
    if (i == 100000) {
      put_record(r, n++, 3 * MIB + 5);
      bytes += 3 * MIB + 5;
    }
  }
  ck_assert(!cx_relay_failed(r));
  g_autoptr(GError) error = NULL;
  ck_assert(cx_relay_finish(r, &error));
  ck_assert_msg(c.problem == NULL, "%s", c.problem);
  ck_assert_uint_eq(c.next_seq, n);
  ck_assert_uint_eq(c.bytes, bytes);
  ck_assert_uint_gt(c.calls, 5); /* it came in blocks, not at the end */
  consumer_clear(&c);
}
END_TEST

START_TEST(test_nothing_put)
{
  Consumer c;
  consumer_init(&c);
  CxRelay *r = cx_relay_new(consume, &c);
  g_autoptr(GError) error = NULL;
  ck_assert(cx_relay_finish(r, &error));
  ck_assert_ptr_null(error);
  ck_assert_uint_eq(c.calls, 0);
  consumer_clear(&c);
}
END_TEST

typedef struct {
  CxRelay *relay;
  guint64 records;
  gint64 put; /* atomic: bytes accepted so far */
} Producer;

static gpointer
produce(gpointer data)
{
  Producer *p = data;
  for (guint64 i = 0; i < p->records; i++) {
    put_record(p->relay, i, 1024);
    g_atomic_pointer_add(&p->put, 1024);
  }
  return NULL;
}

START_TEST(test_slow_consumer_holds_the_producer_back)
{
  Consumer c;
  consumer_init(&c);
  c.use_gate = TRUE;
  Producer p = { cx_relay_new(consume, &c), 40 * 1024, 0 }; /* 40 MiB */
  GThread *t = g_thread_new("producer", produce, &p);
  g_usleep(300 * 1000);
  /* the consumer has taken nothing: what was accepted is what the blocks in
   * flight hold (8 of 1 MiB, and the one being filled) */
  gint64 accepted = (gint64)g_atomic_pointer_get(&p.put);
  ck_assert_msg(accepted <= 10 * MIB, "%" G_GINT64_FORMAT " bytes accepted while blocked",
                accepted);
  ck_assert_int_gt(accepted, 0);
  g_mutex_lock(&c.lock);
  c.gate_open = TRUE;
  g_cond_broadcast(&c.cond);
  g_mutex_unlock(&c.lock);
  g_thread_join(t);
  g_autoptr(GError) error = NULL;
  ck_assert(cx_relay_finish(p.relay, &error));
  ck_assert_msg(c.problem == NULL, "%s", c.problem);
  ck_assert_uint_eq(c.next_seq, p.records);
  consumer_clear(&c);
}
END_TEST

START_TEST(test_consumer_error)
{
  Consumer c;
  consumer_init(&c);
  c.fail_at_call = 2;
  CxRelay *r = cx_relay_new(consume, &c);
  /* 6 MiB: several blocks; the producer may stop early once it sees the failure */
  guint64 i = 0;
  for (; i < 6 * 1024; i++) {
    put_record(r, i, 1024);
    if (cx_relay_failed(r))
      break;
  }
  g_autoptr(GError) error = NULL;
  ck_assert(!cx_relay_finish(r, &error));
  ck_assert_ptr_nonnull(error);
  ck_assert_str_eq(error->message, "consumer failed at block 2");
  ck_assert_int_eq(error->code, 7);
  /* later blocks were skipped: the consumer was not called again */
  ck_assert_uint_eq(c.calls, 2);
  ck_assert_msg(c.problem == NULL, "%s", c.problem);
  consumer_clear(&c);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("relay");
  TCase *tc = tcase_create("relay");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, test_order_and_sizes);
  tcase_add_test(tc, test_nothing_put);
  tcase_add_test(tc, test_slow_consumer_holds_the_producer_back);
  tcase_add_test(tc, test_consumer_error);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_ENV);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
