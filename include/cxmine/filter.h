/* cxmine — filters: which journeys (and which of their events) an analysis sees.
 *
 * A CxFilterChain is an ordered list of filters, each named by the command
 * line option that makes it (without the dashes) and its argument.  The
 * chain is given to the reader (CxReadOptions.filters) and applied to every
 * journey as it is built, in order: each filter sees what the ones before it
 * kept.  Case filters keep or drop a whole journey; event filters (trim,
 * keep-events) keep some of its events and rebuild it (lifecycle pairing
 * again; a journey left without events is dropped).  Filters that need the
 * whole log (variant rank and share) are decided in a pre-pass.
 *
 * The filters, by option (see cx_filter_chain_add()):
 *   from DATE, to DATE     cases started in [from, to): the same window
 *                          (started mode) until the other bound is given
 *   window [MODE:]FROM,TO  a time window; MODE is contained, intersecting,
 *                          started, completed or trim (keep only the events
 *                          inside); without one, window-mode's (default
 *                          intersecting); FROM or TO may be empty (open)
 *   window-mode MODE       the mode of the windows that name none (no filter)
 *   where EXPR             cases for which EXPR holds (cx_filter_expr_parse)
 *   keep-events EXPR       only the events for which EXPR holds
 *   min-duration DUR, max-duration DUR   journey duration (last - first) bounds, inclusive
 *   min-steps N, max-steps N             number of activity instances, inclusive
 *   wait 'A->B OP DUR'     the wait from the first A to the first B after it
 *                          (B's start, or its time, minus A's time); OP is
 *                          >, >=, < or <=; cases without such a pair drop
 *   follows 'A->B'         some A is directly followed by B
 *   follows 'A->>B [within DUR]'  some A is followed later by B (within DUR
 *                          of A's time)
 *   not-follows ...        the same rules, negated: no A is followed so
 *                          (cases without A pass)
 *   variant PATTERN        the activity sequence matches a comma-separated
 *                          pattern: a name, '?' (any one activity), '*' (any
 *                          run, also empty); names with , * ? or quotes are
 *                          quoted "..." or '...'
 *   min-variant-share S    cases of variants holding at least S (0..1) of
 *                          the cases that reach this filter
 *   top-variants N         cases of the N most frequent variants (ties: the
 *                          variant whose first case starts earlier, then its
 *                          case id)
 *   starts-with A, ends-with A           the first / last activity is A
 *
 * Times without an offset are read in the log's display zone
 * (cx_log_display_tz(): --display-timezone, else --timezone, else UTC).
 *
 * Expressions (where, keep-events): conditions joined with AND, OR, NOT
 * (any case) and parentheses.  A condition is KEY=VALUE, KEY!=VALUE,
 * KEY~REGEX, KEY!~REGEX (GRegex, unanchored), KEY<N, KEY<=N, KEY>N, KEY>=N,
 * or KEY in LO..HI (inclusive; LO or HI may be left out).  Keys and values
 * may be quoted ("..." or '...', backslash escapes the quote); an unquoted
 * value runs to the next AND/OR or the closing parenthesis of its group.
 * The keys activity, resource, channel and case name the mapped fields
 * (concept:name and org:resource too, unless other keys are mapped); any
 * other key is a trace (case) attribute or an event attribute.
 *   where: a condition holds for a case when the case attribute or any of
 *   its events' values satisfies it; KEY@first and KEY@last test only the
 *   case's value, else its first or last non-empty event value.  KEY!=V is
 *   NOT KEY=V (no value is V), as is !~.
 *   keep-events: a condition holds for an event when its own value (else
 *   the case attribute) satisfies it; a missing value is "".
 *   Numbers compare only values that are numbers.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CX_FILTER_ERROR (cx_filter_error_quark())
GQuark cx_filter_error_quark(void);

typedef enum {
  CX_FILTER_ERROR_SYNTAX, /* an argument that does not parse; the message names the column */
  CX_FILTER_ERROR_OPTION, /* an unknown filter name */
} CxFilterError;

typedef struct _CxFilterChain CxFilterChain;

/* Returns a new, empty chain. */
CxFilterChain *cx_filter_chain_new(void);
void cx_filter_chain_free(CxFilterChain *chain);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CxFilterChain, cx_filter_chain_free)

/* Appends the filter @option (a name above, without "--") with @arg.
 * Returns FALSE with @error set (CX_FILTER_ERROR_SYNTAX: one line
 * "--OPTION: what, at column N of 'ARG'") when @arg does not parse. */
gboolean cx_filter_chain_add(CxFilterChain *chain, const char *option, const char *arg,
                             GError **error);

/* The number of filters (window-mode is not one). */
guint cx_filter_chain_len(const CxFilterChain *chain);
/* How filter @i is named in messages: "--where 'x=1'". Owned by the chain. */
const char *cx_filter_chain_name(const CxFilterChain *chain, guint i);
/* The name of the first filter that needs the whole log before it can
 * decide (top-variants, min-variant-share), or NULL (also for a NULL chain). */
const char *cx_filter_chain_whole_log(const CxFilterChain *chain);
/* What filter @i saw and kept in the last scan: cases and (raw) events. */
void cx_filter_chain_counts(const CxFilterChain *chain, guint i, guint64 *cases_in,
                            guint64 *cases_kept, guint64 *events_in, guint64 *events_kept);

/* Parses a duration: one or more NUMBER UNIT (w, d, h, m, s), e.g. 30d, 12h,
 * 1d12h, 1.5h; @len bytes of @s (-1: NUL-terminated).  FALSE when @s is not
 * one or is not positive. */
gboolean cx_duration_parse(const char *s, gssize len, gint64 *out_us);

G_END_DECLS
