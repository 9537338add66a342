/* cxmine — Graphviz DOT maps of journeys.
 *
 * Three layers:
 *  - helpers: DOT-safe labels, colour scales, pen widths;
 *  - a builder (CxDot) that takes nodes and edges by caller-chosen keys with
 *    plain-text labels and styles, and writes a deterministic DOT document:
 *    maps that are not a single DFG (a union map of two graphs, a map with
 *    findings) are built with it;
 *  - cx_dot_write_dfg(), a process map of a CxDfg (through a CxDfgView),
 *    with optional per-node / per-edge decorations.
 * And cx_dot_render(), which runs Graphviz's dot.
 *
 * Every label is plain UTF-8 text: the writer escapes it (quotes,
 * backslashes, newlines become line breaks, & < > { } | become character
 * entities, control characters spaces) and writes other characters as raw
 * UTF-8 (Graphviz 2.42 turns numeric references above U+FFFF into invalid
 * UTF-8), so the document is safe for any shape. Label lines longer than
 * CX_DOT_LABEL_MAX characters are shortened (the full text goes into the
 * tooltip), and strings too long for Graphviz's lexer are split into joined
 * pieces. Numbers are written locale-independently. */
#pragma once

#include <glib.h>
#include "cxmine/dfg.h"
#include "cxmine/metric.h"

G_BEGIN_DECLS

#define CX_DOT_ERROR (cx_dot_error_quark())
GQuark cx_dot_error_quark(void);

typedef enum {
  CX_DOT_ERROR_NO_GRAPHVIZ, /* "Graphviz 'dot' not found: install graphviz" */
  CX_DOT_ERROR_FORMAT,      /* an output format dot cannot produce */
  CX_DOT_ERROR_FAILED,      /* dot ran and failed (its message follows) */
  CX_DOT_ERROR_TIMEOUT,     /* dot ran longer than its time limit and was stopped */
} CxDotError;

/* ---------- helpers ---------- */

/* Appends @s as a quoted DOT string ("..."), escaped as described above;
 * the one escaping function of every DOT document. A string of more than
 * 8,000 bytes is written as "..." + "..." (Graphviz refuses a quoted string
 * of 16 KiB), split between characters. */
void cx_dot_append_quoted(GString *out, const char *s);

/* Label lines are shortened to this many characters (grapheme clusters). */
#define CX_DOT_LABEL_MAX 80u
/* Returns @label with every line longer than @max grapheme clusters
 * shortened to @max: its start, "…", and its end (names sharing a long
 * prefix stay apart). Sets @shortened (may be NULL) when a line was. The
 * builder (cx_dot_write) does this to every node and edge label, numbers
 * node labels that would come out the same, and puts the full label into
 * the tooltip when the node or edge has none. */
char *cx_dot_short_label(const char *label, guint max, gboolean *shortened);
/* Returns @s as a new quoted DOT string. */
char *cx_dot_escape(const char *s);

typedef enum {
  CX_DOT_PALETTE_BLUE,      /* frequencies: white -> dark blue */
  CX_DOT_PALETTE_ORANGE,    /* durations: light yellow -> dark red */
  CX_DOT_PALETTE_DIVERGING, /* changes: t in [-1, 1], green (-1) -> grey (0) -> red (1) */
} CxDotPalette;

/* Writes "#rrggbb" for @t (0..1, clamped; -1..1 for DIVERGING) into @out. */
void cx_dot_color(CxDotPalette palette, double t, char out[8]);
/* The text colour readable on cx_dot_color(palette, t): "#000000" or "#ffffff". */
const char *cx_dot_text_color(CxDotPalette palette, double t);
/* Maps @v in [0, @max] to 0..1 on a square-root scale (0 when @max <= 0). */
double cx_dot_scale(double v, double max);
/* A pen width between 1 and 8 for @v out of @max (square-root scale). */
double cx_dot_penwidth(double v, double max);
/* Appends @v locale-independently with up to 2 decimals ("1.5", "3"). */
void cx_dot_append_number(GString *out, double v);

/* ---------- builder ---------- */

/* Keys of the artificial start and end nodes. */
#define CX_DOT_START "\x01start"
#define CX_DOT_END   "\x01end"

/* How one node or edge looks. Zero / NULL fields take the defaults. */
typedef struct {
  const char *label;     /* plain text; NULL = the key (nodes) or none (edges) */
  const char *fill;      /* node fill "#rrggbb" */
  const char *fontcolor; /* "#rrggbb" */
  const char *color;     /* node border / edge colour "#rrggbb" */
  const char *style;     /* "dashed", "bold", "dotted" (combined with "filled" for nodes) */
  const char *tooltip;   /* plain text */
  double penwidth;       /* 0 = 1 */
  int weight;            /* edges: layout weight, heavier = shorter and straighter; 0 = 1 */
  gboolean back;         /* edges: a back edge; it does not constrain the ranking */
  const char *id;        /* the element's id in SVG output ([A-Za-z0-9_-] only; others are
                            left out); NULL = Graphviz's own */
} CxDotStyle;

typedef struct _CxDot CxDot;

/* @title: plain text (may be NULL); @rankdir: "TB" or "LR" (NULL = TB). */
CxDot *cx_dot_new(const char *title, const char *rankdir);
void cx_dot_free(CxDot *dot);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CxDot, cx_dot_free)

/* Adds (or restyles) node @key; CX_DOT_START / CX_DOT_END are drawn as
 * small circles. Nodes are written in the order first added. */
void cx_dot_node(CxDot *dot, const char *key, const CxDotStyle *style);
/* Adds edge @from -> @to (nodes are added when missing). Edges are written
 * in the order added. */
void cx_dot_edge(CxDot *dot, const char *from, const char *to, const CxDotStyle *style);
/* Adds a line to the legend (a note box under the title). */
void cx_dot_legend(CxDot *dot, const char *line);
/* Appends the DOT document to @out. */
void cx_dot_write(CxDot *dot, GString *out);

/* ---------- process maps of a DFG ---------- */

/* A decoration of one node or edge of cx_dot_write_dfg(). The writer fills
 * in its defaults; the callback may change any field (strings it sets must
 * stay valid until cx_dot_write_dfg returns) and returns FALSE to hide the
 * element. */
typedef struct {
  char *label;      /* the default label; replace with g_free + new string */
  char *extra;      /* an extra line appended to the label (NULL = none); g_free'd */
  CxDotStyle style; /* label is ignored here */
} CxDotDecor;

/* @from / @to are activity ids, or CX_DOT_ID_START / CX_DOT_ID_END for the
 * artificial nodes (start arcs have from = CX_DOT_ID_START). */
#define CX_DOT_ID_START G_MAXUINT32
#define CX_DOT_ID_END   (G_MAXUINT32 - 1)
typedef gboolean (*CxDotNodeFunc)(guint32 activity, CxDotDecor *decor, gpointer user_data);
typedef gboolean (*CxDotEdgeFunc)(guint32 from, guint32 to, CxDotDecor *decor, gpointer user_data);

typedef struct {
  CxMetric metric;           /* labels and colours; edge width always follows frequency */
  const char *rankdir;       /* "TB" (default) or "LR" */
  const char *title;         /* plain text; NULL = none */
  const char *const *legend; /* NULL-terminated extra legend lines, or NULL */
  CxDotNodeFunc node_func;   /* optional decorations */
  CxDotEdgeFunc edge_func;
  gpointer user_data;
} CxDotOptions;

/* Adds the map of @dfg (what @view keeps; NULL = all) to @dot: start and
 * end nodes, activities most frequent first, edges by (from, to) name. */
void cx_dot_add_dfg(CxDot *dot, CxDfg *dfg, const CxDfgView *view, const CxDotOptions *opts);
/* Writes the map of @dfg as a whole DOT document (title, legend, graph). */
void cx_dot_write_dfg(CxDfg *dfg, const CxDfgView *view, const CxDotOptions *opts, GString *out);

/* ---------- rendering ---------- */

/* The default time limit of a render, in seconds. */
#define CX_DOT_RENDER_TIMEOUT 60

/* TRUE when Graphviz's dot is on PATH; else CX_DOT_ERROR_NO_GRAPHVIZ. */
gboolean cx_dot_available(GError **error);

/* Runs Graphviz `dot -T@format -o@image_path` (svg, png, pdf, ...) on
 * @dot_text.  The text is handed over in a temporary file of mode 0600 in
 * $TMPDIR.  dot runs in its own process group (registered with
 * cx_cleanup_add_child() while it runs); after @timeout_s seconds (0 = no
 * limit) the group is killed and CX_DOT_ERROR_TIMEOUT returned.  Fails with
 * CX_DOT_ERROR_NO_GRAPHVIZ when dot is not installed, CX_DOT_ERROR_FAILED
 * with dot's first line of complaint when it fails.  @image_path is
 * written by dot: pass a temporary file (cx_output_file_tmp_path()) and put
 * it in place only when everything succeeded. */
gboolean cx_dot_render_file(const char *dot_text, gsize len, const char *format, guint timeout_s,
                            const char *image_path, GError **error);

/* cx_dot_render_file() with the default time limit into a CxOutputFile of
 * @out_path ("-" = standard output), committed on success: a failed render
 * leaves @out_path as it was. */
gboolean cx_dot_render(const char *dot_text, gsize len, const char *format, const char *out_path,
                       GError **error);

G_END_DECLS
