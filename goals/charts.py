"""Server-side SVG charts: pure Python, no JavaScript, the same markup on screen and in a PDF.

Every chart is an `<svg role="img">` labelled by its own `<title>` and `<desc>`; the desc reads
the numbers out, so the chart never holds information only the eye can get. Series differ by
line pattern and marker shape as well as colour. Styling is done with SVG presentation
attributes, not inline `style` (the Content Security Policy forbids inline styles).

Values are Decimal throughout; pixel positions are Decimal rounded to a tenth.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from xml.sax.saxutils import escape, quoteattr

from styrmodell.formatting import number, quantity

TENTH = Decimal("0.1")

# Colour, dash pattern and marker per series: never colour alone.
SERIES_STYLES = (
    ("#0b4f6c", "", "circle"),
    ("#5b2a86", "6 4", "square"),
    ("#8a4b08", "2 3", "triangle"),
    ("#1e6b3a", "10 3 2 3", "diamond"),
    ("#7a1f5c", "1 3", "down"),
    ("#2f4b7c", "12 4", "ring"),
    ("#6b5d00", "4 2 1 2", "square"),
    ("#3d3d3d", "8 2 8 6", "triangle"),
)
LEGEND_ROW = 20
TARGET_COLOUR = "#b3261e"
INK = "#1b1f24"
MUTED = "#4f5761"
GRID = "#d5d9df"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"


@dataclass
class Series:
    """One line: a label and the value of each period (None leaves a gap)."""

    label: str
    points: dict[int, Decimal | None] = field(default_factory=dict)


@dataclass(frozen=True)
class Layout:
    width: int = 720
    height: int = 340
    left: int = 72
    right: int = 24
    top: int = 24
    bottom: int = 84  # room for the year labels, the axis title and the legend


def _px(value: Decimal) -> str:
    return f"{value.quantize(TENTH, rounding=ROUND_HALF_UP):f}"


def nice_step(span: Decimal, ticks: int = 5) -> Decimal:
    """A step of 1, 2, 2.5 or 5 times a power of ten giving about `ticks` intervals."""
    if span <= 0:
        return Decimal(1)
    raw = span / ticks
    power = Decimal(1).scaleb(raw.adjusted())
    for factor in (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10)):
        if raw <= factor * power:
            return factor * power
    return 10 * power


def axis_range(values: list[Decimal]) -> tuple[Decimal, Decimal, Decimal]:
    """Lower bound, upper bound and step of the value axis, on whole steps around the data."""
    low, high = min(values), max(values)
    if low == high:
        pad = abs(low) / 10 if low else Decimal(1)
        low, high = low - pad, high + pad
    step = nice_step(high - low)
    lower = (low / step).to_integral_value(rounding=ROUND_FLOOR) * step
    upper = (high / step).to_integral_value(rounding=ROUND_CEILING) * step
    # Keep the outermost points and the target line off the frame.
    if low - lower < step / 4:
        lower -= step
    if upper - high < step / 4:
        upper += step
    if min(values) >= 0 > lower:
        lower = Decimal(0)
    return lower, upper, step


def _decimals_of(step: Decimal) -> int:
    exponent = step.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _marker(shape: str, x: Decimal, y: Decimal, colour: str) -> str:
    if shape == "square":
        return (f'<rect x="{_px(x - 4)}" y="{_px(y - 4)}" width="8" height="8" fill="{colour}"'
                f' stroke="#fff" stroke-width="1"/>')
    if shape == "triangle":
        points = f"{_px(x)},{_px(y - 5)} {_px(x + 5)},{_px(y + 4)} {_px(x - 5)},{_px(y + 4)}"
        return f'<polygon points="{points}" fill="{colour}" stroke="#fff" stroke-width="1"/>'
    if shape == "down":
        points = f"{_px(x)},{_px(y + 5)} {_px(x + 5)},{_px(y - 4)} {_px(x - 5)},{_px(y - 4)}"
        return f'<polygon points="{points}" fill="{colour}" stroke="#fff" stroke-width="1"/>'
    if shape == "ring":
        return (f'<circle cx="{_px(x)}" cy="{_px(y)}" r="4" fill="#fff" stroke="{colour}" '
                f'stroke-width="2"/>')
    if shape == "diamond":
        points = (f"{_px(x)},{_px(y - 5)} {_px(x + 5)},{_px(y)} "
                  f"{_px(x)},{_px(y + 5)} {_px(x - 5)},{_px(y)}")
        return f'<polygon points="{points}" fill="{colour}" stroke="#fff" stroke-width="1"/>'
    return (f'<circle cx="{_px(x)}" cy="{_px(y)}" r="4.5" fill="{colour}" stroke="#fff" '
            f'stroke-width="1"/>')


def _segments(points: list[tuple[int, Decimal | None]]) -> list[list[tuple[int, Decimal]]]:
    """Runs of consecutive known values; a missing value breaks the line."""
    runs: list[list[tuple[int, Decimal]]] = [[]]
    for period, value in points:
        if value is None:
            if runs[-1]:
                runs.append([])
            continue
        runs[-1].append((period, value))
    return [run for run in runs if run]


def _legend_rows(labels: list[str], *, start: Decimal, end: Decimal) -> list[list[int]]:
    """The legend's entries (by index) row by row, wrapped so no row runs past the chart."""
    rows: list[list[int]] = [[]]
    x = start
    for index, label in enumerate(labels):
        width = 34 + Decimal(len(label) * 7) + 24
        if rows[-1] and x + width - 24 > end:
            rows.append([])
            x = start
        rows[-1].append(index)
        x += width
    return rows


def describe(series: list[Series], targets: dict[int, Decimal], unit_label: str) -> str:
    """The chart in words for a screen reader: every value and every target."""
    parts = []
    for line in series:
        known = [f"{period}: {quantity(value, unit_label)}"
                 for period, value in sorted(line.points.items()) if value is not None]
        parts.append(f"{line.label} – " + ("; ".join(known) if known else "inga värden") + ".")
    if targets:
        parts.append("Målvärde – " + "; ".join(
            f"{year}: {quantity(value, unit_label)}" for year, value in sorted(targets.items())
        ) + ".")
    return " ".join(parts)


def line_chart(
    series: list[Series],
    *,
    chart_id: str,
    title: str,
    unit_label: str = "",
    targets: dict[int, Decimal] | None = None,
    layout: Layout | None = None,
) -> str:
    """An SVG line chart of values per year, with a dashed target line if there are targets.

    Returns "" when there is nothing to draw; the caller then says so in words.
    """
    layout = layout or Layout()
    targets = {year: Decimal(value) for year, value in (targets or {}).items()}
    known = [value for line in series for value in line.points.values() if value is not None]
    if not known:
        return ""
    periods = sorted({p for line in series for p in line.points} | set(targets))
    first, last = periods[0], periods[-1]
    lower, upper, step = axis_range(known + list(targets.values()))
    decimals = _decimals_of(step)

    left, top = Decimal(layout.left), Decimal(layout.top)
    plot_w = Decimal(layout.width - layout.left - layout.right)
    plot_h = Decimal(layout.height - layout.top - layout.bottom)
    bottom = top + plot_h

    def x_of(period: int) -> Decimal:
        if first == last:
            return left + plot_w / 2
        return left + plot_w * (period - first) / (last - first)

    def y_of(value: Decimal) -> Decimal:
        return bottom - plot_h * (value - lower) / (upper - lower)

    target_label = (f"Målvärde ({next(iter(targets))})" if len(targets) == 1 else "Målvärde")
    legend_labels = [line.label for line in series] + ([target_label] if targets else [])
    legend_rows = _legend_rows(legend_labels, start=left,
                               end=Decimal(layout.width - layout.right))
    # Each legend row past the first makes the chart taller; the plot keeps its size.
    height = layout.height + LEGEND_ROW * (len(legend_rows) - 1)

    title_id, desc_id = f"{chart_id}-titel", f"{chart_id}-beskrivning"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {layout.width} {height}" width="{layout.width}" '
        f'height="{height}" aria-labelledby="{title_id} {desc_id}" '
        f'font-family={quoteattr(FONT)} font-size="13" id={quoteattr(chart_id)}>',
        f'<title id="{title_id}">{escape(title)}</title>',
        f'<desc id="{desc_id}">{escape(describe(series, targets, unit_label))}</desc>',
        f'<rect x="0" y="0" width="{layout.width}" height="{height}" fill="#fff"/>',
    ]

    # Value axis: grid lines and labels on whole steps.
    out.append('<g aria-hidden="true">')
    tick = lower
    while tick <= upper:
        y = _px(y_of(tick))
        out.append(f'<line x1="{_px(left)}" x2="{_px(left + plot_w)}" y1="{y}" y2="{y}" '
                   f'stroke="{GRID}" stroke-width="1"/>')
        out.append(f'<text x="{_px(left - 8)}" y="{y}" dy="4" text-anchor="end" '
                   f'fill="{MUTED}">{escape(number(tick, places=decimals))}</text>')
        tick += step
    if unit_label:
        middle = _px(top + plot_h / 2)
        out.append(f'<text x="16" y="{middle}" transform="rotate(-90 16 {middle})" '
                   f'text-anchor="middle" fill="{INK}">{escape(unit_label)}</text>')

    # Time axis: one label per year, the axis line and its title.
    out.append(f'<line x1="{_px(left)}" x2="{_px(left + plot_w)}" y1="{_px(bottom)}" '
               f'y2="{_px(bottom)}" stroke="{INK}" stroke-width="1.5"/>')
    for period in range(first, last + 1):
        x = _px(x_of(period))
        out.append(f'<line x1="{x}" x2="{x}" y1="{_px(bottom)}" y2="{_px(bottom + 5)}" '
                   f'stroke="{INK}" stroke-width="1"/>')
        out.append(f'<text x="{x}" y="{_px(bottom + 20)}" text-anchor="middle" '
                   f'fill="{INK}">{period}</text>')
    out.append(f'<text x="{_px(left + plot_w / 2)}" y="{_px(bottom + 40)}" '
               f'text-anchor="middle" fill="{INK}">År</text>')
    out.append("</g>")

    legend: list[tuple[str, str, str, str | None]] = []
    if targets:
        points = " ".join(f"{_px(x_of(y))},{_px(y_of(v))}" for y, v in sorted(targets.items()))
        out.append('<g aria-hidden="true">')
        if len(targets) == 1:
            (only_value,) = targets.values()
            y = _px(y_of(only_value))
            out.append(f'<line x1="{_px(left)}" x2="{_px(left + plot_w)}" y1="{y}" y2="{y}" '
                       f'stroke="{TARGET_COLOUR}" stroke-width="2" stroke-dasharray="8 5"/>')
        else:
            out.append(f'<polyline points="{points}" fill="none" stroke="{TARGET_COLOUR}" '
                       f'stroke-width="2" stroke-dasharray="8 5"/>')
        for year, value in sorted(targets.items()):
            x, y = x_of(year), y_of(value)
            out.append(f'<line x1="{_px(x - 5)}" x2="{_px(x + 5)}" y1="{_px(y)}" y2="{_px(y)}" '
                       f'stroke="{TARGET_COLOUR}" stroke-width="3"/>')
        out.append("</g>")

    for index, line in enumerate(series):
        colour, dash, shape = SERIES_STYLES[index % len(SERIES_STYLES)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        out.append('<g aria-hidden="true" class="chart__series">')
        for run in _segments(sorted(line.points.items())):
            if len(run) > 1:
                points = " ".join(f"{_px(x_of(p))},{_px(y_of(v))}" for p, v in run)
                out.append(f'<polyline points="{points}" fill="none" stroke="{colour}" '
                           f'stroke-width="2.5" stroke-linejoin="round"{dash_attr}/>')
            for period, value in run:
                out.append(_marker(shape, x_of(period), y_of(value), colour))
        out.append("</g>")
        legend.append((line.label, colour, dash, shape))
    if targets:
        legend.append((target_label, TARGET_COLOUR, "8 5", None))

    # Legend under the time axis: a sample of each line and its label, row after row.
    out.append('<g aria-hidden="true" class="chart__legend">')
    for row_number, row in enumerate(legend_rows):
        x, y = left, Decimal(layout.height - 14 + LEGEND_ROW * row_number)
        for index in row:
            label, colour, dash, shape = legend[index]
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            out.append(f'<line x1="{_px(x)}" x2="{_px(x + 28)}" y1="{_px(y - 4)}" '
                       f'y2="{_px(y - 4)}" stroke="{colour}" stroke-width="2.5"{dash_attr}/>')
            if shape:
                out.append(_marker(shape, x + 14, y - 4, colour))
            out.append(f'<text x="{_px(x + 34)}" y="{_px(y)}" fill="{INK}">{escape(label)}'
                       '</text>')
            x += 34 + Decimal(len(label) * 7) + 24
    out.append("</g>")
    out.append("</svg>")
    return "\n".join(out)
