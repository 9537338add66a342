/* cxmine — partial results: an analysis's mergeable state in a file.
 *
 * A partial holds what one run read from some shards of a log (see
 * docs/partial-format.md for the bytes): the command and the options that
 * change its results, the string tables (activities, resources, channels,
 * attribute keys and values) and, per segment (the sources one run read
 * together, and for compare its side), the read counters and every kept
 * journey as a compact record (varint ids, delta-coded times, the attribute
 * values the options asked for).  Merging replays the journeys of all
 * segments, in the order of their first source path, through the very code
 * path a single run uses (cx_log_add_partial() + cx_log_scan()), so the
 * merged report is the single run's: counts, sums and quantiles exact
 * (every sample is kept: quantile_rel_error 0), outcomes, thresholds and
 * findings decided after the merge over all journeys.  Merging is
 * associative and commutative: segments are put in a canonical order. */
#pragma once

#include <glib.h>
#include "cxmine/log.h"
#include "cxmine/reader.h"

G_BEGIN_DECLS

#define CX_PARTIAL_ERROR (cx_partial_error_quark())
GQuark cx_partial_error_quark(void);

typedef enum {
  CX_PARTIAL_ERROR_IO,        /* cannot open, read or write */
  CX_PARTIAL_ERROR_NOT,       /* not a partial: no magic number */
  CX_PARTIAL_ERROR_VERSION,   /* another format version */
  CX_PARTIAL_ERROR_TRUNCATED, /* shorter than its header says */
  CX_PARTIAL_ERROR_CORRUPT,   /* checksum mismatch or an impossible record */
  CX_PARTIAL_ERROR_MISMATCH,  /* another command, other options, a source twice */
} CxPartialError;

/* The format version this cxmine writes and reads. */
#define CX_PARTIAL_VERSION 1u
/* The 8 bytes every partial starts with. */
#define CX_PARTIAL_MAGIC                                                                           \
  "\x89"                                                                                           \
  "CXP\r\n\x1a\n"
#define CX_PARTIAL_MAGIC_LEN 8

typedef struct _CxPartial CxPartial;

/* Maps and checks the partial at @path: magic number, version, length,
 * CRC-32 and the structure of every section.  Errors name @path and what is
 * wrong ("truncated", "corrupt: checksum mismatch", ...).  Returns a new
 * partial (free with cx_partial_free()) or NULL. */
CxPartial *cx_partial_load(const char *path, GError **error);
void cx_partial_free(CxPartial *p);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CxPartial, cx_partial_free)

/* The path it was loaded from, the command ("stats", "dfg", ...) and the
 * canonical result-changing options (NULL-terminated; owned by @p). */
const char *cx_partial_path(const CxPartial *p);
const char *cx_partial_command(const CxPartial *p);
char **cx_partial_options(const CxPartial *p);
/* The sides its segments have ("" for all but compare's "before"/"after"):
 * TRUE when some segment has @side. */
gboolean cx_partial_has_side(const CxPartial *p, const char *side);
/* Journeys in all its segments, and the file's size in bytes. */
guint64 cx_partial_n_journeys(const CxPartial *p);
guint64 cx_partial_size(const CxPartial *p);

/* Fails (CX_PARTIAL_ERROR_MISMATCH) when @b cannot be merged with @a:
 * another command or other options. The message names @b's path, what
 * differs, and @a's path. */
gboolean cx_partial_check_compatible(const CxPartial *a, const CxPartial *b, GError **error);

/* Makes @log read @p's segments of @side ("" = those without a side, NULL = all)
 * instead of files: cx_log_scan() then replays their journeys (segments
 * ordered by their first source path; a source in two segments is an
 * error) and the counters are the segments' sums.  The segments' sources
 * become the log's sources (for cx_log_display_name()).  Takes a reference
 * to nothing: @p must outlive @log. */
void cx_log_add_partial(CxLog *log, CxPartial *p, const char *side);
/* TRUE when @log reads partials. */
gboolean cx_log_reads_partials(const CxLog *log);

/* Writes what cx_log_scan() gives of @log as a partial to @path (atomically):
 * one segment with the log's sources, or, when @log reads partials, all
 * their segments re-encoded with one set of tables (a merged partial).
 * @side names the segments' side ("" = none; ignored for a merged partial,
 * whose segments keep theirs). @options are the canonical result-changing
 * options (NULL-terminated). With @case_ids, a state that can list the
 * cases behind its results (dfg's nodes and edges) keeps them, so that
 * 'merge --case-ids' can; variants always keep them. Returns FALSE with
 * @error set on a read or write error. */
gboolean cx_partial_write(CxLog *log, const char *command, const char *side,
                          const char *const *options, gboolean case_ids, const char *path,
                          GError **error);

/* ---- the codec, for tests ---- */

/* Appends @v as an unsigned LEB128 varint. */
void cx_partial_put_varint(GByteArray *out, guint64 v);
/* Reads a varint at *@p (< @end), advancing *@p. FALSE when it runs past
 * @end or is longer than 10 bytes. */
gboolean cx_partial_get_varint(const guint8 **p, const guint8 *end, guint64 *v);

G_END_DECLS
