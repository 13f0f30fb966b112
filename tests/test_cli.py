"""The command line, run as a user runs it (a subprocess of the installed entry point)."""

from __future__ import annotations

import codecs
import random

import pandas as pd
import pytest
from conftest import ROOT, SEEDS, run_libstat, to_big5_traditional

from extract.outputs.tables import TABLES

GBK_SEED = SEEDS / "001_af2c11a327147ce6.txt"  # 昆山市图书馆
BIG5_SEED = SEEDS / "002_717af26be9eac96e.txt"  # 安居区图书馆
UTF8_BOM = codecs.BOM_UTF8


@pytest.fixture(scope="module")
def mixed_input(tmp_path_factory):
    """A folder holding an empty file, a binary .txt, a GBK and a Big5 report (in a subfolder)."""
    d = tmp_path_factory.mktemp("mixed")
    (d / "empty.txt").write_bytes(b"")
    (d / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + random.Random(0).randbytes(3000))
    (d / "reports").mkdir()
    (d / "reports" / "kunshan_gbk.txt").write_bytes(GBK_SEED.read_text(encoding="utf-8").encode("gbk"))
    trad = to_big5_traditional(BIG5_SEED.read_text(encoding="utf-8"))
    (d / "reports" / "anju_big5.txt").write_bytes(trad.encode("big5", errors="strict"))
    return d


@pytest.fixture(scope="module")
def mixed_run(mixed_input, tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    proc = run_libstat("extract", mixed_input, "-o", out)
    return proc, out


def read_csv(path) -> pd.DataFrame:
    return pd.read_csv(path, encoding="utf-8-sig", keep_default_na=False, dtype=str)


def test_extract_mixed_folder_exits_0(mixed_run):
    proc, _ = mixed_run
    assert proc.returncode == 0, proc.stderr
    assert "2 documents extracted, 2 failed" in proc.stdout
    # each unreadable file is named in a warning line
    assert "empty.txt" in proc.stderr and "binary.txt" in proc.stderr


def test_docs_table_has_error_rows_and_extracted_rows(mixed_run):
    _, out = mixed_run
    docs = read_csv(out / "docs.csv").set_index("doc")
    assert sorted(docs.index) == ["binary", "empty", "reports/anju_big5", "reports/kunshan_gbk"]
    assert "empty" in docs.at["empty", "error"]
    assert "binary" in docs.at["binary", "error"]
    for d in ("empty", "binary"):
        assert "\n" not in docs.at[d, "error"]
        assert docs.at[d, "n_facts"] == "0"
    for d, lib, enc in (("reports/kunshan_gbk", "昆山市图书馆", "gb18030"), ("reports/anju_big5", "安居区图书馆", "big5")):
        assert docs.at[d, "error"] == ""
        assert docs.at[d, "library"] == lib
        assert docs.at[d, "encoding"] == enc
        assert int(docs.at[d, "n_facts"]) >= 5
    facts = read_csv(out / "facts.csv")
    assert set(facts["doc"]) == {"reports/anju_big5", "reports/kunshan_gbk"}
    assert len(facts) == int(docs["n_facts"].astype(int).sum())


def test_every_table_as_csv_parquet_and_duckdb(mixed_run):
    import duckdb

    _, out = mixed_run
    con = duckdb.connect(str(out / "libstat.duckdb"), read_only=True)
    try:
        in_db = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        for name in TABLES:
            csv = out / f"{name}.csv"
            assert csv.read_bytes().startswith(UTF8_BOM), f"{csv} has no UTF-8 BOM"
            df_csv = read_csv(csv)
            df_pq = pd.read_parquet(out / f"{name}.parquet")
            assert name in in_db
            n_db = con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
            assert len(df_csv) == len(df_pq) == n_db, name
            assert list(df_csv.columns) == list(df_pq.columns)
            db_cols = [r[0] for r in con.execute(f'DESCRIBE "{name}"').fetchall()]
            assert db_cols == list(df_pq.columns)
        assert con.execute("SELECT count(*) FROM docs WHERE error <> ''").fetchone()[0] == 2
        assert con.execute("SELECT count(*) FROM facts").fetchone()[0] > 0
    finally:
        con.close()
    # nothing half-written left behind (.cache is the per-document result cache, .libstat.lock the writer lock)
    assert not [p.name for p in out.iterdir() if p.name.startswith(".") and p.name not in (".cache", ".libstat.lock")]


def test_rerun_into_same_out_replaces_tables(mixed_input, mixed_run):
    import duckdb

    _, out = mixed_run
    before = {name: read_csv(out / f"{name}.csv") for name in TABLES}
    proc = run_libstat("extract", mixed_input, "-o", out, "-q")
    assert proc.returncode == 0, proc.stderr
    # --quiet: the summary on stdout, only warnings (the two unreadable files) on stderr
    assert proc.stdout.strip().splitlines()[-1].startswith("2 documents extracted, 2 failed")
    assert "INFO" not in proc.stderr and proc.stderr.count("WARNING") == 2
    for name in TABLES:
        after = read_csv(out / f"{name}.csv")
        assert len(after) == len(before[name]), f"{name}.csv grew on rerun"
        assert len(pd.read_parquet(out / f"{name}.parquet")) == len(before[name])
    con = duckdb.connect(str(out / "libstat.duckdb"), read_only=True)
    try:
        for name in TABLES:
            assert con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] == len(before[name])
        n, distinct = con.execute("SELECT count(*), count(DISTINCT (doc, metric, status, year, period)) FROM facts").fetchone()
        assert n == distinct
    finally:
        con.close()
    assert not [p.name for p in out.iterdir() if p.name.startswith(".") and p.name not in (".cache", ".libstat.lock")]


def test_all_inputs_failing_exits_1(tmp_path):
    d = tmp_path / "bad"
    d.mkdir()
    (d / "empty.txt").write_bytes(b"")
    (d / "binary.txt").write_bytes(random.Random(1).randbytes(2000))
    (d / "scan.pdf").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    proc = run_libstat("extract", d, tmp_path / "nowhere.txt", "-o", tmp_path / "out")
    assert proc.returncode == 1
    assert "0 documents extracted, 4 failed" in proc.stdout
    docs = read_csv(tmp_path / "out" / "docs.csv")
    assert len(docs) == 4 and (docs["error"] != "").all()
    assert (tmp_path / "out" / "facts.csv").read_bytes().startswith(UTF8_BOM)


@pytest.mark.parametrize("argv", [[], ["extract"], ["extract", "x.txt"], ["frobnicate"], ["extract", "x", "-o", "y", "--bogus"],
                                  ["evaluate", "gold"]])
def test_bad_command_line_exits_2_with_usage(argv):
    proc = run_libstat(*argv)
    assert proc.returncode == 2, (argv, proc.stdout, proc.stderr)
    assert proc.stderr.startswith("usage: libstat")
    assert "error:" in proc.stderr


def test_help_exits_0():
    proc = run_libstat("--help")
    assert proc.returncode == 0
    for cmd in ("extract", "evaluate", "explain"):
        assert cmd in proc.stdout


def test_explain_seed(tmp_path):
    proc = run_libstat("explain", "corpus/seeds/000_80bd37b35750f38c.txt", cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert "396712" in proc.stdout
    assert "绵阳市图书馆" in proc.stdout
    assert "visits" in proc.stdout


def test_explain_unreadable_file_exits_1(tmp_path):
    p = tmp_path / "empty.txt"
    p.write_bytes(b"")
    proc = run_libstat("explain", p)
    assert proc.returncode == 1
    assert "empty" in proc.stdout + proc.stderr


def test_evaluate_missing_gold_is_a_clear_error(tmp_path):
    proc = run_libstat("evaluate", tmp_path / "no-gold", tmp_path / "no-out")
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert proc.stderr.startswith("libstat:") and "no-gold" in proc.stderr


def test_explain_names_the_class_of_each_reason(tmp_path):
    p = tmp_path / "r.txt"
    p.write_text("某某县图书馆2020年工作总结\n全年接待读者12万人次，较上年增长2万人次。"
                 "全县农家书屋共接待读者5000人次。\n", encoding="utf-8")
    proc = run_libstat("explain", p, "--all")
    assert proc.returncode == 0, proc.stderr
    summary = next(line for line in proc.stdout.splitlines() if line.startswith("figures by class:"))
    assert "taken 1" in summary and "scope: another body 1" in summary, summary


def test_every_reason_the_pipeline_gives_has_a_class():
    from extract.checks.explain import reason_class
    from extract.pipeline import extract_document, extract_text

    seen = set()
    for path in sorted(SEEDS.glob("*.txt")):
        seen.update(m.reason for m in extract_document(path).mentions)
    # reasons the seeds do not give: a share of the library's own whole, one series, the
    # body a figure describes
    for text in ("全年新办读者证900张，其中青少年共计办证600张，占新办证总数的66%。",
                 "本次活动共接待读者2000人次。", "藏书3万册的县文化馆同时开放。"):
        seen.update(m.reason for m in extract_text(text).mentions if m.metric)
    assert {r.split(":")[0] for r in seen} >= {"a share of a total, a part", "one series or event, a part",
                                               "another body"}
    assert seen, "no mentions"
    assert {r for r in seen if reason_class(r) in ("other", "unclassified")} == set()
    assert reason_class("another library: 某市图书馆") == "scope: another body"
    assert reason_class("M06 figure beside an annual one") == "period: a part-year figure beside the annual one"
