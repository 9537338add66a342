/* cxmine — cutting one log into groups of journeys: by time, by an
 * attribute's value, values into bins (segment.h). */
#include "cxmine/segment.h"
#include "cxmine/suggest.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* the quark's name is one token, which clang-format would split */
/* clang-format off */
G_DEFINE_QUARK(cx-segment-error-quark, cx_segment_error)
/* clang-format on */

#define DEFAULT_BINS 4

/* ---------- by time ---------- */

int
cx_segment_split_side(const CxJourney *j, gint64 split_at)
{
  gint64 t = cx_journey_first_time(j);
  if (t == CX_TS_NONE)
    return -1;
  return t < split_at ? 0 : 1;
}

/* ---------- by an attribute ---------- */

struct _CxSegmentKey {
  CxLog *log;
  char *key;
  guint32 key_id; /* G_MAXUINT32 until the log has the key */
};

CxSegmentKey *
cx_segment_key_new(CxLog *log, const char *key)
{
  CxSegmentKey *k = g_new0(CxSegmentKey, 1);
  k->log = log;
  /* a CSV "case:KEY" column is the case's attribute KEY */
  k->key = g_strdup(g_str_has_prefix(key, "case:") && key[5] != '\0' ? key + 5 : key);
  k->key_id = G_MAXUINT32;
  cx_read_options_want_attr(cx_log_options(log), k->key);
  return k;
}

void
cx_segment_key_free(CxSegmentKey *k)
{
  if (k == NULL)
    return;
  g_free(k->key);
  g_free(k);
}

const char *
cx_segment_key_name(const CxSegmentKey *k)
{
  return k->key;
}

guint32
cx_segment_key_value(CxSegmentKey *k, const CxJourney *j)
{
  /* looked up until the log has interned the key (it may come with a later journey) */
  if (k->key_id == G_MAXUINT32)
    k->key_id = cx_pool_lookup(cx_log_keys(k->log), k->key, -1);
  for (guint i = 0; i < j->n_attrs && k->key_id != G_MAXUINT32; i++)
    if (j->attrs[i].key == k->key_id)
      return j->attrs[i].value;
  return CX_ID_NONE;
}

void
cx_segment_key_reset(CxSegmentKey *k)
{
  k->key_id = G_MAXUINT32;
}

char *
cx_segment_key_hint(const CxSegmentKey *k)
{
  g_autofree char *base = g_strdup(k->key);
  char *at = strstr(base, "@last");
  if (at != NULL && at[5] == '\0')
    *at = '\0';
  g_autoptr(CxSuggest) sg = cx_suggest_new(base);
  CxPool *keys = cx_log_keys(k->log);
  for (guint32 i = 1; i < cx_pool_size(keys); i++)
    if (strcmp(cx_pool_get(keys, i), base) != 0)
      cx_suggest_add(sg, cx_pool_get(keys, i));
  g_autofree char *best = cx_suggest_list(sg, 1);
  return best[0] ? g_strdup_printf("; did you mean %s?", best) : g_strdup("");
}

/* ---------- the segments of the values ---------- */

struct _CxSegments {
  GPtrArray *labels;    /* char *, by segment */
  GHashTable *of_value; /* value id + 1 -> segment index + 1 */
  gboolean binned;
  char *how;
};

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

/* The edges @bins asks for ("E1,E2,...": increasing numbers), with *@nbins
 * set instead for a count "N" (and NULL returned); NULL with @error when
 * @bins is neither. */
static GArray *
given_edges(const char *bins, guint *nbins, GError **error)
{
  if (strchr(bins, ',') == NULL && parse_number(bins, &(double){ 0 })) {
    *nbins = (guint)atoi(bins);
    return NULL;
  }
  g_autoptr(GArray) edges = g_array_new(FALSE, FALSE, sizeof(double));
  g_auto(GStrv) parts = g_strsplit(bins, ",", -1);
  for (guint i = 0; parts[i]; i++) {
    double e;
    if (!parse_number(g_strstrip(parts[i]), &e)
        || (edges->len > 0 && e <= g_array_index(edges, double, edges->len - 1))) {
      g_set_error(error, CX_SEGMENT_ERROR, CX_SEGMENT_ERROR_BINS,
                  "--bins: expected a count or increasing numbers, got '%s'", bins);
      return NULL;
    }
    g_array_append_val(edges, e);
  }
  return g_steal_pointer(&edges);
}

/* The label of bin @b of the @edges. */
static char *
bin_label(const GArray *edges, guint b)
{
  guint nb = edges->len + 1;
  g_autofree char *lo = b > 0 ? fmt_edge(g_array_index(edges, double, b - 1)) : NULL;
  g_autofree char *hi = b + 1 < nb ? fmt_edge(g_array_index(edges, double, b)) : NULL;
  if (lo == NULL)
    return g_strdup_printf("< %s", hi);
  if (hi == NULL)
    return g_strdup_printf(">= %s", lo);
  return g_strdup_printf("%s to < %s", lo, hi);
}

/* Bins the numeric values (every value but CX_ID_NONE) by @edges: a
 * segment per bin that some value falls in, in bin order. */
static void
bin_values(CxSegments *s, CxLog *log, const guint32 *values, guint n, const GArray *edges)
{
  CxPool *pool = cx_log_values(log);
  guint nb = edges->len + 1;
  g_autofree guint *bin_of = g_new0(guint, MAX(n, 1));
  g_autofree guint *seg_of_bin = g_new0(guint, nb); /* segment index + 1 */
  for (guint i = 0; i < n; i++) {
    if (values[i] == CX_ID_NONE)
      continue;
    double x = 0;
    parse_number(cx_pool_get(pool, values[i]), &x);
    guint b = 0;
    while (b < edges->len && x >= g_array_index(edges, double, b))
      b++;
    bin_of[i] = b;
    seg_of_bin[b] = 1;
  }
  /* empty bins say nothing */
  for (guint b = 0; b < nb; b++)
    if (seg_of_bin[b]) {
      g_ptr_array_add(s->labels, bin_label(edges, b));
      seg_of_bin[b] = s->labels->len;
    }
  for (guint i = 0; i < n; i++)
    if (values[i] != CX_ID_NONE)
      g_hash_table_insert(s->of_value, GUINT_TO_POINTER(values[i] + 1),
                          GUINT_TO_POINTER(seg_of_bin[bin_of[i]]));
}

CxSegments *
cx_segments_new(CxLog *log, const char *key, const guint32 *values, const guint64 *cases, guint n,
                const char *bins, GError **error)
{
  CxPool *pool = cx_log_values(log);
  gboolean numeric = TRUE;
  guint distinct = 0;
  g_autoptr(GArray) w = g_array_new(FALSE, FALSE, sizeof(Weighted));
  for (guint i = 0; i < n; i++) {
    if (values[i] == CX_ID_NONE)
      continue;
    distinct++;
    double x = 0;
    if (!parse_number(cx_pool_get(pool, values[i]), &x))
      numeric = FALSE;
    Weighted wt = { x, cases[i] };
    g_array_append_val(w, wt);
  }
  numeric = numeric && distinct > 0;
  guint nbins = DEFAULT_BINS;
  g_autoptr(GArray) edges = NULL;
  if (bins != NULL) {
    if (!numeric) {
      g_set_error(error, CX_SEGMENT_ERROR, CX_SEGMENT_ERROR_BINS,
                  "--bins: the values of '%s' are not all numbers", key);
      return NULL;
    }
    GError *e = NULL;
    edges = given_edges(bins, &nbins, &e);
    if (e != NULL) {
      g_propagate_error(error, e);
      return NULL;
    }
  }
  CxSegments *s = g_new0(CxSegments, 1);
  s->labels = g_ptr_array_new_with_free_func(g_free);
  s->of_value = g_hash_table_new(g_direct_hash, g_direct_equal);
  s->binned = numeric && (edges != NULL || distinct > nbins);
  if (s->binned) {
    g_array_sort(w, cmp_weighted);
    if (edges == NULL) {
      edges = quantile_edges(w, MAX(nbins, 2));
      s->how = g_strdup_printf("%u bins of about equal journeys", edges->len + 1);
    } else {
      s->how = g_strdup("the bins given");
    }
    bin_values(s, log, values, n, edges);
  } else {
    s->how = g_strdup("");
    for (guint i = 0; i < n; i++)
      if (values[i] != CX_ID_NONE) {
        g_ptr_array_add(s->labels, g_strdup(cx_pool_get(pool, values[i])));
        g_hash_table_insert(s->of_value, GUINT_TO_POINTER(values[i] + 1),
                            GUINT_TO_POINTER(s->labels->len));
      }
  }
  /* the journeys without a value: last */
  for (guint i = 0; i < n; i++)
    if (values[i] == CX_ID_NONE) {
      g_ptr_array_add(s->labels, g_strdup("(none)"));
      g_hash_table_insert(s->of_value, GUINT_TO_POINTER(CX_ID_NONE + 1),
                          GUINT_TO_POINTER(s->labels->len));
    }
  return s;
}

void
cx_segments_free(CxSegments *s)
{
  if (s == NULL)
    return;
  g_ptr_array_unref(s->labels);
  g_hash_table_destroy(s->of_value);
  g_free(s->how);
  g_free(s);
}

guint
cx_segments_n(const CxSegments *s)
{
  return s->labels->len;
}

const char *
cx_segments_label(const CxSegments *s, guint i)
{
  g_return_val_if_fail(i < s->labels->len, NULL);
  return g_ptr_array_index(s->labels, i);
}

gint
cx_segments_of_value(const CxSegments *s, guint32 value)
{
  return (gint)GPOINTER_TO_UINT(g_hash_table_lookup(s->of_value, GUINT_TO_POINTER(value + 1))) - 1;
}

gboolean
cx_segments_binned(const CxSegments *s)
{
  return s->binned;
}

const char *
cx_segments_how(const CxSegments *s)
{
  return s->how;
}
