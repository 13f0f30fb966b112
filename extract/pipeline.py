"""The whole flow for one document: `extract_document(path) -> DocResult`.

ingest → normalize → attribution → segment → quantities → rules → headline.
The CLI, the tests and the batch runners all call this one function.
"""

from __future__ import annotations

import bisect
import time
from pathlib import Path

from . import patterns
from .ingest.dispatch import read_document
from .ingest.settings import IngestSettings
from .model import Clause, DocResult, Fact, Mention, Quantity, found_mention
from .quantities import find_quantities
from .stages.attribution import attribute, core, names_in, same_library
from .stages.headline import choose
from .stages.identity import resolve
from .stages.normalize import normalize
from .stages.rules import bind_clause
from .stages.scope import (
    may_name_other_body,
    named_body,
    opens_with_other_body,
    other_bodies,
    own_kind,
    right_context_reason,
    self_references,
)
from .stages.segment import segment
from .stages.status import Context
from .stages.tables_text import with_label_units
from .stages.tokens import labels

EVIDENCE_CHARS = 60
ASCII_DIGIT = patterns.compile("[0-9]")
LINE_BREAK_IN_CJK = patterns.compile(r"(?<![A-Za-z])[ \t]*\n\s*|\s*\n[ \t]*(?![A-Za-z])")


def extract_document(path: str | Path, root: str | Path | None = None,
                     settings: IngestSettings | None = None) -> DocResult:
    t0 = time.perf_counter()
    doc = read_document(path, root, settings)
    res = DocResult(doc=doc.doc, path=doc.path, sha256=doc.sha256, encoding=doc.encoding, error=doc.error,
                    flags=doc.flags)
    if doc.error:
        res.seconds = time.perf_counter() - t0
        return res
    try:
        _extract(doc.pages, res)
    except Exception as e:  # one bad document must not stop a batch
        res.error = f"internal error: {type(e).__name__}: {e}"
        res.facts, res.mentions = [], []
    res.seconds = time.perf_counter() - t0
    return res


def extract_text(text: str, doc: str = "text") -> DocResult:
    """The same flow on a string (rule examples, notebooks, quick checks)."""
    from .model import Page

    res = DocResult(doc=doc, path="")
    _extract([Page(1, text)], res)
    return res


def _extract(pages, res: DocResult) -> None:
    original = "\f".join(p.text for p in pages)
    page_starts = []
    pos = 0
    for p in pages:
        page_starts.append(pos)
        pos += len(p.text) + 1
    nt = normalize(original)
    res.pages, res.chars = len(pages), len(original)
    attr = attribute(nt)
    res.library, res.year, res.doc_type, res.period = attr.library, attr.year, attr.doc_type, attr.period
    res.library, res.library_id = _identity(attr.library, nt.text)
    if not nt.text.strip():
        res.error = "no text after removing page debris"
        return
    ctx = Context(doc_year=attr.year, doc_status="target" if attr.doc_type == "plan" else "actual",
                  doc_period=attr.period, traditional=nt.traditional, now_year=attr.now_year)
    quantities = with_label_units(nt.text, find_quantities(nt.text))
    bindable = [_bindable(q) for q in quantities]  # read by segment (where the figures are) and by _bind
    clauses = segment(nt.text, ctx, [q.start for q, b in zip(quantities, bindable, strict=True) if b])
    mentions = _bind(nt.text, clauses, quantities, bindable, res.library)
    for m in mentions:
        _locate(m, nt, page_starts, original)
    headlines = choose(mentions)
    # word tokens only where a figure is reported
    for (m, _), words in zip(headlines, labels([m.clause[: m.start - m.clause_start] or m.clause
                                                for m, _ in headlines]), strict=True):
        m.label = words
    res.mentions = mentions
    ocr_pages = {i for i, p in enumerate(pages, start=1) if p.ocr}  # read by OCR: say so
    res.facts = [_fact(m, ";".join(x for x in (flags, "ocr" if m.page in ocr_pages else "") if x), res)
                 for m, flags in headlines]


def _identity(library: str, text: str) -> tuple[str, str]:
    """The report's library and its library_id.  A name for many libraries together
    (江苏省公共图书馆, 厦门全市公共图书馆) is no library: the report is the reporting library's,
    the one library the text names most often (its figures for the whole sector stay
    figures of other bodies); no such library, no name."""
    ident = resolve(library, text)
    if ident or not library:
        return library, ident.library_id if ident else ""
    counts: dict[str, list] = {}
    for _, name in names_in(text):
        other = resolve(name, text) if name else None
        if other:
            counts.setdefault(other.library_id, [0, name])[0] += 1
    if not counts:
        return "", ""
    library_id, (_, name) = max(counts.items(), key=lambda kv: kv[1][0])  # ties: the first named
    return name, library_id


def _bind(text: str, clauses: list[Clause], quantities: list[Quantity], bindable: list[bool],
          library: str) -> list[Mention]:
    """Mentions of the clauses' figures (`bindable`: _bindable of each quantity)."""
    starts = [q.start for q in quantities]
    mentions: list[Mention] = []

    library_core = core(library)
    subject_start = _SubjectStarts(text)

    def context_left(clause: Clause, q: Quantity, scope_name: str) -> str:
        if clause.table_row:  # a row is its own context
            left = clause.text[: q.start]
            return named_body(left) if scope_name == "subject_body" else left
        end = clause.start + q.start
        if scope_name == "sentence":
            return text[clause.sentence_start : end]
        # subject_body: the subject lies in the reach: where no other body can be named there, none is
        if not may_name_other_body(text[subject_start.earliest(clause) : end]):
            return ""
        left = text[subject_start(clause) : end]  # the subject lies in it
        if not may_name_other_body(left):
            return ""  # (nor does the subject, a part of it, name one: where it starts is not read)
        # the body named last speaks: 文化馆…；图书馆接待读者… is the library's again.  A
        # 图书馆 inside another body's words (全省公共图书馆) does not hand it back.
        # 少儿图书馆 in a children's library's report is the library itself
        bodies = other_bodies(left)
        others = [m.span() for m in bodies if not own_kind(m.group(), library)]
        selves = [e for s, e in self_references(left, library_core) if not others or not any(a <= s < b for a, b in others)]
        selves += [m.end() for m in bodies if own_kind(m.group(), library)]
        return named_body(left[max(selves, default=0):])

    def other_library(left: str) -> str:
        for _, name in names_in(left):
            if name and library and not same_library(name, library):
                return name
        return ""

    for clause in clauses:
        if clause.table_row:
            local = find_quantities(clause.text)
            if not any(_bindable(q) for q in local):
                continue
        else:
            lo = bisect.bisect_left(starts, clause.start)
            hi = bisect.bisect_left(starts, clause.end, lo)
            end = clause.end
            inside = [i for i in range(lo, hi) if quantities[i].end <= end]
            # the clause's figures moved to its own offsets only when the rules can take one
            if not any([bindable[i] for i in inside]):
                continue
            local = [_shift(quantities[i], -clause.start) for i in inside]
        found = bind_clause(clause, local, context_left, other_library, mentions)
        if with_unit := [q for q in local if q.unit and q.kind == "count"]:
            bound = {m.start for m in found}
            for q in with_unit:
                if q.start not in bound and any(map(str.isdigit, q.raw)):
                    found.append(_unbound(q, clause))
        for m in found:
            m.clause_start, m.clause_end = clause.start, clause.end
            if clause.table_row:
                m.start, m.end = clause.start, clause.end
            else:
                m.start += clause.start
                m.end += clause.start
                if m.metric and not m.reason:
                    m.reason = right_context_reason(text, m, clause, library)
        mentions.extend(found)
    return mentions


OPENING_AFTER = patterns.compile(r"[。！？!?;；\n]")  # a sentence end or a line break: a sentence opens after it


class _SubjectStarts:
    """Where the subject of a figure may have been named: its own sentence, or an earlier
    sentence of the paragraph, not far back, that opens with another body (全县农家书屋共200家。
    全年接待读者5万人次。).  A body named in passing in an earlier sentence (为110家农家书屋采购
    图书) is not the subject of the next one.

    Only the openings within reach are read (a report written as one long line made a look
    back over the whole paragraph quadratic), each tested for another body once."""

    REACH = 600  # characters: a subject named further back than this no longer speaks

    def __init__(self, text: str):
        self.text = text
        self.is_head: dict[int, bool] = {}
        # by sentence: a clause's figures share its subject, and so do the sentence's clauses
        # (a sentence lies within a line: its clauses' paragraph is its own)
        self.found: dict[int, int] = {}
        self.reach: dict[int, int] = {}

    def __call__(self, clause: Clause) -> int:
        if (found := self.found.get(clause.sentence_start)) is None:
            found = self.found[clause.sentence_start] = self._start(clause.sentence_start)
        return found

    def earliest(self, clause: Clause) -> int:
        """Where the subject of the clause's figures may start at the earliest."""
        return min(clause.sentence_start, self._reach(clause.sentence_start))

    def _reach(self, sentence_start: int) -> int:
        if (reach := self.reach.get(sentence_start)) is None:  # in the paragraph
            reach = self.reach[sentence_start] = max(self.text.rfind("\n", 0, sentence_start) + 1,
                                                     sentence_start - self.REACH)
        return reach

    def _start(self, sentence_start: int) -> int:
        text = self.text
        reach = self._reach(sentence_start)
        opens = [m.end() for m in OPENING_AFTER.finditer(text, max(reach - 1, 0), sentence_start)]
        if reach == 0:
            opens.insert(0, 0)
        # the last opening at or before the sentence that opens with another body
        for p in reversed(opens):
            if (head := self.is_head.get(p)) is None:
                head = self.is_head[p] = opens_with_other_body(text, p)
            if head:
                return p
        return sentence_start


def _unbound(q: Quantity, clause: Clause) -> Mention:
    """A figure with a unit that no metric's words introduce: listed, never a headline."""
    return found_mention("", q.value, q.unit or "", q.qualifier, clause.status, clause.year, clause.period, q.raw,
                         q.start, q.end, clause.text, "", clause.part, "no metric words for this figure", q.unit,
                         clause.paragraph)


def _bindable(q: Quantity) -> bool:
    """A figure the rules can take: a count with a unit, or in digits (到馆人次达100万)."""
    return q.kind in ("count", "range") and (q.unit is not None or ASCII_DIGIT.search(q.raw) is not None)


def _shift(q: Quantity, delta: int) -> Quantity:
    return Quantity(q.value, q.unit, q.qualifier, q.start + delta, q.end + delta, q.raw, q.kind, q.value_hi)


def _locate(m: Mention, nt, page_starts: list[int], original: str) -> None:
    """Original-text offsets, page number and a verbatim evidence snippet."""
    s, e = nt.orig_span(m.start, m.end)
    page = bisect.bisect_right(page_starts, s)
    base = page_starts[page - 1]
    m.page, m.char_start, m.char_end = page, s - base, e - base
    # evidence: the clause around the figure, as the source writes it
    lo = max(m.clause_start, m.start - EVIDENCE_CHARS // 2)
    hi = min(max(m.clause_end, m.end), m.end + EVIDENCE_CHARS // 3)
    cs, ce = nt.orig_span(lo, hi)
    snippet = original[cs:ce]
    if "\n" in snippet:  # both branches match at a line break
        snippet = LINE_BREAK_IN_CJK.sub("", snippet)
    m.evidence = " ".join(snippet.split()).strip(" ,，。;；:：")


def _fact(m: Mention, flags: str, res: DocResult) -> Fact:
    return Fact(
        doc=res.doc, library=res.library, library_id=res.library_id, year=m.year, metric=m.metric, value=m.value, unit=m.unit,
        status=m.status, period=m.period, qualifier=m.qualifier, raw=m.raw, evidence=m.evidence,
        page=m.page, char_start=m.char_start, char_end=m.char_end, rule=m.rule, flags=flags,
    )
