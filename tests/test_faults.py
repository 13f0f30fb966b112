"""The fault matrix of a store people trust: one writer per OUT, readers never blocked,
and every fault leaves the last good state (or the next run repairs it).

Runs are in-process (`run_batch`, `cli.main`) wherever a fault can be simulated by
monkeypatching — a full disk, a write error, a file that changes after the scan — and
subprocesses where a real process must die (SIGKILL) or two runs must race.  The texts
are small synthetic reports, so each run costs little more than its workers' start.
"""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT, libstat_cmd, run_libstat

from extract import cli
from extract.batch import run as batch_run
from extract.batch.cache import ResultCache
from extract.batch.lock import WriterLock
from extract.batch.run import BatchError, run_batch
from extract.outputs import store as store_mod
from extract.outputs.reader import read_tables
from extract.outputs.store import StoreError
from extract.outputs.tables import TABLES

LIBS = ["绵阳市图书馆", "浙江图书馆", "苏州图书馆", "常州市图书馆", "南京图书馆"]
FILES = [f"{t}{s}" for t in TABLES for s in (".csv", ".parquet")] + ["libstat.duckdb"]


def report(i: int) -> str:
    return (f"{LIBS[i % len(LIBS)]}{2000 + i % 20}年工作总结\n"
            f"全年接待读者{10000 + i}人次，举办公益讲座{i % 90 + 1}场，新增藏书{i % 7 + 1}万册。\n")


def write_docs(folder: Path, numbers, text=report) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in numbers:
        (folder / f"d{i:04d}.txt").write_text(text(i), encoding="utf-8")
    return folder


def snapshot(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in FILES}


def frames(out: Path, drop: tuple[str, ...] = ("seconds",)) -> dict[str, pd.DataFrame]:
    result = {}
    for name, df in read_tables(out).items():
        df = df.drop(columns=[c for c in drop if c in df.columns])
        result[name] = df.sort_values(list(df.columns), na_position="last").reset_index(drop=True)
    return result


def assert_same(a: dict[str, pd.DataFrame], b: dict[str, pd.DataFrame]) -> None:
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name], obj=name)


def leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir() if p.name.startswith(".") and p.name not in (".cache", ".libstat.lock"))


def batch(inputs, out: Path, jobs: int = 1, **kw):
    return run_batch([str(i) for i in inputs], out, quiet=True, jobs=jobs, **kw)


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """20 documents and their OUT; each test works on a copy."""
    root = tmp_path_factory.mktemp("base")
    docs = write_docs(root / "in", range(20))
    out = root / "out"
    batch([docs], out)
    return docs, out


@pytest.fixture
def copy(base, tmp_path):
    import shutil

    docs, out = base
    shutil.copytree(docs, tmp_path / "in")
    shutil.copytree(out, tmp_path / "out")
    return tmp_path / "in", tmp_path / "out"


# ---- one writer per folder -------------------------------------------------------------

def test_no_wait_exits_at_once_naming_the_holder(copy):
    docs, out = copy
    with WriterLock(out):
        t = time.perf_counter()
        proc = run_libstat("extract", docs, "-o", out, "--no-wait", "-q")
        assert time.perf_counter() - t < 60
    assert proc.returncode == 1
    line = proc.stderr.strip()
    assert "\n" not in line and "being written by another run" in line
    assert f"pid {os.getpid()} on " in line and "since 20" in line


def test_second_run_waits_with_a_message_then_runs(copy):
    docs, out = copy
    lock = WriterLock(out)
    lock.acquire()
    proc = subprocess.Popen([*libstat_cmd(), "extract", str(docs), "-o", str(out), "-q"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")
    try:
        time.sleep(3)
        assert proc.poll() is None  # still waiting for the lock
    finally:
        lock.release()
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 0, stderr
    assert f"waiting for the run that writes {out} (pid {os.getpid()} on " in stderr
    assert stdout.startswith("20 documents extracted")


def test_a_dead_holders_lock_is_taken_over(copy):
    docs, out = copy
    code = ("import sys, time; from extract.batch.lock import WriterLock; "
            "WriterLock(sys.argv[1]).acquire(); print('held', flush=True); time.sleep(600)")
    holder = subprocess.Popen([sys.executable, "-c", code, str(out)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    info = json.loads((out / ".libstat.lock.json").read_text())
    assert info["pid"] == holder.pid
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    lock = WriterLock(out, wait=False)  # the OS lock died with its process: taken at once
    lock.acquire()
    assert json.loads((out / ".libstat.lock.json").read_text())["pid"] == os.getpid()
    lock.release()
    assert batch([docs], out, wait=False).ok == 20


def test_readers_see_the_last_committed_tables_while_a_run_writes(copy, monkeypatch):
    docs, out = copy
    before = frames(out)
    (docs / "d0000.txt").write_text(report(0).replace("10000人次", "77777人次"), encoding="utf-8")
    seen = {}
    real = store_mod.Store._apply

    def apply(self, con, chunk, on_doc):  # the writer holds its DuckDB connection open here
        real(self, con, chunk, on_doc)
        proc = run_libstat("query", out, "SELECT value FROM facts WHERE doc = 'd0000' AND metric = 'visits'", "--csv")
        seen["query"] = (proc.returncode, proc.stdout, proc.stderr)
        seen["tables"] = frames(out)

    monkeypatch.setattr(store_mod.Store, "_apply", apply)
    batch([docs], out)
    assert seen["query"][0] == 0, seen["query"][2]
    assert seen["query"][1].split() == ["value", "10000"]  # the committed state, not the half-written one
    assert_same(seen["tables"], before)
    assert frames(out)["facts"].query("doc == 'd0000' and metric == 'visits'")["value"].tolist() == [77777]


# ---- two runs into one folder ----------------------------------------------------------

def test_two_concurrent_runs_equal_one_run_over_the_union(tmp_path):
    a = write_docs(tmp_path / "a", range(0, 400))
    b = write_docs(tmp_path / "b", range(300, 700))  # 100 documents in common
    union = write_docs(tmp_path / "union", range(0, 700))
    out, ref = tmp_path / "out", tmp_path / "ref"
    t = time.perf_counter()
    procs = [subprocess.Popen([*libstat_cmd(), "extract", str(src), "-o", str(out), "-j1", "-q"], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")
             for src in (a, b)]
    results = [p.communicate(timeout=300) for p in procs]
    took = time.perf_counter() - t
    for p, (_, err) in zip(procs, results):
        assert p.returncode == 0, err
    assert any("waiting for the run that writes" in err for _, err in results)
    batch([union], ref, jobs=2)
    got, want = frames(out, drop=("seconds", "path")), frames(ref, drop=("seconds", "path"))
    assert len(got["docs"]) == 700 and got["docs"]["doc"].is_unique
    assert_same(got, want)
    print(f"two concurrent runs of 400 documents: {took:.1f} s")


# ---- write errors ----------------------------------------------------------------------

def full_disk(*_args, **_kw):
    raise OSError(errno.ENOSPC, "No space left on device")


@pytest.mark.parametrize("where", ["store", "export"])
def test_a_full_disk_leaves_the_previous_tables(copy, monkeypatch, capsys, where):
    docs, out = copy
    before = snapshot(out)
    write_docs(docs, range(20, 25))
    if where == "store":
        import duckdb

        def apply(*_a):
            raise duckdb.IOException("Could not write file \"libstat.duckdb\": No space left on device")

        monkeypatch.setattr(store_mod.Store, "_apply", apply)
    else:
        calls = []

        def parquet(con, query, target):  # the third file fails, after two were written
            calls.append(target)
            if len(calls) == 2:
                full_disk()
            return real(con, query, target)

        real = store_mod._write_parquet
        monkeypatch.setattr(store_mod, "_write_parquet", parquet)
    code = cli.main(["extract", str(docs), "-o", str(out), "-q", "-j1"])
    err = capsys.readouterr().err.strip()
    assert code == 1
    assert "\n" not in err and "No space left on device" in err and "Traceback" not in err
    assert snapshot(out) == before and leftovers(out) == []
    monkeypatch.undo()
    assert batch([docs], out).ok == 25  # the next run stores what the failed one extracted
    assert len(read_tables(out)["docs"]) == 25


def test_sigkill_during_the_export_is_repaired_by_the_next_run(copy):
    docs, out = copy
    write_docs(docs, range(20, 30))
    script = f"""
import os, signal, sys
sys.path.insert(0, {str(ROOT)!r})
real, n = os.replace, []
def replace(src, dst):
    if str(dst).endswith((".csv", ".parquet")) and os.path.dirname(str(dst)) == {str(out)!r}:
        n.append(dst)
        if len(n) == 3:
            os.kill(os.getpid(), signal.SIGKILL)
    return real(src, dst)
os.replace = replace
from extract.batch.run import run_batch
run_batch([{str(docs)!r}], {str(out)!r}, quiet=True, jobs=1)
"""
    proc = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    assert len(read_tables(out)["docs"]) == 30  # never a mix: read from the committed store
    summary = batch([docs], out)
    assert summary.extracted == 0  # nothing to extract: only the files were out of step
    from extract.outputs.reader import _read
    from extract.outputs.store import Store

    assert Store(out).exported(Store(out).state().token, ResultCache(out))
    for name in TABLES:  # every file shows the store again
        pd.testing.assert_frame_equal(pd.read_parquet(out / f"{name}.parquet"), _read(out, name, from_store=True),
                                      check_dtype=False, obj=name)
        assert len(pd.read_csv(out / f"{name}.csv", encoding="utf-8-sig")) == len(_read(out, name, from_store=True))
    assert leftovers(out) == []


# ---- damaged store and cache -----------------------------------------------------------

@pytest.mark.parametrize("damage", ["garbage", "truncated"])
def test_a_corrupt_store_is_rebuilt_from_the_cache(copy, tmp_path, caplog, damage):
    docs, out = copy
    other = write_docs(tmp_path / "other", range(100, 105))  # an earlier run from another folder
    batch([other], out)
    before = frames(out, drop=("seconds", "path"))  # (paths follow the files of this run)
    db = out / "libstat.duckdb"
    if damage == "garbage":
        db.write_bytes(b"this is not a database" * 100)
    else:
        db.write_bytes(db.read_bytes()[: db.stat().st_size // 3])
    summary = batch([docs], out)
    assert "cannot be read" in caplog.text and "rebuilding it from the cache" in caplog.text
    assert summary.extracted == 0 and summary.ok == 25  # nothing lost, nothing extracted again
    assert_same(frames(out, drop=("seconds", "path")), before)


def test_a_corrupt_cache_entry_is_extracted_again(base, tmp_path):
    docs, out = base
    fresh = tmp_path / "out"
    (fresh / ".cache").mkdir(parents=True)
    import shutil

    shutil.copytree(out / ".cache", fresh / ".cache", dirs_exist_ok=True)  # the cache, no store
    entries = sorted((fresh / ".cache").glob("??/*.rows"))
    entries[0].write_bytes(entries[0].read_bytes()[:-40])  # truncated
    entries[1].write_bytes(entries[1].read_bytes()[:30] + b"\0" * 40 + entries[1].read_bytes()[70:])  # corrupt
    summary = batch([docs], fresh)
    assert summary.extracted == 2 and summary.ok == 20
    assert_same(frames(fresh), frames(out))
    assert all(ResultCache(fresh).valid(p.name[:-5]) for p in (fresh / ".cache").glob("??/*.rows"))


# ---- the input changes under the run ---------------------------------------------------

def test_a_file_that_changes_or_vanishes_after_the_scan(copy, monkeypatch):
    docs, out = copy
    write_docs(docs, [40, 41])
    real = batch_run.scan

    def scan(*a, **kw):
        items = real(*a, **kw)
        (docs / "d0040.txt").write_text(report(40).replace("10040人次", "55555人次"), encoding="utf-8")
        (docs / "d0041.txt").unlink()
        return items

    monkeypatch.setattr(batch_run, "scan", scan)
    summary = batch([docs], out)
    assert summary.ok == 21 and summary.failed == 1
    t = read_tables(out)
    assert t["docs"].set_index("doc").at["d0041", "error"] == "no such file"
    assert t["facts"].query("doc == 'd0040' and metric == 'visits'")["value"].tolist() == [55555]
    monkeypatch.undo()
    (docs / "d0040.txt").write_text(report(40), encoding="utf-8")  # the bytes the scan saw
    batch([docs], out)  # the changed file's rows were not cached under the scanned bytes' key
    assert read_tables(out)["facts"].query("doc == 'd0040' and metric == 'visits'")["value"].tolist() == [10040]


def test_symlink_loops_and_an_unreadable_file_in_the_input(copy):
    docs, out = copy
    (docs / "sub").mkdir()
    (docs / "sub" / "up").symlink_to("..")  # a folder loop: not followed
    (docs / "self.txt").symlink_to("self.txt")  # a file loop
    unreadable = docs / "locked.txt"
    if os.geteuid() == 0:  # root reads any mode: a file whose read fails with EIO
        unreadable.symlink_to("/proc/self/mem")
    else:
        unreadable.write_text(report(50), encoding="utf-8")
        unreadable.chmod(0)
    summary = batch([docs], out)
    assert summary.ok == 20 and summary.failed == 2
    docs_table = read_tables(out)["docs"]
    errors = dict(zip(docs_table["path"], docs_table["error"]))
    assert errors[str(docs / "self.txt")] == "broken or looping symbolic link"
    assert errors[str(unreadable)].startswith("cannot read file: ")
    assert not any("/sub/" in p for p in errors)


def test_store_errors_are_store_errors(tmp_path):
    with pytest.raises((StoreError, BatchError)):
        (tmp_path / "out").write_text("a file, not a folder")
        batch([tmp_path], tmp_path / "out")
