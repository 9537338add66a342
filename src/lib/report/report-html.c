/* cxmine — the journey report as one self-contained HTML page. */
#include "report-private.h"
#include "escape-private.h"
#include "cxmine/dot-writer.h"
#include "cxmine/json-writer.h"
#include "cxmine/output.h"
#include <libxml/parser.h>
#include <locale.h>
#include <libxml/tree.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

/* ---------- the SVG from dot ---------- */

static gboolean
svg_node_ok(xmlNode *n, GError **error)
{
  static const char *const banned[]
      = { "script", "foreignObject", "iframe", "object",  "embed",    "use", "image",
          "style",  "animate",       "set",    "handler", "listener", NULL };
  for (; n != NULL; n = n->next) {
    if (n->type == XML_ENTITY_REF_NODE || n->type == XML_ENTITY_DECL
        || n->type == XML_XINCLUDE_START) {
      g_set_error(error, CX_REPORT_ERROR, CX_REPORT_ERROR_SVG, "the map's SVG holds an entity");
      return FALSE;
    }
    if (n->type != XML_ELEMENT_NODE)
      continue;
    for (const char *const *b = banned; *b; b++)
      if (g_ascii_strcasecmp((const char *)n->name, *b) == 0) {
        g_set_error(error, CX_REPORT_ERROR, CX_REPORT_ERROR_SVG,
                    "the map's SVG holds a <%s> element", *b);
        return FALSE;
      }
    for (xmlAttr *a = n->properties; a != NULL; a = a->next) {
      const char *name = (const char *)a->name;
      if (g_ascii_strncasecmp(name, "on", 2) == 0 || g_ascii_strcasecmp(name, "href") == 0
          || g_ascii_strcasecmp(name, "style") == 0) {
        g_set_error(error, CX_REPORT_ERROR, CX_REPORT_ERROR_SVG,
                    "the map's SVG holds a '%s' attribute", name);
        return FALSE;
      }
    }
    if (!svg_node_ok(n->children, error))
      return FALSE;
  }
  return TRUE;
}

char *
cx_html_safe_svg(const char *svg, gsize len, GError **error)
{
  /* no network, no entity substitution, no DTD loading */
  xmlDoc *doc = xmlReadMemory(svg, (int)len, "map.svg", "UTF-8",
                              XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  if (doc == NULL) {
    g_set_error(error, CX_REPORT_ERROR, CX_REPORT_ERROR_SVG, "the map's SVG is not well-formed");
    return NULL;
  }
  gboolean ok = TRUE;
  xmlNode *root = xmlDocGetRootElement(doc);
  if (doc->intSubset != NULL && doc->intSubset->children != NULL) {
    g_set_error(error, CX_REPORT_ERROR, CX_REPORT_ERROR_SVG, "the map's SVG declares entities");
    ok = FALSE;
  } else if (root == NULL || strcmp((const char *)root->name, "svg") != 0) {
    g_set_error(error, CX_REPORT_ERROR, CX_REPORT_ERROR_SVG, "the map's SVG has no <svg> root");
    ok = FALSE;
  } else {
    ok = svg_node_ok(root, error);
  }
  xmlFreeDoc(doc);
  if (!ok)
    return NULL;
  /* the text from the root element on: no prolog, no doctype, no comments before it */
  const char *p = g_strstr_len(svg, (gssize)len, "<svg");
  if (p == NULL) {
    g_set_error(error, CX_REPORT_ERROR, CX_REPORT_ERROR_SVG, "the map's SVG has no <svg> root");
    return NULL;
  }
  return g_strndup(p, len - (gsize)(p - svg));
}

/* Runs dot on @dot_text and returns its SVG, checked. */
static char *
render_svg(GString *dot_text, guint timeout_s, GError **error)
{
  g_autofree char *path = NULL;
  int fd = g_file_open_tmp("cxmine-report-XXXXXX.svg", &path, error);
  if (fd < 0)
    return NULL;
  close(fd);
  gboolean ok = cx_dot_render_file(dot_text->str, dot_text->len, "svg", timeout_s, path, error);
  g_autofree char *svg = NULL;
  gsize len = 0;
  if (ok)
    ok = g_file_get_contents(path, &svg, &len, error);
  unlink(path);
  if (!ok)
    return NULL;
  return cx_html_safe_svg(svg, len, error);
}

/* The map levels are laid out by several dot processes at once. */
typedef struct {
  GString *dot; /* NULL: nothing to render */
  guint timeout_s;
  char *svg;
  GError *error;
} Render;

static void
render_job(gpointer data, gpointer user_data)
{
  Render *j = data;
  j->svg = render_svg(j->dot, j->timeout_s, &j->error);
}

/* Renders every job with a dot; FALSE with the first job's error (in
 * order) when one failed. */
static gboolean
render_all(Render *jobs, guint n, GError **error)
{
  xmlInitParser(); /* before threads parse */
  guint threads = CLAMP(g_get_num_processors(), 1, 4);
  GThreadPool *pool = g_thread_pool_new(render_job, NULL, (gint)threads, FALSE, NULL);
  for (guint i = 0; i < n; i++)
    if (jobs[i].dot != NULL)
      g_thread_pool_push(pool, &jobs[i], NULL);
  g_thread_pool_free(pool, FALSE, TRUE);
  for (guint i = 0; i < n; i++)
    if (jobs[i].dot != NULL && jobs[i].svg == NULL) {
      g_propagate_error(error, g_steal_pointer(&jobs[i].error));
      return FALSE;
    }
  return TRUE;
}

/* ---------- numbers for people, exact on hover ---------- */

static void
h_count(GString *o, guint64 n)
{
  g_autofree char *s = cx_format_count(n);
  g_string_append_printf(o, "<span class=\"n\" title=\"%" G_GUINT64_FORMAT "\">%s</span>", n, s);
}

/* A number shown as @shown with its exact value (@exact printed by @fmt,
 * then @unit) on hover; "–" when @exact is not finite. */
static void
h_exact(GString *o, const char *shown, double exact, const char *fmt, const char *unit)
{
  if (!isfinite(exact)) {
    g_string_append(o, "<span class=\"n\" title=\"unknown\">–</span>");
    return;
  }
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  g_ascii_formatd(buf, sizeof buf, fmt, exact);
  g_string_append_printf(o, "<span class=\"n\" title=\"%s%s\">%s</span>", buf, unit, shown);
}

static void
h_dur(GString *o, double sec)
{
  g_autofree char *s = isfinite(sec) ? cx_format_duration(sec) : NULL;
  h_exact(o, s, sec, "%.0f", " seconds");
}

/* Customer time summed over many journeys: years once it is past two. */
static void
h_time_total(GString *o, double sec)
{
  double years = sec / (365.25 * 86400);
  if (!isfinite(sec) || years < 2) {
    h_dur(o, sec);
    return;
  }
  g_autofree char *n = cx_format_count((guint64)llround(years));
  g_autofree char *s = g_strdup_printf("%s years", n);
  h_exact(o, s, sec, "%.0f", " seconds");
}

static void
h_share(GString *o, double x)
{
  g_autofree char *s = isfinite(x) ? cx_format_share(x) : NULL;
  h_exact(o, s, x, "%.6f", "");
}

static void
h_date(GString *o, gint64 t, GTimeZone *tz)
{
  if (t == CX_TS_NONE) {
    g_string_append(o, "–");
    return;
  }
  g_autofree char *d = cx_format_date(t, tz);
  g_autofree char *iso = cx_time_format_iso(t);
  g_string_append_printf(o, "<span class=\"n\" title=\"%s\">%s</span>", iso, d);
}

/* ---------- the map ---------- */

#define N_MARKED       3   /* findings marked on the map */
#define MAX_ACTIVITIES 100 /* activities on the fullest map level */
#define MAX_ARCS       150 /* arcs on any map level (fewer paths when more) */

typedef struct {
  CxReport *r;
  guint8 *marked;     /* by activity id: 1 + the rank of the first marked finding naming it */
  GHashTable *mark_e; /* "from\x1fto" ids of marked edges */
  guint64 *left;      /* by activity id: finished journeys leaving there without success */
  gboolean freq_view; /* else waits */
  char buf[64];
} MapCtx;

static gboolean
map_node(guint32 a, CxDotDecor *d, gpointer data)
{
  MapCtx *m = data;
  g_snprintf(m->buf, sizeof m->buf, "a%u", a);
  d->style.id = m->buf;
  if (m->marked[a]) {
    d->style.color = "#c0392b";
    d->style.penwidth = 3;
    d->extra = g_strdup_printf("⚠ friction #%u", m->marked[a]);
  }
  return TRUE;
}

static gboolean
map_edge(guint32 from, guint32 to, CxDotDecor *d, gpointer data)
{
  MapCtx *m = data;
  if (from == CX_DOT_ID_START)
    g_snprintf(m->buf, sizeof m->buf, "s%u", to);
  else if (to == CX_DOT_ID_END) {
    g_snprintf(m->buf, sizeof m->buf, "t%u", from);
    guint64 left = m->left[from];
    if (left > 0) {
      g_autofree char *n = cx_format_count(left);
      g_free(d->label);
      d->label = g_strdup_printf("✕ %s dropped off", n);
      d->style.color = "#c0392b";
      d->style.fontcolor = "#c0392b";
    }
  } else {
    g_snprintf(m->buf, sizeof m->buf, "e%u_%u", from, to);
    g_autofree char *key = g_strdup_printf("%u/%u", from, to);
    if (g_hash_table_contains(m->mark_e, key)) {
      d->style.color = "#c0392b";
      d->style.penwidth = MAX(d->style.penwidth, 3);
    }
  }
  d->style.id = m->buf;
  return TRUE;
}

static guint32
act_id(CxReport *r, const char *name)
{
  return cx_pool_lookup(cx_log_activities(r->log), name, -1);
}

/* Kinds whose names are activities (channel_switch names channels). */
static gboolean
names_are_activities(const CxFinding *fd)
{
  return fd->kind != CX_FINDING_CHANNEL_SWITCH && fd->kind != CX_FINDING_EFFORT;
}

static gboolean
finding_is_cycle(const CxFinding *fd)
{
  return fd->kind == CX_FINDING_PINGPONG || fd->kind == CX_FINDING_LOOP;
}

typedef struct {
  guint acts; /* 0 = all */
  double paths;
} Level;

static int
view_same(const CxDfgView *a, const CxDfgView *b)
{
  return memcmp(a->activity_kept, b->activity_kept, a->n_activities) == 0
         && memcmp(a->start_kept, b->start_kept, a->n_activities) == 0
         && memcmp(a->end_kept, b->end_kept, a->n_activities) == 0
         && memcmp(a->edge_kept, b->edge_kept, a->n_edges) == 0;
}

/* Writes "map": {acts_levels, paths_levels, default, levels[{svg|same}], nodes, edges,
 * channels, node_channel}; fills @default_svg with the default level's SVG. */
static gboolean
map_json(CxReport *r, CxJson *j, char **default_svg, guint *shown, guint *hidden, GError **error)
{
  guint nn, ne;
  const CxDfgNode *nodes = cx_dfg_nodes(r->dfg, &nn);
  const CxDfgEdge *edges = cx_dfg_edges(r->dfg, &ne);
  CxPool *acts = cx_log_activities(r->log);
  guint n_ids = cx_pool_size(acts);
  MapCtx m = { 0 };
  m.r = r;
  m.marked = g_new0(guint8, n_ids + 1);
  m.left = g_new0(guint64, n_ids + 1);
  m.mark_e = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  guint nf;
  const CxFinding *fs = cx_friction_findings(r->friction, &nf);
  for (guint k = 0; k < nf && k < N_MARKED; k++) {
    const CxFinding *fd = &fs[k];
    if (!names_are_activities(fd))
      continue;
    guint32 prev = G_MAXUINT32, first = G_MAXUINT32;
    for (guint i = 0; i < fd->n_names; i++) {
      guint32 a = act_id(r, fd->names[i]);
      if (a == G_MAXUINT32)
        continue;
      if (!m.marked[a])
        m.marked[a] = (guint8)(k + 1);
      if (prev != G_MAXUINT32 && fd->kind != CX_FINDING_DROPOFF)
        g_hash_table_add(m.mark_e, g_strdup_printf("%u/%u", prev, a));
      if (first == G_MAXUINT32)
        first = a;
      prev = a;
    }
    if (finding_is_cycle(fd) && prev != first)
      g_hash_table_add(m.mark_e, g_strdup_printf("%u/%u", prev, first));
    if (fd->kind == CX_FINDING_REWORK && first != G_MAXUINT32)
      g_hash_table_add(m.mark_e, g_strdup_printf("%u/%u", first, first));
  }
  guint nfun;
  const CxFunnelStep *fun = cx_friction_funnel(r->friction, &nfun);
  for (guint i = 0; i < nfun; i++) {
    guint32 a = act_id(r, fun[i].activity);
    if (a != G_MAXUINT32)
      m.left[a] = fun[i].left;
  }

  /* levels: activities by case coverage, paths by strength */
  static const guint act_steps[] = { 5, 10, 15, 25, 40, 60 };
  static const double path_steps[] = { 15, 40, 100 };
  GArray *al = g_array_new(FALSE, FALSE, sizeof(guint));
  for (guint i = 0; i < G_N_ELEMENTS(act_steps); i++)
    if (act_steps[i] < nn)
      g_array_append_val(al, act_steps[i]);
  guint top = MIN(nn, MAX_ACTIVITIES);
  if (top > 0)
    g_array_append_val(al, top);
  guint def_a = 0;
  for (guint i = 0; i < al->len; i++)
    if (g_array_index(al, guint, i) <= CX_DFG_DEFAULT_ACTIVITIES)
      def_a = i;
  guint n_levels = al->len * G_N_ELEMENTS(path_steps);
  guint64 n_cases = cx_friction_n_cases(r->friction);
  CxDfgView **views = g_new0(CxDfgView *, MAX(n_levels, 1));
  char **svgs = g_new0(char *, MAX(n_levels, 1) + 1);
  int *same = g_new(int, MAX(n_levels, 1));
  gboolean ok = TRUE;
  Render *jobs = g_new0(Render, MAX(n_levels, 1));
  for (guint li = 0; li < n_levels; li++) {
    guint na = g_array_index(al, guint, li / G_N_ELEMENTS(path_steps));
    double pp = path_steps[li % G_N_ELEMENTS(path_steps)];
    /* at most MAX_ARCS arcs: more is a tangle, and dot takes minutes */
    CxDfgView *v = NULL;
    for (;;) {
      v = cx_dfg_view_new_top(r->dfg, na, pp);
      /* drop-off ends of the activities shown are drawn when 1% of the journeys end there */
      for (guint32 a = 0; a < v->n_activities; a++)
        if (v->activity_kept[a] && m.left[a] > 0 && m.left[a] * 100 >= n_cases)
          v->end_kept[a] = 1;
      guint ka, ke;
      cx_dfg_view_counts(v, &ka, &ke);
      if (ke <= MAX_ARCS || pp <= 1)
        break;
      pp = MAX(1, floor(pp * MAX_ARCS / ke * 0.9));
      cx_dfg_view_free(v);
    }
    views[li] = v;
    same[li] = -1;
    for (guint k = 0; k < li; k++)
      if (same[k] < 0 && view_same(views[k], v)) {
        same[li] = (int)k;
        break;
      }
    if (same[li] >= 0)
      continue;
    CxDotOptions o = { 0 };
    o.metric = CX_METRIC_FREQUENCY;
    o.rankdir = "TB";
    o.node_func = map_node;
    o.edge_func = map_edge;
    o.user_data = &m;
    jobs[li].dot = g_string_new(NULL);
    jobs[li].timeout_s = r->opts.render_timeout_s;
    cx_dot_write_dfg(r->dfg, v, &o, jobs[li].dot);
  }
  ok = render_all(jobs, n_levels, error);
  for (guint li = 0; li < n_levels; li++) {
    svgs[li] = g_steal_pointer(&jobs[li].svg);
    if (jobs[li].dot != NULL)
      g_string_free(jobs[li].dot, TRUE);
    g_clear_error(&jobs[li].error);
  }
  g_free(jobs);
  if (ok) {
    guint def = def_a * G_N_ELEMENTS(path_steps);
    guint d = same[def] >= 0 ? (guint)same[def] : def;
    *default_svg = g_strdup(svgs[d]);
    cx_dfg_view_counts(views[def], shown, NULL);
    *hidden = nn - *shown;
    cx_json_key(j, "map");
    cx_json_begin_object(j);
    cx_json_key(j, "activities_total");
    cx_json_int(j, nn);
    cx_json_key(j, "acts_levels");
    cx_json_begin_array(j);
    for (guint i = 0; i < al->len; i++)
      cx_json_int(j, g_array_index(al, guint, i));
    cx_json_end_array(j);
    cx_json_key(j, "paths_levels");
    cx_json_begin_array(j);
    for (guint i = 0; i < G_N_ELEMENTS(path_steps); i++)
      cx_json_double(j, path_steps[i]);
    cx_json_end_array(j);
    cx_json_key(j, "default_acts");
    cx_json_int(j, def_a);
    cx_json_key(j, "default_paths");
    cx_json_int(j, 0);
    cx_json_key(j, "levels");
    cx_json_begin_array(j);
    for (guint li = 0; li < n_levels; li++) {
      guint ka, ke;
      cx_dfg_view_counts(views[li], &ka, &ke);
      cx_json_begin_object(j);
      cx_json_key(j, "activities");
      cx_json_int(j, ka);
      cx_json_key(j, "paths");
      cx_json_int(j, ke);
      cx_json_key(j, "paths_share");
      cx_json_double(j, views[li]->paths_pct / 100);
      cx_json_key(j, "svg_of");
      cx_json_int(j, same[li] >= 0 ? same[li] : (int)li);
      if (same[li] < 0) {
        cx_json_key(j, "svg");
        cx_json_string(j, svgs[li]);
      }
      cx_json_end_object(j);
    }
    cx_json_end_array(j);
    /* per element: what the views show */
    cx_json_key(j, "nodes");
    cx_json_begin_object(j);
    for (guint i = 0; i < nn; i++) {
      char id[32];
      g_snprintf(id, sizeof id, "a%u", nodes[i].activity);
      cx_json_key(j, id);
      cx_json_begin_object(j);
      cx_json_key(j, "name");
      cx_json_string(j, cx_pool_get(acts, nodes[i].activity));
      cx_json_key(j, "count");
      cx_json_int(j, (gint64)nodes[i].count);
      cx_json_key(j, "cases");
      cx_json_int(j, (gint64)nodes[i].cases);
      /* the main channel */
      guint32 best = CX_ID_NONE;
      gsize best_n = 0;
      GHashTableIter it;
      gpointer k, val;
      g_hash_table_iter_init(&it, r->act_chan);
      while (g_hash_table_iter_next(&it, &k, &val)) {
        gint64 key = *(gint64 *)k;
        guint32 a = (guint32)(key >> 32), c = (guint32)(key & 0xffffffffu);
        gsize n = GPOINTER_TO_SIZE(val);
        if (a == nodes[i].activity
            && (n > best_n
                || (n == best_n && best != CX_ID_NONE
                    && strcmp(cx_pool_get(cx_log_channels(r->log), c),
                              cx_pool_get(cx_log_channels(r->log), best))
                           < 0))) {
          best = c;
          best_n = n;
        }
      }
      cx_json_key(j, "channel");
      if (best == CX_ID_NONE)
        cx_json_null(j);
      else
        cx_json_string(j, cx_pool_get(cx_log_channels(r->log), best));
      cx_json_end_object(j);
    }
    cx_json_end_object(j);
    cx_json_key(j, "edges");
    cx_json_begin_object(j);
    for (guint i = 0; i < ne; i++) {
      char id[48];
      g_snprintf(id, sizeof id, "e%u_%u", edges[i].from, edges[i].to);
      cx_json_key(j, id);
      cx_json_begin_object(j);
      cx_json_key(j, "count");
      cx_json_int(j, (gint64)edges[i].count);
      cx_json_key_double(j, "wait_median_s", edges[i].wait.n > 0 ? edges[i].wait.median : NAN);
      cx_json_end_object(j);
    }
    cx_json_end_object(j);
    cx_json_end_object(j);
  }
  for (guint li = 0; li < n_levels; li++)
    cx_dfg_view_free(views[li]);
  g_free(views);
  for (guint li = 0; li < n_levels; li++)
    g_free(svgs[li]);
  g_free(svgs);
  g_free(same);
  g_array_free(al, TRUE);
  g_free(m.marked);
  g_free(m.left);
  g_hash_table_destroy(m.mark_e);
  return ok;
}

/* ---------- charts ---------- */

/* A line chart of @n values (NaN: none) over the periods, with axes. */
static void
line_chart(GString *o, const char *title, const char *unit, const double *v, const CxTrendPeriod *p,
           guint n, CxTrendEvery every, GTimeZone *tz, int kind)
{
  /* kind: 0 count, 1 duration, 2 share */
  const double W = 520, H = 190, L = 64, R = 12, T = 26, B = 40;
  double max = 0;
  for (guint i = 0; i < n; i++)
    if (isfinite(v[i]))
      max = MAX(max, v[i]);
  if (kind == 2)
    max = 1;
  if (max <= 0)
    max = 1;
  g_string_append_printf(o,
                         "<figure class=\"chart\"><svg viewBox=\"0 0 %g %g\" role=\"img\" "
                         "aria-label=\"",
                         W, H);
  cx_escape_html(o, title);
  g_string_append(o, "\">");
  g_string_append_printf(o, "<text x=\"%g\" y=\"16\" class=\"ct\">", L);
  cx_escape_html(o, title);
  g_string_append(o, "</text>");
  double pw = (W - L - R) / MAX(n, 1);
  for (guint i = 0; i < n; i++)
    if (p[i].censored)
      g_string_append_printf(o,
                             "<rect x=\"%.1f\" y=\"%g\" width=\"%.1f\" height=\"%g\" "
                             "class=\"cens\"><title>still filling: journeys that will end in "
                             "this period may not have yet</title></rect>",
                             L + i * pw, T, pw, H - T - B);
  /* y axis: 0, half, max */
  for (int k = 0; k <= 2; k++) {
    double y = H - B - (H - T - B) * k / 2.0, val = max * k / 2.0;
    g_autofree char *lab = kind == 1   ? cx_format_duration(val)
                           : kind == 2 ? cx_format_share(val)
                                       : cx_format_number(val, val < 10 ? 1 : 0);
    g_string_append_printf(o,
                           "<line x1=\"%g\" x2=\"%g\" y1=\"%.1f\" y2=\"%.1f\" class=\"grid\"/>"
                           "<text x=\"%g\" y=\"%.1f\" class=\"yl\">%s</text>",
                           L, W - R, y, y, L - 6, y + 4, lab);
  }
  g_string_append_printf(o,
                         "<line x1=\"%g\" x2=\"%g\" y1=\"%g\" y2=\"%g\" class=\"axis\"/>"
                         "<line x1=\"%g\" x2=\"%g\" y1=\"%g\" y2=\"%g\" class=\"axis\"/>",
                         L, W - R, H - B, H - B, L, L, T, H - B);
  g_string_append_printf(o,
                         "<text x=\"12\" y=\"%g\" class=\"unit\" transform=\"rotate(-90 12 %g)\">",
                         (H - B + T) / 2, (H - B + T) / 2);
  cx_escape_html(o, unit);
  g_string_append(o, "</text>");
  /* x labels: first, middle, last */
  guint xs[3] = { 0, n / 2, n > 0 ? n - 1 : 0 };
  for (int k = 0; k < 3 && n > 0; k++) {
    if (k > 0 && xs[k] == xs[k - 1])
      continue;
    g_autofree char *lab = cx_trend_label(&p[xs[k]], every, tz);
    g_string_append_printf(o, "<text x=\"%.1f\" y=\"%g\" class=\"xl\" text-anchor=\"%s\">%s</text>",
                           L + (xs[k] + 0.5) * pw, H - B + 16,
                           k == 0   ? "start"
                           : k == 2 ? "end"
                                    : "middle",
                           lab);
  }
  g_string_append_printf(o, "<text x=\"%g\" y=\"%g\" class=\"xl\" text-anchor=\"middle\">%s</text>",
                         (L + W - R) / 2, H - 6,
                         every == CX_TREND_MONTH  ? "month"
                         : every == CX_TREND_WEEK ? "week (from Monday)"
                                                  : "day");
  /* the line, broken where a period has no value */
  GString *path = g_string_new(NULL);
  gboolean pen = FALSE;
  for (guint i = 0; i < n; i++) {
    if (!isfinite(v[i])) {
      pen = FALSE;
      continue;
    }
    double x = L + (i + 0.5) * pw, y = H - B - (H - T - B) * v[i] / max;
    g_string_append_printf(path, "%c%.1f %.1f ", pen ? 'L' : 'M', x, y);
    pen = TRUE;
  }
  if (path->len > 0)
    g_string_append_printf(o, "<path d=\"%s\" class=\"line\"/>", path->str);
  g_string_free(path, TRUE);
  for (guint i = 0; i < n; i++) {
    if (!isfinite(v[i]))
      continue;
    double x = L + (i + 0.5) * pw, y = H - B - (H - T - B) * v[i] / max;
    g_autofree char *lab = cx_trend_label(&p[i], every, tz);
    g_autofree char *val = kind == 1   ? cx_format_duration(v[i])
                           : kind == 2 ? cx_format_share(v[i])
                                       : cx_format_count((guint64)v[i]);
    char exact[G_ASCII_DTOSTR_BUF_SIZE];
    g_ascii_formatd(exact, sizeof exact, kind == 2 ? "%.6f" : "%.0f", v[i]);
    g_string_append_printf(o,
                           "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%g\" class=\"pt\"><title>%s: %s "
                           "(%s%s)%s</title></circle>",
                           x, y, n > 60 ? 1.6 : 3.0, lab, val, exact, kind == 1 ? " s" : "",
                           p[i].censored ? ", still filling" : "");
  }
  g_string_append(o, "</svg></figure>");
}

/* A box plot of durations on a log scale [lo, hi] seconds. */
static void
box_plot(GString *o, double *d, guint n, double lo, double hi)
{
  const double W = 220, H = 20;
  if (n == 0) {
    g_string_append(o, "<span class=\"muted\">no durations</span>");
    return;
  }
  cx_sort_doubles(d, n);
  double q[5] = { cx_quantile_sorted(d, n, 0.1), cx_quantile_sorted(d, n, 0.25),
                  cx_quantile_sorted(d, n, 0.5), cx_quantile_sorted(d, n, 0.75),
                  cx_quantile_sorted(d, n, 0.9) };
  double x[5];
  double llo = log10(MAX(lo, 1)), lhi = log10(MAX(hi, 10));
  for (int k = 0; k < 5; k++)
    x[k] = 4 + (W - 8) * (log10(MAX(q[k], 1)) - llo) / MAX(lhi - llo, 1e-9);
  g_autofree char *a = cx_format_duration(q[0]), *b = cx_format_duration(q[1]),
                  *c = cx_format_duration(q[2]), *e = cx_format_duration(q[3]),
                  *f = cx_format_duration(q[4]);
  g_string_append_printf(o,
                         "<svg class=\"box\" viewBox=\"0 0 %g %g\" width=\"%g\" height=\"%g\">"
                         "<title>%u journeys: p10 %s, p25 %s, median %s, p75 %s, p90 %s</title>"
                         "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"10\" y2=\"10\" class=\"wh\"/>"
                         "<rect x=\"%.1f\" y=\"4\" width=\"%.1f\" height=\"12\" class=\"bx\"/>"
                         "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"3\" y2=\"17\" class=\"md\"/></svg>",
                         W, H, W, H, n, a, b, c, e, f, x[0], x[4], x[1], MAX(x[3] - x[1], 1.5),
                         x[2], x[2]);
}

/* ---------- the page ---------- */

static const char page_css[]
    = "body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;"
      "color:#1d2730;background:#f4f6f8;margin:0}"
      "header{background:#1f3a56;color:#fff;padding:18px 28px}header h1{margin:0;font-size:24px}"
      "header p{margin:4px 0 0;color:#c9d6e3}"
      "nav{position:sticky;top:0;background:#fff;border-bottom:1px solid #d8dee4;padding:8px 28px;"
      "z-index:5}nav a{margin-right:16px;color:#1f5f99;text-decoration:none;font-weight:600}"
      "main{padding:0 28px 40px;max-width:1280px}"
      "section{background:#fff;border:1px solid #d8dee4;border-radius:8px;margin:18px 0;"
      "padding:16px 20px}section h2{margin:0 0 8px;font-size:19px}"
      ".cards{display:flex;flex-wrap:wrap;gap:12px}.kpi{border:1px solid #e1e6eb;border-radius:6px;"
      "padding:8px 14px;min-width:130px}.kpi b{display:block;font-size:22px}.kpi "
      "small{color:#5a6772}"
      ".muted{color:#5a6772}.note{background:#fff8e1;border-left:4px solid #f0b400;padding:8px "
      "12px}"
      ".empty{background:#eef2f5;border-left:4px solid #8a949c;padding:8px 12px}"
      ".n{border-bottom:1px dotted #9aa5ae}"
      ".cmpmap{overflow:auto;text-align:center}.cmpmap svg{max-width:100%;height:auto}"
      "#mapbox{overflow:auto;border:1px solid #e1e6eb;border-radius:6px;"
      "background:#fff;text-align:center}#mapbox svg{display:block;margin:0 auto}"
      ".controls{display:flex;flex-wrap:wrap;gap:18px;align-items:center;margin:8px 0}"
      ".controls label{font-weight:600}.seg button{border:1px solid #9aa5ae;background:#fff;"
      "padding:4px 10px;cursor:pointer}.seg button.on{background:#1f5f99;color:#fff}"
      "svg.dim g.node:not(.hl),svg.dim g.edge:not(.hl){opacity:.18}"
      "g.hl path,g.hl polygon{stroke:#c0392b!important;stroke-width:3px}"
      ".fcards{display:grid;grid-template-columns:repeat(auto-fill,minmax(330px,1fr));gap:12px}"
      ".fcard{border:1px solid #e1e6eb;border-left:5px solid #c0392b;border-radius:6px;"
      "padding:10px 12px;cursor:pointer}.fcard:hover,.fcard.sel{background:#fdf3f2}"
      ".fcard h3{margin:0 0 4px;font-size:15px}.cost{display:flex;gap:16px;margin:6px 0}"
      ".cost div b{display:block;font-size:18px}.kind{font-size:12px;text-transform:uppercase;"
      "letter-spacing:.05em;color:#8a3a30}"
      "table{border-collapse:collapse}td,th{padding:4px 8px;border-bottom:1px solid #eef1f3;"
      "text-align:left;vertical-align:middle}th{font-size:13px;color:#5a6772}td.r,th.r{text-align:"
      "right}"
      ".chip{display:inline-block;background:#e8eef4;border-radius:4px;padding:1px 6px;margin:1px;"
      "font-size:12px}.bar{background:#1f5f99;height:10px;display:inline-block}"
      ".heat td{text-align:center;min-width:70px;font-size:13px}"
      ".charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(440px,1fr));gap:10px}"
      "figure.chart{margin:0}figure.chart svg{width:100%;height:auto}"
      ".ct{font-weight:600;font-size:13px}.yl{font-size:11px;text-anchor:end;fill:#5a6772}"
      ".xl{font-size:11px;fill:#5a6772}.unit{font-size:11px;fill:#5a6772;text-anchor:middle}"
      ".grid{stroke:#eef1f3}.axis{stroke:#8a949c}.line{fill:none;stroke:#1f5f99;stroke-width:2}"
      ".pt{fill:#1f5f99}.cens{fill:#f3f0e6}"
      ".box .wh{stroke:#8a949c}.box .bx{fill:#c9dcef;stroke:#1f5f99}.box .md{stroke:#c0392b;"
      "stroke-width:2}"
      ".better{color:#1e7b34;font-weight:600}.worse{color:#b03a2e;font-weight:600}"
      ".changed{color:#1f5f99;font-weight:600}pre.text{white-space:pre-wrap;font:14px/1.45 inherit}"
      "details{margin-top:6px}code{font-size:12px}"
      "#legend span{display:inline-block;margin-right:10px}#legend i{display:inline-block;"
      "width:12px;height:12px;border-radius:3px;margin-right:4px;vertical-align:-1px}";

/* The page's behaviour: map levels and views, friction highlights. */
static const char page_js[]
    = "(function(){'use strict';\n"
      "var D=JSON.parse(document.getElementById('cx-data').textContent);var M=D.map;\n"
      "var cs=document.getElementById('cmpsel');if(cs)cs.addEventListener('change',function(){"
      "document.querySelectorAll('.cmpmap[data-seg]').forEach(function(x){x.hidden="
      "x.getAttribute('data-seg')!==cs.value;});});\n"
      "var box=document.getElementById('mapbox');if(!M||!box)return;\n"
      "var sa=document.getElementById('acts'),sp=document.getElementById('paths');\n"
      "var view='frequency',sel=null;\n"
      "var PAL=['#4e79a7','#f28e2b','#59a14f','#e15759','#76b7b2','#edc948','#b07aa1','#ff9da7',"
      "'#9c755f','#bab0ac'];var chans=[];\n"
      "Object.keys(M.nodes).forEach(function(k){var c=M.nodes[k].channel;if(c!==null&&"
      "chans.indexOf(c)<0)chans.push(c);});chans.sort();\n"
      "function fmtDur(s){if(s===null||s===undefined)return '';var a=Math.abs(s);"
      "if(a<60)return Math.round(s)+' s';if(a<3600)return (s/60).toFixed(s<600?1:0)+' min';"
      "if(a<86400)return (s/3600).toFixed(s<36000?1:0)+' h';return (s/86400).toFixed(s<864000?1:0)"
      "+' d';}\n"
      "function orange(t){var a=[254,232,200],b=[179,0,0];return 'rgb('+a.map(function(x,i){"
      "return Math.round(x+(b[i]-x)*t);}).join(',')+')';}\n"
      "function level(){var i=+sa.value*M.paths_levels.length+(+sp.value);return i;}\n"
      "function show(){var i=level(),L=M.levels[i],src=M.levels[L.svg_of].svg;\n"
      " var doc=new DOMParser().parseFromString(src,'image/svg+xml');var "
      "root=doc.documentElement;\n"
      " if(root.nodeName!=='svg')return;box.replaceChildren(document.importNode(root,true));fit();"
      "\n"
      " document.getElementById('acts-out').textContent=L.activities+' of '+M.activities_total;\n"
      " document.getElementById('paths-out').textContent=Math.round(L.paths_share*100)+'% ('+"
      "L.paths+' paths)';\n"
      " var h=M.activities_total-L.activities;document.getElementById('hidden').textContent=h>0?"
      "'Hidden on this level: '+h+' less common '+(h===1?'activity':'activities')+"
      "'. Move the slider to the right to see more.':'Every activity is shown.';\n"
      " paint();if(sel)mark(sel);}\n"
      "var full=false;function fit(){var svg=box.querySelector('svg');if(!svg)return;"
      "var vb=svg.viewBox.baseVal,w=vb&&vb.width?vb.width:svg.width.baseVal.value,h=vb&&vb.height?"
      "vb.height:svg.height.baseVal.value;var W=box.clientWidth-4,s=full?1.33:Math.min(1.33,W/w,"
      "Math.max(1000,0.9*window.innerHeight)/h);svg.setAttribute('width',Math.round(w*s));"
      "svg.setAttribute('height',Math.round(h*s));document.getElementById('zoom').textContent="
      "full?'Fit to page':'Full size';}\n"
      "document.getElementById('zoom').addEventListener('click',function(){full=!full;fit();});\n"
      "function paint(){var svg=box.querySelector('svg');if(!svg)return;var max=0;\n"
      " svg.querySelectorAll('g.edge').forEach(function(g){var e=M.edges[g.id];if(e&&"
      "e.wait_median_s!==null)max=Math.max(max,e.wait_median_s);});\n"
      " svg.querySelectorAll('g.edge').forEach(function(g){var e=M.edges[g.id];if(!e)return;\n"
      "  var t=g.querySelector('text'),p=g.querySelectorAll('path,polygon');\n"
      "  if(!g.dataset.f){g.dataset.f=t?t.textContent:'';g.dataset.c=p.length?"
      "p[0].getAttribute('stroke'):'';}\n"
      "  if(view==='waits'){var w=e.wait_median_s;if(t)t.textContent=w===null?'':' '+fmtDur(w)+' "
      "';\n"
      "   var c=w===null?'#c8cdd2':orange(max>0?Math.sqrt(w/max):0);p.forEach(function(x){"
      "x.setAttribute('stroke',c);if(x.nodeName==='polygon')x.setAttribute('fill',c);});}\n"
      "  else{if(t)t.textContent=g.dataset.f;p.forEach(function(x){x.setAttribute('stroke',"
      "g.dataset.c);if(x.nodeName==='polygon')x.setAttribute('fill',g.dataset.c);});}});\n"
      " svg.querySelectorAll('g.node').forEach(function(g){var n=M.nodes[g.id];if(!n)return;\n"
      "  var p=g.querySelector('path,polygon');if(!p)return;if(!g.dataset.f)g.dataset.f="
      "p.getAttribute('fill');\n"
      "  if(view==='channels'&&n.channel!==null){p.setAttribute('fill',PAL[chans.indexOf(n.channel)"
      "%PAL.length]);g.querySelectorAll('text').forEach(function(x){x.setAttribute('fill','#fff');}"
      ");}\n"
      "  else{p.setAttribute('fill',g.dataset.f);}});\n"
      " var lg=document.getElementById('legend');lg.replaceChildren();\n"
      " if(view==='channels'){chans.forEach(function(c,i){var s=document.createElement('span'),"
      "b=document.createElement('i');b.style.background=PAL[i%PAL.length];s.appendChild(b);"
      "s.appendChild(document.createTextNode(c));lg.appendChild(s);});}\n"
      " else{lg.textContent=view==='waits'?'Arrows: median waiting time between the two steps "
      "(darker = longer). ':'Boxes: how often each activity happens; arrows: how often one step "
      "directly follows the other (thicker = more). ';}}\n"
      "function mark(card){var svg=box.querySelector('svg');if(!svg)return;\n"
      " svg.querySelectorAll('.hl').forEach(function(x){x.classList.remove('hl');});\n"
      " var ids=(card.getAttribute('data-map')||'').split(' ').filter(Boolean),found=0;\n"
      " ids.forEach(function(id){var g=svg.querySelector('[id=\"'+id+'\"]');if(g){g.classList.add("
      "'hl');found++;}});svg.classList.toggle('dim',found>0);\n"
      " var m=document.getElementById('mapmsg');m.textContent=found>0?'Highlighted on the map: '+"
      "card.querySelector('h3').textContent+'.':(ids.length?'This finding is not on the current "
      "map level: show more activities.':'This finding has no single place on the map.');}\n"
      "document.querySelectorAll('.fcard').forEach(function(c){c.addEventListener('click',"
      "function(){document.querySelectorAll('.fcard.sel').forEach(function(x){x.classList.remove("
      "'sel');});if(sel===c){sel=null;var "
      "svg=box.querySelector('svg');if(svg){svg.classList.remove("
      "'dim');svg.querySelectorAll('.hl').forEach(function(x){x.classList.remove('hl');});}"
      "document.getElementById('mapmsg').textContent='';return;}sel=c;c.classList.add('sel');"
      "mark(c);document.getElementById('map').scrollIntoView({behavior:'smooth'});});});\n"
      "document.querySelectorAll('.seg button').forEach(function(b){b.addEventListener('click',"
      "function(){view=b.getAttribute('data-view');document.querySelectorAll('.seg button')."
      "forEach(function(x){x.classList.toggle('on',x===b);});paint();});});\n"
      "if(!Object.keys(M.edges).some(function(k){return M.edges[k].wait_median_s!==null;})){"
      "var wb=document.querySelector('button[data-view=waits]');wb.disabled=true;wb.title="
      "'this log has no waiting times';}\n"
      "if(!chans.length){var cb=document.querySelector('button[data-view=channels]');cb.disabled="
      "true;cb.title='this log has no channels';}\n"
      "sa.max=M.acts_levels.length-1;sa.value=M.default_acts;sp.max=M.paths_levels.length-1;"
      "sp.value=M.default_paths;\n"
      "sa.addEventListener('input',show);sp.addEventListener('input',show);show();\n"
      "})();\n";

static void
section_open(GString *o, const char *id, const char *title)
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
  h_count(o, (guint64)v);
}

static void
sec_overview(CxReport *r, GString *o, GTimeZone *tz, const CxStatsSummary *sm)
{
  section_open(o, "overview", "Overview");
  guint64 succ, drop, open;
  cx_friction_outcomes(r->friction, &succ, &drop, &open);
  double ok_share = succ + drop > 0 ? (double)succ / (double)(succ + drop) : NAN;
  g_string_append(o, "<div class=\"cards\">");
  kpi(o, "journeys (cases)", h_count_d, (double)sm->cases, NULL);
  g_string_append(o, "<div class=\"kpi\"><small>period</small><b style=\"font-size:16px\">");
  if (sm->first == CX_TS_NONE) {
    g_string_append(o, "unknown</b><small>no timestamps</small></div>");
  } else {
    h_date(o, sm->first, tz);
    g_string_append(o, " – ");
    h_date(o, sm->last, tz);
    g_string_append(o, "</b></div>");
  }
  kpi(o, "ended successfully", h_share, ok_share, "of finished journeys");
  kpi(o, "median duration", h_dur, sm->duration.n > 0 ? sm->duration.median : NAN, NULL);
  kpi(o, "p90 duration", h_dur, sm->duration.n > 0 ? sm->duration.p90 : NAN,
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
    h_count(o, sm->channel_counts[i]);
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

static void
sec_map(CxReport *r, GString *o, const char *svg, guint shown, guint hidden)
{
  (void)r;
  section_open(o, "map", "Journey map");
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

/* The map ids of a finding: its activities and the edges between them. */
static void
finding_map_ids(CxReport *r, const CxFinding *fd, GString *ids)
{
  if (!names_are_activities(fd))
    return;
  guint32 a[CX_FINDING_MAX_NAMES];
  guint n = 0;
  for (guint i = 0; i < fd->n_names; i++) {
    guint32 x = act_id(r, fd->names[i]);
    if (x != G_MAXUINT32)
      a[n++] = x;
  }
  for (guint i = 0; i < n; i++) {
    g_string_append_printf(ids, "a%u ", a[i]);
    if (i + 1 < n)
      g_string_append_printf(ids, "e%u_%u ", a[i], a[i + 1]);
  }
  if (n > 1 && finding_is_cycle(fd))
    g_string_append_printf(ids, "e%u_%u ", a[n - 1], a[0]);
  if (n == 1 && fd->kind == CX_FINDING_REWORK)
    g_string_append_printf(ids, "e%u_%u ", a[0], a[0]);
  if (n >= 1 && fd->kind == CX_FINDING_DROPOFF)
    g_string_append_printf(ids, "t%u ", a[n - 1]);
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

static void
sec_friction(CxReport *r, GString *o)
{
  section_open(o, "friction", "Friction: where customers get stuck");
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
    finding_map_ids(r, fd, ids);
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
    h_count(o, fd->customers_lost);
    g_string_append(o, "</b><small>customers lost (");
    h_share(o, fd->customers_lost_share);
    g_string_append(o, ")</small></div><div><b>");
    h_time_total(o, fd->extra_time_s);
    g_string_append(o, "</b><small>extra customer time (");
    h_share(o, fd->extra_time_share);
    g_string_append(o, ")</small></div></div><p>");
    g_autofree char *desc = cx_finding_describe(fd, n_cases);
    cx_escape_html(o, desc);
    g_string_append(o, "</p>");
    /* the funnel through its activities */
    gboolean any = FALSE;
    for (guint i = 0; i < fd->n_names && names_are_activities(fd); i++) {
      gboolean again = FALSE;
      for (guint k2 = 0; k2 < i; k2++)
        again = again || strcmp(fd->names[k2], fd->names[i]) == 0;
      for (guint s = 0; s < nfun && !again; s++)
        if (strcmp(fun[s].activity, fd->names[i]) == 0) {
          if (!any)
            g_string_append(o, "<table><tr><th>funnel step</th><th class=\"r\">reached</th>"
                               "<th class=\"r\">left there</th></tr>");
          any = TRUE;
          g_string_append(o, "<tr><td>");
          cx_escape_html(o, fun[s].activity);
          g_string_append(o, "</td><td class=\"r\">");
          h_count(o, fun[s].reached);
          g_string_append(o, "</td><td class=\"r\">");
          h_count(o, fun[s].left);
          g_string_append(o, " (");
          h_share(o, fun[s].left_share);
          g_string_append(o, ")</td></tr>");
          break;
        }
    }
    if (any)
      g_string_append(o, "</table>");
    guint nid;
    const guint32 *cids = cx_friction_finding_case_ids(r->friction, fd, &nid);
    g_string_append(o, "<details><summary>");
    h_count(o, nid);
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

static void
sec_variants(CxReport *r, GString *o)
{
  section_open(o, "variants", "Journey variants");
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
  h_count(o, nv);
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
    h_count(o, vs[i].count);
    g_string_append(o, "</td><td class=\"r\">");
    h_share(o, vs[i].share);
    g_string_append(o, "</td><td class=\"r\">");
    h_dur(o, vs[i].median_duration_s);
    g_string_append(o, "</td><td>");
    box_plot(o, (double *)dur[i]->data, dur[i]->len, lo == G_MAXDOUBLE ? 1 : lo, hi);
    g_string_append(o, "</td></tr>");
  }
  g_string_append(o, "</table></section>\n");
  for (guint i = 0; i < shown; i++)
    g_array_free(dur[i], TRUE);
  g_free(dur);
}

static void
sec_channels(CxReport *r, GString *o, const CxStatsSummary *sm)
{
  section_open(o, "channels", "Channel switches");
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
  g_autoptr(GPtrArray) names = g_ptr_array_new();
  guint64 max = 0;
  for (guint i = 0; i < n; i++) {
    if (!g_ptr_array_find_with_equal_func(names, m[i].from, g_str_equal, NULL))
      g_ptr_array_add(names, (gpointer)m[i].from);
    if (!g_ptr_array_find_with_equal_func(names, m[i].to, g_str_equal, NULL))
      g_ptr_array_add(names, (gpointer)m[i].to);
    if (strcmp(m[i].from, m[i].to) != 0)
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
    const char *from = g_ptr_array_index(names, a);
    g_string_append(o, "<tr><th>");
    cx_escape_html(o, from);
    g_string_append(o, "</th>");
    for (guint b = 0; b < names->len; b++) {
      const char *to = g_ptr_array_index(names, b);
      const CxChannelSwitch *x = NULL;
      for (guint i = 0; i < n; i++)
        if (strcmp(m[i].from, from) == 0 && strcmp(m[i].to, to) == 0)
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
      h_count(o, x->count);
      g_string_append(o, "<br><small>wait ");
      h_dur(o, x->median_wait_s);
      g_string_append(o, "</small></td>");
    }
    g_string_append(o, "</tr>");
  }
  g_string_append(o, "</table></section>\n");
}

#define MIN_FINISHED 5

static void
sec_trends(CxReport *r, GString *o, GTimeZone *tz)
{
  section_open(o, "trends", "Trends");
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
  line_chart(o, t1, "journeys", v, p, n, r->every, tz, 0);
  for (guint i = 0; i < n; i++)
    v[i] = p[i].finished >= MIN_FINISHED ? p[i].median_duration_s : NAN;
  line_chart(o, "Median duration of journeys finished", "duration", v, p, n, r->every, tz, 1);
  for (guint i = 0; i < n; i++)
    v[i] = p[i].finished >= MIN_FINISHED ? p[i].success_share : NAN;
  line_chart(o, "Success share of journeys finished", "share of finished", v, p, n, r->every, tz,
             2);
  for (guint i = 0; i < n; i++)
    v[i] = p[i].finished >= MIN_FINISHED ? p[i].dropoff_share : NAN;
  line_chart(o, "Drop-off share of journeys finished", "share of finished", v, p, n, r->every, tz,
             2);
  g_string_append(o, "</div></section>\n");
}

/* One comparison: the headline in words, then the measures that moved
 * (at most @rows; with @judged only those better or worse). */
static void
cmp_block(GString *o, const CxCompare *c, guint rows, gboolean judged)
{
  const CxCompareOptions *co = cx_compare_options(c);
  g_autoptr(GString) text = g_string_new(NULL);
  cx_compare_to_text(c, 8, FALSE, text);
  /* the headline in words: the paragraph after the title line ("B (n
   * journeys) vs A (n journeys)"), its sentences and what the figures read */
  const char *head = strstr(text->str, "\n\n");
  head = head != NULL ? head + 2 : text->str;
  const char *end = strstr(head, "\n\n");
  g_autofree char *para = g_strndup(head, end != NULL ? (gsize)(end - head) : strlen(head));
  g_string_append(o, "<pre class=\"text\">");
  cx_escape_html(o, para);
  g_string_append(o, "</pre>");
  guint n;
  const CxCompareItem *it = cx_compare_items(c, &n);
  g_string_append(o, "<table><tr><th>measure</th><th>what</th><th class=\"r\">");
  cx_escape_html(o, co->names[0]);
  g_string_append(o, "</th><th class=\"r\">");
  cx_escape_html(o, co->names[1]);
  g_string_append(o, "</th><th>change</th></tr>");
  guint shown = 0;
  for (guint i = 0; i < n && shown < rows; i++) {
    if (it[i].direction == CX_CHANGE_SAME
        || (judged && it[i].direction != CX_CHANGE_BETTER && it[i].direction != CX_CHANGE_WORSE))
      continue;
    shown++;
    gboolean by_sample = it[i].sample_change != CX_CHANGE_SAME && isfinite(it[i].median[0]);
    /* the samples are times but for counts and scores */
    gboolean plain = it[i].kind == CX_COMPARE_HEADLINE
                     && (strcmp(it[i].name, "instances per case") == 0
                         || strcmp(it[i].name, "satisfaction") == 0);
    gboolean by_time = by_sample && !plain;
    static const char *kinds[] = { "headline", "activity", "path", "variant", "friction" };
    g_string_append(o, "<tr><td>");
    cx_escape_html(o, it[i].name);
    g_string_append_printf(o, "</td><td>%s %s</td>", kinds[it[i].kind],
                           by_sample ? "median" : "share of journeys");
    for (int k = 0; k < 2; k++) {
      g_string_append(o, "<td class=\"r\">");
      if (by_time) {
        h_dur(o, it[i].median[k]);
      } else if (by_sample) {
        g_autofree char *v = cx_format_number(it[i].median[k], 1);
        char exact[G_ASCII_DTOSTR_BUF_SIZE];
        g_ascii_formatd(exact, sizeof exact, "%.6g", it[i].median[k]);
        g_string_append_printf(o, "<span class=\"n\" title=\"%s\">%s</span>", exact, v);
      } else {
        h_share(o, it[i].case_rate[k]);
      }
      g_string_append(o, "</td>");
    }
    const char *ch = cx_change_name(it[i].direction);
    g_string_append_printf(o, "<td class=\"%s\">%s</td></tr>", ch, ch);
  }
  if (shown == 0)
    g_string_append_printf(o,
                           "<tr><td colspan=\"5\">No measure got %s beyond chance and the "
                           "minimum effect.</td></tr>",
                           judged ? "better or worse" : "changed");
  g_string_append(o, "</table>");
}

/* The comparison map's picture, in a div (@seg >= 0: the segment it shows,
 * hidden unless @shown). */
static gboolean
cmp_map_div(CxReport *r, GString *o, const CxCompare *c, gint seg, gboolean shown, GError **error)
{
  if (seg >= 0)
    g_string_append_printf(o, "<div class=\"cmpmap\" data-seg=\"%d\"%s>", seg,
                           shown ? "" : " hidden");
  else
    g_string_append(o, "<div class=\"cmpmap\">");
  g_autoptr(GString) dot = g_string_new(NULL);
  cx_compare_to_dot(c, 0.05, 10, dot);
  g_autofree char *svg = render_svg(dot, r->opts.render_timeout_s, error);
  if (svg == NULL)
    return FALSE;
  g_string_append(o, svg);
  g_string_append(o, "</div>");
  return TRUE;
}

static void
cmp_map_legend(GString *o)
{
  g_string_append(o, "<p class=\"muted\">Green: better, red: worse, blue: changed, grey: the "
                     "same. Labels: share of journeys, the first side → the second.</p>");
}

static gboolean
cmp_map(CxReport *r, GString *o, const CxCompare *c, GError **error)
{
  g_string_append(o, "<h3>Comparison map</h3>");
  cmp_map_legend(o);
  return cmp_map_div(r, o, c, -1, TRUE, error);
}

#define MAX_SEGMENT_MAPS 8

static gint
by_cases_desc(gconstpointer x, gconstpointer y, gpointer data)
{
  const CxCompareBy *b = data;
  guint64 n[2];
  double med, share;
  gint64 lost;
  const char *top;
  cx_compare_by_row(b, *(const guint *)x, &n[0], &med, &share, &lost, &top);
  cx_compare_by_row(b, *(const guint *)y, &n[1], &med, &share, &lost, &top);
  if (n[0] != n[1])
    return n[0] > n[1] ? -1 : 1;
  return *(const guint *)x < *(const guint *)y ? -1 : *(const guint *)x > *(const guint *)y;
}

/* --by: the overview of the segments, then each segment vs the rest (or
 * the baseline), as `cxmine compare --by KEY` reports them. */
static gboolean
sec_segments(CxReport *r, GString *o, GError **error)
{
  const CxCompareBy *b = r->cmp_by;
  guint n = cx_compare_by_n_segments(b);
  gint base = cx_compare_by_baseline(b);
  g_string_append(o, "<p>Segments by <b>");
  cx_escape_html(o, cx_compare_by_key(b));
  g_string_append_printf(o, "</b> (%u), ", n);
  if (base >= 0) {
    g_string_append(o, "each compared with <b>");
    cx_escape_html(o, cx_compare_by_label(b, (guint)base));
    g_string_append(o, "</b>");
  } else {
    g_string_append(o, "each compared with the rest of the journeys");
  }
  g_string_append(o, ", as <code>cxmine compare --by</code> reports them. ");
  cx_escape_html(o, cx_compare_by_rule(b));
  g_string_append(o, "</p><table><tr><th>segment</th><th class=\"r\">journeys</th><th "
                     "class=\"r\">median duration</th><th class=\"r\">success share</th><th "
                     "class=\"r\">customers lost</th><th>top friction</th></tr>");
  for (guint i = 0; i < n; i++) {
    guint64 cases;
    double med, share;
    gint64 lost;
    const char *top;
    cx_compare_by_row(b, i, &cases, &med, &share, &lost, &top);
    g_string_append(o, "<tr><td>");
    cx_escape_html(o, cx_compare_by_label(b, i));
    g_string_append(o, "</td><td class=\"r\">");
    h_count(o, cases);
    g_string_append(o, "</td><td class=\"r\">");
    h_dur(o, med);
    g_string_append(o, "</td><td class=\"r\">");
    h_share(o, share);
    g_string_append(o, "</td><td class=\"r\">");
    if (lost >= 0)
      h_count(o, (guint64)lost);
    else
      g_string_append(o, "–");
    g_string_append(o, "</td><td>");
    cx_escape_html(o, top != NULL ? top : "–");
    g_string_append(o, "</td></tr>");
  }
  g_string_append(o, "</table>");
  /* each segment: the headline and what got better or worse */
  gboolean first = TRUE;
  for (guint i = 0; i < n; i++) {
    const CxCompare *c = cx_compare_by_get(b, i);
    if (c == NULL)
      continue;
    const CxCompareOptions *co = cx_compare_options(c);
    g_string_append_printf(o, "<details class=\"cmpseg\"%s><summary><b>", first ? " open" : "");
    cx_escape_html(o, co->names[1]);
    g_string_append(o, "</b> vs ");
    cx_escape_html(o, co->names[0]);
    g_string_append(o, "</summary>");
    cmp_block(o, c, 6, TRUE);
    g_string_append(o, "</details>");
    first = FALSE;
  }
  /* the maps of the largest compared segments (a dot run each), one shown
   * at a time: the largest first */
  g_autoptr(GArray) order = g_array_new(FALSE, FALSE, sizeof(guint));
  for (guint i = 0; i < n; i++)
    if (cx_compare_by_get(b, i) != NULL)
      g_array_append_val(order, i);
  g_array_sort_with_data(order, by_cases_desc, (gpointer)b);
  guint nm = MIN(order->len, MAX_SEGMENT_MAPS);
  if (nm == 0)
    return TRUE;
  g_string_append(o, "<h3>Comparison map</h3><p><label for=\"cmpsel\">Segment: </label><select "
                     "id=\"cmpsel\">");
  for (guint m = 0; m < nm; m++) {
    guint i = g_array_index(order, guint, m);
    const CxCompareOptions *co = cx_compare_options(cx_compare_by_get(b, i));
    g_string_append_printf(o, "<option value=\"%u\">", i);
    cx_escape_html(o, co->names[1]);
    g_string_append(o, " vs ");
    cx_escape_html(o, co->names[0]);
    g_string_append(o, "</option>");
  }
  g_string_append(o, "</select>");
  if (order->len > nm)
    g_string_append_printf(o, " <span class=\"muted\">(the %u largest of %u segments)</span>", nm,
                           order->len);
  g_string_append(o, "</p>");
  cmp_map_legend(o);
  for (guint m = 0; m < nm; m++) {
    guint i = g_array_index(order, guint, m);
    if (!cmp_map_div(r, o, cx_compare_by_get(b, i), (gint)i, m == 0, error))
      return FALSE;
  }
  return TRUE;
}

static gboolean
sec_compare(CxReport *r, GString *o, GError **error)
{
  if (r->compare == NULL && r->cmp_by == NULL)
    return TRUE;
  section_open(o, "compare", "Comparison");
  if (r->cmp_by != NULL) {
    if (!sec_segments(r, o, error))
      return FALSE;
    g_string_append(o, "</section>\n");
    return TRUE;
  }
  const CxCompareOptions *co = cx_compare_options(r->compare);
  g_string_append(o, "<p><b>");
  cx_escape_html(o, co->names[0]);
  g_string_append(o, "</b> compared with <b>");
  cx_escape_html(o, co->names[1]);
  g_string_append(o, "</b>. ");
  if (co->success_rule != NULL)
    cx_escape_html(o, co->success_rule);
  g_string_append(o, "</p>");
  cmp_block(o, r->compare, 25, FALSE);
  if (!cmp_map(r, o, r->compare, error))
    return FALSE;
  g_string_append(o, "</section>\n");
  return TRUE;
}

static gboolean write_html(CxReport *r, GString *out, GError **error);

gboolean
cx_report_write_html(CxReport *r, GString *out, GError **error)
{
  /* SVG coordinates and CSS numbers are written with printf: in the C
   * locale's numbers whatever the caller's locale (never "1,5") */
  locale_t c = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
  locale_t old = c != (locale_t)0 ? uselocale(c) : (locale_t)0;
  gboolean ok = write_html(r, out, error);
  if (c != (locale_t)0) {
    uselocale(old);
    freelocale(c);
  }
  return ok;
}

static gboolean
write_html(CxReport *r, GString *out, GError **error)
{
  if (!cx_dot_available(error))
    return FALSE;
  GTimeZone *ltz = cx_log_display_tz(r->log);
  g_autoptr(GTimeZone) tz = ltz != NULL ? g_time_zone_ref(ltz) : g_time_zone_new_utc();
  CxStatsSummary sm;
  cx_stats_summarize(r->stats, &sm);

  /* the data block: the commands' own JSON */
  g_autoptr(GString) data = g_string_new(NULL);
  g_autofree char *svg = NULL;
  guint shown = 0, hidden = 0;
  {
    g_autoptr(CxJson) j = cx_json_new(data, FALSE);
    cx_json_begin_object(j);
    cx_calendar_json(cx_log_options(r->log)->calendar, j);
    cx_json_key(j, "stats");
    cx_stats_to_json(r->stats, j);
    cx_json_key(j, "variants");
    cx_variants_to_json(r->variants, j, 50);
    cx_json_key(j, "dfg");
    cx_dfg_to_json(r->dfg, NULL, j);
    cx_json_key(j, "friction");
    cx_friction_to_json(r->friction, j, 0, FALSE);
    cx_json_key(j, "compare"); /* exactly `cxmine compare --json` */
    if (r->compare != NULL)
      cx_compare_to_json(r->compare, j);
    else if (r->cmp_by != NULL)
      cx_compare_by_to_json(r->cmp_by, j);
    else
      cx_json_null(j);
    if (!map_json(r, j, &svg, &shown, &hidden, error))
      return FALSE;
    cx_json_end_object(j);
  }
  g_autoptr(GString) body = g_string_new(NULL);
  sec_overview(r, body, tz, &sm);
  sec_map(r, body, svg, shown, hidden);
  sec_friction(r, body);
  sec_variants(r, body);
  sec_channels(r, body, &sm);
  sec_trends(r, body, tz);
  if (!sec_compare(r, body, error))
    return FALSE;

  g_autofree char *hash = NULL;
  {
    g_autoptr(GChecksum) ck = g_checksum_new(G_CHECKSUM_SHA256);
    g_checksum_update(ck, (const guchar *)page_js, strlen(page_js));
    guint8 dig[32];
    gsize dl = sizeof dig;
    g_checksum_get_digest(ck, dig, &dl);
    hash = g_base64_encode(dig, dl);
  }
  g_autofree char *name = cx_log_display_name(r->log);
  const char *title = r->title != NULL ? r->title : name;
  g_string_append(out, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
                       "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\n");
  g_string_append_printf(out,
                         "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
                         "'none'; style-src 'unsafe-inline'; img-src data:; script-src "
                         "'sha256-%s'\">\n<link rel=\"icon\" href=\"data:,\">\n<title>",
                         hash);
  cx_escape_html(out, title);
  g_string_append(out, " — journey report</title>\n<style>");
  g_string_append(out, page_css);
  g_string_append(out, "</style></head><body>\n<header><h1>");
  cx_escape_html(out, title);
  g_string_append(out, "</h1><p>Customer journey report · ");
  h_count(out, sm.cases);
  g_string_append_printf(out, " journeys · times in %s · cxmine %s</p>",
                         cx_log_display_tz_name(r->log), CX_VERSION);
  g_autofree char *hours = cx_calendar_line(cx_log_options(r->log)->calendar);
  if (hours != NULL) {
    g_string_append(out, "<p>");
    cx_escape_html(out, hours);
    g_string_append(out, "</p>");
  }
  g_string_append(out, "</header>\n");
  g_string_append(out, "<nav><a href=\"#overview\">Overview</a><a href=\"#map\">Map</a><a "
                       "href=\"#friction\">Friction</a><a href=\"#variants\">Variants</a><a "
                       "href=\"#channels\">Channels</a><a href=\"#trends\">Trends</a>");
  if (r->compare != NULL || r->cmp_by != NULL)
    g_string_append(out, "<a href=\"#compare\">Comparison</a>");
  g_string_append(out, "</nav>\n<main>\n");
  g_string_append_len(out, body->str, (gssize)body->len);
  g_string_append(out, "</main>\n<script type=\"application/json\" id=\"cx-data\">");
  cx_escape_script_json(out, data->str);
  g_string_append(out, "</script>\n<script>");
  g_string_append(out, page_js);
  g_string_append(out, "</script>\n</body></html>\n");
  return TRUE;
}
