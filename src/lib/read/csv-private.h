/* cxmine — the CSV reader's internals, shared by its files:
 *   csv-reader.c  the driver: header, mapping, rows to the sink
 *   csv-record.c  bytes in (UTF-8 or Latin-1, NUL) and RFC 4180 records
 *   csv-dialect.c the delimiter and the columns' roles, from the header
 *   csv-rows.c    a row to an event; rows held back for the day/month order
 *   csv-split.c   the rest of a big file cut into chunks of records, read by
 *                 workers into recorders, played in file order
 */
#pragma once

#include "reader-private.h"
#include "cxmine/timefmt.h"

G_BEGIN_DECLS

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
  gboolean worker;  /* a worker's reader of one chunk: the dialect is its parent's */
  guint64 taken;    /* bytes taken from the input */
  gsize validated;  /* bytes of buf checked as UTF-8 (or converted) */
  guint64 line;     /* line of the next record */
  guint64 rec_line; /* line of the record just parsed */
  char delim;
  guint8 stop[256]; /* bytes that end an unquoted field */
  Span *spans;      /* the record's fields (a plain array: one push per field is the hot path) */
  guint n_spans, spans_cap;
  GArray *fields; /* Field */
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
} CxCsvReader;

/* Sets up @r to read @in into @sink; @tf (owned) parses the times; @size
 * bytes of buffer to start with. */
void cx_csv_reader_init(CxCsvReader *r, CxInput *in, CxSink *sink, const CxReadOptions *opts,
                        CxTimeFmt *tf, gsize size);
/* Sets up @w to read the chunk @in (@size bytes) into the recorder @rec with @parent's
 * dialect, columns and timestamp format (shared, read-only while @w lives):
 * every decision that depends on the rows in order is the parent's.  What a
 * one-thread read would decide on its own (invalid UTF-8 that makes the rest
 * Latin-1) is an error for @w instead. */
void cx_csv_reader_init_worker(CxCsvReader *w, const CxCsvReader *parent, CxInput *in, gsize size,
                               CxSink *rec, const CxReadOptions *opts);
void cx_csv_reader_clear(CxCsvReader *r);
/* Reads every record left into rows (no rows held back). */
gboolean cx_csv_read_rows(CxCsvReader *r, GError **error);
/* The CSV read of reader-private.h on @threads: the start of the file on
 * this thread, the rest split (cx_csv_read_chunks) once @after bytes are read
 * and every decision that depends on the rows in order is made. */
gboolean cx_csv_read_threads(CxInput *in, CxSink *sink, const CxReadOptions *opts, guint threads,
                             gsize after, GError **error);
/* The rest of @r's file (what its buffer holds unparsed, then its input),
 * cut into chunks at record boundaries, read on @threads workers and played
 * into @r's sink in file order (csv-split.c).  On any failure it asks the
 * scan to read again on one thread. */
gboolean cx_csv_read_chunks(CxCsvReader *r, guint threads, gsize after, GError **error);
/* Where the chunk of @len bytes from @data (starting at a record) may end:
 * the end of the first line at or after @from that no quoted field
 * continues, or 0 when there is none in it yet.  *@scanned and *@odd carry
 * the search over calls as @data grows (both 0 at first). */
gsize cx_csv_cut(const char *data, gsize len, gsize from, gsize *scanned, gboolean *odd);

/* Writes the Latin-1 bytes @src as UTF-8 to @dst (room for 2 * @n);
 * returns the bytes written. */
gsize cx_csv_latin1_to_utf8(const char *src, gsize n, char *dst);
/* Appends the next chunk (converted from Latin-1 once the text is known to
 * be that).  Returns FALSE with @error set on failure. */
gboolean cx_csv_fill(CxCsvReader *r, GError **error);
/* Makes @d the field delimiter. */
void cx_csv_set_delimiter(CxCsvReader *r, char d);
/* Parses the next record into r->fields, reading as needed.  Blank lines are skipped. */
RecResult cx_csv_next_record(CxCsvReader *r, GError **error);

/* The delimiter the first lines of @s (@n bytes, all of the file when @eof)
 * are most consistently split by, among , ; TAB |. */
char cx_csv_sniff_delimiter(const char *s, gsize n, gboolean eof);
/* Finds the columns of each role from r->header and the options. */
gboolean cx_csv_map_columns(CxCsvReader *r, GError **error);
/* The header name of column @c, NULL for -1. */
const char *cx_csv_col_name(const CxCsvReader *r, int c);

/* Hands one row to the sink. */
gboolean cx_csv_process_row(CxCsvReader *r, const Field *fields, guint nf, guint64 line,
                            GError **error);
/* Holds the row in r->fields back until the day/month order is known. */
void cx_csv_hold_row(CxCsvReader *r);
/* Hands the held rows on. */
gboolean cx_csv_release_rows(CxCsvReader *r, GError **error);
/* Decides the order from the row in r->fields when it can; TRUE when the rows may go on. */
gboolean cx_csv_observe_row(CxCsvReader *r, gboolean *decided, GError **error);
/* No row decided the order: dd/mm/yyyy values are read day-first. */
void cx_csv_guess_order(CxCsvReader *r);

G_END_DECLS
