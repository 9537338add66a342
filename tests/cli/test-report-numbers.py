#!/usr/bin/env python3
"""cxmine report: the numbers in the page are the commands' own JSON on the same log.

The page embeds script#cx-data; its stats, variants (top 50), dfg and friction
objects must equal `cxmine stats/variants --top 50/dfg/friction --json` on the
same log, and the visible overview must show the same case count.  Its compare
object must equal `cxmine compare --json` with the same options: --split-at,
--compare OTHER (two generated logs with different planted frictions: one
outcome model decided from both) and --by KEY (a trace attribute with three
values: the overview of the segments and each segment vs the rest)."""
import json
import os
import re
import subprocess
import sys
import tempfile

CXMINE = sys.argv[1]
SRC = sys.argv[2]
SAMPLE = os.path.join(SRC, "fixtures", "sample", "customer-journeys.xes.gz")
CXGEN = sys.argv[3]
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
    check(got == want, "--split-at: the page's compare object is compare --json")
    check('<section id="compare"' in html, "--split-at: section compare")
    # numbers in SVG and CSS are written in the C locale whatever the caller's
    env = dict(os.environ, LC_ALL="de_DE.UTF-8")
    subprocess.run([CXMINE, "report", SAMPLE, "-o", out], env=env, check=True)
    html = open(out, encoding="utf-8").read()
    check(re.search(r'\s(?:cx|cy|x|y|width)="-?[0-9]+,[0-9]', html) is None,
          "decimal-comma locale: no '1,5' in SVG coordinates")


def report_compare(what, report_args, compare_args):
    """The page's compare object and its text, and compare --json's."""
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "r.html")
        run("report", *report_args, "-o", out)
        html = open(out, encoding="utf-8").read()
    got = page_data(html)["compare"]
    want = json.loads(run("compare", *compare_args, "--json"))
    check(got == want, what + ": the page's compare object is exactly compare --json")
    check('<section id="compare"' in html, what + ": section compare")
    return got, html


with tempfile.TemporaryDirectory() as d:
    # two logs, different planted frictions: the second has drop-offs, so
    # its own inference alone would differ from the first's
    a = os.path.join(d, "before.xes.gz")
    b = os.path.join(d, "after.xes.gz")
    subprocess.run([CXGEN, "-n", "400", "--seed", "5", "--plant", "rework:0.3", "-o", a],
                   check=True, capture_output=True)
    subprocess.run([CXGEN, "-n", "400", "--seed", "6", "--plant", "bottleneck:0.4", "--plant",
                    "dropoff:0.25", "-o", b], check=True, capture_output=True)
    got, html = report_compare("--compare OTHER", (a, "--compare", b), (a, b))
    check(got["before"]["name"] == "before.xes.gz" and got["after"]["name"] == "after.xes.gz",
          "--compare OTHER: the sides are named by the logs")
    check("one limit for both" in got["success_rule"],
          "--compare OTHER: one outcome model for both logs (one open-after limit)")
    # planted: drop-offs only in the second log, so it loses customers
    check(got["before"]["customers_lost"] < got["after"]["customers_lost"],
          "--compare OTHER: the planted drop-offs lose customers after, not before")
    # the same with the outcome given on the command line
    report_compare("--compare OTHER --success Close --open-after 0",
                   (a, "--compare", b, "--success", "Close", "--open-after", "0"),
                   (a, b, "--success", "Close", "--open-after", "0"))

    # --by a trace attribute with three values: tier, from the region
    one = os.path.join(d, "tiers.xes")
    subprocess.run([CXGEN, "-n", "300", "--seed", "3", "--plant", "rework:0.2", "-o", one],
                   check=True, capture_output=True)
    tiers = {"north": "gold", "east": "gold", "south": "silver", "west": "silver",
             "central": "<b>bronze</b> & co"}
    xes = open(one, encoding="utf-8").read()
    xes = re.sub(r'key="region" value="([a-z]+)"',
                 lambda m: 'key="tier" value="%s"' % tiers[m.group(1)]
                 .replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"), xes)
    open(one, "w", encoding="utf-8").write(xes)
    got, html = report_compare("--by tier", (one, "--by", "tier"), (one, "--by", "tier"))
    segs = [s["segment"] for s in got["segments"]]
    check(sorted(segs) == sorted(["gold", "silver", "<b>bronze</b> & co"]),
          "--by tier: the overview has the three segments")
    check(len(got["comparisons"]) == 3 and got["baseline"] is None,
          "--by tier: each of the three segments vs the rest")
    check(sum(s["cases"] for s in got["segments"]) == 300, "--by tier: the segments hold every journey")
    for s in segs:
        check(("<td>%s</td>" % s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))
              in html, "--by tier: the overview table shows segment %r, escaped" % s)
    check(html.count('<details class="cmpseg"') == 3, "--by tier: one block per segment vs the rest")
    check("<b>bronze</b>" not in html.split('id="cx-data"')[0],
          "--by tier: a segment's markup stays text")
    check(html.count('<div class="cmpmap" data-seg=') == 3 and html.count('<option value=') == 3,
          "--by tier: a comparison map per segment, chosen with a selector")
    # two values: the smaller vs the larger, as compare does
    report_compare("--by segment", (one, "--by", "segment"), (one, "--by", "segment"))
    # business hours: the same hours in both, and said in the embedded JSON
    bh = ("--business-hours", "Mon-Fri 09:00-17:30", "--timezone", "Europe/Amsterdam")
    got, _ = report_compare("--by tier --business-hours", (one, "--by", "tier", *bh),
                            (one, "--by", "tier", *bh))
    check(got["business_hours"] is not None and "09:00-17:30" in got["business_hours"],
          "--by tier --business-hours: the hours are stated")
    got, _ = report_compare("--compare OTHER --business-hours", (a, "--compare", b, *bh),
                            (a, b, *bh))
    check(got["business_hours"] is not None, "--compare OTHER --business-hours: the hours are stated")
sys.exit(1 if fails else 0)
