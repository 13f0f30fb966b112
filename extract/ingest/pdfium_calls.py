"""The few PDFium functions the PDF layout calls per line or per page object, bound lean.

pypdfium2's raw bindings type every handle as its own ctypes pointer class, so each call
converts its arguments and wraps the returned handle in a new ctypes object: about 1.3 µs a
call, which on a page of a thousand objects or a hundred lines costs as much as PDFium's own
parsing.  The same C functions called through cffi (ABI mode: no compiler, the prototypes
are declared here) on plain `void *` handles take a fraction of that — less than ctypes
even on `void *`, whose every call still converts each argument through its prototype.
The addresses come from pypdfium2's own function objects, so it is the very library
pypdfium2 loaded and initialised.

Where the C module `_pdfium_loops` was built (pip builds it where a C compiler is; it is
optional), the loops that make most of these calls — a page's walk over its objects, a
text page's lines — run in C on the same function pointers (`loops()`): the same result,
a fraction of the cost.  Without it the same loops run in Python (pdf_runs.py).
"""

from __future__ import annotations

import ctypes
from functools import lru_cache

import cffi

ffi = cffi.FFI()

# name: C type of the function pointer (PDFium's prototypes, handles as void *), in the order
# _pdfium_loops.bind() takes their addresses
_PROTOTYPES = {
    "FPDFPage_CountObjects": "int(*)(void *)",
    "FPDFPage_GetObject": "void *(*)(void *, int)",
    "FPDFPageObj_GetType": "int(*)(void *)",
    "FPDFPath_CountSegments": "int(*)(void *)",
    "FPDFFormObj_CountObjects": "int(*)(void *)",
    "FPDFFormObj_GetObject": "void *(*)(void *, unsigned long)",
    "FPDFText_GetCharBox": "int(*)(void *, int, double *, double *, double *, double *)",
    "FPDFText_GetCharOrigin": "int(*)(void *, int, double *, double *)",
    "FPDFText_GetFontSize": "double(*)(void *, int)",
    "FPDFText_HasUnicodeMapError": "int(*)(void *, int)",
}


class Calls:
    """PDFium text-page and page-object calls on `void *` handles (see `handle`)."""

    def __init__(self) -> None:
        import pypdfium2.raw as raw

        def bind(name: str):
            return ffi.cast(_PROTOTYPES[name], ctypes.cast(getattr(raw, name), ctypes.c_void_p).value)

        self.char_box = bind("FPDFText_GetCharBox")
        self.char_origin = bind("FPDFText_GetCharOrigin")
        self.font_size = bind("FPDFText_GetFontSize")
        self.map_error = bind("FPDFText_HasUnicodeMapError")
        self.count_objects = bind("FPDFPage_CountObjects")
        self.get_object = bind("FPDFPage_GetObject")
        self.object_type = bind("FPDFPageObj_GetType")
        self.path_segments = bind("FPDFPath_CountSegments")
        self.form_count = bind("FPDFFormObj_CountObjects")
        self.form_object = bind("FPDFFormObj_GetObject")
        self.PATH, self.FORM = raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_FORM


@lru_cache(maxsize=1)
def calls() -> Calls:
    return Calls()


@lru_cache(maxsize=1)
def loops():
    """The C loops (`_pdfium_loops`) bound to pypdfium2's PDFium, or None where the module
    was not built (the layout then runs its Python loops)."""
    try:
        from . import _pdfium_loops
    except ImportError:
        return None
    import pypdfium2.raw as raw

    _pdfium_loops.bind(*(ctypes.cast(getattr(raw, name), ctypes.c_void_p).value for name in _PROTOTYPES),
                       raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_FORM)
    return _pdfium_loops


def address(obj) -> int:
    """A pypdfium2 handle (`page.raw`, `textpage.raw`) as the address the C loops take (0: none)."""
    return ctypes.cast(obj, ctypes.c_void_p).value or 0


def handle(obj):
    """A pypdfium2 handle (`page.raw`, `textpage.raw`) as the `void *` the calls take."""
    return ffi.cast("void *", address(obj))
