"""`libstat explain FILE`: every figure found, highlighted in its clause, with metric,
status, year, rule and why it was or was not taken (rich on a terminal)."""

from __future__ import annotations


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
    for m in res.mentions:
        if not m.metric and not show_all:
            continue
        ev = m.evidence
        text = Text(ev)
        i = ev.find(m.raw.strip()) if m.raw.strip() else -1
        if i >= 0:
            text.stylize("bold reverse green" if m.taken else "bold yellow", i, i + len(m.raw.strip()))
        mark = "[green]✔ " if m.taken else "[dim]✘ "
        table.add_row(text, m.metric, f"{m.value:g}", m.status, str(m.year or ""), m.rule,
                      f"{mark}{m.reason}[/]")
    console.print(table)
    return 0
