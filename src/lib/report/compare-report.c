/* Comparison reports: JSON and the readable text. */
#include "compare-private.h"
#include "cxmine/output.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---------- formatting ---------- */

char *
cx_compare_fmt_q(double q)
{
  if (q < 0.001)
    return g_strdup("q < 0.001");
  g_autofree char *n = cx_format_number(q, 3);
  return g_strconcat("q = ", n, NULL);
}

char *
cx_compare_fmt_dur(double s)
{
  return isnan(s) ? g_strdup("-") : cx_format_duration(s);
}

char *
cx_compare_fmt_share(double share)
{
  if (isnan(share))
    return g_strdup("-");
  double pct = 100 * share;
  if (pct == 0)
    return g_strdup("0%");
  if (pct < 0.1)
    return g_strdup("<0.1%");
  if (pct > 99.9 && pct < 100)
    return g_strdup(">99.9%");
  g_autofree char *n = cx_format_number(pct, pct < 10 || pct > 90 ? 1 : 0);
  return g_strconcat(n, "%", NULL);
}

char *
cx_compare_fmt_pct_delta(double d)
{
  double pts = 100 * d;
  g_autofree char *n = cx_format_number(fabs(pts), fabs(pts) < 10 ? 1 : 0);
  return g_strdup_printf("%s%s point%s", pts >= 0 ? "+" : "-", n, strcmp(n, "1") == 0 ? "" : "s");
}

/* Durations that add up over many journeys: "124,535 d" rather than "124535 d". */
static char *
fmt_total(double s)
{
  if (isfinite(s) && s >= 1000.0 * 86400) {
    g_autofree char *d = cx_format_count((guint64)llround(s / 86400));
    return g_strconcat(d, " d", NULL);
  }
  return cx_compare_fmt_dur(s);
}

static char *
fmt_count(double v)
{
  return isfinite(v) && v >= 0 ? cx_format_count((guint64)llround(v)) : g_strdup("-");
}

static char *
fmt_num(double v, int decimals)
{
  return isnan(v) ? g_strdup("-") : cx_format_number(v, decimals);
}

/* " (9x longer)", " (+12%)"; "" when either is unknown or they are equal. */
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

static const CxCompareItem *
headline(const CxCompare *c, const char *name)
{
  return cx_compare_headline(c, name);
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
  cx_json_key_double(j, "share", it->case_rate[k]);
  if (it->kind == CX_COMPARE_EDGE || it->kind == CX_COMPARE_ACTIVITY) {
    cx_json_key_double(j, "per_case", it->rate[k]);
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
  cx_json_key(j, "rate_direction");
  cx_json_string(j, cx_change_name(it->rate_change));
  if (it->kind == CX_COMPARE_EDGE || it->kind == CX_COMPARE_ACTIVITY) {
    cx_json_key_double(j, "wait_median_ratio",
                       it->median[0] > 0 ? it->median[1] / it->median[0] : (double)NAN);
    cx_json_key_double(j, "wait_effect", it->sample_test.effect);
    cx_json_key_double(j, "wait_p", it->sample_test.p);
    cx_json_key_double(j, "wait_q", it->sample_q);
    cx_json_key(j, "wait_test");
    cx_json_string(j, it->sample_tested ? cx_stattest_method_name(it->sample_test.method) : "none");
    cx_json_key(j, "wait_direction");
    cx_json_string(j, cx_change_name(it->sample_change));
  }
  cx_json_key(j, "significant");
  cx_json_bool(j, it->tested_significant);
  cx_json_key(j, "direction");
  cx_json_string(j, cx_change_name(it->direction));
  cx_json_key_double(j, "importance", it->importance);
  cx_json_key(j, "new");
  cx_json_bool(j, it->is_new);
  cx_json_key(j, "vanished");
  cx_json_bool(j, it->vanished);
}

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
    cx_json_key(j, "before");
    json_side(j, it, 0);
    cx_json_key(j, "after");
    json_side(j, it, 1);
    json_tests(j, it);
    cx_json_end_object(j);
  }
  cx_json_end_array(j);
}

/* A headline distribution: {"before": {median, p90}, "after": ..., tests}. */
static void
json_sample_headline(CxJson *j, const CxCompareItem *it, const char *unit)
{
  g_autofree char *m = g_strconcat("median", unit, NULL);
  g_autofree char *p9 = g_strconcat("p90", unit, NULL);
  cx_json_begin_object(j);
  for (int k = 0; k < 2; k++) {
    cx_json_key(j, k == 0 ? "before" : "after");
    cx_json_begin_object(j);
    cx_json_key(j, "cases");
    cx_json_int(j, (gint64)it->n[k]);
    cx_json_key_double(j, m, it->median[k]);
    cx_json_key_double(j, p9, it->p90[k]);
    cx_json_end_object(j);
  }
  cx_json_key_double(j, "median_ratio",
                     it->median[0] > 0 ? it->median[1] / it->median[0] : (double)NAN);
  cx_json_key_double(j, "effect", it->sample_test.effect);
  cx_json_key_double(j, "p", it->sample_test.p);
  cx_json_key_double(j, "q", it->sample_q);
  cx_json_key(j, "significant");
  cx_json_bool(j, it->tested_significant);
  cx_json_key(j, "direction");
  cx_json_string(j, cx_change_name(it->direction));
  cx_json_end_object(j);
}

/* {"key", "lower_is_better", "before": {cases, mean, median}, "after", tests},
 * or null without a satisfaction key. */
static void
json_satisfaction(const CxCompare *c, CxJson *j)
{
  const CxCompareItem *it = headline(c, "satisfaction");
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
  for (int k = 0; k < 2; k++) {
    cx_json_key(j, k == 0 ? "before" : "after");
    cx_json_begin_object(j);
    cx_json_key(j, "cases");
    cx_json_int(j, (gint64)it->n[k]);
    cx_json_key_double(j, "mean", it->mean[k]);
    cx_json_key_double(j, "median", it->median[k]);
    cx_json_end_object(j);
  }
  cx_json_key_double(j, "mean_diff", it->mean[1] - it->mean[0]);
  cx_json_key_double(j, "effect", it->sample_test.effect);
  cx_json_key_double(j, "p", it->sample_test.p);
  cx_json_key_double(j, "q", it->sample_q);
  cx_json_key(j, "test");
  cx_json_string(j, it->sample_tested ? cx_stattest_method_name(it->sample_test.method) : "none");
  cx_json_key(j, "significant");
  cx_json_bool(j, it->tested_significant);
  cx_json_key(j, "direction");
  cx_json_string(j, cx_change_name(it->direction));
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
  const CxCompareItem *cases = headline(c, "cases");
  const CxCompareItem *inst = headline(c, "instances per case");
  const CxCompareItem *dur = headline(c, "case duration");
  const CxCompareItem *succ = headline(c, "successful ends");
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
  json_sample_headline(j, dur, "_s");
  cx_json_key(j, "instances_per_case");
  json_sample_headline(j, inst, "");
  cx_json_key(j, "satisfaction");
  json_satisfaction(c, j);
  cx_json_key(j, "success");
  cx_json_begin_object(j);
  for (int k = 0; k < 2; k++) {
    cx_json_key(j, k == 0 ? "before" : "after");
    cx_json_begin_object(j);
    cx_json_key(j, "successful");
    cx_json_int(j, succ ? (gint64)succ->count[k] : 0);
    cx_json_key(j, "finished");
    cx_json_int(j, succ ? (gint64)succ->cases[k] : 0);
    cx_json_key_double(j, "share", succ && succ->cases[k] ? succ->case_rate[k] : (double)NAN);
    cx_json_end_object(j);
  }
  cx_json_key_double(j, "diff", succ ? succ->rate_test.diff : (double)NAN);
  cx_json_key_double(j, "p", succ ? succ->rate_test.p : (double)NAN);
  cx_json_key_double(j, "q", succ ? succ->rate_q : (double)NAN);
  cx_json_key(j, "significant");
  cx_json_bool(j, succ && succ->tested_significant);
  cx_json_key(j, "direction");
  cx_json_string(j, cx_change_name(succ ? succ->direction : CX_CHANGE_SAME));
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
    for (int k = 0; k < 2; k++) {
      cx_json_key(j, k == 0 ? "before" : "after");
      cx_json_begin_object(j);
      cx_json_key(j, "cases");
      cx_json_int(j, (gint64)it->cases[k]);
      cx_json_key_double(j, "share", it->case_rate[k]);
      cx_json_key_double(j, "customers_lost", it->customers_lost[k]);
      cx_json_key_double(j, "extra_time_s", it->extra_time_s[k]);
      cx_json_end_object(j);
    }
    cx_json_key_double(j, "diff", it->rate_test.diff);
    cx_json_key_double(j, "p", it->rate_test.p);
    cx_json_key_double(j, "q", it->rate_q);
    cx_json_key(j, "test");
    cx_json_string(j, it->rate_tested ? cx_stattest_method_name(it->rate_test.method) : "none");
    cx_json_key(j, "significant");
    cx_json_bool(j, it->tested_significant);
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

/* ---------- text ---------- */

static const char *
friction_label(const char *kind)
{
  static const char *const map[][2] = {
    { "bottleneck", "Bottlenecks" },
    { "rework", "Rework" },
    { "pingpong", "Ping-pong" },
    { "dropoff", "Drop-off" },
    { "channel_switch", "Channel switches" },
    { "negative", "Negative events" },
    { "effort", "High effort" },
    { "inconsistency", "Inconsistent waits" },
    { "loop", "Loops" },
    { "repeat_contact", "Repeat contacts" },
    { "drift", "Drift" },
  };
  for (guint i = 0; i < G_N_ELEMENTS(map); i++)
    if (strcmp(kind, map[i][0]) == 0)
      return map[i][1];
  return kind;
}

static void
quoted_name(GString *out, const CxCompareItem *it)
{
  if (it->kind == CX_COMPARE_EDGE)
    g_string_append_printf(out, "'%s' -> '%s'", it->from, it->to);
  else
    g_string_append_printf(out, "'%s'", it->name);
}

/* One line for a share of journeys (activities, paths, friction, success). */
static void
line_rate(GString *out, const CxCompareItem *it)
{
  g_autofree char *r0 = cx_compare_fmt_share(it->case_rate[0]);
  g_autofree char *r1 = cx_compare_fmt_share(it->case_rate[1]);
  g_autofree char *pts = cx_compare_fmt_pct_delta(it->case_rate[1] - it->case_rate[0]);
  g_autofree char *q = cx_compare_fmt_q(it->rate_q);
  g_string_append(out, "  ");
  switch (it->kind) {
    case CX_COMPARE_HEADLINE:
      g_string_append_printf(out, "Successful ends: %s -> %s of finished journeys (%s), %s\n", r0,
                             r1, pts, q);
      return;
    case CX_COMPARE_FRICTION: {
      g_autofree char *l0 = fmt_count(it->customers_lost[0]);
      g_autofree char *l1 = fmt_count(it->customers_lost[1]);
      g_autofree char *t0 = fmt_total(it->extra_time_s[0]);
      g_autofree char *t1 = fmt_total(it->extra_time_s[1]);
      g_string_append_printf(out,
                             "%s: %s -> %s of journeys (%s); customers lost %s -> %s, "
                             "time lost %s -> %s, %s\n",
                             friction_label(it->name), r0, r1, pts, l0, l1, t0, t1, q);
      return;
    }
    case CX_COMPARE_EDGE:
      g_string_append(out, "Path ");
      break;
    case CX_COMPARE_VARIANT:
      g_string_append(out, "Variant ");
      break;
    default:
      break;
  }
  quoted_name(out, it);
  g_string_append_printf(out, ": in %s -> %s of journeys (%s), %s\n", r0, r1, pts, q);
}

static gboolean
is_satisfaction(const CxCompareItem *it)
{
  return it->kind == CX_COMPARE_HEADLINE && strcmp(it->name, "satisfaction") == 0;
}

/* "Satisfaction: mean 4.1 -> 3.6 (median 4 -> 4; 1,234 -> 1,100 scored), q < 0.001" */
static void
line_satisfaction(GString *out, const CxCompareItem *it)
{
  g_autofree char *a0 = fmt_num(it->mean[0], 2);
  g_autofree char *a1 = fmt_num(it->mean[1], 2);
  g_autofree char *m0 = fmt_num(it->median[0], 2);
  g_autofree char *m1 = fmt_num(it->median[1], 2);
  g_autofree char *n0 = fmt_count((double)it->n[0]);
  g_autofree char *n1 = fmt_count((double)it->n[1]);
  g_autofree char *q = cx_compare_fmt_q(it->sample_q);
  g_string_append_printf(out,
                         "  Satisfaction (%s): mean %s -> %s, median %s -> %s (%s -> %s journeys "
                         "with a score), %s\n",
                         it->sample_polarity < 0 ? "lower is better" : "higher is better", a0, a1,
                         m0, m1, n0, n1, q);
}

static void
line_sample(GString *out, const CxCompareItem *it)
{
  if (is_satisfaction(it)) {
    line_satisfaction(out, it);
    return;
  }
  gboolean count = it->kind == CX_COMPARE_HEADLINE && strcmp(it->name, "instances per case") == 0;
  g_autofree char *m0 = count ? fmt_num(it->median[0], 1) : cx_compare_fmt_dur(it->median[0]);
  g_autofree char *m1 = count ? fmt_num(it->median[1], 1) : cx_compare_fmt_dur(it->median[1]);
  g_autofree char *ratio = fmt_ratio(it->median[0], it->median[1], count ? "fewer" : "shorter",
                                     count ? "more" : "longer");
  g_autofree char *q = cx_compare_fmt_q(it->sample_q);
  g_string_append(out, "  ");
  if (it->kind == CX_COMPARE_HEADLINE) {
    g_string_append(out, count ? "Events per journey" : "Journey duration");
  } else {
    g_string_append(out, it->kind == CX_COMPARE_EDGE ? "Wait " : "Wait before ");
    quoted_name(out, it);
  }
  g_string_append_printf(out, ": median %s -> %s%s, %s\n", m0, m1, ratio, q);
}

typedef struct {
  const CxCompareItem *it;
  gboolean rate; /* else sample */
  double importance;
} Line;

static int
cmp_lines(gconstpointer pa, gconstpointer pb)
{
  const Line *a = pa, *b = pb;
  if (a->importance != b->importance)
    return a->importance > b->importance ? -1 : 1;
  if (a->rate != b->rate)
    return a->rate ? -1 : 1;
  return strcmp(a->it->name, b->it->name);
}

/* Every test of direction @dir (variants only when @variants), most important first. */
static GArray *
collect_lines(const CxCompare *c, CxChange dir, gboolean variants)
{
  GArray *f = g_array_new(FALSE, FALSE, sizeof(Line));
  for (guint i = 0; i < c->items->len; i++) {
    const CxCompareItem *it = &g_array_index(c->items, CxCompareItem, i);
    if (it->kind == CX_COMPARE_VARIANT && !variants)
      continue;
    /* a test shared with another item (the same journeys) is listed once */
    if (it->rate_change == dir && (!it->rate_shared || it->kind == CX_COMPARE_VARIANT))
      g_array_append_val(f, ((Line){ it, TRUE, it->rate_importance }));
    if (it->sample_change == dir && !it->sample_shared)
      g_array_append_val(f, ((Line){ it, FALSE, it->sample_importance }));
  }
  g_array_sort(f, cmp_lines);
  return f;
}

static void
text_section(const CxCompare *c, CxChange dir, const char *title, guint top, GString *out)
{
  g_autoptr(GArray) f = collect_lines(c, dir, FALSE);
  if (f->len == 0) {
    g_string_append_printf(out, "\n%s: nothing.\n", title);
    return;
  }
  guint shown = top == 0 ? f->len : MIN(top, f->len);
  if (shown < f->len)
    g_string_append_printf(out, "\n%s (top %u of %u):\n", title, shown, f->len);
  else
    g_string_append_printf(out, "\n%s (%u):\n", title, f->len);
  for (guint i = 0; i < shown; i++) {
    const Line *x = &g_array_index(f, Line, i);
    if (x->rate)
      line_rate(out, x->it);
    else
      line_sample(out, x->it);
  }
}

/* "Bob's journeys take 9x longer than Alice's (median 66 d vs 7.3 d)." */
static void
sentence_duration(const CxCompare *c, GString *out)
{
  const CxCompareItem *dur = headline(c, "case duration");
  const char *a = c->opts.names[0], *b = c->opts.names[1];
  double m0 = dur->median[0], m1 = dur->median[1];
  if (isnan(m0) || isnan(m1)) {
    g_string_append_printf(out,
                           "%s vs %s: journey durations cannot be compared (no timestamps "
                           "on one side).",
                           b, a);
    return;
  }
  g_autofree char *s0 = cx_compare_fmt_dur(m0);
  g_autofree char *s1 = cx_compare_fmt_dur(m1);
  gboolean within_chance = FALSE;
  if (dur->sample_change == CX_CHANGE_SAME) {
    double rel = m0 > 0 ? fabs(m1 / m0 - 1) : 0;
    if (!(rel >= c->opts.min_effect_rel) || fabs(m1 - m0) < 60) {
      g_string_append_printf(out, "%s vs %s: journeys take about as long (median %s vs %s).", b, a,
                             s1, s0);
      return;
    }
    within_chance = TRUE; /* the medians differ, the test says it may be chance */
  }
  gboolean longer = m1 > m0;
  double r = longer ? (m0 > 0 ? m1 / m0 : INFINITY) : (m1 > 0 ? m0 / m1 : INFINITY);
  g_autofree char *how = NULL;
  if (!isfinite(r))
    how = g_strdup(longer ? "longer" : "shorter");
  else if (r >= 1.5) {
    g_autofree char *x = cx_format_number(r, r < 10 ? 1 : 0);
    how = g_strdup_printf(longer ? "%sx longer" : "%sx less time", x);
  } else {
    g_autofree char *pct = cx_format_number(100 * fabs(m1 / m0 - 1), 0);
    how = g_strdup_printf("%s%% %s", pct, longer ? "longer" : "less time");
  }
  g_string_append_printf(out, "%s vs %s: journeys take %s (median %s vs %s)%s.", b, a, how, s1, s0,
                         within_chance ? ", within chance" : "");
}

static void
sentence_success(const CxCompare *c, GString *out)
{
  const CxCompareItem *succ = headline(c, "successful ends");
  if (succ == NULL || succ->cases[0] == 0 || succ->cases[1] == 0) {
    g_string_append(out, " Success cannot be compared (no finished journeys on one side).");
    return;
  }
  g_autofree char *s0 = cx_compare_fmt_share(succ->case_rate[0]);
  g_autofree char *s1 = cx_compare_fmt_share(succ->case_rate[1]);
  if (succ->rate_change == CX_CHANGE_BETTER)
    g_string_append_printf(out, " More end successfully (%s vs %s of finished journeys).", s1, s0);
  else if (succ->rate_change == CX_CHANGE_WORSE)
    g_string_append_printf(out, " Fewer end successfully (%s vs %s of finished journeys).", s1, s0);
  else
    g_string_append_printf(out, " About as many end successfully (%s vs %s of finished journeys).",
                           s1, s0);
}

static void
sentence_satisfaction(const CxCompare *c, GString *out)
{
  const CxCompareItem *sat = headline(c, "satisfaction");
  if (sat == NULL)
    return;
  if (sat->n[0] == 0 || sat->n[1] == 0) {
    g_string_append(out, " Satisfaction cannot be compared (no score on one side).");
    return;
  }
  g_autofree char *a0 = fmt_num(sat->mean[0], 2);
  g_autofree char *a1 = fmt_num(sat->mean[1], 2);
  const char *how = sat->sample_change == CX_CHANGE_BETTER  ? "is better"
                    : sat->sample_change == CX_CHANGE_WORSE ? "is worse"
                                                            : "is about the same";
  g_string_append_printf(out, " Satisfaction %s (mean score %s vs %s).", how, a1, a0);
}

static void
sentence_counts(const CxCompare *c, GString *out)
{
  guint n[4] = { 0, 0, 0, 0 };
  for (guint i = 0; i < c->items->len; i++) {
    const CxCompareItem *it = &g_array_index(c->items, CxCompareItem, i);
    if (it->kind == CX_COMPARE_HEADLINE && strcmp(it->name, "cases") == 0)
      continue;
    n[it->rate_change] += !it->rate_shared && it->kind != CX_COMPARE_VARIANT;
    n[it->sample_change] += !it->sample_shared;
  }
  g_autofree char *rel = cx_format_number(100 * c->opts.min_effect_rel, 0);
  g_autofree char *pts = cx_format_number(100 * c->opts.min_effect_points, 0);
  if (n[CX_CHANGE_BETTER] + n[CX_CHANGE_WORSE] + n[CX_CHANGE_CHANGED] == 0) {
    g_string_append_printf(out,
                           " No measure differs beyond chance by at least %s%% (%s points for "
                           "shares).\n",
                           rel, pts);
    return;
  }
  g_string_append_printf(out,
                         " Beyond chance and by at least %s%% (%s points for shares), %u "
                         "measure%s got worse, %u better and %u changed with no better or "
                         "worse; the rest are the same.\n",
                         rel, pts, n[CX_CHANGE_WORSE], n[CX_CHANGE_WORSE] == 1 ? "" : "s",
                         n[CX_CHANGE_BETTER], n[CX_CHANGE_CHANGED]);
}

static void
text_table(const CxCompare *c, GString *out)
{
  const CxCompareItem *inst = headline(c, "instances per case");
  const CxCompareItem *dur = headline(c, "case duration");
  const CxCompareItem *succ = headline(c, "successful ends");
  g_string_append(out, "\nHeadline:\n");
  line_sample(out, dur);
  {
    g_autofree char *p0 = cx_compare_fmt_dur(dur->p90[0]);
    g_autofree char *p1 = cx_compare_fmt_dur(dur->p90[1]);
    g_string_append_printf(out, "  Journey duration p90: %s -> %s\n", p0, p1);
  }
  line_sample(out, inst);
  const CxCompareItem *sat = headline(c, "satisfaction");
  if (sat)
    line_satisfaction(out, sat);
  if (succ)
    line_rate(out, succ);
  gboolean any = FALSE;
  for (guint i = 0; i < c->items->len; i++) {
    const CxCompareItem *it = &g_array_index(c->items, CxCompareItem, i);
    if (it->kind != CX_COMPARE_FRICTION)
      continue;
    if (!any)
      g_string_append(out, "\nFriction (journeys with a finding of each kind):\n");
    any = TRUE;
    line_rate(out, it);
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
    g_autofree char *r = cx_compare_fmt_share(it->case_rate[k]);
    g_string_append(out, "  ");
    quoted_name(out, it);
    g_string_append_printf(out, ": %s journey%s (%s) in %s, none in %s\n", n,
                           it->cases[k] == 1 ? "" : "s", r, c->opts.names[k], c->opts.names[1 - k]);
  }
  if (top > 0 && list->len > top)
    g_string_append_printf(out, "  … %u more\n", list->len - top);
}

static void
text_variants(const CxCompare *c, guint top, GString *out)
{
  g_autoptr(GArray) f = collect_lines(c, CX_CHANGE_CHANGED, TRUE);
  guint shown = 0, total = 0;
  for (guint i = 0; i < f->len; i++) {
    const CxCompareItem *it = g_array_index(f, Line, i).it;
    if (it->kind != CX_COMPARE_VARIANT)
      continue;
    if (total++ == 0)
      g_string_append(out, "\nVariant shifts:\n");
    if (top && shown >= top)
      continue;
    shown++;
    g_autofree char *s0 = cx_compare_fmt_share(it->case_rate[0]);
    g_autofree char *s1 = cx_compare_fmt_share(it->case_rate[1]);
    g_autofree char *q = cx_compare_fmt_q(it->rate_q);
    g_string_append_printf(out, "  %s -> %s of journeys, %s: %s\n", s0, s1, q, it->name);
  }
  if (total > shown)
    g_string_append_printf(out, "  … %u more\n", total - shown);
}

void
cx_compare_to_text(const CxCompare *c, guint top, gboolean verbose, GString *out)
{
  const CxCompareItem *cases = headline(c, "cases");
  g_autofree char *n0 = cx_format_count(cases->count[0]);
  g_autofree char *n1 = cx_format_count(cases->count[1]);
  g_string_append_printf(out, "%s (%s journeys) vs %s (%s journeys)\n\n", c->opts.names[1], n1,
                         c->opts.names[0], n0);
  sentence_duration(c, out);
  sentence_success(c, out);
  sentence_satisfaction(c, out);
  sentence_counts(c, out);
  g_autofree char *alpha = cx_format_number(c->opts.alpha, 2);
  g_string_append_printf(out,
                         "(Figures read %s -> %s. q is the chance that a difference this large "
                         "is a fluke, corrected for the %u comparisons made; below %s counts.)\n",
                         c->opts.names[0], c->opts.names[1], c->n_tests, alpha);
  text_section(c, CX_CHANGE_WORSE, "Worse", top, out);
  text_section(c, CX_CHANGE_BETTER, "Better", top, out);
  if (!verbose) {
    g_autoptr(GArray) ch = collect_lines(c, CX_CHANGE_CHANGED, TRUE);
    g_string_append_printf(out,
                           "\n%u other change%s with no better or worse (frequencies of "
                           "paths, activities, variants); the headline table, friction by "
                           "kind, new and vanished paths: --verbose or --json.\n",
                           ch->len, ch->len == 1 ? "" : "s");
    return;
  }
  text_table(c, out);
  g_autoptr(GArray) ch = collect_lines(c, CX_CHANGE_CHANGED, FALSE);
  if (ch->len > 0) {
    guint shown = top == 0 ? ch->len : MIN(top, ch->len);
    g_string_append_printf(out, "\nChanged, neither better nor worse (%u):\n", ch->len);
    for (guint i = 0; i < shown; i++) {
      const Line *x = &g_array_index(ch, Line, i);
      if (x->rate)
        line_rate(out, x->it);
      else
        line_sample(out, x->it);
    }
    if (shown < ch->len)
      g_string_append_printf(out, "  … %u more (--top 0 for all)\n", ch->len - shown);
  }
  text_new_vanished(c, TRUE, top, out);
  text_new_vanished(c, FALSE, top, out);
  text_variants(c, top, out);
}
