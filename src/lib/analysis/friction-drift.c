/* Friction's drift: a measure that gets significantly and materially worse
 * over the log's period (friction.h).  Candidates are the success share,
 * each negative event's share of journeys, edge waits and service times;
 * Spearman's trend test over CX_FRICTION_DRIFT_WINDOWS windows of finished
 * journeys, Benjamini-Hochberg across the candidates. */
#include "friction-private.h"
#include "cxmine/stattest.h"
#include "cxmine/summary.h"

typedef struct {
  double v;
  guint i;
} RankPair;

/* Average ranks (1-based) of @v (@n values) into @rank. */
static void
avg_ranks(const double *v, guint n, double *rank)
{
  g_autofree RankPair *p = g_new(RankPair, MAX(n, 1));
  g_autofree guint32 *order = g_new(guint32, MAX(n, 1));
  cx_sort_doubles_order(v, n, order);
  for (guint i = 0; i < n; i++)
    p[i] = (RankPair){ v[order[i]], order[i] };
  for (guint i = 0; i < n;) {
    guint j = i;
    while (j + 1 < n && p[j + 1].v == p[i].v)
      j++;
    double r = (double)(i + j) / 2 + 1;
    for (guint k = i; k <= j; k++)
      rank[p[k].i] = r;
    i = j + 1;
  }
}

/* Spearman's rank correlation of @x (window indices) and @y (@n pairs) with
 * its two-sided p-value from the normal approximation z = rho sqrt(n - 1). */
static double
spearman(const double *x, const double *y, guint n, double *rho)
{
  *rho = 0;
  if (n < 3)
    return 1;
  g_autofree double *rx = g_new(double, n), *ry = g_new(double, n);
  /* x is a window index (0..CX_FRICTION_DRIFT_WINDOWS-1): ranks by counting */
  guint cnt[CX_FRICTION_DRIFT_WINDOWS] = { 0 };
  for (guint i = 0; i < n; i++)
    cnt[(guint)x[i]]++;
  double rank_of_w[CX_FRICTION_DRIFT_WINDOWS];
  guint below = 0;
  for (guint w = 0; w < CX_FRICTION_DRIFT_WINDOWS; w++) {
    rank_of_w[w] = below + (cnt[w] + 1) / 2.0;
    below += cnt[w];
  }
  for (guint i = 0; i < n; i++)
    rx[i] = rank_of_w[(guint)x[i]];
  avg_ranks(y, n, ry);
  double mean = (double)(n + 1) / 2, sxy = 0, sxx = 0, syy = 0;
  for (guint i = 0; i < n; i++) {
    double a = rx[i] - mean, b = ry[i] - mean;
    sxy += a * b;
    sxx += a * a;
    syy += b * b;
  }
  if (!(sxx > 0) || !(syy > 0))
    return 1;
  *rho = sxy / sqrt(sxx * syy);
  double z = fabs(*rho) * sqrt((double)n - 1);
  return MIN(1, 2 * cx_stattest_normal_sf(z));
}

typedef struct {
  const char *a, *b;
  const char *measure;
  gboolean higher_worse;
  gboolean share; /* a 0/1 measure: levels are shares, a change is in points */
  GArray *win;    /* double window index per sample */
  GArray *val;    /* double value per sample */
  GArray *scase;  /* guint32 case per sample */
  double level[2];
  double rho, p, q;
} DriftCand;

static void
drift_cand_clear(gpointer p)
{
  DriftCand *d = p;
  g_array_unref(d->win);
  g_array_unref(d->val);
  g_array_unref(d->scase);
}

/* Fills @d's levels (first and last window); FALSE when a window is too thin. */
static gboolean
drift_levels(DriftCand *d, guint last)
{
  g_autoptr(GArray) w0 = g_array_new(FALSE, FALSE, sizeof(double));
  g_autoptr(GArray) w1 = g_array_new(FALSE, FALSE, sizeof(double));
  for (guint i = 0; i < d->val->len; i++) {
    double w = g_array_index(d->win, double, i), v = g_array_index(d->val, double, i);
    if (w == 0)
      g_array_append_val(w0, v);
    else if (w == last)
      g_array_append_val(w1, v);
  }
  if (w0->len < 5 || w1->len < 5)
    return FALSE;
  if (!d->share) {
    d->level[0] = cx_friction_median(w0);
    d->level[1] = cx_friction_median(w1);
  } else {
    /* 0/1 values: sums of them are exact in any order */
    double s0 = 0, s1 = 0;
    for (guint i = 0; i < w0->len; i++)
      s0 += g_array_index(w0, double, i);
    for (guint i = 0; i < w1->len; i++)
      s1 += g_array_index(w1, double, i);
    d->level[0] = s0 / w0->len;
    d->level[1] = s1 / w1->len;
  }
  return TRUE;
}

/* Mean journeys in flight over window @w of [t0, t1) (sampled at 8 points). */
static double
load_in(const CxFriction *f, gint64 t0, gint64 t1)
{
  double sum = 0;
  for (int k = 0; k < 8; k++) {
    gint64 t = t0 + (gint64)((double)(t1 - t0) * (k + 0.5) / 8);
    guint64 n = 0;
    for (guint c = 0; c < f->cases->len; c++) {
      const CaseRec *r = &g_array_index(f->cases, CaseRec, c);
      n += r->first != CX_TS_NONE && r->first <= t && r->last >= t;
    }
    sum += (double)n;
  }
  return sum / 8;
}

void
cx_friction_find_drift(CxFriction *f, CxPool *acts)
{
  guint n = f->cases->len;
  const guint W = CX_FRICTION_DRIFT_WINDOWS;
  g_autoptr(GArray) durs = g_array_new(FALSE, FALSE, sizeof(double));
  gint64 t0 = G_MAXINT64;
  for (guint c = 0; c < n; c++) {
    const CaseRec *r = &g_array_index(f->cases, CaseRec, c);
    if (r->outcome == CX_OUTCOME_OPEN || r->first == CX_TS_NONE || r->dur < 0)
      continue;
    double d = (double)r->dur;
    g_array_append_val(durs, d);
    t0 = MIN(t0, r->first);
  }
  gint64 log_last = cx_outcome_log_last_time(f->outcome);
  if (durs->len < 20 * W || log_last == CX_TS_NONE)
    return;
  cx_sort_doubles((double *)durs->data, durs->len);
  gint64 t1 = log_last - (gint64)cx_quantile_sorted((double *)durs->data, durs->len, 0.95);
  if (t1 <= t0)
    return;
  /* the window of each finished journey started by t1; -1: left out */
  g_autofree gint8 *win = g_new(gint8, n);
  guint per[CX_FRICTION_DRIFT_WINDOWS] = { 0 };
  for (guint c = 0; c < n; c++) {
    const CaseRec *r = &g_array_index(f->cases, CaseRec, c);
    win[c] = -1;
    if (r->outcome == CX_OUTCOME_OPEN || r->first == CX_TS_NONE || r->first > t1)
      continue;
    guint w = (guint)((double)(r->first - t0) * W / (double)(t1 - t0));
    win[c] = (gint8)MIN(w, W - 1);
    per[win[c]]++;
  }
  for (guint w = 0; w < W; w++)
    if (per[w] < 20)
      return;
  g_autoptr(GArray) cands = g_array_new(FALSE, TRUE, sizeof(DriftCand));
  g_array_set_clear_func(cands, drift_cand_clear);
#define NEW_CAND(A, B, M, HW)                                                                      \
  do {                                                                                             \
    DriftCand d_ = { A,                                                                            \
                     B,                                                                            \
                     M,                                                                            \
                     HW,                                                                           \
                     g_str_has_suffix(M, "_share"),                                                \
                     g_array_new(FALSE, FALSE, sizeof(double)),                                    \
                     g_array_new(FALSE, FALSE, sizeof(double)),                                    \
                     g_array_new(FALSE, FALSE, sizeof(guint32)),                                   \
                     { NAN, NAN },                                                                 \
                     0,                                                                            \
                     1,                                                                            \
                     1 };                                                                          \
    g_array_append_val(cands, d_);                                                                 \
  } while (0)
  NEW_CAND(NULL, NULL, "success_share", FALSE);
  {
    DriftCand *d = &g_array_index(cands, DriftCand, 0);
    for (guint32 c = 0; c < n; c++) {
      if (win[c] < 0)
        continue;
      double w = win[c], v = g_array_index(f->cases, CaseRec, c).outcome == CX_OUTCOME_SUCCESS;
      g_array_append_val(d->win, w);
      g_array_append_val(d->val, v);
      g_array_append_val(d->scase, c);
    }
  }
  /* a negative event's share of journeys */
  for (guint32 a = 0; a < f->acts->len; a++) {
    Act *A = &g_array_index(f->acts, Act, a);
    if (A->cases == NULL || !A->negative || !cx_friction_enough(f, A->cases->len))
      continue;
    NEW_CAND(cx_pool_get(acts, a), NULL, "negative_share", TRUE);
    DriftCand *d = &g_array_index(cands, DriftCand, cands->len - 1);
    f->gen++;
    guint32 *mark = (guint32 *)f->mark->data;
    for (guint k = 0; k < A->cases->len; k++)
      mark[g_array_index(A->cases, guint32, k)] = f->gen;
    for (guint32 c = 0; c < n; c++) {
      if (win[c] < 0)
        continue;
      double w = win[c], v = mark[c] == f->gen;
      g_array_append_val(d->win, w);
      g_array_append_val(d->val, v);
      g_array_append_val(d->scase, c);
    }
  }
  for (guint i = 0; i < f->edges->len; i++) {
    Pair *e = g_ptr_array_index(f->edges, i);
    if (e->waits->len < 20 * W || !cx_friction_enough(f, e->cases->len)
        || cx_friction_edge_class(f, e->from, e->to, acts) != 0)
      continue;
    NEW_CAND(cx_pool_get(acts, e->from), cx_pool_get(acts, e->to), "wait", TRUE);
    DriftCand *d = &g_array_index(cands, DriftCand, cands->len - 1);
    for (guint k = 0; k < e->waits->len; k++) {
      guint32 c = g_array_index(e->wait_case, guint32, k);
      if (win[c] < 0)
        continue;
      double w = win[c];
      g_array_append_val(d->win, w);
      g_array_append_val(d->val, g_array_index(e->waits, double, k));
      g_array_append_val(d->scase, c);
    }
  }
  for (guint32 a = 0; a < f->acts->len; a++) {
    Act *A = &g_array_index(f->acts, Act, a);
    if (A->cases == NULL || A->svc->len < 20 * W || !cx_friction_enough(f, A->cases->len))
      continue;
    NEW_CAND(cx_pool_get(acts, a), NULL, "service", TRUE);
    DriftCand *d = &g_array_index(cands, DriftCand, cands->len - 1);
    for (guint k = 0; k < A->svc->len; k++) {
      guint32 c = g_array_index(A->svc_case, guint32, k);
      if (win[c] < 0)
        continue;
      double w = win[c];
      g_array_append_val(d->win, w);
      g_array_append_val(d->val, g_array_index(A->svc, double, k));
      g_array_append_val(d->scase, c);
    }
  }
#undef NEW_CAND
  g_autofree double *ps = g_new(double, cands->len);
  g_autofree double *qs = g_new(double, cands->len);
  for (guint i = 0; i < cands->len; i++) {
    DriftCand *d = &g_array_index(cands, DriftCand, i);
    d->p = 1;
    if (drift_levels(d, W - 1))
      d->p = spearman((const double *)d->win->data, (const double *)d->val->data, d->val->len,
                      &d->rho);
    ps[i] = d->p;
  }
  cx_stattest_bh(ps, cands->len, qs);
  double span = (double)(t1 - t0) / W;
  double load0 = NAN, load1 = NAN;
  for (guint i = 0; i < cands->len; i++) {
    DriftCand *d = &g_array_index(cands, DriftCand, i);
    d->q = qs[i];
    if (!(d->q < CX_FRICTION_DRIFT_Q) || isnan(d->level[0]) || isnan(d->level[1]))
      continue;
    gboolean worse
        = d->share ? (d->higher_worse
                          ? d->rho > 0 && d->level[1] - d->level[0] >= CX_FRICTION_DRIFT_POINTS
                          : d->rho < 0 && d->level[0] - d->level[1] >= CX_FRICTION_DRIFT_POINTS)
                   : d->rho > 0 && d->level[0] > 0
                         && d->level[1] >= (1 + CX_FRICTION_DRIFT_REL) * d->level[0];
    if (!worse)
      continue;
    /* the journeys of the first and of the last window that show the measure */
    g_autoptr(GArray) first = g_array_new(FALSE, FALSE, sizeof(guint32));
    g_autoptr(GArray) last = g_array_new(FALSE, FALSE, sizeof(guint32));
    for (guint k = 0; k < d->scase->len; k++) {
      guint32 c = g_array_index(d->scase, guint32, k);
      GArray *L = win[c] == 0 ? first : win[c] == (gint8)(W - 1) ? last : NULL;
      if (L != NULL && (L->len == 0 || g_array_index(L, guint32, L->len - 1) != c))
        g_array_append_val(L, c);
    }
    if (!cx_friction_enough(f, last->len))
      continue;
    if (isnan(load0)) {
      load0 = load_in(f, t0, t0 + (gint64)span);
      load1 = load_in(f, t1 - (gint64)span, t1);
    }
    CxFinding *fd = cx_friction_push(f, CX_FINDING_DRIFT, d->a, d->b, last, NULL);
    fd->measure = d->measure;
    if (d->a == NULL)
      fd->n_names = 0;
    fd->level_start = d->level[0];
    fd->level_end = d->level[1];
    fd->load_start = load0;
    fd->load_end = load1;
    fd->p = d->p;
    fd->q = d->q;
    fd->occurrences = d->val->len;
    /* with = the last window's journeys, without = the first window's */
    CxFinding tmp = *fd;
    guint64 keep_cases = tmp.cases;
    double keep_share = tmp.share;
    cx_friction_compare_cases(f, &tmp, first, NULL);
    double succ_first = tmp.success_with, med_first = tmp.median_with_s;
    fd = &g_array_index(f->all, CxFinding, f->all->len - 1);
    fd->cases = keep_cases;
    fd->share = keep_share;
    fd->success_without = succ_first;
    fd->median_without_s = med_first;
    fd->extra_time_s = cx_friction_extra_time(fd->cases, fd->median_with_s, med_first);
    CxPropTest pt;
    guint64 x0 = 0, n0 = 0, x1 = 0, n1 = 0;
    for (guint k = 0; k < first->len; k++) {
      n0++;
      x0 += g_array_index(f->cases, CaseRec, g_array_index(first, guint32, k)).outcome
            == CX_OUTCOME_SUCCESS;
    }
    for (guint k = 0; k < last->len; k++) {
      n1++;
      x1 += g_array_index(f->cases, CaseRec, g_array_index(last, guint32, k)).outcome
            == CX_OUTCOME_SUCCESS;
    }
    cx_stattest_proportions(x1, n1, x0, n0, &pt);
    fd->success_p = pt.p;
    fd->customers_lost
        = pt.p < 0.05 ? cx_friction_customers_lost(fd->cases, fd->success_with, succ_first) : 0;
  }
}
