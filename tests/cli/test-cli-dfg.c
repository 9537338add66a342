/* End-to-end tests of `cxmine dfg`: runs the built binary (argv[1]) on
 * fixtures/csv/dfg-names.csv (activity names with quotes, backslashes,
 * newlines, <>{}|& and non-ASCII) and checks output files, escaping,
 * determinism, locales, rendering, filters and exit codes. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib.h>

static const char *binary;
static char *fixture;
static char *tmpdir;

typedef struct {
  int status;
  char *out, *err;
} Run;

static void
run_clear(Run *r)
{
  g_free(r->out);
  g_free(r->err);
}

/* Runs cxmine with @args (NULL-terminated), adding @env ("K=V", or NULL). */
static Run
run_env(const char *const *env, const char *const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new();
  g_ptr_array_add(argv, (gpointer)binary);
  for (const char *const *a = args; *a != NULL; a++)
    g_ptr_array_add(argv, (gpointer)*a);
  g_ptr_array_add(argv, NULL);
  g_auto(GStrv) envp = g_get_environ();
  for (const char *const *e = env; e != NULL && *e != NULL; e++) {
    g_auto(GStrv) kv = g_strsplit(*e, "=", 2);
    envp = g_environ_setenv(envp, kv[0], kv[1], TRUE);
  }
  Run r = { 0 };
  g_autoptr(GError) error = NULL;
  ck_assert(g_spawn_sync(NULL, (char **)argv->pdata, envp, G_SPAWN_DEFAULT, NULL, NULL, &r.out,
                         &r.err, &r.status, &error));
  r.status = WIFEXITED(r.status) ? WEXITSTATUS(r.status) : -1;
  return r;
}

#define RUN(...) run_env(NULL, (const char *const[]){ __VA_ARGS__, NULL })

static char *
tmp_file(const char *name)
{
  return g_build_filename(tmpdir, name, NULL);
}

static char *
slurp(const char *path)
{
  char *text = NULL;
  ck_assert_msg(g_file_get_contents(path, &text, NULL, NULL), "cannot read %s", path);
  return text;
}

START_TEST(test_dot_escaped_and_utf8)
{
  Run r = RUN("dfg", "--paths", "100", fixture);
  ck_assert_int_eq(r.status, 0);
  ck_assert(g_str_has_prefix(r.out, "digraph cxmine {\n"));
  ck_assert_ptr_nonnull(strstr(r.out, "label=\"Start \\\"web\\\"\\n2\""));
  ck_assert_ptr_nonnull(strstr(r.out, "label=\"A\\\\B\\n3\""));
  ck_assert_ptr_nonnull(strstr(r.out, "label=\"multi\\nline\\n1\""));
  ck_assert_ptr_nonnull(strstr(r.out, "label=\"&lt;x&gt;&#123;y&#125;&#124;z &amp; co\\n4\""));
  /* raw UTF-8: Graphviz mangles numeric references above U+FFFF */
  ck_assert_ptr_nonnull(strstr(r.out, "label=\"Caf\xc3\xa9 \xe2\x98\x95\\n1\""));
  ck_assert_ptr_nonnull(strstr(r.out, "dfg-names.csv: 4 cases, 11 events"));
  ck_assert_msg(g_utf8_validate(r.out, -1, NULL), "DOT is not valid UTF-8");
  ck_assert_ptr_null(strstr(r.out, "&#9749;"));
  /* every edge is drawn: 6 edges, 2 start and 1 end arcs */
  guint arrows = 0;
  for (const char *p = r.out; (p = strstr(p, " -> n")) != NULL; p++)
    arrows++;
  ck_assert_uint_eq(arrows, 9);
  run_clear(&r);
}
END_TEST

START_TEST(test_deterministic_and_locale_independent)
{
  g_autofree char *a = tmp_file("a.dot");
  g_autofree char *b = tmp_file("b.dot");
  Run r1 = RUN("dfg", "--metric", "mean", "--paths", "100", "-o", a, fixture);
  ck_assert_int_eq(r1.status, 0);
  const char *comma[] = { "LC_ALL=de_DE.UTF-8", NULL };
  Run r2 = run_env(comma, (const char *const[]){ "dfg", "--metric", "mean", "--paths", "100", "-o",
                                                 b, fixture, NULL });
  ck_assert_int_eq(r2.status, 0);
  g_autofree char *ta = slurp(a);
  g_autofree char *tb = slurp(b);
  ck_assert_str_eq(ta, tb);
  ck_assert_ptr_nonnull(strstr(ta, "penwidth=5.95"));
  ck_assert_ptr_null(strstr(ta, "penwidth=0,"));
  ck_assert_ptr_null(strstr(ta, "penwidth=5,95"));
  /* median-ish labels in human units */
  ck_assert_ptr_nonnull(strstr(ta, "label=\" 1.2 h \""));
  ck_assert_ptr_nonnull(strstr(ta, "label=\" 45 s \""));
  /* JSON too */
  Run j1 = RUN("dfg", "--json", fixture);
  Run j2 = run_env(comma, (const char *const[]){ "dfg", "--json", fixture, NULL });
  ck_assert_str_eq(j1.out, j2.out);
  ck_assert_ptr_nonnull(strstr(j1.out, "\"mean\": 4500,"));
  run_clear(&r1);
  run_clear(&r2);
  run_clear(&j1);
  run_clear(&j2);
}
END_TEST

START_TEST(test_output_atomic)
{
  g_autofree char *path = tmp_file("keep.dot");
  ck_assert(g_file_set_contents(path, "old\n", -1, NULL));
  g_autofree char *bad = tmp_file("bad.csv");
  ck_assert(g_file_set_contents(bad, "case,activity,time\nc1,A,31/31/2024 99:00\n", -1, NULL));
  Run r = RUN("dfg", "-o", path, bad);
  ck_assert_int_eq(r.status, 1);
  ck_assert_ptr_nonnull(strstr(r.err, "cxmine: "));
  g_autofree char *after = slurp(path);
  ck_assert_str_eq(after, "old\n");
  Run m = RUN("dfg", "-o", path, "/nonexistent/log.xes");
  ck_assert_int_eq(m.status, 1);
  g_autofree char *after2 = slurp(path);
  ck_assert_str_eq(after2, "old\n");
  /* a good run replaces it and leaves no temporary file */
  Run ok = RUN("dfg", "-o", path, fixture);
  ck_assert_int_eq(ok.status, 0);
  ck_assert_str_eq(ok.out, "");
  g_autofree char *now = slurp(path);
  ck_assert(g_str_has_prefix(now, "digraph"));
  GDir *d = g_dir_open(tmpdir, 0, NULL);
  for (const char *n; (n = g_dir_read_name(d)) != NULL;)
    ck_assert_msg(n[0] != '.', "temporary file %s left", n);
  g_dir_close(d);
  run_clear(&r);
  run_clear(&m);
  run_clear(&ok);
}
END_TEST

START_TEST(test_dev_null_straight_through)
{
  struct stat st;
  gboolean was_device = stat("/dev/null", &st) == 0 && S_ISCHR(st.st_mode);
  Run r = RUN("dfg", "-o", "/dev/null", fixture);
  ck_assert_int_eq(r.status, 0);
  ck_assert_int_eq(stat("/dev/null", &st), 0);
  if (was_device)
    ck_assert_msg(S_ISCHR(st.st_mode), "/dev/null was renamed over");
  run_clear(&r);
}
END_TEST

START_TEST(test_fifo_straight_through)
{
  g_autofree char *fifo = tmp_file("pipe.dot");
  ck_assert_int_eq(mkfifo(fifo, 0600), 0);
  /* a reader must exist; the pipe buffer holds this small map */
  int fd = open(fifo, O_RDONLY | O_NONBLOCK);
  ck_assert_int_ge(fd, 0);
  Run r = RUN("dfg", "-o", fifo, fixture);
  ck_assert_int_eq(r.status, 0);
  char buf[65536];
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  ck_assert_int_gt(n, 0);
  buf[n] = '\0';
  ck_assert(g_str_has_prefix(buf, "digraph cxmine {"));
  ck_assert(g_str_has_suffix(buf, "}\n"));
  struct stat st;
  ck_assert_int_eq(stat(fifo, &st), 0);
  ck_assert(S_ISFIFO(st.st_mode));
  unlink(fifo);
  run_clear(&r);
}
END_TEST

START_TEST(test_render)
{
  g_autofree char *dot = g_find_program_in_path("dot");
  if (dot == NULL)
    return; /* Graphviz missing: the missing-dot message is tested below */
  g_autofree char *path = tmp_file("map.dot");
  g_autofree char *svg = tmp_file("map.svg");
  Run r = RUN("dfg", "-o", path, "--render", "svg", fixture);
  ck_assert_int_eq(r.status, 0);
  g_autofree char *text = slurp(svg);
  ck_assert_ptr_nonnull(strstr(text, "<svg"));
  /* Graphviz turned the entities back into the names */
  ck_assert_ptr_nonnull(strstr(text, "Café ☕"));
  ck_assert_ptr_nonnull(strstr(text, "&lt;x&gt;{y}|z &amp; co"));
  g_autofree char *dottext = slurp(path);
  ck_assert(g_str_has_prefix(dottext, "digraph"));
  run_clear(&r);
}
END_TEST

START_TEST(test_render_without_graphviz)
{
  g_autofree char *path = tmp_file("nodot.dot");
  const char *env[] = { "PATH=/nonexistent-cxmine", NULL };
  Run r
      = run_env(env, (const char *const[]){ "dfg", "-o", path, "--render", "png", fixture, NULL });
  ck_assert_int_eq(r.status, 1);
  ck_assert_ptr_nonnull(strstr(r.err, "Graphviz 'dot' not found: install graphviz"));
  run_clear(&r);
}
END_TEST

static guint64
json_cases(const char *json)
{
  const char *p = strstr(json, "\"cases\": ");
  ck_assert_ptr_nonnull(p);
  return g_ascii_strtoull(p + 9, NULL, 10);
}

START_TEST(test_filters)
{
  struct {
    const char *args[4];
    guint64 cases;
  } cases[] = {
    { { "--from", "2024-02-01", NULL }, 3 },
    { { "--to", "2024-02-01", NULL }, 1 },
    { { "--from", "2024-02-01", "--to", "2024-03-02" }, 2 },
    { { "--where", "channel=web", NULL }, 2 },  /* case attribute */
    { { "--where", "resource=bob", NULL }, 1 }, /* event attribute */
    { { "--where", "channel=phone", "--where", "resource=ann" }, 1 },
    { { "--top-variants", "1", NULL }, 2 },
    { { "--starts-with", "A\\B", NULL }, 2 },
    { { "--ends-with", "<x>{y}|z & co", NULL }, 4 },
    { { "--starts-with", "Start \"web\"", "--where", "channel=phone" }, 1 },
  };
  for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
    const char *argv[10] = { "dfg", "--json" };
    guint n = 2;
    for (guint k = 0; k < 4 && cases[i].args[k] != NULL; k++)
      argv[n++] = cases[i].args[k];
    argv[n++] = fixture;
    argv[n] = NULL;
    Run r = run_env(NULL, argv);
    ck_assert_msg(r.status == 0, "filter %u: %s", i, r.err);
    ck_assert_msg(json_cases(r.out) == cases[i].cases,
                  "filter %u (%s %s): %" G_GUINT64_FORMAT " cases", i, cases[i].args[0],
                  cases[i].args[1], json_cases(r.out));
    run_clear(&r);
  }
  /* the filtered graph: only c3 and c4 start with A\B */
  Run r = RUN("dfg", "--json", "--starts-with", "A\\B", fixture);
  ck_assert_ptr_nonnull(strstr(r.out, "\"edges\": [\n    {\n      \"from\": \"A\\\\B\",\n      "
                                      "\"to\": \"<x>{y}|z & co\",\n      \"count\": 2,"));
  ck_assert_ptr_null(strstr(r.out, "Caf"));
  run_clear(&r);
}
END_TEST

START_TEST(test_json_full_or_simplified)
{
  Run full = RUN("dfg", "--json", fixture);
  ck_assert_int_eq(full.status, 0);
  ck_assert_ptr_nonnull(strstr(full.out, "\"simplified\": false"));
  ck_assert_ptr_nonnull(strstr(full.out, "\"wait_s\": {"));
  ck_assert_ptr_nonnull(strstr(full.out, "\"start\": ["));
  ck_assert_ptr_nonnull(strstr(full.out, "\"end\": ["));
  Run simple = RUN("dfg", "--json", "--activities", "50", fixture);
  ck_assert_int_eq(simple.status, 0);
  ck_assert_ptr_nonnull(strstr(simple.out, "\"simplified\": true"));
  ck_assert_ptr_null(strstr(simple.out, "Caf"));
  run_clear(&full);
  run_clear(&simple);
}
END_TEST

START_TEST(test_usage_errors)
{
  const char *bad[][4] = {
    { "--metric", "p95" },  { "--activities", "120" }, { "--paths", "1,5" },
    { "--rankdir", "XY" },  { "--render", "gif" },     { "--json", "--render", "svg" },
    { "--no-such-option" },
  };
  for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
    const char *argv[8] = { "dfg" };
    guint n = 1;
    for (guint k = 0; k < 4 && bad[i][k] != NULL; k++)
      argv[n++] = bad[i][k];
    argv[n++] = fixture;
    argv[n] = NULL;
    Run r = run_env(NULL, argv);
    ck_assert_msg(r.status == 2, "case %u (%s): exit %d", i, bad[i][0], r.status);
    run_clear(&r);
  }
  Run none = RUN("dfg");
  ck_assert_int_eq(none.status, 2);
  Run help = RUN("dfg", "--help");
  ck_assert_int_eq(help.status, 0);
  ck_assert_ptr_nonnull(strstr(help.out, "--paths 15"));
  Run lr = RUN("dfg", "--rankdir", "LR", "--metric", "cases", fixture);
  ck_assert_int_eq(lr.status, 0);
  ck_assert_ptr_nonnull(strstr(lr.out, "rankdir=LR"));
  run_clear(&none);
  run_clear(&help);
  run_clear(&lr);
}
END_TEST

int
main(int argc, char **argv)
{
  if (argc < 2) {
    fprintf(stderr, "usage: %s PATH-TO-CXMINE\n", argv[0]);
    return 2;
  }
  binary = argv[1];
  const char *root = g_getenv("CX_SOURCE_ROOT");
  fixture = g_build_filename(root != NULL ? root : ".", "fixtures", "csv", "dfg-names.csv", NULL);
  tmpdir = g_dir_make_tmp("cxmine-cli-dfg-XXXXXX", NULL);
  Suite *s = suite_create("cli-dfg");
  TCase *tc = tcase_create("cli");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, test_dot_escaped_and_utf8);
  tcase_add_test(tc, test_deterministic_and_locale_independent);
  tcase_add_test(tc, test_output_atomic);
  tcase_add_test(tc, test_dev_null_straight_through);
  tcase_add_test(tc, test_fifo_straight_through);
  tcase_add_test(tc, test_render);
  tcase_add_test(tc, test_render_without_graphviz);
  tcase_add_test(tc, test_filters);
  tcase_add_test(tc, test_json_full_or_simplified);
  tcase_add_test(tc, test_usage_errors);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_ENV);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  GDir *d = g_dir_open(tmpdir, 0, NULL);
  for (const char *n; d != NULL && (n = g_dir_read_name(d)) != NULL;) {
    g_autofree char *f = g_build_filename(tmpdir, n, NULL);
    unlink(f);
  }
  if (d != NULL)
    g_dir_close(d);
  rmdir(tmpdir);
  g_free(fixture);
  g_free(tmpdir);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
