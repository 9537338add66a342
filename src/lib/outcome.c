/* Outcomes: which ends count as success, which journeys are still open.
 *
 * One compact record (end activity, last time) per journey is kept so that
 * the successful ends can be inferred from finished journeys only: whether a
 * journey is finished depends on the log's last timestamp, known at the end. */
#include "cxmine/outcome.h"
#include "cxmine/output.h"
#include <string.h>

typedef struct {
  guint32 end;
  gint64 last;
} EndRec;

struct _CxOutcome {
  CxLog *log;
  char **success_names; /* as given, or NULL to infer */
  gint64 open_after;
  GArray *ends;       /* EndRec per journey */
  gint64 log_last;    /* CX_TS_NONE until a timed journey is seen */
  GArray *is_success; /* guint8 per activity id, after finish */
  char *explain;
  guint64 n_success, n_dropoff, n_open;
};

/* Whole words (after splitting on anything but letters and digits, and on
 * lower-to-upper case changes) that mark a successful end.  Exact words, not
 * prefixes: "Completeren aanvraag" (Dutch: complete the application) is a
 * task, not an outcome. */
static const char *const success_words[]
    = { "close",     "closed",    "closing", "resolve",  "resolved",  "solved",     "complete",
        "completed", "done",      "finish",  "finished", "paid",      "payment",    "pay",
        "accept",    "accepted",  "approve", "approved", "success",   "successful", "succeeded",
        "deliver",   "delivered", "release", "released", "fulfilled", "won",        NULL };

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

/* Returns TRUE when @name reads like a successful end (see success_words),
 * not counting the words flagged in @ignored; sets bit i of *@words for each
 * success word i it contains (may be NULL). */
static gboolean
name_is_success(const char *name, const guint8 *ignored, guint64 *words)
{
  gboolean hit = FALSE, veto = FALSE;
  const char *p = name;
  while (*p != '\0') {
    while (*p != '\0' && !g_ascii_isalnum(*p))
      p++;
    const char *w = p;
    while (*p != '\0' && g_ascii_isalnum(*p)) {
      p++;
      if (g_ascii_islower(p[-1]) && g_ascii_isupper(*p))
        break; /* camelCase boundary */
    }
    gsize len = (gsize)(p - w);
    if (len == 0)
      continue;
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
  const char *p = name;
  while (*p != '\0') {
    while (*p != '\0' && !g_ascii_isalnum(*p))
      p++;
    const char *w = p;
    while (*p != '\0' && g_ascii_isalnum(*p)) {
      p++;
      if (g_ascii_islower(p[-1]) && g_ascii_isupper(*p))
        break;
    }
    if (p > w && word_in(w, (gsize)(p - w), veto_words) >= 0)
      return TRUE;
  }
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
  o->open_after = open_after_us > 0 ? open_after_us : 0;
  o->ends = g_array_new(FALSE, FALSE, sizeof(EndRec));
  o->is_success = g_array_new(FALSE, TRUE, sizeof(guint8));
  o->log_last = CX_TS_NONE;
  return o;
}

void
cx_outcome_free(CxOutcome *o)
{
  if (o == NULL)
    return;
  g_strfreev(o->success_names);
  g_array_free(o->ends, TRUE);
  g_array_free(o->is_success, TRUE);
  g_free(o->explain);
  g_free(o);
}

gboolean
cx_outcome_add(const CxJourney *j, gpointer data, GError **error)
{
  CxOutcome *o = data;
  if (j->n_instances == 0)
    return TRUE;
  EndRec r = { j->instances[j->n_instances - 1].activity, cx_journey_last_time(j) };
  g_array_append_val(o->ends, r);
  if (r.last != CX_TS_NONE && (o->log_last == CX_TS_NONE || r.last > o->log_last))
    o->log_last = r.last;
  return TRUE;
}

void
cx_outcome_reset(gpointer data)
{
  CxOutcome *o = data;
  g_array_set_size(o->ends, 0);
  g_array_set_size(o->is_success, 0);
  o->log_last = CX_TS_NONE;
  g_clear_pointer(&o->explain, g_free);
  o->n_success = o->n_dropoff = o->n_open = 0;
}

static gboolean
is_open(const CxOutcome *o, gint64 last)
{
  return o->open_after > 0 && last != CX_TS_NONE && o->log_last != CX_TS_NONE
         && o->log_last - last < o->open_after;
}

static void
append_names(GString *s, CxPool *acts, const guint32 *ids, guint n)
{
  for (guint i = 0; i < n; i++) {
    if (i > 0)
      g_string_append(s, i + 1 == n ? " and " : ", ");
    g_string_append_printf(s, "'%s'", cx_pool_get(acts, ids[i]));
  }
}

void
cx_outcome_finish(CxOutcome *o)
{
  CxPool *acts = cx_log_activities(o->log);
  guint n_act = cx_pool_size(acts);
  g_array_set_size(o->is_success, 0);
  g_array_set_size(o->is_success, n_act);
  guint8 *succ = (guint8 *)o->is_success->data;
  g_autofree guint64 *end_count = g_new0(guint64, n_act);
  guint64 finished = 0;
  for (guint i = 0; i < o->ends->len; i++) {
    const EndRec *r = &g_array_index(o->ends, EndRec, i);
    if (is_open(o, r->last) || r->end >= n_act)
      continue;
    end_count[r->end]++;
    finished++;
  }
  g_autoptr(GString) s = g_string_new(NULL);
  g_autoptr(GArray) chosen = g_array_new(FALSE, FALSE, sizeof(guint32));
  g_autoptr(GString) missing = g_string_new(NULL);
  if (o->success_names != NULL) {
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
    for (guint k = 0; k + 1 < G_N_ELEMENTS(success_words); k++)
      ignored[k] = n_act > 3 && 2 * per_word[k] > n_act - 1;
    for (guint32 a = 1; a < n_act; a++)
      if (end_count[a] > 0 && name_is_success(cx_pool_get(acts, a), ignored, NULL)) {
        succ[a] = 1;
        g_array_append_val(chosen, a);
      }
    guint64 named = 0;
    for (guint i = 0; i < chosen->len; i++)
      named += end_count[g_array_index(chosen, guint32, i)];
    if (chosen->len > 0 && 10 * named < finished) {
      /* too rare to be the normal ending: rule 2 instead */
      for (guint i = 0; i < chosen->len; i++)
        succ[g_array_index(chosen, guint32, i)] = 0;
      g_array_set_size(chosen, 0);
    }
    if (chosen->len > 0) {
      g_string_append(s, "Successful ends are inferred from activity names (a word such as "
                         "close, resolve, complete, done, finish, pay, accept, approve, deliver, "
                         "release; none of reject, cancel, decline, fail, not...): ");
      append_names(s, acts, (const guint32 *)chosen->data, chosen->len);
    } else {
      guint64 best = 0;
      for (guint32 a = 1; a < n_act; a++)
        if (!name_has_veto(cx_pool_get(acts, a)))
          best = MAX(best, end_count[a]);
      for (guint32 a = 1; best > 0 && a < n_act; a++)
        if (end_count[a] == best && !name_has_veto(cx_pool_get(acts, a))) {
          succ[a] = 1;
          g_array_append_val(chosen, a);
        }
      if (chosen->len > 0) {
        g_string_append(s, "No end activity with a success-like name ends at least 10% of finished "
                           "journeys, so the most frequent end without a word like reject, cancel "
                           "or fail counts as success: ");
        append_names(s, acts, (const guint32 *)chosen->data, chosen->len);
      } else {
        g_string_append(s, "No finished journey, so no end counts as success");
      }
    }
  }
  guint64 hits = 0;
  for (guint i = 0; i < chosen->len; i++)
    hits += end_count[g_array_index(chosen, guint32, i)];
  if (finished > 0 && chosen->len > 0) {
    g_autofree char *pct = cx_format_number(100.0 * (double)hits / (double)finished, 1);
    g_string_append_printf(s, " (%s%% of finished journeys end there)", pct);
  }
  if (missing->len > 0)
    g_string_append_printf(s, "; not in the log: %s", missing->str);
  g_string_append_c(s, '.');
  g_free(o->explain);
  o->explain = g_string_free(g_steal_pointer(&s), FALSE);

  o->n_success = o->n_dropoff = o->n_open = 0;
  for (guint i = 0; i < o->ends->len; i++) {
    const EndRec *r = &g_array_index(o->ends, EndRec, i);
    switch (cx_outcome_classify(o, r->end, r->last)) {
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
  if (is_open(o, last_time))
    return CX_OUTCOME_OPEN;
  return cx_outcome_is_success_end(o, end_activity) ? CX_OUTCOME_SUCCESS : CX_OUTCOME_DROPOFF;
}

gboolean
cx_outcome_is_success_end(const CxOutcome *o, guint32 activity)
{
  return activity < o->is_success->len && g_array_index(o->is_success, guint8, activity) != 0;
}

const char *
cx_outcome_explain(const CxOutcome *o)
{
  return o->explain != NULL ? o->explain : "";
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
