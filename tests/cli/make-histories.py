"""Plants customer histories in a cxgen CSV log (issue 12): customer k
collects 1, 2 or 3 of the log's cases in turn, the j-th of them moved
j * 400 days later, so that a customer comes back after a long pause.
Prints the numbers of customers and of customers with several cases.

usage: make-histories.py LOG.csv OUT.csv
"""
import csv
import sys
from datetime import datetime, timedelta

src, out = sys.argv[1], sys.argv[2]
with open(src, newline="") as f:
    rows = list(csv.DictReader(f))
cases = []
for r in rows:
    if not cases or cases[-1] != r["case_id"]:
        if r["case_id"] not in cases[-3:]:
            cases.append(r["case_id"])
place = {}
k, i, size = 0, 0, 1
while i < len(cases):
    for j in range(size):
        if i + j < len(cases):
            place[cases[i + j]] = ("K%05d" % k, j)
    i += size
    k += 1
    size = size % 3 + 1
several = sum(1 for c in range(k) if sum(1 for v in place.values() if v[0] == "K%05d" % c) > 1)
with open(out, "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["customer_id", "activity", "event_time", "agent"])
    for r in rows:
        cust, j = place[r["case_id"]]
        t = datetime.fromisoformat(r["timestamp"].replace("Z", "+00:00")) + timedelta(days=400 * j)
        w.writerow([cust, r["activity"], t.isoformat(timespec="milliseconds"), r["resource"]])
print(k, several)
