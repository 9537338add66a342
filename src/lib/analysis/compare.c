/* One group of journeys to compare (CxCompareSide): accumulated per journey,
 * merged, subtracted ("the rest"), with its own friction analysis.  The
 * items made from two sides are in compare-items.c, the tests and their
 * meaning in compare-tests.c. */
#include "hash-private.h"
#include "compare-private.h"
#include "cxmine/compare.h"
#include "cxmine/journey-store.h"
#include "cxmine/summary.h"
#include "cxmine/output.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

static void
sort_doubles_array(GArray *a)
{
  if (a->len > 1)
    cx_sort_doubles((double *)a->data, a->len);
}

static Acc *
acc_new(void)
{
  Acc *a = g_new0(Acc, 1);
  a->waits = g_array_new(FALSE, FALSE, sizeof(double));
  a->case_waits = g_array_new(FALSE, FALSE, sizeof(double));
  return a;
}

static void
acc_free(gpointer p)
{
  Acc *a = p;
  if (a == NULL)
    return;
  g_array_free(a->waits, TRUE);
  g_array_free(a->case_waits, TRUE);
  g_free(a);
}

CxCompareSide *
cx_compare_side_new(CxLog *log)
{
  CxCompareSide *s = g_new0(CxCompareSide, 1);
  s->log = log;
  s->edges = g_hash_table_new_full(cx_u64_hash, cx_u64_equal, g_free, acc_free);
  s->activities = g_ptr_array_new_with_free_func(acc_free);
  s->variants = cx_variants_new(log);
  s->durations = g_array_new(FALSE, FALSE, sizeof(double));
  s->instances = g_array_new(FALSE, FALSE, sizeof(double));
  s->ends = g_array_new(FALSE, FALSE, sizeof(End));
  s->touched = g_ptr_array_new();
  s->fr = g_array_new(FALSE, FALSE, sizeof(FrCase));
  s->sat = g_array_new(FALSE, FALSE, sizeof(double));
  s->sat_key_id = G_MAXUINT32;
  return s;
}

void
cx_compare_side_free(CxCompareSide *s)
{
  if (s == NULL)
    return;
  g_hash_table_destroy(s->edges);
  g_ptr_array_free(s->activities, TRUE);
  cx_variants_free(s->variants);
  g_array_free(s->durations, TRUE);
  g_array_free(s->instances, TRUE);
  g_array_free(s->ends, TRUE);
  g_ptr_array_free(s->touched, TRUE);
  g_array_free(s->fr, TRUE);
  g_array_free(s->sat, TRUE);
  g_free(s);
}

void
cx_compare_side_reset(gpointer data)
{
  CxCompareSide *s = data;
  g_hash_table_remove_all(s->edges);
  g_ptr_array_set_size(s->activities, 0);
  cx_variants_reset(s->variants);
  g_array_set_size(s->durations, 0);
  g_array_set_size(s->instances, 0);
  g_array_set_size(s->ends, 0);
  g_ptr_array_set_size(s->touched, 0);
  g_array_set_size(s->fr, 0);
  g_array_set_size(s->sat, 0);
  s->cases = 0;
}

void
cx_compare_side_set_friction(CxCompareSide *side, CxFriction *friction)
{
  side->friction = friction;
}

void
cx_compare_side_set_outcome(CxCompareSide *side, CxOutcome *outcome)
{
  side->outcome = outcome;
}

void
cx_compare_side_set_satisfaction(CxCompareSide *side, const char *key)
{
  side->sat_key = key;
  side->sat_key_id = G_MAXUINT32;
}

/* The journey's satisfaction score, NaN when it has none. */
static double
side_score(CxCompareSide *s, const CxJourney *j)
{
  if (s->sat_key_id == G_MAXUINT32) {
    s->sat_key_id = cx_pool_lookup(cx_log_keys(s->log), s->sat_key, -1);
    if (s->sat_key_id == G_MAXUINT32)
      return NAN; /* not seen yet: looked up again for the next journey */
  }
  return cx_journey_attr_number(j, cx_log_values(s->log), s->sat_key_id);
}

guint64
cx_compare_side_n_cases(const CxCompareSide *side)
{
  return side->cases;
}

static Acc *
activity_acc(CxCompareSide *s, guint32 id)
{
  if (id >= s->activities->len)
    g_ptr_array_set_size(s->activities, id + 1);
  Acc *a = g_ptr_array_index(s->activities, id);
  if (a == NULL) {
    a = acc_new();
    g_ptr_array_index(s->activities, id) = a;
  }
  return a;
}

static Acc *
edge_acc(CxCompareSide *s, guint32 from, guint32 to)
{
  guint64 key = (guint64)from << 32 | to;
  Acc *a = g_hash_table_lookup(s->edges, &key);
  if (a == NULL) {
    a = acc_new();
    g_hash_table_insert(s->edges, g_memdup2(&key, sizeof key), a);
  }
  return a;
}

static void
acc_hit(CxCompareSide *s, Acc *a, double wait)
{
  a->count++;
  if (a->last_seq != s->seq) {
    a->last_seq = s->seq;
    a->cases++;
    a->case_sum = 0;
    a->case_n = 0;
  }
  if (!isnan(wait)) {
    g_array_append_val(a->waits, wait);
    if (a->case_n++ == 0)
      g_ptr_array_add(s->touched, a);
    a->case_sum += wait;
  }
}

gboolean
cx_compare_side_add(const CxJourney *j, gpointer data, GError **error)
{
  CxCompareSide *s = data;
  s->cases++;
  s->seq++;
  g_ptr_array_set_size(s->touched, 0);
  const CxCalendar *cal = cx_log_options(s->log)->calendar;
  const CxEvent *ev = j->instances;
  for (guint i = 0; i < j->n_instances; i++) {
    double wait = NAN;
    if (i > 0) {
      gint64 t0 = ev[i - 1].time;
      gint64 t1 = ev[i].start != CX_TS_NONE ? ev[i].start : ev[i].time;
      if (t0 != CX_TS_NONE && t1 != CX_TS_NONE)
        wait = (double)cx_elapsed(cal, t0, t1) / (double)CX_USEC_PER_SEC;
      acc_hit(s, edge_acc(s, ev[i - 1].activity, ev[i].activity), wait);
    }
    Acc *act = activity_acc(s, ev[i].activity);
    acc_hit(s, act, wait);
    if (i == 0)
      act->starts++;
  }
  for (guint i = 0; i < s->touched->len; i++) {
    Acc *a = g_ptr_array_index(s->touched, i);
    double mean = a->case_sum / a->case_n;
    g_array_append_val(a->case_waits, mean);
  }

  gint64 d = cx_journey_elapsed(j, cal);
  double secs = d >= 0 ? (double)d / (double)CX_USEC_PER_SEC : NAN;
  if (d >= 0)
    g_array_append_val(s->durations, secs);
  if (s->friction != NULL) {
    guint64 n = cx_friction_n_cases(s->friction);
    g_return_val_if_fail(n > 0, FALSE); /* the analysis must have this journey already */
    FrCase fc = { (guint32)(n - 1) };
    g_array_append_val(s->fr, fc);
  }
  double n_inst = j->n_instances;
  g_array_append_val(s->instances, n_inst);
  if (s->sat_key != NULL) {
    double score = side_score(s, j);
    if (!isnan(score))
      g_array_append_val(s->sat, score);
  }
  if (j->n_instances > 0) {
    End e = { j->instances[j->n_instances - 1].activity, cx_journey_last_time(j) };
    g_array_append_val(s->ends, e);
  }
  return cx_variants_add(j, s->variants, error);
}

static void
acc_merge(Acc *dst, const Acc *src)
{
  dst->count += src->count;
  dst->cases += src->cases;
  dst->starts += src->starts;
  g_array_append_vals(dst->waits, src->waits->data, src->waits->len);
  g_array_append_vals(dst->case_waits, src->case_waits->data, src->case_waits->len);
}

void
cx_compare_side_merge(CxCompareSide *dst, const CxCompareSide *src)
{
  g_return_if_fail(dst->log == src->log);
  dst->cases += src->cases;
  /* keep dst's sequence numbers apart from anything merged in */
  dst->seq += src->seq + 1;
  GHashTableIter it;
  gpointer k, v;
  g_hash_table_iter_init(&it, src->edges);
  while (g_hash_table_iter_next(&it, &k, &v)) {
    guint64 key = *(guint64 *)k;
    acc_merge(edge_acc(dst, (guint32)(key >> 32), (guint32)key), v);
  }
  for (guint i = 0; i < src->activities->len; i++) {
    const Acc *a = g_ptr_array_index(src->activities, i);
    if (a)
      acc_merge(activity_acc(dst, i), a);
  }
  cx_variants_merge(dst->variants, src->variants);
  g_array_append_vals(dst->durations, src->durations->data, src->durations->len);
  g_array_append_vals(dst->instances, src->instances->data, src->instances->len);
  g_array_append_vals(dst->ends, src->ends->data, src->ends->len);
  g_array_append_vals(dst->fr, src->fr->data, src->fr->len);
  g_array_append_vals(dst->sat, src->sat->data, src->sat->len);
  if (dst->sat_key == NULL)
    dst->sat_key = src->sat_key;
  if (dst->outcome == NULL)
    dst->outcome = src->outcome;
  if (dst->friction == NULL)
    dst->friction = src->friction;
}

static int
cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

/* Appends to @dst the sorted multiset @all less @part (both sorted). */
static void
doubles_minus(GArray *dst, GArray *all, GArray *part)
{
  sort_doubles_array(all);
  sort_doubles_array(part);
  const double *a = (const double *)all->data, *p = (const double *)part->data;
  guint i = 0, j = 0;
  while (i < all->len) {
    if (j < part->len && cmp_double(&p[j], &a[i]) < 0) {
      j++;
    } else if (j < part->len && cmp_double(&p[j], &a[i]) == 0) {
      i++;
      j++;
    } else {
      g_array_append_val(dst, a[i]);
      i++;
    }
  }
}

static int
cmp_end(const void *pa, const void *pb)
{
  const End *a = pa, *b = pb;
  if (a->activity != b->activity)
    return a->activity < b->activity ? -1 : 1;
  return a->last < b->last ? -1 : a->last > b->last;
}

static int
cmp_fr(const void *pa, const void *pb)
{
  const FrCase *a = pa, *b = pb;
  return a->index < b->index ? -1 : a->index > b->index;
}

/* Appends to @dst the records of @all not in @part (both sorted by @cmp). */
static void
records_minus(GArray *dst, GArray *all, GArray *part, GCompareFunc cmp)
{
  gsize sz = g_array_get_element_size(all);
  if (all->len > 1)
    qsort(all->data, all->len, sz, cmp);
  if (part->len > 1)
    qsort(part->data, part->len, sz, cmp);
  guint i = 0, j = 0;
  while (i < all->len) {
    const void *a = all->data + (gsize)i * sz;
    const void *p = j < part->len ? part->data + (gsize)j * sz : NULL;
    int c = p ? cmp(p, a) : 1;
    if (c < 0) {
      j++;
    } else if (c == 0) {
      i++;
      j++;
    } else {
      g_array_append_vals(dst, a, 1);
      i++;
    }
  }
}

static void
acc_minus(Acc *dst, Acc *all, Acc *part)
{
  dst->count = all->count - (part ? MIN(part->count, all->count) : 0);
  dst->cases = all->cases - (part ? MIN(part->cases, all->cases) : 0);
  dst->starts = all->starts - (part ? MIN(part->starts, all->starts) : 0);
  g_autoptr(GArray) none = g_array_new(FALSE, FALSE, sizeof(double));
  doubles_minus(dst->waits, all->waits, part ? part->waits : none);
  doubles_minus(dst->case_waits, all->case_waits, part ? part->case_waits : none);
}

CxCompareSide *
cx_compare_side_new_difference(CxCompareSide *all, CxCompareSide *part)
{
  g_return_val_if_fail(all->log == part->log, NULL);
  CxCompareSide *d = cx_compare_side_new(all->log);
  d->outcome = all->outcome;
  d->friction = all->friction;
  d->cases = all->cases - MIN(part->cases, all->cases);
  d->seq = all->seq + 1;
  d->var_all = all;
  d->var_part = part;
  GHashTableIter it;
  gpointer k, v;
  g_hash_table_iter_init(&it, all->edges);
  while (g_hash_table_iter_next(&it, &k, &v)) {
    guint64 key = *(guint64 *)k;
    Acc *a = edge_acc(d, (guint32)(key >> 32), (guint32)key);
    acc_minus(a, v, g_hash_table_lookup(part->edges, &key));
    if (a->count == 0)
      g_hash_table_remove(d->edges, &key);
  }
  for (guint i = 0; i < all->activities->len; i++) {
    Acc *a = g_ptr_array_index(all->activities, i);
    if (a == NULL)
      continue;
    Acc *p = i < part->activities->len ? g_ptr_array_index(part->activities, i) : NULL;
    if (p != NULL && p->count >= a->count)
      continue;
    acc_minus(activity_acc(d, i), a, p);
  }
  doubles_minus(d->durations, all->durations, part->durations);
  doubles_minus(d->instances, all->instances, part->instances);
  records_minus(d->ends, all->ends, part->ends, (GCompareFunc)cmp_end);
  records_minus(d->fr, all->fr, part->fr, (GCompareFunc)cmp_fr);
  d->sat_key = all->sat_key;
  doubles_minus(d->sat, all->sat, part->sat);
  return d;
}

typedef struct {
  CxCompareSide *side;
  CxFriction *friction;
} Feed;

static gboolean
feed_friction(const CxJourney *j, gpointer data, GError **error)
{
  Feed *f = data;
  guint64 before = cx_friction_n_cases(f->friction);
  if (!cx_friction_add(j, f->friction, error))
    return FALSE;
  guint64 n = cx_friction_n_cases(f->friction);
  if (n > before) {
    FrCase fc = { (guint32)(n - 1) };
    g_array_append_val(f->side->fr, fc);
  }
  return TRUE;
}

CxFriction *
cx_compare_side_own_friction(CxCompareSide *side, const CxFrictionOptions *fo,
                             const CxOutcome *model, const CxJourneyStore *store,
                             const guint8 *keep, guint n_keep, GError **error)
{
  g_autoptr(CxFriction) f = cx_friction_new(side->log, fo);
  side->friction = f;
  g_array_set_size(side->fr, 0);
  Feed feed = { side, f };
  if (!cx_journey_store_replay(store, keep, n_keep, feed_friction, &feed, error)) {
    side->friction = NULL;
    g_array_set_size(side->fr, 0);
    return NULL;
  }
  if (model != NULL)
    cx_friction_set_outcome_model(f, &model, 1);
  cx_friction_finish(f);
  return g_steal_pointer(&f);
}
