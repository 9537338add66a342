/* Writing journeys as XES or CSV event logs (see include/cxmine/log-writer.h). */
#define _GNU_SOURCE /* syncfs */
#include "cxmine/log-writer.h"
#include "cxmine/output.h"
#include "cxmine/timestamp.h"
#include "reader-private.h"
#include "escape-private.h"
#include "output-private.h"
#include <errno.h>
#include <math.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

/* the quark's name is one token, which clang-format would split */
/* clang-format off */
G_DEFINE_QUARK(cx-log-writer-error-quark, cx_log_writer_error)
/* clang-format on */

struct _CxLogWriter {
  CxLog *log;
  char *path;
  char *tmp; /* the temporary file beside @path; NULL when written straight */
  int fd;    /* straight-through target, else -1 */
  gboolean own_fd;
  gboolean csv, gz;
  gsize buffer_size;
  GString *out;  /* text not yet flushed to the target */
  GString *z;    /* compressed scratch */
  GString *cell; /* escaped scratch */
  /* CSV: rows are spooled until the columns are known */
  char *spool;
  GString *sbuf;
  GArray *keys;       /* guint32 column codes, in column order: key id << 1 | 1 for an event
                       * attribute, key id << 1 for a case attribute */
  GHashTable *key_at; /* column code -> column index + 1 */
  gboolean any_start;
  guint64 cases, events;
  gboolean closed;
};

CxLogWriteFormat
cx_log_write_format_for(const char *path, CxLogWriteFormat format)
{
  if (format != CX_LOG_WRITE_AUTO)
    return format;
  if (path != NULL && (g_str_has_suffix(path, ".csv") || g_str_has_suffix(path, ".csv.gz")))
    return CX_LOG_WRITE_CSV;
  return CX_LOG_WRITE_XES;
}

/* ---------- time ---------- */

gsize
cx_log_writer_format_time(gint64 t, char *buf)
{
  gint64 secs = t / CX_USEC_PER_SEC;
  gint64 us = t % CX_USEC_PER_SEC;
  if (us < 0) {
    us += CX_USEC_PER_SEC;
    secs -= 1;
  }
  gint64 days = secs / 86400;
  gint64 sod = secs % 86400;
  if (sod < 0) {
    sod += 86400;
    days -= 1;
  }
  /* civil date from days since 1970-01-01 (proleptic Gregorian, 400-year eras) */
  gint64 z = days + 719468;
  gint64 era = (z >= 0 ? z : z - 146096) / 146097;
  gint64 doe = z - era * 146097;
  gint64 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  gint64 y = yoe + era * 400;
  gint64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  gint64 mp = (5 * doy + 2) / 153;
  gint64 d = doy - (153 * mp + 2) / 5 + 1;
  gint64 m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2)
    y++;
  int n = g_snprintf(buf, 40, "%04" G_GINT64_FORMAT "-%02d-%02dT%02d:%02d:%02d", y, (int)m, (int)d,
                     (int)(sod / 3600), (int)(sod / 60 % 60), (int)(sod % 60));
  if (us % 1000 == 0)
    n += g_snprintf(buf + n, 40 - (gsize)n, ".%03dZ", (int)(us / 1000));
  else
    n += g_snprintf(buf + n, 40 - (gsize)n, ".%06dZ", (int)us);
  return (gsize)n;
}

/* ---------- output ---------- */

/* Appends @len bytes to the file @path (opened for this call only). */
static gboolean
append_file(const char *path, const char *data, gsize len, GError **error)
{
  int fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
  if (fd < 0 || !cx_output_write_fd(fd, data, len)) {
    int e = errno;
    if (fd >= 0)
      close(fd);
    g_set_error(error, CX_LOG_WRITER_ERROR, CX_LOG_WRITER_ERROR_WRITE, "%s: cannot write: %s", path,
                g_strerror(e));
    return FALSE;
  }
  if (close(fd) != 0) {
    int e = errno;
    g_set_error(error, CX_LOG_WRITER_ERROR, CX_LOG_WRITER_ERROR_WRITE, "%s: cannot write: %s", path,
                g_strerror(e));
    return FALSE;
  }
  return TRUE;
}

/* One complete gzip member of @len bytes of @data into @z. */
static gboolean
gzip_member(const char *data, gsize len, GString *z)
{
  z_stream s;
  memset(&s, 0, sizeof s);
  if (deflateInit2(&s, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    return FALSE;
  uLong bound = deflateBound(&s, (uLong)len);
  g_string_set_size(z, bound);
  s.next_in = (Bytef *)data;
  s.avail_in = (uInt)len;
  s.next_out = (Bytef *)z->str;
  s.avail_out = (uInt)bound;
  int rc = deflate(&s, Z_FINISH);
  g_string_set_size(z, s.total_out);
  deflateEnd(&s);
  return rc == Z_STREAM_END;
}

/* Sends w->out to the target (compressed when asked) and empties it. */
static gboolean
flush_out(CxLogWriter *w, GError **error)
{
  if (w->out->len == 0)
    return TRUE;
  const char *data = w->out->str;
  gsize len = w->out->len;
  if (w->gz) {
    if (!gzip_member(data, len, w->z)) {
      g_set_error(error, CX_LOG_WRITER_ERROR, CX_LOG_WRITER_ERROR_WRITE, "%s: cannot compress",
                  w->path);
      return FALSE;
    }
    data = w->z->str;
    len = w->z->len;
  }
  gboolean ok;
  if (w->fd >= 0) {
    ok = cx_output_write_fd(w->fd, data, len);
    if (!ok) {
      int e = errno;
      g_set_error(error, CX_LOG_WRITER_ERROR, CX_LOG_WRITER_ERROR_WRITE, "%s: cannot write: %s",
                  strcmp(w->path, "-") == 0 ? "standard output" : w->path, g_strerror(e));
    }
  } else {
    ok = append_file(w->tmp, data, len, error);
  }
  g_string_truncate(w->out, 0);
  return ok;
}

static gboolean
maybe_flush(CxLogWriter *w, GError **error)
{
  if (w->csv && w->sbuf->len >= w->buffer_size) {
    if (!append_file(w->spool, w->sbuf->str, w->sbuf->len, error))
      return FALSE;
    g_string_truncate(w->sbuf, 0);
  }
  return w->out->len < w->buffer_size || flush_out(w, error);
}

/* Creates an empty temporary file named from @path's folder and base name. */
static char *
make_temp(const char *dir, const char *base, GError **error)
{
  g_autofree char *tmpl = g_strdup_printf("%s/.%s.XXXXXX", dir, base);
  int fd = g_mkstemp(tmpl);
  if (fd < 0) {
    int e = errno;
    g_set_error(error, CX_LOG_WRITER_ERROR, CX_LOG_WRITER_ERROR_CREATE,
                "cannot create a file in %s: %s", dir, g_strerror(e));
    return NULL;
  }
  close(fd);
  return g_steal_pointer(&tmpl);
}

/* ---------- CSV cells ---------- */

/* RFC 4180: quoted when it holds the delimiter, a quote or a line break, or
 * starts or ends with a space (which a reader might trim). */
static void
csv_cell(GString *out, const char *s)
{
  gsize len = strlen(s);
  gboolean quote = len > 0 && (s[0] == ' ' || s[len - 1] == ' ');
  for (gsize i = 0; i < len && !quote; i++)
    quote = s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
  if (!quote) {
    g_string_append_len(out, s, (gssize)len);
    return;
  }
  g_string_append_c(out, '"');
  for (gsize i = 0; i < len; i++) {
    if (s[i] == '"')
      g_string_append_c(out, '"');
    g_string_append_c(out, s[i]);
  }
  g_string_append_c(out, '"');
}

/* ---------- XES ---------- */

static void
xes_attr(GString *out, const char *indent, const char *type, const char *key, const char *value)
{
  g_string_append(out, indent);
  g_string_append_c(out, '<');
  g_string_append(out, type);
  g_string_append(out, " key=\"");
  cx_escape_xml_attr(out, key);
  g_string_append(out, "\" value=\"");
  cx_escape_xml_attr(out, value);
  g_string_append(out, "\"/>\n");
}

/* The XES element for a value of key @key: the type the log declared when
 * the value is one of that type, else a string. */
static const char *
xes_type(CxLogWriter *w, guint32 key, const char *v)
{
  char *end;
  switch (cx_log_key_type(w->log, key)) {
    case CX_ATTR_INT:
      errno = 0;
      g_ascii_strtoll(v, &end, 10);
      return *v != '\0' && *end == '\0' && errno == 0 ? "int" : "string";
    case CX_ATTR_FLOAT: {
      /* xs:double has no "inf" or "nan" spelled so: those stay strings */
      double x = g_ascii_strtod(v, &end);
      return *v != '\0' && *end == '\0' && isfinite(x) ? "float" : "string";
    }
    case CX_ATTR_BOOLEAN:
      return strcmp(v, "true") == 0 || strcmp(v, "false") == 0 ? "boolean" : "string";
    case CX_ATTR_DATE: {
      gint64 t;
      gboolean naive = FALSE;
      return cx_time_parse_iso(v, strlen(v), NULL, &t, &naive) && !naive ? "date" : "string";
    }
    case CX_ATTR_ID:
      return "id";
    default:
      return "string";
  }
}

/* TRUE for the keys the writer writes itself on every event. */
static gboolean
xes_own_key(const char *k)
{
  return strcmp(k, "concept:name") == 0 || strcmp(k, "lifecycle:transition") == 0
         || strcmp(k, "time:timestamp") == 0 || strcmp(k, "org:resource") == 0
         || strcmp(k, "channel") == 0;
}

static void
xes_typed_attrs(CxLogWriter *w, const char *indent, const CxAttr *a, guint n, gboolean event)
{
  for (guint i = 0; i < n; i++) {
    const char *k = cx_pool_get(cx_log_keys(w->log), a[i].key);
    if (event ? xes_own_key(k) : strcmp(k, "concept:name") == 0)
      continue;
    const char *v = cx_pool_get(cx_log_values(w->log), a[i].value);
    xes_attr(w->out, indent, xes_type(w, a[i].key, v), k, v);
  }
}

static void
xes_event(CxLogWriter *w, const CxJourney *j, guint i, const char *lifecycle, gint64 t)
{
  const CxEvent *e = &j->instances[i];
  GString *o = w->out;
  g_string_append(o, "    <event>\n");
  xes_attr(o, "      ", "string", "concept:name",
           cx_pool_get(cx_log_activities(w->log), e->activity));
  xes_attr(o, "      ", "string", "lifecycle:transition", lifecycle);
  if (t != CX_TS_NONE) {
    char buf[40];
    cx_log_writer_format_time(t, buf);
    xes_attr(o, "      ", "date", "time:timestamp", buf);
  }
  if (e->resource != CX_ID_NONE)
    xes_attr(o, "      ", "string", "org:resource",
             cx_pool_get(cx_log_resources(w->log), e->resource));
  if (e->channel != CX_ID_NONE)
    xes_attr(o, "      ", "string", "channel", cx_pool_get(cx_log_channels(w->log), e->channel));
  if (j->event_attrs != NULL)
    xes_typed_attrs(w, "      ", j->event_attrs + j->event_attr_at[i],
                    j->event_attr_at[i + 1] - j->event_attr_at[i], TRUE);
  g_string_append(o, "    </event>\n");
  w->events++;
}

static void
xes_journey(CxLogWriter *w, const CxJourney *j)
{
  GString *o = w->out;
  g_string_append(o, "  <trace>\n");
  xes_attr(o, "    ", "string", "concept:name", cx_pool_get(cx_log_cases(w->log), j->case_id));
  xes_typed_attrs(w, "    ", j->attrs, j->n_attrs, FALSE);
  for (guint i = 0; i < j->n_instances; i++) {
    const CxEvent *e = &j->instances[i];
    guint lc = e->flags & CX_EVENT_LIFECYCLE_MASK;
    if (lc == CX_LIFECYCLE_START)
      xes_event(w, j, i, "start", e->time != CX_TS_NONE ? e->time : e->start);
    else if (lc == CX_LIFECYCLE_OTHER)
      xes_event(w, j, i, "unknown", e->time);
    else {
      if (e->start != CX_TS_NONE)
        xes_event(w, j, i, "start", e->start);
      xes_event(w, j, i, "complete", e->time);
    }
  }
  g_string_append(o, "  </trace>\n");
}

static const char xes_head[]
    = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<log xes.version=\"1849-2016\" xes.features=\"\" xmlns=\"http://www.xes-standard.org/\">\n"
      "  <extension name=\"Concept\" prefix=\"concept\" "
      "uri=\"http://www.xes-standard.org/concept.xesext\"/>\n"
      "  <extension name=\"Time\" prefix=\"time\" "
      "uri=\"http://www.xes-standard.org/time.xesext\"/>\n"
      "  <extension name=\"Lifecycle\" prefix=\"lifecycle\" "
      "uri=\"http://www.xes-standard.org/lifecycle.xesext\"/>\n"
      "  <extension name=\"Organizational\" prefix=\"org\" "
      "uri=\"http://www.xes-standard.org/org.xesext\"/>\n"
      "  <global scope=\"trace\">\n"
      "    <string key=\"concept:name\" value=\"__INVALID__\"/>\n"
      "  </global>\n"
      "  <global scope=\"event\">\n"
      "    <string key=\"concept:name\" value=\"__INVALID__\"/>\n"
      "    <string key=\"lifecycle:transition\" value=\"complete\"/>\n"
      "  </global>\n"
      "  <classifier name=\"Activity\" keys=\"concept:name\"/>\n"
      "  <classifier name=\"Activity and transition\" keys=\"concept:name "
      "lifecycle:transition\"/>\n"
      "  <string key=\"concept:name\" value=\"cxmine\"/>\n";

/* ---------- CSV ---------- */

/* A spooled row: its number of case columns when written, then three parts
 * (the cells before start_timestamp, the start cell, the cells after it),
 * each a guint32 length and its bytes. */
static void
spool_part(GString *s, const char *p, gsize len)
{
  guint32 n = (guint32)len;
  g_string_append_len(s, (const char *)&n, sizeof n);
  g_string_append_len(s, p, (gssize)len);
}

/* The column of @code (key id << 1 | event), added last when new (earlier
 * rows are padded at the end). Returns its index. */
static guint
csv_column(CxLogWriter *w, guint32 code)
{
  guint at = GPOINTER_TO_UINT(g_hash_table_lookup(w->key_at, GUINT_TO_POINTER(code)));
  if (at == 0) {
    g_array_append_val(w->keys, code);
    at = w->keys->len;
    g_hash_table_insert(w->key_at, GUINT_TO_POINTER(code), GUINT_TO_POINTER(at));
  }
  return at - 1;
}

static void
csv_journey(CxLogWriter *w, const CxJourney *j)
{
  CxPool *values = cx_log_values(w->log);
  for (guint i = 0; i < j->n_attrs; i++)
    csv_column(w, j->attrs[i].key << 1);
  if (j->event_attrs != NULL)
    for (guint i = 0; i < j->event_attr_at[j->n_instances]; i++)
      csv_column(w, j->event_attrs[i].key << 1 | 1);
  g_autofree const char **cells = g_new0(const char *, w->keys->len + 1);
  for (guint i = 0; i < j->n_attrs; i++)
    cells[csv_column(w, j->attrs[i].key << 1)] = cx_pool_get(values, j->attrs[i].value);
  g_autoptr(GString) tail = g_string_new(NULL);
  const char *case_id = cx_pool_get(cx_log_cases(w->log), j->case_id);
  GString *a = w->cell;
  for (guint i = 0; i < j->n_instances; i++) {
    g_string_truncate(tail, 0);
    const CxAttr *ea = NULL;
    guint nea = 0;
    if (j->event_attrs != NULL) {
      ea = j->event_attrs + j->event_attr_at[i];
      nea = j->event_attr_at[i + 1] - j->event_attr_at[i];
    }
    for (guint c = 0; c < w->keys->len; c++) {
      guint32 code = g_array_index(w->keys, guint32, c);
      g_string_append_c(tail, ',');
      const char *v = NULL;
      if (!(code & 1))
        v = cells[c];
      for (guint k = 0; k < nea && v == NULL; k++)
        if ((ea[k].key << 1 | 1) == code)
          v = cx_pool_get(values, ea[k].value);
      if (v != NULL)
        csv_cell(tail, v);
    }
    const CxEvent *e = &j->instances[i];
    guint lc = e->flags & CX_EVENT_LIFECYCLE_MASK;
    char t[40] = "", st[40] = "";
    if (e->time != CX_TS_NONE)
      cx_log_writer_format_time(e->time, t);
    if (e->start != CX_TS_NONE && !(lc == CX_LIFECYCLE_START && e->start == e->time)) {
      cx_log_writer_format_time(e->start, st);
      w->any_start = TRUE;
    }
    guint32 ncols = w->keys->len;
    g_string_append_len(w->sbuf, (const char *)&ncols, sizeof ncols);
    g_string_truncate(a, 0);
    csv_cell(a, case_id);
    g_string_append_c(a, ',');
    csv_cell(a, cx_pool_get(cx_log_activities(w->log), e->activity));
    g_string_append_c(a, ',');
    g_string_append(a, t);
    spool_part(w->sbuf, a->str, a->len);
    spool_part(w->sbuf, st, strlen(st));
    g_string_truncate(a, 0);
    g_string_append_c(a, ',');
    csv_cell(a, cx_pool_get(cx_log_resources(w->log), e->resource));
    g_string_append_c(a, ',');
    csv_cell(a, cx_pool_get(cx_log_channels(w->log), e->channel));
    g_string_append(a, lc == CX_LIFECYCLE_START   ? ",start"
                       : lc == CX_LIFECYCLE_OTHER ? ",unknown"
                                                  : ",complete");
    g_string_append_len(a, tail->str, (gssize)tail->len);
    spool_part(w->sbuf, a->str, a->len);
    w->events++;
  }
}

static gboolean
read_exact(FILE *f, void *p, gsize len)
{
  return len == 0 || fread(p, 1, len, f) == len;
}

/* Writes the header and the spooled rows, padded to every case column. */
static gboolean
csv_finish(CxLogWriter *w, GError **error)
{
  if (w->sbuf->len > 0 && !append_file(w->spool, w->sbuf->str, w->sbuf->len, error))
    return FALSE;
  g_string_truncate(w->sbuf, 0);
  g_string_append(w->out, "case_id,activity,timestamp");
  if (w->any_start)
    g_string_append(w->out, ",start_timestamp");
  g_string_append(w->out, ",resource,channel,lifecycle");
  for (guint c = 0; c < w->keys->len; c++) {
    guint32 code = g_array_index(w->keys, guint32, c);
    const char *key = cx_pool_get(cx_log_keys(w->log), code >> 1);
    /* an event attribute named as a column the reader maps ("Activity",
     * "start", "case:x") would be mapped, or be ambiguous, when read back */
    g_autofree char *h = g_strconcat(!(code & 1)             ? "case:"
                                     : cx_csv_role_name(key) ? "attr:"
                                                             : "",
                                     key, NULL);
    g_string_append_c(w->out, ',');
    csv_cell(w->out, h);
  }
  g_string_append(w->out, "\r\n");
  FILE *f = fopen(w->spool, "rb");
  if (f == NULL) {
    int e = errno;
    g_set_error(error, CX_LOG_WRITER_ERROR, CX_LOG_WRITER_ERROR_SPOOL, "%s: cannot read: %s",
                w->spool, g_strerror(e));
    return FALSE;
  }
  gboolean ok = TRUE;
  guint32 ncols;
  while (ok && fread(&ncols, sizeof ncols, 1, f) == 1) {
    for (int part = 0; part < 3 && ok; part++) {
      guint32 len;
      ok = read_exact(f, &len, sizeof len);
      if (!ok)
        break;
      if (part == 1)
        g_string_append_c(w->out, ',');
      if (part == 1 && !w->any_start) {
        g_string_truncate(w->out, w->out->len - 1);
        ok = len == 0;
        continue;
      }
      gsize at = w->out->len;
      g_string_set_size(w->out, at + len);
      ok = read_exact(f, w->out->str + at, len);
    }
    for (guint c = ncols; c < w->keys->len; c++)
      g_string_append_c(w->out, ',');
    g_string_append(w->out, "\r\n");
    if (ok)
      ok = maybe_flush(w, error);
    else
      g_set_error(error, CX_LOG_WRITER_ERROR, CX_LOG_WRITER_ERROR_SPOOL, "%s: truncated spool",
                  w->spool);
  }
  if (ok && ferror(f)) {
    g_set_error(error, CX_LOG_WRITER_ERROR, CX_LOG_WRITER_ERROR_SPOOL, "%s: cannot read", w->spool);
    ok = FALSE;
  }
  fclose(f);
  return ok;
}

/* ---------- the writer ---------- */

CxLogWriter *
cx_log_writer_new(CxLog *log, const char *path, CxLogWriteFormat format, gsize buffer_size,
                  GError **error)
{
  g_return_val_if_fail(log != NULL && path != NULL, NULL);
  g_autoptr(CxLogWriter) w = g_new0(CxLogWriter, 1);
  w->log = log;
  w->path = g_strdup(path);
  w->fd = -1;
  w->csv = cx_log_write_format_for(path, format) == CX_LOG_WRITE_CSV;
  w->gz = g_str_has_suffix(path, ".gz");
  w->buffer_size = buffer_size > 0 ? buffer_size : 1024 * 1024;
  w->out = g_string_sized_new(MIN(w->buffer_size, 1024 * 1024) + 4096);
  w->z = g_string_new(NULL);
  w->cell = g_string_new(NULL);
  w->sbuf = g_string_new(NULL);
  w->keys = g_array_new(FALSE, FALSE, sizeof(guint32));
  w->key_at = g_hash_table_new(NULL, NULL);

  struct stat st;
  gboolean straight = strcmp(path, "-") == 0;
  if (!straight && stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
    if (S_ISDIR(st.st_mode)) {
      g_set_error(error, CX_LOG_WRITER_ERROR, CX_LOG_WRITER_ERROR_IS_DIRECTORY,
                  "%s: is a directory", path);
      return NULL;
    }
    straight = TRUE;
  }
  g_autofree char *dir = g_path_get_dirname(path);
  g_autofree char *base = g_path_get_basename(path);
  if (straight) {
    if (strcmp(path, "-") == 0) {
      w->fd = STDOUT_FILENO;
    } else {
      w->fd = open(path, O_WRONLY | O_CLOEXEC);
      w->own_fd = TRUE;
      if (w->fd < 0) {
        int e = errno;
        g_set_error(error, CX_LOG_WRITER_ERROR, CX_LOG_WRITER_ERROR_WRITE, "%s: cannot write: %s",
                    path, g_strerror(e));
        return NULL;
      }
    }
  } else {
    w->tmp = make_temp(dir, base, error);
    if (w->tmp == NULL) {
      g_prefix_error(error, "%s: ", path);
      return NULL;
    }
  }
  if (w->csv) {
    w->spool = make_temp(straight ? g_get_tmp_dir() : dir, "cxmine-rows", error);
    if (w->spool == NULL) {
      g_prefix_error(error, "%s: ", path);
      return NULL;
    }
  } else {
    g_string_append(w->out, xes_head);
  }
  return g_steal_pointer(&w);
}

gboolean
cx_log_writer_add(const CxJourney *journey, gpointer writer, GError **error)
{
  CxLogWriter *w = writer;
  g_return_val_if_fail(!w->closed, FALSE);
  if (w->csv)
    csv_journey(w, journey);
  else
    xes_journey(w, journey);
  w->cases++;
  return maybe_flush(w, error);
}

/* Writes what is left to the temporary file (or the straight target). */
static gboolean
finish(CxLogWriter *w, GError **error)
{
  g_return_val_if_fail(!w->closed, FALSE);
  w->closed = TRUE;
  gboolean ok;
  if (w->csv)
    ok = csv_finish(w, error);
  else {
    g_string_append(w->out, "</log>\n");
    ok = TRUE;
  }
  ok = ok && flush_out(w, error);
  if (w->spool != NULL) {
    unlink(w->spool);
    g_clear_pointer(&w->spool, g_free);
  }
  if (w->tmp == NULL && w->own_fd) {
    if (close(w->fd) != 0 && ok) {
      int e = errno;
      g_set_error(error, CX_LOG_WRITER_ERROR, CX_LOG_WRITER_ERROR_WRITE, "%s: cannot write: %s",
                  w->path, g_strerror(e));
      ok = FALSE;
    }
    w->own_fd = FALSE;
  }
  return ok;
}

/* Moves the finished temporary file into place (after syncing it when
 * @sync); on failure removes it. */
static gboolean
commit(CxLogWriter *w, gboolean sync, GError **error)
{
  if (w->tmp == NULL)
    return TRUE;
  gboolean ok = TRUE;
  int e = 0;
  if (sync) {
    int fd = open(w->tmp, O_WRONLY | O_CLOEXEC);
    ok = fd >= 0 && fsync(fd) == 0;
    e = errno;
    if (fd >= 0)
      close(fd);
  }
  if (ok) {
    cx_output_give_mode(w->tmp, w->path);
    ok = rename(w->tmp, w->path) == 0;
    e = errno;
  }
  if (!ok) {
    g_set_error(error, CX_LOG_WRITER_ERROR, CX_LOG_WRITER_ERROR_WRITE, "%s: cannot write: %s",
                w->path, g_strerror(e));
    unlink(w->tmp);
  }
  g_clear_pointer(&w->tmp, g_free);
  return ok;
}

gboolean
cx_log_writer_close(CxLogWriter *w, GError **error)
{
  if (!finish(w, error)) {
    if (w->tmp != NULL)
      unlink(w->tmp);
    g_clear_pointer(&w->tmp, g_free);
    return FALSE;
  }
  return commit(w, TRUE, error);
}

gboolean
cx_log_writer_close_all(CxLogWriter **writers, guint n, GError **error)
{
  for (guint i = 0; i < n; i++)
    if (!finish(writers[i], error))
      return FALSE;
  /* one sync of the file system instead of a fsync per file: thousands of
   * fsyncs take a minute on a busy disk */
  gboolean synced = FALSE;
  for (guint i = 0; i < n && !synced; i++) {
    if (writers[i]->tmp == NULL)
      continue;
    int fd = open(writers[i]->tmp, O_RDONLY | O_CLOEXEC);
    synced = fd >= 0 && syncfs(fd) == 0;
    if (fd >= 0)
      close(fd);
    break;
  }
  for (guint i = 0; i < n; i++)
    if (!commit(writers[i], !synced, error))
      return FALSE;
  return TRUE;
}

guint64
cx_log_writer_cases(const CxLogWriter *w)
{
  return w->cases;
}

guint64
cx_log_writer_events(const CxLogWriter *w)
{
  return w->events;
}

void
cx_log_writer_free(CxLogWriter *w)
{
  if (w == NULL)
    return;
  if (w->tmp != NULL)
    unlink(w->tmp);
  if (w->spool != NULL)
    unlink(w->spool);
  if (w->own_fd)
    close(w->fd);
  g_free(w->tmp);
  g_free(w->spool);
  g_free(w->path);
  g_string_free(w->out, TRUE);
  g_string_free(w->z, TRUE);
  g_string_free(w->cell, TRUE);
  g_string_free(w->sbuf, TRUE);
  g_array_unref(w->keys);
  g_hash_table_unref(w->key_at);
  g_free(w);
}
