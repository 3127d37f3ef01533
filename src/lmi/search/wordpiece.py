"""BERT's uncased WordPiece tokenizer in plain Python (the one all-MiniLM-L6-v2 uses).

Text is lower-cased, accents are stripped, it is split on white space and punctuation, and
each word is cut greedily into the longest pieces of the vocabulary (``##`` marks a piece
inside a word); a word that cannot be cut is ``[UNK]``. Job titles are short, so this costs
microseconds a title, and the server needs neither ``tokenizers`` nor ``transformers``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence

__all__ = ["WordPiece"]

#: longest word cut into pieces (BERT's own limit): longer ones are ``[UNK]``
MAX_WORD = 100


def _is_punctuation(char: str) -> bool:
    code = ord(char)
    if 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126:
        return True
    return unicodedata.category(char).startswith("P")


class WordPiece:
    """Token ids of text, by a WordPiece vocabulary (one token a line, id = line number)."""

    def __init__(self, vocabulary: Sequence[str]) -> None:
        self.tokens = list(vocabulary)
        self.ids = {token: i for i, token in enumerate(self.tokens)}
        self.unk = self.ids["[UNK]"]
        self.cls = self.ids["[CLS]"]
        self.sep = self.ids["[SEP]"]
        self.pad = self.ids.get("[PAD]", 0)
        self._words: dict[str, tuple[int, ...]] = {}

    @classmethod
    def from_lines(cls, lines: Iterable[str]) -> WordPiece:
        return cls([line.rstrip("\n") for line in lines])

    @staticmethod
    def words(text: str) -> list[str]:
        """Lower-cased words and punctuation marks, accents stripped (BERT's basic step)."""
        text = unicodedata.normalize("NFD", text.lower())
        text = "".join(c for c in text if unicodedata.category(c) != "Mn")
        out: list[str] = []
        for chunk in text.split():
            word = ""
            for char in chunk:
                if _is_punctuation(char):
                    if word:
                        out.append(word)
                        word = ""
                    out.append(char)
                elif unicodedata.category(char) not in ("Cc", "Cf"):
                    word += char
            if word:
                out.append(word)
        return out

    def word(self, word: str) -> tuple[int, ...]:
        """A word's pieces, longest first (memoised)."""
        found = self._words.get(word)
        if found is not None:
            return found
        if len(word) > MAX_WORD:
            return (self.unk,)
        pieces: list[int] = []
        start = 0
        while start < len(word):
            end = len(word)
            piece = -1
            while start < end:
                sub = word[start:end] if start == 0 else "##" + word[start:end]
                piece = self.ids.get(sub, -1)
                if piece >= 0:
                    break
                end -= 1
            if piece < 0:
                pieces = [self.unk]
                break
            pieces.append(piece)
            start = end
        found = tuple(pieces)
        if len(self._words) < 200_000:
            self._words[word] = found
        return found

    def encode(self, text: str) -> list[int]:
        """The pieces of ``text`` (without ``[CLS]``/``[SEP]``)."""
        return [piece for word in self.words(text) for piece in self.word(word)]
