"""extract/patterns.py: a pattern compiled by `re` matches exactly what `regex` matches."""

from __future__ import annotations

import re

import pytest
import regex

from extract import patterns


def test_han_ranges_are_regex_own_han_script():
    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    ours = re.compile("[" + patterns.HAN + "]+")
    assert [m.span() for m in ours.finditer(every)] == [m.span() for m in regex.finditer(r"\p{Han}+", every)]


@pytest.mark.parametrize("pattern, text", [
    (r"(?<=\p{Han})[ \t]{1,2}(?=\p{Han})", "图书 馆 ab 阅 览室"),
    (r"[\p{Han}*＊]{2,}馆", "某＊＊图书馆, x*馆"),
    (r"[^\p{Han}\d]+", "馆藏 12 万册, ok!"),
    (r"[]\p{Han}]+", "]图书]a"),
    (r"\[\p{Han}+\]", "[通知] 与 [x]"),
    (r"走进\p{Han}{0,8}?(?:图书馆|馆)", "读者走进新落成的市图书馆借阅"),
])
def test_han_property_written_out_for_re(pattern, text):
    compiled = patterns.compile(pattern)
    assert isinstance(compiled, re.Pattern)
    assert [m.span() for m in compiled.finditer(text)] == [m.span() for m in regex.finditer(pattern, text)]


def test_patterns_only_regex_reads_stay_regex():
    assert isinstance(patterns.compile(r"(?<!已|累计)建成"), regex.Pattern)  # variable-width look-behind
    assert isinstance(patterns.compile(r"\p{Latin}+"), regex.Pattern)
    assert isinstance(patterns.compile(r"a", regex.V1), regex.Pattern)  # a flag only regex has
    assert isinstance(patterns.compile(r"ab", regex.I), re.Pattern)


@pytest.mark.parametrize("pattern", [r"读者活动|读者|举办|办读", r"(?:\p{Han}{2})", r"(?<=[办，])读者?", r"a|ab|b"])
def test_overlapped_matches_regex_overlapped(pattern):
    text = "举办读者活动共12次，读者活动次数 ab ab"
    expected = [(m.start(), m.end()) for m in regex.compile(pattern).finditer(text, overlapped=True)]
    assert [(m.start(), m.end()) for m in patterns.overlapped(patterns.compile(pattern), text)] == expected
    assert [(m.start(), m.end()) for m in patterns.overlapped(regex.compile(pattern), text)] == expected
    assert len(expected) >= 2
