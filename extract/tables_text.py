"""Rows of statistics tables (| 序号 | 项目 | 单位 | 数量 |) as clauses for the rules.

A row is read as "label value unit": the index cell (1, ①, (一)) is dropped, the last
numeric cell is the value, a cell that is a unit (册、件, 人次, 万元) or a unit in the
label's brackets (总流通人次(万人次)) gives the unit.  The clause keeps the row's span,
so evidence quotes the row.  PDF, HTML and Word tables go through `row_from_cells`.
"""

from __future__ import annotations

from functools import lru_cache

import regex

from .model import Clause
from .resources import load_yaml

INDEX_CELL = regex.compile(r"^(?:\d{1,3}|[①-⑳]|[(（]?[一二三四五六七八九十]+[)）、]?|[a-zA-Z])$")
NUMBER_CELL = regex.compile(r"^[\d,，.]+$")
LABEL_UNIT = regex.compile(r"[(（](?:单位[:：])?([^()（）]{1,6})[)）]\s*$")
PART_LABEL = regex.compile(r"^(?:其中|在[^:：]{0,6}中)[:：]?")


@lru_cache(maxsize=1)
def unit_cells() -> dict[str, str]:
    """Cell text → unit written after the value (册、件 → 册; 万元 stays 万元)."""
    u = load_yaml("units.yaml")
    cells = {k: k for k in u["units"]}
    cells.update({k: k for k in u["scaled"]})
    return cells


def row_from_cells(cells: list[str], start: int, end: int, paragraph: int) -> Clause | None:
    cells = [c.strip() for c in cells]
    cells = [c for c in cells if c]
    if cells and INDEX_CELL.match(cells[0]) and len(cells) > 2:
        cells = cells[1:]
    value_idx = next((i for i in range(len(cells) - 1, -1, -1) if NUMBER_CELL.match(cells[i])), None)
    if value_idx is None:
        return None
    known = unit_cells()
    unit = ""
    label_parts = []
    for i, c in enumerate(cells):
        if i == value_idx:
            continue
        if c in known or c in ("—", "-", "/"):
            unit = unit or (c if c in known else "")
        elif not NUMBER_CELL.match(c):
            label_parts.append(c)
    label = " ".join(label_parts)
    if not unit:
        m = LABEL_UNIT.search(label)
        if m and m.group(1) in known:
            unit = m.group(1)
    part = bool(PART_LABEL.match(label))
    label = PART_LABEL.sub("", label)
    text = f"{label} {cells[value_idx]}{unit}"
    return Clause(start=start, end=end, text=text, sentence_start=start, paragraph=paragraph,
                  status="actual", year=None, part=part, table_row=True, row_label=label)


def row_clause(line: str, start: int, paragraph: int) -> Clause | None:
    stripped = line.strip()
    cells = stripped.strip("|").split("|")
    offset = line.index(stripped)
    return row_from_cells(cells, start + offset, start + offset + len(stripped), paragraph)
