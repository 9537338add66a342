/* The recording sink: a reader parsing one chunk of a file on a worker
 * thread makes its trace or row calls into a recorder, which encodes them
 * as small records on a tape (tape.c); the scan's thread plays the tapes
 * back in file order through the sink's own calls, so the sink sees exactly
 * the calls a reader on its own thread would have made.
 *
 * A row's case may or may not be new to the sink, which only the player
 * knows: the recorder says it is (so the reader hands on the row's case
 * attributes) and the player applies those only when the played row's case
 * was new, as the reader would have asked. */
#include "sink-internal.h"
#include <string.h>

enum {
  OP_BEGIN,
  OP_TRACE_ATTR,
  OP_EVENT_ATTR,
  OP_EVENT,
  OP_END,
  OP_INVALID,
  OP_NAIVE,
  OP_GUESSED,
  OP_NAME,
  OP_ROW,      /* a row: as an event, with its case id */
  OP_CASE_ATTR /* a row's case attribute, applied when the row's case was new */
};
/* One call as the worker reads it: a head, the lengths as guint32 when one
 * does not fit a guint16, the times of an event, then the strings' bytes.
 * Small records keep the bytes that cross between the cores few. */
typedef struct {
  guint8 op;
  guint8 aux;     /* an event's lifecycle; a name's field | slot << 2 */
  guint16 len[3]; /* activity/key, resource/value, channel */
} Head;

#define LEN_NONE  0xFFFFu     /* a NULL string */
#define LEN_LONG  0xFFFEu     /* the guint32 lengths follow the head */
#define LEN_SLOT  0x8000u     /* | slot: an event's name from the name cache */
#define LONG_SLOT 0xFFFFFF00u /* the same among the guint32 lengths */
#define OP_LONG   0x80u       /* some length is LEN_LONG */
#define OP_TIMED  0x40u       /* an event: time follows */
#define OP_START  0x20u       /* an event with a start time too */
#define OP_KIND   0x1Fu

/* An event's names cross to the player once: each field (activity,
 * resource, channel) has a small direct-mapped cache of recent names on both
 * sides, and an event names a slot instead of carrying the bytes. The
 * recorder keeps the bytes to check a hit, the player the interned id. */
#define NAME_SLOTS   64
#define NAME_MAX_LEN 119

typedef struct {
  guint64 head; /* first (up to) eight bytes */
  guint32 len;  /* 0 = empty */
  char str[NAME_MAX_LEN + 1];
} NameSlot;

typedef struct {
  NameSlot slot[3][NAME_SLOTS]; /* the recorder's side */
  guint32 id[3][NAME_SLOTS];    /* the player's side */
} Names;

struct _CxSinkTape {
  CxSink *sink; /* played into */
  CxTape *tape;
  Names names;
  gboolean naive;   /* the recorder: a naive time is noted on this tape already */
  gboolean row_new; /* the player: the last row's case was new */
};

static inline guint64
name_head(const char *s, gsize len)
{
  guint64 w = 0;
  memcpy(&w, s, MIN(len, 8));
  return w;
}

static void record_name(CxSinkTape *r, guint field, guint slot, const char *str, gsize len);

/* The slot holding @str, sent to the player first if it is new there; or
 * 0 when the name is not cached (none, empty, long). */
static guint16
name_slot(CxSinkTape *r, guint field, const char *str, gsize len)
{
  if (str == NULL || len == 0 || len > NAME_MAX_LEN)
    return 0;
  guint64 head = name_head(str, len);
  guint i = (guint)(((head ^ len) * G_GUINT64_CONSTANT(0x9e3779b97f4a7c15)) >> 58);
  NameSlot *n = &r->names.slot[field][i];
  if (n->len != len || n->head != head || (len > 8 && memcmp(n->str + 8, str + 8, len - 8) != 0)) {
    n->len = (guint32)len;
    n->head = head;
    memcpy(n->str, str, len);
    record_name(r, field, i, str, len);
  }
  return (guint16)(LEN_SLOT | i);
}

/* One record: @a and @b (a key and a value), or an event @ev's names and
 * times; a row's event also carries its case id (@c: NULL = none), and its
 * names only when the sink would intern them (a case id and an activity). */
static void
record(CxSinkTape *r, guint32 op, const char *a, gsize alen, const char *b, gsize blen,
       const CxRawEvent *ev, guint8 aux, const char *c, gsize clen)
{
  const char *str[3] = { a, b, NULL };
  gsize len[3] = { alen, blen, 0 };
  guint16 slot[3] = { 0, 0, 0 };
  guint8 code = (guint8)op;
  gboolean row = op == OP_ROW;
  if (row && (c == NULL || clen == 0)) {
    c = NULL;
    clen = 0;
  }
  if (row && (c == NULL || ev->activity == NULL)) {
    /* the sink looks no further than the case id, or the missing activity */
    code |= OP_TIMED;
  } else if (ev != NULL) {
    str[0] = ev->activity;
    len[0] = ev->activity_len;
    str[1] = ev->resource;
    len[1] = ev->resource_len;
    str[2] = ev->channel;
    len[2] = ev->channel_len;
    code |= OP_TIMED;
    if (ev->start != CX_TS_NONE)
      code |= OP_START;
    for (guint i = 0; i < 3; i++)
      slot[i] = name_slot(r, i, str[i], len[i]);
  }
  gsize total = sizeof(Head);
  for (guint i = 0; i < 3; i++) {
    if (str[i] == NULL || slot[i] != 0)
      continue;
    /* readers bound values far below this */
    g_return_if_fail(len[i] < G_MAXUINT32);
    if (len[i] >= LEN_SLOT)
      code |= OP_LONG;
    total += len[i];
  }
  if (code & OP_LONG)
    total += 3 * sizeof(guint32) + 4;
  if (row) {
    g_return_if_fail(clen < G_MAXUINT32);
    total += 8 + clen; /* its length (G_MAXUINT32 = none), 4 bytes spare, its bytes */
  }
  if (code & OP_TIMED)
    total += sizeof(gint64);
  if (code & OP_START)
    total += sizeof(gint64);
  guint8 *p = cx_tape_put(r->tape, total);
  Head *h = (Head *)p;
  h->op = code;
  h->aux = ev != NULL ? (guint8)ev->lifecycle : aux;
  p += sizeof(Head);
  if (row) {
    guint32 n = c != NULL ? (guint32)clen : G_MAXUINT32;
    memcpy(p, &n, sizeof n);
    p += 8;
  }
  for (guint i = 0; i < 3; i++)
    h->len[i] = slot[i] != 0             ? slot[i]
                : str[i] == NULL         ? LEN_NONE
                : (code & OP_LONG) != 0u ? LEN_LONG
                                         : (guint16)len[i];
  if (code & OP_LONG) {
    for (guint i = 0; i < 3; i++) {
      guint32 n = slot[i] != 0     ? LONG_SLOT | (slot[i] & ~LEN_SLOT)
                  : str[i] == NULL ? G_MAXUINT32
                                   : (guint32)len[i];
      memcpy(p, &n, sizeof n);
      p += sizeof n;
    }
    p += 4;
  }
  if (code & OP_TIMED) {
    memcpy(p, &ev->time, sizeof(gint64));
    p += sizeof(gint64);
  }
  if (code & OP_START) {
    memcpy(p, &ev->start, sizeof(gint64));
    p += sizeof(gint64);
  }
  if (c != NULL) {
    memcpy(p, c, clen);
    p += clen;
  }
  for (guint i = 0; i < 3; i++) {
    if (str[i] == NULL || slot[i] != 0)
      continue;
    memcpy(p, str[i], len[i]);
    p += len[i];
  }
}

static void
record_name(CxSinkTape *r, guint field, guint slot, const char *str, gsize len)
{
  guint8 *p = cx_tape_put(r->tape, sizeof(Head) + len);
  Head *h = (Head *)p;
  h->op = OP_NAME;
  h->aux = (guint8)(field | slot << 2);
  h->len[0] = (guint16)len;
  h->len[1] = h->len[2] = LEN_NONE;
  memcpy(p + sizeof(Head), str, len);
}

/* A row's case id is looked up in a big table, a cache miss per row: the
 * slot of the next record's case is fetched while this one is played. */
static inline void
prefetch_case(CxSink *s, const guint8 *p, const guint8 *end)
{
  if (p >= end)
    return;
  const Head *h = (const Head *)p;
  if ((h->op & OP_KIND) != OP_ROW)
    return;
  guint32 clen;
  memcpy(&clen, p + sizeof(Head), sizeof clen);
  if (clen == G_MAXUINT32)
    return;
  gsize at = sizeof(Head) + 8 + ((h->op & OP_LONG) ? 3 * sizeof(guint32) + 4 : 0)
             + ((h->op & OP_TIMED) ? sizeof(gint64) : 0)
             + ((h->op & OP_START) ? sizeof(gint64) : 0);
  cx_pool_prefetch(s->pool.cases, (const char *)p + at, clen);
}

static gboolean
play(gpointer data, const guint8 *buf, gsize len, GError **error)
{
  CxSinkTape *r = data;
  CxSink *s = r->sink;
  const CxSinkOps *apply = &cx_sink_direct_ops;
  const guint8 *end = buf + len;
  while (buf < end) {
    const Head *h = (const Head *)buf;
    const guint8 *p = buf + sizeof(Head);
    const char *str[3];
    gsize n[3];
    guint32 code[3];
    guint kind = h->op & OP_KIND;
    guint32 clen = G_MAXUINT32;
    if (kind == OP_ROW) {
      memcpy(&clen, p, sizeof clen);
      p += 8;
    }
    for (guint i = 0; i < 3; i++)
      code[i] = h->len[i];
    if (h->op & OP_LONG) {
      for (guint i = 0; i < 3; i++) {
        memcpy(&code[i], p, sizeof code[i]);
        p += sizeof code[i];
      }
      p += 4;
    }
    gint64 time = CX_TS_NONE, start = CX_TS_NONE;
    if (h->op & OP_TIMED) {
      memcpy(&time, p, sizeof time);
      p += sizeof(gint64);
    }
    if (h->op & OP_START) {
      memcpy(&start, p, sizeof start);
      p += sizeof(gint64);
    }
    const char *case_id = NULL;
    if (clen != G_MAXUINT32) {
      case_id = (const char *)p;
      p += clen;
    }
    /* a string's bytes, none, or (an event's name) a slot of the cache */
    gboolean wide = (h->op & OP_LONG) != 0;
    guint32 none = wide ? G_MAXUINT32 : LEN_NONE;
    guint32 slot_base = wide ? LONG_SLOT : LEN_SLOT;
    guint32 ids[3] = { 0, 0, 0 };
    for (guint i = 0; i < 3; i++) {
      str[i] = NULL;
      n[i] = 0;
      if (code[i] == none)
        continue;
      if ((kind == OP_EVENT || kind == OP_ROW) && code[i] >= slot_base
          && code[i] < slot_base + NAME_SLOTS) {
        ids[i] = r->names.id[i][code[i] - slot_base];
        str[i] = ""; /* present: the id stands for it */
        n[i] = G_MAXSIZE;
        continue;
      }
      str[i] = (const char *)p;
      n[i] = code[i];
      p += n[i];
    }
    buf += ((gsize)(p - buf) + 7) & ~(gsize)7;
    if (kind == OP_ROW)
      prefetch_case(s, buf, end);
    switch (kind) {
      case OP_BEGIN:
        apply->trace_begin(s);
        break;
      case OP_TRACE_ATTR:
        apply->trace_attr(s, str[0], n[0], str[1], n[1], h->aux);
        break;
      case OP_EVENT_ATTR:
        apply->event_attr(s, str[0], n[0], str[1], n[1], h->aux);
        break;
      case OP_EVENT: {
        if (str[0] == NULL) {
          cx_sink_push_event(s, NULL);
          break;
        }
        for (guint i = 0; i < 3; i++)
          if (n[i] != G_MAXSIZE)
            ids[i] = cx_sink_intern_name(s, i, str[i], n[i]);
        CxEvent e = cx_sink_event_of(ids[0], ids[1], ids[2], (CxLifecycle)h->aux, time, start);
        cx_sink_push_event(s, &e);
        break;
      }
      case OP_ROW: {
        CxEvent e;
        if (str[0] != NULL) {
          for (guint i = 0; i < 3; i++)
            if (n[i] != G_MAXSIZE)
              ids[i] = cx_sink_intern_name(s, i, str[i], n[i]);
          e = cx_sink_event_of(ids[0], ids[1], ids[2], (CxLifecycle)h->aux, time, start);
        }
        if (!cx_sink_push_row(s, case_id, case_id != NULL ? clen : 0, str[0] != NULL ? &e : NULL,
                              &r->row_new, error))
          return FALSE;
        break;
      }
      case OP_CASE_ATTR:
        if (r->row_new)
          apply->row_case_attr(s, str[0], n[0], str[1], n[1]);
        break;
      case OP_NAME:
        r->names.id[h->aux & 3][h->aux >> 2] = cx_sink_intern_name(s, h->aux & 3, str[0], n[0]);
        break;
      case OP_END:
        if (!apply->trace_end(s, error))
          return FALSE;
        break;
      case OP_INVALID:
        apply->count_invalid(s);
        break;
      case OP_NAIVE:
        apply->note_naive_time(s);
        break;
      case OP_GUESSED:
        apply->count_guessed_date(s);
        break;
      default:
        g_assert_not_reached();
    }
  }
  return TRUE;
}

/* ---------- the recording sink ---------- */

static void
rec_trace_begin(CxSink *s)
{
  record(s->tape, OP_BEGIN, NULL, 0, NULL, 0, NULL, 0, NULL, 0);
}

static void
rec_trace_attr(CxSink *s, const char *key, gsize key_len, const char *value, gsize value_len,
               guint type)
{
  record(s->tape, OP_TRACE_ATTR, key, key_len, value, value_len, NULL, (guint8)type, NULL, 0);
}

static void
rec_event_attr(CxSink *s, const char *key, gsize key_len, const char *value, gsize value_len,
               guint flags)
{
  record(s->tape, OP_EVENT_ATTR, key, key_len, value, value_len, NULL, (guint8)flags, NULL, 0);
}

static void
rec_trace_event(CxSink *s, const CxRawEvent *ev)
{
  record(s->tape, OP_EVENT, NULL, 0, NULL, 0, ev, 0, NULL, 0);
}

static gboolean
rec_trace_end(CxSink *s, GError **error)
{
  (void)error; /* recording cannot fail: the player meets the sink's errors */
  record(s->tape, OP_END, NULL, 0, NULL, 0, NULL, 0, NULL, 0);
  return TRUE;
}

static void
rec_count_invalid(CxSink *s)
{
  record(s->tape, OP_INVALID, NULL, 0, NULL, 0, NULL, 0, NULL, 0);
}

static void
rec_note_naive_time(CxSink *s)
{
  /* a flag in the sink: once a tape is as good as once a row */
  if (s->tape->naive)
    return;
  s->tape->naive = TRUE;
  record(s->tape, OP_NAIVE, NULL, 0, NULL, 0, NULL, 0, NULL, 0);
}

static void
rec_count_guessed_date(CxSink *s)
{
  record(s->tape, OP_GUESSED, NULL, 0, NULL, 0, NULL, 0, NULL, 0);
}

static gboolean
rec_row(CxSink *s, const char *case_id, gsize case_len, const CxRawEvent *ev, gboolean *new_case,
        GError **error)
{
  (void)error; /* the player meets the sink's errors */
  record(s->tape, OP_ROW, NULL, 0, NULL, 0, ev, 0, case_id, case_len);
  if (new_case != NULL)
    *new_case = TRUE; /* perhaps: the player decides (OP_CASE_ATTR) */
  return TRUE;
}

static void
rec_row_case_attr(CxSink *s, const char *key, gsize key_len, const char *value, gsize value_len)
{
  record(s->tape, OP_CASE_ATTR, key, key_len, value, value_len, NULL, 0, NULL, 0);
}

static const CxSinkOps tape_ops = {
  rec_trace_begin, rec_trace_attr,    rec_event_attr,      rec_trace_event,
  rec_trace_end,   rec_count_invalid, rec_note_naive_time, rec_count_guessed_date,
  rec_row,         rec_row_case_attr,
};

CxSink *
cx_sink_recorder_new(const CxSink *sink)
{
  CxSink *s = g_new0(CxSink, 1);
  /* what readers ask of a sink: its options, the zone for naive times,
   * whether event attributes are wanted (cx_sink_wants_event_attrs) */
  s->log = sink->log;
  s->opts = sink->opts;
  s->src_tz = sink->src_tz;
  s->nslots = sink->nslots;
  s->survey = sink->survey;
  s->ops = &tape_ops;
  s->tape = g_new0(CxSinkTape, 1);
  s->tape->tape = cx_tape_new();
  s->recorder = TRUE;
  return s;
}

void
cx_sink_recorder_free(CxSink *s)
{
  if (s == NULL)
    return;
  g_return_if_fail(s->recorder);
  cx_tape_free(s->tape->tape);
  g_free(s->tape);
  g_free(s);
}

void
cx_sink_recorder_reset(CxSink *s)
{
  g_return_if_fail(s->recorder);
  cx_tape_reset(s->tape->tape);
  memset(&s->tape->names, 0, sizeof s->tape->names);
  s->tape->naive = FALSE;
}

gsize
cx_sink_recorder_bytes(const CxSink *s)
{
  return cx_tape_bytes(s->tape->tape);
}

gboolean
cx_sink_play(CxSink *sink, CxSink *recorder, GError **error)
{
  g_return_val_if_fail(recorder->recorder && !sink->recorder, FALSE);
  CxSinkTape *t = recorder->tape;
  t->sink = sink;
  t->row_new = FALSE;
  return cx_tape_play(t->tape, play, t, error);
}
