/* The CSV reader's records: bytes in (UTF-8 checked, else read as Latin-1;
 * NUL refused) and RFC 4180 records parsed in place, each byte looked at once. */
#include "csv-private.h"
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* ---------- bytes in: UTF-8 check, Latin-1, NUL ---------- */

gsize
cx_csv_latin1_to_utf8(const char *src, gsize n, char *dst)
{
  gsize o = 0;
  for (gsize i = 0; i < n; i++) {
    guint8 c = (guint8)src[i];
    if (c < 0x80) {
      dst[o++] = (char)c;
    } else {
      dst[o++] = (char)(0xC0 | (c >> 6));
      dst[o++] = (char)(0x80 | (c & 0x3F));
    }
  }
  return o;
}

static void
ensure_room(CxCsvReader *r, gsize want)
{
  if (r->cap - r->len >= want)
    return;
  /* drop what is parsed first */
  if (r->pos > 0) {
    memmove(r->buf, r->buf + r->pos, r->len - r->pos);
    r->len -= r->pos;
    r->validated -= MIN(r->validated, r->pos);
    r->pos = 0;
  }
  while (r->cap - r->len < want)
    r->cap *= 2;
  r->buf = g_realloc(r->buf, r->cap);
}

static guint64
lines_before(const CxCsvReader *r, gsize end)
{
  guint64 n = r->line;
  for (gsize i = r->pos; i < end; i++)
    n += r->buf[i] == '\n';
  return n;
}

/* The end of the bytes that can be checked now: a multi-byte sequence cut
 * by the end of the buffer waits for the next read. */
static gsize
utf8_safe_end(const CxCsvReader *r)
{
  gsize end = r->len;
  if (r->eof)
    return end;
  gsize k = 0;
  while (k < 3 && end - k > r->validated && ((guint8)r->buf[end - k - 1] & 0xC0) == 0x80)
    k++;
  if (end - k > r->validated) {
    guint8 lead = (guint8)r->buf[end - k - 1];
    gsize need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    if (need > k + 1)
      return end - k - 1;
  }
  return end;
}

/* Checks new bytes; on the first invalid sequence, reads the rest of the
 * file as Latin-1 (the whole file when it is in the first chunk, which is
 * read before the header is parsed). */
static gboolean
check_utf8(CxCsvReader *r, gboolean first, GError **error)
{
  gsize end = utf8_safe_end(r);
  gsize i = r->validated;
  /* ASCII runs are the common case: skip them eight bytes at a time */
  while (i < end) {
    while (i + 8 <= end) {
      guint64 w;
      memcpy(&w, r->buf + i, 8);
      if (w & G_GUINT64_CONSTANT(0x8080808080808080))
        break;
      i += 8;
    }
    while (i < end && (guint8)r->buf[i] < 0x80)
      i++;
    if (i >= end)
      break;
    const char *bad = NULL;
    gsize run = i;
    while (run < end && (guint8)r->buf[run] >= 0x80)
      run++;
    /* validate the non-ASCII run with some context */
    gsize stop = MIN(end, run + 4);
    if (g_utf8_validate_len(r->buf + i, stop - i, &bad) || (gsize)(bad - r->buf) >= run) {
      i = run;
      continue;
    }
    if (r->worker) {
      /* the rest of the file would be Latin-1: one thread decides that */
      g_set_error(error, CX_READER_ERROR, CX_READER_ERROR_PARSE, "%s: not valid UTF-8", r->name);
      return FALSE;
    }
    gsize at = first ? r->pos : (gsize)(bad - r->buf);
    if (r->opts->verbose) {
      if (first)
        cx_notice(r->opts, CX_NOTICE_VERBOSE, "latin1",
                  "%s: not valid UTF-8, reading it as Latin-1", r->name);
      else
        cx_notice(r->opts, CX_NOTICE_VERBOSE, "latin1",
                  "%s:%" G_GUINT64_FORMAT ": not valid UTF-8, reading the rest as Latin-1", r->name,
                  lines_before(r, at));
    }
    gsize n = r->len - at;
    g_autofree char *tmp = g_memdup2(r->buf + at, n);
    r->len = at;
    ensure_room(r, 2 * n);
    /* ensure_room may have moved the data: at is relative to the old pos */
    r->len += cx_csv_latin1_to_utf8(tmp, n, r->buf + r->len);
    r->latin1 = TRUE;
    r->validated = r->len;
    r->res_active = FALSE; /* the bytes moved: parse the record from its start again */
    return TRUE;
  }
  r->validated = end;
  return TRUE;
}

/* Appends the next chunk (converted from Latin-1 once the text is known to
 * be that).  Returns FALSE with @error set on failure. */
gboolean
cx_csv_fill(CxCsvReader *r, GError **error)
{
  /* the input's chunks are taken in slices: the first is all that is read
   * before the header, and its encoding decides how the file starts */
  if (r->rest_len == 0) {
    gssize got = cx_input_next(r->in, &r->rest, error);
    if (got < 0) {
      cx_input_error_at_line(r->in, error != NULL ? *error : NULL, lines_before(r, r->len));
      return FALSE;
    }
    r->rest_len = (gsize)got;
  }
  const char *chunk = r->rest;
  gssize n = (gssize)MIN(r->rest_len, (gsize)FILL_SIZE);
  r->rest += n;
  r->rest_len -= (gsize)n;
  r->taken += (guint64)n;
  if (n > 0) {
    const char *z = memchr(chunk, '\0', (gsize)n);
    gsize keep = z != NULL ? (gsize)(z - chunk) : (gsize)n;
    if (r->latin1) {
      ensure_room(r, 2 * keep);
      r->len += cx_csv_latin1_to_utf8(chunk, keep, r->buf + r->len);
      r->validated = r->len;
    } else {
      ensure_room(r, keep);
      memcpy(r->buf + r->len, chunk, keep);
      r->len += keep;
    }
    if (z != NULL) {
      g_set_error(error, CX_READER_ERROR, CX_READER_ERROR_PARSE,
                  "%s:%" G_GUINT64_FORMAT ": binary data", r->name, lines_before(r, r->len));
      return FALSE;
    }
  }
  if (n == 0)
    r->eof = TRUE;
  if (!r->started) {
    r->started = TRUE;
    if (r->len >= 3 && memcmp(r->buf, "\xEF\xBB\xBF", 3) == 0)
      r->pos = r->validated = 3;
  }
  /* nothing is parsed before the header: the whole start of the file is still in the buffer */
  if (!r->latin1)
    return check_utf8(r, r->header == NULL, error);
  return TRUE;
}

/* ---------- records ---------- */

void
cx_csv_set_delimiter(CxCsvReader *r, char d)
{
  r->delim = d;
  memset(r->stop, 0, sizeof r->stop);
  r->stop[(guint8)d] = 1;
  r->stop['\n'] = 1;
  r->stop['\r'] = 1;
}

/* The first byte of [@q, @e) that ends an unquoted field (the delimiter
 * @d, a line feed or a carriage return; @stop marks them), or @e: sixteen
 * bytes a step where SSE2 is there, else a few instructions a byte. */
static inline const char *
field_end(const char *q, const char *e, char d, const guint8 *stop)
{
#ifdef __SSE2__
  const __m128i vd = _mm_set1_epi8(d), vn = _mm_set1_epi8('\n'), vr = _mm_set1_epi8('\r');
  while (e - q >= 16) {
    __m128i x = _mm_loadu_si128((const __m128i *)(const void *)q);
    __m128i hit = _mm_or_si128(_mm_cmpeq_epi8(x, vd),
                               _mm_or_si128(_mm_cmpeq_epi8(x, vn), _mm_cmpeq_epi8(x, vr)));
    int m = _mm_movemask_epi8(hit);
    if (m != 0)
      return q + __builtin_ctz((unsigned)m);
    q += 16;
  }
#else
  (void)d;
#endif
  while (q < e && !stop[(guint8)*q])
    q++;
  return q;
}

static gboolean
column_used(const CxCsvReader *r, guint col)
{
  return r->used == NULL || col >= r->n_cols || r->used[col];
}

/* Drops the bytes of an unused column's value read so far (relative
 * offsets [sp->start, *i)): they are never stored, whatever their length. */
static void
drop_value(CxCsvReader *r, Span *sp, gsize *i)
{
  gsize from = r->pos + sp->start, to = r->pos + *i, dropped = to - from;
  memmove(r->buf + from, r->buf + to, r->len - to);
  r->len -= dropped;
  r->validated = r->validated >= to ? r->validated - dropped : MIN(r->validated, from);
  *i = sp->start;
  sp->unescape = FALSE;
}

/* A value too long for a used column is an error; an unused one is dropped
 * as it goes.  Returns FALSE with @error set. */
static gboolean
check_length(CxCsvReader *r, Span *sp, gsize *i, gboolean open, guint64 nl, GError **error)
{
  gsize len = *i - sp->start;
  guint col = r->n_spans;
  if (column_used(r, col)) {
    if (len <= MAX_FIELD)
      return TRUE;
    if (r->header != NULL && col < r->n_cols)
      g_set_error(error, CX_READER_ERROR, CX_READER_ERROR_VALUE,
                  "%s:%" G_GUINT64_FORMAT ": value in column '%s' longer than %d bytes", r->name,
                  r->line + nl, cx_csv_col_name(r, (int)col), MAX_FIELD);
    else
      g_set_error(error, CX_READER_ERROR, CX_READER_ERROR_VALUE,
                  "%s:%" G_GUINT64_FORMAT ": field %u longer than %d bytes", r->name, r->line + nl,
                  col + 1, MAX_FIELD);
    return FALSE;
  }
  if (open && len > DROP_AFTER)
    drop_value(r, sp, i);
  return TRUE;
}

/* Parses one record at r->pos into r->spans, resuming where the last call
 * stopped when the end of the buffer cut the record. */
static RecResult
parse_record(CxCsvReader *r, GError **error)
{
  const char *b = r->buf + r->pos;
  gsize n = r->len - r->pos, i = 0;
  guint64 nl = 0;
  int state = 0;
  Span sp = { 0, 0, FALSE, FALSE };
  if (r->res_active) {
    i = r->res_i;
    nl = r->res_nl;
    state = r->res_state;
    sp = r->res_sp;
  } else {
    r->n_spans = 0;
    if (n == 0)
      return r->eof ? REC_END : REC_MORE;
  }
  gsize i0 = i;
  for (;;) {
    if (state == 0) {
      sp = (Span){ i, 0, FALSE, FALSE };
      if (i == n && !r->eof)
        goto more;
      if (i < n && b[i] == '"') {
        sp.quoted = TRUE;
        sp.start = ++i;
        state = 2;
      } else {
        state = 1;
      }
    }
    if (state == 1) {
      i = (gsize)(field_end(b + i, b + n, r->delim, r->stop) - b);
      if (i == n && !r->eof)
        goto more;
      sp.len = i - sp.start;
      if (G_UNLIKELY(sp.len > MAX_FIELD) && !check_length(r, &sp, &i, FALSE, nl, error))
        return REC_ERROR;
      state = 3;
    }
    while (state == 2) {
      const char *q = memchr(b + i, '"', n - i);
      gsize qi = q != NULL ? (gsize)(q - b) : n;
      for (gsize k = i; k < qi; k++)
        nl += b[k] == '\n';
      i = qi;
      if (q == NULL) {
        if (!r->eof)
          goto more;
        g_set_error(error, CX_READER_ERROR, CX_READER_ERROR_PARSE,
                    "%s:%" G_GUINT64_FORMAT ": unterminated quoted field", r->name, r->line);
        return REC_ERROR;
      }
      /* a quote last in the buffer: is it doubled?  look again when more is read */
      if (qi + 1 == n && !r->eof)
        goto more;
      i = qi + 1;
      if (i < n && b[i] == '"') {
        sp.unescape = TRUE;
        i++;
        continue;
      }
      sp.len = i - 1 - sp.start;
      if (i < n && b[i] != r->delim && b[i] != '\n' && b[i] != '\r') {
        g_set_error(error, CX_READER_ERROR, CX_READER_ERROR_PARSE,
                    "%s:%" G_GUINT64_FORMAT ": unexpected '%c' after a closing quote", r->name,
                    r->line + nl, b[i]);
        return REC_ERROR;
      }
      gsize end = i - 1;
      if (G_UNLIKELY(end - sp.start > MAX_FIELD) && !check_length(r, &sp, &end, FALSE, nl, error))
        return REC_ERROR;
      state = 3;
    }
    /* state 3: after a field */
    if (G_UNLIKELY(i + 1 == n) && b[i] == '\r' && !r->eof)
      goto more;
    if (G_UNLIKELY(r->n_spans == r->spans_cap)) {
      r->spans_cap *= 2;
      r->spans = g_renew(Span, r->spans, r->spans_cap);
    }
    r->spans[r->n_spans++] = sp;
    if (i < n && b[i] == r->delim) {
      i++;
      state = 0;
      continue;
    }
    /* end of record: newline or end of input */
    if (i < n && b[i] == '\r')
      i += i + 1 < n && b[i + 1] == '\n' ? 2 : 1;
    else if (i < n)
      i++;
    nl++;
    break;
  }
  r->scanned += i - i0;
  r->res_active = FALSE;
  for (guint k = 0; k < r->n_spans; k++)
    r->spans[k].start += r->pos;
  r->rec_line = r->line;
  r->line += nl;
  r->pos += i;
  return REC_OK;

more:
  r->scanned += i - i0;
  /* only a long value can pass the cap or be worth dropping */
  if ((state == 1 || state == 2) && i - sp.start > DROP_AFTER
      && !check_length(r, &sp, &i, TRUE, nl, error))
    return REC_ERROR;
  r->res_active = TRUE;
  r->res_state = state;
  r->res_i = i;
  r->res_nl = nl;
  r->res_sp = sp;
  return REC_MORE;
}

/* Undoes doubled quotes in place and points r->fields into the buffer. */
static void
make_fields(CxCsvReader *r)
{
  guint nf = r->n_spans;
  g_array_set_size(r->fields, nf);
  Span *sp = r->spans;
  Field *f = (Field *)r->fields->data;
  for (guint k = 0; k < nf; k++) {
    char *p = r->buf + sp[k].start;
    gsize len = sp[k].len;
    if (sp[k].unescape) {
      gsize o = 0;
      for (gsize j = 0; j < len; j++) {
        p[o++] = p[j];
        if (p[j] == '"')
          j++;
      }
      len = o;
    }
    f[k].p = p;
    f[k].len = len;
  }
}

/* Parses the next record into r->fields, reading as needed.  Blank lines are skipped. */
RecResult
cx_csv_next_record(CxCsvReader *r, GError **error)
{
  for (;;) {
    RecResult res = parse_record(r, error);
    if (res == REC_MORE) {
      if (!cx_csv_fill(r, error))
        return REC_ERROR;
      continue;
    }
    if (res != REC_OK)
      return res;
    Span *sp = r->spans;
    if (r->n_spans == 1 && sp[0].len == 0 && !sp[0].quoted)
      continue; /* a blank line */
    make_fields(r);
    return REC_OK;
  }
}
