#!/usr/bin/python3
"""End-to-end tests of `cxmine cases`, `trend`, `resources` and
`variants --case-ids` (TAP): the forms (text, CSV, JSON, SVG, DOT), counts
that must agree between commands, the hand-made handover fixture, exit codes
and a decimal-comma locale.

usage: test-subsets-cli.py CXMINE SOURCE_ROOT
"""
import csv
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
from datetime import datetime, timezone

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import check, finish, report  # noqa: E402

CXMINE, ROOT = sys.argv[1], sys.argv[2]
SAMPLE = os.path.join(ROOT, "fixtures", "sample", "customer-journeys.xes.gz")
HANDOVER = os.path.join(ROOT, "fixtures", "csv", "handover.csv")
HANDOVER_MAP = ["--case", "case", "--activity", "activity", "--timestamp", "timestamp",
                "--resource", "resource", "--start-timestamp", "started", HANDOVER]
TMP = tempfile.mkdtemp(prefix="cx-subsets-cli-")
ENV = dict(os.environ, LC_ALL="C")


def run(*args, env=ENV):
    return subprocess.run([CXMINE, *args], capture_output=True, text=True, env=env)


def out_json(*args):
    p = run(*args)
    if p.returncode != 0:
        raise RuntimeError(p.stderr)
    return json.loads(p.stdout)


def iso(s):
    return datetime.fromisoformat(s.replace("Z", "+00:00"))


# ---- cases ----
def cases_json():
    j = out_json("cases", "--json", SAMPLE)
    stats = out_json("stats", "--json", SAMPLE)
    if j["cases_total"] != stats["cases"] or len(j["cases"]) != stats["cases"]:
        return f"cases_total {j['cases_total']}, stats {stats['cases']}"
    keys = {"case", "start", "end", "duration_s", "steps", "outcome", "variant_rank"}
    prev = None
    for c in j["cases"]:
        if set(c) != keys:
            return f"keys {sorted(c)}"
        if c["outcome"] not in ("success", "dropoff", "open"):
            return c
        d = (iso(c["end"]) - iso(c["start"])).total_seconds()
        if abs(d - c["duration_s"]) > 1e-3:
            return c
        key = (iso(c["start"]), c["case"].encode())
        if prev is not None and key < prev:
            return f"order: {c['case']} after {prev}"
        prev = key
    if sum(c["steps"] for c in j["cases"]) != stats["instances"]:
        return "steps do not add up to the instances of stats"
    return None


check("cases --json: one element per journey, ordered by start then id, steps add up", cases_json)


def cases_variant_rank():
    j = out_json("cases", "--json", SAMPLE)
    v = out_json("variants", "--json", "--case-ids", SAMPLE)
    rank_of = {}
    for i, var in enumerate(v["variants"]):
        for cid in var["case_ids"]:
            rank_of[cid] = i + 1
    bad = [c["case"] for c in j["cases"] if rank_of.get(c["case"]) != c["variant_rank"]]
    return f"rank differs for {bad[:5]}" if bad else None


check("cases: variant_rank is the case's place in variants --case-ids", cases_variant_rank)


def cases_csv():
    a = run("cases", "--csv", SAMPLE)
    out = os.path.join(TMP, "cases.csv")
    b = run("cases", SAMPLE, "-o", out)
    with open(out) as f:
        file_text = f.read()
    if a.returncode or b.returncode or a.stdout != file_text:
        return "--csv and -o x.csv differ"
    rows = list(csv.DictReader(io.StringIO(file_text)))
    j = out_json("cases", "--json", SAMPLE)
    if [r["case"] for r in rows] != [c["case"] for c in j["cases"]]:
        return "CSV and JSON list other cases"
    if list(rows[0]) != ["case", "start", "end", "duration_s", "steps", "outcome",
                         "variant_rank"]:
        return f"header {list(rows[0])}"
    return None


check("cases --csv equals -o cases.csv and lists the JSON's cases", cases_csv)


def cases_text():
    p = run("cases", SAMPLE)
    first = p.stdout.splitlines()[0]
    lines = [l for l in p.stdout.splitlines() if l.startswith("C0")]
    if not first.startswith("1,000 cases:") or len(lines) != 1000:
        return p.stdout[:400]
    return None


check("cases text: thousands separators, one line per journey", cases_text)


def cases_filters():
    j = out_json("cases", "--json", "--ends-with", "Close", "--from", "2024-06-01", SAMPLE)
    s = out_json("stats", "--json", "--ends-with", "Close", "--from", "2024-06-01", SAMPLE)
    if j["cases_total"] != s["cases"] or not 0 < s["cases"] < 1000:
        return f"{j['cases_total']} vs {s['cases']}"
    if any(iso(c["start"]) < datetime(2024, 6, 1, tzinfo=timezone.utc) for c in j["cases"]):
        return "a case starting before --from"
    return None


check("cases takes the existing filters (--ends-with, --from)", cases_filters)


# ---- trend ----
def trend_json():
    j = out_json("trend", "--every", "week", "--json", SAMPLE)
    stats = out_json("stats", "--json", SAMPLE)
    ps = j["periods"]
    if sum(p["started"] for p in ps) != stats["cases"]:
        return "started does not add up to the cases"
    for a, b in zip(ps, ps[1:]):
        if a["end"] != b["start"]:
            return f"gap at {a['end']}"
    if any(iso(p["start"]).weekday() != 0 or iso(p["start"]).hour != 0 for p in ps):
        return "a week not starting Monday 00:00 UTC"
    if not ps[-1]["censored"]:
        return "last period not censored"
    fin = 0
    start = 0
    for p in ps:
        start += p["started"]
        fin += p["finished"]
        if p["in_flight"] != start - fin:
            return f"in_flight at {p['start']}"
    return None


check("trend --json: weeks from Monday, contiguous, started adds up, in flight", trend_json)


def trend_amsterdam():
    j = out_json("trend", "--every", "day", "--json", "--timezone", "Europe/Amsterdam",
                 "--from", "2024-03-29", "--to", "2024-04-02", SAMPLE)
    starts = [p["start"] for p in j["periods"]]
    if "2024-03-30T23:00:00Z" not in starts or "2024-03-31T22:00:00Z" not in starts:
        return starts
    if j["timezone"] != "Europe/Amsterdam":
        return j["timezone"]
    return None


check("trend --every day --timezone Europe/Amsterdam cuts at local midnight across DST",
      trend_amsterdam)


def trend_csv():
    j = out_json("trend", "--every", "month", "--json", SAMPLE)
    p = run("trend", "--every", "month", "--csv", SAMPLE)
    rows = list(csv.DictReader(io.StringIO(p.stdout)))
    if len(rows) != len(j["periods"]):
        return f"{len(rows)} rows, {len(j['periods'])} periods"
    if [int(r["started"]) for r in rows] != [q["started"] for q in j["periods"]]:
        return "started differs"
    return None


check("trend --csv: one row per JSON period", trend_csv)


def trend_svg():
    out = os.path.join(TMP, "trend.svg")
    p = run("trend", "--every", "week", SAMPLE, "-o", out)
    if p.returncode != 0:
        return p.stderr
    text = open(out).read()
    if "<svg" not in text or "journeys per week" not in text:
        return text[:300]
    if shutil.which("xmllint"):
        x = subprocess.run(["xmllint", "--noout", out], capture_output=True, text=True)
        if x.returncode != 0:
            return x.stderr
    else:
        import xml.dom.minidom
        xml.dom.minidom.parse(out)
    return None


check("trend -o trend.svg writes well-formed SVG (xmllint)", trend_svg)

# ---- resources ----
EXPECTED_HANDOVERS = [
    ("ann", "bob", 2, 1350.0),  # waits to Check's start: 40 min and 5 min
    ("ann", "cy", 1, 7200.0),   # across the unassigned Check of t2
    ("bob", "ann", 1, 3600.0),
    ("bob", 'cy, the "boss"', 1, 2700.0),
    ("cy", "ann", 1, 1800.0),
]


def resources_fixture():
    j = out_json("resources", "--json", *HANDOVER_MAP)
    got = [(h["from"], h["to"], h["count"], h["median_wait_s"]) for h in j["handovers"]]
    if got != EXPECTED_HANDOVERS:
        return got
    res = {r["resource"]: r for r in j["resources"]}
    if res["ann"]["instances"] != 5 or res["ann"]["cases"] != 3:
        return res["ann"]
    if res["bob"]["median_service_s"] != 900 or res["bob"]["services"] != 2:
        return res["bob"]
    if j["unassigned_instances"] != 1 or j["handovers_total"] != 5:
        return j
    return None


check("resources --json: the handover matrix of the hand-made fixture", resources_fixture)


def resources_dot():
    out = os.path.join(TMP, "handover.dot")
    p = run("resources", *HANDOVER_MAP, "-o", out)
    if p.returncode != 0:
        return p.stderr
    text = open(out).read()
    if not text.startswith("digraph") or '"cy, the \\"boss\\"\\n1 instance"' not in text:
        return text
    if text.count("->") != 5:
        return text
    if shutil.which("dot"):
        d = subprocess.run(["dot", "-Tsvg", out], capture_output=True, text=True)
        if d.returncode != 0:
            return d.stderr
    return None


check("resources -o handover.dot: a DOT map Graphviz reads, labels escaped", resources_dot)


def resources_text():
    p = run("resources", SAMPLE)
    if p.returncode != 0 or "handovers (who passes cases to whom)" not in p.stdout:
        return p.stdout[:300] + p.stderr
    if "1,191" not in p.stdout:
        return "no thousands separators"
    return None


check("resources text: resources and handovers, thousands separators", resources_text)

# ---- variants --case-ids ----


def variants_case_ids():
    j = out_json("variants", "--json", "--case-ids", SAMPLE)
    allc = []
    for v in j["variants"]:
        if len(v["case_ids"]) != v["count"] or v["case_ids"][0] != v["example"]:
            return v
        allc += v["case_ids"]
    if len(allc) != 1000 or len(set(allc)) != 1000:
        return f"{len(allc)} ids, {len(set(allc))} distinct"
    plain = out_json("variants", "--json", SAMPLE)
    if any("case_ids" in v for v in plain["variants"]):
        return "case_ids without --case-ids"
    return None


check("variants --case-ids: every case once, example first; absent without the flag",
      variants_case_ids)

# ---- exit codes and locale ----
for name, args in [
    ("trend --every fortnight", ["trend", "--every", "fortnight", SAMPLE]),
    ("cases --json --csv", ["cases", "--json", "--csv", SAMPLE]),
    ("resources --render svg without -o", ["resources", "--render", "svg", SAMPLE]),
    ("trend --open-after soon", ["trend", "--open-after", "soon", SAMPLE]),
    ("cases without a log", ["cases"]),
]:
    p = run(*args)
    report(f"{name}: usage error (exit 2)", p.returncode == 2 and p.stderr != "", p.stderr)

p = run("cases", "/nonexistent/log.xes")
report("cases on a missing file: exit 1", p.returncode == 1, p.stderr)


def comma_locale():
    env = dict(os.environ, LC_ALL="de_DE.UTF-8")
    a = run("trend", "--json", "--every", "month", SAMPLE, env=env).stdout
    b = run("trend", "--json", "--every", "month", SAMPLE).stdout
    c = run("trend", "--csv", "--every", "month", SAMPLE, env=env).stdout
    d = run("trend", "--csv", "--every", "month", SAMPLE).stdout
    return None if a == b and c == d and a else "output differs under de_DE.UTF-8"


check("trend JSON and CSV are the same under a decimal-comma locale", comma_locale)

finish(TMP)
