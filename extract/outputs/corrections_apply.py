"""Reviewers' corrections applied to a document's rows, as a run stores them.

A batch calls the `Corrector` once per document file when it loads its rows into the store
(`Store.update(adjust=…)`), whether the rows were just extracted or come from the cache, so
every table, export and page made from the store shows the corrected figures.  The rules'
output is not lost: the mention a fact came from keeps the rules' figure, and its reason says
what the review did to it, which is what `evaluate --corrections` scores.

- accept: the fact, while it still has the accepted value, is flagged `accepted`;
- reject: the fact, while it still has the rejected value, becomes a mention that was not
  taken, reason `rejected in review` (another value at that key is another figure: it stays);
- correct: the fact the reviewer saw (at its key, with the value seen, or any value when the
  key stays the same) takes the stated metric, value, status, year and period and is flagged
  `corrected`; its mention keeps the rules' figure with the reason `corrected in review`.  A
  rules' fact already at the stated key gives way (`replaced in review`) unless it has the
  stated value.  If the rules no longer give the figure, it is added where it stood;
- add: a fact at the stated key from the words the reviewer selected (rule `review`, flagged
  `corrected`), unless the rules already give that figure (then it is flagged `accepted`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

from .corrections import Correction, CorrectionStore, by_sha, close, digest, fact_target

log = logging.getLogger("libstat")

REJECTED = "rejected in review"
CORRECTED = "corrected in review"
REPLACED = "replaced in review"
REVIEW_REASONS = (REJECTED, CORRECTED, REPLACED)
REVIEW_RULE = "review"


class Corrector:
    """The corrections in force in one OUT folder."""

    def __init__(self, rows: list[Correction]):
        self.rows = rows
        self.by_sha = by_sha(rows)

    @classmethod
    def load(cls, out: str | Path) -> Corrector:
        store = CorrectionStore(out)
        if not store.exists():
            return cls([])
        try:
            return cls(store.read())
        except Exception as e:  # an unreadable file must not stop a run; the reviewer is told
            log.warning("cannot read the review corrections in %s (%s): the tables are stored without them",
                        store.path, str(e).splitlines()[0] if str(e) else type(e).__name__)
            return cls([])

    def __bool__(self) -> bool:
        return bool(self.by_sha)

    def digest(self, shas: Iterable[str]) -> str:
        """Changes whenever a correction of one of these files is made or withdrawn."""
        return digest(c for s in sorted(set(shas)) for c in self.by_sha.get(s, []))

    def stale(self, doc: str, known: set[str]) -> list[Correction]:
        """Corrections in force that were made on `doc` when its content was another, one
        that no file of the run has: they no longer apply."""
        return [c for s, cs in self.by_sha.items() if s not in known for c in cs if c.doc == doc]

    def __call__(self, doc: str, rows: dict[str, dict[str, list]]) -> dict[str, dict[str, list]]:
        shas = rows["docs"]["sha256"]
        cs = self.by_sha.get(shas[0] if shas else "", [])
        return apply(rows, cs) if cs else rows


def _records(cols: dict[str, list]) -> list[dict]:
    names = list(cols)
    return [dict(zip(names, values)) for values in zip(*(cols[n] for n in names))] if names else []


def _columns(records: list[dict], names: list[str]) -> dict[str, list]:
    return {n: [r[n] for r in records] for n in names}


def _key(row: dict) -> str:
    return fact_target(row["metric"], row["status"], row["year"], row["period"])


def _flag(row: dict, flag: str) -> None:
    flags = [f for f in str(row.get("flags") or "").split(";") if f]
    if flag not in flags:
        row["flags"] = ";".join(flags + [flag])


def apply(rows: dict[str, dict[str, list]], corrections: list[Correction]) -> dict[str, dict[str, list]]:
    """The rows of one document file with its corrections in force (in the order made)."""
    fact_names, mention_names = list(rows["facts"]), list(rows["mentions"])
    facts, mentions = _records(rows["facts"]), _records(rows["mentions"])
    docs = rows["docs"]
    by_key = {_key(f): f for f in facts}

    def mention_of(f: dict) -> dict | None:
        key = _key(f)
        return next((m for m in mentions if m["taken"] and m["char_start"] == f["char_start"] and _key(m) == key), None)

    def drop(f: dict, reason: str) -> None:
        facts.remove(f)
        by_key.pop(_key(f), None)
        if (m := mention_of(f)) is not None:
            m["taken"], m["reason"] = False, reason

    for c in corrections:
        f = by_key.get(c.target)
        if c.action == "accept":
            if f is not None and close(f["value"], c.value):
                _flag(f, "accepted")
        elif c.action == "reject":
            if f is not None and close(f["value"], c.value):
                drop(f, REJECTED)
        elif c.action in ("correct", "add"):
            stated = c.result_target
            if c.action == "add" or (f is not None and not (close(f["value"], c.value) or stated == c.target)):
                f = None  # the rules' figure at that key is not the one the reviewer saw
            g = by_key.get(stated)
            if g is not None and g is not f and close(g["value"], c.new_value):
                _flag(g, "accepted")  # the rules give the stated figure already
                if f is not None:
                    drop(f, CORRECTED)
                continue
            if g is not None and g is not f:
                drop(g, REPLACED)
            if f is not None:
                if stated == c.target and close(f["value"], c.new_value):
                    _flag(f, "accepted")
                    continue
                if (m := mention_of(f)) is not None:
                    m["reason"] = CORRECTED
                by_key.pop(_key(f), None)
                f.update(metric=c.new_metric, value=c.new_value, unit=c.new_unit or f["unit"], status=c.new_status,
                         year=c.new_year, period=c.new_period, qualifier=c.new_qualifier or f["qualifier"])
                _flag(f, "corrected")
            else:
                f = _new_fact(c, docs)
                facts.append(f)
            by_key[stated] = f
    facts.sort(key=lambda f: (f["page"] if f["page"] is not None else 0, f["char_start"] or 0))
    out = dict(rows)
    out["facts"] = _columns(facts, fact_names)
    out["mentions"] = _columns(mentions, mention_names)
    out["docs"] = {**docs, "n_facts": [len(facts)] * len(docs["doc"])}
    return out


def _new_fact(c: Correction, docs: dict[str, list]) -> dict:
    first = {k: v[0] if v else "" for k, v in docs.items()}
    return {"doc": first["doc"], "library": first["library"], "library_id": first["library_id"], "year": c.new_year,
            "metric": c.new_metric, "value": c.new_value, "unit": c.new_unit, "status": c.new_status,
            "period": c.new_period, "qualifier": c.new_qualifier or "exact", "raw": c.raw, "evidence": c.evidence,
            "page": c.page if c.page is not None else 1, "char_start": c.char_start or 0, "char_end": c.char_end or 0,
            "rule": REVIEW_RULE, "flags": "corrected"}


def rules_facts(mentions) -> object:
    """The facts the rules gave, from an extraction's mentions table (a DataFrame): the taken
    mentions and those the review took out of the facts."""
    return mentions[mentions["taken"] | mentions["reason"].isin(REVIEW_REASONS)]
