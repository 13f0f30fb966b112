"""`libstat review OUT --serve` over HTTP: what it refuses, what it stores, what it writes.

The server runs as the command a reviewer starts (a subprocess on a free port of 127.0.0.1);
requests are plain HTTP from this process, as another page's script or a second tab would send."""

from __future__ import annotations

import re
import shutil
import threading

import pytest
from review_data import SEED, csrf_of, http, post_json, review_out, served  # noqa: F401  (a shared fixture)

from extract.outputs.corrections import CorrectionStore
from extract.outputs.review import page_name


@pytest.fixture(scope="module")
def server(review_out, tmp_path_factory):  # noqa: F811
    _, out = review_out
    copy = tmp_path_factory.mktemp("served") / "out"
    shutil.copytree(out, copy, ignore=shutil.ignore_patterns(".cache"))
    before = sorted(p.name for p in copy.iterdir())
    with served(copy, "--reviewer", "tester") as url:
        yield copy, url, before


def test_pages_are_escaped_and_locked_down(server):
    _, url, _ = server
    status, headers, page = http(url + "docs/" + page_name("hostile"))
    assert status == 200
    csp = headers["content-security-policy"]
    assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp and "connect-src 'self'" in csp
    assert re.search(r"script-src 'sha256-[^']+';", csp) and "unsafe-inline" not in csp
    assert headers["x-frame-options"] == "DENY" and headers["x-content-type-options"] == "nosniff"
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page
    assert page.count("<script>") == 1 and "<img" not in page  # the page's own script only
    assert len(csrf_of(page)) >= 32
    assert http(url + "docs/..%2F..%2Fetc%2Fpasswd")[0] == 404
    assert http(url + "docs/nothing.html")[0] == 404
    status, _, index = http(url)
    assert status == 200 and index.count('class="doc-link"') == 3


def test_cross_origin_and_tokenless_posts_are_refused(server):
    out, url, _ = server
    page = http(url + "docs/" + page_name("hostile"))[2]
    token = csrf_of(page)
    body = {"doc": "hostile", "action": "reject", "target": "fact:loans|actual|2015|", "base": ""}
    api = url + "api/corrections"
    assert post_json(api, body, None)[0] == 403
    assert post_json(api, body, "not-the-token")[0] == 403
    assert post_json(api, body, token[:-1] + ("A" if token[-1] != "A" else "B"))[0] == 403
    status, answer = post_json(api, body, token, Origin="http://evil.example")
    assert status == 403 and "cross-origin" in answer["error"]
    assert post_json(api, body, token, **{"Sec-Fetch-Site": "cross-site"})[0] == 403
    # a simple form POST (no preflight) cannot carry the JSON type
    assert http(api, b"action=reject", {"X-CSRF-Token": token, "Content-Type": "text/plain"})[0] == 415
    # DNS rebinding: a page of another name that resolves here is not served
    assert http(url, headers={"Host": "evil.example"})[0] == 400
    assert not CorrectionStore(out).exists() or all(c.target != body["target"] for c in CorrectionStore(out).read())


def test_actions_are_stored_at_once_and_stale_ones_refused(server):
    out, url, _ = server
    token = csrf_of(http(url + "docs/" + page_name("hostile"))[2])
    api = url + "api/corrections"
    target = "fact:lectures|target|2016|"
    status, answer = post_json(api, {"doc": "hostile", "action": "accept", "target": target, "base": ""}, token,
                               Origin=url.rstrip("/"))
    assert status == 200 and answer["figure"]["state"] == "accepted"
    stored = CorrectionStore(out).effective()
    (c,) = [c for (_, t), c in stored.items() if t == target]
    assert (c.action, c.reviewer, c.metric, c.value, c.year, c.doc) == ("accept", "tester", "lectures", 40.0, 2016, "hostile")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", c.at) and len(c.sha256) == 64
    assert answer["figure"]["base"] == c.id
    # a second tab that still shows the figure unreviewed
    status, answer = post_json(api, {"doc": "hostile", "action": "reject", "target": target, "base": ""}, token)
    assert status == 409 and answer["figure"]["base"] == c.id and "another tab" in answer["error"]
    status, answer = post_json(api, {"doc": "hostile", "action": "undo", "target": target, "base": c.id}, token)
    assert status == 200 and answer["figure"]["state"] == "" and answer["figure"]["base"] == ""
    assert all(t != target for _, t in CorrectionStore(out).effective())
    # what a request may not state
    bad = {"doc": "hostile", "action": "correct", "target": "fact:visits|actual|2015|", "base": ""}
    for stated in ({"metric": "nonsense", "value": "1"}, {"metric": "visits", "value": "-5", "status": "actual"},
                   {"metric": "visits", "value": "1", "status": "actual", "year": "15"},
                   {"metric": "visits", "value": "1", "status": "maybe"}):
        assert post_json(api, {**bad, "stated": stated}, token)[0] == 400, stated
    assert post_json(api, {**bad, "target": "fact:visits|actual|1999|", "stated": {}}, token)[0] == 409


def test_two_tabs_at_once_lose_nothing(server):
    """Eight requests at the same moment, each on another figure of the seed report: all stored,
    in one consistent log."""
    out, url, _ = server
    page = http(url + "docs/" + page_name(SEED))[2]
    token = csrf_of(page)
    targets = sorted(set(re.findall(r'data-kind="fact"[^>]*data-target="(fact:[^"]+)" data-base=""', page)))[:8]
    assert len(targets) == 8
    answers: list[int] = []
    start = threading.Barrier(len(targets))

    def accept(target: str) -> None:
        start.wait()
        answers.append(post_json(url + "api/corrections", {"doc": SEED, "action": "accept", "target": target,
                                                            "base": ""}, token)[0])

    threads = [threading.Thread(target=accept, args=(t,)) for t in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert answers == [200] * 8
    rows = CorrectionStore(out).read()
    assert sorted(c.target for c in rows if c.doc == SEED) == targets
    assert len({c.seq for c in rows}) == len(rows)
    csv_text = (out / "corrections.csv").read_bytes()
    assert csv_text.startswith(b"\xef\xbb\xbf") and csv_text.count(b"\n") == len(rows) + 1


def test_the_server_writes_only_its_corrections_under_out(server):
    out, _, before = server
    after = sorted(p.name for p in out.iterdir())
    assert set(after) - set(before) <= {"corrections.duckdb", "corrections.csv", ".corrections.lock"}
    assert not [p for p in out.iterdir() if p.name.startswith((".corrections.duckdb.", ".corrections.csv."))]
