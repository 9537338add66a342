#!/usr/bin/python3
"""scripts/cxmine-dask on a real Dask cluster: a scheduler and two workers on
127.0.0.1 (random free ports), started and stopped here, and --local 2.

Checks that the driver prints what the single run prints (stats, dfg,
variants, friction, compare; text and JSON; one input and two CSV inputs
whose cases span both files; a merge tree), that a worker killed with
SIGKILL while it runs a partial task does not change the answer, and that
errors of cxmine on a worker come back as one message and cxmine's exit code.

The driver names the merged report's log by its input files (--log-name), so
its output is compared byte for byte with the single run's.

usage: test-dask.py CXMINE CXGEN SOURCE_ROOT   (TAP; exit 77 without
python3-distributed)
"""

import glob
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

try:
    import distributed  # noqa: F401
except ImportError:
    print("1..0 # SKIP python3-distributed is not installed (scripts/deps --test)")
    sys.exit(77)
if shutil.which("dask") is None:
    print("1..0 # SKIP the 'dask' command (python3-distributed) is not on PATH")
    sys.exit(77)

CXMINE, CXGEN, ROOT = (os.path.abspath(a) for a in sys.argv[1:4])
DRIVER = os.path.join(ROOT, "scripts", "cxmine-dask")
TMP = tempfile.mkdtemp(prefix="cx-test-dask-")
ENV = dict(os.environ, TZ="UTC")
ENV.pop("CXMINE_DASK_TEST_SLEEP", None)
n_test = 0
failed = 0
procs = []


def ok(cond, name, detail=""):
    global n_test, failed
    n_test += 1
    print("%s %d - %s" % ("ok" if cond else "not ok", n_test, name))
    if not cond:
        failed += 1
        for line in str(detail).splitlines()[:40]:
            print("#   " + line)
    sys.stdout.flush()
    return cond


def run(argv, env=None, timeout=600):
    p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=TMP,
                       env=env or ENV, timeout=timeout)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def single(args):
    rc, out, err = run([CXMINE] + args)
    assert rc == 0, "single run %s failed: %s" % (args, err)
    return out


def driver(cluster, args, env=None, workdir=None):
    argv = [DRIVER, "--cxmine", CXMINE] + cluster
    if workdir:
        argv += ["--workdir", workdir]
    return run(argv + args, env=env)


def same(dask_out, single_out, name):
    """Byte for byte equal (@name: the log's name, which both must print the same)."""
    a, b = dask_out, single_out
    if a == b:
        return True, ""
    import difflib
    return False, "".join(list(difflib.unified_diff(b.splitlines(True), a.splitlines(True),
                                                    "single", "dask"))[:60])


def check(cluster, args, files, name, label, env=None, workdir=None):
    rc, out, err = driver(cluster, args + files, env=env, workdir=workdir)
    if not ok(rc == 0, "%s: exit 0" % label, err):
        return
    good, diff = same(out, single(args + files), name)
    ok(good, "%s: equals the single run" % label, diff)


def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_cluster():
    sched_file = os.path.join(TMP, "scheduler.json")
    port = free_port()
    logs = open(os.path.join(TMP, "dask.log"), "w")
    procs.append(subprocess.Popen(
        ["dask", "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard",
         "--scheduler-file", sched_file], stdout=logs, stderr=logs, env=ENV, cwd=TMP))
    deadline = time.time() + 120
    while not os.path.exists(sched_file) and time.time() < deadline:
        time.sleep(0.2)
    workers = []
    for n in range(2):
        w = subprocess.Popen(
            ["dask", "worker", "--scheduler-file", sched_file, "--host", "127.0.0.1",
             "--nthreads", "1", "--no-nanny", "--no-dashboard", "--name", "w%d" % n,
             "--local-directory", os.path.join(TMP, "w%d" % n)],
            stdout=logs, stderr=logs, env=ENV, cwd=TMP)
        procs.append(w)
        workers.append(w)
    from distributed import Client
    with Client(scheduler_file=sched_file, timeout="120s") as c:
        c.wait_for_workers(2, timeout=180)
    return "tcp://127.0.0.1:%d" % port, workers


def stop_all():
    for p in procs:
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
    for p in procs:
        try:
            p.wait(timeout=30)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


def main():
    # a log with planted frictions, and the same kind of log as two CSV files
    # split in time, so that most cases have events in both
    run([CXGEN, "--cases", "2500", "--seed", "5", "--plant", "rework:0.2", "--plant",
         "bottleneck", "--plant", "pingpong:0.1", "--plant", "dropoff:0.1", "--plant",
         "repeat_contact:0.1", "-o", "journeys.xes.gz"])
    rc, csv, _ = run([CXGEN, "--cases", "1500", "--seed", "6", "--format", "csv"])
    rows = csv.splitlines(True)
    half = len(rows) // 2
    with open(os.path.join(TMP, "jan.csv"), "w") as f:
        f.writelines(rows[:half])
    with open(os.path.join(TMP, "feb.csv"), "w") as f:
        f.writelines(rows[:1] + rows[half:])
    run([CXGEN, "--cases", "1200", "--seed", "7", "--plant", "rework:0.3", "-o", "before.xes.gz"])
    run([CXGEN, "--cases", "1200", "--seed", "8", "--plant", "rework:0.3", "--change",
         "wait-cut:4", "--change", "loop-rarer:3", "-o", "after.xes.gz"])

    rc, _, err = run([DRIVER, "stats", "journeys.xes.gz"])
    ok(rc == 2 and "--scheduler" in err, "no cluster given: usage error (exit 2)", err)
    rc, _, err = run([DRIVER, "--local", "2", "--cxmine", CXMINE, "stats", "--no-such",
                      "journeys.xes.gz"])
    ok(rc == 2 and "--no-such" in err, "an option cxmine does not have: exit 2", err)
    rc, out, _ = run([DRIVER, "--help"])
    ok(rc == 0 and "Examples:" in out and "--scheduler" in out, "--help with examples")

    addr, workers = start_cluster()
    sched = ["--scheduler", addr]
    work = os.path.join(TMP, "shared")
    os.makedirs(work)
    rc, _, err = run([DRIVER, "--scheduler", addr, "stats", "journeys.xes.gz"])
    ok(rc == 2 and "--workdir" in err, "--scheduler without --workdir: exit 2", err)

    j = ["journeys.xes.gz"]
    for args in (["stats"], ["stats", "--json"], ["dfg", "--json"], ["dfg"],
                 ["dfg", "--json", "--case-ids"], ["dfg", "--metric", "p90", "--json"], ["variants"], ["variants", "--json"],
                 ["friction"], ["friction", "--json", "--top", "0"],
                 ["stats", "--json", "--lifecycle", "complete", "--where",
                  "channel=web"]):
        check(sched, args, j, "journeys.xes.gz", "scheduler: " + " ".join(args),
              workdir=work)
    csvs = ["jan.csv", "feb.csv"]
    for args in (["stats", "--json"], ["variants", "--json"], ["dfg", "--json"]):
        check(sched, args, csvs, "jan.csv + 1 more", "two CSV inputs: " + " ".join(args),
              workdir=work)
    check(sched + ["--shards", "8", "--fan-in", "2"], ["stats", "--json"], j,
          "journeys.xes.gz", "merge tree (8 shards, 2 at a time): stats --json", workdir=work)
    check(sched, ["compare"], ["before.xes.gz", "after.xes.gz"], "\0", "compare BEFORE AFTER",
          workdir=work)
    check(sched, ["compare", "--json"], ["before.xes.gz", "after.xes.gz"], "\0",
          "compare BEFORE AFTER --json", workdir=work)
    ok(not glob.glob(os.path.join(work, "cxmine-dask-*")), "the run folders are removed")

    # errors of cxmine on a worker: one message, cxmine's exit code
    with open(os.path.join(TMP, "journeys.xes.gz"), "rb") as f:
        data = f.read()
    with open(os.path.join(TMP, "cut.xes.gz"), "wb") as f:
        f.write(data[: len(data) // 2])
    rc, out, err = driver(sched, ["stats", "cut.xes.gz"], workdir=work)
    ok(rc == 1 and "cut.xes.gz" in err and "Traceback" not in err and out == "",
       "a truncated input: exit 1, the message names the file", err)
    rc, out, err = driver(sched, ["variants", "--top-variants", "3", "journeys.xes.gz"],
                          workdir=work)
    ok(rc == 2 and "--top-variants" in err and "Traceback" not in err,
       "an option that needs the whole log: cxmine's refusal, exit 2", err)

    # a worker killed (SIGKILL) while it runs a partial task
    env = dict(ENV, CXMINE_DASK_TEST_SLEEP="2")
    argv = [DRIVER, "--cxmine", CXMINE, "--scheduler", addr, "--workdir", work,
            "--shards", "6", "variants", "--json", "journeys.xes.gz"]
    p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=TMP,
                         env=env)
    pids = {w.pid: w for w in workers}
    victim = None
    deadline = time.time() + 300
    while victim is None and time.time() < deadline and p.poll() is None:
        for mark in glob.glob(os.path.join(work, "cxmine-dask-*", "map-running.*")):
            pid = int(mark.rsplit(".", 1)[1])
            if pid in pids:
                victim = pids[pid]
                break
        time.sleep(0.05)
    if ok(victim is not None, "a worker is running a partial task"):
        os.kill(victim.pid, signal.SIGKILL)
        victim.wait(timeout=30)
    out, err = p.communicate(timeout=900)
    ok(victim is not None and victim.returncode == -signal.SIGKILL,
       "that worker was killed (SIGKILL)")
    if ok(p.returncode == 0, "killed worker: the run still ends with exit 0", err.decode()):
        good, diff = same(out.decode(), single(["variants", "--json"] + j), "journeys.xes.gz")
        ok(good, "killed worker: variants --json equals the single run", diff)
    stop_all()

    # --local 2: the driver's own cluster
    for args in (["dfg", "--json"], ["friction"]):
        check(["--local", "2"], args, j, "journeys.xes.gz", "--local 2: " + " ".join(args))
    check(["--local", "2"], ["stats"], csvs, "jan.csv + 1 more", "--local 2: stats, two CSVs")


try:
    main()
except Exception as e:  # a broken run is a failed test, with its reason
    import traceback
    ok(False, "the test ran to its end", traceback.format_exc())
finally:
    stop_all()
    shutil.rmtree(TMP, ignore_errors=True)
print("1..%d" % n_test)
sys.exit(1 if failed else 0)
