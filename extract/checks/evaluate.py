"""Evaluate an extraction against a gold set, by the scoring of METRICS.md.

A predicted row matches a gold row when doc, metric, status and year are equal and
the value equals the gold value or one of its alt_values within 0.5 %.  Each gold
row is matched at most once.  This mirrors ../shared/tools/score.py, and the test
suite checks that both give the same figures.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

TOLERANCE = 0.005


def _read(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def _num(x) -> float | None:
    try:
        return float(str(x).replace(",", ""))
    except ValueError:
        return None


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return False
    if b == 0:
        return a == 0
    return abs(a - b) / abs(b) <= TOLERANCE


def _key(row: dict) -> tuple[str, str, str, str]:
    year = str(row.get("year", "") or "").strip().removesuffix(".0")
    return (row["doc"].strip(), row["metric"].strip(), row["status"].strip(), year)


class Rates:
    """Precision, recall and F1 of a score with `tp`, `gold` and `judged` (the rows the
    extraction gave that were scored)."""

    tp: int
    gold: int

    @property
    def judged(self) -> int:
        raise NotImplementedError

    @property
    def precision(self) -> float:
        return self.tp / self.judged if self.judged else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Score(Rates):
    tp: int = 0
    predicted: int = 0
    gold: int = 0
    per_metric: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0, 0]))
    wrong: list[tuple] = field(default_factory=list)
    missed: list[tuple] = field(default_factory=list)
    library_ok: int = 0
    year_ok: int = 0
    n_docs: int = 0

    @property
    def judged(self) -> int:
        return self.predicted


def evaluate(gold_dir: str | Path, out_dir: str | Path) -> Score:
    gold_dir, out_dir = Path(gold_dir), Path(out_dir)
    gold = _read(gold_dir / "facts.csv")
    gold_docs = {r["doc"]: r for r in _read(gold_dir / "docs.csv")}
    pred = [r for r in _read(out_dir / "facts.csv") if r["doc"].strip() in gold_docs]
    want = {}
    for r in gold:
        vals = [_num(r["value"])] + [_num(v) for v in (r.get("alt_values") or "").split(";") if v.strip()]
        want[_key(r)] = (vals, r)
    s = Score(predicted=len(pred), gold=len(want), n_docs=len(gold_docs))
    matched = set()
    for r in pred:
        k = _key(r)
        s.per_metric[k[1]][1] += 1
        g = want.get(k)
        if g and k not in matched and any(_close(_num(r["value"]), v) for v in g[0]):
            matched.add(k)
            s.tp += 1
            s.per_metric[k[1]][0] += 1
        else:
            s.wrong.append((k, r.get("value"), r.get("evidence", ""), g[0] if g else None))
    for k, (_, row) in want.items():
        s.per_metric[k[1]][2] += 1
        if k not in matched:
            s.missed.append((k, row.get("value"), row.get("evidence", "")))
    docs_path = out_dir / "docs.csv"
    if docs_path.exists():
        pdocs = {r["doc"].strip(): r for r in _read(docs_path)}
        for d, g in gold_docs.items():
            p = pdocs.get(d)
            if p is None:
                continue
            s.library_ok += p.get("library", "").strip() == g["library"]
            s.year_ok += str(p.get("year", "")).strip().removesuffix(".0") == g["year"]
    return s


def metric_lines(per_metric: dict[str, tuple[int, int, int]], judged: str = "pred") -> list[str]:
    """One line per metric: matched, judged (predicted) and gold rows, precision, recall, F1."""
    lines = [f"{'metric':26} {'tp':>4} {judged:>{max(5, len(judged))}} {'gold':>5}   P      R      F1"]
    for m in sorted(per_metric):
        tp, pr, g = per_metric[m]
        p = tp / pr if pr else 0.0
        r = tp / g if g else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        lines.append(f"{m:26} {tp:4} {pr:{max(5, len(judged))}} {g:5}  {p:5.3f}  {r:5.3f}  {f:5.3f}")
    return lines


def report(s: Score, misses: bool = True) -> str:
    lines = metric_lines(s.per_metric)
    if misses:
        for k, v, ev, g in s.wrong:
            lines.append(f"WRONG  {' '.join(k)}  pred {v}  gold {g}  | {ev}")
        for k, v, ev in s.missed:
            lines.append(f"MISSED {' '.join(k)}  gold {v}  | {ev}")
    lines.append(f"library accuracy {s.library_ok}/{s.n_docs}  year accuracy {s.year_ok}/{s.n_docs}")
    lines.append(f"precision {s.precision:.3f} ({s.tp}/{s.predicted})  recall {s.recall:.3f} ({s.tp}/{s.gold})")
    lines.append(f"F1 {s.f1:.3f}")
    return "\n".join(lines)
