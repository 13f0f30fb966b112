"""The archive section of `make bench`: a batch as a user runs it, through the CLI.

    .venv/bin/python bench/bench_archive.py --archive 2000

The archive (bench/work/archive/) is made of the bundled reports (corpus/seeds), the
shared corpora (../shared/corpus/*/*.txt, when present) and, when the package can read
PDFs, PDF renderings of them (tests/render_pdf.py), copied under distinct names with
distinct bytes (a trailing whitespace pattern; a comment after %%EOF for a PDF), so that
every copy is a document of its own for the cache.  A PDF costs a hundred times a text
file to read, so PDFs are a share of the archive (--pdf-share) that keeps the benchmark
within minutes.

Runs, each `libstat extract ARCHIVE -o OUT -q --stats FILE` in a subprocess:
  1. -j1 into a fresh OUT;             2. -j2 into another fresh OUT;
  3. -j2 again, nothing changed;       4. -j2 after a rule file's content changed
The rules are a copy under bench/work/rules ($LIBSTAT_RULES), so that step 4 never
touches the repository's rules.

Printed: documents per second at -j1 and -j2 over the whole run and after the workers'
start-up (first to last result), the speed-up, the unchanged rerun and the run after
the rule edit as shares of the first -j2 run, and the peak resident memory per worker
(ru_maxrss as each worker reports it) and of the main process.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("LIBSTAT_SHARED", ROOT.parent / "shared"))
WORK = ROOT / "bench" / "work"


def text_sources() -> list[Path]:
    """Bundled and shared report texts, each content once."""
    seen, out = set(), []
    for p in sorted((ROOT / "corpus" / "seeds").glob("*.txt")) + sorted(SHARED.glob("corpus/*/*.txt")):
        h = hashlib.sha256(p.read_bytes()).hexdigest()
        if h not in seen:
            seen.add(h)
            out.append(p)
    return out


def pdf_sources(texts: list[Path], dest: Path) -> tuple[list[Path], str]:
    """PDF renderings of the texts, or none and the reason."""
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "tests"))  # the PDF renderer, a test helper
    from extract.ingest import dispatch as ingest

    if ".pdf" not in getattr(ingest, "SUPPORTED_SUFFIXES", getattr(ingest, "TEXT_SUFFIXES", set())):
        return [], "the package cannot read PDFs yet"
    try:
        from render_pdf import Layout, cjk_font_path, render
    except ImportError as e:
        return [], f"no PDF renderer ({e})"
    if cjk_font_path() is None:
        return [], "no CJK font to render PDFs with (make installs fonts-wqy-zenhei)"
    dest.mkdir(parents=True, exist_ok=True)
    pdfs = [render(t.read_text(encoding="utf-8"), dest / f"{t.parent.name}_{t.stem}.pdf",
                   Layout(header="工作资料", fake_bold_title=True)) for t in texts]
    return [Path(p) for p in pdfs], ""


def build_archive(n: int, pdf_share: float, dest: Path) -> str:
    """n documents under dest; returns a one-line description."""
    if dest.exists():
        shutil.rmtree(dest)
    texts = text_sources()
    pdfs, why_not = pdf_sources(texts, WORK / "pdf-sources")
    n_pdf = round(n * pdf_share) if pdfs else 0
    n_txt = n - n_pdf
    for i in range(n):
        folder = dest / f"f{i % 20:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        if i < n_txt:
            src = texts[i % len(texts)]
            tail = ("\n" + format(i, "b").replace("0", " ").replace("1", "\t") + "\n").encode("ascii")
        else:
            src = pdfs[(i - n_txt) % len(pdfs)]
            tail = f"\n%libstat-bench copy {i}\n".encode("ascii")
        (folder / f"{i:05d}_{src.parent.name}_{src.name}").write_bytes(src.read_bytes() + tail)
    size = sum(p.stat().st_size for p in dest.rglob("*") if p.is_file())
    what = f"{n_txt} copies of {len(texts)} report texts"
    what += f", {n_pdf} copies of {len(pdfs)} PDF renderings" if n_pdf else f"; no PDFs: {why_not}"
    return f"{n} documents ({what}), {size / 1e6:.1f} MB"


def run(archive: Path, out: Path, jobs: int, env: dict, extra: tuple[str, ...] = ()) -> tuple[float, dict]:
    exe = Path(sys.executable).parent / "libstat"
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "extract.cli"]
    stats = out.parent / f"{out.name}.stats.json"
    t = time.perf_counter()
    proc = subprocess.run([*cmd, "extract", str(archive), "-o", str(out), "-q", f"-j{jobs}", "--stats", str(stats),
                           *extra], cwd=ROOT, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t
    if proc.returncode != 0:
        sys.exit(f"libstat extract failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr[-2000:]}")
    return wall, json.loads(stats.read_text(encoding="utf-8"))


def steady_rate(s: dict) -> float:
    """Documents per second between the first and the last result (the workers' start-up excluded)."""
    span = s["last_result_s"] - s["first_result_s"]
    return (s["extracted"] - 1) / span if span > 0 and s["extracted"] > 1 else 0.0


def archive_section(n: int, pdf_share: float) -> None:
    archive = WORK / "archive"
    print(f"archive: {build_archive(n, pdf_share, archive)} in {archive.relative_to(ROOT)}")
    rules = WORK / "rules"
    if rules.exists():
        shutil.rmtree(rules)
    shutil.copytree(ROOT / "rules", rules)
    env = {**os.environ, "LIBSTAT_RULES": str(rules)}
    for d in ("out-j1", "out-j2"):
        shutil.rmtree(WORK / d, ignore_errors=True)

    t1, s1 = run(archive, WORK / "out-j1", 1, env)
    t2, s2 = run(archive, WORK / "out-j2", 2, env)
    t3, s3 = run(archive, WORK / "out-j2", 2, env)
    with (rules / "metrics" / "lectures.yaml").open("a", encoding="utf-8") as f:
        f.write("\n# bench: an edit that changes the rules' fingerprint and nothing else\n")
    t4, s4 = run(archive, WORK / "out-j2", 2, env)

    r1, r2 = n / t1, n / t2
    q1, q2 = steady_rate(s1), steady_rate(s2)
    print(f"documents {n}, failed {s2['failed']}, facts {s2['facts']}")
    print("                       whole run            after start-up (first to last result)")
    print(f"  -j1                 {t1:7.2f} s {r1:7.1f} docs/s    {q1:7.1f} docs/s")
    print(f"  -j2                 {t2:7.2f} s {r2:7.1f} docs/s    {q2:7.1f} docs/s")
    print(f"  speed-up -j2/-j1    {t1 / t2:7.2f}                {q2 / q1 if q1 else 0:7.2f}          (aim: 1.8 or more)")
    print(f"  unchanged rerun     {t3:7.2f} s = {t3 / t2:6.1%} of the first -j2 run; "
          f"{s3['extracted']} documents extracted  (aim: 5 % or less)")
    print(f"  after a rule edit   {t4:7.2f} s = {t4 / t2:6.1%} of the first -j2 run; "
          f"{s4['extracted']} documents extracted again")
    print(f"  peak memory per worker: {s1['peak_worker_mb']:.0f} MB at -j1, {s2['peak_worker_mb']:.0f} MB at -j2 "
          f"(aim: under 400 MB); main process {max(s1['peak_main_mb'], s2['peak_main_mb']):.0f} MB")
    print(f"  phases of the -j2 run (s): {json.dumps(s2['phases'])}; worker start-up "
          f"(first result) {s2['first_result_s']:.1f} s")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--archive", type=int, default=2000, help="documents in the archive (default 2000)")
    ap.add_argument("--pdf-share", type=float, default=0.05, help="share of PDF renderings (default 0.05)")
    a = ap.parse_args(argv)
    archive_section(max(1, a.archive), a.pdf_share)
    return 0


if __name__ == "__main__":
    sys.exit(main())
