"""extract/patterns.py: a pattern compiled by `re` matches exactly what `regex` matches."""

from __future__ import annotations

import random
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


def test_relaxed_drops_only_what_re_cannot_read_and_matches_wherever_the_original_does():
    original = patterns.compile(r"(?<!已|累计|以来[,，]?)建成(?<=成)\p{Han}{0,2}馆")
    assert isinstance(original, regex.Pattern)
    relaxed = patterns.relaxed(original)
    assert isinstance(relaxed, re.Pattern) and "(?<=成)" in relaxed.pattern and "累计" not in relaxed.pattern
    texts = ["新建成图书馆", "已建成图书馆", "累计建成分馆", "以来，建成馆", "建成[馆]", "全年建成一座新馆"]
    for text in texts:
        if original.search(text):
            assert relaxed.search(text)
    assert not original.search("已建成图书馆") and relaxed.search("已建成图书馆")
    plain = patterns.compile(r"图书馆")
    assert patterns.relaxed(plain) is plain
    assert patterns.relaxed(regex.compile(r"\p{Latin}+")) is None


def test_relaxed_reads_letters_and_numbers_as_word_characters_and_keeps_flags():
    byline = patterns.compile(r"^\s*\p{L}[\p{L}\p{N}·]{1,19}\s+((?:19|20)\d\d)-\d\d(?!\p{L})", regex.M)
    relaxed = patterns.relaxed(byline)
    assert isinstance(relaxed, re.Pattern) and relaxed.flags & re.M
    assert "\\p" not in relaxed.pattern and "(?!" not in relaxed.pattern  # the look-ahead re cannot read: dropped
    rng = random.Random(5)
    for _ in range(3000):
        text = "".join(rng.choice("新华社日报 ·\n2019-03ab①Ⅻ") for _ in range(rng.randrange(40)))
        if byline.search(text):
            assert relaxed.search(text), text
    assert byline.search("正文\n新华社 2019-03") and relaxed.search("正文\n新华社 2019-03")
    # a class of what is not a letter cannot be widened to a word character: no relaxed form
    assert patterns.relaxed(regex.compile(r"[^\p{L}]+年")) is None
