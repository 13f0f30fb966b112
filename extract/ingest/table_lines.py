"""Table cells → `| cell | cell |` lines, the one form every reader gives its tables in.

PDF, HTML and Word tables are all written into their page's text, where they stand, as
such lines, so that every table goes through the same text-table path
(extract/stages/tables_text.py) as a table typed into a text file, and keeps its page and offsets.
"""

from __future__ import annotations


def fill_merged(rows: list[list[str | None]]) -> list[list[str]]:
    """Cells covered by a merged cell come back as None: a header row takes the value on
    its left (a spanned column title), a label column the value above (a spanned row label).
    Any other covered cell stays empty: a figure spanning rows is not counted twice."""
    out: list[list[str]] = []
    for r, row in enumerate(rows):
        filled: list[str] = []
        for c, cell in enumerate(row):
            if cell is None:
                if r == 0 and c > 0:
                    cell = filled[c - 1]
                elif c == 0 and out:
                    cell = out[-1][0]
                else:
                    cell = ""
            filled.append(" ".join(str(cell).split()))
        out.append(filled)
    return out


def table_lines(rows: list[list[str | None]]) -> list[str]:
    """One `| a | b |` line per row; a `|` inside a cell would split it, so it becomes `/`."""
    return ["| " + " | ".join(cell.replace("|", "/") for cell in row) + " |" for row in fill_merged(rows)]
