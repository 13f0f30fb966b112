"""One document's review page: its figures, the report text they are laid into, and the marks.

The tables do not store the text, so the page re-reads the file named in `docs.path`
through the same ingest as the extraction; the offsets of facts and mentions are into
that page text.  A file that is gone (or changed since) gets a page that says so.

Report text is untrusted: every slice of it goes through markupsafe's escape, and every
attribute value is escaped by `Markup.format`, so that text such as `<script>` shows as text.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from markupsafe import Markup, escape

from .labels import metric_labels

FIXED = re.compile(r"[^A-Za-z0-9_-]+")


@dataclass
class Figure:
    """One highlight: a fact, or a mention that was not taken."""

    id: str
    kind: str  # fact | miss
    page: int
    start: int
    end: int
    row: dict
    classes: list[str] = field(default_factory=list)
    located: bool = True
    target: str = ""  # the key a reviewer's action on it is stored under (corrections.py)
    base: str = ""  # id of the correction in force on that key ('' for none)
    state: str = ""  # accepted | rejected | corrected | added: what the review says of it
    review_note: str = ""  # the review in words, for the side panel and the tables
    pending: bool = False  # a figure a reviewer added that the tables have after the next `extract`

    @property
    def flagged(self) -> bool:
        return "flagged" in self.classes


@dataclass
class DocPage:
    doc: str
    href: str
    row: dict
    facts: list[Figure]
    misses: list[Figure]
    status: str = "ok"  # ok | missing | unreadable | changed | failed
    note: str = ""
    pages: list[tuple[int, Markup]] = field(default_factory=list)
    texts: dict[int, str] = field(default_factory=dict)  # page number → its text (what the offsets index)
    review_notes: list[str] = field(default_factory=list)  # reviews that found no figure on this page


def format_value(v) -> str:
    """396712 → 396,712; 1.5 → 1.5; missing → ''."""
    if v is None or v is pd.NA or (isinstance(v, float) and pd.isna(v)):
        return ""
    return f"{float(v):,.3f}".rstrip("0").rstrip(".")


def page_name(doc: str) -> str:
    """A file name for a doc id that is safe on every file system and in a URL
    (doc ids hold slashes and Chinese); the hash keeps 2013/a and 2013_a apart."""
    slug = FIXED.sub("_", doc).strip("_")[:60] or "doc"
    return f"{slug}-{hashlib.sha1(doc.encode('utf-8')).hexdigest()[:8]}.html"


def metric_class(metric: str) -> str:
    return "m-" + (FIXED.sub("_", metric) or "none")


def doc_page(row: dict, facts: pd.DataFrame, misses: pd.DataFrame) -> DocPage:
    order = ["page", "char_start", "char_end"]
    fig_facts = []
    for i, f in enumerate(facts.sort_values(order).to_dict("records"), start=1):
        fig_facts.append(Figure(f"f{i}", "fact", _int(f["page"]), _int(f["char_start"]), _int(f["char_end"]), f,
                                fact_classes(f)))
    fig_misses = []
    for i, m in enumerate(misses.sort_values(order).to_dict("records"), start=1):
        classes = ["fig", "miss"] + (["bound"] if m["metric"] else [])
        fig_misses.append(Figure(f"m{i}", "miss", _int(m["page"]), _int(m["char_start"]), _int(m["char_end"]), m, classes))
    return DocPage(doc=row["doc"], href=f"docs/{page_name(row['doc'])}", row=row, facts=fig_facts, misses=fig_misses)


def fact_classes(f: dict) -> list[str]:
    classes = ["fig", "fact", metric_class(f["metric"])]
    if f["status"] == "target":
        classes.append("target")
    if headline_flags(f["flags"]):
        classes.append("flagged")
    return classes


def headline_flags(flags: str) -> str:
    """The flags the headline step set (`corrected`, `accepted` are the review's, shown apart)."""
    return ";".join(x for x in str(flags or "").split(";") if x and x not in ("corrected", "accepted"))


def _int(v) -> int:
    return -1 if v is None or v is pd.NA or pd.isna(v) else int(v)


def attach_text(page: DocPage, bases: list[Path]) -> None:
    """Re-read the report and keep its pages' text (the highlights are laid in by `lay_out`)."""
    from ..ingest.dispatch import read_document

    row = page.row
    if row["error"]:
        page.status, page.note = "failed", f"The extraction could not read this document: {row['error']}"
        return
    path = find_file(row["path"], bases)
    if path is None:
        page.status, page.note = "missing", f"The report file {row['path']} is no longer there; the figures are listed below without their text."
        return
    doc = read_document(path)
    if doc.error:
        page.status, page.note = "unreadable", f"The report file {path} cannot be read now: {doc.error}"
        return
    if row["sha256"] and doc.sha256 != row["sha256"]:
        page.status, page.note = "changed", f"The report file {path} has changed since the extraction; highlights may be off."
    page.texts = {p.number: p.text for p in doc.pages}


def lay_out(page: DocPage) -> None:
    """Lay the highlights into the pages' text."""
    page.pages = []
    for number, text in page.texts.items():
        on_page = [f for f in page.facts + page.misses if f.page == number]
        page.pages.append((number, highlight(text, on_page)))
    for f in page.facts + page.misses:
        if f.page not in page.texts:
            f.located = False


def find_file(path: str, bases: list[Path]) -> Path | None:
    p = Path(path)
    candidates = [p] if p.is_absolute() else [b / p for b in bases]
    return next((c for c in candidates if c.is_file()), None)


def highlight(text: str, figures: list[Figure]) -> Markup:
    """The page text as HTML with one <mark> per figure.

    The text is sliced at the figures' offsets and every slice escaped on its own, so
    nothing of the report is ever taken as markup.  A table row's figure spans the whole
    row in the tables; it is narrowed to its raw figure where the row shows it verbatim.
    Figures nest when one lies inside another; one that crosses the end of an enclosing
    figure is cut at that end, so that the marks stay well formed and each figure keeps
    exactly one mark."""
    spans = []
    for f in figures:
        s, e = f.start, f.end
        if not (0 <= s < e <= len(text)):
            f.located = False
            continue
        raw = str(f.row.get("raw") or "").strip()
        if raw and e - s > len(raw) and raw in text[s:e]:
            s += text[s:e].index(raw)
            e = s + len(raw)
        spans.append((s, e, f))
    spans.sort(key=lambda t: (t[0], -t[1], t[2].kind != "fact"))
    parts: list[str] = []
    pos = 0
    stack: list[int] = []  # ends of the open marks

    def close_until(limit: int) -> None:
        nonlocal pos
        while stack and stack[-1] <= limit:
            end = stack.pop()
            parts.append(str(escape(text[pos:end])) + "</mark>")
            pos = end

    for s, e, f in spans:
        close_until(s)
        if stack:
            e = min(e, stack[-1])
        parts.append(str(escape(text[pos:s])))
        parts.append(str(_open_mark(f)))
        pos = s
        stack.append(e)
    close_until(len(text))
    parts.append(str(escape(text[pos:])))
    return Markup("".join(parts))


def _open_mark(f: Figure) -> Markup:
    r = f.row
    year = "" if r.get("year") is None or pd.isna(r.get("year")) else str(int(r["year"]))
    label = metric_labels().get(r["metric"], r["metric"]) if r["metric"] else "—"
    what = r.get("reason", "") if f.kind == "miss" else ("headline" + (f" · {r['flags']}" if r.get("flags") else ""))
    title = f"{label} {format_value(r['value'])} {r['unit']} · {r['status']} · {year or '—'} · {what}"
    return Markup('<mark id="{id}" class="{cls}" tabindex="0" title="{title}" data-kind="{kind}" data-metric="{metric}" '
                  'data-label="{label}" data-value="{value}" data-unit="{unit}" data-status="{status}" '
                  'data-year="{year}" data-period="{period}" data-qualifier="{qualifier}" data-rule="{rule}" '
                  'data-page="{page}" data-start="{start}" data-end="{end}" data-raw="{raw}" data-note="{note}" '
                  'data-target="{target}" data-base="{base}" data-state="{state}" data-review="{review}">').format(
        id=f.id, cls=" ".join(f.classes), title=title, kind=f.kind, metric=r["metric"], label=label,
        value=format_value(r["value"]), unit=r["unit"], status=r["status"], year=year, period=r["period"],
        qualifier=r["qualifier"], rule=r["rule"], page=f.page, start=f.start, end=f.end, raw=r["raw"], note=what,
        target=f.target, base=f.base, state=f.state, review=f.review_note)
