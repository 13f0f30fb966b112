"""`libstat review OUT --html DIR`: pages that show where every figure came from.

A reviewer checks an extraction against the report itself, so each document's page shows
the report text with every extracted figure highlighted in place (colour by metric, a
dashed frame for targets, a flag for figures the headline step flagged), a side panel with
metric, value, status, year, rule and page, and the figures that were not taken with the
reason.  An index lists the documents and links to their pages.  What reviewers said of a
figure (OUT/corrections.duckdb: accepted, rejected, corrected, added) is shown on it.

The same pages are written as static files (`build_review`) or served, with the controls a
reviewer corrects figures with (`review_server.py`, `ReviewSite(serve=True)`).

Report text is untrusted: every slice of it is escaped on its own (`review_page.highlight`),
the pages are rendered by Jinja2 with autoescape on, and a Content-Security-Policy admits only
the page's own script and style (by hash), so that text such as `<script>` shows as text.
"""

from __future__ import annotations

import base64
import hashlib
import logging
from pathlib import Path

import pandas as pd
from markupsafe import Markup

from .corrections import PERIODS, QUALIFIERS, STATUSES, Correction, CorrectionStore, by_sha
from .labels import metric_labels, value_labels
from .reader import read_tables
from .review_page import (  # noqa: F401  (Figure, highlight, page_name … are this module's interface too)
    DocPage,
    Figure,
    attach_text,
    doc_page,
    format_value,
    highlight,
    lay_out,
    metric_class,
    page_name,
)
from .review_state import overlay

log = logging.getLogger("libstat")


class ReviewSite:
    """The review pages of one extraction; `serve` adds the reviewer's controls."""

    def __init__(self, out: str | Path, root: str | Path | None = None, serve: bool = False, csrf: str = "",
                 reviewer: str = ""):
        self.out, self.serve, self.csrf, self.reviewer = Path(out), serve, csrf, reviewer
        self.env = _environment()
        self.bases = [Path(root) if root else Path.cwd(), self.out.resolve().parent]
        self.load()

    def load(self) -> None:
        """(Re)read the tables: a server does so whenever an `extract` has written new ones."""
        tables = read_tables(self.out, ("facts", "mentions", "docs"))
        self.facts_by = {d: g for d, g in tables["facts"].groupby("doc", sort=False)}
        mentions = tables["mentions"]
        self.misses_by = {d: g for d, g in mentions[~mentions["taken"]].groupby("doc", sort=False)}
        self.empty_facts, self.empty_misses = tables["facts"].iloc[0:0], mentions.iloc[0:0]
        self.rows: dict[str, dict] = {}
        for row in sorted(tables["docs"].to_dict("records"), key=lambda r: (r["doc"], r["error"] != "")):
            self.rows.setdefault(row["doc"], row)  # two files with one doc id (a.txt, a.pdf): the readable one
        self.by_name = {page_name(d): d for d in self.rows}
        css = self.env.get_template("review.css.j2").render(metrics=_metric_styles(tables["facts"]))
        js = self.env.get_template("review.js.j2").render()
        if self.serve:
            js += "\n" + self.env.get_template("review_serve.js.j2").render()
        from ..stages.metric_rules import metric_rules

        self.common = {"css": Markup(css), "js": Markup(js), "csp": csp(css, js, self.serve), "labels": metric_labels(),
                       "statuses": value_labels("statuses"), "qualifiers": value_labels("qualifiers"),
                       "serve": self.serve, "csrf": self.csrf, "reviewer": self.reviewer,
                       "metrics": [(r.metric, metric_labels().get(r.metric, r.metric), r.unit) for r in metric_rules()],
                       "periods": PERIODS, "status_ids": STATUSES, "qualifier_ids": QUALIFIERS}

    def corrections(self) -> dict[str, list[Correction]]:
        """sha256 → the corrections in force on that content ({} when none can be read)."""
        try:
            return by_sha(CorrectionStore(self.out).read())
        except Exception as e:  # a damaged corrections file must not hide the pages
            log.warning("cannot read the review corrections in %s: %s", self.out, str(e).splitlines()[0] if str(e) else e)
            return {}

    def page(self, doc: str, in_force: dict[str, list[Correction]], with_text: bool = True) -> DocPage:
        row = self.rows[doc]
        page = doc_page(row, self.facts_by.get(doc, self.empty_facts), self.misses_by.get(doc, self.empty_misses))
        if with_text:
            attach_text(page, self.bases)
        earlier = sum(1 for sha, cs in in_force.items() if sha != row["sha256"] for c in cs if c.doc == doc)
        overlay(page, in_force.get(row["sha256"], []) if row["sha256"] else [], earlier=earlier)
        lay_out(page)
        return page

    def doc_html(self, page: DocPage) -> str:
        return self.env.get_template("doc.html.j2").render(page=page, **self.common)

    def index_html(self, pages: list[DocPage]) -> str:
        return self.env.get_template("index.html.j2").render(pages=pages, out=str(self.out), **self.common)


def build_review(out: str | Path, html_dir: str | Path, root: str | Path | None = None) -> list[DocPage]:
    """Write DIR/index.html and DIR/docs/<doc>.html; returns what was written."""
    site = ReviewSite(out, root)
    html_dir = Path(html_dir)
    (html_dir / "docs").mkdir(parents=True, exist_ok=True)
    in_force = site.corrections()
    pages = []
    for doc in site.rows:
        page = site.page(doc, in_force)
        (html_dir / page.href).write_text(site.doc_html(page), encoding="utf-8")
        pages.append(page)
    (html_dir / "index.html").write_text(site.index_html(pages), encoding="utf-8")
    return pages


def _environment():
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(loader=PackageLoader("extract.outputs", "templates"), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["num"] = format_value
    env.filters["blank"] = lambda v: "" if v is None or v is pd.NA or (isinstance(v, float) and pd.isna(v)) else v
    return env


def _metric_styles(facts: pd.DataFrame) -> list[tuple[str, str]]:
    """(css class, background colour) per metric: 11 hues in three shades, so that each of
    the 33 metrics of the taxonomy has its own colour (metrics beyond those repeat)."""
    from ..stages.metric_rules import metric_ids

    ids = list(metric_ids())
    ids += sorted(set(facts["metric"]) - set(ids))
    shades = ((85, 80), (70, 88), (95, 70))  # (saturation, lightness) %, all light enough for black text
    styles = []
    for i, m in enumerate(ids):
        sat, light = shades[(i // 11) % 3]
        styles.append((metric_class(m), f"hsl({(i % 11) * 360 // 11 + (i // 11) * 11}, {sat}%, {light}%)"))
    return styles


def csp(css: str, js: str, serve: bool = False) -> str:
    """Only the page's own style and script; a served page may also talk to its own server."""
    def sha(text: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"

    connect = "; connect-src 'self'" if serve else ""
    return (f"default-src 'none'; style-src {sha(css)}; script-src {sha(js)}{connect}; img-src data:; "
            "base-uri 'none'; form-action 'none'")


def run_review(out: str, html_dir: str, root: str | None = None) -> int:
    """The `libstat review --html` command: 0 when written, 1 with a one-line reason otherwise."""
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
