#!/usr/bin/python3
"""Holds docs/json.md to what `cxmine COMMAND --json` really prints.

usage: test-json-doc.py CXMINE SOURCE_ROOT

For every command in RUNS, runs each of its invocations (the bundled
sample, a log without timestamps, CSV fixtures, and the options that add
keys), flattens every JSON key into its path (`a.b`, `list[].key`), and
checks against that command's `## <command>` section of docs/json.md:

  - every row is well formed: four cells, the key path in backticks, a
    type made of the words integer, number, string, boolean, object, array,
    null (`array of string`, `number or null`), a meaning;
  - every documented key appears in some real output;
  - every key in real output is documented;
  - every value's JSON type is one the row allows (a `null` where the row
    does not say `or null` fails: unknown values must be documented as such).

`.*` in a documented path stands for one data-dependent key (an object
keyed by data).  Runs on ../shared logs are skipped when it is absent.
Prints TAP.
"""
import json
import os
import re
import subprocess
import sys
import tempfile

# The invocations per command: (description, arguments).  Inputs are named
# by the keys of INPUTS below; a run whose input is missing is skipped.
RUNS = {
    "stats": [
        ("sample --business-hours", ["stats", "--json",
                                     "--business-hours", "Mon-Fri 09:00-17:30", "{sample}"]),
        ("sample", ["stats", "--json", "{sample}"]),
        ("untimed XES", ["stats", "--json", "{untimed}"]),
        ("CSV", ["stats", "--json", "{csv}"]),
        ("CSV with start times", ["stats", "--json", "{service}"]),
        ("shared untimed log", ["stats", "--json", "{shared_untimed}"]),
    ],
    "variants": [
        ("sample --business-hours", ["variants", "--json",
                                     "--business-hours", "Mon-Fri 09:00-17:30", "{sample}"]),
        ("sample", ["variants", "--json", "{sample}"]),
        ("sample --top 3", ["variants", "--json", "--top", "3", "{sample}"]),
        ("untimed XES", ["variants", "--json", "{untimed}"]),
        ("CSV", ["variants", "--json", "{csv}"]),
        ("sample --case-ids", ["variants", "--json", "--case-ids", "{sample}"]),
    ],
    "dfg": [
        ("CSV with start times --business-hours",
         ["dfg", "--json", "--business-hours", "Mon-Fri 09:00-17:30", "{service}"]),
        ("sample", ["dfg", "--json", "{sample}"]),
        ("sample --paths 20", ["dfg", "--json", "--paths", "20", "{sample}"]),
        ("sample --activities 50", ["dfg", "--json", "--activities", "50", "{sample}"]),
        ("untimed XES", ["dfg", "--json", "{untimed}"]),
        ("CSV", ["dfg", "--json", "{csv}"]),
        ("CSV with start times", ["dfg", "--json", "{service}"]),
        ("sample --case-ids", ["dfg", "--json", "--case-ids", "{sample}"]),
        ("untimed XES --case-ids", ["dfg", "--json", "--case-ids", "{untimed}"]),
    ],
    "friction": [
        ("sample --business-hours", ["friction", "--json",
                                     "--business-hours", "Mon-Fri 09:00-17:30", "{sample}"]),
        ("sample", ["friction", "--json", "--top", "0", "{sample}"]),
        ("sample, options that add findings",
         ["friction", "--json", "--top", "0", "--effort-factor", "1.2", "--effort-iqr", "0",
          "--many-switches", "2", "{sample}"]),
        ("sample --success Close", ["friction", "--json", "--success", "Close", "{sample}"]),
        ("sample --case-ids", ["friction", "--json", "--top", "0", "--case-ids", "{sample}"]),
        ("untimed XES", ["friction", "--json", "{untimed}"]),
        ("CSV", ["friction", "--json", "{csv}"]),
    ],
    "compare": [
        ("--split-at --business-hours", ["compare", "--json", "{sample}", "--split-at",
                                          "2024-07-01", "--business-hours", "Mon-Fri 09:00-17:30"]),
        ("--by --business-hours", ["compare", "--json", "{sample}", "--by", "segment",
                                   "--business-hours", "Mon-Fri 09:00-17:30"]),
        ("two logs", ["compare", "--json", "--top", "0", "{sample}", "{sample}",
                      "--after-opts", "--from 2024-07-01"]),
        ("--split-at", ["compare", "--json", "--top", "0", "{sample}",
                        "--split-at", "2024-07-01"]),
        ("--by", ["compare", "--json", "--top", "0", "{sample}", "--by", "segment"]),
        ("--by --baseline", ["compare", "--json", "{sample}", "--by", "segment",
                             "--baseline", "consumer"]),
        ("two CSV logs", ["compare", "--json", "{csv}", "{csv}"]),
        ("two untimed logs", ["compare", "--json", "{untimed}", "{untimed}"]),
        ("two CSV logs --satisfaction-key", ["compare", "--json", "{csv}", "{csv}",
                                             "--satisfaction-key", "Costs"]),
        ("--by --satisfaction-key", ["compare", "--json", "{csv}", "--by", "Resource",
                                     "--satisfaction-key", "Costs"]),
    ],
    "cases": [
        ("sample --business-hours", ["cases", "--json",
                                     "--business-hours", "Mon-Fri 09:00-17:30", "{sample}"]),
        ("sample", ["cases", "--json", "{sample}"]),
        ("untimed XES", ["cases", "--json", "{untimed}"]),
        ("CSV", ["cases", "--json", "{csv}"]),
    ],
    "trend": [
        ("sample --business-hours", ["trend", "--json",
                                     "--business-hours", "Mon-Fri 09:00-17:30", "{sample}"]),
        ("sample", ["trend", "--json", "{sample}"]),
        ("sample by day in Amsterdam", ["trend", "--json", "--every", "day", "--timezone",
                                        "Europe/Amsterdam", "{sample}"]),
        ("untimed XES", ["trend", "--json", "{untimed}"]),
        ("CSV with start times", ["trend", "--json", "--every", "month", "{service}"]),
    ],
    "resources": [
        ("sample --business-hours", ["resources", "--json",
                                     "--business-hours", "Mon-Fri 09:00-17:30", "{sample}"]),
        ("sample", ["resources", "--json", "{sample}"]),
        ("sample --top 3", ["resources", "--json", "--top", "3", "{sample}"]),
        ("handover fixture", ["resources", "--json", "--case", "case", "--activity", "activity",
                              "--timestamp", "timestamp", "--resource", "resource",
                              "--start-timestamp", "started", "{handover}"]),
        ("untimed XES", ["resources", "--json", "{untimed}"]),
    ],
    "partition": [
        ("sample", ["partition", "--json", "-k", "3", "-o", "{tmp}/shards", "{sample}"]),
        ("CSV shards", ["partition", "--json", "-k", "2", "--shard-format", "csv",
                        "-o", "{tmp}/shards-csv", "{csv}"]),
    ],
}

UNTIMED_XES = """<?xml version="1.0" encoding="UTF-8"?>
<log xes.version="1.0" xmlns="http://www.xes-standard.org/">
<trace><string key="concept:name" value="c1"/>
<event><string key="concept:name" value="Open"/></event>
<event><string key="concept:name" value="Work"/></event>
<event><string key="concept:name" value="Close"/></event></trace>
<trace><string key="concept:name" value="c2"/>
<event><string key="concept:name" value="Open"/></event>
<event><string key="concept:name" value="Close"/></event></trace>
<trace><string key="concept:name" value="c3"/>
<event><string key="concept:name" value="Open"/></event>
<event><string key="concept:name" value="Work"/></event>
<event><string key="concept:name" value="Work"/></event>
<event><string key="concept:name" value="Close"/></event></trace>
</log>
"""

# start and end times (service times), naive (read as UTC, and said so)
SERVICE_CSV = """case,activity,start_timestamp,timestamp
c1,A,2024-01-01 10:00:00,2024-01-01 10:05:00
c1,B,2024-01-01 11:00:00,2024-01-01 11:30:00
c2,A,2024-01-02 10:00:00,2024-01-02 10:01:00
c2,B,2024-01-02 12:00:00,2024-01-02 12:10:00
"""

TYPE_WORDS = {
    "integer": {"int"},
    "number": {"int", "float"},
    "string": {"str"},
    "boolean": {"bool"},
    "object": {"dict"},
    "array": {"list"},
    "null": {"NoneType"},
}


def parse_doc(path):
    """Returns {command: {path tuple: (allowed type names, line)}} and format complaints."""
    sections, problems = {}, []
    current = None
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            line = line.rstrip("\n")
            m = re.match(r"^## (\S+)\s*$", line)
            if m:
                current = sections.setdefault(m.group(1), {})
                continue
            if current is None or not line.startswith("|"):
                continue
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if cells[0] in ("key", "---") or set(cells[0]) <= set("-: "):
                continue
            where = "docs/json.md:%d" % lineno
            km = re.fullmatch(r"`([^`]+)`", cells[0])
            if not km:
                problems.append("%s: first cell is not a key path in backticks: %s" % (where, cells[0]))
                continue
            if len(cells) != 4:
                problems.append("%s: %d cells, want 4 (key, type, unit, meaning)" % (where, len(cells)))
                continue
            allowed = set()
            for alt in re.split(r"\s+or\s+|\s*\|\s*|\s*,\s*", cells[1].lower()):
                word = alt.split(" ")[0] if alt else ""
                if word not in TYPE_WORDS:
                    problems.append("%s: type '%s': '%s' is not one of %s"
                                    % (where, cells[1], word, ", ".join(TYPE_WORDS)))
                    continue
                allowed |= TYPE_WORDS[word]
            if not cells[3]:
                problems.append("%s: `%s` has no meaning" % (where, km.group(1)))
            key = tuple(km.group(1).split("."))
            if key in current:
                problems.append("%s: `%s` documented twice" % (where, km.group(1)))
            current[key] = (allowed, where)
    return sections, problems


def flatten(value, prefix, out):
    """Adds every key path under @value to @out: {path tuple: set of type names}."""
    if isinstance(value, dict):
        for k, v in value.items():
            p = prefix + (k,)
            out.setdefault(p, set()).add(type(v).__name__)
            flatten(v, p, out)
    elif isinstance(value, list):
        for v in value:
            if not prefix:
                flatten(v, ("[]",), out)
            else:
                flatten(v, prefix[:-1] + (prefix[-1] + "[]",), out)


def matches(doc_key, path):
    if len(doc_key) != len(path):
        return False
    for d, p in zip(doc_key, path):
        if d == p:
            continue
        if d == "*" and not p.endswith("[]"):
            continue
        if d == "*[]" and p.endswith("[]"):
            continue
        return False
    return True


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def ok(self, good, name, details=()):
        self.n += 1
        if not good:
            self.failed += 1
        print("%s %d - %s" % ("ok" if good else "not ok", self.n, name))
        for d in details:
            print("#   " + d)

    def skip(self, name, why):
        self.n += 1
        print("ok %d - %s # SKIP %s" % (self.n, name, why))


def main():
    cxmine, root = sys.argv[1], sys.argv[2]
    shared = os.environ.get("CX_SHARED") or os.path.join(root, "..", "shared")
    tap = Tap()
    doc, problems = parse_doc(os.path.join(root, "docs", "json.md"))
    tap.ok(not problems, "docs/json.md: every row is well formed", problems[:20])

    with tempfile.TemporaryDirectory(prefix="cxmine-json-doc-") as tmp:
        untimed = os.path.join(tmp, "untimed.xes")
        with open(untimed, "w") as f:
            f.write(UNTIMED_XES)
        service = os.path.join(tmp, "service.csv")
        with open(service, "w") as f:
            f.write(SERVICE_CSV)
        inputs = {
            "sample": os.path.join(root, "fixtures", "sample", "customer-journeys.xes.gz"),
            "csv": os.path.join(root, "fixtures", "csv", "running-example.csv"),
            "untimed": untimed,
            "service": service,
            "handover": os.path.join(root, "fixtures", "csv", "handover.csv"),
            "tmp": tmp,
            "shared_untimed": os.path.join(shared, "data",
                                           "roadtraffic_1t_per_variant_no_timestamps.xes.gz"),
        }
        env = dict(os.environ, LC_ALL="C")
        for command, runs in RUNS.items():
            seen = {}
            for desc, args in runs:
                missing = [k for k in re.findall(r"\{(\w+)\}", " ".join(args))
                           if not os.path.exists(inputs[k])]
                name = "%s --json (%s)" % (command, desc)
                if missing:
                    tap.skip(name, "no " + ", ".join(missing))
                    continue
                argv = [cxmine] + [a.format(**inputs) for a in args]
                r = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True,
                                   env=env, timeout=120)
                try:
                    data = json.loads(r.stdout)
                except ValueError:
                    data = None
                good = r.returncode == 0 and data is not None
                tap.ok(good, name + ": exits 0 with one JSON document",
                       [] if good else ["exit %d" % r.returncode,
                                        "stderr: " + r.stderr.decode(errors="replace")[:300]])
                if good:
                    flatten(data, (), seen)
            keys = doc.get(command)
            if keys is None:
                tap.ok(False, "docs/json.md has a section '## %s'" % command)
                continue
            if not seen:
                tap.skip("docs/json.md %s: keys" % command, "no output")
                continue
            undocumented, wrong_type = [], []
            used = set()
            for path, types in sorted(seen.items()):
                rows = [k for k in keys if matches(k, path)]
                if not rows:
                    undocumented.append(".".join(path))
                    continue
                used.update(rows)
                allowed = set().union(*(keys[k][0] for k in rows))
                bad = types - allowed
                if bad:
                    wrong_type.append("%s: output has %s, %s allows %s"
                                      % (".".join(path), "/".join(sorted(bad)),
                                         keys[rows[0]][1], "/".join(sorted(allowed))))
            never = ["%s (%s)" % (".".join(k), keys[k][1]) for k in keys if k not in used]
            tap.ok(not undocumented, "docs/json.md %s: every output key is documented" % command,
                   ["undocumented: " + u for u in undocumented[:40]])
            tap.ok(not never, "docs/json.md %s: every documented key appears in real output"
                   % command, ["never seen: " + u for u in never[:40]])
            tap.ok(not wrong_type, "docs/json.md %s: every value has a documented type" % command,
                   wrong_type[:40])
        extra = sorted(set(doc) - set(RUNS))
        tap.ok(not extra, "docs/json.md: every section is a command this test runs",
               ["no runs for: " + ", ".join(extra)] if extra else [])
    print("1..%d" % tap.n)
    return 1 if tap.failed else 0


if __name__ == "__main__":
    sys.exit(main())
