/* End-to-end tests of `cxmine dfg` writing files: runs the built binary
 * (argv[1]) on fixtures/csv/dfg-names.csv and checks atomic -o, /dev/null
 * and FIFOs written straight through, and rendering with and without
 * Graphviz.  Its escaping, locales, filters and usage errors are cases in
 * fixtures/csv/cases (tests/cli/run.py), byte for byte. */
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
  tcase_add_test(tc, test_output_atomic);
  tcase_add_test(tc, test_dev_null_straight_through);
  tcase_add_test(tc, test_fifo_straight_through);
  tcase_add_test(tc, test_render);
  tcase_add_test(tc, test_render_without_graphviz);
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
