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
ENDPOINTS.append(("compat ashe/estimatePay", "/api/v1/ashe/estimatePay?soc=2136", 0.5))
ENDPOINTS.append(
    ("compat ashe/estimatePay region", "/api/v1/ashe/estimatePay?soc=2136&breakdown=region", 0.5)
)
ENDPOINTS.append(("compat ashe/estimateHours", "/api/v1/ashe/estimateHours?soc=2136", 0.5))
ENDPOINTS.append(("native pay", "/v1/pay/soc2010/2136?measure=annual&pattern=full-time", 0.5))
ENDPOINTS.append(("native O*NET profile soc2010", "/v1/occupations/soc2010/2136/profile", 0.5))
ENDPOINTS.append(("native O*NET profile soc2020", "/v1/occupations/soc2020/2134/profile", 0.5))
ENDPOINTS.append(("native skills match", "/v1/skills/match?skills=2.B.3.e,2.A.1.e&soc=2020", None))
ENDPOINTS.append(("compat o-net reversematch", "/api/v1/o-net/reversematch?skills=2.B.3.e", None))
ENDPOINTS.append(("compat soc/search coder", "/api/v1/soc/search?q=snr+java+dev+-+London", 0.4))
WF_PREDICT = "/api/v1/wf/predict?soc=2136&minYear=2024&maxYear=2035"
ENDPOINTS.append(("compat wf/predict", WF_PREDICT, 0.5))
WF_REGION = "/api/v1/wf/predict/breakdown/region?soc=2136&minYear=2025&maxYear=2031"
ENDPOINTS.append(("compat wf/predict region", WF_REGION, None))
ENDPOINTS.append(("native employment", "/v1/employment/soc2010/2136?minYear=2024", 0.5))
ENDPOINTS.append(("native pathway cah", "/v1/pathways/cah/11-01", 0.5))
LFS_UNEMPLOYMENT = "/api/v1/lfs/unemployment?soc=2136&minYear=2018&maxYear=2022&filterBy=gender:2"
ENDPOINTS.append(("compat lfs/unemployment", LFS_UNEMPLOYMENT, 0.5))
ENDPOINTS.append(("compat ess/region", "/api/v1/ess/region/E37000015/2136", None))
