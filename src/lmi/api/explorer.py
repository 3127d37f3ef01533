"""The ``/docs`` page: the API reference with a try-it explorer, styled like the rest of the site.

The page is rendered from the same :class:`~lmi.api.openapi.Endpoint` declarations as the routes
and ``/openapi.json``; its script (``/assets/explorer.js``) reads ``/openapi.json`` in the browser
and adds a form to every endpoint, prefilled with the document's examples. Everything it needs is
bundled in the package (no CDN), so the explorer works on a server without internet access.
"""

from __future__ import annotations

from collections.abc import Sequence

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from lmi import __version__
from lmi.api.openapi import Endpoint, parameter_example
from lmi.widgets.assets import asset_url
from lmi.widgets.routes import NAV

__all__ = ["docs_route"]

_templates = Environment(
    loader=PackageLoader("lmi.api", "templates"),
    autoescape=select_autoescape(),
    trim_blocks=True,
    lstrip_blocks=True,
)


def docs_route(endpoints: Sequence[Endpoint]) -> Route:
    """``GET /docs``: every endpoint by tag, its parameters with examples, and a try-it form."""
    sections: dict[str, list[Endpoint]] = {}
    for endpoint in endpoints:
        sections.setdefault(endpoint.tag, []).append(endpoint)

    async def docs(request: Request) -> Response:
        served = request.app.state.served
        html = _templates.get_template("docs.html").render(
            sections=sections,
            version=__version__,
            served=served,
            base=str(request.base_url).rstrip("/"),
            nav=NAV,
            asset=lambda name: asset_url("/assets", name),
            example=parameter_example,
        )
        return HTMLResponse(html, headers={"cache-control": "no-cache"})

    return Route("/docs", docs, include_in_schema=False)
