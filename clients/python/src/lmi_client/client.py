"""``LMI`` (sync) and ``AsyncLMI`` (async): thin clients over lmi's HTTP API, on httpx2.

Each helper names an endpoint path and its parameters and nothing more: what the data means is
described once, by the server's OpenAPI document (``/openapi.json``), and tests/client checks
every helper's path and parameters against it. Both clients share the helpers
(:class:`Endpoints`), the request building and the answer parsing; they differ only in how a
request is sent and how the client waits between retries.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any, Generic, Literal, TypeVar
from urllib.parse import quote

import httpx2

from lmi_client.errors import APIError, ReleaseGone, ReleaseMismatch
from lmi_client.models import Answer, ErrorDetail, Meta

__all__ = ["PIN_HEADER", "AsyncLMI", "Endpoints", "LMI", "RetryPolicy"]

Value = str | int | float | bool | Sequence[str] | None
R = TypeVar("R")

#: request header naming the release to answer from (``?release=`` with ``pin_via="query"``)
PIN_HEADER = "X-LMI-Release"
#: statuses worth retrying: rate-limited, or no release loaded yet / store unavailable
RETRY_STATUSES = frozenset({429, 503})
#: most titles ``POST /v1/code`` accepts in one request
MAX_CODE_TITLES = 10_000
DEFAULT_URL = "http://127.0.0.1:8000"


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to retry 429/503 answers and connection failures.

    ``Retry-After`` is honoured as sent; a server asking for a longer wait than ``max_wait``
    gets the error raised at once (with ``retry_after`` set) rather than a client that sleeps
    for minutes unasked. Without the header, waits grow exponentially with jitter.
    """

    attempts: int = 4
    backoff: float = 0.5
    max_wait: float = 30.0

    def wait(self, attempt: int, retry_after: float | None) -> float | None:
        """Seconds to wait before try ``attempt + 1`` (0-based), or None to stop retrying."""
        if attempt + 1 >= self.attempts:
            return None
        if retry_after is not None:
            return retry_after if retry_after <= self.max_wait else None
        delay: float = self.backoff * 2**attempt
        return min(delay * (0.5 + random.random() / 2), self.max_wait)


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """``Retry-After`` as seconds: delta-seconds or an HTTP date (RFC 9110 §10.2.3)."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text).timestamp()
    except (TypeError, ValueError):
        return None
    return max(0.0, when - (time.time() if now is None else now))


def _text(value: str | int | float | bool) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def build_request(path: str, params: Mapping[str, Value]) -> tuple[str, list[tuple[str, str]]]:
    """Fill ``{name}`` placeholders of ``path`` from ``params``; the rest become the query.

    None values are left out; sequences repeat the parameter (``title=a&title=b``).
    """
    query: list[tuple[str, str]] = []
    filled = path
    for name, value in params.items():
        placeholder = "{" + name + "}"
        if placeholder in filled:
            if not isinstance(value, str | int | float | bool):
                raise ValueError(f"path parameter {name!r} needs one value")
            filled = filled.replace(placeholder, quote(_text(value), safe=""))
        elif value is None:
            continue
        elif isinstance(value, str | int | float | bool):
            query.append((name, _text(value)))
        else:
            query.extend((name, _text(item)) for item in value)
    if "{" in filled:
        raise ValueError(f"missing path parameters in {filled}")
    return filled, query


def parse_answer(response: httpx2.Response, pinned: int | None) -> Answer:
    """The answer, or the API's error raised as :class:`APIError` (410: :class:`ReleaseGone`)."""
    url = str(response.url)
    if response.status_code >= 400:
        raise _error(response)
    body: Any = response.json()
    meta = None
    if isinstance(body, dict) and body.get("ok") is True and "meta" in body:
        meta = Meta.parse(body["meta"])
        body = body.get("data")
    answer = Answer(
        data=body,
        meta=meta,
        status=response.status_code,
        url=url,
        headers={k.lower(): v for k, v in response.headers.items()},
    )
    if pinned is not None and answer.release_id != pinned:
        raise ReleaseMismatch(pinned, answer.release_id, url)
    return answer


def _error(response: httpx2.Response) -> APIError:
    url = str(response.url)
    message = response.reason_phrase or "error"
    details: tuple[ErrorDetail, ...] = ()
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and body.get("ok") is False:
        message = str(body.get("error", message))
        details = tuple(
            ErrorDetail(message=str(e.get("message", "")), parameter=e.get("parameter"))
            for e in body.get("errors", ())
            if isinstance(e, dict)
        )
    kind = ReleaseGone if response.status_code == 410 else APIError
    return kind(
        response.status_code,
        message,
        url=url,
        errors=details,
        retry_after=retry_after_seconds(response.headers.get("retry-after")),
    )


class Endpoints(Generic[R]):
    """The helpers of both clients: each one path of lmi's read API and its parameters."""

    def _call(
        self, method: str, path: str, params: Mapping[str, Value], body: Any = None
    ) -> R:  # pragma: no cover - implemented by the clients
        raise NotImplementedError

    def get(self, path: str, **params: Value) -> R:
        """Any GET endpoint: ``get("/v1/occupations/{version}/{code}", version=…, code=…)``."""
        return self._call("GET", path, params)

    def release_info(self) -> R:
        """The release being served (or pinned): its datasets, sources and provenance."""
        return self.get("/v1/release")

    def regions(self) -> R:
        """UK countries and English regions with LMI for All's 1–12 codes (London is 1)."""
        return self.get("/v1/regions")

    def search_occupations(
        self,
        q: str,
        *,
        soc: str | None = None,
        limit: int | None = None,
        context: str | None = None,
    ) -> R:
        """SOC unit groups for a job title as written, best first, with calibrated scores."""
        return self.get("/v1/search/occupations", q=q, soc=soc, limit=limit, context=context)

    def code_titles(
        self, titles: Sequence[str], *, soc: str | None = None, top: int | None = None
    ) -> R:
        """Code up to 10,000 job titles in one request (``POST /v1/code``)."""
        if len(titles) > MAX_CODE_TITLES:
            raise ValueError(f"at most {MAX_CODE_TITLES} titles per request: use code_all")
        body: dict[str, Any] = {"titles": list(titles)}
        if soc is not None:
            body["soc"] = soc
        if top is not None:
            body["top"] = top
        return self._call("POST", "/v1/code", {}, body)

    def occupation(self, code: str, *, version: str = "soc2020") -> R:
        """A unit group: title, ONS description, entry routes, tasks, related titles."""
        return self.get("/v1/occupations/{version}/{code}", version=version, code=code)

    def profile(
        self,
        code: str,
        *,
        version: str = "soc2020",
        sections: str | None = None,
        limit: int | None = None,
    ) -> R:
        """O*NET skills, knowledge, abilities, interests… of a UK unit group."""
        return self.get(
            "/v1/occupations/{version}/{code}/profile",
            version=version,
            code=code,
            sections=sections,
            limit=limit,
        )

    def related(self, code: str, *, version: str = "soc2020", limit: int | None = None) -> R:
        """Unit groups with similar O*NET profiles."""
        return self.get(
            "/v1/occupations/{version}/{code}/related", version=version, code=code, limit=limit
        )

    def pay(
        self,
        code: str,
        *,
        version: str = "soc2020",
        measure: str | None = None,
        statistic: str | None = None,
        sex: str | None = None,
        pattern: str | None = None,
        region: int | None = None,
        year: int | None = None,
        coarse: bool | None = None,
        pool: bool | None = None,
    ) -> R:
        """ASHE pay by year, with a status, quality flag and provenance on every figure."""
        return self.get(
            "/v1/pay/{version}/{code}",
            version=version,
            code=code,
            measure=measure,
            statistic=statistic,
            sex=sex,
            pattern=pattern,
            region=region,
            year=year,
            coarse=coarse,
            pool=pool,
        )

    def hours(
        self,
        code: str,
        *,
        version: str = "soc2020",
        statistic: str | None = None,
        sex: str | None = None,
        pattern: str | None = None,
        region: int | None = None,
        year: int | None = None,
    ) -> R:
        """ASHE paid hours a week by year, flagged like pay."""
        return self.get(
            "/v1/hours/{version}/{code}",
            version=version,
            code=code,
            statistic=statistic,
            sex=sex,
            pattern=pattern,
            region=region,
            year=year,
        )

    def employment(
        self,
        code: str,
        *,
        version: str = "soc2020",
        min_year: int | None = None,
        max_year: int | None = None,
        breakdown: str | None = None,
    ) -> R:
        """Working Futures employment projections (the outlook) for a unit group."""
        return self.get(
            "/v1/employment/{version}/{code}",
            version=version,
            code=code,
            minYear=min_year,
            maxYear=max_year,
            breakdown=breakdown,
        )

    def replacement_demand(
        self,
        code: str,
        *,
        version: str = "soc2020",
        min_year: int | None = None,
        max_year: int | None = None,
    ) -> R:
        """Working Futures replacement demand (openings from people leaving) for a unit group."""
        return self.get(
            "/v1/replacement-demand/{version}/{code}",
            version=version,
            code=code,
            minYear=min_year,
            maxYear=max_year,
        )

    def pathways(
        self, code: str, *, scheme: str = "cah", soc: str | None = None, limit: int | None = None
    ) -> R:
        """From a higher-education subject to the jobs its graduates do, with pay and outlook."""
        return self.get(
            "/v1/pathways/{scheme}/{code}", scheme=scheme, code=code, soc=soc, limit=limit
        )


def _pin(
    release: int | None, pin_via: str, params: Mapping[str, Value], headers: dict[str, str]
) -> Mapping[str, Value]:
    if release is None:
        return params
    if pin_via == "query":
        return {**params, "release": release}
    headers[PIN_HEADER] = str(release)
    return params


def _client_headers(api_key: str | None, extra: Mapping[str, str] | None) -> dict[str, str]:
    headers = {"user-agent": "lmi-client/0.1.0", "accept": "application/json", **(extra or {})}
    if api_key:
        headers["x-api-key"] = api_key
    return headers


def _retry_after(response: httpx2.Response) -> float | None:
    return retry_after_seconds(response.headers.get("retry-after"))


class LMI(Endpoints[Answer]):
    """Synchronous client. ``release=`` pins every request to one release."""

    def __init__(
        self,
        base_url: str = DEFAULT_URL,
        *,
        release: int | None = None,
        pin_via: Literal["header", "query"] = "header",
        api_key: str | None = None,
        timeout: float = 10.0,
        retry: RetryPolicy | None = None,
        headers: Mapping[str, str] | None = None,
        transport: httpx2.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.release = release
        self.pin_via = pin_via
        self.retry = retry or RetryPolicy()
        self._sleep = sleep
        self._http = httpx2.Client(
            base_url=base_url.rstrip("/"),
            timeout=timeout,
            headers=_client_headers(api_key, headers),
            transport=transport,
        )

    def __enter__(self) -> LMI:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def openapi(self) -> dict[str, Any]:
        """The server's OpenAPI document: the one description of every endpoint."""
        document: dict[str, Any] = self._http.get("/openapi.json").json()
        return document

    def _call(
        self, method: str, path: str, params: Mapping[str, Value], body: Any = None
    ) -> Answer:
        headers: dict[str, str] = {}
        url, query = build_request(path, _pin(self.release, self.pin_via, params, headers))
        return self._send(method, url, query, headers, body)

    def _send(
        self,
        method: str,
        url: str,
        query: list[tuple[str, str]] | None,
        headers: dict[str, str],
        body: Any,
    ) -> Answer:
        attempt = 0
        while True:
            try:
                response = self._http.request(
                    method, url, params=_query(query), headers=headers, json=body
                )
            except httpx2.TransportError:
                wait = self.retry.wait(attempt, None)
                if wait is None:
                    raise
            else:
                wait = (
                    self.retry.wait(attempt, _retry_after(response))
                    if response.status_code in RETRY_STATUSES
                    else None
                )
                if wait is None:
                    return parse_answer(response, self.release)
            self._sleep(wait)
            attempt += 1

    def pages(self, path: str, **params: Value) -> Iterator[Answer]:
        """Every page of a listing, following ``Link: <…>; rel="next"`` (RFC 8288).

        lmi's listings answer in one page today (they take ``limit``, not a cursor), so this
        yields one answer; it follows the links as soon as the server sends them.
        """
        answer = self.get(path, **params)
        while True:
            yield answer
            link = _next_link(answer)
            if link is None:
                return
            answer = self._send("GET", link, None, _pin_headers(self), None)

    def code_all(
        self, titles: Sequence[str], *, soc: str | None = None, top: int | None = None
    ) -> list[Any]:
        """Code any number of titles, 10,000 per request, results in input order."""
        results: list[Any] = []
        for start in range(0, len(titles), MAX_CODE_TITLES):
            chunk = titles[start : start + MAX_CODE_TITLES]
            results.extend(_code_results(self.code_titles(chunk, soc=soc, top=top)))
        return results


class AsyncLMI(Endpoints[Awaitable[Answer]]):
    """Asynchronous client, with the same helpers as :class:`LMI` (each awaitable)."""

    def __init__(
        self,
        base_url: str = DEFAULT_URL,
        *,
        release: int | None = None,
        pin_via: Literal["header", "query"] = "header",
        api_key: str | None = None,
        timeout: float = 10.0,
        retry: RetryPolicy | None = None,
        headers: Mapping[str, str] | None = None,
        transport: httpx2.AsyncBaseTransport | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.release = release
        self.pin_via = pin_via
        self.retry = retry or RetryPolicy()
        self._sleep = sleep
        self._http = httpx2.AsyncClient(
            base_url=base_url.rstrip("/"),
            timeout=timeout,
            headers=_client_headers(api_key, headers),
            transport=transport,
        )

    async def __aenter__(self) -> AsyncLMI:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    async def openapi(self) -> dict[str, Any]:
        document: dict[str, Any] = (await self._http.get("/openapi.json")).json()
        return document

    def _call(
        self, method: str, path: str, params: Mapping[str, Value], body: Any = None
    ) -> Awaitable[Answer]:
        headers: dict[str, str] = {}
        url, query = build_request(path, _pin(self.release, self.pin_via, params, headers))
        return self._send(method, url, query, headers, body)

    async def _send(
        self,
        method: str,
        url: str,
        query: list[tuple[str, str]] | None,
        headers: dict[str, str],
        body: Any,
    ) -> Answer:
        attempt = 0
        while True:
            try:
                response = await self._http.request(
                    method, url, params=_query(query), headers=headers, json=body
                )
            except httpx2.TransportError:
                wait = self.retry.wait(attempt, None)
                if wait is None:
                    raise
            else:
                wait = (
                    self.retry.wait(attempt, _retry_after(response))
                    if response.status_code in RETRY_STATUSES
                    else None
                )
                if wait is None:
                    return parse_answer(response, self.release)
            await self._sleep(wait)
            attempt += 1

    async def pages(self, path: str, **params: Value) -> AsyncIterator[Answer]:
        """Every page of a listing, following ``Link: rel="next"`` (see :meth:`LMI.pages`)."""
        answer = await self.get(path, **params)
        while True:
            yield answer
            link = _next_link(answer)
            if link is None:
                return
            answer = await self._send("GET", link, None, _pin_headers(self), None)

    async def code_all(
        self, titles: Sequence[str], *, soc: str | None = None, top: int | None = None
    ) -> list[Any]:
        """Code any number of titles, 10,000 per request, results in input order."""
        results: list[Any] = []
        for start in range(0, len(titles), MAX_CODE_TITLES):
            chunk = titles[start : start + MAX_CODE_TITLES]
            results.extend(_code_results(await self.code_titles(chunk, soc=soc, top=top)))
        return results


def _query(query: list[tuple[str, str]] | None) -> httpx2.QueryParams | None:
    """None keeps a URL's own query (a next-page link) as it is."""
    return None if query is None else httpx2.QueryParams(tuple(query))


def _next_link(answer: Answer) -> str | None:
    header = answer.headers.get("link")
    if not header:
        return None
    links = httpx2.Response(200, headers={"link": header}).links
    return links.get("next", {}).get("url")


def _pin_headers(client: LMI | AsyncLMI) -> dict[str, str]:
    return {PIN_HEADER: str(client.release)} if client.release is not None else {}


def _code_results(answer: Answer) -> list[Any]:
    data = answer.data
    results = data.get("results", data) if isinstance(data, dict) else data
    return list(results)
