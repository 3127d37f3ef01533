"""Batch coding for the API: parse a ``/v1/code`` request and code it off the event loop.

Coding is pure Python and CPU-bound: 10,000 unseen titles take seconds. Run on the event loop,
one such batch would stall every other request of the worker (``/healthz`` included). So
``code_batch`` hands the work to a small thread pool (``Settings.coder_workers``) in chunks of
``CHUNK`` titles, awaiting each: between chunks the loop runs, and concurrent batches take
turns. At most ``coder_workers + coder_queue`` batches are admitted at once; one more is refused
at once with ``Busy`` (503 with Retry-After) instead of waiting in an unbounded line. The pool is
a thread pool, not processes: the coders live in the served snapshot and are shared read-only;
the GIL hands the loop its turn every switch interval (5 ms), which keeps other requests' p99
well under 50 ms while a batch runs (``tests/search/test_service.py``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from lmi.classification.soc import SocVersion, parse_version
from lmi.errors import Busy, InvalidQuery, NotFound
from lmi.search.coder import Coder, Coding
from lmi.settings import Settings

__all__ = [
    "MAX_CODE_TITLES",
    "MAX_CODE_TOP",
    "CodeRequest",
    "CodingPool",
    "TooManyTitles",
    "code_batch",
    "code_request",
    "coding_result",
    "pool_for",
]

#: most titles one ``/v1/code`` request may carry
MAX_CODE_TITLES = 10_000
MAX_CODE_TOP = 10
#: longest title and context text kept (characters)
MAX_TITLE, MAX_CONTEXT = 300, 1000
#: titles coded per turn of the pool: small enough that concurrent batches interleave
CHUNK = 250
#: batches this small are coded on the loop: a hop to the pool would cost more than the work
INLINE = 4
#: keys a JSON object body may carry, and keys of one title given as an object
BODY_KEYS = frozenset({"titles", "soc", "top"})
TITLE_KEYS = frozenset({"title", "context", "industry", "description"})
NO_CODE = ("code", "title", "score", "method", "matched", "route")


class TooManyTitles(InvalidQuery):
    """A batch larger than ``MAX_CODE_TITLES`` (answered 413)."""


@dataclass(frozen=True)
class CodeRequest:
    """What to code: titles with their context texts, the SOC versions wanted, answers each."""

    titles: list[str]
    versions: tuple[SocVersion, ...]
    top: int = 1
    contexts: list[str] = field(default_factory=list)


def _versions(raw: str | None) -> tuple[SocVersion, ...]:
    if raw is not None and raw.strip().lower() == "both":
        return ("soc2010", "soc2020")
    return (parse_version(raw, default="soc2010"),)


def _top(raw: Any) -> int:
    if raw is None or raw == "":
        return 1
    if isinstance(raw, bool) or not isinstance(raw, int | str):
        raise InvalidQuery("top must be an integer", parameter="top")
    try:
        value = int(raw)
    except ValueError:
        raise InvalidQuery(f"top must be an integer, not {raw!r}", parameter="top") from None
    if not 1 <= value <= MAX_CODE_TOP:
        raise InvalidQuery(f"top must be between 1 and {MAX_CODE_TOP}", parameter="top")
    return value


def _title(item: Any) -> tuple[str, str]:
    """A title given as a string, or as an object with context (industry, description)."""
    if isinstance(item, str):
        return item[:MAX_TITLE], ""
    if not isinstance(item, dict):
        raise InvalidQuery("each title must be a string or an object", parameter="titles")
    unknown = sorted(set(item) - TITLE_KEYS)
    if unknown:
        raise InvalidQuery(
            f"unknown key(s) in a title object: {', '.join(unknown)} "
            f"(use {', '.join(sorted(TITLE_KEYS))})",
            parameter="titles",
        )
    if not all(isinstance(v, str) for v in item.values()) or "title" not in item:
        raise InvalidQuery("a title object needs a string 'title'", parameter="titles")
    context = " - ".join(item[k] for k in ("industry", "context", "description") if item.get(k))
    return item["title"][:MAX_TITLE], context[:MAX_CONTEXT]


def code_request(query: Mapping[str, Any], body: Any = None) -> CodeRequest:
    """Titles (strings or objects with context), versions (``soc``: 2010, 2020 or ``both``)
    and answers per title (``top``) from a JSON body (list or object) and the query string.
    An object body with a key other than ``BODY_KEYS`` is refused (a typo such as ``"tpo"``
    must not be silently ignored)."""
    settings: dict[str, Any] = {k: query.get(k) for k in ("soc", "top")}
    if isinstance(body, dict):
        unknown = sorted(set(body) - BODY_KEYS)
        if unknown:
            raise InvalidQuery(
                f"unknown key(s) in the body: {', '.join(unknown)} "
                f"(use {', '.join(sorted(BODY_KEYS))})",
                parameter=unknown[0],
            )
        settings.update({k: body[k] for k in ("soc", "top") if k in body})
        body = body.get("titles")
    if body is None:
        items: Any = query.getlist("title") if hasattr(query, "getlist") else []
    else:
        items = body
    if not isinstance(items, list):
        raise InvalidQuery("titles must be a JSON list", parameter="titles")
    if len(items) > MAX_CODE_TITLES:
        raise TooManyTitles(
            f"at most {MAX_CODE_TITLES} titles per request; got {len(items)}", parameter="titles"
        )
    pairs = [_title(item) for item in items]
    soc = settings.get("soc")
    if soc is not None and not isinstance(soc, str | int):
        raise InvalidQuery("soc must be 2010, 2020 or both", parameter="soc")
    return CodeRequest(
        titles=[t for t, _ in pairs],
        versions=_versions(None if soc is None else str(soc)),
        top=_top(settings.get("top")),
        contexts=[c for _, c in pairs],
    )


def coding_result(coding: Coding) -> dict[str, Any]:
    """One title's answer with its explanation: status, the normalised title, the matched
    entry and route of the best code, and the alternatives with their scores."""
    best = coding.best
    return {
        **(best.as_dict() if best else dict.fromkeys(NO_CODE)),
        "status": coding.status,
        "ambiguous": coding.ambiguous,
        "normalised": coding.normalised,
        "alternatives": [c.as_dict() for c in coding.candidates[1:]],
    }


class CodingPool:
    """Worker threads with a bound on admitted batches (see the module docstring)."""

    def __init__(self, workers: int, queue: int) -> None:
        self.workers = max(1, workers)
        self.limit = self.workers + max(0, queue)
        self.admitted = 0  # only touched on the event loop thread: no lock needed
        self._executor = ThreadPoolExecutor(self.workers, thread_name_prefix="lmi-coder")

    async def code(
        self, coder: Coder, titles: Sequence[str], contexts: Sequence[str], top: int
    ) -> list[Coding]:
        """``coder.code_many`` off the loop, ``CHUNK`` titles per turn."""
        if len(titles) <= INLINE:
            return coder.code_many(titles, contexts, top)
        if self.admitted >= self.limit:
            raise Busy(
                f"the job-title coder is busy with {self.admitted} batches; retry shortly",
                retry_after=1,
            )
        self.admitted += 1
        try:
            loop = asyncio.get_running_loop()
            out: list[Coding] = []
            for start in range(0, len(titles), CHUNK):
                span = slice(start, start + CHUNK)
                out += await loop.run_in_executor(
                    self._executor, coder.code_many, titles[span], contexts[span], top
                )
            return out
        finally:
            self.admitted -= 1

    def shutdown(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)


_POOLS: dict[tuple[int, int], CodingPool] = {}


def pool_for(settings: Settings) -> CodingPool:
    """The process's pool for these settings (threads are made once, on first use)."""
    key = (settings.coder_workers, settings.coder_queue)
    pool = _POOLS.get(key)
    if pool is None:
        pool = _POOLS[key] = CodingPool(*key)
    return pool


async def code_batch(
    coders: Mapping[str, Coder], request: CodeRequest, settings: Settings
) -> dict[str, Any]:
    """The ``/v1/code`` answer, coded off the event loop: for one version ``soc_version`` and
    ``results`` (one object per title); for ``soc=both`` each result holds ``soc2010`` and
    ``soc2020`` objects."""
    missing = [v for v in request.versions if v not in coders]
    if missing:
        raise NotFound(f"{missing[0]} is not loaded in this release")
    pool = pool_for(settings)
    contexts = request.contexts or [""] * len(request.titles)
    by_version = {
        version: await pool.code(coders[version], request.titles, contexts, request.top)
        for version in request.versions
    }
    if len(request.versions) == 1:
        (version, codings), *_ = by_version.items()
        results = [
            {"input": title, **coding_result(coding)}
            for title, coding in zip(request.titles, codings, strict=True)
        ]
        return {"soc_version": version, "count": len(results), "results": results}
    results = [
        {
            "input": title,
            **{version: coding_result(by_version[version][i]) for version in request.versions},
        }
        for i, title in enumerate(request.titles)
    ]
    return {"soc_version": "both", "count": len(results), "results": results}
