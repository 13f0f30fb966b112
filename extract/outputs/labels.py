"""Chinese labels for metric ids and table columns (`rules/labels_zh.yaml`).

Labels are data, not code, so that a librarian can correct a term (到馆人次 or 总流通人次)
without touching the exporter, the review pages or the notebook, which all read them here.
An id without a label falls back to the id itself: a new metric never breaks an export.
"""

from __future__ import annotations

from ..resources import load_yaml

LABELS_FILE = "labels_zh.yaml"


def _section(name: str) -> dict[str, str]:
    data = load_yaml(LABELS_FILE) or {}
    return {str(k): str(v) for k, v in (data.get(name) or {}).items()}


def metric_labels() -> dict[str, str]:
    """metric id → 中文 (visits → 到馆人次)."""
    return _section("metrics")


def metric_label(metric: str) -> str:
    return metric_labels().get(metric, metric)


def column_labels(metrics_too: bool = True) -> dict[str, str]:
    """column name → 中文; metric columns of `wide` included unless `metrics_too` is False."""
    labels = _section("columns")
    if metrics_too:
        labels = {**metric_labels(), **labels}
    return labels


def value_labels(kind: str) -> dict[str, str]:
    """Labels of coded values: kind is `units`, `statuses` or `qualifiers`."""
    return _section(kind)
