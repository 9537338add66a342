/* cxmine — variants: the distinct activity sequences of the journeys. */
#pragma once

#include <glib.h>
#include "cxmine/log.h"
#include "cxmine/reader.h"
#include "cxmine/json-writer.h"

G_BEGIN_DECLS

typedef struct _CxVariants CxVariants;

typedef struct {
  const guint32 *activities; /* activity ids */
  guint length;
  guint64 count;
  double share;               /* of all cases */
  double cumulative_share;    /* of all cases, in this order */
  double median_duration_s;   /* NaN when no case of it has a duration */
  gboolean duration_sketched; /* the median came from a sketch (quantile_rel_error) */
  guint32 example_case;       /* id in cx_log_cases(): the case that starts first (ties: the
                               * smaller case id), whatever the order of the input */
  const guint32 *case_ids;    /* with cx_variants_keep_case_ids(): every case of the variant
                               * (ids in cx_log_cases()), by start time then case id; else NULL */
  guint n_case_ids;
} CxVariant;

/* Returns an empty collection over @log (not owned; must outlive it). */
CxVariants *cx_variants_new(CxLog *log);
void cx_variants_free(CxVariants *v);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CxVariants, cx_variants_free)

/* Keeps the id of every case per variant (CxVariant.case_ids, "case_ids" in
 * JSON). Call before the first journey is added. */
void cx_variants_keep_case_ids(CxVariants *v);
/* Adds one journey. A CxJourneyFunc: pass @v as user data. */
gboolean cx_variants_add(const CxJourney *j, gpointer v, GError **error);
/* Adds one journey and returns the id of its variant (stable until a reset),
 * for cx_variants_rank(). */
guint32 cx_variants_add_journey(CxVariants *v, const CxJourney *j);
/* The 1-based rank of variant @id in cx_variants_sorted() (sorting first when needed). */
guint cx_variants_rank(CxVariants *v, guint32 id);
/* Forgets everything (a CxResetFunc). */
void cx_variants_reset(gpointer v);
/* Adds @src's variants to @dst (both over the same log; @src is unchanged). */
void cx_variants_merge(CxVariants *dst, const CxVariants *src);
/* A CxForkFunc / CxMergeFunc for cx_log_set_split(): empty variants like
 * @v (its log, whether it keeps case ids), and cx_variants_merge() of
 * @part into @v, then @part freed. */
gpointer cx_variants_fork(gpointer v);
void cx_variants_absorb(gpointer v, gpointer part);

guint64 cx_variants_n_cases(const CxVariants *v);
/* Sorts (most frequent first; ties: the variant whose example starts first) and returns the
 * variants; the array and its contents are owned by @v. */
const CxVariant *cx_variants_sorted(CxVariants *v, guint *n);
/* Writes {"cases","variants_total","truncated","variants":[...]} (each variant
 * with "case_ids" when kept) with at most
 * @top variants (0 = all); "truncated" says whether some were left out
 * (docs/json.md lists every key). */
void cx_variants_to_json(CxVariants *v, CxJson *json, guint top);

/* The @top most frequent variants (0 = all) as text for people, appended to @out. */
void cx_variants_to_text(CxLog *log, CxVariants *v, guint top, GString *out);

G_END_DECLS
