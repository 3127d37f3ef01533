"""Pay and hours endpoints: shapes, SDC envelope, fallbacks, 4xx.

Over the real ASHE files (``real_client``, skipped without them), and over the synthetic demo
release (``demo_client``), which needs no files: the same rules, checked on invented figures.
"""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from lmi.store import Database

REAL = pytest.mark.realdata
NATIVE = "/v1/pay/soc2010/2136?measure=annual&pattern=full-time&year=2021"


@REAL
def test_2136_2021p_full_time_annual_median_is_observed(real_client: TestClient) -> None:
    body = real_client.get(NATIVE).json()
    [item] = body["data"]["series"]
    assert item["value"] == 44024 and item["method"] == "observed" and item["status"] == "ok"
    assert item["provenance"]["method"] == "observed" and item["sources"] == ["2021p soc2010"]
    assert "fallback_level" not in item


@REAL
def test_an_x_cell_falls_back_with_its_level_and_never_shows_a_number(
    real_client: TestClient,
) -> None:
    coarse = real_client.get(f"{NATIVE}&statistic=p90").json()["data"]["series"][0]
    assert coarse["fallback_level"] == 3 and coarse["value"] == 74885  # minor group 213
    exact = real_client.get(f"{NATIVE}&statistic=p90&coarse=false").json()["data"]["series"][0]
    assert exact["value"] is None and exact["status"] == "suppressed_quality"
    assert exact["rule"] == "ashe-workbook@1:symbol'x'"
    assert "parent group" in coarse["note"]  # the stand-in is said in the body


@REAL
def test_compat_estimate_pay_is_a_weekly_series(real_client: TestClient) -> None:
    response = real_client.get("/api/v1/ashe/estimatePay?soc=2136")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"soc", "series"} and body["soc"] == 2136
    years = [item["year"] for item in body["series"]]
    assert years == sorted(years) and 2021 in years and 2025 in years
    for item in body["series"]:
        assert set(item) == {"year", "estpay"} and 400 < item["estpay"] < 2000
    assert response.headers["x-lmi-method"] == "modelled"  # SOC 2020 years re-expressed
    methods = response.headers["x-lmi-methods"]
    # 2021 (SOC 2010) weekly pay is ONS's Table 14.1a; 2011 has annual pay only
    assert "2021:observed(published)" in methods
    assert "2011:modelled(ashe:weekly=annual/52)" in methods


@REAL
@pytest.mark.parametrize(
    ("query", "name", "codes"),
    [
        ("breakdown=region", "region", set(range(1, 13))),  # NI: the UK figure stands in
        ("breakdown=region&coarse=false", "region", set(range(1, 12))),  # no NI in Table 3
        ("breakdown=gender", "gender", {1, 2}),
    ],
)
def test_compat_breakdowns(real_client: TestClient, query: str, name: str, codes: set[int]) -> None:
    body = real_client.get(f"/api/v1/ashe/estimatePay?soc=2136&{query}").json()
    for item in body["series"]:
        assert {b[name] for b in item["breakdown"]} == codes
        for b in item["breakdown"]:  # Northern Ireland (12) says it is the UK figure
            extra = {"area_used", "note"} if name == "region" and b[name] == 12 else set()
            assert set(b) == {name, "estpay"} | extra


@REAL
def test_compat_status_breakdown_has_part_time_where_job_counts_exist(
    real_client: TestClient,
) -> None:
    body = real_client.get("/api/v1/ashe/estimatePay?soc=2136&breakdown=status").json()
    by_year = {
        i["year"]: {b["status"]: b["estpay"] for b in i["breakdown"]} for i in body["series"]
    }
    assert set(by_year[2021]) == {1, 2} and by_year[2021][2] < by_year[2021][1]
    assert set(by_year[2025]) == {1}  # 2025p has no job counts: part-time not derivable


@REAL
def test_compat_filters_combine(real_client: TestClient) -> None:
    london = real_client.get("/api/v1/ashe/estimatePay?soc=2136&filters=region:1").json()
    women = real_client.get("/api/v1/ashe/estimatePay?soc=2136&filters=region:1|gender:2").json()
    pay = {i["year"]: i["estpay"] for i in london["series"]}
    pay_w = {i["year"]: i["estpay"] for i in women["series"]}
    assert pay_w[2025] < pay[2025]


@REAL
def test_compat_hours_and_changes(real_client: TestClient) -> None:
    hours = real_client.get("/api/v1/ashe/estimateHours?soc=2136").json()
    # Table 14.9 (paid hours) is in the 2021–2024 workbooks, and the 2025 extract has hours
    assert [i["year"] for i in hours["series"]] == [2021, 2022, 2023, 2024, 2025]
    assert all(30 < i["hours"] < 45 for i in hours["series"])
    changes = real_client.get("/api/v1/ashe/annualChanges?soc=2136").json()
    # ONS 14.7a 2021 (SOC 2010), All, 2136 mean change: 1.2 (the extract had it rounded to 1)
    assert {"year": 2021, "change": 1.2} in changes["annual_changes"]


@REAL
def test_jsonp(real_client: TestClient) -> None:
    response = real_client.get("/api/v1/ashe/estimatePay?soc=2136&callback=cb")
    assert response.text.startswith("/**/cb(") and "javascript" in response.headers["content-type"]


BAD_INPUT = [
    ("/api/v1/ashe/estimatePay?soc=9999", 404),
    ("/api/v1/ashe/estimatePay?soc=213", 400),
    ("/api/v1/ashe/estimatePay", 400),
    ("/api/v1/ashe/estimatePay?soc=2136&filters=colour:1", 400),
    ("/api/v1/ashe/estimatePay?soc=2136&filters=region:13", 400),
    ("/api/v1/ashe/estimatePay?soc=2136&filters=gender:x", 400),
    ("/api/v1/ashe/estimatePay?soc=2136&breakdown=colour", 400),
    ("/api/v1/ashe/estimateHours?soc=abc", 400),
    ("/api/v1/ashe/estimatePay?soc=2136&filters=colour:1", 400),
    ("/v1/pay/soc2010/9999", 404),
    ("/v1/pay/soc2010/2136?year=1800", 400),
    ("/v1/pay/soc2010/2136?year=2015", 400),
    ("/v1/pay/soc2010/2136?statistic=mode", 400),
    ("/v1/hours/soc1990/2136", 400),
    ("/api/v1/ashe/estimatePayMD?soc=2136", 401),  # behind an API key (scope pay:md)
]


@REAL
@pytest.mark.parametrize(("path", "status"), BAD_INPUT)
def test_bad_input_is_4xx_json(real_client: TestClient, path: str, status: int) -> None:
    response = real_client.get(path)
    assert response.status_code == status, response.text
    body = response.json()
    assert body["ok"] is False and body["error"]


@REAL
def test_median_and_deciles_need_a_key_with_the_scope(
    real_client: TestClient, real_release_db: Database
) -> None:
    from lmi.api.maintenance import maintain
    from lmi.ops.keys import create_key

    path = "/api/v1/ashe/estimatePayMD?soc=2136"
    assert real_client.get(path).status_code == 401
    _, plain = create_key(real_release_db, "no scope")
    _, scoped = create_key(real_release_db, "careers", scopes=("pay:md",))
    maintain(real_client.app.state.served, real_client.app.state.edge)  # type: ignore[attr-defined]
    assert real_client.get(path, headers={"X-API-Key": plain}).status_code == 403
    response = real_client.get(f"{path}&api_key={scoped}")
    assert response.status_code == 200
    # an answer given to a key is never sent again, from any cache, to a request without one
    assert real_client.get(path, headers={"X-API-Key": scoped}).status_code == 200
    assert real_client.get(path).status_code == 401
    assert real_client.get(path, headers={"X-API-Key": plain}).status_code == 403
    body = response.json()
    assert set(body) == {"median", "deciles"}
    assert list(body["deciles"]) == ["10", "20", "30", "40", "60", "70", "80", "90"]
    deciles = [v for v in body["deciles"].values() if v is not None]
    assert deciles == sorted(deciles) and deciles[0] < body["median"] < deciles[-1]
    assert response.headers["x-lmi-methods"].startswith("2025; median:")


@REAL
def test_region_without_a_published_relativity_falls_back_to_the_uk(
    real_client: TestClient,
) -> None:
    """Table 3 has no Northern Ireland (nor England as a whole): region → UK, when coarse."""
    uk = real_client.get("/v1/pay/soc2010/2136?year=2025").json()["data"]["series"][0]
    ni = real_client.get("/v1/pay/soc2010/2136?year=2025&region=12").json()["data"]["series"][0]
    assert ni["value"] == uk["value"] and ni["fallback_area"] == "K02000001"
    assert all("Table 3" not in source for source in ni["sources"])
    london = real_client.get("/v1/pay/soc2010/2136?year=2025&region=1").json()["data"]
    assert (
        "fallback_area" not in london["series"][0] and london["series"][0]["value"] != uk["value"]
    )
    strict = real_client.get("/v1/pay/soc2010/2136?year=2025&region=12&coarse=false").json()
    assert strict["data"]["series"][0]["value"] is None
    assert strict["data"]["series"][0]["status"] == "not_available"


@REAL
def test_pool_true_stands_in_the_same_unit_group_from_neighbouring_years(
    real_client: TestClient,
) -> None:
    """1112 (elected officers) hourly median 2023p is `x`; 2021r, 2022p, 2024p and 2025p
    publish it (all within the two-year window)."""
    path = "/v1/pay/soc2020/1112?measure=hourly&statistic=median&year=2023"
    coarse = real_client.get(path).json()["data"]["series"][0]
    assert coarse["fallback_level"] == 3 and "fallback_years" not in coarse
    pooled = real_client.get(f"{path}&pool=true").json()["data"]["series"][0]
    years = [2021, 2022, 2024, 2025]
    assert pooled["fallback_years"] == years and "fallback_level" not in pooled
    assert pooled["method"] == "modelled" and pooled["rule"] == "ashe:pooled-years-mean"
    neighbours = [
        real_client.get(f"/v1/pay/soc2020/1112?measure=hourly&year={year}").json()["data"]
        for year in years
    ]
    values = [d["series"][0]["value"] for d in neighbours]
    assert all(v is not None for v in values)
    assert pooled["value"] == pytest.approx(sum(values) / len(values))
    assert pooled["value"] != coarse["value"]
    bad = real_client.get(f"{path}&pool=maybe")
    assert bad.status_code == 400 and bad.json()["ok"] is False


@REAL
def test_all_occupations_from_major_groups_reproduces_a_published_total(
    real_release_db: Database,
) -> None:
    """Drop the published 2023p all-occupations rows: the major-group model (with 2022p job
    counts as weights: ONS's 2022 workbook, the latest earlier edition) comes within 3% of the
    total ONS published, and says it is modelled."""
    from lmi.datasets.ashe.cube import PayCube, Request
    from lmi.sdc.fallback import ALL
    from lmi.serve.snapshot import load_snapshot

    snap = load_snapshot(real_release_db)
    rows = snap.rows("ashe_cells")
    dual = snap.rows("soc2010_soc2020_dual_coding")
    published = PayCube(rows, dual).estimate(Request("soc2020", ALL, 2023, "annual", coarse=False))
    without = PayCube([r for r in rows if not (r["year"] == 2023 and r["code"] == ALL)], dual)
    modelled = without.estimate(Request("soc2020", ALL, 2023, "annual", coarse=False)).served
    assert published.served.method == "observed" and published.served.value == 35404
    assert modelled.method == "modelled"
    assert modelled.rule == "ashe:all=major-group-means-weighted-by-2022-jobs"
    assert modelled.value == pytest.approx(35404, rel=0.03)
    median = Request("soc2020", ALL, 2023, "annual", statistic="median", coarse=False)
    assert without.estimate(median).served.value is None  # medians do not combine


# -- on the synthetic demo release (no official files needed) -------------------------------------

DEMO_NATIVE = "/v1/pay/soc2020/2134?measure=annual&pattern=full-time"


def _demo_exact_series(client: TestClient, code: str, statistic: str) -> list[dict[str, Any]]:
    path = f"/v1/pay/soc2010/{code}?measure=annual&pattern=full-time&statistic={statistic}"
    response = client.get(f"{path}&coarse=false")
    assert response.status_code == 200, response.text
    series: list[dict[str, Any]] = response.json()["data"]["series"]
    return series


def test_demo_native_pay_series_is_labelled_synthetic(demo_client: TestClient) -> None:
    body = demo_client.get(DEMO_NATIVE).json()
    assert body["ok"] is True
    data = body["data"]
    assert data["occupation"]["code"] == "2134" and data["occupation"]["title"].endswith(
        "(synthetic)"
    )
    assert data["measure"] == "annual" and data["pattern"] == "full-time"
    years = [item["year"] for item in data["series"]]
    assert years == sorted(years) and 2025 in years
    shown = [item for item in data["series"] if item["value"] is not None]
    assert shown, "the demo has pay figures for 2134"
    for item in data["series"]:
        assert item["provenance"]["method"] == "synthetic"
        assert item["provenance"]["publisher"] == "lmi synthetic demo"
    for item in shown:
        assert 10_000 < item["value"] < 150_000  # plausible annual pay, in £


def test_demo_suppressed_cells_are_flagged_and_fall_back_never_shown(
    demo_client: TestClient,
) -> None:
    """The generator marks some Table 14 cells 'x' as ONS does: served as a status, no number,
    and with coarse answers the next level up stands in and says so."""
    from lmi.synth.demo_sources import unit_codes

    found = None
    for code in unit_codes():
        for item in _demo_exact_series(demo_client, code, "median"):
            if item["status"] != "ok" and item.get("rule") == "ashe@1:symbol'x'":
                found = (code, item["year"])
                assert item["value"] is None
                break
        if found:
            break
    assert found is not None, "no suppressed cell in the demo: its SDC rules are not exercised"
    code, year = found
    path = f"/v1/pay/soc2010/{code}?measure=annual&pattern=full-time&year={year}"
    [coarse] = demo_client.get(path).json()["data"]["series"]
    assert coarse["value"] is not None and coarse["fallback_level"] in {1, 2, 3}


def test_demo_compat_estimate_pay_is_a_weekly_series(demo_client: TestClient) -> None:
    response = demo_client.get("/api/v1/ashe/estimatePay?soc=2136")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"soc", "series"} and body["soc"] == 2136
    for item in body["series"]:
        assert set(item) == {"year", "estpay"} and 200 < item["estpay"] < 3000
    assert response.headers["x-lmi-method"] == "synthetic"


@pytest.mark.parametrize(
    ("query", "name", "codes"),
    [("breakdown=region", "region", set(range(1, 13))), ("breakdown=gender", "gender", {1, 2})],
)
def test_demo_compat_breakdowns(
    demo_client: TestClient, query: str, name: str, codes: set[int]
) -> None:
    body = demo_client.get(f"/api/v1/ashe/estimatePay?soc=2136&{query}").json()
    assert body["series"]
    for item in body["series"]:
        assert {b[name] for b in item["breakdown"]} == codes
        for b in item["breakdown"]:  # Northern Ireland (12) says it is the UK figure
            extra = {"area_used", "note"} if name == "region" and b[name] == 12 else set()
            assert set(b) == {name, "estpay"} | extra


def test_demo_women_earn_less_than_men_in_2025(demo_client: TestClient) -> None:
    """The generator's sex factors reach the answer (a filter that did nothing would fail)."""
    men = demo_client.get("/api/v1/ashe/estimatePay?soc=2136&filters=gender:1").json()
    women = demo_client.get("/api/v1/ashe/estimatePay?soc=2136&filters=gender:2").json()
    pay_m = {i["year"]: i["estpay"] for i in men["series"]}
    pay_w = {i["year"]: i["estpay"] for i in women["series"]}
    assert pay_w[2025] < pay_m[2025]


def test_demo_hours(demo_client: TestClient) -> None:
    hours = demo_client.get("/api/v1/ashe/estimateHours?soc=2136").json()
    assert [i["year"] for i in hours["series"]] == [2025] and 30 < hours["series"][0]["hours"] < 45


@pytest.mark.parametrize(("path", "status"), BAD_INPUT)
def test_demo_bad_input_is_4xx_json(demo_client: TestClient, path: str, status: int) -> None:
    response = demo_client.get(path)
    assert response.status_code == status, response.text
    body = response.json()
    assert body["ok"] is False and body["error"]
