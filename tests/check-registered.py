#!/usr/bin/python3
"""Every test file is registered: each tests/**/test-* file is a source of a
test's executable or an argument of a test in the configured build (read from
meson's introspection files, written at configure time).  TAP: one check, the
unregistered files named under it.

usage: check-registered.py SOURCE_ROOT BUILD_ROOT
"""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "cli"))
from tap import check, finish  # noqa: E402

src, build = (os.path.realpath(a) for a in sys.argv[1:3])
info = os.path.join(build, "meson-info")


def test_files():
    """tests/**/test-* on disk, as paths relative to the source root."""
    found = set()
    for d, dirs, files in os.walk(os.path.join(src, "tests")):
        dirs[:] = [x for x in dirs if x != "__pycache__"]
        for f in files:
            if f.startswith("test-") and not f.endswith((".h", ".pyc")):
                found.add(os.path.relpath(os.path.join(d, f), src))
    return found


def registered():
    """Files a test runs: sources of the executables tests run, and files
    passed to a test as its program or an argument."""
    with open(os.path.join(info, "intro-tests.json")) as f:
        tests = json.load(f)
    with open(os.path.join(info, "intro-targets.json")) as f:
        targets = json.load(f)
    words = {os.path.realpath(w) for t in tests for w in t["cmd"] if os.path.isabs(w)}
    files = set(words)
    for t in targets:
        if any(os.path.realpath(out) in words for out in t["filename"]):
            for s in t["target_sources"]:
                files.update(os.path.realpath(x) for x in s.get("sources", []))
    return {os.path.relpath(f, src) for f in files}


def all_registered():
    missing = sorted(test_files() - registered())
    if missing:
        return "not registered in any tests/**/meson.build:\n" + "\n".join(missing)
    return None


check("every tests/**/test-* file is run by a registered test", all_registered)
finish()
