"""Statistics tables (| 序号 | 项目 | 单位 | 数量 |) as clauses for the rules.

A table is a block of consecutive rows.  Its header row, when there is one, names
the columns: the label column (项目, 指标), the unit column (单位), and the value
columns — one value column (数量, 本年, 合计) or one per year (2021年 | 2022年, 本年 |
上年).  Each data row gives one clause per value column, read as "label value unit"
so that the metric rules apply unchanged; the clause keeps the row's span, so
evidence quotes the row.  A unit may also come from the label's brackets
(总流通人次（万人次）) or a line above the table (单位：万元).  Rows of PDF, HTML and
Word tables go through `clauses_from_rows` as lists of cells.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import regex

from ..model import Clause
from ..resources import load_yaml

INDEX_CELL = regex.compile(r"^(?:\d{1,3}|[①-⑳]|[(（]?[一二三四五六七八九十]+[)）、.]?|[a-zA-Z]|序号)$")
NUMBER_CELL = regex.compile(r"^-?[\d,，]+(?:\.\d+)?$")
YEAR_CELL = regex.compile(r"^((?:19|20)\d\d)\s*年?(?:度)?$")
LABEL_UNIT = regex.compile(r"[(（](?:单位[:：])?([^()（）]{1,6})[)）]\s*$")
UNIT_LINE = regex.compile(r"单位\s*[:：]\s*([^\s,，。;；|]{1,6})")
PART_LABEL = regex.compile(r"^(?:其中|在[^:：]{0,6}中)[:：]?")
HEADER_WORDS = regex.compile(r"项目|指标|名称|内容|单位|数量|数值|本年|上年|合计|备注|序号|类别")
THIS_YEAR = regex.compile(r"^(?:本年|本期|当年|今年|合计|数量|数值|实际|完成|总计|全年)")
LAST_YEAR = regex.compile(r"^(?:上年|去年|上期|同期)")


@lru_cache(maxsize=1)
def unit_cells() -> frozenset[str]:
    """Cell texts that are units (册、件, 人次, 万元 …)."""
    u = load_yaml("units.yaml")
    return frozenset(u["units"]) | frozenset(u["scaled"])


@dataclass
class Columns:
    label: int | None = None
    unit: int | None = None
    values: list[tuple[int, int | None]] | None = None  # (column, year of its figures)
    width: int = 0


def split_row(line: str) -> list[str]:
    s = line.strip()
    if s.startswith("|"):
        return [c.strip() for c in s.strip("|").split("|")]
    return [c.strip() for c in s.split("\t")]


def is_table_line(line: str) -> bool:
    s = line.strip()
    return s.startswith("|") or s.count("\t") >= 2


def _header(cells: list[str], doc_year: int | None) -> Columns | None:
    """Column roles from a header row; None when the row is data."""
    if any(NUMBER_CELL.match(c) for c in cells if not YEAR_CELL.match(c)) or not cells:
        return None
    years = [(i, int(m.group(1))) for i, c in enumerate(cells) if (m := YEAR_CELL.match(c))]
    if not years and not any(HEADER_WORDS.search(c) for c in cells):
        return None
    cols = Columns(width=len(cells))
    values: list[tuple[int, int | None]] = []
    for i, c in enumerate(cells):
        if YEAR_CELL.match(c):
            values.append((i, int(YEAR_CELL.match(c).group(1))))
        elif c.startswith("单位"):
            cols.unit = i
        elif regex.search(r"项目|指标|名称|内容|类别", c) and cols.label is None:
            cols.label = i
        elif THIS_YEAR.match(c):
            values.append((i, doc_year))
        elif LAST_YEAR.match(c):
            values.append((i, doc_year - 1 if doc_year else None))
    cols.values = values or None
    return cols


def _row(cells: list[str], cols: Columns | None, default_unit: str) -> list[tuple[str, str, int | None, bool]]:
    """(clause text, label, year, part) for each value of one data row."""
    known = unit_cells()
    if cols and len(cells) < cols.width:
        cells = [""] * (cols.width - len(cells)) + cells  # a continuation row without its index cell
    if cols and cols.values:
        value_cells = [(i, y) for i, y in cols.values if i < len(cells) and NUMBER_CELL.match(cells[i])]
    else:
        last = next((i for i in range(len(cells) - 1, -1, -1) if NUMBER_CELL.match(cells[i])), None)
        value_cells = [(last, None)] if last is not None else []
    if not value_cells:
        return []
    value_idx = {i for i, _ in value_cells}
    unit = cells[cols.unit] if cols and cols.unit is not None and cols.unit < len(cells) else ""
    label_parts = []
    for i, c in enumerate(cells):
        if i in value_idx or (cols and i == cols.unit) or not c:
            continue
        if c in known:
            unit = unit or c
        elif c in ("—", "-", "/") or NUMBER_CELL.match(c) or (i == 0 and INDEX_CELL.match(c) and len(cells) > 2):
            continue
        else:
            label_parts.append(c)
    label = " ".join(label_parts)
    if unit not in known:
        m = LABEL_UNIT.search(label)
        unit = m.group(1) if m and m.group(1) in known else (default_unit if unit in ("", "—", "-") else unit)
    unit = unit if unit in known else ""
    part = bool(PART_LABEL.match(label))
    label = PART_LABEL.sub("", label)
    return [(f"{label} {cells[i]}{unit}", label, y, part) for i, y in value_cells]


def clauses_from_rows(rows: list[tuple[list[str], int, int]], paragraph: int, doc_year: int | None,
                      default_unit: str = "") -> list[Clause]:
    """Clauses of one table: rows are (cells, start, end) with normalized offsets."""
    cols: Columns | None = None
    out: list[Clause] = []
    for cells, start, end in rows:
        header = _header(cells, doc_year)
        if header is not None:
            cols = header
            continue
        for text, label, year, part in _row(cells, cols, default_unit):
            out.append(Clause(start=start, end=end, text=text, sentence_start=start, paragraph=paragraph,
                              status="actual", year=year, part=part, table_row=True, row_label=label))
    return out


def unit_above(previous_lines: list[str]) -> str:
    """单位：万元 written just above a table applies to its figures."""
    for line in reversed(previous_lines[-2:]):
        m = UNIT_LINE.search(line)
        if m and m.group(1) in unit_cells():
            return m.group(1)
    return ""
