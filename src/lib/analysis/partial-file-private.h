/* cxmine — what the files of partial results share (partial.c: load and
 * write; partial-codec.c: the codec; partial-state.c: analysis state;
 * partial-replay.c: a log that reads partials).  The format is
 * docs/partial-format.md. */
#pragma once

#include "log-private.h"
#include "partial-private.h"
#include "varint-private.h"
#include "cxmine/partial.h"

G_BEGIN_DECLS

/* the header's fixed part: magic, version, total length */
#define HEAD_LEN (CX_PARTIAL_MAGIC_LEN + 4 + 8)
/* a string or list in a well-formed partial is never longer */
#define MAX_STRING ((guint32)1 << 30)

/* The string tables, in this order. */
enum { T_ACTIVITIES, T_RESOURCES, T_CHANNELS, T_KEYS, T_VALUES, N_TABLES };

/* The read counters, in their order in the file. */
#define N_COUNTS 22

/* what a segment holds */
enum { PAYLOAD_JOURNEYS = 0, PAYLOAD_STATE = 1 };

struct _CxPartialSegment {
  CxPartial *owner;
  guint32 payload;
  char *side;
  char **sources;
  guint64 counts[N_COUNTS];
  guint64 n_journeys;
  const guint8 *bytes;
  gsize len;
};

struct _CxPartial {
  char *path;
  GMappedFile *map;
  gsize size;
  char *command;
  char **options;
  char *producer;
  GPtrArray *tables[N_TABLES]; /* char*, index = id (0 = "") */
  GPtrArray *segments;         /* CxPartialSegment* */
};

/* Sets @error to "PATH: message" with @code; returns FALSE. */
gboolean cx_partial_fail(GError **error, CxPartialError code, const char *path, const char *fmt,
                         ...) G_GNUC_PRINTF(4, 5);

/* ---- the codec (partial-codec.c) ---- */

/* Little-endian integers; a string is its u32 length and its bytes. */
void cx_partial_put_u32(GByteArray *out, guint32 v);
void cx_partial_put_u64(GByteArray *out, guint64 v);
void cx_partial_put_str(GByteArray *out, const char *s);
/* Overwrites the u64 at @at. */
void cx_partial_set_u64(GByteArray *out, gsize at, guint64 v);

/* A bounded reader over the mapped file; the first failure sticks. */
typedef struct {
  const guint8 *p, *end;
  gboolean bad;
  const char *what; /* the section being read, for the message */
} CxPartialRd;

guint32 cx_partial_get_u32(CxPartialRd *r);
guint64 cx_partial_get_u64(CxPartialRd *r);
/* A string (a new copy, NUL-terminated) or NULL on a bad length. */
char *cx_partial_get_str(CxPartialRd *r);
/* A list: u32 count, then that many strings; NULL-terminated, or NULL. */
char **cx_partial_get_strv(CxPartialRd *r);

/* The CRC-32 (zlib's) of @n bytes. */
guint32 cx_partial_crc32(const guint8 *d, gsize n);

/* The read counters as the file holds them, and added back (sums, and
 * "any" for the two flags). */
void cx_partial_counts_to_array(const CxReadCounts *c, guint64 *a);
void cx_partial_counts_add(CxReadCounts *c, const guint64 *a);

/* The writer: segments being filled, and the attribute keys and values
 * they use (only those: a log's value pool may hold every trace attribute's
 * value, most of which no option asked for). */
typedef struct {
  CxLog *log;
  GPtrArray *segs;        /* partial.c's segments being written */
  GArray *key_map;        /* log key id -> local id + 1 (0 = not kept yet) */
  GArray *val_map;        /* log value id -> local id + 1 */
  GPtrArray *keys, *vals; /* local tables: strings owned by the log's pools */
  GHashTable *wanted;     /* log key ids (+1) of the attributes the options ask for */
} CxPartialWriter;

/* Appends the record of journey @j (case @case_name) to @out. */
void cx_partial_encode_journey(CxPartialWriter *w, GByteArray *out, const CxJourney *j,
                               const char *case_name);

/* Per segment: its tables' ids -> the target log's ids (interned on first use). */
typedef struct {
  const CxPartialSegment *seg;
  CxPool *pools[N_TABLES];
  GArray *map[N_TABLES]; /* guint32, G_MAXUINT32 = not yet interned */
} CxPartialRemap;

void cx_partial_remap_init(CxPartialRemap *m, CxLog *log, const CxPartialSegment *seg);
void cx_partial_remap_clear(CxPartialRemap *m);
/* The target log's id of id @id of table @t; FALSE when there is no such id. */
gboolean cx_partial_remap_id(CxPartialRemap *m, int t, guint64 id, guint32 *out);

/* Decodes the journey at *@p into @j (@events and @attrs are its storage)
 * with ids in @log's pools. FALSE on an impossible record. */
gboolean cx_partial_decode_journey(CxLog *log, CxPartialRemap *m, const guint8 **p,
                                   const guint8 *end, CxJourney *j, GArray *events, GArray *attrs);

/* ---- analysis state (partial-state.c) ---- */

/* The analysis whose state a partial of @command holds, or NULL. */
const CxPartialState *cx_partial_state_of(const char *command);

struct _CxPartialIn {
  const guint8 *p, *end;
  CxPartialRemap *m;
  CxLog *log;
  const char *why; /* cx_partial_in_refuse(), or NULL: corrupt */
};

/* ---- replay (partial-replay.c) ---- */

/* Replays every journey of the log's segments in canonical order (merging
 * a segment of state). With @begin, calls it before each segment. */
gboolean cx_partial_replay_segments(CxLog *log, CxJourneyFunc func, gpointer data,
                                    void (*begin)(const CxPartialSegment *, gpointer),
                                    GError **error);

G_END_DECLS
