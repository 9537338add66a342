#!/bin/bash
# cxmine partition and the log writer, end to end: every case in exactly one
# shard, the union of the shards reads back as the input (stats, variants,
# dfg), per-file pieces join into shards, the hash is stable, XES is
# well-formed, hostile strings survive, usage and write errors.  TAP output.
#
# usage: test-partition.sh PATH/TO/cxmine PATH/TO/cxgen SOURCE_ROOT
set -u
CX=$(realpath "${1:?cxmine binary}")
GEN=$(realpath "${2:?cxgen binary}")
SRC=$(realpath "${3:?source root}")
SAMPLE=$SRC/fixtures/sample/customer-journeys.xes.gz
RUNEX=$SRC/fixtures/csv/running-example.csv
SHARED=${CX_SHARED:-$SRC/../shared}
export LC_ALL=C
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3) || exit 99

T=$(mktemp -d "${TMPDIR:-/tmp}/cxmine-partition-XXXXXX") || exit 99
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 99

n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
skip() { n=$((n + 1)); echo "ok $n # SKIP $1"; }
not_ok() {
  n=$((n + 1))
  echo "not ok $n - $1"
  shift
  for l in "$@"; do printf '%s\n' "$l" | sed 's/^/#   /'; done
  if [ -s err ]; then sed 's/^/#   stderr: /' err | head -5; fi
}
check() { # NAME CONDITION-EXIT-STATUS [DIAG...]
  local name=$1 st=$2
  shift 2
  if [ "$st" -eq 0 ]; then ok "$name"; else not_ok "$name" "$@"; fi
}
run() {
  timeout 120 "$CX" "$@" >out 2>err </dev/null
  rc=$?
}

# same NAME "ORIGINAL ARGS" SHARD-FILES... : stats, variants and dfg --json of
# the shards read together equal those of the original (the "log" key aside)
same() {
  local name=$1 orig=$2
  shift 2
  local cmd diff=""
  for cmd in stats variants dfg; do
    # shellcheck disable=SC2086
    timeout 300 "$CX" $cmd --json $orig >a.json 2>err || { diff="$cmd on the input failed"; break; }
    timeout 300 "$CX" $cmd --json "$@" >b.json 2>err || { diff="$cmd on the shards failed"; break; }
    "$PY" - a.json b.json >d.txt <<'EOF' || { diff="$cmd differs: $(head -c 600 d.txt)"; break; }
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
for d in (a, b):
    d.pop("log", None)
if a != b:
    for k in sorted(set(a) | set(b)):
        if a.get(k) != b.get(k):
            print(k, json.dumps(a.get(k))[:250], "!=", json.dumps(b.get(k))[:250])
    sys.exit(1)
EOF
  done
  if [ -z "$diff" ]; then ok "$name"; else not_ok "$name" "$diff"; fi
}

# Python: the case ids of each shard file, checked against FNV-1a 64 mod K,
# disjointness and the expected set (from the file $2, one id a line).
CASES_PY='
import csv, gzip, io, re, sys, xml.etree.ElementTree as ET
k = int(sys.argv[1]); expected = set(open(sys.argv[2], encoding="utf-8").read().split("\n")) - {""}
def fnv(s):
    h = 14695981039346656037
    for c in s.encode():
        h = ((h ^ c) * 1099511628211) % 2**64
    return h
def cases(path):
    data = gzip.open(path).read()
    if path.endswith(".csv.gz"):
        return {r["case_id"] for r in csv.DictReader(io.StringIO(data.decode("utf-8"), newline=""))}
    ns = "{http://www.xes-standard.org/}"
    out = set()
    for t in ET.fromstring(data).iter(ns + "trace"):
        for a in t:
            if a.get("key") == "concept:name":
                out.add(a.get("value"))
    return out
seen = {}
bad = []
for p in sys.argv[3:]:
    idx = int(re.search(r"shard-(\d+)-of-(\d+)", p).group(1))
    for c in cases(p):
        if c in seen and seen[c] != idx:
            bad.append("case %r in shards %d and %d" % (c, seen[c], idx))
        seen[c] = idx
        if fnv(c) % k != idx:
            bad.append("case %r in shard %d, FNV-1a says %d" % (c, idx, fnv(c) % k))
if set(seen) != expected:
    bad.append("cases differ: %d missing, %d extra" % (len(expected - set(seen)), len(set(seen) - expected)))
print("\n".join(bad[:10]))
sys.exit(1 if bad else 0)
'

# ---- the sample, XES shards ----
"$PY" -c '
import gzip, sys, xml.etree.ElementTree as ET
ns = "{http://www.xes-standard.org/}"
for t in ET.fromstring(gzip.open(sys.argv[1]).read()).iter(ns + "trace"):
    for a in t:
        if a.get("key") == "concept:name":
            print(a.get("value")); break' "$SAMPLE" >sample.ids
run partition --shards 4 -o sh --json "$SAMPLE"
check "partition the sample into 4 shards (exit 0)" $rc "rc=$rc"
nfiles=$(ls sh | wc -l)
[ "$nfiles" = 4 ] && ls sh/shard-0000-of-0004.customer-journeys.xes.gz >/dev/null 2>&1
check "4 files named shard-IIII-of-0004.customer-journeys.xes.gz, no temporary left" $? "$(ls -a sh)"
"$PY" -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["cases"] == 1000 and d["events"] == 10032, (d["cases"], d["events"])
assert len(d["shards"]) == 4
assert sum(s["cases"] for s in d["shards"]) == d["cases"]
assert sum(s["events"] for s in d["shards"]) == d["events"]
assert all(s["path"].endswith(".xes.gz") and s["cases"] > 0 for s in d["shards"])' out 2>d.txt
check "--json: shards[] with path, cases, events adding up to cases, events" $? "$(cat d.txt)"
out=$("$PY" -c "$CASES_PY" 4 sample.ids sh/*.xes.gz 2>&1)
check "every case of the sample is in exactly one shard, the one FNV-1a 64 mod K names" $? "$out"
same "sample: the shards together give the same stats, variants and dfg" "$SAMPLE" sh/*.xes.gz
# the comparison itself notices a missing shard
same "(self-check)" "$SAMPLE" sh/shard-000[012]-*.xes.gz | grep -q '^not ok'
check "the round-trip comparison notices a missing shard" $?
if command -v xmllint >/dev/null; then
  bad=""
  for f in sh/*.xes.gz; do zcat "$f" | xmllint --noout - 2>>err || bad="$bad $f"; done
  check "every XES shard is well-formed (xmllint)" "$([ -z "$bad" ] && echo 0 || echo 1)" "$bad"
else
  skip "xmllint not installed"
fi
zcat sh/shard-0000-of-0004.customer-journeys.xes.gz | head -12 >head.xml
grep -q '<log xes.version="1849-2016" xes.features="" xmlns="http://www.xes-standard.org/">' head.xml \
  && grep -q 'prefix="concept"' head.xml && grep -q 'prefix="time"' head.xml \
  && grep -q 'prefix="lifecycle"' head.xml && grep -q 'prefix="org"' head.xml \
  && zcat sh/shard-0000-of-0004.customer-journeys.xes.gz | grep -q '<date key="time:timestamp" value="2024-[0-9-]*T[0-9:]*\.[0-9]\{3\}Z"/>'
check "XES: IEEE 1849 log element, the four extensions, typed date attributes in UTC" $? "$(cat head.xml)"

# ---- the hash is stable ----
run partition -k 16 -o h16 --json "$SAMPLE"
"$PY" -c '
import json, sys
d = json.load(open(sys.argv[1]))
print([s["cases"] for s in d["shards"]])' out >counts.txt
out=$("$PY" -c "$CASES_PY" 16 sample.ids h16/*.xes.gz 2>&1)
check "K=16: every case where FNV-1a 64 mod 16 says" $? "$out"
zcat h16/shard-0000-of-0016.customer-journeys.xes.gz | grep -q '<string key="concept:name" value="C0000002"/>'
check "stable hash: case C0000002 is in shard 0 of 16 (FNV-1a 64 = 17986207126146575024)" $?
printf 'case_id,activity,timestamp\ncase-42,A,2024-01-01T00:00:00Z\ncase-42,B,2024-01-01T01:00:00Z\nCase 1,A,2024-01-01T00:00:00Z\n' >fixed.csv
run partition -k 4096 -o h4096 fixed.csv
zcat h4096/shard-1526-of-4096.fixed.xes.gz | grep -q 'value="case-42"' \
  && zcat h4096/shard-3414-of-4096.fixed.xes.gz | grep -q 'value="Case 1"' \
  && [ "$(ls h4096 | wc -l)" = 4096 ]
check "stable hash: K=4096 (the maximum) puts case-42 in shard 1526 and 'Case 1' in 3414" $?

# ---- CSV shards, the writer's CSV ----
run partition -k 3 -o shc --shard-format csv "$SAMPLE"
check "--shard-format csv writes .csv.gz shards (exit 0)" $rc
out=$("$PY" -c "$CASES_PY" 3 sample.ids shc/*.csv.gz 2>&1)
check "CSV shards: every case in exactly one shard" $? "$out"
zcat shc/shard-0000-of-0003.customer-journeys.csv.gz | head -1 | tr -d '\r' >hdr.txt
grep -qx 'case_id,activity,timestamp,resource,channel,lifecycle,case:segment,case:region,case:product' hdr.txt
check "CSV header: case_id, activity, timestamp, resource, channel, lifecycle, case:KEY" $? "$(cat hdr.txt)"
same "sample: CSV shards together give the same stats, variants and dfg" "$SAMPLE" shc/*.csv.gz

# ---- a CSV input with case attributes ----
run partition -k 2 -o rx "$RUNEX"
check "partition the running example (CSV, case:creator)" $rc
same "running example: the shards give the same stats, variants and dfg" "$RUNEX" rx/*.xes.gz
zcat rx/*.xes.gz | grep -q '<string key="creator" value="Fluxicon Nitro"/>'
check "the case attribute case:creator is kept as a trace attribute" $?
run stats --json --where creator=Fluxicon\ Nitro rx/*.xes.gz
grep -q '"cases": 6' out
check "--where on a case attribute works on the shards" $? "$(head -5 out)"

# ---- start and complete events, raw lifecycle kept ----
"$GEN" --cases 300 --seed 5 --lifecycle -o lc.xes.gz 2>err
run partition -k 5 -o lc lc.xes.gz
check "partition a log with start/complete events" $rc
same "lifecycle log: the shards give the same stats, variants and dfg" lc.xes.gz lc/*.xes.gz
same "lifecycle log, --lifecycle all: the same raw events come back" "--lifecycle all lc.xes.gz" --lifecycle all lc/*.xes.gz
run partition -k 2 -o lcc --shard-format csv lc.xes.gz
same "lifecycle log through CSV shards: the same" lc.xes.gz lcc/*.csv.gz

# ---- a CSV with a start column: paired instances with start_timestamp ----
printf 'case_id,activity,start_timestamp,timestamp,resource\nc1,Call,2024-03-01T09:00:00Z,2024-03-01T09:05:00.250Z,ann\nc1,Fix,2024-03-01T10:00:00Z,2024-03-01T11:00:00.000001Z,bob\nc2,Call,2024-03-02T09:00:00Z,2024-03-02T09:01:00Z,ann\n' >svc.csv
run partition -k 2 -o svc --shard-format csv svc.csv
same "start times (CSV start column) survive in CSV shards, to the microsecond" svc.csv svc/*.csv.gz
zcat svc/*.csv.gz | grep -q '2024-03-01T11:00:00.000001Z'
check "a microsecond timestamp keeps its six decimals" $?
run partition -k 2 -o svx svc.csv
run dfg --json svx/*.xes.gz
cp out b.json
run dfg --json svc.csv
"$PY" -c '
import json, sys
a, b = json.load(open("out")), json.load(open("b.json"))
assert a["edges"] == b["edges"], (a["edges"], b["edges"])'
check "start times in XES shards (start + complete events) pair back: the same dfg" $?

# ---- per input file: pieces of a shard join ----
"$GEN" --cases 400 --seed 11 --format csv --csv-order case -o whole.csv 2>err
# rows alternately to two files: most cases have events in both
awk 'NR == 1 { print > "part-a.csv"; print > "part-b.csv"; next }
     NR % 2 { print > "part-a.csv"; next } { print > "part-b.csv" }' whole.csv
run partition -k 6 -o pc --piece a part-a.csv
rca=$rc
run partition -k 6 -o pc --piece b part-b.csv
[ $rca = 0 ] && [ $rc = 0 ] && [ "$(ls pc | wc -l)" = 12 ] && ls pc/shard-0005-of-0006.a.xes.gz pc/shard-0005-of-0006.b.xes.gz >/dev/null
check "one run per input file: 6 pieces each, named by --piece" $? "$(ls pc | head -20)"
same "all pieces of all shards give what the whole log gives" whole.csv pc/*.xes.gz
same "the two input files read together give the same as their pieces" "part-a.csv part-b.csv" pc/*.xes.gz
total=0
bad=""
for i in 0 1 2 3 4 5; do
  c=$("$CX" stats --json pc/shard-000$i-of-0006.* 2>/dev/null | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["cases"])') || bad="$bad $i"
  total=$((total + ${c:-0}))
done
whole=$("$CX" stats --json whole.csv | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["cases"])')
[ -z "$bad" ] && [ "$total" = "$whole" ]
check "shard by shard (its pieces read together) the cases add up to the whole: $total = $whole" $? "$bad"

# ---- hostile strings ----
"$PY" - <<'EOF'
import csv
rows = [("case_id", "activity", "timestamp", "resource", "channel", "case:note")]
names = ['<b>bold</b>', 'A & B', 'say "hi"', "it's", 'two\nlines', 'tab\there', 'emoji 😀🚀',
         'comma, semi; pipe|', ' padded ', ']]> --> <!--', 'back\\slash']
for c in range(12):
    case = 'c%d %s' % (c, names[c % len(names)])
    for e in range(4):
        rows.append((case, names[(c + e) % len(names)], '2024-05-01T%02d:%02d:00Z' % (c, e * 7),
                     names[(c + 2 * e) % len(names)], names[e % len(names)],
                     names[(c + 3) % len(names)]))
with open("hostile.csv", "w", newline="", encoding="utf-8") as f:
    csv.writer(f).writerows(rows)
EOF
run partition -k 3 -o hx --json hostile.csv
check "partition hostile strings (exit 0)" $rc
if command -v xmllint >/dev/null; then
  bad=""
  for f in hx/*.xes.gz; do zcat "$f" | xmllint --noout - 2>>err || bad="$bad $f"; done
  check "hostile strings: XES shards are well-formed" "$([ -z "$bad" ] && echo 0 || echo 1)" "$bad"
fi
same "hostile strings survive the XES round trip (stats, variants, dfg)" hostile.csv hx/*.xes.gz
run partition -k 3 -o hc --shard-format csv hostile.csv
same "hostile strings survive the CSV round trip" hostile.csv hc/*.csv.gz
"$PY" -c '
import csv, gzip, glob, io
vals = set()
for p in glob.glob("hc/*.csv.gz"):
    for r in csv.DictReader(io.StringIO(gzip.open(p).read().decode("utf-8"), newline="")):
        vals.update((r["case_id"], r["activity"], r["resource"], r["channel"], r["case:note"]))
src = set()
for r in csv.DictReader(open("hostile.csv", newline="", encoding="utf-8")):
    src.update((r["case_id"], r["activity"], r["resource"], r["channel"], r["case:note"]))
assert vals == src, sorted(src ^ vals)[:5]' 2>d.txt
check "hostile strings: every value comes back byte for byte through CSV (RFC 4180)" $? "$(cat d.txt)"
LC_ALL=C.UTF-8 run variants --json --where 'note=emoji 😀🚀' hx/*.xes.gz
cp out b.json
LC_ALL=C.UTF-8 run variants --json --where 'note=emoji 😀🚀' hostile.csv
"$PY" -c '
import json
a, b = json.load(open("out")), json.load(open("b.json"))
assert a["cases"] == b["cases"] > 0, (a["cases"], b["cases"])'
check "hostile strings: an emoji case attribute still selects the same cases" $?

# ---- a streamed XES that repeats a case id: the scan restarts, shards too ----
cat >rep.xes <<'EOF2'
<?xml version="1.0" encoding="UTF-8"?>
<log xes.version="1849-2016" xmlns="http://www.xes-standard.org/">
<trace><string key="concept:name" value="x"/>
<event><string key="concept:name" value="A"/><date key="time:timestamp" value="2024-01-01T00:00:00Z"/></event></trace>
<trace><string key="concept:name" value="y"/>
<event><string key="concept:name" value="A"/><date key="time:timestamp" value="2024-01-01T00:00:00Z"/></event></trace>
<trace><string key="concept:name" value="x"/>
<event><string key="concept:name" value="B"/><date key="time:timestamp" value="2024-01-02T00:00:00Z"/></event></trace>
</log>
EOF2
run partition -k 2 -o rep --json rep.xes
[ $rc = 0 ] && "$PY" -c '
import json
d = json.load(open("out"))
assert (d["cases"], d["events"]) == (2, 3), d' 2>d.txt
check "a repeated case id (scan restarted): shards hold 2 cases, 3 events, none twice" $? "$(cat d.txt)"
same "repeated case id: the shards give the same stats, variants and dfg" rep.xes rep/*.xes.gz

# ---- usage and failures ----
run partition --shards 0 -o u "$SAMPLE"
[ $rc = 2 ] && grep -q 'shards' err
check "--shards 0 is a usage error (exit 2)" $? "rc=$rc"
run partition --shards 4097 -o u "$SAMPLE"
[ $rc = 2 ] && grep -q '4096' err
check "--shards 4097 (above the maximum 4096) is a usage error (exit 2)" $? "rc=$rc"
run partition --shards 4 "$SAMPLE"
[ $rc = 2 ]
check "no -o DIR: usage error (exit 2)" $? "rc=$rc"
run partition --shards 4 -o u --top-variants 3 "$SAMPLE"
[ $rc = 2 ]
check "--top-variants is refused (needs the whole log): exit 2" $? "rc=$rc"
run partition --shards 4 -o u --piece ../x "$SAMPLE"
[ $rc = 2 ]
check "--piece with a '/' is a usage error" $? "rc=$rc"
: >afile
run partition --shards 4 -o afile/sub "$SAMPLE"
[ $rc = 1 ] && grep -q 'afile/sub' err
check "an unwritable DIR: exit 1 with a message naming it" $? "rc=$rc"
printf 'case_id,activity,timestamp\nc1,A,2024-01-01T00:00:00Z\nc2,B,not a time\n' >broken.csv
run partition --shards 4 -o br broken.csv
[ $rc = 1 ] && [ -z "$(ls -A br 2>/dev/null)" ]
check "bad input: exit 1, and no shard or temporary file is left in DIR" $? "rc=$rc $(ls -A br)"
run partition --help
[ $rc = 0 ] && grep -q 'FNV-1a' out && grep -q 'Examples' out
check "--help states the hash and shows examples" $?
"$CX" --help | grep -q partition
check "cxmine --help lists partition" $?

# ---- a real log ----
if [ -f "$SHARED/data/sepsis_cases.xes.gz" ]; then
  run partition -k 8 -o sep "$SHARED/data/sepsis_cases.xes.gz"
  check "partition sepsis into 8 shards" $rc
  same "sepsis: the shards give the same stats, variants and dfg" "$SHARED/data/sepsis_cases.xes.gz" sep/*.xes.gz
  run partition -k 3 -o sepc --shard-format csv "$SHARED/data/sepsis_cases.xes.gz"
  same "sepsis: the CSV shards give the same stats, variants and dfg" "$SHARED/data/sepsis_cases.xes.gz" sepc/*.csv.gz
else
  skip "no ../shared/data/sepsis_cases.xes.gz"
  skip "no ../shared/data/sepsis_cases.xes.gz"
  skip "no ../shared/data/sepsis_cases.xes.gz"
fi

echo "1..$n"
