"""Headline: one value per (metric, status, year, period) out of the candidate mentions.

Among the mentions that no scope rule vetoed, a figure stated as a whole beats one
inside 其中/包括/parentheses, and then the larger value wins (a total is at least
each of its parts).
A month's or half-year's figure is not a headline beside the same year's annual one;
a span's (开馆以来, 2009—2018年, 7月1日至9月1日) is not one beside any annual figure of its
metric.  A stock (馆藏, 持证读者) as of a date is that year's figure, never a span or a month's.
Other candidates that disagree are kept as flags on the row, never silently dropped.
"""

from __future__ import annotations

from collections import defaultdict

from ..model import Mention
from .status import status_rules

SUB_PERIODS = ("H", "Q", "M")


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 0.005 * max(abs(a), abs(b))


def choose(mentions: list[Mention]) -> list[tuple[Mention, str]]:
    """Mark the headline mentions (taken=True, reason filled for all) and return
    (mention, flags) for each headline."""
    groups: dict[tuple, list[Mention]] = defaultdict(list)
    stocks = status_rules().stock_metrics
    for m in mentions:
        if m.period and m.metric in stocks:  # a stock at any date is a level, not a flow over a stretch
            m.period = ""
        if m.reason or not m.metric:
            continue
        groups[(m.metric, m.status, m.year, m.period)].append(m)
    annual = {(k[0], k[1], k[2]) for k in groups if k[3] == ""}
    annual_any = {(k[0], k[1]) for k in annual}
    out: list[tuple[Mention, str]] = []
    for key, cands in groups.items():
        metric, status, year, period = key
        if period[:1] in SUB_PERIODS and (metric, status, year) in annual:
            for m in cands:
                m.reason = f"{period} figure beside an annual one"
            continue
        if period == "span" and (metric, status) in annual_any:
            for m in cands:
                m.reason = "span figure beside an annual one"
            continue
        ranked = sorted(cands, key=lambda m: (m.part, -m.value, m.start))
        best = ranked[0]
        best.taken = True
        best.reason = "headline"
        others = []
        for m in ranked[1:]:
            if _close(m.value, best.value):
                m.reason = "same value as the headline"
            elif m.part and not best.part:
                m.reason = "part of a total"
            else:
                m.reason = "smaller figure than the headline"
                others.append(m)
        flags = ""
        if others:
            flags = "other_values:" + "|".join(f"{m.value:g}" for m in others)
        parts = [m for m in cands if m.part and m.value < best.value]
        if parts and not best.part and _close(sum(m.value for m in parts), best.value):
            flags = (flags + ";" if flags else "") + "parts_sum_to_total"
        out.append((best, flags))
    out.sort(key=lambda pair: pair[0].start)
    return out
