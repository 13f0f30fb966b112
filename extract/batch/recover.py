"""Rebuilding a store that cannot be read (a corrupt or truncated OUT/libstat.duckdb).

The documents of this run's input come back from the cache as any changed document
does.  Documents that earlier runs brought in from other input folders are found in the
last export (OUT/docs.parquet, else docs.csv): each file's cache key is computed again
from its sha256 and name, and a document whose every file is still cached is put back
into the new store.  A document whose rows are not cached (a crash or a timeout, rules
changed since) cannot be recovered without its file and is named in the warning.
"""

from __future__ import annotations

import logging
from pathlib import Path

from .cache import ResultCache, doc_key
from .work import Item

log = logging.getLogger("libstat")


def _last_docs(out: Path):
    import pandas as pd

    try:
        if (out / "docs.parquet").is_file():
            return pd.read_parquet(out / "docs.parquet", columns=["doc", "path", "sha256"])
        if (out / "docs.csv").is_file():
            return pd.read_csv(out / "docs.csv", encoding="utf-8-sig", keep_default_na=False,
                               usecols=["doc", "path", "sha256"], dtype=str)
    except Exception as e:  # an unreadable export: only this run's input can be rebuilt
        log.warning("cannot read the last export of %s (%s): only this run's documents are rebuilt", out, e)
    return None


def recover_docs(out: Path, fingerprint: str, cache: ResultCache, units: dict[str, list[Item]],
                 settings, start: int) -> dict[str, list[Item]]:
    """doc → items for the documents of the last export that are not in `units` and are cached."""
    docs = _last_docs(out)
    if docs is None:
        return {}
    found: dict[str, list[Item]] = {}
    lost: list[str] = []
    for doc, group in docs.groupby("doc", sort=True):
        if doc in units:
            continue
        items = cached_items(str(doc), list(zip(group["path"], group["sha256"], strict=True)), fingerprint, cache,
                             settings, start + len(found))
        if items is None:
            lost.append(str(doc))
        else:
            found[str(doc)] = items
    if lost:
        log.warning("%d document(s) of earlier runs could not be recovered (not in the cache): %s",
                    len(lost), ", ".join(lost[:5]) + (" …" if len(lost) > 5 else ""))
    return found


def cached_items(doc: str, files: list[tuple[str, str]], fingerprint: str, cache: ResultCache, settings,
                 index: int) -> list[Item] | None:
    """Items for a document's files (path, sha256) whose rows are all in the cache, else None.
    Also how a document outside this run's input is stored again when its corrections change."""
    items = []
    for path, sha in files:
        key = doc_key(sha, f"{doc}{Path(path).suffix}", fingerprint) if sha else ""
        if not key or not cache.valid(key):
            return None
        items.append(Item(index=index, path=path, root=None, doc=doc, name=f"{doc}{Path(path).suffix}", sha256=sha,
                          key=key, settings=settings))
    return items
