#!/bin/bash
# Partials and cxmine merge, end to end: partition -> COMMAND --partial per
# shard -> merge prints byte for byte what COMMAND prints over all the
# shards (text and --json) for stats, variants, dfg, friction and compare,
# on a generated log with planted frictions and on a shared real log; the
# order of the partials and trees of merges do not matter; every bad
# partial is refused with a message naming the file.  TAP output.
#
# usage: test-partial.sh PATH/TO/cxmine PATH/TO/cxgen SOURCE_ROOT
set -u
CX=$(realpath "${1:?cxmine binary}")
GEN=$(realpath "${2:?cxgen binary}")
SRC=$(realpath "${3:?source root}")
SHARED=${CX_SHARED:-$SRC/../shared}
export LC_ALL=C

T=$(mktemp -d "${TMPDIR:-/tmp}/cxmine-partial-XXXXXX") || exit 99
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
check() { # NAME STATUS [DIAG...]
  local name=$1 st=$2
  shift 2
  if [ "$st" -eq 0 ]; then ok "$name"; else not_ok "$name" "$@"; fi
}
run() {
  timeout 300 "$CX" "$@" >out 2>err </dev/null
  rc=$?
}

# partials NAME-PREFIX K COMMAND-AND-OPTIONS... -- SHARD-DIR: one partial per
# shard, PREFIX0.cxp ... PREFIX(K-1).cxp
partials() {
  local pre=$1 k=$2 i
  shift 2
  local args=()
  while [ "$1" != "--" ]; do args+=("$1"); shift; done
  local dir=$2
  for ((i = 0; i < k; i++)); do
    timeout 300 "$CX" "${args[@]}" --partial "$pre$i.cxp" "$dir"/shard-"$(printf %04d "$i")"-* \
      2>err || return 1
  done
}

# same_merge NAME "MERGE ARGS" "SINGLE-RUN ARGS": merge's stdout equals the single run's, byte for byte
same_merge() {
  local name=$1
  # shellcheck disable=SC2086
  timeout 300 "$CX" merge $2 >m.out 2>err
  local r1=$?
  # shellcheck disable=SC2086
  timeout 300 "$CX" $3 >s.out 2>>err
  local r2=$?
  if [ $r1 -eq 0 ] && [ $r2 -eq 0 ] && [ -s s.out ] && cmp -s m.out s.out; then
    ok "$name"
  else
    not_ok "$name" "merge rc=$r1, single rc=$r2" "$(diff s.out m.out | head -8)"
  fi
}

# ---- a generated log with planted frictions, 4 shards ----
"$GEN" -n 1200 -s 11 --plant rework:0.25 --plant bottleneck --plant pingpong:0.1 \
  --plant dropoff:0.1 --plant channel_switch:0.1 --satisfaction -o gen.xes.gz 2>err
check "cxgen made a log with planted frictions" $?
run partition -k 4 -o sh gen.xes.gz
check "partition into 4 shards" $rc
SH=$(ls sh/*.xes.gz)
for cmd in stats variants dfg friction; do
  partials "$cmd" 4 "$cmd" -- sh
  check "$cmd --partial for each shard" $?
  same_merge "$cmd: merge equals the single run (text)" "${cmd}0.cxp ${cmd}1.cxp ${cmd}2.cxp ${cmd}3.cxp" \
    "$cmd $SH"
  same_merge "$cmd: merge equals the single run (--json), partials in another order" \
    "--json ${cmd}3.cxp ${cmd}1.cxp ${cmd}0.cxp ${cmd}2.cxp" "$cmd --json $SH"
  "$CX" merge --partial "${cmd}01.cxp" "${cmd}1.cxp" "${cmd}0.cxp" 2>err \
    && "$CX" merge --partial "${cmd}32.cxp" "${cmd}3.cxp" "${cmd}2.cxp" 2>>err \
    && "$CX" merge --partial "${cmd}312.cxp" "${cmd}32.cxp" "${cmd}1.cxp" 2>>err
  check "$cmd: merge --partial writes merged partials" $?
  same_merge "$cmd: a tree of merges equals the single run ((0,1),(3,2))" \
    "--json ${cmd}32.cxp ${cmd}01.cxp" "$cmd --json $SH"
  same_merge "$cmd: another tree equals it too (((3,2),1),0)" \
    "--json ${cmd}0.cxp ${cmd}312.cxp" "$cmd --json $SH"
done

# the planted truth reaches the merged report: findings of the planted kinds
"$CX" merge --json friction0.cxp friction1.cxp friction2.cxp friction3.cxp >m.out 2>err
for kind in rework bottleneck pingpong; do
  grep -q "\"kind\": \"$kind\"" m.out
  check "friction: the merged findings include the planted $kind" $?
done

# friction's outcome inferred after the merge equals the run over the original log
same_merge "friction: merged JSON equals the run over the unpartitioned log" \
  "--json friction2.cxp friction0.cxp friction3.cxp friction1.cxp" "friction --json gen.xes.gz"

# result-changing options travel in the partial; output options go to merge
partials fo 4 friction --success Resolve --open-after 20d --min-cases 3 -- sh
check "friction --success --open-after --min-cases: partials" $?
same_merge "friction: stored options, --top at merge" \
  "--top 3 fo0.cxp fo1.cxp fo2.cxp fo3.cxp" \
  "friction --success Resolve --open-after 20d --min-cases 3 --top 3 $SH"
partials dl 4 dfg --lifecycle complete --where channel=web -- sh
same_merge "dfg --lifecycle complete --where channel=web: merge equals" \
  "--json dl0.cxp dl1.cxp dl2.cxp dl3.cxp" "dfg --lifecycle complete --where channel=web --json $SH"
same_merge "dfg: map options (-a, -p) at merge" "-a 60 -p 40 dfg0.cxp dfg1.cxp dfg2.cxp dfg3.cxp" \
  "dfg -a 60 -p 40 $SH"
same_merge "variants: --top at merge" "--top 4 variants2.cxp variants0.cxp variants1.cxp variants3.cxp" \
  "variants --top 4 $SH"
# --case-ids: dfg partials keep their cases when written with it (a tree too);
# variants and friction partials always can; a dfg partial without them is
# refused by 'merge --case-ids', never printed with empty lists
partials dc 4 dfg --case-ids -- sh
check "dfg --case-ids --partial for each shard" $?
same_merge "dfg --case-ids: merge equals the single run" \
  "--json --case-ids dc2.cxp dc0.cxp dc3.cxp dc1.cxp" "dfg --json --case-ids $SH"
"$CX" merge --partial dc01.cxp --case-ids dc0.cxp dc1.cxp 2>err
check "dfg: merge --partial --case-ids keeps the cases" $?
same_merge "dfg --case-ids: a tree of merges equals the single run" \
  "--json --case-ids dc01.cxp dc3.cxp dc2.cxp" "dfg --json --case-ids $SH"
run merge --json --case-ids dfg0.cxp dfg1.cxp dfg2.cxp dfg3.cxp
[ $rc -eq 1 ] && grep -q "dfg0.cxp: was written without --case-ids" err
check "dfg: merge --case-ids of partials without them is refused, naming the file" $?
same_merge "variants --case-ids: merge equals the single run" \
  "--json --case-ids variants1.cxp variants0.cxp variants2.cxp variants3.cxp" "variants --json --case-ids $SH"
same_merge "friction --case-ids: merge equals the single run" \
  "--json --case-ids friction3.cxp friction0.cxp friction2.cxp friction1.cxp" "friction --json --case-ids $SH"
"$CX" merge --json -o merged.json stats0.cxp stats1.cxp stats2.cxp stats3.cxp 2>err \
  && "$CX" stats --json $SH >single.json 2>>err && cmp -s merged.json single.json
check "stats: merge -o FILE writes what the single run prints" $?

# ---- compare: two logs, each in shards, partials of both sides ----
"$GEN" -n 700 -s 21 --plant rework:0.3 --satisfaction -o before.xes.gz 2>err \
  && "$GEN" -n 700 -s 22 --plant rework:0.3 --change wait-cut:4 --change loop-rarer \
    --satisfaction -o after.xes.gz 2>>err
check "cxgen made a before and an after log" $?
"$CX" partition -k 3 -o bs before.xes.gz >/dev/null 2>err \
  && "$CX" partition -k 3 -o as after.xes.gz >/dev/null 2>>err
check "partition both into 3 shards" $?
partials cb 3 compare --side before -- bs && partials ca 3 compare --side after -- as
check "compare --partial --side before|after for each shard" $?
same_merge "compare: merge equals the single run (text)" \
  "--labels Before,After ca2.cxp cb0.cxp ca0.cxp cb1.cxp cb2.cxp ca1.cxp" \
  "compare --labels Before,After before.xes.gz after.xes.gz"
same_merge "compare: merge equals the single run (--json)" \
  "--json --labels Before,After cb2.cxp cb1.cxp cb0.cxp ca2.cxp ca1.cxp ca0.cxp" \
  "compare --json --labels Before,After before.xes.gz after.xes.gz"
"$CX" merge --partial cb01.cxp cb0.cxp cb1.cxp 2>err && "$CX" merge --partial cab.cxp ca0.cxp ca1.cxp ca2.cxp cb2.cxp 2>>err
check "compare: merged partials (one with both sides)" $?
same_merge "compare: a tree of merges equals the single run" \
  "--json --labels Before,After cab.cxp cb01.cxp" \
  "compare --json --labels Before,After before.xes.gz after.xes.gz"
partials csb 3 compare --side before --satisfaction-key csat -- bs \
  && partials csa 3 compare --side after --satisfaction-key csat -- as
same_merge "compare --satisfaction-key (attribute kept in the partial): merge equals" \
  "--json --labels Before,After csa0.cxp csa1.cxp csa2.cxp csb2.cxp csb1.cxp csb0.cxp" \
  "compare --json --labels Before,After --satisfaction-key csat before.xes.gz after.xes.gz"
partials cs 3 compare --split-at 2024-05-01 --min-effect 0.05,0.01 --success Close -- bs
same_merge "compare --split-at --min-effect --success: merge equals the single run" \
  "--json cs2.cxp cs1.cxp cs0.cxp" \
  "compare --split-at 2024-05-01 --min-effect 0.05,0.01 --success Close --json before.xes.gz"
partials cy 3 compare --split-at 2024-07-01 -- bs
same_merge "compare --split-at: merge equals the single run over the unpartitioned log" \
  "cy2.cxp cy1.cxp cy0.cxp" "compare --split-at 2024-07-01 before.xes.gz"
partials cz 3 compare --by csat -- bs
same_merge "compare --by (quantile bins decided at merge): merge equals the single run" \
  "--json cz0.cxp cz2.cxp cz1.cxp" "compare --by csat --json before.xes.gz"

# ---- a shared real log ----
REAL=$SHARED/data/helpdesk.xes.gz
if [ -f "$REAL" ]; then
  "$CX" partition -k 5 -o rs "$REAL" >/dev/null 2>err
  check "partition a real log (helpdesk) into 5 shards" $?
  RS=$(ls rs/*.xes.gz)
  for cmd in stats variants dfg friction; do
    partials "r$cmd" 5 "$cmd" -- rs
    same_merge "real log: $cmd merge equals the single run (text)" \
      "r${cmd}4.cxp r${cmd}2.cxp r${cmd}0.cxp r${cmd}1.cxp r${cmd}3.cxp" "$cmd $RS"
    same_merge "real log: $cmd merge equals the single run (--json)" \
      "--json r${cmd}0.cxp r${cmd}1.cxp r${cmd}2.cxp r${cmd}3.cxp r${cmd}4.cxp" "$cmd --json $RS"
  done
else
  for i in 1 2 3 4 5 6 7 8 9; do skip "no ../shared/data/helpdesk.xes.gz"; done
fi
DOM=$SHARED/data/bpic2020_domestic_declarations.xes.gz
INT=$SHARED/data/bpic2020_international_declarations.xes.gz
if [ -f "$DOM" ] && [ -f "$INT" ]; then
  "$CX" partition -k 3 -o rd "$DOM" >/dev/null 2>err && "$CX" partition -k 3 -o ri "$INT" >/dev/null 2>>err \
    && partials rcb 3 compare --side before -- rd && partials rca 3 compare --side after -- ri
  check "real logs (BPIC 2020 domestic, international): compare partials per shard" $?
  same_merge "real logs: compare merge equals the single run (text)" \
    "--labels Domestic,International rca2.cxp rcb0.cxp rca0.cxp rcb2.cxp rcb1.cxp rca1.cxp" \
    "compare --labels Domestic,International $DOM $INT"
  same_merge "real logs: compare merge equals the single run (--json)" \
    "--json --labels Domestic,International rcb0.cxp rcb1.cxp rcb2.cxp rca0.cxp rca1.cxp rca2.cxp" \
    "compare --json --labels Domestic,International $DOM $INT"
else
  for i in 1 2 3; do skip "no ../shared/data/bpic2020_*_declarations.xes.gz"; done
fi

# ---- bad partials are refused: exit 1, the file named, what is wrong ----
refused() { # NAME EXPECTED-MESSAGE-REGEX MERGE-ARGS...
  local name=$1 re=$2
  shift 2
  run merge "$@"
  if [ "$rc" -eq 1 ] && [ ! -s out ] && grep -Eq "$re" err; then
    ok "$name"
  else
    not_ok "$name" "rc=$rc" "$(head -3 err)"
  fi
}
size=$(stat -c %s dfg0.cxp)
head -c $((size / 2)) dfg0.cxp >trunc.cxp
refused "a truncated partial" "trunc\.cxp: truncated: $((size / 2)) of $size bytes" dfg1.cxp trunc.cxp
head -c 5 dfg0.cxp >tiny.cxp
refused "a partial cut inside its magic number" "tiny\.cxp: truncated" dfg1.cxp tiny.cxp
cp dfg0.cxp flip.cxp
printf '\x5a' | dd of=flip.cxp bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null
cmp -s dfg0.cxp flip.cxp && printf '\x5b' | dd of=flip.cxp bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null
refused "a corrupt partial (one byte changed)" "flip\.cxp: corrupt: checksum mismatch" dfg1.cxp flip.cxp
cp dfg0.cxp v2.cxp
printf '\x02' | dd of=v2.cxp bs=1 seek=8 conv=notrunc 2>/dev/null
refused "another format version" "v2\.cxp: partial format version 2; this cxmine reads version 1" dfg1.cxp v2.cxp
refused "a log is not a partial" "gen\.xes\.gz: not a cxmine partial" dfg1.cxp gen.xes.gz
: >empty.cxp
refused "an empty file" "empty\.cxp: empty file" empty.cxp
refused "a missing file" "nope\.cxp: cannot read" dfg1.cxp nope.cxp
refused "partials of different commands" \
  "stats0\.cxp: a partial of 'stats', but dfg1\.cxp is of 'dfg'" dfg1.cxp stats0.cxp
refused "partials of different result-changing options" \
  "dl2\.cxp: made with other options than dfg1\.cxp \('--lifecycle=complete'" dfg1.cxp dl2.cxp
refused "the same shard in two partials" "shard-0001-of-0004\.gen\.xes\.gz' is also in" \
  dfg01.cxp dfg1.cxp
refused "compare: one side only" "partials of the before side only" cb0.cxp cb1.cxp
"$CX" merge --partial bad-out.cxp dfg1.cxp trunc.cxp >out 2>err
[ $? -eq 1 ] && [ ! -e bad-out.cxp ] && grep -q "trunc.cxp: truncated" err
check "merge --partial refuses a bad partial and writes nothing" $?

# ---- usage: options that need the whole log, misplaced options ----
usage() { # NAME REGEX ARGS...
  local name=$1 re=$2
  shift 2
  run "$@"
  if [ "$rc" -eq 2 ] && grep -Eq -- "$re" err; then ok "$name"; else not_ok "$name" "rc=$rc"; fi
}
usage "--top-variants is refused with --partial" "--top-variants 3 needs the whole log" \
  variants --top-variants 3 --partial x.cxp sh/shard-0000-*
usage "--min-variant-share is refused with --partial" "--min-variant-share 0.1 needs the whole log" \
  dfg --min-variant-share 0.1 --partial x.cxp sh/shard-0000-*
usage "compare --partial with two logs needs --side" "needs --side before or --side after" \
  compare --partial x.cxp bs/shard-0000-*
usage "--side without --partial" "--side is for --partial" compare --side before bs/shard-0000-*
usage "merge refuses result-changing options" "--where is no output option" \
  merge --where channel=web dfg0.cxp
usage "merge without partials" "no partial given" merge --json
usage "merge --partial takes no report options" "writes a partial: --json is for reports" \
  merge --partial x.cxp --json dfg0.cxp
[ ! -e x.cxp ]
check "no partial was written by a refused command" $?

run merge --help
[ "$rc" = 0 ] && grep -q 'Examples' out && grep -q -- '--partial OUT' out
check "merge --help shows its forms and examples" $?
run stats --help-partial
[ "$rc" = 0 ] && grep -q -- '--partial=FILE' out
check "stats --help-partial documents --partial" $?

echo "1..$n"
