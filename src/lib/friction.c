/* Friction: one scan collects per-activity, per-edge, per-pair evidence and
 * a compact record per case; finish turns them into ranked findings. */
#include "cxmine/friction.h"
#include "cxmine/outcome.h"
#include "cxmine/dot-writer.h"
#include "cxmine/output.h"
#include "cxmine/summary.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const kind_names[CX_FINDING_N_KINDS]
    = { "bottleneck",     "rework",   "pingpong", "dropoff",
        "channel_switch", "negative", "effort",   "inconsistency" };

const char *
cx_finding_kind_name(CxFindingKind kind)
{
  g_return_val_if_fail(kind < CX_FINDING_N_KINDS, "");
  return kind_names[kind];
}

gboolean
cx_finding_kind_parse(const char *s, CxFindingKind *out)
{
  for (guint k = 0; k < CX_FINDING_N_KINDS; k++)
    if (g_ascii_strcasecmp(s, kind_names[k]) == 0) {
      *out = (CxFindingKind)k;
      return TRUE;
    }
  return FALSE;
}

void
cx_friction_options_init(CxFrictionOptions *o)
{
  *o = (CxFrictionOptions){ 0 };
  o->open_after_us = CX_OUTCOME_OPEN_INFER;
  o->min_cases = 5;
  o->min_share = 0.01;
  o->bottleneck_share = 0.05;
  o->bottleneck_factor = 10;
  o->effort_factor = 2;
  o->effort_iqr = 3;
  o->inconsistency_ratio = 5;
  o->inconsistency_min_samples = 20;
  o->inconsistency_slow = 3;
  o->many_switches = 3;
}

/* ---------- a small open-addressing map guint64 -> guint32 (index + 1) ---------- */

typedef struct {
  guint64 *keys;
  guint32 *vals; /* 0 = empty */
  gsize cap, len;
} Map;

static void
map_clear(Map *m)
{
  g_free(m->keys);
  g_free(m->vals);
  *m = (Map){ 0 };
}

static inline gsize
map_hash(guint64 k)
{
  k ^= k >> 33;
  k *= G_GUINT64_CONSTANT(0xff51afd7ed558ccd);
  k ^= k >> 33;
  return (gsize)k;
}

static void map_put(Map *m, guint64 key, guint32 val);

static void
map_grow(Map *m)
{
  Map old = *m;
  m->cap = old.cap ? old.cap * 2 : 256;
  m->keys = g_new(guint64, m->cap);
  m->vals = g_new0(guint32, m->cap);
  m->len = 0;
  for (gsize i = 0; i < old.cap; i++)
    if (old.vals[i] != 0)
      map_put(m, old.keys[i], old.vals[i]);
  g_free(old.keys);
  g_free(old.vals);
}

static void
map_put(Map *m, guint64 key, guint32 val)
{
  if ((m->len + 1) * 2 > m->cap)
    map_grow(m);
  gsize i = map_hash(key) & (m->cap - 1);
  while (m->vals[i] != 0 && m->keys[i] != key)
    i = (i + 1) & (m->cap - 1);
  if (m->vals[i] == 0)
    m->len++;
  m->keys[i] = key;
  m->vals[i] = val;
}

static inline guint32
map_get(const Map *m, guint64 key)
{
  if (m->cap == 0)
    return 0;
  gsize i = map_hash(key) & (m->cap - 1);
  while (m->vals[i] != 0) {
    if (m->keys[i] == key)
      return m->vals[i];
    i = (i + 1) & (m->cap - 1);
  }
  return 0;
}

#define KEY(a, b) (((guint64)(a) << 32) | (guint64)(b))

/* ---------- collected evidence ---------- */

typedef struct {
  gint64 dur; /* microseconds, -1 unknown */
  gint64 last;
  guint32 end;
  guint32 steps;
  guint32 touches;
  guint32 switches;
  guint32 outcome; /* CxOutcomeKind, after finish */
} CaseRec;

typedef struct {
  guint32 stamp; /* case index + 1 of the last case containing it */
  guint32 in_case;
  guint64 count;
  guint64 extra;
  GArray *cases;  /* guint32 */
  GArray *rework; /* guint32 */
  GArray *svc;    /* double seconds */
  GArray *svc_case;
  int negative;     /* -1 = not decided yet */
  Map pred;         /* negative only: predecessor id -> count */
  GArray *pred_cnt; /* guint64 counts for pred values */
} Act;

typedef struct {
  guint32 from, to;
  guint32 stamp;
  guint32 in_case; /* pingpong: triples in the current case */
  guint64 count;   /* edges, channel pairs: occurrences; pingpong: x,y,x with x = from */
  guint64 count2;  /* pingpong: x,y,x with x = to */
  guint64 trips;   /* pingpong: round trips */
  GArray *cases;   /* guint32 */
  GArray *waits;   /* double seconds */
  GArray *wait_case;
} Pair;

struct _CxFriction {
  CxLog *log;
  CxFrictionOptions opts;
  char **success;  /* owned copies */
  char **negative; /* lower-cased globs */
  GPtrArray *neg_specs;
  CxOutcome *outcome;

  GArray *cases; /* CaseRec */
  GArray *acts;  /* Act, by activity id */
  GArray *res_stamp;
  GPtrArray *edges; /* Pair* */
  Map edge_map;
  GPtrArray *pps; /* Pair*, key (min, max) */
  Map pp_map;
  GPtrArray *chs; /* Pair*, channel pairs */
  Map ch_map;
  GArray *touched; /* guint32 pingpong indices in the current case */

  /* after finish */
  GArray *findings; /* CxFinding */
  GArray *matrix;   /* CxChannelSwitch */
  GArray *order;    /* guint32 case indices with a duration, by duration */
  GArray *mark;     /* guint32 generation per case */
  GArray *kinds;    /* guint32 per case: 1 << CxFindingKind of its findings */
  guint32 gen;
  guint64 finished, succeeded;
  double total_time_s;
  gboolean has_channels;
};

static void
pair_free(gpointer p)
{
  Pair *e = p;
  g_array_free(e->cases, TRUE);
  if (e->waits != NULL) {
    g_array_free(e->waits, TRUE);
    g_array_free(e->wait_case, TRUE);
  }
  g_free(e);
}

static Pair *
pair_new(guint32 from, guint32 to, gboolean waits)
{
  Pair *e = g_new0(Pair, 1);
  e->from = from;
  e->to = to;
  e->cases = g_array_new(FALSE, FALSE, sizeof(guint32));
  if (waits) {
    e->waits = g_array_new(FALSE, FALSE, sizeof(double));
    e->wait_case = g_array_new(FALSE, FALSE, sizeof(guint32));
  }
  return e;
}

static void
act_clear(Act *a)
{
  if (a->cases == NULL)
    return;
  g_array_free(a->cases, TRUE);
  g_array_free(a->rework, TRUE);
  g_array_free(a->svc, TRUE);
  g_array_free(a->svc_case, TRUE);
  map_clear(&a->pred);
  if (a->pred_cnt != NULL)
    g_array_free(a->pred_cnt, TRUE);
  *a = (Act){ 0 };
}

CxFriction *
cx_friction_new(CxLog *log, const CxFrictionOptions *opts)
{
  g_return_val_if_fail(log != NULL, NULL);
  CxFriction *f = g_new0(CxFriction, 1);
  f->log = log;
  if (opts != NULL)
    f->opts = *opts;
  else
    cx_friction_options_init(&f->opts);
  if (f->opts.success != NULL)
    f->success = g_strdupv((char **)f->opts.success);
  f->opts.success = (const char *const *)f->success;
  g_auto(GStrv) defaults = g_strsplit(CX_FRICTION_DEFAULT_NEGATIVE, ",", -1);
  const char *const *neg
      = f->opts.negative != NULL ? f->opts.negative : (const char *const *)defaults;
  f->negative = g_new0(char *, g_strv_length((char **)neg) + 1);
  f->neg_specs = g_ptr_array_new_with_free_func((GDestroyNotify)g_pattern_spec_free);
  guint k = 0;
  for (const char *const *p = neg; *p != NULL; p++) {
    g_autofree char *s = g_strstrip(g_utf8_strdown(*p, -1));
    if (*s == '\0')
      continue;
    g_ptr_array_add(f->neg_specs, g_pattern_spec_new(s));
    f->negative[k++] = g_steal_pointer(&s);
  }
  f->opts.negative = (const char *const *)f->negative;
  f->outcome = cx_outcome_new(log, f->opts.success, f->opts.open_after_us);
  f->cases = g_array_new(FALSE, FALSE, sizeof(CaseRec));
  f->acts = g_array_new(FALSE, TRUE, sizeof(Act));
  f->res_stamp = g_array_new(FALSE, TRUE, sizeof(guint32));
  f->edges = g_ptr_array_new_with_free_func(pair_free);
  f->pps = g_ptr_array_new_with_free_func(pair_free);
  f->chs = g_ptr_array_new_with_free_func(pair_free);
  f->touched = g_array_new(FALSE, FALSE, sizeof(guint32));
  f->findings = g_array_new(FALSE, FALSE, sizeof(CxFinding));
  f->matrix = g_array_new(FALSE, FALSE, sizeof(CxChannelSwitch));
  f->order = g_array_new(FALSE, FALSE, sizeof(guint32));
  f->mark = g_array_new(FALSE, TRUE, sizeof(guint32));
  f->kinds = g_array_new(FALSE, TRUE, sizeof(guint32));
  return f;
}

void
cx_friction_reset(gpointer data)
{
  CxFriction *f = data;
  cx_outcome_reset(f->outcome);
  g_array_set_size(f->cases, 0);
  for (guint i = 0; i < f->acts->len; i++)
    act_clear(&g_array_index(f->acts, Act, i));
  g_array_set_size(f->acts, 0);
  g_array_set_size(f->res_stamp, 0);
  g_ptr_array_set_size(f->edges, 0);
  g_ptr_array_set_size(f->pps, 0);
  g_ptr_array_set_size(f->chs, 0);
  map_clear(&f->edge_map);
  map_clear(&f->pp_map);
  map_clear(&f->ch_map);
  g_array_set_size(f->findings, 0);
  g_array_set_size(f->matrix, 0);
  g_array_set_size(f->order, 0);
  g_array_set_size(f->mark, 0);
  g_array_set_size(f->kinds, 0);
  f->gen = 0;
}

void
cx_friction_free(CxFriction *f)
{
  if (f == NULL)
    return;
  cx_friction_reset(f);
  cx_outcome_free(f->outcome);
  g_strfreev(f->success);
  g_strfreev(f->negative);
  g_ptr_array_free(f->neg_specs, TRUE);
  g_array_free(f->cases, TRUE);
  g_array_free(f->acts, TRUE);
  g_array_free(f->res_stamp, TRUE);
  g_ptr_array_free(f->edges, TRUE);
  g_ptr_array_free(f->pps, TRUE);
  g_ptr_array_free(f->chs, TRUE);
  g_array_free(f->touched, TRUE);
  g_array_free(f->findings, TRUE);
  g_array_free(f->matrix, TRUE);
  g_array_free(f->order, TRUE);
  g_array_free(f->mark, TRUE);
  g_array_free(f->kinds, TRUE);
  g_free(f);
}

static gboolean
is_negative(CxFriction *f, guint32 activity)
{
  g_autofree char *low = g_utf8_strdown(cx_pool_get(cx_log_activities(f->log), activity), -1);
  for (guint i = 0; i < f->neg_specs->len; i++)
    if (g_pattern_spec_match_string(g_ptr_array_index(f->neg_specs, i), low))
      return TRUE;
  return FALSE;
}

static Act *
act_get(CxFriction *f, guint32 a)
{
  if (a >= f->acts->len)
    g_array_set_size(f->acts, a + 64);
  Act *A = &g_array_index(f->acts, Act, a);
  if (A->cases == NULL) {
    A->cases = g_array_new(FALSE, FALSE, sizeof(guint32));
    A->rework = g_array_new(FALSE, FALSE, sizeof(guint32));
    A->svc = g_array_new(FALSE, FALSE, sizeof(double));
    A->svc_case = g_array_new(FALSE, FALSE, sizeof(guint32));
    A->negative = is_negative(f, a);
    if (A->negative)
      A->pred_cnt = g_array_new(FALSE, FALSE, sizeof(guint64));
  }
  return A;
}

static Pair *
pair_get(GPtrArray *arr, Map *map, guint32 from, guint32 to, gboolean waits)
{
  guint64 key = KEY(from, to);
  guint32 v = map_get(map, key);
  if (v != 0)
    return g_ptr_array_index(arr, v - 1);
  Pair *p = pair_new(from, to, waits);
  g_ptr_array_add(arr, p);
  map_put(map, key, arr->len);
  return p;
}

static inline void
add_case_once(Pair *p, guint32 stamp)
{
  if (p->stamp != stamp) {
    p->stamp = stamp;
    guint32 c = stamp - 1;
    g_array_append_val(p->cases, c);
  }
}

gboolean
cx_friction_add(const CxJourney *j, gpointer data, GError **error)
{
  CxFriction *f = data;
  if (j->n_instances == 0)
    return TRUE;
  cx_outcome_add(j, f->outcome, NULL);
  guint32 c = f->cases->len;
  guint32 stamp = c + 1;
  const CxEvent *ins = j->instances;
  CaseRec r = { 0 };
  r.dur = cx_journey_duration(j);
  r.last = cx_journey_last_time(j);
  r.end = ins[j->n_instances - 1].activity;
  r.steps = j->n_instances;
  g_array_set_size(f->touched, 0);
  for (guint i = 0; i < j->n_instances; i++) {
    const CxEvent *e = &ins[i];
    guint32 a = e->activity;
    Act *A = act_get(f, a);
    A->count++;
    if (A->stamp != stamp) {
      A->stamp = stamp;
      A->in_case = 1;
      g_array_append_val(A->cases, c);
    } else {
      A->in_case++;
      A->extra++;
      if (A->in_case == 2)
        g_array_append_val(A->rework, c);
    }
    if (e->start != CX_TS_NONE && e->time != CX_TS_NONE) {
      double s = (double)(e->time - e->start) / 1e6;
      g_array_append_val(A->svc, s);
      g_array_append_val(A->svc_case, c);
    }
    if (A->negative) {
      guint32 pred = i > 0 ? ins[i - 1].activity : CX_ID_NONE;
      guint32 v = map_get(&A->pred, pred);
      if (v == 0) {
        guint64 one = 1;
        g_array_append_val(A->pred_cnt, one);
        map_put(&A->pred, pred, A->pred_cnt->len);
      } else {
        g_array_index(A->pred_cnt, guint64, v - 1)++;
      }
    }
    if (e->resource != CX_ID_NONE) {
      if (e->resource >= f->res_stamp->len)
        g_array_set_size(f->res_stamp, e->resource + 64);
      guint32 *rs = &g_array_index(f->res_stamp, guint32, e->resource);
      if (*rs != stamp) {
        *rs = stamp;
        r.touches++;
      }
    }
    if (i == 0)
      continue;
    const CxEvent *p = &ins[i - 1];
    Pair *ed = pair_get(f->edges, &f->edge_map, p->activity, a, TRUE);
    ed->count++;
    add_case_once(ed, stamp);
    gint64 t_to = e->start != CX_TS_NONE ? e->start : e->time;
    double w = NAN;
    if (p->time != CX_TS_NONE && t_to != CX_TS_NONE) {
      w = (double)(t_to - p->time) / 1e6;
      g_array_append_val(ed->waits, w);
      g_array_append_val(ed->wait_case, c);
    }
    if (p->channel != CX_ID_NONE && e->channel != CX_ID_NONE && p->channel != e->channel) {
      Pair *ch = pair_get(f->chs, &f->ch_map, p->channel, e->channel, TRUE);
      ch->count++;
      add_case_once(ch, stamp);
      if (!isnan(w)) {
        g_array_append_val(ch->waits, w);
        g_array_append_val(ch->wait_case, c);
      }
      r.switches++;
    }
    if (i >= 2 && ins[i - 2].activity == a && p->activity != a) {
      guint32 lo = MIN(a, p->activity), hi = MAX(a, p->activity);
      Pair *pp = pair_get(f->pps, &f->pp_map, lo, hi, FALSE);
      if (a == lo)
        pp->count++;
      else
        pp->count2++;
      if (pp->stamp != stamp) {
        pp->stamp = stamp;
        pp->in_case = 0;
        g_array_append_val(pp->cases, c);
        guint32 idx = map_get(&f->pp_map, KEY(lo, hi)) - 1;
        g_array_append_val(f->touched, idx);
      }
      pp->in_case++;
    }
  }
  for (guint i = 0; i < f->touched->len; i++) {
    Pair *pp = g_ptr_array_index(f->pps, g_array_index(f->touched, guint32, i));
    pp->trips += (pp->in_case + 1) / 2;
  }
  g_array_append_val(f->cases, r);
  return TRUE;
}

/* ---------- finish ---------- */

static const CxFriction *sort_ctx;

static int
cmp_case_dur(const void *a, const void *b)
{
  const CaseRec *ca = &g_array_index(sort_ctx->cases, CaseRec, *(const guint32 *)a);
  const CaseRec *cb = &g_array_index(sort_ctx->cases, CaseRec, *(const guint32 *)b);
  return ca->dur < cb->dur ? -1 : ca->dur > cb->dur;
}

/* Median of all values of @arrays (GArray* of double), by sorting a copy. */
static double
median_of(GPtrArray *src, gboolean svc, GArray *acts)
{
  g_autoptr(GArray) all = g_array_new(FALSE, FALSE, sizeof(double));
  if (svc) {
    for (guint i = 0; i < acts->len; i++) {
      Act *A = &g_array_index(acts, Act, i);
      if (A->svc != NULL)
        g_array_append_vals(all, A->svc->data, A->svc->len);
    }
  } else {
    for (guint i = 0; i < src->len; i++) {
      Pair *p = g_ptr_array_index(src, i);
      g_array_append_vals(all, p->waits->data, p->waits->len);
    }
  }
  if (all->len == 0)
    return 0;
  cx_sort_doubles((double *)all->data, all->len);
  return cx_quantile_sorted((double *)all->data, all->len, 0.5);
}

static gboolean
enough(const CxFriction *f, guint64 n)
{
  guint64 total = f->cases->len;
  return n > 0 && n >= f->opts.min_cases && (double)n >= f->opts.min_share * (double)total - 1e-9;
}

/* Fills cases, share, the with/without comparison and the default impact
 * of @fd from the ascending case list @L. */
static void
compare(CxFriction *f, CxFinding *fd, const GArray *L)
{
  guint64 n = f->cases->len;
  f->gen++;
  guint32 *mark = (guint32 *)f->mark->data;
  guint32 *kinds = (guint32 *)f->kinds->data;
  guint64 with_dur = 0, with_fin = 0, with_succ = 0;
  for (guint i = 0; i < L->len; i++) {
    guint32 c = g_array_index(L, guint32, i);
    mark[c] = f->gen;
    kinds[c] |= 1u << fd->kind;
    const CaseRec *r = &g_array_index(f->cases, CaseRec, c);
    if (r->dur >= 0)
      with_dur++;
    if (r->outcome != CX_OUTCOME_OPEN) {
      with_fin++;
      if (r->outcome == CX_OUTCOME_SUCCESS)
        with_succ++;
    }
  }
  guint64 without_dur = f->order->len - with_dur;
  double mw[2] = { NAN, NAN }, mo[2] = { NAN, NAN };
  guint64 kw = 0, ko = 0;
  for (guint i = 0; i < f->order->len; i++) {
    guint32 c = g_array_index(f->order, guint32, i);
    double d = (double)g_array_index(f->cases, CaseRec, c).dur / 1e6;
    if (mark[c] == f->gen) {
      if (kw == (with_dur - 1) / 2)
        mw[0] = d;
      if (kw == with_dur / 2)
        mw[1] = d;
      kw++;
    } else {
      if (ko == (without_dur - 1) / 2)
        mo[0] = d;
      if (ko == without_dur / 2)
        mo[1] = d;
      ko++;
    }
  }
  fd->cases = L->len;
  fd->share = n > 0 ? (double)L->len / (double)n : 0;
  fd->median_with_s = with_dur > 0 ? (mw[0] + mw[1]) / 2 : NAN;
  fd->median_without_s = without_dur > 0 ? (mo[0] + mo[1]) / 2 : NAN;
  fd->success_with = with_fin > 0 ? (double)with_succ / (double)with_fin : NAN;
  guint64 fin_o = f->finished - with_fin, succ_o = f->succeeded - with_succ;
  fd->success_without = fin_o > 0 ? (double)succ_o / (double)fin_o : NAN;
  double diff = fd->median_with_s - fd->median_without_s;
  fd->impact_s = isnan(diff) ? 0 : (double)L->len * MAX(0, diff);
}

static CxFinding *
push(CxFriction *f, CxFindingKind kind, const char *a, const char *b)
{
  CxFinding fd = { 0 };
  fd.kind = kind;
  fd.names[0] = a;
  fd.names[1] = b;
  fd.n_names = a == NULL ? 0 : b == NULL ? 1 : 2;
  fd.median_s = fd.p90_s = fd.total_s = fd.wait_share = NAN;
  fd.threshold = fd.typical = NAN;
  g_array_append_val(f->findings, fd);
  return &g_array_index(f->findings, CxFinding, f->findings->len - 1);
}

/* The ascending, distinct cases of @cases whose paired sample exceeds @limit. */
static GArray *
slow_cases(const GArray *vals, const GArray *cases, double limit)
{
  GArray *out = g_array_new(FALSE, FALSE, sizeof(guint32));
  for (guint i = 0; i < vals->len; i++) {
    if (g_array_index(vals, double, i) <= limit)
      continue;
    guint32 c = g_array_index(cases, guint32, i);
    if (out->len == 0 || g_array_index(out, guint32, out->len - 1) != c)
      g_array_append_val(out, c);
  }
  return out;
}

typedef struct {
  const char *a, *b;
  const char *measure;
  const GArray *vals, *cases; /* samples and their cases */
  const GArray *members;      /* cases showing it */
  CxSummary sum;
  double ratio;
} Timing;

static void
timing_summary(Timing *t)
{
  g_autoptr(GArray) copy = g_array_sized_new(FALSE, FALSE, sizeof(double), t->vals->len);
  g_array_append_vals(copy, t->vals->data, t->vals->len);
  cx_summary_compute((double *)copy->data, copy->len, &t->sum);
  t->ratio = t->sum.median > 0 ? t->sum.p90 / t->sum.median : NAN;
}

static void
find_timings(CxFriction *f, GArray *timings, double median_all, double total_all, gboolean svc)
{
  const CxFrictionOptions *o = &f->opts;
  for (guint i = 0; i < timings->len; i++) {
    Timing *t = &g_array_index(timings, Timing, i);
    if (!(total_all > 0) || !enough(f, t->members->len))
      continue;
    double share = t->sum.total / total_all;
    if (t->sum.median >= o->bottleneck_factor * median_all && t->sum.median > 0
        && share >= o->bottleneck_share) {
      g_autoptr(GArray) slow
          = slow_cases(t->vals, t->cases, o->bottleneck_factor * median_all * (1 - 1e-12));
      if (!enough(f, slow->len))
        continue;
      CxFinding *fd = push(f, CX_FINDING_BOTTLENECK, t->a, t->b);
      compare(f, fd, slow);
      double excess = 0;
      for (guint k = 0; k < t->vals->len; k++)
        excess += MAX(0, g_array_index(t->vals, double, k) - median_all);
      fd->impact_s = excess;
      fd->measure = t->measure;
      fd->occurrences = t->sum.n;
      fd->median_s = t->sum.median;
      fd->p90_s = t->sum.p90;
      fd->total_s = t->sum.total;
      fd->wait_share = share;
      fd->typical = median_all;
    }
  }
  /* inconsistency: far more spread than the rest */
  g_autoptr(GArray) ratios = g_array_new(FALSE, FALSE, sizeof(double));
  for (guint i = 0; i < timings->len; i++) {
    Timing *t = &g_array_index(timings, Timing, i);
    if (t->sum.n >= o->inconsistency_min_samples && !isnan(t->ratio))
      g_array_append_val(ratios, t->ratio);
  }
  if (ratios->len == 0)
    return;
  cx_sort_doubles((double *)ratios->data, ratios->len);
  double typical = cx_quantile_sorted((double *)ratios->data, ratios->len, 0.5);
  for (guint i = 0; i < timings->len; i++) {
    Timing *t = &g_array_index(timings, Timing, i);
    if (t->sum.n < o->inconsistency_min_samples || isnan(t->ratio)
        || t->ratio < o->inconsistency_ratio || t->ratio < 2 * typical)
      continue;
    g_autoptr(GArray) slow = slow_cases(t->vals, t->cases, o->inconsistency_slow * t->sum.median);
    if (!enough(f, slow->len))
      continue;
    CxFinding *fd = push(f, CX_FINDING_INCONSISTENCY, t->a, t->b);
    compare(f, fd, slow);
    fd->measure = t->measure;
    fd->occurrences = t->sum.n;
    fd->median_s = t->sum.median;
    fd->p90_s = t->sum.p90;
    fd->total_s = t->sum.total;
    fd->threshold = t->ratio;
    fd->typical = typical;
  }
  (void)svc;
}

static void
find_effort(CxFriction *f, gboolean touches)
{
  guint n = f->cases->len;
  g_autoptr(GArray) v = g_array_sized_new(FALSE, FALSE, sizeof(double), n);
  gboolean any = FALSE;
  for (guint c = 0; c < n; c++) {
    const CaseRec *r = &g_array_index(f->cases, CaseRec, c);
    double x = touches ? r->touches : r->steps;
    any |= x > 0;
    g_array_append_val(v, x);
  }
  if (!any || n == 0)
    return;
  cx_sort_doubles((double *)v->data, n);
  const double *s = (const double *)v->data;
  double med = cx_quantile_sorted(s, n, 0.5), q1 = cx_quantile_sorted(s, n, 0.25),
         q3 = cx_quantile_sorted(s, n, 0.75);
  double limit = MAX(f->opts.effort_factor * med, q3 + f->opts.effort_iqr * (q3 - q1));
  g_autoptr(GArray) L = g_array_new(FALSE, FALSE, sizeof(guint32));
  for (guint32 c = 0; c < n; c++) {
    const CaseRec *r = &g_array_index(f->cases, CaseRec, c);
    if ((touches ? r->touches : r->steps) > limit)
      g_array_append_val(L, c);
  }
  if (!enough(f, L->len))
    return;
  CxFinding *fd = push(f, CX_FINDING_EFFORT, NULL, NULL);
  compare(f, fd, L);
  fd->measure = touches ? "touches" : "steps";
  fd->threshold = limit;
  fd->typical = med;
}

static int
cmp_finding(const void *a, const void *b)
{
  const CxFinding *x = a, *y = b;
  if (x->score != y->score)
    return x->score > y->score ? -1 : 1;
  if (x->cases != y->cases)
    return x->cases > y->cases ? -1 : 1;
  if (x->kind != y->kind)
    return x->kind < y->kind ? -1 : 1;
  for (guint i = 0; i < 2; i++) {
    int r = g_strcmp0(x->names[i], y->names[i]);
    if (r != 0)
      return r;
  }
  return g_strcmp0(x->measure, y->measure);
}

static void
array_unref0(gpointer a)
{
  if (a != NULL)
    g_array_unref(a);
}

static int
cmp_switch(const void *a, const void *b)
{
  const CxChannelSwitch *x = a, *y = b;
  if (x->count != y->count)
    return x->count > y->count ? -1 : 1;
  int r = strcmp(x->from, y->from);
  return r != 0 ? r : strcmp(x->to, y->to);
}

void
cx_friction_finish(CxFriction *f)
{
  const CxFrictionOptions *o = &f->opts;
  CxPool *acts = cx_log_activities(f->log), *chans = cx_log_channels(f->log);
  g_array_set_size(f->findings, 0);
  cx_outcome_finish(f->outcome);
  guint n = f->cases->len;
  g_array_set_size(f->mark, 0);
  g_array_set_size(f->mark, n);
  g_array_set_size(f->kinds, 0);
  g_array_set_size(f->kinds, n);
  f->gen = 0;
  f->finished = f->succeeded = 0;
  f->total_time_s = 0;
  g_array_set_size(f->order, 0);
  for (guint32 c = 0; c < n; c++) {
    CaseRec *r = &g_array_index(f->cases, CaseRec, c);
    r->outcome = cx_outcome_get(f->outcome, c);
    if (r->outcome != CX_OUTCOME_OPEN) {
      f->finished++;
      f->succeeded += r->outcome == CX_OUTCOME_SUCCESS;
    }
    if (r->dur >= 0) {
      f->total_time_s += (double)r->dur / 1e6;
      g_array_append_val(f->order, c);
    }
  }
  sort_ctx = f;
  if (f->order->len > 1)
    qsort(f->order->data, f->order->len, sizeof(guint32), cmp_case_dur);
  sort_ctx = NULL;

  /* bottleneck and inconsistency: edges, then service times */
  {
    g_autoptr(GArray) tim = g_array_new(FALSE, FALSE, sizeof(Timing));
    double total = 0;
    for (guint i = 0; i < f->edges->len; i++) {
      Pair *e = g_ptr_array_index(f->edges, i);
      for (guint k = 0; k < e->waits->len; k++)
        total += g_array_index(e->waits, double, k);
      if (!enough(f, e->cases->len) || e->waits->len == 0)
        continue;
      Timing t = { cx_pool_get(acts, e->from),
                   cx_pool_get(acts, e->to),
                   "wait",
                   e->waits,
                   e->wait_case,
                   e->cases };
      timing_summary(&t);
      g_array_append_val(tim, t);
    }
    find_timings(f, tim, median_of(f->edges, FALSE, NULL), total, FALSE);
    g_array_set_size(tim, 0);
    total = 0;
    for (guint32 a = 0; a < f->acts->len; a++) {
      Act *A = &g_array_index(f->acts, Act, a);
      if (A->cases == NULL)
        continue;
      for (guint k = 0; k < A->svc->len; k++)
        total += g_array_index(A->svc, double, k);
      if (!enough(f, A->cases->len) || A->svc->len == 0)
        continue;
      Timing t = { cx_pool_get(acts, a), NULL, "service", A->svc, A->svc_case, A->cases };
      timing_summary(&t);
      g_array_append_val(tim, t);
    }
    if (tim->len > 0)
      find_timings(f, tim, median_of(NULL, TRUE, f->acts), total, TRUE);
  }

  /* rework and negative */
  for (guint32 a = 0; a < f->acts->len; a++) {
    Act *A = &g_array_index(f->acts, Act, a);
    if (A->cases == NULL)
      continue;
    if (enough(f, A->rework->len)) {
      CxFinding *fd = push(f, CX_FINDING_REWORK, cx_pool_get(acts, a), NULL);
      compare(f, fd, A->rework);
      fd->occurrences = A->extra;
    }
    if (A->negative && enough(f, A->cases->len)) {
      CxFinding *fd = push(f, CX_FINDING_NEGATIVE, cx_pool_get(acts, a), NULL);
      compare(f, fd, A->cases);
      fd->occurrences = A->count;
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

  /* pingpong */
  for (guint i = 0; i < f->pps->len; i++) {
    Pair *p = g_ptr_array_index(f->pps, i);
    if (!enough(f, p->cases->len))
      continue;
    gboolean lo_first = p->count >= p->count2;
    CxFinding *fd = push(f, CX_FINDING_PINGPONG, cx_pool_get(acts, lo_first ? p->from : p->to),
                         cx_pool_get(acts, lo_first ? p->to : p->from));
    compare(f, fd, p->cases);
    fd->occurrences = p->trips;
  }

  /* dropoff: finished journeys ending at a non-successful end */
  {
    g_autoptr(GPtrArray) by_end = g_ptr_array_new_with_free_func(array_unref0);
    g_ptr_array_set_size(by_end, (guint)cx_pool_size(acts));
    for (guint32 c = 0; c < n; c++) {
      const CaseRec *r = &g_array_index(f->cases, CaseRec, c);
      if (r->outcome != CX_OUTCOME_DROPOFF || r->end >= by_end->len)
        continue;
      GArray *L = g_ptr_array_index(by_end, r->end);
      if (L == NULL) {
        L = g_array_new(FALSE, FALSE, sizeof(guint32));
        g_ptr_array_index(by_end, r->end) = L;
      }
      g_array_append_val(L, c);
    }
    for (guint32 a = 0; a < by_end->len; a++) {
      GArray *L = g_ptr_array_index(by_end, a);
      if (L == NULL || !enough(f, L->len))
        continue;
      CxFinding *fd = push(f, CX_FINDING_DROPOFF, cx_pool_get(acts, a), NULL);
      compare(f, fd, L);
      double spent = 0;
      for (guint k = 0; k < L->len; k++) {
        const CaseRec *r = &g_array_index(f->cases, CaseRec, g_array_index(L, guint32, k));
        spent += r->dur > 0 ? (double)r->dur / 1e6 : 0;
      }
      fd->impact_s = spent;
      fd->total_s = spent;
    }
  }

  /* channel switches */
  f->has_channels = f->chs->len > 0;
  g_array_set_size(f->matrix, 0);
  for (guint i = 0; i < f->chs->len; i++) {
    Pair *p = g_ptr_array_index(f->chs, i);
    CxChannelSwitch cell
        = { cx_pool_get(chans, p->from), cx_pool_get(chans, p->to), p->count, p->cases->len, NAN };
    if (p->waits->len > 0) {
      g_autoptr(GArray) w = g_array_copy(p->waits);
      cx_sort_doubles((double *)w->data, w->len);
      cell.median_wait_s = cx_quantile_sorted((double *)w->data, w->len, 0.5);
    }
    g_array_append_val(f->matrix, cell);
  }
  if (f->has_channels && o->many_switches > 0) {
    g_autoptr(GArray) L = g_array_new(FALSE, FALSE, sizeof(guint32));
    guint64 sw = 0;
    for (guint32 c = 0; c < n; c++) {
      const CaseRec *r = &g_array_index(f->cases, CaseRec, c);
      if (r->switches >= o->many_switches) {
        g_array_append_val(L, c);
        sw += r->switches;
      }
    }
    if (enough(f, L->len)) {
      CxFinding *fd = push(f, CX_FINDING_CHANNEL_SWITCH, NULL, NULL);
      compare(f, fd, L);
      fd->measure = "many";
      fd->occurrences = sw;
      fd->threshold = o->many_switches;
    }
  }

  if (f->matrix->len > 1)
    qsort(f->matrix->data, f->matrix->len, sizeof(CxChannelSwitch), cmp_switch);
  find_effort(f, FALSE);
  find_effort(f, TRUE);

  for (guint i = 0; i < f->findings->len; i++) {
    CxFinding *fd = &g_array_index(f->findings, CxFinding, i);
    fd->score = f->total_time_s > 0 ? fd->impact_s / f->total_time_s : 0;
  }
  if (f->findings->len > 1)
    qsort(f->findings->data, f->findings->len, sizeof(CxFinding), cmp_finding);
}

const guint32 *
cx_friction_case_kinds(const CxFriction *f, guint *n)
{
  *n = f->kinds->len;
  return (const guint32 *)f->kinds->data;
}

guint64
cx_friction_n_cases(const CxFriction *f)
{
  return f->cases->len;
}

const CxFinding *
cx_friction_findings(const CxFriction *f, guint *n)
{
  *n = f->findings->len;
  return (const CxFinding *)f->findings->data;
}

const char *
cx_friction_success_explain(const CxFriction *f)
{
  return cx_outcome_explain(f->outcome);
}

gboolean
cx_friction_success_weak(const CxFriction *f)
{
  return cx_outcome_is_weak(f->outcome);
}

const char *
cx_friction_open_explain(const CxFriction *f)
{
  return cx_outcome_open_explain(f->outcome);
}

gint64
cx_friction_open_after(const CxFriction *f)
{
  return cx_outcome_open_after(f->outcome);
}

CxOutcomeKind
cx_friction_case_outcome(const CxFriction *f, guint64 index)
{
  g_return_val_if_fail(index < f->cases->len, CX_OUTCOME_DROPOFF);
  return (CxOutcomeKind)g_array_index(f->cases, CaseRec, index).outcome;
}

void
cx_friction_outcomes(const CxFriction *f, guint64 *success, guint64 *dropoff, guint64 *open)
{
  cx_outcome_counts(f->outcome, success, dropoff, open);
}

const CxChannelSwitch *
cx_friction_channel_matrix(const CxFriction *f, guint *n)
{
  *n = f->matrix->len;
  return (const CxChannelSwitch *)f->matrix->data;
}

/* ---------- the journey map ---------- */

typedef struct {
  GString *note; /* annotation lines */
  gboolean hot;
} Mark;

static Mark *
mark_for(GHashTable *h, const char *key)
{
  Mark *m = g_hash_table_lookup(h, key);
  if (m == NULL) {
    m = g_new0(Mark, 1);
    m->note = g_string_new(NULL);
    g_hash_table_insert(h, g_strdup(key), m);
  }
  return m;
}

static void
mark_free(gpointer p)
{
  Mark *m = p;
  g_string_free(m->note, TRUE);
  g_free(m);
}

static char *
edge_key(const char *a, const char *b)
{
  return g_strdup_printf("%s\x1f%s", a, b);
}

void
cx_friction_to_dot(CxFriction *f, GString *out, guint top)
{
  CxPool *acts = cx_log_activities(f->log);
  g_autoptr(GHashTable) nodes = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, mark_free);
  g_autoptr(GHashTable) edges = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, mark_free);
  g_autofree char *name = cx_log_display_name(f->log);
  g_autofree char *title = g_strdup_printf("Friction map of %s", name);
  g_autoptr(CxDot) dot = cx_dot_new(title, "TB");
  guint nf = f->findings->len;
  if (top > 0 && nf > top)
    nf = top;
  for (guint i = 0; i < nf; i++) {
    const CxFinding *fd = &g_array_index(f->findings, CxFinding, i);
    g_autofree char *impact = cx_format_duration(fd->impact_s);
    g_autofree char *line = g_strdup_printf("#%u %s: %" G_GUINT64_FORMAT " cases, +%s", i + 1,
                                            cx_finding_kind_name(fd->kind), fd->cases, impact);
    /* a short legend line; the report has the sentences */
    g_autoptr(GString) legend = g_string_new(NULL);
    g_string_append_printf(legend, "#%u %s", i + 1, cx_finding_kind_name(fd->kind));
    if (fd->n_names > 0 && fd->kind != CX_FINDING_CHANNEL_SWITCH)
      g_string_append_printf(legend, " '%s'", fd->names[0]);
    if (fd->n_names > 1 && fd->kind != CX_FINDING_CHANNEL_SWITCH)
      g_string_append_printf(legend, fd->kind == CX_FINDING_PINGPONG ? " <-> '%s'" : " -> '%s'",
                             fd->names[1]);
    if (fd->measure != NULL)
      g_string_append_printf(legend, " (%s)", fd->measure);
    g_string_append_printf(legend, ": %" G_GUINT64_FORMAT " cases, +%s customer time", fd->cases,
                           impact);
    cx_dot_legend(dot, legend->str);
    Mark *m = NULL;
    gboolean is_edge = fd->n_names == 2 && fd->kind != CX_FINDING_CHANNEL_SWITCH;
    if (is_edge) {
      g_autofree char *k = edge_key(fd->names[0], fd->names[1]);
      m = mark_for(edges, k);
      if (fd->kind == CX_FINDING_PINGPONG) {
        g_autofree char *k2 = edge_key(fd->names[1], fd->names[0]);
        Mark *back = mark_for(edges, k2);
        back->hot = TRUE;
      }
    } else if (fd->n_names == 1) {
      m = mark_for(nodes, fd->names[0]);
    }
    if (m != NULL) {
      m->hot = TRUE;
      g_string_append_printf(m->note, "%s%s", m->note->len ? "\n" : "", line);
    }
  }
  /* nodes: activities by frequency; edges taken by enough cases, or marked */
  /* edges taken by at least 5% of the cases (or marked) keep the map readable */
  guint64 min_edge = MAX(1, (guint64)ceil(0.05 * (double)f->cases->len));
  g_autoptr(GArray) order = g_array_new(FALSE, FALSE, sizeof(guint32));
  for (guint32 a = 1; a < f->acts->len; a++)
    if (g_array_index(f->acts, Act, a).cases != NULL)
      g_array_append_val(order, a);
  guint64 max_count = 1;
  for (guint i = 0; i < order->len; i++) {
    guint64 c = g_array_index(f->acts, Act, g_array_index(order, guint32, i)).count;
    max_count = MAX(max_count, c);
  }
  /* which edges are drawn, and so which activities are on the map */
  g_autofree guint8 *drawn = g_new0(guint8, f->edges->len);
  g_autofree guint8 *on_map = g_new0(guint8, f->acts->len);
  guint left_out = 0;
  for (guint i = 0; i < f->edges->len; i++) {
    const Pair *e = g_ptr_array_index(f->edges, i);
    g_autofree char *k = edge_key(cx_pool_get(acts, e->from), cx_pool_get(acts, e->to));
    drawn[i] = e->cases->len >= min_edge || g_hash_table_contains(edges, k);
    if (drawn[i] && e->from < f->acts->len && e->to < f->acts->len)
      on_map[e->from] = on_map[e->to] = 1;
  }
  for (guint i = 0; i < order->len; i++) {
    guint32 a = g_array_index(order, guint32, i);
    const Act *A = &g_array_index(f->acts, Act, a);
    const char *an = cx_pool_get(acts, a);
    Mark *m = g_hash_table_lookup(nodes, an);
    if (m == NULL && !on_map[a] && order->len > 1) {
      left_out++;
      continue;
    }
    char fill[8];
    cx_dot_color(CX_DOT_PALETTE_BLUE, cx_dot_scale((double)A->count, (double)max_count), fill);
    g_autofree char *label = g_strdup_printf("%s\n%" G_GUINT64_FORMAT "%s%s", an, A->count,
                                             m ? "\n" : "", m ? m->note->str : "");
    CxDotStyle st = { 0 };
    st.label = label;
    st.fill = fill;
    st.fontcolor
        = cx_dot_text_color(CX_DOT_PALETTE_BLUE, cx_dot_scale((double)A->count, (double)max_count));
    if (m != NULL) {
      st.color = "#d7301f";
      st.penwidth = 3;
      st.style = "bold";
    }
    cx_dot_node(dot, an, &st);
  }
  guint64 max_edge = 1;
  for (guint i = 0; i < f->edges->len; i++)
    max_edge = MAX(max_edge, ((Pair *)g_ptr_array_index(f->edges, i))->count);
  for (guint i = 0; i < f->edges->len; i++) {
    const Pair *e = g_ptr_array_index(f->edges, i);
    const char *a = cx_pool_get(acts, e->from), *b = cx_pool_get(acts, e->to);
    g_autofree char *k = edge_key(a, b);
    Mark *m = g_hash_table_lookup(edges, k);
    if (!drawn[i])
      continue;
    g_autofree char *label = g_strdup_printf("%" G_GUINT64_FORMAT "%s%s", e->count,
                                             m && m->note->len ? "\n" : "", m ? m->note->str : "");
    CxDotStyle st = { 0 };
    st.label = label;
    st.penwidth = cx_dot_penwidth((double)e->count, (double)max_edge);
    if (m != NULL) {
      st.color = "#d7301f";
      st.fontcolor = "#d7301f";
      st.penwidth = MAX(st.penwidth, 3);
    } else {
      st.color = "#888888";
    }
    cx_dot_edge(dot, a, b, &st);
  }
  if (left_out > 0) {
    g_autofree char *note = g_strdup_printf("(steps taken by fewer than 5%% of the cases are not "
                                            "drawn, nor %u activities only on them)",
                                            left_out);
    cx_dot_legend(dot, note);
  }
  cx_dot_write(dot, out);
}
