#!/bin/bash
# Output safety and the map rule, end to end: what -o writes for each
# drawing command (dfg, friction, compare), outputs that are inputs or
# symbolic links (to standard output, to a file, dangling), renders
# that fail or take too long, runs stopped by real signals (with a fake slow
# Graphviz dot first on PATH), and standard output on a full disk.  TAP.
#
# usage: test-output.sh PATH/TO/cxmine SOURCE_ROOT
set -u
CX=$(realpath "${1:?cxmine binary}")
SRC=$(realpath "${2:?source root}")
SAMPLE=$SRC/fixtures/sample/customer-journeys.xes.gz
RUNEX=$SRC/fixtures/csv/running-example.csv
export LC_ALL=C
TIMEOUT=$(command -v timeout) || exit 99

T=$(mktemp -d "${TMPDIR:-/tmp}/cxmine-output-XXXXXX") || exit 99
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 99
mkdir tmp fake slow fail
# every temporary file of a run lands here, so that leftovers can be seen
export TMPDIR=$T/tmp

n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
skip() { n=$((n + 1)); echo "ok $n # SKIP $1"; }
not_ok() {
  n=$((n + 1))
  echo "not ok $n - $1"
  shift
  for l in "$@"; do printf '%s\n' "$l" | sed 's/^/#   /'; done
  [ -s err ] && sed 's/^/#   stderr: /' err | head -5
  return 0
}
check() { # NAME CMD...: ok when CMD succeeds
  local name=$1
  shift
  if "$@" >/dev/null 2>&1; then ok "$name"; else not_ok "$name" "failed: $*"; fi
}
run() { # ARGS...: cxmine with no stdin; sets rc, leaves out and err
  timeout 60 "$CX" "$@" >out 2>err </dev/null
  rc=$?
}
is_svg() { head -c 400 "$1" 2>/dev/null | grep -q "<svg"; }
is_png() { [ "$(head -c 4 "$1" 2>/dev/null | od -An -tx1 | tr -d ' \n')" = 89504e47 ]; }
is_pdf() { [ "$(head -c 4 "$1" 2>/dev/null)" = "%PDF" ]; }
is_dot() { head -c 200 "$1" 2>/dev/null | grep -q "^digraph"; }
is_json() { [ "$(head -c 1 "$1" 2>/dev/null)" = "{" ]; }
# no temporary file of a run left in this folder or in $TMPDIR
no_leftovers() { [ -z "$(ls -A tmp)" ] && [ -z "$(find . -maxdepth 1 -name '.*.??????' -print -quit)" ]; }

zcat "$SAMPLE" >sample.xes
cp "$RUNEX" in.csv

# fake dots: slow (records its pid and the mode of its input), failing, fast
cat >slow/dot <<'SH'
#!/bin/sh
echo $$ >"$FAKE_DIR/dot.pid"
for a in "$@"; do last=$a; done
stat -c %a "$last" >"$FAKE_DIR/dot.mode"
exec sleep 60
SH
cat >fail/dot <<'SH'
#!/bin/sh
echo "Error: fake dot: syntax error in line 1" >&2
exit 1
SH
cat >fake/dot <<'SH'
#!/bin/sh
# writes 4 MB of "picture" to -oFILE
for a in "$@"; do case $a in -o*) out=${a#-o} ;; esac; done
head -c 4000000 /dev/zero | tr '\0' x >"$out"
SH
chmod +x slow/dot fail/dot fake/dot
export FAKE_DIR=$T
have_dot=1
command -v dot >/dev/null 2>&1 || have_dot=0

# ---------------------------------------------------------------- the map rule

# the three drawing commands on a small log (quick to lay out)
draw() { # CMD ARGS...
  case $1 in
    dfg) shift; run dfg "$RUNEX" "$@" ;;
    friction) shift; run friction "$RUNEX" "$@" ;;
    compare) shift; run compare "$RUNEX" --split-at 2011-01-05 "$@" ;;
  esac
}

for cmd in dfg friction compare; do
  run "$cmd" --help
  if grep -q "FILE.svg, .png or .pdf: the picture" out && grep -q -- "--render-timeout" out \
    && grep -q "default 60" out; then
    ok "$cmd --help says what -o writes and names --render-timeout (default 60)"
  else
    not_ok "$cmd --help says what -o writes and names --render-timeout (default 60)"
  fi
  if [ $have_dot = 0 ]; then
    skip "$cmd: pictures (Graphviz dot not installed)"
    continue
  fi
  rm -f m.*
  draw "$cmd" -o m.svg
  if [ $rc = 0 ] && is_svg m.svg && [ ! -e m.svg.svg ] && [ ! -e m.dot ]; then
    ok "$cmd -o m.svg writes only the SVG picture"
  else
    not_ok "$cmd -o m.svg writes only the SVG picture" "rc=$rc" "$(ls m.*)"
  fi
  rm -f m.*
  draw "$cmd" -o m.svg --render svg
  if [ $rc = 0 ] && is_svg m.svg && [ ! -e m.svg.svg ]; then
    ok "$cmd -o m.svg --render svg: one SVG, no m.svg.svg"
  else
    not_ok "$cmd -o m.svg --render svg: one SVG, no m.svg.svg" "rc=$rc" "$(ls m.*)"
  fi
  draw "$cmd" -o m.PNG
  if [ $rc = 0 ] && is_png m.PNG; then ok "$cmd -o m.PNG writes a PNG"; else not_ok "$cmd -o m.PNG writes a PNG" "rc=$rc"; fi
  draw "$cmd" -o m.pdf
  if [ $rc = 0 ] && is_pdf m.pdf; then ok "$cmd -o m.pdf writes a PDF"; else not_ok "$cmd -o m.pdf writes a PDF" "rc=$rc"; fi
  rm -f m.*
  draw "$cmd" -o m.dot --render png
  if [ $rc = 0 ] && is_dot m.dot && is_png m.png; then
    ok "$cmd -o m.dot --render png: DOT in m.dot, the picture in m.png"
  else
    not_ok "$cmd -o m.dot --render png: DOT in m.dot, the picture in m.png" "rc=$rc"
  fi
  draw "$cmd" -o m.gv
  if [ $rc = 0 ] && is_dot m.gv && [ ! -s err ]; then ok "$cmd -o m.gv writes DOT"; else not_ok "$cmd -o m.gv writes DOT" "rc=$rc"; fi
  draw "$cmd" -o m.txt
  if [ $rc = 0 ] && is_dot m.txt && grep -q "note: m.txt is not named .dot" err; then
    ok "$cmd -o m.txt writes DOT with a note on stderr"
  else
    not_ok "$cmd -o m.txt writes DOT with a note on stderr" "rc=$rc"
  fi
  draw "$cmd" -o m.svg --render png
  if [ $rc = 2 ] && grep -q "writes the picture as svg" err; then
    ok "$cmd -o m.svg --render png is a usage error"
  else
    not_ok "$cmd -o m.svg --render png is a usage error" "rc=$rc"
  fi
  draw "$cmd" --render svg
  if [ $rc = 0 ] && is_svg out; then ok "$cmd --render svg without -o: the SVG on standard output"; else not_ok "$cmd --render svg without -o: the SVG on standard output" "rc=$rc"; fi
  draw "$cmd" -o - --render png
  if [ $rc = 0 ] && is_png out; then ok "$cmd -o - --render png into a pipe: the PNG"; else not_ok "$cmd -o - --render png into a pipe: the PNG" "rc=$rc"; fi
  # a binary picture is never written to a terminal
  if command -v script >/dev/null 2>&1; then
    rm -f tty.out
    script -qec "'$CX' $cmd '$RUNEX' $([ $cmd = compare ] && echo --split-at 2011-01-05) --render png" tty.out >/dev/null 2>&1 </dev/null
    trc=$?
    if [ $trc = 2 ] && grep -q "not writing it to a terminal" tty.out && ! grep -qa "PNG" tty.out; then
      ok "$cmd --render png on a terminal: refused (exit 2)"
    else
      not_ok "$cmd --render png on a terminal: refused (exit 2)" "rc=$trc"
    fi
  else
    skip "$cmd --render png on a terminal (no script(1))"
  fi
  # without Graphviz: a clear error before any reading, nothing written
  rm -f m.*
  PATH=/nonexistent "$TIMEOUT" 60 "$CX" "$cmd" "$RUNEX" $([ $cmd = compare ] && echo --split-at 2011-01-05) -o m.svg >out 2>err </dev/null
  rc=$?
  if [ $rc = 1 ] && grep -q "Graphviz 'dot' not found" err && [ ! -e m.svg ] && ! grep -q "Friction in\|Journey" out; then
    ok "$cmd -o m.svg without dot: exit 1 before reading, 'dot' named, nothing written"
  else
    not_ok "$cmd -o m.svg without dot: exit 1 before reading, 'dot' named, nothing written" "rc=$rc"
  fi
done

run dfg "$SAMPLE" --json -o j.svg
if [ $rc = 0 ] && is_json j.svg; then ok "dfg --json -o j.svg writes JSON whatever the name"; else not_ok "dfg --json -o j.svg writes JSON whatever the name" "rc=$rc"; fi
run dfg "$SAMPLE" -o -
if [ $rc = 0 ] && is_dot out; then ok "dfg -o - writes DOT to standard output"; else not_ok "dfg -o - writes DOT to standard output" "rc=$rc"; fi
run compare "$SAMPLE" --by channel --render svg
if [ $rc = 2 ]; then ok "compare --by --render without -o is a usage error (one map per segment)"; else not_ok "compare --by --render without -o is a usage error" "rc=$rc"; fi

# ---------------------------------------------------------------- outputs that are inputs

cp in.csv orig.csv
refused() { # NAME: the last run was refused and in.csv is intact
  if [ $rc = 2 ] && grep -q "refusing to write over it" err && cmp -s in.csv orig.csv; then
    ok "$1"
  else
    not_ok "$1" "rc=$rc"
  fi
}
run dfg in.csv -o in.csv
refused "dfg in.csv -o in.csv: refused, the log intact"
run stats in.csv -o in.csv
refused "stats in.csv -o in.csv: refused"
run variants in.csv --json -o in.csv
refused "variants in.csv -o in.csv: refused"
run friction in.csv -o in.csv
refused "friction in.csv -o in.csv: refused"
run compare in.csv "$RUNEX" -o in.csv
refused "compare in.csv OTHER -o in.csv: refused"
ln in.csv hard.csv
run dfg hard.csv -o in.csv
refused "an output that is a hard link of the input: refused"
ln -s in.csv soft.csv
run dfg in.csv -o soft.csv
refused "an output that is a symlink to the input: refused"
timeout 60 "$CX" dfg - -o in.csv <in.csv >out 2>err
rc=$?
refused "dfg - -o in.csv < in.csv (standard input's file): refused"
timeout 60 "$CX" stats in.csv >>in.csv 2>err
rc=$?
refused "stats in.csv >> in.csv (standard output is the input): refused"
ln in.csv in.svg
rm -f in.dot
run dfg in.csv -o in.dot --render svg
if [ $rc = 2 ] && [ ! -e in.dot ] && cmp -s in.csv orig.csv; then
  ok "-o in.dot --render svg when in.svg is the input: refused before writing anything"
else
  not_ok "-o in.dot --render svg when in.svg is the input: refused before writing anything" "rc=$rc"
fi
rm -f in.svg

# ---------------------------------------------------------------- failed renders replace nothing

echo keep >m.dot
echo keep >m.svg
rm -rf tmp/*
PATH=$T/fail:$PATH timeout 60 "$CX" dfg "$SAMPLE" -o m.dot --render svg >out 2>err </dev/null
rc=$?
if [ $rc = 1 ] && grep -q "fake dot: syntax error" err && [ "$(cat m.dot)" = keep ] \
  && [ "$(cat m.svg)" = keep ] && no_leftovers; then
  ok "a failed render leaves the old m.dot and m.svg, and no temporary file"
else
  not_ok "a failed render leaves the old m.dot and m.svg, and no temporary file" "rc=$rc" "$(ls -A . tmp)"
fi
PATH=$T/fail:$PATH timeout 60 "$CX" dfg "$SAMPLE" -o m.svg >out 2>err </dev/null
rc=$?
if [ $rc = 1 ] && [ "$(cat m.svg)" = keep ] && no_leftovers; then
  ok "a failed render of -o m.svg leaves the old m.svg"
else
  not_ok "a failed render of -o m.svg leaves the old m.svg" "rc=$rc"
fi

# ---------------------------------------------------------------- the time limit and the 0600 DOT file

rm -f dot.pid dot.mode
start=$(date +%s)
PATH=$T/slow:$PATH timeout 60 "$CX" dfg "$SAMPLE" -o m.dot --render svg --render-timeout 1 >out 2>err </dev/null
rc=$?
took=$(($(date +%s) - start))
pid=$(cat dot.pid 2>/dev/null)
if [ $rc = 1 ] && [ $took -lt 20 ] && grep -q "stopped after 1 s" err && grep -q -- "--render-timeout" err \
  && [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null && [ "$(cat m.dot)" = keep ] && no_leftovers; then
  ok "--render-timeout 1 stops a slow dot (exit 1 in ${took}s, dot gone, m.dot kept, nothing left)"
else
  not_ok "--render-timeout 1 stops a slow dot" "rc=$rc took=${took}s pid=$pid" "$(ls -A . tmp)"
fi
if [ "$(cat dot.mode 2>/dev/null)" = 600 ]; then
  ok "the temporary DOT file handed to dot is mode 0600"
else
  not_ok "the temporary DOT file handed to dot is mode 0600" "mode: $(cat dot.mode 2>/dev/null)"
fi
run friction "$SAMPLE" -o m.svg --render-timeout -1
if [ $rc = 2 ]; then ok "--render-timeout -1 is a usage error"; else not_ok "--render-timeout -1 is a usage error" "rc=$rc"; fi

# ---------------------------------------------------------------- signals

# SIGNAL: stops a run while the slow dot draws (input on stdin, so a spool
# exists too); everything the run created must go, dot with it
for sig in INT TERM HUP; do
  rm -f dot.pid
  echo keep >m.dot
  rm -f m.svg
  PATH=$T/slow:$PATH env --default-signal="$sig" "$CX" dfg - -o m.dot --render svg <sample.xes >out 2>err &
  p=$!
  for _ in $(seq 300); do [ -s dot.pid ] && break; sleep 0.1; done
  before=$(ls -A . tmp | tr '\n' ' ')
  had_temps=0
  ls tmp | grep -q "cxmine-spool" && ls -A | grep -q '^\.m\.dot\.' && ls -A | grep -q '^\.m\.svg\.' && had_temps=1
  kill -s "$sig" $p
  wait $p
  rc=$?
  want=$((128 + $(kill -l "$sig")))
  pid=$(cat dot.pid 2>/dev/null)
  sleep 0.2
  if [ $had_temps = 1 ] && [ $rc = $want ] && [ "$(cat m.dot)" = keep ] && [ ! -e m.svg ] && no_leftovers \
    && [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
    ok "SIG$sig while dot runs: exit $rc, spool, render temporaries and partial outputs removed, dot stopped"
  else
    not_ok "SIG$sig while dot runs: exit $want, everything removed, dot stopped" "rc=$rc had_temps=$had_temps pid=$pid" "before: $before" "after: $(ls -A . tmp | tr '\n' ' ')"
    [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
  fi
done

# SIGTERM while standard input is being spooled (the writer never finishes)
rm -rf tmp/*
mkfifo fifo
env --default-signal=TERM "$CX" stats - <fifo >out 2>err &
p=$!
exec 3>fifo # a writer that never writes nor closes
for _ in $(seq 300); do ls tmp | grep -q cxmine-spool && break; sleep 0.1; done
spooling=$(ls tmp | grep -c cxmine-spool)
kill -TERM $p
wait $p
rc=$?
exec 3>&-
if [ "$spooling" = 1 ] && [ $rc = 143 ] && no_leftovers; then
  ok "SIGTERM while spooling standard input: exit 143, the spool removed"
else
  not_ok "SIGTERM while spooling standard input: exit 143, the spool removed" "rc=$rc spooling=$spooling" "$(ls -A tmp)"
fi

# SIGPIPE: the reader of standard output is gone when the picture is copied
rm -rf tmp/*
set -o pipefail
PATH=$T/fake:$PATH env --default-signal=PIPE "$CX" dfg - --render svg <sample.xes 2>err | true
rc=$?
set +o pipefail
if [ $rc = 141 ] && no_leftovers; then
  ok "SIGPIPE writing the picture to a closed pipe: exit 141, spool and picture temporaries removed"
else
  not_ok "SIGPIPE writing the picture to a closed pipe: exit 141, temporaries removed" "rc=$rc" "$(ls -A tmp)"
fi

# ---------------------------------------------------------------- links

# a link to standard output (as /dev/stdout is) redirected to a file: the
# output goes where standard output goes, the link stays (it was once
# replaced by the temporary file, /dev/stdout with it)
rm -rf tmp/*
ln -s /proc/self/fd/1 to-stdout
{
  echo before
  "$CX" stats --json -o to-stdout "$SAMPLE" 2>err
  echo "rc=$?"
  echo after
} >linked.out
if [ -L to-stdout ] && [ "$(head -1 linked.out)" = before ] && grep -q '"cases": 1000' linked.out \
  && grep -q '^rc=0$' linked.out && [ "$(tail -1 linked.out)" = after ] && no_leftovers; then
  ok "-o a link to standard output (a file): written there in order, the link kept"
else
  not_ok "-o a link to standard output (a file): written there in order, the link kept" \
    "$(ls -l to-stdout)" "$(head -3 linked.out)"
fi
# a link to a regular file: the file is replaced (atomically), not the link
echo old >target.txt
ln -s target.txt link.txt
run stats --json -o link.txt "$SAMPLE"
if [ $rc = 0 ] && [ -L link.txt ] && [ "$(readlink link.txt)" = target.txt ] \
  && grep -q '"cases": 1000' target.txt && ! grep -q '^old$' target.txt && no_leftovers; then
  ok "-o a link to a file: the file written, the link kept"
else
  not_ok "-o a link to a file: the file written, the link kept" "rc=$rc" "$(ls -l link.txt target.txt)"
fi
# a dangling link: the file it names is made
ln -s made.txt dangling.txt
run stats -o dangling.txt "$SAMPLE"
if [ $rc = 0 ] && [ -L dangling.txt ] && grep -q "Cases" made.txt && no_leftovers; then
  ok "-o a dangling link: the file it names made, the link kept"
else
  not_ok "-o a dangling link: the file it names made, the link kept" "rc=$rc" "$(ls -l dangling.txt made.txt 2>&1)"
fi

# ---------------------------------------------------------------- a full disk

if [ -w /dev/full ]; then
  for args in "--version" "--help" "dfg --help" "stats --help"; do
    # shellcheck disable=SC2086
    "$CX" $args >/dev/full 2>err
    rc=$?
    if [ $rc = 1 ] && grep -q "standard output: No space left on device" err; then
      ok "cxmine $args > /dev/full: exit 1 with a message"
    else
      not_ok "cxmine $args > /dev/full: exit 1 with a message" "rc=$rc"
    fi
  done
  "$CX" stats "$SAMPLE" >/dev/full 2>err
  rc=$?
  if [ $rc = 1 ] && grep -q "No space left" err; then ok "stats > /dev/full: exit 1"; else not_ok "stats > /dev/full: exit 1" "rc=$rc"; fi
else
  skip "no /dev/full"
fi

echo "1..$n"
