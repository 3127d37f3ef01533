"""A Starlette router that finds candidate routes by their path's shape instead of trying them all.

Starlette matches a request against every route's regular expression in order; with a hundred
routes the last ones cost more to reach than to answer. Here each route is indexed by its number
of path segments and its literal segments (``/v1/occupations/{version}/{code}/profile`` has five
segments, literals at positions 0, 1 and 4); a request tries only the routes whose literals equal
its own segments at those positions, in declared order, so it usually runs one regular expression.
Routes of variable length (a ``{name:path}`` parameter) and non-route entries are tried whenever
their first segment matches (always, when it is not literal).
Anything unmatched falls back to Starlette's own logic (405, redirects, 404).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from starlette.routing import BaseRoute, Match, Route, Router
from starlette.types import Receive, Scope, Send

__all__ = ["EndpointRoute", "IndexedRouter"]

#: paths whose candidate routes are remembered (a path is a few dozen bytes; hot paths repeat)
CACHED_PATHS = 65_536
#: (literal positions) → (literal segments at those positions) → [(declared position, route)]
Shapes = dict[tuple[int, ...], dict[tuple[str, ...], list[tuple[int, BaseRoute]]]]


def _segments(path: str) -> list[str]:
    return path.strip("/").split("/")


def _fixed_shape(route: BaseRoute) -> list[str | None] | None:
    """Each segment, or None where it holds a parameter; None for variable-length routes."""
    if not isinstance(route, Route) or ":path}" in route.path:
        return None
    return [None if "{" in segment else segment for segment in _segments(route.path)]


class EndpointRoute(Route):
    """A declared endpoint's route; ``restricted`` when it needs an API key with a scope.

    The router puts the matched route in ``scope["route"]``, so the response kit can tell a
    restricted endpoint (its answers never become edge shortcuts) without the route table.
    """

    def __init__(self, path: str, endpoint: Any, *, restricted: bool = False, **kwargs: Any):
        super().__init__(path, endpoint, **kwargs)
        self.restricted = restricted


class IndexedRouter(Router):
    def __init__(self, routes: Sequence[BaseRoute], **kwargs: Any) -> None:
        super().__init__(routes=list(routes), **kwargs)
        by_length: dict[int, Shapes] = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
        #: variable-length routes by their literal first segment ("" when it is a parameter)
        self._variable: dict[str, list[tuple[int, BaseRoute]]] = defaultdict(list)
        for position, route in enumerate(self.routes):
            shape = _fixed_shape(route)
            if shape is None:
                path = getattr(route, "path", "")
                first = _segments(path)[0] if path else ""
                self._variable["" if "{" in first else first].append((position, route))
                continue
            literal_at = tuple(i for i, segment in enumerate(shape) if segment is not None)
            literals = tuple(shape[i] or "" for i in literal_at)
            by_length[len(shape)][literal_at][literals].append((position, route))
        self._by_length = {n: list(shapes.items()) for n, shapes in by_length.items()}
        self._cache: dict[str, list[BaseRoute]] = {}

    def _candidates(self, path: str) -> list[BaseRoute]:
        found = self._cache.get(path)
        if found is None:
            found = self._find_candidates(path)
            if len(self._cache) < CACHED_PATHS:
                self._cache[path] = found
        return found

    def _find_candidates(self, path: str) -> list[BaseRoute]:
        segments = _segments(path)
        hits = [*self._variable.get("", ()), *self._variable.get(segments[0], ())]
        for literal_at, routes in self._by_length.get(len(segments), ()):
            found = routes.get(tuple(segments[i] for i in literal_at))
            if found:
                hits.extend(found)
        if len(hits) > 1:  # in declared order
            hits.sort(key=lambda entry: entry[0])
        return [route for _, route in hits]

    async def app(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            for route in self._candidates(scope["path"]):
                match, child_scope = route.matches(scope)
                if match is Match.FULL:
                    scope.setdefault("router", self)
                    scope["route"] = route
                    scope.update(child_scope)
                    await route.handle(scope, receive, send)
                    return
        await super().app(scope, receive, send)
