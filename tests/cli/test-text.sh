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
  timeout 60 "$CX" "$@" >out 2>err </dev/null
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

# ---------------------------------------------------------------- did you mean

run stat "$SAMPLE"
check "cxmine stat: did you mean 'stats', exit 2" \
  eval '[ "$rc" = 2 ] && has_err "cxmine: unknown command '"'"'stat'"'"' (did you mean '"'"'stats'"'"'?)"'
run frobnicate "$SAMPLE"
check "an unknown command far from any: no suggestion, exit 2" \
  eval '[ "$rc" = 2 ] && has_err "unknown command '"'"'frobnicate'"'"'" && ! has_err "did you mean"'

printf 'TicketId,Activity,Time\n1,a,2024-01-01\n1,b,2024-01-02\n' >tickets.csv
run stats --case Ticket_id tickets.csv
check "--case Ticket_id: did you mean 'TicketId'" \
  eval '[ "$rc" = 1 ] && has_err "no column '"'"'Ticket_id'"'"'; did you mean '"'"'TicketId'"'"'?"'
run stats --timestamp time_stamp tickets.csv
check "--timestamp with no near column: no suggestion" \
  eval '[ "$rc" = 1 ] && has_err "no column '"'"'time_stamp'"'"' (columns: TicketId, Activity, Time)"'

for cmd in stats variants dfg friction compare; do
  run "$cmd" --help
  check "$cmd --help: the usage line says 'cxmine $cmd'" \
    eval '[ "$rc" = 0 ] && grep -q "^  cxmine '"$cmd"' \[OPTION" out'
done
run dfg --no-such-option "$SAMPLE"
check "a usage error names 'cxmine dfg'" \
  eval '[ "$rc" = 2 ] && grep -q "^cxmine dfg: " err && has_err "Try '"'"'cxmine dfg --help'"'"'"'

echo "1..$n"
