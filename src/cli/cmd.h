/* cxmine CLI — the subcommands and the pieces they share. */
#pragma once

#include <glib.h>
#include "cxmine/cxmine.h"

G_BEGIN_DECLS

/* Exit codes */
#define CX_EXIT_OK    0
#define CX_EXIT_FAIL  1
#define CX_EXIT_USAGE 2

/* One run of the command line: what the commands share that lives as long
 * as the run (no file-scope state in the CLI).  Made in main(); merge hands
 * it on to the command it runs. */
typedef struct {
  GArray *inputs;     /* emit.c: the regular files this run reads, by identity */
  GHashTable *told;   /* cx_cli_notice: the warnings said so far */
  char *partial_path; /* --partial FILE, or NULL */
  char **argv_before; /* the last command line cx_cli_command_parse() saw */
  char **argv_after;  /* what was left of it: the files */
  GHashTable *groups; /* merge: token -> GPtrArray of CxPartial* (not owned) */
  /* the parsed command's output-only options (CX_CLI_OUTPUT_ONLY):
   * "--name" and "-c" -> "name" */
  GHashTable *output_only;
  GHashTable *output_valued; /* of them, the long names of those that take a value */
  gboolean describe;         /* cx_cli_command_parse() only notes the options (merge) */
} CxCli;

void cx_cli_init(CxCli *cli);
void cx_cli_clear(CxCli *cli);

int cx_cmd_stats(CxCli *cli, int argc, char **argv);
int cx_cmd_variants(CxCli *cli, int argc, char **argv);
int cx_cmd_dfg(CxCli *cli, int argc, char **argv);
int cx_cmd_compare(CxCli *cli, int argc, char **argv);
int cx_cmd_friction(CxCli *cli, int argc, char **argv);
int cx_cmd_cases(CxCli *cli, int argc, char **argv);
int cx_cmd_trend(CxCli *cli, int argc, char **argv);
int cx_cmd_resources(CxCli *cli, int argc, char **argv);
int cx_cmd_partition(CxCli *cli, int argc, char **argv);
int cx_cmd_report(CxCli *cli, int argc, char **argv);
int cx_cmd_filter(CxCli *cli, int argc, char **argv);
int cx_cmd_merge(CxCli *cli, int argc, char **argv);

/* A mark in a GOptionEntry's flags (taken off before GLib sees the entry):
 * the option changes only how a report is shown or where it goes, so it is
 * never stored in a partial and is given to 'cxmine merge' instead.
 * 'cxmine COMMAND --list-output-options' lists these options. */
#define CX_CLI_OUTPUT_ONLY (1 << 20)

/* Reader options every analysis command takes: bound straight into the
 * library's CxReadOptions, with the few that are the command line's own. */
typedef struct {
  CxCli *cli;
  CxReadOptions opts; /* moved into the log by cx_cli_read_apply() */
  CxFormat format;    /* --format */
  gboolean channel_from_file;
  char *log_name; /* --log-name NAME */
  char *sources;  /* --sources FILE (sources.c) */
  /* business hours (issue 17): --business-hours SPEC, --holidays FILE */
  char *business_hours, *holidays;
} CxCliRead;

void cx_cli_read_init(CxCliRead *r, CxCli *cli);
void cx_cli_read_clear(CxCliRead *r);
/* Returns an option group with the reader options, filled into @r. */
GOptionGroup *cx_cli_read_group(CxCliRead *r);
/* Returns an option group with the filters (--from, --to, --window, --where,
 * --keep-events, ...; cxmine/filter.h), added to @r->opts.filters in order. */
GOptionGroup *cx_cli_filter_group(CxCliRead *r);
/* Configures @log from @r and adds @files as sources. Returns FALSE with a
 * usage error set when an option value is bad. */
gboolean cx_cli_read_apply(CxCliRead *r, CxLog *log, char **files, GError **error);
/* Reads @files into a new log as @r says and frees @r. NULL after a usage
 * message for @cmd on an error (the exit code is then CX_EXIT_USAGE's). */
CxLog *cx_cli_read_log(const char *cmd, CxCliRead *r, char **files);
/* The log of a command that writes events back out (filter, partition):
 * every lifecycle transition as read unless --lifecycle is given, every
 * attribute kept, and no --business-hours (it measures no time).  Clears
 * @r.  Returns NULL after printing a usage error (exit code in *@rc). */
CxLog *cx_cli_export_log(CxCliRead *r, const char *cmd, char **files, int *rc);

/* The outcome rule's options: --success, --open-after. */
typedef struct {
  char *success, *open_after;
} CxCliOutcome;

/* A command's options and help (common.c): the GOption preamble of every
 * command in one place. */
typedef struct {
  const char *name;            /* "dfg" */
  const char *parameter;       /* "LOG… - the directly-follows graph …" */
  const char *summary;         /* or NULL */
  const char *description;     /* the text after the options */
  const GOptionEntry *entries; /* the command's own, CX_CLI_OUTPUT_ONLY marked */
  CxCliRead *read;             /* the reader options and filters, or NULL */
  CxCliOutcome *outcome;       /* --success and --open-after, or NULL */
  gboolean partial;            /* --partial FILE */
} CxCliCommand;

/* Builds @c's option context (the caller frees it). */
GOptionContext *cx_cli_command_context(CxCli *cli, const CxCliCommand *c);
/* Parses the command line by @c.  Returns -1 when the command goes on;
 * otherwise the exit code, after clearing @c->read and @c->outcome: on a
 * usage error (printed with a hint) CX_EXIT_USAGE; for 'cxmine COMMAND
 * --list-output-options' (the output-only options, one a line) and in
 * @cli->describe mode CX_EXIT_OK. */
int cx_cli_command_parse(CxCli *cli, const CxCliCommand *c, int *argc, char ***argv);
/* Parses the command line with @ctx: returns -1 when the command goes on,
 * else the exit code, as cx_cli_command_parse() (which clears too). */
int cx_cli_parse(CxCli *cli, GOptionContext *ctx, const char *cmd, int *argc, char ***argv);
/* Adds @entries to @group, taking the CX_CLI_OUTPUT_ONLY marks off into
 * @cli->output_only. */
void cx_cli_add_entries(CxCli *cli, GOptionGroup *group, const GOptionEntry *entries);
/* The CxNoticeFunc of the command line (@user_data: the CxCli): warnings as
 * "cxmine: warning: MESSAGE" and information (a filter's counts) as
 * "cxmine: MESSAGE" on stderr, each distinct one once; verbose notices as
 * they are. */
void cx_cli_notice(CxNoticeLevel level, const char *code, const char *message, gpointer user_data);
/* Sets @opts->progress to draw "reading FILE: N%" on standard error while a
 * big file is read, and the analysis's steps after it, when standard error
 * is a terminal (progress.c). */
void cx_cli_progress_install(CxReadOptions *opts);
/* The progress callback of the command line: the one above when standard
 * error is a terminal, else NULL. */
CxProgressFunc cx_cli_progress_func(void);
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
void cx_cli_inputs_note(CxCli *cli, const char *path);
/* Before reading: fails with a usage error (returns CX_EXIT_USAGE) when
 * @path (NULL or "-": none) or standard output is one of the inputs. */
int cx_cli_output_check(CxCli *cli, const char *cmd, const char *path);
/* Writes @text to @path ("-" or NULL = stdout) atomically; returns an exit code. */
int cx_cli_emit(CxCli *cli, const char *path, GString *text);

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
int cx_cli_map_check(CxCli *cli, const char *cmd, const char *path, const char *render);
/* The picture's path beside a DOT file: FILE.dot or FILE.gv -> FILE.FMT,
 * else FILE.FMT appended. Returns a new string. */
char *cx_cli_image_path(const char *dot_path, const char *fmt);
/* Writes a map to -o @path (NULL = standard output) by the rule above,
 * stopping dot after @timeout_s seconds (0 = no limit). Returns an exit code. */
int cx_cli_emit_map(CxCli *cli, const char *path, GString *dot, const char *render_fmt,
                    guint timeout_s);
/* --sources FILE (sources.c): adds a source per [FILE] group, with the
 * group's keys as its own reading options. Errors name FILE, the line and key. */
gboolean cx_cli_sources_load(const char *file, CxLog *log, CxFormat format,
                             gboolean channel_from_file, GError **error);
/* --channel-from-file: the channel of @path, its base name up to the first dot. */
char *cx_cli_channel_of_file(const char *path);
/* Parses a duration such as 30d, 12h, 90m, 1d12h to microseconds. */
gboolean cx_cli_parse_duration(const char *s, const char *what, gint64 *out, GError **error);
/* Parses a date (ISO-8601, date only allowed) to UTC microseconds. */
gboolean cx_cli_parse_date(const char *s, const char *what, gint64 *out, GError **error);

/* ---- shared by cases, trend and resources (subsets-opts.c) ---- */

/* Returns an option group with --success and --open-after, filled into @o. */
GOptionGroup *cx_cli_outcome_group(CxCliOutcome *o);
/* Parses @o: *@success (NULL-terminated, or NULL to infer; free with
 * g_strfreev) and *@open_after_us. Frees @o's strings. FALSE with a usage
 * error on a bad duration. */
gboolean cx_cli_outcome_apply(CxCliOutcome *o, char ***success, gint64 *open_after_us,
                              GError **error);
/* Ends option checking for a subsets command: unless @bad names a usage
 * error already, parses @oc as cx_cli_outcome_apply(). On an error frees
 * @r and @oc's strings and returns the usage exit code for @cmd; else -1. */
int cx_cli_outcome_settle(const char *cmd, const char *bad, CxCliRead *r, CxCliOutcome *oc,
                          char ***success, gint64 *open_after_us);
/* The start of cases and trend once their options are checked: settles @oc
 * (cx_cli_outcome_settle), reads @files into *@log, checks @out_path and
 * scans the journeys into a finished *@t. Returns -1 when both are made,
 * else the exit code (the message printed). */
int cx_cli_case_table_open(CxCli *cli, const char *cmd, const char *bad, CxCliRead *r,
                           CxCliOutcome *oc, char **files, const char *out_path, CxLog **log,
                           CxCaseTable **t);
/* The zone times are shown and periods cut in (the display zone; UTC by default). */
GTimeZone *cx_cli_display_zone(CxLog *log);
/* How many case ids a text line shows before "… and N more". */
#define CX_CLI_TEXT_CASE_IDS 10
/* How a table is written: text for people, CSV or JSON. */
typedef enum { CX_CLI_TEXT, CX_CLI_CSV, CX_CLI_JSON } CxCliForm;
/* The form from --json/--csv, else from @path's extension (.csv, .json), else text. */
CxCliForm cx_cli_form(gboolean json, gboolean csv, const char *path);

/* ---- partials (partial-opts.c) ---- */

/* The --partial FILE option group of the analysis commands. */
GOptionGroup *cx_cli_partial_group(CxCli *cli);
/* TRUE when --partial FILE was given. */
gboolean cx_cli_partial_wanted(CxCli *cli);
/* With --partial FILE: writes @log's journeys as a partial of @cmd (@side:
 * compare's "before"/"after", or NULL) and returns the exit code; without
 * it returns -1 and the command reports as usual.  Refuses (usage error)
 * the options that need the whole log first (--top-variants). */
int cx_cli_partial_write(CxCli *cli, CxLog *log, const char *cmd, const char *side);
/* merge: makes the file token @token stand for @p (not owned; more than
 * one per token). A token is "SIDE:…" (SIDE empty but for compare). */
void cx_cli_partial_add_group(CxCli *cli, const char *token, CxPartial *p);
/* TRUE while a merge runs a command: cx_cli_read_apply() reads the tokens'
 * partials instead of files. */
gboolean cx_cli_partial_merging(CxCli *cli);
gboolean cx_cli_partial_apply(CxCli *cli, CxLog *log, char **files, GError **error);

G_END_DECLS
