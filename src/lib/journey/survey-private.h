/* cxmine — why a selection came out empty.
 *
 * When the filter chain keeps no case of a log that has some, cx_log_scan()
 * reads the log once more with a survey attached to the log: the sink hands
 * it every attribute it sees and every journey before filtering; the survey
 * gathers the attribute keys and the values of the filtered keys, and the
 * chain (filter-explain.c) warns, through cx_notice() with the code
 * "empty-selection", naming the filter and the near misses.  The second read
 * happens only on that failure path. */
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
/* From the sink: a journey before the filters. */
void cx_survey_journey(CxSurvey *sv, const CxJourney *j);
/* Hands the warnings to the log's notice function. */
void cx_survey_explain(CxSurvey *sv);

G_END_DECLS
