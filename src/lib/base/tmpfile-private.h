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

G_END_DECLS
