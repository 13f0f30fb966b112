"""Where the language resources live and how they are read (cached, read once per process)."""

from __future__ import annotations

import hashlib
import os
from functools import cache
from pathlib import Path
from typing import Any


def rules_dir() -> Path:
    """The rules folder: $LIBSTAT_RULES, else `rules/` beside the package."""
    env = os.environ.get("LIBSTAT_RULES")
    return Path(env) if env else Path(__file__).resolve().parent.parent / "rules"


@cache
def load_yaml(name: str) -> Any:
    """Safe loading, by libyaml when PyYAML has it: the pure-Python parser takes a third
    of a second for the rules, paid by every process (each worker of a batch)."""
    import yaml

    with open(rules_dir() / name, encoding="utf-8") as f:
        return yaml.load(f, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def rules_fingerprint() -> str:
    """A hash of every rule file: part of the cache key of an extraction."""
    h = hashlib.sha256()
    for path in sorted(rules_dir().rglob("*")):
        if path.is_file():
            h.update(path.relative_to(rules_dir()).as_posix().encode())
            h.update(path.read_bytes())
    return h.hexdigest()[:16]
