#!/usr/bin/python3
"""The data-driven command-line tests: every line of fixtures/*/cases is a
case, run in that fixture folder and compared byte for byte with the expected
outputs beside it.  TAP output, one line a case.

    # NAME  EXIT  ARGUMENTS...
    dfg-json  0  dfg --json dfg-names.csv
    dfg-json-comma  0  LC_ALL=de_DE.UTF-8 dfg --json dfg-names.csv

A line is split like a shell line (quotes, backslashes; no expansion).
Leading VAR=value words set the environment (LC_ALL is C, TZ is UTC unless a
case sets them); the rest are cxmine's arguments, run with argv[0] "cxmine",
no standard input, in the case's fixture folder (so paths in messages are
relative).  The case passes when the exit status is EXIT, standard output
equals expected/NAME.out and standard error equals expected/NAME.err (no such
file: standard error must be empty).  Names are unique in a folder.

usage: run.py CXMINE SOURCE_ROOT [--update] [CASE-NAME-GLOB...]
  --update  rewrites the expected outputs from CXMINE (refused for a case
            whose exit status is not the one its line states)
"""
import difflib
import fnmatch
import os
import shlex
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import check, finish  # noqa: E402

TIMEOUT = 60


class Case:
    def __init__(self, folder, lineno, line):
        words = shlex.split(line)
        self.folder = folder
        self.where = f"{os.path.basename(folder)}/cases:{lineno}"
        if len(words) < 2 or not words[1].isdigit():
            raise ValueError(f"{self.where}: want NAME EXIT ARGUMENTS...")
        self.name, self.exit = words[0], int(words[1])
        self.env = {}
        rest = words[2:]
        while rest and "=" in rest[0] and rest[0].split("=", 1)[0].isidentifier():
            k, v = rest.pop(0).split("=", 1)
            self.env[k] = v
        self.args = rest
        self.out = os.path.join(folder, "expected", self.name + ".out")
        self.err = os.path.join(folder, "expected", self.name + ".err")

    def title(self):
        env = " ".join(f"{k}={v}" for k, v in self.env.items())
        cmd = shlex.join(["cxmine"] + self.args)
        return f"{os.path.basename(self.folder)}/{self.name}: {env + ' ' if env else ''}{cmd}"

    def run(self, binary):
        env = dict(os.environ, LC_ALL="C", TZ="UTC")
        env.update(self.env)
        p = subprocess.run(["cxmine"] + self.args, executable=binary, cwd=self.folder,
                           env=env, stdin=subprocess.DEVNULL, capture_output=True,
                           timeout=TIMEOUT)
        return p.returncode, p.stdout, p.stderr


def load_cases(root):
    cases = []
    base = os.path.join(root, "fixtures")
    for d in sorted(os.listdir(base)):
        path = os.path.join(base, d, "cases")
        if not os.path.isfile(path):
            continue
        names = set()
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                if not line.strip() or line.lstrip().startswith("#"):
                    continue
                c = Case(os.path.join(base, d), n, line)
                if c.name in names:
                    raise ValueError(f"{c.where}: case {c.name} named twice")
                names.add(c.name)
                cases.append(c)
    return cases


def read(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except FileNotFoundError:
        return b""


def diff(label, want, got):
    lines = difflib.unified_diff(want.decode("utf-8", "replace").splitlines(),
                                 got.decode("utf-8", "replace").splitlines(),
                                 f"expected {label}", f"actual {label}", lineterm="", n=1)
    return "\n".join(list(lines)[:15])


def verify(case, binary):
    rc, out, err = case.run(binary)
    problems = []
    if rc != case.exit:
        problems.append(f"exit status {rc}, want {case.exit}")
    if not os.path.exists(case.out):
        problems.append(f"no {os.path.relpath(case.out, case.folder)}: run with --update")
    if out != read(case.out):
        problems.append(diff("stdout", read(case.out), out))
    if err != read(case.err):
        problems.append(diff("stderr", read(case.err), err))
    return "\n".join(problems) or None


def update(case, binary):
    rc, out, err = case.run(binary)
    if rc != case.exit:
        return f"exit status {rc}, the case says {case.exit}: nothing written\n{err[:300]!r}"
    os.makedirs(os.path.dirname(case.out), exist_ok=True)
    with open(case.out, "wb") as f:
        f.write(out)
    if err:
        with open(case.err, "wb") as f:
            f.write(err)
    elif os.path.exists(case.err):
        os.unlink(case.err)
    return None


def no_strays(cases):
    """Every file in an expected/ folder belongs to a case."""
    known = {p for c in cases for p in (c.out, c.err)}
    stray = []
    for folder in sorted({c.folder for c in cases}):
        exp = os.path.join(folder, "expected")
        for f in sorted(os.listdir(exp)) if os.path.isdir(exp) else []:
            if os.path.join(exp, f) not in known:
                stray.append(os.path.relpath(os.path.join(exp, f), os.path.dirname(folder)))
    return "\n".join(["expected outputs of no case:"] + stray) if stray else None


def main():
    argv = sys.argv[1:]
    do_update = "--update" in argv
    argv = [a for a in argv if a != "--update"]
    if len(argv) < 2:
        sys.exit(__doc__)
    binary, root, globs = os.path.realpath(argv[0]), os.path.realpath(argv[1]), argv[2:]
    cases = [c for c in load_cases(root)
             if not globs or any(fnmatch.fnmatch(c.name, g) for g in globs)]
    for c in cases:
        check(c.title(), (lambda c=c: update(c, binary)) if do_update
              else (lambda c=c: verify(c, binary)))
    if not globs and not do_update:
        check("every expected output has its case", lambda: no_strays(cases))
    finish()


if __name__ == "__main__":
    main()
