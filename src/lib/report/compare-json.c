/* The comparison as JSON (docs/json.md, ## compare). */
#include "compare-private.h"
#include "cxmine/output.h"
#include <math.h>
#include <string.h>

/* Every JSON section of a measure has one shape: "before" and "after"
 * objects with the side's figures, then the tests' figures; the tables
 * below say which figures, under which keys. */
typedef enum {
  /* of one side */
  V_COUNT,
  V_CASES,
  V_N,
  V_SHARE,
  V_SHARE_OF_FINISHED, /* null when the side has no finished journey */
  V_PER_CASE,
  V_MEDIAN,
  V_P90,
  V_MEAN,
  V_LOST,
  V_EXTRA_TIME,
  /* of the tests */
  V_RATE_DIFF,
  V_RATE_P,
  V_RATE_Q,
  V_RATE_TEST,
  V_RATE_DIRECTION,
  V_MEDIAN_RATIO,
  V_EFFECT,
  V_SAMPLE_P,
  V_SAMPLE_Q,
  V_SAMPLE_TEST,
  V_SAMPLE_DIRECTION,
  V_MEAN_DIFF,
  V_SIGNIFICANT,
  V_DIRECTION,
  V_IMPORTANCE,
  V_NEW,
  V_VANISHED,
} Value;

typedef struct {
  const char *key;
  Value value;
} Field;

/* Writes value @v of side @k of @it; @it NULL (no such measure): 0 for
 * counts, null for figures, false, "same". */
static void
json_value(CxJson *j, const CxCompareItem *it, int k, Value v)
{
  static const CxCompareItem none = { 0 };
  const CxCompareItem *x = it != NULL ? it : &none;
  switch (v) {
    case V_COUNT:
      cx_json_int(j, (gint64)x->count[k]);
      return;
    case V_CASES:
      cx_json_int(j, (gint64)x->cases[k]);
      return;
    case V_N:
      cx_json_int(j, (gint64)x->n[k]);
      return;
    case V_SIGNIFICANT:
      cx_json_bool(j, x->tested_significant);
      return;
    case V_NEW:
      cx_json_bool(j, x->is_new);
      return;
    case V_VANISHED:
      cx_json_bool(j, x->vanished);
      return;
    case V_RATE_TEST:
    case V_SAMPLE_TEST: {
      gboolean rate = v == V_RATE_TEST;
      gboolean tested = rate ? x->rate_tested : x->sample_tested;
      CxStatMethod m = rate ? x->rate_test.method : x->sample_test.method;
      cx_json_string(j, tested ? cx_stattest_method_name(m) : "none");
      return;
    }
    case V_RATE_DIRECTION:
      cx_json_string(j, cx_change_name(x->rate_change));
      return;
    case V_SAMPLE_DIRECTION:
      cx_json_string(j, cx_change_name(x->sample_change));
      return;
    case V_DIRECTION:
      cx_json_string(j, cx_change_name(x->direction));
      return;
    default:
      break;
  }
  double d = NAN;
  if (it != NULL) {
    switch (v) {
      case V_SHARE:
        d = it->case_rate[k];
        break;
      case V_SHARE_OF_FINISHED:
        d = it->cases[k] ? it->case_rate[k] : (double)NAN;
        break;
      case V_PER_CASE:
        d = it->rate[k];
        break;
      case V_MEDIAN:
        d = it->median[k];
        break;
      case V_P90:
        d = it->p90[k];
        break;
      case V_MEAN:
        d = it->mean[k];
        break;
      case V_LOST:
        d = it->customers_lost[k];
        break;
      case V_EXTRA_TIME:
        d = it->extra_time_s[k];
        break;
      case V_RATE_DIFF:
        d = it->rate_test.diff;
        break;
      case V_RATE_P:
        d = it->rate_test.p;
        break;
      case V_RATE_Q:
        d = it->rate_q;
        break;
      case V_MEDIAN_RATIO:
        d = it->median[0] > 0 ? it->median[1] / it->median[0] : (double)NAN;
        break;
      case V_EFFECT:
        d = it->sample_test.effect;
        break;
      case V_SAMPLE_P:
        d = it->sample_test.p;
        break;
      case V_SAMPLE_Q:
        d = it->sample_q;
        break;
      case V_MEAN_DIFF:
        d = it->mean[1] - it->mean[0];
        break;
      case V_IMPORTANCE:
        d = it->importance;
        break;
      default:
        g_return_if_reached();
    }
  }
  cx_json_double(j, d);
}

static void
json_fields(CxJson *j, const CxCompareItem *it, int k, const Field *fields)
{
  for (const Field *f = fields; f->key != NULL; f++) {
    cx_json_key(j, f->key);
    json_value(j, it, k, f->value);
  }
}

/* "before": {@side}, "after": {@side}, then @tests, as members of an open object. */
static void
json_measure(CxJson *j, const CxCompareItem *it, const Field *side, const Field *tests)
{
  for (int k = 0; k < 2; k++) {
    cx_json_key(j, k == 0 ? "before" : "after");
    cx_json_begin_object(j);
    json_fields(j, it, k, side);
    cx_json_end_object(j);
  }
  json_fields(j, it, 0, tests);
}

/* activities, edges, variants */
static const Field item_side[]
    = { { "count", V_COUNT }, { "cases", V_CASES }, { "share", V_SHARE }, { NULL } };
static const Field item_side_waits[] = { { "count", V_COUNT },    { "cases", V_CASES },
                                         { "share", V_SHARE },    { "per_case", V_PER_CASE },
                                         { "waits", V_N },        { "wait_median_s", V_MEDIAN },
                                         { "wait_p90_s", V_P90 }, { NULL } };
#define RATE_TESTS                                                                                 \
  { "rate_diff", V_RATE_DIFF }, { "rate_p", V_RATE_P }, { "rate_q", V_RATE_Q },                    \
      { "rate_test", V_RATE_TEST },                                                                \
  {                                                                                                \
    "rate_direction", V_RATE_DIRECTION                                                             \
  }
#define ITEM_VERDICT                                                                               \
  { "significant", V_SIGNIFICANT }, { "direction", V_DIRECTION }, { "importance", V_IMPORTANCE },  \
      { "new", V_NEW },                                                                            \
  {                                                                                                \
    "vanished", V_VANISHED                                                                         \
  }
static const Field item_tests[] = { RATE_TESTS, ITEM_VERDICT, { NULL } };
static const Field item_tests_waits[] = { RATE_TESTS,
                                          { "wait_median_ratio", V_MEDIAN_RATIO },
                                          { "wait_effect", V_EFFECT },
                                          { "wait_p", V_SAMPLE_P },
                                          { "wait_q", V_SAMPLE_Q },
                                          { "wait_test", V_SAMPLE_TEST },
                                          { "wait_direction", V_SAMPLE_DIRECTION },
                                          ITEM_VERDICT,
                                          { NULL } };
/* the headline's throughput and instances per case */
static const Field duration_side[]
    = { { "cases", V_N }, { "median_s", V_MEDIAN }, { "p90_s", V_P90 }, { NULL } };
static const Field count_side[]
    = { { "cases", V_N }, { "median", V_MEDIAN }, { "p90", V_P90 }, { NULL } };
static const Field sample_tests[] = { { "median_ratio", V_MEDIAN_RATIO },
                                      { "effect", V_EFFECT },
                                      { "p", V_SAMPLE_P },
                                      { "q", V_SAMPLE_Q },
                                      { "significant", V_SIGNIFICANT },
                                      { "direction", V_DIRECTION },
                                      { NULL } };
static const Field satisfaction_side[]
    = { { "cases", V_N }, { "mean", V_MEAN }, { "median", V_MEDIAN }, { NULL } };
static const Field satisfaction_tests[]
    = { { "mean_diff", V_MEAN_DIFF }, { "effect", V_EFFECT },
        { "p", V_SAMPLE_P },          { "q", V_SAMPLE_Q },
        { "test", V_SAMPLE_TEST },    { "significant", V_SIGNIFICANT },
        { "direction", V_DIRECTION }, { NULL } };
static const Field success_side[] = {
  { "successful", V_COUNT }, { "finished", V_CASES }, { "share", V_SHARE_OF_FINISHED }, { NULL }
};
static const Field success_tests[] = { { "diff", V_RATE_DIFF },
                                       { "p", V_RATE_P },
                                       { "q", V_RATE_Q },
                                       { "significant", V_SIGNIFICANT },
                                       { "direction", V_DIRECTION },
                                       { NULL } };
static const Field friction_side[] = { { "cases", V_CASES },
                                       { "share", V_SHARE },
                                       { "customers_lost", V_LOST },
                                       { "extra_time_s", V_EXTRA_TIME },
                                       { NULL } };
static const Field friction_tests[] = { { "diff", V_RATE_DIFF },
                                        { "p", V_RATE_P },
                                        { "q", V_RATE_Q },
                                        { "test", V_RATE_TEST },
                                        { "significant", V_SIGNIFICANT },
                                        { "direction", V_DIRECTION },
                                        { NULL } };

static void
json_strv(CxJson *j, char **v)
{
  cx_json_begin_array(j);
  for (guint i = 0; v != NULL && v[i] != NULL; i++)
    cx_json_string(j, v[i]);
  cx_json_end_array(j);
}

static void
json_items(const CxCompare *c, CxJson *j, CxCompareKind kind)
{
  gboolean waits = kind == CX_COMPARE_EDGE || kind == CX_COMPARE_ACTIVITY;
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
      cx_json_key(j, "activities");
      g_auto(GStrv) acts = g_strsplit(it->name, " → ", -1);
      json_strv(j, acts);
    }
    json_measure(j, it, waits ? item_side_waits : item_side, waits ? item_tests_waits : item_tests);
    cx_json_end_object(j);
  }
  cx_json_end_array(j);
}

/* A headline distribution: {"before": {cases, median, p90}, "after": ..., tests}. */
static void
json_sample_headline(CxJson *j, const CxCompareItem *it, const Field *side)
{
  cx_json_begin_object(j);
  json_measure(j, it, side, sample_tests);
  cx_json_end_object(j);
}

/* {"key", "lower_is_better", "before": {cases, mean, median}, "after", tests},
 * or null without a satisfaction key. */
static void
json_satisfaction(const CxCompare *c, CxJson *j)
{
  const CxCompareItem *it = cx_compare_headline(c, CX_COMPARE_SATISFACTION);
  if (it == NULL) {
    cx_json_null(j);
    return;
  }
  cx_json_begin_object(j);
  cx_json_key(j, "key");
  if (c->opts.satisfaction_key)
    cx_json_string(j, c->opts.satisfaction_key);
  else
    cx_json_null(j);
  cx_json_key(j, "lower_is_better");
  cx_json_bool(j, it->sample_polarity < 0);
  json_measure(j, it, satisfaction_side, satisfaction_tests);
  cx_json_end_object(j);
}

static guint64
side_lost(const CxCompareItem *succ, int k)
{
  return succ ? succ->cases[k] - succ->count[k] : 0;
}

void
cx_compare_to_json_members(const CxCompare *c, CxJson *j)
{
  const CxCompareItem *cases = cx_compare_headline(c, CX_COMPARE_CASES);
  const CxCompareItem *inst = cx_compare_headline(c, CX_COMPARE_INSTANCES);
  const CxCompareItem *dur = cx_compare_headline(c, CX_COMPARE_DURATION);
  const CxCompareItem *succ = cx_compare_headline(c, CX_COMPARE_SUCCESS);
  for (int k = 0; k < 2; k++) {
    cx_json_key(j, k == 0 ? "before" : "after");
    cx_json_begin_object(j);
    cx_json_key(j, "name");
    cx_json_string(j, c->opts.names[k]);
    cx_json_key(j, "cases");
    cx_json_int(j, (gint64)cases->count[k]);
    cx_json_key_double(j, "instances_per_case_median", inst->median[k]);
    cx_json_key(j, "case_duration_s");
    cx_json_begin_object(j);
    cx_json_key_double(j, "median", dur->median[k]);
    cx_json_key_double(j, "p90", dur->p90[k]);
    cx_json_end_object(j);
    cx_json_key(j, "successful");
    if (succ)
      cx_json_int(j, (gint64)succ->count[k]);
    else
      cx_json_null(j);
    cx_json_key(j, "finished");
    if (succ)
      cx_json_int(j, (gint64)succ->cases[k]);
    else
      cx_json_null(j);
    cx_json_key_double(j, "success_share",
                       succ && succ->cases[k] ? succ->case_rate[k] : (double)NAN);
    cx_json_key(j, "customers_lost");
    if (succ)
      cx_json_int(j, (gint64)side_lost(succ, k));
    else
      cx_json_null(j);
    cx_json_end_object(j);
  }
  cx_json_key(j, "success_rule");
  if (c->opts.success_rule)
    cx_json_string(j, c->opts.success_rule);
  else
    cx_json_null(j);
  cx_json_key_double(j, "alpha", c->opts.alpha);
  cx_json_key(j, "min_effect");
  cx_json_begin_object(j);
  cx_json_key_double(j, "relative", c->opts.min_effect_rel);
  cx_json_key_double(j, "points", c->opts.min_effect_points);
  cx_json_end_object(j);
  cx_json_key(j, "tests");
  cx_json_int(j, c->n_tests);
  cx_json_key(j, "significant");
  cx_json_int(j, c->n_significant);
  cx_json_key(j, "changes");
  cx_json_int(j, c->n_changes);
  cx_json_key(j, "throughput");
  json_sample_headline(j, dur, duration_side);
  cx_json_key(j, "instances_per_case");
  json_sample_headline(j, inst, count_side);
  cx_json_key(j, "satisfaction");
  json_satisfaction(c, j);
  cx_json_key(j, "success");
  cx_json_begin_object(j);
  json_measure(j, succ, success_side, success_tests);
  cx_json_end_object(j);
  cx_json_key(j, "friction");
  cx_json_begin_array(j);
  for (guint i = 0; i < c->items->len; i++) {
    const CxCompareItem *it = &g_array_index(c->items, CxCompareItem, i);
    if (it->kind != CX_COMPARE_FRICTION)
      continue;
    cx_json_begin_object(j);
    cx_json_key(j, "kind");
    cx_json_string(j, it->name);
    cx_json_key(j, "activities");
    json_strv(j, it->activities);
    json_measure(j, it, friction_side, friction_tests);
    cx_json_end_object(j);
  }
  cx_json_end_array(j);
  cx_json_key(j, "edges");
  json_items(c, j, CX_COMPARE_EDGE);
  cx_json_key(j, "activities");
  json_items(c, j, CX_COMPARE_ACTIVITY);
  cx_json_key(j, "variants");
  json_items(c, j, CX_COMPARE_VARIANT);
  cx_json_key_double(j, "quantile_rel_error", cx_compare_quantile_rel_error(c));
}

void
cx_compare_to_json(const CxCompare *c, CxJson *j)
{
  cx_json_begin_object(j);
  cx_json_key(j, "business_hours");
  if (c->opts.business_hours != NULL)
    cx_json_string(j, c->opts.business_hours);
  else
    cx_json_null(j);
  cx_compare_to_json_members(c, j);
  cx_json_end_object(j);
}
