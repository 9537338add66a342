/* cxmine — what a run created, so that an interrupted run can remove it.
 *
 * Temporary files (the standard-input spool, render temporaries, the
 * ".NAME.XXXXXX" files outputs are written to before their rename) and child
 * processes (Graphviz's dot) are registered here while they exist.  When the
 * program is stopped by a signal, its handler calls cx_cleanup_run(), which
 * stops the registered children and removes the registered files.
 *
 * The registry is a fixed table of slots (no allocation, no locks), so that
 * cx_cleanup_run() is async-signal-safe and may run on any thread while
 * others register or forget entries.  The library only keeps the table; the
 * program installs the signal handlers (the CLI does, in guard.c). */
#pragma once

#include <glib.h>
#include <sys/types.h>

G_BEGIN_DECLS

/* How many files / children can be registered at once; more are not
 * registered (and then not removed on a signal). */
#define CX_CLEANUP_MAX_FILES    64
#define CX_CLEANUP_MAX_CHILDREN 8

/* Registers @path (a file this run created) for removal on a signal.
 * Returns FALSE when the table is full or the path too long. Thread-safe. */
gboolean cx_cleanup_add_file(const char *path);
/* Forgets @path (after it was renamed into place or removed). Thread-safe. */
void cx_cleanup_forget_file(const char *path);

/* Registers child process @pid; it leads its own process group, which
 * cx_cleanup_run() kills with SIGKILL and reaps. Thread-safe. */
gboolean cx_cleanup_add_child(pid_t pid);
/* Forgets @pid (after it was reaped). Thread-safe. */
void cx_cleanup_forget_child(pid_t pid);

/* Kills and reaps the registered children, then removes the registered
 * files. Async-signal-safe; runs once: returns TRUE for the call that did
 * the work, FALSE at once for any other (perhaps while the first is still
 * at work on another thread). */
gboolean cx_cleanup_run(void);

G_END_DECLS
