#!/usr/bin/python3
"""End-to-end tests of the filters (TAP): each filter option on a generator
log, its kept cases and events (the stderr notice and stats --json) against
the generator's CSV recounted here, a window across the Amsterdam
daylight-saving change, composition in order, usage errors, the warning of
a filter that keeps nothing, and every analysis command taking them.

usage: test-filter-cli.py CXMINE CXGEN
"""
import csv
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

CXMINE, CXGEN = sys.argv[1], sys.argv[2]
TMP = tempfile.mkdtemp(prefix="cx-filter-cli-")
ENV = dict(os.environ, LC_ALL="C")
LOG = os.path.join(TMP, "log.csv")
subprocess.run([CXGEN, "-n", "600", "-s", "17", "-f", "csv", "--satisfaction",
                "--plant", "rework:0.2", "--plant", "bottleneck:0.3", "--plant", "dropoff:0.2",
                "--plant", "loop:0.1", "-o", LOG], check=True)

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


def run(*args):
    return subprocess.run([CXMINE, *args], capture_output=True, text=True, env=ENV)


def check(name, fn):
    try:
        r = fn()
        report(name, r is None or r is True, r)
    except Exception as e:  # a crash is a failure with its reason
        report(name, False, repr(e))


# ---- the log, recounted ----
def when(s):
    return datetime.fromisoformat(s.replace("Z", "+00:00"))


journeys = {}
with open(LOG, newline="") as f:
    for row in csv.DictReader(f):
        journeys.setdefault(row["case_id"], []).append(row)
for rows in journeys.values():
    rows.sort(key=lambda r: when(r["timestamp"]))  # stable: ties keep file order
EVENTS = sum(len(r) for r in journeys.values())
UTC = timezone.utc


def first(rows):
    return when(rows[0]["timestamp"])


def last(rows):
    return when(rows[-1]["timestamp"])


def acts(rows):
    return [r["activity"] for r in rows]


def kept_line(err, name):
    """(cases, cases_in, events, events_in) of 'filter NAME: kept ...'"""
    m = re.search(r"^cxmine: filter " + re.escape(name)
                  + r": kept ([\d,]+) of ([\d,]+) cases?, ([\d,]+) of ([\d,]+) events?$", err, re.M)
    if m is None:
        raise RuntimeError(f"no notice for {name}: {err}")
    return tuple(int(g.replace(",", "")) for g in m.groups())


def expect(name, args, keep_case=None, keep_events=None, cases_in=None, events_in=None):
    """Runs stats --json with the filter ARGS (one filter); checks its
    notice and the stats against the recount: keep_case(rows) -> bool, or
    keep_events(rows) -> the kept rows."""
    def go():
        p = run("stats", "--json", *args, LOG)
        if p.returncode != 0:
            return p.stderr
        got = json.loads(p.stdout)
        cases = events = 0
        for rows in journeys.values():
            kept = keep_events(rows) if keep_events else (rows if keep_case(rows) else [])
            if kept:
                cases += 1
                events += len(kept)
        line = kept_line(p.stderr, name)
        want = (cases, cases_in if cases_in is not None else len(journeys), events,
                events_in if events_in is not None else EVENTS)
        if line != want:
            return f"notice {line}, recount {want}"
        if (got["cases"], got["events"]) != (cases, events):
            return f"stats {got['cases']} cases {got['events']} events, recount {cases} {events}"
        if cases == 0 or (cases == len(journeys) and events == EVENTS):
            return f"a test that keeps {cases} cases and {events} events says little"
        return None
    check(f"{name}: kept cases and events as recounted", go)


# ---- time windows, in UTC ----
A, B = datetime(2024, 3, 1, tzinfo=UTC), datetime(2024, 6, 1, tzinfo=UTC)
W = "2024-03-01,2024-06-01"


def inside(t):
    return A <= t < B


expect("--from 2024-03-01 --to 2024-06-01", ["--from", "2024-03-01", "--to", "2024-06-01"],
       lambda r: inside(first(r)))
expect("--window started:" + W, ["--window", "started:" + W], lambda r: inside(first(r)))
expect("--window completed:" + W, ["--window", "completed:" + W], lambda r: inside(last(r)))
expect("--window contained:" + W, ["--window", "contained:" + W],
       lambda r: inside(first(r)) and inside(last(r)))
expect("--window " + W, ["--window", W], lambda r: first(r) < B and last(r) >= A)
expect("--window " + W, ["--window-mode", "contained", "--window", W],
       lambda r: inside(first(r)) and inside(last(r)))
expect("--window trim:" + W, ["--window", "trim:" + W],
       keep_events=lambda r: [e for e in r if inside(when(e["timestamp"]))])

# ---- a window across the daylight-saving change, read in Europe/Amsterdam ----
AMS = ZoneInfo("Europe/Amsterdam")
# the change is at 2024-03-31 02:00 local: the window's ends have different offsets
DA = datetime(2024, 3, 30, 12, 0, tzinfo=AMS)
DB = datetime(2024, 4, 1, 12, 0, tzinfo=AMS)


def dst_inside(t):
    return DA <= t < DB


expect("--window trim:2024-03-30T12:00,2024-04-01T12:00",
       ["--timezone", "Europe/Amsterdam", "--window", "trim:2024-03-30T12:00,2024-04-01T12:00"],
       keep_events=lambda r: [e for e in r if dst_inside(when(e["timestamp"]))])
expect("--window started:2024-03-30T12:00,2024-04-01T12:00",
       ["--timezone", "Europe/Amsterdam", "--window", "started:2024-03-30T12:00,2024-04-01T12:00"],
       lambda r: dst_inside(first(r)))


def dst_offsets():
    if DA.utcoffset() == DB.utcoffset():
        return "the window does not cross the change"
    # the same text in UTC is another window: an hour (before) and two (after) later
    p = run("stats", "--json", "--window", "trim:2024-03-30T12:00,2024-04-01T12:00", LOG)
    ua, ub = DA.replace(tzinfo=UTC), DB.replace(tzinfo=UTC)
    want = sum(1 for r in journeys.values() for e in r if ua <= when(e["timestamp"]) < ub)
    got = json.loads(p.stdout)["events"]
    return None if got == want else f"UTC window: {got} events, recount {want}"


check("the same window text without --timezone is read as UTC", dst_offsets)

# ---- attributes ----
def anyv(r, k, pred):
    return any(pred(e[k]) for e in r)


expect("--where channel=web", ["--where", "channel=web"],
       lambda r: anyv(r, "channel", lambda v: v == "web"))
expect("--where 'channel=web AND csat>=4'", ["--where", "channel=web AND csat>=4"],
       lambda r: anyv(r, "channel", lambda v: v == "web") and int(r[0]["case:csat"]) >= 4)
expect("--where 'segment~^bus OR NOT channel=phone'",
       ["--where", "segment~^bus OR NOT channel=phone"],
       lambda r: anyv(r, "segment", lambda v: v.startswith("bus"))
       or not anyv(r, "channel", lambda v: v == "phone"))
expect("--where 'csat in 2..3'", ["--where", "csat in 2..3"],
       lambda r: 2 <= int(r[0]["case:csat"]) <= 3)
expect("--where channel@last=phone", ["--where", "channel@last=phone"],
       lambda r: r[-1]["channel"] == "phone")
expect("--where 'resource!=customer'", ["--where", "resource!=customer"],
       lambda r: not anyv(r, "resource", lambda v: v == "customer"))
expect("--keep-events channel=phone", ["--keep-events", "channel=phone"],
       keep_events=lambda r: [e for e in r if e["channel"] == "phone"])
expect("--keep-events 'activity~^(Investigate|Close)$'",
       ["--keep-events", "activity~^(Investigate|Close)$"],
       keep_events=lambda r: [e for e in r if e["activity"] in ("Investigate", "Close")])

# ---- performance ----
def dur(r):
    return (last(r) - first(r)).total_seconds()


expect("--min-duration 2d", ["--min-duration", "2d"], lambda r: dur(r) >= 2 * 86400)
expect("--max-duration 1d", ["--max-duration", "1d"], lambda r: dur(r) <= 86400)
expect("--min-steps 11", ["--min-steps", "11"], lambda r: len(r) >= 11)
expect("--max-steps 9", ["--max-steps", "9"], lambda r: len(r) <= 9)


def wait(r, a, b):
    names = acts(r)
    if a not in names:
        return None
    i = names.index(a)
    for k in range(i + 1, len(r)):
        if names[k] == b:
            return (when(r[k]["timestamp"]) - when(r[i]["timestamp"])).total_seconds()
    return None


def wait_over(r):
    w = wait(r, "Classify", "Investigate")
    return w is not None and w > 4 * 3600


expect("--wait 'Classify->Investigate>4h'", ["--wait", "Classify->Investigate>4h"], wait_over)

# ---- followers ----
def direct(r, a, b):
    names = acts(r)
    return any(x == a and y == b for x, y in zip(names, names[1:]))


def eventually(r, a, b, within=None):
    for i, e in enumerate(r):
        if e["activity"] != a:
            continue
        for g in r[i + 1:]:
            if within is not None and when(g["timestamp"]) - when(e["timestamp"]) > within:
                break
            if g["activity"] == b:
                return True
    return False


expect("--follows 'Investigate->Call customer'", ["--follows", "Investigate->Call customer"],
       lambda r: direct(r, "Investigate", "Call customer"))
expect("--follows 'Submit request->>Resolve within 1d'",
       ["--follows", "Submit request->>Resolve within 1d"],
       lambda r: eventually(r, "Submit request", "Resolve", timedelta(days=1)))
expect("--not-follows 'Propose solution->>Investigate'",
       ["--not-follows", "Propose solution->>Investigate"],
       lambda r: not eventually(r, "Propose solution", "Investigate"))

# ---- variants ----
variants = {}
for cid, r in journeys.items():
    variants.setdefault(tuple(acts(r)), []).append(cid)
ranked = sorted(variants.items(),
                key=lambda kv: (-len(kv[1]), min(first(journeys[c]) for c in kv[1]),
                                min(c.encode() for c in kv[1])))
top3 = {v for v, _ in ranked[:3]}
expect("--top-variants 3", ["--top-variants", "3"], lambda r: tuple(acts(r)) in top3)
share = {v for v, c in variants.items() if len(c) >= 0.05 * len(journeys)}
expect("--min-variant-share 0.05", ["--min-variant-share", "0.05"],
       lambda r: tuple(acts(r)) in share)
expect("--variant 'Submit request,*,Survey sent,?'",
       ["--variant", "Submit request,*,Survey sent,?"],
       lambda r: len(r) >= 3 and r[0]["activity"] == "Submit request"
       and r[-2]["activity"] == "Survey sent")
expect("--ends-with 'Close'", ["--ends-with", "Close"], lambda r: r[-1]["activity"] == "Close")

# ---- composition, in order ----
def chain():
    p = run("stats", "--json", "--keep-events", "channel=web", "--min-steps", "8", LOG)
    web = {c: [e for e in r if e["channel"] == "web"] for c, r in journeys.items()}
    web = {c: r for c, r in web.items() if r}
    long = {c: r for c, r in web.items() if len(r) >= 8}
    want1 = (len(web), len(journeys), sum(map(len, web.values())), EVENTS)
    want2 = (len(long), len(web), sum(map(len, long.values())), sum(map(len, web.values())))
    got1 = kept_line(p.stderr, "--keep-events channel=web")
    got2 = kept_line(p.stderr, "--min-steps 8")
    if (got1, got2) != (want1, want2):
        return f"{got1} {got2}, recount {want1} {want2}"
    if p.stderr.index("--keep-events") > p.stderr.index("--min-steps"):
        return "notices out of order"
    return None


check("filters apply in order, each to what the one before kept", chain)


# ---- every analysis command takes them ----
def commands():
    args = ["--where", "channel=web", "--min-steps", "9"]
    want = sum(1 for r in journeys.values()
               if anyv(r, "channel", lambda v: v == "web") and len(r) >= 9)
    stats = json.loads(run("stats", "--json", *args, LOG).stdout)
    if stats["cases"] != want:
        return f"stats {stats['cases']}, recount {want}"
    cases = json.loads(run("cases", "--json", *args, LOG).stdout)
    if len(cases["cases"]) != want:
        return f"cases {len(cases['cases'])}"
    var = json.loads(run("variants", "--json", *args, LOG).stdout)
    if var["cases"] != want:
        return f"variants {var['cases']}"
    for cmd in (["dfg"], ["friction"], ["trend", "--every", "month"], ["resources"]):
        p = run(*cmd, *args, LOG)
        if p.returncode != 0 or "filter --where channel=web: kept" not in p.stderr:
            return f"{cmd[0]}: exit {p.returncode}: {p.stderr}"
    return None


check("stats, cases, variants, dfg, friction, trend and resources take the filters", commands)


def decimal_comma():
    args = ["stats", "--json", "--where", "csat>=4.5", "--min-duration", "1.5d", LOG]
    c = run(*args)
    de = subprocess.run([CXMINE, *args], capture_output=True, text=True,
                        env=dict(os.environ, LC_ALL="de_DE.UTF-8"))
    want = sum(1 for r in journeys.values()
               if int(r[0]["case:csat"]) >= 4.5 and dur(r) >= 1.5 * 86400)
    got = [json.loads(p.stdout)["cases"] for p in (c, de)]
    return None if got == [want, want] else f"C, de_DE: {got}, recount {want}"


check("numbers in filters read the same under a decimal-comma locale", decimal_comma)


def quiet():
    p = run("stats", LOG)
    return None if "filter" not in p.stderr else p.stderr


check("no filter, no filter notice", quiet)


# ---- usage errors and empty results ----
def usage(args, want):
    def go():
        p = run("stats", *args, LOG)
        if p.returncode != 2 or want not in p.stderr or p.stdout:
            return f"exit {p.returncode}: {p.stderr}"
        return None
    return go


check("an unclosed parenthesis: exit 2 with the column",
      usage(["--where", "(channel=web OR channel=phone"],
            "--where: '(' is never closed, at column 1 of '(channel=web OR channel=phone'"))
check("a dangling AND: exit 2 with the column",
      usage(["--where", "channel=web AND"], "at column 16 of 'channel=web AND'"))
check("a bad window mode: exit 2",
      usage(["--window", "during:2024-01-01,2024-02-01"], "unknown mode 'during'"))
check("a wait without a bound: exit 2",
      usage(["--wait", "Classify->Investigate"], "expected >, >=, < or <= and a duration"))


def empty(args, want):
    def go():
        p = run("stats", *args, LOG)
        line = "cxmine: warning: " + want
        if p.returncode != 0 or line not in p.stderr:
            return f"exit {p.returncode}: {p.stderr}"
        return None
    return go


check("a value nobody has: near misses",
      empty(["--where", "channel=wbe"],
            "--where channel=wbe selects none of the 600 cases: attribute 'channel' is never "
            "'wbe' (did you mean 'web'?)"))
check("an activity nobody has: near misses",
      empty(["--follows", "Clasify->Investigate"],
            "--follows 'Clasify->Investigate' selects none of the 600 cases: no activity is "
            "called 'Clasify' (did you mean 'Classify'?)"))
check("a mistyped key: near misses",
      empty(["--keep-events", "chanel=web"],
            "--keep-events chanel=web selects none of the 600 cases: no attribute 'chanel' in "
            "the log (did you mean 'channel'?)"))

shutil.rmtree(TMP)
print(f"1..{n}")
sys.exit(1 if failed else 0)
