/* Friction reports: plain-words sentences, text, JSON. */
#include "cxmine/friction.h"
#include "cxmine/output.h"
#include <math.h>

static void
append_pct(GString *s, double share)
{
  g_autofree char *p = cx_format_number(100 * share, share < 0.1 ? 1 : 0);
  g_string_append_printf(s, "%s%%", p);
}

static void
append_dur(GString *s, double seconds)
{
  g_autofree char *d = cx_format_duration(seconds);
  g_string_append(s, d);
}

static void
append_comparison(GString *s, const CxFinding *fd)
{
  double d = fd->median_with_s - fd->median_without_s;
  if (!isnan(d)) {
    if (fabs(d) < 1) {
      g_string_append(s, " Those cases take about as long as the others (median ");
    } else {
      g_string_append(s, " Those cases take ");
      append_dur(s, fabs(d));
      g_string_append(s, d > 0 ? " longer (median " : " less (median ");
    }
    append_dur(s, fd->median_with_s);
    g_string_append(s, " vs ");
    append_dur(s, fd->median_without_s);
    g_string_append(s, ")");
  }
  double p = fd->success_with - fd->success_without;
  if (!isnan(p)) {
    g_string_append(s, isnan(d) ? " Those cases" : " and");
    g_autofree char *pts = cx_format_number(fabs(100 * p), 0);
    if (fabs(100 * p) < 0.5)
      g_string_append(s, " end successfully as often as the others (");
    else
      g_string_append_printf(s, " end successfully %s points %s often (", pts,
                             p > 0 ? "more" : "less");
    append_pct(s, fd->success_with);
    g_string_append(s, " vs ");
    append_pct(s, fd->success_without);
    g_string_append(s, ")");
  }
  if (!isnan(d) || !isnan(p))
    g_string_append_c(s, '.');
}

char *
cx_finding_describe(const CxFinding *fd, guint64 n_cases)
{
  GString *s = g_string_new(NULL);
  g_autofree char *cases = g_strdup_printf("%" G_GUINT64_FORMAT, fd->cases);
  gboolean svc = g_strcmp0(fd->measure, "service") == 0;
  switch (fd->kind) {
    case CX_FINDING_BOTTLENECK:
      if (svc)
        g_string_append_printf(s, "Bottleneck: '%s' itself takes long in %s cases (", fd->names[0],
                               cases);
      else
        g_string_append_printf(s, "Bottleneck: customers wait between '%s' and '%s' in %s cases (",
                               fd->names[0], fd->names[1], cases);
      append_pct(s, fd->share);
      g_string_append(s, "): median ");
      append_dur(s, fd->median_s);
      g_string_append(s, ", p90 ");
      append_dur(s, fd->p90_s);
      g_string_append(s, " (a typical step: ");
      append_dur(s, fd->typical);
      g_string_append(s, "); it adds ");
      append_dur(s, fd->impact_s);
      g_string_append(s, " of waiting beyond a typical step, ");
      append_pct(s, fd->wait_share);
      g_string_append(s, svc ? " of all service time." : " of all waiting.");
      break;
    case CX_FINDING_REWORK:
      g_string_append_printf(s, "Rework: '%s' is repeated in %s cases (", fd->names[0], cases);
      append_pct(s, fd->share);
      g_string_append_printf(s, "), %" G_GUINT64_FORMAT " extra times.", fd->occurrences);
      break;
    case CX_FINDING_PINGPONG:
      g_string_append_printf(s, "Ping-pong: cases go from '%s' to '%s' and back in %s cases (",
                             fd->names[0], fd->names[1], cases);
      append_pct(s, fd->share);
      g_string_append_printf(s, "), %" G_GUINT64_FORMAT " round trips.", fd->occurrences);
      break;
    case CX_FINDING_DROPOFF:
      g_string_append_printf(s, "Drop-off: %s finished journeys (", cases);
      append_pct(s, fd->share);
      g_string_append_printf(s, ") end at '%s', which is not a successful end; they took ",
                             fd->names[0]);
      append_dur(s, fd->impact_s);
      g_string_append(s, " of customer time in all.");
      break;
    case CX_FINDING_CHANNEL_SWITCH:
      if (fd->n_names == 2) {
        g_string_append_printf(s, "Channel switch: %s cases (", cases);
        append_pct(s, fd->share);
        g_string_append_printf(s, ") move from channel '%s' to '%s' (%" G_GUINT64_FORMAT " times",
                               fd->names[0], fd->names[1], fd->occurrences);
        if (!isnan(fd->median_s)) {
          g_string_append(s, ", median wait at the switch ");
          append_dur(s, fd->median_s);
        }
        g_string_append(s, ").");
      } else {
        g_string_append_printf(s, "Channel hopping: %s cases (", cases);
        append_pct(s, fd->share);
        g_autofree char *lim = cx_format_number(fd->threshold, 0);
        g_string_append_printf(
            s, ") switch channel %s times or more (%" G_GUINT64_FORMAT " switches in all).", lim,
            fd->occurrences);
      }
      break;
    case CX_FINDING_NEGATIVE:
      g_string_append_printf(s, "Negative: '%s' happens in %s cases (", fd->names[0], cases);
      append_pct(s, fd->share);
      g_string_append_printf(s, "), %" G_GUINT64_FORMAT " times", fd->occurrences);
      if (fd->preceding != NULL)
        g_string_append_printf(s, "; most often right after '%s' (%" G_GUINT64_FORMAT " times)",
                               fd->preceding, fd->preceding_count);
      g_string_append_c(s, '.');
      break;
    case CX_FINDING_EFFORT: {
      g_autofree char *lim = cx_format_number(fd->threshold, 1);
      g_autofree char *med = cx_format_number(fd->typical, 1);
      g_string_append_printf(s, "Effort: %s cases (", cases);
      append_pct(s, fd->share);
      if (g_strcmp0(fd->measure, "touches") == 0)
        g_string_append_printf(
            s, ") involve more than %s different resources (a typical case: %s).", lim, med);
      else
        g_string_append_printf(s, ") take more than %s steps (a typical case: %s).", lim, med);
      break;
    }
    case CX_FINDING_INCONSISTENCY: {
      g_autofree char *ratio = cx_format_number(fd->threshold, 1);
      if (svc)
        g_string_append_printf(s, "Inconsistent: how long '%s' takes varies a lot", fd->names[0]);
      else
        g_string_append_printf(s, "Inconsistent: the wait between '%s' and '%s' varies a lot",
                               fd->names[0], fd->names[1]);
      g_string_append(s, " (median ");
      append_dur(s, fd->median_s);
      g_string_append_printf(s, ", p90 %sx that: ", ratio);
      append_dur(s, fd->p90_s);
      g_string_append_printf(s, "); %s cases (", cases);
      append_pct(s, fd->share);
      g_string_append(s, ") take far longer than usual there.");
      break;
    }
    default:
      break;
  }
  append_comparison(s, fd);
  (void)n_cases;
  return g_string_free(s, FALSE);
}

void
cx_friction_to_json(CxFriction *f, CxJson *j, guint top)
{
  guint n;
  const CxFinding *fs = cx_friction_findings(f, &n);
  guint64 succ, drop, open;
  cx_friction_outcomes(f, &succ, &drop, &open);
  cx_json_begin_object(j);
  cx_json_key(j, "cases");
  cx_json_int(j, (gint64)cx_friction_n_cases(f));
  cx_json_key(j, "success_rule");
  cx_json_string(j, cx_friction_success_explain(f));
  cx_json_key(j, "success_weak");
  cx_json_bool(j, cx_friction_success_weak(f));
  cx_json_key(j, "open_rule");
  cx_json_string(j, cx_friction_open_explain(f));
  cx_json_key_double(j, "open_after_s", (double)cx_friction_open_after(f) / 1e6);
  cx_json_key(j, "outcomes");
  cx_json_begin_object(j);
  cx_json_key(j, "success");
  cx_json_int(j, (gint64)succ);
  cx_json_key(j, "dropoff");
  cx_json_int(j, (gint64)drop);
  cx_json_key(j, "open");
  cx_json_int(j, (gint64)open);
  cx_json_end_object(j);
  cx_json_key(j, "findings");
  cx_json_begin_array(j);
  for (guint i = 0; i < n && (top == 0 || i < top); i++) {
    const CxFinding *fd = &fs[i];
    cx_json_begin_object(j);
    cx_json_key(j, "kind");
    cx_json_string(j, cx_finding_kind_name(fd->kind));
    cx_json_key(j, fd->kind == CX_FINDING_CHANNEL_SWITCH ? "channels" : "activities");
    cx_json_begin_array(j);
    for (guint k = 0; k < fd->n_names; k++)
      cx_json_string(j, fd->names[k]);
    cx_json_end_array(j);
    if (fd->kind == CX_FINDING_CHANNEL_SWITCH) {
      cx_json_key(j, "activities");
      cx_json_begin_array(j);
      cx_json_end_array(j);
    }
    if (fd->measure != NULL) {
      cx_json_key(j, "measure");
      cx_json_string(j, fd->measure);
    }
    cx_json_key(j, "cases");
    cx_json_int(j, (gint64)fd->cases);
    cx_json_key_double(j, "share", fd->share);
    cx_json_key_double(j, "impact_s", fd->impact_s);
    cx_json_key_double(j, "score", fd->score);
    cx_json_key_double(j, "median_with_s", fd->median_with_s);
    cx_json_key_double(j, "median_without_s", fd->median_without_s);
    cx_json_key_double(j, "success_with", fd->success_with);
    cx_json_key_double(j, "success_without", fd->success_without);
    switch (fd->kind) {
      case CX_FINDING_REWORK:
        cx_json_key(j, "extra_occurrences");
        cx_json_int(j, (gint64)fd->occurrences);
        break;
      case CX_FINDING_PINGPONG:
        cx_json_key(j, "round_trips");
        cx_json_int(j, (gint64)fd->occurrences);
        break;
      case CX_FINDING_NEGATIVE:
        cx_json_key(j, "occurrences");
        cx_json_int(j, (gint64)fd->occurrences);
        cx_json_key(j, "preceding");
        if (fd->preceding != NULL)
          cx_json_string(j, fd->preceding);
        else
          cx_json_null(j);
        cx_json_key(j, "preceding_count");
        cx_json_int(j, (gint64)fd->preceding_count);
        break;
      case CX_FINDING_BOTTLENECK:
      case CX_FINDING_INCONSISTENCY:
      case CX_FINDING_CHANNEL_SWITCH:
        cx_json_key(j, "occurrences");
        cx_json_int(j, (gint64)fd->occurrences);
        cx_json_key_double(j, "median_s", fd->median_s);
        cx_json_key_double(j, "p90_s", fd->p90_s);
        cx_json_key_double(j, "total_s", fd->total_s);
        if (fd->kind == CX_FINDING_BOTTLENECK) {
          cx_json_key_double(j, "wait_share", fd->wait_share);
          cx_json_key_double(j, "typical_wait_s", fd->typical);
        } else if (fd->kind == CX_FINDING_INCONSISTENCY) {
          cx_json_key_double(j, "p90_median_ratio", fd->threshold);
          cx_json_key_double(j, "typical_ratio", fd->typical);
        } else if (fd->n_names == 0) {
          cx_json_key_double(j, "min_switches", fd->threshold);
        }
        break;
      case CX_FINDING_EFFORT:
        cx_json_key_double(j, "limit", fd->threshold);
        cx_json_key_double(j, "median", fd->typical);
        break;
      default:
        break;
    }
    g_autofree char *text = cx_finding_describe(fd, cx_friction_n_cases(f));
    cx_json_key(j, "text");
    cx_json_string(j, text);
    cx_json_end_object(j);
  }
  cx_json_end_array(j);
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
    cx_json_key_double(j, "median_wait_s", m[i].median_wait_s);
    cx_json_end_object(j);
  }
  cx_json_end_array(j);
  cx_json_end_object(j);
}

void
cx_friction_to_text(CxFriction *f, GString *out, guint top)
{
  guint n;
  const CxFinding *fs = cx_friction_findings(f, &n);
  guint64 nc = cx_friction_n_cases(f), succ, drop, open;
  cx_friction_outcomes(f, &succ, &drop, &open);
  g_string_append_printf(
      out,
      "%" G_GUINT64_FORMAT " cases: %" G_GUINT64_FORMAT " ended successfully, %" G_GUINT64_FORMAT
      " dropped off, %" G_GUINT64_FORMAT " still open.\n%s\n%s\n\n",
      nc, succ, drop, open, cx_friction_success_explain(f), cx_friction_open_explain(f));
  if (n == 0) {
    g_string_append(out, "No friction found with the current thresholds.\n");
    return;
  }
  guint per_kind[CX_FINDING_N_KINDS] = { 0 };
  for (guint i = 0; i < n; i++)
    per_kind[fs[i].kind]++;
  g_string_append_printf(out, "%u findings (", n);
  gboolean first = TRUE;
  for (guint k = 0; k < CX_FINDING_N_KINDS; k++)
    if (per_kind[k] > 0) {
      g_string_append_printf(out, "%s%u %s", first ? "" : ", ", per_kind[k],
                             cx_finding_kind_name(k));
      first = FALSE;
    }
  g_string_append(out, "), ranked by extra customer time:\n\n");
  g_string_append(out, "  #  kind              cases    extra time  finding\n");
  for (guint i = 0; i < n && (top == 0 || i < top); i++) {
    g_autofree char *impact = cx_format_duration(fs[i].impact_s);
    g_autofree char *cases = cx_format_count(fs[i].cases);
    g_autofree char *text = cx_finding_describe(&fs[i], nc);
    g_string_append_printf(out, "%3u  %-14s %8s  %12s  %s\n", i + 1,
                           cx_finding_kind_name(fs[i].kind), cases, impact, text);
  }
  if (top > 0 && n > top)
    g_string_append_printf(out, "… %u more findings (use --top 0 for all)\n", n - top);
  guint nm;
  const CxChannelSwitch *m = cx_friction_channel_matrix(f, &nm);
  if (nm > 0) {
    g_string_append(out, "\nChannel switches (from -> to: times, cases, median wait):\n");
    for (guint i = 0; i < nm; i++) {
      g_autofree char *w
          = isnan(m[i].median_wait_s) ? g_strdup("-") : cx_format_duration(m[i].median_wait_s);
      g_string_append_printf(out, "  %s -> %s: %" G_GUINT64_FORMAT ", %" G_GUINT64_FORMAT ", %s\n",
                             m[i].from, m[i].to, m[i].count, m[i].cases, w);
    }
  }
}
