"""Tables: DocResults → facts / mentions / docs / wide DataFrames, written as CSV (UTF-8
with BOM, so that Excel opens it), Parquet and one DuckDB file — each atomically:
a table is written to a temporary file and renamed into place, so an interrupted
run never leaves a half-written table.

This is the in-memory path (a notebook, the benchmark's single-process section).  A
batch (`extract.batch`) streams the same rows (`extract.rows`) through the DuckDB store
(`extract.outputs.store`) instead, so that an archive never has to fit in memory.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd

from ..model import DocResult
from .libraries import library_rows
from .rows import (  # noqa: F401  (the column lists are part of this module's interface)
    DOC_COLUMNS,
    FACT_COLUMNS,
    LIBRARY_COLUMNS,
    MENTION_COLUMNS,
    ROW_TABLES,
    TABLES,
    WIDE_INDEX,
    WIDE_KEYS,
    columns_of,
    extend,
    result_rows,
)


def _frame(rows: dict[str, list], columns: list[str]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=columns)
    if "year" in df:
        df["year"] = pd.array(df["year"], dtype="Int64")
    return df


def build_tables(results: list[DocResult]) -> dict[str, pd.DataFrame]:
    rows: dict[str, dict[str, list]] = {t: {c: [] for c in columns_of(t)} for t in ROW_TABLES}
    for r in results:
        extend(rows, result_rows(r))
    tables = {t: _frame(rows[t], columns_of(t)) for t in ROW_TABLES}
    tables["libraries"] = libraries_table(tables["docs"])
    tables["wide"] = wide_table(tables["facts"], tables["libraries"])
    return {t: tables[t] for t in TABLES}


def libraries_table(docs: pd.DataFrame) -> pd.DataFrame:
    """One row per library identity of the documents (extract/outputs/libraries.py)."""
    counts = docs.groupby(["library_id", "library"]).size() if not docs.empty else pd.Series(dtype=int)
    df = pd.DataFrame(library_rows((lid, name, n) for (lid, name), n in counts.items()), columns=LIBRARY_COLUMNS)
    df["n_docs"] = pd.array(df["n_docs"], dtype="Int64")
    return df


def wide_table(facts: pd.DataFrame, libraries: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per (library_id, year, status, period), one column per metric, with the
    library's canonical name beside its id; the docs that gave the row are listed so that
    two reports of one library-year stay visible.  A fact without a library identity is
    keyed by its doc."""
    from ..stages.metric_rules import metric_ids

    metrics = metric_ids()
    if facts.empty:
        return pd.DataFrame(columns=WIDE_KEYS + ["docs"] + metrics)
    names = dict(zip(libraries["library_id"], libraries["name"])) if libraries is not None else {}
    f = facts.copy()
    own = "(" + f["doc"] + ")"
    f["library"] = [names.get(i) or (lib or o) for i, lib, o in zip(f["library_id"], f["library"], own)]
    f["library_id"] = f["library_id"].where(f["library_id"] != "", own)
    f["_key"] = ["\x1f".join("" if pd.isna(v) else str(v) for v in row) for row in f[WIDE_INDEX].itertuples(index=False)]
    wide = f.pivot_table(index="_key", columns="metric", values="value", aggfunc="first")
    wide = wide.reindex(columns=metrics)
    first = f.drop_duplicates("_key").set_index("_key")[WIDE_KEYS]
    docs = f.groupby("_key")["doc"].agg(lambda s: ";".join(sorted(set(s))))
    out = first.join(docs.rename("docs")).join(wide).reset_index(drop=True)
    out["year"] = pd.array(out["year"], dtype="Int64")
    return out.sort_values(WIDE_INDEX, na_position="last").reset_index(drop=True)


def atomic_path(target: Path) -> Path:
    """A fresh temporary file beside `target`, to be renamed onto it once complete.

    mkstemp makes it private (0600); the table a user finds should have the
    permissions any file he creates gets (0666 less the umask)."""
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(fd)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)
    return Path(tmp)


def write_tables(tables: dict[str, pd.DataFrame], out_dir: str | Path) -> list[Path]:
    """CSV (UTF-8 with BOM), Parquet and OUT/libstat.duckdb, each replaced atomically."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, df in tables.items():
        for suffix in (".csv", ".parquet"):
            target = out / f"{name}{suffix}"
            tmp = atomic_path(target)
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

    tmp = atomic_path(target)
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
