/* cxmine — writing results: atomically to regular files, straight to
 * anything else.
 *
 * A path naming a regular file (or nothing yet) is written to a temporary
 * file in the same folder and renamed over it on success, so a failed run
 * leaves what was there.  "-" means standard output; a path naming a device,
 * pipe or other non-regular file (/dev/null, /dev/stdout) is written straight
 * through and never renamed over. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CX_OUTPUT_ERROR (cx_output_error_quark())
GQuark cx_output_error_quark(void);

typedef enum {
  CX_OUTPUT_ERROR_WRITE,        /* a write, sync, rename or copy failed */
  CX_OUTPUT_ERROR_IS_DIRECTORY, /* the path names a directory */
  CX_OUTPUT_ERROR_CREATE,       /* no temporary file can be made beside the path */
} CxOutputError;

/* Writes @len bytes of @data to @path as above; FALSE with @error
 * (CX_OUTPUT_ERROR) on failure. */
gboolean cx_output_write(const char *path, const char *data, gsize len, GError **error);
/* Writes all @len bytes of @data to @fd, retrying short writes and EINTR.
 * FALSE with errno set on failure. */
gboolean cx_output_write_fd(int fd, const char *data, gsize len);

/* An output written in steps, or by another program (Graphviz), and put in
 * place only when everything succeeded.  For a regular file (or a new one)
 * the temporary file is ".NAME.XXXXXX" beside @path (mode 0600 while
 * written) and is renamed over it; for "-" (standard output), a device or a
 * pipe it is a file in $TMPDIR whose bytes are copied there on commit.
 * The temporary file is registered with cx_cleanup_add_file() while it
 * exists. */
typedef struct _CxOutputFile CxOutputFile;

/* Creates the temporary file. Fails when @path is a directory or its folder
 * is not writable. */
CxOutputFile *cx_output_file_new(const char *path, GError **error);
/* The temporary file's path (owned by @f): another program may write it. */
const char *cx_output_file_tmp_path(const CxOutputFile *f);
/* Appends to the temporary file. */
gboolean cx_output_file_write(CxOutputFile *f, const char *data, gsize len, GError **error);
/* Flushes the temporary file to disk and gives it its final mode (the
 * existing file's, else 0666 & ~umask): everything but the rename, so that
 * several outputs can be readied before any of them replaces its file. */
gboolean cx_output_file_sync(CxOutputFile *f, GError **error);
/* Puts the result in place (syncing first when not done): rename, or copy. */
gboolean cx_output_file_commit(CxOutputFile *f, GError **error);
/* Closes @f; removes the temporary file unless it was committed in place. */
void cx_output_file_free(CxOutputFile *f);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CxOutputFile, cx_output_file_free)

/* Formats @v with up to @decimals decimals, locale-independently, trimming
 * trailing zeros ("2.5", "3", "0.25"). Returns a new string. */
char *cx_format_number(double v, int decimals);
/* Formats a count with thousands separators for people: "13,087". Returns a new string. */
char *cx_format_count(guint64 n);
/* Formats a duration in seconds in human units: "45 s", "12 min", "3.2 h", "2.1 d",
 * "4,372 d". */
char *cx_format_duration(double seconds);

/* Human text only (never JSON or CSV).  Each returns a new string. */

/* A count with its noun in the right number: "1 case", "4,580 cases",
 * "0 cases". */
char *cx_format_counted(guint64 n, const char *one, const char *many);
/* Picks @one for 1 and @many otherwise, for a count written elsewhere. */
const char *cx_plural(guint64 n, const char *one, const char *many);
/* A share 0..1 as a percentage: "45.2%", "100%", "7%"; "0%" only for
 * nothing, "<0.1%" for a tiny non-zero share, ">99.9%" for nearly all;
 * "-" for NaN. */
char *cx_format_share(double share);
/* The same for a part of a whole: @part of @whole ("-" when @whole is 0). */
char *cx_format_share_of(guint64 part, guint64 whole);
/* A ratio: "1.5x", "21x", "over 100x" (a bigger ratio says more about a tiny
 * denominator than about the data); "-" for NaN or a negative ratio. */
char *cx_format_ratio(double r);
/* Several durations of one sentence in one unit, the unit of the largest
 * (so "1 d longer (median 40 d vs 39 d)", never "24 h longer (...d vs d)"):
 * fills @out[0..n-1] with new strings; a NaN gives "-". Smaller values get
 * up to 2 significant digits ("0.25 d"), a tiny non-zero one "<0.01 d". */
void cx_format_durations(const double *seconds, guint n, char **out);
/* A time for people in @tz: "2000-01-01 00:00:00 +01:00"; with @tz NULL
 * (UTC) without offset, "2024-01-08 09:06:36", for the caller to say UTC
 * once.  Fractions of a second are dropped; "" for CX_TS_NONE. */
char *cx_format_time(gint64 usec, GTimeZone *tz);
/* The date alone: "2000-01-01" (in @tz, NULL = UTC). */
char *cx_format_date(gint64 usec, GTimeZone *tz);

G_END_DECLS
