#!/bin/sh
# End-to-end tests of `cxmine friction` (TAP): the JSON contract, the map
# (-o, atomic; --render), exit codes, determinism and a decimal-comma locale.
# Usage: test-friction-cli.sh CXMINE CXGEN
set -u
CXMINE=$1
CXGEN=$2
T=$(mktemp -d "${TMPDIR:-/tmp}/cxfriction-cli.XXXXXX")
trap 'rm -rf "$T"' EXIT
export LC_ALL=C
n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=1; echo "not ok $n - $1"; }
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
check() { # NAME COMMAND...
  name=$1
  shift
  if "$@" >"$T/out" 2>&1; then ok "$name"; else not_ok "$name"; sed 's/^/# /' "$T/out"; fi
}
# exit code of a run: code NAME WANT ARGS...
code() {
  name=$1
  want=$2
  shift 2
  "$CXMINE" friction "$@" >"$T/stdout" 2>"$T/stderr"
  got=$?
  if [ "$got" -eq "$want" ] && [ -s "$T/stderr" ]; then
    ok "$name (exit $want)"
  else
    not_ok "$name: exit $got, want $want"
    sed 's/^/# /' "$T/stderr"
  fi
}

echo "1..35"

LOG=$T/log.xes
"$CXGEN" --cases 400 --seed 3 --plant rework --plant dropoff --plant bottleneck -o "$LOG" \
  -t "$T/truth.json" || { echo "Bail out! cxgen failed"; exit 1; }

# 1-3: the JSON contract
"$CXMINE" friction --json --top 0 "$LOG" >"$T/a.json"
check "--json exits 0 with the contract keys" sh -c '
  f=$1
  grep -q "^  \"cases\": 400,$" "$f" || exit 1
  grep -q "^  \"findings\": \[$" "$f" || exit 1
  sed -n "/^  \"findings\": \[$/,/^  \],\?$/p" "$f" >"$f.findings"
  f=$f.findings
  k=$(grep -c "^      \"kind\": \"\(bottleneck\|rework\|pingpong\|loop\|dropoff\|repeat_contact\|channel_switch\|negative\|effort\|inconsistency\|drift\)\",$" "$f")
  [ "$k" -ge 3 ] || exit 1
  for key in activities cases share impact_s score; do
    c=$(grep -c "^      \"$key\": " "$f")
    [ "$c" -eq "$k" ] || { echo "$key: $c of $k"; exit 1; }
  done' - "$T/a.json"
check "--json findings are ordered by score, highest first" sh -c '
  grep "^      \"score\": " "$1" | sed "s/.*: //; s/,$//" >"$1.scores"
  [ -s "$1.scores" ] && sort -g -r -c "$1.scores"' - "$T/a.json"
check "--json names the planted rework and drop-off" sh -c '
  grep -A2 "\"kind\": \"rework\"" "$1" | grep -q "\"Investigate\"" &&
  grep -A2 "\"kind\": \"dropoff\"" "$1" | grep -q "\"Request info\""' - "$T/a.json"

# 4: open journeys: inferred by default, off with 0
"$CXMINE" friction --json --open-after 0 "$LOG" >"$T/off.json"
check "--open-after is inferred by default and 0 turns it off" sh -c '
  grep -q "^  \"open_after_s\": 0,$" "$2" &&
  ! grep -q "^  \"open_after_s\": 0,$" "$1" &&
  grep -q "inferred; set it with --open-after" "$1"' - "$T/a.json" "$T/off.json"

# 5-7: the map
echo "stale" >"$T/map.dot"
"$CXMINE" friction -o "$T/map.dot" "$LOG" >"$T/report.txt"
check "-o map.dot replaces the file with the highlighted map" sh -c '
  head -1 "$1" | grep -q "^digraph" && ! grep -q "^stale" "$1" &&
  grep -q "#d7301f" "$1" && grep -q "#1 " "$1" && tail -1 "$1" | grep -q "^}"' - "$T/map.dot"
check "-o leaves no temporary file behind" sh -c '
  [ "$(ls -A "$1" | grep -c "map")" -eq 1 ]' - "$T"
code "-o into a missing directory fails" 1 -o "$T/nodir/map.dot" "$LOG"

# 8: --render
if command -v dot >/dev/null 2>&1; then
  "$CXMINE" friction -o "$T/r.dot" --render svg "$LOG" >/dev/null
  check "--render svg writes r.svg next to r.dot" sh -c 'grep -q "<svg" "$1"' - "$T/r.svg"
else
  skip "--render svg" "Graphviz dot not found"
fi

# 9-14: exit codes
code "bad --open-after" 2 --open-after 3x "$LOG"
code "negative --open-after" 2 --open-after -5d "$LOG"
code "bad threshold" 2 --min-share 1.5 "$LOG"
code "bad --success list" 2 --success "Close,,Resolve" "$LOG"
code "--success name not in the log" 2 --success "Clsoe" "$LOG"
code "missing input" 1 "$T/nope.xes"
printf '<log><trace><string key="concept:name" value="1"/><event>' >"$T/broken.xes"
code "malformed input" 1 "$T/broken.xes"

# 16-17: byte-identical runs and a decimal-comma locale
"$CXMINE" friction --json --top 0 "$LOG" >"$T/b.json"
"$CXMINE" friction -o "$T/map2.dot" "$LOG" >"$T/report2.txt"
check "two runs are byte-identical" sh -c '
  cmp "$1/a.json" "$1/b.json" && cmp "$1/map.dot" "$1/map2.dot" &&
  cmp "$1/report.txt" "$1/report2.txt"' - "$T"
if locale -a 2>/dev/null | grep -qi '^de_DE\.utf-\?8$'; then
  LC_ALL=de_DE.UTF-8 "$CXMINE" friction --json --top 0 "$LOG" >"$T/de.json"
  LC_ALL=de_DE.UTF-8 "$CXMINE" friction -o "$T/de.dot" "$LOG" >"$T/de.txt"
  check "de_DE.UTF-8: no decimal commas, same bytes as under C" sh -c '
    cmp "$1/a.json" "$1/de.json" && cmp "$1/map.dot" "$1/de.dot" &&
    cmp "$1/report.txt" "$1/de.txt" && ! grep -q "penwidth=\"\?[0-9]*,[0-9]" "$1/de.dot"' - "$T"
else
  skip "de_DE.UTF-8 output" "locale de_DE.UTF-8 missing"
fi
# 18-31: the whole answer, rankings, drill-down, statuses (branch friction)
"$CXMINE" friction --json "$LOG" >"$T/all.json"
"$CXMINE" friction --json --top 1 "$LOG" >"$T/top1.json"
check "--json without --top lists every finding (findings_total, not truncated)" sh -c '
  total=$(sed -n "s/^  \"findings_total\": \([0-9]*\),$/\1/p" "$1")
  listed=$(sed -n "/^  \"findings\": \[$/,/^  \],\?$/p" "$1" | grep -c "^      \"kind\": ")
  [ -n "$total" ] && [ "$total" -ge 2 ] && [ "$total" -eq "$listed" ] &&
  grep -q "^  \"truncated\": false,$" "$1"' - "$T/all.json"
check "--json --top 1 says how many there were and that it cut" sh -c '
  grep -q "^  \"truncated\": true,$" "$2" &&
  [ "$(sed -n "s/^  \"findings_total\": \([0-9]*\),$/\1/p" "$1")" = \
    "$(sed -n "s/^  \"findings_total\": \([0-9]*\),$/\1/p" "$2")" ] &&
  [ "$(sed -n "/^  \"findings\": \[$/,/^  \],\?$/p" "$2" | grep -c "^      \"kind\": ")" -eq 1 ]' \
  - "$T/all.json" "$T/top1.json"
check "each finding states both currencies and success with/without" sh -c '
  sed -n "/^  \"findings\": \[$/,/^  \],\?$/p" "$1" >"$1.f"
  f=$1.f
  k=$(grep -c "^      \"kind\": " "$f")
  [ "$k" -ge 2 ] || exit 1
  for key in customers_lost customers_lost_share extra_time_s extra_time_share success_with \
             success_without also; do
    c=$(grep -c "^      \"$key\": " "$f")
    [ "$c" -eq "$k" ] || { echo "$key: $c of $k"; exit 1; }
  done' - "$T/all.json"
check "the default ranking: customers lost, highest first" sh -c '
  sed -n "/^  \"findings\": \[$/,/^  \],\?$/p" "$1" | grep "^      \"customers_lost\": " |
    sed "s/.*: //; s/,$//" >"$1.cl"
  [ -s "$1.cl" ] && sort -g -r -c "$1.cl" && grep -q "^  \"rank\": \"customers\",$" "$1"' - "$T/all.json"
"$CXMINE" friction --json --rank time "$LOG" >"$T/time.json"
check "--rank time: extra time, highest first" sh -c '
  sed -n "/^  \"findings\": \[$/,/^  \],\?$/p" "$1" | grep "^      \"extra_time_s\": " |
    sed "s/.*: //; s/,$//" >"$1.et"
  [ -s "$1.et" ] && sort -g -r -c "$1.et"' - "$T/time.json"
check "funnel[] with reached, left and left_share, most reached first" sh -c '
  grep -q "^  \"funnel\": \[$" "$1" &&
  sed -n "/^  \"funnel\": \[$/,/^  \],\?$/p" "$1" | grep "^      \"reached\": " |
    sed "s/.*: //; s/,$//" >"$1.r" && [ -s "$1.r" ] && sort -g -r -c "$1.r" &&
  grep -q "^      \"left_share\": " "$1"' - "$T/all.json"
"$CXMINE" friction --json --case-ids "$LOG" >"$T/ids.json"
check "--case-ids lists every case of a finding" sh -c '
  sed -n "/^  \"findings\": \[$/,/^  \],\?$/p" "$1" >"$1.f"
  n=$(grep -c "^      \"case_ids\": \[" "$1.f"); k=$(grep -c "^      \"kind\": " "$1.f")
  [ "$n" -eq "$k" ] && grep -q "\"C0000" "$1"' - "$T/ids.json"
"$CXMINE" friction --case-ids "$LOG" >"$T/ids.txt"
check "--case-ids in text: a cases line under each finding, with a hint" sh -c '
  n=$(grep -c "^ *cases: C0000" "$1"); k=$(grep -c "^ *[0-9][0-9]*  [a-z_]* " "$1")
  [ "$n" -ge "$k" ] && [ "$k" -ge 1 ] && grep -q "json --case-ids lists every case id" "$1"' - "$T/ids.txt"
code "bad --rank" 2 --rank money "$LOG"
code "--rank satisfaction without a key" 2 --rank satisfaction "$LOG"
code "bad --repeat-window" 2 --repeat-window 7x "$LOG"
"$CXGEN" --cases 300 --seed 5 --plant pingpong --satisfaction -o "$T/sat.xes" ||
  { echo "Bail out! cxgen failed"; exit 1; }
"$CXMINE" friction --json --satisfaction-key csat --rank satisfaction "$T/sat.xes" >"$T/sat.json"
check "--satisfaction-key: satisfaction_with/without, ranked by satisfaction" sh -c '
  grep -q "^  \"rank\": \"satisfaction\",$" "$1" && grep -q "^  \"scored_cases\": 300,$" "$1" &&
  grep -q "^      \"satisfaction_with\": [0-9]" "$1" &&
  grep -q "^      \"satisfaction_without\": [0-9]" "$1"' - "$T/sat.json"
# statuses in lifecycle:transition: a hint, and --activity-key twice uses them
{
  echo "<log>"
  for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
    st=Closed
    [ "$i" -gt 8 ] && st=Wait
    printf "<trace><string key=\"concept:name\" value=\"%s\"/>" "$i"
    printf "<event><string key=\"concept:name\" value=\"Accepted\"/><string key=\"lifecycle:transition\" value=\"In Progress\"/><date key=\"time:timestamp\" value=\"2024-01-01T10:00:00Z\"/></event>"
    printf "<event><string key=\"concept:name\" value=\"Accepted\"/><string key=\"lifecycle:transition\" value=\"%s\"/><date key=\"time:timestamp\" value=\"2024-01-02T10:00:00Z\"/></event>" "$st"
    echo "</trace>"
  done
  echo "</log>"
} >"$T/status.xes"
"$CXMINE" friction --open-after 0 "$T/status.xes" >"$T/st.txt" 2>"$T/st.err"
check "statuses in lifecycle:transition: a warning suggesting --activity-key" sh -c '
  grep -q "warning: .*look like statuses.*--activity-key concept:name --activity-key lifecycle:transition" "$1" &&
  grep -q "^Note: " "$2"' - "$T/st.err" "$T/st.txt"
"$CXMINE" friction --json --open-after 0 --activity-key concept:name \
  --activity-key lifecycle:transition "$T/status.xes" >"$T/st.json" 2>"$T/st2.err"
check "--activity-key repeated joins the keys with ' | '" sh -c '
  grep -q "Accepted | Closed" "$1" && grep -q "\"dropoff\": 4" "$1" &&
  ! grep -q "look like statuses" "$2"' - "$T/st.json" "$T/st2.err"
check "the map marks the top 5 at most and draws where journeys stop" sh -c '
  n=$(grep -o "#[0-9]* [a-z_]*" "$1" | sed "s/ .*//" | sort -u | wc -l)
  [ "$n" -ge 1 ] && [ "$n" -le 5 ] && grep -q "dropped off" "$1" && grep -q " stop " "$1"' \
  - "$T/map.dot"
# an event attribute's last value (KEY@last, ../shared/DECISIONS.md)
{
  echo "<log>"
  for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
    printf "<trace><string key=\"concept:name\" value=\"%s\"/>" "$i"
    printf "<event><string key=\"concept:name\" value=\"Ask\"/><int key=\"csat\" value=\"1\"/><date key=\"time:timestamp\" value=\"2024-01-01T10:00:00Z\"/></event>"
    if [ "$i" -le 4 ]; then
      printf "<event><string key=\"concept:name\" value=\"Ask\"/><date key=\"time:timestamp\" value=\"2024-01-03T10:00:00Z\"/></event>"
      last=2
    else
      last=5
    fi
    printf "<event><string key=\"concept:name\" value=\"Done\"/><int key=\"csat\" value=\"%s\"/><date key=\"time:timestamp\" value=\"2024-01-04T10:00:00Z\"/></event>" "$last"
    echo "</trace>"
  done
  echo "</log>"
} >"$T/ev.xes"
"$CXMINE" friction --json --min-cases 2 --rank satisfaction --satisfaction-key csat@last "$T/ev.xes" >"$T/ev.json"
check "--satisfaction-key KEY@last reads an event attribute's last value" sh -c '
  grep -q "^  \"scored_cases\": 12,$" "$1" &&
  grep -q "^      \"satisfaction_with\": 2,$" "$1" &&
  grep -q "^      \"satisfaction_without\": 5,$" "$1"' - "$T/ev.json"

# without --case-ids the journeys go unnamed (a fingerprint a case): the
# findings are those of the named run, also when a case id repeats across
# traces (the scan restarts grouped).  same-findings.py A B: A (unnamed)
# equals B (named) without its case ids, with findings, over 400 cases.
cat >"$T/same-findings.py" <<'PY'
import json, sys
def strip(v):
    if isinstance(v, dict):
        return {k: strip(x) for k, x in v.items() if k != "case_ids"}
    if isinstance(v, list):
        return [strip(x) for x in v]
    return v
a, b = (json.load(open(p)) for p in sys.argv[1:3])
sys.exit(0 if a == strip(b) and a["findings"] and a["cases"] == 400 else 1)
PY
"$CXMINE" friction --json "$LOG" >"$T/anon.json"
"$CXMINE" friction --json --case-ids "$LOG" >"$T/named.json"
check "unnamed journeys: the findings of the named run" \
  /usr/bin/python3 "$T/same-findings.py" "$T/anon.json" "$T/named.json"
/usr/bin/python3 -c '
import sys
x = open(sys.argv[1]).read()
a, b = x.index("<trace"), x.rindex("</trace>") + len("</trace>")
open(sys.argv[2], "w").write(x[:b] + x[a:b] + x[b:])' "$LOG" "$T/twice.xes"
"$CXMINE" friction --json "$T/twice.xes" >"$T/anon2.json"
"$CXMINE" friction --json --case-ids "$T/twice.xes" >"$T/named2.json"
check "unnamed journeys, case ids repeated across traces: the named run's findings" \
  /usr/bin/python3 "$T/same-findings.py" "$T/anon2.json" "$T/named2.json"
exit $failed
