"""Exact and alias matches: some form of the title is an index title.

The forms tried, in order: the words with, then without, context words, then without seniority
words; then each side of a choice ("Receptionist/Administrator"); then the title with modern
vocabulary rewritten by the lexicon (``lexicon.tsv``: "React" → software). A key naming several
codes ("Manager" is qualified by industry in hundreds of entries) ranks them by weight
(``KeyIndex.ranking``) and is flagged *ambiguous* when no code holds half the weight.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence

from lmi.search.coder.answer import ROUTES, Candidate, Coding, calibrate
from lmi.search.coder.index import KeyIndex
from lmi.search.lexicon import Lexicon
from lmi.search.normalise import SENIORITY

__all__ = ["AMBIGUOUS_FACTOR", "ExactMatcher", "core_words"]

#: scores of answers to an ambiguous title are scaled down by this
AMBIGUOUS_FACTOR = 0.5


def core_words(words: tuple[str, ...]) -> tuple[str, ...]:
    """Title words without seniority and grade words (all of them when nothing else is left)."""
    return tuple(w for w in words if w not in SENIORITY) or words


class ExactMatcher:
    """Answers for titles one of whose forms is a key (or an alias) of the index."""

    def __init__(self, index: KeyIndex, units: Mapping[str, str], lexicon: Lexicon) -> None:
        self.index = index
        self.units = units
        self.lexicon = lexicon
        #: memoised per (key, route, top) for titles without context (bounded by the index)
        self._memo: dict[tuple[int, str, int], Coding] = {}

    def forms(
        self,
        alternatives: Sequence[tuple[str, ...]],
        tokens: tuple[str, ...],
        core: tuple[str, ...],
        extra: tuple[str, ...],
        prepare: Callable[[Sequence[str]], tuple[str, ...]],
    ) -> Iterator[tuple[tuple[str, ...], bool]]:
        """The forms of a title tried for an exact match, in order, each with whether it
        was reached by a rewrite: with and without context, seniority; then each side of a
        choice; then the title with modern vocabulary rewritten by the lexicon."""
        if extra:
            yield (*tokens, *extra), False
        yield tokens, False
        yield core, False
        for alternative in alternatives:
            words = prepare(alternative)
            yield words, True
            yield core_words(words), True
        rewritten = self.lexicon.rewrite(tokens)
        if rewritten and rewritten != tokens:
            yield rewritten, True
            yield core_words(rewritten), True

    def coding(self, kid: int, context: frozenset[str], route: str, top: int) -> Coding:
        """Candidates of a matched key (memoised when there is no context)."""
        if context:
            return self._coding(kid, context, route, top)
        found = self._memo.get((kid, route, top))
        if found is None:
            found = self._memo[(kid, route, top)] = self._coding(kid, context, route, top)
        return found

    def _coding(self, kid: int, context: frozenset[str], route: str, top: int) -> Coding:
        """``route`` says how the key was reached (``ROUTES``) and picks the calibration;
        ``exact`` is reported as ``alias`` for a related or group title."""
        entries = self.index.entries
        ranked = self.index.ranking(kid, context)
        top_entry = entries[ranked[0][2]]
        ambiguous = len(ranked) >= 3 and ranked[0][1] < 0.5 and bool(top_entry.qualifier)
        candidates = []
        for code, share, eid in ranked[:top]:
            entry = entries[eid]
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

    def clear_cache(self) -> None:
        self._memo.clear()
