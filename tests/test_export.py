"""`libstat export OUT --xlsx FILE`: the workbook, opened with openpyxl as Excel would read it."""

from __future__ import annotations

import math

import openpyxl
import pandas as pd
import pytest
from conftest import run_libstat
from openpyxl.utils import get_column_letter
from review_data import facts_of, review_out  # noqa: F401  (a shared session fixture)

from extract.model import DocResult, Fact
from extract.outputs.export import THOUSANDS, THOUSANDS_FRACTION, export_xlsx
from extract.outputs.rows import DOC_COLUMNS, FACT_COLUMNS, LIBRARY_COLUMNS
from extract.outputs.tables import build_tables, write_tables

SHEETS = ["wide", "facts", "docs", "libraries", "errors"]


@pytest.fixture(scope="module")
def workbooks(review_out, tmp_path_factory):  # noqa: F811
    _, out = review_out
    d = tmp_path_factory.mktemp("xlsx")
    books = {}
    for labels in ("en", "zh"):
        target = d / f"libstat-{labels}.xlsx"
        proc = run_libstat("export", out, "--xlsx", target, "--labels", labels)
        assert proc.returncode == 0, proc.stderr
        assert "facts" in proc.stdout
        books[labels] = openpyxl.load_workbook(target)
    return out, books


def rows_of(ws) -> tuple[list, list[tuple]]:
    values = list(ws.iter_rows(values_only=True))
    return list(values[0]), values[1:]


def test_sheets_headers_frozen_and_filtered(workbooks):
    _, books = workbooks
    wb = books["en"]
    assert wb.sheetnames == SHEETS
    for ws in wb.worksheets:
        header, rows = rows_of(ws)
        assert ws.freeze_panes == ("C2" if ws.title in ("wide", "libraries") else "A2"), ws.title
        assert ws.auto_filter.ref == f"A1:{get_column_letter(len(header))}{len(rows) + 1}", ws.title
        assert all(c.font.bold for c in ws[1])
        for i in range(1, len(header) + 1):
            assert 6 <= ws.column_dimensions[get_column_letter(i)].width <= 60
    header, _ = rows_of(wb["facts"])
    assert header == FACT_COLUMNS
    assert rows_of(wb["docs"])[0] == DOC_COLUMNS
    # the evidence column is wide enough to read a clause, the unit column narrow
    widths = {h: wb["facts"].column_dimensions[get_column_letter(i)].width for i, h in enumerate(header, start=1)}
    assert widths["evidence"] > 30 and widths["unit"] < 20


def test_fact_values_are_numbers_equal_to_the_facts_table(workbooks):
    out, books = workbooks
    facts = facts_of(out)
    ws = books["en"]["facts"]
    header, rows = rows_of(ws)
    assert len(rows) == len(facts) > 0
    col = header.index("value") + 1
    for i, expected in enumerate(facts["value"], start=2):
        cell = ws.cell(row=i, column=col)
        assert cell.data_type == "n" and isinstance(cell.value, int | float)
        assert cell.value == pytest.approx(expected, rel=1e-12)
        assert cell.number_format == (THOUSANDS if float(expected).is_integer() else THOUSANDS_FRACTION)
    got = pd.DataFrame(rows, columns=header)
    assert list(got["doc"]) == list(facts["doc"]) and list(got["metric"]) == list(facts["metric"])
    assert list(got["page"]) == list(facts["page"])
    assert [e or "" for e in got["evidence"]] == list(facts["evidence"].fillna(""))
    year_col = header.index("year") + 1
    assert ws.cell(row=2, column=year_col).number_format == "0"  # 2013, not 2,013


def test_wide_sheet_numbers_equal_the_wide_table(workbooks):
    out, books = workbooks
    wide = pd.read_parquet(out / "wide.parquet")
    ws = books["en"]["wide"]
    header, rows = rows_of(ws)
    assert header == list(wide.columns) and len(rows) == len(wide)
    for r, (_, expected) in enumerate(wide.iterrows(), start=2):
        for c, name in enumerate(header, start=1):
            v = expected[name]
            cell = ws.cell(row=r, column=c)
            if name in ("library_id", "library", "year", "status", "period", "docs"):
                continue
            if v is None or (isinstance(v, float) and math.isnan(v)):
                assert cell.value is None
            else:
                assert cell.value == pytest.approx(v) and cell.number_format.startswith("#,##0")


def test_libraries_sheet_carries_place_and_level(workbooks):
    out, books = workbooks
    libraries = pd.read_parquet(out / "libraries.parquet")
    header, rows = rows_of(books["en"]["libraries"])
    assert header == LIBRARY_COLUMNS and len(rows) == len(libraries) > 0
    got = pd.DataFrame(rows, columns=header)
    assert list(got["library_id"]) == list(libraries["library_id"])
    assert [p or "" for p in got["province"]] == list(libraries["province"])
    # every library id of the wide sheet is described in the libraries sheet (or is a doc's own key)
    wide_header, wide_rows = rows_of(books["en"]["wide"])
    ids = {r[wide_header.index("library_id")] for r in wide_rows}
    assert {i for i in ids if not i.startswith("(")} <= set(got["library_id"])
    zh, _ = rows_of(books["zh"]["libraries"])
    assert {"图书馆编号", "省份", "级别", "行政区划代码"} <= set(zh)


def test_errors_sheet_lists_unreadable_files(workbooks):
    _, books = workbooks
    header, rows = rows_of(books["en"]["errors"])
    assert header[:3] == ["doc", "path", "library"]
    by_doc = {r[0]: dict(zip(header, r)) for r in rows}
    assert list(by_doc) == ["empty"]
    assert "empty" in by_doc["empty"]["error"]


def test_chinese_labels(workbooks):
    out, books = workbooks
    wb = books["zh"]
    wide_header, _ = rows_of(wb["wide"])
    assert {"图书馆", "年份", "到馆人次", "外借册次", "讲座场次"} <= set(wide_header)
    assert not {"visits", "loans", "library"} & set(wide_header)
    header, rows = rows_of(wb["facts"])
    assert header[:6] == ["文档", "图书馆", "图书馆编号", "年份", "指标", "指标名称"]
    assert {"数值", "原文摘录", "页码"} <= set(header)
    got = pd.DataFrame(rows, columns=header)
    facts = facts_of(out)
    assert list(got["数值"]) == pytest.approx(list(facts["value"]))
    assert "到馆人次" in set(got["指标名称"]) and set(got["指标"]) == set(facts["metric"])


def test_report_text_is_never_a_formula(tmp_path):
    """Evidence that starts with '=' (a spreadsheet formula) is stored as text."""
    fact = Fact(doc="x", library="某馆", year=2015, metric="visits", value=1234567.0, unit="person-times",
                status="actual", period="", qualifier="exact", raw="1234567人次", evidence='=HYPERLINK("http://x","y")',
                page=1, char_start=0, char_end=5, rule="visits:接待", flags="")
    res = DocResult(doc="x", path="x.txt", library="某馆", year=2015, facts=[fact])
    write_tables(build_tables([res]), tmp_path / "out")
    counts = export_xlsx(tmp_path / "out", tmp_path / "x.xlsx")
    assert counts == {"wide": 1, "facts": 1, "docs": 1, "libraries": 0, "errors": 0}
    ws = openpyxl.load_workbook(tmp_path / "x.xlsx")["facts"]
    header = [c.value for c in ws[1]]
    cell = ws.cell(row=2, column=header.index("evidence") + 1)
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")
    assert ws.cell(row=2, column=header.index("value") + 1).value == 1234567


def test_export_of_a_missing_extraction_is_a_clear_error(tmp_path):
    proc = run_libstat("export", tmp_path / "nothing", "--xlsx", tmp_path / "x.xlsx")
    assert proc.returncode == 1
    assert proc.stderr.startswith("libstat: cannot export") and "Traceback" not in proc.stderr
    assert not (tmp_path / "x.xlsx").exists()
