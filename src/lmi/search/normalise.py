"""Job-title normalisation: the same word pipeline for index titles and for messy real titles.

A query goes through three table-driven stages:

1. **Text rewrites** (``REWRITES``): phrases that mean something else in a title, e.g.
   ``class 1`` / ``cat c+e`` → ``hgv``, ``co-ordinator`` → ``coordinator``, ``1st`` → ``first``.
2. **Noise** (``NOISE``): pay, contract, hours, location, quantity and advert words
   (``£28,000 + benefits``, ``part time``, ``maternity cover``, ``- London``, ``x2``,
   ``immediate start``, ``band 5``) become segment breaks.
3. **Words**: tokenise, expand abbreviations (``ABBREVIATIONS``: ``snr`` → ``senior``,
   ``mgr`` → ``manager``), fold plurals (``stem``), drop stop words. Seniority and grade words
   (``SENIORITY``) stay in ``tokens`` but not in ``core``.

The first segment carrying words is the title; later segments (after `` - ``, ``|``, `` / ``)
become ``context``. Index titles use only stage 1 and 3 (``title_tokens``), so both sides of a
match are spelled alike. Single-character typos are corrected later, against the index
vocabulary (see ``lmi.search.coder``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

__all__ = [
    "ABBREVIATIONS",
    "HEAD_ABBREVIATIONS",
    "NOISE",
    "REWRITES",
    "SENIORITY",
    "Normalised",
    "clear_caches",
    "clear_title_cache",
    "normalise",
    "stem",
    "text_words",
    "title_tokens",
]

#: phrase rewrites applied to lower-cased text before anything else (pattern, replacement)
REWRITES: tuple[tuple[str, str], ...] = (
    (r"\bc\s?\+\s?\+", " cplusplus "),
    (r"\bc\s?#", " csharp "),
    (r"(?:^|(?<=[\s(/]))\.net\b", " dotnet "),
    (r"\b(?:hgv|lgv)\s*(?:class|cl|c)\s*[12]\b", " hgv "),
    (r"\b(?:class|cl)\s*[12]\b", " hgv "),
    (r"\bcat(?:egory)?\.?\s*(?:c\s?\+\s?e|ce|c1e|c1|c)\b", " hgv "),
    (r"\b(?:c\s?\+\s?e|c\s?&\s?e|c1e)\b", " hgv "),
    (r"\b(?:hgv|lgv)\s*[12]\b", " hgv "),
    (r"\b7\.5\s*(?:t|tonne|ton)s?\b", " hgv "),
    (r"\bco-\s*ord", "coord"),
    (r"\bco-(?=operat)", "co"),
    (r"\be-(?=commerce|learning|mail)", "e"),
    (r"\b1st\b", " first "),
    (r"\b2nd\b", " second "),
    (r"\b3rd\b", " third "),
    (r"\bf/t\b", " full time "),
    (r"\bp/t\b", " part time "),
    (r"\bw/h\b", " warehouse "),
    (r"\ba&e\b", " accident emergency "),
    (r"\bq\.?a\.?\b", " qa "),
    (r"&", " and "),
)

_LOCATIONS = (
    "london|greater london|central london|city of london|manchester|greater manchester|"
    "birmingham|leeds|glasgow|edinburgh|bristol|liverpool|sheffield|cardiff|belfast|"
    "newcastle(?: upon tyne)?|nottingham|leicester|southampton|portsmouth|brighton|oxford|"
    "cambridge|milton keynes|coventry|bradford|york|aberdeen|dundee|swansea|norwich|exeter|"
    "plymouth|derby|stoke(?: on trent)?|wolverhampton|sunderland|luton|northampton|peterborough|"
    "ipswich|gloucester|chester|preston|blackpool|bolton|warrington|slough|watford|croydon|"
    "swindon|crawley|basingstoke|guildford|maidstone|canterbury|lincoln|worcester|hereford|"
    "carlisle|inverness|stirling|middlesbrough|doncaster|wakefield|huddersfield|harrogate|"
    "scotland|wales|england|northern ireland|ireland|midlands|west midlands|east midlands|"
    "yorkshire|north west|north east|south west|south east|east anglia|home counties|kent|"
    "surrey|essex|sussex|hampshire|berkshire|lancashire|cheshire|devon|cornwall|norfolk|suffolk|"
    "somerset|dorset|wiltshire|oxfordshire|hertfordshire|buckinghamshire|cumbria|"
    "uk|united kingdom|nationwide|various locations|multiple locations|remote|hybrid|"
    "home based|home-based|work from home|wfh|office based|field based|site based"
)

#: noise phrases (name, pattern): removed, leaving a segment break
NOISE: tuple[tuple[str, str], ...] = (
    (
        "pay",
        r"(?:£|\$|€|\bgbp\s?)\s?\d[\d,.]*\s*k?"
        r"(?:\s*(?:-|to)\s*(?:£|\$|€)?\s?\d[\d,.]*\s*k?)?"
        r"(?:\s*(?:p\.?a\.?|p/?h|per\s+(?:annum|hour|hr|day|week|month|year)|an hour|a year|"
        r"ph|phr|pro rata|plus|\+)\b)*",
    ),
    ("pay", r"\b\d+(?:\.\d+)?\s?k\b(?:\s*(?:-|to)\s*\d+(?:\.\d+)?\s?k\b)?"),
    (
        "pay",
        r"\b(?:per\s+(?:annum|hour|hr|day|week|month|year)|p/h|doe|ote|salary|"
        r"competitive(?: salary| pay| rates?)?|negotiable|plus benefits|\+\s*benefits|"
        r"benefits|bonus(?:es)?|car allowance|pension|overtime(?: available)?|"
        r"excellent (?:pay|rates?)|weekly pay|paid weekly|holiday pay|sign(?:ing)? on bonus)\b",
    ),
    (
        "contract",
        r"\b(?:part[- ]?time|full[- ]?time|permanent|perm|temp(?:orary)?(?: to perm)?|"
        r"fixed[- ]term(?: contract)?|ftc|zero hours?(?: contract)?|\d+\s*months?(?: contract)?|"
        r"maternity(?: cover| leave)?|mat cover|locum|seasonal|casual|freelance|interim|"
        r"self[- ]employed|contract role|on contract|contract basis|ad hoc|"
        r"apprenticeship scheme|graduate scheme)\b",
    ),
    (
        "hours",
        r"\b(?:nights?(?: shift)?|days?(?: shift)?|weekends?|evenings?|mornings?|afternoons?|"
        r"twilight|shifts?|rotating|flexible(?: hours)?|\d+\s*(?:hrs|hours)(?: per week| pw)?|"
        r"\d+ on \d+ off|mon(?:day)?\s*-\s*fri(?:day)?|term time(?: only)?|school hours|"
        r"ft|pt|live[- ]in|live[- ]out|sleep[- ]in)\b",
    ),
    ("location", rf"\b(?:(?:based )?in )?(?:{_LOCATIONS})\b"),
    ("quantity", r"\b(?:x\s?\d+|\d+\s?x)\b"),
    (
        "advert",
        r"\b(?:immediate start|start asap|asap|urgent(?:ly)?(?: required| needed)?|"
        r"required|wanted|needed|vacanc(?:y|ies)|jobs?|opportunit(?:y|ies)|role|position|"
        r"hiring|apply now|apply today|new|brand new|excellent|great|amazing|exciting|"
        r"fantastic|rewarding|no experience(?: necessary| needed| required)?|"
        r"training provided|fully trained|ref\.?\s*:?\s*[a-z]*\d[\w-]*|req\s*\d+|"
        r"(?:enhanced )?dbs(?: check)?(?: required)?|own car(?: essential)?|"
        r"driving licen[cs]e(?: required| essential)?|cscs(?: card)?|with|w/)\b",
    ),
    (
        "grade",
        r"\b(?:band|level|grade|nvq(?: level)?|year|step|scale|tier|pay band)\s*[0-9][0-9a-z]?\b"
        r"|\b(?:grade [a-g]|l[1-7])\b|\b(?:ii|iii|iv)\b",
    ),
    ("symbols", r"[!*?\"“”]+"),
)

_NOISE = re.compile("|".join(f"(?:{pattern})" for _, pattern in NOISE))
_REWRITES = tuple((re.compile(pattern), repl) for pattern, repl in REWRITES)
#: substrings without which no rewrite applies (a cheap test before running them all)
_REWRITE_TRIGGERS = (
    "+",
    ".net",
    "#",
    "&",
    "/",
    "co-",
    "e-",
    "qa",
    "q.a",
    "class",
    "cat",
    "1",
    "2",
    "3",
    "7",
)
# separators between a title and the rest of an advert: " - ", "|", " / ", "@", " at "
_SEGMENT = re.compile(r"\s[-–—]+\s|[-–—]{2,}|[|;•@~]|\s/\s|\bat\b|:\s|,\s(?=.*[a-z])")
_BRACKETS = str.maketrans("()[]{}", "      ")
_WORD = re.compile(r"[a-z0-9]+")
#: ``head of rest``: the preposition's object names the field, the words before it the job
_PREPOSITION = re.compile(r"^\s*([a-z][a-z ]*?)\s+(of|in|for|to|within)\s+(?:the\s+)?([a-z].*)$")
#: ``x/y`` and ``x and y`` between single words: a choice of two titles
_CHOICE = re.compile(r"\b([a-z]{2,})\s*/\s*([a-z]{2,})\b|\b([a-z]{3,})\s+and\s+([a-z]{3,})\b")
_INVERTED = re.compile(r"^\s*([a-z][a-z-]*(?: [a-z-]+)?)\s*,\s*([^,]+(?:,[^,]+)*)$")

#: abbreviations and spelling variants (token → words); applied to index titles too
ABBREVIATIONS: dict[str, str] = {
    "mgr": "manager",
    "mngr": "manager",
    "mgmt": "management",
    "asst": "assistant",
    "assis": "assistant",
    "asstnt": "assistant",
    "snr": "senior",
    "sr": "senior",
    "jnr": "junior",
    "jr": "junior",
    "eng": "engineer",
    "engr": "engineer",
    "engg": "engineering",
    "tech": "technician",
    "techn": "technician",
    "technican": "technician",
    "admin": "administration",
    "administrative": "administration",
    "dev": "developer",
    "devs": "developer",
    "rep": "representative",
    "reps": "representative",
    "exec": "executive",
    "execs": "executive",
    "supv": "supervisor",
    "supvr": "supervisor",
    "supvsr": "supervisor",
    "spvr": "supervisor",
    "coord": "coordinator",
    "coordntr": "coordinator",
    "ops": "operations",
    "op": "operative",
    "opp": "operative",
    "mkt": "marketing",
    "mktg": "marketing",
    "fin": "finance",
    "acct": "accountant",
    "accts": "accounts",
    "dept": "department",
    "dir": "director",
    "md": "managing director",
    "gm": "general manager",
    "bdm": "business development manager",
    "bde": "business development executive",
    "pa": "personal assistant",
    "ea": "executive assistant",
    "hca": "healthcare assistant",
    "rgn": "registered general nurse",
    "rmn": "registered mental nurse",
    "nqt": "teacher",
    "ta": "teaching assistant",
    "lsa": "learning support assistant",
    "senco": "special educational needs coordinator",
    "gp": "general practitioner",
    "ot": "occupational therapist",
    "physio": "physiotherapist",
    "dr": "doctor",
    "lgv": "hgv",
    "flt": "fork lift truck",
    "forklift": "fork lift",
    "qs": "quantity surveyor",
    "hr": "human resources",
    "ict": "it",
    "swe": "software engineer",
    "sde": "software developer",
    "dba": "database administrator",
    "sysadmin": "systems administrator",
    "js": "javascript",
    "bi": "business intelligence",
    "ml": "machine learning",
    "ceo": "chief executive",
    "cfo": "finance director",
    "cto": "technical director",
    "cio": "it director",
    "coo": "operations director",
    "vp": "vice president",
    "svc": "service",
    "svcs": "service",
    "serv": "service",
    "cust": "customer",
    "csr": "customer service representative",
    "mech": "mechanical",
    "elec": "electrical",
    "maint": "maintenance",
    "prod": "production",
    "mfg": "manufacturing",
    "whse": "warehouse",
    "proj": "project",
    "govt": "government",
    "intl": "international",
    "frontend": "front end",
    "backend": "back end",
    "fullstack": "full stack",
    "healthcare": "health care",
    "childcare": "child care",
    "program": "programme",
    "organizer": "organiser",
    "centre": "center",
    "labour": "labor",
    "colour": "color",
    "advisor": "adviser",
    "apprenticeship": "apprentice",
    "hgv1": "hgv",
    "maths": "mathematics",
    "math": "mathematics",
    "ks1": "primary",
    "ks2": "primary",
    "ks3": "secondary",
    "ks4": "secondary",
    "ks5": "sixth form",
    "eyfs": "early years",
    "hgv2": "hgv",
}

#: abbreviations meaning something else as a title's last word (its head): "admin assistant"
#: is an administration assistant, an "office admin" an administrator
HEAD_ABBREVIATIONS: dict[str, str] = {"admin": "administrator", "admins": "administrator"}
_HEAD_ABBREVIATION = re.compile(rf"\b({'|'.join(HEAD_ABBREVIATIONS)})\s*$")

#: seniority and grade words: kept in ``tokens``, left out of ``core``
SENIORITY = frozenset(
    "senior junior trainee apprentice graduate grad lead principal associate intern internship "
    "placement experienced qualified skilled deputy entry mid midweight middleweight staff "
    "chartered certified registered newly first second third line level".split()
)

STOP_WORDS = frozenset("and of the for in a an to or on by from our your".split())


def clear_caches() -> None:
    """Forget memoised words and titles (for benchmarks measuring a cold coder)."""
    for cached in (_stem, _word, title_tokens, _normalise):
        cached.cache_clear()


def clear_title_cache() -> None:
    """Forget memoised titles only (words stay)."""
    _normalise.cache_clear()


def stem(word: str) -> str:
    """Fold plurals: ``nurses`` → ``nurse``, ``secretaries`` → ``secretary``."""
    return _stem(word)


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    if len(word) <= 3 or not word.endswith("s"):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ss", "us", "is", "ous")):
        return word
    if word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    return word[:-1]


@lru_cache(maxsize=65536)
def _word(word: str) -> tuple[str, ...]:
    """One raw word as normalised tokens (abbreviations expanded, plurals folded)."""
    expanded = ABBREVIATIONS.get(word)
    if expanded is None:
        folded = _stem(word)
        expanded = ABBREVIATIONS.get(folded, folded)
    return tuple(_stem(w) for w in expanded.split())


def _ascii_lower(text: str) -> str:
    lowered = text.lower()
    if lowered.isascii():
        return lowered
    lowered = lowered.replace("£", " gbp ").replace("€", " gbp ")
    return unicodedata.normalize("NFKD", lowered).encode("ascii", "ignore").decode()


def _rewrite(text: str) -> str:
    if not any(trigger in text for trigger in _REWRITE_TRIGGERS):
        return text
    for pattern, repl in _REWRITES:
        text = pattern.sub(repl, text)
    return text


def _tokens(text: str) -> list[str]:
    out: list[str] = []
    for raw in _WORD.findall(text.replace("-", " ").replace("'", "").replace(".", "")):
        if raw.isdigit():
            continue
        for token in _word(raw):
            if token not in STOP_WORDS and token not in out:
                out.append(token)
    return out


def _has_preposition(text: str) -> bool:
    """A cheap test before ``_PREPOSITION``."""
    return any(p in text for p in (" of ", " in ", " for ", " to ", " within "))


def text_words(text: str) -> list[str]:
    """Running text (a unit group's description) as title words, repeats kept: no rewrites,
    no noise removal."""
    out: list[str] = []
    for raw in _WORD.findall(_ascii_lower(text).replace("-", " ").replace("'", "")):
        if not raw.isdigit():
            out.extend(w for w in _word(raw) if w not in STOP_WORDS)
    return out


@lru_cache(maxsize=131072)
def title_tokens(title: str) -> tuple[str, ...]:
    """An index title (already in natural order) as tokens: no noise removal.

    Prepositional titles put their object first, as queries do: ``Director of administration``
    → ``administration director`` (the head word, ``director``, last).
    """
    text = _rewrite(_ascii_lower(title))
    match = _PREPOSITION.match(text) if _has_preposition(text) else None
    if match is not None:
        head, _, rest = match.groups()
        return tuple(dict.fromkeys([*_tokens(rest), *_tokens(head)]))
    return tuple(_tokens(text))


@dataclass(frozen=True, slots=True)
class Normalised:
    """A normalised query title."""

    tokens: tuple[str, ...]  # title words, seniority included
    core: tuple[str, ...]  # title words without seniority and grade words
    context: tuple[str, ...]  # words from later segments of the text (industry, department…)
    #: the title's words with only one side of an ``X/Y`` or ``X and Y`` choice, in order
    alternatives: tuple[tuple[str, ...], ...] = ()

    @property
    def empty(self) -> bool:
        return not self.tokens


def _uninvert(segment: str) -> str:
    """ONS-style ``engineer, software`` → ``software engineer`` (one head word then modifiers)."""
    match = _INVERTED.match(segment)
    if match is None:
        return segment
    head, rest = match.groups()
    return " ".join([*reversed([p.strip() for p in rest.split(",")]), head])


def normalise(text: str, context: str = "") -> Normalised:
    """Normalise a raw job title (and optional context text)."""
    return _normalise(text[:300], context[:300])


def _ordered(segment: str) -> tuple[list[str], list[str]]:
    """A title segment's words, head last, and words that only qualify it.

    ``teacher of maths`` → ``maths teacher``; ``pa to the ceo`` → ``pa`` (``ceo`` qualifies).
    """
    if "admin" in segment:
        segment = _HEAD_ABBREVIATION.sub(lambda m: HEAD_ABBREVIATIONS[m.group(1)], segment)
    match = _PREPOSITION.match(segment) if _has_preposition(segment) else None
    if match is None:
        return _tokens(segment), []
    head, preposition, rest = match.groups()
    if preposition == "to":
        return _tokens(head), _tokens(rest)
    words = _tokens(rest)
    return [*words, *(w for w in _tokens(head) if w not in words)], []


def _alternatives(segment: str) -> tuple[tuple[str, ...], ...]:
    """``carpenter/joiner`` → (``carpenter``), (``joiner``); ``plumbing and heating engineer``
    → (``plumbing engineer``), (``heating engineer``)."""
    match = _CHOICE.search(segment)
    if match is None:
        return ()
    first, second = (g for g in match.groups() if g)
    before, after = segment[: match.start()], segment[match.end() :]
    found: list[tuple[str, ...]] = []
    for choice in (first, second):
        words = tuple(_ordered(f"{before} {choice} {after}")[0])
        if words and words not in found:
            found.append(words)
    return tuple(found) if len(found) > 1 else ()


@lru_cache(maxsize=32768)
def _normalise(text: str, context: str) -> Normalised:
    lowered = _ascii_lower(text)
    lowered = _uninvert(lowered) if "," in lowered else lowered
    cleaned = _NOISE.sub(" ", _rewrite(lowered))
    title: list[str] = []
    extra: list[str] = []
    alternatives: tuple[tuple[str, ...], ...] = ()
    for segment in _SEGMENT.split(cleaned):
        segment = segment.translate(_BRACKETS)
        if not title:
            title, qualifying = _ordered(segment)
            extra.extend(w for w in qualifying if w not in title)
            if title and ("/" in segment or " and " in segment):
                alternatives = _alternatives(segment)
        else:
            extra.extend(w for w in _tokens(segment) if w not in extra and w not in title)
    if context:
        extra.extend(w for w in _tokens(_NOISE.sub(" ", _rewrite(_ascii_lower(context)))))
    core = [w for w in title if w not in SENIORITY] or title
    return Normalised(tuple(title), tuple(core), tuple(dict.fromkeys(extra)), alternatives)
