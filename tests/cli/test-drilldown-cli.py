#!/usr/bin/python3
"""Drill-down against planted truth (TAP): `dfg --case-ids` lists for every
edge exactly the cases that contain that directly-follows pair and for every
node the cases that contain the activity; `friction --case-ids` lists for a
planted ping-pong, drop-off and negative activity exactly the affected
cases; every list is ordered by case start, then case id; the text forms;
the JSON keys are absent without the flag.

The log comes from the generator (cxgen) as CSV and is recounted here.

usage: test-drilldown-cli.py CXMINE CXGEN
"""
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from datetime import datetime

CXMINE, CXGEN = sys.argv[1], sys.argv[2]
TMP = tempfile.mkdtemp(prefix="cx-drilldown-")
ENV = dict(os.environ, LC_ALL="C")
n = 0
failed = False


def report(name, good, detail=""):
    global n, failed
    n += 1
    print(("ok" if good else "not ok") + f" {n} - {name}")
    if not good:
        failed = True
        for line in str(detail).splitlines()[:20]:
            print("# " + line)


def check(name, fn):
    try:
        r = fn()
        report(name, r is None or r is True, r)
    except Exception as e:  # a crash is a failure with its reason
        report(name, False, repr(e))


def run(*args):
    p = subprocess.run([CXMINE, *args], capture_output=True, text=True, env=ENV)
    if p.returncode != 0:
        raise RuntimeError(p.stderr)
    return p.stdout


LOG = os.path.join(TMP, "log.csv")
subprocess.run([CXGEN, "--cases", "400", "--seed", "11", "--format", "csv", "--plant",
                "pingpong:0.2", "--plant", "dropoff:0.1", "--plant", "negative:0.1",
                "--truth", os.path.join(TMP, "truth.json"), "-o", LOG], check=True)
with open(os.path.join(TMP, "truth.json")) as f:
    TRUTH = json.load(f)

# recount: each case's activities by timestamp (ties: file order)
rows = defaultdict(list)
with open(LOG, newline="") as f:
    for i, r in enumerate(csv.DictReader(f)):
        t = datetime.fromisoformat(r["timestamp"].replace("Z", "+00:00"))
        rows[r["case_id"]].append((t, i, r["activity"]))
TRACES = {c: [a for _, _, a in sorted(evs)] for c, evs in rows.items()}
START = {c: min(evs)[0] for c, evs in rows.items()}


def order_ok(ids):
    """earliest start first, ties by case id in byte order"""
    keys = [(START[c], c.encode()) for c in ids]
    return keys == sorted(keys)


def pair_cases():
    out = defaultdict(set)
    for c, acts in TRACES.items():
        for a, b in zip(acts, acts[1:]):
            out[(a, b)].add(c)
    return out


def t_edges():
    d = json.loads(run("dfg", "--json", "--case-ids", LOG))
    truth = pair_cases()
    if len(d["edges"]) != len(truth):
        return f"{len(d['edges'])} edges, recount {len(truth)}"
    for e in d["edges"]:
        want = truth[(e["from"], e["to"])]
        if set(e["case_ids"]) != want or len(e["case_ids"]) != len(want):
            return f"{e['from']} -> {e['to']}: {len(e['case_ids'])} ids, recount {len(want)}"
        if e["cases"] != len(e["case_ids"]) or not order_ok(e["case_ids"]):
            return f"{e['from']} -> {e['to']}: cases {e['cases']} or order"
    return True


def t_nodes():
    d = json.loads(run("dfg", "--json", "--case-ids", LOG))
    for nd in d["nodes"]:
        want = {c for c, acts in TRACES.items() if nd["activity"] in acts}
        if set(nd["case_ids"]) != want or len(nd["case_ids"]) != len(want):
            return f"{nd['activity']}: {len(nd['case_ids'])} ids, recount {len(want)}"
        if not order_ok(nd["case_ids"]):
            return f"{nd['activity']}: order"
    return True


def t_dfg_without_flag():
    d = json.loads(run("dfg", "--json", LOG))
    if any("case_ids" in x for x in d["edges"] + d["nodes"]):
        return "case_ids without --case-ids"
    return True


def t_dfg_text():
    out = run("dfg", "--case-ids", LOG)
    truth = pair_cases()
    a, b = "Document check", "Request more info"
    want = sorted(truth[(a, b)], key=lambda c: (START[c], c.encode()))
    head = f"{a} → {b} ({len(want):,} cases)\n  " + ", ".join(want[:10])
    if head not in out or "(--json --case-ids lists every case id)" not in out:
        return out[:2000]
    return True


def finding(findings, kind, acts):
    for f in findings:
        if f["kind"] == kind and f["activities"][:len(acts)] == acts:
            return f
    return None


def t_friction_planted():
    d = json.loads(run("friction", "--json", "--top", "0", "--case-ids", LOG))
    fs = d["findings"] + d.get("with_success", [])
    planted = {p["kind"]: p for p in TRUTH["planted"]}
    # ping-pong: A -> B -> A
    a, b = planted["pingpong"]["activities"]
    want = {c for c, t in TRACES.items()
            if any(t[i:i + 3] == [a, b, a] for i in range(len(t) - 2))}
    f = finding(fs, "pingpong", [a, b])
    if f is None or set(f["case_ids"]) != want or len(f["case_ids"]) != len(want):
        return f"pingpong: {f and len(f['case_ids'])} ids, recount {len(want)}"
    if len(want) != planted["pingpong"]["cases"]:
        return f"pingpong recount {len(want)} != planted {planted['pingpong']['cases']}"
    # drop-off: journeys that end at the planted step
    (stop,) = planted["dropoff"]["activities"]
    want = {c for c, t in TRACES.items() if t[-1] == stop}
    f = finding(fs, "dropoff", [stop])
    if f is None or set(f["case_ids"]) != want or len(want) != planted["dropoff"]["cases"]:
        return f"dropoff: {f and len(f['case_ids'])} ids, recount {len(want)}"
    # negative: the cases with a complaint
    neg = planted["negative"]["activities"][0]
    want = {c for c, t in TRACES.items() if neg in t}
    f = finding(fs, "negative", [neg])
    if f is None or set(f["case_ids"]) != want or len(want) != planted["negative"]["cases"]:
        return f"negative: {f and len(f['case_ids'])} ids, recount {len(want)}"
    for f in fs:
        if len(f["case_ids"]) != f["cases"] or not order_ok(f["case_ids"]):
            return f"{f['kind']} {f['activities']}: {len(f['case_ids'])} ids for {f['cases']}"
    return True


def t_friction_text():
    out = run("friction", "--case-ids", LOG)
    d = json.loads(run("friction", "--json", "--case-ids", LOG))
    first = d["findings"][0]["case_ids"]
    line = "cases: " + ", ".join(first[:10])
    if line not in out:
        return out[:2000]
    if len(first) > 10 and f"… and {len(first) - 10:,} more" not in out:
        return "no '… and N more'"
    return True


check("dfg --case-ids: each edge's ids are the cases with that pair, by start", t_edges)
check("dfg --case-ids: each node's ids are the cases with that activity", t_nodes)
check("dfg --json without --case-ids has no case_ids", t_dfg_without_flag)
check("dfg --case-ids text: the first ids and the hint", t_dfg_text)
check("friction --case-ids: planted ping-pong, drop-off, negative", t_friction_planted)
check("friction --case-ids text: the first ids under a finding", t_friction_text)

print(f"1..{n}")
shutil.rmtree(TMP, ignore_errors=True)
sys.exit(1 if failed else 0)
