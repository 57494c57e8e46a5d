"""The on-time trend as an inline SVG (no script, no style attribute: the page's CSP allows neither): one line
of the plan's on-time rate per quarter, on a 0-100 % scale."""

from __future__ import annotations

from markupsafe import Markup, escape

from reports.labels import number

WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 640, 220, 44, 28, 12


def trend_svg(points: list[tuple[str, float | None]], *, title: str) -> Markup:
    plot_w, plot_h = WIDTH - LEFT - 12, HEIGHT - BOTTOM - TOP
    step = plot_w / max(1, len(points) - 1) if len(points) > 1 else 0
    parts = [
        f'<svg class="trend" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]
    for pct in (0, 50, 100):
        y = TOP + plot_h * (1 - pct / 100)
        parts.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - 12}" y2="{y:.1f}" stroke="#ccc" stroke-width="1"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11">{pct}%</text>')
    coordinates = []
    for index, (label, rate) in enumerate(points):
        x = LEFT + (step * index if len(points) > 1 else plot_w / 2)
        parts.append(f'<text x="{x:.1f}" y="{HEIGHT - 8}" text-anchor="middle" font-size="11">{escape(label)}</text>')
        if rate is None:
            continue
        y = TOP + plot_h * (1 - rate / 100)
        coordinates.append(f"{x:.1f},{y:.1f}")
        tip = f"{escape(label)}: {number(rate)}%"
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="#1f5f99"><title>{tip}</title></circle>')
    if len(coordinates) > 1:
        parts.append(f'<polyline points="{" ".join(coordinates)}" fill="none" stroke="#1f5f99" stroke-width="2"/>')
    parts.append("</svg>")
    return Markup("".join(parts))
