/* "Did you mean": near misses by edit distance, case, prefix or part. */
#include "cxmine/suggest.h"
#include <string.h>

typedef struct {
  char *name;
  guint rank; /* edits; a prefix or part counts as its edits plus a penalty */
} Hit;

struct _CxSuggest {
  char *typed;
  char *folded;
  gsize len;
  guint limit;  /* most edits still close */
  GArray *hits; /* Hit */
};

static void
hit_clear(gpointer p)
{
  g_free(((Hit *)p)->name);
}

CxSuggest *
cx_suggest_new(const char *typed)
{
  g_return_val_if_fail(typed != NULL, NULL);
  CxSuggest *s = g_new0(CxSuggest, 1);
  s->typed = g_strdup(typed);
  s->folded = g_ascii_strdown(typed, -1);
  s->len = strlen(typed);
  /* a one- or two-letter name is near only to itself in another case */
  s->limit = s->len < 3 ? 0 : s->len < 4 ? 1 : s->len < 8 ? 2 : (guint)(s->len / 3);
  s->hits = g_array_new(FALSE, FALSE, sizeof(Hit));
  g_array_set_clear_func(s->hits, hit_clear);
  return s;
}

void
cx_suggest_free(CxSuggest *s)
{
  if (s == NULL)
    return;
  g_free(s->typed);
  g_free(s->folded);
  g_array_free(s->hits, TRUE);
  g_free(s);
}

/* Optimal string alignment distance over ASCII-folded bytes, giving up
 * (returning @cap + 1) once every cell of a row exceeds @cap. */
static guint
distance_capped(const char *a, gsize la, const char *b, gsize lb, guint cap)
{
  if ((la > lb ? la - lb : lb - la) > cap)
    return cap + 1;
  g_autofree guint *rows = g_new(guint, 3 * (lb + 1));
  guint *prev2 = rows, *prev = rows + lb + 1, *cur = rows + 2 * (lb + 1);
  for (gsize j = 0; j <= lb; j++)
    prev[j] = (guint)j;
  for (gsize i = 1; i <= la; i++) {
    cur[0] = (guint)i;
    guint row_min = cur[0];
    char ca = g_ascii_tolower(a[i - 1]);
    for (gsize j = 1; j <= lb; j++) {
      char cb = g_ascii_tolower(b[j - 1]);
      guint v = prev[j - 1] + (ca != cb);
      v = MIN(v, prev[j] + 1);
      v = MIN(v, cur[j - 1] + 1);
      if (i > 1 && j > 1 && ca == g_ascii_tolower(b[j - 2]) && g_ascii_tolower(a[i - 2]) == cb)
        v = MIN(v, prev2[j - 2] + 1);
      cur[j] = v;
      row_min = MIN(row_min, v);
    }
    if (row_min > cap)
      return cap + 1;
    guint *t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  return prev[lb];
}

guint
cx_suggest_distance(const char *a, const char *b)
{
  gsize la = strlen(a), lb = strlen(b);
  return distance_capped(a, la, b, lb, (guint)MAX(la, lb));
}

void
cx_suggest_add(CxSuggest *s, const char *candidate)
{
  g_return_if_fail(s != NULL);
  if (candidate == NULL || *candidate == '\0' || strcmp(candidate, s->typed) == 0)
    return;
  gsize lc = strlen(candidate);
  guint d = distance_capped(s->typed, s->len, candidate, lc, s->limit);
  guint rank;
  if (d <= s->limit) {
    rank = d;
  } else if (s->len >= 3 && lc > s->len) {
    g_autofree char *fc = g_ascii_strdown(candidate, -1);
    const char *at = strstr(fc, s->folded);
    if (at == NULL)
      return;
    /* behind every near miss; a prefix before a part, shorter first */
    rank = s->limit + 1 + (at != fc) + (guint)MIN(lc - s->len, 1000);
  } else {
    return;
  }
  for (guint i = 0; i < s->hits->len; i++)
    if (strcmp(g_array_index(s->hits, Hit, i).name, candidate) == 0)
      return;
  Hit h = { g_strdup(candidate), rank };
  g_array_append_val(s->hits, h);
}

static int
cmp_hit(gconstpointer a, gconstpointer b)
{
  const Hit *x = a, *y = b;
  if (x->rank != y->rank)
    return x->rank < y->rank ? -1 : 1;
  return strcmp(x->name, y->name);
}

char **
cx_suggest_best(const CxSuggest *s, guint max)
{
  g_return_val_if_fail(s != NULL, NULL);
  g_array_sort(s->hits, cmp_hit);
  guint n = MIN(max, s->hits->len);
  /* the same name in another case says it all */
  if (n > 0 && g_array_index(s->hits, Hit, 0).rank == 0)
    for (guint i = 1; i < n; i++)
      if (g_array_index(s->hits, Hit, i).rank > 0) {
        n = i;
        break;
      }
  char **out = g_new0(char *, n + 1);
  for (guint i = 0; i < n; i++)
    out[i] = g_strdup(g_array_index(s->hits, Hit, i).name);
  return out;
}

char *
cx_suggest_list(const CxSuggest *s, guint max)
{
  g_auto(GStrv) best = cx_suggest_best(s, max);
  guint n = g_strv_length(best);
  GString *out = g_string_new(NULL);
  for (guint i = 0; i < n; i++) {
    if (i > 0)
      g_string_append(out, i + 1 == n ? " or " : ", ");
    g_string_append_printf(out, "'%s'", best[i]);
  }
  return g_string_free(out, FALSE);
}

char *
cx_suggest_phrase(const CxSuggest *s, guint max)
{
  g_autofree char *list = cx_suggest_list(s, max);
  return *list != '\0' ? g_strdup_printf(" (did you mean %s?)", list) : g_strdup("");
}

char *
cx_suggest_among(const char *typed, const char *const *candidates, guint max)
{
  g_autoptr(CxSuggest) s = cx_suggest_new(typed);
  for (const char *const *c = candidates; c != NULL && *c != NULL; c++)
    cx_suggest_add(s, *c);
  return cx_suggest_phrase(s, max);
}
