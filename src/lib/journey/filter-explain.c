/* Filters: what each kept, and why one kept nothing (near misses). */
#include "filter-internal.h"
#include "cxmine/output.h"
#include "cxmine/suggest.h"
#include <string.h>

/* ---------- telling ---------- */

void
cx_filter_chain_report(CxFilterChain *c, CxLog *log)
{
  for (guint i = 0; i < c->filters->len; i++) {
    const Filter *f = g_ptr_array_index(c->filters, i);
    g_autofree char *ck = cx_format_count(f->cases_kept);
    g_autofree char *ci = cx_format_count(f->cases_in);
    g_autofree char *ek = cx_format_count(f->events_kept);
    g_autofree char *ei = cx_format_count(f->events_in);
    cx_notice(&log->opts, CX_NOTICE_INFO, "filter", "filter %s: kept %s of %s %s, %s of %s %s",
              f->name, ck, ci, cx_plural(f->cases_in, "case", "cases"), ek, ei,
              cx_plural(f->events_in, "event", "events"));
  }
}

gboolean
cx_filter_chain_emptied(const CxFilterChain *c)
{
  for (guint i = 0; c != NULL && i < c->filters->len; i++) {
    const Filter *f = g_ptr_array_index(c->filters, i);
    if (f->cases_in > 0 && f->cases_kept == 0)
      return TRUE;
  }
  return FALSE;
}

void
cx_filter_chain_keys(const CxFilterChain *c, GPtrArray *keys)
{
  for (guint i = 0; c != NULL && i < c->filters->len; i++) {
    const Filter *f = g_ptr_array_index(c->filters, i);
    for (guint k = 0; f->atoms != NULL && k < f->atoms->len; k++)
      g_ptr_array_add(keys, ((Atom *)g_ptr_array_index(f->atoms, k))->key);
  }
}

static void
suggest_pool(CxSuggest *near, CxPool *pool)
{
  guint n = cx_pool_size(pool);
  for (guint i = 1; i < n && i < 1000000; i++)
    cx_suggest_add(near, cx_pool_get(pool, i));
}

/* Appends "no activity is called 'X' (did you mean ...)" when @name is not
 * an activity of the log; returns whether it did, and in *@hinted whether
 * there was a near miss. */
static gboolean
explain_name(GString *why, CxLog *log, const char *name, gboolean *hinted)
{
  if (name == NULL || cx_pool_lookup(log->activities, name, -1) != G_MAXUINT32)
    return FALSE;
  g_autoptr(CxSuggest) near = cx_suggest_new(name);
  suggest_pool(near, log->activities);
  g_autofree char *hint = cx_suggest_phrase(near, 3);
  g_string_append_printf(why, "%sno activity is called '%s'%s", why->len > 0 ? "; " : "", name,
                         hint);
  if (hinted != NULL)
    *hinted = *hint != '\0';
  return TRUE;
}

typedef struct {
  const char *name;
  guint64 count;
} Named;

static int
cmp_named(gconstpointer pa, gconstpointer pb)
{
  const Named *x = pa, *y = pb;
  if (x->count != y->count)
    return x->count > y->count ? -1 : 1;
  return strcmp(x->name, y->name);
}

static int
cmp_str(gconstpointer pa, gconstpointer pb)
{
  return strcmp(*(const char *const *)pa, *(const char *const *)pb);
}

static void
explain_atom(GString *why, CxLog *log, const Atom *a, GHashTable *keys, GHashTable *values_of)
{
  CxPool *pool = cx_filter_atom_pool(log, a);
  const char *sep = why->len > 0 ? "; " : "";
  /* the values the log has for the key: counted by the survey where it
   * could, else those the atom was tested with */
  g_autoptr(GArray) all = g_array_new(FALSE, FALSE, sizeof(Named));
  GHashTable *counted = values_of != NULL ? g_hash_table_lookup(values_of, a->key) : NULL;
  if (counted != NULL && g_hash_table_size(counted) == 0)
    counted = NULL;
  if (counted != NULL) {
    GHashTableIter it;
    gpointer k, v;
    g_hash_table_iter_init(&it, counted);
    while (g_hash_table_iter_next(&it, &k, &v)) {
      Named n = { k, GPOINTER_TO_UINT(v) };
      g_array_append_val(all, n);
    }
  } else {
    for (guint id = 1; id < a->cache->len; id++)
      if (g_array_index(a->cache, guint8, id) != 0) {
        Named n = { cx_pool_get(pool, id), 0 };
        g_array_append_val(all, n);
      }
  }
  gboolean key_known
      = a->kind != K_ATTR || all->len > 0 || (keys != NULL && g_hash_table_contains(keys, a->key));
  if (!key_known) {
    g_autoptr(CxSuggest) nk = cx_suggest_new(a->key);
    g_autoptr(GPtrArray) names = g_ptr_array_new();
    if (keys != NULL) {
      GHashTableIter it;
      gpointer k;
      g_hash_table_iter_init(&it, keys);
      while (g_hash_table_iter_next(&it, &k, NULL)) {
        cx_suggest_add(nk, k);
        g_ptr_array_add(names, k);
      }
    }
    const char *fields[] = { "activity", "resource", "channel", "case" };
    for (guint i = 0; i < G_N_ELEMENTS(fields); i++)
      cx_suggest_add(nk, fields[i]);
    g_autofree char *hint = cx_suggest_phrase(nk, 3);
    g_string_append_printf(why, "%sno attribute '%s' in the log%s", sep, a->key, hint);
    if (*hint == '\0' && names->len > 0) {
      g_ptr_array_sort(names, cmp_str);
      g_string_append(why, "; its attributes: ");
      for (guint i = 0; i < names->len && i < 8; i++)
        g_string_append_printf(why, "%s'%s'", i == 0 ? "" : ", ", (const char *)names->pdata[i]);
      if (names->len > 8)
        g_string_append_printf(why, " and %u more", names->len - 8);
    }
    return;
  }
  g_autofree char *hint = NULL;
  if (a->op == A_EQ) {
    g_autoptr(CxSuggest) near = cx_suggest_new(a->value);
    for (guint i = 0; i < all->len; i++)
      cx_suggest_add(near, g_array_index(all, Named, i).name);
    hint = cx_suggest_phrase(near, 3);
    g_string_append_printf(why, "%sattribute '%s' is never '%s'%s", sep, a->key, a->value, hint);
  } else {
    hint = g_strdup("");
    g_string_append_printf(why, "%sno value of attribute '%s' matches '%s'", sep, a->key, a->value);
  }
  if (*hint != '\0' || all->len == 0)
    return;
  g_array_sort(all, cmp_named);
  g_string_append_printf(why, "; its %svalues: ", counted != NULL ? "most frequent " : "");
  for (guint i = 0; i < all->len && i < 5; i++)
    g_string_append_printf(why, "%s'%s'", i == 0 ? "" : ", ", g_array_index(all, Named, i).name);
  if (all->len > 5)
    g_string_append_printf(why, " and %u more", all->len - 5);
}

static void
append_ends(GString *why, CxLog *log, GArray *counts, const char *verb)
{
  g_autoptr(GArray) all = g_array_new(FALSE, FALSE, sizeof(Named));
  for (guint id = 1; counts != NULL && id < counts->len; id++) {
    Named n = { cx_pool_get(log->activities, id), g_array_index(counts, guint64, id) };
    if (n.count > 0)
      g_array_append_val(all, n);
  }
  if (all->len == 0)
    return;
  g_array_sort(all, cmp_named);
  g_string_append_printf(why, "%scases %s ", why->len > 0 ? "; " : "", verb);
  for (guint i = 0; i < all->len && i < 3; i++) {
    const Named *n = &g_array_index(all, Named, i);
    g_autofree char *cnt = cx_format_counted(n->count, "case", "cases");
    g_string_append_printf(why, "%s'%s' (%s)", i == 0 ? "" : ", ", n->name, cnt);
  }
  if (all->len > 3)
    g_string_append_printf(why, " and %u more", all->len - 3);
}

static char *
human_duration(gint64 us)
{
  return cx_format_duration((double)us / (double)CX_USEC_PER_SEC);
}

static void
explain_window(GString *why, CxLog *log, const Filter *f)
{
  if (f->tmin == G_MAXINT64) {
    g_string_append(why, "no case has a timestamp");
    return;
  }
  GTimeZone *tz = cx_log_display_tz(log);
  const char *zone = tz != NULL ? cx_log_display_tz_name(log) : "UTC";
  gboolean started = f->mode == W_STARTED;
  gint64 hi = started ? f->fmax : f->tmax;
  /* whole days where the window is in days, else times */
  gboolean days = TRUE;
  const char *bounds[] = { f->from_s, f->to_s };
  for (guint i = 0; i < 2; i++)
    if (bounds[i] != NULL && strlen(bounds[i]) > 10)
      days = FALSE;
  g_autofree char *a = days ? cx_format_date(f->tmin, tz) : cx_format_time(f->tmin, tz);
  g_autofree char *b = days ? cx_format_date(hi, tz) : cx_format_time(hi, tz);
  if (started && strcmp(a, b) == 0)
    g_string_append_printf(why, "the log's cases all start on %s (%s)", a, zone);
  else if (started)
    g_string_append_printf(why, "the log's cases start between %s and %s (%s)", a, b, zone);
  else if (f->mode == W_TRIM)
    g_string_append_printf(why, "the log's events lie between %s and %s (%s)", a, b, zone);
  else
    g_string_append_printf(why, "the log's cases run from %s to %s (%s)", a, b, zone);
}

static void
explain_one(GString *why, CxLog *log, const Filter *f, GHashTable *keys, GHashTable *values_of)
{
  gboolean hinted = FALSE;
  switch (f->kind) {
    case F_WINDOW:
      explain_window(why, log, f);
      break;
    case F_WHERE:
    case F_KEEP_EVENTS:
      for (guint k = 0; k < f->atoms->len; k++) {
        const Atom *a = g_ptr_array_index(f->atoms, k);
        if (a->hits == 0)
          explain_atom(why, log, a, keys, values_of);
      }
      if (why->len == 0)
        g_string_append(why, "each condition holds somewhere, but never the whole expression");
      break;
    case F_DURATION:
      if (f->dmin == G_MAXINT64) {
        g_string_append(why, "no case has two timestamps");
      } else {
        g_autofree char *a = human_duration(f->dmin);
        g_autofree char *b = human_duration(f->dmax);
        g_string_append_printf(why, "the log's cases last from %s to %s", a, b);
      }
      break;
    case F_STEPS:
      g_string_append_printf(why, "the log's cases have %u to %u steps", f->smin, f->smax);
      break;
    case F_WAIT:
    case F_FOLLOWS: {
      gboolean unknown = explain_name(why, log, f->a.name, NULL);
      if (explain_name(why, log, f->b.name, NULL) || unknown)
        break;
      if (f->kind == F_WAIT && f->with_pair > 0) {
        g_autofree char *a = human_duration(f->wmin);
        g_autofree char *b = human_duration(f->wmax);
        g_string_append_printf(why, "waits from '%s' to the next '%s' range from %s to %s",
                               f->a.name, f->b.name, a, b);
      } else if (f->with_a == 0 && !f->negate) {
        g_string_append_printf(why, "no case has '%s'", f->a.name);
      } else if (f->negate) {
        g_string_append_printf(why, "in every case '%s' is %sfollowed by '%s'%s", f->a.name,
                               f->direct ? "directly " : "", f->b.name,
                               f->within > 0 ? " within that time" : "");
      } else {
        g_string_append_printf(why, "'%s' is never %sfollowed by '%s'%s", f->a.name,
                               f->direct ? "directly " : "", f->b.name,
                               f->within > 0 ? " within that time" : "");
      }
      break;
    }
    case F_VARIANT: {
      gboolean unknown = FALSE;
      for (guint k = 0; k < f->pattern->len; k++)
        unknown |= explain_name(why, log, g_array_index(f->pattern, Elem, k).name, NULL);
      if (!unknown)
        g_string_append(why, "no case's sequence of activities matches the pattern");
      break;
    }
    case F_STARTS:
    case F_ENDS: {
      const char *verb = f->kind == F_STARTS ? "start with" : "end with";
      if (!explain_name(why, log, f->a.name, &hinted))
        g_string_append_printf(why, "'%s' is never where a case %s", f->a.name,
                               f->kind == F_STARTS ? "starts" : "ends");
      if (!hinted)
        append_ends(why, log, f->ends, verb);
      break;
    }
    case F_SHARE:
    case F_TOP: {
      g_autofree char *sh = cx_format_share_of((guint64)MAX(f->wmax, 0), f->cases_in);
      g_string_append_printf(why, "the most frequent variant holds %s of the cases", sh);
      break;
    }
  }
}

void
cx_filter_chain_explain(CxFilterChain *c, CxLog *log, GHashTable *keys, GHashTable *values_of)
{
  Filter *f = NULL;
  for (guint i = 0; i < c->filters->len && f == NULL; i++) {
    Filter *g = g_ptr_array_index(c->filters, i);
    if (g->cases_in > 0 && g->cases_kept == 0)
      f = g;
  }
  if (f == NULL)
    return;
  g_autofree char *n = cx_format_counted(c->surveyed, "case", "cases");
  if (f->alone == 0) {
    GString *why = g_string_new(NULL);
    explain_one(why, log, f, keys, values_of);
    g_autofree char *w = g_string_free(why, FALSE);
    cx_notice(&log->opts, CX_NOTICE_WARNING, "empty-selection", "%s selects none of the %s: %s",
              f->name, n, w);
    return;
  }
  /* it keeps some of the log, not of what the filters before it kept */
  GString *each = g_string_new(NULL);
  gboolean whole = FALSE;
  for (guint i = 0; i < c->filters->len; i++) {
    const Filter *g = g_ptr_array_index(c->filters, i);
    g_autofree char *cnt = cx_format_counted(g->alone, "case", "cases");
    g_string_append_printf(each, "%s%s (%s)", i == 0 ? "" : ", ", g->name, cnt);
    whole |= g->kind == F_SHARE || g->kind == F_TOP;
  }
  g_autofree char *e = g_string_free(each, FALSE);
  cx_notice(
      &log->opts, CX_NOTICE_WARNING, "empty-selection",
      "the filters together select none of the %s, though each alone selects some: %s%s", n, e,
      whole ? " (variant rank and share count only the cases the filters before them keep)" : "");
}
