"""A guarded pattern (extract/prefilter.py `guarded`: a look-ahead at the characters a match
can start with) finds the same matches as the pattern itself, for made-up patterns and for
every pattern the segmenter and the status rules search with; and what the segmenter's
quick tests take for granted of the rules."""

from __future__ import annotations

import random
import re
from pathlib import Path

from test_prefilter import _rule_patterns  # every pattern the segmenter and the status rules search with

from extract import prefilter
from extract.stages import status


def test_a_guarded_pattern_finds_the_same_matches() -> None:
    made = re.compile(r"(?<![\d.])\d{1,2}\s*月|(?:开馆|建馆)以来|前[两二]季度|\s?[(（]\d+[)）]")
    guarded = prefilter.guarded(made)
    assert guarded is not made and guarded.pattern.startswith("(?=[")
    assert prefilter.guarded(re.compile(r"a?b?")).pattern == "a?b?"  # may match nothing: as it is
    assert prefilter.guarded(re.compile(r".x")).pattern == ".x"  # any character: cannot be told
    found = _rule_patterns()
    found["made up"] = made
    seeds = Path(__file__).parent.parent / "corpus" / "seeds"
    lines = [ln for f in sorted(seeds.glob("*.txt")) for ln in f.read_text(encoding="utf-8").splitlines()]
    rnd = random.Random(11)
    alphabet = sorted({ch for p in found.values() for ch in p.pattern if not ch.isascii()} | set("0123456789-,.(): "))
    texts = lines + ["".join(rnd.choice(alphabet) for _ in range(rnd.randrange(1, 30))) for _ in range(1000)]
    for name, pattern in found.items():
        g = prefilter.guarded(pattern)
        for text in texts:
            assert [m.span() + m.groups() for m in g.finditer(text)] == \
                [m.span() + m.groups() for m in pattern.finditer(text)], (name, text)


def test_every_opening_year_cue_holds_nian() -> None:
    # segment reads a clause's opening year only where the clause holds 年
    need = status.status_rules().clause_year_need
    assert need is not None and all(any(alts == ("年",) or all("年" in s for s in alts) for alts in conj)
                                    for conj in need.branches)
