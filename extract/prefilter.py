"""What a pattern's match cannot do without: a cheap test that skips a regex search which
cannot succeed.

A rule pattern such as `span_dates` is an alternation of a dozen branches, several
opening with a look-behind, so the engine tries every branch at every position of every
sentence.  Most sentences hold none of the words a branch needs (月, 以来, 季度 …), and
`word in sentence` says so far faster than the search.

`needed(pattern)` reads the pattern as `re` parses it and returns, for each top-level
branch, the sets of strings a match of that branch must contain one of each: a run of
literals needs itself, a character class one of its members, a group or a repeat of at
least one what its contents need, a nested alternation one of what each of its branches
needs.  Whatever cannot be enumerated (look-arounds, anchors, `.`, `\\d`, negated classes,
repeats that may be empty) needs nothing.  Every character a match consumes lies in the
text searched, so when every branch lacks one of its sets in the text there is no match:
`may_match` is False only then.  A pattern `re` did not compile (it went to `regex`), or
one that ignores case, gets no prefilter (`needed` returns None).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

Alternatives = frozenset[str]  # a match contains at least one of these strings


@dataclass(frozen=True)
class Need:
    branches: tuple[tuple[tuple[str, ...], ...], ...]  # per branch, the alternatives it needs, each
    first: tuple[str, ...]  # strings every branch needs one of: one look rules most texts out


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
    if None in needs:
        return None
    return _need([tuple(frozenset(alts) for alts in conj) for n in needs for conj in n.branches])


def may_match(need: Need | None, text: str) -> bool:
    """False only when no branch of the pattern can match in `text`."""
    if need is None:
        return True
    # `s in text` scans the string in C
    for s in need.first:
        if s in text:
            break
    else:
        return False
    for conj in need.branches:
        for alts in conj:
            for s in alts:
                if s in text:
                    break
            else:
                break  # the branch lacks all of these: it cannot match
        else:
            return True
    return False


def _need(conjs: list[tuple[Alternatives, ...]]) -> Need:
    """The branches, and a cover: few strings such that each branch needs one of them.  A
    branch offers what it needs and, for a string it cannot do without, each character of
    it; the offers shared by most branches are taken first (季 serves every 季度 of the
    periods), of equal ones the one with fewer common characters."""
    offers = [{*conj, *(frozenset(ch) for alts in conj if len(alts) == 1 for ch in next(iter(alts)))}
              for conj in conjs]
    cover: set[str] = set()
    while offers:
        found = {o for branch in offers for o in branch}
        best = max(found, key=lambda o: (sum(o in branch for branch in offers) / len(o),
                                         -sum(ch in COMMON for s in o for ch in s), -len(o), sorted(o)))
        cover |= best
        offers = [branch for branch in offers if best not in branch]
    cover = {s for s in cover if not any(t != s and t in s for t in cover)}  # 以来 holds 来
    return Need(tuple(tuple(tuple(sorted(alts)) for alts in conj) for conj in conjs), tuple(sorted(cover)))


def _implies(a: Alternatives, b: Alternatives) -> bool:
    """A text holding one of `a` holds one of `b`."""
    return all(any(y in x for y in b) for x in a)


def _conjunction(items, c) -> tuple[Alternatives, ...]:
    """What a sequence needs: each run of literals, and what each other item needs."""
    needs: list[Alternatives] = []
    run: list[str] = []
    for op, av in items:
        if op is c.LITERAL:
            run.append(chr(av))
            continue
        if run:
            needs.append(frozenset(["".join(run)]))
            run = []
        needs.extend(_item(op, av, c))
    if run:
        needs.append(frozenset(["".join(run)]))
    # the likeliest to be missing first: fewest alternatives, the longest, Han before digits
    # and signs (every sentence with a figure holds them); one implied by another is dropped
    unique = sorted(set(needs), key=lambda a: (len(a), -min(map(len, a)), any(s.isascii() for s in a), sorted(a)))
    return tuple(a for i, a in enumerate(unique) if not any(_implies(b, a) for b in unique[:i]))


def _item(op, av, c) -> list[Alternatives]:
    if op is c.IN:
        chars = _class(av, c)
        return [chars] if chars else []
    if op is c.SUBPATTERN:
        _, add_flags, _, sub = av
        return [] if add_flags & c.SRE_FLAG_IGNORECASE else list(_conjunction(sub, c))
    if op is c.ATOMIC_GROUP:
        return list(_conjunction(av, c))
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
        low, _, sub = av
        return list(_conjunction(sub, c)) if low >= 1 else []
    if op is c.BRANCH:
        union: set[str] = set()
        for branch in av[1]:
            conj = _conjunction(branch, c)
            if not conj:
                return []
            union |= conj[0]  # the first (most telling) of what that branch needs
        return [frozenset(union)]
    return []  # look-arounds, anchors, any character, back references: nothing needed


def _class(av, c) -> Alternatives | None:
    chars: set[str] = set()
    for op, arg in av:
        if op is c.LITERAL:
            chars.add(chr(arg))
        elif op is c.RANGE and arg[1] - arg[0] < MAX_RANGE:
            chars.update(chr(x) for x in range(arg[0], arg[1] + 1))
        else:  # a negation, a category (\d, \s), a wide range: not enumerated
            return None
    return frozenset(chars)


def guarded(pattern: re.Pattern) -> re.Pattern:
    """`pattern` behind a look-ahead at the characters a match can start with, when they can
    be told: `re` then tries the branches only where one of them stands.  An alternation
    whose branches open with look-behinds or classes (span_dates) gets no such scan from
    `re` itself and is tried branch by branch at every position.  The matches are the same
    (the look-ahead holds wherever a match starts); the pattern as it is when nothing can
    be told, when it may match nothing, ignores case or is verbose."""
    if not isinstance(pattern, re.Pattern) or not isinstance(pattern.pattern, str) or pattern.flags & (re.I | re.X):
        return pattern
    from re import _constants as c
    from re import _parser

    try:
        first = _first(list(_parser.parse(pattern.pattern, pattern.flags)), c)
    except Exception:  # noqa: BLE001  (an unreadable pattern keeps its own scan)
        return pattern
    if first is None or first[1]:
        return pattern
    try:
        return re.compile(f"(?=[{''.join(sorted(first[0]))}])(?:{pattern.pattern})", pattern.flags)
    except re.error:  # a global flag at its start, say
        return pattern


CATEGORY_CLASS = {"CATEGORY_DIGIT": r"\d", "CATEGORY_SPACE": r"\s", "CATEGORY_WORD": r"\w"}


def _first(items, c) -> tuple[set[str], bool] | None:
    """The class members a match of the sequence can start with, and whether it may be
    empty; None when that cannot be told."""
    found: set[str] = set()
    for op, av in items:
        if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
            continue  # consumes nothing: the next item starts the match
        if op is c.LITERAL:
            return found | {re.escape(chr(av))}, False
        if op is c.IN:
            members = _members(av, c)
            return None if members is None else (found | members, False)
        if op is c.SUBPATTERN:
            _, add_flags, _, sub = av
            inner = None if add_flags & c.SRE_FLAG_IGNORECASE else _first(sub, c)
        elif op is c.ATOMIC_GROUP:
            inner = _first(av, c)
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            low, _, sub = av
            inner = _first(sub, c)
            inner = inner and (inner[0], inner[1] or low == 0)
        elif op is c.BRANCH:
            alts = [_first(branch, c) for branch in av[1]]
            inner = None if None in alts else ({m for a in alts for m in a[0]}, any(a[1] for a in alts))
        else:  # any character, a negated literal, a back reference: cannot be told
            return None
        if inner is None:
            return None
        found |= inner[0]
        if not inner[1]:
            return found, False
    return found, True


def _members(av, c) -> set[str] | None:
    members: set[str] = set()
    for op, arg in av:
        if op is c.LITERAL:
            members.add(re.escape(chr(arg)))
        elif op is c.RANGE:
            members.add(f"{re.escape(chr(arg[0]))}-{re.escape(chr(arg[1]))}")
        elif op is c.CATEGORY and str(arg) in CATEGORY_CLASS:
            members.add(CATEGORY_CLASS[str(arg)])
        else:  # a negation, \D, \S …
            return None
    return members
