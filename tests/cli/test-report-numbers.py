#!/usr/bin/env python3
"""cxmine report: the numbers in the page are the commands' own JSON on the same log.

The page embeds script#cx-data; its stats, variants (top 50), dfg and friction
objects must equal `cxmine stats/variants --top 50/dfg/friction --json` on the
same log, and the visible overview must show the same case count."""
import json
import os
import re
import subprocess
import sys
import tempfile

CXMINE = sys.argv[1]
SRC = sys.argv[2]
SAMPLE = os.path.join(SRC, "fixtures", "sample", "customer-journeys.xes.gz")
fails = 0


def check(ok, what):
    global fails
    print(("ok - " if ok else "not ok - ") + what)
    if not ok:
        fails += 1


def run(*args):
    r = subprocess.run([CXMINE, *args], capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit("cxmine %s failed: %s" % (" ".join(args), r.stderr))
    return r.stdout


def page_data(html):
    m = re.search(r'<script type="application/json" id="cx-data">(.*?)</script>', html, re.S)
    return json.loads(m.group(1))


def one(log, extra=(), outcome=()):
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "r.html")
        run("report", *extra, *outcome, log, "-o", out)
        html = open(out, encoding="utf-8").read()
    data = page_data(html)
    name = os.path.basename(log)
    check(data["stats"] == json.loads(run("stats", "--json", *extra, log)), name + ": stats")
    check(data["variants"] == json.loads(run("variants", "--json", "--top", "50", *extra, log)),
          name + ": variants")
    check(data["dfg"] == json.loads(run("dfg", "--json", *extra, log)), name + ": dfg")
    check(data["friction"] == json.loads(run("friction", "--json", *extra, *outcome, log)), name + ": friction")
    cases = data["stats"]["cases"]
    check('title="%d"' % cases in html, name + ": the overview shows the case count exactly")
    for sec in ("overview", "map", "friction", "variants", "channels", "trends"):
        check('<section id="%s"' % sec in html, name + ": section " + sec)
    return data


one(SAMPLE)
one(SAMPLE, ("--where", "channel=web"))
one(SAMPLE, (), ("--success", "Close", "--open-after", "0"))

# the comparison: the same tests as `cxmine compare --split-at`
with tempfile.TemporaryDirectory() as d:
    out = os.path.join(d, "r.html")
    run("report", "--split-at", "2024-07-01", SAMPLE, "-o", out)
    html = open(out, encoding="utf-8").read()
    got = page_data(html)["compare"]
    want = json.loads(run("compare", SAMPLE, "--split-at", "2024-07-01", "--json"))
    for key in ("before", "after", "throughput", "success", "edges", "activities", "friction"):
        check(got.get(key) == want.get(key), "--split-at: compare's %s" % key)
    check('<section id="compare"' in html, "--split-at: section compare")
    # numbers in SVG and CSS are written in the C locale whatever the caller's
    env = dict(os.environ, LC_ALL="de_DE.UTF-8")
    subprocess.run([CXMINE, "report", SAMPLE, "-o", out], env=env, check=True)
    html = open(out, encoding="utf-8").read()
    check(re.search(r'\s(?:cx|cy|x|y|width)="-?[0-9]+,[0-9]', html) is None,
          "decimal-comma locale: no '1,5' in SVG coordinates")
sys.exit(1 if fails else 0)
