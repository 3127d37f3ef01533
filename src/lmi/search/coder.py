"""Coding job titles to SOC unit groups: exact and alias matches first, then similarity.

The index groups every matchable title (coding-index entries, Volume 1 related titles, unit-group
titles) by its normalised word set (a *key*). A query is normalised the same way, its words
corrected against the index vocabulary when one character is off, and then:

1. **exact** — the words (with, then without, context words; then without seniority words) are
   a key; **alias** when that key came from a ``see`` cross-reference, a Volume 1 related title
   or a unit-group title. A key naming several codes ("Manager" is qualified by industry in
   hundreds of entries) ranks them by weight — unqualified entries and the version's own index
   count most — with context words matched against the entries' qualifiers, and is flagged
   *ambiguous* when no code holds half the weight.
2. **fuzzy** — keys sharing words with the query, scored by IDF-weighted cosine similarity, a
   bonus when the query's head word (its last) is in the key, and rapidfuzz's ``token_set_ratio``
   on the best few; codes take their best key's score.

Scores are calibrated to be read as the chance the top code is right: raw scores go through a
monotone piecewise-linear map per method (``CALIBRATION``), fitted on the development set of
``bench/coder_quality.py``, which reports precision by score band.
"""

from __future__ import annotations

import gc
import heapq
import math
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from lmi.search.index import (
    VERSIONS,
    Alias,
    Entry,
    aliases_for,
    entries_for,
    read_groups,
    read_index,
)
from lmi.search.normalise import normalise, title_tokens
from lmi.store.database import Database

__all__ = ["CALIBRATION", "Candidate", "Coder", "Coding", "load_coders"]

#: raw score → calibrated score: points (raw, calibrated) of a monotone piecewise-linear map
CALIBRATION: dict[str, tuple[tuple[float, float], ...]] = {
    "exact": ((0.0, 0.0), (0.6, 0.45), (0.8, 0.75), (1.0, 0.98)),
    "alias": ((0.0, 0.0), (0.6, 0.45), (0.8, 0.7), (1.0, 0.95)),
    "fuzzy": (
        (0.0, 0.0),
        (0.3, 0.15),
        (0.4, 0.4),
        (0.5, 0.45),
        (0.6, 0.52),
        (0.7, 0.6),
        (0.8, 0.68),
        (1.0, 0.75),
    ),
}
#: an exact match reached only after correcting a one-letter typo is scored this much lower
TYPO_FACTOR = 0.96
#: weight of an unqualified entry and of one qualified by industry or context (ADD/IND columns):
#: the coding index gives a bare title's code by its unqualified entry
UNQUALIFIED, QUALIFIED = 3.0, 0.5
#: qualifiers saying only "professional" or "qualified": the index codes a bare "Civil engineer"
#: or "Management accountant" to the lower group, but a job advert with that title nearly always
#: means the professional, so such entries outweigh the unqualified one
PROFESSIONAL = frozenset({"professional", "qualified", "professionally", "chartered"})
PROFESSIONAL_WEIGHT = 3.5
#: words in more keys than this only rescore keys already found by rarer words
COMMON_WORD = 400
#: keys rescored with rapidfuzz in the fuzzy stage
RESCORE = 25
HEAD_BONUS = 0.12
#: similarity kept by a title without the query's head word (its last: "driver", "engineer")
NO_HEAD = 0.7
#: scores of answers to an ambiguous title are scaled down by this
AMBIGUOUS_FACTOR = 0.5
#: weight of word-to-code votes against title similarity in the fuzzy stage
VOTE = 0.5


def _int_counts() -> defaultdict[str, int]:
    """A named factory (not a lambda), so coders can be pickled into the snapshot cache."""
    return defaultdict(int)


@dataclass(frozen=True, slots=True)
class Candidate:
    """One coded answer: a unit group, with the evidence that chose it."""

    code: str
    title: str  # unit-group title
    score: float  # calibrated, 0–1
    method: str  # exact | alias | fuzzy
    matched: str  # the index entry matched, e.g. "Software developer"

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "title": self.title,
            "score": self.score,
            "method": self.method,
            "matched": self.matched,
        }


@dataclass(frozen=True, slots=True)
class Coding:
    """The answer for one input title: candidates best first (empty when nothing matched)."""

    input: str
    candidates: tuple[Candidate, ...]
    ambiguous: bool = False

    @property
    def best(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None


@dataclass(slots=True)
class _Key:
    """Entries sharing one normalised word set."""

    words: frozenset[str]
    text: str  # words in title order, for rapidfuzz
    head: str  # last word of the title (the noun, in English job titles)
    entries: list[int]
    norm: float = 0.0


def calibrate(method: str, raw: float) -> float:
    points = CALIBRATION[method]
    raw = min(max(raw, 0.0), 1.0)
    for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False):
        if raw <= x1:
            return round(y0 + (y1 - y0) * (raw - x0) / (x1 - x0), 3)
    return points[-1][1]


def _key(words: Iterable[str]) -> str:
    return " ".join(sorted(set(words)))


class Coder:
    """An in-memory coder for one SOC version, built once per release."""

    def __init__(
        self,
        version: str,
        entries: Sequence[Entry],
        aliases: Iterable[Alias],
        units: Mapping[str, str],
    ) -> None:
        self.version = version
        self.units = dict(units)  # unit-group code → title
        self._entries = list(entries)
        self._keys: list[_Key] = []
        self._key_ids: dict[str, int] = {}
        self._aliases: dict[str, int] = {}
        self._index_entries()
        self._index_aliases(aliases)
        self._df = self._document_frequencies()
        n = len(self._keys)
        self._idf = {w: math.log(1 + n / df) for w, df in self._df.items()}
        self._unknown_idf = math.log(1 + n)
        self._postings: dict[str, list[int]] = defaultdict(list)
        for kid, key in enumerate(self._keys):
            key.norm = math.sqrt(sum(self._idf[w] ** 2 for w in key.words))
            for word in key.words:
                self._postings[word].append(kid)
        self._word_codes: dict[str, dict[str, int]] = defaultdict(_int_counts)
        for key in self._keys:
            codes = {self._entries[e].code for e in key.entries}
            for word in key.words:
                for code in codes:
                    self._word_codes[word][code] += 1
        self._deletes = self._deletion_index()
        self._vocabulary = sorted(self._df)
        #: memoised per matched key (bounded by the index size): rankings, exact answers
        self._ranked: dict[int, tuple[tuple[str, float, int], ...]] = {}
        self._exact_memo: dict[tuple[int, bool, int], Coding] = {}

    # -- building ----------------------------------------------------------------------------

    def _index_entries(self) -> None:
        for eid, entry in enumerate(self._entries):
            words = title_tokens(entry.title)
            if not words or entry.code not in self.units:
                continue
            key = _key(words)
            kid = self._key_ids.get(key)
            if kid is None:
                kid = self._key_ids[key] = len(self._keys)
                self._keys.append(_Key(frozenset(words), " ".join(words), words[-1], []))
            self._keys[kid].entries.append(eid)

    def _index_aliases(self, aliases: Iterable[Alias]) -> None:
        for alias in aliases:
            words, target = title_tokens(alias.title), title_tokens(alias.target)
            if not words or not target:
                continue
            kid = self._key_ids.get(_key(target))
            if kid is not None and _key(words) not in self._key_ids:
                self._aliases[_key(words)] = kid

    def _document_frequencies(self) -> dict[str, int]:
        df: dict[str, int] = defaultdict(int)
        for key in self._keys:
            for word in key.words:
                df[word] += 1
        return dict(df)

    def _deletion_index(self) -> dict[str, str]:
        """Each word with one letter deleted → the most frequent index word it comes from."""
        found: dict[str, str] = {}
        for word in sorted(self._df, key=lambda w: -self._df[w]):
            if len(word) < 4 or word.isdigit():
                continue
            for i in range(len(word)):
                found.setdefault(word[:i] + word[i + 1 :], word)
        return found

    # -- words -------------------------------------------------------------------------------

    def _correct(self, word: str) -> str:
        """A word unknown to the index, corrected when it is one edit from a known word."""
        if word in self._df or len(word) < 5 or word.isdigit():
            return word
        found = self._deletes.get(word)  # an inserted letter
        if found is None:
            for i in range(len(word)):
                variant = word[:i] + word[i + 1 :]
                found = variant if variant in self._df else self._deletes.get(variant)
                if found is not None:  # a dropped or substituted letter
                    break
        if found is None and len(word) >= 7:
            match = process.extractOne(
                word,
                self._vocabulary,
                scorer=Levenshtein.normalized_similarity,
                score_cutoff=0.75,
            )
            found = match[0] if match else None
        return found or word

    # -- ranking an exact key ----------------------------------------------------------------

    def _ranking(self, kid: int, context: frozenset[str]) -> tuple[tuple[str, float, int], ...]:
        """(code, share of weight, best entry) for a key's entries, best first."""
        if not context:
            found = self._ranked.get(kid)
            if found is not None:
                return found
            entries = self._keys[kid].entries
            if len(entries) == 1:
                found = self._ranked[kid] = ((self._entries[entries[0]].code, 1.0, entries[0]),)
                return found
        weights: dict[str, float] = defaultdict(float)
        best: dict[str, tuple[float, int]] = {}
        for eid in self._keys[kid].entries:
            entry = self._entries[eid]
            weight = entry.weight * self._base_weight(eid)
            qualifier = frozenset(title_tokens(entry.qualifier)) if context else frozenset()
            if qualifier & context:
                weight = entry.weight * UNQUALIFIED * 2 * len(qualifier & context) / len(qualifier)
            weights[entry.code] += weight
            if entry.code not in best or weight > best[entry.code][0]:
                best[entry.code] = (weight, eid)
        total = sum(weights.values())
        head = self._keys[kid].head
        ranked = tuple(
            (code, weights[code] / total, best[code][1])
            for code in sorted(weights, key=lambda c: (-weights[c], -self._support(head, c), c))
        )
        if not context:
            self._ranked[kid] = ranked
        return ranked

    def _base_weight(self, eid: int) -> float:
        qualifier = self._entries[eid].qualifier
        if not qualifier:
            return UNQUALIFIED
        if PROFESSIONAL.issuperset(title_tokens(qualifier)):
            return PROFESSIONAL_WEIGHT
        return QUALIFIED

    def _support(self, word: str, code: str) -> int:
        """How many keys with ``word`` name ``code``: breaks ties between equal entries."""
        return self._word_codes.get(word, {}).get(code, 0)

    def _exact(self, kid: int, context: frozenset[str], alias: bool, top: int) -> Coding:
        if context:
            return self._exact_coding(kid, context, alias, top)
        found = self._exact_memo.get((kid, alias, top))
        if found is None:
            found = self._exact_memo[(kid, alias, top)] = self._exact_coding(
                kid, context, alias, top
            )
        return found

    def _exact_coding(self, kid: int, context: frozenset[str], alias: bool, top: int) -> Coding:
        ranked = self._ranking(kid, context)
        top_entry = self._entries[ranked[0][2]]
        ambiguous = len(ranked) >= 3 and ranked[0][1] < 0.5 and bool(top_entry.qualifier)
        candidates = []
        for code, share, eid in ranked[:top]:
            entry = self._entries[eid]
            method = "alias" if alias or entry.source in {"related", "title"} else "exact"
            if entry.source == "crosscoded":
                share *= 0.95
            score = calibrate(method, 0.6 + 0.4 * share) * (AMBIGUOUS_FACTOR if ambiguous else 1)
            candidates.append(
                Candidate(code, self.units[code], round(score, 3), method, entry.label)
            )
        return Coding("", tuple(candidates), ambiguous)

    # -- fuzzy -------------------------------------------------------------------------------

    def _similar_keys(self, words: Sequence[str], extra: Sequence[str]) -> list[tuple[float, int]]:
        """(IDF cosine + head bonus, key) for keys sharing a word with the query, best first."""
        idf = self._idf
        known = sorted((w for w in set(words) if w in idf), key=self._df.__getitem__)
        if not known:
            return []
        q_norm = math.sqrt(
            sum(idf[w] ** 2 if w in idf else self._unknown_idf**2 for w in set(words))
            + sum(0.25 * idf[w] ** 2 for w in extra if w in idf)
        )
        dots: dict[int, float] = defaultdict(float)
        for word in known:
            weight = idf[word] ** 2
            if self._df[word] > COMMON_WORD and dots:
                for kid in dots:
                    if word in self._keys[kid].words:
                        dots[kid] += weight
            else:
                for kid in self._postings[word]:
                    dots[kid] += weight
        for word in extra:
            if word in idf and word not in words:
                weight = 0.5 * idf[word] ** 2
                for kid in dots:
                    if word in self._keys[kid].words:
                        dots[kid] += weight
        head = words[-1]
        keys = self._keys
        scored = [
            (
                dot / (q_norm * keys[kid].norm) * (1.0 if head in keys[kid].words else NO_HEAD)
                + (HEAD_BONUS if head in keys[kid].words else 0.0)
                + (HEAD_BONUS / 2 if head == keys[kid].head else 0.0),
                kid,
            )
            for kid, dot in dots.items()
        ]
        return heapq.nlargest(RESCORE, scored)

    def _votes(self, words: Sequence[str]) -> dict[str, float]:
        """Each code's share of the index titles containing each query word, IDF-weighted."""
        votes: dict[str, float] = defaultdict(float)
        total = 0.0
        for word in words:
            idf = self._idf.get(word, self._unknown_idf)
            total += idf
            codes = self._word_codes.get(word)
            if codes:
                df = self._df[word]
                for code, count in codes.items():
                    votes[code] += idf * count / df
        return {code: vote / total for code, vote in votes.items()} if total else {}

    def _fuzzy(self, words: Sequence[str], extra: Sequence[str], top: int) -> Coding:
        similar = self._similar_keys(words, extra)
        if not similar:
            return Coding("", ())
        votes = self._votes(words)
        text = " ".join(words)
        context = frozenset(extra)
        codes: dict[str, tuple[float, int]] = {}
        for sim, kid in similar:
            char = fuzz.token_set_ratio(text, self._keys[kid].text) / 100
            raw = (0.8 * min(sim, 1.0) + 0.2 * char) / (1 + HEAD_BONUS * 0.3)
            for code, share, eid in self._ranking(kid, context):
                score = raw * (0.75 + 0.25 * share)
                if code not in codes or score > codes[code][0]:
                    codes[code] = (score, eid)
        codes = {
            code: ((1 - VOTE) * raw + VOTE * votes.get(code, 0.0), eid)
            for code, (raw, eid) in codes.items()
        }
        ranked = sorted(codes.items(), key=lambda item: -item[1][0])[:top]
        return Coding(
            "",
            tuple(
                Candidate(
                    code,
                    self.units[code],
                    calibrate("fuzzy", raw),
                    "fuzzy",
                    self._entries[eid].label,
                )
                for code, (raw, eid) in ranked
            ),
        )

    # -- public ------------------------------------------------------------------------------

    def code(self, title: str, context: str = "", top: int = 1, *, expand: bool = False) -> Coding:
        """Code one title (with optional context text such as an industry or a description).

        ``expand`` (for search) fills the ``top`` answers of an exact match with the best
        similar titles' codes, scored below the exact ones.
        """
        query = normalise(title, context)
        if not query.core:
            return Coding(title, ())
        fixed = {w: self._correct(w) for w in (*query.tokens, *query.context)}
        tokens = tuple(dict.fromkeys(fixed[w] for w in query.tokens))
        core = tuple(dict.fromkeys(fixed[w] for w in query.core))
        extra = tuple(fixed[w] for w in query.context if fixed[w] not in tokens)
        typo = tokens != query.tokens
        qualifiers = frozenset(extra)
        for words in ((*tokens, *extra) if extra else (), tokens, core):
            if not words:
                continue
            key = _key(words)
            kid = self._key_ids.get(key)
            alias = kid is None
            if kid is None:
                kid = self._aliases.get(key)
            if kid is not None:
                found = self._exact(kid, qualifiers, alias, top)
                if typo:
                    found = _as_fuzzy(found)
                candidates = found.candidates
                if expand and len(candidates) < top:
                    candidates = _extend(candidates, self._fuzzy(core, extra, top).candidates, top)
                return Coding(title, candidates, found.ambiguous)
        found = self._fuzzy(core, extra, top)
        return Coding(title, found.candidates, found.ambiguous)

    def code_many(
        self, titles: Sequence[str], contexts: Sequence[str] | None = None, top: int = 1
    ) -> list[Coding]:
        """Code a batch; repeated (title, context) pairs are coded once."""
        done: dict[tuple[str, str], Coding] = {}
        out: list[Coding] = []
        for i, title in enumerate(titles):
            context = contexts[i] if contexts is not None else ""
            found = done.get((title, context))
            if found is None:
                found = done[(title, context)] = self.code(title, context, top)
            out.append(found)
        return out

    def clear_cache(self) -> None:
        """Forget the rankings memoised per matched title (for benchmarks)."""
        self._ranked.clear()
        self._exact_memo.clear()

    @property
    def size(self) -> int:
        """Distinct normalised titles indexed."""
        return len(self._keys)


def _extend(
    first: tuple[Candidate, ...], more: Iterable[Candidate], top: int
) -> tuple[Candidate, ...]:
    """``first`` then the codes of ``more`` not in it, scored no higher than ``first``'s last."""
    seen = {c.code for c in first}
    ceiling = first[-1].score if first else 1.0
    extra = [
        Candidate(c.code, c.title, min(c.score, ceiling), c.method, c.matched)
        for c in more
        if c.code not in seen
    ]
    return (*first, *extra)[:top]


def _as_fuzzy(found: Coding) -> Coding:
    """An exact match reached only after correcting a typo is reported as fuzzy, a bit lower."""
    return Coding(
        found.input,
        tuple(
            Candidate(c.code, c.title, round(c.score * TYPO_FACTOR, 3), "fuzzy", c.matched)
            for c in found.candidates
        ),
        found.ambiguous,
    )


@contextmanager
def _no_gc() -> Iterator[None]:
    """Building allocates many small objects: cyclic GC passes would only slow it down."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load_coders(db: Database, release_id: int) -> dict[str, Coder]:
    """A coder per SOC version present in a release of the store."""
    with _no_gc():
        return _load_coders(db, release_id)


def _load_coders(db: Database, release_id: int) -> dict[str, Coder]:
    rows = read_index(db, release_id)
    groups = read_groups(db, release_id)
    coders: dict[str, Coder] = {}
    for version in VERSIONS:
        units = {g.code: g.title for g in groups if g.version == version}
        if units:
            entries = entries_for(version, rows, groups)
            coders[version] = Coder(version, entries, aliases_for(version, rows), units)
    return coders
