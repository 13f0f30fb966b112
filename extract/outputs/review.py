"""`libstat review OUT --html DIR`: static pages that show where every figure came from.

A reviewer checks an extraction against the report itself, so each document's page shows
the report text with every extracted figure highlighted in place (colour by metric, a
dashed frame for targets, a flag for figures the headline step flagged), a side panel with
metric, value, status, year, rule and page, and the figures that were not taken with the
reason.  An index lists the documents and links to their pages.

The tables do not store the text, so the page re-reads the file named in `docs.path`
through the same ingest as the extraction; the offsets of facts and mentions are into
that page text.  A file that is gone (or changed since) gets a page that says so.

Report text is untrusted: every slice of it goes through markupsafe's escape, the pages
are rendered by Jinja2 with autoescape on, and a Content-Security-Policy admits only the
page's own script and style (by hash), so that text such as `<script>` shows as text.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from markupsafe import Markup, escape

from .labels import metric_labels, value_labels
from .reader import read_tables

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


def build_review(out: str | Path, html_dir: str | Path, root: str | Path | None = None) -> list[DocPage]:
    """Write DIR/index.html and DIR/docs/<doc>.html; returns what was written."""
    tables = read_tables(out, ("facts", "mentions", "docs"))
    html_dir = Path(html_dir)
    (html_dir / "docs").mkdir(parents=True, exist_ok=True)
    env = _environment()
    css = env.get_template("review.css.j2").render(metrics=_metric_styles(tables["facts"]))
    js = env.get_template("review.js.j2").render()
    common = {"css": Markup(css), "js": Markup(js), "csp": _csp(css, js), "labels": metric_labels(),
              "statuses": value_labels("statuses"), "qualifiers": value_labels("qualifiers")}
    bases = [Path(root) if root else Path.cwd(), Path(out).resolve().parent]
    facts_by = {d: g for d, g in tables["facts"].groupby("doc", sort=False)}
    mentions = tables["mentions"]
    misses_by = {d: g for d, g in mentions[~mentions["taken"]].groupby("doc", sort=False)}
    pages: list[DocPage] = []
    seen: set[str] = set()
    rows = sorted(tables["docs"].to_dict("records"), key=lambda r: (r["doc"], r["error"] != ""))
    for row in rows:
        if row["doc"] in seen:  # two files with one doc id (report.txt, report.pdf): one page, the readable one
            continue
        seen.add(row["doc"])
        empty = tables["facts"].iloc[0:0]
        page = _doc_page(row, facts_by.get(row["doc"], empty), misses_by.get(row["doc"], mentions.iloc[0:0]))
        _attach_text(page, bases)
        html = env.get_template("doc.html.j2").render(page=page, **common)
        (html_dir / page.href).write_text(html, encoding="utf-8")
        pages.append(page)
    index = env.get_template("index.html.j2").render(pages=pages, out=str(out), **common)
    (html_dir / "index.html").write_text(index, encoding="utf-8")
    return pages


def _environment():
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(loader=PackageLoader("extract.outputs", "templates"), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["num"] = format_value
    env.filters["blank"] = lambda v: "" if v is None or v is pd.NA or (isinstance(v, float) and pd.isna(v)) else v
    return env


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


def _metric_styles(facts: pd.DataFrame) -> list[tuple[str, str]]:
    """(css class, background colour) per metric: 11 hues in three shades, so that each of
    the 33 metrics of the taxonomy has its own colour (metrics beyond those repeat)."""
    from ..stages.rules import metric_ids

    ids = list(metric_ids())
    ids += sorted(set(facts["metric"]) - set(ids))
    shades = ((85, 80), (70, 88), (95, 70))  # (saturation, lightness) %, all light enough for black text
    styles = []
    for i, m in enumerate(ids):
        sat, light = shades[(i // 11) % 3]
        styles.append((metric_class(m), f"hsl({(i % 11) * 360 // 11 + (i // 11) * 11}, {sat}%, {light}%)"))
    return styles


def _csp(css: str, js: str) -> str:
    def sha(text: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"

    return f"default-src 'none'; style-src {sha(css)}; script-src {sha(js)}; img-src data:; base-uri 'none'; form-action 'none'"


def _doc_page(row: dict, facts: pd.DataFrame, misses: pd.DataFrame) -> DocPage:
    order = ["page", "char_start", "char_end"]
    fig_facts = []
    for i, f in enumerate(facts.sort_values(order).to_dict("records"), start=1):
        classes = ["fig", "fact", metric_class(f["metric"])]
        if f["status"] == "target":
            classes.append("target")
        if f["flags"]:
            classes.append("flagged")
        fig_facts.append(Figure(f"f{i}", "fact", _int(f["page"]), _int(f["char_start"]), _int(f["char_end"]), f, classes))
    fig_misses = []
    for i, m in enumerate(misses.sort_values(order).to_dict("records"), start=1):
        classes = ["fig", "miss"] + (["bound"] if m["metric"] else [])
        fig_misses.append(Figure(f"m{i}", "miss", _int(m["page"]), _int(m["char_start"]), _int(m["char_end"]), m, classes))
    return DocPage(doc=row["doc"], href=f"docs/{page_name(row['doc'])}", row=row, facts=fig_facts, misses=fig_misses)


def _int(v) -> int:
    return -1 if v is None or v is pd.NA or pd.isna(v) else int(v)


def _attach_text(page: DocPage, bases: list[Path]) -> None:
    """Re-read the report and lay the highlights into its pages."""
    from ..ingest.dispatch import read_document

    row = page.row
    if row["error"]:
        page.status, page.note = "failed", f"The extraction could not read this document: {row['error']}"
        return
    path = _find(row["path"], bases)
    if path is None:
        page.status, page.note = "missing", f"The report file {row['path']} is no longer there; the figures are listed below without their text."
        return
    doc = read_document(path)
    if doc.error:
        page.status, page.note = "unreadable", f"The report file {path} cannot be read now: {doc.error}"
        return
    if row["sha256"] and doc.sha256 != row["sha256"]:
        page.status, page.note = "changed", f"The report file {path} has changed since the extraction; highlights may be off."
    for p in doc.pages:
        on_page = [f for f in page.facts + page.misses if f.page == p.number]
        page.pages.append((p.number, highlight(p.text, on_page)))
    known = {p.number for p in doc.pages}
    for f in page.facts + page.misses:
        if f.page not in known:
            f.located = False


def _find(path: str, bases: list[Path]) -> Path | None:
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
                  'data-page="{page}" data-raw="{raw}" data-note="{note}">').format(
        id=f.id, cls=" ".join(f.classes), title=title, kind=f.kind, metric=r["metric"], label=label,
        value=format_value(r["value"]), unit=r["unit"], status=r["status"], year=year, period=r["period"],
        qualifier=r["qualifier"], rule=r["rule"], page=f.page, raw=r["raw"], note=what)


def run_review(out: str, html_dir: str, root: str | None = None) -> int:
    """The `libstat review` command: 0 when written, 1 with a one-line reason otherwise."""
    import sys

    from .reader import OutError

    try:
        pages = build_review(out, html_dir, root)
    except (OutError, OSError) as exc:
        print(f"libstat: cannot write the review: {exc}", file=sys.stderr)
        return 1
    lost = [p.doc for p in pages if p.status in ("missing", "unreadable")]
    print(f"{Path(html_dir) / 'index.html'}: {len(pages)} documents, {sum(len(p.facts) for p in pages)} facts"
          + (f"; text not found for {len(lost)}: {', '.join(lost[:5])}" if lost else ""))
    return 0
