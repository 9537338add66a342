/* The comparison as readable text, and the formatting it shares with the
 * map (compare-map.c). */
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

/* The heading of a kind of friction finding in the text report. */
static const char *
friction_label(CxFindingKind kind)
{
  static const char *const labels[CX_FINDING_N_KINDS] = {
    [CX_FINDING_BOTTLENECK] = "Bottlenecks",
    [CX_FINDING_REWORK] = "Rework",
    [CX_FINDING_PINGPONG] = "Ping-pong",
    [CX_FINDING_DROPOFF] = "Drop-off",
    [CX_FINDING_CHANNEL_SWITCH] = "Channel switches",
    [CX_FINDING_NEGATIVE] = "Negative events",
    [CX_FINDING_EFFORT] = "High effort",
    [CX_FINDING_INCONSISTENCY] = "Inconsistent waits",
    [CX_FINDING_LOOP] = "Loops",
    [CX_FINDING_REPEAT_CONTACT] = "Repeat contacts",
    [CX_FINDING_DRIFT] = "Drift",
  };
  return kind < CX_FINDING_N_KINDS && labels[kind] != NULL ? labels[kind]
                                                           : cx_finding_kind_name(kind);
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
                             friction_label(it->finding), r0, r1, pts, l0, l1, t0, t1, q);
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
  return it->kind == CX_COMPARE_HEADLINE && it->headline == CX_COMPARE_SATISFACTION;
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
  gboolean count = it->kind == CX_COMPARE_HEADLINE && it->headline == CX_COMPARE_INSTANCES;
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
  const CxCompareItem *dur = cx_compare_headline(c, CX_COMPARE_DURATION);
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
  const CxCompareItem *succ = cx_compare_headline(c, CX_COMPARE_SUCCESS);
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
  const CxCompareItem *sat = cx_compare_headline(c, CX_COMPARE_SATISFACTION);
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
    if (it->kind == CX_COMPARE_HEADLINE && it->headline == CX_COMPARE_CASES)
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
  const CxCompareItem *inst = cx_compare_headline(c, CX_COMPARE_INSTANCES);
  const CxCompareItem *dur = cx_compare_headline(c, CX_COMPARE_DURATION);
  const CxCompareItem *succ = cx_compare_headline(c, CX_COMPARE_SUCCESS);
  g_string_append(out, "\nHeadline:\n");
  line_sample(out, dur);
  {
    g_autofree char *p0 = cx_compare_fmt_dur(dur->p90[0]);
    g_autofree char *p1 = cx_compare_fmt_dur(dur->p90[1]);
    g_string_append_printf(out, "  Journey duration p90: %s -> %s\n", p0, p1);
  }
  line_sample(out, inst);
  const CxCompareItem *sat = cx_compare_headline(c, CX_COMPARE_SATISFACTION);
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
  const CxCompareItem *cases = cx_compare_headline(c, CX_COMPARE_CASES);
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
  cx_quantiles_note(out, cx_compare_quantile_rel_error(c) > 0);
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
