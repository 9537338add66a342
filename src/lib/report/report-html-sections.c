/* cxmine — the report's sections: overview, map, friction, variants,
 * channels, trends. */
#include "report-html-private.h"
#include <math.h>
#include <string.h>

void
cx_html_section_open(GString *o, const char *id, const char *title)
{
  g_string_append_printf(o, "<section id=\"%s\"><h2>%s</h2>", id, title);
}

static void
kpi(GString *o, const char *label, void (*fn)(GString *, double), double v, const char *sub)
{
  g_string_append(o, "<div class=\"kpi\"><small>");
  cx_escape_html(o, label);
  g_string_append(o, "</small><b>");
  fn(o, v);
  g_string_append(o, "</b>");
  if (sub != NULL) {
    g_string_append(o, "<small>");
    cx_escape_html(o, sub);
    g_string_append(o, "</small>");
  }
  g_string_append(o, "</div>");
}

static void
h_count_d(GString *o, double v)
{
  cx_html_count(o, (guint64)v);
}

void
cx_html_sec_overview(CxReport *r, GString *o, GTimeZone *tz, const CxStatsSummary *sm)
{
  cx_html_section_open(o, "overview", "Overview");
  guint64 succ, drop, open;
  cx_friction_outcomes(r->friction, &succ, &drop, &open);
  double ok_share = succ + drop > 0 ? (double)succ / (double)(succ + drop) : NAN;
  g_string_append(o, "<div class=\"cards\">");
  kpi(o, "journeys (cases)", h_count_d, (double)sm->cases, NULL);
  g_string_append(o, "<div class=\"kpi\"><small>period</small><b style=\"font-size:16px\">");
  if (sm->first == CX_TS_NONE) {
    g_string_append(o, "unknown</b><small>no timestamps</small></div>");
  } else {
    cx_html_date(o, sm->first, tz);
    g_string_append(o, " – ");
    cx_html_date(o, sm->last, tz);
    g_string_append(o, "</b></div>");
  }
  kpi(o, "ended successfully", cx_html_share, ok_share, "of finished journeys");
  kpi(o, "median duration", cx_html_dur, sm->duration.n > 0 ? sm->duration.median : NAN, NULL);
  kpi(o, "p90 duration", cx_html_dur, sm->duration.n > 0 ? sm->duration.p90 : NAN,
      "9 in 10 journeys are shorter");
  kpi(o, "customers lost", h_count_d, (double)drop, "finished without success");
  kpi(o, "still open", h_count_d, (double)open, NULL);
  kpi(o, "journey variants", h_count_d, (double)sm->variants, NULL);
  g_string_append(o, "</div><p><b>Channels:</b> ");
  if (sm->n_channels == 0)
    g_string_append(o, "this log has no channel attribute, so channels are not shown.");
  for (guint i = 0; i < sm->n_channels && i < G_N_ELEMENTS(sm->channels); i++) {
    g_string_append(o, i > 0 ? ", " : "");
    cx_escape_html(o, cx_pool_get(cx_log_channels(r->log), sm->channels[i]));
    g_string_append(o, " (");
    cx_html_count(o, sm->channel_counts[i]);
    g_string_append(o, " steps)");
  }
  if (sm->n_channels > G_N_ELEMENTS(sm->channels))
    g_string_append_printf(o, " and %u more", sm->n_channels - (guint)G_N_ELEMENTS(sm->channels));
  g_string_append(o, "</p><p><b>What counts as success:</b> ");
  cx_escape_html(o, cx_friction_success_explain(r->friction));
  g_string_append(o, " ");
  cx_escape_html(o, cx_friction_open_explain(r->friction));
  g_string_append(o, "</p>");
  if (sm->first == CX_TS_NONE)
    g_string_append(o, "<p class=\"empty\">This log has no timestamps: durations, waiting "
                       "times and trends cannot be shown.</p>");
  g_string_append(o, "</section>\n");
}

void
cx_html_sec_map(CxReport *r, GString *o, const char *svg, guint shown, guint hidden)
{
  (void)r;
  cx_html_section_open(o, "map", "Journey map");
  g_string_append(o, "<p class=\"muted\">Customers flow from the green start to the red end. "
                     "Red boxes marked ⚠ are the top friction points; red arrows to the end "
                     "show where customers dropped off.</p>");
  g_string_append(o, "<div class=\"controls\"><div><label for=\"acts\">Activities</label> "
                     "<input type=\"range\" id=\"acts\" min=\"0\" step=\"1\"> <span "
                     "id=\"acts-out\"></span></div><div><label for=\"paths\">Paths</label> "
                     "<input type=\"range\" id=\"paths\" min=\"0\" step=\"1\"> <span "
                     "id=\"paths-out\"></span></div><div class=\"seg\"><button data-view="
                     "\"frequency\" class=\"on\">Frequency</button><button data-view=\"waits\">"
                     "Waiting time</button><button data-view=\"channels\">Channels</button>"
                     "</div><div class=\"seg\"><button id=\"zoom\">Full size</button></div></div>");
  g_string_append(o, "<p id=\"hidden\" class=\"note\">");
  if (hidden > 0)
    g_string_append_printf(o,
                           "Shown: the %u activities that the most journeys reach. Hidden: %u "
                           "less common %s. Move the slider to the right to see more.",
                           shown, hidden, hidden == 1 ? "activity" : "activities");
  else
    g_string_append(o, "Every activity is shown.");
  g_string_append(o, "</p><p id=\"legend\" class=\"muted\"></p><p id=\"mapmsg\" "
                     "class=\"muted\"></p><div id=\"mapbox\">");
  g_string_append(o, svg != NULL ? svg : "<p class=\"empty\">This log has no activities.</p>");
  g_string_append(o, "</div></section>\n");
}

#define CASE_IDS_SHOWN 50

static const char *
kind_label(CxFindingKind k)
{
  switch (k) {
    case CX_FINDING_BOTTLENECK:
      return "bottleneck (long wait)";
    case CX_FINDING_REWORK:
      return "rework (done again)";
    case CX_FINDING_PINGPONG:
      return "ping-pong (back and forth)";
    case CX_FINDING_DROPOFF:
      return "drop-off (customers leave)";
    case CX_FINDING_CHANNEL_SWITCH:
      return "channel switching";
    case CX_FINDING_NEGATIVE:
      return "negative event";
    case CX_FINDING_EFFORT:
      return "high effort";
    case CX_FINDING_INCONSISTENCY:
      return "inconsistent wait";
    case CX_FINDING_LOOP:
      return "loop (going round)";
    case CX_FINDING_REPEAT_CONTACT:
      return "repeat contact";
    case CX_FINDING_DRIFT:
      return "getting worse over time";
    default:
      return cx_finding_kind_name(k);
  }
}

void
cx_html_sec_friction(CxReport *r, GString *o)
{
  cx_html_section_open(o, "friction", "Friction: where customers get stuck");
  guint nf;
  const CxFinding *fs = cx_friction_findings(r->friction, &nf);
  guint64 n_cases = cx_friction_n_cases(r->friction);
  if (nf == 0) {
    g_string_append(o, "<p class=\"empty\">No friction found that costs customers or time.</p>"
                       "</section>\n");
    return;
  }
  g_string_append(o, "<p class=\"muted\">Each card costs in two currencies: customers lost "
                     "and extra customer time. Click a card to see its place on the map.</p>"
                     "<div class=\"fcards\">");
  guint nfun;
  const CxFunnelStep *fun = cx_friction_funnel(r->friction, &nfun);
  guint top = r->opts.top > 0 ? MIN(r->opts.top, nf) : nf;
  for (guint k = 0; k < top; k++) {
    const CxFinding *fd = &fs[k];
    g_autoptr(GString) ids = g_string_new(NULL);
    cx_html_finding_map_ids(r, fd, ids);
    g_string_append_printf(o, "<div class=\"fcard\" id=\"finding-%u\" tabindex=\"0\" data-map=\"",
                           k + 1);
    cx_escape_html(o, ids->str);
    g_string_append_printf(o, "\"><div class=\"kind\">#%u · ", k + 1);
    cx_escape_html(o, kind_label(fd->kind));
    g_string_append(o, "</div><h3>");
    for (guint i = 0; i < fd->n_names; i++) {
      if (i > 0)
        g_string_append(o, fd->kind == CX_FINDING_CHANNEL_SWITCH ? " → " : " → ");
      cx_escape_html(o, fd->names[i]);
    }
    if (fd->n_names == 0)
      cx_escape_html(o, fd->measure != NULL ? fd->measure : cx_finding_kind_name(fd->kind));
    g_string_append(o, "</h3><div class=\"cost\"><div><b>");
    cx_html_count(o, fd->customers_lost);
    g_string_append(o, "</b><small>customers lost (");
    cx_html_share(o, fd->customers_lost_share);
    g_string_append(o, ")</small></div><div><b>");
    cx_html_time_total(o, fd->extra_time_s);
    g_string_append(o, "</b><small>extra customer time (");
    cx_html_share(o, fd->extra_time_share);
    g_string_append(o, ")</small></div></div><p>");
    g_autofree char *desc = cx_finding_describe(fd, n_cases);
    cx_escape_html(o, desc);
    g_string_append(o, "</p>");
    /* the funnel through its activities */
    gboolean any = FALSE;
    for (guint i = 0; i < fd->n_names && cx_html_names_are_activities(fd); i++) {
      gboolean again = FALSE;
      for (guint k2 = 0; k2 < i; k2++)
        again = again || fd->ids[k2] == fd->ids[i];
      for (guint s = 0; s < nfun && !again; s++)
        if (fun[s].activity_id == fd->ids[i]) {
          if (!any)
            g_string_append(o, "<table><tr><th>funnel step</th><th class=\"r\">reached</th>"
                               "<th class=\"r\">left there</th></tr>");
          any = TRUE;
          g_string_append(o, "<tr><td>");
          cx_escape_html(o, fun[s].activity);
          g_string_append(o, "</td><td class=\"r\">");
          cx_html_count(o, fun[s].reached);
          g_string_append(o, "</td><td class=\"r\">");
          cx_html_count(o, fun[s].left);
          g_string_append(o, " (");
          cx_html_share(o, fun[s].left_share);
          g_string_append(o, ")</td></tr>");
          break;
        }
    }
    if (any)
      g_string_append(o, "</table>");
    guint nid;
    const guint32 *cids = cx_friction_finding_case_ids(r->friction, fd, &nid);
    g_string_append(o, "<details><summary>");
    cx_html_count(o, nid);
    g_string_append_printf(o, " %s</summary><code>", nid == 1 ? "case" : "cases");
    CxPool *cases = cx_log_cases(r->log);
    for (guint i = 0; i < nid && i < CASE_IDS_SHOWN; i++) {
      if (i > 0)
        g_string_append(o, ", ");
      cx_escape_html(o, cx_pool_get(cases, cids[i]));
    }
    g_string_append(o, "</code>");
    if (nid > CASE_IDS_SHOWN)
      g_string_append_printf(o,
                             "<p class=\"muted\">… and %u more: <code>cxmine friction --json "
                             "--case-ids</code> lists them all.</p>",
                             nid - CASE_IDS_SHOWN);
    g_string_append(o, "</details></div>");
  }
  g_string_append(o, "</div>");
  if (nf > top)
    g_string_append_printf(o,
                           "<p class=\"muted\">%u more findings: <code>cxmine friction</code> "
                           "lists them all.</p>",
                           nf - top);
  g_string_append(o, "</section>\n");
}

#define VARIANTS_SHOWN 10

void
cx_html_sec_variants(CxReport *r, GString *o)
{
  cx_html_section_open(o, "variants", "Journey variants");
  guint nv;
  const CxVariant *vs = cx_variants_sorted(r->variants, &nv);
  guint shown = MIN(nv, VARIANTS_SHOWN);
  guint nrows;
  const CxCaseRow *rows = cx_case_table_rows(r->table, &nrows);
  GArray **dur = g_new0(GArray *, shown + 1);
  double lo = G_MAXDOUBLE, hi = 0;
  for (guint i = 0; i < shown; i++)
    dur[i] = g_array_new(FALSE, FALSE, sizeof(double));
  for (guint i = 0; i < nrows; i++) {
    guint k = rows[i].variant_rank;
    if (k >= 1 && k <= shown && rows[i].first != CX_TS_NONE && rows[i].last != CX_TS_NONE) {
      double d = (double)(rows[i].last - rows[i].first) / 1e6;
      g_array_append_val(dur[k - 1], d);
      if (d > 0)
        lo = MIN(lo, d);
      hi = MAX(hi, d);
    }
  }
  g_string_append_printf(o, "<p class=\"muted\">The %u most common of ", shown);
  cx_html_count(o, nv);
  g_string_append(o, " variants (distinct sequences of steps). Duration box: middle half of the "
                     "journeys, whiskers p10–p90, red line the median (log scale, shared).</p>"
                     "<table><tr><th>#</th><th>steps</th><th class=\"r\">journeys</th><th "
                     "class=\"r\">share</th><th class=\"r\">median duration</th><th>duration "
                     "distribution");
  if (hi > 0) {
    g_autofree char *l1 = cx_format_duration(lo == G_MAXDOUBLE ? 1 : MAX(lo, 1));
    g_autofree char *l2 = cx_format_duration(MAX(hi, 10));
    g_string_append_printf(o, "<br><small class=\"muted\">%s … %s</small>", l1, l2);
  }
  g_string_append(o, "</th></tr>");
  CxPool *acts = cx_log_activities(r->log);
  for (guint i = 0; i < shown; i++) {
    g_string_append_printf(o, "<tr><td>%u</td><td>", i + 1);
    for (guint k = 0; k < vs[i].length; k++) {
      if (k == 12 && vs[i].length > 14) {
        g_string_append_printf(o, "<span class=\"muted\">… %u more steps</span>",
                               vs[i].length - 12);
        break;
      }
      g_string_append(o, "<span class=\"chip\">");
      cx_escape_html(o, cx_pool_get(acts, vs[i].activities[k]));
      g_string_append(o, "</span>");
    }
    g_string_append(o, "</td><td class=\"r\">");
    cx_html_count(o, vs[i].count);
    g_string_append(o, "</td><td class=\"r\">");
    cx_html_share(o, vs[i].share);
    g_string_append(o, "</td><td class=\"r\">");
    cx_html_dur(o, vs[i].median_duration_s);
    g_string_append(o, "</td><td>");
    cx_html_box_plot(o, (double *)dur[i]->data, dur[i]->len, lo == G_MAXDOUBLE ? 1 : lo, hi);
    g_string_append(o, "</td></tr>");
  }
  g_string_append(o, "</table></section>\n");
  for (guint i = 0; i < shown; i++)
    g_array_free(dur[i], TRUE);
  g_free(dur);
}

static void
channel_note(GArray *ids, GPtrArray *names, guint32 id, const char *name)
{
  for (guint i = 0; i < ids->len; i++)
    if (g_array_index(ids, guint32, i) == id)
      return;
  g_array_append_val(ids, id);
  g_ptr_array_add(names, (gpointer)name);
}

void
cx_html_sec_channels(CxReport *r, GString *o, const CxStatsSummary *sm)
{
  cx_html_section_open(o, "channels", "Channel switches");
  guint n;
  const CxChannelSwitch *m = cx_friction_channel_matrix(r->friction, &n);
  if (sm->n_channels == 0) {
    g_string_append(o, "<p class=\"empty\">This log has no channel attribute, so there are no "
                       "channel switches to show (read one with --channel-key or "
                       "--channel-column).</p></section>\n");
    return;
  }
  if (n == 0) {
    g_string_append(o, "<p class=\"empty\">No journey moves from one step to the next: there "
                       "are no channel transitions.</p></section>\n");
    return;
  }
  /* the channels in order of first mention, by id (names are for display) */
  g_autoptr(GArray) ids = g_array_new(FALSE, FALSE, sizeof(guint32));
  g_autoptr(GPtrArray) names = g_ptr_array_new();
  guint64 max = 0;
  for (guint i = 0; i < n; i++) {
    channel_note(ids, names, m[i].from_id, m[i].from);
    channel_note(ids, names, m[i].to_id, m[i].to);
    if (m[i].from_id != m[i].to_id)
      max = MAX(max, m[i].count);
  }
  g_string_append(o, "<p class=\"muted\">How often a journey's next step is on another channel "
                     "(rows: from, columns: to), with the median wait at the switch. Darker = "
                     "more switches; the diagonal is staying on one channel.</p><table "
                     "class=\"heat\"><tr><th>from \\ to</th>");
  for (guint c = 0; c < names->len; c++) {
    g_string_append(o, "<th>");
    cx_escape_html(o, g_ptr_array_index(names, c));
    g_string_append(o, "</th>");
  }
  g_string_append(o, "</tr>");
  for (guint a = 0; a < names->len; a++) {
    guint32 from = g_array_index(ids, guint32, a);
    g_string_append(o, "<tr><th>");
    cx_escape_html(o, g_ptr_array_index(names, a));
    g_string_append(o, "</th>");
    for (guint b = 0; b < names->len; b++) {
      guint32 to = g_array_index(ids, guint32, b);
      const CxChannelSwitch *x = NULL;
      for (guint i = 0; i < n; i++)
        if (m[i].from_id == from && m[i].to_id == to)
          x = &m[i];
      if (x == NULL) {
        g_string_append(o, "<td class=\"muted\">–</td>");
        continue;
      }
      gboolean diag = a == b;
      char col[8];
      double t = diag ? 0.05 : 0.1 + 0.9 * cx_dot_scale((double)x->count, (double)max);
      cx_dot_color(CX_DOT_PALETTE_BLUE, t, col);
      g_string_append_printf(o, "<td style=\"background:%s;color:%s\">", col,
                             cx_dot_text_color(CX_DOT_PALETTE_BLUE, t));
      cx_html_count(o, x->count);
      g_string_append(o, "<br><small>wait ");
      cx_html_dur(o, x->median_wait_s);
      g_string_append(o, "</small></td>");
    }
    g_string_append(o, "</tr>");
  }
  g_string_append(o, "</table></section>\n");
}

#define MIN_FINISHED 5

void
cx_html_sec_trends(CxReport *r, GString *o, GTimeZone *tz)
{
  cx_html_section_open(o, "trends", "Trends");
  if (r->periods == NULL || r->periods->len == 0) {
    g_string_append(o, "<p class=\"empty\">");
    cx_escape_html(o, r->periods == NULL && r->trend_error != NULL
                          ? r->trend_error->message
                          : "This log has no timestamps, so there are no trends over time.");
    g_string_append(o, "</p></section>\n");
    return;
  }
  const CxTrendPeriod *p = (const CxTrendPeriod *)r->periods->data;
  guint n = r->periods->len;
  g_autofree double *v = g_new(double, n);
  const char *per = r->every == CX_TREND_MONTH  ? "month"
                    : r->every == CX_TREND_WEEK ? "week"
                                                : "day";
  g_string_append_printf(o,
                         "<p class=\"muted\">Per %s. Shaded periods are still filling: "
                         "journeys that will end in them may not have ended yet. Durations and "
                         "shares are left out for periods in which fewer than %d journeys "
                         "finished (too few to say).</p><div class=\"charts\">",
                         per, MIN_FINISHED);
  g_autofree char *t1 = g_strdup_printf("Journeys started per %s", per);
  for (guint i = 0; i < n; i++)
    v[i] = (double)p[i].started;
  cx_html_line_chart(o, t1, "journeys", v, p, n, r->every, tz, 0);
  for (guint i = 0; i < n; i++)
    v[i] = p[i].finished >= MIN_FINISHED ? p[i].median_duration_s : NAN;
  cx_html_line_chart(o, "Median duration of journeys finished", "duration", v, p, n, r->every, tz,
                     1);
  for (guint i = 0; i < n; i++)
    v[i] = p[i].finished >= MIN_FINISHED ? p[i].success_share : NAN;
  cx_html_line_chart(o, "Success share of journeys finished", "share of finished", v, p, n,
                     r->every, tz, 2);
  for (guint i = 0; i < n; i++)
    v[i] = p[i].finished >= MIN_FINISHED ? p[i].dropoff_share : NAN;
  cx_html_line_chart(o, "Drop-off share of journeys finished", "share of finished", v, p, n,
                     r->every, tz, 2);
  g_string_append(o, "</div></section>\n");
}
