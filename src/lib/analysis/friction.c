/* Friction: one scan collects per-activity, per-edge, per-pair evidence and
 * a compact record per case; finish turns them into ranked findings. */
#include "hash-private.h"
#include "transitions-private.h"
#include "cxmine/friction.h"
#include "cxmine/case-ids.h"
#include "cxmine/outcome.h"
#include "cxmine/dot-writer.h"
#include "cxmine/output.h"
#include "cxmine/summary.h"
#include "cxmine/stattest.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const kind_names[CX_FINDING_N_KINDS]
    = { "bottleneck", "rework",        "pingpong", "dropoff",        "channel_switch", "negative",
        "effort",     "inconsistency", "loop",     "repeat_contact", "drift" };

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
  o->success_margin = 0.10;
  o->repeat_window_us = 7 * G_GINT64_CONSTANT(86400) * CX_USEC_PER_SEC;
  o->rank = CX_FRICTION_RANK_CUSTOMERS;
  o->drift = TRUE;
}

guint64
cx_friction_customers_lost(guint64 cases, double success_with, double success_without)
{
  double d = success_without - success_with;
  if (isnan(d) || d <= 0)
    return 0;
  return (guint64)llround((double)cases * d);
}

double
cx_friction_extra_time(guint64 cases, double median_with_s, double median_without_s)
{
  double d = median_with_s - median_without_s;
  if (isnan(d) || d <= 0)
    return 0;
  return (double)cases * d;
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
  return (gsize)cx_u64_mix(k);
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
  gint64 first, last;
  double sat; /* satisfaction score, NaN when none */
  guint32 case_id;
  guint32 end;
  guint32 steps;
  guint32 touches;
  guint32 switches;
  guint32 outcome; /* CxOutcomeKind, after finish */
} CaseRec;

/* A repetition of an activity in a case, and what explains it. */
#define REP_NONE 0u /* a self-loop, or a repeat no cycle explains */

typedef struct {
  guint32 c;
  guint32 cycle;   /* the turn's cycle: index + 1, or REP_NONE */
  guint32 contact; /* on another channel within the repeat window */
} Rep;

typedef struct {
  guint32 stamp; /* case index + 1 of the last case containing it */
  guint32 in_case;
  guint32 first_pos, last_pos; /* in the current case */
  guint32 last_chan;
  gint64 last_time;
  guint64 count;
  GArray *cases; /* guint32 */
  GArray *reps;  /* Rep */
  GArray *svc;   /* double seconds */
  GArray *svc_case;
  int negative;
  Map pred;         /* negative only: predecessor id -> count */
  GArray *pred_cnt; /* guint64 counts for pred values */
} Act;

typedef struct {
  guint32 from, to;
  guint32 stamp;
  guint64 count;
  GArray *cases; /* guint32 */
  GArray *waits; /* double seconds */
  GArray *wait_case;
} Pair;

/* A cycle: the activities of one turn, rotated so the smallest id is first. */
typedef struct {
  guint32 len;
  guint32 ids[CX_FRICTION_MAX_LOOP + CX_FRICTION_LOOP_DETOURS];
  guint32 stamp;
  guint64 turns;
  guint64 votes[CX_FRICTION_MAX_LOOP + CX_FRICTION_LOOP_DETOURS]; /* entry step per case */
  GArray *cases;                                                  /* guint32 */
  int root;     /* after finish: the cycle it is a detour of, or itself */
  int reported; /* after finish */
} Cycle;

#define MAX_TURN (CX_FRICTION_MAX_LOOP + CX_FRICTION_LOOP_DETOURS)

struct _CxFriction {
  CxLog *log;
  CxFrictionOptions opts;
  char **success;  /* owned copies */
  char **negative; /* lower-cased globs */
  char *sat_key;
  guint32 sat_key_id; /* G_MAXUINT32 until looked up */
  GPtrArray *neg_specs;
  GPtrArray *ret_specs;
  CxOutcome *outcome;

  GArray *cases; /* CaseRec */
  GArray *acts;  /* Act, by activity id */
  GArray *res_stamp;
  GPtrArray *edges; /* Pair* */
  Map edge_map;
  GPtrArray *chs; /* Pair*, channel pairs */
  Map ch_map;
  GArray *cycles; /* Cycle */
  Map cycle_map;  /* sequence hash -> index + 1 */

  /* after finish */
  GArray *all;          /* CxFinding: every finding found */
  GPtrArray *lists;     /* GArray* of guint32 cases, by CxFinding.index */
  GArray *findings;     /* CxFinding with a cost, ranked */
  GArray *with_success; /* CxFinding */
  GArray *folded;       /* CxFinding, referenced by also */
  GArray *waits;        /* CxFrictionWait */
  GArray *funnel;       /* CxFunnelStep */
  GArray *matrix;       /* CxChannelSwitch */
  GArray *order;        /* guint32 case indices with a duration, by duration */
  GArray *mark;         /* guint32 generation per case */
  GArray *kinds;        /* guint32 per case: 1 << CxFindingKind of its findings */
  GArray *ids_buf;      /* guint32 case ids handed out */
  guint32 gen;
  guint64 finished, succeeded, n_scored;
  guint64 n_instances, n_status; /* instances, those with a lifecycle outside start/complete */
  char *status_hint;
  double total_time_s;
  double sat_sum;
  gboolean has_channels;
};

/* A sum of durations that does not depend on the order of its terms:
 * integer microseconds in 128 bits (never overflows for any log). */
__extension__ typedef __int128 ExactSum;

static inline gint64
exact_usec(double seconds)
{
  return (gint64)llround(seconds * 1e6);
}

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
  g_array_free(a->reps, TRUE);
  g_array_free(a->svc, TRUE);
  g_array_free(a->svc_case, TRUE);
  map_clear(&a->pred);
  if (a->pred_cnt != NULL)
    g_array_free(a->pred_cnt, TRUE);
  *a = (Act){ 0 };
}

static GPtrArray *
compile_globs(const char *const *globs, char ***lowered)
{
  GPtrArray *specs = g_ptr_array_new_with_free_func((GDestroyNotify)g_pattern_spec_free);
  if (lowered != NULL)
    *lowered = g_new0(char *, g_strv_length((char **)globs) + 1);
  guint k = 0;
  for (const char *const *p = globs; *p != NULL; p++) {
    g_autofree char *s = g_strstrip(g_utf8_strdown(*p, -1));
    if (*s == '\0')
      continue;
    g_ptr_array_add(specs, g_pattern_spec_new(s));
    if (lowered != NULL)
      (*lowered)[k++] = g_steal_pointer(&s);
  }
  return specs;
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
  f->neg_specs = compile_globs(neg, &f->negative);
  f->opts.negative = (const char *const *)f->negative;
  g_auto(GStrv) ret = g_strsplit(CX_FRICTION_RETURN_PATTERNS, ",", -1);
  f->ret_specs = compile_globs((const char *const *)ret, NULL);
  f->sat_key = g_strdup(f->opts.satisfaction_key);
  f->opts.satisfaction_key = f->sat_key;
  f->sat_key_id = G_MAXUINT32;
  if (f->sat_key != NULL)
    cx_read_options_want_attr(cx_log_options(log), f->sat_key);
  f->outcome = cx_outcome_new(log, f->opts.success, f->opts.open_after_us);
  f->cases = g_array_new(FALSE, FALSE, sizeof(CaseRec));
  f->acts = g_array_new(FALSE, TRUE, sizeof(Act));
  f->res_stamp = g_array_new(FALSE, TRUE, sizeof(guint32));
  f->edges = g_ptr_array_new_with_free_func(pair_free);
  f->chs = g_ptr_array_new_with_free_func(pair_free);
  f->cycles = g_array_new(FALSE, FALSE, sizeof(Cycle));
  f->all = g_array_new(FALSE, FALSE, sizeof(CxFinding));
  f->lists = g_ptr_array_new_with_free_func((GDestroyNotify)g_array_unref);
  f->findings = g_array_new(FALSE, FALSE, sizeof(CxFinding));
  f->with_success = g_array_new(FALSE, FALSE, sizeof(CxFinding));
  f->folded = g_array_new(FALSE, FALSE, sizeof(CxFinding));
  f->waits = g_array_new(FALSE, FALSE, sizeof(CxFrictionWait));
  f->funnel = g_array_new(FALSE, FALSE, sizeof(CxFunnelStep));
  f->matrix = g_array_new(FALSE, FALSE, sizeof(CxChannelSwitch));
  f->order = g_array_new(FALSE, FALSE, sizeof(guint32));
  f->mark = g_array_new(FALSE, TRUE, sizeof(guint32));
  f->kinds = g_array_new(FALSE, TRUE, sizeof(guint32));
  f->ids_buf = g_array_new(FALSE, FALSE, sizeof(guint32));
  return f;
}

static void
clear_results(CxFriction *f)
{
  g_array_set_size(f->all, 0);
  g_ptr_array_set_size(f->lists, 0);
  g_array_set_size(f->findings, 0);
  g_array_set_size(f->with_success, 0);
  g_array_set_size(f->folded, 0);
  g_array_set_size(f->waits, 0);
  g_array_set_size(f->funnel, 0);
  g_array_set_size(f->matrix, 0);
  g_array_set_size(f->order, 0);
  g_array_set_size(f->mark, 0);
  g_array_set_size(f->kinds, 0);
  f->gen = 0;
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
  g_ptr_array_set_size(f->chs, 0);
  for (guint i = 0; i < f->cycles->len; i++)
    g_array_free(g_array_index(f->cycles, Cycle, i).cases, TRUE);
  g_array_set_size(f->cycles, 0);
  f->n_instances = f->n_status = 0;
  map_clear(&f->edge_map);
  map_clear(&f->ch_map);
  map_clear(&f->cycle_map);
  clear_results(f);
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
  g_free(f->sat_key);
  g_free(f->status_hint);
  g_ptr_array_free(f->neg_specs, TRUE);
  g_ptr_array_free(f->ret_specs, TRUE);
  g_array_free(f->cases, TRUE);
  g_array_free(f->acts, TRUE);
  g_array_free(f->res_stamp, TRUE);
  g_ptr_array_free(f->edges, TRUE);
  g_ptr_array_free(f->chs, TRUE);
  g_array_free(f->cycles, TRUE);
  g_array_free(f->all, TRUE);
  g_ptr_array_free(f->lists, TRUE);
  g_array_free(f->findings, TRUE);
  g_array_free(f->with_success, TRUE);
  g_array_free(f->folded, TRUE);
  g_array_free(f->waits, TRUE);
  g_array_free(f->funnel, TRUE);
  g_array_free(f->matrix, TRUE);
  g_array_free(f->order, TRUE);
  g_array_free(f->mark, TRUE);
  g_array_free(f->kinds, TRUE);
  g_array_free(f->ids_buf, TRUE);
  g_free(f);
}

static gboolean
matches(GPtrArray *specs, const char *name)
{
  g_autofree char *low = g_utf8_strdown(name, -1);
  for (guint i = 0; i < specs->len; i++)
    if (g_pattern_spec_match_string(g_ptr_array_index(specs, i), low))
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
    A->reps = g_array_new(FALSE, FALSE, sizeof(Rep));
    A->svc = g_array_new(FALSE, FALSE, sizeof(double));
    A->svc_case = g_array_new(FALSE, FALSE, sizeof(guint32));
    A->negative = matches(f->neg_specs, cx_pool_get(cx_log_activities(f->log), a));
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

static guint64
seq_hash(const guint32 *ids, guint len)
{
  guint64 h = G_GUINT64_CONSTANT(1469598103934665603) ^ len;
  for (guint i = 0; i < len; i++)
    h = (h ^ ids[i]) * G_GUINT64_CONSTANT(1099511628211);
  return h;
}

/* Rotates @ids (@len) so the smallest id is first. */
static void
canonical(guint32 *ids, guint len)
{
  guint m = 0;
  for (guint i = 1; i < len; i++)
    if (ids[i] < ids[m])
      m = i;
  guint32 tmp[MAX_TURN];
  for (guint i = 0; i < len; i++)
    tmp[i] = ids[(m + i) % len];
  memcpy(ids, tmp, len * sizeof(guint32));
}

/* The index of the cycle of the canonical @ids, or -1 (with @add, a new one). */
static int
cycle_find(CxFriction *f, const guint32 *ids, guint len, gboolean add)
{
  guint64 h = seq_hash(ids, len);
  for (;;) {
    guint32 v = map_get(&f->cycle_map, h);
    if (v == 0)
      break;
    Cycle *cy = &g_array_index(f->cycles, Cycle, v - 1);
    if (cy->len == len && memcmp(cy->ids, ids, len * sizeof(guint32)) == 0)
      return (int)v - 1;
    h++; /* a hash collision: probe the next key */
  }
  if (!add)
    return -1;
  Cycle cy = { 0 };
  cy.len = len;
  memcpy(cy.ids, ids, len * sizeof(guint32));
  cy.cases = g_array_new(FALSE, FALSE, sizeof(guint32));
  cy.root = -1;
  g_array_append_val(f->cycles, cy);
  map_put(&f->cycle_map, h, f->cycles->len);
  return (int)f->cycles->len - 1;
}

/* A turn: ins[from..to-1] led back to ins[to]'s activity.  Returns the
 * cycle's index + 1, or REP_NONE when the turn repeats an activity or is too
 * long. */
static guint32
record_turn(CxFriction *f, const CxEvent *ins, guint from, guint to, guint32 stamp)
{
  guint len = to - from;
  if (len < 2 || len > MAX_TURN)
    return REP_NONE;
  guint32 ids[MAX_TURN];
  for (guint i = 0; i < len; i++) {
    ids[i] = ins[from + i].activity;
    for (guint k = 0; k < i; k++)
      if (ids[k] == ids[i])
        return REP_NONE;
  }
  canonical(ids, len);
  int idx = cycle_find(f, ids, len, TRUE);
  Cycle *cy = &g_array_index(f->cycles, Cycle, idx);
  cy->turns++;
  if (cy->stamp != stamp) {
    cy->stamp = stamp;
    guint32 c = stamp - 1;
    g_array_append_val(cy->cases, c);
    /* the entry step: the member this case reached first */
    guint best = 0;
    guint32 best_pos = G_MAXUINT32;
    for (guint i = 0; i < len; i++) {
      guint32 p = g_array_index(f->acts, Act, cy->ids[i]).first_pos;
      if (p < best_pos) {
        best_pos = p;
        best = i;
      }
    }
    cy->votes[best]++;
  }
  return (guint32)idx + 1;
}

/* The satisfaction score of @j, NaN when it has none or it is no number. */
static double
read_satisfaction(CxFriction *f, const CxJourney *j)
{
  if (f->sat_key == NULL)
    return NAN;
  if (f->sat_key_id == G_MAXUINT32 || f->sat_key_id == CX_ID_NONE) {
    guint32 id = cx_pool_lookup(cx_log_keys(f->log), f->sat_key, -1);
    if (id == G_MAXUINT32)
      return NAN;
    f->sat_key_id = id;
  }
  return cx_journey_attr_number(j, cx_log_values(f->log), f->sat_key_id);
}

gboolean
cx_friction_add(const CxJourney *j, gpointer data, GError **error)
{
  CxFriction *f = data;
  (void)error;
  if (j->n_instances == 0)
    return TRUE;
  cx_outcome_add(j, f->outcome, NULL);
  guint32 c = f->cases->len;
  guint32 stamp = c + 1;
  const CxEvent *ins = j->instances;
  CaseRec r = { 0 };
  const CxCalendar *cal = cx_log_options(f->log)->calendar;
  r.dur = cx_journey_elapsed(j, cal);
  r.first = cx_journey_first_time(j);
  r.last = cx_journey_last_time(j);
  r.end = ins[j->n_instances - 1].activity;
  r.steps = j->n_instances;
  r.case_id = j->case_id;
  r.sat = read_satisfaction(f, j);
  gint64 window = f->opts.repeat_window_us;
  f->n_instances += j->n_instances;
  for (guint i = 0; i < j->n_instances; i++) {
    const CxEvent *e = &ins[i];
    guint32 a = e->activity;
    f->n_status += (e->flags & CX_EVENT_LIFECYCLE_MASK) == CX_LIFECYCLE_OTHER;
    Act *A = act_get(f, a);
    A->count++;
    gint64 t_at = e->start != CX_TS_NONE ? e->start : e->time;
    if (A->stamp != stamp) {
      A->stamp = stamp;
      A->in_case = 1;
      A->first_pos = i;
      g_array_append_val(A->cases, c);
    } else {
      A->in_case++;
      Rep rep = { c, REP_NONE, 0 };
      rep.contact = e->channel != CX_ID_NONE && A->last_chan != CX_ID_NONE
                    && e->channel != A->last_chan && t_at != CX_TS_NONE
                    && A->last_time != CX_TS_NONE && t_at - A->last_time <= window;
      /* a contact again on another channel with one step between (an
       * acknowledgement, a reply) is a repeat contact, not a ping-pong */
      if (i - A->last_pos >= (rep.contact ? 3u : 2u))
        rep.cycle = record_turn(f, ins, A->last_pos, i, stamp);
      g_array_append_val(A->reps, rep);
    }
    A->last_pos = i;
    A->last_chan = e->channel;
    A->last_time = e->time != CX_TS_NONE ? e->time : t_at;
    gint64 us;
    if (cx_transition_service(cal, e, &us)) {
      double s = cx_transition_seconds(us);
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
    double w = NAN;
    if (cx_transition_wait(cal, p, e, &us)) {
      w = cx_transition_seconds(us);
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
  }
  g_array_append_val(f->cases, r);
  return TRUE;
}

/* ---------- finish ---------- */

static int
cmp_case_dur(gconstpointer a, gconstpointer b, gpointer data)
{
  const CxFriction *f = data;
  guint32 x = *(const guint32 *)a, y = *(const guint32 *)b;
  const CaseRec *ca = &g_array_index(f->cases, CaseRec, x);
  const CaseRec *cb = &g_array_index(f->cases, CaseRec, y);
  if (ca->dur != cb->dur)
    return ca->dur < cb->dur ? -1 : 1;
  return x < y ? -1 : x > y;
}

static gboolean
enough(const CxFriction *f, guint64 n)
{
  guint64 total = f->cases->len;
  return n > 0 && n >= f->opts.min_cases && (double)n >= f->opts.min_share * (double)total - 1e-9;
}

/* The two medians of the marked (gen) and unmarked cases with a duration. */
static void
medians(CxFriction *f, guint64 with_dur, double *with, double *without)
{
  const guint32 *mark = (const guint32 *)f->mark->data;
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
  *with = with_dur > 0 ? (mw[0] + mw[1]) / 2 : NAN;
  *without = without_dur > 0 ? (mo[0] + mo[1]) / 2 : NAN;
}

/* Fills the cases, share, comparison and both currencies of @fd from the
 * ascending case list @L; success without it is taken among @reached (the
 * cases that reached its first step; NULL = all). */
static void
compare(CxFriction *f, CxFinding *fd, const GArray *L, const GArray *reached)
{
  guint64 n = f->cases->len;
  f->gen++;
  guint32 *mark = (guint32 *)f->mark->data;
  guint32 *kinds = (guint32 *)f->kinds->data;
  guint64 with_dur = 0, with_fin = 0, with_succ = 0, with_sat = 0;
  double sat_sum = 0;
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
    if (!isnan(r->sat)) {
      with_sat++;
      sat_sum += r->sat;
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
      const CaseRec *r = &g_array_index(f->cases, CaseRec, c);
      if (mark[c] == f->gen || r->outcome == CX_OUTCOME_OPEN)
        continue;
      fin_o++;
      succ_o += r->outcome == CX_OUTCOME_SUCCESS;
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

/* Appends a finding of @kind over the cases @L (copied) and compares them. */
static CxFinding *
push(CxFriction *f, CxFindingKind kind, const char *a, const char *b, const GArray *L,
     const GArray *reached)
{
  CxFinding fd = { 0 };
  fd.kind = kind;
  fd.names[0] = a;
  fd.names[1] = b;
  fd.n_names = a == NULL ? 0 : b == NULL ? 1 : 2;
  fd.median_s = fd.p90_s = fd.total_s = fd.wait_share = NAN;
  fd.threshold = fd.typical = NAN;
  fd.level_start = fd.level_end = fd.load_start = fd.load_end = fd.p = fd.q = NAN;
  fd.index = f->lists->len;
  g_ptr_array_add(f->lists, g_array_copy((GArray *)L));
  compare(f, &fd, L, reached);
  g_array_append_val(f->all, fd);
  return &g_array_index(f->all, CxFinding, f->all->len - 1);
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
  guint32 first; /* the activity reached first */
  const char *measure;
  const GArray *vals, *cases; /* samples and their cases */
  const GArray *members;      /* cases showing it */
  CxSummary sum;
  double ratio;
  int cls; /* 0 regular, 1 after success, 2 until return */
} Timing;

static void
timing_summary(Timing *t)
{
  g_autoptr(GArray) copy = g_array_sized_new(FALSE, FALSE, sizeof(double), t->vals->len);
  g_array_append_vals(copy, t->vals->data, t->vals->len);
  cx_summary_compute((double *)copy->data, copy->len, &t->sum);
  t->ratio = t->sum.median > 0 ? t->sum.p90 / t->sum.median : NAN;
}

/* All samples of the regular timings, sorted, with the timing each came
 * from: the median of the others is then one walk, not one sort per wait. */
typedef struct {
  double v;
  guint owner;
} Owned;

static GArray *
owned_samples(GArray *timings)
{
  g_autoptr(GArray) vals = g_array_new(FALSE, FALSE, sizeof(double));
  g_autoptr(GArray) owners = g_array_new(FALSE, FALSE, sizeof(guint));
  for (guint i = 0; i < timings->len; i++) {
    const Timing *t = &g_array_index(timings, Timing, i);
    if (t->cls != 0)
      continue;
    g_array_append_vals(vals, t->vals->data, t->vals->len);
    for (guint k = 0; k < t->vals->len; k++)
      g_array_append_val(owners, i);
  }
  /* by value, then owner: a stable sort of samples in owner order */
  g_autofree guint32 *order = g_new(guint32, MAX(vals->len, 1));
  cx_sort_doubles_order((const double *)vals->data, vals->len, order);
  GArray *all = g_array_sized_new(FALSE, FALSE, sizeof(Owned), vals->len);
  for (guint k = 0; k < vals->len; k++) {
    Owned o = { g_array_index(vals, double, order[k]), g_array_index(owners, guint, order[k]) };
    g_array_append_val(all, o);
  }
  return all;
}

/* The median (numpy's linear interpolation) of the samples of @all not
 * from timing @skip. */
static double
median_of_others(const GArray *all, guint skip, guint n_skip)
{
  guint m = all->len - n_skip;
  if (m == 0)
    return 0;
  guint lo = (m - 1) / 2, hi = m / 2, k = 0;
  double vlo = 0, vhi = 0;
  for (guint i = 0; i < all->len; i++) {
    const Owned *o = &g_array_index(all, Owned, i);
    if (o->owner == skip)
      continue;
    if (k == lo)
      vlo = o->v;
    if (k == hi) {
      vhi = o->v;
      break;
    }
    k++;
  }
  return (vlo + vhi) / 2;
}

static const GArray *
act_cases(CxFriction *f, guint32 a)
{
  if (a >= f->acts->len)
    return NULL;
  return g_array_index(f->acts, Act, a).cases;
}

static void
find_timings(CxFriction *f, GArray *timings, double total_all, gboolean svc)
{
  const CxFrictionOptions *o = &f->opts;
  if (!(total_all > 0))
    return;
  double cut = MIN(o->bottleneck_share, CX_FRICTION_BIG_WAIT_SHARE);
  g_autoptr(GArray) owned = NULL;
  for (guint i = 0; i < timings->len; i++) {
    Timing *t = &g_array_index(timings, Timing, i);
    double share = t->sum.total / total_all;
    if (share < cut || !(t->sum.median > 0))
      continue;
    if (t->cls != 0) {
      CxFrictionWait w
          = { t->a,       t->b,         t->cls == 1, t->members->len, t->sum.n, t->sum.median,
              t->sum.p90, t->sum.total, share };
      g_array_append_val(f->waits, w);
      continue;
    }
    if (!enough(f, t->members->len))
      continue;
    if (owned == NULL)
      owned = owned_samples(timings);
    double typical = median_of_others(owned, i, t->vals->len);
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
    if (!enough(f, sc->len))
      continue;
    CxFinding *fd = push(f, CX_FINDING_BOTTLENECK, t->a, t->b, sc, act_cases(f, t->first));
    fd->measure = t->measure;
    fd->occurrences = t->sum.n;
    fd->median_s = t->sum.median;
    fd->p90_s = t->sum.p90;
    fd->total_s = t->sum.total;
    fd->wait_share = share;
    fd->typical = typical;
    fd->threshold = limit;
  }
  /* inconsistency: far more spread than the rest */
  g_autoptr(GArray) ratios = g_array_new(FALSE, FALSE, sizeof(double));
  for (guint i = 0; i < timings->len; i++) {
    Timing *t = &g_array_index(timings, Timing, i);
    if (t->cls == 0 && t->sum.n >= o->inconsistency_min_samples && !isnan(t->ratio))
      g_array_append_val(ratios, t->ratio);
  }
  if (ratios->len == 0)
    return;
  cx_sort_doubles((double *)ratios->data, ratios->len);
  double typical = cx_quantile_sorted((double *)ratios->data, ratios->len, 0.5);
  for (guint i = 0; i < timings->len; i++) {
    Timing *t = &g_array_index(timings, Timing, i);
    if (t->cls != 0 || t->sum.n < o->inconsistency_min_samples || isnan(t->ratio)
        || t->ratio < o->inconsistency_ratio || t->ratio < 2 * typical
        || !enough(f, t->members->len))
      continue;
    g_autoptr(GArray) sc = slow_cases(t->vals, t->cases, o->inconsistency_slow * t->sum.median);
    if (!enough(f, sc->len))
      continue;
    CxFinding *fd = push(f, CX_FINDING_INCONSISTENCY, t->a, t->b, sc, act_cases(f, t->first));
    fd->measure = t->measure;
    fd->occurrences = t->sum.n;
    fd->median_s = t->sum.median;
    fd->p90_s = t->sum.p90;
    fd->total_s = t->sum.total;
    fd->threshold = t->ratio;
    fd->typical = typical;
  }
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
  CxFinding *fd = push(f, CX_FINDING_EFFORT, NULL, NULL, L, NULL);
  fd->measure = touches ? "touches" : "steps";
  fd->threshold = limit;
  fd->typical = med;
}

/* ---------- cycles ---------- */

static int
cmp_cycle_len(gconstpointer a, gconstpointer b, gpointer data)
{
  const GArray *cycles = data;
  guint x = *(const guint *)a, y = *(const guint *)b;
  guint lx = g_array_index(cycles, Cycle, x).len, ly = g_array_index(cycles, Cycle, y).len;
  if (lx != ly)
    return lx < ly ? -1 : 1;
  return x < y ? -1 : x > y;
}

static int
cmp_guint32(gconstpointer a, gconstpointer b)
{
  guint32 x = *(const guint32 *)a, y = *(const guint32 *)b;
  return x < y ? -1 : x > y;
}

/* Finds each cycle's root (a turn with one detour step belongs to the cycle
 * without it) and reports the roots with enough cases. */
static void
find_cycles(CxFriction *f, CxPool *acts)
{
  guint nc = f->cycles->len;
  if (nc == 0)
    return;
  g_autoptr(GArray) by_len = g_array_sized_new(FALSE, FALSE, sizeof(guint), nc);
  for (guint i = 0; i < nc; i++)
    g_array_append_val(by_len, i);
  g_array_sort_with_data(by_len, cmp_cycle_len, f->cycles);
  for (guint k = 0; k < nc; k++) {
    guint i = g_array_index(by_len, guint, k);
    Cycle *cy = &g_array_index(f->cycles, Cycle, i);
    cy->root = (int)i;
    cy->reported = 0;
    if (cy->len < 4)
      continue;
    /* a detour: without one of its steps, the turn is a cycle of 3+ steps */
    guint best_cases = 0;
    for (guint d = 0; d < cy->len; d++) {
      guint32 ids[MAX_TURN];
      guint m = 0;
      for (guint x = 0; x < cy->len; x++)
        if (x != d)
          ids[m++] = cy->ids[x];
      canonical(ids, m);
      int j = cycle_find(f, ids, m, FALSE);
      if (j < 0)
        continue;
      cy = &g_array_index(f->cycles, Cycle, i);
      const Cycle *base = &g_array_index(f->cycles, Cycle, j);
      const Cycle *rt = &g_array_index(f->cycles, Cycle, base->root);
      if (base->root >= 0 && rt->len + CX_FRICTION_LOOP_DETOURS >= cy->len
          && rt->cases->len > best_cases) {
        best_cases = rt->cases->len;
        cy->root = base->root;
      }
    }
  }
  /* the same steps in another order (a panel of tests taken in any order)
   * are one cycle: the roots with one set of steps join the one with the
   * most cases */
  for (guint i = 0; i < nc; i++) {
    Cycle *cy = &g_array_index(f->cycles, Cycle, i);
    if (cy->root != (int)i || cy->len < 3)
      continue;
    guint32 a[MAX_TURN];
    memcpy(a, cy->ids, cy->len * sizeof(guint32));
    qsort(a, cy->len, sizeof(guint32), (int (*)(const void *, const void *))cmp_guint32);
    for (guint j = 0; j < i; j++) {
      Cycle *other = &g_array_index(f->cycles, Cycle, j);
      if (other->root != (int)j || other->len != cy->len)
        continue;
      guint32 b[MAX_TURN];
      memcpy(b, other->ids, other->len * sizeof(guint32));
      qsort(b, other->len, sizeof(guint32), (int (*)(const void *, const void *))cmp_guint32);
      if (memcmp(a, b, cy->len * sizeof(guint32)) != 0)
        continue;
      int keep = other->cases->len >= cy->cases->len ? (int)j : (int)i;
      int gone = keep == (int)i ? (int)j : (int)i;
      for (guint k = 0; k < nc; k++)
        if (g_array_index(f->cycles, Cycle, k).root == gone)
          g_array_index(f->cycles, Cycle, k).root = keep;
      break;
    }
  }
  /* gather the cases, turns and entry votes of each root */
  for (guint i = 0; i < nc; i++) {
    Cycle *cy = &g_array_index(f->cycles, Cycle, i);
    if (cy->root != (int)i || cy->len > CX_FRICTION_MAX_LOOP)
      continue;
    f->gen++;
    guint32 *mark = (guint32 *)f->mark->data;
    g_autoptr(GArray) L = g_array_new(FALSE, FALSE, sizeof(guint32));
    guint64 turns = 0, votes[MAX_TURN] = { 0 };
    for (guint j = 0; j < nc; j++) {
      const Cycle *ch = &g_array_index(f->cycles, Cycle, j);
      if (ch->root != (int)i)
        continue;
      turns += ch->turns;
      for (guint k = 0; k < ch->cases->len; k++) {
        guint32 c = g_array_index(ch->cases, guint32, k);
        if (mark[c] != f->gen) {
          mark[c] = f->gen;
          g_array_append_val(L, c);
        }
      }
      for (guint k = 0; k < ch->len; k++)
        for (guint x = 0; x < cy->len; x++)
          if (cy->ids[x] == ch->ids[k])
            votes[x] += ch->votes[k];
    }
    if (!enough(f, L->len))
      continue;
    g_array_sort(L, cmp_guint32);
    guint entry = 0;
    for (guint x = 1; x < cy->len; x++)
      if (votes[x] > votes[entry])
        entry = x;
    guint32 first = cy->ids[entry];
    guint len = cy->len;
    guint32 ids[MAX_TURN];
    for (guint x = 0; x < len; x++)
      ids[x] = cy->ids[(entry + x) % len];
    cy->reported = 1;
    CxFinding *fd = push(f, len == 2 ? CX_FINDING_PINGPONG : CX_FINDING_LOOP, NULL, NULL, L,
                         act_cases(f, first));
    fd->n_names = len;
    for (guint x = 0; x < len; x++)
      fd->names[x] = cx_pool_get(acts, ids[x]);
    fd->occurrences = turns;
  }
}

/* A repeat a reported cycle explains. */
static gboolean
rep_in_cycle(CxFriction *f, const Rep *rep)
{
  if (rep->cycle == REP_NONE)
    return FALSE;
  const Cycle *cy = &g_array_index(f->cycles, Cycle, rep->cycle - 1);
  return cy->root >= 0 && g_array_index(f->cycles, Cycle, cy->root).reported;
}

/* ---------- drift ---------- */

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

static double
median_copy(const GArray *vals)
{
  if (vals->len == 0)
    return NAN;
  g_autoptr(GArray) c = g_array_copy((GArray *)vals);
  cx_sort_doubles((double *)c->data, c->len);
  return cx_quantile_sorted((double *)c->data, c->len, 0.5);
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
    d->level[0] = median_copy(w0);
    d->level[1] = median_copy(w1);
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

static int
edge_class(CxFriction *f, guint32 from, guint32 to, CxPool *acts)
{
  if (matches(f->ret_specs, cx_pool_get(acts, to)))
    return 2;
  if (cx_outcome_is_success_step(f->outcome, from))
    return 1;
  return 0;
}

static void
find_drift(CxFriction *f, CxPool *acts)
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
    if (A->cases == NULL || !A->negative || !enough(f, A->cases->len))
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
    if (e->waits->len < 20 * W || !enough(f, e->cases->len)
        || edge_class(f, e->from, e->to, acts) != 0)
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
    if (A->cases == NULL || A->svc->len < 20 * W || !enough(f, A->cases->len))
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
    if (!enough(f, last->len))
      continue;
    if (isnan(load0)) {
      load0 = load_in(f, t0, t0 + (gint64)span);
      load1 = load_in(f, t1 - (gint64)span, t1);
    }
    CxFinding *fd = push(f, CX_FINDING_DRIFT, d->a, d->b, last, NULL);
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
    compare(f, &tmp, first, NULL);
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

/* ---------- ranking and folding ---------- */

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

/* Jaccard index of two ascending case lists. */
static double
jaccard(const GArray *a, const GArray *b)
{
  guint na = a->len, nb = b->len;
  if (na == 0 || nb == 0)
    return 0;
  if ((double)MIN(na, nb) < CX_FRICTION_FOLD_JACCARD * (double)MAX(na, nb))
    return 0;
  const guint32 *x = (const guint32 *)a->data, *y = (const guint32 *)b->data;
  guint i = 0, j = 0, both = 0;
  while (i < na && j < nb) {
    if (x[i] == y[j]) {
      both++;
      i++;
      j++;
    } else if (x[i] < y[j]) {
      i++;
    } else {
      j++;
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
    const GArray *L = g_ptr_array_index(f->lists, fd->index);
    parent[i] = -1;
    for (guint k = 0; k < kept->len && parent[i] < 0; k++) {
      guint p = g_array_index(kept, guint, k);
      const CxFinding *top = &g_array_index(sorted, CxFinding, p);
      if (jaccard(L, g_ptr_array_index(f->lists, top->index)) >= CX_FRICTION_FOLD_JACCARD)
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
  double n = (double)MAX(1, f->cases->len);
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

void
cx_friction_finish(CxFriction *f)
{
  const CxFrictionOptions *o = &f->opts;
  CxPool *acts = cx_log_activities(f->log), *chans = cx_log_channels(f->log);
  clear_results(f);
  cx_outcome_finish(f->outcome);
  guint n = f->cases->len;
  g_array_set_size(f->mark, n);
  g_array_set_size(f->kinds, n);
  f->finished = f->succeeded = f->n_scored = 0;
  f->total_time_s = 0;
  f->sat_sum = 0;
  ExactSum time_us = 0;
  for (guint32 c = 0; c < n; c++) {
    CaseRec *r = &g_array_index(f->cases, CaseRec, c);
    r->outcome = cx_outcome_get(f->outcome, c);
    if (r->outcome != CX_OUTCOME_OPEN) {
      f->finished++;
      f->succeeded += r->outcome == CX_OUTCOME_SUCCESS;
    }
    if (r->dur >= 0) {
      time_us += r->dur;
      g_array_append_val(f->order, c);
    }
    if (!isnan(r->sat)) {
      f->n_scored++;
      f->sat_sum += r->sat;
    }
  }
  f->total_time_s = (double)time_us / 1e6;
  if (f->order->len > 1)
    g_array_sort_with_data(f->order, cmp_case_dur, f);

  /* bottleneck and inconsistency: edges, then service times */
  {
    g_autoptr(GArray) tim = g_array_new(FALSE, FALSE, sizeof(Timing));
    /* exact (integer microseconds), so that the share does not depend on the
     * order of the journeys (../shared/DECISIONS.md) */
    ExactSum sum = 0;
    for (guint i = 0; i < f->edges->len; i++) {
      Pair *e = g_ptr_array_index(f->edges, i);
      for (guint k = 0; k < e->waits->len; k++)
        sum += exact_usec(g_array_index(e->waits, double, k));
      if (e->waits->len == 0)
        continue;
      Timing t = { cx_pool_get(acts, e->from),
                   cx_pool_get(acts, e->to),
                   e->from,
                   "wait",
                   e->waits,
                   e->wait_case,
                   e->cases,
                   { 0 },
                   NAN,
                   edge_class(f, e->from, e->to, acts) };
      timing_summary(&t);
      g_array_append_val(tim, t);
    }
    find_timings(f, tim, (double)sum / 1e6, FALSE);
    g_array_set_size(tim, 0);
    sum = 0;
    for (guint32 a = 0; a < f->acts->len; a++) {
      Act *A = &g_array_index(f->acts, Act, a);
      if (A->cases == NULL)
        continue;
      for (guint k = 0; k < A->svc->len; k++)
        sum += exact_usec(g_array_index(A->svc, double, k));
      if (A->svc->len == 0)
        continue;
      Timing t = { cx_pool_get(acts, a), NULL,     a,     "service", A->svc,
                   A->svc_case,          A->cases, { 0 }, NAN,       0 };
      timing_summary(&t);
      g_array_append_val(tim, t);
    }
    if (tim->len > 0)
      find_timings(f, tim, (double)sum / 1e6, TRUE);
    if (f->waits->len > 1)
      g_array_sort(f->waits, cmp_wait);
  }

  /* cycles first: rework is what they do not explain */
  find_cycles(f, acts);

  /* rework, repeat contacts and negative */
  for (guint32 a = 0; a < f->acts->len; a++) {
    Act *A = &g_array_index(f->acts, Act, a);
    if (A->cases == NULL)
      continue;
    /* a repeat in a reported cycle is the cycle's; else one on another
     * channel soon after is a repeat contact; else rework */
    g_autoptr(GArray) L = g_array_new(FALSE, FALSE, sizeof(guint32));
    g_autoptr(GArray) RC = g_array_new(FALSE, FALSE, sizeof(guint32));
    guint64 extra = 0, rc_extra = 0;
    for (guint k = 0; k < A->reps->len; k++) {
      const Rep *rep = &g_array_index(A->reps, Rep, k);
      if (rep_in_cycle(f, rep))
        continue;
      GArray *into = rep->contact ? RC : L;
      if (rep->contact)
        rc_extra++;
      else
        extra++;
      if (into->len == 0 || g_array_index(into, guint32, into->len - 1) != rep->c)
        g_array_append_val(into, rep->c);
    }
    if (enough(f, L->len)) {
      CxFinding *fd = push(f, CX_FINDING_REWORK, cx_pool_get(acts, a), NULL, L, A->cases);
      fd->occurrences = extra;
    }
    if (enough(f, RC->len)) {
      CxFinding *fd = push(f, CX_FINDING_REPEAT_CONTACT, cx_pool_get(acts, a), NULL, RC, A->cases);
      fd->occurrences = rc_extra;
    }
    if (A->negative && enough(f, A->cases->len)) {
      CxFinding *fd = push(f, CX_FINDING_NEGATIVE, cx_pool_get(acts, a), NULL, A->cases, NULL);
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

  /* dropoff: finished journeys ending at a non-successful end; the funnel */
  {
    guint n_act = cx_pool_size(acts);
    g_autoptr(GPtrArray) by_end = g_ptr_array_new_with_free_func(array_unref0);
    g_ptr_array_set_size(by_end, n_act);
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
      if (a < f->acts->len && g_array_index(f->acts, Act, a).cases != NULL) {
        guint64 reached = g_array_index(f->acts, Act, a).cases->len;
        CxFunnelStep st = { cx_pool_get(acts, a), reached, L != NULL ? L->len : 0, 0 };
        st.left_share = reached > 0 ? (double)st.left / (double)reached : 0;
        g_array_append_val(f->funnel, st);
      }
      if (L == NULL || !enough(f, L->len))
        continue;
      CxFinding *fd = push(f, CX_FINDING_DROPOFF, cx_pool_get(acts, a), NULL, L, NULL);
      fd->customers_lost = L->len;
      ExactSum spent = 0;
      for (guint k = 0; k < L->len; k++) {
        const CaseRec *r = &g_array_index(f->cases, CaseRec, g_array_index(L, guint32, k));
        spent += r->dur > 0 ? r->dur : 0;
      }
      fd->total_s = (double)spent / 1e6;
    }
    g_array_sort(f->funnel, cmp_funnel);
  }

  /* channels: the matrix, switches per pair, many switches */
  f->has_channels = f->chs->len > 0;
  for (guint i = 0; i < f->chs->len; i++) {
    Pair *p = g_ptr_array_index(f->chs, i);
    CxChannelSwitch cell
        = { cx_pool_get(chans, p->from), cx_pool_get(chans, p->to), p->count, p->cases->len, NAN };
    cell.median_wait_s = median_copy(p->waits);
    g_array_append_val(f->matrix, cell);
    if (enough(f, p->cases->len)) {
      CxFinding *fd = push(f, CX_FINDING_CHANNEL_SWITCH, cell.from, cell.to, p->cases, NULL);
      fd->occurrences = p->count;
      fd->median_s = cell.median_wait_s;
    }
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
      CxFinding *fd = push(f, CX_FINDING_CHANNEL_SWITCH, NULL, NULL, L, NULL);
      fd->measure = "many";
      fd->occurrences = sw;
      fd->threshold = o->many_switches;
    }
  }
  if (f->matrix->len > 1)
    g_array_sort(f->matrix, cmp_switch);
  find_effort(f, FALSE);
  find_effort(f, TRUE);
  if (o->drift)
    find_drift(f, acts);
  rank_findings(f);
  decide_status_hint(f);
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

double
cx_friction_total_time(const CxFriction *f)
{
  return f->total_time_s;
}

const char *
cx_friction_status_hint(const CxFriction *f)
{
  return f->status_hint;
}

CxLog *
cx_friction_log(const CxFriction *f)
{
  return f->log;
}

guint64
cx_friction_n_scored(const CxFriction *f)
{
  return f->n_scored;
}

const CxFrictionOptions *
cx_friction_options(const CxFriction *f)
{
  return &f->opts;
}

const CxFinding *
cx_friction_findings(const CxFriction *f, guint *n)
{
  *n = f->findings->len;
  return (const CxFinding *)f->findings->data;
}

const CxFinding *
cx_friction_with_success(const CxFriction *f, guint *n)
{
  *n = f->with_success->len;
  return (const CxFinding *)f->with_success->data;
}

const guint32 *
cx_friction_finding_case_ids(CxFriction *f, const CxFinding *fd, guint *n)
{
  g_return_val_if_fail(fd->index < f->lists->len, NULL);
  const GArray *L = g_ptr_array_index(f->lists, fd->index);
  g_autoptr(GArray) refs = g_array_sized_new(FALSE, FALSE, sizeof(CxCaseRef), L->len);
  for (guint i = 0; i < L->len; i++) {
    const CaseRec *c = &g_array_index(f->cases, CaseRec, g_array_index(L, guint32, i));
    CxCaseRef r = { cx_case_ref_key(c->first), c->case_id };
    g_array_append_val(refs, r);
  }
  cx_case_refs_to_ids(refs, cx_log_cases(f->log), f->ids_buf);
  *n = f->ids_buf->len;
  return (const guint32 *)f->ids_buf->data;
}

const CxFrictionWait *
cx_friction_waits(const CxFriction *f, guint *n)
{
  *n = f->waits->len;
  return (const CxFrictionWait *)f->waits->data;
}

const CxFunnelStep *
cx_friction_funnel(const CxFriction *f, guint *n)
{
  *n = f->funnel->len;
  return (const CxFunnelStep *)f->funnel->data;
}

void
cx_friction_set_outcome_model(CxFriction *f, const CxOutcome *const *models, guint n)
{
  cx_outcome_set_model(f->outcome, models, n);
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
  g_autofree char *hours = cx_calendar_line(cx_log_options(f->log)->calendar);
  if (hours != NULL)
    cx_dot_legend(dot, hours);
  guint nf = f->findings->len;
  if (top > 0 && nf > top)
    nf = top;
  for (guint i = 0; i < nf; i++) {
    const CxFinding *fd = &g_array_index(f->findings, CxFinding, i);
    g_autofree char *cost = cx_finding_cost(fd);
    g_autofree char *line
        = g_strdup_printf("#%u %s: %s", i + 1, cx_finding_kind_name(fd->kind), cost);
    /* a short legend line; the report has the sentences */
    g_autoptr(GString) legend = g_string_new(NULL);
    g_string_append_printf(legend, "#%u %s", i + 1, cx_finding_kind_name(fd->kind));
    gboolean chan = fd->kind == CX_FINDING_CHANNEL_SWITCH;
    gboolean cyc = fd->kind == CX_FINDING_PINGPONG || fd->kind == CX_FINDING_LOOP;
    for (guint k = 0; k < fd->n_names; k++)
      g_string_append_printf(legend, "%s'%s'",
                             k == 0         ? " "
                             : chan || !cyc ? " -> "
                                            : " -> ",
                             fd->names[k]);
    if (cyc && fd->n_names > 0)
      g_string_append_printf(legend, " -> '%s'", fd->names[0]);
    if (fd->measure != NULL)
      g_string_append_printf(legend, " (%s)", fd->measure);
    g_string_append_printf(legend, ": %s", cost);
    cx_dot_legend(dot, legend->str);
    if (chan)
      continue;
    Mark *m = NULL;
    if (cyc) {
      for (guint k = 0; k < fd->n_names; k++) {
        g_autofree char *key = edge_key(fd->names[k], fd->names[(k + 1) % fd->n_names]);
        Mark *e = mark_for(edges, key);
        e->hot = TRUE;
        if (k == 0)
          m = e;
      }
    } else if (fd->n_names == 2) {
      g_autofree char *k = edge_key(fd->names[0], fd->names[1]);
      m = mark_for(edges, k);
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
  /* the end: journeys that stop at an activity without success */
  guint64 max_left = 0;
  for (guint i = 0; i < f->funnel->len; i++)
    max_left = MAX(max_left, g_array_index(f->funnel, CxFunnelStep, i).left);
  guint64 min_left = MAX(1, (guint64)ceil(0.01 * (double)f->cases->len));
  gboolean end_drawn = FALSE;
  for (guint i = 0; i < f->funnel->len; i++) {
    const CxFunnelStep *st = &g_array_index(f->funnel, CxFunnelStep, i);
    guint32 a = cx_pool_lookup(acts, st->activity, -1);
    gboolean shown
        = a < f->acts->len
          && (on_map[a] || g_hash_table_contains(nodes, st->activity) || order->len <= 1);
    if (st->left < min_left || !shown)
      continue;
    if (!end_drawn) {
      CxDotStyle es = { 0 };
      es.label = "dropped off\n(ended without success)";
      es.color = "#d7301f";
      es.fontcolor = "#d7301f";
      cx_dot_node(dot, "(dropped off)", &es);
      end_drawn = TRUE;
    }
    g_autofree char *label = g_strdup_printf("%" G_GUINT64_FORMAT " stop", st->left);
    CxDotStyle st2 = { 0 };
    st2.label = label;
    st2.color = "#d7301f";
    st2.fontcolor = "#d7301f";
    st2.style = "dashed";
    st2.penwidth = cx_dot_penwidth((double)st->left, (double)MAX(1, max_left));
    cx_dot_edge(dot, st->activity, "(dropped off)", &st2);
  }
  if (left_out > 0) {
    g_autofree char *note = g_strdup_printf(
        "(steps taken by fewer than 5%% of the cases are not drawn, nor %u %s only on them)",
        left_out, left_out == 1 ? "activity" : "activities");
    cx_dot_legend(dot, note);
  }
  cx_dot_write(dot, out);
}
