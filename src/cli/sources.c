/* --sources FILE: one GLib key file group per input file, with the reading
 * options that differ for it; and --journey-gap durations. */
#include "cmd.h"
#include <string.h>

/* The keys a group may have: the reading options' long names, plus
 * channel-name (a fixed channel for every event of the file). */
static const char *const known_keys[] = { "format",          "case",
                                          "activity",        "timestamp",
                                          "start-timestamp", "resource",
                                          "channel",         "channel-name",
                                          "timezone",        "timestamp-format",
                                          "delimiter",       "lifecycle",
                                          "activity-key",    "channel-key",
                                          "resource-key",    "classifier",
                                          "skip-invalid",    NULL };

/* Where each group and key is written, for messages: "group\n" and
 * "group\nkey" -> line (first occurrence). */
static GHashTable *
line_map(const char *text)
{
  GHashTable *lines = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  g_auto(GStrv) rows = g_strsplit(text, "\n", -1);
  g_autofree char *group = NULL;
  for (guint i = 0; rows[i] != NULL; i++) {
    g_autofree char *row = g_strstrip(g_strdup(rows[i]));
    if (row[0] == '\0' || row[0] == '#')
      continue;
    if (row[0] == '[') {
      char *end = strrchr(row, ']');
      g_free(group);
      group = g_strndup(row + 1, end != NULL ? (gsize)(end - row - 1) : strlen(row + 1));
      char *k = g_strconcat(group, "\n", NULL);
      if (!g_hash_table_contains(lines, k))
        g_hash_table_insert(lines, k, GUINT_TO_POINTER(i + 1));
      else
        g_free(k);
      continue;
    }
    char *eq = strchr(row, '=');
    if (group == NULL || eq == NULL)
      continue;
    g_autofree char *key = g_strstrip(g_strndup(row, (gsize)(eq - row)));
    char *k = g_strconcat(group, "\n", key, NULL);
    if (!g_hash_table_contains(lines, k))
      g_hash_table_insert(lines, k, GUINT_TO_POINTER(i + 1));
    else
      g_free(k);
  }
  return lines;
}

static guint
line_of(GHashTable *lines, const char *group, const char *key)
{
  g_autofree char *k = g_strconcat(group, "\n", key != NULL ? key : "", NULL);
  return GPOINTER_TO_UINT(g_hash_table_lookup(lines, k));
}

/* Splits a comma-separated list, trimming each item; NULL when empty. */
static char **
split_list(const char *value)
{
  g_auto(GStrv) parts = g_strsplit(value, ",", -1);
  GPtrArray *out = g_ptr_array_new();
  for (guint i = 0; parts[i] != NULL; i++) {
    char *p = g_strstrip(g_strdup(parts[i]));
    if (*p == '\0')
      g_free(p);
    else
      g_ptr_array_add(out, p);
  }
  g_ptr_array_add(out, NULL);
  return (char **)g_ptr_array_free(out, FALSE);
}

static gboolean
bad_value(const char *value, GError **error)
{
  g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "bad value '%s'", value);
  return FALSE;
}

/* Reads one key of @group into @o (or @format, @channel).  FALSE with
 * @error set (without the place: the caller adds it). */
static gboolean
take_key(const char *key, const char *value, CxReadOptions *o, CxFormat *format, char **channel,
         GError **error)
{
  if (strcmp(key, "format") == 0)
    return cx_format_parse(value, format) || bad_value(value, error);
  if (strcmp(key, "delimiter") == 0)
    return cx_delimiter_parse(value, &o->delimiter) || bad_value(value, error);
  if (strcmp(key, "lifecycle") == 0) {
    if (!cx_lifecycle_mode_parse(value, &o->lifecycle))
      return bad_value(value, error);
    if (o->lifecycle == CX_LIFECYCLE_MODE_PAIR)
      o->lifecycle = CX_LIFECYCLE_MODE_AUTO; /* the log's handling */
    return TRUE;
  }
  if (strcmp(key, "skip-invalid") == 0) {
    if (g_ascii_strcasecmp(value, "true") == 0 || strcmp(value, "1") == 0)
      o->skip_invalid = TRUE;
    else if (g_ascii_strcasecmp(value, "false") != 0 && strcmp(value, "0") != 0)
      return bad_value(value, error);
    return TRUE;
  }
  if (strcmp(key, "timezone") == 0 && g_ascii_strcasecmp(value, "UTC") != 0) {
    g_autoptr(GTimeZone) tz = g_time_zone_new_identifier(value);
    if (tz == NULL) {
      g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "unknown time zone '%s'", value);
      return FALSE;
    }
  }
  if (strcmp(key, "activity") == 0) {
    g_strfreev(o->activity_cols);
    o->activity_cols = split_list(value);
    return TRUE;
  }
  struct {
    const char *key;
    char **field;
  } strs[] = { { "case", &o->case_col },
               { "timestamp", &o->timestamp_col },
               { "start-timestamp", &o->start_col },
               { "resource", &o->resource_col },
               { "channel", &o->channel_col },
               { "timezone", &o->timezone },
               { "timestamp-format", &o->timestamp_format },
               { "activity-key", &o->activity_key },
               { "channel-key", &o->channel_key },
               { "resource-key", &o->resource_key },
               { "classifier", &o->classifier },
               { "channel-name", channel } };
  for (gsize i = 0; i < G_N_ELEMENTS(strs); i++)
    if (strcmp(key, strs[i].key) == 0) {
      g_free(*strs[i].field);
      *strs[i].field = g_strdup(value);
      return TRUE;
    }
  g_assert_not_reached();
}

gboolean
cx_cli_sources_load(const char *file, CxLog *log, CxFormat format, gboolean channel_from_file,
                    GError **error)
{
  g_autofree char *text = NULL;
  gsize len;
  if (!g_file_get_contents(file, &text, &len, error)) {
    g_prefix_error(error, "--sources: ");
    return FALSE;
  }
  g_autoptr(GKeyFile) kf = g_key_file_new();
  g_autoptr(GError) local = NULL;
  if (!g_key_file_load_from_data(kf, text, len, G_KEY_FILE_NONE, &local)) {
    g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "%s: %s", file, local->message);
    return FALSE;
  }
  g_autoptr(GHashTable) lines = line_map(text);
  g_autofree char *dir = g_path_get_dirname(file);
  gsize ngroups;
  g_auto(GStrv) groups = g_key_file_get_groups(kf, &ngroups);
  if (ngroups == 0) {
    g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                "%s: no [FILE] group: name each input file in brackets", file);
    return FALSE;
  }
  for (gsize g = 0; g < ngroups; g++) {
    const char *group = groups[g];
    g_autofree char *path
        = g_path_is_absolute(group) ? g_strdup(group) : g_build_filename(dir, group, NULL);
    guint gline = line_of(lines, group, NULL);
    if (!g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
      g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "%s:%u: [%s]: no such file '%s'",
                  file, gline, group, path);
      return FALSE;
    }
    CxReadOptions over;
    cx_read_options_init(&over);
    CxFormat fmt = format;
    g_autofree char *channel = NULL;
    gsize nkeys;
    g_auto(GStrv) keys = g_key_file_get_keys(kf, group, &nkeys, NULL);
    gboolean ok = TRUE;
    for (gsize k = 0; ok && k < nkeys; k++) {
      guint kline = line_of(lines, group, keys[k]);
      if (!g_strv_contains(known_keys, keys[k])) {
        g_autofree char *known = g_strjoinv(", ", (char **)known_keys);
        g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                    "%s:%u: unknown key '%s' in [%s] (known keys: %s)", file, kline, keys[k], group,
                    known);
        ok = FALSE;
        break;
      }
      g_autofree char *value = g_key_file_get_string(kf, group, keys[k], &local);
      if (value != NULL && strcmp(keys[k], "delimiter") != 0)
        g_strstrip(value); /* "case = Ticket " names the column Ticket */
      if (value == NULL || !take_key(keys[k], value, &over, &fmt, &channel, &local)) {
        g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "%s:%u: key '%s' in [%s]: %s",
                    file, kline, keys[k], group, local->message);
        g_clear_error(&local);
        ok = FALSE;
      }
    }
    if (ok) {
      if (channel == NULL && channel_from_file)
        channel = cx_cli_channel_of_file(group);
      cx_log_add_source_full(log, path, fmt, channel, &over);
    }
    cx_read_options_clear(&over);
    if (!ok)
      return FALSE;
  }
  return TRUE;
}

gboolean
cx_cli_parse_duration(const char *s, const char *what, gint64 *out, GError **error)
{
  /* one or more NUMBER UNIT: 30d, 12h, 1d12h, 90m, 45s, 2w */
  gint64 total;
  if (!cx_duration_parse(s, -1, &total)) {
    g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                "%s: '%s' is not a duration (e.g. 30d, 12h, 90m, 1d12h)", what, s);
    return FALSE;
  }
  *out = total;
  return TRUE;
}
