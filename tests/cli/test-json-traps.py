#!/usr/bin/python3
"""The JSON traps of issue 9, end to end: `--json` is the whole answer.

usage: test-json-traps.py CXMINE SOURCE_ROOT

  - variants --json lists every variant unless --top is given; with --top
    it says how many there were (variants_total) and whether it cut
    (truncated);
  - stats --json on a log without timestamps: durations and period null,
    never 0;
  - dfg --json says what --activities/--paths cut (*_total, truncated),
    and an unmeasured wait or service time is an object of nulls;
  - dfg's events are events (as in stats), its instances instances;
  - numbers in their shortest round-trip form.
Runs on ../shared skip when it is absent.  Prints TAP.
"""
import json
import os
import subprocess
import sys
import tempfile

CX = sys.argv[1]
ROOT = sys.argv[2]
SHARED = os.environ.get("CX_SHARED") or os.path.join(ROOT, "..", "shared")
SAMPLE = os.path.join(ROOT, "fixtures", "sample", "customer-journeys.xes.gz")
UNTIMED_SHARED = os.path.join(SHARED, "data", "roadtraffic_1t_per_variant_no_timestamps.xes.gz")

n = 0
failed = 0


def check(name, problems):
    global n, failed
    n += 1
    if problems:
        failed += 1
        print("not ok %d - %s" % (n, name))
        for p in problems[:10]:
            print("#   " + str(p))
    else:
        print("ok %d - %s" % (n, name))


def skip(name, why):
    global n
    n += 1
    print("ok %d - %s # SKIP %s" % (n, name, why))


def run(*args):
    """Returns (parsed JSON or None, raw stdout, complaints)."""
    r = subprocess.run([CX] + list(args), stdin=subprocess.DEVNULL, capture_output=True,
                       env=dict(os.environ, LC_ALL="C"), timeout=120)
    if r.returncode != 0:
        return None, "", ["exit %d: %s" % (r.returncode, r.stderr.decode(errors="replace")[:300])]
    try:
        return json.loads(r.stdout), r.stdout.decode(), []
    except ValueError as e:
        return None, "", ["not JSON: %s" % e]


def want(problems, what, got, expected):
    if got != expected:
        problems.append("%s: got %r, want %r" % (what, got, expected))


UNTIMED = """<?xml version="1.0" encoding="UTF-8"?>
<log xes.version="1.0" xmlns="http://www.xes-standard.org/">
<trace><string key="concept:name" value="c1"/>
<event><string key="concept:name" value="Open"/></event>
<event><string key="concept:name" value="Close"/></event></trace>
<trace><string key="concept:name" value="c2"/>
<event><string key="concept:name" value="Open"/></event>
<event><string key="concept:name" value="Work"/></event>
<event><string key="concept:name" value="Close"/></event></trace>
</log>
"""

# two instances of four events (start + complete each)
LIFECYCLE = """case,activity,timestamp,lifecycle
c1,A,2024-01-01T10:00:00Z,start
c1,A,2024-01-01T10:05:00Z,complete
c1,B,2024-01-01T11:00:00Z,start
c1,B,2024-01-01T11:30:00Z,complete
"""

NULLS5 = {"mean": None, "median": None, "p90": None, "min": None, "max": None}
NULLS6 = dict(NULLS5, total=None)


def main():
    with tempfile.TemporaryDirectory(prefix="cxmine-json-traps-") as tmp:
        return traps(tmp)


def traps(tmp):
    untimed = os.path.join(tmp, "untimed.xes")
    with open(untimed, "w") as f:
        f.write(UNTIMED)
    lifecycle = os.path.join(tmp, "lifecycle.csv")
    with open(lifecycle, "w") as f:
        f.write(LIFECYCLE)

    # ---- variants
    full, _, p = run("variants", "--json", SAMPLE)
    if full is not None:
        want(p, "variants listed", len(full["variants"]), 231)
        want(p, "variants_total", full.get("variants_total"), 231)
        want(p, "truncated", full.get("truncated"), False)
        want(p, "shares add up to 1", round(sum(v["share"] for v in full["variants"]), 9), 1.0)
    check("variants --json without --top lists every variant (231, not the top 20)", p)

    top, _, p = run("variants", "--json", "--top", "5", SAMPLE)
    if top is not None and full is not None:
        want(p, "variants listed", len(top["variants"]), 5)
        want(p, "variants_total", top.get("variants_total"), 231)
        want(p, "truncated", top.get("truncated"), True)
        want(p, "the head of the full list", top["variants"], full["variants"][:5])
    check("variants --json --top 5: five, variants_total 231, truncated true", p)

    # the default of the text stays the top 20; a negative --top is still a usage error
    r = subprocess.run([CX, "variants", SAMPLE], capture_output=True,
                       env=dict(os.environ, LC_ALL="C"), timeout=120)
    rows = [line for line in r.stdout.decode().splitlines() if "Submit request" in line]
    p = []
    if r.returncode != 0 or len(rows) != 20:
        p.append("exit %d, %d variant rows" % (r.returncode, len(rows)))
    check("variants (text) without --top still shows the top 20", p)
    r = subprocess.run([CX, "variants", "--json", "--top", "-1", SAMPLE], capture_output=True,
                       timeout=120)
    check("variants --top -1 is a usage error (exit 2)",
          [] if r.returncode == 2 else ["exit %d" % r.returncode])

    for n_top, cut in (("0", False), ("231", False), ("230", True), ("1000", False)):
        d, _, p = run("variants", "--json", "--top", n_top, SAMPLE)
        if d is not None:
            want(p, "truncated", d.get("truncated"), cut)
            want(p, "variants_total", d.get("variants_total"), 231)
            want(p, "variants listed", len(d["variants"]), 231 if not cut else int(n_top))
        check("variants --json --top %s: truncated %s" % (n_top, str(cut).lower()), p)

    # ---- stats on logs without timestamps
    logs = [("a generated untimed XES", untimed)]
    if os.path.exists(UNTIMED_SHARED):
        logs.append(("roadtraffic_1t_per_variant_no_timestamps", UNTIMED_SHARED))
    else:
        skip("stats --json on roadtraffic_1t_per_variant_no_timestamps", "no ../shared")
    for name, log in logs:
        d, _, p = run("stats", "--json", log)
        if d is not None:
            want(p, "case_duration_s", d.get("case_duration_s"), NULLS5)
            want(p, "first", d.get("first", 0), None)
            want(p, "last", d.get("last", 0), None)
            ipc = d.get("instances_per_case") or {}
            if not all(isinstance(ipc.get(k), (int, float)) for k in NULLS5):
                p.append("instances_per_case should be known: %r" % ipc)
        check("stats --json on %s: durations and period null, never 0" % name, p)

    d, _, p = run("variants", "--json", untimed)
    if d is not None:
        for v in d["variants"]:
            want(p, "median_duration_s of %s" % v["activities"], v["median_duration_s"], None)
    check("variants --json without timestamps: median_duration_s null", p)

    # ---- dfg
    whole, _, p = run("dfg", "--json", SAMPLE)
    if whole is not None:
        want(p, "simplified", whole.get("simplified"), False)
        want(p, "truncated", whole.get("truncated"), False)
        for lst in ("nodes", "edges", "start", "end"):
            want(p, lst + "_total", whole.get(lst + "_total"), len(whole[lst]))
        want(p, "activities_share", whole.get("activities_share"), 1)
        want(p, "paths_share", whole.get("paths_share"), 1)
    check("dfg --json: the whole graph, truncated false, every *_total its list's length", p)

    cut, raw, p = run("dfg", "--json", "--paths", "20", SAMPLE)
    if cut is not None and whole is not None:
        want(p, "simplified", cut.get("simplified"), True)
        want(p, "truncated", cut.get("truncated"), True)
        want(p, "edges_total", cut.get("edges_total"), len(whole["edges"]))
        want(p, "nodes_total", cut.get("nodes_total"), len(whole["nodes"]))
        if not len(cut["edges"]) < cut.get("edges_total", 0):
            p.append("edges %d not fewer than edges_total %r" % (len(cut["edges"]),
                                                                cut.get("edges_total")))
        want(p, "paths_share", cut.get("paths_share"), 0.2)
        if '"paths_share": 0.2,' not in raw:
            p.append("paths_share not written as 0.2: %s"
                     % [line for line in raw.splitlines() if "paths_share" in line])
    check("dfg --json --paths 20: truncated, edges_total counts the edges left out", p)

    acts, _, p = run("dfg", "--json", "--activities", "50", SAMPLE)
    if acts is not None and whole is not None:
        want(p, "truncated", acts.get("truncated"), True)
        want(p, "nodes_total", acts.get("nodes_total"), len(whole["nodes"]))
        want(p, "activities_share", acts.get("activities_share"), 0.5)
        if not len(acts["nodes"]) < len(whole["nodes"]):
            p.append("no node left out")
    check("dfg --json --activities 50: truncated, nodes_total counts the nodes left out", p)

    d, _, p = run("dfg", "--json", untimed)
    if d is not None:
        for e in d["edges"]:
            want(p, "waits of %s -> %s" % (e["from"], e["to"]), e.get("waits"), 0)
            want(p, "wait_s of %s -> %s" % (e["from"], e["to"]), e.get("wait_s"), NULLS6)
        for x in d["nodes"]:
            want(p, "service_s of %s" % x["activity"], x.get("service_s"), NULLS6)
    check("dfg --json without timestamps: wait_s and service_s objects of nulls, waits 0", p)

    d, _, p = run("dfg", "--json", lifecycle)
    if d is not None:
        want(p, "events", d.get("events"), 4)
        want(p, "instances", d.get("instances"), 2)
        a = [x for x in d["nodes"] if x["activity"] == "A"][0]
        want(p, "services of A", a.get("services"), 1)
        want(p, "service_s.median of A", a["service_s"]["median"], 300)
    s, _, q = run("stats", "--json", lifecycle)
    if s is not None:
        want(q, "stats events", s.get("events"), 4)
        want(q, "stats instances", s.get("instances"), 2)
    check("dfg --json: events as stats counts them (4), instances after pairing (2)", p + q)

    print("1..%d" % n)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
