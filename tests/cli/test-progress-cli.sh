#!/bin/bash
# The progress line of the analysis steps, end to end, under a pseudo-
# terminal (script(1)): drawn on standard error and cleared when the step
# ends ("finding frictions", "testing the differences", "drawing the map
# with dot", "writing the report"); never in the outputs, and not at all
# when standard error is not a terminal.  TAP.
#
# usage: test-progress-cli.sh PATH/TO/cxmine SOURCE_ROOT
set -u
CX=$(realpath "${1:?cxmine binary}")
SRC=$(realpath "${2:?source root}")
RUNEX=$SRC/fixtures/csv/running-example.csv
export LC_ALL=C

n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
skip() { n=$((n + 1)); echo "ok $n # SKIP $1"; }
not_ok() {
  n=$((n + 1))
  echo "not ok $n - $1"
  shift
  for l in "$@"; do printf '%s\n' "$l" | sed 's/^/#   /'; done
}

if ! command -v script >/dev/null 2>&1; then
  skip "no script(1) to give the runs a terminal"
  echo "1..$n"
  exit 0
fi
T=$(mktemp -d "${TMPDIR:-/tmp}/cxmine-progress-XXXXXX") || exit 99
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 99

esc=$(printf '\033')
# tty ARGS...: cxmine ARGS with standard error on a terminal and standard
# output into out; the terminal's text in tty.out, the exit code in rc
tty() {
  local q
  q=$(printf '%q ' "$CX" "$@")
  rm -f tty.out out
  script -qec "$q >out" tty.out >/dev/null 2>&1 </dev/null
  rc=$?
}
# drawn LABEL: the terminal saw LABEL on a line drawn in place, and the line
# was cleared at the end (the last thing written is the clearing)
drawn() {
  local last
  # what follows the last escape sequence, script(1)'s closing line taken off
  last=$(tr -d '\r\n' <tty.out | sed 's/Script done.*//' | awk -v RS="$esc" 'END { print }')
  grep -aq "$1" tty.out && [ "$last" = "[K" ]
}
# clean FILE: no escape sequence in FILE
clean() { ! grep -aq "$esc" "$1"; }

tty friction "$RUNEX" --json
if [ $rc = 0 ] && drawn "finding frictions" && clean out; then
  ok "friction --json on a terminal: 'finding frictions' drawn and cleared, none in the JSON"
else
  not_ok "friction --json on a terminal: 'finding frictions' drawn and cleared, none in the JSON" \
    "rc=$rc" "$(od -c tty.out | head -5)"
fi
"$CX" friction "$RUNEX" --json >plain.json 2>/dev/null
if cmp -s out plain.json; then
  ok "... the JSON is that of a run without a terminal"
else
  not_ok "... the JSON is that of a run without a terminal"
fi

tty compare "$RUNEX" --split-at 2011-01-05 --json
if [ $rc = 0 ] && drawn "testing the differences" && drawn "finding frictions" && clean out; then
  ok "compare on a terminal: each side's frictions and the tests drawn, then cleared"
else
  not_ok "compare on a terminal: each side's frictions and the tests drawn, then cleared" \
    "rc=$rc" "$(od -c tty.out | head -5)"
fi

tty dfg "$RUNEX" --json
if [ $rc = 0 ] && drawn "summarising the waits" && clean out; then
  ok "dfg --json on a terminal: 'summarising the waits' drawn and cleared"
else
  not_ok "dfg --json on a terminal: 'summarising the waits' drawn and cleared" "rc=$rc"
fi

if command -v dot >/dev/null 2>&1; then
  tty dfg "$RUNEX" -o m.svg
  if [ $rc = 0 ] && drawn "drawing the map with dot" && head -c 400 m.svg | grep -q "<svg"; then
    ok "dfg -o m.svg on a terminal: 'drawing the map with dot' drawn and cleared"
  else
    not_ok "dfg -o m.svg on a terminal: 'drawing the map with dot' drawn and cleared" "rc=$rc"
  fi
  tty report "$RUNEX" -o r.html
  if [ $rc = 0 ] && drawn "writing the report" && clean r.html; then
    ok "report on a terminal: 'writing the report' drawn and cleared, none in the file"
  else
    not_ok "report on a terminal: 'writing the report' drawn and cleared, none in the file" \
      "rc=$rc"
  fi
else
  skip "dfg -o m.svg and report on a terminal (no Graphviz dot)"
  skip "report on a terminal (no Graphviz dot)"
fi

# standard error not a terminal: not a single escape sequence
"$CX" friction "$RUNEX" >out 2>err </dev/null
if [ $? = 0 ] && clean err && ! grep -q "finding frictions" err; then
  ok "friction with standard error into a file: no progress line"
else
  not_ok "friction with standard error into a file: no progress line" "$(od -c err | head -3)"
fi

echo "1..$n"
