"""Shared paths and helpers for the test suite.

The gold sets and their texts live in ../shared (beside the repo, as in CI); tests that
need them are skipped when it is missing.  Every fixture file is made by the tests
themselves in tmp_path; nothing is downloaded.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "corpus" / "seeds"
SHARED = Path(os.environ.get("LIBSTAT_SHARED", ROOT.parent / "shared")).resolve()
SCORE_PY = SHARED / "tools" / "score.py"

needs_shared = pytest.mark.skipif(not (SHARED / "gold").is_dir(), reason=f"{SHARED} (gold sets) is missing")


def gold_sets() -> list[str]:
    """Names of the gold sets under ../shared/gold whose texts are under ../shared/corpus."""
    gold = SHARED / "gold"
    if not gold.is_dir():
        return []
    return sorted(d.name for d in gold.iterdir()
                  if (d / "facts.csv").is_file() and (d / "docs.csv").is_file() and (SHARED / "corpus" / d.name).is_dir())


def libstat_cmd() -> list[str]:
    """The installed entry point when there is one, else `python -m extract.cli`."""
    exe = Path(sys.executable).parent / "libstat"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "extract.cli"]


def run_libstat(*args: str | Path, cwd: Path = ROOT, timeout: float = 300) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": "200", "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([*libstat_cmd(), *map(str, args)], cwd=cwd, capture_output=True, text=True,
                          encoding="utf-8", timeout=timeout, env=env)


def to_big5_traditional(text: str) -> str:
    """The text in traditional characters (OpenCC s2t) without the few characters Big5
    cannot encode (OpenCC writes 衆 爲 羣 啓, Big5 has only 眾 為 群 啟)."""
    import opencc

    trad = opencc.OpenCC("s2t").convert(text)
    kept = []
    for ch in trad:
        try:
            ch.encode("big5", errors="strict")
        except UnicodeEncodeError:
            continue
        kept.append(ch)
    return "".join(kept)



def same_texts(a: Path, b: Path) -> bool:
    """True when two folders hold the same .txt files, byte for byte."""
    fa, fb = sorted(a.glob("*.txt")), sorted(b.glob("*.txt"))
    return [p.name for p in fa] == [p.name for p in fb] and all(x.read_bytes() == y.read_bytes() for x, y in zip(fa, fb, strict=True))


@pytest.fixture(scope="session")
def extracted(tmp_path_factory):
    """source folder → OUT of `libstat extract SOURCE -o OUT -q`, run once per folder per
    session (the CLI loads its models once per run, which is most of a small run's time)."""
    cache: dict[Path, Path] = {}

    def get(source: Path) -> Path:
        source = source.resolve()
        if source not in cache:
            out = tmp_path_factory.mktemp(f"extract_{source.name}")
            proc = run_libstat("extract", source, "-o", out, "-q")
            assert proc.returncode == 0, proc.stdout + proc.stderr
            cache[source] = out
        return cache[source]

    return get
