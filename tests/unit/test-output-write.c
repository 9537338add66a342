/* The rest of output.h that test-output.c leaves out: cx_output_write()
 * (atomic for regular files, straight through for pipes and devices, an
 * error naming the path otherwise), cx_output_write_fd(), and the number
 * formats cx_format_number() and cx_format_count(), locale-proof. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib.h>
#include <glib/gstdio.h>
#include "cxmine/output.h"
#include "test-util.h"

static char *dir;

static void
setup(void)
{
  dir = test_tmpdir_new("cxmine-output-write-XXXXXX");
}

static void
teardown(void)
{
  test_tmpdir_remove(dir);
  g_clear_pointer(&dir, g_free);
}

static guint
n_files(void)
{
  guint n = 0;
  GDir *d = g_dir_open(dir, 0, NULL);
  while (g_dir_read_name(d) != NULL)
    n++;
  g_dir_close(d);
  return n;
}

START_TEST(test_write_new_and_replace)
{
  g_autofree char *path = g_build_filename(dir, "out.txt", NULL);
  g_autoptr(GError) error = NULL;
  ck_assert(cx_output_write(path, "first\n", 6, &error));
  g_autofree char *a = NULL;
  ck_assert(g_file_get_contents(path, &a, NULL, NULL));
  ck_assert_str_eq(a, "first\n");
  /* replaced whole, shorter, with no temporary file left */
  ck_assert(cx_output_write(path, "2\n", 2, &error));
  g_autofree char *b = NULL;
  ck_assert(g_file_get_contents(path, &b, NULL, NULL));
  ck_assert_str_eq(b, "2\n");
  ck_assert_uint_eq(n_files(), 1);
  /* bytes as given, NULs included; and nothing at all */
  ck_assert(cx_output_write(path, "a\0b", 3, &error));
  gsize len = 0;
  g_autofree char *c = NULL;
  ck_assert(g_file_get_contents(path, &c, &len, NULL));
  ck_assert_uint_eq(len, 3);
  ck_assert_int_eq(memcmp(c, "a\0b", 3), 0);
  ck_assert(cx_output_write(path, "", 0, &error));
  struct stat st;
  ck_assert_int_eq(g_stat(path, &st), 0);
  ck_assert_int_eq(st.st_size, 0);
}
END_TEST

START_TEST(test_write_errors)
{
  g_autofree char *missing = g_build_filename(dir, "no-such-folder", "out.txt", NULL);
  g_autoptr(GError) error = NULL;
  ck_assert(!cx_output_write(missing, "x", 1, &error));
  ck_assert_ptr_nonnull(error);
  ck_assert(error->domain == CX_OUTPUT_ERROR);
  ck_assert_msg(strstr(error->message, "out.txt") != NULL, "%s", error->message);
  /* a directory is no output */
  g_autoptr(GError) e2 = NULL;
  ck_assert(!cx_output_write(dir, "x", 1, &e2));
  ck_assert_ptr_nonnull(e2);
  ck_assert_uint_eq(n_files(), 0);
}
END_TEST

START_TEST(test_write_through_a_pipe)
{
  g_autofree char *fifo = g_build_filename(dir, "pipe", NULL);
  ck_assert_int_eq(mkfifo(fifo, 0600), 0);
  int rd = open(fifo, O_RDONLY | O_NONBLOCK);
  ck_assert_int_ge(rd, 0);
  g_autoptr(GError) error = NULL;
  ck_assert_msg(cx_output_write(fifo, "through\n", 8, &error), "%s", error ? error->message : "");
  char buf[16] = { 0 };
  ck_assert_int_eq(read(rd, buf, sizeof buf - 1), 8);
  ck_assert_str_eq(buf, "through\n");
  close(rd);
  struct stat st;
  ck_assert_int_eq(g_stat(fifo, &st), 0);
  ck_assert(S_ISFIFO(st.st_mode)); /* not renamed over */
  /* /dev/null stays a device */
  ck_assert(cx_output_write("/dev/null", "x", 1, &error));
  ck_assert_int_eq(g_stat("/dev/null", &st), 0);
  ck_assert(S_ISCHR(st.st_mode));
}
END_TEST

START_TEST(test_write_fd)
{
  int p[2];
  ck_assert_int_eq(pipe(p), 0);
  /* more than one write's worth is not needed: the pipe holds 64 KiB */
  char big[40000];
  for (gsize i = 0; i < sizeof big; i++)
    big[i] = (char)('a' + i % 26);
  ck_assert(cx_output_write_fd(p[1], big, sizeof big));
  close(p[1]);
  GString *got = g_string_new(NULL);
  char buf[4096];
  ssize_t n;
  while ((n = read(p[0], buf, sizeof buf)) > 0)
    g_string_append_len(got, buf, n);
  close(p[0]);
  ck_assert_uint_eq(got->len, sizeof big);
  ck_assert_int_eq(memcmp(got->str, big, sizeof big), 0);
  g_string_free(got, TRUE);
  /* a closed descriptor: FALSE with errno */
  errno = 0;
  ck_assert(!cx_output_write_fd(p[1], "x", 1));
  ck_assert_int_eq(errno, EBADF);
  /* nothing to write always succeeds */
  ck_assert(cx_output_write_fd(p[1], "", 0));
}
END_TEST

static void
check_numbers(void)
{
  const struct {
    double v;
    int decimals;
    const char *text;
  } cases[] = {
    { 1.5, 1, "1.5" },   { 1.25, 1, "1.2" },          { 2.0, 3, "2" },
    { 0.5, 0, "0" },     { 1234.5678, 2, "1234.57" }, { 0.10, 2, "0.1" },
    { -0.001, 2, "0" },                              /* never "-0" */
    { -2.5, 1, "-2.5" }, { 3.14159, 20, "3.14159" }, /* 20 decimals: at most 9 */
    { 7, -3, "7" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    g_autofree char *s = cx_format_number(cases[i].v, cases[i].decimals);
    ck_assert_msg(strcmp(s, cases[i].text) == 0, "%g with %d: got %s, want %s", cases[i].v,
                  cases[i].decimals, s, cases[i].text);
  }
  const struct {
    guint64 n;
    const char *text;
  } counts[] = {
    { 0, "0" },          { 999, "999" },           { 1000, "1,000" },
    { 10032, "10,032" }, { 1234567, "1,234,567" }, { G_MAXUINT64, "18,446,744,073,709,551,615" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS(counts); i++) {
    g_autofree char *s = cx_format_count(counts[i].n);
    ck_assert_str_eq(s, counts[i].text);
  }
}

START_TEST(test_format_number_and_count)
{
  check_numbers();
}
END_TEST

START_TEST(test_formats_in_a_decimal_comma_locale)
{
  if (setlocale(LC_ALL, "de_DE.UTF-8") == NULL)
    return; /* not installed: the C run still checks the formats */
  check_numbers();
  setlocale(LC_ALL, "C");
}
END_TEST

int
main(void)
{
  setlocale(LC_ALL, "C");
  Suite *s = suite_create("output-write");
  TCase *tc = tcase_create("output");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, test_write_new_and_replace);
  tcase_add_test(tc, test_write_errors);
  tcase_add_test(tc, test_write_through_a_pipe);
  tcase_add_test(tc, test_write_fd);
  tcase_add_test(tc, test_format_number_and_count);
  tcase_add_test(tc, test_formats_in_a_decimal_comma_locale);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_ENV);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
