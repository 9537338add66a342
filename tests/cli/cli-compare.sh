#!/bin/sh
# End-to-end tests of `cxmine compare` (TAP): the three forms on logs made
# by cxgen, the --json contract keys, exit codes, the diff map (atomic,
# byte-identical across runs, rendered), and a decimal-comma locale.
# Env: CXMINE (the CLI), CXGEN (the generator).
set -u
n=0
fails=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $1"; }
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
check() { # check NAME COMMAND...
  name=$1
  shift
  if "$@"; then ok "$name"; else not_ok "$name"; fi
}

: "${CXMINE:?}" "${CXGEN:?}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cxcompare-cli.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C

"$CXGEN" -n 300 --seed 1 -f csv -o "$tmp/before.csv" || exit 1
"$CXGEN" -n 300 --seed 2 --change wait-cut:4 -f csv -o "$tmp/after.csv" || exit 1
"$CXGEN" -n 300 --seed 3 -o "$tmp/one.xes" || exit 1

run() { # run RC_FILE OUT_FILE ARGS...: the exit code to RC_FILE, stdout to OUT_FILE
  rcf=$1 out=$2
  shift 2
  "$CXMINE" compare "$@" >"$out" 2>"$tmp/stderr"
  echo $? >"$rcf"
}
rc() { cat "$tmp/rc"; }

# --- the three forms ---
run "$tmp/rc" "$tmp/two.txt" "$tmp/before.csv" "$tmp/after.csv"
check "two logs: exit 0" test "$(rc)" = 0
check "two logs: the cut wait got better" \
  grep -q "^  Wait 'Assign agent' -> 'Investigate': median " "$tmp/two.txt"
check "two logs: headline" grep -q "^after.csv (300 journeys) vs before.csv (300 journeys)" "$tmp/two.txt"
check "two logs: three plain sentences first" grep -q "^after.csv vs before.csv: journeys take " "$tmp/two.txt"
check "two logs: q said once" test "$(grep -c 'q is the chance' "$tmp/two.txt")" = 1
check "two logs: the outcome rule stated once" test "$(grep -c '^Successful ends (one rule for both sides): ' "$tmp/two.txt")" = 1
check "two logs: no per-mille" sh -c "! grep -q '‰' '$tmp/two.txt'"

run "$tmp/rc" "$tmp/split.txt" "$tmp/one.xes" --split-at 2024-07-01
check "--split-at: exit 0" test "$(rc)" = 0
check "--split-at: sides named by the date" grep -q "^from 2024-07-01 ([0-9,]* journeys) vs before 2024-07-01 (" "$tmp/split.txt"
run "$tmp/rc" "$tmp/lab.txt" "$tmp/one.xes" --split-at 2024-07-01 --labels Old,New
check "--labels: the sides named" grep -q "^New vs Old: journeys take " "$tmp/lab.txt"

run "$tmp/rc" "$tmp/by.txt" "$tmp/one.xes" --by region
check "--by: exit 0" test "$(rc)" = 0
check "--by: the overview table first" sh -c "head -3 '$tmp/by.txt' | grep -q '^  segment  *journeys  *median duration  *success share  *customers lost  *top friction'"
check "--by: one overview row per segment" test "$(grep -cE '^  (north|south|east|west|central) ' "$tmp/by.txt")" = 5
check "--by: each segment vs the rest" grep -q "^== region=north vs the rest ==" "$tmp/by.txt"
check "--by: five comparisons" test "$(grep -c '^== region=' "$tmp/by.txt")" = 5

run "$tmp/rc" "$tmp/by2.txt" "$tmp/one.xes" --by segment
check "--by, two segments: exit 0" test "$(rc)" = 0
check "--by, two segments: compared once, not mirrored" test "$(grep -c '^== ' "$tmp/by2.txt")" = 1
check "--by, two segments: the smaller vs the larger" grep -q "^== segment=business vs segment=consumer ==" "$tmp/by2.txt"

run "$tmp/rc" "$tmp/base.txt" "$tmp/one.xes" --by segment --baseline consumer
check "--by --baseline: exit 0" test "$(rc)" = 0
check "--by --baseline: vs the baseline" grep -q "^== segment=business vs segment=consumer ==" "$tmp/base.txt"
check "--by --baseline: the baseline is not compared with itself" \
  sh -c "! grep -q '^== segment=consumer vs' '$tmp/base.txt'"

# --- empty or missing sides, too many segments: exit 1 with the reason ---
# (the messages: cases compare-split-after-log ... compare-max-segments in
# fixtures/sample/cases, run by tests/cli/run.py)
run "$tmp/rc" "$tmp/x" "$tmp/one.xes" --by region --max-segments 3 -o "$tmp/many.dot"
check "--by over --max-segments: no map written" test ! -e "$tmp/many-north.dot"

# --- map names never collide ---
# (numeric bins and --by --json: cases compare-by-* in fixtures/cli/cases)
attrs=${CX_SOURCE_ROOT:?}/fixtures/cli/compare-attrs.csv
mkdir "$tmp/maps"
run "$tmp/rc" "$tmp/x" "$attrs" --by case:grp -o "$tmp/maps/m.dot"
check "--by -o: values that look alike get maps of their own" test "$(ls "$tmp/maps" | wc -l)" = 3
check "--by -o: 'a b', 'a_b', 'a/b' -> m-a_b, m-a_b-2, m-a_b-3" \
  test "$(ls "$tmp/maps" | tr '\n' ' ')" = "m-a_b-2.dot m-a_b-3.dot m-a_b.dot "

# --- JSON contract ---
run "$tmp/rc" "$tmp/out.json" "$tmp/before.csv" "$tmp/after.csv" --json
check "--json: exit 0" test "$(rc)" = 0
for key in '"before": {' '"after": {' '"cases": 300' '"edges": \[' '"from": "' '"to": "' \
  '"count": [0-9]' '"share": [0-9]' '"wait_median_s": ' '"rate_q": ' '"wait_q": ' \
  '"significant": (true|false)' '"direction": "(better|worse|same|changed)"' '"throughput": \{' \
  '"median_s": [0-9]' '"q": [0-9]' '"friction": \[' '"rate_direction": "(better|worse|same|changed)"' \
  '"wait_direction": "(better|worse|same|changed)"' '"activities": \[' '"customers_lost": [0-9]' \
  '"extra_time_s": [0-9]' '"success": \{' '"min_effect": \{' '"success_rule": "'; do
  check "--json has $key" grep -Eq "$key" "$tmp/out.json"
done
check "--json: a bottleneck share of two analyses (one per log) is changed, not worse" \
  sh -c "grep -A22 '\"kind\": \"bottleneck\"' '$tmp/out.json' | grep -m1 '\"direction\"' | grep -q changed"
check "--json: no NaN or infinity" sh -c "! grep -Eqi ': *-?(nan|inf)' '$tmp/out.json'"
check "--json: every direction is one of four" \
  sh -c "! grep -E '\"(rate_|wait_)?direction\": ' '$tmp/out.json' | grep -vEq '\"(better|worse|same|changed)\"'"

# --- one outcome model: two logs that alone infer different successful ends
# (100% vs 70%, not 80% vs 70%): case compare-one-outcome-model in fixtures/cli/cases

# --- the shared logs (skipped without ../shared) ---
shared=${CX_SHARED:-}
if [ -n "$shared" ] && [ -f "$shared/data/helpdesk.xes.gz" ]; then
  run "$tmp/rc" "$tmp/hd.json" "$shared/data/helpdesk.xes.gz" --split-at 2012-06-01 --json
  check "helpdesk split: exit 0" test "$(rc)" = 0
  check "helpdesk split: fewer 'Closed' is not better" \
    sh -c "grep -A40 '\"activity\": \"Closed\"' '$tmp/hd.json' | grep -m1 '\"rate_direction\"' | grep -vq better"
  run "$tmp/rc" "$tmp/hdby.txt" "$shared/data/helpdesk.xes.gz" --by seriousness_2
  check "helpdesk --by an event attribute: an overview of 4 segments" grep -q "^Segments by seriousness_2 (4):" "$tmp/hdby.txt"
else
  skip "helpdesk split" "no ../shared"
fi

# --- docs/json.md documents every key of both shapes, and nothing else ---
doc="${CX_SOURCE_ROOT:-}/docs/json.md"
if [ -x /usr/bin/python3 ] && [ -f "$doc" ]; then
  "$CXGEN" -n 400 --seed 5 --plant rework --plant dropoff --satisfaction -o "$tmp/planted.xes"
  "$CXMINE" compare "$tmp/planted.xes" --by region --satisfaction-key csat --json >"$tmp/region.json" 2>/dev/null
  "$CXMINE" compare "$tmp/planted.xes" --split-at 2024-07-01 --satisfaction-key csat --json >"$tmp/satsplit.json" 2>/dev/null
  check "docs/json.md ## compare: exactly the keys of real output (two logs + --by)" \
    /usr/bin/python3 - "$doc" "$tmp/out.json" "$tmp/region.json" "$tmp/satsplit.json" <<'PY'
import json, re, sys
text = open(sys.argv[1]).read()
sec = text[text.index("## compare"):]
nxt = sec.find("\n## ", 5)
sec = sec if nxt < 0 else sec[:nxt]
doc = set(re.findall(r"^\| `([^`]+)` \|", sec, re.M))
seen = set()
def walk(o, pre):
    if isinstance(o, dict):
        for k, v in o.items():
            p = pre + "." + k if pre else k
            seen.add(p)
            walk(v, p)
    elif isinstance(o, list):
        for v in o:
            walk(v, pre + "[]")
for f in sys.argv[2:]:
    walk(json.load(open(f)), "")
extra, missing = sorted(seen - doc), sorted(doc - seen)
if extra or missing:
    print("# undocumented:", extra[:10], "documented but absent:", missing[:10])
    sys.exit(1)
PY
else
  skip "docs/json.md ## compare" "no python3 or no docs"
fi

# --- satisfaction: a planted drop comes out worse, two samples of one process the same ---
"$CXGEN" -n 1500 --seed 11 --satisfaction -f csv -o "$tmp/sat0.csv"
"$CXGEN" -n 1500 --seed 12 --satisfaction -f csv -o "$tmp/sat1.csv"
"$CXGEN" -n 1500 --seed 13 --satisfaction --plant loop:0.5 -f csv -o "$tmp/satw.csv"
sat_dir() { grep -A30 '"satisfaction": {' "$1" | grep -m1 '"direction"' | sed 's/.*: "\([a-z]*\)".*/\1/'; }
run "$tmp/rc" "$tmp/sataa.json" "$tmp/sat0.csv" "$tmp/sat1.csv" --satisfaction-key csat --json
check "satisfaction, A/A: exit 0" test "$(rc)" = 0
check "satisfaction, A/A: same" test "$(sat_dir "$tmp/sataa.json")" = same
check "satisfaction: scored journeys counted per side" \
  sh -c "grep -A8 '\"satisfaction\": {' '$tmp/sataa.json' | grep -q '\"cases\": 1500'"
run "$tmp/rc" "$tmp/satw.json" "$tmp/sat0.csv" "$tmp/satw.csv" --satisfaction-key csat --json
check "satisfaction, planted drop: worse" test "$(sat_dir "$tmp/satw.json")" = worse
run "$tmp/rc" "$tmp/satl.json" "$tmp/sat0.csv" "$tmp/satw.csv" --satisfaction-key csat --satisfaction-lower-is-better --json
check "satisfaction, lower is better: the same drop is better" test "$(sat_dir "$tmp/satl.json")" = better
run "$tmp/rc" "$tmp/satw.txt" "$tmp/sat0.csv" "$tmp/satw.csv" --satisfaction-key csat
check "satisfaction: said in the sentences" grep -q "Satisfaction is worse (mean score " "$tmp/satw.txt"
check "satisfaction: listed under Worse" grep -q "^  Satisfaction (higher is better): mean " "$tmp/satw.txt"
run "$tmp/rc" "$tmp/satn.json" "$tmp/sat0.csv" "$tmp/sat1.csv" --json
check "satisfaction: null without --satisfaction-key" grep -q '"satisfaction": null' "$tmp/satn.json"
run "$tmp/rc" "$tmp/x" "$tmp/sat0.csv" "$tmp/sat1.csv" --satisfaction-lower-is-better
check "--satisfaction-lower-is-better without a key: exit 2" test "$(rc)" = 2

# --- friction lines: per side, exactly what `cxmine friction --json` says on that side ---
if [ -x /usr/bin/python3 ]; then
  "$CXGEN" -n 800 --seed 21 --plant rework:0.3 --plant dropoff:0.2 --plant bottleneck --plant loop:0.2 \
    -f csv -o "$tmp/fr.csv"
  "$CXGEN" -n 800 --seed 22 --plant pingpong:0.3 --plant dropoff:0.1 --plant negative:0.2 \
    -f csv -o "$tmp/fr2.csv"
  model="--success Close --open-after 2d"
  # shellcheck disable=SC2086
  {
    "$CXMINE" compare "$tmp/fr.csv" --split-at 2024-07-01 $model --json >"$tmp/frc.json" 2>/dev/null
    "$CXMINE" friction "$tmp/fr.csv" --to 2024-07-01 $model --json >"$tmp/fr0.json" 2>/dev/null
    "$CXMINE" friction "$tmp/fr.csv" --from 2024-07-01 $model --json >"$tmp/fr1.json" 2>/dev/null
    "$CXMINE" compare "$tmp/fr.csv" "$tmp/fr2.csv" $model --json >"$tmp/frc2.json" 2>/dev/null
    "$CXMINE" friction "$tmp/fr2.csv" $model --json >"$tmp/fr2.json" 2>/dev/null
    "$CXMINE" friction "$tmp/fr.csv" $model --json >"$tmp/frall.json" 2>/dev/null
  }
  cat >"$tmp/frcheck.py" <<'PY'
import json, sys
cmp = json.load(open(sys.argv[1]))
sides = [json.load(open(f)) for f in sys.argv[2:4]]
bad, kinds = [], 0
for item in cmp["friction"]:
    for k, side in enumerate(("before", "after")):
        fd = [x for x in sides[k]["findings"] if x["kind"] == item["kind"]]
        lost = sum(x["customers_lost"] for x in fd)
        time_s = sum(x["extra_time_s"] for x in fd)
        got = item[side]
        if got["customers_lost"] != lost or abs(got["extra_time_s"] - time_s) > 1e-6 * max(1, time_s):
            bad.append((item["kind"], side, got["customers_lost"], lost, got["extra_time_s"], time_s))
        kinds += bool(fd)
if bad or kinds < 4:
    print("# differ:", bad[:6], "kinds with findings:", kinds)
    sys.exit(1)
PY
  check "friction lines, --split-at: each side's customers lost and time lost = cxmine friction on it" \
    /usr/bin/python3 "$tmp/frcheck.py" "$tmp/frc.json" "$tmp/fr0.json" "$tmp/fr1.json"
  check "friction lines, two logs: each side's customers lost and time lost = cxmine friction on it" \
    /usr/bin/python3 "$tmp/frcheck.py" "$tmp/frc2.json" "$tmp/frall.json" "$tmp/fr2.json"
else
  skip "friction lines = cxmine friction" "no /usr/bin/python3"
fi

# --- friction lines with --by: each segment, and each segment's rest, has its own analysis ---
if [ -x /usr/bin/python3 ]; then
  # three values of the (per-case) attribute "segment": every 4th case a partner
  "$CXGEN" -n 1500 --seed 23 --plant rework:0.3 --plant dropoff:0.2 --plant bottleneck \
    --plant loop:0.2 --plant negative:0.2 -f csv -o "$tmp/seg0.csv"
  awk -F, -v OFS=, 'NR > 1 && substr($1, 2) % 4 == 0 { $6 = "partner" } { print }' \
    "$tmp/seg0.csv" >"$tmp/seg.csv"
  model="--success Close --open-after 2d"
  # shellcheck disable=SC2086
  "$CXMINE" compare "$tmp/seg.csv" --by segment $model --json >"$tmp/segc.json" 2>/dev/null
  for v in business consumer partner; do
    # the rest of $v: the other values renamed, so that one --where selects them
    awk -F, -v OFS=, -v v="$v" 'NR > 1 && $6 != v { $6 = "rest" } { print }' \
      "$tmp/seg.csv" >"$tmp/rest-$v.csv"
    # shellcheck disable=SC2086
    {
      "$CXMINE" friction "$tmp/seg.csv" --where "segment=$v" $model --json >"$tmp/segf-$v.json" \
        2>/dev/null
      "$CXMINE" friction "$tmp/rest-$v.csv" --where segment=rest $model --json \
        >"$tmp/restf-$v.json" 2>/dev/null
    }
  done
  cat >"$tmp/segcheck.py" <<'PY'
import json, sys
d = sys.argv[2]
cmp = json.load(open(sys.argv[1]))
def costs(path):
    f = json.load(open(path))
    by = {}
    for x in f["findings"]:
        c = by.setdefault(x["kind"], [0, 0.0])
        c[0] += x["customers_lost"]
        c[1] += x["extra_time_s"]
    return f, by
def same(got, want):
    return got["customers_lost"] == want[0] and abs(got["extra_time_s"] - want[1]) <= 1e-6 * max(1, want[1])
bad, kinds = [], 0
assert cmp["baseline"] is None and len(cmp["comparisons"]) == 3, "three segments, each vs the rest"
for c in cmp["comparisons"]:
    v = c["segment"]
    sides = {"after": costs("%s/segf-%s.json" % (d, v)), "before": costs("%s/restf-%s.json" % (d, v))}
    for side, (f, by) in sides.items():
        seen = set()
        for item in c["friction"]:
            seen.add(item["kind"])
            want = by.get(item["kind"], [0, 0.0])
            kinds += item["kind"] in by
            if not same(item[side], want):
                bad.append((v, side, item["kind"], item[side], want))
        for k in set(by) - seen:
            bad.append((v, side, k, "missing", by[k]))
    f, by = sides["after"]
    row = [r for r in cmp["segments"] if r["segment"] == v][0]
    if row["cases"] != f["cases"] or row["customers_lost"] != f["outcomes"]["dropoff"]:
        bad.append((v, "overview", row["cases"], f["cases"], row["customers_lost"], f["outcomes"]))
    top = max(by, key=lambda k: (by[k][0], by[k][1])) if by else None
    if top is not None and row["top_friction"] != top:
        bad.append((v, "top friction", row["top_friction"], top))
if bad or kinds < 12:
    print("# differ:", bad[:6], "kinds with findings:", kinds)
    sys.exit(1)
PY
  check "friction lines, --by: each segment's and each rest's figures = cxmine friction --where on it" \
    /usr/bin/python3 "$tmp/segcheck.py" "$tmp/segc.json" "$tmp"
else
  skip "friction lines, --by = cxmine friction --where" "no /usr/bin/python3"
fi

# --- one outcome model for two logs: one inferred open-after limit, stated once ---
run "$tmp/rc" "$tmp/om.json" "$tmp/before.csv" "$tmp/after.csv" --json
check "two logs, inferred open-after: one limit for both, stated once" \
  sh -c "test \$(grep -c 'still open' '$tmp/om.json') = 1 && grep -q 'one limit for both: the longer of those inferred from each log' '$tmp/om.json'"

# --- exit codes ---
run "$tmp/rc" "$tmp/x" "$tmp/before.csv"
check "missing second log: exit 2" test "$(rc)" = 2
run "$tmp/rc" "$tmp/x" "$tmp/one.xes" --split-at 2024-07-01 --by segment
check "--split-at with --by: exit 2" test "$(rc)" = 2
run "$tmp/rc" "$tmp/x" "$tmp/before.csv" "$tmp/after.csv" --baseline x
check "--baseline without --by: exit 2" test "$(rc)" = 2
run "$tmp/rc" "$tmp/x" "$tmp/one.xes" --by segment --baseline nosuchvalue
check "--baseline of no segment: exit 2" test "$(rc)" = 2
run "$tmp/rc" "$tmp/x" "$tmp/before.csv" "$tmp/after.csv" --alpha 2
check "--alpha out of range: exit 2" test "$(rc)" = 2
run "$tmp/rc" "$tmp/x" "$tmp/before.csv" "$tmp/after.csv" --min-effect 0.1
check "--min-effect without points: exit 2" test "$(rc)" = 2
run "$tmp/rc" "$tmp/x" "$tmp/before.csv" "$tmp/after.csv" --open-after soon
check "--open-after not a duration: exit 2" test "$(rc)" = 2
run "$tmp/rc" "$tmp/succ.json" "$tmp/before.csv" "$tmp/after.csv" --success Close --open-after 0 --json
check "--success --open-after: exit 0" test "$(rc)" = 0
check "--success: the rule names the list" grep -q '"success_rule": "Successful ends are given by --success' "$tmp/succ.json"
run "$tmp/rc" "$tmp/x" "$tmp/before.csv" "$tmp/missing.csv"
check "unreadable input: exit 1" test "$(rc)" = 1
check "unreadable input: one-line message naming the file" grep -q "missing.csv" "$tmp/stderr"

# --- the diff map ---
mkdir "$tmp/map"
run "$tmp/rc" "$tmp/x" "$tmp/before.csv" "$tmp/after.csv" -o "$tmp/map/diff.dot"
check "-o: exit 0" test "$(rc)" = 0
check "-o: a DOT digraph with a legend" grep -q "green = better, red = worse, blue = changed" "$tmp/map/diff.dot"
check "-o: labels in percent of journeys, no per-mille" sh -c "! grep -q '‰' '$tmp/map/diff.dot'"
check "-o: atomic, nothing else left in the folder" test "$(ls "$tmp/map")" = "diff.dot"
check "-o: the report still goes to standard output" grep -q "^Better" "$tmp/x"
cp "$tmp/map/diff.dot" "$tmp/first.dot"
run "$tmp/rc" "$tmp/x" "$tmp/before.csv" "$tmp/after.csv" -o "$tmp/map/diff.dot"
check "-o: byte-identical across runs" cmp -s "$tmp/first.dot" "$tmp/map/diff.dot"
if command -v dot >/dev/null 2>&1; then
  run "$tmp/rc" "$tmp/x" "$tmp/before.csv" "$tmp/after.csv" -o "$tmp/map/diff.dot" --render svg
  check "--render svg: exit 0" test "$(rc)" = 0
  check "--render svg: an SVG beside the DOT" grep -q "<svg" "$tmp/map/diff.svg"
else
  skip "--render svg" "no dot"
  skip "--render svg: an SVG beside the DOT" "no dot"
fi
run "$tmp/rc" "$tmp/x" "$tmp/one.xes" --by region -o "$tmp/map/seg.dot"
check "--by -o: one map per compared segment" test -s "$tmp/map/seg-north.dot" -a -s "$tmp/map/seg-central.dot"

# --- decimal-comma locale ---
if locale -a 2>/dev/null | grep -qi '^de_DE\.utf-\?8$'; then
  LC_ALL=de_DE.UTF-8 "$CXMINE" compare "$tmp/before.csv" "$tmp/after.csv" -o "$tmp/de.dot" >/dev/null 2>&1
  LC_ALL=de_DE.UTF-8 "$CXMINE" compare "$tmp/before.csv" "$tmp/after.csv" --json >"$tmp/de.json" 2>/dev/null
  check "de_DE: the DOT is the same as under C" cmp -s "$tmp/first.dot" "$tmp/de.dot"
  check "de_DE: the JSON is the same as under C" cmp -s "$tmp/out.json" "$tmp/de.json"
  check "de_DE: no decimal commas in DOT numbers" \
    sh -c "! grep -Eq '(penwidth|weight|fontsize)=\"?[0-9]+,[0-9]' '$tmp/de.dot'"
  check "de_DE: no decimal commas in JSON numbers" sh -c "! grep -Eq ': -?[0-9]+,[0-9]' '$tmp/de.json'"
else
  skip "de_DE" "locale not installed"
fi

echo "1..$n"
test "$fails" = 0
