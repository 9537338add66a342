/* cxmine — records: fixed-size records an analysis keeps one per journey
 * (friction's durations and counts of a case, the outcome's end of a
 * journey), appended in order and read back by their index.
 *
 * They add up with the log, so past the first MiB they live on disk: each
 * full block (64 KiB) goes to a scratch file (tmpfile-private.h) and comes
 * back through a small cache of blocks.  Reading in ascending order (a pass
 * over every journey, or over a finding's cases) reads each block once;
 * reading at random costs a block read a miss, so a reader that sorts by a
 * field copies that field out first.  What stays in memory is the first
 * MiB, the block being filled and the cache (four blocks).
 *
 * A store keeps its first failure (a full disk, a failed read): records
 * read after it are zeros, and cx_records_check() tells it; an analysis
 * checks it after each journey and at its end.  The test setting
 * CXMINE_TEST_LIST_BLOCK=N (tag-list-private.h) also puts every block of
 * records on disk, N records a block. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _CxRecords CxRecords;

/* A new store of records of @size bytes (its scratch file is made when
 * first needed). */
CxRecords *cx_records_new(gsize size);
void cx_records_free(CxRecords *r);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CxRecords, cx_records_free)
/* Empties @r (a new pass) and forgets its failure. */
void cx_records_reset(CxRecords *r);
/* FALSE with @error set once a record of @r failed to be written or read. */
gboolean cx_records_check(const CxRecords *r, GError **error);

guint64 cx_records_len(const CxRecords *r);
/* Appends a copy of the record at @rec. */
void cx_records_append(CxRecords *r, const void *rec);
/* Copies record @i (< cx_records_len()) to @rec. */
void cx_records_get(CxRecords *r, guint64 i, void *rec);

G_END_DECLS
