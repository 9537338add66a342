#!/bin/bash
# Grouping beyond --memory (issue 15): grouped events spill to sorted runs in
# $TMPDIR and are merged, with outputs byte-identical to the in-memory run;
# the temporary file is gone after success, an error and a signal.  TAP.
#
# usage: test-spill.sh PATH/TO/cxmine PATH/TO/cxgen SOURCE_ROOT
set -u
CX=$(realpath "${1:?cxmine binary}")
GEN=$(realpath "${2:?cxgen binary}")
SRC=$(realpath "${3:?source root}")
export LC_ALL=C

T=$(mktemp -d "${TMPDIR:-/tmp}/cxmine-spill-test-XXXXXX") || exit 99
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 99
mkdir tmp
export TMPDIR=$T/tmp

n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() {
  n=$((n + 1))
  echo "not ok $n - $1"
  shift
  for l in "$@"; do printf '%s\n' "$l" | sed 's/^/#   /'; done
}
empty_tmp() { [ -z "$(ls -A tmp)" ]; }
# runs written by a run: the pwrite calls to the spill file, counted by strace
# when it is there (else the check that runs were written is skipped)
have_strace=0
command -v strace >/dev/null && strace -o /dev/null true 2>/dev/null && have_strace=1

"$CX" filter "$SRC/fixtures/sample/customer-journeys.xes.gz" -o sample.csv 2>/dev/null
cp sample.csv sample-b.csv
"$GEN" -f csv -e 150000 -o gen.csv
"$GEN" -e 30000 -o gen.xes
# one XES whose case ids repeat across traces: every trace twice
/usr/bin/python3 -c '
import sys
x = open("gen.xes").read()
a, b = x.index("<trace"), x.rindex("</trace>") + len("</trace>")
open("twice.xes", "w").write(x[:b] + x[a:b] + x[b:])
'

# two_runs CALL PATTERN ENV OPTS ARGS...: runs ARGS as they are (a.out,
# a.err) and with the assignment ENV and the options OPTS (b.out, b.err;
# either may be empty); $seen counts the CALL syscalls of the second run
# that name PATTERN ("skip" without strace), traced in a run of its own:
# LeakSanitizer cannot run under ptrace, so that run alone goes without it.
# TRUE when both printed the same, the first succeeded, the call was seen
# and nothing is left in TMPDIR.
two_runs() {
  local call=$1 pattern=$2 assign=$3 opts=$4
  shift 4
  timeout 120 "$CX" "$@" >a.out 2>a.err
  echo "rc=$?" >>a.out
  # shellcheck disable=SC2086 # OPTS are words
  env $assign timeout 120 "$CX" "$@" $opts >b.out 2>b.err
  echo "rc=$?" >>b.out
  seen=skip
  if [ $have_strace = 1 ]; then
    # shellcheck disable=SC2086
    env $assign ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" timeout 120 \
      strace -f -qq -e trace="$call" -o st.txt "$CX" "$@" $opts >/dev/null 2>&1
    seen=$(grep -c "$pattern" st.txt)
  fi
  cmp -s a.out b.out && cmp -s a.err b.err && [ "$seen" != 0 ] && grep -q '^rc=0$' a.out \
    && empty_tmp
}
two_runs_failed() { # NAME WHAT: the not_ok of a two_runs that failed
  not_ok "$1" "$2=$seen" "$(diff a.out b.out | head -5)" "$(head -3 b.err)" "tmp: $(ls -A tmp)"
}

# same: NAME MEMORY ARGS... : the output at MEMORY equals the default's
same() {
  local name=$1 mem=$2
  shift 2
  if two_runs pwrite64 pwrite "" "--memory $mem" "$@"; then
    ok "$name: --memory $mem spills ($seen writes) and prints the same"
  else
    two_runs_failed "$name: --memory $mem prints what the default does" writes
  fi
}

for cmd in stats variants dfg friction; do
  same "sample CSV $cmd --json" 256K $cmd --json sample.csv
  same "generated CSV $cmd --json" 3M $cmd --json gen.csv
done
same "generated CSV dfg --json, many runs" 1800K dfg --json gen.csv
same "two sources, joined on the case id (value slots, units per source)" 512K \
  stats --json sample.csv sample-b.csv
same "sources of both formats, channels from the files" 3M \
  dfg --json --channel-from-file gen.xes gen.csv
same "an XES whose case ids repeat across traces" 1M variants --json twice.xes
same "wanted attributes (--where) ride along" 256K variants --json --where region=north sample.csv
same "case attributes of the export's columns" 256K stats --json --where segment=consumer sample.csv
same "cases, text" 256K cases sample.csv
same "export with every event attribute" 256K filter sample.csv -o -.csv

# an error after a spill: the file is gone
cp gen.csv bad.csv
echo 'C-late,Submit,not-a-time' >>bad.csv
timeout 120 "$CX" stats --memory 3M bad.csv >out 2>err
rc=$?
if [ $rc = 1 ] && [ "$(wc -l <err)" = 1 ] && grep -q "^cxmine: bad\.csv:" err && empty_tmp; then
  ok "a bad row after the spill: exit 1, one line, nothing left in TMPDIR"
else
  not_ok "a bad row after the spill: exit 1, one line, nothing left in TMPDIR" "rc=$rc" \
    "$(head -3 err)" "tmp: $(ls -A tmp)"
fi

# one case bigger than the budget cannot be merged in bounded memory
awk -F, 'NR == 1 { print; next } { $1 = "one"; print }' OFS=, gen.csv >one.csv
timeout 120 "$CX" stats --memory 1M one.csv >out 2>err
rc=$?
if [ $rc = 1 ] && [ "$(wc -l <err)" = 1 ] \
  && grep -q "^cxmine: one\.csv:[0-9]*: out of memory: case 'one' alone has more events than the memory budget of 1 MiB holds (raise it with --memory SIZE)$" err \
  && empty_tmp; then
  ok "one case over the budget: one line naming the case and the budget"
else
  not_ok "one case over the budget: one line naming the case and the budget" "rc=$rc" \
    "$(head -3 err)"
fi

# on_disk KIND WHAT NAME ARGS...: with the test setting's small blocks,
# WHAT is read back from its scratch file in TMPDIR (cxmine-KIND-*), and
# the answers are the same
on_disk() {
  local kind=$1 what=$2 name=$3
  shift 3
  if two_runs openat "$TMPDIR/cxmine-$kind-" CXMINE_TEST_LIST_BLOCK=64 "" "$@"; then
    ok "$name: $what read back from disk ($seen files) print the same"
  else
    two_runs_failed "$name: $what read back from disk print the same" files
  fi
}

# friction's long lists (every wait with its case, the cases of each step)
# live in a scratch file block by block
lists_same() { on_disk lists lists "$@"; }
lists_same "friction --json" friction --json "$SRC/fixtures/sample/customer-journeys.xes.gz"
lists_same "friction --json, grouped and spilled" friction --json --memory 3M gen.csv
lists_same "compare --json" compare --json sample.csv gen.csv
lists_same "report" report "$SRC/fixtures/sample/customer-journeys.xes.gz" -o r.html

# friction's and the outcome's records of each journey (its duration,
# counts, end) go to their own scratch file past a MiB
records_same() { on_disk records "records of each journey" "$@"; }
records_same "friction --json --case-ids" friction --json --case-ids "$SRC/fixtures/sample/customer-journeys.xes.gz"
records_same "cases --json" cases --json "$SRC/fixtures/sample/customer-journeys.xes.gz"
records_same "compare --json, by segment" compare --json --by segment "$SRC/fixtures/sample/customer-journeys.xes.gz"

# no room for the lists: exit 1 with one line saying where
CXMINE_TEST_LIST_BLOCK=8 TMPDIR=$T/none timeout 120 "$CX" friction gen.csv >out 2>err
rc=$?
if [ $rc = 1 ] && [ "$(wc -l <err)" = 1 ] \
  && grep -Eq "^cxmine: cannot create the temporary file in $T/none that keeps an analysis's (long lists|records of each journey): No such file or directory \(TMPDIR says where\)$" err; then
  ok "no scratch file for the lists: exit 1, one line"
else
  not_ok "no scratch file for the lists: exit 1, one line" "rc=$rc" "$(head -3 err)"
fi

# signals while spilled runs are open: the spill file is in TMPDIR (unlinked
# at once, so open but nameless) and nothing is left when the run is stopped
# (a budget the case ids fit in: with 4M the run failed on its own within
# 0.35 s, and a signal sent after that found exit 1)
"$GEN" -f csv -e 1500000 -o big.csv
for sig in INT TERM; do
  env --default-signal="$sig" "$CX" friction --json --memory 16M big.csv >/dev/null 2>err &
  p=$!
  seen=0
  for _ in $(seq 1 300); do
    if ls -l /proc/$p/fd 2>/dev/null | grep -q "$TMPDIR/cxmine-spill-.* (deleted)"; then
      seen=1
      break
    fi
    sleep 0.05
  done
  kill -s $sig $p 2>/dev/null
  wait $p
  rc=$?
  want=$((128 + $(kill -l $sig)))
  if [ $seen = 1 ] && [ $rc = $want ] && empty_tmp; then
    ok "SIG$sig while spilled: exit $rc, the spill file was in TMPDIR and nothing is left"
  else
    not_ok "SIG$sig while spilled: exit $want, nothing left" "rc=$rc seen=$seen" "tmp: $(ls -A tmp)"
  fi
done

echo "1..$n"
