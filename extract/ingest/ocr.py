"""OCR of scanned pages: page images → page text, with Tesseract and the Chinese models that
Debian ships (tesseract-ocr-chi-sim, tesseract-ocr-chi-tra).  Nothing is downloaded at run time.

Why Tesseract through a subprocess: its models come in a system package, so a worker needs
no model files of its own, and the binary can be pointed at (`IngestSettings.tesseract`,
or $LIBSTAT_TESSERACT) to tell a missing engine from a broken one.  Each page is sent as a
PNG on stdin and read back as TSV, which gives every word its confidence: a page read badly
is flagged (ocr_low_confidence), never silently taken for good text.  The words of a line
are joined as Chinese is written, without spaces between characters and punctuation.

Page segmentation mode 6 (one uniform block) keeps the reading order of a report's single
column; mode 3 (automatic layout) cuts a paragraph into blocks and shuffles their lines.
Tesseract runs single-threaded (OMP_THREAD_LIMIT=1): its OpenMP threads fight with the
batch's own worker processes and make a page several times slower on a busy machine.

What OCR confuses in digits (O for 0, l for 1, 。 for a decimal point) is put right only
where the context is numeric; the confusions are data, in rules/ocr.yaml.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import regex

from .. import patterns
from ..resources import load_yaml

if TYPE_CHECKING:
    from PIL.Image import Image

    from .settings import IngestSettings

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff"}
PSM = "6"  # one uniform block of text: a report page's single column, in reading order
INSTALL_HINT = "install tesseract-ocr and tesseract-ocr-chi-sim"


class OcrError(Exception):
    """A one-line reason why pages cannot be OCR'd (no engine, no language data, a failure)."""


@dataclass(frozen=True)
class Engine:
    """A Tesseract binary that was found and has the language data asked for."""

    cmd: str
    version: str
    languages: str  # Tesseract's -l argument: chi_sim, chi_sim+chi_tra …


@dataclass
class PageText:
    """What OCR read on one page."""

    text: str
    confidence: float  # mean word confidence, 0–100 (0 when nothing was read)
    seconds: float


def tesseract_cmd(settings: IngestSettings | None = None) -> str:
    """The binary asked for: the setting, else $LIBSTAT_TESSERACT, else `tesseract` on the PATH."""
    return (settings.tesseract if settings and settings.tesseract else "") or os.environ.get(
        "LIBSTAT_TESSERACT", "") or "tesseract"


def engine(settings: IngestSettings | None = None) -> Engine:
    """The OCR engine, or OcrError saying what is missing."""
    languages = settings.ocr_languages if settings else "chi_sim"
    return _engine(tesseract_cmd(settings), languages)


@lru_cache(maxsize=8)
def _engine(cmd: str, languages: str) -> Engine:
    path = shutil.which(cmd)
    if path is None:
        raise OcrError(f"no OCR engine: '{cmd}' not found ({INSTALL_HINT})")
    try:
        version = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=30)
        listed = subprocess.run([path, "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError) as e:
        raise OcrError(f"OCR engine '{cmd}' does not run: {e}") from None
    if listed.returncode != 0:
        raise OcrError(f"OCR engine '{cmd}' does not run: {(listed.stderr or listed.stdout).strip()[:80]}")
    have = {ln.strip() for ln in listed.stdout.splitlines()[1:]}
    missing = [lang for lang in languages.split("+") if lang not in have]
    if missing:
        raise OcrError(f"OCR engine lacks the language data {'+'.join(missing)} ({INSTALL_HINT})")
    first = (version.stdout or version.stderr).strip().splitlines()
    return Engine(cmd=path, version=first[0] if first else "tesseract", languages=languages)


def describe(settings: IngestSettings | None = None) -> str:
    """The engine in one phrase (its version, or why there is none), for cache keys and notes."""
    try:
        e = engine(settings)
    except OcrError as exc:
        return f"no ocr ({exc})"
    return f"{e.version} {e.languages}"


def recognize(image: Image, eng: Engine, timeout: float = 300.0) -> PageText:
    """OCR one page image."""
    import time

    buf = io.BytesIO()
    (image if image.mode in ("L", "1") else image.convert("L")).save(buf, "PNG")
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    t0 = time.perf_counter()
    try:
        proc = subprocess.run([eng.cmd, "stdin", "stdout", "-l", eng.languages, "--psm", PSM, "tsv"],
                              input=buf.getvalue(), capture_output=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        raise OcrError(f"OCR of a page took more than {timeout:.0f} s") from None
    except OSError as e:
        raise OcrError(f"OCR engine failed to start: {e}") from None
    if proc.returncode != 0:
        err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise OcrError(f"OCR engine failed: {err[-1][:100] if err else f'exit code {proc.returncode}'}")
    text, conf = _from_tsv(proc.stdout.decode("utf-8", "replace"))
    return PageText(text=clean(text), confidence=conf, seconds=time.perf_counter() - t0)


def _from_tsv(tsv: str) -> tuple[str, float]:
    """(page text, mean word confidence) from Tesseract's TSV: the words of a line joined,
    a blank line between paragraphs; words below the confidence floor left out."""
    floor = rules().min_word_confidence
    lines: dict[tuple[int, int, int], list[str]] = {}
    confs: list[float] = []
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5":
            continue
        word, conf = cols[11].strip(), float(cols[10])
        if not word or conf < floor:
            continue
        confs.append(conf)
        lines.setdefault((int(cols[2]), int(cols[3]), int(cols[4])), []).append(word)
    out: list[str] = []
    last_par = None
    for (block, par, _), words in lines.items():  # TSV rows come in reading order
        if last_par is not None and (block, par) != last_par:
            out.append("")
        out.append(_join(words))
        last_par = (block, par)
    return "\n".join(out), (sum(confs) / len(confs) if confs else 0.0)


WIDE = patterns.compile(r"[\p{Han}\u3000-\u303f\uff01-\uff60\u2018-\u201f\u2026\u2014]")
OPENING = set("([{<《“‘「『【")
CLOSING = set(")]}>,.;:!?%》”’」』】、")


def _join(words: list[str]) -> str:
    """The words of one line.  Chinese has no spaces between words: two words meet without
    one when both sides are Chinese characters or punctuation (接待读者，), and brackets and
    punctuation cling to their word (乡镇（街道）分馆 — a stray space there cuts a clause's
    binding); elsewhere (2013 年, WIFI 覆盖) a space is kept, as the page may have one."""
    out = words[0]
    for w in words[1:]:
        left, right = out[-1], w[0]
        tight = (left in OPENING or right in CLOSING
                 or ((WIDE.match(left) or left in CLOSING) and (WIDE.match(right) or right in OPENING)))
        out += w if tight else " " + w
    return out


@dataclass(frozen=True)
class OcrRules:
    min_word_confidence: float
    low_page_confidence: float
    digit_run: regex.Pattern  # a run of digits and look-alikes
    look_alikes: dict[str, str]  # look-alike character → digit
    replacements: list[tuple[regex.Pattern, str]]  # (pattern, replacement) in numeric contexts


@lru_cache(maxsize=1)
def rules() -> OcrRules:
    y = load_yaml("ocr.yaml")
    look_alikes = {ch: digit for digit, chars in y["look_alikes"].items() for ch in chars}
    cls = "0-9" + regex.escape("".join(look_alikes))
    run = patterns.compile(f"(?<![A-Za-z])[{cls}](?:[{cls}.]*[{cls}])?(?![A-Za-z])")
    return OcrRules(min_word_confidence=float(y["min_word_confidence"]),
                    low_page_confidence=float(y["low_page_confidence"]), digit_run=run, look_alikes=look_alikes,
                    replacements=[(patterns.compile(r["pattern"]), r["to"]) for r in y["replacements"]])


def clean(text: str) -> str:
    """Digit confusions put right where the context is numeric: a run of digits and
    look-alikes (2O13, l2, 3OO) that holds at least one real digit becomes digits, and the
    numeric punctuation of rules/ocr.yaml (99。99% → 99.99%) is fixed.  Spaces between
    Chinese characters are left to normalize, which removes them for every format."""
    r = rules()

    def digits(m: regex.Match) -> str:
        s = m.group()
        if not any("0" <= c <= "9" for c in s) or all("0" <= c <= "9" or c == "." for c in s):
            return s
        return "".join(r.look_alikes.get(c, c) for c in s)

    text = r.digit_run.sub(digits, text)
    for pattern, to in r.replacements:
        text = pattern.sub(to, text)
    return text


def pdf_page_images(path: str | Path, numbers: list[int], dpi: int) -> Iterator[tuple[int, Image]]:
    """(page number, grayscale image) for the given pages of a PDF, rendered by PDFium
    (pypdfium2 ships its binary in the wheel).  One page at a time: a 600-page scan never
    sits in memory whole."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        for n in numbers:
            page = pdf[n - 1]
            try:
                yield n, page.render(scale=dpi / 72, grayscale=True).to_pil()
            finally:
                page.close()
    finally:
        pdf.close()


def image_pages(path: str | Path) -> Iterator[tuple[int, Image]]:
    """(page number, grayscale image) of an image file; a multi-page TIFF gives each page."""
    from PIL import Image as PILImage
    from PIL import ImageSequence, UnidentifiedImageError

    try:
        with PILImage.open(path) as im:
            for number, frame in enumerate(ImageSequence.Iterator(im), start=1):
                yield number, frame.convert("L")
    except (UnidentifiedImageError, OSError, SyntaxError) as e:
        raise OcrError(f"unreadable image: {str(e).splitlines()[0][:100] if str(e) else type(e).__name__}") from None
