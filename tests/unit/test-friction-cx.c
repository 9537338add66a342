/* Tests for what friction concludes: two currencies and the ranking, one
 * finding per phenomenon (cycles, folding), patterns that go with success,
 * channels, waits that are not friction, the funnel, drift and
 * satisfaction, on small hand-made journeys. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "cxmine/friction.h"
#include "journeys.h"

#define H 3600.0

/* With FRICTION_DEBUG set, prints the report (to read a failing case). */
static void
dump(CxFriction *f)
{
  if (g_getenv("FRICTION_DEBUG") == NULL)
    return;
  g_autoptr(GString) out = g_string_new(NULL);
  cx_friction_to_text(f, out, 0, 0);
  g_printerr("%s\n", out->str);
}

static CxFriction *
run(CxLog *log, const char *text, const CxFrictionOptions *opts)
{
  CxFriction *f = cx_friction_new(log, opts);
  journeys_feed(log, text, cx_friction_add, f);
  ck_assert(cx_friction_finish(f, NULL));
  dump(f);
  return f;
}

static void
small_opts(CxFrictionOptions *o)
{
  cx_friction_options_init(o);
  o->min_cases = 2;
  o->min_share = 0;
  o->inconsistency_min_samples = 1000; /* keep these tests about other kinds */
}

static gboolean
names_are(const CxFinding *fd, const char *const *names)
{
  guint k = 0;
  for (; names[k] != NULL; k++)
    if (k >= fd->n_names || g_strcmp0(fd->names[k], names[k]) != 0)
      return FALSE;
  return k == fd->n_names;
}

/* The place (from 0) of a listed finding, or -1. */
static int
rank_of(CxFriction *f, CxFindingKind kind, const char *const *names)
{
  guint n;
  const CxFinding *fs = cx_friction_findings(f, &n);
  for (guint i = 0; i < n; i++)
    if (fs[i].kind == kind && names_are(&fs[i], names))
      return (int)i;
  return -1;
}

static const CxFinding *
listed(CxFriction *f, CxFindingKind kind, const char *const *names)
{
  int r = rank_of(f, kind, names);
  guint n;
  const CxFinding *fs = cx_friction_findings(f, &n);
  return r < 0 ? NULL : &fs[r];
}

static const CxFinding *
with_success(CxFriction *f, CxFindingKind kind, const char *const *names)
{
  guint n;
  const CxFinding *fs = cx_friction_with_success(f, &n);
  for (guint i = 0; i < n; i++)
    if (fs[i].kind == kind && names_are(&fs[i], names))
      return &fs[i];
  return NULL;
}

#define NAMES(...) ((const char *const[]){ __VA_ARGS__, NULL })

/* @n cases "Start Work Done" one hour apart, starting @t0 h, prefix @p. */
static void
clean(GString *s, const char *p, guint n, double t0)
{
  for (guint i = 0; i < n; i++)
    g_string_append_printf(s, "%s%u Start %g\n%s%u Work %g\n%s%u Done %g\n", p, i, t0, p, i, t0 + 1,
                           p, i, t0 + 2);
}

/* Early abandonment (short journeys) ranks by the customers it loses, above
 * a long rework that loses nobody; --rank time turns that round. */
START_TEST(test_customers_first)
{
  g_autoptr(CxLog) log = cx_log_new();
  g_autoptr(GString) s = g_string_new(NULL);
  clean(s, "c", 20, 0);
  for (guint i = 0; i < 6; i++) /* leave ten minutes after starting */
    g_string_append_printf(s, "a%u Start 0\na%u Apply 0.17\n", i, i);
  for (guint i = 0; i < 4; i++) /* rework, and succeed all the same, slowly */
    g_string_append_printf(s, "r%u Start 0\nr%u Work 1\nr%u Work 30\nr%u Done 31\n", i, i, i, i);
  CxFrictionOptions o;
  small_opts(&o);
  g_autoptr(CxFriction) f = run(log, s->str, &o);
  const CxFinding *d = listed(f, CX_FINDING_DROPOFF, NAMES("Apply"));
  ck_assert_ptr_nonnull(d);
  ck_assert_uint_eq(d->customers_lost, 6);
  ck_assert_double_eq_tol(d->customers_lost_share, 6.0 / 30, 1e-12);
  ck_assert_double_eq_tol(d->extra_time_s, 0, 1e-9);
  const CxFinding *r = listed(f, CX_FINDING_REWORK, NAMES("Work"));
  ck_assert_ptr_nonnull(r);
  ck_assert_uint_eq(r->customers_lost, 0);
  ck_assert_double_eq_tol(r->extra_time_s, 4 * 29 * H, 1e-6);
  ck_assert_double_eq_tol(r->extra_time_share, 4 * 29 * H / cx_friction_total_time(f), 1e-12);
  ck_assert_int_eq(rank_of(f, CX_FINDING_DROPOFF, NAMES("Apply")), 0);
  ck_assert_int_eq(rank_of(f, CX_FINDING_REWORK, NAMES("Work")), 1);
  ck_assert_double_eq_tol(d->score, 6, 1e-12);

  g_autoptr(CxLog) log2 = cx_log_new();
  o.rank = CX_FRICTION_RANK_TIME;
  g_autoptr(CxFriction) f2 = run(log2, s->str, &o);
  ck_assert_int_eq(rank_of(f2, CX_FINDING_REWORK, NAMES("Work")), 0);
  ck_assert_int_eq(rank_of(f2, CX_FINDING_DROPOFF, NAMES("Apply")), 1);
  ck_assert_double_eq_tol(listed(f2, CX_FINDING_REWORK, NAMES("Work"))->score, 4 * 29 * H, 1e-6);
}
END_TEST

/* The currencies as functions: never negative, NaN costs nothing. */
START_TEST(test_currencies)
{
  ck_assert_uint_eq(cx_friction_customers_lost(100, 0.5, 0.8), 30);
  ck_assert_uint_eq(cx_friction_customers_lost(100, 0.9, 0.8), 0);
  ck_assert_uint_eq(cx_friction_customers_lost(100, NAN, 0.8), 0);
  ck_assert_double_eq_tol(cx_friction_extra_time(10, 5 * H, 2 * H), 30 * H, 1e-9);
  ck_assert_double_eq_tol(cx_friction_extra_time(10, 1 * H, 2 * H), 0, 1e-9);
  ck_assert_double_eq_tol(cx_friction_extra_time(10, NAN, 2 * H), 0, 1e-9);
}
END_TEST

/* A findings with no cost is not listed. */
START_TEST(test_costless_not_listed)
{
  g_autoptr(CxLog) log = cx_log_new();
  g_autoptr(GString) s = g_string_new(NULL);
  clean(s, "c", 10, 0);
  for (guint i = 0; i < 4; i++) /* a quick repeat that changes nothing */
    g_string_append_printf(s, "r%u Start 0\nr%u Work 0.5\nr%u Work 1\nr%u Done 2\n", i, i, i, i);
  CxFrictionOptions o;
  small_opts(&o);
  g_autoptr(CxFriction) f = run(log, s->str, &o);
  guint n;
  cx_friction_findings(f, &n);
  ck_assert_uint_eq(n, 0);
}
END_TEST

/* A three-step loop with a detour is one loop, in cycle order from its
 * entry step; the repeats it explains are no rework. */
START_TEST(test_loop_with_detour)
{
  g_autoptr(CxLog) log = cx_log_new();
  g_autoptr(GString) s = g_string_new(NULL);
  clean(s, "c", 12, 0);
  for (guint i = 0; i < 6; i++) {
    /* Check -> Ask -> Upload -> Check, once with a 'Remind' detour */
    g_string_append_printf(s, "l%u Start 0\nl%u Check 1\nl%u Ask 2\nl%u Upload 30\n", i, i, i, i);
    if (i % 2 == 0)
      g_string_append_printf(s, "l%u Remind 31\n", i);
    g_string_append_printf(s, "l%u Check 32\nl%u Ask 33\nl%u Upload 60\nl%u Check 61\n", i, i, i,
                           i);
    g_string_append_printf(s, "l%u Done 62\n", i);
  }
  CxFrictionOptions o;
  small_opts(&o);
  g_autoptr(CxFriction) f = run(log, s->str, &o);
  const CxFinding *l = listed(f, CX_FINDING_LOOP, NAMES("Check", "Ask", "Upload"));
  ck_assert_ptr_nonnull(l);
  ck_assert_uint_eq(l->cases, 6);
  ck_assert_double_eq_tol(l->extra_time_s, 6 * 60 * H, 1e-6);
  guint n;
  const CxFinding *fs = cx_friction_findings(f, &n);
  for (guint i = 0; i < n; i++)
    ck_assert_int_ne(fs[i].kind, CX_FINDING_REWORK);
  ck_assert_uint_eq(n, 1);
}
END_TEST

/* The same steps in another order (a test panel) are one loop. */
START_TEST(test_loop_any_order)
{
  g_autoptr(CxLog) log = cx_log_new();
  g_autoptr(GString) s = g_string_new(NULL);
  clean(s, "c", 12, 0);
  for (guint i = 0; i < 8; i++)
    g_string_append_printf(s, "l%u Start 0\nl%u X 1\nl%u %s 2\nl%u %s 3\nl%u X 40\nl%u Done 41\n",
                           i, i, i, i % 2 ? "Y" : "Z", i, i % 2 ? "Z" : "Y", i, i);
  CxFrictionOptions o;
  small_opts(&o);
  g_autoptr(CxFriction) f = run(log, s->str, &o);
  guint n, loops = 0;
  const CxFinding *fs = cx_friction_findings(f, &n);
  for (guint i = 0; i < n; i++)
    if (fs[i].kind == CX_FINDING_LOOP) {
      loops++;
      ck_assert_uint_eq(fs[i].cases, 8);
      ck_assert_str_eq(fs[i].names[0], "X");
    }
  ck_assert_uint_eq(loops, 1);
}
END_TEST

/* A -> B -> A is a ping-pong named from the step its cases reach first. */
START_TEST(test_pingpong_entry)
{
  g_autoptr(CxLog) log = cx_log_new();
  g_autoptr(GString) s = g_string_new(NULL);
  clean(s, "c", 12, 0);
  for (guint i = 0; i < 5; i++)
    g_string_append_printf(s, "p%u Start 0\np%u Work 1\np%u Review 2\np%u Work 20\np%u Done 21\n",
                           i, i, i, i, i);
  CxFrictionOptions o;
  small_opts(&o);
  g_autoptr(CxFriction) f = run(log, s->str, &o);
  ck_assert_ptr_nonnull(listed(f, CX_FINDING_PINGPONG, NAMES("Work", "Review")));
  ck_assert_int_eq(rank_of(f, CX_FINDING_PINGPONG, NAMES("Review", "Work")), -1);
  ck_assert_int_eq(rank_of(f, CX_FINDING_REWORK, NAMES("Work")), -1);
}
END_TEST

/* Findings with (almost) the same cases fold into the higher-ranked one. */
START_TEST(test_folding)
{
  g_autoptr(CxLog) log = cx_log_new();
  g_autoptr(GString) s = g_string_new(NULL);
  clean(s, "c", 20, 0);
  for (guint i = 0; i < 10; i++)
    g_string_append_printf(s, "x%u Start 0\nx%u Work 1\nx%u Complaint 40\n", i, i, i);
  CxFrictionOptions o;
  small_opts(&o);
  o.open_after_us = 0;
  g_autoptr(CxFriction) f = run(log, s->str, &o);
  guint n;
  const CxFinding *fs = cx_friction_findings(f, &n);
  ck_assert_uint_eq(n, 1);
  ck_assert_int_eq(fs[0].kind, CX_FINDING_DROPOFF);
  /* the negative event and the wait into it are the same phenomenon */
  ck_assert_uint_eq(fs[0].n_also, 2);
  gboolean neg = FALSE;
  for (guint k = 0; k < fs[0].n_also; k++)
    neg |= fs[0].also[k].kind == CX_FINDING_NEGATIVE
           && g_strcmp0(fs[0].also[k].names[0], "Complaint") == 0;
  ck_assert(neg);
  /* 10 of 11 cases alike (Jaccard 0.91) still fold; 10 of 12 (0.83) do not */
  g_string_append(s, "y0 Start 0\ny0 Complaint 1\ny0 Done 50\n");
  g_autoptr(CxLog) log2 = cx_log_new();
  g_autoptr(CxFriction) f2 = run(log2, s->str, &o);
  fs = cx_friction_findings(f2, &n);
  ck_assert_uint_eq(n, 1); /* the negative (longer) now leads; the drop-off folds into it */
  ck_assert_int_eq(fs[0].kind, CX_FINDING_NEGATIVE);
  g_string_append(s, "y1 Start 0\ny1 Complaint 1\ny1 Done 50\n");
  g_autoptr(CxLog) log3 = cx_log_new();
  g_autoptr(CxFriction) f3 = run(log3, s->str, &o);
  ck_assert_int_ge(rank_of(f3, CX_FINDING_NEGATIVE, NAMES("Complaint")), 0);
  ck_assert_int_ge(rank_of(f3, CX_FINDING_DROPOFF, NAMES("Complaint")), 0);
}
END_TEST

/* A repeat whose cases end successfully far more often (among those who
 * reached its step) goes with success; one within the margin does not. */
START_TEST(test_success_margin)
{
  g_autoptr(CxLog) log = cx_log_new();
  g_autoptr(GString) s = g_string_new(NULL);
  for (guint i = 0; i < 30; i++) { /* reach Call, half give up right after */
    g_string_append_printf(s, "c%u Start 0\nc%u Call 1\n", i, i);
    if (i % 2 == 1)
      g_string_append_printf(s, "c%u Done 2\n", i);
  }
  for (guint i = 0; i < 20; i++) /* follow-up calls, and success */
    g_string_append_printf(s, "f%u Start 0\nf%u Call 1\nf%u Call 20\nf%u Done 21\n", i, i, i, i);
  CxFrictionOptions o;
  small_opts(&o);
  const char *succ[] = { "Done", NULL };
  o.success = succ;
  g_autoptr(CxFriction) f = run(log, s->str, &o);
  const CxFinding *w = with_success(f, CX_FINDING_REWORK, NAMES("Call"));
  ck_assert_ptr_nonnull(w);
  ck_assert_double_eq_tol(w->success_with, 1, 1e-12);
  ck_assert_double_eq_tol(w->success_without, 0.5, 1e-12);
  ck_assert_int_eq(rank_of(f, CX_FINDING_REWORK, NAMES("Call")), -1);
  /* a margin above the 50 points it shows: friction again (extra time) */
  g_autoptr(CxLog) log2 = cx_log_new();
  o.success_margin = 0.6;
  g_autoptr(CxFriction) f2 = run(log2, s->str, &o);
  ck_assert_ptr_nonnull(listed(f2, CX_FINDING_REWORK, NAMES("Call")));
}
END_TEST

/* The same step again on another channel within the window is a repeat
 * contact (not rework); later, it is not.  Switches name their channels. */
START_TEST(test_repeat_contact)
{
  g_autoptr(CxLog) log = cx_log_new();
  g_autoptr(GString) s = g_string_new(NULL);
  for (guint i = 0; i < 12; i++)
    g_string_append_printf(s, "c%u Ask 0 - web\nc%u Answer 1 - web\n", i, i);
  for (guint i = 0; i < 5; i++) /* asked on the web, again by phone two days later */
    g_string_append_printf(s, "r%u Ask 0 - web\nr%u Ask 48 - phone\nr%u Answer 49 - phone\n", i, i,
                           i);
  CxFrictionOptions o;
  small_opts(&o);
  g_autoptr(CxFriction) f = run(log, s->str, &o);
  const CxFinding *r = listed(f, CX_FINDING_REPEAT_CONTACT, NAMES("Ask"));
  ck_assert_ptr_nonnull(r);
  ck_assert_uint_eq(r->cases, 5);
  ck_assert_uint_eq(r->occurrences, 5);
  ck_assert_int_eq(rank_of(f, CX_FINDING_REWORK, NAMES("Ask")), -1);
  g_autoptr(CxLog) log2 = cx_log_new();
  o.repeat_window_us = (gint64)(24 * H) * CX_USEC_PER_SEC;
  g_autoptr(CxFriction) f2 = run(log2, s->str, &o);
  ck_assert_int_eq(rank_of(f2, CX_FINDING_REPEAT_CONTACT, NAMES("Ask")), -1);
  ck_assert_int_ge(rank_of(f2, CX_FINDING_REWORK, NAMES("Ask")), 0);
  /* the switch web -> phone loses nobody: a hand-off, not listed */
  guint n;
  const CxFinding *fs = cx_friction_findings(f, &n);
  for (guint i = 0; i < n; i++)
    ck_assert_int_ne(fs[i].kind, CX_FINDING_CHANNEL_SWITCH);
}
END_TEST

/* A switch that goes with worse outcomes is friction, named by its channels. */
START_TEST(test_channel_switch_worse)
{
  g_autoptr(CxLog) log = cx_log_new();
  g_autoptr(GString) s = g_string_new(NULL);
  for (guint i = 0; i < 40; i++)
    g_string_append_printf(s, "c%u Ask 0 - web\nc%u Done 1 - web\n", i, i);
  for (guint i = 0; i < 10; i++)
    g_string_append_printf(s, "g%u Ask 0 - web\ng%u Give_up 1 - web\n", i, i);
  for (guint i = 0; i < 20; i++)
    g_string_append_printf(s, "s%u Ask 0 - web\ns%u Call 1 - phone\ns%u %s 2 - phone\n", i, i, i,
                           i < 14 ? "Give_up" : "Done");
  CxFrictionOptions o;
  small_opts(&o);
  o.open_after_us = 0;
  g_autoptr(CxFriction) f = run(log, s->str, &o);
  guint n;
  const CxFinding *fs = cx_friction_findings(f, &n), *sw = NULL;
  for (guint i = 0; i < n; i++)
    if (fs[i].kind == CX_FINDING_CHANNEL_SWITCH)
      sw = &fs[i];
  ck_assert_ptr_nonnull(sw);
  ck_assert_uint_eq(sw->n_names, 2);
  ck_assert_str_eq(sw->names[0], "web");
  ck_assert_str_eq(sw->names[1], "phone");
  ck_assert_uint_eq(sw->cases, 20);
  ck_assert_uint_eq(sw->customers_lost, 10); /* 20 x (80% - 30%) */
}
END_TEST

/* Helpdesk-like: the wait after success holds most of the waiting and is
 * listed apart, not as a bottleneck; so is the time before a return. */
START_TEST(test_waits_not_friction)
{
  g_autoptr(CxLog) log = cx_log_new();
  g_autoptr(GString) s = g_string_new(NULL);
  for (guint i = 0; i < 20; i++) {
    g_string_append_printf(s, "c%u Open 0\nc%u Work %g\nc%u Resolve_ticket %g\nc%u Closed %g\n", i,
                           i, 1.0 + (i % 3), i, 3.0 + (i % 4), i, 720.0 + i);
    if (i < 6)
      g_string_append_printf(s, "c%u Return 2000\nc%u Closed 2001\n", i, i);
  }
  CxFrictionOptions o;
  small_opts(&o);
  g_autoptr(CxFriction) f = run(log, s->str, &o);
  guint n;
  const CxFinding *fs = cx_friction_findings(f, &n);
  for (guint i = 0; i < n; i++)
    ck_assert_int_ne(fs[i].kind, CX_FINDING_BOTTLENECK);
  const CxFrictionWait *w = cx_friction_waits(f, &n);
  ck_assert_uint_ge(n, 2);
  gboolean after = FALSE, until = FALSE;
  for (guint i = 0; i < n; i++) {
    if (w[i].after_success && g_strcmp0(w[i].from, "Resolve ticket") == 0
        && g_strcmp0(w[i].to, "Closed") == 0) {
      after = TRUE;
      ck_assert_uint_eq(w[i].cases, 20);
      ck_assert(w[i].wait_share >= 0.25);
    }
    if (!w[i].after_success && g_strcmp0(w[i].to, "Return") == 0)
      until = TRUE;
  }
  ck_assert(after);
  ck_assert(until);
}
END_TEST

/* The bottleneck is measured against the other waits, and a wait holding
 * a quarter of all waiting is reported with its share. */
START_TEST(test_bottleneck_big_share)
{
  g_autoptr(CxLog) log = cx_log_new();
  g_autoptr(GString) s = g_string_new(NULL);
  /* B -> C waits 5 h (other steps 1 h): not 10x, but half of all waiting */
  for (guint i = 0; i < 20; i++)
    g_string_append_printf(s, "c%u A 0\nc%u B 1\nc%u C %g\nc%u D %g\nc%u E %g\n", i, i, i,
                           i < 10 ? 6.0 : 3.0, i, i < 10 ? 7.0 : 4.0, i, i < 10 ? 8.0 : 5.0);
  CxFrictionOptions o;
  small_opts(&o);
  g_autoptr(CxFriction) f = run(log, s->str, &o);
  const CxFinding *b = listed(f, CX_FINDING_BOTTLENECK, NAMES("B", "C"));
  ck_assert_ptr_nonnull(b);
  ck_assert_double_eq_tol(b->typical, 1 * H, 1e-6);
  ck_assert_double_eq_tol(b->wait_share, (10 * 5 + 10 * 2.0) / (10 * 5 + 10 * 2.0 + 60), 1e-9);
}
END_TEST

/* The funnel: journeys reaching each step and leaving right after it. */
START_TEST(test_funnel)
{
  g_autoptr(CxLog) log = cx_log_new();
  g_autoptr(GString) s = g_string_new(NULL);
  clean(s, "c", 10, 0);
  for (guint i = 0; i < 4; i++)
    g_string_append_printf(s, "d%u Start 0\nd%u Work 1\n", i, i);
  CxFrictionOptions o;
  small_opts(&o);
  g_autoptr(CxFriction) f = run(log, s->str, &o);
  guint n;
  const CxFunnelStep *fu = cx_friction_funnel(f, &n);
  ck_assert_uint_eq(n, 3);
  ck_assert_str_eq(fu[0].activity, "Start");
  ck_assert_uint_eq(fu[0].reached, 14);
  ck_assert_str_eq(fu[1].activity, "Work");
  ck_assert_uint_eq(fu[1].reached, 14);
  ck_assert_uint_eq(fu[1].left, 4);
  ck_assert_double_eq_tol(fu[1].left_share, 4.0 / 14, 1e-12);
  ck_assert_str_eq(fu[2].activity, "Done");
  ck_assert_uint_eq(fu[2].left, 0);
}
END_TEST

/* @n cases, one every 10 h; the wait Work -> Done grows with @slope (hours
 * per case) on top of @base. */
static void
timeline(GString *s, guint n, double base, double slope, guint seed)
{
  GRand *r = g_rand_new_with_seed(seed);
  for (guint i = 0; i < n; i++) {
    double t = i * 10.0, w = base + slope * i + g_rand_double_range(r, 0, 1);
    g_string_append_printf(s, "c%u Start %g\nc%u Work %g\nc%u Done %g\n", i, t, i, t + 1, i,
                           t + 1 + w);
  }
  g_rand_free(r);
}

START_TEST(test_drift)
{
  g_autoptr(CxLog) log = cx_log_new();
  g_autoptr(GString) s = g_string_new(NULL);
  timeline(s, 200, 1, 0.05, 1);
  CxFrictionOptions o;
  small_opts(&o);
  o.min_cases = 5;
  g_autoptr(CxFriction) f = run(log, s->str, &o);
  const CxFinding *d = listed(f, CX_FINDING_DRIFT, NAMES("Work", "Done"));
  ck_assert_ptr_nonnull(d);
  ck_assert_str_eq(d->measure, "wait");
  ck_assert(d->level_end > 1.25 * d->level_start);
  ck_assert(d->q < 0.05);
  ck_assert(d->extra_time_s > 0);
  ck_assert(d->load_start > 0 && d->load_end > 0);
}
END_TEST

/* A negative event that gets more frequent over the period is drift. */
START_TEST(test_drift_negative_share)
{
  g_autoptr(CxLog) log = cx_log_new();
  g_autoptr(GString) s = g_string_new(NULL);
  for (guint i = 0; i < 300; i++) {
    double t = i * 10.0;
    gboolean complaint = (i % 10) * 300 < i * 7; /* 0% early, about 70% late */
    g_string_append_printf(s, "c%u Start %g\nc%u Work %g\n", i, t, i, t + 1);
    if (complaint)
      g_string_append_printf(s, "c%u Complaint %g\n", i, t + 2);
    g_string_append_printf(s, "c%u Done %g\n", i, t + (complaint ? 30 : 3));
  }
  CxFrictionOptions o;
  small_opts(&o);
  o.min_cases = 5;
  g_autoptr(CxFriction) f = run(log, s->str, &o);
  const CxFinding *d = listed(f, CX_FINDING_DRIFT, NAMES("Complaint"));
  ck_assert_ptr_nonnull(d);
  ck_assert_str_eq(d->measure, "negative_share");
  ck_assert(d->level_end - d->level_start >= 0.05);
}
END_TEST

/* Stationary logs give no drift, over several seeds. */
START_TEST(test_no_drift_when_stationary)
{
  for (guint seed = 1; seed <= 6; seed++) {
    g_autoptr(CxLog) log = cx_log_new();
    g_autoptr(GString) s = g_string_new(NULL);
    timeline(s, 300, 2, 0, seed);
    CxFrictionOptions o;
    small_opts(&o);
    g_autoptr(CxFriction) f = run(log, s->str, &o);
    guint n;
    const CxFinding *fs = cx_friction_findings(f, &n);
    for (guint i = 0; i < n; i++)
      ck_assert_int_ne(fs[i].kind, CX_FINDING_DRIFT);
  }
}
END_TEST

/* Satisfaction: means over the scored cases with and without a finding, and
 * the ranking by satisfaction lost (either direction of the scale). */
static void
feed_scored(CxLog *log, CxFriction *f)
{
  guint32 key = cx_pool_intern(cx_log_keys(log), "csat", -1);
  guint32 act[3] = { cx_pool_intern(cx_log_activities(log), "Start", -1),
                     cx_pool_intern(cx_log_activities(log), "Work", -1),
                     cx_pool_intern(cx_log_activities(log), "Done", -1) };
  for (guint i = 0; i < 30; i++) {
    gboolean rework = i < 10;
    CxEvent ev[4] = { 0 };
    guint k = 0;
    gint64 t = JOURNEYS_T0;
    ev[k++] = (CxEvent){ t, CX_TS_NONE, act[0], 0, 0, 0 };
    ev[k++] = (CxEvent){ t + 3600 * CX_USEC_PER_SEC, CX_TS_NONE, act[1], 0, 0, 0 };
    if (rework)
      ev[k++] = (CxEvent){ t + 7200 * CX_USEC_PER_SEC, CX_TS_NONE, act[1], 0, 0, 0 };
    ev[k++]
        = (CxEvent){ t + (rework ? 5 : 3) * 3600 * CX_USEC_PER_SEC, CX_TS_NONE, act[2], 0, 0, 0 };
    g_autofree char *name = g_strdup_printf("c%u", i);
    g_autofree char *score = g_strdup_printf("%d", rework ? 2 : 4 + (int)(i % 2));
    CxAttr at = { key, cx_pool_intern(cx_log_values(log), score, -1) };
    CxJourney j = { 0 };
    j.case_id = cx_pool_intern(cx_log_cases(log), name, -1);
    j.n_events = j.n_instances = k;
    j.instances = ev;
    j.n_attrs = i == 29 ? 0 : 1; /* one case without a score */
    j.attrs = &at;
    ck_assert(cx_friction_add(&j, f, NULL));
  }
  ck_assert(cx_friction_finish(f, NULL));
}

START_TEST(test_satisfaction)
{
  g_autoptr(CxLog) log = cx_log_new();
  CxFrictionOptions o;
  small_opts(&o);
  o.satisfaction_key = "csat";
  o.rank = CX_FRICTION_RANK_SATISFACTION;
  g_autoptr(CxFriction) f = cx_friction_new(log, &o);
  /* the key is asked of the reader */
  ck_assert_str_eq(cx_log_options(log)->attr_keys[0], "csat");
  feed_scored(log, f);
  dump(f);
  ck_assert_uint_eq(cx_friction_n_scored(f), 29);
  const CxFinding *r = listed(f, CX_FINDING_REWORK, NAMES("Work"));
  ck_assert_ptr_nonnull(r);
  ck_assert_double_eq_tol(r->satisfaction_with, 2, 1e-12);
  /* without: c10..c28 scored, 4 or 5: ten 4s (even), nine 5s (odd) */
  ck_assert_double_eq_tol(r->satisfaction_without, (10 * 4 + 9 * 5) / 19.0, 1e-12);
  ck_assert_double_eq_tol(r->score, 10 * ((10 * 4 + 9 * 5) / 19.0 - 2), 1e-9);
  /* lower is better: the same cases gained satisfaction, no loss */
  g_autoptr(CxLog) log2 = cx_log_new();
  o.satisfaction_lower_is_better = TRUE;
  g_autoptr(CxFriction) f2 = cx_friction_new(log2, &o);
  feed_scored(log2, f2);
  r = listed(f2, CX_FINDING_REWORK, NAMES("Work"));
  ck_assert_ptr_nonnull(r); /* listed for its extra time */
  ck_assert_double_eq_tol(r->score, 0, 1e-12);
}
END_TEST

/* --case-ids: every case of a finding, by id. */
START_TEST(test_case_ids)
{
  g_autoptr(CxLog) log = cx_log_new();
  g_autoptr(GString) s = g_string_new(NULL);
  clean(s, "c", 10, 0);
  g_string_append(s, "dA Start 0\ndA Work 1\ndB Start 0\ndB Work 1\n");
  CxFrictionOptions o;
  small_opts(&o);
  g_autoptr(CxFriction) f = run(log, s->str, &o);
  const CxFinding *d = listed(f, CX_FINDING_DROPOFF, NAMES("Work"));
  ck_assert_ptr_nonnull(d);
  guint n;
  const guint32 *ids = cx_friction_finding_case_ids(f, d, &n);
  ck_assert_uint_eq(n, 2);
  ck_assert_str_eq(cx_pool_get(cx_log_cases(log), ids[0]), "dA");
  ck_assert_str_eq(cx_pool_get(cx_log_cases(log), ids[1]), "dB");
}
END_TEST

/* "Taken into work" is not success (BPIC 2013 incidents end 'Accepted'
 * while work goes on): those journeys drop off, 'Completed' ones succeed. */
START_TEST(test_accepted_is_not_success)
{
  g_autoptr(CxLog) log = cx_log_new();
  g_autoptr(GString) s = g_string_new(NULL);
  for (guint i = 0; i < 12; i++)
    g_string_append_printf(s, "c%u Accepted 0\nc%u Completed 1\n", i, i);
  for (guint i = 0; i < 8; i++)
    g_string_append_printf(s, "a%u Queued 0\na%u Accepted 1\n", i, i);
  CxFrictionOptions o;
  small_opts(&o);
  o.open_after_us = 0;
  g_autoptr(CxFriction) f = run(log, s->str, &o);
  guint64 succ, drop, open;
  cx_friction_outcomes(f, &succ, &drop, &open);
  ck_assert_uint_eq(succ, 12);
  ck_assert_uint_eq(drop, 8);
  ck_assert_ptr_nonnull(listed(f, CX_FINDING_DROPOFF, NAMES("Accepted")));
}
END_TEST

/* Text a manager can read: grammar of counts, one unit per sentence,
 * <0.1% for tiny shares, thousands separators. */
START_TEST(test_text_polish)
{
  CxFinding fd = { 0 };
  fd.kind = CX_FINDING_REWORK;
  fd.names[0] = "Check";
  fd.n_names = 1;
  fd.cases = 1;
  fd.share = 1.0 / 4580;
  fd.occurrences = 1;
  fd.median_with_s = 40 * 86400.0;
  fd.median_without_s = 39 * 86400.0;
  fd.success_with = 0.5;
  fd.success_without = 0.51;
  fd.satisfaction_with = fd.satisfaction_without = NAN;
  g_autofree char *t = cx_finding_describe(&fd, 4580);
  ck_assert_str_eq(t, "Rework: 'Check' is repeated in 1 case (<0.1%), 1 extra time. Those cases "
                      "take 1 d longer (median 40 d vs 39 d) and end successfully 1 point less "
                      "often than others who reached that step (50% vs 51%).");
  fd.cases = 12345;
  fd.occurrences = 23456;
  fd.share = 0.5;
  g_autofree char *t2 = cx_finding_describe(&fd, 24690);
  ck_assert_ptr_nonnull(strstr(t2, "in 12,345 cases (50%), 23,456 extra times."));
  fd.customers_lost = 1234;
  fd.customers_lost_share = 0.05;
  fd.extra_time_s = 400 * 365.25 * 86400;
  fd.extra_time_share = 0.2;
  g_autofree char *c = cx_finding_cost(&fd);
  ck_assert_str_eq(c, "1,234 customers lost (5%), +400 years customer time (20%)");
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("friction-cx");
  TCase *tc = tcase_create("cx");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, test_customers_first);
  tcase_add_test(tc, test_currencies);
  tcase_add_test(tc, test_costless_not_listed);
  tcase_add_test(tc, test_loop_with_detour);
  tcase_add_test(tc, test_loop_any_order);
  tcase_add_test(tc, test_pingpong_entry);
  tcase_add_test(tc, test_folding);
  tcase_add_test(tc, test_success_margin);
  tcase_add_test(tc, test_repeat_contact);
  tcase_add_test(tc, test_channel_switch_worse);
  tcase_add_test(tc, test_waits_not_friction);
  tcase_add_test(tc, test_bottleneck_big_share);
  tcase_add_test(tc, test_funnel);
  tcase_add_test(tc, test_drift);
  tcase_add_test(tc, test_no_drift_when_stationary);
  tcase_add_test(tc, test_drift_negative_share);
  tcase_add_test(tc, test_satisfaction);
  tcase_add_test(tc, test_case_ids);
  tcase_add_test(tc, test_accepted_is_not_success);
  tcase_add_test(tc, test_text_polish);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_ENV);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
