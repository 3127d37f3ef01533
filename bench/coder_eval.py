"""The job-title coder's development evaluation set, built from the release in the store.

Three parts, all deterministic (seeded):

* ``noisy`` — coding-index titles whose code is unambiguous, with the noise real adverts carry
  added at random: seniority words, locations, pay, contract and shift words, quantities,
  abbreviations, plurals, case changes and single-character typos.
* ``held-out`` — the same, for titles removed from the coder's index first, so they can only be
  found by similarity (a proxy for titles newer than the index).
* ``related`` — leave-titles-out over the Volume 1 related job titles (the common titles of each
  unit group: "Software engineer", "Care worker", "Order picker"): in K folds, every index entry,
  alias and related title sharing a held-out title's words is removed before coding it, clean
  and with noise. Closer to real adverts than ``held-out``, whose index titles are often archaic.
* ``modern`` — ``bench/coder_titles.csv``: hand-written modern advert titles with codes chosen
  from the SOC definitions (not from the coder's output); the coder was developed against it.
* ``unseen`` — ``bench/coder_titles_unseen.csv``: a second hand-written set of advert titles,
  written before the coder was run on them (SOC 2010 codes from the SOC definitions, replaced by
  the index's unqualified entry where the index has the title), in two kinds — ``common``
  titles and ``compound`` ones with the extra modifiers adverts add — split by a hash of the
  title into ``dev`` (looked at while developing) and ``test`` (only scored), each clean and
  with noise.

The SOC 2020 coding index carries SOC 2010 codes too, so each noisy title has both answers.
"""

from __future__ import annotations

import csv
import random
import zlib
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from lmi.search.coder import Coder
from lmi.search.index import (
    VERSIONS,
    Entry,
    GroupRow,
    IndexRow,
    aliases_for,
    documents_for,
    entries_for,
    read_groups,
    read_index,
    split_bracket,
)
from lmi.search.normalise import title_tokens
from lmi.settings import Settings
from lmi.store import Database, ReleaseStore

TITLES_CSV = Path(__file__).with_name("coder_titles.csv")
UNSEEN_CSV = Path(__file__).with_name("coder_titles_unseen.csv")
FOLDS = 5
SENIORITY = ["Senior", "Junior", "Trainee", "Lead", "Principal", "Graduate", "Apprentice", "Snr"]
SUFFIXES = [
    " - London",
    " (Part Time)",
    " - £28,000 + benefits",
    " - Immediate Start",
    " x2",
    " (Maternity Cover)",
    " | Nights",
    ", Manchester",
    " - Band 5",
    " - Remote",
    " - 12 month FTC",
    " £11.50 per hour",
    " (Temp to Perm)",
    " - Leeds, West Yorkshire",
    " - Weekends",
    " - Full Time, Permanent",
    " £30k - £35k DOE",
]
ABBREVIATE = {
    "manager": "mgr",
    "assistant": "asst",
    "senior": "snr",
    "engineer": "eng",
    "technician": "tech",
    "administrator": "admin",
    "administration": "admin",
    "developer": "dev",
    "representative": "rep",
    "executive": "exec",
    "supervisor": "supv",
    "coordinator": "coord",
    "operations": "ops",
}


@dataclass(frozen=True)
class Case:
    title: str
    soc2010: str | None
    soc2020: str | None
    source: str  # the index title it was made from, or "modern"

    def gold(self, version: str) -> str | None:
        return self.soc2010 if version == "soc2010" else self.soc2020


def typo(word: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(word) - 1)
    kind = rng.choice(["sub", "del", "ins", "swap"])
    letter = rng.choice("abcdefghijklmnopqrstuvwxyz")
    if kind == "sub":
        return word[:i] + letter + word[i + 1 :]
    if kind == "del":
        return word[:i] + word[i + 1 :]
    if kind == "ins":
        return word[:i] + letter + word[i:]
    return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]


def add_noise(title: str, rng: random.Random) -> str:
    """A title as it might appear in an advert."""
    words = title.split()
    if rng.random() < 0.3:
        words = [ABBREVIATE.get(w.lower(), w) for w in words]
    if rng.random() < 0.15 and not words[-1].endswith("s"):
        words[-1] += "s"
    if rng.random() < 0.25:
        long = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
        if long:
            i = rng.choice(long)
            words[i] = typo(words[i], rng)
    if rng.random() < 0.3:
        words.insert(0, rng.choice(SENIORITY))
    text = " ".join(words)
    for _ in range(rng.choice([0, 1, 1, 2])):
        text += rng.choice(SUFFIXES)
    style = rng.random()
    if style < 0.15:
        text = text.upper()
    elif style < 0.5:
        text = text.title()
    elif style < 0.6:
        text = text.lower()
    return text


def _key(title: str) -> str:
    return " ".join(sorted(set(title_tokens(title))))


def _codes_by_key(entries: list[Entry]) -> dict[str, set[str]]:
    codes: dict[str, set[str]] = defaultdict(set)
    for entry in entries:
        codes[_key(entry.title)].add(entry.code)
    return codes


def unambiguous_rows(rows: list[IndexRow], groups: list[GroupRow]) -> list[IndexRow]:
    """SOC 2020 index rows, unqualified, whose title names one code in each version."""
    by_version = {v: _codes_by_key(entries_for(v, rows, groups)) for v in VERSIONS}
    found: dict[str, IndexRow] = {}
    for row in rows:
        if row.version != "soc2020" or not row.soc_code or not row.soc2010:
            continue
        if row.add_qualifier or row.ind_qualifier or len(title_tokens(row.natural_title)) == 0:
            continue
        key = _key(row.natural_title)
        if all(len(by_version[v].get(key, ())) == 1 for v in VERSIONS):
            found.setdefault(key, row)
    return list(found.values())


def modern_cases() -> list[Case]:
    with TITLES_CSV.open(newline="", encoding="utf-8") as handle:
        return [
            Case(r["title"], r["soc2010"] or None, r["soc2020"] or None, "modern")
            for r in csv.DictReader(handle)
        ]


@dataclass
class EvalData:
    rows: list[IndexRow]
    groups: list[GroupRow]
    noisy: list[Case]
    held_out: list[Case]
    held_out_keys: set[str]


def open_release(database_url: str | None) -> tuple[Database, int]:
    settings = Settings.from_env(database_url=database_url)
    db = Database(settings.effective_database_url)
    release = ReleaseStore(db).production()
    if release is None:
        raise SystemExit("no release in production: run `lmi data build` first")
    return db, release.id


def build_eval(db: Database, release_id: int, *, n: int = 2000, seed: int = 7) -> EvalData:
    rows, groups = read_index(db, release_id), read_groups(db, release_id)
    rng = random.Random(seed)
    candidates = unambiguous_rows(rows, groups)
    rng.shuffle(candidates)
    held = candidates[: n // 4]
    kept = candidates[n // 4 : n // 4 + n]

    def cases(chosen: list[IndexRow]) -> list[Case]:
        return [
            Case(add_noise(r.natural_title, rng), r.soc2010, r.soc_code, r.natural_title)
            for r in chosen
        ]

    held_keys = {_key(r.natural_title) for r in held}
    return EvalData(rows, groups, cases(kept), cases(held), held_keys)


def coders_without(data: EvalData, removed: set[str]) -> dict[str, Coder]:
    """Coders built with every entry whose title is in ``removed`` left out."""
    coders: dict[str, Coder] = {}
    for version in VERSIONS:
        units = {g.code: g.title for g in data.groups if g.version == version}
        entries = [
            e for e in entries_for(version, data.rows, data.groups) if _key(e.title) not in removed
        ]
        aliases = [a for a in aliases_for(version, data.rows) if _key(a.title) not in removed]
        documents = documents_for(version, data.groups)
        coders[version] = Coder(version, entries, aliases, units, documents)
    return coders


def unseen_cases(kind: str, split: str, *, noise: bool, seed: int = 11) -> list[Case]:
    """The ``dev`` or ``test`` half of one ``kind`` of ``coder_titles_unseen.csv`` (SOC 2010).

    ``common``: titles as adverts most often spell them; ``compound``: titles with the extra
    modifiers, qualifiers and technologies adverts add ("Senior Cloud Platform Engineer (AWS)").
    """
    rng = random.Random(seed)
    with UNSEEN_CSV.open(newline="", encoding="utf-8") as handle:
        rows = [
            r
            for r in csv.DictReader(handle)
            if r["kind"] == kind
            and ("dev" if zlib.crc32(r["title"].encode()) % 2 == 0 else "test") == split
        ]
    return [
        Case(add_noise(r["title"], rng) if noise else r["title"], r["soc2010"], None, r["title"])
        for r in rows
    ]


def related_folds(
    data: EvalData, *, folds: int = FOLDS, seed: int = 5
) -> list[tuple[set[str], list[Case], list[Case]]]:
    """Volume 1 related titles in ``folds`` folds: (keys held out, clean cases, noisy cases).

    Only unqualified related titles whose unqualified index entries all name the title's own
    unit group are used (so the answer is not a matter of coding rules).
    """
    rng = random.Random(seed)
    chosen: dict[tuple[str, str], tuple[str, str]] = {}  # (version, key) -> (title, code)
    for version in VERSIONS:
        entries = entries_for(version, data.rows, data.groups)
        codes: dict[str, set[str]] = defaultdict(set)
        for entry in entries:
            if not entry.qualifier:
                codes[_key(entry.title)].add(entry.code)
        for group in data.groups:
            if group.version != version:
                continue
            for related in group.related_titles:
                name, qualifier = split_bracket(related)
                key = _key(name)
                if not qualifier and key and codes.get(key) == {group.code}:
                    chosen.setdefault((version, key), (name, group.code))
    items = sorted(chosen.items())
    rng.shuffle(items)
    out: list[tuple[set[str], list[Case], list[Case]]] = []
    for fold in range(folds):
        part = items[fold::folds]
        clean, noisy = [], []
        for (version, _), (name, code) in part:
            soc2010 = code if version == "soc2010" else None
            soc2020 = code if version == "soc2020" else None
            clean.append(Case(name, soc2010, soc2020, name))
            noisy.append(Case(add_noise(name, rng), soc2010, soc2020, name))
        out.append(({key for (_, key), _ in part}, clean, noisy))
    return out
