/* cxmine — the CxLog's insides, shared by scan.c and sink.c. */
#pragma once

#include "cxmine/reader.h"

G_BEGIN_DECLS

typedef struct {
  char *path;
  CxFormat format;
  char *channel;
} CxSourceSpec;

typedef struct {
  guint32 key; /* id in keys */
  char *value; /* the value as written */
  gsize value_len;
  guint32 value_id; /* id in values */
} CxWhere;

/* An attribute a caller wants per journey (CxReadOptions.attr_keys). */
typedef struct {
  guint32 out;  /* key id of the string as given ("KEY" or "KEY@last") */
  guint32 base; /* key id of KEY */
  guint slot;   /* its event value slot (one per distinct KEY) */
  gboolean last;
} CxWant;

struct _CxLog {
  CxReadOptions opts;
  GPtrArray *sources; /* CxSourceSpec* */
  CxPool *activities, *resources, *channels, *cases, *keys, *values;
  CxReadCounts counts;
  GTimeZone *naive_tz;
  GArray *where;                /* CxWhere */
  GHashTable *allowed_variants; /* GBytes of guint32 activity ids -> NULL; NULL = all */
  char *spool_path;             /* standard input copied for a second pass */
  GArray *want;                 /* CxWant; NULL until prepared */
  GArray *want_slots;           /* guint32 key id of each event value slot */
};

G_END_DECLS
