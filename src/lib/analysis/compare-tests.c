/* Comparing two sides: the tests over the items (compare-items.c), one
 * Benjamini-Hochberg correction, and what each change means (better,
 * worse, changed; compare.h). */
#include "compare-private.h"
#include "cxmine/compare.h"
#include <math.h>
#include <string.h>

void
cx_compare_options_init(CxCompareOptions *opts)
{
  *opts = (CxCompareOptions){ .alpha = 0.05,
                              .min_effect_rel = 0.10,
                              .min_effect_points = 0.02,
                              .min_cases = 5,
                              .min_variant_share = 0.01 };
  opts->names[0] = "before";
  opts->names[1] = "after";
}

const char *
cx_change_name(CxChange c)
{
  switch (c) {
    case CX_CHANGE_BETTER:
      return "better";
    case CX_CHANGE_WORSE:
      return "worse";
    case CX_CHANGE_CHANGED:
      return "changed";
    case CX_CHANGE_SAME:
    default:
      return "same";
  }
}

void
cx_compare_free(CxCompare *c)
{
  if (c == NULL)
    return;
  g_array_free(c->items, TRUE);
  g_free(c);
}

/* Journeys behind an item, for importance. */
static double
item_volume(const CxCompareItem *it)
{
  return ((double)it->cases[0] + (double)it->cases[1]) / 2;
}

/* Case-insensitive globs from "a*,*b*". */
static GPtrArray *
globs_new(const char *const *list, const char *fallback)
{
  GPtrArray *g = g_ptr_array_new_with_free_func((GDestroyNotify)g_pattern_spec_free);
  g_auto(GStrv) def = list == NULL ? g_strsplit(fallback, ",", -1) : NULL;
  const char *const *l = list != NULL ? list : (const char *const *)def;
  for (guint i = 0; l[i] != NULL; i++) {
    g_autofree char *low = g_utf8_strdown(l[i], -1);
    if (*low != '\0')
      g_ptr_array_add(g, g_pattern_spec_new(low));
  }
  return g;
}

static gboolean
globs_match(GPtrArray *g, const char *name)
{
  g_autofree char *low = g_utf8_strdown(name, -1);
  for (guint i = 0; i < g->len; i++)
    if (g_pattern_spec_match_string(g_ptr_array_index(g, i), low))
      return TRUE;
  return FALSE;
}

/* The successful-end activities by name: the list given, else those of the
 * sides' outcomes. */
static GHashTable *
success_names(const CxCompareSide *const s[2], const CxCompareOptions *o)
{
  GHashTable *set = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  if (o->success != NULL) {
    for (guint i = 0; o->success[i] != NULL; i++)
      g_hash_table_add(set, g_strdup(o->success[i]));
    return set;
  }
  for (int k = 0; k < 2; k++) {
    if (s[k]->outcome == NULL || (k == 1 && s[1]->outcome == s[0]->outcome))
      continue;
    CxPool *acts = cx_log_activities(s[k]->log);
    guint n = cx_pool_size(acts);
    for (guint32 a = 0; a < n; a++)
      if (cx_outcome_is_success_end(s[k]->outcome, a))
        g_hash_table_add(set, g_strdup(cx_pool_get(acts, a)));
  }
  return set;
}

/* Which direction is good for each activity, edge and variant (the
 * headline and friction items were given theirs when made). */
static void
assign_polarity(GArray *items, const CxCompareSide *const s[2], const CxCompareOptions *o)
{
  g_autoptr(GHashTable) success = success_names(s, o);
  g_autoptr(GPtrArray) negative = globs_new(o->negative, CX_FRICTION_DEFAULT_NEGATIVE);
  g_autoptr(GPtrArray) reentry = globs_new(o->reentry, CX_COMPARE_DEFAULT_REENTRY);
  /* arrivals at each activity from a successful end, of both sides */
  g_autoptr(GHashTable) after_success = g_hash_table_new(g_str_hash, g_str_equal);
  for (guint i = 0; i < items->len; i++) {
    CxCompareItem *it = &g_array_index(items, CxCompareItem, i);
    if (it->kind == CX_COMPARE_EDGE && g_hash_table_contains(success, it->from)) {
      guint64 n = GPOINTER_TO_SIZE(g_hash_table_lookup(after_success, it->to));
      n += it->count[0] + it->count[1];
      g_hash_table_insert(after_success, it->to, GSIZE_TO_POINTER(n));
    }
  }
  for (guint i = 0; i < items->len; i++) {
    CxCompareItem *it = &g_array_index(items, CxCompareItem, i);
    switch (it->kind) {
      case CX_COMPARE_ACTIVITY: {
        it->rate_is_share = TRUE;
        if (g_hash_table_contains(success, it->name))
          it->rate_polarity = 1;
        else if (globs_match(negative, it->name))
          it->rate_polarity = -1;
        guint64 arrivals = it->count[0] + it->count[1] - it->starts[0] - it->starts[1];
        guint64 from_success = GPOINTER_TO_SIZE(g_hash_table_lookup(after_success, it->name));
        gboolean late = arrivals > 0 && 2 * from_success > arrivals;
        it->sample_polarity = globs_match(reentry, it->name) || late ? 0 : -1;
        break;
      }
      case CX_COMPARE_EDGE:
        it->rate_is_share = TRUE;
        it->sample_polarity
            = globs_match(reentry, it->to) || g_hash_table_contains(success, it->from) ? 0 : -1;
        break;
      case CX_COMPARE_VARIANT:
        it->rate_is_share = TRUE;
        break;
      default:
        break;
    }
  }
}

static CxChange
by_meaning(int polarity, double delta)
{
  if (delta == 0)
    return CX_CHANGE_SAME;
  if (polarity == 0)
    return CX_CHANGE_CHANGED;
  return (delta > 0) == (polarity > 0) ? CX_CHANGE_BETTER : CX_CHANGE_WORSE;
}

/* TRUE when the medians moved by at least the minimum effect. */
static gboolean
median_effect(const CxCompareItem *it, double rel, gboolean time)
{
  double m0 = it->median[0], m1 = it->median[1];
  if (isnan(m0) || isnan(m1) || m0 == m1)
    return FALSE;
  /* waits and durations: a shift under a minute matters to no customer
   * (and overlapping steps give tiny negative "waits") */
  if (time && fabs(m1 - m0) < 60)
    return FALSE;
  if (m0 == 0)
    return TRUE;
  return fabs(m1 - m0) >= rel * fabs(m0) * (1 - 1e-9);
}

static void set_direction(CxCompareItem *it);

static void
decide(CxCompareItem *it, const CxCompareOptions *o, guint64 n0, guint64 n1, double typical_s)
{
  gboolean headline = it->kind == CX_COMPARE_HEADLINE;
  gboolean is_success = headline && it->headline == CX_COMPARE_SUCCESS;
  gboolean is_count = headline && it->headline == CX_COMPARE_INSTANCES;
  gboolean is_sat = headline && it->headline == CX_COMPARE_SATISFACTION;
  double rate_imp = 0, sample_imp = 0;
  CxChange rate_dir = CX_CHANGE_SAME, sample_dir = CX_CHANGE_SAME;
  it->tested_significant = (it->rate_tested && it->rate_q < o->alpha)
                           || (it->sample_tested && it->sample_q < o->alpha);
  if (it->rate_tested && it->rate_q < o->alpha) {
    double r0 = it->case_rate[0], r1 = it->case_rate[1];
    double d = r1 - r0;
    gboolean big = it->rate_is_share ? fabs(d) >= o->min_effect_points * (1 - 1e-9)
                                     : (r0 > 0 ? fabs(d) >= o->min_effect_rel * r0 : r1 > 0);
    if (big) {
      double n = is_success ? item_volume(it) : ((double)n0 + (double)n1) / 2;
      rate_imp = fabs(d) * n;
      rate_dir = by_meaning(it->rate_polarity, d);
    }
  }
  if (is_sat) {
    /* scores on a short scale move in their mean before their median */
    double m0 = it->mean[0], d = it->mean[1] - it->mean[0];
    if (it->sample_tested && it->sample_q < o->alpha && isfinite(d) && d != 0
        && fabs(d) >= o->min_effect_rel * fabs(m0) * (1 - 1e-9)) {
      sample_imp = (m0 != 0 ? fabs(d / m0) : 1) * item_volume(it);
      sample_dir = by_meaning(it->sample_polarity, d);
    }
  } else if (it->sample_tested && it->sample_q < o->alpha
             && median_effect(it, o->min_effect_rel, !is_count)) {
    double shift = fabs(it->median[1] - it->median[0]);
    if (is_count) {
      /* instances per case: counts, not time; by the ratio of medians */
      double ratio = it->median[0] > 0 ? it->median[1] / it->median[0] : NAN;
      shift = isfinite(ratio) && ratio > 0 ? fabs(log(ratio)) * typical_s : 0;
    }
    /* time moved, in typical journeys */
    sample_imp = isfinite(shift) ? shift / typical_s * item_volume(it) : 0;
    sample_dir = by_meaning(it->sample_polarity, it->median[1] - it->median[0]);
  }
  it->rate_change = rate_dir;
  it->sample_change = sample_dir;
  it->rate_importance = rate_dir != CX_CHANGE_SAME ? rate_imp : 0;
  it->sample_importance = sample_dir != CX_CHANGE_SAME ? sample_imp : 0;
  set_direction(it);
}

/* The item's overall direction from its two tests. */
static void
set_direction(CxCompareItem *it)
{
  CxChange rate_dir = it->rate_change, sample_dir = it->sample_change;
  double rate_imp = it->rate_importance, sample_imp = it->sample_importance;
  it->significant = rate_dir != CX_CHANGE_SAME || sample_dir != CX_CHANGE_SAME;
  it->importance = MAX(it->rate_importance, it->sample_importance);
  gboolean rate_judged = rate_dir == CX_CHANGE_BETTER || rate_dir == CX_CHANGE_WORSE;
  gboolean sample_judged = sample_dir == CX_CHANGE_BETTER || sample_dir == CX_CHANGE_WORSE;
  if (rate_judged && (!sample_judged || rate_imp >= sample_imp))
    it->direction = rate_dir;
  else if (sample_judged)
    it->direction = sample_dir;
  else if (rate_dir != CX_CHANGE_SAME || sample_dir != CX_CHANGE_SAME)
    it->direction = CX_CHANGE_CHANGED;
  else
    it->direction = CX_CHANGE_SAME;
}

static guint
uf_find(guint *parent, guint i)
{
  while (parent[i] != i)
    i = parent[i] = parent[parent[i]];
  return i;
}

/* Joins @x and @y; the root is the one that goes first by @before. */
static void
uf_join(guint *parent, guint x, guint y, const guint64 *rank)
{
  x = uf_find(parent, x);
  y = uf_find(parent, y);
  if (x == y)
    return;
  if (rank[x] <= rank[y])
    parent[y] = x;
  else
    parent[x] = y;
}

/* Tests that would repeat another's on the very same journeys: a path
 * taken by exactly the journeys that take its activity (rates), or the
 * only path into an activity (waits).  Each group keeps one test, of an
 * item with a good direction when there is one (else rates: the
 * activity's; waits: the path's); the others are left out of the
 * correction and take its figures, each judged by its own meaning, and
 * the group counts as one change.  Returns pairs (member, kept) of item
 * indices. */
static GArray *
find_shared_tests(GArray *items, gboolean rates)
{
  GArray *pairs = g_array_new(FALSE, FALSE, sizeof(guint));
  guint n = items->len;
  g_autofree guint *parent = g_new(guint, n);
  g_autofree guint64 *rank = g_new(guint64, n);
  for (guint i = 0; i < n; i++) {
    const CxCompareItem *it = &g_array_index(items, CxCompareItem, i);
    gboolean judged = (rates ? it->rate_polarity : it->sample_polarity) != 0;
    parent[i] = i;
    rank[i] = (guint64)!judged << 32 | (rates ? i : n - i);
  }
  g_autoptr(GHashTable) acts = g_hash_table_new(g_str_hash, g_str_equal);
  for (guint i = 0; i < n; i++) {
    CxCompareItem *it = &g_array_index(items, CxCompareItem, i);
    if (it->kind == CX_COMPARE_ACTIVITY)
      g_hash_table_insert(acts, it->name, GUINT_TO_POINTER(i + 1));
  }
  for (guint i = 0; i < n; i++) {
    CxCompareItem *e = &g_array_index(items, CxCompareItem, i);
    if (e->kind != CX_COMPARE_EDGE || !(rates ? e->rate_tested : e->sample_tested))
      continue;
    const char *ends[2] = { e->from, e->to };
    for (int k = rates ? 0 : 1; k < 2; k++) {
      guint ai = GPOINTER_TO_UINT(g_hash_table_lookup(acts, ends[k]));
      if (ai == 0)
        continue;
      CxCompareItem *a = &g_array_index(items, CxCompareItem, ai - 1);
      gboolean same
          = rates ? a->rate_tested && a->cases[0] == e->cases[0] && a->cases[1] == e->cases[1]
                  : a->sample_tested && a->n[0] == e->n[0] && a->n[1] == e->n[1];
      if (same)
        uf_join(parent, ai - 1, i, rank);
    }
  }
  for (guint i = 0; i < n; i++) {
    guint root = uf_find(parent, i);
    if (root == i)
      continue;
    CxCompareItem *it = &g_array_index(items, CxCompareItem, i);
    if (rates)
      it->rate_tested = FALSE;
    else
      it->sample_tested = FALSE;
    guint pair[2] = { i, root };
    g_array_append_vals(pairs, pair, 2);
  }
  return pairs;
}

/* TRUE when @e (a path at activity @a) carries most of @a's journeys (rates)
 * or waits (waits) on both sides. */
static gboolean
mostly(const CxCompareItem *e, const CxCompareItem *a, gboolean rates)
{
  for (int k = 0; k < 2; k++) {
    double part = rates ? (double)e->cases[k] : (double)e->n[k];
    double whole = rates ? (double)a->cases[k] : (double)a->n[k];
    if (!(part >= 0.8 * whole))
      return FALSE;
  }
  return TRUE;
}

/* A change of an activity and of a path that carries most of its journeys
 * is one change seen twice (a chance difference in one shows in both):
 * the one with a good direction (else the path) is listed and counted, the
 * other is marked shared.  Returns how many were marked. */
static guint
link_changes(GArray *items)
{
  guint marked = 0;
  g_autoptr(GHashTable) acts = g_hash_table_new(g_str_hash, g_str_equal);
  for (guint i = 0; i < items->len; i++) {
    CxCompareItem *it = &g_array_index(items, CxCompareItem, i);
    if (it->kind == CX_COMPARE_ACTIVITY)
      g_hash_table_insert(acts, it->name, it);
  }
  for (guint i = 0; i < items->len; i++) {
    CxCompareItem *e = &g_array_index(items, CxCompareItem, i);
    if (e->kind != CX_COMPARE_EDGE)
      continue;
    const char *ends[2] = { e->from, e->to };
    for (int k = 0; k < 2; k++) {
      CxCompareItem *a = g_hash_table_lookup(acts, ends[k]);
      if (a == NULL || a == e)
        continue;
      if (e->rate_change != CX_CHANGE_SAME && a->rate_change != CX_CHANGE_SAME && !e->rate_shared
          && !a->rate_shared && mostly(e, a, TRUE)) {
        CxCompareItem *other = a->rate_polarity != 0 && e->rate_polarity == 0 ? e : a;
        other->rate_shared = TRUE;
        marked++;
      }
      if (k == 1 && e->sample_change != CX_CHANGE_SAME && a->sample_change != CX_CHANGE_SAME
          && !e->sample_shared && !a->sample_shared && mostly(e, a, FALSE)) {
        CxCompareItem *other = a->sample_polarity != 0 && e->sample_polarity == 0 ? e : a;
        other->sample_shared = TRUE;
        marked++;
      }
    }
  }
  return marked;
}

static int
cmp_items(gconstpointer pa, gconstpointer pb)
{
  const CxCompareItem *a = pa, *b = pb;
  /* the headline, then friction kinds, keep the order they were made in */
  int ra = a->kind == CX_COMPARE_HEADLINE ? 0 : a->kind == CX_COMPARE_FRICTION ? 1 : 2;
  int rb = b->kind == CX_COMPARE_HEADLINE ? 0 : b->kind == CX_COMPARE_FRICTION ? 1 : 2;
  if (ra != rb)
    return ra - rb;
  if (ra < 2)
    return a->order < b->order ? -1 : a->order > b->order;
  if (a->significant != b->significant)
    return a->significant ? -1 : 1;
  if (a->importance != b->importance)
    return a->importance > b->importance ? -1 : 1;
  double va = item_volume(a), vb = item_volume(b);
  if (va != vb)
    return va > vb ? -1 : 1;
  if (a->kind != b->kind)
    return a->kind < b->kind ? -1 : 1;
  return strcmp(a->name, b->name);
}

CxCompare *
cx_compare_new(const CxCompareSide *a, const CxCompareSide *b, const CxCompareOptions *opts)
{
  CxCompare *c = g_new0(CxCompare, 1);
  if (opts)
    c->opts = *opts;
  else
    cx_compare_options_init(&c->opts);
  if (c->opts.names[0] == NULL)
    c->opts.names[0] = "before";
  if (c->opts.names[1] == NULL)
    c->opts.names[1] = "after";
  const CxCompareSide *const s[2] = { a, b };
  /* the tests rank every wait sample of both sides: seconds on big logs */
  const CxReadOptions *ro = cx_log_options(a->log);
  CxProgressStep step;
  cx_progress_step_begin(&step, ro->progress, ro->progress_data, "testing the differences", 0);
  c->items = cx_compare_items_make(s, &c->opts);
  assign_polarity(c->items, s, &c->opts);
  g_autoptr(GArray) shared_rates = find_shared_tests(c->items, TRUE);
  g_autoptr(GArray) shared_waits = find_shared_tests(c->items, FALSE);

  /* one Benjamini-Hochberg correction over every test */
  g_autoptr(GArray) p = g_array_new(FALSE, FALSE, sizeof(double));
  for (guint i = 0; i < c->items->len; i++) {
    CxCompareItem *it = &g_array_index(c->items, CxCompareItem, i);
    if (it->rate_tested)
      g_array_append_val(p, it->rate_test.p);
    if (it->sample_tested)
      g_array_append_val(p, it->sample_test.p);
  }
  c->n_tests = p->len;
  cx_stattest_bh((double *)p->data, p->len, (double *)p->data);
  /* the typical journey duration, the unit of time moved */
  double typical_s = cx_compare_typical_duration(s);
  guint k = 0;
  for (guint i = 0; i < c->items->len; i++) {
    CxCompareItem *it = &g_array_index(c->items, CxCompareItem, i);
    it->order = i;
    if (it->rate_tested)
      it->rate_q = g_array_index(p, double, k++);
    if (it->sample_tested)
      it->sample_q = g_array_index(p, double, k++);
  }
  for (guint i = 0; i + 1 < shared_rates->len; i += 2) {
    CxCompareItem *it
        = &g_array_index(c->items, CxCompareItem, g_array_index(shared_rates, guint, i));
    const CxCompareItem *kept
        = &g_array_index(c->items, CxCompareItem, g_array_index(shared_rates, guint, i + 1));
    it->rate_tested = it->rate_shared = TRUE;
    it->rate_test = kept->rate_test;
    it->rate_q = kept->rate_q;
  }
  for (guint i = 0; i + 1 < shared_waits->len; i += 2) {
    CxCompareItem *it
        = &g_array_index(c->items, CxCompareItem, g_array_index(shared_waits, guint, i));
    const CxCompareItem *kept
        = &g_array_index(c->items, CxCompareItem, g_array_index(shared_waits, guint, i + 1));
    it->sample_tested = it->sample_shared = TRUE;
    it->sample_test = kept->sample_test;
    it->sample_q = kept->sample_q;
  }
  for (guint i = 0; i < c->items->len; i++) {
    CxCompareItem *it = &g_array_index(c->items, CxCompareItem, i);
    decide(it, &c->opts, a->cases, b->cases, typical_s);
    if (it->rate_tested && !it->rate_shared) {
      c->n_significant += it->rate_q < c->opts.alpha;
      c->n_changes += it->rate_change != CX_CHANGE_SAME;
    }
    if (it->sample_tested && !it->sample_shared) {
      c->n_significant += it->sample_q < c->opts.alpha;
      c->n_changes += it->sample_change != CX_CHANGE_SAME;
    }
  }
  c->n_changes -= link_changes(c->items);
  /* a variant's share moves with its paths: counted only when nothing else moved */
  guint others = 0;
  for (guint i = 0; i < c->items->len; i++) {
    const CxCompareItem *it = &g_array_index(c->items, CxCompareItem, i);
    if (it->kind != CX_COMPARE_VARIANT)
      others += (it->rate_change != CX_CHANGE_SAME && !it->rate_shared)
                + (it->sample_change != CX_CHANGE_SAME && !it->sample_shared);
  }
  for (guint i = 0; i < c->items->len && others > 0; i++) {
    CxCompareItem *it = &g_array_index(c->items, CxCompareItem, i);
    if (it->kind == CX_COMPARE_VARIANT && it->rate_change != CX_CHANGE_SAME) {
      it->rate_shared = TRUE;
      c->n_changes--;
    }
  }
  g_array_sort(c->items, cmp_items);
  cx_progress_step_end(&step);
  return c;
}

const CxCompareOptions *
cx_compare_options(const CxCompare *c)
{
  return &c->opts;
}

const CxCompareItem *
cx_compare_items(const CxCompare *c, guint *n)
{
  *n = c->items->len;
  return (const CxCompareItem *)c->items->data;
}

const CxCompareItem *
cx_compare_find(const CxCompare *c, const char *from, const char *to)
{
  for (guint i = 0; i < c->items->len; i++) {
    const CxCompareItem *it = &g_array_index(c->items, CxCompareItem, i);
    if (to == NULL && it->kind == CX_COMPARE_ACTIVITY && strcmp(it->from, from) == 0)
      return it;
    if (to && it->kind == CX_COMPARE_EDGE && strcmp(it->from, from) == 0 && strcmp(it->to, to) == 0)
      return it;
  }
  return NULL;
}

const CxCompareItem *
cx_compare_headline(const CxCompare *c, CxCompareHeadline h)
{
  for (guint i = 0; i < c->items->len; i++) {
    const CxCompareItem *it = &g_array_index(c->items, CxCompareItem, i);
    if (it->kind == CX_COMPARE_HEADLINE && it->headline == h)
      return it;
  }
  return NULL;
}

const CxCompareItem *
cx_compare_friction(const CxCompare *c, CxFindingKind kind)
{
  for (guint i = 0; i < c->items->len; i++) {
    const CxCompareItem *it = &g_array_index(c->items, CxCompareItem, i);
    if (it->kind == CX_COMPARE_FRICTION && it->finding == kind)
      return it;
  }
  return NULL;
}

guint
cx_compare_n_tests(const CxCompare *c)
{
  return c->n_tests;
}

guint
cx_compare_n_significant(const CxCompare *c)
{
  return c->n_significant;
}

guint
cx_compare_n_changes(const CxCompare *c)
{
  return c->n_changes;
}
