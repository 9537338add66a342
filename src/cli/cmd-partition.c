/* cxmine partition: split a log into K shard files by a stable hash of the
 * case id, so that every case lies in exactly one shard. */
#include "cmd.h"
#include <errno.h>
#include <stdio.h>
#include <string.h>

#define MAX_SHARDS 4096
/* the bytes all shard writers may buffer together before flushing */
#define BUFFER_BUDGET (64u * 1024 * 1024)

typedef struct {
  CxLog *log;
  guint k;
  CxLogWriteFormat format;
  char **paths;
  CxLogWriter **writers;
  gsize buffer_size;
  GError *reset_error; /* a writer that could not be made again after a reset */
} Partition;

/* FNV-1a, 64 bits, over the bytes of the case id: the same on every machine
 * and in every version, unlike GLib's string hash. */
static guint
shard_of(const char *case_id, guint k)
{
  guint64 h = G_GUINT64_CONSTANT(14695981039346656037);
  for (const unsigned char *p = (const unsigned char *)case_id; *p != '\0'; p++) {
    h ^= *p;
    h *= G_GUINT64_CONSTANT(1099511628211);
  }
  return (guint)(h % k);
}

static gboolean
open_writers(Partition *p, GError **error)
{
  for (guint i = 0; i < p->k; i++) {
    g_clear_pointer(&p->writers[i], cx_log_writer_free);
    p->writers[i] = cx_log_writer_new(p->log, p->paths[i], p->format, p->buffer_size, error);
    if (p->writers[i] == NULL)
      return FALSE;
  }
  return TRUE;
}

static gboolean
add(const CxJourney *j, gpointer data, GError **error)
{
  Partition *p = data;
  if (p->reset_error != NULL) {
    g_propagate_error(error, g_steal_pointer(&p->reset_error));
    return FALSE;
  }
  guint s = shard_of(cx_pool_get(cx_log_cases(p->log), j->case_id), p->k);
  return cx_log_writer_add(j, p->writers[s], error);
}

/* The scan starts over (a streamed XES repeated a case id): start every shard
 * afresh. */
static void
reset(gpointer data)
{
  Partition *p = data;
  if (p->reset_error == NULL)
    open_writers(p, &p->reset_error);
}

/* The default piece name: the first input's base name without its log
 * extensions. */
static char *
default_piece(const char *path)
{
  if (strcmp(path, "-") == 0)
    return g_strdup("stdin");
  g_autofree char *base = g_path_get_basename(path);
  const char *exts[] = { ".gz", ".xes", ".csv", ".txt" };
  for (gboolean again = TRUE; again;) {
    again = FALSE;
    for (gsize i = 0; i < G_N_ELEMENTS(exts); i++)
      if (g_str_has_suffix(base, exts[i]) && strlen(base) > strlen(exts[i])) {
        base[strlen(base) - strlen(exts[i])] = '\0';
        again = TRUE;
      }
  }
  return g_steal_pointer(&base);
}

static gboolean
piece_ok(const char *s)
{
  return s[0] != '\0' && s[0] != '.' && strchr(s, '/') == NULL;
}

/* What was written: per shard its path and counts (JSON), or one line. */
static void
summary(const Partition *p, gboolean json, const char *out_dir, const char *piece_name,
        GString *text)
{
  guint64 cases = 0, events = 0;
  for (guint i = 0; i < p->k; i++) {
    cases += cx_log_writer_cases(p->writers[i]);
    events += cx_log_writer_events(p->writers[i]);
  }
  CxLogWriteFormat format = p->format;
  if (json) {
    g_autoptr(CxJson) j = cx_json_new(text, TRUE);
    cx_json_begin_object(j);
    cx_json_key(j, "shards");
    cx_json_begin_array(j);
    for (guint i = 0; i < p->k; i++) {
      cx_json_begin_object(j);
      cx_json_key(j, "index");
      cx_json_int(j, i);
      cx_json_key(j, "path");
      cx_json_string(j, p->paths[i]);
      cx_json_key(j, "cases");
      cx_json_int(j, (gint64)cx_log_writer_cases(p->writers[i]));
      cx_json_key(j, "events");
      cx_json_int(j, (gint64)cx_log_writer_events(p->writers[i]));
      cx_json_end_object(j);
    }
    cx_json_end_array(j);
    cx_json_key(j, "cases");
    cx_json_int(j, (gint64)cases);
    cx_json_key(j, "events");
    cx_json_int(j, (gint64)events);
    cx_json_end_object(j);
    g_string_append_c(text, '\n');
  } else {
    g_autofree char *c = cx_format_count(cases);
    g_autofree char *e = cx_format_count(events);
    g_string_append_printf(
        text, "wrote %s cases, %s events into %u shards: %s/shard-*-of-%04u.%s.%s\n", c, e, p->k,
        out_dir, p->k, piece_name, format == CX_LOG_WRITE_CSV ? "csv.gz" : "xes.gz");
  }
}

static const char description[]
    = "Streams every LOG (any input cxmine reads, with all reading options) into K\n"
      "shard files.  A case goes to shard FNV-1a-64(case id bytes) mod K, so every\n"
      "case's events land in one shard, on every machine and in every version.\n"
      "Shard i of this run is written to\n"
      "  DIR/shard-IIII-of-KKKK.PIECE.xes.gz   (or .csv.gz with --shard-format csv)\n"
      "atomically; running partition once per input file (each with its own --piece,\n"
      "on different machines if you like) gives K pieces per run, and shard i is all\n"
      "files shard-IIII-of-KKKK.*: read them together, as in 'cxmine stats DIR/shard-0003-*'.\n"
      "Memory stays bounded: journeys are written as the scan hands them over.\n\n"
      "Shards keep the activity (as mapped), timestamps, every lifecycle event as\n"
      "read (the input is read with --lifecycle all unless --lifecycle is given),\n"
      "resource, channel and every attribute of the traces and events (typed as\n"
      "the input declared them, as 'cxmine filter' writes them); read them back\n"
      "without mapping options.  --top-variants is refused: it needs the whole log.\n\n"
      "Examples:\n"
      "  cxmine partition --shards 16 -o shards/ fixtures/sample/customer-journeys.xes.gz\n"
      "  cxmine partition -k 16 -o shards/ --piece jan jan.csv     # on machine 1\n"
      "  cxmine partition -k 16 -o shards/ --piece feb feb.csv     # on machine 2\n"
      "  cxmine dfg --json shards/shard-0000-of-0016.*             # one shard\n"
      "  cxmine stats shards/*.xes.gz                              # all of them\n";

int
cx_cmd_partition(CxCli *cli, int argc, char **argv)
{
  gboolean json = FALSE;
  int shards = 0;
  char *dir = NULL, *piece = NULL, *shard_format = NULL;
  CxCliRead r;
  cx_cli_read_init(&r, cli);
  GOptionEntry entries[]
      = { { "shards", 'k', 0, G_OPTION_ARG_INT, &shards, "Number of shards (1 to 4096; required)",
            "K" },
          { "output", 'o', CX_CLI_OUTPUT_ONLY, G_OPTION_ARG_FILENAME, &dir,
            "Folder for the shard files (created when missing; required)", "DIR" },
          { "piece", 0, 0, G_OPTION_ARG_STRING, &piece,
            "Name of this run's piece of each shard (default: the first LOG's base name)", "NAME" },
          { "shard-format", 0, 0, G_OPTION_ARG_STRING, &shard_format,
            "Shard files as gzip XES (default) or gzip CSV", "xes|csv" },
          { "json", 0, CX_CLI_OUTPUT_ONLY, G_OPTION_ARG_NONE, &json,
            "Print a JSON summary of the shards written", NULL },
          { NULL } };
  CxCliCommand cmd = { .name = "partition",
                       .parameter = "LOG… - split a log into K shards by case id",
                       .description = description,
                       .entries = entries,
                       .read = &r };
  int parse_rc = cx_cli_command_parse(cli, &cmd, &argc, &argv);
  if (parse_rc >= 0)
    return parse_rc;
  g_autofree char *out_dir = dir;
  g_autofree char *piece_name = piece;
  g_autofree char *fmt_name = shard_format;
  const char *usage = NULL;
  g_autofree char *usage_msg = NULL;
  CxLogWriteFormat format = CX_LOG_WRITE_XES;
  if (fmt_name != NULL) {
    if (g_ascii_strcasecmp(fmt_name, "csv") == 0)
      format = CX_LOG_WRITE_CSV;
    else if (g_ascii_strcasecmp(fmt_name, "xes") != 0)
      usage = usage_msg = g_strdup_printf("--shard-format: '%s' is not xes or csv", fmt_name);
  }
  if (usage == NULL && (shards < 1 || shards > MAX_SHARDS))
    usage = usage_msg = g_strdup_printf("--shards: %d is not a number of shards from 1 to %d",
                                        shards, MAX_SHARDS);
  else if (usage == NULL && out_dir == NULL)
    usage = "-o DIR is required";
  else if (usage == NULL && argc < 2)
    usage = "no LOG given";
  else if (usage == NULL && cx_filter_chain_whole_log(r.opts.filters) != NULL)
    usage = usage_msg = g_strdup_printf("%s needs the whole log and cannot be applied per shard",
                                        cx_filter_chain_whole_log(r.opts.filters));
  else if (usage == NULL && piece_name != NULL && !piece_ok(piece_name))
    usage = usage_msg = g_strdup_printf(
        "--piece: '%s' must be a file name (not empty, no '/', no leading '.')", piece_name);
  if (usage != NULL) {
    cx_cli_read_clear(&r);
    return cx_cli_usage("partition", "%s", usage);
  }
  if (piece_name == NULL)
    piece_name = default_piece(argv[1]);
  if (!piece_ok(piece_name)) {
    g_free(piece_name);
    piece_name = g_strdup("log");
  }
  int rc;
  g_autoptr(CxLog) log = cx_cli_export_log(&r, "partition", argv + 1, &rc);
  if (log == NULL)
    return rc;
  g_autoptr(GError) error = NULL;

  if (g_mkdir_with_parents(out_dir, 0777) != 0) {
    int e = errno;
    fprintf(stderr, "cxmine: %s: cannot create the folder: %s\n", out_dir, g_strerror(e));
    return CX_EXIT_FAIL;
  }
  Partition p = { 0 };
  p.log = log;
  p.k = (guint)shards;
  p.format = format;
  p.buffer_size = MAX(BUFFER_BUDGET / p.k, 16 * 1024);
  p.paths = g_new0(char *, p.k + 1);
  p.writers = g_new0(CxLogWriter *, p.k);
  for (guint i = 0; i < p.k; i++)
    p.paths[i] = g_strdup_printf("%s/shard-%04u-of-%04u.%s.%s", out_dir, i, p.k, piece_name,
                                 format == CX_LOG_WRITE_CSV ? "csv.gz" : "xes.gz");
  gboolean ok = open_writers(&p, &error) && cx_log_scan(log, add, reset, &p, &error);
  if (ok && p.reset_error != NULL) {
    g_propagate_error(&error, g_steal_pointer(&p.reset_error));
    ok = FALSE;
  }
  if (ok)
    ok = cx_log_writer_close_all(p.writers, p.k, &error);

  rc = CX_EXIT_OK;
  if (!ok) {
    cx_cli_error(error);
    rc = CX_EXIT_FAIL;
  } else {
    g_autoptr(GString) text = g_string_new(NULL);
    summary(&p, json, out_dir, piece_name, text);
    rc = cx_cli_emit(cli, "-", text);
  }
  for (guint i = 0; i < p.k; i++)
    cx_log_writer_free(p.writers[i]);
  g_free(p.writers);
  g_strfreev(p.paths);
  g_clear_error(&p.reset_error);
  return rc;
}
