"""Scope: the checks shared by all metrics that keep a figure out of the library's totals
(averages, changes, other bodies, subgroups, one series), from rules/scope.yaml."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

import regex

from ..model import Clause, Quantity
from ..resources import load_yaml


class MetricScope(Protocol):
    """What the scope checks read of a metric's rule (stages/rules.py's MetricRule)."""

    exclude: regex.Pattern | None
    exclude_sentence: regex.Pattern | None
    allow_other_body: bool

ITEM_END = regex.compile(r"[、,，;；。]")


@dataclass(frozen=True)
class ScopeRules:
    per_capita: regex.Pattern
    change: regex.Pattern
    other_body: regex.Pattern
    subgroup: regex.Pattern
    one_series: regex.Pattern
    comparison_base: regex.Pattern
    continuation: regex.Pattern
    self_reference: regex.Pattern
    subject_head: regex.Pattern  # a sentence that opens with another body
    owner_after: regex.Pattern  # the figure describes another body named after it
    self_description: regex.Pattern  # … unless the library describes itself (本馆是一座…)
    topic_label: regex.Pattern  # a sentence opening with its topic as a label (馆藏：…)
    topic_total: regex.Pattern  # … and the total word of its list (合计)
    share_after: regex.Pattern  # the figure's share of a whole follows it


@lru_cache(maxsize=1)
def scope_rules() -> ScopeRules:
    y = load_yaml("scope.yaml")
    head = y.pop("subject_head_prefix") + "(?:" + y["other_body"] + ")"
    return ScopeRules(**{k: regex.compile(v) for k, v in y.items()}, subject_head=regex.compile(head))


def veto(rule: MetricScope, q: Quantity, clause: Clause, context_left, own_library) -> str:
    """Why this figure is not the library's total for this metric ('' when it is)."""
    scope = scope_rules()
    left = clause.text[: q.start]
    # the clause up to the end of the figure's own list item: 馆藏纸质书籍约1138万册、电子书籍
    # 约145万册 — the next item's words are not this figure's context
    item_end = ITEM_END.search(clause.text, q.end)
    item = clause.text[: item_end.start() if item_end else len(clause.text)]
    if rule.exclude is not None and (m := rule.exclude.search(item)):
        return "excluded context: " + m.group()
    sentence = context_left("sentence") + clause.text[q.start :]
    if rule.exclude_sentence is not None and (m := rule.exclude_sentence.search(sentence)):
        return "excluded context: " + m.group()
    if m := scope.per_capita.search(left):
        return "average or ratio: " + m.group()
    if scope.change.search(left):
        return "a change, not a level"
    if scope.subgroup.search(context_left("sentence")):
        return "a subgroup of readers"
    if m := scope.one_series.search(left):
        return "one series or event, a part: " + m.group()
    if not rule.allow_other_body:
        if m := scope.other_body.search(context_left("subject")):
            return "another body: " + m.group()
        if other := own_library(left):
            return "another library: " + other
    return ""
