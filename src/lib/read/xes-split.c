/* One XES file on several threads.
 *
 * The scan's thread reads the (inflated) file and cuts it into chunks at
 * the start tags of traces: the bytes before the first trace are the log's
 * header (declaration, namespaces, extensions, globals, classifiers), and
 * every chunk is parsed by a worker as a log of its own: the header, the
 * chunk's traces, the log's end tag.  Each worker records its sink calls
 * (tape-sink.c); the scan's thread plays the recordings into the sink in
 * file order (parallel.c), so the sink and every analysis see what one
 * thread would have shown them, call for call.
 *
 * A cut is found by looking for "<trace" followed by a space, '>' or '/':
 * no XML is parsed on the scan's thread.  The search can be fooled only by
 * that text inside a comment, a CDATA section or a processing instruction
 * (never in text or attribute values, where '<' is not allowed), or by a
 * trace nested where it does not belong; then the chunk before the cut
 * ends inside that construct or element, its parse fails, and since chunks
 * are played in order, nothing after the first failed chunk is played.
 *
 * The first chunk gets the whole header; the others a compact one: the
 * declaration and the root's start tag, then only the <global> and
 * <classifier> elements (all the reader takes from a header).  A log's own
 * attributes, which some exports fill with megabytes of statistics
 * (BPIC 2012: 6.7 MB before its first trace), are not parsed again for
 * every chunk, and a fault anywhere in them still fails the first chunk.
 * A split read asks as it begins (cx_sink_ask_one_thread) that any failure
 * of the pass (a worker's, the sink's, the input's) make the scan read again
 * on one thread, so errors and their lines and columns are exactly those of
 * a one-thread read.
 */
#define _GNU_SOURCE /* memmem */
#include "xes-private.h"
#include "chunk-private.h"
#include "cxmine/timestamp.h"
#include <string.h>

/* Bytes read at a time, straight into the chunk, before a cut is looked
 * for: what follows a cut is copied into the next chunk, so this bounds
 * that copy. */
#define STEP (64 * 1024)
/* A header longer than this (or a file without "<trace") is read on one thread. */
#define HEADER_MAX (16 * 1024 * 1024)
/* The longest root element name a chunk's end tag is made for. */
#define ROOT_MAX 256

typedef struct {
  CxInput *in;
  CxSink *sink;
  CxReadOptions wopts; /* the workers': no progress */
  GByteArray *acc;     /* the first bytes read: the header, then traces */
  gsize acc_pos;       /* how far the chunks have taken acc's traces */
  char *head;          /* the header: the first chunk's */
  gsize head_len;
  GString *body_head;         /* the others' (compact_header()); NULL: the whole header */
  gsize c_head;               /* the header's length in the chunk being filled */
  gboolean made;              /* the first chunk was made */
  char end_tag[ROOT_MAX + 4]; /* "</log>" */
  gsize end_len;
  gboolean eof;
  gsize target;     /* the least bytes a chunk holds (cx_parallel_chunk_target) */
  guint64 taken;    /* bytes of the file handed to chunks */
  GPtrArray *spare; /* CxChunk*: played, for reuse (their memory stays mapped) */
} Split;

/* A chunk holding the header only (the whole one first, then the compact
 * one): a spare one, or a new one. */
static CxChunk *
chunk_new(Split *sp)
{
  const char *head = sp->head;
  gsize len = sp->head_len;
  if (sp->made && sp->body_head != NULL) {
    head = sp->body_head->str;
    len = sp->body_head->len;
  }
  sp->made = TRUE;
  CxChunk *c = cx_chunk_new(sp->spare, sizeof(CxChunk), sp->sink,
                            len + MIN(sp->target, (gsize)CX_PARALLEL_CHUNK) + STEP);
  g_byte_array_append(c->bytes, (const guint8 *)head, (guint)len);
  sp->c_head = len;
  return c;
}

static gboolean
parse(CxChunk *c, gpointer data)
{
  Split *sp = data;
  g_autoptr(CxInput) in
      = cx_input_new_from_data(cx_input_name(sp->in), (const char *)c->bytes->data, c->bytes->len);
  const char *buf;
  gssize n = cx_input_next(in, &buf, NULL);
  return n > 0 && cx_xes_read_from(in, buf, (gsize)n, c->rec, &sp->wopts, TRUE, NULL);
}

static void
work(gpointer job, gpointer data)
{
  cx_chunk_parse(job, parse, data);
}

/* The first "<trace" start tag in [@p, @end), or NULL (also when the byte
 * after it is not in yet). */
static const char *
find_trace(const char *p, const char *end)
{
  while (p < end && (p = memmem(p, (gsize)(end - p), "<trace", 6)) != NULL) {
    if (p + 6 >= end)
      return NULL;
    char c = p[6];
    if (c == '>' || c == '/' || c == ' ' || c == '\t' || c == '\n' || c == '\r')
      return p;
    p += 6;
  }
  return NULL;
}

/* Just past the '>' that ends the tag at @p (quoted values may hold '>'),
 * or NULL. */
static const char *
tag_end(const char *p, const char *end)
{
  char quote = 0;
  for (p++; p < end; p++) {
    if (quote != 0) {
      if (*p == quote)
        quote = 0;
    } else if (*p == '"' || *p == '\'') {
      quote = *p;
    } else if (*p == '>') {
      return p + 1;
    }
  }
  return NULL;
}

/* Just past the end of the comment, CDATA section or processing
 * instruction at @p, @p itself when there is none, NULL when it is not
 * closed. */
static const char *
skip_markup(const char *p, const char *end)
{
  static const struct {
    const char *open, *close;
  } kinds[] = { { "<!--", "-->" }, { "<![CDATA[", "]]>" }, { "<?", "?>" } };
  for (gsize k = 0; k < G_N_ELEMENTS(kinds); k++) {
    gsize n = strlen(kinds[k].open), m = strlen(kinds[k].close);
    if ((gsize)(end - p) >= n && memcmp(p, kinds[k].open, n) == 0) {
      const char *q = memmem(p + n, (gsize)(end - p) - n, kinds[k].close, m);
      return q != NULL ? q + m : NULL;
    }
  }
  return p;
}

/* Whether the element whose name starts at @p (prefixed or not) is one a
 * chunk's header keeps. */
static gboolean
kept_element(const char *p, const char *end)
{
  const char *q = p;
  while (q < end && !g_ascii_isspace(*q) && *q != '/' && *q != '>')
    q++;
  const char *colon = memchr(p, ':', (gsize)(q - p));
  if (colon != NULL)
    p = colon + 1;
  gsize n = (gsize)(q - p);
  return (n == 6 && memcmp(p, "global", 6) == 0) || (n == 10 && memcmp(p, "classifier", 10) == 0);
}

/* The root element's start tag in the header @h: past the declaration,
 * comments and instructions; NULL when a DOCTYPE or an unclosed comment
 * comes first (left to the one-thread reader). */
static const char *
root_start(const char *h, const char *end)
{
  const char *p = h;
  while ((p = memchr(p, '<', (gsize)(end - p))) != NULL && p + 1 < end) {
    if (p[1] == '!' && !((gsize)(end - p) >= 4 && memcmp(p, "<!--", 4) == 0))
      return NULL; /* a DOCTYPE */
    const char *q = skip_markup(p, end);
    if (q == NULL)
      return NULL;
    if (q == p)
      return p;
    p = q;
  }
  return NULL;
}

/* The end tag of the root element the header opens ("</log>", "</xes:log>"),
 * or FALSE when the header is not one this file knows how to close (a
 * DOCTYPE, a root name too long). */
static gboolean
root_end_tag(Split *sp)
{
  const char *end = sp->head + sp->head_len;
  const char *p = root_start(sp->head, end);
  if (p == NULL)
    return FALSE;
  gsize n = 0;
  while (p + 1 + n < end && !g_ascii_isspace(p[1 + n]) && p[1 + n] != '>' && p[1 + n] != '/')
    n++;
  if (n == 0 || n > ROOT_MAX)
    return FALSE;
  sp->end_len = (gsize)g_snprintf(sp->end_tag, sizeof sp->end_tag, "</%.*s>", (int)n, p + 1);
  return TRUE;
}

/* The compact header of the chunks after the first (see the top): FALSE,
 * and the whole header for every chunk, when the header is not plain
 * markup this scan follows (a DOCTYPE, an unclosed comment). */
static gboolean
compact_header(const char *h, gsize n, GString *out)
{
  const char *end = h + n;
  const char *p = root_start(h, end);
  if (p == NULL || p[1] == '/')
    return FALSE;
  const char *root_end = tag_end(p, end);
  if (root_end == NULL || root_end[-2] == '/')
    return FALSE;
  g_string_append_len(out, h, root_end - h);
  guint depth = 0;
  const char *elem = NULL; /* the kept element being passed, at depth 0 */
  p = root_end;
  while ((p = memchr(p, '<', (gsize)(end - p))) != NULL) {
    const char *q = skip_markup(p, end);
    if (q == NULL || (q == p && p + 1 < end && p[1] == '!'))
      return FALSE;
    if (q != p) {
      p = q;
      continue;
    }
    q = tag_end(p, end);
    if (q == NULL)
      return FALSE;
    gboolean closes = p[1] == '/', empty = !closes && q[-2] == '/';
    if (closes && depth == 0)
      return FALSE; /* the root closes before its first trace */
    if (!closes && depth == 0 && kept_element(p + 1, end))
      elem = p;
    depth = closes ? depth - 1 : empty ? depth : depth + 1;
    if (depth == 0 && elem != NULL) {
      g_string_append_c(out, '\n');
      g_string_append_len(out, elem, q - elem);
      elem = NULL;
    }
    p = q;
  }
  if (depth != 0)
    return FALSE;
  g_string_append_c(out, '\n');
  return TRUE;
}

/* Reads the next bytes of the input onto @b, straight from the file or
 * the inflater; FALSE on a read error (left to the one-thread read to
 * report where it happens). */
static gboolean
read_input(Split *sp, GByteArray *b)
{
  gssize n = cx_chunk_read(sp->in, b, STEP);
  sp->eof = n == 0;
  return n >= 0;
}

/* The bytes read before the split began (past the header) go first, in
 * steps too; then the input's.  FALSE at the end or on a read error (*@ok
 * says which). */
static gboolean
fill(Split *sp, GByteArray *b, gboolean *ok)
{
  if (sp->acc != NULL) {
    gsize n = MIN((gsize)STEP, sp->acc->len - sp->acc_pos);
    g_byte_array_append(b, sp->acc->data + sp->acc_pos, (guint)n);
    sp->acc_pos += n;
    sp->taken += n;
    if (sp->acc_pos == sp->acc->len)
      g_clear_pointer(&sp->acc, g_byte_array_unref); /* its memory is not kept */
    return TRUE;
  }
  if (sp->eof)
    return FALSE;
  guint before = b->len;
  *ok = read_input(sp, b);
  sp->taken += b->len - before;
  return *ok;
}

/* Cuts @c at @at (past its header): what follows goes to a new chunk,
 * returned; @c gets the end tag. */
static CxChunk *
cut(Split *sp, CxChunk *c, gsize at)
{
  CxChunk *next = chunk_new(sp);
  g_byte_array_append(next->bytes, c->bytes->data + at, (guint)(c->bytes->len - at));
  g_byte_array_set_size(c->bytes, (guint)at);
  g_byte_array_append(c->bytes, (const guint8 *)sp->end_tag, (guint)sp->end_len);
  return next;
}

/* The traces from the header's end on (@c holds the first bytes), cut and
 * parsed on @threads workers, played in order. */
static gboolean
read_chunks(Split *sp, CxChunk *c, guint threads, GError **error)
{
  /* the cutting and playing keep this thread about as busy as a worker's
   * parse: no help (it would hold up the next cut) */
  CxParallel *par = cx_parallel_new(threads, FALSE, work, sp);
  /* enough chunks in flight to keep every worker busy while one is played */
  guint most = threads + 2;
  gsize search = sp->c_head + 1; /* where the search for the next cut goes on */
  gboolean ok = TRUE;
  while (ok) {
    const char *data = (const char *)c->bytes->data;
    gsize len = c->bytes->len;
    const char *at = NULL;
    gsize target = cx_parallel_chunk_target(sp->target, sp->taken);
    if (len > sp->c_head + target)
      at = find_trace(data + MAX(search, sp->c_head + target), data + len);
    if (at != NULL) {
      CxChunk *next = cut(sp, c, (gsize)(at - data));
      cx_parallel_submit(par, c);
      c = next;
      search = sp->c_head + 1;
      while (ok && cx_parallel_pending(par) >= most)
        ok = cx_chunk_play_next(par, sp->sink, sp->spare, error);
      continue;
    }
    if (len > sp->c_head + target)
      search = MAX(search, len - 6);
    if (!fill(sp, c->bytes, &ok))
      break;
  }
  if (ok)
    cx_parallel_submit(par, c); /* the last: the file's own end */
  else
    cx_chunk_free(c);
  while (ok && cx_parallel_pending(par) > 0)
    ok = cx_chunk_play_next(par, sp->sink, sp->spare, error);
  cx_parallel_free(par, cx_chunk_free);
  return ok;
}

gboolean
cx_xes_read_split(CxInput *in, CxSink *sink, const CxReadOptions *opts, guint threads, gsize after,
                  GError **error)
{
  cx_input_set_progress(in, opts->progress, opts->progress_data);
  Split sp;
  memset(&sp, 0, sizeof sp);
  sp.in = in;
  sp.sink = sink;
  sp.acc = g_byte_array_new();
  /* the header, and enough bytes that more threads pay off: a plain file
   * says its size, so the split begins as soon as the header is read */
  gboolean big = cx_input_plain_size(in) >= after;
  gsize first = G_MAXSIZE; /* where the first trace starts */
  gsize search = 0;
  gboolean ok = TRUE;
  while (ok && !sp.eof && (first == G_MAXSIZE || (sp.acc->len < after && !big))
         && sp.acc->len <= HEADER_MAX) {
    ok = read_input(&sp, sp.acc);
    if (first == G_MAXSIZE) {
      const char *data = (const char *)sp.acc->data;
      const char *at = find_trace(data + search, data + sp.acc->len);
      first = at != NULL ? (gsize)(at - data) : G_MAXSIZE;
      search = sp.acc->len > 6 ? sp.acc->len - 6 : 0;
    }
  }
  if (ok && first != G_MAXSIZE && (sp.acc->len >= after || big)) {
    sp.head = g_memdup2(sp.acc->data, first);
    sp.head_len = first;
    sp.acc_pos = first;
    ok = root_end_tag(&sp);
    sp.body_head = g_string_new(NULL);
    if (!compact_header(sp.head, sp.head_len, sp.body_head) || sp.body_head->len >= sp.head_len) {
      g_string_free(sp.body_head, TRUE);
      sp.body_head = NULL;
    }
    if (ok) {
      sp.wopts = *opts;
      sp.wopts.progress = NULL;
      sp.wopts.threads = 1;
      sp.spare = g_ptr_array_new_with_free_func(cx_chunk_free);
      sp.target = after;
      CxChunk *c = chunk_new(&sp);
      xmlInitParser();              /* once, before the workers use libxml2 */
      cx_sink_ask_one_thread(sink); /* should this pass fail */
      ok = read_chunks(&sp, c, threads, error);
      g_ptr_array_unref(sp.spare);
      cx_sink_unhold(sink);
    }
    g_free(sp.head);
    if (sp.body_head != NULL)
      g_string_free(sp.body_head, TRUE);
    if (sp.acc != NULL)
      g_byte_array_unref(sp.acc);
    if (!ok && !cx_sink_saw_repeat(sink))
      cx_sink_ask_one_thread(sink);
    if (!ok && error != NULL && *error == NULL)
      g_set_error(error, CX_READER_ERROR, CX_READER_ERROR_PARSE, "%s: read again on one thread",
                  cx_input_name(in));
    return ok;
  }
  if (!ok) {
    g_byte_array_unref(sp.acc);
    cx_sink_ask_one_thread(sink);
    g_set_error(error, CX_READER_ERROR, CX_READER_ERROR_IO, "%s: read again on one thread",
                cx_input_name(in));
    return FALSE;
  }
  /* a small file, or one this reader does not cut: on this thread */
  if (sp.acc->len == 0) {
    g_byte_array_unref(sp.acc);
    g_set_error(error, CX_READER_ERROR, CX_READER_ERROR_EMPTY, "%s: empty file", cx_input_name(in));
    return FALSE;
  }
  ok = cx_xes_read_from(in, (const char *)sp.acc->data, sp.acc->len, sink, opts, FALSE, error);
  g_byte_array_unref(sp.acc);
  return ok;
}
