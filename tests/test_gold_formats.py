"""Every format equal to its text on the gold sets' reports (seeds, dev, dev2 in ../shared).

Each gold set's texts are rendered once per session into tmp as
- multi-page PDFs as Word exports look: a running header with the report's title in a
  smaller font on every page, page-number footers (— 3 —, - 3 -, 第3页, in turn), lines wrapped
  mid-sentence, a fake-bold first line;
- one-page PDFs of the same (the whole report on one tall page, header and footer once);
- GBK web pages with a menu, breadcrumbs, a posting date, view counters and other news
  around the report (tests/test_formats.py's page);
- .docx files of the report's paragraphs;
and each folder is extracted by one batch run (`libstat extract`, worker processes).
Scores are compared with the same texts' under the same code — never with fixed figures,
as the extraction rules move: F1 within 0.01, and every document's library and year equal.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml
from conftest import SHARED, gold_sets, run_libstat
from test_formats import web_page, word_file

from extract.checks.evaluate import evaluate

render_pdf = pytest.importorskip("render_pdf")
pytest.importorskip("reportlab")

FOOTERS = ["— {n} —", "- {n} -", "第{n}页"]
FORMATS = ["pdf", "pdf_one_page", "html_gbk", "docx"]
SETS = gold_sets()


def title_of(text: str) -> str:
    """The report's title as a running header holds it: its first line with a year, else its first line."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    return next((ln for ln in lines[:6] if "年" in ln and len(ln) < 40), lines[0] if lines else "")


def write(fmt: str, text: str, out, stem: str, k: int):
    if fmt in ("pdf", "pdf_one_page"):
        layout = render_pdf.Layout(header=title_of(text), page_numbers=FOOTERS[k % len(FOOTERS)],
                                   fake_bold_title=True, one_page=fmt == "pdf_one_page")
        return render_pdf.render(text, out / f"{stem}.pdf", layout)
    if fmt == "html_gbk":
        page = out / f"{stem}.htm"
        page.write_bytes(web_page(text).encode("gbk", errors="xmlcharrefreplace"))
        return page
    return word_file(out / f"{stem}.docx", text)


@pytest.fixture(scope="session")
def gold_outputs(tmp_path_factory, extracted):
    """(set, format) → OUT of one batch run over the set rendered in that format."""
    cache: dict[tuple[str, str], object] = {}

    def get(name: str, fmt: str):
        if (name, fmt) not in cache:
            if fmt == "txt":
                cache[name, fmt] = extracted(SHARED / "corpus" / name)
                return cache[name, fmt]
            if fmt.startswith("pdf") and render_pdf.cjk_font_path() is None:
                pytest.skip("no CJK TrueType font (make installs fonts-wqy-zenhei)")
            src = tmp_path_factory.mktemp(f"{name}_{fmt}")
            for k, txt in enumerate(sorted((SHARED / "corpus" / name).glob("*.txt"))):
                write(fmt, txt.read_text(encoding="utf-8"), src, txt.stem, k)
            out = tmp_path_factory.mktemp(f"{name}_{fmt}_out")
            proc = run_libstat("extract", src, "-o", out, "-q", timeout=1800)
            assert proc.returncode == 0, proc.stdout + proc.stderr
            cache[name, fmt] = out
        return cache[name, fmt]

    return get


def docs(out) -> pd.DataFrame:
    return pd.read_csv(out / "docs.csv", keep_default_na=False, dtype=str).set_index("doc")


def format_limits(name: str) -> tuple[float, int]:
    """(largest |ΔF1| allowed, documents whose library or year may differ) for a gold set:
    `format_gap` in tests/score_floors.yaml, a ratchet that only goes down."""
    table = yaml.safe_load((Path(__file__).with_name("score_floors.yaml")).read_text(encoding="utf-8"))["format_gap"]
    row = {**table["default"], **table.get(name, {})}
    return float(row["f1"]), int(row["docs"])


@pytest.mark.skipif(not SETS, reason=f"{SHARED} (gold sets) is missing")
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", SETS)
def test_format_scores_as_its_text(name, fmt, gold_outputs) -> None:
    txt, other = gold_outputs(name, "txt"), gold_outputs(name, fmt)
    got = docs(other)
    assert (got["error"] == "").all(), got.loc[got["error"] != "", "error"].to_dict()
    want = docs(txt).loc[lambda d: d["path"].str.endswith(".txt")]  # the texts, not SOURCES.csv
    assert set(got.index) == set(want.index)
    max_gap, max_docs = format_limits(name)
    for col in ("library", "year"):
        diff = {d: (want.loc[d, col], got.loc[d, col]) for d in want.index if want.loc[d, col] != got.loc[d, col]}
        assert len(diff) <= max_docs, f"{name} {fmt}: {col} differs from the text's (text, {fmt}): {diff}"
    f_txt = evaluate(SHARED / "gold" / name, txt).f1
    f_fmt = evaluate(SHARED / "gold" / name, other).f1
    print(f"{name} {fmt}: F1 {f_fmt:.3f} (text {f_txt:.3f})")
    assert abs(f_txt - f_fmt) <= max_gap, (name, fmt, f_txt, f_fmt, max_gap)
