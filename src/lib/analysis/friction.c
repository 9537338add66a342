/* Friction: the options, the kinds' names, the two currencies; one scan
 * collects per-activity, per-edge, per-pair evidence and a compact record
 * per case (cx_friction_add); the accessors of the results.  Finish is in
 * friction-rank.c, the finders in friction-find.c, friction-cycles.c and
 * friction-drift.c. */
#include "friction-private.h"
#include "cxmine/case-ids.h"
#include "cxmine/outcome.h"

static const char *const kind_names[CX_FINDING_N_KINDS]
    = { "bottleneck", "rework",        "pingpong", "dropoff",        "channel_switch", "negative",
        "effort",     "inconsistency", "loop",     "repeat_contact", "drift" };

static const char *const measure_names[CX_FINDING_N_MEASURES]
    = { NULL, "wait", "service", "steps", "touches", "many", "success_share", "negative_share" };

const char *
cx_finding_measure_name(CxFindingMeasure measure)
{
  g_return_val_if_fail(measure < CX_FINDING_N_MEASURES, NULL);
  return measure_names[measure];
}

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

static void
act_clear(Act *a)
{
  if (a->reps == NULL)
    return;
  g_array_free(a->reps, TRUE);
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
  f->cases = cx_records_new(sizeof(CaseRec));
  if (f->sat_key != NULL)
    f->sat = cx_records_new(sizeof(double));
  f->acts = g_array_new(FALSE, TRUE, sizeof(Act));
  f->res_stamp = g_array_new(FALSE, TRUE, sizeof(guint32));
  f->edges = cx_transitions_new(log, ACT_TRANSITIONS);
  f->chs = cx_transitions_new(log, PAIR_TRANSITIONS);
  f->cycles = g_array_new(FALSE, FALSE, sizeof(Cycle));
  f->all = g_array_new(FALSE, FALSE, sizeof(CxFinding));
  f->lists = g_array_new(FALSE, FALSE, sizeof(CxTagList));
  g_array_set_clear_func(f->lists, (GDestroyNotify)cx_tag_list_clear);
  f->store = cx_list_store_new();
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

void
cx_friction_clear_results(CxFriction *f)
{
  g_array_set_size(f->all, 0);
  g_array_set_size(f->lists, 0);
  cx_list_store_reset(f->store);
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
  cx_records_reset(f->cases);
  if (f->sat != NULL)
    cx_records_reset(f->sat);
  for (guint i = 0; i < f->acts->len; i++)
    act_clear(&g_array_index(f->acts, Act, i));
  g_array_set_size(f->acts, 0);
  g_array_set_size(f->res_stamp, 0);
  cx_transitions_reset(f->edges);
  cx_transitions_reset(f->chs);
  for (guint i = 0; i < f->cycles->len; i++)
    g_array_free(g_array_index(f->cycles, Cycle, i).cases, TRUE);
  g_array_set_size(f->cycles, 0);
  f->n_instances = f->n_status = 0;
  map_clear(&f->cycle_map);
  cx_friction_clear_results(f);
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
  cx_records_free(f->cases);
  cx_records_free(f->sat);
  g_array_free(f->acts, TRUE);
  g_array_free(f->res_stamp, TRUE);
  cx_transitions_free(f->edges);
  cx_transitions_free(f->chs);
  g_array_free(f->cycles, TRUE);
  g_array_free(f->all, TRUE);
  g_array_free(f->lists, TRUE);
  cx_list_store_free(f->store);
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

gboolean
cx_friction_matches(GPtrArray *specs, const char *name)
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
  if (A->reps == NULL) {
    A->reps = g_array_new(FALSE, FALSE, sizeof(Rep));
    A->negative = cx_friction_matches(f->neg_specs, cx_pool_get(cx_log_activities(f->log), a));
    if (A->negative)
      A->pred_cnt = g_array_new(FALSE, FALSE, sizeof(guint64));
  }
  return A;
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
  if (j->n_instances == 0)
    return TRUE;
  if (!cx_outcome_add(j, f->outcome, error))
    return FALSE;
  guint32 c = cx_friction_cases(f);
  guint32 stamp = c + 1;
  const CxEvent *ins = j->instances;
  CaseRec r = { 0 };
  const CxCalendar *cal = cx_log_options(f->log)->calendar;
  r.dur = cx_journey_elapsed(j, cal);
  r.first = cx_journey_first_time(j);
  r.steps = j->n_instances;
  r.case_id = j->case_id;
  if (f->sat != NULL) {
    double sat = read_satisfaction(f, j);
    cx_records_append(f->sat, &sat);
  }
  gint64 window = f->opts.repeat_window_us;
  f->n_instances += j->n_instances;
  /* counts, cases and service times of the activities, and their pairs */
  cx_transitions_add(f->edges, j, c);
  cx_transitions_begin(f->chs);
  for (guint i = 0; i < j->n_instances; i++) {
    const CxEvent *e = &ins[i];
    guint32 a = e->activity;
    f->n_status += (e->flags & CX_EVENT_LIFECYCLE_MASK) == CX_LIFECYCLE_OTHER;
    Act *A = act_get(f, a);
    gint64 t_at = e->start != CX_TS_NONE ? e->start : e->time;
    if (A->stamp != stamp) {
      A->stamp = stamp;
      A->first_pos = i;
    } else {
      Rep rep = { c, REP_NONE, 0 };
      rep.contact = e->channel != CX_ID_NONE && A->last_chan != CX_ID_NONE
                    && e->channel != A->last_chan && t_at != CX_TS_NONE
                    && A->last_time != CX_TS_NONE && t_at - A->last_time <= window;
      /* a contact again on another channel with one step between (an
       * acknowledgement, a reply) is a repeat contact, not a ping-pong */
      if (i - A->last_pos >= (rep.contact ? 3u : 2u))
        rep.cycle = cx_friction_record_turn(f, ins, A->last_pos, i, stamp);
      g_array_append_val(A->reps, rep);
    }
    A->last_pos = i;
    A->last_chan = e->channel;
    A->last_time = e->time != CX_TS_NONE ? e->time : t_at;
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
    if (p->channel != CX_ID_NONE && e->channel != CX_ID_NONE && p->channel != e->channel) {
      gint64 us = 0;
      gboolean timed = cx_transition_wait(cal, p, e, &us);
      cx_transitions_count(f->chs, p->channel, e->channel, timed, us, c);
      r.switches++;
    }
  }
  cx_records_append(f->cases, &r);
  return cx_transitions_check(f->edges, error) && cx_transitions_check(f->chs, error)
         && cx_records_check(f->cases, error) && cx_records_check(f->sat, error);
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
  return cx_friction_cases(f);
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

double
cx_friction_quantile_rel_error(const CxFriction *f)
{
  return f->sketched ? CX_QUANTILES_REL_ERROR : 0;
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
  g_autoptr(GArray) L = cx_tag_list_decode(&g_array_index(f->lists, CxTagList, fd->index));
  g_autoptr(GArray) refs = g_array_sized_new(FALSE, FALSE, sizeof(CxCaseRef), L->len);
  for (guint i = 0; i < L->len; i++) {
    CaseRec c = cx_friction_case(f, g_array_index(L, guint32, i));
    CxCaseRef r = { cx_case_ref_key(c.first), c.case_id };
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

CxOutcome *
cx_friction_infer_outcome(CxFriction *f)
{
  /* finish decides again, from scratch, once a model is set */
  cx_outcome_finish(f->outcome);
  return cx_outcome_copy_decision(f->outcome);
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
  g_return_val_if_fail(index < cx_friction_cases(f), CX_OUTCOME_DROPOFF);
  return cx_friction_case_kind(f, (guint32)index);
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
