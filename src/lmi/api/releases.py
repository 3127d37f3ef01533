"""Pinned releases and the public change log: ``/v1/releases``, ``/v1/releases/{id}/changes``,
and reading the pin a request carries (``?release=ID`` or the ``X-LMI-Release`` header).

The list is read from the store on every request (``no-store``): a promotion or rollback changes
it at once. A change log entry never changes once computed (two releases are immutable), so it
is served through the response cache like any data answer.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote_plus

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from lmi.api.envelope import json_response, ok_body
from lmi.api.openapi import TAG_OPS, Endpoint, Param
from lmi.api.respond import cached_response, meta, served_snapshot
from lmi.errors import InvalidQuery
from lmi.serve.changes import ChangeLog
from lmi.serve.served import ServedRelease
from lmi.store.releases import ReleaseStore

__all__ = ["PIN_HEADER", "parse_release_id", "release_routes", "requested_release"]

#: request header pinning a release (the same name as the compatible layer's response header)
PIN_HEADER = b"x-lmi-release"
_PIN_PARAM = re.compile(rb"(?:^|&)release=([^&]*)")
_ID = re.compile(r"[1-9][0-9]{0,9}")


def parse_release_id(text: str, parameter: str = "release") -> int:
    """A release id as written in a request; :class:`InvalidQuery` (400) when malformed."""
    text = text.strip()
    if not _ID.fullmatch(text):
        shown = text if len(text) <= 40 else text[:40] + "…"
        raise InvalidQuery(
            f"{parameter} must be a release id (a positive whole number, as listed by "
            f"/v1/releases), not {shown!r}",
            parameter=parameter,
        )
    return int(text)


def requested_release(query: bytes, header: bytes | None) -> int | None:
    """The release a request pins (``?release=`` or ``X-LMI-Release``), or None.

    :class:`InvalidQuery` for a malformed id, or for a query and header naming different ones.
    """
    pinned: int | None = None
    if header is not None:
        pinned = parse_release_id(header.decode("latin-1"), "X-LMI-Release")
    if b"release=" in query:
        for match in _PIN_PARAM.finditer(query):
            found = parse_release_id(unquote_plus(match.group(1).decode("latin-1")))
            if pinned is not None and found != pinned:
                raise InvalidQuery(
                    f"the request pins two releases ({pinned} and {found}): pin one",
                    parameter="release",
                )
            pinned = found
    return pinned


def _served(request: Request) -> ServedRelease:
    served: ServedRelease = request.app.state.served
    return served


async def list_releases(request: Request) -> Response:
    """The releases a client may pin: production first, then earlier ones, newest first."""
    served = _served(request)
    snap = served_snapshot(request)

    def read() -> list[dict[str, Any]]:
        store = ReleaseStore(served.db)
        retained = store.retained(served.retention)
        datasets = store.loaded_datasets([r.id for r in retained])
        return [
            {
                **r.as_dict(),
                "previous_id": r.previous_id,
                "datasets": datasets[r.id],
                "changes": f"/v1/releases/{r.id}/changes",
            }
            for r in retained
        ]

    releases = await run_in_threadpool(read)
    data = {"retention": served.retention, "releases": releases}
    body = ok_body(data, meta(snap, []))
    return json_response(body, headers={"Cache-Control": "no-store"})


async def release_changes(request: Request) -> Response:
    """Per dataset, what changed between a published release and the one before it."""
    release_id = parse_release_id(request.path_params["id"], "id")
    changelog: ChangeLog = request.app.state.changelog
    snap = served_snapshot(request)
    found = await run_in_threadpool(changelog.changes, release_id)

    def render() -> tuple[bytes, list[tuple[bytes, bytes]]]:
        return ok_body(found, meta(snap, [])), []

    return cached_response(request, snap, ("release_changes", release_id), render)


def release_routes() -> list[Endpoint]:
    return [
        Endpoint(
            "/v1/releases",
            list_releases,
            "Releases a client may pin, with the datasets each holds",
            TAG_OPS,
            description=(
                "Production and the most recently promoted earlier releases still retained "
                "(LMI_RELEASE_RETENTION). Pin one with ?release=ID or the X-LMI-Release "
                "request header on any /v1 or /api/v1 request; a release no longer retained "
                "answers 410."
            ),
            example="/v1/releases",
        ),
        Endpoint(
            "/v1/releases/{id}/changes",
            release_changes,
            "What changed in a release since the one it replaced, per dataset",
            TAG_OPS,
            (
                Param(
                    "id",
                    "Release id (see /v1/releases)",
                    location="path",
                    type="integer",
                    example="1",
                    minimum=1,
                ),
            ),
            description=(
                "Rows added, removed and changed per dataset and table, with the largest value "
                "changes for datasets published as stored (counts only for datasets whose "
                "figures pass disclosure control when served)."
            ),
            responses={400: "Malformed release id", 404: "No published release with that id"},
            example="/v1/releases/1/changes",
        ),
    ]
