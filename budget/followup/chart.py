"""The follow-up chart of a nämnd's year as server-rendered SVG: cumulative outcome by month
against the frame spread evenly over the year, and the latest forecast for year-end.

Drawn in the style of goals/charts.py: `<svg role="img">` labelled by its `<title>` and a
`<desc>` that reads the numbers out, series told apart by dash pattern and marker as well as
colour, presentation attributes only (the CSP forbids inline styles), Decimal arithmetic.
"""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from xml.sax.saxutils import escape, quoteattr

from budget.followup.selectors import MONTH_ABBREVIATIONS, MONTH_NAMES, NamndFollowUp
from styrmodell.formatting import mnkr, number

WIDTH, HEIGHT = 720, 360
LEFT, RIGHT, TOP, BOTTOM = 64, 24, 20, 96
OUTCOME = "#0b4f6c"
BUDGET = "#4f5761"
FORECAST = "#b3261e"
INK = "#1b1f24"
MUTED = "#4f5761"
GRID = "#d5d9df"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"
MILLION = Decimal("1000000")
TENTH = Decimal("0.1")


def _px(value: Decimal) -> str:
    return f"{value.quantize(TENTH, rounding=ROUND_HALF_UP):f}"


def _step(top: Decimal) -> Decimal:
    """A round step (1, 2, 2.5 or 5 × 10^n mnkr) giving about five intervals."""
    raw = top / 5
    power = Decimal(1).scaleb(raw.adjusted())
    for factor in (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10)):
        if raw <= factor * power:
            return factor * power
    return 10 * power


def describe(followup: NamndFollowUp) -> str:
    parts = []
    known = [row for row in followup.months if row.cumulative is not None]
    if known:
        parts.append("Ackumulerat utfall, mnkr – " + "; ".join(
            f"{row.name}: {mnkr(row.cumulative)}" for row in known) + ".")
    if followup.frame is not None:
        parts.append(f"Ram jämnt fördelad över året: {mnkr(followup.frame)} mnkr i december, "
                     f"{mnkr(followup.frame / 12)} mnkr per månad.")
    latest = followup.latest
    if latest is not None:
        parts.append(f"Helårsprognos ({latest.forecast.period_label.lower()}): "
                     f"{mnkr(latest.forecast.total)} mnkr.")
    return " ".join(parts)


def outcome_chart(followup: NamndFollowUp, *, chart_id: str = "utfallsdiagram") -> str:
    """The chart, or "" when there is neither outcome nor frame to draw."""
    known = [(row.month, row.cumulative) for row in followup.months if row.cumulative is not None]
    frame = followup.frame
    latest = followup.latest.forecast if followup.latest else None
    values = [value for _, value in known]
    if frame is not None:
        values.append(frame)
    if latest is not None:
        values.append(latest.total)
    if not values:
        return ""
    top_mnkr = max(max(values), Decimal(1)) / MILLION
    step = _step(top_mnkr)
    upper = (top_mnkr / step).to_integral_value(rounding=ROUND_CEILING) * step
    if upper - top_mnkr < step / 4:
        upper += step
    plot_w = Decimal(WIDTH - LEFT - RIGHT)
    plot_h = Decimal(HEIGHT - TOP - BOTTOM)
    bottom = Decimal(TOP) + plot_h

    def x_of(month: int) -> Decimal:  # month 0 is the start of the year
        return Decimal(LEFT) + plot_w * month / 12

    def y_of(kronor: Decimal) -> Decimal:
        return bottom - plot_h * (kronor / MILLION) / upper

    title = (f"Ackumulerat utfall per månad mot ram och helårsprognos "
             f"{followup.budget_year.year}, {followup.namnd}")
    title_id, desc_id = f"{chart_id}-titel", f"{chart_id}-beskrivning"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
        f'aria-labelledby="{title_id} {desc_id}" font-family={quoteattr(FONT)} font-size="13" '
        f'id={quoteattr(chart_id)}>',
        f'<title id="{title_id}">{escape(title)}</title>',
        f'<desc id="{desc_id}">{escape(describe(followup))}</desc>',
        f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#fff"/>',
        '<g aria-hidden="true">',
    ]
    tick = Decimal(0)
    while tick <= upper:
        y = _px(bottom - plot_h * tick / upper)
        out.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y}" y2="{y}" stroke="{GRID}" '
                   f'stroke-width="1"/>')
        label = number(tick)
        out.append(f'<text x="{LEFT - 8}" y="{y}" dy="4" text-anchor="end" '
                   f'fill="{MUTED}">{label}</text>')
        tick += step
    middle = _px(Decimal(TOP) + plot_h / 2)
    out.append(f'<text x="14" y="{middle}" transform="rotate(-90 14 {middle})" '
               f'text-anchor="middle" fill="{INK}">mnkr</text>')
    out.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{_px(bottom)}" y2="{_px(bottom)}" '
               f'stroke="{INK}" stroke-width="1.5"/>')
    for month in range(1, 13):
        x = _px(x_of(month))
        out.append(f'<line x1="{x}" x2="{x}" y1="{_px(bottom)}" y2="{_px(bottom + 5)}" '
                   f'stroke="{INK}" stroke-width="1"/>')
        out.append(f'<text x="{x}" y="{_px(bottom + 20)}" text-anchor="middle" '
                   f'fill="{INK}">{MONTH_ABBREVIATIONS[month - 1]}</text>')
    out.append("</g>")

    legend = []
    if frame is not None:
        out.append(f'<line aria-hidden="true" x1="{_px(x_of(0))}" y1="{_px(y_of(Decimal(0)))}" '
                   f'x2="{_px(x_of(12))}" y2="{_px(y_of(frame))}" stroke="{BUDGET}" '
                   f'stroke-width="2" stroke-dasharray="8 5"/>')
        legend.append((f"Ram jämnt fördelad ({mnkr(frame)} mnkr)", BUDGET, "8 5", None))
    if known:
        points = " ".join(f"{_px(x_of(m))},{_px(y_of(v))}" for m, v in [(0, Decimal(0)), *known])
        out.append(f'<g aria-hidden="true"><polyline points="{points}" fill="none" '
                   f'stroke="{OUTCOME}" stroke-width="2.5" stroke-linejoin="round"/>')
        for month, value in known:
            out.append(f'<circle cx="{_px(x_of(month))}" cy="{_px(y_of(value))}" r="4" '
                       f'fill="{OUTCOME}" stroke="#fff" stroke-width="1"/>')
        out.append("</g>")
        legend.append(("Ackumulerat utfall", OUTCOME, "", "circle"))
    if latest is not None:
        start_month, start_value = known[-1] if known else (0, Decimal(0))
        x_end, y_end = x_of(12), y_of(latest.total)
        out.append(f'<g aria-hidden="true"><line x1="{_px(x_of(start_month))}" '
                   f'y1="{_px(y_of(start_value))}" x2="{_px(x_end)}" y2="{_px(y_end)}" '
                   f'stroke="{FORECAST}" stroke-width="2.5" stroke-dasharray="2 4"/>'
                   f'<polygon points="{_px(x_end)},{_px(y_end - 6)} {_px(x_end + 6)},'
                   f'{_px(y_end + 5)} {_px(x_end - 6)},{_px(y_end + 5)}" fill="{FORECAST}" '
                   f'stroke="#fff" stroke-width="1"/></g>')
        legend.append((f"Helårsprognos {latest.period_label.lower()} "
                       f"({mnkr(latest.total)} mnkr)", FORECAST, "2 4", "triangle"))

    out.append('<g aria-hidden="true">')
    rows = [legend[:2], legend[2:]]
    for row_index, row in enumerate(rows):
        x = Decimal(LEFT)
        y = Decimal(HEIGHT - 46 + 24 * row_index)
        for label, colour, dash, shape in row:
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            out.append(f'<line x1="{_px(x)}" x2="{_px(x + 28)}" y1="{_px(y - 4)}" '
                       f'y2="{_px(y - 4)}" stroke="{colour}" stroke-width="2.5"{dash_attr}/>')
            if shape == "circle":
                out.append(f'<circle cx="{_px(x + 14)}" cy="{_px(y - 4)}" r="4" fill="{colour}"/>')
            elif shape == "triangle":
                out.append(f'<polygon points="{_px(x + 14)},{_px(y - 10)} {_px(x + 20)},'
                           f'{_px(y + 1)} {_px(x + 8)},{_px(y + 1)}" fill="{colour}"/>')
            out.append(f'<text x="{_px(x + 36)}" y="{_px(y)}" fill="{INK}">{escape(label)}</text>')
            x += 36 + Decimal(len(label) * 7) + 28
    out.append("</g></svg>")
    return "\n".join(out)


__all__ = ["MONTH_NAMES", "describe", "mnkr", "outcome_chart"]
