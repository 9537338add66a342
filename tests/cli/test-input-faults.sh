#!/bin/bash
# Input-side faults (issue 10): corrupt gzip members, out-of-range times, an
# XES internal DTD subset, files cut while read, standard input that cannot be
# read, FIFOs read twice, long CSV fields, huge XES start tags and the memory
# budget.  Every run has a timeout, so nothing here can hang.  TAP output.
#
# usage: test-input-faults.sh PATH/TO/cxmine PATH/TO/cxgen
set -u
CX=$(realpath "${1:?cxmine binary}")
GEN=$(realpath "${2:?cxgen binary}")
export LC_ALL=C
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3)

T=$(mktemp -d "${TMPDIR:-/tmp}/cxmine-faults-XXXXXX") || exit 99
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 99
# the spool of non-seekable inputs goes here: the tests check it is left empty
mkdir tmp
export TMPDIR=$T/tmp

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() {
  n=$((n + 1))
  failed=$((failed + 1))
  echo "not ok $n - $1"
  shift
  for l in "$@"; do printf '%s\n' "$l" | sed 's/^/#   /'; done
  if [ -s err ]; then sed 's/^/#   stderr: /' err | head -5; fi
}
# check NAME CONDITION... : ok when the command succeeds
check() {
  local name=$1
  shift
  if "$@"; then ok "$name"; else not_ok "$name" "exit status $rc"; fi
}
run() {
  timeout 120 "$CX" "$@" >out 2>err </dev/null
  rc=$?
}
run_in() {
  local f=$1
  shift
  timeout 30 "$CX" "$@" >out 2>err <"$f"
  rc=$?
}
# one line on stderr, exit 1, matching the pattern $1
fails_with() {
  [ "$rc" = 1 ] && [ "$(wc -l <err)" = 1 ] && grep -qE "$1" err
}
tmp_empty() { [ -z "$(ls -A "$TMPDIR")" ]; }

# ---------- 5: the range of times ----------
printf 'case,activity,timestamp\nc1,a,2024-01-01T00:00:00Z\nc1,b,99999999999999999\n' >epoch.csv
run stats epoch.csv
check "17-digit epoch milliseconds are refused, naming file and line" \
  fails_with "^cxmine: epoch\.csv:3: timestamp '99999999999999999' in column 'timestamp' is outside the times cxmine reads \(0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z\); --skip-invalid"
printf 'case,activity,timestamp\nc1,a,10000-01-01T00:00:00Z\nc1,b,2020-01-01\nc2,a,2020-01-02\n' >y5.csv
run stats y5.csv
check "a five-digit year is refused" fails_with "^cxmine: y5\.csv:2: timestamp '10000-01-01T00:00:00Z' .* outside"
run stats --skip-invalid --json y5.csv
check "--skip-invalid drops it and counts it" eval '[ $rc = 0 ] && grep -q "\"events\": 2" out'
printf '<log><trace><string key="concept:name" value="t"/><event><string key="concept:name" value="a"/><date key="time:timestamp" value="9999-12-31T23:00:00-05:00"/></event></trace></log>\n' >y5.xes
run stats y5.xes
check "XES: an offset that moves 9999-12-31 past the end is refused" \
  fails_with "^cxmine: y5\.xes:1:[0-9]+: timestamp '9999-12-31T23:00:00-05:00' is outside"
# the extremes of the range through every analysis: UBSan (the sanitizer run
# of the suite) sees any overflow in durations, gaps and waits
{
  echo 'case,activity,timestamp,start'
  echo 'c1,open,0001-01-01T00:00:00Z,0001-01-01T00:00:00Z'
  echo 'c1,close,9999-12-31T23:59:59.999999Z,0001-01-01T00:00:00Z'
  echo 'c2,open,0999-05-01T00:00:00Z,'
  echo 'c2,close,9999-12-31T23:59:59Z,'
  echo 'c3,open,0001-01-01T00:00:00Z,'
  echo 'c3,open,9999-12-31T23:59:59Z,'
  echo 'c3,close,9999-12-31T23:59:59Z,'
} >extreme.csv
allok=1
for cmd in stats variants dfg friction; do
  run "$cmd" --json extreme.csv
  [ "$rc" = 0 ] || { allok=0; echo "# $cmd: exit $rc"; sed 's/^/#   /' err | head -3; }
done
run compare --json extreme.csv --split-at 5000-01-01
[ "$rc" = 0 ] || [ "$rc" = 1 ] || { allok=0; echo "# compare: exit $rc"; }
check "the extremes 0001-01-01 and 9999-12-31 run through stats, variants, dfg, friction and compare" \
  [ $allok = 1 ]
run stats --json extreme.csv
check "years below 1000 are written with four digits" \
  eval '[ $rc = 0 ] && grep -q "\"first\": \"0001-01-01T00:00:00Z\"" out && grep -q "\"last\": \"9999-12-31T23:59:59.999999Z\"" out'

# ---------- 4: every gzip member is read, or the file refused ----------
printf 'case,activity,timestamp\nc1,a,2024-01-01\nc1,b,2024-01-02\n' >m1.csv
printf 'c2,a,2024-01-03\n' >m2.csv
{ gzip -c m1.csv; gzip -c m2.csv; } >two.csv.gz
run stats --json two.csv.gz
check "both members of a two-member gzip are read" eval '[ $rc = 0 ] && grep -q "\"events\": 3" out'
{ gzip -c m1.csv; gzip -c m2.csv | "$PY" -c 'import sys; d = bytearray(sys.stdin.buffer.read()); d[3] = 0xff; sys.stdout.buffer.write(d)'; } >flag.csv.gz
{ gzip -c m1.csv; gzip -c m2.csv | "$PY" -c 'import sys; d = bytearray(sys.stdin.buffer.read()); d[0] = 0x1e; sys.stdout.buffer.write(d)'; } >bad2.csv.gz
run stats bad2.csv.gz
check "a second member with a damaged header byte is refused (file:line, exit 1)" \
  fails_with "^cxmine: bad2\.csv\.gz:4: corrupt gzip data: what follows member 1 \(at byte [0-9]+\) is not a gzip member$"
run stats flag.csv.gz
check "a second member with damaged flags is refused" fails_with "^cxmine: flag\.csv\.gz:[0-9]+: .*gzip"

# ---------- 8: standard input that cannot be read ----------
run_in / stats -
check "stdin that is a directory says so (not 'empty file')" fails_with "^cxmine: <stdin>: is a directory$"
: >empty.csv
run_in empty.csv stats -
check "empty stdin is still 'empty file'" fails_with "^cxmine: <stdin>: empty file$"

# ---------- 9: inputs that cannot be read twice ----------
# a case id repeated across traces: the streamed scan starts over grouped
cat >rep.xes <<'XES'
<log><trace><string key="concept:name" value="c1"/><event><string key="concept:name" value="a"/><date key="time:timestamp" value="2024-01-01T00:00:00Z"/></event></trace>
<trace><string key="concept:name" value="c2"/><event><string key="concept:name" value="b"/><date key="time:timestamp" value="2024-01-02T00:00:00Z"/></event></trace>
<trace><string key="concept:name" value="c1"/><event><string key="concept:name" value="c"/><date key="time:timestamp" value="2024-01-03T00:00:00Z"/></event></trace></log>
XES
mkfifo fifo.xes
(cat rep.xes >fifo.xes &)
run stats --json fifo.xes
check "a FIFO whose case ids repeat across traces is read once, not waited on forever" \
  eval '[ $rc = 0 ] && grep -q "\"events\": 3" out && grep -q "\"cases\": 2" out && tmp_empty'
timeout 30 "$CX" stats --json <(cat rep.xes) >out 2>err
rc=$?
check "... through <(...)" eval '[ $rc = 0 ] && grep -q "\"events\": 3" out && tmp_empty'
timeout 30 "$CX" stats --json /dev/stdin <rep.xes >out 2>err
rc=$?
check "... through /dev/stdin (a file)" eval '[ $rc = 0 ] && grep -q "\"events\": 3" out && tmp_empty'
cat rep.xes | timeout 30 "$CX" stats --json /dev/stdin >out 2>err
rc=$?
check "... through /dev/stdin (a pipe)" eval '[ $rc = 0 ] && grep -q "\"events\": 3" out && tmp_empty'
cat rep.xes | timeout 30 "$CX" stats --json - >out 2>err
rc=$?
check "... through -" eval '[ $rc = 0 ] && grep -q "\"events\": 3" out && tmp_empty'
printf 'case,activity,timestamp\nc1,a,yesterday\n' | timeout 30 "$CX" stats /dev/stdin >out 2>err
rc=$?
check "a failing read of a spooled pipe names the path given and leaves no spool" \
  eval 'fails_with "^cxmine: /dev/stdin:2: bad timestamp" && tmp_empty'

# ---------- 6: XES has no DTD ----------
printf '<?xml version="1.0"?>\n<!DOCTYPE log [<!ATTLIST string value CDATA "INJECTED">]>\n<log><trace><string key="concept:name" value="t"/><event><string key="concept:name"/></event></trace></log>\n' >attlist.xes
run variants --json attlist.xes
check "an internal DTD subset (ATTLIST default) is refused in one line, exit 1" \
  eval 'fails_with "^cxmine: attlist\.xes:2:[0-9]+: refusing a DOCTYPE with an internal subset" && ! grep -q INJECTED out'
gzip -c attlist.xes >attlist.xes.gz
run stats attlist.xes.gz
check "... also gzipped" fails_with "^cxmine: attlist\.xes\.gz:2:[0-9]+: refusing a DOCTYPE"
printf '<?xml version="1.0"?>\n<!DOCTYPE log\n  [\n ]>\n<log/>\n' >empty-subset.xes
run stats empty-subset.xes
check "... even an empty one" fails_with "^cxmine: empty-subset\.xes:3:[0-9]+: refusing a DOCTYPE"
printf '<?xml version="1.0"?>\n<!DOCTYPE log SYSTEM "http://example.invalid/xes.dtd">\n<log><trace><string key="concept:name" value="t"/><event><string key="concept:name" value="a"/></event></trace></log>\n' >external.xes
run stats --json external.xes
check "a DOCTYPE without internal subset is still read (and nothing fetched)" \
  eval '[ $rc = 0 ] && grep -q "\"events\": 1" out'

# ---------- 11: long CSV fields ----------
"$PY" -c '
import sys
with open("longused.csv", "w") as f:
    f.write("case,activity,timestamp\nc1,a,2024-01-01\nc1,\"" + "x" * 1100000 + "\",2024-01-02\n")
with open("longunused.csv", "w") as f:
    f.write("case,activity,timestamp,note\nc1,a,2024-01-01,\"" + "x" * 30000000 + "\"\nc1,b,2024-01-02,\n")
'
run stats longused.csv
check "a used CSV value over 1 MiB is refused with file:line and the column" \
  fails_with "^cxmine: longused\.csv:3: value in column 'activity' longer than 1048576 bytes$"
run stats --json longunused.csv
check "an unused column's 30 MB value is skipped" eval '[ $rc = 0 ] && grep -q "\"events\": 2" out'

# ---------- 13: the memory budget ----------
"$GEN" -f csv -e 200000 -o gen.csv
run stats --memory 64K gen.csv
# (the budget is met either by the case ids themselves or, a little before,
# by the room the grouped events keep for the case ids to come)
check "a generated CSV whose case ids alone pass a 64 KiB --memory fails in one line naming the budget and the option" \
  fails_with "^cxmine: gen\.csv:[0-9]+: out of memory: (the [0-9]+ case ids need more than the memory budget of 64 KiB \(they stay in memory; raise it with --memory SIZE\)|what cannot spill to disk \([0-9]+ case ids, the trace being read\) leaves no room for grouped events in the memory budget of 64 KiB \(raise it with --memory SIZE\))$"
run stats --json --memory 256M gen.csv
check "... and is read within 256M" eval '[ $rc = 0 ] && grep -q "\"events\": 200" out'
cp out within.json
run stats --json --memory 4M gen.csv
check "... and spills to disk within 4M, with the same answer" eval '[ $rc = 0 ] && cmp -s out within.json'
"$GEN" -e 100000 -o gen.xes
cp gen.xes gen-b.xes
run stats --json gen.xes gen-b.xes
cp out within.json
run stats --json --memory 2M gen.xes gen-b.xes
check "two XES sources over a 2 MiB budget spill to disk, with the same answer" \
  eval '[ $rc = 0 ] && cmp -s out within.json'
run stats --memory 64K gen.xes gen-b.xes
check "... and fail in one line when their case ids leave no room in a 64 KiB budget" \
  fails_with "^cxmine: gen\.xes.*out of memory: .*case ids.* 64 KiB \(.*raise it with --memory SIZE\)$"
# a bomb: 1 MiB of identical rows compressed once and repeated as gzip members
"$PY" -c '
import gzip, sys
n = int(sys.argv[1])
head = gzip.compress(b"case,activity,timestamp\n")
block = gzip.compress(b"c1,a,2024-01-01T00:00:00Z\n" * 40330)
with open("bomb.csv.gz", "wb") as f:
    f.write(head)
    for i in range(n):
        f.write(block)
' 200
run stats --memory 8M bomb.csv.gz
check "a gzip bomb (200 MiB of rows in $(($(wc -c <bomb.csv.gz) / 1024)) KiB) stops at the budget, exit 1" \
  fails_with "^cxmine: bomb\.csv\.gz:[0-9]+: out of memory: .*8 MiB"
run stats --memory 12x gen.csv
check "a bad --memory is a usage error" eval '[ $rc = 2 ] && grep -q "^cxmine stats: --memory: .12x. is not a size" err'
# the system saying no (address space limit) is the same clean error, not SIGTRAP
if (ulimit -v 400000 && "$CX" --version >/dev/null 2>&1) 2>/dev/null; then
  (ulimit -v 400000 && exec timeout 60 "$CX" stats --memory 64G bomb.csv.gz) >out 2>err </dev/null
  rc=$?
  check "an allocation the system refuses ends in exit 1 and one line, not SIGTRAP" \
    fails_with "^cxmine: (bomb\.csv\.gz:[0-9]+: )?out of memory"
else
  n=$((n + 1)); echo "ok $n # SKIP the binary cannot start under ulimit -v (sanitizer build)"
fi

# ---------- 12: start tags are bounded before libxml2 parses them ----------
"$PY" -c '
import sys
attrs = " ".join("a%d=\"x>\"" % i for i in range(200000))
with open("attrs.xes", "w") as f:
    f.write("<log>\n<trace>\n<event " + attrs + "/></trace></log>\n")
with open("bigtag.xes", "w") as f:
    f.write("<log>\n<trace " + "x" * 3000000 + "/></log>\n")
with open("okattrs.xes", "w") as f:
    f.write("<log><trace><string key=\"concept:name\" value=\"t\"/><event " + " ".join("a%d=\"1\"" % i for i in range(1000)) + "><string key=\"concept:name\" value=\"a\"/></event></trace></log>\n")
'
run stats attrs.xes
check "200,000 attributes in one start tag (values holding '>') are refused at once, with the line" \
  fails_with "^cxmine: attrs\.xes:3(:[0-9]+)?: a start tag with more than 1000 attributes$"
run stats bigtag.xes
check "a 3 MB start tag is refused" fails_with "^cxmine: bigtag\.xes:2(:[0-9]+)?: a start tag longer than 2097152 bytes$"
run stats --json okattrs.xes
check "1000 attributes are read" eval '[ $rc = 0 ] && grep -q "\"events\": 1" out'

# ---------- the limits in --help ----------
allok=1
for cmd in stats variants dfg friction compare; do
  timeout 10 "$CX" "$cmd" --help >out 2>err
  grep -q "^Input limits" out && grep -q -- "--memory SIZE (default 1G" out \
    && grep -q "0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z (--skip-invalid" out \
    && grep -q "an XES start tag: 2 MiB and 1000 attributes" out || { allok=0; echo "# $cmd --help"; }
done
check "every command's --help states the input limits and the options that change them" [ $allok = 1 ]

echo "1..$n"
[ "$failed" = 0 ]
