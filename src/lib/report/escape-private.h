/* cxmine — escaping text for the documents the report writers make: one
 * function per context, and one table of character references they share.
 *
 * Contexts:
 *  - HTML text and attribute values (the journey report): cx_escape_html();
 *  - XML 1.0 attribute values (the XES writer): cx_escape_xml_attr();
 *  - JSON inside an HTML <script> element: cx_escape_script_json();
 *  - a quoted DOT string (dot-writer.c, cx_dot_append_quoted()): its own
 *    function, since DOT quoting (backslashes, "\n" line breaks, pieces for
 *    Graphviz's lexer, control characters as spaces) is a different grammar;
 *    the markup references inside it come from cx_escape_ref().
 * JSON strings themselves are json-writer.c's (cx_json_escape()). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Which characters a context writes as references. */
typedef enum {
  CX_ESCAPE_MARKUP = 1 << 0, /* & < > as &amp; &lt; &gt; */
  CX_ESCAPE_QUOTE = 1 << 1,  /* " as &quot; */
  CX_ESCAPE_APOS = 1 << 2,   /* ' as &#39; */
  CX_ESCAPE_BREAKS = 1 << 3, /* line feed, carriage return, tab as &#10; &#13; &#9; (an
                              * attribute value would normalise raw ones to spaces) */
  CX_ESCAPE_RECORD = 1 << 4, /* { } | as &#123; &#125; &#124; (Graphviz record labels) */
} CxEscapeSet;

/* Appends the reference for @c when @c is in @set; FALSE (nothing
 * appended) when it is not. */
gboolean cx_escape_ref(GString *out, gunichar c, CxEscapeSet set);

/* Appends @s (NULL: nothing) for HTML text or a quoted attribute value:
 * & < > " ' as references, every other byte as it is. */
void cx_escape_html(GString *out, const char *s);

/* Appends @s as the content of a quoted XML 1.0 attribute value: & < > " and
 * line breaks and tabs as references; other control characters (which XML
 * 1.0 cannot hold) and invalid UTF-8 as U+FFFD. */
void cx_escape_xml_attr(GString *out, const char *s);

/* Appends JSON text @json (as the cx_json writer makes it) made safe inside
 * a <script> element: every < > & and U+2028/U+2029 written as \uXXXX. */
void cx_escape_script_json(GString *out, const char *json);

G_END_DECLS
