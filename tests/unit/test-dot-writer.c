/* Tests for the DOT writer: escaping, colours, numbers under a decimal-comma
 * locale, the builder's exact output, DFG maps, decorations, rendering. */
#include <check.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cxmine/cxmine.h"

#define T0 G_GINT64_CONSTANT(1704067200000000)

START_TEST(test_escape)
{
  g_autofree char *e = cx_dot_escape("a\"b\\c\nd<e>{f}|g&h \xc3\xa9 \xe2\x9a\xa0\tz\r");
  ck_assert_str_eq(
      e, "\"a\\\"b\\\\c\\nd&lt;e&gt;&#123;f&#125;&#124;g&amp;h \xc3\xa9 \xe2\x9a\xa0 z\"");
  /* invalid bytes become U+FFFD; control characters and noncharacters go */
  g_autofree char *bad = cx_dot_escape("x\xffy\x01\xc2\x85\xef\xbf\xbe");
  ck_assert_str_eq(bad, "\"x\xef\xbf\xbdy  \xef\xbf\xbd\"");
  /* above U+FFFF: raw, never &#128512; (Graphviz 2.42 mangles those) */
  g_autofree char *emoji = cx_dot_escape("\xf0\x9f\x98\x80");
  ck_assert_str_eq(emoji, "\"\xf0\x9f\x98\x80\"");
  g_autofree char *empty = cx_dot_escape("");
  ck_assert_str_eq(empty, "\"\"");
  /* DOT escString sequences stay literal */
  g_autofree char *esc = cx_dot_escape("\\N\\G");
  ck_assert_str_eq(esc, "\"\\\\N\\\\G\"");
}
END_TEST

START_TEST(test_colors_and_widths)
{
  char c[8];
  cx_dot_color(CX_DOT_PALETTE_BLUE, 0, c);
  ck_assert_str_eq(c, "#f4f8fc");
  cx_dot_color(CX_DOT_PALETTE_BLUE, 1, c);
  ck_assert_str_eq(c, "#084080");
  cx_dot_color(CX_DOT_PALETTE_BLUE, 7, c); /* clamped */
  ck_assert_str_eq(c, "#084080");
  cx_dot_color(CX_DOT_PALETTE_DIVERGING, -1, c);
  ck_assert_str_eq(c, "#1a9850");
  cx_dot_color(CX_DOT_PALETTE_DIVERGING, 0, c);
  ck_assert_str_eq(c, "#eeeeee");
  cx_dot_color(CX_DOT_PALETTE_ORANGE, 1, c);
  ck_assert_str_eq(c, "#8b1000");
  ck_assert_str_eq(cx_dot_text_color(CX_DOT_PALETTE_BLUE, 1), "#ffffff");
  ck_assert_str_eq(cx_dot_text_color(CX_DOT_PALETTE_BLUE, 0), "#000000");
  ck_assert_double_eq(cx_dot_penwidth(25, 100), 4.5);
  ck_assert_double_eq(cx_dot_penwidth(0, 100), 1);
  ck_assert_double_eq(cx_dot_penwidth(5, 0), 1);
  ck_assert_double_eq(cx_dot_scale(100, 100), 1);
  CxMetric m;
  ck_assert(cx_metric_parse("p90", &m));
  ck_assert_int_eq(m, CX_METRIC_P90);
  ck_assert(!cx_metric_parse("p95", &m));
  ck_assert(cx_metric_is_duration(CX_METRIC_TOTAL));
  ck_assert(!cx_metric_is_duration(CX_METRIC_CASES));
}
END_TEST

START_TEST(test_builder_exact)
{
  g_autoptr(CxDot) dot = cx_dot_new("t\"1", "LR");
  cx_dot_legend(dot, "legend");
  CxDotStyle ns = { 0 };
  ns.label = "A\n12";
  ns.fill = "#ff0000";
  cx_dot_node(dot, "A", &ns);
  CxDotStyle es = { 0 };
  es.label = "3";
  es.penwidth = 2.25;
  es.style = "dashed";
  cx_dot_edge(dot, CX_DOT_START, "A", &es);
  cx_dot_edge(dot, "A", "B|C", NULL);
  g_autoptr(GString) out = g_string_new(NULL);
  cx_dot_write(dot, out);
  const char *expected
      = "digraph cxmine {\n"
        "  graph [rankdir=LR, fontname=\"Helvetica\", fontsize=14, labelloc=t, labeljust=l, "
        "nodesep=0.35, ranksep=0.45, bgcolor=\"#ffffff\", label=\"t\\\"1\\nlegend\"];\n"
        "  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=11, "
        "fillcolor=\"#ffffff\", color=\"#4a5560\", margin=\"0.15,0.06\"];\n"
        "  edge [fontname=\"Helvetica\", fontsize=9, color=\"#4a5560\", fontcolor=\"#333333\", "
        "arrowsize=0.7];\n"
        "  n0 [label=\"A\\n12\", fillcolor=\"#ff0000\"];\n"
        "  n1 [shape=\"circle\", label=\"\", width=0.3, fixedsize=\"true\", style=\"filled\", "
        "fillcolor=\"#3a9d3a\", color=\"#2b7a2b\", tooltip=\"start\"];\n"
        "  n2 [label=\"B&#124;C\"];\n"
        "  n1 -> n0 [label=\" 3 \", style=\"dashed\", penwidth=2.25];\n"
        "  n0 -> n2;\n"
        "}\n";
  ck_assert_str_eq(out->str, expected);
}
END_TEST

static CxDfg *
small_dfg(CxLog *log)
{
  CxDfg *dfg = cx_dfg_new(log);
  const char *names[] = { "Register \"web\"", "Check", "Pay" };
  const double secs[][3] = { { 0, 45, 3 * 3600 }, { 0, 75, 2 * 86400 }, { 0, 30, -1 } };
  for (guint c = 0; c < 3; c++) {
    CxEvent ev[3] = { 0 };
    guint n = secs[c][2] < 0 ? 2 : 3;
    for (guint i = 0; i < n; i++) {
      ev[i].activity = cx_pool_intern(cx_log_activities(log), names[i], -1);
      ev[i].time = T0 + (gint64)(secs[c][i] * CX_USEC_PER_SEC);
      ev[i].start = CX_TS_NONE;
    }
    CxJourney j = { 0 };
    j.n_instances = n;
    j.instances = ev;
    ck_assert(cx_dfg_add(&j, dfg, NULL));
  }
  return dfg;
}

START_TEST(test_dfg_map)
{
  g_autoptr(CxLog) log = cx_log_new();
  g_autoptr(CxDfg) dfg = small_dfg(log);
  CxDotOptions o = { 0 };
  o.metric = CX_METRIC_MEDIAN;
  o.title = "small: 3 cases";
  g_autoptr(GString) a = g_string_new(NULL);
  g_autoptr(GString) b = g_string_new(NULL);
  cx_dot_write_dfg(dfg, NULL, &o, a);
  cx_dot_write_dfg(dfg, NULL, &o, b);
  ck_assert_str_eq(a->str, b->str);
  /* median wait Register -> Check: 45 s; Check -> Pay: (2.96 h + 47.98 h)/2 */
  ck_assert_ptr_nonnull(strstr(a->str, "label=\" 45 s \""));
  ck_assert_ptr_nonnull(strstr(a->str, "label=\" 1.1 d \""));
  ck_assert_ptr_nonnull(strstr(a->str, "label=\"Register \\\"web\\\"\\n3\""));
  ck_assert_ptr_nonnull(strstr(a->str, "label=\"small: 3 cases\""));
  /* Check sorts before Register (equal counts); start and end arcs are dashed:
   * 1 case ends at Check, 2 at Pay */
  ck_assert_ptr_nonnull(
      strstr(a->str, "n0 -> n2 [label=\" 3 \", color=\"#8a949c\", style=\"dashed\""));
  ck_assert_ptr_nonnull(strstr(a->str, "n1 -> n4 [label=\" 1 \""));
  ck_assert_ptr_null(strstr(a->str, "penwidth=0,"));
}
END_TEST

static gboolean
hide_pay(guint32 activity, CxDotDecor *decor, gpointer data)
{
  CxLog *log = data;
  const char *name = cx_pool_get(cx_log_activities(log), activity);
  if (strcmp(name, "Check") == 0) {
    decor->extra = g_strdup("\xe2\x9a\xa0 rework: 2 cases");
    decor->style.color = "#d73027";
    decor->style.style = "bold";
  }
  return TRUE;
}

static gboolean
decorate_edge(guint32 from, guint32 to, CxDotDecor *decor, gpointer data)
{
  if (from == CX_DOT_ID_START)
    return FALSE; /* hide start arcs */
  if (to != CX_DOT_ID_END) {
    g_free(decor->label);
    decor->label = g_strdup("before -> after");
    decor->style.color = "#123456";
  }
  return TRUE;
}

START_TEST(test_dfg_decorations)
{
  g_autoptr(CxLog) log = cx_log_new();
  g_autoptr(CxDfg) dfg = small_dfg(log);
  const char *legend[] = { "one", "two", NULL };
  CxDotOptions o = { 0 };
  o.legend = legend;
  o.node_func = hide_pay;
  o.edge_func = decorate_edge;
  o.user_data = log;
  g_autoptr(GString) out = g_string_new(NULL);
  cx_dot_write_dfg(dfg, NULL, &o, out);
  ck_assert_ptr_nonnull(strstr(out->str, "label=\"Check\\n3\\n\xe2\x9a\xa0 rework: 2 cases\""));
  ck_assert_ptr_nonnull(strstr(out->str, "color=\"#d73027\", style=\"rounded,filled,bold\""));
  ck_assert_ptr_nonnull(strstr(out->str, "label=\"one\\ntwo\""));
  ck_assert_ptr_nonnull(strstr(out->str, "label=\" before -&gt; after \", color=\"#123456\""));
  ck_assert_ptr_null(strstr(out->str, "n0 -> "));
}
END_TEST

START_TEST(test_numbers_under_decimal_comma)
{
  if (setlocale(LC_ALL, "de_DE.UTF-8") == NULL && setlocale(LC_ALL, "de_DE.utf8") == NULL)
    return; /* no comma locale installed: covered by the suite's de_DE run if any */
  g_autoptr(CxDot) dot = cx_dot_new(NULL, NULL);
  CxDotStyle s = { 0 };
  s.penwidth = 4.5;
  cx_dot_edge(dot, "a", "b", &s);
  g_autoptr(GString) out = g_string_new(NULL);
  cx_dot_write(dot, out);
  g_autoptr(CxLog) log = cx_log_new();
  g_autoptr(CxDfg) dfg = small_dfg(log);
  cx_dot_write_dfg(dfg, NULL, NULL, out);
  setlocale(LC_ALL, "C");
  ck_assert_ptr_nonnull(strstr(out->str, "penwidth=4.5"));
  ck_assert_ptr_nonnull(strstr(out->str, "width=0.3"));
  ck_assert_ptr_null(strstr(out->str, "penwidth=4,5"));
  ck_assert_ptr_null(strstr(out->str, "0,3"));
}
END_TEST

START_TEST(test_render_missing_graphviz)
{
  g_autofree char *path = g_strdup(g_getenv("PATH"));
  g_setenv("PATH", "/nonexistent-cxmine", TRUE);
  g_autoptr(GError) error = NULL;
  gboolean ok = cx_dot_render("digraph{}", 9, "svg", "/dev/null", &error);
  g_setenv("PATH", path, TRUE);
  ck_assert(!ok);
  ck_assert(g_error_matches(error, CX_DOT_ERROR, CX_DOT_ERROR_NO_GRAPHVIZ));
  ck_assert_str_eq(error->message, "Graphviz 'dot' not found: install graphviz");
}
END_TEST

START_TEST(test_render)
{
  g_autofree char *dot = g_find_program_in_path("dot");
  if (dot == NULL)
    return;
  g_autofree char *dir = g_dir_make_tmp("cxmine-dot-XXXXXX", NULL);
  g_autofree char *svg = g_build_filename(dir, "map.svg", NULL);
  g_autofree char *png = g_build_filename(dir, "map.png", NULL);
  g_autoptr(GError) error = NULL;
  const char *text = "digraph { a -> b; }";
  ck_assert(cx_dot_render(text, strlen(text), "svg", svg, &error));
  g_autofree char *data = NULL;
  gsize len;
  ck_assert(g_file_get_contents(svg, &data, &len, NULL));
  ck_assert_ptr_nonnull(strstr(data, "<svg"));
  /* binary output survives NUL bytes */
  ck_assert(cx_dot_render(text, strlen(text), "png", png, &error));
  g_autofree char *pdata = NULL;
  ck_assert(g_file_get_contents(png, &pdata, &len, NULL));
  ck_assert_uint_gt(len, 100);
  ck_assert_int_eq(memcmp(pdata, "\x89PNG", 4), 0);
  /* a failing run leaves the old file */
  ck_assert(!cx_dot_render("digraph { a -> ", 15, "svg", svg, &error));
  ck_assert(g_error_matches(error, CX_DOT_ERROR, CX_DOT_ERROR_FAILED));
  g_clear_error(&error);
  g_autofree char *again = NULL;
  ck_assert(g_file_get_contents(svg, &again, NULL, NULL));
  ck_assert_str_eq(again, data);
  ck_assert(!cx_dot_render(text, strlen(text), "svg;rm", svg, &error));
  ck_assert(g_error_matches(error, CX_DOT_ERROR, CX_DOT_ERROR_FORMAT));
  unlink(svg);
  unlink(png);
  rmdir(dir);
}
END_TEST

/* Undoes cx_dot_append_quoted for checking: joins "..." + "..." pieces and
 * returns the longest piece's length in @longest. */
static char *
unquote(const char *q, gsize *longest)
{
  GString *out = g_string_new(NULL);
  *longest = 0;
  const char *p = q;
  for (;;) {
    ck_assert_int_eq(*p, '"');
    gsize start = out->len;
    for (p++; *p != '"'; p++) {
      ck_assert_int_ne(*p, '\0');
      if (*p == '\\')
        p++;
      g_string_append_c(out, *p);
    }
    *longest = MAX(*longest, out->len - start);
    p++;
    if (*p == '\0')
      break;
    ck_assert(g_str_has_prefix(p, " + "));
    p += 3;
  }
  return g_string_free(out, FALSE);
}

START_TEST(test_long_strings_split)
{
  /* 20,000 characters with escapes and 4-byte characters: pieces of at most
   * 8,000 bytes (+ one character), never cut inside an escape or character */
  GString *s = g_string_new(NULL);
  for (int i = 0; i < 2000; i++)
    g_string_append(s, i % 3 == 0 ? "ab\"c&\\\xf0\x9f\x98\x80" : "abcdefghij");
  g_autofree char *q = cx_dot_escape(s->str);
  ck_assert(g_utf8_validate(q, -1, NULL));
  gsize longest;
  g_autofree char *back = unquote(q, &longest);
  ck_assert_uint_le(longest, 8010);
  ck_assert_ptr_nonnull(strstr(q, "\" + \""));
  /* each piece starts at a whole character: no piece begins with a
   * continuation byte or in the middle of an entity */
  for (const char *p = q; (p = strstr(p, "\" + \"")) != NULL; p += 5) {
    ck_assert_int_ne((guchar)p[5] & 0xc0, 0x80);
    ck_assert(!g_str_has_prefix(p + 5, "amp;"));
  }
  g_autoptr(GString) expect = g_string_new(NULL);
  for (const char *p = s->str; *p != '\0'; p++)
    if (*p == '&')
      g_string_append(expect, "&amp;");
    else
      g_string_append_c(expect, *p);
  ck_assert_str_eq(back, expect->str);
  g_string_free(s, TRUE);
}
END_TEST

START_TEST(test_short_label)
{
  gboolean sh = TRUE;
  g_autofree char *same = cx_dot_short_label("short\nlines", 80, &sh);
  ck_assert_str_eq(same, "short\nlines");
  ck_assert(!sh);
  /* 10 clusters: 7 of the start, the ellipsis, 2 of the end */
  g_autofree char *a = cx_dot_short_label("abcdefghijklmnop\n12", 10, &sh);
  ck_assert(sh);
  ck_assert_str_eq(a, "abcdefg\xe2\x80\xa6op\n12");
  /* too small a limit for an end: the start and the ellipsis */
  g_autofree char *tiny = cx_dot_short_label("abcdef", 3, &sh);
  ck_assert_str_eq(tiny, "ab\xe2\x80\xa6");
  g_autofree char *tiny0 = cx_dot_short_label("abcdef", 0, NULL);
  ck_assert_str_eq(tiny0, "a\xe2\x80\xa6");
  /* clusters stay whole: e + combining acute, a thumbs-up with a skin tone,
   * a flag (two regional indicators) */
  const char *e = "e\xcc\x81";                            /* é as two characters */
  const char *thumb = "\xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd"; /* 👍🏽 */
  const char *flag = "\xf0\x9f\x87\xb3\xf0\x9f\x87\xb1";  /* 🇳🇱 */
  g_autoptr(GString) in = g_string_new(NULL);
  for (int i = 0; i < 10; i++) {
    g_string_append(in, e);
    g_string_append(in, thumb);
    g_string_append(in, flag);
  }
  g_autofree char *b = cx_dot_short_label(in->str, 10, &sh);
  ck_assert(sh);
  g_autoptr(GString) want = g_string_new(NULL);
  g_string_append_printf(want, "%s%s%s%s%s%s%s\xe2\x80\xa6%s%s", e, thumb, flag, e, thumb, flag, e,
                         thumb, flag);
  ck_assert_str_eq(b, want->str);
}
END_TEST

START_TEST(test_builder_long_labels_unique)
{
  g_autoptr(CxDot) dot = cx_dot_new(NULL, NULL);
  g_autoptr(GString) a = g_string_new(NULL);
  for (int i = 0; i < 200; i++)
    g_string_append(a, "x");
  g_autofree char *n1 = g_strdup_printf("%s-1-%s", a->str, a->str);
  g_autofree char *n2 = g_strdup_printf("%s-2-%s", a->str, a->str);
  g_autofree char *n3 = g_strdup_printf("%s-one", a->str);
  cx_dot_node(dot, n1, NULL);
  cx_dot_node(dot, n2, NULL);
  CxDotStyle st = { 0 };
  st.tooltip = "my tip";
  cx_dot_node(dot, n3, &st);
  CxDotStyle es = { 0 };
  es.label = n3;
  cx_dot_edge(dot, n1, n2, &es);
  g_autoptr(GString) out = g_string_new(NULL);
  cx_dot_write(dot, out);
  /* n1 and n2 differ only in the middle: numbered apart */
  g_autofree char *l1 = cx_dot_short_label(n1, CX_DOT_LABEL_MAX, NULL);
  g_autofree char *q1 = g_strdup_printf("n0 [label=\"%s\", tooltip=\"%s\"]", l1, n1);
  ck_assert_msg(strstr(out->str, q1) != NULL, "%s", out->str);
  g_autofree char *q2 = g_strdup_printf("n1 [label=\"%s (2)\", tooltip=\"%s\"]", l1, n2);
  ck_assert_msg(strstr(out->str, q2) != NULL, "%s", out->str);
  /* a tooltip the caller set stays */
  ck_assert_ptr_nonnull(strstr(out->str, "tooltip=\"my tip\""));
  /* edge labels are shortened too, the full text in the tooltip */
  g_autofree char *l3 = cx_dot_short_label(n3, CX_DOT_LABEL_MAX, NULL);
  g_autofree char *q3 = g_strdup_printf("n0 -> n1 [label=\" %s \", tooltip=\"%s\"]", l3, n3);
  ck_assert_msg(strstr(out->str, q3) != NULL, "%s", out->str);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("dot-writer");
  TCase *tc = tcase_create("core");
  tcase_set_timeout(tc, 30);
  tcase_add_test(tc, test_escape);
  tcase_add_test(tc, test_long_strings_split);
  tcase_add_test(tc, test_short_label);
  tcase_add_test(tc, test_builder_long_labels_unique);
  tcase_add_test(tc, test_colors_and_widths);
  tcase_add_test(tc, test_builder_exact);
  tcase_add_test(tc, test_dfg_map);
  tcase_add_test(tc, test_dfg_decorations);
  tcase_add_test(tc, test_numbers_under_decimal_comma);
  tcase_add_test(tc, test_render_missing_graphviz);
  tcase_add_test(tc, test_render);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_ENV);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
