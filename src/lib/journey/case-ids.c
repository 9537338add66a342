/* Lists of the cases behind a result (see include/cxmine/case-ids.h). */
#include "cxmine/case-ids.h"
#include "cxmine/output.h"
#include <string.h>

gint64
cx_case_ref_first(const CxJourney *j)
{
  return cx_case_ref_key(cx_journey_first_time(j));
}

static int
cmp_ref(gconstpointer a, gconstpointer b, gpointer cases)
{
  const CxCaseRef *x = a, *y = b;
  if (x->first != y->first)
    return x->first < y->first ? -1 : 1;
  if (x->case_id == y->case_id)
    return 0;
  return strcmp(cx_pool_get(cases, x->case_id), cx_pool_get(cases, y->case_id));
}

void
cx_case_refs_sort(CxCaseRef *refs, gsize n, CxPool *cases)
{
  g_qsort_with_data(refs, (gint)n, sizeof(CxCaseRef), cmp_ref, cases);
}

void
cx_case_refs_to_ids(GArray *refs, CxPool *cases, GArray *ids)
{
  cx_case_refs_sort((CxCaseRef *)refs->data, refs->len, cases);
  g_array_set_size(ids, refs->len);
  for (guint k = 0; k < refs->len; k++)
    g_array_index(ids, guint32, k) = g_array_index(refs, CxCaseRef, k).case_id;
}

void
cx_case_ids_to_json(CxJson *json, CxPool *cases, const guint32 *ids, gsize n)
{
  cx_json_key(json, "case_ids");
  cx_json_begin_array(json);
  for (gsize k = 0; k < n; k++)
    cx_json_string(json, cx_pool_get(cases, ids[k]));
  cx_json_end_array(json);
}

void
cx_case_ids_to_text(GString *out, CxPool *cases, const guint32 *ids, gsize n, gsize max)
{
  for (gsize k = 0; k < n && (max == 0 || k < max); k++) {
    if (k > 0)
      g_string_append(out, ", ");
    g_string_append(out, cx_pool_get(cases, ids[k]));
  }
  if (max > 0 && n > max) {
    g_autofree char *more = cx_format_count(n - max);
    g_string_append_printf(out, " … and %s more", more);
  }
}
