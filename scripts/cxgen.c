/* cxgen — a deterministic generator of synthetic customer-service journeys.
 *
 * Writes XES (plain or gzip) or CSV logs of CRM/ticketing journeys, optionally
 * with planted frictions of known size (--plant) and with before/after
 * changes (--change), and a ground truth JSON (--truth) whose counts are
 * recounted from the generated journeys themselves, not from the plan.
 *
 * Every case draws from its own reseeded GRand, so planting a friction or
 * applying a change does not reshuffle the other cases.
 */
#include <glib.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define MS_PER_S    G_GINT64_CONSTANT(1000)
#define MS_PER_MIN  (60 * MS_PER_S)
#define MS_PER_HOUR (60 * MS_PER_MIN)
#define MS_PER_DAY  (24 * MS_PER_HOUR)

/* ---- the process vocabulary ---- */

typedef enum {
  A_SUBMIT,
  A_ACK,
  A_CLASSIFY,
  A_ASSIGN,
  A_COMPLAINT,
  A_ESCALATE,
  A_DOC,
  A_MOREINFO,
  A_REQINFO,
  A_REPLY,
  A_INVESTIGATE,
  A_CALL,
  A_PROPOSE,
  A_RESOLVE,
  A_REOPEN,
  A_SURVEY,
  A_CLOSE,
  A_EFFORT0, /* the effort-only activities follow */
  /* activities of the later plants (loop, handoff) come after the effort
   * ones, so the effort plant's draws stay as they were */
  A_UPLOAD = A_EFFORT0 + 12,
  A_BACKOFFICE,
  A_CONFIRM,
  N_ACT
} Act;

#define N_EFFORT 12

static const char *const act_names[N_ACT] = {
  "Submit request",
  "Auto-acknowledge",
  "Classify",
  "Assign agent",
  "Complaint received",
  "Escalate to 2nd line",
  "Document check",
  "Request more info",
  "Request info",
  "Customer replies",
  "Investigate",
  "Call customer",
  "Propose solution",
  "Resolve",
  "Reopen",
  "Survey sent",
  "Close",
  "Transfer ticket",
  "Consult specialist",
  "Check contract",
  "Internal review",
  "Update CRM record",
  "Supervisor approval",
  "Send status update",
  "Check billing",
  "Technical diagnosis",
  "Schedule visit",
  "Field visit",
  "Quality check",
  "Upload documents",
  "Back office review",
  "Send confirmation",
};

/* Median wait (minutes) before an activity; the edge (from, to) scales it by
 * a fixed factor in [0.75, 1.25) so edges into the same activity differ. */
static const double wait_median_min[N_ACT] = {
  0,   0.75, 25,  50,  5760, 120, 180, 120, 120, 1200, 180, 120, 240, 1080, 2880, 60,
  180, 180,  180, 180, 180,  180, 180, 180, 180, 180,  180, 180, 180, 1320, 240,  120,
};

/* Median service time (minutes) with --lifecycle; 0 = instantaneous (system
 * and customer events, written as complete events only). */
static const double service_median_min[N_ACT] = {
  0, 0, 6,  4,  0,  15, 20, 8, 8,  0,  45, 12,  20, 10, 5,  0,
  5, 8, 30, 20, 25, 6,  10, 5, 20, 40, 8,  120, 15, 0,  20, 0,
};

/* The median of typical baseline edge waits; the bottleneck is x20 of it. */
#define TYPICAL_WAIT_MS (3 * MS_PER_HOUR)

typedef enum {
  P_BOTTLENECK,
  P_REWORK,
  P_PINGPONG,
  P_DROPOFF,
  P_CHANNEL_SWITCH,
  P_NEGATIVE,
  P_EFFORT,
  P_INCONSISTENCY,
  /* later plants: drawn from a second generator per case, so the plants
   * above (and logs without these) come out as before */
  P_LOOP,
  P_REPEAT_CONTACT,
  P_HANDOFF,
  P_DRIFT,
  P_ABANDON,
  N_PLANT
} Plant;

#define N_PLANT_V1 P_LOOP

static const char *const plant_names[N_PLANT] = {
  "bottleneck",    "rework", "pingpong",       "dropoff", "channel_switch", "negative", "effort",
  "inconsistency", "loop",   "repeat_contact", "handoff", "drift",          "abandon",
};

static const double plant_default_fraction[N_PLANT]
    = { 0.6, 0.2, 0.15, 0.1, 0.15, 0.1, 0.05, 0.3, 0.12, 0.1, 0.3, 1.0, 0.078 };

/* the drift plant: the wait before 'Propose solution' grows to this many
 * times its start over the arrivals */
#define DRIFT_FACTOR 4.0

enum { CH_WEB, CH_EMAIL, CH_PHONE, CH_CHAT, N_CH };
#define CH_BACKOFFICE N_CH /* only the handoff plant uses it */
static const char *const channel_names[N_CH + 1]
    = { "web", "email", "phone", "chat", "back office" };

static const char *const segment_names[] = { "consumer", "business" };
static const char *const region_names[] = { "north", "south", "east", "west", "central" };
static const char *const product_names[] = { "broadband", "mobile", "tv", "bundle", "energy" };

/* Fixed edges that plants and changes act on. */
#define BOTTLENECK_FROM    A_ASSIGN
#define BOTTLENECK_TO      A_INVESTIGATE
#define INCONSISTENCY_FROM A_PROPOSE
#define INCONSISTENCY_TO   A_RESOLVE

/* Distinct resources: a baseline case has at most 5, negative adds 2; an
 * effort case has at least 10.  The truth counts cases at or above this. */
#define EFFORT_MIN_RESOURCES 9

/* ---- options ---- */

typedef struct {
  gint64 cases;
  gint64 first_case; /* number of the first case, from 1 */
  gint64 events;
  guint32 seed;
  gboolean xes;
  gboolean gzip;
  gboolean csv_by_time;
  gboolean lifecycle;
  gint64 start_ms;
  double span_days;
  const char *output;
  const char *truth;
  gboolean planted[N_PLANT];
  double fraction[N_PLANT];
  double wait_cut;         /* 0 = no change */
  double loop_rarer;       /* 0 = no change */
  int removed;             /* activity removed from all journeys, or -1 */
  double loop_fraction[2]; /* rework and pingpong before loop-rarer */
  gboolean satisfaction;   /* a csat score per case */
  /* changes with a known meaning for compare (0 = off): */
  double success_rarer; /* share of journeys stopping after "Propose solution" */
  double neutral_more;  /* factor on the share of journeys with "Call customer" */
  double wait_shift;    /* factor on the waits before "Propose solution" */
} Config;

/* ---- resources ---- */

typedef enum {
  R_CUSTOMER,
  R_SYSTEM,
  R_DISPATCH,
  R_AGENT,
  R_BACKOFFICE,
  R_SECONDLINE,
  R_COMPLAINTS,
  R_SPECIALIST,
  N_POOL
} Pool;

typedef struct {
  GPtrArray *names; /* char*, all resources */
  guint first[N_POOL];
  guint count[N_POOL];
} Resources;

static void
resources_init(Resources *r, guint32 seed)
{
  static const char *const prefix[N_POOL]
      = { "customer",   "system",   "dispatcher", "agent",
          "backoffice", "2nd-line", "complaints", "specialist" };
  GRand *rand = g_rand_new_with_seed(seed ^ 0x5eedu);
  guint total = (guint)g_rand_int_range(rand, 30, 81);
  guint n[N_POOL] = { 1, 1, 4, 0, 3, 3, 2, 10 };
  n[R_AGENT] = total
               - (n[R_CUSTOMER] + n[R_SYSTEM] + n[R_DISPATCH] + n[R_BACKOFFICE] + n[R_SECONDLINE]
                  + n[R_COMPLAINTS] + n[R_SPECIALIST]);
  r->names = g_ptr_array_new_with_free_func(g_free);
  for (guint p = 0; p < N_POOL; p++) {
    r->first[p] = r->names->len;
    r->count[p] = n[p];
    for (guint i = 0; i < n[p]; i++) {
      if (n[p] == 1)
        g_ptr_array_add(r->names, g_strdup(prefix[p]));
      else
        g_ptr_array_add(r->names, g_strdup_printf("%s-%02u", prefix[p], i + 1));
    }
  }
  g_rand_free(rand);
}

/* ---- one generated case ---- */

typedef struct {
  guint8 act;
  guint8 chan;
  guint16 res;
  gboolean zulu;
  gboolean protect; /* an edge whose wait other plants must not stretch */
  gboolean bridged; /* the step follows a removed activity */
  gint64 wait_ms;   /* from the previous step's completion */
  gint64 service_ms;
  gint64 start_ms; /* == end_ms for instantaneous steps */
  gint64 end_ms;
} Step;

typedef struct {
  guint32 idx;
  guint8 channel, segment, region, product;
  gboolean plant[N_PLANT];
  int csat;      /* 1..5 with --satisfaction */
  GArray *steps; /* Step */
  int prev_act;  /* last added activity, -1 at the start */
  gboolean bridge_next;
} Case;

typedef struct {
  const Config *cfg;
  Resources res;
  GRand *rand;
  GRand *rand2; /* the later plants' draws */
  Case c;
} Gen;

static double
normal(GRand *r)
{
  double u1 = g_rand_double(r), u2 = g_rand_double(r);
  if (u1 < 1e-300)
    u1 = 1e-300;
  return sqrt(-2.0 * log(u1)) * cos(2.0 * G_PI * u2);
}

/* A lognormal factor around 1, clipped to [1/clip, clip]: tight waits. */
static double
lognormal_factor(GRand *r, double sigma, double clip)
{
  double f = exp(sigma * normal(r));
  return CLAMP(f, 1.0 / clip, clip);
}

static double
edge_factor(int from, int to)
{
  guint32 h = (guint32)(from + 1) * 2654435761u ^ (guint32)(to + 7) * 40503u;
  h ^= h >> 13;
  h *= 0x5bd1e995u;
  h ^= h >> 15;
  return 0.75 + 0.5 * (double)(h % 1000) / 1000.0;
}

static gint64
edge_median_ms(int from, int to)
{
  double m = wait_median_min[to] * (double)MS_PER_MIN;
  if (to == A_DOC && from == A_MOREINFO)
    m = 22.0 * MS_PER_HOUR; /* the customer sends the documents */
  if (from >= 0)
    m *= edge_factor(from, to);
  return (gint64)m;
}

static guint16
pick(Gen *g, Pool p)
{
  return (guint16)(g->res.first[p] + (guint)g_rand_int_range(g->rand, 0, (gint32)g->res.count[p]));
}

/* Adds a step after the previous one; @mult stretches the drawn wait. */
static Step *
add(Gen *g, Act a, guint16 res, double mult)
{
  Case *c = &g->c;
  const Config *cfg = g->cfg;
  if ((int)a == cfg->removed) {
    c->bridge_next = TRUE;
    return NULL;
  }
  Step s = { 0 };
  s.act = (guint8)a;
  s.res = res;
  s.chan = c->channel;
  if (c->steps->len > 0) {
    const Step *prev = &g_array_index(c->steps, Step, c->steps->len - 1);
    s.chan = prev->chan;
  }
  s.zulu = (a == A_ACK || a == A_SURVEY);
  if (c->prev_act >= 0) {
    double w = (double)edge_median_ms(c->prev_act, a) * lognormal_factor(g->rand, 0.35, 3.0);
    if (c->prev_act == BOTTLENECK_FROM && a == BOTTLENECK_TO) {
      s.protect = TRUE;
      if (c->plant[P_BOTTLENECK])
        w = 20.0 * TYPICAL_WAIT_MS * lognormal_factor(g->rand, 0.25, 1.45);
      if (cfg->wait_cut > 0)
        w /= cfg->wait_cut;
    } else if (c->prev_act == INCONSISTENCY_FROM && a == INCONSISTENCY_TO) {
      s.protect = TRUE;
      if (c->plant[P_INCONSISTENCY])
        w = (double)edge_median_ms(c->prev_act, a)
            * exp(log(5.0) + g_rand_double(g->rand) * log(12.0));
    } else {
      w *= mult;
    }
    if (cfg->wait_shift > 0 && a == A_PROPOSE)
      w *= cfg->wait_shift;
    s.wait_ms = MAX((gint64)w, MS_PER_S) + g_rand_int_range(g->rand, 0, 1000);
  }
  if (cfg->lifecycle && service_median_min[a] > 0)
    s.service_ms
        = (gint64)(service_median_min[a] * MS_PER_MIN * lognormal_factor(g->rand, 0.3, 2.0));
  s.bridged = c->bridge_next;
  c->bridge_next = FALSE;
  c->prev_act = a;
  g_array_append_val(c->steps, s);
  return &g_array_index(c->steps, Step, c->steps->len - 1);
}

static gboolean
chance(Gen *g, double p)
{
  return g_rand_double(g->rand) < p;
}

static void
generate_case(Gen *g, guint32 idx, gint64 arrival_ms)
{
  const Config *cfg = g->cfg;
  Case *c = &g->c;
  g_rand_set_seed(g->rand, cfg->seed * 2654435761u + idx * 40503u + 17u);
  g_array_set_size(c->steps, 0);
  c->idx = idx;
  c->prev_act = -1;
  c->bridge_next = FALSE;

  double u = g_rand_double(g->rand);
  c->channel = u < 0.4 ? CH_WEB : u < 0.65 ? CH_EMAIL : u < 0.85 ? CH_PHONE : CH_CHAT;
  c->segment = chance(g, 0.25) ? 1 : 0;
  c->region = (guint8)g_rand_int_range(g->rand, 0, G_N_ELEMENTS(region_names));
  c->product = (guint8)g_rand_int_range(g->rand, 0, G_N_ELEMENTS(product_names));
  for (int p = 0; p < N_PLANT_V1; p++) {
    double draw = g_rand_double(g->rand);
    c->plant[p] = cfg->planted[p] && draw < cfg->fraction[p];
  }
  g_rand_set_seed(g->rand2, cfg->seed * 2246822519u + idx * 3266489917u + 101u);
  for (int p = N_PLANT_V1; p < N_PLANT; p++) {
    double draw = g_rand_double(g->rand2);
    c->plant[p] = cfg->planted[p] && draw < cfg->fraction[p];
  }
  /* a designed hand-off belongs to journeys that go through (no drop-off) */
  if (c->plant[P_HANDOFF])
    c->plant[P_DROPOFF] = c->plant[P_ABANDON] = FALSE;
  double drift_mult = 1;
  if (c->plant[P_DRIFT]) {
    double frac = (double)(arrival_ms - cfg->start_ms) / (cfg->span_days * (double)MS_PER_DAY);
    drift_mult = 1 + (DRIFT_FACTOR - 1) * CLAMP(frac, 0, 1);
  }
  /* The baseline decisions are drawn up front, so a planted friction leaves
   * the rest of the journey as it would have been. */
  gboolean skip_classify = c->channel == CH_PHONE && chance(g, 0.5);
  gboolean want_info = chance(g, 0.3);
  gboolean want_call = chance(g, cfg->neutral_more > 0 ? MIN(1.0, 0.35 * cfg->neutral_more) : 0.35);
  gboolean want_survey = chance(g, 0.6);
  gboolean rework_reopen = chance(g, 0.5);
  gboolean escalate = chance(g, 0.5);

  guint16 agent = pick(g, R_AGENT);
  guint16 dispatcher = pick(g, R_DISPATCH);
  guint16 cust = (guint16)g->res.first[R_CUSTOMER];
  guint16 sys = (guint16)g->res.first[R_SYSTEM];

  add(g, A_SUBMIT, c->channel == CH_PHONE ? dispatcher : cust, 1);
  if (c->channel == CH_WEB || c->channel == CH_EMAIL)
    add(g, A_ACK, sys, 1);
  if (c->plant[P_REPEAT_CONTACT]) {
    /* nothing happens, so the customer asks again on another channel a day
     * or two later */
    Step *s = add(g, A_SUBMIT, dispatcher, 1);
    if (s) {
      s->chan = (guint8)((c->channel + 1 + (guint)g_rand_int_range(g->rand2, 0, 2)) % N_CH);
      s->wait_ms = (gint64)((1 + g_rand_double(g->rand2)) * MS_PER_DAY);
    }
  }
  if (c->plant[P_ABANDON])
    goto done; /* gone right after starting */
  if (!skip_classify)
    add(g, A_CLASSIFY, dispatcher, 1);
  add(g, A_ASSIGN, dispatcher, 1);
  if (c->plant[P_NEGATIVE]) {
    add(g, A_COMPLAINT, pick(g, R_COMPLAINTS), 1);
    if (escalate)
      add(g, A_ESCALATE, pick(g, R_SECONDLINE), 1);
  }
  if (c->segment == 1 || c->plant[P_PINGPONG] || c->plant[P_LOOP]) {
    guint16 bo = pick(g, R_BACKOFFICE);
    add(g, A_DOC, bo, 1);
    if (c->plant[P_LOOP]) {
      /* more information asked, a new upload, the check again: one to
       * three turns, a status update now and then on the way (a detour) */
      int turns = g_rand_int_range(g->rand2, 1, 4);
      for (int i = 0; i < turns; i++) {
        add(g, A_MOREINFO, agent, 1);
        if (g_rand_double(g->rand2) < 0.3)
          add(g, A_EFFORT0 + 6, agent, 1); /* Send status update */
        add(g, A_UPLOAD, cust, 1);
        add(g, A_DOC, bo, 1);
      }
    }
    if (c->plant[P_PINGPONG]) {
      int trips = g_rand_int_range(g->rand, 1, 4);
      for (int i = 0; i < trips; i++) {
        add(g, A_MOREINFO, agent, 1);
        add(g, A_DOC, bo, 1);
      }
    }
  }
  if (want_info || c->plant[P_DROPOFF]) {
    add(g, A_REQINFO, agent, c->plant[P_DROPOFF] ? 4.0 : 1.0);
    if (c->plant[P_DROPOFF])
      goto done; /* the customer never returns */
    add(g, A_REPLY, cust, 1);
  }
  add(g, A_INVESTIGATE, agent, 1);
  if (c->plant[P_REWORK] && !rework_reopen) {
    int extra = g_rand_int_range(g->rand, 1, 3);
    for (int i = 0; i < extra; i++)
      add(g, A_INVESTIGATE, agent, 1);
  }
  if (c->plant[P_EFFORT]) {
    int order[N_EFFORT];
    for (int i = 0; i < N_EFFORT; i++)
      order[i] = i;
    for (int i = N_EFFORT - 1; i > 0; i--) {
      int j = g_rand_int_range(g->rand, 0, i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    int n = g_rand_int_range(g->rand, 7, 11);
    guint spec0 = (guint)g_rand_int_range(g->rand, 0, (gint32)g->res.count[R_SPECIALIST]);
    for (int i = 0; i < n; i++) {
      Act a = (Act)(A_EFFORT0 + order[i]);
      guint16 r
          = (guint16)(g->res.first[R_SPECIALIST] + (spec0 + (guint)i) % g->res.count[R_SPECIALIST]);
      add(g, a, r, 1);
    }
    /* the ticket changes hands: a new agent finishes it */
    guint16 other = pick(g, R_AGENT);
    agent = other != agent
                ? other
                : (guint16)(g->res.first[R_AGENT]
                            + (agent - g->res.first[R_AGENT] + 1) % g->res.count[R_AGENT]);
  }
  if (want_call) {
    Step *s = add(g, A_CALL, agent, 1);
    if (s)
      s->chan = CH_PHONE; /* the case stays on the phone from here */
  }
  if (c->plant[P_HANDOFF]) {
    /* web -> back office -> email, as designed */
    Step *s = add(g, A_BACKOFFICE, pick(g, R_BACKOFFICE), 1);
    if (s)
      s->chan = CH_BACKOFFICE;
    s = add(g, A_CONFIRM, sys, 1);
    if (s)
      s->chan = CH_EMAIL;
  }
  add(g, A_PROPOSE, agent, drift_mult);
  /* drawn only with the change, so other runs keep their random stream */
  if (cfg->success_rarer > 0 && chance(g, cfg->success_rarer))
    goto done; /* the journey stops short of its successful end */
  add(g, A_RESOLVE, agent, 1);
  if (c->plant[P_REWORK] && rework_reopen) {
    add(g, A_REOPEN, cust, 1);
    add(g, A_INVESTIGATE, agent, 1);
    add(g, A_PROPOSE, agent, 1);
    add(g, A_RESOLVE, agent, 1);
  }
  if (want_survey)
    add(g, A_SURVEY, sys, 1);
  add(g, A_CLOSE, agent, 1);

done:
  if (cfg->satisfaction) {
    /* customers who met friction say so */
    int score = 4 + (g_rand_double(g->rand2) < 0.5);
    if (c->plant[P_PINGPONG] || c->plant[P_LOOP] || c->plant[P_REPEAT_CONTACT])
      score -= 2;
    if (c->plant[P_DROPOFF] || c->plant[P_ABANDON] || c->plant[P_NEGATIVE])
      score -= 1;
    c->csat = CLAMP(score, 1, 5);
  }
  if (c->plant[P_CHANNEL_SWITCH] && c->steps->len >= 2) {
    /* switch the channel at 3..5 distinct edges; each switch costs time */
    guint nedges = c->steps->len - 1;
    guint want = (guint)g_rand_int_range(g->rand, 3, 6);
    want = MIN(want, nedges);
    gboolean sw[64] = { 0 };
    guint chosen = 0;
    while (chosen < want) {
      guint e = 1 + (guint)g_rand_int_range(g->rand, 0, (gint32)MIN(nedges, 63u));
      if (!sw[e]) {
        sw[e] = TRUE;
        chosen++;
      }
    }
    guint8 ch = c->channel;
    Step *st = (Step *)c->steps->data;
    st[0].chan = ch;
    for (guint i = 1; i < c->steps->len; i++) {
      if (i < 64 && sw[i]) {
        ch = (guint8)((ch + 1 + (guint)g_rand_int_range(g->rand, 0, N_CH - 1)) % N_CH);
        if (!st[i].protect)
          st[i].wait_ms += (gint64)((double)st[i].wait_ms * (0.5 + g_rand_double(g->rand)));
      }
      st[i].chan = ch;
    }
  }
  gint64 t = arrival_ms;
  Step *st = (Step *)c->steps->data;
  for (guint i = 0; i < c->steps->len; i++) {
    t += st[i].wait_ms;
    st[i].start_ms = t;
    t += st[i].service_ms;
    st[i].end_ms = t;
  }
}

/* ---- buffered output to a file, stdout or gzip ---- */

typedef struct {
  char *buf;
  gsize len, cap;
  FILE *fp;
  gzFile gz;
  gboolean failed;
} Out;

static void
out_flush(Out *o)
{
  if (o->len == 0)
    return;
  if (o->gz) {
    if (gzwrite(o->gz, o->buf, (unsigned)o->len) != (int)o->len)
      o->failed = TRUE;
  } else if (fwrite(o->buf, 1, o->len, o->fp) != o->len) {
    o->failed = TRUE;
  }
  o->len = 0;
}

static inline void
out_mem(Out *o, const char *s, gsize n)
{
  if (o->len + n > o->cap) {
    out_flush(o);
    if (n > o->cap) {
      o->cap = n;
      o->buf = g_realloc(o->buf, o->cap);
    }
  }
  memcpy(o->buf + o->len, s, n);
  o->len += n;
}

static inline void
out_str(Out *o, const char *s)
{
  out_mem(o, s, strlen(s));
}

#define out_lit(o, s) out_mem((o), (s), sizeof(s) - 1)

static inline void
out_uint(Out *o, guint64 v, int width)
{
  char tmp[24];
  int n = 0;
  do {
    tmp[n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v > 0 || n < width);
  char rev[24];
  for (int i = 0; i < n; i++)
    rev[i] = tmp[n - 1 - i];
  out_mem(o, rev, (gsize)n);
}

/* Howard Hinnant's days-from-civil and its inverse, for the proleptic
 * Gregorian calendar. */
static gint64
days_from_civil(gint64 y, int m, int d)
{
  y -= m <= 2;
  gint64 era = (y >= 0 ? y : y - 399) / 400;
  gint64 yoe = y - era * 400;
  gint64 doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  gint64 doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static void
civil_from_days(gint64 z, gint64 *y, int *m, int *d)
{
  z += 719468;
  gint64 era = (z >= 0 ? z : z - 146096) / 146097;
  gint64 doe = z - era * 146097;
  gint64 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  gint64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  gint64 mp = (5 * doy + 2) / 153;
  *d = (int)(doy - (153 * mp + 2) / 5 + 1);
  *m = (int)(mp < 10 ? mp + 3 : mp - 9);
  *y = yoe + era * 400 + (*m <= 2);
}

/* Central European time: +02:00 from the last Sunday of March 01:00 UTC to
 * the last Sunday of October 01:00 UTC, else +01:00. */
typedef struct {
  gint64 year;
  gint64 dst_start_ms, dst_end_ms;
} DstCache;

static gint64
last_sunday_ms(gint64 year, int month)
{
  gint64 last = days_from_civil(year, month, 31);
  gint64 wd = ((last % 7) + 11) % 7; /* 1970-01-01 was a Thursday; 0 = Sunday */
  return (last - wd) * MS_PER_DAY + MS_PER_HOUR;
}

static int
cet_offset_min(DstCache *dc, gint64 utc_ms)
{
  gint64 y;
  int m, d;
  civil_from_days(utc_ms >= 0 ? utc_ms / MS_PER_DAY : (utc_ms - MS_PER_DAY + 1) / MS_PER_DAY, &y,
                  &m, &d);
  if (y != dc->year) {
    dc->year = y;
    dc->dst_start_ms = last_sunday_ms(y, 3);
    dc->dst_end_ms = last_sunday_ms(y, 10);
  }
  return utc_ms >= dc->dst_start_ms && utc_ms < dc->dst_end_ms ? 120 : 60;
}

static void
out_time(Out *o, DstCache *dc, gint64 utc_ms, gboolean zulu)
{
  int off = zulu ? 0 : cet_offset_min(dc, utc_ms);
  gint64 local = utc_ms + off * MS_PER_MIN;
  gint64 days = local >= 0 ? local / MS_PER_DAY : (local - MS_PER_DAY + 1) / MS_PER_DAY;
  gint64 rem = local - days * MS_PER_DAY;
  gint64 y;
  int m, d;
  civil_from_days(days, &y, &m, &d);
  char b[32];
  int n = 0;
  gint64 parts[]
      = { y, m, d, rem / MS_PER_HOUR, rem / MS_PER_MIN % 60, rem / MS_PER_S % 60, rem % 1000 };
  static const char seps[] = "--T::.";
  for (int i = 0; i < 7; i++) {
    int width = i == 0 ? 4 : i == 6 ? 3 : 2;
    gint64 v = parts[i];
    for (int k = width - 1; k >= 0; k--) {
      b[n + k] = (char)('0' + v % 10);
      v /= 10;
    }
    n += width;
    if (i < 6)
      b[n++] = seps[i];
  }
  if (zulu) {
    b[n++] = 'Z';
  } else {
    b[n++] = '+';
    b[n++] = '0';
    b[n++] = (char)('0' + off / 60);
    b[n++] = ':';
    b[n++] = '0';
    b[n++] = '0';
  }
  out_mem(o, b, (gsize)n);
}

/* ---- writers ---- */

static void
out_case_id(Out *o, guint32 idx)
{
  out_lit(o, "C");
  out_uint(o, idx + 1, 7);
}

static void
xes_header(Out *o, const Config *cfg)
{
  out_lit(o, "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n"
             "<!-- synthetic customer-service journeys written by cxgen -->\n"
             "<log xes.version=\"1.0\" xes.features=\"nested-attributes\" "
             "openxes.version=\"1.0RC7\" xmlns=\"http://www.xes-standard.org/\">\n"
             "\t<extension name=\"Lifecycle\" prefix=\"lifecycle\" "
             "uri=\"http://www.xes-standard.org/lifecycle.xesext\"/>\n"
             "\t<extension name=\"Organizational\" prefix=\"org\" "
             "uri=\"http://www.xes-standard.org/org.xesext\"/>\n"
             "\t<extension name=\"Time\" prefix=\"time\" "
             "uri=\"http://www.xes-standard.org/time.xesext\"/>\n"
             "\t<extension name=\"Concept\" prefix=\"concept\" "
             "uri=\"http://www.xes-standard.org/concept.xesext\"/>\n"
             "\t<global scope=\"trace\">\n"
             "\t\t<string key=\"concept:name\" value=\"__INVALID__\"/>\n"
             "\t</global>\n"
             "\t<global scope=\"event\">\n"
             "\t\t<string key=\"concept:name\" value=\"__INVALID__\"/>\n"
             "\t\t<string key=\"org:resource\" value=\"__INVALID__\"/>\n"
             "\t\t<string key=\"lifecycle:transition\" value=\"complete\"/>\n"
             "\t\t<date key=\"time:timestamp\" value=\"1970-01-01T00:00:00.000+00:00\"/>\n"
             "\t</global>\n"
             "\t<classifier name=\"Activity\" keys=\"concept:name\"/>\n"
             "\t<classifier name=\"Activity and transition\" "
             "keys=\"concept:name lifecycle:transition\"/>\n"
             "\t<string key=\"concept:name\" value=\"cxgen synthetic customer journeys\"/>\n");
  out_lit(o, "\t<string key=\"cxgen:seed\" value=\"");
  out_uint(o, cfg->seed, 1);
  out_lit(o, "\"/>\n");
}

static void
xes_event(Out *o, DstCache *dc, const Gen *g, const Step *s, gboolean start)
{
  out_lit(o, "\t\t<event>\n\t\t\t<string key=\"concept:name\" value=\"");
  out_str(o, act_names[s->act]);
  out_lit(o, "\"/>\n\t\t\t<string key=\"org:resource\" value=\"");
  out_str(o, g_ptr_array_index(g->res.names, s->res));
  out_lit(o, "\"/>\n\t\t\t<string key=\"channel\" value=\"");
  out_str(o, channel_names[s->chan]);
  if (start)
    out_lit(o, "\"/>\n\t\t\t<string key=\"lifecycle:transition\" value=\"start\"/>\n");
  else
    out_lit(o, "\"/>\n\t\t\t<string key=\"lifecycle:transition\" value=\"complete\"/>\n");
  out_lit(o, "\t\t\t<date key=\"time:timestamp\" value=\"");
  out_time(o, dc, start ? s->start_ms : s->end_ms, s->zulu);
  out_lit(o, "\"/>\n\t\t</event>\n");
}

static void
xes_trace(Out *o, DstCache *dc, const Gen *g)
{
  const Case *c = &g->c;
  out_lit(o, "\t<trace>\n\t\t<string key=\"concept:name\" value=\"");
  out_case_id(o, c->idx);
  out_lit(o, "\"/>\n\t\t<string key=\"segment\" value=\"");
  out_str(o, segment_names[c->segment]);
  out_lit(o, "\"/>\n\t\t<string key=\"region\" value=\"");
  out_str(o, region_names[c->region]);
  out_lit(o, "\"/>\n\t\t<string key=\"product\" value=\"");
  out_str(o, product_names[c->product]);
  out_lit(o, "\"/>\n");
  if (g->cfg->satisfaction) {
    out_lit(o, "\t\t<int key=\"csat\" value=\"");
    out_uint(o, (guint64)c->csat, 1);
    out_lit(o, "\"/>\n");
  }
  for (guint i = 0; i < c->steps->len; i++) {
    const Step *s = &g_array_index(c->steps, Step, i);
    if (s->service_ms > 0)
      xes_event(o, dc, g, s, TRUE);
    xes_event(o, dc, g, s, FALSE);
  }
  out_lit(o, "\t</trace>\n");
}

/* One CSV row per activity instance; with --lifecycle a start_timestamp
 * column is appended (empty for instantaneous steps). */
typedef struct {
  gint64 end_ms;
  gint64 start_ms;
  guint32 case_idx;
  guint16 res;
  guint8 act, chan, segment, zulu, has_start, seq;
  guint8 csat;
} Row;

static void
csv_header(Out *o, const Config *cfg)
{
  out_lit(o, "case_id,activity,timestamp,resource,channel,segment");
  if (cfg->lifecycle)
    out_lit(o, ",start_timestamp");
  if (cfg->satisfaction)
    out_lit(o, ",case:csat");
  out_lit(o, "\n");
}

static void
csv_row(Out *o, DstCache *dc, const Config *cfg, const Resources *res, const Row *r)
{
  out_case_id(o, r->case_idx);
  out_lit(o, ",");
  out_str(o, act_names[r->act]);
  out_lit(o, ",");
  out_time(o, dc, r->end_ms, r->zulu);
  out_lit(o, ",");
  out_str(o, g_ptr_array_index(res->names, r->res));
  out_lit(o, ",");
  out_str(o, channel_names[r->chan]);
  out_lit(o, ",");
  out_str(o, segment_names[r->segment]);
  if (cfg->lifecycle) {
    out_lit(o, ",");
    if (r->has_start)
      out_time(o, dc, r->start_ms, r->zulu);
  }
  if (cfg->satisfaction) {
    out_lit(o, ",");
    out_uint(o, r->csat, 1);
  }
  out_lit(o, "\n");
}

static int
row_cmp(const void *pa, const void *pb)
{
  const Row *a = pa, *b = pb;
  if (a->end_ms != b->end_ms)
    return a->end_ms < b->end_ms ? -1 : 1;
  if (a->case_idx != b->case_idx)
    return a->case_idx < b->case_idx ? -1 : 1;
  return (int)a->seq - (int)b->seq;
}

/* ---- ground truth, recounted from the generated cases ---- */

typedef struct {
  gint64 cases, events, instances, closed, success;
  gint64 count[N_PLANT];
  gint64 bottleneck_edge_cases;
  gint64 inconsistency_edge_cases;
  gint64 rework_self_loop;
  gint64 repeated[N_ACT]; /* cases repeating each activity */
  gint64 pingpong_trips;
  gint64 act_cases[N_ACT];
  gint64 max_events_baseline_like;
  guint32 edge_cases[N_ACT][N_ACT];
  gboolean bridged[N_ACT][N_ACT];
  GArray *edge_waits[N_ACT][N_ACT]; /* double seconds, only for the truth */
  gint64 bottleneck_min_ms, inconsistency_min_ms;
  gint64 csat_sum, csat_cases;
} Truth;

static void
truth_case(Truth *t, const Case *c)
{
  const Step *st = (const Step *)c->steps->data;
  guint n = c->steps->len;
  guint8 occ[N_ACT] = { 0 };
  gboolean seen_edge[N_ACT][N_ACT];
  memset(seen_edge, 0, sizeof seen_edge);
  gboolean pingpong = FALSE, bottleneck = FALSE, inconsistent = FALSE, self_loop = FALSE;
  gboolean has_b_edge = FALSE, has_i_edge = FALSE;
  guint switches = 0;
  guint16 resources[64];
  guint nres = 0;
  t->cases++;
  for (guint i = 0; i < n; i++) {
    t->instances++;
    t->events += st[i].service_ms > 0 ? 2 : 1;
    occ[st[i].act] = (guint8)MIN(occ[st[i].act] + 1, 255);
    gboolean known = FALSE;
    for (guint k = 0; k < nres; k++)
      known |= resources[k] == st[i].res;
    if (!known && nres < G_N_ELEMENTS(resources))
      resources[nres++] = st[i].res;
    if (i == 0)
      continue;
    int a = st[i - 1].act, b = st[i].act;
    gint64 wait = st[i].start_ms - st[i - 1].end_ms;
    if (!seen_edge[a][b]) {
      seen_edge[a][b] = TRUE;
      t->edge_cases[a][b]++;
    }
    if (st[i].bridged)
      t->bridged[a][b] = TRUE;
    if (t->edge_waits[a][b] == NULL)
      t->edge_waits[a][b] = g_array_new(FALSE, FALSE, sizeof(double));
    double w = (double)wait / 1000.0;
    g_array_append_val(t->edge_waits[a][b], w);
    if (a == b && a == A_INVESTIGATE)
      self_loop = TRUE;
    if (st[i].chan != st[i - 1].chan)
      switches++;
    if (a == BOTTLENECK_FROM && b == BOTTLENECK_TO) {
      has_b_edge = TRUE;
      bottleneck |= wait >= t->bottleneck_min_ms;
    }
    if (a == INCONSISTENCY_FROM && b == INCONSISTENCY_TO) {
      has_i_edge = TRUE;
      inconsistent |= wait >= t->inconsistency_min_ms;
    }
    if (i >= 2 && st[i - 2].act == b && a != b
        && ((a == A_DOC && b == A_MOREINFO) || (a == A_MOREINFO && b == A_DOC))) {
      pingpong = TRUE;
      if (b == A_DOC)
        t->pingpong_trips++;
    }
  }
  for (int a = 0; a < N_ACT; a++) {
    if (occ[a] > 0)
      t->act_cases[a]++;
    if (occ[a] > 1)
      t->repeated[a]++;
  }
  gboolean closed = n > 0 && st[n - 1].act == A_CLOSE;
  gboolean negative = occ[A_COMPLAINT] > 0 || occ[A_ESCALATE] > 0;
  t->closed += closed;
  t->success += closed && !negative;
  t->count[P_BOTTLENECK] += bottleneck;
  t->bottleneck_edge_cases += has_b_edge;
  t->count[P_REWORK] += occ[A_INVESTIGATE] > 1;
  t->rework_self_loop += self_loop;
  t->count[P_PINGPONG] += pingpong;
  t->count[P_DROPOFF] += !closed;
  t->count[P_CHANNEL_SWITCH] += switches >= 3;
  t->count[P_NEGATIVE] += negative;
  t->count[P_EFFORT] += nres >= EFFORT_MIN_RESOURCES;
  t->count[P_INCONSISTENCY] += inconsistent;
  t->inconsistency_edge_cases += has_i_edge;
  t->count[P_LOOP] += occ[A_UPLOAD] > 0;
  t->count[P_REPEAT_CONTACT] += occ[A_SUBMIT] > 1;
  t->count[P_HANDOFF] += occ[A_BACKOFFICE] > 0;
  t->count[P_DRIFT] += c->plant[P_DRIFT] && occ[A_PROPOSE] > 0;
  t->count[P_ABANDON] += n > 0 && (st[n - 1].act == A_SUBMIT || st[n - 1].act == A_ACK);
  if (c->csat > 0) {
    t->csat_sum += c->csat;
    t->csat_cases++;
  }
}

static int
double_cmp(const void *pa, const void *pb)
{
  double a = *(const double *)pa, b = *(const double *)pb;
  return a < b ? -1 : a > b;
}

/* Linear interpolation between order statistics (numpy's default). */
static double
quantile(GArray *v, double q)
{
  if (v == NULL || v->len == 0)
    return 0;
  qsort(v->data, v->len, sizeof(double), double_cmp);
  double pos = q * (double)(v->len - 1);
  guint lo = (guint)floor(pos);
  guint hi = MIN(lo + 1, v->len - 1);
  double *d = (double *)v->data;
  return d[lo] + (d[hi] - d[lo]) * (pos - (double)lo);
}

static void
json_num(GString *s, double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  if (v == floor(v) && fabs(v) < 1e15)
    g_string_append_printf(s, "%" G_GINT64_FORMAT, (gint64)v);
  else
    g_string_append(s, g_ascii_formatd(buf, sizeof buf, "%.4f", v));
}

static void
json_edge(GString *s, int a, int b)
{
  g_string_append_printf(s, "[\"%s\", \"%s\"]", act_names[a], act_names[b]);
}

/* The changes with a known meaning for compare, in the truth's "changes". */
static void
truth_meaning_changes(GString *s, const Config *cfg, gboolean *first)
{
  if (cfg->success_rarer > 0) {
    g_string_append_printf(s,
                           "%s    {\"kind\": \"success-rarer\", \"activities\": [\"%s\"], "
                           "\"stopped_after\": \"%s\", \"fraction\": ",
                           *first ? "\n" : ",\n", act_names[A_CLOSE], act_names[A_PROPOSE]);
    json_num(s, cfg->success_rarer);
    g_string_append(s, "}");
    *first = FALSE;
  }
  if (cfg->neutral_more > 0) {
    g_string_append_printf(s,
                           "%s    {\"kind\": \"neutral-more\", \"activities\": [\"%s\"], "
                           "\"share_before\": ",
                           *first ? "\n" : ",\n", act_names[A_CALL]);
    json_num(s, 0.35);
    g_string_append(s, ", \"share_after\": ");
    json_num(s, MIN(1.0, 0.35 * cfg->neutral_more));
    g_string_append(s, "}");
    *first = FALSE;
  }
  if (cfg->wait_shift > 0) {
    g_string_append_printf(s,
                           "%s    {\"kind\": \"wait-shift\", \"activities\": [\"%s\"], "
                           "\"factor\": ",
                           *first ? "\n" : ",\n", act_names[A_PROPOSE]);
    json_num(s, cfg->wait_shift);
    g_string_append(s, "}");
    *first = FALSE;
  }
}

static char *
truth_json(Truth *t, const Config *cfg)
{
  GString *s = g_string_new("{\n");
  g_string_append_printf(s, "  \"generator\": \"cxgen\",\n  \"seed\": %u,\n", cfg->seed);
  g_string_append_printf(s, "  \"cases\": %" G_GINT64_FORMAT ",\n", t->cases);
  g_string_append_printf(s, "  \"events\": %" G_GINT64_FORMAT ",\n", t->events);
  g_string_append_printf(s, "  \"instances\": %" G_GINT64_FORMAT ",\n", t->instances);
  g_string_append_printf(s, "  \"lifecycle\": %s,\n", cfg->lifecycle ? "true" : "false");
  g_string_append(s, "  \"end_activity\": \"Close\",\n");
  g_string_append_printf(s, "  \"closed_cases\": %" G_GINT64_FORMAT ",\n", t->closed);
  g_string_append_printf(s, "  \"success_cases\": %" G_GINT64_FORMAT ",\n", t->success);
  if (cfg->satisfaction) {
    g_string_append(s, "  \"csat_mean\": ");
    json_num(s, t->csat_cases > 0 ? (double)t->csat_sum / (double)t->csat_cases : 0);
    g_string_append(s, ",\n");
  }
  g_string_append(s, "  \"planted\": [");
  gboolean first = TRUE;
  for (int p = 0; p < N_PLANT; p++) {
    if (!cfg->planted[p])
      continue;
    g_string_append(s, first ? "\n    " : ",\n    ");
    first = FALSE;
    g_string_append_printf(s, "{\"kind\": \"%s\", ", plant_names[p]);
    switch (p) {
      case P_BOTTLENECK: {
        g_string_append(s, "\"edge\": ");
        json_edge(s, BOTTLENECK_FROM, BOTTLENECK_TO);
        g_string_append_printf(s, ", \"cases\": %" G_GINT64_FORMAT, t->count[p]);
        g_string_append_printf(s, ", \"cases_with_edge\": %" G_GINT64_FORMAT,
                               t->bottleneck_edge_cases);
        g_string_append(s, ", \"min_wait_s\": ");
        json_num(s, (double)t->bottleneck_min_ms / 1000.0);
        g_string_append(s, ", \"median_wait_s\": ");
        json_num(s, quantile(t->edge_waits[BOTTLENECK_FROM][BOTTLENECK_TO], 0.5));
        GArray *others = g_array_new(FALSE, FALSE, sizeof(double));
        for (int a = 0; a < N_ACT; a++)
          for (int b = 0; b < N_ACT; b++)
            if (t->edge_waits[a][b] && !(a == BOTTLENECK_FROM && b == BOTTLENECK_TO))
              g_array_append_vals(others, t->edge_waits[a][b]->data, t->edge_waits[a][b]->len);
        g_string_append(s, ", \"median_wait_other_edges_s\": ");
        json_num(s, quantile(others, 0.5));
        g_array_unref(others);
        break;
      }
      case P_REWORK:
        g_string_append_printf(s,
                               "\"activities\": [\"Investigate\"], \"cases\": %" G_GINT64_FORMAT
                               ", \"self_loop_cases\": %" G_GINT64_FORMAT,
                               t->count[p], t->rework_self_loop);
        g_string_append(s, ", \"repeated\": {");
        for (int a = 0, n = 0; a < N_ACT; a++)
          if (t->repeated[a] > 0)
            g_string_append_printf(s, "%s\"%s\": %" G_GINT64_FORMAT, n++ ? ", " : "", act_names[a],
                                   t->repeated[a]);
        g_string_append(s, "}");
        break;
      case P_PINGPONG:
        g_string_append_printf(s,
                               "\"activities\": [\"Document check\", \"Request more info\"], "
                               "\"cases\": %" G_GINT64_FORMAT
                               ", \"round_trips\": %" G_GINT64_FORMAT,
                               t->count[p], t->pingpong_trips);
        break;
      case P_DROPOFF:
        g_string_append_printf(s,
                               "\"activities\": [\"Request info\"], \"cases\": %" G_GINT64_FORMAT
                               ", \"definition\": \"last activity is not Close\"",
                               t->count[p]);
        break;
      case P_CHANNEL_SWITCH:
        g_string_append_printf(
            s, "\"cases\": %" G_GINT64_FORMAT ", \"min_switches\": 3, \"attribute\": \"channel\"",
            t->count[p]);
        break;
      case P_NEGATIVE:
        g_string_append_printf(s,
                               "\"activities\": [\"Complaint received\", \"Escalate to 2nd line\"]"
                               ", \"after\": \"Assign agent\", \"cases\": %" G_GINT64_FORMAT
                               ", \"complaint_cases\": %" G_GINT64_FORMAT
                               ", \"escalation_cases\": %" G_GINT64_FORMAT,
                               t->count[p], t->act_cases[A_COMPLAINT], t->act_cases[A_ESCALATE]);
        break;
      case P_EFFORT:
        g_string_append_printf(s, "\"cases\": %" G_GINT64_FORMAT ", \"min_resources\": %d",
                               t->count[p], EFFORT_MIN_RESOURCES);
        break;
      case P_INCONSISTENCY: {
        GArray *v = t->edge_waits[INCONSISTENCY_FROM][INCONSISTENCY_TO];
        double med = quantile(v, 0.5), p90 = quantile(v, 0.9);
        g_string_append(s, "\"edge\": ");
        json_edge(s, INCONSISTENCY_FROM, INCONSISTENCY_TO);
        g_string_append_printf(s, ", \"cases\": %" G_GINT64_FORMAT, t->count[p]);
        g_string_append_printf(s, ", \"cases_with_edge\": %" G_GINT64_FORMAT,
                               t->inconsistency_edge_cases);
        g_string_append(s, ", \"min_wait_s\": ");
        json_num(s, (double)t->inconsistency_min_ms / 1000.0);
        g_string_append(s, ", \"median_wait_s\": ");
        json_num(s, med);
        g_string_append(s, ", \"p90_wait_s\": ");
        json_num(s, p90);
        g_string_append(s, ", \"p90_over_median\": ");
        json_num(s, med > 0 ? p90 / med : 0);
        break;
      }
      case P_LOOP:
        g_string_append_printf(
            s,
            "\"activities\": [\"Document check\", \"Request more info\", "
            "\"Upload documents\"], \"detour\": \"%s\", \"cases\": %" G_GINT64_FORMAT,
            act_names[A_EFFORT0 + 6], t->count[p]);
        break;
      case P_REPEAT_CONTACT:
        g_string_append_printf(s,
                               "\"activities\": [\"Submit request\"], \"cases\": %" G_GINT64_FORMAT
                               ", \"within_days\": 2",
                               t->count[p]);
        break;
      case P_HANDOFF:
        g_string_append_printf(
            s,
            "\"activities\": [\"Back office review\", \"Send confirmation\"], "
            "\"channels\": [\"back office\", \"email\"], \"cases\": %" G_GINT64_FORMAT,
            t->count[p]);
        break;
      case P_DRIFT:
        g_string_append_printf(s,
                               "\"activities\": [\"Propose solution\"], \"measure\": \"wait\", "
                               "\"factor\": %g, \"cases\": %" G_GINT64_FORMAT,
                               DRIFT_FACTOR, t->count[p]);
        break;
      case P_ABANDON:
        g_string_append_printf(s, "\"after\": \"Submit request\", \"cases\": %" G_GINT64_FORMAT,
                               t->count[p]);
        break;
      default:
        g_assert_not_reached();
    }
    g_string_append_printf(s, ", \"fraction\": ");
    json_num(s, cfg->fraction[p]);
    g_string_append(s, "}");
  }
  g_string_append(s, first ? "],\n" : "\n  ],\n");

  /* changes, for before/after comparisons */
  g_string_append(s, "  \"changes\": [");
  first = TRUE;
  if (cfg->wait_cut > 0) {
    g_string_append(s, "\n    {\"kind\": \"wait-cut\", \"edges\": [");
    json_edge(s, BOTTLENECK_FROM, BOTTLENECK_TO);
    g_string_append(s, "], \"divisor\": ");
    json_num(s, cfg->wait_cut);
    g_string_append(s, "}");
    first = FALSE;
  }
  if (cfg->loop_rarer > 0) {
    g_string_append_printf(s, "%s    {\"kind\": \"loop-rarer\", \"loops\": [",
                           first ? "\n" : ",\n");
    const char *sep = "";
    if (cfg->planted[P_REWORK]) {
      g_string_append(s, "{\"kind\": \"rework\", \"fraction_before\": ");
      json_num(s, cfg->loop_fraction[0]);
      g_string_append(s, ", \"fraction_after\": ");
      json_num(s, cfg->fraction[P_REWORK]);
      g_string_append(s, "}");
      sep = ", ";
    }
    if (cfg->planted[P_PINGPONG]) {
      g_string_append_printf(s, "%s{\"kind\": \"pingpong\", \"fraction_before\": ", sep);
      json_num(s, cfg->loop_fraction[1]);
      g_string_append(s, ", \"fraction_after\": ");
      json_num(s, cfg->fraction[P_PINGPONG]);
      g_string_append(s, "}");
    }
    g_string_append(s, "], \"divisor\": ");
    json_num(s, cfg->loop_rarer);
    g_string_append(s, "}");
    first = FALSE;
  }
  if (cfg->removed >= 0) {
    g_string_append_printf(s,
                           "%s    {\"kind\": \"step-removed\", \"activities\": [\"%s\"], "
                           "\"new_edges\": [",
                           first ? "\n" : ",\n", act_names[cfg->removed]);
    const char *sep = "";
    for (int a = 0; a < N_ACT; a++)
      for (int b = 0; b < N_ACT; b++)
        if (t->bridged[a][b]) {
          g_string_append(s, sep);
          json_edge(s, a, b);
          sep = ", ";
        }
    g_string_append(s, "]}");
    first = FALSE;
  }
  truth_meaning_changes(s, cfg, &first);
  g_string_append(s, first ? "],\n" : "\n  ],\n");

  g_string_append(s, "  \"untouched_edges\": [");
  first = TRUE;
  for (int a = 0; a < N_ACT; a++)
    for (int b = 0; b < N_ACT; b++) {
      if (t->edge_cases[a][b] == 0 || t->bridged[a][b])
        continue;
      if (cfg->wait_cut > 0 && a == BOTTLENECK_FROM && b == BOTTLENECK_TO)
        continue;
      g_string_append(s, first ? "\n    " : ",\n    ");
      first = FALSE;
      json_edge(s, a, b);
    }
  g_string_append(s, first ? "]\n}\n" : "\n  ]\n}\n");
  return g_string_free(s, FALSE);
}

/* ---- option parsing ---- */

static gboolean
parse_fraction(const char *s, double *out, GError **error)
{
  char *end = NULL;
  double v = g_ascii_strtod(s, &end);
  if (end == s || *end != '\0' || !(v > 0)) {
    g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "bad number '%s'", s);
    return FALSE;
  }
  *out = v;
  return TRUE;
}

/* Parses the changes with a known meaning for compare; *known is FALSE when
 * @kind is none of them. */
static gboolean
parse_meaning_change(Config *cfg, const char *kind, const char *amount, gboolean *known,
                     GError **error)
{
  double *slot = NULL, def = 0;
  *known = TRUE;
  if (g_strcmp0(kind, "success-rarer") == 0) {
    slot = &cfg->success_rarer;
    def = 0.15;
  } else if (g_strcmp0(kind, "neutral-more") == 0) {
    slot = &cfg->neutral_more;
    def = 1.5;
  } else if (g_strcmp0(kind, "wait-shift") == 0) {
    slot = &cfg->wait_shift;
    def = 1.05;
  } else {
    *known = FALSE;
    return FALSE;
  }
  *slot = def;
  if (amount && !parse_fraction(amount, slot, error))
    return FALSE;
  if (slot == &cfg->success_rarer && *slot > 1) {
    g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "success-rarer: a share up to 1");
    return FALSE;
  }
  return TRUE;
}

static gboolean
parse_plants(Config *cfg, char **plants, GError **error)
{
  for (char **p = plants; p && *p; p++) {
    g_auto(GStrv) kv = g_strsplit(*p, ":", 2);
    int kind = -1;
    for (int k = 0; k < N_PLANT; k++)
      if (g_strcmp0(kv[0], plant_names[k]) == 0)
        kind = k;
    if (kind < 0) {
      g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "unknown friction kind '%s'",
                  kv[0]);
      return FALSE;
    }
    cfg->planted[kind] = TRUE;
    cfg->fraction[kind] = plant_default_fraction[kind];
    if (kv[1] && !parse_fraction(kv[1], &cfg->fraction[kind], error))
      return FALSE;
    if (cfg->fraction[kind] > 1) {
      g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "fraction above 1 in '%s'", *p);
      return FALSE;
    }
  }
  return TRUE;
}

static gboolean
parse_changes(Config *cfg, char **changes, GError **error)
{
  for (char **p = changes; p && *p; p++) {
    g_auto(GStrv) kv = g_strsplit(*p, ":", 2);
    if (g_strcmp0(kv[0], "wait-cut") == 0) {
      cfg->wait_cut = 4;
      if (kv[1] && !parse_fraction(kv[1], &cfg->wait_cut, error))
        return FALSE;
    } else if (g_strcmp0(kv[0], "loop-rarer") == 0) {
      cfg->loop_rarer = 4;
      if (kv[1] && !parse_fraction(kv[1], &cfg->loop_rarer, error))
        return FALSE;
    } else if (g_strcmp0(kv[0], "step-removed") == 0) {
      const char *name = kv[1] ? kv[1] : "Classify";
      cfg->removed = -1;
      for (int a = 0; a < N_ACT; a++)
        if (g_strcmp0(name, act_names[a]) == 0)
          cfg->removed = a;
      if (cfg->removed < 0 || cfg->removed == A_SUBMIT || cfg->removed == A_CLOSE) {
        g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "cannot remove activity '%s'",
                    name);
        return FALSE;
      }
    } else {
      gboolean known;
      if (parse_meaning_change(cfg, kv[0], kv[1], &known, error))
        continue;
      if (!known)
        g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "unknown change '%s'", kv[0]);
      return FALSE;
    }
  }
  if (cfg->loop_rarer > 0) {
    if (!cfg->planted[P_REWORK] && !cfg->planted[P_PINGPONG]) {
      g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                  "loop-rarer needs --plant rework or --plant pingpong");
      return FALSE;
    }
    cfg->loop_fraction[0] = cfg->fraction[P_REWORK];
    cfg->loop_fraction[1] = cfg->fraction[P_PINGPONG];
    cfg->fraction[P_REWORK] /= cfg->loop_rarer;
    cfg->fraction[P_PINGPONG] /= cfg->loop_rarer;
  }
  return TRUE;
}

static gboolean
parse_start(const char *s, gint64 *out_ms, GError **error)
{
  g_autofree char *full = strlen(s) == 10 ? g_strconcat(s, "T00:00:00Z", NULL) : g_strdup(s);
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc();
  g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601(full, utc);
  if (dt == NULL) {
    g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "bad --start date '%s'", s);
    return FALSE;
  }
  *out_ms = g_date_time_to_unix(dt) * MS_PER_S + g_date_time_get_microsecond(dt) / 1000;
  return TRUE;
}

/* ---- driver ---- */

static gint64
arrival(const Config *cfg, gint64 cases, guint32 i, GRand *r)
{
  double span = cfg->span_days * (double)MS_PER_DAY;
  return cfg->start_ms + (gint64)(span * ((double)i + g_rand_double(r)) / (double)cases);
}

static void
gen_init(Gen *g, const Config *cfg)
{
  g->cfg = cfg;
  resources_init(&g->res, cfg->seed);
  g->rand = g_rand_new_with_seed(cfg->seed);
  g->rand2 = g_rand_new_with_seed(cfg->seed ^ 0x2bd1u);
  g->c.steps = g_array_sized_new(FALSE, FALSE, sizeof(Step), 64);
}

static void
gen_clear(Gen *g)
{
  g_ptr_array_unref(g->res.names);
  g_rand_free(g->rand);
  g_rand_free(g->rand2);
  g_array_unref(g->c.steps);
}

/* Estimates the number of cases for an --events target from a pilot run. */
static gint64
cases_for_events(const Config *cfg)
{
  Gen g;
  gen_init(&g, cfg);
  gint64 events = 0;
  const guint32 pilot = 4000;
  for (guint32 i = 0; i < pilot; i++) {
    generate_case(&g, i, 0);
    for (guint k = 0; k < g.c.steps->len; k++)
      events += g_array_index(g.c.steps, Step, k).service_ms > 0 ? 2 : 1;
  }
  gen_clear(&g);
  return MAX(1, (gint64)llround((double)cfg->events * pilot / (double)events));
}

int
main(int argc, char **argv)
{
  Config cfg = { 0 };
  gint64 cases = 0, events = 0, first_case = 1;
  int seed = 1;
  g_autofree char *format = NULL, *output = NULL, *csv_order = NULL, *start = NULL, *truth = NULL;
  g_auto(GStrv) plants = NULL;
  g_auto(GStrv) changes = NULL;
  gboolean gzip = FALSE, lifecycle = FALSE, satisfaction = FALSE;
  double span = 365;
  GOptionEntry entries[] = {
    { "cases", 'n', 0, G_OPTION_ARG_INT64, &cases, "Number of cases (default 1000)", "N" },
    { "events", 'e', 0, G_OPTION_ARG_INT64, &events, "Approximate number of events instead", "N" },
    { "seed", 's', 0, G_OPTION_ARG_INT, &seed, "Random seed (default 1)", "S" },
    { "first-case", 0, 0, G_OPTION_ARG_INT64, &first_case,
      "Number the cases from N (default 1); a case's content depends on the seed and its "
      "number, so runs over consecutive ranges are pieces of one log with distinct case ids",
      "N" },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format, "Output format (default xes)", "xes|csv" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      "Output file; '-' = stdout (default); a .gz suffix writes gzip", "FILE" },
    { "gzip", 'z', 0, G_OPTION_ARG_NONE, &gzip, "Write gzip", NULL },
    { "csv-order", 0, 0, G_OPTION_ARG_STRING, &csv_order,
      "CSV row order: by timestamp across cases (default) or case by case", "time|case" },
    { "start", 0, 0, G_OPTION_ARG_STRING, &start,
      "First case arrival, ISO date or date-time (default 2024-01-08T08:00:00+01:00)", "DATE" },
    { "span", 0, 0, G_OPTION_ARG_DOUBLE, &span, "Case arrivals spread over DAYS (default 365)",
      "DAYS" },
    { "lifecycle", 'l', 0, G_OPTION_ARG_NONE, &lifecycle,
      "Emit start and complete events for worked steps", NULL },
    { "plant", 'p', 0, G_OPTION_ARG_STRING_ARRAY, &plants,
      "Plant a friction in FRACTION of the cases (repeatable): bottleneck, rework, pingpong, "
      "dropoff, channel_switch, negative, effort, inconsistency, loop, repeat_contact, handoff, "
      "drift, abandon",
      "KIND[:FRACTION]" },
    { "change", 'c', 0, G_OPTION_ARG_STRING_ARRAY, &changes,
      "Apply a change for before/after pairs (repeatable): wait-cut[:DIVISOR], "
      "loop-rarer[:DIVISOR], step-removed[:ACTIVITY], success-rarer[:SHARE] (journeys stop "
      "before their successful end), neutral-more[:FACTOR] (more 'Call customer'), "
      "wait-shift[:FACTOR] (waits before 'Propose solution')",
      "KIND[:AMOUNT]" },
    { "satisfaction", 0, 0, G_OPTION_ARG_NONE, &satisfaction,
      "Give each case a satisfaction score 1..5 (trace attribute / CSV column case:csat), lower "
      "where it met a loop, a ping-pong, a repeat contact, a drop-off or a complaint",
      NULL },
    { "truth", 't', 0, G_OPTION_ARG_FILENAME, &truth, "Write the ground truth JSON to FILE",
      "FILE" },
    { NULL }
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new("- generate synthetic customer journeys");
  g_option_context_add_main_entries(ctx, entries, NULL);
  g_option_context_set_description(
      ctx, "Examples:\n"
           "  cxgen --cases 200 --seed 7 -o small.xes\n"
           "  cxgen --events 1200000 --format csv -o big.csv\n"
           "  cxgen --plant rework:0.3 --plant bottleneck --truth truth.json -o log.xes.gz\n"
           "  cxgen --seed 2 --change wait-cut:4 --truth after.json -o after.xes\n"
           "  cxgen --cases 500000 --first-case 500001 -o piece-2.xes.gz   # a second piece\n");
  g_autoptr(GError) error = NULL;
  if (!g_option_context_parse(ctx, &argc, &argv, &error)) {
    fprintf(stderr, "cxgen: %s\n", error->message);
    return 2;
  }
  if (argc > 1) {
    fprintf(stderr, "cxgen: unexpected argument '%s'\n", argv[1]);
    return 2;
  }
  cfg.seed = (guint32)seed;
  cfg.removed = -1;
  cfg.xes = format == NULL || g_strcmp0(format, "xes") == 0;
  if (!cfg.xes && g_strcmp0(format, "csv") != 0) {
    fprintf(stderr, "cxgen: unknown format '%s'\n", format);
    return 2;
  }
  cfg.csv_by_time = csv_order == NULL || g_strcmp0(csv_order, "time") == 0;
  if (!cfg.csv_by_time && g_strcmp0(csv_order, "case") != 0) {
    fprintf(stderr, "cxgen: unknown --csv-order '%s'\n", csv_order);
    return 2;
  }
  cfg.output = output ? output : "-";
  cfg.gzip = gzip || g_str_has_suffix(cfg.output, ".gz");
  cfg.lifecycle = lifecycle;
  cfg.satisfaction = satisfaction;
  cfg.span_days = span;
  cfg.truth = truth;
  if (span <= 0) {
    fprintf(stderr, "cxgen: --span must be positive\n");
    return 2;
  }
  if (!parse_start(start ? start : "2024-01-08T08:00:00+01:00", &cfg.start_ms, &error)
      || !parse_plants(&cfg, plants, &error) || !parse_changes(&cfg, changes, &error)) {
    fprintf(stderr, "cxgen: %s\n", error->message);
    return 2;
  }
  cfg.events = events;
  if (cases < 0 || events < 0) {
    fprintf(stderr, "cxgen: counts must not be negative\n");
    return 2;
  }
  cfg.cases = cases > 0 ? cases : events > 0 ? cases_for_events(&cfg) : 1000;
  if (first_case < 1) {
    fprintf(stderr, "cxgen: --first-case must be at least 1\n");
    return 2;
  }
  cfg.first_case = first_case;
  if (cfg.cases > G_MAXUINT32 / 2 || first_case - 1 > G_MAXUINT32 / 2 - cfg.cases) {
    fprintf(stderr, "cxgen: too many cases\n");
    return 2;
  }

  Out o = { 0 };
  o.cap = 1 << 20;
  o.buf = g_malloc(o.cap);
  gboolean to_stdout = g_strcmp0(cfg.output, "-") == 0;
  if (cfg.gzip) {
    o.gz = to_stdout ? gzdopen(fileno(stdout), "wb6") : gzopen(cfg.output, "wb6");
    if (o.gz)
      gzbuffer(o.gz, 1 << 18);
  } else {
    o.fp = to_stdout ? stdout : fopen(cfg.output, "wb");
  }
  if (o.gz == NULL && o.fp == NULL) {
    fprintf(stderr, "cxgen: cannot write '%s': %s\n", cfg.output, g_strerror(errno));
    return 1;
  }

  Truth *t = g_new0(Truth, 1);
  /* the counting thresholds sit between the tight baseline waits (at most
   * 3x an edge's median) and the planted ones */
  t->bottleneck_min_ms = (gint64)(10.0 * TYPICAL_WAIT_MS / (cfg.wait_cut > 0 ? cfg.wait_cut : 1));
  t->inconsistency_min_ms = 4 * edge_median_ms(INCONSISTENCY_FROM, INCONSISTENCY_TO);

  Gen g;
  gen_init(&g, &cfg);
  DstCache dc = { .year = G_MININT64 };
  GRand *arrivals = g_rand_new_with_seed(cfg.seed ^ 0xa5a5a5a5u);
  GArray *rows = NULL;
  if (cfg.xes)
    xes_header(&o, &cfg);
  else
    csv_header(&o, &cfg);
  if (!cfg.xes && cfg.csv_by_time)
    rows = g_array_sized_new(FALSE, FALSE, sizeof(Row), (guint)MIN(cfg.cases * 12, 1 << 26));
  for (guint32 i = 0; i < (guint32)cfg.cases; i++) {
    guint32 idx = (guint32)(cfg.first_case - 1) + i;
    generate_case(&g, idx, arrival(&cfg, cfg.cases, i, arrivals));
    if (cfg.truth)
      truth_case(t, &g.c);
    if (cfg.xes) {
      xes_trace(&o, &dc, &g);
      continue;
    }
    for (guint k = 0; k < g.c.steps->len; k++) {
      const Step *s = &g_array_index(g.c.steps, Step, k);
      Row r = { s->end_ms,
                s->start_ms,
                idx,
                s->res,
                s->act,
                s->chan,
                g.c.segment,
                (guint8)s->zulu,
                s->service_ms > 0,
                (guint8)MIN(k, 255u),
                (guint8)g.c.csat };
      if (rows)
        g_array_append_val(rows, r);
      else
        csv_row(&o, &dc, &cfg, &g.res, &r);
    }
  }
  if (rows) {
    qsort(rows->data, rows->len, sizeof(Row), row_cmp);
    for (guint k = 0; k < rows->len; k++)
      csv_row(&o, &dc, &cfg, &g.res, &g_array_index(rows, Row, k));
    g_array_unref(rows);
  }
  if (cfg.xes)
    out_lit(&o, "</log>\n");
  out_flush(&o);
  int rc = 0;
  if (o.gz) {
    if (gzclose(o.gz) != Z_OK)
      o.failed = TRUE;
  } else if (to_stdout ? fflush(stdout) != 0 : fclose(o.fp) != 0) {
    o.failed = TRUE;
  }
  if (o.failed) {
    fprintf(stderr, "cxgen: write error on '%s'\n", cfg.output);
    rc = 1;
  }
  if (cfg.truth && rc == 0) {
    g_autofree char *json = truth_json(t, &cfg);
    if (!g_file_set_contents(cfg.truth, json, -1, &error)) {
      fprintf(stderr, "cxgen: %s\n", error->message);
      rc = 1;
    }
  }
  for (int a = 0; a < N_ACT; a++)
    for (int b = 0; b < N_ACT; b++)
      if (t->edge_waits[a][b])
        g_array_unref(t->edge_waits[a][b]);
  g_free(t);
  g_free(o.buf);
  g_rand_free(arrivals);
  gen_clear(&g);
  return rc;
}
