#!/bin/bash
# End-to-end tests of issue 12: attributes in --by and --where, several
# exports through a sources file, time-zone warnings, duplicates, journeys
# cut from customer histories.  TAP output.
#
# usage: test-sources.sh PATH/TO/cxmine PATH/TO/cxgen
set -u
CX=$(realpath "${1:?cxmine binary}")
GEN=$(realpath "${2:?cxgen binary}")
export LC_ALL=C
PY=$(python3 -c 'import sys; print(sys.executable)') || exit 99

T=$(mktemp -d "${TMPDIR:-/tmp}/cxmine-sources-XXXXXX") || exit 99
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 99

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
# check NAME COMMAND... : ok when COMMAND succeeds
check() {
  local name=$1
  shift
  if "$@"; then ok "$name"; else not_ok "$name" "failed: $*"; fi
}
run() {
  timeout 60 "$CX" "$@" >out 2>err </dev/null
  rc=$?
}

# ---------- attributes: --by an event attribute ----------
printf 'case_id,activity,timestamp,segment\n' >seg.csv
for i in $(seq 1 20); do
  s=web
  [ "$i" -gt 10 ] && s=phone
  printf 'c%d,A,2024-01-%02dT09:00:00,%s\nc%d,B,2024-01-%02dT10:00:00,done\n' "$i" "$i" "$s" "$i" "$i" >>seg.csv
done
run compare seg.csv --by segment
# two segments are compared once (issue 14), the smaller vs the larger (here tied: the first seen)
if [ $rc = 0 ] && grep -q '^== segment=phone vs segment=web ==' out && grep -q '^  web  *10 ' out; then
  ok "compare --by an event attribute: its first value per case"
else
  not_ok "compare --by an event attribute: its first value per case" "rc=$rc" "$(head -3 out)"
fi
run compare seg.csv --by segment@last
# one segment: nothing to compare, exit 1 with the reason (issues 9 and 14)
if [ $rc = 1 ] && grep -q "every journey has the same value ('done')" err; then
  ok "compare --by KEY@last: the last non-empty value (the same for every case here)"
else
  not_ok "compare --by KEY@last" "rc=$rc" "$(head -3 out)"
fi

echo "1..$n"
[ $failed = 0 ]
