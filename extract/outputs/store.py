"""The embedded store: OUT/libstat.duckdb, and the CSV and Parquet files made from it.

The DuckDB file holds facts / mentions / docs / wide / libraries, plus, in the `_libstat` schema,
which cache key each document's rows came from.  A run updates it in ONE transaction:
for every new or changed document, DELETE its rows and INSERT the new ones, in chunks
of documents (so memory holds one chunk, never the archive); with --prune, documents no
longer in the input are deleted; `wide` is rebuilt from facts by SQL, and `libraries`
from the documents' (library_id, library) pairs (extract/outputs/libraries.py).

The committed file is never opened for writing.  `update` works on a copy beside it
(OUT/.libstat.duckdb.new), so readers — `query`, `export`, `review`, the notebook, which
open OUT/libstat.duckdb read-only and take no lock — are never refused by DuckDB's
file lock and always see the last committed tables, and a run that fails or is killed
while updating (a write error, a full disk, SIGKILL) leaves them as they were.

`publish` then exports every table, in batches, from that copy to temporary CSV (UTF-8
with BOM) and Parquet files; only when all of them are written does it rename the
DuckDB file, then the CSV and Parquet files, into place, and record the state token
they show.  A write error before that point changes nothing; a kill during the renames
leaves a DuckDB file whose token the export record does not show, and the next run
exports again (`exported` is false): the files are never out of step for longer than
until the next run.  Rows come out ordered by doc (then as the pipeline produced them),
so that a local run and a Dask run give identical files.  A run that changes nothing
and finds the export record equal to the store's token rewrites nothing.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .rows import (
    BOOL_COLUMNS,
    FLOAT_COLUMNS,
    INTEGER_COLUMNS,
    LIBRARY_COLUMNS,
    ROW_TABLES,
    TABLES,
    WIDE_INDEX,
    WIDE_KEYS,
    columns_of,
    extend,
)

DB_NAME = "libstat.duckdb"
INTERNAL = "_libstat"
CHUNK_DOCS = 400  # documents per DELETE/INSERT round
CHUNK_ROWS = 50_000  # or fewer when their mentions reach this
EXPORT_BATCH = 50_000  # rows per CSV/Parquet batch
EXPORT_TOKEN = "exported"  # file under OUT/.cache naming the state the CSV/Parquet files show


STAGED = ".libstat.duckdb.new"  # the copy a run updates, renamed onto DB_NAME when published


class StoreError(Exception):
    """The store cannot be opened or written (locked, not a DuckDB file, disk full)."""


def _reason(e: BaseException) -> str:
    if isinstance(e, OSError):
        return e.strerror or str(e)
    return str(e).splitlines()[0] if str(e) else type(e).__name__


def sql_type(column: str) -> str:
    if column in INTEGER_COLUMNS:
        return "BIGINT"
    if column in FLOAT_COLUMNS:
        return "DOUBLE"
    if column in BOOL_COLUMNS:
        return "BOOLEAN"
    return "VARCHAR"


SCHEMA_VERSION = hashlib.sha256(repr([(t, [(c, sql_type(c)) for c in columns_of(t)]) for t in ROW_TABLES])
                                .encode()).hexdigest()[:12]


@dataclass
class Change:
    """New rows for one doc id: the cache key they come from and one payload per file."""

    doc: str
    key: str
    payloads: list[tuple[str, bytes]]  # (path, pickled rows)


@dataclass
class StoreState:
    """What the store holds now, read without writing."""

    keys: dict[str, str] = field(default_factory=dict)  # doc → cache key of its rows
    docs: dict[str, list[tuple[str, str, int]]] = field(default_factory=dict)  # doc → [(path, error, n_facts)]
    files: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # doc → [(path, sha256)]
    token: str = ""
    broken: str = ""  # why the file could not be read (corrupt, truncated): it is rebuilt from the cache


def _connect(path: Path, read_only: bool):
    import duckdb

    try:
        return duckdb.connect(str(path), read_only=read_only)
    except duckdb.Error as e:
        raise StoreError(f"cannot open {path}: {str(e).splitlines()[0]}") from e


class Store:
    def __init__(self, out_dir: str | Path):
        self.out = Path(out_dir)
        self.path = self.out / DB_NAME
        self.staged = self.out / STAGED
        self._adjust = None  # update's `adjust`, seen by _apply

    # ---- reading -------------------------------------------------------------------
    def state(self) -> StoreState:
        """Keys, per-document summary and state token; empty for a missing or old-format file."""
        if not self.path.exists():
            return StoreState()
        try:
            return self._state()
        except Exception as e:  # duckdb.Error, or a file that is not a database at all
            return StoreState(broken=_reason(e))

    def _state(self) -> StoreState:
        con = _connect(self.path, read_only=True)
        try:
            meta = dict(con.execute(f"SELECT name, value FROM {INTERNAL}.meta").fetchall()) \
                if self._has_internal(con) else {}
            if meta.get("schema") != SCHEMA_VERSION:
                return StoreState()
            st = StoreState(token=meta.get("state", ""))
            st.keys = dict(con.execute(f"SELECT doc, key FROM {INTERNAL}.doc_keys").fetchall())
            for doc, path, error, n, sha in con.execute("SELECT doc, path, error, n_facts, sha256 FROM docs").fetchall():
                st.docs.setdefault(doc, []).append((path, error or "", int(n or 0)))
                st.files.setdefault(doc, []).append((path, sha or ""))
            return st
        finally:
            con.close()

    @staticmethod
    def _has_internal(con) -> bool:
        q = "SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = 'meta'"
        return con.execute(q, [INTERNAL]).fetchone()[0] > 0

    # ---- writing -------------------------------------------------------------------
    def update(self, changes: Iterable[Change], keep: set[str] | None, metrics: list[str],
               on_doc=None, fresh: bool = False, adjust=None) -> str:
        """Apply changes (and, with `keep`, delete every other doc) in one transaction, to a
        copy of the store (`fresh`: to a new, empty one) that `publish` puts in place.
        `adjust(doc, rows) -> rows` may change each file's rows first (the review's corrections);
        `on_doc(doc, rows)` sees each document's rows as they are loaded.  Returns the new state token."""
        import duckdb

        self.out.mkdir(parents=True, exist_ok=True)
        self.discard()
        self._adjust = adjust
        try:
            if self.path.exists() and not fresh:
                shutil.copyfile(self.path, self.staged)
            con = _connect(self.staged, read_only=False)
        except (OSError, StoreError) as e:
            self.discard()
            if isinstance(e, StoreError):
                raise
            raise StoreError(f"cannot update {self.path}: {_reason(e)}") from e
        try:
            con.execute("BEGIN TRANSACTION")
            self._ensure_schema(con)
            for chunk in _chunks(changes):
                self._apply(con, chunk, on_doc)
            if keep is not None:
                import pyarrow as pa

                con.register("_keep", pa.table({"doc": pa.array(sorted(keep), pa.large_string())}))
                for t in (*ROW_TABLES, f"{INTERNAL}.doc_keys"):
                    con.execute(f"DELETE FROM {_q(t)} WHERE doc NOT IN (SELECT doc FROM _keep)")
                con.unregister("_keep")
            self._libraries(con)
            con.execute(f'CREATE OR REPLACE TABLE wide AS {wide_sql(metrics)}')
            token = uuid.uuid4().hex
            con.execute(f"DELETE FROM {INTERNAL}.meta WHERE name = 'state'")
            con.execute(f"INSERT INTO {INTERNAL}.meta VALUES ('state', ?)", [token])
            con.execute("COMMIT")
            con.execute("CHECKPOINT")  # everything in the file itself: it is renamed without its WAL
            con.close()
            return token
        except (duckdb.Error, OSError) as e:
            con.close()
            self.discard()
            raise StoreError(f"cannot update {self.path}: {_reason(e)}") from e
        except BaseException:
            con.close()
            self.discard()
            raise

    def discard(self) -> None:
        """Remove a copy left by a failed or killed update, and its WAL."""
        for p in (self.staged, Path(f"{self.staged}.wal")):
            p.unlink(missing_ok=True)

    @staticmethod
    def _libraries(con) -> None:
        """The libraries table, rebuilt from the documents' (library_id, library) pairs."""
        import pyarrow as pa

        from .libraries import library_rows

        pairs = con.execute("SELECT library_id, library, count(*) FROM docs WHERE library_id <> '' "
                            "GROUP BY library_id, library").fetchall()
        con.register("_libs", pa.Table.from_pydict(library_rows(pairs), schema=arrow_schema(LIBRARY_COLUMNS)))
        con.execute("CREATE OR REPLACE TABLE libraries AS SELECT * FROM _libs")
        con.unregister("_libs")

    def _ensure_schema(self, con) -> None:
        meta = dict(con.execute(f"SELECT name, value FROM {INTERNAL}.meta").fetchall()) \
            if self._has_internal(con) else {}
        if meta.get("schema") != SCHEMA_VERSION:  # new file, a pre-store file or another table layout
            for t in TABLES:
                con.execute(f'DROP TABLE IF EXISTS "{t}"')
            con.execute(f"DROP SCHEMA IF EXISTS {INTERNAL} CASCADE")
            con.execute(f"CREATE SCHEMA {INTERNAL}")
            con.execute(f"CREATE TABLE {INTERNAL}.meta (name VARCHAR, value VARCHAR)")
            con.execute(f"CREATE TABLE {INTERNAL}.doc_keys (doc VARCHAR, key VARCHAR)")
            con.execute(f"INSERT INTO {INTERNAL}.meta VALUES ('schema', ?)", [SCHEMA_VERSION])
            for t in ROW_TABLES:
                cols = ", ".join(f'"{c}" {sql_type(c)}' for c in columns_of(t))
                con.execute(f'CREATE TABLE "{t}" ({cols})')

    def _apply(self, con, chunk: list[Change], on_doc) -> None:
        import pyarrow as pa

        rows: dict[str, dict[str, list]] = {t: {c: [] for c in columns_of(t)} for t in ROW_TABLES}
        for ch in chunk:
            for path, payload in ch.payloads:
                r = pickle.loads(payload)
                r["docs"]["path"] = [path] * len(r["docs"]["path"])
                if self._adjust:
                    r = self._adjust(ch.doc, r)
                if on_doc:
                    on_doc(ch.doc, r)
                extend(rows, r)
        docs = pa.table({"doc": pa.array([ch.doc for ch in chunk], pa.large_string()),
                         "key": pa.array([ch.key for ch in chunk], pa.large_string())})
        con.register("_chunk", docs)
        for t in (*ROW_TABLES, f"{INTERNAL}.doc_keys"):
            con.execute(f"DELETE FROM {_q(t)} WHERE doc IN (SELECT doc FROM _chunk)")
        con.execute(f"INSERT INTO {INTERNAL}.doc_keys SELECT doc, key FROM _chunk")
        con.unregister("_chunk")
        for t in ROW_TABLES:
            table = pa.Table.from_pydict(rows[t], schema=arrow_schema(columns_of(t)))
            con.register("_rows", table)
            con.execute(f'INSERT INTO "{t}" SELECT * FROM _rows')
            con.unregister("_rows")

    # ---- publishing ----------------------------------------------------------------
    def publish(self, token: str, cache) -> list[Path]:
        """Export every table from the updated copy (or, to repair the files, the committed
        store) to temporary files; then rename the store and the files into place and
        record `token` as exported.  Nothing is replaced unless every file was written."""
        source = self.staged if self.staged.exists() else self.path
        staged: list[tuple[Path, Path]] = []
        try:
            con = _connect(source, read_only=True)
            try:
                for t in TABLES:
                    order = {"wide": "library_id, year NULLS LAST, status, period",
                             "libraries": "library_id"}.get(t, "doc, rowid")
                    query = f'SELECT * FROM "{t}" ORDER BY {order}'
                    for suffix, write in ((".csv", _write_csv), (".parquet", _write_parquet)):
                        target = self.out / f"{t}{suffix}"
                        staged.append((write(con, query, target), target))
            finally:
                con.close()
        except Exception as e:
            for tmp, _ in staged:
                tmp.unlink(missing_ok=True)
            self.discard()
            if isinstance(e, StoreError):
                raise
            raise StoreError(f"cannot export the tables to {self.out}: {_reason(e)}") from e
        if source == self.staged:
            os.replace(self.staged, self.path)
        for tmp, target in staged:
            os.replace(tmp, target)
        cache.write_text(EXPORT_TOKEN, token)
        return [target for _, target in staged]

    def clean(self) -> None:
        """Temporary files of a run that was killed (the caller holds the writer lock)."""
        self.discard()
        for t in TABLES:
            for suffix in (".csv", ".parquet"):
                for p in self.out.glob(f".{t}{suffix}.*"):
                    p.unlink(missing_ok=True)

    def exported(self, token: str, cache) -> bool:
        """True when the CSV and Parquet files show the state `token`."""
        if not token or cache.read_text(EXPORT_TOKEN) != token:
            return False
        return all((self.out / f"{t}{s}").is_file() for t in TABLES for s in (".csv", ".parquet"))


def _q(table: str) -> str:
    return table if "." in table else f'"{table}"'


def _chunks(changes: Iterable[Change]) -> Iterator[list[Change]]:
    chunk: list[Change] = []
    size = 0
    for ch in changes:
        chunk.append(ch)
        size += sum(len(p) for _, p in ch.payloads)
        if len(chunk) >= CHUNK_DOCS or size >= CHUNK_ROWS * 200:  # ~200 bytes per pickled mention
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def arrow_schema(columns: list[str]):
    import pyarrow as pa

    types = {"BIGINT": pa.int64(), "DOUBLE": pa.float64(), "BOOLEAN": pa.bool_(), "VARCHAR": pa.large_string()}
    return pa.schema([(c, types[sql_type(c)]) for c in columns])


def wide_sql(metrics: list[str]) -> str:
    """facts → one row per (library_id, year, status, period), one column per metric, with
    the library's canonical name (from `libraries`) beside its id.

    The same table as `tables.wide_table`: a fact without a library identity is keyed by its
    doc, the docs that gave a row are listed, and the first value (by doc, then pipeline
    order) wins where two reports give one metric for the same key."""
    def lit(s: str) -> str:
        return "'" + s.replace("'", "''") + "'"

    values = ", ".join(f'first(value ORDER BY doc, rid) FILTER (WHERE metric = {lit(m)}) AS "{m}"' for m in metrics)
    keys = ", ".join(WIDE_KEYS)
    own = "'(' || f.doc || ')'"
    return (f"SELECT {keys}, array_to_string(list_sort(list_distinct(list(doc))), ';') AS docs"
            f"{', ' + values if values else ''} "
            f"FROM (SELECT CASE WHEN f.library_id <> '' THEN f.library_id ELSE {own} END AS library_id, "
            f"coalesce(l.name, CASE WHEN f.library <> '' THEN f.library ELSE {own} END) AS library, "
            f"f.year, f.status, f.period, f.metric, f.value, f.doc, f.rowid AS rid "
            f"FROM facts f LEFT JOIN libraries l ON l.library_id = f.library_id AND f.library_id <> '') "
            f"GROUP BY {keys} ORDER BY {', '.join(WIDE_INDEX).replace('year', 'year NULLS LAST')}")


def _batches(con, query: str):
    return con.sql(query).to_arrow_reader(EXPORT_BATCH)


def _write_csv(con, query: str, target: Path) -> Path:
    """The table as CSV in a temporary file beside `target`, returned (not yet renamed)."""
    import pandas as pd
    import pyarrow as pa

    from .tables import atomic_path

    tmp = atomic_path(target)
    try:
        reader = _batches(con, query)
        with open(tmp, "w", encoding="utf-8-sig", newline="") as fh:  # the BOM once, at the top
            header = True
            for batch in reader:
                df = batch.to_pandas(types_mapper={pa.int64(): pd.Int64Dtype()}.get)
                df.to_csv(fh, index=False, header=header)
                header = False
            if header:
                pd.DataFrame(columns=reader.schema.names).to_csv(fh, index=False)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def _write_parquet(con, query: str, target: Path) -> Path:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from .tables import atomic_path

    tmp = atomic_path(target)
    try:
        reader = _batches(con, query)
        schema = pa.schema([pa.field(f.name, pa.large_string() if pa.types.is_string(f.type) else f.type)
                            for f in reader.schema])
        with pq.ParquetWriter(tmp, schema) as writer:
            for batch in reader:
                writer.write_table(pa.Table.from_batches([batch]).cast(schema))
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp
