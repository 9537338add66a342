#!/bin/bash
# scripts/demo on a machine like a fresh one: Check unavailable, a first
# setup that fails, a build folder left half-made.  Runs the real
# scripts/demo into a temporary build folder (its dependency step skipped:
# tests install nothing).  TAP output.
#
# usage: test-demo.sh SOURCE_ROOT
set -u
SRC=$(realpath "${1:?source root}")
export LC_ALL=C

T=$(mktemp -d "${TMPDIR:-/tmp}/cxmine-demo-test-XXXXXX") || exit 99
trap 'rm -rf "$T"' EXIT

n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() {
  n=$((n + 1))
  echo "not ok $n - $1"
  for f in "$T/out" "$T/err"; do [ -s "$f" ] && tail -n 15 "$f" | sed "s|^|#   $(basename "$f"): |"; done
}
check() { # NAME CMD...
  local name=$1
  shift
  if "$@" >/dev/null 2>&1; then ok "$name"; else not_ok "$name"; fi
}

# pkg-config sees everything this machine has, except Check
mkdir "$T/pc" "$T/nopc"
IFS=: read -r -a pcdirs <<<"$(pkg-config --variable pc_path pkg-config)"
for d in "${pcdirs[@]}"; do
  for f in "$d"/*.pc; do
    [ -e "$f" ] && [ ! -e "$T/pc/$(basename "$f")" ] && ln -s "$f" "$T/pc/"
  done
done
rm -f "$T/pc/check.pc"

build=$T/build-demo
demo() { # PKG_CONFIG_LIBDIR: runs scripts/demo into $build
  env PKG_CONFIG_LIBDIR="$1" PKG_CONFIG_PATH= CXMINE_DEMO_BUILD="$build" CXMINE_DEMO_SKIP_DEPS=1 \
    nice "$SRC/scripts/demo" >"$T/out" 2>"$T/err"
}

echo "1..9"

if PKG_CONFIG_LIBDIR="$T/pc" pkg-config --exists check; then
  not_ok "Check is hidden from pkg-config"
else
  ok "Check is hidden from pkg-config"
fi

# a first setup that fails (no GLib found): the error is shown, not swallowed
demo "$T/nopc"
rc=$?
if [ $rc -ne 0 ] && grep -q "glib-2.0" "$T/err" && grep -q "meson setup .* failed" "$T/err"; then
  ok "a failing setup exits $rc and shows meson's error"
else
  not_ok "a failing setup exits non-zero and shows meson's error (rc=$rc)"
fi

# the rerun, over whatever the failure left, builds without Check
demo "$T/pc"
rc=$?
if [ $rc -eq 0 ]; then ok "the rerun after a failed setup succeeds"; else not_ok "the rerun after a failed setup succeeds (rc=$rc)"; fi
if [ -x "$build/src/cli/cxmine" ] && [ ! -e "$build/tests" ] \
  && meson introspect --buildoptions "$build" 2>/dev/null | grep -q '"name": "tests", "value": "disabled"'; then
  ok "built the tool with -Dtests=disabled and no test suite"
else
  not_ok "built the tool with -Dtests=disabled and no test suite"
fi
if command -v dot >/dev/null 2>&1; then
  svg=$(sed -n 's/^The journey map is a picture: \(.*\) (open it.*/\1/p' "$T/out")
  if [ -n "$svg" ] && [ -f "$svg" ] && head -c 300 "$svg" | grep -q "<svg"; then
    ok "the demo draws the journey map as an SVG and says where ($svg)"
  else
    not_ok "the demo draws the journey map as an SVG and says where"
  fi
  html=$(sed -n 's/^The journey report is one HTML file: \(.*\) (open it.*/\1/p' "$T/out")
  if [ -n "$html" ] && [ -f "$html" ] && grep -q '<section id="map">' "$html"; then
    ok "the demo writes the journey report and says where ($html)"
  else
    not_ok "the demo writes the journey report and says where"
  fi
else
  ok "# SKIP Graphviz dot not installed"
  ok "# SKIP Graphviz dot not installed (no journey report)"
fi

# half-made in another way: the configured folder lost build.ninja
rm -f "$build/build.ninja"
demo "$T/pc"
rc=$?
if [ $rc -eq 0 ] && [ -f "$build/build.ninja" ]; then
  ok "a build folder without build.ninja is set up again"
else
  not_ok "a build folder without build.ninja is set up again (rc=$rc)"
fi

# a half-made folder from an interrupted setup (meson-logs only)
rm -rf "$build" && mkdir -p "$build/meson-logs"
demo "$T/nopc"
if grep -q "half-made" "$T/err"; then ok "a folder with only meson-logs is recognised as half-made"; else not_ok "a folder with only meson-logs is recognised as half-made"; fi

# a folder that is not a meson build folder is left alone
rm -rf "$build" && mkdir "$build" && echo precious >"$build/notes.txt"
demo "$T/pc"
rc=$?
if [ $rc -ne 0 ] && [ "$(cat "$build/notes.txt" 2>/dev/null)" = precious ]; then
  ok "a folder that is not meson's is not removed (exit $rc)"
else
  not_ok "a folder that is not meson's is not removed (rc=$rc)"
fi
