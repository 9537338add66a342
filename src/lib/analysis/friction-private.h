/* cxmine — friction internals shared by friction.c (options, the scan,
 * accessors), friction-cycles.c, friction-find.c (the finders of most kinds),
 * friction-drift.c, friction-rank.c (ranking, folding, finish) and
 * report/friction-map.c (the DOT journey map). */
#pragma once

#include "hash-private.h"
#include "records-private.h"
#include "transitions-private.h"
#include "cxmine/friction.h"
#include "cxmine/outcome.h"
#include <math.h>
#include <string.h>

G_BEGIN_DECLS

/* A small open-addressing map guint64 -> guint32 (index + 1), inline here
 * because the scan looks up an edge, a channel pair or a predecessor per
 * event. */

typedef struct {
  guint64 *keys;
  guint32 *vals; /* 0 = empty */
  gsize cap, len;
} Map;

static inline void
map_clear(Map *m)
{
  g_free(m->keys);
  g_free(m->vals);
  *m = (Map){ 0 };
}

static inline gsize
map_hash(guint64 k)
{
  return (gsize)cx_u64_mix(k);
}

static inline void map_put(Map *m, guint64 key, guint32 val);

static inline void
map_grow(Map *m)
{
  Map old = *m;
  m->cap = old.cap ? old.cap * 2 : 256;
  m->keys = g_new(guint64, m->cap);
  m->vals = g_new0(guint32, m->cap);
  m->len = 0;
  for (gsize i = 0; i < old.cap; i++)
    if (old.vals[i] != 0)
      map_put(m, old.keys[i], old.vals[i]);
  g_free(old.keys);
  g_free(old.vals);
}

static inline void
map_put(Map *m, guint64 key, guint32 val)
{
  if ((m->len + 1) * 2 > m->cap)
    map_grow(m);
  gsize i = map_hash(key) & (m->cap - 1);
  while (m->vals[i] != 0 && m->keys[i] != key)
    i = (i + 1) & (m->cap - 1);
  if (m->vals[i] == 0)
    m->len++;
  m->keys[i] = key;
  m->vals[i] = val;
}

static inline guint32
map_get(const Map *m, guint64 key)
{
  if (m->cap == 0)
    return 0;
  gsize i = map_hash(key) & (m->cap - 1);
  while (m->vals[i] != 0) {
    if (m->keys[i] == key)
      return m->vals[i];
    i = (i + 1) & (m->cap - 1);
  }
  return 0;
}

#define KEY(a, b) (((guint64)(a) << 32) | (guint64)(b))

/* The evidence the scan collects, per case, activity, edge, channel pair
 * and cycle. */

/* Its end activity, last time and outcome are the outcome module's (one
 * record per journey there: cx_friction_case_end(), _last(), _kind()), its
 * satisfaction score is in f->sat; 32 bytes, one per case in f->cases
 * (records-private.h: past the first MiB on disk). */
typedef struct {
  gint64 dur; /* microseconds, -1 unknown */
  gint64 first;
  guint32 case_id;
  guint32 steps;
  guint32 touches;
  guint32 switches;
} CaseRec;

/* A repetition of an activity in a case, and what explains it. */
#define REP_NONE 0u /* a self-loop, or a repeat no cycle explains */

typedef struct {
  guint32 c;
  guint32 cycle;   /* the turn's cycle: index + 1, or REP_NONE */
  guint32 contact; /* on another channel within the repeat window */
} Rep;

/* What friction alone keeps of an activity; its counts, cases and service
 * times are in the transitions accumulator (cx_friction_act()). */
typedef struct {
  guint32 stamp;               /* case index + 1 of the last case containing it */
  guint32 first_pos, last_pos; /* in the current case */
  guint32 last_chan;
  gint64 last_time;
  GArray *reps; /* Rep; NULL until the activity occurs */
  int negative;
  Map pred;         /* negative only: predecessor id -> count */
  GArray *pred_cnt; /* guint64 counts for pred values */
} Act;

/* A cycle: the activities of one turn, rotated so the smallest id is first. */
typedef struct {
  guint32 len;
  guint32 ids[CX_FRICTION_MAX_LOOP + CX_FRICTION_LOOP_DETOURS];
  guint32 stamp;
  guint64 turns;
  guint64 votes[CX_FRICTION_MAX_LOOP + CX_FRICTION_LOOP_DETOURS]; /* entry step per case */
  GArray *cases;                                                  /* guint32 */
  int root;     /* after finish: the cycle it is a detour of, or itself */
  int reported; /* after finish */
} Cycle;

/* the channel pairs: their cases and waits (only a median is shown, so
 * the waits go to a quantile state, not kept one by one) */
#define PAIR_TRANSITIONS (CX_TRANSITIONS_EDGES | CX_TRANSITIONS_WAITS | CX_TRANSITIONS_CASE_TAGS)
/* the activities and their pairs: also each activity's service times, and
 * every wait and service time with its case (the findings' slow cases and
 * drift) */
#define ACT_TRANSITIONS (PAIR_TRANSITIONS | CX_TRANSITIONS_SAMPLE_CASES | CX_TRANSITIONS_SERVICE)

#define MAX_TURN (CX_FRICTION_MAX_LOOP + CX_FRICTION_LOOP_DETOURS)

struct _CxFriction {
  CxLog *log;
  CxFrictionOptions opts;
  char **success;  /* owned copies */
  char **negative; /* lower-cased globs */
  char *sat_key;
  guint32 sat_key_id; /* G_MAXUINT32 until looked up */
  GPtrArray *neg_specs;
  GPtrArray *ret_specs;
  CxOutcome *outcome;

  CxRecords *cases; /* CaseRec */
  CxRecords *sat;   /* double per case, NaN when it has none: with a satisfaction key only */
  GArray *acts;     /* Act, by activity id */
  GArray *res_stamp;
  /* activities and their pairs (ACT_TRANSITIONS), channel pairs
   * (PAIR_TRANSITIONS), tagged with case indices: per activity its count,
   * cases (case_tags: indices in cases) and service times (service_tags:
   * their cases); per pair its cases and waits (wait_tags, activity pairs
   * only) */
  CxTransitions *edges;
  CxTransitions *chs;
  GArray *cycles; /* Cycle */
  Map cycle_map;  /* sequence hash -> index + 1 */

  /* after finish */
  GArray *all;          /* CxFinding: every finding found */
  GArray *lists;        /* CxTagList of its cases (ascending), by CxFinding.index */
  CxListStore *store;   /* where the long ones of them go */
  GArray *findings;     /* CxFinding with a cost, ranked */
  GArray *with_success; /* CxFinding */
  GArray *folded;       /* CxFinding, referenced by also */
  GArray *waits;        /* CxFrictionWait */
  GArray *funnel;       /* CxFunnelStep */
  GArray *matrix;       /* CxChannelSwitch */
  GArray *order;        /* guint32 case indices with a duration, by duration */
  GArray *mark;         /* guint32 generation per case */
  GArray *kinds;        /* guint32 per case: 1 << CxFindingKind of its findings */
  GArray *ids_buf;      /* guint32 case ids handed out */
  guint32 gen;
  guint64 finished, succeeded, n_scored;
  guint64 n_instances, n_status; /* instances, those with a lifecycle outside start/complete */
  char *status_hint;
  double total_time_s;
  double sat_sum;
  gboolean has_channels;
  gboolean sketched; /* a median or p90 shown came from a sketch (quantile_rel_error) */
};

/* The numbers of activity @a counted in f->edges: count, case_tags (case
 * indices, once per case), service (NULL until its first sample) and
 * service_tags; NULL when @a never occurred. */
static inline const CxTransitionsAct *
cx_friction_act(const CxFriction *f, guint32 a)
{
  const CxTransitionsAct *n = cx_transitions_act(f->edges, a);
  return n != NULL && n->count > 0 ? n : NULL;
}

/* Case @c's outcome (after finish), end activity, last time and
 * satisfaction score (NaN when none). */
static inline CxOutcomeKind
cx_friction_case_kind(const CxFriction *f, guint32 c)
{
  return cx_outcome_get(f->outcome, c);
}

static inline guint32
cx_friction_case_end(const CxFriction *f, guint32 c)
{
  return cx_outcome_end_activity(f->outcome, c);
}

static inline gint64
cx_friction_case_last(const CxFriction *f, guint32 c)
{
  return cx_outcome_last_time(f->outcome, c);
}

static inline double
cx_friction_case_sat(const CxFriction *f, guint32 c)
{
  double sat = NAN;
  if (f->sat != NULL)
    cx_records_get(f->sat, c, &sat);
  return sat;
}

/* Case @c's record (read in ascending order where there are many: past the
 * first MiB they are on disk, records-private.h). */
static inline CaseRec
cx_friction_case(const CxFriction *f, guint32 c)
{
  CaseRec r;
  cx_records_get(f->cases, c, &r);
  return r;
}

/* The cases: journeys with a step. */
static inline guint32
cx_friction_cases(const CxFriction *f)
{
  return (guint32)cx_records_len(f->cases);
}

/* What a wait (or a service time) is: customer friction, or time after a
 * success step, or time until a return (friction.h, bottleneck). */
typedef enum {
  WAIT_FRICTION,
  WAIT_AFTER_SUCCESS,
  WAIT_UNTIL_RETURN,
} WaitClass;

/* Sets what @fd measures (and the name the reports print). */
static inline void
cx_friction_set_measure(CxFinding *fd, CxFindingMeasure measure)
{
  fd->measure_kind = measure;
  fd->measure = cx_finding_measure_name(measure);
}

/* friction.c */
void cx_friction_clear_results(CxFriction *f);
gboolean cx_friction_matches(GPtrArray *specs, const char *name);

/* friction-cycles.c: a turn of a case back to an activity (during the scan),
 * the cycles found from them (at finish) */
guint32 cx_friction_record_turn(CxFriction *f, const CxEvent *ins, guint from, guint to,
                                guint32 stamp);
void cx_friction_find_cycles(CxFriction *f, CxPool *acts);
gboolean cx_friction_rep_in_cycle(CxFriction *f, const Rep *rep);

/* friction-find.c: findings from the evidence, and the comparison every
 * finding makes of its cases with the others */
gboolean cx_friction_enough(const CxFriction *f, guint64 n);
void cx_friction_compare_cases(CxFriction *f, CxFinding *fd, const GArray *L,
                               const GArray *reached);
CxFinding *cx_friction_push(CxFriction *f, CxFindingKind kind, const CxPool *pool,
                            const guint32 *ids, guint n_ids, const GArray *L,
                            const GArray *reached);
/* The cases (indices in cases) activity @a occurs in, ascending, in a new
 * array; NULL when it never occurred. */
GArray *cx_friction_act_cases(const CxFriction *f, guint32 a);
/* The median of @vals through a quantile state (sketched past its exact
 * limit; then *@sketched is set when not NULL); NaN when empty. */
double cx_friction_median(const GArray *vals, gboolean *sketched);
WaitClass cx_friction_edge_class(CxFriction *f, guint32 from, guint32 to, CxPool *acts);
void cx_friction_find_bottlenecks(CxFriction *f, CxPool *acts);
void cx_friction_find_repeats(CxFriction *f, CxPool *acts);
void cx_friction_find_dropoffs(CxFriction *f, CxPool *acts);
void cx_friction_find_channels(CxFriction *f, CxPool *chans);
void cx_friction_find_effort(CxFriction *f, gboolean touches);

/* friction-drift.c */
void cx_friction_find_drift(CxFriction *f, CxPool *acts);

G_END_DECLS
