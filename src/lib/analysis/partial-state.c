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
  *t = cx_unzigzag(v);
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

void
cx_partial_put_quantiles(GByteArray *out, const CxQuantiles *q)
{
  cx_quantiles_save(q, out);
}

gboolean
cx_partial_in_quantiles(CxPartialIn *in, CxQuantiles *q)
{
  return cx_quantiles_load(q, &in->p, in->end);
}

void
cx_partial_put_time(GByteArray *out, gint64 t)
{
  cx_partial_put_varint(out, cx_zigzag(t));
}

void
cx_partial_put_string(GByteArray *out, const char *s)
{
  gsize n = strlen(s);
  cx_partial_put_varint(out, n);
  g_byte_array_append(out, (const guint8 *)s, (guint)n);
}
