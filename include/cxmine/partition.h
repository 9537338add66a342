/* cxmine — cutting a log into K shard files by case id (cxmine partition).
 *
 * A case goes to shard FNV-1a-64(case id bytes) mod K, so every case's
 * events land in one shard, on every machine and in every version.  Shard i
 * of one run is written to DIR/shard-IIII-of-KKKK.PIECE.xes.gz (or .csv.gz),
 * atomically (cxmine/log-writer.h); runs with different PIECE names add
 * pieces to the same shards.  The shards keep what the log writer keeps. */
#pragma once

#include <glib.h>
#include "cxmine/log-writer.h"
#include "cxmine/reader.h"

G_BEGIN_DECLS

#define CX_PARTITION_MAX_SHARDS 4096

typedef struct _CxPartition CxPartition;

/* The shard of @case_id among @k. */
guint cx_partition_shard_of(const char *case_id, guint k);
/* TRUE when @piece can name a piece: not empty, no '/', no leading '.'. */
gboolean cx_partition_piece_ok(const char *piece);
/* The default piece name: @path's base name without its log extensions
 * (.gz, .xes, .csv, .txt), "stdin" for "-"; "log" when that is no name. */
char *cx_partition_default_piece(const char *path);

/* Makes @dir (and its parents) and opens the @k (1 ..
 * CX_PARTITION_MAX_SHARDS) shard writers of piece @piece.  NULL with @error
 * set when the folder or a file cannot be made.  @log is not owned. */
CxPartition *cx_partition_new(CxLog *log, guint k, const char *dir, const char *piece,
                              CxLogWriteFormat format, GError **error);
void cx_partition_free(CxPartition *p);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CxPartition, cx_partition_free)

/* The journey callbacks of cx_log_scan(): a reset starts every shard afresh. */
gboolean cx_partition_add(const CxJourney *journey, gpointer p, GError **error);
void cx_partition_reset(gpointer p);
/* Finishes every shard file (renamed into place only when all succeeded). */
gboolean cx_partition_close(CxPartition *p, GError **error);

/* What was written: per shard its path and counts (JSON), or one line. */
void cx_partition_to_json(const CxPartition *p, GString *out);
void cx_partition_to_text(const CxPartition *p, GString *out);

G_END_DECLS
