"""Tables: DocResults → facts / mentions / docs / wide DataFrames, written as CSV (UTF-8
with BOM, so that Excel opens it), Parquet and one DuckDB file — each atomically:
a table is written to a temporary file and renamed into place, so an interrupted
run never leaves a half-written table.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import asdict
from pathlib import Path

import pandas as pd

from .model import DocResult

FACT_COLUMNS = ["doc", "library", "year", "metric", "value", "unit", "status", "period", "qualifier",
                "raw", "evidence", "page", "char_start", "char_end", "rule", "flags"]
MENTION_COLUMNS = ["doc", "metric", "value", "unit", "qualifier", "status", "year", "period", "raw", "label",
                   "evidence", "page", "char_start", "char_end", "taken", "reason", "rule"]
DOC_COLUMNS = ["doc", "path", "sha256", "library", "year", "doc_type", "period", "pages", "chars", "encoding",
               "n_facts", "n_mentions", "error", "flags", "seconds"]
WIDE_INDEX = ["library", "year", "status", "period"]
TABLES = ("facts", "mentions", "docs", "wide")


def _frame(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=columns)
    if "year" in df:
        df["year"] = pd.array(df["year"], dtype="Int64")
    return df


def build_tables(results: list[DocResult]) -> dict[str, pd.DataFrame]:
    facts, mentions, docs = [], [], []
    for r in results:
        facts.extend(asdict(f) for f in r.facts)
        for m in r.mentions:
            row = {k: getattr(m, k) for k in MENTION_COLUMNS if k != "doc"}
            row["doc"] = r.doc
            mentions.append(row)
        docs.append({
            "doc": r.doc, "path": r.path, "sha256": r.sha256, "library": r.library, "year": r.year,
            "doc_type": r.doc_type, "period": r.period, "pages": r.pages, "chars": r.chars, "encoding": r.encoding,
            "n_facts": len(r.facts), "n_mentions": len(r.mentions), "error": r.error, "flags": r.flags,
            "seconds": round(r.seconds, 4),
        })
    tables = {
        "facts": _frame(facts, FACT_COLUMNS),
        "mentions": _frame(mentions, MENTION_COLUMNS),
        "docs": _frame(docs, DOC_COLUMNS),
    }
    tables["wide"] = wide_table(tables["facts"])
    return tables


def wide_table(facts: pd.DataFrame) -> pd.DataFrame:
    """One row per (library, year, status, period), one column per metric; the docs
    that gave the row are listed so that two reports of one library-year stay visible."""
    from .rules import metric_ids

    metrics = metric_ids()
    if facts.empty:
        return pd.DataFrame(columns=WIDE_INDEX + ["docs"] + metrics)
    f = facts.copy()
    f["library"] = f["library"].where(f["library"] != "", "(" + f["doc"] + ")")
    f["_key"] = ["\x1f".join("" if pd.isna(v) else str(v) for v in row) for row in f[WIDE_INDEX].itertuples(index=False)]
    wide = f.pivot_table(index="_key", columns="metric", values="value", aggfunc="first")
    wide = wide.reindex(columns=metrics)
    first = f.drop_duplicates("_key").set_index("_key")[WIDE_INDEX]
    docs = f.groupby("_key")["doc"].agg(lambda s: ";".join(sorted(set(s))))
    out = first.join(docs.rename("docs")).join(wide).reset_index(drop=True)
    out["year"] = pd.array(out["year"], dtype="Int64")
    return out.sort_values(["library", "year", "status", "period"], na_position="last").reset_index(drop=True)


def _atomic_path(target: Path) -> Path:
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(fd)
    return Path(tmp)


def write_tables(tables: dict[str, pd.DataFrame], out_dir: str | Path) -> list[Path]:
    """CSV (UTF-8 with BOM), Parquet and OUT/libstat.duckdb, each replaced atomically."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, df in tables.items():
        for suffix in (".csv", ".parquet"):
            target = out / f"{name}{suffix}"
            tmp = _atomic_path(target)
            if suffix == ".csv":
                df.to_csv(tmp, index=False, encoding="utf-8-sig")
            else:
                df.to_parquet(tmp, index=False)
            os.replace(tmp, target)
            written.append(target)
    written.append(write_duckdb(tables, out / "libstat.duckdb"))
    return written


def write_duckdb(tables: dict[str, pd.DataFrame], target: Path) -> Path:
    import duckdb

    tmp = _atomic_path(target)
    tmp.unlink()  # duckdb creates the file itself
    con = duckdb.connect(str(tmp))
    try:
        con.execute("BEGIN TRANSACTION")
        for name, df in tables.items():
            con.register("_frame", df)
            con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM _frame')
            con.unregister("_frame")
        con.execute("COMMIT")
    finally:
        con.close()
    os.replace(tmp, target)
    wal = Path(str(tmp) + ".wal")
    if wal.exists():
        wal.unlink()
    return target
