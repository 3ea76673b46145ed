"""Small server-side SVG charts. Each is drawn beside a data table with the same figures,
so the chart is a picture of the table, never the only place a figure is."""

import html

from django.utils.formats import number_format
from django.utils.safestring import mark_safe


def escape(text) -> str:
    """Django's escape without its lazy-string wrapper (the same characters escaped: it is
    html.escape too); called for every cell."""
    return html.escape(str(text))


WIDTH, BAR_HEIGHT, GAP, LABEL = 560, 22, 8, 220
COLOUR = "#0b3d6b"
FONT = 13
# Labels end 8 px before the bars; at 13 px a character is at most ~0.62 em wide in the
# page's sans-serif, so this many fit without running into a bar or a value.
LABEL_CHARS = int((LABEL - 8) / (0.62 * FONT))


def _label(text: str) -> str:
    text = str(text)
    return escape(text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "…")


def _value(value) -> str:
    return number_format(value, 1) if isinstance(value, float) else escape(value)


def bar_chart_svg(points: list[tuple[str, int | float | str]], *, title: str) -> str:
    """Horizontal bars; a figure that is a string (a suppression mark) gets no bar."""
    numbers = [v for _label, v in points if isinstance(v, int | float)]
    top = max(numbers, default=0) or 1
    height = len(points) * (BAR_HEIGHT + GAP) + GAP
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>"
    ]
    for index, (label, value) in enumerate(points):
        y = GAP + index * (BAR_HEIGHT + GAP)
        # Right-aligned against the bars, so a long label never runs into its value.
        parts.append(
            f'<text x="{LABEL - 8}" y="{y + 16}" font-size="{FONT}" text-anchor="end" '
            f'fill="#1b1b1b"><title>{escape(label)}</title>{_label(label)}</text>'
        )
        if isinstance(value, int | float):
            length = int((WIDTH - LABEL - 60) * value / top)
            parts.append(
                f'<rect x="{LABEL}" y="{y}" width="{length}" height="{BAR_HEIGHT}" '
                f'fill="{COLOUR}"/>'
            )
            x = LABEL + length + 6
        else:
            x = LABEL  # a suppressed figure gets no bar, only its mark
        parts.append(
            f'<text x="{x}" y="{y + 16}" font-size="13" fill="#1b1b1b">{_value(value)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (built from escaped parts)


def line_chart_svg(points: list[tuple[str, int | str]], *, title: str) -> str:
    width, height, pad = WIDTH, 200, 36
    numbers = [v for _label, v in points if isinstance(v, int)]
    top = max(numbers, default=0) or 1
    step = (width - 2 * pad) / max(1, len(points) - 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>"
        f'<line x1="{pad}" y1="{height - pad}" x2="{width - pad}" y2="{height - pad}" '
        f'stroke="#6b6b6b"/>'
    ]
    coords = []
    for index, (label, value) in enumerate(points):
        x = pad + index * step
        parts.append(
            f'<text x="{x}" y="{height - 12}" font-size="12" text-anchor="middle" '
            f'fill="#1b1b1b">{escape(label)}</text>'
        )
        if isinstance(value, int):
            y = height - pad - (height - 2 * pad) * value / top
            coords.append(f"{x:.0f},{y:.0f}")
            parts.append(f'<circle cx="{x:.0f}" cy="{y:.0f}" r="4" fill="{COLOUR}"/>')
            parts.append(
                f'<text x="{x:.0f}" y="{y - 8:.0f}" font-size="12" text-anchor="middle" '
                f'fill="#1b1b1b">{value}</text>'
            )
        else:
            parts.append(
                f'<text x="{x:.0f}" y="{height - pad - 8}" font-size="12" text-anchor="middle" '
                f'fill="#1b1b1b">{escape(value)}</text>'
            )
    if len(coords) > 1:
        parts.append(
            f'<polyline points="{" ".join(coords)}" fill="none" stroke="{COLOUR}" '
            f'stroke-width="2"/>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (built from escaped parts)
