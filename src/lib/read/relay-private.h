/* cxmine — a one-way byte pipe from a reader's thread to a worker thread.
 *
 * The producer appends records to blocks; full blocks go to the worker,
 * which hands each to a consume callback in order and returns it for reuse.
 * A few blocks are in flight at most, so memory stays bounded and a slow
 * consumer holds the producer back. The records never span blocks.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _CxRelay CxRelay;

/* Called on the worker thread for each block, in the order written. Returns
 * FALSE with @error set to stop: later blocks are then skipped. */
typedef gboolean (*CxRelayFunc)(gpointer data, const guint8 *buf, gsize len, GError **error);

/* Starts the worker thread. */
CxRelay *cx_relay_new(CxRelayFunc consume, gpointer data);
/* Room for one record of @len bytes (8-aligned within its block); the caller
 * fills it before the next call. */
guint8 *cx_relay_put(CxRelay *relay, gsize len);
/* TRUE once the consumer has failed (the producer may stop early). */
gboolean cx_relay_failed(CxRelay *relay);
/* Hands on what is left, waits for the worker, frees @relay. Returns FALSE
 * with the consumer's error when it failed. */
gboolean cx_relay_finish(CxRelay *relay, GError **error);

G_END_DECLS
