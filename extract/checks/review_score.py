"""`libstat evaluate --corrections OUT`: the rules scored against the reviewers' own judgement.

The corrections in OUT/corrections.duckdb are the analyst's gold on their own archive: a fact
accepted is right, a correction or an addition says what the right figure is, a rejection says
a figure is not the library's.  The current extraction's rules' facts — the taken mentions,
and those that the review itself took out of the facts (corrections_apply.rules_facts) — are
scored against them with the matching of METRICS.md (doc, metric, status, year, period; value
within 0.5 %):

- a rules' fact at a key the reviewers gave a figure for is right if it has that figure, else wrong;
- a rules' fact with a value the reviewers rejected at its key (or corrected away from it) is wrong;
- any other rules' fact was not judged, and counts neither way;
- a figure the reviewers gave that no rules' fact matches is missed.

Only corrections made on the content the documents have now count (keyed by sha256).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ..outputs.corrections import Correction, CorrectionStore, by_sha, close
from ..outputs.corrections_apply import rules_facts
from .evaluate import Rates, metric_lines


@dataclass
class ReviewScore(Rates):
    tp: int = 0
    fp: int = 0
    gold: int = 0
    unjudged: int = 0
    per_metric: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0, 0]))  # tp, judged, gold
    wrong: list[tuple] = field(default_factory=list)  # (doc, key, rules' value, what the reviewer said, evidence)
    missed: list[tuple] = field(default_factory=list)  # (doc, key, reviewer's value, correction)
    actions: Counter = field(default_factory=Counter)
    n_docs: int = 0
    stale: int = 0  # corrections in force on content that no document of the extraction has

    @property
    def judged(self) -> int:
        return self.tp + self.fp


def _who(c: Correction) -> str:
    return f"{c.action} by {c.reviewer} {c.at}"


def evaluate_corrections(out: str | Path) -> ReviewScore:
    from ..outputs.reader import OutError, read_tables

    rows = CorrectionStore(out).read()
    if not rows:
        raise ValueError(f"no review corrections in {out} (make some with `libstat review {out} --serve`)")
    try:
        tables = read_tables(out, ("mentions", "docs"))
    except OutError as e:
        raise ValueError(str(e)) from e
    docs = tables["docs"]
    docs = docs[docs["error"] == ""]
    shas = dict(zip(docs["doc"], docs["sha256"]))
    facts = rules_facts(tables["mentions"])
    predicted = defaultdict(list)
    for r in facts.to_dict("records"):
        predicted[r["doc"]].append(r)
    in_force = by_sha(rows)
    s = ReviewScore()
    s.stale = sum(len(cs) for sha, cs in in_force.items() if sha not in set(shas.values()))
    for doc, sha in sorted(shas.items()):
        cs = in_force.get(sha)
        if not cs:
            continue
        s.n_docs += 1
        gold: dict[str, tuple[float, Correction]] = {}
        negative: dict[str, list[tuple[float, Correction]]] = defaultdict(list)
        for c in cs:
            s.actions[c.action] += 1
            if c.action == "accept":
                gold[c.target] = (c.value, c)
            elif c.action == "reject":
                negative[c.target].append((c.value, c))
            else:
                gold[c.result_target] = (c.new_value, c)
                if c.action == "correct" and c.result_target != c.target:
                    negative[c.target].append((c.value, c))
        _score(s, doc, gold, negative, predicted[doc])
    return s


def _score(s: ReviewScore, doc: str, gold: dict, negative: dict, predicted: list[dict]) -> None:
    from ..outputs.corrections import fact_target

    matched: set[str] = set()
    for r in predicted:
        key = fact_target(r["metric"], r["status"], r["year"], r["period"])
        metric = r["metric"]
        if key in gold:
            value, c = gold[key]
            s.per_metric[metric][1] += 1
            if key not in matched and close(r["value"], value):
                matched.add(key)
                s.tp += 1
                s.per_metric[metric][0] += 1
            else:
                s.fp += 1
                s.wrong.append((doc, key, r["value"], f"{value:g} ({_who(c)})", r["evidence"]))
        elif any(close(r["value"], v) for v, _ in negative.get(key, [])):
            c = next(c for v, c in negative[key] if close(r["value"], v))
            s.fp += 1
            s.per_metric[metric][1] += 1
            s.wrong.append((doc, key, r["value"], f"not the library's figure ({_who(c)})", r["evidence"]))
        else:
            s.unjudged += 1
    for key, (value, c) in gold.items():
        s.gold += 1
        s.per_metric[key[5:].split("|")[0]][2] += 1
        if key not in matched:
            s.missed.append((doc, key, value, c))


def _key_words(key: str) -> str:
    metric, status, year, period = key.removeprefix("fact:").split("|")
    return " ".join(x for x in (metric, status, year or "—", period) if x)


def review_report(s: ReviewScore, misses: bool = True) -> str:
    lines = metric_lines(s.per_metric, "judged")
    if misses:
        for doc, key, value, said, ev in s.wrong:
            lines.append(f"WRONG  {doc} {_key_words(key)}  rules {value:g}  reviewer {said}  | {ev}")
        for doc, key, value, c in s.missed:
            lines.append(f"MISSED {doc} {_key_words(key)}  reviewer {value:g} ({_who(c)})  | {c.raw or c.evidence}")
    acts = ", ".join(f"{s.actions[a]} {w}" for a, w in (("accept", "accepted"), ("correct", "corrected"),
                                                         ("add", "added"), ("reject", "rejected")) if s.actions[a])
    lines.append(f"reviews: {sum(s.actions.values())} in force on {s.n_docs} document(s) ({acts or 'none'}); "
                 f"{s.unjudged} rules' facts there not judged"
                 + (f"; {s.stale} made on content no document has now (not counted)" if s.stale else ""))
    lines.append(f"precision {s.precision:.3f} ({s.tp}/{s.tp + s.fp})  recall {s.recall:.3f} ({s.tp}/{s.gold})")
    lines.append(f"F1 {s.f1:.3f}")
    return "\n".join(lines)
