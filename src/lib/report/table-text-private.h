/* Small pieces the tables of cases, trend and resources share. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* @seconds as a duration for people, "-" when NaN. Returns a new string. */
char *cx_text_duration(double seconds);
/* @share (0..1) as "12.3%", "-" when NaN. Returns a new string. */
char *cx_text_share(double share);
/* Appends @s as one CSV field (quoted when it holds a comma, quote or line break). */
void cx_csv_field(GString *out, const char *s);

G_END_DECLS
