/* What the command line does so that an interrupted run leaves nothing
 * behind, and a failed write to standard output is not a success:
 *  - SIGINT, SIGTERM, SIGHUP, SIGPIPE: stop the children and remove the
 *    temporary files the run registered (cx_cleanup_run), then die by the
 *    same signal, so the caller sees 128 + the signal number;
 *  - at exit: standard output is flushed and closed, and an error there
 *    (a full disk, a closed descriptor) turns the exit status into 1, also
 *    after GOption printed --help and called exit(0). */
#include "cmd.h"
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <string.h>
#include <unistd.h>

static const int signals[] = { SIGINT, SIGTERM, SIGHUP, SIGPIPE };

static void
on_signal(int sig)
{
  if (!cx_cleanup_run()) {
    /* a second signal on another thread: the first handler finishes the
     * cleanup and ends the process */
    for (;;)
      pause();
  }
  /* die by the signal itself: the shell reports 128 + sig */
  signal(sig, SIG_DFL);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, sig);
  pthread_sigmask(SIG_UNBLOCK, &set, NULL);
  raise(sig);
  _exit(128 + sig);
}

static void
close_stdout(void)
{
  gboolean pending = __fpending(stdout) != 0;
  gboolean failed = ferror(stdout) != 0;
  int closed = fclose(stdout);
  int e = errno;
  if (failed || (closed != 0 && (pending || e != EBADF))) {
    if (!failed || e == 0)
      e = closed != 0 ? e : EIO;
    fprintf(stderr, "cxmine: standard output: %s\n", g_strerror(e));
    _exit(CX_EXIT_FAIL);
  }
}

void
cx_cli_guard_init(void)
{
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  for (gsize i = 0; i < G_N_ELEMENTS(signals); i++)
    sigaddset(&sa.sa_mask, signals[i]);
  for (gsize i = 0; i < G_N_ELEMENTS(signals); i++) {
    struct sigaction old;
    /* a signal ignored by whoever started us stays ignored */
    if (sigaction(signals[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
      continue;
    sigaction(signals[i], &sa, NULL);
  }
  atexit(close_stdout);
}
