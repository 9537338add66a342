/* The attributes of a journey (CxReadOptions.attr_keys, ../shared/DECISIONS.md):
 * a trace attribute or CSV case:KEY column is the case's value; for an event
 * attribute KEY is the first non-empty value in journey order, KEY@last the
 * last; event-scope <global> defaults count; only wanted values are kept. */
#include <check.h>
#include <glib/gstdio.h>
#include <unistd.h>
#include <string.h>
#include "cxmine/cxmine.h"

static char *
write_tmp(const char *tmpl, const char *data)
{
  char *path = NULL;
  int fd = g_file_open_tmp(tmpl, &path, NULL);
  ck_assert_int_ge(fd, 0);
  close(fd);
  ck_assert(g_file_set_contents(path, data, -1, NULL));
  return path;
}

typedef struct {
  CxLog *log;
  GString *out;
} Collect;

static gint
cmp_str(gconstpointer a, gconstpointer b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "case [k=v]...\n" per journey, attributes sorted by key */
static gboolean
collect(const CxJourney *j, gpointer data, GError **error)
{
  Collect *c = data;
  g_autoptr(GPtrArray) kv = g_ptr_array_new_with_free_func(g_free);
  for (guint i = 0; i < j->n_attrs; i++)
    g_ptr_array_add(kv,
                    g_strdup_printf("[%s=%s]", cx_pool_get(cx_log_keys(c->log), j->attrs[i].key),
                                    cx_pool_get(cx_log_values(c->log), j->attrs[i].value)));
  g_ptr_array_sort(kv, cmp_str);
  g_string_append(c->out, cx_pool_get(cx_log_cases(c->log), j->case_id));
  for (guint i = 0; i < kv->len; i++)
    g_string_append_printf(c->out, " %s", (char *)g_ptr_array_index(kv, i));
  g_string_append_c(c->out, '\n');
  return TRUE;
}

static void
reset(gpointer data)
{
  g_string_truncate(((Collect *)data)->out, 0);
}

/* Scans @path with the wanted @keys (NULL-terminated) and --where @where. */
static char *
scan(const char *path, const char *const *keys, const char *where, gsize threads_after)
{
  g_autoptr(CxLog) log = cx_log_new();
  cx_log_add_source(log, path, CX_FORMAT_AUTO, NULL);
  CxReadOptions *o = cx_log_options(log);
  for (const char *const *k = keys; k != NULL && *k != NULL; k++)
    cx_read_options_want_attr(o, *k);
  if (where != NULL)
    ck_assert(cx_read_options_add_filter(o, "where", where, NULL));
  o->threads_after = threads_after;
  Collect c = { log, g_string_new(NULL) };
  g_autoptr(GError) error = NULL;
  gboolean ok = cx_log_scan(log, collect, reset, &c, &error);
  ck_assert_msg(ok, "%s", error ? error->message : "");
  return g_string_free(c.out, FALSE);
}

/* Rows out of time order: first/last follow the journey, not the file;
 * empty values are skipped; the unwanted column is not kept. */
static const char *csv_log = "case_id,activity,timestamp,segment,noise,case:tier\n"
                             "c1,B,2024-01-01T10:00:00,late,x,gold\n"
                             "c1,A,2024-01-01T09:00:00,,x,gold\n"
                             "c1,C,2024-01-01T08:00:00,early,x,gold\n"
                             "c1,D,2024-01-01T11:00:00,,x,gold\n"
                             "c2,A,2024-01-02T09:00:00,,y,\n";

START_TEST(csv_first_and_last)
{
  g_autofree char *p = write_tmp("cx-attrs-XXXXXX.csv", csv_log);
  const char *keys[] = { "segment", "segment@last", "tier", "tier@last", NULL };
  g_autofree char *got = scan(p, keys, NULL, 0);
  ck_assert_str_eq(got, "c1 [segment=early] [segment@last=late] [tier=gold] [tier@last=gold]\n"
                        "c2\n");
  g_unlink(p);
}
END_TEST

START_TEST(csv_only_wanted)
{
  g_autofree char *p = write_tmp("cx-attrs-XXXXXX.csv", csv_log);
  g_autofree char *none = scan(p, NULL, NULL, 0);
  ck_assert_str_eq(none, "c1 [tier=gold]\nc2\n");
  const char *keys[] = { "noise@last", NULL };
  g_autofree char *one = scan(p, keys, NULL, 0);
  ck_assert_str_eq(one, "c1 [noise@last=x] [tier=gold]\nc2 [noise@last=y]\n");
  g_unlink(p);
}
END_TEST

static const char *xes_log
    = "<log xes.version=\"1.0\">\n"
      "<global scope=\"event\"><string key=\"org:group\" value=\"desk\"/></global>\n"
      "<trace><string key=\"concept:name\" value=\"t1\"/><string key=\"region\" value=\"north\"/>\n"
      " <event><string key=\"concept:name\" value=\"A\"/><string key=\"org:group\" "
      "value=\"web\"/><date key=\"time:timestamp\" value=\"2024-01-01T10:00:00Z\"/></event>\n"
      " <event><string key=\"concept:name\" value=\"B\"/><date key=\"time:timestamp\" "
      "value=\"2024-01-01T11:00:00Z\"/></event>\n"
      "</trace>\n"
      "<trace><string key=\"concept:name\" value=\"t2\"/>\n"
      " <event><string key=\"concept:name\" value=\"A\"/><string key=\"org:group\" "
      "value=\"phone\"/><date key=\"time:timestamp\" value=\"2024-01-02T10:00:00Z\"/></event>\n"
      " <event><string key=\"concept:name\" value=\"B\"/><string key=\"org:group\" "
      "value=\"web\"/><date key=\"time:timestamp\" value=\"2024-01-02T09:00:00Z\"/></event>\n"
      "</trace>\n";

/* a third trace repeats t1: the scan starts over grouped */
static const char *xes_repeat
    = "<trace><string key=\"concept:name\" value=\"t1\"/>\n"
      " <event><string key=\"concept:name\" value=\"C\"/><string key=\"org:group\" "
      "value=\"mail\"/><date key=\"time:timestamp\" value=\"2024-01-01T12:00:00Z\"/></event>\n"
      "</trace>\n";

START_TEST(xes_event_globals)
{
  /* streamed, streamed through the sink thread, and grouped */
  for (int mode = 0; mode < 3; mode++) {
    g_autofree char *text = g_strconcat(xes_log, mode == 2 ? xes_repeat : "", "</log>\n", NULL);
    g_autofree char *p = write_tmp("cx-attrs-XXXXXX.xes", text);
    const char *keys[] = { "org:group", "org:group@last", "region@last", NULL };
    g_autofree char *got = scan(p, keys, NULL, mode == 1 ? 1 : 0);
    const char *want
        = mode == 2
              ? "t1 [org:group=web] [org:group@last=mail] [region=north] [region@last=north]\n"
                "t2 [org:group=web] [org:group@last=phone]\n"
              : "t1 [org:group=web] [org:group@last=desk] [region=north] [region@last=north]\n"
                "t2 [org:group=web] [org:group@last=phone]\n";
    ck_assert_msg(strcmp(got, want) == 0, "mode %d: %s", mode, got);
    g_unlink(p);
  }
}
END_TEST

START_TEST(where_sees_event_globals)
{
  g_autofree char *text = g_strconcat(xes_log, "</log>\n", NULL);
  g_autofree char *p = write_tmp("cx-attrs-XXXXXX.xes", text);
  g_autofree char *desk = scan(p, NULL, "org:group=desk", 0);
  ck_assert_str_eq(desk, "t1 [region=north]\n");
  g_autofree char *phone = scan(p, NULL, "org:group=phone", 0);
  ck_assert_str_eq(phone, "t2\n");
  g_unlink(p);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("attrs");
  TCase *tc = tcase_create("attrs");
  tcase_add_test(tc, csv_first_and_last);
  tcase_add_test(tc, csv_only_wanted);
  tcase_add_test(tc, xes_event_globals);
  tcase_add_test(tc, where_sees_event_globals);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_ENV);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? 0 : 1;
}
