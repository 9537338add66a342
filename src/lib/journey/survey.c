/* Why a selection came out empty: the attribute keys and values the log
 * holds, for the filter chain to name near misses (filter-explain.c). */
#include "survey-private.h"
#include "filter-private.h"
#include <string.h>

/* bounds, so that a log of a million distinct values costs little here */
#define MAX_KEYS   4096
#define MAX_VALUES 65536

struct _CxSurvey {
  CxLog *log;
  GHashTable *keys;      /* every attribute key seen: char* -> NULL */
  GHashTable *values_of; /* filtered key -> (value -> GUINT_TO_POINTER(count)) */
  GString *key, *value;  /* scratch */
  guint64 cases;
};

gboolean
cx_survey_wanted(const CxLog *log)
{
  return cx_filter_chain_emptied(log->opts.filters);
}

CxSurvey *
cx_survey_new(CxLog *log)
{
  CxSurvey *sv = g_new0(CxSurvey, 1);
  sv->log = log;
  sv->keys = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  sv->values_of
      = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_hash_table_unref);
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
  return sv;
}

void
cx_survey_reset(CxSurvey *sv)
{
  sv->cases = 0;
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

void
cx_survey_journey(CxSurvey *sv, const CxJourney *j)
{
  if (j->n_instances > 0)
    sv->cases++;
}

void
cx_survey_explain(CxSurvey *sv)
{
  const CxReadOptions *o = &sv->log->opts;
  if (sv->cases == 0 || o->filters == NULL)
    return;
  cx_filter_chain_explain(o->filters, sv->log, sv->keys, sv->values_of);
}
