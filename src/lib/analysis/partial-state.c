/* cxmine — analysis state in a partial (partial-private.h): which analyses
 * save their state, and the reading and writing helpers their save and
 * load functions use. */
#include "partial-file-private.h"
#include "cxmine/case-ids.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const CxPartialState *const states[]
    = { &cx_stats_partial_state, &cx_variants_partial_state, &cx_dfg_partial_state };

const CxPartialState *
cx_partial_state_of(const char *command)
{
  for (gsize i = 0; i < G_N_ELEMENTS(states); i++)
    if (strcmp(states[i]->command, command) == 0)
      return states[i];
  return NULL;
}

gboolean
cx_partial_in_refuse(CxPartialIn *in, const char *why)
{
  in->why = why;
  return FALSE;
}

gboolean
cx_partial_in_case_refs(CxPartialIn *in, guint64 n, GArray **refs)
{
  for (guint64 k = 0; k < n; k++) {
    CxCaseRef r;
    if (!cx_partial_in_case(in, &r.case_id) || !cx_partial_in_time(in, &r.first))
      return FALSE;
    if (refs == NULL)
      continue;
    if (*refs == NULL)
      *refs = g_array_new(FALSE, FALSE, sizeof(CxCaseRef));
    g_array_append_val(*refs, r);
  }
  return TRUE;
}

void
cx_partial_put_case_refs(GByteArray *out, CxPool *cases, const GArray *refs)
{
  for (guint k = 0; refs != NULL && k < refs->len; k++) {
    const CxCaseRef *r = &g_array_index(refs, CxCaseRef, k);
    cx_partial_put_string(out, cx_pool_get(cases, r->case_id));
    cx_partial_put_time(out, r->first);
  }
}

gboolean
cx_partial_in_varint(CxPartialIn *in, guint64 *v)
{
  return cx_partial_get_varint(&in->p, in->end, v);
}

gboolean
cx_partial_in_time(CxPartialIn *in, gint64 *t)
{
  guint64 v;
  if (!cx_partial_get_varint(&in->p, in->end, &v))
    return FALSE;
  *t = cx_partial_unzigzag(v);
  return TRUE;
}

gboolean
cx_partial_in_id(CxPartialIn *in, CxPartialTable table, guint32 *id)
{
  guint64 v;
  int t = table == CX_PARTIAL_ACTIVITIES  ? T_ACTIVITIES
          : table == CX_PARTIAL_RESOURCES ? T_RESOURCES
                                          : T_CHANNELS;
  return cx_partial_get_varint(&in->p, in->end, &v) && cx_partial_remap_id(in->m, t, v, id);
}

gboolean
cx_partial_in_case(CxPartialIn *in, guint32 *id)
{
  guint64 n;
  if (!cx_partial_get_varint(&in->p, in->end, &n) || n > (guint64)(in->end - in->p))
    return FALSE;
  *id = cx_pool_intern(in->log->cases, (const char *)in->p, (gssize)n);
  in->p += n;
  return TRUE;
}

/* sample list modes */
enum { SAMPLES_USEC = 0, SAMPLES_RAW = 1 };

static int
cmp_gint64(const void *a, const void *b)
{
  gint64 x = *(const gint64 *)a, y = *(const gint64 *)b;
  return x < y ? -1 : x > y;
}

void
cx_partial_put_samples(GByteArray *out, const double *values, gsize n)
{
  cx_partial_put_varint(out, n);
  if (n == 0)
    return;
  g_autofree gint64 *us = g_new(gint64, n);
  gboolean exact = TRUE;
  for (gsize i = 0; i < n && exact; i++) {
    double x = values[i];
    if (!(x > -9e12 && x < 9e12)) {
      exact = FALSE;
      break;
    }
    us[i] = (gint64)llround(x * 1e6);
    double back = (double)us[i] / 1e6;
    exact = memcmp(&back, &x, sizeof x) == 0;
  }
  if (!exact) {
    cx_partial_put_varint(out, SAMPLES_RAW);
    for (gsize i = 0; i < n; i++) {
      guint64 b;
      memcpy(&b, &values[i], 8);
      cx_partial_put_u64(out, b);
    }
    return;
  }
  cx_partial_put_varint(out, SAMPLES_USEC);
  qsort(us, n, sizeof(gint64), cmp_gint64);
  cx_partial_put_varint(out, cx_partial_zigzag(us[0]));
  for (gsize i = 1; i < n; i++)
    cx_partial_put_varint(out, (guint64)(us[i] - us[i - 1]));
}

gboolean
cx_partial_in_samples(CxPartialIn *in, GArray *values)
{
  guint64 n, mode, v;
  if (!cx_partial_in_varint(in, &n) || n > (guint64)(in->end - in->p))
    return FALSE;
  if (n == 0)
    return TRUE;
  if (!cx_partial_in_varint(in, &mode) || mode > SAMPLES_RAW)
    return FALSE;
  guint old = values->len;
  g_array_set_size(values, old + (guint)n);
  double *out = &g_array_index(values, double, old);
  if (mode == SAMPLES_RAW) {
    if ((guint64)(in->end - in->p) < n * 8)
      return FALSE;
    for (guint64 i = 0; i < n; i++) {
      guint64 b = 0;
      for (int k = 0; k < 8; k++)
        b |= (guint64)in->p[k] << (8 * k);
      memcpy(&out[i], &b, 8);
      in->p += 8;
    }
    return TRUE;
  }
  if (!cx_partial_in_varint(in, &v))
    return FALSE;
  gint64 us = cx_partial_unzigzag(v);
  out[0] = (double)us / 1e6;
  for (guint64 i = 1; i < n; i++) {
    if (!cx_partial_in_varint(in, &v) || v > (guint64)G_MAXINT64)
      return FALSE;
    us += (gint64)v;
    out[i] = (double)us / 1e6;
  }
  return TRUE;
}

void
cx_partial_put_time(GByteArray *out, gint64 t)
{
  cx_partial_put_varint(out, cx_partial_zigzag(t));
}

void
cx_partial_put_string(GByteArray *out, const char *s)
{
  gsize n = strlen(s);
  cx_partial_put_varint(out, n);
  g_byte_array_append(out, (const guint8 *)s, (guint)n);
}
