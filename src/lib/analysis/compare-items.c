/* The items of a comparison, made from two sides: the headline, friction
 * kinds, every activity and path of either side (matched by name, so two
 * logs compare) and the variants, each with its rate and sample tests
 * run but not yet corrected or judged (compare-tests.c). */
#include "compare-private.h"
#include "cxmine/compare.h"
#include "cxmine/summary.h"
#include "cxmine/stattest.h"
#include <math.h>
#include <string.h>

static const char *const headline_names[CX_COMPARE_N_HEADLINES] = {
  [CX_COMPARE_CASES] = "cases",
  [CX_COMPARE_INSTANCES] = "instances per case",
  [CX_COMPARE_DURATION] = "case duration",
  [CX_COMPARE_SATISFACTION] = "satisfaction",
  [CX_COMPARE_SUCCESS] = "successful ends",
};

const char *
cx_compare_headline_name(CxCompareHeadline h)
{
  g_return_val_if_fail(h < CX_COMPARE_N_HEADLINES, NULL);
  return headline_names[h];
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

static void
sort_samples(GArray *a)
{
  if (a->len > 1)
    cx_sort_doubles((double *)a->data, a->len);
}

/* A sorted copy of the exact samples of @q: the sides are read, never changed. */
static GArray *
sorted_copy(const CxQuantiles *q)
{
  gsize n;
  const double *v = cx_quantiles_samples(q, &n);
  GArray *c = g_array_sized_new(FALSE, FALSE, sizeof(double), (guint)n);
  g_array_append_vals(c, v, (guint)n);
  sort_samples(c);
  return c;
}

static void
on_group(double v, guint64 na, guint64 nb, gpointer data)
{
  CxRankGroup g = { v, na, nb };
  g_array_append_val((GArray *)data, g);
}

/* Mann-Whitney of @s0 against @s1: on the samples while both are exact,
 * else on bucket ranks. */
static void
sample_test(const CxQuantiles *s0, const CxQuantiles *s1, CxMannWhitney *out)
{
  if (cx_quantiles_is_exact(s0) && cx_quantiles_is_exact(s1)) {
    g_autoptr(GArray) t0 = sorted_copy(s0);
    g_autoptr(GArray) t1 = sorted_copy(s1);
    cx_stattest_mann_whitney((const double *)t0->data, t0->len, (const double *)t1->data, t1->len,
                             out);
    return;
  }
  g_autoptr(GArray) groups = g_array_new(FALSE, FALSE, sizeof(CxRankGroup));
  cx_quantiles_groups(s0, s1, on_group, groups);
  cx_stattest_mann_whitney_groups((const CxRankGroup *)groups->data, groups->len,
                                  cx_quantiles_quantile(s0, 0.5), cx_quantiles_quantile(s1, 0.5),
                                  out);
}

/* Fills the distribution columns and the sample test of @it from the
 * samples @s0 / @s1 (test) and @all0 / @all1 (medians shown). */
static void
item_samples(CxCompareItem *it, const CxQuantiles *s0, const CxQuantiles *s1,
             const CxQuantiles *all0, const CxQuantiles *all1, guint min_n)
{
  const CxQuantiles *all[2] = { all0, all1 };
  for (int k = 0; k < 2; k++) {
    CxSummary sum;
    cx_quantiles_summary(all[k], &sum);
    it->n[k] = sum.n;
    it->median[k] = sum.n ? sum.median : NAN;
    it->p90[k] = sum.n ? sum.p90 : NAN;
    it->sketched |= sum.sketched;
  }
  sample_test(s0, s1, &it->sample_test);
  it->sample_tested = cx_quantiles_n(s0) >= MAX(min_n, 1) && cx_quantiles_n(s1) >= MAX(min_n, 1)
                      && it->sample_test.method != CX_STATTEST_NONE;
  it->sketched |= !cx_quantiles_is_exact(s0) || !cx_quantiles_is_exact(s1);
}

/* The same for one sample per journey kept as an array (durations,
 * instances, satisfaction): the quantile rule applies to it too. */
static void
item_array_samples(CxCompareItem *it, const GArray *a0, const GArray *a1, guint min_n)
{
  g_autoptr(CxQuantiles) q0 = cx_quantiles_new();
  g_autoptr(CxQuantiles) q1 = cx_quantiles_new();
  for (guint i = 0; i < a0->len; i++)
    cx_quantiles_add(q0, g_array_index(a0, double, i));
  for (guint i = 0; i < a1->len; i++)
    cx_quantiles_add(q1, g_array_index(a1, double, i));
  item_samples(it, q0, q1, q0, q1, min_n);
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
  const CxQuantiles *case_waits[2], *waits[2]; /* NULL: none */
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
add_pairs(CxCompareItem *proto, const CxCompareSide *const s[2], gboolean edges, GArray *items,
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
    for (int k = 0; k < 2; k++) {
      it.count[k] = pr->count[k];
      it.cases[k] = pr->cases[k];
      it.starts[k] = pr->starts[k];
    }
    item_rate(&it, s[0]->cases, s[1]->cases, o->min_cases);
    item_samples(&it, pr->case_waits[0], pr->case_waits[1], pr->waits[0], pr->waits[1],
                 o->min_cases);
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
add_variants(CxCompareItem *proto, const CxCompareSide *const s[2], GArray *items,
             const CxCompareOptions *o)
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
add_headline(CxCompareItem *proto, const CxCompareSide *const s[2], GArray *items,
             const CxCompareOptions *o)
{
  CxCompareItem it = *proto;
  it.kind = CX_COMPARE_HEADLINE;
  it.headline = CX_COMPARE_CASES;
  it.name = g_strdup(cx_compare_headline_name(it.headline));
  for (int k = 0; k < 2; k++) {
    it.count[k] = it.cases[k] = s[k]->cases;
    it.rate[k] = it.case_rate[k] = 1;
    it.median[k] = it.p90[k] = NAN;
  }
  g_array_append_val(items, it);

  it = *proto;
  it.kind = CX_COMPARE_HEADLINE;
  it.headline = CX_COMPARE_INSTANCES;
  it.name = g_strdup(cx_compare_headline_name(it.headline));
  it.sample_polarity = 0; /* more steps is not worse in itself: effort is a friction kind */
  for (int k = 0; k < 2; k++)
    it.cases[k] = s[k]->cases;
  item_array_samples(&it, s[0]->instances, s[1]->instances, o->min_cases);
  g_array_append_val(items, it);

  it = *proto;
  it.kind = CX_COMPARE_HEADLINE;
  it.headline = CX_COMPARE_DURATION;
  it.name = g_strdup(cx_compare_headline_name(it.headline));
  it.sample_polarity = -1;
  for (int k = 0; k < 2; k++)
    it.cases[k] = s[k]->durations->len;
  item_array_samples(&it, s[0]->durations, s[1]->durations, o->min_cases);
  g_array_append_val(items, it);

  if (s[0]->sat_key != NULL && s[1]->sat_key != NULL) {
    it = *proto;
    it.kind = CX_COMPARE_HEADLINE;
    it.headline = CX_COMPARE_SATISFACTION;
    it.name = g_strdup(cx_compare_headline_name(it.headline));
    it.sample_polarity = o->satisfaction_lower_is_better ? -1 : 1;
    for (int k = 0; k < 2; k++) {
      it.cases[k] = s[k]->sat->len;
      double sum = 0;
      for (guint i = 0; i < s[k]->sat->len; i++)
        sum += g_array_index(s[k]->sat, double, i);
      it.mean[k] = s[k]->sat->len ? sum / s[k]->sat->len : NAN;
    }
    item_array_samples(&it, s[0]->sat, s[1]->sat, o->min_cases);
    g_array_append_val(items, it);
  }

  gboolean by_friction = s[0]->friction != NULL && s[1]->friction != NULL;
  if (by_friction || (s[0]->outcome && s[1]->outcome)) {
    it = *proto;
    it.kind = CX_COMPARE_HEADLINE;
    it.headline = CX_COMPARE_SUCCESS;
    it.name = g_strdup(cx_compare_headline_name(it.headline));
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
add_friction(CxCompareItem *proto, const CxCompareSide *const s[2], GArray *items,
             const CxCompareOptions *o)
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
    it.finding = (CxFindingKind)kind;
    it.name = g_strdup(cx_finding_kind_name(it.finding));
    it.activities = kind_activities(s[0]->friction, s[1]->friction, (CxFindingKind)kind);
    item_rate(&it, s[0]->cases, s[1]->cases, o->min_cases);
    it.is_new = it.vanished = FALSE;
    g_array_append_val(items, it);
  }
}

GArray *
cx_compare_items_make(const CxCompareSide *const s[2], const CxCompareOptions *o)
{
  GArray *items = g_array_new(FALSE, TRUE, sizeof(CxCompareItem));
  g_array_set_clear_func(items, item_clear);
  CxCompareItem proto = { 0 };
  proto.rate_q = proto.sample_q = 1;
  proto.rate_test.p = proto.sample_test.p = 1;
  proto.sample_test.median_ratio = NAN;
  for (int k = 0; k < 2; k++)
    proto.median[k] = proto.p90[k] = proto.customers_lost[k] = proto.extra_time_s[k] = proto.mean[k]
        = NAN;
  add_headline(&proto, s, items, o);
  add_friction(&proto, s, items, o);
  add_pairs(&proto, s, FALSE, items, o);
  add_pairs(&proto, s, TRUE, items, o);
  add_variants(&proto, s, items, o);
  return items;
}

double
cx_compare_typical_duration(const CxCompareSide *const s[2])
{
  /* one copy of both sides, sized to fit, and selection instead of a sort
   * (this was the peak of comparing two long logs) */
  const GArray *d0 = s[0]->durations, *d1 = s[1]->durations;
  if (d0->len + d1->len == 0)
    return 1;
  g_autoptr(GArray) all = g_array_sized_new(FALSE, FALSE, sizeof(double), d0->len + d1->len);
  g_array_append_vals(all, d0->data, d0->len);
  g_array_append_vals(all, d1->data, d1->len);
  double typical_s = cx_quantile_select((double *)all->data, all->len, 0.5);
  return typical_s >= 1 ? typical_s : 1;
}

double
cx_compare_quantile_rel_error(const CxCompare *c)
{
  guint n;
  const CxCompareItem *items = cx_compare_items(c, &n);
  for (guint i = 0; i < n; i++)
    if (items[i].sketched)
      return CX_QUANTILES_REL_ERROR;
  return 0;
}
