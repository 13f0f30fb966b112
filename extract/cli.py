"""Command line: libstat extract | query | evaluate | explain | export | review.

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
    e.add_argument("-o", "--out", required=True, help="output folder for facts/mentions/docs/wide/libraries tables")
    e.add_argument("-j", "--jobs", type=_positive_int, default=None, metavar="N",
                   help="at most N worker processes (default: all cores; a small run starts one per 4 documents)")
    e.add_argument("--timeout", type=float, default=120.0, metavar="SECONDS",
                   help="stop a document after this long and record it as an error (default 120; 0: never)")
    e.add_argument("--no-cache", action="store_true",
                   help="extract every document again, even unchanged ones found in OUT/.cache")
    e.add_argument("--prune", action="store_true",
                   help="drop from the tables the documents that are no longer in the input")
    e.add_argument("--dask", metavar="ADDRESS",
                   help="run on a Dask scheduler (tcp://host:8786) instead of local processes")
    e.add_argument("--stats", metavar="FILE", help="also write the run's figures as JSON to FILE")
    e.add_argument("--ocr", choices=("auto", "never", "always"), default="auto",
                   help="OCR of scans and images: auto (pages without a text layer), never, always (every PDF page)")
    e.add_argument("--no-wait", action="store_true",
                   help="if another run is writing OUT, exit at once (status 1) instead of waiting for it")
    e.add_argument("-q", "--quiet", action="store_true", help="no progress; print only warnings and the summary")
    e.add_argument("--debug", action="store_true", help="show tracebacks")
    q = sub.add_parser("query", help="answer SQL over the tables of an extraction (OUT/libstat.duckdb)")
    q.add_argument("out_dir", metavar="OUT", help="folder of a libstat extraction")
    q.add_argument("sql", metavar="SQL", help='a query over facts, mentions, docs, wide, libraries: "SELECT * FROM wide"')
    q.add_argument("--csv", action="store_true", help="print CSV instead of a table")
    v = sub.add_parser("evaluate", help="score an extraction against a gold set (METRICS.md scoring), "
                                        "or against its reviewers' corrections",
                       usage="libstat evaluate GOLD_DIR OUT [--no-misses]\n       libstat evaluate --corrections OUT "
                             "[--no-misses]")
    v.add_argument("dirs", nargs="*", metavar="GOLD_DIR OUT",
                   help="folder with the gold docs.csv and facts.csv, and the folder of a libstat extraction")
    v.add_argument("--corrections", metavar="OUT",
                   help="score OUT's rules against what its reviewers accepted, corrected, added and rejected")
    v.add_argument("--no-misses", action="store_true", help="do not list wrong and missed rows")
    v.set_defaults(usage_error=v.error)  # GOLD_DIR OUT or --corrections OUT: checked after parsing
    x = sub.add_parser("explain", help="show each figure of one report and why it was or was not taken")
    x.add_argument("file", help="a report file")
    x.add_argument("--all", action="store_true", help="also show figures that matched no metric")
    w = sub.add_parser("export", help="write an extraction as one Excel workbook (wide, facts, docs, errors)")
    w.add_argument("out_dir", metavar="OUT", help="folder of a libstat extraction")
    w.add_argument("--xlsx", required=True, metavar="FILE", help="the workbook to write (.xlsx)")
    w.add_argument("--labels", choices=("en", "zh"), default="en", help="column headers: ids (en) or Chinese (zh)")
    r = sub.add_parser("review", help="review pages: each report with its extracted figures highlighted, "
                                      "as static HTML or served for correcting figures")
    r.add_argument("out_dir", metavar="OUT", help="folder of a libstat extraction")
    how = r.add_mutually_exclusive_group(required=True)
    how.add_argument("--html", metavar="DIR", help="folder for index.html and one page per document")
    how.add_argument("--serve", action="store_true",
                     help="serve the pages locally, where figures can be accepted, rejected, corrected and added "
                          "(stored in OUT/corrections.duckdb)")
    r.add_argument("--port", type=int, default=8765, metavar="N", help="port to serve on (default 8765; 0: any free one)")
    r.add_argument("--host", default="127.0.0.1", help="address to serve on (default 127.0.0.1: this machine only)")
    r.add_argument("--reviewer", metavar="NAME", help="who the corrections are stored as (default: the OS user)")
    r.add_argument("--root", metavar="DIR", help="folder the docs.path of OUT are relative to (default: here)")
    return p


def _positive_int(text: str) -> int:
    n = int(text)
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {text}")
    return n


def _extract(args: argparse.Namespace) -> int:
    from .batch.run import BatchError, Interrupted, run_batch
    from .outputs.store import StoreError

    try:
        summary = run_batch(args.inputs, args.out, quiet=args.quiet, jobs=args.jobs, timeout=args.timeout,
                            use_cache=not args.no_cache, prune=args.prune, dask=args.dask, debug=args.debug,
                            ocr=args.ocr, wait=not args.no_wait)
    except Interrupted as exc:
        print(f"libstat: interrupted; the tables in {args.out} are unchanged; {exc.finished} documents "
              "finished in this run are cached, and the next run resumes from them", file=sys.stderr)
        return 130
    except KeyboardInterrupt:
        print("libstat: interrupted", file=sys.stderr)
        return 130
    except (BatchError, StoreError) as exc:
        if args.debug:
            raise
        print(f"libstat: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # the batch itself failed (e.g. output not writable)
        if args.debug:
            raise
        print(f"libstat: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    print(summary.line())
    if args.stats:
        import json
        from pathlib import Path

        Path(args.stats).write_text(json.dumps(summary.as_dict(), indent=1) + "\n", encoding="utf-8")
    return 0 if summary.ok else 1


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING if getattr(args, "quiet", False) else logging.INFO,
                        format="%(levelname)s %(message)s", stream=sys.stderr)
    if args.command == "extract":
        return _extract(args)
    if args.command == "query":
        from .outputs.query import run_query

        return run_query(args.out_dir, args.sql, as_csv=args.csv)
    if args.command == "evaluate":
        return _evaluate(args)
    if args.command == "export":
        from .outputs.export import run_export

        return run_export(args.out_dir, args.xlsx, labels=args.labels)
    if args.command == "review":
        if args.serve:
            from .outputs.review_server import run_serve

            return run_serve(args.out_dir, root=args.root, host=args.host, port=args.port, reviewer=args.reviewer)
        from .outputs.review import run_review

        return run_review(args.out_dir, args.html, root=args.root)
    if args.command == "explain":
        from .checks.explain import explain

        return explain(args.file, show_all=args.all)
    return 2


def _evaluate(args: argparse.Namespace) -> int:
    from .checks.evaluate import evaluate, report

    if args.corrections:
        if args.dirs:
            args.usage_error("takes either GOLD_DIR OUT or --corrections OUT")
        from .checks.review_score import evaluate_corrections, review_report

        try:
            print(review_report(evaluate_corrections(args.corrections), misses=not args.no_misses))
        except (OSError, ValueError) as exc:
            print(f"libstat: cannot evaluate the corrections: {exc}", file=sys.stderr)
            return 1
        return 0
    if len(args.dirs) != 2:
        args.usage_error("needs GOLD_DIR and OUT (or --corrections OUT)")
    try:
        score = evaluate(*args.dirs)
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


if __name__ == "__main__":
    sys.exit(main())
