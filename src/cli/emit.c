/* Writing results: text, JSON and maps (DOT and pictures), and the rule
 * that no output may replace one of the inputs. */
#include "cmd.h"
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---------- outputs that are inputs ---------- */

typedef struct {
  dev_t dev;
  ino_t ino;
  char *name;
} Input;

static void
input_clear(gpointer p)
{
  g_free(((Input *)p)->name);
}

void
cx_cli_inputs_note(CxCli *cli, const char *path)
{
  struct stat st;
  gboolean is_stdin = strcmp(path, "-") == 0;
  if ((is_stdin ? fstat(STDIN_FILENO, &st) : stat(path, &st)) != 0 || !S_ISREG(st.st_mode))
    return;
  /* the regular files this run reads, by identity (a hard link or symlink
   * to an input is that input) */
  if (cli->inputs == NULL) {
    cli->inputs = g_array_new(FALSE, FALSE, sizeof(Input));
    g_array_set_clear_func(cli->inputs, input_clear);
  }
  Input in = { st.st_dev, st.st_ino, g_strdup(is_stdin ? "standard input" : path) };
  g_array_append_val(cli->inputs, in);
}

/* The input @path (NULL or "-" = standard output) is, or NULL. */
static const char *
input_of(CxCli *cli, const char *path)
{
  GArray *inputs = cli->inputs;
  if (inputs == NULL)
    return NULL;
  struct stat st;
  gboolean is_stdout = path == NULL || strcmp(path, "-") == 0;
  if ((is_stdout ? fstat(STDOUT_FILENO, &st) : stat(path, &st)) != 0 || !S_ISREG(st.st_mode))
    return NULL;
  for (guint i = 0; i < inputs->len; i++) {
    const Input *in = &g_array_index(inputs, Input, i);
    if (in->dev == st.st_dev && in->ino == st.st_ino)
      return in->name;
  }
  return NULL;
}

/* FALSE with an error when @path would replace an input. */
static gboolean
not_an_input(CxCli *cli, const char *path, GError **error)
{
  const char *in = input_of(cli, path);
  if (in == NULL)
    return TRUE;
  gboolean is_stdout = path == NULL || strcmp(path, "-") == 0;
  if (is_stdout)
    g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_EXIST,
                "standard output is the input %s: refusing to write over it", in);
  else if (strcmp(in, "standard input") == 0)
    g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_EXIST,
                "output %s is the file on standard input: refusing to write over it", path);
  else if (strcmp(in, path) == 0)
    g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_EXIST,
                "output %s is the input %s: refusing to write over it", path, in);
  else
    g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_EXIST,
                "output %s is the input %s (the same file): refusing to write over it", path, in);
  return FALSE;
}

/* ---------- what -o and --render write ---------- */

typedef struct {
  char *dot;    /* where the DOT text goes: a file, "-", or NULL = none */
  char *image;  /* where the picture goes: a file, "-", or NULL = none */
  char *format; /* the picture's format */
  gboolean unknown_ext;
} MapPlan;

static void
map_plan_clear(MapPlan *p)
{
  g_free(p->dot);
  g_free(p->image);
  g_free(p->format);
}

/* The extension of @path's base name, lowercase, or NULL. */
static char *
extension(const char *path)
{
  const char *slash = strrchr(path, '/');
  const char *base = slash != NULL ? slash + 1 : path;
  const char *dot = strrchr(base, '.');
  if (dot == NULL || dot == base || dot[1] == '\0')
    return NULL;
  return g_ascii_strdown(dot + 1, -1);
}

static gboolean
is_picture_format(const char *ext)
{
  return ext != NULL
         && (strcmp(ext, "svg") == 0 || strcmp(ext, "png") == 0 || strcmp(ext, "pdf") == 0);
}

static gboolean
map_plan(MapPlan *p, const char *path, const char *render, GError **error)
{
  *p = (MapPlan){ 0 };
  if (path == NULL || strcmp(path, "-") == 0) {
    if (render != NULL) {
      p->image = g_strdup("-");
      p->format = g_strdup(render);
    } else {
      p->dot = g_strdup("-");
    }
    return TRUE;
  }
  g_autofree char *ext = extension(path);
  if (is_picture_format(ext)) {
    if (render != NULL && strcmp(render, ext) != 0) {
      g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                  "-o %s writes the picture as %s, --render asks for %s: name the file .%s, "
                  "or write DOT and the picture with -o FILE.dot --render %s",
                  path, ext, render, render, render);
      return FALSE;
    }
    p->image = g_strdup(path);
    p->format = g_steal_pointer(&ext);
    return TRUE;
  }
  p->dot = g_strdup(path);
  if (ext != NULL && strcmp(ext, "dot") != 0 && strcmp(ext, "gv") != 0) {
    struct stat st;
    /* devices and pipes (/dev/null, /dev/stdout) have no format to guess */
    p->unknown_ext = stat(path, &st) != 0 || S_ISREG(st.st_mode);
  }
  if (render != NULL) {
    p->image = cx_cli_image_path(path, render);
    p->format = g_strdup(render);
  }
  return TRUE;
}

char *
cx_cli_image_path(const char *dot_path, const char *fmt)
{
  const char *dot = strrchr(dot_path, '.');
  const char *slash = strrchr(dot_path, '/');
  if (dot != NULL && (slash == NULL || dot > slash)
      && (g_ascii_strcasecmp(dot, ".dot") == 0 || g_ascii_strcasecmp(dot, ".gv") == 0))
    return g_strdup_printf("%.*s.%s", (int)(dot - dot_path), dot_path, fmt);
  return g_strdup_printf("%s.%s", dot_path, fmt);
}

int
cx_cli_output_check(CxCli *cli, const char *cmd, const char *path)
{
  g_autoptr(GError) error = NULL;
  if (!not_an_input(cli, NULL, &error)
      || (path != NULL && strcmp(path, "-") != 0 && !not_an_input(cli, path, &error)))
    return cx_cli_usage(cmd, "%s", error->message);
  return CX_EXIT_OK;
}

int
cx_cli_map_check(CxCli *cli, const char *cmd, const char *path, const char *render)
{
  MapPlan p;
  g_autoptr(GError) error = NULL;
  if (!map_plan(&p, path, render, &error))
    return cx_cli_usage(cmd, "%s", error->message);
  int rc = cx_cli_output_check(cli, cmd, p.dot);
  if (rc == CX_EXIT_OK && p.image != NULL)
    rc = cx_cli_output_check(cli, cmd, p.image);
  if (rc == CX_EXIT_OK && p.image != NULL && strcmp(p.image, "-") == 0
      && strcmp(p.format, "svg") != 0 && isatty(STDOUT_FILENO))
    rc = cx_cli_usage(cmd,
                      "a %s picture is binary: not writing it to a terminal (use -o FILE.%s, "
                      "or redirect standard output)",
                      p.format, p.format);
  if (rc == CX_EXIT_OK && p.image != NULL && !cx_dot_available(&error)) {
    fprintf(stderr,
            "cxmine %s: %s (apt-get install graphviz), or write DOT text with -o FILE.dot\n", cmd,
            error->message);
    rc = CX_EXIT_FAIL;
  }
  if (rc == CX_EXIT_OK && p.unknown_ext)
    fprintf(stderr,
            "cxmine %s: note: %s is not named .dot, .gv, .svg, .png or .pdf: writing DOT text "
            "to it\n",
            cmd, path);
  map_plan_clear(&p);
  return rc;
}

/* ---------- writing ---------- */

int
cx_cli_emit(CxCli *cli, const char *path, GString *text)
{
  g_autoptr(GError) error = NULL;
  if (!not_an_input(cli, path, &error)
      || !cx_output_write(path != NULL ? path : "-", text->str, text->len, &error)) {
    cx_cli_error(error);
    return CX_EXIT_FAIL;
  }
  return CX_EXIT_OK;
}

/* Renders @dot into @image (a file or "-") and writes the DOT text to
 * @dot_path (NULL = none); each goes to a temporary file first, and both are
 * put in place only when both succeeded. */
static gboolean
write_map(const char *dot_path, const char *image, const char *format, guint timeout_s,
          GString *dot, GError **error)
{
  g_autoptr(CxOutputFile) df = NULL;
  if (dot_path != NULL) {
    df = cx_output_file_new(dot_path, error);
    if (df == NULL || !cx_output_file_write(df, dot->str, dot->len, error))
      return FALSE;
  }
  g_autoptr(CxOutputFile) img = cx_output_file_new(image, error);
  if (img == NULL)
    return FALSE;
  CxProgressStep step;
  cx_progress_step_begin(&step, cx_cli_progress_func(), NULL, "drawing the map with dot", 0);
  gboolean drawn = cx_dot_render_file(dot->str, dot->len, format, timeout_s,
                                      cx_output_file_tmp_path(img), error);
  cx_progress_step_end(&step);
  if (!drawn)
    return FALSE;
  if ((df != NULL && !cx_output_file_sync(df, error)) || !cx_output_file_sync(img, error))
    return FALSE;
  return (df == NULL || cx_output_file_commit(df, error)) && cx_output_file_commit(img, error);
}

int
cx_cli_emit_map(CxCli *cli, const char *path, GString *dot, const char *render_fmt, guint timeout_s)
{
  MapPlan p;
  g_autoptr(GError) error = NULL;
  gboolean ok = map_plan(&p, path, render_fmt, &error);
  if (ok && p.dot != NULL)
    ok = not_an_input(cli, p.dot, &error);
  if (ok && p.image != NULL)
    ok = not_an_input(cli, p.image, &error);
  if (ok && p.image == NULL)
    ok = cx_output_write(p.dot, dot->str, dot->len, &error);
  else if (ok)
    ok = write_map(p.dot, p.image, p.format, timeout_s, dot, &error);
  map_plan_clear(&p);
  if (!ok) {
    cx_cli_error(error);
    if (g_error_matches(error, CX_DOT_ERROR, CX_DOT_ERROR_TIMEOUT))
      fprintf(stderr, "cxmine: --render-timeout SECONDS raises the limit (0: none); a map "
                      "with fewer activities or paths renders faster\n");
    return CX_EXIT_FAIL;
  }
  return CX_EXIT_OK;
}
