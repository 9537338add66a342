/* noop-sax — the baseline for cxmine's XES reader: push an XES file (plain
 * or gzip, read through zlib's gzread in 256 KiB chunks) through libxml2's
 * SAX2 push parser with no-op callbacks, and report the parse time. */
#include <libxml/parser.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#define CHUNK (256 * 1024)

static unsigned long n_elements;

static void
on_start(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri,
         int nb_namespaces, const xmlChar **namespaces, int nb_attributes, int nb_defaulted,
         const xmlChar **attributes)
{
  n_elements++;
}

static void
on_end(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri)
{
}

int
main(int argc, char **argv)
{
  if (argc != 2) {
    fprintf(stderr, "Usage: noop-sax FILE.xes[.gz]\n");
    return 2;
  }
  gzFile in = gzopen(argv[1], "rb");
  if (in == NULL) {
    fprintf(stderr, "noop-sax: cannot open '%s'\n", argv[1]);
    return 1;
  }
  gzbuffer(in, CHUNK);
  xmlSAXHandler sax;
  memset(&sax, 0, sizeof sax);
  sax.initialized = XML_SAX2_MAGIC;
  sax.startElementNs = on_start;
  sax.endElementNs = on_end;
  sax.characters = NULL; /* doing nothing: not even asked for text */
  sax.ignorableWhitespace = NULL;

  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  static char buf[CHUNK];
  int n = gzread(in, buf, CHUNK);
  if (n < 0) {
    fprintf(stderr, "noop-sax: cannot read '%s'\n", argv[1]);
    gzclose(in);
    return 1;
  }
  xmlParserCtxtPtr ctx = xmlCreatePushParserCtxt(&sax, NULL, buf, n, argv[1]);
  if (ctx == NULL) {
    fprintf(stderr, "noop-sax: cannot create a parser\n");
    gzclose(in);
    return 1;
  }
  xmlCtxtUseOptions(ctx, XML_PARSE_NONET | XML_PARSE_HUGE);
  int rc = 0;
  unsigned long long bytes = (unsigned long long)n;
  while ((n = gzread(in, buf, CHUNK)) > 0) {
    bytes += (unsigned long long)n;
    if (xmlParseChunk(ctx, buf, n, 0) != 0)
      break;
  }
  if (n < 0) {
    fprintf(stderr, "noop-sax: cannot read '%s' (truncated gzip?)\n", argv[1]);
    rc = 1;
  }
  if (xmlParseChunk(ctx, NULL, 0, 1) != 0 || !ctx->wellFormed) {
    const xmlError *e = xmlCtxtGetLastError(ctx);
    fprintf(stderr, "noop-sax: %s:%d: %s", argv[1], e ? e->line : 0,
            e && e->message ? e->message : "not well-formed\n");
    rc = 1;
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
  printf("%lu elements, %llu bytes in %.3f s\n", n_elements, bytes, secs);
  xmlFreeParserCtxt(ctx);
  gzclose(in);
  return rc;
}
