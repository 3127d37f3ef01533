"""The coder's title index: every matchable title grouped by its normalised word set.

Not to be confused with ``lmi.search.index``, which *reads* the titles from a release: this
module turns them into what matching needs. A *key* is a title's normalised word set; keys carry
their entries (coding-index entries, Volume 1 related titles, unit-group titles), and the index
keeps the words' document frequencies and IDF, postings, the ``see`` aliases and the head-noun
and modifier model (``model.TitleModel``) of all keys. It also ranks the codes of one key by
the weight of its entries (``ranking``): unqualified entries and the version's own index count
most, and context words matched against the entries' qualifiers count more still.
"""

from __future__ import annotations

import gc
import itertools
import math
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property

from lmi.search.index import Alias, Entry
from lmi.search.model import TitleModel
from lmi.search.normalise import title_tokens

__all__ = ["KeyIndex", "Ranked", "TitleKey", "key_of", "no_gc"]

#: weight of an unqualified entry and of one qualified by industry or context (ADD/IND columns):
#: the coding index gives a bare title's code by its unqualified entry
UNQUALIFIED, QUALIFIED = 3.0, 0.5
#: qualifiers saying only "professional" or "qualified": the index codes a bare "Civil engineer"
#: or "Management accountant" to the lower group, but a job advert with that title nearly always
#: means the professional, so such entries outweigh the unqualified one
PROFESSIONAL = frozenset({"professional", "qualified", "professionally", "chartered"})
PROFESSIONAL_WEIGHT = 3.5

#: (code, share of the key's weight, the entry that best supports the code), best first
Ranked = tuple[tuple[str, float, int], ...]


@dataclass(slots=True)
class TitleKey:
    """Entries sharing one normalised word set."""

    words: frozenset[str]
    text: str  # words in title order, for rapidfuzz
    head: str  # last word of the title (the noun, in English job titles)
    entries: list[int]
    norm: float = 0.0


def key_of(words: Iterable[str]) -> str:
    """The lookup key of a word sequence: its distinct words, sorted."""
    return " ".join(sorted(set(words)))


@contextmanager
def no_gc() -> Iterator[None]:
    """Building allocates many small objects: cyclic GC passes would only slow it down."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class KeyIndex:
    """Keys, words and the title model of one SOC version's matchable titles."""

    def __init__(
        self, entries: Sequence[Entry], aliases: Iterable[Alias], units: Mapping[str, str]
    ) -> None:
        self.entries = list(entries)
        self.keys: list[TitleKey] = []
        self.key_ids: dict[str, int] = {}
        self.aliases: dict[str, int] = {}
        self._index_entries(units)
        self._index_aliases(aliases)
        self.df = self._document_frequencies()
        n = len(self.keys)
        self.idf = {w: math.log(1 + n / df) for w, df in self.df.items()}
        self.unknown_idf = math.log(1 + n)
        self.postings: dict[str, list[int]] = defaultdict(list)
        for kid, key in enumerate(self.keys):
            key.norm = math.sqrt(sum(self.idf[w] ** 2 for w in key.words))
            for word in key.words:
                self.postings[word].append(kid)
        #: memoised per key (bounded by the index size)
        self._ranked: dict[int, Ranked] = {}
        self.model = TitleModel(
            (
                key.text.split(),
                {self.entries[key.entries[0]].code: 1.0}
                if len(key.entries) == 1
                else self.shares(kid),
            )
            for kid, key in enumerate(self.keys)
        )

    # -- building ----------------------------------------------------------------------------

    def _index_entries(self, units: Mapping[str, str]) -> None:
        by_title: dict[str, int] = {}  # titles repeat across qualified entries
        keys, key_ids = self.keys, self.key_ids
        for eid, entry in enumerate(self.entries):
            if entry.code not in units:
                continue
            kid = by_title.get(entry.title)
            if kid is None:
                words = title_tokens(entry.title)
                if not words:
                    kid = by_title[entry.title] = -1
                else:
                    key = key_of(words)
                    kid = key_ids.get(key)
                    if kid is None:
                        kid = key_ids[key] = len(keys)
                        keys.append(TitleKey(frozenset(words), " ".join(words), words[-1], []))
                    by_title[entry.title] = kid
            if kid >= 0:
                keys[kid].entries.append(eid)

    def _index_aliases(self, aliases: Iterable[Alias]) -> None:
        for alias in aliases:
            words, target = title_tokens(alias.title), title_tokens(alias.target)
            if not words or not target:
                continue
            kid = self.key_ids.get(key_of(target))
            if kid is not None and key_of(words) not in self.key_ids:
                self.aliases[key_of(words)] = kid

    def _document_frequencies(self) -> dict[str, int]:
        df: dict[str, int] = defaultdict(int)
        for key in self.keys:
            for word in key.words:
                df[word] += 1
        return dict(df)

    @cached_property
    def vocabulary(self) -> list[str]:
        """Index words, sorted (for two-edit corrections)."""
        return sorted(self.df)

    @cached_property
    def bigrams(self) -> set[tuple[str, str]]:
        """Adjacent word pairs of index titles: pairs the index writes as two words."""
        with no_gc():
            return {pair for key in self.keys for pair in itertools.pairwise(key.text.split())}

    def lookup(self, words: Sequence[str]) -> tuple[int, bool] | None:
        """The key a form of a title names (and whether through an alias), else None."""
        key = key_of(words)
        kid = self.key_ids.get(key)
        if kid is not None:
            return kid, False
        kid = self.aliases.get(key)
        return (kid, True) if kid is not None else None

    # -- ranking a key's codes ---------------------------------------------------------------

    def ranking(self, kid: int, context: frozenset[str]) -> Ranked:
        """(code, share of weight, best entry) for a key's entries, best first."""
        if not context:
            found = self._ranked.get(kid)
            if found is not None:
                return found
            entries = self.keys[kid].entries
            if len(entries) == 1:
                found = self._ranked[kid] = ((self.entries[entries[0]].code, 1.0, entries[0]),)
                return found
        weights: dict[str, float] = defaultdict(float)
        best: dict[str, tuple[float, int]] = {}
        for eid in self.keys[kid].entries:
            entry = self.entries[eid]
            weight = entry.weight * self.base_weight(eid)
            qualifier = frozenset(title_tokens(entry.qualifier)) if context else frozenset()
            if qualifier & context:
                weight = entry.weight * UNQUALIFIED * 2 * len(qualifier & context) / len(qualifier)
            weights[entry.code] += weight
            if entry.code not in best or weight > best[entry.code][0]:
                best[entry.code] = (weight, eid)
        total = sum(weights.values())
        head = self.keys[kid].head
        ranked = tuple(
            (code, weights[code] / total, best[code][1])
            for code in sorted(weights, key=lambda c: (-weights[c], -self.support(head, c), c))
        )
        if not context:
            self._ranked[kid] = ranked
        return ranked

    def shares(self, kid: int) -> dict[str, float]:
        """Each code's share of a key's entries (the weights of ``ranking``, unordered)."""
        entries = self.keys[kid].entries
        if len(entries) == 1:
            return {self.entries[entries[0]].code: 1.0}
        weights: dict[str, float] = defaultdict(float)
        for eid in entries:
            weights[self.entries[eid].code] += self.entries[eid].weight * self.base_weight(eid)
        total = sum(weights.values())
        return {code: weight / total for code, weight in weights.items()}

    def base_weight(self, eid: int) -> float:
        """An entry's weight before context: unqualified, professional or qualified."""
        qualifier = self.entries[eid].qualifier
        if not qualifier:
            return UNQUALIFIED
        if PROFESSIONAL.issuperset(title_tokens(qualifier)):
            return PROFESSIONAL_WEIGHT
        return QUALIFIED

    def support(self, word: str, code: str) -> float:
        """How many keys with ``word`` name ``code``: breaks ties between equal entries."""
        dist = self.model.words.get(word)
        return dist.counts.get(code, 0.0) if dist is not None else 0.0

    def clear_cache(self) -> None:
        """Forget the rankings memoised per key and the model's per-word distributions."""
        self._ranked.clear()
        self.model.clear_cache()
