"""PDF reports: the same facts as the text they render, statistics tables, broken files.

Every PDF here is made by the test itself with tests/render_pdf.py (reportlab and a CJK
TrueType font that `make` installs); nothing is downloaded."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from extract.ingest.pdf import read_pdf
from extract.pipeline import extract_document
from extract.pipeline import extract_text as extract_document_text
from extract.stages.normalize import normalize

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "corpus" / "seeds").glob("*.txt"))

render_pdf = pytest.importorskip("render_pdf")
pytest.importorskip("reportlab")
if render_pdf.cjk_font_path() is None:
    pytest.skip("no CJK TrueType font (make installs fonts-wqy-zenhei)", allow_module_level=True)

HEADER = "工作资料 内部交流"


def layout(**kw) -> render_pdf.Layout:
    return render_pdf.Layout(header=HEADER, fake_bold_title=True, **kw)


def key(res) -> set[tuple]:
    return {(f.metric, f.value, f.status, f.year, f.period) for f in res.facts}


@pytest.fixture(scope="module")
def seed_pdfs(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("seed_pdfs")
    return {p.stem: render_pdf.render(p.read_text(encoding="utf-8"), out / f"{p.stem}.pdf", layout()) for p in SEEDS}


@pytest.mark.parametrize("seed", [p.stem for p in SEEDS])
def test_pdf_rendering_gives_the_text_facts(seed, seed_pdfs) -> None:
    text_res = extract_document(ROOT / "corpus" / "seeds" / f"{seed}.txt")
    pdf_res = extract_document(seed_pdfs[seed])
    assert pdf_res.error == ""
    assert key(pdf_res) == key(text_res)
    assert (pdf_res.library, pdf_res.year, pdf_res.doc_type) == (text_res.library, text_res.year, text_res.doc_type)
    assert pdf_res.pages > 1
    assert max(f.page for f in pdf_res.facts) > 1, "facts keep the page they stand on"


def test_page_spans_quote_the_page_text(seed_pdfs) -> None:
    pages, _ = read_pdf(seed_pdfs["001_af2c11a327147ce6"])
    res = extract_document(seed_pdfs["001_af2c11a327147ce6"])
    for f in res.facts:
        span = pages[f.page - 1].text[f.char_start : f.char_end]
        assert span.replace("\n", "").startswith(f.raw.strip()[:3]), (f.metric, span, f.raw)


def test_running_header_page_numbers_and_fake_bold_are_gone(seed_pdfs) -> None:
    pages, _ = read_pdf(seed_pdfs["000_80bd37b35750f38c"])
    assert "绵阳市图书馆(科技情报研究所)" in pages[0].text.replace("（", "(").replace("）", ")")
    assert "22001133" not in pages[0].text, "fake-bold characters are de-duplicated"
    norm = normalize("\f".join(p.text for p in pages)).text
    assert norm.count(HEADER) <= 1, "the running header stays at most on the first page"
    assert "— 2 —" not in norm and "— 3 —" not in norm
    assert "外借文献 34766 人次 84692 册" in norm, "a line wrapped mid-sentence is joined again"


def test_rendering_cut_at_a_count_gives_the_text_facts(tmp_path) -> None:
    """A text hard-wrapped at a fixed number of characters (every one an em, spaces too) and
    printed so: narrow digits leave its wrapped lines short of the edge, and they are joined
    by their count."""
    for seed in SEEDS:
        text = seed.read_text(encoding="utf-8")
        pdf = render_pdf.render(text, tmp_path / f"{seed.stem}.pdf", layout(wrap_by="count"))
        assert key(extract_document(pdf)) == key(extract_document(seed)), seed.stem


def test_a_table_aligned_with_spaces_keeps_its_columns_rows_and_facts(tmp_path) -> None:
    """PDFium keeps one space of a run: the gap's width gives the rest back, so the columns stay
    apart as typed; the header, wider than the line, is joined again at its cut; the rows, each
    as long as its columns make it, are never joined to one another."""
    from test_formats import SPACED_TABLE

    pdf = render_pdf.render(SPACED_TABLE, tmp_path / "table.pdf", layout())
    pages, _ = read_pdf(pdf)
    lines = [ln.strip() for ln in SPACED_TABLE.strip().split("\n")]
    assert pages[0].text.split("\n") == lines  # the running header and footer dropped
    want = key(extract_document_text(SPACED_TABLE))
    assert len(want) == 20 and key(extract_document(pdf)) == want


def test_a_line_of_narrow_characters_is_no_wrapped_line(tmp_path) -> None:
    """A line holding more characters than a full line of Chinese (digits and signs are
    narrow) but ending short of the edge was not cut: the next paragraph stays apart."""
    crumbs = "当前位置 : 首页 >> 新闻动态 >> 工作总结 >> 2023 >> 海川"
    body = "海川市图书馆坚持以读者为中心，全年开放时间每周六十小时以上，" * 6
    text = f"{crumbs}\n海川市图书馆2023年工作总结\n{body}全年接待读者52万人次。\n"
    pages, _ = read_pdf(render_pdf.render(text, tmp_path / "crumbs.pdf", render_pdf.Layout()))
    assert pages[0].text.split("\n")[:2] == [crumbs, "海川市图书馆2023年工作总结"]
    assert (extract_document(tmp_path / "crumbs.pdf").library, extract_document(tmp_path / "crumbs.pdf").year) == (
        "海川市图书馆", 2023)


def _extract_dir(src: Path, out: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "extract.cli", "extract", str(src), "-o", str(out), "-q"],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr


# The gold sets as PDFs (one-page and multi-page), web pages and .docx: tests/test_gold_formats.py.


STATS_TEXT = (
    "海川市图书馆2023年业务统计\n"
    "表1 主要业务指标\n"
    "| 指标 | 2022年 | 2023年 |\n"
    "| 总流通人次(万人次) | 80.5 | 96.2 |\n"
    "| 书刊文献外借册次(万册次) | 40 | 52.3 |\n"
    "| 举办讲座(次) | 56 | 61 |\n"
    "单位：万元\n"
    "| 项目 | 本年 |\n"
    "| 财政拨款 | 860 |\n"
    "| 总支出 | 845.6 |\n"
    "| 文献购置费 | 120 |\n"
    "\f\n"
    "表2 公共图书馆基本情况\n"
    "| 项目 | 代码 | 单位 | 指标 |\n"
    "| 总藏量 | 01 | 册 | 586,200 |\n"
    "| 实际使用房屋建筑面积 | 02 | 平方米 | 12,500 |\n"
    "| 阅览室座席 | 03 | 个 | 860 |\n"
    "| 计算机 | 04 | 台 | 120 |\n"
    "| 发放借书证数 | 05 | 个 | 3,400 |\n"
    "| 有效借书证数 | 06 | 个 | 41,200 |\n"
)


def test_statistics_tables_become_facts_with_unit_value_and_page(tmp_path) -> None:
    pdf = render_pdf.render(STATS_TEXT, tmp_path / "stats.pdf", render_pdf.Layout())
    res = extract_document(pdf)
    got = {(f.metric, f.year): (f.value, f.unit, f.page) for f in res.facts}
    assert got == {
        ("visits", 2022): (805000, "person-times", 1),
        ("visits", 2023): (962000, "person-times", 1),
        ("loans", 2022): (400000, "items", 1),
        ("loans", 2023): (523000, "items", 1),
        ("lectures", 2022): (56, "events", 1),
        ("lectures", 2023): (61, "events", 1),
        ("budget", 2023): (8600000, "yuan", 1),
        ("expenditure", 2023): (8456000, "yuan", 1),
        ("acquisition_funds", 2023): (1200000, "yuan", 1),
        ("collection", 2023): (586200, "items", 2),
        ("floor_area", 2023): (12500, "m2", 2),
        ("seats", 2023): (860, "seats", 2),
        ("computers", 2023): (120, "machines", 2),
        ("new_cards", 2023): (3400, "cards", 2),
        ("registered_readers", 2023): (41200, "cards", 2),
    }


def test_merged_cells_are_filled_from_their_span() -> None:
    from extract.ingest.pdf import _fill_merged

    rows = [["指标", "数量", None], ["外借", "人次", "1,200"], [None, "册次", "3,400"]]
    assert _fill_merged(rows) == [["指标", "数量", "数量"], ["外借", "人次", "1,200"], ["外借", "册次", "3,400"]]


# ---- broken PDFs -------------------------------------------------------------------

def _encrypted(path: Path) -> Path:
    return render_pdf.render("某县图书馆2020年工作总结\n全年接待读者8万人次。", path,
                              render_pdf.Layout(encrypt_password="secret"))


def _truncated(path: Path, tmp: Path) -> Path:
    whole = render_pdf.render("某县图书馆2020年工作总结\n全年接待读者8万人次。\n" * 30, tmp / "whole.pdf")
    data = whole.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def _no_text(path: Path) -> Path:
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path))
    for _ in range(2):  # a scan: pictures of pages, no text layer
        for k in range(40):
            c.rect(50 + k * 3, 700 - k * 12, 400, 8, stroke=0, fill=1)
        c.showPage()
    c.save()
    return path


def _zero_pages(path: Path) -> Path:
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    path.write_bytes(bytes(out))
    return path


def _cid_pages(path: Path) -> Path:
    """Two pages in two fonts; the first font loses its ToUnicode map, as some
    Word exports do, so one page reads as (cid:…) codes."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("CidA", render_pdf.cjk_font_path(), subfontIndex=0))
    pdfmetrics.registerFont(TTFont("CidB", render_pdf.cjk_font_path(), subfontIndex=2))
    c = canvas.Canvas(str(path))
    for font, line in (("CidA", "全年外借图书26万册次，新办读者证3200张。"), ("CidB", "全年接待读者52万人次，举办讲座40场。")):
        c.setFont(font, 12)
        c.drawString(60, 760, "石桥县图书馆2021年工作总结")
        c.drawString(60, 730, line)
        c.showPage()
    c.save()
    data = path.read_bytes()
    path.write_bytes(data.replace(b"/ToUnicode", b"/ToUnicodX", 1))
    return path


def test_broken_pdfs_give_one_line_reasons(tmp_path) -> None:
    (tmp_path / "empty.pdf").write_bytes(b"")
    cases = {
        "encrypted.pdf": (_encrypted(tmp_path / "encrypted.pdf"), "encrypted"),
        "truncated.pdf": (_truncated(tmp_path / "truncated.pdf", tmp_path), "corrupt or truncated"),
        "scan.pdf": (_no_text(tmp_path / "scan.pdf"), "no text layer"),
        "zero_pages.pdf": (_zero_pages(tmp_path / "zero_pages.pdf"), "no pages"),
        "empty.pdf": (tmp_path / "empty.pdf", "empty file"),
    }
    for name, (path, reason) in cases.items():
        res = extract_document(path)
        assert reason in res.error, (name, res.error)
        assert "\n" not in res.error and res.facts == []


def test_cid_page_is_flagged_and_the_other_page_still_read(tmp_path) -> None:
    res = extract_document(_cid_pages(tmp_path / "cid.pdf"))
    assert res.error == ""
    assert res.flags.startswith("unreadable_pages:")
    bad = int(res.flags.split(":")[1])
    got = {f.metric for f in res.facts}
    assert got == ({"visits", "lectures"} if bad == 1 else {"loans", "new_cards"})
    assert all(f.page != bad for f in res.facts)


def test_batch_of_broken_and_good_pdfs_loses_no_good_facts(tmp_path, seed_pdfs) -> None:
    src = tmp_path / "archive"
    src.mkdir()
    (src / "empty.pdf").write_bytes(b"")
    _encrypted(src / "encrypted.pdf")
    _truncated(src / "truncated.pdf", tmp_path)
    _no_text(src / "scan.pdf")
    good = seed_pdfs["002_717af26be9eac96e"]
    (src / "good.pdf").write_bytes(good.read_bytes())
    _extract_dir(src, tmp_path / "out")
    docs = pd.read_csv(tmp_path / "out" / "docs.csv", keep_default_na=False).set_index("doc")
    assert docs.loc["good", "error"] == ""
    assert all(docs.loc[d, "error"] for d in ("empty", "encrypted", "truncated", "scan"))
    facts = pd.read_csv(tmp_path / "out" / "facts.csv")
    alone = extract_document(good)
    assert len(facts[facts["doc"] == "good"]) == len(alone.facts) == 19


def test_long_pdf_gets_a_time_limit_scaled_by_its_pages(tmp_path) -> None:
    from extract.batch.work import PAGES_PER_TIMEOUT, Item, time_limit
    from extract.ingest.settings import IngestSettings

    long = render_pdf.render("\f".join(f"第{n}页的内容。" for n in range(25)), tmp_path / "long.pdf")
    short = render_pdf.render("一页的内容。", tmp_path / "short.pdf")

    def item(path: Path, ocr: str = "auto") -> Item:
        return Item(index=0, path=str(path), root=None, doc=path.stem, name=path.name, settings=IngestSettings(ocr=ocr))

    assert time_limit(item(long), 120) == 120 * 25 / PAGES_PER_TIMEOUT, "a long scan is not stopped while it reads"
    assert time_limit(item(short), 120) == 120
    assert time_limit(item(long, "never"), 120) == 120, "without OCR a page takes milliseconds"
    assert time_limit(item(tmp_path / "missing.pdf"), 120) == 120
    assert time_limit(item(long), None) is None


def test_one_page_pdf_drops_its_running_header_and_footer_but_keeps_the_title(tmp_path) -> None:
    text = "海川市图书馆2023年工作总结\n2023年，我馆全年接待读者52万人次，外借图书26万册次，举办讲座40场。"
    for footer in ("— {n} —", "- {n} -", "第{n}页", "{n}/1"):
        pdf = render_pdf.render(text, tmp_path / "one.pdf", render_pdf.Layout(
            header="紧紧围绕公共图书馆2019年工作要点", page_numbers=footer, one_page=True))
        pages, _ = read_pdf(pdf)
        assert len(pages) == 1
        assert pages[0].text.split("\n") == text.split("\n"), footer
    res = extract_document(pdf)
    assert (res.library, res.year) == ("海川市图书馆", 2023)


def test_page_numbers_in_the_bands_are_dropped_whatever_their_form() -> None:
    from extract.ingest.pdf_text import Line, PdfSettings, drop_running

    body = [Line("正文第一行的文字。", 60, 400, 700, 711, 11), Line("正文第二行的文字。", 60, 400, 680, 691, 11)]
    for number in ("— 3 —", "- 3 -", "第3页", "第 3 页 共 12 页", "3/12", "3", "Page 3 of 12"):
        footer = Line(number, 280, 300, 30, 41, 11)  # the body's size: a page number all the same
        assert drop_running([*body, footer], (0, 0, 595, 842), PdfSettings()) == body, number
    small = Line("工作资料 内部交流", 200, 400, 795, 804, 9)
    assert drop_running([small, *body], (0, 0, 595, 842), PdfSettings()) == body
    big = Line("海川市图书馆2023年工作总结", 60, 400, 770, 786, 16)  # a title in the band stays
    assert drop_running([big, *body], (0, 0, 595, 842), PdfSettings()) == [big, *body]
