/* Test helper: builds a log's journeys from a compact text and feeds them
 * through the event sink to a CxJourneyFunc.
 *
 * One event per line: "CASE ACTIVITY HOURS [RESOURCE [CHANNEL]]", where
 * HOURS is a decimal number of hours after 2024-01-01T00:00Z (or
 * "START..END": an instance with a start, i.e. a service time) and '_' in
 * names stands for a space; "-" for RESOURCE means none. */
#pragma once

#include <check.h>
#include <string.h>
#include "cxmine/cxmine.h"
#include "reader-private.h"

#define JOURNEYS_T0 G_GINT64_CONSTANT(1704067200000000)

static inline void
journeys_feed(CxLog *log, const char *text, CxJourneyFunc func, gpointer data)
{
  g_autoptr(CxSink) sink = cx_sink_new(log, func, data);
  g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
  for (char **l = lines; *l != NULL; l++) {
    g_auto(GStrv) f = g_strsplit_set(g_strstrip(*l), " \t", -1);
    guint n = g_strv_length(f);
    if (n == 0 || f[0][0] == '\0')
      continue;
    ck_assert_uint_ge(n, 3);
    for (guint i = 0; i < n; i++)
      g_strdelimit(f[i], "_", ' ');
    CxRawEvent ev = { 0 };
    ev.activity = f[1];
    ev.activity_len = strlen(f[1]);
    char *end = NULL;
    ev.start = CX_TS_NONE;
    char *dots = strstr(f[2], "..");
    if (dots != NULL) {
      *dots = '\0';
      double h0 = g_ascii_strtod(f[2], &end);
      ck_assert(end != NULL && *end == '\0');
      ev.start = JOURNEYS_T0 + (gint64)(h0 * 3600.0 * 1e6);
      memmove(f[2], dots + 2, strlen(dots + 2) + 1);
    }
    double h = g_ascii_strtod(f[2], &end);
    ck_assert(end != NULL && *end == '\0');
    ev.time = JOURNEYS_T0 + (gint64)(h * 3600.0 * 1e6);
    ev.lifecycle = CX_LIFECYCLE_COMPLETE;
    if (n > 3 && strcmp(f[3], "-") != 0) {
      ev.resource = f[3];
      ev.resource_len = strlen(f[3]);
    }
    if (n > 4) {
      ev.channel = f[4];
      ev.channel_len = strlen(f[4]);
    }
    g_autoptr(GError) error = NULL;
    ck_assert_msg(cx_sink_row(sink, f[0], strlen(f[0]), &ev, NULL, &error), "%s",
                  error ? error->message : "");
  }
  g_autoptr(GError) error = NULL;
  ck_assert_msg(cx_sink_finish(sink, &error), "%s", error ? error->message : "");
}
