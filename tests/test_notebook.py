"""notebooks/explore.ipynb runs headless on the seeds' extraction, and its Chinese labels
render as glyphs, not as boxes ("tofu")."""

from __future__ import annotations

import warnings

import pytest
from conftest import ROOT, SEEDS

from extract.outputs.charts import CJK_FONT_FILES, find_cjk_font, use_cjk_font

pytest.importorskip("nbclient", reason="nbclient (the notebook extra) is not installed")
pytest.importorskip("matplotlib", reason="matplotlib (the notebook extra) is not installed")

NOTEBOOK = ROOT / "notebooks" / "explore.ipynb"
needs_cjk_font = pytest.mark.skipif(find_cjk_font() is None,
                                    reason=f"no CJK font ({CJK_FONT_FILES[0]}): make fonts, or apt-get install fonts-wqy-zenhei")


@pytest.fixture(scope="module")
def executed(extracted, tmp_path_factory):
    import nbformat

    from extract.outputs.notebook import execute_notebook

    dst = tmp_path_factory.mktemp("notebook") / "explore.executed.ipynb"
    execute_notebook(NOTEBOOK, extracted(SEEDS), dst)  # raises on the first failing cell
    return dst, nbformat.read(dst, as_version=4)


@needs_cjk_font
def test_notebook_runs_clean_and_saves_the_comparison_chart(executed):
    dst, nb = executed
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(c.execution_count for c in code)
    outputs = [o for c in code for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    stderr = "".join(o.text for o in outputs if o.output_type == "stream" and o.name == "stderr")
    assert "missing from font" not in stderr and "Glyph" not in stderr, stderr
    printed = "".join(o.text for o in outputs if o.output_type == "stream" and o.name == "stdout")
    assert "CJK font: WenQuanYi Zen Hei" in printed or "CJK font: " in printed and "none found" not in printed
    # the comparison chart: shown in the notebook and saved beside it as a PNG
    png = dst.parent / "explore_comparison.png"
    assert png.read_bytes().startswith(b"\x89PNG") and png.stat().st_size > 5000
    chart_cells = [c for c in code if "explore_comparison.png" in c.source]
    assert chart_cells and any("image/png" in o.get("data", {}) for o in chart_cells[0].outputs)
    assert sum("image/png" in o.get("data", {}) for o in outputs) >= 4  # coverage, comparison, trends, …
    print(f"chart: {png}")


def render_label(text: str, family: str | None, path) -> tuple:
    """Render `text` alone on a small canvas; (pixels, captured warnings)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.image as mpimg
    import matplotlib.pyplot as plt

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = plt.figure(figsize=(3, 1), dpi=100)
        fig.text(0.05, 0.3, text, fontsize=28, **({"family": family} if family else {}))
        fig.savefig(path)
        plt.close(fig)
    return mpimg.imread(path)[..., :3], [str(w.message) for w in caught]


@needs_cjk_font
def test_chinese_labels_render_as_glyphs_not_boxes(tmp_path):
    family = use_cjk_font()
    assert family
    a, warn_a = render_label("到馆人次", family, tmp_path / "a.png")
    b, warn_b = render_label("外借册次", family, tmp_path / "b.png")
    assert not [w for w in warn_a + warn_b if "missing from font" in w]
    ink_a, ink_b = (a < 0.5).sum(), (b < 0.5).sum()
    assert ink_a > 200 and ink_b > 200  # something was drawn
    assert (abs(a - b) > 0.5).sum() > 200  # two different words look different: no row of identical boxes
    # the check itself can tell tofu: a Latin-only font draws both words as the same boxes, with warnings
    ta, warn_ta = render_label("到馆人次", "DejaVu Sans", tmp_path / "tofu_a.png")
    tb, _ = render_label("外借册次", "DejaVu Sans", tmp_path / "tofu_b.png")
    assert any("missing from font" in w for w in warn_ta)
    assert (abs(ta - tb) > 0.5).sum() < (abs(a - b) > 0.5).sum() / 10
