"""A modelled subject → occupation link: keyword affinity, stated as a rule.

No open table gives the occupations graduates of each subject go into (HESA publishes it by
SOC major group at most; LMI for All had a bespoke DLHE extract). Until HESA's table is loaded,
lmi links a CAH subject to SOC unit groups by this rule, from real inputs only:

1. **Subject words**: the CAH label (weight 3), the labels of the CAH codes below it and of the
   HECoS codes mapped to them (weight 1 each, as one block normalised to weight 2), plus the
   synonyms of :data:`SYNONYMS` for words of the CAH label.
2. **Occupation words**: the ONS unit-group title (weight 3), its related job titles (weight 1
   as a block) and its "typical entry routes and associated qualifications" (weight 1).
3. Words are lower-cased, stop words dropped, and reduced by a light suffix-stripping stemmer
   (:func:`stem`: ``nursing``/``nurses`` → ``nurs``, ``accountants``/``accounting`` →
   ``account``).
4. **Affinity** = Σ over shared stems of subject weight × occupation weight × idf², with idf =
   log(N / document frequency) over the N unit groups of the SOC version; an occupation whose
   entry routes do not mention a degree has its affinity halved (graduate entry).
5. The occupations kept are the top :data:`TOP` by affinity with affinity ≥ :data:`FLOOR` ×
   the best. Their **affinity shares** are affinity ÷ Σ affinity of the kept occupations ×
   100; when the subject's share of graduates in professional or managerial jobs (SOC major
   groups 1–3, Discover Uni) is known, the shares within majors 1–3 are scaled down, if
   needed, so they add up to no more than it, and those within 4–9 to no more than the share
   in other jobs (100 minus the professional share when that is not known); what is left
   is "other occupations", not listed.

Affinity shares are an indicative split of the kept occupations, not estimates of how many
graduates enter each: every figure made from them is labelled ``modelled`` with this method.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

__all__ = [
    "FLOOR",
    "METHOD_NOTE",
    "STOP_WORDS",
    "SYNONYMS",
    "TOP",
    "Link",
    "LinkModel",
    "Occupation",
    "SubjectDoc",
    "stem",
    "tokens",
]

TOP = 10
FLOOR = 0.15
NON_GRADUATE_FACTOR = 0.5
METHOD_NOTE = (
    "Modelled link (no HESA occupation-by-subject table is loaded): keyword affinity between "
    "the subject's CAH and HECoS labels and each SOC unit group's title, related job titles "
    "and entry routes (stemmed words weighted by rarity, halved for occupations whose entry "
    "routes mention no degree); the top occupations are kept and their affinity shares capped "
    "by the subject's Discover Uni shares in professional/managerial jobs (SOC 1–3) and in "
    "other jobs, the rest left to occupations not listed. An indicative split, not counts of "
    "graduates."
)
STOP_WORDS = frozenset(
    "a an and or of the in on for with to by as at from not non other others general "
    "specific studies study subject subjects related elsewhere classified nec n e c "
    "occupation occupations worker workers professional professionals associate assistant "
    "assistants etc including include includes usually entrant entrants entry may also "
    "available relevant qualification qualifications level levels equivalent possible "
    "required require requires some such this these there their which who are is be can "
    "have has will all any either into through within without under over after before "
    "experience experienced training trained course courses programme programmes scheme "
    "schemes academic vocational nvq nvqs svq svqs gcse gcses grade grades s btec hnc hnd "
    "requirement requirements a-level a-levels variety various further higher year years "
    "month months number typical typically".split()
)
#: words of a CAH label → words occupations use for the same field (a stated, small rule)
SYNONYMS: Mapping[str, tuple[str, ...]] = {
    "law": ("legal", "lawyer", "solicitor", "barrister"),
    "medicine": ("medical", "doctor"),
    "dentistry": ("dental", "dentist"),
    "veterinary": ("veterinarian",),
    "nursing": ("nurse",),
    "midwifery": ("midwife",),
    "education": ("teacher", "teaching", "education"),
    "teaching": ("teacher",),
    "computing": ("software", "programmer", "developer", "computer"),
    "business": ("business", "manager"),
    "management": ("manager",),
    "finance": ("financial",),
    "media": ("journalist", "broadcasting"),
    "sport": ("sports", "fitness", "coach"),
    "agriculture": ("farmer", "farm"),
    "pharmacology": ("pharmacist",),
    "pharmacy": ("pharmacist",),
    "architecture": ("architect",),
    "psychology": ("psychologist",),
    "economics": ("economist",),
    "languages": ("translator", "interpreter"),
}
_WORD = re.compile(r"[a-z]+")
_SUFFIXES = (
    "icists",
    "ically",
    "ational",
    "istry",
    "ations",
    "ation",
    "ments",
    "ment",
    "ities",
    "ness",
    "ians",
    "ists",
    "ants",
    "ings",
    "ical",
    "ity",
    "ian",
    "ist",
    "ant",
    "ing",
    "ure",
    "ine",
    "ers",
    "ors",
    "ics",
    "ies",
    "ed",
    "er",
    "or",
    "es",
    "al",
    "ic",
    "s",
    "y",
    "e",
)
_DEGREE = re.compile(r"\b(degree|graduate|postgraduate|doctorate|phd)\b", re.IGNORECASE)


#: words whose suffix stripping would join them to a word of another field (false friends):
#: "nursery" (childcare) is not "nursing"
OWN_STEMS = {"nursery": "nursery", "nurseries": "nursery"}


def stem(word: str) -> str:
    """Strip common English suffixes while at least 4 letters remain (repeatedly)."""
    own = OWN_STEMS.get(word)
    if own is not None:
        return own
    current = word
    while True:
        for suffix in _SUFFIXES:
            if current.endswith(suffix) and len(current) - len(suffix) >= 4:
                current = current[: -len(suffix)]
                break
        else:
            return current


def tokens(text: str) -> list[str]:
    """Stems of the words of ``text`` that are not stop words."""
    return [stem(w) for w in _WORD.findall(text.lower()) if w not in STOP_WORDS and len(w) > 1]


@dataclass(frozen=True)
class SubjectDoc:
    """A CAH subject: its own label and the labels under it (CAH codes below, HECoS codes)."""

    code: str
    label: str
    below: tuple[str, ...] = ()


@dataclass(frozen=True)
class Occupation:
    code: str
    title: str
    related_titles: tuple[str, ...] = ()
    entry_routes: str = ""

    @property
    def major(self) -> str:
        return self.code[:1]

    @property
    def graduate_entry(self) -> bool:
        return _DEGREE.search(self.entry_routes) is not None


@dataclass(frozen=True)
class Link:
    code: str
    affinity: float  # raw score
    relative: float  # ÷ the best occupation's affinity (0–1)
    share: float  # affinity share, per cent (see the module docstring)
    shared_words: tuple[str, ...]


@dataclass
class LinkModel:
    """The occupations of one SOC version, ready to score subjects against."""

    occupations: Sequence[Occupation]
    _vectors: list[dict[str, float]] = field(default_factory=list, init=False)
    _idf: dict[str, float] = field(default_factory=dict, init=False)
    _postings: dict[str, list[int]] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        raw = [_occupation_vector(o) for o in self.occupations]
        df: Counter[str] = Counter()
        for vector in raw:
            df.update(vector.keys())
        n = max(len(raw), 1)
        self._idf = {w: math.log(n / c) for w, c in df.items()}
        self._vectors = raw
        postings: dict[str, list[int]] = defaultdict(list)
        for i, vector in enumerate(raw):
            for word in vector:
                postings[word].append(i)
        self._postings = dict(postings)

    def link(
        self,
        subject: SubjectDoc,
        professional_share: float | None = None,
        other_share: float | None = None,
    ) -> list[Link]:
        """The subject's occupations, best first (empty when no word is shared)."""
        query = _subject_vector(subject)
        scores: dict[int, float] = defaultdict(float)
        shared: dict[int, list[tuple[float, str]]] = defaultdict(list)
        for word, weight in query.items():
            idf = self._idf.get(word, 0.0)
            if idf <= 0:
                continue
            for i in self._postings.get(word, ()):
                gain = weight * self._vectors[i][word] * idf * idf
                scores[i] += gain
                shared[i].append((gain, word))
        for i in scores:
            if not self.occupations[i].graduate_entry:
                scores[i] *= NON_GRADUATE_FACTOR
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], self.occupations[kv[0]].code))
        if not ranked or ranked[0][1] <= 0:
            return []
        best = ranked[0][1]
        kept = [(i, s) for i, s in ranked[:TOP] if s >= FLOOR * best]
        majors = [(self.occupations[i].major, s) for i, s in kept]
        shares = _shares(majors, professional_share, other_share)
        return [
            Link(
                code=self.occupations[i].code,
                affinity=round(s, 4),
                relative=round(s / best, 3),
                share=round(share, 1),
                shared_words=tuple(w for _, w in sorted(shared[i], reverse=True)[:5]),
            )
            for (i, s), share in zip(kept, shares, strict=True)
        ]


def _shares(
    kept: list[tuple[str, float]], professional: float | None, other: float | None
) -> list[float]:
    total = sum(s for _, s in kept)
    plain = [100.0 * s / total for _, s in kept]
    if professional is None:
        return plain
    caps = {True: professional, False: max(0.0, 100.0 - professional if other is None else other)}
    sums = {True: 0.0, False: 0.0}
    for (major, _), share in zip(kept, plain, strict=True):
        sums[major in "123"] += share
    factor = {b: min(1.0, caps[b] / sums[b]) if sums[b] else 1.0 for b in (True, False)}
    return [share * factor[m in "123"] for (m, _), share in zip(kept, plain, strict=True)]


def _weigh(texts: Iterable[str], weight: float, into: dict[str, float]) -> None:
    words = [w for text in texts for w in tokens(text)]
    if not words:
        return
    counts = Counter(words)
    norm = math.sqrt(sum(c * c for c in counts.values()))
    for word, count in counts.items():
        into[word] = into.get(word, 0.0) + weight * count / norm


def _occupation_vector(o: Occupation) -> dict[str, float]:
    found: dict[str, float] = {}
    _weigh([o.title], 3.0, found)
    _weigh(o.related_titles, 1.0, found)
    _weigh([o.entry_routes], 1.0, found)
    return found


def _subject_vector(s: SubjectDoc) -> dict[str, float]:
    found: dict[str, float] = {}
    own = [s.label]
    for word in _WORD.findall(s.label.lower()):
        own += SYNONYMS.get(word, ())
    _weigh(own, 3.0, found)
    _weigh(s.below, 2.0, found)
    return found
