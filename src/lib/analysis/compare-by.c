/* cxmine — the segments of one log compared (compare --by): journeys
 * routed by an attribute's value (segment.h), one side per value, grouped
 * into segments, each compared with the rest or with a baseline
 * (compare-run.h). */
#include "cxmine/compare-run.h"
#include "cxmine/journey-store.h"
#include "cxmine/segment.h"
#include "cxmine/output.h"
#include "compare-private.h"
#include <math.h>
#include <string.h>

#define DEFAULT_MAX_SEGMENTS 50

struct _CxCompareBy {
  CxLog *log;
  CxSegmentKey *key;
  CxFrictionOptions fo;
  CxOutcome *outcome;    /* the whole log's: one model for every segment */
  CxJourneyStore *store; /* every journey, tagged with its value, for the segments' and their
                            rests' own friction analyses once the segments are known */
  GHashTable *groups;    /* value id + 1 -> CxCompareSide* */
  GArray *group_order;   /* value ids, first seen first */
  /* after finish */
  CxSegments *segments;
  GPtrArray *segs;  /* Segment*, as the segments */
  GPtrArray *cmps;  /* CxCompare* per segment, NULL for the baseline */
  GPtrArray *names; /* the comparisons' side names */
  GArray *rows;     /* Row */
  gint base;
  GString *rule;
  char *hours; /* the options' business_hours */
};

typedef struct {
  CxCompareSide *side;  /* owned */
  CxFriction *friction; /* owned: the segment's own analysis, as `cxmine friction` on it */
} Segment;

static void
segment_free(gpointer p)
{
  Segment *s = p;
  cx_compare_side_free(s->side);
  cx_friction_free(s->friction);
  g_free(s);
}

#define SEG(i) ((Segment *)g_ptr_array_index(b->segs, (i)))

/* Groups the per-value sides into segments (segment.h): a value alone in
 * its segment hands its side over; values binned together are merged. */
static gboolean
make_segments(CxCompareBy *b, const CxCompareByOptions *o, GError **error)
{
  guint n = b->group_order->len;
  g_autofree guint64 *cases = g_new0(guint64, MAX(n, 1));
  for (guint g = 0; g < n; g++) {
    guint32 v = g_array_index(b->group_order, guint32, g);
    cases[g] = cx_compare_side_n_cases(g_hash_table_lookup(b->groups, GUINT_TO_POINTER(v + 1)));
  }
  g_autoptr(GError) e = NULL;
  b->segments = cx_segments_new(b->log, cx_segment_key_name(b->key),
                                (const guint32 *)b->group_order->data, cases, n, o->bins, &e);
  if (b->segments == NULL) {
    g_set_error_literal(error, CX_COMPARE_RUN_ERROR, CX_COMPARE_RUN_ERROR_OPTION, e->message);
    return FALSE;
  }
  b->segs = g_ptr_array_new_with_free_func(segment_free);
  for (guint i = 0; i < cx_segments_n(b->segments); i++)
    g_ptr_array_add(b->segs, g_new0(Segment, 1));
  gboolean binned = cx_segments_binned(b->segments);
  for (guint g = 0; g < n; g++) {
    guint32 v = g_array_index(b->group_order, guint32, g);
    Segment *s = SEG(cx_segments_of_value(b->segments, v));
    if (binned && v != CX_ID_NONE) {
      if (s->side == NULL) {
        s->side = cx_compare_side_new(b->log);
        cx_compare_side_set_outcome(s->side, b->outcome);
      }
      cx_compare_side_merge(s->side, g_hash_table_lookup(b->groups, GUINT_TO_POINTER(v + 1)));
    } else {
      /* a segment of its own: take the side over */
      s->side = g_hash_table_lookup(b->groups, GUINT_TO_POINTER(v + 1));
      g_hash_table_steal(b->groups, GUINT_TO_POINTER(v + 1));
    }
  }
  return TRUE;
}

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

/* Gives @side (segment @seg, or with @rest every other segment) its own
 * friction analysis, by the whole log's outcome model. */
static CxFriction *
own_friction(CxCompareBy *b, CxCompareSide *side, guint seg, gboolean rest, GError **error)
{
  guint nv = cx_pool_size(cx_log_values(b->log));
  g_autofree guint8 *keep = g_new0(guint8, nv);
  for (guint v = 0; v < nv; v++) {
    gint of = cx_segments_of_value(b->segments, v);
    keep[v] = of >= 0 && (of == (gint)seg) != rest;
  }
  return cx_compare_side_own_friction(side, &b->fo, b->outcome, b->store, keep, nv, error);
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
  b->key = cx_segment_key_new(log, key);
  cx_compare_friction_options(fo, &b->fo);
  if (b->fo.satisfaction_key != NULL)
    cx_read_options_want_attr(cx_log_options(log), b->fo.satisfaction_key);
  b->outcome = cx_outcome_new(log, b->fo.success, b->fo.open_after_us);
  b->store = cx_journey_store_new(cx_log_options(log)->memory);
  b->groups = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL,
                                    (GDestroyNotify)cx_compare_side_free);
  b->group_order = g_array_new(FALSE, FALSE, sizeof(guint32));
  b->base = -1;
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
  cx_segments_free(b->segments);
  g_hash_table_destroy(b->groups);
  g_array_free(b->group_order, TRUE);
  cx_journey_store_free(b->store);
  cx_outcome_free(b->outcome);
  g_string_free(b->rule, TRUE);
  cx_segment_key_free(b->key);
  g_free(b->hours);
  g_free(b);
}

gboolean
cx_compare_by_add(const CxJourney *j, gpointer data, GError **error)
{
  CxCompareBy *b = data;
  if (!cx_outcome_add(j, b->outcome, error))
    return FALSE;
  guint32 value = cx_segment_key_value(b->key, j); /* CX_ID_NONE: "(none)" */
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
  cx_segment_key_reset(b->key);
}

/* The segments can be compared: some journey has the key, there are two
 * segments or more, and no more than @bo allows. */
static gboolean
check_segments(CxCompareBy *b, const CxCompareByOptions *bo, GError **error)
{
  const char *by = cx_segment_key_name(b->key);
  guint n = b->segs->len;
  gboolean binned = cx_segments_binned(b->segments);
  guint named = 0;
  for (guint i = 0; i < n; i++)
    named += strcmp(cx_segments_label(b->segments, i), "(none)") != 0 || binned;
  if (named == 0) {
    g_autofree char *hint = cx_segment_key_hint(b->key);
    g_set_error(error, CX_COMPARE_RUN_ERROR, CX_COMPARE_RUN_ERROR_EMPTY,
                "--by %s: no journey has the attribute '%s' (a trace attribute, a case:%s "
                "column, or an event attribute)%s",
                by, by, by, hint);
    return FALSE;
  }
  if (n < 2) {
    g_set_error(error, CX_COMPARE_RUN_ERROR, CX_COMPARE_RUN_ERROR_EMPTY,
                "--by %s: every journey has the same value ('%s'): nothing to compare", by,
                cx_segments_label(b->segments, 0));
    return FALSE;
  }
  if (n > bo->max_segments) {
    g_autofree char *nseg = cx_format_count(n);
    g_set_error(error, CX_COMPARE_RUN_ERROR, CX_COMPARE_RUN_ERROR_OPTION,
                "--by %s: %s segments, more than --max-segments %u; bin a numeric attribute "
                "with --bins N or --bins E1,E2,..., pick a key with fewer values, or raise "
                "--max-segments",
                by, nseg, bo->max_segments);
    return FALSE;
  }
  return TRUE;
}

/* The baseline: given, or with two segments the larger one (so the report
 * is not printed twice, mirrored); else -1, each vs the rest. */
static gboolean
pick_baseline(CxCompareBy *b, const CxCompareByOptions *bo, GError **error)
{
  b->base = -1;
  if (bo->baseline) {
    for (guint i = 0; i < b->segs->len; i++)
      if (strcmp(cx_segments_label(b->segments, i), bo->baseline) == 0)
        b->base = (gint)i;
    if (b->base < 0) {
      g_set_error(error, CX_COMPARE_RUN_ERROR, CX_COMPARE_RUN_ERROR_BASELINE,
                  "--baseline: no segment of %s is '%s'", cx_segment_key_name(b->key),
                  bo->baseline);
      return FALSE;
    }
  } else if (b->segs->len == 2) {
    b->base
        = cx_compare_side_n_cases(SEG(0)->side) >= cx_compare_side_n_cases(SEG(1)->side) ? 0 : 1;
  }
  return TRUE;
}

/* "KEY=VALUE", or "KEY BIN" for a bin (new string). */
static char *
segment_name(const CxCompareBy *b, guint i)
{
  return g_strdup_printf(cx_segments_binned(b->segments) ? "%s %s" : "%s=%s",
                         cx_segment_key_name(b->key), cx_segments_label(b->segments, i));
}

/* Compares every segment but the baseline with the baseline or the rest. */
static gboolean
compare_segments(CxCompareBy *b, CxCompareOptions *co, GError **error)
{
  guint n = b->segs->len;
  g_autoptr(CxCompareSide) total = NULL;
  for (guint i = 0; i < n; i++) {
    Segment *s = SEG(i);
    if ((gint)i == b->base) {
      g_ptr_array_add(b->cmps, NULL);
      continue;
    }
    g_autoptr(CxCompareSide) rest = NULL;
    g_autoptr(CxFriction) rest_fr = NULL;
    CxCompareSide *other;
    char *other_name; /* kept in @names: the comparison points at it */
    if (b->base >= 0) {
      other = SEG(b->base)->side;
      other_name = segment_name(b, (guint)b->base);
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
      rest_fr = own_friction(b, rest, i, TRUE, error);
      if (rest_fr == NULL)
        return FALSE;
      other = rest;
      other_name = g_strdup("the rest");
    }
    char *seg_name = segment_name(b, i);
    g_ptr_array_add(b->names, seg_name);
    g_ptr_array_add(b->names, other_name);
    co->names[0] = other_name;
    co->names[1] = seg_name;
    g_ptr_array_add(b->cmps, cx_compare_new(other, s->side, co));
  }
  return TRUE;
}

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
  if (!cx_outcome_check(b->outcome, error))
    return FALSE;
  if (!make_segments(b, bo, error) || !check_segments(b, bo, error) || !pick_baseline(b, bo, error))
    return FALSE;
  guint n = b->segs->len;
  for (guint i = 0; i < n; i++) {
    Segment *s = SEG(i);
    if ((s->friction = own_friction(b, s->side, i, FALSE, error)) == NULL)
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
  if (!compare_segments(b, &co, error))
    return FALSE;
  /* the overview: one row per segment, from its comparison (side 1); the
   * baseline's from any comparison's side 0 */
  for (guint i = 0; i < n; i++) {
    const char *label = cx_segments_label(b->segments, i);
    if ((gint)i == b->base) {
      for (guint k = 0; k < n; k++)
        if (b->cmps->pdata[k]) {
          Row r = row_of(b->cmps->pdata[k], 0, label);
          g_array_append_val(b->rows, r);
          break;
        }
    } else {
      Row r = row_of(b->cmps->pdata[i], 1, label);
      g_array_append_val(b->rows, r);
    }
  }
  return TRUE;
}

const char *
cx_compare_by_key(const CxCompareBy *b)
{
  return cx_segment_key_name(b->key);
}

guint
cx_compare_by_n_segments(const CxCompareBy *b)
{
  return b->segs != NULL ? b->segs->len : 0;
}

const char *
cx_compare_by_label(const CxCompareBy *b, guint i)
{
  return cx_segments_label(b->segments, i);
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
  overview_text(out, cx_segment_key_name(b->key), b->rows, cx_segments_how(b->segments));
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
  cx_json_string(json, cx_segment_key_name(b->key));
  cx_json_key(json, "baseline");
  if (b->base >= 0)
    cx_json_string(json, cx_segments_label(b->segments, (guint)b->base));
  else
    cx_json_null(json);
  cx_json_key(json, "binned");
  cx_json_bool(json, cx_segments_binned(b->segments));
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
    cx_json_string(json, cx_segments_label(b->segments, i));
    cx_compare_to_json_members(c, json);
    cx_json_end_object(json);
  }
  cx_json_end_array(json);
  cx_json_end_object(json);
}
