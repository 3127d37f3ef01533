"""Endpoints benchmarked by ``bench/run.py``.

Each entry is ``(name, path, target_ratio)``: ``target_ratio`` is the minimum acceptable
``endpoint req/s / raw-ASGI baseline req/s`` measured in the same run, or ``None`` to report
figures without a target. Endpoints with a target must also keep p99 latency under 10 ms.
Add new endpoints here.
"""

from __future__ import annotations

Endpoint = tuple[str, str, float | None]

ENDPOINTS: list[Endpoint] = [
    ("compat soc/code", "/api/v1/soc/code/2136", 0.5),
    ("native soc2010 occupation", "/v1/occupations/soc2010/2136", 0.5),
    ("native soc2020 occupation", "/v1/occupations/soc2020/2134", 0.5),
    ("compat soc/search", "/api/v1/soc/search?q=programmer", None),
    ("native convert", "/v1/occupations/soc2010/2136/convert?to=soc2020", None),
]
