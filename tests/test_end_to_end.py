"""The CLI on whole corpora, scored against the gold sets in ../shared/gold.

- seeds: the bundled copy corpus/seeds against ../shared/gold/seeds;
- every other gold set ../shared/gold/<name> with texts in ../shared/corpus/<name>;

each against its floors in tests/score_floors.yaml (F1, share of documents with library and
year right): a ratchet that only goes up, so CI stops regressions without blocking progress.

Each corpus is extracted once per session (one CLI run per gold set).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml
from conftest import SEEDS, SHARED, gold_sets, needs_shared, same_texts

from extract.checks.evaluate import evaluate

FLOORS_FILE = Path(__file__).with_name("score_floors.yaml")

SETS = gold_sets()


def floors(name: str) -> dict[str, float]:
    table = yaml.safe_load(FLOORS_FILE.read_text(encoding="utf-8"))
    table.pop("format_gap", None)
    return {**table["default"], **table.get(name, {})}


def corpus_of(name: str) -> Path:
    return SEEDS if name == "seeds" else SHARED / "corpus" / name


@pytest.fixture(scope="module")
def extractions(extracted):
    """name → output folder of one CLI run over that corpus (shared with test_evaluate)."""
    return lambda name: extracted(corpus_of(name))


def _gold_docs(name: str) -> pd.DataFrame:
    return pd.read_csv(SHARED / "gold" / name / "docs.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")


@needs_shared
@pytest.mark.parametrize("name", SETS or ["seeds"])
def test_every_gold_document_is_extracted(extractions, name):
    out = extractions(name)
    docs = pd.read_csv(out / "docs.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig").set_index("doc")
    for d in _gold_docs(name)["doc"]:
        assert d in docs.index, f"{name}: gold document {d} is not in docs.csv"
        assert docs.at[d, "error"] == "", f"{name}/{d}: {docs.at[d, 'error']}"


@needs_shared
@pytest.mark.parametrize("name", SETS or ["seeds"])
def test_scores_against_gold(extractions, name):
    s = evaluate(SHARED / "gold" / name, extractions(name))
    detail = (f"{name}: F1 {s.f1:.3f} (P {s.precision:.3f}, R {s.recall:.3f}), "
              f"library {s.library_ok}/{s.n_docs}, year {s.year_ok}/{s.n_docs}")
    assert s.n_docs > 0 and s.gold > 0, detail
    floor = floors(name)
    assert s.f1 >= floor["f1"], f"{detail}; floor F1 {floor['f1']}"
    assert s.library_ok >= floor["library"] * s.n_docs - 1e-9, f"{detail}; floor library {floor['library']}"
    assert s.year_ok >= floor["year"] * s.n_docs - 1e-9, f"{detail}; floor year {floor['year']}"


def test_floors_cover_the_seeds_and_are_shares():
    table = yaml.safe_load(FLOORS_FILE.read_text(encoding="utf-8"))
    assert "default" in table and "seeds" in table
    for name, row in table.items():
        if name == "format_gap":
            continue
        assert set(row) <= {"f1", "library", "year"}, name
        assert all(0.0 <= v <= 1.0 for v in row.values()), name


@needs_shared
def test_bundled_seeds_match_shared_seeds():
    """The gold for seeds is scored on the bundled copy: it must be the same texts."""
    shared = SHARED / "corpus" / "seeds"
    if not shared.is_dir():
        pytest.skip("no ../shared/corpus/seeds")
    assert same_texts(SEEDS, shared)
