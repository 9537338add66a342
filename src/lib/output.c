/* Output files: temp file + rename for regular files, straight through for
 * the rest. */
#include "cxmine/output.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

G_DEFINE_QUARK(cx - output - error - quark, cx_output_error)

static gboolean
write_all(int fd, const char *data, gsize len)
{
  while (len > 0) {
    ssize_t n = write(fd, data, len);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return FALSE;
    }
    data += n;
    len -= (gsize)n;
  }
  return TRUE;
}

gboolean
cx_output_write(const char *path, const char *data, gsize len, GError **error)
{
  if (g_strcmp0(path, "-") == 0) {
    if (!write_all(STDOUT_FILENO, data, len)) {
      int e = errno;
      g_set_error(error, CX_OUTPUT_ERROR, 0, "standard output: %s", g_strerror(e));
      return FALSE;
    }
    return TRUE;
  }
  struct stat st;
  if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
    if (S_ISDIR(st.st_mode)) {
      g_set_error(error, CX_OUTPUT_ERROR, 0, "%s: is a directory", path);
      return FALSE;
    }
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0 || !write_all(fd, data, len)) {
      int e = errno;
      if (fd >= 0)
        close(fd);
      g_set_error(error, CX_OUTPUT_ERROR, 0, "%s: cannot write: %s", path, g_strerror(e));
      return FALSE;
    }
    close(fd);
    return TRUE;
  }
  g_autofree char *dir = g_path_get_dirname(path);
  g_autofree char *base = g_path_get_basename(path);
  g_autofree char *tmpl = g_strdup_printf("%s/.%s.XXXXXX", dir, base);
  int fd = g_mkstemp(tmpl);
  if (fd < 0) {
    int e = errno;
    g_set_error(error, CX_OUTPUT_ERROR, 0, "%s: cannot create a file in %s: %s", path, dir,
                g_strerror(e));
    return FALSE;
  }
  gboolean ok = write_all(fd, data, len) && fsync(fd) == 0;
  int e = errno;
  if (close(fd) != 0 && ok) {
    ok = FALSE;
    e = errno;
  }
  if (ok) {
    /* keep the mode an existing file had, else the usual 0666 & ~umask */
    mode_t mode;
    if (stat(path, &st) == 0)
      mode = st.st_mode & 07777;
    else {
      mode_t um = umask(0);
      umask(um);
      mode = 0666 & ~um;
    }
    chmod(tmpl, mode);
    if (rename(tmpl, path) != 0) {
      ok = FALSE;
      e = errno;
    }
  }
  if (!ok) {
    unlink(tmpl);
    g_set_error(error, CX_OUTPUT_ERROR, 0, "%s: cannot write: %s", path, g_strerror(e));
  }
  return ok;
}

char *
cx_format_number(double v, int decimals)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  char fmt[8];
  g_snprintf(fmt, sizeof fmt, "%%.%df", CLAMP(decimals, 0, 9));
  g_ascii_formatd(buf, sizeof buf, fmt, v);
  if (strchr(buf, '.') != NULL) {
    gsize n = strlen(buf);
    while (n > 0 && buf[n - 1] == '0')
      buf[--n] = '\0';
    if (n > 0 && buf[n - 1] == '.')
      buf[--n] = '\0';
  }
  if (strcmp(buf, "-0") == 0)
    return g_strdup("0");
  return g_strdup(buf);
}

char *
cx_format_count(guint64 n)
{
  char digits[32];
  g_snprintf(digits, sizeof digits, "%" G_GUINT64_FORMAT, n);
  GString *s = g_string_sized_new(32);
  gsize len = strlen(digits);
  for (gsize i = 0; i < len; i++) {
    if (i > 0 && (len - i) % 3 == 0)
      g_string_append_c(s, ',');
    g_string_append_c(s, digits[i]);
  }
  return g_string_free(s, FALSE);
}

char *
cx_format_duration(double s)
{
  double a = fabs(s);
  const char *unit;
  double v;
  if (a < 60) {
    v = s;
    unit = "s";
  } else if (a < 3600) {
    v = s / 60;
    unit = "min";
  } else if (a < 86400) {
    v = s / 3600;
    unit = "h";
  } else {
    v = s / 86400;
    unit = "d";
  }
  if (fabs(v) >= 10000) { /* "37,562,367 d" */
    g_autofree char *num = cx_format_count((guint64)llround(fabs(v)));
    return g_strdup_printf("%s%s %s", v < 0 ? "-" : "", num, unit);
  }
  g_autofree char *num = cx_format_number(v, fabs(v) < 10 && a >= 60 ? 1 : 0);
  return g_strdup_printf("%s %s", num, unit);
}
