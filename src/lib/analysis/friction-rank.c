/* Friction's finish: the case totals, the finders in their order, then the
 * ranking by the chosen currency and the folding of findings with nearly
 * the same cases. */
#include "friction-private.h"
#include "cxmine/output.h"

/* Cases by duration (@data: the duration of each case), then by index. */
static int
cmp_case_dur(gconstpointer a, gconstpointer b, gpointer data)
{
  const gint64 *dur = data;
  guint32 x = *(const guint32 *)a, y = *(const guint32 *)b;
  if (dur[x] != dur[y])
    return dur[x] < dur[y] ? -1 : 1;
  return x < y ? -1 : x > y;
}

static double
sat_loss(const CxFriction *f, const CxFinding *fd)
{
  double d = fd->satisfaction_without - fd->satisfaction_with;
  if (f->opts.satisfaction_lower_is_better)
    d = -d;
  return isnan(d) || d <= 0 ? 0 : d * (double)fd->cases;
}

static double
score_of(const CxFriction *f, const CxFinding *fd)
{
  switch (f->opts.rank) {
    case CX_FRICTION_RANK_TIME:
      return fd->extra_time_s;
    case CX_FRICTION_RANK_SATISFACTION:
      return sat_loss(f, fd);
    case CX_FRICTION_RANK_CUSTOMERS:
    default:
      return (double)fd->customers_lost;
  }
}

static const guint8 kind_priority[CX_FINDING_N_KINDS] = {
  [CX_FINDING_DROPOFF] = 0,       [CX_FINDING_REPEAT_CONTACT] = 1, [CX_FINDING_LOOP] = 2,
  [CX_FINDING_PINGPONG] = 3,      [CX_FINDING_REWORK] = 4,         [CX_FINDING_NEGATIVE] = 5,
  [CX_FINDING_DRIFT] = 6,         [CX_FINDING_BOTTLENECK] = 7,     [CX_FINDING_CHANNEL_SWITCH] = 8,
  [CX_FINDING_INCONSISTENCY] = 9, [CX_FINDING_EFFORT] = 10,
};

static int
cmp_finding(gconstpointer a, gconstpointer b, gpointer data)
{
  const CxFriction *f = data;
  const CxFinding *x = a, *y = b;
  if (x->score != y->score)
    return x->score > y->score ? -1 : 1;
  /* the other currency breaks ties */
  double sx
      = f->opts.rank == CX_FRICTION_RANK_CUSTOMERS ? x->extra_time_s : (double)x->customers_lost;
  double sy
      = f->opts.rank == CX_FRICTION_RANK_CUSTOMERS ? y->extra_time_s : (double)y->customers_lost;
  if (sx != sy)
    return sx > sy ? -1 : 1;
  /* at equal cost, the phenomenon before its symptoms (a loop before the
   * waits inside it), so folding keeps the finding that explains */
  if (kind_priority[x->kind] != kind_priority[y->kind])
    return kind_priority[x->kind] < kind_priority[y->kind] ? -1 : 1;
  if (x->cases != y->cases)
    return x->cases > y->cases ? -1 : 1;
  if (x->n_names != y->n_names)
    return x->n_names < y->n_names ? -1 : 1;
  /* by name, not id: ids follow the order of the log, names do not */
  for (guint i = 0; i < x->n_names; i++) {
    int r = g_strcmp0(x->names[i], y->names[i]);
    if (r != 0)
      return r;
  }
  return g_strcmp0(x->measure, y->measure);
}

static int
cmp_by_cases(gconstpointer a, gconstpointer b, gpointer data)
{
  const CxFinding *x = a, *y = b;
  if (x->cases != y->cases)
    return x->cases > y->cases ? -1 : 1;
  return cmp_finding(a, b, data);
}

/* Jaccard index of two ascending case lists, read side by side. */
static double
jaccard(const CxTagList *a, const CxTagList *b)
{
  guint na = a->n, nb = b->n;
  if (na == 0 || nb == 0)
    return 0;
  if ((double)MIN(na, nb) < CX_FRICTION_FOLD_JACCARD * (double)MAX(na, nb))
    return 0;
  CxTagIter ia, ib;
  cx_tag_iter_init(&ia, a);
  cx_tag_iter_init(&ib, b);
  guint32 x, y;
  guint both = 0;
  gboolean more = cx_tag_iter_next(&ia, &x) && cx_tag_iter_next(&ib, &y);
  while (more) {
    if (x == y) {
      both++;
      more = cx_tag_iter_next(&ia, &x) && cx_tag_iter_next(&ib, &y);
    } else if (x < y) {
      more = cx_tag_iter_next(&ia, &x);
    } else {
      more = cx_tag_iter_next(&ib, &y);
    }
  }
  return (double)both / (double)(na + nb - both);
}

static gboolean
goes_with_success(const CxFriction *f, const CxFinding *fd)
{
  /* a complaint or a reopening is never a required step */
  if (fd->kind == CX_FINDING_DROPOFF || fd->kind == CX_FINDING_DRIFT
      || fd->kind == CX_FINDING_NEGATIVE)
    return FALSE;
  double d = fd->success_with - fd->success_without;
  return !isnan(d) && d >= f->opts.success_margin - 1e-12 && fd->success_p < 0.05;
}

/* Appends to @out the findings of @sorted that do not fold into a
 * higher-ranked one (Jaccard >= CX_FRICTION_FOLD_JACCARD of their case
 * sets), with n_also set; the folded ones go to f->folded.  Returns where
 * each kept finding's folded ones start in f->folded (guint per @out entry
 * appended). */
static GArray *
fold(CxFriction *f, GArray *sorted, GArray *out)
{
  guint nl = sorted->len;
  GArray *starts = g_array_new(FALSE, TRUE, sizeof(guint));
  g_autofree int *parent = g_new(int, MAX(nl, 1));
  g_autoptr(GArray) kept = g_array_new(FALSE, FALSE, sizeof(guint));
  for (guint i = 0; i < nl; i++) {
    const CxFinding *fd = &g_array_index(sorted, CxFinding, i);
    const CxTagList *L = &g_array_index(f->lists, CxTagList, fd->index);
    parent[i] = -1;
    for (guint k = 0; k < kept->len && parent[i] < 0; k++) {
      guint p = g_array_index(kept, guint, k);
      const CxFinding *top = &g_array_index(sorted, CxFinding, p);
      if (jaccard(L, &g_array_index(f->lists, CxTagList, top->index)) >= CX_FRICTION_FOLD_JACCARD)
        parent[i] = (int)p;
    }
    if (parent[i] < 0)
      g_array_append_val(kept, i);
  }
  for (guint k = 0; k < kept->len; k++) {
    guint p = g_array_index(kept, guint, k);
    guint start = f->folded->len, count = 0;
    for (guint i = p + 1; i < nl; i++)
      if (parent[i] == (int)p) {
        g_array_append_val(f->folded, g_array_index(sorted, CxFinding, i));
        count++;
      }
    CxFinding fd = g_array_index(sorted, CxFinding, p);
    fd.n_also = count;
    fd.also = NULL;
    g_array_append_val(out, fd);
    g_array_append_val(starts, start);
  }
  return starts;
}

static gboolean
o_rank_sat(const CxFriction *f)
{
  return f->opts.rank == CX_FRICTION_RANK_SATISFACTION;
}

static void
rank_findings(CxFriction *f)
{
  double n = (double)MAX(1, cx_friction_cases(f));
  g_autoptr(GArray) listed = g_array_new(FALSE, FALSE, sizeof(CxFinding));
  for (guint i = 0; i < f->all->len; i++) {
    CxFinding *fd = &g_array_index(f->all, CxFinding, i);
    fd->customers_lost_share = (double)fd->customers_lost / n;
    fd->extra_time_share = f->total_time_s > 0 ? fd->extra_time_s / f->total_time_s : 0;
    fd->score = score_of(f, fd);
    if (goes_with_success(f, fd)) {
      g_array_append_val(f->with_success, *fd);
      continue;
    }
    gboolean costs
        = fd->customers_lost > 0 || fd->extra_time_s > 0 || fd->score > 0
          || (fd->kind == CX_FINDING_BOTTLENECK && fd->wait_share >= CX_FRICTION_BIG_WAIT_SHARE);
    /* a switch between two channels that loses nobody is a hand-off */
    if (fd->kind == CX_FINDING_CHANNEL_SWITCH && fd->n_names == 2 && fd->customers_lost == 0
        && !(o_rank_sat(f) && fd->score > 0))
      costs = FALSE;
    if (costs)
      g_array_append_val(listed, *fd);
  }
  g_array_sort_with_data(listed, cmp_finding, f);
  g_autoptr(GArray) ws = g_array_copy(f->with_success);
  g_array_set_size(f->with_success, 0);
  g_array_sort_with_data(ws, cmp_by_cases, f);
  g_autoptr(GArray) s1 = fold(f, listed, f->findings);
  g_autoptr(GArray) s2 = fold(f, ws, f->with_success);
  /* the folded array is complete: point at it */
  for (guint k = 0; k < f->findings->len; k++) {
    CxFinding *fd = &g_array_index(f->findings, CxFinding, k);
    fd->also
        = fd->n_also > 0 ? &g_array_index(f->folded, CxFinding, g_array_index(s1, guint, k)) : NULL;
  }
  for (guint k = 0; k < f->with_success->len; k++) {
    CxFinding *fd = &g_array_index(f->with_success, CxFinding, k);
    fd->also
        = fd->n_also > 0 ? &g_array_index(f->folded, CxFinding, g_array_index(s2, guint, k)) : NULL;
  }
}

/* Statuses in lifecycle:transition ("In Progress", "Resolved", "Wait -
 * User") where the XES lifecycle model (start, complete) was expected: the
 * outcome is probably there, not in the activity names. */
static void
decide_status_hint(CxFriction *f)
{
  g_clear_pointer(&f->status_hint, g_free);
  const CxReadOptions *ro = cx_log_options(f->log);
  if (f->n_instances == 0 || (double)f->n_status < 0.5 * (double)f->n_instances
      || (ro->activity_key != NULL && strstr(ro->activity_key, "lifecycle:transition") != NULL)
      || ro->classifier != NULL)
    return;
  g_autofree char *pct = cx_format_number(100.0 * (double)f->n_status / (double)f->n_instances, 0);
  f->status_hint = g_strdup_printf(
      "%s%% of the events have a lifecycle:transition outside the XES lifecycle model (start, "
      "complete): they look like statuses, and the outcome may be among them; try "
      "--activity-key concept:name --activity-key lifecycle:transition",
      pct);
  cx_notice(ro, CX_NOTICE_WARNING, "lifecycle-statuses", "%s", f->status_hint);
}

/* The outcome, duration and satisfaction of each case and their totals;
 * the cases with a duration, by duration. */
static void
case_totals(CxFriction *f)
{
  guint n = cx_friction_cases(f);
  g_array_set_size(f->mark, n);
  g_array_set_size(f->kinds, n);
  f->finished = f->succeeded = f->n_scored = 0;
  f->total_time_s = 0;
  f->sat_sum = 0;
  CxExactSum time_us = 0;
  /* the sort's keys, copied out of the records (on disk past a MiB) */
  g_autofree gint64 *dur = g_new(gint64, MAX(n, 1));
  for (guint32 c = 0; c < n; c++) {
    CaseRec r = cx_friction_case(f, c);
    dur[c] = r.dur;
    CxOutcomeKind kind = cx_friction_case_kind(f, c);
    if (kind != CX_OUTCOME_OPEN) {
      f->finished++;
      f->succeeded += kind == CX_OUTCOME_SUCCESS;
    }
    if (r.dur >= 0) {
      time_us += r.dur;
      g_array_append_val(f->order, c);
    }
    double sat = cx_friction_case_sat(f, c);
    if (!isnan(sat)) {
      f->n_scored++;
      f->sat_sum += sat;
    }
  }
  f->total_time_s = (double)time_us / 1e6;
  if (f->order->len > 1)
    g_array_sort_with_data(f->order, cmp_case_dur, dur);
}

gboolean
cx_friction_finish(CxFriction *f, GError **error)
{
  const CxFrictionOptions *o = &f->opts;
  CxPool *acts = cx_log_activities(f->log), *chans = cx_log_channels(f->log);
  const CxReadOptions *ro = cx_log_options(f->log);
  CxProgressStep step;
  cx_progress_step_begin(&step, ro->progress, ro->progress_data, "finding frictions",
                         o->drift ? 11 : 10);
  guint64 done = 0;
  cx_friction_clear_results(f);
  cx_outcome_finish(f->outcome);
  if (!cx_outcome_check(f->outcome, error)) {
    cx_progress_step_end(&step);
    return FALSE;
  }
  cx_progress_step_advance(&step, ++done);
  case_totals(f);
  cx_progress_step_advance(&step, ++done);
  cx_friction_find_bottlenecks(f, acts);
  cx_progress_step_advance(&step, ++done);
  /* cycles first: rework is what they do not explain */
  cx_friction_find_cycles(f, acts);
  cx_progress_step_advance(&step, ++done);
  cx_friction_find_repeats(f, acts);
  cx_progress_step_advance(&step, ++done);
  cx_friction_find_dropoffs(f, acts);
  cx_progress_step_advance(&step, ++done);
  cx_friction_find_channels(f, chans);
  cx_progress_step_advance(&step, ++done);
  cx_friction_find_effort(f, FALSE);
  cx_progress_step_advance(&step, ++done);
  cx_friction_find_effort(f, TRUE);
  cx_progress_step_advance(&step, ++done);
  if (o->drift) {
    cx_friction_find_drift(f, acts);
    cx_progress_step_advance(&step, ++done);
  }
  rank_findings(f);
  decide_status_hint(f);
  cx_progress_step_end(&step);
  return cx_transitions_check(f->edges, error) && cx_transitions_check(f->chs, error)
         && cx_list_store_check(f->store, error) && cx_records_check(f->cases, error)
         && cx_records_check(f->sat, error) && cx_outcome_check(f->outcome, error);
}
