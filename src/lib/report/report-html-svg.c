/* cxmine — the report's pictures: dot runs, several at once, and the check
 * (with libxml2) that an SVG is safe to put in the page. */
#include "report-html-private.h"
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <string.h>
#include <unistd.h>

static gboolean
svg_node_ok(xmlNode *n, GError **error)
{
  static const char *const banned[]
      = { "script", "foreignObject", "iframe", "object",  "embed",    "use", "image",
          "style",  "animate",       "set",    "handler", "listener", NULL };
  for (; n != NULL; n = n->next) {
    if (n->type == XML_ENTITY_REF_NODE || n->type == XML_ENTITY_DECL
        || n->type == XML_XINCLUDE_START) {
      g_set_error(error, CX_REPORT_ERROR, CX_REPORT_ERROR_SVG, "the map's SVG holds an entity");
      return FALSE;
    }
    if (n->type != XML_ELEMENT_NODE)
      continue;
    for (const char *const *b = banned; *b; b++)
      if (g_ascii_strcasecmp((const char *)n->name, *b) == 0) {
        g_set_error(error, CX_REPORT_ERROR, CX_REPORT_ERROR_SVG,
                    "the map's SVG holds a <%s> element", *b);
        return FALSE;
      }
    for (xmlAttr *a = n->properties; a != NULL; a = a->next) {
      const char *name = (const char *)a->name;
      if (g_ascii_strncasecmp(name, "on", 2) == 0 || g_ascii_strcasecmp(name, "href") == 0
          || g_ascii_strcasecmp(name, "style") == 0) {
        g_set_error(error, CX_REPORT_ERROR, CX_REPORT_ERROR_SVG,
                    "the map's SVG holds a '%s' attribute", name);
        return FALSE;
      }
    }
    if (!svg_node_ok(n->children, error))
      return FALSE;
  }
  return TRUE;
}

char *
cx_html_safe_svg(const char *svg, gsize len, GError **error)
{
  /* no network, no entity substitution, no DTD loading */
  xmlDoc *doc = xmlReadMemory(svg, (int)len, "map.svg", "UTF-8",
                              XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  if (doc == NULL) {
    g_set_error(error, CX_REPORT_ERROR, CX_REPORT_ERROR_SVG, "the map's SVG is not well-formed");
    return NULL;
  }
  gboolean ok = TRUE;
  xmlNode *root = xmlDocGetRootElement(doc);
  if (doc->intSubset != NULL && doc->intSubset->children != NULL) {
    g_set_error(error, CX_REPORT_ERROR, CX_REPORT_ERROR_SVG, "the map's SVG declares entities");
    ok = FALSE;
  } else if (root == NULL || strcmp((const char *)root->name, "svg") != 0) {
    g_set_error(error, CX_REPORT_ERROR, CX_REPORT_ERROR_SVG, "the map's SVG has no <svg> root");
    ok = FALSE;
  } else {
    ok = svg_node_ok(root, error);
  }
  xmlFreeDoc(doc);
  if (!ok)
    return NULL;
  /* the text from the root element on: no prolog, no doctype, no comments before it */
  const char *p = g_strstr_len(svg, (gssize)len, "<svg");
  if (p == NULL) {
    g_set_error(error, CX_REPORT_ERROR, CX_REPORT_ERROR_SVG, "the map's SVG has no <svg> root");
    return NULL;
  }
  return g_strndup(p, len - (gsize)(p - svg));
}

char *
cx_html_render_svg(GString *dot_text, guint timeout_s, GError **error)
{
  g_autofree char *path = NULL;
  int fd = g_file_open_tmp("cxmine-report-XXXXXX.svg", &path, error);
  if (fd < 0)
    return NULL;
  close(fd);
  gboolean ok = cx_dot_render_file(dot_text->str, dot_text->len, "svg", timeout_s, path, error);
  g_autofree char *svg = NULL;
  gsize len = 0;
  if (ok)
    ok = g_file_get_contents(path, &svg, &len, error);
  unlink(path);
  if (!ok)
    return NULL;
  return cx_html_safe_svg(svg, len, error);
}

static void
render_job(gpointer data, gpointer user_data)
{
  CxHtmlRender *j = data;
  j->svg = cx_html_render_svg(j->dot, j->timeout_s, &j->error);
}

gboolean
cx_html_render_all(CxHtmlRender *jobs, guint n, GError **error)
{
  xmlInitParser(); /* before threads parse */
  guint threads = CLAMP(g_get_num_processors(), 1, 4);
  GThreadPool *pool = g_thread_pool_new(render_job, NULL, (gint)threads, FALSE, NULL);
  for (guint i = 0; i < n; i++)
    if (jobs[i].dot != NULL)
      g_thread_pool_push(pool, &jobs[i], NULL);
  g_thread_pool_free(pool, FALSE, TRUE);
  for (guint i = 0; i < n; i++)
    if (jobs[i].dot != NULL && jobs[i].svg == NULL) {
      g_propagate_error(error, g_steal_pointer(&jobs[i].error));
      return FALSE;
    }
  return TRUE;
}
