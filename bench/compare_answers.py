"""Record a server's answers to a few hundred representative requests, or compare two records.

A refactoring of the serving side must not change what clients receive. This script asks a
running lmi the same requests before and after the change and says which answers differ, byte
for byte (status, body and every header except ``date``, ``server`` and ``x-request-id``):

    .venv/bin/python bench/compare_answers.py record --url http://127.0.0.1:8000 --out before.jsonl
    # ... change the code, restart the server on the same data directory and address ...
    .venv/bin/python bench/compare_answers.py record --url http://127.0.0.1:8000 --out after.jsonl
    .venv/bin/python bench/compare_answers.py compare before.jsonl after.jsonl

The requests are every endpoint's documented example plus each of ~40 endpoint templates over a
sample of unit groups drawn from the served release, JSONP variants, conditional requests and
malformed input (4xx answers must not change either). Exit status of ``compare``: 0 identical,
1 differences (listed).
"""

from __future__ import annotations

import argparse
import base64
import http.client
import json
import sys
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

#: headers that differ on every answer, whatever the code
VARYING = ("date", "server", "x-request-id")

#: every endpoint's documented example (from the route table when this script was written)
EXAMPLES = (
    "/api/v1/soc/code/2136",
    "/api/v1/soc/search?q=programmer",
    "/v1/occupations?soc=2020&level=unit_group&parent=213",
    "/v1/occupations/soc2010/2136",
    "/v1/occupations/soc2020/213/children",
    "/v1/occupations/soc2020/2134/ancestors",
    "/v1/occupations/soc2010/2136/index-titles",
    "/v1/hierarchy/soc2020",
    "/v1/search/occupations?q=software+developer&soc=2020",
    "/v1/code?title=snr+java+dev+-+London&title=HGV+class+1+driver&soc=2020",
    "/v1/occupations/soc2010/2136/convert?to=soc2020&value=1000",
    "/v1/occupations/soc2020/2134/isco",
    "/v1/occupations/soc2010/2136/onet",
    "/v1/isco08/2512",
    "/v1/onet/15-1252.00",
    "/v1/regions",
    "/v1/qualifications",
    "/v1/sic2007?level=division&parent=J",
    "/v1/sic2007/62.01",
    "/v1/subjects/cah?level=cah1",
    "/v1/subjects/cah/11-01",
    "/v1/occupations/soc2010/2136/profile?sections=skills,knowledge,interests",
    "/v1/occupations/soc2020/2231/related",
    "/v1/skills/match?skills=2.B.3.e,2.A.1.e&soc=2020",
    "/v1/interests/match?riasec=10,35,12,8,20,30&job_zone=4,5",
    "/v1/skills/elements?domain=skills",
    "/api/v1/o-net/soc2onet/2136",
    "/api/v1/o-net/onet2soc",
    "/api/v1/o-net/skills/15-1253.00",
    "/api/v1/o-net/reversematch?skills=2.B.3.e,2.A.1.e&weights=100,100,100,100",
    "/healthz",
    "/v1/pay/soc2010/2136?measure=annual&pattern=full-time&year=2021",
    "/v1/hours/soc2020/2134",
    "/api/v1/ashe/estimatePay?soc=2136&breakdown=region",
    "/api/v1/ashe/estimateHours?soc=2136&breakdown=gender",
    "/api/v1/ashe/annualChanges?soc=2136",
    "/api/v1/ashe/estimatePayMD?soc=2136",
    "/v1/employment/soc2010/2136?minYear=2024&maxYear=2035&breakdown=gender",
    "/v1/replacement-demand/soc2020/2134?minYear=2024&maxYear=2030",
    "/api/v1/wf/predict?soc=2136&minYear=2024&maxYear=2035",
    "/api/v1/wf/predict/breakdown/region?soc=2136&minYear=2024&maxYear=2030",
    "/api/v1/wf/replacement_demand?soc=2136",
    "/v1/leo/earnings/11-01?sex=female&yag=5",
    "/v1/pathways/occupation/soc2020/2134",
    "/v1/pathways/cah/11-01",
    "/v1/apprenticeships?code=5241",
    "/v1/apprenticeships/SYN5241",
    "/api/v1/hesa/courses/2136",
    "/v1/vacancies/soc2010/2136?area=Greater%20Manchester",
    "/v1/areas/E37000051/vacancies",
    "/api/v1/ess/uk/2136",
    "/api/v1/ess/region/1/2136",
    "/api/v1/ess/regions",
    "/api/v1/ess/regions/ranksocs/E37000015",
    "/api/v1/lfs/unemployment?soc=2136&minYear=2018&maxYear=2022&filterBy=gender:2",
    "/api/v1/lfs/filters",
    "/api/v1/lfs/filters/all",
    "/api/v1/lfs/filters/info/ageband",
    "/v1/unemployment/soc2020/2134?sex=female&region=London",
    "/api/v1/census/jobs_breakdown?area=Camden",
    "/api/v1/census/resident_occupations?area=Camden",
    "/api/v1/census/distance?area=E12000007",
    "/v1/areas?kind=lep&q=north",
    "/v1/areas/North%20Eastern",
    "/v1/areas/Camden/residents",
    "/v1/areas/E12000007/travel-to-work",
    "/v1/areas/E37000015/jobs",
)

#: templates asked for every sampled unit group ({soc}: SOC 2010, {soc20}: SOC 2020)
PER_CODE = (
    "/api/v1/soc/code/{soc}",
    "/api/v1/ashe/estimatePay?soc={soc}",
    "/api/v1/ashe/estimatePay?soc={soc}&breakdown=region",
    "/api/v1/ashe/estimatePay?soc={soc}&breakdown=gender&filters=region:7",
    "/api/v1/ashe/estimateHours?soc={soc}",
    "/api/v1/ashe/annualChanges?soc={soc}",
    "/api/v1/wf/predict?soc={soc}&minYear=2024&maxYear=2035",
    "/api/v1/wf/predict/breakdown/industry?soc={soc}",
    "/api/v1/wf/predict/breakdown/qualification?soc={soc}&minYear=2025",
    "/api/v1/wf/replacement_demand?soc={soc}",
    "/api/v1/hesa/courses/{soc}",
    "/api/v1/ess/uk/{soc}",
    "/api/v1/lfs/unemployment?soc={soc}",
    "/api/v1/o-net/soc2onet/{soc}",
    "/v1/occupations/soc2010/{soc}",
    "/v1/occupations/soc2010/{soc}/convert?to=soc2020",
    "/v1/pay/soc2010/{soc}",
    "/v1/pay/soc2010/{soc}?measure=weekly&sex=female",
    "/v1/hours/soc2010/{soc}",
    "/v1/employment/soc2010/{soc}?minYear=2024",
    "/v1/occupations/soc2010/{soc}/profile",
    "/v1/occupations/soc2010/{soc}/related",
    "/v1/pathways/occupation/soc2010/{soc}",
    "/v1/vacancies/soc2010/{soc}",
    "/v1/unemployment/soc2010/{soc}",
    "/v1/occupations/soc2020/{soc20}",
    "/v1/occupations/soc2020/{soc20}/convert",
    "/v1/pay/soc2020/{soc20}?measure=annual&pattern=full-time",
    "/v1/occupations/soc2020/{soc20}/profile",
    "/v1/replacement-demand/soc2020/{soc20}",
)

#: other requests: subjects, searches, JSONP, groups above unit level, and malformed input
OTHERS = (
    "/v1/leo/earnings/11-01",
    "/v1/leo/earnings/CAH03-01?yag=3",
    "/v1/leo/earnings/100425",
    "/v1/pathways/cah/CAH11-01",
    "/v1/pathways/hecos/100425",
    "/v1/pathways/jacs/G400",
    "/api/v1/soc/search?q=nurse",
    "/api/v1/soc/search?q=snr+java+dev+-+London&limit=3",
    "/v1/search/occupations?q=hgv+driver",
    "/api/v1/soc/code/2136?callback=cb",
    "/api/v1/ashe/estimatePay?soc=2136&callback=jQuery123_456",
    "/api/v1/wf/predict?soc=2136&callback=cb",
    "/api/v1/lfs/unemployment?soc=2136&callback=cb",
    "/v1/occupations/soc2010/21",
    "/v1/occupations/soc2010/2",
    "/v1/pay/soc2010/21",
    "/v1/employment/soc2020/21",
    "/api/v1/soc/code/21",
    "/api/v1/soc/code/abcd",
    "/api/v1/soc/code/9999",
    "/api/v1/ashe/estimatePay?soc=abc",
    "/api/v1/ashe/estimatePay",
    "/api/v1/ashe/estimatePay?soc=2136&breakdown=qualification",
    "/api/v1/ashe/annualChanges?soc=2136&filters=region:11",
    "/api/v1/wf/predict?soc=2136&minYear=1900",
    "/api/v1/wf/predict/breakdown/nonsense?soc=2136",
    "/v1/occupations/soc2030/2136",
    "/v1/occupations/soc2010/99999",
    "/v1/pay/soc2010/2136?measure=nonsense",
    "/v1/leo/earnings/nonsense",
    "/v1/pathways/cah/99-99",
    "/v1/unknown/endpoint",
    "/api/v1/ess/region/99/2136",
    "/api/v1/lfs/unemployment?soc=2136&filterBy=nonsense:1",
    "/v1/skills/match?skills=nonsense",
    "/v1/areas/Nowhere%20At%20All",
    "/v1/code?title=",
    "/openapi.json",
    "/docs",
)


def sample_codes(base: str, version: str, count: int) -> list[str]:
    status, _, body = fetch(base, f"/v1/occupations?soc={version}&level=unit_group")
    if status != 200:
        raise SystemExit(f"cannot list SOC {version} unit groups: HTTP {status}")
    codes = [item["code"] for item in json.loads(body)["data"]]
    step = max(1, len(codes) // count)
    return codes[::step][:count]


def requests_for(base: str, per_code: int) -> list[tuple[str, dict[str, str]]]:
    paths = [*EXAMPLES, *OTHERS]
    pairs = zip(
        sample_codes(base, "2010", per_code), sample_codes(base, "2020", per_code), strict=False
    )
    for soc, soc20 in pairs:
        paths += [t.format(soc=quote(soc), soc20=quote(soc20)) for t in PER_CODE]
    found: list[tuple[str, dict[str, str]]] = [(p, {}) for p in paths]
    found += [(p, {"Accept-Encoding": "gzip"}) for p in EXAMPLES[:8]]
    found += [(p, {"Accept-Encoding": "br"}) for p in EXAMPLES[30:38]]
    return found


def fetch(base: str, path: str, headers: dict[str, str] | None = None) -> tuple[int, Any, bytes]:
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port or 80, timeout=60)
    try:
        conn.request("GET", path, headers={"Accept-Encoding": "identity", **(headers or {})})
        response = conn.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        conn.close()


def record(base: str, out: Path, per_code: int) -> None:
    requests = requests_for(base, per_code)
    with out.open("w") as sink:
        for path, headers in requests:
            status, raw_headers, body = fetch(base, path, headers)
            kept = [[k.lower(), v] for k, v in raw_headers if k.lower() not in VARYING]
            etag = next((v for k, v in kept if k == "etag"), None)
            answer = {"path": path, "headers": headers, "status": status, "response": kept}
            answer["body"] = base64.b64encode(body).decode()
            sink.write(json.dumps(answer) + "\n")
            if etag and status == 200:  # the conditional request must still say 304
                status304, _, _ = fetch(base, path, {**headers, "If-None-Match": etag})
                sink.write(json.dumps({"path": path, "if_none_match": True, "status": status304}))
                sink.write("\n")
    print(f"recorded {len(requests)} requests (and their conditional repeats) to {out}")


def compare(before: Path, after: Path) -> int:
    old = [json.loads(line) for line in before.read_text().splitlines()]
    new = [json.loads(line) for line in after.read_text().splitlines()]
    if len(old) != len(new):
        print(f"different request lists: {len(old)} answers against {len(new)}")
        return 1
    differ = 0
    for a, b in zip(old, new, strict=True):
        if a != b:
            differ += 1
            what = [k for k in ("status", "response", "body") if a.get(k) != b.get(k)]
            print(f"DIFFERS {a['path']} {a.get('headers') or ''}: {', '.join(what)}")
            if "response" in what:
                print(f"    before: {sorted(map(tuple, a['response']))}")
                print(f"    after:  {sorted(map(tuple, b['response']))}")
    statuses: dict[int, int] = {}
    for answer in old:
        statuses[answer["status"]] = statuses.get(answer["status"], 0) + 1
    print(f"{len(old)} answers compared ({statuses}); {differ} differ")
    return 1 if differ else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    verbs = parser.add_subparsers(dest="verb", required=True)
    rec = verbs.add_parser("record", help="ask a running server and save its answers")
    rec.add_argument("--url", default="http://127.0.0.1:8000")
    rec.add_argument("--out", type=Path, required=True)
    rec.add_argument("--per-code", type=int, default=12, help="unit groups sampled per version")
    cmp = verbs.add_parser("compare", help="compare two recordings byte for byte")
    cmp.add_argument("before", type=Path)
    cmp.add_argument("after", type=Path)
    args = parser.parse_args()
    if args.verb == "record":
        record(args.url.rstrip("/"), args.out, args.per_code)
        return 0
    return compare(args.before, args.after)


if __name__ == "__main__":
    sys.exit(main())
