/* cxmine — the command line: global options and the command table. */
#include "cmd.h"
#include <locale.h>
#include <stdio.h>
#include <string.h>

typedef struct {
  const char *name;
  int (*run)(CxCli *cli, int argc, char **argv);
  const char *summary;
} Command;

static const Command commands[] = {
  { "stats", cx_cmd_stats, "summary statistics of a log" },
  { "variants", cx_cmd_variants, "the variants (activity sequences) of a log" },
  { "dfg", cx_cmd_dfg, "the directly-follows graph (process map) as DOT or JSON" },
  { "compare", cx_cmd_compare, "before vs after, or segments of one log, with significance tests" },
  { "friction", cx_cmd_friction, "where customers get stuck, ranked by impact" },
  { "cases", cx_cmd_cases, "one line per journey: start, end, duration, steps, outcome" },
  { "trend", cx_cmd_trend, "journeys per day, week or month: volume, duration, outcomes" },
  { "resources", cx_cmd_resources, "who does the work and who hands cases to whom" },
  { "filter", cx_cmd_filter, "write the journeys the filters keep as an XES or CSV log" },
  { "partition", cx_cmd_partition, "split logs into K shard files by case id, for scale-out" },
  { "report", cx_cmd_report, "one self-contained HTML journey report to open and forward" },
  { "merge", cx_cmd_merge, "merge partials (COMMAND --partial FILE) into the command's report" },
};

static void
usage(FILE *out)
{
  fprintf(out, "Usage: cxmine COMMAND [OPTION…] LOG…\n\n"
               "Mine customer journeys from event logs (XES, XES.gz, CSV).\n\n"
               "Commands:\n");
  for (gsize i = 0; i < G_N_ELEMENTS(commands); i++)
    fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
  fprintf(out, "\nOptions:\n"
               "  -h, --help     show this help\n"
               "  --version      show the version\n\n"
               "Examples:\n"
               "  cxmine stats fixtures/sample/customer-journeys.xes.gz\n"
               "  cxmine variants --top 5 --json log.xes.gz\n"
               "  cxmine stats --case 'Case ID' --activity Activity crm.csv\n\n"
               "Run 'cxmine COMMAND --help' for a command's options.\n");
}

int
main(int argc, char **argv)
{
  setlocale(LC_ALL, "");
  cx_cli_guard_init();
  if (argc < 2) {
    usage(stderr);
    return CX_EXIT_USAGE;
  }
  if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0
      || strcmp(argv[1], "help") == 0) {
    usage(stdout);
    return CX_EXIT_OK;
  }
  if (strcmp(argv[1], "--version") == 0) {
    printf("cxmine %s\n", CX_VERSION);
    return CX_EXIT_OK;
  }
  for (gsize i = 0; i < G_N_ELEMENTS(commands); i++)
    if (strcmp(argv[1], commands[i].name) == 0) {
      /* GOption's "Usage:" line and messages name the program: cxmine COMMAND */
      g_autofree char *prg = g_strdup_printf("cxmine %s", commands[i].name);
      g_set_prgname(prg);
      CxCli cli;
      cx_cli_init(&cli);
      int rc = commands[i].run(&cli, argc - 1, argv + 1);
      cx_cli_clear(&cli);
      return rc;
    }
  g_autoptr(CxSuggest) near = cx_suggest_new(argv[1]);
  for (gsize i = 0; i < G_N_ELEMENTS(commands); i++)
    cx_suggest_add(near, commands[i].name);
  g_autofree char *hint = cx_suggest_phrase(near, 3);
  fprintf(stderr, "cxmine: unknown %s '%s'%s\nTry 'cxmine --help'.\n",
          argv[1][0] == '-' ? "option" : "command", argv[1], hint);
  return CX_EXIT_USAGE;
}
