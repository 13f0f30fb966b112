"""An extraction that the export, review and browser tests share (made once per session).

Its input holds a seed report, a report whose text carries markup and ampersands that
must reach a reader as text (`<script>alert(1)</script>`, `A&B`, `<b>`) beside actual
figures and next year's targets, and an empty file (an error row for the errors sheet).
"""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
from conftest import SEEDS, run_libstat

HOSTILE = """\
汉源县图书馆2015年工作总结

2015年，汉源县图书馆全年接待读者 123456 人次，外借图书 654321 册次。
读者留言板摘录：<script>alert(1)</script> 以及 A&B 读书会，<b>不是粗体</b>，"双引号" 'single' &amp; 完。
<img src=x onerror="window.__pwned=1">全年举办公益讲座 36 场，讲座听众 5000 余人次。

2016年工作计划
争取全年到馆读者达到 150000 人次，举办讲座 40 场。
"""
SEED = "000_80bd37b35750f38c"


@pytest.fixture(scope="session")
def review_out(tmp_path_factory):
    """(input folder, OUT) of `libstat extract` over a seed, the hostile report and an empty file."""
    src = tmp_path_factory.mktemp("review_src")
    shutil.copy(SEEDS / f"{SEED}.txt", src / f"{SEED}.txt")
    (src / "hostile.txt").write_text(HOSTILE, encoding="utf-8")
    (src / "empty.txt").write_bytes(b"")
    out = tmp_path_factory.mktemp("review_out")
    proc = run_libstat("extract", src, "-o", out, "-q")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return src, out


def facts_of(out, doc: str | None = None) -> pd.DataFrame:
    facts = pd.read_parquet(out / "facts.parquet")
    return facts if doc is None else facts[facts["doc"] == doc]
