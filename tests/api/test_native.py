"""The native /v1 API: envelope, provenance, hierarchy, conversion."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient


def data_of(client: TestClient, path: str) -> tuple[Any, dict[str, Any]]:
    response = client.get(path)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["ok"] is True and set(body) == {"ok", "data", "meta"}
    return body["data"], body["meta"]


def test_soc2010_occupation_real(real_client: TestClient) -> None:
    data, meta = data_of(real_client, "/v1/occupations/soc2010/2136")
    assert data["title"] == "Programmers and software development professionals"
    assert data["level"] == "unit_group" and data["parent"]["code"] == "213"
    assert [a["code"] for a in data["ancestors"]] == ["2", "21", "213"]
    assert "writes and codes individual programs according to specifications;" in data["tasks"]
    assert data["provenance"]["method"] == "observed"
    assert data["provenance"]["release"] == meta["release"]["id"]
    assert meta["provenance"][0]["publisher"] == "Office for National Statistics"


def test_soc2020_occupation_real(real_client: TestClient) -> None:
    data, _ = data_of(real_client, "/v1/occupations/soc2020/2134")
    assert data["title"] == "Programmers and software development professionals"
    assert "Mobile app developer" in data["related_job_titles"]
    assert data["links"]["convert"] == "/v1/occupations/soc2020/2134/convert?to=soc2010"


def test_version_spellings_are_accepted(fixture_client: TestClient) -> None:
    a, _ = data_of(fixture_client, "/v1/occupations/2020/1111")
    b, _ = data_of(fixture_client, "/v1/occupations/SOC2020/1111")
    assert a == b


def test_children_and_ancestors(fixture_client: TestClient) -> None:
    children, _ = data_of(fixture_client, "/v1/occupations/soc2010/11/children")
    assert [c["code"] for c in children] == ["111", "112", "113", "114"]
    ancestors, _ = data_of(fixture_client, "/v1/occupations/soc2010/1111/ancestors")
    assert [a["level"] for a in ancestors] == ["major", "sub_major", "minor"]


def test_list_and_hierarchy(real_client: TestClient) -> None:
    units, _ = data_of(real_client, "/v1/occupations?soc=2020&level=unit_group")
    assert len(units) == 412
    within, _ = data_of(real_client, "/v1/occupations?soc=2010&level=unit_group&parent=213")
    assert "2136" in [u["code"] for u in within] and all(
        u["code"].startswith("213") for u in within
    )
    tree, _ = data_of(real_client, "/v1/hierarchy/soc2010")
    assert len(tree) == 9
    leaves = sum(
        len(minor["children"])
        for major in tree
        for sub in major["children"]
        for minor in sub["children"]
    )
    assert leaves == 369


def test_convert_soc2010_to_soc2020_real(real_client: TestClient) -> None:
    data, _ = data_of(real_client, "/v1/occupations/soc2010/2136/convert?to=soc2020&value=1000")
    targets = {t["code"]: t for t in data["targets"]}
    assert "2134" in targets
    assert targets["2134"]["proportion"] == max(t["proportion"] for t in data["targets"])
    assert sum(t["proportion"] for t in data["targets"]) == pytest.approx(1.0, abs=1e-5)
    assert sum(t["value"] for t in data["targets"]) == pytest.approx(1000.0)
    assert data["method"] == "observed" and 0.9 < data["coverage"] <= 1.0
    assert data["sample_size"] > 0
    assert targets["2134"]["provenance"]["method"] == "observed"


def test_convert_back_is_modelled_and_weighted(real_client: TestClient) -> None:
    data, _ = data_of(real_client, "/v1/occupations/soc2020/2134/convert")
    assert data["to_version"] == "soc2010" and data["method"] == "modelled"
    codes = [t["code"] for t in data["targets"]]
    assert codes[0] == "2136"
    assert sum(t["proportion"] for t in data["targets"]) == pytest.approx(1.0, abs=1e-5)


def test_convert_by_sex_and_basis_differ(real_client: TestClient) -> None:
    men, _ = data_of(real_client, "/v1/occupations/soc2010/2136/convert?sex=men&basis=lfs")
    index, _ = data_of(real_client, "/v1/occupations/soc2010/2136/convert?basis=index")
    assert men["sex"] == "men" and index["sex"] is None and index["coverage"] is None
    assert [t["proportion"] for t in men["targets"]] != [t["proportion"] for t in index["targets"]]


@pytest.mark.parametrize(
    ("path", "status", "parameter"),
    [
        ("/v1/occupations/soc2010/21x6", 400, "code"),
        ("/v1/occupations/soc2030/2136", 400, "soc"),
        ("/v1/occupations/soc2010/99999", 400, "code"),
        ("/v1/occupations/soc2010/9999", 404, None),
        ("/v1/occupations?level=leaf", 400, "level"),
        ("/v1/occupations?parent=99", 404, None),
        ("/v1/search/occupations", 400, "q"),
        ("/v1/search/occupations?q=x&soc=1990", 400, "soc"),
    ],
)
def test_bad_input(
    fixture_client: TestClient, path: str, status: int, parameter: str | None
) -> None:
    response = fixture_client.get(path)
    assert response.status_code == status
    body = response.json()
    assert body["ok"] is False and body["error"]
    if parameter:
        assert body["errors"][0]["parameter"] == parameter


def test_convert_bad_input(real_client: TestClient) -> None:
    for path, fragment in [
        ("/v1/occupations/soc2010/213/convert", "between unit groups"),
        ("/v1/occupations/soc2010/2136/convert?to=soc2010", "must differ"),
        ("/v1/occupations/soc2010/2136/convert?basis=guess", "must be one of"),
        ("/v1/occupations/soc2010/2136/convert?value=lots", "must be a number"),
        ("/v1/occupations/soc2010/2136/convert?value=nan", "finite"),
    ]:
        response = real_client.get(path)
        assert response.status_code == 400, path
        assert fragment in response.json()["error"], path


def test_search_real(real_client: TestClient) -> None:
    data, _ = data_of(real_client, "/v1/search/occupations?q=software+developer&soc=2020")
    assert data["results"][0]["code"] == "2134" and data["results"][0]["rank"] == 1


def test_release_endpoint_lists_datasets(real_client: TestClient) -> None:
    data, _ = data_of(real_client, "/v1/release")
    assert data["status"] == "production" and data["kind"] == "official"
    assert {"soc2010", "soc2020"} <= set(data["datasets"])


def test_qualifications(fixture_client: TestClient) -> None:
    data, _ = data_of(fixture_client, "/v1/qualifications")
    assert [lvl["code"] for lvl in data["levels"]] == list(range(1, 10))


def test_missing_dataset_is_a_clear_404(fixture_client: TestClient) -> None:
    response = fixture_client.get("/v1/occupations/soc2010/1111/convert")
    assert response.status_code == 404
    assert "soc_crosswalks dataset is not loaded" in response.json()["error"]


def test_sic_notes_are_lists(real_client: TestClient) -> None:
    data, _ = data_of(real_client, "/v1/sic2007/62.01")
    assert data["title"] == "Computer programming activities" and data["section"] == "J"
    assert isinstance(data["includes"], list) and data["includes"]
    assert all(isinstance(item, str) for item in data["includes"] + data["excludes"])
