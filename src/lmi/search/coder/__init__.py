"""Coding job titles to SOC unit groups: exact and alias matches first, then similarity.

The index (``index.KeyIndex``) groups every matchable title (coding-index entries, Volume 1
related titles, unit-group titles) by its normalised word set (a *key*). A query is normalised
the same way; its words are repaired against the index vocabulary (``repair.Repairer``: one
misspelt letter, an abbreviation misspelt, a compound the index writes as two words or two words
it writes as one), and then:

1. **exact** (``exact.ExactMatcher``) — a form of the title is a key: the words with, then
   without, context words, then without seniority words; then each side of a choice
   ("Receptionist/Administrator"); then the title with modern vocabulary rewritten by the
   lexicon (``lexicon.tsv``: "React" → software). Reported as **alias** when the key came from a
   ``see`` cross-reference, a Volume 1 related title or a unit-group title, or was reached by a
   rewrite; as **fuzzy** when only after repairing a misspelling. A key naming several codes
   ranks them by weight, with context words matched against the entries' qualifiers, and is
   flagged *ambiguous* when no code holds half the weight.
2. **fuzzy** (``fuzzy.FuzzyRanker``) — candidate codes from similar titles, a head-noun/modifier
   model, the Volume 1 descriptions and the index titles nearest in meaning (static MiniLM word
   vectors shipped with lmi: ``lmi.search.embedding``), ranked by a softmax over named features.

Scores are calibrated per route (``answer.CALIBRATION``) to be read as the chance the code is
right. ``Coder`` is the facade the API, the CLI and the benchmarks use.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

from lmi.search.coder.answer import CALIBRATION, ROUTES, Candidate, Coding, calibrate, extend
from lmi.search.coder.exact import ExactMatcher, core_words
from lmi.search.coder.fuzzy import FEATURES, WEIGHTS, Feature, FuzzyRanker
from lmi.search.coder.index import KeyIndex, no_gc
from lmi.search.coder.repair import Repairer
from lmi.search.embedding import StaticEmbedding, default_embedding
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
from lmi.search.normalise import normalise
from lmi.store.database import Database

__all__ = [
    "CALIBRATION",
    "FEATURES",
    "ROUTES",
    "WEIGHTS",
    "Candidate",
    "Coder",
    "Coding",
    "Feature",
    "calibrate",
    "load_coders",
]


class Coder:
    """An in-memory coder for one SOC version, built once per release."""

    def __init__(
        self,
        version: str,
        entries: Sequence[Entry],
        aliases: Iterable[Alias],
        units: Mapping[str, str],
        documents: Mapping[str, str] | None = None,
        *,
        embedding: Callable[[], StaticEmbedding | None] | None = default_embedding,
    ) -> None:
        self.version = version
        self.units = dict(units)  # unit-group code → title
        self.index = KeyIndex(entries, aliases, self.units)
        # the static word vectors (read when the first unmatched title needs them; None: none)
        self.fuzzy = FuzzyRanker(self.index, self.units, documents or {}, embedding)
        self.repair = Repairer(self.index, self.fuzzy.text_words)  # a method: picklable
        self.exact = ExactMatcher(self.index, self.units, default_lexicon())

    def warm(self) -> Coder:
        """Build now what the first misspelt or unmatched title would otherwise build."""
        self.repair.warm()
        _ = self.fuzzy.text, self.fuzzy.meaning
        return self

    def features(
        self, words: Sequence[str], extra: Sequence[str]
    ) -> tuple[list[str], list[list[float]], list[int]]:
        """The fuzzy stage's candidate codes with their ``FEATURES`` (see ``FuzzyRanker``)."""
        return self.fuzzy.features(words, extra)

    def code(self, title: str, context: str = "", top: int = 1, *, expand: bool = False) -> Coding:
        """Code one title (with optional context text such as an industry or a description).

        ``expand`` (for search) fills the ``top`` answers of an exact match with the best
        similar titles' codes, scored below the exact ones.
        """
        found, core, extra = self._match(title, context, top)
        normalised = " ".join(core)
        if found is None:
            if not core:
                return Coding(title, ())
            found = self.fuzzy.rank(core, extra, top)
            return Coding(title, found.candidates, found.ambiguous, normalised)
        candidates = found.candidates
        if expand and len(candidates) < top:
            candidates = extend(candidates, self.fuzzy.rank(core, extra, top).candidates, top)
        return Coding(title, candidates, found.ambiguous, normalised)

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
        prepare = self.repair.prepare
        tokens = prepare(query.tokens)
        core = core_words(tokens)
        extra = tuple(w for w in prepare(query.context) if w not in tokens)
        typo = tokens != query.tokens
        qualifiers = frozenset(extra)
        for words, rewrite in self.exact.forms(query.alternatives, tokens, core, extra, prepare):
            hit = self.index.lookup(words)
            if hit is None:
                continue
            kid, alias = hit
            route = "rewrite" if rewrite else "alias" if alias else "exact"
            found = self.exact.coding(kid, qualifiers, "typo" if typo else route, top)
            return found, core, extra
        rewritten = self.exact.lexicon.rewrite(tokens)
        if rewritten and rewritten != tokens:
            core = core_words(rewritten)  # the fuzzy stage scores the rewritten words
        return None, core, extra

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
        self.index.clear_cache()
        self.exact.clear_cache()
        self.repair.clear_cache()

    @property
    def size(self) -> int:
        """Distinct normalised titles indexed."""
        return len(self.index.keys)


def load_coders(
    db: Database, release_id: int, versions: Sequence[str] = VERSIONS
) -> dict[str, Coder]:
    """A coder per SOC version present in a release of the store (of ``versions`` only)."""
    with no_gc():
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
