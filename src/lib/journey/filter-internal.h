/* cxmine — the filter module's insides, shared by filter.c, filter-parse.c
 * and filter-explain.c only. */
#pragma once

#include "filter-private.h"

G_BEGIN_DECLS

typedef enum {
  F_WINDOW,
  F_WHERE,
  F_KEEP_EVENTS,
  F_DURATION,
  F_STEPS,
  F_WAIT,
  F_FOLLOWS,
  F_VARIANT,
  F_SHARE,
  F_TOP,
  F_STARTS,
  F_ENDS,
} Kind;

typedef enum {
  W_DEFAULT = 0,
  W_CONTAINED,
  W_INTERSECTING,
  W_STARTED,
  W_COMPLETED,
  W_TRIM,
} WindowMode;

typedef enum { K_ATTR, K_ACTIVITY, K_RESOURCE, K_CHANNEL, K_CASE } KeyKind;
typedef enum { POS_ANY, POS_FIRST, POS_LAST } KeyPos;
typedef enum { A_EQ, A_RE, A_LT, A_LE, A_GT, A_GE, A_RANGE } AtomOp;

typedef struct {
  char *key; /* without @first/@last */
  KeyPos pos;
  AtomOp op;
  char *value;
  double num, lo, hi; /* A_LT..A_GE: num; A_RANGE: lo..hi (NAN = open) */
  GRegex *re;
  gsize col; /* 1-based column of the condition */
  /* resolved by prepare */
  KeyKind kind;
  guint32 key_id;
  guint slot;
  GArray *cache;  /* guint8 per id of the key's pool: 0 untested, 1 false, 2 true */
  GArray *tcache; /* the same for a mapped field's trace attribute (values pool) */
  guint32 jval;   /* @first/@last in an event filter: the journey's value */
  guint64 hits;   /* journeys (or events) it held for */
} Atom;

typedef enum { N_ATOM, N_AND, N_OR, N_NOT } NodeKind;

typedef struct Node {
  NodeKind kind;
  struct Node *a, *b;
  Atom *atom;
} Node;

/* an element of a variant pattern */
typedef struct {
  char *name; /* NULL: '?' (one) or '*' (any run) */
  gboolean any;
  guint32 id; /* G_MAXUINT32 until the name is in the log */
} Elem;

typedef struct {
  GBytes *key;
  guint count;
  gint64 first;
  guint32 example;
} VariantEntry;

typedef struct {
  Kind kind;
  char *name; /* for messages */
  gboolean from_to;
  /* window */
  char *from_s, *to_s;
  WindowMode mode;
  gint64 from, to;
  /* expressions */
  Node *expr;
  GPtrArray *atoms; /* Atom* (owned) */
  /* duration, steps, wait */
  gint64 lo, hi; /* G_MININT64 / G_MAXINT64 = open */
  /* wait, follows, starts, ends */
  Elem a, b;
  gboolean direct, negate, strict;
  gint64 within; /* 0 = none */
  /* variants */
  GArray *pattern; /* Elem */
  double share;
  guint top;
  GHashTable *table; /* GBytes -> VariantEntry* */
  GPtrArray *order;  /* VariantEntry* (owned) */
  GHashTable *allowed;
  guint64 counted;
  /* counts of the scan */
  guint64 cases_in, cases_kept, events_in, events_kept;
  /* what it was given, for an empty result (in the survey pass: the whole log) */
  guint64 alone; /* cases it keeps of the whole log, alone */
  gint64 tmin, tmax, fmax, dmin, dmax, wmin, wmax;
  guint smin, smax;
  guint64 with_a, with_pair;
  GArray *ends; /* guint64 per activity id: first (starts) or last (ends) activities */
} Filter;

struct _CxFilterChain {
  GPtrArray *filters; /* Filter* */
  WindowMode default_mode;
  gboolean prepared;
  int prepass;
  GArray *buf[2], *ibuf[2]; /* event filters write here, in turn */
  int cur;
  GString *scratch;
  guint64 surveyed; /* journeys of the survey pass */
};

/* Frees a Filter (a GPtrArray free function) and an expression tree. */
void cx_filter_free_one(gpointer filter);
void cx_filter_node_free(Node *n);
/* A whole number text as a double, locale-independently (g_ascii_strtod). */
gboolean cx_filter_parse_number(const char *s, double *out);
/* The pool the ids an atom is tested with come from. */
CxPool *cx_filter_atom_pool(CxLog *log, const Atom *a);

G_END_DECLS
