"""What the reviewers said of each figure of a review page (OUT/corrections.duckdb).

A page shows the tables as the last `extract` stored them, with the corrections then in
force already applied, plus whatever reviewers did since.  So a correction is attached to
the figure it was made on — the fact at its key (`fact:metric|status|year|period`), the fact
a correction made (its stated key), the mention a rejection turned a fact into, the mention a
figure was added from — and a correction or addition that no figure carries yet is shown as a
figure of its own where its words stand.  Each figure also gets the key a new action on it is
stored under and the id of the correction in force there, which the server checks so that two
tabs cannot overwrite each other's work unseen.
"""

from __future__ import annotations

from .corrections import Correction, add_target, close, fact_target
from .corrections_apply import REJECTED, REVIEW_RULE
from .labels import metric_labels
from .review_page import DocPage, Figure, fact_classes, format_value

STATES = {"accept": "accepted", "reject": "rejected", "correct": "corrected", "add": "added"}
WORDS = {"accept": "已确认 accepted", "reject": "已否决 rejected (not the library's figure)",
         "correct": "已更正 corrected", "add": "已补录 added"}


def describe(c: Correction) -> str:
    """A correction in words: 已更正 corrected → 到馆人次 132,456 · actual · 2015 — 王芳, 2026-12-02T08:15:02Z."""
    what = WORDS.get(c.action, c.action)
    if c.action in ("correct", "add"):
        label = metric_labels().get(c.new_metric, c.new_metric)
        year = "" if c.new_year is None else str(c.new_year)
        period = f" · {c.new_period}" if c.new_period else ""
        what += f" → {label} {format_value(c.new_value)} · {c.new_status} · {year or '—'}{period}"
    if c.note:
        what += f" ({c.note})"
    return f"{what} — {c.reviewer}, {c.at}"


def _applies(c: Correction, row: dict) -> bool:
    """Whether a correction on a key still speaks of this figure (the rule of corrections_apply)."""
    if c.action in ("accept", "reject"):
        return close(row["value"], c.value)
    if c.action == "correct":
        return close(row["value"], c.value) or c.result_target == c.target
    return True


def overlay(page: DocPage, corrections: list[Correction], earlier: int = 0) -> None:
    """Attach the corrections in force on this page's document (in the order made) to its figures.

    `earlier`: how many corrections were made on another content of this doc (they no longer apply)."""
    by_target = {c.target: c for c in corrections}
    by_result = {c.result_target: c for c in corrections if c.result_target}
    claimed: set[str] = set()
    for f in page.facts:
        key = fact_target(f.row["metric"], f.row["status"], f.row["year"], f.row["period"])
        c = by_target.get(key)
        if c is None and (f.row["rule"] == REVIEW_RULE or "corrected" in f.row["flags"] or "accepted" in f.row["flags"]):
            c = by_result.get(key)  # a fact that the last extract made from a correction
        _attach(f, key, c, claimed, applies=c is not None and (c.target != key or _applies(c, f.row)))
    for m in page.misses:
        if m.row["reason"] == REJECTED:
            key = fact_target(m.row["metric"], m.row["status"], m.row["year"], m.row["period"])
        else:  # a figure the rules did not take may be added from its words
            key = add_target(m.page, m.start, m.end)
        c = by_target.get(key)
        _attach(m, key, c, claimed, applies=c is not None and c.id not in claimed)
    for i, c in enumerate((c for c in corrections if c.id not in claimed), start=1):
        if c.action in ("correct", "add") and c.page is not None and c.char_start is not None:
            page.facts.append(_figure_of(f"a{i}", c, claimed))
        else:
            page.review_notes.append(f"{describe(c)}: the extraction no longer has this figure "
                                     f"({c.metric} {format_value(c.value)}, {c.status}, {c.year or '—'})")
    page.facts.sort(key=lambda f: (f.page, f.start, f.end))
    if earlier:
        page.review_notes.append(f"{earlier} correction(s) were made on an earlier version of this document "
                                 "and no longer apply.")


def _attach(f: Figure, key: str, c: Correction | None, claimed: set[str], applies: bool) -> None:
    f.target = c.target if c is not None and applies else key
    f.base = c.id if c is not None and c.target == f.target else ""
    if c is not None and applies:
        f.state = STATES[c.action]
        f.review_note = describe(c)
        f.classes.append(f"r-{f.state}")
        claimed.add(c.id)


def _figure_of(fid: str, c: Correction, claimed: set[str]) -> Figure:
    """A figure a reviewer stated that no figure of the tables carries yet: it is in the tables
    after the next `extract`."""
    row = {"metric": c.new_metric, "value": c.new_value, "unit": c.new_unit, "status": c.new_status,
           "year": c.new_year, "period": c.new_period, "qualifier": c.new_qualifier, "raw": c.raw,
           "evidence": c.evidence, "rule": REVIEW_RULE, "flags": "", "page": c.page}
    f = Figure(fid, "fact", int(c.page), int(c.char_start), int(c.char_end or c.char_start), row, fact_classes(row))
    _attach(f, c.target, c, claimed, applies=True)
    f.pending = True
    return f
