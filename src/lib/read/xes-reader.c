/* The streaming XES reader (IEEE 1849-2016) over libxml2's SAX2 push parser.
 *
 * Only the event in flight is held: its interesting values (activity keys,
 * resource, channel, lifecycle, timestamp) are copied into one reusable
 * scratch buffer and pushed to the sink when </event> closes.  Element names
 * are compared as pointers into the parser's dictionary: libxml2 interns every
 * element and attribute name it reports, so "string" and "key" are looked up
 * once per parse and each callback does a few pointer compares.
 *
 * Decisions (documented here because they shape results):
 *  - elements are matched on local names, in any namespace (the XES one, the
 *    legacy deckfour one, or none);
 *  - a <date> time:timestamp that does not parse is an error (or, with
 *    skip_invalid, drops the event and counts it); a <string> timestamp is
 *    tried as ISO-8601 and as "yyyy/mm/dd HH:MM:SS(.fff)"; when that fails it
 *    is an error too, and with skip_invalid the event is kept untimed;
 *  - an event without time:timestamp is kept untimed (CX_TS_NONE);
 *  - <global> defaults apply to activity keys, resource, channel and
 *    lifecycle of events, and to every trace attribute; never to timestamps
 *    (a default time is a placeholder, not data);
 *  - nested attributes and list/container contents are skipped; the parent's
 *    own value (if any) is kept;
 *  - unknown elements are skipped with their contents; an <event> outside a
 *    <trace>, an event inside an event and a misplaced <trace>/<log> are errors;
 *  - entity declarations are errors (nothing is ever expanded).
 *
 * This file is the driver; xes-private.h lists the others.
 */
#include "xes-private.h"
#include "cxmine/timestamp.h"
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>

#define PARSE_SLICE (32 * 1024)

static void
fail_at(CxXesReader *r, int code, int line, int col, const char *msg)
{
  if (r->failed)
    return;
  r->failed = TRUE;
  if (line > 0 && col > 0)
    g_set_error(&r->error, CX_READER_ERROR, code, "%s:%d:%d: %s", cx_input_name(r->in), line, col,
                msg);
  else if (line > 0)
    g_set_error(&r->error, CX_READER_ERROR, code, "%s:%d: %s", cx_input_name(r->in), line, msg);
  else
    g_set_error(&r->error, CX_READER_ERROR, code, "%s: %s", cx_input_name(r->in), msg);
  if (r->ctxt != NULL)
    xmlStopParser(r->ctxt);
}

void
cx_xes_fail(CxXesReader *r, int code, const char *fmt, ...)
{
  if (r->failed)
    return;
  va_list ap;
  va_start(ap, fmt);
  g_autofree char *msg = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  int line = r->ctxt != NULL ? xmlSAX2GetLineNumber(r->ctxt) : 0;
  int col = r->ctxt != NULL ? xmlSAX2GetColumnNumber(r->ctxt) : 0;
  fail_at(r, code, line, col, msg);
}

/* Quotes at most 60 bytes of a value for a message, replacing control bytes. */
char *
cx_xes_shorten(const char *v, gsize len)
{
  GString *s = g_string_sized_new(MIN(len, 64) + 4);
  for (gsize i = 0; i < len && i < 60; i++)
    g_string_append_c(s, (guchar)v[i] < 0x20 ? '?' : v[i]);
  if (len > 60)
    g_string_append(s, "...");
  return g_string_free(s, FALSE);
}

/* ---------- errors from libxml2 ---------- */

static void
on_xml_error(void *data, xmlErrorPtr e)
{
  CxXesReader *r = data;
  if (r->failed || e == NULL || e->level == XML_ERR_WARNING)
    return;
  if (r->at_eof && r->depth > 0) {
    g_autofree char *m = g_strdup_printf("unexpected end of file: unclosed <%s>",
                                         (const char *)r->names[r->depth]);
    fail_at(r, CX_READER_ERROR_PARSE, e->line, e->int2, m);
    return;
  }
  if (r->all_blank) {
    fail_at(r, CX_READER_ERROR_EMPTY, e->line, e->int2, "empty document");
    return;
  }
  /* libxml2's messages start with a capital and end with a newline */
  g_autofree char *m = g_strdup(e->message != NULL ? e->message : "malformed XML");
  g_strstrip(m);
  if (m[0] >= 'A' && m[0] <= 'Z' && !(m[1] >= 'A' && m[1] <= 'Z'))
    m[0] = (char)g_ascii_tolower(m[0]);
  for (char *p = m; *p != '\0'; p++)
    if (*p == '\n' || *p == '\r')
      *p = ' ';
  fail_at(r, CX_READER_ERROR_PARSE, e->line, e->int2, m);
}

/* libxml2 reports some errors outside any parser context (a failed
 * encoding conversion, say) to its "generic" handler, which prints to
 * stderr; every parser error reaches on_xml_error through sax.serror. */
static void
silent_generic(void *ctx, const char *msg, ...)
{
}

/* XES has no DTD: an internal subset could only change the data (an
 * <!ATTLIST> default becomes an attribute value), so it is refused before
 * any of it is parsed.  libxml2 calls this with its cursor after the
 * DOCTYPE's name and ids, on the '[' that opens an internal subset. */
static void
on_internal_subset(void *data, const xmlChar *name, const xmlChar *external_id,
                   const xmlChar *system_id)
{
  CxXesReader *r = data;
  const xmlChar *cur = r->ctxt != NULL && r->ctxt->input != NULL ? r->ctxt->input->cur : NULL;
  while (cur != NULL && (*cur == ' ' || *cur == '\t' || *cur == '\n' || *cur == '\r'))
    cur++;
  if (cur != NULL && *cur == '[')
    cx_xes_fail(
        r, CX_READER_ERROR_PARSE,
        "refusing a DOCTYPE with an internal subset ('<!DOCTYPE %s [...]>'): XES has no DTD, "
        "and declarations there could change the data",
        name != NULL ? (const char *)name : "");
}

/* Declarations can only come from an internal subset (refused above); this
 * is the second lock. */
static void
on_attribute_decl(void *data, const xmlChar *elem, const xmlChar *fullname, int type, int def,
                  const xmlChar *default_value, xmlEnumerationPtr tree)
{
  CxXesReader *r = data;
  xmlFreeEnumeration(tree);
  cx_xes_fail(r, CX_READER_ERROR_PARSE, "refusing an <!ATTLIST> declaration: XES has no DTD");
}

static void
on_entity_decl(void *data, const xmlChar *name, int type, const xmlChar *public_id,
               const xmlChar *system_id, xmlChar *content)
{
  CxXesReader *r = data;
  cx_xes_fail(r, CX_READER_ERROR_PARSE, "entity declarations are not allowed '%s'",
              (const char *)name);
}

static xmlEntityPtr
on_get_entity(void *data, const xmlChar *name)
{
  /* only the five predefined entities exist; nothing is ever expanded */
  return xmlGetPredefinedEntity(name);
}

/* ---------- driver ---------- */

static void
intern_names(CxXesReader *r)
{
  xmlDictPtr dict = r->ctxt->dict;
#define N(s) xmlDictLookup(dict, (const xmlChar *)(s), -1)
  r->n_log = N("log");
  r->n_trace = N("trace");
  r->n_event = N("event");
  r->n_global = N("global");
  r->n_classifier = N("classifier");
  r->n_extension = N("extension");
  r->n_key = N("key");
  r->n_value = N("value");
  r->n_scope = N("scope");
  r->n_name = N("name");
  r->n_keys = N("keys");
  r->n_type[T_STRING] = N("string");
  r->n_type[T_DATE] = N("date");
  r->n_type[T_INT] = N("int");
  r->n_type[T_FLOAT] = N("float");
  r->n_type[T_BOOL] = N("boolean");
  r->n_type[T_ID] = N("id");
  r->n_type[T_LIST] = N("list");
  r->n_type[T_CONTAINER] = N("container");
#undef N
}

static void
reader_clear(CxXesReader *r)
{
  for (guint i = 0; i < r->n_slots; i++)
    g_free(r->slots[i].key);
  g_ptr_array_free(r->globals, TRUE);
  g_ptr_array_free(r->classifiers, TRUE);
  g_string_free(r->evbuf, TRUE);
  g_string_free(r->actbuf, TRUE);
  g_string_free(r->canon, TRUE);
  g_string_free(r->dec_key, TRUE);
  g_string_free(r->dec_value, TRUE);
  if (r->ctxt != NULL) {
    if (r->ctxt->myDoc != NULL)
      xmlFreeDoc(r->ctxt->myDoc);
    xmlFreeParserCtxt(r->ctxt);
  }
  g_clear_error(&r->error);
}

static gboolean parse(CxXesReader *r, CxInput *in, const char *buf, gssize n, GError **error);

gboolean
cx_xes_read(CxInput *in, CxSink *sink, const CxReadOptions *opts, GError **error)
{
  g_return_val_if_fail(in != NULL && sink != NULL && opts != NULL, FALSE);
  cx_input_set_progress(in, opts->progress, opts->progress_data);
  const char *buf;
  gssize n = cx_input_next(in, &buf, error);
  if (n < 0)
    return FALSE;
  if (n == 0) {
    g_set_error(error, CX_READER_ERROR, CX_READER_ERROR_EMPTY, "%s: empty file", cx_input_name(in));
    return FALSE;
  }
  return cx_xes_read_from(in, buf, (gsize)n, sink, opts, FALSE, error);
}

gboolean
cx_xes_read_from(CxInput *in, const char *buf, gsize n, CxSink *sink, const CxReadOptions *opts,
                 gboolean chunk, GError **error)
{
  if (opts->classifier != NULL && opts->activity_key != NULL) {
    g_set_error(error, CX_READER_ERROR, CX_READER_ERROR_MAPPING,
                "a classifier and an activity key cannot be used together ('%s', '%s')",
                opts->classifier, opts->activity_key);
    return FALSE;
  }

  CxXesReader r;
  memset(&r, 0, sizeof r);
  r.in = in;
  r.sink = sink;
  r.opts = opts;
  r.chunk = chunk;
  r.tz = cx_sink_naive_tz(sink);
  r.wants_attrs = cx_sink_wants_event_attrs(sink);
  r.globals = g_ptr_array_new_with_free_func(cx_xes_global_free);
  r.classifiers = g_ptr_array_new_with_free_func(cx_xes_classifier_free);
  r.evbuf = g_string_sized_new(256);
  r.actbuf = g_string_sized_new(64);
  r.canon = g_string_sized_new(64);
  r.dec_key = g_string_new(NULL);
  r.dec_value = g_string_new(NULL);

  xmlSAXHandler sax;
  memset(&sax, 0, sizeof sax);
  xmlSAXVersion(&sax, 2);
  sax.startElementNs = cx_xes_on_start;
  sax.endElementNs = cx_xes_on_end;
  sax.serror = on_xml_error;
  sax.entityDecl = on_entity_decl;
  sax.getEntity = on_get_entity;
  sax.getParameterEntity = on_get_entity;
  sax.startDocument = NULL; /* no xmlDoc is ever built */
  sax.endDocument = NULL;
  sax.internalSubset = on_internal_subset;
  sax.externalSubset = NULL;
  sax.resolveEntity = NULL;
  sax.reference = NULL;
  sax.characters = NULL;
  sax.ignorableWhitespace = NULL;
  sax.cdataBlock = NULL;
  sax.comment = NULL;
  sax.processingInstruction = NULL;
  sax.warning = NULL;
  sax.error = NULL;
  sax.fatalError = NULL;
  sax.startElement = NULL;
  sax.endElement = NULL;
  sax.attributeDecl = on_attribute_decl;
  sax.elementDecl = NULL;
  sax.notationDecl = NULL;
  sax.unparsedEntityDecl = NULL;

  r.ctxt = xmlCreatePushParserCtxt(&sax, &r, NULL, 0, cx_input_name(in));
  if (r.ctxt == NULL) {
    reader_clear(&r);
    g_set_error(error, CX_READER_ERROR, CX_READER_ERROR_IO, "%s: cannot create an XML parser",
                cx_input_name(in));
    return FALSE;
  }
  xmlCtxtUseOptions(r.ctxt, XML_PARSE_NONET | XML_PARSE_NOWARNING);
  intern_names(&r);

  /* The generic handler is libxml2's global state; built with threads
   * (as Debian's 2.9.14 is) it is per thread, like xmlSetStructuredErrorFunc's.
   * Saved here and put back before returning, it is silenced only on this
   * thread and only while this parse runs: a parser on another thread
   * keeps its own, and the caller's handler is the same afterwards.
   * (xmlCtxtSetErrorHandler, which would need no global, is libxml2 2.13.) */
  xmlGenericErrorFunc saved_generic = xmlGenericError;
  void *saved_generic_ctx = xmlGenericErrorContext;
  xmlSetGenericErrorFunc(NULL, silent_generic);
  gboolean ok = parse(&r, in, buf, (gssize)n, error);
  xmlSetGenericErrorFunc(saved_generic_ctx, saved_generic);
  reader_clear(&r);
  return ok;
}

/* Feeds the input to the parser, from the chunk @buf of @n bytes already
 * read, and settles which error wins. */
static gboolean
parse(CxXesReader *r, CxInput *in, const char *buf, gssize n, GError **error)
{
  GError *io_error = NULL;
  r->all_blank = TRUE;
  while (!r->failed) {
    for (gssize i = 0; r->all_blank && i < n; i++)
      r->all_blank = g_ascii_isspace(buf[i]);
    if (n == 0) {
      r->at_eof = TRUE;
      xmlParseChunk(r->ctxt, NULL, 0, 1);
      break;
    }
    guint64 base = r->guard.base;
    gboolean too_many_attrs = FALSE;
    if (cx_tag_guard_scan(&r->guard, buf, (gsize)n, &too_many_attrs) >= 0) {
      /* the parser takes what comes before the tag and its '<', so that
       * it has parsed up to the tag (text before a '<' is held until the
       * '<' arrives) and its position is the tag's, however the input was
       * cut into chunks */
      if (r->guard.tag_start >= base)
        xmlParseChunk(r->ctxt, buf, (int)(r->guard.tag_start - base + 1), 0);
      if (too_many_attrs)
        cx_xes_fail(r, CX_READER_ERROR_PARSE, "a start tag with more than %d attributes",
                    CX_TAG_MAX_ATTRS);
      else
        cx_xes_fail(r, CX_READER_ERROR_PARSE, "a start tag longer than %d bytes", CX_TAG_MAX_BYTES);
      break;
    }
    /* in slices: the parser's own buffer stays small and cache-warm */
    for (gssize off = 0; off < n && !r->failed; off += PARSE_SLICE) {
      xmlParseChunk(r->ctxt, buf + off, (int)MIN(n - off, PARSE_SLICE), 0);
    }
    if (r->failed)
      break;
    n = cx_input_next(in, &buf, &io_error);
    if (n < 0)
      break;
  }
  if (io_error != NULL) {
    cx_input_error_at_line(in, io_error, (guint64)MAX(xmlSAX2GetLineNumber(r->ctxt), 1));
    g_propagate_error(error, io_error);
    return FALSE;
  }
  if (!r->failed && !r->saw_root)
    cx_xes_fail(r, CX_READER_ERROR_EMPTY, "no <log> element");
  if (!r->failed && r->depth > 0)
    cx_xes_fail(r, CX_READER_ERROR_PARSE, "unexpected end of file: unclosed <%s>",
                (const char *)r->names[r->depth]);
  if (!r->failed)
    cx_xes_resolve(r); /* reports a missing classifier in a log without traces */
  if (r->failed) {
    if (r->error == NULL)
      g_set_error(&r->error, CX_READER_ERROR, CX_READER_ERROR_PARSE, "%s: malformed XML",
                  cx_input_name(in));
    g_propagate_error(error, g_steal_pointer(&r->error));
    return FALSE;
  }
  return TRUE;
}
