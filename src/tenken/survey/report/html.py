"""The self-contained HTML report: one file, inline CSS and SVG, no script, nothing fetched.

A Content-Security-Policy meta tag forbids every network request, so the page behaves the same
on a closed network. Every value from answers or data files is escaped.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from html import escape

from tenken.survey.aggregate import OVERALL, CrossTab, ItemTally
from tenken.survey.report.model import NOT_SUBMITTED, OrgRow, ReportData
from tenken.survey.report.style import CSS
from tenken.survey.report.svg import LEVEL_COLOURS, BarRow, Segment, grouped_bars, percent
from tenken.survey.report.svg import stacked_bar as svg_stacked
from tenken.survey.risk import LEVELS

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
_ORDER = (*LEVELS, NOT_SUBMITTED)
_NOT_COUNTED = "列の項目が回答対象外、または無回答・選択肢にない値"


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _badge(level: str) -> str:
    return f'<span class="badge lv-{_e(level)}">{_e(level)}</span>'


def render_html(data: ReportData) -> str:
    """The whole report as one HTML document."""
    q = data.questionnaire
    body = "".join(
        (
            _header(data),
            _summary(data),
            _rules(data),
            _prefectures(data),
            _items(data),
            _crosstabs(data),
            _texts(data),
            _seidos(data),
            _org_lists(data),
        )
    )
    return (
        '<!DOCTYPE html>\n<html lang="ja"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(q.title)} 集計・リスク判定</title><style>{CSS}</style></head>"
        f"<body><main>{body}</main><footer>tenken（点検）で作成 · {_e(data.generated_at)}"
        "</footer></body></html>\n"
    )


def _seidos(data: ReportData) -> str:
    """One section per 制度 (a round with several): its own summary, tallies and cross-tabs;
    the figures above are the whole round (the sum of these)."""
    if not data.by_seido:
        return ""
    parts = "".join(
        f'<section class="seido" id="seido-{i}"><h2>制度別: {_e(name)}</h2>'
        + _scoped(_summary(part) + _items(part) + _crosstabs(part), f"seido-{i}-")
        + "</section>"
        for i, (name, part) in enumerate(data.by_seido, start=1)
    )
    names = "、".join(_e(name) for name, _part in data.by_seido)
    note = f'<p class="meta">この調査回の制度: {names}。ここまでの数値は全制度の合計です。</p>'
    return note + parts


def _scoped(html: str, prefix: str) -> str:
    """A 制度's sections inside the page: ids and in-page links prefixed (ids stay unique), its
    headings one level down."""
    html = html.replace(' id="', f' id="{prefix}').replace('href="#', f'href="#{prefix}')
    for level in (3, 2):
        html = html.replace(f"<h{level}", f"<h{level + 1}").replace(
            f"</h{level}>", f"</h{level + 1}>"
        )
    return html


def _header(data: ReportData) -> str:
    q, meta = data.questionnaire, data.questionnaire.meta
    rules = data.rules
    return (
        f'<header><p class="kicker">{_e(meta.get("system", ""))} · '
        f"{_e(meta.get('request_number', ''))}</p>"
        f"<h1>{_e(q.title)}<small>集計とリスク判定</small></h1>"
        f'<p class="meta">調査票 {_e(q.id)}（{_e(q.version)}）· 作成 {_e(data.generated_at)}</p>'
        f'<aside class="note" id="note"><strong>回答の扱い</strong><p>{_e(rules.note)}</p>'
        + (
            f"<blockquote>{_e(rules.note_quote)}<cite>デジタル庁 事務連絡</cite></blockquote>"
            if rules.note_quote
            else ""
        )
        + "</aside></header>"
    )


def _card(label: str, value: str, extra: str = "", cls: str = "") -> str:
    return (
        f'<div class="card {cls}"><div class="card-label">{_e(label)}</div>'
        f'<div class="card-value">{value}</div><div class="card-extra">{extra}</div></div>'
    )


def _summary(data: ReportData) -> str:
    counts = data.level_counts()
    overall = counts[OVERALL]
    in_roster = sum(1 for o in data.orgs if o.in_roster)
    submitted = len(data.submitted)
    cards = [
        _card("対象団体", f"{in_roster:,}", "名簿（都道府県・市区町村）"),
        _card("回答", f"{submitted:,}", _e(percent(submitted / in_roster) if in_roster else "")),
        *(
            _card(f"リスク {level}", f"{overall[level]:,}", "団体", f"lv-card lv-{level}")
            for level in LEVELS
        ),
        _card(NOT_SUBMITTED, f"{overall[NOT_SUBMITTED]:,}", "団体", "lv-card lv-未提出"),
        _card("不備あり", f"{len(data.flagged):,}", "情報未入力・未回答・形式の誤り"),
    ]
    bars = "".join(
        f'<div class="bar-row"><span class="bar-label">{_e(group)}</span>'
        + svg_stacked([Segment(lv, counts[group][lv], LEVEL_COLOURS[lv]) for lv in _ORDER])
        + "</div>"
        for group in data.groups
    )
    levels = "".join(
        f"<li>{_badge(level)} {_e(text)}</li>" for level, text in data.rules.levels.items()
    )
    extra = ""
    if data.duplicates:
        names = _e("、".join(data.duplicates))
        extra = f'<p class="warn">複数回提出された団体（最後の回答を使用）: {names}</p>'
    return (
        '<section id="summary"><h2>概要</h2>'
        f'<div class="cards">{"".join(cards)}</div>'
        f'<h3>リスク判定の分布</h3><div class="stack">{bars}</div>'
        f'<ul class="levels">{levels}</ul>{extra}</section>'
    )


def _rules(data: ReportData) -> str:
    counts = data.rule_counts()
    submitted = len(data.submitted) or 1
    rows = "".join(
        f'<tr><td class="rid">{_e(r.id)}</td><td>{_badge(r.level)}</td>'
        f'<td><strong>{_e(r.title)}</strong><div class="rationale">{_e(r.rationale)}</div>'
        f"<blockquote>{_e(r.quote)}</blockquote>"
        f'<code class="cond">{_e(r.trigger)}</code></td>'
        f'<td class="num">{counts[r.id]:,}<div class="meter"><span style="width:'
        f'{100 * counts[r.id] / submitted:.1f}%"></span></div></td></tr>'
        for r in data.rules.rules
    )
    return (
        '<section id="rules"><h2>リスク判定ルールと該当団体数</h2>'
        '<table class="rules"><thead><tr><th>ID</th><th>水準</th><th>内容・根拠</th>'
        f"<th>該当団体</th></tr></thead><tbody>{rows}</tbody></table></section>"
    )


def _prefectures(data: ReportData) -> str:
    by_pref: dict[str, Counter[str]] = defaultdict(Counter)
    for o in data.orgs:
        if o.in_roster:
            by_pref[o.prefecture][o.level] += 1
    rows = "".join(
        f"<tr><th>{_e(pref)}</th>"
        + "".join(f'<td class="num">{c[lv]}</td>' for lv in _ORDER)
        + "<td>"
        + svg_stacked([Segment(lv, c[lv], LEVEL_COLOURS[lv]) for lv in _ORDER], height=14)
        + "</td></tr>"
        for pref, c in by_pref.items()
    )
    head = "".join(f"<th>{_badge(lv)}</th>" for lv in _ORDER)
    return (
        '<section id="prefectures"><details><summary><h2>都道府県別の判定</h2></summary>'
        f'<table class="pref"><thead><tr><th>都道府県</th>{head}<th></th></tr></thead>'
        f"<tbody>{rows}</tbody></table></details></section>"
    )


def _item(tally: ItemTally, groups: tuple[str, ...]) -> str:
    shown = [g for g in groups if tally.groups[g].applicable or g == OVERALL]
    rows = [
        BarRow(
            f"{code} {label}",
            tuple(tally.groups[g].share(code) for g in shown),
            tuple(tally.groups[g].counts[code] for g in shown),
        )
        for code, label in zip(tally.codes, tally.labels, strict=True)
    ]
    table_rows = "".join(
        f'<tr><td class="code">{_e(code)}</td><td>{_e(label)}</td>'
        + "".join(
            f'<td class="num">{tally.groups[g].counts[code]:,}</td>'
            f'<td class="num share">{percent(tally.groups[g].share(code))}</td>'
            for g in shown
        )
        + "</tr>"
        for code, label in zip(tally.codes, tally.labels, strict=True)
    )
    base = "".join(
        f'<td class="num" colspan="2">{tally.groups[g].answered:,}'
        f"（無回答 {tally.groups[g].no_answer:,}）</td>"
        for g in shown
    )
    head = "".join(f'<th colspan="2">{_e(g)}</th>' for g in shown)
    multi = (
        '<p class="hint">複数選択: 選択肢ごとに、回答した団体に占める割合'
        "（合計は100%を超えることがあります）</p>"
        if tally.kind == "select_multiple"
        else ""
    )
    return (
        f'<article class="item" id="item-{_e(tally.item)}">'
        f'<h3><span class="qno">{_e(tally.item)}</span>'
        f"{_e(tally.text)}</h3>{multi}{grouped_bars(rows, shown)}"
        f'<table class="tally"><thead><tr><th></th><th>選択肢</th>{head}</tr></thead>'
        f"<tbody>{table_rows}</tbody><tfoot><tr><td></td><td>回答数</td>{base}</tr></tfoot></table>"
        "</article>"
    )


def _items(data: ReportData) -> str:
    articles = "".join(_item(t, data.groups) for t in data.tallies)
    return (
        '<section id="items"><h2>項目別の集計</h2><p class="hint">'
        "回答対象（組織区分と前の回答による）で、選択肢にある回答だけを数えています。回答不要の項目への記入は数えません。</p>"
        f"{articles}</section>"
    )


def _crosstab(tab: CrossTab) -> str:
    head = "".join(f"<th>{_e(c)}</th>" for c in tab.col_codes)
    rows = []
    for r in tab.row_codes:
        total = tab.row_totals[r]
        cells = "".join(_heat_cell(tab.cell(r, c), total) for c in tab.col_codes) + _heat_cell(
            tab.col_missing[r], total, muted=True
        )
        rows.append(f'<tr><th>{_e(r)}</th>{cells}<td class="num total">{total:,}</td></tr>')
    return (
        f'<figure class="crosstab"><figcaption>項番{_e(tab.row)}（行）× 項番{_e(tab.col)}（列）'
        f"</figcaption><table><thead><tr><th></th>{head}<th title='{_NOT_COUNTED}'>対象外等</th>"
        "<th>計</th></tr>"
        f"</thead><tbody>{''.join(rows)}</tbody></table></figure>"
    )


def _heat_cell(count: int, total: int, *, muted: bool = False) -> str:
    alpha = count / total if total else 0.0
    colour = "120,130,140" if muted else "47,95,152"
    ink = "#fff" if alpha > 0.55 else "#222"
    return (
        f'<td class="num heat" style="background:rgba({colour},{alpha:.2f});color:{ink}">'
        f"{count:,}</td>"
    )


def _texts(data: ReportData) -> str:
    if not data.texts:
        return ""
    lists = "".join(
        f'<details class="texts" id="text-{_e(t.item)}"><summary><span class="qno">'
        f"{_e(t.item)}</span>{_e(t.text)}（{len(t.entries):,} 件）</summary>"
        '<table class="orgs"><thead><tr><th>組織名</th><th>回答</th></tr></thead><tbody>'
        + "".join(f"<tr><td>{_e(org)}</td><td>{_e(value)}</td></tr>" for org, value in t.entries)
        + "</tbody></table></details>"
        for t in data.texts
    )
    return f'<section id="texts"><h2>記述・数値の回答</h2>{lists}</section>'


def _crosstabs(data: ReportData) -> str:
    if not data.crosstabs:
        return ""
    tabs = "".join(_crosstab(t) for t in data.crosstabs)
    return (
        '<section id="crosstabs"><h2>クロス集計</h2><p class="hint">行の項目に回答した団体を、'
        "列の項目の回答で分けています（色の濃さは行の中の割合）。</p>"
        f'<div class="tabs">{tabs}</div></section>'
    )


def _org_table(orgs: tuple[OrgRow, ...], rule_titles: dict[str, str]) -> str:
    rows = "".join(
        f"<tr><td>{_badge(o.level)}</td><td>{_e(o.org_name)}</td><td>{_e(o.kind)}</td>"
        f"<td>{_flags(o)}</td><td>"
        + " ".join(
            f'<span class="rule" title="{_e(rule_titles.get(r, ""))}">{_e(r)} '
            f"{_e(rule_titles.get(r, ''))}</span>"
            for r in o.rules
        )
        + "</td></tr>"
        for o in orgs
    )
    return (
        '<table class="orgs"><thead><tr><th>判定</th><th>組織名</th><th>組織区分</th>'
        f"<th>不備</th><th>該当ルール</th></tr></thead><tbody>{rows}</tbody></table>"
    )


def _flags(o: OrgRow) -> str:
    marks = []
    if o.missing_info:
        marks.append("情報未入力あり")
    if o.unanswered:
        marks.append("未回答あり")
    if o.problems and not marks:
        marks.append(f"不備 {o.problems} 件")
    if not o.in_roster:
        marks.append("名簿外")
    return "".join(f'<span class="flag">{_e(m)}</span>' for m in marks)


def _org_lists(data: ReportData) -> str:
    titles = {r.id: r.title for r in data.rules.rules}
    high = tuple(o for o in data.orgs if o.level == "高")
    mid = tuple(o for o in data.orgs if o.level == "中")
    missing = data.not_submitted
    missing_list = "、".join(_e(o.org_name) for o in missing)
    return (
        '<section id="orgs"><h2>団体別の判定</h2>'
        f'<h3 id="orgs-high">{_badge("高")} '
        f"個別データの点検が必要と考えられる団体（{len(high):,}）</h3>"
        f"{_org_table(high, titles)}"
        f'<details id="orgs-mid"><summary>{_badge("中")} '
        f"手順の確認が必要な団体（{len(mid):,}）</summary>"
        f"{_org_table(mid, titles)}</details>"
        f'<details id="orgs-flagged"><summary>不備のある回答（{len(data.flagged):,}）</summary>'
        f"{_org_table(data.flagged, titles)}</details>"
        f'<details id="orgs-missing"><summary>未提出の団体（{len(missing):,}）</summary>'
        f'<p class="names">{missing_list}</p></details></section>'
    )
