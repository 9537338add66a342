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
check "two logs: headline" grep -q "before.csv (300 journeys) vs after.csv (300 journeys)" "$tmp/two.txt"

run "$tmp/rc" "$tmp/split.txt" "$tmp/one.xes" --split-at 2024-07-01
check "--split-at: exit 0" test "$(rc)" = 0
check "--split-at: sides named by the date" grep -q "^before 2024-07-01 (" "$tmp/split.txt"

run "$tmp/rc" "$tmp/by.txt" "$tmp/one.xes" --by segment
check "--by: exit 0" test "$(rc)" = 0
check "--by: each segment vs the rest" grep -q "^== segment=business vs the rest ==" "$tmp/by.txt"
check "--by: both segments" grep -q "^== segment=consumer vs the rest ==" "$tmp/by.txt"

run "$tmp/rc" "$tmp/base.txt" "$tmp/one.xes" --by segment --baseline consumer
check "--by --baseline: exit 0" test "$(rc)" = 0
check "--by --baseline: vs the baseline" grep -q "^== segment=business vs segment=consumer ==" "$tmp/base.txt"
check "--by --baseline: the baseline is not compared with itself" \
  sh -c "! grep -q '^== segment=consumer vs' '$tmp/base.txt'"

# --- JSON contract ---
run "$tmp/rc" "$tmp/out.json" "$tmp/before.csv" "$tmp/after.csv" --json
check "--json: exit 0" test "$(rc)" = 0
for key in '"before": {' '"after": {' '"cases": 300' '"edges": \[' '"from": "' '"to": "' \
  '"count": [0-9]' '"rate": [0-9]' '"wait_median_s": ' '"rate_q": ' '"wait_q": ' \
  '"significant": (true|false)' '"direction": "(better|worse|same)"' '"throughput": {' \
  '"before_median_s": [0-9]' '"after_median_s": [0-9]' '"q": [0-9]' '"friction": \['; do
  check "--json has $key" grep -Eq "$key" "$tmp/out.json"
done
check "--json: no NaN or infinity" sh -c "! grep -Eqi ': *-?(nan|inf)' '$tmp/out.json'"

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
run "$tmp/rc" "$tmp/x" "$tmp/before.csv" "$tmp/missing.csv"
check "unreadable input: exit 1" test "$(rc)" = 1
check "unreadable input: one-line message naming the file" grep -q "missing.csv" "$tmp/stderr"

# --- the diff map ---
mkdir "$tmp/map"
run "$tmp/rc" "$tmp/x" "$tmp/before.csv" "$tmp/after.csv" -o "$tmp/map/diff.dot"
check "-o: exit 0" test "$(rc)" = 0
check "-o: a DOT digraph with a legend" grep -q "significantly better" "$tmp/map/diff.dot"
check "-o: atomic, nothing else left in the folder" test "$(ls "$tmp/map")" = "diff.dot"
check "-o: the report still goes to standard output" grep -q "^Got better" "$tmp/x"
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
run "$tmp/rc" "$tmp/x" "$tmp/one.xes" --by segment -o "$tmp/map/seg.dot"
check "--by -o: one map per segment" test -s "$tmp/map/seg-business.dot" -a -s "$tmp/map/seg-consumer.dot"

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
