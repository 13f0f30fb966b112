"""Rules: bind quantities to metrics, clause by clause.

A metric (rules/metrics/<id>.yaml) names the words that introduce it (`triggers`,
the figure follows: 接待读者 396712 人次) or follow it (`after`: 72场讲座), the units
its figures may carry (`accepts`), and the contexts that veto it (`exclude`).  In a
clause, each quantity takes the metric of the nearest compatible trigger; the
figure's status, year and period come from the clause.  Scope checks shared by all
metrics (averages, changes, other bodies) are in stages/scope.py and rules/scope.yaml;
the metrics' rules as read from their YAML in stages/metric_rules.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import chain

from .. import patterns
from ..model import Clause, Mention, Quantity, found_mention
from ..prefilter import may_match
from .metric_rules import MetricRule, by_id, metric_rules, metrics_by_unit, searched_for, taking_over
from .scope import scope_rules, veto

COUNTABLE = ("count", "range")
AFTER_GAP_STOP = patterns.compile(r"[\d、,，。;；:：]")
SENTENCE_STOP = patterns.compile(r"[。;；]")


@dataclass
class Candidate:
    rule: MetricRule
    distance: int
    length: int
    trigger: str
    start: int  # trigger start in the clause
    generic: bool


def _gap_ok(gap: str) -> bool:
    """Between a figure and a trigger that follows it: a few modifier characters."""
    return len(gap) <= 8 and not AFTER_GAP_STOP.search(gap)


# The metric's words as one item of a list of kinds the figure counts together: a list
# closed by its head noun, an activity, before the figure (讲座、课堂等各类活动 N 场 — not
# 外借图书、期刊等文献 N 册次, a list of the things lent), or other kinds after
# the words that follow the figure (N 场培训、讲座活动 — not N 场线下活动、线上活动 M 场, where
# the next item has its own figure).  The figure is none of them alone.
LIST_HEAD_BEFORE = patterns.compile(r"、[^,，;；]*等(?:各类|各种|多种)?\p{Han}{0,6}?(?:活动|服务)\p{Han}{0,2}$")
LIST_ITEM_AFTER = patterns.compile(r"[、和及与]\p{Han}{1,6}?(?:活动|服务)(?!\s*[\d一二三四五六七八九十两百千万])")
MAX_DISTANCE = 24  # characters between a trigger and its figure
DIGIT = patterns.compile("[0-9]")
CHINESE_NUMERAL_DISTANCE = 2  # 四个方面, 三期: Chinese numerals bind only next to their word


# a metric's word found in a clause: (rule, 'before' | 'after' | 'generic', start, end, the word)
Word = tuple[MetricRule, str, int, int, str]


def _candidates(q: Quantity, text: str, words: list[Word], used: set, bare_ok: bool = False) -> list[Candidate]:
    """Metrics whose words stand near `q` with a unit that fits.  In a table row a bare
    number takes the unit of the metric its label names (| 新办读者证 | 2,318 |)."""
    out = []
    limit = MAX_DISTANCE if DIGIT.search(q.raw) else CHINESE_NUMERAL_DISTANCE
    for rule, kind, start, end, word in words:
        # the distance first: the searches of the gap only where the words are near enough
        if kind == "after":
            if start < q.end:
                continue
            gap = text[q.end : start]
            if (dist := len(gap.strip())) > limit or not _gap_ok(gap) or LIST_ITEM_AFTER.match(text, end):
                continue
        elif end <= q.start:
            gap = text[end : q.start]
            if (dist := len(gap.strip())) > limit or SENTENCE_STOP.search(gap) or LIST_HEAD_BEFORE.search(gap):
                continue
        else:
            continue
        if (rule.metric, start) in used:
            continue
        if kind != "after" and _counts_other_noun(q, text, rule):
            continue
        unit = q.unit or _implied_unit(word, rule)
        if unit is None and kind == "before" and rule.bare_unit and MAGNITUDE.search(q.raw):
            unit = rule.bare_unit  # 接待读者110万余: a count of 万 after the metric's words
        if (unit not in rule.accepts and not (bare_ok and q.unit is None)
                and not _near_unit(rule, unit, kind, dist, word)):
            continue
        out.append(Candidate(rule, dist, len(word), word, start, kind == "generic"))
    if len(out) > 1:
        out.sort(key=lambda c: (c.distance, -c.length, -c.rule.priority))
    return out


MAGNITUDE = patterns.compile("[万亿]")
NEAR_DISTANCE = 3  # 借阅证共6000多本: at most a verb or 共 between the words and the figure


def _near_unit(rule: MetricRule, unit: str | None, kind: str, dist: int, word: str) -> bool:
    """本 (册) and 份 (篇) count cards only where the card itself is named just before the
    figure (办理借书证1200本); elsewhere they count books and documents."""
    return (unit in rule.near_units and kind == "before" and dist <= NEAR_DISTANCE
            and rule.near_when is not None and bool(rule.near_when.search(word)))
MEASURE_WORDS = frozenset("个家所座处名位种项")
NOUN_AFTER = patterns.compile(r"\p{Han}")
NOT_A_NOUN = patterns.compile(r"以上|左右|上下|之多|的")


def _counts_other_noun(q: Quantity, text: str, rule: MetricRule) -> bool:
    """展览…江苏省13个地级市, 分馆、266个流动站点: a measure word followed by a noun counts
    that noun, not the metric named before — unless the noun is the metric's own word."""
    if q.unit not in MEASURE_WORDS or not NOUN_AFTER.match(text, q.end):
        return False
    if NOT_A_NOUN.match(text, q.end):
        return False
    return not any(p is not None and p.match(text, q.end) for p in (rule.after, rule.triggers))


RESPECTIVELY = patterns.compile(r"分别(?:为|是|有|达到?|举办了?|开展了?|接待了?)?")


def _respectively(text: str, quantities: list[Quantity], matches: dict[str, tuple[MetricRule, dict]]
                  ) -> dict[int, Candidate]:
    """讲座、展览、培训分别为45场、20场、30期: the figures after 分别 go to the metric
    words before it in the same order, when the counts agree and the units fit."""
    m = RESPECTIVELY.search(text) if "分别" in text else None
    if not m:
        return {}
    spans: dict[tuple[int, int], list[MetricRule]] = {}
    for rule, kinds in matches.values():
        for t in kinds.get("before", []):
            if t.end() <= m.start():
                spans.setdefault((t.start(), t.end()), []).append(rule)
    words: list[tuple[tuple[int, int], list[MetricRule]]] = []
    for span in sorted(spans, key=lambda s: (s[0], -s[1])):  # non-overlapping, longest first
        if words and span[0] < words[-1][0][1]:
            continue
        words.append((span, spans[span]))
    figures = [q for q in quantities if q.kind in COUNTABLE and q.start >= m.end()]
    if len(words) < 2 or len(words) != len(figures):
        return {}
    out = {}
    for ((s, e), rules), q in zip(words, figures):
        word = text[s:e]
        fitting = [r for r in rules if (q.unit or _implied_unit(word, r)) in r.accepts]
        if not fitting:
            return {}
        out[q.start] = Candidate(fitting[0], 0, e - s, word, s, False)
    return out


def _implied_unit(trigger: str, rule: MetricRule) -> str | None:
    """到馆人次达100万: a bare number takes the unit its trigger names."""
    for unit in sorted(rule.accepts, key=len, reverse=True):
        if len(unit) > 1 and unit in trigger:
            return unit
    # 持证读者人数达3.6万: a count of persons
    if trigger.endswith("人数") and "人" in rule.accepts:
        return "人"
    return None


def bind_clause(clause: Clause, quantities: list[Quantity], context_left_of, own_library,
                previous: list[Mention]) -> list[Mention]:
    """Mentions for the quantities of one clause (offsets relative to the clause text).

    `context_left_of(clause, q, scope)` gives the text before the figure: scope
    'sentence' from the sentence start; and 'subject_body' the other body the figure's
    subject names (from where the text last spoke of this library, 我馆 or its name, or
    from the paragraph start), '' when none."""
    text = clause.text
    matches: dict[str, tuple[MetricRule, dict]] = {}
    # only metrics that can take one of the clause's figures are searched for
    # the units in the order the clause has them (not a set's: its order is the process's hash seed's)
    units = tuple(dict.fromkeys(q.unit for q in quantities if q.kind in COUNTABLE))
    for r in searched_for(units, clause.table_row):
        if may_match(r.words_need, text) and r.any_words.search(text):
            matches[r.metric] = (r, {
                "before": patterns.overlapped(r.triggers, text) if r.triggers else [],
                "after": patterns.overlapped(r.after, text) if r.after else [],
                "generic": patterns.overlapped(r.generic, text) if r.generic else [],
            })
    words = [(r, kind, m.start(), m.end(), m.group())
             for r, by_kind in matches.values() for kind, ms in by_kind.items() for m in ms]
    used: set = set()
    out: list[Mention] = []
    scope = scope_rules()
    paired = _respectively(text, quantities, matches)
    speaks_of_itself = None  # whether the clause names the library as 我馆, 本馆: read once, if asked
    for q in quantities:
        if q.kind not in COUNTABLE:
            continue
        if q.start in paired:
            cands = [paired[q.start]]
        else:  # (no metric's words in the clause: no candidate)
            cands = _candidates(q, text, words, used, clause.table_row) if words else []
        year = clause.year
        inherited = False
        left = text[: q.start]
        if not cands and (topic := _topic_total(q, left, context_left_of, clause)):
            cands = [topic]  # 馆藏图书：纸质图书21万册，电子图书10万册，合计31万册
        if not cands:
            # 较2013年的573.7万册 / 较上年增长8万人次，达到53万人次: the figure continues
            # the metric of the sentence's previous figure
            base = scope.comparison_base.search(left)
            if not (base or scope.continuation.search(left)):
                continue
            # the latest first: this clause's, then the document's (not copied into one list)
            prev = next((m for m in chain(reversed(out), reversed(previous)) if m.metric
                         and m.start >= clause.sentence_start and m.unit_symbol == q.unit), None)
            if prev is None:
                continue
            rule = by_id(prev.metric)
            cands = [Candidate(rule, 0, 0, "", -1, False)]
            year, inherited = (int(base.group(1)) if base else year), True
        left_of = _LeftContext(context_left_of, clause, q)  # (only a figure with a candidate reads it)
        # the nearest trigger wins unless its metric's own exclusions rule it out;
        # then the next one is tried (新增馆藏图书: not the collection, new acquisitions)
        chosen = None
        for cand in cands:
            rule = cand.rule
            if cand.generic:
                rule, _ = _resolve_generic(rule, clause, previous + out, left_of("sentence"))
            if rule is None:
                continue
            if speaks_of_itself is None:
                speaks_of_itself = bool(scope.self_reference.search(text))
            if not speaks_of_itself:
                rule = _taken_over(rule, left_of("sentence"))
            reason = veto(rule, q, clause, left_of, own_library)
            if chosen is None or not reason.startswith("excluded context"):
                chosen = (cand, rule, reason)
            if not reason.startswith("excluded context"):
                break
        if chosen is None:
            continue
        best, rule, reason = chosen
        used.add((best.rule.metric, best.start))
        out.append(found_mention(rule.metric, q.value, rule.unit, q.qualifier, clause.status, year, clause.period,
                                 q.raw, q.start, q.end, text, f"{rule.metric}:{'inherit' if inherited else best.trigger}",
                                 clause.part, reason, q.unit, clause.paragraph))
    return out


def _resolve_generic(rule: MetricRule, clause: Clause, previous: list[Mention],
                     sentence_left: str = "") -> tuple[MetricRule | None, str]:
    """参加人次 after 讲座 66 次 is lecture attendance: take the event the text just named.

    Outside a list of parts, the nearest event word earlier in the sentence decides
    (组织读书日系列活动，参与群众3000余人); otherwise the last event the paragraph counted
    as a whole (共开展各类活动45场次。其中…，参与读者上千人), or the row above in a table."""
    kinds = rule.resolve_by_previous
    if sentence_left and not clause.part and not clause.table_row:
        nearest = None
        for metric in kinds:
            r = by_id(metric)
            for m in (r.triggers.finditer(sentence_left) if r.triggers else ()):
                if nearest is None or m.end() > nearest[0]:
                    nearest = (m.end(), metric)
        if nearest is not None:
            target = kinds[nearest[1]]
            return (by_id(target) if target else None), ""
    pool = [m for m in previous if m.metric in kinds and not m.reason]
    if clause.table_row:
        pool = pool[-1:]  # the row above
    else:
        pool = [m for m in pool if m.paragraph == clause.paragraph]
        whole = [m for m in pool if not m.part]
        pool = whole or pool
    if not pool:
        return None, ""
    target = kinds.get(pool[-1].metric)
    if target is None:
        return None, ""
    return next(r for r in metric_rules() if r.metric == target), ""


def _topic_total(q: Quantity, clause_left: str, context_left_of, clause: Clause) -> Candidate | None:
    """A sentence that opens with its topic as a label (馆藏图书：…; 二、读者活动：…) and lists
    its parts: the figure after 合计/共计 is the topic's total."""
    scope = scope_rules()
    if not scope.topic_total.search(clause_left):  # the total word first: the sentence only then
        return None
    label = scope.topic_label.match(context_left_of(clause, q, "sentence"))
    if not label:
        return None
    for rule in metrics_by_unit().get(q.unit, ()):
        if rule.triggers is not None and (m := rule.triggers.search(label.group(1))):
            return Candidate(rule, 0, len(m.group()), m.group(), -1, False)
    return None


class _LeftContext:
    """`context_left_of(clause, q, scope)` for one figure, each scope read once."""

    def __init__(self, context_left_of, clause: Clause, q: Quantity):
        self.context_left_of, self.clause, self.q = context_left_of, clause, q
        self.read: dict[str, str] = {}

    def __call__(self, scope: str) -> str:
        if (left := self.read.get(scope)) is None:
            left = self.read[scope] = self.context_left_of(self.clause, self.q, scope)
        return left


def _taken_over(rule: MetricRule, sentence_left: str) -> MetricRule:
    """电子阅览室全年开放300天，接待读者1.2万人次: the room named as the sentence's subject
    makes a visits figure e-reading visits (`takes_over` in the metric's YAML)."""
    for other in taking_over().get(rule.metric, ()):
        if other.takes_over_when.search(sentence_left):
            return other
    return rule
