/* The transitions of journeys: counts per activity id and per (from, to)
 * pair, with the waits and service times in quantile states (or, for
 * friction, one by one with their journeys).  This
 * is the hot path of `cxmine dfg`: no allocation per event, edges found
 * through a dense matrix while there are few activities. */
#include "hash-private.h"
#include "transitions-private.h"
#include <math.h>
#include <string.h>

/* Up to this many activity ids, edges are found through a dense matrix;
 * beyond, through a hash table. */
#define MATRIX_MAX 1024u

struct _CxTransitions {
  CxLog *log;
  guint flags;
  guint64 n_journeys, n_instances;
  guint64 seq;     /* sequence number of the current journey (1-based) */
  GArray *acts;    /* CxTransitionsAct by activity id */
  GArray *edges;   /* CxTransitionsEdge, in order of first appearance */
  guint32 *matrix; /* edge index + 1 by from * mcap + to; 0 = none */
  guint mcap;
  GHashTable *index;  /* guint64 key -> edge index + 1, once ids outgrow the matrix */
  GArray *touched;    /* guint32 per entry with a wait in the current journey (CASE_MEANS):
                       * edge index, or activity id | TOUCHED_ACT */
  CxListStore *store; /* the long lists (SAMPLE_CASES, CASE_TAGS); else NULL */
};

#define TOUCHED_ACT 0x80000000u

CxExactSum
cx_transitions_exact_sum(const double *samples, gsize n)
{
  CxExactSum sum = 0;
  for (gsize i = 0; i < n; i++)
    sum += (gint64)llround(samples[i] * 1e6);
  return sum;
}

CxExactSum
cx_transitions_list_sum(const CxSampleList *l)
{
  CxExactSum sum = 0;
  CxSampleIter it;
  gint64 us;
  cx_sample_iter_init(&it, l);
  while (cx_sample_iter_next(&it, &us))
    sum += us;
  return sum;
}

GArray *
cx_transitions_list_seconds(const CxSampleList *l)
{
  GArray *out = g_array_sized_new(FALSE, FALSE, sizeof(double), l->n);
  CxSampleIter it;
  gint64 us;
  cx_sample_iter_init(&it, l);
  while (cx_sample_iter_next(&it, &us)) {
    double s = cx_transition_seconds(us);
    g_array_append_val(out, s);
  }
  return out;
}

static void
array_free0(GArray *a)
{
  if (a != NULL)
    g_array_free(a, TRUE);
}

static void
act_clear(gpointer p)
{
  CxTransitionsAct *a = p;
  cx_quantiles_free(a->service);
  cx_sample_list_clear(&a->service_samples);
  cx_tag_list_clear(&a->service_tags);
  array_free0(a->refs);
  cx_tag_list_clear(&a->case_tags);
  cx_quantiles_free(a->arrivals);
  cx_quantiles_free(a->case_waits);
}

static void
edge_clear(gpointer p)
{
  CxTransitionsEdge *e = p;
  cx_quantiles_free(e->waits);
  cx_sample_list_clear(&e->wait_samples);
  cx_tag_list_clear(&e->wait_tags);
  array_free0(e->refs);
  cx_tag_list_clear(&e->case_tags);
  cx_quantiles_free(e->case_waits);
}

static guint64
edge_key(guint32 from, guint32 to)
{
  return ((guint64)from << 32) | to;
}

CxTransitions *
cx_transitions_new(CxLog *log, guint flags)
{
  CxTransitions *t = g_new0(CxTransitions, 1);
  t->log = log;
  t->flags = flags;
  t->acts = g_array_new(FALSE, TRUE, sizeof(CxTransitionsAct));
  g_array_set_clear_func(t->acts, act_clear);
  t->edges = g_array_new(FALSE, TRUE, sizeof(CxTransitionsEdge));
  g_array_set_clear_func(t->edges, edge_clear);
  t->touched = g_array_new(FALSE, FALSE, sizeof(guint32));
  if (flags & (CX_TRANSITIONS_SAMPLE_CASES | CX_TRANSITIONS_CASE_TAGS))
    t->store = cx_list_store_new();
  return t;
}

void
cx_transitions_free(CxTransitions *t)
{
  if (t == NULL)
    return;
  g_array_free(t->acts, TRUE);
  g_array_free(t->edges, TRUE);
  g_array_free(t->touched, TRUE);
  g_free(t->matrix);
  if (t->index != NULL)
    g_hash_table_destroy(t->index);
  cx_list_store_free(t->store);
  g_free(t);
}

void
cx_transitions_reset(CxTransitions *t)
{
  g_array_set_size(t->acts, 0);
  g_array_set_size(t->edges, 0);
  g_clear_pointer(&t->matrix, g_free);
  t->mcap = 0;
  g_clear_pointer(&t->index, g_hash_table_destroy);
  t->n_journeys = t->n_instances = t->seq = 0;
  /* every list is gone with the entries */
  if (t->store != NULL)
    cx_list_store_reset(t->store);
}

gboolean
cx_transitions_check(const CxTransitions *t, GError **error)
{
  return cx_list_store_check(t->store, error);
}

guint
cx_transitions_flags(const CxTransitions *t)
{
  return t->flags;
}

guint64
cx_transitions_n_journeys(const CxTransitions *t)
{
  return t->n_journeys;
}

guint64
cx_transitions_n_instances(const CxTransitions *t)
{
  return t->n_instances;
}

void
cx_transitions_add_counts(CxTransitions *t, guint64 n_journeys, guint64 n_instances)
{
  t->n_journeys += n_journeys;
  t->n_instances += n_instances;
}

guint
cx_transitions_n_acts(const CxTransitions *t)
{
  return t->acts->len;
}

CxTransitionsAct *
cx_transitions_act(const CxTransitions *t, guint32 activity)
{
  if (activity >= t->acts->len)
    return NULL;
  return &g_array_index(t->acts, CxTransitionsAct, activity);
}

CxTransitionsAct *
cx_transitions_act_get(CxTransitions *t, guint32 a)
{
  if (G_UNLIKELY(a >= t->acts->len))
    g_array_set_size(t->acts, MAX(a + 1, t->acts->len * 2));
  return &g_array_index(t->acts, CxTransitionsAct, a);
}

guint
cx_transitions_n_edges(const CxTransitions *t)
{
  return t->edges->len;
}

CxTransitionsEdge *
cx_transitions_edge(const CxTransitions *t, guint i)
{
  g_return_val_if_fail(i < t->edges->len, NULL);
  return &g_array_index(t->edges, CxTransitionsEdge, i);
}

void
cx_transitions_add_ref(GArray **refs, CxCaseRef ref)
{
  if (*refs == NULL)
    *refs = g_array_new(FALSE, FALSE, sizeof(CxCaseRef));
  g_array_append_val(*refs, ref);
}

static void
merge_quantiles(CxQuantiles **dst, const CxQuantiles *src)
{
  if (src == NULL || cx_quantiles_n(src) == 0)
    return;
  if (*dst == NULL)
    *dst = cx_quantiles_new();
  cx_quantiles_merge(*dst, src);
}

static void
append_samples(GArray **dst, guint elt, const GArray *src)
{
  if (src == NULL || src->len == 0)
    return;
  if (*dst == NULL)
    *dst = g_array_new(FALSE, FALSE, elt);
  g_array_append_vals(*dst, src->data, src->len);
}

/* Moves every edge into the hash table (ids outgrew the matrix). */
static void
switch_to_hash(CxTransitions *t)
{
  t->index = g_hash_table_new_full(cx_u64_hash, cx_u64_equal, g_free, NULL);
  for (guint i = 0; i < t->edges->len; i++) {
    const CxTransitionsEdge *e = &g_array_index(t->edges, CxTransitionsEdge, i);
    guint64 *k = g_new(guint64, 1);
    *k = edge_key(e->from, e->to);
    g_hash_table_insert(t->index, k, GUINT_TO_POINTER(i + 1));
  }
  g_clear_pointer(&t->matrix, g_free);
  t->mcap = 0;
}

static void
grow_matrix(CxTransitions *t, guint32 need)
{
  guint cap = MAX(t->mcap, 32u);
  while (cap <= need)
    cap *= 2;
  guint32 *m = g_new0(guint32, (gsize)cap * cap);
  for (guint f = 0; f < t->mcap; f++)
    memcpy(m + (gsize)f * cap, t->matrix + (gsize)f * t->mcap, t->mcap * sizeof(guint32));
  g_free(t->matrix);
  t->matrix = m;
  t->mcap = cap;
}

CxTransitionsEdge *
cx_transitions_find(const CxTransitions *t, guint32 from, guint32 to)
{
  guint32 v = 0;
  if (t->index != NULL) {
    guint64 k = edge_key(from, to);
    v = GPOINTER_TO_UINT(g_hash_table_lookup(t->index, &k));
  } else if (from < t->mcap && to < t->mcap) {
    v = t->matrix[(gsize)from * t->mcap + to];
  }
  return v != 0 ? &g_array_index(t->edges, CxTransitionsEdge, v - 1) : NULL;
}

CxTransitionsEdge *
cx_transitions_edge_get(CxTransitions *t, guint32 from, guint32 to)
{
  guint32 hi = MAX(from, to);
  if (t->index == NULL && hi >= MATRIX_MAX)
    switch_to_hash(t);
  guint32 *slot = NULL;
  if (t->index == NULL) {
    if (hi >= t->mcap)
      grow_matrix(t, hi);
    slot = &t->matrix[(gsize)from * t->mcap + to];
    if (*slot != 0)
      return &g_array_index(t->edges, CxTransitionsEdge, *slot - 1);
  } else {
    guint64 k = edge_key(from, to);
    gpointer v = g_hash_table_lookup(t->index, &k);
    if (v != NULL)
      return &g_array_index(t->edges, CxTransitionsEdge, GPOINTER_TO_UINT(v) - 1);
  }
  CxTransitionsEdge e = { 0 };
  e.from = from;
  e.to = to;
  if ((t->flags & CX_TRANSITIONS_WAITS) && !(t->flags & CX_TRANSITIONS_SAMPLE_CASES))
    e.waits = cx_quantiles_new();
  g_array_append_val(t->edges, e);
  guint idx = t->edges->len;
  if (slot != NULL) {
    *slot = idx;
  } else {
    guint64 *k = g_new(guint64, 1);
    *k = edge_key(from, to);
    g_hash_table_insert(t->index, k, GUINT_TO_POINTER(idx));
  }
  return &g_array_index(t->edges, CxTransitionsEdge, idx - 1);
}

/* A sample into its quantile state @q (made on first use), or with
 * @with_tags into @samples with its journey's @tag. */
static void
add_sample(CxListStore *st, CxQuantiles **q, CxSampleList *samples, CxTagList *tags,
           gboolean with_tags, gint64 usec, guint32 tag)
{
  if (!with_tags) {
    if (*q == NULL)
      *q = cx_quantiles_new();
    cx_quantiles_add_usec(*q, cx_transition_seconds(usec), usec);
    return;
  }
  cx_sample_list_add(st, samples, usec);
  cx_tag_list_add(st, tags, tag);
}

static inline void
add_quantile(CxQuantiles **q, double v)
{
  if (*q == NULL)
    *q = cx_quantiles_new();
  cx_quantiles_add(*q, v);
}

static inline void case_wait(CxTransitions *t, double *sum, guint *n, guint32 touched, double w);

/* Counts an occurrence of @ed in the current journey (@ref: its case and
 * tag), with the wait @us when @timed. */
static inline void
edge_hit(CxTransitions *t, CxTransitionsEdge *ed, const CxCaseRef *ref, gboolean timed, gint64 us)
{
  guint flags = t->flags;
  ed->count++;
  if (ed->last_seq != t->seq) {
    ed->last_seq = t->seq;
    ed->cases++;
    ed->case_sum = 0;
    ed->case_n = 0;
    if (flags & CX_TRANSITIONS_CASES)
      cx_transitions_add_ref(&ed->refs, *ref);
    if (flags & CX_TRANSITIONS_CASE_TAGS)
      cx_tag_list_add(t->store, &ed->case_tags, ref->case_id);
  }
  if (!timed)
    return;
  if (flags & CX_TRANSITIONS_WAITS)
    add_sample(t->store, &ed->waits, &ed->wait_samples, &ed->wait_tags,
               (flags & CX_TRANSITIONS_SAMPLE_CASES) != 0, us, ref->case_id);
  if (flags & CX_TRANSITIONS_CASE_MEANS)
    case_wait(t, &ed->case_sum, &ed->case_n, (guint32)(ed - (CxTransitionsEdge *)t->edges->data),
              cx_transition_seconds(us));
}

/* A wait of the current journey at an entry (CASE_MEANS): notes the entry
 * as touched on its first. */
static inline void
case_wait(CxTransitions *t, double *sum, guint *n, guint32 touched, double w)
{
  if ((*n)++ == 0)
    g_array_append_val(t->touched, touched);
  *sum += w;
}

/* Appends the mean wait of the current journey to each entry it waited at. */
static void
end_case_means(CxTransitions *t)
{
  for (guint i = 0; i < t->touched->len; i++) {
    guint32 k = g_array_index(t->touched, guint32, i);
    CxQuantiles **dst;
    double mean;
    if (k & TOUCHED_ACT) {
      CxTransitionsAct *a = &g_array_index(t->acts, CxTransitionsAct, k & ~TOUCHED_ACT);
      dst = &a->case_waits;
      mean = a->case_sum / a->case_n;
    } else {
      CxTransitionsEdge *e = &g_array_index(t->edges, CxTransitionsEdge, k);
      dst = &e->case_waits;
      mean = e->case_sum / e->case_n;
    }
    add_quantile(dst, mean);
  }
  g_array_set_size(t->touched, 0);
}

void
cx_transitions_add(CxTransitions *t, const CxJourney *j, guint32 tag)
{
  if (j->n_instances == 0)
    return;
  guint64 seq = ++t->seq;
  t->n_journeys++;
  t->n_instances += j->n_instances;
  guint flags = t->flags;
  gboolean cases = (flags & CX_TRANSITIONS_CASES) != 0;
  gboolean tags = (flags & CX_TRANSITIONS_SAMPLE_CASES) != 0;
  gboolean edges = (flags & CX_TRANSITIONS_EDGES) != 0;
  gboolean means = (flags & CX_TRANSITIONS_CASE_MEANS) != 0;
  gboolean arrivals = (flags & CX_TRANSITIONS_ARRIVALS) != 0;
  gboolean waits = (flags & (CX_TRANSITIONS_WAITS | CX_TRANSITIONS_ARRIVALS)) != 0;
  const CxCalendar *cal = cx_log_options(t->log)->calendar;
  CxCaseRef ref = { cases ? cx_case_ref_first(j) : 0, tag };
  const CxEvent *ev = j->instances;
  for (guint i = 0; i < j->n_instances; i++) {
    const CxEvent *e = &ev[i];
    CxTransitionsAct *a = cx_transitions_act_get(t, e->activity);
    a->count++;
    if (a->last_seq != seq) {
      a->last_seq = seq;
      a->cases++;
      a->case_sum = 0;
      a->case_n = 0;
      if (cases)
        cx_transitions_add_ref(&a->refs, ref);
      if (flags & CX_TRANSITIONS_CASE_TAGS)
        cx_tag_list_add(t->store, &a->case_tags, tag);
    }
    gint64 us;
    if ((flags & CX_TRANSITIONS_SERVICE) && cx_transition_service(cal, e, &us))
      add_sample(t->store, &a->service, &a->service_samples, &a->service_tags, tags, us, tag);
    if (i == 0)
      continue;
    const CxEvent *p = &ev[i - 1];
    gboolean timed = waits && cx_transition_wait(cal, p, e, &us);
    double w = timed ? cx_transition_seconds(us) : 0;
    if (timed && arrivals) {
      add_quantile(&a->arrivals, w);
      if (means)
        case_wait(t, &a->case_sum, &a->case_n, e->activity | TOUCHED_ACT, w);
    }
    if (edges)
      edge_hit(t, cx_transitions_edge_get(t, p->activity, e->activity), &ref, timed, us);
  }
  cx_transitions_act_get(t, ev[0].activity)->starts++;
  cx_transitions_act_get(t, ev[j->n_instances - 1].activity)->ends++;
  if (means)
    end_case_means(t);
}

void
cx_transitions_begin(CxTransitions *t)
{
  g_return_if_fail((t->flags & CX_TRANSITIONS_CASE_MEANS) == 0);
  t->seq++;
  t->n_journeys++;
}

void
cx_transitions_count(CxTransitions *t, guint32 from, guint32 to, gboolean timed, gint64 usec,
                     guint32 tag)
{
  g_return_if_fail(t->seq > 0);
  /* the case's first time is not known here: refs list in tag order */
  CxCaseRef ref = { 0, tag };
  edge_hit(t, cx_transitions_edge_get(t, from, to), &ref, timed, usec);
}

void
cx_transitions_merge(CxTransitions *dst, const CxTransitions *src)
{
  g_return_if_fail(dst->flags == src->flags);
  dst->n_journeys += src->n_journeys;
  dst->n_instances += src->n_instances;
  for (guint i = 0; i < src->acts->len; i++) {
    const CxTransitionsAct *s = &g_array_index(src->acts, CxTransitionsAct, i);
    if (s->count == 0 && s->starts == 0)
      continue;
    CxTransitionsAct *a = cx_transitions_act_get(dst, i);
    a->count += s->count;
    a->cases += s->cases;
    a->starts += s->starts;
    a->ends += s->ends;
    merge_quantiles(&a->service, s->service);
    cx_sample_list_append(dst->store, &a->service_samples, &s->service_samples);
    cx_tag_list_append(dst->store, &a->service_tags, &s->service_tags);
    append_samples(&a->refs, sizeof(CxCaseRef), s->refs);
    cx_tag_list_append(dst->store, &a->case_tags, &s->case_tags);
    merge_quantiles(&a->arrivals, s->arrivals);
    merge_quantiles(&a->case_waits, s->case_waits);
  }
  /* in src's order of first appearance: new pairs land where one pass
   * over both would have put them */
  for (guint i = 0; i < src->edges->len; i++) {
    const CxTransitionsEdge *s = &g_array_index(src->edges, CxTransitionsEdge, i);
    CxTransitionsEdge *e = cx_transitions_edge_get(dst, s->from, s->to);
    e->count += s->count;
    e->cases += s->cases;
    merge_quantiles(&e->waits, s->waits);
    cx_sample_list_append(dst->store, &e->wait_samples, &s->wait_samples);
    cx_tag_list_append(dst->store, &e->wait_tags, &s->wait_tags);
    append_samples(&e->refs, sizeof(CxCaseRef), s->refs);
    cx_tag_list_append(dst->store, &e->case_tags, &s->case_tags);
    merge_quantiles(&e->case_waits, s->case_waits);
  }
}
