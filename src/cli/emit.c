/* Writing results: text, JSON and maps (DOT and pictures). */
#include "cmd.h"
#include <stdio.h>
#include <string.h>

int
cx_cli_emit(const char *path, GString *text)
{
  g_autoptr(GError) error = NULL;
  if (!cx_output_write(path != NULL ? path : "-", text->str, text->len, &error)) {
    cx_cli_error(error);
    return CX_EXIT_FAIL;
  }
  return CX_EXIT_OK;
}

char *
cx_cli_image_path(const char *dot_path, const char *fmt)
{
  const char *dot = strrchr(dot_path, '.');
  const char *slash = strrchr(dot_path, '/');
  if (dot != NULL && (slash == NULL || dot > slash)
      && (strcmp(dot, ".dot") == 0 || strcmp(dot, ".gv") == 0))
    return g_strdup_printf("%.*s.%s", (int)(dot - dot_path), dot_path, fmt);
  return g_strdup_printf("%s.%s", dot_path, fmt);
}

int
cx_cli_emit_map(const char *path, GString *dot, const char *render_fmt)
{
  gboolean to_file = path != NULL && strcmp(path, "-") != 0;
  if (render_fmt == NULL || to_file) {
    int rc = cx_cli_emit(path, dot);
    if (rc != CX_EXIT_OK || render_fmt == NULL)
      return rc;
  }
  g_autofree char *img = to_file ? cx_cli_image_path(path, render_fmt) : g_strdup("-");
  g_autoptr(GError) error = NULL;
  if (!cx_dot_render(dot->str, dot->len, render_fmt, img, &error)) {
    cx_cli_error(error);
    return CX_EXIT_FAIL;
  }
  return CX_EXIT_OK;
}
