/* Tests for the transitions accumulator (analysis/transitions.c): one pass
 * against a brute-force count, and merge against one pass over both inputs,
 * split at several points, for few activities (dense matrix) and many (hash,
 * and the switch between them inside a merge). */
#include <check.h>
#include <string.h>
#include "cxmine/cxmine.h"
#include "transitions-private.h"

#define T0 G_GINT64_CONSTANT(1704067200000000)

#define ALL                                                                                        \
  (CX_TRANSITIONS_EDGES | CX_TRANSITIONS_WAITS | CX_TRANSITIONS_SERVICE | CX_TRANSITIONS_CASES     \
   | CX_TRANSITIONS_SAMPLE_CASES | CX_TRANSITIONS_ARRIVALS | CX_TRANSITIONS_CASE_MEANS             \
   | CX_TRANSITIONS_CASE_TAGS)

typedef struct {
  CxLog *log;
  GArray *journeys; /* CxJourney, instances owned */
} Set;

/* @n journeys over activity ids below @n_act: lengths 0..11 with repeats,
 * some instances untimed, some with a start (a service time), ids drawn
 * from @lo upwards for the second half when @lo > 0 (so that the ids
 * outgrow the matrix only late). */
static Set
make_set(guint n, guint32 n_act, guint32 lo, guint32 seed)
{
  Set s = { cx_log_new(), g_array_new(FALSE, FALSE, sizeof(CxJourney)) };
  for (guint32 a = 0; a < MAX(n_act, lo + n_act); a++) {
    g_autofree char *name = g_strdup_printf("act %u", a);
    cx_pool_intern(cx_log_activities(s.log), name, -1);
  }
  g_autoptr(GRand) r = g_rand_new_with_seed(seed);
  for (guint c = 0; c < n; c++) {
    g_autofree char *case_name = g_strdup_printf("case %u", c);
    guint len = (guint)g_rand_int_range(r, 0, 12);
    CxEvent *ev = g_new0(CxEvent, MAX(len, 1));
    gint64 t = T0 + (gint64)g_rand_int_range(r, 0, 1000000) * CX_USEC_PER_SEC;
    guint32 base = (lo > 0 && c >= n / 2) ? lo : 0;
    for (guint i = 0; i < len; i++) {
      ev[i].activity = base + (guint32)g_rand_int_range(r, 0, (gint32)n_act);
      /* a repeat of the previous step now and then: self-loops */
      if (i > 0 && g_rand_int_range(r, 0, 5) == 0)
        ev[i].activity = ev[i - 1].activity;
      t += (gint64)g_rand_int_range(r, 1, 5000) * CX_USEC_PER_SEC;
      ev[i].start = CX_TS_NONE;
      if (g_rand_int_range(r, 0, 3) == 0)
        ev[i].start = t - (gint64)g_rand_int_range(r, 1, 900) * CX_USEC_PER_SEC;
      ev[i].time = t;
      if (g_rand_int_range(r, 0, 10) == 0) {
        ev[i].time = CX_TS_NONE;
        ev[i].flags = CX_EVENT_UNTIMED;
      }
    }
    CxJourney j = { 0 };
    j.case_id = cx_pool_intern(cx_log_cases(s.log), case_name, -1);
    j.n_events = len;
    j.n_instances = len;
    j.instances = ev;
    g_array_append_val(s.journeys, j);
  }
  return s;
}

static void
set_clear(Set *s)
{
  for (guint i = 0; i < s->journeys->len; i++)
    g_free((gpointer)g_array_index(s->journeys, CxJourney, i).instances);
  g_array_free(s->journeys, TRUE);
  cx_log_free(s->log);
}

/* Journeys [from, to) of @s into a new accumulator; the tag of journey i is
 * 1000 + i, so that sample tags and case ids tell journeys apart. */
static CxTransitions *
fill(const Set *s, guint from, guint to)
{
  CxTransitions *t = cx_transitions_new(s->log, ALL);
  for (guint i = from; i < to; i++)
    cx_transitions_add(t, &g_array_index(s->journeys, CxJourney, i), 1000 + i);
  return t;
}

static guint
len_of(const GArray *a)
{
  return a != NULL ? a->len : 0;
}

static void
same_array(const GArray *x, const GArray *y, gsize elt, const char *what, guint32 id)
{
  ck_assert_msg(len_of(x) == len_of(y), "%s of %u: %u vs %u", what, id, len_of(x), len_of(y));
  if (len_of(x) > 0)
    ck_assert_msg(memcmp(x->data, y->data, x->len * elt) == 0, "%s of %u differ", what, id);
}

/* Two tag lists hold the same tags in the same order. */
static void
same_tags(const CxTagList *x, const CxTagList *y, guint32 id)
{
  g_autoptr(GArray) a = cx_tag_list_decode(x);
  g_autoptr(GArray) b = cx_tag_list_decode(y);
  same_array(a, b, sizeof(guint32), "case tags", id);
}

/* Two sample lists hold the same samples in the same order. */
static void
same_samples(const CxSampleList *x, const CxSampleList *y, const char *what, guint32 id)
{
  g_autoptr(GArray) a = cx_transitions_list_seconds(x);
  g_autoptr(GArray) b = cx_transitions_list_seconds(y);
  ck_assert_uint_eq(a->len, x->n);
  same_array(a, b, sizeof(double), what, id);
}

/* Two quantile states: the same samples in the same order (or sketch). */
static void
same_quantiles(const CxQuantiles *x, const CxQuantiles *y, const char *what, guint32 id)
{
  g_autoptr(GByteArray) a = g_byte_array_new();
  g_autoptr(GByteArray) b = g_byte_array_new();
  cx_quantiles_save(x, a);
  cx_quantiles_save(y, b);
  ck_assert_msg(a->len == b->len && memcmp(a->data, b->data, a->len) == 0, "%s of %u differ", what,
                id);
  gsize nx, ny;
  const double *vx = cx_quantiles_samples(x, &nx), *vy = cx_quantiles_samples(y, &ny);
  ck_assert_msg(nx == ny && (nx == 0 || memcmp(vx, vy, nx * sizeof(double)) == 0),
                "%s of %u: order", what, id);
}

/* Case refs field by field: the struct has padding. */
static void
same_refs(const GArray *x, const GArray *y, const char *what, guint32 id)
{
  ck_assert_msg(len_of(x) == len_of(y), "%s refs of %u: %u vs %u", what, id, len_of(x), len_of(y));
  for (guint k = 0; k < len_of(x); k++) {
    const CxCaseRef *a = &g_array_index(x, CxCaseRef, k), *b = &g_array_index(y, CxCaseRef, k);
    ck_assert_msg(a->first == b->first && a->case_id == b->case_id, "%s refs of %u: #%u", what, id,
                  k);
  }
}

/* Asserts that @x and @y hold the same numbers, samples and lists. */
static void
assert_same(const CxTransitions *x, const CxTransitions *y)
{
  ck_assert_uint_eq(cx_transitions_n_journeys(x), cx_transitions_n_journeys(y));
  ck_assert_uint_eq(cx_transitions_n_instances(x), cx_transitions_n_instances(y));
  guint na = MAX(cx_transitions_n_acts(x), cx_transitions_n_acts(y));
  static const CxTransitionsAct zero = { 0 };
  for (guint32 a = 0; a < na; a++) {
    const CxTransitionsAct *p = cx_transitions_act(x, a), *q = cx_transitions_act(y, a);
    p = p != NULL ? p : &zero;
    q = q != NULL ? q : &zero;
    ck_assert_msg(p->count == q->count, "count of %u", a);
    ck_assert_msg(p->cases == q->cases, "cases of %u: %lu vs %lu", a, (unsigned long)p->cases,
                  (unsigned long)q->cases);
    ck_assert_msg(p->starts == q->starts && p->ends == q->ends, "starts/ends of %u", a);
    same_samples(&p->service_samples, &q->service_samples, "services", a);
    same_tags(&p->service_tags, &q->service_tags, a);
    same_refs(p->refs, q->refs, "activity", a);
    same_tags(&p->case_tags, &q->case_tags, a);
    same_quantiles(p->arrivals, q->arrivals, "arrivals", a);
    same_quantiles(p->case_waits, q->case_waits, "case means", a);
  }
  ck_assert_uint_eq(cx_transitions_n_edges(x), cx_transitions_n_edges(y));
  for (guint i = 0; i < cx_transitions_n_edges(x); i++) {
    const CxTransitionsEdge *p = cx_transitions_edge(x, i), *q = cx_transitions_edge(y, i);
    ck_assert_msg(p->from == q->from && p->to == q->to, "edge #%u: order of first appearance", i);
    ck_assert_msg(p->count == q->count, "count of edge #%u", i);
    ck_assert_msg(p->cases == q->cases, "cases of edge #%u: %lu vs %lu", i, (unsigned long)p->cases,
                  (unsigned long)q->cases);
    same_samples(&p->wait_samples, &q->wait_samples, "waits", i);
    same_tags(&p->wait_tags, &q->wait_tags, i);
    same_refs(p->refs, q->refs, "edge", i);
    same_tags(&p->case_tags, &q->case_tags, i);
    same_quantiles(p->case_waits, q->case_waits, "case means", i);
    ck_assert(cx_transitions_find(x, p->from, p->to) == p);
  }
}

/* The one-pass numbers against a count straight from the journeys. */
static void
assert_brute_force(const Set *s, const CxTransitions *t)
{
  guint64 n_inst = 0, n_journeys = 0;
  for (guint e = 0; e < cx_transitions_n_edges(t); e++) {
    const CxTransitionsEdge *ed = cx_transitions_edge(t, e);
    guint64 count = 0, cases = 0, waits = 0, means = 0;
    gsize n_means;
    const double *case_means = cx_quantiles_samples(ed->case_waits, &n_means);
    g_autoptr(GArray) wait_tags = cx_tag_list_decode(&ed->wait_tags);
    g_autoptr(GArray) wait_samples = cx_transitions_list_seconds(&ed->wait_samples);
    for (guint c = 0; c < s->journeys->len; c++) {
      const CxJourney *j = &g_array_index(s->journeys, CxJourney, c);
      guint64 here = 0, n_here = 0;
      double sum = 0;
      for (guint i = 1; i < j->n_instances; i++) {
        const CxEvent *p = &j->instances[i - 1], *q = &j->instances[i];
        if (p->activity != ed->from || q->activity != ed->to)
          continue;
        here++;
        gint64 b = q->start != CX_TS_NONE ? q->start : q->time;
        if (p->time != CX_TS_NONE && b != CX_TS_NONE) {
          ck_assert_double_eq(g_array_index(wait_samples, double, waits),
                              (double)(b - p->time) / 1e6);
          ck_assert_uint_eq(g_array_index(wait_tags, guint32, waits), 1000 + c);
          waits++;
          sum += (double)(b - p->time) / 1e6;
          n_here++;
        }
      }
      if (n_here > 0 && case_means != NULL) /* NULL: sketched, checked by merges */
        ck_assert_double_eq_tol(case_means[means], sum / n_here, 1e-6);
      means += n_here > 0;
      count += here;
      cases += here > 0;
    }
    ck_assert_uint_eq(ed->count, count);
    ck_assert_uint_eq(ed->cases, cases);
    ck_assert_uint_eq(ed->wait_samples.n, waits);
    ck_assert_uint_eq(wait_samples->len, waits);
    ck_assert_uint_eq(len_of(ed->refs), cases);
    ck_assert_uint_eq(cx_quantiles_n(ed->case_waits), means);
    ck_assert(n_means == means || case_means == NULL);
  }
  for (guint c = 0; c < s->journeys->len; c++) {
    guint n = g_array_index(s->journeys, CxJourney, c).n_instances;
    n_inst += n;
    n_journeys += n > 0;
  }
  ck_assert_uint_eq(cx_transitions_n_instances(t), n_inst);
  ck_assert_uint_eq(cx_transitions_n_journeys(t), n_journeys);
}

/* Splits @s at several points, merges the halves and compares with one
 * pass; also merges into a filled accumulator and goes on adding to it. */
static void
check_splits(guint n, guint32 n_act, guint32 lo, guint32 seed)
{
  Set s = make_set(n, n_act, lo, seed);
  g_autoptr(CxTransitions) one = fill(&s, 0, n);
  ck_assert_uint_gt(cx_transitions_n_edges(one), 0);
  assert_brute_force(&s, one);
  guint cuts[] = { 0, 1, n / 3, n / 2, n / 2 + 1, n - 1, n };
  for (guint k = 0; k < G_N_ELEMENTS(cuts); k++) {
    g_autoptr(CxTransitions) a = fill(&s, 0, cuts[k]);
    g_autoptr(CxTransitions) b = fill(&s, cuts[k], n);
    cx_transitions_merge(a, b);
    assert_same(one, a);
  }
  /* three pieces, the last added after the merge: the once-per-case
   * bookkeeping must not take a new journey for one already counted */
  g_autoptr(CxTransitions) a = fill(&s, 0, n / 4);
  g_autoptr(CxTransitions) b = fill(&s, n / 4, n / 2);
  cx_transitions_merge(a, b);
  for (guint i = n / 2; i < n; i++)
    cx_transitions_add(a, &g_array_index(s.journeys, CxJourney, i), 1000 + i);
  assert_same(one, a);
  /* reset empties */
  cx_transitions_reset(a);
  ck_assert_uint_eq(cx_transitions_n_edges(a), 0);
  ck_assert_uint_eq(cx_transitions_n_journeys(a), 0);
  set_clear(&s);
}

START_TEST(test_merge_few_activities)
{
  check_splits(400, 7, 0, 11);
}
END_TEST

/* Past the exact limit the quantile states are sketches: a merge of any
 * split still equals one pass, byte for byte, and so do the DFG's waits
 * and service times (quantile states without SAMPLE_CASES). */
START_TEST(test_merge_sketched)
{
  g_setenv("CXMINE_TEST_EXACT_SAMPLES", "9", TRUE);
  check_splits(400, 7, 0, 14);
  Set s = make_set(300, 5, 0, 15);
  guint flags = CX_TRANSITIONS_EDGES | CX_TRANSITIONS_WAITS | CX_TRANSITIONS_SERVICE;
  g_autoptr(CxTransitions) one = cx_transitions_new(s.log, flags);
  g_autoptr(CxTransitions) a = cx_transitions_new(s.log, flags);
  g_autoptr(CxTransitions) b = cx_transitions_new(s.log, flags);
  for (guint i = 0; i < s.journeys->len; i++) {
    const CxJourney *j = &g_array_index(s.journeys, CxJourney, i);
    cx_transitions_add(one, j, i);
    cx_transitions_add(i < 170 ? a : b, j, i);
  }
  cx_transitions_merge(a, b);
  gboolean any = FALSE;
  for (guint i = 0; i < cx_transitions_n_edges(one); i++) {
    const CxTransitionsEdge *e = cx_transitions_edge(one, i);
    const CxTransitionsEdge *m = cx_transitions_find(a, e->from, e->to);
    any |= !cx_quantiles_is_exact(e->waits);
    same_quantiles(e->waits, m->waits, "sketched waits", i);
  }
  for (guint32 x = 0; x < cx_transitions_n_acts(one); x++) {
    const CxTransitionsAct *p = cx_transitions_act(one, x), *q = cx_transitions_act(a, x);
    same_quantiles(p->service, q != NULL ? q->service : NULL, "sketched services", x);
  }
  ck_assert(any);
  set_clear(&s);
  g_unsetenv("CXMINE_TEST_EXACT_SAMPLES");
}
END_TEST

START_TEST(test_merge_many_activities)
{
  /* ids 0..39 in the first half, 1500.. in the second: a merge that moves
   * the destination from its matrix to the hash */
  check_splits(300, 40, 1500, 12);
}
END_TEST

START_TEST(test_merge_is_not_doubling)
{
  /* the same journeys on both sides: every once-per-case count and every
   * sample list doubles (a merge that kept the larger count, or skipped a
   * journey counted already, would not) */
  Set s = make_set(50, 4, 0, 13);
  g_autoptr(CxTransitions) one = fill(&s, 0, 50);
  g_autoptr(CxTransitions) a = fill(&s, 0, 50);
  g_autoptr(CxTransitions) b = fill(&s, 0, 50);
  cx_transitions_merge(a, b);
  for (guint32 x = 0; x < cx_transitions_n_acts(one); x++) {
    const CxTransitionsAct *p = cx_transitions_act(one, x), *q = cx_transitions_act(a, x);
    ck_assert_uint_eq(q->cases, 2 * p->cases);
    ck_assert_uint_eq(q->service_samples.n, 2 * p->service_samples.n);
  }
  set_clear(&s);
}
END_TEST

START_TEST(test_count_equals_add)
{
  /* pairs counted by the caller (as friction counts channel pairs) give
   * what cx_transitions_add gives for consecutive activities */
  Set s = make_set(300, 6, 0, 14);
  guint flags = CX_TRANSITIONS_EDGES | CX_TRANSITIONS_WAITS | CX_TRANSITIONS_SAMPLE_CASES
                | CX_TRANSITIONS_CASE_TAGS;
  g_autoptr(CxTransitions) by_add = cx_transitions_new(s.log, flags);
  g_autoptr(CxTransitions) by_count = cx_transitions_new(s.log, flags);
  for (guint c = 0; c < s.journeys->len; c++) {
    const CxJourney *j = &g_array_index(s.journeys, CxJourney, c);
    cx_transitions_add(by_add, j, c);
    if (j->n_instances == 0)
      continue;
    cx_transitions_begin(by_count);
    for (guint i = 1; i < j->n_instances; i++) {
      gint64 us = 0;
      gboolean timed = cx_transition_wait(NULL, &j->instances[i - 1], &j->instances[i], &us);
      cx_transitions_count(by_count, j->instances[i - 1].activity, j->instances[i].activity, timed,
                           us, c);
    }
  }
  ck_assert_uint_eq(cx_transitions_n_edges(by_add), cx_transitions_n_edges(by_count));
  ck_assert_uint_eq(cx_transitions_n_journeys(by_add), cx_transitions_n_journeys(by_count));
  for (guint i = 0; i < cx_transitions_n_edges(by_add); i++) {
    const CxTransitionsEdge *p = cx_transitions_edge(by_add, i),
                            *q = cx_transitions_edge(by_count, i);
    ck_assert(p->from == q->from && p->to == q->to);
    ck_assert_uint_eq(p->count, q->count);
    ck_assert_uint_eq(p->cases, q->cases);
    same_samples(&p->wait_samples, &q->wait_samples, "waits", i);
    same_tags(&p->wait_tags, &q->wait_tags, i);
    same_tags(&p->case_tags, &q->case_tags, i);
  }
  set_clear(&s);
}
END_TEST

/* Tag lists give back what was added, in order, whatever the steps (up,
 * down, none, the whole range), and take about a byte a tag for small
 * steps. */
START_TEST(test_tag_list)
{
  static const guint32 tags[] = { 0, 1, 2, 2, 130, 129, 0, G_MAXUINT32, 0, G_MAXUINT32, 7, 16384 };
  g_autoptr(CxListStore) st = cx_list_store_new();
  CxTagList l = { 0 };
  g_autoptr(GArray) empty = cx_tag_list_decode(&l);
  ck_assert_uint_eq(empty->len, 0);
  for (guint i = 0; i < G_N_ELEMENTS(tags); i++)
    cx_tag_list_add(st, &l, tags[i]);
  g_autoptr(GArray) got = cx_tag_list_decode(&l);
  ck_assert_uint_eq(got->len, G_N_ELEMENTS(tags));
  for (guint i = 0; i < G_N_ELEMENTS(tags); i++)
    ck_assert_uint_eq(g_array_index(got, guint32, i), tags[i]);
  CxTagList m = { 0 };
  cx_tag_list_add(st, &m, 5);
  cx_tag_list_append(st, &m, &l);
  g_autoptr(GArray) both = cx_tag_list_decode(&m);
  ck_assert_uint_eq(both->len, G_N_ELEMENTS(tags) + 1);
  ck_assert_uint_eq(g_array_index(both, guint32, 0), 5);
  for (guint i = 0; i < G_N_ELEMENTS(tags); i++)
    ck_assert_uint_eq(g_array_index(both, guint32, i + 1), tags[i]);
  cx_tag_list_clear(&l);
  cx_tag_list_clear(&m);
  for (guint32 c = 0; c < 100000; c += 1 + c % 3)
    cx_tag_list_add(st, &l, c);
  ck_assert_uint_le(cx_bytes_size(&l.bytes), l.n);
  g_autoptr(GArray) many = cx_tag_list_decode(&l);
  for (guint32 c = 0, i = 0; c < 100000; c += 1 + c % 3, i++)
    ck_assert_uint_eq(g_array_index(many, guint32, i), c);
  cx_tag_list_clear(&l);
  /* small steps down are small too */
  for (guint32 c = 1000; c > 0; c--)
    cx_tag_list_add(st, &l, c);
  ck_assert_uint_le(cx_bytes_size(&l.bytes), l.n + 1);
  cx_tag_list_clear(&l);
}
END_TEST

/* Sample lists give back every duration exactly, in order, in whichever
 * unit it fits (seconds, milliseconds, microseconds, beyond +-2^60 us),
 * negative or not; waits of minutes to days at millisecond precision take
 * at most five bytes, whole seconds at most four; appending keeps both. */
START_TEST(test_sample_list)
{
  static const gint64 us[] = { 0,
                               1,
                               -1,
                               999,
                               1000,
                               -1000,
                               1000000,
                               -86400000000,
                               123456789,
                               3600000000 + 1,
                               G_GINT64_CONSTANT(1) << 60,
                               -(G_GINT64_CONSTANT(1) << 60),
                               G_MAXINT64,
                               G_MININT64,
                               (G_GINT64_CONSTANT(1) << 60) - 1000000,
                               7 };
  g_autoptr(CxListStore) st = cx_list_store_new();
  CxSampleList l = { 0 };
  g_autoptr(GArray) empty = cx_transitions_list_seconds(&l);
  ck_assert_uint_eq(empty->len, 0);
  for (guint i = 0; i < G_N_ELEMENTS(us); i++)
    cx_sample_list_add(st, &l, us[i]);
  ck_assert_uint_eq(l.n, G_N_ELEMENTS(us));
  CxSampleIter it;
  gint64 v;
  guint i = 0;
  cx_sample_iter_init(&it, &l);
  while (cx_sample_iter_next(&it, &v)) {
    ck_assert_uint_lt(i, G_N_ELEMENTS(us));
    ck_assert_int_eq(v, us[i]);
    i++;
  }
  ck_assert_uint_eq(i, G_N_ELEMENTS(us));
  CxSampleList m = { 0 };
  cx_sample_list_add(st, &m, 42);
  cx_sample_list_append(st, &m, &l);
  ck_assert_uint_eq(m.n, G_N_ELEMENTS(us) + 1);
  g_autoptr(GArray) secs = cx_transitions_list_seconds(&m);
  ck_assert_uint_eq(secs->len, m.n);
  ck_assert_double_eq(g_array_index(secs, double, 0), 42e-6);
  for (i = 0; i < G_N_ELEMENTS(us); i++)
    ck_assert_double_eq(g_array_index(secs, double, i + 1), (double)us[i] / 1e6);
  CxExactSum want = 0;
  for (i = 0; i < G_N_ELEMENTS(us); i++)
    want += us[i];
  ck_assert(cx_transitions_list_sum(&l) == want);
  cx_sample_list_clear(&l);
  cx_sample_list_clear(&m);
  ck_assert(l.bytes.open == NULL && l.bytes.nblocks == 0 && l.n == 0);
  /* sizes: whole seconds up to a day and milliseconds up to 4 days */
  for (gint64 s = 0; s <= 86400; s += 7)
    cx_sample_list_add(st, &l, s * 1000000);
  ck_assert_uint_le(cx_bytes_size(&l.bytes), 4 * l.n);
  cx_sample_list_clear(&l);
  for (gint64 ms = 1; ms <= 4 * 86400000; ms += 9973)
    cx_sample_list_add(st, &l, ms * 1000 + (ms % 1000 == 0 ? 1000 : 0));
  ck_assert_uint_le(cx_bytes_size(&l.bytes), 5 * l.n);
  cx_sample_list_clear(&l);
}
END_TEST

/* Lists past a block go to the store's scratch file block by block and
 * read back the same, interleaved with others, wide samples (two numbers
 * an item) included; an open block never grows past a block and an item;
 * after a reset the store takes new lists. */
START_TEST(test_list_store)
{
  g_setenv("CXMINE_TEST_LIST_BLOCK", "16", TRUE);
  g_autoptr(CxListStore) st = cx_list_store_new();
  g_unsetenv("CXMINE_TEST_LIST_BLOCK");
  for (int round = 0; round < 2; round++) {
    CxTagList a = { 0 }, b = { 0 };
    CxSampleList w = { 0 };
    const guint n = 20000; /* far past the store's buffer of 256 blocks */
    for (guint i = 0; i < n; i++) {
      cx_tag_list_add(st, &a, i * 3);
      cx_tag_list_add(st, &b, (guint32)(n - i) * 1000u + (guint32)round);
      gint64 us = i % 7 == 0 ? (G_GINT64_CONSTANT(1) << 61) + i : (gint64)i * 1000001;
      cx_sample_list_add(st, &w, us);
      ck_assert_uint_le(a.bytes.cap, 16 + CX_LIST_ITEM_MAX);
      ck_assert_uint_le(w.bytes.cap, 16 + CX_LIST_ITEM_MAX);
    }
    ck_assert_uint_gt(w.bytes.nblocks, 256);
    ck_assert(cx_list_store_check(st, NULL));
    g_autoptr(GArray) ga = cx_tag_list_decode(&a);
    g_autoptr(GArray) gb = cx_tag_list_decode(&b);
    ck_assert_uint_eq(ga->len, n);
    ck_assert_uint_eq(gb->len, n);
    for (guint i = 0; i < n; i++) {
      ck_assert_uint_eq(g_array_index(ga, guint32, i), i * 3);
      ck_assert_uint_eq(g_array_index(gb, guint32, i), (n - i) * 1000u + (guint32)round);
    }
    CxSampleIter it;
    gint64 us;
    guint i = 0;
    cx_sample_iter_init(&it, &w);
    while (cx_sample_iter_next(&it, &us)) {
      ck_assert_int_eq(us, i % 7 == 0 ? (G_GINT64_CONSTANT(1) << 61) + i : (gint64)i * 1000001);
      i++;
    }
    ck_assert_uint_eq(i, n);
    /* appended into the same store: the copy reads back too */
    CxSampleList c = { 0 };
    cx_sample_list_append(st, &c, &w);
    ck_assert_uint_eq(c.n, n);
    ck_assert(cx_transitions_list_sum(&c) == cx_transitions_list_sum(&w));
    cx_tag_list_clear(&a);
    cx_tag_list_clear(&b);
    cx_sample_list_clear(&w);
    cx_sample_list_clear(&c);
    cx_list_store_reset(st);
  }
}
END_TEST

START_TEST(test_wait_definition)
{
  /* from the completion of A to the start of B, else B's completion */
  CxEvent a = { 0 }, b = { 0 };
  a.start = CX_TS_NONE;
  a.time = T0;
  b.start = T0 + 60 * CX_USEC_PER_SEC;
  b.time = T0 + 100 * CX_USEC_PER_SEC;
  gint64 us = -1;
  ck_assert(cx_transition_wait(NULL, &a, &b, &us));
  ck_assert_int_eq(us, 60 * CX_USEC_PER_SEC);
  b.start = CX_TS_NONE;
  ck_assert(cx_transition_wait(NULL, &a, &b, &us));
  ck_assert_int_eq(us, 100 * CX_USEC_PER_SEC);
  a.time = CX_TS_NONE;
  ck_assert(!cx_transition_wait(NULL, &a, &b, &us));
  ck_assert(!cx_transition_service(NULL, &b, &us));
  b.start = T0;
  ck_assert(cx_transition_service(NULL, &b, &us));
  ck_assert_int_eq(us, 100 * CX_USEC_PER_SEC);
  double v[] = { 0.1, 0.2, 1e9 + 0.000001 };
  ck_assert(cx_transitions_exact_sum(v, 3) == (CxExactSum)1000000000300001);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("transitions");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, test_merge_few_activities);
  tcase_add_test(tc, test_merge_many_activities);
  tcase_add_test(tc, test_merge_sketched);
  tcase_add_test(tc, test_merge_is_not_doubling);
  tcase_add_test(tc, test_count_equals_add);
  tcase_add_test(tc, test_wait_definition);
  tcase_add_test(tc, test_tag_list);
  tcase_add_test(tc, test_sample_list);
  tcase_add_test(tc, test_list_store);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_ENV);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? 0 : 1;
}
