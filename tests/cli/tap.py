"""TAP for the command-line tests written in Python: one numbered
"ok"/"not ok" line a check, the first lines of what went wrong under a
failure, the plan at the end.  A check is a function that returns None or
True when it holds, else what to show; an exception fails it with its reason.

    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from tap import check, report, finish
    check("what holds", fn)
    finish(TMP)   # prints the plan, removes TMP, exits 1 when a check failed
"""
import shutil
import sys

_n = 0
_failed = False


def report(name, good, detail=""):
    global _n, _failed
    _n += 1
    print(("ok" if good else "not ok") + f" {_n} - {name}")
    if not good:
        _failed = True
        for line in str(detail).splitlines()[:20]:
            print("# " + line)


def check(name, fn):
    try:
        r = fn()
        report(name, r is None or r is True, r)
    except Exception as e:  # a crash is a failure with its reason
        report(name, False, repr(e))


def finish(tmp=None):
    print(f"1..{_n}")
    if tmp is not None:
        shutil.rmtree(tmp, ignore_errors=True)
    sys.exit(1 if _failed else 0)
