/* Scratch files (tmpfile-private.h). */
#include "tmpfile-private.h"
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
