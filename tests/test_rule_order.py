"""The rules read a clause the same way in every process: the metrics searched for are
taken in the order the clause's units stand, never in a set's order (a set of strings is
ordered by the process's hash seed, and the metrics' order breaks ties between their words);
and the mentions they find are made with every field where it belongs."""

from __future__ import annotations

import os
import subprocess
import sys

CODE = """
from extract.stages import rules
seen = []
real = rules.searched_for
def spy(units, table_row):
    seen.append(units)
    return real(units, table_row)
rules.searched_for = spy
from extract.pipeline import extract_text
extract_text("全年到馆读者、外借图书、讲座、新办证分别为52万人次、30万册、61场、3400个。")
print(seen)
"""


def test_units_are_searched_in_the_clause_order_whatever_the_hash_seed() -> None:
    seen = {subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": str(seed)}).stdout.strip() for seed in range(8)}
    assert len(seen) == 1, seen
    units = eval(next(iter(seen)))  # noqa: S307  (our own subprocess's repr of a list of tuples)
    assert ("人次", "册", "场", "个") in units, units  # the one clause with four units: as they stand


def test_found_mention_sets_each_field_it_is_given_and_the_defaults_of_the_rest() -> None:
    from dataclasses import fields

    from extract.model import Mention, found_mention

    given = dict(metric="visits", value=52.0, unit="person-times", qualifier="over", status="target", year=2023,
                 period="H1", raw="52万", start=7, end=10, clause="接待读者52万人次", rule="visits:接待",
                 part=True, reason="why", unit_symbol="人次", paragraph=3)
    made = found_mention(*given.values())
    assert made == Mention(**given)  # positional in the fields' order: a reordered field fails here
    defaults = {f.name: f.default for f in fields(Mention) if f.name not in given}
    assert {k: getattr(made, k) for k in defaults} == defaults
