/* cxmine variants as text for people. */
#include "cxmine/variants.h"
#include "cxmine/case-ids.h"
#include "cxmine/output.h"
#include "quantiles-private.h"
#include <math.h>

void
cx_variants_to_text(CxLog *log, CxVariants *v, guint top, GString *out)
{
  guint n;
  const CxVariant *vs = cx_variants_sorted(v, &n);
  g_autofree char *ncases = cx_format_counted(cx_variants_n_cases(v), "case", "cases");
  g_autofree char *nvars = cx_format_counted(n, "variant", "variants");
  g_string_append_printf(out, "%s, %s\n", ncases, nvars);
  if (n == 0)
    return;
  g_string_append(out, "\n    #     cases   share    cum.  median dur.  example    activities\n");
  gboolean sketched = FALSE;
  for (guint i = 0; i < n && (top == 0 || i < top); i++) {
    sketched |= vs[i].duration_sketched;
    g_autofree char *count = cx_format_count(vs[i].count);
    g_autofree char *share = cx_format_share(vs[i].share);
    g_autofree char *cum = cx_format_share(vs[i].cumulative_share);
    g_autofree char *dur = isnan(vs[i].median_duration_s)
                               ? g_strdup("-")
                               : cx_format_duration(vs[i].median_duration_s);
    g_string_append_printf(out, "%5u %9s %7s %7s  %11s  %-10s ", i + 1, count, share, cum, dur,
                           cx_pool_get(cx_log_cases(log), vs[i].example_case));
    for (guint k = 0; k < vs[i].length; k++) {
      if (k > 0)
        g_string_append(out, " → ");
      g_string_append(out, cx_pool_get(cx_log_activities(log), vs[i].activities[k]));
    }
    g_string_append_c(out, '\n');
    if (vs[i].case_ids != NULL) {
      g_string_append(out, "      cases: ");
      cx_case_ids_to_text(out, cx_log_cases(log), vs[i].case_ids, vs[i].n_case_ids, 0);
      g_string_append_c(out, '\n');
    }
  }
  if (top > 0 && n > top) {
    g_autofree char *more = cx_format_counted(n - top, "more variant", "more variants");
    g_string_append_printf(out, "… %s (use --top 0 for all)\n", more);
  }
  cx_quantiles_note(out, sketched);
}
