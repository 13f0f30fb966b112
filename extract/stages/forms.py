"""Where a statistics form (项目 | 代码 | 单位 | 指标) starts and ends among a text's lines."""

from __future__ import annotations

from .. import patterns
from .tables_text import form_cells, is_form_header

FORM_FIRST = patterns.compile(r"\s*\|?\s*项\s*目")


def form_start(lines: list[str], i: int) -> bool:
    """A form's header: 项目 代码 单位 指标 on one line or one cell per line."""
    return bool(FORM_FIRST.match(lines[i])) and is_form_header("".join(lines[i : i + 8]), at_start=True)


def form_end(lines: list[str], k: int) -> int:
    """The form runs to the first line of prose (a sentence, or a long line without cells)."""
    while k < len(lines):
        s = lines[k].strip()
        # a header holds 项目 (the squashed line is_form_header reads holds 项 only where the line does)
        if ("。" in s or s.startswith("第") or "项" in s and is_form_header(s)
                or (len(s) > 60 and "|" not in s and not form_cells(s, 0))):
            break
        k += 1
    return k
