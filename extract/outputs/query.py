"""`libstat query OUT "SQL"`: SQL over the store of an extraction.

The store is opened read-only, so a query can never change the tables (a write
statement is refused by DuckDB) and several queries can run at once.  The reviewers'
corrections (OUT/corrections.duckdb), where there are any, are the view `corrections`.  On a terminal the
result is a rich table; otherwise plain aligned text (for a pipe or a log), or CSV with
--csv, streamed in batches so that a large result does not have to fit in memory.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from .store import DB_NAME

FETCH = 10_000


def _cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return format(v, ".15g")
    return str(v)


def run_query(out_dir: str | Path, sql: str, as_csv: bool = False, tty: bool | None = None) -> int:
    import duckdb

    db = Path(out_dir) / DB_NAME
    if not db.is_file():
        print(f"libstat: no extraction in {out_dir} ({DB_NAME} not found)", file=sys.stderr)
        return 1
    try:
        con = duckdb.connect(str(db), read_only=True)
    except duckdb.Error as e:
        print(f"libstat: cannot open {db}: {str(e).splitlines()[0]}", file=sys.stderr)
        return 1
    try:
        _attach_corrections(con, Path(out_dir))
        cur = con.execute(sql)
        names = [d[0] for d in cur.description] if cur.description else []
        if as_csv:
            w = csv.writer(sys.stdout, lineterminator="\n")
            w.writerow(names)
            while rows := cur.fetchmany(FETCH):
                w.writerows([_cell(v) for v in r] for r in rows)
            return 0
        rows = cur.fetchall()
    except duckdb.Error as e:
        print(f"libstat: query failed: {str(e).splitlines()[0]}", file=sys.stderr)
        return 1
    finally:
        con.close()
    if tty if tty is not None else sys.stdout.isatty():
        _rich_table(names, rows)
    else:
        print(plain_table(names, rows))
    return 0


def _attach_corrections(con, out: Path) -> None:
    """The reviewers' corrections (their own small file, written by `review --serve`) as the
    view `corrections`, read-only like the rest."""
    import duckdb

    from .corrections import DB_FILE, TABLE

    path = out / DB_FILE
    if not path.is_file():
        return
    try:
        con.execute(f"ATTACH '{str(path).replace(chr(39), chr(39) * 2)}' AS _review (READ_ONLY)")
        con.execute(f"CREATE TEMP VIEW {TABLE} AS SELECT * FROM _review.{TABLE}")
    except duckdb.Error as e:  # the tables can still be queried
        print(f"libstat: warning: cannot read {path}: {str(e).splitlines()[0]}", file=sys.stderr)


def plain_table(names: list[str], rows: list[tuple]) -> str:
    """Columns padded to their display width (a Chinese character takes two cells)."""
    from rich.cells import cell_len

    cells = [[_cell(v) for v in r] for r in rows]
    widths = [max([cell_len(n)] + [cell_len(r[i]) for r in cells]) for i, n in enumerate(names)]

    def line(values: list[str]) -> str:
        return "  ".join(v + " " * (w - cell_len(v)) for v, w in zip(values, widths, strict=True)).rstrip()

    out = [line(names), line(["-" * w for w in widths])] + [line(r) for r in cells]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)


def _rich_table(names: list[str], rows: list[tuple]) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(*names, caption=f"{len(rows)} row{'s' if len(rows) != 1 else ''}")
    for r in rows:
        table.add_row(*[Text(_cell(v)) for v in r])  # Text: a value is never read as markup
    Console().print(table)
