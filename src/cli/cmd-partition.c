/* cxmine partition: split a log into K shard files by a stable hash of the
 * case id, so that every case lies in exactly one shard. */
#include "cmd.h"
#include "cxmine/partition.h"

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
  if (usage == NULL && (shards < 1 || shards > CX_PARTITION_MAX_SHARDS))
    usage = usage_msg = g_strdup_printf("--shards: %d is not a number of shards from 1 to %d",
                                        shards, CX_PARTITION_MAX_SHARDS);
  else if (usage == NULL && out_dir == NULL)
    usage = "-o DIR is required";
  else if (usage == NULL && argc < 2)
    usage = "no LOG given";
  else if (usage == NULL && cx_filter_chain_whole_log(r.opts.filters) != NULL)
    usage = usage_msg = g_strdup_printf("%s needs the whole log and cannot be applied per shard",
                                        cx_filter_chain_whole_log(r.opts.filters));
  else if (usage == NULL && piece_name != NULL && !cx_partition_piece_ok(piece_name))
    usage = usage_msg = g_strdup_printf(
        "--piece: '%s' must be a file name (not empty, no '/', no leading '.')", piece_name);
  if (usage != NULL) {
    cx_cli_read_clear(&r);
    return cx_cli_usage("partition", "%s", usage);
  }
  if (piece_name == NULL)
    piece_name = cx_partition_default_piece(argv[1]);
  int rc;
  g_autoptr(CxLog) log = cx_cli_export_log(&r, "partition", argv + 1, &rc);
  if (log == NULL)
    return rc;
  g_autoptr(GError) error = NULL;

  g_autoptr(CxPartition) p
      = cx_partition_new(log, (guint)shards, out_dir, piece_name, format, &error);
  if (p == NULL || !cx_log_scan(log, cx_partition_add, cx_partition_reset, p, &error)
      || !cx_partition_close(p, &error)) {
    cx_cli_error(error);
    return CX_EXIT_FAIL;
  }
  g_autoptr(GString) text = g_string_new(NULL);
  if (json)
    cx_partition_to_json(p, text);
  else
    cx_partition_to_text(p, text);
  return cx_cli_emit(cli, "-", text);
}
