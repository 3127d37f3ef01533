"""Working Futures (Skills Imperative 2035): loader, workbook reader and model.

Real files when present; otherwise the CSV fixture (invented numbers in the official layout)
and workbooks written here in the layout of ``EN_MainTables`` (tables side by side, headed by
``thousands`` / ``Levels (000s)`` and ending at ``All occupations``).
"""

from __future__ import annotations

import csv
import math
import zipfile
from collections import defaultdict
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lmi.datasets.soc.tables import soc_groups
from lmi.datasets.working_futures import WORKING_FUTURES
from lmi.datasets.working_futures.model import TOTAL, Outlook
from lmi.datasets.working_futures.parse import CSV, WORKBOOK
from lmi.datasets.working_futures.workbook import column_letter, read_workbook
from lmi.store import Database
from tests.datasets.helpers import Built, build, copy_fixture, rewrite_csv, stub

FIXTURE_CSV = Path(__file__).parent.parent / "data" / "working_futures" / Path(CSV).name
MAJORS = {
    "1": "Managers, directors and senior officials",
    "2": "Professional occupations",
    "3": "Associate professional occupations",
    "4": "Administrative and secretarial occupations",
    "5": "Skilled trades occupations",
    "6": "Caring, leisure and other service occupations",
    "7": "Sales and customer service occupations",
    "8": "Process, plant and machine operatives",
    "9": "Elementary occupations",
}
QUALS = ["RQF8 Doctorate", "RQF7 Other higher degree", "RQF6 First degree"]
QUALS += ["RQF5 Foundation degree;Nursing;Teaching", "RQF4 HE below degree level"]
QUALS += ["RQF3 A level & equivalent", "RQF2 GCSE(A-C) & equivalent"]
QUALS += ["RQF1 GCSE(below grade C) & equivalent", "No Qualification"]
QUAL_SHARES = [0.02, 0.12, 0.21, 0.06, 0.06, 0.2, 0.18, 0.11, 0.04]
STATUS_SHARES = {"FT": 0.6, "PT": 0.25, "SE": 0.15}


def _fixture_table() -> dict[tuple[str, str], dict[str, Any]]:
    with FIXTURE_CSV.open(newline="") as handle:
        return {(r["sex"], r["soc2020_sub_major"]): r for r in csv.DictReader(handle)}


def _soc_stub() -> Any:
    """SOC 2020 majors (workbook titles) and the fixture's sub-major groups."""
    table = _fixture_table()
    rows = [
        {"soc_version": "soc2020", "code": c, "level": "major", "title": t.upper()}
        for c, t in MAJORS.items()
    ]
    rows += [
        {"soc_version": "soc2020", "code": code, "level": "sub_major", "title": r["title"]}
        for (sex, code), r in table.items()
        if sex == "all" and code != "all"
    ]
    return stub("soc2020", {soc_groups: rows})


def _build(database: Database, source: Path) -> Built:
    return build(database, source, [_soc_stub(), WORKING_FUTURES])


# -- a workbook in the layout of EN_MainTables ---------------------------------------------------


def write_xlsx(path: Path, sheets: dict[str, dict[tuple[int, int], Any]]) -> None:
    """A minimal .xlsx: each sheet a ``{(row, col): value}`` map (0-based), strings inline."""
    path.parent.mkdir(parents=True, exist_ok=True)
    names = list(sheets)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.'
            'org/package/2006/content-types"><Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
            '"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            + "".join(
                f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.'
                'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                for i in range(1, len(names) + 1)
            )
            + "</Types>",
        )
        book.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http:'
            '//schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>',
        )
        book.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats'
            '.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships"><sheets>'
            + "".join(
                f'<sheet name="{escape(n)}" sheetId="{i}" r:id="rId{i}"/>'
                for i, n in enumerate(names, 1)
            )
            + "</sheets></workbook>",
        )
        book.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships">'
            + "".join(
                f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/'
                f'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{i}.xml"/>'
                for i in range(1, len(names) + 1)
            )
            + "</Relationships>",
        )
        for i, name in enumerate(names, 1):
            book.writestr(f"xl/worksheets/sheet{i}.xml", _sheet_xml(sheets[name]))


def _sheet_xml(cells: dict[tuple[int, int], Any]) -> str:
    rows: dict[int, list[str]] = defaultdict(list)
    for (r, c), value in sorted(cells.items()):
        ref = f"{column_letter(c)}{r + 1}"
        if isinstance(value, str):
            rows[r].append(f'<c r="{ref}" t="inlineStr"><is><t>{escape(value)}</t></is></c>')
        else:
            rows[r].append(f'<c r="{ref}"><v>{value!r}</v></c>')
    body = "".join(f'<row r="{r + 1}">{"".join(cs)}</row>' for r, cs in sorted(rows.items()))
    return (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.'
        f'org/spreadsheetml/2006/main"><sheetData>{body}</sheetData></worksheet>'
    )


def _annual(row: dict[str, Any]) -> dict[int, float]:
    """Every year 2010–2035 through the CSV's years (exact there, linear between)."""
    known = {y: float(row[f"emp_{y}"]) for y in (2015, 2019, 2020, 2025, 2035)}
    out = {}
    for year in range(2010, 2036):
        if year in known:
            out[year] = known[year]
        elif year < 2015:
            out[year] = known[2015] * (1 - 0.01 * (2015 - year))
        else:
            lo = max(y for y in known if y < year)
            hi = min(y for y in known if y > year)
            out[year] = known[lo] + (known[hi] - known[lo]) * (year - lo) / (hi - lo)
    return out


def fixture_workbook(shift: int = 0) -> dict[str, dict[tuple[int, int], Any]]:
    """The three tables the loader reads, consistent with the CSV fixture."""
    table = _fixture_table()
    subs = sorted(code for sex, code in table if sex == "all" and code != "all")
    annual = {code: _annual(table[("all", code)]) for code in [*subs, "all"]}
    f2: dict[tuple[int, int], Any] = {(0, 0): "Occupation Figure 2  Employment by Occupation"}
    col = 11 + shift
    f2[(3, col)] = "thousands"
    for i, year in enumerate(range(2010, 2036)):
        f2[(3, col + 1 + i)] = year
    r = 4
    for major, title in MAJORS.items():
        members = [s for s in subs if s[0] == major]
        rows = [(title, {y: sum(annual[s][y] for s in members) for y in range(2010, 2036)})]
        rows += [(f"{s} {table[('all', s)]['title']}", annual[s]) for s in members]
        for label, values in rows:
            f2[(r, col)] = label
            for i, year in enumerate(range(2010, 2036)):
                f2[(r, col + 1 + i)] = values[year]
            r += 1
        r += 1
    f2[(r, col)] = "All occupations"
    for i, year in enumerate(range(2010, 2036)):
        f2[(r, col + 1 + i)] = annual["all"][year]
    t5: dict[tuple[int, int], Any] = {}
    for block, (sex, label) in enumerate(
        (("all", ""), ("male", "Males: "), ("female", "Females: "))
    ):
        c0 = block * 16
        t5[(0, c0)] = f"Occupation Table 5.{block}  {label}Employment Change by Status"
        t5[(5, c0)] = "Levels (000s)"
        for j, year in enumerate((2015, 2020, 2035)):
            t5[(4, c0 + 1 + 5 * j)] = year
            for k, status in enumerate(("FT", "PT", "SE", "Total")):
                t5[(5, c0 + 1 + 5 * j + k)] = status
        for i, (major, title) in enumerate([*MAJORS.items(), ("all", "All occupations")]):
            row = 7 + i if major != "all" else 17
            members = [s for s in subs if major == "all" or s[0] == major]
            t5[(row, c0)] = title
            for j, year in enumerate((2015, 2020, 2035)):
                total = sum(float(table[(sex, s)][f"emp_{year}"]) for s in members)
                for k, share in enumerate(STATUS_SHARES.values()):
                    t5[(row, c0 + 1 + 5 * j + k)] = total * share
                t5[(row, c0 + 4 + 5 * j)] = total
    t2: dict[tuple[int, int], Any] = {}
    for q, (name, share) in enumerate(zip(QUALS, QUAL_SHARES, strict=True)):
        c0 = q * 11
        t2[(0, c0)] = (
            f"Basic Table 2.{q}  Employment Change and Replacement Demand, {name}, 2015-2035"
        )
        t2[(5, c0)] = "Levels (000s)"
        for i, year in enumerate((2015, 2019, 2020, 2025, 2035)):
            t2[(5, c0 + 1 + i)] = year
        for i, label in enumerate(("Change", "Demand", "Requirement")):
            t2[(5, c0 + 7 + i)] = label
        for i, code in enumerate([*subs, "all"]):
            row = table[("all", code)]
            r = 7 + i if code != "all" else 7 + len(subs) + 1
            t2[(r, c0)] = "All occupations" if code == "all" else f"{code} {row['title']}"
            for j, year in enumerate((2015, 2019, 2020, 2025, 2035)):
                t2[(r, c0 + 1 + j)] = float(row[f"emp_{year}"]) * share
            net = float(row["net_change_2020_2035"]) * share
            rd = float(row["replacement_demand_2020_2035"]) * share
            t2[(r, c0 + 7)], t2[(r, c0 + 8)], t2[(r, c0 + 9)] = net, rd, net + rd
    return {"Contents": {(0, 0): "Contents"}, "Occ F2": f2, "Occ T5": t5, "Basic T2": t2}


def _source(tmp_path: Path, *, workbook: bool = True) -> Path:
    folder = copy_fixture(tmp_path, "working_futures")
    if workbook:
        write_xlsx(folder / "original" / Path(WORKBOOK).name, fixture_workbook())
    return folder


# -- fixture builds ------------------------------------------------------------------------------


def test_csv_alone_loads_the_published_years(tmp_path: Path, database: Database) -> None:
    _source(tmp_path, workbook=False)
    built = _build(database, tmp_path)
    assert built.promoted, built.problems
    assert built.errors() == [] and built.warnings() == []
    years = database.execute("SELECT DISTINCT year FROM wf_employment ORDER BY year").rows
    assert [y for (y,) in years] == [2015, 2019, 2020, 2025, 2035]
    assert database.execute("SELECT count(*) FROM wf_employment").scalar() == 81 * 5
    assert database.execute("SELECT count(*) FROM wf_replacement").scalar() == 81
    table = _fixture_table()
    stored = database.execute(
        "SELECT thousands FROM wf_employment WHERE code = '21' AND sex = 'female' AND year = 2025"
    ).scalar()
    assert stored == pytest.approx(float(table[("female", "21")]["emp_2025"]))


def test_workbook_adds_every_year_status_and_qualification(
    tmp_path: Path, database: Database
) -> None:
    _source(tmp_path)
    built = _build(database, tmp_path)
    assert built.promoted, built.problems
    assert built.errors() == [] and built.warnings() == [], built.problems
    years = database.execute(
        "SELECT DISTINCT year FROM wf_employment WHERE status = 'all' AND qualification = 'all'"
    ).rows
    assert sorted(y for (y,) in years) == list(range(2010, 2036))
    statuses = database.execute(
        "SELECT status, count(*) FROM wf_employment WHERE status <> 'all' GROUP BY status"
    ).rows
    assert dict(statuses) == {s: 10 * 3 * 3 for s in ("full-time", "part-time", "self-employed")}
    levels = database.execute(
        "SELECT count(DISTINCT qualification) FROM wf_replacement WHERE qualification <> 'all'"
    ).scalar()
    assert levels == 9
    # a CSV cell also in the workbook keeps the CSV's figure and says where it came from
    source = database.execute(
        "SELECT source FROM wf_employment WHERE code = 'all' AND sex = 'all' AND status = 'all' "
        "AND qualification = 'all' AND year = 2020"
    ).scalar()
    assert source == "Occupation Table 2 (CSV)"


def test_moved_tables_are_still_found(tmp_path: Path) -> None:
    path = tmp_path / "book.xlsx"
    write_xlsx(path, fixture_workbook(shift=3))
    subs = {code for sex, code in _fixture_table() if sex == "all" and code != "all"}
    book = read_workbook(path, "book.xlsx", sub_majors=subs, majors=MAJORS_BY_TITLE)
    assert book.problems == []
    annual = [e for e in book.employment if e[1:4] == ("all", "all", "all")]
    assert len(annual) == (26 + 9 + 1) * 26


MAJORS_BY_TITLE = {title: code for code, title in MAJORS.items()}


def test_bad_number_in_csv_names_row_and_column(tmp_path: Path, database: Database) -> None:
    folder = _source(tmp_path, workbook=False)
    rewrite_csv(folder / FIXTURE_CSV.name, {3: {"emp_2025": "12O.5"}})
    built = _build(database, tmp_path)
    assert not built.promoted and built.status("working_futures") == "failed"
    assert any(":5 [emp_2025]" in p and "'12O.5' is not a number" in p for p in built.errors()), (
        built.problems
    )


def test_missing_column_is_an_error(tmp_path: Path, database: Database) -> None:
    folder = _source(tmp_path, workbook=False)
    path = folder / FIXTURE_CSV.name
    path.write_text(path.read_text().replace("total_requirement_2020_2035", "total", 1))
    built = _build(database, tmp_path)
    assert not built.promoted
    errors = built.errors()
    assert any("column 'total_requirement_2020_2035' is missing" in p for p in errors), errors


def test_unknown_sub_major_is_an_error(tmp_path: Path, database: Database) -> None:
    folder = _source(tmp_path, workbook=False)
    rewrite_csv(folder / FIXTURE_CSV.name, {0: {"soc2020_sub_major": "19"}})
    built = _build(database, tmp_path)
    assert any(
        ":2 [soc2020_sub_major]" in p and "'19' is not a SOC 2020 sub-major group" in p
        for p in built.errors()
    ), built.problems


def test_sexes_not_adding_up_is_a_warning(tmp_path: Path, database: Database) -> None:
    folder = _source(tmp_path, workbook=False)
    rewrite_csv(folder / FIXTURE_CSV.name, {27: {"emp_2019": "99999.000"}})  # male, 11
    built = _build(database, tmp_path)
    assert built.promoted, built.problems
    assert any("all ≠ male + female" in p for p in built.warnings()), built.problems


def test_workbook_without_a_sheet_fails_the_dataset(tmp_path: Path, database: Database) -> None:
    folder = _source(tmp_path, workbook=False)
    sheets = fixture_workbook()
    del sheets["Occ T5"]
    write_xlsx(folder / "original" / Path(WORKBOOK).name, sheets)
    built = _build(database, tmp_path)
    assert not built.promoted
    assert any("sheet 'Occ T5' is missing" in p for p in built.errors()), built.problems


def test_corrupt_workbook_is_reported(tmp_path: Path, database: Database) -> None:
    folder = _source(tmp_path)
    path = folder / "original" / Path(WORKBOOK).name
    path.write_bytes(path.read_bytes()[:300])
    built = _build(database, tmp_path)
    assert not built.promoted
    assert any("(corrupt-xlsx)" in p for p in built.errors()), built.problems


def test_letters_in_a_workbook_cell_name_the_cell(tmp_path: Path, database: Database) -> None:
    folder = _source(tmp_path, workbook=False)
    sheets = fixture_workbook()
    sheets["Basic T2"][(9, 3)] = "n/a"  # third sub-major row, 2020 column, first block
    write_xlsx(folder / "original" / Path(WORKBOOK).name, sheets)
    built = _build(database, tmp_path)
    assert any("[Basic T2!D10]" in p and "'n/a' is not a number" in p for p in built.errors())


# -- real files ----------------------------------------------------------------------------------


@pytest.mark.realdata
def test_real_tables_hold_every_year_and_add_up(real_release_db: Database) -> None:
    rows = real_release_db.execute(
        "SELECT code, sex, status, qualification, year, thousands FROM wf_employment"
    ).rows
    cells = {(c, s, st_, q, y): v for c, s, st_, q, y, v in rows}
    years = sorted(
        {y for c, s, st_, q, y in cells if (c, s, st_, q) == ("all", "all", "all", "all")}
    )
    assert years == list(range(2010, 2036))
    subs = sorted({c for c, *_ in cells if len(c) == 2})
    assert len(subs) == 26
    for year in years:  # 26 sub-major groups add up to all occupations every year
        total = sum(cells[(s, "all", "all", "all", year)] for s in subs)
        assert total == pytest.approx(cells[("all", "all", "all", "all", year)], rel=1e-6)
    for year in (2015, 2019, 2020, 2025, 2035):
        for s in subs:
            both = cells[(s, "male", "all", "all", year)] + cells[(s, "female", "all", "all", year)]
            assert both == pytest.approx(cells[(s, "all", "all", "all", year)], rel=1e-6)
            levels = sum(
                v for (c, x, st_, q, y), v in cells.items() if (c, y) == (s, year) and q != "all"
            )
            assert levels == pytest.approx(cells[(s, "all", "all", "all", year)], rel=1e-3)


@pytest.mark.realdata
def test_real_published_cell_is_stored_as_published(
    real_release_db: Database, source_dir: Path
) -> None:
    with (source_dir / CSV).open(newline="") as handle:
        row = next(
            r
            for r in csv.DictReader(handle)
            if (r["sex"], r["soc2020_sub_major"]) == ("female", "22")
        )
    stored = dict(
        real_release_db.execute(
            "SELECT year, thousands FROM wf_employment WHERE code = '22' AND sex = 'female' "
            "AND status = 'all' AND qualification = 'all'"
        ).rows
    )
    assert stored == {
        y: pytest.approx(float(row[f"emp_{y}"])) for y in (2015, 2019, 2020, 2025, 2035)
    }
    rd = real_release_db.execute(
        "SELECT replacement_demand FROM wf_replacement WHERE code = '22' AND sex = 'female' "
        "AND qualification = 'all'"
    ).scalar()
    assert rd == pytest.approx(float(row["replacement_demand_2020_2035"]))


# -- model (no files) ----------------------------------------------------------------------------

SUBS = ("21", "22", "31")
UNITS20 = {"21": ("2111", "2112", "2113"), "22": ("2211", "2212"), "31": ("3111", "3112")}
UNITS10 = ("2111", "2112", "2113", "2211", "3111")


def _model(
    levels: dict[str, float],
    female: dict[str, float],
    jobs: dict[str, float | None],
    dual: list[tuple[str, str, int]],
) -> Outlook:
    employment = []
    for code, level in levels.items():
        for year, growth in ((2020, 1.0), (2021, 1.01), (2025, 1.05)):
            employment.append(_row(code, "all", year, level * growth))
            if year != 2021:
                employment.append(_row(code, "female", year, level * growth * female[code]))
                employment.append(_row(code, "male", year, level * growth * (1 - female[code])))
    ashe = [
        {
            "soc_version": "soc2020",
            "measure": "annual",
            "sex": "all",
            "pattern": "all",
            "area": "K02000001",
            "level": len(code),
            "method": "observed",
            "code": code,
            "jobs": value,
        }
        for code, value in jobs.items()
    ]
    dual_rows = [
        {
            "soc2010": x,
            "soc2020": y,
            "men_census_base": n,
            "men_census_prop": 1.0,
            "women_census_base": 0,
            "women_census_prop": 0.0,
        }
        for x, y, n in dual
    ]
    units = {"soc2020": {u for us in UNITS20.values() for u in us}, "soc2010": set(UNITS10)}
    return Outlook(employment, [], ashe=ashe, dual_coding=dual_rows, units=units, aps=None)


def _row(code: str, sex: str, year: int, value: float) -> dict[str, Any]:
    return {
        "code": code,
        "sex": sex,
        "status": "all",
        "qualification": "all",
        "year": year,
        "thousands": value,
    }


UNIT20 = [u for us in UNITS20.values() for u in us]


@settings(max_examples=60, deadline=None)
@given(
    levels=st.fixed_dictionaries({s: st.floats(20, 3000) for s in SUBS}),
    female=st.fixed_dictionaries({s: st.floats(0.05, 0.95) for s in SUBS}),
    jobs=st.fixed_dictionaries({u: st.one_of(st.none(), st.floats(1, 500)) for u in UNIT20}),
    links=st.lists(
        st.tuples(st.sampled_from(UNITS10), st.sampled_from(UNIT20), st.integers(1, 900)),
        min_size=1,
        max_size=12,
    ),
)
def test_apportioned_figures_add_up_to_the_published_ones(
    levels: dict[str, float],
    female: dict[str, float],
    jobs: dict[str, float | None],
    links: list[tuple[str, str, int]],
) -> None:
    # every SOC 2020 unit group has some census record, so every one gets a share
    dual = {(x, y): n for x, y, n in links}
    for y in UNIT20:
        dual.setdefault(("2111", y), 1)
    sub_jobs = {s: sum(v for u, v in jobs.items() if u.startswith(s) and v) or None for s in SUBS}
    model = _model(levels, female, {**jobs, **sub_jobs}, [(x, y, n) for (x, y), n in dual.items()])
    for year in (2020, 2021, 2025):
        for sub in SUBS:
            published = model.value(sub, TOTAL, year)
            assert published is not None
            assert published.method == ("observed" if year <= 2020 else "projection")
            parts = [
                model.employment(model.composition("soc2020", u), TOTAL, year) for u in UNITS20[sub]
            ]
            assert math.isclose(
                sum(p.thousands for p in parts if p), published.thousands, rel_tol=1e-9
            )
        # SOC 2010 units share out all of it (every SOC 2020 unit has a SOC 2010 source)
        total = sum(model.published(s, TOTAL, year) or 0 for s in SUBS)
        parts10 = [model.composition("soc2010", x) for x in UNITS10]
        found = sum(model.employment(c, TOTAL, year).thousands for c in parts10 if c)  # type: ignore[union-attr]
        assert math.isclose(found, total, rel_tol=1e-9)
    # 2021 has no published sex split: interpolated, and men + women = all
    comp = model.composition("soc2010", "2111")
    assert comp is not None
    women = model.employment(comp, ("female", "all", "all"), 2021)
    men = model.employment(comp, ("male", "all", "all"), 2021)
    every = model.employment(comp, TOTAL, 2021)
    assert women and men and every and women.method == "modelled"
    assert math.isclose(women.thousands + men.thousands, every.thousands, rel_tol=1e-9)


def test_no_extrapolation_beyond_published_years() -> None:
    model = _model(
        {s: 100.0 for s in SUBS}, dict.fromkeys(SUBS, 0.5), {}, [("2111", u, 5) for u in UNIT20]
    )
    assert model.years == [2020, 2021, 2025]
    comp = model.composition("soc2020", "21")
    assert comp is not None and comp.group == "21"
    assert model.employment(comp, TOTAL, 2026) is None
    assert model.employment(comp, ("female", "all", "all"), 2019) is None
    assert model.key_years(("female", "all", "all")) == [2020, 2021, 2025]


def test_small_figures_are_withheld_and_flagged() -> None:
    model = _model(
        {"21": 5.0, "22": 0.5, "31": 50.0},
        dict.fromkeys(SUBS, 0.5),
        {},
        [("2111", u, 5) for u in UNIT20],
    )
    served = {s: model.served(model.value(s, TOTAL, 2020)) for s in SUBS}
    assert served["22"].value is None and served["22"].status == "suppressed_quality"
    assert served["21"].status == "caution" and served["21"].value == 5000.0
    assert served["31"].status == "ok" and served["31"].value == 50000.0
