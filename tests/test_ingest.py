"""Ingest: encodings are detected, and files that cannot be read become one-line errors.

Every fixture is written by the test into tmp_path from the bundled seed reports.
"""

from __future__ import annotations

import codecs
import random
from pathlib import Path

import pytest
from conftest import SEEDS, to_big5_traditional

from extract.ingest.dispatch import doc_id, iter_inputs, read_document
from extract.ingest.text import decode_text
from extract.pipeline import extract_document

SEED = SEEDS / "001_af2c11a327147ce6.txt"  # 昆山市图书馆 2013: summary plus a 2014 plan
PNG_HEADER = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x06\x00\x00\x00"


def facts_of(res) -> list[tuple]:
    return sorted((f.metric, f.value, f.status, f.year, f.period) for f in res.facts)


def assert_one_line_error(res, *words: str) -> None:
    assert res.error, f"{res.path} should be an error row"
    assert "\n" not in res.error and "\r" not in res.error and res.error == res.error.strip()
    assert len(res.error) < 200
    for w in words:
        assert w in res.error.lower(), f"{w!r} not in {res.error!r}"
    assert res.facts == [] and res.mentions == []


@pytest.fixture(scope="module")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def original(seed_text):
    res = extract_document(SEED)
    assert not res.error
    assert len(res.facts) >= 5, "the seed should give facts, or the comparisons below mean nothing"
    return res


# --- files that cannot be read ---------------------------------------------------------


@pytest.mark.parametrize("content", [b"", b"   \r\n\t\n", b"\xef\xbb\xbf", b"\xef\xbb\xbf \n"], ids=["empty", "blank", "bom-only", "bom-blank"])
def test_empty_file_is_an_error(tmp_path, content):
    p = tmp_path / "empty.txt"
    p.write_bytes(content)
    res = extract_document(p, tmp_path)
    assert_one_line_error(res, "empty")
    assert res.doc == "empty"


@pytest.mark.parametrize("seed,size,png", [(1, 4096, True), (2, 64, True), (3, 100_000, True), (4, 4096, False),
                                           (5, 50, False)])
def test_binary_file_named_txt_is_an_error(tmp_path, seed, size, png):
    data = random.Random(seed).randbytes(size)
    p = tmp_path / "picture.txt"
    p.write_bytes((PNG_HEADER if png else b"") + data)
    res = extract_document(p, tmp_path)
    assert_one_line_error(res, "binary")


def test_ascii_control_bytes_are_binary(tmp_path):
    # valid UTF-8 (all bytes < 0x80) but no text: must not pass as a document
    p = tmp_path / "ctrl.txt"
    p.write_bytes(bytes(random.Random(9).randrange(1, 32) for _ in range(2000)))
    assert_one_line_error(extract_document(p, tmp_path), "binary")


def test_missing_path_is_an_error(tmp_path):
    res = extract_document(tmp_path / "nowhere" / "report.txt", tmp_path)
    assert_one_line_error(res, "no such file")
    assert res.doc == "nowhere/report"


def test_directory_is_an_error(tmp_path):
    (tmp_path / "folder.txt").mkdir()
    assert_one_line_error(extract_document(tmp_path / "folder.txt", tmp_path), "not a regular file")


@pytest.mark.parametrize("name", ["report.xlsx", "report.pptx", "report.epub", "report"])
def test_unsupported_suffix_is_an_error(tmp_path, seed_text, name):
    p = tmp_path / name
    p.write_text(seed_text, encoding="utf-8")  # readable text, but not a supported file type
    res = extract_document(p, tmp_path)
    assert_one_line_error(res, "unsupported file type")
    assert ".txt" in res.error
    assert res.sha256, "the content hash is still recorded"


def test_too_large_is_an_error(tmp_path):
    from extract.ingest.settings import IngestSettings

    p = tmp_path / "big.txt"
    p.write_bytes(b"a" * (2 * 1024 * 1024))
    res = extract_document(p, tmp_path, settings=IngestSettings(max_bytes=1024 * 1024))
    assert_one_line_error(res, "too large")


# --- encodings --------------------------------------------------------------------------


ENCODINGS = {
    "gbk": lambda t: t.encode("gbk"),
    "gb18030": lambda t: t.encode("gb18030"),
    "utf-8-bom": lambda t: codecs.BOM_UTF8 + t.encode("utf-8"),
    "utf-16-bom": lambda t: t.encode("utf-16"),  # Python writes a BOM
    "utf-16-be-bom": lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"),
    "crlf": lambda t: t.replace("\n", "\r\n").encode("utf-8"),
}


@pytest.mark.parametrize("enc", list(ENCODINGS))
def test_decode_gives_the_same_text(seed_text, enc):
    text, _ = decode_text(ENCODINGS[enc](seed_text))
    if enc == "crlf":
        text = text.replace("\r\n", "\n")
    assert text == seed_text


@pytest.mark.parametrize("enc", ["gbk", "utf-8-bom", "utf-16-bom"])
def test_encoded_copy_gives_the_same_facts(tmp_path, seed_text, original, enc):
    p = tmp_path / f"kunshan_{enc}.txt"
    p.write_bytes(ENCODINGS[enc](seed_text))
    res = extract_document(p, tmp_path)
    assert not res.error, res.error
    assert res.encoding
    assert facts_of(res) == facts_of(original)
    assert (res.library, res.year, res.doc_type) == (original.library, original.year, original.doc_type)
    # the decoded text is the same, so offsets into it are too
    assert [(f.char_start, f.char_end) for f in res.facts] == [(f.char_start, f.char_end) for f in original.facts]


def test_big5_copy_gives_the_same_facts_as_utf8_traditional(tmp_path, seed_text):
    trad = to_big5_traditional(seed_text)
    assert trad != seed_text and "圖書館" in trad
    utf8 = tmp_path / "trad_utf8.txt"
    utf8.write_text(trad, encoding="utf-8")
    big5 = tmp_path / "trad_big5.txt"
    big5.write_bytes(trad.encode("big5", errors="strict"))
    assert decode_text(big5.read_bytes()) == (trad, "big5")

    ref, res = extract_document(utf8, tmp_path), extract_document(big5, tmp_path)
    assert not ref.error and not res.error
    assert res.encoding == "big5"
    assert len(ref.facts) >= 5
    assert facts_of(res) == facts_of(ref)
    assert (res.library, res.year) == (ref.library, ref.year) == ("昆山市图书馆", 2013)


def test_encoding_is_recorded(tmp_path, seed_text):
    p = tmp_path / "a.txt"
    p.write_bytes(seed_text.encode("gbk"))
    doc = read_document(p, tmp_path)
    assert doc.encoding in ("gb18030", "gbk") and not doc.error
    assert doc.pages and doc.pages[0].text == seed_text
    assert len(doc.sha256) == 64


# --- document ids and input folders -----------------------------------------------------------


def test_doc_id_is_relative_path_without_extension(tmp_path):
    f = tmp_path / "2013" / "mianyang" / "report.v2.txt"
    assert doc_id(f, tmp_path) == "2013/mianyang/report.v2"
    assert doc_id(f, None) == "report.v2"
    assert doc_id(Path("/elsewhere/x.txt"), tmp_path) == "x"


def test_iter_inputs_recurses_and_skips_hidden(tmp_path):
    for rel in ["a.txt", "sub/b.txt", "sub/deeper/c.txt", ".hidden/d.txt", "sub/.e.txt"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x", encoding="utf-8")
    found = [(doc_id(f, r)) for f, r in iter_inputs([str(tmp_path)])]
    assert found == ["a", "sub/b", "sub/deeper/c"]
    # a file given directly has its own folder as root; a missing input is kept (→ error row)
    single = iter_inputs([str(tmp_path / "sub" / "b.txt"), str(tmp_path / "missing.txt")])
    assert [doc_id(f, r) for f, r in single] == ["b", "missing"]
