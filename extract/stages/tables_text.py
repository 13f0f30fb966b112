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

from .. import patterns
from ..model import Clause, Quantity
from ..resources import load_yaml

INDEX_CELL = patterns.compile(r"^(?:\d{1,3}|[①-⑳]|[(（]?[一二三四五六七八九十]+[)）、.]?|[a-zA-Z]|序号)$")
NUMBER_CELL = patterns.compile(r"^-?[\d,，]+(?:\.\d+)?$")
YEAR_CELL = patterns.compile(r"^((?:19|20)\d\d)\s*年?(?:度)?$")
LABEL_UNIT = patterns.compile(r"[(（](?:单位[:：])?([^()（）]{1,6})[)）]\s*$")
UNIT_LINE = patterns.compile(r"单位\s*[:：]\s*([^\s,，。;；|]{1,6})")
PART_LABEL = patterns.compile(r"^(?:其中|在[^:：]{0,6}中)[:：]?")
HEADER_WORDS = patterns.compile(r"项\s*目|指标|名称|内容|单位|数量|数值|本年|上年|合计|备注|序号|类别|金额")
LABEL_HEAD = patterns.compile(r"项\s*目|指标|名称|内容|类别")
CODE_HEAD = patterns.compile(r"^(?:代\s*码|行\s*次|栏\s*次|编\s*码)$")  # a form's row code: never a value
# value columns; 指标 after a label column is the figure column of a statistics form
THIS_YEAR = patterns.compile(r"^(?:本年|本期|当年|今年|合计|数量|数值|实际|完成|总计|全年|指标|金额|决算数|执行数)")
COLUMN_INDEX = patterns.compile(r"^(?:[甲乙丙丁戊]|\d{1,2})$")
LAST_YEAR = patterns.compile(r"^(?:上年|去年|上期|同期)")
# compiled once (a module-level regex call looks its pattern up each time); by `regex` where
# they read \s: `re`'s \s also takes \x1c-\x1f
SPACE = regex.compile(r"\s")
SPACE_OR_PIPE = regex.compile(r"[\s|]")
WIDE_GAP = regex.compile(r"\s{2,}")
CELL_GAP = regex.compile(r"\S\s{2,}\S")
HAN_PAIR = patterns.compile(r"\p{Han}{2}")
NONZERO_DIGIT = patterns.compile(r"[1-9]")


@lru_cache(maxsize=1)
def unit_cells() -> frozenset[str]:
    """Cell texts that are units (册、件, 人次, 万元 …)."""
    u = load_yaml("units.yaml")
    return frozenset(u["units"]) | frozenset(u["scaled"])


@dataclass
class Columns:
    label: int | None = None
    unit: int | None = None
    code: int | None = None
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
        elif CODE_HEAD.match(c):
            cols.code = i
        elif LABEL_HEAD.search(c) and cols.label is None:
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
        if i in value_idx or (cols and i in (cols.unit, cols.code)) or not c:
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
    cols: list[tuple[int, Columns]] = [(0, None)]  # (first column, roles) of each half of the table
    out: list[Clause] = []
    for cells, start, end in rows:
        if all(COLUMN_INDEX.match(c) for c in cells if c) and any(not c.isdigit() for c in cells if c):
            continue  # 甲 | 乙 | 丙 | 1: the form's column numbers
        groups = _groups(cells)
        headers = [(a, _header(cells[a:b], doc_year)) for a, b in groups]
        if all(h is not None for _, h in headers):
            cols = headers
            continue
        bounds = [a for a, _ in cols] + [len(cells)]
        for (a, c), b in zip(cols, bounds[1:]):
            for text, label, year, part in _row(cells[a:b] if len(cols) > 1 else cells, c, default_unit):
                out.append(Clause(start=start, end=end, text=text, sentence_start=start, paragraph=paragraph,
                                  status="actual", year=year, part=part, table_row=True, row_label=label))
    return out


def _groups(cells: list[str]) -> list[tuple[int, int]]:
    """A form printed in two halves side by side repeats its header (项目 | 代码 | 单位 | 指标 |
    项目 | 代码 | …): each half is a table of its own; otherwise the row is one group."""
    first = SPACE.sub("", cells[0]) if cells else ""
    if not first or not LABEL_HEAD.search(first):
        return [(0, len(cells))]
    starts = [i for i, c in enumerate(cells) if SPACE.sub("", c) == first]
    if len(starts) < 2:
        return [(0, len(cells))]
    return list(zip(starts, starts[1:] + [len(cells)]))


def unit_above(previous_lines: list[str]) -> str:
    """单位：万元 written just above a table applies to its figures."""
    for line in reversed(previous_lines):
        m = UNIT_LINE.search(line)
        if m and m.group(1) in unit_cells():
            return m.group(1)
    return ""


# --- statistics forms (项目 | 代码 | 单位 | 指标) ---------------------------------------
# A form's row is "label code unit value"; flattened into text the cells run together
# (一、从业人员1125 is row code 11, value 25) and the two halves of the form share a line.
# The row codes count up in the order of the labels, so a code glued to its value is split
# where the code continues its neighbours' sequence.

FORM_HEAD = patterns.compile(r"项目(?:代码|行次|栏次)(?:计量)?(?:单位)?(?:指标|本年|金额|数量|实际)")
FORM_NUMBER = r"\d[\d,]*(?:\.\d+)?"
WELL_FORMED = patterns.compile(r"(?:0|[1-9]\d{0,2}(?:,\d{3})+|[1-9]\d*)(?:\.\d+)?")


@lru_cache(maxsize=1)
def _form_segment() -> regex.Pattern:
    units = "|".join(regex.escape(u) for u in sorted(unit_cells(), key=len, reverse=True))
    # between cells: spaces, or one | (a cell per line: |, then a line break); never an
    # empty cell (| |), which ends the row
    sep = r"[ \t]*(?:\|[ \t\n]*)?"
    return patterns.compile(
        r"(?P<label>(?:[一二三四五六七八九十]{1,3}、|\d{1,2}[、.](?!\d))?[^\d|\n]*?\p{Han}[^\d|\n]*?)" + sep
        + rf"(?P<digits>{FORM_NUMBER})(?![、.]\D)(?:{sep}(?P<unit>{units}))?"
        + rf"(?:{sep}(?P<value>{FORM_NUMBER})(?![\d、])(?P<vunit>(?:万|千)?(?:{units}))?)?"
    )


@dataclass
class FormCell:
    label: str
    digits: str
    unit: str
    value: str  # "" while the code may still be glued to the value
    start: int
    end: int
    celled: bool = False  # cells apart (| a | b |): the code is never glued to the value


def is_form_header(line: str, at_start: bool = False) -> bool:
    """The text holds a form's header (项目 代码 单位 指标); with `at_start`, it opens with one
    (a header cut one cell per line is read across the lines that follow, which must not
    reach a later table's header)."""
    squashed = SPACE_OR_PIPE.sub("", line)
    return bool(FORM_HEAD.match(squashed) if at_start else FORM_HEAD.search(squashed))


def form_cells(line: str, offset: int) -> list[FormCell]:
    """The rows of one flattened form line (one or two halves)."""
    out = []
    for m in _form_segment().finditer(line):
        label = m.group("label").strip(" \t:：")
        if not HAN_PAIR.search(label):
            continue
        value = m.group("value") or ""
        unit = (m.group("vunit") or m.group("unit") or "") if value else (m.group("unit") or "")
        out.append(FormCell(label, m.group("digits"), unit, value, offset + m.start("label"), offset + m.end(),
                            "|" in m.group()))
    return out


def _code_choices(cell: FormCell) -> list[tuple[int, str]]:
    d = cell.digits
    if cell.value:
        return [(int(d), cell.value)] if d.isdigit() and len(d) <= 2 else []
    choices = [(int(d), "")] if d.isdigit() and len(d) <= 2 else []
    for k in (2, 1) if not cell.celled else ():  # code of 2 digits, then of 1, glued to a well-formed value
        if len(d) > k and d[:k].isdigit() and d[0] != "0" and WELL_FORMED.fullmatch(d[k:]):
            choices.append((int(d[:k]), d[k:]))
    return choices


def resolve_codes(cells: list[FormCell]) -> list[tuple[FormCell, str]]:
    """(cell, value) for the rows whose code is certain: given apart from the value, or the
    one choice that continues a neighbour's code (n-1 or n+1).  Rows left ambiguous give nothing."""
    choices = [_code_choices(c) for c in cells]
    chosen: dict[int, tuple[int, str]] = {i: ch[0] for i, ch in enumerate(choices) if len(ch) == 1}
    changed = True
    while changed:
        changed = False
        codes = {code for code, _ in chosen.values()}
        for i, ch in enumerate(choices):
            if i in chosen or not ch:
                continue
            fits = [c for c in ch if c[0] - 1 in codes or c[0] + 1 in codes]
            if len(fits) == 1 or (fits and len({c[0] for c in fits}) == len(fits) and fits[0][0] >= 10):
                chosen[i] = fits[0]
                changed = True
    return [(cells[i], chosen[i][1]) for i in sorted(chosen) if chosen[i][1]]


def form_clauses(cells: list[FormCell], paragraph: int, default_unit: str = "") -> list[Clause]:
    """Clauses "label value unit" of a form's rows (status and year are the caller's)."""
    out = []
    for cell, value in resolve_codes(cells):
        if not NONZERO_DIGIT.search(value):
            continue  # a form's 0 is a line left unfilled, not the library's figure
        unit = cell.unit or default_unit
        label = cell.label
        part = bool(PART_LABEL.match(label))
        label = PART_LABEL.sub("", label).strip()
        out.append(Clause(start=cell.start, end=cell.end, text=f"{label} {value}{unit}", sentence_start=cell.start,
                          paragraph=paragraph, status="actual", year=None, part=part, table_row=True,
                          row_label=label))
    return out


# --- tables by year (年份 | 读者人次(万) | 办证 | 借阅册次(万)) -------------------------------
# One row a year: each row is a fact of its own year, each column a metric whose unit and
# multiplier stand in the column's header.

YEAR_HEAD = patterns.compile(r"^\s*\|?\s*(?:年\s*份|年\s*度)\s*(?:\||\s{2,})")
YEAR_ROW = patterns.compile(r"^\s*\|?\s*((?:19|20)\d\d)\s*年?\s*(?:\||\s)")
HEAD_UNIT = patterns.compile(r"[(（]([^()（）]{1,6})[)）]")
EMPTY_CELL = patterns.compile(r"^(?:—+|-+|/|…+|)$")


def year_table_cells(line: str) -> list[str]:
    """Cells of a header or row: | separated, else runs of spaces (a fixed-width print)."""
    s = line.strip()
    if "|" in s:
        return [c.strip() for c in s.strip("|").split("|")]
    return WIDE_GAP.split(s) if CELL_GAP.search(s) and not YEAR_ROW.match(s) else s.split()


def _column_head(cell: str) -> tuple[str, str]:
    """(words, unit) of a column header: 接待读者(万人次) → (接待读者, 万人次); (万) alone is a
    multiplier the bare figure takes; a unit the metric may not know (本) is left out."""
    m = HEAD_UNIT.search(cell)
    words = HEAD_UNIT.sub("", cell).strip()
    if not m:
        return words, ""
    unit = m.group(1).replace("单位", "").strip(":： ")
    scaled = load_yaml("units.yaml")["scaled"]
    return words, unit if unit in scaled or unit in ("万", "千", "亿") else ""


def year_table_clauses(header: str, rows: list[tuple[str, int, int]], paragraph: int) -> list[Clause]:
    heads = [_column_head(c) for c in year_table_cells(header)]
    out = []
    for line, start, end in rows:
        cells = year_table_cells(line)
        year = int(YEAR_ROW.match(line).group(1))
        for (words, unit), cell in zip(heads[1:], cells[1:]):
            if EMPTY_CELL.match(cell) or not NUMBER_CELL.match(cell) or not words:
                continue
            out.append(Clause(start=start, end=end, text=f"{words} {cell}{unit}", sentence_start=start,
                              paragraph=paragraph, status="actual", year=year, part=False, table_row=True,
                              row_label=words))
    return out


# --- a label's unit in brackets before a bare figure (馆藏总量（万册）：46.8) --------------------
LABEL_UNIT_BEFORE = patterns.compile(r"[(（]\s*(?:单位\s*[:：]\s*)?([^()（）\s]{1,6})\s*[)）]\s*[:：|｜]?\s*$")


def with_label_units(text: str, quantities: list[Quantity]) -> list[Quantity]:
    """A bare figure right after a label's bracketed unit takes it (到馆人次（万人次）：31.2 →
    312000 人次): written as one line of a list or of a two-column table without pipes."""
    from ..quantities import lexicon
    from .numerals import tables

    lex, big = lexicon(), tables().big_units
    for q in quantities:
        if q.unit is not None or q.kind != "count":
            continue
        m = LABEL_UNIT_BEFORE.search(text, max(0, q.start - 16), q.start)
        if not m:
            continue
        word, scale = m.group(1), 1.0
        if word[0] in big:
            word, scale = word[1:], float(big[word[0]])
        if word and word not in lex.unit_map:
            continue
        unit, factor = lex.unit_map[word] if word else (None, 1.0)
        q.value, q.unit = q.value * scale * factor, unit
    return quantities
