"""Table rows of one document, as columns: the unit a batch moves around.

A worker turns its `DocResult` into these rows (and pickles them) so that the main
process never rebuilds them: it writes the bytes to the cache and, at the end of a run,
hands the columns to DuckDB.  The in-memory path (`tables.build_tables`) builds its
DataFrames from the same rows, so both paths give the same columns and values.

No pandas or pyarrow here: the main process of an unchanged rerun should not pay
for importing them.
"""

from __future__ import annotations

from ..model import DocResult

FACT_COLUMNS = ["doc", "library", "library_id", "year", "metric", "value", "unit", "status", "period", "qualifier",
                "raw", "evidence", "page", "char_start", "char_end", "rule", "flags"]
MENTION_COLUMNS = ["doc", "metric", "value", "unit", "qualifier", "status", "year", "period", "raw", "label",
                   "evidence", "page", "char_start", "char_end", "taken", "reason", "rule"]
DOC_COLUMNS = ["doc", "path", "sha256", "library", "library_id", "year", "doc_type", "period", "pages", "chars", "encoding",
               "n_facts", "n_mentions", "error", "flags", "seconds"]
WIDE_INDEX = ["library_id", "year", "status", "period"]
WIDE_KEYS = ["library_id", "library", "year", "status", "period"]  # the name kept for reading
LIBRARY_COLUMNS = ["library_id", "name", "names", "level", "kind", "province", "city", "county", "adcode", "n_docs"]
TABLES = ("facts", "mentions", "docs", "wide", "libraries")
ROW_TABLES = ("facts", "mentions", "docs")  # per document; `wide` and `libraries` are derived

# Column types, shared by the DuckDB store and the Parquet files (anything else is text).
INTEGER_COLUMNS = {"year", "page", "char_start", "char_end", "pages", "chars", "n_facts", "n_mentions", "n_docs"}
FLOAT_COLUMNS = {"value", "seconds"}
BOOL_COLUMNS = {"taken"}

Columns = dict[str, list]


def columns_of(table: str) -> list[str]:
    return {"facts": FACT_COLUMNS, "mentions": MENTION_COLUMNS, "docs": DOC_COLUMNS}[table]


def result_rows(r: DocResult) -> dict[str, Columns]:
    """facts / mentions / docs rows of one document, column by column."""
    facts: Columns = {c: [] for c in FACT_COLUMNS}
    for f in r.facts:
        for c in FACT_COLUMNS:
            facts[c].append(getattr(f, c))
    mentions: Columns = {c: [] for c in MENTION_COLUMNS}
    for m in r.mentions:
        for c in MENTION_COLUMNS:
            mentions[c].append(r.doc if c == "doc" else getattr(m, c))
    docs: Columns = {
        "doc": [r.doc], "path": [r.path], "sha256": [r.sha256], "library": [r.library],
        "library_id": [r.library_id], "year": [r.year],
        "doc_type": [r.doc_type], "period": [r.period], "pages": [r.pages], "chars": [r.chars],
        "encoding": [r.encoding], "n_facts": [len(r.facts)], "n_mentions": [len(r.mentions)],
        "error": [r.error], "flags": [r.flags], "seconds": [round(r.seconds, 4)],
    }
    for c in FLOAT_COLUMNS:  # 72 and 72.0 must not give two column types
        for cols in (facts, mentions, docs):
            if c in cols:
                cols[c] = [None if v is None else float(v) for v in cols[c]]
    return {"facts": facts, "mentions": mentions, "docs": docs}


def extend(into: dict[str, Columns], rows: dict[str, Columns]) -> None:
    """Append one document's rows to a chunk of rows."""
    for table, cols in rows.items():
        target = into.setdefault(table, {c: [] for c in cols})
        for c, values in cols.items():
            target[c].extend(values)
