/* cxmine — a bound on XML start tags, checked before libxml2 sees the bytes.
 *
 * libxml2 (2.9.14) checks an element's attributes for duplicates pairwise:
 * one start tag with 200,000 attributes takes 22 s.  XES needs a handful of
 * attributes per element, so the XES reader runs each chunk through this
 * scanner first and refuses a start tag longer than CX_TAG_MAX_BYTES or with
 * more than CX_TAG_MAX_ATTRS quoted values.  The scanner follows tags,
 * quoted attribute values (which may hold '>'), comments, CDATA sections and
 * processing instructions across chunk boundaries.
 *
 * It is cheap on the hot path: '<' cannot occur inside a tag, so a tag whose
 * '<' is followed by another '<' within CX_TAG_FAST bytes cannot pass either
 * bound (a 5-byte ' a=""' is the shortest attribute), and only memchr for
 * '<' runs over it.  Only a longer span is scanned byte by byte (its first
 * bytes are carried over from the previous chunk when needed).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A start tag's bytes, '<' to '>': twice the reader's cap on one attribute
 * value (1 MiB), so that a long value gets that more precise error. */
#define CX_TAG_MAX_BYTES (2 * 1024 * 1024)
/* Attributes (quoted values) in one start tag. */
#define CX_TAG_MAX_ATTRS 1000

/* A span from '<' to the next '<' shorter than this needs no closer look. */
#define CX_TAG_FAST 4000

typedef struct {
  int state;
  char quote;
  char prefix[9];
  guint prefix_len;
  char tail[2];            /* the last two bytes seen, for "-->", "]]>" and "?>" across chunks */
  gsize len;               /* bytes of the tag in flight */
  guint attrs;             /* quoted values in it */
  guint64 base;            /* bytes scanned before the current chunk */
  guint64 tag_start;       /* offset of the '<' of the tag in flight, from the document's start */
  char carry[CX_TAG_FAST]; /* the bytes after its '<' in earlier chunks, while it looks short */
  gsize carry_len;
} CxTagGuard;

/* Scans @n bytes of @buf, continuing the state in @g (zero-initialised at
 * the start of a document).  Returns -1 when every tag so far is within the
 * bounds; otherwise the offset in @buf where a bound was passed, with
 * *@too_many_attrs telling which. */
gssize cx_tag_guard_scan(CxTagGuard *g, const char *buf, gsize n, gboolean *too_many_attrs);

G_END_DECLS
