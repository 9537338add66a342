/* Output files: temp file + rename for regular files (the file a symbolic
 * link names, never the link), straight through for the rest (standard
 * output, /dev/stdout, devices, pipes). */
#include "cxmine/log.h"
#include "cxmine/output.h"
#include "output-private.h"
#include "cxmine/cleanup.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* the quark's name is one token, which clang-format would split */
/* clang-format off */
G_DEFINE_QUARK(cx-output-error-quark, cx_output_error)
/* clang-format on */

gboolean
cx_output_write_fd(int fd, const char *data, gsize len)
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

struct _CxOutputFile {
  char *path;        /* the destination as given */
  char *dest;        /* where the bytes go: @path, or the file a symlink @path names */
  gboolean to_out;   /* "-", or a link to the file standard output is (/dev/stdout) */
  char *tmp;         /* the temporary file written first */
  int fd;            /* open on @tmp, or -1 */
  gboolean in_place; /* @tmp is beside @path and renamed over it; else copied to it */
  gboolean synced, committed;
};

static gboolean
is_stdout(const char *path)
{
  return g_strcmp0(path, "-") == 0;
}

/* Whether @path names the open file of standard output (/dev/stdout,
 * /proc/self/fd/1, or a link to the file it was redirected to). */
static gboolean
names_stdout(const char *path)
{
  struct stat a, b;
  return stat(path, &a) == 0 && fstat(STDOUT_FILENO, &b) == 0 && a.st_dev == b.st_dev
         && a.st_ino == b.st_ino;
}

/* Where the bytes for @path go: a symbolic link is followed, so that the
 * file it names is replaced, never the link (a link to standard output
 * is written as "-" is, by *@to_out). */
static char *
destination(const char *path, gboolean *to_out)
{
  struct stat st;
  *to_out = is_stdout(path);
  if (*to_out || lstat(path, &st) != 0 || !S_ISLNK(st.st_mode))
    return g_strdup(path);
  if (names_stdout(path)) {
    *to_out = TRUE;
    return g_strdup(path);
  }
  char *real = realpath(path, NULL);
  if (real == NULL)
    return g_strdup(path); /* a dangling link: written through (and made) */
  char *dest = g_strdup(real);
  free(real);
  return dest;
}

CxOutputFile *
cx_output_file_new(const char *path, GError **error)
{
  g_return_val_if_fail(path != NULL, NULL);
  g_autoptr(CxOutputFile) f = g_new0(CxOutputFile, 1);
  f->path = g_strdup(path);
  f->fd = -1;
  f->dest = destination(path, &f->to_out);
  struct stat st, lst;
  gboolean exists = !f->to_out && stat(f->dest, &st) == 0;
  if (exists && S_ISDIR(st.st_mode)) {
    g_set_error(error, CX_OUTPUT_ERROR, CX_OUTPUT_ERROR_IS_DIRECTORY, "%s: is a directory", path);
    return NULL;
  }
  /* a dangling link is written through, not replaced */
  gboolean link = !f->to_out && lstat(f->dest, &lst) == 0 && S_ISLNK(lst.st_mode);
  f->in_place = !f->to_out && !link && (!exists || S_ISREG(st.st_mode));
  if (f->in_place) {
    g_autofree char *dir = g_path_get_dirname(f->dest);
    g_autofree char *base = g_path_get_basename(f->dest);
    f->tmp = g_strdup_printf("%s/.%s.XXXXXX", dir, base);
    f->fd = g_mkstemp_full(f->tmp, O_RDWR | O_CLOEXEC, 0600);
    if (f->fd < 0) {
      int e = errno;
      g_clear_pointer(&f->tmp, g_free);
      g_set_error(error, CX_OUTPUT_ERROR, CX_OUTPUT_ERROR_CREATE,
                  "%s: cannot create a file in %s: %s", path, dir, g_strerror(e));
      return NULL;
    }
  } else {
    /* a stream or device: written once the whole result is there */
    f->fd = g_file_open_tmp("cxmine-out-XXXXXX", &f->tmp, error);
    if (f->fd < 0) {
      g_clear_pointer(&f->tmp, g_free);
      g_prefix_error(error, "%s: ", is_stdout(path) ? "standard output" : path);
      return NULL;
    }
  }
  cx_cleanup_add_file(f->tmp);
  return g_steal_pointer(&f);
}

const char *
cx_output_file_tmp_path(const CxOutputFile *f)
{
  return f->tmp;
}

static const char *
display(const CxOutputFile *f)
{
  return is_stdout(f->path) ? "standard output" : f->path;
}

gboolean
cx_output_file_write(CxOutputFile *f, const char *data, gsize len, GError **error)
{
  g_return_val_if_fail(f->fd >= 0 && !f->synced, FALSE);
  if (!cx_output_write_fd(f->fd, data, len)) {
    int e = errno;
    g_set_error(error, CX_OUTPUT_ERROR, CX_OUTPUT_ERROR_WRITE, "%s: cannot write: %s", display(f),
                g_strerror(e));
    return FALSE;
  }
  return TRUE;
}

static gboolean
copy_to(int from, int to)
{
  char buf[65536];
  for (;;) {
    ssize_t n = read(from, buf, sizeof buf);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return FALSE;
    if (n == 0)
      return TRUE;
    if (!cx_output_write_fd(to, buf, (gsize)n))
      return FALSE;
  }
}

void
cx_output_give_mode(const char *tmp, const char *path)
{
  /* keep the mode an existing file had, else the usual 0666 & ~umask */
  struct stat st;
  mode_t mode;
  if (stat(path, &st) == 0)
    mode = st.st_mode & 07777;
  else {
    mode_t um = umask(0);
    umask(um);
    mode = 0666 & ~um;
  }
  chmod(tmp, mode);
}

gboolean
cx_output_file_sync(CxOutputFile *f, GError **error)
{
  if (f->synced)
    return TRUE;
  g_return_val_if_fail(f->fd >= 0, FALSE);
  if (!f->in_place) {
    f->synced = TRUE;
    return TRUE;
  }
  gboolean ok = fsync(f->fd) == 0;
  int e = errno;
  if (close(f->fd) != 0 && ok) {
    ok = FALSE;
    e = errno;
  }
  f->fd = -1;
  if (!ok) {
    g_set_error(error, CX_OUTPUT_ERROR, CX_OUTPUT_ERROR_WRITE, "%s: cannot write: %s", f->path,
                g_strerror(e));
    return FALSE;
  }
  cx_output_give_mode(f->tmp, f->dest);
  f->synced = TRUE;
  return TRUE;
}

gboolean
cx_output_file_commit(CxOutputFile *f, GError **error)
{
  g_return_val_if_fail(!f->committed, FALSE);
  if (!cx_output_file_sync(f, error))
    return FALSE;
  if (f->in_place) {
    if (rename(f->tmp, f->dest) != 0) {
      int e = errno;
      g_set_error(error, CX_OUTPUT_ERROR, CX_OUTPUT_ERROR_WRITE, "%s: cannot write: %s", f->path,
                  g_strerror(e));
      return FALSE;
    }
    cx_cleanup_forget_file(f->tmp);
    f->committed = TRUE;
    return TRUE;
  }
  /* read back by name: a program may have written the file anew */
  int in = open(f->tmp, O_RDONLY | O_CLOEXEC);
  int out = f->to_out ? STDOUT_FILENO : open(f->dest, O_WRONLY | O_CREAT | O_CLOEXEC, 0666);
  struct stat st;
  /* a dangling link's file is made here; one made meanwhile loses its old
   * bytes */
  if (out >= 0 && out != STDOUT_FILENO && fstat(out, &st) == 0 && S_ISREG(st.st_mode))
    (void)!ftruncate(out, 0);
  gboolean ok = in >= 0 && out >= 0 && copy_to(in, out);
  int e = errno;
  if (in >= 0)
    close(in);
  if (out >= 0 && out != STDOUT_FILENO)
    close(out);
  if (!ok) {
    g_set_error(error, CX_OUTPUT_ERROR, CX_OUTPUT_ERROR_WRITE, "%s: cannot write: %s", display(f),
                g_strerror(e));
    return FALSE;
  }
  f->committed = TRUE;
  return TRUE;
}

void
cx_output_file_free(CxOutputFile *f)
{
  if (f == NULL)
    return;
  if (f->fd >= 0)
    close(f->fd);
  if (f->tmp != NULL && !(f->committed && f->in_place)) {
    unlink(f->tmp);
    cx_cleanup_forget_file(f->tmp);
  }
  g_free(f->tmp);
  g_free(f->dest);
  g_free(f->path);
  g_free(f);
}

gboolean
cx_output_write(const char *path, const char *data, gsize len, GError **error)
{
  if (is_stdout(path)) {
    if (!cx_output_write_fd(STDOUT_FILENO, data, len)) {
      int e = errno;
      g_set_error(error, CX_OUTPUT_ERROR, CX_OUTPUT_ERROR_WRITE, "standard output: %s",
                  g_strerror(e));
      return FALSE;
    }
    return TRUE;
  }
  struct stat st;
  if (stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0 || !cx_output_write_fd(fd, data, len)) {
      int e = errno;
      if (fd >= 0)
        close(fd);
      g_set_error(error, CX_OUTPUT_ERROR, CX_OUTPUT_ERROR_WRITE, "%s: cannot write: %s", path,
                  g_strerror(e));
      return FALSE;
    }
    close(fd);
    return TRUE;
  }
  g_autoptr(CxOutputFile) f = cx_output_file_new(path, error);
  return f != NULL && cx_output_file_write(f, data, len, error) && cx_output_file_commit(f, error);
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
  if (fabs(v) >= 999.5) { /* "4,372 d", "37,562,367 d" */
    g_autofree char *num = cx_format_count((guint64)llround(fabs(v)));
    return g_strdup_printf("%s%s %s", v < 0 ? "-" : "", num, unit);
  }
  g_autofree char *num = cx_format_number(v, fabs(v) < 10 && a >= 60 ? 1 : 0);
  return g_strdup_printf("%s %s", num, unit);
}

const char *
cx_plural(guint64 n, const char *one, const char *many)
{
  return n == 1 ? one : many;
}

char *
cx_format_counted(guint64 n, const char *one, const char *many)
{
  g_autofree char *num = cx_format_count(n);
  return g_strdup_printf("%s %s", num, cx_plural(n, one, many));
}

char *
cx_format_share(double share)
{
  if (isnan(share))
    return g_strdup("-");
  double pct = 100 * share;
  if (pct > 0 && pct < 0.05)
    return g_strdup("<0.1%");
  if (pct < 100 && pct >= 99.95)
    return g_strdup(">99.9%");
  g_autofree char *num = cx_format_number(pct, 1);
  return g_strdup_printf("%s%%", num);
}

char *
cx_format_share_of(guint64 part, guint64 whole)
{
  if (whole == 0)
    return g_strdup("-");
  return cx_format_share((double)part / (double)whole);
}

char *
cx_format_ratio(double r)
{
  if (isnan(r) || r < 0)
    return g_strdup("-");
  if (r >= 100)
    return g_strdup("over 100x");
  g_autofree char *num = cx_format_number(r, r < 9.95 ? 1 : 0);
  return g_strdup_printf("%sx", num);
}

/* Formats @v (in @unit) with up to 2 significant digits below 10. */
static char *
in_unit(double v, const char *unit)
{
  double a = fabs(v);
  if (a >= 999.5) {
    g_autofree char *num = cx_format_count((guint64)llround(a));
    return g_strdup_printf("%s%s %s", v < 0 ? "-" : "", num, unit);
  }
  if (a > 0 && a < 0.005)
    return g_strdup_printf("<0.01 %s", unit);
  int decimals = a >= 9.95 ? 0 : a >= 0.995 ? 1 : 2;
  g_autofree char *num = cx_format_number(v, decimals);
  return g_strdup_printf("%s %s", num, unit);
}

void
cx_format_durations(const double *seconds, guint n, char **out)
{
  double big = 0;
  for (guint i = 0; i < n; i++)
    if (!isnan(seconds[i]))
      big = MAX(big, fabs(seconds[i]));
  static const struct {
    double s;
    const char *unit;
  } units[] = { { 86400, "d" }, { 3600, "h" }, { 60, "min" }, { 1, "s" } };
  guint u = 0;
  while (u + 1 < G_N_ELEMENTS(units) && big < units[u].s)
    u++;
  for (guint i = 0; i < n; i++)
    out[i] = isnan(seconds[i]) ? g_strdup("-") : in_unit(seconds[i] / units[u].s, units[u].unit);
}

/* @usec in @tz (UTC when NULL); NULL for no time or one out of range. */
static GDateTime *
date_time_in(gint64 usec, GTimeZone *tz)
{
  if (usec == CX_TS_NONE)
    return NULL;
  gint64 secs = usec / CX_USEC_PER_SEC;
  if (usec % CX_USEC_PER_SEC < 0)
    secs--;
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc(secs);
  if (utc == NULL)
    return NULL;
  return tz != NULL ? g_date_time_to_timezone(utc, tz) : g_date_time_ref(utc);
}

char *
cx_format_time(gint64 usec, GTimeZone *tz)
{
  g_autoptr(GDateTime) dt = date_time_in(usec, tz);
  if (dt == NULL)
    return g_strdup("");
  int y, m, d;
  g_date_time_get_ymd(dt, &y, &m, &d);
  GString *s = g_string_new(NULL);
  g_string_append_printf(s, "%04d-%02d-%02d %02d:%02d:%02d", y, m, d, g_date_time_get_hour(dt),
                         g_date_time_get_minute(dt), g_date_time_get_second(dt));
  gint64 off = g_date_time_get_utc_offset(dt) / G_TIME_SPAN_MINUTE;
  if (tz != NULL)
    g_string_append_printf(s, " %c%02d:%02d", off < 0 ? '-' : '+', (int)(ABS(off) / 60),
                           (int)(ABS(off) % 60));
  return g_string_free(s, FALSE);
}

char *
cx_format_date(gint64 usec, GTimeZone *tz)
{
  g_autoptr(GDateTime) dt = date_time_in(usec, tz);
  if (dt == NULL)
    return g_strdup("");
  int y, m, d;
  g_date_time_get_ymd(dt, &y, &m, &d);
  return g_strdup_printf("%04d-%02d-%02d", y, m, d);
}
