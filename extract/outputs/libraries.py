"""The `libraries` table: one row per library identity the documents carry.

Derived data: every document's row in `docs` holds the library's name as the report writes
it and its `library_id` (extract/stages/identity.py, decided where the report's text is at
hand); this table is rebuilt from those pairs whenever the tables are written, so it always
describes exactly the libraries of the documents the store holds.  Place and level come from
the id alone (`identity.describe`), the names seen from the documents.

No pandas or pyarrow here: the store builds its Arrow table from these columns.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from ..stages.identity import describe
from .rows import LIBRARY_COLUMNS


def library_rows(docs: Iterable[tuple[str, str, int]]) -> dict[str, list]:
    """(library_id, name as written, number of documents) → the table's columns, one row per
    id in id order; `names` lists the names seen, the most frequent first."""
    names: dict[str, Counter] = defaultdict(Counter)
    for library_id, name, n in docs:
        if library_id:
            names[library_id][name or ""] += int(n)
    cols: dict[str, list] = {c: [] for c in LIBRARY_COLUMNS}
    for library_id in sorted(names):
        ident = describe(library_id)
        seen = names[library_id]
        for c in LIBRARY_COLUMNS:
            if c == "names":
                cols[c].append(";".join(n for n, _ in sorted(seen.items(), key=lambda kv: (-kv[1], kv[0])) if n))
            elif c == "n_docs":
                cols[c].append(sum(seen.values()))
            else:
                cols[c].append(getattr(ident, c))
    return cols
