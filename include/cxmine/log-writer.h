/* cxmine — writing journeys back out as an event log (XES or CSV).
 *
 * A CxLogWriter takes the journeys a scan hands over (its add function is a
 * CxJourneyFunc) and writes them as an event log cxmine reads back with the
 * same cases, events, variants and directly-follows counts:
 *
 *  - XES (IEEE 1849-2016): the XML declaration, <log xes.version="1849-2016">
 *    with the concept, time, lifecycle and org extensions declared, <global>
 *    defaults for the trace's and the event's concept:name and the event's
 *    lifecycle:transition, the classifiers "Activity" (concept:name) and
 *    "Activity and transition"; one <trace> per journey (concept:name = the
 *    case id, then every case attribute); one <event> per instance with
 *    concept:name (the activity as cxmine mapped it), lifecycle:transition
 *    ("complete", "start", or "unknown" for any other transition),
 *    time:timestamp (a <date>, UTC, milliseconds or microseconds as needed,
 *    absent for untimed events), org:resource and channel when present, then
 *    the instance's own attributes (CxJourney.event_attrs, when the scan kept
 *    them; keys the writer writes itself are left out).  Attributes are
 *    written with the type the input declared (cx_log_key_type: <string>,
 *    <date>, <int>, <float>, <boolean>, <id>) when the value is one of that
 *    type, else as <string>.  An instance that carries a start time and a
 *    completion (a CSV start column, or instances paired by --lifecycle
 *    pair/auto) becomes two events, "start" then "complete", both with the
 *    instance's attributes, which cxmine pairs back into the same instance.
 *  - CSV (RFC 4180; a field is quoted when it holds a comma, quote, CR or
 *    LF, or starts or ends with a space): columns case_id, activity,
 *    timestamp, start_timestamp (only when some instance has a start time),
 *    resource, channel, lifecycle, then, in order of first appearance,
 *    case:KEY for every case attribute and KEY for every event attribute
 *    (CxJourney.event_attrs); an event attribute whose name cxmine's CSV
 *    reader would take for a column it maps (activity, Resource, start,
 *    status, case:x, ...; any case) is written as attr:KEY, so that the file
 *    reads back with the same mapping.  One row per instance.
 *
 * Faithfulness: the writer writes instances as the scan hands them.  To copy
 * the raw events of a log (every lifecycle transition, as read), scan it with
 * CX_LIFECYCLE_MODE_ALL: each raw event is then one instance carrying its own
 * lifecycle, and the written log reads back (with any --lifecycle) as the
 * original did; scan with CxReadOptions.event_attrs to keep every event
 * attribute.  The activity is written as mapped, so a log read with
 * --classifier or several activity columns is read back without them.
 *
 * Output: a path ending in ".gz" is gzip-compressed (as concatenated gzip
 * members, one per flushed block, which every gzip reader accepts).  Regular
 * files are written to a temporary file in the same folder and renamed over
 * @path by cx_log_writer_close(); freeing a writer that was not closed removes
 * the temporary file and leaves what was at @path.  The writer holds no file
 * open between flushes and buffers at most @buffer_size bytes, so a program
 * can keep thousands of writers at once (cxmine partition).
 */
#pragma once

#include <glib.h>
#include "log.h"
#include "reader.h"

G_BEGIN_DECLS

#define CX_LOG_WRITER_ERROR (cx_log_writer_error_quark())
GQuark cx_log_writer_error_quark(void);

typedef enum {
  CX_LOG_WRITER_ERROR_WRITE,        /* writing, compressing or renaming failed */
  CX_LOG_WRITER_ERROR_IS_DIRECTORY, /* the path names a directory */
  CX_LOG_WRITER_ERROR_CREATE,       /* no temporary file can be made */
  CX_LOG_WRITER_ERROR_SPOOL,        /* the writer's own spool file cannot be read back */
} CxLogWriterError;

typedef enum {
  CX_LOG_WRITE_AUTO = 0, /* from the name: ".csv" or ".csv.gz" is CSV, anything else XES */
  CX_LOG_WRITE_XES,
  CX_LOG_WRITE_CSV,
} CxLogWriteFormat;

typedef struct _CxLogWriter CxLogWriter;

/* Returns a writer of @path for journeys of @log (whose pools name the ids;
 * it must outlive the writer), or NULL with @error set when the temporary
 * file cannot be created.  @buffer_size is the bytes held before a flush
 * (0 = 1 MiB).  "-" writes to standard output, a non-regular file (a pipe,
 * /dev/null) straight through, both uncompressed unless @path ends in ".gz". */
CxLogWriter *cx_log_writer_new(CxLog *log, const char *path, CxLogWriteFormat format,
                               gsize buffer_size, GError **error);
/* Writes one journey; a CxJourneyFunc (@writer is the user data). */
gboolean cx_log_writer_add(const CxJourney *journey, gpointer writer, GError **error);
/* Flushes, finishes the log and renames it into place.  Returns FALSE with
 * @error set on a write error (the temporary file is then removed). */
gboolean cx_log_writer_close(CxLogWriter *writer, GError **error);
/* Closes @n writers as one set: finishes them all, syncs the file system
 * once, then renames each into place.  Returns FALSE with @error set at the
 * first failure (writers not yet renamed keep only their temporary files,
 * removed when they are freed). */
gboolean cx_log_writer_close_all(CxLogWriter **writers, guint n, GError **error);
/* Cases and events (written events, i.e. XES <event>s or CSV rows) so far. */
guint64 cx_log_writer_cases(const CxLogWriter *writer);
guint64 cx_log_writer_events(const CxLogWriter *writer);
/* Frees the writer; when it was not closed, removes its temporary file. */
void cx_log_writer_free(CxLogWriter *writer);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CxLogWriter, cx_log_writer_free)

/* The format @path names (by its ending) when @format is CX_LOG_WRITE_AUTO. */
CxLogWriteFormat cx_log_write_format_for(const char *path, CxLogWriteFormat format);

/* Formats @t (UTC microseconds) as "YYYY-MM-DDTHH:MM:SS.mmmZ", with six
 * decimals when the microseconds need them, into @buf (at least 40 bytes).
 * Returns the length. */
gsize cx_log_writer_format_time(gint64 t, char *buf);

G_END_DECLS
