/* Variants: a hash of activity-id sequences to counts and case durations. */
#include "partial-private.h"
#include "log-private.h"
#include "cxmine/variants.h"
#include "cxmine/summary.h"
#include "cxmine/case-ids.h"
#include <math.h>
#include <string.h>

/* The example of a variant and the order of equally frequent variants must
 * not depend on the order of rows in the file (a time-ordered and a
 * case-ordered export of one log give the same output): the example is the
 * case that starts first (ties: the smaller case id string), and equally
 * frequent variants are ordered by their examples. */
typedef struct {
  GBytes *key;
  guint64 count;
  guint32 example;
  gint64 example_first;   /* first time of the example; G_MAXINT64 when untimed */
  CxQuantiles *durations; /* seconds */
  guint32 id;             /* creation order: index in by_id */
  guint rank;             /* 1-based, set when sorted */
  GArray *members;        /* CxCaseRef, with keep_case_ids only */
  GArray *case_ids;       /* guint32, members in order, filled when sorted */
} Entry;

struct _CxVariants {
  CxLog *log;
  GHashTable *table; /* GBytes -> Entry* */
  GPtrArray *entries;
  guint64 cases;
  GArray *sorted; /* CxVariant */
  gboolean dirty;
  GPtrArray *by_id; /* Entry* by Entry.id (not owned) */
  gboolean keep_case_ids;
};

static void
entry_free(gpointer p)
{
  Entry *e = p;
  g_bytes_unref(e->key);
  cx_quantiles_free(e->durations);
  if (e->members != NULL)
    g_array_free(e->members, TRUE);
  if (e->case_ids != NULL)
    g_array_free(e->case_ids, TRUE);
  g_free(e);
}

CxVariants *
cx_variants_new(CxLog *log)
{
  CxVariants *v = g_new0(CxVariants, 1);
  v->log = log;
  v->table = g_hash_table_new(g_bytes_hash, g_bytes_equal);
  v->entries = g_ptr_array_new_with_free_func(entry_free);
  v->sorted = g_array_new(FALSE, FALSE, sizeof(CxVariant));
  v->by_id = g_ptr_array_new();
  return v;
}

void
cx_variants_free(CxVariants *v)
{
  if (v == NULL)
    return;
  g_hash_table_destroy(v->table);
  g_ptr_array_free(v->entries, TRUE);
  g_array_free(v->sorted, TRUE);
  g_ptr_array_free(v->by_id, TRUE);
  g_free(v);
}

void
cx_variants_reset(gpointer data)
{
  CxVariants *v = data;
  g_hash_table_remove_all(v->table);
  g_ptr_array_set_size(v->entries, 0);
  g_array_set_size(v->sorted, 0);
  g_ptr_array_set_size(v->by_id, 0);
  v->cases = 0;
}

void
cx_variants_keep_case_ids(CxVariants *v)
{
  g_return_if_fail(v->entries->len == 0);
  v->keep_case_ids = TRUE;
}

/* The order of two example cases: the earlier start, then the case id in
 * byte order; journeys of a log that names no case
 * (cx_log_set_case_names()) are numbers in file order, not ids. */
static int
cmp_example(const CxVariants *v, gint64 fa, guint32 a, gint64 fb, guint32 b)
{
  if (fa != fb)
    return fa < fb ? -1 : 1;
  if (!cx_log_names_cases(v->log))
    return a < b ? -1 : a > b;
  CxPool *cases = cx_log_cases(v->log);
  return strcmp(cx_pool_get(cases, a), cx_pool_get(cases, b));
}

/* The entry of @probe (activity ids), made with a copy of the key when new. */
static Entry *
entry_get(CxVariants *v, GBytes *probe, guint32 example, gint64 first)
{
  Entry *e = g_hash_table_lookup(v->table, probe);
  if (e == NULL) {
    e = g_new0(Entry, 1);
    e->key = g_bytes_new(g_bytes_get_data(probe, NULL), g_bytes_get_size(probe));
    e->example = example;
    e->example_first = first;
    e->durations = cx_quantiles_new();
    e->id = v->by_id->len;
    if (v->keep_case_ids)
      e->members = g_array_new(FALSE, FALSE, sizeof(CxCaseRef));
    g_ptr_array_add(v->by_id, e);
    g_ptr_array_add(v->entries, e);
    g_hash_table_insert(v->table, e->key, e);
    return e;
  }
  if (cmp_example(v, first, example, e->example_first, e->example) < 0) {
    e->example = example;
    e->example_first = first;
  }
  return e;
}

gboolean
cx_variants_add(const CxJourney *j, gpointer data, GError **error)
{
  cx_variants_add_journey(data, j);
  return TRUE;
}

guint32
cx_variants_add_journey(CxVariants *v, const CxJourney *j)
{
  gint64 first = cx_case_ref_first(j);
  guint32 stack[256];
  guint32 *ids = j->n_instances <= G_N_ELEMENTS(stack) ? stack : g_new(guint32, j->n_instances);
  for (guint i = 0; i < j->n_instances; i++)
    ids[i] = j->instances[i].activity;
  g_autoptr(GBytes) probe = g_bytes_new_static(ids, j->n_instances * sizeof(guint32));
  Entry *e = entry_get(v, probe, j->case_id, first);
  if (ids != stack)
    g_free(ids);
  e->count++;
  if (e->members != NULL) {
    CxCaseRef m = { first, j->case_id };
    g_array_append_val(e->members, m);
  }
  gint64 d = cx_journey_elapsed(j, cx_log_options(v->log)->calendar);
  if (d >= 0)
    cx_quantiles_add(e->durations, (double)d / 1e6);
  v->cases++;
  v->dirty = TRUE;
  return e->id;
}

void
cx_variants_merge(CxVariants *dst, const CxVariants *src)
{
  g_return_if_fail(dst->log == src->log);
  for (guint i = 0; i < src->entries->len; i++) {
    const Entry *s = g_ptr_array_index(src->entries, i);
    Entry *e = entry_get(dst, s->key, s->example, s->example_first);
    e->count += s->count;
    cx_quantiles_merge(e->durations, s->durations);
    if (e->members != NULL && s->members != NULL)
      g_array_append_vals(e->members, s->members->data, s->members->len);
  }
  dst->cases += src->cases;
  dst->dirty = TRUE;
}

gpointer
cx_variants_fork(gpointer v)
{
  CxVariants *f = cx_variants_new(((CxVariants *)v)->log);
  if (((CxVariants *)v)->keep_case_ids)
    cx_variants_keep_case_ids(f);
  return f;
}

void
cx_variants_absorb(gpointer v, gpointer part)
{
  cx_variants_merge(v, part);
  cx_variants_free(part);
}

guint64
cx_variants_n_cases(const CxVariants *v)
{
  return v->cases;
}

static int
cmp_entry(gconstpointer a, gconstpointer b, gpointer v)
{
  const Entry *x = *(Entry *const *)a, *y = *(Entry *const *)b;
  if (x->count != y->count)
    return x->count > y->count ? -1 : 1;
  return cmp_example(v, x->example_first, x->example, y->example_first, y->example);
}

const CxVariant *
cx_variants_sorted(CxVariants *v, guint *n)
{
  if (v->dirty || v->sorted->len != v->entries->len) {
    g_ptr_array_sort_with_data(v->entries, cmp_entry, v);
    g_array_set_size(v->sorted, v->entries->len);
    guint64 cum = 0;
    for (guint i = 0; i < v->entries->len; i++) {
      Entry *e = g_ptr_array_index(v->entries, i);
      CxVariant *out = &g_array_index(v->sorted, CxVariant, i);
      gsize len;
      out->activities = g_bytes_get_data(e->key, &len);
      out->length = (guint)(len / sizeof(guint32));
      out->count = e->count;
      out->share = v->cases > 0 ? (double)e->count / (double)v->cases : 0;
      cum += e->count;
      out->cumulative_share = v->cases > 0 ? (double)cum / (double)v->cases : 0;
      out->example_case = e->example;
      e->rank = i + 1;
      out->case_ids = NULL;
      out->n_case_ids = 0;
      if (e->members != NULL) {
        if (e->case_ids == NULL)
          e->case_ids = g_array_new(FALSE, FALSE, sizeof(guint32));
        cx_case_refs_to_ids(e->members, cx_log_cases(v->log), e->case_ids);
        out->case_ids = (const guint32 *)e->case_ids->data;
        out->n_case_ids = e->case_ids->len;
      }
      CxSummary s;
      cx_quantiles_summary(e->durations, &s);
      out->median_duration_s = s.n > 0 ? s.median : NAN;
      out->duration_sketched = s.sketched;
    }
    v->dirty = FALSE;
  }
  *n = v->sorted->len;
  return (const CxVariant *)v->sorted->data;
}

guint
cx_variants_rank(CxVariants *v, guint32 id)
{
  g_return_val_if_fail(id < v->by_id->len, 0);
  guint n;
  cx_variants_sorted(v, &n);
  return ((const Entry *)g_ptr_array_index(v->by_id, id))->rank;
}

void
cx_variants_to_json(CxVariants *v, CxJson *json, guint top)
{
  guint n;
  const CxVariant *vs = cx_variants_sorted(v, &n);
  CxPool *acts = cx_log_activities(v->log);
  cx_json_begin_object(json);
  cx_calendar_json(cx_log_options(v->log)->calendar, json);
  cx_json_key(json, "cases");
  cx_json_int(json, (gint64)v->cases);
  cx_json_key(json, "variants_total");
  cx_json_int(json, n);
  cx_json_key(json, "truncated");
  cx_json_bool(json, top > 0 && n > top);
  cx_json_key(json, "variants");
  cx_json_begin_array(json);
  gboolean sketched = FALSE;
  for (guint i = 0; i < n && (top == 0 || i < top); i++) {
    sketched |= vs[i].duration_sketched;
    cx_json_begin_object(json);
    cx_json_key(json, "activities");
    cx_json_begin_array(json);
    for (guint k = 0; k < vs[i].length; k++)
      cx_json_string(json, cx_pool_get(acts, vs[i].activities[k]));
    cx_json_end_array(json);
    cx_json_key(json, "count");
    cx_json_int(json, (gint64)vs[i].count);
    cx_json_key_double(json, "share", vs[i].share);
    cx_json_key_double(json, "cumulative_share", vs[i].cumulative_share);
    cx_json_key_double(json, "median_duration_s", vs[i].median_duration_s);
    cx_json_key(json, "example");
    cx_json_string(json, cx_pool_get(cx_log_cases(v->log), vs[i].example_case));
    if (v->keep_case_ids) {
      cx_case_ids_to_json(json, cx_log_cases(v->log), vs[i].case_ids, vs[i].n_case_ids);
    }
    cx_json_end_object(json);
  }
  cx_json_end_array(json);
  /* 0 while every median shown is exact, here and after 'cxmine merge' */
  cx_json_key_double(json, "quantile_rel_error", sketched ? CX_QUANTILES_REL_ERROR : 0);
  cx_json_end_object(json);
}

/* ---------- the state in a partial (docs/partial-format.md) ---------- */

static void
variants_save(gpointer data, GByteArray *out)
{
  CxVariants *v = data;
  CxPool *cases = cx_log_cases(v->log);
  cx_partial_put_varint(out, v->cases);
  cx_partial_put_varint(out, v->entries->len);
  cx_partial_put_varint(out, v->keep_case_ids);
  for (guint i = 0; i < v->entries->len; i++) {
    const Entry *e = g_ptr_array_index(v->entries, i);
    gsize size;
    const guint32 *ids = g_bytes_get_data(e->key, &size);
    guint len = (guint)(size / sizeof(guint32));
    cx_partial_put_varint(out, len);
    for (guint k = 0; k < len; k++)
      cx_partial_put_varint(out, ids[k]);
    cx_partial_put_varint(out, e->count);
    cx_partial_put_string(out, cx_pool_get(cases, e->example));
    cx_partial_put_time(out, e->example_first);
    cx_partial_put_quantiles(out, e->durations);
    if (v->keep_case_ids)
      cx_partial_put_case_refs(out, cases, e->members);
  }
}

static gboolean
variants_load(gpointer data, CxPartialIn *in)
{
  CxVariants *v = data;
  guint64 cases, n, members, len, count;
  if (!cx_partial_in_varint(in, &cases) || !cx_partial_in_varint(in, &n)
      || !cx_partial_in_varint(in, &members) || members > 1)
    return FALSE;
  g_autoptr(GArray) ids = g_array_new(FALSE, FALSE, sizeof(guint32));
  for (guint64 i = 0; i < n; i++) {
    if (!cx_partial_in_varint(in, &len) || len > G_MAXUINT32 / sizeof(guint32))
      return FALSE;
    g_array_set_size(ids, 0);
    for (guint64 k = 0; k < len; k++) {
      guint32 a;
      if (!cx_partial_in_id(in, CX_PARTIAL_ACTIVITIES, &a))
        return FALSE;
      g_array_append_val(ids, a);
    }
    guint32 example;
    gint64 first;
    if (!cx_partial_in_varint(in, &count) || !cx_partial_in_case(in, &example)
        || !cx_partial_in_time(in, &first))
      return FALSE;
    g_autoptr(GBytes) key = g_bytes_new_static(ids->data, ids->len * sizeof(guint32));
    Entry *e = entry_get(v, key, example, first);
    e->count += count;
    if (!cx_partial_in_quantiles(in, e->durations))
      return FALSE;
    if (members && !cx_partial_in_case_refs(in, count, e->members != NULL ? &e->members : NULL))
      return FALSE;
  }
  /* case ids asked for, but the partial did not keep them */
  if (v->keep_case_ids && !members && n > 0)
    return cx_partial_in_refuse(in, "holds no case ids, so it cannot list them");
  v->cases += cases;
  v->dirty = TRUE;
  return TRUE;
}

/* A variants partial keeps every case id, so that 'merge --case-ids' can list them. */
static gpointer
variants_make(CxLog *log, gboolean case_ids)
{
  (void)case_ids;
  CxVariants *v = cx_variants_new(log);
  cx_variants_keep_case_ids(v);
  return v;
}

static void
variants_free(gpointer v)
{
  cx_variants_free(v);
}

const CxPartialState cx_variants_partial_state
    = { "variants",        variants_make, variants_free, cx_variants_add,
        cx_variants_reset, variants_save, variants_load };
