/* cxmine — sorted runs on disk for grouped events beyond the memory budget.
 *
 * A record is @rec_size bytes whose first four are its key (a guint32, the
 * case id for the sink).  Runs are written one after another, each with its
 * records in order of key; the merge hands every record of every run back in
 * order of (key, run), and within a run in the order written.  The sink
 * writes its runs in file order, so a case's events come back in file order,
 * as the in-memory counting sort gives them.
 *
 * All runs share one temporary file in $TMPDIR (g_get_tmp_dir()), unlinked
 * as soon as it is opened: it is gone on every exit path, a signal and a
 * kill included, without a name to remember. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _CxSpill CxSpill;

CxSpill *cx_spill_new(gsize rec_size);
void cx_spill_free(CxSpill *sp);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CxSpill, cx_spill_free)

/* Writing a run: begin, put its records in order of key, end. */
gboolean cx_spill_begin_run(CxSpill *sp, GError **error);
gboolean cx_spill_put(CxSpill *sp, const void *rec, GError **error);
gboolean cx_spill_end_run(CxSpill *sp, GError **error);

guint cx_spill_n_runs(const CxSpill *sp);
guint64 cx_spill_n_records(const CxSpill *sp);
guint64 cx_spill_bytes(const CxSpill *sp);

/* Merging: after the last run, with read buffers of at most about
 * @buffer_bytes in all (at least one page per run). */
gboolean cx_spill_merge_begin(CxSpill *sp, gsize buffer_bytes, GError **error);
/* The key of the next record, G_MAXUINT32 when every run is done. */
guint32 cx_spill_peek(const CxSpill *sp);
/* The next record (valid until the next call), NULL with @error set when a
 * read failed; call only while cx_spill_peek() is not G_MAXUINT32. */
const void *cx_spill_next(CxSpill *sp, GError **error);

G_END_DECLS
