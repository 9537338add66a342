/* cxmine — a small streaming JSON writer into a GString.
 *
 * Commas and escaping are handled here; numbers are written
 * locale-independently (shortest round-trip form for doubles, non-finite
 * values as null). */
#pragma once

#include <glib.h>
#include "cxmine/summary.h"

G_BEGIN_DECLS

typedef struct _CxJson CxJson;

/* Returns a writer appending to @out (not owned). @pretty indents by two spaces. */
CxJson *cx_json_new(GString *out, gboolean pretty);
void cx_json_free(CxJson *json);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CxJson, cx_json_free)

void cx_json_begin_object(CxJson *json);
void cx_json_end_object(CxJson *json);
void cx_json_begin_array(CxJson *json);
void cx_json_end_array(CxJson *json);
/* Writes an object key; the next value call writes its value. */
void cx_json_key(CxJson *json, const char *key);
void cx_json_string(CxJson *json, const char *s);
void cx_json_int(CxJson *json, gint64 v);
void cx_json_double(CxJson *json, double v);
/* A key and its number (null when not finite): the pair the reports write most. */
void cx_json_key_double(CxJson *json, const char *key, double v);
void cx_json_bool(CxJson *json, gboolean v);
void cx_json_null(CxJson *json);
/* Writes an ISO-8601 UTC time, or null for CX_TS_NONE. */
void cx_json_time(CxJson *json, gint64 t);

/* Writes @s as an object {"mean", "median", "p90", "min", "max", "total"},
 * each null when @s is empty (n = 0): unknown, not zero. The sample count
 * is the caller's to write beside it, under a name that says what was
 * counted ("waits"). */
void cx_json_summary(CxJson *json, const CxSummary *s);

/* Appends @s to @out as a JSON string literal, quotes included. */
void cx_json_escape(GString *out, const char *s);

G_END_DECLS
