"""Word tokens: jieba with the domain lexicon (rules/lexicon.txt: 人次, 册次, 流通人次,
文献入藏量 …), and spaCy's blank Chinese pipeline over the same segmenter for callers that
want a spaCy document (`nlp`, `make_doc`, `tokens`).

Numbers are never read from tokens (jieba cuts 56万余册次 into 56 / 万余册 / 次); tokens
serve the words around a figure (the `label` of a mention: `labels` reads jieba's words
itself, the very tokens a spaCy document of them holds, without building one) and the
place-name test of library attribution.  Loading costs about a second, so it happens once
per process and only when a document has a figure to label.
"""

from __future__ import annotations

import re
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


def make_doc(text: str):
    """`nlp().make_doc(text)`, the same tokens, built for less: spaCy's jieba tokenizer hands
    jieba's words to `get_words_and_spaces`, which finds each word with a slice and a search of
    the rest of the text (quadratic on a long text).  jieba's words cover the text exactly, so
    the words and spaces are read off in one pass; words that did not (never seen) go the
    general way."""
    from spacy.tokens import Doc
    from spacy.util import get_words_and_spaces

    vocab = nlp().vocab
    words = [w for w in _jieba().cut(text, cut_all=False) if w]
    aligned, spaces = _words_and_spaces(words, text) or get_words_and_spaces(words, text)
    return Doc(vocab, words=aligned, spaces=spaces)


def _words_and_spaces(words: list[str], text: str) -> tuple[list[str], list[bool]] | None:
    """What spaCy's `get_words_and_spaces(words, text)` gives for words that join to `text` and
    begin with no space unless all space (its search then finds each word where it stands): the
    space words dropped, one " " after a word its trailing space, other space runs tokens of
    their own.  None for other words."""
    if "".join(words) != text:
        return None
    out_words: list[str] = []
    spaces: list[bool] = []
    pos = end = 0  # pos: what the tokens cover so far; end: where the next word stands
    n = len(text)
    for w in words:
        start, end = end, end + len(w)
        if w.isspace():
            continue
        if w[0].isspace():
            return None
        if start > pos:
            out_words.append(text[pos:start])  # a run of spaces
            spaces.append(False)
        out_words.append(w)
        if end < n and text[end] == " ":
            spaces.append(True)
            pos = end + 1
        else:
            spaces.append(False)
            pos = end
    if pos < n:
        out_words.append(text[pos:])
        spaces.append(False)
    return out_words, spaces


def tokens(text: str) -> tuple[str, ...]:
    return tuple(t.text for t in make_doc(text) if t.text.strip())


@lru_cache(maxsize=4096)
def tagged(text: str) -> tuple[tuple[str, str], ...]:
    """jieba's words with part-of-speech flags (ns: a place name such as 浙江, 日照)."""
    import jieba.posseg as pseg

    _jieba()
    return tuple((w.word, w.flag) for w in pseg.cut(text))


LABEL_CHARS = 24  # a label is read from this many characters before its figure
HAN = re.compile("[\u4e00-\u9fff]")  # a label is made of the words that hold a Han character


def _label(words: list[str], n: int) -> str:
    return "".join([w for w in words if HAN.search(w)][-n:])


def label(clause_left: str, n: int = 4) -> str:
    """The last few words before a figure: what the text says the figure is."""
    return _label(list(tokens(clause_left[-LABEL_CHARS:])), n)


# what jieba cuts on its own: a block of its `re_han_default` (this is the pattern of the pinned
# jieba 0.42: a test checks it), or a Han character outside them (its blocks stop at U+9FD5),
# which it gives as a word of its own
JIEBA_BLOCK = re.compile("[\u4e00-\u9fd5a-zA-Z0-9+#&\\._%\\-]+|[\u9fd6-\u9fff]")


def labels(clause_lefts: list[str], n: int = 4) -> list[str]:
    """`label` of each: the same words, read off jieba's cut of the blocks it cuts alone.

    jieba splits a text at its `re_han_default` pattern and cuts each block of it on its own;
    outside the blocks it gives one word per character.  So the Han words of a text are the
    Han words of its blocks, and, outside them, its Han characters one by one; a spaCy document
    (which keeps jieba's words as they are) adds nothing.  The blocks are read from the last,
    until n words are found, and each block with a Han character in it is cut once per document."""
    if not clause_lefts:
        return []  # jieba loads only for a document with a figure to label
    cut = _jieba().cut  # of one block: the words jieba gives that block within any text
    blocks_in, has_han = JIEBA_BLOCK.findall, HAN.search
    block_words: dict[str, list[str]] = {}  # per document: figures share their words' blocks
    out = []
    for left in clause_lefts:
        words: list[str] = []
        for block in reversed(blocks_in(left[-LABEL_CHARS:])):
            if (found := block_words.get(block)) is None:
                found = block_words[block] = [w for w in cut(block, cut_all=False) if has_han(w)] if has_han(block) else []
            if found:
                words[:0] = found
                if len(words) >= n:
                    break
        out.append("".join(words[-n:]))
    return out
