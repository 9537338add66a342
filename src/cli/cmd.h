/* cxmine CLI — the subcommands and the pieces they share. */
#pragma once

#include <glib.h>
#include "cxmine/cxmine.h"

G_BEGIN_DECLS

/* Exit codes */
#define CX_EXIT_OK    0
#define CX_EXIT_FAIL  1
#define CX_EXIT_USAGE 2

int cx_cmd_stats(int argc, char **argv);
int cx_cmd_variants(int argc, char **argv);
int cx_cmd_dfg(int argc, char **argv);
int cx_cmd_compare(int argc, char **argv);
int cx_cmd_friction(int argc, char **argv);

/* Reader options every analysis command takes. */
typedef struct {
  char *format;
  char *classifier, *activity_key, *channel_key, *resource_key;
  char *delimiter, *case_col, **activity_cols, *timestamp_col, *start_col, *resource_col,
      *channel_col, *timestamp_format, *timezone;
  gboolean skip_invalid, verbose, channel_from_file;
  char *lifecycle;
  char *from, *to, **where, *starts_with, *ends_with;
  int top_variants;
  /* several exports, time-zone strictness, journeys (issue 12; sources.c) */
  char *sources, *journey_gap, *journey_starts_with;
  gboolean strict, dedupe;
} CxCliRead;

/* Returns an option group with the reader options, filled into @r. */
GOptionGroup *cx_cli_read_group(CxCliRead *r);
/* Returns an option group with the case filters (--from, --to, --where, ...). */
GOptionGroup *cx_cli_filter_group(CxCliRead *r);
void cx_cli_read_clear(CxCliRead *r);
/* Configures @log from @r and adds @files as sources. Returns FALSE with a
 * usage error set when an option value is bad. */
gboolean cx_cli_read_apply(CxCliRead *r, CxLog *log, char **files, GError **error);

/* Parses the command line with @ctx; on a usage error prints it with a hint
 * and returns FALSE. */
gboolean cx_cli_parse(GOptionContext *ctx, const char *cmd, int *argc, char ***argv);
/* The CxNoticeFunc of the command line: warnings as "cxmine: warning: MESSAGE"
 * on stderr, each distinct one once; verbose notices as they are. */
void cx_cli_notice(CxNoticeLevel level, const char *code, const char *message, gpointer user_data);
/* Prints "cxmine: MESSAGE" to stderr. */
void cx_cli_error(const GError *error);
/* Prints a usage error and returns CX_EXIT_USAGE. */
int cx_cli_usage(const char *cmd, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* Writes @text to @path ("-" or NULL = stdout) atomically; returns an exit code. */
int cx_cli_emit(const char *path, GString *text);
/* The image path for --render: FILE.dot or FILE.gv -> FILE.FMT, else FILE.FMT
 * appended. Returns a new string. */
char *cx_cli_image_path(const char *dot_path, const char *fmt);
/* Writes a map: the DOT text to @path (NULL or "-" = stdout) atomically and,
 * with @render_fmt, the image beside it; with @render_fmt and no file path,
 * only the image, to stdout. Returns an exit code. */
int cx_cli_emit_map(const char *path, GString *dot, const char *render_fmt);
/* --sources FILE (sources.c): adds a source per [FILE] group, with the
 * group's keys as its own reading options. Errors name FILE, the line and key. */
gboolean cx_cli_sources_load(const char *file, CxLog *log, CxFormat format,
                             gboolean channel_from_file, GError **error);
/* Parses a duration such as 30d, 12h, 90m, 1d12h to microseconds. */
gboolean cx_cli_parse_duration(const char *s, const char *what, gint64 *out, GError **error);
/* Parses a date (ISO-8601, date only allowed) to UTC microseconds. */
gboolean cx_cli_parse_date(const char *s, const char *what, gint64 *out, GError **error);

G_END_DECLS
