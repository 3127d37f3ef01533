"""Query words as the index spells them: misspellings, abbreviations and compounds repaired.

A word unknown to the index is corrected when one edit (a deleted, inserted, substituted or
swapped letter) from a known word or abbreviation, else split when a compound of two index
words ("makeup" → "make up"), else (long words) corrected to the closest word two edits away.
Two adjacent words the index writes as one ("house keeper") are joined.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from functools import cached_property

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from lmi.search.coder.index import KeyIndex, no_gc
from lmi.search.normalise import ABBREVIATIONS, title_tokens

__all__ = ["Repairer"]

#: how many index titles each part of a split compound must appear in
COMPOUND_SUPPORT = 3
#: memoised word corrections kept at most (junk input must not grow memory without bound)
MEMO_LIMIT = 100_000


class Repairer:
    """Spelling repair against one index's vocabulary (memoised per word)."""

    def __init__(
        self, index: KeyIndex, real_words: Callable[[], Collection[str]] = frozenset
    ) -> None:
        self.index = index
        self._df = index.df
        self._fixes: dict[str, tuple[str, ...]] = {}
        #: words of running text (the Volume 1 descriptions and tasks): an unknown title word
        #: that is one of them is a real word, not a typo ("zookeeper" is not "bookkeeper",
        #: "electricity" not "electrician"), and is left for the fuzzy stage
        self._real_words = real_words

    @cached_property
    def deletes(self) -> dict[str, str]:
        """Each word with one letter deleted → the most frequent index word it comes from.

        Abbreviations the normaliser expands ("admin", "mgr") are targets too, after index words.
        """
        with no_gc():
            df = self._df
            found: dict[str, str] = {}
            targets = [w for w in sorted(df, key=lambda w: -df[w]) if not w.isdigit()]
            targets += [a for a in ABBREVIATIONS if len(a) >= 4 and a not in df]
            for word in targets:
                if len(word) < 4:
                    continue
                for i in range(len(word)):
                    found.setdefault(word[:i] + word[i + 1 :], word)
            return found

    def warm(self) -> None:
        """Build the structures the first misspelt title would otherwise build."""
        _ = self.deletes, self.index.vocabulary, self.index.bigrams

    def known(self, word: str) -> bool:
        return word in self._df or word in ABBREVIATIONS

    def edit(self, word: str) -> str | None:
        """The most frequent known word (or abbreviation) one edit from ``word``: a deleted,
        inserted, substituted or swapped letter."""
        found: set[str] = set()
        inserted = self.deletes.get(word)
        if inserted is not None:
            found.add(inserted)
        for i in range(len(word)):
            variant = word[:i] + word[i + 1 :]
            if self.known(variant):
                found.add(variant)  # a dropped letter
            other = self.deletes.get(variant)
            if other is not None and Levenshtein.distance(word, other) == 1:
                found.add(other)  # a substituted letter
        for i in range(len(word) - 1):
            swapped = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
            if self.known(swapped):
                found.add(swapped)
        return max(sorted(found), key=lambda w: self._df.get(w, 0)) if found else None

    def closest(self, word: str) -> str | None:
        """For a long word, the closest index word by Levenshtein similarity (two edits)."""
        if len(word) < 7:
            return None
        match = process.extractOne(
            word,
            self.index.vocabulary,
            scorer=Levenshtein.normalized_similarity,
            score_cutoff=0.75,
        )
        # two edits that change the first letter make another word ("zookeeper" is no
        # misspelt "bookkeeper"): people seldom mistype the first letter of a word
        return match[0] if match and match[0][0] == word[0] else None

    def split(self, word: str) -> tuple[str, ...] | None:
        """A compound the index spells as two words: ``makeup`` → ``make up``."""
        best: tuple[int, tuple[str, ...]] | None = None
        for i in range(2, len(word) - 1):
            first, second = word[:i], word[i:]
            common = min(self._df.get(first, 0), self._df.get(second, 0))
            if common >= COMPOUND_SUPPORT and (best is None or common > best[0]):
                best = (common, (first, second))
        return best[1] if best else None

    def correct(self, word: str) -> tuple[str, ...]:
        """A word unknown to the index as known words: corrected when one edit from a known
        word, else split when a compound of two, else (long words) corrected to the closest
        word two edits away; else itself."""
        if word in self._df or len(word) < 5 or word.isdigit():
            return (word,)
        found = self._fixes.get(word)
        if found is None and word in self._real_words():
            found = (word,)
        if found is None:
            edited = self.edit(word)
            split = self.split(word) if edited is None else None
            if split is None and edited is None:
                edited = self.closest(word)
            found = title_tokens(edited) if edited is not None else split or (word,)
            if len(self._fixes) > MEMO_LIMIT:
                self._fixes.clear()
            self._fixes[word] = found
        return found

    def prepare(self, words: Sequence[str]) -> tuple[str, ...]:
        """Query words as the index spells them: typos corrected, compounds split or joined
        (``house keeper`` → ``housekeeper`` when the index knows only the latter)."""
        df = self._df
        if all(w in df for w in words):
            out = list(words)
        else:
            out = []
            for word in words:
                out.extend(self.correct(word))
        for i in range(len(out) - 2, -1, -1):
            joined = out[i] + out[i + 1]
            if joined in df and (out[i], out[i + 1]) not in self.index.bigrams:
                out[i : i + 2] = [joined]
        return tuple(dict.fromkeys(out))

    def clear_cache(self) -> None:
        self._fixes.clear()
