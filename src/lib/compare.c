/* Comparison of two groups of journeys: accumulate per side, test, correct. */
#include "hash-private.h"
#include "cxmine/compare.h"
#include "cxmine/summary.h"
#include "cxmine/variants.h"
#include "cxmine/output.h"
#include "cxmine/dot-writer.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---------- per-side accumulation ---------- */

/* An edge's or an activity's numbers on one side.  Waits are kept twice:
 * every occurrence (for the medians users know from dfg) and one mean per
 * journey (the independent samples the test needs). */
typedef struct {
  guint64 count, cases, starts;
  guint64 last_seq; /* journey sequence number of the last occurrence (1-based) */
  double case_sum;  /* waits of the current journey */
  guint case_n;
  GArray *waits;      /* double seconds */
  GArray *case_waits; /* double seconds, one per journey with a wait here */
} Acc;

typedef struct {
  guint32 activity;
  gint64 last;
} End;

/* A journey's place in the friction analysis and its duration. */
typedef struct {
  guint32 index;
  double dur; /* seconds; NaN when unknown */
} FrCase;

struct _CxCompareSide {
  CxLog *log;
  CxOutcome *outcome;
  CxFriction *friction;
  GArray *fr; /* FrCase, when friction is set */
  guint64 cases, seq;
  GHashTable *edges;     /* guint64 (from << 32 | to) -> Acc* */
  GPtrArray *activities; /* by activity id -> Acc* (or NULL) */
  CxVariants *variants;
  GArray *durations;  /* double seconds */
  GArray *instances;  /* double, instances per journey */
  GArray *ends;       /* End */
  GPtrArray *touched; /* Acc* with a wait in the current journey */
};

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
  const CxEvent *ev = j->instances;
  for (guint i = 0; i < j->n_instances; i++) {
    double wait = NAN;
    if (i > 0) {
      gint64 t0 = ev[i - 1].time;
      gint64 t1 = ev[i].start != CX_TS_NONE ? ev[i].start : ev[i].time;
      if (t0 != CX_TS_NONE && t1 != CX_TS_NONE)
        wait = (double)(t1 - t0) / (double)CX_USEC_PER_SEC;
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

  gint64 d = cx_journey_duration(j);
  double secs = d >= 0 ? (double)d / (double)CX_USEC_PER_SEC : NAN;
  if (d >= 0)
    g_array_append_val(s->durations, secs);
  if (s->friction != NULL) {
    guint64 n = cx_friction_n_cases(s->friction);
    g_return_val_if_fail(n > 0, FALSE); /* the analysis must have this journey already */
    FrCase fc = { (guint32)(n - 1), secs };
    g_array_append_val(s->fr, fc);
  }
  double n_inst = j->n_instances;
  g_array_append_val(s->instances, n_inst);
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
  if (dst->outcome == NULL)
    dst->outcome = src->outcome;
  if (dst->friction == NULL)
    dst->friction = src->friction;
}

/* ---------- the comparison ---------- */

struct _CxCompare {
  CxCompareOptions opts;
  GArray *items; /* CxCompareItem */
  guint n_tests, n_significant;
};

void
cx_compare_options_init(CxCompareOptions *opts)
{
  *opts = (CxCompareOptions){ .alpha = 0.05, .min_cases = 5, .min_variant_share = 0.01 };
  opts->names[0] = "before";
  opts->names[1] = "after";
}

const char *
cx_change_name(CxChange c)
{
  return c == CX_CHANGE_BETTER ? "better" : c == CX_CHANGE_WORSE ? "worse" : "same";
}

static void
item_clear(gpointer p)
{
  CxCompareItem *it = p;
  g_free(it->name);
  g_free(it->from);
  g_free(it->to);
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
  Acc *acc[2];
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
    if (edges) {
      GHashTableIter it;
      gpointer key, v;
      g_hash_table_iter_init(&it, s[k]->edges);
      while (g_hash_table_iter_next(&it, &key, &v)) {
        guint64 e = *(guint64 *)key;
        Pair *pr = pair_get(index, pairs, cx_pool_get(acts, (guint32)(e >> 32)),
                            cx_pool_get(acts, (guint32)e));
        pr->acc[k] = v;
      }
    } else {
      for (guint i = 0; i < s[k]->activities->len; i++) {
        Acc *a = g_ptr_array_index(s[k]->activities, i);
        if (a)
          pair_get(index, pairs, cx_pool_get(acts, i), NULL)->acc[k] = a;
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
      if (pr->acc[k]) {
        it.count[k] = pr->acc[k]->count;
        it.cases[k] = pr->acc[k]->cases;
        it.starts[k] = pr->acc[k]->starts;
        cw[k] = pr->acc[k]->case_waits;
        aw[k] = pr->acc[k]->waits;
      }
    }
    item_rate(&it, s[0]->cases, s[1]->cases, o->min_cases);
    item_samples(&it, cw[0], cw[1], aw[0], aw[1], o->min_cases);
    g_array_append_val(items, it);
  }
}

/* Variants keyed by activity names so that two logs match. */
static void
collect_variants(CxCompareSide *s, int k, GHashTable *index, GPtrArray *order)
{
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
    counts[k] += vs[v].count;
  }
}

static void
add_variants(CxCompareItem *proto, CxCompareSide *s[2], GArray *items, const CxCompareOptions *o)
{
  g_autoptr(GHashTable) index = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GPtrArray) order = g_ptr_array_new_with_free_func(g_free);
  collect_variants(s[0], 0, index, order);
  collect_variants(s[1], 1, index, order);
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
  for (int k = 0; k < 2; k++)
    it.cases[k] = s[k]->cases;
  item_samples(&it, s[0]->instances, s[1]->instances, s[0]->instances, s[1]->instances,
               o->min_cases);
  g_array_append_val(items, it);

  it = *proto;
  it.kind = CX_COMPARE_HEADLINE;
  it.name = g_strdup("case duration");
  for (int k = 0; k < 2; k++)
    it.cases[k] = s[k]->durations->len;
  item_samples(&it, s[0]->durations, s[1]->durations, s[0]->durations, s[1]->durations,
               o->min_cases);
  g_array_append_val(items, it);

  gboolean by_friction = s[0]->friction != NULL && s[1]->friction != NULL;
  if (by_friction || (s[0]->outcome && s[1]->outcome)) {
    it = *proto;
    it.kind = CX_COMPARE_HEADLINE;
    it.name = g_strdup("successful ends");
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

/* Per kind of friction finding: journeys with it and their extra time. */
static void
add_friction(CxCompareItem *proto, CxCompareSide *s[2], GArray *items, const CxCompareOptions *o)
{
  if (s[0]->friction == NULL || s[1]->friction == NULL)
    return;
  guint n_masks[2];
  const guint32 *masks[2];
  for (int k = 0; k < 2; k++)
    masks[k] = cx_friction_case_kinds(s[k]->friction, &n_masks[k]);
  g_autoptr(GArray) with = g_array_new(FALSE, FALSE, sizeof(double));
  g_autoptr(GArray) without = g_array_new(FALSE, FALSE, sizeof(double));
  for (int kind = 0; kind < CX_FINDING_N_KINDS; kind++) {
    CxCompareItem it = *proto;
    it.kind = CX_COMPARE_FRICTION;
    for (int k = 0; k < 2; k++) {
      g_array_set_size(with, 0);
      g_array_set_size(without, 0);
      for (guint i = 0; i < s[k]->fr->len; i++) {
        const FrCase *fc = &g_array_index(s[k]->fr, FrCase, i);
        gboolean has = fc->index < n_masks[k] && (masks[k][fc->index] & (1u << kind)) != 0;
        if (has)
          it.count[k]++;
        if (!isnan(fc->dur))
          g_array_append_val(has ? with : without, fc->dur);
      }
      it.cases[k] = it.count[k];
      double diff = median_of(with) - median_of(without);
      it.impact_s[k] = (double)with->len * (isnan(diff) ? 0 : MAX(0, diff));
    }
    if (it.count[0] == 0 && it.count[1] == 0)
      continue;
    it.name = g_strdup(cx_finding_kind_name((CxFindingKind)kind));
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

static void
decide(CxCompareItem *it, double alpha, guint64 n0, guint64 n1, double typical_s)
{
  gboolean higher_better
      = it->kind == CX_COMPARE_HEADLINE && strcmp(it->name, "successful ends") == 0;
  double rate_imp = 0, sample_imp = 0;
  CxChange rate_dir = CX_CHANGE_SAME, sample_dir = CX_CHANGE_SAME;
  if (it->rate_tested && it->rate_q < alpha) {
    double d = it->rate_test.diff;
    double n = higher_better ? item_volume(it) : ((double)n0 + (double)n1) / 2;
    rate_imp = fabs(d) * n;
    gboolean up = d > 0;
    rate_dir = (up != higher_better) ? CX_CHANGE_WORSE : CX_CHANGE_BETTER;
    if (d == 0)
      rate_dir = CX_CHANGE_SAME;
  }
  if (it->sample_tested && it->sample_q < alpha) {
    double shift = fabs(it->median[1] - it->median[0]);
    if (it->kind == CX_COMPARE_HEADLINE && strcmp(it->name, "case duration") != 0) {
      /* instances per case: counts, not time; by the ratio of medians */
      double ratio = it->median[0] > 0 ? it->median[1] / it->median[0] : NAN;
      shift = isfinite(ratio) && ratio > 0 ? fabs(log(ratio)) * typical_s : 0;
    }
    /* time moved, in typical journeys: a significant but tiny (or invisible
     * in the medians) shift ranks last */
    sample_imp = isfinite(shift) ? shift / typical_s * item_volume(it) : 0;
    sample_dir = it->sample_test.effect > 0   ? CX_CHANGE_WORSE
                 : it->sample_test.effect < 0 ? CX_CHANGE_BETTER
                                              : CX_CHANGE_SAME;
  }
  it->rate_change = rate_dir;
  it->sample_change = sample_dir;
  it->rate_importance = rate_imp;
  it->sample_importance = sample_imp;
  it->significant = rate_dir != CX_CHANGE_SAME || sample_dir != CX_CHANGE_SAME;
  it->importance = MAX(rate_imp, sample_imp);
  if (rate_dir != CX_CHANGE_SAME && (sample_dir == CX_CHANGE_SAME || rate_imp >= sample_imp))
    it->direction = rate_dir;
  else
    it->direction = sample_dir;
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
    proto.median[k] = proto.p90[k] = proto.impact_s[k] = NAN;

  add_headline(&proto, s, c->items, &c->opts);
  add_friction(&proto, s, c->items, &c->opts);
  add_pairs(&proto, s, FALSE, c->items, &c->opts);
  add_pairs(&proto, s, TRUE, c->items, &c->opts);
  add_variants(&proto, s, c->items, &c->opts);

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
    decide(it, c->opts.alpha, a->cases, b->cases, typical_s);
    if (it->rate_tested && it->rate_q < c->opts.alpha)
      c->n_significant++;
    if (it->sample_tested && it->sample_q < c->opts.alpha)
      c->n_significant++;
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

/* ---------- JSON ---------- */

static void
json_side(CxJson *j, const CxCompareItem *it, int k)
{
  cx_json_begin_object(j);
  cx_json_key(j, "count");
  cx_json_int(j, (gint64)it->count[k]);
  cx_json_key(j, "cases");
  cx_json_int(j, (gint64)it->cases[k]);
  cx_json_key_double(j, "rate", it->rate[k]);
  cx_json_key_double(j, "case_rate", it->case_rate[k]);
  cx_json_key_double(j, "per_1000_cases", 1000 * it->case_rate[k]);
  if (it->kind == CX_COMPARE_EDGE || it->kind == CX_COMPARE_ACTIVITY) {
    cx_json_key(j, "waits");
    cx_json_int(j, (gint64)it->n[k]);
    cx_json_key_double(j, "wait_median_s", it->median[k]);
    cx_json_key_double(j, "wait_p90_s", it->p90[k]);
  }
  cx_json_end_object(j);
}

static void
json_tests(CxJson *j, const CxCompareItem *it)
{
  cx_json_key_double(j, "rate_diff", it->rate_test.diff);
  cx_json_key_double(j, "rate_p", it->rate_test.p);
  cx_json_key_double(j, "rate_q", it->rate_q);
  cx_json_key(j, "rate_test");
  cx_json_string(j, it->rate_tested ? cx_stattest_method_name(it->rate_test.method) : "none");
  if (it->kind == CX_COMPARE_EDGE || it->kind == CX_COMPARE_ACTIVITY) {
    cx_json_key_double(j, "wait_median_ratio",
                       it->median[0] > 0 ? it->median[1] / it->median[0] : (double)NAN);
    cx_json_key_double(j, "wait_effect", it->sample_test.effect);
    cx_json_key_double(j, "wait_p", it->sample_test.p);
    cx_json_key_double(j, "wait_q", it->sample_q);
    cx_json_key(j, "wait_test");
    cx_json_string(j, it->sample_tested ? cx_stattest_method_name(it->sample_test.method) : "none");
  }
  cx_json_key(j, "significant");
  cx_json_bool(j, it->significant);
  cx_json_key(j, "direction");
  cx_json_string(j, cx_change_name(it->direction));
  cx_json_key_double(j, "importance", it->importance);
  cx_json_key(j, "new");
  cx_json_bool(j, it->is_new);
  cx_json_key(j, "vanished");
  cx_json_bool(j, it->vanished);
}

static void
json_items(const CxCompare *c, CxJson *j, CxCompareKind kind)
{
  cx_json_begin_array(j);
  for (guint i = 0; i < c->items->len; i++) {
    const CxCompareItem *it = &g_array_index(c->items, CxCompareItem, i);
    if (it->kind != kind)
      continue;
    cx_json_begin_object(j);
    if (kind == CX_COMPARE_EDGE) {
      cx_json_key(j, "from");
      cx_json_string(j, it->from);
      cx_json_key(j, "to");
      cx_json_string(j, it->to);
    } else if (kind == CX_COMPARE_ACTIVITY) {
      cx_json_key(j, "activity");
      cx_json_string(j, it->name);
    } else {
      cx_json_key(j, "variant");
      cx_json_string(j, it->name);
    }
    cx_json_key(j, "before");
    json_side(j, it, 0);
    cx_json_key(j, "after");
    json_side(j, it, 1);
    json_tests(j, it);
    cx_json_end_object(j);
  }
  cx_json_end_array(j);
}

static void
json_sample_headline(CxJson *j, const CxCompareItem *it, const char *unit)
{
  g_autofree char *b = g_strconcat("before_median", unit, NULL);
  g_autofree char *a = g_strconcat("after_median", unit, NULL);
  g_autofree char *b9 = g_strconcat("before_p90", unit, NULL);
  g_autofree char *a9 = g_strconcat("after_p90", unit, NULL);
  cx_json_begin_object(j);
  cx_json_key_double(j, b, it->median[0]);
  cx_json_key_double(j, a, it->median[1]);
  cx_json_key_double(j, b9, it->p90[0]);
  cx_json_key_double(j, a9, it->p90[1]);
  cx_json_key_double(j, "median_ratio",
                     it->median[0] > 0 ? it->median[1] / it->median[0] : (double)NAN);
  cx_json_key_double(j, "effect", it->sample_test.effect);
  cx_json_key_double(j, "p", it->sample_test.p);
  cx_json_key_double(j, "q", it->sample_q);
  cx_json_key(j, "significant");
  cx_json_bool(j, it->significant);
  cx_json_key(j, "direction");
  cx_json_string(j, cx_change_name(it->direction));
  cx_json_end_object(j);
}

void
cx_compare_to_json(const CxCompare *c, CxJson *j)
{
  const CxCompareItem *cases = cx_compare_headline(c, "cases");
  const CxCompareItem *inst = cx_compare_headline(c, "instances per case");
  const CxCompareItem *dur = cx_compare_headline(c, "case duration");
  const CxCompareItem *succ = cx_compare_headline(c, "successful ends");
  cx_json_begin_object(j);
  for (int k = 0; k < 2; k++) {
    cx_json_key(j, k == 0 ? "before" : "after");
    cx_json_begin_object(j);
    cx_json_key(j, "name");
    cx_json_string(j, c->opts.names[k]);
    cx_json_key(j, "cases");
    cx_json_int(j, (gint64)cases->count[k]);
    cx_json_key_double(j, "instances_per_case_median", inst->median[k]);
    cx_json_key_double(j, "duration_median_s", dur->median[k]);
    cx_json_key_double(j, "duration_p90_s", dur->p90[k]);
    if (succ) {
      cx_json_key(j, "successful");
      cx_json_int(j, (gint64)succ->count[k]);
      cx_json_key(j, "finished");
      cx_json_int(j, (gint64)succ->cases[k]);
      cx_json_key_double(j, "success_share", succ->case_rate[k]);
    }
    cx_json_end_object(j);
  }
  cx_json_key_double(j, "alpha", c->opts.alpha);
  cx_json_key(j, "tests");
  cx_json_int(j, c->n_tests);
  cx_json_key(j, "significant");
  cx_json_int(j, c->n_significant);
  cx_json_key(j, "throughput");
  json_sample_headline(j, dur, "_s");
  cx_json_key(j, "instances_per_case");
  json_sample_headline(j, inst, "");
  if (succ) {
    cx_json_key(j, "success");
    cx_json_begin_object(j);
    cx_json_key_double(j, "before_share", succ->case_rate[0]);
    cx_json_key_double(j, "after_share", succ->case_rate[1]);
    cx_json_key_double(j, "diff", succ->rate_test.diff);
    cx_json_key_double(j, "p", succ->rate_test.p);
    cx_json_key_double(j, "q", succ->rate_q);
    cx_json_key(j, "significant");
    cx_json_bool(j, succ->significant);
    cx_json_key(j, "direction");
    cx_json_string(j, cx_change_name(succ->direction));
    cx_json_end_object(j);
  }
  cx_json_key(j, "friction");
  cx_json_begin_array(j);
  for (guint i = 0; i < c->items->len; i++) {
    const CxCompareItem *it = &g_array_index(c->items, CxCompareItem, i);
    if (it->kind != CX_COMPARE_FRICTION)
      continue;
    cx_json_begin_object(j);
    cx_json_key(j, "kind");
    cx_json_string(j, it->name);
    for (int k = 0; k < 2; k++) {
      cx_json_key(j, k == 0 ? "before" : "after");
      cx_json_begin_object(j);
      cx_json_key(j, "cases");
      cx_json_int(j, (gint64)it->cases[k]);
      cx_json_key_double(j, "share", it->case_rate[k]);
      cx_json_key_double(j, "impact_s", it->impact_s[k]);
      cx_json_end_object(j);
    }
    cx_json_key_double(j, "diff", it->rate_test.diff);
    cx_json_key_double(j, "p", it->rate_test.p);
    cx_json_key_double(j, "q", it->rate_q);
    cx_json_key(j, "test");
    cx_json_string(j, it->rate_tested ? cx_stattest_method_name(it->rate_test.method) : "none");
    cx_json_key(j, "significant");
    cx_json_bool(j, it->significant);
    cx_json_key(j, "direction");
    cx_json_string(j, cx_change_name(it->direction));
    cx_json_end_object(j);
  }
  cx_json_end_array(j);
  cx_json_key(j, "edges");
  json_items(c, j, CX_COMPARE_EDGE);
  cx_json_key(j, "activities");
  json_items(c, j, CX_COMPARE_ACTIVITY);
  cx_json_key(j, "variants");
  json_items(c, j, CX_COMPARE_VARIANT);
  cx_json_end_object(j);
}

/* ---------- text ---------- */

static char *
fmt_q(double q)
{
  if (q < 0.001)
    return g_strdup("q < 0.001");
  g_autofree char *n = cx_format_number(q, 3);
  return g_strconcat("q = ", n, NULL);
}

static char *
fmt_dur(double s)
{
  return isnan(s) ? g_strdup("-") : cx_format_duration(s);
}

/* Durations that add up over many journeys: "124,535 d" rather than "124535 d". */
static char *
fmt_total(double s)
{
  if (isfinite(s) && s >= 1000.0 * 86400) {
    g_autofree char *d = cx_format_count((guint64)llround(s / 86400));
    return g_strconcat(d, " d", NULL);
  }
  return fmt_dur(s);
}

static char *
fmt_num(double v, int decimals)
{
  return isnan(v) ? g_strdup("-") : cx_format_number(v, decimals);
}

static char *
fmt_ratio(double before, double after, const char *less, const char *more)
{
  if (!(before > 0) || !(after > 0) || before == after)
    return g_strdup("");
  double r = after > before ? after / before : before / after;
  if (r < 1.5) {
    /* small changes read better as percentages than as "1.1x" */
    g_autofree char *pct = cx_format_number(100 * (after / before - 1), 0);
    return g_strdup_printf(" (%s%s%%)", after > before ? "+" : "", pct);
  }
  g_autofree char *n = cx_format_number(r, r < 10 ? 1 : 0);
  return g_strdup_printf(" (%sx %s)", n, after > before ? more : less);
}

static char *
fmt_per1000(double rate)
{
  if (rate >= 1)
    return cx_format_count((guint64)llround(1000 * rate));
  return cx_format_number(1000 * rate, rate < 0.01 ? 1 : 0);
}

static const char *
kind_word(const CxCompareItem *it)
{
  return it->kind == CX_COMPARE_EDGE ? "Path" : "Activity";
}

static void
quoted_name(GString *out, const CxCompareItem *it)
{
  if (it->kind == CX_COMPARE_EDGE)
    g_string_append_printf(out, "'%s' -> '%s'", it->from, it->to);
  else
    g_string_append_printf(out, "'%s'", it->name);
}

static void
line_rate(GString *out, const CxCompareItem *it)
{
  g_autofree char *r0 = fmt_per1000(it->case_rate[0]);
  g_autofree char *r1 = fmt_per1000(it->case_rate[1]);
  g_autofree char *ratio = fmt_ratio(it->case_rate[0], it->case_rate[1], "fewer", "more");
  g_autofree char *q = fmt_q(it->rate_q);
  g_autofree char *c0 = cx_format_count(it->cases[0]);
  g_autofree char *c1 = cx_format_count(it->cases[1]);
  g_string_append_printf(out, "  %s ", kind_word(it));
  quoted_name(out, it);
  g_string_append_printf(out, ": %s -> %s per 1,000 journeys%s, %s, %s vs %s journeys\n", r0, r1,
                         ratio, q, c0, c1);
}

static void
line_sample(GString *out, const CxCompareItem *it)
{
  g_autofree char *m0 = fmt_dur(it->median[0]);
  g_autofree char *m1 = fmt_dur(it->median[1]);
  g_autofree char *ratio = fmt_ratio(it->median[0], it->median[1], "shorter", "longer");
  g_autofree char *q = fmt_q(it->sample_q);
  g_autofree char *c0 = cx_format_count(it->cases[0]);
  g_autofree char *c1 = cx_format_count(it->cases[1]);
  g_string_append(out, it->kind == CX_COMPARE_EDGE ? "  Wait " : "  Wait before ");
  quoted_name(out, it);
  g_string_append_printf(out, ": median %s -> %s%s, %s, %s vs %s journeys\n", m0, m1, ratio, q, c0,
                         c1);
}

typedef struct {
  const CxCompareItem *it;
  gboolean rate; /* else sample */
  double importance;
} Finding;

static int
cmp_findings(gconstpointer pa, gconstpointer pb)
{
  const Finding *a = pa, *b = pb;
  if (a->importance != b->importance)
    return a->importance > b->importance ? -1 : 1;
  return strcmp(a->it->name, b->it->name);
}

/* TRUE when the medians of @it print the same ("0 s -> 0 s"): a shift
 * only the rank test sees, not worth a line of the report. */
static gboolean
same_when_shown(const CxCompareItem *it)
{
  g_autofree char *m0 = fmt_dur(it->median[0]);
  g_autofree char *m1 = fmt_dur(it->median[1]);
  return strcmp(m0, m1) == 0;
}

static void
text_section(const CxCompare *c, CxChange dir, const char *title, guint top, GString *out)
{
  g_autoptr(GArray) f = g_array_new(FALSE, FALSE, sizeof(Finding));
  guint hidden = 0;
  for (guint i = 0; i < c->items->len; i++) {
    const CxCompareItem *it = &g_array_index(c->items, CxCompareItem, i);
    if (it->kind != CX_COMPARE_EDGE && it->kind != CX_COMPARE_ACTIVITY)
      continue;
    /* new and vanished paths have their own section */
    if (it->rate_change == dir && !it->is_new && !it->vanished)
      g_array_append_val(f, ((Finding){ it, TRUE, it->rate_importance }));
    if (it->sample_change == dir) {
      if (same_when_shown(it))
        hidden++;
      else
        g_array_append_val(f, ((Finding){ it, FALSE, it->sample_importance }));
    }
  }
  g_array_sort(f, cmp_findings);
  g_string_append_printf(out, "\n%s (%u):\n", title, f->len + hidden);
  if (f->len + hidden == 0)
    g_string_append(out, "  nothing significant\n");
  for (guint i = 0; i < f->len && (top == 0 || i < top); i++) {
    const Finding *x = &g_array_index(f, Finding, i);
    if (x->rate)
      line_rate(out, x->it);
    else
      line_sample(out, x->it);
  }
  if (top > 0 && f->len > top)
    g_string_append_printf(out, "  … %u more (use --top 0 for all)\n", f->len - top);
  if (hidden > 0)
    g_string_append_printf(out,
                           "  (%u wait shift%s with the same median when rounded not listed; "
                           "see --json)\n",
                           hidden, hidden == 1 ? "" : "s");
}

static void
text_headline(const CxCompare *c, GString *out)
{
  const CxCompareItem *cases = cx_compare_headline(c, "cases");
  const CxCompareItem *inst = cx_compare_headline(c, "instances per case");
  const CxCompareItem *dur = cx_compare_headline(c, "case duration");
  const CxCompareItem *succ = cx_compare_headline(c, "successful ends");
  g_autofree char *n0 = cx_format_count(cases->count[0]);
  g_autofree char *n1 = cx_format_count(cases->count[1]);
  g_autofree char *alpha = cx_format_number(c->opts.alpha, 3);
  g_string_append_printf(out,
                         "%s (%s journeys) vs %s (%s journeys): %u tests, %u significant "
                         "(false discovery rate %s)\n\n",
                         c->opts.names[0], n0, c->opts.names[1], n1, c->n_tests, c->n_significant,
                         alpha);
  {
    g_autofree char *m0 = fmt_num(inst->median[0], 1);
    g_autofree char *m1 = fmt_num(inst->median[1], 1);
    g_autofree char *q = fmt_q(inst->sample_q);
    g_string_append_printf(
        out, "  Events per journey:   median %s -> %s, %s%s\n", m0, m1, q,
        inst->significant ? (inst->direction == CX_CHANGE_BETTER ? " (better)" : " (worse)") : "");
  }
  {
    g_autofree char *m0 = fmt_dur(dur->median[0]);
    g_autofree char *m1 = fmt_dur(dur->median[1]);
    g_autofree char *p0 = fmt_dur(dur->p90[0]);
    g_autofree char *p1 = fmt_dur(dur->p90[1]);
    g_autofree char *ratio = fmt_ratio(dur->median[0], dur->median[1], "shorter", "longer");
    g_autofree char *q = fmt_q(dur->sample_q);
    g_string_append_printf(
        out, "  Journey duration:     median %s -> %s%s, p90 %s -> %s, %s%s\n", m0, m1, ratio, p0,
        p1, q,
        dur->significant ? (dur->direction == CX_CHANGE_BETTER ? " (better)" : " (worse)") : "");
  }
  if (succ) {
    g_autofree char *s0 = cx_format_number(100 * succ->case_rate[0], 1);
    g_autofree char *s1 = cx_format_number(100 * succ->case_rate[1], 1);
    g_autofree char *q = fmt_q(succ->rate_q);
    g_string_append_printf(
        out, "  Successful ends:      %s%% -> %s%% of finished journeys, %s%s\n", s0, s1, q,
        succ->significant ? (succ->direction == CX_CHANGE_BETTER ? " (better)" : " (worse)") : "");
  }
  gboolean any = FALSE;
  for (guint i = 0; i < c->items->len; i++) {
    const CxCompareItem *it = &g_array_index(c->items, CxCompareItem, i);
    if (it->kind != CX_COMPARE_FRICTION)
      continue;
    if (!any)
      g_string_append(out, "  Friction (share of journeys with a finding; their extra time):\n");
    any = TRUE;
    g_autofree char *s0 = cx_format_number(100 * it->case_rate[0], 1);
    g_autofree char *s1 = cx_format_number(100 * it->case_rate[1], 1);
    g_autofree char *i0 = fmt_total(it->impact_s[0]);
    g_autofree char *i1 = fmt_total(it->impact_s[1]);
    g_autofree char *q = fmt_q(it->rate_q);
    g_autofree char *label = g_strconcat(it->name, ":", NULL);
    g_string_append_printf(
        out, "    %-16s %s%% -> %s%%, extra time %s -> %s, %s%s\n", label, s0, s1, i0, i1, q,
        it->significant ? (it->direction == CX_CHANGE_BETTER ? " (better)" : " (worse)") : "");
  }
}

static void
text_new_vanished(const CxCompare *c, gboolean is_new, guint top, GString *out)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new();
  for (guint i = 0; i < c->items->len; i++) {
    const CxCompareItem *it = &g_array_index(c->items, CxCompareItem, i);
    if (it->kind == CX_COMPARE_EDGE && (is_new ? it->is_new : it->vanished))
      g_ptr_array_add(list, (gpointer)it);
  }
  if (list->len == 0)
    return;
  g_string_append_printf(out, "\n%s paths (%u):\n", is_new ? "New" : "Vanished", list->len);
  for (guint i = 0; i < list->len && (top == 0 || i < top); i++) {
    const CxCompareItem *it = g_ptr_array_index(list, i);
    int k = is_new ? 1 : 0;
    g_autofree char *n = cx_format_count(it->cases[k]);
    g_autofree char *r = fmt_per1000(it->case_rate[k]);
    g_autofree char *q = fmt_q(it->rate_q);
    g_string_append(out, "  ");
    quoted_name(out, it);
    g_string_append_printf(out, ": %s journey%s (%s per 1,000) %s, %s%s\n", n,
                           it->cases[k] == 1 ? "" : "s", r,
                           is_new ? "after, none before" : "before, none after", q,
                           it->rate_change != CX_CHANGE_SAME ? "" : " (not significant)");
  }
  if (top > 0 && list->len > top)
    g_string_append_printf(out, "  … %u more\n", list->len - top);
}

static void
text_variants(const CxCompare *c, guint top, GString *out)
{
  guint shown = 0, total = 0;
  for (guint i = 0; i < c->items->len; i++) {
    const CxCompareItem *it = &g_array_index(c->items, CxCompareItem, i);
    if (it->kind != CX_COMPARE_VARIANT || !it->significant)
      continue;
    if (total++ == 0)
      g_string_append(out, "\nVariant shifts:\n");
    if (top && shown >= top)
      continue;
    shown++;
    g_autofree char *s0 = cx_format_number(100 * it->case_rate[0], 1);
    g_autofree char *s1 = cx_format_number(100 * it->case_rate[1], 1);
    g_autofree char *q = fmt_q(it->rate_q);
    g_string_append_printf(out, "  %s%% -> %s%% of journeys%s, %s: %s\n", s0, s1,
                           it->is_new     ? " (appears)"
                           : it->vanished ? " (disappears)"
                                          : "",
                           q, it->name);
  }
  if (total > shown)
    g_string_append_printf(out, "  … %u more\n", total - shown);
}

void
cx_compare_to_text(const CxCompare *c, guint top, GString *out)
{
  text_headline(c, out);
  text_section(c, CX_CHANGE_WORSE, "Got worse", top, out);
  text_section(c, CX_CHANGE_BETTER, "Got better", top, out);
  text_new_vanished(c, TRUE, top, out);
  text_new_vanished(c, FALSE, top, out);
  text_variants(c, top, out);
}

/* ---------- DOT ---------- */

static const char *
change_color(CxChange c)
{
  return c == CX_CHANGE_BETTER ? "#1a9850" : c == CX_CHANGE_WORSE ? "#d73027" : "#8c8c8c";
}

static const char *
change_fill(CxChange c)
{
  return c == CX_CHANGE_BETTER ? "#d9f0d3" : c == CX_CHANGE_WORSE ? "#fddbc7" : "#f5f5f5";
}

/* "before -> after" of the item's most telling numbers. */
static char *
dot_label(const CxCompareItem *it, gboolean edge)
{
  GString *s = g_string_new(NULL);
  if (!edge)
    g_string_append_printf(s, "%s\n", it->name);
  g_autofree char *r0 = fmt_per1000(it->case_rate[0]);
  g_autofree char *r1 = fmt_per1000(it->case_rate[1]);
  g_string_append_printf(s, "%s -> %s ‰", r0, r1);
  /* on edges the wait line only when it changed: keeps the map legible */
  if ((it->n[0] > 0 || it->n[1] > 0) && (!edge || it->sample_change != CX_CHANGE_SAME)) {
    g_autofree char *m0 = fmt_dur(it->median[0]);
    g_autofree char *m1 = fmt_dur(it->median[1]);
    g_string_append_printf(s, "\nwait %s -> %s", m0, m1);
  }
  return g_string_free(s, FALSE);
}

static int
cmp_importance_desc(gconstpointer pa, gconstpointer pb)
{
  const CxCompareItem *a = *(const CxCompareItem *const *)pa;
  const CxCompareItem *b = *(const CxCompareItem *const *)pb;
  if (a->importance != b->importance)
    return a->importance > b->importance ? -1 : 1;
  return strcmp(a->name, b->name);
}

static double
item_max_cases(const CxCompareItem *it)
{
  return (double)MAX(it->cases[0], it->cases[1]);
}

static int
cmp_volume_desc(gconstpointer pa, gconstpointer pb)
{
  const CxCompareItem *a = *(const CxCompareItem *const *)pa;
  const CxCompareItem *b = *(const CxCompareItem *const *)pb;
  double va = item_max_cases(a), vb = item_max_cases(b);
  if (va != vb)
    return va > vb ? -1 : 1;
  return strcmp(a->name, b->name);
}

static int
cmp_starts_desc(gconstpointer pa, gconstpointer pb)
{
  const CxCompareItem *a = *(const CxCompareItem *const *)pa;
  const CxCompareItem *b = *(const CxCompareItem *const *)pb;
  /* the share of its journeys that start there: pure starts first */
  double ca = (double)(a->cases[0] + a->cases[1]), cb = (double)(b->cases[0] + b->cases[1]);
  double sa = ca > 0 ? (double)(a->starts[0] + a->starts[1]) / ca : 0;
  double sb = cb > 0 ? (double)(b->starts[0] + b->starts[1]) / cb : 0;
  if (sa != sb)
    return sa > sb ? -1 : 1;
  return cmp_volume_desc(pa, pb);
}

/* Depth-first from @node over @edges (strongest first); an edge into a node
 * still open is a back edge. */
static void
walk(const char *node, GPtrArray *edges, GHashTable *state, GHashTable *back)
{
  if (g_hash_table_contains(state, node))
    return;
  g_hash_table_insert(state, (gpointer)node, GINT_TO_POINTER(1));
  for (guint i = 0; i < edges->len; i++) {
    const CxCompareItem *e = g_ptr_array_index(edges, i);
    if (strcmp(e->from, node) != 0)
      continue;
    int st = GPOINTER_TO_INT(g_hash_table_lookup(state, e->to));
    if (st == 1)
      g_hash_table_add(back, (gpointer)e);
    else if (st == 0)
      walk(e->to, edges, state, back);
  }
  g_hash_table_insert(state, (gpointer)node, GINT_TO_POINTER(2));
}

void
cx_compare_to_dot(const CxCompare *c, double min_share, guint max_changes, GString *out)
{
  const CxCompareItem *cases = cx_compare_headline(c, "cases");
  g_autofree char *title = g_strdup_printf("%s vs %s", c->opts.names[0], c->opts.names[1]);
  g_autoptr(CxDot) dot = cx_dot_new(title, "TB");
  double max_cases = 0;
  g_autoptr(GPtrArray) all_edges = g_ptr_array_new();
  g_autoptr(GPtrArray) changes = g_ptr_array_new();
  g_autoptr(GHashTable) acts = g_hash_table_new(g_str_hash, g_str_equal); /* name -> item */
  for (guint i = 0; i < c->items->len; i++) {
    const CxCompareItem *it = &g_array_index(c->items, CxCompareItem, i);
    if (it->kind == CX_COMPARE_EDGE) {
      max_cases = MAX(max_cases, MAX(it->cases[0], it->cases[1]));
      g_ptr_array_add(all_edges, (gpointer)it);
      if (it->significant)
        g_ptr_array_add(changes, (gpointer)it);
    } else if (it->kind == CX_COMPARE_ACTIVITY) {
      g_hash_table_insert(acts, it->name, (gpointer)it);
    }
  }
  /* what the map shows: the main flow (paths at least min_share of either
   * side's journeys take) and the max_changes most important significant
   * changes; the activities they join */
  g_ptr_array_sort(changes, cmp_importance_desc);
  g_autoptr(GHashTable) shown = g_hash_table_new(g_direct_hash, g_direct_equal);
  for (guint i = 0; i < changes->len && (max_changes == 0 || i < max_changes); i++)
    g_hash_table_add(shown, g_ptr_array_index(changes, i));
  for (guint i = 0; i < all_edges->len; i++) {
    const CxCompareItem *it = g_ptr_array_index(all_edges, i);
    if (MAX(it->case_rate[0], it->case_rate[1]) >= min_share)
      g_hash_table_add(shown, (gpointer)it);
  }
  g_autoptr(GPtrArray) edges = g_ptr_array_new();
  g_autoptr(GPtrArray) nodes = g_ptr_array_new();
  g_autoptr(GHashTable) node_set = g_hash_table_new(g_direct_hash, g_direct_equal);
  for (guint i = 0; i < all_edges->len; i++) {
    const CxCompareItem *it = g_ptr_array_index(all_edges, i);
    if (!g_hash_table_contains(shown, it))
      continue;
    g_ptr_array_add(edges, (gpointer)it);
    const char *ends[2] = { it->from, it->to };
    for (int k = 0; k < 2; k++) {
      gpointer node = g_hash_table_lookup(acts, ends[k]);
      if (node != NULL && g_hash_table_add(node_set, node))
        g_ptr_array_add(nodes, node);
    }
  }
  /* nodes in item order (significant, most important first): a stable layout */
  for (guint i = 0; i < c->items->len; i++) {
    const CxCompareItem *it = &g_array_index(c->items, CxCompareItem, i);
    if (it->kind != CX_COMPARE_ACTIVITY || !g_hash_table_contains(node_set, it))
      continue;
    g_autofree char *label = dot_label(it, FALSE);
    g_autofree char *qr = fmt_q(it->rate_q);
    g_autofree char *qw = fmt_q(it->sample_q);
    g_autofree char *tip = g_strdup_printf("%s: rate %s, wait %s", it->name, qr, qw);
    CxDotStyle st = { .label = label,
                      .fill = change_fill(it->direction),
                      .color = change_color(it->direction),
                      .style = it->is_new     ? "bold"
                               : it->vanished ? "dashed"
                                              : NULL,
                      .tooltip = tip,
                      .penwidth = it->significant ? 2.5 : 1 };
    cx_dot_node(dot, it->name, &st);
  }
  /* back edges of a strongest-first walk from the start activities do not
   * constrain the ranks, so that the map reads from top to bottom */
  g_autoptr(GHashTable) back = g_hash_table_new(g_direct_hash, g_direct_equal);
  {
    g_autoptr(GPtrArray) by_vol = g_ptr_array_copy(edges, NULL, NULL);
    g_ptr_array_sort(by_vol, cmp_volume_desc);
    g_autoptr(GPtrArray) roots = g_ptr_array_copy(nodes, NULL, NULL);
    g_ptr_array_sort(roots, cmp_starts_desc);
    g_autoptr(GHashTable) state = g_hash_table_new(g_str_hash, g_str_equal); /* 1 open, 2 done */
    for (guint r = 0; r < roots->len; r++)
      walk(((const CxCompareItem *)g_ptr_array_index(roots, r))->name, by_vol, state, back);
  }
  for (guint i = 0; i < edges->len; i++) {
    const CxCompareItem *it = g_ptr_array_index(edges, i);
    g_autofree char *label = dot_label(it, TRUE);
    g_autofree char *qr = fmt_q(it->rate_q);
    g_autofree char *qw = fmt_q(it->sample_q);
    g_autofree char *tip = g_strdup_printf("%s: rate %s, wait %s", it->name, qr, qw);
    double vol = (double)MAX(it->cases[0], it->cases[1]);
    CxDotStyle st = { .label = label,
                      .color = change_color(it->direction),
                      .fontcolor = it->significant ? change_color(it->direction) : "#555555",
                      .style = it->is_new     ? "bold"
                               : it->vanished ? "dashed"
                                              : NULL,
                      .tooltip = tip,
                      .penwidth = cx_dot_penwidth(vol, max_cases),
                      .weight = max_cases > 0 ? 1 + (int)(9 * vol / max_cases) : 1,
                      .back = g_hash_table_contains(back, it) };
    cx_dot_edge(dot, it->from, it->to, &st);
  }
  g_autofree char *n0 = cx_format_count(cases ? cases->count[0] : 0);
  g_autofree char *n1 = cx_format_count(cases ? cases->count[1] : 0);
  g_autofree char *l1 = g_strdup_printf("%s: %s journeys, %s: %s journeys", c->opts.names[0], n0,
                                        c->opts.names[1], n1);
  cx_dot_legend(dot, l1);
  cx_dot_legend(dot, "labels: before -> after; ‰ = journeys per 1,000; wait = median");
  cx_dot_legend(dot, "green = significantly better, red = worse, grey = no significant change");
  cx_dot_legend(dot, "bold = new, dashed = vanished; width = journeys taking the path");
  g_autofree char *alpha = cx_format_number(c->opts.alpha, 3);
  g_autofree char *l5 = g_strdup_printf("significant: q < %s (Benjamini-Hochberg over %u tests)",
                                        alpha, c->n_tests);
  cx_dot_legend(dot, l5);
  if (edges->len < all_edges->len) {
    g_autofree char *pct = cx_format_number(100 * min_share, 1);
    guint nch = max_changes == 0 ? changes->len : MIN(changes->len, max_changes);
    g_autofree char *l6 = g_strdup_printf(
        "shown: %u of %u paths (taken by >= %s%% of journeys, or among the %u most important "
        "significant changes)",
        edges->len, all_edges->len, pct, nch);
    cx_dot_legend(dot, l6);
  }
  cx_dot_write(dot, out);
}
