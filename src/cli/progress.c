/* The progress line on a terminal: "reading FILE: 42%" on standard error,
 * redrawn in place while a big file is read and cleared when it is done;
 * then "spilling grouped events to disk: 120 MiB" and "merging grouped
 * events: 42%" when they went past --memory, or "building journeys: 42%"
 * while grouped events in memory are handed on; then the analysis's steps
 * ("finding frictions: 40%", "drawing the map with dot…"). */
#include "cmd.h"
#include <stdio.h>
#include <unistd.h>

/* smaller files are read before a line would be worth drawing */
#define PROGRESS_MIN_SIZE (32 * 1024 * 1024)

static void
print_progress(const CxProgress *p, gpointer user_data)
{
  (void)user_data;
  if (p->phase == CX_PROGRESS_READ && p->total <= PROGRESS_MIN_SIZE)
    return;
  if (p->finished) {
    fputs("\r\033[K", stderr);
    return;
  }
  switch (p->phase) {
    case CX_PROGRESS_READ:
      fprintf(stderr, "\r\033[Kreading %s: %d%%", p->name, (int)(p->done * 100 / p->total));
      break;
    case CX_PROGRESS_SPILL:
      fprintf(stderr, "\r\033[Kspilling %s to disk: %" G_GUINT64_FORMAT " MiB", p->name,
              p->done >> 20);
      break;
    case CX_PROGRESS_MERGE:
      if (p->total > 0)
        fprintf(stderr, "\r\033[Kmerging %s: %d%%", p->name, (int)(p->done * 100 / p->total));
      break;
    case CX_PROGRESS_BUILD:
      fprintf(stderr, "\r\033[Kbuilding journeys: %d%%", (int)(p->done * 100 / MAX(p->total, 1)));
      break;
    case CX_PROGRESS_ANALYSE:
      /* a step that ends at once is drawn and cleared before a person
       * could see it; one that takes seconds stays on the line */
      if (p->total > 0)
        fprintf(stderr, "\r\033[K%s: %d%%", p->name, (int)(p->done * 100 / p->total));
      else
        fprintf(stderr, "\r\033[K%s…", p->name);
      break;
  }
}

CxProgressFunc
cx_cli_progress_func(void)
{
  /* only a person at a terminal wants a line that redraws itself */
  return isatty(STDERR_FILENO) ? print_progress : NULL;
}

void
cx_cli_progress_install(CxReadOptions *opts)
{
  CxProgressFunc f = cx_cli_progress_func();
  if (f != NULL) {
    opts->progress = f;
    opts->progress_data = NULL;
  }
}
