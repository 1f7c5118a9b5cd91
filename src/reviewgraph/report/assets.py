"""The report's one stylesheet and one small script, both inline, and the content security
policy that allows exactly them (by their SHA-256 hashes) and nothing else.

The page reads as a plain document without the script: the filter form starts ``hidden`` and
the script shows it.  The script filters the elements marked ``data-f`` by their ``data-review``,
``data-body``, ``data-theme``, ``data-category`` and ``data-status`` (space-separated lists; an
element without one of them is not filtered by it) and by their text, recounts the headline
figures over what is shown, and keeps the filters in the URL fragment
(``#review=kark-2019&status=open``), so a filtered view can be shared.
"""

from __future__ import annotations

import base64
import hashlib

__all__ = ["CSS", "SCRIPT", "content_security_policy"]

CSS = """
:root{--ink:#1b1b1b;--muted:#4a4a4a;--line:#c8c8c8}
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;
max-width:76rem;padding:1rem;color:var(--ink);background:#fff;line-height:1.45}
h1{font-size:1.6rem;margin:.5rem 0 .2rem}h2{margin-top:2.4rem;font-size:1.3rem;
border-bottom:2px solid var(--ink);padding-bottom:.2rem}h3{font-size:1.15rem;margin-top:2rem}
h4{font-size:1rem;margin:1.2rem 0 .4rem}
.sub,.meta{color:var(--muted);margin-top:0}
a{color:#0b4ea2}a:focus-visible,select:focus-visible,input:focus-visible,button:focus-visible{
outline:3px solid #0b4ea2;outline-offset:2px}
code{font-size:.85em;overflow-wrap:anywhere}
nav ul{display:flex;flex-wrap:wrap;gap:.3rem 1.2rem;padding:0;list-style:none}
.figures{display:flex;flex-wrap:wrap;gap:.6rem;padding:0;list-style:none}
.figures li{border:1px solid var(--line);border-radius:6px;padding:.5rem .8rem;min-width:8.5rem}
.figures .n{font-size:1.5rem;font-weight:700;display:block}
form#filters{display:flex;flex-wrap:wrap;gap:.6rem 1rem;align-items:flex-end;
border:1px solid var(--line);border-radius:6px;padding:.7rem;margin:1rem 0}
form#filters[hidden]{display:none}
form label{display:flex;flex-direction:column;font-size:.85rem;font-weight:600}
select,input,button{font:inherit;font-weight:400;padding:.3rem;border:1px solid #6b6b6b;
border-radius:4px;background:#fff;color:var(--ink);max-width:100%}
button{cursor:pointer}#shown{flex-basis:100%;margin:0;color:var(--muted)}
.scroll{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;width:100%;font-size:.88rem}
th,td{border-bottom:1px solid var(--line);padding:.35rem .4rem;text-align:left;
vertical-align:top}
thead th{border-bottom:2px solid var(--ink)}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
article.c{border:1px solid var(--line);border-radius:6px;padding:.6rem .8rem;margin:.7rem 0}
article.c h5{font-size:.98rem;margin:0 0 .3rem}
article.c p{margin:.3rem 0}
dl.kv{display:grid;grid-template-columns:9rem 1fr;gap:.15rem .8rem;margin:.4rem 0;
font-size:.9rem}
dl.kv dt{font-weight:600}dl.kv dd{margin:0}
dl.kv ul,td ul{margin:0;padding-left:1.1rem}
.badge{display:inline-block;border:2px solid;border-radius:4px;padding:0 .35rem;
font-size:.8rem;font-weight:700;white-space:nowrap}
.s-delivered-on-time{color:#1e6b34}.s-delivered-late{color:#5c5c00}.s-open{color:#1f4e9c}
.s-not-followed-through,.s-unanswered{color:#b00020}.s-parked{color:#8a4100}
svg{max-width:100%;height:auto}
svg text{font-size:11px;font-family:system-ui,sans-serif}
svg.tl{display:block;width:100%;max-width:46rem;margin:.3rem 0}
svg.chart{width:100%;max-width:44rem}
.legend{font-size:.85rem;color:var(--muted)}.legend span{margin-right:1rem;white-space:nowrap}
.src{font-size:.85rem}
main li{padding:.2rem 0}
@media (max-width:44rem){
form label,form select,form input{width:100%}
dl.kv{grid-template-columns:1fr}dl.kv dt{margin-top:.3rem}
table.stack,table.stack tbody,table.stack tr,table.stack td{display:block;width:100%}
table.stack thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
table.stack tr{border-bottom:2px solid var(--ink);padding:.3rem 0}
table.stack td{border:0;padding:.15rem 0}
table.stack td::before{content:attr(data-label) ": ";font-weight:600}
}
@media print{
@page{size:A4;margin:14mm 12mm}
body{max-width:none;padding:0;font-size:10pt;color:#000}
form#filters,nav{display:none!important}
[hidden]{display:block!important}form#filters[hidden]{display:none!important}
section.review{break-before:page}
article.c,tr,svg{break-inside:avoid}
h2,h3,h4{break-after:avoid}
thead th{background:none}
.figures li,article.c{border-color:#888}
a{color:#000;text-decoration:underline}
a[href^="http"]::after{content:" <" attr(href) ">";font-size:8pt;overflow-wrap:anywhere}
.scroll{overflow:visible}
}
"""
"""The stylesheet (screen, narrow screens and print: A4, a page per review, URLs printed)."""

SCRIPT = """(function(){"use strict";
var form=document.getElementById("filters");if(!form)return;
var keys=["review","body","theme","category","status"];
var items=[].slice.call(document.querySelectorAll("[data-f]"));
var texts=items.map(function(el){return el.textContent.toLowerCase();});
var groups=[].slice.call(document.querySelectorAll("[data-group]"));
var shown=document.getElementById("shown");
function list(el,k){var v=el.getAttribute("data-"+k);return v===null?null:v.split(" ");}
function state(){var s={};keys.concat(["q"]).forEach(function(k){
s[k]=form.elements[k].value.trim();});return s;}
function apply(push){var s=state(),q=s.q.toLowerCase(),seen={},n=0,total=0;
items.forEach(function(el,i){var ok=true;keys.forEach(function(k){
if(ok&&s[k]){var v=list(el,k);if(v!==null&&v.indexOf(s[k])<0)ok=false;}});
if(ok&&q&&texts[i].indexOf(q)<0)ok=false;el.hidden=!ok;
var c=el.getAttribute("data-count");if(c){var id=c+" "+el.getAttribute("data-id");
if(!(id in seen)){seen[id]=ok;total++;if(ok)n++;}else if(ok){seen[id]=true;}}});
groups.forEach(function(g){g.hidden=g.querySelector("[data-f]:not([hidden])")===null;});
var counts={};Object.keys(seen).forEach(function(id){if(seen[id]){var c=id.split(" ")[0];
counts[c]=(counts[c]||0)+1;}});
[].forEach.call(document.querySelectorAll("#total [data-figure]"),function(li){
var f=li.getAttribute("data-figure"),v=counts[f]||0;
if(f==="promised")v=["delivered-on-time","delivered-late","open","not-followed-through"]
.reduce(function(a,k){return a+(counts[k]||0);},0);
if(f==="delivered")v=(counts["delivered-on-time"]||0)+(counts["delivered-late"]||0);
li.querySelector(".n").textContent=String(v);});
var p=new URLSearchParams();keys.concat(["q"]).forEach(function(k){if(s[k])p.set(k,s[k]);});
var filtered=p.toString()!=="";
shown.textContent=filtered?"Showing "+n+" of "+total+" items that match the filters.":
"Showing everything ("+total+" items).";
if(push){var h=p.toString();try{history.replaceState(null,"",h?"#"+h:location.pathname);}
catch(e){location.hash=h;}}}
function load(){var h=location.hash.slice(1);if(h.indexOf("=")<0)return;
var p=new URLSearchParams(h);keys.concat(["q"]).forEach(function(k){var el=form.elements[k];
var v=p.get(k)||"";if(el.tagName==="SELECT"&&v&&!el.querySelector(
'option[value="'+v.replace(/["\\\\]/g,"")+'"]'))v="";el.value=v;});}
form.addEventListener("input",function(){apply(true);});
form.addEventListener("change",function(){apply(true);});
form.addEventListener("submit",function(e){e.preventDefault();apply(true);});
form.addEventListener("reset",function(){setTimeout(function(){apply(true);},0);});
window.addEventListener("hashchange",function(){load();apply(false);});
form.hidden=false;load();apply(false);})();"""
"""The page's only script: the filters and the search box."""


def _hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def content_security_policy() -> str:
    """The page's policy: nothing from anywhere, but its own style and script by hash.

    Examples
    --------
    >>> policy = content_security_policy()
    >>> policy.startswith("default-src 'none'; script-src 'sha256-")
    True
    >>> "unsafe-inline" in policy
    False
    """
    return (
        f"default-src 'none'; script-src {_hash(SCRIPT)}; style-src {_hash(CSS)}; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )
