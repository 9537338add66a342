/* cxmine — the journey report as one self-contained HTML page: the data
 * block (the commands' own JSON), the sections, the style and the script
 * with its Content-Security-Policy hash. */
#include "report-html-private.h"
#include <locale.h>
#include <string.h>

static const char page_css[]
    = "body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;"
      "color:#1d2730;background:#f4f6f8;margin:0}"
      "header{background:#1f3a56;color:#fff;padding:18px 28px}header h1{margin:0;font-size:24px}"
      "header p{margin:4px 0 0;color:#c9d6e3}"
      "nav{position:sticky;top:0;background:#fff;border-bottom:1px solid #d8dee4;padding:8px 28px;"
      "z-index:5}nav a{margin-right:16px;color:#1f5f99;text-decoration:none;font-weight:600}"
      "main{padding:0 28px 40px;max-width:1280px}"
      "section{background:#fff;border:1px solid #d8dee4;border-radius:8px;margin:18px 0;"
      "padding:16px 20px}section h2{margin:0 0 8px;font-size:19px}"
      ".cards{display:flex;flex-wrap:wrap;gap:12px}.kpi{border:1px solid #e1e6eb;border-radius:6px;"
      "padding:8px 14px;min-width:130px}.kpi b{display:block;font-size:22px}.kpi "
      "small{color:#5a6772}"
      ".muted{color:#5a6772}.note{background:#fff8e1;border-left:4px solid #f0b400;padding:8px "
      "12px}"
      ".empty{background:#eef2f5;border-left:4px solid #8a949c;padding:8px 12px}"
      ".n{border-bottom:1px dotted #9aa5ae}"
      ".cmpmap{overflow:auto;text-align:center}.cmpmap svg{max-width:100%;height:auto}"
      "#mapbox{overflow:auto;border:1px solid #e1e6eb;border-radius:6px;"
      "background:#fff;text-align:center}#mapbox svg{display:block;margin:0 auto}"
      ".controls{display:flex;flex-wrap:wrap;gap:18px;align-items:center;margin:8px 0}"
      ".controls label{font-weight:600}.seg button{border:1px solid #9aa5ae;background:#fff;"
      "padding:4px 10px;cursor:pointer}.seg button.on{background:#1f5f99;color:#fff}"
      "svg.dim g.node:not(.hl),svg.dim g.edge:not(.hl){opacity:.18}"
      "g.hl path,g.hl polygon{stroke:#c0392b!important;stroke-width:3px}"
      ".fcards{display:grid;grid-template-columns:repeat(auto-fill,minmax(330px,1fr));gap:12px}"
      ".fcard{border:1px solid #e1e6eb;border-left:5px solid #c0392b;border-radius:6px;"
      "padding:10px 12px;cursor:pointer}.fcard:hover,.fcard.sel{background:#fdf3f2}"
      ".fcard h3{margin:0 0 4px;font-size:15px}.cost{display:flex;gap:16px;margin:6px 0}"
      ".cost div b{display:block;font-size:18px}.kind{font-size:12px;text-transform:uppercase;"
      "letter-spacing:.05em;color:#8a3a30}"
      "table{border-collapse:collapse}td,th{padding:4px 8px;border-bottom:1px solid #eef1f3;"
      "text-align:left;vertical-align:middle}th{font-size:13px;color:#5a6772}td.r,th.r{text-align:"
      "right}"
      ".chip{display:inline-block;background:#e8eef4;border-radius:4px;padding:1px 6px;margin:1px;"
      "font-size:12px}.bar{background:#1f5f99;height:10px;display:inline-block}"
      ".heat td{text-align:center;min-width:70px;font-size:13px}"
      ".charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(440px,1fr));gap:10px}"
      "figure.chart{margin:0}figure.chart svg{width:100%;height:auto}"
      ".ct{font-weight:600;font-size:13px}.yl{font-size:11px;text-anchor:end;fill:#5a6772}"
      ".xl{font-size:11px;fill:#5a6772}.unit{font-size:11px;fill:#5a6772;text-anchor:middle}"
      ".grid{stroke:#eef1f3}.axis{stroke:#8a949c}.line{fill:none;stroke:#1f5f99;stroke-width:2}"
      ".pt{fill:#1f5f99}.cens{fill:#f3f0e6}"
      ".box .wh{stroke:#8a949c}.box .bx{fill:#c9dcef;stroke:#1f5f99}.box .md{stroke:#c0392b;"
      "stroke-width:2}"
      ".better{color:#1e7b34;font-weight:600}.worse{color:#b03a2e;font-weight:600}"
      ".changed{color:#1f5f99;font-weight:600}pre.text{white-space:pre-wrap;font:14px/1.45 inherit}"
      "details{margin-top:6px}code{font-size:12px}"
      "#legend span{display:inline-block;margin-right:10px}#legend i{display:inline-block;"
      "width:12px;height:12px;border-radius:3px;margin-right:4px;vertical-align:-1px}";

/* The page's behaviour: map levels and views, friction highlights. */
static const char page_js[]
    = "(function(){'use strict';\n"
      "var D=JSON.parse(document.getElementById('cx-data').textContent);var M=D.map;\n"
      "var cs=document.getElementById('cmpsel');if(cs)cs.addEventListener('change',function(){"
      "document.querySelectorAll('.cmpmap[data-seg]').forEach(function(x){x.hidden="
      "x.getAttribute('data-seg')!==cs.value;});});\n"
      "var box=document.getElementById('mapbox');if(!M||!box)return;\n"
      "var sa=document.getElementById('acts'),sp=document.getElementById('paths');\n"
      "var view='frequency',sel=null;\n"
      "var PAL=['#4e79a7','#f28e2b','#59a14f','#e15759','#76b7b2','#edc948','#b07aa1','#ff9da7',"
      "'#9c755f','#bab0ac'];var chans=[];\n"
      "Object.keys(M.nodes).forEach(function(k){var c=M.nodes[k].channel;if(c!==null&&"
      "chans.indexOf(c)<0)chans.push(c);});chans.sort();\n"
      "function fmtDur(s){if(s===null||s===undefined)return '';var a=Math.abs(s);"
      "if(a<60)return Math.round(s)+' s';if(a<3600)return (s/60).toFixed(s<600?1:0)+' min';"
      "if(a<86400)return (s/3600).toFixed(s<36000?1:0)+' h';return (s/86400).toFixed(s<864000?1:0)"
      "+' d';}\n"
      "function orange(t){var a=[254,232,200],b=[179,0,0];return 'rgb('+a.map(function(x,i){"
      "return Math.round(x+(b[i]-x)*t);}).join(',')+')';}\n"
      "function level(){var i=+sa.value*M.paths_levels.length+(+sp.value);return i;}\n"
      "function show(){var i=level(),L=M.levels[i],src=M.levels[L.svg_of].svg;\n"
      " var doc=new DOMParser().parseFromString(src,'image/svg+xml');var "
      "root=doc.documentElement;\n"
      " if(root.nodeName!=='svg')return;box.replaceChildren(document.importNode(root,true));fit();"
      "\n"
      " document.getElementById('acts-out').textContent=L.activities+' of '+M.activities_total;\n"
      " document.getElementById('paths-out').textContent=Math.round(L.paths_share*100)+'% ('+"
      "L.paths+' paths)';\n"
      " var h=M.activities_total-L.activities;document.getElementById('hidden').textContent=h>0?"
      "'Hidden on this level: '+h+' less common '+(h===1?'activity':'activities')+"
      "'. Move the slider to the right to see more.':'Every activity is shown.';\n"
      " paint();if(sel)mark(sel);}\n"
      "var full=false;function fit(){var svg=box.querySelector('svg');if(!svg)return;"
      "var vb=svg.viewBox.baseVal,w=vb&&vb.width?vb.width:svg.width.baseVal.value,h=vb&&vb.height?"
      "vb.height:svg.height.baseVal.value;var W=box.clientWidth-4,s=full?1.33:Math.min(1.33,W/w,"
      "Math.max(1000,0.9*window.innerHeight)/h);svg.setAttribute('width',Math.round(w*s));"
      "svg.setAttribute('height',Math.round(h*s));document.getElementById('zoom').textContent="
      "full?'Fit to page':'Full size';}\n"
      "document.getElementById('zoom').addEventListener('click',function(){full=!full;fit();});\n"
      "function paint(){var svg=box.querySelector('svg');if(!svg)return;var max=0;\n"
      " svg.querySelectorAll('g.edge').forEach(function(g){var e=M.edges[g.id];if(e&&"
      "e.wait_median_s!==null)max=Math.max(max,e.wait_median_s);});\n"
      " svg.querySelectorAll('g.edge').forEach(function(g){var e=M.edges[g.id];if(!e)return;\n"
      "  var t=g.querySelector('text'),p=g.querySelectorAll('path,polygon');\n"
      "  if(!g.dataset.f){g.dataset.f=t?t.textContent:'';g.dataset.c=p.length?"
      "p[0].getAttribute('stroke'):'';}\n"
      "  if(view==='waits'){var w=e.wait_median_s;if(t)t.textContent=w===null?'':' '+fmtDur(w)+' "
      "';\n"
      "   var c=w===null?'#c8cdd2':orange(max>0?Math.sqrt(w/max):0);p.forEach(function(x){"
      "x.setAttribute('stroke',c);if(x.nodeName==='polygon')x.setAttribute('fill',c);});}\n"
      "  else{if(t)t.textContent=g.dataset.f;p.forEach(function(x){x.setAttribute('stroke',"
      "g.dataset.c);if(x.nodeName==='polygon')x.setAttribute('fill',g.dataset.c);});}});\n"
      " svg.querySelectorAll('g.node').forEach(function(g){var n=M.nodes[g.id];if(!n)return;\n"
      "  var p=g.querySelector('path,polygon');if(!p)return;if(!g.dataset.f)g.dataset.f="
      "p.getAttribute('fill');\n"
      "  if(view==='channels'&&n.channel!==null){p.setAttribute('fill',PAL[chans.indexOf(n.channel)"
      "%PAL.length]);g.querySelectorAll('text').forEach(function(x){x.setAttribute('fill','#fff');}"
      ");}\n"
      "  else{p.setAttribute('fill',g.dataset.f);}});\n"
      " var lg=document.getElementById('legend');lg.replaceChildren();\n"
      " if(view==='channels'){chans.forEach(function(c,i){var s=document.createElement('span'),"
      "b=document.createElement('i');b.style.background=PAL[i%PAL.length];s.appendChild(b);"
      "s.appendChild(document.createTextNode(c));lg.appendChild(s);});}\n"
      " else{lg.textContent=view==='waits'?'Arrows: median waiting time between the two steps "
      "(darker = longer). ':'Boxes: how often each activity happens; arrows: how often one step "
      "directly follows the other (thicker = more). ';}}\n"
      "function mark(card){var svg=box.querySelector('svg');if(!svg)return;\n"
      " svg.querySelectorAll('.hl').forEach(function(x){x.classList.remove('hl');});\n"
      " var ids=(card.getAttribute('data-map')||'').split(' ').filter(Boolean),found=0;\n"
      " ids.forEach(function(id){var g=svg.querySelector('[id=\"'+id+'\"]');if(g){g.classList.add("
      "'hl');found++;}});svg.classList.toggle('dim',found>0);\n"
      " var m=document.getElementById('mapmsg');m.textContent=found>0?'Highlighted on the map: '+"
      "card.querySelector('h3').textContent+'.':(ids.length?'This finding is not on the current "
      "map level: show more activities.':'This finding has no single place on the map.');}\n"
      "document.querySelectorAll('.fcard').forEach(function(c){c.addEventListener('click',"
      "function(){document.querySelectorAll('.fcard.sel').forEach(function(x){x.classList.remove("
      "'sel');});if(sel===c){sel=null;var "
      "svg=box.querySelector('svg');if(svg){svg.classList.remove("
      "'dim');svg.querySelectorAll('.hl').forEach(function(x){x.classList.remove('hl');});}"
      "document.getElementById('mapmsg').textContent='';return;}sel=c;c.classList.add('sel');"
      "mark(c);document.getElementById('map').scrollIntoView({behavior:'smooth'});});});\n"
      "document.querySelectorAll('.seg button').forEach(function(b){b.addEventListener('click',"
      "function(){view=b.getAttribute('data-view');document.querySelectorAll('.seg button')."
      "forEach(function(x){x.classList.toggle('on',x===b);});paint();});});\n"
      "if(!Object.keys(M.edges).some(function(k){return M.edges[k].wait_median_s!==null;})){"
      "var wb=document.querySelector('button[data-view=waits]');wb.disabled=true;wb.title="
      "'this log has no waiting times';}\n"
      "if(!chans.length){var cb=document.querySelector('button[data-view=channels]');cb.disabled="
      "true;cb.title='this log has no channels';}\n"
      "sa.max=M.acts_levels.length-1;sa.value=M.default_acts;sp.max=M.paths_levels.length-1;"
      "sp.value=M.default_paths;\n"
      "sa.addEventListener('input',show);sp.addEventListener('input',show);show();\n"
      "})();\n";

static gboolean write_html(CxReport *r, GString *out, GError **error);

gboolean
cx_report_write_html(CxReport *r, GString *out, GError **error)
{
  /* SVG coordinates and CSS numbers are written with printf: in the C
   * locale's numbers whatever the caller's locale (never "1,5") */
  locale_t c = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
  locale_t old = c != (locale_t)0 ? uselocale(c) : (locale_t)0;
  const CxReadOptions *ro = cx_log_options(r->log);
  CxProgressStep step;
  cx_progress_step_begin(&step, ro->progress, ro->progress_data, "writing the report", 0);
  gboolean ok = write_html(r, out, error);
  cx_progress_step_end(&step);
  if (c != (locale_t)0) {
    uselocale(old);
    freelocale(c);
  }
  return ok;
}

static gboolean
write_html(CxReport *r, GString *out, GError **error)
{
  if (!cx_dot_available(error))
    return FALSE;
  GTimeZone *ltz = cx_log_display_tz(r->log);
  g_autoptr(GTimeZone) tz = ltz != NULL ? g_time_zone_ref(ltz) : g_time_zone_new_utc();
  CxStatsSummary sm;
  cx_stats_summarize(r->stats, &sm);

  /* the data block: the commands' own JSON */
  g_autoptr(GString) data = g_string_new(NULL);
  g_autofree char *svg = NULL;
  guint shown = 0, hidden = 0;
  {
    g_autoptr(CxJson) j = cx_json_new(data, FALSE);
    cx_json_begin_object(j);
    cx_calendar_json(cx_log_options(r->log)->calendar, j);
    cx_json_key(j, "stats");
    cx_stats_to_json(r->stats, j);
    cx_json_key(j, "variants");
    cx_variants_to_json(r->variants, j, 50);
    cx_json_key(j, "dfg");
    cx_dfg_to_json(r->dfg, NULL, j);
    cx_json_key(j, "friction");
    cx_friction_to_json(r->friction, j, 0, FALSE);
    cx_json_key(j, "compare"); /* exactly `cxmine compare --json` */
    if (r->compare != NULL)
      cx_compare_to_json(r->compare, j);
    else if (r->cmp_by != NULL)
      cx_compare_by_to_json(r->cmp_by, j);
    else
      cx_json_null(j);
    if (!cx_html_map_json(r, j, &svg, &shown, &hidden, error))
      return FALSE;
    cx_json_end_object(j);
  }
  g_autoptr(GString) body = g_string_new(NULL);
  cx_html_sec_overview(r, body, tz, &sm);
  cx_html_sec_map(r, body, svg, shown, hidden);
  cx_html_sec_friction(r, body);
  cx_html_sec_variants(r, body);
  cx_html_sec_channels(r, body, &sm);
  cx_html_sec_trends(r, body, tz);
  if (!cx_html_sec_compare(r, body, error))
    return FALSE;

  g_autofree char *hash = NULL;
  {
    g_autoptr(GChecksum) ck = g_checksum_new(G_CHECKSUM_SHA256);
    g_checksum_update(ck, (const guchar *)page_js, strlen(page_js));
    guint8 dig[32];
    gsize dl = sizeof dig;
    g_checksum_get_digest(ck, dig, &dl);
    hash = g_base64_encode(dig, dl);
  }
  g_autofree char *name = cx_log_display_name(r->log);
  const char *title = r->title != NULL ? r->title : name;
  g_string_append(out, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
                       "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\n");
  g_string_append_printf(out,
                         "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
                         "'none'; style-src 'unsafe-inline'; img-src data:; script-src "
                         "'sha256-%s'\">\n<link rel=\"icon\" href=\"data:,\">\n<title>",
                         hash);
  cx_escape_html(out, title);
  g_string_append(out, " — journey report</title>\n<style>");
  g_string_append(out, page_css);
  g_string_append(out, "</style></head><body>\n<header><h1>");
  cx_escape_html(out, title);
  g_string_append(out, "</h1><p>Customer journey report · ");
  cx_html_count(out, sm.cases);
  g_string_append_printf(out, " journeys · times in %s · cxmine %s</p>",
                         cx_log_display_tz_name(r->log), CX_VERSION);
  g_autofree char *hours = cx_calendar_line(cx_log_options(r->log)->calendar);
  if (hours != NULL) {
    g_string_append(out, "<p>");
    cx_escape_html(out, hours);
    g_string_append(out, "</p>");
  }
  g_string_append(out, "</header>\n");
  g_string_append(out, "<nav><a href=\"#overview\">Overview</a><a href=\"#map\">Map</a><a "
                       "href=\"#friction\">Friction</a><a href=\"#variants\">Variants</a><a "
                       "href=\"#channels\">Channels</a><a href=\"#trends\">Trends</a>");
  if (r->compare != NULL || r->cmp_by != NULL)
    g_string_append(out, "<a href=\"#compare\">Comparison</a>");
  g_string_append(out, "</nav>\n<main>\n");
  g_string_append_len(out, body->str, (gssize)body->len);
  g_string_append(out, "</main>\n<script type=\"application/json\" id=\"cx-data\">");
  cx_escape_script_json(out, data->str);
  g_string_append(out, "</script>\n<script>");
  g_string_append(out, page_js);
  g_string_append(out, "</script>\n</body></html>\n");
  return TRUE;
}
