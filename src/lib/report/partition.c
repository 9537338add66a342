/* Cutting a log into K shard files by a stable hash of the case id, so that
 * every case lies in exactly one shard. */
#include "cxmine/partition.h"
#include "cxmine/json-writer.h"
#include "cxmine/output.h"
#include <errno.h>
#include <string.h>

/* the bytes all shard writers may buffer together before flushing */
#define BUFFER_BUDGET (64u * 1024 * 1024)

struct _CxPartition {
  CxLog *log;
  guint k;
  CxLogWriteFormat format;
  char *dir, *piece;
  char **paths;
  CxLogWriter **writers;
  gsize buffer_size;
  GError *reset_error; /* a writer that could not be made again after a reset */
};

/* FNV-1a, 64 bits, over the bytes of the case id: the same on every machine
 * and in every version, unlike GLib's string hash. */
guint
cx_partition_shard_of(const char *case_id, guint k)
{
  guint64 h = G_GUINT64_CONSTANT(14695981039346656037);
  for (const unsigned char *p = (const unsigned char *)case_id; *p != '\0'; p++) {
    h ^= *p;
    h *= G_GUINT64_CONSTANT(1099511628211);
  }
  return (guint)(h % k);
}

gboolean
cx_partition_piece_ok(const char *s)
{
  return s[0] != '\0' && s[0] != '.' && strchr(s, '/') == NULL;
}

char *
cx_partition_default_piece(const char *path)
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
  if (!cx_partition_piece_ok(base))
    return g_strdup("log");
  return g_steal_pointer(&base);
}

static const char *
extension(const CxPartition *p)
{
  return p->format == CX_LOG_WRITE_CSV ? "csv.gz" : "xes.gz";
}

static gboolean
open_writers(CxPartition *p, GError **error)
{
  for (guint i = 0; i < p->k; i++) {
    g_clear_pointer(&p->writers[i], cx_log_writer_free);
    p->writers[i] = cx_log_writer_new(p->log, p->paths[i], p->format, p->buffer_size, error);
    if (p->writers[i] == NULL)
      return FALSE;
  }
  return TRUE;
}

CxPartition *
cx_partition_new(CxLog *log, guint k, const char *dir, const char *piece, CxLogWriteFormat format,
                 GError **error)
{
  g_return_val_if_fail(k >= 1 && k <= CX_PARTITION_MAX_SHARDS, NULL);
  if (g_mkdir_with_parents(dir, 0777) != 0) {
    int e = errno;
    g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(e), "%s: cannot create the folder: %s",
                dir, g_strerror(e));
    return NULL;
  }
  g_autoptr(CxPartition) p = g_new0(CxPartition, 1);
  p->log = log;
  p->k = k;
  p->format = format;
  p->dir = g_strdup(dir);
  p->piece = g_strdup(piece);
  p->buffer_size = MAX(BUFFER_BUDGET / k, 16 * 1024);
  p->paths = g_new0(char *, k + 1);
  p->writers = g_new0(CxLogWriter *, k);
  for (guint i = 0; i < k; i++)
    p->paths[i] = g_strdup_printf("%s/shard-%04u-of-%04u.%s.%s", dir, i, k, piece, extension(p));
  if (!open_writers(p, error))
    return NULL;
  return g_steal_pointer(&p);
}

void
cx_partition_free(CxPartition *p)
{
  if (p == NULL)
    return;
  for (guint i = 0; i < p->k; i++)
    cx_log_writer_free(p->writers[i]);
  g_free(p->writers);
  g_strfreev(p->paths);
  g_free(p->dir);
  g_free(p->piece);
  g_clear_error(&p->reset_error);
  g_free(p);
}

gboolean
cx_partition_add(const CxJourney *j, gpointer data, GError **error)
{
  CxPartition *p = data;
  if (p->reset_error != NULL) {
    g_propagate_error(error, g_steal_pointer(&p->reset_error));
    return FALSE;
  }
  guint s = cx_partition_shard_of(cx_pool_get(cx_log_cases(p->log), j->case_id), p->k);
  return cx_log_writer_add(j, p->writers[s], error);
}

/* The scan starts over (a streamed XES repeated a case id): start every shard
 * afresh. */
void
cx_partition_reset(gpointer data)
{
  CxPartition *p = data;
  if (p->reset_error == NULL)
    open_writers(p, &p->reset_error);
}

gboolean
cx_partition_close(CxPartition *p, GError **error)
{
  if (p->reset_error != NULL) {
    g_propagate_error(error, g_steal_pointer(&p->reset_error));
    return FALSE;
  }
  return cx_log_writer_close_all(p->writers, p->k, error);
}

static void
totals(const CxPartition *p, guint64 *cases, guint64 *events)
{
  *cases = *events = 0;
  for (guint i = 0; i < p->k; i++) {
    *cases += cx_log_writer_cases(p->writers[i]);
    *events += cx_log_writer_events(p->writers[i]);
  }
}

void
cx_partition_to_json(const CxPartition *p, GString *out)
{
  guint64 cases, events;
  totals(p, &cases, &events);
  g_autoptr(CxJson) j = cx_json_new(out, TRUE);
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
  g_string_append_c(out, '\n');
}

void
cx_partition_to_text(const CxPartition *p, GString *out)
{
  guint64 cases, events;
  totals(p, &cases, &events);
  g_autofree char *c = cx_format_count(cases);
  g_autofree char *e = cx_format_count(events);
  g_string_append_printf(out,
                         "wrote %s cases, %s events into %u shards: %s/shard-*-of-%04u.%s.%s\n", c,
                         e, p->k, p->dir, p->k, p->piece, extension(p));
}
