#!/bin/bash
# What cxmine tells people: warnings for selections that came out empty,
# "did you mean" for mistyped names, the grammar and numbers of its human
# text, and times shown in --display-timezone.  TAP output.
#
# usage: test-text.sh PATH/TO/cxmine SOURCE_ROOT
set -u
CX=$(realpath "${1:?cxmine binary}")
SRC=$(realpath "${2:?source root}")
SAMPLE=$SRC/fixtures/sample/customer-journeys.xes.gz
RUNEX=$SRC/fixtures/csv/running-example.csv
SHARED=${CX_SHARED:-$SRC/../shared}
export LC_ALL=C

T=$(mktemp -d "${TMPDIR:-/tmp}/cxmine-text-XXXXXX") || exit 99
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
  if [ -s err ]; then sed 's/^/#   stderr: /' err | head -8; fi
}
run() {
  timeout 60 "$CX" "$@" >out 2>err <"${STDIN:-/dev/null}"
  rc=$?
}
# check NAME CONDITION-COMMAND... : ok when the command succeeds
check() {
  local name=$1
  shift
  if "$@"; then ok "$name"; else not_ok "$name" "exit status $rc" "$(head -c 600 out)"; fi
}
has_err() { grep -Fq -- "$1" err; }
has_out() { grep -Fq -- "$1" out; }
no_out() { ! grep -Eq -- "$1" out; }

# did you mean, --help, the sample's numbers: cases in fixtures/sample/cases
# and fixtures/cli/cases (tests/cli/run.py)

# ---------------------------------------------------------------- numbers in stats

# 3,001 cases: one starts elsewhere (a share of 0.033%), 3,000 with 'a'
{
  echo 'case,activity,timestamp'
  echo 'c0,x,2024-01-01T09:00:00Z'
  echo 'c0,a,2024-01-01T10:00:00Z'
  for i in $(seq 1 3000); do echo "c$i,a,2024-01-02T10:00:00Z"; echo "c$i,b,2024-01-02T11:00:00Z"; done
} >tiny.csv
run stats tiny.csv
check "a tiny non-zero share prints <0.1%, not 0%" \
  eval '[ "$rc" = 0 ] && grep -Eq "^ +1 +<0\.1%  x$" out && ! grep -Eq " 0%  x$" out'
check "nearly all prints >99.9%, not 100%" \
  eval 'grep -Eq "^ +3,000 +>99\.9%  a$" out'
# ---------------------------------------------------------------- time zones

printf 'case,activity,timestamp\n1,a,2024-01-15 10:00:00\n1,b,2024-07-15 10:00:00\n' >naive.csv
# the period in a zone or in UTC, JSON in UTC, 4-digit years, unknown zones:
# cases in fixtures/cli/cases
run stats --display-timezone Europe/Amsterdm naive.csv
if [ -r /usr/share/zoneinfo/tzdata.zi ]; then
  check "a near-miss zone: did you mean 'Europe/Amsterdam'" \
    eval '[ "$rc" = 2 ] && has_err "did you mean '"'"'Europe/Amsterdam'"'"'"'
else
  skip "a near-miss zone (no /usr/share/zoneinfo/tzdata.zi)"
fi
ROAD=$SHARED/data/road_traffic_fine_management.xes.gz
if [ -r "$ROAD" ]; then
  run stats --display-timezone Europe/Rome "$ROAD"
  check "Road Traffic's first fine shows as 2000-01-01 in Europe/Rome" \
    eval '[ "$rc" = 0 ] && grep -q "^Period      2000-01-01 00:00:00 +01:00 .. " out && grep -q "^Case duration  .*max 4,372 d$" out'
else
  skip "Road Traffic in Europe/Rome (no ../shared)"
fi

# ---------------------------------------------------------------- empty selections

# empty NAME WANT ARGS... : cxmine ARGS warns with WANT (one warning per message)
empty() {
  local name=$1 want=$2
  shift 2
  run "$@"
  if grep -Fq -- "cxmine: warning: $want" err && [ "$(grep -cF -- "$want" err)" = 1 ]; then
    ok "$name"
  else
    not_ok "$name" "exit status $rc, want on stderr: cxmine: warning: $want"
  fi
}
for cmd in stats variants dfg friction; do
  empty "$cmd: a mistyped --starts-with warns, with the near activity" \
    "--starts-with 'Submit reqest' selects none of the 1,000 cases: no activity is called 'Submit reqest' (did you mean 'Submit request'?)" \
    "$cmd" --starts-with 'Submit reqest' "$SAMPLE"
done
empty "compare: the scan's warning shows too" \
  "--starts-with 'Submit reqest' selects none of the 1,000 cases" \
  compare --split-at 2024-06-01 --starts-with 'Submit reqest' "$SAMPLE"
empty "--ends-with an activity that never ends a case: where cases end instead" \
  "--ends-with 'Submit request' selects none of the 1,000 cases: 'Submit request' is never where a case ends; cases end with 'Close' (893 cases), 'Request info' (107 cases)" \
  stats --ends-with 'Submit request' "$SAMPLE"
empty "--where with an unknown key: no attribute, and the log's attributes" \
  "--where Nonexistent=zz selects none of the 1,000 cases: no attribute 'Nonexistent' in the log; its attributes: " \
  variants --where Nonexistent=zz "$SAMPLE"
empty "--where with a near-miss key" \
  "--where chanel=web selects none of the 1,000 cases: no attribute 'chanel' in the log (did you mean 'channel'?)" \
  stats --where chanel=web "$SAMPLE"
empty "--where with a near-miss value" \
  "--where channel=wbe selects none of the 1,000 cases: attribute 'channel' is never 'wbe' (did you mean 'web'?)" \
  stats --where channel=wbe "$SAMPLE"
empty "--where with a far value: the most frequent values" \
  "--where channel=fax selects none of the 1,000 cases: attribute 'channel' is never 'fax'; its most frequent values: 'web', 'phone', 'email', 'chat'" \
  stats --where channel=fax "$SAMPLE"
empty "--from after the log: the log's period" \
  "--from 2030-01-01 selects none of the 1,000 cases: the log's cases start between 2024-01-08 and 2025-01-07 (UTC)" \
  dfg --from 2030-01-01 "$SAMPLE"
printf 'case,activity,timestamp,channel\n1,a,2024-01-01,web\n1,b,2024-01-02,web\n2,a,2024-03-01,phone\n2,c,2024-03-03,phone\n' >two.csv
empty "filters that each keep some but together none: each one's count" \
  "the filters together select none of the 2 cases, though each alone selects some: --from 2024-02-01 (1 case), --where channel=web (1 case), --ends-with 'c' (1 case)" \
  stats --from 2024-02-01 --where channel=web --ends-with c two.csv
STDIN=two.csv empty "a CSV column in --where, read from standard input" \
  "--where channel=Web selects none of the 2 cases: attribute 'channel' is never 'Web' (did you mean 'web'?)" \
  stats --where channel=Web -
run stats --where channel=web --from 2024-01-01 "$SAMPLE"
check "a selection that keeps cases: no warning" eval '[ "$rc" = 0 ] && ! has_err "selects none"'
HELP=$SHARED/data/helpdesk.xes.gz
if [ -r "$HELP" ]; then
  empty "helpdesk: --starts-with 'Assign seriousnes' -> did you mean 'Assign seriousness'" \
    "--starts-with 'Assign seriousnes' selects none of the 4,580 cases: no activity is called 'Assign seriousnes' (did you mean 'Assign seriousness'?)" \
    stats --starts-with 'Assign seriousnes' "$HELP"
else
  skip "helpdesk --starts-with typo (no ../shared)"
fi

# ---------------------------------------------------------------- grammar of counts

run dfg --ends-with b two.csv
check "dfg: '1 instance in 1 case', '1 time in 1 case', '1 case, 2 events', '1 of 1 path'" \
  eval '[ "$rc" = 0 ] && has_out "tooltip=\"a\\n1 instance in 1 case\"" && has_out "1 time in 1 case" && has_out "start -&gt; a: 1 case\"" && has_out "two.csv: 1 case, 2 events\\n" && has_out "1 of 1 path (--paths" && no_out "1 (instances|times|cases|paths)"'
run variants --top 1 two.csv
check "variants: '2 cases, 2 variants' and '1 more variant'" \
  eval '[ "$rc" = 0 ] && grep -q "^2 cases, 2 variants$" out && grep -q "^… 1 more variant (use --top 0 for all)$" out'
run variants --top 2 tiny.csv
check "variants: thousands separators, <0.1% and >99.9% in the table" \
  eval '[ "$rc" = 0 ] && grep -q "^3,001 cases, 2 variants$" out && grep -Eq "^ +1 +3,000 +>99\.9% +>99\.9% " out && grep -Eq "^ +2 +1 +<0\.1% +100% " out'

run stats -v "$SAMPLE"
check "stats -v: the counts with separators" \
  eval '[ "$rc" = 0 ] && has_err "read 10,032 events in 1,000 traces/cases (streamed); kept 1,000 cases"'
run dfg -v --ends-with b two.csv
check "dfg -v: '1 case, 2 activity instances'" \
  eval '[ "$rc" = 0 ] && has_err "read 4 events in 2 traces/cases; kept 1 case, 2 activity instances"'
run stats --from 2030-01-01 "$SAMPLE"
check "stats of an empty selection: durations unknown for want of cases, not of timestamps" \
  eval '[ "$rc" = 0 ] && grep -q "^Case duration  unknown (no cases)$" out'

echo "1..$n"
