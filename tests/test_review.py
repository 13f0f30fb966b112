"""`libstat review OUT --html DIR`: the pages as files, then as a reader sees them in
headless Chromium (Debian's chromium and chromium-driver, driven by Selenium)."""

from __future__ import annotations

import html as html_lib
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from conftest import run_libstat
from review_data import SEED, browser, facts_of, no_alert, review_out  # noqa: F401  (shared fixtures)

from extract.outputs.review import Figure, build_review, highlight, page_name


@pytest.fixture(scope="module")
def review_html(review_out, tmp_path_factory):  # noqa: F811
    _, out = review_out
    html = tmp_path_factory.mktemp("review_html")
    proc = run_libstat("review", out, "--html", html)
    assert proc.returncode == 0, proc.stderr
    assert "3 documents" in proc.stdout
    return out, html


def doc_html(html: Path, doc: str) -> str:
    return (html / "docs" / page_name(doc)).read_text(encoding="utf-8")


def test_index_lists_documents_and_links_to_their_pages(review_html):
    out, html = review_html
    index = (html / "index.html").read_text(encoding="utf-8")
    docs = pd.read_parquet(out / "docs.parquet")
    hrefs = re.findall(r'<a class="doc-link" href="([^"]+)">', index)
    assert len(hrefs) == len(docs) == 3
    for href in hrefs:
        assert (html / href).is_file(), href
    assert "绵阳市图书馆" in index and "汉源县图书馆" in index and "empty file" in index


def test_every_fact_is_highlighted_once_and_report_text_is_escaped(review_html):
    out, html = review_html
    for doc in (SEED, "hostile"):
        page = doc_html(html, doc)
        facts = facts_of(out, doc)
        assert page.count('data-kind="fact"') == len(facts) > 0
        assert page.count("<mark ") == page.count("</mark>")
        n_targets = len(re.findall(r'<mark [^>]*class="fig fact [^"]*\btarget\b', page))
        assert n_targets == (facts["status"] == "target").sum()
    page = doc_html(html, "hostile")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page
    assert "A&amp;B" in page and "&lt;b&gt;不是粗体&lt;/b&gt;" in page and "&amp;amp;" in page
    assert "<img" not in page and page.count("<script>") == 1  # the page's own panel script only
    assert 'http-equiv="Content-Security-Policy"' in page and "script-src 'sha256-" in html_lib.unescape(page)


def test_a_report_whose_file_is_gone_gets_a_page_that_says_so(review_out, tmp_path):  # noqa: F811
    _, out = review_out
    copy = tmp_path / "out"
    shutil.copytree(out, copy, ignore=shutil.ignore_patterns(".cache"))
    docs = pd.read_parquet(copy / "docs.parquet")
    docs.loc[docs["doc"] == SEED, "path"] = str(tmp_path / "gone" / f"{SEED}.txt")
    docs.to_parquet(copy / "docs.parquet", index=False)
    pages = {p.doc: p for p in build_review(copy, tmp_path / "html")}
    assert pages[SEED].status == "missing" and pages["hostile"].status == "ok"
    page = doc_html(tmp_path / "html", SEED)
    assert "is no longer there" in page
    assert page.count("<mark ") == 0 and page.count("<tr") > len(facts_of(out, SEED))  # the facts are still listed


def figure(kind: str, start: int, end: int, raw: str = "") -> Figure:
    row = {"metric": "visits", "value": 1.0, "unit": "person-times", "status": "actual", "year": 2015, "period": "",
           "qualifier": "exact", "rule": "r", "raw": raw, "flags": "", "reason": "x"}
    return Figure(f"{kind}{start}", kind, 1, start, end, row, ["fig", kind])


def test_highlight_nests_crossing_spans_and_escapes_each_slice():
    text = "a<b>&c 12345人次 d"
    figs = [figure("fact", 7, 14), figure("miss", 1, 9), figure("miss", 12, 16), figure("fact", 50, 60)]
    html = str(highlight(text, figs))
    assert html.count("<mark ") == 3 == html.count("</mark>")  # the span beyond the text is left out
    assert not figs[3].located
    assert re.sub(r"<[^>]+>", "", html) == "a&lt;b&gt;&amp;c 12345人次 d"
    # a table row's figure covers the row: it is narrowed to its raw figure
    row = figure("fact", 0, len(text), raw="12345人次")
    assert re.search(r'<mark [^>]*>12345人次</mark>', str(highlight(text, [row])))


# ---- in the browser ----------------------------------------------------------------

def test_review_pages_in_chromium(review_html, browser, tmp_path):  # noqa: F811
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    out, html = review_html
    driver = browser
    driver.get((html / "index.html").as_uri())
    links = driver.find_elements(By.CSS_SELECTOR, "a.doc-link")
    assert [a.text for a in links] == ["000_80bd37b35750f38c", "empty", "hostile"]

    # the index link lands on the document's page
    next(a for a in links if a.text == "hostile").click()
    assert driver.current_url.endswith("/docs/" + page_name("hostile"))
    assert driver.find_element(By.TAG_NAME, "h1").text.startswith("汉源县图书馆")

    # report text that looks like markup is shown as text, and nothing of it ran
    text = driver.find_element(By.CSS_SELECTOR, ".text").text
    assert "<script>alert(1)</script>" in text and "A&B 读书会" in text and "<b>不是粗体</b>" in text
    assert '<img src=x onerror="window.__pwned=1">' in text
    assert no_alert(driver)
    assert driver.execute_script("return window.__pwned === undefined && document.scripts.length === 1")

    # one highlight per fact; targets framed, with their mark
    facts = facts_of(out, "hostile")
    marks = driver.find_elements(By.CSS_SELECTOR, ".text mark.fact")
    assert len(marks) == len(facts) == 6
    targets = driver.find_elements(By.CSS_SELECTOR, ".text mark.fact.target")
    assert len(targets) == (facts["status"] == "target").sum() == 2
    for mark in targets:
        assert mark.value_of_css_property("outline-style") == "dashed"
        assert driver.execute_script("return getComputedStyle(arguments[0], '::after').content", mark) == '"◎"'
    assert {m.get_attribute("data-status") for m in targets} == {"target"}
    assert [m.text for m in marks] == [r.strip() for r in facts.sort_values("char_start")["raw"]]

    # hovering a figure fills the side panel
    ActionChains(driver).move_to_element(targets[0]).perform()
    panel = driver.find_element(By.ID, "panel")
    assert driver.find_element(By.ID, "p-status").text == "target"
    assert driver.find_element(By.ID, "p-label").text == "到馆人次"
    assert driver.find_element(By.ID, "p-value").text == "150,000"
    assert driver.find_element(By.ID, "p-year").text == "2016"
    assert "visits" in driver.find_element(By.ID, "p-rule").text and panel.is_displayed()
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", marks[0])
    ActionChains(driver).move_to_element(targets[0]).perform()
    shot = tmp_path / "review-hostile.png"
    assert driver.save_screenshot(str(shot))
    print(f"screenshot: {shot}")

    # back to the index, then the seed: every fact highlighted, flagged ones marked
    driver.find_element(By.ID, "back").click()
    assert driver.current_url.endswith("/index.html")
    driver.find_element(By.LINK_TEXT, SEED).click()
    seed = facts_of(out, SEED)
    assert len(driver.find_elements(By.CSS_SELECTOR, ".text mark.fact")) == len(seed)
    assert len(driver.find_elements(By.CSS_SELECTOR, ".text mark.fact.flagged")) == (seed["flags"] != "").sum() > 0
    assert len(driver.find_elements(By.CSS_SELECTOR, "#misses tbody tr")) > 0
    assert no_alert(driver)
    flagged = driver.find_element(By.CSS_SELECTOR, ".text mark.fact.flagged")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", flagged)
    flagged.click()
    assert driver.find_element(By.ID, "p-note").text.startswith("headline · ")
    shot = tmp_path / "review-seed.png"
    driver.save_screenshot(str(shot))
    print(f"screenshot: {shot}")
