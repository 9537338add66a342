/* cxmine — the XES reader's internals, shared by its files:
 *   xes-reader.c  the driver: the push parser, its errors, the chunks fed to it
 *   xes-sax.c     the SAX2 callbacks: elements, the event and trace in flight
 *   xes-header.c  the log's header: globals, classifiers, the attribute slots
 *   xes-values.c  typed values: character references, timestamps, canonical text
 */
#pragma once

#include "reader-private.h"
#include "tag-guard-private.h"
#include <libxml/parser.h>
#include <string.h>

G_BEGIN_DECLS

#define MAX_DEPTH   256
#define MAX_VALUE   (1024 * 1024)
#define MAX_SLOTS   32
#define MAX_KEY_LEN 63 /* longer keys are matched by the slow loop */
#define MAX_TGLOBAL 64

typedef enum {
  K_NONE = 0,
  K_LOG,
  K_TRACE,
  K_EVENT,
  K_GLOBAL,
  K_CLASSIFIER,
  K_ATTR,
  K_IGNORED, /* <extension> and other known leaf elements */
} Kind;

typedef enum {
  T_STRING,
  T_DATE,
  T_INT,
  T_FLOAT,
  T_BOOL,
  T_ID,
  T_LIST,
  T_CONTAINER,
} AttrType;
/* the scalar types are CxAttrType's */
G_STATIC_ASSERT((int)T_DATE == (int)CX_ATTR_DATE && (int)T_ID == (int)CX_ATTR_ID
                && (int)T_BOOL == (int)CX_ATTR_BOOLEAN);

typedef enum {
  ROLE_ACTIVITY,
  ROLE_RESOURCE,
  ROLE_CHANNEL,
  ROLE_LIFECYCLE,
  ROLE_TIME,
} Role;

typedef struct {
  char *key;
  gsize key_len;
  guint64 head, tail; /* the key's first and last (up to) eight bytes, for a quick match */
  Role role;
  const char *def; /* event global default, or NULL */
  gsize def_len;
} Slot;

typedef struct {
  gboolean trace_scope;
  char *key, *value;
  gsize key_len, value_len;
  guint flags; /* event scope: CX_SINK_ATTR_MAPPED when a slot maps the key (set with the slots) */
} Global;

typedef struct {
  char *name, *keys;
} Classifier;

typedef struct {
  xmlParserCtxtPtr ctxt;
  CxInput *in;
  CxSink *sink;
  const CxReadOptions *opts;
  GTimeZone *tz;
  gboolean wants_attrs;
  GError *error;
  gboolean failed;
  gboolean at_eof;
  gboolean saw_root;
  gboolean chunk;     /* one chunk of a file on a worker (cx_xes_read_from) */
  gboolean all_blank; /* every byte so far was white space */
  CxTagGuard guard;   /* start tags are bounded before libxml2 parses them */

  /* interned names */
  const xmlChar *n_log, *n_trace, *n_event, *n_global, *n_classifier, *n_extension, *n_key,
      *n_value, *n_scope, *n_name, *n_keys;
  const xmlChar *n_type[T_CONTAINER + 1];

  guint depth;
  guint skip_from; /* depth of the element whose subtree is skipped; 0 = none */
  guint8 kinds[MAX_DEPTH + 2];
  const xmlChar *names[MAX_DEPTH + 2];

  /* header */
  GPtrArray *globals;     /* Global* */
  GPtrArray *classifiers; /* Classifier* */
  gboolean global_trace_scope;
  gboolean resolved;
  Slot slots[MAX_SLOTS];
  guint32 slots_by_len[MAX_KEY_LEN + 1]; /* bit i: slot i's key has that length */
  gboolean slot_amp;                     /* some slot key has an '&' */
  guint n_slots;
  guint n_activity;    /* the first n_activity slots are the activity keys */
  const char *act_sep; /* between their values: "+" (classifier) or " | " */
  const Global *tglobals[MAX_TGLOBAL];
  guint n_tglobals;
  const Global *eglobals[MAX_TGLOBAL]; /* event-scope defaults, for wants_attrs */
  guint n_eglobals;

  /* the trace and event in flight */
  guint64 trace_seen; /* trace globals present in this trace */
  guint64 event_seen; /* event globals present in this event (wants_attrs) */
  guint32 ev_set;     /* slots with a value in this event */
  gsize ev_off[MAX_SLOTS], ev_len[MAX_SLOTS];
  gint64 ev_time;
  gboolean ev_drop;
  GString *evbuf;  /* values of the event in flight */
  GString *actbuf; /* a joined activity */
  GString *canon;  /* canonical text of a typed value */
  GString *dec_key, *dec_value;
} CxXesReader;

/* cx_xes_read() with the first @n bytes of @in (@n > 0) already taken
 * into @buf.  With @chunk, the input is one chunk of a file read on several
 * threads (xes-split.c): the log's header, some traces, the log's end tag;
 * anything but a trace in the log after the first trace is then an error,
 * so that the scan reads that file again on one thread. */
gboolean cx_xes_read_from(CxInput *in, const char *buf, gsize n, CxSink *sink,
                          const CxReadOptions *opts, gboolean chunk, GError **error);

void cx_xes_global_free(gpointer p);
void cx_xes_classifier_free(gpointer p);

/* Fails the read with "FILE:LINE:COL: message" at the parser's position
 * (the first failure wins) and stops the parser. */
void cx_xes_fail(CxXesReader *r, int code, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
/* Quotes at most 60 bytes of a value for a message, replacing control bytes. */
char *cx_xes_shorten(const char *v, gsize len);

/* SAX2 element callbacks (xes-sax.c). */
void cx_xes_on_start(void *data, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri,
                     int nb_ns, const xmlChar **ns, int nb_attrs, int nb_defaulted,
                     const xmlChar **attrs);
void cx_xes_on_end(void *data, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri);

/* The header (xes-header.c): decides which attribute keys fill which event
 * field; called when the header is over (at the first trace or at the end
 * of the log). */
gboolean cx_xes_resolve(CxXesReader *r);
/* An attribute of a <global>. */
void cx_xes_global_attr(CxXesReader *r, AttrType type, const char *key, gsize klen, const char *v,
                        gsize vlen);

/* Values (xes-values.c). */
const char *cx_xes_decode_refs(GString *buf, const char *v, gsize *len);
gboolean cx_xes_parse_time(CxXesReader *r, const char *v, gsize len, gint64 *out);
const char *cx_xes_canonical_typed(CxXesReader *r, AttrType type, const char *v, gsize *len);

/* With entity substitution off libxml2 hands '&' in attribute values on as
 * "&#38;"; everything else arrives decoded. */
static inline const char *
cx_xes_decode(GString *buf, const char *v, gsize *len)
{
  if (memchr(v, '&', *len) == NULL)
    return v;
  return cx_xes_decode_refs(buf, v, len);
}

/* The value in a canonical text form: strings as they are, numbers and
 * booleans normalised. */
static inline const char *
cx_xes_canonical(CxXesReader *r, AttrType type, const char *v, gsize *len)
{
  if (type == T_STRING || type == T_ID || *len == 0 || *len > 64)
    return v;
  return cx_xes_canonical_typed(r, type, v, len);
}

/* The type the sink records for a value cx_xes_canonical() gave as @c from @v: a
 * date, number or boolean it could not read (returned unchanged) is not a
 * value of its declared type, so it is exported as a string. */
static inline guint
cx_xes_value_type(AttrType type, const char *c, const char *v)
{
  gboolean scalar = type == T_DATE || type == T_INT || type == T_FLOAT || type == T_BOOL;
  return scalar && c == v ? (guint)T_STRING : (guint)type;
}

/* Up to eight bytes of @s from @at, zero-padded. */
static inline guint64
cx_xes_word_at(const char *s, gsize len, gsize at)
{
  guint64 w = 0;
  gsize n = len - at;
  if (n >= 8) {
    memcpy(&w, s + at, 8);
    return w;
  }
  if (n >= 4) { /* two overlapping loads: a different packing, the same for equal keys */
    guint32 a, b;
    memcpy(&a, s + at, 4);
    memcpy(&b, s + at + n - 4, 4);
    return a | (guint64)b << 32;
  }
  for (gsize i = 0; i < n; i++)
    w |= (guint64)(guint8)s[at + i] << (8 * i);
  return w;
}

/* TRUE when @key equals the slot's key: two word compares settle keys of up
 * to sixteen bytes, which is nearly all of them. */
static inline gboolean
cx_xes_slot_matches(const Slot *s, const char *key, gsize klen)
{
  if (s->key_len != klen || cx_xes_word_at(key, klen, 0) != s->head
      || cx_xes_word_at(key, klen, klen > 8 ? klen - 8 : 0) != s->tail)
    return FALSE;
  return klen <= 16 || memcmp(s->key + 8, key + 8, klen - 16) == 0;
}

G_END_DECLS
