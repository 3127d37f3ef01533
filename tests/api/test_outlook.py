"""Employment outlook endpoints over the real files: shapes, methods, notes, SDC and 4xx."""

from __future__ import annotations

import csv
import datetime
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from lmi.api.outlook import outlook
from lmi.datasets.aps import APS
from lmi.datasets.aps.parse import DERIVED
from lmi.datasets.onspd import ONSPD
from lmi.datasets.soc.tables import soc_groups
from lmi.datasets.soc_crosswalks.tables import soc2010_soc2020_dual_coding
from lmi.datasets.working_futures import WORKING_FUTURES
from lmi.datasets.working_futures.model import TOTAL
from lmi.datasets.working_futures.parse import CSV, WORKBOOK
from lmi.store import Database
from tests.api.conftest import client_over_release
from tests.datasets.helpers import copy_fixture, stub
from tests.datasets.test_working_futures import MAJORS, fixture_workbook, write_xlsx

REAL = pytest.mark.realdata
PREDICT = "/api/v1/wf/predict?soc=2136&minYear=2024&maxYear=2035"


def _get(client: TestClient, path: str) -> Any:
    response = client.get(path)
    assert response.status_code == 200, response.text
    return response.json()


def _totals(client: TestClient, query: str) -> dict[int, float]:
    body = _get(client, f"/api/v1/wf/predict?soc=2136&{query}")
    return {row["year"]: row["employment"] for row in body["predictedEmployment"]}


@REAL
def test_predict_is_a_real_based_series_with_its_method(real_client: TestClient) -> None:
    response = real_client.get(PREDICT)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"soc", "predictedEmployment", "note", "area_used"} and body["soc"] == 2136
    assert body["area_used"] == "E92000001"  # England's figures, said in the body
    years = [row["year"] for row in body["predictedEmployment"]]
    assert years == list(range(2024, 2036))
    for row in body["predictedEmployment"]:
        assert set(row) == {"year", "employment"} and isinstance(row["employment"], float)
        assert 10_000 < row["employment"] < 2_000_000
    assert "ASHE" in body["note"] and "dual coding" in body["note"] and "England" in body["note"]
    assert response.headers["x-lmi-method"] == "modelled"
    assert "x-lmi-note" not in response.headers  # the body's note says it once
    assert response.headers["access-control-allow-origin"] == "*"


@REAL
def test_predict_equals_its_share_of_the_published_sub_major_groups(
    real_client: TestClient, source_dir: Path
) -> None:
    """SOC 2010 2136 is apportioned from sub-major groups: never more than their total."""
    snap = real_client.app.state.served.snapshot  # type: ignore[attr-defined]
    model = outlook(snap)
    comp = model.composition("soc2010", "2136")
    assert comp is not None and comp.group is None and "21" in comp.weights
    with (source_dir / CSV).open(newline="") as handle:
        published = {
            r["soc2020_sub_major"]: float(r["emp_2025"])
            for r in csv.DictReader(handle)
            if r["sex"] == "all"
        }
    expected = sum(w * published[s] for s, w in comp.weights.items()) * 1000
    assert _totals(real_client, "minYear=2025&maxYear=2025")[2025] == pytest.approx(
        expected, rel=1e-6
    )
    assert expected < published["21"] * 1000


@REAL
def test_sub_major_group_is_observed_and_unit_groups_add_up_to_it(real_client: TestClient) -> None:
    body = _get(real_client, "/v1/employment/soc2020/21?minYear=2030&maxYear=2030")["data"]
    [item] = body["series"]
    # the group is published (not apportioned); 2030 is Skills Imperative's projection
    assert body["method"] == "observed" and item["method"] == "projection"
    assert item["provenance"]["method"] == "projection"
    assert item["rule"] == "working-futures@1:wf:published" and item["kind"] == "projection"
    snap = real_client.app.state.served.snapshot  # type: ignore[attr-defined]
    model = outlook(snap)
    units = [c for (v, c), g in snap.groups.items() if v == "soc2020" and g.level == "unit_group"]
    parts = [model.composition("soc2020", c) for c in units if c.startswith("21")]
    total = sum(model.employment(p, TOTAL, 2030).thousands for p in parts if p)  # type: ignore[union-attr]
    assert total * 1000 == pytest.approx(item["value"], abs=0.06)  # served to 0.1


@REAL
def test_native_unit_group_states_its_method(real_client: TestClient) -> None:
    body = _get(real_client, "/v1/employment/soc2010/2136?minYear=2019&maxYear=2022")["data"]
    assert body["method"] == "modelled" and body["available_years"] == [2010, 2035]
    assert "ASHE Table 14" in body["method_note"] and "SOC 2010" in body["method_note"]
    kinds = {i["year"]: i["kind"] for i in body["series"]}
    assert kinds == {2019: "history", 2020: "history", 2021: "projection", 2022: "projection"}
    for item in body["series"]:
        assert item["provenance"]["method"] == "modelled" and item["status"] in {"ok", "caution"}


@REAL
@pytest.mark.parametrize(
    ("dim", "codes"),
    [
        ("gender", {1, 2}),
        ("status", {1, 2, 3}),
        ("qualification", set(range(1, 10))),
        ("region", set(range(1, 10))),
    ],
)
def test_breakdowns_cover_the_total(real_client: TestClient, dim: str, codes: set[int]) -> None:
    response = real_client.get(
        f"/api/v1/wf/predict/breakdown/{dim}?soc=2136&minYear=2024&maxYear=2030"
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"soc", "breakdown", "note", "predictedEmployment", "area_used"}
    assert body["breakdown"] == dim and body["note"]
    totals = _totals(real_client, "minYear=2024&maxYear=2030")
    assert [y["year"] for y in body["predictedEmployment"]] == list(totals)
    for year in body["predictedEmployment"]:
        assert {b["code"] for b in year["breakdown"]} == codes
        assert all({"code", "name", "employment"} <= set(b) for b in year["breakdown"])
        found = sum(b["employment"] for b in year["breakdown"])
        # sex, status and qualification split the total; APS regions nearly (rounded sums)
        assert found == pytest.approx(totals[year["year"]], rel=0.01 if dim == "region" else 1e-6)
    assert response.headers["x-lmi-method"] == "modelled"


@REAL
def test_region_note_says_england_only(real_client: TestClient) -> None:
    body = _get(
        real_client, "/api/v1/wf/predict/breakdown/region?soc=2136&minYear=2030&maxYear=2030"
    )
    assert "England only" in body["note"] and "Annual Population Survey" in body["note"]
    london = next(b for b in body["predictedEmployment"][0]["breakdown"] if b["code"] == 1)
    assert london["name"] == "London"


@REAL
def test_industry_projection_is_not_available_with_a_note(real_client: TestClient) -> None:
    """Working Futures has no unit-group industry mix: its native breakdown says so and points
    to the APS industries; the compat breakdown answers from the APS (tests/api/test_industries)."""
    body = _get(real_client, "/api/v1/wf/predict/breakdown/industry?soc=2136")
    assert body["predictedEmployment"] and "Annual Population Survey" in body["note"]
    native = _get(real_client, "/v1/employment/soc2010/2136?breakdown=industry&minYear=2030")
    assert "/v1/industries/" in native["data"]["breakdown_note"]
    assert native["data"]["breakdown_note"].startswith("not available")
    assert all(item["breakdown"] == [] for item in native["data"]["series"])


@REAL
def test_gender_before_the_first_published_split_is_not_held(real_client: TestClient) -> None:
    """Well formed: the years held are answered, and the note says the rest are not."""
    body = _get(real_client, "/api/v1/wf/predict/breakdown/gender?soc=2136&minYear=2012")
    assert body["predictedEmployment"][0]["year"] == 2015
    assert "outside 2015–2035" in body["note"]
    before = _get(real_client, "/api/v1/wf/predict/breakdown/gender?soc=2136&maxYear=2014")
    assert before["predictedEmployment"] == [] and "2015–2035" in before["note"]


@REAL
def test_replacement_demand_over_the_published_period_and_a_chosen_one(
    real_client: TestClient,
) -> None:
    whole = _get(real_client, "/api/v1/wf/replacement_demand?soc=2136")
    assert set(whole) == {"soc", "start_year", "end_year", "rate", "note", "area_used"}
    assert (whole["start_year"], whole["end_year"]) == (2020, 2035) and 10 < whole["rate"] < 100
    assert "percentage of employment in 2020" in whole["note"]
    part = _get(real_client, "/api/v1/wf/replacement_demand?soc=2136&minYear=2024&maxYear=2030")
    assert (part["start_year"], part["end_year"]) == (2024, 2030) and 0 < part["rate"] < whole[
        "rate"
    ]
    assert "constant replacement rate" in part["note"]
    native = _get(real_client, "/v1/replacement-demand/soc2020/21")["data"]
    assert native["replacement_demand"]["method"] == "projection"  # published 2020–2035
    assert native["total_requirement"] == pytest.approx(
        native["net_change"] + native["replacement_demand"]["value"], abs=0.2
    )


@REAL
def test_sub_periods_share_out_the_published_replacement_demand(real_client: TestClient) -> None:
    def demand(query: str) -> float:
        body = _get(real_client, f"/v1/replacement-demand/soc2020/21?{query}")["data"]
        return float(body["replacement_demand"]["value"])

    whole = demand("")
    pieces = demand("minYear=2020&maxYear=2027") + demand("minYear=2027&maxYear=2035")
    assert pieces == pytest.approx(whole, rel=1e-6)


BAD_INPUT = [
    ("/api/v1/wf/predict?soc=abc", 400, "digits"),
    ("/api/v1/wf/predict", 400, "required"),
    ("/api/v1/wf/predict?soc=9999", 404, "9999"),
    ("/api/v1/wf/predict?soc=2136&minYear=2030&maxYear=2025", 400, "after"),
    ("/api/v1/wf/predict?soc=2136&minYear=soon", 400, "integer"),
    ("/api/v1/wf/predict/breakdown/age?soc=2136", 400, "age"),
    ("/api/v1/wf/replacement_demand?soc=2136&minYear=2030&maxYear=2030", 400, "before"),
    ("/v1/employment/soc2010/abc", 400, "code"),
    ("/v1/employment/soc2020/99", 404, "99"),
    ("/v1/employment/soc2010/2136?breakdown=colour", 400, "breakdown"),
    ("/v1/replacement-demand/soc2010/2136?maxYear=2040", 400, "2020–2035"),
]


@REAL
@pytest.mark.parametrize(("path", "status", "words"), BAD_INPUT)
def test_bad_input_is_4xx(real_client: TestClient, path: str, status: int, words: str) -> None:
    response = real_client.get(path)
    assert response.status_code == status, response.text
    body = response.json()
    assert body["ok"] is False and words in body["error"]


@REAL
def test_jsonp(real_client: TestClient) -> None:
    response = real_client.get(f"{PREDICT}&callback=show")
    assert response.status_code == 200
    assert response.text.startswith("/**/show(") and '"predictedEmployment"' in response.text


@REAL
def test_careerometer_outlook_call_and_uk_average(real_client: TestClient) -> None:
    """The widget asks this year to this year + 8 and compares with the UK average."""
    year = datetime.date.today().year
    if year + 8 > 2035:
        pytest.skip("the widget's window runs past the projections (2035)")
    body = _get(real_client, f"/api/v1/wf/predict?soc=2136&minYear={year}&maxYear={year + 8}")
    rows = body["predictedEmployment"]
    assert len(rows) == 9 and rows[0]["employment"] > 0
    average = _get(real_client, "/widgets/uk-average.json")["outlook"]
    assert average is not None and average["year"] == f"{year}-{year + 8}"
    assert -50 < average["value"] < 50 and average["method"] == "projection"


@REAL
def test_one_area_by_name_or_code_matches_its_breakdown_item(real_client: TestClient) -> None:
    by_name = _get(real_client, "/v1/employment/soc2010/2136?minYear=2030&maxYear=2030&area=London")
    by_code = _get(
        real_client, "/v1/employment/soc2010/2136?minYear=2030&maxYear=2030&area=E12000007"
    )
    assert by_name["data"] == by_code["data"]
    data = by_name["data"]
    assert (data["area"], data["area_type"]) == ("London", "region") and data["area_note"]
    breakdown = _get(
        real_client, "/v1/employment/soc2010/2136?minYear=2030&maxYear=2030&breakdown=region"
    )
    london = next(b for b in breakdown["data"]["series"][0]["breakdown"] if b["code"] == 1)
    assert data["series"][0]["value"] == london["value"]
    lep = _get(real_client, "/v1/employment/soc2020/21?minYear=2030&maxYear=2030&area=lep:London")
    assert lep["data"]["area_type"] == "lep" and lep["data"]["series"][0]["method"] == "modelled"


@REAL
@pytest.mark.parametrize(
    ("query", "status"),
    [("area=Atlantis", 404), ("area=London&breakdown=gender", 400), ("area=", 200)],
)
def test_area_errors(real_client: TestClient, query: str, status: int) -> None:
    response = real_client.get(f"/v1/employment/soc2010/2136?minYear=2030&{query}")
    assert response.status_code == status, response.text


# -- format fixtures (no official files needed) --------------------------------------------------


@pytest.fixture(scope="module")
def fixture_outlook_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """WF and APS fixtures over stub SOC groups and dual coding: 2136 (SOC 2010) → 2134, 2135."""
    root = tmp_path_factory.mktemp("outlook-source")
    wf = copy_fixture(root, "working_futures")
    write_xlsx(wf / "original" / Path(WORKBOOK).name, fixture_workbook())
    copy_fixture(root, "aps")
    copy_fixture(root, "onspd")
    with (root / "aps" / Path(DERIVED).name).open(newline="") as handle:
        titles = list(dict.fromkeys(r["soc2010_sub_major_title"] for r in csv.DictReader(handle)))
    subs10 = "11 12 21 22 23 24 31 32 33 34 35 41 42 51 52 53 54 61 62 71 72 81 82 91 92".split()
    groups = [
        {"soc_version": "soc2010", "code": c, "level": "sub_major", "title": t.upper()}
        for c, t in zip(subs10, titles, strict=True)
    ]
    groups += [
        {"soc_version": "soc2010", "code": "2136", "level": "unit_group", "title": "Programmers"},
        {"soc_version": "soc2010", "code": "2137", "level": "unit_group", "title": "Web"},
        {"soc_version": "soc2020", "code": "2134", "level": "unit_group", "title": "Programmers"},
        {"soc_version": "soc2020", "code": "2135", "level": "unit_group", "title": "Cyber"},
    ]
    with (root / "working_futures" / Path(CSV).name).open(newline="") as handle:
        groups += [
            {
                "soc_version": "soc2020",
                "code": r["soc2020_sub_major"],
                "level": "sub_major",
                "title": r["title"],
            }
            for r in csv.DictReader(handle)
            if r["sex"] == "all" and r["soc2020_sub_major"] != "all"
        ]
    groups += [
        {"soc_version": "soc2020", "code": c, "level": "major", "title": t}
        for c, t in MAJORS.items()
    ]
    dual = [
        {"soc2010": x, "soc2020": y, "men_census_base": n, "men_census_prop": 1.0}
        for x, y, n in (("2136", "2134", 300), ("2137", "2134", 100), ("2137", "2135", 200))
    ]
    db = Database(f"sqlite:///{root / 'lmi.sqlite'}")
    datasets = [
        stub("soc2010", {soc_groups: groups}),
        stub("soc_crosswalks", {soc2010_soc2020_dual_coding: dual}),
        APS,
        WORKING_FUTURES,
        ONSPD,
    ]
    yield from client_over_release(db, root, datasets)
    db.close()


def test_fixture_predict_shape_and_method(fixture_outlook_client: TestClient) -> None:
    response = fixture_outlook_client.get("/api/v1/wf/predict?soc=2136&minYear=2030&maxYear=2033")
    assert response.status_code == 200, response.text
    body = response.json()
    assert [r["year"] for r in body["predictedEmployment"]] == [2030, 2031, 2032, 2033]
    assert response.headers["x-lmi-method"] == "modelled" and "Census" in body["note"]
    # no ASHE in this release: 2134's share of sub-major 21 comes from census records alone,
    # and 2136 is 2134's only source besides 2137 (300 of its 400 records)
    whole = fixture_outlook_client.get("/v1/employment/soc2020/2134?minYear=2030&maxYear=2030")
    value = whole.json()["data"]["series"][0]["value"]
    assert body["predictedEmployment"][0]["employment"] == pytest.approx(0.75 * value, abs=0.1)


def test_fixture_region_breakdown_has_the_fixture_regions(
    fixture_outlook_client: TestClient,
) -> None:
    body = _get(
        fixture_outlook_client,
        "/api/v1/wf/predict/breakdown/region?soc=2136&minYear=2030&maxYear=2030",
    )
    [year] = body["predictedEmployment"]
    assert {b["code"] for b in year["breakdown"]} == {1, 9}  # TLI London, TLC North East
    assert "England only" in body["note"]


def test_fixture_area_by_postcode_is_its_lep_else_its_region(
    fixture_outlook_client: TestClient,
) -> None:
    query = "/v1/employment/soc2020/2134?minYear=2030&maxYear=2030&area="
    by_postcode = fixture_outlook_client.get(query + "sw1a%201aa").json()
    data = by_postcode["data"]
    assert (data["area"], data["area_type"]) == ("London", "lep")  # APS has London LEP
    assert data["resolved_from"]["postcode"] == "SW1A 1AA"
    assert "answered for London (LEP)" in data["resolved_from"]["note"]
    assert "onspd" in [p["dataset"] for p in by_postcode["meta"]["provenance"]]
    by_code = _get(fixture_outlook_client, query + "E37000051")["data"]
    assert by_code["series"] == data["series"] and by_code["resolved_from"] is None
    # Manchester: neither its LEP nor its region has APS figures in the fixture
    missing = fixture_outlook_client.get(query + "M1%201AE")
    assert missing.status_code == 404
    assert "Greater Manchester (LEP), North West (region): none has APS" in missing.text


def test_fixture_replacement_and_bad_years(fixture_outlook_client: TestClient) -> None:
    body = _get(fixture_outlook_client, "/api/v1/wf/replacement_demand?soc=2137")
    assert (body["start_year"], body["end_year"]) == (2020, 2035) and body["rate"] > 0
    # years outside the data are well formed: LMI for All's shape, no figures, a note
    outside = _get(fixture_outlook_client, "/api/v1/wf/predict?soc=2136&minYear=2000&maxYear=2005")
    assert outside["predictedEmployment"] == [] and "2010–2035" in outside["note"]
    unknown = fixture_outlook_client.get("/api/v1/wf/predict?soc=1115")
    assert unknown.status_code == 404


# -- on the synthetic demo release (no official files needed) -------------------------------------


@pytest.fixture(scope="module")
def demo_published(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], float]:
    """The demo's Working Futures CSV as generated: (sex, sub-major group) → emp_2025."""
    from lmi.synth.demo_sources import write_working_futures

    root = tmp_path_factory.mktemp("demo-wf")
    write_working_futures(root)
    with (root / CSV).open(newline="") as handle:
        return {
            (r["sex"], r["soc2020_sub_major"]): float(r["emp_2025"]) for r in csv.DictReader(handle)
        }


def test_demo_predict_shape_and_label(demo_client: TestClient) -> None:
    response = demo_client.get(PREDICT)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"soc", "predictedEmployment", "note", "area_used"} and body["soc"] == 2136
    assert body["area_used"] == "E92000001"  # England's figures, said in the body
    rows = body["predictedEmployment"]
    assert rows and all(2024 <= row["year"] <= 2035 for row in rows)
    assert all(row["employment"] > 0 for row in rows)
    assert response.headers["x-lmi-method"] == "synthetic"


def test_demo_sub_major_group_serves_the_generated_figure(
    demo_client: TestClient, demo_published: dict[tuple[str, str], float]
) -> None:
    body = _get(demo_client, "/v1/employment/soc2020/21?minYear=2025&maxYear=2025")["data"]
    [item] = body["series"]
    assert item["value"] == pytest.approx(demo_published[("all", "21")] * 1000, abs=0.06)
    assert item["provenance"]["method"] == "synthetic"


def test_demo_unit_group_is_a_share_of_its_sub_major_groups(
    demo_client: TestClient, demo_published: dict[tuple[str, str], float]
) -> None:
    """A SOC 2020 unit group's employment is apportioned from its sub-major group: positive and
    below the group's published figure."""
    body = _get(demo_client, "/v1/employment/soc2020/2134?minYear=2025&maxYear=2025")["data"]
    [item] = body["series"]
    assert 0 < item["value"] < demo_published[("all", "21")] * 1000


def test_demo_gender_breakdown_splits_the_total(demo_client: TestClient) -> None:
    path = "/api/v1/wf/predict/breakdown/gender?soc=2136&minYear=2025&maxYear=2030"
    body = _get(demo_client, path)
    totals = _totals(demo_client, "minYear=2025&maxYear=2030")
    assert [y["year"] for y in body["predictedEmployment"]] == list(totals)
    for year in body["predictedEmployment"]:
        assert {b["code"] for b in year["breakdown"]} == {1, 2}
        found = sum(b["employment"] for b in year["breakdown"])
        assert found == pytest.approx(totals[year["year"]], rel=0.02)


def test_demo_replacement_demand(demo_client: TestClient) -> None:
    whole = _get(demo_client, "/api/v1/wf/replacement_demand?soc=2136")
    assert set(whole) == {"soc", "start_year", "end_year", "rate", "note", "area_used"}
    assert (whole["start_year"], whole["end_year"]) == (2020, 2035) and 10 < whole["rate"] < 100
    native = _get(demo_client, "/v1/replacement-demand/soc2020/21")["data"]
    assert native["total_requirement"] == pytest.approx(
        native["net_change"] + native["replacement_demand"]["value"], abs=0.2
    )


@pytest.mark.parametrize(("path", "status", "words"), BAD_INPUT)
def test_demo_bad_input_is_4xx(demo_client: TestClient, path: str, status: int, words: str) -> None:
    response = demo_client.get(path)
    assert response.status_code == status, response.text
    body = response.json()
    assert body["ok"] is False and body["error"]
