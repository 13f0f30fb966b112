"""Compiling the rules' patterns: the standard library's engine wherever it takes a pattern.

The rules are written for `regex` (it reads `\\p{Han}`, variable-width look-behinds, inline
flags anywhere).  Most of them are plain enough for `re` too, and `re` runs them two to
three times faster — an alternation of many words without a common first character is
tried at every position of every sentence, and that is where `regex` is slow.  So each
pattern is compiled by `re` when `re` accepts it and by `regex` otherwise; both engines
read such a pattern alike (`regex` in its default, re-compatible version 0), and their
pattern objects answer the same calls (`search`, `match`, `finditer`, `sub`, `split`,
`pos`/`endpos`, groups).

`overlapped` finds every match that starts at a different place, as `regex`'s
`finditer(…, overlapped=True)` does, with either engine.
"""

from __future__ import annotations

import re

import regex

Pattern = re.Pattern | regex.Pattern
Match = re.Match | regex.Match

FLAGS = {regex.I: re.I, regex.M: re.M, regex.S: re.S, regex.X: re.X, regex.A: re.A, regex.U: re.U}


def compile(pattern: str, flags: int = 0) -> Pattern:  # noqa: A001  (the name the engines give it)
    """`pattern` compiled by `re` if it can be, else by `regex`."""
    std = 0
    for ours, theirs in FLAGS.items():
        if flags & ours:
            std |= theirs
    if std == flags:  # no flag that only `regex` has
        try:
            return re.compile(pattern, std)
        except (re.error, OverflowError, ValueError):
            pass
    return regex.compile(pattern, flags)


def overlapped(pattern: Pattern, text: str) -> list[Match]:
    """Every match of `pattern` in `text` that starts at a different position, leftmost
    first: after a match starting at p the search goes on from p + 1, so that 读者活动 in
    举办读者活动 is found as well as 举办读者 (a longer word does not hide a shorter one)."""
    if isinstance(pattern, regex.Pattern):
        return list(pattern.finditer(text, overlapped=True))
    out = []
    pos, search = 0, pattern.search
    while (m := search(text, pos)) is not None:
        out.append(m)
        pos = m.start() + 1
    return out
