"""Library identities over text corpora: every library name the documents give, grouped by id.

    .venv/bin/python bench/identities.py ../shared/corpus/seeds ../shared/corpus/dev ../shared/corpus/dev2

Prints the ids that more than one name maps to (with the names), the names that stand for many
libraries together (no identity), and the share of documents whose library name holds a place
for which the province is resolved.
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from pathlib import Path

from extract import gazetteer
from extract.pipeline import extract_document
from extract.stages.attribution import names_in
from extract.stages.identity import describe, is_aggregate, resolve
from extract.stages.normalize import normalize


def holds_place(name: str) -> bool:
    """Whether a name opens with a place of the gazetteer (海州图书馆 does; 经开区图书馆 does not)."""
    stem = name.removesuffix("图书馆")
    return any(gazetteer.is_place(stem[:j]) for j in range(2, min(len(stem), 12) + 1))


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("folders", nargs="+")
    args = p.parse_args()
    names: dict[str, set[str]] = defaultdict(set)
    aggregates: set[str] = set()
    with_place = resolved = 0
    for folder in args.folders:
        for path in sorted(Path(folder).glob("*.txt")):
            text = normalize(path.read_text(encoding="utf-8", errors="replace")).text
            for _, name in names_in(text):
                if not name:
                    continue
                ident = resolve(name, text)
                if ident:
                    names[ident.library_id].add(name)
                elif is_aggregate(name) or name.endswith("公共图书馆"):
                    aggregates.add(name)
            r = extract_document(path)
            if r.library and holds_place(r.library):
                with_place += 1
                resolved += bool(r.library_id and describe(r.library_id).province)
    for lid in sorted(names):
        if len(names[lid]) > 1:
            print(f"{lid}\t{describe(lid).name}\t{' / '.join(sorted(names[lid]))}")
    print(f"\n{sum(len(v) > 1 for v in names.values())} ids with more than one name, {len(names)} ids in all")
    print("no identity (many libraries):", " ".join(sorted(aggregates)))
    print(f"province resolved for {resolved}/{with_place} documents whose library name holds a place"
          f" ({resolved / max(1, with_place):.1%})")


if __name__ == "__main__":
    main()
