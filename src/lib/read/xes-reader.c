/* The streaming XES reader (IEEE 1849-2016) over libxml2's SAX2 push parser.
 *
 * Only the event in flight is held: its interesting values (activity keys,
 * resource, channel, lifecycle, timestamp) are copied into one reusable
 * scratch buffer and pushed to the sink when </event> closes.  Element names
 * are compared as pointers into the parser's dictionary: libxml2 interns every
 * element and attribute name it reports, so "string" and "key" are looked up
 * once per parse and each callback does a few pointer compares.
 *
 * Decisions (documented here because they shape results):
 *  - elements are matched on local names, in any namespace (the XES one, the
 *    legacy deckfour one, or none);
 *  - a <date> time:timestamp that does not parse is an error (or, with
 *    skip_invalid, drops the event and counts it); a <string> timestamp is
 *    tried as ISO-8601 and as "yyyy/mm/dd HH:MM:SS(.fff)"; when that fails it
 *    is an error too, and with skip_invalid the event is kept untimed;
 *  - an event without time:timestamp is kept untimed (CX_TS_NONE);
 *  - <global> defaults apply to activity keys, resource, channel and
 *    lifecycle of events, and to every trace attribute; never to timestamps
 *    (a default time is a placeholder, not data);
 *  - nested attributes and list/container contents are skipped; the parent's
 *    own value (if any) is kept;
 *  - unknown elements are skipped with their contents; an <event> outside a
 *    <trace>, an event inside an event and a misplaced <trace>/<log> are errors;
 *  - entity declarations are errors (nothing is ever expanded).
 */
#include "reader-private.h"
#include "tag-guard-private.h"
#include "cxmine/timestamp.h"
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <string.h>

#define PARSE_SLICE (256 * 1024)
#define RELAY_AFTER (1024 * 1024)
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
  gsize fed;         /* bytes handed to the parser */
  gsize relay_after; /* fed bytes before the sink gets its own thread */
  gboolean relayed;
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
} Reader;

static void
global_free(gpointer p)
{
  Global *g = p;
  g_free(g->key);
  g_free(g->value);
  g_free(g);
}

static void
classifier_free(gpointer p)
{
  Classifier *c = p;
  g_free(c->name);
  g_free(c->keys);
  g_free(c);
}

static void fail(Reader *r, int code, const char *fmt, ...) G_GNUC_PRINTF(3, 4);

static void
fail_at(Reader *r, int code, int line, int col, const char *msg)
{
  if (r->failed)
    return;
  r->failed = TRUE;
  if (line > 0 && col > 0)
    g_set_error(&r->error, CX_READER_ERROR, code, "%s:%d:%d: %s", cx_input_name(r->in), line, col,
                msg);
  else if (line > 0)
    g_set_error(&r->error, CX_READER_ERROR, code, "%s:%d: %s", cx_input_name(r->in), line, msg);
  else
    g_set_error(&r->error, CX_READER_ERROR, code, "%s: %s", cx_input_name(r->in), msg);
  if (r->ctxt != NULL)
    xmlStopParser(r->ctxt);
}

static void
fail(Reader *r, int code, const char *fmt, ...)
{
  if (r->failed)
    return;
  va_list ap;
  va_start(ap, fmt);
  g_autofree char *msg = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  int line = r->ctxt != NULL ? xmlSAX2GetLineNumber(r->ctxt) : 0;
  int col = r->ctxt != NULL ? xmlSAX2GetColumnNumber(r->ctxt) : 0;
  fail_at(r, code, line, col, msg);
}

/* Quotes at most 60 bytes of a value for a message, replacing control bytes. */
static char *
shorten(const char *v, gsize len)
{
  GString *s = g_string_sized_new(MIN(len, 64) + 4);
  for (gsize i = 0; i < len && i < 60; i++)
    g_string_append_c(s, (guchar)v[i] < 0x20 ? '?' : v[i]);
  if (len > 60)
    g_string_append(s, "...");
  return g_string_free(s, FALSE);
}

/* ---------- errors from libxml2 ---------- */

static void
on_xml_error(void *data, xmlErrorPtr e)
{
  Reader *r = data;
  if (r->failed || e == NULL || e->level == XML_ERR_WARNING)
    return;
  if (r->at_eof && r->depth > 0) {
    g_autofree char *m = g_strdup_printf("unexpected end of file: unclosed <%s>",
                                         (const char *)r->names[r->depth]);
    fail_at(r, CX_READER_ERROR_PARSE, e->line, e->int2, m);
    return;
  }
  if (r->all_blank) {
    fail_at(r, CX_READER_ERROR_EMPTY, e->line, e->int2, "empty document");
    return;
  }
  /* libxml2's messages start with a capital and end with a newline */
  g_autofree char *m = g_strdup(e->message != NULL ? e->message : "malformed XML");
  g_strstrip(m);
  if (m[0] >= 'A' && m[0] <= 'Z' && !(m[1] >= 'A' && m[1] <= 'Z'))
    m[0] = (char)g_ascii_tolower(m[0]);
  for (char *p = m; *p != '\0'; p++)
    if (*p == '\n' || *p == '\r')
      *p = ' ';
  fail_at(r, CX_READER_ERROR_PARSE, e->line, e->int2, m);
}

static void
silent_generic(void *ctx, const char *msg, ...)
{
}

/* XES has no DTD: an internal subset could only change the data (an
 * <!ATTLIST> default becomes an attribute value), so it is refused before
 * any of it is parsed.  libxml2 calls this with its cursor after the
 * DOCTYPE's name and ids, on the '[' that opens an internal subset. */
static void
on_internal_subset(void *data, const xmlChar *name, const xmlChar *external_id,
                   const xmlChar *system_id)
{
  Reader *r = data;
  const xmlChar *cur = r->ctxt != NULL && r->ctxt->input != NULL ? r->ctxt->input->cur : NULL;
  while (cur != NULL && (*cur == ' ' || *cur == '\t' || *cur == '\n' || *cur == '\r'))
    cur++;
  if (cur != NULL && *cur == '[')
    fail(r, CX_READER_ERROR_PARSE,
         "refusing a DOCTYPE with an internal subset ('<!DOCTYPE %s [...]>'): XES has no DTD, "
         "and declarations there could change the data",
         name != NULL ? (const char *)name : "");
}

/* Declarations can only come from an internal subset (refused above); this
 * is the second lock. */
static void
on_attribute_decl(void *data, const xmlChar *elem, const xmlChar *fullname, int type, int def,
                  const xmlChar *default_value, xmlEnumerationPtr tree)
{
  Reader *r = data;
  xmlFreeEnumeration(tree);
  fail(r, CX_READER_ERROR_PARSE, "refusing an <!ATTLIST> declaration: XES has no DTD");
}

static void
on_entity_decl(void *data, const xmlChar *name, int type, const xmlChar *public_id,
               const xmlChar *system_id, xmlChar *content)
{
  Reader *r = data;
  fail(r, CX_READER_ERROR_PARSE, "entity declarations are not allowed '%s'", (const char *)name);
}

static xmlEntityPtr
on_get_entity(void *data, const xmlChar *name)
{
  /* only the five predefined entities exist; nothing is ever expanded */
  return xmlGetPredefinedEntity(name);
}

/* ---------- values ---------- */

/* With entity substitution off libxml2 hands '&' in attribute values on as
 * "&#38;"; everything else arrives decoded. */
static const char *
decode(GString *buf, const char *v, gsize *len)
{
  if (memchr(v, '&', *len) == NULL)
    return v;
  g_string_truncate(buf, 0);
  for (gsize i = 0; i < *len; i++) {
    if (v[i] == '&' && i + 5 <= *len && memcmp(v + i, "&#38;", 5) == 0) {
      g_string_append_c(buf, '&');
      i += 4;
    } else {
      g_string_append_c(buf, v[i]);
    }
  }
  *len = buf->len;
  return buf->str;
}

/* Parses @v as a timestamp: ISO-8601 or "yyyy/mm/dd HH:MM:SS(.fff)". */
static gboolean
parse_time(Reader *r, const char *v, gsize len, gint64 *out)
{
  gboolean naive = FALSE;
  gboolean ok = cx_time_parse_iso(v, len, r->tz, out, &naive);
  if (!ok && len >= 10 && len < 64 && v[4] == '/' && v[7] == '/') {
    char buf[64];
    memcpy(buf, v, len);
    buf[4] = buf[7] = '-';
    ok = cx_time_parse_iso(buf, len, r->tz, out, &naive);
  }
  if (ok && naive)
    cx_sink_note_naive_time(r->sink);
  return ok;
}

/* The canonical text of a typed value: ints and floats re-printed, booleans
 * lowercased, dates as UTC ISO-8601; strings, ids and anything that does not
 * parse as written.  The result may live in r->canon. */
static const char *
canonical_typed(Reader *r, AttrType type, const char *v, gsize *len)
{
  char buf[72];
  memcpy(buf, v, *len);
  buf[*len] = '\0';
  g_string_truncate(r->canon, 0);
  if (type == T_INT) {
    char *end;
    gint64 x = g_ascii_strtoll(buf, &end, 10);
    if (end == buf || *end != '\0')
      return v;
    g_string_append_printf(r->canon, "%" G_GINT64_FORMAT, x);
  } else if (type == T_FLOAT) {
    char *end;
    double x = g_ascii_strtod(buf, &end);
    if (end == buf || *end != '\0')
      return v;
    char out[G_ASCII_DTOSTR_BUF_SIZE];
    g_string_append(r->canon, g_ascii_formatd(out, sizeof out, "%.15g", x));
  } else if (type == T_BOOL) {
    if (g_ascii_strcasecmp(buf, "true") == 0 || strcmp(buf, "1") == 0)
      g_string_append(r->canon, "true");
    else if (g_ascii_strcasecmp(buf, "false") == 0 || strcmp(buf, "0") == 0)
      g_string_append(r->canon, "false");
    else
      return v;
  } else if (type == T_DATE) {
    gint64 t;
    gboolean naive = FALSE;
    if (!cx_time_parse_iso(v, *len, r->tz, &t, &naive))
      return v;
    g_autofree char *s = cx_time_format_iso(t);
    g_string_append(r->canon, s);
  } else {
    return v;
  }
  *len = r->canon->len;
  return r->canon->str;
}

/* The value in a canonical text form: strings as they are, numbers and
 * booleans normalised. */
static inline const char *
canonical(Reader *r, AttrType type, const char *v, gsize *len)
{
  if (type == T_STRING || type == T_ID || *len == 0 || *len > 64)
    return v;
  return canonical_typed(r, type, v, len);
}

/* The type the sink records for a value canonical() gave as @c from @v: a
 * date, number or boolean it could not read (returned unchanged) is not a
 * value of its declared type, so it is exported as a string. */
static inline guint
value_type(AttrType type, const char *c, const char *v)
{
  gboolean scalar = type == T_DATE || type == T_INT || type == T_FLOAT || type == T_BOOL;
  return scalar && c == v ? (guint)T_STRING : (guint)type;
}

/* ---------- header: globals, classifiers, slots ---------- */

/* Up to eight bytes of @s from @at, zero-padded. */
static inline guint64
word_at(const char *s, gsize len, gsize at)
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
slot_matches(const Slot *s, const char *key, gsize klen)
{
  if (s->key_len != klen || word_at(key, klen, 0) != s->head
      || word_at(key, klen, klen > 8 ? klen - 8 : 0) != s->tail)
    return FALSE;
  return klen <= 16 || memcmp(s->key + 8, key + 8, klen - 16) == 0;
}

static void
add_slot(Reader *r, const char *key, gsize len, Role role)
{
  Slot *s = &r->slots[r->n_slots++];
  s->key = g_strndup(key, len);
  s->key_len = len;
  if (len <= MAX_KEY_LEN)
    r->slots_by_len[len] |= 1u << (r->n_slots - 1);
  if (memchr(key, '&', len) != NULL)
    r->slot_amp = TRUE;
  s->head = word_at(s->key, len, 0);
  s->tail = word_at(s->key, len, len > 8 ? len - 8 : 0);
  s->role = role;
  s->def = NULL;
  s->def_len = 0;
  for (guint i = 0; i < r->globals->len; i++) {
    const Global *g = g_ptr_array_index(r->globals, i);
    if (!g->trace_scope && g->key_len == len && memcmp(g->key, key, len) == 0) {
      s->def = g->value;
      s->def_len = g->value_len;
      break;
    }
  }
}

/* Splits classifier keys: space-separated, single quotes group words. */
static gboolean
split_keys(Reader *r, const char *keys)
{
  const char *p = keys;
  while (*p != '\0') {
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
      p++;
    if (*p == '\0')
      break;
    const char *start, *end;
    if (*p == '\'') {
      start = ++p;
      end = strchr(p, '\'');
      if (end == NULL)
        end = p + strlen(p);
      p = *end == '\'' ? end + 1 : end;
    } else {
      start = p;
      while (*p != '\0' && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
        p++;
      end = p;
    }
    if (end == start)
      continue;
    if (r->n_slots >= MAX_SLOTS - 4) {
      fail(r, CX_READER_ERROR_MAPPING, "classifier '%s' has too many keys", r->opts->classifier);
      return FALSE;
    }
    add_slot(r, start, (gsize)(end - start), ROLE_ACTIVITY);
  }
  return TRUE;
}

/* Decides which attribute keys fill which event field; called when the
 * header is over (at the first trace or at the end of the log). */
static gboolean
resolve(Reader *r)
{
  if (r->resolved)
    return TRUE;
  r->resolved = TRUE;
  const CxReadOptions *o = r->opts;
  if (o->classifier != NULL) {
    const Classifier *found = NULL;
    for (guint i = 0; i < r->classifiers->len && found == NULL; i++) {
      const Classifier *c = g_ptr_array_index(r->classifiers, i);
      if (strcmp(c->name, o->classifier) == 0)
        found = c;
    }
    if (found == NULL) {
      GString *names = g_string_new(NULL);
      for (guint i = 0; i < r->classifiers->len; i++) {
        const Classifier *c = g_ptr_array_index(r->classifiers, i);
        g_autofree char *q = shorten(c->name, strlen(c->name));
        g_string_append_printf(names, "%s'%s'", i > 0 ? ", " : "", q);
      }
      if (names->len > 0)
        fail(r, CX_READER_ERROR_MAPPING, "unknown classifier '%s' (declared: %s)", o->classifier,
             names->str);
      else
        fail(r, CX_READER_ERROR_MAPPING, "unknown classifier '%s' (the log declares none)",
             o->classifier);
      g_string_free(names, TRUE);
      return FALSE;
    }
    r->act_sep = "+";
    if (!split_keys(r, found->keys))
      return FALSE;
    if (r->n_slots == 0) {
      fail(r, CX_READER_ERROR_MAPPING, "classifier '%s' has no keys", o->classifier);
      return FALSE;
    }
  } else {
    /* several keys (--activity-key repeated) come newline-separated and are
     * joined with " | ", as CSV joins several activity columns */
    const char *k = o->activity_key != NULL ? o->activity_key : "concept:name";
    for (const char *p = k;;) {
      const char *nl = strchr(p, '\n');
      gsize len = nl != NULL ? (gsize)(nl - p) : strlen(p);
      if (len > 0 && r->n_slots < 16)
        add_slot(r, p, len, ROLE_ACTIVITY);
      if (nl == NULL)
        break;
      p = nl + 1;
    }
    r->act_sep = " | ";
  }
  r->n_activity = r->n_slots;
  const char *res = o->resource_key != NULL ? o->resource_key : "org:resource";
  const char *chan = o->channel_key != NULL ? o->channel_key : "channel";
  add_slot(r, res, strlen(res), ROLE_RESOURCE);
  add_slot(r, chan, strlen(chan), ROLE_CHANNEL);
  add_slot(r, "lifecycle:transition", 20, ROLE_LIFECYCLE);
  add_slot(r, "time:timestamp", 14, ROLE_TIME);
  r->slots[r->n_slots - 1].def = NULL; /* no default timestamps */
  r->n_tglobals = 0;
  for (guint i = 0; i < r->globals->len && r->n_tglobals < MAX_TGLOBAL; i++) {
    const Global *g = g_ptr_array_index(r->globals, i);
    if (g->trace_scope)
      r->tglobals[r->n_tglobals++] = g;
  }
  r->n_eglobals = 0;
  for (guint i = 0; i < r->globals->len && r->n_eglobals < MAX_TGLOBAL; i++) {
    Global *g = g_ptr_array_index(r->globals, i);
    if (g->trace_scope)
      continue;
    g->flags = CX_ATTR_STRING;
    for (guint k = 0; k < r->n_slots; k++)
      if (slot_matches(&r->slots[k], g->key, g->key_len))
        g->flags |= CX_SINK_ATTR_MAPPED;
    r->eglobals[r->n_eglobals++] = g;
  }
  return TRUE;
}

/* ---------- attributes ---------- */

/* Appends @n bytes to @b: an inline fast path for the per-event values. */
static inline void
put(GString *b, const char *v, gsize n)
{
  if (G_LIKELY(b->len + n < b->allocated_len)) {
    memcpy(b->str + b->len, v, n);
    b->len += n;
    b->str[b->len] = '\0';
  } else {
    g_string_append_len(b, v, (gssize)n);
  }
}

/* @v is the raw (undecoded) value. */
static void
event_attr(Reader *r, AttrType type, const char *key, gsize klen, const char *v, gsize vlen)
{
  gboolean decoded = FALSE;
  /* a raw key with a character reference ("&#38;") equals no slot key unless
   * a slot key has an '&' itself: only then must the key be decoded first */
  if (r->slot_amp || r->wants_attrs)
    key = decode(r->dec_key, key, &klen);
  /* only the slots whose key has this length can match */
  guint32 todo = klen <= MAX_KEY_LEN ? r->slots_by_len[klen] : G_MAXUINT32;
  guint flags = (guint)type;
  todo &= ~r->ev_set;
  while (todo != 0) {
#if defined(__GNUC__) || defined(__clang__)
    guint i = (guint)__builtin_ctz(todo);
#else
    guint i = (guint)g_bit_nth_lsf(todo, -1);
#endif
    todo &= todo - 1;
    if (i >= r->n_slots)
      break;
    const Slot *s = &r->slots[i];
    if (!slot_matches(s, key, klen))
      continue;
    flags |= CX_SINK_ATTR_MAPPED;
    if (!decoded) {
      v = decode(r->dec_value, v, &vlen);
      decoded = TRUE;
    }
    if (s->role == ROLE_TIME) {
      if (parse_time(r, v, vlen, &r->ev_time)) {
        r->ev_set |= 1u << i;
        continue;
      }
      if (!r->opts->skip_invalid) {
        g_autofree char *q = shorten(v, vlen);
        if (cx_time_iso_out_of_range(v, vlen, r->tz))
          fail(r, CX_READER_ERROR_VALUE,
               "timestamp '%s' is outside the times cxmine reads (" CX_TS_RANGE_TEXT
               "); --skip-invalid drops such events",
               q);
        else
          fail(r, CX_READER_ERROR_VALUE, "bad timestamp '%s'", q);
        return;
      }
      /* skip_invalid: a bad <date> drops the event; a <string> that is no
       * timestamp just leaves it untimed */
      if (type != T_STRING)
        r->ev_drop = TRUE;
      r->ev_set |= 1u << i;
      continue;
    }
    gsize clen = vlen;
    const char *c = canonical(r, type, v, &clen);
    r->ev_off[i] = r->evbuf->len;
    r->ev_len[i] = clen;
    put(r->evbuf, c, clen);
    r->ev_set |= 1u << i;
  }
  if (r->wants_attrs) {
    if (!decoded)
      v = decode(r->dec_value, v, &vlen);
    gsize clen = vlen;
    const char *c = canonical(r, type, v, &clen);
    flags = (flags & CX_SINK_ATTR_MAPPED) | value_type(type, c, v);
    cx_sink_event_attr_full(r->sink, key, klen, c, clen, flags);
    for (guint i = 0; i < r->n_eglobals; i++) {
      const Global *g = r->eglobals[i];
      if (g->key_len == klen && memcmp(g->key, key, klen) == 0)
        r->event_seen |= G_GUINT64_CONSTANT(1) << i;
    }
  }
}

static void
trace_attr(Reader *r, AttrType type, const char *key, gsize klen, const char *v, gsize vlen)
{
  key = decode(r->dec_key, key, &klen);
  v = decode(r->dec_value, v, &vlen);
  for (guint i = 0; i < r->n_tglobals; i++) {
    const Global *g = r->tglobals[i];
    if (g->key_len == klen && memcmp(g->key, key, klen) == 0)
      r->trace_seen |= G_GUINT64_CONSTANT(1) << i;
  }
  gsize clen = vlen;
  const char *c = canonical(r, type, v, &clen);
  cx_sink_trace_attr_typed(r->sink, key, klen, c, clen, value_type(type, c, v));
}

static void
global_attr(Reader *r, AttrType type, const char *key, gsize klen, const char *v, gsize vlen)
{
  if (r->resolved)
    return; /* a <global> after the first trace is ignored */
  key = decode(r->dec_key, key, &klen);
  v = decode(r->dec_value, v, &vlen);
  Global *g = g_new0(Global, 1);
  g->trace_scope = r->global_trace_scope;
  g->key = g_strndup(key, klen);
  g->key_len = klen;
  gsize clen = vlen;
  const char *c = canonical(r, type, v, &clen);
  g->value = g_strndup(c, clen);
  g->value_len = clen;
  g_ptr_array_add(r->globals, g);
}

/* Finds the key="" and value="" of an attribute element. */
static gboolean
key_value(Reader *r, int nb, const xmlChar **attrs, const char **key, gsize *klen,
          const char **value, gsize *vlen)
{
  *key = *value = NULL;
  for (int i = 0; i < nb; i++) {
    const xmlChar **a = attrs + 5 * i;
    if (a[0] == r->n_key) {
      *key = (const char *)a[3];
      *klen = (gsize)(a[4] - a[3]);
    } else if (a[0] == r->n_value) {
      *value = (const char *)a[3];
      *vlen = (gsize)(a[4] - a[3]);
    }
  }
  if (*key == NULL || *value == NULL)
    return FALSE; /* <list>, <container>, or a value-less attribute: nothing to keep */
  if (G_UNLIKELY(*vlen > MAX_VALUE || *klen > MAX_VALUE)) {
    g_autofree char *q = shorten(*key, MIN(*klen, 60));
    fail(r, CX_READER_ERROR_VALUE, "attribute value longer than %d bytes (key '%s')", MAX_VALUE, q);
    return FALSE;
  }
  /* key and value are decoded where they are used: event attribute keys
   * are matched raw (see event_attr), most event values are never used */
  return TRUE;
}

static char *
attr_dup(Reader *r, const xmlChar *name, int nb, const xmlChar **attrs)
{
  for (int i = 0; i < nb; i++) {
    const xmlChar **a = attrs + 5 * i;
    if (a[0] == name) {
      gsize len = (gsize)(a[4] - a[3]);
      const char *v = decode(r->dec_value, (const char *)a[3], &len);
      return g_strndup(v, len);
    }
  }
  return NULL;
}

/* ---------- events and traces ---------- */

static CxLifecycle
lifecycle_of(const char *v, gsize len)
{
  /* the usual spellings first, without a case-folding call */
  if (len == 8 && (memcmp(v, "complete", 8) == 0 || memcmp(v, "COMPLETE", 8) == 0))
    return CX_LIFECYCLE_COMPLETE;
  if (len == 5 && (memcmp(v, "start", 5) == 0 || memcmp(v, "START", 5) == 0))
    return CX_LIFECYCLE_START;
  if (len == 5 && g_ascii_strncasecmp(v, "start", 5) == 0)
    return CX_LIFECYCLE_START;
  if (len == 8 && g_ascii_strncasecmp(v, "complete", 8) == 0)
    return CX_LIFECYCLE_COMPLETE;
  return CX_LIFECYCLE_OTHER;
}

/* The value of slot @i for the event in flight, or its default. */
static const char *
slot_value(Reader *r, guint i, gsize *len)
{
  if (r->ev_set & (1u << i)) {
    *len = r->ev_len[i];
    return r->evbuf->str + r->ev_off[i];
  }
  *len = r->slots[i].def_len;
  return r->slots[i].def;
}

static void
event_end(Reader *r)
{
  if (r->ev_drop) {
    cx_sink_count_invalid(r->sink);
    return;
  }
  if (r->wants_attrs) {
    /* an event without an attribute has its event-scope default: --where
     * and the wanted attributes see it as if it were written */
    for (guint i = 0; i < r->n_eglobals; i++)
      if (!(r->event_seen & (G_GUINT64_CONSTANT(1) << i))) {
        const Global *g = r->eglobals[i];
        cx_sink_event_attr_full(r->sink, g->key, g->key_len, g->value, g->value_len, g->flags);
      }
  }
  CxRawEvent ev;
  memset(&ev, 0, sizeof ev);
  ev.time = CX_TS_NONE;
  ev.start = CX_TS_NONE;
  ev.lifecycle = CX_LIFECYCLE_COMPLETE;
  if (r->n_activity == 1) {
    ev.activity = slot_value(r, 0, &ev.activity_len);
  } else {
    /* a classifier's values are joined with '+', e.g. "A_SUBMITTED+COMPLETE";
     * a missing value is empty, and with no value at all there is no activity */
    gboolean any = FALSE;
    g_string_truncate(r->actbuf, 0);
    for (guint i = 0; i < r->n_activity; i++) {
      gsize len;
      const char *v = slot_value(r, i, &len);
      if (i > 0)
        g_string_append(r->actbuf, r->act_sep);
      if (v != NULL) {
        g_string_append_len(r->actbuf, v, (gssize)len);
        any = TRUE;
      }
    }
    if (any) {
      ev.activity = r->actbuf->str;
      ev.activity_len = r->actbuf->len;
    }
  }
  for (guint i = r->n_activity; i < r->n_slots; i++) {
    gsize len;
    const char *v;
    switch (r->slots[i].role) {
      case ROLE_RESOURCE:
        ev.resource = slot_value(r, i, &ev.resource_len);
        break;
      case ROLE_CHANNEL:
        ev.channel = slot_value(r, i, &ev.channel_len);
        break;
      case ROLE_LIFECYCLE:
        v = slot_value(r, i, &len);
        if (v != NULL)
          ev.lifecycle = lifecycle_of(v, len);
        break;
      case ROLE_TIME:
        ev.time = r->ev_time;
        break;
      case ROLE_ACTIVITY:
        break;
    }
  }
  cx_sink_trace_event(r->sink, &ev);
}

static void
trace_end(Reader *r)
{
  for (guint i = 0; i < r->n_tglobals; i++) {
    if (r->trace_seen & (G_GUINT64_CONSTANT(1) << i))
      continue;
    const Global *g = r->tglobals[i];
    /* a default case id would merge every unnamed trace into one case */
    if (g->key_len == 12 && memcmp(g->key, "concept:name", 12) == 0)
      continue;
    cx_sink_trace_attr(r->sink, g->key, g->key_len, g->value, g->value_len);
  }
  GError *local = NULL;
  if (!cx_sink_trace_end(r->sink, &local)) {
    if (g_error_matches(local, CX_READER_ERROR, CX_READER_ERROR_MEMORY))
      g_prefix_error(&local, "%s:%d: ", cx_input_name(r->in), xmlSAX2GetLineNumber(r->ctxt));
    /* kept as is: a repeated case id (cx_sink_saw_repeat) is the driver's to see */
    r->failed = TRUE;
    r->error = local;
    xmlStopParser(r->ctxt);
  }
}

/* ---------- SAX2 callbacks ---------- */

static int
attr_type(Reader *r, const xmlChar *local)
{
  for (int t = 0; t <= T_CONTAINER; t++)
    if (local == r->n_type[t])
      return t;
  return -1;
}

static void
on_start(void *data, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri, int nb_ns,
         const xmlChar **ns, int nb_attrs, int nb_defaulted, const xmlChar **attrs)
{
  Reader *r = data;
  if (r->failed)
    return;
  guint d = ++r->depth;
  if (G_UNLIKELY(d > MAX_DEPTH)) {
    fail(r, CX_READER_ERROR_PARSE, "elements nested deeper than %d", MAX_DEPTH);
    return;
  }
  r->names[d] = local;
  r->kinds[d] = K_NONE;
  if (r->skip_from != 0)
    return;
  Kind parent = r->kinds[d - 1];
  if (G_UNLIKELY(d == 1)) {
    if (local != r->n_log) {
      fail(r, CX_READER_ERROR_PARSE, "the root element is not <log> '%s'", (const char *)local);
      return;
    }
    r->saw_root = TRUE;
    r->kinds[d] = K_LOG;
    return;
  }
  if (parent == K_ATTR || parent == K_IGNORED || parent == K_CLASSIFIER) {
    r->skip_from = d; /* nested attributes, list values, container members */
    return;
  }
  int type = attr_type(r, local);
  if (type >= 0) {
    r->kinds[d] = K_ATTR;
    const char *key, *value;
    gsize klen = 0, vlen = 0;
    if (parent == K_LOG || !key_value(r, nb_attrs, attrs, &key, &klen, &value, &vlen))
      return;
    if (parent == K_EVENT)
      event_attr(r, (AttrType)type, key, klen, value, vlen);
    else if (parent == K_TRACE)
      trace_attr(r, (AttrType)type, key, klen, value, vlen);
    else if (parent == K_GLOBAL)
      global_attr(r, (AttrType)type, key, klen, value, vlen);
    return;
  }
  if (local == r->n_event) {
    if (parent != K_TRACE) {
      fail(r, CX_READER_ERROR_PARSE, "%s",
           parent == K_LOG     ? "event outside a trace"
           : parent == K_EVENT ? "event inside an event"
                               : "misplaced <event>");
      return;
    }
    r->kinds[d] = K_EVENT;
    r->ev_set = 0;
    r->ev_drop = FALSE;
    r->event_seen = 0;
    r->ev_time = CX_TS_NONE;
    g_string_truncate(r->evbuf, 0);
    return;
  }
  if (local == r->n_trace) {
    if (parent != K_LOG) {
      fail(r, CX_READER_ERROR_PARSE, "misplaced <trace> (not a child of <log>)");
      return;
    }
    if (!resolve(r))
      return;
    r->kinds[d] = K_TRACE;
    r->trace_seen = 0;
    /* a small log is read on one thread; a big one hands the sink to a
     * second core, between two traces */
    if (!r->relayed && r->fed >= r->relay_after) {
      cx_sink_relay_start(r->sink);
      r->relayed = TRUE;
    }
    cx_sink_trace_begin(r->sink);
    return;
  }
  if (local == r->n_log) {
    fail(r, CX_READER_ERROR_PARSE, "misplaced <log>");
    return;
  }
  if (parent == K_LOG && local == r->n_global) {
    g_autofree char *scope = attr_dup(r, r->n_scope, nb_attrs, attrs);
    r->global_trace_scope = scope != NULL && strcmp(scope, "trace") == 0;
    r->kinds[d] = K_GLOBAL;
    return;
  }
  if (parent == K_LOG && local == r->n_classifier) {
    r->kinds[d] = K_CLASSIFIER;
    char *name = attr_dup(r, r->n_name, nb_attrs, attrs);
    char *keys = attr_dup(r, r->n_keys, nb_attrs, attrs);
    if (name == NULL || keys == NULL) {
      g_free(name);
      g_free(keys);
      return;
    }
    Classifier *c = g_new0(Classifier, 1);
    c->name = name;
    c->keys = keys;
    g_ptr_array_add(r->classifiers, c);
    return;
  }
  if (local == r->n_extension) {
    r->kinds[d] = K_IGNORED;
    return;
  }
  r->skip_from = d; /* an unknown element: skipped with its contents */
}

static void
on_end(void *data, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri)
{
  Reader *r = data;
  if (r->failed)
    return;
  guint d = r->depth--;
  if (r->skip_from != 0) {
    if (d == r->skip_from)
      r->skip_from = 0;
    return;
  }
  if (r->kinds[d] == K_EVENT)
    event_end(r);
  else if (r->kinds[d] == K_TRACE)
    trace_end(r);
}

/* ---------- driver ---------- */

static void
intern_names(Reader *r)
{
  xmlDictPtr dict = r->ctxt->dict;
#define N(s) xmlDictLookup(dict, (const xmlChar *)(s), -1)
  r->n_log = N("log");
  r->n_trace = N("trace");
  r->n_event = N("event");
  r->n_global = N("global");
  r->n_classifier = N("classifier");
  r->n_extension = N("extension");
  r->n_key = N("key");
  r->n_value = N("value");
  r->n_scope = N("scope");
  r->n_name = N("name");
  r->n_keys = N("keys");
  r->n_type[T_STRING] = N("string");
  r->n_type[T_DATE] = N("date");
  r->n_type[T_INT] = N("int");
  r->n_type[T_FLOAT] = N("float");
  r->n_type[T_BOOL] = N("boolean");
  r->n_type[T_ID] = N("id");
  r->n_type[T_LIST] = N("list");
  r->n_type[T_CONTAINER] = N("container");
#undef N
}

static void
reader_clear(Reader *r)
{
  for (guint i = 0; i < r->n_slots; i++)
    g_free(r->slots[i].key);
  g_ptr_array_free(r->globals, TRUE);
  g_ptr_array_free(r->classifiers, TRUE);
  g_string_free(r->evbuf, TRUE);
  g_string_free(r->actbuf, TRUE);
  g_string_free(r->canon, TRUE);
  g_string_free(r->dec_key, TRUE);
  g_string_free(r->dec_value, TRUE);
  if (r->ctxt != NULL) {
    if (r->ctxt->myDoc != NULL)
      xmlFreeDoc(r->ctxt->myDoc);
    xmlFreeParserCtxt(r->ctxt);
  }
  g_clear_error(&r->error);
}

gboolean
cx_xes_read(CxInput *in, CxSink *sink, const CxReadOptions *opts, GError **error)
{
  g_return_val_if_fail(in != NULL && sink != NULL && opts != NULL, FALSE);
  if (opts->classifier != NULL && opts->activity_key != NULL) {
    g_set_error(error, CX_READER_ERROR, CX_READER_ERROR_MAPPING,
                "a classifier and an activity key cannot be used together ('%s', '%s')",
                opts->classifier, opts->activity_key);
    return FALSE;
  }
  xmlSetGenericErrorFunc(NULL, silent_generic);

  Reader r;
  memset(&r, 0, sizeof r);
  r.in = in;
  r.sink = sink;
  r.opts = opts;
  r.tz = cx_sink_naive_tz(sink);
  r.wants_attrs = cx_sink_wants_event_attrs(sink);
  r.globals = g_ptr_array_new_with_free_func(global_free);
  r.classifiers = g_ptr_array_new_with_free_func(classifier_free);
  r.evbuf = g_string_sized_new(256);
  r.actbuf = g_string_sized_new(64);
  r.canon = g_string_sized_new(64);
  r.dec_key = g_string_new(NULL);
  r.dec_value = g_string_new(NULL);

  xmlSAXHandler sax;
  memset(&sax, 0, sizeof sax);
  xmlSAXVersion(&sax, 2);
  sax.startElementNs = on_start;
  sax.endElementNs = on_end;
  sax.serror = on_xml_error;
  sax.entityDecl = on_entity_decl;
  sax.getEntity = on_get_entity;
  sax.getParameterEntity = on_get_entity;
  sax.startDocument = NULL; /* no xmlDoc is ever built */
  sax.endDocument = NULL;
  sax.internalSubset = on_internal_subset;
  sax.externalSubset = NULL;
  sax.resolveEntity = NULL;
  sax.reference = NULL;
  sax.characters = NULL;
  sax.ignorableWhitespace = NULL;
  sax.cdataBlock = NULL;
  sax.comment = NULL;
  sax.processingInstruction = NULL;
  sax.warning = NULL;
  sax.error = NULL;
  sax.fatalError = NULL;
  sax.startElement = NULL;
  sax.endElement = NULL;
  sax.attributeDecl = on_attribute_decl;
  sax.elementDecl = NULL;
  sax.notationDecl = NULL;
  sax.unparsedEntityDecl = NULL;

  const char *buf;
  gssize n = cx_input_next(in, &buf, error);
  if (n < 0) {
    reader_clear(&r);
    return FALSE;
  }
  if (n == 0) {
    reader_clear(&r);
    g_set_error(error, CX_READER_ERROR, CX_READER_ERROR_EMPTY, "%s: empty file", cx_input_name(in));
    return FALSE;
  }
  r.ctxt = xmlCreatePushParserCtxt(&sax, &r, NULL, 0, cx_input_name(in));
  if (r.ctxt == NULL) {
    reader_clear(&r);
    g_set_error(error, CX_READER_ERROR, CX_READER_ERROR_IO, "%s: cannot create an XML parser",
                cx_input_name(in));
    return FALSE;
  }
  xmlCtxtUseOptions(r.ctxt, XML_PARSE_NONET | XML_PARSE_NOWARNING);
  intern_names(&r);

  r.relay_after = opts->threads_after != 0 ? opts->threads_after : RELAY_AFTER;
  GError *io_error = NULL;
  r.all_blank = TRUE;
  while (!r.failed) {
    for (gssize i = 0; r.all_blank && i < n; i++)
      r.all_blank = g_ascii_isspace(buf[i]);
    if (n == 0) {
      r.at_eof = TRUE;
      xmlParseChunk(r.ctxt, NULL, 0, 1);
      break;
    }
    guint64 base = r.guard.base;
    gboolean too_many_attrs = FALSE;
    if (cx_tag_guard_scan(&r.guard, buf, (gsize)n, &too_many_attrs) >= 0) {
      /* the parser takes what comes before the tag, so that its line is the tag's */
      if (r.guard.tag_start > base)
        xmlParseChunk(r.ctxt, buf, (int)(r.guard.tag_start - base), 0);
      if (too_many_attrs)
        fail(&r, CX_READER_ERROR_PARSE, "a start tag with more than %d attributes",
             CX_TAG_MAX_ATTRS);
      else
        fail(&r, CX_READER_ERROR_PARSE, "a start tag longer than %d bytes", CX_TAG_MAX_BYTES);
      break;
    }
    /* in slices: the parser's own buffer stays small and cache-warm */
    for (gssize off = 0; off < n && !r.failed; off += PARSE_SLICE) {
      r.fed += (gsize)MIN(n - off, PARSE_SLICE);
      xmlParseChunk(r.ctxt, buf + off, (int)MIN(n - off, PARSE_SLICE), 0);
    }
    if (r.failed)
      break;
    n = cx_input_next(in, &buf, &io_error);
    if (n < 0)
      break;
  }
  GError *sink_error = NULL;
  if (!cx_sink_relay_stop(sink, &sink_error)) {
    /* its error came earlier in the input than any met here since */
    g_clear_error(&io_error);
    if (g_error_matches(sink_error, CX_READER_ERROR, CX_READER_ERROR_MEMORY))
      g_prefix_error(&sink_error, "%s: ", cx_input_name(in));
    g_propagate_error(error, sink_error);
    reader_clear(&r);
    return FALSE;
  }
  if (io_error != NULL) {
    cx_input_error_at_line(in, io_error, (guint64)MAX(xmlSAX2GetLineNumber(r.ctxt), 1));
    g_propagate_error(error, io_error);
    reader_clear(&r);
    return FALSE;
  }
  if (!r.failed && !r.saw_root)
    fail(&r, CX_READER_ERROR_EMPTY, "no <log> element");
  if (!r.failed && r.depth > 0)
    fail(&r, CX_READER_ERROR_PARSE, "unexpected end of file: unclosed <%s>",
         (const char *)r.names[r.depth]);
  if (!r.failed)
    resolve(&r); /* reports a missing classifier in a log without traces */
  if (r.failed) {
    if (r.error == NULL)
      g_set_error(&r.error, CX_READER_ERROR, CX_READER_ERROR_PARSE, "%s: malformed XML",
                  cx_input_name(in));
    g_propagate_error(error, g_steal_pointer(&r.error));
    reader_clear(&r);
    return FALSE;
  }
  reader_clear(&r);
  return TRUE;
}
