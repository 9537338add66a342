/* Chunked byte input over zlib: plain and gzip files alike, standard input,
 * or memory. */
#include "reader-private.h"
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define PEEK_SIZE    4096
#define AHEAD_SIZE   (1024 * 1024)
#define AHEAD_BLOCKS 4

/* A chunk read ahead by the reading thread. */
typedef struct {
  char *data;
  gssize n; /* bytes, 0 at the end, -1 with error set */
  GError *error;
} Chunk;

struct _CxInput {
  char *name;
  gzFile gz;
  const char *mem;
  gsize mem_len, mem_pos;
  char peek[PEEK_SIZE];
  gsize peek_len, peek_pos;
  gboolean progress;
  gint64 total_size; /* bytes on disk, 0 = unknown */
  gint64 last_report;
  gboolean eof;

  /* read-ahead (cx_input_next): a thread reads and inflates while the
   * caller parses */
  GThread *thread;
  GAsyncQueue *full, *free; /* Chunk* */
  Chunk *held;              /* handed to the caller last */
  char *first;              /* the first chunk, read without a thread */
  gboolean first_done;
  gint stop;           /* atomic: the caller is done */
  gboolean ahead_done; /* the end or an error came through */
};

static void ahead_stop(CxInput *in);

CxInput *
cx_input_open(const char *path, GError **error)
{
  gboolean is_stdin = g_strcmp0(path, "-") == 0;
  int fd = is_stdin ? dup(STDIN_FILENO) : open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int e = errno;
    g_set_error(error, CX_READER_ERROR, CX_READER_ERROR_IO, "%s: cannot open: %s",
                is_stdin ? "<stdin>" : path, g_strerror(e));
    return NULL;
  }
  struct stat st;
  if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    close(fd);
    g_set_error(error, CX_READER_ERROR, CX_READER_ERROR_IO, "%s: is a directory", path);
    return NULL;
  }
  gzFile gz = gzdopen(fd, "rb");
  if (gz == NULL) {
    close(fd);
    g_set_error(error, CX_READER_ERROR, CX_READER_ERROR_IO, "%s: cannot open", path);
    return NULL;
  }
  gzbuffer(gz, 256 * 1024);
  CxInput *in = g_new0(CxInput, 1);
  in->name = g_strdup(is_stdin ? "<stdin>" : path);
  in->gz = gz;
  in->total_size = S_ISREG(st.st_mode) ? (gint64)st.st_size : 0;
  in->progress = isatty(STDERR_FILENO) && in->total_size > 32 * 1024 * 1024;
  return in;
}

CxInput *
cx_input_new_from_data(const char *name, const char *data, gsize len)
{
  CxInput *in = g_new0(CxInput, 1);
  in->name = g_strdup(name);
  in->mem = data;
  in->mem_len = len;
  return in;
}

void
cx_input_free(CxInput *in)
{
  if (in == NULL)
    return;
  ahead_stop(in);
  if (in->gz != NULL)
    gzclose(in->gz);
  if (in->progress && in->last_report != 0)
    g_printerr("\r\033[K");
  g_free(in->name);
  g_free(in);
}

void
cx_input_set_name(CxInput *in, const char *name)
{
  g_free(in->name);
  in->name = g_strdup(name);
}

const char *
cx_input_name(const CxInput *in)
{
  return in->name;
}

static void
report(CxInput *in)
{
  gint64 now = g_get_monotonic_time();
  if (now - in->last_report < 500000)
    return;
  in->last_report = now;
  gint64 pos = gzoffset(in->gz);
  g_printerr("\rreading %s: %d%%", in->name,
             (int)(in->total_size > 0 ? pos * 100 / in->total_size : 0));
}

static gssize
raw_read(CxInput *in, char *buf, gsize len, GError **error)
{
  if (in->gz == NULL) {
    gsize n = MIN(len, in->mem_len - in->mem_pos);
    if (n > 0)
      memcpy(buf, in->mem + in->mem_pos, n);
    in->mem_pos += n;
    return (gssize)n;
  }
  if (in->eof)
    return 0;
  unsigned want = (unsigned)MIN(len, (gsize)G_MAXINT);
  int n = gzread(in->gz, buf, want);
  int errnum = Z_OK;
  const char *msg = gzerror(in->gz, &errnum);
  /* bytes decoded before a truncation are good: hand them on, the next read
   * reports the truncation (zlib keeps the error) once the reader has seen
   * them and can say which line it reached */
  if (n > 0 && errnum == Z_BUF_ERROR)
    errnum = Z_OK;
  if (n < 0 || (errnum != Z_OK && errnum != Z_STREAM_END)) {
    if (errnum == Z_ERRNO)
      msg = g_strerror(errno);
    /* zlib prefixes its messages with the "<fd:N>" path given to gzdopen */
    else if (msg != NULL && msg[0] == '<' && strstr(msg, ">: ") != NULL)
      msg = strstr(msg, ">: ") + 3;
    if (errnum == Z_BUF_ERROR)
      g_set_error(error, CX_READER_ERROR, CX_READER_ERROR_IO,
                  "%s: truncated gzip data (unexpected end of the compressed stream)", in->name);
    else
      g_set_error(error, CX_READER_ERROR, CX_READER_ERROR_IO, "%s: cannot read: %s", in->name, msg);
    return -1;
  }
  if (n == 0)
    in->eof = TRUE;
  if (in->progress)
    report(in);
  return n;
}

gsize
cx_input_peek(CxInput *in, const char **data, gsize want, GError **error)
{
  want = MIN(want, (gsize)PEEK_SIZE);
  while (in->peek_len < want) {
    gssize n = raw_read(in, in->peek + in->peek_len, want - in->peek_len, error);
    if (n < 0)
      return 0;
    if (n == 0)
      break;
    in->peek_len += (gsize)n;
  }
  *data = in->peek;
  return in->peek_len;
}

/* ---------- read-ahead ---------- */

static void
chunk_free(Chunk *c)
{
  if (c == NULL)
    return;
  g_clear_error(&c->error);
  g_free(c->data);
  g_free(c);
}

static gpointer
read_ahead(gpointer p)
{
  CxInput *in = p;
  while (!g_atomic_int_get(&in->stop)) {
    Chunk *c = g_async_queue_pop(in->free);
    if (g_atomic_int_get(&in->stop)) {
      g_async_queue_push(in->free, c);
      break;
    }
    c->n = raw_read(in, c->data, AHEAD_SIZE, &c->error);
    g_async_queue_push(in->full, c);
    if (c->n <= 0)
      break;
  }
  return NULL;
}

static void
ahead_start(CxInput *in)
{
  in->full = g_async_queue_new();
  in->free = g_async_queue_new_full((GDestroyNotify)chunk_free);
  for (guint i = 0; i < AHEAD_BLOCKS; i++) {
    Chunk *c = g_new0(Chunk, 1);
    c->data = g_malloc(AHEAD_SIZE);
    g_async_queue_push(in->free, c);
  }
  in->thread = g_thread_new("cxmine-read", read_ahead, in);
}

static void
ahead_stop(CxInput *in)
{
  g_clear_pointer(&in->first, g_free);
  if (in->full == NULL)
    return;
  if (in->thread != NULL) {
    g_atomic_int_set(&in->stop, 1);
    /* a thread waiting for room gets it, sees the flag and ends */
    if (in->held != NULL)
      g_async_queue_push(in->free, g_steal_pointer(&in->held));
    Chunk *c;
    while ((c = g_async_queue_try_pop(in->full)) != NULL)
      g_async_queue_push(in->free, c);
    g_thread_join(in->thread);
    in->thread = NULL;
  }
  Chunk *c;
  while ((c = g_async_queue_try_pop(in->full)) != NULL)
    chunk_free(c);
  chunk_free(g_steal_pointer(&in->held));
  g_clear_pointer(&in->full, g_async_queue_unref);
  g_clear_pointer(&in->free, g_async_queue_unref);
}

gssize
cx_input_next(CxInput *in, const char **data, GError **error)
{
  *data = NULL;
  if (in->peek_pos < in->peek_len) {
    *data = in->peek + in->peek_pos;
    gsize n = in->peek_len - in->peek_pos;
    in->peek_pos = in->peek_len;
    return (gssize)n;
  }
  if (in->gz == NULL) {
    /* memory is handed on in place */
    gsize n = MIN(in->mem_len - in->mem_pos, (gsize)AHEAD_SIZE);
    *data = in->mem + in->mem_pos;
    in->mem_pos += n;
    return (gssize)n;
  }
  if (in->ahead_done)
    return 0;
  if (!in->first_done) {
    /* a small file is read in one go, with no thread */
    in->first_done = TRUE;
    in->first = g_malloc(AHEAD_SIZE);
    gssize n = raw_read(in, in->first, AHEAD_SIZE, error);
    if (n <= 0)
      in->ahead_done = TRUE;
    *data = in->first;
    return n;
  }
  if (in->full == NULL) {
    g_clear_pointer(&in->first, g_free);
    ahead_start(in);
  }
  if (in->held != NULL)
    g_async_queue_push(in->free, g_steal_pointer(&in->held));
  Chunk *c = g_async_queue_pop(in->full);
  in->held = c;
  if (c->n <= 0) {
    in->ahead_done = TRUE;
    if (c->n < 0) {
      g_propagate_error(error, g_steal_pointer(&c->error));
      return -1;
    }
    return 0;
  }
  *data = c->data;
  return c->n;
}

void
cx_input_error_at_line(const CxInput *in, GError *error, guint64 line)
{
  if (error == NULL || line == 0)
    return;
  gsize n = strlen(in->name);
  if (strncmp(error->message, in->name, n) != 0 || strncmp(error->message + n, ": ", 2) != 0)
    return;
  char *msg
      = g_strdup_printf("%s:%" G_GUINT64_FORMAT ": %s", in->name, line, error->message + n + 2);
  g_free(error->message);
  error->message = msg;
}

CxFormat
cx_format_detect(const char *data, gsize len)
{
  gsize i = 0;
  if (len >= 3 && (guint8)data[0] == 0xEF && (guint8)data[1] == 0xBB && (guint8)data[2] == 0xBF)
    i = 3;
  while (i < len && g_ascii_isspace(data[i]))
    i++;
  if (i < len && data[i] == '<')
    return CX_FORMAT_XES;
  return CX_FORMAT_CSV;
}
