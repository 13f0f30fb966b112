"""Scope: the checks shared by all metrics that keep a figure out of the library's totals
(averages, changes, other bodies, subgroups, one series, the words right after a figure), and
how a report speaks of its own library — from rules/scope.yaml."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

import regex

from .. import patterns
from ..model import Clause, Mention, Quantity
from ..prefilter import Need, may_match, needed
from ..resources import load_yaml


class MetricScope(Protocol):
    """What the scope checks read of a metric's rule (stages/metric_rules.py's MetricRule)."""

    exclude: regex.Pattern | None
    exclude_sentence: regex.Pattern | None
    allow_other_body: bool


ITEM_END = patterns.compile(r"[、,，;；。]")


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
    # other_body and subject_head need `regex` (a look-behind of any width): what a match needs
    # (extract/prefilter.py) and a `re` pattern matching wherever they match skip most searches
    other_body_need: Need | None = None
    other_body_relaxed: patterns.Pattern | None = None
    subject_head_relaxed: patterns.Pattern | None = None


@lru_cache(maxsize=1)
def scope_rules() -> ScopeRules:
    y = load_yaml("scope.yaml")
    head = y.pop("subject_head_prefix") + "(?:" + y["other_body"] + ")"
    compiled = {k: patterns.compile(v) for k, v in y.items()}
    subject_head = patterns.compile(head)
    other_body_relaxed = patterns.relaxed(compiled["other_body"]) or compiled["other_body"]
    return ScopeRules(**compiled, subject_head=subject_head, other_body_need=needed(other_body_relaxed),
                      other_body_relaxed=other_body_relaxed,
                      subject_head_relaxed=patterns.relaxed(subject_head) or subject_head)


def other_body(text: str) -> regex.Match | None:
    """The first other body `text` names (scope.yaml's other_body)."""
    scope = scope_rules()
    if not may_match(scope.other_body_need, text) or not scope.other_body_relaxed.search(text):
        return None
    return scope.other_body.search(text)


def may_name_other_body(text: str) -> bool:
    """False only where `text` (and so any part of it) holds no other body's words."""
    return may_match(scope_rules().other_body_need, text)


def named_body(text: str) -> str:
    """The words of the first other body `text` names ('' when none)."""
    m = other_body(text)
    return m.group() if m else ""  # (a match holds the body's words: it is never empty)


def other_bodies(text: str) -> list[regex.Match]:
    """Every other body `text` names."""
    scope = scope_rules()
    if not may_match(scope.other_body_need, text) or not scope.other_body_relaxed.search(text):
        return []
    return list(scope.other_body.finditer(text))


def opens_with_other_body(text: str, pos: int) -> bool:
    """The sentence at `pos` makes another body its subject (scope.yaml's subject_head)."""
    scope = scope_rules()
    return scope.subject_head_relaxed.match(text, pos) is not None and scope.subject_head.match(text, pos) is not None


def veto(rule: MetricScope, q: Quantity, clause: Clause, context_left, own_library) -> str:
    """Why this figure is not the library's total for this metric ('' when it is)."""
    scope = scope_rules()
    left = clause.text[: q.start]
    # the clause up to the end of the figure's own list item: 馆藏纸质书籍约1138万册、电子书籍
    # 约145万册 — the next item's words are not this figure's context
    if rule.exclude is not None:
        item_end = ITEM_END.search(clause.text, q.end)
        item = clause.text[: item_end.start() if item_end else len(clause.text)]
        if m := rule.exclude.search(item):
            return "excluded context: " + m.group()
    if rule.exclude_sentence is not None:
        sentence = context_left("sentence") + clause.text[q.start :]
        if m := rule.exclude_sentence.search(sentence):
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
        if body := context_left("subject_body"):
            return "another body: " + body
        if other := own_library(left):
            return "another library: " + other
    return ""


@lru_cache(maxsize=1)
def _self_reference() -> regex.Pattern:
    """How a report speaks of its own library: 我馆, and a 图书馆 that opens a sentence or clause
    (县文化馆…；县图书馆…) — not one inside other words (学校图书馆)."""
    # written for `re` (a look-behind of one width, `regex`'s \s: not \x1c-\x1f): `regex` is slow here
    return patterns.compile(scope_rules().self_reference.pattern
                            + r"|(?:^|(?<=[。；;，,：:]|[^\S\x1c-\x1f]))(?:\p{Han}{0,4}?[省市县区]级?)?图书馆")


@lru_cache(maxsize=1)
def _self_reference_need() -> Need | None:
    return needed(_self_reference())


def self_references(text: str, library_core: str) -> list[tuple[int, int]]:
    """Spans where `text` speaks of the report's library: the words above, and its name's core
    found by plain search (a pattern compiled per library cost a tenth of a short report)."""
    spans = [m.span() for m in _self_reference().finditer(text)] if may_match(_self_reference_need(), text) else []
    if library_core:
        i = text.find(library_core)
        while i >= 0:
            spans.append((i, i + len(library_core)))
            i = text.find(library_core, i + 1)
    return spans


def own_kind(body: str, library: str) -> bool:
    """少儿图书馆 in a children's library's report is the library itself, not another body."""
    return bool(library) and library.replace("少儿", "少年儿童").endswith(body.replace("少儿", "少年儿童"))


def right_context_reason(text: str, m: Mention, clause: Clause, library: str) -> str:
    """What the words right after a figure say of it: its share of the library's own whole
    (…，占总数的60%), or that it describes another body (藏书N册的区文化馆) — unless the
    library describes itself or the body is its own kind (a children's library's 少儿图书馆)."""
    scope = scope_rules()
    if sh := scope.share_after.match(text, m.end):
        return "a share of a total, a part: " + sh.group().strip(" ,，")
    ow = scope.owner_after.match(text, m.end)
    if ow and not scope.self_description.search(text[clause.start : m.start]) and not own_kind(ow["body"], library):
        return "another body: " + ow.group().strip()
    return ""
