"""Coding job titles to SOC unit groups: exact and alias matches first, then similarity.

The index groups every matchable title (coding-index entries, Volume 1 related titles, unit-group
titles) by its normalised word set (a *key*). A query is normalised the same way; its words are
repaired against the index vocabulary (one misspelt letter, an abbreviation misspelt, a compound
the index writes as two words or two words it writes as one), and then:

1. **exact** — a form of the title is a key: the words with, then without, context words, then
   without seniority words; then each side of a choice ("Receptionist/Administrator"); then the
   title with modern vocabulary rewritten by the lexicon (``lexicon.tsv``: "React" → software).
   Reported as **alias** when the key came from a ``see`` cross-reference, a Volume 1 related
   title or a unit-group title, or was reached by a rewrite; as **fuzzy** when only after
   repairing a misspelling. A key naming several codes ("Manager" is qualified by industry in
   hundreds of entries) ranks them by weight — unqualified entries and the version's own index
   count most — with context words matched against the entries' qualifiers, and is flagged
   *ambiguous* when no code holds half the weight.
2. **fuzzy** — candidate codes come from the keys most like the query (IDF-weighted cosine, head
   word bonuses, rapidfuzz ``token_set_ratio``), from a head-noun/modifier model of the index's
   titles (``model.TitleModel``) and from the unit groups' Volume 1 descriptions
   (``model.TextModel``); a softmax over ``FEATURES`` with ``WEIGHTS`` fitted by
   ``bench/coder_fit.py`` on leave-titles-out folds of the coding indexes ranks them.

Scores are calibrated to be read as the chance the code is right: raw scores go through a
monotone piecewise-linear map per route (``CALIBRATION``: exact, alias, rewrite, typo, fuzzy),
fitted by isotonic regression on the development parts of ``bench/coder_quality.py``, which
reports precision by score band.
"""

from __future__ import annotations

import gc
import heapq
import itertools
import math
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from lmi.search.index import (
    VERSIONS,
    Alias,
    Entry,
    aliases_for,
    documents_for,
    entries_for,
    read_groups,
    read_index,
)
from lmi.search.lexicon import default_lexicon
from lmi.search.model import TextModel, TitleModel
from lmi.search.normalise import (
    ABBREVIATIONS,
    SENIORITY,
    normalise,
    text_words,
    title_tokens,
)
from lmi.store.database import Database

__all__ = ["CALIBRATION", "Candidate", "Coder", "Coding", "load_coders"]

#: raw score → calibrated score: points (raw, calibrated) of a monotone piecewise-linear map
CALIBRATION: dict[str, tuple[tuple[float, float], ...]] = {
    # fitted by `bench/coder_quality.py --fit-calibration` (isotonic, per route) on its development
    # parts; the dev titles are unambiguous, so below 0.9 the exact and alias points are set by hand
    "exact": ((0.0, 0.0), (0.6, 0.45), (0.8, 0.75), (0.944, 0.889), (1.0, 0.997)),
    "alias": ((0.0, 0.0), (0.6, 0.45), (0.8, 0.7), (1.0, 0.95)),
    "rewrite": ((0.0, 0.0), (0.6, 0.35), (0.949, 0.697), (1.0, 0.7)),
    "typo": ((0.0, 0.0), (0.6, 0.4), (0.991, 0.89), (1.0, 0.89)),
    "fuzzy": (
        (0.0, 0.0),
        (0.221, 0.134),
        (0.432, 0.396),
        (0.598, 0.52),
        (0.692, 0.571),
        (0.766, 0.689),
        (0.854, 0.802),
        (0.926, 0.834),
        (0.984, 0.853),
        (1.0, 0.853),
    ),
}
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
#: how many index titles each part of a split compound must appear in
COMPOUND_SUPPORT = 3
#: memoised word corrections kept at most (junk input must not grow memory without bound)
MEMO_LIMIT = 100_000
#: how a title was matched (the calibration used) → the method reported: ``rewrite`` is a
#: match found only for one side of a choice ("Receptionist/Administrator") or after rewriting
#: modern vocabulary with the lexicon; ``typo`` one found only after correcting a misspelling
ROUTES = {
    "exact": "exact",
    "alias": "alias",
    "rewrite": "alias",
    "typo": "fuzzy",
    "fuzzy": "fuzzy",
}
#: keys rescored with rapidfuzz in the fuzzy stage
RESCORE = 25
HEAD_BONUS = 0.12
#: similarity kept by a title without the query's head word (its last: "driver", "engineer")
NO_HEAD = 0.7
#: scores of answers to an ambiguous title are scaled down by this
AMBIGUOUS_FACTOR = 0.5
#: weight of word-to-code votes against title similarity in the fuzzy stage
VOTE = 0.5
#: title-model probability from which a code is a candidate though no similar title names it
NB_CANDIDATE = 0.05
#: codes whose Volume 1 text is most like the query that become candidates, and the least cosine
TEXT_CANDIDATES, TEXT_CANDIDATE = 3, 0.08
#: what the fuzzy stage knows of each candidate code (see ``Coder.features``)
FEATURES = (
    "similarity",  # the former fuzzy score: best similar title's score blended with votes
    "cosine",  # IDF-weighted cosine of the best similar title (with head-word bonuses)
    "characters",  # rapidfuzz token_set_ratio of that title
    "share",  # the code's share of that title's entries
    "title_model",  # head/modifier model's posterior probability
    "log_title_model",
    "votes",  # share of index titles with each query word naming the code
    "head_in_title",  # the query's head word is in that title
    "title_extra",  # share of that title's words not in the query
    "coverage",  # share of the query's words in that title
    "top_title",  # the code is the first of the most similar title
    "titles",  # log(1 + number of similar titles naming the code)
    "description",  # cosine of the query words with the group's Volume 1 text
    "title_model_minor",  # title-model probability of the code's minor group (3 digits)
    "same_head",  # that title's head word (its last) is the query's
    "head_model",  # title-model probability from the head word (or last two words) alone
)
#: weights of the features in a softmax over candidate codes: fitted by bench/coder_fit.py on
#: leave-titles-out folds of the coding indexes
WEIGHTS: dict[str, float] = {
    "similarity": 1.5356,
    "cosine": 0.8458,
    "characters": -1.0672,
    "share": 0.6091,
    "title_model": -0.3745,
    "log_title_model": 0.4036,
    "votes": 2.1655,
    "head_in_title": -1.1536,
    "title_extra": -2.0863,
    "coverage": 1.7884,
    "top_title": 0.1075,
    "titles": 0.3564,
    "description": 3.6689,
    "title_model_minor": 0.8693,
    "same_head": -0.0907,
    "head_model": 1.0132,
}
_WEIGHTS = tuple(WEIGHTS[name] for name in FEATURES)


@dataclass(frozen=True, slots=True)
class Candidate:
    """One coded answer: a unit group, with the evidence that chose it."""

    code: str
    title: str  # unit-group title
    score: float  # calibrated, 0–1
    method: str  # exact | alias | fuzzy
    matched: str  # the index entry matched, e.g. "Software developer"
    #: the calibration the score went through (a key of ``CALIBRATION``): finer than method
    route: str = ""

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
        documents: Mapping[str, str] | None = None,
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
        self._fixes: dict[str, tuple[str, ...]] = {}
        self._lexicon = default_lexicon()
        self._documents = {c: t for c, t in (documents or {}).items() if c in self.units}
        #: memoised per matched key (bounded by the index size): rankings, exact answers
        self._ranked: dict[int, tuple[tuple[str, float, int], ...]] = {}
        self._exact_memo: dict[tuple[int, str, int], Coding] = {}
        self._model = TitleModel(
            (
                key.text.split(),
                {self._entries[key.entries[0]].code: 1.0}
                if len(key.entries) == 1
                else self._shares(kid),
            )
            for kid, key in enumerate(self._keys)
        )

    def warm(self) -> Coder:
        """Build now what the first misspelt or unmatched title would otherwise build."""
        for name in ("_deletes", "_vocabulary", "_bigrams", "_text"):
            getattr(self, name)
        return self

    # structures only misspelt, compound or unmatched titles need: built on first use

    @cached_property
    def _deletes(self) -> dict[str, str]:
        with _no_gc():
            return self._deletion_index()

    @cached_property
    def _vocabulary(self) -> list[str]:
        return sorted(self._df)

    @cached_property
    def _bigrams(self) -> set[tuple[str, str]]:
        with _no_gc():
            return {pair for key in self._keys for pair in itertools.pairwise(key.text.split())}

    @cached_property
    def _text(self) -> TextModel:
        with _no_gc():
            return TextModel({c: text_words(text) for c, text in self._documents.items()})

    # -- building ----------------------------------------------------------------------------

    def _index_entries(self) -> None:
        by_title: dict[str, int] = {}  # titles repeat across qualified entries
        keys, key_ids, units = self._keys, self._key_ids, self.units
        for eid, entry in enumerate(self._entries):
            if entry.code not in units:
                continue
            kid = by_title.get(entry.title)
            if kid is None:
                words = title_tokens(entry.title)
                if not words:
                    kid = by_title[entry.title] = -1
                else:
                    key = _key(words)
                    kid = key_ids.get(key)
                    if kid is None:
                        kid = key_ids[key] = len(keys)
                        keys.append(_Key(frozenset(words), " ".join(words), words[-1], []))
                    by_title[entry.title] = kid
            if kid >= 0:
                keys[kid].entries.append(eid)

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
        """Each word with one letter deleted → the most frequent index word it comes from.

        Abbreviations the normaliser expands ("admin", "mgr") are targets too, after index words.
        """
        found: dict[str, str] = {}
        targets = [w for w in sorted(self._df, key=lambda w: -self._df[w]) if not w.isdigit()]
        targets += [a for a in ABBREVIATIONS if len(a) >= 4 and a not in self._df]
        for word in targets:
            if len(word) < 4:
                continue
            for i in range(len(word)):
                found.setdefault(word[:i] + word[i + 1 :], word)
        return found

    # -- words -------------------------------------------------------------------------------

    def _known(self, word: str) -> bool:
        return word in self._df or word in ABBREVIATIONS

    def _edit(self, word: str) -> str | None:
        """The most frequent known word (or abbreviation) one edit from ``word``: a deleted,
        inserted, substituted or swapped letter."""
        found: set[str] = set()
        inserted = self._deletes.get(word)
        if inserted is not None:
            found.add(inserted)
        for i in range(len(word)):
            variant = word[:i] + word[i + 1 :]
            if self._known(variant):
                found.add(variant)  # a dropped letter
            other = self._deletes.get(variant)
            if other is not None and Levenshtein.distance(word, other) == 1:
                found.add(other)  # a substituted letter
        for i in range(len(word) - 1):
            swapped = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
            if self._known(swapped):
                found.add(swapped)
        return max(sorted(found), key=lambda w: self._df.get(w, 0)) if found else None

    def _closest(self, word: str) -> str | None:
        """For a long word, the closest index word by Levenshtein similarity (two edits)."""
        if len(word) < 7:
            return None
        match = process.extractOne(
            word, self._vocabulary, scorer=Levenshtein.normalized_similarity, score_cutoff=0.75
        )
        return match[0] if match else None

    def _split(self, word: str) -> tuple[str, ...] | None:
        """A compound the index spells as two words: ``makeup`` → ``make up``."""
        best: tuple[int, tuple[str, ...]] | None = None
        for i in range(2, len(word) - 1):
            first, second = word[:i], word[i:]
            common = min(self._df.get(first, 0), self._df.get(second, 0))
            if common >= COMPOUND_SUPPORT and (best is None or common > best[0]):
                best = (common, (first, second))
        return best[1] if best else None

    def _correct(self, word: str) -> tuple[str, ...]:
        """A word unknown to the index as known words: corrected when one edit from a known
        word, else split when a compound of two, else (long words) corrected to the closest
        word two edits away; else itself."""
        if word in self._df or len(word) < 5 or word.isdigit():
            return (word,)
        found = self._fixes.get(word)
        if found is None:
            edited = self._edit(word)
            split = self._split(word) if edited is None else None
            if split is None and edited is None:
                edited = self._closest(word)
            found = title_tokens(edited) if edited is not None else split or (word,)
            if len(self._fixes) > MEMO_LIMIT:
                self._fixes.clear()
            self._fixes[word] = found
        return found

    def _prepare(self, words: Sequence[str]) -> tuple[str, ...]:
        """Query words as the index spells them: typos corrected, compounds split or joined
        (``house keeper`` → ``housekeeper`` when the index knows only the latter)."""
        df = self._df
        if all(w in df for w in words):
            out = list(words)
        else:
            out = []
            for word in words:
                out.extend(self._correct(word))
        for i in range(len(out) - 2, -1, -1):
            joined = out[i] + out[i + 1]
            if joined in df and (out[i], out[i + 1]) not in self._bigrams:
                out[i : i + 2] = [joined]
        return tuple(dict.fromkeys(out))

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

    def _shares(self, kid: int) -> dict[str, float]:
        """Each code's share of a key's entries (the weights of ``_ranking``, unordered)."""
        entries = self._keys[kid].entries
        if len(entries) == 1:
            return {self._entries[entries[0]].code: 1.0}
        weights: dict[str, float] = defaultdict(float)
        for eid in entries:
            weights[self._entries[eid].code] += self._entries[eid].weight * self._base_weight(eid)
        total = sum(weights.values())
        return {code: weight / total for code, weight in weights.items()}

    def _base_weight(self, eid: int) -> float:
        qualifier = self._entries[eid].qualifier
        if not qualifier:
            return UNQUALIFIED
        if PROFESSIONAL.issuperset(title_tokens(qualifier)):
            return PROFESSIONAL_WEIGHT
        return QUALIFIED

    def _support(self, word: str, code: str) -> float:
        """How many keys with ``word`` name ``code``: breaks ties between equal entries."""
        dist = self._model.words.get(word)
        return dist.counts.get(code, 0.0) if dist is not None else 0.0

    def _exact(self, kid: int, context: frozenset[str], route: str, top: int) -> Coding:
        if context:
            return self._exact_coding(kid, context, route, top)
        found = self._exact_memo.get((kid, route, top))
        if found is None:
            found = self._exact_memo[(kid, route, top)] = self._exact_coding(
                kid, context, route, top
            )
        return found

    def _exact_coding(self, kid: int, context: frozenset[str], route: str, top: int) -> Coding:
        """Candidates of a matched key. ``route`` says how it was reached (``ROUTES``) and
        picks the calibration; ``exact`` is reported as ``alias`` for a related or group title.
        """
        ranked = self._ranking(kid, context)
        top_entry = self._entries[ranked[0][2]]
        ambiguous = len(ranked) >= 3 and ranked[0][1] < 0.5 and bool(top_entry.qualifier)
        candidates = []
        for code, share, eid in ranked[:top]:
            entry = self._entries[eid]
            calibration = route
            if route == "exact" and entry.source in {"related", "title"}:
                calibration = "alias"
            if entry.source == "crosscoded":
                share *= 0.95
            score = calibrate(calibration, 0.6 + 0.4 * share)
            score *= AMBIGUOUS_FACTOR if ambiguous else 1
            candidates.append(
                Candidate(
                    code,
                    self.units[code],
                    round(score, 3),
                    ROUTES[calibration],
                    entry.label,
                    calibration,
                )
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
            dist = self._model.words.get(word)
            if dist is not None:
                for code, count in dist.counts.items():
                    votes[code] += idf * count / dist.total
        return {code: vote / total for code, vote in votes.items()} if total else {}

    def features(
        self, words: Sequence[str], extra: Sequence[str]
    ) -> tuple[list[str], list[list[float]], list[int]]:
        """Candidate codes for words matching no index title, each with its ``FEATURES`` and
        the entry that best supports it (-1 when only the title model proposes it)."""
        similar = self._similar_keys(words, extra)
        nb, by_head = self._model.both(words)
        if not similar and not nb:
            return [], [], []
        votes = self._votes(words)
        text = " ".join(words)
        context = frozenset(extra)
        query = frozenset(words)
        head = words[-1]
        found: dict[str, list[float]] = {}
        entries: dict[str, int] = {}
        for rank, (sim, kid) in enumerate(similar):
            key = self._keys[kid]
            char = fuzz.token_set_ratio(text, key.text) / 100
            raw = (0.8 * min(sim, 1.0) + 0.2 * char) / (1 + HEAD_BONUS * 0.3)
            shared = len(query & key.words)
            for j, (code, share, eid) in enumerate(self._ranking(kid, context)):
                score = raw * (0.75 + 0.25 * share)
                row = found.get(code)
                if row is not None:
                    row[11] += 1.0
                    if score <= row[0]:
                        continue
                    count = row[11]
                else:
                    count = 1.0
                found[code] = [
                    score,
                    min(sim, 1.5),
                    char,
                    share,
                    0.0,
                    0.0,
                    0.0,
                    1.0 if head in key.words else 0.0,
                    (len(key.words) - shared) / len(key.words),
                    shared / len(query),
                    1.0 if rank == 0 and j == 0 else 0.0,
                    count,
                    0.0,
                    0.0,
                    1.0 if head == key.head else 0.0,
                    0.0,
                ]
                entries[code] = eid
        text_scores = self._text.scores(words, extra)
        proposed = [c for c, p in nb.items() if p >= NB_CANDIDATE]
        proposed += heapq.nlargest(TEXT_CANDIDATES, text_scores, key=text_scores.__getitem__)
        for code in proposed:
            if code not in found and code in self.units:
                if nb.get(code, 0.0) >= NB_CANDIDATE or text_scores[code] >= TEXT_CANDIDATE:
                    found[code] = [0.0] * len(FEATURES)
                    entries[code] = -1
        minor: dict[str, float] = defaultdict(float)
        for code, p in nb.items():
            minor[code[:3]] += p
        codes = list(found)
        rows = []
        for code in codes:
            row = found[code]
            p = nb.get(code, 0.0)
            vote = votes.get(code, 0.0)
            row[0] = (1 - VOTE) * row[0] + VOTE * vote
            row[4], row[5], row[6] = p, math.log(p + 1e-3), vote
            row[11] = math.log1p(row[11])
            row[12] = text_scores.get(code, 0.0)
            row[13] = minor.get(code[:3], 0.0)
            row[15] = by_head.get(code, 0.0)
            rows.append(row)
        return codes, rows, [entries[c] for c in codes]

    def _fuzzy(self, words: Sequence[str], extra: Sequence[str], top: int) -> Coding:
        codes, rows, entries = self.features(words, extra)
        if not codes:
            return Coding("", ())
        logits = [sum(w * f for w, f in zip(_WEIGHTS, row, strict=True)) for row in rows]
        best = max(logits)
        exps = [math.exp(x - best) for x in logits]
        total = sum(exps)
        ranked = sorted(range(len(codes)), key=lambda i: -exps[i])[:top]
        return Coding(
            "",
            tuple(
                Candidate(
                    codes[i],
                    self.units[codes[i]],
                    calibrate("fuzzy", exps[i] / total),
                    "fuzzy",
                    self._entries[entries[i]].label if entries[i] >= 0 else self.units[codes[i]],
                    "fuzzy",
                )
                for i in ranked
            ),
        )

    # -- public ------------------------------------------------------------------------------

    def code(self, title: str, context: str = "", top: int = 1, *, expand: bool = False) -> Coding:
        """Code one title (with optional context text such as an industry or a description).

        ``expand`` (for search) fills the ``top`` answers of an exact match with the best
        similar titles' codes, scored below the exact ones.
        """
        found, core, extra = self._match(title, context, top)
        if found is None:
            if not core:
                return Coding(title, ())
            found = self._fuzzy(core, extra, top)
            return Coding(title, found.candidates, found.ambiguous)
        candidates = found.candidates
        if expand and len(candidates) < top:
            candidates = _extend(candidates, self._fuzzy(core, extra, top).candidates, top)
        return Coding(title, candidates, found.ambiguous)

    def query_words(
        self, title: str, context: str = ""
    ) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
        """The title and context words the fuzzy stage would score, or None when some form of
        the title matches an index title."""
        found, core, extra = self._match(title, context, 1)
        return (core, extra) if found is None and core else None

    def _match(
        self, title: str, context: str, top: int
    ) -> tuple[Coding | None, tuple[str, ...], tuple[str, ...]]:
        """The answer when some form of the title is an index title (else None), and the title
        and context words the fuzzy stage would use."""
        query = normalise(title, context)
        if not query.core:
            return None, (), ()
        tokens = self._prepare(query.tokens)
        core = _core(tokens)
        extra = tuple(w for w in self._prepare(query.context) if w not in tokens)
        typo = tokens != query.tokens
        qualifiers = frozenset(extra)
        for words, rewrite in self._forms(query.alternatives, tokens, core, extra):
            key = _key(words)
            kid = self._key_ids.get(key)
            route = "rewrite" if rewrite else "exact"
            if kid is None:
                kid = self._aliases.get(key)
                route = "rewrite" if rewrite else "alias"
            if kid is None:
                continue
            found = self._exact(kid, qualifiers, "typo" if typo else route, top)
            return found, core, extra
        rewritten = self._lexicon.rewrite(tokens)
        if rewritten and rewritten != tokens:
            core = _core(rewritten)  # the fuzzy stage scores the rewritten words
        return None, core, extra

    def _forms(
        self,
        alternatives: Sequence[tuple[str, ...]],
        tokens: tuple[str, ...],
        core: tuple[str, ...],
        extra: tuple[str, ...],
    ) -> Iterator[tuple[tuple[str, ...], bool]]:
        """The forms of a title tried for an exact match, in order, each with whether it
        was reached by a rewrite: with and without context, seniority; then each side of a
        choice; then the title with modern vocabulary rewritten by the lexicon."""
        if extra:
            yield (*tokens, *extra), False
        yield tokens, False
        yield core, False
        for alternative in alternatives:
            words = self._prepare(alternative)
            yield words, True
            yield _core(words), True
        rewritten = self._lexicon.rewrite(tokens)
        if rewritten and rewritten != tokens:
            yield rewritten, True
            yield _core(rewritten), True

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
        """Forget what is memoised per matched title and per word (for benchmarks)."""
        self._ranked.clear()
        self._exact_memo.clear()
        self._fixes.clear()
        self._model.clear_cache()

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
        Candidate(c.code, c.title, min(c.score, ceiling), c.method, c.matched, c.route)
        for c in more
        if c.code not in seen
    ]
    return (*first, *extra)[:top]


def _core(words: tuple[str, ...]) -> tuple[str, ...]:
    """Title words without seniority and grade words (all of them when nothing else is left)."""
    return tuple(w for w in words if w not in SENIORITY) or words


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


def load_coders(
    db: Database, release_id: int, versions: Sequence[str] = VERSIONS
) -> dict[str, Coder]:
    """A coder per SOC version present in a release of the store (of ``versions`` only)."""
    with _no_gc():
        return _load_coders(db, release_id, versions)


def _load_coders(db: Database, release_id: int, versions: Sequence[str]) -> dict[str, Coder]:
    rows = read_index(db, release_id)
    groups = read_groups(db, release_id)
    coders: dict[str, Coder] = {}
    for version in versions:
        units = {g.code: g.title for g in groups if g.version == version}
        if units:
            entries = entries_for(version, rows, groups)
            aliases = aliases_for(version, rows)
            documents = documents_for(version, groups)
            coders[version] = Coder(version, entries, aliases, units, documents)
    return coders
