/* Scratch files (tmpfile-private.h). */
#include "tmpfile-private.h"
#include "cxmine/reader.h"
#include <errno.h>
#include <unistd.h>

int
cx_scratch_open(const char *prefix)
{
  g_autofree char *name = g_strdup_printf("%s-XXXXXX", prefix);
  g_autofree char *path = g_build_filename(g_get_tmp_dir(), name, NULL);
  int fd = g_mkstemp(path);
  if (fd >= 0)
    unlink(path);
  return fd;
}

/* Moves @len bytes between @buf and @offset of @fd, in whole: 0, or the
 * errno value (@none when a call moved nothing). */
static int
whole(int fd, guint8 *buf, gsize len, guint64 offset, gboolean write, int none)
{
  while (len > 0) {
    ssize_t n = write ? pwrite(fd, buf, len, (off_t)offset) : pread(fd, buf, len, (off_t)offset);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return n < 0 ? errno : none;
    buf += n;
    len -= (gsize)n;
    offset += (guint64)n;
  }
  return 0;
}

int
cx_scratch_write(int fd, const void *buf, gsize len, guint64 offset)
{
  return whole(fd, (guint8 *)buf, len, offset, TRUE, ENOSPC);
}

int
cx_scratch_read(int fd, void *buf, gsize len, guint64 offset)
{
  return whole(fd, buf, len, offset, FALSE, EIO);
}

void
cx_scratch_init(CxScratch *s, const char *prefix, const char *what)
{
  *s = (CxScratch){ -1, prefix, what, NULL };
}

void
cx_scratch_clear(CxScratch *s)
{
  if (s->fd >= 0)
    close(s->fd);
  s->fd = -1;
  g_clear_error(&s->error);
}

void
cx_scratch_reset(CxScratch *s)
{
  if (s->fd >= 0 && ftruncate(s->fd, 0) != 0) {
    /* the space comes back when the file closes; a new one is made */
    close(s->fd);
    s->fd = -1;
  }
  g_clear_error(&s->error);
}

/* Keeps the first failure: @err in doing @what. */
static gboolean
fail(CxScratch *s, int err, const char *what)
{
  if (s->error == NULL)
    g_set_error(&s->error, CX_READER_ERROR, CX_READER_ERROR_IO,
                "cannot %s the temporary file in %s that keeps %s: %s (TMPDIR says where)", what,
                g_get_tmp_dir(), s->what, g_strerror(err));
  return FALSE;
}

gboolean
cx_scratch_put(CxScratch *s, const void *buf, gsize len, guint64 offset)
{
  if (s->error != NULL)
    return FALSE;
  if (s->fd < 0 && (s->fd = cx_scratch_open(s->prefix)) < 0)
    return fail(s, errno, "create");
  int err = cx_scratch_write(s->fd, buf, len, offset);
  return err == 0 || fail(s, err, "write");
}

gboolean
cx_scratch_get(CxScratch *s, void *buf, gsize len, guint64 offset)
{
  int err = s->fd < 0 ? EBADF : cx_scratch_read(s->fd, buf, len, offset);
  return err == 0 || fail(s, err, "read");
}

gboolean
cx_scratch_check(const CxScratch *s, GError **error)
{
  if (s->error == NULL)
    return TRUE;
  g_propagate_error(error, g_error_copy(s->error));
  return FALSE;
}
