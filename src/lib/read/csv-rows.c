/* The CSV reader's rows: a row to an event for the sink (timestamps,
 * activity columns joined, case attributes), and the rows held back at the
 * start of a file until the day/month order of its dates is known. */
#include "csv-private.h"
#include "cxmine/timestamp.h"
#include <string.h>

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
bad_timestamp(CxCsvReader *r, const Field *f, int col, guint64 line, GError **error)
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
                  r->name, line, (int)f->len, f->p, cx_csv_col_name(r, col));
    else
      g_set_error(error, CX_READER_ERROR, CX_READER_ERROR_VALUE,
                  "%s:%" G_GUINT64_FORMAT ": timestamp '%.*s' in column '%s' contradicts the "
                  "day/month order of earlier rows: pass --timestamp-format",
                  r->name, line, (int)f->len, f->p, cx_csv_col_name(r, col));
    return FALSE;
  }
  if (cx_timefmt_out_of_range(r->tf, f->p, f->len, r->tz)) {
    g_set_error(error, CX_READER_ERROR, CX_READER_ERROR_VALUE,
                "%s:%" G_GUINT64_FORMAT ": timestamp '%.*s' in column '%s' is outside the times "
                "cxmine reads (" CX_TS_RANGE_TEXT "); --skip-invalid drops such rows",
                r->name, line, (int)f->len, f->p, cx_csv_col_name(r, col));
    return FALSE;
  }
  g_set_error(error, CX_READER_ERROR, CX_READER_ERROR_VALUE,
              "%s:%" G_GUINT64_FORMAT ": bad timestamp '%.*s' in column '%s'", r->name, line,
              (int)f->len, f->p, cx_csv_col_name(r, col));
  return FALSE;
}

/* --verbose: what the timestamps of this file look like and how they are
 * read, told once from the first value. */
static G_GNUC_NO_INLINE void
describe_times(CxCsvReader *r, const Field *f, int col, gboolean naive)
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
            "timestamps: column '%s' like '%.*s': %s, %s%s (%s)", cx_csv_col_name(r, col),
            (int)MIN(f->len, 40), f->p, shape,
            naive                              ? "no offset, read in "
            : g_str_has_prefix(shape, "epoch") ? "instants (UTC)"
                                               : "with offsets",
            naive ? zone : "", r->name);
}

/* Reads a timestamp cell: FALSE when it cannot be parsed. */
static gboolean
read_time(CxCsvReader *r, const Field *f, int col, gint64 *out)
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
column_mapped(const CxCsvReader *r, int k)
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

gboolean
cx_csv_process_row(CxCsvReader *r, const Field *fields, guint nf, guint64 line, GError **error)
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

void
cx_csv_hold_row(CxCsvReader *r)
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

gboolean
cx_csv_release_rows(CxCsvReader *r, GError **error)
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
    if (!cx_csv_process_row(r, (const Field *)fields->data, fields->len, rows[i + 2], error))
      return FALSE;
  }
  g_string_free(r->la_text, TRUE);
  r->la_text = g_string_new(NULL);
  g_array_set_size(r->la_spans, 0);
  g_array_set_size(r->la_rows, 0);
  return TRUE;
}

/* Decides the order when it can; TRUE when the rows may go on. */
gboolean
cx_csv_observe_row(CxCsvReader *r, gboolean *decided, GError **error)
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
                  r->name, r->rec_line, (int)f->len, f->p, cx_csv_col_name(r, cols[k]));
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

void
cx_csv_guess_order(CxCsvReader *r)
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
