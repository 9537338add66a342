/* cxmine — a comparison as `cxmine compare` makes it: two logs under one
 * outcome model, and the segments of one log (compare-run.h). */
#include "cxmine/compare-run.h"
#include "cxmine/journey-store.h"
#include "cxmine/suggest.h"
#include "cxmine/output.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* the quark's name is one token, which clang-format would split */
/* clang-format off */
G_DEFINE_QUARK(cx-compare-run-error-quark, cx_compare_run_error)
/* clang-format on */

#define DEFAULT_MAX_SEGMENTS 50
#define DEFAULT_BINS         4

static void
friction_options(const CxFrictionOptions *fo, CxFrictionOptions *out)
{
  if (fo != NULL)
    *out = *fo;
  else
    cx_friction_options_init(out);
}

/* ---------- two logs ---------- */

struct _CxCompareLog {
  CxLog *log;
  CxFrictionOptions fo;
  CxOutcome *outcome;   /* this log's own inference: its share of the model */
  CxFriction *friction; /* this log's own analysis, as `cxmine friction` on it (by the model) */
  CxCompareSide *side;
  gboolean finished;
  char *names[2], *rule; /* cx_compare_logs: what the comparison points at */
};

CxCompareLog *
cx_compare_log_new(CxLog *log, const CxFrictionOptions *fo)
{
  CxCompareLog *l = g_new0(CxCompareLog, 1);
  l->log = log;
  friction_options(fo, &l->fo);
  if (l->fo.satisfaction_key != NULL)
    cx_read_options_want_attr(cx_log_options(log), l->fo.satisfaction_key);
  l->outcome = cx_outcome_new(log, l->fo.success, l->fo.open_after_us);
  l->friction = cx_friction_new(log, &l->fo);
  l->side = cx_compare_side_new(log);
  cx_compare_side_set_friction(l->side, l->friction);
  cx_compare_side_set_outcome(l->side, l->outcome);
  if (l->fo.satisfaction_key != NULL)
    cx_compare_side_set_satisfaction(l->side, l->fo.satisfaction_key);
  return l;
}

void
cx_compare_log_free(CxCompareLog *l)
{
  if (l == NULL)
    return;
  cx_compare_side_free(l->side);
  cx_friction_free(l->friction);
  cx_outcome_free(l->outcome);
  g_free(l->names[0]);
  g_free(l->names[1]);
  g_free(l->rule);
  g_free(l);
}

gboolean
cx_compare_log_add(const CxJourney *j, gpointer data, GError **error)
{
  CxCompareLog *l = data;
  /* the analysis before the side: the side notes the journey's place in it */
  return cx_outcome_add(j, l->outcome, error) && cx_friction_add(j, l->friction, error)
         && cx_compare_side_add(j, l->side, error);
}

void
cx_compare_log_reset(gpointer data)
{
  CxCompareLog *l = data;
  cx_outcome_reset(l->outcome);
  cx_friction_reset(l->friction);
  cx_compare_side_reset(l->side);
}

guint64
cx_compare_log_n_cases(const CxCompareLog *l)
{
  return cx_compare_side_n_cases(l->side);
}

CxCompare *
cx_compare_logs(CxCompareLog *a, CxCompareLog *b, const CxCompareOptions *opts, GError **error)
{
  CxCompareLog *l[2] = { a, b };
  for (int k = 0; k < 2; k++)
    if (!l[k]->finished)
      cx_outcome_finish(l[k]->outcome);
  /* one model from both logs: the union of what each infers, one open-after */
  const CxOutcome *models[2] = { a->outcome, b->outcome };
  for (int k = 0; k < 2; k++)
    if (!l[k]->finished) {
      cx_friction_set_outcome_model(l[k]->friction, models, 2);
      cx_friction_finish(l[k]->friction);
      l[k]->finished = TRUE;
    }
  for (int k = 0; k < 2; k++)
    if (cx_compare_side_n_cases(l[k]->side) == 0) {
      g_autofree char *name = cx_log_display_name(l[k]->log);
      g_set_error(error, CX_COMPARE_RUN_ERROR, CX_COMPARE_RUN_ERROR_EMPTY,
                  "the %s log (%s) has no journeys%s", k == 0 ? "first" : "second", name,
                  cx_log_counts(l[k]->log)->cases_filtered > 0 ? " left after the filters" : "");
      return NULL;
    }
  CxCompareOptions co = *opts;
  for (int k = 0; k < 2; k++) {
    g_free(a->names[k]);
    a->names[k] = g_strdup(co.names[k] != NULL ? co.names[k] : NULL);
    if (a->names[k] == NULL)
      a->names[k] = cx_log_display_name(l[k]->log);
    co.names[k] = a->names[k];
  }
  g_free(a->rule);
  a->rule = g_strdup_printf("%s %s", cx_friction_success_explain(a->friction),
                            cx_friction_open_explain(a->friction));
  if (co.success_rule == NULL)
    co.success_rule = a->rule;
  return cx_compare_new(a->side, b->side, &co);
}

/* ---------- one log split at a time ---------- */

struct _CxCompareSplit {
  CxLog *log;
  gint64 split;
  CxFrictionOptions fo;
  CxOutcome *outcome;
  CxFriction *friction[2]; /* each side's own, as `cxmine friction` on its journeys */
  CxCompareSide *side[2];
  guint64 unplaced;
  char *rule;
};

CxCompareSplit *
cx_compare_split_new(CxLog *log, gint64 split_at, const CxFrictionOptions *fo)
{
  CxCompareSplit *s = g_new0(CxCompareSplit, 1);
  s->log = log;
  s->split = split_at;
  friction_options(fo, &s->fo);
  if (s->fo.satisfaction_key != NULL)
    cx_read_options_want_attr(cx_log_options(log), s->fo.satisfaction_key);
  s->outcome = cx_outcome_new(log, s->fo.success, s->fo.open_after_us);
  for (int k = 0; k < 2; k++) {
    s->friction[k] = cx_friction_new(log, &s->fo);
    s->side[k] = cx_compare_side_new(log);
    cx_compare_side_set_friction(s->side[k], s->friction[k]);
    cx_compare_side_set_outcome(s->side[k], s->outcome);
    if (s->fo.satisfaction_key != NULL)
      cx_compare_side_set_satisfaction(s->side[k], s->fo.satisfaction_key);
  }
  return s;
}

void
cx_compare_split_free(CxCompareSplit *s)
{
  if (s == NULL)
    return;
  for (int k = 0; k < 2; k++) {
    cx_compare_side_free(s->side[k]);
    cx_friction_free(s->friction[k]);
  }
  cx_outcome_free(s->outcome);
  g_free(s->rule);
  g_free(s);
}

gboolean
cx_compare_split_add(const CxJourney *j, gpointer data, GError **error)
{
  CxCompareSplit *s = data;
  if (!cx_outcome_add(j, s->outcome, error))
    return FALSE;
  gint64 t = cx_journey_first_time(j);
  if (t == CX_TS_NONE) {
    s->unplaced++;
    return TRUE; /* cannot be placed */
  }
  int k = t < s->split ? 0 : 1;
  return cx_friction_add(j, s->friction[k], error) && cx_compare_side_add(j, s->side[k], error);
}

void
cx_compare_split_reset(gpointer data)
{
  CxCompareSplit *s = data;
  cx_outcome_reset(s->outcome);
  for (int k = 0; k < 2; k++) {
    cx_friction_reset(s->friction[k]);
    cx_compare_side_reset(s->side[k]);
  }
  s->unplaced = 0;
}

guint64
cx_compare_split_unplaced(const CxCompareSplit *s)
{
  return s->unplaced;
}

CxCompare *
cx_compare_split(CxCompareSplit *s, const CxCompareOptions *opts, GError **error)
{
  cx_outcome_finish(s->outcome);
  const CxOutcome *model = s->outcome;
  for (int k = 0; k < 2; k++) {
    cx_friction_set_outcome_model(s->friction[k], &model, 1);
    cx_friction_finish(s->friction[k]);
  }
  for (int k = 0; k < 2; k++)
    if (cx_compare_side_n_cases(s->side[k]) == 0) {
      g_set_error(error, CX_COMPARE_RUN_ERROR, CX_COMPARE_RUN_ERROR_EMPTY,
                  "no journey starts %s it; nothing to compare", k == 0 ? "before" : "on or after");
      return NULL;
    }
  g_free(s->rule);
  s->rule = g_strdup_printf("%s %s", cx_friction_success_explain(s->friction[0]),
                            cx_friction_open_explain(s->friction[0]));
  CxCompareOptions co = *opts;
  if (co.success_rule == NULL)
    co.success_rule = s->rule;
  return cx_compare_new(s->side[0], s->side[1], &co);
}

/* ---------- segments ---------- */

struct _CxCompareBy {
  CxLog *log;
  char *key;
  CxFrictionOptions fo;
  CxOutcome *outcome;    /* the whole log's: one model for every segment */
  CxJourneyStore *store; /* every journey, tagged with its value, for the segments' and their
                            rests' own friction analyses once the segments are known */
  guint32 key_id;
  GHashTable *groups;  /* value id + 1 -> CxCompareSide* */
  GArray *group_order; /* value ids, first seen first */
  /* after finish */
  GPtrArray *segs;  /* Segment* */
  GPtrArray *cmps;  /* CxCompare* per segment, NULL for the baseline */
  GPtrArray *names; /* the comparisons' side names */
  GArray *rows;     /* Row */
  gint base;
  gboolean binned;
  GString *how, *rule;
  char *hours; /* the options' business_hours */
};

typedef struct {
  char *label;          /* the value, or the bin: "< 1000", "1000 to < 5000", ">= 5000", "(none)" */
  CxCompareSide *side;  /* owned */
  CxFriction *friction; /* owned: the segment's own analysis, as `cxmine friction` on it */
  double lo;            /* numeric bins: lower edge (for order) */
} Segment;

static void
segment_free(gpointer p)
{
  Segment *s = p;
  g_free(s->label);
  cx_compare_side_free(s->side);
  cx_friction_free(s->friction);
  g_free(s);
}

static gboolean
parse_number(const char *s, double *out)
{
  char *end = NULL;
  if (s == NULL || *s == '\0')
    return FALSE;
  *out = g_ascii_strtod(s, &end);
  return end != s && *end == '\0' && isfinite(*out);
}

static char *
fmt_edge(double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  return g_strdup(g_ascii_formatd(buf, sizeof buf, "%.6g", v));
}

typedef struct {
  double v;
  guint64 n;
} Weighted;

static int
cmp_weighted(gconstpointer a, gconstpointer b)
{
  double x = ((const Weighted *)a)->v, y = ((const Weighted *)b)->v;
  return x < y ? -1 : x > y;
}

/* The edges of @bins quantile bins of the values @w (sorted), weighted by cases. */
static GArray *
quantile_edges(GArray *w, guint bins)
{
  guint64 total = 0;
  for (guint i = 0; i < w->len; i++)
    total += g_array_index(w, Weighted, i).n;
  GArray *edges = g_array_new(FALSE, FALSE, sizeof(double));
  guint64 cum = 0;
  guint next = 1;
  for (guint i = 0; i < w->len && next < bins; i++) {
    const Weighted *x = &g_array_index(w, Weighted, i);
    cum += x->n;
    /* an edge at the first value past each quantile */
    while (next < bins && cum * bins >= total * next) {
      if (i + 1 < w->len) {
        double e = g_array_index(w, Weighted, i + 1).v;
        if (edges->len == 0 || g_array_index(edges, double, edges->len - 1) < e)
          g_array_append_val(edges, e);
      }
      next++;
    }
  }
  return edges;
}

/* Groups the per-value sides of @rt into segments: numeric values into bins
 * (@bins_opt: NULL = quartiles when there are more distinct values than
 * bins), others one per value; @of_value (one per value id) gets each
 * value's segment.  Returns NULL with @error set. */
static GPtrArray *
make_segments(CxCompareBy *rt, const CxCompareByOptions *o, gboolean *binned, GString *how,
              Segment **of_value, GError **error)
{
  CxPool *values = cx_log_values(rt->log);
  GPtrArray *segs = g_ptr_array_new_with_free_func(segment_free);
  gboolean numeric = TRUE;
  guint distinct = 0;
  g_autoptr(GArray) w = g_array_new(FALSE, FALSE, sizeof(Weighted));
  for (guint g = 0; g < rt->group_order->len; g++) {
    guint32 v = g_array_index(rt->group_order, guint32, g);
    if (v == CX_ID_NONE)
      continue;
    distinct++;
    double x;
    if (!parse_number(cx_pool_get(values, v), &x))
      numeric = FALSE;
    CxCompareSide *s = g_hash_table_lookup(rt->groups, GUINT_TO_POINTER(v + 1));
    Weighted wt = { x, cx_compare_side_n_cases(s) };
    g_array_append_val(w, wt);
  }
  numeric = numeric && distinct > 0;
  guint nbins = DEFAULT_BINS;
  g_autoptr(GArray) edges = NULL;
  if (o->bins != NULL) {
    if (!numeric) {
      g_set_error(error, CX_COMPARE_RUN_ERROR, CX_COMPARE_RUN_ERROR_OPTION,
                  "--bins: the values of '%s' are not all numbers", rt->key);
      g_ptr_array_free(segs, TRUE);
      return NULL;
    }
    if (strchr(o->bins, ',') == NULL && parse_number(o->bins, &(double){ 0 })) {
      nbins = (guint)atoi(o->bins);
    } else {
      edges = g_array_new(FALSE, FALSE, sizeof(double));
      g_auto(GStrv) parts = g_strsplit(o->bins, ",", -1);
      for (guint i = 0; parts[i]; i++) {
        double e;
        if (!parse_number(g_strstrip(parts[i]), &e)
            || (edges->len > 0 && e <= g_array_index(edges, double, edges->len - 1))) {
          g_set_error(error, CX_COMPARE_RUN_ERROR, CX_COMPARE_RUN_ERROR_OPTION,
                      "--bins: expected a count or increasing numbers, got '%s'", o->bins);
          g_ptr_array_free(segs, TRUE);
          return NULL;
        }
        g_array_append_val(edges, e);
      }
    }
  }
  *binned = numeric && (edges != NULL || distinct > nbins);
  if (*binned) {
    g_array_sort(w, cmp_weighted);
    if (edges == NULL) {
      edges = quantile_edges(w, MAX(nbins, 2));
      g_string_append_printf(how, "%u bins of about equal journeys", edges->len + 1);
    } else {
      g_string_append(how, "the bins given");
    }
    guint nb = edges->len + 1;
    for (guint b = 0; b < nb; b++) {
      Segment *s = g_new0(Segment, 1);
      g_autofree char *lo = b > 0 ? fmt_edge(g_array_index(edges, double, b - 1)) : NULL;
      g_autofree char *hi = b + 1 < nb ? fmt_edge(g_array_index(edges, double, b)) : NULL;
      if (lo == NULL)
        s->label = g_strdup_printf("< %s", hi);
      else if (hi == NULL)
        s->label = g_strdup_printf(">= %s", lo);
      else
        s->label = g_strdup_printf("%s to < %s", lo, hi);
      s->lo = b > 0 ? g_array_index(edges, double, b - 1) : -INFINITY;
      s->side = cx_compare_side_new(rt->log);
      cx_compare_side_set_outcome(s->side, rt->outcome);
      g_ptr_array_add(segs, s);
    }
  }
  Segment *none = NULL;
  for (guint g = 0; g < rt->group_order->len; g++) {
    guint32 v = g_array_index(rt->group_order, guint32, g);
    CxCompareSide *src = g_hash_table_lookup(rt->groups, GUINT_TO_POINTER(v + 1));
    if (*binned && v != CX_ID_NONE) {
      double x = 0;
      parse_number(cx_pool_get(values, v), &x);
      guint b = 0;
      while (b < edges->len && x >= g_array_index(edges, double, b))
        b++;
      of_value[v] = g_ptr_array_index(segs, b);
      cx_compare_side_merge(of_value[v]->side, src);
      continue;
    }
    /* a segment of its own: take the side over */
    g_hash_table_steal(rt->groups, GUINT_TO_POINTER(v + 1));
    Segment *s = g_new0(Segment, 1);
    s->label = g_strdup(v == CX_ID_NONE ? "(none)" : cx_pool_get(values, v));
    s->side = src;
    of_value[v] = s;
    if (v == CX_ID_NONE)
      none = s;
    else
      g_ptr_array_add(segs, s);
  }
  /* empty bins say nothing */
  for (guint i = segs->len; i-- > 0;)
    if (cx_compare_side_n_cases(((Segment *)g_ptr_array_index(segs, i))->side) == 0)
      g_ptr_array_remove_index(segs, i);
  if (none)
    g_ptr_array_add(segs, none);
  return segs;
}

/* FILE.dot -> FILE-SUFFIX.dot, for one map per segment; names stay apart
 * even when two values differ only in characters a file name cannot keep
 * ("a b", "a_b", "a/b"): a later one gets "-2", "-3", ... */
static const CxCompareItem *
top_friction(const CxCompare *c, int k)
{
  guint n;
  const CxCompareItem *items = cx_compare_items(c, &n), *best = NULL;
  for (guint i = 0; i < n; i++) {
    const CxCompareItem *it = &items[i];
    if (it->kind != CX_COMPARE_FRICTION || it->cases[k] == 0)
      continue;
    if (best == NULL || it->customers_lost[k] > best->customers_lost[k]
        || (it->customers_lost[k] == best->customers_lost[k]
            && it->extra_time_s[k] > best->extra_time_s[k]))
      best = it;
  }
  return best;
}

typedef struct {
  const char *label;
  guint64 cases;
  double median_s, success_share;
  gint64 lost; /* -1 = unknown */
  const char *top;
} Row;

static Row
row_of(const CxCompare *c, int k, const char *label)
{
  const CxCompareItem *cases = cx_compare_headline(c, CX_COMPARE_CASES);
  const CxCompareItem *dur = cx_compare_headline(c, CX_COMPARE_DURATION);
  const CxCompareItem *succ = cx_compare_headline(c, CX_COMPARE_SUCCESS);
  const CxCompareItem *top = top_friction(c, k);
  Row r = { label, cases->count[k], dur->median[k], NAN, -1, top ? top->name : NULL };
  if (succ) {
    r.success_share = succ->cases[k] ? succ->case_rate[k] : NAN;
    r.lost = (gint64)(succ->cases[k] - succ->count[k]);
  }
  return r;
}

static void
overview_text(GString *out, const char *by, GArray *rows, const char *how)
{
  if (how[0])
    g_string_append_printf(out, "Segments by %s: %s\n\n", by, how);
  else
    g_string_append_printf(out, "Segments by %s (%u):\n\n", by, rows->len);
  int w = (int)strlen("segment");
  for (guint i = 0; i < rows->len; i++)
    w = MAX(w, (int)g_utf8_strlen(g_array_index(rows, Row, i).label, -1));
  w = MIN(w, 40);
  g_string_append_printf(out, "  %-*s  %10s  %15s  %13s  %14s  %s\n", w, "segment", "journeys",
                         "median duration", "success share", "customers lost", "top friction");
  for (guint i = 0; i < rows->len; i++) {
    const Row *r = &g_array_index(rows, Row, i);
    g_autofree char *n = cx_format_count(r->cases);
    g_autofree char *d = isnan(r->median_s) ? g_strdup("-") : cx_format_duration(r->median_s);
    g_autofree char *s = NULL;
    if (isnan(r->success_share))
      s = g_strdup("-");
    else {
      g_autofree char *p = cx_format_number(100 * r->success_share, 1);
      s = g_strconcat(p, "%", NULL);
    }
    g_autofree char *l = r->lost >= 0 ? cx_format_count((guint64)r->lost) : g_strdup("-");
    int pad = w - (int)g_utf8_strlen(r->label, -1);
    g_string_append_printf(out, "  %s%*s  %10s  %15s  %13s  %14s  %s\n", r->label, MAX(pad, 0), "",
                           n, d, s, l, r->top ? r->top : "-");
  }
}

static void
overview_json(CxJson *j, GArray *rows)
{
  cx_json_begin_array(j);
  for (guint i = 0; i < rows->len; i++) {
    const Row *r = &g_array_index(rows, Row, i);
    cx_json_begin_object(j);
    cx_json_key(j, "segment");
    cx_json_string(j, r->label);
    cx_json_key(j, "cases");
    cx_json_int(j, (gint64)r->cases);
    cx_json_key(j, "case_duration_s");
    cx_json_begin_object(j);
    cx_json_key_double(j, "median", r->median_s);
    cx_json_end_object(j);
    cx_json_key_double(j, "success_share", r->success_share);
    cx_json_key(j, "customers_lost");
    if (r->lost >= 0)
      cx_json_int(j, r->lost);
    else
      cx_json_null(j);
    cx_json_key(j, "top_friction");
    if (r->top)
      cx_json_string(j, r->top);
    else
      cx_json_null(j);
    cx_json_end_object(j);
  }
  cx_json_end_array(j);
}

/* "; did you mean 'X'?" from the attribute keys the log has, or "". */
static char *
near_keys(CxLog *log, const char *key)
{
  g_autofree char *base = g_strdup(key);
  char *at = strstr(base, "@last");
  if (at != NULL && at[5] == '\0')
    *at = '\0';
  g_autoptr(CxSuggest) sg = cx_suggest_new(base);
  CxPool *keys = cx_log_keys(log);
  for (guint32 k = 1; k < cx_pool_size(keys); k++)
    if (strcmp(cx_pool_get(keys, k), base) != 0)
      cx_suggest_add(sg, cx_pool_get(keys, k));
  g_autofree char *best = cx_suggest_list(sg, 1);
  return best[0] ? g_strdup_printf("; did you mean %s?", best) : g_strdup("");
}

/* Gives @side (segment @seg, or with @rest every other segment) its own
 * friction analysis, by the whole log's outcome model. */
static CxFriction *
own_friction(CxCompareBy *rt, CxCompareSide *side, Segment *const *of_value, const Segment *seg,
             gboolean rest, GError **error)
{
  guint nv = cx_pool_size(cx_log_values(rt->log));
  g_autofree guint8 *keep = g_new0(guint8, nv);
  for (guint v = 0; v < nv; v++)
    keep[v] = of_value[v] != NULL && (of_value[v] == seg) != rest;
  return cx_compare_side_own_friction(side, &rt->fo, rt->outcome, rt->store, keep, nv, error);
}

void
cx_compare_by_options_init(CxCompareByOptions *opts)
{
  *opts = (CxCompareByOptions){ .max_segments = DEFAULT_MAX_SEGMENTS };
}

CxCompareBy *
cx_compare_by_new(CxLog *log, const char *key, const CxFrictionOptions *fo)
{
  CxCompareBy *b = g_new0(CxCompareBy, 1);
  b->log = log;
  /* a CSV "case:KEY" column is the case's attribute KEY */
  b->key = g_strdup(g_str_has_prefix(key, "case:") && key[5] != '\0' ? key + 5 : key);
  friction_options(fo, &b->fo);
  cx_read_options_want_attr(cx_log_options(log), b->key);
  if (b->fo.satisfaction_key != NULL)
    cx_read_options_want_attr(cx_log_options(log), b->fo.satisfaction_key);
  b->outcome = cx_outcome_new(log, b->fo.success, b->fo.open_after_us);
  b->store = cx_journey_store_new(cx_log_options(log)->memory);
  b->key_id = G_MAXUINT32;
  b->groups = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL,
                                    (GDestroyNotify)cx_compare_side_free);
  b->group_order = g_array_new(FALSE, FALSE, sizeof(guint32));
  b->base = -1;
  b->how = g_string_new(NULL);
  b->rule = g_string_new(NULL);
  return b;
}

void
cx_compare_by_free(CxCompareBy *b)
{
  if (b == NULL)
    return;
  if (b->cmps != NULL)
    g_ptr_array_unref(b->cmps);
  if (b->segs != NULL)
    g_ptr_array_unref(b->segs);
  if (b->names != NULL)
    g_ptr_array_unref(b->names);
  if (b->rows != NULL)
    g_array_unref(b->rows);
  g_hash_table_destroy(b->groups);
  g_array_free(b->group_order, TRUE);
  cx_journey_store_free(b->store);
  cx_outcome_free(b->outcome);
  g_string_free(b->how, TRUE);
  g_string_free(b->rule, TRUE);
  g_free(b->key);
  g_free(b->hours);
  g_free(b);
}

gboolean
cx_compare_by_add(const CxJourney *j, gpointer data, GError **error)
{
  CxCompareBy *b = data;
  if (!cx_outcome_add(j, b->outcome, error))
    return FALSE;
  if (b->key_id == G_MAXUINT32)
    b->key_id = cx_pool_lookup(cx_log_keys(b->log), b->key, -1);
  guint32 value = CX_ID_NONE; /* "(none)" */
  for (guint i = 0; i < j->n_attrs && b->key_id != G_MAXUINT32; i++)
    if (j->attrs[i].key == b->key_id) {
      value = j->attrs[i].value;
      break;
    }
  CxCompareSide *s = g_hash_table_lookup(b->groups, GUINT_TO_POINTER(value + 1));
  if (s == NULL) {
    s = cx_compare_side_new(b->log);
    cx_compare_side_set_outcome(s, b->outcome);
    if (b->fo.satisfaction_key != NULL)
      cx_compare_side_set_satisfaction(s, b->fo.satisfaction_key);
    g_hash_table_insert(b->groups, GUINT_TO_POINTER(value + 1), s);
    g_array_append_val(b->group_order, value);
  }
  return cx_journey_store_add(b->store, j, value, error) && cx_compare_side_add(j, s, error);
}

void
cx_compare_by_reset(gpointer data)
{
  CxCompareBy *b = data;
  cx_outcome_reset(b->outcome);
  cx_journey_store_reset(b->store);
  g_hash_table_remove_all(b->groups);
  g_array_set_size(b->group_order, 0);
  b->key_id = G_MAXUINT32;
}

#define SEG(i) ((Segment *)g_ptr_array_index(b->segs, (i)))

gboolean
cx_compare_by_finish(CxCompareBy *b, const CxCompareByOptions *bo, const CxCompareOptions *copts,
                     GError **error)
{
  CxCompareByOptions dflt;
  if (bo == NULL) {
    cx_compare_by_options_init(&dflt);
    bo = &dflt;
  }
  cx_outcome_finish(b->outcome);
  const char *by = b->key;
  g_autofree Segment **of_value = g_new0(Segment *, cx_pool_size(cx_log_values(b->log)) + 1);
  b->segs = make_segments(b, bo, &b->binned, b->how, of_value, error);
  if (b->segs == NULL)
    return FALSE;
  guint named = 0;
  for (guint i = 0; i < b->segs->len; i++)
    named += strcmp(SEG(i)->label, "(none)") != 0 || b->binned;
  if (named == 0) {
    g_autofree char *hint = near_keys(b->log, by);
    g_set_error(error, CX_COMPARE_RUN_ERROR, CX_COMPARE_RUN_ERROR_EMPTY,
                "--by %s: no journey has the attribute '%s' (a trace attribute, a case:%s "
                "column, or an event attribute)%s",
                by, by, by, hint);
    return FALSE;
  }
  if (b->segs->len < 2) {
    g_set_error(error, CX_COMPARE_RUN_ERROR, CX_COMPARE_RUN_ERROR_EMPTY,
                "--by %s: every journey has the same value ('%s'): nothing to compare", by,
                SEG(0)->label);
    return FALSE;
  }
  if (b->segs->len > bo->max_segments) {
    g_autofree char *nseg = cx_format_count(b->segs->len);
    g_set_error(error, CX_COMPARE_RUN_ERROR, CX_COMPARE_RUN_ERROR_OPTION,
                "--by %s: %s segments, more than --max-segments %u; bin a numeric attribute "
                "with --bins N or --bins E1,E2,..., pick a key with fewer values, or raise "
                "--max-segments",
                by, nseg, bo->max_segments);
    return FALSE;
  }
  /* the baseline: given, or with two segments the larger one (so the
   * report is not printed twice, mirrored); else each vs the rest */
  gint base = -1;
  if (bo->baseline) {
    for (guint i = 0; i < b->segs->len; i++)
      if (strcmp(SEG(i)->label, bo->baseline) == 0)
        base = (gint)i;
    if (base < 0) {
      g_set_error(error, CX_COMPARE_RUN_ERROR, CX_COMPARE_RUN_ERROR_BASELINE,
                  "--baseline: no segment of %s is '%s'", by, bo->baseline);
      return FALSE;
    }
  } else if (b->segs->len == 2) {
    base = cx_compare_side_n_cases(SEG(0)->side) >= cx_compare_side_n_cases(SEG(1)->side) ? 0 : 1;
  }
  b->base = base;
  guint n = b->segs->len;
  for (guint i = 0; i < n; i++) {
    Segment *s = SEG(i);
    if ((s->friction = own_friction(b, s->side, of_value, s, FALSE, error)) == NULL)
      return FALSE;
  }
  const CxFriction *f0 = SEG(0)->friction;
  g_string_append_printf(b->rule, "%s %s", cx_friction_success_explain(f0),
                         cx_friction_open_explain(f0));
  CxCompareOptions co = *copts;
  co.success_rule = b->rule->str;
  g_free(b->hours);
  b->hours = g_strdup(copts->business_hours);
  co.business_hours = b->hours;
  b->cmps = g_ptr_array_new_with_free_func((GDestroyNotify)cx_compare_free);
  b->names = g_ptr_array_new_with_free_func(g_free);
  b->rows = g_array_new(FALSE, FALSE, sizeof(Row));
  g_autoptr(CxCompareSide) total = NULL;
  for (guint i = 0; i < n; i++) {
    Segment *s = SEG(i);
    if ((gint)i == base) {
      g_ptr_array_add(b->cmps, NULL);
      continue;
    }
    g_autoptr(CxCompareSide) rest = NULL;
    g_autoptr(CxFriction) rest_fr = NULL;
    CxCompareSide *other;
    char *other_name; /* kept in @names: the comparison points at it */
    if (base >= 0) {
      other = SEG(base)->side;
      other_name = g_strdup_printf(b->binned ? "%s %s" : "%s=%s", by, SEG(base)->label);
    } else {
      /* the rest: one union of every segment, less this one (no merging
       * of the others again for each segment) */
      if (total == NULL) {
        total = cx_compare_side_new(b->log);
        for (guint h = 0; h < n; h++)
          cx_compare_side_merge(total, SEG(h)->side);
      }
      rest = cx_compare_side_new_difference(total, s->side);
      cx_compare_side_set_outcome(rest, b->outcome);
      /* the rest's own analysis, one at a time: freed once compared */
      rest_fr = own_friction(b, rest, of_value, s, TRUE, error);
      if (rest_fr == NULL)
        return FALSE;
      other = rest;
      other_name = g_strdup("the rest");
    }
    char *seg_name = g_strdup_printf(b->binned ? "%s %s" : "%s=%s", by, s->label);
    g_ptr_array_add(b->names, seg_name);
    g_ptr_array_add(b->names, other_name);
    co.names[0] = other_name;
    co.names[1] = seg_name;
    g_ptr_array_add(b->cmps, cx_compare_new(other, s->side, &co));
  }
  /* the overview: one row per segment, from its comparison (side 1); the
   * baseline's from any comparison's side 0 */
  for (guint i = 0; i < n; i++) {
    Segment *s = SEG(i);
    if ((gint)i == base) {
      for (guint k = 0; k < n; k++)
        if (b->cmps->pdata[k]) {
          Row r = row_of(b->cmps->pdata[k], 0, s->label);
          g_array_append_val(b->rows, r);
          break;
        }
    } else {
      Row r = row_of(b->cmps->pdata[i], 1, s->label);
      g_array_append_val(b->rows, r);
    }
  }
  return TRUE;
}

const char *
cx_compare_by_key(const CxCompareBy *b)
{
  return b->key;
}

guint
cx_compare_by_n_segments(const CxCompareBy *b)
{
  return b->segs != NULL ? b->segs->len : 0;
}

const char *
cx_compare_by_label(const CxCompareBy *b, guint i)
{
  return SEG(i)->label;
}

const CxCompare *
cx_compare_by_get(const CxCompareBy *b, guint i)
{
  return b->cmps != NULL && i < b->cmps->len ? b->cmps->pdata[i] : NULL;
}

gint
cx_compare_by_baseline(const CxCompareBy *b)
{
  return b->base;
}

const char *
cx_compare_by_rule(const CxCompareBy *b)
{
  return b->rule->str;
}

void
cx_compare_by_row(const CxCompareBy *b, guint i, guint64 *cases, double *median_s,
                  double *success_share, gint64 *lost, const char **top_friction)
{
  const Row *r = &g_array_index(b->rows, Row, i);
  *cases = r->cases;
  *median_s = r->median_s;
  *success_share = r->success_share;
  *lost = r->lost;
  *top_friction = r->top;
}

void
cx_compare_by_overview_text(const CxCompareBy *b, GString *out)
{
  overview_text(out, b->key, b->rows, b->how->str);
}

void
cx_compare_by_to_json(const CxCompareBy *b, CxJson *json)
{
  cx_json_begin_object(json);
  cx_json_key(json, "business_hours");
  if (b->hours != NULL)
    cx_json_string(json, b->hours);
  else
    cx_json_null(json);
  cx_json_key(json, "by");
  cx_json_string(json, b->key);
  cx_json_key(json, "baseline");
  if (b->base >= 0)
    cx_json_string(json, SEG(b->base)->label);
  else
    cx_json_null(json);
  cx_json_key(json, "binned");
  cx_json_bool(json, b->binned);
  cx_json_key(json, "segments_total");
  cx_json_int(json, b->segs->len);
  cx_json_key(json, "segments");
  overview_json(json, b->rows);
  cx_json_key(json, "comparisons");
  cx_json_begin_array(json);
  for (guint i = 0; i < b->segs->len; i++) {
    const CxCompare *c = b->cmps->pdata[i];
    if (c == NULL)
      continue;
    cx_json_begin_object(json);
    cx_json_key(json, "segment");
    cx_json_string(json, SEG(i)->label);
    cx_compare_to_json_members(c, json);
    cx_json_end_object(json);
  }
  cx_json_end_array(json);
  cx_json_end_object(json);
}
