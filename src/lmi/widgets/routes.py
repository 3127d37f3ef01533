"""Routes of the website and widgets: ``site_routes()`` is added to the API's route table."""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response, StreamingResponse
from starlette.routing import Route

from lmi import __version__
from lmi.api.adverts import advert_index, any_synthetic, live_adverts
from lmi.api.classifications import ancestors
from lmi.api.envelope import dumps, error_body, json_response
from lmi.classification.areas import ENGLAND
from lmi.datasets import registry
from lmi.errors import StoreError
from lmi.serve.served import ServedRelease
from lmi.widgets.assets import asset, asset_response, asset_url
from lmi.widgets.averages import uk_averages
from lmi.widgets.datapages import METHODS, dataset_page, dataset_tables
from lmi.widgets.export import csv_rows, parquet_chunks, table_for

__all__ = ["site_routes"]

NAV = (
    ("/", "Home"),
    ("/occupations", "Occupations"),
    ("/data", "Data"),
    ("/developers", "Developers"),
    ("/widgets", "Widgets"),
    ("/docs", "API reference"),
)
WIDGET_SCRIPTS = ("careerometer.js", "pathways.js", "generator.js")
SITE_ASSETS = ("site.css", "favicon.svg", "explorer.js", "explorer.css")

_templates = Environment(
    loader=PackageLoader("lmi.widgets", "templates"),
    autoescape=select_autoescape(),
    trim_blocks=True,
    lstrip_blocks=True,
)


def _served(request: Request) -> ServedRelease:
    served: ServedRelease = request.app.state.served
    return served


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def render(request: Request, template: str, status: int = 200, **context: Any) -> Response:
    served = _served(request)
    html = _templates.get_template(template).render(
        nav=NAV,
        path=request.url.path,
        base=_base(request),
        version=__version__,
        release=served.snapshot.release if served.ready else None,
        css=asset_url("/assets", "site.css"),
        script=lambda name: asset_url("/widgets", name),
        **context,
    )
    return HTMLResponse(html, status_code=status, headers={"cache-control": "no-cache"})


async def landing(request: Request) -> Response:
    return render(request, "index.html", datasets=registry.DATASETS)


async def data_index(request: Request) -> Response:
    served = _served(request)
    loaded = served.snapshot.datasets if served.ready else {}
    return render(request, "data_index.html", datasets=registry.DATASETS, loaded=loaded)


def _dataset_or_404(request: Request) -> Any:
    try:
        return registry.dataset(request.path_params["name"])
    except KeyError:
        return None


async def data_page(request: Request) -> Response:
    dataset = _dataset_or_404(request)
    if dataset is None:
        return render(request, "not_found.html", status=404, what="dataset")
    page = dataset_page(_served(request).db, dataset)
    return render(request, "dataset.html", page=page, methods=METHODS)


async def data_csv(request: Request) -> Response:
    return _download(request, "csv")


async def data_parquet(request: Request) -> Response:
    return _download(request, "parquet")


DOWNLOADS = {
    "csv": (csv_rows, "text/csv; charset=utf-8"),
    "parquet": (parquet_chunks, "application/vnd.apache.parquet"),
}


def _download(request: Request, kind: str) -> Response:
    dataset = _dataset_or_404(request)
    table = table_for(dataset, request.query_params.get("table")) if dataset else None
    if dataset is None or table is None:
        tables = ", ".join(dataset_tables(dataset)) if dataset else ""
        message = f"no such table: one of {tables}" if dataset else "no such dataset: see /data"
        return json_response(error_body(404, message), status=404)
    served = _served(request)
    release = served.snapshot.release  # raises NotReady (503) when nothing is served
    rows, media_type = DOWNLOADS[kind]
    filename = f"lmi-{dataset.name}-{table.name}-release{release.id}.{kind}"
    return StreamingResponse(
        rows(served.db, dataset, table, release.id),
        media_type=media_type,
        headers={
            "content-disposition": f'attachment; filename="{filename}"',
            "x-lmi-release": str(release.id),
            "x-lmi-method": release.method,
            "cache-control": "public, max-age=60",
        },
    )


VERSIONS = (("soc2010", "SOC 2010"), ("soc2020", "SOC 2020"))


async def occupations_index(request: Request) -> Response:
    snapshot = _served(request).snapshot  # NotReady (503) when nothing is served
    versions = [
        (
            v,
            label,
            [
                g
                for (gv, _c), g in sorted(snapshot.groups.items())
                if gv == v and g.level == "major"
            ],
        )
        for v, label in VERSIONS
    ]
    return render(request, "occupations.html", versions=versions)


async def occupation_page(request: Request) -> Response:
    """An occupation: its place in SOC, description, tasks, the groups within it, and how
    many live job adverts it has now (from the worker's advert index: no query per page)."""
    version, code = request.path_params["version"], request.path_params["code"]
    labels = dict(VERSIONS)
    snapshot = _served(request).snapshot
    group = snapshot.groups.get((version, code)) if version in labels else None
    if group is None:
        return render(request, "not_found.html", status=404, what="occupation")
    try:
        index = await advert_index(request)
    except StoreError:
        live = None
    else:
        live = live_adverts(
            index, version, code, ENGLAND, request.app.state.settings.vacancies_min_count
        )
        if live["state"] in ("counted", "suppressed"):
            live["method"] = "synthetic" if any_synthetic(index, version, code) else "observed"
    children = [snapshot.groups[(version, c)] for c in snapshot.children.get((version, code), [])]
    return render(
        request,
        "occupation.html",
        group=group,
        label=labels[version],
        ancestors=ancestors(snapshot, group),  # major group first
        children=children,
        live=live,
    )


async def developers(request: Request) -> Response:
    return render(request, "developers.html")


async def widgets_page(request: Request) -> Response:
    return render(request, "widgets.html")


async def widget_asset(request: Request) -> Response:
    name = request.path_params["name"]
    found = asset(name) if name in WIDGET_SCRIPTS or name in SITE_ASSETS else None
    if found is None:
        return json_response(error_body(404, f"no such asset: {name}"), status=404)
    return asset_response(request, found)


async def favicon(request: Request) -> Response:
    found = asset("favicon.svg")
    assert found is not None
    return asset_response(request, found)


async def uk_average(request: Request) -> Response:
    snapshot = _served(request).snapshot
    return json_response(
        dumps(uk_averages(snapshot)), headers={"cache-control": "public, max-age=300"}
    )


def site_routes() -> list[Route]:
    """Landing page, data pages and CSV downloads, developer docs, widget scripts and pages."""
    return [
        Route("/", landing, include_in_schema=False),
        Route("/data", data_index, include_in_schema=False),
        Route("/data/{name}.csv", data_csv, include_in_schema=False),
        Route("/data/{name}.parquet", data_parquet, include_in_schema=False),
        Route("/data/{name}", data_page, include_in_schema=False),
        Route("/occupations", occupations_index, include_in_schema=False),
        Route("/occupations/{version}/{code}", occupation_page, include_in_schema=False),
        Route("/developers", developers, include_in_schema=False),
        Route("/widgets", widgets_page, include_in_schema=False),
        Route("/widgets/uk-average.json", uk_average, include_in_schema=False),
        Route("/widgets/{name}", widget_asset, include_in_schema=False),
        Route("/assets/{name}", widget_asset, include_in_schema=False),
        Route("/favicon.ico", favicon, include_in_schema=False),
    ]
