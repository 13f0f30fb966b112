"""Reviewers' corrections: OUT/corrections.duckdb (exported as OUT/corrections.csv).

A reviewer accepts a fact, rejects it (not the library's figure), corrects it (metric, value,
status, year, period) or adds a figure the rules missed.  Each action is one row, never
updated in place: who did it, when (UTC), on which document and what it says.  The table is
a log; what is in force for one figure is the last action on it (`effective`), and an `undo`
row withdraws the ones before.

The key of a correction is the document's content and the figure, never a row number or the
rules' output of the day, so that it outlives any re-extraction:

- `sha256` — the document's bytes: a correction applies to every file with that content, and
  to none once the file has changed (`extract` then drops it with a warning);
- `target` — the figure: `fact:metric|status|year|period`, the natural key of a fact
  (METRICS.md), for an extracted figure; `add:page:char_start:char_end`, where its words stand
  in the text, for a figure the reviewer added.

Writes are atomic and serialized: under OUT/.corrections.lock the file is copied, the row
inserted, the copy checkpointed and renamed onto OUT/corrections.duckdb, and the CSV (UTF-8
with BOM) written beside it the same way.  Readers open the file read-only and see the last
committed table.  Two browser tabs may act on one figure: an action names the correction it
saw (`base`), and one made on a stale view is refused (`Conflict`) instead of overwriting.
"""

from __future__ import annotations

import csv
import hashlib
import os
import threading
import uuid
from collections.abc import Iterable
from dataclasses import asdict, dataclass, fields
from datetime import UTC, datetime
from pathlib import Path

DB_FILE = "corrections.duckdb"
CSV_FILE = "corrections.csv"
LOCK_FILE = ".corrections.lock"
TABLE = "corrections"

ACTIONS = ("accept", "reject", "correct", "add", "undo")
STATUSES = ("actual", "target")
QUALIFIERS = ("exact", "approx", "over", "under")
PERIODS = ("", "H1", "H2", "Q1", "Q2", "Q3", "Q4", *(f"M{m:02d}" for m in range(1, 13)), "span")
INT_FIELDS = {"seq", "year", "page", "char_start", "char_end", "new_year"}
FLOAT_FIELDS = {"value", "new_value"}

_write_lock = threading.Lock()  # one writer per process; the file lock serializes processes


@dataclass
class Correction:
    """One reviewer's action on one figure of one document."""

    id: str = ""
    seq: int = 0  # order of the actions (the log's own counter)
    at: str = ""  # UTC, ISO 8601 (2026-12-01T08:15:02Z)
    reviewer: str = ""
    action: str = ""  # accept | reject | correct | add | undo
    sha256: str = ""  # of the document's bytes
    doc: str = ""  # the doc id when the action was made (shown; the key is sha256)
    target: str = ""  # fact:metric|status|year|period, or add:page:char_start:char_end
    # the figure as the reviewer saw it
    metric: str = ""
    status: str = ""
    year: int | None = None
    period: str = ""
    value: float | None = None
    page: int | None = None
    char_start: int | None = None
    char_end: int | None = None
    raw: str = ""
    evidence: str = ""
    # what it is (correct, add): the figure as the reviewer states it
    new_metric: str = ""
    new_value: float | None = None
    new_unit: str = ""
    new_status: str = ""
    new_year: int | None = None
    new_period: str = ""
    new_qualifier: str = ""
    note: str = ""

    @property
    def result_target(self) -> str:
        """The fact key the reviewer states (correct, add); '' for the other actions."""
        if self.action not in ("correct", "add"):
            return ""
        return fact_target(self.new_metric, self.new_status, self.new_year, self.new_period)


COLUMNS = [f.name for f in fields(Correction)]
SELECT_COLUMNS = ", ".join('"' + c + '"' for c in COLUMNS)  # quoted: `at` is an SQL keyword


class Conflict(Exception):  # noqa: N818  (an expected outcome, answered with 409)
    """The figure was changed by another action (another tab) since the reviewer saw it."""

    def __init__(self, current: Correction | None):
        super().__init__("changed by another action")
        self.current = current


def year_of(year) -> int | None:
    """A year from a table cell: an int, or None for None, NaN, pandas' NA or ''."""
    try:
        return int(year)
    except (TypeError, ValueError):  # int(None), int(pd.NA); int(nan), int('')
        return None


def fact_target(metric: str, status: str, year, period: str) -> str:
    y = year_of(year)
    return "fact:" + "|".join((metric, status, "" if y is None else str(y), period or ""))


def add_target(page: int, start: int, end: int) -> str:
    return f"add:{int(page)}:{int(start)}:{int(end)}"


def close(a: float | None, b: float | None) -> bool:
    """The same figure within 0.5 % (the tolerance of the scoring in METRICS.md)."""
    if a is None or b is None:
        return False
    return abs(a - b) <= 0.005 * max(abs(a), abs(b))


def now_utc() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def effective(rows: Iterable[Correction]) -> dict[tuple[str, str], Correction]:
    """(sha256, target) → the action in force: the last one, unless it is an undo."""
    last: dict[tuple[str, str], Correction] = {}
    for c in sorted(rows, key=lambda c: c.seq):
        last[(c.sha256, c.target)] = c
    return {k: c for k, c in last.items() if c.action != "undo"}


def by_sha(rows: Iterable[Correction]) -> dict[str, list[Correction]]:
    """sha256 → its corrections in force, in the order they were made."""
    out: dict[str, list[Correction]] = {}
    for c in sorted(effective(rows).values(), key=lambda c: c.seq):
        out.setdefault(c.sha256, []).append(c)
    return out


def digest(corrections: Iterable[Correction]) -> str:
    """A short hash of corrections in force: a document whose corrections change is stored again."""
    ids = sorted(c.id for c in corrections)
    return hashlib.sha256("\n".join(ids).encode()).hexdigest()[:12] if ids else ""


class CorrectionStore:
    """The corrections of one OUT folder."""

    def __init__(self, out_dir: str | Path):
        self.out = Path(out_dir)
        self.path = self.out / DB_FILE
        self.csv_path = self.out / CSV_FILE

    def exists(self) -> bool:
        return self.path.is_file() or self.csv_path.is_file()

    # ---- reading -------------------------------------------------------------------
    def read(self) -> list[Correction]:
        """Every action, oldest first; [] when no reviewer has acted yet."""
        if self.path.is_file():
            import duckdb

            con = duckdb.connect(str(self.path), read_only=True)
            try:
                cur = con.execute(f"SELECT {SELECT_COLUMNS} FROM {TABLE} ORDER BY seq")
                return [Correction(**dict(zip(COLUMNS, row))) for row in cur.fetchall()]
            finally:
                con.close()
        if self.csv_path.is_file():  # an OUT copied without its DuckDB file
            with open(self.csv_path, newline="", encoding="utf-8-sig") as f:
                return sorted((_from_text(r) for r in csv.DictReader(f)), key=lambda c: c.seq)
        return []

    def effective(self) -> dict[tuple[str, str], Correction]:
        return effective(self.read())

    # ---- writing -------------------------------------------------------------------
    def record(self, c: Correction, base: str | None = None) -> Correction:
        """Store one action (id, seq and, if empty, time filled in) and return it.

        `base` is the id of the correction in force that the reviewer saw on this figure
        ('' for none); if another action came in between, `Conflict` is raised and nothing is
        written.  None skips the check."""
        from filelock import FileLock

        if c.action not in ACTIONS:
            raise ValueError(f"unknown action {c.action!r}")
        self.out.mkdir(parents=True, exist_ok=True)
        with _write_lock, FileLock(str(self.out / LOCK_FILE)):
            rows = self.read()
            current = effective(rows).get((c.sha256, c.target))
            if base is not None and (current.id if current else "") != base:
                raise Conflict(current)
            c.id = c.id or uuid.uuid4().hex
            c.seq = max((r.seq for r in rows), default=0) + 1
            c.at = c.at or now_utc()
            self._write(rows + [c])
        return c

    def _write(self, rows: list[Correction]) -> None:
        """The whole table to temporary files, then both renamed into place (the table is small:
        a reviewer's actions, not an archive's rows)."""
        import duckdb
        import pyarrow as pa

        from .tables import atomic_path

        db_tmp, csv_tmp = atomic_path(self.path), atomic_path(self.csv_path)
        try:
            db_tmp.unlink()  # duckdb creates the file itself
            con = duckdb.connect(str(db_tmp))
            try:
                con.register("_rows", pa.table({name: pa.array([getattr(r, name) for r in rows], _arrow_type(name))
                                                for name in COLUMNS}))
                con.execute(f"CREATE TABLE {TABLE} AS SELECT * FROM _rows ORDER BY seq")
                con.unregister("_rows")
                con.execute("CHECKPOINT")
            finally:
                con.close()
            Path(f"{db_tmp}.wal").unlink(missing_ok=True)
            with open(csv_tmp, "w", encoding="utf-8-sig", newline="") as f:
                w = csv.writer(f)
                w.writerow(COLUMNS)
                w.writerows([_text(getattr(r, name)) for name in COLUMNS] for r in rows)
            os.replace(db_tmp, self.path)
            os.replace(csv_tmp, self.csv_path)
        finally:
            for p in (db_tmp, csv_tmp, Path(f"{db_tmp}.wal")):
                p.unlink(missing_ok=True)


def _arrow_type(name: str):
    import pyarrow as pa

    return pa.int64() if name in INT_FIELDS else pa.float64() if name in FLOAT_FIELDS else pa.string()


def _text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return format(v, ".15g")
    return str(v)


def _from_text(row: dict) -> Correction:
    values: dict = {}
    for name in COLUMNS:
        v = (row.get(name) or "").strip() if name in INT_FIELDS | FLOAT_FIELDS else row.get(name) or ""
        if name in INT_FIELDS:
            values[name] = int(float(v)) if v else (0 if name == "seq" else None)
        elif name in FLOAT_FIELDS:
            values[name] = float(v) if v else None
        else:
            values[name] = v
    return Correction(**values)


def as_dict(c: Correction | None) -> dict | None:
    return None if c is None else asdict(c)
