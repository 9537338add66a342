/* Rendering DOT with Graphviz's dot: a 0600 temporary DOT file, dot in its
 * own process group with a time limit, the picture written where the caller
 * says (a temporary file that is renamed into place only on success). */
#include "cxmine/dot-writer.h"
#include "cxmine/cleanup.h"
#include "cxmine/output.h"
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* dot's stderr kept for the error message */
#define ERR_MAX 4096

static gboolean
format_ok(const char *f)
{
  if (f == NULL || f[0] == '\0')
    return FALSE;
  for (const char *p = f; *p != '\0'; p++)
    if (!g_ascii_isalnum(*p) && *p != ':')
      return FALSE;
  return TRUE;
}

gboolean
cx_dot_available(GError **error)
{
  g_autofree char *prog = g_find_program_in_path("dot");
  if (prog == NULL) {
    g_set_error(error, CX_DOT_ERROR, CX_DOT_ERROR_NO_GRAPHVIZ,
                "Graphviz 'dot' not found: install graphviz");
    return FALSE;
  }
  return TRUE;
}

/* The signals whose handlers clean up: blocked while dot is spawned and
 * registered, so that no signal falls between the two. */
static void
terminating_signals(sigset_t *set)
{
  sigemptyset(set);
  sigaddset(set, SIGINT);
  sigaddset(set, SIGTERM);
  sigaddset(set, SIGHUP);
  sigaddset(set, SIGPIPE);
}

static void
child_setup(gpointer data)
{
  /* its own process group: stopping it stops whatever it started too */
  setpgid(0, 0);
  pthread_sigmask(SIG_SETMASK, (const sigset_t *)data, NULL);
}

static gint64
now_ms(void)
{
  return g_get_monotonic_time() / 1000;
}

/* Waits for @pid until @deadline_ms (monotonic; 0 = none), reading its
 * stderr from @err_fd into @err. Returns TRUE when it exited (status in
 * @status), FALSE when the deadline passed. */
static gboolean
wait_child(GPid pid, int err_fd, gint64 deadline_ms, GString *err, int *status)
{
  gboolean eof = FALSE;
  while (!eof) {
    int wait = -1;
    if (deadline_ms > 0) {
      gint64 left = deadline_ms - now_ms();
      if (left <= 0)
        return FALSE;
      wait = (int)MIN(left, 1000);
    }
    struct pollfd p = { .fd = err_fd, .events = POLLIN };
    int r = poll(&p, 1, wait);
    if (r < 0 && errno != EINTR)
      break;
    if (r <= 0)
      continue;
    char buf[1024];
    ssize_t n = read(err_fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      eof = TRUE;
    else if (err->len < ERR_MAX)
      g_string_append_len(err, buf, MIN((gsize)n, ERR_MAX - err->len));
  }
  /* stderr closed: the child is exiting (or closed it and went on) */
  for (;;) {
    pid_t r = waitpid(pid, status, WNOHANG);
    if (r == pid)
      return TRUE;
    if (r < 0 && errno != EINTR)
      return TRUE; /* already reaped: nothing to wait for */
    if (deadline_ms > 0 && now_ms() >= deadline_ms)
      return FALSE;
    g_usleep(10000);
  }
}

gboolean
cx_dot_render_file(const char *dot_text, gsize len, const char *format, guint timeout_s,
                   const char *image_path, GError **error)
{
  if (!format_ok(format)) {
    g_set_error(error, CX_DOT_ERROR, CX_DOT_ERROR_FORMAT, "bad output format '%s'",
                format != NULL ? format : "");
    return FALSE;
  }
  g_autofree char *prog = g_find_program_in_path("dot");
  if (prog == NULL)
    return cx_dot_available(error);

  /* the DOT text goes through the descriptor of the 0600 file
   * g_file_open_tmp made: nobody else can read the map */
  g_autofree char *tmp = NULL;
  int fd = g_file_open_tmp("cxmine-XXXXXX.dot", &tmp, error);
  if (fd < 0)
    return FALSE;
  cx_cleanup_add_file(tmp);
  gboolean ok = cx_output_write_fd(fd, dot_text, len);
  int e = errno;
  if (close(fd) != 0 && ok) {
    ok = FALSE;
    e = errno;
  }
  if (!ok) {
    unlink(tmp);
    cx_cleanup_forget_file(tmp);
    g_set_error(error, CX_DOT_ERROR, CX_DOT_ERROR_FAILED, "%s: cannot write: %s", tmp,
                g_strerror(e));
    return FALSE;
  }

  g_autofree char *targ = g_strdup_printf("-T%s", format);
  g_autofree char *oarg = g_strdup_printf("-o%s", image_path);
  char *argv[] = { prog, targ, oarg, tmp, NULL };
  sigset_t block, old;
  terminating_signals(&block);
  pthread_sigmask(SIG_BLOCK, &block, &old);
  GPid pid = 0;
  int err_fd = -1;
  g_autoptr(GError) local = NULL;
  ok = g_spawn_async_with_pipes(NULL, argv, NULL,
                                G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL, child_setup,
                                &old, &pid, NULL, NULL, &err_fd, &local);
  if (ok)
    cx_cleanup_add_child(pid);
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  if (!ok) {
    unlink(tmp);
    cx_cleanup_forget_file(tmp);
    g_set_error(error, CX_DOT_ERROR, CX_DOT_ERROR_FAILED, "cannot run %s: %s", prog,
                local->message);
    return FALSE;
  }

  g_autoptr(GString) err = g_string_new(NULL);
  int status = 0;
  gint64 deadline = timeout_s > 0 ? now_ms() + (gint64)timeout_s * 1000 : 0;
  gboolean exited = wait_child(pid, err_fd, deadline, err, &status);
  if (!exited) {
    kill(-pid, SIGKILL);
    kill(pid, SIGKILL);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
      ;
  } else {
    /* whatever it started in its group goes with it */
    kill(-pid, SIGKILL);
  }
  cx_cleanup_forget_child(pid);
  g_spawn_close_pid(pid);
  close(err_fd);
  unlink(tmp);
  cx_cleanup_forget_file(tmp);

  if (!exited) {
    g_set_error(error, CX_DOT_ERROR, CX_DOT_ERROR_TIMEOUT,
                "dot %s was stopped after %u s (its time limit): the map is too big to lay "
                "out in time",
                targ, timeout_s);
    return FALSE;
  }
  if (!g_spawn_check_wait_status(status, NULL)) {
    g_strstrip(err->str);
    char *nl = strchr(err->str, '\n');
    if (nl != NULL)
      *nl = '\0';
    g_set_error(error, CX_DOT_ERROR, CX_DOT_ERROR_FAILED, "dot %s failed: %s", targ,
                err->str[0] != '\0' ? err->str : "no message");
    return FALSE;
  }
  struct stat st;
  if (stat(image_path, &st) != 0 || st.st_size == 0) {
    g_set_error(error, CX_DOT_ERROR, CX_DOT_ERROR_FAILED, "dot %s wrote nothing", targ);
    return FALSE;
  }
  return TRUE;
}

gboolean
cx_dot_render(const char *dot_text, gsize len, const char *format, const char *out_path,
              GError **error)
{
  if (!format_ok(format)) {
    g_set_error(error, CX_DOT_ERROR, CX_DOT_ERROR_FORMAT, "bad output format '%s'",
                format != NULL ? format : "");
    return FALSE;
  }
  if (!cx_dot_available(error))
    return FALSE;
  g_autoptr(CxOutputFile) f = cx_output_file_new(out_path, error);
  return f != NULL
         && cx_dot_render_file(dot_text, len, format, CX_DOT_RENDER_TIMEOUT,
                               cx_output_file_tmp_path(f), error)
         && cx_output_file_commit(f, error);
}
