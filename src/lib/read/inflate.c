/* A gzip stream inflated from bytes pushed in: ISA-L's igzip where it was
 * built, zlib otherwise (inflate-private.h). */
#include "inflate-private.h"
#include "cxmine/reader.h"
#include "cx-config.h"
#include <string.h>
#define ZLIB_CONST
#include <zlib.h>
#if CX_HAVE_ISAL
#include <isa-l/igzip_lib.h>
#endif

typedef enum {
  IN_MEMBER, /* inside a member, the decoder at work */
  BETWEEN,   /* right after a member: another one, zero padding or the end */
  PADDING,   /* in the zeros after the last member */
  FINISHED,
} Where;

typedef enum { STEP_OK, STEP_END, STEP_FAILED } Step;

#if CX_HAVE_ISAL
/* A member's header, read here for igzip: igzip's own reading gets a
 * header CRC (FHCRC) wrong when the header arrives in pieces, and skips
 * checks zlib makes; read here, it fails as zlib does, in zlib's words. */
typedef enum { H_FIXED, H_XLEN, H_EXTRA, H_NAME, H_COMMENT, H_HCRC, H_DONE } HeaderPart;

typedef struct {
  HeaderPart part;
  guint got;       /* bytes of the part seen */
  guint8 fixed[4]; /* magic, method, flags */
  guint32 len;     /* FEXTRA's length, then the header CRC read */
  guint32 crc;     /* of the header bytes before the header CRC */
} Header;

/* @part, or the first part after it that the flags say is there. */
static HeaderPart
header_next(const Header *h, HeaderPart part)
{
  static const guint8 flag[]
      = { [H_XLEN] = 0x04, [H_EXTRA] = 0x04, [H_NAME] = 0x08, [H_COMMENT] = 0x10, [H_HCRC] = 0x02 };
  while (part != H_DONE && ((h->fixed[3] & flag[part]) == 0 || (part == H_EXTRA && h->len == 0)))
    part++;
  return part;
}

/* Reads header bytes from @in[0..@avail), up to the header's end; sets
 * *@used.  Returns what is wrong with the header, or NULL. */
static const char *
header_read(Header *h, const guint8 *in, gsize avail, gsize *used)
{
  const char *fault = NULL;
  gsize i = 0;
  while (i < avail && h->part != H_DONE && fault == NULL) {
    guint8 b = in[i++];
    HeaderPart part = h->part;
    gboolean end = FALSE;
    if (part != H_HCRC)
      h->crc = (guint32)crc32(h->crc, &b, 1);
    switch (part) {
      case H_FIXED:
        if (h->got < 4)
          h->fixed[h->got] = b;
        /* zlib looks at the magic, then at method and flags, in pairs */
        if (h->got == 1 && (h->fixed[0] != 0x1f || b != 0x8b))
          fault = "incorrect header check";
        else if (h->got == 3 && h->fixed[2] != Z_DEFLATED)
          fault = "unknown compression method";
        else if (h->got == 3 && (b & 0xe0) != 0)
          fault = "unknown header flags set";
        end = ++h->got == 10;
        break;
      case H_XLEN:
      case H_HCRC:
        h->len |= (guint32)b << (8 * h->got);
        end = ++h->got == 2;
        if (end && part == H_HCRC && h->len != (h->crc & 0xffff))
          fault = "header crc mismatch";
        break;
      case H_EXTRA:
        end = ++h->got == h->len;
        break;
      default: /* FNAME and FCOMMENT end with a NUL */
        end = b == 0;
        break;
    }
    if (end) {
      h->got = 0;
      if (part != H_XLEN)
        h->len = 0;
      h->part = header_next(h, part + 1);
    }
  }
  *used = i;
  return fault;
}
#endif

struct _CxInflate {
  CxInflater which; /* ZLIB or ISAL, never BEST */
  const guint8 *in; /* fed and not used yet */
  gsize avail;
  gboolean last;   /* nothing follows what was fed */
  gboolean hungry; /* stopped until more is fed */
  Where where;
  guint64 offset;     /* compressed bytes used: where a failure is */
  guint64 member_end; /* the offset where the last member read ended */
  guint members;      /* members read to their end */
  /* a 0x1f that ended what was fed after a member: the next member's first
   * byte if the next feed starts with 0x8b */
  gboolean held;
  guint8 tail[8]; /* the last bytes used: a member's trailer when its check fails */
  GError *failed; /* met after bytes were made: reported by the next call */
  z_stream zs;
  gboolean zs_ready;
#if CX_HAVE_ISAL
  struct inflate_state *isal;
  Header head;
#endif
};

gboolean
cx_inflater_available(CxInflater which)
{
  return which != CX_INFLATER_ISAL || CX_HAVE_ISAL;
}

static CxInflater
resolve(CxInflater which)
{
  if (which == CX_INFLATER_BEST)
    return CX_HAVE_ISAL ? CX_INFLATER_ISAL : CX_INFLATER_ZLIB;
  return which;
}

const char *
cx_inflater_name(CxInflater which)
{
  return resolve(which) == CX_INFLATER_ISAL ? "ISA-L igzip" : "zlib";
}

void
cx_inflate_feed(CxInflate *z, const guint8 *data, gsize len, gboolean last)
{
  g_return_if_fail(z->avail == 0 && !z->last);
  z->in = data;
  z->avail = len;
  z->last = last;
  z->hungry = FALSE;
}

gboolean
cx_inflate_wants_input(const CxInflate *z)
{
  return z->hungry;
}

gboolean
cx_inflate_finished(const CxInflate *z)
{
  return z->where == FINISHED;
}

guint
cx_inflate_members(const CxInflate *z)
{
  return z->members;
}

/* The last 8 bytes used once @in[0..@used) is used too. */
static void
last_used(const CxInflate *z, const guint8 *in, gsize used, guint8 last[8])
{
  gsize from_in = MIN(used, (gsize)8);
  memmove(last, z->tail + from_in, 8 - from_in);
  memcpy(last + 8 - from_in, in + used - from_in, from_in);
}

/* Notes that @in[0..@used) was used. */
static void
use(CxInflate *z, const guint8 *in, gsize used)
{
  last_used(z, in, used, z->tail);
  z->offset += used;
}

/* ---------- the decoders: one call each, on what is at hand ---------- */

static Step
zlib_step(CxInflate *z, const guint8 *in, gsize avail, guint8 *out, gsize room, gsize *used,
          gsize *made, GError **error)
{
  z_stream *zs = &z->zs;
  zs->next_in = in;
  zs->avail_in = (uInt)MIN(avail, (gsize)G_MAXUINT32);
  zs->next_out = out;
  zs->avail_out = (uInt)MIN(room, (gsize)G_MAXUINT32);
  int ret = inflate(zs, Z_NO_FLUSH);
  *used = (gsize)(zs->next_in - in);
  *made = (gsize)(zs->next_out - out);
  switch (ret) {
    case Z_STREAM_END:
      return STEP_END;
    case Z_OK:
    case Z_BUF_ERROR: /* nothing could be done: the caller sees no progress */
      return STEP_OK;
    case Z_MEM_ERROR:
      g_set_error(error, CX_READER_ERROR, CX_READER_ERROR_IO, "out of memory inflating");
      return STEP_FAILED;
    default:
      g_set_error(error, CX_READER_ERROR, CX_READER_ERROR_IO, "corrupt gzip data: %s",
                  zs->msg != NULL ? zs->msg : "invalid data");
      return STEP_FAILED;
  }
}

static void
zlib_restart(CxInflate *z)
{
  inflateReset(&z->zs);
}

#if CX_HAVE_ISAL
/* What igzip's @ret means, in zlib's words where zlib has them; @in[0..@used)
 * was just used. */
static const char *
isal_fault(const CxInflate *z, int ret, const guint8 *in, gsize used)
{
  switch (ret) {
    case ISAL_INCORRECT_CHECKSUM: {
      /* the trailer (CRC-32 and length, little-endian) was just used */
      guint8 t[8];
      last_used(z, in, used, t);
      guint32 crc = (guint32)t[0] | (guint32)t[1] << 8 | (guint32)t[2] << 16 | (guint32)t[3] << 24;
      return crc != z->isal->crc ? "incorrect data check" : "incorrect length check";
    }
    case ISAL_INVALID_BLOCK:
      return "invalid block";
    case ISAL_INVALID_SYMBOL:
      return "invalid code";
    case ISAL_INVALID_LOOKBACK:
      return "invalid distance too far back";
    default:
      return "invalid data";
  }
}

static Step
isal_step(CxInflate *z, const guint8 *in, gsize avail, guint8 *out, gsize room, gsize *used,
          gsize *made, GError **error)
{
  struct inflate_state *s = z->isal;
  gsize head = 0;
  if (z->head.part != H_DONE) {
    const char *fault = header_read(&z->head, in, avail, &head);
    *used = head;
    *made = 0;
    if (fault != NULL) {
      g_set_error(error, CX_READER_ERROR, CX_READER_ERROR_IO, "corrupt gzip data: %s", fault);
      return STEP_FAILED;
    }
    if (z->head.part != H_DONE)
      return STEP_OK;
  }
  s->next_in = (uint8_t *)in + head; /* igzip does not write to it */
  s->avail_in = (uint32_t)MIN(avail - head, (gsize)G_MAXUINT32);
  s->next_out = out;
  s->avail_out = (uint32_t)MIN(room, (gsize)G_MAXUINT32);
  int ret = isal_inflate(s);
  *used = (gsize)(s->next_in - in);
  *made = (gsize)(s->next_out - out);
  if (ret >= 0) /* at a member's end igzip hands back what it read past it */
    return s->block_state == ISAL_BLOCK_FINISH ? STEP_END : STEP_OK;
  g_set_error(error, CX_READER_ERROR, CX_READER_ERROR_IO, "corrupt gzip data: %s",
              isal_fault(z, ret, in, *used));
  return STEP_FAILED;
}

static void
isal_restart(CxInflate *z)
{
  isal_inflate_reset(z->isal);
  /* the deflate data and the trailer, checked: the header is read here */
  z->isal->crc_flag = ISAL_GZIP_NO_HDR_VER;
  z->head = (Header){ 0 };
}
#endif

static Step
step(CxInflate *z, const guint8 *in, gsize avail, guint8 *out, gsize room, gsize *used, gsize *made,
     GError **error)
{
#if CX_HAVE_ISAL
  if (z->which == CX_INFLATER_ISAL)
    return isal_step(z, in, avail, out, room, used, made, error);
#endif
  return zlib_step(z, in, avail, out, room, used, made, error);
}

static void
restart(CxInflate *z)
{
#if CX_HAVE_ISAL
  if (z->which == CX_INFLATER_ISAL) {
    isal_restart(z);
    return;
  }
#endif
  zlib_restart(z);
}

CxInflate *
cx_inflate_new(CxInflater which, GError **error)
{
  g_return_val_if_fail(cx_inflater_available(which), NULL);
  g_autoptr(CxInflate) z = g_new0(CxInflate, 1);
  z->which = resolve(which);
#if CX_HAVE_ISAL
  if (z->which == CX_INFLATER_ISAL) {
    z->isal = g_new0(struct inflate_state, 1);
    isal_inflate_init(z->isal);
    isal_restart(z);
    return g_steal_pointer(&z);
  }
#endif
  if (inflateInit2(&z->zs, 16 + MAX_WBITS) != Z_OK) {
    g_set_error(error, CX_READER_ERROR, CX_READER_ERROR_IO, "cannot start inflating");
    return NULL;
  }
  z->zs_ready = TRUE;
  return g_steal_pointer(&z);
}

void
cx_inflate_free(CxInflate *z)
{
  if (z == NULL)
    return;
  if (z->zs_ready)
    inflateEnd(&z->zs);
#if CX_HAVE_ISAL
  g_free(z->isal);
#endif
  g_clear_error(&z->failed);
  g_free(z);
}

/* ---------- the stream: members, what lies between them, the end ---------- */

static void
take(CxInflate *z, gsize n)
{
  use(z, z->in, n);
  z->in += n;
  z->avail -= n;
}

static void
not_a_member(CxInflate *z, GError **error)
{
  g_set_error(error, CX_READER_ERROR, CX_READER_ERROR_IO,
              "corrupt gzip data: what follows member %u (at byte %" G_GUINT64_FORMAT
              ") is not a gzip member",
              z->members, z->member_end);
}

static void
start_member(CxInflate *z)
{
  restart(z);
  z->where = IN_MEMBER;
}

/* After a member: another member, zero padding up to the end (as gzip
 * allows), or the end; anything else is an error, never dropped. */
static void
after_member(CxInflate *z, GError **error)
{
  while (z->avail > 0) {
    const guint8 *p = z->in;
    if (z->where == BETWEEN && (z->held || (p[0] == 0x1f && z->avail >= 2))) {
      if (p[z->held ? 0 : 1] != 0x8b) {
        not_a_member(z, error);
        return;
      }
      start_member(z); /* a held 0x1f goes to the decoder first (in_member) */
      return;
    }
    if (z->where == BETWEEN && p[0] == 0x1f && !z->last) {
      /* held back, not used yet: the next byte says whether it starts a
       * member */
      z->held = TRUE;
      z->in++;
      z->avail--;
      continue;
    }
    gsize n = 0;
    while (n < z->avail && p[n] == 0)
      n++;
    if (n < z->avail) {
      not_a_member(z, error);
      return;
    }
    z->where = PADDING;
    take(z, n);
  }
  if (!z->last)
    z->hungry = TRUE;
  else if (z->held)
    not_a_member(z, error);
  else
    z->where = FINISHED;
}

/* One decoder call inside a member, into @out (@room > 0); adds what it
 * made to *@made. */
static void
in_member(CxInflate *z, guint8 *out, gsize room, gsize *made, GError **error)
{
  static const guint8 magic0 = 0x1f;
  gboolean from_held = z->held;
  const guint8 *in = from_held ? &magic0 : z->in;
  gsize avail = from_held ? 1 : z->avail;
  gsize used = 0, produced = 0;
  Step s = step(z, in, avail, out, room, &used, &produced, error);
  if (from_held) {
    use(z, in, used);
    z->held = used == 0;
  } else {
    take(z, used);
  }
  *made += produced;
  if (s == STEP_FAILED)
    return;
  if (s == STEP_END) {
    z->members++;
    z->member_end = z->offset;
    z->where = BETWEEN;
  } else if (used == 0 && produced == 0) {
    if (avail > 0)
      g_set_error(error, CX_READER_ERROR, CX_READER_ERROR_IO, "corrupt gzip data: invalid data");
    else if (z->last)
      g_set_error(error, CX_READER_ERROR, CX_READER_ERROR_IO,
                  "truncated gzip data (unexpected end of the compressed stream)");
    else
      z->hungry = TRUE;
  }
}

gssize
cx_inflate_next(CxInflate *z, guint8 *out, gsize len, GError **error)
{
  if (z->failed != NULL) {
    g_propagate_error(error, g_steal_pointer(&z->failed));
    return -1;
  }
  gsize made = 0;
  GError *e = NULL;
  while (e == NULL && made < len && !z->hungry && z->where != FINISHED) {
    if (z->where == IN_MEMBER)
      in_member(z, out + made, len - made, &made, &e);
    else
      after_member(z, &e);
  }
  if (e != NULL && made == 0) {
    g_propagate_error(error, e);
    return -1;
  }
  z->failed = e; /* the bytes made before it go first */
  return (gssize)made;
}
