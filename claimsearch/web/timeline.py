"""Claims by month as the geometry of a bar chart, drawn as SVG by the template (no script, no library).

Pure: counts in, bars out. Each bar carries its month so the template can link it to that month's claims.
"""
from __future__ import annotations

from pydantic import BaseModel

from ..browsing import Count

WIDTH, HEIGHT = 260, 90  # the drawing's own units; the SVG scales to its box
AXIS = 14  # room under the bars for the first and last month


class Bar(BaseModel):
    month: str
    count: int
    x: float
    y: float
    width: float
    height: float


class Timeline(BaseModel):
    width: int = WIDTH
    height: int = HEIGHT
    base: int = HEIGHT - AXIS
    bars: list[Bar]
    first: str | None
    last: str | None
    peak: int


def timeline(months: tuple[Count, ...]) -> Timeline:
    """Bars side by side, as tall as their month's count against the busiest month's."""
    if not months:
        return Timeline(bars=[], first=None, last=None, peak=0)
    peak = max(m.count for m in months) or 1
    step = WIDTH / len(months)
    gap = min(2.0, step * 0.2)
    room = HEIGHT - AXIS - 2
    bars = []
    for i, m in enumerate(months):
        h = room * m.count / peak if m.count else 0.0
        bars.append(Bar(month=m.value, count=m.count, x=round(i * step + gap / 2, 2), y=round(HEIGHT - AXIS - h, 2),
                        width=round(max(step - gap, 0.5), 2), height=round(h, 2)))
    return Timeline(bars=bars, first=months[0].value, last=months[-1].value, peak=peak)
