"""Read the tables of an extraction (OUT) back, for the commands that work on one.

`export`, `review` and the notebook take an OUT folder, not the inputs: they must show
exactly what was extracted, not a re-extraction with today's rules.  Parquet keeps the
column types, so it comes first; the DuckDB file (the batch's store) and the CSV files
are the fallbacks for an OUT that holds only one of them.  Nothing here takes the writer
lock: a run writing OUT never blocks a reader.  Should the export not show the store's
committed state (a run was killed while renaming the files into place), the tables are
read from the store, so that they are never a mix of two runs.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .rows import (
    BOOL_COLUMNS,
    DOC_COLUMNS,
    FACT_COLUMNS,
    FLOAT_COLUMNS,
    INTEGER_COLUMNS,
    LIBRARY_COLUMNS,
    MENTION_COLUMNS,
)

TEXT_COLUMNS = ((set(FACT_COLUMNS) | set(MENTION_COLUMNS) | set(DOC_COLUMNS) | set(LIBRARY_COLUMNS) | {"docs"})
                - INTEGER_COLUMNS - FLOAT_COLUMNS - BOOL_COLUMNS)


class OutError(Exception):
    """OUT is not a libstat extraction (or lacks a table)."""


def read_tables(out: str | Path,
                names: tuple[str, ...] = ("facts", "mentions", "docs", "wide", "libraries")) -> dict[str, pd.DataFrame]:
    out = Path(out)
    if not out.is_dir():
        raise OutError(f"{out} is not a folder (expected the OUT of `libstat extract ... -o OUT`)")
    tables = {}
    from_store = not _export_current(out)
    for name in names:
        tables[name] = _typed(_read(out, name, from_store))
    return tables


def _export_current(out: Path) -> bool:
    """False when the store's committed state token is not the one the CSV/Parquet files show."""
    from .store import EXPORT_TOKEN, INTERNAL

    db, token = out / "libstat.duckdb", out / ".cache" / EXPORT_TOKEN
    if not db.is_file() or not token.is_file():
        return True  # an OUT written by write_tables, or no store: the files are all there is
    import duckdb

    try:
        con = duckdb.connect(str(db), read_only=True)
        try:
            row = con.execute(f"SELECT value FROM {INTERNAL}.meta WHERE name = 'state'").fetchone()
        finally:
            con.close()
        return bool(row) and row[0] == token.read_text(encoding="utf-8")
    except Exception:  # an unreadable store: the files are the last good state
        return True


def _read(out: Path, name: str, from_store: bool = False) -> pd.DataFrame:
    pq = out / f"{name}.parquet"
    if pq.is_file() and not from_store:
        return pd.read_parquet(pq)
    db = out / "libstat.duckdb"
    if db.is_file():
        import duckdb

        con = duckdb.connect(str(db), read_only=True)
        try:
            if con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]).fetchone()[0]:
                return con.execute(f'SELECT * FROM "{name}"').df()
        finally:
            con.close()
    csv = out / f"{name}.csv"
    if csv.is_file():
        return pd.read_csv(csv, encoding="utf-8-sig", keep_default_na=False, na_values=[""])
    raise OutError(f"{out} has no {name} table ({name}.parquet, libstat.duckdb or {name}.csv)")


def _typed(df: pd.DataFrame) -> pd.DataFrame:
    """Same dtypes whichever file the table came from: nullable integers (a year may be
    missing), floats for values and the metric columns of `wide`, plain str with '' for
    missing text (a CSV column that is empty throughout would otherwise read as NaN)."""
    df = df.copy()
    for c in df.columns:
        if c in INTEGER_COLUMNS:
            df[c] = pd.to_numeric(df[c], errors="coerce").round().astype("Int64")
        elif c in BOOL_COLUMNS:
            df[c] = df[c].map(lambda v: str(v).lower() in ("true", "1")).astype(bool)
        elif c in TEXT_COLUMNS:
            df[c] = pd.Series(["" if pd.isna(v) else str(v) for v in df[c]], index=df.index, dtype=object)
        else:  # value, seconds, and one column per metric in `wide`
            df[c] = pd.to_numeric(df[c], errors="coerce").astype("float64")
    return df
