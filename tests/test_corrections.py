"""Reviewers' corrections: the log (OUT/corrections.duckdb + CSV), how they change a document's
rows, and how `extract` applies them — to unchanged documents, to documents of another input
folder, and not at all (with a warning) to a document whose file changed."""

from __future__ import annotations

import shutil
import threading

import pandas as pd
import pytest
from conftest import run_libstat

from extract.outputs.corrections import Conflict, Correction, CorrectionStore, add_target, effective, fact_target
from extract.outputs.corrections_apply import CORRECTED, REJECTED, REPLACED, apply
from extract.outputs.review import build_review
from extract.outputs.rows import result_rows
from extract.pipeline import extract_text

TEXT = """\
青川县图书馆2017年工作总结
2017年，青川县图书馆全年接待读者 86000 人次，外借图书 42000 册次，举办讲座 12 场。
"""


def rows_of(text: str = TEXT) -> dict:
    return result_rows(extract_text(text, doc="q"))


def facts(rows: dict) -> dict[tuple, dict]:
    cols = rows["facts"]
    return {(m, s, y): {c: cols[c][i] for c in cols} for i, (m, s, y) in
            enumerate(zip(cols["metric"], cols["status"], cols["year"]))}


def correction(action: str, metric: str, value: float | None, **kw) -> Correction:
    c = Correction(action=action, target=kw.pop("target", fact_target(metric, "actual", 2017, "")), metric=metric,
                   status="actual", year=2017, value=value, page=1, char_start=0, char_end=4, raw="x", evidence="e")
    for k, v in kw.items():
        setattr(c, k, v)
    return c


def stated(c: Correction, metric: str, value: float, unit: str = "person-times") -> Correction:
    c.new_metric, c.new_value, c.new_unit, c.new_status, c.new_year, c.new_qualifier = (
        metric, value, unit, "actual", 2017, "exact")
    return c


def test_each_action_on_a_documents_rows():
    base = facts(rows_of())
    assert {k[0] for k in base} == {"visits", "loans", "lectures"}
    # a rejection speaks of the value seen: another value at the key is another figure
    assert facts(apply(rows_of(), [correction("reject", "loans", 41000.0)])) == base
    out = apply(rows_of(), [correction("reject", "loans", 42000.0)])
    assert ("loans", "actual", 2017) not in facts(out) and out["docs"]["n_facts"] == [2]
    m = out["mentions"]
    assert [(r, t) for r, t, mm in zip(m["reason"], m["taken"], m["metric"]) if mm == "loans"] == [(REJECTED, False)]
    # a correction that moves a figure to a key the rules fill: the rules' figure there gives way
    moved = stated(correction("correct", "visits", 86000.0), "lectures", 14.0, "events")
    out = apply(rows_of(), [moved])
    f = facts(out)
    assert f[("lectures", "actual", 2017)]["value"] == 14.0 and "corrected" in f[("lectures", "actual", 2017)]["flags"]
    assert ("visits", "actual", 2017) not in f
    reasons = dict(zip(out["mentions"]["metric"], out["mentions"]["reason"]))
    assert reasons["visits"] == CORRECTED and reasons["lectures"] == REPLACED
    # an addition the rules already give is no second row, only a confirmation
    same = stated(correction("add", "", None, target=add_target(1, 30, 38)), "visits", 86000.0)
    f = facts(apply(rows_of(), [same]))
    assert len(f) == 3 and f[("visits", "actual", 2017)]["flags"] == "accepted"
    # a corrected figure the rules no longer give is added where it stood
    gone = stated(correction("correct", "visits", 99999.0, target=fact_target("visits", "actual", 2016, "")),
                  "visits", 90000.0)
    gone.char_start, gone.char_end = 30, 38
    f = facts(apply(rows_of(), [gone]))
    assert f[("visits", "actual", 2017)]["value"] == 90000.0  # the reviewer's figure replaces the rules' at its key
    assert f[("visits", "actual", 2017)]["rule"] == "review" and len(f) == 3


def test_a_fact_without_a_year_has_a_key():
    for missing in (None, pd.NA, float("nan"), ""):
        assert fact_target("visits", "actual", missing, "") == "fact:visits|actual||"
    assert fact_target("visits", "target", 2016.0, "H1") == "fact:visits|target|2016|H1"


def test_the_log_keeps_every_action_and_refuses_stale_ones(tmp_path):
    store = CorrectionStore(tmp_path)
    first = store.record(correction("accept", "visits", 1.0, sha256="s"), base="")
    with pytest.raises(Conflict) as stale:
        store.record(correction("reject", "visits", 1.0, sha256="s"), base="")  # made on a view without `first`
    assert stale.value.current.id == first.id
    second = store.record(correction("reject", "visits", 1.0, sha256="s"), base=first.id)
    assert [c.id for c in effective(store.read()).values()] == [second.id]
    store.record(Correction(action="undo", sha256="s", target=second.target), base=second.id)
    assert effective(store.read()) == {} and [c.seq for c in store.read()] == [1, 2, 3]
    # the CSV, with its BOM, holds the same log (and is read when the DuckDB file is gone)
    assert (tmp_path / "corrections.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    (tmp_path / "corrections.duckdb").unlink()
    assert [(c.action, c.value, c.year) for c in store.read()] == [("accept", 1.0, 2017), ("reject", 1.0, 2017),
                                                                   ("undo", None, None)]


def test_writers_in_threads_lose_nothing(tmp_path):
    store = CorrectionStore(tmp_path)
    go = threading.Barrier(6)

    def write(i: int) -> None:
        go.wait()
        for j in range(4):
            store.record(correction("accept", f"m{i}", float(j), sha256=f"s{i}-{j}"), base="")

    threads = [threading.Thread(target=write, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    rows = store.read()
    assert len(rows) == 24 and sorted(c.seq for c in rows) == list(range(1, 25))
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".corrections.duckdb.")]


def sha_of(out, doc: str) -> str:
    docs = pd.read_parquet(out / "docs.parquet")
    return docs.loc[docs["doc"] == doc, "sha256"].iloc[0]


def test_extract_applies_corrections_and_drops_those_of_a_changed_file(tmp_path):
    a, b, out = tmp_path / "a", tmp_path / "b", tmp_path / "out"
    a.mkdir()
    b.mkdir()
    (a / "q.txt").write_text(TEXT, encoding="utf-8")
    (b / "other.txt").write_text(TEXT.replace("青川县", "剑阁县").replace("86000", "51000"), encoding="utf-8")
    assert run_libstat("extract", a, "-o", out, "-q").returncode == 0
    store = CorrectionStore(out)
    store.record(correction("reject", "loans", 42000.0, sha256=sha_of(out, "q"), doc="q", reviewer="r"), base="")
    # an unchanged file: its rows come from the cache with the correction applied
    proc = run_libstat("extract", a, "-o", out)
    assert proc.returncode == 0 and "1 from the cache, 0 to extract" in proc.stderr, proc.stderr
    f = pd.read_parquet(out / "facts.parquet")
    assert "loans" not in set(f["metric"]) and len(f) == 2
    # a document of another input folder is stored again when its corrections change
    assert run_libstat("extract", b, "-o", out, "-q").returncode == 0
    visits = stated(correction("correct", "visits", 86000.0, sha256=sha_of(out, "q"), doc="q"), "visits", 88000.0)
    store.record(visits, base="")
    assert run_libstat("extract", b, "-o", out, "-q").returncode == 0
    f = pd.read_parquet(out / "facts.parquet")
    assert f.loc[(f["doc"] == "q") & (f["metric"] == "visits"), "value"].tolist() == [88000.0]
    assert f.loc[(f["doc"] == "other") & (f["metric"] == "visits"), "value"].tolist() == [51000.0]
    listed = run_libstat("query", out, "SELECT action, doc, reviewer FROM corrections ORDER BY seq", "--csv")
    assert listed.stdout.splitlines() == ["action,doc,reviewer", "reject,q,r", "correct,q,"], listed.stderr
    score = run_libstat("evaluate", "--corrections", out)
    assert "precision 0.000 (0/2)  recall 0.000 (0/1)" in score.stdout, score.stdout
    # the static pages show them
    html = tmp_path / "html"
    states = {(f.row["metric"], f.state) for p in build_review(out, html) for f in p.facts + p.misses if f.state}
    assert states == {("loans", "rejected"), ("visits", "corrected")}
    # the file changes: its corrections no longer apply, and the run says so
    (a / "q.txt").write_text(TEXT + "全年新增藏书 3000 册。\n", encoding="utf-8")
    proc = run_libstat("extract", a, "-o", out, "-q")
    assert proc.returncode == 0 and "2 review correction(s) were made on another version of this file" in proc.stderr
    f = pd.read_parquet(out / "facts.parquet")
    q = f[f["doc"] == "q"].set_index("metric")
    assert q.loc["loans", "value"] == 42000.0 and q.loc["visits", "value"] == 86000.0 and not q["flags"].str.len().any()
    assert len(store.read()) == 2  # the log itself is kept
    shutil.rmtree(html)
