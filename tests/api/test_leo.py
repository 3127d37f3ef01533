"""``/v1/leo/earnings/{subject}``: subject mapping, SDC envelope and DfE symbols, 4xx."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from lmi.datasets.leo import LEO
from lmi.datasets.leo.parse import EARNINGS
from lmi.datasets.subjects import SUBJECTS
from lmi.store import Database
from tests.api.conftest import client_over_release
from tests.leo_fixtures import write_leo_fixture


@pytest.fixture(scope="module")
def fixture_leo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """LEO from invented numbers with c, z and x cells; no subjects dataset."""
    source = tmp_path_factory.mktemp("leo-source")
    write_leo_fixture(
        source,
        {
            ("Computing", "Female", 5): {
                "earnings_LQ": "c",
                "earnings_median": "z",
                "earnings_UQ": "x",
            },
            ("Computing", "Male", 5): {"grads": "10", "earnings_include": "3"},
        },
    )
    db = Database(f"sqlite:///{tmp_path_factory.mktemp('leo-db') / 'lmi.sqlite'}")
    yield from client_over_release(db, source, [LEO])


@pytest.fixture(scope="module")
def real_leo(source_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """LEO and the subject codings from the real files (quicker than every dataset)."""
    db = Database(f"sqlite:///{tmp_path_factory.mktemp('leo-real') / 'lmi.sqlite'}")
    yield from client_over_release(db, source_dir, [SUBJECTS, LEO])


def _data(client: TestClient, url: str) -> dict[str, Any]:
    response = client.get(url)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["ok"] is True
    data: dict[str, Any] = body["data"]
    return data


def _cell(data: dict[str, Any], code: str, sex: str, yag: int) -> dict[str, Any]:
    [subject] = [s for s in data["subjects"] if s["cah_code"] == code]
    [cell] = [c for c in subject["cells"] if c["sex"] == sex and c["yag"] == yag]
    return dict(cell)


def test_symbols_stay_distinct_statuses(fixture_leo: TestClient) -> None:
    data = _data(fixture_leo, "/v1/leo/earnings/11-01?sex=female&yag=5")
    cell = _cell(data, "11-01", "female", 5)
    assert (cell["earnings_lq"]["status"], cell["earnings_lq"]["symbol"]) == (
        "suppressed_disclosure",
        "c",
    )
    assert (cell["earnings_median"]["status"], cell["earnings_median"]["symbol"]) == (
        "not_applicable",
        "z",
    )
    assert (cell["earnings_uq"]["status"], cell["earnings_uq"]["symbol"]) == ("not_available", "x")
    assert all(cell[k]["value"] is None for k in ("earnings_lq", "earnings_median", "earnings_uq"))
    assert cell["graduates"]["status"] == "ok" and "symbol" not in cell["graduates"]
    assert cell["provenance"]["dataset"] == "leo"


def test_earnings_of_fewer_than_5_earners_are_withheld(fixture_leo: TestClient) -> None:
    cell = _cell(_data(fixture_leo, "/v1/leo/earnings/11-01?sex=male&yag=5"), "11-01", "male", 5)
    assert cell["earnings_median"]["value"] is None
    assert cell["earnings_median"]["status"] == "suppressed_disclosure"
    assert cell["earnings_median"]["rule"] == "leo@1:min-count"
    assert cell["graduates"]["value"] == 10


def test_filters_select_cells(fixture_leo: TestClient) -> None:
    data = _data(fixture_leo, "/v1/leo/earnings/all")
    [subject] = data["subjects"]
    assert subject["cah_code"] == "all" and len(subject["cells"]) == 12
    only = _data(fixture_leo, "/v1/leo/earnings/11-01?yag=10")["subjects"][0]["cells"]
    assert {(c["sex"], c["yag"]) for c in only} == {("female", 10), ("male", 10), ("all", 10)}


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/v1/leo/earnings/zz", 400),
        ("/v1/leo/earnings/11-01?yag=4", 400),
        ("/v1/leo/earnings/11-01?sex=other", 400),
        ("/v1/leo/earnings/" + "1" * 30, 400),
        ("/v1/leo/earnings/99-01", 404),
        ("/v1/leo/earnings/100366", 404),  # HECoS needs the subjects dataset
    ],
)
def test_bad_input_is_4xx(fixture_leo: TestClient, url: str, status: int) -> None:
    response = fixture_leo.get(url)
    assert response.status_code == status, response.text
    assert response.json()["ok"] is False


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    subject=st.text(min_size=1, max_size=24),
    sex=st.sampled_from(["", "female", "ALL", "x", "male"]),
    yag=st.sampled_from(["", "1", "10", "-3", "1e9", "five"]),
)
def test_no_input_causes_a_server_error(
    fixture_leo: TestClient, subject: str, sex: str, yag: str
) -> None:
    query = urlencode({k: v for k, v in (("sex", sex), ("yag", yag)) if v})
    response = fixture_leo.get(f"/v1/leo/earnings/{quote(subject, safe='')}?{query}")
    assert response.status_code in (200, 400, 404), response.text
    assert response.json()["ok"] is (response.status_code == 200)


def test_hecos_without_subjects_says_why(fixture_leo: TestClient) -> None:
    error = fixture_leo.get("/v1/leo/earnings/100366").json()["error"]
    assert "subjects dataset is not loaded" in error


# -- real files --------------------------------------------------------------------------------


def _source_line(source_dir: Path, subject: str, sex: str, yag: str) -> dict[str, str]:
    with (source_dir / EARNINGS).open(newline="", encoding="utf-8-sig") as handle:
        [line] = [
            r
            for r in csv.DictReader(handle)
            if (r["subject_name"], r["sex"], r["YAG"]) == (subject, sex, yag)
        ]
    return line


@pytest.mark.realdata
def test_computing_female_5_yag_matches_the_source_file(
    real_leo: TestClient, source_dir: Path
) -> None:
    line = _source_line(source_dir, "Computing", "Female", "5 YAG")
    cell = _cell(_data(real_leo, "/v1/leo/earnings/11-01?sex=female&yag=5"), "11-01", "female", 5)
    assert cell["graduates"]["value"] == int(line["grads"])
    assert cell["earnings_included"]["value"] == int(line["earnings_include"])
    assert cell["earnings_lq"]["value"] == float(line["earnings_LQ"])
    assert cell["earnings_median"]["value"] == float(line["earnings_median"])
    assert cell["earnings_uq"]["value"] == float(line["earnings_UQ"])
    assert cell["sustained_rate"]["value"] == float(line["sust_emp_fs_or_both"])
    assert cell["academic_year"] == line["academic_year"]
    assert all(cell[k]["status"] == "ok" for k in ("graduates", "earnings_median"))
    assert cell["earnings_median"]["method"] == "observed"


@pytest.mark.realdata
@pytest.mark.parametrize(
    ("subject", "scheme", "match", "cah2"),
    [
        ("11-01", "cah", "exact", ["11-01"]),
        ("CAH11-01-01", "cah", "parent", ["11-01"]),
        ("100366", "hecos", "parent", ["11-01"]),  # computer science
        ("I100", "jacs", "parent", ["11-01"]),
        ("I1", "jacs", "parent", ["11-01"]),
        ("11", "cah", "exact", ["11-01"]),  # CAH1 with one CAH2
        ("15", "cah", "child", ["15-01", "15-02", "15-03", "15-04"]),
    ],
)
def test_subject_codes_map_to_leo_subjects(
    real_leo: TestClient, subject: str, scheme: str, match: str, cah2: list[str]
) -> None:
    data = _data(real_leo, f"/v1/leo/earnings/{subject}?sex=all&yag=3")
    assert data["subject"]["scheme"] == scheme and data["subject"]["match"] == match
    assert [s["cah_code"] for s in data["subjects"]] == cah2
    assert all(len(s["cells"]) == 1 for s in data["subjects"])


@pytest.mark.realdata
def test_same_figure_whatever_the_code(real_leo: TestClient) -> None:
    by_cah = _data(real_leo, "/v1/leo/earnings/11-01?sex=all&yag=3")["subjects"][0]["cells"]
    by_hecos = _data(real_leo, "/v1/leo/earnings/100366?sex=all&yag=3")["subjects"][0]["cells"]
    assert by_cah == by_hecos


@pytest.mark.realdata
def test_real_suppressed_cells_stay_c(real_leo: TestClient, source_dir: Path) -> None:
    line = _source_line(source_dir, "Celtic studies", "Male", "5 YAG")
    cell = _cell(_data(real_leo, "/v1/leo/earnings/19-02?sex=male&yag=5"), "19-02", "male", 5)
    for column, source in (
        ("earnings_median", "earnings_median"),
        ("sustained_rate", "sust_emp_fs_or_both"),
    ):
        if line[source] == "c":
            assert cell[column]["symbol"] == "c" and cell[column]["value"] is None
            assert cell[column]["status"] == "suppressed_disclosure"


@pytest.mark.realdata
def test_unknown_codes_are_404(real_leo: TestClient) -> None:
    for url in ("/v1/leo/earnings/999999", "/v1/leo/earnings/Z999", "/v1/leo/earnings/98"):
        assert real_leo.get(url).status_code == 404
