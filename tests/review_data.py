"""An extraction that the export, review and browser tests share (made once per session).

Its input holds a seed report, a report whose text carries markup and ampersands that
must reach a reader as text (`<script>alert(1)</script>`, `A&B`, `<b>`) beside actual
figures and next year's targets, and an empty file (an error row for the errors sheet).
"""

from __future__ import annotations

import json
import os
import queue
import re
import shutil
import subprocess
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import pytest
from conftest import SEEDS, libstat_cmd, run_libstat

HOSTILE = """\
汉源县图书馆2015年工作总结

2015年，汉源县图书馆全年接待读者 123456 人次，外借图书 654321 册次。
读者留言板摘录：<script>alert(1)</script> 以及 A&B 读书会，<b>不是粗体</b>，"双引号" 'single' &amp; 完。
<img src=x onerror="window.__pwned=1">全年举办公益讲座 36 场，讲座听众 5000 余人次。

2016年工作计划
争取全年到馆读者达到 150000 人次，举办讲座 40 场。
"""
SEED = "000_80bd37b35750f38c"
CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # the server is on this machine


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


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        pytest.skip("Debian chromium and chromium-driver are not installed (make chromium, as root)")
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium (the dev extra) is not installed")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", "--window-size=1400,1000",
                 f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def no_alert(driver) -> bool:
    from selenium.common.exceptions import NoAlertPresentException

    try:
        driver.switch_to.alert.text  # noqa: B018
    except NoAlertPresentException:
        return True
    return False


@contextmanager
def served(out, *args: str, cwd: Path | None = None) -> Iterator[str]:
    """`libstat review OUT --serve --port 0 …` running; yields its URL (read from its first line)."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.Popen([*libstat_cmd(), "review", str(out), "--serve", "--port", "0", *args], cwd=cwd,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8", env=env)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in proc.stdout], daemon=True).start()
    try:
        try:
            first = lines.get(timeout=60)
        except queue.Empty:
            raise AssertionError("the review server printed nothing in 60 s") from None
        m = re.search(r"http://127\.0\.0\.1:\d+/", first)
        assert m, first + proc.stderr.read() if proc.poll() is not None else first
        yield m.group(0)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def http(url: str, data: bytes | None = None, headers: dict | None = None) -> tuple[int, dict, str]:
    """(status, headers, body) of one request to a local server; 4xx and 5xx are answers, not errors."""
    req = urllib.request.Request(url, data=data, headers=headers or {}, method="POST" if data is not None else "GET")
    try:
        with NO_PROXY.open(req, timeout=30) as r:
            return r.status, dict(r.headers), r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read().decode("utf-8")


def post_json(url: str, body: dict, token: str | None, **headers: str) -> tuple[int, dict]:
    h = {"Content-Type": "application/json", **headers}
    if token is not None:
        h["X-CSRF-Token"] = token
    status, _, text = http(url, json.dumps(body).encode(), h)
    return status, json.loads(text) if text.startswith("{") else {"text": text}


def csrf_of(page: str) -> str:
    return re.search(r'<meta name="csrf-token" content="([^"]+)">', page).group(1)
