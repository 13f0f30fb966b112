"""Characters a pattern's match cannot do without: a cheap test that skips a regex search
which cannot succeed.

A rule pattern such as `span_dates` is an alternation of a dozen branches, several
opening with a look-behind, so the engine tries every branch at every position of every
sentence.  Most sentences hold none of the characters a branch needs (月, 以来, 季度 …),
and a set lookup says so far faster than the search.

`needed(pattern)` reads the pattern as `re` parses it and returns, for each top-level
branch, the character sets a match of that branch must each take one character from:
a literal needs itself, a character class its members, a group or a repeat of at least
one its contents, a nested alternation the union of what each of its branches needs.
Whatever cannot be enumerated (look-arounds, anchors, `.`, `\\d`, negated classes,
repeats that may be empty) needs nothing.  Every character a match consumes lies in the
text searched, so when every branch lacks one of its sets in the text, there is no
match: `may_match` is False only then.  A pattern `re` did not compile (it went to
`regex`), or one that ignores case, gets no prefilter (`needed` returns None).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Need:
    branches: tuple[tuple[str, ...], ...]  # per branch, the sets (strings) of characters it needs one of each
    first: str  # characters every branch needs one of: one look rules most texts out


# characters most sentences of a report hold: a poor choice for the quick look (speed only)
COMMON = frozenset("年月日度的了和在是有为一0123456789")
MAX_RANGE = 256  # a class range wider than this is not enumerated (it needs nothing)


def needed(pattern: re.Pattern | object) -> Need | None:
    """What each top-level branch of `pattern` needs; None when some branch needs nothing
    (or the pattern is not one `re` compiled)."""
    if not isinstance(pattern, re.Pattern) or not isinstance(pattern.pattern, str) or pattern.flags & re.IGNORECASE:
        return None
    from re import _constants as c
    from re import _parser

    try:
        items = list(_parser.parse(pattern.pattern, pattern.flags))
    except Exception:  # noqa: BLE001  (an unreadable pattern only loses its prefilter)
        return None
    while len(items) == 1 and items[0][0] is c.SUBPATTERN and not items[0][1][1] & c.SRE_FLAG_IGNORECASE:
        items = list(items[0][1][3])
    branches = items[0][1][1] if len(items) == 1 and items[0][0] is c.BRANCH else [items]
    conjs = [_conjunction(b, c) for b in branches]
    return None if any(not conj for conj in conjs) else _need(conjs)


def either(needs: list[Need | None]) -> Need | None:
    """What a match of any of the patterns needs."""
    return None if None in needs else _need([b for n in needs for b in n.branches])


def may_match(need: Need | None, text: str) -> bool:
    """False only when no branch of the pattern can match in `text`."""
    if need is None:
        return True
    # `ch in text` scans the string in C: cheaper than building a set of its characters
    for ch in need.first:
        if ch in text:
            break
    else:
        return False
    for conj in need.branches:
        for chars in conj:
            for ch in chars:
                if ch in text:
                    break
            else:
                break  # the branch lacks this set: it cannot match
        else:
            return True
    return False


def _need(conjs: list[tuple[str, ...]]) -> Need:
    """The branches and a cover: few characters such that each branch needs one of them,
    one set of each branch, the sets shared by most branches taken first (季 serves every
    季度 of the periods), of equal ones the one with fewer common characters."""
    left = list(conjs)
    cover: set[str] = set()
    while left:
        sets = {s for conj in left for s in conj}
        best = max(sets, key=lambda s: (sum(s in conj for conj in left) / len(s), -len(COMMON.intersection(s)),
                                        -len(s), s))
        cover.update(best)
        left = [conj for conj in left if best not in conj]
    return Need(tuple(conjs), "".join(sorted(cover)))


def _conjunction(items, c) -> tuple[str, ...]:
    sets: list[frozenset[str]] = []
    for op, av in items:
        sets.extend(_item(op, av, c))
    # the likeliest to be missing first: fewest characters, and Han before digits and
    # signs, which every sentence with a figure holds; a superset of another set is implied
    unique = sorted(set(sets), key=lambda s: (len(s), any(ch.isascii() for ch in s), sorted(s)))
    return tuple("".join(sorted(s)) for i, s in enumerate(unique) if not any(t <= s for t in unique[:i]))


def _item(op, av, c) -> list[frozenset[str]]:
    if op is c.LITERAL:
        return [frozenset(chr(av))]
    if op is c.IN:
        chars = _class(av, c)
        return [chars] if chars else []
    if op is c.SUBPATTERN:
        _, add_flags, _, sub = av
        return [] if add_flags & c.SRE_FLAG_IGNORECASE else [frozenset(s) for s in _conjunction(sub, c)]
    if op is c.ATOMIC_GROUP:
        return [frozenset(s) for s in _conjunction(av, c)]
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
        low, _, sub = av
        return [frozenset(s) for s in _conjunction(sub, c)] if low >= 1 else []
    if op is c.BRANCH:
        union: set[str] = set()
        for branch in av[1]:
            conj = _conjunction(branch, c)
            if not conj:
                return []
            union.update(conj[0])  # the first (smallest) set that branch needs
        return [frozenset(union)]
    return []  # look-arounds, anchors, any character, back references: nothing needed


def _class(av, c) -> frozenset[str] | None:
    chars: set[str] = set()
    for op, arg in av:
        if op is c.LITERAL:
            chars.add(chr(arg))
        elif op is c.RANGE and arg[1] - arg[0] < MAX_RANGE:
            chars.update(chr(x) for x in range(arg[0], arg[1] + 1))
        else:  # a negation, a category (\d, \s), a wide range: not enumerated
            return None
    return frozenset(chars)
