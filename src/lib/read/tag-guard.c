/* The start-tag bound of the XES reader (see tag-guard-private.h). */
#include "tag-guard-private.h"
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

enum { TEXT = 0, OPEN, FAST, TAG, QUOTED, COMMENT, CDATA, PI };

/* bytes that end a run inside a tag: its end or a quoted value's start */
static const guint8 tag_stop[256] = { ['>'] = 1, ['"'] = 1, ['\''] = 1 };

static inline void
remember(CxTagGuard *g, const char *buf, gsize end)
{
  if (end >= 2) {
    g->tail[0] = buf[end - 2];
    g->tail[1] = buf[end - 1];
  } else if (end == 1) {
    g->tail[0] = g->tail[1];
    g->tail[1] = buf[0];
  }
}

/* The end of a comment, CDATA section or PI: @close (2 bytes) before a '>'. */
static gboolean
find_close(CxTagGuard *g, const char *buf, gsize n, gsize *i, const char *close)
{
  while (*i < n) {
    const char *p = memchr(buf + *i, '>', n - *i);
    if (p == NULL) {
      remember(g, buf, n);
      *i = n;
      return FALSE;
    }
    gsize at = (gsize)(p - buf);
    char b1 = at >= 1 ? buf[at - 1] : g->tail[1];
    char b2 = at >= 2 ? buf[at - 2] : at == 1 ? g->tail[1] : g->tail[0];
    *i = at + 1;
    if (close[1] == b1 && (close[0] == '\0' || close[0] == b2))
      return TRUE;
    remember(g, buf, *i);
  }
  return FALSE;
}

#ifdef __SSE2__
/* Bits of the bytes equal to @c among the 64 at @p. */
static inline guint64
bits_of(const char *p, char c)
{
  const __m128i v = _mm_set1_epi8(c);
  guint64 b = 0;
  for (int k = 0; k < 4; k++) {
    __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * k));
    b |= (guint64)(guint32)_mm_movemask_epi8(_mm_cmpeq_epi8(x, v)) << (16 * k);
  }
  return b;
}
#endif

/* In the FAST state at @i: skips, 64 bytes at a time, the tags the
 * one-'<'-at-a-time loop would pass over (each '<' within CX_TAG_FAST bytes
 * of the one before and followed by neither '!' nor '?'), leaving the
 * state as that loop would after the last of them.  Returns where that loop
 * goes on: after the last '<' skipped (the bytes from there to the block
 * that stopped this hold no '<'), or @i. */
static gsize
fast_forward(CxTagGuard *g, const char *buf, gsize n, gsize i)
{
#ifdef __SSE2__
  /* the current tag's '<', before @buf when bytes of it were carried over */
  gssize last = (gssize)i - 1 - (gssize)g->carry_len;
  gssize from = last;
  gsize j = i;
  /* a block's last byte is followed by one more in @buf */
  while (j + 65 <= n) {
    guint64 lt = bits_of(buf + j, '<');
    if (lt != 0) {
      guint64 odd = bits_of(buf + j + 1, '!') | bits_of(buf + j + 1, '?');
      gssize first = (gssize)j + __builtin_ctzll(lt);
      if ((lt & odd) != 0 || first - last - 1 >= CX_TAG_FAST)
        break;
      last = (gssize)j + 63 - __builtin_clzll(lt);
    } else if ((gssize)j + 64 - last - 1 >= CX_TAG_FAST) {
      break;
    }
    j += 64;
  }
  if (last == from)
    return i;
  g->tag_start = g->base + (guint64)last;
  g->len = 1;
  g->attrs = 0;
  g->carry_len = 0;
  return (gsize)last + 1;
#else
  (void)g;
  (void)buf;
  (void)n;
  return i;
#endif
}

static gssize scan(CxTagGuard *g, const char *buf, gsize n, gboolean *too_many_attrs);

gssize
cx_tag_guard_scan(CxTagGuard *g, const char *buf, gsize n, gboolean *too_many_attrs)
{
  gssize r = scan(g, buf, n, too_many_attrs);
  g->base += n;
  return r;
}

static gssize
scan(CxTagGuard *g, const char *buf, gsize n, gboolean *too_many_attrs)
{
  gsize i = 0;
  while (i < n) {
    switch (g->state) {
      case TEXT: {
        const char *p = memchr(buf + i, '<', n - i);
        if (p == NULL)
          return -1;
        i = (gsize)(p - buf) + 1;
        g->tag_start = g->base + i - 1;
        g->state = OPEN;
        g->len = 1;
        g->attrs = 0;
        g->prefix_len = 0;
        break;
      }
      case OPEN: {
        /* "<!--", "<![CDATA[" and "<?" hold text, not attributes */
        g->prefix[g->prefix_len++] = buf[i];
        const char *p = g->prefix;
        guint k = g->prefix_len;
        if (p[0] == '?') {
          g->state = PI;
          g->tail[0] = g->tail[1] = '\0';
          i++;
        } else if (p[0] == '!' && k <= 3 && strncmp(p, "!--", k) == 0) {
          i++;
          if (k == 3) {
            g->state = COMMENT;
            g->tail[0] = g->tail[1] = '\0';
          }
        } else if (p[0] == '!' && k <= 8 && strncmp(p, "![CDATA[", k) == 0) {
          i++;
          if (k == 8) {
            g->state = CDATA;
            g->tail[0] = g->tail[1] = '\0';
          }
        } else {
          /* a tag (or a declaration): this byte is looked at again there */
          g->state = FAST;
          memcpy(g->carry, p, k - 1);
          g->carry_len = k - 1;
        }
        break;
      }
      case FAST: {
        /* from one '<' to the next */
        i = fast_forward(g, buf, n, i);
        const char *p = memchr(buf + i, '<', n - i);
        gsize end = p != NULL ? (gsize)(p - buf) : n;
        if (g->carry_len + (end - i) < CX_TAG_FAST) {
          if (p == NULL) {
            memcpy(g->carry + g->carry_len, buf + i, n - i);
            g->carry_len += n - i;
            return -1;
          }
          i = end + 1;
          g->tag_start = g->base + end;
          g->len = 1;
          g->attrs = 0;
          g->carry_len = 0;
          if (i == n || buf[i] == '!' || buf[i] == '?') {
            g->state = OPEN;
            g->prefix_len = 0;
          }
          break;
        }
        /* a long span: look at every byte of it, those carried over first */
        g->state = TAG;
        gboolean unused;
        scan(g, g->carry, g->carry_len, &unused);
        g->carry_len = 0;
        if (g->len > CX_TAG_MAX_BYTES || g->attrs > CX_TAG_MAX_ATTRS) {
          *too_many_attrs = g->attrs > CX_TAG_MAX_ATTRS;
          return (gssize)i;
        }
        break;
      }
      case TAG: {
        gsize j = i;
        while (j < n && !tag_stop[(guint8)buf[j]])
          j++;
        g->len += j - i;
        i = j;
        if (g->len > CX_TAG_MAX_BYTES) {
          *too_many_attrs = FALSE;
          return (gssize)MIN(i, n - 1);
        }
        if (i == n)
          return -1;
        g->len++;
        if (buf[i] == '>') {
          g->state = TEXT;
        } else {
          g->quote = buf[i];
          g->state = QUOTED;
          if (++g->attrs > CX_TAG_MAX_ATTRS) {
            *too_many_attrs = TRUE;
            return (gssize)i;
          }
        }
        i++;
        break;
      }
      case QUOTED: {
        const char *p = memchr(buf + i, g->quote, n - i);
        gsize end = p != NULL ? (gsize)(p - buf) + 1 : n;
        g->len += end - i;
        i = end;
        if (g->len > CX_TAG_MAX_BYTES) {
          *too_many_attrs = FALSE;
          return (gssize)(i - 1);
        }
        if (p != NULL)
          g->state = TAG;
        break;
      }
      case COMMENT:
        if (find_close(g, buf, n, &i, "--"))
          g->state = TEXT;
        break;
      case CDATA:
        if (find_close(g, buf, n, &i, "]]"))
          g->state = TEXT;
        break;
      case PI:
        if (find_close(g, buf, n, &i, "\0?"))
          g->state = TEXT;
        break;
      default:
        g_assert_not_reached();
    }
  }
  return -1;
}
