"""The CLI on whole corpora, scored against the gold sets in ../shared/gold.

- seeds: the bundled copy corpus/seeds against ../shared/gold/seeds: F1 ≥ 0.95, library
  and year right for every document;
- every other gold set ../shared/gold/<name> with texts in ../shared/corpus/<name>:
  F1 ≥ 0.85, library and year right for ≥ 90 % of the documents.

Each corpus is extracted once per session (one CLI run per gold set).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from conftest import SEEDS, SHARED, gold_sets, needs_shared, same_texts

from extract.evaluate import evaluate

SEED_F1 = 0.95
OTHER_F1 = 0.85
OTHER_DOC_ACCURACY = 0.90

SETS = gold_sets()


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
    if name == "seeds":
        assert s.f1 >= SEED_F1, detail
        assert s.library_ok == s.n_docs and s.year_ok == s.n_docs, detail
    else:
        assert s.f1 >= OTHER_F1, detail
        assert s.library_ok >= OTHER_DOC_ACCURACY * s.n_docs, detail
        assert s.year_ok >= OTHER_DOC_ACCURACY * s.n_docs, detail


@needs_shared
def test_bundled_seeds_match_shared_seeds():
    """The gold for seeds is scored on the bundled copy: it must be the same texts."""
    shared = SHARED / "corpus" / "seeds"
    if not shared.is_dir():
        pytest.skip("no ../shared/corpus/seeds")
    assert same_texts(SEEDS, shared)
