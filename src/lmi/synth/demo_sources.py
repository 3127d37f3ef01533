"""Source files for the synthetic demo release, written in each dataset's official format.

The demo release is loaded by the datasets' own loaders from these files, so it goes through
the same checks, derivations (O*NET on UK SOC, disclosure control of ASHE) and tables as a real
build. Every figure is invented from a fixed seed; every title says "(synthetic)". Codes follow
the demo SOC hierarchy of :mod:`lmi.synth.demo` (9 majors × 3 sub-majors × 3 minors × 6 unit
groups, the same codes in both versions) and small invented code lists for the other
classifications (ISCO-08, US SOC, O*NET-SOC, CAH). Public geography codes (GSS and ITL codes of
the 12 UK countries and regions) are used as they are: they are names, not figures.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Callable, Collection, Iterable, Sequence
from pathlib import Path

from lmi.synth.demo_groups import demo_groups

__all__ = ["DEMO_SOURCE_WRITERS", "unit_codes", "write_demo_sources"]

SEED = 42
LABEL = "(synthetic)"

#: (GSS code, ITL1 code, name, country) of the 12 UK countries and English regions
REGIONS: tuple[tuple[str, str, str, str], ...] = (
    ("E12000001", "TLC", "North East", "England"),
    ("E12000002", "TLD", "North West", "England"),
    ("E12000003", "TLE", "Yorkshire and The Humber", "England"),
    ("E12000004", "TLF", "East Midlands", "England"),
    ("E12000005", "TLG", "West Midlands", "England"),
    ("E12000006", "TLH", "East of England", "England"),
    ("E12000007", "TLI", "London", "England"),
    ("E12000008", "TLJ", "South East", "England"),
    ("E12000009", "TLK", "South West", "England"),
    ("W92000004", "TLL", "Wales", "Wales"),
    ("S92000003", "TLM", "Scotland", "Scotland"),
    ("N92000002", "TLN", "Northern Ireland", "Northern Ireland"),
)
UK_ROW = ("K02000001", "", "United Kingdom", "")
ALL_PAY = 31_000
#: SOC major group → a plausible level of median full-time annual pay (£)
MAJOR_PAY = {
    "1": 48_000,
    "2": 44_000,
    "3": 36_000,
    "4": 27_000,
    "5": 30_000,
    "6": 22_000,
    "7": 21_000,
    "8": 27_000,
    "9": 21_000,
}
REGION_PAY = {
    "E12000007": 1.25,
    "E12000008": 1.06,
    "E12000006": 1.02,
    "N92000002": 0.9,
    "E12000001": 0.9,
    "W92000004": 0.91,
}


def rng(*key: object) -> random.Random:
    """A generator seeded by the demo seed and ``key``: the same cell always gets the same value."""
    return random.Random("|".join((str(SEED), *map(str, key))))


def unit_codes() -> list[str]:
    """The demo SOC unit groups (both versions use the same codes)."""
    return [
        f"{major}{sub}{minor}{unit}"
        for major in range(1, 10)
        for sub in range(1, 4)
        for minor in range(1, 4)
        for unit in range(1, 7)
    ]


def sub_major_codes() -> list[str]:
    return [f"{major}{sub}" for major in range(1, 10) for sub in range(1, 4)]


def title(kind: str, code: str) -> str:
    return f"{kind} {code} {LABEL}"


def write_csv(
    path: Path, header: Sequence[str], rows: Iterable[Sequence[object]], delimiter: str = ","
) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=delimiter, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def write_tsv(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """O*NET's tab-delimited text: no quoting, UTF-8 without BOM."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = ["\t".join(header), *("\t".join(str(v) for v in row) for row in rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


# -- classifications ---------------------------------------------------------------------


def isco_structure() -> list[tuple[str, str, str]]:
    """(code, level, parent) of a demo ISCO-08 with the published counts per level.

    The ISCO loader checks there are 10 major, 43 sub-major, 130 minor and 436 unit groups.
    """
    found: list[tuple[str, str, str]] = []
    subs = minors = units = 0
    for major in range(10):
        found.append((str(major), "major", ""))
        for sub in range(1, (5 if major < 3 else 4) + 1):
            scode = f"{major}{sub}"
            found.append((scode, "sub_major", str(major)))
            subs += 1
            for minor in range(1, (4 if subs == 1 else 3) + 1):
                mcode = f"{scode}{minor}"
                found.append((mcode, "minor", scode))
                minors += 1
                for unit in range(1, (4 if minors <= 46 else 3) + 1):
                    found.append((f"{mcode}{unit}", "unit", mcode))
                    units += 1
    return found


def isco_units() -> list[str]:
    return [code for code, level, _ in isco_structure() if level == "unit"]


def isco_of(unit: str) -> list[tuple[str, float]]:
    """A demo SOC unit group's two ISCO-08 unit groups, with the shares of its titles."""
    codes = isco_units()
    i = unit_codes().index(unit)
    share = round(rng("isco", unit).uniform(0.6, 0.9), 4)
    return [(codes[i % len(codes)], share), (codes[(i + 7) % len(codes)], round(1 - share, 4))]


def us_soc(isco: str) -> str:
    """The demo US SOC code of a demo ISCO-08 unit group ("2136" → "21-3600")."""
    return f"{isco[:2]}-{isco[2:]}00"


def write_crosswalks(root: Path) -> None:
    folder = root / "soc_crosswalks"
    units = unit_codes()
    dual: list[list[object]] = []
    for code in units:
        base = rng("dual", code).randint(40, 400)
        dual.append([code, title("Unit group", code), code, title("Unit group", code)])
        dual[-1] += [base, 1, base * 2, 1, base, 1, base * 2, 1]
    write_csv(
        folder / "soc2010_to_soc2020_ons_dual_coding.csv",
        [
            "soc2010",
            "soc2010_title",
            "soc2020",
            "soc2020_title",
            "men_lfs_base_2010",
            "men_lfs_perc_2020",
            "men_census_base_2010",
            "men_census_perc_2020",
            "women_lfs_base_2010",
            "women_lfs_perc_2020",
            "women_census_base_2010",
            "women_census_perc_2020",
        ],
        dual,
    )
    write_csv(
        folder / "soc2010_to_soc2020_from_coding_index.csv",
        [
            "soc2010",
            "soc2010_title",
            "soc2020",
            "soc2020_title",
            "n_index_entries",
            "share_of_soc2010_entries",
        ],
        [[c, title("Unit group", c), c, title("Unit group", c), 3, 1.0] for c in units],
    )
    for version in ("soc2010", "soc2020"):
        rows = []
        for code in units:
            for isco, share in isco_of(code):
                entries = max(1, round(share * 20))
                rows.append([code, title("Unit group", code), isco, entries, share])
                rows[-1].append(title("ISCO-08 unit group", isco))
        write_csv(
            folder / f"{version}_to_isco08_from_coding_index.csv",
            [
                version,
                f"{version}_title",
                "isco08",
                "n_index_entries",
                f"share_of_{version}_entries",
                "isco08_title",
            ],
            rows,
        )


def write_isco(root: Path) -> None:
    folder = root / "isco"
    names = {"major": "major group", "sub_major": "sub-major group", "minor": "minor group"}
    rows = [
        [code, level, title(f"ISCO-08 {names.get(level, 'unit group')}", code), parent]
        for code, level, parent in isco_structure()
    ]
    write_csv(
        folder / "isco08_structure_from_ons_soc2020_index.csv",
        ["isco08", "level", "title", "parent"],
        rows,
    )
    units = isco_units()
    write_csv(
        folder / "isco08_to_us_soc2010_bls.csv",
        [
            "ISCO-08 Code",
            "ISCO-08 Title EN",
            "part",
            "2010 SOC Code",
            "2010 SOC Title",
            "Comment 8/17/11",
        ],
        [
            [c, title("ISCO-08 unit group", c), "", us_soc(c), title("US SOC", us_soc(c)), ""]
            for c in units
        ],
    )
    write_csv(
        folder / "us_soc2010_to_soc2018_bls.csv",
        ["2010 SOC Code", "2010 SOC Title", "2018 SOC Code", "2018 SOC Title"],
        [
            [us_soc(c), title("US SOC", us_soc(c)), us_soc(c), title("US SOC", us_soc(c))]
            for c in units
        ],
    )


def onet_codes() -> list[str]:
    """Demo O*NET-SOC codes: one occupation per demo US SOC code."""
    return [f"{us_soc(c)}.00" for c in isco_units()]


def write_onet_occupations(root: Path) -> None:
    write_tsv(
        root / "onet" / "original" / "Occupation Data.txt",
        ["O*NET-SOC Code", "Title", "Description"],
        [
            [
                code,
                title("O*NET occupation", code),
                "SYNTHETIC DEMO DATA, not an O*NET description.",
            ]
            for code in onet_codes()
        ],
    )


def write_regions(root: Path) -> None:
    folder = root / "regions"
    write_csv(
        folder / "uk_itl1_2021.csv",
        ["itl121cd", "itl121nm", "rgn23cd_if_english_region", "country"],
        [[itl, name, gss if gss.startswith("E12") else "", c] for gss, itl, name, c in REGIONS],
    )
    write_csv(
        folder / "uk_itl2_2021.csv",
        ["itl221cd", "itl221nm", "itl121cd"],
        [[f"{itl}1", title("ITL2 area", f"{itl}1"), itl] for _g, itl, _n, _c in REGIONS],
    )
    write_csv(
        folder / "uk_itl3_2021.csv",
        ["itl321cd", "itl321nm", "itl221cd", "itl121cd"],
        [
            [f"{itl}11", title("ITL3 area", f"{itl}11"), f"{itl}1", itl]
            for _g, itl, _n, _c in REGIONS
        ],
    )


# -- ASHE ----------------------------------------------------------------------------------

PERCENTILES = (10, 20, 25, 30, 40, 60, 70, 75, 80, 90)
#: percentile → ratio to the median (a right-skewed pay distribution)
SPREAD = {10: 0.55, 20: 0.66, 25: 0.71, 30: 0.76, 40: 0.88, 60: 1.13, 70: 1.28, 75: 1.37}
SPREAD |= {80: 1.48, 90: 1.8}
T14_EDITIONS = {"2010r": 2010, "2011p": 2011, "2011r": 2011, "2021p": 2021, "2021r": 2021}
T14_EDITIONS |= {"2023p": 2023}


def annual_median(code: str, year: int, pattern: str = "FT", area: str = "") -> float:
    """Plausible median annual pay of a SOC group (1–4 digits) in a year."""
    level: float
    if code == "XX":  # all employees: about the job-weighted mean of the major groups
        level = ALL_PAY
    elif len(code) > 1:
        level = MAJOR_PAY[code[0]] * rng("pay", code).uniform(0.85, 1.2)
    else:
        level = MAJOR_PAY[code[0]]
    growth = 1.025 ** (year - 2025)
    part = 0.78 if pattern == "FTPT" else 1.0
    return level * growth * part * REGION_PAY.get(area, 1.0)


def _t14_row(code: str, label: str, year: int, measure: str, pattern: str) -> list[object]:
    """One Table 14 row; a few unit groups are suppressed ("x") as ONS does."""
    if len(code) == 4 and rng("suppress", code, year, measure, pattern).random() < 0.06:
        return [label, code, "x", *(["x", "", "x", ""]), *(["x"] * len(PERCENTILES))]
    median = annual_median(code, year, pattern) * rng("cell", code, year).uniform(0.97, 1.03)
    scale = 1 / (52 * 37.5) if measure == "hourly" else 1
    jobs = rng("jobs", code).randint(8, 60) * (9 if len(code) == 3 else 1)
    jobs = jobs * (6 if len(code) == 2 else 1) * (20 if len(code) == 1 else 1)

    def fmt(value: float) -> str:
        return f"{value * scale:.2f}" if measure == "hourly" else str(round(value))

    return [
        label,
        code,
        jobs,
        fmt(median),
        "2.4",
        fmt(median * 1.14),
        "2.1",
        *(fmt(median * SPREAD[p]) for p in PERCENTILES),
    ]


def write_ashe(root: Path) -> None:
    folder = root / "ashe"
    header = ["Description", "Code", "No_jobs", "Median", "change", "Mean", "change.1"]
    header += [str(p) for p in PERCENTILES]
    for edition, year in T14_EDITIONS.items():
        for measure in ("annual", "hourly"):
            for pattern in ("FT", "FTPT"):
                rows = [_t14_row("XX", "All employees", year, measure, pattern)]
                for code in _hierarchy():
                    label = "  " * (len(code) - 1) + title("Group", code)
                    rows.append(_t14_row(code, label, year, measure, pattern))
                rows.append(["Not Classified", "", ":", *([""] * 14)])
                path = folder / "original" / "ASHE_Table14" / "csv"
                write_csv(path / f"{edition}_{measure}_{pattern}.csv", header, rows)
    _write_ashe_2025(folder)


def _hierarchy() -> list[str]:
    found: list[str] = []
    for major in range(1, 10):
        found.append(str(major))
        for sub in range(1, 4):
            found.append(f"{major}{sub}")
            for minor in range(1, 4):
                found.append(f"{major}{sub}{minor}")
                found += [f"{major}{sub}{minor}{u}" for u in range(1, 7)]
    return found


MEASURES_2025 = {
    "annual_gross_pay_gbp": 1.0,
    "weekly_gross_pay_gbp": 1 / 52,
    "hourly_gross_pay_gbp": 1 / (52 * 37.5),
}
COMMON_2025 = ["year", "release", "soc_version", "ons_table", "measure", "sex", "work_pattern"]
STATS_2025 = ["median", "mean", *(f"p{p}" for p in PERCENTILES)]
SEX_PAY = {"all": 1.0, "male": 1.07, "female": 0.92}


def _stats_2025(median: float, decimals: int, suppressed: bool) -> list[object]:
    if suppressed:
        return [""] * len(STATS_2025)
    values = [median, median * 1.14, *(median * SPREAD[p] for p in PERCENTILES)]
    return [round(v, decimals) for v in values]


def _measure_value(code: str, measure: str, sex: str, pattern: str, area: str = "") -> float:
    """One 2025 figure: pay in the measure's unit, or total paid hours a week."""
    if measure == "paid_hours_worked_total":
        hours = 37.5 if pattern == "full-time" else 31.0
        return hours * rng("hours", code, sex).uniform(0.95, 1.08)
    pay = annual_median(code, 2025, "FT" if pattern == "full-time" else "FTPT", area)
    return pay * SEX_PAY[sex] * MEASURES_2025[measure]


def _write_ashe_2025(folder: Path) -> None:
    units = unit_codes()
    rows: list[list[object]] = []
    measures = [*MEASURES_2025, "paid_hours_worked_total"]
    for measure in measures:
        decimals = 2 if measure.startswith(("hourly", "paid")) else 0
        for sex in ("all", "male", "female"):
            for pattern in ("all", "full-time"):
                for code in units:
                    value = _measure_value(code, measure, sex, pattern)
                    hidden = rng("x25", code, measure, sex, pattern).random() < 0.05
                    rows.append(
                        [2025, "provisional", "SOC2020", "14.1a", measure, sex, pattern]
                        + [code, code[0], title("Unit group", code)]
                        + _stats_2025(value, decimals, hidden)
                    )
    write_csv(
        folder / "ashe2025p_table14_soc2020_unit_groups_by_sex_pattern.csv",
        [*COMMON_2025, "soc2020", "major_group", "title", *STATS_2025],
        rows,
    )
    rows = []
    for measure in measures:
        decimals = 2 if measure.startswith(("hourly", "paid")) else 0
        for sex in ("all", "male", "female"):
            for pattern in ("all", "full-time"):
                for gss, _itl, name, _country in (UK_ROW, *REGIONS):
                    if gss.startswith("N"):
                        continue  # as in the real extract: no Northern Ireland rows
                    for major in "123456789":
                        value = _measure_value(major, measure, sex, pattern, gss)
                        rows.append(
                            [2025, "provisional", "SOC2020", "3.1a", measure, sex, pattern]
                            + [gss, name, major, title("Major group", major)]
                            + _stats_2025(value, decimals, False)
                        )
    write_csv(
        folder / "ashe2025p_table3_region_by_soc2020_major.csv",
        [*COMMON_2025, "region_code", "region_name", "soc2020_major", "title", *STATS_2025],
        rows,
    )
    rows = []
    for pattern in ("all", "ft"):
        for code in units:
            base = annual_median(code, 2025) / (52 * 37.5)
            male, female = base * 1.06, base * 0.93
            rows.append(
                [2025, "provisional", "hourly_pay_excl_overtime_gbp", pattern, code, code[0]]
                + [title("Unit group", code), round(male, 2), round(female, 2), round(base, 2)]
                + [round((male - female) / male * 100, 1)]
            )
    write_csv(
        folder / "ashe2025p_table14_hourly_excl_overtime_median_by_sex.csv",
        [
            "year",
            "release",
            "measure",
            "work_pattern",
            "soc2020",
            "major_group",
            "title",
            "male_median",
            "female_median",
            "all_median",
            "gap_pct_computed_by_repo",
        ],
        rows,
    )


# -- Employer Skills Survey ------------------------------------------------------------------

#: ESS occupation → share of employment (SOC 2010 major groups, then unclassified)
ESS_SHARES = {"1": 0.11, "2": 0.18, "3": 0.13, "4": 0.12, "5": 0.09, "6": 0.1, "7": 0.1}
ESS_SHARES |= {"8": 0.07, "9": 0.09, "U": 0.01}
ESS_TITLES = {
    "T7": "Employment by occupation",
    "T54": "Vacancies by occupation",
    "T56": "Hard-to-fill vacancies by occupation",
    "T63": "Skill-shortage vacancies by occupation",
    "53": "Staff not fully proficient by occupation",
    "3": "Establishments: employment by occupation",
    "20": "Establishments: vacancies by occupation",
    "25": "Establishments: hard-to-fill vacancies by occupation",
}


def write_ess(root: Path) -> None:
    """The long table of the LEP workbook: England and every current LEP, invented counts."""
    from lmi.classification.areas import LEPS
    from lmi.datasets.employer_skills_survey.checks import NO_UNCLASSIFIED, TOTAL_LABEL
    from lmi.datasets.employer_skills_survey.tables import OCCUPATIONS

    folder = root / "employer_skills_survey"
    write_csv(
        folder / "ess2017_england_lep_tables_index.csv",
        ["sheet", "table_ref", "table_title", "base"],
        [
            [sheet, f"Table {sheet}/ 1", t + " " + LABEL, "Base: synthetic"]
            for sheet, t in ESS_TITLES.items()
        ],
    )
    columns = [("england_total", "Total", 30.0)]
    columns += [("lep", lep.name, 1.0) for lep in LEPS if lep.current]
    rows: list[list[object]] = []
    for sheet in ESS_TITLES:
        for area_type, heading, scale in columns:
            r = rng("ess", heading)
            size = scale * r.uniform(400_000, 1_500_000)
            rate = {"T7": 1.0, "3": 0.05, "53": 0.045, "T54": 0.035, "20": 0.003}.get(sheet, 0)
            rate = rate or {"T56": 0.012, "25": 0.0012, "T63": 0.008}[sheet]
            rows.append([sheet, "Unweighted row", "value", area_type, heading, round(scale * 1500)])
            values = {}
            for occ in OCCUPATIONS:
                if occ == "all" or (occ == "U" and sheet in NO_UNCLASSIFIED):
                    continue
                values[occ] = round(
                    size * rate * ESS_SHARES[occ] * rng(sheet, heading, occ).uniform(0.8, 1.2)
                )
            total = sum(values.values())
            labels = {OCCUPATIONS[o]: v for o, v in values.items()}
            labels[TOTAL_LABEL.get(sheet, "Total")] = total
            if sheet in TOTAL_LABEL:
                labels["Total"] = round(size)
            for label, value in labels.items():
                rows.append([sheet, label, "value", area_type, heading, value])
    write_csv(
        folder / "ess2017_england_lep_tables_long.csv",
        ["sheet", "row_label", "row_kind", "area_type", "column_heading", "value"],
        rows,
    )


# -- Working Futures ---------------------------------------------------------------------------

WF_YEARS = (2015, 2019, 2020, 2025, 2035)


WF_QUALIFICATIONS = ["RQF8 Doctorate", "RQF7 Other higher degree", "RQF6 First degree"]
WF_QUALIFICATIONS += ["RQF5 Foundation degree;Nursing;Teaching", "RQF4 HE below degree level"]
WF_QUALIFICATIONS += ["RQF3 A level & equivalent", "RQF2 GCSE(A-C) & equivalent"]
WF_QUALIFICATIONS += ["RQF1 GCSE(below grade C) & equivalent", "No Qualification"]
WF_QUALIFICATION_SHARES = [0.02, 0.12, 0.21, 0.06, 0.06, 0.2, 0.18, 0.11, 0.04]
WF_STATUS_SHARES = {"FT": 0.6, "PT": 0.25, "SE": 0.15}
WF_FILE = "working_futures/skills_imperative_2035_england_employment_by_soc2020_submajor.csv"
WF_WORKBOOK = "working_futures/original/skills_imperative_2035_EN_MainTables_values_only.xlsx"


def working_futures_table() -> dict[tuple[str, str], list[float]]:
    """(sex, sub-major group or "all") → emp of WF_YEARS, net change, replacement demand,
    total requirement (thousands); men and women add up to all, groups to all occupations."""
    table: dict[tuple[str, str], list[float]] = {}
    totals = {sex: [0.0] * (len(WF_YEARS) + 3) for sex in ("all", "male", "female")}
    for code in sub_major_codes():
        r = rng("wf", code)
        base, trend = r.uniform(300, 1500), r.uniform(-0.012, 0.025)
        emp = [base * (1 + trend) ** (year - 2015) for year in WF_YEARS]
        net = emp[4] - emp[2]
        replacement = emp[2] * r.uniform(0.3, 0.55)
        values = [*emp, net, replacement, net + replacement]
        male = rng("wf-sex", code).uniform(0.25, 0.75)
        for sex, share in (("all", 1.0), ("male", male), ("female", 1 - male)):
            table[(sex, code)] = [round(v * share, 3) for v in values]
            totals[sex] = [a + b for a, b in zip(totals[sex], table[(sex, code)], strict=True)]
    for sex, values in totals.items():
        table[(sex, "all")] = [round(v, 3) for v in values]
    return table


def write_working_futures(root: Path) -> None:
    """The CSV of the Skills Imperative 2035 England workbook, and the workbook's three
    tables lmi reads (Occ F2 every year, Occ T5 by status, Basic T2 by qualification)."""
    from lmi.synth.xlsx import write_xlsx

    titles = {g["code"]: g["title"] for g in demo_groups("soc2020") if g["level"] == "sub_major"}
    table = working_futures_table()
    rows: list[list[object]] = []
    for sex in ("all", "male", "female"):
        for code in [*sub_major_codes(), "all"]:
            name = "All occupations" if code == "all" else titles[code]
            rows.append(["England", sex, code, name, *table[(sex, code)]])
    header = ["area", "sex", "soc2020_sub_major", "title", *(f"emp_{y}" for y in WF_YEARS)]
    header += ["net_change_2020_2035", "replacement_demand_2020_2035"]
    header += ["total_requirement_2020_2035"]
    write_csv(root / WF_FILE, header, rows)
    write_xlsx(root / WF_WORKBOOK, _wf_workbook(table, titles))


def _wf_every_year(values: list[float]) -> dict[int, float]:
    """Employment each year 2010–2035: the CSV's years exactly, linear between them."""
    known = dict(zip(WF_YEARS, values[: len(WF_YEARS)], strict=True))
    out: dict[int, float] = {}
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


def _wf_workbook(
    table: dict[tuple[str, str], list[float]], titles: dict[str, str]
) -> dict[str, dict[tuple[int, int], str | float | int]]:

    majors = {g["code"]: g["title"] for g in demo_groups("soc2020") if g["level"] == "major"}
    subs = sub_major_codes()
    annual = {code: _wf_every_year(table[("all", code)]) for code in [*subs, "all"]}
    years = range(2010, 2036)
    f2: dict[tuple[int, int], str | float | int] = {(0, 0): "Occupation Figure 2 " + LABEL}
    col = 1
    f2[(3, col)] = "thousands"
    for i, year in enumerate(years):
        f2[(3, col + 1 + i)] = year
    r = 4
    for major, major_title in majors.items():
        members = [s for s in subs if s[0] == major]
        block = [(major_title, {y: sum(annual[s][y] for s in members) for y in years})]
        block += [(f"{s} {titles[s]}", annual[s]) for s in members]
        for label, values in block:
            f2[(r, col)] = label
            for i, year in enumerate(years):
                f2[(r, col + 1 + i)] = round(values[year], 3)
            r += 1
        r += 1
    f2[(r, col)] = "All occupations"
    for i, year in enumerate(years):
        f2[(r, col + 1 + i)] = round(annual["all"][year], 3)
    t5: dict[tuple[int, int], str | float | int] = {}
    for block_no, (sex, label) in enumerate(
        (("all", ""), ("male", "Males: "), ("female", "Females: "))
    ):
        c0 = block_no * 16
        t5[(0, c0)] = f"Occupation Table 5.{block_no}  {label}Employment Change by Status"
        t5[(5, c0)] = "Levels (000s)"
        for j, year in enumerate((2015, 2020, 2035)):
            t5[(4, c0 + 1 + 5 * j)] = year
            for k, status in enumerate(("FT", "PT", "SE", "Total")):
                t5[(5, c0 + 1 + 5 * j + k)] = status
        for i, (major, major_title) in enumerate([*majors.items(), ("all", "All occupations")]):
            row = 7 + i if major != "all" else 17
            members = [s for s in subs if major == "all" or s[0] == major]
            t5[(row, c0)] = major_title
            for j, year in enumerate((2015, 2020, 2035)):
                at = WF_YEARS.index(year)
                total = sum(table[(sex, s)][at] for s in members)
                for k, share in enumerate(WF_STATUS_SHARES.values()):
                    t5[(row, c0 + 1 + 5 * j + k)] = round(total * share, 3)
                t5[(row, c0 + 4 + 5 * j)] = round(total, 3)
    t2: dict[tuple[int, int], str | float | int] = {}
    for q, (name, share) in enumerate(zip(WF_QUALIFICATIONS, WF_QUALIFICATION_SHARES, strict=True)):
        c0 = q * 11
        t2[(0, c0)] = f"Basic Table 2.{q}  Employment Change and Replacement Demand, {name}"
        t2[(5, c0)] = "Levels (000s)"
        for i, year in enumerate(WF_YEARS):
            t2[(5, c0 + 1 + i)] = year
        for i, label in enumerate(("Change", "Demand", "Requirement")):
            t2[(5, c0 + 7 + i)] = label
        for i, code in enumerate([*subs, "all"]):
            published = table[("all", code)]
            r = 7 + i if code != "all" else 7 + len(subs) + 1
            t2[(r, c0)] = "All occupations" if code == "all" else f"{code} {titles[code]}"
            for j in range(len(WF_YEARS)):
                t2[(r, c0 + 1 + j)] = round(published[j] * share, 4)
            net = published[len(WF_YEARS)] * share
            demand = published[len(WF_YEARS) + 1] * share
            t2[(r, c0 + 7)], t2[(r, c0 + 8)] = round(net, 4), round(demand, 4)
            t2[(r, c0 + 9)] = round(net + demand, 4)
    return {"Contents": {(0, 0): "Contents " + LABEL}, "Occ F2": f2, "Occ T5": t5, "Basic T2": t2}


# -- LEO -----------------------------------------------------------------------------------------

LEO_COHORT = {"1 YAG": "2020/2021", "3 YAG": "2018/2019", "5 YAG": "2016/2017"}
LEO_COHORT |= {"10 YAG": "2011/2012"}
LEO_GROWTH = {"1 YAG": 1.0, "3 YAG": 1.2, "5 YAG": 1.38, "10 YAG": 1.62}


def _leo_row(
    cohort: str, yag: str, sex: str, name: str, grads: int, median: float, sustained: float
) -> list[object]:
    included = round(grads * 0.7 / 5) * 5
    quartiles = [int(round(median * q, -2)) for q in (0.72, 1.0, 1.36)]
    return [202223, cohort, yag, sex, name, grads, included, *quartiles, round(sustained, 1)]


def write_leo(root: Path) -> None:
    """Graduate earnings by CAH2 subject, sex and years after graduation (2022-23 tax year)."""
    from lmi.datasets.leo.codes import CAH2_NAMES

    rows: list[list[object]] = []
    for yag, cohort in LEO_COHORT.items():
        for sex, pay in (("Female", 0.93), ("Male", 1.08), ("Total", 1.0)):
            grads_all = 0
            weighted = 0.0
            for code, name in CAH2_NAMES.items():
                r = rng("leo", code)
                grads = r.randint(40, 900) * 5
                if sex != "Total":  # women and men add up to the total
                    female = rng("leo-sex", code).uniform(0.2, 0.8)
                    share = female if sex == "Female" else 1 - female
                    grads = round(grads * share / 5) * 5
                median = r.uniform(20_000, 27_000) * LEO_GROWTH[yag] * pay
                median *= rng("leo-cell", code, yag, sex).uniform(0.97, 1.03)
                grads_all += grads
                weighted += grads * median
                rows.append(_leo_row(cohort, yag, sex, name, grads, median, r.uniform(82, 93)))
            median = weighted / max(grads_all, 1)
            rows.append(_leo_row(cohort, yag, sex, "Total", grads_all, median, 88.0))
    write_csv(
        root / "leo" / "leo_subject_sex_yag_2022_23.csv",
        [
            "time_period",
            "academic_year",
            "YAG",
            "sex",
            "subject_name",
            "grads",
            "earnings_include",
            "earnings_LQ",
            "earnings_median",
            "earnings_UQ",
            "sust_emp_fs_or_both",
        ],
        rows,
    )


# -- subjects (CAH, HECoS, JACS) -------------------------------------------------------------


def cah3_codes() -> list[str]:
    """Two demo CAH3 subjects under each CAH2 subject DfE publishes LEO figures for."""
    from lmi.datasets.leo.codes import CAH2_NAMES

    return [f"{code}-{n:02d}" for code in CAH2_NAMES for n in (1, 2)]


def write_subjects(root: Path) -> None:
    """The CAH hierarchy (CAH2 labels as published, CAH1 and CAH3 invented), and HECoS and
    JACS code lists mapped to it, in the formats of the HESA and ILR files."""
    from lmi.datasets.leo.codes import CAH2_NAMES

    folder = root / "subjects"
    hierarchy: list[list[object]] = []
    for cah1 in sorted({code[:2] for code in CAH2_NAMES}):
        hierarchy.append([cah1, 1, f"subject area {cah1} {LABEL}", ""])
        for cah2 in sorted(c for c in CAH2_NAMES if c.startswith(cah1)):
            hierarchy.append([cah2, 2, CAH2_NAMES[cah2].lower(), cah1])
            hierarchy += [
                [c, 3, f"subject {c} {LABEL}", cah2] for c in cah3_codes() if c[:5] == cah2
            ]
    write_csv(
        folder / "cah_hierarchy_from_hecos_mapping.csv",
        ["cah_code", "level", "cah_label", "parent"],
        hierarchy,
    )
    labels = {str(row[0]): str(row[2]) for row in hierarchy}
    hecos = []
    jacs = []
    ilr = []
    for i, cah3 in enumerate(cah3_codes()):
        cah2, cah1 = cah3[:5], cah3[:2]
        hecos.append([100_000 + i, f"hecos subject {100_000 + i} {LABEL}", cah3, labels[cah3]])
        hecos[-1] += [cah2, labels[cah2], cah1, labels[cah1]]
        letter = chr(ord("A") + i // 10)
        principal, detailed = f"{letter}{i % 10}", f"{letter}{i % 10}00"
        area = f"JACS area {letter} {LABEL}"
        jacs.append([ord(letter) - 64, area, principal, f"JACS {principal} {LABEL}", letter, area])
        jacs[-1] += [detailed, f"JACS {detailed} {LABEL}", f"JACS {detailed} {LABEL}"]
        ilr.append([detailed, f"JACS {detailed} {LABEL}", f"CAH{cah3}", labels[cah3]])
    write_csv(
        folder / "original" / "HECoS_CAH_Mappings.csv",
        ["HECoS_Code", "HECoS_Label", "CAH3_Code", "CAH3_Label", "CAH2_Code", "CAH2_Label"]
        + ["CAH1_Code", "CAH1_Label"],
        hecos,
    )
    write_csv(
        folder / "original" / "flatJACS_3.0.csv",
        [
            "area_code_per_principal_codes_website",
            "JACS_3.0_subject_area",
            "principal_code",
            "JACS_3.0_principal_subject",
            "area_code_per_detailed_codes_website",
            "area_per_detailed_codes_website",
            "detailed_code",
            "JACS_3.0_detailed_subject",
            "flatJACS_3.0_detailed_subject",
        ],
        jacs,
    )
    write_csv(
        folder / "jacs_to_cah3_from_ilr_mapping.csv",
        ["JACS", "JACS specific title", "CAH3 code", "CAH3 name"],
        ilr,
    )


# -- O*NET descriptors (skills and knowledge) --------------------------------------------------

ONET_SKILLS = {
    "2.A.1.a": "Reading Comprehension",
    "2.A.1.e": "Mathematics",
    "2.A.2.a": "Critical Thinking",
    "2.B.1.a": "Social Perceptiveness",
    "2.B.2.i": "Complex Problem Solving",
    "2.B.3.e": "Programming",
    "2.B.4.e": "Judgment and Decision Making",
    "2.B.5.a": "Time Management",
}
ONET_KNOWLEDGE = {
    "2.C.1.a": "Administration and Management",
    "2.C.3.a": "Computers and Electronics",
    "2.C.4.a": "Mathematics",
    "2.C.6": "Medicine and Dentistry",
    "2.C.7.a": "English Language",
    "2.C.9.b": "Communications and Media",
}


ONET_ABILITIES = {"1.A.1.a.1": "Oral Comprehension", "1.A.1.b.4": "Deductive Reasoning"}
ONET_ABILITIES |= {"1.A.2.a.2": "Manual Dexterity", "1.A.4.a.1": "Near Vision"}
ONET_ACTIVITIES = {"4.A.1.a.1": "Getting Information", "4.A.2.b.2": "Thinking Creatively"}
ONET_ACTIVITIES |= {"4.A.3.a.1": "Performing General Physical Activities"}
ONET_ACTIVITIES |= {"4.A.4.a.1": "Interpreting the Meaning of Information for Others"}
ONET_STYLES = {"1.C.1.a": "Achievement/Effort", "1.C.3.a": "Cooperation"}
ONET_STYLES |= {"1.C.5.a": "Dependability", "1.C.7.a": "Innovation"}
ONET_VALUES = {"1.B.2.a": "Achievement", "1.B.2.c": "Relationships", "1.B.2.f": "Independence"}
RIASEC = {"1.B.1.a": "Realistic", "1.B.1.b": "Investigative", "1.B.1.c": "Artistic"}
RIASEC |= {"1.B.1.d": "Social", "1.B.1.e": "Enterprising", "1.B.1.f": "Conventional"}
HIGH_POINTS = {"1.B.1.g": "First Interest High-Point", "1.B.1.h": "Second Interest High-Point"}
HIGH_POINTS |= {"1.B.1.i": "Third Interest High-Point"}
EDUCATION = "2.D.1"
ONET_SCALES_ALL = (
    ("EX", "Extent", 1, 7),
    ("IH", "Occupational Interest High-Point", 0, 6),
    ("IM", "Importance", 1, 5),
    ("LV", "Level", 0, 7),
    ("OI", "Occupational Interests", 1, 7),
    ("RL", "Required Level Of Education (Categories 1-12)", 0, 100),
)
_RATED = ["N", "Standard Error", "Lower CI Bound", "Upper CI Bound", "Recommend Suppress"]


def write_onet_descriptors(root: Path) -> None:
    """Every O*NET descriptor file lmi reads, for every demo O*NET occupation."""
    folder = root / "onet"
    text = folder / "original" / "db_29_0_text"
    elements = {**ONET_SKILLS, **ONET_KNOWLEDGE, **ONET_ABILITIES, **ONET_ACTIVITIES}
    elements |= {**ONET_STYLES, **ONET_VALUES, **RIASEC, **HIGH_POINTS}
    elements[EDUCATION] = "Required Level of Education"
    write_tsv(
        text / "Content Model Reference.txt",
        ["Element ID", "Element Name", "Description"],
        [[k, v, f"{v}: SYNTHETIC DEMO description."] for k, v in elements.items()],
    )
    write_tsv(
        text / "Scales Reference.txt",
        ["Scale ID", "Scale Name", "Minimum", "Maximum"],
        ONET_SCALES_ALL,
    )
    _write_skills_knowledge(folder)
    _write_rated(text / "Abilities.txt", ONET_ABILITIES, with_level=True, not_relevant=True)
    _write_rated(text / "Work Activities.txt", ONET_ACTIVITIES, with_level=True, not_relevant=True)
    _write_rated(text / "Work Styles.txt", ONET_STYLES, with_level=False, not_relevant=False)
    _write_interests_values(text)
    _write_zones_education(text)
    _write_tasks_technology_related(folder)


def _write_skills_knowledge(folder: Path) -> None:
    header = ["onet_soc_code", "title", "element_id", "element_name", "scale_id", "data_value"]
    header += ["n", "standard_error", "lower_ci_bound", "upper_ci_bound", "recommend_suppress"]
    header += ["not_relevant", "date", "domain_source"]
    for name, found in (("skills", ONET_SKILLS), ("knowledge", ONET_KNOWLEDGE)):
        rows: list[list[object]] = []
        for code in onet_codes():
            for element, label in found.items():
                importance, level = _rating(code, element)
                rows.append([code, title("O*NET occupation", code), element, label, "IM"])
                rows[-1] += [f"{importance:.2f}", 8, "0.2000", "n/a", "n/a", "N", "n/a"]
                rows[-1] += ["08/2024", "Analyst"]
                rows.append([code, title("O*NET occupation", code), element, label, "LV"])
                rows[-1] += [f"{level:.2f}", 8, "0.2500", "n/a", "n/a", "N", "N"]
                rows[-1] += ["08/2024", "Analyst"]
        write_csv(folder / f"onet_{name}_db29_0.csv", header, rows)


def _rating(code: str, element: str) -> tuple[float, float]:
    """(importance 1–5, level 0–7) of an element for an occupation; level follows importance."""
    r = rng("onet", code, element)
    importance = r.uniform(1.5, 4.8)
    return importance, min(7.0, importance * r.uniform(0.9, 1.4))


def _write_rated(
    path: Path, found: dict[str, str], *, with_level: bool, not_relevant: bool
) -> None:
    """A ratings file in O*NET's text layout (importance, and level when the file has it)."""
    header = ["O*NET-SOC Code", "Element ID", "Element Name", "Scale ID", "Data Value", *_RATED]
    header += ["Not Relevant"] if not_relevant else []
    header += ["Date", "Domain Source"]
    rows: list[list[object]] = []
    for code in onet_codes():
        for element, label in found.items():
            importance, level = _rating(code, element)
            scales = (
                [("IM", importance, "n/a"), ("LV", level, "N")]
                if with_level
                else [("IM", importance, "n/a")]
            )
            for scale, value, relevant in scales:
                row: list[object] = [code, element, label, scale, f"{value:.2f}", 20]
                row += ["0.1500", "n/a", "n/a", "N"]
                row += [relevant] if not_relevant else []
                rows.append([*row, "08/2024", "Analyst"])
    write_tsv(path, header, rows)


def _write_interests_values(text: Path) -> None:
    rows: list[list[object]] = []
    values: list[list[object]] = []
    for code in onet_codes():
        scores = {e: rng("riasec", code, e).uniform(1.0, 7.0) for e in RIASEC}
        order = sorted(RIASEC, key=lambda e: -scores[e])
        for element, label in RIASEC.items():
            rows.append([code, element, label, "OI", f"{scores[element]:.2f}"])
            rows[-1] += ["11/2023", "Machine Learning"]
        for (element, label), top in zip(HIGH_POINTS.items(), order, strict=False):
            point = list(RIASEC).index(top) + 1
            rows.append([code, element, label, "IH", f"{point:.2f}", "11/2023", "Machine Learning"])
        for element, label in ONET_VALUES.items():
            value = rng("values", code, element).uniform(2.0, 6.5)
            values.append([code, element, label, "EX", f"{value:.2f}", "06/2008", "Analyst"])
    header = ["O*NET-SOC Code", "Element ID", "Element Name", "Scale ID", "Data Value"]
    write_tsv(text / "Interests.txt", [*header, "Date", "Domain Source"], rows)
    write_tsv(text / "Work Values.txt", [*header, "Date", "Domain Source"], values)


def _write_zones_education(text: Path) -> None:
    write_tsv(
        text / "Job Zone Reference.txt",
        ["Job Zone", "Name", "Experience", "Education", "Job Training", "Examples", "SVP Range"],
        [
            [z, f"Job Zone {z}", LABEL, LABEL, LABEL, LABEL, f"({z + 3}.0 to < {z + 4}.0)"]
            for z in range(1, 6)
        ],
    )
    zones = []
    education: list[list[object]] = []
    for code in onet_codes():
        zone = rng("zone", code).randint(1, 5)
        zones.append([code, zone, "08/2023", "Analyst"])
        shares = [
            rng("edu", code, c).uniform(0.1, 1.0) * (1 + (c // 3 == zone)) for c in range(1, 13)
        ]
        total = sum(shares)
        for category, share in enumerate(shares, start=1):
            education.append([code, EDUCATION, "Required Level of Education", "RL", category])
            education[-1] += [f"{share / total * 100:.2f}", 28, "4.1428", "n/a", "n/a", "N"]
            education[-1] += ["08/2023", "Incumbent"]
    write_tsv(
        text / "Job Zones.txt", ["O*NET-SOC Code", "Job Zone", "Date", "Domain Source"], zones
    )
    header = ["O*NET-SOC Code", "Element ID", "Element Name", "Scale ID", "Category"]
    header += ["Data Value", *_RATED, "Date", "Domain Source"]
    write_tsv(text / "Education, Training, and Experience.txt", header, education)
    write_tsv(
        text / "Education, Training, and Experience Categories.txt",
        ["Element ID", "Element Name", "Scale ID", "Category", "Category Description"],
        [
            [EDUCATION, "Required Level of Education", "RL", c, f"Education level {c} {LABEL}"]
            for c in range(1, 13)
        ],
    )


def _write_tasks_technology_related(folder: Path) -> None:
    codes = onet_codes()
    tasks: list[list[object]] = []
    technology: list[list[object]] = []
    related: list[list[object]] = []
    for i, code in enumerate(codes):
        for n in range(5):
            task = f"Does demo task {n + 1} of {code} {LABEL}."
            tasks.append([code, 100_000 + i * 5 + n, task, "Core" if n < 3 else "Supplemental"])
            tasks[-1] += [30, "08/2023", "Incumbent"]
        for n in range(3):
            commodity = 43_232_400 + rng("tech", code, n).randint(1, 9)
            technology.append([code, f"Demo software {commodity % 100}-{n} {LABEL}", commodity])
            technology[-1] += [f"Demo commodity {commodity} {LABEL}", "Y" if n == 0 else "N", "N"]
        for n in range(1, 4):
            related.append([code, codes[(i + n) % len(codes)], "Primary-Short", n])
    write_tsv(
        folder / "original" / "Task Statements.txt",
        ["O*NET-SOC Code", "Task ID", "Task", "Task Type", "Incumbents Responding", "Date"]
        + ["Domain Source"],
        tasks,
    )
    text = folder / "original" / "db_29_0_text"
    write_tsv(
        text / "Technology Skills.txt",
        ["O*NET-SOC Code", "Example", "Commodity Code", "Commodity Title", "Hot Technology"]
        + ["In Demand"],
        technology,
    )
    write_tsv(
        text / "Related Occupations.txt",
        ["O*NET-SOC Code", "Related O*NET-SOC Code", "Relatedness Tier", "Index"],
        related,
    )


# -- graduate outcomes, HESA destinations -------------------------------------------------------


def _cah_codes() -> list[str]:
    """Every demo CAH code: CAH1, CAH2 and CAH3."""
    cah3 = cah3_codes()
    cah2 = sorted({c[:5] for c in cah3})
    return sorted({c[:2] for c in cah3}) + cah2 + cah3


def write_graduate_outcomes(root: Path) -> None:
    """Discover Uni's GOSECSAL (salaries 15 months on) and LEO3SEC/LEO5SEC by CAH subject."""
    from lmi.datasets.graduate_outcomes.formats import GO_AREAS, LEO_AREAS

    folder = root / "graduate_outcomes" / "original" / "discover_uni_v7.4"
    rows: list[list[object]] = []
    for code in _cah_codes():
        row: list[object] = [f"CAH{code}", "01", "03"]
        for area in GO_AREAS:
            median = rng("go", code[:5]).uniform(22_000, 30_000) * rng("go", area).uniform(0.9, 1.1)
            pop = rng("go-pop", code, area).randint(20, 2000) * 5
            row += [_hundreds(median * 0.82), _hundreds(median), _hundreds(median * 1.2), pop]
        rows.append(row)
    header = ["GOSECSBJ", "KISMODE", "KISLEVEL"]
    for area in GO_AREAS:
        header += [f"GOSECLQ_{area}", f"GOSECMED_{area}", f"GOSECUQ_{area}", f"GOSECPOP_{area}"]
    write_csv(folder / "GOSECSAL.csv", header, rows)
    for years in (3, 5):
        rows = []
        for code in _cah_codes():
            row = [f"CAH{code}", "01", "03"]
            for area in LEO_AREAS:
                median = rng("leo-du", code[:5]).uniform(24_000, 32_000) * (1 + years / 25)
                median *= rng("leo-du", area).uniform(0.9, 1.1)
                pop = rng("leo-du-pop", code, area, years).randint(20, 2000) * 5
                row += [pop, _hundreds(median * 0.75), _hundreds(median), _hundreds(median * 1.3)]
            rows.append(row)
        header = [f"LEO{years}SECSBJ", "KISMODE", "KISLEVEL"]
        for area in LEO_AREAS:
            header += [f"LEO{years}SECPOP_{area}", f"LEO{years}LQ_{area}"]
            header += [f"LEO{years}MED_{area}", f"LEO{years}UQ_{area}"]
        write_csv(folder / f"LEO{years}SEC.csv", header, rows)
    jobs: list[list[object]] = []
    for i, code in enumerate(cah3_codes()):
        for n in range(3):  # three invented courses per subject, at invented providers
            r = rng("jobtype", code, n)
            provider = f"{10_099_000 + (i * 3 + n) % 40:08d}"
            population = r.randint(20, 200)
            responses = round(population * r.uniform(0.4, 0.7))
            professional = r.randint(45, 90)
            other = r.randint(0, 100 - professional)
            jobs.append([provider, provider, f"DEMO-{code}-{n}", "01", 0, population, responses])
            jobs[-1] += [population, round(responses / population * 100), 21, "2021-22"]
            jobs[-1] += ["2021-22", "", f"CAH{code}", professional, other]
            jobs[-1].append(100 - professional - other)
    write_csv(
        folder / "JOBTYPE.csv",
        [
            "PUBUKPRN",
            "UKPRN",
            "KISCOURSEID",
            "KISMODE",
            "JOBUNAVAILREASON",
            "JOBPOP",
            "JOBRESPONSE",
            "JOBSAMPLE",
            "JOBRESP_RATE",
            "JOBAGG",
            "JOBAGGYEAR",
            "JOBYEAR1",
            "JOBYEAR2",
            "JOBSBJ",
            "PROFMAN",
            "OTHERJOB",
            "UNKWN",
        ],
        jobs,
    )


def _hundreds(value: float) -> int:
    """Money rounded to £100, written as a whole number."""
    return int(round(value, -2))


def write_hesa_destinations(root: Path) -> None:
    """Graduates in employment by SOC 2020 occupation and CAH2 subject (HESA's table layout)."""

    titles = {g["code"]: g["title"] for g in demo_groups("soc2020")}
    units = unit_codes()
    lines = [
        ["Title", "SYNTHETIC DEMO - graduates in employment by occupation (SOC 2020) and subject"],
        ["Data source", "lmi synthetic demo (invented figures, not HESA data)"],
        ["Data source link", "https://github.com/"],
        ["Licence", "synthetic data generated by lmi"],
        ["Disclaimer", "Invented figures; not HESA data."],
        ["Last updated", "synthetic"],
    ]
    header = [
        "Academic year",
        "Level of qualification obtained",
        "Mode of former study",
        "CAH level marker",
        "CAH level subject",
        "SOC marker",
        "Standard Occupational Classification",
        "Number",
        "Percent",
    ]
    rows: list[list[object]] = []
    labels = _cah2_labels()
    for cah2, label in labels.items():
        subject = ["2021/22", "All", "All", "CAH level 2", f"(CAH{cah2}) {label}"]
        r = rng("hesa", cah2)
        total = r.randint(200, 4000) * 5
        rows.append([*subject, "Total", "Total", total, "100%"])
        picks = r.sample(units, 6)
        shares = sorted((r.uniform(0.04, 0.15) for _ in picks), reverse=True)  # < 100% in all
        for code, share in zip(picks, shares, strict=True):
            count = round(total * share / 5) * 5
            rows.append([*subject, "SOC 2020 unit group", f"{code} {titles[code]}", count])
            rows[-1].append(f"{count / total * 100:.1f}%")
    path = root / "hesa_destinations" / "graduate_outcomes_occupation_by_subject.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\n")
        writer.writerows(lines)
        writer.writerow([])
        writer.writerow(header)
        writer.writerows(rows)


def _cah2_labels() -> dict[str, str]:
    from lmi.datasets.leo.codes import CAH2_NAMES

    return {code: name.lower() for code, name in CAH2_NAMES.items()}


# -- LFS unemployment by previous occupation ----------------------------------------------------

LFS_MAJOR_TITLES = {
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


def write_lfs(root: Path) -> None:
    """Unemployment by previous occupation (major groups), by year, sex, age band and area."""
    from lmi.datasets.lfs_unemployment.formats import AREAS
    from lmi.synth.labour import _MAJOR_RATE

    ages = {"16+": 1.0, "16-24": 2.6, "25-34": 1.1, "35-49": 0.8, "50-64": 0.8, "65+": 0.7}
    rows: list[list[object]] = []
    for year in range(2015, 2025):
        for code, occupation in [("all", "All occupations"), *LFS_MAJOR_TITLES.items()]:
            base = 3.8 if code == "all" else _MAJOR_RATE[code]
            for sex, sex_factor in (("People", 1.0), ("Men", 1.06), ("Women", 0.93)):
                for age, age_factor in ages.items():
                    for area_code, area in AREAS.items():
                        if age != "16+" and area_code != "K02000001":
                            continue  # age bands for the UK only, as in the ONS table
                        size = 33_000 if area_code == "K02000001" else 2_500
                        active = (
                            size
                            * (0.11 if code != "all" else 1.0)
                            * (0.16 if age != "16+" else 1.0)
                        )
                        rate = base * sex_factor * age_factor
                        rate *= rng("lfs", year, code, sex, age, area_code).uniform(0.85, 1.15)
                        unemployed = active * rate / 100
                        rows.append(
                            [f"Jan-Dec {year}", "SOC2020", code, occupation, sex, age, area_code]
                            + [area, round(unemployed), round(active), round(rate, 1)]
                        )
    write_csv(
        root / "lfs_unemployment" / "lfs_unemployment_by_previous_occupation.csv",
        [
            "period",
            "soc_version",
            "occupation_code",
            "occupation",
            "sex",
            "age",
            "area_code",
            "area",
            "unemployed",
            "economically_active",
            "rate",
        ],
        rows,
    )


# -- Census 2021 (TS063 occupation, TS058 distance to work) --------------------------------------


def write_census(root: Path) -> None:
    """Both topics for the English regions and 20 invented local authorities, with the counts
    of :mod:`lmi.synth.labour` (England-like shares varied per area).

    lmi holds no list of real local-authority GSS codes, so the demo's are invented in the
    unused ``E99`` range (``E99000001`` …), never a real area's code.
    """
    from lmi.classification.areas import REGIONS as AREA_REGIONS
    from lmi.datasets.census.formats import DISTANCE, OCCUPATION, TOTAL
    from lmi.synth.labour import area_distance, area_occupations

    levels = {
        "rgn": [(a.code, a.name, "region") for a in AREA_REGIONS],
        "ltla": [(f"E99{n:06d}", f"Demo district {n} {LABEL}", "la") for n in range(1, 21)],
    }
    for topic, counts in ((OCCUPATION, area_occupations), (DISTANCE, area_distance)):
        categories = [k for k in topic.categories if k != "all"]
        header = ["date", "geography", "geography code", f"{topic.name}: {TOTAL}"]
        header += [f"{topic.name}: {topic.categories[k]}" for k in categories]
        for level, areas in levels.items():
            rows: list[list[object]] = []
            for code, name, kind in areas:
                total, parts = counts(f"demo-{code}", kind)
                rows.append([2021, name, code, total, *(parts[k] for k in categories)])
            write_csv(root / "census2021" / f"census2021-{topic.code}-{level}.csv", header, rows)


# -- APS employment, apprenticeship standards, SIC 2007 -------------------------------------------


def write_aps(root: Path) -> None:
    """Employment by SOC 2010 sub-major group for England and the LEPs (Nomis table T09a)."""
    from lmi.classification.areas import LEPS

    titles = [g["title"] for g in demo_groups("soc2010") if g["level"] == "sub_major"]
    areas = [("country", "England", 27.0)]
    areas += [
        ("lep", lep.name, rng("aps", lep.code).uniform(0.3, 2.5)) for lep in LEPS if lep.current
    ]
    rows: list[list[object]] = []
    for year in range(2019, 2022):  # three years keep the demo quick to build
        for n, title_ in enumerate(titles, start=1):
            for area_type, area, scale in areas:
                base = rng("aps", title_).uniform(15_000, 60_000) * scale * (1.01 ** (year - 2015))
                for population, share in (("All people", 1.0), ("Males", 0.52), ("Females", 0.48)):
                    full = round(base * share * 0.74, -2)
                    part = round(base * share * 0.26, -2)
                    for pattern, value in (
                        ("All people", full + part),
                        ("Full-time", full),
                        ("Part-time", part),
                    ):
                        conf = round(value * 0.08 + 400, -2)
                        rows.append([year, f"T09a:{n}", population, title_, pattern, area_type])
                        rows[-1] += [area, int(value), int(conf)]
    write_csv(
        root / "aps" / "aps_t09a_employment_by_soc2010_submajor_england_lep_2015_2021.csv",
        [
            "year",
            "cell",
            "population",
            "soc2010_sub_major_title",
            "working_pattern",
            "area_type",
            "area",
            "value",
            "conf_95",
        ],
        rows,
    )


def write_apprenticeships(root: Path) -> None:
    """60 invented apprenticeship standards, each coded to one or two demo unit groups."""
    from lmi.datasets.apprenticeships.formats import LEVELS, ROUTES

    units = unit_codes()
    rows: list[list[object]] = []
    for n in range(1, 61):
        r = rng("apprenticeship", n)
        socs = sorted(r.sample(units, r.randint(1, 2)))
        name = f"Demo standard {n} {LABEL}"
        rows.append([f"ST{9000 + n:04d}", name, "1.0", r.choice(LEVELS), r.choice(ROUTES)])
        rows[-1] += ["Approved for delivery", r.choice((12, 18, 24, 36, 48)), 900 + n]
        rows[-1] += ["|".join(socs), "|".join(socs), f"Demo apprentice {n} {LABEL}"]
    write_csv(
        root / "apprenticeships" / "apprenticeship_standards.csv",
        [
            "referenceNumber",
            "title",
            "version",
            "level",
            "route",
            "status",
            "typicalDuration",
            "larsCode",
            "soc2010",
            "soc2020",
            "typicalJobTitles",
        ],
        rows,
    )


def _spread(total: int, parents: int) -> list[int]:
    """``total`` children shared as evenly as possible among ``parents``."""
    return [total // parents + (1 if i < total % parents else 0) for i in range(parents)]


def write_sic2007(root: Path) -> None:
    """An invented SIC 2007 with the published count at each level (the loader checks them)."""
    from lmi.datasets.sic2007.checks import SIC2007_COUNTS

    counts = SIC2007_COUNTS
    rows: list[list[object]] = []
    sections = [chr(ord("A") + i) for i in range(counts["section"])]
    divisions = _spread(counts["division"], len(sections))
    groups = iter(_spread(counts["group"], counts["division"]))
    classes = iter(_spread(counts["class"], counts["group"]))
    subclassed = counts["subclass"]
    number = 0
    for section, n_divisions in zip(sections, divisions, strict=True):
        rows.append([f"{section}xxxxx", section, "section", section, "", title("Section", section)])
        for _ in range(n_divisions):
            number += 1
            division = f"{number:02d}"
            rows.append([f"{section}{division}xxx", section, "division", division, division])
            rows[-1].append(title("Division", division))
            for g in range(1, next(groups) + 1):
                group = f"{division}.{g}"
                rows.append(
                    [f"{section}{division}{g}xx", section, "group", group, group[:2] + group[3:]]
                )
                rows[-1].append(title("Group", group))
                for c in range(1, next(classes) + 1):
                    klass = f"{group}{c}"
                    digits = klass.replace(".", "")
                    rows.append([f"{section}{digits}x", section, "class", klass, digits])
                    rows[-1].append(title("Class", klass))
                    if subclassed:
                        subclassed -= 1
                        sub = f"{klass}/1"
                        rows.append([f"{section}{digits}1", section, "subclass", sub, digits + "1"])
                        rows[-1].append(title("Subclass", sub))
    write_csv(
        root / "sic2007" / "sic2007_structure.csv",
        ["key", "section", "level", "code", "code_digits", "title", "detail", "includes"]
        + ["excludes"],
        [[*row, "", "", ""] for row in rows],
    )


Writer = Callable[[Path], None]

#: dataset folder → writer; each writes its files under the source root
DEMO_SOURCE_WRITERS: dict[str, Writer] = {
    "soc_crosswalks": write_crosswalks,
    "isco": write_isco,
    "onet": write_onet_occupations,
    "regions": write_regions,
    "ashe": write_ashe,
    "employer_skills_survey": write_ess,
    "working_futures": write_working_futures,
    "leo": write_leo,
    "subjects": write_subjects,
    "onet_descriptors": write_onet_descriptors,
    "graduate_outcomes": write_graduate_outcomes,
    "hesa_destinations": write_hesa_destinations,
    "lfs_unemployment": write_lfs,
    "census2021": write_census,
    "aps": write_aps,
    "apprenticeships": write_apprenticeships,
    "sic2007": write_sic2007,
}


#: writer → the datasets its files feed (a dataset not listed has the writer's name)
FEEDS: dict[str, tuple[str, ...]] = {
    "onet": ("onet_occupations",),
    "onet_descriptors": (
        "onet_reference",
        "onet_skills",
        "onet_knowledge",
        "onet_abilities",
        "onet_work_activities",
        "onet_work_styles",
        "onet_work_values",
        "onet_interests",
        "onet_job_zones",
        "onet_education",
        "onet_technology_skills",
        "onet_tasks",
        "onet_related_occupations",
    ),
    "census2021": ("census_occupation", "census_distance"),
}


def write_demo_sources(root: Path, datasets: Collection[str] | None = None) -> Path:
    """The demo source files under ``root`` (those of ``datasets``, or all); returns ``root``."""
    for name, writer in DEMO_SOURCE_WRITERS.items():
        if datasets is None or set(FEEDS.get(name, (name,))) & set(datasets):
            writer(root)
    return root
