/* cxmine — "did you mean": near misses among names a person typed.
 *
 * A name typed on the command line (a command, a column, an activity, an
 * attribute key or value) that matches nothing is compared with the names
 * that exist; the close ones are suggested.  Close means, ignoring ASCII
 * case: the same name (then only such names are suggested); at most a few
 * edits away (insertions, deletions, substitutions, swaps of neighbours;
 * about one per three characters, none for names under 3 characters); or,
 * for names of 3 characters or more, a prefix or a part of the candidate.
 * Candidates are ranked by edits, then by name, so the answer never depends
 * on the order they were offered in. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _CxSuggest CxSuggest;

/* Returns a new matcher for @typed (copied). */
CxSuggest *cx_suggest_new(const char *typed);
void cx_suggest_free(CxSuggest *s);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CxSuggest, cx_suggest_free)

/* Offers a candidate (copied when it is close; repeats are ignored). */
void cx_suggest_add(CxSuggest *s, const char *candidate);
/* The closest candidates, best first, at most @max: a NULL-terminated array
 * (empty when nothing is close); free with g_strfreev. */
char **cx_suggest_best(const CxSuggest *s, guint max);
/* "'a'", "'a' or 'b'", "'a', 'b' or 'c'": the closest candidates quoted, at
 * most @max; "" when nothing is close.  Returns a new string. */
char *cx_suggest_list(const CxSuggest *s, guint max);
/* " (did you mean 'a'?)", " (did you mean 'a' or 'b'?)", ..., or "" when
 * nothing is close: at most @max names.  Returns a new string. */
char *cx_suggest_phrase(const CxSuggest *s, guint max);

/* The edit distance between @a and @b, ignoring ASCII case (optimal string
 * alignment: a swap of neighbours is one edit). */
guint cx_suggest_distance(const char *a, const char *b);

/* Convenience: the phrase above for @typed among the NULL-terminated
 * @candidates. Returns a new string. */
char *cx_suggest_among(const char *typed, const char *const *candidates, guint max);

G_END_DECLS
