"""The ``/docs`` page: the API reference with a try-it explorer, in the site's own layout.

The page is rendered from the same :class:`~lmi.api.openapi.Endpoint` declarations as the routes
and ``/openapi.json``; its script (``/assets/explorer.js``) reads ``/openapi.json`` in the browser
and adds a form to every endpoint, prefilled with the document's examples. Everything it needs is
bundled in the package (no CDN), so the explorer works on a server without internet access.
"""

from __future__ import annotations

from collections.abc import Sequence

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from lmi.api.openapi import Endpoint, parameter_example
from lmi.widgets.assets import asset_url
from lmi.widgets.routes import render

__all__ = ["docs_route"]


def docs_route(endpoints: Sequence[Endpoint]) -> Route:
    """``GET /docs``: every endpoint by tag, its parameters with examples, and a try-it form."""
    sections: dict[str, list[Endpoint]] = {}
    for endpoint in endpoints:
        sections.setdefault(endpoint.tag, []).append(endpoint)

    async def docs(request: Request) -> Response:
        return render(
            request,
            "docs.html",
            sections=sections,
            asset=lambda name: asset_url("/assets", name),
            example=parameter_example,
        )

    return Route("/docs", docs, include_in_schema=False)
