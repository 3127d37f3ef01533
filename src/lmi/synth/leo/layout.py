"""The tables of synthetic LEO in the standard-extract layout: names, columns, types, coverage.

Follows the public description of the LEO Iteration 2 standard extract as seen in the ONS
Secure Research Service (DfE's variable request form and researchers' SQL; summarised in the
project's reference ``leo-standard-extract.md``). Each column says whether its name and type are
``verified`` there or ``inferred`` (a guess the generator states in its metadata and reports).

One **physical table** per entry (one Parquet and one CSV file each, one SQLite table
``<database>__<name>``); the SQLite file adds **views** named as in the SRS. Tables that the SRS
splits by year (``spring_census_YYYY``, ``hesa_YYYY``) are one long physical table with a year
column, and one view per year holding only the columns of that year's era (e.g. ``HE_DATELEFT``
to 2006/07, ``HE_ENDDATE`` after; census fields suffixed ``_spr<yy>``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, overload

import numpy.typing as npt
import pyarrow as pa

__all__ = [
    "DATABASES",
    "TABLES",
    "Column",
    "Table",
    "arrow_schema",
    "table",
    "tax_year_code",
]

#: the SRS databases (``<database>.<project schema>.<view>``)
DATABASES = ("LEO_i2", "npd_i2", "LILR_i2", "hesa_i2")


@overload
def tax_year_code(start: int) -> int: ...


@overload
def tax_year_code(start: npt.NDArray[Any]) -> npt.NDArray[Any]: ...


def tax_year_code(start: Any) -> Any:
    """HMRC/DWP six-digit tax year: 2004 → 200405 (6 April 2004 to 5 April 2005); of one
    year or of every year of an array."""
    return start * 100 + (start + 1) % 100


@dataclass(frozen=True)
class Column:
    """A column: its SQL Server type, Arrow type, the years it is populated and its status."""

    name: str
    sql: str
    arrow: pa.DataType
    #: academic or tax years (start year) in which the column exists; None: every year
    first: int | None = None
    last: int | None = None
    #: "verified" in the reference, or "inferred" (name or type a guess)
    status: str = "verified"
    key: bool = False
    #: the code list values the generator draws from when it does not derive the column
    #: (with ``shares``; uniform when empty), or ``span`` (lowest, highest) for numbers
    codes: tuple[Any, ...] = ()
    shares: tuple[float, ...] = ()
    span: tuple[float, float] | None = None
    null_share: float = 0.0

    def in_year(self, year: int) -> bool:
        return (self.first is None or year >= self.first) and (
            self.last is None or year <= self.last
        )


@dataclass(frozen=True)
class Table:
    """A physical table of the extract."""

    database: str
    name: str
    grain: str
    columns: tuple[Column, ...]
    #: years covered (start year of the academic or tax year), inclusive
    coverage: tuple[int, int]
    #: the column holding the year of a per-year table (views ``<view_prefix><YYYY>``)
    per_year: str | None = None
    view_prefix: str | None = None
    #: census-style column suffix in the per-year views (``_spr`` → ``_spr11``)
    suffix: str | None = None
    status: str = "verified"
    note: str = ""
    #: text after the year in per-year view names (``Absence_2015_3term``)
    view_after: str = ""
    #: (first start year, last start year, view prefix, text after the year, column suffix):
    #: other names in those years (``plasc_2003`` with ``_03`` columns)
    view_eras: tuple[tuple[int, int, str, str, str | None], ...] = ()
    #: start years inside the coverage with no rows and no view (COVID: no summer census 2019/20)
    skip_years: tuple[int, ...] = ()
    #: years that are tax years (``leo_*``) rather than academic years
    tax: bool = False

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def sqlite_name(self) -> str:
        return f"{self.database}__{self.name}"

    def views(self) -> dict[str, tuple[int | None, list[tuple[str, str]]]]:
        """SRS view name → (year or None, [(physical column, view column)])."""
        if self.per_year is None:
            return {self.name: (None, [(c.name, c.name) for c in self.columns])}
        found: dict[str, tuple[int | None, list[tuple[str, str]]]] = {}
        first, last = self.coverage
        for start in range(first, last + 1):
            if start in self.skip_years:
                continue
            end = start + 1  # views are named by the year the academic year ends
            prefix, after, suffix = self.view_prefix, self.view_after, self.suffix
            for era_first, era_last, era_prefix, era_after, era_suffix in self.view_eras:
                if era_first <= start <= era_last:
                    prefix, after, suffix = era_prefix, era_after, era_suffix
            columns = []
            for c in self.columns:
                if c.name == self.per_year or not c.in_year(start):
                    continue
                alias = f"{c.name}{suffix}{end % 100:02d}" if suffix is not None else c.name
                columns.append((c.name, alias))
            found[f"{prefix}{end}{after}"] = (end, columns)
        return found


def _c(name: str, sql: str, arrow: pa.DataType, **kw: object) -> Column:
    return Column(name, sql, arrow, **kw)  # type: ignore[arg-type]


S, I8, I16, I32, I64, D = pa.string(), pa.int8(), pa.int16(), pa.int32(), pa.int64(), pa.date32()
F = pa.float64()
INF = "inferred"

YN = (0, 1)
SEC = tuple("ABCDEFGHIJKLMNOPQRSTU")


def _census_columns(full: bool) -> tuple[Column, ...]:
    """School census columns: the defaults every term; by-request items in spring only."""
    defaults = (
        _c("PupilMatchingRefAnonymous", "varchar(18)", S, key=True),
        _c("RecordStatus", "int", I16),
        _c("AcademicYear", "varchar(9)", S),
        _c("CensusDate", "date", D),
        _c("CensusTerm", "varchar(3)", S, status=INF),
        _c("OnRoll", "bit", I8, first=2008),
        _c("PHASE", "varchar(2)", S, status=INF),
        _c("EnrolStatus", "char(1)", S),
        _c("NCyearActual", "varchar(2)", S),
        _c("EntryDate", "date", D),
        _c("LeavingDate", "date", D),
    )
    by_request = (
        _c("Gender", "char(1)", S),
        _c("YearOfBirth", "int", I16),
        _c("MonthOfBirth", "int", I8),
        _c("AgeAtStartOfAcademicYear", "int", I8),
        _c("EthnicGroupMajor", "varchar(4)", S),
        _c("EthnicGroupMinor", "varchar(4)", S, status=INF),
        _c("FSMeligible", "bit", I8),
        _c("EVERFSM_6", "bit", I8, first=2016),
        _c("EVERFSM_ALL", "bit", I8),
        _c("SENprovision", "char(1)", S),
        _c(
            "PrimarySENtype",
            "varchar(4)",
            S,
            status=INF,
            codes=("SPLD", "MLD", "SLD", "PMLD", "SEMH", "SLCN", "HI", "VI", "MSI", "PD", "ASD"),
        ),
        _c(
            "FirstLanguage",
            "varchar(3)",
            S,
            status=INF,
            codes=("ENG", "OTH", "UNC"),
            shares=(0.82, 0.16, 0.02),
        ),
        _c("LSOA01", "varchar(9)", S, last=2013),
        _c("LSOA11", "varchar(9)", S, first=2012),
        _c("IDACIScore", "decimal(4,3)", F, last=2014, status=INF, span=(0.0, 0.99)),
        _c("IDACIRank", "int", I32, last=2014, status=INF, span=(1, 32844)),
    )
    areas = (
        _c("LA_anon", "varchar(10)", S, status=INF),
        _c("LAEstab_anon", "varchar(10)", S, status=INF),
        _c("URN_anon", "varchar(10)", S, status=INF),
    )
    if full:
        return (*defaults, *by_request, *areas, _c("CensusYear", "int", I16, status=INF))
    return (
        *defaults,
        _c("FSMeligible", "bit", I8),
        _c("SENprovision", "char(1)", S),
        *areas,
        _c("CensusYear", "int", I16, status=INF),
    )


def _npd_key(prefix: str, *rest: Column, acadyr: bool = True) -> tuple[Column, ...]:
    """``<prefix>_PupilMatchingRefAnonymous`` (verified for KS2, KS4, KS5 and NCCIS) and
    ``<prefix>_ACADYR``, then ``rest``."""
    status = "verified" if prefix in ("KS2", "KS4", "KS5", "NCCIS") else INF
    cols = [_c(f"{prefix}_PupilMatchingRefAnonymous", "varchar(18)", S, key=True, status=status)]
    if acadyr:
        cols.append(_c(f"{prefix}_ACADYR", "varchar(9)", S, status=INF))
    return (*cols, *rest)


def _n(
    prefix: str, first: int | None, last: int | None, sql: str, arrow: pa.DataType, **kw: object
) -> tuple[Column, ...]:
    """``<prefix>1`` … ``<prefix>4`` (HESA's repeated subject fields): only the first drawn."""
    return tuple(_c(f"{prefix}{i}", sql, arrow, first=first, last=last, **kw) for i in range(1, 5))


_LEVELS = ("W", "1", "2", "3", "4", "5", "6", "A", "B", "N", "T", "X")
_LEVEL_SHARES = (0.01, 0.02, 0.1, 0.25, 0.35, 0.2, 0.01, 0.01, 0.01, 0.01, 0.01, 0.02)

TABLES: tuple[Table, ...] = (
    # -- LEO_i2: link tables -------------------------------------------------------------------
    Table(
        "LEO_i2",
        "learner_ae_id_to_pmr_lookup",
        "AE_ID × PMR (one PMR per AE_ID here; the real lookup may hold several)",
        (
            _c("AE_ID", "bigint", I64, key=True),
            _c("PupilMatchingRefAnonymous", "varchar(18)", S, key=True),
        ),
        (2001, 2020),
    ),
    Table(
        "LEO_i2",
        "learner_ae_id_to_edukey_lookup",
        "AE_ID × EDUKEY (an AE_ID may carry several EDUKEYs; no row: not matched to the CIS)",
        (_c("AE_ID", "bigint", I64, key=True), _c("EDUKEY", "varchar(14)", S, key=True)),
        (2001, 2023),
    ),
    Table(
        "LEO_i2",
        "education_records_lookup",
        "one ILR learner record sent for matching",
        (_c("RECORDID", "int", I32, key=True), _c("AE_ID", "bigint", I64, key=True)),
        (2002, 2020),
    ),
    # -- LEO_i2: HMRC and DWP outcome tables (tax years; coverage extended as in I2.1) ---------
    Table(
        "LEO_i2",
        "leo_employment",
        "one PAYE employment spell (merged)",
        (
            _c("EduKey", "varchar(14)", S, key=True),
            _c("StartDate", "date", D),
            _c("EndDate", "date", D),
            _c("UncertainStartDate", "bit", I8),
            _c("UncertainEndDate", "bit", I8),
        ),
        (1997, 2023),
        tax=True,
    ),
    Table(
        "LEO_i2",
        "leo_earnings",
        "person × tax year with PAYE pay",
        (
            _c("Edukey", "varchar(14)", S, key=True),
            _c("TaxYear", "int", I32, key=True),
            _c("Earnings", "int", I32),
            _c("main_enterprise", "char(8)", S, status=INF),
            _c("enterprise_earnings", "int", I32, status=INF),
            _c("tied_main_record_enterprise_sic_fg", "bit", I8, status=INF),
            _c("Num_Employments", "int", I16, status=INF),
            _c("Main_Section", "char(1)", S, status=INF),
            _c("Section_Earnings", "int", I32, status=INF),
            _c("Tied_Main_Section_Flag", "bit", I8, status=INF),
            _c("Num_Sections", "int", I16, status=INF),
            _c("Main_SIC2007", "char(5)", S, status=INF),
            _c("SIC_Earnings", "int", I32, status=INF),
            _c("Tied_Main_SIC_Flag", "bit", I8, status=INF),
            _c("Num_SIC", "int", I16, status=INF),
            _c("main_enterprise_linked_sic2007", "char(5)", S, status=INF),
            _c("main_enterprise_linked_section", "char(1)", S, status=INF),
        ),
        (2003, 2023),
        tax=True,
    ),
    Table(
        "LEO_i2",
        "leo_self_assessment",
        "self-employed person × tax year",
        (
            _c("Edukey", "varchar(14)", S, key=True),
            _c("TaxYear", "int", I32, key=True),
            _c("Self_Employed", "int", I8, status=INF),
            _c("EARNINGS_SOLE", "int", I32),
            _c("EARNINGS_PTR", "int", I32),
            _c("EARNINGS_SELF_EMPLOYMENT", "int", I32),
        ),
        (2013, 2023),
        tax=True,
    ),
    Table(
        "LEO_i2",
        "leo_benefit",
        "one benefit spell (merged per benefit type)",
        (
            _c("EduKey", "varchar(14)", S, key=True),
            _c("StartDate", "date", D),
            _c("EndDate", "date", D),
            _c("Benefit_type", "varchar(3)", S),
            _c("Out_of_work_benefit", "bit", I8),
        ),
        (1999, 2023),
        tax=True,
    ),
    Table(
        "LEO_i2",
        "LEO_Geography",
        "person × tax year (address held longest in the year)",
        (
            _c("Edukey", "varchar(14)", S, key=True),
            _c("TaxYear", "int", I32, key=True),
            _c("COA_2011", "varchar(9)", S, status=INF),
            _c("LAUA_anon", "varchar(9)", S, status=INF),
            _c("PCON", "varchar(9)", S, status=INF),
            _c("PCONNM", "varchar(100)", S, status=INF),
            _c("GOR", "varchar(9)", S, status=INF),
            _c("GORNM", "varchar(40)", S, status=INF),
            _c("CTRY", "varchar(9)", S, status=INF),
            _c("CTRYNM", "varchar(20)", S, status=INF),
        ),
        (2004, 2023),
        tax=True,
    ),
    Table(
        "LEO_i2",
        "leo_cjrs",
        "person × tax year on the Coronavirus Job Retention Scheme (furlough)",
        (
            _c("EDUKEY", "varchar(14)", S, key=True),
            _c("TAXYEAR", "int", I32, key=True),
            _c("CJRS_EOM_IND", "char(12)", S, status=INF),
            _c("CJRS_DTM_IND", "char(12)", S, status=INF),
            _c("CJRS_WKS_CAPPED", "int", I16, status=INF),
            _c("CJRS_TOT_WKS", "int", I16, status=INF),
        ),
        (2019, 2020),
        status=INF,
        note="view name inferred (the VRF's logical name is LEO.CJRS)",
        tax=True,
    ),
    Table(
        "LEO_i2",
        "leo_seiss",
        "self-employed person × tax year on the Self-Employment Income Support Scheme",
        (
            _c("EDUKEY", "varchar(14)", S, key=True),
            _c("TAXYEAR", "int", I32, key=True),
            _c("SEISS_TOT_WKS", "int", I16, status=INF),
            _c("SEISS_TOT_AMT", "int", I32, status=INF),
            _c("SEISS_EOM_IND", "char(12)", S, status=INF),
            _c("SEISS_DTM_IND", "char(12)", S, status=INF),
        ),
        (2020, 2020),
        status=INF,
        note="view name inferred (the VRF gives SEISS via DWP RAPID)",
        tax=True,
    ),
    Table(
        "LEO_i2",
        "idbr_lookup",
        "enterprise × IDBR snapshot (SourceYear)",
        (
            _c("ENTKEY", "char(8)", S, key=True, status=INF),
            _c("SIC2007", "char(5)", S, status=INF),
            _c("SECTIONNAME", "varchar(100)", S, status=INF),
            _c("Govt_Region", "varchar(9)", S, status=INF),
            _c("legalstatus", "char(1)", S, status=INF),
            _c("Employees", "varchar(10)", S, status=INF),
            _c("Birth_month", "int", I32, status=INF),
            _c("Death_month", "int", I32, status=INF),
            _c("SourceYear", "int", I16, key=True, status=INF),
        ),
        (2019, 2020),
        status=INF,
        note="view name inferred (the VRF's logical name is LEO.IDBR_LOOKUP); Birth_month and "
        "Death_month as yyyymm (format inferred)",
    ),
    # -- npd_i2: school census, three terms --------------------------------------------------
    Table(
        "npd_i2",
        "spring_census",
        "pupil × spring census (academic years 2001/02–2020/21; reception to year 11)",
        _census_columns(True),
        (2001, 2020),
        per_year="CensusYear",
        view_prefix="spring_census_",
        suffix="_spr",
        view_eras=((2002, 2004, "plasc_", "", "_"),),
        note="one physical table; views spring_census_YYYY with <field>_spr<yy> columns "
        "(plasc_2003–plasc_2005 with <field>_<yy>)",
    ),
    Table(
        "npd_i2",
        "autumn_census",
        "pupil × autumn census (reception to year 11)",
        _census_columns(False),
        (2006, 2020),
        per_year="CensusYear",
        view_prefix="autumn_census_",
        suffix="_aut",
        status=INF,
        note="termly censuses from 2006/07 and their reduced column set (the defaults plus FSM, "
        "SEN and school) inferred",
    ),
    Table(
        "npd_i2",
        "summer_census",
        "pupil × summer census (reception to year 11; none in 2019/20)",
        _census_columns(False),
        (2006, 2020),
        per_year="CensusYear",
        view_prefix="summer_census_",
        suffix="_sum",
        skip_years=(2019,),
        status=INF,
        note="termly censuses from 2006/07 and their reduced column set inferred; no summer "
        "census 2019/20 (COVID)",
    ),
    # -- npd_i2: attainment ------------------------------------------------------------------
    Table(
        "npd_i2",
        "EYFSP",
        "pupil × Early Years Foundation Stage Profile (reception)",
        _npd_key(
            "EYFSP",
            _c("EYFSP_GENDER", "char(1)", S, status=INF),
            _c("EYFSP_FSM", "bit", I8, status=INF),
            _c("EYFSP_PSE_TOTAL", "int", I8, status=INF, span=(3, 27)),
            _c("EYFSP_CLL_TOTAL", "int", I8, status=INF, span=(4, 36)),
            _c("EYFSP_PSRN_TOTAL", "int", I8, status=INF, span=(3, 27)),
            _c("EYFSP_TOTAL", "int", I16, status=INF),
        ),
        (2002, 2009),
        status=INF,
        note="table and column names inferred (the reference lists EYFSP without its items); "
        "no EYFSP in 2019/20 or 2020/21",
    ),
    Table(
        "npd_i2",
        "KS1",
        "pupil × KS1 (year 2)",
        _npd_key(
            "KS1",
            _c("KS1_VERSION", "char(1)", S, status=INF),
            _c("KS1_GENDER", "char(1)", S, status=INF),
            _c("KS1_FSM", "bit", I8, status=INF),
            _c(
                "KS1_READ",
                "varchar(2)",
                S,
                status=INF,
                codes=("W", "1", "2C", "2B", "2A", "3", "A", "D"),
                shares=(0.03, 0.08, 0.12, 0.2, 0.25, 0.27, 0.03, 0.02),
            ),
            _c(
                "KS1_WRIT",
                "varchar(2)",
                S,
                status=INF,
                codes=("W", "1", "2C", "2B", "2A", "3", "A", "D"),
                shares=(0.04, 0.1, 0.16, 0.25, 0.2, 0.19, 0.04, 0.02),
            ),
            _c(
                "KS1_MATH",
                "varchar(2)",
                S,
                status=INF,
                codes=("W", "1", "2C", "2B", "2A", "3", "A", "D"),
                shares=(0.02, 0.06, 0.12, 0.22, 0.25, 0.29, 0.02, 0.02),
            ),
        ),
        (1997, 2011),
        status=INF,
        note="table and column names inferred (the reference lists KS1 without its items)",
    ),
    Table(
        "npd_i2",
        "KS2",
        "pupil × KS2 (year 6)",
        _npd_key(
            "KS2",
            _c("KS2_VERSION", "char(1)", S),
            _c("KS2_GENDER", "char(1)", S),
            _c("KS2_FSM", "bit", I8),
            _c("KS2_FSM6", "bit", I8, first=2011),
            _c("KS2_ENGLEV", "varchar(2)", S, last=2012, codes=_LEVELS, shares=_LEVEL_SHARES),
            _c("KS2_MATLEV", "varchar(2)", S, last=2014, codes=_LEVELS, shares=_LEVEL_SHARES),
            _c("KS2_READLEV", "varchar(2)", S, last=2014, codes=_LEVELS, shares=_LEVEL_SHARES),
            _c("KS2_ENGTOTMRK", "varchar(3)", S, last=2012, status=INF),
            _c("KS2_MATTOTMRK", "varchar(3)", S, last=2014, status=INF),
            _c("KS2_READSCORE", "int", I16, first=2015, span=(80, 120)),
            _c("KS2_MATSCORE", "int", I16, first=2015, span=(80, 120)),
            _c("KS2_READEXP", "bit", I8, first=2015),
            _c("KS2_MATEXP", "bit", I8, first=2015),
            _c("KS2_APS", "decimal(4,1)", F, last=2014, span=(3, 39)),
        ),
        (1995, 2015),
        status=INF,
        note="table name inferred; levels to 2014/15 and scaled scores from 2015/16 inferred "
        "from the accountability eras",
    ),
    Table(
        "npd_i2",
        "KS3",
        "pupil × KS3 (year 9)",
        _npd_key(
            "KS3",
            _c("KS3_VERSION", "char(1)", S, status=INF),
            _c("KS3_GENDER", "char(1)", S, status=INF),
            _c("KS3_FSM", "bit", I8, status=INF),
            _c("KS3_ENGLEV", "varchar(2)", S, status=INF, codes=_LEVELS, shares=_LEVEL_SHARES),
            _c("KS3_MATLEV", "varchar(2)", S, status=INF, codes=_LEVELS, shares=_LEVEL_SHARES),
            _c("KS3_SCILEV", "varchar(2)", S, status=INF, codes=_LEVELS, shares=_LEVEL_SHARES),
        ),
        (1997, 2012),
        status=INF,
        note="table and column names inferred (the reference lists KS3 without its items)",
    ),
    Table(
        "npd_i2",
        "KS4_Pupil",
        "pupil × KS4 year",
        _npd_key(
            "KS4",
            _c("KS4_VERSION", "char(1)", S),
            _c("KS4_GENDER", "char(1)", S),
            _c("KS4_ETHNIC", "varchar(4)", S),
            _c("KS4_FSM", "bit", I8),
            _c("KS4_FSM6", "bit", I8, first=2011),
            _c(
                "KS4_SENF",
                "char(1)",
                S,
                first=2014,
                codes=("N", "K", "E"),
                shares=(0.86, 0.12, 0.02),
            ),
            _c("KS4_IDACI", "decimal(4,3)", F, span=(0.0, 0.99)),
            _c("KS4_LAESTAB_anon", "varchar(10)", S),
            _c("KS4_URN_anon", "varchar(10)", S),
            _c("KS4_NFTYPE", "int", I8, status=INF, codes=(20, 21, 22, 50, 51, 52)),
            _c("KS4_LEVEL2_EM", "bit", I8, first=2003, last=2012),
            _c("KS4_PTSCNEWE", "decimal(6,1)", F, last=2014, span=(0.0, 600.0)),
            _c("KS4_EBACC", "bit", I8, first=2009, status=INF),
            _c("KS4_ATT8", "decimal(5,1)", F, first=2015),
            _c("KS4_P8SCORE", "decimal(5,2)", F, first=2015),
        ),
        (2001, 2020),
        status=INF,
        note="view name inferred (I1 code used KS4Pupil_2002_to_2014)",
    ),
    Table(
        "npd_i2",
        "KS4_Exam",
        "one KS4 result (pupil × qualification)",
        _npd_key(
            "KS4",
            _c("KS4_EXAMYEAR", "int", I16),
            _c("KS4_SEASON", "char(1)", S, status=INF),
            _c("KS4_QAN", "varchar(8)", S, status=INF),
            _c("KS4_SUBLEVNO", "int", I16, status=INF),
            _c("KS4_MAPPING", "int", I16, status=INF),
            _c("KS4_GRADE", "varchar(2)", S),
            _c("KS4_POINTS", "decimal(5,2)", F),
            _c("KS4_DISC_3A", "bit", I8, status=INF),
            _c("KS4_DISC_BEST", "bit", I8, status=INF),
            _c("KS4_Teacher_Assessed_Flag", "bit", I8, first=2019),
            _c("KS4_Covid_Impacted_Flag", "bit", I8, first=2019),
        ),
        (2001, 2020),
        status=INF,
        note="view name inferred; the discount flags' names (KS4_DISC*) inferred; KS4_QAN is "
        "a LARS LearnAimRef",
    ),
    Table(
        "npd_i2",
        "KS5_Student",
        "student × KS5 year",
        _npd_key(
            "KS5",
            _c("KS5_VERSION", "char(1)", S),
            _c("KS5_GENDER", "char(1)", S),
            _c("KS5_FSM", "bit", I8),
            _c("KS5_TOTPTSE", "decimal(6,1)", F, status=INF),
            _c("KS5_TOTPTSE_ALEV", "decimal(6,1)", F, status=INF),
            _c("KS5_TOTPTSE_AGEN", "decimal(6,1)", F, status=INF),
            _c("KS5_TOTPTSE_TLEV", "decimal(6,1)", F, status=INF),
            _c("KS5_AAB_FAC", "bit", I8, status=INF),
            _c("KS5_GRADE_AAB_ALL", "bit", I8, status=INF),
        ),
        (2001, 2020),
        status=INF,
        note="view name inferred",
    ),
    Table(
        "npd_i2",
        "KS5_Exam",
        "one KS5 result (student × qualification)",
        _npd_key(
            "KS5",
            _c("KS5_QAN", "varchar(8)", S, status=INF),
            _c("KS5_SUBLEVNO", "int", I16, status=INF),
            _c("KS5_MAPPING", "int", I16, status=INF),
            _c("KS5_GRADE", "varchar(2)", S),
            _c("KS5_POINTS", "decimal(5,1)", F, status=INF),
        ),
        (2001, 2020),
        status=INF,
        note="view name inferred; KS5_QAN is a LARS LearnAimRef",
    ),
    Table(
        "npd_i2",
        "PLAMS_Amended",
        "post-16 learning aim × year (KS5 students' qualifications)",
        (
            _c("PLAMS_PupilMatchingRefAnonymous", "varchar(18)", S, key=True, status=INF),
            _c("PLAMS_ACADYR", "varchar(9)", S, status=INF),
            _c("PLAMS_LearnAimRef", "varchar(8)", S, status=INF),
            _c("PLAMS_GRADE", "varchar(2)", S, status=INF),
            _c("PLAMS_Year", "int", I16, status=INF),
        ),
        (2007, 2020),
        per_year="PLAMS_Year",
        view_prefix="PLAMS_Amended_",
        status=INF,
        note="views PLAMS_Amended_YYYY as in the reference; columns inferred (the reference "
        "lists PLAMS without its items)",
    ),
    Table(
        "npd_i2",
        "YPMAD",
        "young person × attainment at 19",
        _npd_key(
            "YPMAD",
            _c("YPMAD_LEVEL2_BY19", "bit", I8, status=INF),
            _c("YPMAD_LEVEL2_EM_BY19", "bit", I8, status=INF),
            _c("YPMAD_LEVEL3_BY19", "bit", I8, status=INF),
        ),
        (2001, 2020),
        status=INF,
        note="table and column names inferred (the reference lists YPMAD without its items)",
    ),
    # -- npd_i2: attendance, exclusions, social care, post-16 -----------------------------------
    Table(
        "npd_i2",
        "Absence_3term",
        "pupil × academic year (three-term absence)",
        (
            _c("PupilMatchingRefAnonymous", "varchar(18)", S, key=True),
            _c("AcademicYear", "varchar(9)", S),
            _c("SessionsPossible", "int", I16, status=INF),
            _c("AuthorisedAbsence", "int", I16, status=INF),
            _c("UnauthorisedAbsence", "int", I16, status=INF),
            _c("OverallAbsence", "int", I16, status=INF),
            _c("PersistentAbsentee", "bit", I8, status=INF),
            _c("AbsenceYear", "int", I16, status=INF),
        ),
        (2005, 2020),
        per_year="AbsenceYear",
        view_prefix="Absence_",
        view_after="_3term",
        suffix=None,
        skip_years=(2019,),
        status=INF,
        note="views Absence_YYYY_3term as in the reference; columns inferred; no absence data "
        "2019/20 (COVID)",
    ),
    Table(
        "npd_i2",
        "exclusions",
        "one exclusion (pupil × exclusion)",
        (
            _c("PupilMatchingRefAnonymous", "varchar(18)", S, key=True),
            _c("AcademicYear", "varchar(9)", S),
            _c("Category", "varchar(4)", S, status=INF),
            _c("StartDate", "date", D, status=INF),
            _c("Sessions", "int", I16, status=INF),
            _c(
                "Reason",
                "varchar(3)",
                S,
                status=INF,
                codes=("PP", "PA", "VP", "VA", "BU", "RA", "DM", "DA", "TH", "DB", "OT"),
            ),
            _c("ExclusionYear", "int", I16, status=INF),
        ),
        (2001, 2020),
        per_year="ExclusionYear",
        view_prefix="exclusions_table_1_",
        view_eras=((2001, 2004, "exclusions_", "", None),),
        status=INF,
        note="views exclusions_YYYY to 2004/05 and exclusions_table_1_YYYY after, as in the "
        "reference; columns inferred",
    ),
    Table(
        "npd_i2",
        "cin_2009_to_2021",
        "child in need episode (referral to closure)",
        (
            _c("PupilMatchingRefAnonymous", "varchar(18)", S, key=True),
            _c("AcademicYear", "varchar(9)", S),
            _c("CIN_ReferralDate", "date", D, status=INF),
            _c("CIN_ClosureDate", "date", D, status=INF),
            _c(
                "CIN_PrimaryNeedCode",
                "varchar(2)",
                S,
                status=INF,
                codes=("N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8", "N9"),
                shares=(0.5, 0.03, 0.02, 0.18, 0.06, 0.03, 0.01, 0.07, 0.1),
            ),
            _c("CIN_CPP_StartDate", "date", D, status=INF),
            _c("CIN_Disability", "bit", I8, status=INF, codes=YN, shares=(0.9, 0.1)),
        ),
        (2008, 2020),
        status=INF,
        note="columns inferred (the reference lists CIN without its items)",
    ),
    Table(
        "npd_i2",
        "cla_2006_to_2021",
        "child looked after: one period of care",
        (
            _c("PupilMatchingRefAnonymous", "varchar(18)", S, key=True),
            _c("AcademicYear", "varchar(9)", S),
            _c("CLA_PeriodStart", "date", D, status=INF),
            _c("CLA_PeriodEnd", "date", D, status=INF),
            _c(
                "CLA_LegalStatus",
                "varchar(2)",
                S,
                status=INF,
                codes=("C1", "C2", "E1", "J2", "V2"),
                shares=(0.3, 0.35, 0.05, 0.02, 0.28),
            ),
            _c(
                "CLA_Placement",
                "varchar(2)",
                S,
                status=INF,
                codes=("U1", "U3", "U4", "U6", "R1", "K2", "P1"),
                shares=(0.15, 0.4, 0.1, 0.1, 0.05, 0.12, 0.08),
            ),
            _c("CLA_ReasonEnded", "varchar(3)", S, status=INF),
        ),
        (2005, 2020),
        status=INF,
        note="columns inferred (the reference lists CLA without its items)",
    ),
    Table(
        "npd_i2",
        "nccis_2011_to_2021",
        "young person × academic year × snapshot month (age 16 and 17)",
        _npd_key(
            "NCCIS",
            _c("NCCIS_MonthNo", "int", I8),
            _c("NCCIS_Current_Activity_Code", "varchar(3)", S),
            _c("NCCIS_Current_Activity_Start_Date", "date", D, status=INF),
            _c("NCCIS_NEET_Start_Date", "date", D),
            _c(
                "NCCIS_Year_11_Intended_Destination",
                "varchar(3)",
                S,
                codes=("FTE", "APP", "EMP", "TRN", "NK"),
                shares=(0.8, 0.08, 0.04, 0.03, 0.05),
            ),
            _c(
                "NCCIS_September_Guarantee",
                "varchar(2)",
                S,
                first=2016,
                status=INF,
                codes=("1A", "1B", "2A", "3", "4"),
                shares=(0.7, 0.1, 0.1, 0.05, 0.05),
            ),
        ),
        (2010, 2020),
        status=INF,
        note="view name as in the reference; activity codes (2xx education, 3xx apprenticeship, "
        "4xx employment, 5xx/6xx NEET) and the September Guarantee column name inferred",
    ),
    Table(
        "npd_i2",
        "ucas",
        "one UCAS application choice (English applicants aged 18)",
        (
            _c("PupilMatchingRefAnonymous", "varchar(18)", S, key=True),
            _c("applicant_id", "bigint", I64, key=True, status=INF),
            _c("unique_id_cycle", "varchar(20)", S, status=INF),
            _c("application_cycle", "int", I16, status=INF),
            _c("unique_application_id_cycle", "varchar(22)", S, status=INF),
            _c("applicant_gender_code", "char(1)", S, status=INF),
            _c("applicant_ethnic_group_code", "int", I8, status=INF),
            _c("applicant_polar4_code", "int", I8, status=INF, codes=(1, 2, 3, 4, 5)),
            _c("polar4_quintile", "varchar(20)", S, status=INF),
            _c("applicant_imd_code", "int", I8, status=INF, codes=(1, 2, 3, 4, 5)),
            _c(
                "applicant_socioecon2010_code",
                "int",
                I8,
                status=INF,
                codes=(1, 2, 3, 4, 5, 6, 7, 8, 9),
            ),
            _c(
                "apply_centre_type",
                "varchar(40)",
                S,
                status=INF,
                codes=("State school", "Sixth form college", "FE college", "Independent"),
                shares=(0.45, 0.2, 0.2, 0.15),
            ),
            _c("course_identifier", "varchar(10)", S, status=INF),
            _c("entry_year", "int", I16, status=INF),
            _c("jacs3_sub_line_code", "varchar(4)", S, status=INF),
            _c("provider_decision_june30", "char(1)", S, status=INF),
            _c("app_response_june30", "char(1)", S, status=INF),
            _c("accept_flag", "bit", I8, status=INF),
            _c("acceptance_route", "varchar(20)", S, status=INF),
        ),
        (2007, 2021),
        status=INF,
        note="table name and types inferred (UCAS data held by ONS; the reference lists its "
        "fields); application_cycle = the entry year",
    ),
    Table(
        "npd_i2",
        "ucas_qualifications",
        "one qualification declared on a UCAS application",
        (
            _c("PupilMatchingRefAnonymous", "varchar(18)", S, key=True),
            _c("applicant_id", "bigint", I64, key=True, status=INF),
            _c("unique_id_cycle", "varchar(20)", S, status=INF),
            _c("application_cycle", "int", I16, status=INF),
            _c("qualification_description", "varchar(60)", S, status=INF),
            _c("subject_title", "varchar(60)", S, status=INF),
            _c("grade", "varchar(2)", S, status=INF),
            _c("qualification_status", "varchar(7)", S, status=INF),
        ),
        (2007, 2021),
        status=INF,
        note="the reference lists the declared-qualification fields with the UCAS table; a "
        "separate table (one row per qualification) inferred",
    ),
    # -- LILR_i2 -----------------------------------------------------------------------------
    Table(
        "LILR_i2",
        "learners",
        "learner × provider × year (external_id is not a person)",
        (
            _c("external_id", "bigint", I64, key=True),
            _c("Year", "int", I16),
            _c("AcademicYear", "varchar(9)", S, status=INF),
            _c("dataset_identifier", "varchar(10)", S, status=INF),
            _c("learner_id", "varchar(12)", S, status=INF),
            _c("upin_anon", "varbinary(32)", S, status=INF),
            _c("ukprn_anon", "varbinary(32)", S, status=INF),
            _c("RECORDID", "int", I32, key=True),
            _c("Sex", "char(1)", S),
            _c("Ethnicity", "int", I16),
            _c("AcAge", "int", I16),
            _c("LLDD", "int", I8),
            _c(
                "LLDD_Detail",
                "int",
                I16,
                status=INF,
                codes=(-1, 1, 2, 4, 9, 90),
                shares=(0.85, 0.02, 0.02, 0.05, 0.03, 0.03),
            ),
            _c(
                "Disability",
                "int",
                I16,
                status=INF,
                codes=(-1, 1, 2, 98),
                shares=(0.1, 0.08, 0.8, 0.02),
            ),
            _c(
                "LearnDiff",
                "int",
                I16,
                status=INF,
                codes=(-1, 1, 2, 98),
                shares=(0.1, 0.1, 0.78, 0.02),
            ),
            _c("PriorAttain", "int", I16),
            _c("L_FullLevel2", "bit", I8),
            _c("L_FullLevel2_Ach", "bit", I8, status=INF),
            _c("L_FullLevel3", "bit", I8),
            _c("L_FullLevel3_Ach", "bit", I8, status=INF),
            _c("L_FEFUND", "bit", I8),
            _c("AppParticipant", "bit", I8),
        ),
        (2002, 2020),
    ),
    Table(
        "LILR_i2",
        "aims",
        "learning aim × year",
        (
            _c("external_id", "bigint", I64, key=True),
            _c("sequence_index", "int", I16),
            _c("learning_aim_id", "varchar(8)", S, status=INF),
            _c("RECORDID", "int", I32, key=True),
            _c("start_date", "date", D),
            _c("end_date_expected", "date", D),
            _c("end_date", "date", D),
            _c("Achievement_date", "date", D),
            _c("Compstatus", "int", I8),
            _c("outcome", "int", I8),
            _c(
                "outcome_grade",
                "varchar(6)",
                S,
                codes=("", "PA", "ME", "DI", "FL"),
                shares=(0.7, 0.1, 0.1, 0.07, 0.03),
            ),
            _c("programme_type", "int", I16),
            _c("AimType", "int", I8),
            _c("FundModel", "int", I16),
            _c("framework_id", "int", I16),
            _c("Standard_id", "int", I16, first=2014),
            _c("NotionalNVQLev", "varchar(2)", S, status=INF),
            _c("Notional_Level_v2", "varchar(2)", S, status=INF),
            _c("SSATier1", "varchar(4)", S, status=INF),
            _c("SSATier2", "varchar(4)", S, status=INF),
            _c("LevelOfLearning", "int", I8, status=INF),
            _c("LevelOfLearning_Desc", "varchar(30)", S, status=INF),
            _c("FullL2", "bit", I8),
            _c("FullL3", "bit", I8),
            _c("PartialL2", "bit", I8),
            _c("PartialL3", "bit", I8),
            _c("EngMath", "bit", I8, codes=YN, shares=(0.9, 0.1)),
            _c("ESOL", "bit", I8, codes=YN, shares=(0.97, 0.03)),
            _c("FrameworkApp", "bit", I8),
            _c("StandardApp", "bit", I8, first=2014),
            _c("Traineeship", "bit", I8, first=2013, codes=YN, shares=(0.99, 0.01)),
            _c("Tlevel", "bit", I8, first=2020),
            _c("active", "bit", I8),
            _c("start", "bit", I8),
            _c("completion", "bit", I8),
            _c("achievement", "bit", I8),
            _c("enrolment", "bit", I8),
            _c("Funded_aim", "bit", I8),
            _c("AimRankInYear", "int", I16),
            _c("LevySupported", "bit", I8, first=2017),
            _c("OnBenefits_AtStart", "bit", I8),
            _c("OnUC_AtStart", "bit", I8),
            _c("OnJSAESA_AtStart", "bit", I8),
            _c("OnBenefits_6MonthPrior", "bit", I8, status=INF),
            _c("OnUC_6MonthPrior", "bit", I8, status=INF),
            _c("OnJSAESA_6MonthPrior", "bit", I8, status=INF),
        ),
        (2002, 2020),
    ),
    Table(
        "LILR_i2",
        "lars",
        "learning aim reference (LARS), one row per aim",
        (
            _c("LearnAimRef", "varchar(8)", S, key=True),
            _c("AimTitle", "varchar(254)", S),
            _c("QualType", "varchar(4)", S),
            _c("Notional_Level_v2", "varchar(2)", S),
            _c("SectorSubjectAreaT1", "varchar(4)", S, status=INF),
            _c("SectorSubjectAreaT2", "varchar(4)", S, status=INF),
            _c("L2_percent", "decimal(5,1)", F, status=INF),
            _c("L3_percent", "decimal(5,1)", F, status=INF),
            _c("FE_HE", "char(1)", S),
            _c("Awarding_Organisation_Anon", "varchar(10)", S, status=INF),
        ),
        (2002, 2020),
        note="a reference table: aims.learning_aim_id, KS4_QAN and KS5_QAN join LearnAimRef",
    ),
    # -- hesa_i2 -----------------------------------------------------------------------------
    Table(
        "hesa_i2",
        "hesa",
        "student instance × academic year (2004/05–2019/20)",
        (
            _c("HE_PUPILMATCHINGREFANONYMOUS", "varchar(18)", S, key=True),
            _c("HE_XINSTID01__ANON", "varchar(10)", S),
            _c("HE_XPQUAL01", "int", I8),
            _c("HE_XPSR01", "int", I8),
            _c("HE_XPDEC01", "int", I8, codes=YN, shares=(0.05, 0.95)),
            _c("HE_COMDATE", "date", D),
            _c("HE_DATELEFT", "date", D, last=2006),
            _c("HE_ENDDATE", "date", D, first=2007),
            _c("HE_YEARSTU", "int", I8),
            _c("HE_YEARPRG", "int", I8),
            _c("HE_QUALAIM", "varchar(3)", S, last=2006, status=INF),
            _c("HE_COURSEAIM", "varchar(4)", S, first=2007, status=INF),
            _c("HE_XLEV601", "int", I8),
            _c("HE_XMODE01", "int", I8),
            _c("HE_XQOBTN01", "int", I8, status=INF),
            _c("HE_XQLEV601", "int", I8, status=INF),
            _c("HE_XCLASS01", "varchar(2)", S),
            _c("HE_SBJQA1", "varchar(4)", S, last=2006),
            _c("HE_SBJQA2", "varchar(4)", S, last=2006),
            _c("HE_SBJQA3", "varchar(4)", S, last=2006),
            _c("HE_XJACSA01_1", "varchar(4)", S, first=2007),
            *_n("HE_XJACSA01_", 2007, None, "varchar(4)", S)[1:],
            *_n("HE_XJACS01_", 2007, None, "varchar(4)", S),
            *_n("HE_XFPE01_", 2007, None, "decimal(4,1)", F),
            *_n("HE_XHECOS_", 2019, None, "varchar(6)", S),
            *_n("HE_XCAH01_", 2019, None, "varchar(5)", S),
            _c("HE_XCAH02_1", "varchar(8)", S, first=2019),
            *_n("HE_XCAH02_", 2019, None, "varchar(8)", S)[1:],
            *_n("HE_XCAH03_", 2019, None, "varchar(11)", S),
            _c("HE_GENDER", "int", I8, last=2011),
            _c("HE_SEXID", "int", I8, first=2012),
            _c("HE_ETHNIC", "varchar(2)", S, status=INF),
            _c("HE_XETHNIC01", "int", I8, status=INF),
            _c("HE_NATION", "varchar(2)", S, status=INF),
            _c("HE_XAGEA01", "int", I8),
            _c(
                "HE_DISABLE",
                "varchar(2)",
                S,
                status=INF,
                codes=("00", "51", "53", "54", "57"),
                shares=(0.86, 0.06, 0.02, 0.03, 0.03),
            ),
            _c("HE_CARELEAVER", "int", I8, first=2013, status=INF),
            _c(
                "HE_PARED",
                "int",
                I8,
                status=INF,
                codes=(1, 2, 3, 4),
                shares=(0.45, 0.45, 0.06, 0.04),
            ),
            _c("HE_SEC", "int", I8, status=INF, codes=(1, 2, 3, 4, 5, 6, 7, 8, 9)),
            _c("HE_SOC2000", "varchar(4)", S, status=INF),
            _c("HE_XDOMUC01", "int", I8, status=INF),
            _c("HE_XHOOS01", "int", I8, status=INF),
            _c("HE_XQUALENT01", "varchar(3)", S, status=INF),
            _c("HE_FEEELIG", "int", I8, status=INF),
            _c(
                "HE_MSFUND",
                "varchar(2)",
                S,
                status=INF,
                codes=("01", "02", "03", "99"),
                shares=(0.2, 0.1, 0.05, 0.65),
            ),
            _c("HE_STULOAD", "decimal(4,1)", F, status=INF),
            _c("HE_OA11", "varchar(9)", S, status=INF),
            _c("HE_LSOA11", "varchar(9)", S, status=INF),
            _c("HE_LA_ANON", "varchar(10)", S, status=INF),
            _c("HE_Year", "int", I16, status=INF),
        ),
        (2004, 2019),
        per_year="HE_Year",
        view_prefix="hesa_",
        note="one physical table; views hesa_YYYY with that year's columns only; HECoS and "
        "CAH3 codes are NULL (no public mapping used), subject fields _2–_4 NULL "
        "(single-subject courses)",
    ),
)

_ARROW = {t.name: t for t in TABLES}


def table(name: str) -> Table:
    return _ARROW[name]


def arrow_schema(spec: Table, metadata: dict[str, str] | None = None) -> pa.Schema:
    return pa.schema([pa.field(c.name, c.arrow) for c in spec.columns], metadata=metadata)
