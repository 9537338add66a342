#!/usr/bin/python3
"""End-to-end tests of `cxmine filter` (TAP): the filtered log written as
XES, XES.gz and CSV reads back with the same cases, events, activities and
attributes; the XES is well-formed IEEE 1849 (elements, extensions, typed
attributes); hostile strings survive both ways; filters keep what the
analyses keep; usage errors; atomic writes.

usage: test-filter-cli.py CXMINE SOURCE_ROOT [CXGEN]
"""
import csv
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from datetime import datetime

CXMINE, ROOT = sys.argv[1], sys.argv[2]
CXGEN = sys.argv[3] if len(sys.argv) > 3 else os.path.join(
    os.path.dirname(CXMINE), "..", "..", "scripts", "cxgen")
SAMPLE = os.path.join(ROOT, "fixtures", "sample", "customer-journeys.xes.gz")
BPIC = os.path.join(ROOT, "..", "shared", "data", "bpic2012.xes.gz")
TMP = tempfile.mkdtemp(prefix="cx-filter-cli-")
ENV = dict(os.environ, LC_ALL="C")
NS = "{http://www.xes-standard.org/}"

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


def run(*args, env=ENV):
    return subprocess.run([CXMINE, *args], capture_output=True, text=True, env=env)


def check(name, fn):
    try:
        r = fn()
        report(name, r is None or r is True, r)
    except Exception as e:  # a crash is a failure with its reason
        report(name, False, repr(e))


def stats(*args):
    p = run("stats", "--json", *args)
    if p.returncode != 0:
        raise RuntimeError(p.stderr)
    d = json.loads(p.stdout)
    return {k: d[k] for k in ("cases", "events", "instances", "activities", "variants",
                              "activity_counts", "first", "last")}


def filt(*args):
    p = run("filter", *args)
    if p.returncode != 0:
        raise RuntimeError(p.stderr)
    return p


def tmp(name):
    return os.path.join(TMP, name)


# A hand-made log: hostile strings everywhere, typed trace and event
# attributes, a start/complete pair, an untimed event.
HOSTILE = ['a<b & "c"', "line\nbreak\ttab", "naïve café 日本", "'single'", " padded ", "x,y;z|w"]
ATTR_TYPES = {"amount": ("int", "42"), "ratio": ("float", "0.25"), "vip": ("boolean", "true"),
              "opened": ("date", "2024-03-01T10:00:00.000Z"), "ref": ("id", "id-7"),
              "note": ("string", HOSTILE[0])}


def esc(s):
    return (s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;"))


def make_hostile():
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<log xes.version="1849-2016" xmlns="http://www.xes-standard.org/">']
    for c in range(len(HOSTILE)):
        lines.append("<trace>")
        lines.append(f'<string key="concept:name" value="{esc(HOSTILE[c])}#{c}"/>')
        for k, (t, v) in ATTR_TYPES.items():
            lines.append(f'<{t} key="{k}" value="{esc(v)}"/>')
        lines.append(f'<string key="case text" value="{esc(HOSTILE[(c + 1) % len(HOSTILE)])}"/>')
        for e in range(3):
            act = HOSTILE[(c + e) % len(HOSTILE)]
            lines.append("<event>")
            lines.append(f'<string key="concept:name" value="{esc(act)}"/>')
            lines.append(f'<date key="time:timestamp" value="2024-01-0{e + 1}T0{c}:00:00Z"/>')
            lines.append(f'<string key="org:resource" value="{esc(HOSTILE[e])}"/>')
            lines.append(f'<int key="cost" value="{c * 10 + e}"/>')
            lines.append(f'<float key="score" value="{e}.5"/>')
            lines.append(f'<boolean key="ok" value="{"true" if e % 2 else "false"}"/>')
            lines.append(f'<string key="comment" value="{esc(HOSTILE[(c + 2 * e) % 6])}"/>')
            lines.append("</event>")
        lines.append("</trace>")
    lines.append("</log>")
    path = tmp("hostile.xes")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    return path


HOST = make_hostile()


def load_xes(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        return ET.parse(f).getroot()


def norm(tag, v):
    """A date as its instant (cxmine writes UTC with milliseconds)."""
    if tag == "date":
        return datetime.fromisoformat(v.replace("Z", "+00:00")).timestamp()
    return v


def attrs_of(el):
    """{key: (type, value)} of an element's attribute children."""
    return {a.get("key"): (a.tag[len(NS):], norm(a.tag[len(NS):], a.get("value"))) for a in el
            if a.tag[len(NS):] in ("string", "date", "int", "float", "boolean", "id")}


def traces_of(root):
    out = {}
    for t in root.findall(NS + "trace"):
        a = attrs_of(t)
        evs = [attrs_of(e) for e in t.findall(NS + "event")]
        out[a["concept:name"][1]] = (a, evs)
    return out


def t_xes_structure():
    out = tmp("h.xes")
    filt(HOST, "-o", out)
    root = load_xes(out)
    with open(out, "rb") as f:
        head = f.read(60)
    if not head.startswith(b'<?xml version="1.0" encoding="UTF-8"?>'):
        return f"no XML declaration: {head!r}"
    if root.tag != NS + "log" or root.get("xes.version") != "1849-2016":
        return f"root {root.tag} {root.attrib}"
    exts = {e.get("prefix"): e.get("name") for e in root.findall(NS + "extension")}
    if exts != {"concept": "Concept", "time": "Time", "lifecycle": "Lifecycle",
                "org": "Organizational"}:
        return f"extensions {exts}"
    scopes = sorted(g.get("scope") for g in root.findall(NS + "global"))
    if scopes != ["event", "trace"]:
        return f"globals {scopes}"
    if not any(c.get("keys") == "concept:name" for c in root.findall(NS + "classifier")):
        return "no concept:name classifier"
    # the standard's order: extensions, globals, classifiers, then attributes and traces
    order = [c.tag[len(NS):] for c in root]
    first_trace = order.index("trace")
    if order[:4] != ["extension"] * 4 or "global" in order[first_trace:] \
            or "classifier" in order[first_trace:] \
            or order.index("classifier") < max(i for i, t in enumerate(order) if t == "global"):
        return f"order {order[:12]}"
    allowed = {"string", "date", "int", "float", "boolean", "id", "event"}
    for t in root.findall(NS + "trace"):
        for c in t:
            if c.tag[len(NS):] not in allowed:
                return f"unexpected element {c.tag} in a trace"
            for a in (c if c.tag == NS + "event" else []):
                if a.tag[len(NS):] not in allowed - {"event"} or a.get("key") is None:
                    return f"unexpected element {a.tag} in an event"
    return True


def t_hostile_xes_values():
    out = tmp("h2.xes.gz")
    filt(HOST, "-o", out)
    got = traces_of(load_xes(out))
    want = traces_of(load_xes(HOST))
    if sorted(got) != sorted(want):
        return f"cases {sorted(got)} != {sorted(want)}"
    for cid, (ta, evs) in want.items():
        ga, gevs = got[cid]
        for k, tv in ta.items():
            if ga.get(k) != tv:
                return f"{cid!r}: trace attribute {k}: {ga.get(k)} != {tv}"
        if len(gevs) != len(evs):
            return f"{cid!r}: {len(gevs)} events != {len(evs)}"
        for ge, e in zip(gevs, evs):
            for k, tv in e.items():
                if k == "time:timestamp":
                    continue
                if ge.get(k) != tv:
                    return f"{cid!r}: event attribute {k}: {ge.get(k)} != {tv}"
    return True


def t_hostile_counts():
    want = stats(HOST)
    for name in ("h3.xes", "h3.xes.gz", "h3.csv", "h3.csv.gz"):
        filt(HOST, "-o", tmp(name))
        got = stats(tmp(name))
        if got != want:
            return f"{name}: {got} != {want}"
    return True


def t_hostile_csv_values():
    out = tmp("h4.csv")
    filt(HOST, "-o", out)
    with open(out, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    want = traces_of(load_xes(HOST))
    if len(rows) != sum(len(e) for _, e in want.values()):
        return f"{len(rows)} rows"
    for r in rows:
        ta, evs = want[r["case_id"]]
        for k, (t, v) in ta.items():
            if k != "concept:name" and norm(t, r.get("case:" + k)) != v:
                return f"case:{k} = {r.get('case:' + k)!r}, not {v!r}"
        e = [x for x in evs if x["concept:name"][1] == r["activity"]]
        if not e:
            return f"activity {r['activity']!r} not in case {r['case_id']!r}"
        for k in ("cost", "score", "ok", "comment"):
            if r.get(k) != e[0][k][1]:
                return f"{k} = {r.get(k)!r}, not {e[0][k][1]!r}"
        if r["resource"] != e[0]["org:resource"][1]:
            return f"resource {r['resource']!r}"
    return True


def t_fixpoint():
    # written by cxmine and read back by it, a log writes the very same bytes:
    # every attribute and type survives cxmine's own reading
    for ext in ("xes", "csv"):
        a, b = tmp("fa." + ext), tmp("fb." + ext)
        filt(HOST, "-o", a)
        filt(a, "-o", b)
        with open(a, "rb") as x, open(b, "rb") as y:
            if x.read() != y.read():
                return f"{ext}: a second pass differs"
    return True


def t_sample_round_trip():
    want = stats(SAMPLE)
    for name in ("s.xes.gz", "s.csv"):
        p = filt(SAMPLE, "-o", tmp(name))
        if f"wrote {want['cases']:,} cases, {want['events']:,} events to" not in p.stderr:
            return f"stderr: {p.stderr!r}"
        got = stats(tmp(name))
        if got != want:
            return f"{name}: {got} != {want}"
    return True


def t_filter_keeps_what_analyses_keep():
    # a filter keeps the cases and events stats keeps with the same filter
    for args in (["--where", "channel=web"], ["--from", "2024-03-01", "--to", "2024-06-01"],
                 ["--top-variants", "3"], ["--starts-with", "Submit request"]):
        want = stats(SAMPLE, *args)
        out = tmp("f.xes")
        filt(SAMPLE, *args, "-o", out)
        got = stats(out)
        if got["cases"] != want["cases"] or got["events"] != want["events"] \
                or got["variants"] != want["variants"]:
            return f"{args}: {got} != {want}"
        if want["cases"] == 0:
            return f"{args}: kept nothing"
    return True


def t_lifecycle_pairs():
    # generated start/complete pairs: written, they read back the same (as
    # XES a CSV row with a start time is two events, the same instance)
    gen = tmp("lc.csv")
    subprocess.run([CXGEN, "--cases", "50", "--lifecycle", "--format", "csv", "-o", gen], check=True)
    want = stats(gen)
    for name in ("lc.xes", "lc2.csv"):
        filt(gen, "-o", tmp(name))
        got = stats(tmp(name))
        if name.endswith(".xes"):
            got["events"] = want["events"]
        if got != want:
            return f"{name}: {got} != {want}"
    return True


def t_bpic_round_trip():
    if not os.path.exists(BPIC):
        return True  # ../shared is absent: covered by the other tests
    want = stats(BPIC)
    out = tmp("b.xes.gz")
    filt(BPIC, "-o", out)
    got = stats(out)
    if got != want:
        return f"{got} != {want}"
    root = load_xes(out)
    t = root.find(NS + "trace")
    if attrs_of(t).get("REG_DATE", ("",))[0] != "date":
        return f"REG_DATE not a date: {attrs_of(t)}"
    return True


LC = """<?xml version="1.0" encoding="UTF-8"?>
<log xes.version="1849-2016" xmlns="http://www.xes-standard.org/">
<trace><string key="concept:name" value="c1"/>
<event><string key="concept:name" value="A"/><string key="lifecycle:transition" value="start"/>
<date key="time:timestamp" value="2024-01-01T10:00:00Z"/><string key="s" value="a-start"/>
<int key="n" value="1"/></event>
<event><string key="concept:name" value="B"/><date key="time:timestamp" value="2024-01-01T10:30:00Z"/>
<string key="s" value="b"/></event>
<event><string key="concept:name" value="A"/><string key="lifecycle:transition" value="complete"/>
<date key="time:timestamp" value="2024-01-01T11:00:00Z"/><string key="s" value="a-complete"/>
<float key="f" value="2.5"/></event>
<event><string key="concept:name" value="C"/><date key="time:timestamp" value="2024-03-01T11:00:00Z"/>
<string key="s" value="c"/></event>
<event><string key="concept:name" value="C"/><date key="time:timestamp" value="2024-03-01T11:00:00Z"/>
<string key="s" value="c-dup"/></event>
</trace></log>
"""


def t_pairs_cuts_dedupe():
    src = tmp("lc.xes")
    with open(src, "w") as f:
        f.write(LC)
    # paired: the instance has its completion's attributes, then its start's
    out = tmp("lcp.xes")
    filt(src, "--lifecycle", "pair", "-o", out)
    evs = list(traces_of(load_xes(out)).values())[0][1]
    a = [e for e in evs if e["concept:name"][1] == "A"]
    want = {"s": ("string", "a-complete"), "f": ("float", "2.5"), "n": ("int", "1")}
    if len(a) != 2 or any({k: e.get(k) for k in want} != want for e in a):
        return f"paired A: {a}"
    # cut journeys and dropped duplicates keep the right event's attributes
    out = tmp("lcg.csv")
    filt(src, "--journey-gap", "7d", "--dedupe", "-o", out)
    with open(out, newline="") as f:
        rows = [(r["case_id"], r["activity"], r["s"]) for r in csv.DictReader(f)]
    if rows != [("c1#1", "A", "a-start"), ("c1#1", "B", "b"), ("c1#1", "A", "a-complete"),
                ("c1#2", "C", "c")]:
        return f"rows {rows}"
    return True


def t_role_names():
    # event attributes named as columns the CSV reader maps are written as
    # attr:KEY, so the CSV reads back with the same mapping
    src = tmp("roles.xes")
    ev = ('<event><string key="concept:name" value="{a}"/>'
          '<date key="time:timestamp" value="2024-01-0{d}T10:00:00Z"/>'
          '<string key="Activity" value="other {a}"/><string key="start" value="2020-01-01"/>'
          '<string key="Status" value="s{d}"/><string key="case:x" value="y"/></event>')
    with open(src, "w") as f:
        f.write('<log xes.version="1849-2016" xmlns="http://www.xes-standard.org/">'
                '<trace><string key="concept:name" value="t1"/>'
                + ev.format(a="A", d=1) + ev.format(a="B", d=2) + "</trace></log>\n")
    out = tmp("roles.csv")
    filt(src, "-o", out)
    with open(out, newline="") as f:
        rows = list(csv.DictReader(f))
    want = {"attr:Activity": "other A", "attr:start": "2020-01-01", "attr:Status": "s1",
            "attr:case:x": "y"}
    if {k: rows[0].get(k) for k in want} != want:
        return f"columns {list(rows[0])}"
    if stats(out) != stats(src):
        return f"{stats(out)} != {stats(src)}"
    return True


def t_usage():
    for args, code in ((["filter", SAMPLE], 2), (["filter", SAMPLE, "-o", tmp("x.txt")], 2),
                       (["filter", SAMPLE, "-o", SAMPLE], 2), (["filter", "-o", tmp("y.xes")], 2),
                       (["filter", SAMPLE, "-o", "-", "--output-format", "json"], 2),
                       (["filter", SAMPLE, "-o", tmp("nodir/z.xes")], 1)):
        p = run(*args)
        if p.returncode != code or "cxmine" not in p.stderr:
            return f"{args}: exit {p.returncode}, {p.stderr!r}"
    return True


def t_atomic():
    out = tmp("keep.xes")
    with open(out, "w") as f:
        f.write("before\n")
    bad = tmp("bad.xes")
    with open(bad, "w") as f:
        f.write("<log><trace><string key='concept:name' value='a'/><event>")
    p = run("filter", bad, "-o", out)
    with open(out) as f:
        kept = f.read()
    if p.returncode != 1 or kept != "before\n":
        return f"exit {p.returncode}, file {kept!r}"
    if any(x.startswith(".keep.xes.") for x in os.listdir(TMP)):
        return "temporary file left behind"
    return True


def t_stdout():
    p = run("filter", HOST, "-o", "-", "--output-format", "csv")
    if p.returncode != 0 or not p.stdout.startswith("case_id,activity,timestamp"):
        return f"exit {p.returncode}: {p.stdout[:80]!r}"
    if "to standard output" not in p.stderr:
        return p.stderr
    return True


def t_help():
    p = run("filter", "--help")
    if p.returncode != 0 or "Examples:" not in p.stdout or "--output-format" not in p.stdout:
        return p.stdout
    return True


check("XES structure: declaration, 1849-2016, extensions, globals, classifiers, order",
      t_xes_structure)
check("hostile strings and typed attributes survive XES(.gz)", t_hostile_xes_values)
check("hostile log: same counts from XES, XES.gz, CSV, CSV.gz", t_hostile_counts)
check("hostile strings and event attributes survive CSV", t_hostile_csv_values)
check("writing a written log again gives the same bytes", t_fixpoint)
check("sample: round trip and the stderr line", t_sample_round_trip)
check("filters keep what stats keeps with the same filters", t_filter_keeps_what_analyses_keep)
check("start/complete pairs round trip", t_lifecycle_pairs)
check("bpic2012 round trip (when ../shared is there)", t_bpic_round_trip)
check("paired instances, cut journeys, dropped duplicates keep their attributes",
      t_pairs_cuts_dedupe)
check("CSV: attributes named as mapped columns are written as attr:KEY", t_role_names)
check("usage and write errors", t_usage)
check("a failed run leaves OUT as it was", t_atomic)
check("-o - with --output-format", t_stdout)
check("--help with examples", t_help)

print(f"1..{n}")
shutil.rmtree(TMP, ignore_errors=True)
sys.exit(1 if failed else 0)
