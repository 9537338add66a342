/* Chunked byte input: plain and gzip files alike (inflate-private.h),
 * standard input, or memory. */
#include "reader-private.h"
#include "inflate-private.h"
#include "pipe-private.h"
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PEEK_SIZE    4096
#define AHEAD_SIZE   (1024 * 1024)
#define AHEAD_BLOCKS 4

#define RAW_SIZE (256 * 1024)

struct _CxInput {
  char *name;
  int fd;                 /* -1 for memory */
  CxInflate *gzip;        /* NULL for a plain file */
  guint8 *raw;            /* compressed (or, before detection, plain) bytes read ahead */
  gsize raw_len, raw_pos; /* raw_pos: plain bytes handed on */
  gboolean raw_eof;
  gint64 raw_total; /* bytes read from the file */
  GError *pending;  /* an error met after bytes that were handed on */
  const char *mem;
  gsize mem_len, mem_pos;
  char peek[PEEK_SIZE];
  gsize peek_len, peek_pos;
  gint64 total_size; /* bytes on disk at open, 0 = unknown (not a regular file) */
  CxProgressFunc progress;
  gpointer progress_data;
  gint64 last_report; /* monotonic time of the last progress call, 0 = none yet */
  gboolean eof;

  /* read-ahead (cx_input_next): a thread reads and inflates while the
   * caller parses */
  GThread *thread;
  CxPipe *pipe;
  CxPipeBlock *held; /* handed to the caller last */
  char *first;       /* the first chunk, read without a thread */
  gboolean first_done;
  gboolean ahead_done; /* the end or an error came through */
  gboolean no_ahead;   /* cx_input_set_read_ahead(FALSE): all on the caller's thread */
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
    g_set_error(error, CX_READER_ERROR, CX_READER_ERROR_IO, "%s: is a directory",
                is_stdin ? "<stdin>" : path);
    return NULL;
  }
  CxInput *in = g_new0(CxInput, 1);
  in->name = g_strdup(is_stdin ? "<stdin>" : path);
  in->fd = fd;
  in->raw = g_malloc(RAW_SIZE);
  in->total_size = S_ISREG(st.st_mode) ? (gint64)st.st_size : 0;
  return in;
}

CxInput *
cx_input_new_from_data(const char *name, const char *data, gsize len)
{
  CxInput *in = g_new0(CxInput, 1);
  in->name = g_strdup(name);
  in->fd = -1;
  in->mem = data;
  in->mem_len = len;
  return in;
}

/* Tells the progress callback how far the file is read (@done bytes of
 * it): on the caller's thread, at most every half second, and once at the
 * end when it was told anything before. */
static void
report(CxInput *in, guint64 done, gboolean finished)
{
  if (in->progress == NULL)
    return;
  gint64 now = g_get_monotonic_time();
  if (!finished && now - in->last_report < 500000)
    return;
  in->last_report = now;
  CxProgress p = { CX_PROGRESS_READ, in->name, done, (guint64)in->total_size, finished };
  in->progress(&p, in->progress_data);
}

void
cx_input_set_read_ahead(CxInput *in, gboolean ahead)
{
  in->no_ahead = !ahead;
}

gboolean
cx_input_reads_ahead(const CxInput *in)
{
  return in->fd >= 0 && !in->no_ahead;
}

gboolean
cx_input_compressed(const CxInput *in)
{
  return in->gzip != NULL;
}

guint64
cx_input_plain_size(const CxInput *in)
{
  return in->gzip == NULL && in->total_size > 0 ? (guint64)in->total_size : 0;
}

void
cx_input_set_progress(CxInput *in, CxProgressFunc func, gpointer user_data)
{
  in->progress = in->fd >= 0 ? func : NULL;
  in->progress_data = user_data;
}

void
cx_input_free(CxInput *in)
{
  if (in == NULL)
    return;
  ahead_stop(in);
  cx_inflate_free(in->gzip);
  if (in->fd >= 0)
    close(in->fd);
  g_free(in->raw);
  g_clear_error(&in->pending);
  if (in->last_report != 0)
    report(in, (guint64)in->raw_total, TRUE);
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

/* One read(2) of the file: the bytes read, 0 at the end, -1 with @error set
 * on a read error or when the file turns out shorter than it was at open
 * (cut while it was read). */
static gssize
read_fd(CxInput *in, void *buf, gsize len, GError **error)
{
  ssize_t n;
  do
    n = read(in->fd, buf, len);
  while (n < 0 && errno == EINTR);
  if (n < 0) {
    int e = errno;
    g_set_error(error, CX_READER_ERROR, CX_READER_ERROR_IO, "%s: cannot read: %s", in->name,
                g_strerror(e));
    return -1;
  }
  if (n == 0) {
    in->raw_eof = TRUE;
    if (in->total_size > 0 && in->raw_total < in->total_size) {
      g_set_error(error, CX_READER_ERROR, CX_READER_ERROR_IO,
                  "%s: the file was cut while it was read (%" G_GINT64_FORMAT
                  " bytes read of %" G_GINT64_FORMAT " at open)",
                  in->name, in->raw_total, in->total_size);
      return -1;
    }
  }
  in->raw_total += n;
  return n;
}

/* Reads more bytes of the file into in->raw, after what is there. */
static gboolean
raw_fill(CxInput *in, GError **error)
{
  if (in->raw_eof || in->raw_len == RAW_SIZE)
    return TRUE;
  gssize n = read_fd(in, in->raw + in->raw_len, RAW_SIZE - in->raw_len, error);
  if (n < 0)
    return FALSE;
  in->raw_len += (gsize)n;
  return TRUE;
}

/* Inflates into @buf (up to @len bytes), reading the file as the inflater
 * asks: the bytes made, -1 with @error set when nothing was made before a
 * failure. */
static gssize
inflate_some(CxInput *in, char *buf, gsize len, GError **error)
{
  gsize made = 0;
  GError *e = NULL;
  while (made < len && !cx_inflate_finished(in->gzip)) {
    if (cx_inflate_wants_input(in->gzip)) {
      in->raw_len = 0; /* the inflater used all of it */
      if (!raw_fill(in, &e))
        break;
      cx_inflate_feed(in->gzip, in->raw, in->raw_len, in->raw_eof);
    }
    gssize n = cx_inflate_next(in->gzip, (guint8 *)buf + made, len - made, &e);
    if (n < 0) {
      g_prefix_error(&e, "%s: ", in->name);
      break;
    }
    made += (gsize)n;
  }
  if (cx_inflate_finished(in->gzip))
    in->eof = TRUE;
  if (e != NULL && made == 0) {
    g_propagate_error(error, e);
    return -1;
  }
  /* bytes decoded before a failure are good: hand them on, the next read
   * reports the failure once the reader has seen them and can say which
   * line it reached */
  in->pending = e;
  return (gssize)made;
}

static gssize
raw_read(CxInput *in, char *buf, gsize len, GError **error)
{
  if (in->fd < 0) {
    gsize n = MIN(len, in->mem_len - in->mem_pos);
    if (n > 0)
      memcpy(buf, in->mem + in->mem_pos, n);
    in->mem_pos += n;
    return (gssize)n;
  }
  if (in->pending != NULL) {
    g_propagate_error(error, g_steal_pointer(&in->pending));
    return -1;
  }
  if (in->eof)
    return 0;
  if (in->raw_total == 0) {
    /* detect gzip by its magic bytes */
    while (in->raw_len < 2 && !in->raw_eof)
      if (!raw_fill(in, error))
        return -1;
    if (in->raw_len >= 2 && in->raw[0] == 0x1f && in->raw[1] == 0x8b) {
      in->gzip = cx_inflate_new(CX_INFLATER_BEST, error);
      if (in->gzip == NULL) {
        g_prefix_error(error, "%s: ", in->name);
        return -1;
      }
      cx_inflate_feed(in->gzip, in->raw, in->raw_len, in->raw_eof);
    }
  }
  gssize n;
  if (in->gzip != NULL) {
    n = inflate_some(in, buf, len, error);
    if (n < 0)
      return -1;
  } else if (in->raw_pos < in->raw_len) {
    n = (gssize)MIN(len, in->raw_len - in->raw_pos);
    memcpy(buf, in->raw + in->raw_pos, (gsize)n);
    in->raw_pos += (gsize)n;
  } else {
    n = in->raw_eof ? 0 : read_fd(in, buf, len, error);
    if (n < 0)
      return -1;
  }
  if (n == 0 && in->pending == NULL)
    in->eof = TRUE;
  return n;
}

gsize
cx_input_peek(CxInput *in, const char **data, gsize want, GError **error)
{
  want = MIN(want, (gsize)PEEK_SIZE);
  while (in->peek_len < want) {
    GError *e = NULL;
    gssize n = raw_read(in, in->peek + in->peek_len, want - in->peek_len, &e);
    if (n < 0 && in->peek_len > 0) {
      /* the reader sees the bytes first, then the error with its line */
      in->pending = e;
      break;
    }
    if (n < 0) {
      g_propagate_error(error, e);
      return 0;
    }
    if (n == 0)
      break;
    in->peek_len += (gsize)n;
  }
  *data = in->peek;
  return in->peek_len;
}

/* ---------- read-ahead ---------- */

static gpointer
read_ahead(gpointer p)
{
  CxInput *in = p;
  CxPipeBlock *b;
  while ((b = cx_pipe_acquire(in->pipe, AHEAD_SIZE)) != NULL) {
    GError *error = NULL;
    gssize n = raw_read(in, (char *)b->data, AHEAD_SIZE, &error);
    if (n <= 0) {
      cx_pipe_release(in->pipe, b);
      cx_pipe_close(in->pipe, error);
      break;
    }
    b->len = (gsize)n;
    b->mark = (guint64)in->raw_total;
    cx_pipe_push(in->pipe, b);
  }
  return NULL;
}

static void
ahead_start(CxInput *in)
{
  in->pipe = cx_pipe_new(AHEAD_BLOCKS, AHEAD_SIZE);
  in->thread = g_thread_new("cxmine-read", read_ahead, in);
}

static void
ahead_stop(CxInput *in)
{
  g_clear_pointer(&in->first, g_free);
  if (in->pipe == NULL)
    return;
  /* a thread waiting for room wakes up and ends */
  cx_pipe_cancel(in->pipe);
  g_thread_join(in->thread);
  in->thread = NULL;
  in->held = NULL; /* freed with the pipe */
  g_clear_pointer(&in->pipe, cx_pipe_free);
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
  if (in->fd < 0) {
    /* memory is handed on in place */
    gsize n = MIN(in->mem_len - in->mem_pos, (gsize)AHEAD_SIZE);
    *data = in->mem + in->mem_pos;
    in->mem_pos += n;
    return (gssize)n;
  }
  if (in->ahead_done)
    return 0;
  if (!in->first_done || in->no_ahead) {
    /* a small file is read in one go, with no thread */
    in->first_done = TRUE;
    if (in->first == NULL)
      in->first = g_malloc(AHEAD_SIZE);
    gssize n = raw_read(in, in->first, AHEAD_SIZE, error);
    if (n <= 0)
      in->ahead_done = TRUE;
    else
      report(in, (guint64)in->raw_total, FALSE);
    *data = in->first;
    return n;
  }
  if (in->pipe == NULL) {
    g_clear_pointer(&in->first, g_free);
    ahead_start(in);
  }
  if (in->held != NULL)
    cx_pipe_release(in->pipe, g_steal_pointer(&in->held));
  GError *failed = NULL;
  CxPipeBlock *b = cx_pipe_pop(in->pipe, &failed);
  if (b == NULL) {
    in->ahead_done = TRUE;
    if (failed == NULL)
      return 0;
    g_propagate_error(error, failed);
    return -1;
  }
  in->held = b;
  report(in, b->mark, FALSE);
  *data = (const char *)b->data;
  return (gssize)b->len;
}

gssize
cx_input_read(CxInput *in, char *buf, gsize len, GError **error)
{
  g_return_val_if_fail(in->pipe == NULL, -1); /* not after cx_input_next's read-ahead began */
  if (in->peek_pos < in->peek_len) {
    gsize n = MIN(len, in->peek_len - in->peek_pos);
    memcpy(buf, in->peek + in->peek_pos, n);
    in->peek_pos += n;
    return (gssize)n;
  }
  gssize n = raw_read(in, buf, len, error);
  if (n > 0)
    report(in, (guint64)in->raw_total, FALSE);
  return n;
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
