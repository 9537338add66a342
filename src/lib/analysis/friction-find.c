/* Friction's finders: bottleneck and inconsistency (waits and service
 * times), rework, repeat contact, negative, drop-off and the funnel, channel
 * switches and effort; and how every finding compares its cases with the
 * others (both currencies). */
#include "friction-private.h"
#include "cxmine/stattest.h"
#include "cxmine/summary.h"

gboolean
cx_friction_enough(const CxFriction *f, guint64 n)
{
  guint64 total = cx_friction_cases(f);
  return n > 0 && n >= f->opts.min_cases && (double)n >= f->opts.min_share * (double)total - 1e-9;
}

static double
dur_s(const CxFriction *f, guint32 c)
{
  return (double)cx_friction_case(f, c).dur / 1e6;
}

/* The two medians of the marked (gen) and unmarked cases with a duration. */
static void
medians(CxFriction *f, guint64 with_dur, double *with, double *without)
{
  const guint32 *mark = (const guint32 *)f->mark->data;
  guint64 without_dur = f->order->len - with_dur;
  /* the cases at the middle of each side; only theirs are read (the
   * records are in the order of the cases, not of their durations) */
  guint32 mw[2] = { 0, 0 }, mo[2] = { 0, 0 };
  guint64 kw = 0, ko = 0;
  for (guint i = 0; i < f->order->len; i++) {
    guint32 c = g_array_index(f->order, guint32, i);
    if (mark[c] == f->gen) {
      if (kw == (with_dur - 1) / 2)
        mw[0] = c;
      if (kw == with_dur / 2)
        mw[1] = c;
      kw++;
    } else {
      if (ko == (without_dur - 1) / 2)
        mo[0] = c;
      if (ko == without_dur / 2)
        mo[1] = c;
      ko++;
    }
  }
  *with = with_dur > 0 ? (dur_s(f, mw[0]) + dur_s(f, mw[1])) / 2 : NAN;
  *without = without_dur > 0 ? (dur_s(f, mo[0]) + dur_s(f, mo[1])) / 2 : NAN;
}

/* Fills the cases, share, comparison and both currencies of @fd from the
 * ascending case list @L; success without it is taken among @reached (the
 * cases that reached its first step; NULL = all). */
void
cx_friction_compare_cases(CxFriction *f, CxFinding *fd, const GArray *L, const GArray *reached)
{
  guint64 n = cx_friction_cases(f);
  f->gen++;
  guint32 *mark = (guint32 *)f->mark->data;
  guint32 *kinds = (guint32 *)f->kinds->data;
  guint64 with_dur = 0, with_fin = 0, with_succ = 0, with_sat = 0;
  double sat_sum = 0;
  for (guint i = 0; i < L->len; i++) {
    guint32 c = g_array_index(L, guint32, i);
    mark[c] = f->gen;
    kinds[c] |= 1u << fd->kind;
    CaseRec r = cx_friction_case(f, c);
    if (r.dur >= 0)
      with_dur++;
    CxOutcomeKind kind = cx_friction_case_kind(f, c);
    if (kind != CX_OUTCOME_OPEN) {
      with_fin++;
      if (kind == CX_OUTCOME_SUCCESS)
        with_succ++;
    }
    double sat = cx_friction_case_sat(f, c);
    if (!isnan(sat)) {
      with_sat++;
      sat_sum += sat;
    }
  }
  medians(f, with_dur, &fd->median_with_s, &fd->median_without_s);
  fd->cases = L->len;
  fd->share = n > 0 ? (double)L->len / (double)n : 0;
  fd->success_with = with_fin > 0 ? (double)with_succ / (double)with_fin : NAN;
  guint64 fin_o = 0, succ_o = 0;
  if (reached != NULL) {
    for (guint i = 0; i < reached->len; i++) {
      guint32 c = g_array_index(reached, guint32, i);
      CxOutcomeKind kind = cx_friction_case_kind(f, c);
      if (mark[c] == f->gen || kind == CX_OUTCOME_OPEN)
        continue;
      fin_o++;
      succ_o += kind == CX_OUTCOME_SUCCESS;
    }
  } else {
    fin_o = f->finished - with_fin;
    succ_o = f->succeeded - with_succ;
  }
  fd->success_without = fin_o > 0 ? (double)succ_o / (double)fin_o : NAN;
  fd->satisfaction_with = with_sat > 0 ? sat_sum / (double)with_sat : NAN;
  guint64 sat_o = f->n_scored - with_sat;
  fd->satisfaction_without = sat_o > 0 ? (f->sat_sum - sat_sum) / (double)sat_o : NAN;
  fd->extra_time_s = cx_friction_extra_time(L->len, fd->median_with_s, fd->median_without_s);
  /* a success gap that chance explains loses nobody */
  CxPropTest pt;
  cx_stattest_proportions(with_succ, with_fin, succ_o, fin_o, &pt);
  fd->success_p = with_fin > 0 && fin_o > 0 ? pt.p : 1;
  fd->customers_lost = fd->success_p < 0.05 ? cx_friction_customers_lost(L->len, fd->success_with,
                                                                         fd->success_without)
                                            : 0;
}

/* Appends a finding of @kind about the @n_ids @ids of @pool (activities, or
 * channels) over the cases @L (copied) and compares them. */
CxFinding *
cx_friction_push(CxFriction *f, CxFindingKind kind, const CxPool *pool, const guint32 *ids,
                 guint n_ids, const GArray *L, const GArray *reached)
{
  g_return_val_if_fail(n_ids <= CX_FINDING_MAX_NAMES, NULL);
  CxFinding fd = { 0 };
  fd.kind = kind;
  fd.n_names = n_ids;
  for (guint k = 0; k < n_ids; k++) {
    fd.ids[k] = ids[k];
    fd.names[k] = cx_pool_get(pool, ids[k]);
  }
  fd.median_s = fd.p90_s = fd.total_s = fd.wait_share = NAN;
  fd.threshold = fd.typical = NAN;
  fd.level_start = fd.level_end = fd.load_start = fd.load_end = fd.p = fd.q = NAN;
  fd.index = f->lists->len;
  CxTagList copy = { 0 };
  for (guint i = 0; i < L->len; i++)
    cx_tag_list_add(f->store, &copy, g_array_index(L, guint32, i));
  g_array_append_val(f->lists, copy);
  cx_friction_compare_cases(f, &fd, L, reached);
  g_array_append_val(f->all, fd);
  return &g_array_index(f->all, CxFinding, f->all->len - 1);
}

/* The ascending, distinct cases of @tags whose paired sample exceeds @limit. */
static GArray *
slow_cases(const CxSampleList *vals, const CxTagList *tags, double limit)
{
  g_autoptr(GArray) cases = cx_tag_list_decode(tags);
  GArray *out = g_array_new(FALSE, FALSE, sizeof(guint32));
  CxSampleIter it;
  gint64 us;
  cx_sample_iter_init(&it, vals);
  for (guint i = 0; cx_sample_iter_next(&it, &us); i++) {
    if (cx_transition_seconds(us) <= limit)
      continue;
    guint32 c = g_array_index(cases, guint32, i);
    if (out->len == 0 || g_array_index(out, guint32, out->len - 1) != c)
      g_array_append_val(out, c);
  }
  return out;
}

/* The waits of an edge, or the service times of an activity. */
typedef struct {
  guint32 ids[2]; /* the edge's activities, or the activity; ids[0] is reached first */
  guint n_ids;
  CxFindingMeasure measure;
  const CxSampleList *vals; /* samples */
  const CxTagList *cases;   /* and their cases */
  guint64 members;          /* cases showing it */
  CxSummary sum;
  double ratio;
  WaitClass cls;
} Timing;

/* The samples @vals in a quantile state: the summary every command shows
 * for them (exact up to a fixed count, then sketched). */
static CxQuantiles *
quantiles_of(const CxSampleList *vals)
{
  CxQuantiles *q = cx_quantiles_new();
  CxSampleIter it;
  gint64 us;
  cx_sample_iter_init(&it, vals);
  while (cx_sample_iter_next(&it, &us))
    cx_quantiles_add(q, cx_transition_seconds(us));
  return q;
}

static void
timing_summary(CxFriction *f, Timing *t)
{
  g_autoptr(CxQuantiles) q = quantiles_of(t->vals);
  cx_quantiles_summary(q, &t->sum);
  f->sketched |= t->sum.sketched;
  t->ratio = t->sum.median > 0 ? t->sum.p90 / t->sum.median : NAN;
}

/* The sample at rank @k (0-based, ascending) among those of the regular
 * timings other than @skip: a radix select on the order keys, 16 bits a
 * pass, reading the kept samples in place.  A sorted copy of every wait
 * with its owner cost 16 bytes a wait (and the sort as much again) at the
 * peak of a long log; this costs four passes per rank and 512 KiB. */
static double
rank_of_others(const GArray *timings, guint skip, guint64 k)
{
  g_autofree guint64 *count = g_new(guint64, 1u << 16);
  guint64 prefix = 0;
  for (int shift = 48; shift >= 0; shift -= 16) {
    guint64 high = shift == 48 ? 0 : ~G_GUINT64_CONSTANT(0) << (shift + 16);
    memset(count, 0, sizeof(guint64) << 16);
    for (guint i = 0; i < timings->len; i++) {
      const Timing *t = &g_array_index(timings, Timing, i);
      if (i == skip || t->cls != WAIT_FRICTION)
        continue;
      CxSampleIter it;
      gint64 us;
      cx_sample_iter_init(&it, t->vals);
      while (cx_sample_iter_next(&it, &us)) {
        guint64 key = cx_order_key(cx_transition_seconds(us));
        if ((key & high) == prefix)
          count[(key >> shift) & 0xffff]++;
      }
    }
    guint d = 0;
    while (count[d] <= k)
      k -= count[d++];
    prefix |= (guint64)d << shift;
  }
  return cx_order_value(prefix);
}

/* The median (numpy's linear interpolation) of the samples of the regular
 * timings not from timing @skip; @n_all of them in all. */
static double
median_of_others(const GArray *timings, guint skip, guint64 n_all)
{
  const Timing *s = &g_array_index(timings, Timing, skip);
  guint64 m = n_all - (s->cls == WAIT_FRICTION ? s->vals->n : 0);
  if (m == 0)
    return 0;
  double vlo = rank_of_others(timings, skip, (m - 1) / 2);
  double vhi = m % 2 == 1 ? vlo : rank_of_others(timings, skip, m / 2);
  return (vlo + vhi) / 2;
}

GArray *
cx_friction_act_cases(const CxFriction *f, guint32 a)
{
  const CxTransitionsAct *n = cx_friction_act(f, a);
  return n != NULL ? cx_tag_list_decode(&n->case_tags) : NULL;
}

/* A finding of @kind about the timing @t over its slow cases @sc, with the
 * timing's measure and summary filled in. */
static CxFinding *
push_timing(CxFriction *f, CxFindingKind kind, CxPool *acts, const Timing *t, GArray *sc)
{
  g_autoptr(GArray) reached = cx_friction_act_cases(f, t->ids[0]);
  CxFinding *fd = cx_friction_push(f, kind, acts, t->ids, t->n_ids, sc, reached);
  cx_friction_set_measure(fd, t->measure);
  fd->occurrences = t->sum.n;
  fd->median_s = t->sum.median;
  fd->p90_s = t->sum.p90;
  fd->total_s = t->sum.total;
  return fd;
}

static void
find_timings(CxFriction *f, CxPool *acts, GArray *timings, double total_all, gboolean svc)
{
  const CxFrictionOptions *o = &f->opts;
  if (!(total_all > 0))
    return;
  double cut = MIN(o->bottleneck_share, CX_FRICTION_BIG_WAIT_SHARE);
  guint64 n_regular = 0;
  for (guint i = 0; i < timings->len; i++) {
    const Timing *t = &g_array_index(timings, Timing, i);
    if (t->cls == WAIT_FRICTION)
      n_regular += t->vals->n;
  }
  for (guint i = 0; i < timings->len; i++) {
    Timing *t = &g_array_index(timings, Timing, i);
    double share = t->sum.total / total_all;
    if (share < cut || !(t->sum.median > 0))
      continue;
    if (t->cls != WAIT_FRICTION) {
      CxFrictionWait w = { cx_pool_get(acts, t->ids[0]),
                           t->n_ids == 2 ? cx_pool_get(acts, t->ids[1]) : NULL,
                           t->cls == WAIT_AFTER_SUCCESS,
                           t->members,
                           t->sum.n,
                           t->sum.median,
                           t->sum.p90,
                           t->sum.total,
                           share,
                           t->ids[0],
                           t->n_ids == 2 ? t->ids[1] : CX_ID_NONE };
      g_array_append_val(f->waits, w);
      continue;
    }
    if (!cx_friction_enough(f, t->members))
      continue;
    double typical = median_of_others(timings, i, n_regular);
    /* a wait holding a large share of all waiting, and clearly longer than
     * the others (in a three-step journey every wait holds a third) */
    gboolean big = !svc && share >= CX_FRICTION_BIG_WAIT_SHARE && t->sum.median >= 2 * typical;
    gboolean slow = t->sum.median >= o->bottleneck_factor * typical && share >= o->bottleneck_share;
    if (!big && !slow)
      continue;
    double limit = o->bottleneck_factor * typical;
    if (big && !slow)
      limit = MIN(limit, t->sum.median);
    g_autoptr(GArray) sc = slow_cases(t->vals, t->cases, limit * (1 - 1e-12));
    if (!cx_friction_enough(f, sc->len))
      continue;
    CxFinding *fd = push_timing(f, CX_FINDING_BOTTLENECK, acts, t, sc);
    fd->wait_share = share;
    fd->typical = typical;
    fd->threshold = limit;
  }
  /* inconsistency: far more spread than the rest */
  g_autoptr(GArray) ratios = g_array_new(FALSE, FALSE, sizeof(double));
  for (guint i = 0; i < timings->len; i++) {
    Timing *t = &g_array_index(timings, Timing, i);
    if (t->cls == WAIT_FRICTION && t->sum.n >= o->inconsistency_min_samples && !isnan(t->ratio))
      g_array_append_val(ratios, t->ratio);
  }
  if (ratios->len == 0)
    return;
  cx_sort_doubles((double *)ratios->data, ratios->len);
  double typical = cx_quantile_sorted((double *)ratios->data, ratios->len, 0.5);
  for (guint i = 0; i < timings->len; i++) {
    Timing *t = &g_array_index(timings, Timing, i);
    if (t->cls != WAIT_FRICTION || t->sum.n < o->inconsistency_min_samples || isnan(t->ratio)
        || t->ratio < o->inconsistency_ratio || t->ratio < 2 * typical
        || !cx_friction_enough(f, t->members))
      continue;
    g_autoptr(GArray) sc = slow_cases(t->vals, t->cases, o->inconsistency_slow * t->sum.median);
    if (!cx_friction_enough(f, sc->len))
      continue;
    CxFinding *fd = push_timing(f, CX_FINDING_INCONSISTENCY, acts, t, sc);
    fd->threshold = t->ratio;
    fd->typical = typical;
  }
}

void
cx_friction_find_effort(CxFriction *f, gboolean touches)
{
  guint n = cx_friction_cases(f);
  g_autoptr(GArray) v = g_array_sized_new(FALSE, FALSE, sizeof(double), n);
  gboolean any = FALSE;
  for (guint c = 0; c < n; c++) {
    CaseRec r = cx_friction_case(f, c);
    double x = touches ? r.touches : r.steps;
    any |= x > 0;
    g_array_append_val(v, x);
  }
  if (!any || n == 0)
    return;
  /* by selection: a sort took twice the values' size again, at the peak */
  double *s = (double *)v->data;
  double med = cx_quantile_select(s, n, 0.5), q1 = cx_quantile_select(s, n, 0.25),
         q3 = cx_quantile_select(s, n, 0.75);
  double limit = MAX(f->opts.effort_factor * med, q3 + f->opts.effort_iqr * (q3 - q1));
  g_autoptr(GArray) L = g_array_new(FALSE, FALSE, sizeof(guint32));
  for (guint32 c = 0; c < n; c++) {
    CaseRec r = cx_friction_case(f, c);
    if ((touches ? r.touches : r.steps) > limit)
      g_array_append_val(L, c);
  }
  if (!cx_friction_enough(f, L->len))
    return;
  CxFinding *fd = cx_friction_push(f, CX_FINDING_EFFORT, NULL, NULL, 0, L, NULL);
  cx_friction_set_measure(fd, touches ? CX_FINDING_MEASURE_TOUCHES : CX_FINDING_MEASURE_STEPS);
  fd->threshold = limit;
  fd->typical = med;
}

/* The median of the samples in @q (NAN without any), noting in @sketched
 * when it came from a sketch. */
static double
median_of(const CxQuantiles *q, gboolean *sketched)
{
  if (cx_quantiles_n(q) == 0)
    return NAN;
  if (sketched != NULL)
    *sketched |= !cx_quantiles_is_exact(q);
  return cx_quantiles_quantile(q, 0.5);
}

double
cx_friction_median(const GArray *vals, gboolean *sketched)
{
  g_autoptr(CxQuantiles) q = cx_quantiles_new();
  for (guint i = 0; i < vals->len; i++)
    cx_quantiles_add(q, g_array_index(vals, double, i));
  return median_of(q, sketched);
}

WaitClass
cx_friction_edge_class(CxFriction *f, guint32 from, guint32 to, CxPool *acts)
{
  if (cx_friction_matches(f->ret_specs, cx_pool_get(acts, to)))
    return WAIT_UNTIL_RETURN;
  if (cx_outcome_is_success_step(f->outcome, from))
    return WAIT_AFTER_SUCCESS;
  return WAIT_FRICTION;
}

static void
array_unref0(gpointer a)
{
  if (a != NULL)
    g_array_unref(a);
}

static int
cmp_funnel(gconstpointer a, gconstpointer b)
{
  const CxFunnelStep *x = a, *y = b;
  if (x->reached != y->reached)
    return x->reached > y->reached ? -1 : 1;
  return strcmp(x->activity, y->activity);
}

static int
cmp_wait(gconstpointer a, gconstpointer b)
{
  const CxFrictionWait *x = a, *y = b;
  if (x->total_s != y->total_s)
    return x->total_s > y->total_s ? -1 : 1;
  int r = strcmp(x->from, y->from);
  return r != 0 ? r : g_strcmp0(x->to, y->to);
}

static int
cmp_switch(gconstpointer a, gconstpointer b)
{
  const CxChannelSwitch *x = a, *y = b;
  if (x->count != y->count)
    return x->count > y->count ? -1 : 1;
  int r = strcmp(x->from, y->from);
  return r != 0 ? r : strcmp(x->to, y->to);
}

/* bottleneck and inconsistency: edges, then service times */
void
cx_friction_find_bottlenecks(CxFriction *f, CxPool *acts)
{
  g_autoptr(GArray) tim = g_array_new(FALSE, FALSE, sizeof(Timing));
  /* exact (integer microseconds), so that the share does not depend on the
   * order of the journeys (../shared/DECISIONS.md) */
  CxExactSum sum = 0;
  for (guint i = 0; i < cx_transitions_n_edges(f->edges); i++) {
    CxTransitionsEdge *e = cx_transitions_edge(f->edges, i);
    sum += cx_transitions_list_sum(&e->wait_samples);
    if (e->wait_samples.n == 0)
      continue;
    Timing t = { { e->from, e->to },
                 2,
                 CX_FINDING_MEASURE_WAIT,
                 &e->wait_samples,
                 &e->wait_tags,
                 e->cases,
                 { 0 },
                 NAN,
                 cx_friction_edge_class(f, e->from, e->to, acts) };
    timing_summary(f, &t);
    g_array_append_val(tim, t);
  }
  find_timings(f, acts, tim, (double)sum / 1e6, FALSE);
  g_array_set_size(tim, 0);
  sum = 0;
  for (guint32 a = 0; a < f->acts->len; a++) {
    const CxTransitionsAct *N = cx_friction_act(f, a);
    if (N == NULL || N->service_samples.n == 0)
      continue;
    sum += cx_transitions_list_sum(&N->service_samples);
    Timing t = { { a, CX_ID_NONE },
                 1,
                 CX_FINDING_MEASURE_SERVICE,
                 &N->service_samples,
                 &N->service_tags,
                 N->cases,
                 { 0 },
                 NAN,
                 WAIT_FRICTION };
    timing_summary(f, &t);
    g_array_append_val(tim, t);
  }
  if (tim->len > 0)
    find_timings(f, acts, tim, (double)sum / 1e6, TRUE);
  if (f->waits->len > 1)
    g_array_sort(f->waits, cmp_wait);
}

/* rework, repeat contacts and negative (after the cycles: rework is what
 * they do not explain) */
void
cx_friction_find_repeats(CxFriction *f, CxPool *acts)
{
  for (guint32 a = 0; a < f->acts->len; a++) {
    Act *A = &g_array_index(f->acts, Act, a);
    const CxTransitionsAct *N = cx_friction_act(f, a);
    if (N == NULL)
      continue;
    /* a repeat in a reported cycle is the cycle's; else one on another
     * channel soon after is a repeat contact; else rework */
    g_autoptr(GArray) L = g_array_new(FALSE, FALSE, sizeof(guint32));
    g_autoptr(GArray) RC = g_array_new(FALSE, FALSE, sizeof(guint32));
    guint64 extra = 0, rc_extra = 0;
    for (guint k = 0; k < A->reps->len; k++) {
      const Rep *rep = &g_array_index(A->reps, Rep, k);
      if (cx_friction_rep_in_cycle(f, rep))
        continue;
      GArray *into = rep->contact ? RC : L;
      if (rep->contact)
        rc_extra++;
      else
        extra++;
      if (into->len == 0 || g_array_index(into, guint32, into->len - 1) != rep->c)
        g_array_append_val(into, rep->c);
    }
    gboolean rework = cx_friction_enough(f, L->len), rc = cx_friction_enough(f, RC->len);
    gboolean negative = A->negative && cx_friction_enough(f, N->cases);
    if (!rework && !rc && !negative)
      continue;
    g_autoptr(GArray) reached = cx_tag_list_decode(&N->case_tags);
    if (rework) {
      CxFinding *fd = cx_friction_push(f, CX_FINDING_REWORK, acts, &a, 1, L, reached);
      fd->occurrences = extra;
    }
    if (rc) {
      CxFinding *fd = cx_friction_push(f, CX_FINDING_REPEAT_CONTACT, acts, &a, 1, RC, reached);
      fd->occurrences = rc_extra;
    }
    if (negative) {
      CxFinding *fd = cx_friction_push(f, CX_FINDING_NEGATIVE, acts, &a, 1, reached, NULL);
      fd->occurrences = N->count;
      guint64 best = 0;
      guint32 best_id = CX_ID_NONE;
      for (gsize k = 0; k < A->pred.cap; k++) {
        guint32 v = A->pred.vals[k];
        if (v == 0)
          continue;
        guint64 cnt = g_array_index(A->pred_cnt, guint64, v - 1);
        guint32 id = (guint32)A->pred.keys[k];
        if (cnt > best || (cnt == best && id < best_id)) {
          best = cnt;
          best_id = id;
        }
      }
      fd->preceding = best_id != CX_ID_NONE ? cx_pool_get(acts, best_id) : NULL;
      fd->preceding_count = best_id != CX_ID_NONE ? best : 0;
    }
  }
}

/* dropoff: finished journeys ending at a non-successful end; the funnel */
void
cx_friction_find_dropoffs(CxFriction *f, CxPool *acts)
{
  guint n = cx_friction_cases(f);
  guint n_act = cx_pool_size(acts);
  g_autoptr(GPtrArray) by_end = g_ptr_array_new_with_free_func(array_unref0);
  g_ptr_array_set_size(by_end, n_act);
  for (guint32 c = 0; c < n; c++) {
    guint32 end = cx_friction_case_end(f, c);
    if (cx_friction_case_kind(f, c) != CX_OUTCOME_DROPOFF || end >= by_end->len)
      continue;
    GArray *L = g_ptr_array_index(by_end, end);
    if (L == NULL) {
      L = g_array_new(FALSE, FALSE, sizeof(guint32));
      g_ptr_array_index(by_end, end) = L;
    }
    g_array_append_val(L, c);
  }
  for (guint32 a = 0; a < by_end->len; a++) {
    GArray *L = g_ptr_array_index(by_end, a);
    const CxTransitionsAct *N = cx_friction_act(f, a);
    if (N != NULL) {
      guint64 reached = N->cases;
      CxFunnelStep st = { cx_pool_get(acts, a), reached, L != NULL ? L->len : 0, 0, a };
      st.left_share = reached > 0 ? (double)st.left / (double)reached : 0;
      g_array_append_val(f->funnel, st);
    }
    if (L == NULL || !cx_friction_enough(f, L->len))
      continue;
    CxFinding *fd = cx_friction_push(f, CX_FINDING_DROPOFF, acts, &a, 1, L, NULL);
    fd->customers_lost = L->len;
    CxExactSum spent = 0;
    for (guint k = 0; k < L->len; k++) {
      CaseRec r = cx_friction_case(f, g_array_index(L, guint32, k));
      spent += r.dur > 0 ? r.dur : 0;
    }
    fd->total_s = (double)spent / 1e6;
  }
  g_array_sort(f->funnel, cmp_funnel);
}

/* channels: the matrix, switches per pair, many switches */
void
cx_friction_find_channels(CxFriction *f, CxPool *chans)
{
  const CxFrictionOptions *o = &f->opts;
  guint n = cx_friction_cases(f);
  f->has_channels = cx_transitions_n_edges(f->chs) > 0;
  for (guint i = 0; i < cx_transitions_n_edges(f->chs); i++) {
    const CxTransitionsEdge *p = cx_transitions_edge(f->chs, i);
    CxChannelSwitch cell = { cx_pool_get(chans, p->from),
                             cx_pool_get(chans, p->to),
                             p->count,
                             p->cases,
                             NAN,
                             p->from,
                             p->to };
    cell.median_wait_s = median_of(p->waits, &f->sketched);
    g_array_append_val(f->matrix, cell);
    if (cx_friction_enough(f, p->cases)) {
      g_autoptr(GArray) L = cx_tag_list_decode(&p->case_tags);
      CxFinding *fd = cx_friction_push(f, CX_FINDING_CHANNEL_SWITCH, chans,
                                       (guint32[]){ p->from, p->to }, 2, L, NULL);
      fd->occurrences = p->count;
      fd->median_s = cell.median_wait_s;
    }
  }
  if (f->has_channels && o->many_switches > 0) {
    g_autoptr(GArray) L = g_array_new(FALSE, FALSE, sizeof(guint32));
    guint64 sw = 0;
    for (guint32 c = 0; c < n; c++) {
      CaseRec r = cx_friction_case(f, c);
      if (r.switches >= o->many_switches) {
        g_array_append_val(L, c);
        sw += r.switches;
      }
    }
    if (cx_friction_enough(f, L->len)) {
      CxFinding *fd = cx_friction_push(f, CX_FINDING_CHANNEL_SWITCH, NULL, NULL, 0, L, NULL);
      cx_friction_set_measure(fd, CX_FINDING_MEASURE_MANY);
      fd->occurrences = sw;
      fd->threshold = o->many_switches;
    }
  }
  if (f->matrix->len > 1)
    g_array_sort(f->matrix, cmp_switch);
}
