"""A simple, correct title search: every query word must match; better fields score higher.

Each unit group is indexed by the words of its title (weight 3), its Volume 1 related job titles
(weight 2) and its coding-index titles (weight 1). A query word matches a group when the group
has that word, or — for the last word, as people type — a word starting with it. The score is the
sum, over query words, of the best field weight matched, plus a bonus when the whole query is a
title of the group. Ties go to the group with more matching index titles, then to the code.
The job-title coder (issue 3) replaces this with a scored, calibrated ranking.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["TitleSearch", "tokens"]

_WORD = re.compile(r"[a-z0-9]+")
TITLE, RELATED, INDEX = 3, 2, 1


def tokens(text: str) -> list[str]:
    return [_stem(w) for w in _WORD.findall(text.lower())]


def _stem(word: str) -> str:
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


@dataclass(frozen=True)
class Hit:
    code: str
    score: float


class TitleSearch:
    def __init__(self) -> None:
        self._weights: dict[str, dict[str, int]] = defaultdict(dict)  # word → code → weight
        self._index_hits: dict[str, dict[str, int]] = defaultdict(dict)  # word → code → count
        self._phrases: dict[str, set[str]] = defaultdict(set)  # normalised title → codes
        self._vocabulary: list[str] = []

    def add(self, code: str, text: str, weight: int) -> None:
        words = tokens(text)
        for word in words:
            if self._weights[word].get(code, 0) < weight:
                self._weights[word][code] = weight
            if weight == INDEX:
                self._index_hits[word][code] = self._index_hits[word].get(code, 0) + 1
        self._phrases[" ".join(words)].add(code)

    def add_group(
        self, code: str, title: str, related: Iterable[str], index_titles: Iterable[str]
    ) -> None:
        self.add(code, title, TITLE)
        for text in related:
            self.add(code, text, RELATED)
        for text in index_titles:
            self.add(code, text, INDEX)

    def freeze(self) -> TitleSearch:
        self._vocabulary = sorted(self._weights)
        return self

    def search(self, query: str, limit: int = 20) -> list[Hit]:
        words = tokens(query)
        if not words:
            return []
        scores: dict[str, float] | None = None
        for position, word in enumerate(words):
            last = position == len(words) - 1
            matched = self._match(word, prefix=last)
            if scores is None:
                scores = {code: float(w) for code, w in matched.items()}
            else:
                scores = {c: s + matched[c] for c, s in scores.items() if c in matched}
            if not scores:
                return []
        assert scores is not None
        for code in self._phrases.get(" ".join(words), ()):
            if code in scores:
                scores[code] += 2 * len(words)
        support = {c: sum(self._index_hits.get(w, {}).get(c, 0) for w in words) for c in scores}
        ranked = sorted(scores, key=lambda c: (-scores[c], -support[c], c))
        return [Hit(code, scores[code]) for code in ranked[:limit]]

    def _match(self, word: str, *, prefix: bool) -> dict[str, float]:
        found: dict[str, float] = dict(self._weights.get(word, {}))
        if prefix and len(word) >= 3:
            start = bisect.bisect_left(self._vocabulary, word)
            for candidate in self._vocabulary[start:]:
                if not candidate.startswith(word):
                    break
                for code, weight in self._weights[candidate].items():
                    # a completed prefix scores a little less than the exact word
                    found[code] = max(found.get(code, 0), weight - 0.5)
        return found
