/* The CSV reader: RFC 4180 rows from a chunked input into the event sink.
 *
 * One growing buffer holds the bytes not yet parsed; a record is parsed in
 * place and its fields point into the buffer, so the steady state allocates
 * nothing per row.  A record cut by the end of the buffer is parsed again
 * once more bytes are in (doubled quotes are only undone when the record is
 * complete, so a second parse sees the original bytes).
 *
 * Rows are held back only at the start of a file, while the day/month order
 * of dd/mm/yyyy timestamps is still open (see cxmine/timefmt.h). */
#include "reader-private.h"
#include "cxmine/timefmt.h"
#include "cxmine/suggest.h"
#include "cxmine/timestamp.h"
#include <string.h>

#define FILL_SIZE (64 * 1024)
/* the longest value of a column cxmine uses (as XES's attribute values) */
#define MAX_FIELD (1024 * 1024)
/* an unused column's value beyond this is dropped from the buffer as it is read */
#define DROP_AFTER  (64 * 1024)
#define SNIFF_LINES 20

typedef struct {
  const char *p;
  gsize len;
} Field;

/* A field while its record is being parsed: offsets, as the buffer may move. */
typedef struct {
  gsize start, len;
  gboolean quoted;
  gboolean unescape; /* quoted with doubled quotes inside */
} Span;

typedef enum { REC_OK, REC_MORE, REC_END, REC_ERROR } RecResult;

typedef struct {
  CxInput *in;
  const char *rest; /* what is left of the input's chunk */
  gsize rest_len;
  CxSink *sink;
  const CxReadOptions *opts;
  const char *name;

  /* input */
  char *buf;
  gsize cap, len, pos;
  gboolean eof, started, latin1;
  gsize validated;  /* bytes of buf checked as UTF-8 (or converted) */
  guint64 line;     /* line of the next record */
  guint64 rec_line; /* line of the record just parsed */
  char delim;
  guint8 stop[256]; /* bytes that end an unquoted field */
  GArray *spans;    /* Span */
  GArray *fields;   /* Field */
  /* a record cut by the end of the buffer: parse_record() resumes here, so
   * each byte is looked at once however long the record (offsets from pos) */
  gboolean res_active;
  int res_state; /* 0 before a field, 1 unquoted, 2 quoted, 3 after a field */
  gsize res_i;
  guint64 res_nl;
  Span res_sp;
  guint8 *used;    /* per column: its value is used; NULL = all (before the mapping) */
  guint64 scanned; /* bytes parse_record() looked at (the work, for tests) */

  /* header and mapping */
  GPtrArray *header; /* char* */
  guint n_cols;
  gboolean trailing_empty;
  int col_case, col_ts, col_start, col_res, col_chan, col_lc;
  GArray *col_act;   /* int */
  GArray *col_cattr; /* int: case:xxx columns */
  GString *act;      /* the joined activity */
  gboolean want_attrs;
  gboolean described; /* --verbose: the timestamp format was told */

  /* timestamps */
  CxTimeFmt *tf;
  GTimeZone *tz;
  gboolean pending;       /* holding rows back until the day/month order is known */
  gboolean saw_day_month; /* a held row has a dd/mm/yyyy-shaped timestamp */
  gboolean guessed;       /* the day/month order is a guess */
  GString *la_text;       /* held rows: field bytes */
  GArray *la_spans;       /* Span into la_text */
  GArray *la_rows;        /* guint64 triples (first span, n spans, line) */
} Reader;

static void
reader_clear(Reader *r)
{
  g_free(r->buf);
  g_free(r->used);
  g_array_free(r->spans, TRUE);
  g_array_free(r->fields, TRUE);
  if (r->header != NULL)
    g_ptr_array_free(r->header, TRUE);
  g_array_free(r->col_act, TRUE);
  g_array_free(r->col_cattr, TRUE);
  g_string_free(r->act, TRUE);
  cx_timefmt_free(r->tf);
  g_string_free(r->la_text, TRUE);
  g_array_free(r->la_spans, TRUE);
  g_array_free(r->la_rows, TRUE);
}

/* ---------- bytes in: UTF-8 check, Latin-1, NUL ---------- */

static gsize
latin1_to_utf8(const char *src, gsize n, char *dst)
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
ensure_room(Reader *r, gsize want)
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
lines_before(const Reader *r, gsize end)
{
  guint64 n = r->line;
  for (gsize i = r->pos; i < end; i++)
    n += r->buf[i] == '\n';
  return n;
}

/* The end of the bytes that can be checked now: a multi-byte sequence cut
 * by the end of the buffer waits for the next read. */
static gsize
utf8_safe_end(const Reader *r)
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
check_utf8(Reader *r, gboolean first, GError **error)
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
    r->len += latin1_to_utf8(tmp, n, r->buf + r->len);
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
static gboolean
fill(Reader *r, GError **error)
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
  if (n > 0) {
    const char *z = memchr(chunk, '\0', (gsize)n);
    gsize keep = z != NULL ? (gsize)(z - chunk) : (gsize)n;
    if (r->latin1) {
      ensure_room(r, 2 * keep);
      r->len += latin1_to_utf8(chunk, keep, r->buf + r->len);
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

static void
set_delimiter(Reader *r, char d)
{
  r->delim = d;
  memset(r->stop, 0, sizeof r->stop);
  r->stop[(guint8)d] = 1;
  r->stop['\n'] = 1;
  r->stop['\r'] = 1;
}

static const char *col_name(const Reader *r, int c);

static gboolean
column_used(const Reader *r, guint col)
{
  return r->used == NULL || col >= r->n_cols || r->used[col];
}

/* Drops the bytes of an unused column's value read so far (relative
 * offsets [sp->start, *i)): they are never stored, whatever their length. */
static void
drop_value(Reader *r, Span *sp, gsize *i)
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
check_length(Reader *r, Span *sp, gsize *i, gboolean open, guint64 nl, GError **error)
{
  gsize len = *i - sp->start;
  guint col = r->spans->len;
  if (column_used(r, col)) {
    if (len <= MAX_FIELD)
      return TRUE;
    if (r->header != NULL && col < r->n_cols)
      g_set_error(error, CX_READER_ERROR, CX_READER_ERROR_VALUE,
                  "%s:%" G_GUINT64_FORMAT ": value in column '%s' longer than %d bytes", r->name,
                  r->line + nl, col_name(r, (int)col), MAX_FIELD);
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
parse_record(Reader *r, GError **error)
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
    g_array_set_size(r->spans, 0);
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
      /* the hot loop: a local table and a pointer keep it at a few instructions a byte */
      const guint8 *stop = r->stop;
      const char *q = b + i, *e = b + n;
      while (q < e && !stop[(guint8)*q])
        q++;
      i = (gsize)(q - b);
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
    g_array_append_val(r->spans, sp);
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
  for (guint k = 0; k < r->spans->len; k++)
    g_array_index(r->spans, Span, k).start += r->pos;
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
make_fields(Reader *r)
{
  guint nf = r->spans->len;
  g_array_set_size(r->fields, nf);
  Span *sp = (Span *)r->spans->data;
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
static RecResult
next_record(Reader *r, GError **error)
{
  for (;;) {
    RecResult res = parse_record(r, error);
    if (res == REC_MORE) {
      if (!fill(r, error))
        return REC_ERROR;
      continue;
    }
    if (res != REC_OK)
      return res;
    Span *sp = (Span *)r->spans->data;
    if (r->spans->len == 1 && sp[0].len == 0 && !sp[0].quoted)
      continue; /* a blank line */
    make_fields(r);
    return REC_OK;
  }
}

/* ---------- delimiter detection ---------- */

/* Counts fields per line of @s for delimiter @d; returns the number of complete lines. */
static guint
count_fields(const char *s, gsize n, char d, guint *counts, guint max)
{
  guint lines = 0, fields = 1;
  gboolean quoted = FALSE, empty = TRUE;
  for (gsize i = 0; i < n && lines < max; i++) {
    char c = s[i];
    if (quoted) {
      if (c == '"')
        quoted = FALSE;
      continue;
    }
    if (c == '"')
      quoted = TRUE;
    else if (c == d)
      fields++;
    else if (c == '\n') {
      if (!empty)
        counts[lines++] = fields;
      fields = 1;
      empty = TRUE;
      continue;
    }
    if (c != '\r')
      empty = FALSE;
  }
  return lines;
}

static char
sniff_delimiter(const char *s, gsize n, gboolean eof)
{
  static const char cands[] = { ',', ';', '\t', '|' };
  guint counts[SNIFF_LINES + 1];
  char best = ',';
  guint best_fields = 0;
  gboolean best_consistent = FALSE;
  for (gsize c = 0; c < G_N_ELEMENTS(cands); c++) {
    guint lines = count_fields(s, n, cands[c], counts, SNIFF_LINES);
    if (lines == 0 && eof && n > 0) {
      counts[0] = 1;
      for (gsize i = 0; i < n; i++)
        counts[0] += s[i] == cands[c];
      lines = 1;
    }
    if (lines == 0 || counts[0] < 2)
      continue;
    gboolean consistent = TRUE;
    for (guint l = 1; l < lines; l++)
      consistent = consistent && counts[l] == counts[0];
    if ((consistent && !best_consistent)
        || (consistent == best_consistent && counts[0] > best_fields)) {
      best = cands[c];
      best_fields = counts[0];
      best_consistent = consistent;
    }
  }
  return best;
}

/* ---------- header and mapping ---------- */

/* request-level ids (a case, a ticket, a request) before person-level ones
 * (a customer, whose history may hold many journeys) */
static const char *const case_names[]
    = { "case:concept:name", "case id",     "case_id",     "caseid", "case",
        "case number",       "ticket_id",   "ticket id",   "ticket", "request_id",
        "request id",        "customer_id", "customer id", NULL };
static const char *const activity_names[]
    = { "concept:name", "activity", "activity name", "activity_name", "event", "event name",
        "event_name",   "task",     "status",        "stage",         NULL };
static const char *const timestamp_names[] = { "time:timestamp",
                                               "timestamp",
                                               "complete timestamp",
                                               "end timestamp",
                                               "end_timestamp",
                                               "end",
                                               "end time",
                                               "end_time",
                                               "completed",
                                               "date",
                                               "datetime",
                                               "time",
                                               "event time",
                                               "event_time",
                                               "created_at",
                                               "created at",
                                               NULL };
static const char *const start_names[]
    = { "start_timestamp", "start timestamp", "start", "start time", "start_time", NULL };
static const char *const resource_names[]
    = { "org:resource", "resource", "user", "agent", "assignee", NULL };
static const char *const channel_names[] = { "channel", NULL };
static const char *const lifecycle_names[] = { "lifecycle:transition", "lifecycle", NULL };

gboolean
cx_csv_role_name(const char *name)
{
  const char *const *lists[] = { case_names,     activity_names, timestamp_names, start_names,
                                 resource_names, channel_names,  lifecycle_names };
  for (gsize l = 0; l < G_N_ELEMENTS(lists); l++)
    for (const char *const *n = lists[l]; *n != NULL; n++)
      if (g_ascii_strcasecmp(name, *n) == 0)
        return TRUE;
  return g_ascii_strncasecmp(name, "case:", 5) == 0;
}

static char *
column_list(const Reader *r)
{
  g_autoptr(GString) s = g_string_new(NULL);
  for (guint i = 0; i < r->header->len; i++) {
    if (i > 0)
      g_string_append(s, ", ");
    g_string_append(s, g_ptr_array_index(r->header, i));
  }
  return g_string_free(g_steal_pointer(&s), FALSE);
}

/* The columns named @name (exactly; else ignoring case): -1 when none, -2 when several. */
static int
find_column(const Reader *r, const char *name)
{
  for (int pass = 0; pass < 2; pass++) {
    int found = -1;
    for (guint i = 0; i < r->header->len; i++) {
      const char *h = g_ptr_array_index(r->header, i);
      if (pass == 0 ? strcmp(h, name) == 0 : g_ascii_strcasecmp(h, name) == 0) {
        if (found >= 0)
          return -2;
        found = (int)i;
      }
    }
    if (found >= 0)
      return found;
  }
  return -1;
}

static gboolean
ambiguous(const Reader *r, const char *name, GError **error)
{
  g_set_error(error, CX_READER_ERROR, CX_READER_ERROR_MAPPING,
              "%s:%" G_GUINT64_FORMAT ": ambiguous column '%s' (it appears more than once)",
              r->name, r->rec_line, name);
  return FALSE;
}

/* Maps one role: the option's column, else the first known name present
 * (NULL names = no detection).  An option of "" means none. */
static gboolean
map_role(Reader *r, const char *opt, const char *const *names, int *col, GError **error)
{
  *col = -1;
  if (opt != NULL) {
    if (*opt == '\0')
      return TRUE;
    int c = find_column(r, opt);
    if (c == -2)
      return ambiguous(r, opt, error);
    if (c == -1) {
      g_autofree char *list = column_list(r);
      g_autoptr(CxSuggest) near = cx_suggest_new(opt);
      for (guint i = 0; i < r->header->len; i++)
        cx_suggest_add(near, g_ptr_array_index(r->header, i));
      g_autofree char *hint = cx_suggest_list(near, 3);
      if (*hint != '\0')
        g_set_error(error, CX_READER_ERROR, CX_READER_ERROR_MAPPING,
                    "%s:%" G_GUINT64_FORMAT ": no column '%s'; did you mean %s? (columns: %s)",
                    r->name, r->rec_line, opt, hint, list);
      else
        g_set_error(error, CX_READER_ERROR, CX_READER_ERROR_MAPPING,
                    "%s:%" G_GUINT64_FORMAT ": no column '%s' (columns: %s)", r->name, r->rec_line,
                    opt, list);
      return FALSE;
    }
    *col = c;
    return TRUE;
  }
  for (gsize k = 0; names != NULL && names[k] != NULL; k++) {
    int c = -1;
    for (guint i = 0; i < r->header->len; i++) {
      if (g_ascii_strcasecmp(g_ptr_array_index(r->header, i), names[k]) != 0)
        continue;
      if (c >= 0)
        return ambiguous(r, g_ptr_array_index(r->header, i), error);
      c = (int)i;
    }
    if (c >= 0) {
      *col = c;
      return TRUE;
    }
  }
  return TRUE;
}

static const char *
col_name(const Reader *r, int c)
{
  return c >= 0 ? g_ptr_array_index(r->header, (guint)c) : NULL;
}

static gboolean
map_columns(Reader *r, GError **error)
{
  const CxReadOptions *o = r->opts;
  if (!map_role(r, o->case_col, case_names, &r->col_case, error))
    return FALSE;
  if (o->activity_cols != NULL && o->activity_cols[0] != NULL) {
    for (char **a = o->activity_cols; *a != NULL; a++) {
      int c;
      if (!map_role(r, *a, NULL, &c, error))
        return FALSE;
      if (c >= 0)
        g_array_append_val(r->col_act, c);
    }
  } else {
    int c;
    if (!map_role(r, NULL, activity_names, &c, error))
      return FALSE;
    if (c >= 0)
      g_array_append_val(r->col_act, c);
  }
  /* a start column is found by its header only when the timestamp column
   * was too: beside a named timestamp column, a "start" header may mean
   * anything, and it would change the order and the waits unseen */
  const char *const *starts = o->timestamp_col == NULL ? start_names : NULL;
  if (!map_role(r, o->timestamp_col, timestamp_names, &r->col_ts, error)
      || !map_role(r, o->start_col, starts, &r->col_start, error)
      || !map_role(r, o->resource_col, resource_names, &r->col_res, error)
      || !map_role(r, o->channel_col, channel_names, &r->col_chan, error)
      || !map_role(r, NULL, lifecycle_names, &r->col_lc, error))
    return FALSE;
  if (r->col_start == r->col_ts)
    r->col_start = -1;
  const char *missing = r->col_case < 0 ? "case id" : r->col_act->len == 0 ? "activity" : NULL;
  if (missing != NULL) {
    g_autofree char *list = column_list(r);
    g_set_error(error, CX_READER_ERROR, CX_READER_ERROR_MAPPING,
                "%s:%" G_GUINT64_FORMAT ": no %s column found (pass --%s; columns: %s)", r->name,
                r->rec_line, missing, r->col_case < 0 ? "case" : "activity", list);
    return FALSE;
  }
  for (guint i = 0; i < r->header->len; i++) {
    const char *h = g_ptr_array_index(r->header, i);
    int c = (int)i;
    if (g_str_has_prefix(h, "case:") && h[5] != '\0' && c != r->col_case)
      g_array_append_val(r->col_cattr, c);
  }
  if (o->verbose) {
    g_autoptr(GString) acts = g_string_new(NULL);
    for (guint k = 0; k < r->col_act->len; k++)
      g_string_append_printf(acts, "%s'%s'", k > 0 ? "+" : "",
                             col_name(r, g_array_index(r->col_act, int, k)));
    const char *roles[] = { "timestamp", "start", "resource", "channel", "lifecycle" };
    int cols[] = { r->col_ts, r->col_start, r->col_res, r->col_chan, r->col_lc };
    g_autoptr(GString) line = g_string_new(NULL);
    g_string_append_printf(line, "mapping: case='%s' activity=%s", col_name(r, r->col_case),
                           acts->str);
    for (gsize k = 0; k < G_N_ELEMENTS(roles); k++) {
      if (cols[k] >= 0)
        g_string_append_printf(line, " %s='%s'", roles[k], col_name(r, cols[k]));
      else
        g_string_append_printf(line, " %s=none", roles[k]);
    }
    g_string_append_printf(line, " case-attributes=%u delimiter='%s' (%s)", r->col_cattr->len,
                           r->delim == '\t' ? "\\t" : (char[]){ r->delim, '\0' }, r->name);
    cx_notice(o, CX_NOTICE_VERBOSE, "mapping", "%s", line->str);
  }
  return TRUE;
}

/* ---------- rows ---------- */

static CxLifecycle
lifecycle_of(const Field *f)
{
  if (f->len == 0 || (f->len == 8 && g_ascii_strncasecmp(f->p, "complete", 8) == 0))
    return CX_LIFECYCLE_COMPLETE;
  if (f->len == 5 && g_ascii_strncasecmp(f->p, "start", 5) == 0)
    return CX_LIFECYCLE_START;
  return CX_LIFECYCLE_OTHER;
}

static gboolean
bad_timestamp(Reader *r, const Field *f, int col, guint64 line, GError **error)
{
  gboolean guessed = FALSE;
  CxDateOrder order = cx_timefmt_order(r->tf, &guessed);
  CxDateOrder e = cx_timefmt_evidence(f->p, f->len);
  if (order != CX_DATE_ORDER_UNKNOWN && e != CX_DATE_ORDER_UNKNOWN && e != order) {
    if (guessed)
      g_set_error(error, CX_READER_ERROR, CX_READER_ERROR_VALUE,
                  "%s:%" G_GUINT64_FORMAT ": timestamp '%.*s' in column '%s' is month-first, but "
                  "earlier rows were read day-first: pass --timestamp-format (e.g. '%%m/%%d/%%Y "
                  "%%H:%%M')",
                  r->name, line, (int)f->len, f->p, col_name(r, col));
    else
      g_set_error(error, CX_READER_ERROR, CX_READER_ERROR_VALUE,
                  "%s:%" G_GUINT64_FORMAT ": timestamp '%.*s' in column '%s' contradicts the "
                  "day/month order of earlier rows: pass --timestamp-format",
                  r->name, line, (int)f->len, f->p, col_name(r, col));
    return FALSE;
  }
  if (cx_timefmt_out_of_range(r->tf, f->p, f->len, r->tz)) {
    g_set_error(error, CX_READER_ERROR, CX_READER_ERROR_VALUE,
                "%s:%" G_GUINT64_FORMAT ": timestamp '%.*s' in column '%s' is outside the times "
                "cxmine reads (" CX_TS_RANGE_TEXT "); --skip-invalid drops such rows",
                r->name, line, (int)f->len, f->p, col_name(r, col));
    return FALSE;
  }
  g_set_error(error, CX_READER_ERROR, CX_READER_ERROR_VALUE,
              "%s:%" G_GUINT64_FORMAT ": bad timestamp '%.*s' in column '%s'", r->name, line,
              (int)f->len, f->p, col_name(r, col));
  return FALSE;
}

/* --verbose: what the timestamps of this file look like and how they are
 * read, told once from the first value. */
static G_GNUC_NO_INLINE void
describe_times(Reader *r, const Field *f, int col, gboolean naive)
{
  r->described = TRUE;
  const char *p = f->p;
  gsize n = f->len;
  while (n > 0 && *p == ' ') {
    p++;
    n--;
  }
  gboolean guessed = FALSE;
  CxDateOrder order = cx_timefmt_order(r->tf, &guessed);
  g_autofree char *shape = NULL;
  gsize digits = 0;
  while (digits < n && g_ascii_isdigit(p[digits]))
    digits++;
  if (r->opts->timestamp_format != NULL)
    shape = g_strdup_printf("the pattern '%s'", r->opts->timestamp_format);
  else if (digits == n || (digits < n && p[digits] == '.' && digits >= 9))
    shape = g_strdup(digits >= 12 ? "epoch milliseconds" : "epoch seconds");
  else if (digits == 4 && n > 4 && p[4] == '-')
    shape = g_strdup("ISO 8601");
  else if (digits == 4 && n > 4)
    shape = g_strdup_printf("yyyy%cmm%cdd", p[4], p[4]);
  else if (cx_timefmt_is_day_month(p, n)) {
    char sep = digits < n ? p[digits] : '/';
    gboolean month_first = order == CX_DATE_ORDER_MONTH_FIRST;
    shape
        = g_strdup_printf("%s%c%s%cyyyy (%s%s)", month_first ? "mm" : "dd", sep,
                          month_first ? "dd" : "mm", sep, month_first ? "month-first" : "day-first",
                          guessed ? ", guessed: no value proves the order" : "");
  } else
    shape = g_strdup("a date and time");
  const char *zone = r->opts->timezone != NULL ? r->opts->timezone : "UTC";
  cx_notice(r->opts, CX_NOTICE_VERBOSE, "time-format",
            "timestamps: column '%s' like '%.*s': %s, %s%s (%s)", col_name(r, col),
            (int)MIN(f->len, 40), f->p, shape,
            naive                              ? "no offset, read in "
            : g_str_has_prefix(shape, "epoch") ? "instants (UTC)"
                                               : "with offsets",
            naive ? zone : "", r->name);
}

/* Reads a timestamp cell: FALSE when it cannot be parsed. */
static gboolean
read_time(Reader *r, const Field *f, int col, gint64 *out)
{
  *out = CX_TS_NONE;
  if (f->len == 0)
    return TRUE;
  gboolean naive = FALSE;
  if (!cx_timefmt_parse(r->tf, f->p, f->len, r->tz, out, &naive))
    return FALSE;
  if (naive)
    cx_sink_note_naive_time(r->sink);
  if (G_UNLIKELY(!r->described))
    describe_times(r, f, col, naive);
  if (r->guessed && cx_timefmt_is_day_month(f->p, f->len))
    cx_sink_count_guessed_date(r->sink);
  return TRUE;
}

/* TRUE when column @k is mapped to the case, activity, a time, resource,
 * channel or lifecycle, or is a case:KEY column: not an event attribute of
 * its own in CxJourney.event_attrs. */
static gboolean
column_mapped(const Reader *r, int k)
{
  if (k == r->col_case || k == r->col_ts || k == r->col_start || k == r->col_res || k == r->col_chan
      || k == r->col_lc)
    return TRUE;
  for (guint i = 0; i < r->col_act->len; i++)
    if (g_array_index(r->col_act, int, i) == k)
      return TRUE;
  for (guint i = 0; i < r->col_cattr->len; i++)
    if (g_array_index(r->col_cattr, int, i) == k)
      return TRUE;
  return FALSE;
}

static gboolean
process_row(Reader *r, const Field *fields, guint nf, guint64 line, GError **error)
{
  static const Field empty = { "", 0 };
  if (nf != r->n_cols && !(r->trailing_empty && nf == r->n_cols - 1)) {
    g_set_error(error, CX_READER_ERROR, CX_READER_ERROR_PARSE,
                "%s:%" G_GUINT64_FORMAT ": expected %u fields, found %u", r->name, line, r->n_cols,
                nf);
    return FALSE;
  }
#define CELL(c) ((c) >= 0 && (guint)(c) < nf ? &fields[(c)] : &empty)
  CxRawEvent ev = { 0 };
  ev.time = CX_TS_NONE;
  ev.start = CX_TS_NONE;
  if (r->col_ts >= 0 && !read_time(r, CELL(r->col_ts), r->col_ts, &ev.time)) {
    if (!r->opts->skip_invalid)
      return bad_timestamp(r, CELL(r->col_ts), r->col_ts, line, error);
    cx_sink_count_invalid(r->sink);
    return TRUE;
  }
  if (r->col_start >= 0 && !read_time(r, CELL(r->col_start), r->col_start, &ev.start)) {
    if (!r->opts->skip_invalid)
      return bad_timestamp(r, CELL(r->col_start), r->col_start, line, error);
    cx_sink_count_invalid(r->sink);
    return TRUE;
  }
  if (r->want_attrs)
    for (guint k = 0; k < nf && k < r->n_cols; k++) {
      const char *h = g_ptr_array_index(r->header, k);
      cx_sink_event_attr_full(r->sink, h, strlen(h), fields[k].p, fields[k].len,
                              column_mapped(r, (int)k) ? CX_SINK_ATTR_MAPPED : 0);
    }
  if (r->col_act->len == 1) {
    const Field *a = CELL(g_array_index(r->col_act, int, 0));
    ev.activity = a->len > 0 ? a->p : NULL;
    ev.activity_len = a->len;
  } else {
    g_string_truncate(r->act, 0);
    gboolean any = FALSE;
    for (guint k = 0; k < r->col_act->len; k++) {
      const Field *a = CELL(g_array_index(r->col_act, int, k));
      if (k > 0)
        g_string_append(r->act, " | ");
      g_string_append_len(r->act, a->p, (gssize)a->len);
      any = any || a->len > 0;
    }
    ev.activity = any ? r->act->str : NULL;
    ev.activity_len = r->act->len;
  }
  if (r->col_res >= 0) {
    ev.resource = CELL(r->col_res)->p;
    ev.resource_len = CELL(r->col_res)->len;
  }
  if (r->col_chan >= 0 && CELL(r->col_chan)->len > 0) {
    ev.channel = CELL(r->col_chan)->p;
    ev.channel_len = CELL(r->col_chan)->len;
  }
  ev.lifecycle = r->col_lc >= 0 ? lifecycle_of(CELL(r->col_lc)) : CX_LIFECYCLE_COMPLETE;
  const Field *cs = CELL(r->col_case);
  gboolean new_case = FALSE;
  if (!cx_sink_row(r->sink, cs->p, cs->len, &ev, &new_case, error)) {
    if (error != NULL && g_error_matches(*error, CX_READER_ERROR, CX_READER_ERROR_MEMORY))
      g_prefix_error(error, "%s:%" G_GUINT64_FORMAT ": ", r->name, line);
    return FALSE;
  }
  if (new_case)
    for (guint k = 0; k < r->col_cattr->len; k++) {
      int c = g_array_index(r->col_cattr, int, k);
      const Field *v = CELL(c);
      const char *h = g_ptr_array_index(r->header, (guint)c);
      if (v->len > 0)
        cx_sink_row_case_attr(r->sink, h + 5, strlen(h + 5), v->p, v->len);
    }
#undef CELL
  return TRUE;
}

/* ---------- holding rows back for the day/month order ---------- */

static void
hold_row(Reader *r)
{
  guint64 row[3] = { r->la_spans->len, r->fields->len, r->rec_line };
  for (guint k = 0; k < r->fields->len; k++) {
    const Field *f = &g_array_index(r->fields, Field, k);
    Span sp = { r->la_text->len, f->len, FALSE, FALSE };
    g_string_append_len(r->la_text, f->p, (gssize)f->len);
    g_array_append_val(r->la_spans, sp);
  }
  g_array_append_vals(r->la_rows, row, 3);
}

static gboolean
release_rows(Reader *r, GError **error)
{
  r->pending = FALSE;
  g_autoptr(GArray) fields = g_array_new(FALSE, FALSE, sizeof(Field));
  const guint64 *rows = (const guint64 *)r->la_rows->data;
  for (guint i = 0; i + 2 < r->la_rows->len; i += 3) {
    g_array_set_size(fields, (guint)rows[i + 1]);
    for (guint k = 0; k < rows[i + 1]; k++) {
      const Span *sp = &g_array_index(r->la_spans, Span, (guint)rows[i] + k);
      g_array_index(fields, Field, k).p = r->la_text->str + sp->start;
      g_array_index(fields, Field, k).len = sp->len;
    }
    if (!process_row(r, (const Field *)fields->data, fields->len, rows[i + 2], error))
      return FALSE;
  }
  g_string_free(r->la_text, TRUE);
  r->la_text = g_string_new(NULL);
  g_array_set_size(r->la_spans, 0);
  g_array_set_size(r->la_rows, 0);
  return TRUE;
}

/* Decides the order when it can; TRUE when the rows may go on. */
static gboolean
observe_row(Reader *r, gboolean *decided, GError **error)
{
  int cols[2] = { r->col_ts, r->col_start };
  *decided = FALSE;
  for (gsize k = 0; k < 2; k++) {
    if (cols[k] < 0 || (guint)cols[k] >= r->fields->len)
      continue;
    const Field *f = &g_array_index(r->fields, Field, cols[k]);
    if (f->len == 0)
      continue;
    CxDateOrder o = cx_timefmt_observe(r->tf, f->p, f->len);
    if (o == CX_DATE_ORDER_CONFLICT) {
      g_set_error(error, CX_READER_ERROR, CX_READER_ERROR_VALUE,
                  "%s:%" G_GUINT64_FORMAT ": timestamp '%.*s' in column '%s' contradicts the "
                  "day/month order of earlier rows: pass --timestamp-format",
                  r->name, r->rec_line, (int)f->len, f->p, col_name(r, cols[k]));
      return FALSE;
    }
    if (o != CX_DATE_ORDER_UNKNOWN) {
      cx_timefmt_set_order(r->tf, o, FALSE);
      *decided = TRUE;
    } else if (cx_timefmt_is_day_month(f->p, f->len)) {
      r->saw_day_month = TRUE;
    } else {
      *decided = TRUE; /* ISO, epoch, ...: the order does not matter */
    }
  }
  return TRUE;
}

static void
guess_order(Reader *r)
{
  if (!r->saw_day_month)
    return;
  cx_timefmt_set_order(r->tf, CX_DATE_ORDER_DAY_FIRST, TRUE);
  r->guessed = TRUE;
  if (r->opts->verbose)
    cx_notice(r->opts, CX_NOTICE_VERBOSE, "date-order",
              "%s: day and month order of the timestamps is ambiguous in the first %u rows: "
              "reading them day-first (pass --timestamp-format to choose)",
              r->name, r->la_rows->len / 3);
}

/* ---------- driver ---------- */

/* The columns whose values are read: the others are skipped without being
 * stored, however long their values. */
static void
mark_used(Reader *r)
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

gboolean
cx_csv_read(CxInput *in, CxSink *sink, const CxReadOptions *opts, GError **error)
{
  return cx_csv_read_measured(in, sink, opts, NULL, error);
}

gboolean
cx_csv_read_measured(CxInput *in, CxSink *sink, const CxReadOptions *opts, CxCsvWork *work,
                     GError **error)
{
  g_autoptr(CxTimeFmt) tf = cx_timefmt_new(opts->timestamp_format, error);
  if (tf == NULL)
    return FALSE;
  cx_input_set_progress(in, opts->progress, opts->progress_data);
  Reader r = { 0 };
  r.in = in;
  r.sink = sink;
  r.opts = opts;
  r.name = cx_input_name(in);
  r.cap = 2 * FILL_SIZE;
  r.buf = g_malloc(r.cap);
  r.line = 1;
  r.spans = g_array_new(FALSE, FALSE, sizeof(Span));
  r.fields = g_array_new(FALSE, FALSE, sizeof(Field));
  r.col_act = g_array_new(FALSE, FALSE, sizeof(int));
  r.col_cattr = g_array_new(FALSE, FALSE, sizeof(int));
  r.act = g_string_new(NULL);
  r.tf = g_steal_pointer(&tf);
  r.tz = cx_sink_naive_tz(sink);
  r.la_text = g_string_new(NULL);
  r.la_spans = g_array_new(FALSE, FALSE, sizeof(Span));
  r.la_rows = g_array_new(FALSE, FALSE, sizeof(guint64));
  r.want_attrs = cx_sink_wants_event_attrs(sink);
  r.described = !opts->verbose;
  gboolean ok = FALSE;

  /* enough bytes to see the header and some rows */
  while (!r.eof && r.len - r.pos < 64 * 1024)
    if (!fill(&r, error))
      goto out;
  set_delimiter(&r, opts->delimiter != 0 ? opts->delimiter
                                         : sniff_delimiter(r.buf + r.pos, r.len - r.pos, r.eof));
  RecResult res = next_record(&r, error);
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
  if (!map_columns(&r, error))
    goto out;
  mark_used(&r);
  r.pending = opts->timestamp_format == NULL && (r.col_ts >= 0 || r.col_start >= 0);

  for (;;) {
    res = next_record(&r, error);
    if (res == REC_ERROR)
      goto out;
    if (res == REC_END)
      break;
    if (r.pending) {
      gboolean decided;
      if (!observe_row(&r, &decided, error))
        goto out;
      if (!decided) {
        hold_row(&r);
        if (r.la_rows->len / 3 < CX_TIMEFMT_LOOKAHEAD)
          continue;
        guess_order(&r);
      }
      if (!release_rows(&r, error))
        goto out;
      if (!decided)
        continue;
    }
    if (!process_row(&r, (const Field *)r.fields->data, r.fields->len, r.rec_line, error))
      goto out;
  }
  if (r.pending && r.la_rows->len > 0) {
    guess_order(&r);
    if (!release_rows(&r, error))
      goto out;
  }
  ok = TRUE;
out:
  if (work != NULL) {
    work->scanned = r.scanned;
    work->buffer_peak = r.cap; /* the buffer only grows */
  }
  reader_clear(&r);
  return ok;
}
