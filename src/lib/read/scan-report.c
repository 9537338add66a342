/* What a scan has to say about its sources: time zones assumed, day/month
 * orders guessed, daylight-saving corrections, duplicates.  Each is one
 * warning naming the files; with CxReadOptions.strict they are one error. */
#include "log-private.h"
#include <string.h>

static const char *
name_of(const CxLog *log, const CxSourceSpec *spec)
{
  return strcmp(spec->path, "-") == 0 ? "<stdin>" : spec->path;
}

typedef gboolean (*SourcePick)(const CxLog *log, const CxSourceSpec *spec);

/* The names of the sources @pick accepts, "a.csv, b.csv and 3 more"; NULL when none. */
static char *
names(const CxLog *log, SourcePick pick)
{
  GString *s = NULL;
  guint n = 0;
  for (guint i = 0; i < log->sources->len; i++) {
    const CxSourceSpec *spec = g_ptr_array_index(log->sources, i);
    if (!pick(log, spec))
      continue;
    if (s == NULL)
      s = g_string_new(NULL);
    if (n < 5)
      g_string_append_printf(s, "%s%s", n > 0 ? ", " : "", name_of(log, spec));
    n++;
  }
  if (n > 5)
    g_string_append_printf(s, " and %u more", n - 5);
  return s != NULL ? g_string_free(s, FALSE) : NULL;
}

/* naive times read as UTC because nothing said otherwise */
static gboolean
pick_naive_utc(const CxLog *log, const CxSourceSpec *spec)
{
  return spec->naive && spec->eff.timezone == NULL;
}

/* naive times read in the command line's zone (not the file's own) */
static gboolean
pick_naive_global_zone(const CxLog *log, const CxSourceSpec *spec)
{
  return spec->naive && spec->eff.timezone != NULL
         && (spec->over == NULL || spec->over->timezone == NULL);
}

static gboolean
pick_offsets(const CxLog *log, const CxSourceSpec *spec)
{
  return spec->offsets;
}

static gboolean
pick_guessed(const CxLog *log, const CxSourceSpec *spec)
{
  return spec->guessed > 0;
}

static gboolean
pick_dst(const CxLog *log, const CxSourceSpec *spec)
{
  return spec->dst_gap + spec->dst_repeated > 0;
}

static gboolean
pick_dups(const CxLog *log, const CxSourceSpec *spec)
{
  return spec->duplicates > 0;
}

static void
say(CxLog *log, GPtrArray *errors, const char *code, char *message)
{
  if (log->opts.strict)
    g_ptr_array_add(errors, message);
  else {
    cx_notice(&log->opts, CX_NOTICE_WARNING, code, "%s", message);
    g_free(message);
  }
}

gboolean
cx_log_report_sources(CxLog *log, GError **error)
{
  const CxReadCounts *rc = &log->counts;
  g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func(g_free);
  g_autofree char *naive = names(log, pick_naive_utc);
  if (naive != NULL)
    say(log, errors, "naive-times",
        g_strdup_printf("timestamps without offset in %s were read as UTC: pass --timezone ZONE "
                        "(or a timezone key in the sources file) if they are local times",
                        naive));
  g_autofree char *zoned = names(log, pick_naive_global_zone);
  g_autofree char *offsets = names(log, pick_offsets);
  if (zoned != NULL && offsets != NULL)
    say(log, errors, "mixed-zones",
        g_strdup_printf("timestamps without offset in %s were read in %s while %s carry their "
                        "offsets: if those exports come from different zones, give each file its "
                        "own timezone in a sources file",
                        zoned, log->opts.timezone, offsets));
  g_autofree char *guessed = names(log, pick_guessed);
  if (guessed != NULL)
    say(log, errors, "dates-guessed",
        g_strdup_printf("the day/month order of the timestamps in %s could not be decided from "
                        "the data: %" G_GUINT64_FORMAT " values were read day-first (pass "
                        "--timestamp-format, e.g. '%%m/%%d/%%Y %%H:%%M')",
                        guessed, rc->dates_guessed));
  g_autofree char *dst = names(log, pick_dst);
  if (dst != NULL)
    say(log, errors, "dst",
        g_strdup_printf("%" G_GUINT64_FORMAT " local times in %s fell in a daylight-saving gap "
                        "(read with the offset before the change) and %" G_GUINT64_FORMAT
                        " in the repeated autumn hour (read as its first, summer-time reading): "
                        "their true order cannot be known",
                        rc->dst_gap, dst, rc->dst_repeated));
  g_autofree char *dups = names(log, pick_dups);
  if (dups != NULL && !log->opts.dedupe)
    say(log, errors, "duplicates",
        g_strdup_printf("%" G_GUINT64_FORMAT " duplicate events in %s (the same case, activity, "
                        "transition, time and resource as an earlier event): pass --dedupe to "
                        "drop them",
                        rc->duplicates, dups));
  else if (dups != NULL && log->opts.verbose)
    cx_notice(&log->opts, CX_NOTICE_VERBOSE, "duplicates",
              "dropped %" G_GUINT64_FORMAT " duplicate events (in %s)", rc->duplicates, dups);
  if (errors->len == 0)
    return TRUE;
  g_ptr_array_add(errors, NULL);
  g_autofree char *all = g_strjoinv("; ", (char **)errors->pdata);
  g_set_error(error, CX_READER_ERROR, CX_READER_ERROR_VALUE, "%s (--strict)", all);
  return FALSE;
}
