/* Output files put in place only on success (CxOutputFile), the cleanup
 * registry an interrupted run uses, and dot's time limit. */
#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "cxmine/cxmine.h"
#include "test-util.h"

static int
by_name(gconstpointer a, gconstpointer b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in @dir, sorted, joined by spaces. */
static char *
listing(const char *dir)
{
  g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
  const char *name;
  while (d != NULL && (name = g_dir_read_name(d)) != NULL)
    g_ptr_array_add(names, g_strdup(name));
  g_ptr_array_sort(names, by_name);
  g_ptr_array_add(names, NULL);
  return g_strjoinv(" ", (char **)names->pdata);
}

static char *
slurp(const char *path)
{
  char *text = NULL;
  if (!g_file_get_contents(path, &text, NULL, NULL))
    return NULL;
  return text;
}

START_TEST(test_commit_renames)
{
  g_autofree char *dir = test_tmpdir_new("cxmine-output-XXXXXX");
  g_autofree char *path = g_build_filename(dir, "map.svg", NULL);
  g_autoptr(GError) error = NULL;
  CxOutputFile *f = cx_output_file_new(path, &error);
  ck_assert_ptr_nonnull(f);
  const char *tmp = cx_output_file_tmp_path(f);
  g_autofree char *base = g_path_get_basename(tmp);
  ck_assert(g_str_has_prefix(base, ".map.svg."));
  struct stat st;
  ck_assert_int_eq(stat(tmp, &st), 0);
  ck_assert_int_eq(st.st_mode & 0777, 0600);
  ck_assert(cx_output_file_write(f, "new", 3, &error));
  ck_assert(!g_file_test(path, G_FILE_TEST_EXISTS)); /* nothing in place before commit */
  ck_assert(cx_output_file_commit(f, &error));
  cx_output_file_free(f);
  g_autofree char *text = slurp(path);
  ck_assert_str_eq(text, "new");
  g_autofree char *names = listing(dir);
  ck_assert_str_eq(names, "map.svg");
  mode_t um = umask(0);
  umask(um);
  ck_assert_int_eq(stat(path, &st), 0);
  ck_assert_int_eq(st.st_mode & 0777, 0666 & ~um);
  test_tmpdir_remove(dir);
}
END_TEST

START_TEST(test_free_without_commit_keeps_the_old_file)
{
  g_autofree char *dir = test_tmpdir_new("cxmine-output-XXXXXX");
  g_autofree char *path = g_build_filename(dir, "map.dot", NULL);
  ck_assert(g_file_set_contents(path, "keep", -1, NULL));
  ck_assert_int_eq(chmod(path, 0640), 0);
  g_autoptr(GError) error = NULL;
  CxOutputFile *f = cx_output_file_new(path, &error);
  ck_assert(cx_output_file_write(f, "partial", 7, &error));
  cx_output_file_free(f);
  g_autofree char *text = slurp(path);
  ck_assert_str_eq(text, "keep");
  g_autofree char *names = listing(dir);
  ck_assert_str_eq(names, "map.dot");
  /* a commit keeps the mode the file had */
  f = cx_output_file_new(path, &error);
  ck_assert(cx_output_file_write(f, "new", 3, &error));
  ck_assert(cx_output_file_commit(f, &error));
  cx_output_file_free(f);
  struct stat st;
  ck_assert_int_eq(stat(path, &st), 0);
  ck_assert_int_eq(st.st_mode & 0777, 0640);
  test_tmpdir_remove(dir);
}
END_TEST

START_TEST(test_directory_refused)
{
  g_autofree char *dir = test_tmpdir_new("cxmine-output-XXXXXX");
  g_autoptr(GError) error = NULL;
  ck_assert_ptr_null(cx_output_file_new(dir, &error));
  ck_assert_ptr_nonnull(strstr(error->message, "is a directory"));
  ck_assert(g_error_matches(error, CX_OUTPUT_ERROR, CX_OUTPUT_ERROR_IS_DIRECTORY));
  test_tmpdir_remove(dir);
}
END_TEST

START_TEST(test_no_folder_refused)
{
  g_autofree char *dir = test_tmpdir_new("cxmine-output-XXXXXX");
  g_autofree char *path = g_build_filename(dir, "missing", "out.txt", NULL);
  g_autoptr(GError) error = NULL;
  ck_assert(!cx_output_write(path, "x", 1, &error));
  ck_assert(g_error_matches(error, CX_OUTPUT_ERROR, CX_OUTPUT_ERROR_CREATE));
  test_tmpdir_remove(dir);
}
END_TEST

/* In a child process (the registry runs once per process): registers
 * @n files of @dir, forgets the last, runs the cleanup; the parent then
 * sees only the forgotten one. */
START_TEST(test_cleanup_removes_registered_files)
{
  g_autofree char *dir = test_tmpdir_new("cxmine-cleanup-XXXXXX");
  g_autofree char *a = g_build_filename(dir, "a", NULL);
  g_autofree char *b = g_build_filename(dir, "b", NULL);
  g_autofree char *c = g_build_filename(dir, "c", NULL);
  pid_t pid = fork();
  ck_assert_int_ge(pid, 0);
  if (pid == 0) {
    const char *paths[] = { a, b, c };
    for (int i = 0; i < 3; i++) {
      if (!g_file_set_contents(paths[i], "x", 1, NULL) || !cx_cleanup_add_file(paths[i]))
        _exit(2);
    }
    cx_cleanup_forget_file(c);
    if (!cx_cleanup_run() || cx_cleanup_run()) /* the second call does nothing */
      _exit(3);
    _exit(0);
  }
  int status;
  ck_assert_int_eq(waitpid(pid, &status, 0), pid);
  ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  g_autofree char *names = listing(dir);
  ck_assert_str_eq(names, "c");
  test_tmpdir_remove(dir);
}
END_TEST

START_TEST(test_cleanup_table_is_bounded)
{
  pid_t pid = fork();
  ck_assert_int_ge(pid, 0);
  if (pid == 0) {
    for (int i = 0; i < CX_CLEANUP_MAX_FILES; i++)
      if (!cx_cleanup_add_file("/nonexistent/x"))
        _exit(2);
    if (cx_cleanup_add_file("/nonexistent/one-too-many"))
      _exit(3);
    cx_cleanup_forget_file("/nonexistent/x");
    _exit(cx_cleanup_add_file("/nonexistent/again") ? 0 : 4);
  }
  int status;
  ck_assert_int_eq(waitpid(pid, &status, 0), pid);
  ck_assert(WIFEXITED(status));
  ck_assert_int_eq(WEXITSTATUS(status), 0);
}
END_TEST

START_TEST(test_cleanup_kills_children)
{
  pid_t pid = fork();
  ck_assert_int_ge(pid, 0);
  if (pid == 0) {
    pid_t child = fork();
    if (child == 0) {
      setpgid(0, 0);
      pause();
      _exit(0);
    }
    setpgid(child, child);
    cx_cleanup_add_child(child);
    cx_cleanup_run(); /* kills and reaps it */
    _exit(waitpid(child, NULL, WNOHANG) < 0 && errno == ECHILD ? 0 : 5);
  }
  int status;
  ck_assert_int_eq(waitpid(pid, &status, 0), pid);
  ck_assert(WIFEXITED(status));
  ck_assert_int_eq(WEXITSTATUS(status), 0);
}
END_TEST

/* A fake dot on PATH that never finishes: the time limit stops it. */
START_TEST(test_render_timeout)
{
  g_autofree char *dir = test_tmpdir_new("cxmine-render-XXXXXX");
  g_autofree char *dot = g_build_filename(dir, "dot", NULL);
  ck_assert(g_file_set_contents(dot, "#!/bin/sh\nexec sleep 30\n", -1, NULL));
  ck_assert_int_eq(chmod(dot, 0755), 0);
  g_autofree char *path = g_strdup_printf("%s:%s", dir, g_getenv("PATH"));
  g_setenv("PATH", path, TRUE);
  g_autofree char *out = g_build_filename(dir, "map.svg", NULL);
  ck_assert(g_file_set_contents(out, "keep", -1, NULL));
  gint64 t0 = g_get_monotonic_time();
  g_autoptr(GError) error = NULL;
  CxOutputFile *f = cx_output_file_new(out, &error);
  gboolean ok = cx_dot_render_file("digraph{}", 9, "svg", 1, cx_output_file_tmp_path(f), &error);
  cx_output_file_free(f);
  ck_assert(!ok);
  ck_assert(g_error_matches(error, CX_DOT_ERROR, CX_DOT_ERROR_TIMEOUT));
  ck_assert_int_lt(g_get_monotonic_time() - t0, 20 * G_USEC_PER_SEC);
  g_autofree char *text = slurp(out);
  ck_assert_str_eq(text, "keep");
  g_autofree char *names = listing(dir);
  ck_assert_str_eq(names, "dot map.svg");
  test_tmpdir_remove(dir);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("output");
  TCase *tc = tcase_create("core");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, test_commit_renames);
  tcase_add_test(tc, test_free_without_commit_keeps_the_old_file);
  tcase_add_test(tc, test_directory_refused);
  tcase_add_test(tc, test_no_folder_refused);
  tcase_add_test(tc, test_cleanup_removes_registered_files);
  tcase_add_test(tc, test_cleanup_table_is_bounded);
  tcase_add_test(tc, test_cleanup_kills_children);
  tcase_add_test(tc, test_render_timeout);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_ENV);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
