"""The modern-title lexicon: advert vocabulary rewritten into words the coding indexes use.

The phrases and replacements live in ``lexicon.tsv`` beside this module (documented there).
Both sides are normalised like index titles when loaded, so a phrase matches a query's words
whatever their spelling ("Node.js", "nodejs"; "People Advisor", "people adviser").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache
from importlib import resources

from lmi.search.normalise import title_tokens

__all__ = ["Lexicon", "default_lexicon"]

#: longest phrase, in words
LONGEST = 4
#: the replacement that drops a phrase
DROP = "-"


class Lexicon:
    """Phrase → replacement words, applied longest phrase first, left to right."""

    def __init__(self, pairs: Iterable[tuple[str, str]]) -> None:
        self.phrases: dict[tuple[str, ...], tuple[str, ...]] = {}
        for phrase, replacement in pairs:
            words = title_tokens(phrase)
            if not words or len(words) > LONGEST:
                continue
            self.phrases[words] = () if replacement.strip() == DROP else title_tokens(replacement)
        self._firsts = frozenset(p[0] for p in self.phrases)

    @classmethod
    def parse(cls, text: str) -> Lexicon:
        """Lines ``phrase<TAB>replacement``; blank lines and ``#`` comments are skipped."""
        pairs = []
        for line in text.splitlines():
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            phrase, _, replacement = line.partition("\t")
            if replacement.strip():
                pairs.append((phrase.strip(), replacement.strip()))
        return cls(pairs)

    def rewrite(self, words: Sequence[str]) -> tuple[str, ...]:
        """``words`` with every known phrase replaced (repeated words then kept once)."""
        if not self._firsts.intersection(words):
            return tuple(dict.fromkeys(words))
        out: list[str] = []
        i = 0
        while i < len(words):
            for n in range(min(LONGEST, len(words) - i), 0, -1):
                replacement = self.phrases.get(tuple(words[i : i + n]))
                if replacement is not None:
                    out.extend(replacement)
                    i += n
                    break
            else:
                out.append(words[i])
                i += 1
        return tuple(dict.fromkeys(out))

    def __len__(self) -> int:
        return len(self.phrases)


@cache
def default_lexicon() -> Lexicon:
    """The lexicon shipped with lmi (``lexicon.tsv``)."""
    text = resources.files("lmi.search").joinpath("lexicon.tsv").read_text(encoding="utf-8")
    return Lexicon.parse(text)
