"""Rule examples and tests are written in our own words, never copied from the dev2 texts.

dev2 stands in for reports no rule was written beside: a rule example that quotes one of its
sentences would make the dev2 score say more about the rules than it should.  A run of
WINDOW characters (most of them Chinese) shared with a dev2 text counts as a quote.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import regex
from conftest import ROOT, SHARED

WINDOW = 15
CJK = regex.compile(r"\p{Han}")
DEV2 = SHARED / "corpus" / "dev2"


def _squash(text: str) -> str:
    import opencc

    return regex.sub(r"[\s\W_]+", "", opencc.OpenCC("t2s").convert(text))


def _windows(text: str):
    s = _squash(text)
    for i in range(len(s) - WINDOW + 1):
        w = s[i : i + WINDOW]
        if len(CJK.findall(w)) >= WINDOW - 3:
            yield w


@pytest.fixture(scope="module")
def dev2_windows() -> set[str]:
    if not DEV2.is_dir():
        pytest.skip(f"no {DEV2}")
    out: set[str] = set()
    for p in sorted(DEV2.glob("*.txt")):
        out.update(_windows(p.read_text(encoding="utf-8", errors="replace")))
    return out


def _our_texts() -> list[Path]:
    return sorted((ROOT / "rules" / "metrics").glob("*.yaml")) + sorted((ROOT / "tests").glob("*.py"))


def test_the_check_finds_a_planted_quote(dev2_windows):
    sample = next(iter(sorted(dev2_windows)))
    assert any(w in dev2_windows for w in _windows("例：" + sample + "。"))
    assert not any(w in dev2_windows for w in _windows("本馆全年举办讲座四十五场，参加读者三千人次。"))


@pytest.mark.parametrize("path", _our_texts(), ids=lambda p: p.name)
def test_no_dev2_sentence_is_quoted(dev2_windows, path):
    if path.name == Path(__file__).name:
        return
    quoted = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        hits = [w for w in _windows(line) if w in dev2_windows]
        if hits:
            quoted.append(f"{path.name}:{n}: {hits[0]}")
    assert not quoted, "dev2 text quoted:\n" + "\n".join(quoted[:10])
