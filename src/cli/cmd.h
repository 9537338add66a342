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
int cx_cmd_cases(int argc, char **argv);
int cx_cmd_trend(int argc, char **argv);
int cx_cmd_resources(int argc, char **argv);
int cx_cmd_partition(int argc, char **argv);
int cx_cmd_report(int argc, char **argv);
int cx_cmd_filter(int argc, char **argv);
int cx_cmd_merge(int argc, char **argv);

/* Reader options every analysis command takes. */
typedef struct {
  char *format;
  char *classifier, *activity_key, *channel_key, *resource_key;
  char *delimiter, *case_col, **activity_cols, *timestamp_col, *start_col, *resource_col,
      *channel_col, *timestamp_format, *timezone, *display_timezone;
  gboolean skip_invalid, verbose, channel_from_file;
  char *lifecycle;
  CxFilterChain *filters; /* the filter options, in order (cx_cli_filter_group) */
  char *memory;           /* --memory SIZE */
  char *log_name;         /* --log-name NAME */
  /* several exports, time-zone strictness, journeys (issue 12; sources.c) */
  char *sources, *journey_gap, *journey_starts_with;
  gboolean strict, dedupe;
  /* business hours (issue 17): --business-hours SPEC, --holidays FILE */
  char *business_hours, *holidays;
} CxCliRead;

/* Returns an option group with the reader options, filled into @r. */
GOptionGroup *cx_cli_read_group(CxCliRead *r);
/* Returns an option group with the filters (--from, --to, --window, --where,
 * --keep-events, ...; cxmine/filter.h), added to @r->filters in order. */
GOptionGroup *cx_cli_filter_group(CxCliRead *r);
void cx_cli_read_clear(CxCliRead *r);
/* Configures @log from @r and adds @files as sources. Returns FALSE with a
 * usage error set when an option value is bad. */
gboolean cx_cli_read_apply(CxCliRead *r, CxLog *log, char **files, GError **error);
/* The log of a command that writes events back out (filter, partition):
 * every lifecycle transition as read unless --lifecycle is given, every
 * attribute kept, and no --business-hours (it measures no time).  Clears
 * @r.  Returns NULL after printing a usage error (exit code in *@rc). */
CxLog *cx_cli_export_log(CxCliRead *r, const char *cmd, char **files, int *rc);

/* Parses the command line with @ctx; on a usage error prints it with a hint
 * and returns FALSE. */
gboolean cx_cli_parse(GOptionContext *ctx, const char *cmd, int *argc, char ***argv);
/* The CxNoticeFunc of the command line: warnings as "cxmine: warning: MESSAGE"
 * and information (a filter's counts) as "cxmine: MESSAGE" on stderr, each
 * distinct one once; verbose notices as they are. */
void cx_cli_notice(CxNoticeLevel level, const char *code, const char *message, gpointer user_data);
/* Sets @opts->progress to draw "reading FILE: N%" on standard error while a
 * big file is read, when standard error is a terminal (progress.c). */
void cx_cli_progress_install(CxReadOptions *opts);
/* Prints "cxmine: MESSAGE" to stderr. */
void cx_cli_error(const GError *error);
/* Prints a usage error and returns CX_EXIT_USAGE. */
int cx_cli_usage(const char *cmd, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* Installs the signal handlers that remove what an interrupted run created,
 * and the exit check of standard output (guard.c). Call first in main. */
void cx_cli_guard_init(void);

/* ---- outputs (emit.c) ----
 * No output replaces an input: cx_cli_read_apply() notes the identity
 * (device and inode; standard input's file too) of every source the log has
 * when it returns, and every output,
 * standard output included, is checked against them: early, before reading
 * (cx_cli_output_check, cx_cli_map_check), and again when written. */

/* Notes @path ("-" = standard input's file) as an input of this run. */
void cx_cli_inputs_note(const char *path);
/* Before reading: fails with a usage error (returns CX_EXIT_USAGE) when
 * @path (NULL or "-": none) or standard output is one of the inputs. */
int cx_cli_output_check(const char *cmd, const char *path);
/* Writes @text to @path ("-" or NULL = stdout) atomically; returns an exit code. */
int cx_cli_emit(const char *path, GString *text);

/* The map rule, for every command that draws.  -o FILE's extension decides
 * the format: .svg, .png, .pdf write only that picture (rendered by
 * Graphviz's dot); .dot and .gv write DOT text, and with --render FMT the
 * picture FILE.FMT beside it; any other name writes DOT (with a note on
 * stderr).  No -o, or "-": standard output, DOT text, or with --render the
 * picture (a binary one never to a terminal).  With a picture and DOT, both
 * are written to temporary files and renamed only when both succeeded. */
#define CX_CLI_MAP_HELP_O                                                                          \
  "FILE.svg, .png or .pdf: the picture (needs Graphviz); FILE.dot or .gv: DOT text (with "         \
  "--render FMT also FILE.FMT); other names: DOT text; -: standard output"
#define CX_CLI_MAP_HELP_TIMEOUT "Stop Graphviz's dot after SECONDS (default 60; 0 = no limit)"

/* Before reading: checks -o @path and --render @render against the rule
 * above (usage errors), the inputs, the terminal, and that dot is installed
 * when a picture is asked for.  Returns CX_EXIT_OK or the exit code. */
int cx_cli_map_check(const char *cmd, const char *path, const char *render);
/* The picture's path beside a DOT file: FILE.dot or FILE.gv -> FILE.FMT,
 * else FILE.FMT appended. Returns a new string. */
char *cx_cli_image_path(const char *dot_path, const char *fmt);
/* Writes a map to -o @path (NULL = standard output) by the rule above,
 * stopping dot after @timeout_s seconds (0 = no limit). Returns an exit code. */
int cx_cli_emit_map(const char *path, GString *dot, const char *render_fmt, guint timeout_s);
/* --sources FILE (sources.c): adds a source per [FILE] group, with the
 * group's keys as its own reading options. Errors name FILE, the line and key. */
gboolean cx_cli_sources_load(const char *file, CxLog *log, CxFormat format,
                             gboolean channel_from_file, GError **error);
/* Parses a duration such as 30d, 12h, 90m, 1d12h to microseconds. */
gboolean cx_cli_parse_duration(const char *s, const char *what, gint64 *out, GError **error);
/* Parses a date (ISO-8601, date only allowed) to UTC microseconds. */
gboolean cx_cli_parse_date(const char *s, const char *what, gint64 *out, GError **error);

/* ---- shared by cases, trend and resources (subsets-opts.c) ---- */

/* The outcome rule's options: --success, --open-after. */
typedef struct {
  char *success, *open_after;
} CxCliOutcome;

/* Returns an option group with --success and --open-after, filled into @o. */
GOptionGroup *cx_cli_outcome_group(CxCliOutcome *o);
/* Parses @o: *@success (NULL-terminated, or NULL to infer; free with
 * g_strfreev) and *@open_after_us. Frees @o's strings. FALSE with a usage
 * error on a bad duration. */
gboolean cx_cli_outcome_apply(CxCliOutcome *o, char ***success, gint64 *open_after_us,
                              GError **error);
/* The zone times are shown and periods cut in (the display zone; UTC by default). */
GTimeZone *cx_cli_display_zone(CxLog *log);
/* Appends @s as one CSV field (quoted when it holds a comma, quote or line break). */
void cx_cli_csv_field(GString *out, const char *s);
/* How many case ids a text line shows before "… and N more". */
#define CX_CLI_TEXT_CASE_IDS 10
/* How a table is written: text for people, CSV or JSON. */
typedef enum { CX_CLI_TEXT, CX_CLI_CSV, CX_CLI_JSON } CxCliForm;
/* The form from --json/--csv, else from @path's extension (.csv, .json), else text. */
CxCliForm cx_cli_form(gboolean json, gboolean csv, const char *path);

/* ---- partials (partial-opts.c) ---- */

/* The --partial FILE option group of the analysis commands. */
GOptionGroup *cx_cli_partial_group(void);
/* Notes a command line before and after parsing (cx_cli_parse() does). */
void cx_cli_partial_note_args(char **before, char **after);
/* TRUE when --partial FILE was given. */
gboolean cx_cli_partial_wanted(void);
/* With --partial FILE: writes @log's journeys as a partial of @cmd (@side:
 * compare's "before"/"after", or NULL) and returns the exit code; without
 * it returns -1 and the command reports as usual.  Refuses (usage error)
 * the options that need the whole log first (--top-variants). */
int cx_cli_partial_write(CxLog *log, const char *cmd, const char *side);
/* Output-only options that take a value (for merge's own parsing). */
gboolean cx_cli_option_takes_value(const char *name);
/* merge: makes the file token @token stand for @p (not owned; more than
 * one per token). A token is "SIDE:…" (SIDE empty but for compare). */
void cx_cli_partial_add_group(const char *token, CxPartial *p);
/* TRUE while a merge runs a command: cx_cli_read_apply() reads the tokens'
 * partials instead of files. */
gboolean cx_cli_partial_merging(void);
gboolean cx_cli_partial_apply(CxLog *log, char **files, GError **error);
void cx_cli_partial_clear(void);

G_END_DECLS
