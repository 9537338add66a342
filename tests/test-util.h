/* Scaffolding shared by the test executables: a scratch directory, running
 * the generator (env CXGEN) and feeding its CSV, finding ../shared (env
 * CX_SHARED) and reading PM4Py's JSON-lines oracle files.  Header only:
 * every helper is static inline, so a test includes what it uses. */
#pragma once

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib.h>
#include <glib/gstdio.h>
#include "cxmine/log.h"
#include "cxmine/sink.h"
#include "cxmine/timestamp.h"
#include "reader-private.h"

/* @e is set and is @dom / @cd (names them when it is not). */
#define test_assert_error(e, dom, cd)                                                              \
  do {                                                                                             \
    ck_assert_ptr_nonnull(e);                                                                      \
    ck_assert_msg(g_error_matches((e), (dom), (cd)), "error %s:%d: %s",                            \
                  g_quark_to_string((e)->domain), (e)->code, (e)->message);                        \
  } while (0)

/* ---------- a scratch directory ---------- */

/* A new empty directory from @tmpl (ending in XXXXXX); free with g_free. */
static inline char *
test_tmpdir_new(const char *tmpl)
{
  char *dir = g_dir_make_tmp(tmpl, NULL);
  ck_assert_ptr_nonnull(dir);
  return dir;
}

/* Removes @dir and the files in it (not subdirectories). */
static inline void
test_tmpdir_remove(const char *dir)
{
  g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
  const char *name;
  while (d != NULL && (name = g_dir_read_name(d)) != NULL) {
    g_autofree char *p = g_build_filename(dir, name, NULL);
    g_unlink(p);
  }
  g_rmdir(dir);
}

/* ---------- the generator, scripts/cxgen ---------- */

/* Runs $CXGEN with @args (NULL-terminated) plus "-o DIR/LOG_NAME -t
 * DIR/truth.json" and asserts it succeeds.  Stores the texts of the log and
 * the truth JSON in @log_text and @truth_text where not NULL (free them).
 * Returns the log's path (free it). */
static inline char *
test_cxgen_run(const char *dir, const char *log_name, const char *const *args, char **log_text,
               char **truth_text)
{
  char *out = g_build_filename(dir, log_name, NULL);
  g_autofree char *tr = g_build_filename(dir, "truth.json", NULL);
  g_autoptr(GPtrArray) argv = g_ptr_array_new();
  g_ptr_array_add(argv, (char *)g_getenv("CXGEN"));
  for (const char *const *a = args; *a != NULL; a++)
    g_ptr_array_add(argv, (char *)*a);
  g_ptr_array_add(argv, "-o");
  g_ptr_array_add(argv, out);
  g_ptr_array_add(argv, "-t");
  g_ptr_array_add(argv, tr);
  g_ptr_array_add(argv, NULL);
  g_autoptr(GError) error = NULL;
  int status = 0;
  ck_assert_msg(g_spawn_sync(NULL, (char **)argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL,
                             NULL, &status, &error),
                "%s", error ? error->message : "");
  ck_assert(g_spawn_check_wait_status(status, NULL));
  if (log_text != NULL)
    ck_assert(g_file_get_contents(out, log_text, NULL, NULL));
  if (truth_text != NULL)
    ck_assert(g_file_get_contents(tr, truth_text, NULL, NULL));
  return out;
}

/* Feeds cxgen's CSV (case_id,activity,timestamp,resource,channel,...; no
 * quoting) to @func through a sink on @log, and finishes the sink. */
static inline void
test_cxgen_feed_csv(CxLog *log, const char *csv, CxJourneyFunc func, gpointer data)
{
  g_autoptr(CxSink) sink = cx_sink_new(log, func, data);
  g_auto(GStrv) lines = g_strsplit(csv, "\n", -1);
  for (char **l = lines + 1; *l != NULL; l++) {
    if (**l == '\0')
      continue;
    g_auto(GStrv) c = g_strsplit(*l, ",", -1);
    ck_assert_uint_ge(g_strv_length(c), 5);
    CxRawEvent ev = { 0 };
    ev.activity = c[1];
    ev.activity_len = strlen(c[1]);
    ck_assert(cx_time_parse_iso(c[2], strlen(c[2]), NULL, &ev.time, NULL));
    ev.start = CX_TS_NONE;
    ev.resource = c[3];
    ev.resource_len = strlen(c[3]);
    ev.channel = c[4];
    ev.channel_len = strlen(c[4]);
    g_autoptr(GError) error = NULL;
    ck_assert(cx_sink_row(sink, c[0], strlen(c[0]), &ev, NULL, &error));
  }
  g_autoptr(GError) error = NULL;
  ck_assert(cx_sink_finish(sink, &error));
}

/* ---------- ../shared and PM4Py's oracle ---------- */

/* $CX_SHARED, when it and @probe inside it (NULL = nothing more) exist;
 * otherwise the test is skipped: exit code 77. */
static inline const char *
test_shared_or_skip(const char *probe)
{
  const char *shared = g_getenv("CX_SHARED");
  g_autofree char *p = shared && probe ? g_build_filename(shared, probe, NULL) : NULL;
  if (shared == NULL || !g_file_test(shared, G_FILE_TEST_IS_DIR)
      || (p != NULL && !g_file_test(p, G_FILE_TEST_EXISTS))) {
    printf("1..0 # SKIP no ../shared\n");
    exit(77);
  }
  return shared;
}

/* The oracle file SHARED/oracle/NAME.utcfix.KIND.json where it exists, else
 * NAME.KIND.json (see oracle/README.md). */
static inline char *
test_oracle_path(const char *shared, const char *name, const char *kind)
{
  g_autofree char *fix = g_strdup_printf("%s/oracle/%s.utcfix.%s.json", shared, name, kind);
  if (g_file_test(fix, G_FILE_TEST_EXISTS))
    return g_steal_pointer(&fix);
  return g_strdup_printf("%s/oracle/%s.%s.json", shared, name, kind);
}

/* Decodes the JSON string at *p (just after its opening quote), appending
 * to @out, and moves *p past the closing quote; FALSE if it has none. */
static inline gboolean
test_json_string(const char **p, GString *out)
{
  const char *s = *p;
  while (*s != '\0' && *s != '"') {
    if (*s != '\\') {
      g_string_append_c(out, *s++);
      continue;
    }
    s++;
    switch (*s) {
      case 'n':
        g_string_append_c(out, '\n');
        break;
      case 't':
        g_string_append_c(out, '\t');
        break;
      case 'r':
        g_string_append_c(out, '\r');
        break;
      case 'b':
        g_string_append_c(out, '\b');
        break;
      case 'f':
        g_string_append_c(out, '\f');
        break;
      case 'u': {
        char hex[5] = { 0 };
        if (strlen(s + 1) < 4)
          return FALSE;
        memcpy(hex, s + 1, 4);
        gunichar c = (gunichar)g_ascii_strtoull(hex, NULL, 16);
        s += 4;
        if (c >= 0xD800 && c < 0xDC00 && s[1] == '\\' && s[2] == 'u' && strlen(s + 3) >= 4) {
          memcpy(hex, s + 3, 4);
          gunichar lo = (gunichar)g_ascii_strtoull(hex, NULL, 16);
          c = 0x10000 + ((c - 0xD800) << 10) + (lo - 0xDC00);
          s += 6;
        }
        g_string_append_unichar(out, c);
        break;
      }
      default:
        g_string_append_c(out, *s);
    }
    if (*s != '\0')
      s++;
  }
  if (*s != '"')
    return FALSE;
  *p = s + 1;
  return TRUE;
}

/* The value of "KEY": in a flat JSON @line, or NULL. */
static inline const char *
test_json_field(const char *line, const char *key)
{
  g_autofree char *pat = g_strdup_printf("\"%s\": ", key);
  const char *f = strstr(line, pat);
  return f != NULL ? f + strlen(pat) : NULL;
}

/* The string value of "KEY": in @line, decoded; NULL if there is none. */
static inline char *
test_json_field_str(const char *line, const char *key)
{
  const char *v = test_json_field(line, key);
  if (v == NULL || *v != '"')
    return NULL;
  v++;
  g_autoptr(GString) s = g_string_new(NULL);
  if (!test_json_string(&v, s))
    return NULL;
  return g_strdup(s->str);
}

/* The number value of "KEY": in @line; asserts it is there. */
static inline double
test_json_field_num(const char *line, const char *key)
{
  const char *v = test_json_field(line, key);
  ck_assert_msg(v != NULL, "no %s in %s", key, line);
  return g_ascii_strtod(v, NULL);
}

/* Reads an oracle file of JSON lines with "count": into a table (free with
 * g_hash_table_destroy) of key -> count (GSIZE_TO_POINTER).  The key of a
 * line with "variant": [...] is each activity followed by '\x1f'; of a line
 * with "activity": "..." the activity; any other line but an empty one
 * fails.  Counts of equal keys add up. */
static inline GHashTable *
test_oracle_counts(const char *path)
{
  g_autofree char *text = NULL;
  ck_assert_msg(g_file_get_contents(path, &text, NULL, NULL), "cannot read %s", path);
  GHashTable *h = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
  for (char **l = lines; *l != NULL; l++) {
    g_autoptr(GString) key = g_string_new(NULL);
    const char *p = test_json_field(*l, "variant");
    if (p != NULL) {
      ck_assert_msg(*p == '[', "%s: %s", path, *l);
      p++;
      for (;;) {
        while (*p == ' ' || *p == ',')
          p++;
        if (*p != '"')
          break;
        p++;
        ck_assert_msg(test_json_string(&p, key), "%s: %s", path, *l);
        g_string_append_c(key, '\x1f');
      }
    } else if ((p = test_json_field(*l, "activity")) != NULL) {
      ck_assert_msg(*p == '"', "%s: %s", path, *l);
      p++;
      ck_assert_msg(test_json_string(&p, key), "%s: %s", path, *l);
    } else {
      ck_assert_msg(**l == '\0', "%s: neither variant nor activity in %s", path, *l);
      continue;
    }
    const char *c = strstr(p, "\"count\":");
    ck_assert_msg(c != NULL, "%s: no count in %s", path, *l);
    gsize n = (gsize)g_ascii_strtoull(c + 8, NULL, 10);
    gsize old = GPOINTER_TO_SIZE(g_hash_table_lookup(h, key->str));
    g_hash_table_insert(h, g_strdup(key->str), GSIZE_TO_POINTER(old + n));
  }
  return h;
}
