/* One CSV file on several threads.
 *
 * The scan's thread reads the start of the file as one thread would: the
 * header, the dialect, the column mapping and every decision that depends
 * on the rows in order (the day/month order of the dates, the --verbose
 * description of the times).  Then it cuts the rest into chunks at record
 * boundaries without parsing a field: it counts quotes (memchr) and cuts
 * after a newline outside quotes.  Each worker reads a chunk with the
 * parent's dialect into a recorder (tape-sink.c), and the scan's thread
 * plays the recordings into the sink in file order (parallel.c).
 *
 * A quote inside an unquoted field (`5" screen`) is a plain byte to the
 * record parser but counts here: a cut can then fall inside what the parser
 * sees as a quoted field, and the chunk before it ends in an unterminated
 * quoted field, which fails.  A worker also fails where one thread would
 * decide something by itself (invalid UTF-8: the rest read as Latin-1).
 * Chunks are played in order, nothing after a failed one is played, and any
 * failure makes the scan read the file again on one thread, so errors,
 * their line numbers and notices are exactly those of a one-thread read.
 */
#include "csv-private.h"
#include "chunk-private.h"
#include "cxmine/timestamp.h"
#include <string.h>

/* Bytes a chunk holds (past that, it ends at the next record). */
/* Bytes taken from the input at a time before a cut is looked for. */
#define STEP (64 * 1024)
/* A chunk that finds no record end in this many bytes is left to one thread. */
#define CHUNK_MAX (64 * 1024 * 1024)

typedef struct {
  CxChunk base;
  gsize raw_from; /* bytes from here on are Latin-1 as read (G_MAXSIZE = none) */
} Chunk;

typedef struct {
  CxCsvReader *parent;
  CxReadOptions wopts; /* the workers': no notices, no progress */
  const char *blk;     /* the input's block in hand, and how far it is taken */
  gsize blk_len, blk_pos;
  gboolean eof;
  gboolean straight; /* past that block, the file is read straight into the chunks */
  gsize target;      /* bytes a chunk holds before it ends at the next record */
  guint64 taken;     /* bytes of the file read */
  GPtrArray *spare;  /* Chunk*: played, for reuse */
} Split;

gsize
cx_csv_cut(const char *data, gsize len, gsize from, gsize *scanned, gboolean *odd)
{
  gsize i = *scanned;
  gboolean o = *odd;
  while (i < len) {
    /* before @from only the parity of the quotes matters */
    const char *nl = i < from ? NULL : memchr(data + i, '\n', len - i);
    gsize upto = nl != NULL ? (gsize)(nl - data) : i < from ? MIN(from, len) : len;
    for (const char *q = data + i; (q = memchr(q, '"', upto - (gsize)(q - data))) != NULL; q++)
      o = !o;
    i = nl != NULL ? upto + 1 : upto;
    if (nl != NULL && !o) {
      *scanned = 0;
      *odd = FALSE;
      return i;
    }
  }
  *scanned = i;
  *odd = o;
  return 0;
}

static Chunk *
chunk_new(Split *sp)
{
  Chunk *c = (Chunk *)cx_chunk_new(sp->spare, sizeof(Chunk), sp->parent->sink,
                                   MIN(sp->target, (gsize)CX_PARALLEL_CHUNK) + STEP);
  c->raw_from = G_MAXSIZE;
  return c;
}

static gboolean
parse(CxChunk *base, gpointer data)
{
  Chunk *c = (Chunk *)base;
  Split *sp = data;
  const char *bytes = (const char *)base->bytes->data;
  gsize n = base->bytes->len;
  g_autofree char *utf8 = NULL;
  if (c->raw_from < n) {
    utf8 = g_malloc(c->raw_from + 2 * (n - c->raw_from));
    memcpy(utf8, bytes, c->raw_from);
    n = c->raw_from
        + cx_csv_latin1_to_utf8(bytes + c->raw_from, n - c->raw_from, utf8 + c->raw_from);
    bytes = utf8;
  }
  g_autoptr(CxInput) in = cx_input_new_from_data(sp->parent->name, bytes, n);
  CxCsvReader w;
  cx_csv_reader_init_worker(&w, sp->parent, in, n, base->rec, &sp->wopts);
  gboolean ok = cx_csv_read_rows(&w, NULL);
  cx_csv_reader_clear(&w);
  return ok;
}

static void
work(gpointer job, gpointer data)
{
  cx_chunk_parse(job, parse, data);
}

/* Takes the input's next block in hand; FALSE on a read error (left to the
 * one-thread read to report where it happens). */
static gboolean
next_block(Split *sp)
{
  g_autoptr(GError) local = NULL;
  gssize n = cx_input_next(sp->parent->in, &sp->blk, &local);
  if (n < 0)
    return FALSE;
  sp->blk_len = (gsize)n;
  sp->blk_pos = 0;
  sp->eof = n == 0;
  return TRUE;
}

/* Appends the next bytes of the file to @c: what is left of the block in
 * hand, then (when the input does not read ahead) straight from the file
 * into the chunk, else the input's next blocks.  FALSE at the end or on a
 * read error (*@ok says which). */
static gboolean
fill(Split *sp, Chunk *c, gboolean *ok)
{
  if (sp->blk_pos == sp->blk_len && !sp->straight) {
    if (sp->eof || !(*ok = next_block(sp)))
      return FALSE;
  }
  if (sp->parent->latin1 && c->raw_from == G_MAXSIZE)
    c->raw_from = c->base.bytes->len;
  GByteArray *b = c->base.bytes;
  if (sp->blk_pos < sp->blk_len || !sp->straight) {
    gsize take = MIN((gsize)STEP, sp->blk_len - sp->blk_pos);
    g_byte_array_append(b, (const guint8 *)sp->blk + sp->blk_pos, (guint)take);
    sp->blk_pos += take;
    sp->taken += take;
    return TRUE;
  }
  if (sp->eof)
    return FALSE;
  gssize n = cx_chunk_read(sp->parent->in, b, STEP);
  sp->taken += (guint64)MAX(n, 0);
  sp->eof = n == 0;
  *ok = n >= 0;
  return n > 0;
}

/* Cuts @c at @at: what follows goes to a new chunk, returned. */
static Chunk *
cut(Split *sp, Chunk *c, gsize at)
{
  Chunk *next = chunk_new(sp);
  g_byte_array_append(next->base.bytes, c->base.bytes->data + at, (guint)(c->base.bytes->len - at));
  if (c->raw_from != G_MAXSIZE)
    next->raw_from = c->raw_from > at ? c->raw_from - at : 0;
  g_byte_array_set_size(c->base.bytes, (guint)at);
  return next;
}

/* The chunks from @c (holding the first bytes) on, parsed on @threads
 * workers and played in order. */
static gboolean
read_chunks(Split *sp, Chunk *c, guint threads, GError **error)
{
  /* this thread is one of @threads: playing a chunk into the sink costs
   * less than parsing it does, so it parses queued chunks too while the
   * one it plays next is being parsed (helps) */
  guint workers = MAX(threads, 2u) - 1;
  CxParallel *par = cx_parallel_new(workers, TRUE, work, sp);
  /* enough chunks in flight to keep every worker busy while one is played */
  guint most = workers + 2;
  gsize scanned = 0;
  gboolean odd = FALSE, ok = TRUE;
  while (ok) {
    gsize target = cx_parallel_chunk_target(sp->target, sp->taken);
    gsize at = 0;
    if (c->base.bytes->len > target)
      at = cx_csv_cut((const char *)c->base.bytes->data, c->base.bytes->len, target, &scanned,
                      &odd);
    if (at != 0) {
      Chunk *next = cut(sp, c, at);
      cx_parallel_submit(par, c);
      c = next;
      while (ok && cx_parallel_pending(par) >= most)
        ok = cx_chunk_play_next(par, sp->parent->sink, sp->spare, error);
      continue;
    }
    if (c->base.bytes->len > CHUNK_MAX) {
      ok = FALSE; /* no record ends here: one thread reads it */
      break;
    }
    if (!fill(sp, c, &ok))
      break;
  }
  if (ok && c->base.bytes->len > 0)
    cx_parallel_submit(par, c); /* the last: the file's own end */
  else
    cx_chunk_free(c);
  while (ok && cx_parallel_pending(par) > 0)
    ok = cx_chunk_play_next(par, sp->parent->sink, sp->spare, error);
  cx_parallel_free(par, cx_chunk_free);
  return ok;
}

gboolean
cx_csv_read_chunks(CxCsvReader *r, guint threads, gsize after, GError **error)
{
  Split sp;
  memset(&sp, 0, sizeof sp);
  cx_sink_ask_one_thread(r->sink); /* should this pass fail */
  sp.parent = r;
  sp.wopts = *r->opts;
  sp.wopts.notice = NULL;
  sp.wopts.progress = NULL;
  sp.wopts.threads = 1;
  sp.target = MIN((gsize)CX_PARALLEL_CHUNK, after);
  sp.spare = g_ptr_array_new_with_free_func(cx_chunk_free);
  /* what the reader holds: its buffer's unparsed bytes (as UTF-8), then
   * the rest of the input's block (as read) */
  Chunk *c = chunk_new(&sp);
  g_byte_array_append(c->base.bytes, (const guint8 *)r->buf + r->pos, (guint)(r->len - r->pos));
  sp.taken = r->taken;
  sp.blk = r->rest;
  sp.blk_len = r->rest_len;
  sp.eof = r->eof;
  sp.straight = !cx_input_reads_ahead(r->in);
  gboolean ok = read_chunks(&sp, c, threads, error);
  g_ptr_array_unref(sp.spare);
  cx_sink_unhold(r->sink);
  if (!ok) {
    cx_sink_ask_one_thread(r->sink);
    if (error != NULL && *error == NULL)
      g_set_error(error, CX_READER_ERROR, CX_READER_ERROR_PARSE, "%s: read again on one thread",
                  r->name);
  }
  return ok;
}

/* ---------- notices: told once the read stands ---------- */

typedef struct {
  CxNoticeLevel level;
  char *code, *message;
} Told;

static void
told_free(gpointer p)
{
  Told *t = p;
  g_free(t->code);
  g_free(t->message);
  g_free(t);
}

static void
keep_notice(CxNoticeLevel level, const char *code, const char *message, gpointer data)
{
  Told *t = g_new(Told, 1);
  t->level = level;
  t->code = g_strdup(code);
  t->message = g_strdup(message);
  g_ptr_array_add(data, t);
}

gboolean
cx_csv_read_split(CxInput *in, CxSink *sink, const CxReadOptions *opts, guint threads, gsize after,
                  GError **error)
{
  /* a read that is done again on one thread tells its notices again: the
   * notices of this one are held until it stands */
  g_autoptr(GPtrArray) told = g_ptr_array_new_with_free_func(told_free);
  CxReadOptions o = *opts;
  o.notice = opts->notice != NULL ? keep_notice : NULL;
  o.notice_data = told;
  gboolean ok = cx_csv_read_threads(in, sink, &o, threads, after, error);
  if (ok || !cx_sink_asked_one_thread(sink))
    for (guint i = 0; i < told->len; i++) {
      const Told *t = g_ptr_array_index(told, i);
      opts->notice(t->level, t->code, t->message, opts->notice_data);
    }
  return ok;
}
