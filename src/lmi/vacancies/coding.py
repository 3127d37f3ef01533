"""Coding adverts to SOC 2010 and SOC 2020 with the release's coders, with score and status.

The job title (:func:`job_title`: the advert's title without bracketed notes and the place or
selling point after a dash) is coded with the advert's category as context; when nothing matches
and the advert has a description, its first words are tried as context too. Answers are
remembered per (title, context): boards repeat titles.

Status: ``coded`` (score ≥ :data:`CODED`), ``low`` (a code, less sure), ``ambiguous`` (the coder
flags a bare title such as "Manager"), ``uncoded`` (nothing matched), ``no-coder`` (the release
has no coding index for that version).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lmi.search.coder import Coder
from lmi.vacancies.model import Advert

__all__ = ["CODED", "AdvertCoder", "Code"]

#: calibrated score from which an advert counts as coded (≈ the chance the code is right)
CODED = 0.5
VERSIONS = ("soc2010", "soc2020")
#: what adverts add to a job title: bracketed notes ("(Nights)", "[Remote]"), and after a
#: dash or bar a place or a selling point ("- London", "| Immediate start")
_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_TAIL = re.compile(r"\s+[-–—|]\s+.*$|\s*[|–—].*$")
_SPACES = re.compile(r"\s+")
MEMO_LIMIT = 200_000


@dataclass(frozen=True, slots=True)
class Code:
    code: str | None
    score: float | None
    status: str


NO_CODER = Code(None, None, "no-coder")


def job_title(text: str) -> str:
    """The job title in an advert's title, lower case: ``"Snr Java Dev - London (Hybrid)"`` →
    ``"snr java dev"`` (the whole text when cutting would leave nothing). Also the memo key,
    so the same job advertised with different places or notes is coded once."""
    cut = _TAIL.sub("", _BRACKETS.sub(" ", text))
    cleaned = _SPACES.sub(" ", cut).strip().casefold()
    return cleaned or _SPACES.sub(" ", text).strip().casefold()


class AdvertCoder:
    def __init__(self, coders: dict[str, Coder], release_id: int | None) -> None:
        self.coders = coders
        self.release_id = release_id
        self._memo: dict[tuple[str, str, str], Code] = {}
        self._titles: dict[str, str] = {}  # advert title → job title (boards repeat titles)

    def code(self, advert: Advert) -> dict[str, Code]:
        category, _, description = advert.context.partition("\u0000")
        return self.code_text(advert.title, category, description)

    def code_text(self, title: str, category: str, description: str) -> dict[str, Code]:
        """Codes for an advert's title, category and first words of its description."""
        cut = self._titles.get(title)
        if cut is None:
            if len(self._titles) >= MEMO_LIMIT:
                self._titles.clear()
            cut = self._titles[title] = job_title(title)
        return {v: self._code(v, cut, category, description) for v in VERSIONS}

    def _code(self, version: str, title: str, category: str, description: str) -> Code:
        coder = self.coders.get(version)
        if coder is None:
            return NO_CODER
        found = self._once(coder, version, title, category)
        if found.status == "uncoded" and description:
            other = self._once(coder, version, title, f"{category} {description}".strip())
            if (other.score or 0.0) > (found.score or 0.0):
                return other
        return found

    def _once(self, coder: Coder, version: str, title: str, context: str) -> Code:
        key = (version, title, context)
        found = self._memo.get(key)
        if found is None:
            coding = coder.code(title, context)
            best = coding.best
            if best is None:
                found = Code(None, None, "uncoded")
            elif coding.ambiguous:
                found = Code(best.code, best.score, "ambiguous")
            else:
                found = Code(best.code, best.score, "coded" if best.score >= CODED else "low")
            if len(self._memo) >= MEMO_LIMIT:
                self._memo.clear()
            self._memo[key] = found
        return found
