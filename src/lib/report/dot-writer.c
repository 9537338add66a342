/* Graphviz DOT maps: escaping, colours, a small builder, DFG maps, rendering. */
#include "cxmine/dot-writer.h"
#include "escape-private.h"
#include "cxmine/output.h"
#include <math.h>
#include <string.h>
#include <unistd.h>

/* the quark's name is one token, which clang-format would split */
/* clang-format off */
G_DEFINE_QUARK(cx-dot-error-quark, cx_dot_error)
/* clang-format on */

/* ---------- helpers ---------- */

/* Graphviz's lexer refuses a quoted string of 16,384 bytes or more; longer
 * strings are written as "..." + "..." pieces, which DOT joins. */
#define PIECE_MAX 8000

/* DOT's own quoting, not escape.c's: a quoted DOT string escapes " and \ with
 * backslashes, writes line breaks as "\n", makes control characters spaces and is
 * cut into pieces; only the markup inside it (Graphviz reads entities in every
 * label) is the shared table's, cx_escape_ref(). */
void
cx_dot_append_quoted(GString *out, const char *s)
{
  g_autofree char *valid = g_utf8_make_valid(s != NULL ? s : "", -1);
  g_string_append_c(out, '"');
  gsize piece = out->len;
  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char(p)) {
    gunichar c = g_utf8_get_char(p);
    if (out->len - piece >= PIECE_MAX) {
      /* between two characters: never inside an escape or an entity */
      g_string_append(out, "\" + \"");
      piece = out->len;
    }
    switch (c) {
      case '"':
        g_string_append(out, "\\\"");
        break;
      case '\\':
        g_string_append(out, "\\\\");
        break;
      case '\n':
        g_string_append(out, "\\n");
        break;
      case '\r':
        break;
      case '\t':
        g_string_append_c(out, ' ');
        break;
      default:
        /* markup as references: Graphviz reads entities in any label */
        if (cx_escape_ref(out, c, CX_ESCAPE_MARKUP | CX_ESCAPE_RECORD))
          break;
        /* raw UTF-8: Graphviz 2.42+ turns numeric references above the
         * BMP into invalid UTF-8. Control characters (C0, DEL, C1) and the
         * noncharacters XML refuses do not reach the picture. */
        if (c < 0x20 || (c >= 0x7f && c < 0xa0))
          g_string_append_c(out, ' ');
        else if (c == 0xfffe || c == 0xffff)
          g_string_append(out, "\xef\xbf\xbd");
        else
          g_string_append_len(out, p, g_utf8_next_char(p) - p);
    }
  }
  g_string_append_c(out, '"');
}

/* Whether @c continues the grapheme cluster before it (combining marks,
 * variation selectors, emoji modifiers and tags, Hangul vowels and finals):
 * a close approximation of UAX #29 that never splits a character. */
static gboolean
extends(gunichar c)
{
  return g_unichar_ismark(c) || c == 0x200d || (c >= 0xfe00 && c <= 0xfe0f)
         || (c >= 0x1f3fb && c <= 0x1f3ff) || (c >= 0xe0020 && c <= 0xe007f)
         || (c >= 0xe0100 && c <= 0xe01ef) || (c >= 0x1160 && c <= 0x11ff);
}

static gboolean
regional(gunichar c)
{
  return c >= 0x1f1e6 && c <= 0x1f1ff;
}

/* The end of the grapheme cluster that starts at @p (not at its end). */
static const char *
grapheme_next(const char *p)
{
  gunichar c = g_utf8_get_char(p);
  gboolean pair = regional(c);
  p = g_utf8_next_char(p);
  while (*p != '\0') {
    gunichar n = g_utf8_get_char(p);
    if (extends(n) || (c == 0x200d && n >= 0x80) || (pair && regional(n))) {
      pair = FALSE;
      c = n;
      p = g_utf8_next_char(p);
      continue;
    }
    break;
  }
  return p;
}

/* Appends @line to @out, shortened to at most @max grapheme clusters with
 * "…" in the middle (names that share a long prefix keep their distinct
 * ends). Returns TRUE when it was shortened. */
static gboolean
append_short_line(GString *out, const char *line, gsize len, guint max)
{
  g_autofree char *l = g_strndup(line, len);
  guint n = 0;
  for (const char *p = l; *p != '\0'; p = grapheme_next(p))
    n++;
  if (n <= max) {
    g_string_append(out, l);
    return FALSE;
  }
  guint tail = (max - 1) * 3 / 10, head = max - 1 - tail;
  guint k = 0;
  const char *p = l, *tail_at = l + strlen(l); /* no tail when @max is tiny */
  for (; *p != '\0'; p = grapheme_next(p), k++) {
    if (k == head)
      g_string_append_len(out, l, p - l);
    if (k == n - tail) {
      tail_at = p;
      break;
    }
  }
  g_string_append(out, "…");
  g_string_append(out, tail_at);
  return TRUE;
}

char *
cx_dot_short_label(const char *label, guint max, gboolean *shortened)
{
  g_autofree char *valid = g_utf8_make_valid(label != NULL ? label : "", -1);
  GString *out = g_string_new(NULL);
  gboolean any = FALSE;
  for (const char *p = valid;;) {
    const char *nl = strchr(p, '\n');
    gsize len = nl != NULL ? (gsize)(nl - p) : strlen(p);
    any = append_short_line(out, p, len, MAX(max, 2)) || any;
    if (nl == NULL)
      break;
    g_string_append_c(out, '\n');
    p = nl + 1;
  }
  if (shortened != NULL)
    *shortened = any;
  return g_string_free(out, FALSE);
}

char *
cx_dot_escape(const char *s)
{
  GString *out = g_string_new(NULL);
  cx_dot_append_quoted(out, s);
  return g_string_free(out, FALSE);
}

typedef struct {
  double t;
  guint8 r, g, b;
} Stop;

static const Stop blue[]
    = { { 0, 0xf4, 0xf8, 0xfc }, { 0.5, 0x8c, 0xbc, 0xdc }, { 1, 0x08, 0x40, 0x80 } };
static const Stop orange[]
    = { { 0, 0xff, 0xf7, 0xec }, { 0.5, 0xfc, 0x9a, 0x5a }, { 1, 0x8b, 0x10, 0x00 } };
static const Stop diverging[]
    = { { -1, 0x1a, 0x98, 0x50 }, { 0, 0xee, 0xee, 0xee }, { 1, 0xd7, 0x30, 0x27 } };

static void
interpolate(CxDotPalette palette, double t, guint8 rgb[3])
{
  const Stop *s = palette == CX_DOT_PALETTE_BLUE     ? blue
                  : palette == CX_DOT_PALETTE_ORANGE ? orange
                                                     : diverging;
  double lo = s[0].t, hi = s[2].t;
  if (isnan(t))
    t = lo;
  t = CLAMP(t, lo, hi);
  guint k = t <= s[1].t ? 0 : 1;
  double f = (t - s[k].t) / (s[k + 1].t - s[k].t);
  rgb[0] = (guint8)lround(s[k].r + (s[k + 1].r - s[k].r) * f);
  rgb[1] = (guint8)lround(s[k].g + (s[k + 1].g - s[k].g) * f);
  rgb[2] = (guint8)lround(s[k].b + (s[k + 1].b - s[k].b) * f);
}

void
cx_dot_color(CxDotPalette palette, double t, char out[8])
{
  guint8 c[3];
  interpolate(palette, t, c);
  g_snprintf(out, 8, "#%02x%02x%02x", c[0], c[1], c[2]);
}

const char *
cx_dot_text_color(CxDotPalette palette, double t)
{
  guint8 c[3];
  interpolate(palette, t, c);
  double lum = (0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2]) / 255.0;
  return lum < 0.55 ? "#ffffff" : "#000000";
}

double
cx_dot_scale(double v, double max)
{
  if (!(max > 0) || !(v > 0))
    return 0;
  return MIN(1.0, sqrt(v / max));
}

double
cx_dot_penwidth(double v, double max)
{
  return 1.0 + 7.0 * cx_dot_scale(v, max);
}

void
cx_dot_append_number(GString *out, double v)
{
  g_autofree char *s = cx_format_number(v, 2);
  g_string_append(out, s);
}

/* ---------- builder ---------- */

#define ID_CHARS "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"

typedef struct {
  char *key, *label, *fill, *fontcolor, *color, *style, *tooltip, *id;
  double penwidth;
  int weight;
  gboolean back;
} Item;

typedef struct {
  guint from, to;
  Item item;
} DotEdge;

struct _CxDot {
  char *title, *rankdir;
  GHashTable *index; /* key -> node index + 1 */
  GArray *nodes;     /* Item */
  GArray *edges;     /* DotEdge */
  GPtrArray *legend;
};

static void
item_clear(Item *it)
{
  g_free(it->key);
  g_free(it->label);
  g_free(it->fill);
  g_free(it->fontcolor);
  g_free(it->color);
  g_free(it->style);
  g_free(it->tooltip);
  g_free(it->id);
}

static void
node_clear(gpointer p)
{
  item_clear(p);
}

static void
edge_clear(gpointer p)
{
  item_clear(&((DotEdge *)p)->item);
}

static void
item_set(Item *it, const CxDotStyle *s)
{
  if (s == NULL)
    return;
#define SET(f)                                                                                     \
  if (s->f != NULL) {                                                                              \
    g_free(it->f);                                                                                 \
    it->f = g_strdup(s->f);                                                                        \
  }
  SET(label);
  SET(fill);
  SET(fontcolor);
  SET(color);
  SET(style);
  SET(tooltip);
#undef SET
  if (s->id != NULL && s->id[0] != '\0' && strspn(s->id, ID_CHARS) == strlen(s->id)) {
    g_free(it->id);
    it->id = g_strdup(s->id);
  }
  if (s->penwidth > 0)
    it->penwidth = s->penwidth;
  if (s->weight > 0)
    it->weight = s->weight;
  if (s->back)
    it->back = TRUE;
}

CxDot *
cx_dot_new(const char *title, const char *rankdir)
{
  CxDot *d = g_new0(CxDot, 1);
  d->title = g_strdup(title);
  d->rankdir = g_strdup(rankdir != NULL && g_ascii_strcasecmp(rankdir, "LR") == 0 ? "LR" : "TB");
  d->index = g_hash_table_new(g_str_hash, g_str_equal);
  d->nodes = g_array_new(FALSE, TRUE, sizeof(Item));
  g_array_set_clear_func(d->nodes, node_clear);
  d->edges = g_array_new(FALSE, TRUE, sizeof(DotEdge));
  g_array_set_clear_func(d->edges, edge_clear);
  d->legend = g_ptr_array_new_with_free_func(g_free);
  return d;
}

void
cx_dot_free(CxDot *d)
{
  if (d == NULL)
    return;
  g_hash_table_destroy(d->index); /* keys belong to the nodes */
  g_array_free(d->nodes, TRUE);
  g_array_free(d->edges, TRUE);
  g_ptr_array_free(d->legend, TRUE);
  g_free(d->title);
  g_free(d->rankdir);
  g_free(d);
}

static guint
node_index(CxDot *d, const char *key)
{
  gpointer v = g_hash_table_lookup(d->index, key);
  if (v != NULL)
    return GPOINTER_TO_UINT(v) - 1;
  Item it = { 0 };
  it.key = g_strdup(key);
  g_array_append_val(d->nodes, it);
  /* the array may move, the key string does not */
  g_hash_table_insert(d->index, it.key, GUINT_TO_POINTER(d->nodes->len));
  return d->nodes->len - 1;
}

void
cx_dot_node(CxDot *d, const char *key, const CxDotStyle *style)
{
  guint i = node_index(d, key);
  item_set(&g_array_index(d->nodes, Item, i), style);
}

void
cx_dot_edge(CxDot *d, const char *from, const char *to, const CxDotStyle *style)
{
  DotEdge e = { 0 };
  e.from = node_index(d, from);
  e.to = node_index(d, to);
  item_set(&e.item, style);
  g_array_append_val(d->edges, e);
}

void
cx_dot_legend(CxDot *d, const char *line)
{
  g_ptr_array_add(d->legend, g_strdup(line));
}

static void
attr_str(GString *out, gboolean *first, const char *name, const char *value)
{
  if (value == NULL)
    return;
  g_string_append(out, *first ? " [" : ", ");
  *first = FALSE;
  g_string_append(out, name);
  g_string_append_c(out, '=');
  cx_dot_append_quoted(out, value);
}

static void
attr_num(GString *out, gboolean *first, const char *name, double value)
{
  g_string_append(out, *first ? " [" : ", ");
  *first = FALSE;
  g_string_append(out, name);
  g_string_append_c(out, '=');
  cx_dot_append_number(out, value);
}

static gboolean
is_terminal(const char *key)
{
  return strcmp(key, CX_DOT_START) == 0 || strcmp(key, CX_DOT_END) == 0;
}

/* The labels nodes show: shortened to CX_DOT_LABEL_MAX per line, and where
 * two shortened labels (or a shortened and a plain one) come out the same, a
 * number after the shortened line tells them apart. */
static char **
node_labels(CxDot *d, guint8 *shortened)
{
  char **labels = g_new0(char *, d->nodes->len + 1);
  g_autoptr(GHashTable) taken = g_hash_table_new(g_str_hash, g_str_equal);
  /* shortened label -> the last number given to it: each try is new */
  g_autoptr(GHashTable) last = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < d->nodes->len; i++) {
    const Item *it = &g_array_index(d->nodes, Item, i);
    const char *full = it->label != NULL ? it->label : it->key;
    gboolean sh = FALSE;
    labels[i] = is_terminal(it->key) ? g_strdup(it->label != NULL ? it->label : "")
                                     : cx_dot_short_label(full, CX_DOT_LABEL_MAX, &sh);
    shortened[i] = sh;
    if (!sh)
      g_hash_table_add(taken, labels[i]);
  }
  for (guint i = 0; i < d->nodes->len; i++) {
    if (!shortened[i])
      continue;
    if (g_hash_table_contains(taken, labels[i])) {
      /* the number goes after the first shortened line */
      const char *ell = strstr(labels[i], "…");
      const char *eol = ell != NULL ? strchr(ell, '\n') : NULL;
      gsize at = eol != NULL ? (gsize)(eol - labels[i]) : strlen(labels[i]);
      guint k = GPOINTER_TO_UINT(g_hash_table_lookup(last, labels[i]));
      for (k = MAX(k + 1, 2);; k++) {
        g_autofree char *num = g_strdup_printf(" (%u)", k);
        g_autoptr(GString) l = g_string_new_len(labels[i], (gssize)at);
        g_string_append(l, num);
        g_string_append(l, labels[i] + at);
        if (!g_hash_table_contains(taken, l->str)) {
          g_hash_table_insert(last, g_strdup(labels[i]), GUINT_TO_POINTER(k));
          g_free(labels[i]);
          labels[i] = g_string_free(g_steal_pointer(&l), FALSE);
          break;
        }
      }
    }
    g_hash_table_add(taken, labels[i]);
  }
  return labels;
}

void
cx_dot_write(CxDot *d, GString *out)
{
  g_autofree guint8 *shortened = g_new0(guint8, d->nodes->len + 1);
  g_auto(GStrv) labels = node_labels(d, shortened);
  g_string_append(out, "digraph cxmine {\n");
  g_string_append_printf(out,
                         "  graph [rankdir=%s, fontname=\"Helvetica\", fontsize=14, "
                         "labelloc=t, labeljust=l, nodesep=0.35, ranksep=0.45, "
                         "bgcolor=\"#ffffff\"",
                         d->rankdir);
  if (d->title != NULL || d->legend->len > 0) {
    g_autoptr(GString) label = g_string_new(d->title);
    for (guint i = 0; i < d->legend->len; i++) {
      if (label->len > 0)
        g_string_append_c(label, '\n');
      g_string_append(label, g_ptr_array_index(d->legend, i));
    }
    g_string_append(out, ", label=");
    cx_dot_append_quoted(out, label->str);
  }
  g_string_append(out, "];\n");
  g_string_append(out, "  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", "
                       "fontsize=11, fillcolor=\"#ffffff\", color=\"#4a5560\", "
                       "margin=\"0.15,0.06\"];\n");
  g_string_append(out, "  edge [fontname=\"Helvetica\", fontsize=9, color=\"#4a5560\", "
                       "fontcolor=\"#333333\", arrowsize=0.7];\n");
  for (guint i = 0; i < d->nodes->len; i++) {
    const Item *it = &g_array_index(d->nodes, Item, i);
    g_string_append_printf(out, "  n%u", i);
    gboolean first = TRUE;
    if (is_terminal(it->key)) {
      gboolean start = strcmp(it->key, CX_DOT_START) == 0;
      attr_str(out, &first, "shape", "circle");
      attr_str(out, &first, "label", it->label != NULL ? it->label : "");
      attr_num(out, &first, "width", 0.3);
      attr_str(out, &first, "fixedsize", "true");
      attr_str(out, &first, "style", "filled");
      attr_str(out, &first, "fillcolor", it->fill ? it->fill : start ? "#3a9d3a" : "#b03a2e");
      attr_str(out, &first, "color", it->color ? it->color : start ? "#2b7a2b" : "#7f2920");
      attr_str(out, &first, "tooltip", it->tooltip ? it->tooltip : start ? "start" : "end");
    } else {
      attr_str(out, &first, "label", labels[i]);
      attr_str(out, &first, "fillcolor", it->fill);
      attr_str(out, &first, "fontcolor", it->fontcolor);
      attr_str(out, &first, "color", it->color);
      if (it->style != NULL) {
        g_autofree char *st = g_strdup_printf("rounded,filled,%s", it->style);
        attr_str(out, &first, "style", st);
      }
      /* a shortened label's full text is in the tooltip */
      attr_str(out, &first, "tooltip",
               it->tooltip != NULL || !shortened[i] ? it->tooltip
               : it->label != NULL                  ? it->label
                                                    : it->key);
    }
    if (it->penwidth > 0)
      attr_num(out, &first, "penwidth", it->penwidth);
    attr_str(out, &first, "id", it->id);
    g_string_append(out, first ? ";\n" : "];\n");
  }
  for (guint i = 0; i < d->edges->len; i++) {
    const DotEdge *e = &g_array_index(d->edges, DotEdge, i);
    const Item *it = &e->item;
    g_string_append_printf(out, "  n%u -> n%u", e->from, e->to);
    gboolean first = TRUE;
    gboolean sh = FALSE;
    if (it->label != NULL && it->label[0] != '\0') {
      g_autofree char *label = cx_dot_short_label(it->label, CX_DOT_LABEL_MAX, &sh);
      /* a little space keeps the text clear of thick pens */
      g_autofree char *padded = g_strconcat(" ", label, " ", NULL);
      attr_str(out, &first, "label", padded);
    }
    attr_str(out, &first, "color", it->color);
    attr_str(out, &first, "fontcolor", it->fontcolor);
    attr_str(out, &first, "style", it->style);
    attr_str(out, &first, "tooltip", it->tooltip != NULL || !sh ? it->tooltip : it->label);
    if (it->penwidth > 0)
      attr_num(out, &first, "penwidth", it->penwidth);
    if (it->weight > 1)
      attr_num(out, &first, "weight", it->weight);
    if (it->back)
      attr_str(out, &first, "constraint", "false");
    attr_str(out, &first, "id", it->id);
    g_string_append(out, first ? ";\n" : "];\n");
  }
  g_string_append(out, "}\n");
}

/* ---------- DFG maps ---------- */

static double
summary_pick(const CxSummary *s, CxMetric m)
{
  switch (m) {
    case CX_METRIC_MEAN:
      return s->mean;
    case CX_METRIC_MEDIAN:
      return s->median;
    case CX_METRIC_P90:
      return s->p90;
    case CX_METRIC_TOTAL:
      return s->total;
    default:
      return (double)s->n;
  }
}

/* The value a node shows and whether it is a duration. */
static double
node_value(const CxDfgNode *n, CxMetric m, gboolean *duration)
{
  *duration = FALSE;
  if (m == CX_METRIC_CASES)
    return (double)n->cases;
  if (cx_metric_is_duration(m) && n->service.n > 0) {
    *duration = TRUE;
    return summary_pick(&n->service, m);
  }
  return (double)n->count;
}

/* The value an edge shows; FALSE when there is nothing to show (no timed
 * samples for a duration metric). */
static gboolean
edge_value(const CxDfgEdge *e, CxMetric m, double *v)
{
  if (m == CX_METRIC_FREQUENCY)
    *v = (double)e->count;
  else if (m == CX_METRIC_CASES)
    *v = (double)e->cases;
  else if (e->wait.n == 0)
    return FALSE;
  else
    *v = summary_pick(&e->wait, m);
  return TRUE;
}

static char *
format_value(double v, gboolean duration)
{
  if (duration)
    return cx_format_duration(v);
  return cx_format_count((guint64)llround(MAX(v, 0)));
}

static gboolean
view_has(const guint8 *mask, guint n, guint i)
{
  return i < n && mask[i];
}

/* Applies @decor (after the callback) as a style and adds the element. */
static void
emit_decor(CxDot *dot, const char *from, const char *to, CxDotDecor *decor)
{
  g_autofree char *label = NULL;
  if (decor->extra != NULL && decor->extra[0] != '\0')
    label = decor->label != NULL && decor->label[0] != '\0'
                ? g_strdup_printf("%s\n%s", decor->label, decor->extra)
                : g_strdup(decor->extra);
  else
    label = g_strdup(decor->label);
  CxDotStyle st = decor->style;
  st.label = label;
  if (to == NULL)
    cx_dot_node(dot, from, &st);
  else
    cx_dot_edge(dot, from, to, &st);
}

static void
decor_clear(CxDotDecor *decor)
{
  g_clear_pointer(&decor->label, g_free);
  g_clear_pointer(&decor->extra, g_free);
}

/* The back edges of the shown graph (cx_dfg_back_edges), walked from the
 * start activities then every other one, most frequent first. */
static guint8 *
find_back_edges(CxDfg *dfg, const CxDfgView *view)
{
  guint nn, ne;
  const CxDfgNode *nodes = cx_dfg_nodes(dfg, &nn);
  const CxDfgEdge *edges = cx_dfg_edges(dfg, &ne);
  guint na = view->n_activities;
  g_autofree CxDfgArc *arcs = g_new(CxDfgArc, MAX(ne, 1));
  g_autofree guint *index = g_new(guint, MAX(ne, 1)); /* arc -> edge */
  guint n_arcs = 0;
  for (guint i = 0; i < ne; i++)
    if (view_has(view->edge_kept, view->n_edges, i)) {
      arcs[n_arcs] = (CxDfgArc){ edges[i].from, edges[i].to, edges[i].count };
      index[n_arcs++] = i;
    }
  g_autofree guint32 *roots = g_new(guint32, MAX(2 * nn, 1));
  guint nr = 0;
  for (guint i = 0; i < nn; i++)
    if (nodes[i].starts > 0 && view_has(view->start_kept, na, nodes[i].activity))
      roots[nr++] = nodes[i].activity;
  for (guint i = 0; i < nn; i++)
    if (view_has(view->activity_kept, na, nodes[i].activity))
      roots[nr++] = nodes[i].activity;
  g_autofree guint8 *arc_back = g_new0(guint8, MAX(n_arcs, 1));
  cx_dfg_back_edges(arcs, n_arcs, na, roots, nr, arc_back);
  guint8 *back = g_new0(guint8, MAX(ne, 1));
  for (guint k = 0; k < n_arcs; k++)
    back[index[k]] = arc_back[k];
  return back;
}

/* What a DFG map is drawn from: the graph, the view, the options and the
 * scales over what is shown. */
typedef struct {
  CxDot *dot;
  const CxDotOptions *opts;
  const CxDfgView *view;
  CxPool *acts;
  const CxDfgNode *nodes;
  const CxDfgEdge *edges;
  guint nn, ne;
  double max_node, max_node_dur, max_edge, max_count;
} DfgMap;

static void
dfg_scales(DfgMap *g)
{
  const CxDfgView *view = g->view;
  CxMetric m = g->opts->metric;
  double max_term = 0;
  for (guint i = 0; i < g->nn; i++) {
    guint32 a = g->nodes[i].activity;
    if (!view_has(view->activity_kept, view->n_activities, a))
      continue;
    gboolean dur;
    double v = node_value(&g->nodes[i], m, &dur);
    if (dur)
      g->max_node_dur = MAX(g->max_node_dur, v);
    else
      g->max_node = MAX(g->max_node, v);
    if (view_has(view->start_kept, view->n_activities, a))
      max_term = MAX(max_term, (double)g->nodes[i].starts);
    if (view_has(view->end_kept, view->n_activities, a))
      max_term = MAX(max_term, (double)g->nodes[i].ends);
  }
  for (guint i = 0; i < g->ne; i++) {
    if (!view_has(view->edge_kept, view->n_edges, i))
      continue;
    double v;
    if (edge_value(&g->edges[i], m, &v))
      g->max_edge = MAX(g->max_edge, v);
    g->max_count = MAX(g->max_count, (double)g->edges[i].count);
  }
  g->max_count = MAX(g->max_count, max_term);
}

static void
dfg_nodes(DfgMap *g)
{
  for (guint i = 0; i < g->nn; i++) {
    const CxDfgNode *n = &g->nodes[i];
    guint32 a = n->activity;
    if (!view_has(g->view->activity_kept, g->view->n_activities, a))
      continue;
    const char *name = cx_pool_get(g->acts, a);
    gboolean dur;
    double v = node_value(n, g->opts->metric, &dur);
    CxDotPalette pal = dur ? CX_DOT_PALETTE_ORANGE : CX_DOT_PALETTE_BLUE;
    /* keep the lightest nodes visibly tinted */
    double t = 0.08 + 0.92 * cx_dot_scale(v, dur ? g->max_node_dur : g->max_node);
    char fill[8];
    cx_dot_color(pal, t, fill);
    g_autofree char *val = format_value(v, dur);
    g_autofree char *cnt = cx_format_counted(n->count, "instance", "instances");
    g_autofree char *cases = cx_format_counted(n->cases, "case", "cases");
    GString *tip = g_string_new(NULL);
    g_string_append_printf(tip, "%s\n%s in %s", name, cnt, cases);
    if (n->service.n > 0) {
      g_autofree char *mean = cx_format_duration(n->service.mean);
      g_autofree char *med = cx_format_duration(n->service.median);
      g_string_append_printf(tip, "\nservice time: mean %s, median %s", mean, med);
    }
    CxDotDecor decor = { 0 };
    decor.label = g_strdup_printf("%s\n%s", name, val);
    decor.style.fill = fill;
    decor.style.fontcolor = cx_dot_text_color(pal, t);
    decor.style.tooltip = tip->str;
    const CxDotOptions *o = g->opts;
    if (o->node_func == NULL || o->node_func(a, &decor, o->user_data))
      emit_decor(g->dot, name, NULL, &decor);
    decor_clear(&decor);
    g_string_free(tip, TRUE);
  }
}

/* The dashed arcs from the start (@starts) or to the end. */
static void
dfg_terminals(DfgMap *g, gboolean starts)
{
  for (guint i = 0; i < g->nn; i++) {
    guint32 a = g->nodes[i].activity;
    guint64 c = starts ? g->nodes[i].starts : g->nodes[i].ends;
    if (c == 0
        || !view_has(starts ? g->view->start_kept : g->view->end_kept, g->view->n_activities, a))
      continue;
    const char *name = cx_pool_get(g->acts, a);
    CxDotDecor decor = { 0 };
    decor.label = cx_format_count(c);
    decor.style.style = "dashed";
    decor.style.color = "#8a949c";
    decor.style.penwidth = cx_dot_penwidth((double)c, g->max_count);
    g_autofree char *ncases = cx_format_counted(c, "case", "cases");
    g_autofree char *tip = g_strdup_printf("%s %s: %s", starts ? "start ->" : name,
                                           starts ? name : "-> end", ncases);
    decor.style.tooltip = tip;
    const CxDotOptions *o = g->opts;
    if (o->edge_func == NULL
        || o->edge_func(starts ? CX_DOT_ID_START : a, starts ? a : CX_DOT_ID_END, &decor,
                        o->user_data))
      emit_decor(g->dot, starts ? CX_DOT_START : name, starts ? name : CX_DOT_END, &decor);
    decor_clear(&decor);
  }
}

static void
dfg_edges(DfgMap *g, const guint8 *back)
{
  CxMetric m = g->opts->metric;
  for (guint i = 0; i < g->ne; i++) {
    const CxDfgEdge *e = &g->edges[i];
    if (!view_has(g->view->edge_kept, g->view->n_edges, i))
      continue;
    const char *from = cx_pool_get(g->acts, e->from);
    const char *to = cx_pool_get(g->acts, e->to);
    double v = 0;
    gboolean has = edge_value(e, m, &v);
    gboolean dur = cx_metric_is_duration(m);
    CxDotPalette pal = dur ? CX_DOT_PALETTE_ORANGE : CX_DOT_PALETTE_BLUE;
    double t = has ? 0.35 + 0.65 * cx_dot_scale(v, g->max_edge) : 0.35;
    char color[8];
    cx_dot_color(pal, t, color);
    g_autofree char *cnt = cx_format_counted(e->count, "time", "times");
    g_autofree char *cases = cx_format_counted(e->cases, "case", "cases");
    GString *tip = g_string_new(NULL);
    g_string_append_printf(tip, "%s -> %s\n%s in %s", from, to, cnt, cases);
    if (e->wait.n > 0) {
      g_autofree char *mean = cx_format_duration(e->wait.mean);
      g_autofree char *med = cx_format_duration(e->wait.median);
      g_autofree char *p90 = cx_format_duration(e->wait.p90);
      g_string_append_printf(tip, "\nwait: mean %s, median %s, p90 %s", mean, med, p90);
    }
    CxDotDecor decor = { 0 };
    decor.label = has ? format_value(v, dur) : g_strdup("");
    decor.style.color = color;
    decor.style.penwidth = cx_dot_penwidth((double)e->count, g->max_count);
    /* heavy paths short and straight: the main flow reads top-down */
    decor.style.weight = 1 + (int)lround(9 * cx_dot_scale((double)e->count, g->max_count));
    decor.style.back = back[i] != 0;
    decor.style.tooltip = tip->str;
    const CxDotOptions *o = g->opts;
    if (o->edge_func == NULL || o->edge_func(e->from, e->to, &decor, o->user_data))
      emit_decor(g->dot, from, to, &decor);
    decor_clear(&decor);
    g_string_free(tip, TRUE);
  }
}

void
cx_dot_add_dfg(CxDot *dot, CxDfg *dfg, const CxDfgView *view, const CxDotOptions *opts)
{
  static const CxDotOptions defaults = { 0 };
  g_autoptr(CxDfgView) full = view == NULL ? cx_dfg_view_new_full(dfg) : NULL;
  DfgMap g = { 0 };
  g.dot = dot;
  g.opts = opts != NULL ? opts : &defaults;
  g.view = view != NULL ? view : full;
  g.acts = cx_log_activities(cx_dfg_log(dfg));
  g.nodes = cx_dfg_nodes(dfg, &g.nn);
  g.edges = cx_dfg_edges(dfg, &g.ne);
  dfg_scales(&g);
  g_autofree guint8 *back = find_back_edges(dfg, g.view);

  cx_dot_node(dot, CX_DOT_START, NULL);
  dfg_nodes(&g);
  cx_dot_node(dot, CX_DOT_END, NULL);
  /* start arcs, edges, end arcs */
  dfg_terminals(&g, TRUE);
  dfg_edges(&g, back);
  dfg_terminals(&g, FALSE);
}

void
cx_dot_write_dfg(CxDfg *dfg, const CxDfgView *view, const CxDotOptions *opts, GString *out)
{
  CxDotOptions defaults = { 0 };
  if (opts == NULL)
    opts = &defaults;
  g_autoptr(CxDot) dot = cx_dot_new(opts->title, opts->rankdir);
  for (const char *const *l = opts->legend; l != NULL && *l != NULL; l++)
    cx_dot_legend(dot, *l);
  cx_dot_add_dfg(dot, dfg, view, opts);
  cx_dot_write(dot, out);
}
