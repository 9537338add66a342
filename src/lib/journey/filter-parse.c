/* Filters: parsing the options into the chain (the expression syntax of
 * --where and --keep-events, windows, follower rules, variant patterns);
 * errors name the column. */
#include "filter-internal.h"
#include "cxmine/timestamp.h"
#include <math.h>
#include <string.h>

/* the quark's name is one token, which clang-format would split */
/* clang-format off */
G_DEFINE_QUARK(cx-filter-error-quark, cx_filter_error)
/* clang-format on */

static const char *const window_modes[]
    = { "", "contained", "intersecting", "started", "completed", "trim" };

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

gboolean
cx_filter_parse_number(const char *s, double *out)
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
    if ((*lo != '\0' && !cx_filter_parse_number(lo, &a->lo))
        || (*hi != '\0' && !cx_filter_parse_number(hi, &a->hi)) || (*lo == '\0' && *hi == '\0')) {
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
  if (numeric && !cx_filter_parse_number(a->value, &a->num)) {
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
      cx_filter_node_free(inner);
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
      cx_filter_node_free(left);
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
  g_autoptr(GPtrArray) hold = g_ptr_array_new_with_free_func(cx_filter_free_one);
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
      gint64 n = 0;
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
      if (!cx_filter_parse_number(arg, &f->share) || f->share < 0 || f->share > 1)
        return syntax(error, option, arg, 1, "expected a share from 0 to 1 (e.g. 0.01)");
      break;
    }
    case F_TOP: {
      gint64 n = 0;
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
