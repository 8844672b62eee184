"""Inline SVG charts drawn by hand (no scripts, no fonts, no external resources).

Every text is escaped; sizes are in CSS pixels and the charts scale with ``viewBox``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

LEVEL_COLOURS = {"高": "#c8372d", "中": "#e8912d", "低": "#3a9a6a", "未提出": "#a3a9b0"}
GROUP_COLOURS = ("#2f5f98", "#6f9fd8", "#a9c8ec", "#c9c9c9")
_FONT = 'font-family="inherit"'


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def percent(value: float) -> str:
    return f"{value * 100:.1f}%"


@dataclass(frozen=True)
class Segment:
    label: str
    value: int
    colour: str


def stacked_bar(segments: Sequence[Segment], *, width: int = 640, height: int = 34) -> str:
    """One horizontal bar split into segments, labelled inside when there is room."""
    total = sum(s.value for s in segments)
    title = "、".join(f"{s.label} {s.value}" for s in segments)
    parts = [
        f'<svg class="chart stacked" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" aria-label="{_e(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{_e(title)}</title>",
    ]
    x = 0.0
    for s in segments:
        w = width * s.value / total if total else 0.0
        if w <= 0:
            continue
        parts.append(
            f'<rect x="{x:.1f}" y="0" width="{w:.1f}" height="{height}" fill="{s.colour}">'
            f"<title>{_e(s.label)}: {s.value}</title></rect>"
        )
        if w > 46:
            parts.append(
                f'<text x="{x + w / 2:.1f}" y="{height / 2 + 5:.1f}" text-anchor="middle" '
                f'fill="#fff" font-size="13" {_FONT}>{_e(s.label)} {s.value}</text>'
            )
        x += w
    parts.append("</svg>")
    return "".join(parts)


@dataclass(frozen=True)
class BarRow:
    """One category: a label and, per series, a share and the count behind it."""

    label: str
    shares: tuple[float, ...]
    counts: tuple[int, ...]


def grouped_bars(
    rows: Sequence[BarRow], series: Sequence[str], *, width: int = 760, label_width: int = 250
) -> str:
    """Horizontal bars: one block per category, one thin bar per series (share 0–100 %)."""
    bar_h, gap, pad = 16, 3, 14
    block = len(series) * (bar_h + gap) + pad
    legend_h = 22
    height = legend_h + len(rows) * block + 4
    plot_w = width - label_width - 70
    parts = [
        f'<svg class="chart bars" viewBox="0 0 {width} {height}" width="{width}" role="img" '
        f'aria-label="{_e("・".join(r.label for r in rows))}" '
        'xmlns="http://www.w3.org/2000/svg">'
    ]
    for i, name in enumerate(series):
        lx = label_width + i * 110
        colour = GROUP_COLOURS[i % len(GROUP_COLOURS)]
        parts.append(
            f'<rect x="{lx}" y="4" width="12" height="12" fill="{colour}"/>'
            f'<text x="{lx + 16}" y="14" font-size="13" fill="#444" {_FONT}>{_e(name)}</text>'
        )
    for r, row in enumerate(rows):
        top = legend_h + r * block
        parts.append(
            f'<text x="{label_width - 8}" y="{top + block / 2:.1f}" text-anchor="end" '
            f'font-size="14" fill="#222" {_FONT}>{_e(_clip(row.label, 18))}'
            f"<title>{_e(row.label)}</title></text>"
        )
        for i, (value, count) in enumerate(zip(row.shares, row.counts, strict=True)):
            y = top + i * (bar_h + gap)
            w = max(plot_w * value, 0.0)
            colour = GROUP_COLOURS[i % len(GROUP_COLOURS)]
            parts.append(
                f'<rect x="{label_width}" y="{y}" width="{plot_w}" height="{bar_h}" '
                'fill="#f1f3f6"/>'
                f'<rect class="bar" x="{label_width}" y="{y}" width="{w:.1f}" height="{bar_h}" '
                f'fill="{colour}" rx="2"><title>{_e(series[i])}: {count}（{percent(value)}）'
                f"</title></rect>"
                f'<text x="{label_width + plot_w + 6}" y="{y + bar_h - 3}" font-size="13" '
                f'fill="#333" {_FONT}>{percent(value)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def _clip(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"
