"""The derived UK SOC → O*NET-SOC mapping: method, real data, and fixture releases."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from lmi.datasets.isco import ISCO
from lmi.datasets.isco.tables import isco08_us_soc2010, us_soc2010_soc2018
from lmi.datasets.onet import MAPPING_METHOD, ONET_OCCUPATIONS, ONET_UK_SOC
from lmi.datasets.onet.uk_soc import map_uk_soc
from lmi.datasets.soc_crosswalks import SOC_CROSSWALKS
from lmi.store import Database
from tests.datasets.helpers import Built, build, copy_fixture, soc_stub, stub

UNITS = {"soc2010": ["1115", "2136"], "soc2020": ["1111", "2134", "2141"]}


def test_method_is_documented() -> None:
    assert "ISCO-08" in MAPPING_METHOD and "renormalised" in MAPPING_METHOD
    assert MAPPING_METHOD.startswith("UK SOC → O*NET-SOC")


def test_weights_are_split_equally_and_renormalised() -> None:
    isco = {("soc2010", "1111"): [("1000", 0.5), ("2000", 0.25), ("3000", 0.25)]}
    us2010 = {"1000": ["11-0001", "11-0002"], "3000": ["33-0003"]}  # 2000 has no US code
    us2018 = {"11-0001": ["11-1001"], "11-0002": ["11-1001"], "33-0003": ["33-1003"]}
    onet = {"11-1001": ["11-1001.00", "11-1001.01"], "33-1003": ["33-1003.00"]}
    mapping = map_uk_soc(isco, us2010, us2018, onet)
    key = ("soc2010", "1111")
    # 0.5 → two US codes → same 2018 code → two O*NET codes: 0.25 to each, over 2 paths;
    # 0.25 → 33-1003.00; 0.25 of 2000 is lost, so everything is divided by 0.75
    assert mapping[key, "11-1001.00"] == pytest.approx((0.25 / 0.75, 2))
    assert mapping[key, "11-1001.01"] == pytest.approx((0.25 / 0.75, 2))
    assert mapping[key, "33-1003.00"] == pytest.approx((0.25 / 0.75, 1))
    assert len(mapping) == 3


# -- real files --------------------------------------------------------------------------------


def test_real_soc2010_2136_maps_to_software_developers(real_release_db: Database) -> None:
    rows = real_release_db.execute(
        "SELECT onet_code, weight, paths FROM onet_uk_soc WHERE soc_version = 'soc2010' "
        "AND soc_code = '2136' ORDER BY weight DESC"
    ).rows
    weights = {code: weight for code, weight, _ in rows}
    assert sum(weights.values()) == pytest.approx(1)
    assert {code for code, _, _ in rows[:2]} == {"15-1252.00", "15-1253.00"}
    assert weights["15-1252.00"] == pytest.approx(0.2952, abs=1e-4)
    assert weights["15-1251.00"] == pytest.approx(0.1143, abs=1e-4)  # Computer Programmers
    assert dict((c, p) for c, _, p in rows)["15-1253.00"] == 3


def test_real_every_unit_group_is_mapped(real_release_db: Database) -> None:
    covered = dict(
        real_release_db.execute(
            "SELECT soc_version, count(DISTINCT soc_code) FROM onet_uk_soc GROUP BY soc_version"
        ).rows
    )
    assert covered == {"soc2010": 369, "soc2020": 412}
    worst = real_release_db.execute(
        "SELECT max(abs(total - 1)) FROM (SELECT sum(weight) AS total FROM onet_uk_soc "
        "GROUP BY soc_version, soc_code) AS sums"
    ).scalar()
    assert worst < 1e-9


# -- fixture releases --------------------------------------------------------------------------


def _us_crosswalks() -> dict[sa.Table, list[dict[str, Any]]]:
    pairs = [("2512", "15-1132"), ("2512", "15-1133"), ("2513", "15-1134")]
    links = [
        ("15-1132", "15-1252"),
        ("15-1133", "15-1252"),
        ("15-1134", "15-1254"),
        ("15-1134", "15-1255"),
    ]
    return {
        isco08_us_soc2010: [
            {
                "isco08": i,
                "us_soc2010": u,
                "partial": True,
                "isco08_title": i,
                "us_soc2010_title": u,
            }
            for i, u in pairs
        ],
        us_soc2010_soc2018: [
            {"us_soc2010": a, "us_soc2018": b, "us_soc2010_title": a, "us_soc2018_title": b}
            for a, b in links
        ],
    }


def _sources(source: Path, *, isco: bool = True) -> Path:
    copy_fixture(source, "soc_crosswalks")
    copy_fixture(source, "onet", "onet/original")
    if isco:  # files present; the builds below load the stub in place of the real ISCO loader
        copy_fixture(source, "isco")
    return source


def _build(database: Database, source: Path) -> Built:
    isco = stub("isco", _us_crosswalks())
    datasets = [soc_stub(UNITS), SOC_CROSSWALKS, isco, ONET_OCCUPATIONS, ONET_UK_SOC]
    return build(database, source, datasets)


def test_fixture_release_maps_through_every_step(tmp_path: Path, database: Database) -> None:
    built = _build(database, _sources(tmp_path))
    assert built.promoted, built.problems
    rows = database.execute(
        "SELECT soc_version, soc_code, onet_code, weight, paths FROM onet_uk_soc "
        "ORDER BY soc_version, soc_code, onet_code"
    ).rows
    got = {(v, s, o): (w, p) for v, s, o, w, p in rows}
    # soc2010 2136: 0.6 to ISCO 2512 → 15-1132/15-1133 → 15-1252 → 15-1252.00 (2 paths);
    # 0.4 to 2513 → 15-1134 → 15-1254 (0.2) and 15-1255 (0.2, split over .00 and .01)
    assert got == pytest.approx(
        {
            ("soc2010", "2136", "15-1252.00"): (0.6, 2),
            ("soc2010", "2136", "15-1254.00"): (0.2, 1),
            ("soc2010", "2136", "15-1255.00"): (0.1, 1),
            ("soc2010", "2136", "15-1255.01"): (0.1, 1),
            ("soc2020", "2134", "15-1252.00"): (1.0, 2),  # its '}}}}' share is dropped
            ("soc2020", "2141", "15-1254.00"): (0.5, 1),
            ("soc2020", "2141", "15-1255.00"): (0.25, 1),
            ("soc2020", "2141", "15-1255.01"): (0.25, 1),
        }
    )
    unmapped = [p for p in built.warnings() if "(unmapped)" in p]
    assert len(unmapped) == 2
    assert any("soc2010 unit group 1115 has no O*NET occupation" in p for p in unmapped)


def test_missing_input_files_make_the_mapping_missing(tmp_path: Path, database: Database) -> None:
    _sources(tmp_path, isco=False)  # the optional inputs are absent, not failed
    datasets = [soc_stub(UNITS), SOC_CROSSWALKS, ISCO, ONET_OCCUPATIONS, ONET_UK_SOC]
    built = build(database, tmp_path, datasets)
    assert built.promoted, built.problems
    assert built.status("isco") == "missing" and built.status("onet_uk_soc") == "missing"
    assert built.errors() == []
    assert ONET_UK_SOC.files == ()


def test_without_crosswalk_rows_the_mapping_is_rejected(tmp_path: Path, database: Database) -> None:
    _sources(tmp_path)
    assert ONET_UK_SOC.present(tmp_path)
    built = build(database, tmp_path, [ONET_UK_SOC])
    assert not built.promoted
    assert built.status("onet_uk_soc") == "failed"
    assert any("soc_isco08 has no rows in this release" in p for p in built.errors())


def test_a_failed_crosswalk_skips_the_mapping(tmp_path: Path, database: Database) -> None:
    path = _sources(tmp_path) / "soc_crosswalks/soc2010_to_isco08_from_coding_index.csv"
    path.write_text(path.read_text().replace("2512,6,0.6", "2512,six,0.6"))
    built = _build(database, tmp_path)
    assert not built.promoted
    assert built.status("onet_uk_soc") == "skipped"
    assert database.execute("SELECT count(*) FROM onet_uk_soc").scalar() == 0
