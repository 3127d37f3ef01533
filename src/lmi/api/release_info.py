"""``/v1/release``: the release this worker serves (or the one the request pins), with its
status as the store has it now.

Not rendered once per release like other answers: a rollback or promotion changes the served
release's status at once, and this answer must never call a rolled-back release production
(not even in the second before the worker's poll swaps releases). Public: so no server paths
(source directories, backup files) appear in it.
"""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from lmi.api.envelope import json_response, ok_body
from lmi.api.respond import served_snapshot
from lmi.serve.served import ServedRelease
from lmi.store.releases import public_text

__all__ = ["get_release"]


async def get_release(request: Request) -> Response:
    served: ServedRelease = request.app.state.served
    snap = served_snapshot(request)  # the pinned release, when the request pins one
    now = await run_in_threadpool(served.serving, snap)
    release = snap.release
    summary: dict[str, Any] = {
        **release.as_dict(),
        "status": now.status,
    }
    data = {
        **summary,
        "serving": True,
        "pinned": snap is not served.current,
        "production_id": now.production_id,
        "promoted_by": release.promoted_by,
        "note": public_text(release.note),
        "previous_id": release.previous_id,
        "datasets": snap.datasets,
    }
    body = ok_body(data, {"release": summary, "provenance": []})
    return json_response(body, headers={"Cache-Control": "no-store"})
