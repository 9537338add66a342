/* Outcomes: which ends count as success, which journeys are still open.
 *
 * One compact record (end activity, last time) per journey is kept so that
 * the successful ends can be inferred from finished journeys only: whether a
 * journey is finished depends on the log's last timestamp, known at the end. */
#include "records-private.h"
#include "cxmine/outcome.h"
#include "cxmine/output.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* 32 bytes a journey: they add up.  Slots from 32 on (a log with that
 * many success-named activities) go to a side table. */
typedef struct {
  gint64 last;
  gint64 max_gap; /* the longest pause between two steps, -1 when unknown */
  guint32 end;
  guint32 passed; /* success-named activities seen (bit per slot below 32) */
  guint32 clean;  /* ... seen after the last veto-named activity */
  guint32 wide;   /* index + 1 of its Wide record; 0 when no slot from 32 on is set */
} EndRec;

/* The bits of slots 32 to 63 of an EndRec. */
typedef struct {
  guint32 passed, clean;
} Wide;

#define MAX_SLOTS 64

struct _CxOutcome {
  CxLog *log;
  char **success_names; /* as given, or NULL to infer */
  gint64 open_after;    /* as asked: < 0 = infer */
  gint64 open_eff;      /* in force after finish */
  CxRecords *ends;      /* EndRec per journey */
  GArray *wide;         /* Wide, for the EndRecs that need one */
  gint64 log_last;      /* CX_TS_NONE until a timed journey is seen */
  GArray *is_success;   /* guint8 per activity id, after finish */
  GArray *act_slot;     /* gint8 per activity id: -2 unknown, -1 not success-named, else slot */
  GArray *act_veto;     /* guint8 per activity id (valid where act_slot != -2) */
  guint32 slot_act[MAX_SLOTS];
  guint n_slots;
  guint64 milestones; /* slots that count as milestones, after finish */
  GArray *outcome;    /* guint8 CxOutcomeKind per journey, after finish */
  char *explain, *open_explain;
  gboolean weak;
  guint8 ignored[32]; /* success words naming the process (infer) */
  gboolean ignored_any;
  guint64 n_success, n_dropoff, n_open;
  /* cx_outcome_set_model: the decision taken over, by names */
  gboolean has_model;
  GPtrArray *model_ends, *model_milestones; /* char * */
  gboolean model_weak, model_given; /* model_given: the models' list was given (--success) */
  char *model_explain, *model_open_explain;
};

/* Whole words (after splitting on anything but letters and digits, and on
 * lower-to-upper case changes) that mark a successful end.  Words that mean
 * "taken into work" (accepted, received, registered, opened, assigned) are
 * not among them: BPIC 2013's incidents are 'Accepted' when work starts.  Exact words, not
 * prefixes: "Completeren aanvraag" (Dutch: complete the application) is a
 * task, not an outcome. */
static const char *const success_words[]
    = { "close",     "closed",   "closing",   "resolve",    "resolved",  "solved",  "complete",
        "completed", "done",     "finish",    "finished",   "paid",      "payment", "pay",
        "approve",   "approved", "success",   "successful", "succeeded", "deliver", "delivered",
        "release",   "released", "fulfilled", "won",        NULL };

/* Words that veto a success word in the same name ("Closed - rejected",
 * "Payment failed", "Not approved"). */
static const char *const veto_words[]
    = { "not",       "no",        "non",      "reject",   "rejected", "decline", "declined",
        "cancel",    "cancelled", "canceled", "fail",     "failed",   "failure", "abort",
        "aborted",   "lost",      "deny",     "denied",   "refuse",   "refused", "withdraw",
        "withdrawn", "unpaid",    "return",   "returned", "error",    "expired", NULL };

/* Returns the index of the word in @list, or -1. */
static int
word_in(const char *w, gsize len, const char *const *list)
{
  for (const char *const *p = list; *p != NULL; p++)
    if (strlen(*p) == len && g_ascii_strncasecmp(*p, w, len) == 0)
      return (int)(p - list);
  return -1;
}

/* Finds the next word of *@p (a run of ASCII letters and digits, split at
 * camelCase boundaries), stores its start in *@word and moves *@p past it.
 * Returns its length: 0 when the text has no more words. */
static gsize
next_word(const char **p, const char **word)
{
  const char *s = *p;
  while (*s != '\0' && !g_ascii_isalnum(*s))
    s++;
  *word = s;
  while (*s != '\0' && g_ascii_isalnum(*s)) {
    s++;
    if (g_ascii_islower(s[-1]) && g_ascii_isupper(*s))
      break; /* camelCase boundary */
  }
  *p = s;
  return (gsize)(s - *word);
}

/* Returns TRUE when @name reads like a successful end (see success_words),
 * not counting the words flagged in @ignored; sets bit i of *@words for each
 * success word i it contains (may be NULL). */
static gboolean
name_is_success(const char *name, const guint8 *ignored, guint64 *words)
{
  gboolean hit = FALSE, veto = FALSE;
  const char *p = name, *w;
  gsize len;
  while ((len = next_word(&p, &w)) > 0) {
    if (word_in(w, len, veto_words) >= 0)
      veto = TRUE;
    int k = word_in(w, len, success_words);
    if (k >= 0) {
      if (words != NULL)
        *words |= G_GUINT64_CONSTANT(1) << k;
      if (ignored == NULL || !ignored[k])
        hit = TRUE;
    }
  }
  return hit && !veto;
}

static gboolean
name_has_veto(const char *name)
{
  const char *p = name, *w;
  gsize len;
  while ((len = next_word(&p, &w)) > 0)
    if (word_in(w, len, veto_words) >= 0)
      return TRUE;
  return FALSE;
}

CxOutcome *
cx_outcome_new(CxLog *log, const char *const *success, gint64 open_after_us)
{
  g_return_val_if_fail(log != NULL, NULL);
  CxOutcome *o = g_new0(CxOutcome, 1);
  o->log = log;
  if (success != NULL)
    o->success_names = g_strdupv((char **)success);
  o->open_after = open_after_us < 0 ? CX_OUTCOME_OPEN_INFER : open_after_us;
  o->ends = cx_records_new(sizeof(EndRec));
  o->wide = g_array_new(FALSE, FALSE, sizeof(Wide));
  o->is_success = g_array_new(FALSE, TRUE, sizeof(guint8));
  o->act_slot = g_array_new(FALSE, FALSE, sizeof(gint8));
  o->act_veto = g_array_new(FALSE, TRUE, sizeof(guint8));
  o->outcome = g_array_new(FALSE, FALSE, sizeof(guint8));
  o->log_last = CX_TS_NONE;
  return o;
}

void
cx_outcome_free(CxOutcome *o)
{
  if (o == NULL)
    return;
  g_strfreev(o->success_names);
  cx_records_free(o->ends);
  g_array_free(o->wide, TRUE);
  g_array_free(o->is_success, TRUE);
  g_array_free(o->act_slot, TRUE);
  g_array_free(o->act_veto, TRUE);
  g_array_free(o->outcome, TRUE);
  g_free(o->explain);
  g_free(o->open_explain);
  if (o->model_ends != NULL)
    g_ptr_array_free(o->model_ends, TRUE);
  if (o->model_milestones != NULL)
    g_ptr_array_free(o->model_milestones, TRUE);
  g_free(o->model_explain);
  g_free(o->model_open_explain);
  g_free(o);
}

/* Looks up (once per activity) whether @a is success-named (its slot) and
 * whether it is veto-named. */
static inline gint8
act_slot(CxOutcome *o, guint32 a, gboolean *veto)
{
  if (a >= o->act_slot->len) {
    guint old = o->act_slot->len;
    g_array_set_size(o->act_slot, a + 64);
    g_array_set_size(o->act_veto, a + 64);
    for (guint i = old; i < o->act_slot->len; i++)
      g_array_index(o->act_slot, gint8, i) = -2;
  }
  gint8 *slot = &g_array_index(o->act_slot, gint8, a);
  if (*slot == -2) {
    const char *name = cx_pool_get(cx_log_activities(o->log), a);
    g_array_index(o->act_veto, guint8, a) = name_has_veto(name);
    *slot = -1;
    if (name_is_success(name, NULL, NULL) && o->n_slots < MAX_SLOTS) {
      o->slot_act[o->n_slots] = a;
      *slot = (gint8)o->n_slots++;
    }
  }
  *veto = g_array_index(o->act_veto, guint8, a) != 0;
  return *slot;
}

gboolean
cx_outcome_add(const CxJourney *j, gpointer data, GError **error)
{
  CxOutcome *o = data;
  if (j->n_instances == 0)
    return TRUE;
  EndRec r = { cx_journey_last_time(j), -1, j->instances[j->n_instances - 1].activity, 0, 0, 0 };
  guint64 passed = 0, clean = 0;
  gint64 prev = CX_TS_NONE;
  for (guint i = 0; i < j->n_instances; i++) {
    const CxEvent *e = &j->instances[i];
    gboolean veto;
    gint8 slot = act_slot(o, e->activity, &veto);
    if (veto)
      clean = 0;
    if (slot >= 0) {
      passed |= G_GUINT64_CONSTANT(1) << slot;
      clean |= G_GUINT64_CONSTANT(1) << slot;
    }
    if (e->time != CX_TS_NONE) {
      if (prev != CX_TS_NONE && e->time - prev > r.max_gap)
        r.max_gap = e->time - prev;
      prev = e->time;
    }
  }
  r.passed = (guint32)passed;
  r.clean = (guint32)clean;
  if (passed >> 32) {
    Wide w = { (guint32)(passed >> 32), (guint32)(clean >> 32) };
    g_array_append_val(o->wide, w);
    r.wide = o->wide->len;
  }
  cx_records_append(o->ends, &r);
  if (r.last != CX_TS_NONE && (o->log_last == CX_TS_NONE || r.last > o->log_last))
    o->log_last = r.last;
  return cx_records_check(o->ends, error);
}

gboolean
cx_outcome_check(const CxOutcome *o, GError **error)
{
  return cx_records_check(o->ends, error);
}

void
cx_outcome_reset(gpointer data)
{
  CxOutcome *o = data;
  cx_records_reset(o->ends);
  g_array_set_size(o->wide, 0);
  g_array_set_size(o->is_success, 0);
  g_array_set_size(o->outcome, 0);
  o->log_last = CX_TS_NONE;
  o->milestones = 0;
  g_clear_pointer(&o->explain, g_free);
  g_clear_pointer(&o->open_explain, g_free);
  o->n_success = o->n_dropoff = o->n_open = 0;
}

/* Too recent to judge with the open-after limit @limit. */
static gboolean
is_recent(const CxOutcome *o, gint64 limit, gint64 last)
{
  return limit > 0 && last != CX_TS_NONE && o->log_last != CX_TS_NONE && o->log_last - last < limit;
}

/* 'A', 'B' and 'C'; after 5 names, "and N more". */
static void
append_names(GString *s, CxPool *acts, const guint32 *ids, guint n)
{
  guint shown = n > 6 ? 5 : n;
  for (guint i = 0; i < shown; i++) {
    if (i > 0)
      g_string_append(s, i + 1 == n ? " and " : ", ");
    g_string_append_printf(s, "'%s'", cx_pool_get(acts, ids[i]));
  }
  if (shown < n)
    g_string_append_printf(s, " and %u more", n - shown);
}

static gboolean
end_is_veto(const CxOutcome *o, guint32 a)
{
  return a < o->act_veto->len && g_array_index(o->act_veto, guint8, a) != 0;
}

/* Journey @i's record (read in ascending order where there are many: past
 * the first MiB they are on disk, records-private.h). */
static EndRec
end_rec(const CxOutcome *o, guint64 i)
{
  EndRec r;
  cx_records_get(o->ends, i, &r);
  return r;
}

/* The success-named activities @r passed (bit per slot), and those passed
 * after its last veto-named one. */
static guint64
rec_passed(const CxOutcome *o, const EndRec *r)
{
  guint64 hi = r->wide ? g_array_index(o->wide, Wide, r->wide - 1).passed : 0;
  return hi << 32 | r->passed;
}

static guint64
rec_clean(const CxOutcome *o, const EndRec *r)
{
  guint64 hi = r->wide ? g_array_index(o->wide, Wide, r->wide - 1).clean : 0;
  return hi << 32 | r->clean;
}

/* Successful by its end or by a milestone reached with no veto after it. */
static gboolean
rec_success(const CxOutcome *o, const EndRec *r)
{
  if (cx_outcome_is_success_end(o, r->end))
    return TRUE;
  return (rec_clean(o, r) & o->milestones) != 0 && !end_is_veto(o, r->end);
}

static int
cmp_gint64(const void *a, const void *b)
{
  gint64 x = *(const gint64 *)a, y = *(const gint64 *)b;
  return x < y ? -1 : x > y;
}

static int
cmp_end_count(gconstpointer a, gconstpointer b, gpointer data)
{
  const guint64 *cnt = data;
  guint32 x = *(const guint32 *)a, y = *(const guint32 *)b;
  if (cnt[x] != cnt[y])
    return cnt[x] > cnt[y] ? -1 : 1;
  return x < y ? -1 : x > y;
}

/* Appends ": 'A', 'B' and 'C'" — the (up to) three most frequent ends
 * without a veto word. */
static void
append_frequent_ends(GString *s, CxPool *acts, const guint64 *end_count, guint n_act)
{
  g_autoptr(GArray) ids = g_array_new(FALSE, FALSE, sizeof(guint32));
  for (guint32 a = 1; a < n_act; a++)
    if (end_count[a] > 0 && !name_has_veto(cx_pool_get(acts, a)))
      g_array_append_val(ids, a);
  g_array_sort_with_data(ids, cmp_end_count, (gpointer)end_count);
  guint n = MIN(ids->len, 3);
  g_string_append(s, " --success '");
  for (guint i = 0; i < n; i++)
    g_string_append_printf(s, "%s%s", i > 0 ? "," : "",
                           cx_pool_get(acts, g_array_index(ids, guint32, i)));
  g_string_append(s, "'");
}

static void
infer(CxOutcome *o, GString *s, GArray *chosen, const guint64 *end_count, guint64 finished,
      gint64 limit)
{
  CxPool *acts = cx_log_activities(o->log);
  guint n_act = cx_pool_size(acts);
  guint8 *succ = (guint8 *)o->is_success->data;
  /* a success word in most activity names names the process, not an
   * outcome ("Request For Payment ..."): ignore it */
  guint8 ignored[G_N_ELEMENTS(success_words)] = { 0 };
  guint per_word[G_N_ELEMENTS(success_words)] = { 0 };
  for (guint32 a = 1; a < n_act; a++) {
    guint64 words = 0;
    name_is_success(cx_pool_get(acts, a), NULL, &words);
    for (guint k = 0; k + 1 < G_N_ELEMENTS(success_words); k++)
      per_word[k] += (words >> k) & 1;
  }
  o->ignored_any = FALSE;
  for (guint k = 0; k + 1 < G_N_ELEMENTS(success_words); k++) {
    ignored[k] = n_act > 3 && 2 * per_word[k] > n_act - 1;
    o->ignored[k] = ignored[k];
    o->ignored_any |= ignored[k];
  }
  for (guint32 a = 1; a < n_act; a++)
    if (end_count[a] > 0 && name_is_success(cx_pool_get(acts, a), ignored, NULL)) {
      succ[a] = 1;
      g_array_append_val(chosen, a);
    }
  guint64 named = 0;
  for (guint i = 0; i < chosen->len; i++)
    named += end_count[g_array_index(chosen, guint32, i)];
  if (chosen->len > 0 && 10 * named >= finished) {
    g_string_append(s, "Successful ends are inferred from activity names (a word such as "
                       "close, resolve, complete, done, finish, pay, approve, deliver, "
                       "release; none of reject, cancel, decline, fail, not...): ");
    append_names(s, acts, (const guint32 *)chosen->data, chosen->len);
    return;
  }

  /* Success-named activities rarely come last: success may be a milestone
   * reached mid-journey and followed by paperwork.  A success-named
   * activity is a milestone when at most 10% of the finished journeys
   * passing it end at a veto-named activity. */
  o->milestones = 0;
  guint64 pass[MAX_SLOTS] = { 0 }, pass_veto[MAX_SLOTS] = { 0 };
  for (guint i = 0; i < cx_records_len(o->ends); i++) {
    EndRec r = end_rec(o, i);
    guint64 passed = rec_passed(o, &r);
    if (is_recent(o, limit, r.last) || passed == 0)
      continue;
    gboolean veto = end_is_veto(o, r.end);
    for (guint k = 0; k < o->n_slots; k++)
      if ((passed >> k) & 1) {
        pass[k]++;
        pass_veto[k] += veto;
      }
  }
  g_autoptr(GArray) ms = g_array_new(FALSE, FALSE, sizeof(guint32));
  for (guint k = 0; k < o->n_slots; k++)
    if (pass[k] > 0 && 10 * pass_veto[k] <= pass[k]
        && name_is_success(cx_pool_get(acts, o->slot_act[k]), ignored, NULL)) {
      o->milestones |= G_GUINT64_CONSTANT(1) << k;
      g_array_append_val(ms, o->slot_act[k]);
    }
  guint64 hits = 0;
  for (guint i = 0; i < cx_records_len(o->ends); i++) {
    EndRec r = end_rec(o, i);
    if (!is_recent(o, limit, r.last) && rec_success(o, &r))
      hits++;
  }
  if (o->milestones != 0 && 10 * hits >= finished) {
    g_autofree char *pct = cx_format_number(100.0 * (double)hits / (double)finished, 1);
    g_string_append(s, "Success-named activities (close, resolve, complete, pay, "
                       "approve, deliver, release...) rarely come last, so a journey counts as "
                       "successful when it reached a milestone: ");
    append_names(s, acts, (const guint32 *)ms->data, ms->len);
    g_string_append(s, " (success-named, and at most 10% of the journeys passing one end at a "
                       "reject, cancel, decline... activity), with no such activity after it");
    gboolean extra = FALSE;
    for (guint i = 0; i < chosen->len; i++) {
      gint8 slot = g_array_index(o->act_slot, gint8, g_array_index(chosen, guint32, i));
      extra |= slot < 0 || !((o->milestones >> slot) & 1);
    }
    if (extra) {
      g_string_append(s, ", or ended at ");
      append_names(s, acts, (const guint32 *)chosen->data, chosen->len);
    }
    g_string_append_printf(s, " (%s%% of finished journeys)", pct);
    return;
  }

  /* nothing success-like covers 10%: the most frequent end, flagged weak */
  o->milestones = 0;
  for (guint i = 0; i < chosen->len; i++)
    succ[g_array_index(chosen, guint32, i)] = 0;
  g_array_set_size(chosen, 0);
  guint64 best = 0;
  for (guint32 a = 1; a < n_act; a++)
    if (!name_has_veto(cx_pool_get(acts, a)))
      best = MAX(best, end_count[a]);
  for (guint32 a = 1; best > 0 && a < n_act; a++)
    if (end_count[a] == best && !name_has_veto(cx_pool_get(acts, a))) {
      succ[a] = 1;
      g_array_append_val(chosen, a);
    }
  if (chosen->len == 0) {
    g_string_append(s, "No finished journey, so no end counts as success");
    return;
  }
  o->weak = TRUE;
  g_string_append(s, "No success-like activity ends, or is reached by, at least 10% of finished "
                     "journeys, so the most frequent end without a word like reject, cancel or "
                     "fail counts as success: ");
  append_names(s, acts, (const guint32 *)chosen->data, chosen->len);
}

static void
decide_open(CxOutcome *o)
{
  g_autoptr(GString) s = g_string_new(NULL);
  o->open_eff = 0;
  if (o->open_after == 0) {
    g_string_append(s, "No journey counts as still open (--open-after 0).");
  } else if (o->log_last == CX_TS_NONE) {
    g_string_append(s, "No journey counts as still open: the log has no timestamps.");
  } else if (o->open_after > 0) {
    o->open_eff = o->open_after;
    g_autofree char *d = cx_format_duration((double)o->open_eff / 1e6);
    g_string_append_printf(s,
                           "Journeys that did not end successfully and whose last event is "
                           "less than %s before the log's last event are still open "
                           "(--open-after).",
                           d);
  } else {
    g_autoptr(GArray) gaps = g_array_new(FALSE, FALSE, sizeof(gint64));
    for (guint i = 0; i < cx_records_len(o->ends); i++) {
      EndRec r = end_rec(o, i);
      if (r.max_gap >= 0 && rec_success(o, &r))
        g_array_append_val(gaps, r.max_gap);
    }
    if (gaps->len < CX_OUTCOME_OPEN_MIN_JOURNEYS) {
      g_string_append_printf(s,
                             "No journey counts as still open: fewer than %d successful "
                             "journeys with timestamps to infer --open-after from.",
                             CX_OUTCOME_OPEN_MIN_JOURNEYS);
    } else {
      qsort(gaps->data, gaps->len, sizeof(gint64), cmp_gint64);
      /* the nearest-rank p95: an observed pause */
      gsize k = (gsize)ceil(0.95 * (double)gaps->len);
      o->open_eff = g_array_index(gaps, gint64, MAX(k, 1) - 1);
      g_autofree char *d = cx_format_duration((double)o->open_eff / 1e6);
      g_string_append_printf(s,
                             "Journeys that did not end successfully and whose last event is "
                             "less than %s before the log's last event are still open: 95%% of "
                             "the journeys that ended successfully never paused longer between "
                             "two steps (inferred; set it with --open-after, 0 turns it off).",
                             d);
    }
  }
  g_free(o->open_explain);
  o->open_explain = g_string_free(g_steal_pointer(&s), FALSE);
}

/* The model's successful ends and milestones, by name, in this log. */
static void
apply_model(CxOutcome *o, GArray *chosen)
{
  CxPool *acts = cx_log_activities(o->log);
  guint n_act = cx_pool_size(acts);
  guint8 *succ = (guint8 *)o->is_success->data;
  for (guint i = 0; i < o->model_ends->len; i++) {
    guint32 id = cx_pool_lookup(acts, g_ptr_array_index(o->model_ends, i), -1);
    if (id != G_MAXUINT32 && id < n_act && !succ[id]) {
      succ[id] = 1;
      g_array_append_val(chosen, id);
    }
  }
  for (guint i = 0; i < o->model_milestones->len; i++) {
    guint32 id = cx_pool_lookup(acts, g_ptr_array_index(o->model_milestones, i), -1);
    gboolean veto;
    gint8 slot = id != G_MAXUINT32 && id < n_act ? act_slot(o, id, &veto) : -1;
    if (slot >= 0)
      o->milestones |= G_GUINT64_CONSTANT(1) << slot;
  }
  o->weak = o->model_weak;
}

static void
add_name(GPtrArray *names, const char *name)
{
  for (guint i = 0; i < names->len; i++)
    if (strcmp(g_ptr_array_index(names, i), name) == 0)
      return;
  g_ptr_array_add(names, g_strdup(name));
}

static void
append_quoted(GString *s, GPtrArray *names, const char *last)
{
  for (guint i = 0; i < names->len; i++)
    g_string_append_printf(s, "%s'%s'",
                           i == 0                ? ""
                           : i + 1 == names->len ? last
                                                 : ", ",
                           (const char *)g_ptr_array_index(names, i));
}

void
cx_outcome_set_model(CxOutcome *o, const CxOutcome *const *models, guint n)
{
  g_return_if_fail(n > 0);
  if (o->model_ends != NULL)
    g_ptr_array_free(o->model_ends, TRUE);
  if (o->model_milestones != NULL)
    g_ptr_array_free(o->model_milestones, TRUE);
  o->model_ends = g_ptr_array_new_with_free_func(g_free);
  o->model_milestones = g_ptr_array_new_with_free_func(g_free);
  o->has_model = TRUE;
  o->model_weak = FALSE;
  o->model_given = models[0]->success_names != NULL;
  o->ignored_any = FALSE;
  memset(o->ignored, 0, sizeof o->ignored);
  gint64 open = 0;
  gboolean same_rule = TRUE, same_open = TRUE, inferred_open = FALSE;
  for (guint m = 0; m < n; m++) {
    const CxOutcome *x = models[m];
    CxPool *acts = cx_log_activities(x->log);
    for (guint32 a = 0; a < x->is_success->len; a++)
      if (g_array_index(x->is_success, guint8, a))
        add_name(o->model_ends, cx_pool_get(acts, a));
    for (guint k = 0; k < x->n_slots; k++)
      if ((x->milestones >> k) & 1)
        add_name(o->model_milestones, cx_pool_get(acts, x->slot_act[k]));
    o->model_weak |= x->weak;
    for (guint k = 0; k < sizeof o->ignored; k++)
      o->ignored[k] |= x->ignored[k];
    o->ignored_any |= x->ignored_any;
    open = MAX(open, x->open_eff);
    inferred_open |= x->open_after < 0;
    same_rule &= g_strcmp0(cx_outcome_explain(x), cx_outcome_explain(models[0])) == 0;
    same_open &= x->open_eff == models[0]->open_eff;
  }
  o->open_after = open;
  g_free(o->model_explain);
  g_free(o->model_open_explain);
  if (models[0]->success_names != NULL) {
    /* one given list: say it without any one log's figures */
    GString *s = g_string_new("Successful ends are given by --success: ");
    g_autoptr(GPtrArray) given = g_ptr_array_new();
    for (char **p = models[0]->success_names; *p != NULL; p++)
      g_ptr_array_add(given, *p);
    append_quoted(s, given, " and ");
    g_string_append_c(s, '.');
    o->model_explain = g_string_free(s, FALSE);
  } else if (same_rule) {
    o->model_explain = g_strdup(cx_outcome_explain(models[0]));
  } else {
    GString *s = g_string_new("Inferred from each log and counted for both (the logs alone "
                              "differed): a journey is successful when it ends at ");
    append_quoted(s, o->model_ends, " or ");
    if (o->model_ends->len == 0)
      g_string_append(s, "none of them");
    if (o->model_milestones->len > 0) {
      g_string_append(s, ", or passed the milestone ");
      append_quoted(s, o->model_milestones, " or ");
      g_string_append(s, " with no reject, cancel, decline... activity after it");
    }
    g_string_append_c(s, '.');
    o->model_explain = g_string_free(s, FALSE);
  }
  if (same_open) {
    o->model_open_explain = g_strdup(cx_outcome_open_explain(models[0]));
  } else {
    g_autofree char *d = cx_format_duration((double)open / 1e6);
    o->model_open_explain = g_strdup_printf(
        "Journeys that did not end successfully and whose last event is less than %s before "
        "their log's last event are still open (one limit for both: the longer of those %s "
        "each log; set it with --open-after).",
        d, inferred_open ? "inferred from" : "of");
  }
}

CxOutcome *
cx_outcome_copy_decision(const CxOutcome *o)
{
  g_return_val_if_fail(!o->has_model, NULL);
  CxOutcome *c = cx_outcome_new(o->log, (const char *const *)o->success_names, o->open_after);
  c->open_after = o->open_after;
  c->open_eff = o->open_eff;
  c->log_last = o->log_last;
  g_array_append_vals(c->is_success, o->is_success->data, o->is_success->len);
  g_array_append_vals(c->act_slot, o->act_slot->data, o->act_slot->len);
  g_array_append_vals(c->act_veto, o->act_veto->data, o->act_veto->len);
  memcpy(c->slot_act, o->slot_act, sizeof c->slot_act);
  c->n_slots = o->n_slots;
  c->milestones = o->milestones;
  c->explain = g_strdup(o->explain);
  c->open_explain = g_strdup(o->open_explain);
  c->weak = o->weak;
  memcpy(c->ignored, o->ignored, sizeof c->ignored);
  c->ignored_any = o->ignored_any;
  return c;
}

void
cx_outcome_finish(CxOutcome *o)
{
  CxPool *acts = cx_log_activities(o->log);
  guint n_act = cx_pool_size(acts);
  g_array_set_size(o->is_success, 0);
  g_array_set_size(o->is_success, n_act);
  /* every activity gets its name flags, also those only in empty journeys */
  for (guint32 a = 0; a < n_act; a++) {
    gboolean veto;
    act_slot(o, a, &veto);
  }
  o->milestones = 0;
  o->weak = FALSE;
  guint8 *succ = (guint8 *)o->is_success->data;
  /* the success rule looks at journeys that look finished: with a given
   * --open-after, older than that; otherwise all */
  gint64 limit = o->open_after > 0 ? o->open_after : 0;
  g_autofree guint64 *end_count = g_new0(guint64, n_act);
  guint64 finished = 0;
  for (guint i = 0; i < cx_records_len(o->ends); i++) {
    EndRec r = end_rec(o, i);
    if (is_recent(o, limit, r.last) || r.end >= n_act)
      continue;
    end_count[r.end]++;
    finished++;
  }
  g_autoptr(GString) s = g_string_new(NULL);
  g_autoptr(GArray) chosen = g_array_new(FALSE, FALSE, sizeof(guint32));
  g_autoptr(GString) missing = g_string_new(NULL);
  if (o->has_model) {
    apply_model(o, chosen);
  } else if (o->success_names != NULL) {
    for (char **n = o->success_names; *n != NULL; n++) {
      guint32 id = cx_pool_lookup(acts, *n, -1);
      if (id != G_MAXUINT32 && id < n_act) {
        succ[id] = 1;
        g_array_append_val(chosen, id);
      } else {
        g_string_append_printf(missing, "%s'%s'", missing->len > 0 ? ", " : "", *n);
      }
    }
    g_string_append(s, "Successful ends are given by --success: ");
    if (chosen->len > 0)
      append_names(s, acts, (const guint32 *)chosen->data, chosen->len);
    else
      g_string_append(s, "none of them occurs in the log");
  } else {
    infer(o, s, chosen, end_count, finished, limit);
  }
  if (finished > 0 && chosen->len > 0 && o->milestones == 0 && !o->has_model) {
    guint64 hits = 0;
    for (guint i = 0; i < chosen->len; i++)
      hits += end_count[g_array_index(chosen, guint32, i)];
    g_autofree char *pct = cx_format_number(100.0 * (double)hits / (double)finished, 1);
    g_string_append_printf(s, " (%s%% of finished journeys end there)", pct);
  }
  if (missing->len > 0)
    g_string_append_printf(s, "; not in the log: %s", missing->str);
  g_string_append_c(s, '.');
  if (o->weak) {
    g_string_append(s, " This is a weak guess: the log shows no clear successful end. Name the "
                       "successful ends, e.g.");
    append_frequent_ends(s, acts, end_count, n_act);
    g_string_append(s, " (the most frequent ends).");
  }
  g_free(o->explain);
  o->explain = g_string_free(g_steal_pointer(&s), FALSE);

  decide_open(o);
  if (o->has_model) {
    g_free(o->explain);
    o->explain = g_strdup(o->model_explain);
    g_free(o->open_explain);
    o->open_explain = g_strdup(o->model_open_explain);
  }
  o->n_success = o->n_dropoff = o->n_open = 0;
  g_array_set_size(o->outcome, cx_records_len(o->ends));
  for (guint i = 0; i < cx_records_len(o->ends); i++) {
    EndRec r = end_rec(o, i);
    CxOutcomeKind k = rec_success(o, &r)                  ? CX_OUTCOME_SUCCESS
                      : is_recent(o, o->open_eff, r.last) ? CX_OUTCOME_OPEN
                                                          : CX_OUTCOME_DROPOFF;
    g_array_index(o->outcome, guint8, i) = (guint8)k;
    switch (k) {
      case CX_OUTCOME_SUCCESS:
        o->n_success++;
        break;
      case CX_OUTCOME_DROPOFF:
        o->n_dropoff++;
        break;
      case CX_OUTCOME_OPEN:
        o->n_open++;
        break;
    }
  }
}

CxOutcomeKind
cx_outcome_classify(const CxOutcome *o, guint32 end_activity, gint64 last_time)
{
  if (cx_outcome_is_success_end(o, end_activity))
    return CX_OUTCOME_SUCCESS;
  return is_recent(o, o->open_eff, last_time) ? CX_OUTCOME_OPEN : CX_OUTCOME_DROPOFF;
}

CxOutcomeKind
cx_outcome_get(const CxOutcome *o, guint64 journey)
{
  g_return_val_if_fail(journey < o->outcome->len, CX_OUTCOME_DROPOFF);
  return (CxOutcomeKind)g_array_index(o->outcome, guint8, journey);
}

guint32
cx_outcome_end_activity(const CxOutcome *o, guint64 journey)
{
  g_return_val_if_fail(journey < cx_records_len(o->ends), CX_ID_NONE);
  return end_rec(o, journey).end;
}

gint64
cx_outcome_last_time(const CxOutcome *o, guint64 journey)
{
  g_return_val_if_fail(journey < cx_records_len(o->ends), CX_TS_NONE);
  return end_rec(o, journey).last;
}

gboolean
cx_outcome_is_success_end(const CxOutcome *o, guint32 activity)
{
  return activity < o->is_success->len && g_array_index(o->is_success, guint8, activity) != 0;
}

gboolean
cx_outcome_is_success_step(const CxOutcome *o, guint32 activity)
{
  if (cx_outcome_is_success_end(o, activity))
    return TRUE;
  gboolean given = o->has_model ? o->model_given : o->success_names != NULL;
  if (given || o->weak || activity >= o->act_slot->len)
    return FALSE;
  gint8 slot = g_array_index(o->act_slot, gint8, activity);
  if (slot < 0)
    return FALSE;
  return !o->ignored_any
         || name_is_success(cx_pool_get(cx_log_activities(o->log), activity), o->ignored, NULL);
}

gboolean
cx_outcome_is_weak(const CxOutcome *o)
{
  return o->weak;
}

const char *
cx_outcome_explain(const CxOutcome *o)
{
  return o->explain != NULL ? o->explain : "";
}

const char *
cx_outcome_open_explain(const CxOutcome *o)
{
  return o->open_explain != NULL ? o->open_explain : "";
}

gint64
cx_outcome_open_after(const CxOutcome *o)
{
  return o->open_eff;
}

gint64
cx_outcome_log_last_time(const CxOutcome *o)
{
  return o->log_last;
}

void
cx_outcome_counts(const CxOutcome *o, guint64 *success, guint64 *dropoff, guint64 *open)
{
  if (success != NULL)
    *success = o->n_success;
  if (dropoff != NULL)
    *dropoff = o->n_dropoff;
  if (open != NULL)
    *open = o->n_open;
}
