"""Every rule file's `examples:` are its tests (DESIGN.md: rules are data, with their examples).

For each rules/metrics/<metric>.yaml and each entry of its `examples:` list:
- a positive example (has `value`) must give exactly one fact of that metric, with that
  value (1e-6 relative), qualifier (default exact) and status (default actual);
- a negative example (`none: true`) must give no fact of that metric.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest
import regex
import yaml

from extract.pipeline import extract_text

ROOT = Path(__file__).resolve().parents[1]
METRIC_DIR = ROOT / "rules" / "metrics"
METRICS_MD = ROOT.parent / "shared" / "METRICS.md"

MIN_POSITIVE = 4
MIN_NEGATIVE = 2


def _load(path: Path) -> dict:
    with path.open(encoding="utf-8") as f:
        return yaml.safe_load(f) or {}


METRIC_FILES = sorted(METRIC_DIR.glob("*.yaml"))
CASES = [
    pytest.param(path.name, _load(path)["metric"], i, ex, id=f"{path.stem}:{i}")
    for path in METRIC_FILES
    for i, ex in enumerate(_load(path).get("examples") or [])
]


def _describe(res) -> str:
    facts = "\n".join(
        f"    fact {f.metric}={f.value:g} {f.unit} qualifier={f.qualifier} status={f.status} "
        f"year={f.year} period={f.period!r} raw={f.raw!r} rule={f.rule}"
        for f in res.facts
    ) or "    (no facts)"
    mentions = "\n".join(
        f"    mention {m.metric}={m.value:g} {m.unit} raw={m.raw!r} status={m.status} "
        f"taken={m.taken} reason={m.reason!r} rule={m.rule}"
        for m in res.mentions
    ) or "    (no mentions)"
    return f"  facts:\n{facts}\n  mentions:\n{mentions}"


@pytest.mark.parametrize(("filename", "metric", "index", "example"), CASES)
def test_example(filename: str, metric: str, index: int, example: dict) -> None:
    text = example["text"]
    res = extract_text(text)
    assert not res.error, f"{filename}[{index}] {text!r}: extraction error {res.error}"
    got = [f for f in res.facts if f.metric == metric]
    where = f"{filename}[{index}] {text!r}"
    if example.get("none"):
        assert not got, f"{where}: expected no {metric} fact\n{_describe(res)}"
        return
    assert "value" in example, f"{where}: an example needs `value` or `none: true`"
    assert len(got) == 1, f"{where}: expected exactly one {metric} fact, got {len(got)}\n{_describe(res)}"
    fact = got[0]
    want = float(example["value"])
    assert math.isclose(fact.value, want, rel_tol=1e-6, abs_tol=1e-9), (
        f"{where}: value {fact.value:g}, expected {want:g}\n{_describe(res)}"
    )
    qualifier = example.get("qualifier", "exact")
    assert fact.qualifier == qualifier, f"{where}: qualifier {fact.qualifier}, expected {qualifier}\n{_describe(res)}"
    status = example.get("status", "actual")
    assert fact.status == status, f"{where}: status {fact.status}, expected {status}\n{_describe(res)}"


@pytest.mark.parametrize("path", METRIC_FILES, ids=[p.stem for p in METRIC_FILES])
def test_example_counts(path: Path) -> None:
    examples = _load(path).get("examples") or []
    positive = [e for e in examples if "value" in e and not e.get("none")]
    negative = [e for e in examples if e.get("none")]
    assert len(positive) >= MIN_POSITIVE, f"{path.name}: {len(positive)} positive examples, need {MIN_POSITIVE}"
    assert len(negative) >= MIN_NEGATIVE, f"{path.name}: {len(negative)} negative examples, need {MIN_NEGATIVE}"


def test_every_metric_has_a_rule_file() -> None:
    if not METRICS_MD.exists():
        pytest.skip(f"{METRICS_MD} not found")
    text = METRICS_MD.read_text(encoding="utf-8")
    section = text.split("## Metrics", 1)[1].split("\n## ", 1)[0]
    ids = [i for i in regex.findall(r"^\|\s*([a-z][a-z0-9_]*)\s*\|", section, flags=regex.M) if i != "id"]
    assert ids, "no metric ids found in METRICS.md"
    files = {p.stem for p in METRIC_FILES}
    missing = [i for i in ids if i not in files]
    assert not missing, f"metrics in METRICS.md without rules/metrics/<id>.yaml: {missing}"
    for p in METRIC_FILES:
        assert _load(p)["metric"] == p.stem, f"{p.name}: `metric:` must equal the file name"
