"""Numbers checked against tests that nobody here wrote.

- The Chinese cardinal cases of Microsoft Recognizers-Text (../shared/specs/chinese-numbers.json):
  the finder must give exactly the listed values for at least 95 % of them.
- cn2an: on clean numeral strings that cn2an reads in "normal" mode, `parse_numeral` agrees.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from extract.quantities import find_quantities
from extract.stages.numerals import parse_numeral

SPEC = Path(__file__).resolve().parents[1] / ".." / "shared" / "specs" / "chinese-numbers.json"
MIN_SHARE = 0.95


def _same(got: list[float], want: list[float]) -> bool:
    return len(got) == len(want) and all(math.isclose(g, w, rel_tol=1e-9) for g, w in zip(got, want, strict=True))


def test_recognizers_text_chinese_numbers() -> None:
    if not SPEC.is_file():
        pytest.skip(f"peer spec not found: {SPEC}")
    cases = json.loads(SPEC.read_text(encoding="utf-8"))
    failures = []
    for case in cases:
        got = [q.value for q in find_quantities(case["input"])]
        if not _same(got, [float(v) for v in case["values"]]):
            failures.append((case["input"], case["values"], got))
    passed = len(cases) - len(failures)
    print(f"\nRecognizers-Text Chinese numbers: {passed}/{len(cases)} pass")
    for text, want, got in failures:
        print(f"  {text!r}: want {want}, got {got}")
    assert cases
    assert passed >= MIN_SHARE * len(cases), f"{passed}/{len(cases)} pass; failures: {failures}"


CN2AN_AGREES = [
    "一千零五", "四万五千六百二十二", "十五", "二百五十", "一", "十", "十一", "一百", "一百零一", "一千",
    "一万", "十万", "一百万", "一千万", "一亿", "两千", "两万", "三千五百", "一万二千", "一万零五百",
    "九十九", "一百一十", "一千零一十", "二十万零三百", "三亿五千万", "四十五", "六百七十八", "八千零八",
    "五万零五", "十二万三千四百五十六", "一亿零一", "两百", "壹仟贰佰", "叁拾", "一万二", "两千五",
    "一千三", "三百五", "三点一四", "十五点七", "一百零五点五",
]


@pytest.mark.parametrize("text", CN2AN_AGREES)
def test_parse_numeral_agrees_with_cn2an(text: str) -> None:
    cn2an = pytest.importorskip("cn2an")
    want = float(cn2an.cn2an(text, "normal"))
    got = parse_numeral(text)
    assert got is not None and math.isclose(got, want, rel_tol=1e-9), f"{text}: cn2an {want}, parse_numeral {got}"
