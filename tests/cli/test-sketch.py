#!/usr/bin/env python3
"""Quantiles past the exact limit, end to end (TAP).

CXMINE_TEST_EXACT_SAMPLES (test-only: it lowers the number of samples a
measure keeps exactly, CX_QUANTILES_EXACT_MAX) makes a generated log's
measures sketches.  Each command must then print quantile_rel_error = 0.005,
every median and p90 within 0.5% of the exact ones of the same run with the
limit at its real value (where quantile_rel_error is 0), the exact counts,
means, minima, maxima and totals unchanged, and `cxmine merge` of partials
of two shards must print the single run's bytes.

usage: test-sketch.py CXMINE CXGEN"""
import json
import os
import subprocess
import sys
import tempfile

CX, GEN = sys.argv[1], sys.argv[2]
ALPHA = 0.005
n_test = 0
failed = 0


def ok(cond, what):
    global n_test, failed
    n_test += 1
    print(("ok" if cond else "not ok"), n_test, "-", what)
    if not cond:
        failed += 1


def run(args, limit=None):
    env = dict(os.environ)
    env.pop("CXMINE_TEST_EXACT_SAMPLES", None)
    if limit is not None:
        env["CXMINE_TEST_EXACT_SAMPLES"] = str(limit)
    r = subprocess.run([CX] + args, env=env, capture_output=True, check=True)
    return r.stdout


def close(a, b):
    if a is None or b is None:
        return a == b
    return abs(a - b) <= ALPHA * abs(b) * (1 + 1e-9) + 1e-9


def walk(sk, ex, path, bad, quantile_keys, exact_keys):
    """Compares two JSON trees: quantile keys within alpha, the others equal."""
    if isinstance(ex, dict):
        for k in ex:
            if k == "quantile_rel_error":
                continue
            p = path + "." + k
            if k in quantile_keys:
                if not close(sk.get(k), ex[k]):
                    bad.append(f"{p}: {sk.get(k)} vs {ex[k]}")
            elif k in exact_keys and sk.get(k) != ex[k]:
                # means and totals: an exact sum of microseconds against the
                # sorted sum of the exact form, the same to the last bits
                a, b = sk.get(k), ex[k]
                if not (k in ("mean", "total") and a is not None and b is not None
                        and abs(a - b) <= 1e-12 * abs(b)):
                    bad.append(f"{p}: {a} vs {b} (exact)")
            else:
                walk(sk.get(k), ex[k], p, bad, quantile_keys, exact_keys)
    elif isinstance(ex, list):
        if not isinstance(sk, list) or len(sk) != len(ex):
            bad.append(f"{path}: lists differ")
            return
        for i, (a, b) in enumerate(zip(sk, ex)):
            walk(a, b, f"{path}[{i}]", bad, quantile_keys, exact_keys)


with tempfile.TemporaryDirectory() as tmp:
    log = os.path.join(tmp, "log.xes")
    subprocess.run([GEN, "-n", "600", "-s", "4", "-l", "-o", log], check=True)
    shards = [os.path.join(tmp, f"s{k}.xes") for k in range(2)]
    subprocess.run([GEN, "-n", "300", "-s", "4", "-l", "-o", shards[0]], check=True)
    subprocess.run([GEN, "-n", "300", "-s", "4", "-l", "--first-case", "301", "-o", shards[1]],
                   check=True)
    limit = 50
    for cmd, quantiles, exact in [
        ("stats", {"median", "p90"}, {"mean", "min", "max", "cases", "events"}),
        ("dfg", {"median", "p90"}, {"mean", "min", "max", "total", "count", "waits", "services"}),
        ("variants", {"median_duration_s"}, {"count", "share"}),
    ]:
        ex = json.loads(run([cmd, "--json", log]))
        sk = json.loads(run([cmd, "--json", log], limit))
        ok(ex["quantile_rel_error"] == 0, f"{cmd}: exact at the real limit")
        ok(sk["quantile_rel_error"] == ALPHA, f"{cmd}: quantile_rel_error {ALPHA} past {limit}")
        bad = []
        walk(sk, ex, cmd, bad, quantiles, exact)
        ok(not bad, f"{cmd}: quantiles within {ALPHA}, the rest exact " + "; ".join(bad[:3]))
        # merge of partials of two shards equals the single run over both
        parts = []
        for k, s in enumerate(shards):
            p = os.path.join(tmp, f"{cmd}{k}.cxp")
            run([cmd, "--partial", p, s], limit)
            parts.append(p)
        one = run([cmd, "--json"] + shards, limit)
        merged = run(["merge", "--json"] + parts, limit)
        ok(one == merged, f"{cmd}: merge of sketched partials equals the single run")
        text = run([cmd, log], limit).decode()
        if cmd == "stats":
            ok("Quantiles within ±0.5% (sketched past 50 samples)" in text,
               f"{cmd}: the text says the quantiles are sketched")
            ok("sketched" not in run([cmd, log]).decode(), f"{cmd}: no note when exact")
    # friction, resources and compare print the key too; the wait test ranks buckets
    ok(json.loads(run(["resources", "--json", log], limit))["quantile_rel_error"] == ALPHA
       and json.loads(run(["resources", "--json", log]))["quantile_rel_error"] == 0,
       "resources: quantile_rel_error")
    fr = json.loads(run(["friction", "--json", log], limit))
    ok(fr["quantile_rel_error"] == ALPHA, "friction: quantile_rel_error")
    ok(json.loads(run(["friction", "--json", log]))["quantile_rel_error"] == 0,
       "friction: 0 when exact")
    cmp = json.loads(run(["compare", "--json"] + shards, limit))
    ok(cmp["quantile_rel_error"] == ALPHA, "compare: quantile_rel_error")
    tests = {e.get("wait_test") for e in cmp["edges"]}
    ok("mann-whitney buckets" in tests, f"compare: bucket ranks named ({sorted(tests)})")
    cmp0 = json.loads(run(["compare", "--json"] + shards))
    ok(cmp0["quantile_rel_error"] == 0 and "mann-whitney buckets" not in
       {e.get("wait_test") for e in cmp0["edges"]}, "compare: exact at the real limit")

print(f"1..{n_test}")
sys.exit(1 if failed else 0)
