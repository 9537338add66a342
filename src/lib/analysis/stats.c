/* Summary statistics, accumulated journey by journey. */
#include "partial-private.h"
#include "transitions-private.h"
#include "cxmine/stats.h"
#include "cxmine/output.h"
#include "cxmine/summary.h"
#include "cxmine/variants.h"
#include <math.h>
#include <string.h>

struct _CxStats {
  CxLog *log;
  CxVariants *variants;
  guint64 cases, events, instances;
  gint64 first, last;
  CxQuantiles *events_per_case; /* instances per case */
  CxQuantiles *durations;       /* seconds */
  CxTransitions *acts;          /* activity counts only: no pairs, no samples */
  GArray *res_seen;             /* guint8 per resource id */
  GArray *chan_count;           /* guint64 activity instances per channel id */
};

CxStats *
cx_stats_new(CxLog *log)
{
  CxStats *s = g_new0(CxStats, 1);
  s->log = log;
  s->variants = cx_variants_new(log);
  s->events_per_case = cx_quantiles_new();
  s->durations = cx_quantiles_new();
  s->acts = cx_transitions_new(log, 0);
  s->res_seen = g_array_new(FALSE, TRUE, sizeof(guint8));
  s->chan_count = g_array_new(FALSE, TRUE, sizeof(guint64));
  s->first = s->last = CX_TS_NONE;
  return s;
}

void
cx_stats_free(CxStats *s)
{
  if (s == NULL)
    return;
  cx_variants_free(s->variants);
  cx_transitions_free(s->acts);
  cx_quantiles_free(s->events_per_case);
  cx_quantiles_free(s->durations);
  GArray *a[] = { s->res_seen, s->chan_count };
  for (gsize i = 0; i < G_N_ELEMENTS(a); i++)
    g_array_free(a[i], TRUE);
  g_free(s);
}

void
cx_stats_reset(gpointer data)
{
  CxStats *s = data;
  cx_variants_reset(s->variants);
  cx_transitions_reset(s->acts);
  s->cases = s->events = s->instances = 0;
  s->first = s->last = CX_TS_NONE;
  cx_quantiles_free(s->events_per_case);
  cx_quantiles_free(s->durations);
  s->events_per_case = cx_quantiles_new();
  s->durations = cx_quantiles_new();
  GArray *a[] = { s->res_seen, s->chan_count };
  for (gsize i = 0; i < G_N_ELEMENTS(a); i++)
    g_array_set_size(a[i], 0);
}

static void
grow(GArray *a, guint n)
{
  if (a->len < n)
    g_array_set_size(a, MAX(n, a->len * 2));
}

gboolean
cx_stats_add(const CxJourney *j, gpointer data, GError **error)
{
  CxStats *s = data;
  cx_variants_add(j, s->variants, error);
  s->cases++;
  s->events += j->n_events;
  s->instances += j->n_instances;
  cx_quantiles_add(s->events_per_case, j->n_instances);
  gint64 d = cx_journey_elapsed(j, cx_log_options(s->log)->calendar);
  if (d >= 0)
    cx_quantiles_add(s->durations, (double)d / 1e6);
  gint64 f = cx_journey_first_time(j), l = cx_journey_last_time(j);
  if (f != CX_TS_NONE && (s->first == CX_TS_NONE || f < s->first))
    s->first = f;
  if (l != CX_TS_NONE && (s->last == CX_TS_NONE || l > s->last))
    s->last = l;
  cx_transitions_add(s->acts, j, j->case_id);
  grow(s->res_seen, cx_pool_size(cx_log_resources(s->log)));
  grow(s->chan_count, cx_pool_size(cx_log_channels(s->log)));
  for (guint i = 0; i < j->n_instances; i++) {
    g_array_index(s->res_seen, guint8, j->instances[i].resource) = 1;
    g_array_index(s->chan_count, guint64, j->instances[i].channel)++;
  }
  return TRUE;
}

gpointer
cx_stats_fork(gpointer s)
{
  return cx_stats_new(((CxStats *)s)->log);
}

void
cx_stats_absorb(gpointer stats, gpointer part)
{
  CxStats *s = stats, *p = part;
  cx_variants_merge(s->variants, p->variants);
  s->cases += p->cases;
  s->events += p->events;
  s->instances += p->instances;
  cx_quantiles_merge(s->events_per_case, p->events_per_case);
  cx_quantiles_merge(s->durations, p->durations);
  if (p->first != CX_TS_NONE && (s->first == CX_TS_NONE || p->first < s->first))
    s->first = p->first;
  if (p->last != CX_TS_NONE && (s->last == CX_TS_NONE || p->last > s->last))
    s->last = p->last;
  cx_transitions_merge(s->acts, p->acts);
  grow(s->res_seen, p->res_seen->len);
  for (guint i = 0; i < p->res_seen->len; i++)
    g_array_index(s->res_seen, guint8, i) |= g_array_index(p->res_seen, guint8, i);
  grow(s->chan_count, p->chan_count->len);
  for (guint i = 0; i < p->chan_count->len; i++)
    g_array_index(s->chan_count, guint64, i) += g_array_index(p->chan_count, guint64, i);
  cx_stats_free(p);
}

typedef struct {
  guint32 id;
  guint64 count;
} Ranked;

/* Ties are broken by name, not by id: ids follow the order of the rows in
 * the file, and a time-ordered and a case-ordered export of one log must
 * give the same output. */
static int
cmp_ranked(gconstpointer a, gconstpointer b, gpointer pool)
{
  const Ranked *x = a, *y = b;
  if (x->count != y->count)
    return x->count > y->count ? -1 : 1;
  return strcmp(cx_pool_get(pool, x->id), cx_pool_get(pool, y->id));
}

/* Returns the non-zero entries of @counts, most first (ties by the names in @pool). */
static GArray *
ranked(GArray *counts, CxPool *pool)
{
  GArray *r = g_array_new(FALSE, FALSE, sizeof(Ranked));
  for (guint i = 0; i < counts->len; i++) {
    guint64 c = g_array_index(counts, guint64, i);
    if (c > 0) {
      Ranked x = { i, c };
      g_array_append_val(r, x);
    }
  }
  g_array_sort_with_data(r, cmp_ranked, pool);
  return r;
}

/* Which count of an activity to rank by. */
typedef enum { BY_INSTANCES, BY_STARTS, BY_ENDS } ActCount;

/* Returns the activities with a non-zero count @by, most first (ties by name). */
static GArray *
ranked_acts(CxStats *s, ActCount by)
{
  guint na = cx_transitions_n_acts(s->acts);
  g_autoptr(GArray) counts = g_array_sized_new(FALSE, FALSE, sizeof(guint64), na);
  for (guint i = 0; i < na; i++) {
    const CxTransitionsAct *a = cx_transitions_act(s->acts, i);
    guint64 c = by == BY_INSTANCES ? a->count : by == BY_STARTS ? a->starts : a->ends;
    g_array_append_val(counts, c);
  }
  return ranked(counts, cx_log_activities(s->log));
}

/* The journeys that contain activity @a. */
static guint64
act_cases(CxStats *s, guint32 a)
{
  const CxTransitionsAct *x = cx_transitions_act(s->acts, a);
  return x != NULL ? x->cases : 0;
}

static guint
count_nonzero8(GArray *a, guint from)
{
  guint n = 0;
  for (guint i = from; i < a->len; i++)
    n += g_array_index(a, guint8, i) != 0;
  return n;
}

/* Returns the channels that occur, most events first (CX_ID_NONE left out). */
static GArray *
ranked_channels(CxStats *s)
{
  GArray *r = ranked(s->chan_count, cx_log_channels(s->log));
  for (guint i = 0; i < r->len; i++)
    if (g_array_index(r, Ranked, i).id == CX_ID_NONE) {
      g_array_remove_index(r, i);
      break;
    }
  return r;
}

static void
activity_list(CxStats *s, CxJson *json, ActCount by, gboolean with_cases)
{
  g_autoptr(GArray) r = ranked_acts(s, by);
  cx_json_begin_array(json);
  for (guint i = 0; i < r->len; i++) {
    Ranked *x = &g_array_index(r, Ranked, i);
    cx_json_begin_object(json);
    cx_json_key(json, "activity");
    cx_json_string(json, cx_pool_get(cx_log_activities(s->log), x->id));
    cx_json_key(json, "count");
    cx_json_int(json, (gint64)x->count);
    if (with_cases) {
      cx_json_key(json, "cases");
      cx_json_int(json, (gint64)act_cases(s, x->id));
    }
    cx_json_end_object(json);
  }
  cx_json_end_array(json);
}

/* {"mean","median","p90","min","max"}, each null for an empty sample: a
 * reader indexes into the object whether or not anything was measured. */
static void
summary_json(CxJson *json, const CxSummary *x)
{
  const char *keys[] = { "mean", "median", "p90", "min", "max" };
  const double vals[] = { x->mean, x->median, x->p90, x->min, x->max };
  cx_json_begin_object(json);
  for (gsize i = 0; i < G_N_ELEMENTS(keys); i++)
    cx_json_key_double(json, keys[i], x->n > 0 ? vals[i] : NAN);
  cx_json_end_object(json);
}
static void stats_sources_json(const CxReadCounts *rc, CxJson *json);

void
cx_stats_summarize(CxStats *s, CxStatsSummary *out)
{
  *out = (CxStatsSummary){ 0 };
  out->cases = s->cases;
  out->events = s->events;
  out->instances = s->instances;
  guint nvar;
  cx_variants_sorted(s->variants, &nvar);
  out->variants = nvar;
  g_autoptr(GArray) acts = ranked_acts(s, BY_INSTANCES);
  out->activities = acts->len;
  out->first = s->first;
  out->last = s->last;
  cx_quantiles_summary(s->durations, &out->duration);
  g_autoptr(GArray) chans = ranked_channels(s);
  out->n_channels = chans->len;
  for (guint i = 0; i < chans->len && i < G_N_ELEMENTS(out->channels); i++) {
    out->channels[i] = g_array_index(chans, Ranked, i).id;
    out->channel_counts[i] = g_array_index(chans, Ranked, i).count;
  }
}

/* What both renderings of the stats (JSON and text) are made from. */
typedef struct {
  const CxReadCounts *rc;
  guint nvar;
  CxSummary epc, dur;
  char *name;
  GArray *acts;
} StatsFacts;

static void
stats_facts_init(CxStats *s, StatsFacts *f)
{
  f->rc = cx_log_counts(s->log);
  cx_variants_sorted(s->variants, &f->nvar);
  cx_quantiles_summary(s->events_per_case, &f->epc);
  cx_quantiles_summary(s->durations, &f->dur);
  f->name = cx_log_display_name(s->log);
  f->acts = ranked_acts(s, BY_INSTANCES);
}

static void
stats_facts_clear(StatsFacts *f)
{
  g_free(f->name);
  g_array_unref(f->acts);
}

void
cx_stats_to_json(CxStats *s, CxJson *json)
{
  StatsFacts f;
  stats_facts_init(s, &f);

  cx_json_begin_object(json);
  cx_calendar_json(cx_log_options(s->log)->calendar, json);
  cx_json_key(json, "log");
  cx_json_string(json, f.name);
  cx_json_key(json, "cases");
  cx_json_int(json, (gint64)s->cases);
  cx_json_key(json, "events");
  cx_json_int(json, (gint64)s->events);
  cx_json_key(json, "instances");
  cx_json_int(json, (gint64)s->instances);
  cx_json_key(json, "activities");
  cx_json_int(json, f.acts->len);
  cx_json_key(json, "resources");
  cx_json_int(json, count_nonzero8(s->res_seen, 1));
  cx_json_key(json, "variants");
  cx_json_int(json, f.nvar);
  g_autoptr(GArray) chans = ranked_channels(s);
  cx_json_key(json, "channels");
  cx_json_int(json, chans->len);
  cx_json_key(json, "channel_counts");
  cx_json_begin_array(json);
  for (guint i = 0; i < chans->len; i++) {
    Ranked *x = &g_array_index(chans, Ranked, i);
    cx_json_begin_object(json);
    cx_json_key(json, "channel");
    cx_json_string(json, cx_pool_get(cx_log_channels(s->log), x->id));
    cx_json_key(json, "count");
    cx_json_int(json, (gint64)x->count);
    cx_json_end_object(json);
  }
  cx_json_end_array(json);
  cx_json_key(json, "first");
  cx_json_time(json, s->first);
  cx_json_key(json, "last");
  cx_json_time(json, s->last);
  cx_json_key(json, "instances_per_case");
  summary_json(json, &f.epc);
  cx_json_key(json, "case_duration_s");
  summary_json(json, &f.dur);
  cx_json_key(json, "start");
  activity_list(s, json, BY_STARTS, FALSE);
  cx_json_key(json, "end");
  activity_list(s, json, BY_ENDS, FALSE);
  cx_json_key(json, "activity_counts");
  activity_list(s, json, BY_INSTANCES, TRUE);
  cx_json_key(json, "events_without_timestamp");
  cx_json_int(json, (gint64)f.rc->no_timestamp);
  cx_json_key(json, "unnamed_traces");
  cx_json_int(json, (gint64)f.rc->unnamed_traces);
  cx_json_key(json, "dropped");
  cx_json_begin_object(json);
  cx_json_key(json, "no_activity");
  cx_json_int(json, (gint64)f.rc->no_activity);
  cx_json_key(json, "no_case");
  cx_json_int(json, (gint64)f.rc->no_case);
  cx_json_key(json, "invalid_timestamp");
  cx_json_int(json, (gint64)f.rc->invalid_skipped);
  cx_json_key(json, "lifecycle");
  cx_json_int(json, (gint64)f.rc->lifecycle_dropped);
  cx_json_key(json, "filtered_cases");
  cx_json_int(json, (gint64)f.rc->cases_filtered);
  cx_json_end_object(json);
  cx_json_key(json, "dates_guessed");
  cx_json_int(json, (gint64)f.rc->dates_guessed);
  stats_sources_json(f.rc, json);
  cx_json_key(json, "naive_timestamps_read_as");
  if (f.rc->naive_times)
    cx_json_string(json,
                   cx_log_options(s->log)->timezone ? cx_log_options(s->log)->timezone : "UTC");
  else
    cx_json_null(json);
  /* 0 while every quantile shown is exact, here and after 'cxmine merge' */
  cx_json_key_double(json, "quantile_rel_error",
                     f.epc.sketched || f.dur.sketched ? CX_QUANTILES_REL_ERROR : 0);
  cx_json_end_object(json);
  stats_facts_clear(&f);
}

/* Issue 12: duplicates, daylight-saving corrections, journeys cut from cases. */
static void
stats_sources_json(const CxReadCounts *rc, CxJson *json)
{
  cx_json_key(json, "duplicates");
  cx_json_int(json, (gint64)rc->duplicates);
  cx_json_key(json, "dst_gap");
  cx_json_int(json, (gint64)rc->dst_gap);
  cx_json_key(json, "dst_repeated");
  cx_json_int(json, (gint64)rc->dst_repeated);
  cx_json_key(json, "journeys");
  cx_json_begin_object(json);
  cx_json_key(json, "cases");
  cx_json_int(json, (gint64)rc->cases_built);
  cx_json_key(json, "journeys");
  cx_json_int(json, (gint64)(rc->cases_built - rc->cases_cut + rc->journeys_from_cut));
  cx_json_key(json, "cut_cases");
  cx_json_int(json, (gint64)rc->cases_cut);
  cx_json_end_object(json);
}

static void
stats_sources_text(const CxLog *log, const CxReadCounts *rc, GString *out)
{
  if (rc->cases_cut > 0)
    g_string_append_printf(out,
                           "Journeys    %" G_GUINT64_FORMAT " cases became %" G_GUINT64_FORMAT
                           " journeys (%" G_GUINT64_FORMAT " cases cut into %" G_GUINT64_FORMAT
                           ")\n",
                           rc->cases_built, rc->cases_built - rc->cases_cut + rc->journeys_from_cut,
                           rc->cases_cut, rc->journeys_from_cut);
  if (rc->duplicates > 0)
    g_string_append_printf(out, "Duplicates  %" G_GUINT64_FORMAT " events %s\n", rc->duplicates,
                           cx_log_options((CxLog *)log)->dedupe ? "(dropped: --dedupe)"
                                                                : "(kept: --dedupe drops them)");
  if (rc->dst_gap + rc->dst_repeated > 0)
    g_string_append_printf(
        out,
        "Daylight saving  %" G_GUINT64_FORMAT
        " local times in a gap (read with the offset before it), %" G_GUINT64_FORMAT
        " in the repeated hour (read as the first)\n",
        rc->dst_gap, rc->dst_repeated);
}

/* Lists activities by @counts; the percentage is of cases: for start and end
 * counts the share of journeys, for activity counts the share of journeys
 * that contain the activity. */
static void
text_activities(CxStats *s, GString *out, const char *title, ActCount by, guint limit)
{
  gboolean events = by == BY_INSTANCES;
  g_autoptr(GArray) r = ranked_acts(s, by);
  g_string_append_printf(out, "\n%s\n", title);
  for (guint i = 0; i < r->len && i < limit; i++) {
    Ranked *x = &g_array_index(r, Ranked, i);
    guint64 cases = events ? act_cases(s, x->id) : x->count;
    g_autofree char *p = cx_format_share_of(cases, s->cases);
    g_autofree char *n = cx_format_count(x->count);
    g_string_append_printf(out, "  %9s  %6s  %s\n", n, p,
                           cx_pool_get(cx_log_activities(s->log), x->id));
  }
  if (r->len > limit)
    g_string_append_printf(out, "  … and %u more\n", r->len - limit);
}

/* "NAME" + padding to the value column, as the other lines */
#define LINE(out, label, ...) g_string_append_printf(out, "%-12s" label "\n", __VA_ARGS__)

void
cx_stats_to_text(CxStats *s, GString *out)
{
  StatsFacts f;
  stats_facts_init(s, &f);
  GTimeZone *zone = cx_log_display_tz(s->log);
  g_autofree char *first = cx_format_time(s->first, zone);
  g_autofree char *last = cx_format_time(s->last, zone);
  g_autofree char *dmean = cx_format_duration(f.dur.mean);
  g_autofree char *dmed = cx_format_duration(f.dur.median);
  g_autofree char *dp90 = cx_format_duration(f.dur.p90);
  g_autofree char *dmax = cx_format_duration(f.dur.max);
  g_autofree char *emin = cx_format_count((guint64)f.epc.min);
  g_autofree char *emed = cx_format_number(f.epc.median, 1);
  g_autofree char *emax = cx_format_count((guint64)f.epc.max);
  g_autofree char *ncases = cx_format_count(s->cases);
  g_autofree char *nevents = cx_format_count(s->events);
  g_autofree char *nacts = cx_format_count(f.acts->len);
  g_autofree char *nres = cx_format_count(count_nonzero8(s->res_seen, 1));
  g_autofree char *nvars = cx_format_count(f.nvar);

  cx_calendar_note(cx_log_options(s->log)->calendar, out);
  LINE(out, "%s", "Log", f.name);
  LINE(out, "%s", "Cases", ncases);
  if (s->instances != s->events) {
    g_autofree char *ninst
        = cx_format_counted(s->instances, "activity instance", "activity instances");
    LINE(out, "%s (%s after lifecycle pairing)", "Events", nevents, ninst);
  } else {
    LINE(out, "%s", "Events", nevents);
  }
  LINE(out, "%s", "Activities", nacts);
  LINE(out, "%s", "Resources", nres);
  LINE(out, "%s", "Variants", nvars);
  g_autoptr(GArray) chans = ranked_channels(s);
  if (chans->len > 0) {
    g_string_append_printf(out, "%-12s%u (", "Channels", chans->len);
    for (guint i = 0; i < chans->len; i++) {
      Ranked *x = &g_array_index(chans, Ranked, i);
      g_autofree char *c = cx_format_count(x->count);
      g_string_append_printf(out, "%s%s %s", i > 0 ? ", " : "",
                             cx_pool_get(cx_log_channels(s->log), x->id), c);
    }
    g_string_append(out, " events)\n");
  }
  LINE(out, "%s .. %s (%s)", "Period", *first ? first : "-", *last ? last : "-",
       zone != NULL ? cx_log_display_tz_name(s->log) : "UTC");
  g_string_append_printf(out, "Events/case min %s, median %s, max %s\n", emin, emed, emax);
  if (f.dur.n > 0)
    g_string_append_printf(out, "Case duration  mean %s, median %s, p90 %s, max %s\n", dmean, dmed,
                           dp90, dmax);
  else
    g_string_append(out, s->cases == 0 ? "Case duration  unknown (no cases)\n"
                                       : "Case duration  unknown (no timestamps)\n");
  cx_quantiles_note(out, f.epc.sketched || f.dur.sketched);
  if (f.rc->no_timestamp > 0) {
    g_autofree char *n = cx_format_count(f.rc->no_timestamp);
    g_string_append_printf(out, "Events without timestamp  %s (kept, left out of durations)\n", n);
  }
  if (f.rc->unnamed_traces > 0) {
    g_autofree char *n = cx_format_counted(f.rc->unnamed_traces, "trace", "traces");
    g_string_append_printf(out,
                           "Unnamed traces  %s without concept:name, named by their place (#1, "
                           "#2, ...)\n",
                           n);
  }
  if (f.rc->no_activity + f.rc->no_case + f.rc->invalid_skipped + f.rc->lifecycle_dropped > 0) {
    g_autofree char *a = cx_format_count(f.rc->no_activity);
    g_autofree char *c = cx_format_count(f.rc->no_case);
    g_autofree char *t = cx_format_count(f.rc->invalid_skipped);
    g_autofree char *l = cx_format_count(f.rc->lifecycle_dropped);
    g_string_append_printf(out,
                           "Dropped events  %s without activity, %s without case, %s with bad "
                           "timestamps, %s by lifecycle\n",
                           a, c, t, l);
  }
  if (f.rc->cases_filtered > 0) {
    g_autofree char *n = cx_format_counted(f.rc->cases_filtered, "case", "cases");
    g_string_append_printf(out, "Filtered out  %s\n", n);
  }
  if (f.rc->naive_times) {
    const char *tz = cx_log_options(s->log)->timezone;
    g_string_append_printf(out, "Timestamps without offset were read as %s\n", tz ? tz : "UTC");
  }
  if (f.rc->dates_guessed > 0) {
    g_autofree char *n = cx_format_counted(f.rc->dates_guessed, "value", "values");
    g_string_append_printf(out,
                           "Dates guessed  %s: day/month order could not be decided from the "
                           "data; read as day-first: pass --timestamp-format\n",
                           n);
  }
  stats_sources_text(s->log, f.rc, out);
  text_activities(s, out, "Start activities (journeys, share of journeys)", BY_STARTS, 10);
  text_activities(s, out, "End activities (journeys, share of journeys)", BY_ENDS, 10);
  text_activities(s, out, "Top activities (events, share of journeys containing it)", BY_INSTANCES,
                  10);
  stats_facts_clear(&f);
}

/* ---------- the state in a partial (docs/partial-format.md) ---------- */

static guint64
at64(GArray *a, guint i)
{
  return i < a->len ? g_array_index(a, guint64, i) : 0;
}

static void
stats_save(gpointer data, GByteArray *out)
{
  CxStats *s = data;
  cx_partial_put_varint(out, s->cases);
  cx_partial_put_varint(out, s->events);
  cx_partial_put_varint(out, s->instances);
  cx_partial_put_time(out, s->first);
  cx_partial_put_time(out, s->last);
  cx_partial_put_quantiles(out, s->events_per_case);
  cx_partial_put_quantiles(out, s->durations);
  guint n = 0, na = cx_transitions_n_acts(s->acts);
  for (guint a = 0; a < na; a++)
    n += cx_transitions_act(s->acts, a)->count > 0;
  cx_partial_put_varint(out, n);
  for (guint a = 0; a < na; a++) {
    const CxTransitionsAct *x = cx_transitions_act(s->acts, a);
    if (x->count > 0) {
      cx_partial_put_varint(out, a);
      cx_partial_put_varint(out, x->count);
      cx_partial_put_varint(out, x->cases);
      cx_partial_put_varint(out, x->starts);
      cx_partial_put_varint(out, x->ends);
    }
  }
  n = 0;
  for (guint r = 0; r < s->res_seen->len; r++)
    n += g_array_index(s->res_seen, guint8, r) != 0;
  cx_partial_put_varint(out, n);
  for (guint r = 0; r < s->res_seen->len; r++)
    if (g_array_index(s->res_seen, guint8, r) != 0)
      cx_partial_put_varint(out, r);
  n = 0;
  for (guint c = 0; c < s->chan_count->len; c++)
    n += at64(s->chan_count, c) > 0;
  cx_partial_put_varint(out, n);
  for (guint c = 0; c < s->chan_count->len; c++)
    if (at64(s->chan_count, c) > 0) {
      cx_partial_put_varint(out, c);
      cx_partial_put_varint(out, at64(s->chan_count, c));
    }
  cx_variants_partial_state.save(s->variants, out);
}

static gboolean
stats_load(gpointer data, CxPartialIn *in)
{
  CxStats *s = data;
  guint64 cases, events, instances, n, v;
  gint64 first, last;
  if (!cx_partial_in_varint(in, &cases) || !cx_partial_in_varint(in, &events)
      || !cx_partial_in_varint(in, &instances) || !cx_partial_in_time(in, &first)
      || !cx_partial_in_time(in, &last) || !cx_partial_in_quantiles(in, s->events_per_case)
      || !cx_partial_in_quantiles(in, s->durations))
    return FALSE;
  s->cases += cases;
  s->events += events;
  s->instances += instances;
  if (first != CX_TS_NONE && (s->first == CX_TS_NONE || first < s->first))
    s->first = first;
  if (last != CX_TS_NONE && (s->last == CX_TS_NONE || last > s->last))
    s->last = last;
  if (!cx_partial_in_varint(in, &n))
    return FALSE;
  for (guint64 i = 0; i < n; i++) {
    guint32 a;
    if (!cx_partial_in_id(in, CX_PARTIAL_ACTIVITIES, &a))
      return FALSE;
    CxTransitionsAct *x = cx_transitions_act_get(s->acts, a);
    guint64 *fields[] = { &x->count, &x->cases, &x->starts, &x->ends };
    for (gsize k = 0; k < G_N_ELEMENTS(fields); k++) {
      if (!cx_partial_in_varint(in, &v))
        return FALSE;
      *fields[k] += v;
    }
  }
  if (!cx_partial_in_varint(in, &n))
    return FALSE;
  for (guint64 i = 0; i < n; i++) {
    guint32 r;
    if (!cx_partial_in_id(in, CX_PARTIAL_RESOURCES, &r))
      return FALSE;
    grow(s->res_seen, r + 1);
    g_array_index(s->res_seen, guint8, r) = 1;
  }
  if (!cx_partial_in_varint(in, &n))
    return FALSE;
  for (guint64 i = 0; i < n; i++) {
    guint32 c;
    if (!cx_partial_in_id(in, CX_PARTIAL_CHANNELS, &c) || !cx_partial_in_varint(in, &v))
      return FALSE;
    grow(s->chan_count, c + 1);
    g_array_index(s->chan_count, guint64, c) += v;
  }
  return cx_variants_partial_state.load(s->variants, in);
}

static gpointer
stats_make(CxLog *log, gboolean case_ids)
{
  (void)case_ids;
  return cx_stats_new(log);
}

static void
stats_free(gpointer s)
{
  cx_stats_free(s);
}

const CxPartialState cx_stats_partial_state
    = { "stats", stats_make, stats_free, cx_stats_add, cx_stats_reset, stats_save, stats_load };
