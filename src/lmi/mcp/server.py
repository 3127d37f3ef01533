"""The MCP server: lmi's read API as tools, answered through lmi-client over HTTP.

Each tool makes one or two calls to a running lmi (``--api``), so the server holds no data and
no second description of it: it picks endpoints, resolves names an assistant uses ("London",
"computing") to the codes lmi takes, and wraps every answer with its release, provenance and
quality flags (:func:`lmi.mcp.answers.shape`). An lmi error becomes a tool error whose message
is lmi's own, so the assistant can correct its call.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any, Literal

import httpx2
from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import ToolAnnotations

from lmi import __version__
from lmi.mcp.answers import shape
from lmi_client import Answer, APIError, AsyncLMI, ReleaseMismatch

__all__ = ["TOOLS", "build_server"]

Soc = Literal["2010", "2020"]
Statistic = Literal[
    "median", "mean", "p10", "p20", "p25", "p30", "p40", "p60", "p70", "p75", "p80", "p90"
]
Version = Literal["soc2010", "soc2020"]
INSTRUCTIONS = (
    "UK labour-market information from lmi: official classifications (SOC 2010/2020), pay and "
    "hours (ONS ASHE), employment outlook (Working Futures), O*NET skills mapped to UK "
    "occupations, and subject-to-job pathways (HESA, LEO). Find an occupation's SOC code with "
    "search_job_titles first, then ask about it by code. Every answer names its release, "
    "sources and method; quote figures with their method and quality flags."
)
READ_ONLY = ToolAnnotations(read_only_hint=True, open_world_hint=False, idempotent_hint=True)
#: figures' own provenance is summarised once per answer, not repeated on every point
_POINT_KEYS_DROPPED = frozenset({"provenance"})


def _compact(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _compact(v) for k, v in node.items() if k not in _POINT_KEYS_DROPPED}
    if isinstance(node, list):
        return [_compact(item) for item in node]
    return node


class Tools:
    """The tool functions, bound to one lmi deployment."""

    def __init__(
        self,
        api_url: str,
        *,
        release: int | None = None,
        api_key: str | None = None,
        timeout: float = 20.0,
    ) -> None:
        self.api_url = api_url
        self.release = release
        self.api_key = api_key
        self.timeout = timeout

    def _client(self) -> AsyncLMI:
        # one client per call: a tool may run on any event loop the transport uses
        return AsyncLMI(
            self.api_url, release=self.release, api_key=self.api_key, timeout=self.timeout
        )

    async def _ask(self, call: Callable[[AsyncLMI], Awaitable[Answer]]) -> Answer:
        async with self._client() as lmi:
            try:
                return await call(lmi)
            except APIError as exc:
                raise ToolError(f"lmi answered {exc.status}: {exc.error}") from None
            except ReleaseMismatch as exc:
                raise ToolError(str(exc)) from None
            except httpx2.TransportError as exc:
                raise ToolError(f"cannot reach lmi at {self.api_url}: {exc}") from None

    async def _optional(
        self, call: Callable[[AsyncLMI], Awaitable[Answer]]
    ) -> tuple[Answer | None, str | None]:
        """An answer, or lmi's reason for not having one (e.g. a dataset not loaded)."""
        try:
            return await self._ask(call), None
        except ToolError as exc:
            return None, str(exc)

    async def search_job_titles(
        self, title: str, soc: Soc = "2020", limit: int = 5, context: str | None = None
    ) -> dict[str, Any]:
        """Find SOC unit groups for a job title as people write it ("snr java dev", "HGV driver").

        Results are best first with a calibrated score (0–1) and how the title matched; use the
        code with the other tools. ``context`` (an industry or description) breaks ties.
        """
        answer = await self._ask(
            lambda lmi: lmi.search_occupations(title, soc=soc, limit=limit, context=context)
        )
        return shape([answer], answer.data)

    async def code_job_titles(
        self, titles: list[str], soc: Soc = "2020", top: int = 1
    ) -> dict[str, Any]:
        """Code a list of job titles to SOC unit groups (up to 10,000), in input order."""
        answer = await self._ask(lambda lmi: lmi.code_titles(titles, soc=soc, top=top))
        return shape([answer], answer.data)

    async def occupation_profile(self, code: str, version: Version = "soc2020") -> dict[str, Any]:
        """An occupation (SOC unit group): title, ONS description, typical tasks, entry routes
        and related job titles."""
        answer = await self._ask(lambda lmi: lmi.occupation(code, version=version))
        return shape([answer], answer.data)

    async def _region_code(self, region: str | None) -> int | None:
        if region is None or not region.strip():
            return None
        text = region.strip()
        if text.isdigit():
            return int(text)
        regions = await self._ask(lambda lmi: lmi.regions())
        wanted = text.lower()
        for item in regions.data:
            names = {str(item.get(k, "")).lower() for k in ("name", "itl1_code", "rgn23_code")}
            if wanted in names:
                return int(item["lmi_code"])
        known = ", ".join(str(item["name"]) for item in regions.data)
        raise ToolError(f"unknown region {region!r}: one of {known}")

    async def pay_and_hours(
        self,
        code: str,
        version: Version = "soc2020",
        region: str | None = None,
        measure: Literal["annual", "weekly", "hourly", "hourly_excl_overtime"] = "annual",
        statistic: Statistic = "median",
        pattern: Literal["all", "full-time", "part-time"] = "all",
        year: int | None = None,
    ) -> dict[str, Any]:
        """Pay (ONS ASHE, £) and paid hours a week of an occupation, by year, UK or one region.

        ``region`` is a name ("London", "Scotland") or LMI for All's 1–12 code. Each figure has
        a status, a quality band and a method: regional figures are usually modelled. A
        suppressed figure has no value (a coarser group may stand in, marked fallback_level).
        """
        region_code = await self._region_code(region)
        pay = await self._ask(
            lambda lmi: lmi.pay(
                code,
                version=version,
                measure=measure,
                statistic=statistic,
                pattern=pattern,
                region=region_code,
                year=year,
            )
        )
        hours, hours_error = await self._optional(
            lambda lmi: lmi.hours(
                code,
                version=version,
                statistic=statistic,
                pattern=pattern,
                region=region_code,
                year=year,
            )
        )
        data: dict[str, Any] = {"pay": _compact(pay.data)}
        data["hours"] = _compact(hours.data) if hours is not None else {"error": hours_error}
        return shape([pay, *([hours] if hours else [])], data)

    async def outlook(
        self,
        code: str,
        version: Version = "soc2020",
        min_year: int | None = None,
        max_year: int | None = None,
    ) -> dict[str, Any]:
        """The employment outlook of an occupation (Working Futures projections): jobs by year
        and replacement demand (openings as people retire or leave)."""
        jobs, jobs_error = await self._optional(
            lambda lmi: lmi.employment(code, version=version, min_year=min_year, max_year=max_year)
        )
        openings, openings_error = await self._optional(
            lambda lmi: lmi.replacement_demand(
                code, version=version, min_year=min_year, max_year=max_year
            )
        )
        if jobs is None and openings is None:
            raise ToolError(jobs_error or openings_error or "no outlook")
        data = {
            "employment": _compact(jobs.data) if jobs else {"error": jobs_error},
            "replacement_demand": _compact(openings.data)
            if openings
            else {"error": openings_error},
        }
        return shape([a for a in (jobs, openings) if a is not None], data)

    async def skills_and_related_jobs(
        self, code: str, version: Version = "soc2020", limit: int = 10
    ) -> dict[str, Any]:
        """What an occupation needs (O*NET skills, knowledge, abilities, interests mapped to the
        UK unit group) and the occupations with the most similar profiles."""
        profile = await self._ask(lambda lmi: lmi.profile(code, version=version, limit=limit))
        related, related_error = await self._optional(
            lambda lmi: lmi.related(code, version=version, limit=limit)
        )
        data = {
            "profile": _compact(profile.data),
            "related": _compact(related.data) if related else {"error": related_error},
        }
        return shape([profile, *([related] if related else [])], data)

    async def _subject_code(self, subject: str) -> str:
        text = subject.strip()
        code = re.fullmatch(r"(?i)(?:CAH)?(\d{2}(?:-\d{2}){0,2})", text)
        if code:
            return code.group(1)
        subjects = await self._ask(lambda lmi: lmi.get("/v1/subjects/{scheme}", scheme="cah"))
        wanted = text.lower()
        matches = [s for s in subjects.data if wanted in str(s.get("label", "")).lower()]
        if not matches:
            raise ToolError(f"no CAH subject matches {subject!r}: give a CAH code such as 11-01")
        matches.sort(key=lambda s: (str(s.get("label", "")).lower() != wanted, len(s["code"])))
        return str(matches[0]["code"])

    async def pathways_from_subject(self, subject: str, limit: int = 5) -> dict[str, Any]:
        """From a higher-education subject (a CAH code like 11-01, or a name like "computing")
        to the occupations its graduates enter, with graduate earnings, pay and outlook."""
        code = await self._subject_code(subject)
        answer = await self._ask(lambda lmi: lmi.pathways(code, scheme="cah", limit=limit))
        return shape([answer], _compact(answer.data))

    async def release_info(self) -> dict[str, Any]:
        """The data release lmi is serving: its id, when it was promoted, and each dataset's
        source, publisher and licence."""
        answer = await self._ask(lambda lmi: lmi.release_info())
        return shape([answer], answer.data)


#: tool names, in the order an assistant usually needs them
TOOLS = (
    "search_job_titles",
    "code_job_titles",
    "occupation_profile",
    "pay_and_hours",
    "outlook",
    "skills_and_related_jobs",
    "pathways_from_subject",
    "release_info",
)


LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]


def build_server(
    api_url: str,
    *,
    release: int | None = None,
    api_key: str | None = None,
    log_level: LogLevel = "WARNING",
) -> MCPServer:
    """An MCP server whose tools answer from the lmi at ``api_url`` (optionally pinned).

    Logging defaults to warnings: with the stdio transport the log shares the terminal of the
    assistant that started the server, and a line per HTTP request to lmi is noise there.
    """
    tools = Tools(api_url, release=release, api_key=api_key)
    server: MCPServer = MCPServer(
        name="lmi",
        title="lmi — UK labour-market information",
        instructions=INSTRUCTIONS,
        version=__version__,
        website_url=api_url,
        log_level=log_level,
    )
    for name in TOOLS:
        server.add_tool(getattr(tools, name), name=name, annotations=READ_ONLY)
    return server
