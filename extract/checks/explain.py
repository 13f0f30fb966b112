"""`libstat explain FILE`: every figure found, highlighted in its clause, with metric,
status, year, rule and why it was or was not taken (rich on a terminal).

Each reason belongs to a class (`reason_class`), so that a reader sees at a glance what kind
of check kept a figure out of the table: the words, the scope, the period, or the headline.
"""

from __future__ import annotations

from collections import Counter

# reason prefix → class; the reasons are written by extract/stages/scope.py (scope vetoes),
# extract/pipeline.py (figures no metric's words introduce, the words right after a figure)
# and extract/stages/headline.py.
REASON_CLASSES: tuple[tuple[str, str], ...] = (
    ("headline", "taken"),
    ("no metric words", "no metric words"),
    ("excluded context", "excluded by the metric's words"),
    ("average or ratio", "scope: an average or a ratio"),
    ("a change", "scope: a change, not a level"),
    ("a subgroup", "scope: a subgroup of readers"),
    ("another body", "scope: another body"),
    ("another library", "scope: another body"),
    ("one series or event", "scope: one series or event, a part"),
    ("a share of a total", "scope: a share of a total, a part"),
    ("rejected in review", "rejected in review"),
    ("same value as the headline", "headline: a repeat of the row's figure"),
    ("part of a total", "headline: a part of the row's total"),
    ("smaller figure than the headline", "headline: another candidate, kept as a flag"),
)
PERIOD_BESIDE_ANNUAL = "period: a part-year figure beside the annual one"


def reason_class(reason: str) -> str:
    """The class of a mention's reason ('other' for a reason no class names)."""
    for prefix, cls in REASON_CLASSES:
        if reason.startswith(prefix):
            return cls
    if reason.endswith("figure beside an annual one"):
        return PERIOD_BESIDE_ANNUAL
    return "other" if reason else "unclassified"


def explain(path: str, show_all: bool = False) -> int:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from ..pipeline import extract_document

    res = extract_document(path)
    console = Console()
    if res.error:
        console.print(f"[red]{res.path}: {res.error}[/red]")
        return 1
    console.print(f"[bold]{res.doc}[/bold]  library={res.library or '—'}  year={res.year or '—'}  "
                  f"type={res.doc_type}  period={res.period or 'year'}  facts={len(res.facts)}")
    table = Table(show_lines=False, expand=True)
    for col in ("figure in its words", "metric", "value", "status", "year", "rule", "taken / why"):
        table.add_column(col, overflow="fold")
    classes: Counter[str] = Counter()
    for m in res.mentions:
        if not m.metric and not show_all:
            continue
        cls = reason_class(m.reason)
        classes[cls] += 1
        ev = m.evidence
        text = Text(ev)
        i = ev.find(m.raw.strip()) if m.raw.strip() else -1
        if i >= 0:
            text.stylize("bold reverse green" if m.taken else "bold yellow", i, i + len(m.raw.strip()))
        detail = m.reason.split(":", 1)[1].strip() if ":" in m.reason else ""  # the words that decided
        why = m.reason if m.taken else cls + (f" ({detail})" if detail else "")
        mark = "[green]✔ " if m.taken else "[dim]✘ "
        table.add_row(text, m.metric, f"{m.value:g}", m.status, str(m.year or ""), m.rule,
                      f"{mark}{why}[/]")
    console.print(table)
    console.print("figures by class: " + ", ".join(f"{cls} {n}" for cls, n in classes.most_common()))
    return 0
