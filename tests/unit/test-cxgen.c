/* Tests for scripts/cxgen, the synthetic journey generator: determinism,
 * well-formed XES, CSV shape, and a ground truth that matches the data when
 * recounted here, independently of the generator's own counting. */
#include <check.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <glib/gstdio.h>
#include <sys/wait.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "cxmine/log.h"
#include "cxmine/timestamp.h"
#include "test-util.h"

static char *tmpdir;

static void
setup(void)
{
  tmpdir = test_tmpdir_new("cxgen-test-XXXXXX");
}

static void
teardown(void)
{
  test_tmpdir_remove(tmpdir);
  g_clear_pointer(&tmpdir, g_free);
}

static char *
path(const char *name)
{
  return g_build_filename(tmpdir, name, NULL);
}

/* Runs cxgen with a NULL-terminated argument list; returns its exit code. */
static int
run_gen(const char *first, ...)
{
  const char *exe = g_getenv("CXGEN");
  ck_assert_msg(exe != NULL, "CXGEN is not set");
  g_autoptr(GPtrArray) argv = g_ptr_array_new();
  g_ptr_array_add(argv, (char *)exe);
  va_list ap;
  va_start(ap, first);
  for (const char *a = first; a; a = va_arg(ap, const char *))
    g_ptr_array_add(argv, (char *)a);
  va_end(ap);
  g_ptr_array_add(argv, NULL);
  int status = 0;
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  ck_assert_msg(g_spawn_sync(NULL, (char **)argv->pdata, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL,
                             NULL, NULL, &err, &status, &error),
                "spawn: %s", error ? error->message : "");
  if (!g_spawn_check_wait_status(status, NULL))
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return 0;
}

static char *
slurp(const char *file, gsize *len)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GMappedFile) f = g_mapped_file_new(file, FALSE, &error);
  ck_assert_msg(f != NULL, "%s", error ? error->message : "");
  gsize n = g_mapped_file_get_length(f);
  if (len != NULL)
    *len = n;
  char *s = g_malloc(n + 1); /* binary (gzip) too: no strndup */
  if (n > 0)
    memcpy(s, g_mapped_file_get_contents(f), n);
  s[n] = '\0';
  return s;
}

/* The number after "key": in the planted entry of @kind (NULL = top level). */
static gint64
truth_get(const char *json, const char *kind, const char *key)
{
  const char *from = json;
  if (kind) {
    g_autofree char *k = g_strdup_printf("\"kind\": \"%s\"", kind);
    from = strstr(json, k);
    ck_assert_msg(from != NULL, "no %s in the truth", kind);
  }
  g_autofree char *k = g_strdup_printf("\"%s\": ", key);
  const char *p = strstr(from, k);
  ck_assert_msg(p != NULL, "no %s in the truth", key);
  return g_ascii_strtoll(p + strlen(k), NULL, 10);
}

/* ---- a CSV log read back into cases ---- */

typedef struct {
  char *act, *res, *chan;
  gint64 time, start;
} Row;

typedef struct {
  char *id;
  GArray *rows; /* Row */
} Case;

typedef struct {
  GPtrArray *cases;   /* Case*, in order of first appearance */
  GHashTable *by_id;  /* id -> Case* */
  GPtrArray *strings; /* owned field strings */
  gint64 nrows;
  gboolean time_ordered;
} Log;

static void
case_free(Case *c)
{
  g_array_unref(c->rows);
  g_free(c);
}

static void
log_free(Log *l)
{
  g_ptr_array_unref(l->cases);
  g_hash_table_unref(l->by_id);
  g_ptr_array_unref(l->strings);
  g_free(l);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(Log, log_free)

static gint64
ts(const char *s)
{
  gint64 t = 0;
  ck_assert_msg(cx_time_parse_iso(s, strlen(s), NULL, &t, NULL), "bad timestamp '%s'", s);
  return t;
}

static Log *
read_csv(const char *file, gboolean lifecycle)
{
  gsize len = 0;
  g_autofree char *text = slurp(file, &len);
  Log *l = g_new0(Log, 1);
  l->cases = g_ptr_array_new_with_free_func((GDestroyNotify)case_free);
  l->by_id = g_hash_table_new(g_str_hash, g_str_equal);
  l->strings = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
  l->time_ordered = TRUE;
  char **lines = g_strsplit(text, "\n", -1);
  g_ptr_array_add(l->strings, lines);
  ck_assert_str_eq(lines[0], lifecycle ? "case_id,activity,timestamp,resource,channel,segment,"
                                         "start_timestamp"
                                       : "case_id,activity,timestamp,resource,channel,segment");
  gint64 last = G_MININT64;
  for (guint i = 1; lines[i] != NULL; i++) {
    if (lines[i][0] == '\0') {
      ck_assert_msg(lines[i + 1] == NULL, "empty line %u", i + 1);
      break;
    }
    char **f = g_strsplit(lines[i], ",", -1);
    g_ptr_array_add(l->strings, f);
    ck_assert_uint_eq(g_strv_length(f), lifecycle ? 7 : 6);
    Case *c = g_hash_table_lookup(l->by_id, f[0]);
    if (c == NULL) {
      c = g_new0(Case, 1);
      c->id = f[0];
      c->rows = g_array_new(FALSE, FALSE, sizeof(Row));
      g_ptr_array_add(l->cases, c);
      g_hash_table_insert(l->by_id, c->id, c);
    }
    Row r = { f[1], f[3], f[4], ts(f[2]), CX_TS_NONE };
    if (lifecycle && f[6][0] != '\0')
      r.start = ts(f[6]);
    if (r.time < last)
      l->time_ordered = FALSE;
    last = r.time;
    g_array_append_val(c->rows, r);
    l->nrows++;
  }
  return l;
}

/* Frictions recounted as an analysis would count them. */
typedef struct {
  gint64 rework, pingpong, dropoff, channel_switch, negative, effort, bottleneck, inconsistent;
  gint64 success, max_switches, max_resources, max_repeats;
  gint64 duration_s; /* sum of case durations */
} Counts;

static gint64
wait_between(const Row *a, const Row *b)
{
  return (b->start != CX_TS_NONE ? b->start : b->time) - a->time;
}

static Counts
recount(Log *l, double bottleneck_min_s, double inconsistency_min_s)
{
  Counts k = { 0 };
  for (guint i = 0; i < l->cases->len; i++) {
    Case *c = g_ptr_array_index(l->cases, i);
    Row *r = (Row *)c->rows->data;
    guint n = c->rows->len;
    g_autoptr(GHashTable) occ = g_hash_table_new(g_str_hash, g_str_equal);
    g_autoptr(GHashTable) res = g_hash_table_new(g_str_hash, g_str_equal);
    gboolean pp = FALSE, neg = FALSE, bn = FALSE, inc = FALSE;
    gint64 switches = 0, investigate = 0;
    for (guint j = 0; j < n; j++) {
      gint64 o = GPOINTER_TO_INT(g_hash_table_lookup(occ, r[j].act)) + 1;
      g_hash_table_insert(occ, r[j].act, GINT_TO_POINTER(o));
      k.max_repeats = MAX(k.max_repeats, o);
      g_hash_table_add(res, r[j].res);
      investigate += strcmp(r[j].act, "Investigate") == 0;
      neg |= strcmp(r[j].act, "Complaint received") == 0
             || strcmp(r[j].act, "Escalate to 2nd line") == 0;
      if (j == 0)
        continue;
      switches += strcmp(r[j].chan, r[j - 1].chan) != 0;
      double w = (double)wait_between(&r[j - 1], &r[j]) / CX_USEC_PER_SEC;
      if (strcmp(r[j - 1].act, "Assign agent") == 0 && strcmp(r[j].act, "Investigate") == 0)
        bn |= w >= bottleneck_min_s;
      if (strcmp(r[j - 1].act, "Propose solution") == 0 && strcmp(r[j].act, "Resolve") == 0)
        inc |= w >= inconsistency_min_s;
      if (j >= 2 && strcmp(r[j - 2].act, r[j].act) == 0 && strcmp(r[j - 1].act, r[j].act) != 0
          && (strcmp(r[j].act, "Document check") == 0 || strcmp(r[j].act, "Request more info") == 0)
          && (strcmp(r[j - 1].act, "Document check") == 0
              || strcmp(r[j - 1].act, "Request more info") == 0))
        pp = TRUE;
    }
    gboolean closed = strcmp(r[n - 1].act, "Close") == 0;
    gint64 first = r[0].start != CX_TS_NONE ? r[0].start : r[0].time;
    k.duration_s += (r[n - 1].time - first) / CX_USEC_PER_SEC;
    k.rework += investigate > 1;
    k.pingpong += pp;
    k.dropoff += !closed;
    k.channel_switch += switches >= 3;
    k.max_switches = MAX(k.max_switches, switches);
    k.negative += neg;
    k.success += closed && !neg;
    k.effort += g_hash_table_size(res) >= 9;
    k.max_resources = MAX(k.max_resources, (gint64)g_hash_table_size(res));
    k.bottleneck += bn;
    k.inconsistent += inc;
  }
  return k;
}

static double
truth_double(const char *json, const char *kind, const char *key)
{
  g_autofree char *k = g_strdup_printf("\"kind\": \"%s\"", kind);
  const char *from = strstr(json, k);
  ck_assert_ptr_nonnull(from);
  g_autofree char *kk = g_strdup_printf("\"%s\": ", key);
  const char *p = strstr(from, kk);
  ck_assert_ptr_nonnull(p);
  return g_ascii_strtod(p + strlen(kk), NULL);
}

/* ---- tests ---- */

START_TEST(test_deterministic)
{
  g_autofree char *a = path("a.xes"), *b = path("b.xes"), *c = path("c.xes");
  ck_assert_int_eq(run_gen("--cases", "200", "--seed", "7", "--plant", "rework", "-o", a, NULL), 0);
  ck_assert_int_eq(run_gen("--cases", "200", "--seed", "7", "--plant", "rework", "-o", b, NULL), 0);
  ck_assert_int_eq(run_gen("--cases", "200", "--seed", "8", "--plant", "rework", "-o", c, NULL), 0);
  gsize la, lb, lc;
  g_autofree char *ta = slurp(a, &la), *tb = slurp(b, &lb), *tc = slurp(c, &lc);
  ck_assert_uint_eq(la, lb);
  ck_assert(memcmp(ta, tb, la) == 0);
  ck_assert(la != lc || memcmp(ta, tc, la) != 0);
}
END_TEST

static void
check_xes(const char *file, const char *truth, gboolean lifecycle)
{
  xmlDocPtr doc = xmlReadFile(file, NULL, XML_PARSE_NONET);
  ck_assert_msg(doc != NULL, "%s is not well-formed", file);
  xmlNodePtr root = xmlDocGetRootElement(doc);
  ck_assert_str_eq((const char *)root->name, "log");
  gint64 traces = 0, events = 0, starts = 0, zulu = 0, plus1 = 0, plus2 = 0, classifiers = 0,
         extensions = 0, globals = 0;
  for (xmlNodePtr n = root->children; n; n = n->next) {
    if (n->type != XML_ELEMENT_NODE)
      continue;
    classifiers += strcmp((const char *)n->name, "classifier") == 0;
    extensions += strcmp((const char *)n->name, "extension") == 0;
    globals += strcmp((const char *)n->name, "global") == 0;
    if (strcmp((const char *)n->name, "trace") != 0)
      continue;
    traces++;
    gint64 trace_attrs = 0;
    for (xmlNodePtr e = n->children; e; e = e->next) {
      if (e->type != XML_ELEMENT_NODE)
        continue;
      if (strcmp((const char *)e->name, "string") == 0) {
        trace_attrs++;
        continue;
      }
      ck_assert_str_eq((const char *)e->name, "event");
      events++;
      gint64 keys = 0;
      for (xmlNodePtr a = e->children; a; a = a->next) {
        if (a->type != XML_ELEMENT_NODE)
          continue;
        keys++;
        g_autofree char *key = (char *)xmlGetProp(a, (const xmlChar *)"key");
        g_autofree char *value = (char *)xmlGetProp(a, (const xmlChar *)"value");
        if (strcmp(key, "lifecycle:transition") == 0)
          starts += strcmp(value, "start") == 0;
        if (strcmp(key, "time:timestamp") == 0) {
          ck_assert_str_eq((const char *)a->name, "date");
          ts(value);
          zulu += g_str_has_suffix(value, "Z");
          plus1 += g_str_has_suffix(value, "+01:00");
          plus2 += g_str_has_suffix(value, "+02:00");
        }
      }
      ck_assert_int_eq(keys, 5);
    }
    ck_assert_int_eq(trace_attrs, 4); /* concept:name, segment, region, product */
  }
  xmlFreeDoc(doc);
  ck_assert_int_eq(extensions, 4);
  ck_assert_int_eq(classifiers, 2);
  ck_assert_int_eq(globals, 2);
  ck_assert_int_eq(traces, truth_get(truth, NULL, "cases"));
  ck_assert_int_eq(events, truth_get(truth, NULL, "events"));
  ck_assert_int_eq(events - starts, truth_get(truth, NULL, "instances"));
  ck_assert(lifecycle ? starts > 0 : starts == 0);
  /* a year of arrivals crosses DST: both offsets, and system events in UTC */
  ck_assert(zulu > 0 && plus1 > 0 && plus2 > 0);
}

START_TEST(test_xes_wellformed)
{
  g_autofree char *x = path("w.xes"), *t = path("w.json");
  ck_assert_int_eq(
      run_gen("--cases", "200", "--seed", "3", "--plant", "negative", "--truth", t, "-o", x, NULL),
      0);
  g_autofree char *truth = slurp(t, NULL);
  check_xes(x, truth, FALSE);
  ck_assert_int_eq(truth_get(truth, NULL, "cases"), 200);

  g_autofree char *xl = path("wl.xes"), *tl = path("wl.json");
  ck_assert_int_eq(
      run_gen("--cases", "200", "--seed", "3", "--lifecycle", "--truth", tl, "-o", xl, NULL), 0);
  g_autofree char *truthl = slurp(tl, NULL);
  check_xes(xl, truthl, TRUE);
}
END_TEST

START_TEST(test_gzip_matches_plain)
{
  g_autofree char *x = path("g.xes"), *gz = path("g.xes.gz"), *forced = path("g.out");
  ck_assert_int_eq(run_gen("--cases", "150", "--seed", "5", "-o", x, NULL), 0);
  ck_assert_int_eq(run_gen("--cases", "150", "--seed", "5", "-o", gz, NULL), 0);
  ck_assert_int_eq(run_gen("--cases", "150", "--seed", "5", "--gzip", "-o", forced, NULL), 0);
  gsize lx = 0;
  g_autofree char *plain = slurp(x, &lx);
  const char *files[] = { gz, forced };
  for (gsize f = 0; f < G_N_ELEMENTS(files); f++) {
    gsize lz = 0;
    g_autofree char *raw = slurp(files[f], &lz);
    ck_assert(lz > 2 && (guchar)raw[0] == 0x1f && (guchar)raw[1] == 0x8b);
    gzFile in = gzopen(files[f], "rb");
    ck_assert_ptr_nonnull(in);
    g_autofree char *buf = g_malloc(lx + 16);
    int n = gzread(in, buf, (unsigned)lx + 16);
    gzclose(in);
    ck_assert_int_eq(n, (int)lx);
    ck_assert(memcmp(buf, plain, lx) == 0);
  }
}
END_TEST

START_TEST(test_csv_shape)
{
  g_autofree char *tc = path("t.csv"), *cc = path("c.csv"), *lc = path("l.csv");
  g_autofree char *tt = path("t.json"), *lt = path("l.json");
  ck_assert_int_eq(
      run_gen("--cases", "200", "--seed", "4", "-f", "csv", "--truth", tt, "-o", tc, NULL), 0);
  ck_assert_int_eq(
      run_gen("--cases", "200", "--seed", "4", "-f", "csv", "--csv-order", "case", "-o", cc, NULL),
      0);
  ck_assert_int_eq(run_gen("--cases", "200", "--seed", "4", "-f", "csv", "--lifecycle", "--truth",
                           lt, "-o", lc, NULL),
                   0);
  g_autofree char *truth = slurp(tt, NULL), *truthl = slurp(lt, NULL);
  g_autoptr(Log) by_time = read_csv(tc, FALSE);
  g_autoptr(Log) by_case = read_csv(cc, FALSE);
  g_autoptr(Log) life = read_csv(lc, TRUE);
  ck_assert(by_time->time_ordered);
  ck_assert(!by_case->time_ordered);
  ck_assert_int_eq(by_time->nrows, truth_get(truth, NULL, "events"));
  ck_assert_int_eq(by_case->nrows, by_time->nrows);
  ck_assert_int_eq(by_time->cases->len, 200);
  ck_assert_int_eq(by_case->cases->len, 200);
  /* the same journeys in both orders */
  for (guint i = 0; i < by_case->cases->len; i++) {
    Case *a = g_ptr_array_index(by_case->cases, i);
    Case *b = g_hash_table_lookup(by_time->by_id, a->id);
    ck_assert_ptr_nonnull(b);
    ck_assert_uint_eq(a->rows->len, b->rows->len);
    for (guint j = 0; j < a->rows->len; j++)
      ck_assert_str_eq(g_array_index(a->rows, Row, j).act, g_array_index(b->rows, Row, j).act);
  }
  /* --lifecycle: one row per instance, start before completion */
  ck_assert_int_eq(life->nrows, truth_get(truthl, NULL, "instances"));
  ck_assert_int_eq(life->nrows, by_time->nrows);
  gint64 with_start = 0;
  for (guint i = 0; i < life->cases->len; i++) {
    Case *c = g_ptr_array_index(life->cases, i);
    for (guint j = 0; j < c->rows->len; j++) {
      Row *r = &g_array_index(c->rows, Row, j);
      if (r->start != CX_TS_NONE) {
        with_start++;
        ck_assert(r->start < r->time);
      }
    }
  }
  ck_assert_int_eq(with_start, truth_get(truthl, NULL, "events") - life->nrows);
}
END_TEST

START_TEST(test_baseline_clean)
{
  g_autofree char *f = path("base.csv"), *t = path("base.json");
  ck_assert_int_eq(
      run_gen("--cases", "400", "--seed", "11", "-f", "csv", "--truth", t, "-o", f, NULL), 0);
  g_autofree char *truth = slurp(t, NULL);
  ck_assert(strstr(truth, "\"planted\": [],") != NULL);
  g_autoptr(Log) l = read_csv(f, FALSE);
  Counts k = recount(l, 30 * 3600, 4 * 18 * 3600);
  ck_assert_int_eq(k.max_repeats, 1);
  ck_assert_int_eq(k.pingpong, 0);
  ck_assert_int_eq(k.dropoff, 0);
  ck_assert_int_le(k.max_switches, 1);
  ck_assert_int_eq(k.negative, 0);
  ck_assert_int_le(k.max_resources, 5);
  ck_assert_int_eq(k.bottleneck, 0);
  ck_assert_int_eq(k.success, 400);
  ck_assert_int_eq(truth_get(truth, NULL, "success_cases"), 400);
}
END_TEST

static const char *const all_kinds[]
    = { "bottleneck",     "rework",   "pingpong", "dropoff",
        "channel_switch", "negative", "effort",   "inconsistency" };

START_TEST(test_truth_matches_data)
{
  g_autofree char *f = path("all.csv"), *t = path("all.json");
  ck_assert_int_eq(run_gen("--cases", "600", "--seed", "21", "-f", "csv", "--plant", "bottleneck",
                           "--plant", "rework:0.25", "--plant", "pingpong", "--plant", "dropoff",
                           "--plant", "channel_switch", "--plant", "negative", "--plant",
                           "effort:0.1", "--plant", "inconsistency", "--truth", t, "-o", f, NULL),
                   0);
  g_autofree char *truth = slurp(t, NULL);
  g_autoptr(Log) l = read_csv(f, FALSE);
  ck_assert_int_eq(l->cases->len, truth_get(truth, NULL, "cases"));
  ck_assert_int_eq(l->nrows, truth_get(truth, NULL, "events"));
  Counts k = recount(l, truth_double(truth, "bottleneck", "min_wait_s"),
                     truth_double(truth, "inconsistency", "min_wait_s"));
  gint64 got[] = { k.bottleneck,     k.rework,   k.pingpong, k.dropoff,
                   k.channel_switch, k.negative, k.effort,   k.inconsistent };
  for (gsize i = 0; i < G_N_ELEMENTS(all_kinds); i++) {
    gint64 want = truth_get(truth, all_kinds[i], "cases");
    ck_assert_msg(got[i] == want, "%s: data %" G_GINT64_FORMAT " truth %" G_GINT64_FORMAT,
                  all_kinds[i], got[i], want);
    ck_assert_msg(want > 0, "%s planted in no case", all_kinds[i]);
  }
  ck_assert_int_eq(k.success, truth_get(truth, NULL, "success_cases"));
  /* the bottleneck edge waits x20 the typical edge in affected cases */
  ck_assert(truth_double(truth, "bottleneck", "min_wait_s")
            > 5 * truth_double(truth, "bottleneck", "median_wait_other_edges_s"));
  ck_assert(truth_double(truth, "inconsistency", "p90_over_median") > 5);
}
END_TEST

/* Each planted friction lengthens the affected cases (dropoff shortens them
 * but lowers success, as does negative). */
START_TEST(test_plants_have_impact)
{
  g_autofree char *bf = path("b.csv"), *bt = path("b.json");
  ck_assert_int_eq(
      run_gen("--cases", "300", "--seed", "9", "-f", "csv", "--truth", bt, "-o", bf, NULL), 0);
  g_autoptr(Log) base = read_csv(bf, FALSE);
  Counts kb = recount(base, 30 * 3600, 1e12);
  for (gsize i = 0; i < G_N_ELEMENTS(all_kinds); i++) {
    g_autofree char *pf = path("p.csv");
    ck_assert_int_eq(run_gen("--cases", "300", "--seed", "9", "-f", "csv", "--plant", all_kinds[i],
                             "-o", pf, NULL),
                     0);
    g_autoptr(Log) p = read_csv(pf, FALSE);
    Counts kp = recount(p, 30 * 3600, 1e12);
    if (strcmp(all_kinds[i], "dropoff") == 0 || strcmp(all_kinds[i], "negative") == 0)
      ck_assert_msg(kp.success < kb.success, "%s does not lower success", all_kinds[i]);
    if (strcmp(all_kinds[i], "dropoff") != 0)
      ck_assert_msg(kp.duration_s > kb.duration_s, "%s does not lengthen cases", all_kinds[i]);
  }
}
END_TEST

static double
edge_median_s(Log *l, const char *from, const char *to)
{
  g_autoptr(GArray) w = g_array_new(FALSE, FALSE, sizeof(double));
  for (guint i = 0; i < l->cases->len; i++) {
    Case *c = g_ptr_array_index(l->cases, i);
    Row *r = (Row *)c->rows->data;
    for (guint j = 1; j < c->rows->len; j++)
      if (strcmp(r[j - 1].act, from) == 0 && strcmp(r[j].act, to) == 0) {
        double v = (double)wait_between(&r[j - 1], &r[j]) / CX_USEC_PER_SEC;
        g_array_append_val(w, v);
      }
  }
  ck_assert_uint_gt(w->len, 10);
  double *d = (double *)w->data;
  for (guint i = 1; i < w->len; i++)
    for (guint j = i; j > 0 && d[j - 1] > d[j]; j--) {
      double x = d[j];
      d[j] = d[j - 1];
      d[j - 1] = x;
    }
  return d[w->len / 2];
}

START_TEST(test_changes)
{
  g_autofree char *bf = path("before.csv"), *af = path("after.csv"), *at = path("after.json");
  ck_assert_int_eq(run_gen("--cases", "400", "--seed", "1", "-f", "csv", "--plant", "rework:0.3",
                           "-o", bf, NULL),
                   0);
  ck_assert_int_eq(run_gen("--cases", "400", "--seed", "2", "-f", "csv", "--plant", "rework:0.3",
                           "--change", "wait-cut", "--change", "loop-rarer:3", "--change",
                           "step-removed:Classify", "--truth", at, "-o", af, NULL),
                   0);
  g_autofree char *truth = slurp(at, NULL);
  g_autoptr(Log) b = read_csv(bf, FALSE);
  g_autoptr(Log) a = read_csv(af, FALSE);
  double mb = edge_median_s(b, "Assign agent", "Investigate");
  double ma = edge_median_s(a, "Assign agent", "Investigate");
  ck_assert_msg(ma * 2.5 < mb, "wait-cut: before %g after %g", mb, ma);
  /* an untouched edge keeps its wait */
  double ub = edge_median_s(b, "Propose solution", "Resolve");
  double ua = edge_median_s(a, "Propose solution", "Resolve");
  ck_assert(ua > ub * 0.8 && ua < ub * 1.25);
  Counts kb = recount(b, 1e12, 1e12), ka = recount(a, 1e12, 1e12);
  ck_assert_int_lt(ka.rework * 2, kb.rework);
  for (guint i = 0; i < a->cases->len; i++) {
    Case *c = g_ptr_array_index(a->cases, i);
    for (guint j = 0; j < c->rows->len; j++)
      ck_assert_str_ne(g_array_index(c->rows, Row, j).act, "Classify");
  }
  ck_assert(
      strstr(truth, "\"kind\": \"wait-cut\", \"edges\": [[\"Assign agent\", \"Investigate\"]]")
      != NULL);
  ck_assert(strstr(truth, "[\"Auto-acknowledge\", \"Assign agent\"]") != NULL);
  ck_assert(strstr(truth, "\"fraction_before\": 0.3000, \"fraction_after\": 0.1000") != NULL);
  const char *untouched = strstr(truth, "\"untouched_edges\"");
  ck_assert_ptr_nonnull(untouched);
  ck_assert(strstr(untouched, "[\"Propose solution\", \"Resolve\"]") != NULL);
  ck_assert(strstr(untouched, "[\"Assign agent\", \"Investigate\"]") == NULL);
  ck_assert(strstr(untouched, "[\"Auto-acknowledge\", \"Assign agent\"]") == NULL);
}
END_TEST

START_TEST(test_usage_errors)
{
  g_autofree char *f = path("x.xes");
  ck_assert_int_eq(run_gen("--plant", "nonsense", "-o", f, NULL), 2);
  ck_assert_int_eq(run_gen("--plant", "rework:1.5", "-o", f, NULL), 2);
  ck_assert_int_eq(run_gen("--change", "loop-rarer", "-o", f, NULL), 2);
  ck_assert_int_eq(run_gen("--change", "step-removed:Close", "-o", f, NULL), 2);
  ck_assert_int_eq(run_gen("--format", "json", "-o", f, NULL), 2);
  ck_assert_int_eq(run_gen("--start", "yesterday", "-o", f, NULL), 2);
}
END_TEST

START_TEST(test_events_target)
{
  g_autofree char *f = path("e.csv"), *t = path("e.json");
  ck_assert_int_eq(
      run_gen("--events", "6000", "--seed", "5", "-f", "csv", "--truth", t, "-o", f, NULL), 0);
  g_autofree char *truth = slurp(t, NULL);
  gint64 events = truth_get(truth, NULL, "events");
  ck_assert_msg(events > 5400 && events < 6600, "%" G_GINT64_FORMAT " events", events);
}
END_TEST

static Suite *
cxgen_suite(void)
{
  Suite *s = suite_create("cxgen");
  TCase *tc = tcase_create("cxgen");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, test_deterministic);
  tcase_add_test(tc, test_xes_wellformed);
  tcase_add_test(tc, test_gzip_matches_plain);
  tcase_add_test(tc, test_csv_shape);
  tcase_add_test(tc, test_baseline_clean);
  tcase_add_test(tc, test_truth_matches_data);
  tcase_add_test(tc, test_plants_have_impact);
  tcase_add_test(tc, test_changes);
  tcase_add_test(tc, test_usage_errors);
  tcase_add_test(tc, test_events_target);
  suite_add_tcase(s, tc);
  return s;
}

int
main(void)
{
  SRunner *sr = srunner_create(cxgen_suite());
  srunner_run_all(sr, CK_ENV);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
