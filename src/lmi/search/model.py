"""A head-noun and modifier model of job titles, learned from the coding index.

English job titles are ``modifier* head``: "cloud platform **engineer**", "mental health support
**worker**". The head says what kind of job it is, the modifiers narrow it down. From every
distinct index title (with its codes' shares) the model counts, per word, which unit groups
titles name when the word is the head (``heads``), when it is a modifier (``modifiers``), and per
last two words (``tails``: "support worker"). A title never seen whole is scored as a naive
Bayes combination: the head's (or, better, the tail's) distribution, smoothed towards the
word's distribution in any position and the overall one, times each modifier's lift
``P(code | modifier) / P(code)`` raised to ``MODIFIER_POWER``. A head the index never saw
("barista") backs off to the distribution of heads sharing its last letters ("-ologist",
"-grapher").
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Generic, TypeVar

__all__ = ["TextModel", "TitleModel"]

K = TypeVar("K")

#: smoothing mass (in titles) of a head's, a tail's and a modifier's distribution
HEAD_PRIOR = 1.0
TAIL_PRIOR = 1.5
MODIFIER_PRIOR = 2.0
#: weight of each modifier's log-lift against the head's log-probability
MODIFIER_POWER = 1.0
#: letters of an unknown head used to back off to heads ending alike
SUFFIX = 5
#: codes kept from each distribution when gathering candidates
SPREAD = 12


def _floats() -> defaultdict[str, float]:
    return defaultdict(float)


class _Dist:
    """A code distribution: counts (titles) and their total."""

    __slots__ = ("counts", "top", "total")

    def __init__(self, counts: Mapping[str, float]) -> None:
        self.counts = counts
        self.total = sum(counts.values())
        self.top = tuple(heapq.nlargest(SPREAD, counts, key=counts.__getitem__))

    def p(self, code: str, prior: float, backoff: float) -> float:
        """Probability of ``code``, smoothed with ``prior`` titles of the ``backoff`` one."""
        return (self.counts.get(code, 0.0) + prior * backoff) / (self.total + prior)


class _Table(Generic[K]):
    """Counts per word (or pair of words), turned into a ``_Dist`` when first asked for: most
    words are never asked for, so building the model stays cheap."""

    __slots__ = ("counts", "dists", "least")

    def __init__(self, least: float = 0.0) -> None:
        self.counts: defaultdict[K, defaultdict[str, float]] = defaultdict(_floats)
        self.dists: dict[K, _Dist | None] = {}
        self.least = least

    def get(self, key: K) -> _Dist | None:
        try:
            return self.dists[key]
        except KeyError:
            counts = self.counts.get(key)
            if not counts:
                return None  # unknown words are not remembered: junk input must not grow memory
            dist = _Dist(counts)
            found = self.dists[key] = dist if dist.total >= self.least else None
            return found

    def __contains__(self, key: K) -> bool:
        return key in self.counts


class _Merged:
    """A word's counts in any position: heads and modifiers merged when first asked for."""

    __slots__ = ("dists", "parts")

    def __init__(self, *parts: _Table[str]) -> None:
        self.parts = parts
        self.dists: dict[str, _Dist] = {}

    def get(self, word: str) -> _Dist | None:
        found = self.dists.get(word)
        if found is None:
            merged: defaultdict[str, float] = defaultdict(float)
            for part in self.parts:
                for code, count in part.counts.get(word, {}).items():
                    merged[code] += count
            if not merged:
                return None
            found = self.dists[word] = _Dist(merged)
        return found

    def __contains__(self, word: str) -> bool:
        return any(word in part for part in self.parts)


class TitleModel:
    """Per-word code distributions of one SOC version's index titles."""

    def __init__(self, titles: Iterable[tuple[Sequence[str], Mapping[str, float]]]) -> None:
        self.heads: _Table[str] = _Table()
        self.tails: _Table[tuple[str, str]] = _Table()
        self.modifiers: _Table[str] = _Table()
        self.words = _Merged(self.heads, self.modifiers)
        self._suffixes: _Table[str] | None = None
        heads, tails, mods = self.heads.counts, self.tails.counts, self.modifiers.counts
        overall: defaultdict[str, float] = defaultdict(float)
        for tokens, shares in titles:
            if not tokens:
                continue
            head = tokens[-1]
            items = shares.items()
            for code, share in items:
                overall[code] += share
                heads[head][code] += share
            if len(tokens) > 1:
                target = tails[(tokens[-2], head)]
                for code, share in items:
                    target[code] += share
                for word in tokens[:-1]:
                    target = mods[word]
                    for code, share in items:
                        target[code] += share
        total = sum(overall.values()) or 1.0
        n_codes = len(overall) or 1
        # the prior leans towards uniform: index sizes say little about how common a job is
        self.prior = {c: 0.5 * v / total + 0.5 / n_codes for c, v in overall.items()}

    @property
    def suffixes(self) -> _Table[str]:
        """Heads by their last ``SUFFIX`` letters (built when an unknown head first needs it)."""
        if self._suffixes is None:
            table: _Table[str] = _Table(least=3.0)
            for head, counts in self.heads.counts.items():
                if len(head) > SUFFIX + 1:
                    target = table.counts[head[-SUFFIX:]]
                    for code, count in counts.items():
                        target[code] += count
            self._suffixes = table
        return self._suffixes

    def known(self, word: str) -> bool:
        return word in self.words

    def clear_cache(self) -> None:
        """Forget the distributions built for words asked about (for benchmarks)."""
        for table in (self.heads, self.tails, self.modifiers, self.words):
            table.dists.clear()

    def _head(self, head: str) -> tuple[_Dist | None, _Dist | None]:
        """The head's distribution as a head, and its back-off (any position, or suffix)."""
        as_head = self.heads.get(head)
        anywhere = self.words.get(head)
        if anywhere is None and len(head) > SUFFIX + 1:
            anywhere = self.suffixes.get(head[-SUFFIX:])
        return as_head, anywhere

    def scores(self, words: Sequence[str]) -> dict[str, float]:
        """Posterior probability of each plausible code for a title's words (head last)."""
        return self.both(words)[0]

    def both(self, words: Sequence[str]) -> tuple[dict[str, float], dict[str, float]]:
        """The posterior with the modifiers' evidence, and with the head's (or tail's) alone."""
        if not words:
            return {}, {}
        head = words[-1]
        as_head, anywhere = self._head(head)
        tail = self.tails.get((words[-2], head)) if len(words) > 1 else None
        modifiers = [self.modifiers.get(w) or self.words.get(w) for w in words[:-1]]
        if tail is not None:
            modifiers = modifiers[:-1]
        candidates: set[str] = set()
        for dist in (tail, as_head, anywhere, *modifiers):
            if dist is not None:
                candidates.update(dist.top)
        if not candidates:
            return {}, {}
        prior = self.prior
        logs: dict[str, float] = {}
        heads: dict[str, float] = {}
        for code in candidates:
            base = prior.get(code, 1e-6)
            p = anywhere.p(code, 1.0, base) if anywhere is not None else base
            if as_head is not None:
                p = as_head.p(code, HEAD_PRIOR, p)
            if tail is not None:
                p = tail.p(code, TAIL_PRIOR, p)
            heads[code] = score = math.log(p)
            for dist in modifiers:
                if dist is not None:
                    lift = dist.p(code, MODIFIER_PRIOR, base) / base
                    score += MODIFIER_POWER * math.log(lift)
            logs[code] = score
        return _softmax(logs), _softmax(heads)


def _softmax(logs: Mapping[str, float]) -> dict[str, float]:
    top = max(logs.values())
    exp = {c: math.exp(s - top) for c, s in logs.items()}
    norm = sum(exp.values())
    return {c: v / norm for c, v in exp.items()}


class TextModel:
    """IDF-weighted cosine between a title's words and each unit group's Volume 1 text.

    Descriptions and tasks name the places, materials and fields a job works in ("pharmacies",
    "hotels", "shops") that titles of the group may never combine with a given head word.
    """

    def __init__(self, documents: Mapping[str, Sequence[str]]) -> None:
        n = len(documents) or 1
        df: defaultdict[str, int] = defaultdict(int)
        for words in documents.values():
            for word in set(words):
                df[word] += 1
        self.idf = {w: math.log(1 + n / d) for w, d in df.items()}
        self.postings: dict[str, list[tuple[str, float]]] = defaultdict(list)
        for code, words in documents.items():
            unique = set(words)
            norm = math.sqrt(sum(self.idf[w] ** 2 for w in unique)) or 1.0
            for word in unique:
                self.postings[word].append((code, self.idf[word] / norm))

    def scores(self, words: Sequence[str], extra: Sequence[str] = ()) -> dict[str, float]:
        """Cosine of each code's text with the words (``extra`` words count half)."""
        out: defaultdict[str, float] = defaultdict(float)
        q_norm = 0.0
        for weight, group in ((1.0, words), (0.5, extra)):
            for word in group:
                idf = self.idf.get(word)
                if idf is None:
                    continue
                q_norm += (weight * idf) ** 2
                for code, value in self.postings[word]:
                    out[code] += weight * idf * value
        if not q_norm:
            return {}
        scale = 1 / math.sqrt(q_norm)
        return {code: value * scale for code, value in out.items()}
