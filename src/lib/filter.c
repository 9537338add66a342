/* Filters: parsing the options, applying them to each journey in order,
 * counting what each kept and saying why one kept nothing. */
#include "filter-private.h"
#include "cxmine/output.h"
#include "cxmine/suggest.h"
#include "cxmine/timestamp.h"
#include <math.h>
#include <string.h>

G_DEFINE_QUARK(cx - filter - error - quark, cx_filter_error)

/* ---------- durations ---------- */

gboolean
cx_duration_parse(const char *s, gssize len, gint64 *out_us)
{
  g_autofree char *copy = g_strndup(s, len < 0 ? strlen(s) : (gsize)len);
  const char *p = copy;
  gint64 total = 0;
  gboolean any = FALSE;
  while (*p != '\0') {
    char *end;
    if (!g_ascii_isdigit(*p) && *p != '.')
      return FALSE;
    double v = g_ascii_strtod(p, &end);
    if (end == p || v < 0)
      return FALSE;
    gint64 unit;
    switch (*end) {
      case 'w':
        unit = 7 * 86400;
        break;
      case 'd':
        unit = 86400;
        break;
      case 'h':
        unit = 3600;
        break;
      case 'm':
        unit = 60;
        break;
      case 's':
        unit = 1;
        break;
      default:
        return FALSE;
    }
    if (v * (double)unit > 1e12)
      return FALSE;
    total += (gint64)(v * (double)unit * (double)CX_USEC_PER_SEC);
    any = TRUE;
    p = end + 1;
  }
  if (!any || total <= 0)
    return FALSE;
  *out_us = total;
  return TRUE;
}

/* ---------- the filters ---------- */

typedef enum {
  F_WINDOW,
  F_WHERE,
  F_KEEP_EVENTS,
  F_DURATION,
  F_STEPS,
  F_WAIT,
  F_FOLLOWS,
  F_VARIANT,
  F_SHARE,
  F_TOP,
  F_STARTS,
  F_ENDS,
} Kind;

typedef enum {
  W_DEFAULT = 0,
  W_CONTAINED,
  W_INTERSECTING,
  W_STARTED,
  W_COMPLETED,
  W_TRIM,
} WindowMode;

static const char *const window_modes[]
    = { "", "contained", "intersecting", "started", "completed", "trim" };

typedef enum { K_ATTR, K_ACTIVITY, K_RESOURCE, K_CHANNEL, K_CASE } KeyKind;
typedef enum { POS_ANY, POS_FIRST, POS_LAST } KeyPos;
typedef enum { A_EQ, A_RE, A_LT, A_LE, A_GT, A_GE, A_RANGE } AtomOp;

typedef struct {
  char *key; /* without @first/@last */
  KeyPos pos;
  AtomOp op;
  char *value;
  double num, lo, hi; /* A_LT..A_GE: num; A_RANGE: lo..hi (NAN = open) */
  GRegex *re;
  gsize col; /* 1-based column of the condition */
  /* resolved by prepare */
  KeyKind kind;
  guint32 key_id;
  guint slot;
  GArray *cache;  /* guint8 per id of the key's pool: 0 untested, 1 false, 2 true */
  GArray *tcache; /* the same for a mapped field's trace attribute (values pool) */
  guint32 jval;   /* @first/@last in an event filter: the journey's value */
  guint64 hits;   /* journeys (or events) it held for */
} Atom;

typedef enum { N_ATOM, N_AND, N_OR, N_NOT } NodeKind;

typedef struct Node {
  NodeKind kind;
  struct Node *a, *b;
  Atom *atom;
} Node;

/* an element of a variant pattern */
typedef struct {
  char *name; /* NULL: '?' (one) or '*' (any run) */
  gboolean any;
  guint32 id; /* G_MAXUINT32 until the name is in the log */
} Elem;

typedef struct {
  GBytes *key;
  guint count;
  gint64 first;
  guint32 example;
} VariantEntry;

typedef struct {
  Kind kind;
  char *name; /* for messages */
  gboolean from_to;
  /* window */
  char *from_s, *to_s;
  WindowMode mode;
  gint64 from, to;
  /* expressions */
  Node *expr;
  GPtrArray *atoms; /* Atom* (owned) */
  /* duration, steps, wait */
  gint64 lo, hi; /* G_MININT64 / G_MAXINT64 = open */
  /* wait, follows, starts, ends */
  Elem a, b;
  gboolean direct, negate, strict;
  gint64 within; /* 0 = none */
  /* variants */
  GArray *pattern; /* Elem */
  double share;
  guint top;
  GHashTable *table; /* GBytes -> VariantEntry* */
  GPtrArray *order;  /* VariantEntry* (owned) */
  GHashTable *allowed;
  guint64 counted;
  /* counts of the scan */
  guint64 cases_in, cases_kept, events_in, events_kept;
  /* what it was given, for an empty result (in the survey pass: the whole log) */
  guint64 alone; /* cases it keeps of the whole log, alone */
  gint64 tmin, tmax, fmax, dmin, dmax, wmin, wmax;
  guint smin, smax;
  guint64 with_a, with_pair;
  GArray *ends; /* guint64 per activity id: first (starts) or last (ends) activities */
} Filter;

struct _CxFilterChain {
  GPtrArray *filters; /* Filter* */
  WindowMode default_mode;
  gboolean prepared;
  int prepass;
  GArray *buf[2], *ibuf[2]; /* event filters write here, in turn */
  int cur;
  GString *scratch;
  guint64 surveyed; /* journeys of the survey pass */
};

static void
node_free(Node *n)
{
  if (n == NULL)
    return;
  node_free(n->a);
  node_free(n->b);
  g_free(n);
}

static void
atom_free(gpointer p)
{
  Atom *a = p;
  g_free(a->key);
  g_free(a->value);
  if (a->re != NULL)
    g_regex_unref(a->re);
  if (a->cache != NULL)
    g_array_free(a->cache, TRUE);
  if (a->tcache != NULL)
    g_array_free(a->tcache, TRUE);
  g_free(a);
}

static void
filter_free(gpointer p)
{
  Filter *f = p;
  g_free(f->name);
  g_free(f->from_s);
  g_free(f->to_s);
  node_free(f->expr);
  if (f->atoms != NULL)
    g_ptr_array_free(f->atoms, TRUE);
  g_free(f->a.name);
  g_free(f->b.name);
  if (f->pattern != NULL) {
    for (guint i = 0; i < f->pattern->len; i++)
      g_free(g_array_index(f->pattern, Elem, i).name);
    g_array_free(f->pattern, TRUE);
  }
  if (f->table != NULL)
    g_hash_table_destroy(f->table);
  if (f->order != NULL)
    g_ptr_array_free(f->order, TRUE);
  if (f->allowed != NULL)
    g_hash_table_destroy(f->allowed);
  if (f->ends != NULL)
    g_array_free(f->ends, TRUE);
  g_free(f);
}

CxFilterChain *
cx_filter_chain_new(void)
{
  CxFilterChain *c = g_new0(CxFilterChain, 1);
  c->filters = g_ptr_array_new_with_free_func(filter_free);
  c->prepass = -1;
  for (guint i = 0; i < 2; i++) {
    c->buf[i] = g_array_new(FALSE, FALSE, sizeof(CxEvent));
    c->ibuf[i] = g_array_new(FALSE, FALSE, sizeof(guint32));
  }
  c->scratch = g_string_new(NULL);
  return c;
}

void
cx_filter_chain_free(CxFilterChain *c)
{
  if (c == NULL)
    return;
  g_ptr_array_free(c->filters, TRUE);
  for (guint i = 0; i < 2; i++) {
    g_array_free(c->buf[i], TRUE);
    g_array_free(c->ibuf[i], TRUE);
  }
  g_string_free(c->scratch, TRUE);
  g_free(c);
}

guint
cx_filter_chain_len(const CxFilterChain *c)
{
  return c != NULL ? c->filters->len : 0;
}

const char *
cx_filter_chain_name(const CxFilterChain *c, guint i)
{
  g_return_val_if_fail(c != NULL && i < c->filters->len, NULL);
  return ((Filter *)g_ptr_array_index(c->filters, i))->name;
}

const char *
cx_filter_chain_whole_log(const CxFilterChain *c)
{
  for (guint i = 0; c != NULL && i < c->filters->len; i++) {
    const Filter *f = g_ptr_array_index(c->filters, i);
    if (f->kind == F_SHARE || f->kind == F_TOP)
      return f->name;
  }
  return NULL;
}

void
cx_filter_chain_counts(const CxFilterChain *c, guint i, guint64 *cases_in, guint64 *cases_kept,
                       guint64 *events_in, guint64 *events_kept)
{
  g_return_if_fail(c != NULL && i < c->filters->len);
  const Filter *f = g_ptr_array_index(c->filters, i);
  if (cases_in != NULL)
    *cases_in = f->cases_in;
  if (cases_kept != NULL)
    *cases_kept = f->cases_kept;
  if (events_in != NULL)
    *events_in = f->events_in;
  if (events_kept != NULL)
    *events_kept = f->events_kept;
}

/* ---------- parsing ---------- */

static gboolean G_GNUC_PRINTF(5, 6)
    syntax(GError **error, const char *opt, const char *arg, gsize col, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  g_autofree char *what = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  g_set_error(error, CX_FILTER_ERROR, CX_FILTER_ERROR_SYNTAX, "--%s: %s, at column %zu of '%s'",
              opt, what, col, arg);
  return FALSE;
}

typedef struct {
  const char *s;
  gsize pos;
  int depth;
  const char *opt;
  GPtrArray *atoms;
  GError **error;
} Parser;

static void
skip_ws(Parser *p)
{
  while (g_ascii_isspace(p->s[p->pos]))
    p->pos++;
}

static gboolean
boundary(char c)
{
  return c == '\0' || g_ascii_isspace(c) || c == '(' || c == ')' || c == '"' || c == '\'';
}

/* TRUE when the keyword @kw (any case) stands at @at. */
static gboolean
keyword_at(const char *s, gsize at, const char *kw)
{
  gsize n = strlen(kw);
  return g_ascii_strncasecmp(s + at, kw, n) == 0 && boundary(s[at + n]);
}

static gboolean
take_keyword(Parser *p, const char *kw)
{
  skip_ws(p);
  if (!keyword_at(p->s, p->pos, kw))
    return FALSE;
  p->pos += strlen(kw);
  return TRUE;
}

/* A quoted string at p->pos ("..." or '...', backslash escapes). */
static char *
quoted(Parser *p)
{
  char q = p->s[p->pos];
  gsize start = p->pos++;
  GString *out = g_string_new(NULL);
  while (p->s[p->pos] != '\0' && p->s[p->pos] != q) {
    if (p->s[p->pos] == '\\' && (p->s[p->pos + 1] == q || p->s[p->pos + 1] == '\\'))
      p->pos++;
    g_string_append_c(out, p->s[p->pos++]);
  }
  if (p->s[p->pos] != q) {
    g_string_free(out, TRUE);
    syntax(p->error, p->opt, p->s, start + 1, "unterminated quote %c", q);
    return NULL;
  }
  p->pos++;
  return g_string_free(out, FALSE);
}

static gboolean
key_char(char c)
{
  return c != '\0' && !g_ascii_isspace(c) && strchr("()=!~<>\"'", c) == NULL;
}

static gboolean
parse_number(const char *s, double *out)
{
  char *end;
  if (*s == '\0')
    return FALSE;
  double v = g_ascii_strtod(s, &end);
  if (*end != '\0' || isnan(v))
    return FALSE;
  *out = v;
  return TRUE;
}

/* An unquoted value: to the end, to the next AND/OR after a space, or to
 * the ')' that closes the group it is in. */
static char *
bare_value(Parser *p, gboolean token)
{
  gsize start = p->pos, i = p->pos;
  while (p->s[i] != '\0') {
    char c = p->s[i];
    if (c == ')' && p->depth > 0)
      break;
    if (g_ascii_isspace(c)) {
      if (token)
        break;
      gsize j = i;
      while (g_ascii_isspace(p->s[j]))
        j++;
      if (keyword_at(p->s, j, "AND") || keyword_at(p->s, j, "OR"))
        break;
    }
    i++;
  }
  gsize end = i;
  while (end > start && g_ascii_isspace(p->s[end - 1]))
    end--;
  p->pos = i;
  return g_strndup(p->s + start, end - start);
}

static Node *parse_or(Parser *p);

static Node *
atom_node(Atom *a)
{
  Node *n = g_new0(Node, 1);
  n->kind = N_ATOM;
  n->atom = a;
  return n;
}

static Node *
parse_atom(Parser *p)
{
  skip_ws(p);
  gsize col = p->pos + 1;
  g_autofree char *key = NULL;
  char c = p->s[p->pos];
  if (c == '"' || c == '\'') {
    key = quoted(p);
    if (key == NULL)
      return NULL;
  } else {
    gsize start = p->pos;
    while (key_char(p->s[p->pos]))
      p->pos++;
    key = g_strndup(p->s + start, p->pos - start);
  }
  if (*key == '\0') {
    if (p->s[p->pos] == '\0')
      syntax(p->error, p->opt, p->s, col, "expected a condition (KEY=VALUE, ...) at the end");
    else
      syntax(p->error, p->opt, p->s, col, "expected a condition (KEY=VALUE, ...), found '%c'",
             p->s[p->pos]);
    return NULL;
  }
  Atom *a = g_new0(Atom, 1);
  a->col = col;
  a->lo = a->hi = NAN;
  gsize klen = strlen(key);
  if (klen > 6 && g_str_has_suffix(key, "@first")) {
    a->pos = POS_FIRST;
    key[klen - 6] = '\0';
  } else if (klen > 5 && g_str_has_suffix(key, "@last")) {
    a->pos = POS_LAST;
    key[klen - 5] = '\0';
  }
  a->key = g_steal_pointer(&key);
  g_ptr_array_add(p->atoms, a); /* owned by the filter from here */
  skip_ws(p);
  gsize opcol = p->pos + 1;
  const char *s = p->s + p->pos;
  gboolean negate = FALSE;
  if (keyword_at(p->s, p->pos, "in")) {
    p->pos += 2;
    skip_ws(p);
    gsize vcol = p->pos + 1;
    g_autofree char *range = bare_value(p, TRUE);
    const char *dots = strstr(range, "..");
    if (dots == NULL) {
      syntax(p->error, p->opt, p->s, vcol, "expected a range LO..HI after 'in'");
      return NULL;
    }
    g_autofree char *lo = g_strndup(range, (gsize)(dots - range));
    const char *hi = dots + 2;
    if ((*lo != '\0' && !parse_number(lo, &a->lo)) || (*hi != '\0' && !parse_number(hi, &a->hi))
        || (*lo == '\0' && *hi == '\0')) {
      syntax(p->error, p->opt, p->s, vcol, "'%s' is not a range of numbers LO..HI", range);
      return NULL;
    }
    a->op = A_RANGE;
    a->value = g_strdup(range);
    return atom_node(a);
  }
  gsize oplen = 1;
  if (g_str_has_prefix(s, "!=")) {
    a->op = A_EQ, negate = TRUE, oplen = 2;
  } else if (g_str_has_prefix(s, "!~")) {
    a->op = A_RE, negate = TRUE, oplen = 2;
  } else if (g_str_has_prefix(s, "==")) {
    a->op = A_EQ, oplen = 2;
  } else if (g_str_has_prefix(s, "<=")) {
    a->op = A_LE, oplen = 2;
  } else if (g_str_has_prefix(s, ">=")) {
    a->op = A_GE, oplen = 2;
  } else if (*s == '=') {
    a->op = A_EQ;
  } else if (*s == '~') {
    a->op = A_RE;
  } else if (*s == '<') {
    a->op = A_LT;
  } else if (*s == '>') {
    a->op = A_GT;
  } else {
    syntax(p->error, p->opt, p->s, opcol,
           "expected =, !=, ~, !~, <, <=, >, >= or 'in' after the key '%s'", a->key);
    return NULL;
  }
  p->pos += oplen;
  gboolean numeric = a->op != A_EQ && a->op != A_RE;
  while (p->s[p->pos] == ' ' || p->s[p->pos] == '\t')
    p->pos++;
  gsize vcol = p->pos + 1;
  if (p->s[p->pos] == '"' || p->s[p->pos] == '\'') {
    a->value = quoted(p);
    if (a->value == NULL)
      return NULL;
  } else {
    a->value = bare_value(p, numeric);
  }
  if (numeric && !parse_number(a->value, &a->num)) {
    syntax(p->error, p->opt, p->s, vcol, "'%s' is not a number", a->value);
    return NULL;
  }
  if (a->op == A_RE) {
    g_autoptr(GError) re_error = NULL;
    a->re = g_regex_new(a->value, 0, 0, &re_error);
    if (a->re == NULL) {
      syntax(p->error, p->opt, p->s, vcol, "bad regular expression '%s' (%s)", a->value,
             re_error->message);
      return NULL;
    }
  }
  Node *n = atom_node(a);
  if (negate) {
    Node *neg = g_new0(Node, 1);
    neg->kind = N_NOT;
    neg->a = n;
    return neg;
  }
  return n;
}

static Node *
parse_unary(Parser *p)
{
  skip_ws(p);
  if (take_keyword(p, "NOT")) {
    Node *inner = parse_unary(p);
    if (inner == NULL)
      return NULL;
    Node *n = g_new0(Node, 1);
    n->kind = N_NOT;
    n->a = inner;
    return n;
  }
  if (p->s[p->pos] == '(') {
    gsize col = p->pos + 1;
    p->pos++;
    p->depth++;
    Node *inner = parse_or(p);
    if (inner == NULL)
      return NULL;
    skip_ws(p);
    if (p->s[p->pos] != ')') {
      node_free(inner);
      syntax(p->error, p->opt, p->s, col, "'(' is never closed");
      return NULL;
    }
    p->pos++;
    p->depth--;
    return inner;
  }
  return parse_atom(p);
}

static Node *
parse_binary(Parser *p, gboolean or)
{
  Node *left = or ? parse_binary(p, FALSE) : parse_unary(p);
  if (left == NULL)
    return NULL;
  while (take_keyword(p, or ? "OR" : "AND")) {
    Node *right = or ? parse_binary(p, FALSE) : parse_unary(p);
    if (right == NULL) {
      node_free(left);
      return NULL;
    }
    Node *n = g_new0(Node, 1);
    n->kind = or ? N_OR : N_AND;
    n->a = left;
    n->b = right;
    left = n;
  }
  return left;
}

static Node *
parse_or(Parser *p)
{
  return parse_binary(p, TRUE);
}

static gboolean
parse_expr(Filter *f, const char *opt, const char *arg, GError **error)
{
  Parser p = { arg, 0, 0, opt, NULL, error };
  f->atoms = g_ptr_array_new_with_free_func(atom_free);
  p.atoms = f->atoms;
  f->expr = parse_or(&p);
  if (f->expr == NULL)
    return FALSE;
  skip_ws(&p);
  if (arg[p.pos] != '\0')
    return syntax(error, opt, arg, p.pos + 1,
                  arg[p.pos] == ')' ? "')' without '('" : "expected AND, OR or the end, found '%s'",
                  arg + p.pos);
  return TRUE;
}

/* The names of a list "A,B,C" (quotes allowed around a name): '*' and '?'
 * stand alone. */
static gboolean
parse_pattern(Filter *f, const char *opt, const char *arg, GError **error)
{
  Parser p = { arg, 0, 0, opt, NULL, error };
  f->pattern = g_array_new(FALSE, TRUE, sizeof(Elem));
  for (;;) {
    skip_ws(&p);
    gsize col = p.pos + 1;
    Elem e = { NULL, FALSE, G_MAXUINT32 };
    char c = arg[p.pos];
    if (c == '"' || c == '\'') {
      e.name = quoted(&p);
      if (e.name == NULL)
        return FALSE;
      skip_ws(&p);
    } else {
      gsize start = p.pos;
      while (arg[p.pos] != '\0' && arg[p.pos] != ',')
        p.pos++;
      gsize end = p.pos;
      while (end > start && g_ascii_isspace(arg[end - 1]))
        end--;
      e.name = g_strndup(arg + start, end - start);
      if (strcmp(e.name, "*") == 0 || strcmp(e.name, "?") == 0) {
        e.any = e.name[0] == '*';
        g_clear_pointer(&e.name, g_free);
      } else if (*e.name == '\0') {
        g_free(e.name);
        return syntax(error, opt, arg, col, "expected an activity, '*' or '?'");
      }
    }
    g_array_append_val(f->pattern, e);
    if (arg[p.pos] == '\0')
      break;
    if (arg[p.pos] != ',')
      return syntax(error, opt, arg, p.pos + 1, "expected ',' after a quoted activity");
    p.pos++;
  }
  return TRUE;
}

/* "A->B", "A->>B", then (follows) "within DUR" or (wait) "OP DUR". */
static gboolean
parse_pair(Filter *f, const char *opt, const char *arg, gboolean wait, GError **error)
{
  Parser p = { arg, 0, 0, opt, NULL, error };
  Elem *e[2] = { &f->a, &f->b };
  for (guint k = 0; k < 2; k++) {
    skip_ws(&p);
    gsize col = p.pos + 1;
    if (arg[p.pos] == '"' || arg[p.pos] == '\'') {
      e[k]->name = quoted(&p);
      if (e[k]->name == NULL)
        return FALSE;
    } else {
      /* a bare name runs to "->" (first) or to the end, " within " or an
       * operator (second) */
      gsize start = p.pos, end;
      if (k == 0) {
        const char *arrow = strstr(arg + p.pos, "->");
        if (arrow == NULL)
          return syntax(error, opt, arg, col, "expected 'A->B' or 'A->>B'");
        end = (gsize)(arrow - arg);
      } else {
        end = start;
        while (arg[end] != '\0') {
          if (wait && strchr("<>", arg[end]) != NULL)
            break;
          if (!wait && g_ascii_isspace(arg[end])) {
            gsize j = end;
            while (g_ascii_isspace(arg[j]))
              j++;
            if (keyword_at(arg, j, "within"))
              break;
          }
          end++;
        }
      }
      p.pos = end;
      while (end > start && g_ascii_isspace(arg[end - 1]))
        end--;
      e[k]->name = g_strndup(arg + start, end - start);
    }
    e[k]->id = G_MAXUINT32;
    if (*e[k]->name == '\0')
      return syntax(error, opt, arg, col, "expected an activity name");
    if (k == 0) {
      skip_ws(&p);
      if (g_str_has_prefix(arg + p.pos, "->>")) {
        f->direct = FALSE;
        p.pos += 3;
      } else if (g_str_has_prefix(arg + p.pos, "->")) {
        f->direct = TRUE;
        p.pos += 2;
      } else {
        return syntax(error, opt, arg, p.pos + 1, "expected '->' or '->>'");
      }
      if (wait && !f->direct)
        return syntax(error, opt, arg, p.pos - 2,
                      "a wait is from A to the next B: write 'A->B>DUR'");
    }
  }
  skip_ws(&p);
  if (arg[p.pos] == '\0') {
    if (wait)
      return syntax(error, opt, arg, p.pos + 1, "expected >, >=, < or <= and a duration");
    return TRUE;
  }
  const char *rest = arg + p.pos;
  if (wait) {
    gsize oplen = g_str_has_prefix(rest, ">=") || g_str_has_prefix(rest, "<=") ? 2 : 1;
    gboolean greater = rest[0] == '>';
    gint64 d;
    const char *ds = rest + oplen;
    while (g_ascii_isspace(*ds))
      ds++;
    if (!cx_duration_parse(ds, -1, &d))
      return syntax(error, opt, arg, (gsize)(ds - arg) + 1,
                    "'%s' is not a duration (e.g. 2d, 12h, 90m, 1d12h)", ds);
    /* inclusive bounds in microseconds */
    if (greater) {
      f->lo = oplen == 2 ? d : d + 1;
      f->hi = G_MAXINT64;
    } else {
      f->lo = G_MININT64;
      f->hi = oplen == 2 ? d : d - 1;
    }
    return TRUE;
  }
  if (!keyword_at(arg, p.pos, "within"))
    return syntax(error, opt, arg, p.pos + 1, "expected 'within DURATION' or the end");
  p.pos += 6;
  skip_ws(&p);
  if (!cx_duration_parse(arg + p.pos, -1, &f->within))
    return syntax(error, opt, arg, p.pos + 1, "'%s' is not a duration (e.g. 2d, 12h, 90m, 1d12h)",
                  arg + p.pos);
  return TRUE;
}

static gboolean
check_time(const char *opt, const char *arg, const char *s, gsize col, GError **error)
{
  gint64 t;
  if (*s == '\0' || cx_time_parse_iso(s, strlen(s), NULL, &t, NULL))
    return TRUE;
  return syntax(error, opt, arg, col, "'%s' is not a date (use YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS)",
                s);
}

static gboolean
parse_mode(const char *s, gsize len, WindowMode *out)
{
  for (guint m = W_CONTAINED; m <= W_TRIM; m++)
    if (strlen(window_modes[m]) == len && strncmp(s, window_modes[m], len) == 0) {
      *out = (WindowMode)m;
      return TRUE;
    }
  return FALSE;
}

static gboolean
parse_window(Filter *f, const char *opt, const char *arg, GError **error)
{
  const char *s = arg;
  const char *colon = strchr(arg, ':');
  if (colon != NULL && parse_mode(arg, (gsize)(colon - arg), &f->mode)) {
    s = colon + 1;
  } else if (colon != NULL && colon > arg) {
    gboolean word = TRUE;
    for (const char *c = arg; c < colon; c++)
      word = word && g_ascii_isalpha(*c);
    if (word)
      return syntax(error, opt, arg, 1,
                    "unknown mode '%.*s' (contained, intersecting, started, completed, trim)",
                    (int)(colon - arg), arg);
  }
  /* the comma where both sides are times (ISO allows a decimal comma) */
  for (const char *c = strchr(s, ','); c != NULL; c = strchr(c + 1, ',')) {
    g_autofree char *a = g_strstrip(g_strndup(s, (gsize)(c - s)));
    g_autofree char *b = g_strstrip(g_strdup(c + 1));
    gint64 t;
    if ((*a == '\0' || cx_time_parse_iso(a, strlen(a), NULL, &t, NULL))
        && (*b == '\0' || cx_time_parse_iso(b, strlen(b), NULL, &t, NULL))) {
      if (*a == '\0' && *b == '\0')
        return syntax(error, opt, arg, (gsize)(s - arg) + 1, "give FROM, TO or both");
      f->from_s = g_steal_pointer(&a);
      f->to_s = g_steal_pointer(&b);
      return TRUE;
    }
    if (strchr(c + 1, ',') == NULL) {
      if (!check_time(opt, arg, a, (gsize)(s - arg) + 1, error))
        return FALSE;
      return check_time(opt, arg, b, (gsize)(c - arg) + 2, error);
    }
  }
  return syntax(error, opt, arg, (gsize)(s - arg) + 1,
                "expected [MODE:]FROM,TO (e.g. 2024-01-01,2024-04-01)");
}

static gboolean
parse_count(const char *opt, const char *arg, gint64 *out, GError **error)
{
  char *end;
  if (!g_ascii_isdigit(*arg))
    return syntax(error, opt, arg, 1, "expected a whole number");
  guint64 v = g_ascii_strtoull(arg, &end, 10);
  if (*end != '\0' || v > G_MAXUINT32)
    return syntax(error, opt, arg, (gsize)(end - arg) + 1, "expected a whole number");
  *out = (gint64)v;
  return TRUE;
}

static Filter *
new_filter(Kind kind, const char *opt, const char *arg)
{
  Filter *f = g_new0(Filter, 1);
  f->kind = kind;
  g_autofree char *q = g_shell_quote(arg);
  /* plain words need no quotes */
  gboolean plain = *arg != '\0';
  for (const char *c = arg; *c != '\0'; c++)
    if (!g_ascii_isalnum(*c) && strchr("-_.:,/+@=", *c) == NULL)
      plain = FALSE;
  f->name = g_strdup_printf("--%s %s", opt, plain ? arg : q);
  f->lo = G_MININT64;
  f->hi = G_MAXINT64;
  f->a.id = f->b.id = G_MAXUINT32;
  f->tmin = f->dmin = f->wmin = G_MAXINT64;
  f->tmax = f->fmax = f->dmax = f->wmax = G_MININT64;
  f->smin = G_MAXUINT;
  return f;
}

/* --from and --to fill one started window, as they always did. */
static gboolean
add_from_to(CxFilterChain *c, const char *opt, const char *arg, GError **error)
{
  if (!check_time(opt, arg, arg, 1, error))
    return FALSE;
  if (*arg == '\0')
    return syntax(error, opt, arg, 1, "expected a date");
  gboolean from = strcmp(opt, "from") == 0;
  Filter *f = NULL;
  for (guint i = c->filters->len; i-- > 0 && f == NULL;) {
    Filter *g = g_ptr_array_index(c->filters, i);
    if (g->from_to && (from ? g->from_s == NULL : g->to_s == NULL))
      f = g;
  }
  if (f == NULL) {
    f = new_filter(F_WINDOW, opt, arg);
    f->from_to = TRUE;
    f->mode = W_STARTED;
    g_ptr_array_add(c->filters, f);
  } else {
    g_autofree char *old = f->name;
    f->name = g_strdup_printf("%s --%s %s", old, opt, arg);
  }
  if (from)
    f->from_s = g_strdup(arg);
  else
    f->to_s = g_strdup(arg);
  return TRUE;
}

gboolean
cx_filter_chain_add(CxFilterChain *c, const char *option, const char *arg, GError **error)
{
  g_return_val_if_fail(c != NULL && option != NULL && arg != NULL, FALSE);
  if (strcmp(option, "from") == 0 || strcmp(option, "to") == 0)
    return add_from_to(c, option, arg, error);
  if (strcmp(option, "window-mode") == 0) {
    if (!parse_mode(arg, strlen(arg), &c->default_mode))
      return syntax(error, option, arg, 1,
                    "expected contained, intersecting, started, completed or trim");
    return TRUE;
  }
  static const struct {
    const char *name;
    Kind kind;
  } kinds[] = {
    { "window", F_WINDOW },           { "where", F_WHERE },
    { "keep-events", F_KEEP_EVENTS }, { "min-duration", F_DURATION },
    { "max-duration", F_DURATION },   { "min-steps", F_STEPS },
    { "max-steps", F_STEPS },         { "wait", F_WAIT },
    { "follows", F_FOLLOWS },         { "not-follows", F_FOLLOWS },
    { "variant", F_VARIANT },         { "min-variant-share", F_SHARE },
    { "top-variants", F_TOP },        { "starts-with", F_STARTS },
    { "ends-with", F_ENDS },
  };
  guint k = 0;
  while (k < G_N_ELEMENTS(kinds) && strcmp(kinds[k].name, option) != 0)
    k++;
  if (k == G_N_ELEMENTS(kinds)) {
    g_set_error(error, CX_FILTER_ERROR, CX_FILTER_ERROR_OPTION, "unknown filter '--%s'", option);
    return FALSE;
  }
  g_autoptr(GPtrArray) hold = g_ptr_array_new_with_free_func(filter_free);
  Filter *f = new_filter(kinds[k].kind, option, arg);
  g_ptr_array_add(hold, f);
  gboolean ok = TRUE;
  switch (f->kind) {
    case F_WINDOW:
      ok = parse_window(f, option, arg, error);
      break;
    case F_WHERE:
    case F_KEEP_EVENTS:
      ok = parse_expr(f, option, arg, error);
      break;
    case F_DURATION: {
      gint64 d;
      if (!cx_duration_parse(arg, -1, &d))
        return syntax(error, option, arg, 1, "'%s' is not a duration (e.g. 2d, 12h, 90m, 1d12h)",
                      arg);
      if (g_str_has_prefix(option, "min"))
        f->lo = d;
      else
        f->hi = d;
      break;
    }
    case F_STEPS: {
      gint64 n;
      if (!parse_count(option, arg, &n, error))
        return FALSE;
      if (g_str_has_prefix(option, "min"))
        f->lo = n;
      else
        f->hi = n;
      break;
    }
    case F_WAIT:
      ok = parse_pair(f, option, arg, TRUE, error);
      break;
    case F_FOLLOWS:
      f->negate = g_str_has_prefix(option, "not-");
      ok = parse_pair(f, option, arg, FALSE, error);
      break;
    case F_VARIANT:
      ok = parse_pattern(f, option, arg, error);
      break;
    case F_SHARE: {
      if (!parse_number(arg, &f->share) || f->share < 0 || f->share > 1)
        return syntax(error, option, arg, 1, "expected a share from 0 to 1 (e.g. 0.01)");
      break;
    }
    case F_TOP: {
      gint64 n;
      if (!parse_count(option, arg, &n, error))
        return FALSE;
      if (n == 0)
        return syntax(error, option, arg, 1, "expected at least 1");
      f->top = (guint)n;
      break;
    }
    case F_STARTS:
    case F_ENDS: {
      /* an activity's name is always quoted, as in other messages */
      g_autofree char *q = g_shell_quote(arg);
      g_free(f->name);
      f->name = g_strdup_printf("--%s %s", option, q);
      f->a.name = g_strdup(arg);
      break;
    }
  }
  if (!ok)
    return FALSE;
  g_ptr_array_add(c->filters, g_ptr_array_steal_index(hold, 0));
  return TRUE;
}

/* ---------- preparing ---------- */

static guint
slot_of(CxLog *log, guint32 key)
{
  for (guint i = 0; i < log->want_slots->len; i++)
    if (g_array_index(log->want_slots, guint32, i) == key)
      return i;
  g_array_append_val(log->want_slots, key);
  return log->want_slots->len - 1;
}

static gboolean
resolve_time(CxLog *log, const Filter *f, const char *s, gint64 *out, GError **error)
{
  *out = CX_TS_NONE;
  if (s == NULL || *s == '\0')
    return TRUE;
  if (cx_time_parse_iso(s, strlen(s), cx_log_display_tz(log), out, NULL))
    return TRUE;
  g_set_error(error, CX_FILTER_ERROR, CX_FILTER_ERROR_SYNTAX, "%s: '%s' is not a date", f->name, s);
  return FALSE;
}

gboolean
cx_filter_chain_prepare(CxFilterChain *c, CxLog *log, GError **error)
{
  if (c->prepared)
    return TRUE;
  const CxReadOptions *o = &log->opts;
  for (guint i = 0; i < c->filters->len; i++) {
    Filter *f = g_ptr_array_index(c->filters, i);
    if (f->kind == F_WINDOW) {
      if (f->mode == W_DEFAULT)
        f->mode = c->default_mode != W_DEFAULT ? c->default_mode : W_INTERSECTING;
      if (!resolve_time(log, f, f->from_s, &f->from, error)
          || !resolve_time(log, f, f->to_s, &f->to, error))
        return FALSE;
    }
    if (f->kind == F_STARTS || f->kind == F_ENDS)
      f->ends = g_array_new(FALSE, TRUE, sizeof(guint64));
    for (guint k = 0; f->atoms != NULL && k < f->atoms->len; k++) {
      Atom *a = g_ptr_array_index(f->atoms, k);
      a->cache = g_array_new(FALSE, TRUE, 1);
      a->tcache = g_array_new(FALSE, TRUE, 1);
      const char *key = a->key;
      gboolean xes_names = o->classifier == NULL && o->activity_key == NULL;
      if (strcmp(key, "activity") == 0 || (xes_names && strcmp(key, "concept:name") == 0))
        a->kind = K_ACTIVITY;
      else if (strcmp(key, "resource") == 0
               || (o->resource_key == NULL && strcmp(key, "org:resource") == 0))
        a->kind = K_RESOURCE;
      else if (strcmp(key, "channel") == 0)
        a->kind = K_CHANNEL;
      else if (strcmp(key, "case") == 0)
        a->kind = K_CASE;
      else
        a->kind = K_ATTR;
      /* a mapped field may be a trace attribute too (XES <trace> channel) */
      a->key_id = cx_pool_intern(log->keys, key, -1);
      if (a->kind == K_ATTR)
        a->slot = slot_of(log, a->key_id);
    }
  }
  c->prepared = TRUE;
  return TRUE;
}

void
cx_filter_chain_begin_scan(CxFilterChain *c, gboolean survey)
{
  c->surveyed = 0;
  for (guint i = 0; i < c->filters->len; i++) {
    Filter *f = g_ptr_array_index(c->filters, i);
    if (!survey)
      f->cases_in = f->cases_kept = f->events_in = f->events_kept = 0;
    f->alone = 0;
    f->tmin = f->dmin = f->wmin = G_MAXINT64;
    f->tmax = f->fmax = f->dmax = G_MININT64;
    if (f->kind != F_SHARE && f->kind != F_TOP)
      f->wmax = G_MININT64; /* theirs holds the best variant's count */
    f->smin = G_MAXUINT;
    f->smax = 0;
    f->with_a = f->with_pair = 0;
    if (f->ends != NULL)
      g_array_set_size(f->ends, 0);
    for (guint k = 0; f->atoms != NULL && k < f->atoms->len; k++)
      ((Atom *)g_ptr_array_index(f->atoms, k))->hits = 0;
    if (f->table != NULL && (int)i == c->prepass) {
      g_hash_table_remove_all(f->table);
      g_ptr_array_set_size(f->order, 0);
      f->counted = 0;
    }
  }
}

/* ---------- running ---------- */

static inline gint64
order_key(const CxEvent *e)
{
  return e->start != CX_TS_NONE ? e->start : e->time;
}

static CxPool *
atom_pool(CxLog *log, const Atom *a)
{
  switch (a->kind) {
    case K_ACTIVITY:
      return log->activities;
    case K_RESOURCE:
      return log->resources;
    case K_CHANNEL:
      return log->channels;
    case K_CASE:
      return log->cases;
    default:
      return log->values;
  }
}

static gboolean
atom_test_string(const Atom *a, const char *s)
{
  double v;
  switch (a->op) {
    case A_EQ:
      return strcmp(s, a->value) == 0;
    case A_RE:
      return g_regex_match(a->re, s, 0, NULL);
    default:
      break;
  }
  if (!parse_number(s, &v))
    return FALSE;
  switch (a->op) {
    case A_LT:
      return v < a->num;
    case A_LE:
      return v <= a->num;
    case A_GT:
      return v > a->num;
    case A_GE:
      return v >= a->num;
    default:
      return (isnan(a->lo) || v >= a->lo) && (isnan(a->hi) || v <= a->hi);
  }
}

/* Whether the value @id (in the atom's pool) satisfies @a, cached per id. */
static inline gboolean
test_in(GArray *cache, CxPool *pool, const Atom *a, guint32 id)
{
  if (G_UNLIKELY(id >= cache->len))
    g_array_set_size(cache, MAX(id + 1, cache->len * 2));
  guint8 *c = &g_array_index(cache, guint8, id);
  if (G_UNLIKELY(*c == 0))
    *c = atom_test_string(a, cx_pool_get(pool, id)) ? 2 : 1;
  return *c == 2;
}

static inline gboolean
atom_test(CxLog *log, Atom *a, guint32 id)
{
  return test_in(a->cache, atom_pool(log, a), a, id);
}

/* A case attribute's value @id (values pool) against @a. */
static inline gboolean
atom_test_trace(CxLog *log, Atom *a, guint32 id)
{
  return a->kind == K_ATTR ? atom_test(log, a, id) : test_in(a->tcache, log->values, a, id);
}

static inline guint32
field_of(const Atom *a, const CxEvent *e)
{
  switch (a->kind) {
    case K_ACTIVITY:
      return e->activity;
    case K_RESOURCE:
      return e->resource;
    default:
      return e->channel;
  }
}

static inline guint32
event_value(const CxFilterJourney *j, guint i, guint slot)
{
  return j->vals[(gsize)j->idx[i] * j->nslots + slot];
}

static guint32
trace_value(const CxFilterJourney *j, guint32 key)
{
  for (guint i = 0; i < j->n_attrs; i++)
    if (j->attrs[i].key == key)
      return j->attrs[i].value;
  return G_MAXUINT32;
}

/* The journey's one value of @a (@first/@last): the case attribute, else
 * its first or last non-empty event value. */
static guint32
journey_value(const CxFilterJourney *j, const Atom *a)
{
  if (a->kind == K_CASE)
    return j->case_id;
  if (a->kind == K_ATTR) {
    guint32 v = trace_value(j, a->key_id);
    if (v != G_MAXUINT32)
      return v;
  }
  for (guint k = 0; k < j->n; k++) {
    guint i = a->pos == POS_LAST ? j->n - 1 - k : k;
    guint32 v = a->kind == K_ATTR ? event_value(j, i, a->slot) : field_of(a, &j->ev[i]);
    if (v != CX_ID_NONE)
      return v;
  }
  return CX_ID_NONE;
}

static gboolean
atom_case(CxLog *log, Atom *a, const CxFilterJourney *j)
{
  if (a->kind != K_ATTR && a->kind != K_CASE) {
    guint32 t = trace_value(j, a->key_id);
    if (t != G_MAXUINT32 && atom_test_trace(log, a, t))
      return TRUE;
  }
  if (a->kind == K_CASE || a->pos != POS_ANY)
    return atom_test(log, a, journey_value(j, a));
  if (a->kind == K_ATTR) {
    guint32 v = trace_value(j, a->key_id);
    if (v != G_MAXUINT32 && atom_test(log, a, v))
      return TRUE;
    for (guint i = 0; i < j->n; i++) {
      guint32 e = event_value(j, i, a->slot);
      if (e != CX_ID_NONE && atom_test(log, a, e))
        return TRUE;
    }
    return FALSE;
  }
  guint32 prev = G_MAXUINT32;
  for (guint i = 0; i < j->n; i++) {
    guint32 v = field_of(a, &j->ev[i]);
    if (v == prev || v == CX_ID_NONE)
      continue;
    if (atom_test(log, a, v))
      return TRUE;
    prev = v;
  }
  return FALSE;
}

static gboolean
atom_event(CxLog *log, Atom *a, const CxFilterJourney *j, guint i)
{
  if (a->kind == K_CASE || a->pos != POS_ANY)
    return atom_test(log, a, a->jval);
  if (a->kind != K_ATTR) {
    guint32 v = field_of(a, &j->ev[i]);
    if (v == CX_ID_NONE) {
      guint32 t = trace_value(j, a->key_id);
      if (t != G_MAXUINT32)
        return atom_test_trace(log, a, t);
    }
    return atom_test(log, a, v);
  }
  guint32 v = event_value(j, i, a->slot);
  if (v == CX_ID_NONE) {
    v = trace_value(j, a->key_id);
    if (v == G_MAXUINT32)
      v = CX_ID_NONE;
  }
  return atom_test(log, a, v);
}

/* @i: the event, or G_MAXUINT for the case */
static gboolean
eval(CxLog *log, const Node *n, const CxFilterJourney *j, guint i)
{
  switch (n->kind) {
    case N_AND:
      return eval(log, n->a, j, i) && eval(log, n->b, j, i);
    case N_OR:
      return eval(log, n->a, j, i) || eval(log, n->b, j, i);
    case N_NOT:
      return !eval(log, n->a, j, i);
    default: {
      gboolean r = i == G_MAXUINT ? atom_case(log, n->atom, j) : atom_event(log, n->atom, j, i);
      n->atom->hits += r;
      return r;
    }
  }
}

/* The activity id of @e's name, looked up until the log has it. */
static inline guint32
elem_id(CxLog *log, Elem *e)
{
  if (G_UNLIKELY(e->id == G_MAXUINT32) && e->name != NULL)
    e->id = cx_pool_lookup(log->activities, e->name, -1);
  return e->id;
}

static gboolean
pattern_match(const Elem *p, guint np, const CxEvent *in, guint n)
{
  /* iterative wildcard matching with one backtrack point */
  guint pi = 0, si = 0, star_p = G_MAXUINT, star_s = 0;
  while (si < n) {
    if (pi < np && !p[pi].any && (p[pi].name == NULL || p[pi].id == in[si].activity)) {
      pi++;
      si++;
    } else if (pi < np && p[pi].any) {
      star_p = pi++;
      star_s = si;
    } else if (star_p != G_MAXUINT) {
      pi = star_p + 1;
      si = ++star_s;
    } else {
      return FALSE;
    }
  }
  while (pi < np && p[pi].any)
    pi++;
  return pi == np;
}

/* Some A followed (directly, or later within f->within) by B. */
static gboolean
follows(const Filter *f, const CxEvent *in, guint n, guint32 a, guint32 b)
{
  for (guint i = 0; i < n; i++) {
    if (in[i].activity != a)
      continue;
    for (guint k = i + 1; k < n; k++) {
      if (f->within > 0) {
        gint64 ta = in[i].time, tb = order_key(&in[k]);
        if (ta == CX_TS_NONE || tb == CX_TS_NONE || tb - ta > f->within)
          break;
      }
      if (in[k].activity == b)
        return TRUE;
      if (f->direct)
        break;
    }
    if (!f->direct && f->within == 0)
      return FALSE; /* the first A saw every later event */
  }
  return FALSE;
}

static GBytes *
variant_key(const CxEvent *in, guint n)
{
  guint32 *ids = g_new(guint32, MAX(n, 1));
  for (guint i = 0; i < n; i++)
    ids[i] = in[i].activity;
  return g_bytes_new_take(ids, n * sizeof(guint32));
}

static void
variant_count(CxLog *log, Filter *f, const CxFilterJourney *j, gint64 first)
{
  if (f->table == NULL) {
    f->table = g_hash_table_new(g_bytes_hash, g_bytes_equal);
    f->order = g_ptr_array_new_with_free_func(g_free);
  }
  g_autoptr(GBytes) key = variant_key(j->inst, j->n_inst);
  VariantEntry *e = g_hash_table_lookup(f->table, key);
  f->counted++;
  if (e == NULL) {
    e = g_new0(VariantEntry, 1);
    e->key = g_bytes_ref(key);
    e->first = first;
    e->example = j->case_id;
    g_ptr_array_add(f->order, e);
    g_hash_table_insert(f->table, e->key, e);
  } else if (first < e->first
             || (first == e->first
                 && strcmp(cx_pool_get(log->cases, j->case_id), cx_pool_get(log->cases, e->example))
                        < 0)) {
    e->first = first;
    e->example = j->case_id;
  }
  e->count++;
}

static void
count_end(GArray *a, guint32 id)
{
  if (a->len <= id)
    g_array_set_size(a, MAX(id + 1, a->len * 2));
  g_array_index(a, guint64, id)++;
}

static const CxEvent *
events_buffer(CxFilterChain *c, guint n, guint32 **idx)
{
  int next = c->cur == 0 ? 1 : 0;
  g_array_set_size(c->buf[next], n);
  g_array_set_size(c->ibuf[next], n);
  *idx = (guint32 *)c->ibuf[next]->data;
  c->cur = next;
  return (const CxEvent *)c->buf[next]->data;
}

/* An event filter: keeps the events @keep marks (in c->scratch). */
static void
keep_events(CxFilterChain *c, CxFilterJourney *j, const guint8 *keep)
{
  guint kept = 0;
  for (guint i = 0; i < j->n; i++)
    kept += keep[i];
  if (kept == j->n)
    return;
  guint32 *idx;
  CxEvent *dst = (CxEvent *)events_buffer(c, kept, &idx);
  guint k = 0;
  for (guint i = 0; i < j->n; i++)
    if (keep[i]) {
      dst[k] = j->ev[i];
      idx[k] = j->idx != NULL ? j->idx[i] : i;
      k++;
    }
  j->raw -= j->n - kept;
  j->ev = dst;
  j->idx = j->nslots > 0 ? idx : NULL;
  j->n = kept;
  j->inst = NULL; /* stale */
}

static gboolean
in_window(const Filter *f, gint64 t)
{
  return t != CX_TS_NONE && (f->from == CX_TS_NONE || t >= f->from)
         && (f->to == CX_TS_NONE || t < f->to);
}

static gboolean
apply(CxFilterChain *c, CxLog *log, Filter *f, int index, CxFilterJourney *j, CxInstancesFunc make,
      gpointer data)
{
  if (f->kind == F_KEEP_EVENTS || (f->kind == F_WINDOW && f->mode == W_TRIM)) {
    g_string_set_size(c->scratch, j->n);
    guint8 *keep = (guint8 *)c->scratch->str;
    if (f->kind == F_WINDOW) {
      for (guint i = 0; i < j->n; i++) {
        const CxEvent *e = &j->ev[i];
        keep[i] = in_window(f, e->time) && (e->start == CX_TS_NONE || in_window(f, e->start));
        gint64 t = order_key(e);
        if (t != CX_TS_NONE) {
          f->tmin = MIN(f->tmin, t);
          f->tmax = MAX(f->tmax, e->time != CX_TS_NONE ? e->time : t);
        }
      }
    } else {
      for (guint k = 0; k < f->atoms->len; k++) {
        Atom *a = g_ptr_array_index(f->atoms, k);
        if (a->kind == K_CASE || a->pos != POS_ANY)
          a->jval = journey_value(j, a);
      }
      for (guint i = 0; i < j->n; i++)
        keep[i] = eval(log, f->expr, j, i);
    }
    keep_events(c, j, keep);
    return j->n > 0;
  }
  if (f->kind == F_WHERE)
    return eval(log, f->expr, j, G_MAXUINT);
  if (j->inst == NULL)
    j->inst = make(data, j->ev, j->n, &j->n_inst);
  const CxEvent *in = j->inst;
  guint n = j->n_inst;
  if (n == 0)
    return FALSE;
  CxJourney tmp = { 0 };
  tmp.instances = in;
  tmp.n_instances = n;
  switch (f->kind) {
    case F_WINDOW: {
      gint64 first = cx_journey_first_time(&tmp), last = cx_journey_last_time(&tmp);
      if (first == CX_TS_NONE)
        return FALSE;
      f->tmin = MIN(f->tmin, first);
      f->fmax = MAX(f->fmax, first);
      f->tmax = MAX(f->tmax, last);
      switch (f->mode) {
        case W_STARTED:
          return in_window(f, first);
        case W_COMPLETED:
          return in_window(f, last);
        case W_CONTAINED:
          return in_window(f, first) && in_window(f, last);
        default: /* intersecting */
          return (f->to == CX_TS_NONE || first < f->to)
                 && (f->from == CX_TS_NONE || last >= f->from);
      }
    }
    case F_DURATION: {
      gint64 d = cx_journey_duration(&tmp);
      if (d < 0)
        return FALSE;
      f->dmin = MIN(f->dmin, d);
      f->dmax = MAX(f->dmax, d);
      return d >= f->lo && d <= f->hi;
    }
    case F_STEPS:
      f->smin = MIN(f->smin, n);
      f->smax = MAX(f->smax, n);
      return (gint64)n >= f->lo && (gint64)n <= f->hi;
    case F_WAIT: {
      guint32 a = elem_id(log, &f->a), b = elem_id(log, &f->b);
      guint i = 0;
      while (i < n && in[i].activity != a)
        i++;
      if (i == n)
        return FALSE;
      f->with_a++;
      guint k = i + 1;
      while (k < n && in[k].activity != b)
        k++;
      if (k == n || in[i].time == CX_TS_NONE || order_key(&in[k]) == CX_TS_NONE)
        return FALSE;
      f->with_pair++;
      gint64 w = order_key(&in[k]) - in[i].time;
      f->wmin = MIN(f->wmin, w);
      f->wmax = MAX(f->wmax, w);
      return w >= f->lo && w <= f->hi;
    }
    case F_FOLLOWS: {
      guint32 a = elem_id(log, &f->a), b = elem_id(log, &f->b);
      gboolean has = a != G_MAXUINT32 && b != G_MAXUINT32 && follows(f, in, n, a, b);
      for (guint i = 0; i < n && a != G_MAXUINT32; i++)
        if (in[i].activity == a) {
          f->with_a++;
          break;
        }
      f->with_pair += has;
      return has != f->negate;
    }
    case F_VARIANT: {
      Elem *p = (Elem *)f->pattern->data;
      for (guint k = 0; k < f->pattern->len; k++)
        elem_id(log, &p[k]);
      return pattern_match(p, f->pattern->len, in, n);
    }
    case F_STARTS:
    case F_ENDS: {
      guint32 id = f->kind == F_STARTS ? in[0].activity : in[n - 1].activity;
      count_end(f->ends, id);
      return id == elem_id(log, &f->a);
    }
    case F_SHARE:
    case F_TOP: {
      if (c->prepass == index) {
        variant_count(log, f, j, cx_journey_first_time(&tmp));
        return FALSE;
      }
      if (f->allowed == NULL)
        return TRUE;
      g_autoptr(GBytes) key = variant_key(in, n);
      return g_hash_table_contains(f->allowed, key);
    }
    default:
      return TRUE;
  }
}

gboolean
cx_filter_chain_run(CxFilterChain *c, CxLog *log, CxFilterJourney *j, CxInstancesFunc make,
                    gpointer data)
{
  c->cur = -1;
  if (G_UNLIKELY(log->survey != NULL)) {
    /* explaining an empty result: what each filter keeps alone */
    c->surveyed++;
    for (guint i = 0; i < c->filters->len; i++) {
      CxFilterJourney copy = *j;
      Filter *f = g_ptr_array_index(c->filters, i);
      c->cur = -1;
      f->alone += apply(c, log, f, (int)i, &copy, make, data);
    }
    return FALSE;
  }
  for (guint i = 0; i < c->filters->len; i++) {
    Filter *f = g_ptr_array_index(c->filters, i);
    if (c->prepass >= 0 && (int)i > c->prepass)
      return FALSE;
    f->cases_in++;
    f->events_in += j->raw;
    if (!apply(c, log, f, (int)i, j, make, data))
      return FALSE;
    f->cases_kept++;
    f->events_kept += j->raw;
  }
  if (j->inst == NULL)
    j->inst = make(data, j->ev, j->n, &j->n_inst);
  return TRUE;
}

/* ---------- the pre-pass ---------- */

int
cx_filter_chain_pending(const CxFilterChain *c)
{
  for (guint i = 0; c != NULL && i < c->filters->len; i++) {
    const Filter *f = g_ptr_array_index(c->filters, i);
    if ((f->kind == F_SHARE || f->kind == F_TOP) && f->allowed == NULL)
      return (int)i;
  }
  return -1;
}

void
cx_filter_chain_set_prepass(CxFilterChain *c, int i)
{
  c->prepass = i;
}

static int
cmp_entry(gconstpointer pa, gconstpointer pb, gpointer cases)
{
  const VariantEntry *x = *(VariantEntry *const *)pa, *y = *(VariantEntry *const *)pb;
  if (x->count != y->count)
    return x->count > y->count ? -1 : 1;
  if (x->first != y->first)
    return x->first < y->first ? -1 : 1;
  return strcmp(cx_pool_get(cases, x->example), cx_pool_get(cases, y->example));
}

void
cx_filter_chain_decide(CxFilterChain *c, CxLog *log, int i)
{
  Filter *f = g_ptr_array_index(c->filters, (guint)i);
  f->allowed
      = g_hash_table_new_full(g_bytes_hash, g_bytes_equal, (GDestroyNotify)g_bytes_unref, NULL);
  if (f->order == NULL)
    return;
  g_ptr_array_sort_with_data(f->order, cmp_entry, log->cases);
  for (guint k = 0; k < f->order->len; k++) {
    VariantEntry *e = g_ptr_array_index(f->order, k);
    gboolean keep
        = f->kind == F_TOP ? k < f->top : (double)e->count >= f->share * (double)f->counted - 1e-9;
    if (keep)
      g_hash_table_add(f->allowed, g_bytes_ref(e->key));
  }
  /* the best share, for an empty result */
  f->wmax = f->order->len > 0 ? ((VariantEntry *)g_ptr_array_index(f->order, 0))->count : 0;
  g_hash_table_destroy(f->table);
  f->table = NULL;
  for (guint k = 0; k < f->order->len; k++)
    g_bytes_unref(((VariantEntry *)g_ptr_array_index(f->order, k))->key);
  g_ptr_array_set_size(f->order, 0);
}

/* ---------- telling ---------- */

void
cx_filter_chain_report(CxFilterChain *c, CxLog *log)
{
  for (guint i = 0; i < c->filters->len; i++) {
    const Filter *f = g_ptr_array_index(c->filters, i);
    g_autofree char *ck = cx_format_count(f->cases_kept);
    g_autofree char *ci = cx_format_count(f->cases_in);
    g_autofree char *ek = cx_format_count(f->events_kept);
    g_autofree char *ei = cx_format_count(f->events_in);
    cx_notice(&log->opts, CX_NOTICE_INFO, "filter", "filter %s: kept %s of %s %s, %s of %s %s",
              f->name, ck, ci, cx_plural(f->cases_in, "case", "cases"), ek, ei,
              cx_plural(f->events_in, "event", "events"));
  }
}

gboolean
cx_filter_chain_emptied(const CxFilterChain *c)
{
  for (guint i = 0; c != NULL && i < c->filters->len; i++) {
    const Filter *f = g_ptr_array_index(c->filters, i);
    if (f->cases_in > 0 && f->cases_kept == 0)
      return TRUE;
  }
  return FALSE;
}

void
cx_filter_chain_keys(const CxFilterChain *c, GPtrArray *keys)
{
  for (guint i = 0; c != NULL && i < c->filters->len; i++) {
    const Filter *f = g_ptr_array_index(c->filters, i);
    for (guint k = 0; f->atoms != NULL && k < f->atoms->len; k++)
      g_ptr_array_add(keys, ((Atom *)g_ptr_array_index(f->atoms, k))->key);
  }
}

static void
suggest_pool(CxSuggest *near, CxPool *pool)
{
  guint n = cx_pool_size(pool);
  for (guint i = 1; i < n && i < 1000000; i++)
    cx_suggest_add(near, cx_pool_get(pool, i));
}

/* Appends "no activity is called 'X' (did you mean ...)" when @name is not
 * an activity of the log; returns whether it did, and in *@hinted whether
 * there was a near miss. */
static gboolean
explain_name(GString *why, CxLog *log, const char *name, gboolean *hinted)
{
  if (name == NULL || cx_pool_lookup(log->activities, name, -1) != G_MAXUINT32)
    return FALSE;
  g_autoptr(CxSuggest) near = cx_suggest_new(name);
  suggest_pool(near, log->activities);
  g_autofree char *hint = cx_suggest_phrase(near, 3);
  g_string_append_printf(why, "%sno activity is called '%s'%s", why->len > 0 ? "; " : "", name,
                         hint);
  if (hinted != NULL)
    *hinted = *hint != '\0';
  return TRUE;
}

typedef struct {
  const char *name;
  guint64 count;
} Named;

static int
cmp_named(gconstpointer pa, gconstpointer pb)
{
  const Named *x = pa, *y = pb;
  if (x->count != y->count)
    return x->count > y->count ? -1 : 1;
  return strcmp(x->name, y->name);
}

static int
cmp_str(gconstpointer pa, gconstpointer pb)
{
  return strcmp(*(const char *const *)pa, *(const char *const *)pb);
}

static void
explain_atom(GString *why, CxLog *log, const Atom *a, GHashTable *keys, GHashTable *values_of)
{
  CxPool *pool = atom_pool(log, a);
  const char *sep = why->len > 0 ? "; " : "";
  /* the values the log has for the key: counted by the survey where it
   * could, else those the atom was tested with */
  g_autoptr(GArray) all = g_array_new(FALSE, FALSE, sizeof(Named));
  GHashTable *counted = values_of != NULL ? g_hash_table_lookup(values_of, a->key) : NULL;
  if (counted != NULL && g_hash_table_size(counted) == 0)
    counted = NULL;
  if (counted != NULL) {
    GHashTableIter it;
    gpointer k, v;
    g_hash_table_iter_init(&it, counted);
    while (g_hash_table_iter_next(&it, &k, &v)) {
      Named n = { k, GPOINTER_TO_UINT(v) };
      g_array_append_val(all, n);
    }
  } else {
    for (guint id = 1; id < a->cache->len; id++)
      if (g_array_index(a->cache, guint8, id) != 0) {
        Named n = { cx_pool_get(pool, id), 0 };
        g_array_append_val(all, n);
      }
  }
  gboolean key_known
      = a->kind != K_ATTR || all->len > 0 || (keys != NULL && g_hash_table_contains(keys, a->key));
  if (!key_known) {
    g_autoptr(CxSuggest) nk = cx_suggest_new(a->key);
    g_autoptr(GPtrArray) names = g_ptr_array_new();
    if (keys != NULL) {
      GHashTableIter it;
      gpointer k;
      g_hash_table_iter_init(&it, keys);
      while (g_hash_table_iter_next(&it, &k, NULL)) {
        cx_suggest_add(nk, k);
        g_ptr_array_add(names, k);
      }
    }
    const char *fields[] = { "activity", "resource", "channel", "case" };
    for (guint i = 0; i < G_N_ELEMENTS(fields); i++)
      cx_suggest_add(nk, fields[i]);
    g_autofree char *hint = cx_suggest_phrase(nk, 3);
    g_string_append_printf(why, "%sno attribute '%s' in the log%s", sep, a->key, hint);
    if (*hint == '\0' && names->len > 0) {
      g_ptr_array_sort(names, cmp_str);
      g_string_append(why, "; its attributes: ");
      for (guint i = 0; i < names->len && i < 8; i++)
        g_string_append_printf(why, "%s'%s'", i == 0 ? "" : ", ", (const char *)names->pdata[i]);
      if (names->len > 8)
        g_string_append_printf(why, " and %u more", names->len - 8);
    }
    return;
  }
  g_autofree char *hint = NULL;
  if (a->op == A_EQ) {
    g_autoptr(CxSuggest) near = cx_suggest_new(a->value);
    for (guint i = 0; i < all->len; i++)
      cx_suggest_add(near, g_array_index(all, Named, i).name);
    hint = cx_suggest_phrase(near, 3);
    g_string_append_printf(why, "%sattribute '%s' is never '%s'%s", sep, a->key, a->value, hint);
  } else {
    hint = g_strdup("");
    g_string_append_printf(why, "%sno value of attribute '%s' matches '%s'", sep, a->key, a->value);
  }
  if (*hint != '\0' || all->len == 0)
    return;
  g_array_sort(all, cmp_named);
  g_string_append_printf(why, "; its %svalues: ", counted != NULL ? "most frequent " : "");
  for (guint i = 0; i < all->len && i < 5; i++)
    g_string_append_printf(why, "%s'%s'", i == 0 ? "" : ", ", g_array_index(all, Named, i).name);
  if (all->len > 5)
    g_string_append_printf(why, " and %u more", all->len - 5);
}

static void
append_ends(GString *why, CxLog *log, GArray *counts, const char *verb)
{
  g_autoptr(GArray) all = g_array_new(FALSE, FALSE, sizeof(Named));
  for (guint id = 1; counts != NULL && id < counts->len; id++) {
    Named n = { cx_pool_get(log->activities, id), g_array_index(counts, guint64, id) };
    if (n.count > 0)
      g_array_append_val(all, n);
  }
  if (all->len == 0)
    return;
  g_array_sort(all, cmp_named);
  g_string_append_printf(why, "%scases %s ", why->len > 0 ? "; " : "", verb);
  for (guint i = 0; i < all->len && i < 3; i++) {
    const Named *n = &g_array_index(all, Named, i);
    g_autofree char *cnt = cx_format_counted(n->count, "case", "cases");
    g_string_append_printf(why, "%s'%s' (%s)", i == 0 ? "" : ", ", n->name, cnt);
  }
  if (all->len > 3)
    g_string_append_printf(why, " and %u more", all->len - 3);
}

static char *
human_duration(gint64 us)
{
  return cx_format_duration((double)us / (double)CX_USEC_PER_SEC);
}

static void
explain_window(GString *why, CxLog *log, const Filter *f)
{
  if (f->tmin == G_MAXINT64) {
    g_string_append(why, "no case has a timestamp");
    return;
  }
  GTimeZone *tz = cx_log_display_tz(log);
  const char *zone = tz != NULL ? cx_log_display_tz_name(log) : "UTC";
  gboolean started = f->mode == W_STARTED;
  gint64 hi = started ? f->fmax : f->tmax;
  /* whole days where the window is in days, else times */
  gboolean days = TRUE;
  const char *bounds[] = { f->from_s, f->to_s };
  for (guint i = 0; i < 2; i++)
    if (bounds[i] != NULL && strlen(bounds[i]) > 10)
      days = FALSE;
  g_autofree char *a = days ? cx_format_date(f->tmin, tz) : cx_format_time(f->tmin, tz);
  g_autofree char *b = days ? cx_format_date(hi, tz) : cx_format_time(hi, tz);
  if (started && strcmp(a, b) == 0)
    g_string_append_printf(why, "the log's cases all start on %s (%s)", a, zone);
  else if (started)
    g_string_append_printf(why, "the log's cases start between %s and %s (%s)", a, b, zone);
  else if (f->mode == W_TRIM)
    g_string_append_printf(why, "the log's events lie between %s and %s (%s)", a, b, zone);
  else
    g_string_append_printf(why, "the log's cases run from %s to %s (%s)", a, b, zone);
}

static void
explain_one(GString *why, CxLog *log, const Filter *f, GHashTable *keys, GHashTable *values_of)
{
  gboolean hinted = FALSE;
  switch (f->kind) {
    case F_WINDOW:
      explain_window(why, log, f);
      break;
    case F_WHERE:
    case F_KEEP_EVENTS:
      for (guint k = 0; k < f->atoms->len; k++) {
        const Atom *a = g_ptr_array_index(f->atoms, k);
        if (a->hits == 0)
          explain_atom(why, log, a, keys, values_of);
      }
      if (why->len == 0)
        g_string_append(why, "each condition holds somewhere, but never the whole expression");
      break;
    case F_DURATION:
      if (f->dmin == G_MAXINT64) {
        g_string_append(why, "no case has two timestamps");
      } else {
        g_autofree char *a = human_duration(f->dmin);
        g_autofree char *b = human_duration(f->dmax);
        g_string_append_printf(why, "the log's cases last from %s to %s", a, b);
      }
      break;
    case F_STEPS:
      g_string_append_printf(why, "the log's cases have %u to %u steps", f->smin, f->smax);
      break;
    case F_WAIT:
    case F_FOLLOWS: {
      gboolean unknown = explain_name(why, log, f->a.name, NULL);
      if (explain_name(why, log, f->b.name, NULL) || unknown)
        break;
      if (f->kind == F_WAIT && f->with_pair > 0) {
        g_autofree char *a = human_duration(f->wmin);
        g_autofree char *b = human_duration(f->wmax);
        g_string_append_printf(why, "waits from '%s' to the next '%s' range from %s to %s",
                               f->a.name, f->b.name, a, b);
      } else if (f->with_a == 0 && !f->negate) {
        g_string_append_printf(why, "no case has '%s'", f->a.name);
      } else if (f->negate) {
        g_string_append_printf(why, "in every case '%s' is %sfollowed by '%s'%s", f->a.name,
                               f->direct ? "directly " : "", f->b.name,
                               f->within > 0 ? " within that time" : "");
      } else {
        g_string_append_printf(why, "'%s' is never %sfollowed by '%s'%s", f->a.name,
                               f->direct ? "directly " : "", f->b.name,
                               f->within > 0 ? " within that time" : "");
      }
      break;
    }
    case F_VARIANT: {
      gboolean unknown = FALSE;
      for (guint k = 0; k < f->pattern->len; k++)
        unknown |= explain_name(why, log, g_array_index(f->pattern, Elem, k).name, NULL);
      if (!unknown)
        g_string_append(why, "no case's sequence of activities matches the pattern");
      break;
    }
    case F_STARTS:
    case F_ENDS: {
      const char *verb = f->kind == F_STARTS ? "start with" : "end with";
      if (!explain_name(why, log, f->a.name, &hinted))
        g_string_append_printf(why, "'%s' is never where a case %s", f->a.name,
                               f->kind == F_STARTS ? "starts" : "ends");
      if (!hinted)
        append_ends(why, log, f->ends, verb);
      break;
    }
    case F_SHARE:
    case F_TOP: {
      g_autofree char *sh = cx_format_share_of((guint64)MAX(f->wmax, 0), f->cases_in);
      g_string_append_printf(why, "the most frequent variant holds %s of the cases", sh);
      break;
    }
  }
}

void
cx_filter_chain_explain(CxFilterChain *c, CxLog *log, GHashTable *keys, GHashTable *values_of)
{
  Filter *f = NULL;
  for (guint i = 0; i < c->filters->len && f == NULL; i++) {
    Filter *g = g_ptr_array_index(c->filters, i);
    if (g->cases_in > 0 && g->cases_kept == 0)
      f = g;
  }
  if (f == NULL)
    return;
  g_autofree char *n = cx_format_counted(c->surveyed, "case", "cases");
  if (f->alone == 0) {
    GString *why = g_string_new(NULL);
    explain_one(why, log, f, keys, values_of);
    g_autofree char *w = g_string_free(why, FALSE);
    cx_notice(&log->opts, CX_NOTICE_WARNING, "empty-selection", "%s selects none of the %s: %s",
              f->name, n, w);
    return;
  }
  /* it keeps some of the log, not of what the filters before it kept */
  GString *each = g_string_new(NULL);
  gboolean whole = FALSE;
  for (guint i = 0; i < c->filters->len; i++) {
    const Filter *g = g_ptr_array_index(c->filters, i);
    g_autofree char *cnt = cx_format_counted(g->alone, "case", "cases");
    g_string_append_printf(each, "%s%s (%s)", i == 0 ? "" : ", ", g->name, cnt);
    whole |= g->kind == F_SHARE || g->kind == F_TOP;
  }
  g_autofree char *e = g_string_free(each, FALSE);
  cx_notice(
      &log->opts, CX_NOTICE_WARNING, "empty-selection",
      "the filters together select none of the %s, though each alone selects some: %s%s", n, e,
      whole ? " (variant rank and share count only the cases the filters before them keep)" : "");
}
