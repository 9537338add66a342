/* The registry of temporary files and children (cleanup.h), beyond what
 * test-output.c checks (registered files removed, the file table bounded,
 * a child killed): paths too long refused, the child table bounded, a
 * forgotten child left alone, a child's whole process group killed, a path
 * registered twice, and a run with nothing registered.  The registry runs
 * once per process: each test does its work in a child of its own. */
#include <check.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include "cxmine/cleanup.h"

/* Runs @body in a child process; returns its exit status (-1: killed). */
static int
in_child(int (*body)(gpointer), gpointer data)
{
  pid_t pid = fork();
  ck_assert_int_ge(pid, 0);
  if (pid == 0)
    _exit(body(data));
  int status;
  ck_assert_int_eq(waitpid(pid, &status, 0), pid);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* A child that sleeps in a process group of its own (with, when @grandchild,
 * a child of its own in that group that writes its pid to @fd first). */
static pid_t
sleeper(gboolean grandchild, int fd)
{
  pid_t child = fork();
  if (child == 0) {
    setpgid(0, 0);
    if (grandchild) {
      pid_t g = fork();
      if (g == 0) {
        pause();
        _exit(0);
      }
      if (write(fd, &g, sizeof g) != (gssize)sizeof g)
        _exit(9);
    }
    pause();
    _exit(0);
  }
  setpgid(child, child);
  return child;
}

static int
body_long_paths(gpointer data)
{
  (void)data;
  char *path = g_malloc(PATH_MAX + 1);
  memset(path, 'x', PATH_MAX);
  path[PATH_MAX] = '\0';
  if (cx_cleanup_add_file(path)) /* PATH_MAX bytes: no room for the NUL */
    return 2;
  path[PATH_MAX - 1] = '\0';
  if (!cx_cleanup_add_file(path)) /* the longest that fits */
    return 3;
  g_free(path);
  return 0;
}

START_TEST(test_long_paths)
{
  ck_assert_int_eq(in_child(body_long_paths, NULL), 0);
}
END_TEST

static int
body_children_bounded(gpointer data)
{
  (void)data;
  for (pid_t p = 1000001; p < 1000001 + CX_CLEANUP_MAX_CHILDREN; p++)
    if (!cx_cleanup_add_child(p))
      return 2;
  if (cx_cleanup_add_child(2000000))
    return 3;
  cx_cleanup_forget_child(1999999); /* not registered: nothing freed */
  if (cx_cleanup_add_child(2000000))
    return 4;
  cx_cleanup_forget_child(1000003);
  if (!cx_cleanup_add_child(2000000))
    return 5;
  if (cx_cleanup_add_child(2000001))
    return 6;
  /* all forgotten: the run kills nothing (these pids are no children) */
  for (pid_t p = 1000001; p < 1000001 + CX_CLEANUP_MAX_CHILDREN; p++)
    cx_cleanup_forget_child(p);
  cx_cleanup_forget_child(2000000);
  return 0;
}

START_TEST(test_children_bounded)
{
  ck_assert_int_eq(in_child(body_children_bounded, NULL), 0);
}
END_TEST

/* a forgotten child lives on; a registered one dies with its process
 * group (a grandchild in it too) */
/* @pid no longer runs: no such process, or a zombie not yet reaped by
 * whoever adopted it */
static gboolean
gone(pid_t pid)
{
  if (kill(pid, 0) != 0)
    return TRUE;
  g_autofree char *stat_path = g_strdup_printf("/proc/%d/stat", (int)pid);
  g_autofree char *stat = NULL;
  if (!g_file_get_contents(stat_path, &stat, NULL, NULL))
    return TRUE;
  const char *close_paren = strrchr(stat, ')');
  return close_paren != NULL && close_paren[1] == ' ' && close_paren[2] == 'Z';
}

static int
body_forgotten_child(gpointer data)
{
  (void)data;
  int fds[2];
  if (pipe(fds) != 0)
    return 2;
  pid_t kept = sleeper(FALSE, -1);
  pid_t killed = sleeper(TRUE, fds[1]);
  pid_t grandchild = 0;
  if (read(fds[0], &grandchild, sizeof grandchild) != (gssize)sizeof grandchild)
    return 3;
  if (!cx_cleanup_add_child(kept) || !cx_cleanup_add_child(killed))
    return 4;
  cx_cleanup_forget_child(kept);
  if (!cx_cleanup_run())
    return 5;
  /* reaped by the run */
  if (!(waitpid(killed, NULL, WNOHANG) < 0 && errno == ECHILD))
    return 6;
  /* the grandchild is gone too (not our child: ask with signal 0) */
  for (int i = 0; i < 200 && !gone(grandchild); i++)
    g_usleep(10000);
  if (!gone(grandchild))
    return 7;
  /* the forgotten one still runs */
  if (waitpid(kept, NULL, WNOHANG) != 0 || kill(kept, 0) != 0)
    return 8;
  kill(kept, SIGKILL);
  waitpid(kept, NULL, 0);
  return 0;
}

START_TEST(test_forgotten_child)
{
  ck_assert_int_eq(in_child(body_forgotten_child, NULL), 0);
}
END_TEST

/* the same path registered twice: forgetting it once keeps the other
 * registration; forgetting an unknown path changes nothing */
static int
body_twice(gpointer data)
{
  const char *const *paths = data;
  for (int i = 0; i < 2; i++)
    if (!g_file_set_contents(paths[i], "x", 1, NULL))
      return 2;
  if (!cx_cleanup_add_file(paths[0]) || !cx_cleanup_add_file(paths[0])
      || !cx_cleanup_add_file(paths[1]))
    return 3;
  cx_cleanup_forget_file(paths[0]);
  cx_cleanup_forget_file("/nonexistent/never-registered");
  cx_cleanup_forget_file(NULL);
  if (!cx_cleanup_run())
    return 4;
  return 0;
}

START_TEST(test_registered_twice)
{
  g_autofree char *dir = g_dir_make_tmp("cxmine-cleanup-XXXXXX", NULL);
  ck_assert_ptr_nonnull(dir);
  g_autofree char *a = g_build_filename(dir, "a", NULL);
  g_autofree char *b = g_build_filename(dir, "b", NULL);
  const char *paths[] = { a, b };
  ck_assert_int_eq(in_child(body_twice, paths), 0);
  ck_assert(!g_file_test(a, G_FILE_TEST_EXISTS));
  ck_assert(!g_file_test(b, G_FILE_TEST_EXISTS));
  ck_assert_int_eq(g_rmdir(dir), 0); /* empty */
}
END_TEST

static int
body_empty_run(gpointer data)
{
  (void)data;
  if (!cx_cleanup_run())
    return 2;
  if (cx_cleanup_run())
    return 3;
  /* registering after the run still works; a second run does nothing */
  if (!cx_cleanup_add_file("/nonexistent/late"))
    return 4;
  return cx_cleanup_run() ? 5 : 0;
}

START_TEST(test_empty_run)
{
  ck_assert_int_eq(in_child(body_empty_run, NULL), 0);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("cleanup");
  TCase *tc = tcase_create("cleanup");
  tcase_add_test(tc, test_long_paths);
  tcase_add_test(tc, test_children_bounded);
  tcase_add_test(tc, test_forgotten_child);
  tcase_add_test(tc, test_registered_twice);
  tcase_add_test(tc, test_empty_run);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_ENV);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
