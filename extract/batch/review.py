"""What a run does with the reviewers' corrections (OUT/corrections.duckdb).

The corrections are applied where a document's rows go into the store (`Store.update`), so
a document must be stored again whenever its corrections change, even if its file did not:
the key a run records for a document's rows gets a digest of its corrections in force
(`key#r<digest>`), and a new or withdrawn correction makes the keys differ.  Such a document is
not extracted again; its rows come from the cache.  A document that earlier runs brought in
from another input folder is stored again from the cache in the same way.
"""

from __future__ import annotations

import logging
from pathlib import Path

from ..outputs.corrections_apply import Corrector
from .cache import ResultCache
from .recover import cached_items
from .work import Item

log = logging.getLogger("libstat")
MARK = "#r"  # separates the cache keys of a document's rows from the digest of its corrections


def cache_keys(stored_key: str) -> list[str]:
    """The cache keys in a stored key (without the corrections' digest)."""
    return [k for k in stored_key.partition(MARK)[0].split(",") if k]


def keyed(unit_key: dict[str, str], units: dict[str, list[Item]], corrector: Corrector) -> dict[str, str]:
    """Each document's key with the digest of its corrections in force."""
    if not corrector:
        return unit_key
    out = {}
    for doc, key in unit_key.items():
        d = corrector.digest(i.sha256 for i in units[doc]) if key else ""
        out[doc] = f"{key}{MARK}{d}" if d else key
    return out


def outside_docs(state, units: dict[str, list[Item]], corrector: Corrector, fingerprint: str, cache: ResultCache,
                 settings, start: int) -> dict[str, list[Item]]:
    """Documents of the store that are not in this run's input and whose corrections changed,
    as items whose rows come from the cache."""
    found: dict[str, list[Item]] = {}
    late: list[str] = []
    for doc, stored in state.keys.items():
        if doc in units or doc in found:
            continue
        files = state.files.get(doc, [])
        if corrector.digest(sha for _, sha in files) == stored.partition(MARK)[2]:
            continue
        items = cached_items(doc, files, fingerprint, cache, settings, start + len(found))
        if items is None:
            late.append(doc)
        else:
            found[doc] = items
    if late:
        log.warning("the review corrections of %d document(s) outside this run's input apply when they are "
                    "extracted again (their rows are not in the cache): %s", len(late), ", ".join(late[:5]))
    return found


def warn_stale(changed: list[str], units: dict[str, list[Item]], state, corrector: Corrector, warn) -> None:
    """A document that changed drops the corrections made on its earlier content, with a warning."""
    if not corrector:
        return
    known = {i.sha256 for its in units.values() for i in its}  # what the files are now, and those outside the input
    known |= {s for d, fs in state.files.items() if d not in units for _, s in fs}
    for doc in changed:
        stale = corrector.stale(doc, known)
        if stale:
            when = max(c.at for c in stale)
            warn(f"{units[doc][0].path if units.get(doc) else doc}: {len(stale)} review correction(s) were made on "
                 f"another version of this file (last {when}) and no longer apply")


def load(out: Path) -> Corrector:
    return Corrector.load(out)
