/* Where cxmine and PM4Py differ on purpose (docs/pm4py-differences.md):
 * lifecycle pairing, <global> defaults, classifiers, time zones, events
 * without timestamps or case ids, repeated case ids.
 *
 * Every expectation is computed independently of the code under test: from
 * the oracle files in ../shared/oracle, or from a separate pass over the XES
 * with libxml2's xmlTextReader and GLib's ISO-8601 parser (not cxmine's SAX2
 * reader, sink or timestamp parser); the exact numbers are also written out
 * (counted once more with a Python script when this test was written).
 * Skips (77) without ../shared. */
#include <check.h>
#include <libxml/xmlreader.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cxmine/cxmine.h"

static const char *shared;

/* ---------- an independent XES pass ---------- */

typedef struct {
  const char *name, *lifecycle, *resource, *channel; /* NULL when absent */
  gint64 time;                                       /* UTC µs, or CX_TS_NONE */
  guint idx;                                         /* position in the trace */
} REvent;

typedef struct {
  const char *case_id; /* NULL when absent */
  const char *segment; /* the fixture's trace attribute, NULL when absent */
  GArray *events;      /* REvent, in file order */
} RTrace;

typedef struct {
  GStringChunk *strings;
  GPtrArray *traces; /* RTrace* */
} RLog;

static void
rtrace_free(gpointer p)
{
  RTrace *t = p;
  g_array_free(t->events, TRUE);
  g_free(t);
}

static void
rlog_free(RLog *l)
{
  g_ptr_array_free(l->traces, TRUE);
  g_string_chunk_free(l->strings);
  g_free(l);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RLog, rlog_free)

static GTimeZone *utc;

static gint64
iso_usec(const char *v)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601(v, utc);
  /* no ck_assert in per-event code: Check records every call through a pipe */
  if (G_UNLIKELY(dt == NULL))
    ck_abort_msg("bad timestamp '%s'", v);
  return g_date_time_to_unix(dt) * CX_USEC_PER_SEC + g_date_time_get_microsecond(dt);
}

/* Reads the direct attributes of traces and events; nothing else. */
static RLog *
rlog_load(const char *path)
{
  xmlTextReaderPtr rd = xmlReaderForFile(path, NULL, XML_PARSE_NONET);
  ck_assert_msg(rd != NULL, "cannot open %s", path);
  RLog *l = g_new0(RLog, 1);
  l->strings = g_string_chunk_new(1 << 20);
  l->traces = g_ptr_array_new_with_free_func(rtrace_free);
  RTrace *tr = NULL;
  REvent ev;
  gboolean in_event = FALSE;
  int ret;
  while ((ret = xmlTextReaderRead(rd)) == 1) {
    int type = xmlTextReaderNodeType(rd);
    int depth = xmlTextReaderDepth(rd);
    const char *local = (const char *)xmlTextReaderConstLocalName(rd);
    if (type == XML_READER_TYPE_END_ELEMENT) {
      if (depth == 2 && in_event && strcmp(local, "event") == 0) {
        g_array_append_val(tr->events, ev);
        in_event = FALSE;
      } else if (depth == 1 && tr != NULL && strcmp(local, "trace") == 0) {
        g_ptr_array_add(l->traces, tr);
        tr = NULL;
      }
      continue;
    }
    if (type != XML_READER_TYPE_ELEMENT)
      continue;
    gboolean empty = xmlTextReaderIsEmptyElement(rd) == 1;
    if (depth == 1 && strcmp(local, "trace") == 0) {
      tr = g_new0(RTrace, 1);
      tr->events = g_array_new(FALSE, FALSE, sizeof(REvent));
      if (empty) {
        g_ptr_array_add(l->traces, tr);
        tr = NULL;
      }
      continue;
    }
    if (depth == 2 && tr != NULL && strcmp(local, "event") == 0) {
      memset(&ev, 0, sizeof ev);
      ev.time = CX_TS_NONE;
      ev.idx = tr->events->len;
      in_event = !empty;
      if (empty)
        g_array_append_val(tr->events, ev);
      continue;
    }
    if ((depth == 2 && tr != NULL) || (depth == 3 && in_event)) {
      xmlChar *k = xmlTextReaderGetAttribute(rd, BAD_CAST "key");
      xmlChar *v = xmlTextReaderGetAttribute(rd, BAD_CAST "value");
      if (k != NULL && v != NULL) {
        const char *key = (const char *)k;
        const char *val = g_string_chunk_insert_const(l->strings, (const char *)v);
        if (depth == 2 && strcmp(key, "concept:name") == 0)
          tr->case_id = val;
        else if (depth == 2 && strcmp(key, "segment") == 0)
          tr->segment = val;
        else if (depth == 3 && strcmp(key, "concept:name") == 0)
          ev.name = val;
        else if (depth == 3 && strcmp(key, "lifecycle:transition") == 0)
          ev.lifecycle = val;
        else if (depth == 3 && strcmp(key, "org:resource") == 0)
          ev.resource = val;
        else if (depth == 3 && strcmp(key, "channel") == 0)
          ev.channel = val;
        else if (depth == 3 && strcmp(key, "time:timestamp") == 0)
          ev.time = iso_usec(val);
      }
      xmlFree(k);
      xmlFree(v);
    }
  }
  xmlFreeTextReader(rd);
  ck_assert_msg(ret == 0, "%s: XML error", path);
  return l;
}

static RLog *
rlog_data(const char *file)
{
  g_autofree char *path = g_build_filename(shared, "data", file, NULL);
  return rlog_load(path);
}

static int
cmp_time(gconstpointer a, gconstpointer b)
{
  const REvent *x = a, *y = b;
  if (x->time != y->time)
    return x->time < y->time ? -1 : 1;
  return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* Sorts every trace by time, ties in file order (all events must be timed). */
static void
rlog_sort(RLog *l)
{
  for (guint i = 0; i < l->traces->len; i++) {
    RTrace *t = g_ptr_array_index(l->traces, i);
    for (guint j = 0; j < t->events->len; j++)
      if (G_UNLIKELY(g_array_index(t->events, REvent, j).time == CX_TS_NONE))
        ck_abort_msg("an untimed event in trace %u", i);
    g_array_sort(t->events, cmp_time);
  }
}

static guint
rlog_n_events(const RLog *l)
{
  guint n = 0;
  for (guint i = 0; i < l->traces->len; i++)
    n += ((RTrace *)g_ptr_array_index(l->traces, i))->events->len;
  return n;
}

/* 'S'tart, 'C'omplete (also: none), 'O'ther */
static char
transition(const REvent *e)
{
  if (e->lifecycle == NULL || g_ascii_strcasecmp(e->lifecycle, "complete") == 0)
    return 'C';
  return g_ascii_strcasecmp(e->lifecycle, "start") == 0 ? 'S' : 'O';
}

/* ---------- counting helpers ---------- */

static void
count_add(GHashTable *h, const char *key, guint n)
{
  gpointer old = g_hash_table_lookup(h, key);
  g_hash_table_replace(h, g_strdup(key), GUINT_TO_POINTER(GPOINTER_TO_UINT(old) + n));
}

static guint
count_get(GHashTable *h, const char *key)
{
  return GPOINTER_TO_UINT(g_hash_table_lookup(h, key));
}

static GHashTable *
counter_new(void)
{
  return g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
}

static void
edge_add(GHashTable *dfg, const char *from, const char *to)
{
  g_autofree char *k = g_strconcat(from, "\x1f", to, NULL);
  count_add(dfg, k, 1);
}

/* Sums the counts of A->A edges. */
static guint
self_loops(GHashTable *dfg)
{
  GHashTableIter it;
  gpointer k, v;
  guint n = 0;
  g_hash_table_iter_init(&it, dfg);
  while (g_hash_table_iter_next(&it, &k, &v)) {
    const char *sep = strchr(k, '\x1f');
    gsize len = (gsize)(sep - (const char *)k);
    if (strlen(sep + 1) == len && strncmp(k, sep + 1, len) == 0)
      n += GPOINTER_TO_UINT(v);
  }
  return n;
}

/* ---------- the oracle's JSON lines (flat objects, few escapes) ---------- */

static char *
json_str(const char *line, const char *key)
{
  g_autofree char *pat = g_strdup_printf("\"%s\": \"", key);
  const char *s = strstr(line, pat);
  ck_assert_msg(s != NULL, "no %s in %s", key, line);
  s += strlen(pat);
  GString *out = g_string_new(NULL);
  for (; *s != '"' && *s != '\0'; s++) {
    if (*s == '\\' && s[1] == 'u') {
      char hex[5] = { s[2], s[3], s[4], s[5], 0 };
      g_string_append_unichar(out, (gunichar)g_ascii_strtoull(hex, NULL, 16));
      s += 5;
    } else if (*s == '\\') {
      g_string_append_c(out, *++s);
    } else {
      g_string_append_c(out, *s);
    }
  }
  return g_string_free(out, FALSE);
}

static double
json_num(const char *line, const char *key)
{
  g_autofree char *pat = g_strdup_printf("\"%s\": ", key);
  const char *s = strstr(line, pat);
  ck_assert_msg(s != NULL, "no %s in %s", key, line);
  return g_ascii_strtod(s + strlen(pat), NULL);
}

static char **
oracle_lines(const char *file)
{
  g_autofree char *path = g_build_filename(shared, "oracle", file, NULL);
  g_autofree char *text = NULL;
  ck_assert_msg(g_file_get_contents(path, &text, NULL, NULL), "cannot read %s", path);
  char **lines = g_strsplit(g_strchomp(text), "\n", -1);
  return lines;
}

/* NAME.dfg.json as "from\x1fto" -> count. */
static GHashTable *
oracle_dfg(const char *name)
{
  g_autofree char *file = g_strdup_printf("%s.dfg.json", name);
  g_auto(GStrv) lines = oracle_lines(file);
  GHashTable *h = counter_new();
  for (char **l = lines; *l != NULL; l++) {
    g_autofree char *from = json_str(*l, "from");
    g_autofree char *to = json_str(*l, "to");
    g_autofree char *k = g_strconcat(from, "\x1f", to, NULL);
    count_add(h, k, (guint)json_num(*l, "count"));
  }
  return h;
}

/* ---------- cxmine ---------- */

typedef struct {
  CxLog *log;
  CxDfg *dfg;
  CxVariants *variants;
  GHashTable *resources; /* name -> events */
  GHashTable *channels;  /* name -> events */
  GHashTable *journeys;  /* case id -> "A,B,C" of its instances */
  GHashTable *segments;  /* case id -> the trace attribute "segment" */
} Run;

static gboolean
collect(const CxJourney *j, gpointer data, GError **error)
{
  Run *r = data;
  if (!cx_dfg_add(j, r->dfg, error) || !cx_variants_add(j, r->variants, error))
    return FALSE;
  const char *case_id = cx_pool_get(cx_log_cases(r->log), j->case_id);
  GString *seq = g_string_new(NULL);
  for (guint i = 0; i < j->n_instances; i++) {
    const CxEvent *e = &j->instances[i];
    count_add(r->resources, cx_pool_get(cx_log_resources(r->log), e->resource), 1);
    count_add(r->channels, cx_pool_get(cx_log_channels(r->log), e->channel), 1);
    g_string_append_printf(seq, "%s%s", i > 0 ? "," : "",
                           cx_pool_get(cx_log_activities(r->log), e->activity));
  }
  g_hash_table_replace(r->journeys, g_strdup(case_id), g_string_free(seq, FALSE));
  guint32 seg = cx_pool_lookup(cx_log_keys(r->log), "segment", -1);
  for (guint i = 0; i < j->n_attrs; i++)
    if (j->attrs[i].key == seg)
      g_hash_table_replace(r->segments, g_strdup(case_id),
                           g_strdup(cx_pool_get(cx_log_values(r->log), j->attrs[i].value)));
  return TRUE;
}

static void
reset(gpointer data)
{
  Run *r = data;
  cx_dfg_reset(r->dfg);
  cx_variants_reset(r->variants);
  g_hash_table_remove_all(r->resources);
  g_hash_table_remove_all(r->channels);
  g_hash_table_remove_all(r->journeys);
  g_hash_table_remove_all(r->segments);
}

static void
run_free(Run *r)
{
  cx_variants_free(r->variants);
  cx_dfg_free(r->dfg);
  cx_log_free(r->log);
  g_hash_table_unref(r->resources);
  g_hash_table_unref(r->channels);
  g_hash_table_unref(r->journeys);
  g_hash_table_unref(r->segments);
  g_free(r);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Run, run_free)

static Run *
run_path(const char *path, CxLifecycleMode mode, const char *classifier)
{
  Run *r = g_new0(Run, 1);
  r->log = cx_log_new();
  CxReadOptions *o = cx_log_options(r->log);
  o->lifecycle = mode;
  o->classifier = g_strdup(classifier);
  cx_log_add_source(r->log, path, CX_FORMAT_AUTO, NULL);
  r->dfg = cx_dfg_new(r->log);
  r->variants = cx_variants_new(r->log);
  r->resources = counter_new();
  r->channels = counter_new();
  r->journeys = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  r->segments = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GError) error = NULL;
  ck_assert_msg(cx_log_scan(r->log, collect, reset, r, &error), "%s: %s", path,
                error != NULL ? error->message : "?");
  return r;
}

static Run *
run_data(const char *file, CxLifecycleMode mode, const char *classifier)
{
  g_autofree char *path = g_build_filename(shared, "data", file, NULL);
  return run_path(path, mode, classifier);
}

/* Our graph as "from\x1fto" -> count. */
static GHashTable *
our_dfg(Run *r)
{
  GHashTable *h = counter_new();
  guint n;
  const CxDfgEdge *e = cx_dfg_edges(r->dfg, &n);
  CxPool *acts = cx_log_activities(r->log);
  for (guint i = 0; i < n; i++) {
    g_autofree char *k
        = g_strconcat(cx_pool_get(acts, e[i].from), "\x1f", cx_pool_get(acts, e[i].to), NULL);
    count_add(h, k, (guint)e[i].count);
  }
  return h;
}

static void
assert_same_dfg(GHashTable *a, GHashTable *b, const char *what)
{
  ck_assert_msg(g_hash_table_size(a) == g_hash_table_size(b), "%s: %u vs %u edges", what,
                g_hash_table_size(a), g_hash_table_size(b));
  GHashTableIter it;
  gpointer k, v;
  g_hash_table_iter_init(&it, a);
  while (g_hash_table_iter_next(&it, &k, &v))
    ck_assert_msg(count_get(b, k) == GPOINTER_TO_UINT(v), "%s: edge %s: %u vs %u", what,
                  (const char *)k, GPOINTER_TO_UINT(v), count_get(b, k));
}

/* ---------- 1. lifecycle pairing ---------- */

typedef struct {
  const char *name;
  guint cases, events;      /* raw */
  guint instances, dropped; /* ours, lifecycle auto */
  guint pairs, open_starts, lone_completes;
  guint pm4py_self, our_self;   /* A->A occurrences */
  guint pm4py_edges, our_edges; /* distinct edges */
} LifecycleSpec;

static const LifecycleSpec lifecycle_specs[] = {
  { "repair_example", 1104, 11855, 7734, 0, 4121, 1, 3612, 3477, 0, 23, 19 },
  { "teleclaims", 3512, 46138, 24825, 0, 21313, 0, 3512, 21313, 0, 30, 20 },
  { "bpic2012", 13087, 262200, 164510, 26317, 71373, 3, 82841, 105776, 45984, 125, 101 },
};

/* Independently: instances of each case as cxmine's auto mode defines them
 * (a case with a start event pairs start/complete FIFO per activity, placed
 * at the start, other transitions dropped; else every event), and PM4Py's
 * DFG (every event). */
typedef struct {
  guint instances, dropped, pairs, open_starts, lone_completes, start_complete_adjacent;
  GHashTable *paired_dfg, *all_dfg;
} Expect;

static void
expect_lifecycle(RLog *l, Expect *x)
{
  memset(x, 0, sizeof *x);
  x->paired_dfg = counter_new();
  x->all_dfg = counter_new();
  for (guint i = 0; i < l->traces->len; i++) {
    RTrace *t = g_ptr_array_index(l->traces, i);
    const REvent *ev = (const REvent *)t->events->data;
    guint n = t->events->len;
    gboolean has_start = FALSE;
    for (guint j = 0; j < n; j++) {
      has_start |= transition(&ev[j]) == 'S';
      if (j > 0) {
        edge_add(x->all_dfg, ev[j - 1].name, ev[j].name);
        if (strcmp(ev[j - 1].name, ev[j].name) == 0 && transition(&ev[j - 1]) == 'S'
            && transition(&ev[j]) == 'C')
          x->start_complete_adjacent++;
      }
    }
    g_autoptr(GPtrArray) seq = g_ptr_array_new();
    g_autoptr(GPtrArray) open = g_ptr_array_new(); /* names of unmatched starts, FIFO */
    for (guint j = 0; j < n; j++) {
      char tr = has_start ? transition(&ev[j]) : 'C';
      if (tr == 'O') {
        x->dropped++;
      } else if (tr == 'S') {
        g_ptr_array_add(seq, (gpointer)ev[j].name);
        g_ptr_array_add(open, (gpointer)ev[j].name);
      } else {
        guint k;
        for (k = 0; k < open->len; k++)
          if (strcmp(g_ptr_array_index(open, k), ev[j].name) == 0)
            break;
        if (k < open->len) {
          g_ptr_array_remove_index(open, k);
          x->pairs++;
        } else {
          g_ptr_array_add(seq, (gpointer)ev[j].name);
          if (has_start)
            x->lone_completes++;
        }
      }
    }
    x->open_starts += open->len;
    x->instances += seq->len;
    for (guint j = 1; j < seq->len; j++)
      edge_add(x->paired_dfg, g_ptr_array_index(seq, j - 1), g_ptr_array_index(seq, j));
  }
}

START_TEST(test_lifecycle_pairing)
{
  const LifecycleSpec *s = &lifecycle_specs[_i];
  g_autofree char *file = g_strdup_printf("%s.xes.gz", s->name);
  g_autoptr(RLog) raw = rlog_data(file);
  ck_assert_uint_eq(raw->traces->len, s->cases);
  ck_assert_uint_eq(rlog_n_events(raw), s->events);
  rlog_sort(raw);
  Expect x;
  expect_lifecycle(raw, &x);
  g_autoptr(GHashTable) pm4py = oracle_dfg(s->name);

  /* the independent pass reproduces PM4Py, and its numbers are the ones above */
  assert_same_dfg(x.all_dfg, pm4py, "independent vs pm4py");
  ck_assert_uint_eq(x.instances, s->instances);
  ck_assert_uint_eq(x.dropped, s->dropped);
  ck_assert_uint_eq(x.pairs, s->pairs);
  ck_assert_uint_eq(x.open_starts, s->open_starts);
  ck_assert_uint_eq(x.lone_completes, s->lone_completes);
  ck_assert_uint_eq(self_loops(pm4py), s->pm4py_self);
  ck_assert_uint_eq(self_loops(x.paired_dfg), s->our_self);
  ck_assert_uint_eq(g_hash_table_size(pm4py), s->pm4py_edges);
  ck_assert_uint_eq(g_hash_table_size(x.paired_dfg), s->our_edges);

  /* default mode: paired instances */
  g_autoptr(Run) ours = run_data(file, CX_LIFECYCLE_MODE_AUTO, NULL);
  const CxReadCounts *c = cx_log_counts(ours->log);
  ck_assert_uint_eq(c->cases_kept, s->cases);
  ck_assert_uint_eq(c->events_read, s->events);
  ck_assert_uint_eq(cx_dfg_n_events(ours->dfg), s->instances);
  ck_assert_uint_eq(c->lifecycle_dropped, s->dropped);
  g_autoptr(GHashTable) paired = our_dfg(ours);
  assert_same_dfg(paired, x.paired_dfg, "auto vs independent pairing");
  ck_assert_uint_eq(self_loops(paired), s->our_self);
  /* every start becomes an instance with a service time: a pair gives
   * complete - start, a start never completed gives 0 */
  guint nn;
  const CxDfgNode *nodes = cx_dfg_nodes(ours->dfg, &nn);
  guint64 services = 0;
  for (guint i = 0; i < nn; i++)
    services += nodes[i].service.n;
  ck_assert_uint_eq(services, s->pairs + s->open_starts);

  /* on repair and teleclaims every PM4Py self-loop is a start followed by
   * its complete; on bpic2012 some are repeated start/complete sessions of
   * one work item and stay */
  if (s->our_self == 0)
    ck_assert_uint_eq(s->pm4py_self, x.start_complete_adjacent);
  else
    ck_assert_uint_gt(s->pm4py_self - s->our_self, 0);

  /* --lifecycle all: PM4Py's graph exactly, no service times */
  g_autoptr(Run) all = run_data(file, CX_LIFECYCLE_MODE_ALL, NULL);
  g_autoptr(GHashTable) every = our_dfg(all);
  assert_same_dfg(every, pm4py, "all vs pm4py");
  ck_assert_uint_eq(cx_dfg_n_events(all->dfg), s->events);
  ck_assert_uint_eq(cx_log_counts(all->log)->lifecycle_dropped, 0);
  nodes = cx_dfg_nodes(all->dfg, &nn);
  for (guint i = 0; i < nn; i++)
    ck_assert_uint_eq(nodes[i].service.n, 0);

  g_hash_table_unref(x.paired_dfg);
  g_hash_table_unref(x.all_dfg);
}
END_TEST

/* ---------- 2. <global> defaults ---------- */

START_TEST(test_globals)
{
  const char *root = g_getenv("CX_SOURCE_ROOT");
  ck_assert_ptr_nonnull(root);
  g_autofree char *path = g_build_filename(root, "fixtures", "xes", "globals-default.xes", NULL);

  /* as PM4Py sees it: only the attributes written on each event */
  g_autoptr(RLog) raw = rlog_load(path);
  g_autoptr(GHashTable) res = counter_new();
  guint no_res = 0, no_name = 0, no_time = 0, no_channel = 0, no_segment = 0;
  for (guint i = 0; i < raw->traces->len; i++) {
    RTrace *t = g_ptr_array_index(raw->traces, i);
    no_segment += t->segment == NULL;
    for (guint j = 0; j < t->events->len; j++) {
      const REvent *e = &g_array_index(t->events, REvent, j);
      if (e->resource != NULL)
        count_add(res, e->resource, 1);
      no_res += e->resource == NULL;
      no_name += e->name == NULL;
      no_time += e->time == CX_TS_NONE;
      no_channel += e->channel == NULL;
    }
  }
  ck_assert_uint_eq(rlog_n_events(raw), 8);
  ck_assert_uint_eq(count_get(res, "ann"), 3);
  ck_assert_uint_eq(count_get(res, "bob"), 3);
  ck_assert_uint_eq(count_get(res, "UNKNOWN"), 0);
  ck_assert_uint_eq(no_res, 2);
  ck_assert_uint_eq(no_name, 1);
  ck_assert_uint_eq(no_time, 1);
  ck_assert_uint_eq(no_channel, 7);
  ck_assert_uint_eq(no_segment, 2);

  g_autoptr(Run) ours = run_path(path, CX_LIFECYCLE_MODE_AUTO, NULL);
  const CxReadCounts *c = cx_log_counts(ours->log);
  /* event globals fill resource, channel and activity... */
  ck_assert_uint_eq(count_get(ours->resources, "ann"), 3);
  ck_assert_uint_eq(count_get(ours->resources, "bob"), 3);
  ck_assert_uint_eq(count_get(ours->resources, "UNKNOWN"), no_res);
  ck_assert_uint_eq(count_get(ours->resources, ""), 0);
  ck_assert_uint_eq(count_get(ours->channels, "web"), no_channel);
  ck_assert_uint_eq(count_get(ours->channels, "phone"), 1);
  ck_assert_uint_eq(c->no_activity, 0); /* PM4Py drops that event */
  ck_assert_str_eq(g_hash_table_lookup(ours->journeys, "c2"), "A,__INVALID__,C");
  /* ...but never the timestamp: the event is kept untimed (PM4Py drops it) */
  ck_assert_uint_eq(c->no_timestamp, no_time);
  ck_assert_str_eq(g_hash_table_lookup(ours->journeys, "c3"), "A,C");
  ck_assert_uint_eq(c->events_kept, 8);
  ck_assert_uint_eq(c->cases_kept, 3);
  /* trace globals fill trace attributes */
  ck_assert_str_eq(g_hash_table_lookup(ours->segments, "c1"), "retail");
  ck_assert_str_eq(g_hash_table_lookup(ours->segments, "c2"), "business");
  ck_assert_str_eq(g_hash_table_lookup(ours->segments, "c3"), "retail");
}
END_TEST

/* ---------- 3. classifiers ---------- */

typedef struct {
  const char *name;
  guint classes_name, classes_classifier;
  guint variants_name, variants_classifier;
} ClassifierSpec;

static const ClassifierSpec classifier_specs[] = {
  { "bpic2012", 24, 36, 4366, 4366 },
  { "bpic2013_incidents", 4, 13, 1511, 2278 },
  { "bpic2013_closed_problems", 4, 7, 183, 327 },
};

static guint
distinct(GHashTable *h)
{
  return g_hash_table_size(h);
}

START_TEST(test_classifier)
{
  const ClassifierSpec *s = &classifier_specs[_i];
  g_autofree char *file = g_strdup_printf("%s.xes.gz", s->name);
  g_autoptr(RLog) raw = rlog_data(file);
  rlog_sort(raw);
  g_autoptr(GHashTable) cls1 = counter_new();
  g_autoptr(GHashTable) cls2 = counter_new();
  g_autoptr(GHashTable) var1 = counter_new();
  g_autoptr(GHashTable) var2 = counter_new();
  for (guint i = 0; i < raw->traces->len; i++) {
    RTrace *t = g_ptr_array_index(raw->traces, i);
    g_autoptr(GString) v1 = g_string_new(NULL);
    g_autoptr(GString) v2 = g_string_new(NULL);
    for (guint j = 0; j < t->events->len; j++) {
      const REvent *e = &g_array_index(t->events, REvent, j);
      if (G_UNLIKELY(e->lifecycle == NULL))
        ck_abort_msg("%s: an event without lifecycle:transition", s->name);
      g_autofree char *both = g_strconcat(e->name, "+", e->lifecycle, NULL);
      count_add(cls1, e->name, 1);
      count_add(cls2, both, 1);
      g_string_append_printf(v1, "%s\x1f", e->name);
      g_string_append_printf(v2, "%s\x1f", both);
    }
    count_add(var1, v1->str, 1);
    count_add(var2, v2->str, 1);
  }
  ck_assert_uint_eq(distinct(cls1), s->classes_name);
  ck_assert_uint_eq(distinct(cls2), s->classes_classifier);
  ck_assert_uint_eq(distinct(var1), s->variants_name);
  ck_assert_uint_eq(distinct(var2), s->variants_classifier);
  g_autofree char *vfile = g_strdup_printf("%s.variants.json", s->name);
  g_auto(GStrv) pm4py_variants = oracle_lines(vfile);
  ck_assert_uint_eq(g_strv_length(pm4py_variants), s->variants_name);

  g_autoptr(Run) by_name = run_data(file, CX_LIFECYCLE_MODE_ALL, NULL);
  g_autoptr(Run) by_cls = run_data(file, CX_LIFECYCLE_MODE_ALL, "Activity classifier");
  guint nn, nv;
  cx_dfg_nodes(by_name->dfg, &nn);
  ck_assert_uint_eq(nn, s->classes_name);
  cx_variants_sorted(by_name->variants, &nv);
  ck_assert_uint_eq(nv, s->variants_name);
  const CxDfgNode *nodes = cx_dfg_nodes(by_cls->dfg, &nn);
  ck_assert_uint_eq(nn, s->classes_classifier);
  CxPool *acts = cx_log_activities(by_cls->log);
  for (guint i = 0; i < nn; i++) {
    const char *a = cx_pool_get(acts, nodes[i].activity);
    ck_assert_msg(count_get(cls2, a) == nodes[i].count, "%s: %s: %u vs %" G_GUINT64_FORMAT, s->name,
                  a, count_get(cls2, a), nodes[i].count);
  }
  cx_variants_sorted(by_cls->variants, &nv);
  ck_assert_uint_eq(nv, s->variants_classifier);
}
END_TEST

/* ---------- 4. time zones ---------- */

typedef struct {
  const char *name, *file;
  guint edges, shifted; /* edges; edges whose PM4Py mean is off by whole hours */
} TzSpec;

static const TzSpec tz_specs[] = {
  { "bpic2012", "bpic2012.xes.gz", 125, 10 },
  { "receipt", "receipt.xes.gz", 99, 12 },
  { "sepsis_cases", "sepsis_cases.xes.gz", 115, 15 },
  { "road_traffic_fine_management", "road_traffic_fine_management.xes.gz", 70, 55 },
};

static const CxDfgEdge *
edge_named(Run *r, const char *from, const char *to)
{
  CxPool *acts = cx_log_activities(r->log);
  guint32 f = cx_pool_lookup(acts, from, -1), t = cx_pool_lookup(acts, to, -1);
  ck_assert_msg(f != G_MAXUINT32 && t != G_MAXUINT32, "no %s -> %s", from, to);
  int i = cx_dfg_find_edge(r->dfg, f, t);
  ck_assert_int_ge(i, 0);
  guint n;
  return &cx_dfg_edges(r->dfg, &n)[i];
}

static gboolean
close_rel(double a, double b)
{
  return fabs(a - b) <= 1e-6 * MAX(1.0, MAX(fabs(a), fabs(b)));
}

START_TEST(test_time_zones)
{
  const TzSpec *s = &tz_specs[_i];
  g_autoptr(Run) ours = run_data(s->file, CX_LIFECYCLE_MODE_ALL, NULL);
  g_autofree char *fixed_file = g_strdup_printf("%s.utcfix.perf.json", s->name);
  g_autofree char *naive_file = g_strdup_printf("%s.perf.json", s->name);
  g_auto(GStrv) fixed = oracle_lines(fixed_file);
  g_auto(GStrv) naive = oracle_lines(naive_file);
  ck_assert_uint_eq(g_strv_length(fixed), s->edges);
  ck_assert_uint_eq(g_strv_length(naive), s->edges);

  for (char **l = fixed; *l != NULL; l++) {
    g_autofree char *from = json_str(*l, "from");
    g_autofree char *to = json_str(*l, "to");
    const CxDfgEdge *e = edge_named(ours, from, to);
    ck_assert_msg(close_rel(e->wait.mean, json_num(*l, "mean_s")), "%s -> %s: %.9g vs %s", from, to,
                  e->wait.mean, *l);
    ck_assert(close_rel(e->wait.total, json_num(*l, "sum_s")));
  }
  guint shifted = 0, hour_extremes = 0;
  for (char **l = naive; *l != NULL; l++) {
    g_autofree char *from = json_str(*l, "from");
    g_autofree char *to = json_str(*l, "to");
    const CxDfgEdge *e = edge_named(ours, from, to);
    if (close_rel(e->wait.mean, json_num(*l, "mean_s"))) {
      ck_assert(close_rel(e->wait.total, json_num(*l, "sum_s")));
      continue;
    }
    shifted++;
    /* PM4Py's wall-clock waits are off by whole hours: the DST hour */
    double hours = (json_num(*l, "sum_s") - e->wait.total) / 3600.0;
    ck_assert_msg(fabs(hours - round(hours)) < 1e-6 && round(hours) != 0, "%s -> %s: %.9g h", from,
                  to, hours);
    hour_extremes += fabs(fabs(json_num(*l, "min_s") - e->wait.min) - 3600.0) < 1e-6
                     || fabs(fabs(json_num(*l, "max_s") - e->wait.max) - 3600.0) < 1e-6;
  }
  ck_assert_uint_eq(shifted, s->shifted);
  ck_assert_uint_gt(hour_extremes, 0);
}
END_TEST

/* ---------- 5. events without timestamps (and without case ids) ---------- */

START_TEST(test_no_timestamps)
{
  g_autoptr(RLog) raw = rlog_data("roadtraffic_1t_per_variant_no_timestamps.xes.gz");
  g_autoptr(RLog) timed = rlog_data("roadtraffic_1t_per_variant.xes.gz");
  ck_assert_uint_eq(raw->traces->len, 231);
  ck_assert_uint_eq(rlog_n_events(raw), 1891);
  /* the same log: equal activity sequences in file order, trace by trace,
   * and the timed copy is in time order in the file */
  ck_assert_uint_eq(timed->traces->len, 231);
  guint no_case = 0, untimed = 0;
  for (guint i = 0; i < raw->traces->len; i++) {
    RTrace *a = g_ptr_array_index(raw->traces, i), *b = g_ptr_array_index(timed->traces, i);
    no_case += a->case_id == NULL;
    ck_assert_ptr_nonnull(b->case_id);
    ck_assert_uint_eq(a->events->len, b->events->len);
    for (guint j = 0; j < a->events->len; j++) {
      const REvent *x = &g_array_index(a->events, REvent, j);
      const REvent *y = &g_array_index(b->events, REvent, j);
      untimed += x->time == CX_TS_NONE;
      ck_assert_str_eq(x->name, y->name);
      if (j > 0)
        ck_assert(g_array_index(b->events, REvent, j - 1).time <= y->time);
    }
  }
  /* the traces have no concept:name either */
  ck_assert_uint_eq(no_case, 231);
  ck_assert_uint_eq(untimed, 1891);

  /* PM4Py drops every event (no case id, no timestamp). cxmine keeps each
   * trace as a journey named by its place ("#1" ...) and its events untimed,
   * in file order */
  g_autoptr(Run) ours
      = run_data("roadtraffic_1t_per_variant_no_timestamps.xes.gz", CX_LIFECYCLE_MODE_AUTO, NULL);
  const CxReadCounts *c = cx_log_counts(ours->log);
  ck_assert_uint_eq(c->traces_read, 231);
  ck_assert_uint_eq(c->events_read, 1891);
  ck_assert_uint_eq(c->no_case, 0);
  ck_assert_uint_eq(c->unnamed_traces, 231);
  ck_assert_uint_eq(c->no_timestamp, 1891);
  ck_assert_uint_eq(c->cases_kept, 231);
  ck_assert_uint_eq(c->events_kept, 1891);
  /* journey #i is trace i's activities in file order */
  for (guint i = 0; i < raw->traces->len; i++) {
    RTrace *a = g_ptr_array_index(raw->traces, i);
    g_autoptr(GString) want = g_string_new(NULL);
    for (guint j = 0; j < a->events->len; j++)
      g_string_append_printf(want, "%s%s", j ? "," : "", g_array_index(a->events, REvent, j).name);
    g_autofree char *name = g_strdup_printf("#%u", i + 1);
    const char *got = g_hash_table_lookup(ours->journeys, name);
    ck_assert_msg(got != NULL, "no journey %s", name);
    ck_assert_str_eq(got, want->str);
  }

  /* the timed copy: one case per trace, variants = PM4Py's (file order is
   * time order, so the untimed copy's file order gives the same sequences) */
  g_autoptr(Run) with_ts
      = run_data("roadtraffic_1t_per_variant.xes.gz", CX_LIFECYCLE_MODE_AUTO, NULL);
  ck_assert_uint_eq(cx_log_counts(with_ts->log)->cases_kept, 231);
  guint nv;
  cx_variants_sorted(with_ts->variants, &nv);
  g_auto(GStrv) pm4py = oracle_lines("roadtraffic_1t_per_variant.variants.json");
  ck_assert_uint_eq(nv, g_strv_length(pm4py));
  ck_assert_uint_eq(nv, 231);
}
END_TEST

/* ---------- 6. repeated case ids, empty traces ---------- */

START_TEST(test_duplicate_case_ids)
{
  g_autofree char *path = g_build_filename(shared, "oracle", "edge_order.xes", NULL);
  g_autoptr(RLog) raw = rlog_load(path);
  ck_assert_uint_eq(raw->traces->len, 9);
  guint dup = 0, empty = 0;
  for (guint i = 0; i < raw->traces->len; i++) {
    RTrace *t = g_ptr_array_index(raw->traces, i);
    dup += g_strcmp0(t->case_id, "c11_dup") == 0;
    empty += t->events->len == 0;
  }
  ck_assert_uint_eq(dup, 2);
  ck_assert_uint_eq(empty, 1);

  /* PM4Py's variants with UTC-corrected times: one line per case here */
  g_auto(GStrv) pm4py = oracle_lines("edge_order.utcfix.variants.json");
  guint pm4py_cases = 0;
  g_autoptr(GHashTable) pm4py_variants = counter_new();
  for (char **l = pm4py; *l != NULL; l++) {
    pm4py_cases += (guint)json_num(*l, "count");
    const char *v = strstr(*l, "\"variant\": [");
    const char *end = strchr(v, ']');
    g_autofree char *list = g_strndup(v + 12, (gsize)(end - v - 12));
    g_auto(GStrv) parts = g_strsplit(list, ", ", -1);
    for (char **p = parts; *p != NULL; p++) {
      g_autofree char *q = g_strndup(*p + 1, strlen(*p) - 2);
      g_free(*p);
      *p = g_steal_pointer(&q);
    }
    g_autofree char *joined = g_strjoinv(",", parts);
    count_add(pm4py_variants, joined, (guint)json_num(*l, "count"));
  }
  ck_assert_uint_eq(pm4py_cases, raw->traces->len - dup + 1 - empty);

  g_autoptr(Run) all = run_path(path, CX_LIFECYCLE_MODE_ALL, NULL);
  const CxReadCounts *c = cx_log_counts(all->log);
  ck_assert_uint_eq(c->traces_read, 9);
  ck_assert_uint_eq(c->events_read, 18);
  ck_assert_uint_eq(c->cases_kept, pm4py_cases);
  ck_assert(c->grouped);
  ck_assert_uint_eq(g_hash_table_size(all->journeys), pm4py_cases);
  ck_assert_ptr_null(g_hash_table_lookup(all->journeys, "c08_empty"));
  /* the two c11_dup traces are one case, ordered by time across them */
  ck_assert_str_eq(g_hash_table_lookup(all->journeys, "c11_dup"), "D2,D1");
  GHashTableIter it;
  gpointer k, v;
  g_autoptr(GHashTable) ours = counter_new();
  g_hash_table_iter_init(&it, all->journeys);
  while (g_hash_table_iter_next(&it, &k, &v))
    count_add(ours, v, 1);
  g_hash_table_iter_init(&it, pm4py_variants);
  while (g_hash_table_iter_next(&it, &k, &v))
    ck_assert_msg(count_get(ours, k) == GPOINTER_TO_UINT(v), "variant %s", (const char *)k);
  ck_assert_uint_eq(g_hash_table_size(ours), g_hash_table_size(pm4py_variants));

  /* the default mode differs only in the lifecycle case */
  g_autoptr(Run) paired = run_path(path, CX_LIFECYCLE_MODE_AUTO, NULL);
  ck_assert_uint_eq(cx_log_counts(paired->log)->cases_kept, pm4py_cases);
  ck_assert_str_eq(g_hash_table_lookup(all->journeys, "c04_lifecycle"), "A,A,B,B");
  ck_assert_str_eq(g_hash_table_lookup(paired->journeys, "c04_lifecycle"), "A,B");
  ck_assert_str_eq(g_hash_table_lookup(paired->journeys, "c11_dup"), "D2,D1");
}
END_TEST

int
main(void)
{
  shared = g_getenv("CX_SHARED");
  if (shared == NULL || !g_file_test(shared, G_FILE_TEST_IS_DIR)) {
    printf("1..0 # SKIP no ../shared\n");
    return 77;
  }
  utc = g_time_zone_new_utc();
  Suite *s = suite_create("pm4py-differences");
  TCase *tc = tcase_create("differences");
  tcase_set_timeout(tc, 240);
  tcase_add_loop_test(tc, test_lifecycle_pairing, 0, G_N_ELEMENTS(lifecycle_specs));
  tcase_add_test(tc, test_globals);
  tcase_add_loop_test(tc, test_classifier, 0, G_N_ELEMENTS(classifier_specs));
  tcase_add_loop_test(tc, test_time_zones, 0, G_N_ELEMENTS(tz_specs));
  tcase_add_test(tc, test_no_timestamps);
  tcase_add_test(tc, test_duplicate_case_ids);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_ENV);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
