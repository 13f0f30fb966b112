"""A reviewer corrects figures on the served pages in headless Chromium, and the corrections
survive a re-extraction: reject one figure, correct another's value, add one the rules missed
(selected in the text), accept two; a second tab's stale action is refused.  Then
`extract --no-cache` keeps all of them and `evaluate --corrections` scores the rules by them.

Screenshots go to the test's tmp folder (printed with -s)."""

from __future__ import annotations

import http.server
import threading
from contextlib import contextmanager

import pandas as pd
import pytest
from conftest import run_libstat
from review_data import HOSTILE, browser, no_alert, served  # noqa: F401  (a shared fixture)

from extract.outputs.corrections import CorrectionStore
from extract.outputs.review import build_review, page_name

MISSED = "9000 余人"  # a figure no metric's words introduce: the reviewer adds it
REVIEWED = HOSTILE.replace("讲座听众 5000 余人次。\n", f"讲座听众 5000 余人次。\n流动书车全年下乡送书 48 趟，惠及群众 {MISSED}。\n")
assert REVIEWED != HOSTILE


@pytest.fixture(scope="module")
def extraction(tmp_path_factory):
    src = tmp_path_factory.mktemp("reviewed_src")
    (src / "reviewed.txt").write_text(REVIEWED, encoding="utf-8")
    out = tmp_path_factory.mktemp("reviewed_out")
    proc = run_libstat("extract", src, "-o", out, "-q")
    assert proc.returncode == 0, proc.stderr
    return src, out


def wait_for(driver, condition, timeout: float = 15):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(lambda d: condition())


def mark(driver, css: str, text: str):
    from selenium.webdriver.common.by import By

    found = [m for m in driver.find_elements(By.CSS_SELECTOR, css) if m.text == text]
    assert len(found) == 1, (css, text, [m.text for m in driver.find_elements(By.CSS_SELECTOR, css)])
    return found[0]


def saved(driver) -> str:
    from selenium.webdriver.common.by import By

    msg = driver.find_element(By.ID, "r-msg")
    wait_for(driver, lambda: msg.text.startswith(("已保存", "另一窗口")) or "error" in msg.get_attribute("class"))
    return msg.text


def click(driver, element) -> None:
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    element.click()


@contextmanager
def other_origin():
    """A plain page on another port of this machine: another origin, and no CSP of ours."""
    class Page(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802  (the handler's name)
            body = b"<!doctype html><title>elsewhere</title><p>another site</p>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def select_words(driver, words: str) -> None:
    """Select `words` in the report text, as a reviewer dragging over them does."""
    driver.execute_script("""
        const words = arguments[0], box = document.querySelector('.text');
        const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
        const nodes = []; let all = '';
        while (walker.nextNode()) { nodes.push([walker.currentNode, all.length]); all += walker.currentNode.data; }
        const from = all.indexOf(words), to = from + words.length;
        const at = (i) => { for (const [n, s] of nodes) { if (i <= s + n.data.length) return [n, i - s]; } };
        const range = document.createRange();
        range.setStart(...at(from)); range.setEnd(...at(to));
        const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(range);""", words)


def test_corrections_in_chromium_survive_reextraction(extraction, browser, tmp_path):  # noqa: F811
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    src, out = extraction
    driver = browser
    with served(out, "--reviewer", "测试员") as url:
        driver.get(url)
        driver.find_element(By.LINK_TEXT, "reviewed").click()
        assert driver.current_url == url + "docs/" + page_name("reviewed")
        # the report's markup is text on the served page too, and nothing of it ran
        text = driver.find_element(By.CSS_SELECTOR, ".text").text
        assert "<script>alert(1)</script>" in text and '<img src=x onerror="window.__pwned=1">' in text
        assert no_alert(driver)
        assert driver.execute_script("return window.__pwned === undefined && document.scripts.length === 1")

        # reject the loans figure: not the library's
        click(driver, mark(driver, ".text mark.fact", "654321 册次"))
        driver.find_element(By.ID, "r-reject").click()
        assert saved(driver).startswith("已保存")
        assert "r-rejected" in mark(driver, ".text mark.fact", "654321 册次").get_attribute("class")

        # correct the visits figure's value (a transposed digit)
        click(driver, mark(driver, ".text mark.fact", "123456 人次"))
        driver.find_element(By.ID, "r-correct").click()
        value = driver.find_element(By.ID, "r-value")
        assert value.get_attribute("value") == "123456"
        value.clear()
        value.send_keys("132456")
        driver.find_element(By.ID, "r-save").click()
        assert saved(driver).startswith("已保存")
        assert "r-corrected" in mark(driver, ".text mark.fact", "123456 人次").get_attribute("class")
        assert "132,456" in driver.find_element(By.ID, "p-review").text

        # accept this year's lectures
        click(driver, mark(driver, ".text mark.fact", "36 场"))
        driver.find_element(By.ID, "r-accept").click()
        assert saved(driver).startswith("已保存")

        # a second tab opened now, while the first still shows next year's lectures unreviewed
        first = driver.current_window_handle
        driver.switch_to.new_window("tab")
        driver.get(url + "docs/" + page_name("reviewed"))
        click(driver, mark(driver, ".text mark.fact", "40 场"))
        driver.find_element(By.ID, "r-accept").click()
        assert saved(driver).startswith("已保存")

        # add the figure the rules missed, from its words selected in the text (in the second tab)
        select_words(driver, MISSED)
        add = driver.find_element(By.ID, "r-add")
        wait_for(driver, add.is_displayed)
        assert driver.find_element(By.ID, "r-selected").text == MISSED
        add.click()
        form_value = driver.find_element(By.ID, "r-value")
        wait_for(driver, lambda: form_value.is_displayed() and form_value.get_attribute("value") == "9000")
        assert driver.find_element(By.ID, "r-qualifier").get_attribute("value") == "over"  # 余
        assert driver.find_element(By.ID, "r-year").get_attribute("value") == "2015"
        Select(driver.find_element(By.ID, "r-metric")).select_by_value("event_attendance")
        assert driver.find_element(By.ID, "r-unit").text == "person-times"
        driver.find_element(By.ID, "r-save").click()
        added = wait_for(driver, lambda: driver.find_elements(By.CSS_SELECTOR, ".text mark.r-added"))  # reloaded
        assert [m.text for m in added] == [MISSED]
        shot_second = tmp_path / "served-second-tab.png"
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", added[0])
        added[0].click()
        driver.save_screenshot(str(shot_second))

        # back in the first tab: its view of next year's lectures is stale, and its action refused
        driver.switch_to.window(first)
        stale = mark(driver, ".text mark.fact", "40 场")
        click(driver, stale)
        driver.find_element(By.ID, "r-reject").click()
        assert saved(driver).startswith("另一窗口")  # changed in another tab
        assert "r-accepted" in stale.get_attribute("class") and "测试员" in driver.find_element(By.ID, "p-review").text
        shot_first = tmp_path / "served-first-tab.png"
        driver.save_screenshot(str(shot_first))

        stored = {c.target: c for c in CorrectionStore(out).effective().values()}
        assert {t: c.action for t, c in stored.items()} == {
            "fact:loans|actual|2015|": "reject", "fact:visits|actual|2015|": "correct",
            "fact:lectures|actual|2015|": "accept", "fact:lectures|target|2016|": "accept",
            next(t for t in stored if t.startswith("add:")): "add"}
        added_c = next(c for c in stored.values() if c.action == "add")
        assert (added_c.new_metric, added_c.new_value, added_c.new_qualifier, added_c.raw) == (
            "event_attendance", 9000.0, "over", MISSED)
        assert REVIEWED[added_c.char_start:added_c.char_end] == MISSED and MISSED in added_c.evidence
        assert stored["fact:visits|actual|2015|"].new_value == 132456.0
        assert {c.reviewer for c in stored.values()} == {"测试员"}
        csv = (out / "corrections.csv").read_text(encoding="utf-8-sig")
        assert csv.count("\n") == 6 and "测试员" in csv  # header + five actions

        # a re-extraction with new rules (no cache) keeps every correction
        proc = run_libstat("extract", src, "-o", out, "--no-cache", "-q")
        assert proc.returncode == 0, proc.stderr
        facts = pd.read_parquet(out / "facts.parquet")
        mentions = pd.read_parquet(out / "mentions.parquet")
        by = {(r.metric, r.status, r.year): r for r in facts.itertuples()}
        assert ("loans", "actual", 2015) not in by
        rejected = mentions[mentions["reason"] == "rejected in review"]
        assert rejected[["metric", "value", "taken"]].values.tolist() == [["loans", 654321.0, False]]
        assert by[("visits", "actual", 2015)].value == 132456.0 and "corrected" in by[("visits", "actual", 2015)].flags
        ea = by[("event_attendance", "actual", 2015)]
        assert (ea.value, ea.qualifier, ea.rule, ea.flags, ea.raw) == (9000.0, "over", "review", "corrected", MISSED)
        assert "accepted" in by[("lectures", "actual", 2015)].flags and "accepted" in by[("lectures", "target", 2016)].flags
        assert len(facts) == 6 == pd.read_parquet(out / "docs.parquet")["n_facts"].sum()

        proc = run_libstat("evaluate", "--corrections", out)
        assert proc.returncode == 0, proc.stderr
        report = proc.stdout
        assert "precision 0.500 (2/4)  recall 0.500 (2/4)" in report, report
        assert "WRONG  reviewed loans actual 2015  rules 654321  reviewer not the library's figure" in report
        assert "WRONG  reviewed visits actual 2015  rules 123456  reviewer 132456" in report
        assert "MISSED reviewed event_attendance actual 2015  reviewer 9000" in report
        assert "(2 accepted, 1 corrected, 1 added, 1 rejected)" in report

        # the served page, after the re-extraction: the tables show the corrections now
        driver.get(url + "docs/" + page_name("reviewed"))
        assert "r-rejected" in mark(driver, ".text mark.miss", "654321 册次").get_attribute("class")
        corrected = mark(driver, ".text mark.fact", "123456 人次")
        assert corrected.get_attribute("data-value") == "132,456" and "r-corrected" in corrected.get_attribute("class")
        assert [m.text for m in driver.find_elements(By.CSS_SELECTOR, ".text mark.r-added")] == [MISSED]
        assert len(driver.find_elements(By.CSS_SELECTOR, ".text mark.fact")) == 6
        assert no_alert(driver) and driver.execute_script("return window.__pwned === undefined")
        click(driver, corrected)
        shot_after = tmp_path / "served-after-extract.png"
        driver.save_screenshot(str(shot_after))

        # a page of another origin, even one that knows the token, cannot store anything: the JSON POST
        # needs a preflight the server never grants, and a simple POST carries neither the token nor JSON
        token = driver.find_element(By.CSS_SELECTOR, 'meta[name="csrf-token"]').get_attribute("content")
        before = len(CorrectionStore(out).read())
        with other_origin() as elsewhere:
            driver.get(elsewhere)
            sent = driver.execute_async_script("""
                const [api, token, done] = arguments;
                const body = JSON.stringify({doc: "reviewed", action: "reject", target: "fact:lectures|actual|2015|",
                                             base: ""});
                const cors = fetch(api, {method: "POST", body,
                                         headers: {"Content-Type": "application/json", "X-CSRF-Token": token}})
                    .then(r => "answered " + r.status, () => "blocked");
                const simple = fetch(api, {method: "POST", mode: "no-cors", body, headers: {"Content-Type": "text/plain"}})
                    .then(r => "sent " + r.type, () => "blocked");
                Promise.all([cors, simple]).then(done);""", url + "api/corrections", token)
        assert sent == ["blocked", "sent opaque"], sent
        assert len(CorrectionStore(out).read()) == before
    for shot in (shot_second, shot_first, shot_after):
        print(f"screenshot: {shot}")

    # the static pages show them as well
    pages = {p.doc: p for p in build_review(out, tmp_path / "html")}
    states = {(f.row["metric"], f.state) for f in pages["reviewed"].facts + pages["reviewed"].misses if f.state}
    assert states == {("loans", "rejected"), ("visits", "corrected"), ("event_attendance", "added"),
                      ("lectures", "accepted")}
    html = (tmp_path / "html" / "docs" / page_name("reviewed")).read_text(encoding="utf-8")
    assert html.count("r-accepted\"") + html.count("r-accepted ") >= 2 and "csrf-token" not in html
