/* Comparison of two groups of journeys: accumulate per side, test, correct. */
#include "compare-private.h"
#include "transitions-private.h"
#include "cxmine/compare.h"
#include "cxmine/journey-store.h"
#include "cxmine/summary.h"
#include "cxmine/variants.h"
#include "cxmine/output.h"
#include "cxmine/dot-writer.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---------- per-side accumulation ---------- */

/* What a side keeps of its transitions.  Waits are kept twice: every
 * occurrence (for the medians users know from dfg) and one mean per journey
 * (the independent samples the test needs); an activity's waits are those
 * of the pairs into it. */
#define SIDE_TRANSITIONS                                                                           \
  (CX_TRANSITIONS_EDGES | CX_TRANSITIONS_WAITS | CX_TRANSITIONS_ARRIVALS                           \
   | CX_TRANSITIONS_CASE_MEANS)

typedef struct {
  guint32 activity;
  gint64 last;
} End;

/* A journey's place in the side's friction analysis. */
typedef struct {
  guint32 index;
} FrCase;

struct _CxCompareSide {
  CxLog *log;
  CxOutcome *outcome;
  CxFriction *friction;
  GArray *fr; /* FrCase, when friction is set */
  guint64 cases;
  CxTransitions *tr; /* activities and pairs (SIDE_TRANSITIONS) */
  CxVariants *variants;
  GArray *durations;   /* double seconds */
  GArray *instances;   /* double, instances per journey */
  GArray *ends;        /* End */
  const char *sat_key; /* cx_compare_side_set_satisfaction, or NULL */
  guint32 sat_key_id;  /* G_MAXUINT32 until found in the log's keys */
  GArray *sat;         /* double, one score per journey that has one */
  /* a difference (cx_compare_side_new_difference): its variants are those
   * of var_all less those of var_part (not owned) */
  const CxCompareSide *var_all, *var_part;
};

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
  if (j->n_instances > 0) {
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

/* Sets *@dst (made when missing) to the samples @all less @part (either may
 * be NULL: none). */
static void
samples_minus(GArray **dst, GArray *all, GArray *part)
{
  g_autoptr(GArray) none = g_array_new(FALSE, FALSE, sizeof(double));
  if (*dst == NULL)
    *dst = g_array_new(FALSE, FALSE, sizeof(double));
  doubles_minus(*dst, all ? all : none, part ? part : none);
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
  cx_friction_finish(f);
  return g_steal_pointer(&f);
}

/* ---------- the comparison ---------- */

void
cx_compare_options_init(CxCompareOptions *opts)
{
  *opts = (CxCompareOptions){ .alpha = 0.05,
                              .min_effect_rel = 0.10,
                              .min_effect_points = 0.02,
                              .min_cases = 5,
                              .min_variant_share = 0.01 };
  opts->names[0] = "before";
  opts->names[1] = "after";
}

const char *
cx_change_name(CxChange c)
{
  switch (c) {
    case CX_CHANGE_BETTER:
      return "better";
    case CX_CHANGE_WORSE:
      return "worse";
    case CX_CHANGE_CHANGED:
      return "changed";
    case CX_CHANGE_SAME:
    default:
      return "same";
  }
}

static void
item_clear(gpointer p)
{
  CxCompareItem *it = p;
  g_free(it->name);
  g_free(it->from);
  g_free(it->to);
  g_strfreev(it->activities);
}

void
cx_compare_free(CxCompare *c)
{
  if (c == NULL)
    return;
  g_array_free(c->items, TRUE);
  g_free(c);
}

static void
sort_samples(GArray *a)
{
  if (a->len > 1)
    cx_sort_doubles((double *)a->data, a->len);
}

/* Fills the distribution columns and the sample test of @it from the
 * sorted samples @s0 / @s1 (test) and @all0 / @all1 (medians shown). */
static void
item_samples(CxCompareItem *it, GArray *s0, GArray *s1, GArray *all0, GArray *all1, guint min_n)
{
  GArray *all[2] = { all0, all1 };
  for (int k = 0; k < 2; k++) {
    sort_samples(all[k]);
    it->n[k] = all[k]->len;
    it->median[k]
        = all[k]->len ? cx_quantile_sorted((double *)all[k]->data, all[k]->len, 0.5) : NAN;
    it->p90[k] = all[k]->len ? cx_quantile_sorted((double *)all[k]->data, all[k]->len, 0.9) : NAN;
  }
  if (s0 != all0)
    sort_samples(s0);
  if (s1 != all1)
    sort_samples(s1);
  cx_stattest_mann_whitney((double *)s0->data, s0->len, (double *)s1->data, s1->len,
                           &it->sample_test);
  it->sample_tested = s0->len >= MAX(min_n, 1) && s1->len >= MAX(min_n, 1)
                      && it->sample_test.method != CX_STATTEST_NONE;
}

static void
item_rate(CxCompareItem *it, guint64 n0, guint64 n1, guint min_cases)
{
  guint64 n[2] = { n0, n1 };
  for (int k = 0; k < 2; k++) {
    it->rate[k] = n[k] ? (double)it->count[k] / (double)n[k] : 0;
    it->case_rate[k] = n[k] ? (double)it->cases[k] / (double)n[k] : 0;
  }
  cx_stattest_proportions(it->cases[0], n0, it->cases[1], n1, &it->rate_test);
  it->rate_tested = it->cases[0] + it->cases[1] >= MAX(min_cases, 1)
                    && it->rate_test.method != CX_STATTEST_NONE;
  it->is_new = it->count[0] == 0 && it->count[1] > 0;
  it->vanished = it->count[0] > 0 && it->count[1] == 0;
}

static GArray *
empty_samples(void)
{
  return g_array_new(FALSE, FALSE, sizeof(double));
}

static char *
edge_key(const char *from, const char *to)
{
  return g_strconcat(from, "\x1f", to, NULL);
}

/* Collects the activities / edges of one side into the union @index
 * (name -> position in @accs pairs). */
typedef struct {
  char *from, *to; /* to NULL for activities */
  guint64 count[2], cases[2], starts[2];
  GArray *case_waits[2], *waits[2]; /* NULL: none */
} Pair;

static void
pair_free(gpointer p)
{
  Pair *pr = p;
  g_free(pr->from);
  g_free(pr->to);
  g_free(pr);
}

static Pair *
pair_get(GHashTable *index, GPtrArray *pairs, const char *from, const char *to)
{
  g_autofree char *key = to ? edge_key(from, to) : g_strdup(from);
  Pair *pr = g_hash_table_lookup(index, key);
  if (pr == NULL) {
    pr = g_new0(Pair, 1);
    pr->from = g_strdup(from);
    pr->to = g_strdup(to);
    g_ptr_array_add(pairs, pr);
    g_hash_table_insert(index, g_steal_pointer(&key), pr);
  }
  return pr;
}

static void
add_pairs(CxCompareItem *proto, CxCompareSide *s[2], gboolean edges, GArray *items,
          const CxCompareOptions *o)
{
  g_autoptr(GHashTable) index = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) pairs = g_ptr_array_new_with_free_func(pair_free);
  for (int k = 0; k < 2; k++) {
    CxPool *acts = cx_log_activities(s[k]->log);
    CxTransitions *tr = s[k]->tr;
    if (edges) {
      for (guint i = 0; i < cx_transitions_n_edges(tr); i++) {
        const CxTransitionsEdge *e = cx_transitions_edge(tr, i);
        if (e->count == 0)
          continue;
        Pair *pr = pair_get(index, pairs, cx_pool_get(acts, e->from), cx_pool_get(acts, e->to));
        pr->count[k] = e->count;
        pr->cases[k] = e->cases;
        pr->waits[k] = e->waits;
        pr->case_waits[k] = e->case_waits;
      }
    } else {
      for (guint i = 0; i < cx_transitions_n_acts(tr); i++) {
        const CxTransitionsAct *a = cx_transitions_act(tr, i);
        if (a->count == 0)
          continue;
        Pair *pr = pair_get(index, pairs, cx_pool_get(acts, i), NULL);
        pr->count[k] = a->count;
        pr->cases[k] = a->cases;
        pr->starts[k] = a->starts;
        pr->waits[k] = a->arrivals;
        pr->case_waits[k] = a->case_waits;
      }
    }
  }
  for (guint i = 0; i < pairs->len; i++) {
    Pair *pr = g_ptr_array_index(pairs, i);
    CxCompareItem it = *proto;
    it.kind = edges ? CX_COMPARE_EDGE : CX_COMPARE_ACTIVITY;
    it.from = g_strdup(pr->from);
    it.to = g_strdup(pr->to);
    it.name = edges ? g_strdup_printf("%s -> %s", pr->from, pr->to) : g_strdup(pr->from);
    g_autoptr(GArray) e0 = empty_samples();
    g_autoptr(GArray) e1 = empty_samples();
    GArray *cw[2] = { e0, e1 }, *aw[2] = { e0, e1 };
    for (int k = 0; k < 2; k++) {
      it.count[k] = pr->count[k];
      it.cases[k] = pr->cases[k];
      it.starts[k] = pr->starts[k];
      if (pr->case_waits[k] != NULL)
        cw[k] = pr->case_waits[k];
      if (pr->waits[k] != NULL)
        aw[k] = pr->waits[k];
    }
    item_rate(&it, s[0]->cases, s[1]->cases, o->min_cases);
    item_samples(&it, cw[0], cw[1], aw[0], aw[1], o->min_cases);
    g_array_append_val(items, it);
  }
}

/* Variants keyed by activity names so that two logs match. */
static void
collect_variants(const CxCompareSide *s, int k, gboolean minus, GHashTable *index, GPtrArray *order)
{
  if (s->var_all != NULL) {
    collect_variants(s->var_all, k, minus, index, order);
    collect_variants(s->var_part, k, !minus, index, order);
    return;
  }
  CxPool *acts = cx_log_activities(s->log);
  guint n;
  const CxVariant *vs = cx_variants_sorted(s->variants, &n);
  for (guint v = 0; v < n; v++) {
    GString *name = g_string_new(NULL);
    for (guint i = 0; i < vs[v].length; i++) {
      if (i > 0)
        g_string_append(name, " → ");
      g_string_append(name, cx_pool_get(acts, vs[v].activities[i]));
    }
    guint64 *counts = g_hash_table_lookup(index, name->str);
    if (counts == NULL) {
      counts = g_new0(guint64, 2);
      g_ptr_array_add(order, g_strdup(name->str));
      g_hash_table_insert(index, g_string_free(name, FALSE), counts);
    } else {
      g_string_free(name, TRUE);
    }
    if (minus)
      counts[k] -= MIN(counts[k], vs[v].count);
    else
      counts[k] += vs[v].count;
  }
}

static void
add_variants(CxCompareItem *proto, CxCompareSide *s[2], GArray *items, const CxCompareOptions *o)
{
  g_autoptr(GHashTable) index = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GPtrArray) order = g_ptr_array_new_with_free_func(g_free);
  collect_variants(s[0], 0, FALSE, index, order);
  collect_variants(s[1], 1, FALSE, index, order);
  for (guint i = 0; i < order->len; i++) {
    const char *name = g_ptr_array_index(order, i);
    guint64 *counts = g_hash_table_lookup(index, name);
    double sh0 = s[0]->cases ? (double)counts[0] / (double)s[0]->cases : 0;
    double sh1 = s[1]->cases ? (double)counts[1] / (double)s[1]->cases : 0;
    if (MAX(sh0, sh1) < o->min_variant_share)
      continue;
    CxCompareItem it = *proto;
    it.kind = CX_COMPARE_VARIANT;
    it.name = g_strdup(name);
    for (int k = 0; k < 2; k++)
      it.count[k] = it.cases[k] = counts[k];
    item_rate(&it, s[0]->cases, s[1]->cases, o->min_cases);
    it.median[0] = it.median[1] = it.p90[0] = it.p90[1] = NAN;
    g_array_append_val(items, it);
  }
}

static void
add_headline(CxCompareItem *proto, CxCompareSide *s[2], GArray *items, const CxCompareOptions *o)
{
  CxCompareItem it = *proto;
  it.kind = CX_COMPARE_HEADLINE;
  it.name = g_strdup("cases");
  for (int k = 0; k < 2; k++) {
    it.count[k] = it.cases[k] = s[k]->cases;
    it.rate[k] = it.case_rate[k] = 1;
    it.median[k] = it.p90[k] = NAN;
  }
  g_array_append_val(items, it);

  it = *proto;
  it.kind = CX_COMPARE_HEADLINE;
  it.name = g_strdup("instances per case");
  it.sample_polarity = 0; /* more steps is not worse in itself: effort is a friction kind */
  for (int k = 0; k < 2; k++)
    it.cases[k] = s[k]->cases;
  item_samples(&it, s[0]->instances, s[1]->instances, s[0]->instances, s[1]->instances,
               o->min_cases);
  g_array_append_val(items, it);

  it = *proto;
  it.kind = CX_COMPARE_HEADLINE;
  it.name = g_strdup("case duration");
  it.sample_polarity = -1;
  for (int k = 0; k < 2; k++)
    it.cases[k] = s[k]->durations->len;
  item_samples(&it, s[0]->durations, s[1]->durations, s[0]->durations, s[1]->durations,
               o->min_cases);
  g_array_append_val(items, it);

  if (s[0]->sat_key != NULL && s[1]->sat_key != NULL) {
    it = *proto;
    it.kind = CX_COMPARE_HEADLINE;
    it.name = g_strdup("satisfaction");
    it.sample_polarity = o->satisfaction_lower_is_better ? -1 : 1;
    for (int k = 0; k < 2; k++) {
      it.cases[k] = s[k]->sat->len;
      double sum = 0;
      for (guint i = 0; i < s[k]->sat->len; i++)
        sum += g_array_index(s[k]->sat, double, i);
      it.mean[k] = s[k]->sat->len ? sum / s[k]->sat->len : NAN;
    }
    item_samples(&it, s[0]->sat, s[1]->sat, s[0]->sat, s[1]->sat, o->min_cases);
    g_array_append_val(items, it);
  }

  gboolean by_friction = s[0]->friction != NULL && s[1]->friction != NULL;
  if (by_friction || (s[0]->outcome && s[1]->outcome)) {
    it = *proto;
    it.kind = CX_COMPARE_HEADLINE;
    it.name = g_strdup("successful ends");
    it.rate_polarity = 1;
    it.rate_is_share = TRUE;
    for (int k = 0; k < 2; k++) {
      /* with a friction analysis, its outcomes (milestones, open journeys)
       * decide, so the headline agrees with the findings; else the end */
      guint n = by_friction ? s[k]->fr->len : s[k]->ends->len;
      for (guint i = 0; i < n; i++) {
        CxOutcomeKind kind;
        if (by_friction) {
          const FrCase *fc = &g_array_index(s[k]->fr, FrCase, i);
          kind = cx_friction_case_outcome(s[k]->friction, fc->index);
        } else {
          const End *e = &g_array_index(s[k]->ends, End, i);
          kind = cx_outcome_classify(s[k]->outcome, e->activity, e->last);
        }
        if (kind != CX_OUTCOME_OPEN)
          it.cases[k]++;
        if (kind == CX_OUTCOME_SUCCESS)
          it.count[k]++;
      }
      it.median[k] = it.p90[k] = NAN;
    }
    /* the share is of finished journeys: rate = case_rate = success / finished */
    for (int k = 0; k < 2; k++)
      it.rate[k] = it.case_rate[k] = it.cases[k] ? (double)it.count[k] / (double)it.cases[k] : 0;
    cx_stattest_proportions(it.count[0], it.cases[0], it.count[1], it.cases[1], &it.rate_test);
    it.rate_tested = it.rate_test.method != CX_STATTEST_NONE;
    g_array_append_val(items, it);
  }
}

static double
median_of(GArray *a)
{
  sort_samples(a);
  return a->len ? cx_quantile_sorted((double *)a->data, a->len, 0.5) : NAN;
}

/* The activities of the findings of @kind in @f (and @g), most important
 * first, without repeats. */
static char **
kind_activities(CxFriction *f, CxFriction *g, CxFindingKind kind)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
  CxFriction *fs[2] = { f, g };
  for (int k = 0; k < 2; k++) {
    if (fs[k] == NULL || (k == 1 && fs[1] == fs[0]))
      continue;
    guint n;
    const CxFinding *fd = cx_friction_findings(fs[k], &n);
    for (guint i = 0; i < n; i++) {
      if (fd[i].kind != kind)
        continue;
      for (guint a = 0; a < fd[i].n_names; a++)
        if (fd[i].names[a] != NULL && g_hash_table_add(seen, (gpointer)fd[i].names[a]))
          g_ptr_array_add(names, g_strdup(fd[i].names[a]));
    }
  }
  g_ptr_array_add(names, NULL);
  return (char **)g_ptr_array_free(g_steal_pointer(&names), FALSE);
}

/* The customers lost and the extra time of the findings of @kind that
 * `cxmine friction` lists for @f, summed. */
static void
side_findings_cost(CxFriction *f, CxFindingKind kind, double *lost, double *time_s)
{
  guint n;
  const CxFinding *fd = cx_friction_findings(f, &n);
  *lost = 0;
  *time_s = 0;
  for (guint i = 0; i < n; i++)
    if (fd[i].kind == kind) {
      *lost += (double)fd[i].customers_lost;
      *time_s += fd[i].extra_time_s;
    }
}

/* Per kind of friction finding: journeys with it, and the customers and
 * time it costs on each side: what `cxmine friction` lists for the side's
 * own analysis (one definition: a shared analysis would give both sides
 * the whole's findings, so it is refused). */
static void
add_friction(CxCompareItem *proto, CxCompareSide *s[2], GArray *items, const CxCompareOptions *o)
{
  if (s[0]->friction == NULL || s[1]->friction == NULL)
    return;
  g_return_if_fail(s[0]->friction != s[1]->friction);
  guint n_masks[2];
  const guint32 *masks[2];
  for (int k = 0; k < 2; k++)
    masks[k] = cx_friction_case_kinds(s[k]->friction, &n_masks[k]);
  for (int kind = 0; kind < CX_FINDING_N_KINDS; kind++) {
    CxCompareItem it = *proto;
    it.kind = CX_COMPARE_FRICTION;
    /* fewer is better; but each side has its own analysis, and where a
     * kind's yardstick is the side's own typical wait or effort, the shares
     * measure different things: changed, not better or worse.  Drift marks
     * the journeys of a side's last period: whose share says where the
     * side's period ends, not how it went */
    gboolean relative = kind == CX_FINDING_BOTTLENECK || kind == CX_FINDING_INCONSISTENCY
                        || kind == CX_FINDING_EFFORT || kind == CX_FINDING_DRIFT;
    it.rate_polarity = relative ? 0 : -1;
    it.rate_is_share = TRUE;
    for (int k = 0; k < 2; k++) {
      for (guint i = 0; i < s[k]->fr->len; i++) {
        const FrCase *fc = &g_array_index(s[k]->fr, FrCase, i);
        it.count[k] += fc->index < n_masks[k] && (masks[k][fc->index] & (1u << kind)) != 0;
      }
      it.cases[k] = it.count[k];
      side_findings_cost(s[k]->friction, (CxFindingKind)kind, &it.customers_lost[k],
                         &it.extra_time_s[k]);
    }
    if (it.count[0] == 0 && it.count[1] == 0)
      continue;
    it.name = g_strdup(cx_finding_kind_name((CxFindingKind)kind));
    it.activities = kind_activities(s[0]->friction, s[1]->friction, (CxFindingKind)kind);
    item_rate(&it, s[0]->cases, s[1]->cases, o->min_cases);
    it.is_new = it.vanished = FALSE;
    g_array_append_val(items, it);
  }
}

/* Journeys behind an item, for importance. */
static double
item_volume(const CxCompareItem *it)
{
  return ((double)it->cases[0] + (double)it->cases[1]) / 2;
}

/* ---------- meaning ---------- */

/* Case-insensitive globs from "a*,*b*". */
static GPtrArray *
globs_new(const char *const *list, const char *fallback)
{
  GPtrArray *g = g_ptr_array_new_with_free_func((GDestroyNotify)g_pattern_spec_free);
  g_auto(GStrv) def = list == NULL ? g_strsplit(fallback, ",", -1) : NULL;
  const char *const *l = list != NULL ? list : (const char *const *)def;
  for (guint i = 0; l[i] != NULL; i++) {
    g_autofree char *low = g_utf8_strdown(l[i], -1);
    if (*low != '\0')
      g_ptr_array_add(g, g_pattern_spec_new(low));
  }
  return g;
}

static gboolean
globs_match(GPtrArray *g, const char *name)
{
  g_autofree char *low = g_utf8_strdown(name, -1);
  for (guint i = 0; i < g->len; i++)
    if (g_pattern_spec_match_string(g_ptr_array_index(g, i), low))
      return TRUE;
  return FALSE;
}

/* The successful-end activities by name: the list given, else those of the
 * sides' outcomes. */
static GHashTable *
success_names(CxCompareSide *s[2], const CxCompareOptions *o)
{
  GHashTable *set = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  if (o->success != NULL) {
    for (guint i = 0; o->success[i] != NULL; i++)
      g_hash_table_add(set, g_strdup(o->success[i]));
    return set;
  }
  for (int k = 0; k < 2; k++) {
    if (s[k]->outcome == NULL || (k == 1 && s[1]->outcome == s[0]->outcome))
      continue;
    CxPool *acts = cx_log_activities(s[k]->log);
    guint n = cx_pool_size(acts);
    for (guint32 a = 0; a < n; a++)
      if (cx_outcome_is_success_end(s[k]->outcome, a))
        g_hash_table_add(set, g_strdup(cx_pool_get(acts, a)));
  }
  return set;
}

/* Which direction is good for each activity, edge and variant (the
 * headline and friction items were given theirs when made). */
static void
assign_polarity(GArray *items, CxCompareSide *s[2], const CxCompareOptions *o)
{
  g_autoptr(GHashTable) success = success_names(s, o);
  g_autoptr(GPtrArray) negative = globs_new(o->negative, CX_FRICTION_DEFAULT_NEGATIVE);
  g_autoptr(GPtrArray) reentry = globs_new(o->reentry, CX_COMPARE_DEFAULT_REENTRY);
  /* arrivals at each activity from a successful end, of both sides */
  g_autoptr(GHashTable) after_success = g_hash_table_new(g_str_hash, g_str_equal);
  for (guint i = 0; i < items->len; i++) {
    CxCompareItem *it = &g_array_index(items, CxCompareItem, i);
    if (it->kind == CX_COMPARE_EDGE && g_hash_table_contains(success, it->from)) {
      guint64 n = GPOINTER_TO_SIZE(g_hash_table_lookup(after_success, it->to));
      n += it->count[0] + it->count[1];
      g_hash_table_insert(after_success, it->to, GSIZE_TO_POINTER(n));
    }
  }
  for (guint i = 0; i < items->len; i++) {
    CxCompareItem *it = &g_array_index(items, CxCompareItem, i);
    switch (it->kind) {
      case CX_COMPARE_ACTIVITY: {
        it->rate_is_share = TRUE;
        if (g_hash_table_contains(success, it->name))
          it->rate_polarity = 1;
        else if (globs_match(negative, it->name))
          it->rate_polarity = -1;
        guint64 arrivals = it->count[0] + it->count[1] - it->starts[0] - it->starts[1];
        guint64 from_success = GPOINTER_TO_SIZE(g_hash_table_lookup(after_success, it->name));
        gboolean late = arrivals > 0 && 2 * from_success > arrivals;
        it->sample_polarity = globs_match(reentry, it->name) || late ? 0 : -1;
        break;
      }
      case CX_COMPARE_EDGE:
        it->rate_is_share = TRUE;
        it->sample_polarity
            = globs_match(reentry, it->to) || g_hash_table_contains(success, it->from) ? 0 : -1;
        break;
      case CX_COMPARE_VARIANT:
        it->rate_is_share = TRUE;
        break;
      default:
        break;
    }
  }
}

static CxChange
by_meaning(int polarity, double delta)
{
  if (delta == 0)
    return CX_CHANGE_SAME;
  if (polarity == 0)
    return CX_CHANGE_CHANGED;
  return (delta > 0) == (polarity > 0) ? CX_CHANGE_BETTER : CX_CHANGE_WORSE;
}

/* TRUE when the medians moved by at least the minimum effect. */
static gboolean
median_effect(const CxCompareItem *it, double rel, gboolean time)
{
  double m0 = it->median[0], m1 = it->median[1];
  if (isnan(m0) || isnan(m1) || m0 == m1)
    return FALSE;
  /* waits and durations: a shift under a minute matters to no customer
   * (and overlapping steps give tiny negative "waits") */
  if (time && fabs(m1 - m0) < 60)
    return FALSE;
  if (m0 == 0)
    return TRUE;
  return fabs(m1 - m0) >= rel * fabs(m0) * (1 - 1e-9);
}

static void set_direction(CxCompareItem *it);

static void
decide(CxCompareItem *it, const CxCompareOptions *o, guint64 n0, guint64 n1, double typical_s)
{
  gboolean is_success = it->kind == CX_COMPARE_HEADLINE && strcmp(it->name, "successful ends") == 0;
  gboolean is_count
      = it->kind == CX_COMPARE_HEADLINE && strcmp(it->name, "instances per case") == 0;
  gboolean is_sat = it->kind == CX_COMPARE_HEADLINE && strcmp(it->name, "satisfaction") == 0;
  double rate_imp = 0, sample_imp = 0;
  CxChange rate_dir = CX_CHANGE_SAME, sample_dir = CX_CHANGE_SAME;
  it->tested_significant = (it->rate_tested && it->rate_q < o->alpha)
                           || (it->sample_tested && it->sample_q < o->alpha);
  if (it->rate_tested && it->rate_q < o->alpha) {
    double r0 = it->case_rate[0], r1 = it->case_rate[1];
    double d = r1 - r0;
    gboolean big = it->rate_is_share ? fabs(d) >= o->min_effect_points * (1 - 1e-9)
                                     : (r0 > 0 ? fabs(d) >= o->min_effect_rel * r0 : r1 > 0);
    if (big) {
      double n = is_success ? item_volume(it) : ((double)n0 + (double)n1) / 2;
      rate_imp = fabs(d) * n;
      rate_dir = by_meaning(it->rate_polarity, d);
    }
  }
  if (is_sat) {
    /* scores on a short scale move in their mean before their median */
    double m0 = it->mean[0], d = it->mean[1] - it->mean[0];
    if (it->sample_tested && it->sample_q < o->alpha && isfinite(d) && d != 0
        && fabs(d) >= o->min_effect_rel * fabs(m0) * (1 - 1e-9)) {
      sample_imp = (m0 != 0 ? fabs(d / m0) : 1) * item_volume(it);
      sample_dir = by_meaning(it->sample_polarity, d);
    }
  } else if (it->sample_tested && it->sample_q < o->alpha
             && median_effect(it, o->min_effect_rel, !is_count)) {
    double shift = fabs(it->median[1] - it->median[0]);
    if (is_count) {
      /* instances per case: counts, not time; by the ratio of medians */
      double ratio = it->median[0] > 0 ? it->median[1] / it->median[0] : NAN;
      shift = isfinite(ratio) && ratio > 0 ? fabs(log(ratio)) * typical_s : 0;
    }
    /* time moved, in typical journeys */
    sample_imp = isfinite(shift) ? shift / typical_s * item_volume(it) : 0;
    sample_dir = by_meaning(it->sample_polarity, it->median[1] - it->median[0]);
  }
  it->rate_change = rate_dir;
  it->sample_change = sample_dir;
  it->rate_importance = rate_dir != CX_CHANGE_SAME ? rate_imp : 0;
  it->sample_importance = sample_dir != CX_CHANGE_SAME ? sample_imp : 0;
  set_direction(it);
}

/* The item's overall direction from its two tests. */
static void
set_direction(CxCompareItem *it)
{
  CxChange rate_dir = it->rate_change, sample_dir = it->sample_change;
  double rate_imp = it->rate_importance, sample_imp = it->sample_importance;
  it->significant = rate_dir != CX_CHANGE_SAME || sample_dir != CX_CHANGE_SAME;
  it->importance = MAX(it->rate_importance, it->sample_importance);
  gboolean rate_judged = rate_dir == CX_CHANGE_BETTER || rate_dir == CX_CHANGE_WORSE;
  gboolean sample_judged = sample_dir == CX_CHANGE_BETTER || sample_dir == CX_CHANGE_WORSE;
  if (rate_judged && (!sample_judged || rate_imp >= sample_imp))
    it->direction = rate_dir;
  else if (sample_judged)
    it->direction = sample_dir;
  else if (rate_dir != CX_CHANGE_SAME || sample_dir != CX_CHANGE_SAME)
    it->direction = CX_CHANGE_CHANGED;
  else
    it->direction = CX_CHANGE_SAME;
}

static guint
uf_find(guint *parent, guint i)
{
  while (parent[i] != i)
    i = parent[i] = parent[parent[i]];
  return i;
}

/* Joins @x and @y; the root is the one that goes first by @before. */
static void
uf_join(guint *parent, guint x, guint y, const guint64 *rank)
{
  x = uf_find(parent, x);
  y = uf_find(parent, y);
  if (x == y)
    return;
  if (rank[x] <= rank[y])
    parent[y] = x;
  else
    parent[x] = y;
}

/* Tests that would repeat another's on the very same journeys: a path
 * taken by exactly the journeys that take its activity (rates), or the
 * only path into an activity (waits).  Each group keeps one test, of an
 * item with a good direction when there is one (else rates: the
 * activity's; waits: the path's); the others are left out of the
 * correction and take its figures, each judged by its own meaning, and
 * the group counts as one change.  Returns pairs (member, kept) of item
 * indices. */
static GArray *
find_shared_tests(GArray *items, gboolean rates)
{
  GArray *pairs = g_array_new(FALSE, FALSE, sizeof(guint));
  guint n = items->len;
  g_autofree guint *parent = g_new(guint, n);
  g_autofree guint64 *rank = g_new(guint64, n);
  for (guint i = 0; i < n; i++) {
    const CxCompareItem *it = &g_array_index(items, CxCompareItem, i);
    gboolean judged = (rates ? it->rate_polarity : it->sample_polarity) != 0;
    parent[i] = i;
    rank[i] = (guint64)!judged << 32 | (rates ? i : n - i);
  }
  g_autoptr(GHashTable) acts = g_hash_table_new(g_str_hash, g_str_equal);
  for (guint i = 0; i < n; i++) {
    CxCompareItem *it = &g_array_index(items, CxCompareItem, i);
    if (it->kind == CX_COMPARE_ACTIVITY)
      g_hash_table_insert(acts, it->name, GUINT_TO_POINTER(i + 1));
  }
  for (guint i = 0; i < n; i++) {
    CxCompareItem *e = &g_array_index(items, CxCompareItem, i);
    if (e->kind != CX_COMPARE_EDGE || !(rates ? e->rate_tested : e->sample_tested))
      continue;
    const char *ends[2] = { e->from, e->to };
    for (int k = rates ? 0 : 1; k < 2; k++) {
      guint ai = GPOINTER_TO_UINT(g_hash_table_lookup(acts, ends[k]));
      if (ai == 0)
        continue;
      CxCompareItem *a = &g_array_index(items, CxCompareItem, ai - 1);
      gboolean same
          = rates ? a->rate_tested && a->cases[0] == e->cases[0] && a->cases[1] == e->cases[1]
                  : a->sample_tested && a->n[0] == e->n[0] && a->n[1] == e->n[1];
      if (same)
        uf_join(parent, ai - 1, i, rank);
    }
  }
  for (guint i = 0; i < n; i++) {
    guint root = uf_find(parent, i);
    if (root == i)
      continue;
    CxCompareItem *it = &g_array_index(items, CxCompareItem, i);
    if (rates)
      it->rate_tested = FALSE;
    else
      it->sample_tested = FALSE;
    guint pair[2] = { i, root };
    g_array_append_vals(pairs, pair, 2);
  }
  return pairs;
}

/* TRUE when @e (a path at activity @a) carries most of @a's journeys (rates)
 * or waits (waits) on both sides. */
static gboolean
mostly(const CxCompareItem *e, const CxCompareItem *a, gboolean rates)
{
  for (int k = 0; k < 2; k++) {
    double part = rates ? (double)e->cases[k] : (double)e->n[k];
    double whole = rates ? (double)a->cases[k] : (double)a->n[k];
    if (!(part >= 0.8 * whole))
      return FALSE;
  }
  return TRUE;
}

/* A change of an activity and of a path that carries most of its journeys
 * is one change seen twice (a chance difference in one shows in both):
 * the one with a good direction (else the path) is listed and counted, the
 * other is marked shared.  Returns how many were marked. */
static guint
link_changes(GArray *items)
{
  guint marked = 0;
  g_autoptr(GHashTable) acts = g_hash_table_new(g_str_hash, g_str_equal);
  for (guint i = 0; i < items->len; i++) {
    CxCompareItem *it = &g_array_index(items, CxCompareItem, i);
    if (it->kind == CX_COMPARE_ACTIVITY)
      g_hash_table_insert(acts, it->name, it);
  }
  for (guint i = 0; i < items->len; i++) {
    CxCompareItem *e = &g_array_index(items, CxCompareItem, i);
    if (e->kind != CX_COMPARE_EDGE)
      continue;
    const char *ends[2] = { e->from, e->to };
    for (int k = 0; k < 2; k++) {
      CxCompareItem *a = g_hash_table_lookup(acts, ends[k]);
      if (a == NULL || a == e)
        continue;
      if (e->rate_change != CX_CHANGE_SAME && a->rate_change != CX_CHANGE_SAME && !e->rate_shared
          && !a->rate_shared && mostly(e, a, TRUE)) {
        CxCompareItem *other = a->rate_polarity != 0 && e->rate_polarity == 0 ? e : a;
        other->rate_shared = TRUE;
        marked++;
      }
      if (k == 1 && e->sample_change != CX_CHANGE_SAME && a->sample_change != CX_CHANGE_SAME
          && !e->sample_shared && !a->sample_shared && mostly(e, a, FALSE)) {
        CxCompareItem *other = a->sample_polarity != 0 && e->sample_polarity == 0 ? e : a;
        other->sample_shared = TRUE;
        marked++;
      }
    }
  }
  return marked;
}

static int
cmp_items(gconstpointer pa, gconstpointer pb)
{
  const CxCompareItem *a = pa, *b = pb;
  /* the headline, then friction kinds, keep the order they were made in */
  int ra = a->kind == CX_COMPARE_HEADLINE ? 0 : a->kind == CX_COMPARE_FRICTION ? 1 : 2;
  int rb = b->kind == CX_COMPARE_HEADLINE ? 0 : b->kind == CX_COMPARE_FRICTION ? 1 : 2;
  if (ra != rb)
    return ra - rb;
  if (ra < 2)
    return a->order < b->order ? -1 : a->order > b->order;
  if (a->significant != b->significant)
    return a->significant ? -1 : 1;
  if (a->importance != b->importance)
    return a->importance > b->importance ? -1 : 1;
  double va = item_volume(a), vb = item_volume(b);
  if (va != vb)
    return va > vb ? -1 : 1;
  if (a->kind != b->kind)
    return a->kind < b->kind ? -1 : 1;
  return strcmp(a->name, b->name);
}

CxCompare *
cx_compare_new(CxCompareSide *a, CxCompareSide *b, const CxCompareOptions *opts)
{
  CxCompare *c = g_new0(CxCompare, 1);
  if (opts)
    c->opts = *opts;
  else
    cx_compare_options_init(&c->opts);
  if (c->opts.names[0] == NULL)
    c->opts.names[0] = "before";
  if (c->opts.names[1] == NULL)
    c->opts.names[1] = "after";
  c->items = g_array_new(FALSE, TRUE, sizeof(CxCompareItem));
  g_array_set_clear_func(c->items, item_clear);
  CxCompareSide *s[2] = { a, b };
  CxCompareItem proto = { 0 };
  proto.rate_q = proto.sample_q = 1;
  proto.rate_test.p = proto.sample_test.p = 1;
  proto.sample_test.median_ratio = NAN;
  for (int k = 0; k < 2; k++)
    proto.median[k] = proto.p90[k] = proto.customers_lost[k] = proto.extra_time_s[k] = proto.mean[k]
        = NAN;

  add_headline(&proto, s, c->items, &c->opts);
  add_friction(&proto, s, c->items, &c->opts);
  add_pairs(&proto, s, FALSE, c->items, &c->opts);
  add_pairs(&proto, s, TRUE, c->items, &c->opts);
  add_variants(&proto, s, c->items, &c->opts);
  assign_polarity(c->items, s, &c->opts);
  g_autoptr(GArray) shared_rates = find_shared_tests(c->items, TRUE);
  g_autoptr(GArray) shared_waits = find_shared_tests(c->items, FALSE);

  /* one Benjamini-Hochberg correction over every test */
  g_autoptr(GArray) p = g_array_new(FALSE, FALSE, sizeof(double));
  for (guint i = 0; i < c->items->len; i++) {
    CxCompareItem *it = &g_array_index(c->items, CxCompareItem, i);
    if (it->rate_tested)
      g_array_append_val(p, it->rate_test.p);
    if (it->sample_tested)
      g_array_append_val(p, it->sample_test.p);
  }
  c->n_tests = p->len;
  cx_stattest_bh((double *)p->data, p->len, (double *)p->data);
  /* the typical journey duration, the unit of time moved */
  double typical_s = NAN;
  {
    g_autoptr(GArray) all = g_array_copy(a->durations);
    g_array_append_vals(all, b->durations->data, b->durations->len);
    typical_s = median_of(all);
    if (!(typical_s >= 1))
      typical_s = 1;
  }
  guint k = 0;
  for (guint i = 0; i < c->items->len; i++) {
    CxCompareItem *it = &g_array_index(c->items, CxCompareItem, i);
    it->order = i;
    if (it->rate_tested)
      it->rate_q = g_array_index(p, double, k++);
    if (it->sample_tested)
      it->sample_q = g_array_index(p, double, k++);
  }
  for (guint i = 0; i + 1 < shared_rates->len; i += 2) {
    CxCompareItem *it
        = &g_array_index(c->items, CxCompareItem, g_array_index(shared_rates, guint, i));
    const CxCompareItem *kept
        = &g_array_index(c->items, CxCompareItem, g_array_index(shared_rates, guint, i + 1));
    it->rate_tested = it->rate_shared = TRUE;
    it->rate_test = kept->rate_test;
    it->rate_q = kept->rate_q;
  }
  for (guint i = 0; i + 1 < shared_waits->len; i += 2) {
    CxCompareItem *it
        = &g_array_index(c->items, CxCompareItem, g_array_index(shared_waits, guint, i));
    const CxCompareItem *kept
        = &g_array_index(c->items, CxCompareItem, g_array_index(shared_waits, guint, i + 1));
    it->sample_tested = it->sample_shared = TRUE;
    it->sample_test = kept->sample_test;
    it->sample_q = kept->sample_q;
  }
  for (guint i = 0; i < c->items->len; i++) {
    CxCompareItem *it = &g_array_index(c->items, CxCompareItem, i);
    decide(it, &c->opts, a->cases, b->cases, typical_s);
    if (it->rate_tested && !it->rate_shared) {
      c->n_significant += it->rate_q < c->opts.alpha;
      c->n_changes += it->rate_change != CX_CHANGE_SAME;
    }
    if (it->sample_tested && !it->sample_shared) {
      c->n_significant += it->sample_q < c->opts.alpha;
      c->n_changes += it->sample_change != CX_CHANGE_SAME;
    }
  }
  c->n_changes -= link_changes(c->items);
  /* a variant's share moves with its paths: counted only when nothing else moved */
  guint others = 0;
  for (guint i = 0; i < c->items->len; i++) {
    const CxCompareItem *it = &g_array_index(c->items, CxCompareItem, i);
    if (it->kind != CX_COMPARE_VARIANT)
      others += (it->rate_change != CX_CHANGE_SAME && !it->rate_shared)
                + (it->sample_change != CX_CHANGE_SAME && !it->sample_shared);
  }
  for (guint i = 0; i < c->items->len && others > 0; i++) {
    CxCompareItem *it = &g_array_index(c->items, CxCompareItem, i);
    if (it->kind == CX_COMPARE_VARIANT && it->rate_change != CX_CHANGE_SAME) {
      it->rate_shared = TRUE;
      c->n_changes--;
    }
  }
  g_array_sort(c->items, cmp_items);
  return c;
}

const CxCompareOptions *
cx_compare_options(const CxCompare *c)
{
  return &c->opts;
}

const CxCompareItem *
cx_compare_items(const CxCompare *c, guint *n)
{
  *n = c->items->len;
  return (const CxCompareItem *)c->items->data;
}

const CxCompareItem *
cx_compare_find(const CxCompare *c, const char *from, const char *to)
{
  for (guint i = 0; i < c->items->len; i++) {
    const CxCompareItem *it = &g_array_index(c->items, CxCompareItem, i);
    if (to == NULL && it->kind == CX_COMPARE_ACTIVITY && strcmp(it->from, from) == 0)
      return it;
    if (to && it->kind == CX_COMPARE_EDGE && strcmp(it->from, from) == 0 && strcmp(it->to, to) == 0)
      return it;
  }
  return NULL;
}

const CxCompareItem *
cx_compare_headline(const CxCompare *c, const char *name)
{
  for (guint i = 0; i < c->items->len; i++) {
    const CxCompareItem *it = &g_array_index(c->items, CxCompareItem, i);
    if (it->kind == CX_COMPARE_HEADLINE && strcmp(it->name, name) == 0)
      return it;
  }
  return NULL;
}

const CxCompareItem *
cx_compare_friction(const CxCompare *c, CxFindingKind kind)
{
  const char *name = cx_finding_kind_name(kind);
  for (guint i = 0; i < c->items->len; i++) {
    const CxCompareItem *it = &g_array_index(c->items, CxCompareItem, i);
    if (it->kind == CX_COMPARE_FRICTION && strcmp(it->name, name) == 0)
      return it;
  }
  return NULL;
}

guint
cx_compare_n_tests(const CxCompare *c)
{
  return c->n_tests;
}

guint
cx_compare_n_significant(const CxCompare *c)
{
  return c->n_significant;
}

guint
cx_compare_n_changes(const CxCompare *c)
{
  return c->n_changes;
}
