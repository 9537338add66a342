/* cxmine — scratch files: bytes the library keeps on disk instead of in
 * memory (the grouped events past --memory, an analysis's long lists).
 *
 * A scratch file is made in $TMPDIR (g_get_tmp_dir()) and unlinked as soon
 * as it is opened: the open file lives on, and no exit path, a signal and a
 * kill included, can leave it behind.  Reads and writes are positioned and
 * whole (retried on EINTR and short counts). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A new scratch file named after @prefix ("cxmine-spill"); its descriptor,
 * or -1 with errno set. */
int cx_scratch_open(const char *prefix);

/* Writes the @len bytes of @buf at @offset of @fd; 0 on success, else the
 * errno value (ENOSPC for a write that made no progress). */
int cx_scratch_write(int fd, const void *buf, gsize len, guint64 offset);

/* Reads @len bytes at @offset of @fd into @buf; 0 on success, else the
 * errno value (EIO for a file that ends before them). */
int cx_scratch_read(int fd, void *buf, gsize len, guint64 offset);

/* The scratch file of a store that keeps an analysis's data on disk (its
 * long lists, its records of each journey): made at its first write, and
 * its first failure kept, so that the analysis can check once a journey
 * and once at its end rather than at every block.  A failure reads
 * "cannot create|write|read the temporary file in DIR that keeps WHAT:
 * REASON (TMPDIR says where)". */
typedef struct {
  int fd;             /* -1 until the first write */
  const char *prefix; /* of its name (static) */
  const char *what;   /* what it keeps, for the message (static) */
  GError *error;      /* the first failure */
} CxScratch;

void cx_scratch_init(CxScratch *s, const char *prefix, const char *what);
/* Closes the file (if made) and forgets the failure. */
void cx_scratch_clear(CxScratch *s);
/* Empties the file for a new pass and forgets the failure. */
void cx_scratch_reset(CxScratch *s);
/* Writes (making the file first when needed) or reads @len bytes at
 * @offset; FALSE on a failure, kept (a write after one does nothing). */
gboolean cx_scratch_put(CxScratch *s, const void *buf, gsize len, guint64 offset);
gboolean cx_scratch_get(CxScratch *s, void *buf, gsize len, guint64 offset);
/* FALSE with @error set once a write or read of @s failed. */
gboolean cx_scratch_check(const CxScratch *s, GError **error);

G_END_DECLS
