"""A Starlette router that finds candidate routes by path prefix instead of trying them all.

Starlette matches a request against every route's regular expression in order; with dozens of
routes the last ones cost more to reach than to answer. Here routes are bucketed by their
leading literal path segments (up to three); a request tries only the routes of its buckets,
in declared order. Anything unmatched falls back to Starlette's own logic (405, redirects, 404).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from starlette.routing import BaseRoute, Match, Route, Router
from starlette.types import Receive, Scope, Send

__all__ = ["IndexedRouter"]

DEPTH = 3


def _literal_prefix(path: str) -> tuple[str, ...]:
    prefix = []
    for segment in path.strip("/").split("/")[:DEPTH]:
        if "{" in segment:
            break
        prefix.append(segment)
    return tuple(prefix)


class IndexedRouter(Router):
    def __init__(self, routes: Sequence[BaseRoute], **kwargs: Any) -> None:
        super().__init__(routes=list(routes), **kwargs)
        buckets: dict[tuple[str, ...], list[tuple[int, BaseRoute]]] = defaultdict(list)
        for position, route in enumerate(self.routes):
            key = _literal_prefix(route.path) if isinstance(route, Route) else ()
            buckets[key].append((position, route))
        self._buckets = dict(buckets)
        self._cache: dict[tuple[str, ...], list[BaseRoute]] = {}

    def _candidates(self, path: str) -> list[BaseRoute]:
        segments = tuple(path.strip("/").split("/")[:DEPTH])
        found = self._cache.get(segments)
        if found is None:
            hits = [
                entry
                for depth in range(len(segments) + 1)
                for entry in self._buckets.get(segments[:depth], ())
            ]
            found = [route for _, route in sorted(hits, key=lambda entry: entry[0])]
            if len(self._cache) < 10_000:
                self._cache[segments] = found
        return found

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
