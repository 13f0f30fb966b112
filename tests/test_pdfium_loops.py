"""The PDF layout's loops in C (`_pdfium_loops`) give what their Python gives, on real pages.

pdf_runs.py reads a page's line runs (boxes, font sizes, fake bold, column gaps) and counts
its path segments either in C, where the module was built, or in Python; the two must agree
on every page: here they read the same parsed pages, rendered by the tests themselves —
reports as Word exports look (multi-page, one page, cut at a count), a fake-bold title, a
table aligned with spaces, ruled statistics tables, a page whose fonts have no Unicode map."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from extract.ingest import pdf_runs
from extract.ingest.pdf_text import PdfSettings
from extract.ingest.pdfium_calls import loops

render_pdf = pytest.importorskip("render_pdf")
pytest.importorskip("reportlab")
if render_pdf.cjk_font_path() is None:
    pytest.skip("no CJK TrueType font (make installs fonts-wqy-zenhei)", allow_module_level=True)

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "corpus" / "seeds").glob("*.txt"))
# PDFium itself drops the fake-bold doubles these renderings draw; a tolerance as wide as a
# glyph makes every doubled character (the zeros of 2000) one, so that the drop is compared too
WIDE = PdfSettings(dedupe_tolerance=20.0)
SETTINGS = [PdfSettings(), PdfSettings(dedupe_tolerance=0.2, space_em=0.5, column_gap=3), WIDE]
needs_c = pytest.mark.skipif(loops() is None, reason="_pdfium_loops not built (no C compiler at install)")


def test_the_c_loops_are_built_where_a_compiler_is() -> None:
    if not (shutil.which("cc") or shutil.which("gcc")):
        pytest.skip("no C compiler here: the Python loops run")
    assert loops() is not None, "pip install -e . builds extract/ingest/_pdfium_loops.c where a compiler is"


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> list[Path]:
    from test_formats import SPACED_TABLE
    from test_pdf import STATS_TEXT, _cid_pages

    out = tmp_path_factory.mktemp("loops")
    made = [_cid_pages(out / "cid.pdf")]
    layouts = {"multi": render_pdf.Layout(header="工作资料 内部交流", fake_bold_title=True),
               "one": render_pdf.Layout(one_page=True, header="工作资料", page_numbers="第{n}页", fake_bold_title=True),
               "count": render_pdf.Layout(wrap_by="count", chars_per_line=30, page_numbers="{n}/9")}
    for seed in SEEDS:
        text = seed.read_text(encoding="utf-8")
        made += [render_pdf.render(text, out / f"{seed.stem}_{k}.pdf", lay) for k, lay in layouts.items()]
    made.append(render_pdf.render(SPACED_TABLE, out / "spaced.pdf", layouts["multi"]))
    made.append(render_pdf.render(STATS_TEXT, out / "stats.pdf", render_pdf.Layout()))
    return made


def _pages(paths: list[Path]):
    import pypdfium2 as pdfium

    for path in paths:
        pdf = pdfium.PdfDocument(str(path))
        try:
            for i in range(len(pdf)):
                page = pdf[i]
                textpage = page.get_textpage()
                try:
                    yield path.name, i, page, textpage
                finally:
                    textpage.close()
                    page.close()
        finally:
            pdf.close()


@needs_c
def test_line_runs_in_c_are_the_python_ones_on_every_page(pdfs) -> None:
    pages = dropped = widened = 0
    for name, i, _, textpage in _pages(pdfs):
        raw_text = textpage.get_text_range()
        for settings in SETTINGS:
            got, want = pdf_runs.runs(textpage, settings), pdf_runs.runs_python(textpage, settings)
            assert got == want, (name, i, settings)
        pages += 1
        widened += sum("   " in ln.text for ln in pdf_runs.runs(textpage, SETTINGS[0])[0])  # a column gap's spaces
        kept = "".join(ln.text for ln in pdf_runs.runs(textpage, WIDE)[0])
        dropped += len(kept.replace(" ", "")) < len("".join(raw_text.split()))  # a double dropped
    # the pages hold what the C code edits: both kinds of edit were made and compared
    assert pages >= 40 and widened >= 10 and dropped >= 10, (pages, widened, dropped)


@needs_c
def test_path_segments_in_c_are_the_python_count_on_every_page(pdfs) -> None:
    counts = []
    for name, i, page, _ in _pages(pdfs):
        for enough in (1, 8, 10**6):
            got = pdf_runs.rule_segments(page, enough)
            assert got == pdf_runs.rule_segments_python(page, enough), (name, i, enough)
        counts.append(pdf_runs.rule_segments(page, 10**6))
    assert max(counts) >= 8 and min(counts) == 0  # ruled table pages and pages of text alone


@needs_c
def test_a_null_handle_is_an_error_not_a_crash() -> None:
    with pytest.raises(ValueError, match="null"):
        loops().rule_segments(0, 8)
    with pytest.raises(ValueError, match="null"):
        loops().line_runs(0, "文本", 1.0, 0.3, 2)


@needs_c
def test_read_pdf_without_the_c_module_gives_the_same_pages(pdfs, monkeypatch) -> None:
    from extract.ingest.pdf import read_pdf

    with_c = [read_pdf(p) for p in pdfs]
    monkeypatch.setattr(pdf_runs, "loops", lambda: None)  # as where no compiler built it
    assert [read_pdf(p) for p in pdfs] == with_c
