/* cxmine filter: write the journeys the filters keep as an event log (XES or
 * CSV), with every attribute of their events and traces. */
#include "cmd.h"
#include <stdio.h>
#include <string.h>

typedef struct {
  CxLog *log;
  const char *path;
  CxLogWriteFormat format;
  CxLogWriter *writer;
  GError *reset_error; /* the writer could not be made again after a reset */
} Filter;

static gboolean
add(const CxJourney *j, gpointer data, GError **error)
{
  Filter *f = data;
  if (f->reset_error != NULL) {
    g_propagate_error(error, g_steal_pointer(&f->reset_error));
    return FALSE;
  }
  return cx_log_writer_add(j, f->writer, error);
}

/* The scan starts over (a streamed XES repeated a case id): write afresh. */
static void
reset(gpointer data)
{
  Filter *f = data;
  g_clear_pointer(&f->writer, cx_log_writer_free);
  if (f->reset_error == NULL)
    f->writer = cx_log_writer_new(f->log, f->path, f->format, 0, &f->reset_error);
}

/* The format -o names: .csv/.csv.gz, .xes/.xes.gz; @given (--output-format)
 * decides for "-" and other names. FALSE when neither says. */
static gboolean
output_format(const char *path, const char *given, CxLogWriteFormat *out, char **why)
{
  if (given != NULL) {
    if (g_ascii_strcasecmp(given, "csv") == 0)
      *out = CX_LOG_WRITE_CSV;
    else if (g_ascii_strcasecmp(given, "xes") == 0)
      *out = CX_LOG_WRITE_XES;
    else {
      *why = g_strdup_printf("--output-format: '%s' is not xes or csv", given);
      return FALSE;
    }
    return TRUE;
  }
  if (g_str_has_suffix(path, ".csv") || g_str_has_suffix(path, ".csv.gz")) {
    *out = CX_LOG_WRITE_CSV;
    return TRUE;
  }
  if (g_str_has_suffix(path, ".xes") || g_str_has_suffix(path, ".xes.gz")) {
    *out = CX_LOG_WRITE_XES;
    return TRUE;
  }
  *why = g_strdup_printf("-o %s: name a .csv, .csv.gz, .xes or .xes.gz file, or give "
                         "--output-format xes|csv",
                         path);
  return FALSE;
}

int
cx_cmd_filter(CxCli *cli, int argc, char **argv)
{
  char *output = NULL, *out_format = NULL;
  CxCliRead r;
  cx_cli_read_init(&r, cli);
  GOptionEntry entries[]
      = { { "output", 'o', CX_CLI_OUTPUT_ONLY, G_OPTION_ARG_FILENAME, &output,
            "The filtered log (required): FILE.xes, FILE.xes.gz, FILE.csv or FILE.csv.gz; - for "
            "standard output",
            "OUT" },
          { "output-format", 0, 0, G_OPTION_ARG_STRING, &out_format,
            "Write XES or CSV whatever OUT's name (needed for -o -)", "xes|csv" },
          { NULL } };
  CxCliCommand cmd = {
    .name = "filter",
    .parameter = "LOG… -o OUT - write the journeys the filters keep as a log",
    .description
    = "Reads every LOG with the reading options, keeps the journeys every filter\n"
      "keeps, and writes them to OUT, atomically (a temporary file renamed into\n"
      "place; OUT is left as it was on failure).  Journeys are written as the scan\n"
      "hands them over, so memory stays bounded by the journey in flight (a single\n"
      "XES source) or by the grouped events (CSV, several sources, --top-variants).\n\n"
      "What is written: the case id, the activity as mapped, the timestamps, the\n"
      "lifecycle, resource and channel, every trace attribute (a CSV input's\n"
      "case:KEY columns too; written as case:KEY columns in CSV) and every other\n"
      "attribute of every event (in CSV a column per key; attr:KEY for a name the\n"
      "CSV reader would map, such as Activity or start).  XES is IEEE 1849-2016\n"
      "with the concept, time, lifecycle and org extensions, <global> defaults and\n"
      "<classifier>s; attributes keep the type the input declared (string, date,\n"
      "int, float, boolean, id), and CSV input values are strings.  Every event is\n"
      "written as read, with its lifecycle transition (the input is read with\n"
      "--lifecycle all unless --lifecycle is given, so the filters see raw events);\n"
      "with --lifecycle pair the filters see paired instances as the analyses do,\n"
      "and each is written as a start and a complete event (CSV: one row with\n"
      "start_timestamp).  Read the output back without mapping options.  On stderr:\n"
      "what was written.\n\n"
      "Examples:\n"
      "  cxmine filter fixtures/sample/customer-journeys.xes.gz --where channel=web -o web.xes.gz\n"
      "  cxmine filter log.xes.gz --from 2024-01-01 --to 2024-04-01 -o q1.csv\n"
      "  cxmine filter log.csv --top-variants 5 -o top5.xes\n"
      "  cxmine filter log.xes.gz --starts-with 'A_SUBMITTED' -o - --output-format csv | head\n",
    .entries = entries,
    .read = &r
  };
  int parse_rc = cx_cli_command_parse(cli, &cmd, &argc, &argv);
  if (parse_rc >= 0)
    return parse_rc;
  g_autofree char *out_path = output;
  g_autofree char *fmt_name = out_format;
  g_autofree char *why = NULL;
  CxLogWriteFormat format = CX_LOG_WRITE_XES;
  if (out_path == NULL)
    why = g_strdup("-o OUT is required (FILE.xes, FILE.xes.gz, FILE.csv or FILE.csv.gz)");
  else if (argc < 2)
    why = g_strdup("no LOG given");
  else
    output_format(out_path, fmt_name, &format, &why);
  if (why != NULL) {
    cx_cli_read_clear(&r);
    return cx_cli_usage("filter", "%s", why);
  }

  int rc;
  g_autoptr(CxLog) log = cx_cli_export_log(&r, "filter", argv + 1, &rc);
  if (log == NULL)
    return rc;
  rc = cx_cli_output_check(cli, "filter", out_path);
  if (rc != CX_EXIT_OK)
    return rc;
  g_autoptr(GError) error = NULL;

  Filter f = { 0 };
  f.log = log;
  f.path = out_path;
  f.format = format;
  f.writer = cx_log_writer_new(log, out_path, format, 0, &error);
  gboolean ok = f.writer != NULL && cx_log_scan(log, add, reset, &f, &error);
  if (ok && f.reset_error != NULL) {
    g_propagate_error(&error, g_steal_pointer(&f.reset_error));
    ok = FALSE;
  }
  if (ok)
    ok = cx_log_writer_close(f.writer, &error);
  if (!ok) {
    cx_cli_error(error);
    rc = CX_EXIT_FAIL;
  } else {
    g_autofree char *c = cx_format_counted(cx_log_writer_cases(f.writer), "case", "cases");
    g_autofree char *e = cx_format_counted(cx_log_writer_events(f.writer), "event", "events");
    fprintf(stderr, "cxmine: wrote %s, %s to %s\n", c, e,
            strcmp(out_path, "-") == 0 ? "standard output" : out_path);
  }
  cx_log_writer_free(f.writer);
  g_clear_error(&f.reset_error);
  return rc;
}
