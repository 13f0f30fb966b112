"""Cost linear in input size: the same text with and without its line breaks.

A report that arrives as one long line (a web page's text, a PDF without line ends)
must not cost more than the same report with its lines: the bound is twice the time.
The text is the bundled seed reports joined until it reaches --mb megabytes (of
characters); each is extracted once in this process after the models are loaded.

    .venv/bin/python bench/bench_single_line.py --mb 10
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def texts(mb: float) -> tuple[str, str]:
    seed = "\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus" / "seeds").glob("*.txt")))
    copies = max(1, round(mb * 1_000_000 / (len(seed) + 1)))
    multi = (seed + "\n") * copies
    return multi, multi.replace("\n", "")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=2.0, help="size of the text in millions of characters (default 2)")
    args = ap.parse_args(argv)
    from extract.batch.work import warm_up
    from extract.pipeline import extract_text

    warm_up()
    multi, single = texts(args.mb)
    took = {}
    for name, text in (("with line breaks", multi), ("one line", single)):
        t = time.perf_counter()
        res = extract_text(text)
        took[name] = time.perf_counter() - t
        print(f"{name:>16}: {len(text) / 1e6:5.2f} M characters, {len(res.mentions):6d} mentions, {took[name]:7.2f} s")
    ratio = took["one line"] / took["with line breaks"]
    print(f"one line / with line breaks: {ratio:.2f} (bound: 2)")
    return 0 if ratio <= 2 else 1


if __name__ == "__main__":
    sys.exit(main())
