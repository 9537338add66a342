/* cxmine — a gzip stream inflated from bytes pushed in.
 *
 * The one place cxmine inflates what it reads (input.c): every member of
 * a multi-member file in turn; zero padding after the last member is
 * allowed (as gzip allows), anything else after a member is an error,
 * never dropped.
 *
 * Two decoders sit behind it, with the same output and the same messages:
 * ISA-L's igzip (2-3x faster than zlib; Debian ships it on amd64 and
 * arm64), used when it was found at build time (CX_HAVE_ISAL), and zlib,
 * the fallback.  libdeflate has no streaming API, so it cannot be used for
 * a file that does not fit in memory.
 *
 * Use: cx_inflate_new(), then cx_inflate_feed() the compressed bytes and
 * cx_inflate_next() the inflated ones out, feeding more whenever
 * cx_inflate_wants_input() says so, until cx_inflate_finished(); then
 * cx_inflate_free().
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  CX_INFLATER_BEST, /* ISA-L when it was built, else zlib */
  CX_INFLATER_ZLIB,
  CX_INFLATER_ISAL, /* only when cx_inflater_available() says so */
} CxInflater;

typedef struct _CxInflate CxInflate;

/* TRUE when @which can be used (ISA-L: found at build time). */
gboolean cx_inflater_available(CxInflater which);
/* The decoder @which stands for ("ISA-L igzip" or "zlib"; BEST resolved),
 * static. */
const char *cx_inflater_name(CxInflater which);

/* Starts inflating a gzip stream with @which.  NULL with @error set
 * (CX_READER_ERROR_IO) when the decoder cannot start.  Messages do not
 * name the file: the caller prefixes its name. */
CxInflate *cx_inflate_new(CxInflater which, GError **error);

/* Hands the next @len compressed bytes over, not copied: @data must stay
 * untouched until cx_inflate_wants_input() (or the end).  @last: nothing
 * follows them (the end of the file).  Only when cx_inflate_wants_input(),
 * or once right after cx_inflate_new(). */
void cx_inflate_feed(CxInflate *z, const guint8 *data, gsize len, gboolean last);

/* Inflates into @out (up to @len bytes): returns how many it made, which
 * may be 0, and stops when @out is full, when the fed bytes are used up
 * (cx_inflate_wants_input()) or at the end (cx_inflate_finished()).
 * Returns -1 with @error set (CX_READER_ERROR_IO, "corrupt gzip data: what", "truncated gzip data
 * (...)") on corrupt or truncated data; the bytes made before a failure are good and are returned
 * first, the failure by the next call. */
gssize cx_inflate_next(CxInflate *z, guint8 *out, gsize len, GError **error);

/* TRUE when every fed byte is used and more are needed. */
gboolean cx_inflate_wants_input(const CxInflate *z);
/* TRUE once the last member (and any zero padding) was read to the end of
 * the input. */
gboolean cx_inflate_finished(const CxInflate *z);
/* The gzip members read to their end so far. */
guint cx_inflate_members(const CxInflate *z);

void cx_inflate_free(CxInflate *z);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CxInflate, cx_inflate_free)

G_END_DECLS
