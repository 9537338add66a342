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

/* Writes @len bytes of @data to @path as above. */
gboolean cx_output_write(const char *path, const char *data, gsize len, GError **error);

/* Formats @v with up to @decimals decimals, locale-independently, trimming
 * trailing zeros ("2.5", "3", "0.25"). Returns a new string. */
char *cx_format_number(double v, int decimals);
/* Formats a count with thousands separators for people: "13,087". Returns a new string. */
char *cx_format_count(guint64 n);
/* Formats a duration in seconds in human units: "45 s", "12 min", "3.2 h", "2.1 d". */
char *cx_format_duration(double seconds);

G_END_DECLS
