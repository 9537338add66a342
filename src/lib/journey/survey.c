/* Why a selection came out empty: what each filter alone keeps, and what
 * the log holds instead. */
#include "survey-private.h"
#include "filter-private.h"
#include "cxmine/output.h"
#include "cxmine/suggest.h"
#include <string.h>

/* bounds, so that a log of a million distinct values costs little here */
#define MAX_KEYS   4096
#define MAX_VALUES 65536

struct _CxSurvey {
  CxLog *log;
  GHashTable *keys;      /* every attribute key seen: char* -> NULL */
  GHashTable *values_of; /* --where key -> (value -> GUINT_TO_POINTER(count)) */
  GString *key, *value;  /* scratch */
  guint64 cases, timed;
  gint64 tmin, tmax;
  guint64 pass_time, pass_starts, pass_ends;
  guint64 pass_where[32];
  GArray *starts, *ends; /* guint64 per activity id */
};

gboolean
cx_survey_wanted(const CxLog *log)
{
  const CxReadOptions *o = &log->opts;
  gboolean filters = o->from != CX_TS_NONE || o->to != CX_TS_NONE
                     || (o->where != NULL && o->where[0] != NULL) || o->starts_with != NULL
                     || o->ends_with != NULL || o->top_variants > 0;
  return (filters && log->counts.cases_kept == 0 && log->counts.cases_filtered > 0)
         || cx_filter_chain_emptied(o->filters);
}

/* TRUE when the reader's own case filters (not the chain's) are set. */
static gboolean
own_filters(const CxReadOptions *o)
{
  return o->from != CX_TS_NONE || o->to != CX_TS_NONE || (o->where != NULL && o->where[0] != NULL)
         || o->starts_with != NULL || o->ends_with != NULL || o->top_variants > 0;
}

static void
survey_clear_counts(CxSurvey *sv)
{
  sv->cases = sv->timed = 0;
  sv->tmin = sv->tmax = CX_TS_NONE;
  sv->pass_time = sv->pass_starts = sv->pass_ends = 0;
  memset(sv->pass_where, 0, sizeof sv->pass_where);
  g_array_set_size(sv->starts, 0);
  g_array_set_size(sv->ends, 0);
}

CxSurvey *
cx_survey_new(CxLog *log)
{
  CxSurvey *sv = g_new0(CxSurvey, 1);
  sv->log = log;
  sv->keys = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  sv->values_of
      = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_hash_table_unref);
  for (char **w = log->opts.where; w != NULL && *w != NULL; w++) {
    const char *eq = strchr(*w, '=');
    if (eq != NULL)
      g_hash_table_insert(sv->values_of, g_strndup(*w, (gsize)(eq - *w)),
                          g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL));
  }
  if (log->opts.filters != NULL) {
    g_autoptr(GPtrArray) keys = g_ptr_array_new();
    cx_filter_chain_keys(log->opts.filters, keys);
    for (guint i = 0; i < keys->len; i++)
      if (!g_hash_table_contains(sv->values_of, keys->pdata[i]))
        g_hash_table_insert(sv->values_of, g_strdup(keys->pdata[i]),
                            g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL));
  }
  sv->key = g_string_new(NULL);
  sv->value = g_string_new(NULL);
  sv->starts = g_array_new(FALSE, TRUE, sizeof(guint64));
  sv->ends = g_array_new(FALSE, TRUE, sizeof(guint64));
  survey_clear_counts(sv);
  return sv;
}

void
cx_survey_reset(CxSurvey *sv)
{
  survey_clear_counts(sv);
}

void
cx_survey_free(CxSurvey *sv)
{
  if (sv == NULL)
    return;
  g_hash_table_destroy(sv->keys);
  g_hash_table_destroy(sv->values_of);
  g_string_free(sv->key, TRUE);
  g_string_free(sv->value, TRUE);
  g_array_free(sv->starts, TRUE);
  g_array_free(sv->ends, TRUE);
  g_free(sv);
}

void
cx_survey_attr(CxSurvey *sv, const char *key, gsize key_len, const char *value, gsize value_len)
{
  g_string_truncate(sv->key, 0);
  g_string_append_len(sv->key, key, (gssize)key_len);
  if (g_hash_table_size(sv->keys) < MAX_KEYS && !g_hash_table_contains(sv->keys, sv->key->str))
    g_hash_table_add(sv->keys, g_strdup(sv->key->str));
  GHashTable *vals = g_hash_table_lookup(sv->values_of, sv->key->str);
  if (vals == NULL || value_len == 0)
    return;
  g_string_truncate(sv->value, 0);
  g_string_append_len(sv->value, value, (gssize)value_len);
  gpointer old;
  if (g_hash_table_lookup_extended(vals, sv->value->str, NULL, &old))
    g_hash_table_insert(vals, g_strdup(sv->value->str),
                        GUINT_TO_POINTER(GPOINTER_TO_UINT(old) + 1));
  else if (g_hash_table_size(vals) < MAX_VALUES)
    g_hash_table_insert(vals, g_strdup(sv->value->str), GUINT_TO_POINTER(1));
}

static void
count_activity(GArray *a, guint32 id)
{
  if (a->len <= id)
    g_array_set_size(a, MAX(id + 1, a->len * 2));
  g_array_index(a, guint64, id)++;
}

void
cx_survey_journey(CxSurvey *sv, const CxJourney *j, guint32 where_match)
{
  if (j->n_instances == 0)
    return;
  const CxReadOptions *o = &sv->log->opts;
  CxPool *acts = sv->log->activities;
  sv->cases++;
  gint64 t = cx_journey_first_time(j);
  if (t != CX_TS_NONE) {
    sv->timed++;
    if (sv->tmin == CX_TS_NONE || t < sv->tmin)
      sv->tmin = t;
    if (sv->tmax == CX_TS_NONE || t > sv->tmax)
      sv->tmax = t;
    if ((o->from == CX_TS_NONE || t >= o->from) && (o->to == CX_TS_NONE || t < o->to))
      sv->pass_time++;
  }
  guint32 first = j->instances[0].activity, last = j->instances[j->n_instances - 1].activity;
  count_activity(sv->starts, first);
  count_activity(sv->ends, last);
  if (o->starts_with != NULL && strcmp(cx_pool_get(acts, first), o->starts_with) == 0)
    sv->pass_starts++;
  if (o->ends_with != NULL && strcmp(cx_pool_get(acts, last), o->ends_with) == 0)
    sv->pass_ends++;
  for (guint i = 0; i < 32; i++)
    sv->pass_where[i] += (where_match >> i) & 1;
}

/* ---------- the words ---------- */

/* A time as the user would have typed it: the date alone at midnight UTC. */
static char *
typed_time(gint64 t)
{
  if (t % (G_GINT64_CONSTANT(86400) * CX_USEC_PER_SEC) == 0)
    return cx_format_date(t, NULL);
  return cx_time_format_iso(t);
}

typedef struct {
  const char *name;
  guint64 count;
} Named;

static int
cmp_named(gconstpointer a, gconstpointer b)
{
  const Named *x = a, *y = b;
  if (x->count != y->count)
    return x->count > y->count ? -1 : 1;
  return strcmp(x->name, y->name);
}

/* "'A' (4,578 cases), 'B' (2 cases)": the most frequent of @counts (by
 * activity id), at most @max, "and N more" after. */
static void
append_top_activities(CxSurvey *sv, GString *out, GArray *counts, guint max)
{
  g_autoptr(GArray) all = g_array_new(FALSE, FALSE, sizeof(Named));
  for (guint i = 0; i < counts->len; i++) {
    guint64 c = g_array_index(counts, guint64, i);
    if (c > 0) {
      Named n = { cx_pool_get(sv->log->activities, i), c };
      g_array_append_val(all, n);
    }
  }
  g_array_sort(all, cmp_named);
  for (guint i = 0; i < all->len && i < max; i++) {
    const Named *n = &g_array_index(all, Named, i);
    g_autofree char *c = cx_format_counted(n->count, "case", "cases");
    g_string_append_printf(out, "%s'%s' (%s)", i == 0 ? "" : ", ", n->name, c);
  }
  if (all->len > max)
    g_string_append_printf(out, " and %u more", all->len - max);
}

static void
explain_activity(CxSurvey *sv, const char *opt, const char *name, GArray *counts, const char *verb)
{
  GString *why = g_string_new(NULL);
  if (cx_pool_lookup(sv->log->activities, name, -1) == G_MAXUINT32) {
    g_autoptr(CxSuggest) near = cx_suggest_new(name);
    guint n = cx_pool_size(sv->log->activities);
    for (guint i = 1; i < n; i++)
      cx_suggest_add(near, cx_pool_get(sv->log->activities, i));
    g_autofree char *hint = cx_suggest_phrase(near, 3);
    g_string_append_printf(why, "no activity is called '%s'%s", name, hint);
    if (*hint == '\0') {
      g_string_append_printf(why, "; cases %s ", verb);
      append_top_activities(sv, why, counts, 3);
    }
  } else {
    g_string_append_printf(why, "'%s' is never where a case %s; cases %s ", name,
                           strcmp(verb, "start with") == 0 ? "starts" : "ends", verb);
    append_top_activities(sv, why, counts, 3);
  }
  g_autofree char *ncases = cx_format_counted(sv->cases, "case", "cases");
  g_autofree char *w = g_string_free(why, FALSE);
  cx_notice(&sv->log->opts, CX_NOTICE_WARNING, "empty-selection",
            "%s '%s' selects none of the %s: %s", opt, name, ncases, w);
}

static int
cmp_str(gconstpointer a, gconstpointer b)
{
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void
explain_where(CxSurvey *sv, const char *clause)
{
  const char *eq = strchr(clause, '=');
  g_autofree char *key = g_strndup(clause, (gsize)(eq - clause));
  const char *value = eq + 1;
  GString *why = g_string_new(NULL);
  if (!g_hash_table_contains(sv->keys, key)) {
    g_autoptr(CxSuggest) near = cx_suggest_new(key);
    GHashTableIter it;
    gpointer k;
    g_hash_table_iter_init(&it, sv->keys);
    while (g_hash_table_iter_next(&it, &k, NULL))
      cx_suggest_add(near, k);
    g_autofree char *hint = cx_suggest_phrase(near, 3);
    g_string_append_printf(why, "no attribute '%s' in the log%s", key, hint);
    if (*hint == '\0' && g_hash_table_size(sv->keys) > 0) {
      guint n;
      g_autofree gpointer *keys = g_hash_table_get_keys_as_array(sv->keys, &n);
      qsort(keys, n, sizeof(gpointer), cmp_str);
      g_string_append(why, "; its attributes: ");
      for (guint i = 0; i < n && i < 8; i++)
        g_string_append_printf(why, "%s'%s'", i == 0 ? "" : ", ", (const char *)keys[i]);
      if (n > 8)
        g_string_append_printf(why, " and %u more", n - 8);
    }
  } else {
    GHashTable *vals = g_hash_table_lookup(sv->values_of, key);
    g_autoptr(CxSuggest) near = cx_suggest_new(value);
    g_autoptr(GArray) all = g_array_new(FALSE, FALSE, sizeof(Named));
    GHashTableIter it;
    gpointer k, v;
    g_hash_table_iter_init(&it, vals);
    while (g_hash_table_iter_next(&it, &k, &v)) {
      cx_suggest_add(near, k);
      Named n = { k, GPOINTER_TO_UINT(v) };
      g_array_append_val(all, n);
    }
    g_autofree char *hint = cx_suggest_phrase(near, 3);
    g_string_append_printf(why, "attribute '%s' is never '%s'%s", key, value, hint);
    if (*hint == '\0' && all->len > 0) {
      g_array_sort(all, cmp_named);
      g_string_append(why, "; its most frequent values: ");
      for (guint i = 0; i < all->len && i < 5; i++)
        g_string_append_printf(why, "%s'%s'", i == 0 ? "" : ", ",
                               g_array_index(all, Named, i).name);
      if (all->len > 5)
        g_string_append_printf(why, " and %u more", all->len - 5);
    }
  }
  g_autofree char *ncases = cx_format_counted(sv->cases, "case", "cases");
  g_autofree char *w = g_string_free(why, FALSE);
  cx_notice(&sv->log->opts, CX_NOTICE_WARNING, "empty-selection",
            "--where %s selects none of the %s: %s", clause, ncases, w);
}

static char *
time_filter_name(const CxReadOptions *o)
{
  g_autofree char *from = o->from != CX_TS_NONE ? typed_time(o->from) : NULL;
  g_autofree char *to = o->to != CX_TS_NONE ? typed_time(o->to) : NULL;
  if (from != NULL && to != NULL)
    return g_strdup_printf("--from %s --to %s", from, to);
  return from != NULL ? g_strdup_printf("--from %s", from) : g_strdup_printf("--to %s", to);
}

static void
explain_time(CxSurvey *sv)
{
  g_autofree char *name = time_filter_name(&sv->log->opts);
  g_autofree char *ncases = cx_format_counted(sv->cases, "case", "cases");
  if (sv->timed == 0) {
    cx_notice(&sv->log->opts, CX_NOTICE_WARNING, "empty-selection",
              "%s selects none of the %s: no case has a timestamp", name, ncases);
    return;
  }
  GTimeZone *tz = cx_log_display_tz(sv->log);
  g_autofree char *a = cx_format_date(sv->tmin, tz);
  g_autofree char *b = cx_format_date(sv->tmax, tz);
  const char *zone = tz != NULL ? cx_log_display_tz_name(sv->log) : "UTC";
  if (strcmp(a, b) == 0)
    cx_notice(&sv->log->opts, CX_NOTICE_WARNING, "empty-selection",
              "%s selects none of the %s: the log's cases all start on %s (%s)", name, ncases, a,
              zone);
  else
    cx_notice(&sv->log->opts, CX_NOTICE_WARNING, "empty-selection",
              "%s selects none of the %s: the log's cases start between %s and %s (%s)", name,
              ncases, a, b, zone);
}

void
cx_survey_explain(CxSurvey *sv)
{
  const CxReadOptions *o = &sv->log->opts;
  gboolean timef = o->from != CX_TS_NONE || o->to != CX_TS_NONE;
  gboolean any = FALSE;
  if (sv->cases == 0)
    return;
  if (o->filters != NULL)
    cx_filter_chain_explain(o->filters, sv->log, sv->keys, sv->values_of);
  if (!own_filters(o) || sv->log->counts.cases_kept > 0)
    return;
  if (timef && sv->pass_time == 0) {
    explain_time(sv);
    any = TRUE;
  }
  guint i = 0;
  for (char **w = o->where; w != NULL && *w != NULL && i < 32; w++, i++)
    if (sv->pass_where[i] == 0 && strchr(*w, '=') != NULL) {
      explain_where(sv, *w);
      any = TRUE;
    }
  if (o->starts_with != NULL && sv->pass_starts == 0) {
    explain_activity(sv, "--starts-with", o->starts_with, sv->starts, "start with");
    any = TRUE;
  }
  if (o->ends_with != NULL && sv->pass_ends == 0) {
    explain_activity(sv, "--ends-with", o->ends_with, sv->ends, "end with");
    any = TRUE;
  }
  if (any)
    return;
  /* each filter keeps some cases, but no case passes them all */
  GString *each = g_string_new(NULL);
#define EACH(label, n)                                                                             \
  do {                                                                                             \
    g_autofree char *c_ = cx_format_counted((n), "case", "cases");                                 \
    g_string_append_printf(each, "%s%s (%s)", each->len > 0 ? ", " : "", (label), c_);             \
  } while (0)
  if (timef) {
    g_autofree char *name = time_filter_name(o);
    EACH(name, sv->pass_time);
  }
  i = 0;
  for (char **w = o->where; w != NULL && *w != NULL && i < 32; w++, i++) {
    g_autofree char *name = g_strdup_printf("--where %s", *w);
    EACH(name, sv->pass_where[i]);
  }
  if (o->starts_with != NULL) {
    g_autofree char *name = g_strdup_printf("--starts-with '%s'", o->starts_with);
    EACH(name, sv->pass_starts);
  }
  if (o->ends_with != NULL) {
    g_autofree char *name = g_strdup_printf("--ends-with '%s'", o->ends_with);
    EACH(name, sv->pass_ends);
  }
#undef EACH
  g_autofree char *ncases = cx_format_counted(sv->cases, "case", "cases");
  g_autofree char *e = g_string_free(each, FALSE);
  cx_notice(&sv->log->opts, CX_NOTICE_WARNING, "empty-selection",
            "the filters together select none of the %s, though each alone selects some: %s%s",
            ncases, e,
            o->top_variants > 0 ? " (--top-variants counts only the cases the others keep)" : "");
}
