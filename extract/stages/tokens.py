"""Word tokens: spaCy's blank Chinese pipeline with the jieba segmenter and the domain
lexicon (rules/lexicon.txt: 人次, 册次, 流通人次, 文献入藏量 …).

Numbers are never read from tokens (jieba cuts 56万余册次 into 56 / 万余册 / 次); tokens
serve the words around a figure (the `label` of a mention) and the place-name test of
library attribution.  Loading costs about a second, so it happens once per process and
only when a document has a figure to label.
"""

from __future__ import annotations

from functools import lru_cache

from ..resources import rules_dir


@lru_cache(maxsize=1)
def _jieba():
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.load_userdict(str(rules_dir() / "lexicon.txt"))
    return jieba


@lru_cache(maxsize=1)
def nlp():
    """spaCy blank `zh` with the jieba segmenter (no model download)."""
    _jieba()  # the user dictionary must be in jieba before spaCy wraps it
    from spacy.lang.zh import Chinese

    return Chinese.from_config({"nlp": {"tokenizer": {"segmenter": "jieba"}}})


def tokens(text: str) -> tuple[str, ...]:
    return tuple(t.text for t in nlp().make_doc(text) if t.text.strip())


@lru_cache(maxsize=4096)
def tagged(text: str) -> tuple[tuple[str, str], ...]:
    """jieba's words with part-of-speech flags (ns: a place name such as 浙江, 日照)."""
    import jieba.posseg as pseg

    _jieba()
    return tuple((w.word, w.flag) for w in pseg.cut(text))


LABEL_CHARS = 24  # a label is read from this many characters before its figure
SEPARATOR = "\n"  # jieba cuts at a line break: the words of each piece are the words it has alone


def _label(words: list[str], n: int) -> str:
    return "".join([w for w in words if any("\u4e00" <= ch <= "\u9fff" for ch in w)][-n:])


def label(clause_left: str, n: int = 4) -> str:
    """The last few words before a figure: what the text says the figure is."""
    return _label(list(tokens(clause_left[-LABEL_CHARS:])), n)


def labels(clause_lefts: list[str], n: int = 4) -> list[str]:
    """`label` of each, from one tokenized text of them all (a line break between two) —
    the same words, without building a spaCy document per figure."""
    if not clause_lefts:
        return []  # spaCy and jieba load only for a document with a figure to label
    pieces = [left[-LABEL_CHARS:].replace(SEPARATOR, " ") for left in clause_lefts]
    ends, pos = [], 0
    for piece in pieces:
        pos += len(piece)
        ends.append(pos)
        pos += len(SEPARATOR)
    words: list[list[str]] = [[] for _ in pieces]
    k = 0
    for t in nlp().make_doc(SEPARATOR.join(pieces)):
        while k < len(ends) and t.idx >= ends[k]:
            k += 1
        if t.text.strip() and k < len(ends):
            words[k].append(t.text)
    return [_label(w, n) for w in words]
