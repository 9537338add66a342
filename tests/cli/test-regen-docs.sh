#!/bin/bash
# scripts/regen-docs itself: --check fails on a stale block and passes once
# the script has rewritten it; a marker without a block gets one; examples
# on ../shared skip without it; a failing command is reported. TAP output.
#
# usage: test-regen-docs.sh PATH/TO/cxmine SOURCE_ROOT
set -u
CX=$(realpath "${1:?cxmine binary}")
SRC=$(realpath "${2:?source root}")
REGEN=$SRC/scripts/regen-docs

T=$(mktemp -d "${TMPDIR:-/tmp}/cxmine-regen-XXXXXX") || exit 99
trap 'rm -rf "$T"' EXIT

n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() {
  n=$((n + 1))
  echo "not ok $n - $1"
  shift
  for l in "$@"; do printf '%s\n' "$l" | sed 's/^/#   /'; done
}
check() { # NAME COMMAND...
  local name=$1
  shift
  if "$@"; then ok "$name"; else not_ok "$name" "failed: $*" "$(head -c 600 "$T/out")"; fi
}

cat >"$T/doc.md" <<'MD'
# A page

<!-- cx-example prompt: cxmine stats fixtures/sample/customer-journeys.xes.gz | head -n 3 -->
```text
$ cxmine stats fixtures/sample/customer-journeys.xes.gz | head -n 3
Log         customer-journeys.xes.gz
Cases       999
Events      10032
```

<!-- cx-example: cxmine variants --top 1 fixtures/sample/customer-journeys.xes.gz | head -n 1 -->

Text after.
MD
cp "$T/doc.md" "$T/orig.md"

"$REGEN" --check --cxmine "$CX" "$T/doc.md" >"$T/out" 2>&1
rc=$?
check "--check exits 1 on a stale block" test $rc -eq 1
check "--check names the stale block with a diff" grep -q '^not ok 1 - .*doc.md:3: cxmine stats' "$T/out"
check "the diff shows the wrong line" grep -q '^#   -Cases       999' "$T/out"
check "a marker without a block fails --check" \
  bash -c "grep -A1 '^not ok 2 - ' '$T/out' | grep -q 'no fenced block'"
check "--check changes nothing" cmp -s "$T/doc.md" "$T/orig.md"

"$REGEN" --cxmine "$CX" "$T/doc.md" >"$T/out" 2>&1
check "regenerating succeeds" test $? -eq 0
check "the block is rewritten from the binary" grep -qx 'Cases       1,000' "$T/doc.md"
check "the prompt line and the fence's info string stay" grep -qx -e '```text' "$T/doc.md"
check "a block is added after a bare marker" grep -qx '1,000 cases, 231 variants' "$T/doc.md"
check "the rest of the page is kept" grep -qx 'Text after.' "$T/doc.md"
"$REGEN" --check --cxmine "$CX" "$T/doc.md" >"$T/out" 2>&1
check "--check passes after regenerating" test $? -eq 0

cat >"$T/shared.md" <<'MD'
<!-- cx-example: cxmine stats ../shared/data/sepsis_cases.xes.gz -->
```
stale
```
MD
CX_SHARED=$T/nowhere "$REGEN" --check --cxmine "$CX" "$T/shared.md" >"$T/out" 2>&1
check "examples on ../shared skip without it" grep -q '^ok 1 - .* # SKIP ../shared is absent' "$T/out"

cat >"$T/bad.md" <<'MD'
<!-- cx-example: cxmine stats no-such-file.csv -->
```
```
MD
"$REGEN" --cxmine "$CX" "$T/bad.md" >"$T/out" 2>&1
check "a failing command is an error" test $? -eq 1
check "... naming the example and cxmine's message" grep -q 'bad.md:1: cxmine stats no-such-file.csv: exit 1: cxmine: ' "$T/out"

echo "1..$n"
