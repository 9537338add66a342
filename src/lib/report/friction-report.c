/* Friction reports: plain-words sentences, text, JSON. */
#include "cxmine/friction.h"
#include "cxmine/case-ids.h"
#include "cxmine/output.h"
#include "quantiles-private.h"
#include <math.h>
#include <string.h>

/* "27%", "4.3%", "<0.1%" (a share that is not zero but rounds to it). */
static void
append_pct(GString *s, double share)
{
  if (share > 0 && share < 0.0005) {
    g_string_append(s, "<0.1%");
    return;
  }
  g_autofree char *p = cx_format_number(100 * share, share < 0.1 ? 1 : 0);
  g_string_append_printf(s, "%s%%", p);
}

/* Customer time for people: days up to a year, then years. */
static char *
human_time(double seconds)
{
  double years = seconds / (365.25 * 86400);
  if (years >= 1) {
    g_autofree char *v
        = years >= 10 ? cx_format_count((guint64)llround(years)) : cx_format_number(years, 1);
    return g_strdup_printf("%s %s", v, years < 1.05 ? "year" : "years");
  }
  return cx_format_duration(seconds);
}

static void
append_dur(GString *s, double seconds)
{
  g_autofree char *d = cx_format_duration(seconds);
  g_string_append(s, d);
}

/* @seconds in the unit cx_format_duration picks for @ref, so a sentence
 * keeps one unit ("1 d longer (median 40 d vs 39 d)"). */
static void
append_dur_as(GString *s, double seconds, double ref)
{
  double a = fabs(ref);
  double unit = a < 60 ? 1 : a < 3600 ? 60 : a < 86400 ? 3600 : 86400;
  const char *name = a < 60 ? "s" : a < 3600 ? "min" : a < 86400 ? "h" : "d";
  double v = seconds / unit;
  g_autofree char *num = fabs(v) >= 10000 ? cx_format_count((guint64)llround(fabs(v)))
                                          : cx_format_number(v, fabs(v) < 10 ? 1 : 0);
  g_string_append_printf(s, "%s %s", num, name);
}

static const char *
plural(guint64 n, const char *one, const char *many)
{
  return n == 1 ? one : many;
}

/* "12,345 cases" with the right grammar. */
static void
append_count(GString *s, guint64 n, const char *one, const char *many)
{
  g_autofree char *c = cx_format_count(n);
  g_string_append_printf(s, "%s %s", c, plural(n, one, many));
}

char *
cx_finding_cost(const CxFinding *fd)
{
  GString *s = g_string_new(NULL);
  if (fd->customers_lost > 0 || fd->extra_time_s <= 0) {
    append_count(s, fd->customers_lost, "customer lost", "customers lost");
    g_string_append(s, " (");
    append_pct(s, fd->customers_lost_share);
    g_string_append(s, ")");
  }
  if (fd->extra_time_s > 0) {
    g_autofree char *t = human_time(fd->extra_time_s);
    g_string_append_printf(s, "%s+%s customer time (", s->len > 0 ? ", " : "", t);
    append_pct(s, fd->extra_time_share);
    g_string_append(s, ")");
  }
  return g_string_free(s, FALSE);
}

static void
append_comparison(GString *s, const CxFinding *fd)
{
  gboolean drift = fd->kind == CX_FINDING_DRIFT;
  double d = fd->median_with_s - fd->median_without_s;
  const char *them = drift ? " Journeys of the last period" : " Those cases";
  if (!isnan(d)) {
    double ref = MAX(fd->median_with_s, fd->median_without_s);
    if (fabs(d) < 1) {
      g_string_append_printf(s, "%s take about as long as %s (median ", them,
                             drift ? "the first period's" : "the others");
    } else {
      g_string_append_printf(s, "%s take ", them);
      append_dur_as(s, fabs(d), ref);
      g_string_append(s, d > 0 ? " longer (median " : " less (median ");
    }
    append_dur_as(s, fd->median_with_s, ref);
    g_string_append(s, " vs ");
    append_dur_as(s, fd->median_without_s, ref);
    g_string_append(s, ")");
  }
  double p = fd->success_with - fd->success_without;
  if (!isnan(p)) {
    g_string_append(s, isnan(d) ? them : " and");
    double pts = fabs(100 * p);
    if (pts < 0.5) {
      g_string_append(s, " end successfully as often as ");
      g_string_append(s, drift ? "the first period's (" : "the others (");
    } else {
      g_autofree char *n = cx_format_number(pts, 0);
      g_string_append_printf(s, " end successfully %s %s %s often than %s (", n,
                             llround(pts) == 1 ? "point" : "points", p > 0 ? "more" : "less",
                             drift ? "the first period's"
                             : fd->n_names > 0 && fd->kind != CX_FINDING_DROPOFF
                                     && fd->kind != CX_FINDING_NEGATIVE
                                 ? "others who reached that step"
                                 : "the others");
    }
    append_pct(s, fd->success_with);
    g_string_append(s, " vs ");
    append_pct(s, fd->success_without);
    g_string_append(s, ")");
  }
  if (!isnan(d) || !isnan(p))
    g_string_append_c(s, '.');
  if (!isnan(fd->satisfaction_with) && !isnan(fd->satisfaction_without)) {
    g_autofree char *a = cx_format_number(fd->satisfaction_with, 2);
    g_autofree char *b = cx_format_number(fd->satisfaction_without, 2);
    g_string_append_printf(s, " Satisfaction %s vs %s.", a, b);
  }
}

static void
append_cycle(GString *s, const CxFinding *fd)
{
  for (guint k = 0; k < fd->n_names; k++)
    g_string_append_printf(s, "'%s' -> ", fd->names[k]);
  g_string_append_printf(s, "'%s'", fd->names[0]);
}

/* A wait (or a service time) far longer than the others. */
static void
describe_bottleneck(GString *s, const CxFinding *fd, const char *cases, const char *cw)
{
  gboolean svc = fd->measure_kind == CX_FINDING_MEASURE_SERVICE;
  if (svc)
    g_string_append_printf(s, "Bottleneck: '%s' itself takes long in %s %s (", fd->names[0], cases,
                           cw);
  else
    g_string_append_printf(s, "Bottleneck: customers wait between '%s' and '%s' in %s %s (",
                           fd->names[0], fd->names[1], cases, cw);
  append_pct(s, fd->share);
  g_string_append(s, "): median ");
  append_dur(s, fd->median_s);
  g_string_append(s, ", p90 ");
  append_dur(s, fd->p90_s);
  g_string_append(s, " (the other steps: median ");
  append_dur(s, fd->typical);
  g_string_append(s, "); ");
  append_pct(s, fd->wait_share);
  g_string_append(s, svc ? " of all service time." : " of all waiting.");
}

/* A switch from one channel to another, or many switches. */
static void
describe_channels(GString *s, const CxFinding *fd, const char *cases, const char *cw,
                  const char *occ)
{
  if (fd->n_names == 2) {
    g_string_append_printf(s, "Channel switch: %s %s (", cases, cw);
    append_pct(s, fd->share);
    g_string_append_printf(s, ") move from channel '%s' to '%s' (%s %s", fd->names[0], fd->names[1],
                           occ, plural(fd->occurrences, "time", "times"));
    if (!isnan(fd->median_s)) {
      g_string_append(s, ", median wait at the switch ");
      append_dur(s, fd->median_s);
    }
    g_string_append(s, ").");
  } else {
    g_string_append_printf(s, "Channel hopping: %s %s (", cases, cw);
    append_pct(s, fd->share);
    g_autofree char *lim = cx_format_number(fd->threshold, 0);
    g_string_append_printf(s, ") switch channel %s times or more (%s %s in all).", lim, occ,
                           plural(fd->occurrences, "switch", "switches"));
  }
}

/* A wait (or a service time) whose spread is far larger than the others'. */
static void
describe_inconsistency(GString *s, const CxFinding *fd, const char *cases, const char *cw)
{
  gboolean svc = fd->measure_kind == CX_FINDING_MEASURE_SERVICE;
  g_autofree char *ratio = cx_format_ratio(fd->threshold); /* "over 100x", never 18461.3x */
  if (svc)
    g_string_append_printf(s, "Inconsistent: how long '%s' takes varies a lot", fd->names[0]);
  else
    g_string_append_printf(s, "Inconsistent: the wait between '%s' and '%s' varies a lot",
                           fd->names[0], fd->names[1]);
  g_string_append(s, " (median ");
  append_dur(s, fd->median_s);
  g_string_append_printf(s, ", p90 %s that: ", ratio);
  append_dur(s, fd->p90_s);
  g_string_append_printf(s, "); %s %s (", cases, cw);
  append_pct(s, fd->share);
  g_string_append(s, ") take far longer than usual there.");
}

/* A measure that got worse from the first to the last quarter of the period. */
static void
describe_drift(GString *s, const CxFinding *fd)
{
  gboolean svc = fd->measure_kind == CX_FINDING_MEASURE_SERVICE;
  g_autofree char *l0 = cx_format_count((guint64)llround(fd->load_start));
  g_autofree char *l1 = cx_format_count((guint64)llround(fd->load_end));
  if (fd->measure_kind == CX_FINDING_MEASURE_SUCCESS_SHARE) {
    g_string_append(s, "Drift: the share of journeys ending successfully fell from ");
    append_pct(s, fd->level_start);
    g_string_append(s, " to ");
    append_pct(s, fd->level_end);
  } else if (fd->measure_kind == CX_FINDING_MEASURE_NEGATIVE_SHARE) {
    g_string_append_printf(s, "Drift: the share of journeys with '%s' rose from ", fd->names[0]);
    append_pct(s, fd->level_start);
    g_string_append(s, " to ");
    append_pct(s, fd->level_end);
  } else {
    if (svc)
      g_string_append_printf(s, "Drift: '%s' takes longer over time: median ", fd->names[0]);
    else
      g_string_append_printf(s, "Drift: the wait between '%s' and '%s' grows: median ",
                             fd->names[0], fd->names[1]);
    append_dur_as(s, fd->level_start, MAX(fd->level_start, fd->level_end));
    g_string_append(s, " -> ");
    append_dur_as(s, fd->level_end, MAX(fd->level_start, fd->level_end));
  }
  g_string_append_printf(s, " from the first to the last quarter of the period (q = ");
  if (fd->q < 0.001)
    g_string_append(s, "<0.001");
  else {
    g_autofree char *q = cx_format_number(fd->q, 3);
    g_string_append(s, q);
  }
  g_string_append_printf(s, "), with %s then %s journeys in flight.", l0, l1);
}

char *
cx_finding_describe(const CxFinding *fd, guint64 n_cases)
{
  GString *s = g_string_new(NULL);
  g_autofree char *cases = cx_format_count(fd->cases);
  const char *cw = plural(fd->cases, "case", "cases");
  g_autofree char *occ = cx_format_count(fd->occurrences);
  switch (fd->kind) {
    case CX_FINDING_BOTTLENECK:
      describe_bottleneck(s, fd, cases, cw);
      break;
    case CX_FINDING_REWORK:
      g_string_append_printf(s, "Rework: '%s' is repeated in %s %s (", fd->names[0], cases, cw);
      append_pct(s, fd->share);
      g_string_append_printf(s, "), %s extra %s.", occ, plural(fd->occurrences, "time", "times"));
      break;
    case CX_FINDING_PINGPONG:
    case CX_FINDING_LOOP:
      g_string_append(s, fd->kind == CX_FINDING_LOOP ? "Loop: " : "Ping-pong: ");
      append_cycle(s, fd);
      g_string_append_printf(s, " in %s %s (", cases, cw);
      append_pct(s, fd->share);
      g_string_append_printf(s, "), %s %s", occ, plural(fd->occurrences, "return", "returns"));
      if (fd->kind == CX_FINDING_LOOP)
        g_string_append_printf(s, " (a turn may take %d detour step)", CX_FRICTION_LOOP_DETOURS);
      g_string_append_c(s, '.');
      break;
    case CX_FINDING_DROPOFF:
      g_string_append_printf(s, "Drop-off: %s finished %s (", cases,
                             plural(fd->cases, "journey", "journeys"));
      append_pct(s, fd->share);
      g_string_append_printf(s, ") %s at '%s' without success.", fd->cases == 1 ? "ends" : "end",
                             fd->names[0]);
      break;
    case CX_FINDING_REPEAT_CONTACT:
      g_string_append_printf(s, "Repeat contact: '%s' happens again on another channel in %s %s (",
                             fd->names[0], cases, cw);
      append_pct(s, fd->share);
      g_string_append_printf(s, "), %s %s.", occ,
                             plural(fd->occurrences, "repeat contact", "repeat contacts"));
      break;
    case CX_FINDING_CHANNEL_SWITCH:
      describe_channels(s, fd, cases, cw, occ);
      break;
    case CX_FINDING_NEGATIVE:
      g_string_append_printf(s, "Negative: '%s' happens in %s %s (", fd->names[0], cases, cw);
      append_pct(s, fd->share);
      g_string_append_printf(s, "), %s %s", occ, plural(fd->occurrences, "time", "times"));
      if (fd->preceding != NULL) {
        g_autofree char *pc = cx_format_count(fd->preceding_count);
        g_string_append_printf(s, "; most often right after '%s' (%s %s)", fd->preceding, pc,
                               plural(fd->preceding_count, "time", "times"));
      }
      g_string_append_c(s, '.');
      break;
    case CX_FINDING_EFFORT: {
      g_autofree char *lim = cx_format_number(fd->threshold, 1);
      g_autofree char *med = cx_format_number(fd->typical, 1);
      g_string_append_printf(s, "Effort: %s %s (", cases, cw);
      append_pct(s, fd->share);
      if (fd->measure_kind == CX_FINDING_MEASURE_TOUCHES)
        g_string_append_printf(
            s, ") involve more than %s different resources (a typical case: %s).", lim, med);
      else
        g_string_append_printf(s, ") take more than %s steps (a typical case: %s).", lim, med);
      break;
    }
    case CX_FINDING_INCONSISTENCY:
      describe_inconsistency(s, fd, cases, cw);
      break;
    case CX_FINDING_DRIFT:
      describe_drift(s, fd);
      break;
    default:
      break;
  }
  append_comparison(s, fd);
  (void)n_cases;
  return g_string_free(s, FALSE);
}

static void
json_names(CxJson *j, const CxFinding *fd)
{
  gboolean chan = fd->kind == CX_FINDING_CHANNEL_SWITCH;
  cx_json_key(j, "activities");
  cx_json_begin_array(j);
  for (guint k = 0; k < fd->n_names && !chan; k++)
    cx_json_string(j, fd->names[k]);
  cx_json_end_array(j);
  cx_json_key(j, "channels");
  cx_json_begin_array(j);
  for (guint k = 0; k < fd->n_names && chan; k++)
    cx_json_string(j, fd->names[k]);
  cx_json_end_array(j);
}

static void
json_double_or_null(CxJson *j, const char *key, double v)
{
  cx_json_key(j, key);
  if (isnan(v))
    cx_json_null(j);
  else
    cx_json_double(j, v);
}

/* Every finding has every key (null where it does not apply), so readers
 * can index into any of them. */
static void
json_finding(CxFriction *f, CxJson *j, const CxFinding *fd, gboolean case_ids)
{
  const CxFindingKind k = fd->kind;
  gboolean timing = k == CX_FINDING_BOTTLENECK || k == CX_FINDING_INCONSISTENCY;
  cx_json_begin_object(j);
  cx_json_key(j, "kind");
  cx_json_string(j, cx_finding_kind_name(k));
  json_names(j, fd);
  cx_json_key(j, "measure");
  if (fd->measure != NULL)
    cx_json_string(j, fd->measure);
  else
    cx_json_null(j);
  cx_json_key(j, "cases");
  cx_json_int(j, (gint64)fd->cases);
  cx_json_key_double(j, "share", fd->share);
  cx_json_key(j, "customers_lost");
  cx_json_int(j, (gint64)fd->customers_lost);
  cx_json_key_double(j, "customers_lost_share", fd->customers_lost_share);
  cx_json_key_double(j, "extra_time_s", fd->extra_time_s);
  cx_json_key_double(j, "extra_time_share", fd->extra_time_share);
  cx_json_key_double(j, "impact_s", fd->extra_time_s);
  cx_json_key_double(j, "score", fd->score);
  json_double_or_null(j, "median_with_s", fd->median_with_s);
  json_double_or_null(j, "median_without_s", fd->median_without_s);
  json_double_or_null(j, "success_with", fd->success_with);
  json_double_or_null(j, "success_without", fd->success_without);
  json_double_or_null(j, "success_p", fd->success_p);
  json_double_or_null(j, "satisfaction_with", fd->satisfaction_with);
  json_double_or_null(j, "satisfaction_without", fd->satisfaction_without);
  cx_json_key(j, "occurrences");
  cx_json_int(j, (gint64)fd->occurrences);
  cx_json_key(j, "preceding");
  if (fd->preceding != NULL)
    cx_json_string(j, fd->preceding);
  else
    cx_json_null(j);
  cx_json_key(j, "preceding_count");
  if (k == CX_FINDING_NEGATIVE)
    cx_json_int(j, (gint64)fd->preceding_count);
  else
    cx_json_null(j);
  json_double_or_null(j, "median_s", fd->median_s);
  json_double_or_null(j, "p90_s", fd->p90_s);
  json_double_or_null(j, "total_s", fd->total_s);
  json_double_or_null(j, "wait_share", k == CX_FINDING_BOTTLENECK ? fd->wait_share : NAN);
  json_double_or_null(j, "typical_wait_s", timing ? fd->typical : NAN);
  json_double_or_null(j, "p90_median_ratio", k == CX_FINDING_INCONSISTENCY ? fd->threshold : NAN);
  json_double_or_null(j, "min_switches",
                      k == CX_FINDING_CHANNEL_SWITCH && fd->n_names == 0 ? fd->threshold : NAN);
  json_double_or_null(j, "limit", k == CX_FINDING_EFFORT ? fd->threshold : NAN);
  json_double_or_null(j, "median", k == CX_FINDING_EFFORT ? fd->typical : NAN);
  json_double_or_null(j, "level_start", fd->level_start);
  json_double_or_null(j, "level_end", fd->level_end);
  json_double_or_null(j, "load_start", fd->load_start);
  json_double_or_null(j, "load_end", fd->load_end);
  json_double_or_null(j, "trend_p", fd->p);
  json_double_or_null(j, "trend_q", fd->q);
  cx_json_key(j, "also");
  cx_json_begin_array(j);
  for (guint x = 0; x < fd->n_also; x++) {
    cx_json_begin_object(j);
    cx_json_key(j, "kind");
    cx_json_string(j, cx_finding_kind_name(fd->also[x].kind));
    json_names(j, &fd->also[x]);
    cx_json_key(j, "cases");
    cx_json_int(j, (gint64)fd->also[x].cases);
    cx_json_end_object(j);
  }
  cx_json_end_array(j);
  if (case_ids) {
    guint n;
    const guint32 *ids = cx_friction_finding_case_ids(f, fd, &n);
    cx_case_ids_to_json(j, cx_log_cases(cx_friction_log(f)), ids, n);
  }
  g_autofree char *text = cx_finding_describe(fd, cx_friction_n_cases(f));
  cx_json_key(j, "text");
  cx_json_string(j, text);
  cx_json_end_object(j);
}

/* "waits_not_friction": after success and until return. */
static void
json_waits(CxFriction *f, CxJson *j)
{
  guint nwt;
  const CxFrictionWait *wt = cx_friction_waits(f, &nwt);
  cx_json_key(j, "waits_not_friction");
  cx_json_begin_array(j);
  for (guint i = 0; i < nwt; i++) {
    cx_json_begin_object(j);
    cx_json_key(j, "kind");
    cx_json_string(j, wt[i].after_success ? "after_success" : "until_return");
    cx_json_key(j, "activities");
    cx_json_begin_array(j);
    cx_json_string(j, wt[i].from);
    if (wt[i].to != NULL)
      cx_json_string(j, wt[i].to);
    cx_json_end_array(j);
    cx_json_key(j, "cases");
    cx_json_int(j, (gint64)wt[i].cases);
    cx_json_key(j, "occurrences");
    cx_json_int(j, (gint64)wt[i].count);
    cx_json_key_double(j, "median_s", wt[i].median_s);
    cx_json_key_double(j, "p90_s", wt[i].p90_s);
    cx_json_key_double(j, "total_s", wt[i].total_s);
    cx_json_key_double(j, "wait_share", wt[i].wait_share);
    cx_json_end_object(j);
  }
  cx_json_end_array(j);
}

static void
json_funnel(CxFriction *f, CxJson *j)
{
  guint nf;
  const CxFunnelStep *fu = cx_friction_funnel(f, &nf);
  cx_json_key(j, "funnel");
  cx_json_begin_array(j);
  for (guint i = 0; i < nf; i++) {
    cx_json_begin_object(j);
    cx_json_key(j, "activity");
    cx_json_string(j, fu[i].activity);
    cx_json_key(j, "reached");
    cx_json_int(j, (gint64)fu[i].reached);
    cx_json_key(j, "left");
    cx_json_int(j, (gint64)fu[i].left);
    cx_json_key_double(j, "left_share", fu[i].left_share);
    cx_json_end_object(j);
  }
  cx_json_end_array(j);
}

static void
json_matrix(CxFriction *f, CxJson *j)
{
  cx_json_key(j, "channel_matrix");
  cx_json_begin_array(j);
  guint nm;
  const CxChannelSwitch *m = cx_friction_channel_matrix(f, &nm);
  for (guint i = 0; i < nm; i++) {
    cx_json_begin_object(j);
    cx_json_key(j, "from");
    cx_json_string(j, m[i].from);
    cx_json_key(j, "to");
    cx_json_string(j, m[i].to);
    cx_json_key(j, "count");
    cx_json_int(j, (gint64)m[i].count);
    cx_json_key(j, "cases");
    cx_json_int(j, (gint64)m[i].cases);
    json_double_or_null(j, "median_wait_s", m[i].median_wait_s);
    cx_json_end_object(j);
  }
  cx_json_end_array(j);
}

void
cx_friction_to_json(CxFriction *f, CxJson *j, guint top, gboolean case_ids)
{
  const CxFrictionOptions *o = cx_friction_options(f);
  guint n;
  const CxFinding *fs = cx_friction_findings(f, &n);
  guint64 succ, drop, open;
  cx_friction_outcomes(f, &succ, &drop, &open);
  static const char *const ranks[] = { "customers", "time", "satisfaction" };
  cx_json_begin_object(j);
  cx_calendar_json(cx_log_options(cx_friction_log(f))->calendar, j);
  cx_json_key(j, "cases");
  cx_json_int(j, (gint64)cx_friction_n_cases(f));
  cx_json_key_double(j, "customer_time_s", cx_friction_total_time(f));
  cx_json_key(j, "rank");
  cx_json_string(j, ranks[o->rank]);
  cx_json_key(j, "success_rule");
  cx_json_string(j, cx_friction_success_explain(f));
  cx_json_key(j, "success_weak");
  cx_json_bool(j, cx_friction_success_weak(f));
  cx_json_key_double(j, "success_margin", o->success_margin);
  cx_json_key(j, "status_hint");
  if (cx_friction_status_hint(f) != NULL)
    cx_json_string(j, cx_friction_status_hint(f));
  else
    cx_json_null(j);
  cx_json_key(j, "open_rule");
  cx_json_string(j, cx_friction_open_explain(f));
  cx_json_key_double(j, "open_after_s", (double)cx_friction_open_after(f) / 1e6);
  cx_json_key_double(j, "repeat_window_s", (double)o->repeat_window_us / 1e6);
  cx_json_key(j, "max_loop_steps");
  cx_json_int(j, CX_FRICTION_MAX_LOOP);
  cx_json_key(j, "loop_detour_steps");
  cx_json_int(j, CX_FRICTION_LOOP_DETOURS);
  cx_json_key(j, "satisfaction_key");
  if (o->satisfaction_key != NULL)
    cx_json_string(j, o->satisfaction_key);
  else
    cx_json_null(j);
  cx_json_key(j, "satisfaction_lower_is_better");
  cx_json_bool(j, o->satisfaction_lower_is_better);
  cx_json_key(j, "scored_cases");
  cx_json_int(j, (gint64)cx_friction_n_scored(f));
  cx_json_key(j, "outcomes");
  cx_json_begin_object(j);
  cx_json_key(j, "success");
  cx_json_int(j, (gint64)succ);
  cx_json_key(j, "dropoff");
  cx_json_int(j, (gint64)drop);
  cx_json_key(j, "open");
  cx_json_int(j, (gint64)open);
  cx_json_end_object(j);
  cx_json_key(j, "findings_total");
  cx_json_int(j, n);
  cx_json_key(j, "truncated");
  cx_json_bool(j, top > 0 && n > top);
  cx_json_key(j, "findings");
  cx_json_begin_array(j);
  for (guint i = 0; i < n && (top == 0 || i < top); i++)
    json_finding(f, j, &fs[i], case_ids);
  cx_json_end_array(j);
  guint nw;
  const CxFinding *ws = cx_friction_with_success(f, &nw);
  cx_json_key(j, "with_success");
  cx_json_begin_array(j);
  for (guint i = 0; i < nw; i++)
    json_finding(f, j, &ws[i], case_ids);
  cx_json_end_array(j);
  json_waits(f, j);
  json_funnel(f, j);
  json_matrix(f, j);
  cx_json_key_double(j, "quantile_rel_error", cx_friction_quantile_rel_error(f));
  cx_json_end_object(j);
}

static const char *
rank_words(const CxFrictionOptions *o)
{
  switch (o->rank) {
    case CX_FRICTION_RANK_TIME:
      return "extra customer time, then customers lost";
    case CX_FRICTION_RANK_SATISFACTION:
      return "satisfaction lost (cases x the drop in mean score)";
    default:
      return "customers lost, then extra customer time";
  }
}

static void
append_title(GString *out, const CxFinding *fd)
{
  switch (fd->kind) {
    case CX_FINDING_DROPOFF:
      g_string_append_printf(out, "Journeys end at '%s' without success", fd->names[0]);
      return;
    case CX_FINDING_PINGPONG:
    case CX_FINDING_LOOP:
      g_string_append(out, fd->kind == CX_FINDING_LOOP ? "Loop " : "Ping-pong ");
      append_cycle(out, fd);
      return;
    case CX_FINDING_CHANNEL_SWITCH:
      if (fd->n_names == 2)
        g_string_append_printf(out, "Channel switch '%s' -> '%s'", fd->names[0], fd->names[1]);
      else
        g_string_append(out, "Channel hopping");
      return;
    case CX_FINDING_EFFORT:
      g_string_append_printf(out, "Effort (%s)", fd->measure);
      return;
    case CX_FINDING_DRIFT:
      if (fd->n_names == 0)
        g_string_append(out, "Drift of the success share");
      else if (fd->n_names == 1)
        g_string_append_printf(out, "Drift of '%s'", fd->names[0]);
      else
        g_string_append_printf(out, "Drift of the wait '%s' -> '%s'", fd->names[0], fd->names[1]);
      return;
    default: {
      g_autofree char *k = g_strdup(cx_finding_kind_name(fd->kind));
      k[0] = g_ascii_toupper(k[0]);
      for (char *p = k; *p; p++)
        if (*p == '_')
          *p = ' ';
      g_string_append_printf(out, "%s '%s'", k, fd->names[0]);
      if (fd->n_names == 2)
        g_string_append_printf(out, " -> '%s'", fd->names[1]);
    }
  }
}

/* --case-ids in text: the first @max of a finding's cases. */
static void
text_case_ids(CxFriction *f, const CxFinding *fd, GString *out, guint max)
{
  if (max == 0)
    return;
  guint n;
  const guint32 *ids = cx_friction_finding_case_ids(f, fd, &n);
  g_string_append(out, "                                                    cases: ");
  cx_case_ids_to_text(out, cx_log_cases(cx_friction_log(f)), ids, n, max == G_MAXUINT ? 0 : max);
  g_string_append_c(out, '\n');
}

/* The journeys, their outcomes, the rules in force, and what the two
 * currencies mean. */
static void
text_intro(CxFriction *f, GString *out)
{
  const CxFrictionOptions *o = cx_friction_options(f);
  guint64 nc = cx_friction_n_cases(f), succ, drop, open;
  cx_friction_outcomes(f, &succ, &drop, &open);
  g_autofree char *s_nc = cx_format_count(nc), *s_su = cx_format_count(succ),
                  *s_dr = cx_format_count(drop), *s_op = cx_format_count(open);
  cx_calendar_note(cx_log_options(cx_friction_log(f))->calendar, out);
  g_string_append_printf(out, "%s %s: %s ended successfully, %s dropped off, %s still open.\n",
                         s_nc, plural(nc, "journey", "journeys"), s_su, s_dr, s_op);
  g_string_append_printf(out, "%s\n%s\n", cx_friction_success_explain(f),
                         cx_friction_open_explain(f));
  if (cx_friction_status_hint(f) != NULL)
    g_string_append_printf(out, "Note: %s.\n", cx_friction_status_hint(f));
  {
    g_autofree char *win = cx_format_duration((double)o->repeat_window_us / 1e6);
    g_autofree char *margin = cx_format_number(100 * o->success_margin, 0);
    g_string_append_printf(
        out,
        "Customers lost: for a drop-off, the journeys that ended there; otherwise cases x the drop "
        "in success share. Extra time: cases x (median journey with - without). A pattern whose "
        "cases end successfully %s points more often than the others who reached its first step "
        "goes with success. Repeat contacts: the same step again on another channel within %s. "
        "Loops: up to %d steps, %d detour step per turn.\n\n",
        margin, win, CX_FRICTION_MAX_LOOP, CX_FRICTION_LOOP_DETOURS);
  }
}

/* One finding in the table: rank, kind, both currencies, the sentence;
 * the findings folded into it and, with @case_ids, its cases. */
static void
text_row(CxFriction *f, GString *out, guint rank, const CxFinding *fd, guint case_ids)
{
  guint64 nc = cx_friction_n_cases(f);
  g_autofree char *cl
      = fd->customers_lost > 0 ? cx_format_count(fd->customers_lost) : g_strdup("-");
  g_autofree char *et = fd->extra_time_s > 0 ? human_time(fd->extra_time_s) : g_strdup("-");
  g_autoptr(GString) clp = g_string_new(cl);
  if (fd->customers_lost > 0) {
    g_string_append(clp, " (");
    append_pct(clp, fd->customers_lost_share);
    g_string_append(clp, ")");
  }
  g_autoptr(GString) etp = g_string_new(et);
  if (fd->extra_time_s > 0) {
    g_string_append(etp, " (");
    append_pct(etp, fd->extra_time_share);
    g_string_append(etp, ")");
  }
  g_autofree char *text = cx_finding_describe(fd, nc);
  g_string_append_printf(out, "%3u  %-14s %16s %15s  %s\n", rank, cx_finding_kind_name(fd->kind),
                         clp->str, etp->str, text);
  if (fd->n_also > 0) {
    g_string_append(out, "                                                    the same cases: ");
    for (guint k = 0; k < fd->n_also; k++) {
      g_string_append_printf(out, "%s%s", k > 0 ? "; " : "",
                             cx_finding_kind_name(fd->also[k].kind));
      for (guint x = 0; x < fd->also[k].n_names; x++)
        g_string_append_printf(out, "%s'%s'", x == 0 ? " " : " -> ", fd->also[k].names[x]);
    }
    g_string_append_c(out, '\n');
  }
  text_case_ids(f, fd, out, case_ids);
}

/* The three that matter most, the count per kind, then the table of at
 * most @top findings (0 = all). */
static void
text_findings(CxFriction *f, GString *out, guint top, guint case_ids)
{
  const CxFrictionOptions *o = cx_friction_options(f);
  guint n;
  const CxFinding *fs = cx_friction_findings(f, &n);
  if (n == 0) {
    g_string_append(out, "No friction found with the current thresholds.\n");
  } else {
    guint lead = MIN(n, 3);
    g_string_append_printf(out, "What matters most (ranked by %s):\n", rank_words(o));
    for (guint i = 0; i < lead; i++) {
      g_autofree char *cost = cx_finding_cost(&fs[i]);
      g_string_append_printf(out, "  %u. ", i + 1);
      append_title(out, &fs[i]);
      g_string_append_printf(out, ": %s\n", cost);
    }
    g_string_append_c(out, '\n');
    guint per_kind[CX_FINDING_N_KINDS] = { 0 };
    for (guint i = 0; i < n; i++)
      per_kind[fs[i].kind]++;
    g_string_append_printf(out, "%u %s (", n, plural(n, "finding", "findings"));
    gboolean first = TRUE;
    for (guint k = 0; k < CX_FINDING_N_KINDS; k++)
      if (per_kind[k] > 0) {
        g_string_append_printf(out, "%s%u %s", first ? "" : ", ", per_kind[k],
                               cx_finding_kind_name(k));
        first = FALSE;
      }
    g_string_append_printf(out, "), ranked by %s; findings that cost nothing are not listed:\n\n",
                           rank_words(o));
    g_string_append(out, "  #  kind             customers lost      extra time  finding\n");
    for (guint i = 0; i < n && (top == 0 || i < top); i++)
      text_row(f, out, i + 1, &fs[i], case_ids);
    if (top > 0 && n > top)
      g_string_append_printf(out, "… %u more %s (use --top 0 for all)\n", n - top,
                             plural(n - top, "finding", "findings"));
  }
}

/* Patterns that go with success: at most max(@top / 2, 3) when @top is set. */
static void
text_with_success(CxFriction *f, GString *out, guint top, guint case_ids)
{
  guint64 nc = cx_friction_n_cases(f);
  guint nw;
  const CxFinding *ws = cx_friction_with_success(f, &nw);
  if (nw > 0) {
    g_string_append(out,
                    "\nGoes with success (probably a required step), not ranked as friction:\n");
    guint shown = top > 0 ? MIN(nw, MAX(top / 2, 3)) : nw;
    for (guint i = 0; i < shown; i++) {
      g_autofree char *text = cx_finding_describe(&ws[i], nc);
      g_string_append_printf(out, "  %s\n", text);
      text_case_ids(f, &ws[i], out, case_ids);
    }
    if (shown < nw)
      g_string_append_printf(out, "  … %u more\n", nw - shown);
  }
}

static void
text_waits(CxFriction *f, GString *out)
{
  guint nwt;
  const CxFrictionWait *wt = cx_friction_waits(f, &nwt);
  if (nwt > 0) {
    g_string_append(out, "\nWaits that are not customer friction:\n");
    for (guint i = 0; i < nwt; i++) {
      g_autofree char *cs = cx_format_count(wt[i].cases);
      g_autoptr(GString) line = g_string_new(NULL);
      g_string_append_printf(line, "  %s '%s'",
                             wt[i].after_success ? "after success:" : "until return:", wt[i].from);
      if (wt[i].to != NULL)
        g_string_append_printf(line, " -> '%s'", wt[i].to);
      g_string_append_printf(line, " in %s %s, median ", cs, plural(wt[i].cases, "case", "cases"));
      append_dur(line, wt[i].median_s);
      g_string_append(line, ", ");
      append_pct(line, wt[i].wait_share);
      g_string_append_printf(line, " of all waiting%s\n",
                             wt[i].after_success ? " (time after the journey reached success)"
                                                 : " (time until the customer came back)");
      g_string_append(out, line->str);
    }
  }
}

/* The ten steps most journeys leave without success from. */
static void
text_funnel(CxFriction *f, GString *out)
{
  guint nf;
  const CxFunnelStep *fu = cx_friction_funnel(f, &nf);
  guint shown = 0;
  for (guint i = 0; i < nf; i++)
    shown += fu[i].left > 0;
  if (shown > 0) {
    g_string_append(out, "\nWhere journeys end without success (the funnel):\n");
    g_string_append_printf(out, "  %-40s %10s %10s\n", "activity", "reached", "left");
    guint k = 0;
    for (guint i = 0; i < nf && k < 10; i++) {
      if (fu[i].left == 0)
        continue;
      k++;
      g_autofree char *r = cx_format_count(fu[i].reached), *l = cx_format_count(fu[i].left);
      g_autoptr(GString) line = g_string_new(NULL);
      g_string_append_printf(line, "  %-40s %10s %10s (", fu[i].activity, r, l);
      append_pct(line, fu[i].left_share);
      g_string_append(line, ")\n");
      g_string_append(out, line->str);
    }
    if (shown > k)
      g_string_append_printf(out, "  … %u more (--json lists all)\n", shown - k);
  }
}

static void
text_channels(CxFriction *f, GString *out)
{
  guint nm;
  const CxChannelSwitch *m = cx_friction_channel_matrix(f, &nm);
  if (nm > 0) {
    g_string_append(out, "\nChannel switches (from -> to: times, cases, median wait):\n");
    for (guint i = 0; i < nm; i++) {
      g_autofree char *w
          = isnan(m[i].median_wait_s) ? g_strdup("-") : cx_format_duration(m[i].median_wait_s);
      g_autofree char *c1 = cx_format_count(m[i].count), *c2 = cx_format_count(m[i].cases);
      g_string_append_printf(out, "  %s -> %s: %s, %s, %s\n", m[i].from, m[i].to, c1, c2, w);
    }
  }
}

void
cx_friction_to_text(CxFriction *f, GString *out, guint top, guint case_ids)
{
  text_intro(f, out);
  text_findings(f, out, top, case_ids);
  text_with_success(f, out, top, case_ids);
  text_waits(f, out);
  text_funnel(f, out);
  text_channels(f, out);
  cx_quantiles_note(out, cx_friction_quantile_rel_error(f) > 0);
}
