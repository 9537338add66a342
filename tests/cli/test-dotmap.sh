#!/bin/bash
# End-to-end tests of what `cxmine dfg` hands Graphviz: the node cap
# (--max-nodes, the legend and the warning), long and non-ASCII activity
# names (shortened, unique, raw UTF-8, rendered by a real `dot` into
# well-formed SVG). TAP output.
#
# usage: test-dotmap.sh PATH/TO/cxmine
set -u
CX=$(realpath "${1:?cxmine binary}")
export LC_ALL=C.UTF-8

T=$(mktemp -d "${TMPDIR:-/tmp}/cxmine-dotmap-XXXXXX") || exit 99
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
check() { # NAME COMMAND... : ok when the command succeeds
  local name=$1
  shift
  if "$@"; then ok "$name"; else not_ok "$name" "failed: $*"; fi
}
run() {
  timeout 60 "$CX" "$@" >out 2>err </dev/null
  rc=$?
}
# the activities drawn: node lines with a label, start and end excluded
drawn() { grep -c '^  n[0-9]* \[label=' "$1"; }

# --- the node cap -----------------------------------------------------------
# a star: Start -> Xi -> End over 300 activities Xi (X000 the most frequent)
{
  echo "case,activity,timestamp"
  for i in $(seq 0 299); do
    x=$(printf 'X%03d' "$i")
    for k in $(seq 0 $(((299 - i) / 100))); do
      echo "c$i-$k,Start,2024-01-01T00:00:00"
      echo "c$i-$k,$x,2024-01-01T00:01:00"
      echo "c$i-$k,End,2024-01-01T00:02:00"
    done
  done
} >star.csv

run dfg star.csv -o top.dot
if [ $rc -eq 0 ] && [ "$(drawn top.dot)" -eq 25 ]; then
  ok "default: the 25 activities most cases reach"
else
  not_ok "default: the 25 activities most cases reach" "rc=$rc drawn=$(drawn top.dot 2>/dev/null)"
fi
check "the default map says what it hides" \
  grep -q 'hidden: 277 less common activities (--activities all shows every one)' top.dot
check "the default map keeps Start, End and the most common X" grep -q 'label="X000' top.dot
run dfg star.csv --timezone UTC --activities all -o every.dot
if [ $rc -eq 0 ] && [ "$(drawn every.dot)" -eq 302 ] && [ ! -s err ]; then
  ok "--activities all draws all, without a warning"
else
  not_ok "--activities all draws all, without a warning" "rc=$rc drawn=$(drawn every.dot 2>/dev/null)"
fi
run dfg star.csv --activities 100 -o capped.dot
if [ $rc -eq 0 ] && [ "$(drawn capped.dot)" -eq 200 ]; then
  ok "default cap: 200 of 302 activities drawn"
else
  not_ok "default cap: 200 of 302 activities drawn" "rc=$rc drawn=$(drawn capped.dot 2>/dev/null)"
fi
check "the legend says what was left out" \
  grep -q 'left out: 102 of 302 activities and .* paths (at most --max-nodes 200 activities are drawn)' capped.dot
check "stderr says what was left out" \
  grep -q '^cxmine: warning: the map leaves out 102 of 302 activities and .* paths: it draws at most 200 activities (--max-nodes N draws more, 0 all)$' err
check "the most frequent are drawn" grep -q 'label="X000' capped.dot
run dfg star.csv --timezone UTC --max-nodes 0 -o all.dot
if [ $rc -eq 0 ] && [ "$(drawn all.dot)" -eq 302 ] && [ ! -s err ]; then
  ok "--max-nodes 0 draws all, without a warning"
else
  not_ok "--max-nodes 0 draws all, without a warning" "rc=$rc drawn=$(drawn all.dot 2>/dev/null)"
fi
run dfg star.csv --max-nodes 10 -o ten.dot
if [ $rc -eq 0 ] && [ "$(drawn ten.dot)" -eq 10 ]; then ok "--max-nodes 10"; else not_ok "--max-nodes 10" "rc=$rc"; fi
run dfg star.csv --max-nodes -1
if [ $rc -eq 2 ] && grep -q -- '--max-nodes' err; then ok "--max-nodes -1 is a usage error"; else not_ok "--max-nodes -1 is a usage error" "rc=$rc"; fi
run dfg --help
check "--help names --max-nodes and its default" grep -q -- '--max-nodes=N .*default 200' out
check "--help names --activities all" grep -q -- '--activities=P|all' out
run dfg star.csv --json
if [ $rc -eq 0 ] && grep -q '"simplified": false' out; then
  ok "--json stays the whole graph by default"
else
  not_ok "--json stays the whole graph by default" "rc=$rc" "$(head -c 300 out)"
fi
run dfg star.csv --json --max-nodes 5
if [ $rc -eq 0 ] && [ "$(grep -c '"activity"' out)" -ge 5 ] && grep -q '"simplified": true' out; then
  ok "--json --max-nodes 5 gives the capped view"
else
  not_ok "--json --max-nodes 5 gives the capped view" "rc=$rc"
fi

# --- labels -----------------------------------------------------------------
long=$(head -c 20000 /dev/zero | tr '\0' 'a')
{
  echo "case,activity,timestamp"
  echo "c1,Start,2024-01-01T00:00:00"
  echo "c1,${long}X,2024-01-01T00:01:00"
  echo "c1,Smile 😀 & <b>\"q\",2024-01-01T00:02:00"
  echo "c2,Start,2024-01-01T00:00:00"
  echo "c2,${long}Y,2024-01-01T00:01:00"
  echo "c2,End,2024-01-01T00:03:00"
} >long.csv
run dfg long.csv --paths 100 -o long.dot
check "a 20,000-character activity gives a map" test $rc -eq 0
# no quoted string may reach Graphviz's 16,384-byte limit
maxq=$(grep -o '"[^"]*"' long.dot | awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }')
check "every quoted DOT string is under 16,384 bytes ($maxq)" test "$maxq" -lt 16384
labels=$(grep -o 'label="a[^"]*"' long.dot)
nl=$(printf '%s\n' "$labels" | sort -u | wc -l)
check "the two long names have two distinct short labels" test "$nl" -eq 2
lmax=0
while IFS= read -r l; do
  c=$(printf '%s' "$l" | sed 's/^label="//; s/\\n.*//' | wc -m)
  [ "$c" -gt "$lmax" ] && lmax=$c
done <<<"$labels"
check "short labels are 80 characters at most ($lmax)" test "$lmax" -eq 80
check "a shortened label ends its line with an ellipsis" grep -q 'label="aaaa[^"]*…' long.dot
check "the emoji is written as raw UTF-8" grep -q 'Smile 😀 &amp; &lt;b&gt;\\"q\\"' long.dot
check "no numeric references above ASCII" bash -c "! grep -q '&#[0-9][0-9][0-9][0-9]*;' long.dot"
tips=$(grep -c "tooltip=\"aaaa" long.dot)
check "full names are in the tooltips" test "$tips" -ge 2
if ! command -v dot >/dev/null || ! command -v xmllint >/dev/null; then
  skip "Graphviz dot or xmllint not installed"
  skip "Graphviz dot or xmllint not installed"
  skip "Graphviz dot or xmllint not installed"
else
  if timeout 120 dot -Tsvg long.dot -o long.svg 2>dot.err; then
    ok "dot renders the map of the 20,000-character name"
  else
    not_ok "dot renders the map of the 20,000-character name" "$(head -3 dot.err)"
  fi
  if xmllint --noout long.svg 2>xml.err; then ok "the SVG is well-formed XML"; else not_ok "the SVG is well-formed XML" "$(head -3 xml.err)"; fi
  if grep -q '😀' long.svg && grep -c "${long}X" long.svg >/dev/null; then
    ok "the SVG holds the emoji and the full name"
  else
    not_ok "the SVG holds the emoji and the full name"
  fi
fi

echo "1..$n"
