"""The few PDFium functions the PDF layout calls per line or per page object, bound lean.

pypdfium2's raw bindings type every handle as its own pointer class, so each call converts
its arguments and wraps the returned handle in a new ctypes object: about 1.3 µs a call,
which on a page of a thousand objects or a hundred lines costs as much as PDFium's own
parsing.  The same C functions, prototyped here on plain `void *` and `int`, take a
fraction of that: handles pass as Python ints.  The addresses come from pypdfium2's own
function objects, so it is the very library pypdfium2 loaded and initialised.
"""

from __future__ import annotations

import ctypes
from functools import lru_cache

_VP, _INT, _DBL = ctypes.c_void_p, ctypes.c_int, ctypes.c_double


def _bind(func, restype, *argtypes):
    """A prototype of the C function behind a pypdfium2 raw function."""
    return ctypes.CFUNCTYPE(restype, *argtypes)(ctypes.cast(func, _VP).value)


class Calls:
    """PDFium text-page and page-object calls on int handles."""

    def __init__(self) -> None:
        import pypdfium2.raw as raw

        self.char_box = _bind(raw.FPDFText_GetCharBox, _INT, _VP, _INT, _VP, _VP, _VP, _VP)
        self.char_origin = _bind(raw.FPDFText_GetCharOrigin, _INT, _VP, _INT, _VP, _VP)
        self.font_size = _bind(raw.FPDFText_GetFontSize, _DBL, _VP, _INT)
        self.map_error = _bind(raw.FPDFText_HasUnicodeMapError, _INT, _VP, _INT)
        self.count_objects = _bind(raw.FPDFPage_CountObjects, _INT, _VP)
        self.get_object = _bind(raw.FPDFPage_GetObject, _VP, _VP, _INT)
        self.object_type = _bind(raw.FPDFPageObj_GetType, _INT, _VP)
        self.path_segments = _bind(raw.FPDFPath_CountSegments, _INT, _VP)
        self.form_count = _bind(raw.FPDFFormObj_CountObjects, _INT, _VP)
        self.form_object = _bind(raw.FPDFFormObj_GetObject, _VP, _VP, _INT)
        self.PATH, self.FORM = raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_FORM


@lru_cache(maxsize=1)
def calls() -> Calls:
    return Calls()


def handle(obj) -> int:
    """The address of a pypdfium2 handle (`page.raw`, `textpage.raw`) as an int."""
    return ctypes.cast(obj, _VP).value or 0
