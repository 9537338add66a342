/* The XES reader's header: <global> defaults, <classifier>s, and the slots
 * that say which attribute keys fill which event field. */
#include "xes-private.h"

void
cx_xes_global_free(gpointer p)
{
  Global *g = p;
  g_free(g->key);
  g_free(g->value);
  g_free(g);
}

void
cx_xes_classifier_free(gpointer p)
{
  Classifier *c = p;
  g_free(c->name);
  g_free(c->keys);
  g_free(c);
}

static void
add_slot(CxXesReader *r, const char *key, gsize len, Role role)
{
  Slot *s = &r->slots[r->n_slots++];
  s->key = g_strndup(key, len);
  s->key_len = len;
  if (len <= MAX_KEY_LEN)
    r->slots_by_len[len] |= 1u << (r->n_slots - 1);
  if (memchr(key, '&', len) != NULL)
    r->slot_amp = TRUE;
  s->head = cx_xes_word_at(s->key, len, 0);
  s->tail = cx_xes_word_at(s->key, len, len > 8 ? len - 8 : 0);
  s->role = role;
  s->def = NULL;
  s->def_len = 0;
  for (guint i = 0; i < r->globals->len; i++) {
    const Global *g = g_ptr_array_index(r->globals, i);
    if (!g->trace_scope && g->key_len == len && memcmp(g->key, key, len) == 0) {
      s->def = g->value;
      s->def_len = g->value_len;
      break;
    }
  }
}

/* Splits classifier keys: space-separated, single quotes group words. */
static gboolean
split_keys(CxXesReader *r, const char *keys)
{
  const char *p = keys;
  while (*p != '\0') {
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
      p++;
    if (*p == '\0')
      break;
    const char *start, *end;
    if (*p == '\'') {
      start = ++p;
      end = strchr(p, '\'');
      if (end == NULL)
        end = p + strlen(p);
      p = *end == '\'' ? end + 1 : end;
    } else {
      start = p;
      while (*p != '\0' && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
        p++;
      end = p;
    }
    if (end == start)
      continue;
    if (r->n_slots >= MAX_SLOTS - 4) {
      cx_xes_fail(r, CX_READER_ERROR_MAPPING, "classifier '%s' has too many keys",
                  r->opts->classifier);
      return FALSE;
    }
    add_slot(r, start, (gsize)(end - start), ROLE_ACTIVITY);
  }
  return TRUE;
}

/* Decides which attribute keys fill which event field; called when the
 * header is over (at the first trace or at the end of the log). */
gboolean
cx_xes_resolve(CxXesReader *r)
{
  if (r->resolved)
    return TRUE;
  r->resolved = TRUE;
  const CxReadOptions *o = r->opts;
  if (o->classifier != NULL) {
    const Classifier *found = NULL;
    for (guint i = 0; i < r->classifiers->len && found == NULL; i++) {
      const Classifier *c = g_ptr_array_index(r->classifiers, i);
      if (strcmp(c->name, o->classifier) == 0)
        found = c;
    }
    if (found == NULL) {
      GString *names = g_string_new(NULL);
      for (guint i = 0; i < r->classifiers->len; i++) {
        const Classifier *c = g_ptr_array_index(r->classifiers, i);
        g_autofree char *q = cx_xes_shorten(c->name, strlen(c->name));
        g_string_append_printf(names, "%s'%s'", i > 0 ? ", " : "", q);
      }
      if (names->len > 0)
        cx_xes_fail(r, CX_READER_ERROR_MAPPING, "unknown classifier '%s' (declared: %s)",
                    o->classifier, names->str);
      else
        cx_xes_fail(r, CX_READER_ERROR_MAPPING, "unknown classifier '%s' (the log declares none)",
                    o->classifier);
      g_string_free(names, TRUE);
      return FALSE;
    }
    r->act_sep = "+";
    if (!split_keys(r, found->keys))
      return FALSE;
    if (r->n_slots == 0) {
      cx_xes_fail(r, CX_READER_ERROR_MAPPING, "classifier '%s' has no keys", o->classifier);
      return FALSE;
    }
  } else {
    /* several keys (--activity-key repeated) come newline-separated and are
     * joined with " | ", as CSV joins several activity columns */
    const char *k = o->activity_key != NULL ? o->activity_key : "concept:name";
    for (const char *p = k;;) {
      const char *nl = strchr(p, '\n');
      gsize len = nl != NULL ? (gsize)(nl - p) : strlen(p);
      if (len > 0 && r->n_slots < 16)
        add_slot(r, p, len, ROLE_ACTIVITY);
      if (nl == NULL)
        break;
      p = nl + 1;
    }
    r->act_sep = " | ";
  }
  r->n_activity = r->n_slots;
  const char *res = o->resource_key != NULL ? o->resource_key : "org:resource";
  const char *chan = o->channel_key != NULL ? o->channel_key : "channel";
  add_slot(r, res, strlen(res), ROLE_RESOURCE);
  add_slot(r, chan, strlen(chan), ROLE_CHANNEL);
  add_slot(r, "lifecycle:transition", 20, ROLE_LIFECYCLE);
  add_slot(r, "time:timestamp", 14, ROLE_TIME);
  r->slots[r->n_slots - 1].def = NULL; /* no default timestamps */
  r->n_tglobals = 0;
  for (guint i = 0; i < r->globals->len && r->n_tglobals < MAX_TGLOBAL; i++) {
    const Global *g = g_ptr_array_index(r->globals, i);
    if (g->trace_scope)
      r->tglobals[r->n_tglobals++] = g;
  }
  r->n_eglobals = 0;
  for (guint i = 0; i < r->globals->len && r->n_eglobals < MAX_TGLOBAL; i++) {
    Global *g = g_ptr_array_index(r->globals, i);
    if (g->trace_scope)
      continue;
    g->flags = CX_ATTR_STRING;
    for (guint k = 0; k < r->n_slots; k++)
      if (cx_xes_slot_matches(&r->slots[k], g->key, g->key_len))
        g->flags |= CX_SINK_ATTR_MAPPED;
    r->eglobals[r->n_eglobals++] = g;
  }
  return TRUE;
}

void
cx_xes_global_attr(CxXesReader *r, AttrType type, const char *key, gsize klen, const char *v,
                   gsize vlen)
{
  if (r->resolved)
    return; /* a <global> after the first trace is ignored */
  key = cx_xes_decode(r->dec_key, key, &klen);
  v = cx_xes_decode(r->dec_value, v, &vlen);
  Global *g = g_new0(Global, 1);
  g->trace_scope = r->global_trace_scope;
  g->key = g_strndup(key, klen);
  g->key_len = klen;
  gsize clen = vlen;
  const char *c = cx_xes_canonical(r, type, v, &clen);
  g->value = g_strndup(c, clen);
  g->value_len = clen;
  g_ptr_array_add(r->globals, g);
}
