"""What the readers share: how files are read (IngestSettings) and the one-line error of a
file that cannot be read (IngestError).  It imports no reader, so that every reader can import
it; the dispatcher (dispatch.py) imports the readers."""

from __future__ import annotations

from dataclasses import dataclass

MODES = ("auto", "never", "always")  # --ocr


@dataclass(frozen=True)
class IngestSettings:
    """How files are read.  Part of every cache key (its repr), so a run with other
    settings never reuses another run's results."""

    max_bytes: int = 50 * 1024 * 1024  # a report larger than this is not a report
    ocr: str = "auto"  # auto: OCR pages without a text layer; never; always: OCR every page
    ocr_dpi: int = 200  # resolution PDF pages are rendered at for OCR
    ocr_languages: str = "chi_sim"  # Tesseract language data: chi_sim, chi_tra, chi_sim+chi_tra
    tesseract: str = ""  # the OCR binary; "" → $LIBSTAT_TESSERACT, else `tesseract` on the PATH
    soffice: str = ""  # LibreOffice for .doc/.wps; "" → $LIBSTAT_SOFFICE, else `soffice` on the PATH
    tools: str = ""  # the external tools found (see dispatch.with_tools): results change with them

    def __post_init__(self) -> None:
        if self.ocr not in MODES:
            raise ValueError(f"ocr must be one of {', '.join(MODES)}, not {self.ocr!r}")


class IngestError(Exception):
    """A one-line reason why a file cannot be read."""
