/* Test helper on the public API only (include/cxmine/): a log read from a
 * CSV text written to a temporary file, so unit tests of the analyses and
 * of the scan survive moves of the readers' and the sink's internals.
 *
 *   CsvLog c;
 *   csv_log_open(&c, "case,activity,timestamp\nc1,a,2024-01-01T10:00:00Z\n");
 *   g_autoptr(CxStats) s = cx_stats_new(c.log);
 *   csv_log_scan(&c, cx_stats_add, cx_stats_reset, s);
 *   ...
 *   csv_log_close(&c);
 */
#pragma once

#include <check.h>
#include <glib.h>
#include <glib/gstdio.h>
#include "cxmine/cxmine.h"

/* 2024-01-01T00:00:00Z in microseconds */
#define CSV_LOG_T0   G_GINT64_CONSTANT(1704067200000000)
#define CSV_LOG_HOUR (G_GINT64_CONSTANT(3600) * CX_USEC_PER_SEC)

typedef struct {
  CxLog *log;
  char *dir;
  char *path;
} CsvLog;

/* Writes @text to DIR/NAME in @c's directory (made on first use); returns
 * the path (owned by the caller). */
static inline char *
csv_log_write(CsvLog *c, const char *name, const char *text)
{
  if (c->dir == NULL)
    c->dir = g_dir_make_tmp("cxmine-csv-log-XXXXXX", NULL);
  ck_assert_ptr_nonnull(c->dir);
  char *path = g_build_filename(c->dir, name, NULL);
  ck_assert(g_file_set_contents(path, text, -1, NULL));
  return path;
}

/* A new log over one CSV source holding @csv (columns detected). */
static inline void
csv_log_open(CsvLog *c, const char *csv)
{
  *c = (CsvLog){ 0 };
  c->path = csv_log_write(c, "log.csv", csv);
  c->log = cx_log_new();
  cx_log_add_source(c->log, c->path, CX_FORMAT_CSV, NULL);
}

/* Scans the log into @func, failing the test on an error. */
static inline void
csv_log_scan(CsvLog *c, CxJourneyFunc func, CxResetFunc reset, gpointer data)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = cx_log_scan(c->log, func, reset, data, &error);
  ck_assert_msg(ok, "scan failed: %s", error != NULL ? error->message : "(no error)");
}

/* Frees the log and removes its files. */
static inline void
csv_log_close(CsvLog *c)
{
  g_clear_pointer(&c->log, cx_log_free);
  if (c->dir != NULL) {
    GDir *d = g_dir_open(c->dir, 0, NULL);
    for (const char *n; d != NULL && (n = g_dir_read_name(d)) != NULL;) {
      g_autofree char *f = g_build_filename(c->dir, n, NULL);
      g_unlink(f);
    }
    if (d != NULL)
      g_dir_close(d);
    g_rmdir(c->dir);
  }
  g_clear_pointer(&c->dir, g_free);
  g_clear_pointer(&c->path, g_free);
}
