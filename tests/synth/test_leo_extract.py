"""Synthetic LEO in the standard-extract layout: layout, consistency, files, queries, CLI."""

from __future__ import annotations

import json
import os
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from lmi.cli.main import cli
from lmi.settings import default_source_dir
from lmi.synth.leo import example_queries
from lmi.synth.leo.extract import ChunkTask, generate_extract, jacs_by_cah2, make_chunk
from lmi.synth.leo.extract_reports import consistency, marginals, recompute_published
from lmi.synth.leo.extract_write import (
    SQLITE_NAME,
    ExtractWritten,
    sql_server_script,
    write_extract,
)
from lmi.synth.leo.fitting import Model, SynthError, fit, read_published
from lmi.synth.leo.layout import TABLES, table, tax_year_code
from lmi.synth.leo.variables import SUBJECTS
from tests.leo_fixtures import write_leo_fixture

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(scope="module")
def model(tmp_path_factory: pytest.TempPathFactory) -> Model:
    return fit(read_published(write_leo_fixture(tmp_path_factory.mktemp("leo"))), "L2")


@pytest.fixture(scope="module")
def jacs() -> dict[str, list[str]]:
    found = jacs_by_cah2(DATA)
    assert found, "the subjects fixture maps JACS codes to CAH"
    return found


@pytest.fixture(scope="module")
def extract(
    model: Model, jacs: dict[str, list[str]], tmp_path_factory: pytest.TempPathFactory
) -> ExtractWritten:
    out = tmp_path_factory.mktemp("extract")
    return write_extract(model, out, persons=4000, seed=3, jacs=jacs, progress=False)


@pytest.fixture()
def conn(extract: ExtractWritten) -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(extract.out / SQLITE_NAME)
    yield connection
    connection.close()


# -- layout against the reference ------------------------------------------------------------

#: the reference's key table (§2): column → SQL type
REFERENCE_KEYS = {
    "AE_ID": "bigint",
    "PupilMatchingRefAnonymous": "varchar(18)",
    "EDUKEY": "varchar(14)",
    "RECORDID": "int",
    "external_id": "bigint",
}
#: SRS view names the reference lists (§1), by database
REFERENCE_VIEWS = {
    "LEO_i2": {
        "education_records_lookup",
        "learner_ae_id_to_edukey_lookup",
        "learner_ae_id_to_pmr_lookup",
        "leo_earnings",
        "leo_employment",
        "leo_benefit",
        "leo_self_assessment",
    },
    "LILR_i2": {"learners", "aims"},
    "hesa_i2": {f"hesa_{y}" for y in range(2005, 2021)},
    "npd_i2": {f"spring_census_{y}" for y in range(2006, 2022)},
}


def _views_by_database() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for spec in TABLES:
        found.setdefault(spec.database, set()).update(spec.views())
    return found


def test_layout_has_the_reference_views_and_key_types() -> None:
    views = _views_by_database()
    for database, expected in REFERENCE_VIEWS.items():
        assert expected <= views[database], expected - views[database]
    for spec in TABLES:
        for column in spec.columns:
            for name, sql in REFERENCE_KEYS.items():
                if column.name.lower().endswith(name.lower()) and "_" + name.lower() in (
                    "_" + column.name.lower()
                ):
                    assert column.sql == sql, (spec.name, column.name, column.sql)
    for name in ("leo_earnings", "leo_self_assessment", "LEO_Geography"):
        tax = next(c for c in table(name).columns if c.name.lower() == "taxyear")
        assert tax.sql == "int" and tax.key
    assert {c.name: c.sql for c in table("leo_benefit").columns}["Benefit_type"] == "varchar(3)"
    assert tax_year_code(2004) == 200405 and tax_year_code(1999) == 199900


def test_era_columns_exist_only_in_their_years() -> None:
    views = table("hesa").views()
    early = {alias for _, alias in views["hesa_2006"][1]}
    late = {alias for _, alias in views["hesa_2015"][1]}
    assert "HE_DATELEFT" in early and "HE_ENDDATE" not in early
    assert "HE_ENDDATE" in late and "HE_DATELEFT" not in late
    assert "HE_SEXID" in late and "HE_GENDER" not in late
    assert "HE_XCAH02_1" in {alias for _, alias in views["hesa_2020"][1]}
    census = {alias for _, alias in table("spring_census").views()["spring_census_2015"][1]}
    assert all(a.endswith("_spr15") for a in census)
    assert "LSOA11_spr15" in census and "LSOA01_spr15" not in census
    assert "OnRoll_spr08" not in {
        a for _, a in table("spring_census").views()["spring_census_2008"][1]
    }


def _reference() -> Path | None:
    configured = os.environ.get("LMI_SOURCE_DIR")
    source = Path(configured) if configured else default_source_dir()
    path = source.parent / "reference" / "leo-standard-extract.md" if source else None
    return path if path is not None and path.is_file() else None


def _reference_names(text: str) -> set[str]:
    """Every name in backticks, with the reference's patterns expanded (``_n``, ``1-3``, ``/``)."""
    names: set[str] = set()
    for token in re.findall(r"`([^`]+)`", text):
        for word in re.split(r"[\s,()=.]+", token):
            names.add(word)
            if word.endswith("_n"):
                names.update(word[:-1] + str(i) for i in range(1, 5))
            match = re.fullmatch(r"(.*?)(\d)-(\d)", word)
            if match:
                names.update(f"{match[1]}{i}" for i in range(int(match[2]), int(match[3]) + 1))
            match = re.fullmatch(r"(.*?)(\d\d(?:/\d\d)+)(_n)?", word)
            if match:
                for part in match[2].split("/"):
                    names.update(f"{match[1]}{part}_{i}" for i in range(1, 5))
    return names


REFERENCE = _reference()  # at import: the test environment drops LMI_* variables


@pytest.mark.skipif(REFERENCE is None, reason="the LEO standard-extract reference is absent")
def test_verified_names_are_in_the_reference() -> None:
    path = REFERENCE
    assert path is not None
    text = path.read_text(encoding="utf-8")
    names = _reference_names(text)
    missing = [
        (spec.name, column.name)
        for spec in TABLES
        for column in spec.columns
        if column.status == "verified" and column.name not in names
    ]
    assert missing == []
    for spec in TABLES:
        if spec.status == "verified" and spec.per_year is None:
            assert spec.name in names, spec.name
    # the key table's types, parsed from the reference
    for name, sql in re.findall(r"^\| `(\w+)`[^|]*\| (\w+(?:\(\d+\))?)", text, flags=re.M):
        for spec in TABLES:
            for column in spec.columns:
                if column.name == name:
                    assert column.sql == sql or column.sql.startswith(sql + "("), (name, sql)


#: the reference's §3 scopes: a line starting with the marker opens a scope whose backticked
#: names must be columns of these tables (None: names there are not checked)
SCOPES: list[tuple[str, tuple[str, ...] | None]] = [
    ("**School Census.**", ("spring_census",)),
    ("**KS2**", ("KS2",)),
    ("**KS4**", ("KS4_Pupil", "KS4_Exam")),
    ("**KS5**", ("KS5_Student", "KS5_Exam")),
    ("**NCCIS**", ("nccis_2011_to_2021",)),
    ("### 3.2", None),
    ("**Learners**", ("learners",)),
    ("**Aims**", ("aims",)),
    ("**LARS**", ("lars",)),
    ("### 3.3", ("hesa",)),
    ("### 3.4", None),
    ("| **Employment spells**", ("leo_employment",)),
    ("| **Earnings**", ("leo_earnings",)),
    ("| **Self-assessment**", ("leo_self_assessment",)),
    ("| **Benefit spells**", ("leo_benefit",)),
    ("| **Geography**", ("LEO_Geography",)),
    ("| **CJRS", ("leo_cjrs",)),
    ("| **SEISS**", ("leo_seiss",)),
    ("Notes `[verified]`", None),
    ("### 3.5", ("leo_earnings", "idbr_lookup")),
    ("### 3.6", ("ucas", "ucas_qualifications")),
]
#: names the reference writes as fragments of a column name, spelled out
FRAGMENTS = {
    "_ALEV": ("KS5_TOTPTSE_ALEV",),
    "_AGEN": ("KS5_TOTPTSE_AGEN",),
    "_TLEV": ("KS5_TOTPTSE_TLEV",),
    "_Desc": ("LevelOfLearning_Desc",),
    "T2": ("SectorSubjectAreaT2",),
    "_6MonthPrior": ("OnBenefits_6MonthPrior", "OnUC_6MonthPrior", "OnJSAESA_6MonthPrior"),
    "KS4_DISC*": ("KS4_DISC_3A", "KS4_DISC_BEST"),
}
#: backticked words in those scopes that are not column names (values, prefixes, patterns)
NOT_COLUMNS = {"aut", "spr", "sum", "KS2_", "HE_", "XMODE01", "yyyyyy", "110011111010"}
#: the reference's coverage table (§3.1 and the other sections' headings) → layout tables
COVERAGE = {
    "School Census pupil": ("spring_census",),
    "EYFSP": ("EYFSP",),
    "KS1": ("KS1",),
    "KS2": ("KS2",),
    "KS3": ("KS3",),
    "KS4 (pupil and exam tables)": ("KS4_Pupil", "KS4_Exam"),
    "KS5 (student and exam tables)": ("KS5_Student", "KS5_Exam"),
    "CIN": ("cin_2009_to_2021",),
    "CLA": ("cla_2006_to_2021",),
    "Absence": ("Absence_3term",),
    "Exclusions": ("exclusions",),
    "PLAMS": ("PLAMS_Amended",),
    "NCCIS": ("nccis_2011_to_2021",),
    "YPMAD": ("YPMAD",),
}
#: SRS views the reference names that the generator does not write (said in the metadata)
NOT_GENERATED_VIEWS = {"pru_census_2010_to_2013", "ap_census_2008_to_2021"}


def _section(text: str, start: str, end: str) -> str:
    return text[text.index(start) : text.index(end)]


def _expand(token: str) -> set[str]:
    """A backticked name with the reference's patterns expanded (``_n``, ``1-3``, ``01/02``)."""
    match = re.fullmatch(r"(.*?)(\d\d(?:/\d\d)+)_n", token)
    if match:
        return {f"{match[1]}{part}_{i}" for part in match[2].split("/") for i in range(1, 5)}
    if token.endswith("_n"):
        return {token[:-1] + str(i) for i in range(1, 5)}
    match = re.fullmatch(r"(.*?)(\d)-(\d)", token)
    if match:
        return {f"{match[1]}{i}" for i in range(int(match[2]), int(match[3]) + 1)}
    return {token}


def _scoped_names(text: str) -> dict[tuple[str, ...], set[str]]:
    """Backticked names of §3 by the tables their scope maps to."""
    found: dict[tuple[str, ...], set[str]] = {}
    scope: tuple[str, ...] | None = None
    for line in _section(text, "## 3. Tables", "## 4.").splitlines():
        for marker, tables in SCOPES:
            if line.lstrip().startswith(marker):
                scope = tables
        if scope is None:
            continue
        for token in re.findall(r"`([^`]+)`", line):
            if token.startswith("[") or any(ch in token for ch in ".:<"):
                continue  # tags, logical names, files, patterns
            for name in FRAGMENTS.get(token, _expand(token)):
                found.setdefault(scope, set()).add(name)
    return found


@pytest.mark.skipif(REFERENCE is None, reason="the LEO standard-extract reference is absent")
def test_layout_has_every_column_the_reference_lists() -> None:
    """Done-when: each table's columns in the reference (§3) are in the layout, table by table."""
    assert REFERENCE is not None
    scoped = _scoped_names(REFERENCE.read_text(encoding="utf-8"))
    assert len(scoped) >= 18 and sum(len(v) for v in scoped.values()) > 250
    missing = []
    for tables, names in scoped.items():
        columns = {c.name for t in tables for c in table(t).columns}
        columns |= {view for t in tables for view in table(t).views()}  # the row's view name
        aliases = {
            alias.lower()
            for t in tables
            for _, view_columns in table(t).views().values()
            for _, alias in view_columns
        }
        for name in names - NOT_COLUMNS:
            if name not in columns and name.lower() not in aliases:
                missing.append((tables, name))
    assert missing == []


@pytest.mark.skipif(REFERENCE is None, reason="the LEO standard-extract reference is absent")
def test_layout_has_every_view_coverage_type_and_key_of_the_reference() -> None:
    assert REFERENCE is not None
    text = REFERENCE.read_text(encoding="utf-8")
    # §1 physical form: every SRS view name (YYYY: any year; a–b: the years between)
    physical = _section(text, "- **Physical form.**", "- **Names vary")
    views = _views_by_database()
    database = ""
    for line in physical.splitlines():
        match = re.match(r"\s*- `(\w+)\.<p>`", line)
        if match:
            database = match[1]
        if not database:
            continue
        tokens = re.findall(r"`([\w/]+)`(?:\s*[–…]\s*`(\w+)`)?", line)
        for name, until in tokens:
            if until:  # plasc_2003–plasc_2005, hesa_2005 … hesa_2020
                prefix = name.rstrip("0123456789")
                names = [
                    f"{prefix}{y}"
                    for y in range(int(name[len(prefix) :]), int(until[len(prefix) :]) + 1)
                ]
            elif "/" in name:  # autumn_/spring_/summer_census_YYYY
                head, _, tail = name.rpartition("/")
                stem = tail[tail.index("_") + 1 :]
                names = [
                    f"{part}{stem}" for part in [*head.split("/"), tail[: tail.index("_") + 1]]
                ]
            else:
                names = [name]
            for view in names:
                if view in NOT_GENERATED_VIEWS:
                    continue
                pattern = re.compile(re.escape(view).replace("YYYY", r"\d{4}"))
                assert any(pattern.fullmatch(v) for v in views[database]), (database, view)
    # coverage (academic years as start years; tax tables may run later, as in I2.1)
    for tab, years in re.findall(r"^\| ([^|]+?) \| (\d{4})/\d\d", text, flags=re.M):
        for key, names in COVERAGE.items():
            if tab.startswith(key) and (key != "KS2" or tab == "KS2"):
                for name in names:
                    assert table(name).coverage[0] == int(years), (name, years)
    for name, start, end in (
        ("learners", 2002, 2020),
        ("aims", 2002, 2020),
        ("hesa", 2004, 2019),
        ("ucas", 2007, 2021),
        ("leo_employment", 1997, 2020),
        ("leo_earnings", 2003, 2020),
        ("leo_self_assessment", 2013, 2020),
        ("leo_benefit", 1999, 2020),
        ("LEO_Geography", 2004, 2020),
        ("leo_cjrs", 2019, 2020),
        ("leo_seiss", 2020, 2020),
    ):
        first, last = table(name).coverage
        assert first == start and last >= end, name
    # §3.4 types written beside the names: "`StartDate`, `EndDate` (date)", "`TaxYear` (int …"
    typed = re.findall(r"`(\w+)` \((int|date|bit|varchar\(\d+\))", text)
    assert len(typed) >= 5
    for name, sql in typed:
        found = [c.sql for t in TABLES for c in t.columns if c.name == name]
        assert found and all(f == sql for f in found), (name, sql, found)
    # §2 keys are keys wherever they appear
    for key in ("AE_ID", "PupilMatchingRefAnonymous", "EDUKEY", "RECORDID", "external_id"):
        for spec in TABLES:
            for column in spec.columns:
                if column.name.lower() == key.lower() or column.name.lower().endswith(
                    "_" + key.lower()
                ):
                    assert column.key, (spec.name, column.name)
    assert {c.name for c in table("idbr_lookup").columns if c.key} == {"ENTKEY", "SourceYear"}


# -- files -----------------------------------------------------------------------------------


def test_every_table_is_written_as_parquet_and_csv(extract: ExtractWritten) -> None:
    for spec in TABLES:
        parquet = extract.out / "tables" / f"{spec.sqlite_name}.parquet"
        file = pq.ParquetFile(parquet)
        assert file.schema_arrow.names == list(spec.column_names)
        assert file.schema_arrow.metadata[b"synthetic"] == b"true"
        assert file.metadata.num_rows == extract.rows[spec.name]
        csv_table = pacsv.read_csv(extract.out / "tables" / f"{spec.sqlite_name}.csv")
        assert csv_table.column_names == list(spec.column_names)
        assert csv_table.num_rows == extract.rows[spec.name]
        sidecar = extract.out / "tables" / f"{spec.sqlite_name}.csv.metadata.json"
        assert json.loads(sidecar.read_text(encoding="utf-8"))["synthetic"] is True
    meta = json.loads((extract.out / "extract.metadata.json").read_text(encoding="utf-8"))
    assert meta["synthetic"] is True and meta["tier"] == "L2" and meta["assumptions"]
    inferred = [c for t in meta["tables"] for c in t["columns"] if c["status"] == "inferred"]
    assert inferred, "uncertain names are stated as inferred"
    assert {t["name"] for t in meta["tables"]} == {t.name for t in TABLES}
    by_name = {t["name"]: t for t in meta["tables"]}
    for name in ("KS1", "KS3", "EYFSP", "cin_2009_to_2021", "cla_2006_to_2021", "YPMAD"):
        assert by_name[name]["status"] == "inferred", name  # the reference lists no items
    census = {c["name"]: c for c in by_name["spring_census"]["columns"]}
    assert "ENG" in census["FirstLanguage"]["codes"] and census["LSOA01"]["years"] == [None, 2013]
    assert by_name["summer_census"]["no_rows_in"] == ["2019/20"]
    not_generated = " ".join(meta["not_generated"])
    assert all(view in not_generated for view in NOT_GENERATED_VIEWS)
    for spec in TABLES:
        assert extract.rows[spec.name] > 0, spec.name  # every table has rows at 4,000 people


def test_sqlite_views_mirror_srs_names(conn: sqlite3.Connection) -> None:
    views = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'view'")}
    expected = {v for spec in TABLES for v in spec.views()}
    assert views == expected
    columns = [r[1] for r in conn.execute("PRAGMA table_info(hesa_2012)")]
    assert "HE_GENDER" in columns and "HE_ENDDATE" in columns and "HE_Year" not in columns
    rows = conn.execute("SELECT COUNT(*) FROM hesa_2019").fetchone()[0]
    assert (
        rows
        == conn.execute('SELECT COUNT(*) FROM "hesa_i2__hesa" WHERE HE_Year = 2019').fetchone()[0]
    )


def test_sql_server_script_creates_every_view() -> None:
    script = sql_server_script()
    assert "CREATE VIEW [$(project)].[leo_earnings] AS" in script
    assert script.count("CREATE VIEW") == sum(len(spec.views()) for spec in TABLES)
    assert "[HE_DATELEFT] AS [HE_DATELEFT]" in script and "[Gender] AS [Gender_spr15]" in script


# -- consistency -----------------------------------------------------------------------------


def test_consistency_rules_hold(conn: sqlite3.Connection) -> None:
    report = consistency(conn)
    failing = {k: v["violations"] for k, v in report["checks"].items() if not v["passed"]}
    assert failing == {}
    quirks = report["quirks_present"]
    for name in (
        "ae_ids_with_several_edukeys",
        "edukeys_without_ae_id",
        "ae_ids_not_matched_to_cis",
        "duplicate_census_records",
        "ilr_people_with_several_learner_rows",
        "uncertain_start_dates",
        "looked_after_children",
        "care_leavers_in_hesa",
        "neet_young_people",
        "ucas_acceptances",
        "aims_started_on_benefits",
    ):
        assert quirks[name] > 0, name
    assert quirks["summer_census_rows_2019_20"] == 0
    assert marginals(conn)["era_columns_populated_outside_their_years"] == 0


def test_consistency_catches_broken_rows(extract: ExtractWritten, tmp_path: Path) -> None:
    broken = tmp_path / "broken.sqlite"
    broken.write_bytes((extract.out / SQLITE_NAME).read_bytes())
    conn = sqlite3.connect(broken)
    try:
        key = conn.execute('SELECT Edukey FROM "LEO_i2__leo_earnings" LIMIT 1').fetchone()[0]
        conn.execute('DELETE FROM "LEO_i2__leo_employment" WHERE EduKey = ?', (key,))
        conn.execute('UPDATE "LEO_i2__leo_earnings" SET TaxYear = 2019 WHERE rowid = 2')
        conn.execute("UPDATE \"hesa_i2__hesa\" SET HE_DATELEFT = '2015-06-01' WHERE HE_Year = 2016")
        conn.execute(
            'UPDATE "npd_i2__KS4_Pupil" SET KS4_GENDER = '
            "CASE KS4_GENDER WHEN 'F' THEN 'M' ELSE 'F' END WHERE rowid = 1"
        )
        conn.execute(
            'DELETE FROM "npd_i2__cin_2009_to_2021" WHERE PupilMatchingRefAnonymous = '
            '(SELECT PupilMatchingRefAnonymous FROM "npd_i2__cla_2006_to_2021" LIMIT 1)'
        )
        conn.execute('UPDATE "npd_i2__KS5_Exam" SET KS5_POINTS = KS5_POINTS + 30 WHERE rowid = 1')
        conn.execute(
            'UPDATE "LILR_i2__aims" SET OnBenefits_AtStart = 1 - OnBenefits_AtStart WHERE rowid = 1'
        )
        conn.execute('DELETE FROM "npd_i2__spring_census" WHERE CensusYear = 2012')
        conn.execute('UPDATE "npd_i2__ucas" SET entry_year = 2009 WHERE accept_flag = 1')
        checks = consistency(conn)["checks"]
        for name in (
            "social_care_inconsistent",
            "ks5_points_or_aab_disagree_with_results",
            "aims_benefit_flag_disagrees_with_spells",
            "census_terms_disagree",
            "absence_inconsistent_or_without_census",
            "ucas_inconsistent_with_he_entry",
        ):
            assert checks[name]["violations"] > 0, name
        assert checks["sex_differs_between_sources"]["violations"] > 0
        assert checks["earnings_without_employment_spell"]["violations"] > 0
        assert checks["tax_year_not_yyyyyy"]["violations"] > 0
        assert marginals(conn)["era_columns_populated_outside_their_years"] > 0
    finally:
        conn.close()


def test_people_are_linked_across_tables(conn: sqlite3.Connection) -> None:
    """A graduate reaches earnings through PMR → AE_ID → EDUKEY, after graduating."""
    row = conn.execute(
        """SELECT COUNT(DISTINCT h.HE_PUPILMATCHINGREFANONYMOUS), MIN(e.TaxYear / 100 - h.HE_Year)
           FROM hesa_i2__hesa h
           JOIN LEO_i2__learner_ae_id_to_pmr_lookup p
             ON p.PupilMatchingRefAnonymous = h.HE_PUPILMATCHINGREFANONYMOUS
           JOIN LEO_i2__learner_ae_id_to_edukey_lookup k ON k.AE_ID = p.AE_ID
           JOIN LEO_i2__leo_earnings e ON e.Edukey = k.EDUKEY
           WHERE h.HE_XPQUAL01 = 1"""
    ).fetchone()
    assert row[0] > 100 and row[1] >= 0


def test_l2_recomputation_is_reported(conn: sqlite3.Connection, model: Model) -> None:
    report = recompute_published(conn, model)
    synthetic = [c for c in report["cells"] if c["synthetic"]]
    assert synthetic and all(c["subject"] in SUBJECTS for c in synthetic)
    assert all(c["synthetic"] is None for c in report["cells"] if c["yag"] == 1)
    assert report["within_tolerance"] in (None, True)


# -- generator -------------------------------------------------------------------------------


def test_same_seed_same_extract(model: Model) -> None:
    def tables(seed: int) -> dict[str, object]:
        found: dict[str, list[object]] = {}
        for chunk in generate_extract(model, 1500, seed, 600):
            for name, t in chunk.tables.items():
                found.setdefault(name, []).extend(t.to_pylist())
        return dict(found)

    first = tables(5)
    assert first == tables(5)
    assert first["leo_earnings"] != tables(6)["leo_earnings"]


def test_worker_processes_write_the_same_files(
    model: Model, jacs: dict[str, list[str]], tmp_path: Path
) -> None:
    """Chunks made by two worker processes give byte-identical CSV and equal Parquet files."""
    one = write_extract(
        model,
        tmp_path / "one",
        persons=3000,
        seed=4,
        chunk_persons=700,
        jacs=jacs,
        formats=("parquet", "csv"),
        progress=False,
    )
    two = write_extract(
        model,
        tmp_path / "two",
        persons=3000,
        seed=4,
        chunk_persons=700,
        jacs=jacs,
        formats=("parquet", "csv"),
        progress=False,
        workers=2,
    )
    assert one.rows == two.rows and sum(one.rows.values()) > 50_000
    for spec in TABLES:
        name = f"{spec.sqlite_name}.csv"
        first = (one.out / "tables" / name).read_bytes()
        assert first == (two.out / "tables" / name).read_bytes(), name
        assert first.count(b"\n") == one.rows[spec.name] + 1  # the header and every row
        parquet = f"{spec.sqlite_name}.parquet"
        assert pq.read_table(one.out / "tables" / parquet).equals(
            pq.read_table(two.out / "tables" / parquet)
        ), parquet
    assert not list((two.out).glob(".parts*"))


def test_chunking_keeps_keys_unique(model: Model) -> None:
    pmrs: list[str] = []
    for chunk in generate_extract(model, 2500, 1, 700):
        if "learner_ae_id_to_pmr_lookup" in chunk.tables:
            pmrs += chunk.tables["learner_ae_id_to_pmr_lookup"].column(1).to_pylist()
    assert len(pmrs) == len(set(pmrs)) == 2500
    assert all(len(p) == 18 for p in pmrs)


def test_bad_arguments_are_refused(model: Model, tmp_path: Path) -> None:
    with pytest.raises(SynthError):
        next(generate_extract(model, 0, 1))
    with pytest.raises(SynthError, match="unknown format"):
        write_extract(model, tmp_path, persons=10, seed=1, formats=("xlsx",), progress=False)


# -- queries and CLI -------------------------------------------------------------------------


def test_example_queries_run_unchanged(extract: ExtractWritten) -> None:
    names = example_queries.names()
    assert len(names) >= 4
    for name in names:
        columns, rows = example_queries.run(extract.out / SQLITE_NAME, name)
        assert columns and rows, name
    columns, rows = example_queries.run(
        extract.out / SQLITE_NAME, "graduate_earnings_5yag_by_subject"
    )
    assert columns[0] == "subject_cah2"
    assert all(r[0] in SUBJECTS and r[1] > 0 and r[2] > 0 for r in rows)
    columns, rows = example_queries.run(extract.out / SQLITE_NAME, "looked_after_ks4_and_earnings")
    groups = {r[0]: r for r in rows}
    assert set(groups) == {"looked after", "not looked after"}
    assert all(r[1] > 0 and 0 < r[2] < 10 for r in rows)  # pupils, A*-C results per pupil
    with pytest.raises(SynthError, match="unknown example query"):
        example_queries.read("nope")


def test_cli_writes_the_extract_and_refuses_bad_options(tmp_path: Path) -> None:
    source = write_leo_fixture(tmp_path / "src")
    runner = CliRunner()
    out = tmp_path / "out"
    result = runner.invoke(
        cli,
        [
            "synth",
            "leo",
            "--layout",
            "standard-extract",
            "--persons",
            "800",
            "--out",
            str(out),
            "--source",
            str(source),
            "--no-progress",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "leo_earnings" in result.output and "fit for purpose: passed" in result.output
    assert (out / "reports" / "extract_report.md").is_file()
    result = runner.invoke(cli, ["synth", "leo", "queries", str(out), "fsm_by_nc_year_census_2015"])
    assert result.exit_code == 0 and "fsm_share" in result.output
    bad = runner.invoke(
        cli, ["synth", "leo", "--format", "sqlite", "--out", str(out), "--source", str(source)]
    )
    assert bad.exit_code != 0 and "standard-extract" in bad.output


def test_docs_describe_every_table_and_query() -> None:
    docs = (Path(__file__).resolve().parents[2] / "docs" / "synthetic-leo.md").read_text(
        encoding="utf-8"
    )
    for spec in TABLES:
        assert next(iter(spec.views())) in docs, spec.name
        for column in spec.columns:
            assert f"`{column.name}` {column.sql}" in docs, (spec.name, column.name)
    for name in example_queries.names():
        assert f"`{name}`" in docs, name


def test_a_failed_generation_leaves_no_half_written_extract(
    model: Model, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lmi.synth.leo import extract_write

    made: list[int] = []

    def failing(model: Model, task: ChunkTask) -> object:
        made.append(task.number)
        if len(made) == 2:
            raise SynthError("disk full (simulated)")
        return make_chunk(model, task)

    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("earlier", encoding="utf-8")
    monkeypatch.setattr(extract_write, "make_chunk", failing)
    with pytest.raises(SynthError, match="simulated"):
        write_extract(model, out, persons=2000, seed=1, chunk_persons=500, progress=False)
    assert [p.name for p in out.iterdir()] == ["keep.txt"]
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no staging directory left


@pytest.mark.realdata
def test_real_100k_extract_is_consistent_and_l2_recomputes_the_published_table(
    source_dir: Path, tmp_path: Path
) -> None:
    """The done-when at 100,000 people: consistency rules hold, L2 within its tolerance."""
    from lmi.datasets.leo.parse import EARNINGS
    from lmi.synth.leo.extract_reports import write_extract_reports

    real = fit(read_published(source_dir / EARNINGS), "L2")
    write_extract(
        real, tmp_path, persons=100_000, seed=1, jacs=jacs_by_cah2(source_dir), progress=False
    )
    report = json.loads(write_extract_reports(tmp_path, real)["json"].read_text("utf-8"))
    assert report["fit_for_purpose"]["passed"], report["fit_for_purpose"]["checks"]
    published = report["published_recomputed"]
    assert published["cells_compared"] >= 10 and published["within_tolerance"] is True
    assert report["disclosure"]["small_cells"]["passed"]
    columns, rows = example_queries.run(tmp_path / SQLITE_NAME, "graduate_earnings_5yag_by_subject")
    means = {r[0]: r[2] for r in rows}
    assert len(means) >= len(SUBJECTS) - 3  # the smallest subjects may have no earner
    assert means["01-01"] > means["22-01"] * 1.5  # medicine above creative arts, as published
