"""Small inline-SVG charts for the self-contained report (no plotting library, no network)."""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

import numpy as np

COLOURS = ("#1f6fb2", "#d9480f", "#2b8a3e", "#7048e8")


@dataclass
class Series:
    """A line (x, y in data units) with an optional marker style ``dots`` for event points."""

    label: str
    x: np.ndarray
    y: np.ndarray
    colour: str = COLOURS[0]
    dots: bool = False


@dataclass
class Plot:
    title: str
    x_label: str
    y_label: str
    series: list[Series] = field(default_factory=list)
    band: tuple[float, float] | None = None  # healthy range, shaded
    spans: list[tuple[float, float, str]] = field(default_factory=list)  # shaded x-intervals (e.g. the turn)


def _ticks(lo: float, hi: float, n: int = 5) -> list[float]:
    if hi <= lo:
        return [lo]
    raw = (hi - lo) / n
    step = 10 ** np.floor(np.log10(raw))
    step *= min((m for m in (1, 2, 2.5, 5, 10) if m * step >= raw), default=10)
    return [round(float(t), 10) + 0.0 for t in np.arange(np.ceil(lo / step) * step, hi + 1e-9, step)]


def line_plot(plot: Plot, width: int = 640, height: int = 220, css_id: str = "") -> str:
    """An SVG line chart with axes, ticks, legend, an optional healthy band and shaded spans."""
    left, right, top, bottom = 56, 12, 28, 38
    xs = [s.x for s in plot.series if len(s.x)]
    ys = [s.y[np.isfinite(s.y)] for s in plot.series if len(s.y)]
    if not xs or not any(len(y) for y in ys):
        return f'<p class="empty" id="{css_id}">{escape(plot.title)}: nothing to plot for this walk.</p>'
    x0, x1 = min(float(x.min()) for x in xs), max(float(x.max()) for x in xs)
    y_values = np.concatenate([y for y in ys if len(y)] + ([np.array(plot.band)] if plot.band else []))
    y0, y1 = float(y_values.min()), float(y_values.max())
    pad = (y1 - y0) * 0.08 or 0.5
    y0, y1 = y0 - pad, y1 + pad
    x1 = x1 if x1 > x0 else x0 + 1

    def px(x: float) -> float:
        return left + (x - x0) / (x1 - x0) * (width - left - right)

    def py(y: float) -> float:
        return height - bottom - (y - y0) / (y1 - y0) * (height - top - bottom)

    out = [f'<svg class="plot" id="{css_id}" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(plot.title)}">',
           f'<text x="{left}" y="16" class="title">{escape(plot.title)}</text>']  # fmt: skip
    for a, b, label in plot.spans:
        out.append(f'<rect x="{px(a):.1f}" y="{top}" width="{max(px(b) - px(a), 1):.1f}" height="{height - top - bottom}" '
                   f'class="span"><title>{escape(label)}</title></rect>')  # fmt: skip
    if plot.band:
        out.append(f'<rect x="{left}" y="{py(plot.band[1]):.1f}" width="{width - left - right}" '
                   f'height="{py(plot.band[0]) - py(plot.band[1]):.1f}" class="band"><title>healthy range</title></rect>')  # fmt: skip
    for t in _ticks(y0, y1):
        out.append(f'<line x1="{left}" x2="{width - right}" y1="{py(t):.1f}" y2="{py(t):.1f}" class="grid"/>'
                   f'<text x="{left - 6}" y="{py(t) + 4:.1f}" class="tick" text-anchor="end">{t + 0.0:g}</text>')  # fmt: skip
    for t in _ticks(x0, x1, 8):
        out.append(f'<text x="{px(t):.1f}" y="{height - bottom + 16}" class="tick" text-anchor="middle">{t:g}</text>')
    out.append(f'<text x="{(left + width - right) / 2}" y="{height - 4}" class="axis" text-anchor="middle">{escape(plot.x_label)}</text>'
               f'<text x="12" y="{(top + height - bottom) / 2}" class="axis" text-anchor="middle" '
               f'transform="rotate(-90 12 {(top + height - bottom) / 2})">{escape(plot.y_label)}</text>')  # fmt: skip
    legend = 0
    for s in plot.series:
        ok = np.isfinite(s.y)
        if s.dots:
            out += [f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="3" fill="{s.colour}"/>' for x, y in zip(s.x[ok], s.y[ok])]
        else:
            points = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in zip(s.x[ok], s.y[ok]))
            out.append(f'<polyline points="{points}" fill="none" stroke="{s.colour}" stroke-width="1.6"/>')
        if s.dots:
            continue
        lx = left + 8 + legend * 150
        legend += 1
        out.append(f'<rect x="{lx}" y="{top - 2}" width="10" height="10" fill="{s.colour}"/>'
                   f'<text x="{lx + 14}" y="{top + 7}" class="legend">{escape(s.label)}</text>')  # fmt: skip
    out.append("</svg>")
    return "".join(out)


def bar_chart(values: dict[str, float], highlight: str | None, width: int = 360, height: int = 170) -> str:
    """Vertical bars for class probabilities (0-1), the chosen class highlighted."""
    left, bottom, top = 30, 26, 12
    n = max(len(values), 1)
    slot = (width - left - 8) / n
    out = [f'<svg class="plot" id="probabilities" viewBox="0 0 {width} {height}" role="img" aria-label="score probabilities">']
    for i, (label, v) in enumerate(values.items()):
        h = (height - top - bottom) * max(min(v, 1.0), 0.0)
        x = left + i * slot + slot * 0.15
        cls = "bar chosen" if label == highlight else "bar"
        out.append(f'<rect x="{x:.1f}" y="{height - bottom - h:.1f}" width="{slot * 0.7:.1f}" height="{h:.1f}" class="{cls}">'
                   f'<title>score {escape(label)}: {v:.1%}</title></rect>'
                   f'<text x="{x + slot * 0.35:.1f}" y="{height - bottom - h - 4:.1f}" class="tick" text-anchor="middle">{v:.0%}</text>'
                   f'<text x="{x + slot * 0.35:.1f}" y="{height - 8}" class="axis" text-anchor="middle">{escape(label)}</text>')  # fmt: skip
    out.append("</svg>")
    return "".join(out)
