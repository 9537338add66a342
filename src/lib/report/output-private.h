/* cxmine — what the log writer shares with output.c's files put in place. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Gives the temporary file @tmp the mode the file @path has, else the
 * usual 0666 & ~umask, before it is renamed over @path. */
void cx_output_give_mode(const char *tmp, const char *path);

G_END_DECLS
