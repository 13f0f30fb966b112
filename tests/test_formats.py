"""Web pages, Word files and scans: every format gives the facts of the text it holds.

Every fixture is made here in tmp_path from the bundled seed reports: a GBK web page
around each report (menus, breadcrumb, a 点击 counter, a footer), a .docx written with
python-docx, and scans made by rendering a report to PDF (tests/render_pdf.py) and
rasterizing the pages into an image-only PDF.  Nothing is downloaded.  OCR tests need
Tesseract with Debian's chi_sim data (`make` installs it) and are skipped without it.
"""

from __future__ import annotations

import html
import os
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from conftest import SEEDS, SHARED, libstat_cmd, needs_shared
from render_pdf import cjk_font_path, unwrap

from extract.ingest.dispatch import read_document
from extract.ingest.ocr import OcrError, _join, clean, engine
from extract.ingest.settings import IngestSettings
from extract.pipeline import extract_document, extract_text
from extract.stages.normalize import normalize

SEED_FILES = sorted(SEEDS.glob("*.txt"))
STEMS = [p.stem for p in SEED_FILES]
COUNTER = 1234


def key(res) -> set[tuple]:
    return {(f.metric, f.value, f.status, f.year, f.period) for f in res.facts}


def paragraphs(text: str) -> list[str]:
    """The report's paragraphs (its hard-wrapped lines joined), as a web page or Word file holds them."""
    return [p.strip() for p in unwrap(text) if p.strip() and p != "\f"]


def title_of(text: str) -> str:
    """The report's title line, as a site puts it in the article's <h1>."""
    return next((p for p in paragraphs(text) if "年" in p and len(p) < 60), paragraphs(text)[0])


@pytest.fixture(scope="module")
def text_results() -> dict:
    return {p.stem: extract_document(p) for p in SEED_FILES}


def _ocr_available() -> bool:
    try:
        engine()
    except OcrError:
        return False
    return True


needs_ocr = pytest.mark.skipif(not _ocr_available(), reason="no Tesseract with chi_sim data (make installs "
                               "tesseract-ocr tesseract-ocr-chi-sim)")
needs_font = pytest.mark.skipif(cjk_font_path() is None, reason="no CJK TrueType font (make installs fonts-wqy-zenhei)")


def run_cli(*args, env: dict | None = None) -> subprocess.CompletedProcess:
    proc = subprocess.run([*libstat_cmd(), *map(str, args)], capture_output=True, text=True, timeout=900,
                          env={**os.environ, **(env or {})})
    assert proc.returncode in (0, 1), proc.stderr
    return proc


def docs_table(out: Path) -> pd.DataFrame:
    return pd.read_csv(out / "docs.csv", keep_default_na=False).set_index("doc")


# ---- saved web pages -------------------------------------------------------------------

def web_page(text: str, charset: str = "gbk") -> str:
    body = "\n".join(f"<p>&nbsp;&nbsp;{html.escape(p)}</p>" for p in paragraphs(text))
    return f"""<!DOCTYPE html>
<html><head><meta charset="{charset}"><title>{html.escape(title_of(text))}_海川市文化网</title>
<script>var _hmt = _hmt || []; document.write("点击：" + 5678);</script><style>p {{ text-indent: 2em; }}</style></head>
<body><div class="header"><div class="logo">海川市文化网</div>
<ul class="nav"><li><a href="/">首页</a></li><li><a href="/news/">新闻动态</a></li><li><a href="/about/">本馆概况</a></li>
<li><a href="/service/">读者服务</a></li><li><a href="/guide/">办事指南</a></li></ul></div>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/news/">新闻动态</a> &gt; 正文</div>
<div class="main"><div class="article">
<h1>{html.escape(title_of(text))}</h1>
<div class="info">发布时间：2014-01-15 09:30　来源：本网　点击：{COUNTER}</div>
<div class="content">
{body}
</div>
<div class="counter">浏览次数：{COUNTER}</div>
<div class="share">分享到：微信 微博 QQ空间</div>
<div class="tools">【<a href="#">打印此页</a>】【<a href="#">关闭窗口</a>】</div>
</div>
<div class="side"><h3>相关新闻</h3><ul><li><a href="/n/1.html">我馆举办读书月活动 500 人参加</a></li>
<li><a href="/n/2.html">新馆开放首日接待读者3000人次</a></li><li><a href="/n/3.html">少儿馆举办讲座12场</a></li></ul></div>
</div>
<div class="footer"><p>版权所有：海川市文化网 地址：海川市文化路1号 电话：0816-1234567</p><p>蜀ICP备12345678号</p>
<p><a href="/map">网站地图</a> | <a href="/contact">联系我们</a> | <a href="/n/9.html">全市文化馆举办展览30场</a></p></div>
</body></html>"""


@pytest.mark.parametrize("seed", STEMS)
def test_web_page_gives_the_text_facts_and_no_counter(seed, tmp_path, text_results) -> None:
    text = (SEEDS / f"{seed}.txt").read_text(encoding="utf-8")
    page = tmp_path / f"{seed}.htm"
    page.write_bytes(web_page(text).encode("gbk"))
    res = extract_document(page)
    want = text_results[seed]
    assert res.error == ""
    assert res.encoding == "gb18030", "GBK is read as its superset"
    assert key(res) == key(want)
    assert (res.library, res.year, res.doc_type) == (want.library, want.year, want.doc_type)
    assert not [f for f in res.facts if f.value in (COUNTER, 5678, 500, 3000, 30)], "counters and other news give no fact"


# A statistics table typed with columns aligned by spaces, as reports exported to text carry
# them; its header is wider than a PDF line (tests/test_pdf.py renders it too).
SPACED_TABLE = (
    "清溪县图书馆2016—2020年业务统计\n"
    "本馆近五年的主要业务数据见下表，数据由业务部门逐年汇总，经馆务会审核后公布。\n"
    "年份    总流通人次(万人次)    书刊外借(万册次)    举办讲座(场)    新办读者证(张)\n"
    "2016        12.40               8.10             35            1200\n"
    "2017        13.85               8.92             41            1350\n"
    "2018        15.02               9.35             47            1420\n"
    "2019        16.70              10.06             52            1600\n"
    "2020         9.81               6.44             28             900\n"
    "注：2020年受疫情影响闭馆三个月。\n"
)


def test_web_page_keeps_columns_set_apart_by_spaces(tmp_path) -> None:
    """A browser shows a run of spaces as one; the author typed them to set columns apart,
    and the page must give the facts its text gives (20: four metrics over five years)."""
    page = tmp_path / "table.htm"
    page.write_bytes(web_page(SPACED_TABLE).encode("gbk"))
    got = read_document(page).text.split("\n")
    assert "2019        16.70              10.06             52            1600" in got
    want = key(extract_text(SPACED_TABLE))
    assert len(want) == 20
    assert key(extract_document(page)) == want


def test_web_page_keeps_the_article_only_one_paragraph_per_line(tmp_path) -> None:
    text = SEED_FILES[1].read_text(encoding="utf-8")
    page = tmp_path / "page.html"
    page.write_bytes(web_page(text).encode("gbk"))
    got = read_document(page).text
    lines = got.split("\n")
    assert lines == paragraphs(text), "each <p> is a line, the title comes first, nothing else"
    for debris in ("首页", "新闻动态", "点击", "浏览次数", "发布时间", "版权所有", "ICP", "相关新闻", "打印此页", "分享到"):
        assert debris not in got, debris


def test_web_page_statistics_tables_become_facts(tmp_path) -> None:
    page = tmp_path / "stats.html"
    page.write_text("""<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>海川市图书馆2023年业务统计 - 海川市图书馆</title></head><body>
<div id="nav"><a href="/">首页</a> <a href="/news">新闻动态</a></div>
<div class="position">当前位置：<a href="/">首页</a> &gt; 统计数据</div>
<div class="detail"><h2>海川市图书馆2023年业务统计</h2><div class="meta">发布时间：2024-01-20　浏览次数：1234</div>
<div class="TRS_Editor">
<p>2023年，我馆各项业务稳步发展，全年主要业务数据见下表。</p>
<p>表1 主要业务指标</p>
<table border="1"><tr><th>指标</th><th>2022年</th><th>2023年</th></tr>
<tr><td>总流通人次(万人次)</td><td>80.5</td><td>96.2</td></tr>
<tr><td>书刊文献外借册次(万册次)</td><td>40</td><td>52.3</td></tr>
<tr><td>举办讲座(次)</td><td>56</td><td>61</td></tr></table>
<p>单位：万元</p>
<table border="1"><tr><th>项目</th><th colspan="2">本年</th></tr>
<tr><td>财政拨款</td><td colspan="2">860</td></tr><tr><td>总支出</td><td colspan="2">845.6</td></tr></table>
<p>表2 公共图书馆基本情况</p>
<table border="1"><tr><td>项目</td><td>单位</td><td>指标</td></tr>
<tr><td>总藏量</td><td>册</td><td>586,200</td></tr>
<tr><td rowspan="2">借书证</td><td>个</td><td>3,400</td></tr><tr><td>个</td><td>41,200</td></tr>
<tr><td>阅览室座席</td><td>个</td><td>860</td></tr></table>
<p>点击：1234</p>
</div></div><div class="footer">版权所有：海川市图书馆</div></body></html>""", encoding="utf-8")
    doc = read_document(page)
    assert "| 借书证 | 个 | 41,200 |" in doc.text, "a row label spanning rows is read on each row"
    res = extract_document(page)
    got = {(f.metric, f.year): (f.value, f.unit) for f in res.facts}
    assert got == {
        ("visits", 2022): (805000, "person-times"), ("visits", 2023): (962000, "person-times"),
        ("loans", 2022): (400000, "items"), ("loans", 2023): (523000, "items"),
        ("lectures", 2022): (56, "events"), ("lectures", 2023): (61, "events"),
        ("budget", 2023): (8600000, "yuan"), ("expenditure", 2023): (8456000, "yuan"),
        ("collection", 2023): (586200, "items"), ("seats", 2023): (860, "seats"),
    }
    assert (res.library, res.year) == ("海川市图书馆", 2023)
    assert "点击" not in normalize(doc.text).text, "a counter inside the article is page debris"


def test_web_page_encoding_declared_wrongly_or_not_at_all(tmp_path, text_results) -> None:
    text = SEED_FILES[1].read_text(encoding="utf-8")
    lying = tmp_path / "lying.html"  # says gb2312, is UTF-8
    lying.write_bytes(web_page(text, charset="gb2312").encode("utf-8"))
    silent = tmp_path / "silent.html"  # no charset at all, GBK
    silent.write_bytes(web_page(text).replace('<meta charset="gbk">', "").encode("gbk"))
    for page in (lying, silent):
        res = extract_document(page)
        assert res.error == "" and key(res) == key(text_results[SEED_FILES[1].stem]), page.name


def test_old_site_with_a_layout_table_and_br_lines(tmp_path) -> None:
    page = tmp_path / "old.htm"
    page.write_bytes("""<html><head><title>某县图书馆2019年工作总结 | 某县图书馆</title></head><body>
<!-- top --><div id="top"><h1>某县图书馆</h1><a href="/">首页</a></div>
<table width="100%"><tr><td class="left"><a href="/a">本馆概况</a><br><a href="/b">新闻动态</a></td>
<td class="main_con"><div style="display:none">隐藏的内容 12345册</div>
某县图书馆2019年工作总结<br>
&nbsp;&nbsp;2019年，我馆全年接待读者52万人次，外借图书26万册次，举办讲座40场。<br>
&nbsp;&nbsp;新办读者证3200张，新增藏书1.5万册。<br><script>document.write('点击：88')</script>
</td></tr></table><div class="foot">版权所有 某县图书馆</div></body></html>""".encode("gbk"))
    assert read_document(page).text.split("\n") == [
        "某县图书馆2019年工作总结", "2019年，我馆全年接待读者52万人次，外借图书26万册次，举办讲座40场。",
        "新办读者证3200张，新增藏书1.5万册。"]
    res = extract_document(page)
    assert {(f.metric, f.value) for f in res.facts} == {("visits", 520000), ("loans", 260000), ("lectures", 40),
                                                        ("new_cards", 3200), ("new_acquisitions", 15000)}


# ---- Word files ---------------------------------------------------------------------------

def word_file(path: Path, text: str) -> Path:
    import docx

    document = docx.Document()
    for p in paragraphs(text):
        document.add_paragraph(p)
    document.save(str(path))
    return path


def stats_docx(path: Path) -> Path:
    import docx

    document = docx.Document()
    document.add_paragraph("海川市图书馆2023年工作总结")
    document.add_paragraph("2023年，我馆各项业务稳步发展，全年主要业务数据统计如下。")
    rows = [["指标", "单位", "数量"], ["总流通人次", "万人次", "96.2"], ["书刊文献外借册次", "万册次", "52.3"],
            ["举办讲座", "次", "61"], ["计算机", "台", "120"], ["阅览室座席", "个", "860"]]
    table = document.add_table(rows=len(rows), cols=3)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    document.add_paragraph("全年新增藏书1.2万册。")
    document.save(str(path))
    return path


@pytest.mark.parametrize("seed", STEMS)
def test_docx_gives_the_text_facts(seed, tmp_path, text_results) -> None:
    res = extract_document(word_file(tmp_path / f"{seed}.docx", (SEEDS / f"{seed}.txt").read_text(encoding="utf-8")))
    want = text_results[seed]
    assert res.error == ""
    assert key(res) == key(want)
    assert (res.library, res.year, res.doc_type) == (want.library, want.year, want.doc_type)


def test_docx_statistics_table_rows_become_facts_in_document_order(tmp_path) -> None:
    path = stats_docx(tmp_path / "stats.docx")
    lines = read_document(path).text.split("\n")
    assert lines[2] == "| 指标 | 单位 | 数量 |" and lines[-1] == "全年新增藏书1.2万册。", "paragraphs and tables in order"
    res = extract_document(path)
    got = {f.metric: (f.value, f.unit, f.year) for f in res.facts}
    assert got == {
        "visits": (962000, "person-times", 2023), "loans": (523000, "items", 2023), "lectures": (61, "events", 2023),
        "computers": (120, "machines", 2023), "seats": (860, "seats", 2023), "new_acquisitions": (12000, "items", 2023),
    }


def test_docx_merged_cells_are_read_once(tmp_path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("海川市图书馆2023年统计")
    table = document.add_table(rows=3, cols=3)
    for r, row in enumerate([["指标", "单位", "数量"], ["外借", "人次", "1,200"], ["", "册次", "3,400"]]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    table.cell(1, 0).merge(table.cell(2, 0))  # 外借 spans two rows
    document.save(str(tmp_path / "merged.docx"))
    text = read_document(tmp_path / "merged.docx").text
    assert "| 外借 | 人次 | 1,200 |\n| 外借 | 册次 | 3,400 |" in text


def test_legacy_word_without_libreoffice_is_an_error_row(tmp_path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    data = stats_docx(tmp_path / "stats.docx").read_bytes()
    for name in ("report.doc", "report.wps"):
        (src / name).write_bytes(data)
        res = extract_document(src / name, settings=IngestSettings(soffice=str(tmp_path / "no" / "soffice")))
        assert "LibreOffice" in res.error and "\n" not in res.error and res.facts == [], res.error
    out = tmp_path / "out"
    run_cli("extract", src, "-o", out, "-q", env={"LIBSTAT_SOFFICE": str(tmp_path / "no" / "soffice")})
    docs = pd.read_csv(out / "docs.csv", keep_default_na=False)
    assert len(docs) == 2 and all("needs LibreOffice" in e for e in docs["error"])


@pytest.mark.skipif(shutil.which("soffice") is None, reason="no LibreOffice (apt-get install libreoffice-writer-nogui)")
def test_legacy_word_is_converted_by_libreoffice(tmp_path) -> None:
    docx_path = stats_docx(tmp_path / "stats.docx")
    subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--convert-to", "doc", "--outdir", str(tmp_path), str(docx_path)], check=True,
                   capture_output=True, timeout=300)
    shutil.copyfile(tmp_path / "stats.doc", tmp_path / "stats.wps")  # WPS Writer saves the .doc format
    want = key(extract_document(docx_path))
    for name in ("stats.doc", "stats.wps"):
        res = extract_document(tmp_path / name)
        assert res.error == "" and key(res) == want, (name, res.error)
        assert res.flags == f"converted_from:{name[-3:]}"


# ---- scans ---------------------------------------------------------------------------------

SCAN_DPI = 150


def rasterize(pdf: Path, out: Path, dpi: int = SCAN_DPI) -> list:
    """The pages of a PDF as images, saved as an image-only PDF (a scan) at `out`."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    images = [doc[i].render(scale=dpi / 72, grayscale=True).to_pil() for i in range(len(doc))]
    doc.close()
    images[0].save(out, "PDF", save_all=True, append_images=images[1:], resolution=dpi)
    return images


@pytest.fixture(scope="module")
def scans(tmp_path_factory) -> dict[str, Path]:
    """Each seed report rendered to PDF and rasterized into an image-only PDF (the folder "dir");
    the first page of 昆山 2013 also as a PNG ("png")."""
    if cjk_font_path() is None:
        pytest.skip("no CJK TrueType font (make installs fonts-wqy-zenhei)")
    from render_pdf import Layout, render

    work = tmp_path_factory.mktemp("render")
    out = tmp_path_factory.mktemp("scans")
    for p in SEED_FILES:
        pdf = render(p.read_text(encoding="utf-8"), work / f"{p.stem}.pdf", Layout(header="工作资料 内部交流",
                                                                                   fake_bold_title=True))
        images = rasterize(pdf, out / f"{p.stem}.pdf")
        if p.stem == STEMS[1]:
            images[0].save(work / "page1.png")
    return {"dir": out, "png": work / "page1.png"}


@needs_shared
@needs_ocr
def test_scanned_seeds_score_against_the_gold(scans, tmp_path) -> None:
    from extract.checks.evaluate import evaluate

    out = tmp_path / "out"
    run_cli("extract", scans["dir"], "-o", out, "-q", "--ocr", "auto")
    docs = docs_table(out)
    assert (docs["error"] == "").all(), docs["error"].to_dict()
    assert all("ocr" in f.split(";") for f in docs["flags"])
    facts = pd.read_csv(out / "facts.csv", keep_default_na=False)
    assert len(facts) and all("ocr" in f.split(";") for f in facts["flags"]), "every OCR'd fact says so"
    assert facts["page"].max() > 1, "OCR'd facts keep their page"
    score = evaluate(SHARED / "gold" / "seeds", out)
    assert score.f1 >= 0.85, score.f1


@needs_ocr
def test_scanned_png_page_gives_its_facts(scans, tmp_path) -> None:
    res = extract_document(scans["png"])
    assert res.error == "" and res.flags.startswith("ocr") and res.encoding == "ocr"
    got = {(f.metric, f.value) for f in res.facts}
    assert {("visits", 2137000), ("loans", 2074000), ("new_cards", 31000)} <= got
    assert all(f.page == 1 and "ocr" in f.flags.split(";") for f in res.facts)


@needs_ocr
@needs_font
def test_auto_ocr_reads_only_the_pages_without_text(tmp_path, text_results) -> None:
    import pypdfium2 as pdfium
    from render_pdf import Layout, render

    seed = SEED_FILES[1]
    text_pdf = render(seed.read_text(encoding="utf-8"), tmp_path / "text.pdf", Layout(header="工作资料 内部交流"))
    rasterize(text_pdf, tmp_path / "scan.pdf", dpi=200)
    mixed = pdfium.PdfDocument.new()
    mixed.import_pages(pdfium.PdfDocument(str(tmp_path / "scan.pdf")), [0])  # page 1 scanned
    mixed.import_pages(pdfium.PdfDocument(str(text_pdf)), list(range(1, len(pdfium.PdfDocument(str(text_pdf))))))
    mixed.save(str(tmp_path / "mixed.pdf"))
    res = extract_document(tmp_path / "mixed.pdf")
    assert res.error == ""
    assert "ocr" in res.flags.split(";") and "ocr_pages:1" in res.flags.split(";")
    assert key(res) == key(text_results[seed.stem])
    assert {f.page for f in res.facts if "ocr" in f.flags.split(";")} == {1}
    assert all("ocr" not in f.flags.split(";") for f in res.facts if f.page > 1)


@needs_ocr
@needs_font
def test_ocr_always_reads_even_pages_with_a_text_layer(tmp_path) -> None:
    from render_pdf import Layout, render

    pdf = render("石桥县图书馆2021年工作总结\n全年接待读者52万人次，举办讲座40场，新办读者证3200张。", tmp_path / "t.pdf",
                 Layout(font_size=14))
    text_layer = extract_document(pdf)
    res = extract_document(pdf, settings=IngestSettings(ocr="always"))
    assert res.error == "" and "ocr" in res.flags.split(";") and "ocr" not in text_layer.flags.split(";")
    assert key(res) == key(text_layer) == {("visits", 520000, "actual", 2021, ""), ("lectures", 40, "actual", 2021, ""),
                                           ("new_cards", 3200, "actual", 2021, "")}
    assert all("ocr" in f.flags.split(";") for f in res.facts)


def test_scan_without_ocr_is_an_error_row_that_names_ocr(scans, tmp_path) -> None:
    from PIL import Image

    scan = scans["dir"] / f"{STEMS[3]}.pdf"
    never = extract_document(scan, settings=IngestSettings(ocr="never"))
    missing = extract_document(scan, settings=IngestSettings(tesseract=str(tmp_path / "no" / "tesseract")))
    for res in (never, missing):
        assert "OCR" in res.error and "\n" not in res.error and res.facts == [] and res.mentions == [], res.error
    assert "not found" in missing.error
    png = tmp_path / "page.png"
    Image.new("L", (200, 100), 255).save(png)
    assert "OCR" in extract_document(png, settings=IngestSettings(ocr="never")).error
    # the same through the command line, with the engine lookup pointed at a missing binary
    src = tmp_path / "in"
    src.mkdir()
    shutil.copyfile(scan, src / "scan.pdf")
    out = tmp_path / "out"
    run_cli("extract", src, "-o", out, "-q", env={"LIBSTAT_TESSERACT": str(tmp_path / "no" / "tesseract")})
    row = docs_table(out).loc["scan"]
    assert "OCR" in row["error"] and row["n_facts"] == 0
    run_cli("extract", src, "-o", out, "-q", "--ocr", "never")
    assert "--ocr never" in docs_table(out).loc["scan", "error"], "a run with other settings is not taken from the cache"


# ---- OCR noise ---------------------------------------------------------------------------

@pytest.mark.parametrize("raw,want", [
    ("2O13年接待读者l2万人次", "2013年接待读者12万人次"),
    ("新增藏书3OO0册", "新增藏书3000册"),
    ("满意率达99。99%", "满意率达99.99%"),
    ("共12，500册", "共12,500册"),
    ("参与读者上干人，数干册", "参与读者上千人，数千册"),
    ("新增1.2方册", "新增1.2万册"),
    ("ISBN、IP地址、Office", "ISBN、IP地址、Office"),
    ("到馆人次达100。2014年", "到馆人次达100。2014年"),
    ("干部培训，若干人，平方米", "干部培训，若干人，平方米"),
])
def test_ocr_digit_confusions_are_fixed_only_in_numeric_context(raw, want) -> None:
    assert clean(raw) == want


def test_ocr_words_are_joined_as_chinese_is_written() -> None:
    assert _join(["接待", "读者", "396712", "人次", "，", "设有", "16", "个乡镇", "(", "街道", ")", "分馆"]) == \
        "接待读者 396712 人次，设有 16 个乡镇(街道)分馆"


def test_broken_web_pages_word_files_and_images_are_one_line_errors(tmp_path) -> None:
    text = SEED_FILES[1].read_text(encoding="utf-8")
    cases = {
        "text.docx": (text.encode("utf-8"), "not a readable .docx"),
        "text.html": (text.encode("utf-8"), "no html markup"),
        "empty.htm": (b"  \n", "empty file"),
        "noise.png": (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "unreadable image"),
    }
    for name, (data, reason) in cases.items():
        (tmp_path / name).write_bytes(data)
        res = extract_document(tmp_path / name)
        assert reason in res.error.lower() and "\n" not in res.error and len(res.error) < 200, (name, res.error)
        assert res.facts == [] and res.sha256
