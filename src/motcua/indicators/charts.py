"""Server-rendered inline SVG charts (no JavaScript): bars and a line, with text alternatives."""
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .fmt import no_data, number


def hbar(rows, *, width=640, bar=18, gap=6, label_w=230, max_value=100.0, unit="", title="", places=2):
    """rows: [(label, value or None)] -> horizontal bars; None is "no data" (no bar). Values are written
    with the active language's decimal separator."""
    h = len(rows) * (bar + gap) + 10
    plot = width - label_w - 60
    out = [f'<svg role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {h}" width="100%" '
           f'xmlns="http://www.w3.org/2000/svg" class="chart"><title>{escape(title)}</title>']
    for k, (label, value) in enumerate(rows):
        y = 5 + k * (bar + gap)
        out.append(f'<text x="{label_w - 6}" y="{y + bar - 5}" text-anchor="end" font-size="12">{escape(label)}</text>')
        if value is None:
            out.append(f'<text x="{label_w + 4}" y="{y + bar - 5}" font-size="12" fill="#666">'
                       f'{escape(no_data())}</text>')
            continue
        w = max(0.0, min(1.0, value / max_value)) * plot
        out.append(f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar}" fill="#1f5fa8"/>')
        out.append(f'<text x="{label_w + w + 4:.1f}" y="{y + bar - 5}" font-size="12">'
                   f'{escape(number(value, places))}{unit}</text>')
    out.append("</svg>")
    return mark_safe("".join(out))


def line(points, *, width=640, height=220, title="", series_names=()):
    """points: [(label, [v1, v2, ...])] with values in 0..100 (None = no data) -> one line per series."""
    colors = ["#1f5fa8", "#c0392b", "#27ae60", "#8e44ad"]
    left, bottom, top = 40, 30, 10
    pw, ph = width - left - 10, height - bottom - top
    n = max(1, len(points) - 1)
    out = [f'<svg role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}" width="100%" '
           f'xmlns="http://www.w3.org/2000/svg" class="chart"><title>{escape(title)}</title>']
    for v in (0, 50, 100):
        y = top + ph * (1 - v / 100)
        out.append(f'<line x1="{left}" x2="{width - 10}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>'
                   f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" font-size="11">{v}%</text>')
    for k, (label, month_vals) in enumerate(points):
        x = left + pw * k / n
        out.append(f'<text x="{x:.1f}" y="{height - 10}" text-anchor="middle" font-size="11">{escape(label)}</text>')
        if all(v is None for v in month_vals):   # a month without dossiers: no data, never a point
            out.append(f'<text x="{x:.1f}" y="{top + ph - 4:.1f}" text-anchor="middle" font-size="9" '
                       f'fill="#666" class="no-data">{escape(no_data())}</text>')
    nseries = max((len(v) for _l, v in points), default=0)
    for s in range(nseries):
        segments, run = [], []
        for k, (_l, vals) in enumerate(points):
            if vals[s] is None:     # the line breaks where there is no data
                if run:
                    segments.append(run)
                run = []
            else:
                run.append((left + pw * k / n, top + ph * (1 - vals[s] / 100)))
        if run:
            segments.append(run)
        for coords in segments:
            d = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
            if len(coords) > 1:
                out.append(f'<polyline fill="none" stroke="{colors[s % 4]}" stroke-width="2" points="{d}"/>')
            out.extend(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colors[s % 4]}"/>' for x, y in coords)
    for s, name in enumerate(series_names):
        out.append(f'<rect x="{left + 10 + 150 * s}" y="{top}" width="10" height="10" fill="{colors[s % 4]}"/>'
                   f'<text x="{left + 24 + 150 * s}" y="{top + 9}" font-size="11">{escape(name)}</text>')
    out.append("</svg>")
    return mark_safe("".join(out))


def group_bars(rows, *, width=640, bar=18, gap=6, label_w=230, title=""):
    """rows: [(label, points or None, max points)] -> one bar per group, each scaled to its own maximum
    (as the national portal draws the 6 groups), written "points/max"."""
    h = len(rows) * (bar + gap) + 10
    plot = width - label_w - 90
    out = [f'<svg role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {h}" width="100%" '
           f'xmlns="http://www.w3.org/2000/svg" class="chart"><title>{escape(title)}</title>']
    for k, (label, value, top) in enumerate(rows):
        y = 5 + k * (bar + gap)
        out.append(f'<text x="{label_w - 6}" y="{y + bar - 5}" text-anchor="end" font-size="12">{escape(label)}</text>')
        out.append(f'<rect x="{label_w}" y="{y}" width="{plot}" height="{bar}" fill="#eef2f7"/>')
        if value is None:
            out.append(f'<text x="{label_w + 4}" y="{y + bar - 5}" font-size="12" fill="#666">'
                       f'{escape(no_data())}</text>')
            continue
        w = max(0.0, min(1.0, float(value) / float(top or 1))) * plot
        out.append(f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar}" fill="#1f5fa8"/>')
        out.append(f'<text x="{label_w + plot + 4}" y="{y + bar - 5}" font-size="12">'
                   f'{escape(number(value, 2))}/{escape(number(top, 0))}</text>')
    out.append("</svg>")
    return mark_safe("".join(out))
