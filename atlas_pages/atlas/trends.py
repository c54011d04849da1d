"""Trends of any Atlas search: how many of its projects started each year, and how many were
active each year. The same figures go to the API, to the search page and to the PDF: as two
bar charts drawn on the server (SVG, so WeasyPrint draws them too, and no script is needed) and
as the table they stand for, which screen readers and spreadsheets read.

Counting is two passes over the index's arrays (``index.active_years`` and a ``bincount`` of the
start years), whatever the number of projects.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from atlas_pages.atlas import index as atlas_index

#: The DSFR's blue France (started) and a lighter blue (active), as in the site's figures.
COLOURS = {"started": "#000091", "active": "#6a6af4"}
FONT = 'font-family="Marianne, Arial, sans-serif"'


@dataclass(frozen=True)
class Year:
    year: int
    started: int  # projects whose start year it is
    active: int  # projects under way that year (open-ended ones up to the Atlas's horizon)


def years(index: atlas_index.Index, mask: np.ndarray, active: dict[int, int] | None = None) -> list[Year]:
    """Every year from the first start to the last year any project of ``mask`` is active;
    ``active``: the projects active each year, when the facet counts have them already."""
    if active is None:
        active = atlas_index.active_years(index, mask)
    if not active:
        return []
    first = min(active)
    started = np.bincount(index.start[mask].astype(np.int64) - first, minlength=len(active)).tolist()
    return [Year(year, started[year - first], number) for year, number in sorted(active.items())]


def charts(rows: list[Year]) -> dict[str, list[Year] | SafeString]:
    """What the page and the PDF show: the rows of the table and the two charts."""
    return {
        "rows": rows,
        "started_svg": mark_safe(chart_svg(rows, "started")),  # noqa: S308 — numbers and escaped labels
        "active_svg": mark_safe(chart_svg(rows, "active")),  # noqa: S308
    }


def as_dicts(rows: list[Year]) -> list[dict]:
    return [{"year": row.year, "started": row.started, "active": row.active} for row in rows]


def _step(span: int) -> int:
    """Years between two labels of the axis: a label every 1, 2, 5, 10 or 20 years."""
    return next(step for step in (1, 2, 5, 10, 20, 50) if span / step <= 12)


def _nice(top: int) -> int:
    """The top of the value axis: the maximum rounded up to 1, 2 or 5 × a power of ten."""
    if top <= 5:
        return max(top, 1)
    power = 10 ** (len(str(top)) - 1)
    return next(power * factor for factor in (1, 2, 5, 10) if power * factor >= top)


def chart_svg(rows: list[Year], series: str, *, width: int = 640, height: int = 200) -> str:
    """A bar chart of one series (``started`` or ``active``): one bar a year, the years along
    the bottom, the values up the left. ``role="img"`` with a label that says what it shows;
    each bar has a ``<title>`` (its year and value) for a pointer's tooltip."""
    title = _("Projects by start year") if series == "started" else _("Projects active each year")
    if not rows:
        return ""
    values = [getattr(row, series) for row in rows]
    peak = max(values)
    peak_year = rows[values.index(peak)].year
    label = _("%(title)s, from %(first)s to %(last)s: at most %(peak)s in %(year)s.") % {
        "title": title,
        "first": rows[0].year,
        "last": rows[-1].year,
        "peak": peak,
        "year": peak_year,
    }
    left, bottom, top_margin, right = 44, 24, 10, 8
    plot_width, plot_height = width - left - right, height - bottom - top_margin
    top = _nice(peak)
    slot = plot_width / len(rows)
    bar = max(slot * 0.8, 1.0)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="cncd-chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(label)}" {FONT} font-size="11">',
        f"<title>{escape(label)}</title>",
    ]
    for fraction in (0, 0.5, 1):  # the value axis: 0, half, top
        y = top_margin + plot_height * (1 - fraction)
        value = round(top * fraction)
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#dddddd" stroke-width="1"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#3a3a3a">{value}</text>'
        )
    step = _step(len(rows))
    for number, row in enumerate(rows):
        value = values[number]
        x = left + number * slot + (slot - bar) / 2
        bar_height = plot_height * value / top
        y = top_margin + plot_height - bar_height
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{bar_height:.1f}" '
            f'fill="{COLOURS[series]}"><title>{row.year} : {value}</title></rect>'
        )
        if row.year % step == 0 or (number == 0 and len(rows) < step):
            parts.append(
                f'<text x="{x + bar / 2:.1f}" y="{height - 8}" text-anchor="middle" fill="#3a3a3a">{row.year}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)
