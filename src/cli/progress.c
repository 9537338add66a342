/* The progress line on a terminal: "reading FILE: 42%" on standard error,
 * redrawn in place while a big file is read and cleared when it is done;
 * then "spilling grouped events to disk: 120 MiB" and "merging grouped
 * events: 42%" when they went past --memory. */
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
  if (p->finished)
    fputs("\r\033[K", stderr);
  else if (p->phase == CX_PROGRESS_READ)
    fprintf(stderr, "\r\033[Kreading %s: %d%%", p->name, (int)(p->done * 100 / p->total));
  else if (p->phase == CX_PROGRESS_SPILL)
    fprintf(stderr, "\r\033[Kspilling %s to disk: %" G_GUINT64_FORMAT " MiB", p->name,
            p->done >> 20);
  else if (p->total > 0)
    fprintf(stderr, "\r\033[Kmerging %s: %d%%", p->name, (int)(p->done * 100 / p->total));
}

void
cx_cli_progress_install(CxReadOptions *opts)
{
  /* only a person at a terminal wants a line that redraws itself */
  if (isatty(STDERR_FILENO)) {
    opts->progress = print_progress;
    opts->progress_data = NULL;
  }
}
