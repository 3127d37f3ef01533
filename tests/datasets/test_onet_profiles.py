"""UK SOC profiles derived from O*NET: method, fixture releases and the real files."""

from __future__ import annotations

from pathlib import Path

import pytest

from lmi.datasets.onet import ONET_OCCUPATIONS
from lmi.datasets.onet.tables import onet_uk_soc
from lmi.datasets.onet_descriptors import ONET_DESCRIPTORS
from lmi.datasets.onet_profiles import ONET_UK_PROFILES, PROFILE_METHOD
from lmi.datasets.onet_profiles.build import dhondt, effective_contributors, is_thin
from lmi.store import Database
from tests.datasets.helpers import Built, build, copy_fixture, soc_stub, stub

MAPPING = [
    ("soc2010", "2136", "15-1252.00", 0.6),
    ("soc2010", "2136", "15-1254.00", 0.4),
    ("soc2020", "3312", "55-1011.00", 0.5),
    ("soc2020", "3312", "15-1255.01", 0.5),  # no descriptor data in the fixtures
]


def test_method_is_documented() -> None:
    assert "weighted mean over the contributors" in PROFILE_METHOD
    assert "modelled" in PROFILE_METHOD.lower()


def test_effective_contributors_and_thin() -> None:
    assert effective_contributors([1.0]) == 1
    assert effective_contributors([0.25] * 4) == pytest.approx(4)
    assert is_thin([0.9, 0.05, 0.05], 1.0)  # one occupation holds most of the weight
    assert is_thin([0.5, 0.5], 0.4)  # little of the mapping has data
    assert not is_thin([0.5, 0.5], 0.9)


def test_dhondt_is_proportional_and_capped() -> None:
    assert dhondt([0.6, 0.3, 0.1], 10, [10, 10, 10]) == [6, 3, 1]
    assert dhondt([0.6, 0.3, 0.1], 10, [2, 10, 10]) == [2, 6, 2]
    assert dhondt([1.0], 5, [3]) == [3]


def _build(database: Database, source: Path) -> Built:
    copy_fixture(source, "onet", "onet/original")
    copy_fixture(source, "onet_descriptors", "onet")
    rows = [
        {"soc_version": v, "soc_code": c, "onet_code": o, "weight": w, "paths": 1}
        for v, c, o, w in MAPPING
    ]
    mapping = stub("onet_uk_soc", {onet_uk_soc: rows})
    units = soc_stub({"soc2010": ["2136"], "soc2020": ["3312"]})
    datasets = [units, ONET_OCCUPATIONS, mapping, *ONET_DESCRIPTORS, ONET_UK_PROFILES]
    return build(database, source, datasets)


def test_fixture_profiles_are_weighted_means(tmp_path: Path, database: Database) -> None:
    built = _build(database, tmp_path)
    assert built.promoted, built.problems
    rows = database.execute(
        "SELECT soc_code, domain, element_id, importance, level, contributors, weight_covered "
        "FROM onet_uk_elements WHERE element_id IN ('2.B.3.e', '1.B.1.b', '1.A.1.c.1') "
        "ORDER BY soc_code, domain, element_id"
    ).rows
    got = {(c, d, e): (i, lv, n, w) for c, d, e, i, lv, n, w in rows}
    # 2136: 0.6 × Software Developers + 0.4 × Web Developers
    assert got["2136", "skills", "2.B.3.e"] == pytest.approx((4.3, 4.68, 2, 1.0))
    assert got["2136", "interests", "1.B.1.b"] == pytest.approx((6.1, None, 2, 1.0))
    assert got["2136", "abilities", "1.A.1.c.1"] == pytest.approx((3.6, 3.6, 2, 1.0))
    # 3312: only Air Crew Officers has data (half the weight); its LV is "not relevant" → 0
    assert got["3312", "skills", "2.B.3.e"] == pytest.approx((1.2, 0.0, 1, 0.5))
    coverage = database.execute(
        "SELECT contributors, weight_covered, occupations_json FROM onet_uk_coverage "
        "WHERE soc_code = '3312' AND domain = 'skills'"
    ).first()
    assert coverage is not None and tuple(coverage) == (1, 0.5, '[["55-1011.00", 1.0]]')


def test_fixture_preparation_technology_and_tasks(tmp_path: Path, database: Database) -> None:
    assert _build(database, tmp_path).promoted
    zone = database.execute(
        "SELECT job_zone, job_zone_mean, job_zones_json FROM onet_uk_preparation "
        "WHERE soc_code = '2136'"
    ).first()
    assert zone is not None and tuple(zone) == (4, 3.6, '{"3": 0.4, "4": 0.6}')
    tech = database.execute(
        "SELECT commodity_title, weight, hot_technology, examples_json FROM onet_uk_technology "
        "WHERE soc_code = '2136' ORDER BY weight DESC, commodity_code"
    ).rows
    assert tech[0] == ("Development environment software", 1.0, True, '["Python", "Git"]')
    assert tech[1][:2] == ("Spreadsheet software", 0.4)
    tasks = database.execute(
        "SELECT rank, onet_code, task_type FROM onet_uk_tasks WHERE soc_code = '2136' ORDER BY rank"
    ).rows
    # D'Hondt over weights 0.6 / 0.4, capped by the tasks each occupation has; core first
    assert tasks == [
        (1, "15-1252.00", "Core"),
        (2, "15-1252.00", "Core"),
        (3, "15-1252.00", "Supplemental"),
        (4, "15-1254.00", "Core"),
    ]


def test_without_mapping_the_profiles_are_missing(tmp_path: Path, database: Database) -> None:
    copy_fixture(tmp_path, "onet", "onet/original")
    copy_fixture(tmp_path, "onet_descriptors", "onet")
    from lmi.datasets.onet import ONET_UK_SOC
    from lmi.datasets.soc_crosswalks import SOC_CROSSWALKS

    datasets = [SOC_CROSSWALKS, ONET_OCCUPATIONS, ONET_UK_SOC, *ONET_DESCRIPTORS, ONET_UK_PROFILES]
    built = build(database, tmp_path, datasets)
    assert built.status("onet_uk_profiles") == "missing"
    assert built.errors() == []


# -- real files --------------------------------------------------------------------------------


@pytest.mark.parametrize("version,code", [("soc2010", "2136"), ("soc2020", "2134")])
def test_real_software_profiles_are_programming_heavy(
    real_release_db: Database, version: str, code: str
) -> None:
    top = real_release_db.execute(
        "SELECT element_name FROM onet_uk_elements WHERE soc_version = :v AND soc_code = :c "
        "AND domain = 'skills' ORDER BY importance DESC LIMIT 5",
        {"v": version, "c": code},
    ).rows
    assert ("Programming",) in top
    programming = real_release_db.execute(
        "SELECT importance, level, contributors FROM onet_uk_elements WHERE soc_version = :v "
        "AND soc_code = :c AND element_id = '2.B.3.e'",
        {"v": version, "c": code},
    ).first()
    assert programming is not None and programming[0] > 3.5 and programming[2] >= 10
    average = real_release_db.execute(
        "SELECT avg(importance) FROM onet_uk_elements WHERE soc_version = :v "
        "AND element_id = '2.B.3.e'",
        {"v": version},
    ).scalar()
    assert programming[0] > average + 1.5


def test_real_every_mapped_unit_group_has_a_skills_profile(real_release_db: Database) -> None:
    covered = dict(
        real_release_db.execute(
            "SELECT soc_version, count(*) FROM onet_uk_coverage WHERE domain = 'skills' "
            "GROUP BY soc_version"
        ).rows
    )
    assert covered == {"soc2010": 366, "soc2020": 409}
