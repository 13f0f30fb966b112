"""Plain data objects passed between the pipeline stages.

ingest → Document; normalize → NormText; segment → Clause list;
quantities → Quantity; rules → Mention; headline → Fact; all of it → DocResult.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Page:
    """One page of a source document (a text file is a single page)."""

    number: int
    text: str
    ocr: bool = False  # read by OCR from an image: its facts are flagged `ocr`


@dataclass
class Document:
    """What ingest produces: raw text per page plus identity and provenance."""

    doc: str  # id: path relative to the input root, without extension
    path: str
    sha256: str = ""
    pages: list[Page] = field(default_factory=list)
    encoding: str = ""
    error: str = ""  # one-line reason when the file could not be read
    flags: str = ""  # what ingest noticed but could go on with (unreadable_pages:3,4)

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.pages)


@dataclass
class Quantity:
    """A number found in text, with its unit and qualifier.

    `value` has multipliers (万, 亿, k) and unit scales (万元, GB→TB) applied.
    `kind` tells counts apart from things that only look like counts.
    """

    value: float
    unit: str | None
    qualifier: str  # exact | approx | over | under
    start: int
    end: int
    raw: str
    kind: str = "count"  # count | percent | year | date | ordinal | range | fraction | list
    value_hi: float | None = None  # upper end of a range

    def __repr__(self) -> str:  # compact, for test failure messages
        unit = self.unit or ""
        return f"Q({self.value:g}{unit} {self.qualifier} {self.kind} [{self.start}:{self.end}])"


@dataclass
class Clause:
    """The smallest span the rules bind inside: a comma/semicolon piece or a table row."""

    start: int  # offsets in the normalized text
    end: int
    text: str
    sentence_start: int
    paragraph: int
    status: str  # actual | target, from section and sentence cues
    year: int | None  # the year the section or sentence is about
    period: str = ""
    part: bool = False  # inside 其中/包括/parentheses: a part of a total stated nearby
    table_row: bool = False
    row_label: str = ""


@dataclass
class Mention:
    """A candidate figure: every quantity that met a metric trigger, taken or not."""

    metric: str
    value: float
    unit: str
    qualifier: str
    status: str
    year: int | None
    period: str
    raw: str
    start: int  # normalized-text offsets
    end: int
    clause: str
    rule: str
    part: bool = False
    taken: bool = False
    reason: str = ""
    page: int = 1
    char_start: int = 0  # offsets in the original page text
    char_end: int = 0
    evidence: str = ""
    label: str = ""
    unit_symbol: str | None = None  # the unit as written (人次, 册), before the metric's unit id
    paragraph: int = -1
    clause_start: int = 0  # normalized offsets of the clause the figure stands in
    clause_end: int = 0


def found_mention(metric: str, value: float, unit: str, qualifier: str, status: str, year: int | None,
                  period: str, raw: str, start: int, end: int, clause: str, rule: str, part: bool, reason: str,
                  unit_symbol: str | None, paragraph: int) -> Mention:
    """A Mention as the rules find it (not taken, not yet located).  Its fields passed in their
    order, here beside the class so that the order is the fields' (a keyword call of the
    dataclass costs about three times as much, and the rules make thousands a batch)."""
    return Mention(metric, value, unit, qualifier, status, year, period, raw, start, end, clause, rule, part, False,
                   reason, 1, 0, 0, "", "", unit_symbol, paragraph)


@dataclass
class Fact:
    """A headline row: one value per (doc, metric, status, year, period)."""

    doc: str
    library: str
    year: int | None
    metric: str
    value: float
    unit: str
    status: str
    period: str
    qualifier: str
    raw: str
    evidence: str
    page: int
    char_start: int
    char_end: int
    rule: str
    flags: str = ""
    library_id: str = ""  # the library's identity (extract/stages/identity.py): 510700-public


@dataclass
class DocResult:
    """Everything extracted from one document."""

    doc: str
    path: str
    sha256: str = ""
    library: str = ""
    library_id: str = ""  # the library's identity (extract/stages/identity.py): 510700-public
    year: int | None = None
    doc_type: str = ""
    period: str = ""
    pages: int = 0
    chars: int = 0
    encoding: str = ""
    error: str = ""
    flags: str = ""
    facts: list[Fact] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    seconds: float = 0.0
