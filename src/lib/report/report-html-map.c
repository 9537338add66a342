/* cxmine — the journey report's map: its levels (activities by case
 * coverage, paths by strength), laid out by parallel dot runs, the friction
 * findings marked on it, and the "map" object of the page's data. */
#include "report-html-private.h"
#include <math.h>
#include <string.h>

#define N_MARKED       3   /* findings marked on the map */
#define MAX_ACTIVITIES 100 /* activities on the fullest map level */
#define MAX_ARCS       150 /* arcs on any map level (fewer paths when more) */

/* the levels: activities by case coverage, paths by strength */
static const guint act_steps[] = { 5, 10, 15, 25, 40, 60 };
static const double path_steps[] = { 15, 40, 100 };
#define N_PATH_STEPS G_N_ELEMENTS(path_steps)

typedef struct {
  CxReport *r;
  guint8 *marked;     /* by activity id: 1 + the rank of the first marked finding naming it */
  GHashTable *mark_e; /* gint64 from << 32 | to of the marked edges */
  guint64 *left;      /* by activity id: finished journeys leaving there without success */
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

static gint64
edge_key(guint32 from, guint32 to)
{
  return (gint64)((guint64)from << 32 | to);
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
    gint64 key = edge_key(from, to);
    if (g_hash_table_contains(m->mark_e, &key)) {
      d->style.color = "#c0392b";
      d->style.penwidth = MAX(d->style.penwidth, 3);
    }
  }
  d->style.id = m->buf;
  return TRUE;
}

/* Kinds whose names are activities (channel_switch names channels). */
gboolean
cx_html_names_are_activities(const CxFinding *fd)
{
  return fd->kind != CX_FINDING_CHANNEL_SWITCH && fd->kind != CX_FINDING_EFFORT;
}

static gboolean
finding_is_cycle(const CxFinding *fd)
{
  return fd->kind == CX_FINDING_PINGPONG || fd->kind == CX_FINDING_LOOP;
}

/* The activity ids a finding names (those in the log), in order; @a holds
 * CX_FINDING_MAX_NAMES. */
static guint
finding_acts(CxReport *r, const CxFinding *fd, guint32 *a)
{
  guint n = 0;
  for (guint i = 0; i < fd->n_names && n < CX_FINDING_MAX_NAMES; i++) {
    if (fd->ids[i] != CX_ID_NONE)
      a[n++] = fd->ids[i];
  }
  return n;
}

static int
view_same(const CxDfgView *a, const CxDfgView *b)
{
  return memcmp(a->activity_kept, b->activity_kept, a->n_activities) == 0
         && memcmp(a->start_kept, b->start_kept, a->n_activities) == 0
         && memcmp(a->end_kept, b->end_kept, a->n_activities) == 0
         && memcmp(a->edge_kept, b->edge_kept, a->n_edges) == 0;
}

static void
mark_edge(MapCtx *m, guint32 from, guint32 to)
{
  gint64 *key = g_new(gint64, 1);
  *key = edge_key(from, to);
  g_hash_table_add(m->mark_e, key);
}

/* The top findings' activities and edges, and where journeys left. */
static void
map_ctx_init(MapCtx *m, CxReport *r)
{
  guint n_ids = cx_pool_size(cx_log_activities(r->log));
  m->r = r;
  m->marked = g_new0(guint8, n_ids + 1);
  m->left = g_new0(guint64, n_ids + 1);
  m->mark_e = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
  guint nf;
  const CxFinding *fs = cx_friction_findings(r->friction, &nf);
  for (guint k = 0; k < nf && k < N_MARKED; k++) {
    const CxFinding *fd = &fs[k];
    if (!cx_html_names_are_activities(fd))
      continue;
    guint32 a[CX_FINDING_MAX_NAMES];
    guint n = finding_acts(r, fd, a);
    for (guint i = 0; i < n; i++) {
      if (!m->marked[a[i]])
        m->marked[a[i]] = (guint8)(k + 1);
      if (i > 0 && fd->kind != CX_FINDING_DROPOFF)
        mark_edge(m, a[i - 1], a[i]);
    }
    if (n > 0 && finding_is_cycle(fd) && a[n - 1] != a[0])
      mark_edge(m, a[n - 1], a[0]);
    if (n > 0 && fd->kind == CX_FINDING_REWORK)
      mark_edge(m, a[0], a[0]);
  }
  guint nfun;
  const CxFunnelStep *fun = cx_friction_funnel(r->friction, &nfun);
  for (guint i = 0; i < nfun; i++) {
    if (fun[i].activity_id != CX_ID_NONE)
      m->left[fun[i].activity_id] = fun[i].left;
  }
}

static void
map_ctx_clear(MapCtx *m)
{
  g_free(m->marked);
  g_free(m->left);
  g_hash_table_destroy(m->mark_e);
}

/* The activity counts of the levels (of @nn activities); *@def: the index
 * of the default one. */
static GArray *
act_levels(guint nn, guint *def)
{
  GArray *al = g_array_new(FALSE, FALSE, sizeof(guint));
  for (guint i = 0; i < G_N_ELEMENTS(act_steps); i++)
    if (act_steps[i] < nn)
      g_array_append_val(al, act_steps[i]);
  guint top = MIN(nn, MAX_ACTIVITIES);
  if (top > 0)
    g_array_append_val(al, top);
  *def = 0;
  for (guint i = 0; i < al->len; i++)
    if (g_array_index(al, guint, i) <= CX_DFG_DEFAULT_ACTIVITIES)
      *def = i;
  return al;
}

/* The view of @na activities and @pp% of the paths, with at most MAX_ARCS
 * arcs: more is a tangle, and dot takes minutes. */
static CxDfgView *
level_view(MapCtx *m, guint na, double pp)
{
  CxReport *r = m->r;
  guint64 n_cases = cx_friction_n_cases(r->friction);
  for (;;) {
    CxDfgView *v = cx_dfg_view_new_top(r->dfg, na, pp);
    /* drop-off ends of the activities shown are drawn when 1% of the journeys end there */
    for (guint32 a = 0; a < v->n_activities; a++)
      if (v->activity_kept[a] && m->left[a] > 0 && m->left[a] * 100 >= n_cases)
        v->end_kept[a] = 1;
    guint ka, ke;
    cx_dfg_view_counts(v, &ka, &ke);
    if (ke <= MAX_ARCS || pp <= 1)
      return v;
    pp = MAX(1, floor(pp * MAX_ARCS / ke * 0.9));
    cx_dfg_view_free(v);
  }
}

/* The map's levels: their views, which earlier level each draws the same
 * (-1: none) and the SVG of each level that is drawn. */
typedef struct {
  guint n;
  CxDfgView **views;
  int *same;
  char **svgs;
} Levels;

static void
levels_clear(Levels *lv)
{
  for (guint li = 0; li < lv->n; li++) {
    cx_dfg_view_free(lv->views[li]);
    g_free(lv->svgs[li]);
  }
  g_free(lv->views);
  g_free(lv->svgs);
  g_free(lv->same);
}

/* Makes every level's view and renders those unlike an earlier one, all at once. */
static gboolean
levels_render(MapCtx *m, const GArray *al, Levels *lv, GError **error)
{
  lv->n = al->len * N_PATH_STEPS;
  lv->views = g_new0(CxDfgView *, MAX(lv->n, 1));
  lv->svgs = g_new0(char *, MAX(lv->n, 1) + 1);
  lv->same = g_new(int, MAX(lv->n, 1));
  CxHtmlRender *jobs = g_new0(CxHtmlRender, MAX(lv->n, 1));
  for (guint li = 0; li < lv->n; li++) {
    guint na = g_array_index(al, guint, li / N_PATH_STEPS);
    CxDfgView *v = level_view(m, na, path_steps[li % N_PATH_STEPS]);
    lv->views[li] = v;
    lv->same[li] = -1;
    for (guint k = 0; k < li; k++)
      if (lv->same[k] < 0 && view_same(lv->views[k], v)) {
        lv->same[li] = (int)k;
        break;
      }
    if (lv->same[li] >= 0)
      continue;
    CxDotOptions o = { 0 };
    o.metric = CX_METRIC_FREQUENCY;
    o.rankdir = "TB";
    o.node_func = map_node;
    o.edge_func = map_edge;
    o.user_data = m;
    jobs[li].dot = g_string_new(NULL);
    jobs[li].timeout_s = m->r->opts.render_timeout_s;
    cx_dot_write_dfg(m->r->dfg, v, &o, jobs[li].dot);
  }
  gboolean ok = cx_html_render_all(jobs, lv->n, error);
  for (guint li = 0; li < lv->n; li++) {
    lv->svgs[li] = g_steal_pointer(&jobs[li].svg);
    if (jobs[li].dot != NULL)
      g_string_free(jobs[li].dot, TRUE);
    g_clear_error(&jobs[li].error);
  }
  g_free(jobs);
  return ok;
}

static void
levels_json(CxJson *j, const GArray *al, const Levels *lv, guint nn, guint def_a)
{
  cx_json_key(j, "activities_total");
  cx_json_int(j, nn);
  cx_json_key(j, "acts_levels");
  cx_json_begin_array(j);
  for (guint i = 0; i < al->len; i++)
    cx_json_int(j, g_array_index(al, guint, i));
  cx_json_end_array(j);
  cx_json_key(j, "paths_levels");
  cx_json_begin_array(j);
  for (guint i = 0; i < N_PATH_STEPS; i++)
    cx_json_double(j, path_steps[i]);
  cx_json_end_array(j);
  cx_json_key(j, "default_acts");
  cx_json_int(j, def_a);
  cx_json_key(j, "default_paths");
  cx_json_int(j, 0);
  cx_json_key(j, "levels");
  cx_json_begin_array(j);
  for (guint li = 0; li < lv->n; li++) {
    guint ka, ke;
    cx_dfg_view_counts(lv->views[li], &ka, &ke);
    cx_json_begin_object(j);
    cx_json_key(j, "activities");
    cx_json_int(j, ka);
    cx_json_key(j, "paths");
    cx_json_int(j, ke);
    cx_json_key(j, "paths_share");
    cx_json_double(j, lv->views[li]->paths_pct / 100);
    cx_json_key(j, "svg_of");
    cx_json_int(j, lv->same[li] >= 0 ? lv->same[li] : (int)li);
    if (lv->same[li] < 0) {
      cx_json_key(j, "svg");
      cx_json_string(j, lv->svgs[li]);
    }
    cx_json_end_object(j);
  }
  cx_json_end_array(j);
}

/* The channel most of @activity's instances are on (ties: the first
 * name), or CX_ID_NONE. */
static guint32
main_channel(CxReport *r, guint32 activity)
{
  CxPool *channels = cx_log_channels(r->log);
  guint32 best = CX_ID_NONE;
  gsize best_n = 0;
  GHashTableIter it;
  gpointer k, val;
  g_hash_table_iter_init(&it, r->act_chan);
  while (g_hash_table_iter_next(&it, &k, &val)) {
    gint64 key = *(gint64 *)k;
    guint32 a = (guint32)(key >> 32), c = (guint32)(key & 0xffffffffu);
    gsize n = GPOINTER_TO_SIZE(val);
    if (a == activity
        && (n > best_n
            || (n == best_n && best != CX_ID_NONE
                && strcmp(cx_pool_get(channels, c), cx_pool_get(channels, best)) < 0))) {
      best = c;
      best_n = n;
    }
  }
  return best;
}

/* Per element: what the views show. */
static void
elements_json(CxReport *r, CxJson *j)
{
  guint nn, ne;
  const CxDfgNode *nodes = cx_dfg_nodes(r->dfg, &nn);
  const CxDfgEdge *edges = cx_dfg_edges(r->dfg, &ne);
  cx_json_key(j, "nodes");
  cx_json_begin_object(j);
  for (guint i = 0; i < nn; i++) {
    char id[32];
    g_snprintf(id, sizeof id, "a%u", nodes[i].activity);
    cx_json_key(j, id);
    cx_json_begin_object(j);
    cx_json_key(j, "name");
    cx_json_string(j, cx_pool_get(cx_log_activities(r->log), nodes[i].activity));
    cx_json_key(j, "count");
    cx_json_int(j, (gint64)nodes[i].count);
    cx_json_key(j, "cases");
    cx_json_int(j, (gint64)nodes[i].cases);
    guint32 best = main_channel(r, nodes[i].activity);
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
}

gboolean
cx_html_map_json(CxReport *r, CxJson *j, char **default_svg, guint *shown, guint *hidden,
                 GError **error)
{
  guint nn;
  cx_dfg_nodes(r->dfg, &nn);
  MapCtx m = { 0 };
  map_ctx_init(&m, r);
  guint def_a;
  GArray *al = act_levels(nn, &def_a);
  Levels lv = { 0 };
  gboolean ok = levels_render(&m, al, &lv, error);
  if (ok) {
    guint def = def_a * N_PATH_STEPS;
    guint d = lv.same[def] >= 0 ? (guint)lv.same[def] : def;
    *default_svg = g_strdup(lv.svgs[d]);
    cx_dfg_view_counts(lv.views[def], shown, NULL);
    *hidden = nn - *shown;
    cx_json_key(j, "map");
    cx_json_begin_object(j);
    levels_json(j, al, &lv, nn, def_a);
    elements_json(r, j);
    cx_json_end_object(j);
  }
  levels_clear(&lv);
  g_array_free(al, TRUE);
  map_ctx_clear(&m);
  return ok;
}

/* The map ids of a finding: its activities and the edges between them. */
void
cx_html_finding_map_ids(CxReport *r, const CxFinding *fd, GString *ids)
{
  if (!cx_html_names_are_activities(fd))
    return;
  guint32 a[CX_FINDING_MAX_NAMES];
  guint n = finding_acts(r, fd, a);
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
