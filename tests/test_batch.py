"""Archive-scale batches: worker processes, the cache, resuming after a kill, fault
isolation, the DuckDB store across runs, `libstat query`, and Dask.

Every run is the installed CLI in a subprocess, as a user runs it.  The archive is 60
copies of the bundled seed reports (distinct bytes, so distinct cache keys) in 15
subfolders, plus an empty and a binary file; `local_out` is its uninterrupted local
run, the reference the other runs must reproduce row for row.

Worker failures are provoked with the runner's test-only hooks (extract/batch/work.py):
LIBSTAT_TEST_CRASH_ON, LIBSTAT_TEST_HANG_ON, LIBSTAT_TEST_SLOW.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pandas as pd
import pytest
from conftest import SEEDS, libstat_cmd, run_libstat

from extract.outputs.tables import TABLES

COPIES = 15
HANG_LIMIT = 20  # --timeout of the faulty run: only the hanging document may reach it


def make_archive(dest: Path, copies: int = COPIES) -> Path:
    seeds = sorted(SEEDS.glob("*.txt"))
    for i in range(copies):
        d = dest / f"c{i:02d}"
        d.mkdir(parents=True)
        for s in seeds:
            tail = "\n" + format(i + 1, "b").replace("0", " ").replace("1", "\t") + "\n"
            (d / s.name).write_bytes(s.read_bytes() + tail.encode("ascii"))
    (dest / "bad").mkdir()
    (dest / "bad" / "empty.txt").write_bytes(b"")
    (dest / "bad" / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + random.Random(0).randbytes(3000))
    return dest


def n_docs(archive: Path) -> int:
    return sum(1 for p in archive.rglob("*") if p.is_file())


def extract(*args, env: dict | None = None, check: bool = True) -> subprocess.CompletedProcess:
    old = {k: os.environ.get(k) for k in (env or {})}
    os.environ.update(env or {})
    try:
        proc = run_libstat("extract", *args)
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    if check:
        assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc


def stats_of(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def tables(out: Path) -> dict[str, pd.DataFrame]:
    """Every table from Parquet, rows sorted, without the timing column."""
    result = {}
    for name in TABLES:
        df = pd.read_parquet(out / f"{name}.parquet")
        if name == "docs":
            df = df.drop(columns=["seconds"])
        result[name] = df.sort_values(list(df.columns), na_position="last").reset_index(drop=True)
    return result


def assert_same_tables(a: Path, b: Path) -> None:
    ta, tb = tables(a), tables(b)
    for name in TABLES:
        pd.testing.assert_frame_equal(ta[name], tb[name], check_dtype=True, obj=name)


def cache_entries(out: Path) -> int:
    return len(list((out / ".cache").glob("??/*.rows")))


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    return make_archive(tmp_path_factory.mktemp("archive"))


@pytest.fixture(scope="module")
def local_out(archive, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("local_out")
    stats = out.parent / "local_stats.json"
    proc = extract(archive, "-o", out, "-j2", "-q", "--stats", stats)
    n = n_docs(archive)
    assert proc.stdout.strip() .startswith(f"{n - 2} documents extracted, 2 failed, 0 cached")
    s = stats_of(stats)
    assert s["extracted"] == n and s["workers"] == "2 worker processes"
    return out


def test_batch_tables_equal_the_in_memory_tables(archive, local_out):
    """The store path (DuckDB, chunked exports, wide by SQL) gives the tables that
    build_tables gives from the same DocResults in memory."""
    from extract.ingest.dispatch import iter_inputs
    from extract.outputs.tables import build_tables
    from extract.pipeline import extract_document

    mem = build_tables([extract_document(p, root) for p, root in iter_inputs([str(archive)])])
    got = tables(local_out)
    for name in TABLES:
        df = mem[name].drop(columns=["seconds"]) if name == "docs" else mem[name]
        df = df.sort_values(list(df.columns), na_position="last").reset_index(drop=True)
        pd.testing.assert_frame_equal(got[name], df, check_dtype=False, obj=name)
    # every copy of a seed gives the seed's facts; the two unreadable files give none
    facts = got["facts"]
    per_doc = facts.groupby("doc").size()
    assert len(per_doc) == 4 * COPIES
    for seed in sorted(SEEDS.glob("*.txt")):
        counts = {per_doc[f"c{i:02d}/{seed.stem}"] for i in range(COPIES)}
        assert len(counts) == 1 and counts.pop() >= 5, seed.name
    docs = got["docs"].set_index("doc")
    assert docs.at["bad/empty", "error"] and docs.at["bad/binary", "error"]
    assert len(got["wide"]) >= 4 and set(got["wide"]["library"]) >= {"绵阳市图书馆", "昆山市图书馆"}


def test_unchanged_rerun_extracts_nothing_and_rewrites_nothing(archive, local_out, tmp_path):
    before = {p.name: p.stat().st_mtime_ns for p in local_out.iterdir() if p.is_file()}
    proc = extract(archive, "-o", local_out, "-q", "--stats", tmp_path / "s.json")
    n = n_docs(archive)
    assert proc.stdout.strip().startswith(f"{n - 2} documents extracted, 2 failed, {n} cached")
    s = stats_of(tmp_path / "s.json")
    assert s["extracted"] == 0 and s["workers"] == "" and s["peak_worker_mb"] == 0
    assert {p.name: p.stat().st_mtime_ns for p in local_out.iterdir() if p.is_file()} == before
    # the failures are still reported, once each
    assert proc.stderr.count("WARNING") == 2 and "bad/empty.txt" in proc.stderr


def test_kill_mid_run_keeps_previous_tables_and_next_run_resumes(archive, local_out, tmp_path):
    psutil = pytest.importorskip("psutil")
    small = tmp_path / "small"
    for d in ("c00", "c01", "bad"):
        shutil.copytree(archive / d, small / d)
    out = tmp_path / "out"
    extract(small, "-o", out, "-q", "-j1")
    previous = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    # the writer lock's file stays (an OS lock on it dies with its process; removing it would race)
    assert set(previous) == {f"{t}{s}" for t in TABLES for s in (".csv", ".parquet")} | {"libstat.duckdb", ".libstat.lock"}
    n_before = cache_entries(out)
    assert n_before == 10

    # the full archive, slowed down so that it is surely killed part-way
    env = {**os.environ, "LIBSTAT_TEST_SLOW": "0.3"}
    log = (tmp_path / "killed.log").open("w")
    proc = subprocess.Popen([*libstat_cmd(), "extract", str(archive), "-o", str(out), "-j2", "-q"],
                            stdout=log, stderr=log, env=env)
    deadline = time.monotonic() + 120
    children = []
    while cache_entries(out) < n_before + 8:
        assert proc.poll() is None, "the run ended before it could be killed"
        assert time.monotonic() < deadline, "no document finished in time"
        children = children or psutil.Process(proc.pid).children(recursive=True)
        time.sleep(0.05)
    children = psutil.Process(proc.pid).children(recursive=True)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    log.close()
    finished = cache_entries(out)
    assert n_before + 8 <= finished < n_docs(archive) - 2

    # the previous tables are untouched, byte for byte, and nothing half-written lies around
    # (only the killed run's note of who held the lock remains: a message, overwritten by the next run)
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file() and p.name != ".libstat.lock.json"} == previous
    # the workers do not outlive the killed main process
    _, alive = psutil.wait_procs(children, timeout=15)
    assert not alive, [p.pid for p in alive]

    stats = tmp_path / "resume.json"
    proc = extract(archive, "-o", out, "-q", "--stats", stats)
    s = stats_of(stats)
    assert s["cached"] == finished  # the first run's documents and those the killed run finished
    assert s["extracted"] == n_docs(archive) - s["cached"]
    assert_same_tables(out, local_out)


@pytest.fixture(scope="module")
def faulty_run(archive, local_out, tmp_path_factory):
    """Into a copy of the local run's OUT, with --no-cache so that every document goes
    through a worker again: one segfaults its worker, one hangs past a 20 s timeout.

    The limit is far above any ordinary document's time (a seed report takes well under a
    second even on a loaded machine), so only the hanging document can reach it: a tight
    limit made a slow ordinary document time out too when the machine was busy."""
    out = tmp_path_factory.mktemp("faulty") / "out"
    shutil.copytree(local_out, out)
    stats = out.parent / "stats.json"
    env = {"LIBSTAT_TEST_CRASH_ON": f"c03{os.sep}001_", "LIBSTAT_TEST_HANG_ON": f"c07{os.sep}002_"}
    proc = extract(archive, "-o", out, "-j2", "--timeout", str(HANG_LIMIT), "--no-cache", "--stats", stats, env=env)
    return proc, out, stats_of(stats)


def test_crashing_worker_gives_an_error_row_and_the_batch_goes_on(faulty_run, archive, local_out):
    proc, out, stats = faulty_run
    assert proc.returncode == 0
    assert stats["extracted"] == n_docs(archive)  # --no-cache: every document went through a worker
    assert "Traceback" not in proc.stderr
    docs = pd.read_parquet(out / "docs.parquet").set_index("doc")
    crashed = docs.at["c03/001_af2c11a327147ce6", "error"]
    assert crashed == "worker process crashed (SIGSEGV); worker replaced"
    assert "c03/001_af2c11a327147ce6.txt: worker process crashed (SIGSEGV)" in proc.stderr
    # every other document's facts are there, as in the uninterrupted run; the two failed
    # documents' old rows are replaced by their error rows
    ref = tables(local_out)["facts"]
    got = tables(out)["facts"]
    lost = {"c03/001_af2c11a327147ce6", "c07/002_717af26be9eac96e"}
    pd.testing.assert_frame_equal(got, ref[~ref["doc"].isin(lost)].reset_index(drop=True))
    assert set(ref["doc"]) - set(got["doc"]) == lost


def test_hanging_document_times_out_as_an_error_row(faulty_run, archive):
    proc, out, _ = faulty_run
    docs = pd.read_parquet(out / "docs.parquet").set_index("doc")
    assert docs.at["c07/002_717af26be9eac96e", "error"] == f"timed out after {HANG_LIMIT} s (worker stopped and replaced)"
    assert docs.at["c07/002_717af26be9eac96e", "n_facts"] == 0
    assert proc.stdout.startswith(f"{n_docs(archive) - 4} documents extracted, 4 failed, 0 cached")
    assert f"timed out after {HANG_LIMIT} s" in proc.stderr and "Traceback" not in proc.stderr


def test_rerun_retries_the_failed_workers_documents_only(faulty_run, archive, local_out, tmp_path):
    _, out, _ = faulty_run
    proc = extract(archive, "-o", out, "-q", "--stats", tmp_path / "s.json")
    s = stats_of(tmp_path / "s.json")
    assert s["extracted"] == 2  # a crash or a timeout is not cached: the next run retries it
    assert proc.stdout.startswith(f"{n_docs(archive) - 2} documents extracted, 2 failed")
    assert_same_tables(out, local_out)


def test_changed_removed_and_pruned_documents(tmp_path):
    """Runs into one OUT update rows per document: a changed report replaces its facts, a
    removed one stays until --prune, nothing is duplicated; a rule edit redoes all."""
    src = tmp_path / "in"
    src.mkdir()
    seeds = sorted(SEEDS.glob("*.txt"))
    for s in seeds:
        shutil.copy(s, src / s.name)
    out = tmp_path / "out"
    extract(src, "-o", out, "-q")
    facts0 = pd.read_parquet(out / "facts.parquet")

    # 000 now holds 001's report; 003 is removed
    (src / seeds[0].name).write_bytes(seeds[1].read_bytes())
    (src / seeds[3].name).unlink()
    stats = tmp_path / "s.json"
    extract(src, "-o", out, "-q", "--stats", stats)
    assert stats_of(stats)["extracted"] == 1
    facts = pd.read_parquet(out / "facts.parquet")
    key = ["doc", "metric", "status", "year", "period"]
    assert not facts.duplicated(key).any()
    changed = facts[facts["doc"] == seeds[0].stem].drop(columns="doc").reset_index(drop=True)
    same_as = facts[facts["doc"] == seeds[1].stem].drop(columns="doc").reset_index(drop=True)
    pd.testing.assert_frame_equal(changed, same_as)
    assert set(changed["library"]) == {"昆山市图书馆"}
    kept = facts0[facts0["doc"] == seeds[3].stem].reset_index(drop=True)
    pd.testing.assert_frame_equal(facts[facts["doc"] == seeds[3].stem].reset_index(drop=True), kept)

    extract(src, "-o", out, "-q", "--prune", "--stats", stats)
    assert stats_of(stats)["extracted"] == 0
    docs = pd.read_parquet(out / "docs.parquet")
    assert sorted(docs["doc"]) == sorted(s.stem for s in seeds[:3])
    for name in ("facts", "mentions"):
        assert seeds[3].stem not in set(pd.read_parquet(out / f"{name}.parquet")["doc"])
    assert seeds[3].stem not in pd.read_parquet(out / "wide.parquet")["docs"].str.cat(sep=";")

    # rules are fingerprinted by content: a copy changes nothing, an edit redoes every document
    rules = tmp_path / "rules"
    shutil.copytree(Path(__file__).resolve().parent.parent / "rules", rules)
    extract(src, "-o", out, "-q", "--stats", stats, env={"LIBSTAT_RULES": str(rules)})
    assert stats_of(stats)["extracted"] == 0
    with (rules / "metrics" / "lectures.yaml").open("a", encoding="utf-8") as f:
        f.write("\n# an edit\n")
    before = pd.read_parquet(out / "facts.parquet")
    extract(src, "-o", out, "-q", "--stats", stats, env={"LIBSTAT_RULES": str(rules)})
    assert stats_of(stats)["extracted"] == 3
    pd.testing.assert_frame_equal(pd.read_parquet(out / "facts.parquet"), before)


# ---- libstat query -------------------------------------------------------------------

def test_query_csv_answers_sql_over_the_store(local_out):
    import io

    proc = run_libstat("query", local_out, "SELECT metric, count(*) AS n, sum(value) AS total FROM facts "
                                           "GROUP BY metric ORDER BY metric", "--csv")
    assert proc.returncode == 0, proc.stderr
    got = pd.read_csv(io.StringIO(proc.stdout))
    facts = pd.read_parquet(local_out / "facts.parquet")
    want = facts.groupby("metric").agg(n=("value", "size"), total=("value", "sum")).reset_index()
    assert list(got["metric"]) == list(want["metric"])
    assert list(got["n"]) == list(want["n"])
    assert got["total"].tolist() == pytest.approx(want["total"].tolist())


def test_query_prints_a_table(local_out):
    proc = run_libstat("query", local_out, "SELECT library, year, visits FROM wide WHERE visits IS NOT NULL "
                                           "ORDER BY library")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].split() == ["library", "year", "visits"]
    assert any(line.startswith("绵阳市图书馆") and "396712" in line for line in lines)
    assert lines[-1].endswith("rows)")


@pytest.mark.parametrize("sql, reason", [("SELEKT 1", "syntax error"),
                                         ("SELECT * FROM nowhere", "nowhere"),
                                         ("DELETE FROM facts", "read-only")])
def test_query_errors_are_one_line(local_out, sql, reason):
    proc = run_libstat("query", local_out, sql)
    assert proc.returncode == 1
    assert proc.stderr.startswith("libstat: query failed:") and reason in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr


def test_query_without_an_extraction(tmp_path):
    proc = run_libstat("query", tmp_path, "SELECT 1")
    assert proc.returncode == 1 and "libstat.duckdb not found" in proc.stderr


# ---- progress ------------------------------------------------------------------------

def test_progress_bar_on_a_terminal():
    import io

    from rich.console import Console

    from extract.batch.progress import Progress

    buf = io.StringIO()
    with Progress(total=3, cached=1, tty=True, console=Console(file=buf, force_terminal=True, width=120)) as p:
        p.advance("", 5)
        time.sleep(1.1)  # a rate is shown from one second after the first result
        p.advance("empty file", 0)
    text = buf.getvalue()
    assert "3/3" in text and "1 failed, 1 cached" in text and "docs/s" in text


def test_progress_lines_in_a_log(caplog, monkeypatch):
    import logging

    from extract.batch import progress

    monkeypatch.setattr(progress, "LOG_EVERY", 0.0)
    with caplog.at_level(logging.INFO, logger="libstat"), progress.Progress(total=4, cached=2, tty=False) as p:
        p.advance("", 3)
    assert any("progress: 3/4 documents, 0 failed, 2 cached" in r.getMessage() for r in caplog.records)
    with caplog.at_level(logging.INFO, logger="libstat"), progress.Progress(total=4, cached=2, tty=False,
                                                                           quiet=True) as p:
        caplog.clear()
        p.advance("", 3)
    assert not caplog.records


# ---- Dask ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None,
                                  host="127.0.0.1") as c:
        yield c


def test_dask_run_gives_the_local_tables(cluster, archive, local_out, tmp_path):
    out = tmp_path / "out"
    stats = tmp_path / "s.json"
    proc = extract(archive, "-o", out, "-q", "--dask", cluster.scheduler_address, "--stats", stats)
    assert proc.stdout.startswith(f"{n_docs(archive) - 2} documents extracted, 2 failed, 0 cached")
    s = stats_of(stats)
    assert s["extracted"] == n_docs(archive)
    assert s["workers"] == f"2 Dask worker threads at {cluster.scheduler_address}"
    assert_same_tables(out, local_out)


def test_dask_scheduler_unreachable_is_a_clear_error(archive, tmp_path):
    proc = extract(archive / "c00", "-o", tmp_path / "out", "--dask", "tcp://127.0.0.1:9", check=False)
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines()[-1].startswith("libstat: cannot reach the Dask scheduler")
    assert "Traceback" not in proc.stderr
