/* Friction's cycles: during the scan, each turn of a case back to an
 * activity is recorded as a cycle (its steps rotated so the smallest id is
 * first); at finish, a turn with a detour joins the cycle without it, the
 * same steps in another order are one cycle, and the roots with enough cases
 * are ping-pong and loop findings. */
#include "friction-private.h"

static guint64
seq_hash(const guint32 *ids, guint len)
{
  guint64 h = G_GUINT64_CONSTANT(1469598103934665603) ^ len;
  for (guint i = 0; i < len; i++)
    h = (h ^ ids[i]) * G_GUINT64_CONSTANT(1099511628211);
  return h;
}

/* Rotates @ids (@len) so the smallest id is first. */
static void
canonical(guint32 *ids, guint len)
{
  guint m = 0;
  for (guint i = 1; i < len; i++)
    if (ids[i] < ids[m])
      m = i;
  guint32 tmp[MAX_TURN];
  for (guint i = 0; i < len; i++)
    tmp[i] = ids[(m + i) % len];
  memcpy(ids, tmp, len * sizeof(guint32));
}

/* The index of the cycle of the canonical @ids, or -1 (with @add, a new one). */
static int
cycle_find(CxFriction *f, const guint32 *ids, guint len, gboolean add)
{
  guint64 h = seq_hash(ids, len);
  for (;;) {
    guint32 v = map_get(&f->cycle_map, h);
    if (v == 0)
      break;
    Cycle *cy = &g_array_index(f->cycles, Cycle, v - 1);
    if (cy->len == len && memcmp(cy->ids, ids, len * sizeof(guint32)) == 0)
      return (int)v - 1;
    h++; /* a hash collision: probe the next key */
  }
  if (!add)
    return -1;
  Cycle cy = { 0 };
  cy.len = len;
  memcpy(cy.ids, ids, len * sizeof(guint32));
  cy.cases = g_array_new(FALSE, FALSE, sizeof(guint32));
  cy.root = -1;
  g_array_append_val(f->cycles, cy);
  map_put(&f->cycle_map, h, f->cycles->len);
  return (int)f->cycles->len - 1;
}

/* A turn: ins[from..to-1] led back to ins[to]'s activity.  Returns the
 * cycle's index + 1, or REP_NONE when the turn repeats an activity or is too
 * long. */
guint32
cx_friction_record_turn(CxFriction *f, const CxEvent *ins, guint from, guint to, guint32 stamp)
{
  guint len = to - from;
  if (len < 2 || len > MAX_TURN)
    return REP_NONE;
  guint32 ids[MAX_TURN];
  for (guint i = 0; i < len; i++) {
    ids[i] = ins[from + i].activity;
    for (guint k = 0; k < i; k++)
      if (ids[k] == ids[i])
        return REP_NONE;
  }
  canonical(ids, len);
  int idx = cycle_find(f, ids, len, TRUE);
  Cycle *cy = &g_array_index(f->cycles, Cycle, idx);
  cy->turns++;
  if (cy->stamp != stamp) {
    cy->stamp = stamp;
    guint32 c = stamp - 1;
    g_array_append_val(cy->cases, c);
    /* the entry step: the member this case reached first */
    guint best = 0;
    guint32 best_pos = G_MAXUINT32;
    for (guint i = 0; i < len; i++) {
      guint32 p = g_array_index(f->acts, Act, cy->ids[i]).first_pos;
      if (p < best_pos) {
        best_pos = p;
        best = i;
      }
    }
    cy->votes[best]++;
  }
  return (guint32)idx + 1;
}

static int
cmp_cycle_len(gconstpointer a, gconstpointer b, gpointer data)
{
  const GArray *cycles = data;
  guint x = *(const guint *)a, y = *(const guint *)b;
  guint lx = g_array_index(cycles, Cycle, x).len, ly = g_array_index(cycles, Cycle, y).len;
  if (lx != ly)
    return lx < ly ? -1 : 1;
  return x < y ? -1 : x > y;
}

static int
cmp_guint32(gconstpointer a, gconstpointer b)
{
  guint32 x = *(const guint32 *)a, y = *(const guint32 *)b;
  return x < y ? -1 : x > y;
}

/* Each cycle's root: itself, or (a turn with one detour step belongs to the
 * cycle without it) the root of the cycle it is a detour of. */
static void
cycle_roots(CxFriction *f)
{
  guint nc = f->cycles->len;
  g_autoptr(GArray) by_len = g_array_sized_new(FALSE, FALSE, sizeof(guint), nc);
  for (guint i = 0; i < nc; i++)
    g_array_append_val(by_len, i);
  g_array_sort_with_data(by_len, cmp_cycle_len, f->cycles);
  for (guint k = 0; k < nc; k++) {
    guint i = g_array_index(by_len, guint, k);
    Cycle *cy = &g_array_index(f->cycles, Cycle, i);
    cy->root = (int)i;
    cy->reported = 0;
    if (cy->len < 4)
      continue;
    /* a detour: without one of its steps, the turn is a cycle of 3+ steps */
    guint best_cases = 0;
    for (guint d = 0; d < cy->len; d++) {
      guint32 ids[MAX_TURN];
      guint m = 0;
      for (guint x = 0; x < cy->len; x++)
        if (x != d)
          ids[m++] = cy->ids[x];
      canonical(ids, m);
      int j = cycle_find(f, ids, m, FALSE);
      if (j < 0)
        continue;
      cy = &g_array_index(f->cycles, Cycle, i);
      const Cycle *base = &g_array_index(f->cycles, Cycle, j);
      const Cycle *rt = &g_array_index(f->cycles, Cycle, base->root);
      if (base->root >= 0 && rt->len + CX_FRICTION_LOOP_DETOURS >= cy->len
          && rt->cases->len > best_cases) {
        best_cases = rt->cases->len;
        cy->root = base->root;
      }
    }
  }
}

/* The same steps in another order (a panel of tests taken in any order) are
 * one cycle: the roots with one set of steps join the one with the most
 * cases. */
static void
join_orders(CxFriction *f)
{
  guint nc = f->cycles->len;
  for (guint i = 0; i < nc; i++) {
    Cycle *cy = &g_array_index(f->cycles, Cycle, i);
    if (cy->root != (int)i || cy->len < 3)
      continue;
    guint32 a[MAX_TURN];
    memcpy(a, cy->ids, cy->len * sizeof(guint32));
    qsort(a, cy->len, sizeof(guint32), cmp_guint32);
    for (guint j = 0; j < i; j++) {
      Cycle *other = &g_array_index(f->cycles, Cycle, j);
      if (other->root != (int)j || other->len != cy->len)
        continue;
      guint32 b[MAX_TURN];
      memcpy(b, other->ids, other->len * sizeof(guint32));
      qsort(b, other->len, sizeof(guint32), cmp_guint32);
      if (memcmp(a, b, cy->len * sizeof(guint32)) != 0)
        continue;
      int keep = other->cases->len >= cy->cases->len ? (int)j : (int)i;
      int gone = keep == (int)i ? (int)j : (int)i;
      for (guint k = 0; k < nc; k++)
        if (g_array_index(f->cycles, Cycle, k).root == gone)
          g_array_index(f->cycles, Cycle, k).root = keep;
      break;
    }
  }
}

/* Gathers the cases, turns and entry votes of root @i and reports it when
 * it has enough cases. */
static void
report_root(CxFriction *f, CxPool *acts, guint i)
{
  guint nc = f->cycles->len;
  Cycle *cy = &g_array_index(f->cycles, Cycle, i);
  f->gen++;
  guint32 *mark = (guint32 *)f->mark->data;
  g_autoptr(GArray) L = g_array_new(FALSE, FALSE, sizeof(guint32));
  guint64 turns = 0, votes[MAX_TURN] = { 0 };
  for (guint j = 0; j < nc; j++) {
    const Cycle *ch = &g_array_index(f->cycles, Cycle, j);
    if (ch->root != (int)i)
      continue;
    turns += ch->turns;
    for (guint k = 0; k < ch->cases->len; k++) {
      guint32 c = g_array_index(ch->cases, guint32, k);
      if (mark[c] != f->gen) {
        mark[c] = f->gen;
        g_array_append_val(L, c);
      }
    }
    for (guint k = 0; k < ch->len; k++)
      for (guint x = 0; x < cy->len; x++)
        if (cy->ids[x] == ch->ids[k])
          votes[x] += ch->votes[k];
  }
  if (!cx_friction_enough(f, L->len))
    return;
  g_array_sort(L, cmp_guint32);
  guint entry = 0;
  for (guint x = 1; x < cy->len; x++)
    if (votes[x] > votes[entry])
      entry = x;
  guint32 first = cy->ids[entry];
  guint len = cy->len;
  guint32 ids[MAX_TURN];
  for (guint x = 0; x < len; x++)
    ids[x] = cy->ids[(entry + x) % len];
  cy->reported = 1;
  g_autoptr(GArray) reached = cx_friction_act_cases(f, first);
  CxFinding *fd = cx_friction_push(f, len == 2 ? CX_FINDING_PINGPONG : CX_FINDING_LOOP, acts, ids,
                                   len, L, reached);
  fd->occurrences = turns;
}

/* Finds each cycle's root and reports the roots with enough cases. */
void
cx_friction_find_cycles(CxFriction *f, CxPool *acts)
{
  if (f->cycles->len == 0)
    return;
  cycle_roots(f);
  join_orders(f);
  for (guint i = 0; i < f->cycles->len; i++) {
    const Cycle *cy = &g_array_index(f->cycles, Cycle, i);
    if (cy->root == (int)i && cy->len <= CX_FRICTION_MAX_LOOP)
      report_root(f, acts, i);
  }
}

/* A repeat a reported cycle explains. */
gboolean
cx_friction_rep_in_cycle(CxFriction *f, const Rep *rep)
{
  if (rep->cycle == REP_NONE)
    return FALSE;
  const Cycle *cy = &g_array_index(f->cycles, Cycle, rep->cycle - 1);
  return cy->root >= 0 && g_array_index(f->cycles, Cycle, cy->root).reported;
}
