"""Command line: libstat extract | evaluate | explain.

Imports are lazy so that `libstat --help` starts fast."""

from __future__ import annotations

import argparse
import logging
import sys


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="libstat", description="Figures from Chinese public-library reports, as tables.")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    e = sub.add_parser("extract", help="extract the tables from report files or folders")
    e.add_argument("inputs", nargs="+", metavar="INPUT", help="report files or folders (searched recursively)")
    e.add_argument("-o", "--out", required=True, help="output folder for facts/mentions/docs/wide tables")
    e.add_argument("-q", "--quiet", action="store_true", help="print only the summary")
    e.add_argument("--debug", action="store_true", help="show tracebacks")
    v = sub.add_parser("evaluate", help="score an extraction against a gold set (METRICS.md scoring)")
    v.add_argument("gold_dir", help="folder with the gold docs.csv and facts.csv")
    v.add_argument("out_dir", help="folder of a libstat extraction")
    v.add_argument("--no-misses", action="store_true", help="do not list wrong and missed rows")
    x = sub.add_parser("explain", help="show each figure of one report and why it was or was not taken")
    x.add_argument("file", help="a report file")
    x.add_argument("--all", action="store_true", help="also show figures that matched no metric")
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING if getattr(args, "quiet", False) else logging.INFO,
                        format="%(levelname)s %(message)s", stream=sys.stderr)
    if args.command == "extract":
        from .batch import run_batch

        try:
            summary = run_batch(args.inputs, args.out, quiet=args.quiet)
        except Exception as exc:  # the batch itself failed (e.g. output not writable)
            if args.debug:
                raise
            print(f"libstat: {type(exc).__name__}: {exc}", file=sys.stderr)
            return 1
        print(summary.line())
        return 0 if summary.ok else 1
    if args.command == "evaluate":
        from .evaluate import evaluate, report

        try:
            score = evaluate(args.gold_dir, args.out_dir)
        except (OSError, KeyError, ValueError) as exc:  # a missing or malformed gold set or extraction
            if isinstance(exc, OSError) and exc.filename:
                reason = f"{exc.strerror or exc}: {exc.filename}"
            elif isinstance(exc, KeyError):
                reason = f"a CSV lacks the column {exc}"
            else:
                reason = str(exc)
            print(f"libstat: cannot evaluate: {reason}", file=sys.stderr)
            return 1
        print(report(score, misses=not args.no_misses))
        return 0
    if args.command == "explain":
        from .explain import explain

        return explain(args.file, show_all=args.all)
    return 2


if __name__ == "__main__":
    sys.exit(main())
