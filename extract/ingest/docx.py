"""Word files → one Page: paragraphs and tables in document order (python-docx).

A .docx is read directly.  A legacy .doc, or a .wps from WPS Office, is first converted to
.docx by LibreOffice (`soffice --headless --convert-to docx`) when it is installed; without
it the document is an error row that says LibreOffice is needed — never an empty document.
Each conversion uses a profile folder of its own: LibreOffice refuses to start a second
instance on a shared profile, and a batch converts in several worker processes at once.

A statistics table becomes `| cell | cell |` lines where it stands (the one table path of
every format, extract/stages/tables_text.py); cells merged across columns or rows are read once, as
in PDF tables.  A table used as a frame for prose (a single column, or cells of whole
paragraphs) is read as its paragraphs instead, so that the sentences segment as text.
Page headers and footers are left out: they are running debris.  Word keeps no pages, so
the document is one page.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

from ..model import Page
from .table_lines import table_lines

if TYPE_CHECKING:
    from .settings import IngestSettings

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a legacy .doc (OLE compound file), whatever its name
CELL_MAX = 100  # characters: a table with a longer cell holds prose, not figures
CONVERT_TIMEOUT = 180.0  # seconds for LibreOffice to convert one file (its first start is slow)
INSTALL_HINT = "apt-get install libreoffice-writer-nogui"


class DocxError(Exception):
    """A one-line reason why a Word file cannot be read."""


def read_docx(path: str | Path) -> list[Page]:
    """[page] of a .docx, or DocxError."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError):
        raise DocxError("not a readable .docx: not a Word 2007+ file (a zip package)") from None
    except Exception as e:  # a broken package can fail deep inside lxml or python-docx
        raise DocxError(f"unreadable .docx ({type(e).__name__}: {str(e)[:80]})") from None
    from docx.table import Table

    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            lines.extend(_table(block))
        else:
            lines.append(block.text)
    text = "\n".join(ln.rstrip() for ln in lines)
    if not text.strip():
        raise DocxError("Word file without text")
    return [Page(1, text)]


def _grid(table) -> list[list[str | None]]:
    """Cell texts; a place covered by a merged cell (the same cell as on its left or above) is None."""
    rows: list[list[str | None]] = []
    above: list = []
    for row in table.rows:
        cells = row.cells
        out: list[str | None] = []
        for c, cell in enumerate(cells):
            merged = (c > 0 and cell._tc is cells[c - 1]._tc) or (c < len(above) and cell._tc is above[c]._tc)
            out.append(None if merged else cell.text)
        rows.append(out)
        above = cells
    return rows


def _table(table) -> list[str]:
    grid = _grid(table)
    wide = [r for r in grid if sum(1 for c in r if c is not None) >= 2]
    prose = any(len(c) > CELL_MAX for r in grid for c in r if c)
    if len(wide) >= 2 and not prose:
        return table_lines(grid)
    return [ln for r in grid for c in r if c for ln in c.split("\n")]  # a frame around text


def soffice_cmd(settings: IngestSettings | None = None) -> str:
    """LibreOffice as asked: the setting, else $LIBSTAT_SOFFICE, else `soffice` on the PATH."""
    return (settings.soffice if settings and settings.soffice else "") or os.environ.get("LIBSTAT_SOFFICE", "") or "soffice"


def read_legacy_word(path: str | Path, settings: IngestSettings | None = None) -> list[Page]:
    """[page] of a .doc or .wps, converted to .docx by LibreOffice, or DocxError."""
    path = Path(path)
    kind = path.suffix.lower()
    cmd = soffice_cmd(settings)
    exe = shutil.which(cmd)
    if exe is None:
        raise DocxError(f"a {kind} file needs LibreOffice to be converted, and '{cmd}' is not installed ({INSTALL_HINT})")
    with tempfile.TemporaryDirectory(prefix="libstat-soffice-") as tmp:
        src = Path(tmp, "in" + kind)  # a plain name: LibreOffice names its output after the input
        shutil.copyfile(path, src)
        out_dir = Path(tmp, "out")
        argv = [exe, f"-env:UserInstallation={Path(tmp, 'profile').as_uri()}", "--headless", "--norestore",
                "--nolockcheck", "--convert-to", "docx", "--outdir", str(out_dir), str(src)]
        try:
            proc = subprocess.run(argv, capture_output=True, text=True, timeout=CONVERT_TIMEOUT,
                                  stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise DocxError(f"LibreOffice did not convert the {kind} file within {CONVERT_TIMEOUT:.0f} s") from None
        except OSError as e:
            raise DocxError(f"LibreOffice ('{cmd}') failed to start: {e}") from None
        converted = out_dir / "in.docx"
        if not converted.is_file():
            said = (proc.stderr or proc.stdout).strip().splitlines()
            raise DocxError(f"LibreOffice could not convert the {kind} file"
                            + (f": {said[-1][:100]}" if said else f" (exit code {proc.returncode})"))
        return read_docx(converted)
