"""What on-call needs beyond request counts, read from the store at scrape time.

Is the build failing, how old is the release being served, how current is each dataset, what is
used most (by dataset and endpoint), and how long has this worker been up. The figures come
from the run log (``lmi_runs``), the release rows and the served release's own tables, so a
restarted worker reports the same history; the alert rules and dashboard in ``docs/`` use them.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa

from lmi.errors import LMIError
from lmi.store.database import Database
from lmi.store.releases import Release

__all__ = [
    "DATASET_BY_PATH",
    "Currency",
    "OnCall",
    "START_TIME",
    "dataset_of_path",
    "on_call_facts",
]

#: when this worker process started (for uptime)
START_TIME = time.time()

#: endpoint path → the dataset it answers from (first match wins); ops endpoints have none
DATASET_BY_PATH: tuple[tuple[str, str], ...] = (
    (r"^/(healthz|readyz)$|^/v1/release$", ""),
    (r"/pathways", "pathways"),
    (r"/isco", "isco"),
    (r"/onet|/o-net|/profile$|/related$|^/v1/(skills|interests)/", "onet"),
    (r"/pay/|/hours/|/ashe/", "ashe"),
    (r"/employment/|/replacement-demand/|/wf/", "working_futures"),
    (r"/leo/", "leo"),
    (r"/apprenticeships", "apprenticeships"),
    (r"/hesa/", "hesa_destinations"),
    (r"/vacancies|/ess/", "employer_skills_survey"),
    (r"/lfs/|/unemployment/", "lfs_unemployment"),
    (r"/census/|/residents$|/travel-to-work$|/jobs$", "census"),
    (r"/sic2007", "sic2007"),
    (r"/convert$", "soc_crosswalks"),
    (r"/regions|/areas", "regions"),
    (r"/subjects|/qualifications", "subjects"),
    (r"/soc/|/occupations|/hierarchy/|/search/|^/v1/code$", "soc"),
)
_RULES = [(re.compile(pattern), dataset) for pattern, dataset in DATASET_BY_PATH]

#: columns holding a dataset's reference period, most specific first
_PERIOD_COLUMNS = ("tax_year", "year", "period", "academic_year", "edition")
_YEAR = re.compile(r"(?<!\d)(19|20)\d\d(?!\d)")

#: dataset → (latest period held, its latest year, "data" or "stated")
Currency = dict[str, tuple[str, int | None, str]]


def dataset_of_path(path: str) -> str:
    """The dataset an endpoint answers from ("" for probes and release status)."""
    return next((dataset for rule, dataset in _RULES if rule.search(path)), "other")


@dataclass
class OnCall:
    """The on-call figures at one scrape."""

    #: status of the last finished build (succeeded, failed, died) and when it ended
    last_build_status: str | None = None
    last_build_finished: float | None = None
    last_build_success: float | None = None
    build_failures: int = 0
    #: the served release: when it was built and promoted
    release_built: float | None = None
    release_promoted: float | None = None
    #: dataset → (latest period held, its latest year, "data" or "stated")
    currency: Currency = field(default_factory=dict)


def _epoch(text: str | None) -> float | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(str(text)).timestamp()
    except ValueError:
        return None


def on_call_facts(
    db: Database, release: Release | None, stated: dict[str, str], cache: dict[int, Currency]
) -> OnCall:
    """Read the figures from the store; ``stated`` is each dataset's declared currency (used
    when its tables hold no period column); ``cache`` keeps the currency per release."""
    facts = OnCall()
    try:
        last = db.execute(
            "SELECT status, finished_at FROM lmi_runs WHERE kind = 'build' "
            "AND status NOT IN ('running', 'refused') ORDER BY id DESC LIMIT 1"
        ).first()
        if last is not None:
            facts.last_build_status, facts.last_build_finished = str(last[0]), _epoch(last[1])
        facts.last_build_success = _epoch(
            db.execute(
                "SELECT max(finished_at) FROM lmi_runs WHERE kind = 'build' "
                "AND status = 'succeeded'"
            ).scalar()
        )
        facts.build_failures = int(
            db.execute(
                "SELECT count(*) FROM lmi_runs WHERE kind = 'build' "
                "AND status IN ('failed', 'died')"
            ).scalar()
            or 0
        )
    except LMIError:
        pass
    if release is not None:
        facts.release_built = _epoch(release.finished_at or release.created_at)
        facts.release_promoted = _epoch(release.promoted_at)
        found = cache.get(release.id)
        if found is None:
            found = _currency(db, release.id, stated)
            cache.clear()
            cache[release.id] = found
        facts.currency = found
    return facts


def _currency(db: Database, release_id: int, stated: dict[str, str]) -> Currency:
    """Latest period per loaded dataset: the largest value of its period column in this
    release, else the latest year its declared currency names."""
    from lmi.datasets import registry

    loaded = {
        str(row[0])
        for row in db.execute(
            "SELECT dataset FROM lmi_release_datasets WHERE release_id = :r "
            "AND status IN ('loaded', 'copied')",
            {"r": release_id},
        ).rows
    }
    found: Currency = {}
    for ds in registry.DATASETS:
        if ds.name not in loaded:
            continue
        period = _data_period(db, ds.tables, release_id)
        if period is not None:
            found[ds.name] = (period, _latest_year(period, future=True), "data")
            continue
        text = stated.get(ds.name, "")
        year = _latest_year(text)
        if year is not None:
            found[ds.name] = (str(year), year, "stated")
    return found


def _data_period(db: Database, tables: tuple[sa.Table, ...], release_id: int) -> str | None:
    best: str | None = None
    for table in tables:
        column = next((table.c[n] for n in _PERIOD_COLUMNS if n in table.c), None)
        if column is None:
            continue
        with db.engine.connect() as conn:
            value = conn.execute(
                sa.select(sa.func.max(column)).where(table.c.release_id == release_id)
            ).scalar()
        if value is not None and (best is None or str(value) > best):
            best = str(value)
    return best


def _latest_year(text: str, *, future: bool = False) -> int | None:
    """The latest year named in ``text`` (a stated currency may name later editions to come:
    those are skipped unless ``future``; projections held as data are kept)."""
    limit = 9999 if future else datetime.now().year
    years = [int(m.group(0)) for m in _YEAR.finditer(text) if int(m.group(0)) <= limit]
    return max(years) if years else None
