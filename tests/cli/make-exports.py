"""Splits a cxgen CSV log into CRM-shaped exports, one per channel, each
with its own headers, delimiter, date format and zone, plus a sources file
that joins them again (issue 12).

usage: make-exports.py LOG.csv OUTDIR [--overlap]

  web       web_export.csv   Ticket,Step,When,Agent            dd/mm/yyyy HH:MM, Europe/Amsterdam
  phone     phone_calls.csv  case_id,activity,timestamp,agent  ISO 8601 with offsets (ms)
  email     backoffice.csv   Kundennummer;Aktivität;...        BOM, CRLF, dd.mm.yyyy HH:MM:SS, Europe/Berlin
  chat      chat.csv         ticket_id,status,event_time,assignee  epoch milliseconds

A naive local time cannot say which reading of the repeated autumn hour it
is, and a time cut to minutes cannot say its order within the minute: such
events go to the phone export (with offsets), so that the join is exact.
With --overlap, the phone export is written twice more as two overlapping
daily exports (phone_day1.csv, phone_day2.csv) named in sources-overlap.ini.
"""
import csv
import os
import sys
from datetime import datetime, timezone, timedelta
from zoneinfo import ZoneInfo

AMS = ZoneInfo("Europe/Amsterdam")
BER = ZoneInfo("Europe/Berlin")


def parse(ts):
    return datetime.fromisoformat(ts.replace("Z", "+00:00")).astimezone(timezone.utc)


def ambiguous(t, zone):
    """True when the local time of t exists twice in zone."""
    local = t.astimezone(zone).replace(tzinfo=None)
    a = local.replace(tzinfo=zone, fold=0).utcoffset()
    b = local.replace(tzinfo=zone, fold=1).utcoffset()
    return a != b


def main():
    src, out = sys.argv[1], sys.argv[2]
    overlap = "--overlap" in sys.argv
    os.makedirs(out, exist_ok=True)
    with open(src, newline="") as f:
        rows = list(csv.DictReader(f))
    for r in rows:
        r["t"] = parse(r["timestamp"])
    # per case, events sorted by time: find those whose minute holds another
    by_case = {}
    for r in rows:
        by_case.setdefault(r["case_id"], []).append(r)
    crowded = set()
    for evs in by_case.values():
        evs.sort(key=lambda r: r["t"])
        for a, b in zip(evs, evs[1:]):
            if b["t"] - a["t"] < timedelta(minutes=2):
                crowded.add(id(a))
                crowded.add(id(b))
    files = {k: [] for k in ("web", "phone", "email", "chat")}
    for r in rows:
        ch = r["channel"] if r["channel"] in files else "phone"
        if ch in ("web", "email") and (ambiguous(r["t"], AMS) or id(r) in crowded):
            ch = "phone"
        files[ch].append(r)

    with open(os.path.join(out, "web_export.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["Ticket", "Step", "When", "Agent"])
        for r in files["web"]:
            w.writerow([r["case_id"], r["activity"],
                        r["t"].astimezone(AMS).strftime("%d/%m/%Y %H:%M"), r["resource"]])

    def phone_rows(rs):
        for r in rs:
            local = r["t"].astimezone(AMS)
            yield [r["case_id"], r["activity"],
                   local.isoformat(timespec="milliseconds"), r["resource"]]

    with open(os.path.join(out, "phone_calls.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["case_id", "activity", "timestamp", "agent"])
        w.writerows(phone_rows(files["phone"]))

    with open(os.path.join(out, "backoffice.csv"), "w", newline="", encoding="utf-8-sig") as f:
        w = csv.writer(f, delimiter=";", lineterminator="\r\n")
        w.writerow(["Kundennummer", "Aktivität", "Zeitstempel", "Bearbeiter"])
        for r in files["email"]:
            w.writerow([r["case_id"], r["activity"],
                        r["t"].astimezone(BER).strftime("%d.%m.%Y %H:%M:%S"), r["resource"]])

    with open(os.path.join(out, "chat.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["ticket_id", "status", "event_time", "assignee"])
        for r in files["chat"]:
            w.writerow([r["case_id"], r["activity"], int(r["t"].timestamp() * 1000),
                        r["resource"]])

    with open(os.path.join(out, "sources.ini"), "w") as f:
        f.write("# four exports of one log\n"
                "[web_export.csv]\ncase=Ticket\nactivity=Step\ntimestamp=When\nresource=Agent\n"
                "timezone=Europe/Amsterdam\ntimestamp-format=%d/%m/%Y %H:%M\nchannel-name=web\n\n"
                "[phone_calls.csv]\nchannel-name=phone\n\n"
                "[backoffice.csv]\ncase=Kundennummer\nactivity=Aktivität\ntimestamp=Zeitstempel\n"
                "resource=Bearbeiter\ntimezone=Europe/Berlin\nchannel-name=email\n\n"
                "[chat.csv]\nchannel-name=chat\n")
    if overlap:
        ph = files["phone"]
        ph_sorted = sorted(ph, key=lambda r: r["t"])
        mid = len(ph_sorted) // 2
        # two daily exports overlapping by a tenth of the events
        day1 = ph_sorted[: mid + len(ph_sorted) // 10]
        day2 = ph_sorted[mid:]
        for name, part in (("phone_day1.csv", day1), ("phone_day2.csv", day2)):
            with open(os.path.join(out, name), "w", newline="") as f:
                w = csv.writer(f, lineterminator="\n")
                w.writerow(["case_id", "activity", "timestamp", "agent"])
                w.writerows(phone_rows(part))
        with open(os.path.join(out, "sources-overlap.ini"), "w") as f:
            f.write("[web_export.csv]\ncase=Ticket\nactivity=Step\ntimestamp=When\nresource=Agent\n"
                    "timezone=Europe/Amsterdam\ntimestamp-format=%d/%m/%Y %H:%M\n\n"
                    "[phone_day1.csv]\n[phone_day2.csv]\n"
                    "[backoffice.csv]\ncase=Kundennummer\nactivity=Aktivität\n"
                    "timestamp=Zeitstempel\nresource=Bearbeiter\ntimezone=Europe/Berlin\n\n"
                    "[chat.csv]\n")
        print(len(day1) + len(day2) - len(ph))  # the overlap


if __name__ == "__main__":
    main()
