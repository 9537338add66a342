/* Reader options and filters shared by the analysis commands. */
#include "cmd.h"
#include <string.h>

/* --activity-key, repeatable: the keys newline-separated (the XES reader
 * joins their values with " | "). */
static gboolean
add_activity_key(const char *name, const char *value, gpointer data, GError **error)
{
  CxCliRead *r = data;
  (void)name;
  if (*value == '\0' || strchr(value, '\n') != NULL) {
    g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                "--activity-key: expected an attribute name, got '%s'", value);
    return FALSE;
  }
  char *key = r->opts.activity_key;
  r->opts.activity_key = key == NULL ? g_strdup(value) : g_strconcat(key, "\n", value, NULL);
  g_free(key);
  return TRUE;
}

/* The options whose values are parsed as they are read: a bad one is a
 * usage error. */
static gboolean
set_format(const char *name, const char *value, gpointer data, GError **error)
{
  CxCliRead *r = data;
  (void)name;
  if (cx_format_parse(value, &r->format))
    return TRUE;
  g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "--format: '%s' is not xes or csv",
              value);
  return FALSE;
}

static gboolean
set_lifecycle(const char *name, const char *value, gpointer data, GError **error)
{
  CxCliRead *r = data;
  (void)name;
  if (cx_lifecycle_mode_parse(value, &r->opts.lifecycle))
    return TRUE;
  g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
              "--lifecycle: '%s' is not pair, all or complete", value);
  return FALSE;
}

static gboolean
set_delimiter(const char *name, const char *value, gpointer data, GError **error)
{
  CxCliRead *r = data;
  (void)name;
  if (cx_delimiter_parse(value, &r->opts.delimiter))
    return TRUE;
  g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
              "--delimiter: '%s' is not one character", value);
  return FALSE;
}

static gboolean
set_memory(const char *name, const char *value, gpointer data, GError **error)
{
  CxCliRead *r = data;
  (void)name;
  if (cx_size_parse(value, &r->opts.memory))
    return TRUE;
  g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
              "--memory: '%s' is not a size (e.g. 512M, 2G)", value);
  return FALSE;
}

static gboolean
set_threads(const char *name, const char *value, gpointer data, GError **error)
{
  CxCliRead *r = data;
  (void)name;
  guint64 n = 0;
  if (g_ascii_string_to_unsigned(value, 10, 1, 1024, &n, NULL)) {
    r->opts.threads = (guint)n;
    return TRUE;
  }
  g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
              "--threads: '%s' is not a number of threads from 1 to 1024", value);
  return FALSE;
}

static gboolean
set_journey_gap(const char *name, const char *value, gpointer data, GError **error)
{
  CxCliRead *r = data;
  (void)name;
  return cx_cli_parse_duration(value, "--journey-gap", &r->opts.journey_gap, error);
}

GOptionGroup *
cx_cli_read_group(CxCliRead *r)
{
  GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_CALLBACK, (gpointer)set_format,
      "Input format (default: detected)", "xes|csv" },
    { "lifecycle", 0, 0, G_OPTION_ARG_CALLBACK, (gpointer)set_lifecycle,
      "Lifecycle handling: pair start/complete into instances (default when a case has starts), "
      "all events, or complete events only",
      "pair|all|complete" },
    { "classifier", 0, 0, G_OPTION_ARG_STRING, &r->opts.classifier,
      "XES: use the <classifier> of this name for activities", "NAME" },
    { "activity-key", 0, 0, G_OPTION_ARG_CALLBACK, (gpointer)add_activity_key,
      "XES: attribute that names the activity (default concept:name); repeat to join several "
      "with ' | ', e.g. concept:name and lifecycle:transition",
      "KEY" },
    { "channel-key", 0, 0, G_OPTION_ARG_STRING, &r->opts.channel_key,
      "XES: attribute that names the channel (default channel)", "KEY" },
    { "resource-key", 0, 0, G_OPTION_ARG_STRING, &r->opts.resource_key,
      "XES: attribute that names the resource (default org:resource)", "KEY" },
    { "delimiter", 0, 0, G_OPTION_ARG_CALLBACK, (gpointer)set_delimiter,
      "CSV: field delimiter (default: detected among , ; TAB |)", "CHAR" },
    { "case", 0, 0, G_OPTION_ARG_STRING, &r->opts.case_col, "CSV: case id column", "COL" },
    { "activity", 0, 0, G_OPTION_ARG_STRING_ARRAY, &r->opts.activity_cols,
      "CSV: activity column; repeat to join several with ' | '", "COL" },
    { "timestamp", 0, 0, G_OPTION_ARG_STRING, &r->opts.timestamp_col, "CSV: timestamp column",
      "COL" },
    { "start-timestamp", 0, 0, G_OPTION_ARG_STRING, &r->opts.start_col,
      "CSV: start timestamp column (rows become instances with a service time). Detected by its "
      "header (start_timestamp, start time, ...) only when the timestamp column is detected "
      "too, not when --timestamp names one; --start-timestamp '' turns it off",
      "COL" },
    { "resource", 0, 0, G_OPTION_ARG_STRING, &r->opts.resource_col, "CSV: resource column", "COL" },
    { "channel", 0, 0, G_OPTION_ARG_STRING, &r->opts.channel_col, "CSV: channel column", "COL" },
    { "timestamp-format", 0, 0, G_OPTION_ARG_STRING, &r->opts.timestamp_format,
      "CSV: explicit timestamp pattern, e.g. '%d.%m.%Y %H:%M'", "PATTERN" },
    { "timezone", 0, 0, G_OPTION_ARG_STRING, &r->opts.timezone,
      "Zone for timestamps without offset (default UTC), e.g. Europe/Amsterdam", "TZ" },
    { "display-timezone", 0, 0, G_OPTION_ARG_STRING, &r->opts.display_timezone,
      "Zone in which times are shown to people (default: --timezone, else UTC); JSON stays UTC",
      "TZ" },
    { "skip-invalid", 0, 0, G_OPTION_ARG_NONE, &r->opts.skip_invalid,
      "Drop rows whose timestamp cannot be parsed (and report how many) instead of failing", NULL },
    { "channel-from-file", 0, 0, G_OPTION_ARG_NONE, &r->channel_from_file,
      "Tag each file's events with a channel named after the file, or FILE=CHANNEL", NULL },
    { "verbose", 'v', CX_CLI_OUTPUT_ONLY, G_OPTION_ARG_NONE, &r->opts.verbose,
      "Print per file the columns chosen and the timestamp format detected, and counts", NULL },
    { "sources", 0, 0, G_OPTION_ARG_FILENAME, &r->sources,
      "Read the files named in FILE, a key file with one [PATH] group per file (relative to "
      "FILE's folder) whose keys are these options' long names (case, activity, timestamp, "
      "timezone, timestamp-format, delimiter, ...; lists comma-separated) plus channel-name; "
      "options given here apply to every file unless its group says otherwise",
      "FILE" },
    { "strict", 0, CX_CLI_OUTPUT_ONLY, G_OPTION_ARG_NONE, &r->opts.strict,
      "Fail (exit 1) instead of warning about naive times read as UTC, zones, guessed day/month "
      "orders, daylight-saving corrections and duplicate events",
      NULL },
    { "memory", 0, CX_CLI_OUTPUT_ONLY, G_OPTION_ARG_CALLBACK, (gpointer)set_memory,
      "Memory budget for the grouped events (default 1G); past it they spill to sorted runs in "
      "a temporary file in $TMPDIR, removed on every exit",
      "SIZE" },
    { "threads", 0, CX_CLI_OUTPUT_ONLY, G_OPTION_ARG_CALLBACK, (gpointer)set_threads,
      "Read on N threads (default: $CXMINE_THREADS, else every core); 1 does everything on one "
      "thread. Results are the same for every N",
      "N" },
    { "log-name", 0, CX_CLI_OUTPUT_ONLY, G_OPTION_ARG_STRING, &r->log_name,
      "The log's name in reports (default: the input's file name, 'FIRST + N more' for several); "
      "for 'cxmine merge', the log the shards were cut from",
      "NAME" },
    { "dedupe", 0, 0, G_OPTION_ARG_NONE, &r->opts.dedupe,
      "Drop duplicate events: the same case, activity, transition, time (at the coarser "
      "precision of the two files) and resource (where both have one) as an earlier event",
      NULL },
    { "journey-gap", 0, 0, G_OPTION_ARG_CALLBACK, (gpointer)set_journey_gap,
      "Cut a case into journeys where two events are more than DURATION apart (30d, 12h, ...); "
      "the journeys of a cut case are ID#1, ID#2, ...",
      "DURATION" },
    { "journey-starts-with", 0, 0, G_OPTION_ARG_STRING, &r->opts.journey_starts_with,
      "Start a new journey of a case at each event of activity A", "A" },
    { "business-hours", 0, 0, G_OPTION_ARG_STRING, &r->business_hours,
      "Count waits, service times and durations in working time only, on the clock of "
      "--display-timezone: days then ranges, ';' between clauses, e.g. 'Mon-Fri 09:00-17:30' "
      "or 'Mon-Fri 09:00-12:00,13:00-17:30; Sat 10:00-14:00' (default: calendar time)",
      "HOURS" },
    { "holidays", 0, 0, G_OPTION_ARG_FILENAME, &r->holidays,
      "With --business-hours: dates without working hours, one YYYY-MM-DD a line ('#' "
      "comments)",
      "FILE" },
    { NULL }
  };
  GOptionGroup *g = g_option_group_new("read", "Reading options:", "Show reading options", r, NULL);
  cx_cli_add_entries(r->cli, g, entries);
  return g;
}

/* Every filter option, in the order given: the library's chain parses it
 * (a bad one is a usage error naming the column). */
static gboolean
add_filter(const char *name, const char *value, gpointer data, GError **error)
{
  CxCliRead *r = data;
  return cx_read_options_add_filter(&r->opts, name + 2, value, error);
}

GOptionGroup *
cx_cli_filter_group(CxCliRead *r)
{
#define FILTER(name, help, arg)                                                                    \
  { name, 0, 0, G_OPTION_ARG_CALLBACK, (gpointer)add_filter, help, arg }
  GOptionEntry entries[] = {
    FILTER("from", "Keep cases starting at or after DATE (naive times in the display zone)",
           "DATE"),
    FILTER("to", "Keep cases starting before DATE", "DATE"),
    FILTER("window",
           "Keep cases by a time window, FROM or TO may be empty; MODE: contained (all inside), "
           "intersecting (some part inside; the default), started, completed (first or last "
           "event inside), trim (keep only the events inside), e.g. --window "
           "trim:2024-01-01,2024-04-01",
           "[MODE:]FROM,TO"),
    FILTER("window-mode", "The mode of the --window options that name none", "MODE"),
    FILTER("where",
           "Keep cases for which EXPR holds: KEY=V, KEY!=V, KEY~REGEX, KEY!~REGEX, KEY>=N (> < "
           "<=), KEY in LO..HI, joined with AND, OR, NOT and ( ); a case matches when its "
           "attribute or any event's does (KEY@first, KEY@last: that value only); keys activity, "
           "resource, channel, case name the mapped fields; quote values with spaces before "
           "AND/OR, e.g. --where 'channel=web AND (amount>=100 OR priority~^high)'; repeatable "
           "(all must hold)",
           "EXPR"),
    FILTER("keep-events",
           "Keep only the events for which EXPR holds (an event's own value, else its case's), "
           "rebuilding the journeys; cases left without events drop, e.g. --keep-events "
           "'channel!=email'",
           "EXPR"),
    FILTER("min-duration", "Keep cases lasting at least DUR (first to last event), e.g. 2d", "DUR"),
    FILTER("max-duration", "Keep cases lasting at most DUR, e.g. 12h", "DUR"),
    FILTER("min-steps", "Keep cases of at least N activity instances", "N"),
    FILTER("max-steps", "Keep cases of at most N activity instances", "N"),
    FILTER("wait",
           "Keep cases whose wait from the first A to the first B after it (B's start, else its "
           "time, minus A's time) is > >= < or <= DUR; cases without that pair drop, e.g. "
           "--wait 'Submit->Approve>2d'",
           "'A->B OP DUR'"),
    FILTER("follows",
           "Keep cases where some A is directly followed by B (A->B) or later by B (A->>B), "
           "optionally within DUR of A, e.g. --follows 'Submit->>Approve within 2d'",
           "'A->B'|'A->>B [within DUR]'"),
    FILTER("not-follows",
           "Keep cases where no A is followed so by B (cases without A too), e.g. --not-follows "
           "'Approve->>Reopen'",
           "'A->B'|'A->>B [within DUR]'"),
    FILTER("variant",
           "Keep cases whose activity sequence matches PATTERN: names separated by commas, ? for "
           "one activity, * for any run (quote names with commas), e.g. --variant 'Submit,*,Pay'",
           "PATTERN"),
    FILTER("min-variant-share",
           "Keep cases of variants holding at least SHARE (0..1) of the cases reaching this "
           "filter, e.g. 0.01",
           "SHARE"),
    FILTER("top-variants", "Keep the cases of the N most frequent variants", "N"),
    FILTER("starts-with", "Keep cases whose first activity is A", "A"),
    FILTER("ends-with", "Keep cases whose last activity is A", "A"),
    { NULL }
  };
#undef FILTER
  GOptionGroup *g = g_option_group_new(
      "filter",
      "Filters (applied in the order given; each says on stderr how many cases and events it "
      "kept; DUR: 30d, 12h, 90m, 1d12h):",
      "Show filter options", r, NULL);
  g_option_group_add_entries(g, entries);
  return g;
}

void
cx_cli_read_init(CxCliRead *r, CxCli *cli)
{
  *r = (CxCliRead){ .cli = cli };
  cx_read_options_init(&r->opts);
  /* the default of --threads */
  const char *threads = g_getenv("CXMINE_THREADS");
  guint64 n = 0;
  if (threads != NULL && g_ascii_string_to_unsigned(threads, 10, 1, 1024, &n, NULL))
    r->opts.threads = (guint)n;
  /* test-only: split files this small over the threads, so that the test
   * suite runs the parallel reading of its small fixtures */
  const char *after = g_getenv("CXMINE_TEST_THREADS_AFTER");
  if (after != NULL && g_ascii_string_to_unsigned(after, 10, 1, G_MAXSIZE, &n, NULL))
    r->opts.threads_after = (gsize)n;
}

void
cx_cli_read_clear(CxCliRead *r)
{
  cx_read_options_clear(&r->opts);
  g_clear_pointer(&r->log_name, g_free);
  g_clear_pointer(&r->sources, g_free);
  g_clear_pointer(&r->business_hours, g_free);
  g_clear_pointer(&r->holidays, g_free);
}

/* An unknown zone is a usage error, with the nearest IANA names when the
 * system's zone table is there. */
static gboolean
check_zone(const char *what, const char *name, GError **error)
{
  if (name == NULL || g_ascii_strcasecmp(name, "UTC") == 0)
    return TRUE;
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier(name);
  if (tz != NULL)
    return TRUE;
  g_autoptr(CxSuggest) near = cx_suggest_new(name);
  g_autofree char *table = NULL;
  if (g_file_get_contents("/usr/share/zoneinfo/tzdata.zi", &table, NULL, NULL)) {
    /* "Z NAME ..." declares a zone, "L TARGET NAME" a link */
    g_auto(GStrv) lines = g_strsplit(table, "\n", -1);
    for (char **l = lines; *l != NULL; l++) {
      g_auto(GStrv) f = g_strsplit(*l, " ", 4);
      if (f[0] != NULL && f[1] != NULL && strcmp(f[0], "Z") == 0)
        cx_suggest_add(near, f[1]);
      else if (f[0] != NULL && f[1] != NULL && f[2] != NULL && strcmp(f[0], "L") == 0)
        cx_suggest_add(near, f[2]);
    }
  }
  g_autofree char *hint = cx_suggest_phrase(near, 3);
  g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
              "%s: unknown time zone '%s'%s; use an IANA name such as Europe/Amsterdam, or UTC",
              what, name, hint);
  return FALSE;
}

char *
cx_cli_channel_of_file(const char *path)
{
  g_autofree char *base = g_path_get_basename(path);
  char *dot = strchr(base, '.');
  if (dot != NULL && dot != base)
    *dot = '\0';
  return g_steal_pointer(&base);
}

CxLog *
cx_cli_export_log(CxCliRead *r, const char *cmd, char **files, int *rc)
{
  if (r->opts.lifecycle == CX_LIFECYCLE_MODE_AUTO)
    r->opts.lifecycle = CX_LIFECYCLE_MODE_ALL;
  g_autoptr(CxLog) log = cx_log_new();
  g_autoptr(GError) error = NULL;
  gboolean ok = cx_cli_read_apply(r, log, files, &error);
  cx_cli_read_clear(r);
  if (!ok) {
    *rc = cx_cli_usage(cmd, "%s", error->message);
    return NULL;
  }
  if (cx_log_options(log)->calendar != NULL) {
    *rc = cx_cli_usage(cmd,
                       "--business-hours: %s writes events and measures no time; give it to the "
                       "commands that read what it writes",
                       cmd);
    return NULL;
  }
  cx_log_options(log)->event_attrs = TRUE;
  return g_steal_pointer(&log);
}

CxLog *
cx_cli_read_log(const char *cmd, CxCliRead *r, char **files)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CxLog) log = cx_log_new();
  gboolean ok = cx_cli_read_apply(r, log, files, &error);
  cx_cli_read_clear(r);
  if (!ok) {
    cx_cli_usage(cmd, "%s", error->message);
    return NULL;
  }
  return g_steal_pointer(&log);
}

gboolean
cx_cli_read_apply(CxCliRead *r, CxLog *log, char **files, GError **error)
{
  if (r->log_name != NULL)
    cx_log_set_display_name(log, r->log_name);
  if (!check_zone("--timezone", r->opts.timezone, error)
      || !check_zone("--display-timezone", r->opts.display_timezone, error))
    return FALSE;
  if (r->holidays != NULL && r->business_hours == NULL) {
    g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                "--holidays needs --business-hours (e.g. --business-hours 'Mon-Fri 09:00-17:30')");
    return FALSE;
  }
  if (r->business_hours != NULL) {
    /* the clock of people: --display-timezone, else --timezone, else UTC */
    const char *zone
        = r->opts.display_timezone != NULL ? r->opts.display_timezone : r->opts.timezone;
    g_autoptr(CxCalendar) cal = cx_calendar_new(r->business_hours, zone, error);
    if (cal == NULL) {
      g_prefix_error(error, "--business-hours: ");
      return FALSE;
    }
    if (r->holidays != NULL && !cx_calendar_load_holidays(cal, r->holidays, error)) {
      g_prefix_error(error, "--holidays: ");
      return FALSE;
    }
    cx_calendar_free(r->opts.calendar);
    r->opts.calendar = g_steal_pointer(&cal);
  }
  if ((files == NULL || files[0] == NULL) && r->sources == NULL) {
    g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "no input file given");
    return FALSE;
  }
  /* the options move into the log: @r keeps the defaults */
  CxReadOptions *o = cx_log_options(log);
  cx_read_options_clear(o);
  *o = r->opts;
  cx_read_options_init(&r->opts);
  o->notice = cx_cli_notice;
  o->notice_data = r->cli;
  cx_cli_progress_install(o);
  if (cx_cli_partial_merging(r->cli)) /* cxmine merge: the files are partials */
    return cx_cli_partial_apply(r->cli, log, files, error);
  if (r->sources != NULL
      && !cx_cli_sources_load(r->sources, log, r->format, r->channel_from_file, error))
    return FALSE;
  for (char **f = files; f != NULL && *f != NULL; f++) {
    g_autofree char *path = g_strdup(*f);
    g_autofree char *channel = NULL;
    if (r->channel_from_file) {
      char *eq = strrchr(path, '=');
      if (eq != NULL && !g_file_test(path, G_FILE_TEST_EXISTS)) {
        *eq = '\0';
        channel = g_strdup(eq + 1);
      } else {
        channel = cx_cli_channel_of_file(path);
      }
    }
    cx_log_add_source(log, path, r->format, channel);
  }
  /* every source, however it was named: no output may replace one */
  for (guint i = 0; i < cx_log_n_sources(log); i++)
    cx_cli_inputs_note(r->cli, cx_log_source_path(log, i));
  return TRUE;
}
