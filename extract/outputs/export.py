"""`libstat export OUT --xlsx FILE`: one Excel workbook of an extraction.

Spreadsheet users get what the CSV files cannot give them: the tables side by side as
sheets (wide comparison, facts with evidence and page, documents, libraries with their place
and level, errors), a frozen
header and an autofilter on each, columns wide enough to read, and figures stored as
numbers (so that SUM and sorting work) shown with thousands separators.  `--labels zh`
puts Chinese column headers (到馆人次, 外借册次 …) over the same data.

The sheets are streamed (openpyxl's write-only mode) so that memory stays flat for a
large archive, and the file is written under a temporary name and renamed into place.
"""

from __future__ import annotations

import math
import os
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .labels import column_labels, metric_labels
from .reader import read_tables
from .rows import DOC_COLUMNS, FACT_COLUMNS, LIBRARY_COLUMNS, WIDE_KEYS
from .tables import atomic_path

MAX_ROWS = 1_048_575  # Excel's sheet limit, less the header row
MAX_CELL_CHARS = 32_767
THOUSANDS = "#,##0"
THOUSANDS_FRACTION = "#,##0.0##"
PLAIN_INTEGER = "0"  # years and page numbers: 2013, not 2,013
MIN_WIDTH, MAX_WIDTH = 6, 60
WIDTH_SAMPLE = 2000  # rows looked at to size a column

ERROR_COLUMNS = ["doc", "path", "library", "library_id", "year", "error", "flags"]
PLAIN_COLUMNS = {"year", "page", "char_start", "char_end"}
THOUSANDS_COLUMNS = {"value", "pages", "chars", "n_facts", "n_mentions", "n_docs"}


class ExportError(Exception):
    """The workbook cannot be written (a table beyond Excel's row limit …)."""


@dataclass
class Sheet:
    name: str
    frame: pd.DataFrame
    freeze: str = "A2"  # the header row; `wide` and `libraries` also keep the library's id and name in view
    numeric: set[str] = field(default_factory=set)  # columns shown with thousands separators


def export_xlsx(out: str | Path, target: str | Path, labels: str = "en") -> dict[str, int]:
    """Write the workbook; returns the number of data rows of each sheet."""
    from openpyxl import Workbook

    tables = read_tables(out, ("facts", "docs", "wide", "libraries"))
    metrics = [c for c in tables["wide"].columns if c not in (*WIDE_KEYS, "docs")]
    sheets = [
        Sheet("wide", tables["wide"], freeze="C2", numeric=set(metrics)),
        Sheet("facts", tables["facts"][FACT_COLUMNS]),
        Sheet("docs", tables["docs"][DOC_COLUMNS]),
        Sheet("libraries", tables["libraries"][LIBRARY_COLUMNS], freeze="C2"),
        Sheet("errors", tables["docs"].loc[tables["docs"]["error"] != "", ERROR_COLUMNS]),
    ]
    headers = column_labels() if labels == "zh" else {}
    if labels == "zh":
        sheets[1].frame = _with_metric_names(sheets[1].frame)
        headers["metric_zh"] = "指标名称"
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    wb = Workbook(write_only=True)
    counts = {}
    for sheet in sheets:
        if len(sheet.frame) > MAX_ROWS:
            raise ExportError(f"the {sheet.name} table has {len(sheet.frame)} rows, more than an Excel sheet holds "
                              f"({MAX_ROWS}); use the Parquet or DuckDB files")
        _write_sheet(wb, sheet, headers)
        counts[sheet.name] = len(sheet.frame)
    tmp = atomic_path(target)
    try:
        wb.save(tmp)
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()
    return counts


def _with_metric_names(facts: pd.DataFrame) -> pd.DataFrame:
    """The facts with the metric's Chinese name beside its id (the id stays: it is the key)."""
    names = metric_labels()
    f = facts.copy()
    f.insert(f.columns.get_loc("metric") + 1, "metric_zh", [names.get(m, m) for m in f["metric"]])
    return f


def _write_sheet(wb, sheet: Sheet, headers: dict[str, str]) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(sheet.name)
    df = sheet.frame
    columns = list(df.columns)
    titles = [headers.get(c, c) for c in columns]
    for i, (c, title) in enumerate(zip(columns, titles), start=1):
        ws.column_dimensions[get_column_letter(i)].width = _width(title, df[c])
    ws.freeze_panes = sheet.freeze
    last = get_column_letter(max(1, len(columns)))
    ws.auto_filter.ref = f"A1:{last}{len(df) + 1}"

    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    header = []
    for title in titles:
        cell = WriteOnlyCell(ws, value=title)
        cell.font, cell.fill, cell.alignment = bold, fill, Alignment(vertical="center")
        header.append(cell)
    ws.append(header)
    formats = [_format_of(c, sheet) for c in columns]
    for row in df.itertuples(index=False, name=None):
        ws.append([_cell(ws, v, fmt) for v, fmt in zip(row, formats)])


def _format_of(column: str, sheet: Sheet) -> str | None:
    if column in PLAIN_COLUMNS:
        return PLAIN_INTEGER
    if column in THOUSANDS_COLUMNS or column in sheet.numeric:
        return THOUSANDS
    if column == "seconds":
        return "0.000"
    return None


def _cell(ws, value, fmt: str | None):
    """A cell holding a number as a number, text as text (never as a formula)."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, bool):
        return value
    if hasattr(value, "item"):  # numpy scalars → Python numbers
        value = value.item()
    if isinstance(value, int | float):
        cell = WriteOnlyCell(ws, value=value)
        if fmt == THOUSANDS and isinstance(value, float) and not value.is_integer():
            fmt = THOUSANDS_FRACTION
        if fmt:
            cell.number_format = fmt
        return cell
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))[:MAX_CELL_CHARS]
    cell = WriteOnlyCell(ws, value=text)
    cell.data_type = "s"  # report text starting with '=' is text, not a formula to run
    return cell


def _display_width(text: str) -> int:
    """Columns a string takes on screen: CJK characters count twice."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _width(title: str, values: pd.Series) -> float:
    sample = values.head(WIDTH_SAMPLE)
    longest = max((_display_width(_shown(v)) for v in sample), default=0)
    return float(min(MAX_WIDTH, max(MIN_WIDTH, _display_width(title) + 2, longest + 2)))


def _shown(value) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float):
        return f"{value:,.3f}".rstrip("0").rstrip(".")
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def run_export(out: str, xlsx: str, labels: str = "en") -> int:
    """The `libstat export` command: 0 when written, 1 with a one-line reason otherwise."""
    import sys

    from .reader import OutError

    try:
        counts = export_xlsx(out, xlsx, labels=labels)
    except (OutError, ExportError, OSError) as exc:
        print(f"libstat: cannot export: {exc}", file=sys.stderr)
        return 1
    print(f"{xlsx}: " + ", ".join(f"{name} {n} rows" for name, n in counts.items()))
    return 0
