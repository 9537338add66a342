/* Filters: the chain, applying it to each journey in order, the pre-pass
 * of the filters that need the whole log (parsing: filter-parse.c; counts
 * and explanations: filter-explain.c). */
#include "filter-internal.h"
#include "cxmine/timestamp.h"
#include <math.h>
#include <string.h>

void
cx_filter_node_free(Node *n)
{
  if (n == NULL)
    return;
  cx_filter_node_free(n->a);
  cx_filter_node_free(n->b);
  g_free(n);
}

void
cx_filter_free_one(gpointer p)
{
  Filter *f = p;
  g_free(f->name);
  g_free(f->from_s);
  g_free(f->to_s);
  cx_filter_node_free(f->expr);
  if (f->atoms != NULL)
    g_ptr_array_free(f->atoms, TRUE);
  g_free(f->a.name);
  g_free(f->b.name);
  if (f->pattern != NULL) {
    for (guint i = 0; i < f->pattern->len; i++)
      g_free(g_array_index(f->pattern, Elem, i).name);
    g_array_free(f->pattern, TRUE);
  }
  if (f->table != NULL)
    g_hash_table_destroy(f->table);
  if (f->order != NULL)
    g_ptr_array_free(f->order, TRUE);
  if (f->allowed != NULL)
    g_hash_table_destroy(f->allowed);
  if (f->ends != NULL)
    g_array_free(f->ends, TRUE);
  g_free(f);
}

CxFilterChain *
cx_filter_chain_new(void)
{
  CxFilterChain *c = g_new0(CxFilterChain, 1);
  c->filters = g_ptr_array_new_with_free_func(cx_filter_free_one);
  c->prepass = -1;
  for (guint i = 0; i < 2; i++) {
    c->buf[i] = g_array_new(FALSE, FALSE, sizeof(CxEvent));
    c->ibuf[i] = g_array_new(FALSE, FALSE, sizeof(guint32));
  }
  c->scratch = g_string_new(NULL);
  return c;
}

void
cx_filter_chain_free(CxFilterChain *c)
{
  if (c == NULL)
    return;
  g_ptr_array_free(c->filters, TRUE);
  for (guint i = 0; i < 2; i++) {
    g_array_free(c->buf[i], TRUE);
    g_array_free(c->ibuf[i], TRUE);
  }
  g_string_free(c->scratch, TRUE);
  g_free(c);
}

guint
cx_filter_chain_len(const CxFilterChain *c)
{
  return c != NULL ? c->filters->len : 0;
}

const char *
cx_filter_chain_name(const CxFilterChain *c, guint i)
{
  g_return_val_if_fail(c != NULL && i < c->filters->len, NULL);
  return ((Filter *)g_ptr_array_index(c->filters, i))->name;
}

const char *
cx_filter_chain_whole_log(const CxFilterChain *c)
{
  for (guint i = 0; c != NULL && i < c->filters->len; i++) {
    const Filter *f = g_ptr_array_index(c->filters, i);
    if (f->kind == F_SHARE || f->kind == F_TOP)
      return f->name;
  }
  return NULL;
}

void
cx_filter_chain_counts(const CxFilterChain *c, guint i, guint64 *cases_in, guint64 *cases_kept,
                       guint64 *events_in, guint64 *events_kept)
{
  g_return_if_fail(c != NULL && i < c->filters->len);
  const Filter *f = g_ptr_array_index(c->filters, i);
  if (cases_in != NULL)
    *cases_in = f->cases_in;
  if (cases_kept != NULL)
    *cases_kept = f->cases_kept;
  if (events_in != NULL)
    *events_in = f->events_in;
  if (events_kept != NULL)
    *events_kept = f->events_kept;
}

/* ---------- preparing ---------- */

static guint
slot_of(CxLog *log, guint32 key)
{
  for (guint i = 0; i < log->want_slots->len; i++)
    if (g_array_index(log->want_slots, guint32, i) == key)
      return i;
  g_array_append_val(log->want_slots, key);
  return log->want_slots->len - 1;
}

static gboolean
resolve_time(CxLog *log, const Filter *f, const char *s, gint64 *out, GError **error)
{
  *out = CX_TS_NONE;
  if (s == NULL || *s == '\0')
    return TRUE;
  if (cx_time_parse_iso(s, strlen(s), cx_log_display_tz(log), out, NULL))
    return TRUE;
  g_set_error(error, CX_FILTER_ERROR, CX_FILTER_ERROR_SYNTAX, "%s: '%s' is not a date", f->name, s);
  return FALSE;
}

gboolean
cx_filter_chain_prepare(CxFilterChain *c, CxLog *log, GError **error)
{
  if (c->prepared)
    return TRUE;
  const CxReadOptions *o = &log->opts;
  for (guint i = 0; i < c->filters->len; i++) {
    Filter *f = g_ptr_array_index(c->filters, i);
    if (f->kind == F_WINDOW) {
      if (f->mode == W_DEFAULT)
        f->mode = c->default_mode != W_DEFAULT ? c->default_mode : W_INTERSECTING;
      if (!resolve_time(log, f, f->from_s, &f->from, error)
          || !resolve_time(log, f, f->to_s, &f->to, error))
        return FALSE;
    }
    if (f->kind == F_STARTS || f->kind == F_ENDS)
      f->ends = g_array_new(FALSE, TRUE, sizeof(guint64));
    for (guint k = 0; f->atoms != NULL && k < f->atoms->len; k++) {
      Atom *a = g_ptr_array_index(f->atoms, k);
      a->cache = g_array_new(FALSE, TRUE, 1);
      a->tcache = g_array_new(FALSE, TRUE, 1);
      const char *key = a->key;
      gboolean xes_names = o->classifier == NULL && o->activity_key == NULL;
      if (strcmp(key, "activity") == 0 || (xes_names && strcmp(key, "concept:name") == 0))
        a->kind = K_ACTIVITY;
      else if (strcmp(key, "resource") == 0
               || (o->resource_key == NULL && strcmp(key, "org:resource") == 0))
        a->kind = K_RESOURCE;
      else if (strcmp(key, "channel") == 0)
        a->kind = K_CHANNEL;
      else if (strcmp(key, "case") == 0)
        a->kind = K_CASE;
      else
        a->kind = K_ATTR;
      /* a mapped field may be a trace attribute too (XES <trace> channel) */
      a->key_id = cx_pool_intern(log->keys, key, -1);
      if (a->kind == K_ATTR)
        a->slot = slot_of(log, a->key_id);
    }
  }
  c->prepared = TRUE;
  return TRUE;
}

void
cx_filter_chain_begin_scan(CxFilterChain *c, gboolean survey)
{
  c->surveyed = 0;
  for (guint i = 0; i < c->filters->len; i++) {
    Filter *f = g_ptr_array_index(c->filters, i);
    if (!survey)
      f->cases_in = f->cases_kept = f->events_in = f->events_kept = 0;
    f->alone = 0;
    f->tmin = f->dmin = f->wmin = G_MAXINT64;
    f->tmax = f->fmax = f->dmax = G_MININT64;
    if (f->kind != F_SHARE && f->kind != F_TOP)
      f->wmax = G_MININT64; /* theirs holds the best variant's count */
    f->smin = G_MAXUINT;
    f->smax = 0;
    f->with_a = f->with_pair = 0;
    if (f->ends != NULL)
      g_array_set_size(f->ends, 0);
    for (guint k = 0; f->atoms != NULL && k < f->atoms->len; k++)
      ((Atom *)g_ptr_array_index(f->atoms, k))->hits = 0;
    if (f->table != NULL && (int)i == c->prepass) {
      g_hash_table_remove_all(f->table);
      g_ptr_array_set_size(f->order, 0);
      f->counted = 0;
    }
  }
}

/* ---------- running ---------- */

static inline gint64
order_key(const CxEvent *e)
{
  return e->start != CX_TS_NONE ? e->start : e->time;
}

CxPool *
cx_filter_atom_pool(CxLog *log, const Atom *a)
{
  switch (a->kind) {
    case K_ACTIVITY:
      return log->activities;
    case K_RESOURCE:
      return log->resources;
    case K_CHANNEL:
      return log->channels;
    case K_CASE:
      return log->cases;
    default:
      return log->values;
  }
}

static gboolean
atom_test_string(const Atom *a, const char *s)
{
  double v;
  switch (a->op) {
    case A_EQ:
      return strcmp(s, a->value) == 0;
    case A_RE:
      return g_regex_match(a->re, s, 0, NULL);
    default:
      break;
  }
  if (!cx_filter_parse_number(s, &v))
    return FALSE;
  switch (a->op) {
    case A_LT:
      return v < a->num;
    case A_LE:
      return v <= a->num;
    case A_GT:
      return v > a->num;
    case A_GE:
      return v >= a->num;
    default:
      return (isnan(a->lo) || v >= a->lo) && (isnan(a->hi) || v <= a->hi);
  }
}

/* Whether the value @id (in the atom's pool) satisfies @a, cached per id. */
static inline gboolean
test_in(GArray *cache, CxPool *pool, const Atom *a, guint32 id)
{
  if (G_UNLIKELY(id >= cache->len))
    g_array_set_size(cache, MAX(id + 1, cache->len * 2));
  guint8 *c = &g_array_index(cache, guint8, id);
  if (G_UNLIKELY(*c == 0))
    *c = atom_test_string(a, cx_pool_get(pool, id)) ? 2 : 1;
  return *c == 2;
}

static inline gboolean
atom_test(CxLog *log, Atom *a, guint32 id)
{
  return test_in(a->cache, cx_filter_atom_pool(log, a), a, id);
}

/* A case attribute's value @id (values pool) against @a. */
static inline gboolean
atom_test_trace(CxLog *log, Atom *a, guint32 id)
{
  return a->kind == K_ATTR ? atom_test(log, a, id) : test_in(a->tcache, log->values, a, id);
}

static inline guint32
field_of(const Atom *a, const CxEvent *e)
{
  switch (a->kind) {
    case K_ACTIVITY:
      return e->activity;
    case K_RESOURCE:
      return e->resource;
    default:
      return e->channel;
  }
}

static inline guint32
event_value(const CxFilterJourney *j, guint i, guint slot)
{
  return j->vals[(gsize)j->idx[i] * j->nslots + slot];
}

static guint32
trace_value(const CxFilterJourney *j, guint32 key)
{
  for (guint i = 0; i < j->n_attrs; i++)
    if (j->attrs[i].key == key)
      return j->attrs[i].value;
  return G_MAXUINT32;
}

/* The journey's one value of @a (@first/@last): the case attribute, else
 * its first or last non-empty event value. */
static guint32
journey_value(const CxFilterJourney *j, const Atom *a)
{
  if (a->kind == K_CASE)
    return j->case_id;
  if (a->kind == K_ATTR) {
    guint32 v = trace_value(j, a->key_id);
    if (v != G_MAXUINT32)
      return v;
  }
  for (guint k = 0; k < j->n; k++) {
    guint i = a->pos == POS_LAST ? j->n - 1 - k : k;
    guint32 v = a->kind == K_ATTR ? event_value(j, i, a->slot) : field_of(a, &j->ev[i]);
    if (v != CX_ID_NONE)
      return v;
  }
  return CX_ID_NONE;
}

static gboolean
atom_case(CxLog *log, Atom *a, const CxFilterJourney *j)
{
  if (a->kind != K_ATTR && a->kind != K_CASE) {
    guint32 t = trace_value(j, a->key_id);
    if (t != G_MAXUINT32 && atom_test_trace(log, a, t))
      return TRUE;
  }
  if (a->kind == K_CASE || a->pos != POS_ANY)
    return atom_test(log, a, journey_value(j, a));
  if (a->kind == K_ATTR) {
    guint32 v = trace_value(j, a->key_id);
    if (v != G_MAXUINT32 && atom_test(log, a, v))
      return TRUE;
    for (guint i = 0; i < j->n; i++) {
      guint32 e = event_value(j, i, a->slot);
      if (e != CX_ID_NONE && atom_test(log, a, e))
        return TRUE;
    }
    return FALSE;
  }
  guint32 prev = G_MAXUINT32;
  for (guint i = 0; i < j->n; i++) {
    guint32 v = field_of(a, &j->ev[i]);
    if (v == prev || v == CX_ID_NONE)
      continue;
    if (atom_test(log, a, v))
      return TRUE;
    prev = v;
  }
  return FALSE;
}

static gboolean
atom_event(CxLog *log, Atom *a, const CxFilterJourney *j, guint i)
{
  if (a->kind == K_CASE || a->pos != POS_ANY)
    return atom_test(log, a, a->jval);
  if (a->kind != K_ATTR) {
    guint32 v = field_of(a, &j->ev[i]);
    if (v == CX_ID_NONE) {
      guint32 t = trace_value(j, a->key_id);
      if (t != G_MAXUINT32)
        return atom_test_trace(log, a, t);
    }
    return atom_test(log, a, v);
  }
  guint32 v = event_value(j, i, a->slot);
  if (v == CX_ID_NONE) {
    v = trace_value(j, a->key_id);
    if (v == G_MAXUINT32)
      v = CX_ID_NONE;
  }
  return atom_test(log, a, v);
}

/* @i: the event, or G_MAXUINT for the case */
static gboolean
eval(CxLog *log, const Node *n, const CxFilterJourney *j, guint i)
{
  switch (n->kind) {
    case N_AND:
      return eval(log, n->a, j, i) && eval(log, n->b, j, i);
    case N_OR:
      return eval(log, n->a, j, i) || eval(log, n->b, j, i);
    case N_NOT:
      return !eval(log, n->a, j, i);
    default: {
      gboolean r = i == G_MAXUINT ? atom_case(log, n->atom, j) : atom_event(log, n->atom, j, i);
      n->atom->hits += r;
      return r;
    }
  }
}

/* The activity id of @e's name, looked up until the log has it. */
static inline guint32
elem_id(CxLog *log, Elem *e)
{
  if (G_UNLIKELY(e->id == G_MAXUINT32) && e->name != NULL)
    e->id = cx_pool_lookup(log->activities, e->name, -1);
  return e->id;
}

static gboolean
pattern_match(const Elem *p, guint np, const CxEvent *in, guint n)
{
  /* iterative wildcard matching with one backtrack point */
  guint pi = 0, si = 0, star_p = G_MAXUINT, star_s = 0;
  while (si < n) {
    if (pi < np && !p[pi].any && (p[pi].name == NULL || p[pi].id == in[si].activity)) {
      pi++;
      si++;
    } else if (pi < np && p[pi].any) {
      star_p = pi++;
      star_s = si;
    } else if (star_p != G_MAXUINT) {
      pi = star_p + 1;
      si = ++star_s;
    } else {
      return FALSE;
    }
  }
  while (pi < np && p[pi].any)
    pi++;
  return pi == np;
}

/* Some A followed (directly, or later within f->within) by B. */
static gboolean
follows(const Filter *f, const CxEvent *in, guint n, guint32 a, guint32 b)
{
  for (guint i = 0; i < n; i++) {
    if (in[i].activity != a)
      continue;
    for (guint k = i + 1; k < n; k++) {
      if (f->within > 0) {
        gint64 ta = in[i].time, tb = order_key(&in[k]);
        if (ta == CX_TS_NONE || tb == CX_TS_NONE || tb - ta > f->within)
          break;
      }
      if (in[k].activity == b)
        return TRUE;
      if (f->direct)
        break;
    }
    if (!f->direct && f->within == 0)
      return FALSE; /* the first A saw every later event */
  }
  return FALSE;
}

static GBytes *
variant_key(const CxEvent *in, guint n)
{
  guint32 *ids = g_new(guint32, MAX(n, 1));
  for (guint i = 0; i < n; i++)
    ids[i] = in[i].activity;
  return g_bytes_new_take(ids, n * sizeof(guint32));
}

static void
variant_count(CxLog *log, Filter *f, const CxFilterJourney *j, gint64 first)
{
  if (f->table == NULL) {
    f->table = g_hash_table_new(g_bytes_hash, g_bytes_equal);
    f->order = g_ptr_array_new_with_free_func(g_free);
  }
  g_autoptr(GBytes) key = variant_key(j->inst, j->n_inst);
  VariantEntry *e = g_hash_table_lookup(f->table, key);
  f->counted++;
  if (e == NULL) {
    e = g_new0(VariantEntry, 1);
    e->key = g_bytes_ref(key);
    e->first = first;
    e->example = j->case_id;
    g_ptr_array_add(f->order, e);
    g_hash_table_insert(f->table, e->key, e);
  } else if (first < e->first
             || (first == e->first
                 && strcmp(cx_pool_get(log->cases, j->case_id), cx_pool_get(log->cases, e->example))
                        < 0)) {
    e->first = first;
    e->example = j->case_id;
  }
  e->count++;
}

static void
count_end(GArray *a, guint32 id)
{
  if (a->len <= id)
    g_array_set_size(a, MAX(id + 1, a->len * 2));
  g_array_index(a, guint64, id)++;
}

static const CxEvent *
events_buffer(CxFilterChain *c, guint n, guint32 **idx)
{
  int next = c->cur == 0 ? 1 : 0;
  g_array_set_size(c->buf[next], n);
  g_array_set_size(c->ibuf[next], n);
  *idx = (guint32 *)c->ibuf[next]->data;
  c->cur = next;
  return (const CxEvent *)c->buf[next]->data;
}

/* An event filter: keeps the events @keep marks (in c->scratch). */
static void
keep_events(CxFilterChain *c, CxFilterJourney *j, const guint8 *keep)
{
  guint kept = 0;
  for (guint i = 0; i < j->n; i++)
    kept += keep[i];
  if (kept == j->n)
    return;
  guint32 *idx;
  CxEvent *dst = (CxEvent *)events_buffer(c, kept, &idx);
  guint k = 0;
  for (guint i = 0; i < j->n; i++)
    if (keep[i]) {
      dst[k] = j->ev[i];
      idx[k] = j->idx != NULL ? j->idx[i] : i;
      k++;
    }
  j->raw -= j->n - kept;
  j->ev = dst;
  j->idx = j->nslots > 0 ? idx : NULL;
  j->n = kept;
  j->inst = NULL; /* stale */
}

static gboolean
in_window(const Filter *f, gint64 t)
{
  return t != CX_TS_NONE && (f->from == CX_TS_NONE || t >= f->from)
         && (f->to == CX_TS_NONE || t < f->to);
}

static gboolean
apply(CxFilterChain *c, CxLog *log, Filter *f, int index, CxFilterJourney *j, CxInstancesFunc make,
      gpointer data)
{
  if (f->kind == F_KEEP_EVENTS || (f->kind == F_WINDOW && f->mode == W_TRIM)) {
    g_string_set_size(c->scratch, j->n);
    guint8 *keep = (guint8 *)c->scratch->str;
    if (f->kind == F_WINDOW) {
      for (guint i = 0; i < j->n; i++) {
        const CxEvent *e = &j->ev[i];
        keep[i] = in_window(f, e->time) && (e->start == CX_TS_NONE || in_window(f, e->start));
        gint64 t = order_key(e);
        if (t != CX_TS_NONE) {
          f->tmin = MIN(f->tmin, t);
          f->tmax = MAX(f->tmax, e->time != CX_TS_NONE ? e->time : t);
        }
      }
    } else {
      for (guint k = 0; k < f->atoms->len; k++) {
        Atom *a = g_ptr_array_index(f->atoms, k);
        if (a->kind == K_CASE || a->pos != POS_ANY)
          a->jval = journey_value(j, a);
      }
      for (guint i = 0; i < j->n; i++)
        keep[i] = eval(log, f->expr, j, i);
    }
    keep_events(c, j, keep);
    return j->n > 0;
  }
  if (f->kind == F_WHERE)
    return eval(log, f->expr, j, G_MAXUINT);
  if (j->inst == NULL)
    j->inst = make(data, j->ev, j->n, &j->n_inst);
  const CxEvent *in = j->inst;
  guint n = j->n_inst;
  if (n == 0)
    return FALSE;
  CxJourney tmp = { 0 };
  tmp.instances = in;
  tmp.n_instances = n;
  switch (f->kind) {
    case F_WINDOW: {
      gint64 first = cx_journey_first_time(&tmp), last = cx_journey_last_time(&tmp);
      if (first == CX_TS_NONE)
        return FALSE;
      f->tmin = MIN(f->tmin, first);
      f->fmax = MAX(f->fmax, first);
      f->tmax = MAX(f->tmax, last);
      switch (f->mode) {
        case W_STARTED:
          return in_window(f, first);
        case W_COMPLETED:
          return in_window(f, last);
        case W_CONTAINED:
          return in_window(f, first) && in_window(f, last);
        default: /* intersecting */
          return (f->to == CX_TS_NONE || first < f->to)
                 && (f->from == CX_TS_NONE || last >= f->from);
      }
    }
    case F_DURATION: {
      gint64 d = cx_journey_duration(&tmp);
      if (d < 0)
        return FALSE;
      f->dmin = MIN(f->dmin, d);
      f->dmax = MAX(f->dmax, d);
      return d >= f->lo && d <= f->hi;
    }
    case F_STEPS:
      f->smin = MIN(f->smin, n);
      f->smax = MAX(f->smax, n);
      return (gint64)n >= f->lo && (gint64)n <= f->hi;
    case F_WAIT: {
      guint32 a = elem_id(log, &f->a), b = elem_id(log, &f->b);
      guint i = 0;
      while (i < n && in[i].activity != a)
        i++;
      if (i == n)
        return FALSE;
      f->with_a++;
      guint k = i + 1;
      while (k < n && in[k].activity != b)
        k++;
      if (k == n || in[i].time == CX_TS_NONE || order_key(&in[k]) == CX_TS_NONE)
        return FALSE;
      f->with_pair++;
      gint64 w = order_key(&in[k]) - in[i].time;
      f->wmin = MIN(f->wmin, w);
      f->wmax = MAX(f->wmax, w);
      return w >= f->lo && w <= f->hi;
    }
    case F_FOLLOWS: {
      guint32 a = elem_id(log, &f->a), b = elem_id(log, &f->b);
      gboolean has = a != G_MAXUINT32 && b != G_MAXUINT32 && follows(f, in, n, a, b);
      for (guint i = 0; i < n && a != G_MAXUINT32; i++)
        if (in[i].activity == a) {
          f->with_a++;
          break;
        }
      f->with_pair += has;
      return has != f->negate;
    }
    case F_VARIANT: {
      Elem *p = (Elem *)f->pattern->data;
      for (guint k = 0; k < f->pattern->len; k++)
        elem_id(log, &p[k]);
      return pattern_match(p, f->pattern->len, in, n);
    }
    case F_STARTS:
    case F_ENDS: {
      guint32 id = f->kind == F_STARTS ? in[0].activity : in[n - 1].activity;
      count_end(f->ends, id);
      return id == elem_id(log, &f->a);
    }
    case F_SHARE:
    case F_TOP: {
      if (c->prepass == index) {
        variant_count(log, f, j, cx_journey_first_time(&tmp));
        return FALSE;
      }
      if (f->allowed == NULL)
        return TRUE;
      g_autoptr(GBytes) key = variant_key(in, n);
      return g_hash_table_contains(f->allowed, key);
    }
    default:
      return TRUE;
  }
}

gboolean
cx_filter_chain_run(CxFilterChain *c, CxLog *log, CxFilterJourney *j, CxInstancesFunc make,
                    gpointer data)
{
  c->cur = -1;
  if (G_UNLIKELY(log->survey != NULL)) {
    /* explaining an empty result: what each filter keeps alone */
    c->surveyed++;
    for (guint i = 0; i < c->filters->len; i++) {
      CxFilterJourney copy = *j;
      Filter *f = g_ptr_array_index(c->filters, i);
      c->cur = -1;
      f->alone += apply(c, log, f, (int)i, &copy, make, data);
    }
    return FALSE;
  }
  for (guint i = 0; i < c->filters->len; i++) {
    Filter *f = g_ptr_array_index(c->filters, i);
    if (c->prepass >= 0 && (int)i > c->prepass)
      return FALSE;
    f->cases_in++;
    f->events_in += j->raw;
    if (!apply(c, log, f, (int)i, j, make, data))
      return FALSE;
    f->cases_kept++;
    f->events_kept += j->raw;
  }
  if (j->inst == NULL)
    j->inst = make(data, j->ev, j->n, &j->n_inst);
  return TRUE;
}

/* ---------- the pre-pass ---------- */

int
cx_filter_chain_pending(const CxFilterChain *c)
{
  for (guint i = 0; c != NULL && i < c->filters->len; i++) {
    const Filter *f = g_ptr_array_index(c->filters, i);
    if ((f->kind == F_SHARE || f->kind == F_TOP) && f->allowed == NULL)
      return (int)i;
  }
  return -1;
}

void
cx_filter_chain_set_prepass(CxFilterChain *c, int i)
{
  c->prepass = i;
}

static int
cmp_entry(gconstpointer pa, gconstpointer pb, gpointer cases)
{
  const VariantEntry *x = *(VariantEntry *const *)pa, *y = *(VariantEntry *const *)pb;
  if (x->count != y->count)
    return x->count > y->count ? -1 : 1;
  if (x->first != y->first)
    return x->first < y->first ? -1 : 1;
  return strcmp(cx_pool_get(cases, x->example), cx_pool_get(cases, y->example));
}

void
cx_filter_chain_decide(CxFilterChain *c, CxLog *log, int i)
{
  Filter *f = g_ptr_array_index(c->filters, (guint)i);
  f->allowed
      = g_hash_table_new_full(g_bytes_hash, g_bytes_equal, (GDestroyNotify)g_bytes_unref, NULL);
  if (f->order == NULL)
    return;
  g_ptr_array_sort_with_data(f->order, cmp_entry, log->cases);
  for (guint k = 0; k < f->order->len; k++) {
    VariantEntry *e = g_ptr_array_index(f->order, k);
    gboolean keep
        = f->kind == F_TOP ? k < f->top : (double)e->count >= f->share * (double)f->counted - 1e-9;
    if (keep)
      g_hash_table_add(f->allowed, g_bytes_ref(e->key));
  }
  /* the best share, for an empty result */
  f->wmax = f->order->len > 0 ? ((VariantEntry *)g_ptr_array_index(f->order, 0))->count : 0;
  g_hash_table_destroy(f->table);
  f->table = NULL;
  for (guint k = 0; k < f->order->len; k++)
    g_bytes_unref(((VariantEntry *)g_ptr_array_index(f->order, k))->key);
  g_ptr_array_set_size(f->order, 0);
}
