/* One group of journeys to compare (CxCompareSide): accumulated per journey,
 * merged, subtracted ("the rest"), with its own friction analysis.  The
 * items made from two sides are in compare-items.c, the tests and their
 * meaning in compare-tests.c. */
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

CxCompareSide *
cx_compare_side_new(CxLog *log)
{
  CxCompareSide *s = g_new0(CxCompareSide, 1);
  s->log = log;
  s->tr = cx_transitions_new(log, SIDE_TRANSITIONS);
  s->variants = cx_variants_new(log);
  s->durations = g_array_new(FALSE, FALSE, sizeof(double));
  s->instances = g_array_new(FALSE, FALSE, sizeof(double));
  s->ends = g_array_new(FALSE, FALSE, sizeof(End));
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
  cx_transitions_free(s->tr);
  cx_variants_free(s->variants);
  g_array_free(s->durations, TRUE);
  g_array_free(s->instances, TRUE);
  g_array_free(s->ends, TRUE);
  g_array_free(s->fr, TRUE);
  g_array_free(s->sat, TRUE);
  g_free(s);
}

void
cx_compare_side_reset(gpointer data)
{
  CxCompareSide *s = data;
  cx_transitions_reset(s->tr);
  cx_variants_reset(s->variants);
  g_array_set_size(s->durations, 0);
  g_array_set_size(s->instances, 0);
  g_array_set_size(s->ends, 0);
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

gboolean
cx_compare_side_add(const CxJourney *j, gpointer data, GError **error)
{
  CxCompareSide *s = data;
  s->cases++;
  cx_transitions_add(s->tr, j, j->case_id);
  const CxCalendar *cal = cx_log_options(s->log)->calendar;

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
  /* with a friction analysis, its case records know each end */
  if (j->n_instances > 0 && s->friction == NULL) {
    End e = { j->instances[j->n_instances - 1].activity, cx_journey_last_time(j) };
    g_array_append_val(s->ends, e);
  }
  return cx_variants_add(j, s->variants, error);
}

void
cx_compare_side_merge(CxCompareSide *dst, const CxCompareSide *src)
{
  g_return_if_fail(dst->log == src->log);
  dst->cases += src->cases;
  cx_transitions_merge(dst->tr, src->tr);
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

static guint64
count_minus(guint64 all, guint64 part)
{
  return all - MIN(part, all);
}

/* Sets *@dst (made when missing, else empty) to the samples @all less
 * @part (either may be NULL: none). */
static void
samples_minus(CxQuantiles **dst, const CxQuantiles *all, const CxQuantiles *part)
{
  if (*dst == NULL)
    *dst = cx_quantiles_new();
  cx_quantiles_set_difference(*dst, all, part);
}

/* Sets @d's transitions to @all's less @part's.  A pair or an activity left
 * with no occurrence keeps a count of 0: readers skip those. */
static void
transitions_minus(CxTransitions *d, CxTransitions *all, CxTransitions *part)
{
  for (guint i = 0; i < cx_transitions_n_edges(all); i++) {
    CxTransitionsEdge *a = cx_transitions_edge(all, i);
    CxTransitionsEdge *p = cx_transitions_find(part, a->from, a->to);
    guint64 count = count_minus(a->count, p ? p->count : 0);
    if (count == 0)
      continue;
    CxTransitionsEdge *e = cx_transitions_edge_get(d, a->from, a->to);
    e->count = count;
    e->cases = count_minus(a->cases, p ? p->cases : 0);
    samples_minus(&e->waits, a->waits, p ? p->waits : NULL);
    samples_minus(&e->case_waits, a->case_waits, p ? p->case_waits : NULL);
  }
  for (guint i = 0; i < cx_transitions_n_acts(all); i++) {
    CxTransitionsAct *a = cx_transitions_act(all, i);
    CxTransitionsAct *p = cx_transitions_act(part, i);
    if (a->count == 0 || (p != NULL && p->count >= a->count))
      continue;
    CxTransitionsAct *x = cx_transitions_act_get(d, i);
    x->count = count_minus(a->count, p ? p->count : 0);
    x->cases = count_minus(a->cases, p ? p->cases : 0);
    x->starts = count_minus(a->starts, p ? p->starts : 0);
    samples_minus(&x->arrivals, a->arrivals, p ? p->arrivals : NULL);
    samples_minus(&x->case_waits, a->case_waits, p ? p->case_waits : NULL);
  }
}

CxCompareSide *
cx_compare_side_new_difference(CxCompareSide *all, CxCompareSide *part)
{
  g_return_val_if_fail(all->log == part->log, NULL);
  CxCompareSide *d = cx_compare_side_new(all->log);
  d->outcome = all->outcome;
  d->friction = all->friction;
  d->cases = all->cases - MIN(part->cases, all->cases);
  d->var_all = all;
  d->var_part = part;
  transitions_minus(d->tr, all->tr, part->tr);
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
  if (!cx_friction_finish(f, error)) {
    side->friction = NULL;
    g_array_set_size(side->fr, 0);
    return NULL;
  }
  return g_steal_pointer(&f);
}
