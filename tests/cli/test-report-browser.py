#!/usr/bin/python3
"""cxmine report in a real browser (headless Chromium through Selenium).

The page loads with no console errors and no network requests, every section
is present and visible, the map slider changes the map, a friction card
highlights its part of the map, a screenshot is not blank, and a log whose
names are HTML or script leaves the page inert.  Skips (77) without chromium,
chromedriver or python3-selenium."""
import io
import os
import shutil
import subprocess
import sys
import tempfile
import zlib

CXMINE = sys.argv[1]
SRC = sys.argv[2]
SAMPLE = os.path.join(SRC, "fixtures", "sample", "customer-journeys.xes.gz")

chromium = shutil.which("chromium") or shutil.which("chromium-browser")
driver_bin = shutil.which("chromedriver") or "/usr/lib/chromium/chromedriver"
if chromium is None or not os.path.exists(driver_bin) or shutil.which("dot") is None:
    print("1..0 # SKIP chromium, chromedriver or Graphviz missing")
    sys.exit(77)
try:
    from selenium import webdriver
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
except ImportError:
    print("1..0 # SKIP python3-selenium missing")
    sys.exit(77)

fails = 0
n = 0


def check(ok, what):
    global fails, n
    n += 1
    print(("ok %d - " if ok else "not ok %d - ") % n + what)
    if not ok:
        fails += 1


SECTIONS = ("overview", "map", "friction", "variants", "channels", "trends")
HOSTILE = [
    "<img src=x onerror=alert(1)>",
    "</script><script>alert(2)</script>",
    '"><svg onload=alert(3)>',
    "x' onmouseover='alert(4)",
    "\u2028</style><b>bold</b>",
    "<!--<script>alert(5)</script>-->",
]


def hostile_csv(path):
    rows = ["case,activity,timestamp,channel,case:segment"]
    names = ["Start"] + HOSTILE + ["Done"]
    for c in range(40):
        case = "<img src=x onerror=alert(%d)>" % c if c % 5 == 0 else "c%d" % c
        t = 0
        seq = names if c % 3 else [names[0], names[1 + c % len(HOSTILE)], names[-1]]
        for k, a in enumerate(seq):
            t += 3600 * (1 + (c * 7 + k) % 5)
            ch = "<b>web</b>" if k % 2 else "</script>phone"
            q = lambda s: '"' + s.replace('"', '""') + '"'
            seg = HOSTILE[c % 2]
            rows.append("%s,%s,2024-01-%02dT%02d:%02d:00Z,%s,%s" % (
                q(case), q(a), 1 + c % 28, (t // 3600) % 24, (t // 60) % 60, q(ch), q(seg)))
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(rows) + "\n")


def pixel_variety(png):
    try:
        from PIL import Image
        im = Image.open(io.BytesIO(png)).convert("RGB").resize((200, 200))
        return len(set(im.getdata()))
    except ImportError:
        # the raw scanlines of the PNG: distinct 3-byte groups
        data, pos = b"", 8
        while pos < len(png):
            ln = int.from_bytes(png[pos:pos + 4], "big")
            if png[pos + 4:pos + 8] == b"IDAT":
                data += png[pos + 8:pos + 8 + ln]
            pos += 12 + ln
        raw = zlib.decompress(data)
        return len({raw[i:i + 3] for i in range(0, min(len(raw), 3_000_000), 3)})


def driver():
    o = webdriver.ChromeOptions()
    o.binary_location = chromium
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
              "--window-size=1300,1800"):
        o.add_argument(a)
    o.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(driver_bin), options=o)


def no_alert(d):
    try:
        d.switch_to.alert
        return False
    except NoAlertPresentException:
        return True


def open_page(d, path):
    d.get("file://" + path)
    d.execute_script("window.__alerts=0; window.alert=function(){window.__alerts++;};")


def common(d, path, name):
    errs = [e for e in d.get_log("browser") if e.get("level") == "SEVERE"]
    check(not errs, name + ": no console errors " + repr(errs[:3]))
    for s in SECTIONS:
        els = d.find_elements(By.ID, s)
        check(len(els) == 1 and els[0].is_displayed(), name + ": section #%s present and visible" % s)
    res = d.execute_script(
        "return performance.getEntriesByType('resource').map(function(e){return e.name;})")
    nav = d.execute_script(
        "return performance.getEntriesByType('navigation').map(function(e){return e.name;})")
    check(all(r.startswith("data:") for r in res), name + ": no requests but data: URIs " + repr(res[:3]))
    check(all(u.startswith("file://") for u in nav), name + ": the page itself only")


d = driver()
try:
    tmp = tempfile.mkdtemp()
    page = os.path.join(tmp, "sample.html")
    subprocess.run([CXMINE, "report", SAMPLE, "-o", page], check=True)
    open_page(d, page)
    common(d, page, "sample")
    before = d.execute_script("return document.querySelector('#mapbox svg').querySelectorAll('g.node').length")
    d.execute_script("var s=document.getElementById('acts');s.value=0;"
                     "s.dispatchEvent(new Event('input'));")
    after = d.execute_script("return document.querySelector('#mapbox svg').querySelectorAll('g.node').length")
    check(after < before, "sample: the activity slider changes the map (%d -> %d nodes)" % (before, after))
    d.execute_script("var s=document.getElementById('acts');s.value=s.max;"
                     "s.dispatchEvent(new Event('input'));"
                     "var p=document.getElementById('paths');p.value=p.max;"
                     "p.dispatchEvent(new Event('input'));")
    edges = d.execute_script("return document.querySelector('#mapbox svg').querySelectorAll('g.edge').length")
    check(edges > 0, "sample: the paths slider shows a map with %d arcs" % edges)
    d.find_element(By.CSS_SELECTOR, "button[data-view=waits]").click()
    lab = d.execute_script("var t=document.querySelector('#mapbox g.edge[id^=e] text');return t?t.textContent:''")
    check(any(u in lab for u in (" s", "min", " h", " d")), "sample: the waiting-time view labels waits: %r" % lab)
    d.find_element(By.CSS_SELECTOR, ".fcard").click()
    hl = d.execute_script("return document.querySelectorAll('#mapbox .hl').length")
    check(hl > 0, "sample: a friction card highlights %d map elements" % hl)
    png = d.get_screenshot_as_png()
    check(pixel_variety(png) > 50, "sample: the screenshot is not blank")
    check(no_alert(d) and d.execute_script("return window.__alerts") == 0, "sample: no alert")

    # --by: each segment vs the rest, the comparison map chosen with a selector
    bp = os.path.join(tmp, "by.html")
    subprocess.run([CXMINE, "report", SAMPLE, "--by", "channel@last", "-o", bp], check=True)
    open_page(d, bp)
    common(d, bp, "--by")
    shown = d.execute_script("return Array.prototype.filter.call(document.querySelectorAll("
                             "'.cmpmap[data-seg]'),function(x){return x.offsetParent!==null;})"
                             ".map(function(x){return x.getAttribute('data-seg');})")
    opts = d.execute_script("return Array.prototype.map.call(document.querySelectorAll("
                            "'#cmpsel option'),function(o){return o.value;})")
    check(len(opts) == 4 and shown == opts[:1], "--by: one map shown of %d (%r)" % (len(opts), shown))
    if len(opts) > 1:
        d.execute_script("var s=document.getElementById('cmpsel');s.value=arguments[0];"
                         "s.dispatchEvent(new Event('change'));", opts[1])
        shown2 = d.execute_script("return Array.prototype.filter.call(document.querySelectorAll("
                                  "'.cmpmap[data-seg]'),function(x){return x.offsetParent!==null;})"
                                  ".map(function(x){return x.getAttribute('data-seg');})")
        check(shown2 == opts[1:2], "--by: the selector shows the chosen segment's map (%r)" % shown2)
    rows = d.execute_script("return document.querySelectorAll('#compare details.cmpseg').length")
    check(rows == 4, "--by: each of the 4 segments vs the rest (%d)" % rows)

    # hostile names
    csv = os.path.join(tmp, "hostile.csv")
    hostile_csv(csv)
    hp = os.path.join(tmp, "hostile.html")
    subprocess.run([CXMINE, "report", "--case", "case", "--activity", "activity", "--timestamp",
                    "timestamp", "--channel", "channel", "--by", "segment", csv, "-o", hp],
                   check=True, stderr=subprocess.DEVNULL)
    d.get("file://" + hp)
    check(no_alert(d), "hostile: no alert on load")
    common(d, hp, "hostile")
    cmp = d.find_elements(By.ID, "compare")
    check(len(cmp) == 1 and cmp[0].is_displayed(), "hostile: section #compare (--by) present and visible")
    imgs = d.execute_script(
        "return document.querySelectorAll('img,iframe,object,embed,style').length - 1 + "
        "Array.prototype.filter.call(document.querySelectorAll('b'),function(b){"
        "return b.textContent==='bold'||b.textContent==='web';}).length")
    check(imgs == 0, "hostile: no injected elements (%d)" % imgs)
    scripts = d.execute_script("return document.scripts.length")
    check(scripts == 2, "hostile: only the page's two scripts (%d)" % scripts)
    handlers = d.execute_script(
        "var n=0;document.querySelectorAll('*').forEach(function(e){for(var i=0;i<e.attributes.length;i++)"
        "if(/^on/i.test(e.attributes[i].name))n++;});return n")
    check(handlers == 0, "hostile: no event-handler attributes (%d)" % handlers)
    text = d.execute_script("return document.body.textContent")
    check(HOSTILE[0] in text and "</script><script>alert(2)</script>" in text,
          "hostile: the names show as text")
    d.execute_script("var s=document.getElementById('acts');s.value=0;s.dispatchEvent(new Event('input'));"
                     "document.querySelectorAll('.fcard').forEach(function(c){c.click();});"
                     "document.querySelector('button[data-view=channels]').click();")
    check(no_alert(d), "hostile: no alert after using the page")
    errs = [e for e in d.get_log("browser") if e.get("level") == "SEVERE"]
    check(not errs, "hostile: still no console errors " + repr(errs[:3]))
finally:
    d.quit()
print("1..%d" % n)
sys.exit(1 if fails else 0)
