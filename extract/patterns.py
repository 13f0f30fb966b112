"""Compiling the rules' patterns: the standard library's engine wherever it takes a pattern.

The rules are written for `regex` (it reads `\\p{Han}`, variable-width look-behinds, inline
flags anywhere).  Most of them are plain enough for `re` too, and `re` runs them two to
three times faster — an alternation of many words without a common first character is
tried at every position of every sentence, and that is where `regex` is slow.  So each
pattern is compiled by `re` when `re` accepts it and by `regex` otherwise; both engines
read such a pattern alike (`regex` in its default, re-compatible version 0), and their
pattern objects answer the same calls (`search`, `match`, `finditer`, `sub`, `split`,
`pos`/`endpos`, groups).

The one `regex`-only piece the rules use often, `\\p{Han}`, is written out for `re` as
the code point ranges of the Han script (`HAN`, the ranges `regex` itself matches:
tests/test_patterns.py checks them against it over every code point).

`relaxed` gives, for a pattern only `regex` takes, a `re` pattern that finds at least
wherever it finds: the look-arounds `re` cannot read dropped (an assertion only removes
matches), a letter or a number (`\\p{L}`, `\\p{N}`) read as any word character.  Where it finds nothing neither does the original — a cheap test before the
slow search, and what extract/prefilter.py's `needed` can read.

`overlapped` finds every match that starts at a different place, as `regex`'s
`finditer(…, overlapped=True)` does, with either engine.
"""

from __future__ import annotations

import re

import regex

Pattern = re.Pattern | regex.Pattern
Match = re.Match | regex.Match

# the Han script as `regex` (its Unicode database) has it, as ranges for a character class
HAN = ("\u2e80-\u2e99\u2e9b-\u2ef3\u2f00-\u2fd5\u3005\u3007\u3021-\u3029\u3038-\u303b\u3400-\u4dbf"
       "\u4e00-\u9fff\uf900-\ufa6d\ufa70-\ufad9\U00016fe2-\U00016fe3\U00016ff0-\U00016ff6"
       "\U00020000-\U0002a6df\U0002a700-\U0002b81e\U0002b820-\U0002cead\U0002ceb0-\U0002ebe0"
       "\U0002ebf0-\U0002ee5d\U0002f800-\U0002fa1d\U00030000-\U0003134a\U00031350-\U00033479")
HAN_PROPERTY = "\\p{Han}"

FLAGS = {regex.I: re.I, regex.M: re.M, regex.S: re.S, regex.X: re.X, regex.A: re.A, regex.U: re.U}


def compile(pattern: str, flags: int = 0) -> Pattern:  # noqa: A001  (the name the engines give it)
    """`pattern` compiled by `re` if it can be, else by `regex`."""
    std = 0
    for ours, theirs in FLAGS.items():
        if flags & ours:
            std |= theirs
    if std == flags:  # no flag that only `regex` has
        try:
            return re.compile(han_for_re(pattern) if HAN_PROPERTY in pattern else pattern, std)
        except (re.error, OverflowError, ValueError):
            pass
    return regex.compile(pattern, flags)


def han_for_re(pattern: str) -> str:
    """`pattern` with each `\\p{Han}` written as the ranges of `HAN`: a class of its own outside
    a character class, the ranges themselves inside one ([\\p{Han}＊] → [⺀-⺙…＊])."""
    out, i, in_class = [], 0, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            if pattern.startswith(HAN_PROPERTY, i):
                out.append(HAN if in_class else "[" + HAN + "]")
                i += len(HAN_PROPERTY)
                continue
            out.append(pattern[i : i + 2])  # an escape: its character is never a bracket
            i += 2
            continue
        if ch == "[" and not in_class:
            in_class = True
            k = i + 1 + (pattern.startswith("^", i + 1))
            if pattern.startswith("]", k):  # a ] right after [ or [^ is a literal one
                k += 1
            out.append(pattern[i:k])
            i = k
            continue
        if ch == "]" and in_class:
            in_class = False
        out.append(ch)
        i += 1
    return "".join(out)


LOOK_AROUND = ("(?<=", "(?<!", "(?=", "(?!")
LETTER_OR_NUMBER = ("\\p{L}", "\\p{N}")
SHARED_FLAGS = regex.IGNORECASE | regex.MULTILINE | regex.DOTALL | regex.VERBOSE  # the same bits in re


def relaxed(pattern: Pattern) -> re.Pattern | None:
    """`pattern` itself when `re` compiled it; for a `regex` one, the same pattern without the
    look-arounds `re` cannot read, and with `\\w` for a letter or a number (`\\p{L}`, `\\p{N}`),
    compiled by `re`; None when `re` takes it even so not."""
    if isinstance(pattern, re.Pattern):
        return pattern
    if pattern.flags & ~(regex.VERSION0 | regex.UNICODE | SHARED_FLAGS) or not isinstance(pattern.pattern, str):
        return None
    flags = pattern.flags & SHARED_FLAGS
    text, out, i = pattern.pattern, [], 0
    while i < len(text):
        end = _group_end(text, i) if text.startswith(LOOK_AROUND, i) else i
        if end > i and not isinstance(compile(text[i:end], flags), re.Pattern):
            i = end  # a look-around only `regex` reads (or one with \\p{L} in it): dropped
            continue
        if text.startswith(LETTER_OR_NUMBER, i):  # \p{L}, \p{N}: within \w (what str.isalnum takes)
            out.append("\\w")
            i += len(LETTER_OR_NUMBER[0])
            continue
        step = _token_end(text, i)
        piece = text[i:step]
        if piece.startswith("[") and any(p in piece for p in LETTER_OR_NUMBER):
            if piece.startswith("[^"):
                return None  # a class of what is not a letter: \w there would narrow it
            for p in LETTER_OR_NUMBER:
                piece = piece.replace(p, "\\w")
        out.append(piece)
        i = step
    found = compile("".join(out), flags)
    return found if isinstance(found, re.Pattern) else None


def _token_end(text: str, i: int) -> int:
    """The end of the piece at `i`: an escape, a whole character class, or one character."""
    if text[i] == "\\":
        return i + 2
    if text[i] != "[":
        return i + 1
    k = i + 1 + text.startswith("^", i + 1)
    k += text.startswith("]", k)  # a ] right after [ or [^ is a literal one
    while k < len(text) and text[k] != "]":
        k += 2 if text[k] == "\\" else 1
    return k + 1


def _group_end(text: str, i: int) -> int:
    """The end of the group opening at `i`."""
    depth, k = 0, i
    while k < len(text):
        if text[k] == "(":
            depth += 1
        elif text[k] == ")":
            depth -= 1
            if depth == 0:
                return k + 1
        k = _token_end(text, k)
    return len(text)


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
