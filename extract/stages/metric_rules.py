"""The metrics' rules as read from rules/metrics/<id>.yaml (stages/rules.py binds figures with
them), and the indexes the binding looks them up by: unit, id, the metrics taking another's
figures over."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import regex

from .. import patterns
from ..prefilter import Need, needed
from ..resources import load_yaml, rules_dir


@dataclass
class MetricRule:
    metric: str
    unit: str
    accepts: frozenset[str]
    triggers: regex.Pattern | None
    after: regex.Pattern | None
    generic: regex.Pattern | None
    exclude: regex.Pattern | None
    exclude_sentence: regex.Pattern | None
    resolve_by_previous: dict[str, str | None]
    priority: int
    allow_other_body: bool
    takes_over: frozenset[str]  # metrics whose figures become this one's when `takes_over_when` …
    takes_over_when: regex.Pattern | None  # … names this metric's subject earlier in the sentence
    bare_unit: str | None  # the unit of a bare 万-figure after the words (接待读者110万余)
    # loose measure words taken only right after words that name the thing (借书证1559份)
    near_units: frozenset[str] = frozenset()
    near_when: regex.Pattern | None = None
    examples: list[dict] = field(default_factory=list)
    # all its words (triggers, after, generic) as one pattern: a clause where it finds
    # nothing holds none of them, and the three overlapped searches are skipped
    any_words: regex.Pattern | None = None
    words_need: Need | None = None  # what a match of any_words needs (extract/prefilter.py)


def _alternation(words: list[str] | None) -> regex.Pattern | None:
    if not words:
        return None
    ordered = sorted(words, key=len, reverse=True)
    return patterns.compile("|".join(f"(?:{p})" for p in ordered))


def _metric_from_yaml(y: dict) -> MetricRule:
    any_words = _alternation([*(y.get("triggers") or []), *(y.get("after") or []), *(y.get("generic_triggers") or [])])
    return MetricRule(
        metric=y["metric"],
        unit=y["unit"],
        accepts=frozenset(y["accepts"]),
        triggers=_alternation(y.get("triggers")),
        after=_alternation(y.get("after")),
        generic=_alternation(y.get("generic_triggers")),
        exclude=_alternation(y.get("exclude")),
        exclude_sentence=_alternation(y.get("exclude_sentence")),
        resolve_by_previous=dict(y.get("resolve_by_previous") or {}),
        priority=int(y.get("priority", 0)),
        allow_other_body=bool(y.get("allow_other_body", False)),
        takes_over=frozenset((y.get("takes_over") or {}).get("metrics", [])),
        takes_over_when=_alternation((y.get("takes_over") or {}).get("when")),
        bare_unit=y.get("bare_unit"),
        near_units=frozenset((y.get("near_units") or {}).get("units", [])),
        near_when=_alternation((y.get("near_units") or {}).get("when")),
        examples=list(y.get("examples") or []),
        any_words=any_words,
        words_need=needed(any_words),
    )


@lru_cache(maxsize=1)
def metric_rules() -> list[MetricRule]:
    out = []
    for path in sorted((rules_dir() / "metrics").glob("*.yaml")):
        out.append(_metric_from_yaml(load_yaml(f"metrics/{path.name}")))
    return out


@lru_cache(maxsize=1)
def metrics_by_unit() -> dict[str | None, list[MetricRule]]:
    """Unit symbol → the metrics that accept it; None → those whose words can name a
    unit for a bare number (到馆人次达100万)."""
    index: dict[str | None, list[MetricRule]] = {}
    for r in metric_rules():
        for unit in r.accepts | r.near_units:
            index.setdefault(unit, []).append(r)
        if any(len(u) > 1 for u in r.accepts) or "人" in r.accepts:
            index.setdefault(None, []).append(r)
    return index


@lru_cache(maxsize=256)
def searched_for(units: tuple[str | None, ...], table_row: bool) -> tuple[MetricRule, ...]:
    """The metrics with words that can take a figure in one of `units`, each once, in the
    order the units give them."""
    by_unit = metrics_by_unit()
    found: dict[str, MetricRule] = {}
    for unit in units:
        for r in (metric_rules() if unit is None and table_row else by_unit.get(unit, ())):
            if r.any_words is not None:
                found.setdefault(r.metric, r)
    return tuple(found.values())


def by_id(metric: str) -> MetricRule:
    return metrics_by_id()[metric]


@lru_cache(maxsize=1)
def metrics_by_id() -> dict[str, MetricRule]:
    return {r.metric: r for r in metric_rules()}


@lru_cache(maxsize=1)
def taking_over() -> dict[str, list[MetricRule]]:
    """Metric → the metrics that take its figures over, in the order of the rules."""
    found: dict[str, list[MetricRule]] = {}
    for other in metric_rules():
        for metric in other.takes_over:
            found.setdefault(metric, []).append(other)
    return found


def metric_ids() -> list[str]:
    return [r.metric for r in metric_rules()]
