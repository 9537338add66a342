/* cxmine — why a selection came out empty.
 *
 * When the case filters keep no case of a log that has some, cx_log_scan()
 * reads the log once more with a survey attached to the log: the sink hands
 * it every attribute it sees (event attributes flow when --where asks for
 * them, which is when they matter) and every journey before filtering; it
 * counts what each filter alone would keep and what the log holds instead
 * (activity names, attribute keys and values, the period).  It then warns,
 * through cx_notice() with the code "empty-selection", naming the filter and
 * the near misses.  The second read happens only on that failure path. */
#pragma once

#include "log-private.h"

G_BEGIN_DECLS

typedef struct _CxSurvey CxSurvey;

/* TRUE when the last scan of @log kept no case although filters removed some. */
gboolean cx_survey_wanted(const CxLog *log);
CxSurvey *cx_survey_new(CxLog *log);
void cx_survey_free(CxSurvey *sv);
/* Forgets the journeys seen (a scan that starts over). */
void cx_survey_reset(CxSurvey *sv);
/* From the sink: one trace, case or event attribute. */
void cx_survey_attr(CxSurvey *sv, const char *key, gsize key_len, const char *value,
                    gsize value_len);
/* From the sink: a journey before the filters, with the --where clauses it
 * matched (bit i = clause i). */
void cx_survey_journey(CxSurvey *sv, const CxJourney *j, guint32 where_match);
/* Hands the warnings to the log's notice function. */
void cx_survey_explain(CxSurvey *sv);

G_END_DECLS
