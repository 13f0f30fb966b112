"""The per-document result cache under OUT/.cache/.

A document's rows depend on its bytes, its name (the doc id and the reader chosen by
its suffix), the rules and the code, so the key hashes exactly these: the file's
sha256, its path relative to the input root, `rules_fingerprint()`, the package
version and a hash of the package's source files (so that an edited pipeline counts
as a new version even before the version number moves).  Editing a rule therefore
invalidates every entry, and a renamed, changed or new file misses.

Each entry is written to a temporary file and renamed into place, so a run killed at
any moment leaves only whole entries: the next run takes them and extracts the rest
(that is how a batch resumes).  Each entry starts with a digest of its payload: an entry
that is truncated or corrupt (a bad disk, a copy cut short) reads as missing, and its
document is extracted again (`valid`).  Entries that no document of the store refers to any
more are removed after a run that changed the store (`sweep`).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from functools import cache
from pathlib import Path

CACHE_DIR = ".cache"
SUFFIX = ".rows"
MAGIC = b"LSR1"
DIGEST = 16  # bytes of sha256 kept in front of the payload


@cache
def code_fingerprint() -> str:
    """Package version plus a hash of the package's own source files."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        ver = version("libstat")
    except PackageNotFoundError:  # run from a source tree without installing
        ver = "0"
    h = hashlib.sha256(ver.encode())
    root = Path(__file__).resolve().parent.parent  # the whole package, every subpackage
    for path in sorted(root.rglob("*.py")):
        h.update(path.relative_to(root).as_posix().encode())
        h.update(path.read_bytes())
    return f"{ver}-{h.hexdigest()[:12]}"


def run_fingerprint(settings: object = None) -> str:
    """What every cache key of a run shares: rules, code and ingest settings."""
    from ..ingest.settings import IngestSettings
    from ..resources import rules_fingerprint

    h = hashlib.sha256()
    for part in (rules_fingerprint(), code_fingerprint(), repr(settings or IngestSettings())):
        h.update(part.encode())
        h.update(b"\0")
    return h.hexdigest()[:16]


def file_sha256(path: Path) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def doc_key(sha256: str, name: str, fingerprint: str) -> str:
    return hashlib.sha256(f"{sha256}\0{name}\0{fingerprint}".encode()).hexdigest()


class ResultCache:
    """Serialized rows of finished documents, one file per key."""

    def __init__(self, out_dir: str | Path):
        self.root = Path(out_dir) / CACHE_DIR
        self._dirs: set[Path] = set()  # subfolders known to exist

    def path(self, key: str) -> Path:
        return self.root / key[:2] / (key + SUFFIX)

    def has(self, key: str) -> bool:
        return self.path(key).is_file()

    def get(self, key: str) -> bytes | None:
        """The payload, or None when the entry is missing, truncated or corrupt."""
        try:
            data = self.path(key).read_bytes()
        except OSError:
            return None
        head = len(MAGIC) + DIGEST
        if len(data) < head or data[:len(MAGIC)] != MAGIC \
                or hashlib.sha256(data[head:]).digest()[:DIGEST] != data[len(MAGIC):head]:
            return None
        return data[head:]

    def valid(self, key: str) -> bool:
        return self.get(key) is not None

    def put(self, key: str, payload: bytes) -> None:
        target = self.path(key)
        if target.parent not in self._dirs:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._dirs.add(target.parent)
        tmp = target.with_name(f".tmp-{os.getpid()}-{target.name}")  # one writer per key and process
        try:
            with open(tmp, "wb") as f:
                f.write(MAGIC + hashlib.sha256(payload).digest()[:DIGEST])
                f.write(payload)
            os.replace(tmp, target)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise

    def keys(self) -> set[str]:
        if not self.root.is_dir():
            return set()
        return {p.name[: -len(SUFFIX)] for p in self.root.glob("??/*" + SUFFIX)}

    def sweep(self, keep: set[str], started: float) -> int:
        """Remove entries not in `keep`, and temporary files older than this run
        (left by a killed run).  Returns the number of files removed."""
        removed = 0
        if not self.root.is_dir():
            return 0
        for p in [*self.root.glob("??/*"), *self.root.glob(".tmp-*")]:
            if p.name.endswith(SUFFIX):
                stale = p.name[: -len(SUFFIX)] not in keep
            else:
                stale = p.name.startswith(".tmp-") and p.stat().st_mtime < started
            if stale:
                p.unlink(missing_ok=True)
                removed += 1
        return removed

    def write_text(self, name: str, text: str) -> None:
        """A small state file (the export token), replaced atomically."""
        self.root.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=self.root)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, self.root / name)

    def read_text(self, name: str) -> str:
        try:
            return (self.root / name).read_text(encoding="utf-8")
        except OSError:
            return ""
