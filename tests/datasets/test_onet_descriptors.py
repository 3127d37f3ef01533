"""O*NET 29.0 descriptor files: real files, and fixtures in the O*NET text and CSV layouts."""

from __future__ import annotations

from pathlib import Path

import pytest

from lmi.datasets.onet import ONET_OCCUPATIONS
from lmi.datasets.onet_descriptors import (
    ONET_ABILITIES,
    ONET_DESCRIPTORS,
    ONET_SKILLS,
    ONET_TASKS,
    ONET_WORK_ACTIVITIES,
)
from lmi.store import Database
from tests.datasets.helpers import build, copy_fixture

TEXT = "onet/original/db_29_0_text"


def _sources(source: Path) -> Path:
    """The fixture files under ``source/onet``; returns that folder."""
    copy_fixture(source, "onet", "onet/original")
    return copy_fixture(source, "onet_descriptors", "onet")


# -- real files --------------------------------------------------------------------------------


def test_real_descriptor_files(real_release_db: Database) -> None:
    counts = dict(
        real_release_db.execute(
            "SELECT table_name, rows FROM lmi_release_tables WHERE table_name LIKE 'onet_%'"
        ).rows
    )
    assert counts["onet_skills"] == 61530 and counts["onet_knowledge"] == 58014
    assert counts["onet_interests"] == 8307 and counts["onet_work_styles"] == 14064
    assert counts["onet_technology_skills"] == 32470 and counts["onet_tasks"] == 18797
    assert counts["onet_job_zones"] == 923 and counts["onet_related_occupations"] == 18460
    assert counts["onet_content_model"] == 627 and counts["onet_scales"] == 29
    row = real_release_db.execute(
        "SELECT element_name, value, n, recommend_suppress, not_relevant FROM onet_skills "
        "WHERE onet_code = '11-1011.00' AND element_id = '2.A.1.a' AND scale_id = 'LV'"
    ).first()
    assert row is not None and tuple(row) == ("Reading Comprehension", 4.62, 8, False, False)


def test_real_abilities_and_work_activities_are_missing_not_failed(
    real_release_db: Database,
) -> None:
    status = dict(
        real_release_db.execute(
            "SELECT dataset, status FROM lmi_release_datasets WHERE dataset IN "
            "('onet_abilities', 'onet_work_activities', 'onet_skills')"
        ).rows
    )
    assert status == {
        "onet_abilities": "missing",
        "onet_work_activities": "missing",
        "onet_skills": "loaded",
    }


# -- fixtures ----------------------------------------------------------------------------------


def test_fixture_files_load(tmp_path: Path, database: Database) -> None:
    _sources(tmp_path)
    built = build(database, tmp_path, [ONET_OCCUPATIONS, *ONET_DESCRIPTORS])
    assert built.promoted, built.problems
    assert built.errors() == []
    assert database.execute("SELECT count(*) FROM onet_skills").scalar() == 12
    # Abilities in O*NET's own text layout, read like the real file will be
    rows = database.execute(
        "SELECT onet_code, scale_id, value, n, standard_error FROM onet_abilities "
        "WHERE element_id = '1.A.1.c.1' ORDER BY onet_code, scale_id"
    ).rows
    assert rows[0] == ("15-1252.00", "IM", 3.5, 8, 0.125)
    assert len(rows) == 6
    assert database.execute("SELECT count(*) FROM onet_work_activities").scalar() == 12
    # "n/a" becomes NULL; Not Relevant = Y is kept as a flag
    irrelevant = database.execute(
        "SELECT n, not_relevant FROM onet_skills WHERE onet_code = '55-1011.00' "
        "AND element_id = '2.B.3.e' AND scale_id = 'LV'"
    ).first()
    assert irrelevant is not None and (irrelevant[0], bool(irrelevant[1])) == (None, True)
    tasks = database.execute("SELECT task_type, incumbents_responding FROM onet_tasks").rows
    assert (None, None) in tasks and ("Core", 30) in tasks
    category = database.execute(
        "SELECT category FROM onet_education WHERE scale_id = 'IM' LIMIT 1"
    ).scalar()
    assert category == 0


def test_absent_abilities_file_is_missing_with_a_warning(
    tmp_path: Path, database: Database
) -> None:
    _sources(tmp_path)
    (tmp_path / TEXT / "Abilities.txt").unlink()
    built = build(database, tmp_path, [ONET_OCCUPATIONS, ONET_ABILITIES, ONET_WORK_ACTIVITIES])
    assert built.promoted, built.problems
    assert built.status("onet_abilities") == "missing"
    assert built.status("onet_work_activities") == "loaded"
    assert any("Abilities.txt not found" in p for p in built.warnings())


def test_non_numeric_value_names_line_and_column(tmp_path: Path, database: Database) -> None:
    path = _sources(tmp_path) / "original/db_29_0_text/Abilities.txt"
    lines = path.read_text().splitlines(keepends=True)
    lines[3] = lines[3].replace("\t3.50\t", "\tabc\t")  # file line 4, Data Value
    assert "\tabc\t" in lines[3]
    path.write_text("".join(lines))
    built = build(database, tmp_path, [ONET_OCCUPATIONS, ONET_ABILITIES])
    assert not built.promoted
    assert any(
        p.startswith(f"ERROR   {TEXT}/Abilities.txt:4 [Data Value]")
        and "'abc' is not a number" in p
        for p in built.errors()
    ), built.problems


def test_out_of_scale_value_and_unknown_scale_are_errors(
    tmp_path: Path, database: Database
) -> None:
    path = _sources(tmp_path) / "onet_skills_db29_0.csv"
    text = path.read_text()
    text = text.replace(",IM,4.50,", ",IM,9.50,", 1).replace(",LV,4.20,", ",XX,4.20,", 1)
    path.write_text(text)
    built = build(database, tmp_path, [ONET_OCCUPATIONS, ONET_SKILLS])
    assert not built.promoted
    errors = "\n".join(built.errors())
    assert (
        "onet/onet_skills_db29_0.csv:2 [data_value]: '9.50' is outside the IM range 1–5" in errors
    )
    assert "[scale_id]: 'XX' is not a scale of this file (IM, LV)" in errors


def test_unknown_onet_code_is_an_error(tmp_path: Path, database: Database) -> None:
    path = _sources(tmp_path) / "original/Task Statements.txt"
    path.write_text(path.read_text().replace("55-1011.00", "55-1099.00"))
    built = build(database, tmp_path, [ONET_OCCUPATIONS, ONET_TASKS])
    assert not built.promoted
    assert any(
        "Task Statements.txt:6 [O*NET-SOC Code]: '55-1099.00' is not an occupation" in p
        for p in built.errors()
    ), built.problems


@pytest.mark.parametrize("column", ["Scale ID", "Standard Error"])
def test_missing_column_is_an_error(tmp_path: Path, database: Database, column: str) -> None:
    path = _sources(tmp_path) / "original/db_29_0_text/Work Activities.txt"
    lines = [line.split("\t") for line in path.read_text().splitlines()]
    drop = lines[0].index(column)
    path.write_text("\n".join("\t".join(v for i, v in enumerate(r) if i != drop) for r in lines))
    built = build(database, tmp_path, [ONET_OCCUPATIONS, ONET_WORK_ACTIVITIES])
    assert not built.promoted
    assert any(f"column {column!r} is missing" in p for p in built.errors()), built.problems


def test_without_occupations_the_descriptors_are_missing(
    tmp_path: Path, database: Database
) -> None:
    copy_fixture(tmp_path, "onet_descriptors", "onet")  # no Occupation Data.txt
    built = build(database, tmp_path, [ONET_OCCUPATIONS, ONET_SKILLS])
    assert built.promoted, built.problems
    assert built.status("onet_skills") == "missing"
