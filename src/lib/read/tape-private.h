/* cxmine — a tape: records written on one thread, played back in order on
 * another once the writing is done.
 *
 * A worker that parses one chunk of a file records its sink calls on a tape
 * (tape-sink.c); the scan's thread plays the tapes back in file order.  The
 * records never span blocks; a tape holds one chunk's records, so its size
 * is bounded by the chunk's.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _CxTape CxTape;

/* Called for each block in the order written.  Returns FALSE with @error
 * set to stop. */
typedef gboolean (*CxTapeFunc)(gpointer data, const guint8 *buf, gsize len, GError **error);

CxTape *cx_tape_new(void);
void cx_tape_free(CxTape *tape);
/* Room for one record of @len bytes (8-aligned within its block); the caller
 * fills it before the next call. */
guint8 *cx_tape_put(CxTape *tape, gsize len);
/* Empties @tape for reuse, keeping its memory. */
void cx_tape_reset(CxTape *tape);
/* The bytes the tape's blocks hold (kept across resets). */
gsize cx_tape_bytes(const CxTape *tape);
/* Hands every block to @play in order; FALSE with its error when it fails. */
gboolean cx_tape_play(CxTape *tape, CxTapeFunc play, gpointer data, GError **error);

G_END_DECLS
