/* The XES reader's SAX2 callbacks: each element as libxml2 reports it, the
 * attributes of the event and trace in flight, and the event or trace
 * handed to the sink when it closes.  The hot path: every attribute of
 * every event passes through cx_xes_on_start() and event_attr(). */
#include "xes-private.h"
#include "cxmine/timestamp.h"
#include <libxml/SAX2.h>

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
event_attr(CxXesReader *r, AttrType type, const char *key, gsize klen, const char *v, gsize vlen)
{
  gboolean decoded = FALSE;
  /* a raw key with a character reference ("&#38;") equals no slot key unless
   * a slot key has an '&' itself: only then must the key be decoded first */
  if (r->slot_amp || r->wants_attrs)
    key = cx_xes_decode(r->dec_key, key, &klen);
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
    if (!cx_xes_slot_matches(s, key, klen))
      continue;
    flags |= CX_SINK_ATTR_MAPPED;
    if (!decoded) {
      v = cx_xes_decode(r->dec_value, v, &vlen);
      decoded = TRUE;
    }
    if (s->role == ROLE_TIME) {
      if (cx_xes_parse_time(r, v, vlen, &r->ev_time)) {
        r->ev_set |= 1u << i;
        continue;
      }
      if (!r->opts->skip_invalid) {
        g_autofree char *q = cx_xes_shorten(v, vlen);
        if (cx_time_iso_out_of_range(v, vlen, r->tz))
          cx_xes_fail(r, CX_READER_ERROR_VALUE,
                      "timestamp '%s' is outside the times cxmine reads (" CX_TS_RANGE_TEXT
                      "); --skip-invalid drops such events",
                      q);
        else
          cx_xes_fail(r, CX_READER_ERROR_VALUE, "bad timestamp '%s'", q);
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
    const char *c = cx_xes_canonical(r, type, v, &clen);
    r->ev_off[i] = r->evbuf->len;
    r->ev_len[i] = clen;
    put(r->evbuf, c, clen);
    r->ev_set |= 1u << i;
  }
  if (r->wants_attrs) {
    if (!decoded)
      v = cx_xes_decode(r->dec_value, v, &vlen);
    gsize clen = vlen;
    const char *c = cx_xes_canonical(r, type, v, &clen);
    flags = (flags & CX_SINK_ATTR_MAPPED) | cx_xes_value_type(type, c, v);
    cx_sink_event_attr_full(r->sink, key, klen, c, clen, flags);
    for (guint i = 0; i < r->n_eglobals; i++) {
      const Global *g = r->eglobals[i];
      if (g->key_len == klen && memcmp(g->key, key, klen) == 0)
        r->event_seen |= G_GUINT64_CONSTANT(1) << i;
    }
  }
}

static void
trace_attr(CxXesReader *r, AttrType type, const char *key, gsize klen, const char *v, gsize vlen)
{
  key = cx_xes_decode(r->dec_key, key, &klen);
  v = cx_xes_decode(r->dec_value, v, &vlen);
  for (guint i = 0; i < r->n_tglobals; i++) {
    const Global *g = r->tglobals[i];
    if (g->key_len == klen && memcmp(g->key, key, klen) == 0)
      r->trace_seen |= G_GUINT64_CONSTANT(1) << i;
  }
  gsize clen = vlen;
  const char *c = cx_xes_canonical(r, type, v, &clen);
  cx_sink_trace_attr_typed(r->sink, key, klen, c, clen, cx_xes_value_type(type, c, v));
}

/* Finds the key="" and value="" of an attribute element. */
static gboolean
key_value(CxXesReader *r, int nb, const xmlChar **attrs, const char **key, gsize *klen,
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
    g_autofree char *q = cx_xes_shorten(*key, MIN(*klen, 60));
    cx_xes_fail(r, CX_READER_ERROR_VALUE, "attribute value longer than %d bytes (key '%s')",
                MAX_VALUE, q);
    return FALSE;
  }
  /* key and value are decoded where they are used: event attribute keys
   * are matched raw (see event_attr), most event values are never used */
  return TRUE;
}

static char *
attr_dup(CxXesReader *r, const xmlChar *name, int nb, const xmlChar **attrs)
{
  for (int i = 0; i < nb; i++) {
    const xmlChar **a = attrs + 5 * i;
    if (a[0] == name) {
      gsize len = (gsize)(a[4] - a[3]);
      const char *v = cx_xes_decode(r->dec_value, (const char *)a[3], &len);
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
slot_value(CxXesReader *r, guint i, gsize *len)
{
  if (r->ev_set & (1u << i)) {
    *len = r->ev_len[i];
    return r->evbuf->str + r->ev_off[i];
  }
  *len = r->slots[i].def_len;
  return r->slots[i].def;
}

static void
event_end(CxXesReader *r)
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
trace_end(CxXesReader *r)
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
attr_type(CxXesReader *r, const xmlChar *local)
{
  for (int t = 0; t <= T_CONTAINER; t++)
    if (local == r->n_type[t])
      return t;
  return -1;
}

void
cx_xes_on_start(void *data, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri,
                int nb_ns, const xmlChar **ns, int nb_attrs, int nb_defaulted,
                const xmlChar **attrs)
{
  CxXesReader *r = data;
  if (r->failed)
    return;
  guint d = ++r->depth;
  if (G_UNLIKELY(d > MAX_DEPTH)) {
    cx_xes_fail(r, CX_READER_ERROR_PARSE, "elements nested deeper than %d", MAX_DEPTH);
    return;
  }
  r->names[d] = local;
  r->kinds[d] = K_NONE;
  if (r->skip_from != 0)
    return;
  Kind parent = r->kinds[d - 1];
  if (G_UNLIKELY(d == 1)) {
    if (local != r->n_log) {
      cx_xes_fail(r, CX_READER_ERROR_PARSE, "the root element is not <log> '%s'",
                  (const char *)local);
      return;
    }
    r->saw_root = TRUE;
    r->kinds[d] = K_LOG;
    return;
  }
  if (G_UNLIKELY(r->chunk && parent == K_LOG && r->resolved && local != r->n_trace)) {
    /* a header element after the traces began: its effect on the traces
     * that follow it is only sure on one thread */
    cx_xes_fail(r, CX_READER_ERROR_PARSE, "<%s> in the log after its first trace",
                (const char *)local);
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
      cx_xes_global_attr(r, (AttrType)type, key, klen, value, vlen);
    return;
  }
  if (local == r->n_event) {
    if (parent != K_TRACE) {
      cx_xes_fail(r, CX_READER_ERROR_PARSE, "%s",
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
      cx_xes_fail(r, CX_READER_ERROR_PARSE, "misplaced <trace> (not a child of <log>)");
      return;
    }
    if (!cx_xes_resolve(r))
      return;
    r->kinds[d] = K_TRACE;
    r->trace_seen = 0;
    cx_sink_trace_begin(r->sink);
    return;
  }
  if (local == r->n_log) {
    cx_xes_fail(r, CX_READER_ERROR_PARSE, "misplaced <log>");
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

void
cx_xes_on_end(void *data, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri)
{
  CxXesReader *r = data;
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
