"""The HTML report's stylesheet (inline; system fonts only, nothing is fetched)."""

CSS = """
:root{--ink:#1f2933;--muted:#5f6b7a;--line:#e3e7ec;--bg:#f6f7f9;--accent:#2f5f98;
--hi:#c8372d;--mid:#e8912d;--lo:#3a9a6a;--na:#a3a9b0}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);line-height:1.6;
font-family:"Noto Sans CJK JP","Noto Sans JP","Hiragino Sans","Yu Gothic UI","Meiryo",sans-serif}
main{max-width:1080px;margin:0 auto;padding:24px 20px 40px}
header{background:linear-gradient(135deg,#23486f,#2f5f98);color:#fff;border-radius:14px;
padding:24px 28px;margin-bottom:24px;box-shadow:0 6px 20px rgba(35,72,111,.25)}
header h1{margin:.2em 0;font-size:1.7rem;font-weight:700}
header h1 small{display:block;font-size:1rem;font-weight:400;opacity:.85}
.kicker{margin:0;font-size:.85rem;opacity:.8}.meta{margin:.2em 0 1em;font-size:.85rem;opacity:.8}
.note{background:rgba(255,255,255,.12);border-radius:10px;padding:12px 16px}
.note p{margin:.3em 0}.note blockquote{border-left-color:rgba(255,255,255,.6);color:#eef3f9}
section{background:#fff;border-radius:12px;padding:20px 24px;margin-bottom:20px;
box-shadow:0 1px 3px rgba(31,41,51,.08)}
h2{font-size:1.3rem;margin:0 0 .6em;border-left:5px solid var(--accent);padding-left:10px;
display:inline-block}
h3{font-size:1.05rem;margin:1.2em 0 .5em}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(125px,1fr));gap:10px}
.card{border:1px solid var(--line);border-radius:10px;padding:10px 14px;background:#fbfcfd}
.card-label{font-size:.8rem;color:var(--muted)}.card-value{font-size:1.8rem;font-weight:700}
.card-extra{font-size:.75rem;color:var(--muted)}
.lv-card.lv-高{border-top:4px solid var(--hi)}.lv-card.lv-中{border-top:4px solid var(--mid)}
.lv-card.lv-低{border-top:4px solid var(--lo)}.lv-card.lv-未提出{border-top:4px solid var(--na)}
.stack .bar-row{display:grid;grid-template-columns:90px 1fr;align-items:center;gap:8px;margin:6px 0}
.bar-label{font-size:.9rem;color:var(--muted);text-align:right}
.chart{display:block;max-width:100%;height:auto}.chart.stacked rect{shape-rendering:crispEdges}
.badge{display:inline-block;min-width:2.6em;text-align:center;border-radius:999px;padding:0 .6em;
font-size:.8rem;font-weight:700;color:#fff;background:var(--na)}
.badge.lv-高{background:var(--hi)}.badge.lv-中{background:var(--mid)}.badge.lv-低{background:var(--lo)}
.levels{list-style:none;padding:0;margin:.8em 0 0;font-size:.9rem;color:var(--muted)}
.levels li{margin:.3em 0}
table{border-collapse:collapse;width:100%;font-size:.9rem}
td{white-space:normal}.orgs td:nth-child(3){white-space:nowrap}
th,td{border-bottom:1px solid var(--line);padding:6px 8px;text-align:left;vertical-align:top}
thead th{background:#f0f3f7;font-weight:600;font-size:.85rem}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.share{color:var(--muted)}
.rules .rid{font-weight:700;color:var(--accent)}
.rationale{margin:.2em 0}
blockquote{margin:.4em 0;padding:.2em .8em;border-left:3px solid #c9d3de;color:#4a5563;
font-size:.85rem}
blockquote cite{display:block;font-style:normal;font-size:.75rem;opacity:.8}
code.cond{font-size:.75rem;color:#6b7683;background:#f3f5f8;border-radius:4px;padding:1px 5px}
.meter{height:6px;background:#eef1f5;border-radius:3px;margin-top:4px;min-width:80px}
.meter span{display:block;height:6px;background:var(--accent);border-radius:3px}
.item{border-top:1px solid var(--line);padding-top:12px;margin-top:12px}
.item h3{display:flex;gap:10px;align-items:baseline;font-weight:600;font-size:.98rem}
.qno{flex:none;background:var(--accent);color:#fff;border-radius:6px;padding:0 8px;font-size:.9rem}
.tally{margin-top:8px}.tally td.code{width:2em;font-weight:700}
.hint{color:var(--muted);font-size:.85rem;margin:.2em 0 .6em}
.tabs{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:16px}
.crosstab{margin:0}.crosstab figcaption{font-weight:600;margin-bottom:6px}
.crosstab td.total{font-weight:700}
details{margin:.8em 0}details>summary{cursor:pointer;font-weight:600;padding:4px 0}
details>summary h2{margin:0}
.flag,.rule{display:inline-block;font-size:.75rem;border-radius:4px;padding:0 6px;
margin:1px 3px 1px 0}
.flag{background:#fdecea;color:#9b2c22}.rule{background:#eef3fa;color:#23486f}
.names{font-size:.85rem;color:var(--muted)}
.warn{color:#9b2c22}
.pref th{white-space:nowrap}.pref td:last-child{width:40%}
footer{text-align:center;color:var(--muted);font-size:.8rem;padding:12px}
@media print{body{background:#fff}section,header{box-shadow:none}}
"""
