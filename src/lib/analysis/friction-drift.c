/* Friction's drift: a measure that gets significantly and materially worse
 * over the log's period (friction.h).  Candidates are the success share,
 * each negative event's share of journeys, edge waits and service times;
 * Spearman's trend test over CX_FRICTION_DRIFT_WINDOWS windows of finished
 * journeys, Benjamini-Hochberg across the candidates. */
#include "friction-private.h"
#include "cxmine/stattest.h"
#include "cxmine/summary.h"

/* The samples of one candidate by window, made when it is tested (and
 * again when it is reported), one candidate at a time, sized to fit: 8
 * bytes a sample (12 when reported) beside the decoded cases of its list. */
typedef struct {
  GArray *val[CX_FRICTION_DRIFT_WINDOWS];   /* double per sample, in journey order */
  GArray *scase[CX_FRICTION_DRIFT_WINDOWS]; /* guint32 case per sample; NULL when not asked */
} DriftSamples;

static void
drift_samples_clear(DriftSamples *s)
{
  for (guint w = 0; w < CX_FRICTION_DRIFT_WINDOWS; w++) {
    g_array_unref(s->val[w]);
    if (s->scase[w] != NULL)
      g_array_unref(s->scase[w]);
  }
}

static guint64
drift_samples_n(const DriftSamples *s)
{
  guint64 n = 0;
  for (guint w = 0; w < CX_FRICTION_DRIFT_WINDOWS; w++)
    n += s->val[w]->len;
  return n;
}

/* Spearman's rank correlation of the window index with the value over the
 * samples @s, with its two-sided p-value from the normal approximation
 * z = rho sqrt(n - 1).  Ties take their average rank.  Each window's
 * values are sorted in place and merged in order, so a rank costs no
 * memory; the sums are of doubled ranks less n + 1, integers, kept exact,
 * so that rho is the same for any order of the samples. */
static double
spearman(DriftSamples *s, double *rho)
{
  const guint W = CX_FRICTION_DRIFT_WINDOWS;
  *rho = 0;
  gint64 n = (gint64)drift_samples_n(s);
  if (n < 3)
    return 1;
  /* a window's doubled average rank less n + 1 */
  gint64 a[CX_FRICTION_DRIFT_WINDOWS];
  gint64 below = 0;
  CxExactSum saa = 0, sab = 0, sbb = 0;
  for (guint w = 0; w < W; w++) {
    gint64 cnt = s->val[w]->len;
    a[w] = 2 * below + cnt - n;
    below += cnt;
    saa += (CxExactSum)cnt * a[w] * a[w];
    cx_sort_doubles((double *)s->val[w]->data, s->val[w]->len);
  }
  guint at[CX_FRICTION_DRIFT_WINDOWS] = { 0 };
  gint64 pos = 0;
  while (pos < n) {
    /* the least value left, and how many of it each window holds */
    guint64 least = G_MAXUINT64;
    for (guint w = 0; w < W; w++)
      if (at[w] < s->val[w]->len)
        least = MIN(least, cx_order_key(g_array_index(s->val[w], double, at[w])));
    gint64 g = 0;
    CxExactSum sa = 0;
    for (guint w = 0; w < W; w++) {
      const double *v = (const double *)s->val[w]->data;
      guint k = at[w];
      while (k < s->val[w]->len && cx_order_key(v[k]) == least)
        k++;
      sa += (CxExactSum)(k - at[w]) * a[w];
      g += k - at[w];
      at[w] = k;
    }
    gint64 b = 2 * pos + g - n;
    sab += sa * b;
    sbb += (CxExactSum)g * b * b;
    pos += g;
  }
  if (!(saa > 0) || !(sbb > 0))
    return 1;
  *rho = (double)sab / sqrt((double)saa * (double)sbb);
  double z = fabs(*rho) * sqrt((double)n - 1);
  return MIN(1, 2 * cx_stattest_normal_sf(z));
}

typedef struct {
  guint32 ids[2]; /* the activities measured: none, one, or an edge's two */
  guint n_ids;
  CxFindingMeasure measure;
  gboolean higher_worse;
  gboolean share; /* a 0/1 measure: levels are shares, a change is in points */
  guint edge;     /* with CX_FINDING_MEASURE_WAIT: the edge's index */
  guint64 n;      /* samples */
  double level[2];
  double rho, p, q;
} DriftCand;

/* Fills @d's levels (first and last window) from its samples @s; FALSE
 * when a window is too thin. */
static gboolean
drift_levels(DriftCand *d, const DriftSamples *s, guint last)
{
  const GArray *w0 = s->val[0], *w1 = s->val[last];
  if (w0->len < 5 || w1->len < 5)
    return FALSE;
  if (!d->share) {
    d->level[0] = cx_friction_median(w0, NULL);
    d->level[1] = cx_friction_median(w1, NULL);
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
  gint64 t[8];
  for (int k = 0; k < 8; k++)
    t[k] = t0 + (gint64)((double)(t1 - t0) * (k + 0.5) / 8);
  /* one pass over the records (on disk past a MiB), the 8 points each */
  guint64 n = 0;
  for (guint c = 0; c < cx_friction_cases(f); c++) {
    CaseRec r = cx_friction_case(f, c);
    if (r.first == CX_TS_NONE)
      continue;
    gint64 last = cx_friction_case_last(f, c);
    for (int k = 0; k < 8; k++)
      n += r.first <= t[k] && last >= t[k];
  }
  return (double)n / 8;
}

/* The windows a drift is measured over, shared by every candidate. */
typedef struct {
  gint8 *win;     /* per case: the window of a finished journey started by t1; -1: left out */
  gint64 t0, t1;  /* the first start, the log's end minus the p95 journey duration */
  double load[2]; /* journeys in flight in the first and the last window; NaN until needed */
} DriftSpan;

/* Fills @sp's windows; FALSE when the log is too short, or a window too thin,
 * to look for drift. */
static gboolean
drift_windows(CxFriction *f, DriftSpan *sp)
{
  guint n = cx_friction_cases(f);
  const guint W = CX_FRICTION_DRIFT_WINDOWS;
  /* the durations of the finished journeys, sized to fit; their p95 by
   * selection (a sort took twice their size again) */
  guint nd = 0;
  for (guint c = 0; c < n; c++) {
    CaseRec r = cx_friction_case(f, c);
    nd += cx_friction_case_kind(f, c) != CX_OUTCOME_OPEN && r.first != CX_TS_NONE && r.dur >= 0;
  }
  g_autoptr(GArray) durs = g_array_sized_new(FALSE, FALSE, sizeof(double), nd);
  gint64 t0 = G_MAXINT64;
  for (guint c = 0; c < n; c++) {
    CaseRec r = cx_friction_case(f, c);
    if (cx_friction_case_kind(f, c) == CX_OUTCOME_OPEN || r.first == CX_TS_NONE || r.dur < 0)
      continue;
    double d = (double)r.dur;
    g_array_append_val(durs, d);
    t0 = MIN(t0, r.first);
  }
  gint64 log_last = cx_outcome_log_last_time(f->outcome);
  if (durs->len < 20 * W || log_last == CX_TS_NONE)
    return FALSE;
  gint64 t1 = log_last - (gint64)cx_quantile_select((double *)durs->data, durs->len, 0.95);
  if (t1 <= t0)
    return FALSE;
  gint8 *win = sp->win;
  guint per[CX_FRICTION_DRIFT_WINDOWS] = { 0 };
  for (guint c = 0; c < n; c++) {
    CaseRec r = cx_friction_case(f, c);
    win[c] = -1;
    if (cx_friction_case_kind(f, c) == CX_OUTCOME_OPEN || r.first == CX_TS_NONE || r.first > t1)
      continue;
    guint w = (guint)((double)(r.first - t0) * W / (double)(t1 - t0));
    win[c] = (gint8)MIN(w, W - 1);
    per[win[c]]++;
  }
  for (guint w = 0; w < W; w++)
    if (per[w] < 20)
      return FALSE;
  sp->t0 = t0;
  sp->t1 = t1;
  return TRUE;
}

/* Appends a candidate for @measure of the @n_ids activities @a, @b (with a
 * wait, of the edge @edge) to @cands. */
static void
cand_add(GArray *cands, guint n_ids, guint32 a, guint32 b, guint edge, CxFindingMeasure measure,
         gboolean higher_worse)
{
  DriftCand d = { { a, b },
                  n_ids,
                  measure,
                  higher_worse,
                  measure == CX_FINDING_MEASURE_SUCCESS_SHARE
                      || measure == CX_FINDING_MEASURE_NEGATIVE_SHARE,
                  edge,
                  0,
                  { NAN, NAN },
                  0,
                  1,
                  1 };
  g_array_append_val(cands, d);
}

/* A sample: the value @v of case @c, in window @w. */
static void
cand_sample(DriftSamples *s, gint8 w, double v, guint32 c)
{
  g_array_append_val(s->val[w], v);
  if (s->scase[w] != NULL)
    g_array_append_val(s->scase[w], c);
}

/* The samples of @d in the journeys that have a window (@win), in journey
 * order, with their cases when @with_cases (clear with
 * drift_samples_clear()). */
static void
cand_samples(CxFriction *f, const gint8 *win, const DriftCand *d, DriftSamples *s,
             gboolean with_cases)
{
  guint n = cx_friction_cases(f);
  const CxSampleList *vals = NULL;
  g_autoptr(GArray) tags = NULL; /* the case of each of vals */
  const CxTransitionsAct *N = NULL;
  guint32 *mark = (guint32 *)f->mark->data;
  if (d->measure == CX_FINDING_MEASURE_WAIT) {
    const CxTransitionsEdge *e = cx_transitions_edge(f->edges, d->edge);
    vals = &e->wait_samples;
    tags = cx_tag_list_decode(&e->wait_tags);
  } else if (d->measure != CX_FINDING_MEASURE_SUCCESS_SHARE) {
    /* never NULL: the candidate was made from its numbers */
    N = cx_friction_act(f, d->ids[0]);
    g_assert(N != NULL);
    if (d->measure == CX_FINDING_MEASURE_SERVICE) {
      vals = &N->service_samples;
      tags = cx_tag_list_decode(&N->service_tags);
    }
  }
  /* sized to fit */
  guint m[CX_FRICTION_DRIFT_WINDOWS] = { 0 };
  if (tags != NULL) {
    for (guint k = 0; k < tags->len; k++) {
      gint8 w = win[g_array_index(tags, guint32, k)];
      if (w >= 0)
        m[w]++;
    }
  } else {
    for (guint32 c = 0; c < n; c++)
      if (win[c] >= 0)
        m[win[c]]++;
  }
  for (guint w = 0; w < CX_FRICTION_DRIFT_WINDOWS; w++) {
    s->val[w] = g_array_sized_new(FALSE, FALSE, sizeof(double), m[w]);
    s->scase[w] = with_cases ? g_array_sized_new(FALSE, FALSE, sizeof(guint32), m[w]) : NULL;
  }
  if (d->measure == CX_FINDING_MEASURE_SUCCESS_SHARE) {
    for (guint32 c = 0; c < n; c++)
      if (win[c] >= 0)
        cand_sample(s, win[c], cx_friction_case_kind(f, c) == CX_OUTCOME_SUCCESS, c);
    return;
  }
  if (d->measure == CX_FINDING_MEASURE_NEGATIVE_SHARE) {
    f->gen++;
    g_autoptr(GArray) with = cx_tag_list_decode(&N->case_tags);
    for (guint k = 0; k < with->len; k++)
      mark[g_array_index(with, guint32, k)] = f->gen;
    for (guint32 c = 0; c < n; c++)
      if (win[c] >= 0)
        cand_sample(s, win[c], mark[c] == f->gen, c);
    return;
  }
  CxSampleIter it;
  gint64 us;
  cx_sample_iter_init(&it, vals);
  for (guint k = 0; cx_sample_iter_next(&it, &us); k++) {
    guint32 c = g_array_index(tags, guint32, k);
    if (win[c] >= 0)
      cand_sample(s, win[c], cx_transition_seconds(us), c);
  }
}

/* The candidates: the success share, each negative event's share of
 * journeys, the waits of the edges and the service times of the activities
 * with enough samples. */
static void
drift_candidates(CxFriction *f, CxPool *acts, GArray *cands)
{
  const guint W = CX_FRICTION_DRIFT_WINDOWS;
  cand_add(cands, 0, CX_ID_NONE, CX_ID_NONE, 0, CX_FINDING_MEASURE_SUCCESS_SHARE, FALSE);
  /* a negative event's share of journeys */
  for (guint32 a = 0; a < f->acts->len; a++) {
    const Act *A = &g_array_index(f->acts, Act, a);
    const CxTransitionsAct *N = cx_friction_act(f, a);
    if (N == NULL || !A->negative || !cx_friction_enough(f, N->cases))
      continue;
    cand_add(cands, 1, a, CX_ID_NONE, 0, CX_FINDING_MEASURE_NEGATIVE_SHARE, TRUE);
  }
  for (guint i = 0; i < cx_transitions_n_edges(f->edges); i++) {
    const CxTransitionsEdge *e = cx_transitions_edge(f->edges, i);
    if (e->wait_samples.n < 20 * W || !cx_friction_enough(f, e->cases)
        || cx_friction_edge_class(f, e->from, e->to, acts) != WAIT_FRICTION)
      continue;
    cand_add(cands, 2, e->from, e->to, i, CX_FINDING_MEASURE_WAIT, TRUE);
  }
  for (guint32 a = 0; a < f->acts->len; a++) {
    const CxTransitionsAct *N = cx_friction_act(f, a);
    if (N == NULL || N->service_samples.n < 20 * W || !cx_friction_enough(f, N->cases))
      continue;
    cand_add(cands, 1, a, CX_ID_NONE, 0, CX_FINDING_MEASURE_SERVICE, TRUE);
  }
}

/* Each candidate's levels, trend p-value and Benjamini-Hochberg q-value. */
static void
drift_test(CxFriction *f, const gint8 *win, GArray *cands)
{
  g_autofree double *ps = g_new(double, cands->len);
  g_autofree double *qs = g_new(double, cands->len);
  for (guint i = 0; i < cands->len; i++) {
    DriftCand *d = &g_array_index(cands, DriftCand, i);
    DriftSamples s;
    cand_samples(f, win, d, &s, FALSE);
    d->n = drift_samples_n(&s);
    d->p = 1;
    if (drift_levels(d, &s, CX_FRICTION_DRIFT_WINDOWS - 1))
      d->p = spearman(&s, &d->rho);
    ps[i] = d->p;
    drift_samples_clear(&s);
  }
  cx_stattest_bh(ps, cands->len, qs);
  for (guint i = 0; i < cands->len; i++)
    g_array_index(cands, DriftCand, i).q = qs[i];
}

/* Significantly and materially worse (friction.h). */
static gboolean
drift_worse(const DriftCand *d)
{
  if (!(d->q < CX_FRICTION_DRIFT_Q) || isnan(d->level[0]) || isnan(d->level[1]))
    return FALSE;
  return d->share ? (d->higher_worse
                         ? d->rho > 0 && d->level[1] - d->level[0] >= CX_FRICTION_DRIFT_POINTS
                         : d->rho < 0 && d->level[0] - d->level[1] >= CX_FRICTION_DRIFT_POINTS)
                  : d->rho > 0 && d->level[0] > 0
                        && d->level[1] >= (1 + CX_FRICTION_DRIFT_REL) * d->level[0];
}

/* Successful ends among the cases @L. */
static guint64
successes(const CxFriction *f, const GArray *L)
{
  guint64 x = 0;
  for (guint k = 0; k < L->len; k++)
    x += cx_friction_case_kind(f, g_array_index(L, guint32, k)) == CX_OUTCOME_SUCCESS;
  return x;
}

/* The finding of a drift: the last window's journeys showing the measure,
 * compared with the first window's (not with all the others). */
static void
drift_report(CxFriction *f, CxPool *acts, DriftSpan *sp, const DriftCand *d)
{
  const guint W = CX_FRICTION_DRIFT_WINDOWS;
  const gint8 *win = sp->win;
  /* the journeys of the first and of the last window that show the measure */
  g_autoptr(GArray) first = g_array_new(FALSE, FALSE, sizeof(guint32));
  g_autoptr(GArray) last = g_array_new(FALSE, FALSE, sizeof(guint32));
  DriftSamples s;
  cand_samples(f, win, d, &s, TRUE);
  GArray *into[2] = { first, last };
  const GArray *from[2] = { s.scase[0], s.scase[W - 1] };
  for (guint k = 0; k < 2; k++)
    for (guint i = 0; i < from[k]->len; i++) {
      guint32 c = g_array_index(from[k], guint32, i);
      GArray *L = into[k];
      if (L->len == 0 || g_array_index(L, guint32, L->len - 1) != c)
        g_array_append_val(L, c);
    }
  drift_samples_clear(&s);
  if (!cx_friction_enough(f, last->len))
    return;
  if (isnan(sp->load[0])) {
    double span = (double)(sp->t1 - sp->t0) / W;
    sp->load[0] = load_in(f, sp->t0, sp->t0 + (gint64)span);
    sp->load[1] = load_in(f, sp->t1 - (gint64)span, sp->t1);
  }
  CxFinding *fd = cx_friction_push(f, CX_FINDING_DRIFT, acts, d->ids, d->n_ids, last, NULL);
  cx_friction_set_measure(fd, d->measure);
  fd->level_start = d->level[0];
  fd->level_end = d->level[1];
  fd->load_start = sp->load[0];
  fd->load_end = sp->load[1];
  fd->p = d->p;
  fd->q = d->q;
  fd->occurrences = d->n;
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
  cx_stattest_proportions(successes(f, last), last->len, successes(f, first), first->len, &pt);
  fd->success_p = pt.p;
  fd->customers_lost
      = pt.p < 0.05 ? cx_friction_customers_lost(fd->cases, fd->success_with, succ_first) : 0;
}

void
cx_friction_find_drift(CxFriction *f, CxPool *acts)
{
  g_autofree gint8 *win = g_new(gint8, cx_friction_cases(f));
  DriftSpan sp = { win, 0, 0, { NAN, NAN } };
  if (!drift_windows(f, &sp))
    return;
  g_autoptr(GArray) cands = g_array_new(FALSE, TRUE, sizeof(DriftCand));
  drift_candidates(f, acts, cands);
  drift_test(f, win, cands);
  for (guint i = 0; i < cands->len; i++) {
    const DriftCand *d = &g_array_index(cands, DriftCand, i);
    if (drift_worse(d))
      drift_report(f, acts, &sp, d);
  }
}
