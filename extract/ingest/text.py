"""Plain text (.txt): bytes → text in the encoding detected — UTF-8 (with or without BOM),
UTF-16, GB18030/GBK or Big5, with charset-normalizer among those candidates.  A decoding that
would be garbage (binary data, replacement characters) is refused, never returned silently
wrong.  Web pages without a usable declared charset are decoded here too (html.py)."""

from __future__ import annotations

import codecs
import re

from .settings import IngestError

CANDIDATE_ENCODINGS = ["utf_8", "gb18030", "big5", "utf_16", "utf_16_le", "utf_16_be"]


def decode_text(data: bytes) -> tuple[str, str]:
    """(text, encoding name) or IngestError."""
    if not data.strip(b" \t\r\n\x00"):
        raise IngestError("empty file")
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError as e:
                raise IngestError(f"broken {enc} text: {e.reason} at byte {e.start}") from None
    try:
        text = data.decode("utf-8")
        if "\x00" not in text:
            if _looks_binary(text):
                raise IngestError("binary data (valid UTF-8 but full of control characters)")
            return text, "utf-8"
    except UnicodeDecodeError:
        pass
    import charset_normalizer

    best = charset_normalizer.from_bytes(data, cp_isolation=CANDIDATE_ENCODINGS).best()
    if best is None or best.chaos > 0.3:
        raise IngestError("binary or undecodable data: not text in UTF-8, UTF-16, GB18030/GBK or Big5")
    text = str(best)
    if _looks_binary(text):
        raise IngestError(f"binary data (decodes as {best.encoding} to control characters)")
    if _implausible(text):
        raise IngestError(f"binary or undecodable data (decodes as {best.encoding} to characters a Chinese report does not use)")
    return text, best.encoding


_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\ufffd]")


def _looks_binary(text: str) -> bool:
    sample = text[:20000]
    if not sample:
        return True
    return len(_CONTROL.findall(sample)) / len(sample) > 0.01


# Where the characters of a Chinese report live: ASCII, Latin-1, general punctuation,
# letterlike/number forms, arrows and maths, enclosed numbers (①), box drawing and shapes,
# CJK symbols, bopomofo, CJK extension A and unified ideographs, compatibility ideographs
# and forms, full-width forms.  Random bytes decoded as UTF-16 or a CJK code page land
# mostly elsewhere (Hangul, private use, rare blocks).
_PLAUSIBLE = ((0x09, 0x0D), (0x20, 0x7E), (0xA0, 0x17F), (0x2000, 0x27BF), (0x3000, 0x312F),
              (0x3190, 0x33FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF),
              (0xFE10, 0xFE6F), (0xFF00, 0xFFEF), (0x391, 0x3C9), (0x401, 0x451))


_IMPLAUSIBLE = re.compile("[^" + "".join(f"\\U{lo:08x}-\\U{hi:08x}" for lo, hi in _PLAUSIBLE) + "]")


def _implausible(text: str) -> bool:
    """True when fewer than 80 % of the characters could stand in a Chinese report."""
    sample = text[:20000]
    return len(_IMPLAUSIBLE.findall(sample)) > 0.2 * len(sample)
