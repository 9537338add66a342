/* cxmine — the CxLog's insides, shared by scan.c and sink.c. */
#pragma once

#include "cxmine/reader.h"

G_BEGIN_DECLS

typedef struct {
  char *path; /* as given ("-" = standard input): the name in messages */
  CxFormat format;
  char *channel;
  char *spool; /* a copy in $TMPDIR when the source cannot be read twice, or NULL */
} CxSourceSpec;

typedef struct {
  guint32 key; /* id in keys */
  char *value; /* the value as written */
  gsize value_len;
  guint32 value_id; /* id in values */
} CxWhere;

struct _CxLog {
  CxReadOptions opts;
  GPtrArray *sources; /* CxSourceSpec* */
  CxPool *activities, *resources, *channels, *cases, *keys, *values;
  CxReadCounts counts;
  GTimeZone *naive_tz;
  GTimeZone *display_tz;        /* made on first use; NULL = UTC */
  struct _CxSurvey *survey;     /* set while explaining an empty selection (survey.c) */
  GArray *where;                /* CxWhere */
  GHashTable *allowed_variants; /* GBytes of guint32 activity ids -> NULL; NULL = all */
  GPtrArray *spools;            /* char*: spool files made by this log, removed when it is freed */
};

G_END_DECLS
