"""The branches of an alternation that a text lacking a character can still match.

`span_dates` is a dozen branches, most of them dates (…月…日): a sentence without 月 can
match only the others, and searching it with those alone finds the same (at each position
the engine takes the first branch that matches, and a branch that needs 月 matches nowhere
in it) while trying far fewer branches at far fewer places (most of the dates open with a
digit, and a report's sentences are full of digits).
"""

from __future__ import annotations

import re

from .. import patterns
from ..prefilter import Need, guarded, needed

GLOBAL_FLAG = re.compile(r"\(\?[aiLmsux]+\)")  # an inline flag for the whole pattern


def top_branches(pattern: str) -> list[str]:
    """The source of each top-level branch of `pattern` (split at | outside groups and classes)."""
    out, depth, start, i, in_class = [], 0, 0, 0, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2  # an escape: its character is never syntax
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            i += 1 + pattern.startswith("^", i + 1)
            i += pattern.startswith("]", i)  # a ] right after [ or [^ is a literal one
            continue
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            out.append(pattern[start:i])
            start = i + 1
        i += 1
    out.append(pattern[start:])
    return out


def _needs_char(need: Need | None, ch: str) -> bool:
    """Every match needs `ch`: some set of strings it needs one of all hold it."""
    return need is not None and all(any(all(ch in s for s in alts) for alts in conj) for conj in need.branches)


def branches_without(pattern: str, ch: str) -> tuple[re.Pattern, Need | None] | None:
    """The alternation of the branches of `pattern` that do not need `ch` (guarded), and
    what it needs; None when the pattern cannot be split so (a branch only `regex` reads, a
    global flag, every branch or none needing `ch`)."""
    if GLOBAL_FLAG.search(pattern):
        return None
    branches = top_branches(pattern)
    compiled = [patterns.compile(b) for b in branches]
    if not all(isinstance(p, re.Pattern) for p in compiled):
        return None
    kept = [b for b, p in zip(branches, compiled, strict=True) if not _needs_char(needed(p), ch)]
    if not kept or len(kept) == len(branches):
        return None
    rest = patterns.compile("|".join(kept))
    return guarded(rest), needed(rest)
