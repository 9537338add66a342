#!/usr/bin/python3
"""Business hours end to end (TAP): `--business-hours`, `--holidays` and the
display zone against planted truth.

  - a hand-written log whose waits cross a weekend, a holiday and both
    daylight-saving changes of 2025 in Europe/Amsterdam, with the working
    times written down by hand;
  - a generated log (CXGEN) over March to November 2025: every case's
    duration (`cases --json`), `stats --json` case durations and every
    `dfg --json` edge's waits against an independent Python count that walks
    the local days with zoneinfo;
  - outputs say so (text line, JSON `business_hours`), never by default,
    and usage errors exit 2 with the place of the fault.

usage: test-bizhours-cli.py CXMINE SOURCE_ROOT
"""
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

CXMINE = sys.argv[1]
CXGEN = os.environ.get("CXGEN")
TMP = tempfile.mkdtemp(prefix="cx-bizhours-cli-")
ENV = dict(os.environ, LC_ALL="C")
AMS = "Europe/Amsterdam"

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


def out_json(*args):
    p = run(*args)
    if p.returncode != 0:
        raise RuntimeError(p.stderr)
    return json.loads(p.stdout)


def check(name, fn):
    try:
        r = fn()
        report(name, r is None or r is True, r)
    except Exception as e:  # a crash is a failure with its reason
        report(name, False, repr(e))


def close(a, b, tol=1e-6):
    return abs(a - b) <= tol * max(1.0, abs(b))


# ---------- the independent count ----------

def parse_hours(spec):
    """'Mon-Fri 08:00-12:00,13:00-18:00; Sat 10:00-14:00' -> {weekday: [(min, min)]}
    (no overnight ranges in this test)."""
    names = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    out = {d: [] for d in range(7)}
    for clause in spec.split(";"):
        days, hours = clause.split()
        a, _, b = days.partition("-")
        lo, hi = names.index(a.lower()), names.index((b or a).lower())
        for rng in hours.split(","):
            s, e = rng.split("-")
            sm = int(s[:2]) * 60 + int(s[3:])
            em = int(e[:2]) * 60 + int(e[3:])
            for d in range(lo, hi + 1):
                out[d].append((sm, em))
    return out


def working(t0, t1, hours, holidays, zone):
    """Seconds of [t0, t1) (aware datetimes) inside the hours of non-holiday
    local dates: each range's local start and end made aware with zoneinfo
    (fold 0) and intersected with the span."""
    if t1 < t0:
        return -working(t1, t0, hours, holidays, zone)
    total = timedelta(0)
    d = t0.astimezone(zone).date() - timedelta(days=1)
    last = t1.astimezone(zone).date() + timedelta(days=1)
    while d <= last:
        if d not in holidays:
            for sm, em in hours[d.weekday()]:
                # in UTC: Python subtracts two times of one zone on the wall clock
                a = (datetime.combine(d, time()) + timedelta(minutes=sm)).replace(tzinfo=zone)
                b = (datetime.combine(d, time()) + timedelta(minutes=em)).replace(tzinfo=zone)
                a, b = a.astimezone(timezone.utc), b.astimezone(timezone.utc)
                lo, hi = max(a, t0), min(b, t1)
                if hi > lo:
                    total += hi - lo
        d += timedelta(days=1)
    return total.total_seconds()


def quantile(xs, q):
    """numpy's default (linear) quantile."""
    xs = sorted(xs)
    pos = q * (len(xs) - 1)
    i = int(pos)
    return xs[i] if i + 1 >= len(xs) else xs[i] + (xs[i + 1] - xs[i]) * (pos - i)


# ---------- the hand-written log ----------
# Hours Mon-Fri 09:00-17:30 and Sun 01:00-04:00, local times:
# Fri 2025-01-03 17:00 -> Mon 10:00: 30 min + Sun 3 h + 1 h
# Fri 2025-04-18 16:00 -> Tue 2025-04-22 10:00, Mon 21 a holiday: 1.5 h + Sun 3 h + 1 h
# Sat 2025-03-29 12:00 -> Mon 2025-03-31 12:00 (spring): Sun 01:00-04:00 has 2 real hours, + 3 h
# Sat 2025-10-25 12:00 -> Mon 2025-10-27 12:00 (autumn): Sun 01:00-04:00 has 4 real hours, + 3 h
HAND = """case,activity,timestamp
weekend,Open,2025-01-03T16:00:00Z
weekend,Weekend,2025-01-06T09:00:00Z
holiday,Open,2025-04-18T14:00:00Z
holiday,Holiday,2025-04-22T08:00:00Z
spring,Open,2025-03-29T11:00:00Z
spring,Spring,2025-03-31T10:00:00Z
autumn,Open,2025-10-25T10:00:00Z
autumn,Autumn,2025-10-27T11:00:00Z
"""
HAND_HOURS = "Mon-Fri 09:00-17:30; Sun 01:00-04:00"
HAND_WANT = {"weekend": 16200, "holiday": 19800, "spring": 18000, "autumn": 25200}
HAND_CALENDAR = {"weekend": 65 * 3600, "holiday": 90 * 3600, "spring": 47 * 3600,
                 "autumn": 49 * 3600}
hand = os.path.join(TMP, "hand.csv")
with open(hand, "w") as f:
    f.write(HAND)
holidays_file = os.path.join(TMP, "holidays.txt")
with open(holidays_file, "w") as f:
    f.write("# Easter Monday\n2025-04-21\n\n")
BH = ["--business-hours", HAND_HOURS, "--holidays", holidays_file]


def hand_cases(*extra):
    j = out_json("cases", "--json", *extra, hand)
    return {c["case"]: c["duration_s"] for c in j["cases"]}, j


def t_hand_exact():
    for zone_opt in (["--display-timezone", AMS], ["--timezone", AMS]):
        got, j = hand_cases(*BH, *zone_opt)
        if got != HAND_WANT:
            return f"{zone_opt}: {got} != {HAND_WANT}"
        want = f"{HAND_HOURS} (Europe/Amsterdam), 1 holiday"
        if j["business_hours"] != want:
            return f"business_hours {j['business_hours']!r} != {want!r}"


def t_hand_default_calendar():
    got, j = hand_cases("--display-timezone", AMS)
    if j["business_hours"] is not None:
        return f"business_hours {j['business_hours']!r} without --business-hours"
    if got != HAND_CALENDAR:
        return f"{got} != {HAND_CALENDAR}"


def t_hand_dfg_stats():
    d = out_json("dfg", "--json", *BH, "--display-timezone", AMS, hand)
    waits = {e["to"]: e["wait_s"]["total"] for e in d["edges"]}
    want = {k.capitalize(): v for k, v in HAND_WANT.items()}
    if waits != want:
        return f"dfg waits {waits} != {want}"
    s = out_json("stats", "--json", *BH, "--display-timezone", AMS, hand)
    cd = s["case_duration_s"]
    vals = sorted(HAND_WANT.values())
    if not (close(cd["mean"], sum(vals) / 4) and close(cd["median"], quantile(vals, 0.5))
            and close(cd["max"], max(vals))):
        return f"stats case_duration_s {cd} vs {vals}"


def t_service_times():
    # a service over a weekend: Fri 17:00 -> Mon 10:00 UTC is 1.5 working hours
    path = os.path.join(TMP, "service.csv")
    with open(path, "w") as f:
        f.write("case,activity,start_timestamp,timestamp\n"
                "c1,A,2025-01-03T17:00:00Z,2025-01-06T10:00:00Z\n"
                "c1,B,2025-01-06T10:30:00Z,2025-01-06T11:00:00Z\n")
    d = out_json("dfg", "--json", "--business-hours", "Mon-Fri 09:00-17:30", path)
    svc = {x["activity"]: x["service_s"]["total"] for x in d["nodes"]}
    waits = {(x["from"], x["to"]): x["wait_s"]["total"] for x in d["edges"]}
    if svc != {"A": 5400, "B": 1800} or waits != {("A", "B"): 1800}:
        return f"service {svc}, waits {waits}"
    d = out_json("dfg", "--json", path)
    if d["nodes"][0]["service_s"]["total"] != 65 * 3600:
        return f"calendar service time {d['nodes'][0]['service_s']}"


def t_hand_friction_follows():
    f = out_json("friction", "--json", *BH, "--display-timezone", AMS, hand)
    if not close(f["customer_time_s"], sum(HAND_WANT.values())):
        return f"customer_time_s {f['customer_time_s']} with business hours"
    f = out_json("friction", "--json", "--display-timezone", AMS, hand)
    if not close(f["customer_time_s"], sum(HAND_CALENDAR.values())):
        return f"customer_time_s {f['customer_time_s']} by default (calendar time)"


def t_text_says_so():
    want = f"Times count business hours only: {HAND_HOURS} (Europe/Amsterdam), 1 holiday"
    for cmd in (["stats"], ["variants"], ["friction"], ["cases"], ["trend"], ["resources"],
                ["compare", "--split-at", "2025-03-01"], ["dfg"]):
        p = run(*cmd, *BH, "--display-timezone", AMS, hand)
        if p.returncode != 0 or want not in p.stdout:
            return f"{cmd}: rc {p.returncode}, no line '{want}' in:\n{p.stdout[:400]}{p.stderr}"
        q = run(*cmd, "--display-timezone", AMS, hand)
        if "business hours" in q.stdout:
            return f"{cmd} says business hours without the option"


def t_maps_say_so():
    want = "Times count business hours only: Mon-Fri 09:00-17:30 (Europe/Amsterdam)"
    for cmd, out in ((["friction"], "f.dot"), (["resources"], "r.dot"), (["trend"], "t.svg"),
                     (["compare", "--split-at", "2025-03-01"], "c.dot"),
                     (["report"], "r.html")):
        path = os.path.join(TMP, out)
        for bh in (["--business-hours", "Mon-Fri 09:00-17:30"], []):
            p = run(*cmd, *bh, "--display-timezone", AMS, "-o", path, hand)
            if p.returncode != 0:
                return f"{cmd}: rc {p.returncode}: {p.stderr}"
            with open(path) as f:
                said = want in f.read()
            if said != bool(bh):
                return f"{cmd} -o {out} {bh}: the line is {'there' if said else 'missing'}"


def t_json_says_so():
    for cmd in (["stats"], ["variants"], ["dfg"], ["friction"], ["cases"], ["trend"],
                ["resources"], ["compare", "--split-at", "2025-03-01"]):
        j = out_json(*cmd, "--json", "--business-hours", "Mon-Fri 09:00-17:30", hand)
        if j.get("business_hours") != "Mon-Fri 09:00-17:30 (UTC)":
            return f"{cmd}: business_hours {j.get('business_hours')!r}"
        j = out_json(*cmd, "--json", hand)
        if "business_hours" not in j or j["business_hours"] is not None:
            return f"{cmd}: business_hours should be null by default"


def t_compare_sides_differ():
    p = run("compare", "--json", hand, hand, "--after-opts",
            "--business-hours 'Mon-Fri 09:00-17:30'")
    if p.returncode != 0 or "count time differently" not in p.stderr:
        return f"rc {p.returncode}, no warning: {p.stderr!r}"
    if json.loads(p.stdout)["business_hours"] is not None:
        return "business_hours is not the before log's (calendar time)"
    p = run("compare", hand, hand, "--business-hours", "Mon-Fri 09:00-17:30")
    if "count time differently" in p.stderr:
        return f"a warning when both count alike: {p.stderr!r}"


def t_usage_errors():
    bad = os.path.join(TMP, "bad-holidays.txt")
    with open(bad, "w") as f:
        f.write("2025-01-01\n# fine\n2025-02-30\n")
    cases = [
        (["--business-hours", "Mon-Fri 9-17"], "'9' is not a time of day"),
        (["--business-hours", "Mo-Fr 09:00-17:00"], "'Mo' is not a day"),
        (["--business-hours", "Mon-Fri 09:00-17:30", "--holidays", bad], f"{bad}:3: '2025-02-30'"),
        (["--business-hours", "Mon-Fri 09:00-17:30", "--holidays", bad + ".none"], bad + ".none"),
        (["--holidays", holidays_file], "--holidays needs --business-hours"),
        (["--business-hours", "Mon-Fri 09:00-17:30", "--display-timezone", "Europe/Amsterdm"],
         "unknown time zone"),
    ]
    for args, says in cases:
        p = run("stats", *args, hand)
        if p.returncode != 2 or says not in p.stderr:
            return f"{args}: rc {p.returncode}, stderr {p.stderr!r} (wanted 2 and {says!r})"
    p = run("partition", "-k", "2", "-o", os.path.join(TMP, "shards"), "--business-hours",
            "Mon-Fri 09:00-17:30", hand)
    if p.returncode != 2:
        return f"partition with --business-hours: rc {p.returncode}"
    p = run("filter", "-o", os.path.join(TMP, "kept.csv"), "--business-hours",
            "Mon-Fri 09:00-17:30", hand)
    if p.returncode != 2 or "measures no time" not in p.stderr:
        return f"filter with --business-hours: rc {p.returncode} {p.stderr!r}"


# ---------- the generated log ----------
GEN_HOURS = "Mon-Fri 08:00-12:00,13:00-18:00; Sat 10:00-14:00; Sun 01:30-03:30"
GEN_HOLIDAYS = [date(2025, 4, 18), date(2025, 4, 21), date(2025, 5, 29), date(2025, 6, 9),
                date(2025, 10, 27), date(2025, 10, 24)]


def generated():
    path = os.path.join(TMP, "gen.csv")
    subprocess.run([CXGEN, "--cases", "600", "--seed", "11", "--format", "csv", "--start",
                    "2025-03-03T08:00:00+01:00", "--span", "250", "-o", path], check=True)
    hol = os.path.join(TMP, "gen-holidays.txt")
    with open(hol, "w") as f:
        f.write("\n".join(d.isoformat() + "  # planted" for d in GEN_HOLIDAYS) + "\n")
    journeys = {}
    with open(path, newline="") as f:
        for i, row in enumerate(csv.DictReader(f)):
            t = datetime.fromisoformat(row["timestamp"].replace("Z", "+00:00"))
            journeys.setdefault(row["case_id"], []).append((t, i, row["activity"],
                                                            row["resource"]))
    for evs in journeys.values():
        evs.sort()
    return path, hol, journeys


def t_generated():
    if not CXGEN:
        return "CXGEN not set"
    path, hol, journeys = generated()
    zone = ZoneInfo(AMS)
    hours = parse_hours(GEN_HOURS)
    hols = set(GEN_HOLIDAYS)
    bh = ["--business-hours", GEN_HOURS, "--holidays", hol, "--display-timezone", AMS]
    # every case's duration
    want = {c: working(e[0][0], e[-1][0], hours, hols, zone) for c, e in journeys.items()}
    got = {c["case"]: c["duration_s"] for c in out_json("cases", "--json", *bh, path)["cases"]}
    if got.keys() != want.keys():
        return f"cases differ: {sorted(set(got) ^ set(want))[:5]}"
    bad = [c for c in want if not close(got[c], want[c])]
    if bad:
        return "\n".join(f"{c}: {got[c]} != {want[c]}" for c in bad[:10])
    # the planted truth reaches the DST changes and the holidays
    def spans(d):
        return [c for c, e in journeys.items() if e[0][0].date() <= d <= e[-1][0].date()]
    for d in (date(2025, 3, 30), date(2025, 10, 26), *GEN_HOLIDAYS):
        if not spans(d):
            return f"no journey spans {d}: the test would not see it"
    # stats case durations
    s = out_json("stats", "--json", *bh, path)["case_duration_s"]
    vals = list(want.values())
    for key, w in (("mean", sum(vals) / len(vals)), ("median", quantile(vals, 0.5)),
                   ("p90", quantile(vals, 0.9)), ("max", max(vals))):
        if not close(s[key], w):
            return f"stats case_duration_s.{key} {s[key]} != {w}"
    # every edge's waits
    waits = {}
    for e in journeys.values():
        for (t0, _, a, _), (t1, _, b, _) in zip(e, e[1:]):
            waits.setdefault((a, b), []).append(working(t0, t1, hours, hols, zone))
    d = out_json("dfg", "--json", *bh, path)
    edges = {(x["from"], x["to"]): x for x in d["edges"]}
    if edges.keys() != waits.keys():
        return f"edges differ: {sorted(set(edges) ^ set(waits))[:5]}"
    for k, ws in waits.items():
        w = edges[k]["wait_s"]
        for key, v in (("total", sum(ws)), ("min", min(ws)), ("max", max(ws)),
                       ("median", quantile(ws, 0.5)), ("mean", sum(ws) / len(ws))):
            if not close(w[key], v, 1e-6):
                return f"edge {k} wait_s.{key} {w[key]} != {v}"
    # handovers of work: the median working wait per pair of resources
    hand = {}
    for e in journeys.values():
        for (t0, _, _, r0), (t1, _, _, r1) in zip(e, e[1:]):
            if r0 and r1 and r0 != r1:
                hand.setdefault((r0, r1), []).append(working(t0, t1, hours, hols, zone))
    res = out_json("resources", "--json", "--top", "0", *bh, path)["handovers"]
    got = {(h["from"], h["to"]): h["median_wait_s"] for h in res}
    if got.keys() != hand.keys():
        return f"handover pairs differ: {sorted(set(got) ^ set(hand))[:5]}"
    for k, ws in hand.items():
        if not close(got[k], quantile(ws, 0.5)):
            return f"handover {k} median_wait_s {got[k]} != {quantile(ws, 0.5)}"
    # and the calendar-time default is untouched
    plain = {c["case"]: c["duration_s"] for c in out_json("cases", "--json", path)["cases"]}
    for c, e in journeys.items():
        if not close(plain[c], (e[-1][0] - e[0][0]).total_seconds()):
            return f"{c}: calendar duration {plain[c]}"


check("hand log: weekend, holiday, spring and autumn waits exact", t_hand_exact)
check("hand log: calendar time by default", t_hand_default_calendar)
check("hand log: dfg waits and stats durations", t_hand_dfg_stats)
check("service times (start to completion) count working time", t_service_times)
check("friction's customer time follows --business-hours, calendar time without",
      t_hand_friction_follows)
check("text of every command says so, and only when asked", t_text_says_so)
check("maps, the trend chart and the HTML report say so, only when asked", t_maps_say_so)
check("JSON of every command: business_hours string or null", t_json_says_so)
check("compare warns when the two logs count time differently", t_compare_sides_differ)
check("usage errors exit 2 and name the fault", t_usage_errors)
check("generated log: cases, stats, dfg waits and handovers equal an independent count",
      t_generated)

print(f"1..{n}")
shutil.rmtree(TMP, ignore_errors=True)
sys.exit(1 if failed else 0)
