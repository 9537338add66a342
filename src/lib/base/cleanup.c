/* The registry of temporary files and child processes (see cleanup.h).
 *
 * Each slot has a state: FREE, BUSY (being filled or emptied by one thread)
 * or LIVE.  A slot is claimed FREE -> BUSY with a compare-and-swap, filled,
 * then published LIVE; the signal handler only reads LIVE slots.  Paths live
 * in the slots themselves, so nothing is ever freed under the handler. */
#include "cxmine/cleanup.h"
#include <limits.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

enum { FREE = 0, BUSY = 1, LIVE = 2 };

typedef struct {
  gint state;
  char path[PATH_MAX];
} FileSlot;

typedef struct {
  gint state;
  pid_t pid;
} ChildSlot;

/* File-scope state, the one place in the library that has it, on purpose:
 * a signal handler gets no context to be passed, so the registry it reads
 * must be reachable from anywhere, and it is fixed-size and lock-free so
 * that the handler never allocates or waits. */
static FileSlot files[CX_CLEANUP_MAX_FILES];
static ChildSlot children[CX_CLEANUP_MAX_CHILDREN];
static gint ran;

gboolean
cx_cleanup_add_file(const char *path)
{
  g_return_val_if_fail(path != NULL, FALSE);
  gsize len = strlen(path);
  if (len >= PATH_MAX)
    return FALSE;
  for (guint i = 0; i < CX_CLEANUP_MAX_FILES; i++) {
    if (!g_atomic_int_compare_and_exchange(&files[i].state, FREE, BUSY))
      continue;
    memcpy(files[i].path, path, len + 1);
    g_atomic_int_set(&files[i].state, LIVE);
    return TRUE;
  }
  return FALSE;
}

void
cx_cleanup_forget_file(const char *path)
{
  if (path == NULL)
    return;
  for (guint i = 0; i < CX_CLEANUP_MAX_FILES; i++) {
    if (g_atomic_int_get(&files[i].state) != LIVE || strcmp(files[i].path, path) != 0)
      continue;
    if (g_atomic_int_compare_and_exchange(&files[i].state, LIVE, BUSY)) {
      files[i].path[0] = '\0';
      g_atomic_int_set(&files[i].state, FREE);
      return;
    }
  }
}

gboolean
cx_cleanup_add_child(pid_t pid)
{
  for (guint i = 0; i < CX_CLEANUP_MAX_CHILDREN; i++) {
    if (!g_atomic_int_compare_and_exchange(&children[i].state, FREE, BUSY))
      continue;
    children[i].pid = pid;
    g_atomic_int_set(&children[i].state, LIVE);
    return TRUE;
  }
  return FALSE;
}

void
cx_cleanup_forget_child(pid_t pid)
{
  for (guint i = 0; i < CX_CLEANUP_MAX_CHILDREN; i++) {
    if (g_atomic_int_get(&children[i].state) != LIVE || children[i].pid != pid)
      continue;
    if (g_atomic_int_compare_and_exchange(&children[i].state, LIVE, BUSY)) {
      children[i].pid = 0;
      g_atomic_int_set(&children[i].state, FREE);
      return;
    }
  }
}

gboolean
cx_cleanup_run(void)
{
  if (!g_atomic_int_compare_and_exchange(&ran, 0, 1))
    return FALSE;
  /* children first: a dot still running could create its output again */
  for (guint i = 0; i < CX_CLEANUP_MAX_CHILDREN; i++) {
    if (g_atomic_int_get(&children[i].state) != LIVE)
      continue;
    pid_t pid = children[i].pid;
    if (pid > 0) {
      kill(-pid, SIGKILL);
      kill(pid, SIGKILL);
      waitpid(pid, NULL, 0);
    }
  }
  for (guint i = 0; i < CX_CLEANUP_MAX_FILES; i++)
    if (g_atomic_int_get(&files[i].state) == LIVE)
      unlink(files[i].path);
  return TRUE;
}
