/* The CSV reader: RFC 4180 rows from a chunked input into the event sink.
 *
 * One growing buffer holds the bytes not yet parsed; a record is parsed in
 * place and its fields point into the buffer, so the steady state allocates
 * nothing per row.  A record cut by the end of the buffer is parsed again
 * once more bytes are in (doubled quotes are only undone when the record is
 * complete, so a second parse sees the original bytes).
 *
 * Rows are held back only at the start of a file, while the day/month order
 * of dd/mm/yyyy timestamps is still open (see cxmine/timefmt.h).
 *
 * This file is the driver; csv-private.h lists the others. */
#include "csv-private.h"
#include <string.h>

void
cx_csv_reader_init(CxCsvReader *r, CxInput *in, CxSink *sink, const CxReadOptions *opts,
                   CxTimeFmt *tf, gsize size)
{
  memset(r, 0, sizeof *r);
  r->in = in;
  r->sink = sink;
  r->opts = opts;
  r->name = cx_input_name(in);
  /* (a small chunk gets a small buffer: it grows as needed) */
  r->cap = MAX(MIN(size, (gsize)2 * FILL_SIZE), (gsize)64);
  r->buf = g_malloc(r->cap);
  r->line = 1;
  r->spans_cap = 16;
  r->spans = g_new(Span, r->spans_cap);
  r->fields = g_array_new(FALSE, FALSE, sizeof(Field));
  r->col_act = g_array_new(FALSE, FALSE, sizeof(int));
  r->col_cattr = g_array_new(FALSE, FALSE, sizeof(int));
  r->act = g_string_new(NULL);
  r->tf = tf;
  r->tz = cx_sink_naive_tz(sink);
  r->la_text = g_string_new(NULL);
  r->la_spans = g_array_new(FALSE, FALSE, sizeof(Span));
  r->la_rows = g_array_new(FALSE, FALSE, sizeof(guint64));
  r->want_attrs = cx_sink_wants_event_attrs(sink);
  r->described = !opts->verbose;
}

void
cx_csv_reader_init_worker(CxCsvReader *w, const CxCsvReader *parent, CxInput *in, gsize size,
                          CxSink *rec, const CxReadOptions *opts)
{
  cx_csv_reader_init(w, in, rec, opts, parent->tf, size + 16);
  w->worker = TRUE;
  w->started = TRUE; /* a chunk starts at a record, not at a byte-order mark */
  cx_csv_set_delimiter(w, parent->delim);
  /* the dialect is the parent's, read-only while the workers run */
  g_array_free(w->col_act, TRUE);
  g_array_free(w->col_cattr, TRUE);
  w->header = parent->header;
  w->n_cols = parent->n_cols;
  w->trailing_empty = parent->trailing_empty;
  w->col_case = parent->col_case;
  w->col_ts = parent->col_ts;
  w->col_start = parent->col_start;
  w->col_res = parent->col_res;
  w->col_chan = parent->col_chan;
  w->col_lc = parent->col_lc;
  w->col_act = parent->col_act;
  w->col_cattr = parent->col_cattr;
  w->used = parent->used;
  w->want_attrs = parent->want_attrs;
  w->guessed = parent->guessed;
  w->described = TRUE;
}

void
cx_csv_reader_clear(CxCsvReader *r)
{
  g_free(r->buf);
  g_free(r->spans);
  g_array_free(r->fields, TRUE);
  g_string_free(r->act, TRUE);
  g_string_free(r->la_text, TRUE);
  g_array_free(r->la_spans, TRUE);
  g_array_free(r->la_rows, TRUE);
  if (r->worker)
    return; /* the rest is the parent's */
  g_free(r->used);
  if (r->header != NULL)
    g_ptr_array_free(r->header, TRUE);
  g_array_free(r->col_act, TRUE);
  g_array_free(r->col_cattr, TRUE);
  cx_timefmt_free(r->tf);
}

/* The columns whose values are read: the others are skipped without being
 * stored, however long their values. */
static void
mark_used(CxCsvReader *r)
{
  if (r->want_attrs)
    return; /* every column is an attribute someone may ask for */
  r->used = g_malloc0(MAX(r->n_cols, 1));
  int cols[] = { r->col_case, r->col_ts, r->col_start, r->col_res, r->col_chan, r->col_lc };
  for (gsize k = 0; k < G_N_ELEMENTS(cols); k++)
    if (cols[k] >= 0 && (guint)cols[k] < r->n_cols)
      r->used[cols[k]] = 1;
  GArray *lists[] = { r->col_act, r->col_cattr };
  for (gsize k = 0; k < G_N_ELEMENTS(lists); k++)
    for (guint j = 0; j < lists[k]->len; j++)
      r->used[g_array_index(lists[k], int, j)] = 1;
}

/* TRUE when the rest of the file may be cut into chunks for the workers:
 * everything that depends on the rows in order (the day/month order, the
 * --verbose description of the times) is decided, no record is half read,
 * and the file is big enough: enough of it was read on this thread, or a
 * plain file said its size at open. */
static gboolean
may_split(const CxCsvReader *r, guint threads, gsize after)
{
  return threads > 1 && !r->pending && r->described && !r->res_active
         && (r->taken >= after || cx_input_plain_size(r->in) >= after);
}

gboolean
cx_csv_read_rows(CxCsvReader *r, GError **error)
{
  for (;;) {
    RecResult res = cx_csv_next_record(r, error);
    if (res == REC_ERROR)
      return FALSE;
    if (res == REC_END)
      return TRUE;
    if (!cx_csv_process_row(r, (const Field *)r->fields->data, r->fields->len, r->rec_line, error))
      return FALSE;
  }
}

/* Reads @in on this thread, or (@threads > 1) its start here and the rest
 * on @threads workers once may_split() says so (csv-split.c). */
static gboolean
csv_read(CxInput *in, CxSink *sink, const CxReadOptions *opts, CxCsvWork *work, guint threads,
         gsize after, GError **error)
{
  g_autoptr(CxTimeFmt) tf = cx_timefmt_new(opts->timestamp_format, error);
  if (tf == NULL)
    return FALSE;
  cx_input_set_progress(in, opts->progress, opts->progress_data);
  CxCsvReader r;
  cx_csv_reader_init(&r, in, sink, opts, g_steal_pointer(&tf), 2 * FILL_SIZE);
  gboolean ok = FALSE;

  /* enough bytes to see the header and some rows */
  while (!r.eof && r.len - r.pos < 64 * 1024)
    if (!cx_csv_fill(&r, error))
      goto out;
  cx_csv_set_delimiter(&r, opts->delimiter != 0
                               ? opts->delimiter
                               : cx_csv_sniff_delimiter(r.buf + r.pos, r.len - r.pos, r.eof));
  RecResult res = cx_csv_next_record(&r, error);
  if (res == REC_ERROR)
    goto out;
  if (res == REC_END) {
    g_set_error(error, CX_READER_ERROR, CX_READER_ERROR_EMPTY, "%s: empty file", r.name);
    goto out;
  }
  r.header = g_ptr_array_new_with_free_func(g_free);
  for (guint k = 0; k < r.fields->len; k++) {
    const Field *f = &g_array_index(r.fields, Field, k);
    /* control characters in a header are not text: say so instead of
     * listing garbage as column names */
    for (gsize i = 0; i < f->len; i++) {
      guint8 c = (guint8)f->p[i];
      if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) {
        g_set_error(error, CX_READER_ERROR, CX_READER_ERROR_PARSE,
                    "%s:%" G_GUINT64_FORMAT ": binary data (byte 0x%02X in field %u of the header)",
                    r.name, r.rec_line, c, k + 1);
        goto out;
      }
    }
    g_ptr_array_add(r.header, g_strstrip(g_strndup(f->p, f->len)));
  }
  r.n_cols = r.header->len;
  r.trailing_empty = r.n_cols > 1 && *(char *)g_ptr_array_index(r.header, r.n_cols - 1) == '\0';
  if (!cx_csv_map_columns(&r, error))
    goto out;
  mark_used(&r);
  r.pending = opts->timestamp_format == NULL && (r.col_ts >= 0 || r.col_start >= 0);

  for (;;) {
    if (G_UNLIKELY(may_split(&r, threads, after))) {
      ok = cx_csv_read_chunks(&r, threads, after, error);
      goto out;
    }
    res = cx_csv_next_record(&r, error);
    if (res == REC_ERROR)
      goto out;
    if (res == REC_END)
      break;
    if (r.pending) {
      gboolean decided;
      if (!cx_csv_observe_row(&r, &decided, error))
        goto out;
      if (!decided) {
        cx_csv_hold_row(&r);
        if (r.la_rows->len / 3 < CX_TIMEFMT_LOOKAHEAD)
          continue;
        cx_csv_guess_order(&r);
      }
      if (!cx_csv_release_rows(&r, error))
        goto out;
      if (!decided)
        continue;
    }
    if (!cx_csv_process_row(&r, (const Field *)r.fields->data, r.fields->len, r.rec_line, error))
      goto out;
  }
  if (r.pending && r.la_rows->len > 0) {
    cx_csv_guess_order(&r);
    if (!cx_csv_release_rows(&r, error))
      goto out;
  }
  ok = TRUE;
out:
  if (work != NULL) {
    work->scanned = r.scanned;
    work->buffer_peak = r.cap; /* the buffer only grows */
  }
  cx_csv_reader_clear(&r);
  return ok;
}

gboolean
cx_csv_read_threads(CxInput *in, CxSink *sink, const CxReadOptions *opts, guint threads,
                    gsize after, GError **error)
{
  return csv_read(in, sink, opts, NULL, threads, after, error);
}

gboolean
cx_csv_read(CxInput *in, CxSink *sink, const CxReadOptions *opts, GError **error)
{
  return csv_read(in, sink, opts, NULL, 1, 0, error);
}

gboolean
cx_csv_read_measured(CxInput *in, CxSink *sink, const CxReadOptions *opts, CxCsvWork *work,
                     GError **error)
{
  return csv_read(in, sink, opts, work, 1, 0, error);
}
