"""The fuzzy stage: ranking unit groups for a title no index title matches.

Candidate codes come from the keys most like the query (IDF-weighted cosine, head word bonuses,
rapidfuzz ``token_set_ratio``), from a head-noun/modifier model of the index's titles
(``model.TitleModel``), from the unit groups' Volume 1 descriptions (``model.TextModel``) and
from the index titles nearest in *meaning* (``Meaning``: static word vectors distilled from
all-MiniLM-L6-v2, ``lmi.search.embedding``, so "Zookeeper" finds "Zoo keeper" and "Astronaut"
finds pilots though they share no word); a softmax over ``FEATURES`` with ``WEIGHTS`` ranks them.
Features are addressed by name (``Feature``), never by position, so reordering ``FEATURES``
cannot silently corrupt the ranking.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from collections.abc import Callable, Collection, Mapping, Sequence
from enum import IntEnum
from functools import cached_property
from typing import NamedTuple

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz

from lmi.search.coder.answer import CLOSE_CALL, Candidate, Coding, calibrate
from lmi.search.coder.index import KeyIndex, no_gc
from lmi.search.embedding import StaticEmbedding
from lmi.search.model import TextModel
from lmi.search.normalise import text_words

__all__ = ["FEATURES", "WEIGHTS", "Feature", "FuzzyRanker"]

#: words in more keys than this only rescore keys already found by rarer words
COMMON_WORD = 400
#: keys rescored with rapidfuzz in the fuzzy stage
RESCORE = 25
HEAD_BONUS = 0.12
#: similarity kept by a title without the query's head word (its last: "driver", "engineer")
NO_HEAD = 0.7
#: weight of word-to-code votes against title similarity in the fuzzy stage
VOTE = 0.5
#: title-model probability from which a code is a candidate though no similar title names it
NB_CANDIDATE = 0.05
#: codes whose Volume 1 text is most like the query that become candidates, and the least cosine
TEXT_CANDIDATES, TEXT_CANDIDATE = 3, 0.08
#: index titles nearest in meaning whose codes are weighed (``meaning_votes``), the first of them
#: whose codes become candidates, the softmax temperature of their votes, and the extra weight
#: of a title's head word (its last) in its vector
NEAREST, NEAREST_CANDIDATES, NEAREST_TEMPERATURE, HEAD_WEIGHT = 20, 5, 0.05, 1.5
#: unit groups (nearest centroids first) whose titles the nearest-title search reads
PROBE = 8
#: codes whose centroid is nearest in meaning that become candidates
GROUP_CANDIDATES = 3


class Feature(IntEnum):
    """What the fuzzy stage knows of each candidate code, by its position in a feature row
    (``row[Feature.votes]``; see ``FuzzyRanker.features``)."""

    similarity = 0  # the former fuzzy score: best similar title's score blended with votes
    cosine = 1  # IDF-weighted cosine of the best similar title (with head-word bonuses)
    characters = 2  # rapidfuzz token_set_ratio of that title
    share = 3  # the code's share of that title's entries
    title_model = 4  # head/modifier model's posterior probability
    log_title_model = 5
    votes = 6  # share of index titles with each query word naming the code
    head_in_title = 7  # the query's head word is in that title
    title_extra = 8  # share of that title's words not in the query
    coverage = 9  # share of the query's words in that title
    top_title = 10  # the code is the first of the most similar title
    titles = 11  # log(1 + number of similar titles naming the code)
    description = 12  # cosine of the query words with the group's Volume 1 text
    title_model_minor = 13  # title-model probability of the code's minor group (3 digits)
    same_head = 14  # that title's head word (its last) is the query's
    head_model = 15  # title-model probability from the head word (or last two words) alone
    meaning = 16  # cosine of the title's static MiniLM vector with the code's nearest title's
    meaning_votes = 17  # the code's share of the nearest titles by meaning (softmax-weighted)
    meaning_group = 18  # cosine of the title's vector with the code's centroid of titles


#: feature names in row order (the columns of ``bench/coder_fit.py``)
FEATURES = tuple(feature.name for feature in Feature)
#: weights of the features in a softmax over candidate codes: fitted by
#: ``bench/coder_heldout.py --fit-weights`` (``--fit-on related``: the Volume 1 related job titles,
#: each fold's titles removed from the index before coding them, clean and with advert noise;
#: 5,097 examples), a source none of the held-out sets comes from, so the ISCO-08, SOC 2020-new
#: and O*NET sets stay unseen in both halves (earlier weights were fitted on their dev halves)
WEIGHTS: dict[str, float] = {
    "similarity": 1.1528,
    "cosine": 0.6759,
    "characters": -1.4235,
    "share": 0.4001,
    "title_model": 0.9504,
    "log_title_model": 0.2275,
    "votes": 1.3581,
    "head_in_title": -1.2408,
    "title_extra": -1.1697,
    "coverage": 2.2682,
    "top_title": 0.0192,
    "titles": 0.0083,
    "description": 5.9877,
    "title_model_minor": 0.5748,
    "same_head": 0.0548,
    "head_model": -2.3090,
    "meaning": 0.6194,
    "meaning_votes": 1.2638,
    "meaning_group": 6.0808,
}


class Meaning:
    """Static MiniLM vectors of an index's titles (rows: keys) and of its unit groups (the
    share-weighted centroid of the titles naming each), for nearest-neighbour search.

    Keys are stored grouped by their first code, so a search reads only the keys of the
    ``PROBE`` groups whose centroids are nearest (an inverted file whose lists are the unit
    groups): a few thousand rows instead of the whole index.
    """

    def __init__(self, index: KeyIndex, codes: Sequence[str], embedding: StaticEmbedding) -> None:
        self.embedding = embedding
        self.index = index
        idf = index.idf
        vectors = embedding.titles(
            [_weighted(key.text.split()) for key in index.keys], idf, index.unknown_idf
        )
        self.codes = list(codes)
        position = {code: i for i, code in enumerate(self.codes)}
        groups = np.zeros((len(self.codes), embedding.dim), dtype=np.float32)
        first = np.zeros(len(index.keys), dtype=np.int64)
        for kid in range(len(index.keys)):
            shares = index.shares(kid)
            for code, share in shares.items():
                if code in position:
                    groups[position[code]] += share * vectors[kid]
            top = max(shares, key=lambda c: (shares[c], c))
            first[kid] = position.get(top, 0)
        norms = np.linalg.norm(groups, axis=1, keepdims=True)
        self.groups = groups / np.maximum(norms, 1e-12)
        order = np.argsort(first, kind="stable")
        #: key vectors in group order, the key id of each row and each group's rows
        self.vectors = np.ascontiguousarray(vectors[order])
        self.row_keys = order
        bounds = np.searchsorted(first[order], np.arange(len(self.codes) + 1))
        self.rows = [np.arange(bounds[i], bounds[i + 1]) for i in range(len(self.codes))]
        self.bounds: list[int] = bounds.tolist()
        self.position = position
        self.key_rows = np.empty(len(index.keys), dtype=np.int64)
        self.key_rows[order] = np.arange(len(order))

    def vector(self, words: Sequence[str]) -> npt.NDArray[np.float32] | None:
        """The title's unit vector from the words that mean something to the model (None for
        none: junk such as "asdfghjk qwrtzy" has no meaning to search by)."""
        known = [w for w in words if w in self.index.df or self.embedding.known(w)]
        if not known:
            return None
        idf, unknown = self.index.idf, self.index.unknown_idf
        return self.embedding.title(_weighted(known), lambda w: idf.get(w, unknown))

    def nearest(
        self, vector: npt.NDArray[np.float32], n: int
    ) -> tuple[list[tuple[float, int]], npt.NDArray[np.float32]]:
        """The ``n`` keys nearest ``vector`` (cosine, key id) among the keys of the ``PROBE``
        nearest groups, best first; and every group's cosine."""
        group_sims = self.groups @ vector
        probe = (
            np.argpartition(-group_sims, PROBE - 1)[:PROBE]
            if len(group_sims) > PROBE
            else np.arange(len(group_sims))
        )
        chosen = probe.tolist()
        rows = np.concatenate([self.rows[g] for g in chosen])
        vectors, bounds = self.vectors, self.bounds
        # each group's rows are contiguous: products of views, no copy of the rows
        sims = np.concatenate([vectors[bounds[g] : bounds[g + 1]] @ vector for g in chosen])
        n = min(n, len(rows))
        if n == 0:
            return [], group_sims
        best = np.argpartition(-sims, n - 1)[:n]
        best = best[np.argsort(-sims[best])]
        return [(float(sims[i]), int(self.row_keys[rows[i]])) for i in best.tolist()], group_sims

    def similarities(self, vector: npt.NDArray[np.float32], kids: Sequence[int]) -> list[float]:
        """The cosine of each of ``kids`` with ``vector``."""
        if not kids:
            return []
        sims: list[float] = (self.vectors[self.key_rows[list(kids)]] @ vector).tolist()
        return sims


class Sense(NamedTuple):
    """What a title's vector says: each code of the ``NEAREST`` index titles with its best
    cosine, entry and whether one of the first ``NEAREST_CANDIDATES`` names it first; the codes'
    shares of those titles' softmax-weighted votes; every unit group's cosine (by ``position``);
    the ``GROUP_CANDIDATES`` nearest groups; the cosine of each similar key by its id."""

    near: dict[str, tuple[float, int, bool]]
    votes: dict[str, float]
    groups: npt.NDArray[np.float32]
    position: Mapping[str, int]
    top_groups: list[str]
    keys: dict[int, float]

    def group(self, code: str) -> float:
        i = self.position.get(code)
        return float(self.groups[i]) if i is not None else 0.0


NO_SENSE = Sense({}, {}, np.zeros(0, dtype=np.float32), {}, [], {})


def _weighted(words: Sequence[str]) -> list[str]:
    """Title words with the head word (the last) repeated by ``HEAD_WEIGHT`` (rounded up to
    a half: repeated once more when the weight exceeds 1)."""
    return [*words, words[-1]] if words and HEAD_WEIGHT > 1 else list(words)


class FuzzyRanker:
    """Similar titles, the title model and the Volume 1 text, combined by ``WEIGHTS``."""

    def __init__(
        self,
        index: KeyIndex,
        units: Mapping[str, str],
        documents: Mapping[str, str],
        embedding: Callable[[], StaticEmbedding | None] | None = None,
    ) -> None:
        self.index = index
        self.units = units
        self.documents = {c: t for c, t in documents.items() if c in units}
        self.weights = tuple(WEIGHTS[feature.name] for feature in Feature)
        self.weight_vector = np.array(self.weights, dtype=np.float64)
        #: the static word vectors, read when the first unmatched title needs them
        self.embedding = embedding

    @cached_property
    def meaning(self) -> Meaning | None:
        """The index's title vectors (built when the first unmatched title needs them)."""
        embedding = self.embedding() if self.embedding is not None else None
        if embedding is None:
            return None
        with no_gc():
            return Meaning(self.index, sorted(self.units), embedding)

    @cached_property
    def text(self) -> TextModel:
        """The Volume 1 text model (built when the first unmatched title needs it)."""
        with no_gc():
            return TextModel({c: text_words(text) for c, text in self.documents.items()})

    def text_words(self) -> Collection[str]:
        """Every word of the Volume 1 texts (real words, whatever the index holds)."""
        return self.text.idf.keys()

    def similar_keys(self, words: Sequence[str], extra: Sequence[str]) -> list[tuple[float, int]]:
        """(IDF cosine + head bonus, key) for keys sharing a word with the query, best first."""
        index = self.index
        idf, df, keys = index.idf, index.df, index.keys
        known = sorted((w for w in set(words) if w in idf), key=df.__getitem__)
        if not known:
            return []
        q_norm = math.sqrt(
            sum(idf[w] ** 2 if w in idf else index.unknown_idf**2 for w in set(words))
            + sum(0.25 * idf[w] ** 2 for w in extra if w in idf)
        )
        dots: dict[int, float] = defaultdict(float)
        for word in known:
            weight = idf[word] ** 2
            if df[word] > COMMON_WORD and dots:
                for kid in dots:
                    if word in keys[kid].words:
                        dots[kid] += weight
            else:
                for kid in index.postings[word]:
                    dots[kid] += weight
        for word in extra:
            if word in idf and word not in words:
                weight = 0.5 * idf[word] ** 2
                for kid in dots:
                    if word in keys[kid].words:
                        dots[kid] += weight
        head = words[-1]
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

    def votes(self, words: Sequence[str]) -> dict[str, float]:
        """Each code's share of the index titles containing each query word, IDF-weighted."""
        votes: dict[str, float] = defaultdict(float)
        total = 0.0
        for word in words:
            idf = self.index.idf.get(word, self.index.unknown_idf)
            total += idf
            dist = self.index.model.words.get(word)
            if dist is not None:
                for code, count in dist.counts.items():
                    votes[code] += idf * count / dist.total
        return {code: vote / total for code, vote in votes.items()} if total else {}

    def features(
        self, words: Sequence[str], extra: Sequence[str]
    ) -> tuple[list[str], list[list[float]], list[int]]:
        """Candidate codes for words matching no index title, each with its ``FEATURES`` and
        the entry that best supports it (-1 when only the title model proposes it)."""
        F = Feature
        similar = self.similar_keys(words, extra)
        nb, by_head = self.index.model.both(words)
        sense = self._meaning(words, [kid for _, kid in similar])
        if not similar and not nb and not sense.near:
            return [], [], []
        votes = self.votes(words)
        text = " ".join(words)
        context = frozenset(extra)
        query = frozenset(words)
        head = words[-1]
        found: dict[str, list[float]] = {}
        entries: dict[str, int] = {}
        for rank, (sim, kid) in enumerate(similar):
            key = self.index.keys[kid]
            char = fuzz.token_set_ratio(text, key.text) / 100
            raw = (0.8 * min(sim, 1.0) + 0.2 * char) / (1 + HEAD_BONUS * 0.3)
            shared = len(query & key.words)
            for j, (code, share, eid) in enumerate(self.index.ranking(kid, context)):
                score = raw * (0.75 + 0.25 * share)
                row = found.get(code)
                if row is not None:
                    row[F.titles] += 1.0
                    if score <= row[F.similarity]:
                        continue
                    count = row[F.titles]
                else:
                    count = 1.0
                row = [0.0] * len(FEATURES)
                row[F.similarity] = score
                row[F.cosine] = min(sim, 1.5)
                row[F.characters] = char
                row[F.share] = share
                row[F.head_in_title] = 1.0 if head in key.words else 0.0
                row[F.title_extra] = (len(key.words) - shared) / len(key.words)
                row[F.coverage] = shared / len(query)
                row[F.top_title] = 1.0 if rank == 0 and j == 0 else 0.0
                row[F.titles] = count
                row[F.same_head] = 1.0 if head == key.head else 0.0
                row[F.meaning] = sense.keys.get(kid, 0.0)
                found[code] = row
                entries[code] = eid
        text_scores = self.text.scores(words, extra)
        proposed = [c for c, p in nb.items() if p >= NB_CANDIDATE]
        proposed += heapq.nlargest(TEXT_CANDIDATES, text_scores, key=text_scores.__getitem__)
        for code in proposed:
            if code not in found and code in self.units:
                if nb.get(code, 0.0) >= NB_CANDIDATE or text_scores[code] >= TEXT_CANDIDATE:
                    found[code] = [0.0] * len(FEATURES)
                    entries[code] = -1
        for code, (_, eid, first) in sense.near.items():
            if first and code not in found and code in self.units:
                found[code] = [0.0] * len(FEATURES)
                entries[code] = eid
        for code in sense.top_groups:
            if code not in found and code in self.units:
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
            row[F.similarity] = (1 - VOTE) * row[F.similarity] + VOTE * vote
            row[F.title_model] = p
            row[F.log_title_model] = math.log(p + 1e-3)
            row[F.votes] = vote
            row[F.titles] = math.log1p(row[F.titles])
            row[F.description] = text_scores.get(code, 0.0)
            row[F.title_model_minor] = minor.get(code[:3], 0.0)
            row[F.head_model] = by_head.get(code, 0.0)
            if code in sense.near:
                row[F.meaning] = max(row[F.meaning], sense.near[code][0])
            row[F.meaning_votes] = sense.votes.get(code, 0.0)
            row[F.meaning_group] = sense.group(code)
            rows.append(row)
        return codes, rows, [entries[c] for c in codes]

    def _meaning(self, words: Sequence[str], kids: Sequence[int]) -> Sense:
        """What the title's vector says (``Sense``); ``kids``: the similar keys found by words."""
        meaning = self.meaning
        vector = meaning.vector(words) if meaning is not None else None
        if meaning is None or vector is None:
            return NO_SENSE
        nearest, group_sims = meaning.nearest(vector, NEAREST)
        near: dict[str, tuple[float, int, bool]] = {}
        votes: dict[str, float] = defaultdict(float)
        total = 0.0
        best = nearest[0][0] if nearest else 0.0
        for rank, (sim, kid) in enumerate(nearest):
            weight = math.exp((sim - best) / NEAREST_TEMPERATURE)
            total += weight
            for j, (code, share, eid) in enumerate(self.index.ranking(kid, frozenset())):
                votes[code] += weight * share
                first = rank < NEAREST_CANDIDATES and j == 0
                if code not in near:
                    near[code] = (sim, eid, first)
                elif first and not near[code][2]:
                    near[code] = (near[code][0], near[code][1], True)
        n = min(GROUP_CANDIDATES, len(group_sims))
        top = np.argpartition(-group_sims, n - 1)[:n] if n else np.arange(0)
        return Sense(
            near,
            {c: v / total for c, v in votes.items()} if total else {},
            group_sims,
            meaning.position,
            [meaning.codes[i] for i in top.tolist()],
            dict(zip(kids, meaning.similarities(vector, kids), strict=True)),
        )

    def rank(self, words: Sequence[str], extra: Sequence[str], top: int) -> Coding:
        """The ``top`` candidate codes, each scored by its calibrated softmax probability."""
        codes, rows, entries = self.features(words, extra)
        if not codes:
            return Coding("", ())
        logits = np.asarray(rows, dtype=np.float64) @ self.weight_vector
        exps = np.exp(logits - logits.max()).tolist()
        total = sum(exps)
        ranked = sorted(range(len(codes)), key=lambda i: -exps[i])
        scores = [calibrate("fuzzy", exps[i] / total) for i in ranked[: max(top, 2)]]
        low, margin = CLOSE_CALL
        close = len(scores) > 1 and scores[0] < low and scores[0] - scores[1] < margin
        labels = self.index.entries
        return Coding(
            "",
            tuple(
                Candidate(
                    codes[i],
                    self.units[codes[i]],
                    score,
                    "fuzzy",
                    labels[entries[i]].label if entries[i] >= 0 else self.units[codes[i]],
                    "fuzzy",
                )
                for i, score in zip(ranked[:top], scores, strict=False)
            ),
            close,
        )
