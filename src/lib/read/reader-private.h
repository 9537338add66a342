/* cxmine — internals shared by the readers and the scan driver. */
#pragma once

#include <glib.h>
#include "cxmine/reader.h"
#include "cxmine/sink.h"
#include "sink-private.h"

G_BEGIN_DECLS

/* A byte source: a plain or gzip file (detected by magic bytes), or
 * standard input. Reads in large chunks. */
typedef struct _CxInput CxInput;

/* Opens @path ("-" = standard input). */
CxInput *cx_input_open(const char *path, GError **error);
/* Opens an in-memory buffer (not copied; for tests and fuzzing). @name is used in messages. */
CxInput *cx_input_new_from_data(const char *name, const char *data, gsize len);
void cx_input_free(CxInput *in);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CxInput, cx_input_free)

/* The next chunk, in place: *@data stays valid until the next call or
 * cx_input_free(). Returns its length, 0 at the end, -1 with @error set on
 * failure (I/O error, truncated or corrupt gzip). From the second chunk
 * (1 MiB) on, a file is read and inflated ahead on a thread of its own. */
gssize cx_input_next(CxInput *in, const char **data, GError **error);
/* Reads (and inflates) up to @len bytes into @buf on the caller's thread,
 * with no copy in between: the bytes read, 0 at the end, -1 with @error
 * set on failure.  Not after cx_input_next() has started reading ahead. */
gssize cx_input_read(CxInput *in, char *buf, gsize len, GError **error);
/* With FALSE, every chunk is read on the caller's thread (--threads 1). */
void cx_input_set_read_ahead(CxInput *in, gboolean ahead);
/* TRUE when cx_input_next() reads a file ahead on a thread of its own. */
gboolean cx_input_reads_ahead(const CxInput *in);
/* TRUE when the file turned out to be gzip (known once something was read). */
gboolean cx_input_compressed(const CxInput *in);
/* The size of a plain regular file at open; 0 for gzip, a pipe or memory. */
guint64 cx_input_plain_size(const CxInput *in);
/* Hands how far the file is read to @func (cxmine/progress.h) from the next
 * chunk on, on the thread that calls cx_input_next(); its last call comes
 * from cx_input_free().  Memory inputs report nothing. */
void cx_input_set_progress(CxInput *in, CxProgressFunc func, gpointer user_data);
/* The name for messages: the path, or "<stdin>". */
const char *cx_input_name(const CxInput *in);
/* Renames @in for messages (standard input spooled to a temporary file). */
void cx_input_set_name(CxInput *in, const char *name);
/* Looks at the first bytes without consuming them (after gzip decoding).
 * Returns how many bytes are in *@data (up to @want). */
gsize cx_input_peek(CxInput *in, const char **data, gsize want, GError **error);

/* Rewrites @error, set by cx_input_next() as "NAME: what", to
 * "NAME:LINE: what" so that read failures (a truncated gzip) name the line
 * the reader had reached.  Leaves other messages alone. */
void cx_input_error_at_line(const CxInput *in, GError *error, guint64 line);

/* TRUE when the CSV reader would take a column named @name (any case) for
 * a role it detects (case, activity, timestamps, resource, channel,
 * lifecycle) or as a case:KEY column: a log writer must not use such a name
 * for an attribute column. */
gboolean cx_csv_role_name(const char *name);

/* Guesses the format from the first bytes: '<' after BOM/space = XES. */
CxFormat cx_format_detect(const char *data, gsize len);

/* The readers. Each pushes every event of @in into @sink and returns FALSE
 * with @error set ("FILE:LINE:COL: what 'value'") on bad input. */
gboolean cx_xes_read(CxInput *in, CxSink *sink, const CxReadOptions *opts, GError **error);
/* cx_xes_read() on @threads workers (xes-split.c), once the file has more
 * than @after bytes (smaller files are read on this thread).  On a failure
 * it asks the scan to read again on one thread (cx_sink_ask_one_thread)
 * unless the sink saw a repeated case id. */
gboolean cx_xes_read_split(CxInput *in, CxSink *sink, const CxReadOptions *opts, guint threads,
                           gsize after, GError **error);
gboolean cx_csv_read(CxInput *in, CxSink *sink, const CxReadOptions *opts, GError **error);
/* cx_csv_read() with the rest of the file on @threads workers once @after
 * bytes are read and the decisions that depend on the rows in order are
 * made (csv-split.c; smaller files are read on this thread).  On a failure
 * there it asks the scan to read again on one thread
 * (cx_sink_ask_one_thread); its notices are told only when it does not. */
gboolean cx_csv_read_split(CxInput *in, CxSink *sink, const CxReadOptions *opts, guint threads,
                           gsize after, GError **error);
/* What one CSV read cost, for tests that check the work stays linear and
 * the buffer bounded. */
typedef struct {
  gsize scanned; /* bytes the record parser looked at (each byte once, however long its record) */
  gsize buffer_peak; /* the size the record buffer grew to */
} CxCsvWork;
/* cx_csv_read(), telling what the read cost in *@work (also after a failure). */
gboolean cx_csv_read_measured(CxInput *in, CxSink *sink, const CxReadOptions *opts, CxCsvWork *work,
                              GError **error);

G_END_DECLS

G_BEGIN_DECLS
/* A deep copy of the per-source reading options of @opts (free with
 * cx_read_options_clear() and g_free()). */
CxReadOptions *cx_read_options_copy_reading(const CxReadOptions *opts);
/* TRUE when @path ("-" = standard input) cannot be read twice: standard
 * input, a FIFO, a character device, /dev/stdin or a <(...) pipe. */
gboolean cx_source_needs_spool(const char *path);
/* Copies @path ("-" = standard input) to a new file in $TMPDIR, registered
 * in @log at once (removed by cx_log_free(), also after a failure here), and
 * sets *@spool to its path.  The one place a spool file is made.  Returns
 * FALSE with @error set ("NAME: cannot read: <strerror>") on failure. */
gboolean cx_source_spool(CxLog *log, const char *path, char **spool, GError **error);
G_END_DECLS
