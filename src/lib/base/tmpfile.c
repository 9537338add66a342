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

int
cx_scratch_write(int fd, const void *buf, gsize len, guint64 offset)
{
  const guint8 *p = buf;
  while (len > 0) {
    ssize_t w = pwrite(fd, p, len, (off_t)offset);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0)
      return w < 0 ? errno : ENOSPC;
    p += w;
    len -= (gsize)w;
    offset += (guint64)w;
  }
  return 0;
}

int
cx_scratch_read(int fd, void *buf, gsize len, guint64 offset)
{
  guint8 *p = buf;
  while (len > 0) {
    ssize_t n = pread(fd, p, len, (off_t)offset);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return n < 0 ? errno : EIO;
    p += n;
    len -= (gsize)n;
    offset += (guint64)n;
  }
  return 0;
}
